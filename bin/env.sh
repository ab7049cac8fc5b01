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
# glibc malloc settings measured to help large-batch libtorch sampling (STACK.md).
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
