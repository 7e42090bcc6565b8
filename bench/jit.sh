# Sourced by bench scripts that warm services up until the JIT has settled: on 2 cores, each
# service's C2 threads compile for minutes of load, and a figure taken before then measures them.
# What counts is the CPU the JVMs' compiler threads (C1 and C2) took, read from /proc. Until
# 2026-12-06 it was the compile time jstat -compiler shows (java.ci.totalTime), the compilations'
# wall time: on a saturated 2-core box about three times their CPU, so warm-ups ran on for rounds
# in which the JIT took little of the box.
# JIT_SETTLED: the share of the box (all its cores) the compiler threads of all the JVMs together
# may take in a round for it to count as settled (default 0.05: 1.5 s of CPU in a 15 s round on
# 2 cores); a fraction, not the seconds per JVM it was before. Within it, the compilers take at
# most that share of the box from the measured work; code not yet compiled may still cost more.
# HotSpot's own compilers only: a JVMCI compiler (Graal) names its threads otherwise, and its JVM
# reads as "nan".

# Each JVM's compiler threads' CPU so far, one word per PID, space-separated: tid=seconds pairs
# joined by commas, so that a reading can be compared thread by thread (HotSpot may start and stop
# compiler threads under load; one that ended takes its time since the last reading with it);
# "nan" for a JVM whose threads cannot be read, which then never counts as settled.
jit_seconds() {
  python3 - "$@" <<'PY'
import glob, os, sys

tick = os.sysconf("SC_CLK_TCK")

def compiler_threads(pid):
    threads = []
    for task in glob.glob(f"/proc/{pid}/task/*"):
        try:
            # comm is cut at 15 characters: "C2 CompilerThre".
            if not open(f"{task}/comm").read().startswith(("C1 CompilerThre", "C2 CompilerThre")):
                continue
            fields = open(f"{task}/stat").read().rsplit(")", 1)[1].split()
        except OSError:
            continue  # a thread that ended between the listing and the read
        threads.append(f"{os.path.basename(task)}={(int(fields[11]) + int(fields[12])) / tick:.2f}")
    if not threads:
        raise ValueError(f"no compiler threads in {pid}")
    return ",".join(threads)

out = []
for pid in sys.argv[1:]:
    try:
        out.append(compiler_threads(pid))
    except Exception:
        out.append("nan")
print(" ".join(out))
PY
}

# The CPU each JVM's compiler threads took between two jit_seconds readings, in seconds,
# space-separated; with a third argument, the round's length in seconds, exits 0 if all of them
# together stayed within JIT_SETTLED of the box over it.
jit_spent() {
  python3 - "$@" "${JIT_SETTLED:-0.05}" "$(nproc)" <<'PY'
import math, sys

def parse(word):
    return None if word == "nan" else {t: float(s) for t, s in (p.split("=") for p in word.split(","))}

def spent(before, after):
    if before is None or after is None:
        return math.nan
    # A thread new since the first reading took all its time in between.
    return sum(s - before.get(t, 0.0) for t, s in after.items())

before, after = sys.argv[1].split(), sys.argv[2].split()
share = float(sys.argv[-2])
if not 0 <= share < 1:
    sys.exit(f"JIT_SETTLED is a share of the box's CPU, such as 0.05, not {share}")
if not after or len(before) != len(after):
    sys.exit(1)
seconds = [spent(parse(b), parse(a)) for b, a in zip(before, after)]
if len(sys.argv) == 5:  # no round length: print
    print(" ".join(f"{s:.1f}" for s in seconds))
else:
    limit = share * int(sys.argv[5]) * float(sys.argv[3])
    sys.exit(0 if not any(math.isnan(s) for s in seconds) and sum(seconds) <= limit else 1)
PY
}

# True when the JVMs' compiler threads together took at most JIT_SETTLED of the box in the $3
# seconds between two jit_seconds readings.
jit_settled() { jit_spent "$1" "$2" "$3"; }
