// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
// Every public header: the umbrella, each adapter whose dependency the build has
// (TRTC_HAVE_ADAPTER_<NAME>, set by tests/CMakeLists.txt and tests/meson.build), and the
// testing/ headers. What the checks that must see the whole library include
// (tests/strict_warnings.cpp, tests/hostile_macros.cpp): a new adapter goes here once.
#ifndef TRTC_TESTS_EVERY_HEADER_HPP
#define TRTC_TESTS_EVERY_HEADER_HPP

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
#if defined(TRTC_HAVE_ADAPTER_REDIS)
#    include <trtc/adapters/redis.hpp>
#endif

#include <trtc/testing/emulator.hpp>
#include <trtc/testing/emulator_server.hpp>
#include <trtc/testing/emulator_transport.hpp>
#include <trtc/testing/http_server.hpp>

#endif // TRTC_TESTS_EVERY_HEADER_HPP
