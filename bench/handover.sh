# Sourced by bench/all.sh and bench/status.sh, which stop services that bench/order.sh started and
# handed over (ORDER_HAND_OVER / STATUS_SERVICES): such a JVM is no child of theirs.
# service_jvm MODULE PID: whether PID is that module's packaged JVM (a PID may have been reused).
service_jvm() { grep -qs "$1/target/quarkus-app/quarkus-run.jar" "/proc/$2/cmdline"; }
# gone PID: waits up to 30 s for the process to end (`wait` cannot tell for a non-child; a zombie,
# Z, counts as gone, since only its parent can reap it).
gone() {
  local _
  for _ in $(seq 1 300); do
    [ "$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null || echo Z)" = Z ] && return 0
    sleep 0.1
  done
  return 1
}
