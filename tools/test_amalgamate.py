#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The trtc-battle authors
"""Tests of tools/amalgamate.py on small synthetic include/ trees (run by tools/test.sh).

Each case writes headers to a temporary directory, points the script there and checks what
generate() makes of them, or that it refuses them. Standard-library Python only.
Usage: tools/test_amalgamate.py   (exit 0 when every case passes)
"""
import importlib.util
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("amalgamate", os.path.join(HERE, "amalgamate.py"))
amalgamate = importlib.util.module_from_spec(spec)
spec.loader.exec_module(amalgamate)

LICENSE = "// SPDX-License-Identifier: MIT\n// Copyright (c) 2026 The trtc-battle authors\n"


def header(name, body):
    guard = "TRTC_%s_HPP" % name.upper()
    return LICENSE + "#ifndef %s\n#define %s\n%s#endif\n" % (guard, guard, body)


def run(tree):
    """generate() on `tree` ({path under include/: text}): the files, or the refusal."""
    with tempfile.TemporaryDirectory() as tmp:
        for rel, text in tree.items():
            path = os.path.join(tmp, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
        amalgamate.SRC = tmp
        try:
            return amalgamate.generate(), None
        except SystemExit as e:
            return None, str(e)


failures = []


def expect(cond, what):
    if not cond:
        failures.append(what)


# A header reached unconditionally first may also be included inside a conditional block.
files, refusal = run({
    "trtc/trtc.hpp": header("trtc", '#include "b.hpp"\n#include "a.hpp"\n'),
    "trtc/a.hpp": header("a", '#if TRTC_DEFINITIONS\n#include "b.hpp"\n#endif\nint a;\n'),
    "trtc/b.hpp": header("b", "int b;\n"),
})
expect(refusal is None, "unconditional first, then conditional: refused (%s)" % refusal)
if files:
    core = files["trtc/trtc.hpp"]
    expect(core.count("int b;") == 1, "b.hpp pasted once")
    expect(core.index("int b;") < core.index("int a;"), "b.hpp pasted before a.hpp")
    expect('#include "' not in core, "no project include left in the single header")
    expect(core.startswith("// SPDX-License-Identifier: MIT\n"), "SPDX line first")
    expect(core.count("SPDX-License-Identifier") == 1, "inlined license lines dropped")

# Reached first inside a conditional block, then needed unconditionally: refused, naming both.
files, refusal = run({
    "trtc/trtc.hpp": header("trtc", '#include "a.hpp"\n#include "c.hpp"\n'),
    "trtc/a.hpp": header("a", '#if TRTC_DEFINITIONS\n#    include "b.hpp"\n#endif\n'),
    "trtc/b.hpp": header("b", "int b;\n"),
    "trtc/c.hpp": header("c", '#include "b.hpp"\nint c = b;\n'),
})
expect(files is None, "conditional first, then unconditional: accepted")
expect(refusal is not None and "trtc/c.hpp includes trtc/b.hpp unconditionally" in refusal and
       "trtc/a.hpp reached it first" in refusal, "refusal names both headers: %s" % refusal)

# The same through an opt-in header, whose core headers become one include of the core.
files, refusal = run({
    "trtc/trtc.hpp": header("trtc", '#include "a.hpp"\n'),
    "trtc/a.hpp": header("a", '#if TRTC_DEFINITIONS\n#include "b.hpp"\n#endif\n'),
    "trtc/b.hpp": header("b", "int b;\n"),
    "trtc/testing/t.hpp": header("t", '#include "../b.hpp"\nint t = b;\n'),
})
expect(files is None and refusal is not None and "trtc/testing/t.hpp" in refusal,
       "opt-in header needing a conditionally pasted core header: %s" % refusal)

# An opt-in header including core headers gets one include of the single header instead.
files, refusal = run({
    "trtc/trtc.hpp": header("trtc", '#include "a.hpp"\n'),
    "trtc/a.hpp": header("a", "int a;\n"),
    "trtc/testing/t.hpp": header("t", '#include "../a.hpp"\n#include "../trtc.hpp"\nint t;\n'),
})
expect(refusal is None, "opt-in header: refused (%s)" % refusal)
if files:
    t = files["trtc/testing/t.hpp"]
    expect(t.count('#include "../trtc.hpp"') == 1, "one include of the single header")
    expect("int a;" not in t, "core content not pasted into the opt-in header")

# An opt-in header that includes another opt-in header includes that header's generated file
# instead of pasting it, and pastes nothing that file already holds.
files, refusal = run({
    "trtc/trtc.hpp": header("trtc", '#include "a.hpp"\n'),
    "trtc/a.hpp": header("a", "int a;\n"),
    "trtc/detail/p.hpp": header("p", "int p;\n"),
    "trtc/testing/t.hpp": header("t", '#include "../a.hpp"\n#include "../detail/p.hpp"\nint t;\n'),
    "trtc/testing/s.hpp": header(
        "s", '#include "t.hpp"\n#include "../detail/p.hpp"\n#include "t.hpp"\nint s = t + p;\n'),
    "trtc/adapters/x.hpp": header("x", '#include "../testing/t.hpp"\nint x = t;\n'),
})
expect(refusal is None, "opt-in header including a sibling: refused (%s)" % refusal)
if files:
    t, s_ = files["trtc/testing/t.hpp"], files["trtc/testing/s.hpp"]
    x = files["trtc/adapters/x.hpp"]
    expect("int p;" in t and "int t;" in t and t.count('#include "../trtc.hpp"') == 1,
           "the sibling's own file pastes its private header and includes the core")
    expect(s_.count('#include "t.hpp"') == 1, "one include of the sibling's file: %r" % s_)
    expect("int t;" not in s_ and "int p;" not in s_,
           "nothing the sibling's file holds is pasted again")
    expect(0 <= s_.find('#include "t.hpp"') < s_.find("int s = t + p;"),
           "the sibling's include comes where it was included")
    expect('#include "../testing/t.hpp"' in x and "int t;" not in x,
           "an opt-in header of another folder is included by its relative path")

# Included inside a conditional block, a sibling's file does not hold its headers for an
# unconditional include after it: refused, naming both files.
files, refusal = run({
    "trtc/trtc.hpp": header("trtc", "int core;\n"),
    "trtc/detail/p.hpp": header("p", "int p;\n"),
    "trtc/testing/t.hpp": header("t", '#include "../detail/p.hpp"\n'),
    "trtc/testing/s.hpp": header("s", '#if X\n#include "t.hpp"\n#endif\n#include "../detail/p.hpp"\n'),
})
expect(files is None and refusal is not None and
       "trtc/testing/s.hpp includes trtc/detail/p.hpp unconditionally" in refusal,
       "a sibling included conditionally, its header then unconditionally: %s" % refusal)

# Two opt-in headers that include each other: refused, naming the cycle.
files, refusal = run({
    "trtc/trtc.hpp": header("trtc", "int core;\n"),
    "trtc/testing/a.hpp": header("ta", '#include "b.hpp"\n'),
    "trtc/testing/b.hpp": header("tb", '#include "a.hpp"\n'),
})
expect(files is None and refusal is not None and "cycle" in refusal and
       "trtc/testing/a.hpp -> trtc/testing/b.hpp -> trtc/testing/a.hpp" in refusal,
       "opt-in headers in a cycle: %s" % refusal)

# A nested conditional inside a header that is itself pasted conditionally counts as
# conditional too.
files, refusal = run({
    "trtc/trtc.hpp": header("trtc", '#if X\n#include "a.hpp"\n#endif\n#include "b.hpp"\n'),
    "trtc/a.hpp": header("a", '#include "b.hpp"\n'),
    "trtc/b.hpp": header("b", "int b;\n"),
})
expect(files is None and refusal is not None, "a header under a conditional include: accepted")

# A missing header is reported by name.
files, refusal = run({"trtc/trtc.hpp": header("trtc", '#include "missing.hpp"\n')})
expect(refusal is not None and "missing.hpp" in refusal, "missing header: %s" % refusal)

if failures:
    for f in failures:
        print("test_amalgamate: FAILED: %s" % f)
    sys.exit(1)
print("test_amalgamate: all cases passed")
