#!/usr/bin/env bash
# A reconnect storm against notification-service (bench/WsStorm.java): STORM_CONNECTIONS (15,000)
# WebSockets wanted from STORM_ADDRESSES (200) source addresses for STORM_USERS (2,000) users, each
# reopened at once whenever it ends, against an instance that takes fewer (NOTIFICATION_MAX_CONNECTIONS,
# 10,000 by default): clients without backoff, more of them than it holds. The service runs with the
# JVM flags it ships with (256 MB heap) and its per-ip rate budget lifted, as if the clients came
# from that many more addresses (STORM_RATE_LIMIT=<per minute> sets one instead: every upgrade then
# waits on its rate check in Redis); any other NOTIFICATION_* setting in the environment reaches it.
# Every 10 s it prints the service's old generation, its full collections and their time, the
# sockets it holds (souq_ws_sockets) and the connections it routes to (souq_ws_connections), and the
# storm client's outcomes of that second; at the end, whether the heap ran out and whether the
# service still answers. WS_APP: another packaged notification-service (e.g. an older build).
# Needs a Redis without a password: REDIS_URL, else the local one (database 5).
# Usage: bench/ws-storm.sh [seconds, default 60]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_OF_STORM=${1:-60}
PORT=${WS_PORT:-18183}
MANAGEMENT_PORT=$((PORT + 1000))
. bench/redis-url.sh
addresses=${STORM_ADDRESSES:-200}
[ "$addresses" -ge 1 ] && [ "$addresses" -le 253 ] || { echo "STORM_ADDRESSES: 1 to 253"; exit 1; }
ulimit -n "$(ulimit -Hn)"
APP=${WS_APP:-notification-service/target/quarkus-app}
if [ -n "${WS_APP:-}" ]; then
  [ -f "$APP/quarkus-run.jar" ] || { echo "no $APP/quarkus-run.jar"; exit 1; }
elif [ ! -f "$APP/quarkus-run.jar" ]; then
  ./mvnw -B -q package -DskipTests -pl notification-service -am
fi
[ -f devstack/target/souq-devstack.jar ] || ./mvnw -B -q package -DskipTests -pl devstack -am
read -ra jvm_flags <<<"${BENCH_JVM_FLAGS:-$(java -cp devstack/target/souq-devstack.jar dev.souq.devstack.JvmFlags)}"
[ ${#jvm_flags[@]} -gt 0 ] || { echo "no JVM flags for the service (dev.souq.devstack.JvmFlags)"; exit 1; }
CP=$(ls "$APP"/lib/boot/*.jar "$APP"/lib/main/*.jar | tr '\n' ':')
mkdir -p target
. bench/compile.sh
classes=$(bench_compile WsStorm "$CP")

SOUQ_RATE_LIMIT_PER_MINUTE=${STORM_RATE_LIMIT:-0} QUARKUS_HTTP_PORT=$PORT QUARKUS_MANAGEMENT_PORT=$MANAGEMENT_PORT \
  java "${jvm_flags[@]}" -jar "$APP/quarkus-run.jar" > target/bench-ws-storm.log 2>&1 &
pid=$!
storm=
# A service whose heap ran out may not stop on TERM: its shutdown hooks never get to run.
trap 'kill -9 $pid ${storm:-} 2>/dev/null || true' EXIT
ready=
for _ in $(seq 1 120); do curl -sf "localhost:$MANAGEMENT_PORT/q/health/ready" >/dev/null && ready=1 && break; sleep 0.5; done
[ -n "$ready" ] || { echo "notification-service did not get ready: target/bench-ws-storm.log"; exit 1; }
metric() { curl -s -m 2 "localhost:$MANAGEMENT_PORT/q/metrics" | awk -v m="$1" '$1 == m {print $NF}' || true; }
gc() { jstat -gc "$pid" | awk 'NR == 2 {printf "old %.0f/%.0f MB, full GCs %d (%.1f s)", $8/1024, $7/1024, $15, $16}'; }

echo "# $(date -u +%FT%TZ)  $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $APP; JVM ${jvm_flags[*]}"
echo "# ${STORM_CONNECTIONS:-15000} wanted from $addresses addresses, rate budget ${STORM_RATE_LIMIT:-0} (0: off), $(env | grep -o '^NOTIFICATION_[A-Z_]*=[^ ]*' | tr '\n' ' ')"
echo "before: $(gc)"
java -Xmx1g -cp "$classes:$CP" WsStorm 127.0.0.1 "$PORT" "$host" "$rport" "$db" \
  "${STORM_CONNECTIONS:-15000}" "$addresses" "${STORM_USERS:-2000}" "$SECONDS_OF_STORM" \
  > target/bench-ws-storm-client.log 2>&1 &
storm=$!
sleep 2
kill -0 $storm 2>/dev/null || { echo "the storm client stopped:"; tail -5 target/bench-ws-storm-client.log; exit 1; }
for _ in $(seq 1 $((SECONDS_OF_STORM / 10))); do
  sleep 10
  echo "$(date +%T) $(gc), sockets $(metric souq_ws_sockets), routed $(metric souq_ws_connections); client $(tail -1 target/bench-ws-storm-client.log)"
done
wait $storm || { echo "the storm client failed:"; tail -5 target/bench-ws-storm-client.log; exit 1; }
ready=$(curl -s -m 5 -o /dev/null -w '%{http_code}' "localhost:$MANAGEMENT_PORT/q/health/ready" || true)
echo "after: $(gc); OutOfMemoryError lines in its log: $(grep -c OutOfMemoryError target/bench-ws-storm.log || true); /q/health/ready: ${ready:-no answer}"
