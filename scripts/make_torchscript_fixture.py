#!/usr/bin/env python3
"""Makes the tiny TorchScript feature-extractor fixture used by TorchScriptFeaturesTest.

It has the input/output interface of clean-fid's TorchScript Inception (inception-2015-12-05.pt):
input float32 N x 3 x H x W with values in [0, 255]; when H, W differ from the network's own size the module
resizes internally (bilinear, align_corners=False), like the legacy_tensorflow path; output N x D features.
Here the network size is 8 x 8 and D = 6: (x - 128) / 128, a fixed 3x3 conv to 3 channels, ReLU, global average
pool, concatenated with the per-channel means of the normalised input.

Also writes the expected features of a deterministic input so that the Java test can check DJL against PyTorch
without Python. Run once: python3 scripts/make_torchscript_fixture.py (needs torch; Debian: python3-torch).
"""
import json
import os

import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(__file__), "..", "engine", "src", "test", "resources", "org", "flowbench",
                   "engine", "metrics")


class TinyFeatures(torch.nn.Module):
    def __init__(self):
        super().__init__()
        w = torch.arange(3 * 3 * 3 * 3, dtype=torch.float32).reshape(3, 3, 3, 3)
        self.weight = torch.nn.Parameter(torch.cos(0.37 * w) / 9.0, requires_grad=False)
        self.bias = torch.nn.Parameter(torch.tensor([0.05, -0.02, 0.01]), requires_grad=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.shape[2] != 8 or x.shape[3] != 8:
            x = F.interpolate(x, size=(8, 8), mode="bilinear", align_corners=False)
        x = (x - 128.0) / 128.0
        h = F.relu(F.conv2d(x, self.weight, self.bias, padding=1))
        return torch.cat([h.mean(dim=(2, 3)), x.mean(dim=(2, 3))], dim=1)


def probe_input(n, h, w):
    """The deterministic uint8-valued test input (N x 3 x H x W) the Java test rebuilds."""
    n_i = torch.arange(n).reshape(n, 1, 1, 1)
    c_i = torch.arange(3).reshape(1, 3, 1, 1)
    h_i = torch.arange(h).reshape(1, 1, h, 1)
    w_i = torch.arange(w).reshape(1, 1, 1, w)
    return ((n_i * 31 + c_i * 7 + h_i * 13 + w_i * 3) % 256).float()


def main():
    torch.manual_seed(0)
    m = torch.jit.script(TinyFeatures().eval())
    os.makedirs(OUT, exist_ok=True)
    m.save(os.path.join(OUT, "tiny-features.pt"))
    expected = {}
    with torch.no_grad():
        for (h, w) in [(8, 8), (12, 12)]:
            expected[f"{h}x{w}"] = m(probe_input(2, h, w)).tolist()
    with open(os.path.join(OUT, "tiny-features-expected.json"), "w") as f:
        json.dump({"torch": torch.__version__, "features": expected}, f, indent=1)
    print("wrote", OUT)


if __name__ == "__main__":
    main()
