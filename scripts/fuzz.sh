#!/usr/bin/env bash
# make fuzz: run every libFuzzer target for FUZZ_SECONDS (default 60) each,
# growing a working corpus under build/ seeded from tests/fuzz/corpus/<name>.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
mkdir -p build/fuzz/artifacts
for f in build/fuzz/fuzz_*; do
    [ -x "$f" ] || continue
    name=${f##*/fuzz_}
    mkdir -p "build/fuzz/corpus-$name" "tests/fuzz/corpus/$name"
    echo "fuzz $name for ${secs}s"
    "$f" -max_total_time="$secs" -artifact_prefix="build/fuzz/artifacts/$name-" \
        "build/fuzz/corpus-$name" "tests/fuzz/corpus/$name" 2>&1 | tail -3
done
