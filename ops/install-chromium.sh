#!/usr/bin/env bash
# Makes headless Chromium and its WebDriver available for the console's browser test, idempotently:
# Debian's `chromium` and `chromium-driver` packages (/usr/bin/chromium, /usr/bin/chromedriver).
#
# - If both are there and run, it does nothing.
# - Otherwise, on Debian/Ubuntu as root (the CI machine), it installs the two packages with apt-get.
# - Elsewhere it says what to install and fails; CHROMIUM_BIN / CHROMEDRIVER_BIN point the test at other copies.
set -euo pipefail

log() { printf '[install-chromium] %s\n' "$*"; }
fail() { printf '[install-chromium] ERROR: %s\n' "$*" >&2; exit 1; }

chromium=${CHROMIUM_BIN:-/usr/bin/chromium}
driver=${CHROMEDRIVER_BIN:-/usr/bin/chromedriver}

works() { [ -x "${chromium}" ] && [ -x "${driver}" ] && "${driver}" --version >/dev/null 2>&1; }

if works; then
  log "$("${driver}" --version | head -n1) at ${driver}, browser ${chromium}"
  exit 0
fi
command -v apt-get >/dev/null 2>&1 || fail "no ${chromium} / ${driver}; install Chromium and its chromedriver (or set CHROMIUM_BIN and CHROMEDRIVER_BIN)"
[ "$(id -u)" = 0 ] || fail "no ${chromium} / ${driver}; run as root to install Debian's chromium and chromium-driver (apt-get)"
log "installing Debian's chromium and chromium-driver"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
works || fail "chromium-driver installed but ${driver} does not run"
log "$("${driver}" --version | head -n1) installed"
