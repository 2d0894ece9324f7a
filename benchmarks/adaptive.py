#!/usr/bin/env python3
"""Turns the results of benchmarks/adaptive.sh (I-<variant>.json/.csv, J-<variant>.json/.csv) into
the Markdown tables of sections I and J of docs/performance.md, and with --charts DIR into their
PNG charts (needs matplotlib; benchmarks/charts.sh installs it).

    python3 benchmarks/adaptive.py [RESULTS]                      # the tables, on stdout
    python3 benchmarks/adaptive.py [RESULTS] --charts docs/images # the tables and the charts
"""
import argparse
import csv
import glob
import json
import math
import os

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("results", nargs="?", default="benchmarks/results", help="the directory of the results")
parser.add_argument("--charts", metavar="DIR", help="also write the PNG charts into DIR")
parser.add_argument("--default", default="vegas",
                    help="the default algorithm, whose targets are checked (default: vegas)")
args = parser.parse_args()

ORDER = ["fixed8", "fixed16", "fixed64", "fixed200", "adaptive", "vegas", "gradient2", "aimd"]


def order(name):
    return (ORDER.index(name), name) if name in ORDER else (len(ORDER), name)


def load(measurement):
    runs = {}
    for path in glob.glob(os.path.join(args.results, measurement + "-*.json")):
        variant = os.path.basename(path)[len(measurement) + 1:-len(".json")]
        csv_path = path[:-len(".json")] + ".csv"
        if not os.path.exists(csv_path):
            continue
        with open(path) as f:
            summary = json.load(f)
        if summary.get("measurement") != measurement:
            continue
        with open(csv_path) as f:
            rows = list(csv.DictReader(f))
        for row in rows:
            for key, value in row.items():
                if key != "phase":
                    row[key] = float(value)
        runs[variant] = (summary, rows)
    return dict(sorted(runs.items(), key=lambda item: order(item[0])))


def num(value, digits=0):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:,.{digits}f}"


def phase(summary, name):
    return next(p for p in summary["phases"] if p["name"] == name)


def quantile(values, q):
    values = sorted(values)
    if not values:
        return float("nan")
    return values[min(len(values) - 1, max(0, math.ceil(q * len(values)) - 1))]


def label(variant, oracle=True):
    if variant.startswith("fixed"):
        return f"fixed {variant[5:]}" + (" (oracle)" if variant == "fixed16" and oracle else "")
    return f"adaptive, {variant}" if variant != "adaptive" else "adaptive (default algorithm)"


out = []
i_runs = load("I")
if i_runs:
    model = next(iter(i_runs.values()))[0]["model"]
    out.append("### I. One instance at 1.5× the downstream's capacity\n")
    out.append(f"Model: C = {model['capacity']}, service {model['service_ms']:g} ms, k = {model['k']:g}, "
               f"timeout {model['timeout_ms']} ms, queue {model['queue']}; adaptive: initial limit "
               f"{model['initial_limit']}, max {model['max_limit']}.\n")
    out.append("Steady phase (15 s at 2,400 arrivals/s, C = 16); the last column is the goodput of the whole "
               "measured run (steady, halved, outage, recovery: 55 s):\n")
    out.append("| variant | goodput/s | × oracle | rejected | timeouts | p50 ms | p99 ms | "
               "downstream in-flight (mean / max) | limit: mean (p5–p95) | whole run: goodput/s |")
    out.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    oracle = phase(i_runs["fixed16"][0], "steady")["goodput_per_s"] if "fixed16" in i_runs else None
    for variant, (s, rows) in i_runs.items():
        measured = [p for p in s["phases"] if p["measured"]]
        whole = sum(p["success"] for p in measured) / sum(p["seconds"] for p in measured)
        p = phase(s, "steady")
        values = [r["limit"] for r in rows if p["start_s"] < r["t"] <= p["start_s"] + p["seconds"]]
        limit = (f"{num(p['limit_mean'], 1)} ({num(quantile(values, 0.05), 0)}–{num(quantile(values, 0.95), 0)})"
                 if not variant.startswith("fixed") else num(p["limit_mean"], 0))
        out.append(f"| {label(variant)} | {num(p['goodput_per_s'])} | "
                   f"{num(p['goodput_per_s'] / oracle, 2) if oracle else '–'} | {num(p['rejected'])} | "
                   f"{num(p['timeout'])} | {num(p['p50_ms'], 1)} | {num(p['p99_ms'], 1)} | "
                   f"{num(p['inflight_mean'], 1)} / {p['inflight_max']} | {limit} | {num(whole)} |")
    out.append("")
    out.append("Per phase: goodput/s, p99 of the successful calls (ms), the downstream's mean in-flight count, "
               "the executor's mean limit:\n")
    names = [p["name"] for p in next(iter(i_runs.values()))[0]["phases"] if p["measured"]]
    out.append("| variant | " + " | ".join(names) + " |")
    out.append("| --- |" + " ---: |" * len(names))
    for variant, (s, rows) in i_runs.items():
        cells = []
        for name in names:
            p = phase(s, name)
            cells.append(f"{num(p['goodput_per_s'])}/s, p99 {num(p['p99_ms'], 0)}, in-flight "
                         f"{num(p['inflight_mean'], 1)}, limit {num(p['limit_mean'], 1)}")
        out.append(f"| {label(variant)} | " + " | ".join(cells) + " |")
    out.append("")
    out.append("Rejected / timed out per phase:\n")
    out.append("| variant | " + " | ".join(names) + " |")
    out.append("| --- |" + " ---: |" * len(names))
    for variant, (s, rows) in i_runs.items():
        out.append(f"| {label(variant)} | " + " | ".join(
            f"{num(phase(s, n)['rejected'])} / {num(phase(s, n)['timeout'])}" for n in names) + " |")
    out.append("")

    # The limit around the outage.
    adaptive = [v for v in i_runs if not v.startswith("fixed")]
    if adaptive:
        out.append("The limit around the outage. The limit is sampled every 100 ms; \"smoothed\" is its mean over "
                   "the last 1 s. Pre-outage: the mean of the last 5 s of the halved phase; recovered: the first "
                   "sample after the outage at which the smoothed limit is within 20 % of the pre-outage value; "
                   "p5–p95: the spread of the 100 ms samples over the phase:\n")
        out.append("| variant | limit, steady: mean (p5–p95) | halved: mean (p5–p95) | pre-outage | lowest in the outage | "
                   "recovered after | recovery: mean (p5–p95) |")
        out.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for variant in adaptive:
            s, rows = i_runs[variant]
            steady, halved, outage, recovery = (phase(s, n) for n in ("steady", "halved", "outage", "recovery"))

            def limits(a, b):
                return [r["limit"] for r in rows if a < r["t"] <= b]

            def spread(p):
                values = limits(p["start_s"], p["start_s"] + p["seconds"])
                if not values:
                    return "–"
                return (f"{num(sum(values) / len(values), 1)} ({num(quantile(values, 0.05), 0)}–"
                        f"{num(quantile(values, 0.95), 0)})")

            halved_end = halved["start_s"] + halved["seconds"]
            outage_end = outage["start_s"] + outage["seconds"]
            last5 = limits(halved_end - 5, halved_end)
            pre = sum(last5) / len(last5) if last5 else float("nan")
            lowest = min(limits(halved_end, outage_end), default=float("nan"))
            recovered = None
            for r in rows:
                if r["t"] <= outage_end + 0.05:
                    continue
                window = limits(r["t"] - 1.0, r["t"])
                if window and abs(sum(window) / len(window) - pre) <= 0.2 * pre:
                    recovered = r["t"] - outage_end
                    break
            out.append(f"| {label(variant)} | {spread(steady)} | {spread(halved)} | {num(pre, 1)} | "
                       f"{num(lowest, 0)} | {num(recovered, 1) + ' s' if recovered is not None else 'not within the run'} | "
                       f"{spread(recovery)} |")
        out.append("")

j_runs = load("J")
if j_runs:
    model = next(iter(j_runs.values()))[0]["model"]
    out.append("### J. N instances sharing one downstream, each at 0.4× its capacity\n")
    out.append(f"C = {model['capacity']}, service {model['service_ms']:g} ms, timeout {model['timeout_ms']} ms, "
               f"queue {model['queue']} per instance.\n")
    out.append("| variant | N | arrivals/s | goodput/s | p50 ms | p99 ms | rejected | timeouts | "
               "downstream in-flight mean | p99 of 100 ms means | max | sum of the limits (mean) |")
    out.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for variant, (s, rows) in j_runs.items():
        for p in s["phases"]:
            if not p["measured"]:
                continue
            start, end = p["start_s"], p["start_s"] + p["seconds"]
            means = [r["inflight_mean"] for r in rows if start < r["t"] <= end]
            out.append(f"| {label(variant, False)} | {p['instances']} | {num(p['achieved_rate'])} | "
                       f"{num(p['goodput_per_s'])} | {num(p['p50_ms'], 1)} | {num(p['p99_ms'], 1)} | "
                       f"{num(p['rejected'])} | {num(p['timeout'])} | {num(p['inflight_mean'], 1)} | "
                       f"{num(quantile(means, 0.99), 1)} | {num(p['inflight_max'])} | {num(p['limit_mean'], 1)} |")
    out.append("")

# Targets.
if i_runs or j_runs:
    out.append(f"### Targets (default algorithm: {args.default})\n")
    out.append("| target | measured | |")
    out.append("| --- | --- | --- |")
    d = args.default if args.default in i_runs else ("adaptive" if "adaptive" in i_runs else None)
    if d and "fixed16" in i_runs:
        s, o = i_runs[d][0], i_runs["fixed16"][0]
        g, og = phase(s, "steady")["goodput_per_s"], phase(o, "steady")["goodput_per_s"]
        p99, op99 = phase(s, "steady")["p99_ms"], phase(o, "steady")["p99_ms"]
        met = "met" if g >= 0.9 * og else "**missed**"
        out.append(f"| I: goodput ≥ 0.9× the oracle's (steady phase) | {num(g)} vs {num(og)}/s: "
                   f"**{g / og:.2f}×** | {met} |")
        met = "met" if p99 <= 1.5 * op99 else "**missed**"
        out.append(f"| I: p99 ≤ 1.5× the oracle's (steady phase) | {num(p99, 1)} vs {num(op99, 1)} ms: "
                   f"**{p99 / op99:.2f}×** | {met} |")
        if "fixed200" in i_runs:
            f = phase(i_runs["fixed200"][0], "steady")["goodput_per_s"]
            out.append(f"| I: far above the collapse of fixed 200 | {num(g)} vs {num(f)}/s | "
                       f"{'met' if g > 2 * max(f, 1) else '**missed**'} |")
    else:
        out.append("| I: the default algorithm against the oracle | not run | – |")
    dj = args.default if args.default in j_runs else ("adaptive" if "adaptive" in j_runs else None)
    if dj:
        s = j_runs[dj][0]
        p8 = next(p for p in s["phases"] if p["instances"] == 8 and p["measured"])
        cap = s["model"]["capacity"]
        met = "met" if p8["inflight_mean"] <= 2 * cap else "**missed**"
        out.append(f"| J: aggregate downstream in-flight ≤ 2 × C = {2 * cap} at N = 8 | mean "
                   f"{num(p8['inflight_mean'], 1)}, max {p8['inflight_max']} | {met} (on the mean) |")
    else:
        out.append("| J: the default algorithm at N = 8 | not run | – |")
    out.append("")

print("\n".join(out))


def charts(directory):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import matplotlib.ticker
    os.makedirs(directory, exist_ok=True)
    colours = {"fixed8": "#9e9e9e", "fixed16": "#212121", "fixed64": "#8d6e63", "fixed200": "#d32f2f",
               "vegas": "#1976d2", "gradient2": "#388e3c", "aimd": "#f57c00", "adaptive": "#7b1fa2"}

    def save(fig, name):
        path = os.path.join(directory, name)
        fig.tight_layout()
        fig.savefig(path, dpi=100, metadata={"Software": None})
        plt.close(fig)
        print("wrote", path)

    def smooth(values, width=5):
        return [sum(values[max(0, i - width + 1):i + 1]) / len(values[max(0, i - width + 1):i + 1])
                for i in range(len(values))]

    if i_runs:
        fig, axes = plt.subplots(3, 1, figsize=(11, 10), sharex=True)
        first = next(iter(i_runs.values()))[0]
        for variant, (s, rows) in i_runs.items():
            t = [r["t"] for r in rows]
            style = "--" if variant.startswith("fixed") else "-"
            c = colours.get(variant)
            axes[0].plot(t, smooth([r["limit"] for r in rows]), style, color=c, label=label(variant), linewidth=1.4)
            axes[1].plot(t, smooth([r["goodput_per_s"] for r in rows]), style, color=c, linewidth=1.2)
            axes[2].plot(t, smooth([r["inflight_mean"] for r in rows]), style, color=c, linewidth=1.2)
        for ax in axes:
            for index, p in enumerate(first["phases"]):
                ax.axvspan(p["start_s"], p["start_s"] + p["seconds"],
                           color=["#ffffff", "#e3f2fd", "#fff8e1", "#ffebee", "#e8f5e9"][index % 5], zorder=0)
            ax.grid(alpha=0.3)
        for p in first["phases"]:
            axes[0].text(p["start_s"] + 0.3, 1.02, p["name"], transform=axes[0].get_xaxis_transform(), fontsize=9)
        axes[0].set_yscale("log")
        axes[0].set_yticks([1, 2, 4, 8, 16, 32, 64, 128, 200])
        axes[0].set_yticklabels(["1", "2", "4", "8", "16", "32", "64", "128", "200"])
        axes[0].yaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
        axes[0].set_ylabel("limit (log, 0.5 s mean)")
        axes[0].legend(fontsize=8, ncol=4, loc="upper right")
        axes[1].set_ylabel("goodput/s (0.5 s mean)")
        axes[2].set_yscale("log")
        axes[2].set_yticks([1, 2, 4, 8, 16, 32, 64, 128, 200])
        axes[2].set_yticklabels(["1", "2", "4", "8", "16", "32", "64", "128", "200"])
        axes[2].yaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
        axes[2].set_ylabel("downstream in-flight (log, 0.5 s mean)")
        axes[2].set_xlabel("seconds")
        cap = first["model"]["capacity"]
        axes[2].axhline(cap, color="#212121", linewidth=0.8, linestyle=":")
        fig.suptitle(f"I. One instance at 1.5× a downstream of C = {cap}: limit, goodput and downstream in-flight")
        save(fig, "performance-adaptive-limit.png")

    if j_runs:
        fig, axes = plt.subplots(1, 3, figsize=(13, 4.2))
        for variant, (s, rows) in j_runs.items():
            phases = [p for p in s["phases"] if p["measured"]]
            ns = [p["instances"] for p in phases]
            style = "--o" if variant.startswith("fixed") else "-o"
            c = colours.get(variant)
            axes[0].plot(ns, [p["inflight_mean"] for p in phases], style, color=c, label=label(variant, False) + " (mean)")
            axes[0].plot(ns, [p["inflight_max"] for p in phases], ":", marker="^", color=c, alpha=0.6,
                         label=label(variant, False) + " (max)")
            axes[1].plot(ns, [p["p99_ms"] for p in phases], style, color=c, label=label(variant, False))
            axes[2].plot(ns, [p["goodput_per_s"] for p in phases], style, color=c, label=label(variant, False))
        cap = next(iter(j_runs.values()))[0]["model"]["capacity"]
        axes[0].axhline(2 * cap, color="#d32f2f", linewidth=0.8, linestyle=":", label="2 × C (target)")
        axes[0].axhline(cap, color="#212121", linewidth=0.8, linestyle=":", label="C")
        axes[0].set_ylabel("downstream in-flight, all instances")
        axes[1].set_ylabel("p99 of successful calls (ms)")
        axes[2].set_ylabel("goodput/s, all instances")
        for ax in axes:
            ax.set_xscale("log", base=2)
            ax.set_xticks([1, 2, 4, 8])
            ax.set_xticklabels(["1", "2", "4", "8"])
            ax.set_xlabel("instances N")
            ax.grid(alpha=0.3)
        axes[0].legend(fontsize=7)
        axes[2].legend(fontsize=7)
        fig.suptitle(f"J. N instances, each at 0.4× the capacity of one shared downstream (C = {cap})")
        save(fig, "performance-adaptive-scaleout.png")


if args.charts:
    charts(args.charts)
