#!/usr/bin/env bash
# Benchmarks the outbox relay catching up on a backlog, as after a Redis outage: ROWS order updates
# are committed into the outbox in one transaction, and the script times packaged order-service's
# relay until the outbox is empty (rows/s, from the first sample after its first batch; a count(*)
# every 10 ms, the same load for every build). With BASE_APP (another packaged order-service, e.g.
# a worktree of an older commit), both run in turns, each with a fresh service, and the ratio is
# printed per round. Each start drains one backlog first, for the JIT.
# A scratch database, souq_drain, on DATABASE_URL's server (a postgresql:// URL; default
# postgres@127.0.0.1:5432); a Redis database of its own: REDIS_URL, default
# redis://127.0.0.1:6379/6 (flushed). APP names the packaged order-service to time (default
# order-service/target/quarkus-app), DRAIN_PORT its HTTP port (default 18196; management +1000).
# A drain that has not ended after 2 minutes shows as "?".
# Usage: bench/outbox-drain.sh [rows, default 20000] [rounds, default 3]
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-20000} ROUNDS=${2:-3}
APP=${APP:-order-service/target/quarkus-app}
server=${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/postgres}
case $server in postgresql://*/*) server=${server%/*} ;; esac
db=souq_drain
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/6}
export PGOPTIONS='-c client_min_messages=warning'
PORT=${DRAIN_PORT:-18196}
[ -f "$APP/quarkus-run.jar" ] || ./mvnw -B -q package -DskipTests -pl order-service -am
[ -f devstack/target/souq-devstack.jar ] || ./mvnw -B -q package -DskipTests -pl devstack -am
read -ra jvm_flags <<<"${BENCH_JVM_FLAGS:-$(java -cp devstack/target/souq-devstack.jar dev.souq.devstack.JvmFlags)}"

pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; pid=; }
trap 'cleanup; psql -q "$server/postgres" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)"' EXIT

start() { # app: a fresh database and Redis, the service started and its schema migrated
  cleanup
  psql -q "$server/postgres" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"
  redis-cli -u "$REDIS_URL" FLUSHDB >/dev/null
  DATABASE_URL=$server/$db SOUQ_ADMIN_TOKEN=bench-admin-token-not-for-production-use \
    SOUQ_SERVICE_TOKEN=bench-service-token-not-for-production-use CATALOG_URL=http://127.0.0.1:1 \
    QUARKUS_HTTP_PORT=$PORT QUARKUS_MANAGEMENT_PORT=$((PORT + 1000)) \
    java "${jvm_flags[@]}" -jar "$1/quarkus-run.jar" > target/bench-outbox-drain.log 2>&1 &
  pid=$!
  for _ in $(seq 1 240); do
    curl -sf "localhost:$((PORT + 1000))/q/health/ready" >/dev/null && return 0
    sleep 0.25
  done
  echo "order-service did not become ready (target/bench-outbox-drain.log)" >&2; exit 1
}

# Commits the backlog (100 users, so 100 per-user streams) and prints the drain's rows/s: the rows
# left at the first sample with fewer than committed (the relay's next poll, at most 1 s later,
# starts the drain) over the time from it to the first sample with none; a sample every 10 ms, in
# one psql session. Nothing is printed if the drain ended before the first sample saw it.
drain() {
  psql -q "$server/$db" -c "INSERT INTO orders.outbox (kind, payload)
    SELECT 'ORDER_UPDATE', json_build_object('order_id', i, 'status', 'PAID',
      'timestamp', '2026-11-30T00:00:00Z', 'user_id', 'u_drain_' || (i % 100),
      'event_id', gen_random_uuid())::text
    FROM generate_series(1, $ROWS) i" || return 1
  # psql repeats the query until awk, done, closes the pipe (or the timeout ends it).
  echo "SELECT extract(epoch FROM clock_timestamp()), count(*) FROM orders.outbox \\watch 0.01" |
    timeout 120 psql -qAt -F ' ' "$server/$db" 2>/dev/null |
    awk -v rows="$ROWS" '$2 < rows && !t0 { t0 = $1; left = $2 }
      $2 == 0 { if (t0 && $1 > t0) printf "%.0f\n", left / ($1 - t0); exit }' || true
}

mkdir -p target
apps=("$APP"); [ -n "${BASE_APP:-}" ] && apps+=("$BASE_APP")
echo "# $(date -u +%FT%TZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $ROWS rows per backlog"
for round in $(seq 1 "$ROUNDS"); do
  line="round $round:" rates=()
  for app in "${apps[@]}"; do
    start "$app"
    drain >/dev/null # the JIT's warm-up
    rate=$(drain) || { echo "the backlog could not be written to $server/$db" >&2; exit 1; }
    rates+=("$rate")
    line+=" $app ${rates[-1]:-?} rows/s;"
  done
  if [ ${#rates[@]} -eq 2 ] && [ -n "${rates[0]}" ] && [ -n "${rates[1]}" ]; then
    line+=" ratio $(python3 -c "print(round(${rates[0]} / ${rates[1]}, 3))")"
  fi
  echo "$line"
done
cleanup
