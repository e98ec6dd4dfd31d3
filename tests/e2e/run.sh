#!/usr/bin/env bash
# Runs the end-to-end tests against the built Rembug app.
#
#   tests/e2e/run.sh [path/to/rembug-desktop]    (default: target/debug/rembug-desktop)
#   E2E_ONLY='bundle' tests/e2e/run.sh           (only the tests whose name matches)
#
# Build first (the UI must be built before the app, which embeds ui/dist):
#   npm --prefix ui ci && npm --prefix ui run build && cargo build -p rembug-desktop
#
# Everything runs under a private X server (xvfb-run) and a private D-Bus
# session; every process started here (tauri-driver, WebKitWebDriver, the
# apps, Xvfb) is ended when this script exits, pass or fail.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

app="${1:-target/debug/rembug-desktop}"
case "$app" in
  /*) ;;
  *) app="$repo/$app" ;;
esac

missing=0
need() {
  if ! command -v "$1" >/dev/null 2>&1; then
    echo "e2e: '$1' was not found on PATH. $2" >&2
    missing=1
  fi
}
# tauri-driver is usually in ~/.cargo/bin, which a non-login shell may lack.
PATH="$PATH:${CARGO_HOME:-$HOME/.cargo}/bin"
need node "Install Node.js 20 or newer."
need tauri-driver "Install it with: cargo install tauri-driver --locked --version 2.1.0"
need WebKitWebDriver "Install it with: apt-get install webkit2gtk-driver"
need xvfb-run "Install it with: apt-get install xvfb"
need dbus-run-session "Install it with: apt-get install dbus"
need python3 "Install it with: apt-get install python3"
need openbox "Install it with: apt-get install openbox"
need xprop "Install it with: apt-get install x11-utils"
if [[ ! -x "$app" ]]; then
  echo "e2e: the app binary $app does not exist or is not executable." >&2
  echo "     Build it: npm --prefix ui ci && npm --prefix ui run build && cargo build -p rembug-desktop" >&2
  missing=1
fi
if (( missing )); then
  exit 2
fi
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if (( node_major < 20 )); then
  echo "e2e: Node.js 20 or newer is needed (found $(node --version))." >&2
  exit 2
fi

# Screenshots and logs of this run only (E2E_ARTIFACTS: elsewhere, e.g. for
# two runs at once).
artifacts="${E2E_ARTIFACTS:-$here/artifacts}"
rm -rf "$artifacts"
mkdir -p "$artifacts"
export E2E_ARTIFACTS="$artifacts"

export REMBUG_APP="$app"
# No accessibility bus: it is not there under Xvfb and only slows start-up.
export NO_AT_BRIDGE=1
# The app paints without GPU compositing whatever the environment says
# (src-tauri/src/webview.rs); the harness keeps WebDriver screenshots working
# in that mode (harness.mjs, App.screenshot).
# One locale for every run, so nothing the webview draws depends on the
# machine's (the meeting form's date is read day first in any locale).
export LANG=C.UTF-8 LC_ALL=C.UTF-8

# Every process of this run carries E2E_RUN_ID in its environment (the app
# and the WebKit helpers inherit it through tauri-driver and WebKitWebDriver),
# so cleanup ends exactly those, pass or fail, even if node itself was killed.
export E2E_RUN_ID="e2e-$$-$RANDOM$RANDOM"
# The tests' data folders go into a folder of this run, removed on exit even
# if a test was cut short (E2E_KEEP_DATA=1 keeps it).
run_tmp="$(mktemp -d "${TMPDIR:-/tmp}/rembug-e2e-run.XXXXXX")"
export TMPDIR="$run_tmp"
runner=""
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [[ -n "$runner" ]] && kill -0 "$runner" 2>/dev/null; then
    # timeout(1) leads its own process group: end the whole group.
    kill -TERM -- "-$runner" 2>/dev/null || true
    sleep 2
    kill -KILL -- "-$runner" 2>/dev/null || true
  fi
  local proc pid left=()
  for proc in /proc/[0-9]*; do
    pid="${proc#/proc/}"
    [[ "$pid" == "$$" ]] && continue
    if tr '\0' '\n' 2>/dev/null <"$proc/environ" | grep -qxF "E2E_RUN_ID=$E2E_RUN_ID"; then
      left+=("$pid")
    fi
  done
  if (( ${#left[@]} )); then
    echo "e2e: ending ${#left[@]} leftover process(es): ${left[*]}" >&2
    kill -KILL "${left[@]}" 2>/dev/null || true
  fi
  if [[ -z "${E2E_KEEP_DATA:-}" ]]; then
    rm -rf "$run_tmp"
  else
    echo "e2e: data folders kept in $run_tmp" >&2
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "e2e: testing $app"
start=$(date +%s)
# Runs node's test runner on a private X server of the given screen size,
# `wm` in front when the tests need a window manager; waits for it.
suite() {
  local screen=$1 wm=$2
  shift 2
  # Each run is bounded: about 2 minutes normally, 7 at the most.
  timeout --kill-after=10 420 \
    xvfb-run -a -s "-screen 0 ${screen}x24" \
    dbus-run-session -- \
    bash -c "${wm:+$wm & }exec node --test --test-reporter=spec \"\$@\"" node \
    ${E2E_ONLY:+--test-name-pattern="$E2E_ONLY"} "$@" &
  runner=$!
  wait "$runner"
}
status=0
suite 1600x900 "" "$here/" || status=$?
# Full screen is a window manager's to grant: the projector's own run has
# one, on a projector's 1280×720 screen.
if (( status == 0 )); then
  suite 1280x720 "openbox --sm-disable" "$here/projector.wm.mjs" || status=$?
fi
echo "e2e: finished in $(( $(date +%s) - start )) s with status $status; screenshots and logs in $artifacts/"
exit "$status"
