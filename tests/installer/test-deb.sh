#!/usr/bin/env bash
# Installs the .deb that `make installer` built, as a cadre's laptop would
# (dpkg -i, as root), finds its desktop entry and the icon the entry names,
# and starts the installed binary (the entry's Exec) under the end-to-end
# harness, which checks it opens on its first screen with its practice
# button. A package that was not installed before is removed again at the
# end (KEEP_INSTALLED=1 keeps it).
#
#   tests/installer/test-deb.sh [path/to/rembug.deb]   (default: the newest in target/release/bundle/deb)
#
# Needs the release build (`make installer`), so it is `make test-installer`,
# not part of `make test`.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

deb="${1:-$(ls -t "$repo"/target/release/bundle/deb/*.deb 2>/dev/null | head -n 1 || true)}"
if [[ -z "$deb" || ! -f "$deb" ]]; then
  echo "installer test: no .deb found; build it first with: make installer" >&2
  exit 2
fi
if [[ "$(id -u)" != 0 ]]; then
  echo "installer test: dpkg -i needs root (run it as root, or with sudo)." >&2
  exit 2
fi

package="$(dpkg-deb --field "$deb" Package)"
was_installed=0
if dpkg-query --show --showformat='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
  was_installed=1
fi
remove() {
  if (( ! was_installed )) && [[ -z "${KEEP_INSTALLED:-}" ]]; then
    dpkg --remove "$package" >/dev/null || true
  fi
}
trap remove EXIT

echo "installer test: dpkg -i $deb"
dpkg -i "$deb"

fail() {
  echo "installer test: $*" >&2
  exit 1
}

# The desktop entry the menu shows, and what it runs and shows.
entry="$(dpkg -L "$package" | grep -E '^/usr/share/applications/[^/]+\.desktop$' | head -n 1 || true)"
[[ -n "$entry" && -f "$entry" ]] || fail "the package installs no desktop entry under /usr/share/applications"

exec_name="$(sed -n 's/^Exec=\([^ ]*\).*/\1/p' "$entry" | head -n 1)"
icon="$(sed -n 's/^Icon=//p' "$entry" | head -n 1)"
[[ -n "$exec_name" ]] || fail "$entry has no Exec line"
[[ -n "$icon" ]] || fail "$entry has no Icon line"
grep -qx 'Type=Application' "$entry" || fail "$entry is not Type=Application"

binary="$(command -v "$exec_name" || true)"
[[ -n "$binary" && -x "$binary" ]] || fail "the entry's Exec ($exec_name) is not an installed program"
dpkg -S "$binary" >/dev/null 2>&1 || fail "$binary does not belong to a package"

icons="$(dpkg -L "$package" | grep -E "^/usr/share/icons/hicolor/[0-9]+x[0-9]+(@2)?/apps/$icon\.png$" || true)"
[[ -n "$icons" ]] || fail "the package installs no hicolor icon named $icon"
for file in $icons; do
  [[ "$(head -c 8 "$file" | od -An -tx1 | tr -d ' \n')" == "89504e470d0a1a0a" ]] || fail "$file is not a PNG"
done

echo "installer test: $entry runs $binary and shows the icon $icon ($(echo "$icons" | wc -l) sizes)"

# The installed binary, started as the end-to-end tests start the app.
E2E_INSTALLED=1 E2E_ONLY='installed' "$repo/tests/e2e/run.sh" "$binary"
