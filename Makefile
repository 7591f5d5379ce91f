# Every target installs what it needs (scripts/setup.sh) on a fresh Debian 12 machine.
BUILD_DIR ?= build
ASAN_DIR ?= build-asan
JOBS ?= $(shell nproc)

.PHONY: all setup configure build test unit e2e asan demo bench format clean

all: build

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

# The main job: `mlpipe run` of the example projects (scripts/demo.sh).
demo: build
	@bash scripts/demo.sh $(BUILD_DIR)/bin/mlpipe

bench: build
	@/usr/bin/python3 bench/run_bench.py --mlpipe $(BUILD_DIR)/bin/mlpipe
	@echo "single-row scoring: compiled tree predictor vs XGBoost in-place prediction"
	@$(BUILD_DIR)/bin/tree_predictor_bench --benchmark_repetitions=3 --benchmark_report_aggregates_only=true

format:
	@find include src apps bench -name '*.h' -o -name '*.cc' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR) $(ASAN_DIR)
