#!/usr/bin/env bash
# The office's dashboard queries at national size (docs/scale.md): a
# throwaway PostgreSQL 15 cluster under /tmp (initdb and pg_ctl as the
# postgres user when run as root, a free loopback port), an office whose
# wilayah is all of Indonesia, a synthetic year loaded by
# `rembug-office synth-year`, then tests/national_queries.rs timing each
# query and a second pass logging every query's plan with auto_explain
# (EXPLAIN ANALYZE, BUFFERS). The cluster is removed at the end; the plans
# are kept in $PLANS.
#
#   npm --prefix scripts/wilayah-indonesia ci
#   node scripts/wilayah-indonesia/convert.mjs /tmp/wilayah-indonesia.csv
#   cargo test --workspace --no-run
#   WILAYAH=/tmp/wilayah-indonesia.csv scripts/bench-office-national.sh
#
# BUNDLES (1000000), YEAR (2028), RUNS (50), PLANS
# (/tmp/rembug-national-plans.log), REMBUG_OFFICE (the rembug-office
# binary, target/debug's by default) and BENCH (the national_queries test
# binary, the newest in target/debug/deps) change what runs. About 6 GB of
# disk while it runs for a million bundles. KEEP=1 leaves the cluster
# running (its folder and URL are printed) for more runs of the benchmark;
# stop it with pg_ctl -m immediate stop and remove its folder after.
set -euo pipefail
cd "$(dirname "$0")/.."

WILAYAH=${WILAYAH:?WILAYAH names the national wilayah CSV (scripts/wilayah-indonesia/convert.mjs)}
BUNDLES=${BUNDLES:-1000000}
YEAR=${YEAR:-2028}
RUNS=${RUNS:-50}
PLANS=${PLANS:-/tmp/rembug-national-plans.log}
OFFICE=$(realpath "${REMBUG_OFFICE:-target/debug/rembug-office}")
BENCH=$(realpath "${BENCH:-$(ls -t target/debug/deps/national_queries-* | grep -v '\.d$' | head -1)}")
PG=/usr/lib/postgresql/15/bin

as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

work=$(as_owner mktemp -d /tmp/rembug-national-XXXXXX)
url=
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cleanup() {
  if [ -n "${KEEP:-}" ]; then
    echo "==> kept: REMBUG_BENCH_DATABASE=$url, cluster in $work (runuser -u postgres -- $PG/pg_ctl -D $work/pg -m immediate stop; rm -rf $work)"
    return
  fi
  as_owner "$PG/pg_ctl" -D "$work/pg" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "==> $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, load average $(cut -d' ' -f1-3 /proc/loadavg); $(df -h /tmp | awk 'NR==2 {print $4}') free"
as_owner "$PG/initdb" -D "$work/pg" -U postgres --auth=trust --no-sync -E UTF8 >/dev/null
# fsync off: the cluster is thrown away; it speeds the load, not the reads.
as_owner "$PG/pg_ctl" -D "$work/pg" -l "$work/pg.log" -w -o "-p $port -k $work -c listen_addresses=127.0.0.1 \
  -c shared_buffers=1GB -c work_mem=32MB -c maintenance_work_mem=512MB -c max_wal_size=1GB \
  -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
psql() { "$PG/psql" -X -q -h 127.0.0.1 -p "$port" -U postgres "$@"; }
psql -d postgres -c "CREATE DATABASE rembug"
url="postgres://postgres@127.0.0.1:$port/rembug"

office() { "$OFFICE" --data "$work/kantor" --database "$url" "$@"; }
office init --name "Kantor uji nasional" --city "Indonesia" </dev/null >/dev/null
office import-wilayah "$WILAYAH"
echo "==> synth-year --year $YEAR --bundles $BUNDLES"
started=$(date +%s)
office synth-year --year "$YEAR" --bundles "$BUNDLES" 2>/dev/null
loaded=$(date +%s)
psql -d rembug -c "VACUUM ANALYZE"
echo "==> loaded in $((loaded - started)) s, VACUUM ANALYZE $(( $(date +%s) - loaded )) s"
psql -d rembug -c "SELECT relname, pg_size_pretty(pg_total_relation_size(oid)) AS total, reltuples::bigint AS rows
  FROM pg_class WHERE relname IN ('bundle', 'bundle_figures', 'bundle_usulan', 'device', 'wilayah') ORDER BY relname"
psql -d rembug -At -c "SELECT 'database: ' || pg_size_pretty(pg_database_size('rembug'))"

REMBUG_BENCH_DATABASE=$url REMBUG_BENCH_RUNS=$RUNS "$BENCH"

# The same queries once more, each plan logged as EXPLAIN (ANALYZE, BUFFERS) would show it.
psql -d rembug -c "ALTER DATABASE rembug SET session_preload_libraries = 'auto_explain'" \
  -c "ALTER DATABASE rembug SET auto_explain.log_min_duration = 0" \
  -c "ALTER DATABASE rembug SET auto_explain.log_analyze = on" \
  -c "ALTER DATABASE rembug SET auto_explain.log_buffers = on"
: >"$work/pg.log"
REMBUG_BENCH_DATABASE=$url REMBUG_BENCH_RUNS=1 "$BENCH" >/dev/null
cp "$work/pg.log" "$PLANS"
echo "==> plans in $PLANS; load average $(cut -d' ' -f1-3 /proc/loadavg)"
