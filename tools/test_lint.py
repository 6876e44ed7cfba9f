#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The trtc-battle authors
"""Checks tools/lint.py's layering rule on small synthetic trees: a detail/ header that includes
a header above detail/ is reported (with the file, line and include), and one that includes only
detail/ headers and config.hpp is not."""
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lint  # noqa: E402


def tree(files):
    root = tempfile.mkdtemp()
    for rel, text in files.items():
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
    return root, sorted(files)


def main():
    failures = []

    root, files = tree({
        "include/trtc/config.hpp": "",
        "include/trtc/detail/a.hpp": '#include "../config.hpp"\n#include "b.hpp"\n#include <string>\n',
        "include/trtc/detail/b.hpp": '#    include "../config.hpp"\n',
        "include/trtc/json.hpp": '#include "detail/a.hpp"\n',
    })
    got = lint.layering_problems(files, root)
    if got:
        failures.append("a clean tree was reported: %s" % got)

    root, files = tree({
        "include/trtc/config.hpp": "",
        "include/trtc/json.hpp": "",
        "include/trtc/detail/a.hpp": '#include "../config.hpp"\n#  include "../json.hpp"\n',
        "include/trtc/detail/c.hpp": '#include "../endpoint/fields.hpp"\n',
    })
    got = lint.layering_problems(files, root)
    if len(got) != 2 or not got[0].startswith("include/trtc/detail/a.hpp:2:") or \
            "../json.hpp" not in got[0] or "../endpoint/fields.hpp" not in got[1]:
        failures.append("includes above detail/ not reported as expected: %s" % got)

    for f in failures:
        print("test_lint: " + f)
    if failures:
        return 1
    print("test_lint: all cases passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
