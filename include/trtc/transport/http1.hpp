// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief trtc::http1_transport: the built-in transport policy, plain HTTP/1.1 over POSIX
/// sockets with a keep-alive connection pool. For https:// use the libcurl adapter
/// (trtc/adapters/curl.hpp).
///
/// Every wait is a poll() bounded by the caller's deadline (connecting also by
/// http1_options::connect_timeout), except name resolution: getaddrinfo() blocks for as long as
/// the system resolver takes (see /etc/resolv.conf `timeout` and `attempts`). Use an IP literal
/// or a local resolver cache when that matters.
///
/// Retries: the transport never sends a request twice. A pooled connection is checked before
/// use (still open, no stray bytes, not idle longer than http1_options::idle_timeout), but the
/// server may still close it at the same moment. If that happens the failure is reported as it
/// is: send_failed when the request could not be written in full, connection_closed when it was
/// written but the connection closed (even with zero response bytes). Both are reported,
/// never silently resent, because the request may have been acted on (create_battle is not
/// idempotent): the client layer decides whether to retry.
#ifndef TRTC_TRANSPORT_HTTP1_HPP
#define TRTC_TRANSPORT_HTTP1_HPP

#include "../config.hpp"
#include "../detail/http1_request.hpp"
#include "../detail/mutex.hpp"
#include "../detail/url.hpp"
#include "../errors.hpp"
#include "../http.hpp"
#include "../regions.hpp"
#include "../result.hpp"

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

// The HTTP/1.1 response parser the transport reads with.
#include "../detail/http1_parser.hpp"

#if !TRTC_HAS_POSIX_SOCKETS
// <trtc/trtc.hpp> includes this header everywhere and gets nothing from it here; included on
// its own, it says why.
#    if !defined(TRTC_TRTC_HPP)
#        error                                                                                     \
            "trtc/transport/http1.hpp: the built-in HTTP/1.1 transport needs POSIX sockets; on this platform use trtc::https_client (trtc/adapters/curl.hpp) or a transport of your own (docs/client.md, Policies)"
#    endif
#else

#    include <poll.h>
#    include <sys/socket.h>

#    if TRTC_DEFINITIONS
#        include <cerrno>
#        include <climits>
#        include <cstring>

#        include <fcntl.h>
#        include <netdb.h>
#        include <netinet/in.h>
#        include <netinet/tcp.h>
#        include <sys/types.h>
#        include <unistd.h>
#    endif

TRTC_BEGIN_NAMESPACE
namespace detail {

#    if defined(MSG_NOSIGNAL)
/// Flags for send(): never raise SIGPIPE when the peer has gone.
inline constexpr int socket_send_flags = MSG_NOSIGNAL;
#    else
inline constexpr int socket_send_flags = 0; // SO_NOSIGPIPE is set on every socket instead
#    endif

/// An owned file descriptor, closed on destruction.
class unique_fd {
  public:
    unique_fd() noexcept = default;
    explicit unique_fd(int fd) noexcept : fd_(fd) {}
    unique_fd(unique_fd&& o) noexcept : fd_(o.release()) {}
    unique_fd& operator=(unique_fd&& o) noexcept {
        if (this != &o) reset(o.release());
        return *this;
    }
    unique_fd(const unique_fd&) = delete;
    unique_fd& operator=(const unique_fd&) = delete;
    ~unique_fd() { reset(); }

    int get() const noexcept { return fd_; }
    explicit operator bool() const noexcept { return fd_ >= 0; }
    int release() noexcept {
        int fd = fd_;
        fd_ = -1;
        return fd;
    }
    /// Closes the descriptor held (never retried on EINTR: the descriptor is gone either way).
    void reset(int fd = -1) noexcept;

  private:
    int fd_ = -1;
};

/// The text of errno value `e`, thread-safely.
TRTC_DECL std::string errno_text(int e);

/// Sets FD_CLOEXEC and O_NONBLOCK (and SO_NOSIGPIPE where it exists) on `fd`.
TRTC_DECL bool prepare_socket_fd(int fd) noexcept;

/// A new non-blocking, close-on-exec stream socket; an invalid unique_fd with errno set on
/// failure.
TRTC_DECL unique_fd open_stream_socket(int family) noexcept;

/// poll() until an event or `deadline`, retrying on EINTR. Returns poll's result: > 0 when a
/// descriptor is ready, 0 when the deadline passed (never earlier), -1 with errno on failure.
TRTC_DECL int poll_until(pollfd* fds, nfds_t n, std::chrono::steady_clock::time_point deadline);

/// Writes all of `data` to non-blocking `fd` before `deadline`. Returns 0 on success, else the
/// errno of the failure (ETIMEDOUT when the deadline passed). `written` tells how far it got.
TRTC_DECL int write_all(int fd, std::string_view data,
                        std::chrono::steady_clock::time_point deadline, std::size_t& written);

/// A pooled connection.
struct http1_idle_connection {
    std::string key; ///< host:port
    unique_fd fd;
    std::chrono::steady_clock::time_point since;
};

/// The state behind an http1_transport (kept apart so that the transport can move).
struct http1_transport_state;

} // namespace detail

/// Options of http1_transport.
struct http1_options {
    /// The most time to spend connecting (name resolution excluded), within the deadline.
    std::chrono::milliseconds connect_timeout{3000};
    /// The most body bytes accepted in a response (the header section has its own 64 KiB
    /// limit); more is transport_errc::response_too_large.
    std::size_t max_response_bytes = 1 << 20;
    /// The most idle keep-alive connections kept per host:port (0 disables keep-alive reuse).
    std::size_t max_idle_connections = 8;
    /// Pooled connections idle longer than this are closed instead of reused.
    std::chrono::milliseconds idle_timeout{30000};
};

namespace detail {
struct http1_transport_state {
    explicit http1_transport_state(http1_options o) : options(o) {}
    http1_options options;
    detail::mutex mutex;
    std::vector<http1_idle_connection> idle; // guarded by mutex; most recently used last
    detail::relaxed_atomic<std::size_t> opened{0};
    detail::relaxed_atomic<std::size_t> reused{0};
};
} // namespace detail

/// The built-in transport policy: HTTP/1.1 over plain TCP (http:// URLs only), with a
/// thread-safe keep-alive pool. One instance may be shared by any number of threads; each
/// send() uses its own connection for the duration of the exchange.
///
/// Error mapping (see trtc::transport_errc and may_have_reached_server()):
/// - https:// → unsupported_scheme; an unparsable URL → invalid_url;
/// - resolution failure → dns_failure; refused / unreachable → connect_refused; no connection
///   within the connect timeout or the deadline → connect_timeout;
/// - the request not written in full (error, or the deadline) → send_failed;
/// - after the whole request was written: the deadline → timeout_after_send; EOF or a reset
///   before a complete response → connection_closed; invalid HTTP → malformed_response; a body
///   over http1_options::max_response_bytes (or a header section over 64 KiB) →
///   response_too_large.
///
/// Any status (502 included) is a response, not an error. Error messages name host:port and
/// the path only, never the query (it carries the UserSig).
class http1_transport {
  public:
    /// A transport with the given options.
    explicit http1_transport(http1_options options = {})
        : state_(new detail::http1_transport_state(options)) {}
    /// Moves the pool; the moved-from transport only fails with local_failure.
    http1_transport(http1_transport&& o) noexcept : state_(o.state_) { o.state_ = nullptr; }
    /// Closes this transport's pool and takes the other's.
    http1_transport& operator=(http1_transport&& o) noexcept;
    http1_transport(const http1_transport&) = delete;
    http1_transport& operator=(const http1_transport&) = delete;
    /// Closes pooled connections.
    ~http1_transport() { delete state_; }

    /// The transport policy contract: sends `req` and waits at most until `deadline` for the
    /// whole response. Never resends (see the file comment).
    /// @return the status and de-chunked body of the final response, or a transport error.
    result<http_response> send(const http_request& req,
                               std::chrono::steady_clock::time_point deadline);

    /// Whether this transport can reach `url`: plain http:// only (basic_client::create() asks,
    /// so that an https:// location is refused at once).
    static result<void> accepts(const base_url& url);

    /// Connections opened so far.
    std::size_t connections_opened() const noexcept { return state_ ? state_->opened.load() : 0; }
    /// Requests sent on a reused (pooled) connection so far.
    std::size_t reused_requests() const noexcept { return state_ ? state_->reused.load() : 0; }
    /// Closes every pooled connection.
    void close_idle() noexcept;

  private:
    // A usable pooled connection for `key`, or an invalid one.
    detail::unique_fd take_idle(const std::string& key);

    void put_idle(std::string key, detail::unique_fd fd);

    result<detail::unique_fd> connect(const detail::url_parts& url, const std::string& what,
                                      std::chrono::steady_clock::time_point deadline);

    static error parse_error(const detail::http1_response_parser& p, const std::string& what,
                             const char* on);

    static error timeout_error(const detail::http1_response_parser& p, const std::string& what,
                               const char* on);

    detail::http1_transport_state* state_ = nullptr;
};

#    if TRTC_DEFINITIONS

namespace detail {

TRTC_DECL void unique_fd::reset(int fd) noexcept {
    if (fd_ >= 0) (void)::close(fd_);
    fd_ = fd;
}

// strerror_r comes in two flavours (XSI returns int, GNU returns char*); accept both.
inline const char* strerror_pick(int rc, const char* buf) noexcept {
    return rc == 0 ? buf : "unknown error";
}
inline const char* strerror_pick(const char* r, const char*) noexcept {
    return r;
}

TRTC_DECL std::string errno_text(int e) {
    char buf[256] = {};
    return strerror_pick(::strerror_r(e, buf, sizeof buf), buf);
}

TRTC_DECL bool prepare_socket_fd(int fd) noexcept {
    int fdflags = ::fcntl(fd, F_GETFD);
    if (fdflags < 0 || ::fcntl(fd, F_SETFD, fdflags | FD_CLOEXEC) < 0) return false;
    int flags = ::fcntl(fd, F_GETFL);
    if (flags < 0 || ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) return false;
#        if defined(SO_NOSIGPIPE)
    int one = 1;
    if (::setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, sizeof one) < 0) return false;
#        endif
    return true;
}

TRTC_DECL unique_fd open_stream_socket(int family) noexcept {
    int type = SOCK_STREAM;
#        if defined(SOCK_CLOEXEC)
    type |= SOCK_CLOEXEC; // no window in which a concurrent fork+exec inherits it
#        endif
    unique_fd fd(::socket(family, type, 0));
    if (!fd) return fd;
    if (!prepare_socket_fd(fd.get())) {
        int e = errno;
        fd.reset();
        errno = e;
    }
    return fd;
}

TRTC_DECL int poll_until(pollfd* fds, nfds_t n, std::chrono::steady_clock::time_point deadline) {
    using namespace std::chrono;
    while (true) {
        auto now = steady_clock::now();
        int ms = 0;
        if (deadline > now) {
            auto left = ceil<milliseconds>(deadline - now).count();
            ms = left > INT_MAX ? INT_MAX : static_cast<int>(left);
        }
        int rc = ::poll(fds, n, ms);
        if (rc > 0) return rc;
        if (rc < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        if (steady_clock::now() >= deadline) return 0;
    }
}

/// Waits until `fd` is ready for `events` or `deadline` (see poll_until()).
inline int wait_fd(int fd, short events, std::chrono::steady_clock::time_point deadline) {
    pollfd p{};
    p.fd = fd;
    p.events = events;
    return poll_until(&p, 1, deadline);
}

TRTC_DECL int write_all(int fd, std::string_view data,
                        std::chrono::steady_clock::time_point deadline, std::size_t& written) {
    written = 0;
    while (written < data.size()) {
        ssize_t n = ::send(fd, data.data() + written, data.size() - written, socket_send_flags);
        if (n > 0) {
            written += static_cast<std::size_t>(n);
            if (written < data.size() && std::chrono::steady_clock::now() >= deadline)
                return ETIMEDOUT;
            continue;
        }
        if (n == 0) return EPIPE;
        int e = errno;
        if (e == EINTR) continue;
        if (e != EAGAIN && e != EWOULDBLOCK) return e;
        int rc = wait_fd(fd, POLLOUT, deadline);
        if (rc == 0) return ETIMEDOUT;
        if (rc < 0) return errno;
        // Ready, or POLLERR/POLLHUP: the next send() reports the error.
    }
    return 0;
}

/// Whether an idle keep-alive connection is still usable: open, and with nothing to read
/// (readable means EOF, a reset, or bytes nobody asked for: all make it unusable).
inline bool idle_connection_usable(int fd) noexcept {
    pollfd p{};
    p.fd = fd;
    p.events = POLLIN;
    int rc;
    do rc = ::poll(&p, 1, 0);
    while (rc < 0 && errno == EINTR);
    if (rc == 0) return true;
    if (rc < 0 || (p.revents & (POLLERR | POLLHUP | POLLNVAL))) return false;
    char c;
    ssize_t n;
    do n = ::recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);
    while (n < 0 && errno == EINTR);
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

} // namespace detail

TRTC_DECL http1_transport& http1_transport::operator=(http1_transport&& o) noexcept {
    if (this != &o) {
        delete state_;
        state_ = o.state_;
        o.state_ = nullptr;
    }
    return *this;
}

TRTC_DECL result<void> http1_transport::accepts(const base_url& url) {
    if (!url.is_https()) return {};
    return error(errc::invalid_url,
                 "the built-in transport speaks plain http:// only; for https:// use "
                 "trtc::https_client from trtc/adapters/curl.hpp (libcurl)");
}

TRTC_DECL result<http_response>
http1_transport::send(const http_request& req, std::chrono::steady_clock::time_point deadline) {
    if (!state_) return error{transport_errc::local_failure, "moved-from http1_transport"};
    detail::url_parts url;
    if (!detail::split_url(req.url, url))
        return error{transport_errc::invalid_url,
                     "the URL is not an absolute http:// URL (http://host[:port]/path)"};
    if (url.scheme != "http")
        return error{transport_errc::unsupported_scheme,
                     "https:// needs TLS, which trtc::http1_transport does not do: use the "
                     "libcurl transport from trtc/adapters/curl.hpp"};
    std::string_view method = req.method.empty() ? std::string_view("POST") : req.method;
    if (!detail::is_token(method))
        return error{transport_errc::local_failure, "invalid HTTP method"};

    std::string key = detail::http1_host_port(url);
    // For messages: the method, host:port and the path, never the query (it has the UserSig).
    std::string what = detail::http1_describe(method, key, url.target);

    std::string wire;
    detail::http1_append_request(wire, method, url, key, req.headers(), req.body);

    if (std::chrono::steady_clock::now() >= deadline)
        return error{transport_errc::connect_timeout,
                     what + ": the deadline passed before connecting"};

    detail::unique_fd fd = take_idle(key);
    bool reused = static_cast<bool>(fd);
    if (reused) {
        state_->reused.fetch_add(1);
    } else {
        result<detail::unique_fd> c = connect(url, what, deadline);
        if (!c) return std::move(c).error();
        fd = std::move(*c);
        state_->opened.fetch_add(1);
    }
    const char* on = reused ? " (on a reused keep-alive connection)" : "";

    std::size_t written = 0;
    if (int e = detail::write_all(fd.get(), wire, deadline, written)) {
        std::string msg = what + ": ";
        msg += e == ETIMEDOUT ? "the deadline passed while writing the request"
                              : "writing the request failed: " + detail::errno_text(e);
        msg += " (" + std::to_string(written) + " of " + std::to_string(wire.size()) +
               " bytes written)";
        return error{transport_errc::send_failed, msg + on};
    }

    detail::http1_limits limits;
    limits.max_body = state_->options.max_response_bytes;
    detail::http1_response_parser parser(limits);
    bool stray_bytes = false;
    char buf[16384];
    while (true) {
        ssize_t n = ::recv(fd.get(), buf, sizeof buf, 0);
        if (n > 0) {
            std::size_t consumed = 0;
            auto st = parser.feed(std::string_view(buf, static_cast<std::size_t>(n)), consumed);
            if (st == detail::http1_status::complete) {
                stray_bytes = consumed < static_cast<std::size_t>(n);
                break;
            }
            if (st == detail::http1_status::error) return parse_error(parser, what, on);
            if (std::chrono::steady_clock::now() >= deadline)
                return timeout_error(parser, what, on);
            continue;
        }
        if (n == 0) {
            if (parser.finish() == detail::http1_status::complete) break;
            return error{transport_errc::connection_closed,
                         what + ": the server closed the connection after " +
                             std::to_string(parser.bytes_consumed()) +
                             " response bytes, before a complete response" + on};
        }
        int e = errno;
        if (e == EINTR) continue;
        if (e == EAGAIN || e == EWOULDBLOCK) {
            int rc = detail::wait_fd(fd.get(), POLLIN, deadline);
            if (rc == 0) return timeout_error(parser, what, on);
            if (rc < 0)
                return error{transport_errc::connection_closed,
                             what + ": poll failed: " + detail::errno_text(errno)};
            continue;
        }
        return error{transport_errc::connection_closed,
                     what + ": reading the response failed: " + detail::errno_text(e) + " after " +
                         std::to_string(parser.bytes_consumed()) + " response bytes" + on};
    }

    if (parser.keep_alive() && !stray_bytes) put_idle(std::move(key), std::move(fd));
    return http_response{parser.status_code(), parser.take_body()};
}

TRTC_DECL void http1_transport::close_idle() noexcept {
    if (!state_) return;
    std::vector<detail::http1_idle_connection> dropped;
    {
        detail::lock_guard lock(state_->mutex);
        dropped.swap(state_->idle);
    }
    // `dropped` closes them outside the lock.
}

TRTC_DECL detail::unique_fd http1_transport::take_idle(const std::string& key) {
    while (true) {
        detail::http1_idle_connection c;
        {
            detail::lock_guard lock(state_->mutex);
            auto& idle = state_->idle;
            std::size_t i = idle.size();
            while (i > 0 && idle[i - 1].key != key) --i;
            if (i == 0) return {};
            c = std::move(idle[i - 1]);
            idle.erase(idle.begin() + static_cast<std::ptrdiff_t>(i - 1));
        }
        if (std::chrono::steady_clock::now() - c.since > state_->options.idle_timeout)
            continue; // too old: closed by c's destructor
        if (!detail::idle_connection_usable(c.fd.get())) continue;
        return std::move(c.fd);
    }
}

TRTC_DECL void http1_transport::put_idle(std::string key, detail::unique_fd fd) {
    const auto now = std::chrono::steady_clock::now();
    std::vector<detail::http1_idle_connection> dropped; // closed outside the lock
    detail::lock_guard lock(state_->mutex);
    auto& idle = state_->idle;
    std::size_t same = 0;
    for (std::size_t i = 0; i < idle.size();) {
        if (now - idle[i].since > state_->options.idle_timeout) {
            dropped.push_back(std::move(idle[i]));
            idle.erase(idle.begin() + static_cast<std::ptrdiff_t>(i));
            continue;
        }
        if (idle[i].key == key) ++same;
        ++i;
    }
    if (same >= state_->options.max_idle_connections) return; // fd closes on return
    idle.push_back(detail::http1_idle_connection{std::move(key), std::move(fd), now});
}

TRTC_DECL result<detail::unique_fd>
http1_transport::connect(const detail::url_parts& url, const std::string& what,
                         std::chrono::steady_clock::time_point deadline) {
    using clock = std::chrono::steady_clock;
    std::string host(url.host);
    std::string port = std::to_string(url.port);
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV | (url.ipv6_literal ? AI_NUMERICHOST : 0);
    addrinfo* list = nullptr;
    int rc = ::getaddrinfo(host.c_str(), port.c_str(), &hints, &list);
    if (rc != 0) {
        std::string why = rc == EAI_SYSTEM ? detail::errno_text(errno) : ::gai_strerror(rc);
        return error{rc == EAI_MEMORY ? transport_errc::local_failure : transport_errc::dns_failure,
                     what + ": cannot resolve " + host + ": " + why};
    }
    struct freer {
        addrinfo* p;
        ~freer() { ::freeaddrinfo(p); }
    } free_list{list};

    auto connect_deadline = clock::now() + state_->options.connect_timeout;
    std::string timed_out = "no connection within the connect timeout (" +
                            std::to_string(state_->options.connect_timeout.count()) + " ms)";
    if (deadline < connect_deadline) {
        connect_deadline = deadline;
        timed_out = "no connection before the deadline";
    }
    transport_errc code = transport_errc::connect_refused;
    std::string why = "no usable address";
    for (addrinfo* ai = list; ai; ai = ai->ai_next) {
        if (clock::now() >= connect_deadline) {
            code = transport_errc::connect_timeout;
            why = timed_out;
            break;
        }
        detail::unique_fd fd = detail::open_stream_socket(ai->ai_family);
        if (!fd) {
            int e = errno;
            if (e == EAFNOSUPPORT || e == EPROTONOSUPPORT) continue; // try the next family
            code = transport_errc::local_failure;
            why = "cannot create a socket: " + detail::errno_text(e);
            continue;
        }
        int one = 1;
        (void)::setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        int e = 0;
        if (::connect(fd.get(), ai->ai_addr, ai->ai_addrlen) != 0) {
            e = errno;
            if (e == EINPROGRESS || e == EINTR) {
                int w = detail::wait_fd(fd.get(), POLLOUT, connect_deadline);
                if (w == 0) {
                    code = transport_errc::connect_timeout;
                    why = timed_out;
                    break; // no time left for another address
                }
                if (w < 0) {
                    e = errno;
                } else {
                    socklen_t len = sizeof e;
                    if (::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &e, &len) != 0) e = errno;
                }
            }
        }
        if (e == 0) return fd;
        why = detail::errno_text(e);
        if (e == ETIMEDOUT)
            code = transport_errc::connect_timeout;
        else if (e == EMFILE || e == ENFILE || e == ENOBUFS || e == ENOMEM)
            code = transport_errc::local_failure;
        else
            code = transport_errc::connect_refused;
    }
    return error{code, what + ": cannot connect: " + why};
}

TRTC_DECL error http1_transport::parse_error(const detail::http1_response_parser& p,
                                             const std::string& what, const char* on) {
    bool too_large = p.error() == detail::http1_error::body_too_large ||
                     p.error() == detail::http1_error::header_too_large;
    return error{too_large ? transport_errc::response_too_large
                           : transport_errc::malformed_response,
                 what + ": " + std::string(p.error_message()) + on};
}

TRTC_DECL error http1_transport::timeout_error(const detail::http1_response_parser& p,
                                               const std::string& what, const char* on) {
    return error{transport_errc::timeout_after_send,
                 what + ": no complete response before the deadline (" +
                     std::to_string(p.bytes_consumed()) + " response bytes received)" + on};
}

#    endif // TRTC_DEFINITIONS

TRTC_END_NAMESPACE

#endif // TRTC_HAS_POSIX_SOCKETS

#endif // TRTC_TRANSPORT_HTTP1_HPP
