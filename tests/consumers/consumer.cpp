// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
// A consumer program: built by every consumer project (find_package, add_subdirectory, meson
// subproject, the single header copied alone) to prove the library can be used that way.
#include <trtc/trtc.hpp>

#include <cstdio>

int main() {
    std::error_code ec = trtc::service_errc::usersig_expired;
    if (trtc::classify(ec) != trtc::error_action::refresh_signature) return 1;
    std::printf("consumer OK: trtc-battle %s\n", TRTC_VERSION_STRING);
    return 0;
}
