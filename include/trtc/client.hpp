// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief basic_client: the sans-I/O core plus a transport, a UserSig cache, a rate limiter,
/// safe retries with backoff, the backup domain, and an event hook. It names no transport:
/// trtc::client (trtc/default_client.hpp) is the one with the built-in HTTP/1.1 transport,
/// trtc::https_client (trtc/adapters/curl.hpp) the one with libcurl.
#ifndef TRTC_CLIENT_HPP
#define TRTC_CLIENT_HPP

#include "battle.hpp"
#include "config.hpp"
#include "detail/hmac_sha256.hpp"
#include "errors.hpp"
#include "http.hpp"
#include "policies.hpp"
#include "regions.hpp"
#include "result.hpp"
#include "sans_io.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
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

/// One attempt of a call, reported to client_config::on_event for logs and metrics. Holds no
/// secret: the URL is redacted, and neither the key nor a UserSig is reachable from here.
struct call_event {
    /// What became of the attempt.
    enum class outcome {
        /// The call succeeded.
        success,
        /// The attempt failed and the client will try again (after `backoff`).
        retrying,
        /// The call failed; this is its final error.
        failed,
    };
    std::string_view command;                 ///< "create_battle", ...
    unsigned attempt = 0;                     ///< 1 for the first
    std::uint32_t random = 0;                 ///< the call's random query parameter
    std::string_view redacted_url;            ///< the URL with the UserSig replaced by REDACTED
    bool backup_domain = false;               ///< whether this attempt went to the backup domain
    std::chrono::microseconds latency{0};     ///< of this attempt, from send to answer
    std::error_code code;                     ///< empty on success
    error_action action = error_action::none; ///< classify(code)
    std::string_view request_id;              ///< the service's RequestId, when there was one
    outcome result = outcome::success;
    std::chrono::nanoseconds backoff{0}; ///< the wait before the next attempt, when retrying
};

/// A copyable callable taking a call_event: what client_config::on_event holds. (A small
/// type-erased wrapper, so that the core does not pay for <functional>.)
class event_hook {
  public:
    event_hook() noexcept = default;
    /// Wraps any callable `void(const call_event&)`.
    template <class F, class = std::enable_if_t<!std::is_same_v<std::decay_t<F>, event_hook> &&
                                                std::is_invocable_v<F&, const call_event&>>>
    event_hook(F f) : p_(new holder<F>(std::move(f))) {}
    event_hook(const event_hook& o) : p_(o.p_ ? o.p_->clone() : nullptr) {}
    event_hook(event_hook&& o) noexcept : p_(o.p_) { o.p_ = nullptr; }
    event_hook& operator=(event_hook o) noexcept {
        std::swap(p_, o.p_);
        return *this;
    }
    ~event_hook() { delete p_; }
    /// Whether a callable is set.
    explicit operator bool() const noexcept { return p_ != nullptr; }
    /// Calls it. Precondition: bool(*this).
    void operator()(const call_event& e) const { p_->call(e); }

  private:
    struct base {
        virtual ~base() = default;
        virtual void call(const call_event&) = 0;
        virtual base* clone() const = 0;
    };
    template <class F>
    struct holder final : base {
        explicit holder(F f) : fn(std::move(f)) {}
        void call(const call_event& e) override { fn(e); }
        base* clone() const override { return new holder(fn); }
        F fn;
    };
    base* p_ = nullptr;
};

namespace detail {
/// Replaces every occurrence of `secret` in `text` with REDACTED.
TRTC_DECL void scrub(std::string& text, std::string_view secret);

/// Sleeps for `d` (POSIX: nanosleep, resumed after signals, without pulling in <thread>).
TRTC_DECL void sleep_for(std::chrono::nanoseconds d) noexcept;
} // namespace detail

/// Everything a client needs besides its policies.
struct client_config {
    /// The SDKAppID, the admin identifier and the secret key (wiped from this struct's copy
    /// once the client has keyed its HMAC).
    credentials creds;
    /// Where the service is: `location::of(region::singapore)` or `location::custom(url)`.
    location where = location::of(region::china);
    /// The most time one attempt may take. Longer than the service's own 3 s timeout.
    std::chrono::milliseconds attempt_timeout{5000};
    /// The most time a whole call may take, retries and rate-limit waits included.
    std::chrono::milliseconds call_timeout{20000};
    rate_limit_options rate_limit;
    retry_options retry;
    /// Called after every attempt, from the calling thread. Keep it fast; it must not throw.
    event_hook on_event;
};

/// Per-call settings.
struct call_options {
    /// Overrides client_config::call_timeout for this call (zero: keep it).
    std::chrono::milliseconds timeout{0};
    /// The `random` query parameter to send (default: a fresh one). Kept for every attempt of
    /// the call, so that one value finds them all in the service's logs.
    std::optional<std::uint32_t> random;
};

/// The built-in policies of basic_client, all but the transport, which the client's header
/// chooses (trtc::client: the built-in HTTP/1.1 one; trtc::https_client: libcurl). Derive from it,
/// name the transport and replace what else you need:
/// `struct my_policies : trtc::default_policies { using transport = trtc::curl_transport; };`
///
/// The transport contract: `result<http_response> send(const http_request&,
/// std::chrono::steady_clock::time_point deadline)`, and optionally `static result<void>
/// accepts(const base_url&)`, which basic_client::create() asks about each base URL (a
/// transport that speaks plain http:// only refuses https:// there, not on the first call).
struct default_policies {
    /// `static bool parse(std::string_view, json::document&, json::parse_error&)` and
    /// `static void serialize(const json::document&, std::string&)`
    using json = builtin_json;
    /// `static result<S> create(const credentials&)`, `result<std::string> usersig(unix_time,
    /// bool)`
    using usersig_source = usersig_cache<builtin_hmac_sha256, stored_deflate>;
    /// `std::uint32_t operator()()`
    using random = default_random;
    /// constructible from rate_limit_options; `std::chrono::nanoseconds reserve(steady time_point)`
    using rate_limiter = token_bucket;
    /// constructible from retry_options; `unsigned max_attempts() const`,
    /// `std::chrono::nanoseconds backoff(unsigned, std::uint32_t) const`
    using retry = exponential_backoff;
    /// `unix_time now() const`
    using clock = system_clock_source;
};

namespace detail {
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

template <class T, class = void>
struct is_usersig_source : std::false_type {};
template <class T>
struct is_usersig_source<
    T, std::enable_if_t<
           std::is_same_v<decltype(T::create(std::declval<const credentials&>())), result<T>> &&
           std::is_same_v<decltype(std::declval<T&>().usersig(unix_time(), false)),
                          result<std::string>>>> : std::true_type {};

template <class T, class = void>
struct is_random_policy : std::false_type {};
template <class T>
struct is_random_policy<
    T, std::enable_if_t<std::is_same_v<decltype(std::declval<T&>()()), std::uint32_t>>>
    : std::true_type {};

template <class T, class = void>
struct is_rate_limiter : std::false_type {};
template <class T>
struct is_rate_limiter<
    T, std::enable_if_t<std::is_constructible_v<T, rate_limit_options> &&
                        std::is_same_v<decltype(std::declval<T&>().reserve(
                                           std::chrono::steady_clock::time_point())),
                                       std::chrono::nanoseconds>>> : std::true_type {};

template <class T, class = void>
struct is_retry_policy : std::false_type {};
template <class T>
struct is_retry_policy<
    T,
    std::enable_if_t<std::is_constructible_v<T, retry_options> &&
                     std::is_same_v<decltype(std::declval<const T&>().max_attempts()), unsigned> &&
                     std::is_same_v<decltype(std::declval<const T&>().backoff(1u, std::uint32_t())),
                                    std::chrono::nanoseconds>>> : std::true_type {};

template <class T, class = void>
struct is_clock_policy : std::false_type {};
template <class T>
struct is_clock_policy<
    T, std::enable_if_t<std::is_same_v<decltype(std::declval<const T&>().now()), unix_time>>>
    : std::true_type {};

/// The signed_query of the credentials a client used last, made again only when they change:
/// when its UserSig source hands out a new UserSig (about once a day with the built-in cache).
/// Saves prepare() from checking and encoding the UserSig on every call. Safe to share between
/// threads. It holds a credential, wiped when it is replaced or destroyed.
class signed_query_cache {
  public:
    signed_query_cache() = default;
    /// Takes over `o`'s query. Not concurrent with other use of `o`.
    TRTC_DECL signed_query_cache(signed_query_cache&& o) noexcept;
    signed_query_cache& operator=(signed_query_cache&&) = delete;
    TRTC_DECL ~signed_query_cache();

    /// The query for `ctx` (its sdkappid, identifier and UserSig; `random` is not used): a
    /// copy of the kept one when they are those it was made for, else signed_query::make(ctx),
    /// which is kept when it succeeds.
    TRTC_DECL result<signed_query> get(const request_context& ctx);

    /// How many queries were made so far (for tests and metrics).
    std::size_t queries_made() const noexcept { return made_.load(); }

  private:
    mutex mutex_;
    bool valid_ = false;
    std::uint32_t sdkappid_ = 0;
    std::string identifier_;
    std::string usersig_;
    signed_query query_;
    relaxed_atomic<std::size_t> made_{0};
};

/// HTTP statuses that say a gateway refused the request before the service saw it.
constexpr bool status_means_not_processed(int status) noexcept {
    return status == 408 || status == 429;
}
} // namespace detail

/// A client of the battle APIs. Safe to share between threads: every member function may be
/// called concurrently.
///
/// Each call: waits for the rate limiter; takes a UserSig from the cache (made once, renewed
/// ahead of expiry); validates and prepares the request; sends it through the transport with
/// a deadline; decodes the answer. It retries, with exponential backoff and jitter, only what
/// is safe: failures where the request provably never reached the service, and service codes
/// the catalogue marks retryable. On 70001 it makes a new UserSig and retries once. When the
/// primary domain cannot be resolved or connected to, it tries the backup domain. A
/// non-idempotent request (create_battle, set_battle_score) that may have reached the service
/// without an answer is never resent: the call fails with errc::outcome_unknown, carrying the
/// `random` it was sent with (see docs/errors.md on reconciling).
template <class Policies>
class basic_client {
  public:
    using policies = Policies;
    using transport_type = typename detail::policy_transport<Policies>::type;
    using json_policy = typename Policies::json;
    using usersig_source_type = typename Policies::usersig_source;
    using random_type = typename Policies::random;
    using rate_limiter_type = typename Policies::rate_limiter;
    using retry_type = typename Policies::retry;
    using clock_type = typename Policies::clock;

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
    static_assert(detail::check_json_policy<json_policy>());
    static_assert(detail::is_usersig_source<usersig_source_type>::value,
                  "trtc::basic_client: the usersig_source policy must provide `static "
                  "trtc::result<S> create(const trtc::credentials&)` and "
                  "`trtc::result<std::string> usersig(trtc::unix_time now, bool refresh)`");
    static_assert(detail::is_random_policy<random_type>::value,
                  "trtc::basic_client: the random policy must provide "
                  "`std::uint32_t operator()()`");
    static_assert(detail::is_rate_limiter<rate_limiter_type>::value,
                  "trtc::basic_client: the rate_limiter policy must be constructible from "
                  "trtc::rate_limit_options and provide `std::chrono::nanoseconds "
                  "reserve(std::chrono::steady_clock::time_point now)`");
    static_assert(detail::is_retry_policy<retry_type>::value,
                  "trtc::basic_client: the retry policy must be constructible from "
                  "trtc::retry_options and provide `unsigned max_attempts() const` and "
                  "`std::chrono::nanoseconds backoff(unsigned retry, std::uint32_t entropy) "
                  "const`");
    static_assert(detail::is_clock_policy<clock_type>::value,
                  "trtc::basic_client: the clock policy must provide "
                  "`trtc::unix_time now() const`");

    /// A client, or an error naming what is wrong with the configuration. The secret key is
    /// wiped from `config` once the UserSig source has keyed its HMAC.
    static result<basic_client> create(client_config config,
                                       transport_type transport = transport_type()) {
        auto sigs = usersig_source_type::create(config.creds);
        detail::secure_wipe(config.creds.secret_key.data(), config.creds.secret_key.size());
        config.creds.secret_key.clear();
        if (!sigs) return std::move(sigs).error();
        if (config.creds.identifier.empty())
            return error(errc::invalid_argument, "the admin identifier must not be empty");
        if (config.attempt_timeout.count() <= 0 || config.call_timeout.count() <= 0)
            return error(errc::invalid_argument, "timeouts must be positive");
        if constexpr (detail::has_accepts<transport_type>::value) {
            auto ok = transport_type::accepts(config.where.primary);
            if (ok && config.where.has_backup) ok = transport_type::accepts(config.where.backup);
            if (!ok) return std::move(ok).error();
        }
        return basic_client(std::move(config), std::move(*sigs), std::move(transport));
    }

    basic_client(basic_client&&) = default;

    /// Sends a request of any endpoint and returns its decoded response.
    template <class Request>
    result<typename Request::endpoint::response> call(const Request& req,
                                                      const call_options& opts = {}) {
        using endpoint = typename Request::endpoint;
        using clock = std::chrono::steady_clock;
        const auto started = clock::now();
        const auto deadline =
            started + (opts.timeout.count() > 0 ? opts.timeout : config_.call_timeout);
        const std::uint32_t random = opts.random ? *opts.random : random_();
        const unsigned max_attempts = retry_.max_attempts();
        bool on_backup = false;
        bool refreshed = false;
        unsigned retries = 0;

        std::string last_sig; // to scrub from messages a server might have echoed it into
        auto finish = [&](error e) {
            e.random = random;
            e.has_random = true;
            detail::scrub(e.message, last_sig);
            return e;
        };

        for (unsigned attempt = 1;; ++attempt) {
            // The rate limiter: wait for a slot, unless the wait would pass the deadline. (The
            // first attempt starts when the call does: one clock read fewer.)
            const auto wait = limiter_.reserve(attempt == 1 ? started : clock::now());
            if (wait.count() > 0) {
                if (clock::now() + wait > deadline)
                    return finish(error(errc::rate_limited,
                                        "the client-side rate limit leaves no slot before the "
                                        "call's deadline"));
                detail::sleep_for(wait);
            }

            auto sig = sigs_.usersig(clock_.now(), false);
            if (!sig) return finish(std::move(sig).error());
            last_sig = std::move(*sig);
            const base_url& base = on_backup ? config_.where.backup : config_.where.primary;
            // The credential query is checked and encoded once per UserSig, not per call.
            auto query =
                queries_.get({config_.creds.sdkappid, config_.creds.identifier, last_sig, random});
            if (!query) return finish(std::move(query).error());
            auto http = prepare<json_policy>(req, base, *query, random);
            if (!http) return finish(std::move(http).error()); // invalid: nothing was sent

            const auto sent = clock::now();
            const auto attempt_deadline = sent + config_.attempt_timeout < deadline
                                              ? sent + config_.attempt_timeout
                                              : deadline;
            auto resp = transport_.send(*http, attempt_deadline);
            const auto latency =
                std::chrono::duration_cast<std::chrono::microseconds>(clock::now() - sent);

            error failure;
            std::string request_id;
            bool retryable = false;
            bool refresh = false;
            bool switch_to_backup = false;
            if (!resp) {
                failure = std::move(resp).error();
                const std::error_code ec = failure.code;
                if (may_have_reached_server(ec)) {
                    if (!endpoint::idempotent)
                        failure = outcome_unknown(endpoint::command, failure);
                    else // a read: anything but an over-large answer may be transient
                        retryable = ec != transport_errc::response_too_large;
                } else if ((ec == transport_errc::dns_failure ||
                            ec == transport_errc::connect_refused ||
                            ec == transport_errc::connect_timeout) &&
                           config_.where.has_backup && !on_backup) {
                    switch_to_backup = true;
                } else {
                    retryable = classify(ec) == error_action::retry_with_backoff;
                }
            } else {
                const int status = resp->status;
                auto decoded = decode<endpoint, json_policy>(*resp, random);
                if (decoded) {
                    emit(endpoint::command, attempt, random, *http, on_backup, latency, {},
                         decoded->request_id, call_event::outcome::success, {});
                    return decoded;
                }
                failure = std::move(decoded).error();
                request_id = failure.request_id();
                const std::error_code ec = failure.code;
                if (ec.category() == decode_category()) {
                    // The service (or a gateway) answered, but not with a usable envelope.
                    if (ec == decode_errc::http_status &&
                        detail::status_means_not_processed(status))
                        retryable = true;
                    else if (!endpoint::idempotent)
                        failure = outcome_unknown(endpoint::command, failure);
                    else
                        // A read may be retried after a gateway error or a body that is
                        // not JSON (a proxy's page, a cut answer); a well-formed JSON answer
                        // with the wrong fields would only come back the same.
                        retryable = ec == decode_errc::http_status || ec == decode_errc::not_json;
                } else {
                    // The service's own ErrorCode: it says what happened.
                    const error_action action = classify(ec);
                    if (action == error_action::refresh_signature && !refreshed) {
                        refresh = true;
                    } else {
                        retryable = action == error_action::retry_with_backoff;
                    }
                }
            }

            // Decide: backup domain, new UserSig, backoff, or give up.
            std::chrono::nanoseconds backoff{0};
            bool again = false;
            if (switch_to_backup) {
                on_backup = true;
                again = true;
            } else if (refresh) {
                auto fresh = sigs_.usersig(clock_.now(), true);
                if (fresh) {
                    refreshed = true;
                    again = attempt < max_attempts;
                }
            } else if (retryable && attempt < max_attempts) {
                backoff = retry_.backoff(++retries, random_());
                again = clock::now() + backoff < deadline;
            }
            const std::error_code code = failure.code;
            emit(endpoint::command, attempt, random, *http, on_backup && !switch_to_backup, latency,
                 code, request_id,
                 again ? call_event::outcome::retrying : call_event::outcome::failed, backoff);
            if (!again) return finish(std::move(failure));
            detail::sleep_for(backoff);
            if (clock::now() >= deadline)
                return finish(error(errc::deadline_exceeded,
                                    std::string(endpoint::command) +
                                        ": the call's deadline passed before an answer"));
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
    /// The UserSig source.
    usersig_source_type& usersig_source() noexcept { return sigs_; }
    /// The clock policy object.
    clock_type& clock() noexcept { return clock_; }
    /// The credential queries made so far: one per UserSig (for tests and metrics).
    std::size_t signed_queries_made() const noexcept { return queries_.queries_made(); }
    /// The configuration (its secret key already wiped).
    const client_config& config() const noexcept { return config_; }

  private:
    basic_client(client_config c, usersig_source_type s, transport_type t)
        : config_(std::move(c)), sigs_(std::move(s)), transport_(std::move(t)),
          limiter_(config_.rate_limit), retry_(config_.retry) {}

    static error outcome_unknown(std::string_view command, const error& cause) {
        std::string m(command);
        m += " may have reached the service, but no usable answer came back (";
        m += cause.message.empty() ? cause.code.message() : cause.message;
        m += "); it was not resent. Check with get_battle_info by RoomId before trying again.";
        error e(errc::outcome_unknown, std::move(m));
        e.set_cause(cause.code);
        e.set_request_id(cause.request_id());
        return e;
    }

    void emit(std::string_view command, unsigned attempt, std::uint32_t random,
              const http_request& http, bool backup, std::chrono::microseconds latency,
              std::error_code code, std::string_view request_id, call_event::outcome outcome,
              std::chrono::nanoseconds backoff) {
        if (!config_.on_event) return;
        const std::string url = http.redacted_url();
        call_event ev;
        ev.command = command;
        ev.attempt = attempt;
        ev.random = random;
        ev.redacted_url = url;
        ev.backup_domain = backup;
        ev.latency = latency;
        ev.code = code;
        ev.action = classify(code);
        ev.request_id = request_id;
        ev.result = outcome;
        ev.backoff = backoff;
        config_.on_event(ev);
    }

    client_config config_;
    usersig_source_type sigs_;
    detail::signed_query_cache queries_;
    transport_type transport_;
    random_type random_;
    rate_limiter_type limiter_;
    retry_type retry_;
    clock_type clock_;
};

#if TRTC_DEFINITIONS

namespace detail {

TRTC_DECL void scrub(std::string& text, std::string_view secret) {
    if (secret.size() < 8) return;
    for (std::size_t at = text.find(secret); at != std::string::npos;
         at = text.find(secret, at + 8))
        text.replace(at, secret.size(), "REDACTED");
}

TRTC_DECL void sleep_for(std::chrono::nanoseconds d) noexcept {
    if (d.count() <= 0) return;
#    if defined(_WIN32)
    std::this_thread::sleep_for(d);
#    else
    timespec ts;
    ts.tv_sec = static_cast<time_t>(d.count() / 1000000000);
    ts.tv_nsec = static_cast<long>(d.count() % 1000000000);
    while (::nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
#    endif
}

TRTC_DECL signed_query_cache::signed_query_cache(signed_query_cache&& o) noexcept
    : valid_(o.valid_), sdkappid_(o.sdkappid_), identifier_(std::move(o.identifier_)),
      usersig_(std::move(o.usersig_)), query_(std::move(o.query_)), made_(o.made_.load()) {
    o.valid_ = false;
}

TRTC_DECL signed_query_cache::~signed_query_cache() {
    secure_wipe(usersig_.data(), usersig_.size());
    secure_wipe(query_.text_.data(), query_.text_.size());
}

TRTC_DECL result<signed_query> signed_query_cache::get(const request_context& ctx) {
    lock_guard lock(mutex_);
    if (valid_ && ctx.usersig == usersig_ && ctx.sdkappid == sdkappid_ &&
        ctx.identifier == identifier_)
        return query_;
    auto made = signed_query::make(ctx);
    if (!made) return made;
    secure_wipe(usersig_.data(), usersig_.size());
    secure_wipe(query_.text_.data(), query_.text_.size());
    usersig_.assign(ctx.usersig.data(), ctx.usersig.size());
    identifier_.assign(ctx.identifier.data(), ctx.identifier.size());
    sdkappid_ = ctx.sdkappid;
    query_ = *made;
    valid_ = true;
    made_.fetch_add(1);
    return made;
}

} // namespace detail

#endif // TRTC_DEFINITIONS

TRTC_END_NAMESPACE

#endif // TRTC_CLIENT_HPP
