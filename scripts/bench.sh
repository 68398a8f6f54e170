#!/usr/bin/env bash
# make bench: run every benchmark; each prints its figures and a ratio against
# a baseline measured in the same run.
set -uo pipefail
cd "$(dirname "$0")/.."
for b in build/bench/bench_*; do
    [ -x "$b" ] || continue
    echo "== ${b##*/}"
    "$b" || echo "(${b##*/} failed)"
done
for s in bench/*.sh; do
    [ -f "$s" ] || continue
    echo "== ${s##*/}"
    bash "$s" || echo "(${s##*/} failed)"
done
