#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The trtc-battle authors
"""Turns one trtc_bench JSON output (--benchmark_out, with repetitions) into markdown tables:
every benchmark's median, then each target as a ratio between benchmarks of the same run.

Times: CPU time of the benchmark thread for single-threaded work (robust to a shared, loaded
machine: time spent descheduled is not counted), wall-clock time for the loopback calls (a
round trip is wall time by nature).

A second, optional argument is the table printed by instructions.sh: the targets then also
show the same ratio in instructions (callgrind), which no load on the machine can change.

Usage: report.py bench.json [instructions.md]
"""
import json
import sys


def load(path):
    with open(path) as f:
        data = json.load(f)
    runs, medians = {}, {}
    for b in data["benchmarks"]:
        name = b.get("run_name", b["name"])
        if b.get("run_type") == "aggregate":
            if b.get("aggregate_name") == "median":
                medians[name] = b
        else:
            runs.setdefault(name, b)  # without repetitions: the single run
    for name, b in runs.items():
        medians.setdefault(name, b)
    # Random interleaving runs them in any order: list them in the suite's order.
    families = ["UserSig_", "HMAC_", "Prepare_", "DecodeCreate_", "DecodeInfo_", "Lib_", "Call_"]

    def rank(name):
        for i, f in enumerate(families):
            if name.startswith("BM_" + f):
                return (i, name)
        return (len(families), name)

    ordered = {k: medians[k] for k in sorted(medians, key=rank)}
    return data.get("context", {}), ordered


def to_ns(b, key):
    scale = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}[b.get("time_unit", "ns")]
    return b[key] * scale


def load_instructions(path):
    ops = {}
    with open(path) as f:
        for line in f:
            parts = [p.strip() for p in line.strip().strip("|").split("|")]
            if len(parts) == 2 and parts[1].isdigit():
                ops[parts[0]] = int(parts[1])
    return ops


def main():
    context, m = load(sys.argv[1])
    ir = load_instructions(sys.argv[2]) if len(sys.argv) > 2 else {}

    def ir_ratio(a, b):
        if a not in ir or b not in ir or ir[b] == 0:
            return ""
        return "%.2fx" % (ir[a] / ir[b])

    def t(name):
        b = m.get(name)
        if b is None:
            return None
        return to_ns(b, "real_time" if name.endswith("/real_time") else "cpu_time")

    def c(name, counter):
        b = m.get(name)
        return None if b is None or counter not in b else b[counter]

    def fmt_ns(v):
        if v is None:
            return "n/a"
        return "%.0f ns" % v if v < 10000 else "%.1f us" % (v / 1000)

    print("Machine: %s CPUs at %s MHz, load average at start %s; library build type %s." % (
        context.get("num_cpus", "?"), context.get("mhz_per_cpu", "?"),
        ", ".join("%.2f" % x for x in context.get("load_avg", [])) or "?",
        context.get("library_build_type", "?")))
    print()
    print("| benchmark | time (median) | allocs/op | bytes/op | other |")
    print("|---|---:|---:|---:|---|")
    for name, b in m.items():
        extra = []
        for k in ("connections", "user_us/op", "sys_us/op"):
            if k in b:
                extra.append("%s=%.3g" % (k, b[k]))
        if b.get("label"):
            extra.append(b["label"])
        kind = "wall" if name.endswith("/real_time") else "cpu"
        print("| %s | %s %s | %s | %s | %s |" % (
            name, fmt_ns(t(name)), kind,
            "%.1f" % b["allocs/op"] if "allocs/op" in b else "",
            "%.0f" % b["bytes/op"] if "bytes/op" in b else "", " ".join(extra)))

    rows = []

    def ratio(a, b):
        ta, tb = t(a), t(b)
        return None if ta is None or tb is None or tb == 0 else ta / tb

    def target(what, value, ok, shown, instr=""):
        if value is None:
            rows.append((what, "n/a (not built)", instr, "n/a"))
        else:
            rows.append((what, shown, instr, "reached" if ok else "MISSED"))

    r = ratio("BM_UserSig_OfficialRebuilt", "BM_UserSig_Builtin")
    target("UserSig: built-in >= 10x faster than the official approach", r,
           r is not None and r >= 10, "%.1fx" % r if r else "",
           ir_ratio("UserSig_OfficialRebuilt", "UserSig_Builtin"))
    r = ratio("BM_UserSig_Builtin", "BM_UserSig_OpenSSL_Stored")
    target("UserSig: built-in within 1.5x of OpenSSL adapter + stored", r,
           r is not None and r <= 1.5, "%.2fx the OpenSSL time" % r if r else "",
           ir_ratio("UserSig_Builtin", "UserSig_OpenSSL_Stored"))
    a = c("BM_UserSig_Builtin", "allocs/op")
    target("UserSig: built-in makes 1 allocation", a, a is not None and round(a) <= 1,
           "%.0f" % a if a is not None else "")
    r = ratio("BM_Prepare_HandNlohmann", "BM_Prepare_Builtin")
    target("Prepare: >= 3x faster than hand-rolled nlohmann", r, r is not None and r >= 3,
           "%.2fx" % r if r else "", ir_ratio("Prepare_HandNlohmann", "Prepare_Builtin"))
    a = c("BM_Prepare_Builtin", "allocs/op")
    target("Prepare: <= 3 allocations", a, a is not None and round(a) <= 3,
           "%.0f" % a if a is not None else "")
    r = ratio("BM_Prepare_HandNlohmann", "BM_Prepare_BuiltinSignedQuery")
    target("Prepare with a signed_query (UserSig encoded once): >= 3x faster than hand-rolled",
           r, r is not None and r >= 3, "%.2fx" % r if r else "",
           ir_ratio("Prepare_HandNlohmann", "Prepare_BuiltinSignedQuery"))
    a = c("BM_Prepare_BuiltinSignedQuery", "allocs/op")
    target("Prepare with a signed_query: <= 3 allocations", a, a is not None and round(a) <= 3,
           "%.0f" % a if a is not None else "")
    for label, suffix, rooms, op in (("create_battle, 2 rooms", "Create_%s/rooms:2", 2,
                                      "DecodeCreate2_%s"),
                                     ("create_battle, 8 rooms", "Create_%s/rooms:8", 8,
                                      "DecodeCreate8_%s"),
                                     ("get_battle_info, 3 rooms", "Info_%s", 3, "DecodeInfo_%s")):
        ours = "BM_Decode" + suffix % "Builtin"
        r = ratio("BM_Decode" + suffix % "HandNlohmann", ours)
        target("Decode %s: >= 3x faster than nlohmann/json" % label, r,
               r is not None and r >= 3, "%.2fx" % r if r else "",
               ir_ratio(op % "HandNlohmann", op % "Builtin"))
        sj = [n for n in ("BM_Decode" + suffix % "SimdjsonOndemand",
                          "BM_Decode" + suffix % "SimdjsonDom") if t(n) is not None]
        if sj:
            best = min(sj, key=t)
            r = ratio(ours, best)
            sj_ir = [op % k for k in ("SimdjsonOndemand", "SimdjsonDom") if op % k in ir]
            best_ir = min(sj_ir, key=lambda k: ir[k]) if sj_ir else ""
            target("Decode %s: within 2x of simdjson (%s)" % (
                label, "on-demand" if "Ondemand" in best else "DOM"), r,
                r is not None and r <= 2, "%.2fx the simdjson time" % r,
                ir_ratio(op % "Builtin", best_ir) if best_ir else "")
        else:
            target("Decode %s: within 2x of simdjson" % label, None, False, "")
        a = c(ours, "allocs/op")
        target("Decode %s: <= %d allocations (2 + 1 per room)" % (label, 2 + rooms), a,
               a is not None and round(a) <= 2 + rooms, "%.0f" % a if a is not None else "")
    canned, rtt = t("BM_Call_CannedTransport"), t("BM_Call_Loopback_Builtin/real_time")
    share = None if canned is None or rtt is None else canned / rtt
    target("Full call: the library's CPU < 5% of a loopback round trip", share,
           share is not None and share < 0.05,
           "%.1f%% (%s of %s)" % (100 * share, fmt_ns(canned), fmt_ns(rtt)) if share else "")
    parts = [t(n) for n in ("BM_Lib_UsersigCacheHit", "BM_Lib_PrepareInfo",
                            "BM_DecodeInfo_Builtin")]
    if None not in parts and rtt:
        s = sum(parts)
        rows.append(("  cross-check: cache hit + prepare + decode, summed",
                     "%.1f%% (%s)" % (100 * s / rtt, fmt_ns(s)), "", ""))
    for name, label in (("BM_Call_Loopback_Builtin/real_time", "built-in"),
                        ("BM_Call_Loopback_Curl/real_time", "curl")):
        n = c(name, "connections")
        target("Sequential calls reuse one connection (%s)" % label, n,
               n is not None and round(n) == 1, "%.0f connection(s)" % n if n is not None else "")

    print()
    print("| target | measured (time) | same ratio in instructions | status |")
    print("|---|---|---|---|")
    for what, shown, instr, status in rows:
        print("| %s | %s | %s | %s |" % (what, shown, instr, status))


if __name__ == "__main__":
    main()
