#!/usr/bin/env bash
# Installs the Debian packages ecogov builds and tests with, only when missing.
# Idempotent and quiet when everything is present. Run as root (or with sudo available).
set -euo pipefail

pkgs=(build-essential pkg-config clang libclang-rt-14-dev
      libmicrohttpd-dev libevent-dev libsqlite3-dev libjansson-dev libsodium-dev
      libgeos-dev libproj-dev libxlsxwriter-dev libqrencode-dev libcurl4-openssl-dev libcmocka-dev libcsv-dev libshp-dev
      libopenblas-dev libminizip-dev libxml2-dev liblunar-date-dev libglib2.0-dev
      libpango1.0-dev libcairo2-dev fonts-wqy-microhei poppler-utils
      postgresql postgresql-15-postgis-3
      clickhouse-server clickhouse-client
      sqlite3 wrk curl ca-certificates)
pkgs+=(libexif-dev) # EXIF GPS of river-patrol photos

missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
