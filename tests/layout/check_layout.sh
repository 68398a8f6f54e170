#!/usr/bin/env bash
# The module layout's limits (docs/architecture.md), checked on every `make test`:
#   1. SQLite is called only in the database layer (src/db/) and in modules'
#      store*/schema* files;
#   2. no C file under src/ is over 1,000 lines;
#   3. src/core, src/domain and src/net include nothing from src/modules/ or
#      src/app/; src/db includes nothing from src/modules/ or src/app/;
#      src/app includes nothing from src/modules/ except app/modules.c (the one
#      table of modules).
# Prints each offending file with the rule it breaks; exits 1 when any does.
set -uo pipefail
cd "$(dirname "$0")/../.."
bad=0
say() { echo "layout: $*"; bad=1; }

while IFS= read -r f; do
    case $f in
        src/db/*) ;;
        src/modules/*/store*.c|src/modules/*/store*.h|src/modules/*/schema*.c|src/modules/*/schema*.h) ;;
        *) say "$f calls SQLite (only the database layer and modules' store and schema files may)" ;;
    esac
done < <(grep -rlE '\bsqlite3_[a-z_]+|<sqlite3\.h>' src --include='*.c' --include='*.h' | sort)

while read -r n f; do
    [ "$f" = total ] && continue
    [ "$n" -gt 1000 ] && say "$f has $n lines (at most 1,000)"
done < <(find src -name '*.c' -print0 | xargs -0 wc -l)

for dir in src/core src/domain src/net src/db; do
    while IFS= read -r hit; do
        say "${hit%%:*} includes ${hit#*:} (${dir#src/}/ must not depend on app/ or modules/)"
    done < <(grep -rnoE '#include "(modules|app)/[^"]+"' "$dir" | sed -E 's/:[0-9]+:#include /:/')
done
while IFS= read -r hit; do
    f=${hit%%:*}
    [ "$f" = src/app/modules.c ] && continue
    say "$f includes ${hit#*:} (app/ reaches modules only through app/modules.c)"
done < <(grep -rnoE '#include "modules/[^"]+"' src/app | sed -E 's/:[0-9]+:#include /:/')

if [ $bad -eq 0 ]; then echo "layout: ok"; fi
exit $bad
