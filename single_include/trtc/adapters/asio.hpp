// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
//
// GENERATED FILE - DO NOT EDIT. It is trtc/adapters/asio.hpp assembled from include/ by
// tools/amalgamate.py; edit the files in include/ and run that script.
/// @file
/// @brief Opt-in adapter: trtc::asio_client, the asynchronous client (the call engine driven on
/// an Asio executor), and trtc::asio_transport, the asynchronous HTTP/1.1 transport it uses, on
/// standalone Asio (https:// through asio::ssl and OpenSSL, http:// for sidecars and the
/// emulator), with a keep-alive connection pool per host and a connection limit.
///
/// Link standalone Asio and OpenSSL's libssl (CMake: trtc::asio; meson:
/// dependency('trtc_battle-asio')). Tested with Asio 1.22.1 (Debian 12's libasio-dev) and
/// OpenSSL 3.0; it needs Asio's per-operation cancellation (Asio 1.19 or later: the header
/// refuses older ones) and OpenSSL 1.1.0 or later. With TRTC_ASIO_USE_BOOST defined it uses
/// Boost.Asio (Boost 1.77 or later) instead; that combination is untested (docs/asio.md).
///
/// Built with -fno-exceptions, Asio needs ASIO_NO_EXCEPTIONS (this header defines it when no
/// Asio header came first) and the program to define asio::detail::throw_exception (Asio's
/// documentation of ASIO_NO_EXCEPTIONS); this header does not define that function: the
/// transport calls only Asio's error_code overloads, so it is reached only on failures Asio
/// cannot report otherwise (creating the TLS context, or a thread, out of memory).
///
/// Retries: the transport never sends a request twice, like http1_transport. A pooled
/// connection is checked before use (still open, nothing unread, not idle longer than
/// asio_transport_options::idle_timeout; an idle connection the server closes is dropped from
/// the pool as soon as the close arrives), but the server may still close it at the same
/// moment. Then the failure is reported as it is: send_failed when the request could not be
/// written in full, connection_closed when it was (even with zero response bytes): the
/// request may have been acted on (create_battle is not idempotent); the caller decides.
#ifndef TRTC_ADAPTERS_ASIO_HPP
#define TRTC_ADAPTERS_ASIO_HPP

#include "../trtc.hpp"

// Standalone Asio learns that exceptions are off only from ASIO_NO_EXCEPTIONS (Boost.Asio from
// BOOST_NO_EXCEPTIONS, which Boost.Config sets): defined here when Asio was not included yet.
#if !defined(TRTC_ASIO_USE_BOOST) && !defined(ASIO_NO_EXCEPTIONS) &&                               \
    !(defined(__cpp_exceptions) || defined(__EXCEPTIONS) || defined(_CPPUNWIND))
#    if defined(ASIO_DETAIL_CONFIG_HPP)
#        error                                                                                     \
            "trtc/adapters/asio.hpp: built without exceptions, Asio needs ASIO_NO_EXCEPTIONS: define it for the whole program (or include this header before Asio's)"
#    endif
#    define ASIO_NO_EXCEPTIONS 1
#endif

#if defined(TRTC_ASIO_USE_BOOST)
#    include <boost/version.hpp>
#    if BOOST_VERSION < 107700
#        error                                                                                     \
            "trtc/adapters/asio.hpp with TRTC_ASIO_USE_BOOST needs Boost 1.77 or later (per-operation cancellation)"
#    endif
#    include <boost/asio/any_io_executor.hpp>
#    include <boost/asio/associated_cancellation_slot.hpp>
#    include <boost/asio/associated_executor.hpp>
#    include <boost/asio/async_result.hpp>
#    include <boost/asio/bind_cancellation_slot.hpp>
#    include <boost/asio/bind_executor.hpp>
#    include <boost/asio/cancellation_signal.hpp>
#    include <boost/asio/cancellation_type.hpp>
#    include <boost/asio/connect.hpp>
#    include <boost/asio/dispatch.hpp>
#    include <boost/asio/execution/outstanding_work.hpp>
#    include <boost/asio/io_context.hpp>
#    include <boost/asio/ip/tcp.hpp>
#    include <boost/asio/post.hpp>
#    include <boost/asio/prefer.hpp>
#    include <boost/asio/ssl/context.hpp>
#    include <boost/asio/ssl/error.hpp>
#    include <boost/asio/ssl/stream.hpp>
#    include <boost/asio/steady_timer.hpp>
#    include <boost/asio/strand.hpp>
#    include <boost/asio/system_executor.hpp>
#    include <boost/asio/write.hpp>
#else
#    include <asio/version.hpp>
#    if ASIO_VERSION < 101900
#        error "trtc/adapters/asio.hpp needs Asio 1.19 or later (per-operation cancellation)"
#    endif
#    include <asio/any_io_executor.hpp>
#    include <asio/associated_cancellation_slot.hpp>
#    include <asio/associated_executor.hpp>
#    include <asio/async_result.hpp>
#    include <asio/bind_cancellation_slot.hpp>
#    include <asio/bind_executor.hpp>
#    include <asio/cancellation_signal.hpp>
#    include <asio/cancellation_type.hpp>
#    include <asio/connect.hpp>
#    include <asio/dispatch.hpp>
#    include <asio/execution/outstanding_work.hpp>
#    include <asio/io_context.hpp>
#    include <asio/ip/tcp.hpp>
#    include <asio/post.hpp>
#    include <asio/prefer.hpp>
#    include <asio/ssl/context.hpp>
#    include <asio/ssl/error.hpp>
#    include <asio/ssl/stream.hpp>
#    include <asio/steady_timer.hpp>
#    include <asio/strand.hpp>
#    include <asio/system_executor.hpp>
#    include <asio/write.hpp>
#endif

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

// Asio's cancellation_signal has a member named emit, which Qt's `#define emit` (empty) would
// erase from the calls below: the macro is set aside for this header and put back at its end.
#if defined(emit)
#    pragma push_macro("emit")
#    undef emit
#    define TRTC_ASIO_RESTORE_EMIT 1
#endif

TRTC_BEGIN_NAMESPACE
namespace detail {
#if defined(TRTC_ASIO_USE_BOOST)
namespace asio_net = ::boost::asio;
using asio_error_code = ::boost::system::error_code;
#else
namespace asio_net = ::asio;
using asio_error_code = ::asio::error_code;
#endif

/// `Executor` with outstanding work tracked: while a copy lives, the io_context it belongs to
/// does not run out of work (what executor_work_guard does for the old executor model, and
/// what works for the new one, strands of any_io_executor included).
template <class Executor>
using asio_tracked_executor = std::decay_t<decltype(asio_net::prefer(
    std::declval<const Executor&>(), asio_net::execution::outstanding_work.tracked))>;

template <class Executor>
asio_tracked_executor<Executor> asio_track_work(const Executor& ex) {
    return asio_net::prefer(ex, asio_net::execution::outstanding_work.tracked);
}
} // namespace detail

/// Options of asio_transport. They are fixed for the transport's lifetime.
struct asio_transport_options {
    /// The most connections open at once to one scheme://host:port (idle, busy and being
    /// opened); a send that finds none free waits, in the order sends arrived, bounded by its
    /// deadline. At least 1.
    std::size_t max_connections_per_host = 16;
    /// The most time to spend connecting (name resolution, TCP and the TLS handshake), within
    /// the deadline; 0 or less: the deadline alone. Keep it above the service's 3 s.
    std::chrono::milliseconds connect_timeout{3000};
    /// Idle keep-alive connections are closed after this long; 0 disables keep-alive reuse.
    std::chrono::milliseconds idle_timeout{30000};
    /// The most body bytes accepted in a response (the header section has its own 64 KiB
    /// limit); more is transport_errc::response_too_large.
    std::size_t max_response_bytes = 1 << 20;
    /// Verify the server's certificate chain and host name (an IP literal against the
    /// certificate's IP addresses). Never turn it off outside tests.
    bool verify_peer = true;
    /// A PEM bundle of trusted CA certificates; with ca_path also empty, the system store
    /// (SSL_CTX_set_default_verify_paths).
    std::string ca_file;
    /// A directory of hashed CA certificates (c_rehash); empty: not used.
    std::string ca_path;
};

namespace detail {

struct asio_transport_state;
class asio_op_base;

/// One connection of the pool: a TCP socket, or a TLS stream over one.
struct asio_connection {
    using tcp = asio_net::ip::tcp;
    using tls_stream = asio_net::ssl::stream<tcp::socket>;

    asio_connection(const asio_net::strand<asio_net::any_io_executor>& ex,
                    asio_net::ssl::context* tls_context)
        : tcp_socket(ex), idle_timer(ex) {
        if (tls_context != nullptr) tls.reset(new tls_stream(ex, *tls_context));
    }

    tcp::socket& socket() noexcept { return tls ? tls->next_layer() : tcp_socket; }

    /// Calls `f(stream)` with the stream to read and write: the TLS stream or the socket.
    template <class F>
    void with_stream(F&& f) {
        if (tls)
            f(*tls);
        else
            f(tcp_socket);
    }

    void close() noexcept {
        asio_error_code ec;
        idle_timer.cancel();
        socket().close(ec);
    }

    static constexpr std::size_t buffer_size = 16384;

    tcp::socket tcp_socket;            // unused (never opened) for TLS
    std::unique_ptr<tls_stream> tls;   // for https://
    asio_net::steady_timer idle_timer; // the idle timeout while pooled
    std::unique_ptr<char[]> buffer;    // for reading answers: per connection, not per send
    std::string key;                   // scheme://host:port
    std::uint64_t idle_epoch = 0;      // which idle period the pending idle handlers belong to
    bool idle = false;
    std::chrono::steady_clock::time_point idle_since;
};

/// The pool of one scheme://host:port.
struct asio_host {
    std::size_t open = 0;                               // connections idle, busy or being opened
    std::vector<std::shared_ptr<asio_connection>> idle; // most recently used last
    std::list<asio_op_base*> waiters;                   // oldest first
};

/// The state behind an asio_transport, shared with its operations. Everything but the
/// counters is touched on the strand only.
struct asio_transport_state : std::enable_shared_from_this<asio_transport_state> {
    asio_transport_state(const asio_net::any_io_executor& ex, asio_transport_options o)
        : executor(ex), strand(asio_net::make_strand(ex)), options(std::move(o)),
          tls_context(asio_net::ssl::context::tls_client) {
        if (options.max_connections_per_host == 0) options.max_connections_per_host = 1;
        setup_tls();
    }

    void setup_tls();

    asio_net::any_io_executor executor;
    asio_net::strand<asio_net::any_io_executor> strand;
    asio_transport_options options;
    asio_net::ssl::context tls_context;
    std::string tls_setup_error; // non-empty: https:// fails with tls_failure
    std::unordered_map<std::string, asio_host> hosts;
    std::list<asio_op_base*> active; // every operation started and not finished
    bool closed = false;
    std::atomic<std::size_t> opened{0};
    std::atomic<std::size_t> reused{0};
    std::atomic<std::size_t> peak{0};
};

/// One asio_transport::async_send, from its start on the strand to its completion. Owned by
/// the handlers of its pending asynchronous operations (its deadline timer always among them);
/// the transport's state holds plain pointers to it, which its destructor removes.
class asio_op_base : public std::enable_shared_from_this<asio_op_base> {
  public:
    using clock = std::chrono::steady_clock;

    /// How the operation hands its result over: a function of the derived class (a function
    /// pointer rather than a virtual function, so that no vtable is emitted in every user's
    /// translation unit, clang's -Wweak-vtables; the object is always owned through the
    /// make_shared of its derived type, which destroys it as that type).
    using deliver_fn = void (*)(asio_op_base&, result<http_response>);

    asio_op_base(std::shared_ptr<asio_transport_state> s, http_request req,
                 clock::time_point deadline, deliver_fn deliver_result)
        : state_(std::move(s)), req_(std::move(req)), deadline_(deadline), timer_(state_->strand),
          deliver_(deliver_result) {}
    asio_op_base(const asio_op_base&) = delete;
    asio_op_base& operator=(const asio_op_base&) = delete;

    /// On the strand: checks the request and starts it.
    void start();
    /// On the strand: a cancellation signal of type `t` arrived.
    void cancel(asio_net::cancellation_type t);
    /// On the strand: the transport is closing.
    void shut_down();

  protected:
    ~asio_op_base();

  private:
    /// Hands the result to the handler (once).
    void deliver(result<http_response> r) { deliver_(*this, std::move(r)); }

    enum class phase {
        created,
        queued,
        resolving,
        connecting,
        handshaking,
        writing,
        reading,
        done
    };
    enum class stop { none, deadline, connect_limit, cancelled, closed };

    void finish(result<http_response> r);
    void fail(transport_errc code, std::string why);
    void arm_timer(clock::time_point at);
    void on_timer(const asio_error_code& ec);
    void interrupt(stop why);
    void acquire();
    bool take_idle(asio_host& host);
    void open_connection();
    void on_resolved(const asio_error_code& ec, asio_net::ip::tcp::resolver::results_type results);
    void connect_to(const asio_net::ip::tcp::resolver::results_type& results);
    void on_connected(const asio_error_code& ec);
    void on_handshake(const asio_error_code& ec);
    void connection_ready();
    void write();
    void on_written(const asio_error_code& ec, std::size_t n);
    void read();
    void on_read(const asio_error_code& ec, std::size_t n);
    void stopped_error();
    void release(bool reusable);
    void leave_queue();
    std::string on_text() const { return reused_ ? " (on a reused keep-alive connection)" : ""; }

    std::shared_ptr<asio_transport_state> state_; // first: destroyed last
    http_request req_;
    clock::time_point deadline_;
    asio_net::steady_timer timer_;
    url_parts url_;
    std::string key_;  // scheme://host:port: the pool
    std::string what_; // for messages: method host:port/path, never the query
    std::string wire_;
    std::shared_ptr<asio_connection> conn_;
    std::unique_ptr<asio_net::ip::tcp::resolver> resolver_;
    std::unique_ptr<http1_response_parser> parser_;
    std::size_t written_ = 0;
    phase phase_ = phase::created;
    stop stop_ = stop::none;
    bool holds_slot_ = false; // counted in asio_host::open (with or without conn_ yet)
    bool reused_ = false;
    bool write_began_ = false;
    bool connect_limited_ = false; // the timer runs to the connect timeout, not the deadline
    bool in_active_ = false;
    bool in_queue_ = false;
    std::list<asio_op_base*>::iterator active_it_;
    std::list<asio_op_base*>::iterator queue_it_;
    deliver_fn deliver_;
};

/// The operation with its handler.
template <class Handler, class Executor>
class asio_op final : public asio_op_base {
  public:
    template <class H>
    asio_op(std::shared_ptr<asio_transport_state> s, http_request req, clock::time_point deadline,
            H&& h, const Executor& ex)
        : asio_op_base(std::move(s), std::move(req), deadline, &deliver_to_handler),
          handler_(std::forward<H>(h)), work_(asio_track_work(ex)),
          slot_(asio_net::get_associated_cancellation_slot(handler_)) {}

    /// The handler's cancellation slot (connected or not).
    asio_net::cancellation_slot slot() const noexcept { return slot_; }

  private:
    static void deliver_to_handler(asio_op_base& base, result<http_response> r) {
        static_cast<asio_op&>(base).deliver_result(std::move(r));
    }
    void deliver_result(result<http_response> r) {
        auto ex = work_;
        asio_net::dispatch(ex, [h = std::move(handler_), r = std::move(r), slot = slot_,
                                work = std::move(work_)]() mutable {
            if (slot.is_connected()) slot.clear();
            std::move(h)(std::move(r));
            (void)work; // released after the handler ran
        });
    }

    Handler handler_;
    asio_tracked_executor<Executor> work_; // released after the handler ran
    asio_net::cancellation_slot slot_;
};

/// Whether `t` asks for a cancellation that may leave side effects (terminal or partial).
inline bool asio_cancel_with_effects(asio_net::cancellation_type t) noexcept {
    return (t & (asio_net::cancellation_type::terminal | asio_net::cancellation_type::partial)) !=
           asio_net::cancellation_type::none;
}

/// Makes, registers and starts the operation for handler `h`.
template <class Handler>
void asio_start(const std::shared_ptr<asio_transport_state>& s, Handler&& h, http_request req,
                std::chrono::steady_clock::time_point deadline) {
    using handler_type = std::decay_t<Handler>;
    auto ex = asio_net::get_associated_executor(h, s->executor);
    using op_type = asio_op<handler_type, decltype(ex)>;
    auto op = std::make_shared<op_type>(s, std::move(req), deadline, std::forward<Handler>(h), ex);
    asio_net::cancellation_slot slot = op->slot();
    if (slot.is_connected()) {
        // Weak references only: the slot belongs to the caller and may outlive the operation,
        // the transport and even the io_context (then the signal finds nothing to cancel).
        std::weak_ptr<asio_op_base> weak = op;
        std::weak_ptr<asio_transport_state> weak_state = s;
        slot.assign([weak, weak_state](asio_net::cancellation_type t) {
            if (auto st = weak_state.lock())
                asio_net::post(st->strand, [weak, t] {
                    if (auto o = weak.lock()) o->cancel(t);
                });
        });
    }
    asio_net::post(s->strand, [op] { op->start(); });
}

} // namespace detail

/// An asynchronous transport on Asio: POSTs a prepared http_request over http:// or https://
/// and completes with the status and (de-chunked) body, or a transport error. HTTP/1.1 only;
/// redirects are not followed; any status (502 included) is a response, not an error.
///
/// Threads: async_send() may be called from any thread; everything else happens on a strand of
/// the executor given, so one io_context thread serves any number of sends, and several
/// threads running the io_context share the work. The handler runs on its associated executor
/// (the transport's executor when it has none), never inside async_send().
///
/// Cancellation: the handler's associated cancellation slot is honoured. Before any byte of the
/// request was written, any cancellation type stops the send with transport_errc::cancelled
/// (not delivered). Once writing began, terminal and partial cancellation stop it with
/// cancelled_after_send (the connection is closed; the request may have reached the service);
/// total cancellation, which promises no side effects, is then ignored. As with every Asio
/// slot, emit the signal from the thread or strand the caller's own code runs on; the slot is
/// cleared on the handler's executor just before the handler runs.
///
/// Deadlines: one steady timer bounds the whole send (waiting for a free connection, name
/// resolution, connecting, the TLS handshake, writing, reading); connecting is also bounded by
/// asio_transport_options::connect_timeout.
///
/// Error mapping (see trtc::transport_errc and may_have_reached_server()):
/// - an unparsable URL → invalid_url, a scheme other than http or https → unsupported_scheme;
/// - resolution failure → dns_failure; refused / unreachable → connect_refused; no connection
///   (TLS handshake included) within the connect timeout or the deadline, or no free
///   connection before the deadline → connect_timeout; a failed handshake or certificate
///   check, or a CA file that cannot be loaded → tls_failure;
/// - the request not written in full (error, or the deadline) → send_failed;
/// - after the whole request was written: the deadline → timeout_after_send; EOF or a reset
///   before a complete response → connection_closed; invalid HTTP → malformed_response; a body
///   over max_response_bytes (or a header section over 64 KiB) → response_too_large;
/// - cancelled (or the transport closed) → cancelled, or cancelled_after_send once writing
///   began; out of descriptors and the like → local_failure.
///
/// Error messages name the method, host:port and the path, never the query (it carries the
/// UserSig).
class asio_transport {
  public:
    /// The executor given at construction.
    using executor_type = detail::asio_net::any_io_executor;
    /// The completion signature of async_send().
    using completion_signature = void(result<http_response>);

    /// A transport whose work runs on a strand of `ex`.
    explicit asio_transport(const executor_type& ex, asio_transport_options options = {})
        : state_(std::make_shared<detail::asio_transport_state>(ex, std::move(options))) {}
    /// A transport whose work runs on a strand of `ctx`.
    explicit asio_transport(detail::asio_net::io_context& ctx, asio_transport_options options = {})
        : asio_transport(executor_type(ctx.get_executor()), std::move(options)) {}
    /// Moves the pool; the moved-from transport completes every send with local_failure.
    asio_transport(asio_transport&& o) noexcept = default;
    /// Closes this transport (see close()) and takes the other's pool.
    asio_transport& operator=(asio_transport&& o) noexcept {
        if (this != &o) {
            close();
            state_ = std::move(o.state_);
        }
        return *this;
    }
    asio_transport(const asio_transport&) = delete;
    asio_transport& operator=(const asio_transport&) = delete;
    /// close().
    ~asio_transport() { close(); }

    /// The executor given at construction.
    executor_type get_executor() const noexcept {
        return state_ ? state_->executor : executor_type();
    }

    /// Sends `req` and completes, at the latest soon after `deadline`, with the response or a
    /// transport error. `token` is any Asio completion token for the signature
    /// `void(trtc::result<trtc::http_response>)`: a callback, asio::use_future,
    /// asio::use_awaitable, asio::deferred... Never sends a request twice.
    template <class CompletionToken>
    auto async_send(http_request req, std::chrono::steady_clock::time_point deadline,
                    CompletionToken&& token) {
        return detail::asio_net::async_initiate<CompletionToken, completion_signature>(
            initiation{state_}, token, std::move(req), deadline);
    }

    /// Whether this transport can reach `url`: http:// and https:// both.
    static result<void> accepts(const base_url& url) {
        (void)url;
        return {};
    }

    /// Closes the idle pooled connections, from any thread (on the transport's strand, before
    /// any send started after this call): the next send to a host opens a new one.
    void close_idle() noexcept {
        if (!state_) return;
        auto s = state_;
        detail::asio_net::post(s->strand, [s] { close_idle_connections(*s); });
    }
    /// Stops the transport, from any thread: on its strand, every send in progress completes
    /// (with cancelled, or cancelled_after_send once its writing began), idle connections
    /// close, and every later send completes with cancelled. Each handler runs exactly once.
    /// The destructor calls it; the state lives on until the last handler ran. Handlers still
    /// queued when the io_context itself is destroyed are destroyed without being called, as
    /// Asio does with every handler.
    void close() noexcept {
        if (!state_) return;
        auto s = state_;
        detail::asio_net::post(s->strand, [s] { shut_down(*s); });
    }

    /// Connections opened so far (TCP connections established).
    std::size_t connections_opened() const noexcept {
        return state_ ? state_->opened.load(std::memory_order_relaxed) : 0;
    }
    /// Requests sent on a reused (pooled) connection so far.
    std::size_t reused_requests() const noexcept {
        return state_ ? state_->reused.load(std::memory_order_relaxed) : 0;
    }
    /// The most connections that were open (or being opened) at once to one host.
    std::size_t peak_connections_per_host() const noexcept {
        return state_ ? state_->peak.load(std::memory_order_relaxed) : 0;
    }

  private:
    struct initiation {
        std::shared_ptr<detail::asio_transport_state> state;
        template <class Handler>
        void operator()(Handler&& h, http_request req,
                        std::chrono::steady_clock::time_point deadline) const {
            if (!state) {
                auto ex = detail::asio_net::get_associated_executor(
                    h, detail::asio_net::system_executor());
                detail::asio_net::post(
                    ex, [h = std::forward<Handler>(h),
                         r = result<http_response>(error{transport_errc::local_failure,
                                                         "moved-from asio_transport"})]() mutable {
                        std::move(h)(std::move(r));
                    });
                return;
            }
            detail::asio_start(state, std::forward<Handler>(h), std::move(req), deadline);
        }
    };

    static void shut_down(detail::asio_transport_state& s);
    static void close_idle_connections(detail::asio_transport_state& s);

    std::shared_ptr<detail::asio_transport_state> state_;
};

// Out of line but inline in every mode, as in the other adapters (the separately compiled unit
// does not include adapters).

namespace detail {

inline void asio_transport_state::setup_tls() {
    SSL_CTX* ctx = tls_context.native_handle();
    if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1) {
        tls_setup_error = "cannot require TLS 1.2";
        return;
    }
    if (!options.verify_peer) {
        tls_context.set_verify_mode(asio_net::ssl::verify_none);
        return;
    }
    asio_error_code ec;
    tls_context.set_verify_mode(asio_net::ssl::verify_peer, ec);
    if (!options.ca_file.empty() && !ec) {
        tls_context.load_verify_file(options.ca_file, ec);
        if (ec)
            tls_setup_error = "cannot load the CA file " + options.ca_file + ": " + ec.message();
    }
    if (!options.ca_path.empty() && !ec) {
        tls_context.add_verify_path(options.ca_path, ec);
        if (ec)
            tls_setup_error =
                "cannot use the CA directory " + options.ca_path + ": " + ec.message();
    }
    if (options.ca_file.empty() && options.ca_path.empty() && !ec) {
        tls_context.set_default_verify_paths(ec);
        if (ec) tls_setup_error = "cannot use the system CA store: " + ec.message();
    }
    if (ec && tls_setup_error.empty()) tls_setup_error = "TLS setup failed: " + ec.message();
}

inline asio_op_base::~asio_op_base() {
    // Only when the io_context is destroyed with this operation pending: no handler runs.
    if (in_queue_) {
        auto it = state_->hosts.find(key_);
        if (it != state_->hosts.end()) it->second.waiters.erase(queue_it_);
    }
    if (in_active_) state_->active.erase(active_it_);
    if (holds_slot_) {
        auto it = state_->hosts.find(key_);
        if (it != state_->hosts.end() && it->second.open > 0) --it->second.open;
    }
}

inline void asio_op_base::start() {
    using te = transport_errc;
    if (state_->closed) return fail(te::cancelled, "the transport was closed; nothing was sent");
    if (!split_url(req_.url, url_)) {
        std::string_view u = req_.url;
        std::size_t colon = u.find("://");
        if (colon != std::string_view::npos && u.substr(0, colon) != "http" &&
            u.substr(0, colon) != "https" && is_token(u.substr(0, colon)))
            return fail(te::unsupported_scheme,
                        "trtc::asio_transport carries http:// and https:// only");
        return fail(
            te::invalid_url,
            "the URL is not an absolute http:// or https:// URL (scheme://host[:port]/path)");
    }
    std::string_view method = req_.method.empty() ? std::string_view("POST") : req_.method;
    if (!is_token(method)) return fail(te::local_failure, "invalid HTTP method");
    const std::string host_port = http1_host_port(url_);
    key_ = std::string(url_.scheme) + "://" + host_port;
    what_ = http1_describe(method, host_port, url_.target);
    if (url_.scheme == "https" && !state_->tls_setup_error.empty())
        return fail(te::tls_failure, what_ + ": " + state_->tls_setup_error + "; nothing was sent");
    if (clock::now() >= deadline_)
        return fail(te::connect_timeout,
                    what_ + ": the deadline passed before connecting; nothing was sent");
    http1_append_request(wire_, method, url_, host_port, req_.headers(), req_.body);
    active_it_ = state_->active.insert(state_->active.end(), this);
    in_active_ = true;
    arm_timer(deadline_);
    acquire();
}

inline void asio_op_base::finish(result<http_response> r) {
    if (phase_ == phase::done) return;
    phase_ = phase::done;
    timer_.cancel();
    if (resolver_) resolver_->cancel();
    leave_queue();
    if (in_active_) {
        state_->active.erase(active_it_);
        in_active_ = false;
    }
    if (holds_slot_) release(false);
    deliver(std::move(r));
}

inline void asio_op_base::fail(transport_errc code, std::string why) {
    finish(error{code, std::move(why)});
}

inline void asio_op_base::leave_queue() {
    if (!in_queue_) return;
    in_queue_ = false;
    auto it = state_->hosts.find(key_);
    if (it != state_->hosts.end()) it->second.waiters.erase(queue_it_);
}

inline void asio_op_base::arm_timer(clock::time_point at) {
    timer_.expires_at(at);
    auto self = shared_from_this();
    timer_.async_wait([self](const asio_error_code& ec) { self->on_timer(ec); });
}

inline void asio_op_base::on_timer(const asio_error_code& ec) {
    if (ec == asio_net::error::operation_aborted || phase_ == phase::done) return;
    if (timer_.expiry() > clock::now()) return; // a wait the timer was re-armed after
    interrupt(connect_limited_ ? stop::connect_limit : stop::deadline);
}

// Stops the operation: at once when nothing is pending, else by closing what is, whose handler
// then reports (stopped_error()).
inline void asio_op_base::interrupt(stop why) {
    if (phase_ == phase::done || stop_ != stop::none) return;
    stop_ = why;
    switch (phase_) {
    case phase::queued:
        leave_queue();
        return stopped_error();
    case phase::resolving:
        if (resolver_) resolver_->cancel();
        return;
    case phase::connecting:
    case phase::handshaking:
    case phase::writing:
    case phase::reading:
        if (conn_) conn_->close();
        return;
    case phase::created:
    case phase::done:
        return;
    }
}

inline void asio_op_base::cancel(asio_net::cancellation_type t) {
    if (phase_ == phase::done) return;
    if (write_began_ && !asio_cancel_with_effects(t)) return; // total: cannot be honoured now
    interrupt(stop::cancelled);
}

inline void asio_op_base::shut_down() {
    interrupt(stop::closed);
}

// The error of an operation stopped by interrupt(), from the phase it stopped in.
inline void asio_op_base::stopped_error() {
    using te = transport_errc;
    const std::string sent =
        " (" + std::to_string(written_) + " of " + std::to_string(wire_.size()) + " bytes written)";
    if (stop_ == stop::cancelled || stop_ == stop::closed) {
        const char* by = stop_ == stop::cancelled ? "cancelled" : "the transport was closed";
        if (!write_began_) return fail(te::cancelled, what_ + ": " + by + "; nothing was sent");
        return fail(te::cancelled_after_send,
                    what_ + ": " + by +
                        " after writing the request began; it may have reached the service" + sent +
                        on_text());
    }
    switch (phase_) {
    case phase::queued:
        return fail(te::connect_timeout,
                    what_ + ": no connection free before the deadline (" +
                        std::to_string(state_->options.max_connections_per_host) +
                        " connections per host); nothing was sent");
    case phase::resolving:
    case phase::connecting:
    case phase::handshaking:
        if (stop_ == stop::connect_limit)
            return fail(te::connect_timeout,
                        what_ + ": no connection within the connect timeout (" +
                            std::to_string(state_->options.connect_timeout.count()) + " ms)");
        return fail(te::connect_timeout, what_ + ": no connection before the deadline");
    case phase::writing:
        if (written_ < wire_.size())
            return fail(te::send_failed, what_ + ": the deadline passed while writing the request" +
                                             sent + on_text());
        [[fallthrough]];
    case phase::reading:
        return fail(te::timeout_after_send,
                    what_ + ": no complete response before the deadline (" +
                        std::to_string(parser_ ? parser_->bytes_consumed() : 0) +
                        " response bytes received)" + on_text());
    case phase::created:
    case phase::done:
        return;
    }
}

inline void asio_op_base::acquire() {
    asio_host& host = state_->hosts[key_];
    if (take_idle(host)) return connection_ready();
    if (host.open < state_->options.max_connections_per_host) {
        ++host.open;
        holds_slot_ = true;
        if (host.open > state_->peak.load(std::memory_order_relaxed))
            state_->peak.store(host.open, std::memory_order_relaxed);
        return open_connection();
    }
    phase_ = phase::queued;
    queue_it_ = host.waiters.insert(host.waiters.end(), this);
    in_queue_ = true;
}

// Takes a usable idle connection of `host` into conn_ (with its slot); false when none.
inline bool asio_op_base::take_idle(asio_host& host) {
    const auto now = clock::now();
    while (!host.idle.empty()) {
        std::shared_ptr<asio_connection> c = std::move(host.idle.back());
        host.idle.pop_back();
        c->idle = false;
        ++c->idle_epoch;
        c->idle_timer.cancel();
        asio_error_code ec;
        c->socket().cancel(ec); // the wait for readability
        bool usable = !ec && now - c->idle_since <= state_->options.idle_timeout;
        if (usable) {
            // Readable while idle: EOF, a reset, or bytes nobody asked for. All make it unusable.
            char byte;
            std::size_t n = c->socket().receive(asio_net::buffer(&byte, 1),
                                                asio_net::socket_base::message_peek, ec);
            usable = n == 0 && ec == asio_net::error::would_block;
        }
        if (!usable) {
            c->close();
            --host.open;
            continue;
        }
        conn_ = std::move(c);
        holds_slot_ = true;
        reused_ = true;
        state_->reused.fetch_add(1, std::memory_order_relaxed);
        return true;
    }
    return false;
}

inline void asio_op_base::open_connection() {
    using te = transport_errc;
    const auto connect_deadline = clock::now() + state_->options.connect_timeout;
    if (state_->options.connect_timeout.count() > 0 && connect_deadline < deadline_) {
        connect_limited_ = true;
        arm_timer(connect_deadline);
    }
    conn_ = std::make_shared<asio_connection>(
        state_->strand, url_.scheme == "https" ? &state_->tls_context : nullptr);
    conn_->key = key_;
    const std::string host(url_.host);
    asio_error_code ec;
    asio_net::ip::address ip = asio_net::ip::make_address(host, ec);
    if (!ec) {
        phase_ = phase::connecting;
        asio_net::ip::tcp::endpoint ep(ip, url_.port);
        auto self = shared_from_this();
        conn_->socket().async_connect(ep,
                                      [self](const asio_error_code& e) { self->on_connected(e); });
        return;
    }
    if (url_.ipv6_literal) return fail(te::invalid_url, what_ + ": invalid IPv6 address");
    phase_ = phase::resolving;
    resolver_.reset(new asio_net::ip::tcp::resolver(state_->strand));
    auto self = shared_from_this();
    resolver_->async_resolve(
        host, std::to_string(url_.port), asio_net::ip::tcp::resolver::numeric_service,
        [self](const asio_error_code& e, asio_net::ip::tcp::resolver::results_type r) {
            self->on_resolved(e, std::move(r));
        });
}

inline void asio_op_base::on_resolved(const asio_error_code& ec,
                                      asio_net::ip::tcp::resolver::results_type results) {
    if (phase_ == phase::done) return;
    if (stop_ != stop::none) return stopped_error();
    if (ec) {
        const bool memory = ec == asio_net::error::no_memory;
        return fail(memory ? transport_errc::local_failure : transport_errc::dns_failure,
                    what_ + ": cannot resolve " + std::string(url_.host) + ": " + ec.message());
    }
    connect_to(results);
}

inline void asio_op_base::connect_to(const asio_net::ip::tcp::resolver::results_type& results) {
    phase_ = phase::connecting;
    auto self = shared_from_this();
    asio_net::async_connect(conn_->socket(), results,
                            [self](const asio_error_code& e, const asio_net::ip::tcp::endpoint&) {
                                self->on_connected(e);
                            });
}

inline void asio_op_base::on_connected(const asio_error_code& ec) {
    using te = transport_errc;
    if (phase_ == phase::done) return;
    if (stop_ != stop::none) return stopped_error();
    if (ec) {
        te code = te::connect_refused;
        if (ec == asio_net::error::timed_out)
            code = te::connect_timeout;
        else if (ec == asio_net::error::no_descriptors || ec == asio_net::error::no_buffer_space ||
                 ec == asio_net::error::no_memory)
            code = te::local_failure;
        return fail(code, what_ + ": cannot connect: " + ec.message());
    }
    state_->opened.fetch_add(1, std::memory_order_relaxed);
    asio_error_code ignored;
    conn_->socket().set_option(asio_net::ip::tcp::no_delay(true), ignored);
    conn_->socket().non_blocking(true, ignored); // for the check before reuse
    if (!conn_->tls) return connection_ready();

    phase_ = phase::handshaking;
    SSL* ssl = conn_->tls->native_handle();
    const std::string host(url_.host);
    asio_error_code ip_ec;
    (void)asio_net::ip::make_address(host, ip_ec);
    const bool is_ip = !ip_ec;
    bool ok = true;
    // SNI, for names only. SSL_set_tlsext_host_name() is a macro with a C cast: its call, spelt
    // out, compiles under users' -Wold-style-cast.
    if (!is_ip)
        ok = SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                      const_cast<char*>(host.c_str())) == 1;
    if (ok && state_->options.verify_peer) {
        if (is_ip) {
            ok = X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host.c_str()) == 1;
        } else {
            SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
            ok = SSL_set1_host(ssl, host.c_str()) == 1;
        }
    }
    if (!ok) return fail(te::local_failure, what_ + ": cannot set up the TLS session");
    auto self = shared_from_this();
    conn_->tls->async_handshake(asio_net::ssl::stream_base::client,
                                [self](const asio_error_code& e) { self->on_handshake(e); });
}

inline void asio_op_base::on_handshake(const asio_error_code& ec) {
    if (phase_ == phase::done) return;
    if (stop_ != stop::none) return stopped_error();
    if (ec) {
        std::string why = ec.message();
        long v = SSL_get_verify_result(conn_->tls->native_handle());
        if (v != X509_V_OK)
            why =
                std::string("certificate verification failed: ") + X509_verify_cert_error_string(v);
        return fail(transport_errc::tls_failure, what_ + ": TLS handshake failed: " + why);
    }
    connection_ready();
}

inline void asio_op_base::connection_ready() {
    if (connect_limited_) {
        connect_limited_ = false;
        arm_timer(deadline_);
    }
    write();
}

inline void asio_op_base::write() {
    phase_ = phase::writing;
    write_began_ = true;
    auto self = shared_from_this();
    conn_->with_stream([&](auto& stream) {
        asio_net::async_write(
            stream, asio_net::buffer(wire_),
            [self](const asio_error_code& e, std::size_t n) { self->on_written(e, n); });
    });
}

inline void asio_op_base::on_written(const asio_error_code& ec, std::size_t n) {
    if (phase_ == phase::done) return;
    written_ = n;
    if (stop_ != stop::none) return stopped_error();
    if (ec)
        return fail(transport_errc::send_failed,
                    what_ + ": writing the request failed: " + ec.message() + " (" +
                        std::to_string(n) + " of " + std::to_string(wire_.size()) +
                        " bytes written)" + on_text());
    http1_limits limits;
    limits.max_body = state_->options.max_response_bytes;
    parser_.reset(new http1_response_parser(limits));
    if (!conn_->buffer) conn_->buffer.reset(new char[asio_connection::buffer_size]);
    phase_ = phase::reading;
    read();
}

inline void asio_op_base::read() {
    auto self = shared_from_this();
    conn_->with_stream([&](auto& stream) {
        stream.async_read_some(
            asio_net::buffer(conn_->buffer.get(), asio_connection::buffer_size),
            [self](const asio_error_code& e, std::size_t n) { self->on_read(e, n); });
    });
}

inline void asio_op_base::on_read(const asio_error_code& ec, std::size_t n) {
    using te = transport_errc;
    if (phase_ == phase::done) return;
    if (n > 0) {
        std::size_t consumed = 0;
        auto st = parser_->feed(std::string_view(conn_->buffer.get(), n), consumed);
        if (st == http1_status::complete) {
            const bool reusable = parser_->keep_alive() && consumed == n && stop_ == stop::none &&
                                  state_->options.idle_timeout.count() > 0;
            http_response resp{parser_->status_code(), parser_->take_body()};
            release(reusable);
            return finish(std::move(resp));
        }
        if (st == http1_status::error) {
            const bool too_large = parser_->error() == http1_error::body_too_large ||
                                   parser_->error() == http1_error::header_too_large;
            return fail(too_large ? te::response_too_large : te::malformed_response,
                        what_ + ": " + std::string(parser_->error_message()) + on_text());
        }
    }
    if (stop_ != stop::none) return stopped_error();
    if (ec == asio_net::error::eof || ec == asio_net::ssl::error::stream_truncated) {
        if (parser_->finish() == http1_status::complete) {
            http_response resp{parser_->status_code(), parser_->take_body()};
            return finish(std::move(resp));
        }
        return fail(te::connection_closed, what_ + ": the server closed the connection after " +
                                               std::to_string(parser_->bytes_consumed()) +
                                               " response bytes, before a complete response" +
                                               on_text());
    }
    if (ec)
        return fail(te::connection_closed,
                    what_ + ": reading the response failed: " + ec.message() + " after " +
                        std::to_string(parser_->bytes_consumed()) + " response bytes" + on_text());
    read();
}

// Gives the connection up: to the next waiter or the pool when reusable, else closes it and
// lets the next waiter open one.
inline void asio_op_base::release(bool reusable) {
    if (!holds_slot_) return;
    holds_slot_ = false;
    std::shared_ptr<asio_connection> c = std::move(conn_);
    asio_host& host = state_->hosts[key_];
    if (reusable && c && !state_->closed) {
        if (!host.waiters.empty()) {
            asio_op_base* next = host.waiters.front();
            next->leave_queue();
            next->conn_ = std::move(c);
            next->holds_slot_ = true;
            next->reused_ = true;
            state_->reused.fetch_add(1, std::memory_order_relaxed);
            next->connection_ready();
            return;
        }
        c->idle = true;
        c->idle_since = clock::now();
        const std::uint64_t epoch = ++c->idle_epoch;
        std::weak_ptr<asio_transport_state> weak = state_;
        auto evict = [weak, c, epoch](const asio_error_code& ec) {
            if (ec == asio_net::error::operation_aborted) return;
            auto s = weak.lock();
            if (!s || !c->idle || c->idle_epoch != epoch) return;
            auto it = s->hosts.find(c->key);
            if (it == s->hosts.end()) return;
            auto& idle = it->second.idle;
            auto at = std::find(idle.begin(), idle.end(), c);
            if (at == idle.end()) return;
            idle.erase(at);
            c->idle = false;
            c->close();
            --it->second.open;
        };
        c->idle_timer.expires_after(state_->options.idle_timeout);
        c->idle_timer.async_wait(evict);
        c->socket().async_wait(asio_net::socket_base::wait_read, evict);
        host.idle.push_back(std::move(c));
        return;
    }
    if (c) c->close();
    --host.open;
    if (state_->closed) return;
    if (!host.waiters.empty()) {
        asio_op_base* next = host.waiters.front();
        next->leave_queue();
        ++host.open;
        next->holds_slot_ = true;
        next->open_connection();
    }
}

} // namespace detail

inline void asio_transport::shut_down(detail::asio_transport_state& s) {
    if (s.closed) return;
    s.closed = true;
    std::vector<std::shared_ptr<detail::asio_op_base>> ops;
    ops.reserve(s.active.size());
    for (detail::asio_op_base* op : s.active) ops.push_back(op->shared_from_this());
    for (auto& op : ops) op->shut_down();
    close_idle_connections(s);
}

inline void asio_transport::close_idle_connections(detail::asio_transport_state& s) {
    // A host has idle connections only while no send waits for one (a waiter takes an idle
    // connection first), so closing them frees no slot that a waiter needs.
    for (auto& h : s.hosts) {
        for (auto& c : h.second.idle) {
            c->idle = false;
            c->close();
        }
        h.second.open -= h.second.idle.size();
        h.second.idle.clear();
    }
}

// ---- the asynchronous client ------------------------------------------------------------------

namespace detail {

/// What every call of one basic_asio_client shares: the engine and the transport. Held by the
/// client and by each call in progress, so that a call outlives a client destroyed under it.
template <class Policies>
struct asio_client_state {
    asio_client_state(call_engine<Policies> e, asio_transport t)
        : engine(std::move(e)), transport(std::move(t)) {}
    call_engine<Policies> engine;
    asio_transport transport;
};

/// One call of basic_asio_client without its handler: drives its engine_call on a strand of
/// its own, with a steady timer for the waits and the transport for the sends. Everything here
/// is compiled once per endpoint, not once per completion handler type: each call site of a
/// user's program (a lambda is a type of its own) adds only asio_call_op's few functions.
template <class Policies, class Request>
class asio_call_core : public std::enable_shared_from_this<asio_call_core<Policies, Request>> {
  public:
    using response_type = typename Request::endpoint::response;
    using executor_type = asio_net::any_io_executor;
    using clock = std::chrono::steady_clock;

    asio_call_core(const asio_call_core&) = delete;
    asio_call_core& operator=(const asio_call_core&) = delete;

    /// Starts the call on its strand (from any thread).
    void start(const call_options& opts) {
        auto self = this->shared_from_this();
        asio_net::post(strand_, [self, opts] { self->begin(opts); });
    }

  protected:
    asio_call_core(std::shared_ptr<asio_client_state<Policies>> client, Request req)
        : client_(std::move(client)), req_(std::move(req)),
          strand_(asio_net::make_strand(client_->transport.get_executor())), timer_(strand_) {}
    virtual ~asio_call_core() = default;

    /// On the strand, once the engine call exists: connects the handler's cancellation slot.
    virtual void connect_cancellation() = 0;
    /// On the strand, once: hands the outcome to the handler.
    virtual void deliver(result<response_type> outcome) = 0;

    /// Asks the call to stop (from the handler's slot, on any thread): dispatched to the strand.
    static void request_cancel(const std::weak_ptr<asio_call_core>& weak,
                               asio_net::cancellation_type type) {
        if (auto self = weak.lock())
            asio_net::dispatch(self->strand_, [self, type] { self->on_cancel(type); });
    }

  private:
    void begin(const call_options& opts) {
        call_.emplace(client_->engine.start_call(req_, opts, clock::now()));
        connect_cancellation();
        advance();
    }

    // Answers the engine's step.
    void advance() {
        switch (call_->step()) {
        case call_step::send: {
            auto self = this->shared_from_this();
            client_->transport.async_send(
                call_->request(), call_->deadline(),
                asio_net::bind_cancellation_slot(
                    send_cancel_.slot(),
                    asio_net::bind_executor(strand_, [self](result<http_response> r) {
                        self->call_->on_response(std::move(r), clock::now());
                        self->advance();
                    })));
            return;
        }
        case call_step::wait: {
            auto self = this->shared_from_this();
            timer_.expires_at(call_->deadline());
            timer_.async_wait(asio_net::bind_executor(strand_, [self](const asio_error_code&) {
                if (self->call_->step() == call_step::wait) self->call_->on_wake(clock::now());
                self->advance();
            }));
            return;
        }
        case call_step::done:
            if (completed_) return;
            completed_ = true;
            deliver(std::move(call_->outcome()));
            return;
        }
    }

    // On the strand: a cancellation from the handler's slot.
    void on_cancel(asio_net::cancellation_type type) {
        if (type == asio_net::cancellation_type::none || !call_ ||
            call_->step() == call_step::done || call_->cancel_requested())
            return;
        const call_step step = call_->step();
        call_->cancel(clock::now());
        if (step == call_step::wait)
            timer_.cancel(); // its handler finds the call done and completes it
        else
            send_cancel_.emit(type); // the transport completes with what it got to
    }

    std::shared_ptr<asio_client_state<Policies>> client_;
    Request req_; // before call_, which refers to it
    asio_net::strand<executor_type> strand_;
    asio_net::steady_timer timer_;
    asio_net::cancellation_signal send_cancel_;
    std::optional<engine_call<Policies, Request>> call_;
    bool completed_ = false;
};

/// One call of basic_asio_client: asio_call_core with the handler, which it completes on the
/// handler's executor.
template <class Policies, class Request, class Handler>
class asio_call_op final : public asio_call_core<Policies, Request> {
    using core = asio_call_core<Policies, Request>;

  public:
    using typename core::executor_type;
    using typename core::response_type;

    asio_call_op(std::shared_ptr<asio_client_state<Policies>> client, Request req, Handler handler)
        : core(client, std::move(req)), handler_(std::move(handler)),
          work_(asio_track_work(
              asio_net::get_associated_executor(handler_, client->transport.get_executor()))) {}

  private:
    void connect_cancellation() override {
        auto slot = asio_net::get_associated_cancellation_slot(handler_);
        if (!slot.is_connected()) return;
        std::weak_ptr<core> weak = this->shared_from_this();
        slot.assign([weak](asio_net::cancellation_type type) { core::request_cancel(weak, type); });
    }

    void deliver(result<response_type> out) override {
        asio_net::get_associated_cancellation_slot(handler_).clear();
        // Handler, result and the tracked work move into the completion; the op (and its copy
        // of the request, which the engine call refers to) goes when the last of its handlers
        // has run.
        auto ex = work_;
        asio_net::dispatch(
            ex, [h = std::move(handler_), r = std::move(out), work = std::move(work_)]() mutable {
                std::move(h)(std::move(r));
                (void)work;
            });
    }

    Handler handler_;
    asio_tracked_executor<asio_net::associated_executor_t<Handler, executor_type>> work_;
};

} // namespace detail

/// An asynchronous client of the battle APIs on Asio: the call engine (trtc/call_engine.hpp)
/// driven on an executor, over asio_transport. Rate-limit waits and backoff run on steady
/// timers, sends on the transport's connection pool: no call blocks a thread. One
/// io_context thread serves thousands of calls at once; calls may be started from any thread.
///
/// Each operation completes with `void(trtc::result<Response>)`, through any completion token:
/// a callback, asio::use_future (a std::future<result<Response>>), asio::use_awaitable
/// (`result<Response> r = co_await ...`), asio::deferred. The result, not an error_code plus a
/// value: the error carries what an error_code cannot (the message naming the field, the
/// RequestId, the `random` to reconcile with), and nothing is thrown, so the same code works
/// without exceptions.
///
/// Per-operation cancellation through the handler's cancellation slot (any type): while it
/// waits or before its request is written, the call ends with errc::cancelled; once a
/// create_battle may have been sent, with errc::outcome_unknown, never silently.
///
/// The `Policies` are those of basic_client but the transport (default_policies'); the rate
/// limiter's reserve() runs on the call's strand and should not block: the built-in
/// token_bucket never does; trtc::redis_rate_limiter waits for one Redis round trip (bounded
/// by its command timeout; docs/fleet.md says what that costs the loop).
template <class Policies = default_policies>
class basic_asio_client {
  public:
    using policies = Policies;
    using engine_type = call_engine<Policies>;
    using executor_type = detail::asio_net::any_io_executor;

    /// A client whose calls run on `ex`, or an error naming what is wrong with the
    /// configuration (the secret key is wiped from `config` once keyed).
    static result<basic_asio_client> create(const executor_type& ex, client_config config,
                                            asio_transport_options transport = {}) {
        auto engine = engine_type::create(std::move(config));
        if (!engine) return std::move(engine).error();
        return basic_asio_client(std::make_shared<detail::asio_client_state<Policies>>(
            std::move(*engine), asio_transport(ex, std::move(transport))));
    }
    /// create() on `ctx`'s executor.
    static result<basic_asio_client> create(detail::asio_net::io_context& ctx, client_config config,
                                            asio_transport_options transport = {}) {
        return create(executor_type(ctx.get_executor()), std::move(config), std::move(transport));
    }

    /// Starts a call of any endpoint; completes with `void(result<Response>)`.
    template <class Request, class CompletionToken>
    auto async_call(Request req, const call_options& opts, CompletionToken&& token) {
        using response = typename Request::endpoint::response;
        return detail::asio_net::async_initiate<CompletionToken, void(result<response>)>(
            initiation<Request>{state_}, token, std::move(req), opts);
    }
    /// async_call() with the default call_options.
    template <class Request, class CompletionToken>
    auto async_call(Request req, CompletionToken&& token) {
        return async_call(std::move(req), call_options{}, std::forward<CompletionToken>(token));
    }

    /// create_battle (see trtc::create_battle).
    template <class CompletionToken>
    auto async_create_battle(::trtc::create_battle::request r, CompletionToken&& token) {
        return async_call(std::move(r), std::forward<CompletionToken>(token));
    }
    template <class CompletionToken>
    auto async_create_battle(::trtc::create_battle::request r, const call_options& o,
                             CompletionToken&& token) {
        return async_call(std::move(r), o, std::forward<CompletionToken>(token));
    }
    /// get_battle_info (see trtc::get_battle_info).
    template <class CompletionToken>
    auto async_get_battle_info(::trtc::get_battle_info::request r, CompletionToken&& token) {
        return async_call(std::move(r), std::forward<CompletionToken>(token));
    }
    template <class CompletionToken>
    auto async_get_battle_info(::trtc::get_battle_info::request r, const call_options& o,
                               CompletionToken&& token) {
        return async_call(std::move(r), o, std::forward<CompletionToken>(token));
    }
    /// set_battle_score (see trtc::set_battle_score).
    template <class CompletionToken>
    auto async_set_battle_score(::trtc::set_battle_score::request r, CompletionToken&& token) {
        return async_call(std::move(r), std::forward<CompletionToken>(token));
    }
    template <class CompletionToken>
    auto async_set_battle_score(::trtc::set_battle_score::request r, const call_options& o,
                                CompletionToken&& token) {
        return async_call(std::move(r), o, std::forward<CompletionToken>(token));
    }

    /// The executor calls run on.
    executor_type get_executor() const noexcept { return state_->transport.get_executor(); }
    /// The transport (its statistics, close()).
    asio_transport& transport() noexcept { return state_->transport; }
    /// The call engine (its policies and configuration).
    engine_type& engine() noexcept { return state_->engine; }
    /// The configuration (its secret key already wiped).
    const client_config& config() const noexcept { return state_->engine.config(); }

  private:
    template <class Request>
    struct initiation {
        std::shared_ptr<detail::asio_client_state<Policies>> state;
        template <class Handler>
        void operator()(Handler&& handler, Request req, const call_options& opts) const {
            using op = detail::asio_call_op<Policies, Request, std::decay_t<Handler>>;
            std::make_shared<op>(state, std::move(req), std::forward<Handler>(handler))
                ->start(opts);
        }
    };

    explicit basic_asio_client(std::shared_ptr<detail::asio_client_state<Policies>> s)
        : state_(std::move(s)) {}

    std::shared_ptr<detail::asio_client_state<Policies>> state_;
};

/// The asynchronous client with every built-in policy.
using asio_client = basic_asio_client<>;

TRTC_END_NAMESPACE

#if defined(TRTC_ASIO_RESTORE_EMIT)
#    pragma pop_macro("emit")
#    undef TRTC_ASIO_RESTORE_EMIT
#endif

#endif // TRTC_ADAPTERS_ASIO_HPP
