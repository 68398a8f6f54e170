#!/usr/bin/env bash
# make run: create var/ecogov.db with the demo city if it is missing, then serve
# on 127.0.0.1:8080 and print where to log in once the server is listening.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=build/ecogov
DB=${ECOGOV_DB:-var/ecogov.db}
mkdir -p "$(dirname "$DB")"
if [ ! -f "$DB" ]; then
    echo "run: creating $DB with the demo city"
    "$BIN" migrate --db="$DB" >/dev/null
    "$BIN" demo --db="$DB" --seed 1 --enterprises 300
fi

ready=$(mktemp)
"$BIN" serve --db="$DB" --web-root=web/dist > >(tee "$ready") &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -f "$ready"' EXIT INT TERM
for _ in $(seq 200); do
    grep -q "listening on" "$ready" && break
    kill -0 $server 2>/dev/null || exit 1
    sleep 0.1
done
url=$(grep -o 'http://[0-9.:]*' "$ready" | head -1)
# Live device data: a small simulator against the served HJ 212 port (docs/monitoring.md).
hport=$(grep -o 'hj212 listening on [0-9.]*:[0-9]*' "$ready" | grep -o '[0-9]*$' | head -1)
if [ -n "$hport" ]; then
    "$BIN" simulate --db="$DB" --port "$hport" --stations 100 --history 6 --window 8 >/dev/null 2>&1 &
    sim=$!
    trap 'kill $sim 2>/dev/null; kill $server 2>/dev/null; wait $server 2>/dev/null; rm -f "$ready"' EXIT INT TERM
fi
cat <<TXT

  ecogov is serving ${url}/  (console: ${url}/console)
  demo accounts (username / password):
    admin  / Admin@2026    system administrator
    leader / Leader@2026   bureau leader
    staff  / Staff@2026    staff, 环评科        staff2 / Staff@2026   staff, 执法支队
    ent    / Ent@2026      enterprise user (the first demo enterprise)
  stop with Ctrl-C

TXT
wait $server
