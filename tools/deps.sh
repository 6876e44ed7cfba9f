# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The trtc-battle authors
#
# Sourced by the tools/ scripts: ensure_packages PKG... installs the Debian packages that are
# missing, with apt-get, when run as root; otherwise it names them and stops.

ensure_packages() {
    if ! command -v dpkg-query >/dev/null 2>&1; then
        echo "    not a Debian system: assuming these are installed: $*"
        return 0
    fi
    local missing=() p
    for p in "$@"; do
        if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
            missing+=("$p")
        fi
    done
    if [ ${#missing[@]} -eq 0 ]; then
        echo "    all present: $*"
        return 0
    fi
    echo "    missing Debian packages: ${missing[*]}"
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
        echo "    run as root, or install them with: sudo apt-get install ${missing[*]}" >&2
        return 1
    fi
    echo "    installing them with apt-get (this happens once)"
    if [ -z "${TRTC_APT_UPDATED:-}" ]; then
        DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null || return 1
        export TRTC_APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" \
        >/dev/null || return 1
    echo "    installed: ${missing[*]}"
}
