// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
// The small consumer of the checks of an installed package (find_package, pkg-config, the
// .deb), header-only: it includes the umbrella header, so every installed header must be there
// and found, and calls into the library. consumer.cpp, which needs the out-of-line definitions,
// is the program of the compiled forms and of the source-tree checks; this one spares the
// install checks its code generation (about 2 s a build).
#include <trtc/trtc.hpp>

#include <cstdio>

int main() {
    std::error_code ec = trtc::service_errc::usersig_expired;
    if (trtc::classify(ec) != trtc::error_action::refresh_signature) return 1;
    std::printf("installed consumer OK: trtc-battle %s, header-only\n", TRTC_VERSION_STRING);
    return 0;
}
