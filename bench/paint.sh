#!/usr/bin/env bash
# First contentful paint of the public home page beside a one-line page from the same server,
# headless Debian Chromium over loopback (bench/paint_bench.mjs). Prints both and the ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
exec node bench/paint_bench.mjs "$@"
