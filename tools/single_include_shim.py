#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The trtc-battle authors
"""Writes, under OUTDIR, a forwarding header for every header of include/ that single_include/
does not have (the internal ones): each just includes <trtc/trtc.hpp>. With OUTDIR after
single_include/ on the include path, the tests compile unchanged against the single header.
Usage: tools/single_include_shim.py OUTDIR"""
import os
import sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
out = sys.argv[1]
count = 0
for base, _, names in os.walk(os.path.join(root, "include")):
    for n in sorted(names):
        if not n.endswith(".hpp"):
            continue
        rel = os.path.relpath(os.path.join(base, n), os.path.join(root, "include"))
        if os.path.exists(os.path.join(root, "single_include", rel)):
            continue
        path = os.path.join(out, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        text = "// generated: forwards to the single header\n#include <trtc/trtc.hpp>\n"
        if not os.path.exists(path) or open(path).read() != text:
            with open(path, "w") as f:
                f.write(text)
        count += 1
print(out)
