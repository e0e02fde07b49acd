#!/usr/bin/env python3
"""SpecMamba ablations on the platform as markdown tables (docs/speculative.md).

Runs `specmamba run` on variants of one speculative experiment (default:
specmamba-vck190) and prints one table per claim: backtracking mode, FIFO
tiling, overlap, tree shape, and the speed-up against mean accepted length.

    python3 tools/speculative_ablations.py [--bin build/release/specmamba] [--experiment NAME]
"""
import argparse
import copy
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def load(name):
    path = name if name.endswith(".json") else os.path.join(ROOT, "configs", "experiments", name + ".json")
    with open(path) as f:
        return json.load(f)


def run(binary, experiment, tmp):
    path = os.path.join(tmp, "e.json")
    with open(path, "w") as f:
        json.dump(experiment, f)
    out = subprocess.run([binary, "run", path, "--quiet", "--json", "-"], capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"specmamba run failed: {out.stderr.strip()}")
    return json.loads(out.stdout)


def variant(base, **spec):
    e = copy.deepcopy(base)
    for k, v in spec.items():
        e["speculative"][k] = v
    return e


def row(cells):
    return "| " + " | ".join(str(c) for c in cells) + " |"


def table(header, rows):
    lines = [row(header), row(["---"] * len(header))]
    lines += [row(r) for r in rows]
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=os.path.join(ROOT, "build", "release", "specmamba"))
    ap.add_argument("--experiment", default="specmamba-vck190")
    a = ap.parse_args()
    base = load(a.experiment)
    with tempfile.TemporaryDirectory() as tmp:
        def measure(e):
            j = run(a.bin, e, tmp)
            s = j["speculative"]
            return j, s

        print(f"### Backtracking ({a.experiment})\n")
        rows = []
        for mode in ["store", "replay", "hybrid"]:
            j, s = measure(variant(base, backtrack=mode))
            p = s["plan"]["target"]
            rows.append([mode, f'{p["store_layers"]} ({p["store_onchip_layers"]} on chip) / {p["replay_layers"]}',
                         f'{j["accelerator_tokens_per_s"]:.3f}', f'{s["cycles_per_step"]["verify"]:.0f}',
                         f'{s["cycles_per_step"]["backtrack_commit"]:.0f}',
                         f'{s["bytes_per_token"]["dram_total"] / 1e6:.1f}'])
        print(table(["backtrack", "target layers store / replay", "accel tok/s", "verify cycles/step",
                     "commit cycles/step", "DRAM MB/token"], rows) + "\n")

        print(f"### FIFO tiling ({a.experiment})\n")
        rows = []
        for tile in [8, 16, 40, 0]:
            j, s = measure(variant(base, tile_heads=tile))
            rows.append([tile if tile else "0 (untiled)", s["fifo"]["tile_bytes"], s["fifo"]["onchip_bytes_needed"],
                         "yes" if s["fifo"]["spills_to_dram"] else "no",
                         f'{s["bytes_per_token"]["fifo_spill_dram"] / 1e6:.1f}',
                         f'{s["bytes_per_token"]["dram_total"] / 1e6:.1f}', f'{j["accelerator_tokens_per_s"]:.3f}'])
        print(table(["tile heads", "tile bytes", "FIFO bytes needed", "spills", "spill MB/token",
                     "DRAM MB/token", "accel tok/s"], rows) + "\n")

        print(f"### Overlap ({a.experiment})\n")
        rows = []
        for overlap in [True, False]:
            j, s = measure(variant(base, overlap=overlap))
            rows.append(["on" if overlap else "off", f'{s["cycles_per_step"]["verify"]:.0f}',
                         f'{s["cycles_per_step"]["draft"]:.0f}', f'{1 / j["accelerator_tokens_per_s"] * 1e3:.1f}',
                         f'{j["accelerator_tokens_per_s"]:.3f}'])
        print(table(["overlap", "verify cycles/step", "draft cycles/step", "accel ms/token", "accel tok/s"], rows) + "\n")

        print(f"### Tree shapes at the same acceptance profile ({a.experiment})\n")
        rows = []
        for tree in ["4", "2,2,2", "3,2,2,1", "6,2,1", "8,1"]:
            j, s = measure(variant(base, tree=tree))
            rows.append([tree, s["tree_nodes"], f'{s["mean_accepted_per_pass"]:.3f}',
                         f'{s["cycles_per_step"]["draft"]:.0f}', f'{s["cycles_per_step"]["verify"]:.0f}',
                         f'{j["accelerator_tokens_per_s"]:.3f}', f'{s["accelerator_speedup"]:.3f}',
                         f'{j["tokens_per_s"]:.3f}'])
        print(table(["tree", "nodes", "tokens/pass", "draft cycles/step", "verify cycles/step", "accel tok/s",
                     "accel speed-up", "end-to-end tok/s"], rows) + "\n")

        print(f"### Speed-up against mean accepted length ({a.experiment}, trace acceptance)\n")
        rows = []
        depth = 4
        for k in range(depth + 1):
            trace = os.path.join(tmp, f"trace{k}.json")
            with open(trace, "w") as f:
                json.dump({"tree": base["speculative"]["tree"], "accepted": [k] * 1000}, f)
            e = variant(base, acceptance={"mode": "trace", "file": trace})
            j, s = measure(e)
            rows.append([k, f'{s["mean_accepted_per_pass"]:.2f}', f'{j["accelerator_tokens_per_s"]:.3f}',
                         f'{s["accelerator_speedup"]:.3f}', f'{j["tokens_per_s"]:.3f}', f'{s["speedup"]:.3f}'])
        print(table(["accepted per step", "tokens/pass", "accel tok/s", "accel speed-up", "end-to-end tok/s",
                     "end-to-end speed-up"], rows) + "\n")


if __name__ == "__main__":
    main()
