#!/usr/bin/env bash
# Benchmarks GET /api/products/{id} of catalog-service: cache modes `redis` and `near`, each with
# the rate limiter on and off, mode `none`, and the bare Quarkus app (bench/bare-quarkus) as the
# framework's ceiling, with raw Redis GET (redis-benchmark) measured in the same run as a baseline.
# "Limiter on" is SOUQ_RATE_LIMIT_PER_MINUTE=10000000: a budget no run exhausts, so every request
# pays the check and none is refused; "off" is 0.
# Every configuration runs in its own JVM, all started first and warmed up, then measured in turns:
# ROUNDS rounds of one wrk run each, the order reversed every other round. A ratio (limiter on ÷
# off, Souq ÷ bare) is taken inside each round, between runs seconds apart, and the median round's
# is printed: on this shared 2-core box one JVM measured minutes after another moved a ratio by
# ±15 %, more than the limiter costs (about 4 % of catalog's CPU under this load, async-profiler).
# The services run with the JVM flags ./run gives them (dev.souq.devstack.JvmFlags).
# Needs a Redis and a PostgreSQL: REDIS_URL / DATABASE_URL, else the local ones on 127.0.0.1:6379
# and :5432 (or run ./run first to use the embedded pair: REDIS_URL=redis://127.0.0.1:16379
# DATABASE_URL=postgresql://postgres@127.0.0.1:15432/souq).
# Usage: bench/catalog.sh [seconds measured per configuration, default 15] [configs, default
#   "redis:on redis:off near:on near:off none:off bare"]
# Env: BENCH_ROUNDS (3), BENCH_CATALOG_PORT (18181; configuration i listens on the port + i),
# BENCH_WARMUP (10 s of wrk per JVM before the rounds), BENCH_ROUND_LEAD (3 s of unmeasured wrk on
# a JVM right before each of its measured rounds; 0: none), BENCH_JVM_FLAGS replaces the JVM flags
# (A/B runs), BENCH_FIXED_RATE=0 skips the 1000 req/s latency probe, BENCH_REDIS_BASELINE=0 skips
# redis-benchmark (bench/all.sh takes its own), BENCH_PIN="taskset -c 1" runs wrk pinned
# (bench/all.sh sets it).
# Prints RESULT catalog_<mode>_<on|off>=req/s (median round), RESULT catalog_bare=req/s,
# RESULT catalog_ratio_<a>_<b>=the median round's ratio, RESULT redis_get_c50=req/s (unless
# BENCH_REDIS_BASELINE=0).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-15}
CONFIGS=${2:-"redis:on redis:off near:on near:off none:off bare"}
ROUNDS=${BENCH_ROUNDS:-3}
ROUND_SECONDS=$(( DURATION / ROUNDS > 2 ? DURATION / ROUNDS : 2 ))
ROUND_LEAD=${BENCH_ROUND_LEAD:-3}
CONNECTIONS=50
PORT=${BENCH_CATALOG_PORT:-18181}
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
bare_jar=bench/bare-quarkus/target/quarkus-app/quarkus-run.jar
[ -f "$jar" ] || ./mvnw -B -q package -DskipTests -pl catalog-service -am
[ -f devstack/target/souq-devstack.jar ] || ./mvnw -B -q package -DskipTests -pl devstack -am
[[ " $CONFIGS " != *" bare "* ]] || [ -f "$bare_jar" ] || ./mvnw -B -q package -DskipTests -f bench/bare-quarkus/pom.xml
read -ra jvm_flags <<<"${BENCH_JVM_FLAGS:-$(java -cp devstack/target/souq-devstack.jar dev.souq.devstack.JvmFlags)}"
mkdir -p target
read -ra configs <<<"$CONFIGS"
for i in "${!configs[@]}"; do
  for port in $((PORT + i)) $((PORT + 1000 + i)); do
    if ss -ltnH | awk '{print $4}' | grep -qE ":$port$"; then echo "port $port is taken (set BENCH_CATALOG_PORT)"; exit 1; fi
  done
done

redis_host=$(python3 -c "from urllib.parse import urlparse; print(urlparse('$REDIS_URL').hostname)")
redis_port=$(python3 -c "from urllib.parse import urlparse; print(urlparse('$REDIS_URL').port or 6379)")
redis_pass=$(python3 -c "from urllib.parse import urlparse, unquote; print(unquote(urlparse('$REDIS_URL').password or ''))")
auth=(); [ -n "$redis_pass" ] && auth=(-a "$redis_pass" --no-auth-warning)
echo "# $(date -u +%FT%TZ)  $(nproc) cores; wrk -t2 -c$CONNECTIONS, $ROUNDS rounds of ${ROUND_SECONDS}s per configuration, each after ${ROUND_LEAD}s unmeasured ${PIN:+(pinned: $PIN)}; JVM ${jvm_flags[*]}"
if [ "${BENCH_REDIS_BASELINE:-1}" != 0 ]; then
  baseline=$($PIN redis-benchmark -h "$redis_host" -p "$redis_port" "${auth[@]}" -t get -c "$CONNECTIONS" -n 300000 -q | tr '\r' '\n' | grep -oE '[0-9.]+ requests per second' | tail -1 | cut -d' ' -f1)
  echo "redis-benchmark GET -c $CONNECTIONS: $baseline req/s"
  echo "RESULT redis_get_c50=$baseline"
fi

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT
name() { [ "$1" = bare ] && echo bare || echo "${1%%:*}_${1##*:}"; }
failed_open() { # the limiter's fail-opens so far on the configuration's management port
  [ "$1" = bare ] && { echo 0; return; }
  curl -s "localhost:$2/q/metrics" | awk '/^souq_rate_limit_failed_open_total/ {s+=$NF} END {printf "%d", s}'
}

# Every JVM up at once (an idle one costs next to nothing), so each round measures them minutes apart
# at most, and a pair seconds apart.
for i in "${!configs[@]}"; do
  config=${configs[$i]}; port=$((PORT + i))
  if [ "$config" = bare ]; then
    QUARKUS_HTTP_PORT=$port java "${jvm_flags[@]}" -jar "$bare_jar" > "target/bench-catalog-bare.log" 2>&1 &
  else
    mode=${config%%:*}; budget=0; [ "${config##*:}" = on ] && budget=10000000
    CATALOG_CACHE_MODE=$mode SOUQ_RATE_LIMIT_PER_MINUTE=$budget SOUQ_RATE_LIMIT_CATALOG_PER_MINUTE=$budget \
      QUARKUS_HTTP_PORT=$port QUARKUS_MANAGEMENT_PORT=$((port + 1000)) \
      java "${jvm_flags[@]}" -jar "$jar" > "target/bench-catalog-$(name "$config").log" 2>&1 &
  fi
  pids+=($!)
  for _ in $(seq 1 120); do curl -sf "localhost:$port/api/products/1" >/dev/null && break; sleep 0.5; done
done
ids=$(curl -s "localhost:$PORT/api/products?size=100" | python3 -c 'import json,sys; print(" ".join(str(p["id"]) for p in json.load(sys.stdin)["items"]))')
script=$(mktemp --suffix .lua)
{ echo "ids = {$(tr ' ' ',' <<<"$ids")}"; echo 'n = 0'
  echo 'request = function() n = n + 1; return wrk.format("GET", "/api/products/" .. ids[(n % #ids) + 1]) end'; } > "$script"
. bench/jit.sh
declare -A open_before
for i in "${!configs[@]}"; do
  # Warm-up (cache, C2): at 3 s the limiter's path was still being compiled and "on" measured the JIT.
  # Longer (25-40 s, or until bench/jit.sh called it settled) did not keep Souq's JVMs' compiler
  # threads from 0.8-2.5 s (jstat's compile time) of their first 5 s round (2026-12-06); the lead
  # before each round (BENCH_ROUND_LEAD) did. 5 s instead of 10 left 1.1-3.2 s of compiler CPU in
  # the first round, against 0.3-1.2 s. Each round prints its JVM's.
  $PIN wrk -t2 -c"$CONNECTIONS" -d"${BENCH_WARMUP:-10}s" -s "$script" "http://localhost:$((PORT + i))" >/dev/null
  open_before[$i]=$(failed_open "${configs[$i]}" $((PORT + 1000 + i)))
done

rounds=target/bench-catalog-rounds.txt; : > "$rounds"
for round in $(seq 1 "$ROUNDS"); do
  order=("${!configs[@]}"); [ $((round % 2)) = 0 ] && order=($(printf '%s\n' "${order[@]}" | tac))
  for i in "${order[@]}"; do
    config=${configs[$i]}
    # Idle through the others' turns, Souq's JVMs compiled 2-5 s (jstat's compile time, not CPU) of
    # a 5 s round that followed at once (probably HotSpot dropping the compile tasks of methods idle
    # for 50 ms, TieredCompileTaskTimeout). 3 s of the same load first cut that to 0.2-0.9 s, and the
    # bare app's from 1.7-2.1 s to 0.0-0.1 s (RESULTS, 2026-12-06).
    [ "$ROUND_LEAD" = 0 ] || $PIN wrk -t2 -c"$CONNECTIONS" -d"${ROUND_LEAD}s" -s "$script" "http://localhost:$((PORT + i))" >/dev/null
    jit_before=$(jit_seconds "${pids[$i]}")
    out=$($PIN wrk -t2 -c"$CONNECTIONS" -d"${ROUND_SECONDS}s" --latency -s "$script" "http://localhost:$((PORT + i))")
    rps=$(grep -oE 'Requests/sec: +[0-9.]+' <<<"$out" | awk '{print $2}')
    p99=$(grep -E '^ +99%' <<<"$out" | awk '{print $2}')
    non2xx=$(grep -oE 'Non-2xx or 3xx responses: [0-9]+' <<<"$out" | awk '{print $NF}' || true)
    echo "round $round $config: $rps req/s (p99 at saturation $p99${non2xx:+, $non2xx non-2xx!}; JIT CPU $(jit_spent "$jit_before" "$(jit_seconds "${pids[$i]}")") s)"
    echo "$round $(name "$config") $rps ${non2xx:-0}" >> "$rounds"
  done
done
rm -f "$script"

for i in "${!configs[@]}"; do
  config=${configs[$i]}; port=$((PORT + i))
  fixed=""
  if [ "${BENCH_FIXED_RATE:-1}" != 0 ]; then
    paths=$(for id in $ids; do printf '/api/products/%s ' "$id"; done)
    fixed="at 1000 req/s: $(java bench/FixedRate.java "http://localhost:$port" 1000 10 $paths); "
  fi
  echo "$config: ${fixed}$(curl -sI "localhost:$port/api/products/$(cut -d' ' -f1 <<<"$ids")" | grep -i x-cache | tr -d '\r')"
  # A limiter that failed open did not check: the figure would flatter it.
  failed_open=$(( $(failed_open "$config" $((port + 1000))) - open_before[$i] ))
  [ "$failed_open" = 0 ] || { echo "  the limiter failed open $failed_open times: no figure"; echo "0 $(name "$config") - 1" >> "$rounds"; }
done

# Medians: each configuration's rounds, and each pair's ratios taken round by round. A refused or
# failed request is not a served one: a configuration with any gives no figure.
python3 - "$rounds" <<'PY'
import statistics, sys
runs, spoiled = {}, set()
for line in open(sys.argv[1]):
    rnd, name, rps, bad = line.split()
    if int(bad):
        spoiled.add(name)
    if rps != "-":
        runs.setdefault(name, {})[int(rnd)] = float(rps)
runs = {k: v for k, v in runs.items() if k not in spoiled}
for name, by_round in runs.items():
    print(f"RESULT catalog_{name}={statistics.median(by_round.values()):.2f}")
for a, b in [("redis_on", "redis_off"), ("near_on", "near_off"), ("near_on", "bare"), ("redis_on", "bare"),
             ("redis_off", "bare"), ("none_off", "bare")]:
    if a in runs and b in runs:
        ratios = [runs[a][r] / runs[b][r] for r in runs[a] if r in runs[b]]
        print(f"{a} ÷ {b} by round: {', '.join(f'{x:.3f}' for x in ratios)}")
        print(f"RESULT catalog_ratio_{a}_{b}={statistics.median(ratios):.3f}")
PY
