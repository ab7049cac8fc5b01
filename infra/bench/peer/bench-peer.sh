#!/usr/bin/env bash
# `make bench-peer`: spdiff's DiffusionBench and its PyTorch peer (unet_peer.py, Debian's python3-torch) in one
# window, alternating (spdiff, PyTorch, PyTorch, spdiff, ... so that a drift of the machine's load hits both
# sides alike), same thread count, same allocator environment (bin/env.sh). Prints every figure of both, the
# ratio and the spread over rounds; the table also goes to core/target/bench/peer/table.md.
#
# Settings (environment): BENCH_ROUNDS (2: rounds per side), BENCH_THREADS (2), BENCH_PEER_ARGS (extra
# unet_peer.py flags), BENCH_JAVA_ARGS (extra -D flags for DiffusionBench, e.g. -Dbench.ddimRepeats=2).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
cd "$root"
. bin/env.sh
rounds="${BENCH_ROUNDS:-2}"
threads="${BENCH_THREADS:-2}"
py=/usr/bin/python3
MVN="${MVN:-mvn -B -ntp}"
if ! "$py" -c 'import torch' 2>/dev/null; then
  echo "bench-peer: the peer needs Debian's python3-torch in $py: apt-get install -y python3-torch python3-numpy" >&2
  exit 2
fi
out="$root/core/target/bench/peer"
rm -rf "$out"
mkdir -p "$out"
echo "bench-peer: $rounds rounds per side, $threads threads, GLIBC_TUNABLES=${GLIBC_TUNABLES-} MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX-} \
MALLOC_MMAP_MAX_=${MALLOC_MMAP_MAX_-} MALLOC_TRIM_THRESHOLD_=${MALLOC_TRIM_THRESHOLD_-}; $(date -u '+%F %H:%M UTC')" \
  | tee "$out/header.txt"
$MVN -q -pl core test-compile -Dspotless.check.skip=true >&2

spdiff_round() {
  local r="$1"
  echo "bench-peer: spdiff round $r ($(date -u +%T))" >&2
  # shellcheck disable=SC2086
  $MVN -q -pl core test -Dspotless.check.skip=true -Dsurefire.groups=bench -Dsurefire.excludedGroups= \
    -Dtest=DiffusionBench -Dsurefire.failIfNoSpecifiedTests=false -Ddjl.threads="$threads" \
    -Ddjl.cache.dir="$DJL_CACHE_DIR" ${BENCH_JAVA_ARGS:-} >&2
  cp core/target/bench/diffusion-bench.txt "$out/spdiff-$r.txt"
  cat "$out/spdiff-$r.txt" >&2
}

torch_round() {
  local r="$1"
  echo "bench-peer: PyTorch round $r ($(date -u +%T))" >&2
  # shellcheck disable=SC2086
  "$py" infra/bench/peer/unet_peer.py --threads "$threads" ${BENCH_PEER_ARGS:-} | tee "$out/torch-$r.txt" >&2
}

for ((r = 1; r <= rounds; r++)); do
  if ((r % 2 == 1)); then
    spdiff_round "$r"
    torch_round "$r"
  else
    torch_round "$r"
    spdiff_round "$r"
  fi
done
"$py" infra/bench/peer/summarise.py "$out" | tee "$out/table.md"
