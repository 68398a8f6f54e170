#!/usr/bin/env bash
# `ecogov routes` must print the same routes with the same roles and CSRF rule
# as tests/layout/routes.tsv (method, pattern, roles, csrf; sorted; the group
# column is left out: it names the module, which may change in a move).
# A route added or changed on purpose: regenerate with
#   build/asan/ecogov routes | cut -f1-4 | sort > tests/layout/routes.tsv
set -uo pipefail
cd "$(dirname "$0")/../.."
bin=${ECOGOV_BIN:-build/asan/ecogov}
if ! diff -u tests/layout/routes.tsv <("$bin" routes | cut -f1-4 | sort); then
    echo "routes: ecogov routes differs from tests/layout/routes.tsv (above)"
    exit 1
fi
echo "routes: $(wc -l < tests/layout/routes.tsv) routes as recorded"
