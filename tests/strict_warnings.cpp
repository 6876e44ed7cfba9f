// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
// Must compile without a warning under users' strictest flags (tests/CMakeLists.txt and
// tests/meson.build give them, with -Werror, when TRTC_STRICT_WARNINGS / strict_warnings is on):
// the umbrella, every adapter available (TRTC_HAVE_ADAPTER_<NAME>) and every testing/ header,
// which between them include every public header. The examples are compiled with the same
// flags, and instantiate what a header alone does not.
#include "every_header.hpp"
