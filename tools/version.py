#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The trtc-battle authors
"""Prints the library version (MAJOR.MINOR.PATCH) read from include/trtc/version.hpp, the one
source of truth (meson.build calls this; CMakeLists.txt reads the same lines itself)."""
import os
import re

here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "..", "include", "trtc", "version.hpp"), encoding="utf-8") as f:
    text = f.read()
parts = [re.search(r"^#define TRTC_VERSION_%s (\d+)$" % p, text, re.M).group(1)
         for p in ("MAJOR", "MINOR", "PATCH")]
print(".".join(parts))
