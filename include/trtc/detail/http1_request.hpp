// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief The bytes of an HTTP/1.1 request as the transports write them (the built-in one and
/// the Asio adapter), and the host:port and description they name it by. No sockets.
#ifndef TRTC_DETAIL_HTTP1_REQUEST_HPP
#define TRTC_DETAIL_HTTP1_REQUEST_HPP

#include "../config.hpp"
#include "url.hpp"

#include <string>
#include <string_view>

TRTC_BEGIN_NAMESPACE
namespace detail {

/// `host:port` of `url`, an IPv6 literal in brackets: the key of a connection pool and the
/// name in messages.
inline std::string http1_host_port(const url_parts& url) {
    std::string out;
    out.reserve(url.host.size() + 8);
    if (url.ipv6_literal) out.push_back('[');
    out.append(url.host);
    if (url.ipv6_literal) out.push_back(']');
    out.push_back(':');
    out.append(std::to_string(url.port));
    return out;
}

/// What error messages call a request: the method, host:port and the path, never the query
/// (it carries the UserSig).
inline std::string http1_describe(std::string_view method, std::string_view host_port,
                                  std::string_view target) {
    std::string out(method);
    out.push_back(' ');
    out.append(host_port);
    out.append(target.substr(0, target.find('?')));
    return out;
}

/// Appends to `wire` the whole request: the request line, Host (without the port when it is
/// the scheme's default), every header of `headers` (a range of elements with `name` and
/// `value`), Content-Length, and the body. `method` must be a token (is_token()).
template <class Headers>
void http1_append_request(std::string& wire, std::string_view method, const url_parts& url,
                          std::string_view host_port, const Headers& headers,
                          std::string_view body) {
    const bool default_port = url.port == (url.scheme == "https" ? 443 : 80);
    wire.reserve(wire.size() + 200 + url.target.size() + body.size());
    wire.append(method).append(" ").append(url.target).append(" HTTP/1.1\r\nHost: ");
    if (default_port)
        wire.append(host_port.substr(0, host_port.rfind(':')));
    else
        wire.append(host_port);
    wire.append("\r\n");
    for (const auto& h : headers) wire.append(h.name).append(": ").append(h.value).append("\r\n");
    wire.append("Content-Length: ").append(std::to_string(body.size()));
    wire.append("\r\n\r\n").append(body);
}

} // namespace detail
TRTC_END_NAMESPACE

#endif // TRTC_DETAIL_HTTP1_REQUEST_HPP
