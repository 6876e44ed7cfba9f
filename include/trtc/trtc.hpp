// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief The umbrella header: everything that needs nothing beyond the standard library and
/// POSIX. Adapters (OpenSSL, zlib, libcurl, nlohmann/json) and the emulator are opt-in headers
/// under trtc/adapters/ and trtc/testing/.
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

#include "client.hpp"
#include "policies.hpp"
#include "transport/http1.hpp"

#endif // TRTC_TRTC_HPP
