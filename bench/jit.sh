# Sourced by bench scripts that warm services up until the JIT has settled: on 2 cores, each
# service's C2 threads compile for minutes of load, and a figure taken before then measures them.
# JIT_SETTLED: seconds of compilation per JVM in a 15 s round below which it counts as settled
# (default 1.5, about 10 % of one core; jstat's compile time is the compiler threads' wall time).

# Each JVM's compile time so far, in seconds (jstat -compiler), one per PID, space-separated;
# "nan" for a JVM jstat cannot read, which then never counts as settled.
jit_seconds() {
  local p t
  for p in "$@"; do
    t=$(jstat -compiler "$p" 2>/dev/null | awk 'NR == 2 { print $4 }') || true
    printf '%s ' "${t:-nan}"
  done
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
