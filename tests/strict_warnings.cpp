// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
// Must compile without a warning under users' strictest flags (tests/CMakeLists.txt and
// tests/meson.build give them, with -Werror, when TRTC_STRICT_WARNINGS / strict_warnings is on):
// the umbrella, every adapter available (TRTC_HAVE_ADAPTER_<NAME>) and every testing/ header,
// which between them include every public header. The examples are compiled with the same
// flags, and instantiate what a header alone does not.
#include <trtc/trtc.hpp>

#if defined(TRTC_HAVE_ADAPTER_CURL)
#    include <trtc/adapters/curl.hpp>
#endif
#if defined(TRTC_HAVE_ADAPTER_NLOHMANN_JSON)
#    include <trtc/adapters/nlohmann_json.hpp>
#endif
#if defined(TRTC_HAVE_ADAPTER_OPENSSL)
#    include <trtc/adapters/openssl.hpp>
#endif
#if defined(TRTC_HAVE_ADAPTER_ZLIB)
#    include <trtc/adapters/zlib.hpp>
#endif
#if defined(TRTC_HAVE_ADAPTER_ASIO)
#    include <trtc/adapters/asio.hpp>
#endif

#include <trtc/testing/emulator.hpp>
#include <trtc/testing/emulator_server.hpp>
#include <trtc/testing/emulator_transport.hpp>
#include <trtc/testing/http_server.hpp>
