#!/usr/bin/env python3
"""Makes the fixture of FidPreprocessingTest: clean-fid's and pytorch-fid's preprocessing computed by the tools
themselves (Debian's python3-pil and python3-torch), for the Java port in TorchScriptFeatures / PilResize.

Inputs: three deterministic 28x28 images in [-1, 1] (float32, as Flowbench samples), one of them saturated at both
ends. Outputs, float32 NPY in engine/src/test/resources/org/flowbench/engine/metrics/:
  - resize-images.npy [3, 28, 28]: the inputs;
  - resize-clean-13.npy, resize-clean-61.npy [3, S, S]: u8 = clip((x+1)/2*255, 0, 255).astype(uint8), then PIL
    Image.fromarray(u8.astype(float32), mode='F').resize((S, S), Image.BICUBIC), clipped to [0, 255] (clean-fid's
    "clean" resizer, per channel);
  - resize-legacy-61.npy [3, 61, 61]: u8 by rounding, torch F.interpolate(..., size=(61, 61), mode='bilinear',
    align_corners=False) (pytorch-fid's resize);
  - resize-clean-features.npy [3, D]: the tiny TorchScript fixture (tiny-features.pt) on the clean images at
    299x299 replicated to RGB.
Run once with Debian's interpreter: /usr/bin/python3 scripts/make_clean_resize_fixture.py
"""
import os

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

HERE = os.path.join(os.path.dirname(__file__), "..", "engine", "src", "test", "resources", "org", "flowbench",
                    "engine", "metrics")


def images():
    yy, xx = np.meshgrid(np.arange(28), np.arange(28), indexing="ij")
    a = np.sin(xx / 3.0) * np.cos(yy / 5.0)
    b = np.tanh((xx - 14) / 4.0) * 0.9 + 0.05 * np.cos(xx * yy / 7.0)
    c = np.where((xx // 4 + yy // 4) % 2 == 0, 1.3, -1.2)  # saturated checkerboard
    return [v.astype(np.float32) for v in (a, b, c)]


def clean_u8(x):
    return np.clip((x + 1) / 2 * 255, 0, 255).astype(np.uint8)


def pil_resize(u8, size):
    img = Image.fromarray(u8.astype(np.float32), mode="F").resize((size, size), resample=Image.BICUBIC)
    return np.asarray(img).clip(0, 255)


def main():
    ims = images()
    save = lambda name, a: np.save(os.path.join(HERE, name), np.asarray(a, dtype=np.float32))
    save("resize-images.npy", np.stack(ims))
    for size in (13, 61):
        save("resize-clean-%d.npy" % size, np.stack([pil_resize(clean_u8(im), size) for im in ims]))
    legacy = []
    for im in ims:
        u8 = np.clip(np.round((im.astype(np.float64) + 1) / 2 * 255), 0, 255)
        t = torch.tensor(u8, dtype=torch.float32)[None, None]
        legacy.append(F.interpolate(t, size=(61, 61), mode="bilinear", align_corners=False)[0, 0].numpy())
    save("resize-legacy-61.npy", np.stack(legacy))
    net = torch.jit.load(os.path.join(HERE, "tiny-features.pt"))
    batch = np.stack([np.stack([pil_resize(clean_u8(im), 299)] * 3) for im in ims]).astype(np.float32)
    with torch.no_grad():
        save("resize-clean-features.npy", net(torch.tensor(batch)).numpy())


if __name__ == "__main__":
    main()
