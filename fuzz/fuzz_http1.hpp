// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief The split-invariance harness shared by fuzz_http1_response and fuzz_http1_request.
///
/// The input's first byte chooses the limits (defaults, or small ones so that every limit is
/// reachable) and how many cuts to make, the next bytes where; the rest is the message. The
/// message is parsed fed whole, fed in the chosen pieces, fed one byte at a time (inputs up to
/// 2 KiB), and fed whole again after reset() — each followed by finish() if the parser still
/// wants more — and every observable result must be the same: status, error, the start line,
/// header and trailer fields, body, framing flags and bytes consumed. Each result also keeps
/// its limits and its invariants.
#ifndef TRTC_FUZZ_HTTP1_HPP
#define TRTC_FUZZ_HTTP1_HPP

#include "fuzz_common.hpp"

#include <trtc/detail/http1_parser.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace fuzz {

using trtc::detail::http1_error;
using trtc::detail::http1_fields;
using trtc::detail::http1_limits;
using trtc::detail::http1_status;

/// What a parser shows once the input is used up.
struct http1_snapshot {
    http1_status status = http1_status::need_more;
    http1_error error = http1_error::none;
    std::string start_a, start_b; // status code and reason, or method and target
    bool flag = false;            // expects_continue() for a request
    http1_fields headers, trailers;
    std::string body;
    int minor = 0;
    bool chunked = false, keep_alive = false, headers_complete = false;
    std::size_t consumed = 0; // summed from feed()
    std::size_t bytes_consumed = 0;

    /// Equal results. After an error, the body so far and the bytes consumed may depend on
    /// the split (a line or body found too long is refused whole, or after the bytes that fit
    /// were taken), so only the rest is compared.
    bool operator==(const http1_snapshot& o) const {
        if (status != o.status || error != o.error || start_a != o.start_a ||
            start_b != o.start_b || flag != o.flag || headers != o.headers ||
            trailers != o.trailers || minor != o.minor || chunked != o.chunked ||
            keep_alive != o.keep_alive || headers_complete != o.headers_complete)
            return false;
        return status == http1_status::error ||
               (body == o.body && consumed == o.consumed && bytes_consumed == o.bytes_consumed);
    }

    /// A one-line description, for failure reports.
    std::string describe() const {
        std::string s =
            "status=" + std::to_string(static_cast<int>(status)) +
            " error=" + std::string(trtc::detail::to_string(error)) + " start=" + start_a + "|" +
            start_b + " headers=" + std::to_string(headers.size()) +
            " trailers=" + std::to_string(trailers.size()) +
            " body=" + std::to_string(body.size()) + " consumed=" + std::to_string(consumed) + "/" +
            std::to_string(bytes_consumed) + " minor=" + std::to_string(minor) +
            " chunked=" + std::to_string(chunked) + " keep_alive=" + std::to_string(keep_alive) +
            " headers_complete=" + std::to_string(headers_complete);
        return s;
    }
};

inline void fill_start(const trtc::detail::http1_response_parser& p, http1_snapshot& s) {
    s.start_a = std::to_string(p.status_code());
    s.start_b = p.reason();
}

inline void fill_start(const trtc::detail::http1_request_parser& p, http1_snapshot& s) {
    s.start_a = p.method();
    s.start_b = p.target();
    s.flag = p.expects_continue();
}

template <class Parser>
http1_snapshot snapshot_of(const Parser& p, std::size_t consumed) {
    http1_snapshot s;
    s.status = p.status();
    s.error = p.error();
    fill_start(p, s);
    s.headers = p.headers();
    s.trailers = p.trailers();
    s.body = p.body();
    s.minor = p.version_minor();
    s.chunked = p.chunked();
    s.keep_alive = p.keep_alive();
    s.headers_complete = p.headers_complete();
    s.consumed = consumed;
    s.bytes_consumed = p.bytes_consumed();
    return s;
}

/// Feeds `msg` cut at `cuts[0..n)` (ascending offsets), then finish() if more is wanted.
template <class Parser>
http1_snapshot feed_pieces(Parser& p, std::string_view msg, const std::size_t* cuts,
                           std::size_t n) {
    std::size_t consumed = 0, from = 0;
    for (std::size_t i = 0; i <= n; ++i) {
        const std::size_t to = i < n ? cuts[i] : msg.size();
        std::size_t used = 0;
        const http1_status st = p.feed(msg.substr(from, to - from), used);
        FUZZ_CHECK(used <= to - from);
        FUZZ_CHECK(st == p.status());
        consumed += used;
        from = to;
    }
    if (p.status() == http1_status::need_more) {
        const http1_status st = p.finish();
        FUZZ_CHECK(st != http1_status::need_more);
    }
    return snapshot_of(p, consumed);
}

/// Feeds `msg` one byte at a time.
template <class Parser>
http1_snapshot feed_bytes(Parser& p, std::string_view msg) {
    std::size_t consumed = 0;
    for (std::size_t i = 0; i < msg.size(); ++i) {
        std::size_t used = 0;
        p.feed(msg.substr(i, 1), used);
        consumed += used;
    }
    if (p.status() == http1_status::need_more) p.finish();
    return snapshot_of(p, consumed);
}

/// Checks what holds for any result.
inline void check_invariants(const http1_snapshot& s, const http1_limits& lim, std::size_t size,
                             bool response) {
    FUZZ_CHECK(s.status != http1_status::need_more); // finish() decides
    FUZZ_CHECK((s.status == http1_status::error) == (s.error != http1_error::none));
    FUZZ_CHECK(s.consumed == s.bytes_consumed);
    FUZZ_CHECK(s.consumed <= size);
    FUZZ_CHECK(s.body.size() <= lim.max_body);
    FUZZ_CHECK(s.headers.size() <= lim.max_headers);
    FUZZ_CHECK(s.trailers.size() <= lim.max_headers);
    std::size_t head = 0;
    for (const auto& f : s.headers) {
        FUZZ_CHECK(trtc::detail::is_token(f.first));
        FUZZ_CHECK(!trtc::detail::has_ctl(f.second));
        FUZZ_CHECK(trtc::detail::trim_ows(f.second).size() == f.second.size());
        head += f.first.size() + f.second.size();
    }
    FUZZ_CHECK(head <= lim.max_header_bytes);
    for (const auto& f : s.trailers) {
        FUZZ_CHECK(trtc::detail::is_token(f.first));
        FUZZ_CHECK(!trtc::detail::has_ctl(f.second));
    }
    if (s.status == http1_status::complete) {
        FUZZ_CHECK(s.headers_complete);
        if (s.chunked) FUZZ_CHECK(trtc::detail::find_field(s.headers, "Transfer-Encoding"));
        if (!s.chunked) FUZZ_CHECK(s.trailers.empty());
        if (response) {
            const int code = std::stoi(s.start_a);
            FUZZ_CHECK(code >= 200 && code <= 599);
            FUZZ_CHECK(!trtc::detail::has_ctl(s.start_b));
            if (code == 204 || code == 304) FUZZ_CHECK(s.body.empty());
        } else {
            FUZZ_CHECK(trtc::detail::is_token(s.start_a));
            FUZZ_CHECK(trtc::detail::is_visible_ascii(s.start_b) && !s.start_b.empty());
            std::size_t hosts = 0;
            for (const auto& f : s.headers)
                if (trtc::detail::iequals(f.first, "Host")) ++hosts;
            FUZZ_CHECK(hosts <= 1 && (s.minor == 0 || hosts == 1));
        }
        // A Content-Length body has exactly that many bytes.
        if (!s.chunked) {
            const std::string* cl = trtc::detail::find_field(s.headers, "Content-Length");
            const int code = response ? std::stoi(s.start_a) : 0;
            if (cl != nullptr && code != 204 && code != 304) {
                std::string first;
                trtc::detail::for_each_list_element(s.headers, "Content-Length",
                                                    [&](std::string_view e) {
                                                        first.assign(e);
                                                        return false;
                                                    });
                std::uint64_t length = 0; // leading zeros are allowed: no size bound
                for (char c : first) {
                    FUZZ_CHECK(c >= '0' && c <= '9');
                    if (length < (std::uint64_t{1} << 40)) length = length * 10 + (c - '0');
                }
                FUZZ_CHECK(!first.empty() && length == s.body.size());
            }
        }
    }
}

/// The whole harness for one parser type.
template <class Parser>
void run_http1(const std::uint8_t* data, std::size_t size, bool response) {
    splitter in(data, size);
    const std::uint8_t sel = in.byte();
    http1_limits lim;
    if ((sel & 0x80) != 0) {
        lim.max_header_bytes = 256;
        lim.max_headers = 6;
        lim.max_body = 512;
    }
    std::size_t ncuts = sel & 3;
    std::uint8_t fractions[3] = {in.byte(), in.byte(), in.byte()};
    const std::string_view msg = in.rest();
    std::size_t cuts[3];
    for (std::size_t i = 0; i < ncuts; ++i) cuts[i] = msg.size() * fractions[i] / 256;
    for (std::size_t i = 1; i < ncuts; ++i) // ascending (insertion sort of 3)
        for (std::size_t j = i; j > 0 && cuts[j] < cuts[j - 1]; --j) {
            const std::size_t t = cuts[j];
            cuts[j] = cuts[j - 1];
            cuts[j - 1] = t;
        }

    Parser whole(lim);
    const http1_snapshot ref = feed_pieces(whole, msg, cuts, 0);
    check_invariants(ref, lim, msg.size(), response);

    Parser pieces(lim);
    const http1_snapshot cut = feed_pieces(pieces, msg, cuts, ncuts);
    FUZZ_CHECK_SHOW(cut == ref, cut.describe(), ref.describe());

    if (msg.size() <= 2048) {
        Parser bytes(lim);
        const http1_snapshot one = feed_bytes(bytes, msg);
        FUZZ_CHECK_SHOW(one == ref, one.describe(), ref.describe());
    }

    // reset() forgets everything: the same message parses the same way again.
    whole.reset();
    const http1_snapshot again = feed_pieces(whole, msg, cuts, 0);
    FUZZ_CHECK_SHOW(again == ref, again.describe(), ref.describe());

    // After a complete message, later bytes are left to the caller.
    if (ref.status == http1_status::complete) {
        std::size_t used = 99;
        FUZZ_CHECK(pieces.feed("X", used) == http1_status::complete && used == 0);
    }
}

} // namespace fuzz

#endif // TRTC_FUZZ_HTTP1_HPP
