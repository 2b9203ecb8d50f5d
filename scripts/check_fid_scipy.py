#!/usr/bin/env python3
"""Checks Flowbench's FID against the scipy sqrtm-based formula of pytorch-fid / clean-fid.

For d = 64 and d = 2048 it draws random full-rank features with non-trivial covariance (seeded numpy), writes them
as .npy, runs `flowbench fid --a A --b B --features identity --json` (both linear-algebra backends: OpenBLAS and the
pure-Java fallback via -Dflowbench.linalg=java) and compares with

    FD = |mu1 - mu2|^2 + tr S1 + tr S2 - 2 tr sqrtm(S1 S2)     (np.cov, rowvar=False; real part of sqrtm)

Pass: relative difference <= 1e-6. Needs numpy + scipy; the Java tests do not need Python.
Usage: python3 scripts/check_fid_scipy.py [--flowbench ./flowbench] [--dims 64 2048]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
import scipy
import scipy.linalg


def scipy_fid(x, y):
    mu1, mu2 = x.mean(0), y.mean(0)
    s1, s2 = np.cov(x, rowvar=False), np.cov(y, rowvar=False)
    covmean = scipy.linalg.sqrtm(s1.dot(s2))
    if isinstance(covmean, tuple):  # older scipy with disp=False semantics
        covmean = covmean[0]
    if np.iscomplexobj(covmean):
        covmean = covmean.real
    diff = mu1 - mu2
    return float(diff.dot(diff) + np.trace(s1) + np.trace(s2) - 2 * np.trace(covmean))


def features(rng, n, d, shift):
    mix = rng.standard_normal((d, d)) / np.sqrt(d)
    scales = np.linspace(0.2, 2.0, d)
    z = rng.standard_normal((n, d)) * scales
    return z @ mix + shift * rng.standard_normal(d)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--flowbench", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "flowbench"))
    ap.add_argument("--dims", type=int, nargs="+", default=[64, 2048])
    args = ap.parse_args()
    print(f"numpy {np.__version__}, scipy {scipy.__version__}")
    ok = True
    rng = np.random.default_rng(20240601)
    with tempfile.TemporaryDirectory() as tmp:
        for d in args.dims:
            n = 2 * d + 100
            x = features(rng, n, d, 0.0)
            y = features(rng, n + 37, d, 0.3)
            a, b = os.path.join(tmp, f"a{d}.npy"), os.path.join(tmp, f"b{d}.npy")
            np.save(a, x)
            np.save(b, y)
            t0 = time.time()
            ref = scipy_fid(x, y)
            t_scipy = time.time() - t0
            for backend in ["openblas", "java"]:
                env = dict(os.environ)
                if backend == "java":
                    env["FLOWBENCH_JAVA_OPTS"] = (env.get("FLOWBENCH_JAVA_OPTS", "") + " -Dflowbench.linalg=java").strip()
                t0 = time.time()
                out = subprocess.run([args.flowbench, "fid", "--a", a, "--b", b, "--features", "identity", "--json"],
                                     env=env, capture_output=True, text=True)
                t_java = time.time() - t0
                if out.returncode != 0:
                    print(out.stderr)
                    ok = False
                    continue
                got = json.loads(out.stdout.strip().splitlines()[-1])["fid"]
                rel = abs(got - ref) / abs(ref)
                passed = rel <= 1e-6
                ok &= passed
                print(f"d={d:5d} n={n}/{n + 37} backend={backend:8s} scipy={ref:.10f} flowbench={got:.10f} "
                      f"rel={rel:.2e} {'PASS' if passed else 'FAIL'} (scipy {t_scipy:.1f}s, flowbench {t_java:.1f}s)")
    print("ALL PASS" if ok else "SOME FAILED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
