"""Peer timings for one FID at d = 2048 on the inputs FidBenchmark writes (never part of the product).

Usage (Debian's numpy/scipy): /usr/bin/python3 fid_peers.py metrics/target/bench/fid_ref.npz metrics/target/bench/fid_gen.npz
Prints seconds for pytorch-fid's scipy.linalg.sqrtm formula, the numpy symmetric route with a cached
Cholesky factor (eigvalsh of L^T S2 L), and the value of each, to compare with the Java engines.
"""
import sys
import time

import numpy as np
from scipy import linalg


def main(ref_path, gen_path):
    r, g = np.load(ref_path), np.load(gen_path)
    mu1, s1, mu2, s2 = r["mu"], r["sigma"], g["mu"], g["sigma"]
    diff = mu1 - mu2
    t0 = time.perf_counter()
    covmean, _ = linalg.sqrtm(s1.dot(s2), disp=False)
    fid_scipy = diff.dot(diff) + np.trace(s1) + np.trace(s2) - 2 * np.trace(covmean.real)
    t1 = time.perf_counter()
    l = np.linalg.cholesky(s1)
    t2 = time.perf_counter()
    ev = np.linalg.eigvalsh(l.T @ s2 @ l)
    fid_sym = diff.dot(diff) + np.trace(s1) + np.trace(s2) - 2 * np.sqrt(np.clip(ev, 0, None)).sum()
    t3 = time.perf_counter()
    print(f"d = {s1.shape[0]}, numpy {np.__version__}")
    print(f"scipy sqrtm (pytorch-fid)      score {t1 - t0:.2f} s | FID {fid_scipy:.10f}")
    print(f"numpy cholesky + eigvalsh      reference {t2 - t1:.2f} s | score {t3 - t2:.2f} s | FID {fid_sym:.10f}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
