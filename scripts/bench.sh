#!/usr/bin/env bash
# Speed at scale: cxbook against Hugo on the same pages.
#
#   scripts/bench.sh [SIZES...]        default: 100 1000 10000
#
# Generates handbooks with ../shared/bench/gen-corpus.py (flavour cxbook,
# and flavour hugo for the same pages as plain Hugo content), then times
# whole processes one after the other with hyperfine: cxbook cold build
# (no cache, no previous output), cxbook build with nothing changed, and
# hugo. Prints medians, the cxbook/Hugo ratio, maps per second, peak memory
# (from /usr/bin/time -v) and output size. Installs hugo and hyperfine from
# Debian when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
GEN=${GEN:-$ROOT/../shared/bench/gen-corpus.py}
WORK=${WORK:-/tmp/cxbook-bench}
RUNS=${RUNS:-5}
SIZES=("$@"); [ ${#SIZES[@]} -gt 0 ] || SIZES=(100 1000 10000)

need=()
command -v hugo >/dev/null || need+=(hugo)
command -v hyperfine >/dev/null || need+=(hyperfine)
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

cargo build --release --quiet
BIN=$ROOT/target/release/cxbook
mkdir -p "$WORK"

peak_mib() { # command... -> peak resident memory in MiB
  /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F: '/Maximum resident/ {printf "%.0f", $2/1024}'
}
median() { # hyperfine json -> median seconds
  python3 -c 'import json,sys; print("%.3f" % json.load(open(sys.argv[1]))["results"][0]["median"])' "$1"
}

printf '\n%-7s %10s %10s %10s %10s %8s %10s %9s %9s %9s\n' maps cold_s warm_s edit1_s hugo_s ratio maps/s cold_MiB hugo_MiB out_MiB
for n in "${SIZES[@]}"; do
  c=$WORK/cx-$n; h=$WORK/hugo-$n
  [ -d "$c" ] || python3 "$GEN" --maps "$n" --out "$c" --flavor cxbook >/dev/null
  [ -d "$h" ] || python3 "$GEN" --maps "$n" --out "$h" --flavor hugo >/dev/null
  cold="rm -rf $c/public && $BIN build --quiet --root $c"
  warm="$BIN build --quiet --root $c"
  hugo_cmd="rm -rf $h/public && hugo --quiet --source $h"
  eval "$warm" >/dev/null 2>&1 || true
  hyperfine -N --style none --runs "$RUNS" --prepare "rm -rf $c/public" "$BIN build --quiet --root $c" --export-json "$WORK/cold-$n.json" >/dev/null
  eval "$warm" >/dev/null
  hyperfine -N --style none --runs "$RUNS" --warmup 1 "$warm" --export-json "$WORK/warm-$n.json" >/dev/null
  # One map edited (a line added to its text before each run): the output
  # is updated in place.
  one=$(find "$c/content" -name '*.md' ! -name '_index.md' ! -path '*/personas/*' | sort | awk 'NR == 1')
  cp "$one" "$WORK/one.md.bak"
  hyperfine -N --style none --runs "$RUNS" --prepare "sh -c 'echo Edited. >> $one'" "$warm" --export-json "$WORK/edit1-$n.json" >/dev/null
  cp "$WORK/one.md.bak" "$one"
  hyperfine --style none --runs "$RUNS" --prepare "rm -rf $h/public" "hugo --quiet --source $h" --export-json "$WORK/hugo-$n.json" >/dev/null
  cs=$(median "$WORK/cold-$n.json"); ws=$(median "$WORK/warm-$n.json"); hs=$(median "$WORK/hugo-$n.json")
  es=$(median "$WORK/edit1-$n.json")
  rm -rf "$c/public"; cm=$(peak_mib "$BIN" build --quiet --root "$c")
  rm -rf "$h/public"; hm=$(peak_mib hugo --quiet --source "$h")
  out=$(du -sm "$c/public" | cut -f1)
  python3 - "$n" "$cs" "$ws" "$es" "$hs" "$cm" "$hm" "$out" <<'PY'
import sys
n, cs, ws, es, hs, cm, hm, out = sys.argv[1:]
n, cs, ws, es, hs = int(n), float(cs), float(ws), float(es), float(hs)
print("%-7d %10.3f %10.3f %10.3f %10.3f %8.2f %10.0f %9s %9s %9s" % (n, cs, ws, es, hs, cs / hs, n / cs, cm, hm, out))
PY
done
