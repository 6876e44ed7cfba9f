// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief The umbrella header: everything that needs nothing beyond the standard library (and,
/// for the built-in transport and trtc::client, POSIX; left out on Windows). Adapters (OpenSSL,
/// zlib, libcurl, nlohmann/json) and the emulator are opt-in headers under trtc/adapters/ and
/// trtc/testing/.
#ifndef TRTC_TRTC_HPP
#define TRTC_TRTC_HPP

#include "config.hpp"
#include "version.hpp"

#include "errors.hpp"
#include "result.hpp"

#include "json.hpp"
#include "usersig.hpp"

#include "battle.hpp"
#include "http.hpp"
#include "regions.hpp"
#include "sans_io.hpp"
#include "webhook_config.hpp"
#include "webhooks.hpp"

#include "call_engine.hpp"
#include "client.hpp"
#include "policies.hpp"
#include "redact.hpp"

// The HTTP/1.1 message parser: portable, and shared by every transport and server that speaks
// HTTP/1.1 itself (the built-in transport, the emulator's server).
#include "detail/http1_parser.hpp"

// The built-in transport and trtc::client need POSIX sockets: they are empty where
// TRTC_HAS_POSIX_SOCKETS is 0 (Windows), and trtc::https_client (trtc/adapters/curl.hpp) or a
// transport of your own carries the calls there.
#include "default_client.hpp"
#include "transport/http1.hpp"

#endif // TRTC_TRTC_HPP
