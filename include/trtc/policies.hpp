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

/// Rate limiter policy: constructible from rate_limit_options, and
/// `std::chrono::nanoseconds reserve(std::chrono::steady_clock::time_point now)`, which books a
/// slot for one call and returns how long the caller must wait before making it. Thread-safe.
/// A limiter shared between processes (shared memory, Redis) implements the same function.
///
/// The built-in one is a lock-free token bucket (the generic cell rate algorithm: one atomic
/// "theoretical arrival time").
class token_bucket {
  public:
    explicit token_bucket(rate_limit_options o = {}) noexcept
        : interval_(o.per_second > 0 ? static_cast<std::int64_t>(1e9 / o.per_second) : 0),
          tolerance_(interval_ * static_cast<std::int64_t>(o.burst > 0 ? o.burst - 1 : 0)) {}
    token_bucket(const token_bucket& o) noexcept
        : interval_(o.interval_), tolerance_(o.tolerance_), tat_(o.tat_.load()) {}

    /// Books one slot; returns the wait before it (zero when the call may go now).
    std::chrono::nanoseconds reserve(std::chrono::steady_clock::time_point now) noexcept;

  private:
    static constexpr std::int64_t nanos_per_tick = std::chrono::steady_clock::period::num *
                                                   1000000000 /
                                                   std::chrono::steady_clock::period::den;
    std::int64_t interval_;
    std::int64_t tolerance_;
    detail::relaxed_atomic<std::int64_t> tat_{0};
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

TRTC_DECL std::chrono::nanoseconds
token_bucket::reserve(std::chrono::steady_clock::time_point now) noexcept {
    if (interval_ <= 0) return std::chrono::nanoseconds(0);
    const std::int64_t t = now.time_since_epoch().count() * nanos_per_tick;
    std::int64_t tat = tat_.load();
    while (true) {
        // The slot goes at max(tat - tolerance, now); the next one an interval later.
        const std::int64_t next = (tat > t ? tat : t) + interval_;
        if (tat_.compare_exchange_weak(tat, next)) {
            const std::int64_t wait = (tat - tolerance_) - t;
            return std::chrono::nanoseconds(wait > 0 ? wait : 0);
        }
    }
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
