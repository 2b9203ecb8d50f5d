#!/usr/bin/env python3
"""Makes the tiny TorchScript velocity-field package used by TorchScriptFlowModelTest.

The module's velocity is the exact rectified-flow velocity (t = 0 noise, t = 1 data, x_t = t*x1 + (1-t)*x0) of the
data distribution N(m, s^2 I) in 2-D with m = (1, -2), s = 0.5, so samples must equal those of the analytic
one-component Gaussian mixture with the same mean and std. Signature: forward(x: float32 [n, 2], t: float32 [n]
(network time = 1000 * t), labels: int64 [n]) -> float32 [n, 2]; labels are ignored.

Run once (needs torch; Debian: python3-torch): /usr/bin/python3 scripts/make_torchscript_flow_fixture.py
Tests do not need Python: the .pt file and the package manifest are committed.
"""
import hashlib
import json
import os

import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "engine", "src", "test", "resources", "org",
                   "flowbench", "engine", "model", "pkg", "ts-gauss")


class GaussVelocity(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("m", torch.tensor([1.0, -2.0]))
        self.s2 = 0.25

    def forward(self, x: torch.Tensor, t: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        tt = (t / 1000.0).unsqueeze(1)
        var = tt * tt * self.s2 + (1 - tt) * (1 - tt)
        r = x - tt * self.m
        x1 = self.m + tt * self.s2 / var * r
        x0 = (1 - tt) / var * r
        return x1 - x0


def main():
    os.makedirs(OUT, exist_ok=True)
    mod = torch.jit.script(GaussVelocity())
    pt = os.path.join(OUT, "model.pt")
    mod.save(pt)
    sha = hashlib.sha256(open(pt, "rb").read()).hexdigest()
    manifest = {
        "format": "flowbench-model/1",
        "name": "ts-gauss",
        "kind": "flow",
        "architecture": "torchscript",
        "file": "model.pt",
        "parameterization": "velocity",
        "path": "rectified-flow",
        "timeConvention": "t=0 noise, t=1 data; x_t = t*x1 + (1-t)*x0",
        "networkTimeScale": 1000.0,
        "input": {"x": "float32 [n, 2]", "t": "float32 [n], network time = networkTimeScale * t",
                  "labels": "int64 [n], -1 = unconditional"},
        "imageShape": [2],
        "conditioning": {"type": "none", "classNames": []},
        "weights": {"model.pt": {"sha256": sha, "bytes": os.path.getsize(pt)}},
        "provenance": {"command": "python3 scripts/make_torchscript_flow_fixture.py", "torch": torch.__version__},
    }
    with open(os.path.join(OUT, "flowbench-model.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    x = torch.tensor([[0.3, -0.7], [2.0, 1.0]])
    t = torch.tensor([250.0, 900.0])
    print("probe velocity", mod(x, t, torch.tensor([-1, -1])).tolist())


if __name__ == "__main__":
    main()
