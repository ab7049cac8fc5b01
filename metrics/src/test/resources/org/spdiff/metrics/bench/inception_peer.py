"""Peer throughput for InceptionThroughputBenchmark: the torch.nn FID Inception of fixtures/inception_oracle.py
(torch 1.13, Debian's /usr/bin/python3), batches of 28x28 grayscale upsampled to 299 as pytorch-fid does, one warm-up
batch. InceptionThroughputBenchmark runs it between its own rounds.
Usage: /usr/bin/python3 inception_peer.py THREADS [BATCHES] [BATCH]
"""
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures"))
import inception_oracle  # noqa: E402


def main(threads, batches, batch):
    torch.set_num_threads(threads)
    net = inception_oracle.FidInception().eval()
    images = np.random.default_rng(0).integers(0, 256, size=(batch, 1, 28, 28), dtype=np.uint8)

    def run():
        x = torch.from_numpy(images.astype(np.float32) / 255.0)
        x = F.interpolate(x, size=(299, 299), mode="bilinear", align_corners=False)
        with torch.no_grad():
            return net((2 * x - 1).repeat(1, 3, 1, 1))

    run()
    t0 = time.perf_counter()
    for _ in range(batches):
        run()
    s = time.perf_counter() - t0
    print(f"torch {torch.__version__} Inception, batch {batch}, threads {threads}: {batch * batches / s:.2f} images/s")


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 2, int(sys.argv[3]) if len(sys.argv) > 3 else 50)
