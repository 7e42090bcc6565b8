#!/usr/bin/env bash
# What tracing costs on the catalog's hottest read (GET /api/products/{id}, cache mode redis, the
# limiter at its default policy with a budget no run exhausts), three JVMs measured in turns:
#   base — a catalog-service built without OpenTelemetry (BENCH_BASE_JAR; skipped when unset),
#   off  — this build with tracing off (no OTEL_EXPORTER_OTLP_ENDPOINT: the default),
#   on   — this build exporting every request's spans (sampler 1.0) over http/protobuf to
#          bench/OtlpSink.java, a collector that keeps nothing.
# ROUNDS rounds of one wrk run per JVM, order reversed every other round; ratios are taken within a
# round and the median round's is printed.
# Usage: [BENCH_BASE_JAR=/path/to/quarkus-run.jar] bench/tracing.sh [seconds per run, default 10]
# Prints RESULT tracing_<base|off|on>=req/s and RESULT tracing_ratio_off_base / _on_off.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${1:-10}
ROUNDS=${BENCH_ROUNDS:-3}
PORT=${BENCH_TRACING_PORT:-18481}
PIN=${BENCH_PIN:-}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/3}
export DATABASE_URL=${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/souq_bench}
jar=catalog-service/target/quarkus-app/quarkus-run.jar
read -ra jvm_flags <<<"${BENCH_JVM_FLAGS:-$(java -cp devstack/target/souq-devstack.jar dev.souq.devstack.JvmFlags)}"
if [[ "$DATABASE_URL" == *souq_bench ]]; then
  psql -q -h 127.0.0.1 -U postgres -d postgres -c "CREATE DATABASE souq_bench" 2>/dev/null || true
fi

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT
java bench/OtlpSink.java $((PORT + 100)) > target/bench-tracing-sink.log 2>&1 &
pids+=($!)

names=(off on); jars=("$jar" "$jar")
[ -n "${BENCH_BASE_JAR:-}" ] && { names+=(base); jars+=("$BENCH_BASE_JAR"); }
for i in "${!names[@]}"; do
  port=$((PORT + i)); otel=()
  [ "${names[$i]}" = on ] && otel=(OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:$((PORT + 100)) OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf)
  env "${otel[@]}" SOUQ_RATE_LIMIT_PER_MINUTE=10000000 SOUQ_RATE_LIMIT_CATALOG_PER_MINUTE=10000000 \
    QUARKUS_HTTP_PORT=$port QUARKUS_MANAGEMENT_PORT=$((port + 1000)) \
    java "${jvm_flags[@]}" -jar "${jars[$i]}" > "target/bench-tracing-${names[$i]}.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 120); do curl -sf "localhost:$port/api/products/1" >/dev/null && break; sleep 0.5; done
done
script=$(mktemp --suffix .lua)
echo 'n = 0; request = function() n = n + 1; return wrk.format("GET", "/api/products/" .. ((n % 36) + 1)) end' > "$script"
echo "# $(date -u +%FT%TZ) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); wrk -t2 -c50, $ROUNDS rounds of ${SECONDS_PER_RUN}s; JVM ${jvm_flags[*]}"
for i in "${!names[@]}"; do
  $PIN wrk -t2 -c50 -d10s -s "$script" "http://localhost:$((PORT + i))" >/dev/null
done
rounds=target/bench-tracing-rounds.txt; : > "$rounds"
for round in $(seq 1 "$ROUNDS"); do
  order=("${!names[@]}"); [ $((round % 2)) = 0 ] && order=($(printf '%s\n' "${order[@]}" | tac))
  for i in "${order[@]}"; do
    rps=$($PIN wrk -t2 -c50 -d"${SECONDS_PER_RUN}s" -s "$script" "http://localhost:$((PORT + i))" | grep -oE 'Requests/sec: +[0-9.]+' | awk '{print $2}')
    echo "round $round ${names[$i]}: $rps req/s"
    echo "$round ${names[$i]} $rps" >> "$rounds"
  done
done
rm -f "$script"
python3 - "$rounds" <<'PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    rnd, name, rps = line.split()
    runs.setdefault(name, {})[int(rnd)] = float(rps)
for name, by_round in runs.items():
    print(f"RESULT tracing_{name}={statistics.median(by_round.values()):.0f}")
for a, b in (("off", "base"), ("on", "off")):
    if a in runs and b in runs:
        ratios = [runs[a][r] / runs[b][r] for r in runs[a] if r in runs[b]]
        print(f"RESULT tracing_ratio_{a}_{b}={statistics.median(ratios):.2f}  (rounds: {', '.join(f'{x:.2f}' for x in ratios)})")
PY
