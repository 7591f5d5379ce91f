# Every target installs what it needs (scripts/setup.sh) on a fresh Debian 12 machine.
BUILD_DIR ?= build
ASAN_DIR ?= build-asan
FUZZ_DIR ?= build-fuzz
# Seconds per fuzz target: `make fuzz` (long) and `make fuzz-ci` (bounded, 7 targets).
FUZZ_SECONDS ?= 300
FUZZ_CI_SECONDS ?= 30
JOBS ?= $(shell nproc)

.PHONY: all help setup configure build test unit e2e asan fuzz-build fuzz fuzz-ci demo bench format clean

all: build

help:
	@echo "make build      configure and build (Release) in $(BUILD_DIR)"
	@echo "make test       every test; make unit / make e2e for one label"
	@echo "make asan       unit tests under ASan + UBSan in $(ASAN_DIR)"
	@echo "make fuzz       each libFuzzer target for FUZZ_SECONDS=$(FUZZ_SECONDS) s (docs/fuzzing.md)"
	@echo "make fuzz-ci    each libFuzzer target for FUZZ_CI_SECONDS=$(FUZZ_CI_SECONDS) s (CI)"
	@echo "make demo       mlpipe run of the example projects"
	@echo "make bench      benchmarks"
	@echo "make format     clang-format every C++ file"

setup:
	@bash scripts/setup.sh

configure: setup
	@cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null

build: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)

test: build
	@ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS)

unit: build
	@ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS) -L unit

e2e: build
	@ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS) -L e2e

# Unit tests under AddressSanitizer + UndefinedBehaviorSanitizer. Builds only
# what they run (target unit_tests, cmake/mlpipe_module.cmake): no benchmarks.
asan: setup
	@cmake -S . -B $(ASAN_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DMLPIPE_SANITIZE=ON >/dev/null
	@cmake --build $(ASAN_DIR) -j $(JOBS) --target unit_tests
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --test-dir $(ASAN_DIR) --output-on-failure -j $(JOBS) -L unit

# libFuzzer targets (fuzz/, docs/fuzzing.md) built with clang under ASan +
# UBSan in $(FUZZ_DIR); each runs from its seed corpus fuzz/corpus/<target>.
fuzz-build: setup
	@CC=clang CXX=clang++ cmake -S . -B $(FUZZ_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DMLPIPE_FUZZ=ON -DMLPIPE_BUILD_TESTS=OFF >/dev/null
	@cmake --build $(FUZZ_DIR) -j $(JOBS) --target fuzzers

fuzz: fuzz-build
	@bash scripts/fuzz.sh $(FUZZ_DIR) $(FUZZ_SECONDS)

fuzz-ci: fuzz-build
	@bash scripts/fuzz.sh $(FUZZ_DIR) $(FUZZ_CI_SECONDS)

# The main job: `mlpipe run` of the example projects (scripts/demo.sh).
demo: build
	@bash scripts/demo.sh $(BUILD_DIR)/bin/mlpipe

bench: build
	@/usr/bin/python3 bench/run_bench.py --mlpipe $(BUILD_DIR)/bin/mlpipe
	@echo "single-row scoring: compiled tree predictor vs XGBoost in-place prediction"
	@$(BUILD_DIR)/bin/tree_predictor_bench --benchmark_repetitions=3 --benchmark_report_aggregates_only=true

format:
	@find include src apps capi examples bench fuzz -name '*.h' -o -name '*.cc' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR) $(ASAN_DIR) $(FUZZ_DIR)
