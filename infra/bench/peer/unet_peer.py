"""The PyTorch peer of spdiff's DiffusionBench (core/src/test/java/org/spdiff/core/bench/DiffusionBench.java).

The `bench` UNet of core's UNetPresets written as plain torch.nn (guided-diffusion layout, same parameter names,
shapes and count: 1,114,209, asserted), and the same four figures under the same settings:

  * MSE training step, batch 64: v-prediction on a zero-terminal-SNR scaled-linear schedule (T = 1000), uniform t,
    10% label dropout, AdamW (lr 1e-4, no decay), gradient clipping at norm 1, EMA update (warm-up decay);
  * self-perceptual step (Lin & Yang 2024): the same online step, then both branches re-noised to a uniform t'
    (predicted pairing) through a frozen copy of the net up to the mid-block, MSE between the features;
  * DDIM-50 (eta 0, trailing spacing, x0 clipped to [-1, 1]) at batch 256, CFG off and on (w = 1.5), under
    torch.inference_mode.

Prints the same lines as DiffusionBench ("MSE step: median X ms [...]", "DDIM-50 batch 256 CFG off: median X
images/s [...]"), which infra/bench/peer/bench-peer.sh parses. Run with Debian's /usr/bin/python3 (torch 1.13):

  /usr/bin/python3 infra/bench/peer/unet_peer.py --threads 2

Only a benchmark peer: the product never imports torch.
"""
import argparse
import math
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

BENCH_PARAMS = 1_114_209


class TimestepEmbedding(nn.Module):
    def __init__(self, sinusoid_dim, embed_dim):
        super().__init__()
        self.sinusoid_dim = sinusoid_dim
        self.linear1 = nn.Linear(sinusoid_dim, embed_dim)
        self.linear2 = nn.Linear(embed_dim, embed_dim)

    def forward(self, t):
        half = self.sinusoid_dim // 2
        freqs = torch.exp(torch.arange(half, dtype=torch.float32) * (-math.log(10000.0) / half))
        args = t.float().reshape(-1, 1) * freqs.reshape(1, half)
        return self.linear2(F.silu(self.linear1(torch.cat([args.cos(), args.sin()], 1))))


class ResBlock(nn.Module):
    def __init__(self, cin, cout, emb, groups):
        super().__init__()
        self.cout = cout
        self.norm1 = nn.GroupNorm(groups, cin)
        self.conv1 = nn.Conv2d(cin, cout, 3, padding=1)
        self.emb_proj = nn.Linear(emb, cout)
        self.norm2 = nn.GroupNorm(groups, cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1)
        self.skip = nn.Conv2d(cin, cout, 1) if cin != cout else None

    def forward(self, x, emb_act):
        h = self.conv1(F.silu(self.norm1(x)))
        h = h + self.emb_proj(emb_act).reshape(-1, self.cout, 1, 1)
        h = self.conv2(F.silu(self.norm2(h)))
        return (x if self.skip is None else self.skip(x)) + h


class SelfAttention(nn.Module):
    def __init__(self, channels, heads, groups):
        super().__init__()
        self.channels = channels
        self.heads = heads
        self.norm = nn.GroupNorm(groups, channels)
        self.qkv = nn.Conv2d(channels, 3 * channels, 1)
        self.proj = nn.Conv2d(channels, channels, 1)

    def forward(self, x):
        n, c, hh, ww = x.shape
        length = hh * ww
        d = c // self.heads
        q, k, v = self.qkv(self.norm(x)).reshape(n, 3 * c, length).chunk(3, dim=1)
        q = q.reshape(n * self.heads, d, length)
        k = k.reshape(n * self.heads, d, length)
        v = v.reshape(n * self.heads, d, length)
        w = torch.softmax(torch.bmm(q.transpose(1, 2), k) * (1 / math.sqrt(d)), dim=-1)
        out = torch.bmm(v, w.transpose(1, 2)).reshape(n, c, hh, ww)
        return x + self.proj(out)


class UNet(nn.Module):
    """core's UNet with the `bench` preset: base 32, mults (1, 2, 2), one residual block per level, one-head
    attention at 7x7 and in the mid-block, 8 groups, time embedding 128 from 32 sinusoids, 10 classes + null."""

    def __init__(self, base=32, mults=(1, 2, 2), num_res=1, attn_sizes=(7,), heads=1, groups=8, emb=128,
                 sinusoid=32, num_classes=10, image_size=28, in_ch=1, out_ch=1):
        super().__init__()
        self.num_classes = num_classes
        self.time_embed = TimestepEmbedding(sinusoid, emb)
        self.class_embed = nn.Embedding(num_classes + 1, emb)
        self.conv_in = nn.Conv2d(in_ch, base, 3, padding=1)
        sizes = [image_size]
        for _ in range(len(mults) - 1):
            sizes.append((sizes[-1] + 1) // 2)
        ch = base
        skips = [ch]
        self.down_res, self.down_attn, self.downsample = nn.ModuleList(), nn.ModuleList(), nn.ModuleList()
        for lvl, m in enumerate(mults):
            out = base * m
            res, attn = nn.ModuleList(), nn.ModuleList()
            for _ in range(num_res):
                res.append(ResBlock(ch, out, emb, groups))
                ch = out
                if sizes[lvl] in attn_sizes:
                    attn.append(SelfAttention(ch, heads, groups))
                skips.append(ch)
            self.down_res.append(res)
            self.down_attn.append(attn)
            if lvl < len(mults) - 1:
                self.downsample.append(nn.Conv2d(ch, ch, 3, stride=2, padding=1))
                skips.append(ch)
        self.mid_res1 = ResBlock(ch, ch, emb, groups)
        self.mid_attn = SelfAttention(ch, heads, groups)
        self.mid_res2 = ResBlock(ch, ch, emb, groups)
        self.up_res, self.up_attn, self.upsample = nn.ModuleList(), nn.ModuleList(), nn.ModuleList()
        for lvl in reversed(range(len(mults))):
            out = base * mults[lvl]
            res, attn = nn.ModuleList(), nn.ModuleList()
            for _ in range(num_res + 1):
                res.append(ResBlock(ch + skips.pop(), out, emb, groups))
                ch = out
                if sizes[lvl] in attn_sizes:
                    attn.append(SelfAttention(ch, heads, groups))
            self.up_res.append(res)
            self.up_attn.append(attn)
            if lvl > 0:
                self.upsample.append(nn.Conv2d(ch, ch, 3, padding=1))
        self.norm_out = nn.GroupNorm(groups, ch)
        self.conv_out = nn.Conv2d(ch, out_ch, 3, padding=1)
        # guided-diffusion's zero init of each residual conv2, attention proj and conv_out
        for mod in self.modules():
            if isinstance(mod, ResBlock):
                nn.init.zeros_(mod.conv2.weight), nn.init.zeros_(mod.conv2.bias)
            if isinstance(mod, SelfAttention):
                nn.init.zeros_(mod.proj.weight), nn.init.zeros_(mod.proj.bias)
        nn.init.zeros_(self.conv_out.weight), nn.init.zeros_(self.conv_out.bias)

    def _emb(self, t, labels):
        return F.silu(self.time_embed(t) + self.class_embed(labels))

    def _encode(self, x, e, skips):
        h = self.conv_in(x)
        skips.append(h)
        for lvl in range(len(self.down_res)):
            attn = iter(self.down_attn[lvl])
            for res in self.down_res[lvl]:
                h = res(h, e)
                a = next(attn, None)
                if a is not None:
                    h = a(h)
                skips.append(h)
            if lvl < len(self.downsample):
                h = self.downsample[lvl](h)
                skips.append(h)
        return h

    def _middle(self, h, e):
        return self.mid_res2(self.mid_attn(self.mid_res1(h, e)), e)

    def forward(self, x, t, labels):
        e = self._emb(t, labels)
        skips = []
        h = self._middle(self._encode(x, e, skips), e)
        for s in range(len(self.up_res)):
            attn = iter(self.up_attn[s])
            for res in self.up_res[s]:
                h = res(torch.cat([h, skips.pop()], 1), e)
                a = next(attn, None)
                if a is not None:
                    h = a(h)
            if s < len(self.upsample):
                target = skips[-1].shape
                h = self.upsample[s](F.interpolate(h, size=(target[2], target[3]), mode="nearest"))
        return self.conv_out(F.silu(self.norm_out(h)))

    def mid_features(self, x, t, labels):
        e = self._emb(t, labels)
        return self._middle(self._encode(x, e, []), e)


def alpha_bar(T=1000):
    """scaled-linear betas (sqrt-linear from 0.00085 to 0.012), rescaled to zero terminal SNR (Lin et al. 2023),
    indexed 0..T (abar_0 = 1)."""
    betas = torch.linspace(math.sqrt(0.00085), math.sqrt(0.012), T, dtype=torch.float64) ** 2
    abar = torch.cumprod(1 - betas, 0)
    sq = abar.sqrt()
    first, last = sq[0].clone(), sq[-1].clone()
    sq = (sq - last) * first / (first - last)
    abar = sq ** 2
    abar[-1] = 0.0
    return torch.cat([torch.ones(1, dtype=torch.float64), abar])


def coef(abar, t):
    a = abar[t].sqrt().float().reshape(-1, 1, 1, 1)
    s = (1 - abar[t]).sqrt().float().reshape(-1, 1, 1, 1)
    return a, s


class Trainer:
    def __init__(self, net, abar, batch, data, labels, perceptual=None):
        self.net, self.abar, self.batch = net, abar, batch
        self.data, self.labels, self.perceptual = data, labels, perceptual
        self.opt = torch.optim.AdamW(net.parameters(), lr=1e-4, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0)
        self.ema = [p.detach().clone() for p in net.parameters()]
        self.k = 0
        self.gen = torch.Generator().manual_seed(0)

    def step(self):
        b, g = self.batch, self.gen
        idx = torch.randint(0, self.data.shape[0], (b,), generator=g)
        x0 = self.data[idx]
        lab = self.labels[idx].clone()
        lab[torch.rand(b, generator=g) < 0.1] = self.net.num_classes
        t = torch.randint(1, 1001, (b,), generator=g)
        eps = torch.randn(x0.shape, generator=g)
        a, s = coef(self.abar, t)
        xt = a * x0 + s * eps
        pred = self.net(xt, t, lab)
        if self.perceptual is None:
            loss = ((pred - (a * eps - s * x0)) ** 2).reshape(b, -1).mean(1).mean()
        else:
            x0_hat = a * xt - s * pred
            eps_hat = a * pred + s * xt
            tp = torch.randint(1, 1001, (b,), generator=g)
            ap, sp = coef(self.abar, tp)
            with torch.no_grad():
                h_real = self.perceptual.mid_features(ap * x0 + sp * eps, tp, lab)
            h_pred = self.perceptual.mid_features(ap * x0_hat + sp * eps_hat, tp, lab)
            loss = ((h_pred - h_real) ** 2).mean()
        self.opt.zero_grad(set_to_none=False)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(self.net.parameters(), 1.0)
        self.opt.step()
        self.k += 1
        d = min(0.999, (1 + self.k) / (10 + self.k))
        with torch.no_grad():
            for e, p in zip(self.ema, self.net.parameters()):
                e.mul_(d).add_(p, alpha=1 - d)
        return float(loss)


def step_times(trainer, warm, steps):
    ms = []
    for i in range(warm + steps):
        t0 = time.perf_counter()
        trainer.step()
        if i >= warm:
            ms.append(1000 * (time.perf_counter() - t0))
    return ms


def trailing(T, steps):
    return [round(T - k * T / steps) for k in range(steps)]


@torch.inference_mode()
def ddim(net, abar, batch, steps, cfg, gen, batched_cfg):
    labels = torch.arange(batch) % 10
    null = torch.full((batch,), net.num_classes, dtype=torch.long)
    x = torch.randn((batch, 1, 28, 28), generator=gen)
    ts = trailing(1000, steps)
    for k, t in enumerate(ts):
        s = ts[k + 1] if k + 1 < len(ts) else 0
        tt = torch.full((batch,), t, dtype=torch.long)
        if cfg == 0:
            pred = net(x, tt, labels)
        else:
            if batched_cfg:
                cond, uncond = net(torch.cat([x, x]), torch.cat([tt, tt]), torch.cat([labels, null])).chunk(2)
            else:
                cond, uncond = net(x, tt, labels), net(x, tt, null)
            pred = cond + cfg * (cond - uncond)
        a, sg = math.sqrt(abar[t]), math.sqrt(1 - abar[t])
        x0 = (a * x - sg * pred).clamp(-1, 1)
        eps = (x - a * x0) / sg
        x = math.sqrt(abar[s]) * x0 + math.sqrt(max(0.0, 1 - abar[s])) * eps
    return x.clamp(-1, 1)


def fmt(xs):
    return "[" + ", ".join(f"{v:.1f}" for v in xs) + "]"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--ddim-batch", type=int, default=256)
    ap.add_argument("--ddim-steps", type=int, default=50)
    ap.add_argument("--ddim-repeats", type=int, default=1)
    ap.add_argument("--cfg-mode", choices=["two-pass", "batched"], default="two-pass",
                    help="CFG as two forward passes of the batch (default, as spdiff on CPU) or one of 2B")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(0)

    net = UNet()
    n_params = sum(p.numel() for p in net.parameters())
    assert n_params == BENCH_PARAMS, f"bench UNet has {n_params} parameters, spdiff's has {BENCH_PARAMS}"
    print(f"torch {torch.__version__} bench UNet: {n_params} params; batch {args.batch}; threads "
          f"{torch.get_num_threads()}; {args.warmup} warm-up + {args.steps} timed steps")
    gen = torch.Generator().manual_seed(3)
    n = max(256, args.batch)
    data = torch.randint(0, 256, (n, 1, 28, 28), generator=gen).float() / 127.5 - 1
    labels = torch.arange(n) % 10
    abar = alpha_bar()

    mse = Trainer(net, abar, args.batch, data, labels)
    mse_ms = step_times(mse, args.warmup, args.steps)
    perceptual = UNet()
    perceptual.load_state_dict(net.state_dict())
    perceptual.requires_grad_(False)
    sp = Trainer(net, abar, args.batch, data, labels, perceptual)
    sp_ms = step_times(sp, args.warmup, args.steps)
    m1, m2 = statistics.median(mse_ms), statistics.median(sp_ms)
    print(f"MSE step: median {m1:.1f} ms {fmt(mse_ms)}")
    print(f"SP step (mid-block): median {m2:.1f} ms {fmt(sp_ms)}")
    print(f"SP/MSE ratio: {m2 / m1:.2f}")

    with torch.no_grad():
        for p, e in zip(net.parameters(), mse.ema):
            p.copy_(e)
    net.eval()
    ddim(net, abar, args.ddim_batch, 2, 1.0, torch.Generator().manual_seed(1), args.cfg_mode == "batched")
    for cfg in (0.0, 1.5):
        ips = []
        for _ in range(args.ddim_repeats):
            t0 = time.perf_counter()
            ddim(net, abar, args.ddim_batch, args.ddim_steps, cfg, torch.Generator().manual_seed(1),
                 args.cfg_mode == "batched")
            ips.append(args.ddim_batch / (time.perf_counter() - t0))
        label = "off" if cfg == 0 else f"on (w={cfg})"
        print(f"DDIM-{args.ddim_steps} batch {args.ddim_batch} CFG {label}: median "
              f"{statistics.median(ips):.2f} images/s {fmt(ips)}")


if __name__ == "__main__":
    main()
