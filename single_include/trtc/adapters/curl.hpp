// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
//
// GENERATED FILE - DO NOT EDIT. It is trtc/adapters/curl.hpp assembled from include/ by
// tools/amalgamate.py; edit the files in include/ and run that script.
/// @file
/// @brief Opt-in adapter: trtc::curl_transport, a transport policy over libcurl, for https://
/// (the system CA store or a given CA bundle) and http:// URLs, with a pool of easy handles so
/// that keep-alive connections (and their TLS sessions) are reused across calls.
///
/// Link libcurl (CMake: trtc::curl; meson: dependency('trtc_battle-curl')); libcurl 7.62 or
/// later. The adapter calls curl_global_init() once, on first use, and never
/// curl_global_cleanup() (other code in the process may use libcurl too).
///
/// Never resends: libcurl silently retries a request on a fresh connection when a reused one
/// dies before any answer. That is right when nothing was sent, wrong when the whole request
/// was (create_battle is not idempotent). So the body is not given as CURLOPT_POSTFIELDS but
/// through a read callback whose seek callback refuses to rewind once the whole body was handed
/// over: such a case is reported as transport_errc::connection_closed instead of being sent
/// twice (libcurl may already have opened the fresh connection; nothing is sent on it). A
/// request not handed over in full may still be retried by libcurl, which is safe.
///
/// Every wait, name resolution included (libcurl's threaded resolver), is bounded by the
/// caller's deadline. Signals: CURLOPT_NOSIGNAL is set (threads), and libcurl writes with
/// MSG_NOSIGNAL / SO_NOSIGPIPE, so no SIGPIPE is raised on a closed connection.
#ifndef TRTC_ADAPTERS_CURL_HPP
#define TRTC_ADAPTERS_CURL_HPP

#include "../trtc.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <climits>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#if LIBCURL_VERSION_NUM < 0x073e00
#    error "trtc/adapters/curl.hpp needs libcurl 7.62 or later"
#endif

// Whether this translation unit can catch (a callback must never let an exception into libcurl).
#if defined(__cpp_exceptions) || defined(__EXCEPTIONS) || defined(_CPPUNWIND)
#    define TRTC_DETAIL_CURL_CAN_CATCH 1
#else
#    define TRTC_DETAIL_CURL_CAN_CATCH 0
#endif

// curl.h also defines curl_easy_setopt and curl_easy_getinfo as macros that expand to
// themselves (in C they count the arguments): this file calls the functions as
// (curl_easy_setopt)(...), which no macro expands, so that clang's -Wdisabled-macro-expansion
// says nothing in users' builds.

TRTC_BEGIN_NAMESPACE

/// Options of curl_transport. They are fixed for the transport's lifetime.
struct curl_options {
    /// A PEM bundle of trusted CA certificates (CURLOPT_CAINFO); empty: libcurl's default, the
    /// system store.
    std::string ca_file;
    /// A directory of hashed CA certificates (CURLOPT_CAPATH); empty: not used.
    std::string ca_path;
    /// The most time to spend connecting (name resolution and the TLS handshake included),
    /// within the deadline; 0 or less: the deadline alone. Keep it above the service's 3 s.
    std::chrono::milliseconds connect_timeout{3000};
    /// The most body bytes accepted in a response; more is transport_errc::response_too_large.
    std::size_t max_response_bytes = 1 << 20;
    /// The proxy (CURLOPT_PROXY, e.g. `http://proxy:3128`); empty: libcurl's defaults, which
    /// honour the `http_proxy` / `https_proxy` / `all_proxy` environment variables.
    std::string proxy;
    /// Hosts that bypass the proxy (CURLOPT_NOPROXY, e.g. `localhost,127.0.0.1`; `*` for all);
    /// empty: libcurl's default, which honours the `no_proxy` environment variable.
    std::string no_proxy;
    /// Verify the server's certificate chain and name. Never turn it off outside tests.
    bool verify_peer = true;
    /// The most idle easy handles kept for reuse (each keeps its connections alive); 0 disables
    /// connection reuse.
    std::size_t max_idle_handles = 8;
};

namespace detail {

/// curl_global_init(), once per process; its result.
inline CURLcode curl_global() noexcept {
    static const CURLcode rc = curl_global_init(CURL_GLOBAL_DEFAULT);
    return rc;
}

/// The state of one transfer, seen by the callbacks.
struct curl_transfer {
    std::string_view body;
    std::size_t handed = 0;      ///< body bytes handed to libcurl so far
    bool resend_refused = false; ///< libcurl wanted to send the whole body again
    std::string response;
    std::size_t max_response = 0;
    bool too_large = false;
    bool out_of_memory = false;
    // The framing fields of the answer being received (reset at each status line).
    bool in_trailers = false;   ///< past the final answer's head: trailer fields follow
    bool has_te = false;        ///< a Transfer-Encoding field was seen
    std::string content_length; ///< the first Content-Length value, trimmed
    bool has_content_length = false;
    const char* framing_error = nullptr; ///< why the answer's framing was refused
};

/// Whether the header line `line` is a field called `name` (ASCII case ignored).
inline bool curl_field_is(std::string_view line, std::string_view name) noexcept {
    if (line.size() <= name.size() || line[name.size()] != ':') return false;
    for (std::size_t i = 0; i < name.size(); ++i) {
        char c = line[i];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        char d = name[i];
        if (d >= 'A' && d <= 'Z') d = static_cast<char>(d - 'A' + 'a');
        if (c != d) return false;
    }
    return true;
}

/// A header field's value without the surrounding blanks and line end.
inline std::string_view curl_field_value(std::string_view line, std::size_t name_size) noexcept {
    std::string_view v = line.substr(name_size + 1);
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
    while (!v.empty() &&
           (v.back() == ' ' || v.back() == '\t' || v.back() == '\r' || v.back() == '\n'))
        v.remove_suffix(1);
    return v;
}

/// CURLOPT_HEADERFUNCTION: refuses, as RFC 9112 6.3 and the built-in transport do, an answer
/// with both Transfer-Encoding and Content-Length, or with Content-Lengths that differ
/// (several fields, or one list "2, 3").
inline std::size_t curl_on_header(char* data, std::size_t size, std::size_t count,
                                  void* user) noexcept {
    auto* x = static_cast<curl_transfer*>(user);
    const std::size_t n = size * count;
    if (x == nullptr) return n;
    std::string_view line(data, n);
    if (line.size() >= 5 && line.substr(0, 5) == "HTTP/") { // a new answer (1xx, or final)
        x->in_trailers = false;
        x->has_te = false;
        x->has_content_length = false;
        x->content_length.clear();
        return n;
    }
    if (x->in_trailers) return n;
    if (line == "\r\n" || line == "\n") { // the end of a head
        if (x->has_te && x->has_content_length)
            x->framing_error = "the answer has both Transfer-Encoding and Content-Length";
        x->in_trailers = true; // a 1xx head is followed by a status line, which resets it
        return x->framing_error ? 0 : n;
    }
    if (curl_field_is(line, "transfer-encoding")) {
        x->has_te = true;
    } else if (curl_field_is(line, "content-length")) {
        std::string_view v = curl_field_value(line, 14);
        // Each element of a list must be the same value.
        while (!v.empty()) {
            std::size_t comma = v.find(',');
            std::string_view one = v.substr(0, comma);
            while (!one.empty() && (one.back() == ' ' || one.back() == '\t')) one.remove_suffix(1);
            if (!x->has_content_length) {
#if TRTC_DETAIL_CURL_CAN_CATCH
                try {
                    x->content_length.assign(one);
                } catch (...) {
                    x->out_of_memory = true;
                    return 0;
                }
#else
                x->content_length.assign(one);
#endif
                x->has_content_length = true;
            } else if (one != x->content_length) {
                x->framing_error = "the answer has Content-Lengths that differ";
                return 0;
            }
            if (comma == std::string_view::npos) break;
            v.remove_prefix(comma + 1);
            while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
        }
    }
    return n;
}

/// CURLOPT_WRITEFUNCTION: collects the body, refusing more than the limit.
inline std::size_t curl_on_write(char* data, std::size_t size, std::size_t count,
                                 void* user) noexcept {
    auto* x = static_cast<curl_transfer*>(user);
    const std::size_t n = size * count;
    if (x == nullptr) return 0;
    if (n > x->max_response - x->response.size()) {
        x->too_large = true;
        return 0; // CURLE_WRITE_ERROR
    }
#if TRTC_DETAIL_CURL_CAN_CATCH
    try {
        x->response.append(data, n);
    } catch (...) {
        x->out_of_memory = true;
        return 0;
    }
#else
    x->response.append(data, n);
#endif
    return n;
}

/// CURLOPT_READFUNCTION: hands the body to libcurl.
inline std::size_t curl_on_read(char* buffer, std::size_t size, std::size_t count,
                                void* user) noexcept {
    auto* x = static_cast<curl_transfer*>(user);
    if (x == nullptr) return CURL_READFUNC_ABORT;
    const std::size_t n = (std::min)(size * count, x->body.size() - x->handed);
    if (n > 0) std::memcpy(buffer, x->body.data() + x->handed, n);
    x->handed += n;
    return n;
}

/// CURLOPT_SEEKFUNCTION: called when libcurl wants to send the body again (a reused connection
/// that died before answering). Refused once the whole body was handed over: the request may
/// have been received and acted on.
inline int curl_on_seek(void* user, curl_off_t offset, int origin) noexcept {
    auto* x = static_cast<curl_transfer*>(user);
    if (x == nullptr) return CURL_SEEKFUNC_FAIL;
    if (origin != SEEK_SET || offset < 0 ||
        static_cast<unsigned long long>(offset) > x->body.size())
        return CURL_SEEKFUNC_FAIL;
    const auto to = static_cast<std::size_t>(offset);
    if (x->handed == x->body.size() && to < x->handed) {
        x->resend_refused = true;
        return CURL_SEEKFUNC_FAIL; // CURLE_SEND_FAIL_REWIND
    }
    x->handed = to;
    return CURL_SEEKFUNC_OK;
}

/// An easy handle with the storage that must outlive its transfers.
struct curl_slot {
    CURL* easy = nullptr;
    curl_slist* headers = nullptr;
    char errbuf[CURL_ERROR_SIZE] = {};

    curl_slot() = default;
    curl_slot(const curl_slot&) = delete;
    curl_slot& operator=(const curl_slot&) = delete;
    ~curl_slot() {
        if (easy != nullptr) curl_easy_cleanup(easy);
        curl_slist_free_all(headers);
    }
};

/// The state behind a curl_transport (kept apart so that the transport can move).
struct curl_transport_state {
    explicit curl_transport_state(curl_options o) : options(std::move(o)) {}
    curl_options options;
    detail::mutex mutex;
    std::vector<std::unique_ptr<curl_slot>> idle; // guarded by mutex; most recently used last
    std::atomic<std::size_t> opened{0};
};

/// The parts of a URL that may appear in messages (never the query).
struct curl_url_parts {
    std::string scheme;
    std::string host;
    std::string port;
    std::string path;
};

/// Parses `url` with libcurl's URL parser. Returns 0 on success, else the error to report.
inline int curl_split_url(const std::string& url, curl_url_parts& out, std::string& why) {
    if (url.find('\0') != std::string::npos) {
        why = "the URL contains a NUL byte";
        return static_cast<int>(transport_errc::invalid_url);
    }
    CURLU* u = curl_url();
    if (u == nullptr) {
        why = "curl_url() failed (out of memory)";
        return static_cast<int>(transport_errc::local_failure);
    }
    struct url_freer {
        CURLU* p;
        ~url_freer() { curl_url_cleanup(p); }
    } free_url{u};
    CURLUcode rc = curl_url_set(u, CURLUPART_URL, url.c_str(), 0);
    if (rc != CURLUE_OK) {
        why = "the URL is not an absolute http:// or https:// URL";
#if LIBCURL_VERSION_NUM >= 0x075000
        why += std::string(" (") + curl_url_strerror(rc) + ")";
#endif
        return static_cast<int>(rc == CURLUE_UNSUPPORTED_SCHEME ? transport_errc::unsupported_scheme
                                                                : transport_errc::invalid_url);
    }
    auto get = [u](CURLUPart part, unsigned flags, std::string& to) {
        char* s = nullptr;
        if (curl_url_get(u, part, &s, flags) != CURLUE_OK) return false;
        to = s;
        curl_free(s);
        return true;
    };
    if (!get(CURLUPART_SCHEME, 0, out.scheme)) {
        why = "the URL has no scheme";
        return static_cast<int>(transport_errc::invalid_url);
    }
    if (out.scheme != "http" && out.scheme != "https") {
        why = "trtc::curl_transport carries http:// and https:// only, not " + out.scheme + "://";
        return static_cast<int>(transport_errc::unsupported_scheme);
    }
    if (!get(CURLUPART_HOST, 0, out.host) || out.host.empty() ||
        !get(CURLUPART_PORT, CURLU_DEFAULT_PORT, out.port)) {
        why = "the URL has no host";
        return static_cast<int>(transport_errc::invalid_url);
    }
    if (!get(CURLUPART_PATH, 0, out.path)) out.path = "/";
    return 0;
}

/// Scrubs from `text` the query of `url` and the value of its `usersig` (detail::scrub: every
/// run of 24 characters of either): libcurl's error texts do not quote the URL today, but
/// nothing promises it.
inline void curl_scrub(std::string& text, std::string_view url) {
    std::size_t q = url.find('?');
    if (q == std::string_view::npos) return;
    std::string_view query = url.substr(q + 1);
    query = query.substr(0, query.find('#'));
    std::string_view secrets[2] = {query, {}};
    for (std::string_view rest = query; !rest.empty();) {
        std::string_view part = rest.substr(0, rest.find('&'));
        std::size_t eq = part.find('=');
        if (eq != std::string_view::npos && part.substr(0, eq) == "usersig")
            secrets[1] = part.substr(eq + 1);
        rest.remove_prefix((std::min)(rest.size(), part.size() + 1));
    }
    scrub(text, secrets, 2);
}

/// Whether `s` is an HTTP token (a method name).
inline bool curl_is_token(std::string_view s) noexcept {
    if (s.empty()) return false;
    for (char c : s) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  std::strchr("!#$%&'*+-.^_`|~", c) != nullptr;
        if (!ok || c == '\0') return false;
    }
    return true;
}

/// What libcurl reported about a finished transfer.
struct curl_outcome {
    CURLcode code = CURLE_OK;
    long connects = 0;         ///< CURLINFO_NUM_CONNECTS
    curl_off_t connect_us = 0; ///< CURLINFO_CONNECT_TIME_T
    curl_off_t tls_us = 0;     ///< CURLINFO_APPCONNECT_TIME_T
    curl_off_t uploaded = 0;   ///< CURLINFO_SIZE_UPLOAD_T: body bytes written to the socket
    curl_off_t downloaded = 0; ///< CURLINFO_SIZE_DOWNLOAD_T
    long header_bytes = 0;     ///< CURLINFO_HEADER_SIZE
    bool https = false;
    std::size_t body_size = 0;
    std::chrono::milliseconds connect_limit{0};
    bool connect_limit_is_option = false; ///< the connect timeout, not the deadline, was binding

    /// The whole body was written to the connection.
    bool fully_sent() const noexcept {
        return uploaded >= 0 && static_cast<unsigned long long>(uploaded) >= body_size &&
               (body_size > 0 || connected());
    }
    /// A connection (and for https://, its TLS session) was established.
    bool connected() const noexcept {
        return (connect_us > 0 && (!https || tls_us > 0)) || uploaded > 0;
    }
};

// The switches over a CURLcode below go over its int value: libcurl adds codes in most
// releases, and each one would be a -Wswitch-enum warning in users' builds.
inline bool curl_is_tls_error(CURLcode c) noexcept {
    switch (static_cast<int>(c)) {
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_USE_SSL_FAILED:
#if LIBCURL_VERSION_NUM >= 0x074d00
    case CURLE_SSL_CLIENTCERT:
#endif
        return true;
    default:
        return false;
    }
}

/// Maps a failed transfer to a transport error code and an explanation. The decisive question
/// is whether the request may have reached the server: whatever libcurl says, a request not
/// written in full was not delivered, and one written in full may have been.
inline std::pair<transport_errc, std::string>
curl_classify(const curl_outcome& o, const curl_transfer& x, std::string_view curl_text) {
    using te = transport_errc;
    const std::string sent = " (" + std::to_string(o.uploaded < 0 ? 0 : o.uploaded) + " of " +
                             std::to_string(o.body_size) + " body bytes sent)";
    const std::string got =
        " after " + std::to_string(o.header_bytes + o.downloaded) + " response bytes";
    // A connection failure before the request was written in full: not delivered, whatever
    // libcurl's code suggests.
    auto not_sent = [&](const char* what) -> std::pair<te, std::string> {
        if (o.connected())
            return {te::send_failed, std::string(what) + " before the request was sent" + sent};
        if (o.https && o.connect_us > 0)
            return {te::tls_failure, std::string(what) + " during the TLS handshake"};
        return {te::connect_refused, std::string(what) + " before a connection was made"};
    };
    switch (static_cast<int>(o.code)) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
        return {te::dns_failure, "name resolution failed"};
    case CURLE_COULDNT_CONNECT:
        return {te::connect_refused, "cannot connect"};
#if LIBCURL_VERSION_NUM >= 0x074900
    case CURLE_PROXY:
        return {te::connect_refused, "the proxy refused the tunnel"};
#endif
    case CURLE_UNSUPPORTED_PROTOCOL:
        if (o.connected()) // HTTP/0.9 or another answer that is not HTTP/1.x
            return {te::malformed_response, "the answer is not HTTP/1.x" + got};
        return {te::unsupported_scheme, "libcurl cannot carry this URL's scheme"};
    case CURLE_URL_MALFORMAT:
        return {te::invalid_url, "libcurl cannot use the URL"};
    case CURLE_OPERATION_TIMEDOUT:
        if (o.fully_sent())
            return {te::timeout_after_send,
                    "no complete answer before the deadline" + got +
                        "; the request was sent and may have been acted on"};
        if (!o.connected()) {
            std::string limit = o.connect_limit_is_option
                                    ? "within the connect timeout (" +
                                          std::to_string(o.connect_limit.count()) + " ms)"
                                    : "before the deadline";
            return {te::connect_timeout, "no connection " + limit};
        }
        return {te::send_failed, "the deadline passed while sending the request" + sent};
    case CURLE_SEND_ERROR:
        if (o.fully_sent())
            return {te::connection_closed,
                    "the connection failed after the request was sent" + got};
        return {te::send_failed, "sending the request failed" + sent};
    case CURLE_SEND_FAIL_REWIND:
        if (x.resend_refused || o.fully_sent())
            return {te::connection_closed,
                    "the connection closed after the request was sent, before any answer; not "
                    "resent, as it may have been acted on"};
        return {te::send_failed, "sending the request failed" + sent};
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
        if (!o.fully_sent()) return not_sent("the connection failed");
        // libcurl reports invalid chunked framing as a receive error.
        if (o.code == CURLE_RECV_ERROR && curl_text.find("chunk") != std::string_view::npos)
            return {te::malformed_response, "invalid chunked framing" + got};
        return {te::connection_closed, "the connection closed before a complete answer" + got};
    case CURLE_WRITE_ERROR:
        if (x.framing_error != nullptr)
            return {te::malformed_response, std::string(x.framing_error) + got};
        if (x.too_large || x.out_of_memory)
            return {te::response_too_large,
                    x.out_of_memory ? std::string("out of memory while storing the answer")
                                    : "the answer's body exceeds max_response_bytes (" +
                                          std::to_string(x.max_response) + ")"};
        break;
    case CURLE_FILESIZE_EXCEEDED:
        return {te::response_too_large, "the answer's Content-Length exceeds max_response_bytes (" +
                                            std::to_string(x.max_response) + ")"};
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_BAD_CONTENT_ENCODING:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_TOO_MANY_REDIRECTS:
        return {te::malformed_response, "the answer is not valid HTTP" + got};
    default:
        break;
    }
    if (curl_is_tls_error(o.code)) {
        if (o.fully_sent())
            return {te::connection_closed, "TLS failed after the request was sent" + got};
        return {te::tls_failure, "TLS failed"};
    }
    // Anything else: judged by how far the request got.
    if (o.fully_sent()) return {te::connection_closed, "the transfer failed" + got};
    if (o.connected()) return {te::send_failed, "the transfer failed" + sent};
    return {te::local_failure, "the transfer failed before connecting"};
}

} // namespace detail

/// A transport policy over libcurl: POSTs a prepared http_request over https:// (or http://)
/// and returns the status and body. One instance may be shared by any number of threads; it
/// keeps a pool of idle easy handles (at most curl_options::max_idle_handles), and libcurl
/// reuses each handle's keep-alive connection, so a steady caller pays one TLS handshake per
/// pooled handle, not one per request. HTTP/1.1 only; redirects are not followed; any status
/// (502 included) is a response, not an error.
///
/// Failures are trtc::transport_errc values, never exceptions. Which of them mean the request
/// was **not delivered** (safe to send again): dns_failure, connect_refused, connect_timeout,
/// tls_failure, send_failed (the request was not written in full), invalid_url,
/// unsupported_scheme, local_failure. Which mean it **may have reached the service** (it may
/// have been acted on: reconcile before resending a non-idempotent call): timeout_after_send,
/// connection_closed, response_too_large, malformed_response. The line is drawn by how much of
/// the request libcurl wrote (CURLINFO_SIZE_UPLOAD_T), not by libcurl's error code alone: a
/// timeout before the body was written in full is connect_timeout or send_failed, after it
/// timeout_after_send.
///
/// The mapping (libcurl's CURLE_ codes):
/// - COULDNT_RESOLVE_HOST, COULDNT_RESOLVE_PROXY → dns_failure;
/// - COULDNT_CONNECT, PROXY → connect_refused;
/// - OPERATION_TIMEDOUT → connect_timeout when no connection (TLS handshake included) was
///   made, send_failed when the body was not written in full, else timeout_after_send;
/// - SSL_* and PEER_FAILED_VERIFICATION → tls_failure;
/// - SEND_ERROR → send_failed, or connection_closed when the body was written in full;
/// - RECV_ERROR, GOT_NOTHING, PARTIAL_FILE, and SEND_FAIL_REWIND (a resend refused) →
///   connection_closed (invalid chunked framing: malformed_response);
/// - the write callback refusing more than max_response_bytes, FILESIZE_EXCEEDED →
///   response_too_large;
/// - WEIRD_SERVER_REPLY, UNSUPPORTED_PROTOCOL after connecting (an HTTP/0.9 answer) →
///   malformed_response;
/// - a URL curl_url() rejects, URL_MALFORMAT → invalid_url; a scheme other than http or https
///   → unsupported_scheme;
/// - curl_easy_init() failing, an option refused, another code before connecting →
///   local_failure.
///
/// Any "may have reached" mapping becomes send_failed (or connect_refused / tls_failure) when
/// the body was not written in full; any other code after the body was written is
/// connection_closed.
///
/// Error messages give the method, scheme, host, port and path and libcurl's error text, never
/// the query (it carries the UserSig). CURLOPT_VERBOSE stays off.
class curl_transport {
  public:
    /// A transport with the given options.
    explicit curl_transport(curl_options options = {})
        : state_(std::make_unique<detail::curl_transport_state>(std::move(options))) {
        (void)detail::curl_global();
    }
    /// Moves the pool; the moved-from transport only fails with local_failure.
    curl_transport(curl_transport&&) noexcept = default;
    /// Frees this transport's pool and takes the other's.
    curl_transport& operator=(curl_transport&&) noexcept = default;
    curl_transport(const curl_transport&) = delete;
    curl_transport& operator=(const curl_transport&) = delete;
    /// Frees the pooled handles, closing their connections.
    ~curl_transport() = default;

    /// The transport policy contract: sends `req` and waits at most until `deadline` for the
    /// whole response. Thread-safe. Never sends a request twice once it was written in full.
    /// A deadline already past fails with connect_timeout, nothing sent.
    /// @return the status and (de-chunked) body of the final response, or a transport error.
    result<http_response> send(const http_request& req,
                               std::chrono::steady_clock::time_point deadline) {
        using namespace std::chrono;
        using te = transport_errc;
        if (!state_) return error{te::local_failure, "moved-from curl_transport"};
        if (detail::curl_global() != CURLE_OK)
            return error{te::local_failure, std::string("curl_global_init failed: ") +
                                                curl_easy_strerror(detail::curl_global())};

        detail::curl_url_parts url;
        std::string why;
        if (int e = detail::curl_split_url(req.url, url, why))
            return error{static_cast<te>(e), why};
        std::string_view method = req.method.empty() ? std::string_view("POST") : req.method;
        if (!detail::curl_is_token(method)) return error{te::local_failure, "invalid HTTP method"};
        // For messages: never the query (it has the UserSig).
        const std::string what =
            std::string(method) + " " + url.scheme + "://" + url.host + ":" + url.port + url.path;

        const auto now = steady_clock::now();
        if (deadline <= now)
            return error{te::connect_timeout,
                         what + ": the deadline passed before connecting; nothing was sent"};
        const long long left_ms = ceil<milliseconds>(deadline - now).count();
        long long connect_ms = left_ms;
        const long long option_ms = state_->options.connect_timeout.count();
        const bool option_binding = option_ms > 0 && option_ms < left_ms;
        if (option_binding) connect_ms = option_ms;
        // libcurl counts whole milliseconds on its own clock (CLOCK_MONOTONIC_RAW where it
        // exists), which may run up to 0.05 % faster than steady_clock while NTP slews it: pad
        // by 1 ms + 0.1 % so that a timeout is never reported before the deadline.
        auto padded = [](long long ms) {
            return static_cast<long>(std::min<long long>(ms + 1 + ms / 1000, INT_MAX));
        };

        std::string setup_error;
        std::unique_ptr<detail::curl_slot> slot = take(setup_error);
        if (!slot) return error{te::local_failure, what + ": " + setup_error};

        detail::curl_transfer x;
        x.body = req.body;
        x.max_response = state_->options.max_response_bytes;

        // The request's headers, plus an empty Expect (no 100-continue round trip).
        curl_slist* headers = nullptr;
        bool headers_ok = true;
        for (const http_header& h : req.headers()) {
            std::string line(h.name);
            line.append(": ").append(h.value);
            curl_slist* n = curl_slist_append(headers, line.c_str());
            if (n == nullptr)
                headers_ok = false;
            else
                headers = n;
        }
        if (curl_slist* n = curl_slist_append(headers, "Expect:"))
            headers = n;
        else
            headers_ok = false;
        curl_slist_free_all(slot->headers); // not in use: the handle is idle
        slot->headers = headers;
        if (!headers_ok) return error{te::local_failure, what + ": out of memory (headers)"};

        const std::string method_str(method);
        CURL* h = slot->easy;
        const char* failed = nullptr;
        CURLcode rc = CURLE_OK;
        auto set = [&](const char* name, CURLcode c) {
            if (rc == CURLE_OK && c != CURLE_OK) {
                rc = c;
                failed = name;
            }
        };
        set("CURLOPT_URL", (curl_easy_setopt)(h, CURLOPT_URL, req.url.c_str()));
        set("CURLOPT_POST", (curl_easy_setopt)(h, CURLOPT_POST, 1L));
        set("CURLOPT_CUSTOMREQUEST",
            (curl_easy_setopt)(h, CURLOPT_CUSTOMREQUEST,
                               method == "POST" ? nullptr : method_str.c_str()));
        set("CURLOPT_POSTFIELDSIZE_LARGE",
            (curl_easy_setopt)(h, CURLOPT_POSTFIELDSIZE_LARGE,
                               static_cast<curl_off_t>(req.body.size())));
        set("CURLOPT_READFUNCTION",
            (curl_easy_setopt)(h, CURLOPT_READFUNCTION, &detail::curl_on_read));
        set("CURLOPT_READDATA", (curl_easy_setopt)(h, CURLOPT_READDATA, &x));
        set("CURLOPT_SEEKFUNCTION",
            (curl_easy_setopt)(h, CURLOPT_SEEKFUNCTION, &detail::curl_on_seek));
        set("CURLOPT_SEEKDATA", (curl_easy_setopt)(h, CURLOPT_SEEKDATA, &x));
        set("CURLOPT_WRITEFUNCTION",
            (curl_easy_setopt)(h, CURLOPT_WRITEFUNCTION, &detail::curl_on_write));
        set("CURLOPT_WRITEDATA", (curl_easy_setopt)(h, CURLOPT_WRITEDATA, &x));
        set("CURLOPT_HEADERFUNCTION",
            (curl_easy_setopt)(h, CURLOPT_HEADERFUNCTION, &detail::curl_on_header));
        set("CURLOPT_HEADERDATA", (curl_easy_setopt)(h, CURLOPT_HEADERDATA, &x));
        set("CURLOPT_HTTPHEADER", (curl_easy_setopt)(h, CURLOPT_HTTPHEADER, slot->headers));
        set("CURLOPT_TIMEOUT_MS", (curl_easy_setopt)(h, CURLOPT_TIMEOUT_MS, padded(left_ms)));
        set("CURLOPT_CONNECTTIMEOUT_MS",
            (curl_easy_setopt)(h, CURLOPT_CONNECTTIMEOUT_MS, padded(connect_ms)));

        detail::curl_outcome o;
        o.https = url.scheme == "https";
        o.body_size = req.body.size();
        o.connect_limit = milliseconds(connect_ms);
        o.connect_limit_is_option = option_binding;
        if (rc == CURLE_OK) {
            slot->errbuf[0] = '\0';
            o.code = curl_easy_perform(h);
            (void)(curl_easy_getinfo)(h, CURLINFO_NUM_CONNECTS, &o.connects);
            (void)(curl_easy_getinfo)(h, CURLINFO_CONNECT_TIME_T, &o.connect_us);
            (void)(curl_easy_getinfo)(h, CURLINFO_APPCONNECT_TIME_T, &o.tls_us);
            (void)(curl_easy_getinfo)(h, CURLINFO_SIZE_UPLOAD_T, &o.uploaded);
            (void)(curl_easy_getinfo)(h, CURLINFO_SIZE_DOWNLOAD_T, &o.downloaded);
            (void)(curl_easy_getinfo)(h, CURLINFO_HEADER_SIZE, &o.header_bytes);
            if (o.connects > 0)
                state_->opened.fetch_add(static_cast<std::size_t>(o.connects),
                                         std::memory_order_relaxed);
        }
        long status = 0;
        if (rc == CURLE_OK && o.code == CURLE_OK)
            (void)(curl_easy_getinfo)(h, CURLINFO_RESPONSE_CODE, &status);
        std::string curl_text = slot->errbuf;
        // The handle goes back to the pool without pointers into this call's frame.
        (void)(curl_easy_setopt)(h, CURLOPT_READDATA, static_cast<void*>(nullptr));
        (void)(curl_easy_setopt)(h, CURLOPT_SEEKDATA, static_cast<void*>(nullptr));
        (void)(curl_easy_setopt)(h, CURLOPT_WRITEDATA, static_cast<void*>(nullptr));
        (void)(curl_easy_setopt)(h, CURLOPT_HEADERDATA, static_cast<void*>(nullptr));
        (void)(curl_easy_setopt)(h, CURLOPT_URL, static_cast<const char*>(nullptr));
        (void)(curl_easy_setopt)(h, CURLOPT_CUSTOMREQUEST, static_cast<const char*>(nullptr));
        put(std::move(slot));

        if (rc != CURLE_OK)
            return error{te::local_failure,
                         what + ": libcurl refused " + failed + ": " + curl_easy_strerror(rc)};
        if (o.code == CURLE_OK)
            return http_response{static_cast<int>(status), std::move(x.response)};

        if (curl_text.empty()) curl_text = curl_easy_strerror(o.code);
        auto [code, text] = detail::curl_classify(o, x, curl_text);
        std::string msg = what + ": " + text + ": " + curl_text + " [curl " +
                          std::to_string(static_cast<int>(o.code)) + "]";
        detail::curl_scrub(msg, req.url);
        return error{code, std::move(msg)};
    }

    /// Connections opened so far (the sum of CURLINFO_NUM_CONNECTS over every transfer).
    std::size_t connections_opened() const noexcept {
        return state_ ? state_->opened.load(std::memory_order_relaxed) : 0;
    }

    /// Easy handles idle in the pool now.
    std::size_t idle_handles() const noexcept {
        if (!state_) return 0;
        detail::lock_guard lock(state_->mutex);
        return state_->idle.size();
    }

    /// Frees every pooled handle, closing its connections.
    void close_idle() noexcept {
        if (!state_) return;
        std::vector<std::unique_ptr<detail::curl_slot>> dropped;
        {
            detail::lock_guard lock(state_->mutex);
            dropped.swap(state_->idle);
        }
        // `dropped` frees them outside the lock.
    }

  private:
    // A pooled handle, or a new one set up with the transport's fixed options.
    std::unique_ptr<detail::curl_slot> take(std::string& why) {
        {
            detail::lock_guard lock(state_->mutex);
            if (!state_->idle.empty()) {
                std::unique_ptr<detail::curl_slot> s = std::move(state_->idle.back());
                state_->idle.pop_back();
                return s;
            }
        }
        auto s = std::make_unique<detail::curl_slot>();
        s->easy = curl_easy_init();
        if (s->easy == nullptr) {
            why = "curl_easy_init failed";
            return nullptr;
        }
        const curl_options& opt = state_->options;
        CURL* h = s->easy;
        CURLcode rc = CURLE_OK;
        const char* failed = nullptr;
        auto set = [&](const char* name, CURLcode c) {
            if (rc == CURLE_OK && c != CURLE_OK) {
                rc = c;
                failed = name;
            }
        };
        set("CURLOPT_ERRORBUFFER", (curl_easy_setopt)(h, CURLOPT_ERRORBUFFER, s->errbuf));
        set("CURLOPT_VERBOSE", (curl_easy_setopt)(h, CURLOPT_VERBOSE, 0L));
        set("CURLOPT_NOSIGNAL", (curl_easy_setopt)(h, CURLOPT_NOSIGNAL, 1L));
        set("CURLOPT_NOPROGRESS", (curl_easy_setopt)(h, CURLOPT_NOPROGRESS, 1L));
        set("CURLOPT_TCP_NODELAY", (curl_easy_setopt)(h, CURLOPT_TCP_NODELAY, 1L));
        set("CURLOPT_FOLLOWLOCATION", (curl_easy_setopt)(h, CURLOPT_FOLLOWLOCATION, 0L));
#if LIBCURL_VERSION_NUM >= 0x075500
        set("CURLOPT_PROTOCOLS_STR", (curl_easy_setopt)(h, CURLOPT_PROTOCOLS_STR, "http,https"));
        set("CURLOPT_REDIR_PROTOCOLS_STR",
            (curl_easy_setopt)(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https"));
#else
        set("CURLOPT_PROTOCOLS",
            (curl_easy_setopt)(h, CURLOPT_PROTOCOLS,
                               static_cast<long>(CURLPROTO_HTTP | CURLPROTO_HTTPS)));
        set("CURLOPT_REDIR_PROTOCOLS",
            (curl_easy_setopt)(h, CURLOPT_REDIR_PROTOCOLS,
                               static_cast<long>(CURLPROTO_HTTP | CURLPROTO_HTTPS)));
#endif
        set("CURLOPT_HTTP_VERSION",
            (curl_easy_setopt)(h, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1)));
#if LIBCURL_VERSION_NUM >= 0x074000
        set("CURLOPT_HTTP09_ALLOWED", (curl_easy_setopt)(h, CURLOPT_HTTP09_ALLOWED, 0L));
#endif
        set("CURLOPT_SSLVERSION",
            (curl_easy_setopt)(h, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2)));
        set("CURLOPT_SSL_VERIFYPEER",
            (curl_easy_setopt)(h, CURLOPT_SSL_VERIFYPEER, opt.verify_peer ? 1L : 0L));
        set("CURLOPT_SSL_VERIFYHOST",
            (curl_easy_setopt)(h, CURLOPT_SSL_VERIFYHOST, opt.verify_peer ? 2L : 0L));
        if (!opt.ca_file.empty())
            set("CURLOPT_CAINFO", (curl_easy_setopt)(h, CURLOPT_CAINFO, opt.ca_file.c_str()));
        if (!opt.ca_path.empty())
            set("CURLOPT_CAPATH", (curl_easy_setopt)(h, CURLOPT_CAPATH, opt.ca_path.c_str()));
        if (!opt.proxy.empty())
            set("CURLOPT_PROXY", (curl_easy_setopt)(h, CURLOPT_PROXY, opt.proxy.c_str()));
        if (!opt.no_proxy.empty())
            set("CURLOPT_NOPROXY", (curl_easy_setopt)(h, CURLOPT_NOPROXY, opt.no_proxy.c_str()));
        if (opt.max_response_bytes < static_cast<std::size_t>(LLONG_MAX))
            set("CURLOPT_MAXFILESIZE_LARGE",
                (curl_easy_setopt)(h, CURLOPT_MAXFILESIZE_LARGE,
                                   static_cast<curl_off_t>(opt.max_response_bytes)));
        if (rc != CURLE_OK) {
            why = std::string("libcurl refused ") + failed + ": " + curl_easy_strerror(rc);
            return nullptr;
        }
        return s;
    }

    // Returns a handle to the pool, or frees it when the pool is full.
    void put(std::unique_ptr<detail::curl_slot> s) {
        {
            detail::lock_guard lock(state_->mutex);
            if (state_->idle.size() < state_->options.max_idle_handles) {
                state_->idle.push_back(std::move(s));
                return;
            }
        }
        // Freed here, outside the lock.
    }

    std::unique_ptr<detail::curl_transport_state> state_;
};

/// The client policies with the libcurl transport: HTTPS to Tencent's data centres.
struct curl_policies : default_policies {
    using transport = curl_transport;
};

/// A client that speaks HTTPS through libcurl: what production code uses with a region.
using https_client = basic_client<curl_policies>;

TRTC_END_NAMESPACE

#endif // TRTC_ADAPTERS_CURL_HPP
