#!/usr/bin/env bash
# Benchmarks order-service: a cheap endpoint with the rate limiter on vs off, orders placed per
# second, and the outbox lag from commit to Redis (p50/p99 of souq_outbox_lag_seconds).
# Needs a Redis and a PostgreSQL: REDIS_URL / DATABASE_URL, else the local ones.
# Usage: bench/order.sh [seconds per run, default 10]
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-10}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/3}
export DATABASE_URL=${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/souq_bench}
export SOUQ_ADMIN_TOKEN=bench-token
CATALOG_PORT=18181
ORDER_PORT=18182
export CATALOG_URL=http://127.0.0.1:$CATALOG_PORT

command -v wrk >/dev/null || apt-get install -y wrk >/dev/null
if [[ "$DATABASE_URL" == *souq_bench ]]; then
  psql -q -h 127.0.0.1 -U postgres -d postgres -c "CREATE DATABASE souq_bench" 2>/dev/null || true
fi
for m in catalog-service order-service; do
  [ -f $m/target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q package -DskipTests -pl $m -am
done

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; pids=(); }
trap cleanup EXIT
start() { # module port env...
  local module=$1 port=$2; shift 2
  env "$@" QUARKUS_HTTP_PORT="$port" java -Xmx512m -jar "$module/target/quarkus-app/quarkus-run.jar" > "target/bench-$module.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 120); do curl -sf "localhost:$port/q/health/ready" >/dev/null && return; sleep 0.5; done
  echo "$module did not start"; exit 1
}
rate() { grep -oE 'Requests/sec: +[0-9.]+' | awk '{print $2}'; }
mkdir -p target
echo "# $(date -u +%FT%TZ)  $(nproc) cores; wrk -t2 -c50 -d${DURATION}s"

start catalog-service $CATALOG_PORT SOUQ_RATE_LIMIT_PER_MINUTE=0
# Limiter on (a budget no run can exhaust, so every request pays the Redis script) vs off.
start order-service $ORDER_PORT SOUQ_RATE_LIMIT_PER_MINUTE=1000000000
wrk -t2 -c50 -d3s "http://localhost:$ORDER_PORT/api/sessions/current" >/dev/null
on=$(wrk -t2 -c50 -d"${DURATION}s" "http://localhost:$ORDER_PORT/api/sessions/current" | rate)
kill "${pids[1]}"; wait "${pids[1]}" 2>/dev/null || true; unset 'pids[1]'
start order-service $ORDER_PORT SOUQ_RATE_LIMIT_PER_MINUTE=0
wrk -t2 -c50 -d3s "http://localhost:$ORDER_PORT/api/sessions/current" >/dev/null
off=$(wrk -t2 -c50 -d"${DURATION}s" "http://localhost:$ORDER_PORT/api/sessions/current" | rate)
echo "GET /api/sessions/current (401): limiter on $on req/s, off $off req/s, on/off = $(python3 -c "print(f'{$on/$off:.2f}')") (goal >= 0.9)"

cookie=$(curl -si -X POST "localhost:$ORDER_PORT/api/sessions" | grep -oE 'SOUQ_SESSION=[^;]+')
script=$(mktemp --suffix .lua)
cat > "$script" <<LUA
wrk.method = "POST"
wrk.body = '{"items":[{"product_id":1,"quantity":1},{"product_id":2,"quantity":2}]}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Cookie"] = "$cookie"
LUA
wrk -t2 -c16 -d3s -s "$script" "http://localhost:$ORDER_PORT/api/orders" >/dev/null
orders=$(wrk -t2 -c16 -d"${DURATION}s" -s "$script" "http://localhost:$ORDER_PORT/api/orders" | rate)
echo "POST /api/orders (2 lines, catalog lookups, 1 transaction, 3 outbox messages): $orders orders/s"
curl -s "localhost:$ORDER_PORT/q/metrics" | grep -E '^souq_outbox_lag_seconds(\{quantile|_count|_max)' | sed 's/^/  /'
rm -f "$script"
