#!/usr/bin/env bash
# Benchmarks worker-service: empty jobs (type noop) drained per second by one instance, in
# reliable and in brpop fetch mode, against raw redis-benchmark lpush/rpop in the same run.
# The producer pushes all jobs with redis-cli --pipe while the worker drains (same box, 2 cores).
# Needs a Redis: REDIS_URL, else the local one (database 4, emptied).
# The worker runs with the JVM flags ./run gives it (dev.souq.devstack.JvmFlags).
# Usage: bench/worker.sh [jobs per run, default 300000]   (BENCH_WORKER_PORT, default 18184;
#   BENCH_REDIS_BASELINE=0 skips the redis-benchmark baselines: bench/all.sh takes its own)
# Prints RESULT worker_<reliable|brpop>_jobs_per_s=jobs/s.
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=${1:-300000}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/4}
PORT=${BENCH_WORKER_PORT:-18184}
host=$(python3 -c "from urllib.parse import urlparse; u=urlparse('$REDIS_URL'); print(u.hostname)")
rport=$(python3 -c "from urllib.parse import urlparse; u=urlparse('$REDIS_URL'); print(u.port or 6379)")
db=$(python3 -c "from urllib.parse import urlparse; u=urlparse('$REDIS_URL'); print(u.path.strip('/') or 0)")
cli() { redis-cli -h "$host" -p "$rport" -n "$db" "$@"; }

[ -f worker-service/target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q package -DskipTests -pl worker-service -am
[ -f devstack/target/souq-devstack.jar ] || ./mvnw -B -q package -DskipTests -pl devstack -am
read -ra jvm_flags <<<"$(java -cp devstack/target/souq-devstack.jar dev.souq.devstack.JvmFlags)"
mkdir -p target
if ss -ltnH | awk '{print $4}' | grep -qE ":$PORT$"; then echo "port $PORT is taken (set BENCH_WORKER_PORT)"; exit 1; fi
jobs_file=target/bench-worker-jobs.resp
python3 - "$JOBS" "$jobs_file" <<'PY'
import sys
n, path = int(sys.argv[1]), sys.argv[2]
def resp(args):
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        b = a.encode()
        out.append(b"$%d\r\n%s\r\n" % (len(b), b))
    return b"".join(out)
with open(path, "wb") as f:
    for start in range(0, n, 1000):
        jobs = ['{"id":"b%d","type":"noop","payload":{},"attempt":0,"enqueued_at":"2026-11-26T00:00:00Z"}' % i
                for i in range(start, min(n, start + 1000))]
        f.write(resp(["LPUSH", "tasks"] + jobs))
PY

pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; }
trap cleanup EXIT

echo "# $(date -u +%FT%TZ)  $(nproc) cores; $JOBS noop jobs per run; Redis $(cli INFO server | grep -oE 'redis_version:[0-9.]+')"
if [ "${BENCH_REDIS_BASELINE:-1}" != 0 ]; then
  base=$(redis-benchmark -h "$host" -p "$rport" -q -t lpush,rpop -n 500000 | tr '\r' '\n' | grep -E 'requests per second' | grep -oE '^[A-Z]+: [0-9.]+' | tr '\n' ' ')
  piped=$(redis-benchmark -h "$host" -p "$rport" -q -t lpush,rpop -n 2000000 -P 16 | tr '\r' '\n' | grep -E 'requests per second' | grep -oE '^[A-Z]+: [0-9.]+' | tr '\n' ' ')
  echo "baseline redis-benchmark -c 50: $base (requests/s)"
  echo "baseline redis-benchmark -c 50 -P 16: $piped (requests/s)"
fi

for mode in reliable brpop; do
  cli FLUSHDB >/dev/null
  WORKER_FETCH=$mode SOUQ_RATE_LIMIT_PER_MINUTE=0 QUARKUS_HTTP_PORT=$PORT QUARKUS_MANAGEMENT_PORT=$((PORT + 1000)) \
    java "${jvm_flags[@]}" -jar worker-service/target/quarkus-app/quarkus-run.jar > "target/bench-worker-$mode.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 120); do curl -sf "localhost:$((PORT + 1000))/q/health/ready" >/dev/null && break; sleep 0.5; done
  # Warm-up: a tenth of the jobs, not counted.
  head -c $(( $(stat -c %s "$jobs_file") / 10 )) "$jobs_file" > target/bench-worker-warm.resp
  python3 - target/bench-worker-warm.resp <<'PY'
import sys
p = sys.argv[1]; d = open(p, "rb").read()
open(p, "wb").write(d[: d.rfind(b"*", 0) ])
PY
  cli --pipe < target/bench-worker-warm.resp >/dev/null
  while [ "$(cli LLEN tasks)" != 0 ]; do sleep 0.1; done
  sleep 1
  before=$(cli HGET tasks:stats processed); before=${before:-0}
  cpu0=$(awk '{print $14+$15}' /proc/$pid/stat)
  t0=$(date +%s.%N)
  cli --pipe < "$jobs_file" >/dev/null
  while :; do
    done_=$(cli HGET tasks:stats processed); done_=${done_:-0}
    [ $((done_ - before)) -ge "$JOBS" ] && break
    sleep 0.02
  done
  t1=$(date +%s.%N)
  cpu1=$(awk '{print $14+$15}' /proc/$pid/stat)
  python3 -c "
secs = $t1 - $t0
print(f'$mode: {$JOBS/secs:,.0f} jobs/s ({$JOBS} in {secs:.2f} s); worker CPU {($cpu1-$cpu0)/100/secs:.2f} cores')
print(f'RESULT worker_${mode}_jobs_per_s={$JOBS/secs:.0f}')"
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
done
