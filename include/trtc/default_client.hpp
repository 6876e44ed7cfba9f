// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief trtc::client: basic_client with every built-in policy, the built-in plain HTTP/1.1
/// transport included (for loopback, sidecars and the emulator; for HTTPS see
/// trtc::https_client in trtc/adapters/curl.hpp). POSIX only (TRTC_HAS_POSIX_SOCKETS).
#ifndef TRTC_DEFAULT_CLIENT_HPP
#define TRTC_DEFAULT_CLIENT_HPP

#include "client.hpp"
#include "config.hpp"
#include "transport/http1.hpp"

#if !TRTC_HAS_POSIX_SOCKETS
#    if !defined(TRTC_TRTC_HPP)
#        error                                                                                     \
            "trtc/default_client.hpp: trtc::client carries its calls over POSIX sockets; on this platform use trtc::https_client (trtc/adapters/curl.hpp) or basic_client with a transport of your own"
#    endif
#else

TRTC_BEGIN_NAMESPACE

/// The built-in policies with the built-in transport.
struct http1_policies : default_policies {
    using transport = http1_transport;
};

/// The client with every built-in policy: plain HTTP/1.1 over POSIX sockets.
using client = basic_client<http1_policies>;

TRTC_END_NAMESPACE

#endif // TRTC_HAS_POSIX_SOCKETS

#endif // TRTC_DEFAULT_CLIENT_HPP
