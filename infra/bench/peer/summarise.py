"""Reads the rounds bench-peer.sh wrote (spdiff-N.txt from DiffusionBench, torch-N.txt from unet_peer.py) and
prints the side-by-side table: each round's figure for both, the speed ratio spdiff / PyTorch (> 1: spdiff is
faster; for step times that is PyTorch's ms over spdiff's) from the medians over rounds, its range over every
pairing of an spdiff round with a PyTorch round, and each side's spread over its rounds ((max - min) / median).

Usage: summarise.py DIR
"""
import glob
import os
import re
import statistics
import sys

ROWS = [
    ("MSE training step, batch 64", r"^MSE step: median ([0-9.]+) ms", "ms", False),
    ("self-perceptual step (mid-block), batch 64", r"^SP step \(mid-block\): median ([0-9.]+) ms", "ms", False),
    ("DDIM-{s}, batch {b}, CFG off", r"^DDIM-(\d+) batch (\d+) CFG off: median ([0-9.]+) images/s", "images/s", True),
    ("DDIM-{s}, batch {b}, CFG on (w=1.5)", r"^DDIM-(\d+) batch (\d+) CFG on[^:]*: median ([0-9.]+) images/s",
     "images/s", True),
]


def read(path):
    text = open(path).read().splitlines()
    figures, names = [], []
    for name, pattern, _, _ in ROWS:
        value = None
        for line in text:
            m = re.match(pattern, line)
            if m:
                value = float(m.groups()[-1])
                if len(m.groups()) == 3:
                    name = name.format(s=m.group(1), b=m.group(2))
        figures.append(value)
        names.append(name)
    return names, figures


def spread(xs):
    med = statistics.median(xs)
    return 100 * (max(xs) - min(xs)) / med if med else float("nan")


def main(d):
    runs = {}
    names = None
    for side in ("spdiff", "torch"):
        files = sorted(glob.glob(os.path.join(d, side + "-*.txt")))
        if not files:
            sys.exit(f"summarise: no {side}-*.txt in {d}")
        runs[side] = []
        for f in files:
            n, figs = read(f)
            names = names or n
            runs[side].append(figs)
    header = open(os.path.join(d, "header.txt")).read().strip() if os.path.exists(os.path.join(d, "header.txt")) else ""
    print(header)
    print()
    print("| figure | spdiff (each round) | PyTorch (each round) | speed ratio spdiff/PyTorch: medians (range over pairs) "
          "| spread over rounds: spdiff, PyTorch |")
    print("|---|---|---|---|---|")
    below = []
    for i, (_, _, unit, higher_better) in enumerate(ROWS):
        s = [r[i] for r in runs["spdiff"] if r[i] is not None]
        t = [r[i] for r in runs["torch"] if r[i] is not None]
        if not s or not t:
            print(f"| {names[i]} | {s} | {t} | missing | |")
            continue

        def speed(a, b):
            return a / b if higher_better else b / a

        ratio = speed(statistics.median(s), statistics.median(t))
        pairs = [speed(a, b) for a in s for b in t]
        if ratio < 1.0:
            below.append(names[i])
        print(f"| {names[i]} | {', '.join(f'{v:.2f}' if higher_better else f'{v:.0f}' for v in s)} {unit} "
              f"| {', '.join(f'{v:.2f}' if higher_better else f'{v:.0f}' for v in t)} {unit} "
              f"| {ratio:.2f}x ({min(pairs):.2f}-{max(pairs):.2f}) | {spread(s):.0f}%, {spread(t):.0f}% |")
    print()
    print("rows with ratio < 1.0: " + ("; ".join(below) if below else "none"))


if __name__ == "__main__":
    main(sys.argv[1])
