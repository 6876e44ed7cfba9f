// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief What an endpoint type is made of: the request rules (trtc::validator), the field reads
/// of its response (trtc::field_reader), and response_meta, which every response carries.
#ifndef TRTC_ENDPOINT_HPP
#define TRTC_ENDPOINT_HPP

#include "config.hpp"
#include "endpoint/fields.hpp"
#include "endpoint/validator.hpp"

#include <cstdint>
#include <string>

TRTC_BEGIN_NAMESPACE

/// What every decoded response carries besides its fields: quote both in a support ticket.
struct response_meta {
    /// The service's RequestId ("" if the response had none).
    std::string request_id;
    /// The `random` query parameter the request was sent with.
    std::uint32_t random = 0;
};

TRTC_END_NAMESPACE

#endif // TRTC_ENDPOINT_HPP
