#!/usr/bin/env bash
# make run: create var/ecogov.db with the demo city if it is missing, then serve.
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
cat <<TXT

  ecogov — http://127.0.0.1:${ECOGOV_HTTP_PORT:-8080}/
  demo accounts (username / password):
    admin  / Admin@2026    system administrator
    leader / Leader@2026   bureau leader
    staff  / Staff@2026    staff, 环评科        staff2 / Staff@2026   staff, 执法支队
    ent    / Ent@2026      enterprise user (the first demo enterprise)
  stop with Ctrl-C

TXT
exec "$BIN" serve --db="$DB" --web-root=web/dist
