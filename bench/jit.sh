# Sourced by bench scripts that warm services up until the JIT has settled: on 2 cores, each
# service's C2 threads compile for minutes of load, and a figure taken before then measures them.
# JIT_SETTLED: seconds of compilation per JVM in one round below which it counts as settled
# (default 1.5, 10 % of one core over a 15 s round).

# Each JVM's compile time so far, in seconds (jstat -compiler), one per PID, space-separated.
jit_seconds() {
  local p
  for p in "$@"; do jstat -compiler "$p" | awk 'NR == 2 { printf "%s ", $4 }'; done
}

# What each JVM compiled between two jit_seconds readings, in seconds, space-separated.
jit_spent() {
  python3 -c 'import sys; a, b = sys.argv[1].split(), sys.argv[2].split()
print(" ".join(f"{float(y) - float(x):.1f}" for x, y in zip(a, b)))' "$1" "$2"
}

# True when no JVM compiled more than JIT_SETTLED seconds between two jit_seconds readings.
jit_settled() {
  python3 -c 'import sys; a, b = sys.argv[1].split(), sys.argv[2].split()
sys.exit(0 if all(float(y) - float(x) <= float(sys.argv[3]) for x, y in zip(a, b)) else 1)' \
    "$1" "$2" "${JIT_SETTLED:-1.5}"
}
