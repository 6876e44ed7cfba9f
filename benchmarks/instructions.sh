#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The trtc-battle authors
#
# Exact instructions per operation, independent of machine load: runs trtc_bench under
# callgrind with --callgrind_ops=N (each benchmark's operation N times inside a callgrind dump
# of its own) and prints, per benchmark, the user-space instructions per operation executed by
# the calling thread (a loopback server's threads are not included). Under valgrind the CPU
# looks like one without SHA-NI, so the built-in SHA-256 runs its portable code here.
#
# Usage: benchmarks/instructions.sh TRTC_BENCH [N=200] [benchmark filter regex]
set -euo pipefail

bin=${1:?usage: instructions.sh path/to/trtc_bench [N] [filter]}
n=${2:-200}
filter=${3:-.}
command -v valgrind >/dev/null || { echo "instructions.sh: valgrind is not installed" >&2; exit 1; }

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
valgrind --tool=callgrind --separate-threads=yes --callgrind-out-file="$out/cg.out" \
    "$bin" --callgrind_ops="$n" --benchmark_filter="$filter" --benchmark_min_time=0.0001 \
    >"$out/stdout" 2>"$out/stderr" || { tail -20 "$out/stderr" >&2; exit 1; }

python3 - "$out" "$n" <<'PY'
import glob, os, re, sys
out, n = sys.argv[1], int(sys.argv[2])
rows = []
for path in glob.glob(os.path.join(out, "cg.out.*")):
    name = total = None
    with open(path, errors="replace") as f:
        for line in f:
            if line.startswith("desc: Trigger: Client Request: "):
                name = line.split(": ", 3)[3].strip()
            elif line.startswith("summary:") and total is None:
                total = int(line.split()[1])
    m = re.search(r"cg\.out\.(\d+)", path)
    if name and total is not None and m:
        rows.append((int(m.group(1)), name, total))
print("| operation | instructions/op |")
print("|---|---:|")
for _, name, total in sorted(rows):
    print("| %s | %d |" % (name, total // n))
PY
