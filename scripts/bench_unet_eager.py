#!/usr/bin/env python3
"""PyTorch-eager baseline for docs/benchmarks.md: the flow-unet-v1 network (channels 16/48/64, embedding 128,
10 classes + null, GroupNorm 8, SiLU, avg-pool down, nearest up) at batch 64 of 1x28x28, forward alone and
forward + backward, 1 thread, median of 5 after 2 warm-up runs. Run: /usr/bin/python3 scripts/bench_unet_eager.py"""
import math
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)


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


print("torch %s fwd %.3f s  fwd+bwd %.3f s" % (torch.__version__, timed(fwd), timed(step)))
