# Shared settings of flink-up.sh / flink-down.sh (sourced, not run). Every value can be overridden
# from the environment; the defaults make a small loopback cluster that fits next to other work.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
: "${FLINK_RUN_DIR:=$root/infra/flink/run}"          # conf/, logs/, pids/ of one cluster
: "${FLINK_REST_PORT:=8081}"                          # REST API and submission port (--flinkMaster=localhost:PORT)
: "${FLINK_RPC_PORT:=6123}"                           # JobManager RPC port
: "${FLINK_SLOTS:=2}"                                 # slots per TaskManager
: "${FLINK_PARALLELISM:=2}"                           # parallelism.default
: "${FLINK_JM_MEMORY:=1024m}"                         # jobmanager.memory.process.size
: "${FLINK_TM_MEMORY:=1536m}"                         # taskmanager.memory.process.size
: "${FLINK_RESTART_ATTEMPTS:=10}"                     # fixed-delay restart strategy
: "${FLINK_RESTART_DELAY:=2 s}"
: "${FLINK_STARTUP_TIMEOUT:=90}"                      # seconds to wait for the REST API / TaskManagers
# The pipeline jar and all its dependencies (Beam, Flink, DJL) on the processes' classpath, loaded
# parent-first: DJL must live in one classloader per JVM (libc10.so can be loaded only once).
: "${FLINK_CLASSPATH:=$root/pipelines/target/spdiff.jar:$root/pipelines/target/lib/*:$root/infra/target/flink-lib/*}"
# Threads libtorch may use in each TaskManager (the cores of this machine shared among TaskManagers).
: "${FLINK_TM_DJL_THREADS:=1}"
: "${DJL_CACHE_DIR:=${HOME:-/tmp}/.djl.ai}"
export DJL_CACHE_DIR
# glibc malloc settings of bin/env.sh, for the TaskManager JVMs (libtorch allocates through malloc).
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-1}"
export GLIBC_TUNABLES="${GLIBC_TUNABLES:-glibc.malloc.hugetlb=1}"
export MALLOC_MMAP_MAX_="${MALLOC_MMAP_MAX_:-0}"
export MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-8589934592}"
FLINK_CONF_DIR="$FLINK_RUN_DIR/conf"
FLINK_LOG_DIR="$FLINK_RUN_DIR/logs"
FLINK_PID_DIR="$FLINK_RUN_DIR/pids"

flink_log() { echo "flink: $*" >&2; }
flink_die() { echo "flink: error: $*" >&2; exit 1; }

# True if the pid file names a live process that we started (its command line names our run dir).
flink_alive() {
  local pidfile="$1" pid
  [ -f "$pidfile" ] || return 1
  pid="$(cat "$pidfile")"
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$FLINK_CONF_DIR"
}
