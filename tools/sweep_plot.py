#!/usr/bin/python3
"""Scatter of a sweep's points with its Pareto front highlighted (PNG).

  tools/sweep_plot.py RESULTS_DIR --x mac_lane_bits --y accelerator_tokens_per_s \
      [--color /accelerator/precision] [--logx] [--out FIG.png]

Reads RESULTS_DIR/points.csv and pareto.csv as `specmamba sweep` writes them;
--x, --y and --color name CSV columns (figures or swept pointers).
"""
import argparse
import csv
import json
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def rows(path):
    with open(path, newline="") as f:
        return [r for r in csv.DictReader(f) if r["status"] == "ok"]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dir")
    ap.add_argument("--x", required=True)
    ap.add_argument("--y", required=True)
    ap.add_argument("--color", help="column whose values colour the points")
    ap.add_argument("--logx", action="store_true")
    ap.add_argument("--out", help="PNG path (default DIR/pareto.png)")
    a = ap.parse_args()
    points, front = rows(os.path.join(a.dir, "points.csv")), rows(os.path.join(a.dir, "pareto.csv"))
    for col in filter(None, (a.x, a.y, a.color)):
        if points and col not in points[0]:
            sys.exit(f"sweep_plot: no column {col!r} in {a.dir}/points.csv (have: {', '.join(points[0])})")
    fig, ax = plt.subplots(figsize=(6.4, 4.2), dpi=120)
    groups = sorted({p[a.color] for p in points}) if a.color else [None]
    for g in groups:
        sel = [p for p in points if a.color is None or p[a.color] == g]
        ax.scatter([float(p[a.x]) for p in sel], [float(p[a.y]) for p in sel], s=10, alpha=0.45,
                   label=f"{a.color} = {g}" if g is not None else "points")
    front.sort(key=lambda p: float(p[a.x]))
    ax.plot([float(p[a.x]) for p in front], [float(p[a.y]) for p in front], "k*", ms=9,
            label=f"Pareto front ({len(front)})")
    if a.logx:
        ax.set_xscale("log", base=2)
    ax.set_xlabel(a.x)
    ax.set_ylabel(a.y)
    try:
        with open(os.path.join(a.dir, "sweep.json")) as f:
            name = json.load(f)["name"]
    except (OSError, ValueError, KeyError):
        name = os.path.basename(os.path.normpath(a.dir))
    ax.set_title(f"sweep {name}: {len(points)} ok points, Pareto front over the sweep's objectives", fontsize=9)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    out = a.out or os.path.join(a.dir, "pareto.png")
    tmp = out + ".tmp.png"
    fig.savefig(tmp)
    os.replace(tmp, out)  # whole file or nothing
    print(out)


if __name__ == "__main__":
    main()
