#!/usr/bin/env bash
# Benchmarks an operator status change end to end: POST /api/orders/{id}/status → commit → outbox
# relay → Redis (XADD + PUBLISH) → notification-service → the owner's WebSocket frame, with
# bench/StatusLatency.java (Vert.x, from the packaged notification-service's libraries).
# catalog, order and notification services run packaged, default configuration except: the rate
# limiter's budget is one no run exhausts (SOUQ_RATE_LIMIT_PER_MINUTE=1000000000: every request
# still pays the limiter, but 100 changes/s from one client IP would run out of the default
# budget). worker-service is not started: it would move the orders itself (process_payment), and
# the path under test does not go through it.
# 500 orders over 50 guest sessions (one WebSocket each); order-service is then restarted, so its
# souq_outbox_lag_seconds quantiles cover the status changes only; then PAID, SHIPPED, DELIVERED
# for every order at RATE changes/s (1,500 changes, 15 s at 100/s; the first second not counted).
# Needs a Redis of its own (pub/sub channels are server-wide) and a PostgreSQL: REDIS_URL /
# DATABASE_URL, else the local ones (database souq_status).
# Usage: bench/status.sh [changes per second, default 100]
set -euo pipefail
cd "$(dirname "$0")/.."
RATE=${1:-100}
SESSIONS=${STATUS_SESSIONS:-50}
ORDERS=${STATUS_ORDERS:-500}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/0}
export DATABASE_URL=${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/souq_status}
export SOUQ_ADMIN_TOKEN=bench-token
export SOUQ_RATE_LIMIT_PER_MINUTE=${SOUQ_RATE_LIMIT_PER_MINUTE:-1000000000}
CATALOG_PORT=${STATUS_PORT_BASE:-18191}
ORDER_PORT=$((CATALOG_PORT + 1))
WS_PORT=$((CATALOG_PORT + 2))
export CATALOG_URL=http://127.0.0.1:$CATALOG_PORT

if [[ "$DATABASE_URL" == *souq_status ]]; then
  psql -q -h 127.0.0.1 -U postgres -d postgres -c "CREATE DATABASE souq_status" 2>/dev/null || true
fi
rhost=$(python3 -c "from urllib.parse import urlparse; print(urlparse('$REDIS_URL').hostname)")
rport=$(python3 -c "from urllib.parse import urlparse; print(urlparse('$REDIS_URL').port or 6379)")
rdb=$(python3 -c "from urllib.parse import urlparse; print(urlparse('$REDIS_URL').path.strip('/') or 0)")
redis-cli -h "$rhost" -p "$rport" -n "$rdb" DEL order_updates:stream tasks >/dev/null
for m in catalog-service order-service notification-service; do
  [ -f $m/target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q package -DskipTests -pl $m -am
done
mkdir -p target
# The client needs Vert.x: the packaged notification-service's own libraries.
CP="notification-service/target/quarkus-app/lib/main/*"

declare -A pids=()
stop() { local p=${pids[$1]:-}; [ -n "$p" ] && kill "$p" 2>/dev/null && wait "$p" 2>/dev/null || true; unset "pids[$1]"; }
cleanup() { for m in "${!pids[@]}"; do stop "$m"; done; }
trap cleanup EXIT
start() { # module port
  local module=$1 port=$2
  QUARKUS_HTTP_PORT="$port" java -Xmx512m -jar "$module/target/quarkus-app/quarkus-run.jar" > "target/bench-status-$module.log" 2>&1 &
  pids[$module]=$!
  for _ in $(seq 1 120); do curl -sf "localhost:$port/q/health/ready" >/dev/null && return; sleep 0.5; done
  echo "$module did not start"; exit 1
}
client() { java -Xmx512m -cp "$CP" bench/StatusLatency.java "$ORDER_PORT" "$WS_PORT" "$SOUQ_ADMIN_TOKEN" "$@"; }

echo "# $(date -u +%FT%TZ)  $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $RATE changes/s, $ORDERS orders, $SESSIONS sessions"
start catalog-service $CATALOG_PORT
start order-service $ORDER_PORT
start notification-service $WS_PORT
client setup target/bench-status-orders.txt "$SESSIONS" "$ORDERS"
# A fresh order-service: its lag quantiles then hold the status changes only.
stop order-service
start order-service $ORDER_PORT
client run target/bench-status-orders.txt "$RATE" "$RATE"
lag=$(curl -s "localhost:$ORDER_PORT/q/metrics" | grep -E '^souq_outbox_lag_seconds(\{|_max)')
echo "$lag" | sed 's/^/  /'
echo "$lag" | awk '/quantile="0.5"/ {printf "RESULT relay_lag_p50_ms=%.2f\n", $NF * 1000} /quantile="0.99"/ {printf "RESULT relay_lag_p99_ms=%.2f\n", $NF * 1000}'
