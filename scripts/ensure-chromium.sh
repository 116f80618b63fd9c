#!/usr/bin/env bash
# The e2e suite drives Debian's Chromium (/usr/bin/chromium); never a browser downloaded by a test tool.
set -euo pipefail
chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
[ -x "$chromium" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's chromium for the e2e tests..."
  DEBIAN_FRONTEND=noninteractive apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
else
  echo "The e2e tests need Chromium at $chromium: run 'sudo apt-get install -y chromium' (Debian/Ubuntu)," >&2
  echo "or set CHROMIUM_PATH to a Chromium binary." >&2
  exit 1
fi
