#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The trtc-battle authors
"""Repository checks that need no build: every source file carries an SPDX line near its top,
every C++ file is formatted as .clang-format says (clang-format --dry-run -Werror), and the
layering holds: a header in include/trtc/detail/ includes only detail/ headers and config.hpp
(docs/architecture.md), so that the building blocks reach nothing above them.

Usage: tools/lint.py [--fix]   (--fix: reformat instead of failing)
"""
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CXX = (".hpp", ".cpp", ".h")
NEEDS_SPDX = CXX + (".py", ".sh", ".cmake", ".in", ".txt", ".build", ".md", ".options", ".wrap",
                    ".yml", ".clang-format")
SPDX_EXEMPT_DIRS = ("tests/fixtures/", "fuzz/corpus/", "tests/consumers/fixtures/")
SPDX_EXEMPT_FILES = ("LICENSE",)


def tracked_files():
    out = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"],
                         cwd=ROOT, check=True, capture_output=True, text=True).stdout
    return sorted(set(f for f in out.splitlines() if os.path.isfile(os.path.join(ROOT, f))))


INCLUDE_RE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def layering_problems(files, root=ROOT):
    """A detail/ header may include only detail/ headers and config.hpp (and version.hpp, which
    config.hpp includes)."""
    out = []
    for f in files:
        if not (f.startswith("include/trtc/detail/") and f.endswith(".hpp")):
            continue
        with open(os.path.join(root, f), encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                m = INCLUDE_RE.match(line)
                if not m:
                    continue
                target = os.path.normpath(os.path.join(os.path.dirname(f), m.group(1)))
                allowed = (target.startswith("include/trtc/detail/") or
                           target in ("include/trtc/config.hpp", "include/trtc/version.hpp"))
                if not allowed:
                    out.append("%s:%d: a detail/ header includes %s, which is above it "
                               "(detail/ may include only detail/ and config.hpp)" %
                               (f, n, m.group(1)))
    return out


def main():
    fix = "--fix" in sys.argv[1:]
    files = tracked_files()
    problems = []
    for f in files:
        if f in SPDX_EXEMPT_FILES or f.startswith(SPDX_EXEMPT_DIRS):
            continue
        name = os.path.basename(f)
        if not (f.endswith(NEEDS_SPDX) or name in (".clang-format", "run") or
                name == "meson_options.txt"):
            continue
        with open(os.path.join(ROOT, f), encoding="utf-8", errors="replace") as fh:
            head = [next(fh, "") for _ in range(4)]
        if not any("SPDX-License-Identifier: MIT" in line for line in head):
            problems.append("%s: no 'SPDX-License-Identifier: MIT' line at the top" % f)

    problems += layering_problems(files)

    cxx = [f for f in files if f.endswith(CXX) and not f.startswith("single_include/")]
    if cxx:
        cmd = ["clang-format", "-i"] if fix else ["clang-format", "--dry-run", "-Werror"]
        r = subprocess.run(cmd + cxx, cwd=ROOT, capture_output=True, text=True)
        if r.returncode != 0:
            bad = sorted(set(line.split(":")[0] for line in r.stderr.splitlines()
                             if ": error:" in line))
            for b in bad:
                problems.append("%s: not formatted (run: clang-format -i %s)" % (b, b))
            if not bad:
                problems.append("clang-format failed: " + r.stderr.strip()[:500])
    for p in problems:
        print(p)
    if problems:
        print("lint: %d problem(s); `python3 tools/lint.py --fix` reformats C++ files" %
              len(problems))
        return 1
    print("lint: %d files checked, %d C++ files formatted" % (len(files), len(cxx)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
