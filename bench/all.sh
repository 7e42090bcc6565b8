#!/usr/bin/env bash
# Every Souq benchmark in one go, one table: each figure beside a baseline taken in the same run
# (raw Redis, raw PostgreSQL, a bare Quarkus app, a bare Vert.x WebSocket server) and the goal of
# issue 12, met or missed. Appends the table, the command and the machine to bench/RESULTS.md.
#
# Usage: bench/all.sh [--quick] [--only part,part…] [--nmt] [--embedded] [--no-record]
#   --quick      shorter runs, noisy figures: for trying the script out
#   --only       a subset of: memory redis catalog order pgbench status notification worker
#   --nmt        also start each service with -XX:NativeMemoryTracking=summary and keep
#                `jcmd VM.native_memory summary` in target/bench-all/nmt-<service>.txt
#   --embedded   the embedded pair even where local servers answer or REDIS_URL / DATABASE_URL
#                are set: what a fresh machine runs on
#   --no-record  print the table but leave bench/RESULTS.md alone
# Servers: REDIS_URL / DATABASE_URL if set; else Redis on 127.0.0.1:6379 and PostgreSQL on
# 127.0.0.1:5432 if they answer; else the embedded pair of ./run (devstack --servers-only), where
# the benchmarks get a database souq_bench beside ./run's own.
# Load generators (wrk, redis-benchmark) run pinned to the last core with taskset, the servers
# unpinned: BENCH_PIN="" turns pinning off. Ports: 18181-18189 (the service scripts; status.sh
# 18191-18193, or order.sh's services when it takes them over) and BENCH_PORT_BASE (18190) + 1..5
# (class-archive, memory and AOT runs, done by then).
# A part whose script is missing or fails shows "not measured"; the rest still runs.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
COMMAND="bench/all.sh $*"
QUICK=false; NMT=false; RECORD=true; EMBEDDED=false
PARTS="memory redis catalog order pgbench status notification worker"
while [ $# -gt 0 ]; do
  case $1 in
    --quick) QUICK=true ;;
    --nmt) NMT=true ;;
    --embedded) EMBEDDED=true
      [ -n "${REDIS_URL:-}${DATABASE_URL:-}" ] && echo "--embedded: REDIS_URL / DATABASE_URL ignored" >&2
      unset REDIS_URL DATABASE_URL ;;
    --no-record) RECORD=false ;;
    --only) PARTS=${2//,/ }; shift ;;
    -h|--help) sed -n '2,/^set /p' "$0" | sed '$d'; exit 0 ;;
    *) echo "unknown option $1 (see bench/all.sh --help)"; exit 2 ;;
  esac
  shift
done
if $QUICK; then
  WRK_SECONDS=5; PG_SECONDS=8; SCRIPT_SECONDS=5; WORKER_JOBS=100000; RB_REQUESTS=100000; IDLE_SECONDS=3; START_RUNS=1
  # catalog.sh's rounds are 2 s here: a 1 s lead-in before each, not its default 3 s.
  export BENCH_ROUND_LEAD=${BENCH_ROUND_LEAD:-1}
  CATALOG_CONFIGS="redis:on redis:off near:on near:off bare"
else
  WRK_SECONDS=15; PG_SECONDS=20; SCRIPT_SECONDS=10; WORKER_JOBS=150000; RB_REQUESTS=150000; IDLE_SECONDS=5
  # One start of a service ranged over 2.1-3.8 s within minutes on this box: each start-up row is
  # the median of three.
  START_RUNS=3
  # Mode `none` (PostgreSQL every read) is no goal: bench/catalog.sh alone measures it.
  CATALOG_CONFIGS="redis:on redis:off near:on near:off bare"
fi
PORT_BASE=${BENCH_PORT_BASE:-18190}
last_core=$(( $(nproc) - 1 ))
export BENCH_PIN=${BENCH_PIN-$( [ "$last_core" -gt 0 ] && echo "taskset -c $last_core" )}
OUT=target/bench-all
mkdir -p "$OUT"
RESULTS=$OUT/results.txt
: > "$RESULTS"
has() { [[ " $PARTS " == *" $1 "* ]]; }
say() { printf '%s\n' "$*" >&2; }

# --- tools -------------------------------------------------------------------------------
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v redis-benchmark >/dev/null || missing+=(redis-tools)
command -v pgbench >/dev/null || missing+=(postgresql-contrib)
command -v psql >/dev/null || missing+=(postgresql-client)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  apt-get install -y "${missing[@]}" >/dev/null || { say "could not install ${missing[*]}: install them and run again"; exit 1; }
fi

# --- servers -----------------------------------------------------------------------------
devstack_pid=""
# The JVMs the memory and AOT parts start. Those parts run in a pipeline's subshell (run, below),
# where this trap cannot see their variables: they note each PID here, and an interrupted run
# stops what is still a Quarkus JVM of them.
JVM_PIDS=$OUT/jvms.pid
: > "$JVM_PIDS"
track() { printf '%s\n' "$@" >> "$JVM_PIDS"; }
cleanup() {
  local p
  for p in $(cat "$JVM_PIDS" 2>/dev/null); do
    grep -qs quarkus-run.jar "/proc/$p/cmdline" && kill "$p" 2>/dev/null
  done
  [ -n "$devstack_pid" ] && { kill "$devstack_pid" 2>/dev/null; wait "$devstack_pid" 2>/dev/null; }
}
trap cleanup EXIT
trap 'exit 130' INT TERM

redis_source="REDIS_URL"; database_source="DATABASE_URL"
if ! $EMBEDDED && [ -z "${REDIS_URL:-}" ] && redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; then
  REDIS_URL=redis://127.0.0.1:6379/0; redis_source="local Redis"
fi
if ! $EMBEDDED && [ -z "${DATABASE_URL:-}" ] && pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  psql -q -h 127.0.0.1 -U postgres -d postgres -c "CREATE DATABASE souq_bench" 2>/dev/null
  DATABASE_URL=postgresql://postgres@127.0.0.1:5432/souq_bench; database_source="local PostgreSQL"
fi
if [ -z "${REDIS_URL:-}" ] || [ -z "${DATABASE_URL:-}" ]; then
  if [ ! -f devstack/target/souq-devstack.jar ]; then
    say "No Redis on 127.0.0.1:6379 or no PostgreSQL on 127.0.0.1:5432, REDIS_URL / DATABASE_URL unset,"
    say "and no devstack/target/souq-devstack.jar to start the embedded pair: build first (./mvnw package -DskipTests)."
    exit 1
  fi
  say "starting the embedded $( [ -z "${REDIS_URL:-}" ] && echo "Redis ")$( [ -z "${DATABASE_URL:-}" ] && echo "PostgreSQL ")(devstack --servers-only, data in .souq/)"
  java -Dsouq.home="$ROOT" -jar devstack/target/souq-devstack.jar --servers-only > "$OUT/devstack.log" 2>&1 &
  devstack_pid=$!
  for _ in $(seq 1 600); do grep -q "Servers up" "$OUT/devstack.log" && break; kill -0 "$devstack_pid" 2>/dev/null || break; sleep 0.5; done
  grep -q 'Servers up' "$OUT/devstack.log" || { say "the embedded servers did not start:"; tail -5 "$OUT/devstack.log" >&2; exit 1; }
  [ -z "${REDIS_URL:-}" ] && { REDIS_URL=$(grep -oE 'REDIS_URL=\S+' "$OUT/devstack.log" | cut -d= -f2-); redis_source="embedded Redis"; }
  if [ -z "${DATABASE_URL:-}" ]; then
    # Not ./run's own database (order.sh empties its orders): one of the benchmarks' beside it.
    DATABASE_URL=$(grep -oE 'DATABASE_URL=\S+' "$OUT/devstack.log" | cut -d= -f2-)
    DATABASE_URL=${DATABASE_URL%/*}/souq_bench; database_source="embedded PostgreSQL"
    psql -q "${DATABASE_URL%/*}/postgres" -c "CREATE DATABASE souq_bench" 2>/dev/null
  fi
fi
export DATABASE_URL
# The same server, another database number: the scripts flush or fill their own (status.sh
# shares order.sh's when it takes over order.sh's services).
redis_db() { python3 -c "import sys; from urllib.parse import urlparse; u=urlparse(sys.argv[1]); print(u._replace(path='/'+sys.argv[2]).geturl())" "$REDIS_URL" "$1"; }
url_part() { python3 -c "import sys; from urllib.parse import urlparse, unquote; u=urlparse(sys.argv[1]); print({'host':u.hostname,'port':u.port or '','user':unquote(u.username or ''),'pass':unquote(u.password or ''),'db':u.path.strip('/')}[sys.argv[2]])" "$1" "$2"; }
redis_host=$(url_part "$REDIS_URL" host); redis_port=$(url_part "$REDIS_URL" port); redis_port=${redis_port:-6379}
redis_auth=(); [ -n "$(url_part "$REDIS_URL" pass)" ] && redis_auth=(-a "$(url_part "$REDIS_URL" pass)" --no-auth-warning)
pg_host=$(url_part "$DATABASE_URL" host); pg_port=$(url_part "$DATABASE_URL" port); pg_port=${pg_port:-5432}
pg_user=$(url_part "$DATABASE_URL" user); pg_db=$(url_part "$DATABASE_URL" db)
export PGPASSWORD=$(url_part "$DATABASE_URL" pass)
redis-cli -h "$redis_host" -p "$redis_port" "${redis_auth[@]}" ping >/dev/null 2>&1 || { say "Redis at $REDIS_URL does not answer"; exit 1; }
pg_isready -q -h "$pg_host" -p "$pg_port" || { say "PostgreSQL at $pg_host:$pg_port does not answer"; exit 1; }

# --- build what is missing -------------------------------------------------------------
offline=(); [ -f "$HOME/.m2/repository/io/quarkus/quarkus-bom/3.33.2/quarkus-bom-3.33.2.pom" ] && offline=(-o)
# A quarkus-run.jar of an image build is a fast-jar, whose classes no class archive can hold.
aot_jar() { [[ $1 != *quarkus-run.jar ]] || python3 -c "import sys, zipfile; sys.exit(b'AotQuarkusEntryPoint' not in zipfile.ZipFile(sys.argv[1]).read('META-INF/MANIFEST.MF'))" "$1"; }
for jar in {catalog,order,notification,worker}-service/target/quarkus-app/quarkus-run.jar devstack/target/souq-devstack.jar; do
  [ -f "$jar" ] && aot_jar "$jar" && continue
  say "$jar is missing or not an aot-jar: building (./mvnw package -DskipTests)…"
  ./mvnw -B -q "${offline[@]}" package -DskipTests >"$OUT/build.log" 2>&1 || { say "build failed, see $OUT/build.log"; exit 1; }
  break
done
bare_jar=bench/bare-quarkus/target/quarkus-app/quarkus-run.jar
if [ ! -f "$bare_jar" ] || ! aot_jar "$bare_jar" || [ -n "$(find bench/bare-quarkus/pom.xml bench/bare-quarkus/src -newer "$bare_jar" -type f -print -quit)" ]; then
  say "building bench/bare-quarkus…"
  ./mvnw -B -q "${offline[@]}" -f bench/bare-quarkus/pom.xml package -DskipTests >"$OUT/build-bare.log" 2>&1 || say "bare-quarkus build failed, see $OUT/build-bare.log"
fi
read -ra JVM_FLAGS <<<"$(java -cp devstack/target/souq-devstack.jar dev.souq.devstack.JvmFlags)"

# --- the machine ---------------------------------------------------------------------------
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
started_at=$(date -u +%FT%TZ)
java_version=$(java -version 2>&1 | head -2 | tail -1)
commit=$(git rev-parse --short HEAD 2>/dev/null)$(git diff --quiet HEAD 2>/dev/null || echo "+dirty")
redis_version=$(redis-cli -h "$redis_host" -p "$redis_port" "${redis_auth[@]}" INFO server 2>/dev/null | grep -oE 'redis_version:[0-9.]+' | cut -d: -f2)
pg_version=$(psql -h "$pg_host" -p "$pg_port" -U "$pg_user" -d "$pg_db" -Atc 'SHOW server_version' 2>/dev/null | cut -d' ' -f1)
say "# bench/all.sh $($QUICK && echo --quick) at $started_at, commit $commit, $(nproc) cores, load $load_before"
say "# Redis $redis_version ($redis_source), PostgreSQL $pg_version ($database_source), $java_version"
say "# service JVM flags: ${JVM_FLAGS[*]}; load generators ${BENCH_PIN:-not pinned}"

record() { grep -E '^RESULT [a-z0-9_]+=[0-9.]+$' | sed 's/^RESULT //' >> "$RESULTS"; }
# run <name> <command…>: its output to $OUT/<name>.log and the terminal, its RESULT lines kept.
run() {
  local name=$1; shift
  say ""; say "## $name: $*"
  local begin=$SECONDS
  "$@" 2>&1 | tee "$OUT/$name.log" | grep --line-buffered -v '^RESULT ' >&2
  local rc=${PIPESTATUS[0]}
  record < "$OUT/$name.log"
  say "(exit $rc, $((SECONDS - begin)) s)"
}
ports_free() { # the fixed ports the service scripts listen on, but those of services handed over
  local taken given; given=$(awk '{print ":" $3 "$"}' "$HANDED_OVER" 2>/dev/null | paste -sd'|')
  taken=$(ss -ltnH 2>/dev/null | awk '{print $4}' | grep -oE ':181(8[1-9])$' | grep -vE "${given:-^$}" | tr '\n' ' ')
  [ -z "$taken" ] || { say "ports $taken are taken: another benchmark or service runs; skipped"; return 1; }
}
answers() { # url pid [tries, 240]: polls the URL every 0.25 s until it answers, or the JVM is gone
  for _ in $(seq 1 "${3:-240}"); do
    curl -sf "$1" >/dev/null && return 0
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.25
  done
  return 1
}

# --- class archives: what ./run trains and starts the services from (devstack ClassArchive) ----
# A dynamic CDS archive before JDK 25, an AOT cache from it, of each service and of the bare app
# (all packaged as aot-jar, so the archive holds their classes). A training run starts it, waits
# until it is ready and stops it: the JVM writes the archive as it exits. The five train side by side
# (one after another they took ~95 s of a full run on 2 cores); nothing is measured meanwhile.
keys=(catalog order notification worker bare)
jars=({catalog,order,notification,worker}-service/target/quarkus-app/quarkus-run.jar "$bare_jar")
jdk_of() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
archive_of() { # jdk key: where that JDK's archive of it goes
  if [ "$1" -ge 25 ]; then echo "$OUT/aot-$2.aot"; else echo "$OUT/cds-$2.jsa"; fi
}
archive_flags() { # jdk key train|use
  local file; file=$(archive_of "$1" "$2")
  case "$file:$3" in
    # AOTMode=on and -Xshare:on: an archive the JVM cannot use stops it, rather than a start
    # without it passing as one.
    *.aot:use) echo "-XX:AOTCache=$file -XX:AOTMode=on" ;;
    *.aot:train) echo "-XX:AOTCacheOutput=$file" ;;
    *.jsa:use) echo "-XX:SharedArchiveFile=$file -Xshare:on" ;;
    *.jsa:train) echo "-XX:ArchiveClassesAtExit=$file -Xlog:cds=error" ;; # not its ~90 warnings
  esac
}
archive_log() { echo "$OUT/archive-$1-$2-$3.log"; } # jdk key mode
archive_run() { # java jdk key jar port train|use|plain [extra JVM flag]: starts it in the background ($!)
  local env=() flags=()
  [ "$3" = bare ] || env=(REDIS_URL="$(redis_db $((6 + $5 - PORT_BASE)))"
    SOUQ_ADMIN_TOKEN=bench-admin-token-not-for-production-use CATALOG_URL=http://127.0.0.1:1 ORDER_URL=http://127.0.0.1:1)
  [ "$6" = plain ] || read -ra flags <<<"$(archive_flags "$2" "$3" "$6")"
  env "${env[@]}" QUARKUS_HTTP_PORT=$5 QUARKUS_MANAGEMENT_PORT=$(($5 + 1000)) \
    "$1" "${JVM_FLAGS[@]}" "${flags[@]}" ${7:+"$7"} -jar "$4" > "$(archive_log "$2" "$3" "$6")" 2>&1 &
}
ready() { # key port pid: a service answers its readiness check, the bare app its endpoint
  local url="localhost:$(($2 + 1000))/q/health/ready"; [ "$1" = bare ] && url="localhost:$2/api/products/1"
  answers "$url" "$3" 480 # up to 2 minutes: five JVMs train side by side
}
train_archives() { # java jdk
  local i file pids=() trained=() failed=()
  for i in "${!keys[@]}"; do
    rm -f "$(archive_of "$2" "${keys[$i]}")"
    [ -f "${jars[$i]}" ] || { echo "${keys[$i]}: ${jars[$i]} is missing, not measured"; continue; }
    archive_run "$1" "$2" "${keys[$i]}" "${jars[$i]}" $((PORT_BASE + 1 + i)) train
    pids+=($!); trained+=("$i"); track $!
  done
  [ ${#pids[@]} -gt 0 ] || return 0
  for i in "${!trained[@]}"; do
    ready "${keys[${trained[$i]}]}" $((PORT_BASE + 1 + trained[i])) "${pids[$i]}" && continue
    echo "${keys[${trained[$i]}]}: the training run did not become ready, no archive"
    failed+=("${trained[$i]}")
  done
  kill "${pids[@]}" 2>/dev/null; wait "${pids[@]}" 2>/dev/null
  for i in "${failed[@]}"; do rm -f "$(archive_of "$2" "${keys[$i]}")"; done # as ./run keeps none
  for i in "${trained[@]}"; do
    file=$(archive_of "$2" "${keys[$i]}")
    [ -s "$file" ] && echo "${keys[$i]}: $(basename "$file"), $(( $(stat -c %s "$file") / 1048576 )) MB"
  done
  return 0
}
java_jdk=$(jdk_of java)
has memory && run class-archives train_archives java "$java_jdk"

# --- memory and start-up: each service alone, as ./run starts it (the flags, the default JDK's
# archive); first, on a quiet box --------------------------------------------------------------
started_s() { grep -oE 'started in [0-9.]+s' "$1" | grep -oE '[0-9.]+' | head -1; } # a log's, in s
idle_figures() { # name key pid log note: the idle RSS now and the log's `started in`
  local rss
  rss=$(( $(ps -o rss= -p "$3") / 1024 ))
  echo "$1: idle RSS ${rss} MB ${IDLE_SECONDS} s after ready; 'started in $(started_s "$4")s'${5:+; $5}"
  echo "RESULT rss_mb_$2=$rss"
}
start_figures() { # java jdk name key jar port mode result first: starts it until START_RUNS starts
  # ran (the first already did if first=logged, its log still in place), each stopped once ready;
  # `RESULT <result>=` the median of their `started in`
  local log starts=() n pid
  log=$(archive_log "$2" "$4" "$7")
  [ "$9" = logged ] && starts+=("$(started_s "$log")")
  for n in $(seq $((${#starts[@]} + 1)) "$START_RUNS"); do
    archive_run "$1" "$2" "$4" "$5" "$6" "$7"; pid=$!; track "$pid"
    if ready "$4" "$6" "$pid"; then
      # Quarkus opens its HTTP server a moment before it logs `started in`.
      for _ in $(seq 20); do [ -n "$(started_s "$log")" ] && break; sleep 0.1; done
      starts+=("$(started_s "$log")")
    else
      echo "$3: start $n did not become ready (see $log)"
    fi
    kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true
  done
  python3 - "$3" "$8" "${starts[@]}" <<'PY'
import statistics, sys
name, result, starts = sys.argv[1], sys.argv[2], [float(s) for s in sys.argv[3:] if s]
if starts:
    median = statistics.median(starts)
    print(f"{name}: 'started in' {', '.join(f'{s:.3f}' for s in starts)} s over {len(starts)} starts, median {median:.3f} s")
    print(f"RESULT {result}={round(median * 1000)}")
else:
    print(f"{name}: no start logged 'started in'")
PY
}
memory() {
  local i key port pid ready_ms t0 mode name
  for i in "${!keys[@]}"; do
    key=${keys[$i]}; port=$((PORT_BASE + 1 + i)); name=$key-service; [ "$key" = bare ] && name="bare Quarkus"
    [ -f "${jars[$i]}" ] || continue
    mode=use; [ -s "$(archive_of "$java_jdk" "$key")" ] || { mode=plain; echo "$name: no class archive, started without"; }
    for nmt in false true; do
      [ "$nmt" = true ] && { ! $NMT || [ "$key" = bare ]; } && continue
      local extra=; [ "$nmt" = true ] && extra=-XX:NativeMemoryTracking=summary
      t0=$(date +%s%N)
      archive_run java "$java_jdk" "$key" "${jars[$i]}" "$port" "$mode" $extra
      pid=$!; track "$pid"
      if ! ready "$key" "$port" "$pid"; then
        echo "$name did not become ready (see $(archive_log "$java_jdk" "$key" "$mode"))"; kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; continue
      fi
      ready_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
      sleep "$IDLE_SECONDS"
      if [ "$nmt" = true ]; then
        jcmd "$pid" VM.native_memory summary > "$OUT/nmt-$name.txt" 2>&1
        echo "$name NMT (committed KB): $(grep -E '^-? *(Total|Java Heap|Class|Thread|Code|GC|Internal|Other|Symbol|Metaspace|Arena Chunk)' "$OUT/nmt-$name.txt" | sed -E 's/ *\(reserved=[0-9]+KB, committed=([0-9]+)KB\)/=\1/; s/^- *//' | tr -s ' ' | tr '\n' ';')"
      else
        idle_figures "$name" "$key" "$pid" "$(archive_log "$java_jdk" "$key" "$mode")" \
          "ready after ${ready_ms} ms (JVM launch to ready)$([ $mode = use ] && echo ", from its $(basename "$(archive_of "$java_jdk" "$key")")")"
      fi
      kill "$pid"; wait "$pid" 2>/dev/null || true # its status is the SIGTERM's, not the part's
      [ "$nmt" = true ] || start_figures java "$java_jdk" "$name" "$key" "${jars[$i]}" "$port" "$mode" "start_ms_$key" logged
    done
  done
}
has memory && run memory memory

# --- start-up from an AOT cache on JDK 25+, where the default JDK is older ------------------------
# The same jars, trained as above on that JDK, then each started alone from its cache: its `started
# in` is the figure. BENCH_AOT_JAVA names the java binary; else the first JDK 25+ of JAVA_HOME,
# PATH and /usr/lib/jvm.
aot_java() {
  local candidate home version
  for candidate in "${BENCH_AOT_JAVA:-}" "${JAVA_HOME:+$JAVA_HOME/bin/java}" "$(command -v java)" /usr/lib/jvm/*/bin/java; do
    [ -n "$candidate" ] && [ -x "$candidate" ] || continue
    home=$(dirname "$(dirname "$(readlink -f "$candidate")")")
    version=$(grep -oE '^JAVA_VERSION="[0-9]+' "$home/release" 2>/dev/null | grep -oE '[0-9]+$')
    [ "${version:-0}" -ge 25 ] && { echo "$candidate"; return 0; }
  done
  return 1
}
aot_startup() {
  local java25 jdk25 i key name
  java25=$(aot_java) || { echo "no JDK 25+ here (BENCH_AOT_JAVA): start-up from an AOT cache not measured"; return 0; }
  [ "$java_jdk" -ge 25 ] && { echo "the default JDK is 25+: the memory part started the services from AOT caches"; return 0; }
  jdk25=$(jdk_of "$java25")
  echo "JDK for the AOT cache: $java25 ($("$java25" -version 2>&1 | head -1))"
  train_archives "$java25" "$jdk25"
  for i in "${!keys[@]}"; do
    key=${keys[$i]}; name=$key-service; [ "$key" = bare ] && name="bare Quarkus"
    [ -f "${jars[$i]}" ] || continue # train_archives said so
    [ -s "$(archive_of "$jdk25" "$key")" ] || { echo "$name: no AOT cache (see $(archive_log "$jdk25" "$key" train))"; continue; }
    start_figures "$java25" "$jdk25" "$name, JDK 25 AOT cache" "$key" "${jars[$i]}" $((PORT_BASE + 1 + i)) use \
      "start_ms_aot_$key" none
  done
}
has memory && run aot-startup aot_startup

# --- raw Redis -------------------------------------------------------------------------------
redis_raw() {
  $BENCH_PIN redis-benchmark -h "$redis_host" -p "$redis_port" "${redis_auth[@]}" -t get,set,lpush,rpop -c 50 -n "$RB_REQUESTS" -q \
    | tr '\r' '\n' | grep 'requests per second' \
    | awk -F'[: ]+' '{print; printf "RESULT redis_%s=%s\n", tolower($1), $2}'
}
has redis && run redis redis_raw

# --- the services' scripts ---------------------------------------------------------------------
bench_script() { # name redis-db args…: runs bench/<name>.sh when it exists and its ports are free
  local name=$1 db=$2; shift 2
  [ -x "bench/$name.sh" ] || [ -f "bench/$name.sh" ] || { say ""; say "## $name: bench/$name.sh does not exist; not measured"; return; }
  # catalog.sh and worker.sh check their own (configurable) port; the others use 18181-18189.
  case $name in catalog|worker) ;; *) ports_free || return ;; esac
  # --quick: order.sh's JIT warm-up cut to 20 s (its figures then measure C2 at work).
  # catalog.sh's latency at 1000 req/s is no figure of the table, and took ~60 s of the run (one
  # 10 s probe per configuration): bench/catalog.sh alone measures it. Nor are catalog.sh's and
  # worker.sh's own redis-benchmark runs (~35 s): the table's Redis rows come from this script's.
  REDIS_URL=$(redis_db "$db") BENCH_FIXED_RATE=0 BENCH_REDIS_BASELINE=0 \
    ORDER_WARMUP=${ORDER_WARMUP:-$($QUICK && echo 20 || echo 300)} run "$name" bash "bench/$name.sh" "$@"
}
has catalog && bench_script catalog 3 "$WRK_SECONDS" "$CATALOG_CONFIGS"
# order.sh hands its warm catalog- and order-service over to status.sh (same database, same Redis
# database 3), which then skips their starts and set-up on cold JVMs (~40 s of a full run).
HANDED_OVER=$OUT/handed-over.txt
rm -f "$HANDED_OVER"
if has order; then
  has status && hand_over=$HANDED_OVER || hand_over=""
  ORDER_HAND_OVER=$hand_over bench_script order 3 "$SCRIPT_SECONDS"
  [ -s "$HANDED_OVER" ] && track $(awk '{print $2}' "$HANDED_OVER")
fi

# TPC-B on the database the services use, unless order.sh has just measured it.
pgbench_run() {
  local args=(-h "$pg_host" -p "$pg_port" -U "$pg_user")
  pgbench "${args[@]}" -i -s 10 -q "$pg_db" 2>&1 | tail -1
  local out; out=$(pgbench "${args[@]}" -c 8 -j 2 -T "$PG_SECONDS" "$pg_db" 2>&1)
  echo "$out" | grep -E 'latency average|tps'
  echo "RESULT pgbench_tps=$(grep -oE 'tps = [0-9.]+' <<<"$out" | head -1 | awk '{print $3}')"
}
if has pgbench; then
  if grep -q '^pgbench_tps=' "$RESULTS"; then say ""; say "## pgbench: measured by order.sh in this run, not repeated"
  else run pgbench pgbench_run; fi
fi
# Its argument is the rate: 100 changes/s, the goal's.
if [ -s "$HANDED_OVER" ]; then STATUS_SERVICES=$HANDED_OVER bench_script status 3 100
elif has status; then bench_script status 5 100; fi
. bench/handover.sh
stop_handed_over() { # what status.sh did not take over and stop (it was skipped, or failed early)
  local module pid
  while read -r module pid _; do
    service_jvm "$module" "$pid" || continue
    kill "$pid"; gone "$pid"
  done < "$HANDED_OVER"
  rm -f "$HANDED_OVER"
}
[ -f "$HANDED_OVER" ] && stop_handed_over
# Without notification.sh's SSE runs, replay flood and heap per connection (about 3 minutes, no
# goal of issue 12): all.sh stays within its 15 minutes; run bench/notification.sh alone for them.
has notification && WS_SKIP_SSE=${WS_SKIP_SSE:-1} WS_SKIP_REPLAY=${WS_SKIP_REPLAY:-1} WS_SKIP_HEAP=${WS_SKIP_HEAP:-1} \
  bench_script notification 5 "$SCRIPT_SECONDS"
has worker && bench_script worker 4 "$WORKER_JOBS"

# --- the table ---------------------------------------------------------------------------------
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
pinning="not pinned"; [ -n "$BENCH_PIN" ] && pinning="pinned with \`$BENCH_PIN\`"
table=$(python3 - "$RESULTS" <<'PY'
# One row per goal of issue 12 (and the baselines): figure, its same-run baseline, ratio, goal.
import sys
r = {}
for line in open(sys.argv[1]):
    k, _, v = line.strip().partition("=")
    try:
        r[k] = float(v)
    except ValueError:
        pass

def fmt(x):
    if x is None:
        return "not measured"
    # Three decimals below 10: a ratio of 0.897 must not read as a missed 0.9.
    digits = 0 if abs(x) >= 100 else 2 if abs(x) >= 10 else 3
    return f"{x:,.{digits}f}".rstrip("0").rstrip(".") if digits else f"{x:,.0f}"

rows = []
def row(label, key, unit, base=None, base_label="", goal=None, kind=None, paired=None):
    """kind: ('ratio>=', g) the ratio figure/base; ('<=', g) / ('>=', g) the figure itself;
    ('inv>=', g) base/figure (latency against a faster baseline). paired: the key of a ratio the
    script took round by round (its median), shown instead of the ratio of the two medians."""
    v = r.get(key)
    b = r.get(base) if base else None
    ratio = None
    if paired:
        ratio = r.get(paired)
    elif v is not None and b:
        ratio = b / v if kind and kind[0] == "inv>=" else v / b
    verdict = ""
    if kind:
        op, g = kind
        x = v if op in ("<=", ">=") else ratio
        verdict = "not measured" if x is None else ("met" if (x <= g if op == "<=" else x >= g) else "**missed**")
    rows.append((label, f"{fmt(v)} {unit}" if v is not None else "not measured",
                 f"{base_label}: {fmt(b)}" if base else "", fmt(ratio) if base and ratio is not None else "",
                 goal or "", verdict))

row("raw Redis GET, -c 50", "redis_get", "req/s")
row("raw Redis SET, -c 50", "redis_set", "req/s")
row("raw Redis LPUSH, -c 50", "redis_lpush", "req/s")
row("raw Redis RPOP, -c 50", "redis_rpop", "req/s")
row("raw PostgreSQL, pgbench TPC-B -c 8 -j 2", "pgbench_tps", "tps")
row("bare Quarkus GET (fixed ~300-byte JSON), median of catalog.sh's rounds", "catalog_bare", "req/s")
# catalog.sh measures every configuration and the bare app in turns: its ratios are medians of
# ratios taken within a round (pairs seconds apart), the req/s medians of the rounds.
row("catalog `redis`, limiter on ÷ off", "catalog_redis_on", "req/s", "catalog_redis_off", "limiter off", "≥ 0.9", ("ratio>=", 0.9), "catalog_ratio_redis_on_redis_off")
row("catalog `near`, limiter on ÷ off", "catalog_near_on", "req/s", "catalog_near_off", "limiter off", "≥ 0.8", ("ratio>=", 0.8), "catalog_ratio_near_on_near_off")
row("catalog `near`, limiter on ÷ bare Quarkus", "catalog_near_on", "req/s", "catalog_bare", "bare Quarkus in turn", "≥ 0.7", ("ratio>=", 0.7), "catalog_ratio_near_on_bare")
row("catalog `redis`, limiter on ÷ bare Quarkus", "catalog_redis_on", "req/s", "catalog_bare", "bare Quarkus in turn", "≥ 0.5", ("ratio>=", 0.5), "catalog_ratio_redis_on_bare")
row("catalog `redis`, limiter off ÷ raw Redis GET", "catalog_redis_off", "req/s", "redis_get", "redis GET")
row("orders placed (2 lines, 16 conn., ≥ 100 sessions) ÷ pgbench", "orders_per_s", "orders/s", "pgbench_tps", "pgbench tps", "≥ 0.25", ("ratio>=", 0.25))
row("order p99 at half that rate", "orders_p99_ms_half_rate", "ms", goal="≤ 100 ms", kind=("<=", 100))
row("orders paid by the worker meanwhile (it keeps up if ≈ placed)", "orders_paid_per_s", "orders/s", "orders_per_s", "orders placed")
row("order warm-up until the JIT settled (at most 300 s)", "order_warmup_s", "s")
row("order: JIT settled before measuring (1 yes, 0 no: the figures include C2's work)", "order_jit_settled", "")
for part in ("order", "catalog", "worker", "postgres", "redis"):
    row(f"CPU per order placed: {part}", f"order_cpu_ms_{part}", "ms")
row("CPU per order placed: the whole box", "order_cpu_ms_box", "ms")
row("status change → WebSocket frame p50, 100 changes/s", "status_frame_p50_ms", "ms")
row("status change → WebSocket frame p99, 100 changes/s", "status_frame_p99_ms", "ms", goal="≤ 20 ms", kind=("<=", 20))
row("status API p99, 100 changes/s", "status_api_p99_ms", "ms")
# Counted from the outbox insert, so with its transaction's commit: the baseline is a commit alone.
row("relay lag outbox insert → Redis p99, 100 changes/s", "relay_lag_p99_ms", "ms", "pg_commit_p99_ms", "PostgreSQL one-row commit p99 at 100/s", "≤ 5 ms", ("<=", 5))
row("WebSocket one-to-one", "ws_one_to_one", "deliveries/s", goal="≥ 20,000/s", kind=(">=", 20000))
row("WebSocket one-to-one ÷ bare Vert.x", "ws_one_to_one", "deliveries/s", "bare_ws_one_to_one", "bare Vert.x", "≥ 0.6", ("ratio>=", 0.6))
row("WebSocket fan-out (100 users × 100 tabs)", "ws_fanout", "deliveries/s", goal="≥ 50,000/s", kind=(">=", 50000))
row("WebSocket fan-out ÷ bare Vert.x", "ws_fanout", "deliveries/s", "bare_ws_fanout", "bare Vert.x", "≥ 0.6", ("ratio>=", 0.6))
row("WebSocket p99 publish → receipt, 1,000 events/s", "ws_p99_ms", "ms", goal="≤ 5 ms", kind=("<=", 5))
row("WebSocket p99: bare Vert.x p99 ÷ Souq's", "ws_p99_ms", "ms", "bare_ws_p99_ms", "bare Vert.x", "≥ 0.6", ("inv>=", 0.6))
row("worker, noop jobs drained (reliable)", "worker_reliable_jobs_per_s", "jobs/s", "redis_rpop", "redis RPOP")
row("worker, noop jobs drained (brpop)", "worker_brpop_jobs_per_s", "jobs/s", "redis_rpop", "redis RPOP")
for svc in ("catalog", "order", "notification", "worker"):
    row(f"{svc}-service idle RSS after start-up", f"rss_mb_{svc}", "MB", "rss_mb_bare", "bare Quarkus", "≤ 200 MB", ("<=", 200))
    row(f"{svc}-service start-up (`started in`, median of three starts, one in --quick) as ./run starts it (default JDK; its CDS archive before JDK 25)", f"start_ms_{svc}", "ms", "start_ms_bare", "bare Quarkus", "≤ 1,500 ms", ("<=", 1500))
    row(f"{svc}-service start-up from its AOT cache (JDK 25+, median of three starts, one in --quick)", f"start_ms_aot_{svc}", "ms", "start_ms_aot_bare", "bare Quarkus, AOT cache", "≤ 1,500 ms", ("<=", 1500))

print("| figure | measured | baseline, same run | ratio | goal | |")
print("|---|---|---|---|---|---|")
for cells in rows:
    print("| " + " | ".join(cells) + " |")
PY
)
header="Run $started_at, \`$COMMAND\`, commit $commit: $(nproc) cores, load $load_before before / $load_after after; $java_version; Redis $redis_version ($redis_source), PostgreSQL $pg_version ($database_source); service JVM flags \`${JVM_FLAGS[*]}\`; wrk/redis-benchmark $pinning; $((SECONDS / 60)) min $((SECONDS % 60)) s."
echo
echo "$header"
echo
echo "$table"
if $RECORD; then
  { echo; echo "## bench/all.sh, $started_at"; echo; echo "$header"; echo; echo "$table"; } >> bench/RESULTS.md
  say ""; say "(appended to bench/RESULTS.md; logs in $OUT/)"
fi
