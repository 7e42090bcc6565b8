#!/usr/bin/env bash
# Benchmarks catalog.reserve_stock, checkout's costliest PostgreSQL statement, as two catalog
# migrations define it, in turns: pgbench calls each with 8 clients (2 lines each, over the 36 seeded
# products, plenty of stock) and the script prints calls/s and PostgreSQL's CPU per call (every
# postgres process, and the backends that exited, from the postmaster's reaped-children time).
# A scratch database, souq_reserve_bench, holds the catalog's schema from every migration; each
# version's function is installed beside the live one as reserve_stock_v<N>.
# Needs a local PostgreSQL (DATABASE_URL's server, superuser; default postgres@127.0.0.1:5432) and
# its postmaster's pid file for the CPU figure (PG_PID_FILE, default Debian's).
# Usage: bench/reserve-stock.sh OLD NEW [seconds per run, default 15] [rounds, default 4]
#   e.g. bench/reserve-stock.sh 5 6
set -euo pipefail
cd "$(dirname "$0")/.."
OLD=$1 NEW=$2 SECONDS_PER_RUN=${3:-15} ROUNDS=${4:-4}
server=${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/postgres}
server=${server%/*}
db=souq_reserve_bench
migrations=catalog-service/src/main/resources/db/migration
pid_file=${PG_PID_FILE:-/var/run/postgresql/15-main.pid}
command -v pgbench >/dev/null || apt-get install -y postgresql-contrib >/dev/null

# The function as migration V<n> creates it, renamed reserve_stock_v<n>.
function_of() {
  awk '/^CREATE (OR REPLACE )?FUNCTION reserve_stock\(/ {on = 1} on {print} on && /^\$\$;/ {exit}' \
    "$migrations"/V"$1"__*.sql | sed -E "1s/FUNCTION reserve_stock\(/FUNCTION reserve_stock_v$1(/; 1s/CREATE OR REPLACE/CREATE/"
}
psql -q "$server/postgres" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" 2>/dev/null
{
  echo "CREATE SCHEMA catalog; SET search_path TO catalog;"
  for file in $(ls "$migrations"/V*__*.sql | sort -V); do cat "$file"; echo; done
  function_of "$OLD"
  function_of "$NEW"
  echo "UPDATE product SET stock = 1000000000;"
} | psql -q -v ON_ERROR_STOP=1 "$server/$db" >/dev/null
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
for v in "$OLD" "$NEW"; do
  cat >"$work/v$v.sql" <<SQL
\set a random(1, 36)
SELECT * FROM catalog.reserve_stock_v$v(gen_random_uuid(), 1, ARRAY[:a, (:a % 36) + 1]::bigint[], ARRAY[1, 2]);
SQL
done

postmaster=$(head -1 "$pid_file" 2>/dev/null || true)
cpu_ticks() { # every postgres process, plus the backends the postmaster has reaped
  local t=0 f p
  for p in $(pgrep -x postgres); do { read -ra f <"/proc/$p/stat"; } 2>/dev/null && t=$((t + f[13] + f[14])); done
  [ -n "$postmaster" ] && read -ra f <"/proc/$postmaster/stat" && t=$((t + f[15] + f[16]))
  echo "$t"
}
echo "# $(date -u +%FT%TZ)  $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); reserve_stock of V$OLD and V$NEW, ${SECONDS_PER_RUN}s each, $ROUNDS rounds"
for round in $(seq 1 "$ROUNDS"); do
  order=("$OLD" "$NEW"); ((round % 2 == 0)) && order=("$NEW" "$OLD")
  for v in "${order[@]}"; do
    # Each run from the same tables: no reservations yet, product's dead row versions gone.
    psql -q "$server/$db" -c "TRUNCATE catalog.stock_reservation, catalog.cache_invalidation CASCADE" \
      -c "VACUUM catalog.product" 2>/dev/null
    before=$(cpu_ticks)
    out=$(pgbench -n -f "$work/v$v.sql" -c 8 -j 2 -T "$SECONDS_PER_RUN" "$server/$db" 2>&1)
    after=$(cpu_ticks)
    calls=$(grep -oE 'actually processed: [0-9]+' <<<"$out" | grep -oE '[0-9]+$')
    tps=$(grep -oE 'tps = [0-9.]+' <<<"$out" | awk '{print $3}')
    us=$(python3 -c "print(f'{($after - $before) / $(getconf CLK_TCK) / $calls * 1e6:.0f}')")
    echo "round $round, V$v: $tps calls/s, PostgreSQL CPU $us µs per call"
    echo "RESULT reserve_stock_v${v}_round${round}_us=$us"
  done
done
psql -q "$server/postgres" -c "DROP DATABASE $db"
