// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief The client's built-in policies: random source, rate limiter, retry schedule, clock
/// and UserSig cache. Each contract is one to three functions, checked by a static_assert in
/// basic_client that shows the expected signature.
#ifndef TRTC_POLICIES_HPP
#define TRTC_POLICIES_HPP

#include "config.hpp"
#include "detail/mutex.hpp"
#include "errors.hpp"
#include "result.hpp"
#include "usersig.hpp"

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#if TRTC_DEFINITIONS
#    include <cstring>

#    if defined(_WIN32)
#        include <random>
#    elif defined(__APPLE__)
#        include <sys/random.h> // getentropy
#    else
#        include <unistd.h> // getentropy
#    endif
#endif

TRTC_BEGIN_NAMESPACE

// ---------------------------------------------------------------------------------------------
/// Random source policy: `std::uint32_t operator()()`, safe to call from many threads.
///
/// The built-in one draws the `random` query parameter from a per-thread xoshiro128++ stream
/// seeded from the operating system's entropy (getentropy; rand_s on Windows), so every
/// value of the full 32-bit range is possible and threads never share state.
struct default_random {
    std::uint32_t operator()() const noexcept;

  private:
    struct state {
        std::uint32_t x[4];
        static state seeded() noexcept;
        static std::uint32_t rotl(std::uint32_t v, int k) noexcept {
            return (v << k) | (v >> (32 - k));
        }
        std::uint32_t next() noexcept;
    };
};

// ---------------------------------------------------------------------------------------------
/// How fast calls may go.
struct rate_limit_options {
    /// Sustained calls per second (the service allows 200 per API). 0 or less: no limit.
    double per_second = 200;
    /// Calls that may go at once after a quiet period.
    unsigned burst = 20;
};

/// What an extended rate limiter learns about the slot it books (see the optional overload of
/// the rate limiter contract below).
struct slot_request {
    /// The time of the booking (the call engine's steady time).
    std::chrono::steady_clock::time_point now;
    /// The call's own deadline: a limiter that must ask a server bounds its round trip by it,
    /// and need not book a slot the call could not use.
    std::chrono::steady_clock::time_point deadline;
    /// The API called (the endpoint's command, e.g. "CreateBattle" or its path).
    std::string_view api;
    /// The application the call is made for.
    std::uint32_t sdkappid = 0;
};

/// Rate limiter policy: constructible from rate_limit_options, and
/// `std::chrono::nanoseconds reserve(std::chrono::steady_clock::time_point now)`, which books a
/// slot for one call and returns how long the caller must wait before making it. Thread-safe.
///
/// A limiter may also provide `result<std::chrono::nanoseconds> reserve(const slot_request&)`,
/// which the call engine then prefers: it learns the call's deadline, the API and the
/// SDKAppID, and may fail the call (an error, which the call ends with: errc::rate_limited
/// and the cause). A limiter shared between processes implements that one
/// (trtc::redis_rate_limiter in trtc/adapters/redis.hpp).
///
/// The built-in one is a token bucket (the generic cell rate algorithm: a "theoretical arrival
/// time" gives `burst` calls at once after a quiet period and `per_second` calls a second
/// after that) held to the service's strictest reading of its limit: at most `per_second`
/// calls (rounded down, at least one) in ANY sliding second, whatever the burst. A sliding
/// log of the last `per_second` slots granted does that:
///
/// - every slot granted is at or after the one granted before it (slot_k >= slot_{k-1}), and
/// - at least one second after the slot granted `per_second` bookings before it
///   (slot_k >= slot_{k-L} + 1 s, L = per_second).
///
/// Proof: take any window [a, a + 1 s). The slots in it are consecutive bookings i..j (the
/// slots are ordered). Were there more than L, j - i >= L, so slot_j >= slot_{j-L} + 1 s >=
/// slot_i + 1 s >= a + 1 s: slot_j would not be in the window. So at most L slots are in any
/// window of one second. The token bucket only ever delays a slot further, so both hold.
/// (tests/test_policies.cpp checks every window of a long simulated sequence.)
///
/// Each booking takes a mutex held for a few comparisons (no allocation; the log is allocated
/// once, 8 bytes per call a second, at most 65536 entries). Above 65536 calls a second the log
/// is not kept and the bucket's interval is shortened instead to `1 s / (per_second + 1 -
/// burst)`, which bounds any second the same way (n calls in [a, a + 1 s) need (n - 1)
/// intervals minus the (burst - 1) intervals of tolerance to fit in under a second).
class token_bucket {
  public:
    explicit token_bucket(rate_limit_options o = {});
    token_bucket(const token_bucket& o);
    token_bucket& operator=(const token_bucket&) = delete;

    /// Books one slot; returns the wait before it (zero when the call may go now).
    std::chrono::nanoseconds reserve(std::chrono::steady_clock::time_point now) noexcept;

  private:
    static constexpr std::int64_t nanos_per_tick = std::chrono::steady_clock::period::num *
                                                   1000000000 /
                                                   std::chrono::steady_clock::period::den;
    static constexpr std::int64_t window_ = 1000000000;
    static constexpr std::size_t max_log = 65536;
    std::int64_t interval_ = 0;
    std::int64_t tolerance_ = 0;
    mutable detail::mutex mutex_;
    std::int64_t tat_ = 0;
    std::int64_t last_ = 0;
    // The ring of the last log_.size() slots; head_ is the oldest once full.
    std::vector<std::int64_t> log_;
    std::size_t head_ = 0;
    std::size_t filled_ = 0;
};

// ---------------------------------------------------------------------------------------------
/// How failed calls are retried.
struct retry_options {
    /// Attempts per call, the first included (1 = never retry).
    unsigned max_attempts = 3;
    /// The first backoff; each later one is `multiplier` times longer, up to max_backoff.
    std::chrono::milliseconds initial_backoff{100};
    std::chrono::milliseconds max_backoff{2000};
    double multiplier = 2.0;
    /// The share of each backoff that is random: 0.2 waits between 80% and 100% of it.
    double jitter = 0.2;
};

/// Retry policy: constructible from retry_options, with `unsigned max_attempts() const` and
/// `std::chrono::nanoseconds backoff(unsigned retry, std::uint32_t entropy) const` (retry is 1
/// before the second attempt; entropy is a fresh random value for the jitter). Which failures
/// are retried is not the policy's choice: the client retries only what the error catalogue
/// marks retryable, and never resends a non-idempotent request that may have arrived.
class exponential_backoff {
  public:
    explicit exponential_backoff(retry_options o = {}) noexcept : o_(o) {}

    unsigned max_attempts() const noexcept { return o_.max_attempts == 0 ? 1 : o_.max_attempts; }

    std::chrono::nanoseconds backoff(unsigned retry, std::uint32_t entropy) const noexcept;

  private:
    retry_options o_;
};

// ---------------------------------------------------------------------------------------------
/// Clock policy: `unix_time now() const`: the wall clock UserSigs are signed with. (Deadlines
/// use std::chrono::steady_clock.)
struct system_clock_source {
    unix_time now() const noexcept { return unix_now(); }
};

// ---------------------------------------------------------------------------------------------
/// What the client needs to sign its requests.
struct credentials {
    std::uint32_t sdkappid = 0;
    /// The App administrator account.
    std::string identifier;
    /// The console's secret key. The client keeps only the prekeyed HMAC state, and wipes
    /// its copy of this string once that is made.
    std::string secret_key;
    /// How long each UserSig is valid; the cache renews it ahead of expiry.
    std::chrono::seconds usersig_validity{std::chrono::hours(24)};
};

/// UserSig source policy: `static result<S> create(const credentials&)` and
/// `result<std::string> usersig(unix_time now, bool refresh)`, which returns a valid UserSig
/// (made anew when `refresh` is true). Thread-safe.
///
/// The built-in cache signs once and reuses the sig until a margin before its expiry (a
/// quarter of its validity, at most one hour), then signs again: never once per call.
template <class Hmac = builtin_hmac_sha256, class Deflate = stored_deflate>
class usersig_cache {
  public:
    using signer_type = basic_usersig_signer<Hmac, Deflate>;

    static result<usersig_cache> create(const credentials& c) {
        auto s = signer_type::create(c.sdkappid, c.secret_key);
        if (!s) return std::move(s).error();
        auto id = detail::check_identifier(c.identifier);
        if (!id) return std::move(id).error();
        if (c.usersig_validity.count() <= 0 || c.usersig_validity.count() > signer_type::max_expire)
            return error(errc::invalid_argument,
                         "usersig_validity must be between 1 s and 2147483647 s");
        return usersig_cache(std::move(*s), c.identifier, c.usersig_validity);
    }

    usersig_cache(usersig_cache&& o) noexcept
        : signer_(std::move(o.signer_)), identifier_(std::move(o.identifier_)),
          validity_(o.validity_), sig_(std::move(o.sig_)), signed_at_(o.signed_at_),
          renew_at_(o.renew_at_), made_(o.made_.load()) {}

    result<std::string> usersig(unix_time now, bool refresh) {
        detail::lock_guard lock(mutex_);
        if (!refresh && !sig_.empty() && now < renew_at_ && now >= signed_at_) return sig_;
        auto s = signer_.generate(identifier_, validity_, now);
        if (!s) return std::move(s).error();
        sig_ = std::move(*s);
        signed_at_ = now;
        const std::chrono::seconds margin =
            validity_ / 4 < std::chrono::seconds(std::chrono::hours(1))
                ? std::chrono::seconds(validity_ / 4)
                : std::chrono::seconds(std::chrono::hours(1));
        renew_at_ = now + (validity_ - margin);
        made_.fetch_add(1);
        return sig_;
    }

    /// How many UserSigs were made so far (for tests and metrics).
    std::size_t signatures_made() const noexcept { return made_.load(); }

  private:
    usersig_cache(signer_type s, std::string id, std::chrono::seconds validity)
        : signer_(std::move(s)), identifier_(std::move(id)), validity_(validity) {}

    detail::mutex mutex_;
    signer_type signer_;
    std::string identifier_;
    std::chrono::seconds validity_;
    std::string sig_;
    unix_time signed_at_{};
    unix_time renew_at_{};
    detail::relaxed_atomic<std::size_t> made_{0};
};

#if TRTC_DEFINITIONS

TRTC_DECL std::uint32_t default_random::operator()() const noexcept {
    thread_local state s = state::seeded();
    return s.next();
}

namespace detail {
// Fills `out` from the operating system's entropy source; false when there is none.
inline bool os_entropy(std::uint32_t (&out)[4]) noexcept {
#    if defined(_WIN32)
    // The C runtime's rand_s (RtlGenRandom), through the standard library.
#        if TRTC_USE_EXCEPTIONS
    try {
#        endif
        std::random_device rd;
        for (std::uint32_t& w : out) w = static_cast<std::uint32_t>(rd());
        return true;
#        if TRTC_USE_EXCEPTIONS
    } catch (...) {
        return false;
    }
#        endif
#    else
    return ::getentropy(out, sizeof(out)) == 0;
#    endif
}
} // namespace detail

TRTC_DECL default_random::state default_random::state::seeded() noexcept {
    state s{};
    if (!detail::os_entropy(s.x)) {
        // No entropy source: mix the clock and a per-thread address.
        std::uint64_t t =
            static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
        std::uint64_t a = reinterpret_cast<std::uintptr_t>(&s);
        std::uint64_t z = t ^ (a << 17) ^ 0x9E3779B97F4A7C15ULL;
        for (std::uint32_t& w : s.x) {
            z += 0x9E3779B97F4A7C15ULL;
            std::uint64_t m = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
            m = (m ^ (m >> 27)) * 0x94D049BB133111EBULL;
            w = static_cast<std::uint32_t>(m ^ (m >> 31));
        }
    }
    if ((s.x[0] | s.x[1] | s.x[2] | s.x[3]) == 0) s.x[0] = 1;
    return s;
}

TRTC_DECL std::uint32_t default_random::state::next() noexcept {
    const std::uint32_t result = rotl(x[0] + x[3], 7) + x[0];
    const std::uint32_t t = x[1] << 9;
    x[2] ^= x[0];
    x[3] ^= x[1];
    x[1] ^= x[2];
    x[0] ^= x[3];
    x[2] ^= t;
    x[3] = rotl(x[3], 11);
    return result;
}

TRTC_DECL token_bucket::token_bucket(rate_limit_options o) {
    if (!(o.per_second > 0)) return;
    const double per_second = o.per_second < 1e9 ? o.per_second : 1e9;
    const std::int64_t burst = o.burst > 0 ? static_cast<std::int64_t>(o.burst) : 1;
    std::int64_t limit = static_cast<std::int64_t>(per_second);
    if (limit < 1) limit = 1;
    interval_ = static_cast<std::int64_t>(1e9 / per_second);
    if (interval_ < 1) interval_ = 1;
    if (static_cast<std::size_t>(limit) <= max_log) {
        log_.assign(static_cast<std::size_t>(limit), 0);
    } else if (burst > 1) {
        // No log: n calls in a second need (n - 1) * interval - tolerance < 1 s, so with
        // interval >= 1 s / (limit + 1 - burst) at most `limit` fit.
        const std::int64_t room = limit + 1 - burst > 0 ? limit + 1 - burst : 1;
        const std::int64_t tight = (window_ + room - 1) / room;
        if (tight > interval_) interval_ = tight;
    }
    tolerance_ = interval_ * (burst - 1);
}

TRTC_DECL token_bucket::token_bucket(const token_bucket& o) {
    detail::lock_guard lock(o.mutex_);
    interval_ = o.interval_;
    tolerance_ = o.tolerance_;
    tat_ = o.tat_;
    last_ = o.last_;
    log_ = o.log_;
    head_ = o.head_;
    filled_ = o.filled_;
}

TRTC_DECL std::chrono::nanoseconds
token_bucket::reserve(std::chrono::steady_clock::time_point now) noexcept {
    if (interval_ <= 0) return std::chrono::nanoseconds(0);
    const std::int64_t t = now.time_since_epoch().count() * nanos_per_tick;
    detail::lock_guard lock(mutex_);
    // The slot: now, or later if the bucket, the slot before, or the log says so.
    std::int64_t slot = t;
    if (tat_ - tolerance_ > slot) slot = tat_ - tolerance_;
    if (filled_ > 0 && last_ > slot) slot = last_;
    if (!log_.empty() && filled_ == log_.size() && log_[head_] + window_ > slot)
        slot = log_[head_] + window_;
    tat_ = (tat_ > slot ? tat_ : slot) + interval_;
    last_ = slot;
    if (!log_.empty()) {
        log_[head_] = slot;
        head_ = head_ + 1 == log_.size() ? 0 : head_ + 1;
        if (filled_ < log_.size()) ++filled_;
    } else {
        filled_ = 1;
    }
    return std::chrono::nanoseconds(slot - t);
}

TRTC_DECL std::chrono::nanoseconds
exponential_backoff::backoff(unsigned retry, std::uint32_t entropy) const noexcept {
    double ms = static_cast<double>(o_.initial_backoff.count());
    for (unsigned i = 1; i < retry && ms < static_cast<double>(o_.max_backoff.count()); ++i)
        ms *= o_.multiplier;
    if (ms > static_cast<double>(o_.max_backoff.count()))
        ms = static_cast<double>(o_.max_backoff.count());
    const double jitter = o_.jitter < 0.0 ? 0.0 : o_.jitter > 1.0 ? 1.0 : o_.jitter;
    const double unit = static_cast<double>(entropy) / 4294967296.0; // [0, 1)
    ms *= 1.0 - jitter * unit;
    return std::chrono::nanoseconds(static_cast<std::int64_t>(ms * 1e6));
}

#endif // TRTC_DEFINITIONS

TRTC_END_NAMESPACE

#endif // TRTC_POLICIES_HPP
