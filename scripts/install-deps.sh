#!/usr/bin/env bash
# Installs what Rembug needs to build (`run`) or to build and test (`test`)
# and is missing on a Debian 12 / Ubuntu 22.04+ machine. Installs system
# packages through apt as root or with sudo; otherwise prints the apt line.
set -euo pipefail

mode=${1:-run}
root=$(cd "$(dirname "$0")/.." && pwd)

packages=(build-essential pkg-config libwebkit2gtk-4.1-dev libgtk-3-dev librsvg2-dev
          libayatana-appindicator3-dev libsoup-3.0-dev)
if [ "$mode" = test ]; then
  # The end-to-end tests drive the real app in a virtual display; the
  # projector's full screen is checked under openbox with xprop; the
  # document tests read the PDFs back with pdftotext, pdfinfo and pdftoppm;
  # the office dashboard's tests drive Debian's chromium; jq finds the
  # office's test binaries for their second run on PostgreSQL.
  packages+=(webkit2gtk-driver xvfb xauth x11-utils openbox dbus poppler-utils chromium jq)
  # The office's tests run on PostgreSQL too, in a throwaway cluster of
  # their own: Debian 12's PostgreSQL 15 (another release's own version
  # where it has no 15; the tests find /usr/lib/postgresql/*/bin).
  if [ -x /usr/lib/postgresql/15/bin/initdb ] || ! command -v apt-cache >/dev/null \
     || apt-cache show postgresql-15 >/dev/null 2>&1; then
    packages+=(postgresql-15)
  else
    packages+=(postgresql)
  fi
fi

if command -v dpkg-query >/dev/null; then
  missing=()
  for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "==> Installing system packages: ${missing[*]}"
    if [ "$(id -u)" -eq 0 ]; then
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
    elif command -v sudo >/dev/null; then
      sudo apt-get update -qq
      sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
    else
      echo "Rembug needs these system packages. Install them with:" >&2
      echo "  apt-get install ${missing[*]}" >&2
      exit 1
    fi
  fi
else
  echo "Not a Debian-like system: install the WebKitGTK 4.1 development packages yourself (see README.md)." >&2
fi

for tool in cargo node npm; do
  command -v "$tool" >/dev/null || { echo "Rembug needs $tool on the PATH (see README.md)." >&2; exit 1; }
done
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "Rembug's UI build needs Node.js 20 or newer; this machine has $(node --version)." >&2
  exit 1
fi

# npm ci only when the lock file changed since the last install.
stamp="$root/ui/node_modules/.package-lock.json"
if [ ! -f "$stamp" ] || [ "$root/ui/package-lock.json" -nt "$stamp" ]; then
  echo "==> Installing UI packages (npm ci)"
  (cd "$root/ui" && npm ci --no-audit --no-fund)
fi

if [ "$mode" = test ] && ! command -v tauri-driver >/dev/null; then
  echo "==> Installing tauri-driver (WebDriver bridge for the end-to-end tests)"
  cargo install tauri-driver --version 2.1.0 --locked
fi

if [ "$mode" = test ] && ! cargo fuzz --version >/dev/null 2>&1; then
  echo "==> Installing cargo-fuzz (fuzzing of the bundle reader)"
  cargo install cargo-fuzz --locked
fi
