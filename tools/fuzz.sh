#!/usr/bin/env bash
# Fuzzes every target of tests/fuzz for SECONDS each (libFuzzer, clang,
# ASan + UBSan; built by `make fuzz`), starting from the seed corpus
# tests/fuzz/corpus/NAME and a working corpus build/fuzz/work/NAME that grows
# across runs. Prints executions per target; exits 1 if any target crashed,
# leaked or hung (> 1 s an input): the input is saved as
# build/fuzz/artifacts/NAME-crash-* (add it to tests/fuzz/corpus/NAME once fixed).
#   tools/fuzz.sh SECONDS [NAME...]
# With FUZZ_RUNS=N each target runs N inputs from seed 1 instead (what CI
# does: the same inputs on every run).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:?usage: tools/fuzz.sh SECONDS [NAME...]}
shift
names=("$@")
if [ ${#names[@]} -eq 0 ]; then  # every target built (tests/fuzz/CMakeLists.txt lists them)
  for bin in build/fuzz/tests/fuzz/fuzz_*; do [ -x "$bin" ] && names+=("${bin##*/fuzz_}"); done
fi
[ ${#names[@]} -gt 0 ] || { echo "fuzz.sh: no fuzz targets built (make fuzz)" >&2; exit 1; }
mkdir -p build/fuzz/artifacts
status=0
printf "%-12s %12s %10s %s\n" target executions exec/s result
for n in "${names[@]}"; do
  bin=build/fuzz/tests/fuzz/fuzz_$n
  [ -x "$bin" ] || { echo "fuzz.sh: $bin not built (make fuzz)" >&2; exit 1; }
  work=build/fuzz/work/$n
  mkdir -p "$work"
  log=build/fuzz/$n.log
  if [ -n "${FUZZ_RUNS:-}" ]; then limit=(-runs="$FUZZ_RUNS" -seed=1); else limit=(-max_total_time="$seconds"); fi
  start=$SECONDS
  if ASAN_OPTIONS=detect_leaks=1 "$bin" "${limit[@]}" -timeout=1 -rss_limit_mb=2048 \
      -max_len=8192 -print_final_stats=1 -artifact_prefix="build/fuzz/artifacts/$n-" \
      "$work" "tests/fuzz/corpus/$n" >"$log" 2>&1; then
    result=ok
  else
    result="FAILED (see $log)"
    status=1
  fi
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  elapsed=$((SECONDS - start > 0 ? SECONDS - start : 1))
  printf "%-12s %12s %10s %s\n" "$n" "$execs" "$((execs / elapsed))" "$result"
done
exit $status
