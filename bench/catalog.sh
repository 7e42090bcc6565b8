#!/usr/bin/env bash
# Benchmarks GET /api/products/{id} of catalog-service in each cache mode, with raw Redis GET
# (redis-benchmark) measured in the same run as the baseline. Needs a Redis and a PostgreSQL:
# REDIS_URL / DATABASE_URL, else the local ones on 127.0.0.1:6379 and :5432 (run ./run first to
# use the embedded pair: REDIS_URL=redis://127.0.0.1:16379 DATABASE_URL=postgresql://postgres@127.0.0.1:15432/souq).
# Usage: bench/catalog.sh [seconds per run, default 15]
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-15}
CONNECTIONS=50
PORT=18181
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/3}
export DATABASE_URL=${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/souq_bench}
export SOUQ_RATE_LIMIT_PER_MINUTE=0

for tool in wrk redis-benchmark; do
  command -v "$tool" >/dev/null || { echo "installing $tool"; apt-get install -y wrk redis-tools >/dev/null; }
done
if [[ "$DATABASE_URL" == *souq_bench ]]; then
  psql -q -h 127.0.0.1 -U postgres -d postgres -c "CREATE DATABASE souq_bench" 2>/dev/null || true
fi
jar=catalog-service/target/quarkus-app/quarkus-run.jar
[ -f "$jar" ] || ./mvnw -B -q package -DskipTests -pl catalog-service -am

redis_host=$(sed -E 's#^redis://([^@]*@)?([^:/]+):?([0-9]*).*#\2#' <<<"$REDIS_URL")
redis_port=$(sed -E 's#^redis://([^@]*@)?([^:/]+):?([0-9]*).*#\3#' <<<"$REDIS_URL"); redis_port=${redis_port:-6379}
echo "# $(date -u +%FT%TZ)  $(nproc) cores; wrk -t2 -c$CONNECTIONS -d${DURATION}s"
baseline=$(redis-benchmark -h "$redis_host" -p "$redis_port" -t get -c "$CONNECTIONS" -n 300000 -q | grep -oE '[0-9.]+ requests per second' | cut -d' ' -f1)
echo "redis-benchmark GET -c $CONNECTIONS: $baseline req/s"

app=""
cleanup() { if [ -n "$app" ]; then kill "$app" 2>/dev/null || true; wait "$app" 2>/dev/null || true; fi; }
trap cleanup EXIT

declare -A rps
for mode in none redis near; do
  CATALOG_CACHE_MODE=$mode QUARKUS_HTTP_PORT=$PORT java -Xmx512m -jar "$jar" > "target/bench-catalog-$mode.log" 2>&1 &
  app=$!
  for _ in $(seq 1 120); do curl -sf "localhost:$PORT/q/health/ready" >/dev/null && break; sleep 0.5; done
  ids=$(curl -s "localhost:$PORT/api/products?size=100" | python3 -c 'import json,sys; print(" ".join(str(p["id"]) for p in json.load(sys.stdin)["items"]))')
  script=$(mktemp --suffix .lua)
  { echo "ids = {$(tr ' ' ',' <<<"$ids")}"; echo 'n = 0'
    echo 'request = function() n = n + 1; return wrk.format("GET", "/api/products/" .. ids[(n % #ids) + 1]) end'; } > "$script"
  wrk -t2 -c"$CONNECTIONS" -d3s -s "$script" "http://localhost:$PORT" >/dev/null   # warm-up (JIT, cache)
  out=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$script" "http://localhost:$PORT")
  rps[$mode]=$(grep -oE 'Requests/sec: +[0-9.]+' <<<"$out" | awk '{print $2}')
  p99=$(grep -E '^ +99%' <<<"$out" | awk '{print $2}')
  paths=$(for id in $ids; do printf '/api/products/%s ' "$id"; done)
  fixed=$(java bench/FixedRate.java "http://localhost:$PORT" 1000 10 $paths)
  echo "mode=$mode: ${rps[$mode]} req/s (p99 at saturation $p99); at 1000 req/s: $fixed; X-Cache $(curl -sI "localhost:$PORT/api/products/$(cut -d' ' -f1 <<<"$ids")" | grep -i x-cache | tr -d '\r')"
  rm -f "$script"; cleanup; app=""
done

python3 - "$baseline" "${rps[none]}" "${rps[redis]}" "${rps[near]}" <<'PY'
import sys
base, none, redis, near = map(float, sys.argv[1:])
print(f"redis/redis-benchmark = {redis/base:.2f} (goal >= 0.25)")
print(f"near/redis-benchmark  = {near/base:.2f} (goal >= 0.5)")
print(f"redis/none            = {redis/none:.2f} (goal >= 3)")
PY
