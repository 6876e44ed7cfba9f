// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
// Loopback helpers of the transport tests (libcurl, Asio): requests, a raw listener that
// answers fixed bytes or never reads, a test PKI made at run time with OpenSSL's C API (a CA, a
// certificate for localhost and 127.0.0.1, one for another name), and a TLS-terminating proxy in
// front of a plain backend. Needs libssl and libcrypto; included by one test source per binary.
#ifndef TRTC_TESTS_LOOPBACK_TLS_HPP
#define TRTC_TESTS_LOOPBACK_TLS_HPP

#include <trtc/errors.hpp>
#include <trtc/http.hpp>
#include <trtc/result.hpp>
#include <trtc/testing/http_server.hpp>

#include <doctest/doctest.h>

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

using trtc::transport_errc;
using trtc::testing::http_server;
using trtc::testing::server_reply;
using trtc::testing::server_request;
using clock_type = std::chrono::steady_clock;
using std::chrono::milliseconds;

namespace {

// ---------------------------------------------------------------------------------------------
// Helpers

trtc::http_request make_request(std::string url, std::string body = R"({"RoomId":"r1"})") {
    trtc::http_request r;
    r.url = std::move(url);
    r.body = std::move(body);
    return r;
}

const milliseconds generous{10000};

clock_type::time_point in(milliseconds d) {
    return clock_type::now() + d;
}

http_server start_server(http_server::handler_type h, trtc::testing::http_server_options o = {}) {
    auto s = http_server::start(std::move(h), std::move(o));
    REQUIRE(s.has_value());
    return std::move(*s);
}

server_reply echo(const server_request& r) {
    server_reply rep;
    rep.body = "echo:" + r.body;
    return rep;
}

// Checks the error of a failed call: the code, and that the message names the path but never
// the secret of the query.
void check_error(const trtc::result<trtc::http_response>& r, transport_errc code,
                 const std::string& path = {}) {
    REQUIRE_FALSE(r.has_value());
    CAPTURE(r.error().describe());
    CHECK(r.error().code == code);
    CHECK(r.error().message.find("SECRET") == std::string::npos);
    if (!path.empty()) CHECK(r.error().message.find(path) != std::string::npos);
}

// A port on 127.0.0.1 that nothing listens on (bound, never listened, then closed).
std::uint16_t closed_port() {
    int s = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(s >= 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    socklen_t len = sizeof a;
    REQUIRE(::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len) == 0);
    ::close(s);
    return ntohs(a.sin_port);
}

// A listening socket on 127.0.0.1:0 and its port.
int listen_loopback(std::uint16_t& port, int backlog = 16) {
    int l = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(l >= 0);
    int one = 1;
    (void)::setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(l, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    REQUIRE(::listen(l, backlog) == 0);
    socklen_t len = sizeof a;
    REQUIRE(::getsockname(l, reinterpret_cast<sockaddr*>(&a), &len) == 0);
    port = ntohs(a.sin_port);
    return l;
}

#if defined(MSG_NOSIGNAL)
constexpr int send_flags = MSG_NOSIGNAL;
#else
constexpr int send_flags = 0; // the proxy threads block SIGPIPE
#endif

// Writes all of `data` to a blocking socket; false on failure.
bool send_all(int fd, const char* data, std::size_t n) {
    while (n > 0) {
        ssize_t k = ::send(fd, data, n, send_flags);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) return false;
        data += k;
        n -= static_cast<std::size_t>(k);
    }
    return true;
}

// Waits until `fd` or `stop_fd` is readable: 1 for fd, 0 for stop (or a failure).
int wait_readable(int fd, int stop_fd) {
    pollfd p[2] = {};
    p[0].fd = stop_fd;
    p[0].events = POLLIN;
    p[1].fd = fd;
    p[1].events = POLLIN;
    while (true) {
        int rc = ::poll(p, 2, -1);
        if (rc < 0 && errno == EINTR) continue;
        if (rc <= 0 || p[0].revents != 0) return 0;
        return 1;
    }
}

// ---------------------------------------------------------------------------------------------
// A raw listener that answers every request with fixed bytes (or never reads at all).

class raw_server {
  public:
    enum class mode { answer_then_close, answer_keep_open, never_read };

    raw_server(std::string response, mode m) : response_(std::move(response)), mode_(m) {
        listener_ = listen_loopback(port_);
        REQUIRE(::pipe(stop_) == 0);
        thread_ = std::thread([this] { run(); });
    }
    raw_server(const raw_server&) = delete;
    raw_server& operator=(const raw_server&) = delete;
    ~raw_server() {
        char x = 1;
        (void)!::write(stop_[1], &x, 1);
        thread_.join();
        for (int fd : held_) ::close(fd);
        ::close(listener_);
        ::close(stop_[0]);
        ::close(stop_[1]);
    }
    std::string url(const std::string& path) const {
        return "http://127.0.0.1:" + std::to_string(port_) + path;
    }
    std::size_t accepted() const { return accepted_.load(); }

  private:
    void run() {
        while (wait_readable(listener_, stop_[0]) == 1) {
            int c = ::accept(listener_, nullptr, nullptr);
            if (c < 0) continue;
            accepted_.fetch_add(1);
            if (mode_ == mode::never_read) {
                held_.push_back(c);
                continue;
            }
            while (read_request(c) && send_all(c, response_.data(), response_.size()) &&
                   mode_ == mode::answer_keep_open) {
            }
            ::close(c);
        }
    }

    // Reads one request (header section and a Content-Length body); false on EOF or stop.
    bool read_request(int fd) {
        std::string& in = pending_;
        while (true) {
            std::size_t end = in.find("\r\n\r\n");
            if (end != std::string::npos) {
                std::string head = in.substr(0, end);
                for (char& ch : head) ch = static_cast<char>(std::tolower(ch));
                std::size_t length = 0;
                std::size_t at = head.find("content-length:");
                if (at != std::string::npos)
                    length = std::strtoul(head.c_str() + at + 15, nullptr, 10);
                if (in.size() >= end + 4 + length) {
                    in.erase(0, end + 4 + length);
                    return true;
                }
            }
            if (wait_readable(fd, stop_[0]) != 1) return false;
            char buf[65536];
            ssize_t n = ::recv(fd, buf, sizeof buf, 0);
            if (n <= 0) return false;
            in.append(buf, static_cast<std::size_t>(n));
        }
    }

    std::string response_;
    mode mode_;
    int listener_ = -1;
    std::uint16_t port_ = 0;
    int stop_[2] = {-1, -1};
    std::vector<int> held_; // used by the thread only, then by the destructor after join
    std::string pending_;
    std::atomic<std::size_t> accepted_{0};
    std::thread thread_;
};

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
// closes.

class tls_proxy {
  public:
    tls_proxy(ssl_ctx_ptr ctx, std::uint16_t backend_port)
        : ctx_(std::move(ctx)), backend_port_(backend_port) {
        REQUIRE(ctx_);
        listener_ = listen_loopback(port_);
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
    std::size_t handshakes() const { return handshakes_.load(); }

  private:
    void accept_loop() {
        while (wait_readable(listener_, stop_[0]) == 1) {
            int c = ::accept(listener_, nullptr, nullptr);
            if (c < 0) continue;
            accepted_.fetch_add(1);
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
    }

    int connect_backend() {
        int b = ::socket(AF_INET, SOCK_STREAM, 0);
        if (b < 0) return -1;
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

    ssl_ctx_ptr ctx_;
    std::uint16_t backend_port_;
    int listener_ = -1;
    std::uint16_t port_ = 0;
    int stop_[2] = {-1, -1};
    std::atomic<std::size_t> accepted_{0};
    std::atomic<std::size_t> handshakes_{0};
    std::mutex mutex_;
    std::vector<std::thread> connections_; // guarded by mutex_
    std::thread acceptor_;
};

} // namespace

#endif // TRTC_TESTS_LOOPBACK_TLS_HPP
