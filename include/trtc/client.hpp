// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief basic_client: the call engine (trtc/call_engine.hpp) driven by blocking on a
/// transport: rate-limit waits and backoff sleep in the calling thread. It names no transport:
/// trtc::client (trtc/default_client.hpp) is the one with the built-in HTTP/1.1 transport,
/// trtc::https_client (trtc/adapters/curl.hpp) the one with libcurl.
#ifndef TRTC_CLIENT_HPP
#define TRTC_CLIENT_HPP

#include "battle.hpp"
#include "call_engine.hpp"
#include "config.hpp"
#include "errors.hpp"
#include "http.hpp"
#include "regions.hpp"
#include "result.hpp"

#include <chrono>
#include <type_traits>
#include <utility>

#if TRTC_DEFINITIONS
#    if defined(_WIN32)
#        include <thread>
#    else
#        include <cerrno>

#        include <time.h>
#    endif
#endif

TRTC_BEGIN_NAMESPACE

namespace detail {
/// Sleeps for `d` (POSIX: nanosleep, resumed after signals, without pulling in <thread>).
TRTC_DECL void sleep_for(std::chrono::nanoseconds d) noexcept;

/// Stands for the transport of a policy set that names none.
struct no_transport_named {};
template <class P, class = void>
struct policy_transport {
    using type = no_transport_named;
};
template <class P>
struct policy_transport<P, std::void_t<typename P::transport>> {
    using type = typename P::transport;
};

template <class T, class = void>
struct has_accepts : std::false_type {};
template <class T>
struct has_accepts<T, std::enable_if_t<std::is_same_v<
                          decltype(T::accepts(std::declval<const base_url&>())), result<void>>>>
    : std::true_type {};

template <class T, class = void>
struct is_transport_policy : std::false_type {};
template <class T>
struct is_transport_policy<
    T, std::enable_if_t<std::is_same_v<decltype(std::declval<T&>().send(
                                           std::declval<const http_request&>(),
                                           std::declval<std::chrono::steady_clock::time_point>())),
                                       result<http_response>>>> : std::true_type {};
} // namespace detail

/// A client of the battle APIs. Safe to share between threads: every member function may be
/// called concurrently.
///
/// Each call runs the call engine (see trtc/call_engine.hpp and docs/client.md): waits for the
/// rate limiter; takes a UserSig from the cache (made once, renewed ahead of expiry);
/// validates and prepares the request; sends it through the transport with a deadline;
/// decodes the answer. It retries, with exponential backoff and jitter, only what is safe:
/// failures where the request provably never reached the service, and service codes the
/// catalogue marks retryable. On 70001 it makes a new UserSig and retries once. When the
/// primary domain cannot be resolved or connected to, it tries the backup domain. A
/// non-idempotent request (create_battle, set_battle_score) that may have reached the service
/// without an answer is never resent: the call fails with errc::outcome_unknown, carrying the
/// `random` it was sent with (see docs/errors.md on reconciling). The waits sleep in the
/// calling thread: on an event loop, use the Asio client or drive the engine yourself.
template <class Policies>
class basic_client {
  public:
    using policies = Policies;
    using engine_type = call_engine<Policies>;
    using transport_type = typename detail::policy_transport<Policies>::type;
    using json_policy = typename engine_type::json_policy;
    using usersig_source_type = typename engine_type::usersig_source_type;
    using clock_type = typename engine_type::clock_type;

    static_assert(!std::is_same_v<transport_type, detail::no_transport_named>,
                  "trtc::basic_client: the policies name no transport: add `using transport = "
                  "...;` (trtc::http1_transport, trtc::curl_transport or your own), or use "
                  "trtc::client (trtc/default_client.hpp) or trtc::https_client "
                  "(trtc/adapters/curl.hpp)");
    static_assert(std::is_same_v<transport_type, detail::no_transport_named> ||
                      detail::is_transport_policy<transport_type>::value,
                  "trtc::basic_client: the transport policy must provide "
                  "`trtc::result<trtc::http_response> send(const trtc::http_request&, "
                  "std::chrono::steady_clock::time_point deadline)`");

    /// A client, or an error naming what is wrong with the configuration. The secret key is
    /// wiped from `config` once the UserSig source has keyed its HMAC.
    static result<basic_client> create(client_config config,
                                       transport_type transport = transport_type()) {
        if constexpr (detail::has_accepts<transport_type>::value) {
            auto ok = transport_type::accepts(config.where.primary);
            if (ok && config.where.has_backup) ok = transport_type::accepts(config.where.backup);
            if (!ok) {
                detail::secure_wipe(config.creds.secret_key.data(), config.creds.secret_key.size());
                return std::move(ok).error();
            }
        }
        auto engine = engine_type::create(std::move(config));
        if (!engine) return std::move(engine).error();
        return basic_client(std::move(*engine), std::move(transport));
    }

    basic_client(basic_client&&) = default;

    /// Sends a request of any endpoint and returns its decoded response, blocking until the
    /// call is done (its waits sleep in this thread).
    template <class Request>
    result<typename Request::endpoint::response> call(const Request& req,
                                                      const call_options& opts = {}) {
        using clock = std::chrono::steady_clock;
        auto c = engine_.start_call(req, opts, clock::now());
        for (;;) {
            switch (c.step()) {
            case call_step::send:
                c.on_response(transport_.send(c.request(), c.deadline()), clock::now());
                break;
            case call_step::wait:
                detail::sleep_for(c.deadline() - clock::now());
                c.on_wake(clock::now());
                break;
            case call_step::done:
                return std::move(c.outcome());
            }
        }
    }

    /// create_battle (see trtc::create_battle).
    result<::trtc::create_battle::response> create_battle(const ::trtc::create_battle::request& r,
                                                          const call_options& o = {}) {
        return call(r, o);
    }
    /// get_battle_info (see trtc::get_battle_info).
    result<::trtc::get_battle_info::response>
    get_battle_info(const ::trtc::get_battle_info::request& r, const call_options& o = {}) {
        return call(r, o);
    }
    /// set_battle_score (see trtc::set_battle_score).
    result<::trtc::set_battle_score::response>
    set_battle_score(const ::trtc::set_battle_score::request& r, const call_options& o = {}) {
        return call(r, o);
    }

    /// The transport (e.g. to read its statistics).
    transport_type& transport() noexcept { return transport_; }
    /// The call engine (its policies and configuration).
    engine_type& engine() noexcept { return engine_; }
    /// The UserSig source.
    usersig_source_type& usersig_source() noexcept { return engine_.usersig_source(); }
    /// The clock policy object.
    clock_type& clock() noexcept { return engine_.clock(); }
    /// The credential queries made so far: one per UserSig (for tests and metrics).
    std::size_t signed_queries_made() const noexcept { return engine_.signed_queries_made(); }
    /// The configuration (its secret key already wiped).
    const client_config& config() const noexcept { return engine_.config(); }

  private:
    basic_client(engine_type e, transport_type t)
        : engine_(std::move(e)), transport_(std::move(t)) {}

    engine_type engine_;
    transport_type transport_;
};

#if TRTC_DEFINITIONS

namespace detail {

TRTC_DECL void sleep_for(std::chrono::nanoseconds d) noexcept {
    if (d.count() <= 0) return;
#    if defined(_WIN32)
    std::this_thread::sleep_for(d);
#    else
    timespec ts;
    ts.tv_sec = detail::narrow<time_t>(d.count() / 1000000000);
    ts.tv_nsec = detail::narrow<long>(d.count() % 1000000000);
    while (::nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
#    endif
}

} // namespace detail

#endif // TRTC_DEFINITIONS

TRTC_END_NAMESPACE

#endif // TRTC_CLIENT_HPP
