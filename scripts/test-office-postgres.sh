#!/usr/bin/env bash
# The office's tests (crates/rembug-office: the store's unit tests, cli,
# dashboard, faults, sync) a second time with their index in PostgreSQL:
# each test binary starts a throwaway cluster of its own (initdb and pg_ctl
# as an unprivileged user, a temporary folder, a free loopback port; see
# crates/rembug-office/tests/support/cluster.rs) and removes it when it
# ends. Runs the binaries `cargo test --workspace` built, so nothing is
# compiled again. Skipped, saying so, where PostgreSQL is not installed.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${REMBUG_PG_BIN:-}" ] && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "==> PostgreSQL is not installed: the office's tests ran on SQLite only (scripts/install-deps.sh test installs it)"
  exit 0
fi

mapfile -t binaries < <(cargo test --workspace --no-run --message-format=json 2>/dev/null \
  | jq -r 'select(.reason == "compiler-artifact" and .executable != null
                  and (.package_id | test("rembug-office")) and .profile.test) | .executable')
[ ${#binaries[@]} -gt 0 ] || { echo "no rembug-office test binaries found" >&2; exit 1; }

started=$(date +%s)
cd crates/rembug-office
for binary in "${binaries[@]}"; do
  echo "==> $(basename "$binary") on PostgreSQL"
  REMBUG_OFFICE_TEST_STORE=postgres "$binary" "$@"
done
echo "==> the office's tests on PostgreSQL took $(( $(date +%s) - started )) s"
