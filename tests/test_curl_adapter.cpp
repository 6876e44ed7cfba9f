// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief The libcurl transport: the transport conformance suite (tests/transport_conformance.hpp)
/// over plain HTTP and over HTTPS through a small TLS-terminating proxy (OpenSSL's libssl)
/// with a test CA made at run time; then what only it has: certificate verification, and the
/// mapping of libcurl's codes.
///
/// Needs libcurl, libssl and libcrypto.
#include "loopback_tls.hpp"

#include <trtc/adapters/curl.hpp>
#include <trtc/errors.hpp>
#include <trtc/http.hpp>
#include <trtc/testing/http_server.hpp>

#include <doctest/doctest.h>

#include "transport_conformance.hpp"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <ostream> // doctest prints std::error_code
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

// The loopback helpers and their names come from loopback_tls.hpp.

namespace {

// Options for the loopback tests: never through a proxy from the environment.
trtc::curl_options local_options() {
    trtc::curl_options o;
    o.no_proxy = "*";
    return o;
}

// The test PKI and the TLS proxy are in loopback_tls.hpp.

template <bool Tls>
struct curl_fixture_base {
    using transport = trtc::curl_transport;
    static constexpr bool tls = Tls;
    static constexpr bool supports_https = true;
    // libcurl does not say whether a transfer went on a reused connection
    // (connections_opened() sums CURLINFO_NUM_CONNECTS); the pool of easy handles has a size.
    static constexpr bool counts_reused = false;
    static constexpr bool counts_idle = true;
    // libcurl's URL parser takes userinfo, a fragment, port 0 and an empty host (which then
    // fail to connect or to resolve), and knows other schemes, which the transport refuses as
    // unsupported_scheme.
    static constexpr bool strict_urls = false;
    static constexpr transport_errc other_scheme_code = transport_errc::unsupported_scheme;
    // libcurl itself wants to resend on a new connection when a reused one died (the seek
    // callback refuses; it may have connected first, and sends nothing there). Its messages
    // carry libcurl's text, not a count of response bytes, and say when nothing was sent.
    static constexpr const char* resend_refusal_phrase = "not resent";
    static constexpr bool may_reconnect_before_refusing_resend = true;
    static constexpr bool counts_response_bytes = false;
    static constexpr const char* deadline_past_phrase =
        "the deadline passed before connecting; nothing was sent";
    // libcurl itself takes a response with both Content-Length and Transfer-Encoding, or with
    // two different Content-Lengths; the adapter's header callback refuses them, as RFC 9112
    // 6.3 says and the built-in transport does.
    static constexpr bool refuses_te_and_content_length = true;
    static constexpr bool refuses_differing_content_lengths = true;

    transport make(const transport_conformance::settings& s) const {
        trtc::curl_options o = local_options();
        if constexpr (Tls) o.ca_file = pki().ca_file;
        o.max_response_bytes = s.max_response_bytes;
        o.connect_timeout = s.connect_timeout;
        o.max_idle_handles = s.max_idle;
        return transport(o);
    }
    std::string direct_url(std::uint16_t port, std::string_view target) const {
        return transport_conformance::loopback_url(Tls, port, target);
    }
    static std::size_t opened(const transport& t) { return t.connections_opened(); }
    static std::size_t idle(const transport& t) { return t.idle_handles(); }
};

/// Plain HTTP straight to the server.
struct curl_fixture : curl_fixture_base<false> {
    std::string url(std::uint16_t port, std::string_view target) const {
        return direct_url(port, target);
    }
};

/// HTTPS to the TLS proxy in front of the server (one proxy per server, as long as the
/// fixture lives), verified against the test CA.
struct curl_tls_fixture : curl_fixture_base<true> {
    std::string url(std::uint16_t port, std::string_view target) {
        std::unique_ptr<tls_proxy>& proxy = proxies[port];
        if (!proxy) {
            REQUIRE(pki().ok);
            proxy = std::make_unique<tls_proxy>(pki().server_context(pki().localhost.get()), port);
        }
        return proxy->url("127.0.0.1", std::string(target));
    }
    /// The proxies' client connections still open (the suite waits for a close to reach the
    /// client's side, not only the backend's).
    std::size_t front_connections() const {
        std::size_t n = 0;
        for (const auto& p : proxies) n += p.second->open_connections();
        return n;
    }
    std::map<std::uint16_t, std::unique_ptr<tls_proxy>> proxies;
};

} // namespace

TYPE_TO_STRING(curl_fixture);
TYPE_TO_STRING(curl_tls_fixture);
TRTC_TRANSPORT_CONFORMANCE(curl_fixture, curl_tls_fixture);

// =============================================================================================
// HTTPS through the TLS-terminating proxy.

TEST_CASE("curl: HTTPS with a test CA") {
    const test_pki& p = pki();
    REQUIRE(p.ok);
    std::mutex m;
    std::vector<server_request> seen;
    http_server srv = start_server([&](const server_request& r) {
        std::lock_guard<std::mutex> lock(m);
        seen.push_back(r);
        return echo(r);
    });
    tls_proxy proxy(p.server_context(p.localhost.get()), srv.port());

    SUBCASE("round trip with ca_file; a second call reuses the connection") {
        trtc::curl_options o = local_options();
        o.ca_file = p.ca_file;
        trtc::curl_transport t(o);
        const std::string target = "/v4/live_engine_http_srv/get_battle_info?usersig=SECRET";
        std::size_t expected_connections = 0;
        for (const char* host : {"localhost", "127.0.0.1"}) {
            CAPTURE(host);
            ++expected_connections; // a connection is reused for the same host name only
            for (int i = 0; i < 2; ++i) {
                auto r = t.send(
                    make_request(proxy.url(host, target), "{\"i\":" + std::to_string(i) + "}"),
                    in(generous));
                REQUIRE(r.has_value());
                CHECK(r->status == 200);
                CHECK(r->body == "echo:{\"i\":" + std::to_string(i) + "}");
                CHECK(t.connections_opened() == expected_connections);
            }
        }
        CHECK(proxy.accepted() == 2);
        CHECK(proxy.handshakes() == 2);
        std::lock_guard<std::mutex> lock(m);
        REQUIRE(seen.size() == 4);
        CHECK(seen[0].target == target);
        CHECK(seen[0].method == "POST");
        CHECK(seen[0].header("Host") == "localhost:" + std::to_string(proxy.port()));
        CHECK(seen[0].header("Content-Type") == "application/json");
        CHECK(seen[0].header("User-Agent") == std::string(trtc::user_agent));
        CHECK(seen[0].header("Expect").empty());
        CHECK(seen[1].connection_id == seen[0].connection_id);
        CHECK(seen[1].request_index_on_connection == 1);
    }
    SUBCASE("the system store does not trust the test CA: tls_failure") {
        trtc::curl_transport t(local_options());
        auto r = t.send(make_request(proxy.url("localhost", "/x?usersig=SECRET")), in(generous));
        check_error(r, transport_errc::tls_failure, "/x");
        CHECK_FALSE(trtc::may_have_reached_server(r.error().code));
        std::lock_guard<std::mutex> lock(m);
        CHECK(seen.empty());
    }
    SUBCASE("a CA file that does not exist: tls_failure") {
        trtc::curl_options o = local_options();
        o.ca_file = p.dir + "/missing.pem";
        trtc::curl_transport t(o);
        auto r = t.send(make_request(proxy.url("localhost", "/x?usersig=SECRET")), in(generous));
        check_error(r, transport_errc::tls_failure, "/x");
    }
}

TEST_CASE("curl: HTTPS with a certificate for another name") {
    const test_pki& p = pki();
    REQUIRE(p.ok);
    std::atomic<std::size_t> served{0};
    http_server srv = start_server([&](const server_request& r) {
        ++served;
        return echo(r);
    });
    tls_proxy proxy(p.server_context(p.other.get()), srv.port());
    trtc::curl_options o = local_options();
    o.ca_file = p.ca_file;
    SUBCASE("verified: tls_failure, nothing delivered") {
        trtc::curl_transport t(o);
        auto r = t.send(make_request(proxy.url("localhost", "/x?usersig=SECRET")), in(generous));
        check_error(r, transport_errc::tls_failure, "/x");
        CHECK_FALSE(trtc::may_have_reached_server(r.error().code));
        CHECK(served.load() == 0);
    }
    SUBCASE("verify_peer = false (tests only) accepts it") {
        o.verify_peer = false;
        trtc::curl_transport t(o);
        auto r = t.send(make_request(proxy.url("localhost", "/x")), in(generous));
        REQUIRE(r.has_value());
        CHECK(r->body == R"(echo:{"RoomId":"r1"})");
        CHECK(served.load() == 1);
    }
}

TEST_CASE("curl: a TLS listener that never completes the handshake is connect_timeout") {
    raw_server silent("", raw_server::mode::never_read);
    trtc::curl_options o = local_options();
    o.ca_file = pki().ca_file;
    o.connect_timeout = milliseconds(200);
    trtc::curl_transport t(o);
    const std::string url =
        transport_conformance::loopback_url(true, silent.port(), "/x?usersig=SECRET");
    auto start = clock_type::now();
    auto r = t.send(make_request(url), in(generous));
    auto elapsed = clock_type::now() - start;
    check_error(r, transport_errc::connect_timeout, "/x");
    CHECK_FALSE(trtc::may_have_reached_server(r.error().code));
    CHECK(elapsed >= milliseconds(200));
    CHECK(elapsed < milliseconds(200) + std::chrono::seconds(2));
}

// =============================================================================================
// The mapping of libcurl's codes, including those hard to provoke on loopback.

TEST_CASE("curl: error mapping table") {
    using trtc::detail::curl_outcome;
    const std::size_t body = 15;
    // How far the request got.
    enum class stage { nothing, tcp_only, tcp_and_tls, partly_sent, fully_sent };
    auto outcome = [&](CURLcode c, stage s, bool https = false) {
        curl_outcome o;
        o.code = c;
        o.https = https;
        o.body_size = body;
        if (s != stage::nothing) o.connect_us = 100;
        if (s == stage::tcp_and_tls || s == stage::partly_sent || s == stage::fully_sent)
            o.tls_us = https ? 200 : 0;
        if (s == stage::partly_sent) o.uploaded = 5;
        if (s == stage::fully_sent) o.uploaded = static_cast<curl_off_t>(body);
        return o;
    };
    struct row {
        CURLcode code;
        stage at;
        bool https;
        transport_errc expect;
    };
    using te = transport_errc;
    const row rows[] = {
        {CURLE_COULDNT_RESOLVE_HOST, stage::nothing, false, te::dns_failure},
        {CURLE_COULDNT_RESOLVE_PROXY, stage::nothing, false, te::dns_failure},
        {CURLE_COULDNT_CONNECT, stage::nothing, false, te::connect_refused},
        {CURLE_OPERATION_TIMEDOUT, stage::nothing, false, te::connect_timeout},
        {CURLE_OPERATION_TIMEDOUT, stage::tcp_only, true, te::connect_timeout}, // TLS pending
        {CURLE_OPERATION_TIMEDOUT, stage::tcp_and_tls, true, te::send_failed},
        {CURLE_OPERATION_TIMEDOUT, stage::partly_sent, false, te::send_failed},
        {CURLE_OPERATION_TIMEDOUT, stage::fully_sent, false, te::timeout_after_send},
        {CURLE_OPERATION_TIMEDOUT, stage::fully_sent, true, te::timeout_after_send},
        {CURLE_SSL_CONNECT_ERROR, stage::tcp_only, true, te::tls_failure},
        {CURLE_PEER_FAILED_VERIFICATION, stage::tcp_only, true, te::tls_failure},
        {CURLE_SSL_CACERT_BADFILE, stage::nothing, true, te::tls_failure},
        {CURLE_SSL_CERTPROBLEM, stage::nothing, true, te::tls_failure},
        {CURLE_SEND_ERROR, stage::tcp_only, false, te::send_failed},
        {CURLE_SEND_ERROR, stage::partly_sent, false, te::send_failed},
        {CURLE_SEND_ERROR, stage::fully_sent, false, te::connection_closed},
        {CURLE_RECV_ERROR, stage::fully_sent, false, te::connection_closed},
        {CURLE_RECV_ERROR, stage::partly_sent, false, te::send_failed},
        {CURLE_RECV_ERROR, stage::tcp_only, true, te::tls_failure},
        {CURLE_GOT_NOTHING, stage::fully_sent, false, te::connection_closed},
        {CURLE_PARTIAL_FILE, stage::fully_sent, false, te::connection_closed},
        {CURLE_FILESIZE_EXCEEDED, stage::fully_sent, false, te::response_too_large},
        {CURLE_WEIRD_SERVER_REPLY, stage::fully_sent, false, te::malformed_response},
        {CURLE_UNSUPPORTED_PROTOCOL, stage::fully_sent, false, te::malformed_response}, // 0.9
        {CURLE_UNSUPPORTED_PROTOCOL, stage::nothing, false, te::unsupported_scheme},
        {CURLE_URL_MALFORMAT, stage::nothing, false, te::invalid_url},
        {CURLE_OUT_OF_MEMORY, stage::nothing, false, te::local_failure},
        {CURLE_OUT_OF_MEMORY, stage::fully_sent, false, te::connection_closed},
        {CURLE_SEND_FAIL_REWIND, stage::partly_sent, false, te::send_failed},
    };
    for (const row& r : rows) {
        CAPTURE(static_cast<int>(r.code));
        CAPTURE(static_cast<int>(r.at));
        CAPTURE(r.https);
        trtc::detail::curl_transfer x;
        auto got = trtc::detail::curl_classify(outcome(r.code, r.at, r.https), x, "");
        CHECK(got.first == r.expect);
        CHECK_FALSE(got.second.empty());
    }
    // The callbacks' findings.
    trtc::detail::curl_transfer x;
    x.too_large = true;
    x.max_response = 10;
    CHECK(trtc::detail::curl_classify(outcome(CURLE_WRITE_ERROR, stage::fully_sent), x, "").first ==
          te::response_too_large);
    trtc::detail::curl_transfer refused;
    refused.resend_refused = true;
    CHECK(trtc::detail::curl_classify(outcome(CURLE_SEND_FAIL_REWIND, stage::nothing), refused, "")
              .first == te::connection_closed);
    CHECK(trtc::detail::curl_classify(outcome(CURLE_RECV_ERROR, stage::fully_sent), x,
                                      "Malformed encoding found in chunked-encoding")
              .first == te::malformed_response);
}

TEST_CASE("curl: the seek callback refuses to resend a body handed over whole") {
    trtc::detail::curl_transfer x;
    x.body = "0123456789";
    char buf[4];
    CHECK(trtc::detail::curl_on_read(buf, 1, sizeof buf, &x) == 4);
    CHECK(std::string(buf, 4) == "0123");
    // Part of it: rewinding is safe (the server cannot have the whole request).
    CHECK(trtc::detail::curl_on_seek(&x, 0, SEEK_SET) == CURL_SEEKFUNC_OK);
    CHECK(x.handed == 0);
    char all[16];
    CHECK(trtc::detail::curl_on_read(all, 1, sizeof all, &x) == 10);
    CHECK(trtc::detail::curl_on_read(all, 1, sizeof all, &x) == 0);
    CHECK(trtc::detail::curl_on_seek(&x, 0, SEEK_SET) == CURL_SEEKFUNC_FAIL);
    CHECK(x.resend_refused);
    CHECK(trtc::detail::curl_on_seek(nullptr, 0, SEEK_SET) == CURL_SEEKFUNC_FAIL);
    CHECK(trtc::detail::curl_on_read(all, 1, sizeof all, nullptr) == CURL_READFUNC_ABORT);
}

TEST_CASE("curl: the write callback enforces the limit") {
    trtc::detail::curl_transfer x;
    x.max_response = 6;
    char data[] = "abcdefgh";
    CHECK(trtc::detail::curl_on_write(data, 1, 4, &x) == 4);
    CHECK(trtc::detail::curl_on_write(data, 1, 2, &x) == 2);
    CHECK(x.response == "abcdab");
    CHECK(trtc::detail::curl_on_write(data, 1, 1, &x) == 0);
    CHECK(x.too_large);
    CHECK(trtc::detail::curl_on_write(data, 1, 1, nullptr) == 0);
}

TEST_CASE("curl: libcurl's error text never carries the UserSig") {
    std::string text = "bad thing at http://h/x?sdkappid=1&usersig=TOPSECRET&random=3 and "
                       "TOPSECRET again";
    trtc::detail::curl_scrub(text, "http://h/x?sdkappid=1&usersig=TOPSECRET&random=3");
    CHECK(text.find("TOPSECRET") == std::string::npos);
    std::string plain = "nothing to hide";
    trtc::detail::curl_scrub(plain, "http://h/x");
    CHECK(plain == "nothing to hide");
    // A piece of a long UserSig (24 characters from its middle) goes too.
    const std::string sig = "eJwtzMEKgjAYAOC3-Xc3JJHRiJqC2v-dg3M4wY-rqc8-BnnUHWnN8pYwrNaVq1cGaY";
    std::string piece = "echo " + sig.substr(20, 24) + " end";
    trtc::detail::curl_scrub(piece, "http://h/x?sdkappid=1&usersig=" + sig + "&random=3");
    CHECK(piece == "echo REDACTED end");
}
