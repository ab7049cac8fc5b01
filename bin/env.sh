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
# glibc malloc settings for libtorch (STACK.md; README "Benchmarks"): large tensors come from malloc's main
# heap and freed memory stays there for reuse, instead of fresh mmap'd (page-faulted, zeroed) pages on every
# allocation. MALLOC_ARENA_MAX must be 1: the JVM runs no code on the process's first thread, so with a
# second arena every Java thread allocates from it, its heaps are capped at 64 MiB, and glibc serves each
# larger request (a batch-256 activation is 51-77 MiB) with mmap even under MALLOC_MMAP_MAX_=0, then unmaps
# it on free. With 2 arenas a batch-256 bench UNet forward took ~130,000 page faults and DDIM ran at
# 2.1-3.1 images/s; with 1, a few hundred and 7.1-8.3 (2026-12-02; core.engine.MallocSettings, which also
# warns at start when a JVM lacks them).
# glibc.malloc.hugetlb=1 has malloc ask for transparent huge pages (THP "madvise" mode, as here): the first
# touch of a grown heap faults 2 MiB at a time. Generation-only runs of the demo's arm, DDIM-10 at batch
# 250, 2026-12-02 09:06-09:10 UTC: 19 then 44 images/s per shard with one arena, 40 and 40 with the
# tunable; two arenas 14 and 12, with the tunable 40 and 39.
# The JVM's own heap is unaffected. Every value can be overridden from the environment.
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-1}"
export GLIBC_TUNABLES="${GLIBC_TUNABLES:-glibc.malloc.hugetlb=1}"
export MALLOC_MMAP_MAX_="${MALLOC_MMAP_MAX_:-0}"
export MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-8589934592}"
