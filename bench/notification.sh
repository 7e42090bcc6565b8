#!/usr/bin/env bash
# Benchmarks WebSocket delivery with bench/WsLoad.java (a Vert.x WebSocket load client), against
# the bare Vert.x server bench/BareWs.java (the ceiling on this box) and notification-service, the
# same runs in the same invocation:
#   fan-out     100 users × 100 tabs (10,000 connections), rounds of 100 events;
#   one-to-one  10,000 users with one connection each, rounds of 2,000 events;
#   latency     PUBLISH→receipt p99 at 1,000 events/s over the 10,000 one-to-one connections;
# then fan-out and one-to-one again over Server-Sent Events on the service (WS_SKIP_SSE=1 skips),
# then the service's heap per idle connection (skipped with WS_SKIP_HEAP=1). Each server is
# started twice (10,000 connections take 10–30 s to set up), about 4 minutes at 10 s per run.
# Needs a Redis: REDIS_URL, else the local one (database 5). WS_PORT (default 18183) is the
# servers' port (the bare server takes WS_PORT+1). WS_SERVERS="bare service" (default) or one of
# them, or empty for none; WS_SKIP_REPLAY=1 and WS_SKIP_HEAP=1 skip those phases; WS_SERVICE_JAVA_OPTS
# adds JVM flags to the service (e.g. a JFR recording).
# The service and the bare server both run with the JVM flags the services ship with (./run's and
# the images', dev.souq.devstack.JvmFlags), or BENCH_JVM_FLAGS. Until 2026-12-03 both ran on -Xmx1g
# and the JVM's default collector (G1 on this box), which the service never runs with: measured in
# turns (two pairs), its figures were 12-31 % lower and its p99 1.7-2.4 times as high as on its own.
# Client pinning: with WS_PIN_CLIENT=<cpu list> (e.g. 1) the load client runs under
# `taskset -c <list>`; by default it is not pinned (on 2 cores pinning the client to one core also
# squeezes the server and Redis onto the other half of the time: compare both on your box).
# Usage: bench/notification.sh [seconds per run, default 10]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${1:-10}
PORT=${WS_PORT:-18183}
BARE_PORT=$((PORT + 1))
MANAGEMENT_PORT=$((PORT + 1000))   # /q/* (health, metrics) of notification-service
. bench/redis-url.sh
# 10,000 connections need more than the usual 1,024 open files, in every process.
ulimit -n "$(ulimit -Hn)"

# WS_APP: another packaged notification-service to measure (e.g. a copy of a previous build).
APP=${WS_APP:-notification-service/target/quarkus-app}
[ -f $APP/quarkus-run.jar ] || ./mvnw -B -q package -DskipTests -pl notification-service -am
[ -f devstack/target/souq-devstack.jar ] || ./mvnw -B -q package -DskipTests -pl devstack -am
read -ra jvm_flags <<<"${BENCH_JVM_FLAGS:-$(java -cp devstack/target/souq-devstack.jar dev.souq.devstack.JvmFlags)}"
# The service's own runtime jars: WsLoad and BareWs run on the Vert.x/Netty the service ships.
CP=$(ls $APP/lib/boot/*.jar $APP/lib/main/*.jar | tr '\n' ':')
mkdir -p target
. bench/compile.sh
load_classes=$(bench_compile WsLoad "$CP")
bare_classes=$(bench_compile BareWs "$CP")
PIN=()
[ -n "${WS_PIN_CLIENT:-}" ] && PIN=(taskset -c "$WS_PIN_CLIENT")

pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; pid=; }
trap cleanup EXIT
ready() { # url
  for _ in $(seq 1 120); do curl -sf "$1" >/dev/null && return; sleep 0.5; done
  echo "server at $1 did not start"; exit 1
}
start_service() {
  cleanup
  SOUQ_RATE_LIMIT_PER_MINUTE=${WS_RATE_LIMIT:-0} QUARKUS_HTTP_PORT=$PORT QUARKUS_MANAGEMENT_PORT=$MANAGEMENT_PORT \
    NOTIFICATION_MAX_CONNECTIONS_PER_USER=100 NOTIFICATION_MAX_CONNECTIONS_PER_CLIENT=100000 NOTIFICATION_SEND_QUEUE=100000 \
    java "${jvm_flags[@]}" ${WS_SERVICE_JAVA_OPTS:-} -jar $APP/quarkus-run.jar > target/bench-notification.log 2>&1 &
  pid=$!
  target_port=$PORT
  metrics_port=$MANAGEMENT_PORT
  ready "localhost:$MANAGEMENT_PORT/q/health/ready"
}
start_bare() {
  cleanup
  java "${jvm_flags[@]}" -cp "$bare_classes:$CP" BareWs "$BARE_PORT" "$REDIS_URL" > target/bench-bare-ws.log 2>&1 &
  pid=$!
  target_port=$BARE_PORT
  metrics_port=$BARE_PORT
  ready "localhost:$BARE_PORT/q/metrics"
}
# The load client measures its own CPU and, through -Dserver.pid, the server's over the same window.
load() { "${PIN[@]}" java -Xmx1g ${CLIENT_OPTS:-} -Djava.util.logging.manager=org.jboss.logmanager.LogManager -Dserver.pid="$pid" -Dmetrics.port="$metrics_port" \
  -cp "$load_classes:$CP" WsLoad 127.0.0.1 "$target_port" "$host" "$rport" "$db" "$@"; }
# Runs WsLoad against the running server; prints its output, prefixed, and keeps it in $out.
measure() { # label args...
  local label=$1; shift
  out=$(load "$@")
  sed "s/^/$label: /" <<<"$out"
}
rate() { grep -oE "[0-9,]+ deliveries/s" <<<"$out" | tr -d ", deliveries/s" || true; }
p99() { grep -oE "p99 [0-9.]+" <<<"$out" | cut -d" " -f2 || true; }

echo "# $(date -u +%FT%TZ)  $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); Redis $(redis-cli -h "$host" -p "$rport" INFO server | grep -oE 'redis_version:[0-9.]+')${PIN:+; client pinned: ${PIN[*]}}; servers JVM ${jvm_flags[*]}"
declare -A result
for server in ${WS_SERVERS-bare service}; do
  prefix=$([ $server = bare ] && echo "bare_" || true)
  name=$([ $server = bare ] && echo "bare Vert.x" || echo "notification-service")
  "start_$server"
  measure "$name fan-out (100 users × 100 tabs)" 100 100 saturate "$SECONDS_PER_RUN" 100
  result[${prefix}ws_fanout]=$(rate)
  # One-to-one throughput, then the latency run over the same 10,000 connections.
  "start_$server"
  measure "$name one-to-one (10,000 users)" 10000 1 saturate "$SECONDS_PER_RUN" 2000 latency 1000 "$SECONDS_PER_RUN"
  result[${prefix}ws_one_to_one]=$(rate)
  result[${prefix}ws_p99_ms]=$(p99)
done

# The same two runs over Server-Sent Events (/sse/orders, the page's fallback), on the service only:
# what a browser behind a proxy that refuses WebSockets gets, beside the WebSocket figures above.
if [ -z "${WS_SKIP_SSE:-}" ] && [[ " ${WS_SERVERS-bare service} " == *" service "* ]]; then
  export CLIENT_OPTS=-Dtransport=sse
  start_service
  measure "notification-service SSE fan-out (100 users × 100 tabs)" 100 100 saturate "$SECONDS_PER_RUN" 100
  result[sse_fanout]=$(rate)
  start_service
  measure "notification-service SSE one-to-one (10,000 users)" 10000 1 saturate "$SECONDS_PER_RUN" 2000 latency 1000 "$SECONDS_PER_RUN"
  result[sse_one_to_one]=$(rate)
  result[sse_p99_ms]=$(p99)
  unset CLIENT_OPTS
fi

# Replay flood (issue 14): 100 users reconnecting with ?since=<oldest offset> in a loop against a
# stream of 9,000 others' updates; Redis' CPU and an unrelated GET's p99, alone and under the flood. Once
# with the limiter off (what a replay itself costs), once at the default budgets (what an attacker
# gets: most upgrades are 429 before any session lookup).
if [ -z "${WS_SKIP_REPLAY:-}" ]; then
  for limit in 0 100; do
    WS_RATE_LIMIT=$limit start_service
    label="notification-service replay flood, per-ip budget ${limit/#0/off}"
    measure "$label" 100 1 resumes "$SECONDS_PER_RUN" 9000
    result[ws_replay_get_p99_x_$limit]=$(grep -oE "\(x[0-9.]+\)" <<<"$out" | tr -d '(x)' || true)
    result[ws_replay_entries_per_resume_$limit]=$(grep -oE "read [0-9.]+ per resume" <<<"$out" | cut -d" " -f2 || true)
  done
fi

if [ -z "${WS_SKIP_HEAP:-}" ]; then
  start_service
  heap() { # used heap after a full GC, in bytes
    jcmd "$pid" GC.run >/dev/null
    curl -s "localhost:$MANAGEMENT_PORT/q/metrics" | awk '/^jvm_memory_used_bytes/ && /area="heap"/ {s+=$NF} END {printf "%d", s}'
  }
  before=$(heap)
  load 10000 1 idle 20 > target/bench-ws-idle.log &
  loader=$!
  for _ in $(seq 1 60); do grep -q "idle: holding" target/bench-ws-idle.log 2>/dev/null && break; sleep 1; done
  sleep 2
  after=$(heap)
  conns=$(curl -s "localhost:$MANAGEMENT_PORT/q/metrics" | awk '/^souq_ws_connections / {print int($2)}')
  wait $loader || true
  python3 -c "print(f'heap per idle connection: ({$after} - {$before}) / {$conns} = {($after-$before)/$conns/1024:.1f} KB (after a full GC, jvm_memory_used_bytes heap)')"
fi
cleanup
for key in ws_one_to_one ws_fanout ws_p99_ms bare_ws_one_to_one bare_ws_fanout bare_ws_p99_ms \
  sse_one_to_one sse_fanout sse_p99_ms \
  ws_replay_get_p99_x_0 ws_replay_entries_per_resume_0 ws_replay_get_p99_x_100 ws_replay_entries_per_resume_100; do
  echo "RESULT $key=${result[$key]:-nan}"
done
python3 - "${result[ws_one_to_one]:-0}" "${result[bare_ws_one_to_one]:-0}" "${result[ws_fanout]:-0}" "${result[bare_ws_fanout]:-0}" <<'PY'
import sys
o, bo, f, bf = map(float, sys.argv[1:])
print(f"RESULT ws_one_to_one_vs_bare={o / bo if bo else float('nan'):.2f}")
print(f"RESULT ws_fanout_vs_bare={f / bf if bf else float('nan'):.2f}")
PY
