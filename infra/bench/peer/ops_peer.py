"""The PyTorch side of core's UNetOpsBench: the same ops of the `bench` UNet, inference mode, median of 5 after
2 warm-up calls. Usage: /usr/bin/python3 infra/bench/peer/ops_peer.py [THREADS] [BATCH]"""
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

import unet_peer as u


def timed(x, op):
    ms = []
    for r in range(7):
        xx = x.clone()
        t0 = time.perf_counter()
        op(xx)
        if r >= 2:
            ms.append(1000 * (time.perf_counter() - t0))
    return statistics.median(ms)


@torch.inference_mode()
def main(threads, b):
    torch.set_num_threads(threads)
    torch.set_num_interop_threads(1)
    print(f"torch {torch.__version__} threads {torch.get_num_threads()}, batch {b}")
    l0, l0in, l0cat = torch.randn(b, 32, 28, 28), torch.randn(b, 1, 28, 28), torch.randn(b, 64, 28, 28)
    l1, l2, emb = torch.randn(b, 64, 14, 14), torch.randn(b, 64, 7, 7), torch.randn(b, 128)
    gn = nn.GroupNorm(8, 32)
    c32, cin, cout = nn.Conv2d(32, 32, 3, padding=1), nn.Conv2d(1, 32, 3, padding=1), nn.Conv2d(32, 1, 3, padding=1)
    c64 = nn.Conv2d(64, 64, 3, padding=1)
    r32, rup, attn = u.ResBlock(32, 32, 128, 8), u.ResBlock(64, 32, 128, 8), u.SelfAttention(64, 1, 8)
    rows = [
        ("GroupNorm [B,32,28,28]", l0, gn), ("SiLU [B,32,28,28]", l0, F.silu), ("add [B,32,28,28]", l0, lambda x: x + x),
        ("conv3x3 32->32 @28", l0, c32), ("conv_in 1->32 @28", l0in, cin), ("conv_out 32->1 @28", l0, cout),
        ("conv3x3 64->64 @14", l1, c64), ("conv3x3 64->64 @7", l2, c64),
        ("ResBlock 32->32 @28", l0, lambda x: r32(x, emb)), ("ResBlock 64->32 @28 (decoder)", l0cat, lambda x: rup(x, emb)),
        ("attention 64ch @7", l2, attn),
    ]
    for name, x, op in rows:
        print(f"{name:40s} {timed(x, op):8.2f} ms")
    net = u.UNet().eval()
    for n in (2 * b, b, b // 2, b // 4):
        x, t, lab = torch.randn(n, 1, 28, 28), torch.full((n,), 500), torch.zeros(n, dtype=torch.long)
        ms = timed(x, lambda xx: net(xx, t, lab))
        print(f"UNet forward batch {n}: {ms:.1f} ms ({ms / n:.3f} ms/image)")


def training_parts(threads, b=64):
    """ms of the online forward+backward and of the update (clip, AdamW, EMA) of an MSE step at batch b."""
    torch.set_num_threads(threads)
    net = u.UNet()
    abar = u.alpha_bar()
    data = torch.rand(256, 1, 28, 28) * 2 - 1
    tr = u.Trainer(net, abar, b, data, torch.arange(256) % 10)
    fb, up = [], []
    for r in range(6):
        x, t, lab = torch.randn(b, 1, 28, 28), torch.randint(1, 1001, (b,)), torch.randint(0, 10, (b,))
        t0 = time.perf_counter()
        tr.opt.zero_grad(set_to_none=False)
        (net(x, t, lab) ** 2).mean().backward()
        t1 = time.perf_counter()
        torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
        tr.opt.step()
        with torch.no_grad():
            for e, p in zip(tr.ema, net.parameters()):
                e.mul_(0.999).add_(p, alpha=0.001)
        t2 = time.perf_counter()
        if r >= 2:
            fb.append(1000 * (t1 - t0))
            up.append(1000 * (t2 - t1))
    print(f"training batch {b}: forward+backward {statistics.median(fb):.1f} ms, update {statistics.median(up):.1f} ms")


if __name__ == "__main__":
    training_parts(int(sys.argv[1]) if len(sys.argv) > 1 else 2)
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2, int(sys.argv[2]) if len(sys.argv) > 2 else 256)
