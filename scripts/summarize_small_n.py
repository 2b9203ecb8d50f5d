#!/usr/bin/env python3
"""Summarises scripts/eval-small-n.sh: per lane, the N = 64 headline (KID with interval, paired rank) for each seed,
the FID predicted at 10 000 from the N = 2000 run with its interval, and FID / KID at N = 10 000. Prints a Markdown
table and writes one JSON line per lane and run to the file given as the first argument."""
import json
import sys

base = "runs/small-n"
out = open(sys.argv[1], "w") if len(sys.argv) > 1 else None


def lanes(run):
    with open(f"{base}/{run}/metrics.json") as f:
        return {l["lane"]: l["metrics"] for l in json.load(f)["lanes"]}


runs = {f"n64-seed{s}": lanes(f"n64-seed{s}") for s in range(5)}
runs["n2000"] = lanes("n2000")
runs["n10000"] = lanes("n10000")
if out:
    for run, ls in runs.items():
        for lane, m in ls.items():
            out.write(json.dumps({"run": run, "lane": lane, **m}) + "\n")
big = runs["n10000"]
order = sorted(big, key=lambda l: big[l]["fid"])
print("| lane | FID at 10 000 | KID at 10 000 (first 2000) | predicted FID at 10 000 from N = 2000 | contains? | "
      "N = 64 paired rank, seeds 0-4 | N = 64 KID, seed 0 |")
print("|---|---|---|---|---|---|---|")
for lane in order:
    b = big[lane]
    p = runs["n2000"][lane]
    inside = p["fidPredLow"] <= b["fid"] <= p["fidPredHigh"]
    ranks = []
    for s in range(5):
        m = runs[f"n64-seed{s}"][lane]
        ranks.append(("%d" % m["kidRank"]) if m.get("kidRankResolved") else "n.r.")
    s0 = runs["n64-seed0"][lane]
    print(f"| {lane} | {b['fid']:.2f} [{b['fidLow']:.2f}, {b['fidHigh']:.2f}] | "
          f"{b['kid']:.3f} [{b['kidLow']:.3f}, {b['kidHigh']:.3f}] | "
          f"{p['fidPred']:.2f} [{p['fidPredLow']:.2f}, {p['fidPredHigh']:.2f}] (R² {p['fidFitR2']:.3f}) | "
          f"{'yes' if inside else 'no'} | {' / '.join(ranks)} | "
          f"{s0['kid']:.2f} [{s0['kidLow']:.2f}, {s0['kidHigh']:.2f}] |")
print("\nN = 2000 paired ranks:", {l: (m.get("kidRank"), m.get("kidRankResolved")) for l, m in runs["n2000"].items()})
print("N = 10000 paired ranks:", {l: (m.get("kidRank"), m.get("kidRankResolved")) for l, m in big.items()})
