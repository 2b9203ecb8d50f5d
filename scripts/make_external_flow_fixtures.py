#!/usr/bin/env python3
"""Makes the tiny external-network packages used by ExternalFlowFixturesTest: ts-gauss (TorchScript) and
onnx-gauss (ONNX) on the rectified-flow path, and ts-vp-gauss and ts-ve-gauss (TorchScript) on the VP and VE paths.

Both hold the same module: the exact rectified-flow velocity (t = 0 noise, t = 1 data, x_t = t*x1 + (1-t)*x0) of
the data distribution N(m, s^2 I) in 2-D with m = (1, -2), s = 0.5, so samples must equal those of the analytic
one-component Gaussian mixture with the same mean and std. Declared signature (ONNX input names): x float32 [n, 2],
t float32 [n] (network time = 1000 * t), labels int64 [n] (ignored) -> v float32 [n, 2]. The batch dimension is
dynamic.

ts-vp-gauss predicts epsilon on the VP path (b(tau) = 0.1 + tau (20 - 0.1), tau = 1 noise) from network time
1000 * tau ("networkTime": "diffusion"); ts-ve-gauss predicts the data (x0 in diffusers' words) on the VE path
sigma from 10 to 0.01 from network input sigma itself ("networkTime": "sigma"). Both encode the same N(m, s^2 I).

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


class GaussVpEpsilon(torch.nn.Module):
    """E[x0 | x_tau] for x = alpha x1 + sigma x0, x1 ~ N(m, s^2 I), on the VP path; input 1000 * tau."""

    def __init__(self):
        super().__init__()
        self.register_buffer("m", torch.tensor([1.0, -2.0]))
        self.s2 = 0.25

    def forward(self, x: torch.Tensor, t: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        tau = (t.double() / 1000.0).unsqueeze(1)
        log_alpha = -0.5 * (0.1 * tau + 0.5 * (20.0 - 0.1) * tau * tau)
        alpha = torch.exp(log_alpha)
        sigma2 = -torch.expm1(2 * log_alpha)
        xd = x.double()
        eps = torch.sqrt(sigma2) / (alpha * alpha * self.s2 + sigma2) * (xd - alpha * self.m.double())
        return eps.float() + 0.0 * labels.unsqueeze(1).to(x.dtype)


class GaussVeData(torch.nn.Module):
    """E[x1 | x] for x = x1 + sigma x0, x1 ~ N(m, s^2 I), on the VE path; input sigma."""

    def __init__(self):
        super().__init__()
        self.register_buffer("m", torch.tensor([1.0, -2.0]))
        self.s2 = 0.25

    def forward(self, x: torch.Tensor, t: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        sigma2 = (t.double() * t.double()).unsqueeze(1)
        m = self.m.double()
        x1 = m + self.s2 / (self.s2 + sigma2) * (x.double() - m)
        return x1.float() + 0.0 * labels.unsqueeze(1).to(x.dtype)


def write_package(name, architecture, file_name, save, extra_provenance, conventions=None):
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
    if conventions:
        manifest.update(conventions)
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
    write_package("ts-vp-gauss", "torchscript", "model.pt", lambda p: torch.jit.script(GaussVpEpsilon()).save(p), {},
                  {"parameterization": "epsilon", "path": "vp",
                   "pathParameters": {"betaMin": 0.1, "betaMax": 20.0, "tauMin": 1e-3},
                   "timeConvention": "VP: tau = 1 noise, tau = 0 data; b(tau) = 0.1 + tau * (20 - 0.1)",
                   "networkTime": "diffusion", "networkTimeScale": 1000.0,
                   "input": {"x": "float32 [n, 2]", "t": "float32 [n], network time = 1000 * tau, tau = 1 - t",
                             "labels": "int64 [n], -1 = unconditional"}})
    write_package("ts-ve-gauss", "torchscript", "model.pt", lambda p: torch.jit.script(GaussVeData()).save(p), {},
                  {"parameterization": "data", "path": "ve", "pathParameters": {"sigmaMin": 0.01, "sigmaMax": 10.0},
                   "timeConvention": "VE: x = x1 + sigma * x0, sigma from 10 (noise) to 0.01 (data)",
                   "networkTime": "sigma", "networkTimeScale": 1.0,
                   "input": {"x": "float32 [n, 2]", "t": "float32 [n], network input = sigma(t)",
                             "labels": "int64 [n], -1 = unconditional"}})
    print("probe velocity", GaussVelocity()(PROBE_X, PROBE_T, PROBE_LABELS).tolist())
    print("probe VP epsilon (tau 0.75, 0.1)", GaussVpEpsilon()(PROBE_X, torch.tensor([750.0, 100.0]),
                                                                 PROBE_LABELS).tolist())
    print("probe VE data (sigma 5, 0.1)", GaussVeData()(PROBE_X, torch.tensor([5.0, 0.1]), PROBE_LABELS).tolist())


if __name__ == "__main__":
    main()
