// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief Sans-I/O incremental HTTP/1.1 parsers (RFC 9112): responses for the built-in
/// transport, requests for the loopback test server. Feed bytes as they arrive; no sockets.
#ifndef TRTC_DETAIL_HTTP1_PARSER_HPP
#define TRTC_DETAIL_HTTP1_PARSER_HPP

#include "../config.hpp"
#include "narrow.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#if TRTC_DEFINITIONS
#    include <cstring>
#endif

TRTC_BEGIN_NAMESPACE
namespace detail {

/// Where a parser stands after the bytes fed so far.
enum class http1_status {
    /// The message is not complete yet: feed more bytes (or call finish() on EOF).
    need_more,
    /// One whole message was parsed.
    complete,
    /// The bytes are not an acceptable HTTP/1.x message; error() says why. Final.
    error,
};

/// Why a parser stopped with http1_status::error.
enum class http1_error {
    none = 0,
    /// The status line or request line is malformed.
    bad_start_line,
    /// Not HTTP/1.x (e.g. an HTTP/2 or HTTP/0.9 answer).
    unsupported_version,
    /// A status code outside 100-599, or 101 (no upgrade was asked for).
    bad_status,
    /// A field line is malformed (bad name, whitespace before the colon, control character).
    bad_header,
    /// A field line starts with whitespace (obsolete line folding, RFC 9112 §5.2).
    obs_fold,
    /// A CR not followed by LF.
    bare_cr,
    /// A NUL byte in the start line or a field line.
    nul_byte,
    /// The header (or trailer) section exceeds http1_limits::max_header_bytes.
    header_too_large,
    /// More fields than http1_limits::max_headers.
    too_many_headers,
    /// An HTTP/1.1 request without exactly one Host field.
    missing_host,
    /// A Transfer-Encoding other than exactly `chunked`, or one in an HTTP/1.0 message.
    bad_transfer_encoding,
    /// Both Transfer-Encoding and Content-Length (a request-smuggling vector).
    te_and_content_length,
    /// Content-Length with non-digits, differing values or an overflowing value.
    bad_content_length,
    /// Malformed chunked framing (chunk size, extension, or the CRLF after the data).
    bad_chunk,
    /// The body exceeds http1_limits::max_body.
    body_too_large,
    /// The peer closed the connection before the message was complete (see finish()).
    truncated,
    /// Too many interim (1xx) responses before the final one.
    too_many_interim,
};

/// A short English description of `e`.
constexpr std::string_view to_string(http1_error e) noexcept {
    switch (e) {
    case http1_error::none:
        return "no error";
    case http1_error::bad_start_line:
        return "malformed start line";
    case http1_error::unsupported_version:
        return "not an HTTP/1.x message";
    case http1_error::bad_status:
        return "unacceptable status code";
    case http1_error::bad_header:
        return "malformed header field";
    case http1_error::obs_fold:
        return "obsolete line folding in a header field";
    case http1_error::bare_cr:
        return "CR not followed by LF";
    case http1_error::nul_byte:
        return "NUL byte in the header section";
    case http1_error::header_too_large:
        return "header section too large";
    case http1_error::too_many_headers:
        return "too many header fields";
    case http1_error::missing_host:
        return "missing or repeated Host header field";
    case http1_error::bad_transfer_encoding:
        return "unsupported Transfer-Encoding (only chunked is accepted)";
    case http1_error::te_and_content_length:
        return "both Transfer-Encoding and Content-Length";
    case http1_error::bad_content_length:
        return "invalid Content-Length";
    case http1_error::bad_chunk:
        return "malformed chunked encoding";
    case http1_error::body_too_large:
        return "body larger than the limit";
    case http1_error::truncated:
        return "connection closed before the message was complete";
    case http1_error::too_many_interim:
        return "too many interim (1xx) responses";
    }
    return "unknown HTTP/1 parse error";
}

/// Size limits of a parser.
struct http1_limits {
    /// The most bytes of the start line plus header fields (and, separately, of trailers).
    std::size_t max_header_bytes = 64 * 1024;
    /// The most header fields (and, separately, trailer fields).
    std::size_t max_headers = 100;
    /// The most body bytes (after de-chunking).
    std::size_t max_body = 1 << 20;
};

/// Header fields in arrival order: name as received, value without surrounding whitespace.
using http1_fields = std::vector<std::pair<std::string, std::string>>;

/// ASCII lower-case of `c`.
constexpr char ascii_lower(char c) noexcept {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

/// ASCII case-insensitive equality.
constexpr bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
    return true;
}

/// RFC 9110 tchar: the characters of a token (field names, methods, codings).
constexpr bool is_tchar(unsigned char c) noexcept {
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
    switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
        return true;
    default:
        return false;
    }
}

/// True for SP and HTAB.
constexpr bool is_ows(char c) noexcept {
    return c == ' ' || c == '\t';
}

/// True when `s` is a non-empty token (every byte a tchar).
constexpr bool is_token(std::string_view s) noexcept {
    for (char c : s)
        if (!is_tchar(static_cast<unsigned char>(c))) return false;
    return !s.empty();
}

/// True when `s` holds a control character other than HTAB (0x00-0x1F, 0x7F): not allowed in
/// field values, reason phrases or chunk extensions. Bytes 0x80-0xFF (obs-text) are allowed.
constexpr bool has_ctl(std::string_view s) noexcept {
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if ((c < 0x20 && c != '\t') || c == 0x7F) return true;
    }
    return false;
}

/// True when every byte of `s` is visible US-ASCII (0x21-0x7E), as in a request target.
constexpr bool is_visible_ascii(std::string_view s) noexcept {
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (c <= 0x20 || c >= 0x7F) return false;
    }
    return true;
}

/// `s` without leading and trailing SP / HTAB.
constexpr std::string_view trim_ows(std::string_view s) noexcept {
    while (!s.empty() && is_ows(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_ows(s.back())) s.remove_suffix(1);
    return s;
}

/// The first value of field `name` (case-insensitive), or nullptr.
TRTC_DECL const std::string* find_field(const http1_fields& fields, std::string_view name) noexcept;

/// Calls `fn(element)` for every non-empty element of the comma-separated lists in all fields
/// named `name` (RFC 9110 §5.6.1), trimmed of whitespace. Stops early when `fn` returns false.
template <class Fn>
bool for_each_list_element(const http1_fields& fields, std::string_view name, Fn&& fn) {
    for (const auto& f : fields) {
        if (!iequals(f.first, name)) continue;
        std::string_view v = f.second;
        while (true) {
            std::size_t comma = v.find(',');
            std::string_view e = trim_ows(v.substr(0, comma));
            if (!e.empty() && !fn(e)) return false;
            if (comma == std::string_view::npos) break;
            v.remove_prefix(comma + 1);
        }
    }
    return true;
}

/// The machinery shared by http1_response_parser and http1_request_parser. Not used directly.
class http1_parser_base {
  public:
    /// Feeds the next bytes. Consumes bytes up to the end of the message (or of `data`) and
    /// stores in `consumed` how many it took: bytes after a complete message (a pipelined
    /// request, or unexpected bytes after a response) are left to the caller. After complete or
    /// error, further calls consume nothing and return the same status.
    http1_status feed(std::string_view data, std::size_t& consumed);

    /// Feeds the next bytes, ignoring any that follow a complete message.
    http1_status feed(std::string_view data) {
        std::size_t consumed = 0;
        return feed(data, consumed);
    }

    /// Tells the parser the peer closed the connection: completes a body delimited by the close
    /// (a response without Content-Length or chunked framing); anything else still in progress
    /// becomes http1_error::truncated.
    http1_status finish() noexcept;

    /// The current status.
    http1_status status() const noexcept {
        if (state_ == state::complete) return http1_status::complete;
        if (state_ == state::error) return http1_status::error;
        return http1_status::need_more;
    }
    /// Why parsing failed (http1_error::none unless status() is error).
    http1_error error() const noexcept { return error_; }
    /// A description of error().
    std::string_view error_message() const noexcept { return to_string(error_); }

    /// True once the whole header section of the (final) message was parsed.
    bool headers_complete() const noexcept { return headers_complete_; }
    /// The header fields of the message (of the final response, not of interim ones).
    const http1_fields& headers() const noexcept { return headers_; }
    /// The trailer fields of a chunked body.
    const http1_fields& trailers() const noexcept { return trailers_; }
    /// The first value of header `name` (case-insensitive); empty when absent.
    std::string_view header(std::string_view name) const noexcept {
        const std::string* v = find_field(headers_, name);
        return v ? std::string_view(*v) : std::string_view();
    }
    /// Whether header `name` (case-insensitive) is present.
    bool has_header(std::string_view name) const noexcept {
        return find_field(headers_, name) != nullptr;
    }
    /// The body so far (de-chunked).
    const std::string& body() const noexcept { return body_; }
    /// Moves the body out.
    std::string take_body() noexcept { return std::move(body_); }
    /// The minor version: 1 for HTTP/1.1, 0 for HTTP/1.0.
    int version_minor() const noexcept { return minor_; }
    /// Whether the body uses chunked transfer coding.
    bool chunked() const noexcept { return chunked_; }
    /// Whether the connection may carry another message afterwards: false on
    /// `Connection: close`, on HTTP/1.0 without `Connection: keep-alive`, and for a body
    /// delimited by the close of the connection.
    bool keep_alive() const noexcept { return keep_alive_; }
    /// Bytes consumed since construction or reset(), interim responses included.
    std::size_t bytes_consumed() const noexcept { return consumed_total_; }

    /// Forgets the message, ready for the next one on the same connection (limits are kept).
    void reset() noexcept;

  protected:
    enum class kind { request, response };

    http1_parser_base(kind k, http1_limits limits) : kind_(k), limits_(limits) {}

    // Response parts.
    int status_code_ = 0;
    std::string reason_;
    // Request parts.
    std::string method_;
    std::string target_;
    bool expects_continue_ = false;

  private:
    enum class state {
        start_line,
        fields,
        body_length,
        chunk_size,
        chunk_data,
        chunk_data_end,
        trailers,
        body_until_close,
        complete,
        error,
    };

    static constexpr std::size_t max_chunk_line = 4096;
    static constexpr int max_interim = 16;

    void fail(http1_error e) noexcept {
        state_ = state::error;
        error_ = e;
    }

    bool in_head() const noexcept {
        return state_ == state::start_line || state_ == state::fields || state_ == state::trailers;
    }

    // Takes one LF-terminated line from data[pos...] (joined with the bytes kept from earlier
    // calls), without its CR LF. Returns false when the line is not complete yet (all bytes are
    // kept) or when a limit was crossed (the parser failed).
    bool take_line(std::string_view data, std::size_t& pos, std::string_view& line);

    void on_line(std::string_view line);

    // "HTTP/1.D"; false (and failed) otherwise.
    bool parse_version(std::string_view v);

    bool parse_status_line(std::string_view line);
    bool parse_request_line(std::string_view line);
    void parse_field(std::string_view line, http1_fields& out);
    void end_of_headers();
    void parse_chunk_size(std::string_view line);

    kind kind_;
    http1_limits limits_;
    state state_ = state::start_line;
    http1_error error_ = http1_error::none;
    std::string line_;
    std::size_t head_bytes_ = 0;
    std::size_t field_count_ = 0;
    http1_fields headers_;
    http1_fields trailers_;
    std::string body_;
    std::uint64_t remaining_ = 0;
    std::size_t consumed_total_ = 0;
    int minor_ = 1;
    int interim_count_ = 0;
    bool headers_complete_ = false;
    bool chunked_ = false;
    bool keep_alive_ = true;
};

/// An incremental HTTP/1.x response parser. Interim 1xx responses (100 Continue, 102, 103) are
/// skipped; 204 and 304 have no body; a body is framed by chunked coding, by Content-Length, or
/// by the close of the connection (then call finish() on EOF). Strict: obs-fold, bare CR, NUL,
/// Transfer-Encoding other than exactly `chunked`, both Transfer-Encoding and Content-Length,
/// and conflicting Content-Length values are errors.
class http1_response_parser : public http1_parser_base {
  public:
    /// A parser with the given limits.
    explicit http1_response_parser(http1_limits limits = {})
        : http1_parser_base(kind::response, limits) {}
    /// The status code of the final response (0 before its status line).
    int status_code() const noexcept { return status_code_; }
    /// The reason phrase of the final response.
    const std::string& reason() const noexcept { return reason_; }
};

/// An incremental HTTP/1.x request parser (for servers): request line, header fields (an
/// HTTP/1.1 request must carry exactly one Host), and a body framed by Content-Length or
/// chunked coding (none when neither is present). Bytes after a complete request (pipelining)
/// are left unconsumed by feed().
class http1_request_parser : public http1_parser_base {
  public:
    /// A parser with the given limits.
    explicit http1_request_parser(http1_limits limits = {})
        : http1_parser_base(kind::request, limits) {}
    /// The method ("POST").
    const std::string& method() const noexcept { return method_; }
    /// The request target as sent (path and query).
    const std::string& target() const noexcept { return target_; }
    /// Whether the client sent `Expect: 100-continue` (answer `100 Continue` once
    /// headers_complete() if you want the body).
    bool expects_continue() const noexcept { return expects_continue_; }
};

#if TRTC_DEFINITIONS

TRTC_DECL const std::string* find_field(const http1_fields& fields,
                                        std::string_view name) noexcept {
    for (const auto& f : fields)
        if (iequals(f.first, name)) return &f.second;
    return nullptr;
}

TRTC_DECL http1_status http1_parser_base::feed(std::string_view data, std::size_t& consumed) {
    std::size_t pos = 0;
    while (pos < data.size() && state_ != state::complete && state_ != state::error) {
        switch (state_) {
        case state::start_line:
        case state::fields:
        case state::chunk_size:
        case state::chunk_data_end:
        case state::trailers: {
            std::string_view line;
            if (!take_line(data, pos, line)) break;
            on_line(line);
            line_.clear();
            break;
        }
        case state::body_length:
        case state::chunk_data: {
            std::size_t n = data.size() - pos;
            if (n > remaining_) n = narrow<std::size_t>(remaining_);
            body_.append(data.data() + pos, n);
            pos += n;
            remaining_ -= n;
            if (remaining_ == 0)
                state_ = state_ == state::body_length ? state::complete : state::chunk_data_end;
            break;
        }
        case state::body_until_close: {
            std::size_t n = data.size() - pos;
            if (n > limits_.max_body - body_.size()) {
                fail(http1_error::body_too_large);
                break;
            }
            body_.append(data.data() + pos, n);
            pos += n;
            break;
        }
        case state::complete:
        case state::error:
            break;
        }
    }
    consumed = pos;
    consumed_total_ += pos;
    return status();
}

TRTC_DECL http1_status http1_parser_base::finish() noexcept {
    if (state_ == state::body_until_close)
        state_ = state::complete;
    else if (state_ != state::complete && state_ != state::error)
        fail(http1_error::truncated);
    return status();
}

TRTC_DECL void http1_parser_base::reset() noexcept {
    state_ = state::start_line;
    error_ = http1_error::none;
    line_.clear();
    head_bytes_ = 0;
    field_count_ = 0;
    headers_.clear();
    trailers_.clear();
    body_.clear();
    remaining_ = 0;
    consumed_total_ = 0;
    minor_ = 1;
    interim_count_ = 0;
    headers_complete_ = false;
    chunked_ = false;
    keep_alive_ = true;
    status_code_ = 0;
    reason_.clear();
    method_.clear();
    target_.clear();
    expects_continue_ = false;
}

TRTC_DECL bool http1_parser_base::take_line(std::string_view data, std::size_t& pos,
                                            std::string_view& line) {
    std::size_t limit = 2; // chunk_data_end: the CRLF after chunk data
    if (in_head())
        limit = head_bytes_ < limits_.max_header_bytes ? limits_.max_header_bytes - head_bytes_ : 0;
    else if (state_ == state::chunk_size)
        limit = max_chunk_line;
    const char* start = data.data() + pos;
    std::size_t avail = data.size() - pos;
    const void* nl = std::memchr(start, '\n', avail);
    std::size_t len = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - start) : avail;
    if (line_.size() + len + (nl ? 1 : 0) > limit) {
        fail(in_head() ? http1_error::header_too_large : http1_error::bad_chunk);
        return false;
    }
    if (!nl) {
        line_.append(start, len);
        pos += len;
        return false;
    }
    if (line_.empty()) {
        line = std::string_view(start, len);
    } else {
        line_.append(start, len);
        line = line_;
    }
    pos += len + 1;
    if (in_head()) head_bytes_ += line.size() + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find('\0') != std::string_view::npos) {
        fail(in_head() ? http1_error::nul_byte : http1_error::bad_chunk);
        return false;
    }
    if (line.find('\r') != std::string_view::npos) {
        fail(http1_error::bare_cr);
        return false;
    }
    return true;
}

TRTC_DECL void http1_parser_base::on_line(std::string_view line) {
    switch (state_) {
    case state::start_line:
        if (line.empty()) return; // RFC 9112 §2.2: ignore empty lines before a start line
        if (kind_ == kind::response ? parse_status_line(line) : parse_request_line(line))
            state_ = state::fields;
        return;
    case state::fields:
        if (line.empty()) return end_of_headers();
        parse_field(line, headers_);
        return;
    case state::trailers:
        if (line.empty()) {
            state_ = state::complete;
            return;
        }
        parse_field(line, trailers_);
        return;
    case state::chunk_size:
        return parse_chunk_size(line);
    case state::chunk_data_end:
        if (!line.empty()) return fail(http1_error::bad_chunk);
        state_ = state::chunk_size;
        return;
    case state::body_length: // no lines in these states
    case state::chunk_data:
    case state::body_until_close:
    case state::complete:
    case state::error:
        return;
    }
}

TRTC_DECL bool http1_parser_base::parse_version(std::string_view v) {
    if (v.size() == 8 && v.substr(0, 7) == "HTTP/1." && v[7] >= '0' && v[7] <= '9') {
        minor_ = v[7] - '0';
        return true;
    }
    if (v.size() > 5 && v.substr(0, 5) == "HTTP/" && v[5] >= '0' && v[5] <= '9' && v[5] != '1')
        fail(http1_error::unsupported_version); // HTTP/2, HTTP/2.0, HTTP/0.9, ...
    else
        fail(http1_error::bad_start_line);
    return false;
}

TRTC_DECL bool http1_parser_base::parse_status_line(std::string_view line) {
    // status-line = HTTP-version SP status-code SP [ reason-phrase ]
    std::size_t sp = line.find(' ');
    if (!parse_version(line.substr(0, sp))) return false;
    if (sp == std::string_view::npos) {
        fail(http1_error::bad_start_line);
        return false;
    }
    std::string_view rest = line.substr(sp + 1);
    if (rest.size() < 3 || (rest.size() > 3 && rest[3] != ' ')) {
        fail(http1_error::bad_start_line);
        return false;
    }
    int code = 0;
    for (std::size_t i = 0; i < 3; ++i) {
        if (rest[i] < '0' || rest[i] > '9') {
            fail(http1_error::bad_start_line);
            return false;
        }
        code = code * 10 + (rest[i] - '0');
    }
    if (code < 100 || code > 599 || code == 101) {
        fail(http1_error::bad_status);
        return false;
    }
    std::string_view reason = rest.size() > 3 ? rest.substr(4) : std::string_view();
    if (has_ctl(reason)) {
        fail(http1_error::bad_start_line);
        return false;
    }
    status_code_ = code;
    reason_.assign(reason.data(), reason.size());
    return true;
}

TRTC_DECL bool http1_parser_base::parse_request_line(std::string_view line) {
    // request-line = method SP request-target SP HTTP-version
    std::size_t sp1 = line.find(' ');
    std::size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
    if (sp2 == std::string_view::npos || sp1 == 0) {
        fail(http1_error::bad_start_line);
        return false;
    }
    std::string_view method = line.substr(0, sp1);
    std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
    std::string_view version = line.substr(sp2 + 1);
    if (!is_token(method) || target.empty() || !is_visible_ascii(target)) {
        fail(http1_error::bad_start_line);
        return false;
    }
    if (!parse_version(version)) return false;
    method_.assign(method.data(), method.size());
    target_.assign(target.data(), target.size());
    return true;
}

TRTC_DECL void http1_parser_base::parse_field(std::string_view line, http1_fields& out) {
    if (is_ows(line.front())) return fail(http1_error::obs_fold);
    std::size_t colon = line.find(':');
    if (colon == 0 || colon == std::string_view::npos) return fail(http1_error::bad_header);
    std::string_view name = line.substr(0, colon);
    if (!is_token(name)) return fail(http1_error::bad_header);
    std::string_view value = trim_ows(line.substr(colon + 1));
    if (has_ctl(value)) return fail(http1_error::bad_header);
    if (++field_count_ > limits_.max_headers) return fail(http1_error::too_many_headers);
    out.emplace_back(std::string(name), std::string(value));
}

TRTC_DECL void http1_parser_base::end_of_headers() {
    if (kind_ == kind::response && status_code_ < 200) {
        // An interim response (100 Continue, 102, 103): skip it, the final one follows.
        if (++interim_count_ > max_interim) return fail(http1_error::too_many_interim);
        headers_.clear();
        head_bytes_ = 0;
        field_count_ = 0;
        state_ = state::start_line;
        return;
    }
    headers_complete_ = true;
    field_count_ = 0;
    head_bytes_ = 0; // the trailer section gets its own budget

    bool close = false, keep_alive_token = false;
    (void)for_each_list_element(headers_, "Connection", [&](std::string_view t) {
        if (iequals(t, "close")) close = true;
        if (iequals(t, "keep-alive")) keep_alive_token = true;
        return true;
    });
    keep_alive_ = minor_ == 0 ? (keep_alive_token && !close) : !close;

    if (kind_ == kind::request) {
        std::size_t hosts = 0;
        for (const auto& f : headers_)
            if (iequals(f.first, "Host")) ++hosts;
        if (hosts > 1 || (minor_ >= 1 && hosts == 0)) return fail(http1_error::missing_host);
        (void)for_each_list_element(headers_, "Expect", [&](std::string_view t) {
            if (iequals(t, "100-continue")) expects_continue_ = true;
            return true;
        });
    }

    if (kind_ == kind::response && (status_code_ == 204 || status_code_ == 304)) {
        state_ = state::complete; // never a body, whatever the framing fields say
        return;
    }

    bool has_te = find_field(headers_, "Transfer-Encoding") != nullptr;
    bool has_cl = find_field(headers_, "Content-Length") != nullptr;
    if (has_te && has_cl) return fail(http1_error::te_and_content_length);
    if (has_te) {
        if (minor_ == 0) return fail(http1_error::bad_transfer_encoding);
        std::size_t codings = 0;
        bool is_chunked = false;
        (void)for_each_list_element(headers_, "Transfer-Encoding", [&](std::string_view t) {
            ++codings;
            is_chunked = iequals(t, "chunked");
            return true;
        });
        if (codings != 1 || !is_chunked) return fail(http1_error::bad_transfer_encoding);
        chunked_ = true;
        state_ = state::chunk_size;
        return;
    }
    if (has_cl) {
        std::uint64_t length = 0;
        bool seen = false, ok = true;
        ok = for_each_list_element(headers_, "Content-Length", [&](std::string_view t) {
            std::uint64_t v = 0;
            for (char c : t) {
                if (c < '0' || c > '9') return false;
                if (v > (UINT64_MAX - 9) / 10) return false;
                v = v * 10 + static_cast<std::uint64_t>(c - '0');
            }
            if (seen && v != length) return false;
            seen = true;
            length = v;
            return true;
        });
        if (!ok || !seen) return fail(http1_error::bad_content_length);
        if (length > limits_.max_body) return fail(http1_error::body_too_large);
        remaining_ = length;
        body_.reserve(narrow<std::size_t>(length)); // <= max_body
        state_ = length == 0 ? state::complete : state::body_length;
        return;
    }
    if (kind_ == kind::request) {
        state_ = state::complete; // a request without framing has no body
    } else {
        keep_alive_ = false; // the body ends when the connection does
        state_ = state::body_until_close;
    }
}

TRTC_DECL void http1_parser_base::parse_chunk_size(std::string_view line) {
    // chunk = chunk-size [ chunk-ext ] CRLF; chunk-ext = *( BWS ";" BWS name [ BWS "=" ... ] )
    std::uint64_t size = 0;
    std::size_t i = 0;
    for (; i < line.size(); ++i) {
        char c = line[i];
        int d = (c >= '0' && c <= '9')   ? c - '0'
                : (c >= 'a' && c <= 'f') ? c - 'a' + 10
                : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                         : -1;
        if (d < 0) break;
        if (size > (UINT64_MAX >> 4)) return fail(http1_error::bad_chunk);
        size = size * 16 + static_cast<std::uint64_t>(d);
    }
    if (i == 0) return fail(http1_error::bad_chunk);
    std::string_view ext = line.substr(i);
    while (!ext.empty() && is_ows(ext.front())) ext.remove_prefix(1);
    if (!ext.empty()) {
        if (ext.front() != ';' || has_ctl(ext)) return fail(http1_error::bad_chunk);
    }
    if (size > limits_.max_body - body_.size()) return fail(http1_error::body_too_large);
    if (size == 0) {
        state_ = state::trailers;
        return;
    }
    remaining_ = size;
    state_ = state::chunk_data;
}

#endif // TRTC_DEFINITIONS

} // namespace detail
TRTC_END_NAMESPACE

#endif // TRTC_DETAIL_HTTP1_PARSER_HPP
