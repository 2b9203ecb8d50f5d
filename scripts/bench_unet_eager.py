#!/usr/bin/env python3
"""PyTorch-eager baseline for docs/benchmarks.md: the flow-unet-v1 network (channels 16/48/64, embedding 128,
10 classes + null, GroupNorm 8, SiLU, avg-pool down, nearest up) at batch 64 of 1x28x28: forward alone, forward +
backward, one training step (rectified-flow loss, Adam), and Euler sampling of 192 images in batches of 64 with 1
and 50 steps, and of 16 images one at a time (batch 1, interactive latency); median of 5 after 2 warm-up runs. The Java side is FashionFlowBenchmarkTest and `flowbench train flow`.
Run: /usr/bin/python3 scripts/bench_unet_eager.py [THREADS] (default 1) [--sampling-only]
(scripts/bench_sampling.py runs it next to fresh `flowbench sample` runs for the table in docs/benchmarks.md)

With --torchscript DIR it also writes the same network, traced, as a TorchScript model package into DIR, so that
FashionFlowBenchmarkTest -Dflowbench.bench.model=DIR times this very network in Flowbench's PyTorch engine: the
difference between that and builtin:fashion-flow is Flowbench's own network code, the rest is the PyTorch build."""
import hashlib
import json
import math
import os
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

TS_DIR = sys.argv[sys.argv.index("--torchscript") + 1] if "--torchscript" in sys.argv else None
args = [a for a in sys.argv[1:] if not a.startswith("--") and a != TS_DIR]
torch.set_num_threads(int(args[0]) if args else 1)


class Block(nn.Module):
    def __init__(self, cin, cout, emb):
        super().__init__()
        self.n1 = nn.GroupNorm(8, cin)
        self.c1 = nn.Conv2d(cin, cout, 3, padding=1)
        self.e = nn.Linear(emb, cout)
        self.n2 = nn.GroupNorm(8, cout)
        self.c2 = nn.Conv2d(cout, cout, 3, padding=1)
        self.skip = nn.Conv2d(cin, cout, 1) if cin != cout else None

    def forward(self, x, e):
        h = self.c1(F.silu(self.n1(x))) + self.e(e)[:, :, None, None]
        h = self.c2(F.silu(self.n2(h)))
        return (self.skip(x) if self.skip is not None else x) + h


class UNet(nn.Module):
    def __init__(self, c0=16, c1=48, c2=64, emb=128, classes=10):
        super().__init__()
        self.t0 = nn.Linear(64, emb)
        self.t1 = nn.Linear(emb, emb)
        self.label = nn.Embedding(classes + 1, emb)
        self.inp = nn.Conv2d(1, c0, 3, padding=1)
        self.d0, self.d1, self.d2 = Block(c0, c0, emb), Block(c0, c1, emb), Block(c1, c2, emb)
        self.mid = Block(c2, c2, emb)
        self.u2, self.u1, self.u0 = Block(2 * c2, c2, emb), Block(c2 + c1, c1, emb), Block(c1 + c0, c0, emb)
        self.on = nn.GroupNorm(8, c0)
        self.out = nn.Conv2d(c0, 1, 3, padding=1)

    def forward(self, x, t, y):
        f = torch.exp(-math.log(10000.0) * torch.arange(32) / 32)
        a = 1000.0 * t[:, None] * f[None]
        e = self.t1(F.silu(self.t0(torch.cat([a.sin(), a.cos()], 1))))
        e = F.silu(e + self.label(y))
        h0 = self.d0(self.inp(x), e)
        h1 = self.d1(F.avg_pool2d(h0, 2), e)
        h2 = self.d2(F.avg_pool2d(h1, 2), e)
        h = self.mid(h2, e)
        h = self.u2(torch.cat([h, h2], 1), e)
        h = self.u1(torch.cat([F.interpolate(h, scale_factor=2, mode="nearest"), h1], 1), e)
        h = self.u0(torch.cat([F.interpolate(h, scale_factor=2, mode="nearest"), h0], 1), e)
        return self.out(F.silu(self.on(h)))


def timed(fn):
    for _ in range(2):
        fn()
    ts = []
    for _ in range(5):
        s = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - s)
    return statistics.median(ts)


net = UNet()
print("params", sum(p.numel() for p in net.parameters()))
x = torch.randn(64, 1, 28, 28)
t = torch.rand(64)
y = torch.randint(0, 11, (64,))


def fwd():
    with torch.no_grad():
        net(x, t, y)


def step():
    net.zero_grad()
    net(x, t, y).square().mean().backward()


opt = torch.optim.Adam(net.parameters(), lr=5e-4)


def train_step():
    x1 = torch.randn(64, 1, 28, 28)
    x0 = torch.randn(64, 1, 28, 28)
    tt = torch.rand(64)
    xt = tt[:, None, None, None] * x1 + (1 - tt[:, None, None, None]) * x0
    opt.zero_grad()
    (net(xt, tt, y) - (x1 - x0)).square().mean().backward()
    opt.step()


def sample(steps, batch=64, n=192):
    with torch.no_grad():
        for _ in range(n // batch):
            z = torch.randn(batch, 1, 28, 28)
            yb = y[:batch]
            for k in range(steps):
                z = z + net(z, torch.full((batch,), k / steps), yb) / steps


class NullLabel(nn.Module):
    """Flowbench passes label -1 for unconditional; the network's null class is 10."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x, t, labels):
        return self.net(x, t, torch.where(labels < 0, torch.full_like(labels, 10), labels))


if TS_DIR:
    os.makedirs(TS_DIR, exist_ok=True)
    with torch.no_grad():
        torch.jit.trace(NullLabel(net), (x, t, y)).save(os.path.join(TS_DIR, "model.pt"))
    pt = os.path.join(TS_DIR, "model.pt")
    with open(os.path.join(TS_DIR, "flowbench-model.json"), "w") as f:
        json.dump({"format": "flowbench-model/1", "name": "unet-eager-traced", "kind": "flow",
                   "architecture": "torchscript", "file": "model.pt", "parameterization": "velocity",
                   "path": "rectified-flow", "networkTimeScale": 1.0, "imageShape": [1, 28, 28],
                   "conditioning": {"type": "none", "classNames": []},
                   "weights": {"model.pt": {"sha256": hashlib.sha256(open(pt, "rb").read()).hexdigest(),
                                            "bytes": os.path.getsize(pt)}},
                   "provenance": {"command": "python3 scripts/bench_unet_eager.py --torchscript " + TS_DIR}}, f)
    print("wrote", TS_DIR)

if "--sampling-only" not in sys.argv:
    fwd_s, step_s, train_s = timed(fwd), timed(step), timed(train_step)
    print("torch %s, %d threads: fwd %.4f s  fwd+bwd %.4f s  train step %.4f s (%.1f img/s)"
          % (torch.__version__, torch.get_num_threads(), fwd_s, step_s, train_s, 64 / train_s))
for steps in (1, 50):
    s = timed(lambda: sample(steps))
    print("euler %d steps: 192 images %.3f s = %.2f img/s" % (steps, s, 192 / s))
for steps in (1, 50):
    s = timed(lambda: sample(steps, 1, 16))
    print("euler %d steps, batch 1: 16 images %.3f s = %.2f img/s" % (steps, s, 16 / s))
