#!/usr/bin/env python3
"""Prints the calibration and ablation tables of docs/validation.md.

Runs `specmamba run` on the shipped LightMamba experiments and on variants of
them (one JSON change each), timing-only, and prints Markdown tables.
Usage: tools/validation_tables.py [--bin build/release/specmamba]
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
PUBLISHED = {"lightmamba-vck190-w4a4": 7.21, "lightmamba-vck190-w8a8": 3.61, "lightmamba-u280-w4a4": 93.0}


def load(name):
    with open(os.path.join(ROOT, "configs", "experiments", name + ".json")) as f:
        return json.load(f)


def run(binary, exp, tmp):
    path = os.path.join(tmp, "exp.json")
    with open(path, "w") as f:
        json.dump(exp, f)
    out = subprocess.run([binary, "run", path, "--quiet", "--json", "-"], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)


def pct(x, ref):
    return f"{100.0 * (x / ref - 1):+.1f} %"


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--bin", default=os.path.join(ROOT, "build", "release", "specmamba"))
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        print("| experiment | port issue | published tok/s | accelerator alone | end to end (+ host) | cycles per token | DRAM GB/s |")
        print("|---|---|---|---|---|---|---|")
        for name, ref in PUBLISHED.items():
            base = load(name)
            issues = ["loop", "ahead"]
            for issue in issues:
                e = copy.deepcopy(base)
                e["accelerator"].setdefault("port", {})["issue"] = issue
                r = run(args.bin, e, tmp)
                acc, e2e = r["accelerator_tokens_per_s"], r["tokens_per_s"]
                shipped = base["accelerator"].get("port", {}).get("issue", "ahead") == issue
                mark = " (shipped)" if shipped else ""
                print(f"| `{name}` | {issue}{mark} | {ref} | {acc:.2f} ({pct(acc, ref)}) | {e2e:.2f} | "
                      f"{r['cycles_per_token']:,} | {r['dram']['achieved_gbs']:.2f} |")
        print()
        base = load("lightmamba-vck190-w4a4")
        ref = run(args.bin, base, tmp)
        variants = [
            ("shipped set-up", {}),
            ("port issue ahead (prefetch across loops)", {"port": {"issue": "ahead"}}),
            ("reordering off", {"reordering": False}),
            ("tiling off (state buffer 9,000 KiB)", {"tiling": False, "buffers": {"state_kib": 9000}}),
            ("weight buffer 32 KiB", {"buffers": {"weight_kib": 32}}),
            ("weight buffer 256 KiB", {"buffers": {"weight_kib": 256}}),
            ("LM head on the accelerator", {"lm_head": "accelerator"}),
        ]
        print("| change (VCK190 W4A4) | accelerator tok/s | end to end tok/s | cycles per token | memory stall | overlap |")
        print("|---|---|---|---|---|---|")
        for label, change in variants:
            e = copy.deepcopy(base)
            e["accelerator"].update(change)
            r = ref if not change else run(args.bin, e, tmp)
            b = r["cycle_breakdown"]
            acc = r["accelerator_tokens_per_s"]
            delta = "" if not change else f" ({pct(acc, ref['accelerator_tokens_per_s'])})"
            print(f"| {label} | {acc:.2f}{delta} | {r['tokens_per_s']:.2f} | {r['cycles_per_token']:,} | "
                  f"{100.0 * b['memory_stall'] / r['cycles_per_token']:.1f} % | "
                  f"{100.0 * b['overlap'] / r['cycles_per_token']:.1f} % |")
        e = copy.deepcopy(base)
        e["rotation"] = "online"
        r = run(args.bin, e, tmp)
        acc = r["accelerator_tokens_per_s"]
        print(f"| online rotation (HTU on) | {acc:.2f} ({pct(acc, ref['accelerator_tokens_per_s'])}) | "
              f"{r['tokens_per_s']:.2f} | {r['cycles_per_token']:,} | "
              f"{100.0 * r['cycle_breakdown']['memory_stall'] / r['cycles_per_token']:.1f} % | "
              f"{100.0 * r['cycle_breakdown']['overlap'] / r['cycles_per_token']:.1f} % |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
