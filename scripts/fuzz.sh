#!/usr/bin/env bash
# Runs every cargo-fuzz target for a bounded time (FUZZ_SECONDS each, 20 by
# default) from a seed corpus: the roster fixtures (each prefixed with the
# byte that picks its extension) and the seeds in fuzz/seeds. A crash stops
# the run and leaves its input in fuzz/artifacts/<target>/.
# The seed is fixed (FUZZ_SEED, 1 by default) so that a test run explores the
# same inputs in the same order each time instead of new ones per run; exploring
# with a random seed is FUZZ_SEED=0. An input that once failed is kept in
# fuzz/seeds so that every later run tries it first.
#   scripts/fuzz.sh                 all targets
#   FUZZ_SECONDS=600 FUZZ_SEED=0 scripts/fuzz.sh roster_read
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/env.sh"
cd "$ROOT/fuzz"
SECONDS_EACH="${FUZZ_SECONDS:-20}"
SEED="${FUZZ_SEED:-1}"
TARGETS=("${@:-roster_read text_normalizers segment_filter}")
# cargo fuzz needs nightly flags; the stable toolchain accepts them this way
# when no nightly toolchain is installed.
if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  FUZZ=(cargo +nightly fuzz)
else
  export RUSTC_BOOTSTRAP=1
  FUZZ=(cargo fuzz)
fi

mkdir -p corpus/roster_read corpus/text_normalizers corpus/segment_filter
for f in "$ROOT"/tests/fixtures/rosters/*.{xlsx,xls,csv}; do
  case "${f##*.}" in xlsx) b='\x00' ;; xls) b='\x01' ;; csv) b='\x03' ;; esac
  { printf "$b"; cat "$f"; } > "corpus/roster_read/$(basename "$f")"
done
cp seeds/text_normalizers/* corpus/text_normalizers/
cp seeds/segment_filter/* corpus/segment_filter/

mkdir -p logs
for target in ${TARGETS[@]}; do
  echo "### fuzz $target for ${SECONDS_EACH}s"
  rc=0
  # No sanitizer: the code is safe Rust over bundled SQLite, and an
  # uninstrumented build runs many times more inputs in the same time.
  "${FUZZ[@]}" run --sanitizer none "$target" "corpus/$target" -- \
    -max_total_time="$SECONDS_EACH" -seed="$SEED" -max_len=262144 -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
    > "logs/$target.log" 2>&1 || rc=$?
  grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|Done [0-9]+ runs)' "logs/$target.log" || true
  if [ "$rc" -ne 0 ]; then
    grep -E -A1 "panicked|Failing input|SUMMARY" "logs/$target.log" | cut -c1-300 | head -n 20
    echo "fuzz $target failed (exit $rc); the input is in fuzz/artifacts/$target/"
    exit 1
  fi
done
