#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The trtc-battle authors
"""Repository checks that need no build: every source file carries an SPDX line near its top,
every C++ file is formatted as .clang-format says (clang-format --dry-run -Werror), and the
layering holds: a header in include/trtc/detail/ includes only detail/ headers and config.hpp
(docs/architecture.md), so that the building blocks reach nothing above them; the emulator
(include/trtc/testing/emulator*.hpp) reaches none of the headers that hold the library's request
rules, directly or through another header (it checks requests with rules of its own, so that it
can catch the library's mistakes); and include/ has one mutex idiom, detail/mutex.hpp's.

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


# The emulator's headers, and the library's request rules they must not reach: the validator,
# the endpoint machinery that includes it, the endpoints' own rules (battle.hpp) and what calls
# them (sans_io.hpp's prepare, the client).
EMULATOR_HEADERS = ("include/trtc/testing/emulator.hpp", "include/trtc/testing/emulator_server.hpp",
                    "include/trtc/testing/emulator_transport.hpp")
REQUEST_RULES = ("include/trtc/endpoint/validator.hpp", "include/trtc/endpoint.hpp",
                 "include/trtc/battle.hpp", "include/trtc/sans_io.hpp", "include/trtc/client.hpp")


def include_chain(start, targets, root=ROOT):
    """The shortest chain of project includes (conditional ones too) from `start` to one of
    `targets`, as a list of paths relative to `root`, or None when it reaches none."""
    parent = {start: None}
    todo = [start]
    while todo:
        f = todo.pop(0)
        if f in targets:
            chain = []
            while f is not None:
                chain.append(f)
                f = parent[f]
            return chain[::-1]
        path = os.path.join(root, f)
        if not os.path.isfile(path):
            continue
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                m = INCLUDE_RE.match(line)
                if not m:
                    continue
                dep = os.path.normpath(os.path.join(os.path.dirname(f), m.group(1)))
                dep = dep.replace(os.sep, "/")
                if dep not in parent:
                    parent[dep] = f
                    todo.append(dep)
    return None


def emulator_problems(root=ROOT):
    out = []
    for f in EMULATOR_HEADERS:
        if not os.path.isfile(os.path.join(root, f)):
            continue
        chain = include_chain(f, REQUEST_RULES, root)
        if chain:
            out.append("%s reaches the library's request rules (%s): the emulator checks "
                       "requests with rules of its own" % (f, " -> ".join(chain)))
    return out


# std's locks, outside detail/mutex.hpp (which wraps them on Windows).
STD_LOCKS_RE = re.compile(r"\bstd::(mutex|recursive_mutex|timed_mutex|shared_mutex|lock_guard|"
                          r"unique_lock|scoped_lock|shared_lock|condition_variable(_any)?)\b|"
                          r"^\s*#\s*include\s*<(mutex|shared_mutex|condition_variable)>")
MUTEX_HEADER = "include/trtc/detail/mutex.hpp"


def mutex_problems(files, root=ROOT):
    """include/ uses detail::mutex, lock_guard, unique_lock and condition_variable only."""
    out = []
    for f in files:
        if not f.startswith("include/") or f == MUTEX_HEADER or not f.endswith(CXX):
            continue
        with open(os.path.join(root, f), encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                code = line.split("//", 1)[0]
                m = STD_LOCKS_RE.search(code)
                if m:
                    out.append("%s:%d: %s: use detail/mutex.hpp (detail::mutex, lock_guard, "
                               "unique_lock, condition_variable), the library's one mutex idiom" %
                               (f, n, m.group(0).strip()))
    return out


# The examples build through the single header too (meson's single_include build): they may
# include only the library headers single_include/ also has.
EXAMPLE_INCLUDE_RE = re.compile(r"^\s*#\s*include\s*<(trtc/[^>]+)>")


def example_include_problems(files, root=ROOT):
    """examples/ includes <trtc/...> headers that exist in single_include/ only."""
    out = []
    for f in files:
        if not f.startswith("examples/") or not f.endswith(CXX):
            continue
        with open(os.path.join(root, f), encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                m = EXAMPLE_INCLUDE_RE.match(line)
                if m and not os.path.isfile(os.path.join(root, "single_include", m.group(1))):
                    out.append("%s:%d: <%s> is not in single_include/ (the examples build "
                               "through the single header too): include <trtc/trtc.hpp>" %
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
    problems += emulator_problems()
    problems += mutex_problems(files)
    problems += example_include_problems(files)

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
