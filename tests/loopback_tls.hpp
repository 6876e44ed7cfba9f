// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
// TLS helpers of the transport tests (libcurl, Asio), beside the loopback helpers of the
// conformance suite (tests/transport_conformance.hpp: requests, a raw listener that answers
// fixed bytes or never reads), which it brings into scope: a test PKI made at run time with
// OpenSSL's C API (a CA, a certificate for localhost and 127.0.0.1, one for another name), and a
// TLS-terminating proxy in front of a plain backend. Needs libssl and libcrypto; included by one
// test source per binary.
#ifndef TRTC_TESTS_LOOPBACK_TLS_HPP
#define TRTC_TESTS_LOOPBACK_TLS_HPP

#include <trtc/errors.hpp>
#include <trtc/http.hpp>
#include <trtc/result.hpp>
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
#include <cctype>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <ostream> // doctest prints std::error_code
#include <string>
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

using transport_conformance::check_error;
using transport_conformance::closed_port;
using transport_conformance::echo;
using transport_conformance::generous;
using transport_conformance::in;
using transport_conformance::listen_loopback;
using transport_conformance::make_request;
using transport_conformance::raw_server;
using transport_conformance::send_all;
using transport_conformance::start_server;
using transport_conformance::wait_readable;
using trtc::transport_errc;
using trtc::testing::http_server;
using trtc::testing::server_reply;
using trtc::testing::server_request;
using clock_type = std::chrono::steady_clock;
using std::chrono::milliseconds;

namespace {

// ---------------------------------------------------------------------------------------------
// A test PKI, made at run time with the OpenSSL C API: a CA, a certificate for localhost and
// 127.0.0.1, and one for another name. The CA is written to a temporary directory for
// the transports' CA file option.

struct pkey_deleter {
    void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct x509_deleter {
    void operator()(X509* p) const { X509_free(p); }
};
struct ssl_ctx_deleter {
    void operator()(SSL_CTX* p) const { SSL_CTX_free(p); }
};
using pkey_ptr = std::unique_ptr<EVP_PKEY, pkey_deleter>;
using x509_ptr = std::unique_ptr<X509, x509_deleter>;
using ssl_ctx_ptr = std::unique_ptr<SSL_CTX, ssl_ctx_deleter>;

pkey_ptr make_key() {
    EVP_PKEY* key = nullptr;
    EVP_PKEY_CTX* c = EVP_PKEY_CTX_new_id(EVP_PKEY_EC, nullptr);
    if (c != nullptr && EVP_PKEY_keygen_init(c) == 1 &&
        EVP_PKEY_CTX_set_ec_paramgen_curve_nid(c, NID_X9_62_prime256v1) == 1)
        (void)EVP_PKEY_keygen(c, &key);
    EVP_PKEY_CTX_free(c);
    return pkey_ptr(key);
}

// A certificate for `key`, signed by `issuer` / `issuer_key` (self-signed when issuer is null).
x509_ptr make_cert(const char* cn, EVP_PKEY* key, X509* issuer, EVP_PKEY* issuer_key, long serial,
                   bool ca, const char* san) {
    x509_ptr x(X509_new());
    if (!x) return nullptr;
    bool ok = X509_set_version(x.get(), 2) == 1 &&
              ASN1_INTEGER_set(X509_get_serialNumber(x.get()), serial) == 1 &&
              X509_gmtime_adj(X509_getm_notBefore(x.get()), -3600) != nullptr &&
              X509_gmtime_adj(X509_getm_notAfter(x.get()), 86400) != nullptr &&
              X509_set_pubkey(x.get(), key) == 1;
    X509_NAME* name = X509_get_subject_name(x.get());
    ok = ok &&
         X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                    reinterpret_cast<const unsigned char*>(cn), -1, -1, 0) == 1;
    ok = ok && X509_set_issuer_name(x.get(), issuer ? X509_get_subject_name(issuer) : name) == 1;
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer ? issuer : x.get(), x.get(), nullptr, nullptr, 0);
    auto add = [&](int nid, const char* value) {
        if (!ok) return;
        X509_EXTENSION* e = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
        ok = e != nullptr && X509_add_ext(x.get(), e, -1) == 1;
        X509_EXTENSION_free(e);
    };
    add(NID_basic_constraints, ca ? "critical,CA:TRUE" : "critical,CA:FALSE");
    add(NID_key_usage, ca ? "critical,keyCertSign,cRLSign" : "critical,digitalSignature");
    add(NID_subject_key_identifier, "hash");
    if (!ca) {
        add(NID_authority_key_identifier, "keyid:always");
        add(NID_ext_key_usage, "serverAuth");
        add(NID_subject_alt_name, san);
    }
    ok = ok && X509_sign(x.get(), issuer_key, EVP_sha256()) > 0;
    return ok ? std::move(x) : nullptr;
}

struct test_pki {
    bool ok = false;
    std::string dir;
    std::string ca_file;
    pkey_ptr ca_key, key;
    x509_ptr ca, localhost, other;

    test_pki() {
        const char* tmp = std::getenv("TMPDIR");
        std::string templ = std::string(tmp && *tmp ? tmp : "/tmp") + "/trtc-tls-test-XXXXXX";
        std::vector<char> buf(templ.begin(), templ.end());
        buf.push_back('\0');
        if (::mkdtemp(buf.data()) == nullptr) return;
        dir = buf.data();
        ca_file = dir + "/ca.pem";
        ca_key = make_key();
        key = make_key();
        if (!ca_key || !key) return;
        ca = make_cert("trtc-battle test CA", ca_key.get(), nullptr, ca_key.get(), 1, true, "");
        if (!ca) return;
        localhost = make_cert("localhost", key.get(), ca.get(), ca_key.get(), 2, false,
                              "DNS:localhost,IP:127.0.0.1");
        other = make_cert("other.example", key.get(), ca.get(), ca_key.get(), 3, false,
                          "DNS:other.example");
        if (!localhost || !other) return;
        std::FILE* f = std::fopen(ca_file.c_str(), "w");
        if (f == nullptr) return;
        ok = PEM_write_X509(f, ca.get()) == 1;
        ok = std::fclose(f) == 0 && ok;
    }
    test_pki(const test_pki&) = delete;
    test_pki& operator=(const test_pki&) = delete;
    ~test_pki() {
        if (dir.empty()) return;
        (void)std::remove(ca_file.c_str());
        (void)::rmdir(dir.c_str());
    }

    // A TLS server context presenting `cert`.
    ssl_ctx_ptr server_context(X509* cert) const {
        ssl_ctx_ptr ctx(SSL_CTX_new(TLS_server_method()));
        if (!ctx) return nullptr;
        if (SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION) != 1 ||
            SSL_CTX_use_certificate(ctx.get(), cert) != 1 ||
            SSL_CTX_use_PrivateKey(ctx.get(), key.get()) != 1 ||
            SSL_CTX_check_private_key(ctx.get()) != 1)
            return nullptr;
        return ctx;
    }
};

const test_pki& pki() {
    static const test_pki p;
    return p;
}

// ---------------------------------------------------------------------------------------------
// A TLS-terminating proxy: accepts TLS on 127.0.0.1:0 and, for each connection, a thread does
// the handshake, connects to the plain backend and pumps bytes both ways until either side
// closes. Its sockets have small buffers, so that a backend that never reads stops the client
// as it would without the proxy (the conformance suite's send_failed case), and a send
// timeout, so that no write blocks it for long.

class tls_proxy {
  public:
    tls_proxy(ssl_ctx_ptr ctx, std::uint16_t backend_port)
        : ctx_(std::move(ctx)), backend_port_(backend_port) {
        REQUIRE(ctx_);
        listener_ = listen_loopback(port_, 16, buffer_bytes);
        REQUIRE(::pipe(stop_) == 0);
        acceptor_ = std::thread([this] { accept_loop(); });
    }
    tls_proxy(const tls_proxy&) = delete;
    tls_proxy& operator=(const tls_proxy&) = delete;
    ~tls_proxy() {
        char x = 1;
        (void)!::write(stop_[1], &x, 1);
        acceptor_.join();
        std::vector<std::thread> all;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            all.swap(connections_);
        }
        for (auto& t : all) t.join();
        ::close(listener_);
        ::close(stop_[0]);
        ::close(stop_[1]);
    }

    std::uint16_t port() const { return port_; }
    std::string url(const std::string& host, const std::string& path) const {
        return "https://" + host + ":" + std::to_string(port_) + path;
    }
    std::size_t accepted() const { return accepted_.load(); }
    /// Client connections accepted and not closed yet.
    std::size_t open_connections() const { return open_.load(); }
    std::size_t handshakes() const { return handshakes_.load(); }

  private:
    void accept_loop() {
        while (wait_readable(listener_, stop_[0]) == 1) {
            int c = ::accept(listener_, nullptr, nullptr);
            if (c < 0) continue;
            accepted_.fetch_add(1);
            open_.fetch_add(1);
            std::lock_guard<std::mutex> lock(mutex_);
            connections_.emplace_back([this, c] { serve(c); });
        }
    }

    void serve(int client) {
        // SSL_write on a socket the peer closed raises SIGPIPE: keep it pending in this thread
        // (discarded when the thread ends) so that the write fails with EPIPE instead.
        sigset_t pipe_set;
        sigemptyset(&pipe_set);
        sigaddset(&pipe_set, SIGPIPE);
        pthread_sigmask(SIG_BLOCK, &pipe_set, nullptr);
        timeval tv{};
        tv.tv_sec = 3; // bounds every blocking TLS read or write
        (void)::setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        (void)::setsockopt(client, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
        SSL* ssl = SSL_new(ctx_.get());
        int backend = -1;
        if (ssl != nullptr && SSL_set_fd(ssl, client) == 1 && SSL_accept(ssl) == 1) {
            handshakes_.fetch_add(1);
            backend = connect_backend();
            if (backend >= 0) pump(ssl, client, backend);
        }
        if (ssl != nullptr) {
            (void)SSL_shutdown(ssl);
            SSL_free(ssl);
        }
        ERR_clear_error();
        if (backend >= 0) ::close(backend);
        ::close(client);
        open_.fetch_sub(1);
    }

    int connect_backend() {
        int b = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (b < 0) return -1;
        int size = buffer_bytes;
        (void)::setsockopt(b, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
        timeval tv{};
        tv.tv_sec = 3;
        (void)::setsockopt(b, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        a.sin_port = htons(backend_port_);
        if (::connect(b, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
            ::close(b);
            return -1;
        }
        return b;
    }

    void pump(SSL* ssl, int client, int backend) {
        char buf[16384];
        while (true) {
            if (SSL_pending(ssl) == 0) {
                pollfd p[3] = {};
                p[0].fd = stop_[0];
                p[0].events = POLLIN;
                p[1].fd = client;
                p[1].events = POLLIN;
                p[2].fd = backend;
                p[2].events = POLLIN;
                int rc = ::poll(p, 3, -1);
                if (rc < 0 && errno == EINTR) continue;
                if (rc <= 0 || p[0].revents != 0) return;
                if (p[2].revents != 0) {
                    ssize_t n = ::recv(backend, buf, sizeof buf, 0);
                    if (n <= 0) return;
                    if (SSL_write(ssl, buf, static_cast<int>(n)) != n) return;
                    continue;
                }
                if (p[1].revents == 0) continue;
            }
            int n = SSL_read(ssl, buf, sizeof buf);
            if (n <= 0) return;
            if (!send_all(backend, buf, static_cast<std::size_t>(n))) return;
        }
    }

    static constexpr int buffer_bytes = 65536;
    ssl_ctx_ptr ctx_;
    std::uint16_t backend_port_;
    int listener_ = -1;
    std::uint16_t port_ = 0;
    int stop_[2] = {-1, -1};
    std::atomic<std::size_t> accepted_{0};
    std::atomic<std::size_t> open_{0};
    std::atomic<std::size_t> handshakes_{0};
    std::mutex mutex_;
    std::vector<std::thread> connections_; // guarded by mutex_
    std::thread acceptor_;
};

// ---------------------------------------------------------------------------------------------
// The transport conformance suite over the libcurl transport, plain and through the TLS proxy.
// Where it differs from the built-in transport (test_http1.cpp), and why:

} // namespace

#endif // TRTC_TESTS_LOOPBACK_TLS_HPP
