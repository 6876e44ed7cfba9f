#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The trtc-battle authors
"""Generate single_include/ from include/.

single_include/trtc/trtc.hpp is include/trtc/trtc.hpp with every project header it reaches
inlined once, in include order. Each opt-in header (adapters/*.hpp, testing/*.hpp) becomes a
file of the same name in single_include/ with its own project headers inlined, the ones the
core already holds replaced by one include of the single header, and each other opt-in header
it includes replaced by an include of that header's generated file (`#include "emulator.hpp"`,
`#include "../testing/emulator.hpp"`: a path relative to the file), pasting nothing that file
already holds. Opt-in headers that include each other in a cycle are refused.

Deterministic and dependency-free: standard-library Python only, no formatter pass.
Usage: tools/amalgamate.py            regenerate
       tools/amalgamate.py --check    exit 1 (and say how to fix it) if single_include/ is stale
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(ROOT, "include")
DST = os.path.join(ROOT, "single_include")
CORE = "trtc/trtc.hpp"
OPT_IN_DIRS = ("trtc/adapters", "trtc/testing")
INCLUDE_RE = re.compile(r'^\s*#\s*include\s+"([^"]+)"\s*$')
SPDX = "// SPDX-License-Identifier: MIT\n"


def banner(name):
    return (SPDX +
            "// Copyright (c) 2026 The trtc-battle authors\n"
            "//\n"
            "// GENERATED FILE - DO NOT EDIT. It is %s assembled from include/ by\n"
            "// tools/amalgamate.py; edit the files in include/ and run that script.\n" % name)


def read(rel):
    with open(os.path.join(SRC, rel), encoding="utf-8") as f:
        return f.read().splitlines()


def strip_license(lines):
    """Drops the two-line SPDX/copyright header of an inlined file."""
    out = list(lines)
    while out and (out[0].startswith("// SPDX-License-Identifier") or
                   out[0].startswith("// Copyright (c)")):
        out.pop(0)
    return out


def resolve(current, target):
    path = os.path.normpath(os.path.join(os.path.dirname(current), target))
    if not os.path.isfile(os.path.join(SRC, path)):
        raise SystemExit("%s: cannot find included file %s" % (current, target))
    return path.replace(os.sep, "/")


IF_RE = re.compile(r"^\s*#\s*if")
ENDIF_RE = re.compile(r"^\s*#\s*endif")
GUARD_RE = re.compile(r"^\s*#\s*ifndef\s+TRTC_\w+_HPP\s*$")


class OptIn:
    """What expand() needs to include other opt-in headers' generated files: the file being
    generated (`top`) and `build(dep)`, which returns (lines, holds, conditional) of dep's
    generated file, building it first if need be."""

    def __init__(self, top, names, build):
        self.top, self.names, self.build = top, names, build

    def include_line(self, dep):
        path = os.path.relpath(dep, os.path.dirname(self.top)).replace(os.sep, "/")
        return '#include "%s"' % path


def expand(rel, seen, out, replace=None, conditional=None, under=False, opt_in=None):
    """Inlines rel and its project includes (each once). Files in `replace` become one
    include line instead (emitted once); so do the opt-in headers of `opt_in`, each an include
    of its generated file, everything that file holds then counted as seen.

    A header first reached inside a conditional block (e.g. `#if TRTC_DEFINITIONS`) is pasted
    inside that block, so a later unconditional include of it would find nothing: that is an
    error, and the unconditional include must come first. `conditional` maps such headers to
    the file that first included them; `under` says whether rel itself sits in such a block."""
    if conditional is None:
        conditional = {}
    depth = 0  # open conditional blocks in rel, its include guard not counted
    guard = False
    for line in strip_license(read(rel)):
        if not guard and depth == 0 and GUARD_RE.match(line):
            guard = True
            out.append(line)
            continue
        if IF_RE.match(line):
            depth += 1
        elif ENDIF_RE.match(line):
            depth -= 1
        m = INCLUDE_RE.match(line)
        if not m:
            out.append(line)
            continue
        dep = resolve(rel, m.group(1))
        inside = under or depth > 0

        def check_unconditional(where):
            if not inside and dep in where:
                raise SystemExit(
                    "%s includes %s unconditionally, but %s reached it first inside a "
                    "conditional block, where the single header pastes it: include it "
                    "unconditionally there too" % (rel, dep, where[dep]))

        if replace is not None and dep in replace[0]:
            check_unconditional(replace[3])
            if not replace[2]:
                out.append('#include "%s"' % replace[1])
                replace[2] = True
            continue
        if dep in seen:
            check_unconditional(conditional)
            continue
        if opt_in is not None and dep in opt_in.names:
            _, holds, held_conditionally = opt_in.build(dep)
            out.append(opt_in.include_line(dep))
            for h in sorted(holds - seen):
                if inside:
                    conditional[h] = rel
                elif h in held_conditionally:
                    conditional[h] = held_conditionally[h]
            seen |= holds
            continue
        seen.add(dep)
        if inside:
            conditional[dep] = rel
        expand(dep, seen, out, replace, conditional, inside, opt_in)


def generate():
    files = {}
    core_seen = {CORE}
    out = []
    core_conditional = {}
    expand(CORE, core_seen, out, None, core_conditional)
    files[CORE] = out
    names = []
    for d in OPT_IN_DIRS:
        full = os.path.join(SRC, d)
        if not os.path.isdir(full):
            continue
        names += [d + "/" + n for n in sorted(os.listdir(full)) if n.endswith(".hpp")]
    built = {}  # rel: (lines, holds, conditional)
    stack = []

    def build(rel):
        if rel in built:
            return built[rel]
        if rel in stack:
            raise SystemExit("opt-in headers include each other in a cycle: %s: an opt-in "
                             "header may include another only if that one does not include it "
                             "back" % " -> ".join(stack[stack.index(rel):] + [rel]))
        stack.append(rel)
        to_core = "../" * (rel.count("/") - 1) + "trtc.hpp"
        seen = {rel}
        lines = []
        conditional = {}
        replace = [core_seen, to_core, False, core_conditional]
        expand(rel, seen, lines, replace, conditional, False, OptIn(rel, set(names), build))
        stack.pop()
        built[rel] = (lines, seen, conditional)
        return built[rel]

    for rel in names:
        files[rel] = build(rel)[0]
    result = {}
    for rel, lines in files.items():
        text = banner(rel) + "\n".join(lines).rstrip("\n") + "\n"
        result[rel] = re.sub(r"\n{3,}", "\n\n", text)
    return result


def existing():
    found = {}
    for base, _, names in os.walk(DST):
        for n in names:
            p = os.path.join(base, n)
            found[os.path.relpath(p, DST).replace(os.sep, "/")] = p
    return found


def main():
    check = "--check" in sys.argv[1:]
    wanted = generate()
    have = existing()
    stale = []
    for rel, text in sorted(wanted.items()):
        path = os.path.join(DST, rel)
        old = None
        if rel in have:
            with open(have[rel], encoding="utf-8", newline="") as f:
                old = f.read()
        if old != text:
            stale.append(rel)
            if not check:
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "w", encoding="utf-8", newline="\n") as f:
                    f.write(text)
    for rel in sorted(set(have) - set(wanted)):
        stale.append(rel + " (no longer generated)")
        if not check:
            os.remove(have[rel])
    if check:
        if stale:
            for s in stale:
                print("single_include/%s is stale" % s)
            print("run: python3 tools/amalgamate.py  (then commit single_include/)")
            return 1
        print("single_include/ is up to date (%d files)" % len(wanted))
        return 0
    print("single_include/: %d files, %d rewritten" % (len(wanted), len(stale)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
