#!/usr/bin/env bash
# make test: unit (cmocka, ASan+UBSan), fuzz smoke runs, integration and browser
# tests against the real server, the load-and-abuse suite (tests/abuse, bounded in time); ends with one line "N passed, N failed".
# Usage: scripts/test.sh [lint|unit|fuzz|integration|browser|abuse]...  (default: all)
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
export ECOGOV_BIN="$ROOT/build/asan/ecogov"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
LOG=build/test-logs
mkdir -p "$LOG"
passed=0
failed=0
failures=()

record() { # name status
    if [ "$2" -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); failures+=("$1"); fi
}

# The vector levels of src/core/simd.h this CPU has, narrowest first.
simd_levels() {
    echo sse2
    grep -qw avx2 /proc/cpuinfo 2>/dev/null && echo avx2
    grep -qw avx512bw /proc/cpuinfo 2>/dev/null && echo avx512
}

run_unit() {
    local levels
    levels=$(simd_levels | head -n -1) # the machine's own level is the plain run
    for t in $(find build/asan/unit -type f -name 'test_*' ! -name '*.d' | sort); do
        [ -x "$t" ] || continue
        run_unit_binary "$t" "$(basename "$t")"
        # The HJ 212 codec's run-time SIMD paths: once more per narrower level, so a broken
        # path fails here whatever the machine.
        case ${t##*/} in test_hj212 | test_hj212_ref | test_hj212_cp | test_simd)
            for l in $levels; do run_unit_binary "$t" "$(basename "$t")@$l" "$l"; done ;;
        esac
    done
}

run_unit_binary() { # path name [simd level; empty: the machine's own]
    local t=$1 name=$2 st p f
    if ECOGOV_SIMD=${3:-} "$t" >"$LOG/$name.log" 2>&1; then st=0; else st=1; fi
    # cmocka prints "[  PASSED  ] N test(s)." and "[  FAILED  ] N test(s)..."
    p=$(grep -oE '^\[  PASSED  \] [0-9]+' "$LOG/$name.log" | grep -oE '[0-9]+$' | tail -1)
    f=$(grep -oE '^\[  FAILED  \] [0-9]+' "$LOG/$name.log" | grep -oE '[0-9]+$' | tail -1)
    passed=$((passed + ${p:-0}))
    failed=$((failed + ${f:-0}))
    if [ "$st" -ne 0 ]; then
        [ -z "$f" ] && failed=$((failed + 1))
        failures+=("unit:$name")
        tail -30 "$LOG/$name.log"
    fi
    echo "unit  $name: ${p:-0} passed, ${f:-0} failed"
}

run_fuzz() {
    for f in build/fuzz/fuzz_*; do
        [ -x "$f" ] || continue
        name=${f##*/fuzz_}
        corpus=tests/fuzz/corpus/$name
        work=$(mktemp -d)
        [ -d "$corpus" ] && cp -r "$corpus/." "$work/"
        if "$f" -max_total_time="${FUZZ_SMOKE_SECONDS:-15}" -rss_limit_mb=2048 \
            -artifact_prefix="$LOG/fuzz-$name-" "$work" >"$LOG/fuzz_$name.log" 2>&1; then st=0; else st=1; fi
        rm -rf "$work"
        record "fuzz:$name" $st
        echo "fuzz  $name: $([ $st -eq 0 ] && echo clean || echo CRASH, see $LOG/fuzz_$name.log)"
    done
}

# House rules no compiler checks: git's banned.h list, and no placeholders.
run_lint() {
    local bad
    bad=$(grep -rnE '\b(strcpy|strcat|sprintf|vsprintf|strtok|atoi|atol|gets)[[:space:]]*\(' src || true)
    record "lint:banned-functions" "$([ -z "$bad" ] && echo 0 || echo 1)"
    [ -n "$bad" ] && echo "$bad"
    bad=$(grep -rnE '\b(TODO|FIXME|XXX)\b|not implemented' src web/src || true)
    record "lint:placeholders" "$([ -z "$bad" ] && echo 0 || echo 1)"
    [ -n "$bad" ] && echo "$bad"
    tests/layout/check_layout.sh >"$LOG/layout.log" 2>&1
    st=$?
    record "lint:layout" $st
    [ $st -ne 0 ] && cat "$LOG/layout.log"
    tests/layout/check_routes.sh >"$LOG/routes.log" 2>&1
    st=$?
    record "lint:routes" $st
    [ $st -ne 0 ] && cat "$LOG/routes.log"
    echo "lint: done"
}

run_node() { # kind dir
    local kind=$1 dir=$2
    local files
    files=$(find "$dir" -name '*.test.mjs' -not -path '*/node_modules/*' | sort)
    [ -n "$files" ] || return 0
    # A file whose tests are done ends even if a handle a failed test left open would keep
    # its process alive (--test-force-exit), and no test waits more than 10 min: a hung
    # test fails instead of holding the whole run.
    # shellcheck disable=SC2086 # one argument per test file
    node --test --test-reporter=tap --test-concurrency=1 --test-force-exit --test-timeout=600000 $files >"$LOG/$kind.tap" 2>&1
    local st=$?
    p=$(grep -E '^# pass ' "$LOG/$kind.tap" | awk '{print $3}' | tail -1)
    f=$(grep -E '^# fail ' "$LOG/$kind.tap" | awk '{print $3}' | tail -1)
    passed=$((passed + ${p:-0}))
    failed=$((failed + ${f:-0}))
    if [ "$st" -ne 0 ]; then
        [ "${f:-0}" -eq 0 ] && failed=$((failed + 1))
        failures+=("$kind")
        grep -E '^not ok|^    (not ok|error|expected|actual|message)|^  ---|failureType' "$LOG/$kind.tap" | head -60
    fi
    echo "$kind: ${p:-0} passed, ${f:-0} failed"
}

kinds=("$@")
[ ${#kinds[@]} -eq 0 ] && kinds=(lint unit fuzz integration browser abuse)
for k in "${kinds[@]}"; do
    case $k in
        lint) run_lint ;;
        unit) run_unit ;;
        fuzz) run_fuzz ;;
        integration) run_node integration tests/integration ;;
        browser) run_node browser tests/browser ;;
        abuse) run_node abuse tests/abuse ;;
        *) echo "unknown test kind $k"; exit 2 ;;
    esac
done

echo
[ ${#failures[@]} -gt 0 ] && echo "failed: ${failures[*]} (logs in $LOG)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
