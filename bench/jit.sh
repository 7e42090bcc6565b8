# Sourced by bench scripts that warm services up until the JIT has settled: on 2 cores, each
# service's C2 threads compile for minutes of load, and a figure taken before then measures them.
# JIT_SETTLED: seconds of compilation per JVM in a 15 s round below which it counts as settled
# (default 1.5, about 10 % of one core; the compile time jstat -compiler shows is the compiler
# threads' wall time).

# Each JVM's compile time so far, in seconds, one per PID, space-separated; "nan" for a JVM whose
# counters cannot be read, which then never counts as settled. The figure jstat -compiler prints as
# Time (java.ci.totalTime over sun.os.hrt.frequency), read straight from the JVM's hsperfdata file:
# jstat is a JVM of its own, ~0.25 s of CPU per call on an idle box, and order.sh's warm-up called
# it six times a round (its time beside the warm-up's rounds: 97 s before, 88 s after).
jit_seconds() {
  python3 - "$@" <<'PY'
import os, pwd, struct, sys

def compile_seconds(pid):
    # HotSpot's PerfData layout: a prologue, then entries of name, type and value.
    data = open(f"/tmp/hsperfdata_{pwd.getpwuid(os.geteuid()).pw_name}/{pid}", "rb").read()
    if struct.unpack(">I", data[:4])[0] != 0xCAFEC0C0:
        raise ValueError("not a PerfData file")
    e = "<" if data[4] == 1 else ">"
    offset, entries = struct.unpack(e + "ii", data[24:32])
    longs = {}
    for _ in range(entries):
        length, name_at, vector, kind, _, _, _, value_at = struct.unpack(e + "iiiBBBBi", data[offset:offset + 20])
        if kind == ord("J") and vector == 0:
            name = data[offset + name_at:data.index(b"\0", offset + name_at)].decode()
            longs[name] = struct.unpack(e + "q", data[offset + value_at:offset + value_at + 8])[0]
        offset += length
    return longs["java.ci.totalTime"] / longs["sun.os.hrt.frequency"]

out = []
for pid in sys.argv[1:]:
    try:
        out.append(f"{compile_seconds(pid):.2f}")
    except Exception:
        out.append("nan")
print(" ".join(out))
PY
}

# What each JVM compiled between two jit_seconds readings, in seconds, space-separated.
jit_spent() {
  python3 -c 'import sys; a, b = sys.argv[1].split(), sys.argv[2].split()
print(" ".join(f"{float(y) - float(x):.1f}" for x, y in zip(a, b)))' "$1" "$2"
}

# True when no JVM compiled more than JIT_SETTLED seconds per 15 s (scaled to $3 seconds) between
# two jit_seconds readings.
jit_settled() {
  python3 -c 'import sys; a, b = sys.argv[1].split(), sys.argv[2].split()
limit = float(sys.argv[4]) * float(sys.argv[3]) / 15
sys.exit(0 if len(a) == len(b) and all(float(y) - float(x) <= limit for x, y in zip(a, b)) else 1)' \
    "$1" "$2" "$3" "${JIT_SETTLED:-1.5}"
}
