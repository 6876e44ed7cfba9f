#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The trtc-battle authors
#
# Builds and runs the consumer programs here (consumer.cpp; installed.cpp, its header-only
# stand-in for the checks of an install; adapters.cpp) the ways a project can take the
# library, and checks the configure and install themselves:
#   - a top-level configure builds the tests when doctest is found; without doctest it succeeds
#     with one line saying how to get it, and an explicit -DTRTC_BUILD_TESTS=ON fails;
#   - a CMake install, moved to another directory, then used by find_package (header-only,
#     trtc::battle_compiled, the adapters' targets) and by pkg-config (trtc_battle.pc and each
#     trtc_battle-<adapter>.pc);
#   - a meson install, moved too, gives the same .pc files as CMake's;
#   - add_subdirectory (trtc::battle and trtc::battle_compiled), the single header copied alone
#     (header-only and compiled separately), a meson subproject;
#   - the .deb that cpack makes: installed with dpkg -i when run as root (and nothing of
#     trtc-battle is installed in /usr yet), else unpacked with dpkg-deb -x; a find_package and a
#     pkg-config consumer built against it; removed again if it was installed.
# Independent steps run side by side, each with its own log in WORKDIR; the .deb step waits for
# the single header's, since an install in /usr could stand in for a header it lacks.
# Usage: tests/consumers/run.sh WORKDIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
work=${1:?usage: run.sh WORKDIR}
rm -rf "$work"
mkdir -p "$work"
work=$(cd "$work" && pwd)
t_all=$(date +%s)
version=$(python3 "$src/tools/version.py")
adapters=(openssl zlib curl nlohmann_json asio redis)

fail() { echo "FAILED: $*"; exit 1; }
# expect_output FILE TEXT: the program's output (in FILE) contains TEXT.
expect_output() { grep -qF -- "$2" "$1" || fail "$(cat "$1") -- expected '$2'"; }
# run_consumer EXE TEXT: runs EXE, whose output must contain TEXT.
run_consumer() { "$1" >"$1.out" || fail "$1 exited with $?"; cat "$1.out"; expect_output "$1.out" "$2"; }

# --- Jobs: each step runs in the background, its output in WORKDIR/<name>.log. ---------------
declare -A job_pid job_what
start() {
    local name=$1 what=$2
    shift 2
    job_what[$name]=$what
    (
        TIMEFORMAT="%0R s, %0U s CPU"
        { time { set -x; "$@"; { set +x; } 2>/dev/null; } 2>&1; } 2>"$work/$name.time"
    ) >"$work/$name.log" 2>&1 &
    job_pid[$name]=$!
}
finish() {
    local name=$1
    if ! wait "${job_pid[$name]}"; then
        local p
        for p in "${job_pid[@]}"; do kill "$p" 2>/dev/null || true; done
        tail -n 80 "$work/$name.log"
        echo "consumer step failed: ${job_what[$name]} (log: $work/$name.log)" >&2
        exit 1
    fi
    echo "    ${job_what[$name]}: ok ($(cat "$work/$name.time"))"
}

# --- A plain top-level configure, the install and the package, all from one tree. -----------
# step_install: a plain configure (doctest installed: the tests are built), then the library's
# install component at a prefix given only to `cmake --install`, moved elsewhere afterwards.
step_install() {
    local top=$work/top
    cmake -S "$src" -B "$top" -G Ninja >"$work/top-1.out" 2>&1 || { cat "$work/top-1.out"; fail "plain configure"; }
    cat "$work/top-1.out"
    if grep -q "doctest" "$work/top-1.out"; then fail "doctest should have been found"; fi
    grep -q "build tests/trtc_unit_tests:" "$top/build.ninja" || fail "plain configure with doctest: no test targets"
    cmake --install "$top" --prefix "$work/prefix" --component development
    mv "$work/prefix" "$work/moved"
}

# step_doctest_cpack: the same tree without doctest, then the .deb.
step_doctest_cpack() {
    local top=$work/top
    mkdir -p "$work/empty"
    # doctest hidden (its package disabled, every header search rooted in an empty directory;
    # the adapters stay found, from the cache): the configure succeeds with one line about it.
    cmake -S "$src" -B "$top" -DCMAKE_DISABLE_FIND_PACKAGE_doctest=ON -Udoctest_DIR -UTRTC_DOCTEST_INCLUDE_DIR \
        -DCMAKE_FIND_ROOT_PATH="$work/empty" -DCMAKE_FIND_ROOT_PATH_MODE_INCLUDE=ONLY \
        >"$work/top-2.out" 2>&1 || { cat "$work/top-2.out"; fail "configure without doctest"; }
    cat "$work/top-2.out"
    [ "$(grep -c doctest "$work/top-2.out")" = 1 ] || fail "expected one line about doctest"
    grep "doctest" "$work/top-2.out" | grep -q "apt-get install doctest-dev" ||
        fail "the doctest line does not say how to get it"
    if grep -q "build tests/trtc_unit_tests:" "$top/build.ninja"; then fail "test targets without doctest"; fi

    # Asked for explicitly, the tests need doctest: the configure fails, naming it.
    if cmake -S "$src" -B "$top" -DTRTC_BUILD_TESTS=ON >"$work/top-3.out" 2>&1; then
        cat "$work/top-3.out"
        fail "-DTRTC_BUILD_TESTS=ON without doctest configured"
    fi
    cat "$work/top-3.out"
    grep -q "TRTC_BUILD_TESTS is ON but doctest was not found" "$work/top-3.out" ||
        fail "the failure does not name doctest"

    # Back to the default (-U), then the .deb. The examples are still configured, and nothing
    # is built: the package takes the library's install component alone, and step_deb checks
    # that the CLI's install rule (of a program never built here) stayed out.
    cmake -S "$src" -B "$top" -UTRTC_BUILD_TESTS
    (cd "$top" && cpack -G DEB -B "$work/deb")
}

# --- find_package against the moved install. ------------------------------------------------
step_find_package() {
    cmake -S "$here/find_package" -B "$work/find_package" -G Ninja \
        -DCMAKE_PREFIX_PATH="$work/moved" -DTRTC_EXPECT_PREFIX="$work/moved"
    cmake --build "$work/find_package" -j 2
    run_consumer "$work/find_package/consumer" "header-only"
    run_consumer "$work/find_package/consumer_compiled" "separate compilation"
    run_consumer "$work/find_package/adapters" "adapters OK"
}

# pc_checks PKG_CONFIG_DIR ROOT: every .pc file there, checked against the install ROOT it is in.
pc_checks() {
    local dir=$1 root=$2 m inc req
    export PKG_CONFIG_PATH=$dir
    for m in trtc_battle "${adapters[@]/#/trtc_battle-}"; do
        [ -f "$dir/$m.pc" ] || fail "no $m.pc in $dir"
        pkg-config --validate "$m" || fail "$m.pc is not valid"
        [ "$(pkg-config --modversion "$m")" = "$version" ] || fail "$m: version"
        # The include directory is the install's, wherever it was moved to.
        inc=$(pkg-config --variable=includedir trtc_battle)
        [ "$(realpath "$inc")" = "$(realpath "$root/include")" ] || fail "$m: includedir $inc"
        pkg-config --cflags "$m" | grep -qF -- "-I$inc" || fail "$m: cflags"
    done
    # Each adapter's file: the core at the same version, the real dependency, its library.
    declare -A dep=([openssl]="libcrypto >= 1.1" [zlib]="zlib >= 1.2.4"
                    [curl]="libcurl >= 7.62.0" [nlohmann_json]="nlohmann_json >= 3.9.0"
                    [asio]="libssl >= 1.1" [redis]="hiredis >= 0.14.0")
    declare -A lib=([openssl]=-lcrypto [zlib]=-lz [curl]=-lcurl [nlohmann_json]=-pthread
                    [asio]=-lssl [redis]=-lhiredis)
    for m in "${adapters[@]}"; do
        req=$(pkg-config --print-requires "trtc_battle-$m")
        grep -qxF "trtc_battle = $version" <<<"$req" || fail "trtc_battle-$m: no core"
        grep -qxF "${dep[$m]}" <<<"$req" || fail "trtc_battle-$m: no '${dep[$m]}'"
        pkg-config --libs "trtc_battle-$m" | grep -qw -- "${lib[$m]}" || fail "trtc_battle-$m: libs"
    done
    local impl
    impl=$(pkg-config --variable=implementation trtc_battle)
    cmp "$impl" "$src/cmake/trtc_battle_compiled.cpp" || fail "implementation=$impl"
}

# --- pkg-config against the moved install. --------------------------------------------------
step_pkg_config() {
    local dir=$work/moved/share/pkgconfig
    pc_checks "$dir" "$work/moved"
    export PKG_CONFIG_PATH=$dir
    # shellcheck disable=SC2046 # word splitting of the flags is wanted
    c++ -std=c++17 "$here/installed.cpp" $(pkg-config --cflags --libs trtc_battle) \
        -o "$work/pkgconfig-consumer"
    run_consumer "$work/pkgconfig-consumer" "header-only"
    # shellcheck disable=SC2046
    c++ -std=c++17 "$here/adapters.cpp" $(pkg-config --cflags --libs "${adapters[@]/#/trtc_battle-}") \
        -o "$work/pkgconfig-adapters"
    run_consumer "$work/pkgconfig-adapters" "adapters OK"
}

# --- meson install: the same .pc files (and headers) as CMake's install, relocatable too. ---
step_meson_install() {
    meson setup "$work/meson_install" "$src" -Dtests=disabled -Dexamples=false \
        --prefix="$work/meson_prefix"
    meson install -C "$work/meson_install" --quiet
    mv "$work/meson_prefix" "$work/meson_moved"
}
compare_installs() {
    local a=$work/moved b=$work/meson_moved m q
    # The same files, but for CMake's own package and the licence.
    diff <(cd "$a" && find . -type f -not -path "./share/cmake/*" -not -path "./share/doc/*" | sort) \
         <(cd "$b" && find . -type f | sort) || fail "meson and CMake install different files"
    pc_checks "$b/share/pkgconfig" "$b"
    # The same answers from pkg-config, once each install's root is named ROOT.
    for m in trtc_battle "${adapters[@]/#/trtc_battle-}"; do
        for q in --cflags --libs --print-requires --modversion --variable=implementation; do
            diff <(PKG_CONFIG_PATH=$a/share/pkgconfig pkg-config $q "$m" | sed "s|$a/share/pkgconfig/../..|ROOT|g") \
                 <(PKG_CONFIG_PATH=$b/share/pkgconfig pkg-config $q "$m" | sed "s|$b/share/pkgconfig/../..|ROOT|g") ||
                fail "$m: pkg-config $q differs between the CMake and meson installs"
        done
    done
}

# --- add_subdirectory, the single header, a meson subproject. -------------------------------
step_add_subdirectory() {
    cmake -S "$here/add_subdirectory" -B "$work/add_subdirectory" -G Ninja -DTRTC_SOURCE_DIR="$src"
    cmake --build "$work/add_subdirectory" -j 2
    run_consumer "$work/add_subdirectory/consumer" "header-only"
    run_consumer "$work/add_subdirectory/consumer_compiled" "separate compilation"
}

step_single_header() {
    mkdir -p "$work/single/trtc"
    cp "$src/single_include/trtc/trtc.hpp" "$work/single/trtc/"
    local warn=(c++ -std=c++17 -Wall -Wextra -Wpedantic -Werror -I"$work/single")
    "${warn[@]}" "$here/consumer.cpp" -pthread -o "$work/single-consumer"
    run_consumer "$work/single-consumer" "header-only"
    # Compiled separately: TRTC_SEPARATE_COMPILATION everywhere, one TRTC_IMPLEMENTATION unit.
    printf '#define TRTC_IMPLEMENTATION\n#include <trtc/trtc.hpp>\n' >"$work/trtc_impl.cpp"
    "${warn[@]}" -DTRTC_SEPARATE_COMPILATION -c "$work/trtc_impl.cpp" -o "$work/trtc_impl.o"
    "${warn[@]}" -DTRTC_SEPARATE_COMPILATION -c "$here/consumer.cpp" -o "$work/consumer-separate.o"
    c++ "$work/consumer-separate.o" "$work/trtc_impl.o" -pthread -o "$work/separate-consumer"
    run_consumer "$work/separate-consumer" "separate compilation"
    # Without the implementation unit the program must not link: the definitions really are
    # out of line, not silently inline in every translation unit.
    if c++ "$work/consumer-separate.o" -pthread -o "$work/separate-unlinked"; then
        fail "the consumer linked without trtc_impl.o"
    fi
}

step_meson_subproject() {
    mkdir -p "$work/meson_src/subprojects"
    cp "$here/meson_subproject/meson.build" "$work/meson_src/"
    cp "$here/consumer.cpp" "$work/"
    ln -s "$src" "$work/meson_src/subprojects/trtc_battle"
    meson setup "$work/meson_build" "$work/meson_src"
    meson compile -C "$work/meson_build"
    run_consumer "$work/meson_build/consumer" "header-only"
}

# --- The .deb. ------------------------------------------------------------------------------
deb_installed=0
remove_deb() {
    if [ "$deb_installed" = 1 ]; then
        deb_installed=0
        dpkg -r trtc-battle-dev || fail "dpkg -r trtc-battle-dev"
        [ ! -e /usr/include/trtc ] || fail "dpkg -r left /usr/include/trtc"
    fi
}
step_deb() {
    local deb root mode f prefix_path=()
    deb=$work/deb/trtc-battle-dev_${version}_all.deb
    [ -f "$deb" ] || fail "cpack made no $deb"
    if ! command -v dpkg-deb >/dev/null; then
        echo "not checked: no dpkg-deb here (not a Debian system)" >"$work/deb-mode.txt"
        return 0
    fi
    dpkg-deb -f "$deb" Package Version Architecture
    [ "$(dpkg-deb -f "$deb" Architecture)" = all ] || fail "the .deb is not Architecture: all"
    dpkg-deb -c "$deb" | awk '{print $6}' >"$work/deb-files.txt"
    local expected=(./usr/include/trtc/trtc.hpp ./usr/share/cmake/trtc_battle/trtc_battle-config.cmake
                    ./usr/share/trtc_battle/trtc_battle_compiled.cpp ./usr/share/pkgconfig/trtc_battle.pc)
    for f in "${adapters[@]}"; do expected+=("./usr/share/pkgconfig/trtc_battle-$f.pc"); done
    for f in "${expected[@]}"; do
        grep -qxF -- "$f" "$work/deb-files.txt" || fail "$f is not in the .deb"
    done
    if grep -q "/bin/" "$work/deb-files.txt"; then fail "the .deb carries a program"; fi
    # Installed only when nothing of trtc-battle is in /usr yet (a package or a plain install
    # there would be overwritten, then removed).
    if [ "$(id -u)" = 0 ] && ! dpkg-query -W trtc-battle-dev >/dev/null 2>&1 &&
        [ ! -e /usr/include/trtc ] && [ ! -e /usr/share/cmake/trtc_battle ] &&
        [ ! -e /usr/share/pkgconfig/trtc_battle.pc ]; then
        mode="installed with dpkg -i"
        trap remove_deb EXIT
        deb_installed=1
        dpkg -i "$deb"
        root=/usr
        unset PKG_CONFIG_PATH
        prefix_path=(-UCMAKE_PREFIX_PATH)
    else
        mode="unpacked with dpkg-deb -x (not root, or trtc-battle already in /usr)"
        dpkg-deb -x "$deb" "$work/debroot"
        root=$work/debroot/usr
        export PKG_CONFIG_PATH=$root/share/pkgconfig
        prefix_path=(-DCMAKE_PREFIX_PATH="$root")
    fi
    echo "$mode" >"$work/deb-mode.txt"
    # The find_package tree of the moved install, pointed at the package (the adapters'
    # dependencies stay found from its cache).
    cmake -S "$here/find_package" -B "$work/find_package" -Utrtc_battle_DIR "${prefix_path[@]}" -DTRTC_EXPECT_PREFIX="$root"
    cmake --build "$work/find_package" --target consumer
    run_consumer "$work/find_package/consumer" "header-only"
    [ "$(pkg-config --variable=pcfiledir trtc_battle)" = "$root/share/pkgconfig" ] ||
        fail "pkg-config found trtc_battle.pc elsewhere"
    # shellcheck disable=SC2046
    c++ -std=c++17 "$here/installed.cpp" $(pkg-config --cflags --libs trtc_battle) \
        -o "$work/deb-pkgconfig-consumer"
    run_consumer "$work/deb-pkgconfig-consumer" "header-only"
    remove_deb
}

# The install first: most steps wait for it.
start install "plain configure (tests on with doctest), cmake --install --prefix, moved" step_install
start meson_install "meson install, moved" step_meson_install
start single "the single header copied alone, and compiled separately" step_single_header
finish install
start find_package "find_package at the moved install (trtc::battle, trtc::battle_compiled, adapters)" \
    step_find_package
start pkg_config "pkg-config at the moved install (trtc_battle.pc, each adapter's .pc)" step_pkg_config
start doctest_cpack "configure without doctest (one line; -DTRTC_BUILD_TESTS=ON fails), cpack" \
    step_doctest_cpack
start add_subdirectory "add_subdirectory (trtc::battle, trtc::battle_compiled)" step_add_subdirectory
start meson_subproject "meson subproject" step_meson_subproject
finish meson_install
start compare "meson's install: the same files and .pc answers as CMake's" compare_installs
# The .deb step once the single header's compiles are done (an install in /usr could stand in
# for a header the single header misses), and the trees it reuses are ready.
for j in single doctest_cpack find_package; do finish "$j"; done
start deb "the .deb from cpack: find_package and pkg-config" step_deb
for j in meson_subproject add_subdirectory pkg_config compare deb; do finish "$j"; done
echo "      (the .deb was $(cat "$work/deb-mode.txt"))"
times >"$work/times.txt"
cpu=$(tail -n 1 "$work/times.txt" | awk '{ split($1, u, /[ms]/); split($2, s, /[ms]/); printf "%.0f", u[1] * 60 + u[2] + s[1] * 60 + s[2] }')
echo "    consumer projects: all built and ran in $(($(date +%s) - t_all)) s ($cpu s CPU)"
