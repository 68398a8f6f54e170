#!/usr/bin/env bash
# Siting checks per second against 10,000 control units: ecogov (GEOS prepared geometries +
# STRtree) beside PostGIS ST_Intersects (GiST index) on the same data, in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
exec node bench/siting_bench.mjs "$@"
