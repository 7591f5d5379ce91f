#!/usr/bin/env bash
# Runs every libFuzzer target of BUILD_DIR for SECONDS each, starting from its
# seed corpus fuzz/corpus/<target> (read only) and a working corpus in
# BUILD_DIR/fuzz-corpus/<target> (new inputs the fuzzer finds). A crash, a
# leak or a sanitizer report stops the run with a non-zero status and leaves
# the input in BUILD_DIR/fuzz-artifacts/ (docs/fuzzing.md: reproduce, fix, add
# it to the seed corpus and a unit test).
set -euo pipefail
build=${1:?usage: fuzz.sh BUILD_DIR SECONDS}
seconds=${2:?usage: fuzz.sh BUILD_DIR SECONDS}
root="$(cd "$(dirname "$0")/.." && pwd)"
# FUZZ_TARGETS (space-separated) runs a subset.
read -r -a targets <<< "${FUZZ_TARGETS:-csv arff jsonl run_query bundle http model_request}"
mkdir -p "$build/fuzz-artifacts"
for t in "${targets[@]}"; do
  work="$build/fuzz-corpus/$t"
  mkdir -p "$work"
  echo "fuzz: $t for ${seconds}s"
  bin="$build/bin/fuzz_$t"
  if [ ! -x "$bin" ]; then
    echo "fuzz: $bin does not exist (make fuzz-build)" >&2
    exit 1
  fi
  log="$build/fuzz-artifacts/$t.log"
  set +e
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len=65536 -print_final_stats=1 -artifact_prefix="$build/fuzz-artifacts/$t-" \
    "$work" "$root/fuzz/corpus/$t" >"$log" 2>&1
  rc=$?
  set -e
  grep -E "^(#[0-9]+ +DONE|==|SUMMARY|stat::number_of_executed_units|stat::peak_rss)|ERROR|Test unit written" "$log" || true
  if [ "$rc" -ne 0 ] || ls "$build/fuzz-artifacts/$t-"* >/dev/null 2>&1; then
    echo "fuzz: $t failed (exit $rc; log $log)" >&2
    ls "$build/fuzz-artifacts/$t-"* 2>/dev/null >&2 || tail -20 "$log" >&2
    exit 1
  fi
done
echo "fuzz: every target ran ${seconds}s without a failure"
