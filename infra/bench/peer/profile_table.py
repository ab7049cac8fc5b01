"""Self time per libtorch op: spdiff's traces from core's UNetProfileBench next to PyTorch's profile of the same work
(one `bench` UNet inference forward at batch 256, one training forward+backward at batch 64).

Usage: /usr/bin/python3 infra/bench/peer/profile_table.py [THREADS] [TRACE_DIR (core/target/bench)]
"""
import collections
import json
import os
import sys
import tempfile

import torch

import unet_peer as u


def self_times(path):
    """{op name: (self ms, calls)} from a Chrome trace: each complete event's duration minus its children's."""
    events = json.load(open(path))
    events = events["traceEvents"] if isinstance(events, dict) else events
    by_thread = collections.defaultdict(list)
    for e in events:
        if e.get("ph") == "X" and "dur" in e:
            by_thread[e.get("tid")].append(e)
    out = collections.defaultdict(lambda: [0.0, 0])
    for evs in by_thread.values():
        evs.sort(key=lambda e: (float(e["ts"]), -float(e["dur"])))
        stack = []  # [end, event, child time]
        for e in evs:
            ts, dur = float(e["ts"]), float(e["dur"])
            while stack and stack[-1][0] <= ts:
                end, ev, child = stack.pop()
                out[ev["name"]][0] += float(ev["dur"]) - child
                out[ev["name"]][1] += 1
            if stack:
                stack[-1][2] += dur
            stack.append([ts + dur, e, 0.0])
        while stack:
            end, ev, child = stack.pop()
            out[ev["name"]][0] += float(ev["dur"]) - child
            out[ev["name"]][1] += 1
    return {k: (v[0] / 1000, v[1]) for k, v in out.items()}


def torch_traces(threads, d):
    torch.set_num_threads(threads)
    net = u.UNet().eval()
    paths = {}
    b = 256
    for r in range(3):
        x, t, lab = torch.randn(b, 1, 28, 28), torch.full((b,), 500), torch.zeros(b, dtype=torch.long)
        with torch.inference_mode(), torch.autograd.profiler.profile(enabled=r == 2) as prof:
            net(x, t, lab)
    paths["forward"] = os.path.join(d, "torch-forward.json")
    prof.export_chrome_trace(paths["forward"])
    online = u.UNet()
    for r in range(3):
        x, t, lab = torch.randn(64, 1, 28, 28), torch.full((64,), 500), torch.zeros(64, dtype=torch.long)
        with torch.autograd.profiler.profile(enabled=r == 2) as prof:
            (online(x, t, lab) ** 2).mean().backward()
    paths["train"] = os.path.join(d, "torch-train.json")
    prof.export_chrome_trace(paths["train"])
    return paths


def main(threads, trace_dir):
    d = tempfile.mkdtemp()
    theirs = torch_traces(threads, d)
    for what in ("forward", "train"):
        ours = self_times(os.path.join(trace_dir, f"profile-{what}.json"))
        peer = self_times(theirs[what])
        print(f"\n## {what}: self ms per op (calls), spdiff (libtorch 2.7.1) vs PyTorch 1.13")
        print(f"total: spdiff {sum(v[0] for v in ours.values()):.1f} ms, PyTorch {sum(v[0] for v in peer.values()):.1f} ms")
        names = sorted(set(ours) | set(peer), key=lambda k: -max(ours.get(k, (0, 0))[0], peer.get(k, (0, 0))[0]))
        print(f"{'op':44s} {'spdiff':>16s} {'PyTorch':>16s}")
        for k in names[:28]:
            a, b = ours.get(k, (0, 0)), peer.get(k, (0, 0))
            print(f"{k[:44]:44s} {a[0]:9.1f} ({a[1]:4d}) {b[0]:9.1f} ({b[1]:4d})")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2, sys.argv[2] if len(sys.argv) > 2 else "core/target/bench")
