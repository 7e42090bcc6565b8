#!/usr/bin/env bash
# Benchmarks notification-service with bench/WsLoad.java (a Vert.x WebSocket load client):
# fan-out (10,000 connections of 100 users), one-to-one (10,000 users with one connection each),
# PUBLISH→receipt latency at 1,000 events/s, and server heap per idle connection.
# Needs a Redis: REDIS_URL, else the local one (database 5).
# Usage: bench/notification.sh [seconds per run, default 10]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${1:-10}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/5}
PORT=18183
host=$(python3 -c "from urllib.parse import urlparse; print(urlparse('$REDIS_URL').hostname)")
rport=$(python3 -c "from urllib.parse import urlparse; print(urlparse('$REDIS_URL').port or 6379)")
db=$(python3 -c "from urllib.parse import urlparse; print(urlparse('$REDIS_URL').path.strip('/') or 0)")
# 10,000 connections need more than the usual 1,024 open files, in both processes.
ulimit -n "$(ulimit -Hn)"

[ -f notification-service/target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q package -DskipTests -pl notification-service -am
mkdir -p target
[ -f target/bench-ws.classpath ] || ./mvnw -B -q dependency:build-classpath -pl notification-service -Dmdep.outputFile="$PWD/target/bench-ws.classpath" -Dmdep.includeScope=runtime
CP=$(cat target/bench-ws.classpath)
# The load client measures its own CPU and, through -Dserver.pid, the server's over the same window.
load() { java -Xmx1g -Djava.util.logging.manager=org.jboss.logmanager.LogManager -Dserver.pid="$pid" \
  -cp "$CP" bench/WsLoad.java 127.0.0.1 $PORT "$host" "$rport" "$db" "$@"; }

pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; }
trap cleanup EXIT
start() {
  cleanup
  SOUQ_RATE_LIMIT_PER_MINUTE=0 QUARKUS_HTTP_PORT=$PORT \
    NOTIFICATION_MAX_CONNECTIONS_PER_USER=100 NOTIFICATION_SEND_QUEUE=100000 \
    java -Xmx1g -jar notification-service/target/quarkus-app/quarkus-run.jar > target/bench-notification.log 2>&1 &
  pid=$!
  for _ in $(seq 1 120); do curl -sf "localhost:$PORT/q/health/ready" >/dev/null && return; sleep 0.5; done
  echo "notification-service did not start"; exit 1
}
heap() { # used heap after a full GC, in bytes
  jcmd "$pid" GC.run >/dev/null
  curl -s "localhost:$PORT/q/metrics" | awk '/^jvm_memory_used_bytes/ && /area="heap"/ {s+=$NF} END {printf "%d", s}'
}

echo "# $(date -u +%FT%TZ)  $(nproc) cores; Redis $(redis-cli -h "$host" -p "$rport" INFO server | grep -oE 'redis_version:[0-9.]+')"
start
load 100 100 saturate "$SECONDS_PER_RUN" 100 | sed 's/^/fan-out (100 users × 100 tabs): /'
start
load 10000 1 saturate "$SECONDS_PER_RUN" 2000 | sed 's/^/one-to-one (10,000 users): /'
start
load 10000 1 latency 1000 "$SECONDS_PER_RUN" | sed 's/^/latency (10,000 users): /'
start
before=$(heap)
load 10000 1 idle 20 > target/bench-ws-idle.log &
loader=$!
for _ in $(seq 1 60); do grep -q "idle: holding" target/bench-ws-idle.log 2>/dev/null && break; sleep 1; done
sleep 2
after=$(heap)
conns=$(curl -s "localhost:$PORT/q/metrics" | awk '/^souq_ws_connections / {print int($2)}')
wait $loader || true
python3 -c "print(f'heap per idle connection: ({$after} - {$before}) / {$conns} = {($after-$before)/$conns/1024:.1f} KB (after a full GC, jvm_memory_used_bytes heap)')"
