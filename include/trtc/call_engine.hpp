// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief The call engine: every decision of a call (the rate limit, the UserSig, prepare,
/// deadlines, retries, the backup domain, outcome unknown, events) as a sans-I/O state
/// machine. It sends nothing, sleeps never and reads no clock: its driver passes the time in,
/// carries each request and feeds the answer back. basic_client (trtc/client.hpp) drives it
/// by blocking; the Asio client (trtc/adapters/asio.hpp) on an event loop; your own loop can
/// drive it the same way:
///
/// @code
/// auto call = engine.start_call(request, {}, steady_clock::now());
/// while (call.step() != trtc::call_step::done) {
///     if (call.step() == trtc::call_step::send)
///         call.on_response(my_send(call.request(), call.deadline()), steady_clock::now());
///     else // call_step::wait: come back at call.deadline()
///         call.on_wake(steady_clock::now());
/// }
/// auto response = std::move(call.outcome());
/// @endcode
#ifndef TRTC_CALL_ENGINE_HPP
#define TRTC_CALL_ENGINE_HPP

#include "battle.hpp"
#include "config.hpp"
#include "detail/hmac_sha256.hpp"
#include "detail/scrub.hpp"
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

TRTC_BEGIN_NAMESPACE

/// What became of one attempt of a call (call_event::outcome).
enum class attempt_outcome {
    /// The call succeeded.
    success,
    /// The attempt failed and the call will try again (after call_event::backoff).
    retrying,
    /// The call failed; this is its final error.
    failed,
};

/// One attempt of a call, reported to client_config::on_event for logs and metrics. Holds no
/// secret: the URL is redacted, and neither the key nor a UserSig is reachable from here.
struct call_event {
    std::string_view command;                 ///< "create_battle", ...
    unsigned attempt = 0;                     ///< 1 for the first
    std::uint32_t random = 0;                 ///< the call's random query parameter
    std::string_view redacted_url;            ///< the URL with the UserSig replaced by REDACTED
    bool backup_domain = false;               ///< whether this attempt went to the backup domain
    std::chrono::microseconds latency{0};     ///< of this attempt, from send to answer
    std::error_code code;                     ///< empty on success
    error_action action = error_action::none; ///< classify(code)
    std::string_view request_id;              ///< the service's RequestId, when there was one
    attempt_outcome outcome = attempt_outcome::success; ///< what became of the attempt
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
    // A template, so that its vtable is emitted where it is used (a header-only library has no
    // translation unit to hold it: clang's -Wweak-vtables).
    template <class = void>
    struct base_of {
        virtual ~base_of() = default;
        virtual void call(const call_event&) = 0;
        virtual base_of* clone() const = 0;
    };
    using base = base_of<>;
    template <class F>
    struct holder final : base {
        explicit holder(F f) : fn(std::move(f)) {}
        void call(const call_event& e) override { fn(e); }
        base* clone() const override { return new holder(fn); }
        F fn;
    };
    base* p_ = nullptr;
};

/// Everything a client needs besides its policies.
struct client_config {
    /// The SDKAppID, the admin identifier and the secret key (wiped from this struct's copy
    /// once the client has keyed its HMAC).
    credentials creds;
    /// Where the service is: `location::of(region::singapore)` or `location::parse(url)`.
    location where = location::of(region::china);
    /// The most time one attempt may take. Longer than the service's own 3 s timeout.
    std::chrono::milliseconds attempt_timeout{5000};
    /// The most time a whole call may take, retries and rate-limit waits included.
    std::chrono::milliseconds call_timeout{20000};
    rate_limit_options rate_limit;
    retry_options retry;
    /// Called after every attempt, from the thread that drives the call (the calling thread
    /// of basic_client, the event loop's of the Asio client). Keep it fast; it must not throw.
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

/// The built-in policies, all but the transport, which a client chooses (trtc::client: the
/// built-in HTTP/1.1 one; trtc::https_client: libcurl; the Asio client its own). Derive from
/// it, name the transport and replace what else you need:
/// `struct my_policies : trtc::default_policies { using transport = trtc::curl_transport; };`
///
/// The call engine uses every policy but the transport; basic_client adds the transport:
/// `result<http_response> send(const http_request&, std::chrono::steady_clock::time_point
/// deadline)`, and optionally `static result<void> accepts(const base_url&)`, which
/// basic_client::create() asks about each base URL (a transport that speaks plain http:// only
/// refuses https:// there, not on the first call).
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

/// A rate limiter with the optional `result<nanoseconds> reserve(const slot_request&)`.
template <class T, class = void>
struct has_slot_request_reserve : std::false_type {};
template <class T>
struct has_slot_request_reserve<
    T, std::enable_if_t<
           std::is_same_v<decltype(std::declval<T&>().reserve(std::declval<const slot_request&>())),
                          result<std::chrono::nanoseconds>>>> : std::true_type {};

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
    /// copy of the kept one when they are those it was made for, else signed_query::create(ctx),
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

/// What the retry table of docs/client.md says about one failed attempt.
enum class attempt_verdict {
    /// Returned as it is: the service said no, or trying again would change nothing.
    give_up,
    /// Safe to send again, after a backoff: it provably did not take effect.
    retry,
    /// Not delivered to the primary domain (resolve or connect failed): try the backup domain.
    use_backup,
    /// The UserSig was refused: make a new one, then one more attempt.
    refresh_usersig,
    /// A non-idempotent request that may have taken effect: errc::outcome_unknown.
    outcome_unknown,
};

/// The retry table of docs/client.md, once: the verdict on an attempt that failed with `ec`
/// (`http_status`: the answer's HTTP status, 0 when the transport failed), for an endpoint
/// that is `idempotent` or not, on the backup domain or not (`backup_left`: a backup domain
/// exists and is not in use yet), with the UserSig `refreshed` already in this call or not.
TRTC_DECL attempt_verdict judge_attempt(std::error_code ec, int http_status, bool idempotent,
                                        bool backup_left, bool refreshed) noexcept;
} // namespace detail

/// What a call asks of its driver (engine_call::step()).
enum class call_step {
    /// Send engine_call::request() and pass what the transport returns to on_response(),
    /// with the time; give up on the attempt at engine_call::deadline() (the transport's
    /// deadline).
    send,
    /// Come back at engine_call::deadline() (a rate-limit wait or a backoff) and call
    /// on_wake() with the time.
    wait,
    /// Finished: engine_call::outcome() holds the result.
    done,
};

template <class Policies>
class call_engine;

/// One call in progress: a state machine driven by its driver through step(), on_response(),
/// on_wake() and cancel(). Made by call_engine::start_call(). It refers to its engine and to
/// the request it was started with: both must outlive it. Not thread-safe (one driver), but
/// calls of one engine may run on any threads at once.
template <class Policies, class Request>
class engine_call {
  public:
    using endpoint = typename Request::endpoint;
    using response_type = typename endpoint::response;
    using time_point = std::chrono::steady_clock::time_point;

    engine_call(engine_call&&) = default;
    engine_call& operator=(engine_call&&) = delete;
    ~engine_call() { detail::secure_wipe(last_sig_.data(), last_sig_.size()); }

    /// What to do next.
    call_step step() const noexcept { return step_; }
    /// The request to send. Precondition: step() is call_step::send.
    const http_request& request() const noexcept { return http_; }
    /// call_step::send: when the attempt must give up (its attempt_timeout, or the call's
    /// deadline when sooner); call_step::wait: when to call on_wake().
    time_point deadline() const noexcept { return step_ == call_step::send ? attempt_end_ : wake_; }
    /// The call's own deadline (call_options::timeout or client_config::call_timeout).
    time_point call_deadline() const noexcept { return deadline_; }
    /// The attempt in progress or last made (1 for the first; 0 before any).
    unsigned attempt() const noexcept { return attempt_; }
    /// The `random` query parameter every attempt of this call carries.
    std::uint32_t random() const noexcept { return random_; }
    /// Whether cancel() was called.
    bool cancel_requested() const noexcept { return cancelled_; }

    /// The result. Precondition: step() is call_step::done. Move from it to take it.
    result<response_type>& outcome() noexcept { return *outcome_; }

    /// Feeds the transport's answer to request() at `now`. Precondition: step() is
    /// call_step::send. Decides (see docs/client.md): success, a retry after a backoff
    /// (call_step::wait), the backup domain or a new UserSig (call_step::send again), or the
    /// final error (call_step::done).
    void on_response(result<http_response> resp, time_point now) {
        TRTC_ASSERT(step_ == call_step::send, "engine_call::on_response: no request was sent");
        const auto latency = std::chrono::duration_cast<std::chrono::microseconds>(now - sent_at_);
        int status = 0;
        error failure;
        if (resp) {
            status = resp->status;
            auto decoded = decode<endpoint, json_policy>(*resp, random_);
            if (decoded) {
                notify(latency, {}, decoded->request_id, attempt_outcome::success, {});
                finish(std::move(decoded));
                return;
            }
            failure = std::move(decoded).error();
        } else {
            failure = std::move(resp).error();
        }
        const std::error_code ec = failure.code;
        const std::string request_id = failure.request_id();
        const bool backup_left = engine_->config_.where.has_backup && !on_backup_;
        const detail::attempt_verdict verdict =
            detail::judge_attempt(ec, status, endpoint::idempotent, backup_left, refreshed_);
        if (cancelled_) {
            // The driver cancelled this attempt: nothing more is tried. Whether the request
            // may have taken effect decides between cancelled and outcome unknown.
            if (verdict == detail::attempt_verdict::outcome_unknown)
                failure = outcome_unknown(failure, " (the call was cancelled)");
            else if (ec.category() != service_category()) // the service's own answer says more
                failure = cancelled_error(ec == transport_errc::cancelled
                                              ? " before its request was sent"
                                              : " after its request was sent");
            notify(latency, failure.code, request_id, attempt_outcome::failed, {});
            fail(std::move(failure));
            return;
        }

        std::chrono::nanoseconds backoff{0};
        bool again = false;
        bool switch_to_backup = false;
        switch (verdict) {
        case detail::attempt_verdict::use_backup:
            switch_to_backup = true;
            again = true;
            break;
        case detail::attempt_verdict::refresh_usersig:
            if (engine_->sigs_.usersig(engine_->clock_.now(), true)) {
                refreshed_ = true;
                again = attempt_ < max_attempts_;
            }
            break;
        case detail::attempt_verdict::retry:
            if (attempt_ < max_attempts_) {
                backoff = engine_->retry_.backoff(++retries_, engine_->random_());
                again = now + backoff < deadline_;
            }
            break;
        case detail::attempt_verdict::outcome_unknown:
            failure = outcome_unknown(failure, "");
            break;
        case detail::attempt_verdict::give_up:
            break;
        }
        notify(latency, failure.code, request_id,
               again ? attempt_outcome::retrying : attempt_outcome::failed, backoff);
        if (!again) {
            fail(std::move(failure));
            return;
        }
        if (switch_to_backup) on_backup_ = true;
        if (backoff.count() > 0) {
            step_ = call_step::wait;
            state_ = state::backing_off;
            wake_ = now + std::chrono::duration_cast<time_point::duration>(backoff);
            return;
        }
        next_attempt(now);
    }

    /// The wait asked for by call_step::wait is over (`now` should be at or after deadline();
    /// an early wake waits again). Precondition: step() is call_step::wait.
    void on_wake(time_point now) {
        TRTC_ASSERT(step_ == call_step::wait, "engine_call::on_wake: the call is not waiting");
        if (now < wake_) return; // woken early: still waiting for the same time
        if (state_ == state::waiting_for_slot) {
            if (now >= deadline_)
                return fail(error(errc::deadline_exceeded,
                                  std::string(endpoint::command) +
                                      ": the call's deadline passed while it waited for the "
                                      "rate limiter"));
            send_attempt(now);
            return;
        }
        next_attempt(now);
    }

    /// Cancels the call at `now`. Waiting, or before anything was sent: done at once with
    /// errc::cancelled. While a request is out (call_step::send), the call stays in
    /// call_step::send: the driver cancels its transport operation and still passes what it
    /// returns to on_response(), which ends the call: with the response if it came back
    /// anyway, errc::cancelled if the request provably did not take effect, and
    /// errc::outcome_unknown if a non-idempotent request may have. Done: nothing happens.
    void cancel(time_point now) {
        (void)now;
        if (step_ == call_step::done) return;
        cancelled_ = true;
        if (step_ == call_step::wait)
            fail(cancelled_error(attempt_ == 0 ? " before its first attempt"
                                               : " while it waited to try again"));
    }

  private:
    template <class>
    friend class call_engine;
    using engine_type = call_engine<Policies>;
    using json_policy = typename Policies::json;
    enum class state { waiting_for_slot, backing_off, sending, done };

    engine_call(engine_type& engine, const Request& req, const call_options& opts, time_point now)
        : engine_(&engine), req_(&req),
          deadline_(now + (opts.timeout.count() > 0 ? opts.timeout : engine.config_.call_timeout)),
          random_(opts.random ? *opts.random : engine.random_()),
          max_attempts_(engine.retry_.max_attempts()) {
        next_attempt(now);
    }

    // The next attempt: past the call's deadline, the deadline error; else the rate limiter,
    // waiting for a slot unless the wait would pass the deadline.
    void next_attempt(time_point now) {
        if (attempt_ > 0 && now >= deadline_) {
            fail(error(errc::deadline_exceeded,
                       std::string(endpoint::command) +
                           ": the call's deadline passed before an answer"));
            return;
        }
        std::chrono::nanoseconds wait{0};
        if constexpr (detail::has_slot_request_reserve<
                          typename engine_type::rate_limiter_type>::value) {
            auto w = engine_->limiter_.reserve(
                slot_request{now, deadline_, endpoint::command, engine_->config_.creds.sdkappid});
            if (!w) return fail(std::move(w).error());
            wait = *w;
        } else {
            wait = engine_->limiter_.reserve(now);
        }
        if (wait.count() > 0) {
            const auto until = now + std::chrono::duration_cast<time_point::duration>(wait);
            if (until > deadline_) {
                fail(error(errc::rate_limited, "the client-side rate limit leaves no slot before "
                                               "the call's deadline"));
                return;
            }
            step_ = call_step::wait;
            state_ = state::waiting_for_slot;
            wake_ = until;
            return;
        }
        send_attempt(now);
    }

    // With a slot: the UserSig, the signed query, prepare; then call_step::send.
    void send_attempt(time_point now) {
        ++attempt_;
        auto sig = engine_->sigs_.usersig(engine_->clock_.now(), false);
        if (!sig) return fail(std::move(sig).error());
        detail::secure_wipe(last_sig_.data(), last_sig_.size());
        last_sig_ = std::move(*sig);
        const client_config& cfg = engine_->config_;
        const base_url& base = on_backup_ ? cfg.where.backup : cfg.where.primary;
        // The credential query is checked and encoded once per UserSig, not per call.
        auto query =
            engine_->queries_.get({cfg.creds.sdkappid, cfg.creds.identifier, last_sig_, random_});
        if (!query) return fail(std::move(query).error());
        auto http = prepare<json_policy>(*req_, base, *query, random_);
        if (!http) return fail(std::move(http).error()); // invalid: nothing was sent
        http_ = std::move(*http);
        sent_at_ = now;
        attempt_end_ =
            now + cfg.attempt_timeout < deadline_ ? now + cfg.attempt_timeout : deadline_;
        step_ = call_step::send;
        state_ = state::sending;
    }

    static error cancelled_error(const char* when) {
        std::string m(endpoint::command);
        m += ": cancelled";
        m += when;
        return error(errc::cancelled, std::move(m));
    }

    static error outcome_unknown(const error& cause, const char* why) {
        std::string m(endpoint::command);
        m += " may have reached the service, but no usable answer came back (";
        m += cause.message.empty() ? cause.code.message() : cause.message;
        m += ")";
        m += why;
        m += "; it was not resent. Check with get_battle_info by RoomId before trying again.";
        error e(errc::outcome_unknown, std::move(m));
        e.set_cause(cause.code);
        e.set_request_id(cause.request_id());
        return e;
    }

    // Whether `text` is long enough to hold a piece of the UserSig that detail::scrub removes
    // (a run of scrub_run characters, or the whole UserSig when it is shorter).
    bool may_hold_sig(std::string_view text) const noexcept {
        return !last_sig_.empty() &&
               text.size() >=
                   (last_sig_.size() < detail::scrub_run ? last_sig_.size() : detail::scrub_run);
    }

    void fail(error e) {
        e.random = random_;
        e.has_random = true;
        detail::scrub(e.message, last_sig_);
        if (may_hold_sig(e.request_id())) {
            std::string id = e.request_id();
            detail::scrub(id, last_sig_);
            if (id != e.request_id()) e.set_request_id(std::move(id));
        }
        finish(result<response_type>(std::move(e)));
    }
    void finish(result<response_type> r) {
        outcome_.emplace(std::move(r));
        step_ = call_step::done;
        state_ = state::done;
    }

    void notify(std::chrono::microseconds latency, std::error_code code,
                std::string_view request_id, attempt_outcome outcome,
                std::chrono::nanoseconds backoff) const {
        const client_config& cfg = engine_->config_;
        if (!cfg.on_event) return;
        const std::string url = http_.redacted_url();
        std::string scrubbed_id; // a server may have echoed the UserSig into its RequestId
        if (may_hold_sig(request_id)) {
            scrubbed_id.assign(request_id);
            detail::scrub(scrubbed_id, last_sig_);
            request_id = scrubbed_id;
        }
        call_event ev;
        ev.command = endpoint::command;
        ev.attempt = attempt_;
        ev.random = random_;
        ev.redacted_url = url;
        ev.backup_domain = on_backup_;
        ev.latency = latency;
        ev.code = code;
        ev.action = classify(code);
        ev.request_id = request_id;
        ev.outcome = outcome;
        ev.backoff = backoff;
        cfg.on_event(ev);
    }

    engine_type* engine_;
    const Request* req_;
    time_point deadline_;
    std::uint32_t random_;
    unsigned max_attempts_;
    unsigned attempt_ = 0;
    unsigned retries_ = 0;
    bool on_backup_ = false;
    bool refreshed_ = false;
    bool cancelled_ = false;
    call_step step_ = call_step::send;
    state state_ = state::sending;
    time_point wake_{};
    time_point sent_at_{};
    time_point attempt_end_{};
    std::string last_sig_; // to scrub from messages a server might have echoed it into
    http_request http_;
    std::optional<result<response_type>> outcome_;
};

/// The call engine of a client: its configuration and every policy but the transport (the
/// UserSig source, the signed-query cache, the rate limiter, the retry policy, random, the
/// clock). Each call is an engine_call made by start_call(). Safe to share between threads:
/// calls may be started and driven on any threads at once.
///
/// The engine reads no clock for its timing: the steady time is passed to every step, so a
/// driver may run it on an event loop's time or a test on a simulated one. Wall-clock time,
/// which only the UserSig needs, comes from the clock policy.
template <class Policies>
class call_engine {
  public:
    using policies = Policies;
    using json_policy = typename Policies::json;
    using usersig_source_type = typename Policies::usersig_source;
    using random_type = typename Policies::random;
    using rate_limiter_type = typename Policies::rate_limiter;
    using retry_type = typename Policies::retry;
    using clock_type = typename Policies::clock;

    static_assert(detail::check_json_policy<json_policy>());
    static_assert(detail::is_usersig_source<usersig_source_type>::value,
                  "trtc::call_engine: the usersig_source policy must provide `static "
                  "trtc::result<S> create(const trtc::credentials&)` and "
                  "`trtc::result<std::string> usersig(trtc::unix_time now, bool refresh)`");
    static_assert(detail::is_random_policy<random_type>::value,
                  "trtc::call_engine: the random policy must provide "
                  "`std::uint32_t operator()()`");
    static_assert(detail::is_rate_limiter<rate_limiter_type>::value,
                  "trtc::call_engine: the rate_limiter policy must be constructible from "
                  "trtc::rate_limit_options and provide `std::chrono::nanoseconds "
                  "reserve(std::chrono::steady_clock::time_point now)`");
    static_assert(detail::is_retry_policy<retry_type>::value,
                  "trtc::call_engine: the retry policy must be constructible from "
                  "trtc::retry_options and provide `unsigned max_attempts() const` and "
                  "`std::chrono::nanoseconds backoff(unsigned retry, std::uint32_t entropy) "
                  "const`");
    static_assert(detail::is_clock_policy<clock_type>::value,
                  "trtc::call_engine: the clock policy must provide "
                  "`trtc::unix_time now() const`");

    /// An engine, or an error naming what is wrong with the configuration. The secret key is
    /// wiped from `config` once the UserSig source has keyed its HMAC.
    static result<call_engine> create(client_config config) {
        auto sigs = usersig_source_type::create(config.creds);
        detail::secure_wipe(config.creds.secret_key.data(), config.creds.secret_key.size());
        config.creds.secret_key.clear();
        if (!sigs) return std::move(sigs).error();
        if (config.creds.identifier.empty())
            return error(errc::invalid_argument, "the admin identifier must not be empty");
        if (config.attempt_timeout.count() <= 0 || config.call_timeout.count() <= 0)
            return error(errc::invalid_argument, "timeouts must be positive");
        return call_engine(std::move(config), std::move(*sigs));
    }

    call_engine(call_engine&&) = default;

    /// Starts a call of `req` at `now`: the first step is call_step::send, call_step::wait
    /// (for the rate limiter) or call_step::done (an invalid request, no UserSig, no slot
    /// before the deadline). `req` and the engine must outlive the call.
    template <class Request>
    engine_call<Policies, Request> start_call(const Request& req, const call_options& opts,
                                              std::chrono::steady_clock::time_point now) {
        return engine_call<Policies, Request>(*this, req, opts, now);
    }

    /// The UserSig source.
    usersig_source_type& usersig_source() noexcept { return sigs_; }
    /// The clock policy object.
    clock_type& clock() noexcept { return clock_; }
    /// The rate limiter.
    rate_limiter_type& rate_limiter() noexcept { return limiter_; }
    /// The credential queries made so far: one per UserSig (for tests and metrics).
    std::size_t signed_queries_made() const noexcept { return queries_.queries_made(); }
    /// The configuration (its secret key already wiped).
    const client_config& config() const noexcept { return config_; }

  private:
    template <class, class>
    friend class engine_call;

    call_engine(client_config c, usersig_source_type s)
        : config_(std::move(c)), sigs_(std::move(s)), limiter_(config_.rate_limit),
          retry_(config_.retry) {}

    client_config config_;
    usersig_source_type sigs_;
    detail::signed_query_cache queries_;
    random_type random_;
    rate_limiter_type limiter_;
    retry_type retry_;
    clock_type clock_;
};

#if TRTC_DEFINITIONS

namespace detail {

TRTC_DECL attempt_verdict judge_attempt(std::error_code ec, int http_status, bool idempotent,
                                        bool backup_left, bool refreshed) noexcept {
    if (http_status == 0) {
        // The transport failed: was the request delivered?
        if (ec.category() == transport_category()) {
            const auto t = static_cast<transport_errc>(ec.value());
            if (t == transport_errc::cancelled || t == transport_errc::cancelled_after_send)
                return idempotent || t == transport_errc::cancelled
                           ? attempt_verdict::give_up
                           : attempt_verdict::outcome_unknown;
            if (backup_left &&
                (t == transport_errc::dns_failure || t == transport_errc::connect_refused ||
                 t == transport_errc::connect_timeout))
                return attempt_verdict::use_backup;
        }
        if (may_have_taken_effect(ec)) {
            if (!idempotent) return attempt_verdict::outcome_unknown;
            // A read: anything but an over-large answer may be transient.
            return ec == transport_errc::response_too_large ? attempt_verdict::give_up
                                                            : attempt_verdict::retry;
        }
        return classify(ec) == error_action::retry_with_backoff ? attempt_verdict::retry
                                                                : attempt_verdict::give_up;
    }
    if (ec.category() == decode_category()) {
        // The service (or a gateway) answered, but not with a usable envelope.
        if (ec == decode_errc::http_status && status_means_not_processed(http_status))
            return attempt_verdict::retry;
        if (!idempotent) return attempt_verdict::outcome_unknown;
        // A read may be retried after any answer it cannot decode (a gateway's page, a cut or
        // garbled body, a field missing or out of bounds): the next answer may be whole. Only
        // an over-large body would come back the same.
        return ec == decode_errc::body_too_large ? attempt_verdict::give_up
                                                 : attempt_verdict::retry;
    }
    // The service's own ErrorCode: it says what happened.
    const error_action action = classify(ec);
    if (action == error_action::refresh_signature && !refreshed)
        return attempt_verdict::refresh_usersig;
    return action == error_action::retry_with_backoff ? attempt_verdict::retry
                                                      : attempt_verdict::give_up;
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
    auto made = signed_query::create(ctx);
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

#endif // TRTC_CALL_ENGINE_HPP
