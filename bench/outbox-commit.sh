#!/usr/bin/env bash
# Benchmarks a commit that writes to order-service's outbox with and without a NOTIFY in it, in
# turns: pgbench inserts one outbox row per transaction with 8 clients (synchronous_commit on, as
# order-service commits), while one session LISTENs as each replica's relay does, and the script
# prints commits/s and latency for each. Until V9 the outbox's trigger NOTIFYed in every such
# commit; a transaction that NOTIFYs takes PostgreSQL's cluster-wide notify lock at commit and holds
# it through its WAL flush, so those commits waited for each other (Lock:object in
# pg_stat_activity). Since V9 the committing replica wakes its own relay, and a relay NOTIFYs only to
# hand rows over to another replica's batch (OutboxRelay).
# A scratch database, souq_outbox_bench, holds order-service's schema as of V8 (the trigger in
# place); the runs without NOTIFY disable the trigger. Needs a superuser on DATABASE_URL's server
# (default postgres@127.0.0.1:5432).
# Usage: bench/outbox-commit.sh [seconds per run, default 10] [rounds, default 3]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${1:-10} ROUNDS=${2:-3}
server=${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/postgres}
case $server in postgresql://*/*) server=${server%/*} ;; esac # the server, without a database
db=souq_outbox_bench
# order-service's commits wait for the WAL flush; a server configured otherwise must not hide it.
export PGOPTIONS='-c client_min_messages=warning -c synchronous_commit=on'
migrations=order-service/src/main/resources/db/migration
command -v pgbench >/dev/null || apt-get install -y postgresql-contrib >/dev/null

work="" feeder=""
cleanup() {
  [ -n "$feeder" ] && kill "$feeder" 2>/dev/null # the listener then reads to EOF and exits
  [ -n "$work" ] && rm -rf "$work"
  psql -q "$server/postgres" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)"
}
trap cleanup EXIT
work=$(mktemp -d)
psql -q "$server/postgres" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"
{
  echo "CREATE SCHEMA orders; SET search_path TO orders;"
  for file in $(ls "$migrations"/V*__*.sql | sort -V); do
    case $(basename "$file") in V[0-8]__*) cat "$file"; echo ;; esac
  done
} | psql -q -v ON_ERROR_STOP=1 "$server/$db" >/dev/null
cat >"$work/commit.sql" <<'SQL'
INSERT INTO orders.outbox (kind, payload) VALUES ('ORDER_UPDATE', '{"order_id":1,"status":"PAID","user_id":"u_bench"}');
SQL
# A relay's listening session, idle between commands as a relay's is between wake-ups. psql reads
# the notifications that arrived at each command it runs, so a command every 50 ms keeps it reading
# them as a relay does; otherwise the server's queue would back up behind it.
mkfifo "$work/listener"
psql -q "$server/$db" <"$work/listener" >/dev/null 2>&1 &
(echo "LISTEN orders_outbox;"; while sleep 0.05; do echo "SELECT 1;"; done) >"$work/listener" &
feeder=$!

settings=$(psql -At "$server/$db" -c "SELECT current_setting('server_version') || ', fsync ' || current_setting('fsync') || ', synchronous_commit ' || current_setting('synchronous_commit')")
echo "# $(date -u +%FT%TZ)  $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); PostgreSQL $settings; one outbox row per commit, 8 clients, ${SECONDS_PER_RUN}s each, $ROUNDS rounds"
for round in $(seq 1 "$ROUNDS"); do
  order=(trigger none); ((round % 2 == 0)) && order=(none trigger)
  for variant in "${order[@]}"; do
    state=ENABLE label="with the NOTIFY trigger (before V9)"
    [ "$variant" = none ] && state=DISABLE label="without it (since V9)"
    psql -q -v ON_ERROR_STOP=1 "$server/$db" \
      -c "ALTER TABLE orders.outbox $state TRIGGER outbox_wakeup" -c "TRUNCATE orders.outbox"
    out=$(pgbench -n -M prepared -f "$work/commit.sql" -c 8 -j 2 -T "$SECONDS_PER_RUN" "$server/$db" 2>&1) ||
      { echo "$out" >&2; exit 1; }
    tps=$(grep -oE 'tps = [0-9.]+' <<<"$out" | awk '{print $3}')
    latency=$(grep -oE 'latency average = [0-9.]+' <<<"$out" | awk '{print $4}')
    queue=$(psql -At "$server/$db" -c "SELECT round(pg_notification_queue_usage()::numeric * 100, 3)")
    echo "round $round, $label: $tps commits/s, latency average $latency ms (notify queue ${queue} % full)"
    echo "RESULT outbox_commit_${variant}_round${round}_tps=$tps"
  done
done
