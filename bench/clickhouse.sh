#!/usr/bin/env bash
# Province scale on ClickHouse (issue 12): values/s from simulated devices through two ingest
# nodes into a two-shard cluster, beside ClickHouse's own insert rate for the same rows in the
# same run; a month's rankings over 1,000 stations; bytes per stored value after compression.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x /usr/sbin/clickhouse-server ]; then
    echo "clickhouse: skipped (clickhouse-server not installed; make deps installs it)"
    exit 0
fi
exec node bench/clickhouse_bench.mjs "$@"
