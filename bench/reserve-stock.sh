#!/usr/bin/env bash
# Benchmarks catalog.reserve_stock, checkout's longest PostgreSQL statement (it waits for its
# products' row locks), as two catalog migrations define it, in turns: pgbench calls each with 8
# clients over prepared statements, as catalog-service does (2 lines a call, over the 36 seeded
# products, plenty of stock), and the script prints calls/s and PostgreSQL's CPU per call: the
# server's processes, and its backends that exited, from the postmaster's reaped-children time (so
# the server must run on this machine).
# A scratch database, souq_reserve_bench, holds the catalog's schema from every migration; each
# version's function is installed beside the live one as reserve_stock_v<N>. Needs a superuser on
# DATABASE_URL's server (default postgres@127.0.0.1:5432).
# Usage: bench/reserve-stock.sh OLD NEW [seconds per run, default 15] [rounds, default 4]
#   e.g. bench/reserve-stock.sh 5 6
set -euo pipefail
cd "$(dirname "$0")/.."
OLD=$1 NEW=$2 SECONDS_PER_RUN=${3:-15} ROUNDS=${4:-4}
server=${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/postgres}
case $server in postgresql://*/*) server=${server%/*} ;; esac # the server, without a database
db=souq_reserve_bench
export PGOPTIONS='-c client_min_messages=warning' # no NOTICE for each DROP … IF EXISTS or TRUNCATE
migrations=catalog-service/src/main/resources/db/migration
command -v pgbench >/dev/null || apt-get install -y postgresql-contrib >/dev/null
postmaster=$(head -1 "$(psql -At "$server/postgres" -c 'SHOW data_directory')/postmaster.pid")
[ -r "/proc/$postmaster/stat" ] || { echo "PostgreSQL's postmaster ($postmaster) is not on this machine"; exit 1; }

# The function as migration V<n> creates it, renamed reserve_stock_v<n>.
function_of() {
  awk '/^CREATE (OR REPLACE )?FUNCTION reserve_stock\(/ {on = 1} on {print} on && /^\$\$;/ {exit}' \
    "$migrations"/V"$1"__*.sql | sed -E "1s/FUNCTION reserve_stock\(/FUNCTION reserve_stock_v$1(/; 1s/CREATE OR REPLACE/CREATE/"
}
psql -q "$server/postgres" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" 2>/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"; psql -q "$server/postgres" -c "DROP DATABASE IF EXISTS $db" 2>/dev/null' EXIT
{
  echo "CREATE SCHEMA catalog; SET search_path TO catalog;"
  for file in $(ls "$migrations"/V*__*.sql | sort -V); do cat "$file"; echo; done
  function_of "$OLD"
  function_of "$NEW"
  echo "UPDATE product SET stock = 1000000000;"
} | psql -q -v ON_ERROR_STOP=1 "$server/$db" >/dev/null
for v in "$OLD" "$NEW"; do
  cat >"$work/v$v.sql" <<SQL
\set a random(1, 36)
SELECT * FROM catalog.reserve_stock_v$v(gen_random_uuid(), 1, ARRAY[:a, (:a % 36) + 1]::bigint[], ARRAY[1, 2]);
SQL
done

cpu_ticks() { # the postmaster, its live children, and the children it has reaped
  local t=0 f p
  read -ra f <"/proc/$postmaster/stat"; t=$((f[13] + f[14] + f[15] + f[16]))
  for p in $(pgrep -P "$postmaster"); do { read -ra f <"/proc/$p/stat"; } 2>/dev/null && t=$((t + f[13] + f[14])); done
  echo "$t"
}
# The run's backends, gone: read while one is exiting, its CPU could count twice, or not at all.
backends_gone() { for _ in $(seq 1 100); do pgrep -P "$postmaster" -f " $db " >/dev/null || return 0; sleep 0.1; done; }
echo "# $(date -u +%FT%TZ)  $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); reserve_stock of V$OLD and V$NEW, ${SECONDS_PER_RUN}s each, $ROUNDS rounds"
for round in $(seq 1 "$ROUNDS"); do
  order=("$OLD" "$NEW"); ((round % 2 == 0)) && order=("$NEW" "$OLD")
  for v in "${order[@]}"; do
    # Each run from the same tables: no reservations yet, product's dead row versions gone.
    psql -q -v ON_ERROR_STOP=1 "$server/$db" -c "TRUNCATE catalog.stock_reservation, catalog.cache_invalidation CASCADE"
    psql -q "$server/$db" -c "VACUUM catalog.product"
    backends_gone
    before=$(cpu_ticks)
    out=$(pgbench -n -M prepared -f "$work/v$v.sql" -c 8 -j 2 -T "$SECONDS_PER_RUN" "$server/$db" 2>&1) ||
      { echo "$out" >&2; exit 1; }
    backends_gone
    after=$(cpu_ticks)
    calls=$(grep -oE 'actually processed: [0-9]+' <<<"$out" | grep -oE '[0-9]+$')
    tps=$(grep -oE 'tps = [0-9.]+' <<<"$out" | awk '{print $3}')
    us=$(python3 -c "print(f'{($after - $before) / $(getconf CLK_TCK) / $calls * 1e6:.0f}')")
    echo "round $round, V$v: $tps calls/s, PostgreSQL CPU $us µs per call"
    echo "RESULT reserve_stock_v${v}_round${round}_us=$us"
  done
done
