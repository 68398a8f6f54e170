#!/usr/bin/env bash
# Installs what the web UI and the browser tests need, only when missing:
#   node + npm (Debian packages), Debian's chromium (the browser tests never download one),
#   a CJK font (so screenshots show Chinese text), and the npm packages pinned in
#   web/package-lock.json and tests/browser/package-lock.json (npm ci, re-run when a lock file
#   is newer than its node_modules). Idempotent and quiet on success. Run as root (or with sudo).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

apt_missing=()
command -v node >/dev/null 2>&1 || apt_missing+=(nodejs)
command -v npm >/dev/null 2>&1 || apt_missing+=(npm)
[ -x /usr/bin/chromium ] || apt_missing+=(chromium)
dpkg-query -W -f='${Status}' fonts-wqy-microhei 2>/dev/null | grep -q "install ok installed" ||
    apt_missing+=(fonts-wqy-microhei)

if [ ${#apt_missing[@]} -gt 0 ]; then
    echo "deps-web: installing ${apt_missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends "${apt_missing[@]}" >/dev/null
fi

# The build tools (vite 8, rolldown) need node >= 20.19; Debian 12's own nodejs is 18. Say so
# plainly rather than fail later inside the build.
if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)'; then
    echo "deps-web: node $(node --version) is too old: the web build needs node >= 20.19" >&2
    exit 1
fi

# npm ci in $1 when node_modules is missing, was emptied (npm writes its own
# node_modules/.package-lock.json on every install), or was installed from another
# package-lock.json (its hash is kept in node_modules/.ecogov-lock: a content check, not a
# timestamp, so a fresh checkout or a worktree sharing node_modules does not reinstall).
npm_ci() {
    local dir="$1" want have=""
    want=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
    [ -f "$dir/node_modules/.ecogov-lock" ] && have=$(cat "$dir/node_modules/.ecogov-lock")
    if [ ! -f "$dir/node_modules/.package-lock.json" ] || [ "$want" != "$have" ]; then
        echo "deps-web: npm ci in ${dir#"$root"/}"
        (cd "$dir" && npm ci --no-fund --no-audit --loglevel=error >/dev/null)
        echo "$want" >"$dir/node_modules/.ecogov-lock"
    fi
}

npm_ci "$root/web"
npm_ci "$root/tests/browser"
