#!/usr/bin/env bash
# API throughput: GET /api/v1/enterprises?limit=50 on a database of 100,000
# enterprises, beside a static file of the same size served by the same server
# in the same run (wrk, keep-alive, loopback). Prints both and the ratio.
# Not cached: random pages beside the static file with a random query, in alternating rounds;
# besides wall req/s, the server's CPU per request (/proc utime+stime over each wrk run), which
# the other load on a shared machine moves much less.
# Env: BENCH_ENTERPRISES (100000), BENCH_SECONDS (10), BENCH_CONNECTIONS (64), BENCH_ROUNDS (3).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=build/ecogov
N=${BENCH_ENTERPRISES:-100000}
SECS=${BENCH_SECONDS:-10}
CONNS=${BENCH_CONNECTIONS:-64}
WORK=build/bench-api
DB=$WORK/bench-$N.db
mkdir -p "$WORK/www"
command -v wrk >/dev/null || { echo "bench_api: wrk is not installed (make deps)"; exit 1; }

if [ ! -f "$DB" ]; then
    echo "bench_api: building a database of $N enterprises (once, cached in $DB)"
    rm -f "$DB".tmp*
    "$BIN" demo --db="$DB.tmp" --seed 7 --enterprises "$N" >/dev/null 2>&1
    mv "$DB.tmp" "$DB"
    rm -f "$DB.tmp-wal" "$DB.tmp-shm"
fi

out=$(mktemp)
"$BIN" serve --db="$DB" --http-port=0 --web-root="$WORK/www" --hj212-port=0 --log-level=warn >"$out" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -f "$out"' EXIT
for _ in $(seq 100); do grep -q "listening on" "$out" && break; sleep 0.1; done
url=$(grep -o 'http://[0-9.:]*' "$out" | head -1)
[ -n "$url" ] || { cat "$out"; exit 1; }

cookie=$(curl -s -D - -o /dev/null -H 'content-type: application/json' \
    -d '{"username":"leader","password":"Leader@2026"}' "$url/api/v1/auth/login" |
    grep -i '^set-cookie:' | sed -E 's/^[Ss]et-[Cc]ookie: ([^;]*).*/\1/')
api="$url/api/v1/enterprises?limit=50"
curl -s -H "cookie: $cookie" "$api" >"$WORK/www/same-size.json"
bytes=$(stat -c %s "$WORK/www/same-size.json")
grep -q '"items"' "$WORK/www/same-size.json" || { echo "bench_api: API answered no items"; exit 1; }

rate() { # url [header]
    wrk -t2 -c"$CONNS" -d"${SECS}s" ${2:+-H "$2"} "$1" | awk '/Requests\/sec/ {print $2}'
}
# Pages not cached: every request asks for a page after a random enterprise id, so of the
# ~N distinct pages almost none is in the per-thread reply cache (64 slots a thread). Its
# baseline asks for the static file with the same random query (the file server ignores it),
# so wrk spends the same per request on both.
random_lua() { # path -> a wrk script requesting path followed by a random cursor
    printf 'math.randomseed(7)\nrequest = function()\n  return wrk.format(nil, "%s" .. math.random(1, %d))\nend\n' "$1" $((N - 51))
}
random_lua "/api/v1/enterprises?limit=50&after=" >"$WORK/uncached.lua"
random_lua "/same-size.json?after=" >"$WORK/static-random.lua"
server_ticks() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }
hz=$(getconf CLK_TCK)
rate_script() { # script [header] -> "req/s µs-of-server-CPU-per-request"
    local t0 t1
    t0=$(server_ticks)
    wrk -t2 -c"$CONNS" -d"${SECS}s" ${2:+-H "$2"} -s "$1" "$url" >"$WORK/wrk.out"
    t1=$(server_ticks)
    awk -v t0="$t0" -v t1="$t1" -v hz="$hz" '/requests in/ { n = $1 }
        /Requests\/sec/ { r = $2 } END { printf "%s %.1f\n", r, (t1 - t0) / hz / n * 1e6 }' "$WORK/wrk.out"
}
static_rps=$(rate "$url/same-size.json")
api_rps=$(rate "$api" "cookie: $cookie")
# Rounds alternate the two so both see the same machine load; the median round counts.
ROUNDS=${BENCH_ROUNDS:-3}
rounds=""
cpu_rounds=""
for _ in $(seq "$ROUNDS"); do
    read -r sr scpu <<<"$(rate_script "$WORK/static-random.lua")"
    read -r ur ucpu <<<"$(rate_script "$WORK/uncached.lua" "cookie: $cookie")"
    rounds="$rounds$sr $ur $(awk -v a="$ur" -v s="$sr" 'BEGIN { print a / s }')\n"
    cpu_rounds="$cpu_rounds$scpu $ucpu $(awk -v a="$ucpu" -v s="$scpu" 'BEGIN { print s / a }')\n"
done
median_round=$(printf "$rounds" | sort -g -k3 | sed -n "$(((ROUNDS + 1) / 2))p")
read -r static_random_rps uncached_rps _ <<<"$median_round"
printf 'bench_api: %s enterprises, reply %s bytes, %s connections, %ss each\n' "$N" "$bytes" "$CONNS" "$SECS"
printf '  static file, same size:        %10.0f req/s\n' "$static_rps"
printf '  GET /api/v1/enterprises?limit=50: %8.0f req/s\n' "$api_rps"
awk -v a="$api_rps" -v s="$static_rps" 'BEGIN { printf "  ratio api/static: %.2f (aim >= 0.50)\n", a / s }'
printf '  not cached, %s rounds (static file, API, ratio):' "$ROUNDS"
printf "$rounds" | awk '{ printf " %.0f/%.0f/%.2f", $1, $2, $3 } END { print "" }'
printf '  static file, random query:     %10.0f req/s\n' "$static_random_rps"
printf '  API, random pages (not cached): %9.0f req/s\n' "$uncached_rps"
awk -v a="$uncached_rps" -v s="$static_random_rps" \
    'BEGIN { printf "  ratio not cached/static: %.2f (aim >= 0.30)\n", a / s }'
printf '  server CPU per request, %s rounds (static file µs, API µs, ratio):' "$ROUNDS"
printf "$cpu_rounds" | awk '{ printf " %.1f/%.1f/%.3f", $1, $2, $3 } END { print "" }'
median_cpu=$(printf "$cpu_rounds" | sort -g -k3 | sed -n "$(((ROUNDS + 1) / 2))p")
read -r static_cpu uncached_cpu cpu_ratio <<<"$median_cpu"
printf '  server CPU per request, static file: %6.1f us\n' "$static_cpu"
printf '  server CPU per request, not cached:  %6.1f us\n' "$uncached_cpu"
awk -v r="$cpu_ratio" 'BEGIN { printf "  CPU ratio not cached/static (static CPU / API CPU): %.2f (aim >= 0.30)\n", r }'
