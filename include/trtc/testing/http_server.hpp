// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief trtc::testing::http_server: a small loopback HTTP/1.1 server for tests and the
/// service emulator (keep-alive, one thread per connection, scripted misbehaviour).
#ifndef TRTC_TESTING_HTTP_SERVER_HPP
#define TRTC_TESTING_HTTP_SERVER_HPP

#include "../config.hpp"
#include "../detail/http1_parser.hpp"
#include "../detail/mutex.hpp"
#include "../errors.hpp"
#include "../result.hpp"
#include "../transport/http1.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <list>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

TRTC_BEGIN_NAMESPACE
namespace testing {

/// A request as the server received it.
struct server_request {
    /// The method ("POST").
    std::string method;
    /// The request target: path and query, as sent.
    std::string target;
    /// The header fields in arrival order.
    std::vector<std::pair<std::string, std::string>> headers;
    /// The body (de-chunked).
    std::string body;
    /// Which connection carried it: 0 for the first accepted, then 1, 2, ...
    std::size_t connection_id = 0;
    /// Its position on that connection: 0 for the first request, then 1, 2, ...
    std::size_t request_index_on_connection = 0;

    /// The first value of header `name` (case-insensitive); empty when absent.
    std::string header(std::string_view name) const {
        for (const auto& h : headers)
            if (detail::iequals(h.first, name)) return h.second;
        return {};
    }
};

/// What the handler wants done with a request.
struct server_reply {
    /// The action.
    enum class kind {
        /// Answer normally.
        respond,
        /// Close the connection without answering.
        close_without_answer,
        /// Send the headers with the full Content-Length but only half the body, then close.
        truncated_body,
    };
    kind action = kind::respond;
    /// The status code.
    int status = 200;
    /// The Content-Type (omitted when empty).
    std::string content_type = "application/json";
    /// The body.
    std::string body;
    /// Wait this long before acting (a slow answer); cut short, without an answer, when the
    /// server stops.
    std::chrono::milliseconds delay{0};
    /// Answer with `Connection: close`, then close the connection.
    bool close_after = false;
    /// Send the body with chunked transfer coding (in a few chunks, with a chunk extension and
    /// a trailer field) instead of Content-Length.
    bool chunked = false;
};

/// Options of http_server.
struct http_server_options {
    /// The address to bind: an IPv4 or IPv6 literal ("127.0.0.1", "::1").
    std::string address = "127.0.0.1";
    /// The port; 0 picks a free ephemeral one (see http_server::port()).
    std::uint16_t port = 0;
    /// The most connections open at once. A connection accepted beyond it sheds the idlest open
    /// connection (the one not running the handler whose current wait, for its next request,
    /// for the rest of its request or for its client to read, began first); when every
    /// connection is running the handler, the one whose handler began first is closed once its
    /// answer is written (a handler is never cut short, nor its answer lost), and the new one
    /// is served meanwhile. Connections never wait in the listen backlog behind busy ones.
    std::size_t max_connections = 64;
    /// The most body bytes of a request (more is answered 413 and the connection closed).
    std::size_t max_request_body = 1 << 20;
    /// Close a keep-alive connection that waits this long for its next request (0: never).
    std::chrono::milliseconds idle_timeout{30000};
    /// Close a connection whose request head (start line and header fields) has not all arrived
    /// this long after its first byte (0: no limit).
    std::chrono::milliseconds header_timeout{10000};
    /// Close a connection whose whole request (head and body) has not arrived this long after
    /// its first byte (0: no limit).
    std::chrono::milliseconds request_timeout{30000};
    /// Close a connection whose client has not taken an answer (or a part of it) this long
    /// after it was ready to send (0: no limit).
    std::chrono::milliseconds write_timeout{10000};
};

} // namespace testing

namespace detail {

/// The reason phrase for a status code.
inline const char* reason_phrase(int status) noexcept {
    switch (status) {
    case 100:
        return "Continue";
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 204:
        return "No Content";
    case 304:
        return "Not Modified";
    case 400:
        return "Bad Request";
    case 404:
        return "Not Found";
    case 413:
        return "Content Too Large";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    default:
        return "Status";
    }
}

/// The state of a trtc::testing::http_server, shared with its threads.
struct http_server_state {
    using server_request = testing::server_request;
    using server_reply = testing::server_reply;
    using handler_type = std::function<server_reply(const server_request&)>;

    struct worker {
        std::thread thread;
        bool done = false; // guarded by mutex
        int fd = -1;       // guarded by mutex; -1 once closed
        bool busy = false; // guarded by mutex: running the handler (not to be shed)
        bool shed = false; // guarded by mutex: shut down to make room (or, busy, once answered)
        std::chrono::steady_clock::time_point since{}; // guarded by mutex: current wait began
    };

    handler_type handler;
    testing::http_server_options options;
    unique_fd listener;
    unique_fd stop_read;  // readable once stop() was called
    unique_fd stop_write; // stop() writes one byte here
    std::uint16_t port = 0;
    std::atomic<bool> stopping{false};
    std::atomic<std::size_t> served{0};
    std::atomic<std::size_t> accepted{0};
    std::atomic<std::size_t> active{0};
    detail::mutex mutex;
    detail::condition_variable slot_freed;
    std::list<worker> workers; // guarded by mutex
    std::thread acceptor;

    // Waits until `fd` is ready for `events`, the server stops, or `deadline`. 1: ready,
    // 0: deadline, -1: stopping or failure.
    int wait(int fd, short events, std::chrono::steady_clock::time_point deadline) {
        pollfd p[2] = {};
        p[0].fd = stop_read.get();
        p[0].events = POLLIN;
        p[1].fd = fd;
        p[1].events = events;
        nfds_t n = fd >= 0 ? 2 : 1;
        int rc = poll_until(p, n, deadline);
        if (rc == 0) return 0;
        if (rc < 0 || p[0].revents != 0) return -1;
        return 1;
    }

    // Marks `w` busy (running the handler) or waiting since now.
    void set_busy(worker* w, bool busy) {
        lock_guard lock(mutex);
        w->busy = busy;
        w->since = std::chrono::steady_clock::now();
    }

    static std::chrono::steady_clock::time_point after(std::chrono::milliseconds d) {
        if (d.count() <= 0) return (std::chrono::steady_clock::time_point::max)();
        return std::chrono::steady_clock::now() + d;
    }

    // True when the client has closed or reset its side: a request then waiting is not run.
    static bool peer_gone(int fd) {
        pollfd p{};
        p.fd = fd;
#ifdef POLLRDHUP
        p.events = POLLIN | POLLRDHUP;
#else
        p.events = POLLIN;
#endif
        if (::poll(&p, 1, 0) <= 0) return false;
        if (p.revents & (POLLHUP | POLLERR)) return true;
#ifdef POLLRDHUP
        if (p.revents & POLLRDHUP) return true;
#endif
        if (p.revents & POLLIN) {
            char c;
            ssize_t n = ::recv(fd, &c, 1, MSG_PEEK);
            if (n == 0) return true;
            if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) return true;
        }
        return false;
    }

    // Writes all of `data` within options.write_timeout of each stall.
    bool write_all(int fd, std::string_view data) {
        std::size_t off = 0;
        while (off < data.size()) {
            ssize_t n = ::send(fd, data.data() + off, data.size() - off, socket_send_flags);
            if (n > 0) {
                off += static_cast<std::size_t>(n);
                continue;
            }
            if (n < 0 && errno == EINTR) continue;
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
                if (wait(fd, POLLOUT, after(options.write_timeout)) != 1) return false;
                continue;
            }
            return false;
        }
        return true;
    }

    static std::string head(int status, std::string_view extra) {
        std::string out = "HTTP/1.1 " + std::to_string(status) + " " + reason_phrase(status);
        out += "\r\n";
        out += extra;
        out += "\r\n";
        return out;
    }

    // Acts on `reply`; false when the connection must be closed.
    bool answer(int fd, const server_reply& reply, bool client_keep_alive, worker* self) {
        using kind = server_reply::kind;
        if (reply.delay.count() > 0 &&
            wait(-1, 0, std::chrono::steady_clock::now() + reply.delay) != 0)
            return false; // stopping
        if (reply.action == kind::close_without_answer) return false;
        bool close = reply.close_after || !client_keep_alive;
        std::string fields;
        if (!reply.content_type.empty()) fields += "Content-Type: " + reply.content_type + "\r\n";
        bool no_body = reply.status == 204 || reply.status == 304;
        std::string body;
        if (reply.action == kind::truncated_body) {
            fields += "Content-Length: " + std::to_string(reply.body.size()) + "\r\n";
            body = reply.body.substr(0, reply.body.size() / 2);
            close = true;
        } else if (no_body) {
        } else if (reply.chunked) {
            fields += "Transfer-Encoding: chunked\r\n";
            std::size_t piece = reply.body.size() / 3 + 1;
            bool first = true;
            for (std::size_t off = 0; off < reply.body.size(); off += piece) {
                std::string_view part = std::string_view(reply.body).substr(off, piece);
                char hex[20];
                std::snprintf(hex, sizeof hex, "%zx", part.size());
                body += hex;
                if (first) body += ";trtc-ext=\"1\"";
                first = false;
                body += "\r\n";
                body += part;
                body += "\r\n";
            }
            body += "0\r\nX-Trtc-Trailer: done\r\n\r\n";
        } else {
            fields += "Content-Length: " + std::to_string(reply.body.size()) + "\r\n";
            body = reply.body;
        }
        if (close && reply.action == kind::respond) fields += "Connection: close\r\n";
        set_busy(self, false); // from now on it waits for its client to read: it may be shed
        if (!write_all(fd, head(reply.status, fields) + body)) return false;
        return !close;
    }

    void serve(unique_fd fd, std::size_t id, worker* self) {
        http1_limits limits;
        limits.max_body = options.max_request_body;
        http1_request_parser parser(limits);
        std::string pending; // bytes received but not parsed yet (pipelining)
        std::size_t index = 0;
        bool continue_sent = false;
        char buf[16384];
        // When the current request's first byte arrived (max: waiting for it).
        auto request_started = (std::chrono::steady_clock::time_point::max)();
        auto idle_since = std::chrono::steady_clock::now();
        while (!stopping.load()) {
            std::size_t used = 0;
            http1_status st = parser.feed(pending, used);
            pending.erase(0, used);
            if (st == http1_status::error) {
                int status = parser.error() == http1_error::body_too_large ? 413 : 400;
                (void)write_all(fd.get(),
                                head(status, "Content-Length: 0\r\nConnection: close\r\n"));
                break;
            }
            if (st == http1_status::complete) {
                server_request req;
                req.method = parser.method();
                req.target = parser.target();
                req.headers = parser.headers();
                req.body = parser.take_body();
                req.connection_id = id;
                req.request_index_on_connection = index++;
                bool keep_alive = parser.keep_alive();
                if (peer_gone(fd.get())) break; // nobody waits for it
                set_busy(self, true);
                server_reply reply = handler(req);
                served.fetch_add(1);
                bool more = answer(fd.get(), reply, keep_alive, self);
                set_busy(self, false);
                if (!more || is_shed(self)) break; // shed while it ran the handler: now it goes
                parser.reset();
                continue_sent = false;
                request_started = (std::chrono::steady_clock::time_point::max)();
                idle_since = std::chrono::steady_clock::now();
                continue;
            }
            if (parser.headers_complete() && parser.expects_continue() && !continue_sent) {
                continue_sent = true;
                if (!write_all(fd.get(), head(100, ""))) break;
            }
            auto deadline = (std::chrono::steady_clock::time_point::max)();
            if (request_started == (std::chrono::steady_clock::time_point::max)() &&
                (parser.bytes_consumed() > 0 || !pending.empty())) {
                request_started = std::chrono::steady_clock::now();
                set_busy(self, false); // the wait for this request's rest begins
            }
            if (request_started == (std::chrono::steady_clock::time_point::max)()) {
                if (options.idle_timeout.count() > 0) deadline = idle_since + options.idle_timeout;
            } else {
                if (options.request_timeout.count() > 0)
                    deadline = request_started + options.request_timeout;
                if (!parser.headers_complete() && options.header_timeout.count() > 0)
                    deadline = (std::min)(deadline, request_started + options.header_timeout);
            }
            if (deadline <= std::chrono::steady_clock::now()) break; // too slow
            ssize_t n = ::recv(fd.get(), buf, sizeof buf, 0);
            if (n > 0) {
                pending.append(buf, static_cast<std::size_t>(n));
                continue;
            }
            if (n == 0) break;
            if (errno == EINTR) continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK) break;
            if (wait(fd.get(), POLLIN, deadline) != 1) break; // a deadline passed or stopping
        }
        {
            lock_guard lock(mutex);
            self->fd = -1; // not to be shut down by the acceptor once its number is reused
        }
        fd.reset();
        lock_guard lock(mutex);
        self->done = true;
        active.fetch_sub(1);
        slot_freed.notify_all();
    }

    bool is_shed(worker* w) {
        lock_guard lock(mutex);
        return w->shed;
    }

    // Shuts down the open connection that is not running the handler and whose current wait
    // began first; when every one is running the handler, marks the one whose handler began
    // first, which closes once it has written its answer. False when there is none to shed.
    bool shed_one() {
        lock_guard lock(mutex);
        worker* victim = nullptr;
        worker* oldest_busy = nullptr;
        for (auto& w : workers) {
            if (w.done || w.shed || w.fd < 0) continue;
            worker*& pick = w.busy ? oldest_busy : victim;
            if (!pick || w.since < pick->since) pick = &w;
        }
        if (!victim) {
            if (!oldest_busy) return false;
            oldest_busy->shed = true; // serve() closes it after this answer
            return true;
        }
        victim->shed = true;
        (void)::shutdown(victim->fd, SHUT_RDWR); // wakes its thread, which then closes it
        return true;
    }

    // Counts the connections open and not yet shed.
    std::size_t unshed() {
        lock_guard lock(mutex);
        std::size_t n = 0;
        for (auto& w : workers)
            if (!w.done && !w.shed) ++n;
        return n;
    }

    void accept_loop() {
        while (!stopping.load()) {
            reap();
            int rc = wait(listener.get(), POLLIN, (std::chrono::steady_clock::time_point::max)());
            if (rc != 1) break;
            int c = ::accept(listener.get(), nullptr, nullptr);
            if (c < 0) {
                int e = errno;
                if (e == EMFILE || e == ENFILE || e == ENOBUFS || e == ENOMEM)
                    (void)wait(-1, 0,
                               std::chrono::steady_clock::now() + std::chrono::milliseconds(10));
                continue; // EINTR, EAGAIN, ECONNABORTED, ...
            }
            unique_fd fd(c);
            if (!prepare_socket_fd(c)) continue;
            if (unshed() >= options.max_connections && !shed_one()) {
                // None to shed (none open and not shed already): refuse this one at once.
                static const char busy[] = "HTTP/1.1 503 Service Unavailable\r\n"
                                           "Content-Length: 0\r\nConnection: close\r\n\r\n";
                (void)::send(c, busy, sizeof busy - 1, socket_send_flags);
                continue;
            }
            {
                // Shed connections close promptly; keep the threads bounded meanwhile.
                unique_lock lock(mutex);
                slot_freed.wait(lock, [&] {
                    return stopping.load() || active.load() < 2 * options.max_connections;
                });
                if (stopping.load()) break;
            }
            std::size_t id = accepted.fetch_add(1);
            active.fetch_add(1);
            lock_guard lock(mutex);
            workers.emplace_back();
            worker* w = &workers.back();
            w->fd = c;
            w->since = std::chrono::steady_clock::now();
            w->thread = std::thread([this, id, w](unique_fd f) { serve(std::move(f), id, w); },
                                    std::move(fd));
        }
    }

    // Joins the workers that have finished.
    void reap() {
        std::list<worker> finished;
        {
            lock_guard lock(mutex);
            for (auto it = workers.begin(); it != workers.end();) {
                auto next = std::next(it);
                if (it->done) finished.splice(finished.end(), workers, it);
                it = next;
            }
        }
        for (auto& w : finished) w.thread.join();
    }

    void stop() noexcept {
        {
            lock_guard lock(mutex);
            if (stopping.exchange(true)) return;
        }
        slot_freed.notify_all();
        char x = 1;
        ssize_t n;
        do n = ::write(stop_write.get(), &x, 1);
        while (n < 0 && errno == EINTR);
        if (acceptor.joinable()) acceptor.join();
        listener.reset(); // new connection attempts are refused from now on
        std::list<worker> all;
        {
            lock_guard lock(mutex);
            all.swap(workers);
        }
        for (auto& w : all)
            if (w.thread.joinable()) w.thread.join();
    }
};

} // namespace detail

namespace testing {

/// A loopback HTTP/1.1 server. Every connection gets its own thread that reads requests
/// (keep-alive, `Connection: close` honoured, `Expect: 100-continue` answered), calls the
/// handler, and acts on its server_reply. Movable; stop() (also run by the destructor) closes
/// the listener and every connection and joins every thread. The handler runs on connection
/// threads, possibly concurrently: it must be thread-safe, must not throw, must return (use
/// server_reply::delay for slow answers, which stop() cuts short), and must not call stop().
/// Abusive clients are bounded by http_server_options: idle, head, request and write deadlines,
/// and a connection limit that sheds the idlest connection; a request whose client has closed
/// its side is not handed to the handler.
class http_server {
  public:
    /// The handler type.
    using handler_type = std::function<server_reply(const server_request&)>;

    /// Binds, listens and starts accepting.
    /// @return the running server, or an error (transport_errc::local_failure, or
    /// errc::invalid_argument for an empty handler or an unusable address).
    static result<http_server> create(handler_type handler, http_server_options options = {}) {
        if (!handler) return error{errc::invalid_argument, "http_server needs a handler"};
        if (options.max_connections == 0)
            return error{errc::invalid_argument, "max_connections must be at least 1"};
        sockaddr_storage ss{};
        socklen_t len = 0;
        int family = AF_INET;
        auto* v4 = reinterpret_cast<sockaddr_in*>(&ss);
        auto* v6 = reinterpret_cast<sockaddr_in6*>(&ss);
        if (::inet_pton(AF_INET, options.address.c_str(), &v4->sin_addr) == 1) {
            v4->sin_family = AF_INET;
            v4->sin_port = htons(options.port);
            len = sizeof *v4;
        } else if (::inet_pton(AF_INET6, options.address.c_str(), &v6->sin6_addr) == 1) {
            family = AF_INET6;
            v6->sin6_family = AF_INET6;
            v6->sin6_port = htons(options.port);
            len = sizeof *v6;
        } else {
            return error{errc::invalid_argument,
                         "http_server: not an IP address: " + options.address};
        }

        auto s = std::make_unique<detail::http_server_state>();
        s->handler = std::move(handler);
        s->options = std::move(options);
        auto fail = [](const char* what) {
            return error{transport_errc::local_failure,
                         std::string("http_server: ") + what + ": " + detail::errno_text(errno)};
        };
        s->listener = detail::open_stream_socket(family);
        if (!s->listener) return fail("socket");
        int one = 1;
        (void)::setsockopt(s->listener.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (::bind(s->listener.get(), reinterpret_cast<sockaddr*>(&ss), len) != 0)
            return fail("bind");
        if (::listen(s->listener.get(), 128) != 0) return fail("listen");
        sockaddr_storage bound{};
        socklen_t blen = sizeof bound;
        if (::getsockname(s->listener.get(), reinterpret_cast<sockaddr*>(&bound), &blen) != 0)
            return fail("getsockname");
        s->port = ntohs(family == AF_INET ? reinterpret_cast<sockaddr_in*>(&bound)->sin_port
                                          : reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port);
        int p[2];
        if (::pipe(p) != 0) return fail("pipe");
        s->stop_read.reset(p[0]);
        s->stop_write.reset(p[1]);
        if (!detail::prepare_socket_fd(p[0]) || !detail::prepare_socket_fd(p[1])) {
            // SO_NOSIGPIPE fails on a pipe on some systems: set only the descriptor flags.
            for (int fd : p) {
                (void)::fcntl(fd, F_SETFD, FD_CLOEXEC);
                (void)::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
            }
        }
        detail::http_server_state* raw = s.get();
        s->acceptor = std::thread([raw] { raw->accept_loop(); });
        return http_server(std::move(s));
    }

    http_server(http_server&&) noexcept = default;
    /// Stops this server, then takes the other's.
    http_server& operator=(http_server&& o) noexcept {
        if (this != &o) {
            stop();
            state_ = std::move(o.state_);
        }
        return *this;
    }
    http_server(const http_server&) = delete;
    http_server& operator=(const http_server&) = delete;
    /// Stops the server.
    ~http_server() { stop(); }

    /// The port listened on.
    std::uint16_t port() const noexcept { return state_ ? state_->port : 0; }
    /// `http://ADDRESS:PORT` followed by `path` (IPv6 addresses in brackets).
    std::string url(std::string_view path = "/") const {
        if (!state_) return {};
        const std::string& a = state_->options.address;
        std::string host = a.find(':') != std::string::npos ? "[" + a + "]" : a;
        return "http://" + host + ":" + std::to_string(state_->port) + std::string(path);
    }
    /// Requests answered (or acted on) so far; counted before the answer is written.
    std::size_t requests_served() const noexcept { return state_ ? state_->served.load() : 0; }
    /// Connections accepted so far.
    std::size_t connections_accepted() const noexcept {
        return state_ ? state_->accepted.load() : 0;
    }
    /// Connections open now.
    std::size_t active_connections() const noexcept { return state_ ? state_->active.load() : 0; }

    /// Closes the listener and every connection (cutting delays short) and joins every thread.
    /// Idempotent.
    void stop() noexcept {
        if (state_) state_->stop();
    }

  private:
    explicit http_server(std::shared_ptr<detail::http_server_state> s) : state_(std::move(s)) {}
    std::shared_ptr<detail::http_server_state> state_;
};

} // namespace testing
TRTC_END_NAMESPACE

#endif // TRTC_TESTING_HTTP_SERVER_HPP
