#!/usr/bin/env python3
"""DiSA's table on the tiny MAR from docs/evaluations/fashion-mar-disa.jsonl (scripts/train-mar.sh): one markdown row
per (K, arm, N) with domain FID and the share classified as prompted (mean ± sd over seeds when there are several),
token-weighted head evaluations per image and their ratio to constant-50 at the same K."""
import json
import statistics
import sys
from collections import OrderedDict

path = sys.argv[1] if len(sys.argv) > 1 else "docs/evaluations/fashion-mar-disa.jsonl"
rows = OrderedDict()
for line in open(path):
    r = json.loads(line)
    p = dict(kv.split("=") for kv in r["run"].split(":", 2)[2].split(","))
    arm = p["schedule"] if p["schedule"] != "constant" else "constant-" + p["upper"]
    if p["schedule"] != "constant":
        arm += f" {p['upper']}→{p['lower']}"
    rows.setdefault((int(p["ar-steps"]), r["n"], arm), []).append(r)


def ms(xs, scale=1.0, digits=2):
    xs = [x * scale for x in xs]
    if len(xs) == 1:
        return f"{xs[0]:.{digits}f}"
    return f"{statistics.mean(xs):.{digits}f} ± {statistics.stdev(xs):.{digits}f}"


print("| K | N | arm | seeds | head evaluations / image | vs constant-50 | domain FID | classified as prompted |")
print("|---|---|---|---|---|---|---|---|")
for (k, n, arm), rs in rows.items():
    base = rows.get((k, n, "constant-50")) or rows.get((k, 3000, "constant-50"))
    head = rs[0]["cost"]["head"]
    ratio = head / base[0]["cost"]["head"]
    print(f"| {k} | {n} | {arm} | {len(rs)} | {head:.0f} | {ratio:.2f}× | {ms([r['fid'] for r in rs])} | "
          f"{ms([r['classifiedAsPrompted'] for r in rs], 100, 1)} % |")
