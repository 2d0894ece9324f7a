#!/usr/bin/env python3
"""Turns the JMH JSON results of benchmarks/run.sh into the Markdown tables of docs/performance.md."""
import json
import os
import sys

results = sys.argv[1] if len(sys.argv) > 1 else "benchmarks/results"
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

h_alloc = load("H-allocation")
h_lat = load("H-latency")
if h_alloc or h_lat:
    H_ORDER = ["boundedElasticIdiom", "offloadMono", "reactiveOffloader"]
    alloc = {method(e): e for e in (h_alloc or []) if cls(e) == "ReactiveRoundTripBenchmark"}
    lat = {method(e): e for e in (h_lat or []) if cls(e) == "ReactiveRoundTripBenchmark"}
    out.append("### H. The reactive path: `@Offload` returning `Mono` against `fromCallable().subscribeOn(boundedElastic())`\n")
    out.append("| variant | B/op (mean ± 99.9 % error) | × idiom | µs/op, 3 forks (mean ± 99.9 % error) | × idiom |")
    out.append("| --- | ---: | ---: | ---: | ---: |")
    base_a = alloc["boundedElasticIdiom"]["secondaryMetrics"]["gc.alloc.rate.norm"]["score"] \
        if "boundedElasticIdiom" in alloc else None
    base_l = lat["boundedElasticIdiom"]["primaryMetric"]["score"] if "boundedElasticIdiom" in lat else None
    for name in H_ORDER:
        a_cell, xa_cell, l_cell, xl_cell = "", "", "", ""
        if name in alloc:
            norm = alloc[name]["secondaryMetrics"]["gc.alloc.rate.norm"]
            a_cell = pm(norm, 0)
            xa_cell = f"{norm['score'] / base_a:.2f}" if base_a else ""
        if name in lat:
            l_cell = pm(lat[name]["primaryMetric"], 2)
            xl_cell = f"{lat[name]['primaryMetric']['score'] / base_l:.2f}" if base_l else ""
        out.append(f"| `{name}` | {a_cell} | {xa_cell} | {l_cell} | {xl_cell} |")
    out.append("")

print("\n".join(out))
