// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief The HTTP request and response that cross the sans-I/O boundary.
#ifndef TRTC_HTTP_HPP
#define TRTC_HTTP_HPP

#include "config.hpp"
#include "version.hpp"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

TRTC_BEGIN_NAMESPACE

/// A header name and value (views into static or request-owned storage).
struct http_header {
    std::string_view name;
    std::string_view value;
};

/// The User-Agent the library sends: `trtc-battle/MAJOR.MINOR.PATCH`.
inline constexpr std::string_view user_agent = "trtc-battle/" TRTC_VERSION_STRING;

/// A request ready for any transport: POST `url` with `body` and headers(). Transports add
/// Host and Content-Length (and Connection as they manage it); nothing else is needed.
struct http_request {
    /// Always "POST" for the REST API.
    std::string_view method = "POST";
    /// The absolute URL, query included. It holds the UserSig: never log it; log
    /// redacted_url() instead.
    std::string url;
    /// The JSON body, never empty.
    std::string body;
    /// The `random` query parameter, kept for error reports and support tickets.
    std::uint32_t random = 0;

    /// The headers to send besides Host and Content-Length.
    std::array<http_header, 2> headers() const noexcept {
        return {{{"Content-Type", "application/json"}, {"User-Agent", user_agent}}};
    }

    /// The URL with the value of `usersig` replaced by `REDACTED`: safe to log.
    std::string redacted_url() const { return redact_query_value(url, "usersig"); }

    /// `url` with the value of query parameter `name` replaced by `REDACTED`.
    static std::string redact_query_value(std::string_view url, std::string_view name);
};

/// What came back: the status and the (de-chunked) body.
struct http_response {
    int status = 0;
    std::string body;
};

#if TRTC_DEFINITIONS

TRTC_DECL std::string http_request::redact_query_value(std::string_view url,
                                                       std::string_view name) {
    std::string out;
    out.reserve(url.size());
    std::size_t q = url.find('?');
    if (q == std::string_view::npos) return std::string(url);
    out.append(url.substr(0, q + 1));
    std::string_view query = url.substr(q + 1);
    bool first = true;
    while (true) {
        std::size_t amp = query.find('&');
        std::string_view part = query.substr(0, amp);
        if (!first) out.push_back('&');
        first = false;
        std::size_t eq = part.find('=');
        if (part.substr(0, eq) == name) {
            out.append(name);
            out.append("=REDACTED");
        } else {
            out.append(part);
        }
        if (amp == std::string_view::npos) break;
        query = query.substr(amp + 1);
    }
    return out;
}

#endif // TRTC_DEFINITIONS

TRTC_END_NAMESPACE

#endif // TRTC_HTTP_HPP
