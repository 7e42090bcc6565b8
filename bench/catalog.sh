#!/usr/bin/env bash
# Benchmarks GET /api/products/{id} of catalog-service: cache modes `redis` and `near`, each with
# the rate limiter on and off, and mode `none`, with raw Redis GET (redis-benchmark) measured in
# the same run as the baseline. "Limiter on" is SOUQ_RATE_LIMIT_PER_MINUTE=10000000: a budget
# no run exhausts, so every request pays the check and none is refused; "off" is 0.
# The service runs with the JVM flags ./run gives it (dev.souq.devstack.JvmFlags).
# Needs a Redis and a PostgreSQL: REDIS_URL / DATABASE_URL, else the local ones on 127.0.0.1:6379
# and :5432 (or run ./run first to use the embedded pair: REDIS_URL=redis://127.0.0.1:16379
# DATABASE_URL=postgresql://postgres@127.0.0.1:15432/souq).
# Usage: bench/catalog.sh [seconds per run, default 15] [configs, default "redis:on redis:off near:on near:off none:off"]
# Env: BENCH_CATALOG_PORT (18181), BENCH_WARMUP (10 s of wrk before each measured run), BENCH_JVM_FLAGS replaces the JVM flags (A/B runs), BENCH_FIXED_RATE=0 skips the 1000 req/s latency probe,
# BENCH_PIN="taskset -c 1" runs wrk pinned (bench/all.sh sets it).
# Prints RESULT catalog_<mode>_<on|off>=req/s and RESULT redis_get_c50=req/s.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-15}
CONFIGS=${2:-"redis:on redis:off near:on near:off none:off"}
CONNECTIONS=50
PORT=${BENCH_CATALOG_PORT:-18181}
MANAGEMENT_PORT=$((PORT + 1000))   # /q/* (health, metrics)
PIN=${BENCH_PIN:-}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/3}
export DATABASE_URL=${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/souq_bench}

for tool in wrk redis-benchmark; do
  command -v "$tool" >/dev/null || { echo "installing $tool"; apt-get install -y wrk redis-tools >/dev/null; }
done
if [[ "$DATABASE_URL" == *souq_bench ]]; then
  psql -q -h 127.0.0.1 -U postgres -d postgres -c "CREATE DATABASE souq_bench" 2>/dev/null || true
fi
jar=catalog-service/target/quarkus-app/quarkus-run.jar
[ -f "$jar" ] || ./mvnw -B -q package -DskipTests -pl catalog-service -am
[ -f devstack/target/souq-devstack.jar ] || ./mvnw -B -q package -DskipTests -pl devstack -am
read -ra jvm_flags <<<"${BENCH_JVM_FLAGS:-$(java -cp devstack/target/souq-devstack.jar dev.souq.devstack.JvmFlags)}"
mkdir -p target
if ss -ltnH | awk '{print $4}' | grep -qE ":$PORT$"; then echo "port $PORT is taken (set BENCH_CATALOG_PORT)"; exit 1; fi

redis_host=$(python3 -c "from urllib.parse import urlparse; print(urlparse('$REDIS_URL').hostname)")
redis_port=$(python3 -c "from urllib.parse import urlparse; print(urlparse('$REDIS_URL').port or 6379)")
redis_pass=$(python3 -c "from urllib.parse import urlparse, unquote; print(unquote(urlparse('$REDIS_URL').password or ''))")
auth=(); [ -n "$redis_pass" ] && auth=(-a "$redis_pass" --no-auth-warning)
echo "# $(date -u +%FT%TZ)  $(nproc) cores; wrk -t2 -c$CONNECTIONS -d${DURATION}s ${PIN:+(pinned: $PIN)}; JVM ${jvm_flags[*]}"
baseline=$($PIN redis-benchmark -h "$redis_host" -p "$redis_port" "${auth[@]}" -t get -c "$CONNECTIONS" -n 300000 -q | tr '\r' '\n' | grep -oE '[0-9.]+ requests per second' | tail -1 | cut -d' ' -f1)
echo "redis-benchmark GET -c $CONNECTIONS: $baseline req/s"
echo "RESULT redis_get_c50=$baseline"

failed_open() { curl -s "localhost:$MANAGEMENT_PORT/q/metrics" | awk '/^souq_rate_limit_failed_open_total/ {s+=$NF} END {printf "%d", s}'; }
app=""
cleanup() { if [ -n "$app" ]; then kill "$app" 2>/dev/null || true; wait "$app" 2>/dev/null || true; fi; }
trap cleanup EXIT

for config in $CONFIGS; do
  mode=${config%%:*}; limiter=${config##*:}
  budget=0; [ "$limiter" = on ] && budget=10000000
  CATALOG_CACHE_MODE=$mode SOUQ_RATE_LIMIT_PER_MINUTE=$budget SOUQ_RATE_LIMIT_CATALOG_PER_MINUTE=$budget QUARKUS_HTTP_PORT=$PORT QUARKUS_MANAGEMENT_PORT=$MANAGEMENT_PORT \
    java "${jvm_flags[@]}" -jar "$jar" > "target/bench-catalog-$mode-$limiter.log" 2>&1 &
  app=$!
  for _ in $(seq 1 120); do curl -sf "localhost:$MANAGEMENT_PORT/q/health/ready" >/dev/null && break; sleep 0.5; done
  ids=$(curl -s "localhost:$PORT/api/products?size=100" | python3 -c 'import json,sys; print(" ".join(str(p["id"]) for p in json.load(sys.stdin)["items"]))')
  script=$(mktemp --suffix .lua)
  { echo "ids = {$(tr ' ' ',' <<<"$ids")}"; echo 'n = 0'
    echo 'request = function() n = n + 1; return wrk.format("GET", "/api/products/" .. ids[(n % #ids) + 1]) end'; } > "$script"
  # Warm-up (cache, C2): at 3 s the limiter's path was still being compiled and "on" measured the JIT.
  $PIN wrk -t2 -c"$CONNECTIONS" -d"${BENCH_WARMUP:-10}s" -s "$script" "http://localhost:$PORT" >/dev/null
  failed_open_before=$(failed_open)
  out=$($PIN wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$script" "http://localhost:$PORT")
  rps=$(grep -oE 'Requests/sec: +[0-9.]+' <<<"$out" | awk '{print $2}')
  p99=$(grep -E '^ +99%' <<<"$out" | awk '{print $2}')
  non2xx=$(grep -oE 'Non-2xx or 3xx responses: [0-9]+' <<<"$out" | awk '{print $NF}' || true)
  fixed=""
  if [ "${BENCH_FIXED_RATE:-1}" != 0 ]; then
    paths=$(for id in $ids; do printf '/api/products/%s ' "$id"; done)
    fixed="; at 1000 req/s: $(java bench/FixedRate.java "http://localhost:$PORT" 1000 10 $paths)"
  fi
  echo "mode=$mode limiter=$limiter: $rps req/s (p99 at saturation $p99${non2xx:+, $non2xx non-2xx!})$fixed; X-Cache $(curl -sI "localhost:$PORT/api/products/$(cut -d' ' -f1 <<<"$ids")" | grep -i x-cache | tr -d '\r')"
  # A limiter that failed open did not check: the figure would flatter it.
  failed_open=$(( $(failed_open) - failed_open_before ))
  [ "$failed_open" = 0 ] || echo "  the limiter failed open $failed_open times: no figure"
  # A refused or failed request is not a served one: no figure rather than a flattering one.
  if [ -z "$non2xx" ] && [ "$failed_open" = 0 ]; then echo "RESULT catalog_${mode}_${limiter}=$rps"; fi
  rm -f "$script"; cleanup; app=""
done
