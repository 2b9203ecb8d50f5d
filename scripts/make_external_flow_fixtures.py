#!/usr/bin/env python3
"""Makes the two tiny external-network packages used by ExternalFlowFixturesTest: ts-gauss (TorchScript) and
onnx-gauss (ONNX).

Both hold the same module: the exact rectified-flow velocity (t = 0 noise, t = 1 data, x_t = t*x1 + (1-t)*x0) of
the data distribution N(m, s^2 I) in 2-D with m = (1, -2), s = 0.5, so samples must equal those of the analytic
one-component Gaussian mixture with the same mean and std. Declared signature (ONNX input names): x float32 [n, 2],
t float32 [n] (network time = 1000 * t), labels int64 [n] (ignored) -> v float32 [n, 2]. The batch dimension is
dynamic.

Run once (needs torch; Debian: python3-torch, whose ONNX exporter needs no onnx package):
    /usr/bin/python3 scripts/make_external_flow_fixtures.py
Tests do not need Python: the network files and the package manifests are committed.
"""
import hashlib
import json
import os

import torch

PKG = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "engine", "src", "test", "resources", "org",
                   "flowbench", "engine", "model", "pkg")
COMMAND = "python3 scripts/make_external_flow_fixtures.py"
PROBE_X = torch.tensor([[0.3, -0.7], [2.0, 1.0]])
PROBE_T = torch.tensor([250.0, 900.0])
PROBE_LABELS = torch.tensor([-1, -1])


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
        # labels take no part in the field; adding 0 * labels keeps the input in the ONNX graph (declared signature)
        return x1 - x0 + 0.0 * labels.unsqueeze(1).to(x.dtype)


def write_package(name, architecture, file_name, save, extra_provenance):
    out = os.path.join(PKG, name)
    os.makedirs(out, exist_ok=True)
    path = os.path.join(out, file_name)
    save(path)
    sha = hashlib.sha256(open(path, "rb").read()).hexdigest()
    manifest = {
        "format": "flowbench-model/1",
        "name": name,
        "kind": "flow",
        "architecture": architecture,
        "file": file_name,
        "parameterization": "velocity",
        "path": "rectified-flow",
        "timeConvention": "t=0 noise, t=1 data; x_t = t*x1 + (1-t)*x0",
        "networkTimeScale": 1000.0,
        "input": {"x": "float32 [n, 2]", "t": "float32 [n], network time = networkTimeScale * t",
                  "labels": "int64 [n], -1 = unconditional"},
        "imageShape": [2],
        "conditioning": {"type": "none", "classNames": []},
        "weights": {file_name: {"sha256": sha, "bytes": os.path.getsize(path)}},
        "provenance": dict({"command": COMMAND, "torch": torch.__version__}, **extra_provenance),
    }
    with open(os.path.join(out, "flowbench-model.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")


def main():
    write_package("ts-gauss", "torchscript", "model.pt", lambda p: torch.jit.script(GaussVelocity()).save(p), {})
    write_package("onnx-gauss", "onnx", "model.onnx",
                  lambda p: torch.onnx.export(GaussVelocity(), (PROBE_X, PROBE_T, PROBE_LABELS), p,
                                              input_names=["x", "t", "labels"], output_names=["v"],
                                              dynamic_axes={"x": {0: "n"}, "t": {0: "n"}, "labels": {0: "n"},
                                                            "v": {0: "n"}},
                                              opset_version=13),
                  {"opset": 13})
    print("probe velocity", GaussVelocity()(PROBE_X, PROBE_T, PROBE_LABELS).tolist())


if __name__ == "__main__":
    main()
