#!/usr/bin/env bash
# Times `cxbook check` on generated handbooks of 1,000 and 10,000 maps.
#
#   scripts/bench-check.sh            # builds target/release/cxbook if needed
#   SIZES="1000" scripts/bench-check.sh
#
# The corpus comes from the shared deterministic generator (standard library
# Python) and is written under /tmp, generated once per size and seed.
# Uses hyperfine when installed, else /usr/bin/time (or bash's `time`).
set -euo pipefail
cd "$(dirname "$0")/.."

GEN=${GEN:-../shared/bench/gen-corpus.py}
SIZES=${SIZES:-"1000 10000"}
SEED=${SEED:-1}
OUT=${OUT:-/tmp/cxbook-bench-check}
BIN=target/release/cxbook

if [ ! -x "$BIN" ] || [ -n "$(find src Cargo.toml -newer "$BIN" -print -quit)" ]; then
  echo "building $BIN ..." >&2
  cargo build --release --quiet
fi

for n in $SIZES; do
  dir="$OUT/maps-$n-seed-$SEED"
  if [ ! -f "$dir/book.toml" ]; then
    echo "generating $n maps into $dir ..." >&2
    rm -rf "$dir"
    python3 "$GEN" --maps "$n" --out "$dir" --seed "$SEED" >/dev/null
  fi
  files=$(find "$dir/content" -name '*.md' | wc -l)
  bytes=$(du -sh "$dir/content" | cut -f1)
  echo "== cxbook check: $n maps ($files files, $bytes) =="
  # `check` exits 1 when the corpus has content errors; time it anyway.
  if command -v hyperfine >/dev/null 2>&1; then
    # -N: no shell in between; -i: exit status 1 (content errors) is fine.
    hyperfine -N --warmup 1 --runs "${RUNS:-5}" -i \
      "$BIN check --root $dir --format json"
  elif [ -x /usr/bin/time ]; then
    for _ in 1 2 3; do
      /usr/bin/time -f "%e s elapsed, %U s user, %M KB max RSS" \
        "$BIN" check --root "$dir" --format json >/dev/null || true
    done
  else
    for _ in 1 2 3; do
      time ("$BIN" check --root "$dir" --format json >/dev/null || true)
    done
  fi
  "$BIN" check --root "$dir" --format json 2>/dev/null \
    | python3 -c 'import json,sys; r=json.load(sys.stdin); print("   %d errors, %d warnings" % (r["errors"], r["warnings"]))' \
    || true
done
