#!/usr/bin/env python3
"""Turns the JMH JSON results of benchmarks/run.sh into the Markdown tables of docs/performance.md,
and with --charts DIR into its PNG charts (needs matplotlib; benchmarks/charts.sh installs it).

    python3 benchmarks/summarize.py [RESULTS]                      # the tables, on stdout
    python3 benchmarks/summarize.py [RESULTS] --charts docs/images # the tables and the charts
"""
import argparse
import json
import os
import re

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("results", nargs="?", default="benchmarks/results", help="the directory of the results")
parser.add_argument("--charts", metavar="DIR", help="also write the PNG charts into DIR")
args = parser.parse_args()
results = args.results
ORDER = ["direct", "rawSupplyAsync", "manualPropagation", "springAsync", "resilience4jBulkhead",
         "offloadAnnotation", "offloader"]


def load(name):
    path = os.path.join(results, name + ".json")
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def method(entry):
    return entry["benchmark"].rsplit(".", 1)[1]


def cls(entry):
    return entry["benchmark"].rsplit(".", 2)[1]


def fmt(value, digits):
    return f"{value:,.{digits}f}"


def pm(metric, digits):
    return f"{fmt(metric['score'], digits)} ± {fmt(metric['scoreError'], digits)}" \
        if metric["scoreError"] == metric["scoreError"] else fmt(metric["score"], digits)


def round_trip(data):
    rows = {method(e): e for e in data if cls(e) == "RoundTripBenchmark"}
    return [(name, rows[name]) for name in ORDER if name in rows]


out = []
a = load("A-latency")
if a:
    rows = round_trip(a)
    raw = dict(rows)["rawSupplyAsync"]["primaryMetric"]["score"]
    out.append("### A. Round-trip latency, 1 caller (µs/op, lower is better; 3 forks × 5 × 2 s)\n")
    out.append("| variant | µs/op (mean ± 99.9 % error) | × rawSupplyAsync |")
    out.append("| --- | ---: | ---: |")
    for name, e in rows:
        m = e["primaryMetric"]
        out.append(f"| `{name}` | {pm(m, 2)} | {m['score'] / raw:.2f} |")
    out.append("")

b = load("B-throughput")
if b:
    rows = round_trip(b)
    manual = dict(rows)["manualPropagation"]["primaryMetric"]["score"]
    raw = dict(rows)["rawSupplyAsync"]["primaryMetric"]["score"]
    out.append("### B. Throughput, 2 callers (ops/s, higher is better; 2 forks × 5 × 2 s)\n")
    out.append("| variant | ops/s (mean ± 99.9 % error) | × manualPropagation | × rawSupplyAsync |")
    out.append("| --- | ---: | ---: | ---: |")
    for name, e in rows:
        m = e["primaryMetric"]
        out.append(f"| `{name}` | {pm(m, 0)} | {m['score'] / manual:.2f} | {m['score'] / raw:.2f} |")
    out.append("")

c = load("C-allocation")
if c:
    rows = round_trip(c)
    norm = lambda e: e["secondaryMetrics"]["gc.alloc.rate.norm"]
    manual = norm(dict(rows)["manualPropagation"])["score"]
    out.append("### C. Allocation per call (bytes/op, `gc.alloc.rate.norm`; all threads, caller and worker)\n")
    out.append("| variant | B/op (mean ± 99.9 % error) | × manualPropagation | µs/op in this run |")
    out.append("| --- | ---: | ---: | ---: |")
    for name, e in rows:
        out.append(f"| `{name}` | {pm(norm(e), 0)} | {norm(e)['score'] / manual:.2f} | "
                   f"{e['primaryMetric']['score']:.2f} |")
    out.append("")
    cost = [e for e in c if cls(e) == "CostBenchmark"]
    if cost:
        out.append("#### Cost breakdown (`CostBenchmark`, same run): B/op by configuration\n")
        configs = []
        for e in cost:
            if e["params"]["config"] not in configs:
                configs.append(e["params"]["config"])
        out.append("| configuration | `offloadAnnotation` B/op | `offloader` B/op |")
        out.append("| --- | ---: | ---: |")
        for config in configs:
            cells = []
            for m in ("offloadAnnotation", "offloader"):
                match = [e for e in cost if method(e) == m and e["params"]["config"] == config]
                cells.append(pm(norm(match[0]), 0) if match else "")
            out.append(f"| `{config}` | {cells[0]} | {cells[1]} |")
        out.append("")

d = load("D-fanout")
if d:
    floors = {"virtual": 50.0, "virtualLimit1000": 10000 / 1000 * 50.0, "platform200": 10000 / 200 * 50.0}
    out.append("### D. Fan-out: 10,000 calls sleeping 50 ms, submitted at once, until all are done (ms)\n")
    out.append("| executor | ms (mean ± 99.9 % error) | × 50 ms floor | calls / limit × 50 ms | × that |")
    out.append("| --- | ---: | ---: | ---: | ---: |")
    for e in d:
        name = e["params"]["executor"]
        m = e["primaryMetric"]
        out.append(f"| `{name}` | {pm(m, 1)} | {m['score'] / 50.0:.2f} | {floors[name]:,.0f} | "
                   f"{m['score'] / floors[name]:.2f} |")
    out.append("")


f_alloc = load("F-allocation")
f_lat = load("F-latency")
if f_alloc or f_lat:
    F_ORDER = ["allOf", "allOfWithTimeout", "scope", "scopeWithDeadline"]
    alloc = {method(e): e for e in (f_alloc or []) if cls(e) == "FanOutGroupBenchmark"}
    lat = {method(e): e for e in (f_lat or []) if cls(e) == "FanOutGroupBenchmark"}
    out.append("### F. Fan-out of 4 calls: `OffloadScope` against `allOf`\n")
    out.append("| variant | B/op (mean ± 99.9 % error) | × allOf | µs/op, 3 forks (mean ± 99.9 % error) |")
    out.append("| --- | ---: | ---: | ---: |")
    base = alloc["allOf"]["secondaryMetrics"]["gc.alloc.rate.norm"]["score"] if "allOf" in alloc else None
    for name in F_ORDER:
        a_cell, x_cell, l_cell = "", "", ""
        if name in alloc:
            norm = alloc[name]["secondaryMetrics"]["gc.alloc.rate.norm"]
            a_cell = pm(norm, 0)
            x_cell = f"{norm['score'] / base:.2f}" if base else ""
        if name in lat:
            l_cell = pm(lat[name]["primaryMetric"], 2)
        out.append(f"| `{name}` | {a_cell} | {x_cell} | {l_cell} |")
    out.append("")

print("\n".join(out))


# The charts of docs/performance.md. Each PNG is drawn from the same results files as the tables
# above (E from wrk's text output), without a timestamp or version in its metadata, so that
# rerunning on unchanged results rewrites identical files.

LABELS = {
    "rawSupplyAsync": "supplyAsync, no propagation",
    "manualPropagation": "hand-written MDC + Security",
    "springAsync": "@Async + ContextPropagatingTaskDecorator",
    "resilience4jBulkhead": "Resilience4j bulkhead",
    "offloadAnnotation": "@Offload",
    "offloader": "Offloader",
}
OFFLOAD = ("offloadAnnotation", "offloader", "scope", "scopeWithDeadline")
GREY, ORANGE, BLUE = "#9aa5b1", "#e8702a", "#3b6ea5"


def charts(directory):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"font.size": 9, "axes.spines.top": False, "axes.spines.right": False,
                         "svg.hashsalt": "offload", "figure.dpi": 100})
    os.makedirs(directory, exist_ok=True)
    written = []

    def save(fig, name):
        path = os.path.join(directory, name)
        fig.tight_layout()
        fig.savefig(path, dpi=100, metadata={"Software": None})
        plt.close(fig)
        written.append(path)

    def colour(name):
        return ORANGE if name in OFFLOAD else GREY

    def hbars(ax, names, values, errors=None, raw=None, unit="", digits=0):
        y = list(range(len(names)))[::-1]
        errors = errors or [0.0] * len(values)
        raw = raw or [[] for _ in values]
        ax.barh(y, values, xerr=errors, color=[colour(n) for n in names], height=0.6,
                error_kw={"ecolor": "#444", "capsize": 3, "lw": 1})
        ends = [max([v + e] + points) for v, e, points in zip(values, errors, raw)]
        for yy, v, points, end in zip(y, values, raw, ends):
            if points:
                ax.plot(points, [yy] * len(points), "o", ms=3, color="#222", alpha=0.6)
            ax.text(end + max(ends) * 0.015, yy, f"{v:,.{digits}f}{unit}", va="center", fontsize=8)
        ax.set_yticks(y)
        ax.set_yticklabels([LABELS.get(n, n) for n in names])
        ax.set_xlim(0, max(ends) * 1.2)

    def variants(data):
        return [(n, e) for n, e in round_trip(data) if n != "direct"]

    c = load("C-allocation")
    if c:
        rows = variants(c)
        norm = [e["secondaryMetrics"]["gc.alloc.rate.norm"] for _, e in rows]
        fig, ax = plt.subplots(figsize=(7.5, 3.2))
        hbars(ax, [n for n, _ in rows], [m["score"] for m in norm],
              raw=[[v for fork in m["rawData"] for v in fork] for m in norm], unit=" B")
        ax.set_xlabel("bytes allocated per call, caller and worker (JMH -prof gc; dots: iterations)")
        ax.set_title("C. Allocation per call, lower is better", loc="left", fontweight="bold")
        save(fig, "performance-allocation.png")

        cost = [e for e in c if cls(e) == "CostBenchmark"]
        if cost:
            configs = []
            for e in cost:
                if e["params"]["config"] not in configs:
                    configs.append(e["params"]["config"])
            fig, ax = plt.subplots(figsize=(7.5, 3.2))
            width = 0.38
            for i, (m, col) in enumerate((("offloadAnnotation", ORANGE), ("offloader", BLUE))):
                values = []
                for config in configs:
                    match = [e for e in cost if method(e) == m and e["params"]["config"] == config]
                    values.append(match[0]["secondaryMetrics"]["gc.alloc.rate.norm"]["score"] if match else 0)
                xs = [x + (i - 0.5) * width for x in range(len(configs))]
                ax.bar(xs, values, width, color=col, label=LABELS[m])
                for x, v in zip(xs, values):
                    ax.text(x, v + 8, f"{v:,.0f}", ha="center", fontsize=7)
            ax.set_xticks(range(len(configs)))
            ax.set_xticklabels(configs)
            ax.set_ylabel("B/op")
            ax.legend(frameon=False)
            ax.set_title("Where the allocation goes: configurations of CostBenchmark", loc="left",
                         fontweight="bold")
            save(fig, "performance-cost-breakdown.png")

    a = load("A-latency")
    if a:
        rows = variants(a)
        fig, ax = plt.subplots(figsize=(7.5, 3.2))
        hbars(ax, [n for n, _ in rows], [e["primaryMetric"]["score"] for _, e in rows],
              errors=[e["primaryMetric"]["scoreError"] for _, e in rows], unit=" µs", digits=1)
        ax.set_xlabel("µs per round trip, 1 caller (3 forks; bars: 99.9 % confidence interval)")
        ax.set_title("A. Round-trip latency, lower is better", loc="left", fontweight="bold")
        save(fig, "performance-latency.png")

    b = load("B-throughput")
    if b:
        rows = variants(b)
        fig, ax = plt.subplots(figsize=(7.5, 3.2))
        hbars(ax, [n for n, _ in rows], [e["primaryMetric"]["score"] / 1000 for _, e in rows],
              errors=[e["primaryMetric"]["scoreError"] / 1000 for _, e in rows], unit=" k/s", digits=1)
        ax.set_xlabel("thousand calls per second, 2 callers (2 forks; bars: 99.9 % confidence interval)")
        ax.set_title("B. Throughput, higher is better", loc="left", fontweight="bold")
        save(fig, "performance-throughput.png")

    d = load("D-fanout")
    if d:
        floors = {"virtual": 50.0, "virtualLimit1000": 500.0, "platform200": 2500.0}
        names = {"virtual": "virtual threads", "virtualLimit1000": "virtual, max-concurrency 1000",
                 "platform200": "platform pool of 200"}
        rows = [(e["params"]["executor"], e["primaryMetric"]) for e in d]
        fig, ax = plt.subplots(figsize=(7.5, 2.6))
        y = list(range(len(rows)))[::-1]
        ax.barh(y, [m["score"] for _, m in rows], color=ORANGE, height=0.6, label="measured")
        ax.plot([floors[n] for n, _ in rows], y, "|", ms=22, mew=2, color="#222",
                label="floor: calls / limit × 50 ms")
        for yy, (n, m) in zip(y, rows):
            ax.text(m["score"] + 30, yy, f"{m['score']:,.0f} ms", va="center", fontsize=8)
        ax.set_yticks(y)
        ax.set_yticklabels([names.get(n, n) for n, _ in rows])
        ax.set_xlim(0, max(m["score"] for _, m in rows) * 1.15)
        ax.set_xlabel("ms until all 10,000 calls sleeping 50 ms are done")
        ax.legend(frameon=False, loc="upper right")
        ax.set_title("D. Fan-out of 10,000 blocking calls, lower is better", loc="left", fontweight="bold")
        save(fig, "performance-fanout.png")

    runs = [(title, wrk(os.path.join(results, name))) for name, title in (
        ("E-wrk-slow-dependencies.txt", "slower dependencies (1.9 s in sequence)"),
        ("E-wrk-sample-delays.txt", "the sample's own delays (480 ms in sequence)"))]
    runs = [(title, rows) for title, rows in runs if rows]
    if runs:
        fig, axes = plt.subplots(len(runs), 2, figsize=(7.5, 2.4 * len(runs)), squeeze=False)
        for (title, rows), (rps, p99) in zip(runs, axes):
            connections = sorted({c for _, c in rows})
            width = 0.38
            for i, (endpoint, col) in enumerate((("/api/fanout", ORANGE), ("/api/sequential", GREY))):
                xs = [x + (i - 0.5) * width for x in range(len(connections))]
                got = [rows.get((endpoint, c), {}) for c in connections]
                rps.bar(xs, [g.get("rps", 0) for g in got], width, color=col, label=endpoint)
                p99.bar(xs, [g.get("p99", 0) for g in got], width, color=col, label=endpoint)
                for x, g in zip(xs, got):
                    rps.text(x, g.get("rps", 0), f"{g.get('rps', 0):,.0f}", ha="center", va="bottom", fontsize=7)
                    p99.text(x, g.get("p99", 0), f"{g.get('p99', 0):.2f}", ha="center", va="bottom", fontsize=7)
            for ax, what in ((rps, "requests/s (higher is better)"), (p99, "p99 latency, s (lower is better)")):
                ax.set_xticks(range(len(connections)))
                ax.set_xticklabels([f"{c} connections" for c in connections])
                ax.set_title(f"{what}\n{title}", loc="left", fontsize=9)
                ax.margins(y=0.15)
            rps.legend(frameon=False, fontsize=8)
        fig.suptitle("E. The sample under wrk: offloaded fan-out against the same calls in sequence",
                     x=0.01, ha="left", fontweight="bold", fontsize=10)
        save(fig, "performance-e2e.png")

    f_alloc, f_lat = load("F-allocation"), load("F-latency")
    if f_alloc and f_lat:
        order = ["allOf", "allOfWithTimeout", "scope", "scopeWithDeadline"]
        alloc = {method(e): e["secondaryMetrics"]["gc.alloc.rate.norm"] for e in f_alloc
                 if cls(e) == "FanOutGroupBenchmark"}
        lat = {method(e): e["primaryMetric"] for e in f_lat if cls(e) == "FanOutGroupBenchmark"}
        names = [n for n in order if n in alloc and n in lat]
        fig, (left, right) = plt.subplots(1, 2, figsize=(7.5, 2.6), sharey=True)
        hbars(left, names, [alloc[n]["score"] for n in names],
              raw=[[v for fork in alloc[n]["rawData"] for v in fork] for n in names], unit=" B")
        left.set_xlabel("B per group of 4 calls (dots: iterations)")
        hbars(right, names, [lat[n]["score"] for n in names], errors=[lat[n]["scoreError"] for n in names],
              unit=" µs", digits=1)
        right.set_xlabel("µs per group (bars: 99.9 % confidence interval)")
        fig.suptitle("F. OffloadScope against allOf, 4 calls, lower is better", x=0.01, ha="left",
                     fontweight="bold", fontsize=10)
        save(fig, "performance-fanout-group.png")
    return written


def wrk(path):
    """Requests/s and p99 (s) of each "## /api/x, N connections" section of benchmarks/e2e.sh's output."""
    if not os.path.exists(path):
        return {}
    rows, key = {}, None
    scale = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}
    with open(path) as f:
        for line in f:
            header = re.match(r"## (\S+), (\d+) connections", line)
            if header:
                key = (header.group(1), int(header.group(2)))
                rows[key] = {}
            elif key and line.strip().startswith("99%"):
                value = re.match(r"\s*99%\s+([\d.]+)(us|ms|s|m)", line)
                rows[key]["p99"] = float(value.group(1)) * scale[value.group(2)]
            elif key and line.startswith("Requests/sec:"):
                rows[key]["rps"] = float(line.split()[1])
    return rows


if args.charts:
    import sys

    for path in charts(args.charts):
        print(f"wrote {path} ({os.path.getsize(path):,} bytes)", file=sys.stderr)

