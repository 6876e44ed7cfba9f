#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The trtc-battle authors
#
# Windows: cross-compiles with mingw-w64 (g++, posix threads) the test sources that
# tests/suites.txt tags `portable` (UserSig, JSON, endpoints, sans-I/O, policies, the client over
# a scripted transport) into one program, and runs it under wine when wine64 is installed. Also
# checks that the umbrella header and the single header compile there, and that the two POSIX-only
# headers included on their own stop with their message.
# Usage: tests/mingw/run.sh WORKDIR     (TRTC_WINEPREFIX: a wine prefix to use)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
work=${1:?usage: run.sh WORKDIR}
jobs=${TRTC_JOBS:-$(nproc 2>/dev/null || echo 2)}
cxx=${TRTC_MINGW_CXX:-x86_64-w64-mingw32-g++-posix}
rm -rf "$work"
mkdir -p "$work/obj" "$work/inc"
# doctest is header-only: take the host's copy, and nothing else of /usr/include.
doctest_h=$(echo '#include <doctest/doctest.h>' | c++ -x c++ -E -H - 2>&1 >/dev/null |
    sed -n 's/^\. //p' | head -n 1)
[ -n "$doctest_h" ] || { echo "doctest/doctest.h not found (Debian: doctest-dev)" >&2; exit 1; }
ln -s "$(dirname "$doctest_h")" "$work/inc/doctest"
flags=(-std=c++17 -O0 -g0 -Wall -Wextra -Wpedantic -Werror -I"$src/include" -I"$work/inc"
    "-DTRTC_TEST_SOURCE_DIR=\"$src\"" -DDOCTEST_CONFIG_SUPER_FAST_ASSERTS)

echo "    $cxx: $($cxx -dumpversion)"
sources=$(awk '!/^#/ && NF >= 2 { for (i = 3; i <= NF; i++) if ($i == "portable") print $2 }' \
    "$src/tests/suites.txt")
# In unity batches, as the native builds compile them (tests/CMakeLists.txt), one per job.
n=0
for s in $sources; do
    printf '#include "%s/tests/%s"\n' "$src" "$s" >>"$work/obj/unity_$((n % jobs)).cpp"
    n=$((n + 1))
done
cp "$src/tests/main.cpp" "$work/obj/main.cpp"
ls "$work"/obj/*.cpp | xargs -P "$jobs" -I{} "$cxx" "${flags[@]}" -c {} -o {}.o
"$cxx" -static -o "$work/trtc_portable_tests.exe" "$work"/obj/*.o
echo "    built $(echo $sources | wc -w) sources into trtc_portable_tests.exe"

# The single header, and the umbrella header on its own.
printf '#include <trtc/trtc.hpp>\nint main() { return trtc::validate(trtc::get_battle_info::request::by_battle_id("b")) ? 0 : 1; }\n' \
    >"$work/umbrella.cpp"
"$cxx" "${flags[@]}" -c "$work/umbrella.cpp" -o "$work/umbrella.o"
"$cxx" "${flags[@]/-I$src\/include/-I$src/single_include}" -c "$work/umbrella.cpp" -o "$work/single.o"
# The POSIX-only headers included on their own: refused with their own message.
for h in trtc/transport/http1.hpp trtc/default_client.hpp; do
    printf '#include <%s>\n' "$h" >"$work/posix_only.cpp"
    if "$cxx" "${flags[@]}" -c "$work/posix_only.cpp" -o "$work/posix_only.o" >"$work/posix_only.log" 2>&1; then
        echo "$h compiled for Windows: it should stop with its message" >&2
        exit 1
    fi
    grep -q "POSIX sockets" "$work/posix_only.log" ||
        { cat "$work/posix_only.log"; echo "$h: not the expected message" >&2; exit 1; }
done
echo "    the umbrella and the single header compile; the POSIX-only headers refuse with a message"

wine=$(command -v wine64 || command -v wine || { [ -x /usr/lib/wine/wine64 ] && echo /usr/lib/wine/wine64; } || true)
if [ -z "$wine" ]; then
    echo "    not run: wine64 is not installed (Debian: wine64)"
    exit 0
fi
# A prefix made beforehand (tools/test.sh starts one at its beginning: making one takes about
# 8 s, mostly waiting), or a fresh one.
export WINEPREFIX="${TRTC_WINEPREFIX:-$work/wineprefix}" WINEDEBUG=-all
"$wine" "$work/trtc_portable_tests.exe" --no-intro=true >"$work/run.log" 2>&1 ||
    { cat "$work/run.log"; echo "the portable tests failed under wine" >&2; exit 1; }
tail -n 3 "$work/run.log" | sed 's/^/    /'
"$(dirname "$wine")/wineserver" -k 2>/dev/null || wineserver -k 2>/dev/null || true
