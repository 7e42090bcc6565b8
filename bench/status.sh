#!/usr/bin/env bash
# Benchmarks an operator status change end to end: POST /api/orders/{id}/status → commit → outbox
# relay → Redis (XADD + PUBLISH) → notification-service → the owner's WebSocket frame, with
# bench/StatusLatency.java (Vert.x, from the packaged notification-service's libraries).
# catalog, order and notification services run packaged, default configuration except: the rate
# limiter's budget is one no run exhausts (SOUQ_RATE_LIMIT_PER_MINUTE=10000000: every request
# still pays the limiter, but 100 changes/s from one client IP would run out of the default
# budget). worker-service is not started: it would move the orders itself (process_payment), and
# the path under test does not go through it. (Services taken over from bench/order.sh, below,
# carry order.sh's settings: the same budgets, and caps for the worker that they do not read.)
# The services run with the JVM flags ./run gives them (dev.souq.devstack.JvmFlags), or
# BENCH_JVM_FLAGS (A/B runs of a flag change).
# Three sets of orders over 50 guest sessions each (one WebSocket per session): the first two warm
# the services up, the third is measured: PAID, SHIPPED, DELIVERED for each of its 500 orders at
# RATE changes/s (1,500 changes, 15 s at 100/s), in the same client JVM and over the same
# connections.
# The warm-up is STATUS_WARMUP seconds (default 30) at STATUS_WARMUP_RATE changes/s (default 300),
# then STATUS_WARMUP_TAIL seconds (default 20) at RATE, right before the measured changes. Without
# a warm-up C2 compiles the status path during the measured changes, and its CPU shows in every
# figure: on 2026-12-03 frame p99 73.6 ms and relay lag p99 57.8 ms after 30 s at 100/s, 15.4 and
# 10.2 ms after 90 s. Until 2026-12-04 it was 90 s at the measured rate: a method needs ~10,000
# calls for C2, which 300/s give in a third of the time. The tail runs at RATE straight into the
# measured changes, without a pause: HotSpot drops a queued compilation whose method went uncalled
# for 50 ms (TieredCompileTaskTimeout), so an idle pause after the warm-up only moved the
# compilations into the measured changes (2026-12-04, -XX:+PrintCompilation: ~900 in their first
# 10 s). The script prints the CPU each service's compiler threads took during the measured
# window (bench/jit.sh).
# The relay lag is the measured window's own, from the souq_outbox_lag_seconds histogram buckets
# read before and after it (as histogram_quantile would).
# Needs a Redis of its own (pub/sub channels are server-wide: no other notification-service may
# listen) and a PostgreSQL: REDIS_URL / DATABASE_URL, else the local ones (database souq_status).
# STATUS_SERVICES=<file>: catalog- and order-service already running, as bench/order.sh leaves them
# with ORDER_HAND_OVER (lines "module pid port redis-url database-url"): used, and stopped at the
# end, instead of two cold starts; only notification-service is started. If either does not
# answer, or runs on another REDIS_URL / DATABASE_URL than this script's, both are stopped and
# started afresh.
# Usage: bench/status.sh [changes per second, default 100]
set -euo pipefail
cd "$(dirname "$0")/.."
RATE=${1:-100}
SESSIONS=${STATUS_SESSIONS:-50}
ORDERS=${STATUS_ORDERS:-500}
WARMUP=${STATUS_WARMUP:-30}
WARMUP_RATE=${STATUS_WARMUP_RATE:-300}
TAIL=${STATUS_WARMUP_TAIL:-20}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/0}
export DATABASE_URL=${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/souq_status}
export SOUQ_ADMIN_TOKEN=bench-admin-token-not-for-production-use
export SOUQ_SERVICE_TOKEN=bench-service-token-not-for-production-use
export SOUQ_RATE_LIMIT_PER_MINUTE=${SOUQ_RATE_LIMIT_PER_MINUTE:-10000000}
# The route budgets too (catalog reads, new sessions, orders): all of this run is one client.
export SOUQ_RATE_LIMIT_CATALOG_PER_MINUTE=$SOUQ_RATE_LIMIT_PER_MINUTE SOUQ_RATE_LIMIT_SESSIONS_PER_MINUTE=$SOUQ_RATE_LIMIT_PER_MINUTE SOUQ_RATE_LIMIT_ORDERS_PER_MINUTE=$SOUQ_RATE_LIMIT_PER_MINUTE
# Every browser of the benchmark is 127.0.0.1: no per-client connection cap.
export NOTIFICATION_MAX_CONNECTIONS_PER_CLIENT=100000
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
[ -f devstack/target/souq-devstack.jar ] || ./mvnw -B -q package -DskipTests -pl devstack -am
read -ra jvm_flags <<<"${BENCH_JVM_FLAGS:-$(java -cp devstack/target/souq-devstack.jar dev.souq.devstack.JvmFlags)}"
mkdir -p target
# The client needs Vert.x (lib/main) and JBoss LogManager (lib/boot): the packaged
# notification-service's own libraries.
CP="notification-service/target/quarkus-app/lib/boot/*:notification-service/target/quarkus-app/lib/main/*"

declare -A pids=()
. bench/handover.sh
stop() { # module: stopped and gone (also a JVM bench/order.sh handed over)
  local p=${pids[$1]:-}
  if [ -n "$p" ] && kill "$p" 2>/dev/null; then
    wait "$p" 2>/dev/null || true
    gone "$p" || true
  fi
  unset "pids[$1]"
}
cleanup() { for m in "${!pids[@]}"; do stop "$m"; done; }
trap cleanup EXIT
ready() { curl -sf -m 2 "localhost:$(($1 + 1000))/q/health/ready" >/dev/null; } # port
if [ -n "${STATUS_SERVICES:-}" ] && [ -s "$STATUS_SERVICES" ]; then
  declare -A given_port=()
  while read -r module pid port redis database; do
    # Only that module's JVM (the PID may have been reused since), on this script's servers.
    service_jvm "$module" "$pid" || continue
    pids[$module]=$pid
    [ "$redis" = "$REDIS_URL" ] && [ "$database" = "$DATABASE_URL" ] && given_port[$module]=$port
  done <"$STATUS_SERVICES"
  if [ -n "${given_port[catalog-service]:-}" ] && [ -n "${given_port[order-service]:-}" ] &&
    ready "${given_port[catalog-service]}" && ready "${given_port[order-service]}"; then
    CATALOG_PORT=${given_port[catalog-service]} ORDER_PORT=${given_port[order-service]}
    export CATALOG_URL=http://127.0.0.1:$CATALOG_PORT
  else
    echo "the services in $STATUS_SERVICES do not answer, or use other servers: starting them afresh"
    cleanup
  fi
fi
start() { # module port
  local module=$1 port=$2
  QUARKUS_HTTP_PORT="$port" QUARKUS_MANAGEMENT_PORT=$((port + 1000)) java "${jvm_flags[@]}" -jar "$module/target/quarkus-app/quarkus-run.jar" > "target/bench-status-$module.log" 2>&1 &
  pids[$module]=$!
  for _ in $(seq 1 120); do ready "$port" && return; sleep 0.5; done
  echo "$module did not start"; exit 1
}
. bench/compile.sh
client_classes=$(bench_compile StatusLatency "$CP")
client() { java -Xmx512m -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "$client_classes:$CP" StatusLatency "$ORDER_PORT" "$WS_PORT" "$SOUQ_ADMIN_TOKEN" "$@"; }
# PostgreSQL's own commit at RATE, before the services start (or while given ones idle): one
# client, a one-row insert per transaction (pgbench -R, 10 s), each transaction's latency. The
# relay lag counts from the outbox insert, so it holds its transaction's commit (the WAL flush):
# this is that part alone, the lag's floor on this box.
commit_probe() {
  command -v pgbench >/dev/null || { echo "no pgbench: PostgreSQL's commit latency not measured"; return 0; }
  local dir; dir=$(mktemp -d)
  echo "INSERT INTO public.bench_commit_probe DEFAULT VALUES;" >"$dir/insert.sql"
  psql -q "$DATABASE_URL" -c "CREATE TABLE IF NOT EXISTS public.bench_commit_probe (id bigserial)" >/dev/null &&
    (cd "$dir" && pgbench -n -c 1 -R "$RATE" -T 10 -f insert.sql --log --log-prefix=commit "$DATABASE_URL" >/dev/null 2>&1)
  cat "$dir"/commit.* 2>/dev/null | awk '{print $3 / 1000}' | sort -n | awk -v rate="$RATE" '{a[NR] = $1}
    END { if (NR < 100) { print "PostgreSQL commit latency: no figure (see pgbench)"; exit }
      printf "PostgreSQL commit of a one-row insert at %d/s (pgbench -R, %d transactions): p50 %.2f  p99 %.2f ms\n", rate, NR, a[int(NR * 0.5)], a[int(NR * 0.99)]
      printf "RESULT pg_commit_p50_ms=%.2f\nRESULT pg_commit_p99_ms=%.2f\n", a[int(NR * 0.5)], a[int(NR * 0.99)] }'
  psql -q "$DATABASE_URL" -c "DROP TABLE IF EXISTS public.bench_commit_probe" >/dev/null 2>&1 || true
  rm -rf "$dir"
}

echo "# $(date -u +%FT%TZ)  $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $RATE changes/s, $ORDERS orders, $SESSIONS sessions; JVM ${jvm_flags[*]}"
commit_probe
[ -n "${pids[catalog-service]:-}" ] || start catalog-service $CATALOG_PORT
[ -n "${pids[order-service]:-}" ] || start order-service $ORDER_PORT
start notification-service $WS_PORT
bench/plenty-stock.sh "$CATALOG_PORT"
client setup target/bench-status-warm.txt "$SESSIONS" $((WARMUP_RATE * WARMUP / 3))
client setup target/bench-status-tail.txt "$SESSIONS" $((RATE * TAIL / 3))
client setup target/bench-status-orders.txt "$SESSIONS" "$ORDERS"
# The client says when the measured changes begin and waits for a line on its stdin (a FIFO): the
# services' JIT time is read in that pause, not while the changes run, and again at the end.
. bench/jit.sh
services=("${pids[catalog-service]}" "${pids[order-service]}" "${pids[notification-service]}")
run_out=target/bench-status-run.txt
go=$(mktemp -u) && mkfifo "$go"
: >"$run_out"
client run target/bench-status-warm.txt target/bench-status-orders.txt "$RATE" "$WARMUP_RATE" \
  target/bench-status-tail.txt <"$go" >"$run_out" &
pids[client]=$!
exec 3>"$go"
until grep -qs '^measuring$' "$run_out" || ! kill -0 "${pids[client]}" 2>/dev/null; do sleep 0.2; done
jit_before=$(jit_seconds "${services[@]}")
# In a subshell: a client that has already exited makes the write a SIGPIPE, which must not end
# this script (and skip its cleanup).
(echo go >&3) 2>/dev/null || true
exec 3>&-
rc=0
wait "${pids[client]}" || rc=$?
unset "pids[client]"
jit_after=$(jit_seconds "${services[@]}")
rm -f "$go"
grep -v '^measuring$' "$run_out" || true
echo "JIT CPU during the measured changes, s of catalog / order / notification:" \
  "$(jit_spent "$jit_before" "$jit_after" | sed 's| | / |g')"
exit "$rc"
