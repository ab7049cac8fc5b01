# Environment shared by bin/setup, bin/spdiff and the Makefile (sourced, not run).
# DJL runs offline from a writable cache; libtorch threads match the cores unless told otherwise.
: "${DJL_CACHE_DIR:=${HOME:-/tmp}/.djl.ai}"
if ! mkdir -p "$DJL_CACHE_DIR" 2>/dev/null || ! [ -w "$DJL_CACHE_DIR" ]; then
  DJL_CACHE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.djl"
  mkdir -p "$DJL_CACHE_DIR"
fi
export DJL_CACHE_DIR
# SPDIFF_THREADS, when set, fixes libtorch's intra-op threads; otherwise spdiff derives them from
# the cores and the runner's parallelism.
# glibc malloc settings for libtorch (STACK.md; README "Benchmarks"): few arenas, large tensors from the
# heap instead of fresh mmap'd (page-faulted, zeroed) pages on every allocation, and freed memory kept for
# reuse instead of trimmed back to the kernel. Large-batch sampling was up to 1.2x faster with them; the
# JVM's own heap is unaffected. Every value can be overridden from the environment.
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
export MALLOC_MMAP_MAX_="${MALLOC_MMAP_MAX_:-0}"
export MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-8589934592}"
