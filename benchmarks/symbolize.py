#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The trtc-battle authors
"""Symbolizes the allocation backtraces of `trtc_bench --trace_allocs` (read from stdin) with
addr2line, inlined frames included, keeping only the frames of the benchmark binary.

Usage: trtc_bench --trace_allocs --benchmark_filter=X 2>&1 >/dev/null | symbolize.py TRTC_BENCH
"""
import re
import subprocess
import sys


def main():
    binary = sys.argv[1]
    name = binary.rsplit("/", 1)[-1]
    lines = sys.stdin.read().splitlines()
    frame = re.compile(r"^\s+(\S+)\+0x([0-9a-f]+) ?(.*)$")
    offsets = sorted({m.group(2) for line in lines for m in [frame.match(line)]
                      if m and m.group(1) == name})
    names = {}
    if offsets:
        out = subprocess.run(["addr2line", "-Cfipe", binary] + ["0x" + o for o in offsets],
                             capture_output=True, text=True, check=True).stdout
        # One entry per address; inlined frames continue on lines starting with " (inlined by)".
        entries, cur = [], []
        for line in out.splitlines():
            if line.startswith(" (inlined by)") and cur:
                cur.append(line)
            else:
                if cur:
                    entries.append(cur)
                cur = [line]
        if cur:
            entries.append(cur)
        for o, e in zip(offsets, entries):
            names[o] = e
    for line in lines:
        m = frame.match(line)
        if not m:
            print(line)
        elif m.group(1) == name:
            for i, part in enumerate(names.get(m.group(2), ["?"])):
                part = re.sub(r"\(anonymous namespace\)::|trtc::v\d+_\d+::", "", part)
                part = part.replace("std::__cxx11::basic_string<char, std::char_traits<char>, "
                                    "std::allocator<char> >", "std::string")
                print(("     " if i == 0 else "       ") + part.strip()[:220])
        elif m.group(3):
            print("     [%s] %s" % (m.group(1), m.group(3)[:120]))


if __name__ == "__main__":
    main()
