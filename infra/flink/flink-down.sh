#!/usr/bin/env bash
# Stops the cluster that flink-up.sh started from this run dir: only the pids it recorded, and only
# if their command line still names this run dir. TERM first, KILL after 15 s.
#   infra/flink/flink-down.sh
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/flink-env.sh"
[ -d "$FLINK_PID_DIR" ] || { flink_log "nothing to stop (no $FLINK_PID_DIR)"; exit 0; }
pids=()
for pidfile in "$FLINK_PID_DIR"/taskmanager-*.pid "$FLINK_PID_DIR"/jobmanager.pid; do
  [ -f "$pidfile" ] || continue
  if flink_alive "$pidfile"; then
    pid="$(cat "$pidfile")"
    kill -TERM "$pid" 2>/dev/null || true
    pids+=("$pid")
    flink_log "stopping $(basename "$pidfile" .pid) (pid $pid)"
  fi
  rm -f "$pidfile" "${pidfile%.pid}.id"
done
for _ in $(seq 1 30); do
  alive=()
  for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive+=("$pid"); done
  [ "${#alive[@]}" -eq 0 ] && { flink_log "down"; exit 0; }
  sleep 0.5
done
for pid in "${alive[@]}"; do flink_log "pid $pid did not stop: KILL"; kill -KILL "$pid" 2>/dev/null || true; done
flink_log "down"
