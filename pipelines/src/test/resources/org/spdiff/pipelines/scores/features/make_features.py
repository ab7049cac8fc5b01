"""Feature files for the score command tests (run with Debian's /usr/bin/python3: numpy 1.24, scipy 1.10).

Writes small .npy matrices as np.save writes them, a pytorch-fid .npz, bad inputs, and expected.npz with the
values the commands must print, computed here from the definitions:
  * FID: pytorch-fid's calculate_frechet_distance (scipy.linalg.sqrtm);
  * FID_inf (Chong & Forsyth 2020): FID of the first N rows of RandomState(1009).permutation(n) for N in the
    tenths of n from max(n//10, min(2d, n//2)) up, least-squares line in 1/N (np.polyfit), intercept;
  * KID: torch-fidelity's kid_features_to_metric with input1 = FAKE (RandomState(2020), cubic kernel);
  * PRDC: Kynkaanniemi et al. 2019 / Naeem et al. 2020 with closed balls (as make_prdc_fixture.py in metrics).
Usage: /usr/bin/python3 make_features.py   (writes next to this script)
"""
import os
import numpy as np
from scipy import linalg

HERE = os.path.dirname(os.path.abspath(__file__))


def fid(mu1, s1, mu2, s2):
    covmean, _ = linalg.sqrtm(s1.dot(s2), disp=False)
    covmean = covmean.real
    d = mu1 - mu2
    return d.dot(d) + np.trace(s1) + np.trace(s2) - 2 * np.trace(covmean)


def moments(x):
    return x.mean(0), np.cov(x, rowvar=False)


def fid_inf(real, fake, seed=1009, parts=10):
    n, d = fake.shape
    smallest = max(2, max(n // 10, min(2 * d, n // 2)))
    sizes = [m * n // parts for m in range(1, parts + 1)]
    first = next(i for i, s in enumerate(sizes) if s >= smallest)
    first = min(first, parts - 2)
    grid = np.array(sizes[first:])
    perm = np.random.RandomState(seed).permutation(n)
    mr, sr = moments(real)
    fids = np.array([fid(mr, sr, *moments(fake[perm[:g]])) for g in grid])
    slope, intercept = np.polyfit(1.0 / grid, fids, 1)
    return intercept


def kid(f1, f2, subsets, size, seed=2020):
    rng = np.random.RandomState(seed)
    d = f1.shape[1]
    out = []
    for _ in range(subsets):
        x = f1[rng.choice(len(f1), size, replace=False)]
        y = f2[rng.choice(len(f2), size, replace=False)]
        kxx = (x @ x.T / d + 1) ** 3
        kyy = (y @ y.T / d + 1) ** 3
        kxy = (x @ y.T / d + 1) ** 3
        m = size
        out.append((kxx.sum() - np.trace(kxx) + kyy.sum() - np.trace(kyy)) / (m * (m - 1))
                   - 2 * kxy.sum() / m ** 2)
    return np.array([np.mean(out), np.std(out)])


def sqdist(x, y):
    return ((x[:, None, :] - y[None, :, :]) ** 2).sum(-1)


def radius2(x, k):
    dd = sqdist(x, x)
    np.fill_diagonal(dd, np.inf)
    return np.sort(dd, axis=1)[:, k - 1]


def prdc(real, fake, k, dck):
    rk, rdc, fk = radius2(real, k), radius2(real, dck), radius2(fake, k)
    drf = sqdist(real, fake)
    inside = drf <= rdc[:, None]
    return np.array([(drf <= rk[:, None]).any(0).mean(), (drf <= fk[None, :]).any(1).mean(),
                     inside.sum(0).mean() / dck, inside.any(1).mean()])


def main():
    g = np.random.default_rng(11)
    n, d = 50, 5
    mix = np.eye(d) + 0.3 * g.normal(size=(d, d))
    real = (g.normal(size=(n, d)) @ mix).astype(np.float32)
    a = g.normal(size=(n, d)) @ mix * 1.1 + 0.2
    b = (a + 0.4 * g.normal(size=(n, d)) + 0.3).astype(np.float32)
    np.save(os.path.join(HERE, "real.npy"), real)
    np.save(os.path.join(HERE, "a.npy"), a)
    np.save(os.path.join(HERE, "b.npy"), b)
    np.save(os.path.join(HERE, "logits_a.npy"), (2 * g.normal(size=(n, 4))).astype(np.float32))
    np.save(os.path.join(HERE, "logits_b.npy"), (3 * g.normal(size=(n, 4))).astype(np.float32))
    r64, b64 = real.astype(np.float64), b.astype(np.float64)
    mu, sigma = moments(r64)
    np.savez(os.path.join(HERE, "real_stats.npz"), mu=mu, sigma=sigma)
    np.save(os.path.join(HERE, "bad_d6.npy"), g.normal(size=(n, 6)))
    np.save(os.path.join(HERE, "bad_rows49.npy"), g.normal(size=(n - 1, d)))
    np.save(os.path.join(HERE, "bad_1d.npy"), g.normal(size=n))
    expected = {
        "fid_real_a": np.array(fid(*moments(r64), *moments(a))),
        "fid_real_b": np.array(fid(*moments(r64), *moments(b64))),
        "fid_inf_real_b": np.array(fid_inf(r64, b64)),
        "kid_real_a_5x20": kid(a, r64, 5, 20),
        "kid_real_a_3x50": kid(a, r64, 3, 50),
        "prdc_real_a": prdc(r64, a, 3, 5),
        "prdc_real_b": prdc(r64, b64, 3, 5),
        "prdc_real_a_k2_dc4": prdc(r64, a, 2, 4),
    }
    np.savez(os.path.join(HERE, "expected.npz"), **expected)
    for k, v in expected.items():
        print(k, v)


if __name__ == "__main__":
    main()
