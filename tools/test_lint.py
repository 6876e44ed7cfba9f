#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The trtc-battle authors
"""Checks tools/lint.py's rules on small synthetic trees: a detail/ header that includes a header
above detail/ is reported (with the file, line and include), and one that includes only detail/
headers and config.hpp is not; an emulator header that reaches the library's request rules,
directly or through other headers (a conditional include too), is reported with the chain, and
one that reaches none is not; std's locks in include/ are reported outside detail/mutex.hpp,
and not in a comment; an example including a library header single_include/ lacks is reported."""
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

    # The emulator and the library's request rules.
    root, _ = tree({
        "include/trtc/json.hpp": "",
        "include/trtc/battle.hpp": '#include "endpoint/validator.hpp"\n',
        "include/trtc/endpoint/validator.hpp": "",
        "include/trtc/testing/emulator.hpp": '#include "../json.hpp"\n#include <string>\n'
                                             '// #include "../battle.hpp" in a comment\n',
        "include/trtc/testing/emulator_server.hpp": '#include "emulator.hpp"\n',
    })
    got = lint.emulator_problems(root)
    if got:
        failures.append("an emulator reaching no request rule was reported: %s" % got)
    root, _ = tree({
        "include/trtc/json.hpp": '#if X\n#  include "battle.hpp"\n#endif\n',
        "include/trtc/battle.hpp": "",
        "include/trtc/endpoint/validator.hpp": "",
        "include/trtc/testing/emulator.hpp": '#include "../json.hpp"\n',
        "include/trtc/testing/emulator_transport.hpp":
            '#include "emulator.hpp"\n#include "../endpoint/validator.hpp"\n',
    })
    got = lint.emulator_problems(root)
    want = ["include/trtc/testing/emulator.hpp -> include/trtc/json.hpp -> "
            "include/trtc/battle.hpp",
            "include/trtc/testing/emulator_transport.hpp -> "
            "include/trtc/endpoint/validator.hpp"]
    if len(got) != 2 or any(w not in g for w, g in zip(want, got)):
        failures.append("request rules reached by the emulator not reported as expected: %s" %
                        got)

    # One mutex idiom in include/.
    root, files = tree({
        "include/trtc/detail/mutex.hpp": "#include <mutex>\nstd::mutex m_;\n",
        "include/trtc/a.hpp": "// unlike std::mutex, detail::mutex needs no <mutex>\n"
                              "detail::lock_guard g(m);\n",
        "include/trtc/testing/b.hpp": "#  include <condition_variable>\n"
                                      "    std::lock_guard<std::mutex> lock(m);\n",
        "tests/c.cpp": "std::mutex m;\n",
    })
    got = lint.mutex_problems(files, root)
    if len(got) != 2 or not got[0].startswith("include/trtc/testing/b.hpp:1:") or \
            not got[1].startswith("include/trtc/testing/b.hpp:2: std::lock_guard"):
        failures.append("std's locks in include/ not reported as expected: %s" % got)

    for f in failures:
        print("test_lint: " + f)
    root, files = tree({
        "single_include/trtc/trtc.hpp": "",
        "single_include/trtc/adapters/curl.hpp": "",
        "examples/good.cpp": "#include <trtc/trtc.hpp>\n#include <trtc/adapters/curl.hpp>\n",
        "examples/cli/bad.cpp": "#include <string>\n#  include <trtc/webhooks.hpp>\n",
    })
    got = lint.example_include_problems(files, root)
    if len(got) != 1 or not got[0].startswith("examples/cli/bad.cpp:2: <trtc/webhooks.hpp>"):
        failures.append("an example's include missing from single_include/: %s" % got)

    if failures:
        return 1
    print("test_lint: all cases passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
