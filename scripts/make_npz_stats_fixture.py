#!/usr/bin/env python3
"""Makes the .npz statistics fixtures of the FID interop tests (numpy + scipy, as pytorch-fid computes FID).

Two sets of Gaussian statistics in d = 16 written by numpy.savez (mu, sigma; the second also with n), and their FID by
pytorch-fid's formula with scipy.linalg.sqrtm, into fid-expected.json. Run once:
python3 scripts/make_npz_stats_fixture.py (Debian: python3-numpy python3-scipy).
"""
import json
import os

import numpy as np
from scipy import linalg

OUT = os.path.join(os.path.dirname(__file__), "..", "engine", "src", "test", "resources", "org", "flowbench",
                   "engine", "metrics", "npz")


def stats(rng, d, n, shift):
    x = rng.standard_normal((n, d)) @ rng.standard_normal((d, d)) * 0.3 + shift
    return x.mean(axis=0), np.cov(x, rowvar=False)


def fid(mu1, s1, mu2, s2):
    covmean, _ = linalg.sqrtm(s1.dot(s2), disp=False)
    if np.iscomplexobj(covmean):
        covmean = covmean.real
    diff = mu1 - mu2
    return float(diff.dot(diff) + np.trace(s1) + np.trace(s2) - 2 * np.trace(covmean))


def main():
    rng = np.random.default_rng(7)
    d = 16
    mu1, s1 = stats(rng, d, 500, 0.0)
    mu2, s2 = stats(rng, d, 400, 0.25)
    os.makedirs(OUT, exist_ok=True)
    np.savez(os.path.join(OUT, "ref.npz"), mu=mu1, sigma=s1)
    np.savez(os.path.join(OUT, "gen.npz"), mu=mu2, sigma=s2, n=np.array(400))
    with open(os.path.join(OUT, "fid-expected.json"), "w") as f:
        json.dump({"fid": fid(mu1, s1, mu2, s2), "numpy": np.__version__}, f, indent=1)
    print("wrote", OUT)


if __name__ == "__main__":
    main()
