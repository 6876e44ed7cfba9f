#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The trtc-battle authors
#
# What the library adds to a binary: the stripped size of the trtc-battle CLI built Release with
# the built-in backends only (every adapter's dependency hidden from CMake), next to a stripped
# hello-world, a minimal program making one call with trtc::client, and a minimal program that
# calls curl_easy_perform (with the shared libraries it then needs at run time), plus the CLI's
# largest functions as diagnostic input.
#
# Usage: benchmarks/binary_size.sh [BUILD_DIR=build-size]    (JOBS=2 by default)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-$root/build-size}
jobs=${JOBS:-2}
cxx=${CXX:-g++}

mkdir -p "$dir"
echo "configuring a Release build with the built-in backends only in $dir"
cmake -S "$root" -B "$dir" -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER="$cxx" \
    -DTRTC_BUILD_EXAMPLES=ON -DTRTC_BUILD_TESTS=OFF -DTRTC_BUILD_BENCHMARKS=OFF \
    -DTRTC_BUILD_FUZZERS=OFF -DTRTC_INSTALL=OFF \
    -DCMAKE_DISABLE_FIND_PACKAGE_ZLIB=ON -DCMAKE_DISABLE_FIND_PACKAGE_CURL=ON \
    -DCMAKE_DISABLE_FIND_PACKAGE_OpenSSL=ON -DCMAKE_DISABLE_FIND_PACKAGE_nlohmann_json=ON \
    >"$dir/configure.log" 2>&1 || { cat "$dir/configure.log"; exit 1; }
grep -o "adapters available:.*" "$dir/configure.log" || true
cmake --build "$dir" --target trtc-battle -j "$jobs" >"$dir/build.log" 2>&1 ||
    { tail -30 "$dir/build.log"; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
size_of() { stat -c %s "$1"; }
kib() { awk -v b="$1" 'BEGIN { printf "%.1f KiB", b / 1024 }'; }
stripped() { strip -o "$work/stripped" "$1" && size_of "$work/stripped"; }

cli="$dir/examples/trtc-battle"
strip -o "$work/cli.stripped" "$cli"
cli_size=$(size_of "$work/cli.stripped")

# The library alone in a minimal program: a client making one get_battle_info call (UserSig,
# prepare, built-in HTTP/1.1 transport, decode), from the single header, -O2.
cat >"$work/min_client.cpp" <<'CPP'
#include <trtc/trtc.hpp>
#include <cstdio>
int main(int argc, char** argv) {
    trtc::client_config c;
    c.creds = {1400000000, "administrator", argc > 2 ? argv[2] : "key"};
    c.where = trtc::location::parse(argc > 1 ? argv[1] : "http://127.0.0.1:9").value();
    auto client = trtc::client::create(std::move(c));
    if (!client) return 1;
    auto r = client->get_battle_info(trtc::get_battle_info::request::by_battle_id("b"));
    std::printf("%s\n", r ? r->battle_id.c_str() : r.error().describe().c_str());
    return r ? 0 : 1;
}
CPP
"$cxx" -std=c++17 -O2 -I"$root/single_include" "$work/min_client.cpp" -o "$work/min_client" -pthread
min_size=$(stripped "$work/min_client")

printf '#include <cstdio>\nint main() { std::puts("hello"); }\n' >"$work/hello.cpp"
"$cxx" -std=c++17 -O2 "$work/hello.cpp" -o "$work/hello"
hello_size=$(stripped "$work/hello")
printf '#include <iostream>\n#include <string>\nint main() { std::string s = "hello"; std::cout << s << "\\n"; }\n' >"$work/hello_iostream.cpp"
"$cxx" -std=c++17 -O2 "$work/hello_iostream.cpp" -o "$work/hello_iostream"
hello_io_size=$(stripped "$work/hello_iostream")

curl_line="| minimal libcurl POST program (curl_easy_perform) | n/a (libcurl headers not installed) | |"
if printf '#include <curl/curl.h>\n' | "$cxx" -x c++ -fsyntax-only - 2>/dev/null; then
    cat >"$work/curl_min.cpp" <<'CPP'
#include <curl/curl.h>
int main(int argc, char** argv) {
    CURL* c = curl_easy_init();
    if (!c) return 1;
    curl_easy_setopt(c, CURLOPT_URL, argc > 1 ? argv[1] : "http://127.0.0.1:9/");
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, "{}");
    CURLcode rc = curl_easy_perform(c);
    curl_easy_cleanup(c);
    return rc == CURLE_OK ? 0 : 1;
}
CPP
    "$cxx" -std=c++17 -O2 "$work/curl_min.cpp" -o "$work/curl_min" -lcurl
    curl_size=$(stripped "$work/curl_min")
    # The shared libraries it needs that a plain C++ program does not.
    libs=$(ldd "$work/curl_min" | awk '/=>/ { print $3 }' | sort -u)
    base=$(ldd "$work/hello_iostream" | awk '/=>/ { print $3 }' | sort -u)
    extra=0
    nextra=0
    for l in $libs; do
        if ! grep -qx "$l" <<<"$base"; then
            extra=$((extra + $(size_of "$(readlink -f "$l")")))
            nextra=$((nextra + 1))
        fi
    done
    curl_line="| minimal libcurl POST program (curl_easy_perform) | $(kib "$curl_size") | + $nextra shared libraries it loads (libcurl and its TLS, HTTP/2, IDN, ... dependencies): $(kib "$extra") on disk |"
fi

echo
echo "| binary (stripped) | size | notes |"
echo "|---|---:|---|"
echo "| trtc-battle CLI, built-in backends only | $(kib "$cli_size") | all commands, the emulator included (demo, serve); needs only $(ldd "$cli" | awk '/=>/ { sub(/\.so.*/, "", $1); printf "%s ", $1 }')|"
echo "| minimal program: trtc::client, one get_battle_info call | $(kib "$min_size") | single header, -O2; UserSig, prepare, HTTP/1.1 transport, decode |"
echo "| hello world (puts) | $(kib "$hello_size") | |"
echo "| hello world (iostream + std::string) | $(kib "$hello_io_size") | |"
echo "$curl_line"
echo
echo "Largest functions of the CLI (unstripped symbol sizes):"
echo
nm -C --size-sort --radix=d "$cli" | awk '$2 ~ /[tTwW]/' | tail -12 | sort -rn |
    awk '{ s = $1; $1 = ""; $2 = ""; sub(/^  /, ""); printf "  %7d  %s\n", s, substr($0, 1, 120) }'
echo
echo "Sections (size -A) of the stripped CLI:"
size -A "$work/cli.stripped" 2>/dev/null | awk '$1 ~ /^\.(text|rodata|data|bss|eh_frame|gcc_except_table)$/ { printf "  %-20s %8d\n", $1, $2 }'
