#!/usr/bin/env python3
"""Sampling speed as a user meets it, against PyTorch eager on the same network, in one run (docs/benchmarks.md,
issue "faster than PyTorch eager"). For each thread count and each configuration (Euler 1 and 50 steps; 192 images
in batches of 64, and 16 images one at a time) it starts a fresh `flowbench sample` RUNS times and takes the median
of its manifest's wallSeconds (sampling only, first batch included; loading and compiling the model are not in it),
once with the compiled network (the default) and once op by op (-Dflowbench.network=djl, the path before), and runs
scripts/bench_unet_eager.py (median of 5 after 2 warm-ups) for the eager figure. Prints a Markdown table.

Run from the repository root after `mvn -o install -DskipTests`:
  /usr/bin/python3 scripts/bench_sampling.py [--threads 1,2] [--runs 5] [--skip-op-by-op]"""
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time


def arg(name, default):
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


THREADS = [int(t) for t in arg("--threads", "1,2").split(",")]
RUNS = int(arg("--runs", "5"))
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
APP = os.path.join(ROOT, "app", "target")
JAR = [f for f in os.listdir(APP) if f.startswith("flowbench-app-") and f.endswith(".jar")][0]
CP = os.path.join(APP, JAR) + ":" + os.path.join(APP, "lib", "*")
CONFIGS = [(64, 192, 1), (64, 192, 50), (1, 16, 1), (1, 16, 50)]


def flowbench(threads, batch, n, steps, runtime):
    times = []
    for _ in range(RUNS):
        with tempfile.TemporaryDirectory() as d:
            manifest = os.path.join(d, "m.json")
            subprocess.run(["java", "-Xmx4g", "-Dai.djl.offline=true", "-Dflowbench.home=" + ROOT,
                            "-Dai.djl.pytorch.num_threads=%d" % threads, "-Dflowbench.network=" + runtime,
                            "-cp", CP, "org.flowbench.app.Main", "sample", "-q", "--n", str(n), "--batch", str(batch),
                            "--steps", str(steps), "--sampler", "euler", "--out", os.path.join(d, "s.npy"),
                            "--manifest", manifest], check=True)
            times.append(json.load(open(manifest))["wallSeconds"])
    return n / statistics.median(times)


def eager(threads):
    out = subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "scripts", "bench_unet_eager.py"), str(threads),
                          "--sampling-only"], check=True, capture_output=True, text=True).stdout
    rates = {}
    for line in out.splitlines():
        m = re.match(r"euler (\d+) steps(, batch 1)?: (\d+) images [\d.]+ s = ([\d.]+) img/s", line)
        if m:
            rates[(1 if m.group(2) else 64, int(m.group(1)))] = float(m.group(4))
    return rates


print("%s, %s, load average %s" % (time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                                   open("/proc/cpuinfo").read().split("model name")[1].split("\n")[0].split(":", 1)[1].strip(),
                                   open("/proc/loadavg").read().split()[0]))
print()
print("| threads | batch | Euler steps | PyTorch eager | Flowbench op by op | Flowbench compiled | compiled / eager |")
print("|---|---|---|---|---|---|---|")
for threads in THREADS:
    base = eager(threads)
    for batch, n, steps in CONFIGS:
        fast = flowbench(threads, batch, n, steps, "compiled")
        slow = None if "--skip-op-by-op" in sys.argv else flowbench(threads, batch, n, steps, "djl")
        e = base[(batch, steps)]
        print("| %d | %d | %d | %.1f img/s | %s | **%.1f img/s** | **%.2f×** |"
              % (threads, batch, steps, e, "—" if slow is None else "%.1f img/s" % slow, fast, fast / e), flush=True)
