#!/usr/bin/env python3
"""Makes the tiny TorchScript reward fixture used by the reward-package tests.

Interface of a Flowbench TorchScript reward: forward(x, labels) with x float32 N x C x H x W in [-1, 1] and labels
int64 N (-1 = no prompt), returning float32 N rewards (higher is better), differentiable in x. Here
r(x, y) = -mean((x - 0.1 * y)^2) over pixels (y = 0 when there is no prompt): its gradient is known in closed form,
-2 (x - 0.1 y) / d, so the Java test checks both the value and the backward pass without Python.
Run once: python3 scripts/make_torchscript_reward_fixture.py (needs torch; Debian: python3-torch).
"""
import json
import os

import torch

OUT = os.path.join(os.path.dirname(__file__), "..", "engine", "src", "test", "resources", "org", "flowbench",
                   "engine", "model", "pkg", "ts-reward")


class TinyReward(torch.nn.Module):
    def forward(self, x: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        y = torch.clamp(labels, min=0).to(x.dtype).reshape(-1, 1, 1, 1)
        return -((x - 0.1 * y) ** 2).mean(dim=(1, 2, 3))


def main():
    m = torch.jit.script(TinyReward().eval())
    os.makedirs(OUT, exist_ok=True)
    m.save(os.path.join(OUT, "reward.pt"))
    print("wrote", OUT, "torch", torch.__version__)


if __name__ == "__main__":
    main()
