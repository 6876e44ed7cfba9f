// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief Opt-in adapter: trtc::redis_rate_limiter, a rate limiter policy shared by every
/// process that uses the same Redis key, over hiredis (0.14 or 1.x).
///
/// Link hiredis (CMake: trtc::redis; meson: dependency('trtc_battle-redis'); pkg-config:
/// trtc_battle-redis). Each call's slot is booked by one Lua script, run atomically by Redis
/// (EVALSHA; loaded again after a Redis restart answers NOSCRIPT), on the Redis server's clock
/// (TIME), so the processes' own clocks do not matter. It keeps, per key, the log of the last
/// `limit` slots granted and the token bucket's theoretical arrival time, and grants a slot
/// only if it is:
///
/// - at or after the last slot granted (the slots are ordered),
/// - at least one window (1 s + options.margin) after the slot granted `limit` bookings
///   earlier,
/// - and no earlier than the token bucket allows (`burst` at once after a quiet period).
///
/// So the fleet never has more than `limit` slots in any sliding window (the proof is
/// trtc::token_bucket's, in trtc/policies.hpp). The margin covers the time between a slot and
/// the request's arrival at the service, which differs between calls (a timer wakes late, a
/// connection is busy): without it two calls a second apart by their slots can arrive less
/// than a second apart.
///
/// The key: `{<prefix>:<sdkappid>:<api>}:log` and `...:tat` (without the API when
/// options.per_api is false). The braces are a Redis Cluster hash tag: both keys of a booking
/// live in one slot. (The limiter does not follow MOVED redirections: point it at the node
/// holding the key, or at a proxy.)
///
/// Connection: `redis://[user:password@]host[:port][/db]`, one connection behind a mutex,
/// opened on first use. Connect and command timeouts are bounded by the call's deadline.
/// When Redis cannot be reached (refused, timed out, an error reply), the next attempt to
/// connect waits a backoff that doubles up to options.max_reconnect_backoff; meanwhile every
/// booking takes the failure policy at once: a local token_bucket at options.fallback_share
/// of the limit (redis_failure_policy::local_fallback, reported through options.on_event), or
/// the call fails with errc::rate_limited and the cause (redis_failure_policy::fail). A
/// booking therefore never waits longer than one connect or one command timeout for Redis.
///
/// The password (from the URL, a file or an environment variable) is sent in AUTH and kept
/// nowhere else: no error, event or description holds it.
///
/// hiredis resolves a host name synchronously (getaddrinfo), outside the connect timeout: give
/// an IP address, or a name the local resolver answers at once (/etc/hosts, a local cache).
#ifndef TRTC_ADAPTERS_REDIS_HPP
#define TRTC_ADAPTERS_REDIS_HPP

#include "../call_engine.hpp"
#include "../config.hpp"
#include "../detail/hmac_sha256.hpp"
#include "../detail/mutex.hpp"
#include "../detail/narrow.hpp"
#include "../detail/scrub.hpp"
#include "../errors.hpp"
#include "../policies.hpp"
#include "../result.hpp"

#include <hiredis/hiredis.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#if !defined(_WIN32)
#    include <csignal>
#    include <ctime>
#    include <pthread.h>
#    include <sys/time.h>
#endif

#if !defined(HIREDIS_MAJOR)
#    error "trtc/adapters/redis.hpp needs hiredis (0.14 or later)"
#endif
#if HIREDIS_MAJOR == 0 && HIREDIS_MINOR < 14
#    error "trtc/adapters/redis.hpp needs hiredis 0.14 or later"
#endif

TRTC_BEGIN_NAMESPACE

/// What redis_rate_limiter does when Redis cannot be reached.
enum class redis_failure_policy {
    /// Book in a local token bucket at redis_limiter_options::fallback_share of the limit,
    /// until Redis answers again.
    local_fallback,
    /// Fail the call with errc::rate_limited and the cause.
    fail,
};

/// A change of redis_rate_limiter's state, for redis_limiter_options::on_event.
struct redis_limiter_event {
    enum class kind {
        /// Redis could not be reached: `cause` says why. With local_fallback, bookings are
        /// local from now on.
        unavailable,
        /// Redis answers again: bookings are shared again.
        recovered,
        /// The script was loaded into Redis (first use, or NOSCRIPT after a restart).
        script_loaded,
    };
    kind what = kind::unavailable;
    /// Why (for `unavailable`); never holds the password.
    std::string_view cause;
};

/// Options of redis_rate_limiter.
struct redis_limiter_options {
    /// `redis://[user:password@]host[:port][/db]` (port 6379 and db 0 by default; user and
    /// password percent-decoded; an IPv6 host in brackets).
    std::string url = "redis://127.0.0.1:6379";
    /// A file whose content (a trailing newline removed) is the password; empty: none.
    std::string password_file;
    /// An environment variable holding the password; empty: none. At most one of the URL,
    /// password_file and password_env may give a password.
    std::string password_env;
    /// The first part of the keys.
    std::string key_prefix = "trtc";
    /// One budget per API (the service's limit is per API), else one for the whole app.
    bool per_api = true;
    /// Added to the one-second window (see the file comment): the fleet's sustained rate is
    /// limit / (1 s + margin).
    std::chrono::milliseconds margin{50};
    /// The most time to connect (and AUTH, SELECT, SCRIPT LOAD), within the call's deadline.
    std::chrono::milliseconds connect_timeout{250};
    /// The most time one booking may wait for Redis, within the call's deadline.
    std::chrono::milliseconds command_timeout{100};
    /// The wait before reconnecting after a failure, doubled after each failed attempt up to
    /// max_reconnect_backoff.
    std::chrono::milliseconds reconnect_backoff{100};
    std::chrono::milliseconds max_reconnect_backoff{2000};
    redis_failure_policy on_failure = redis_failure_policy::local_fallback;
    /// With local_fallback: the share of the limit (and of the burst) this process takes
    /// alone while Redis is away, e.g. 1 / the number of processes of the fleet.
    double fallback_share = 0.25;
    /// Called on every change of state, from the thread that booked, after the limiter's lock
    /// is released. Keep it fast; it must not throw.
    std::function<void(const redis_limiter_event&)> on_event;
};

/// Counters of redis_rate_limiter (for tests and metrics).
struct redis_limiter_stats {
    /// Slots booked in Redis.
    std::uint64_t shared = 0;
    /// Slots booked in the local fallback bucket.
    std::uint64_t local = 0;
    /// Bookings refused: the wait passed the call's deadline (nothing booked), or Redis was
    /// unavailable under redis_failure_policy::fail.
    std::uint64_t refused = 0;
    /// Connections opened.
    std::uint64_t connects = 0;
    /// Times the script was loaded (first use, NOSCRIPT).
    std::uint64_t script_loads = 0;
    /// Times Redis became unavailable.
    std::uint64_t outages = 0;
};

namespace detail {

/// The parts of a redis:// URL.
struct redis_endpoint {
    std::string host;
    int port = 6379;
    int db = 0;
    std::string user;
    std::string password;
    bool has_password = false;
};

inline int redis_hex(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

inline bool redis_percent_decode(std::string_view in, std::string& out) {
    out.clear();
    for (std::size_t i = 0; i < in.size(); ++i) {
        if (in[i] != '%') {
            out += in[i];
            continue;
        }
        if (i + 2 >= in.size()) return false;
        const int h = redis_hex(in[i + 1]);
        const int l = redis_hex(in[i + 2]);
        if (h < 0 || l < 0) return false;
        out += static_cast<char>(h * 16 + l);
        i += 2;
    }
    return true;
}

inline bool redis_number(std::string_view s, int lo, int hi, int& out) noexcept {
    if (s.empty() || s.size() > 9) return false;
    int v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return false;
        v = v * 10 + (c - '0');
    }
    if (v < lo || v > hi) return false;
    out = v;
    return true;
}

/// Parses `redis://[user:password@]host[:port][/db]`. The errors never quote the user
/// information (which holds the password).
inline result<redis_endpoint> parse_redis_url(std::string_view url) {
    constexpr std::string_view scheme = "redis://";
    if (url.substr(0, scheme.size()) != scheme)
        return error(errc::invalid_argument,
                     url.substr(0, 9) == "rediss://"
                         ? "redis URL: rediss:// (TLS) is not supported, use redis://"
                         : "redis URL: must start with redis://");
    std::string_view rest = url.substr(scheme.size());
    redis_endpoint e;
    const std::size_t at = rest.rfind('@');
    if (at != std::string_view::npos) {
        const std::string_view info = rest.substr(0, at);
        rest = rest.substr(at + 1);
        const std::size_t colon = info.find(':');
        const std::string_view user = info.substr(0, colon);
        if (!redis_percent_decode(user, e.user))
            return error(errc::invalid_argument, "redis URL: a broken %XX escape in the user");
        if (colon != std::string_view::npos) {
            if (!redis_percent_decode(info.substr(colon + 1), e.password))
                return error(errc::invalid_argument,
                             "redis URL: a broken %XX escape in the password");
            e.has_password = true;
        }
    }
    std::string_view hostport = rest;
    const std::size_t slash = rest.find('/');
    if (slash != std::string_view::npos) {
        hostport = rest.substr(0, slash);
        const std::string_view db = rest.substr(slash + 1);
        if (!db.empty() && !redis_number(db, 0, 1000000, e.db))
            return error(errc::invalid_argument, "redis URL: the database must be a number");
    }
    std::string_view port;
    if (!hostport.empty() && hostport.front() == '[') {
        const std::size_t close = hostport.find(']');
        if (close == std::string_view::npos)
            return error(errc::invalid_argument, "redis URL: an unclosed [ in the host");
        e.host = std::string(hostport.substr(1, close - 1));
        const std::string_view after = hostport.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':')
                return error(errc::invalid_argument, "redis URL: junk after the host");
            port = after.substr(1);
            if (port.empty()) return error(errc::invalid_argument, "redis URL: an empty port");
        }
    } else {
        const std::size_t colon = hostport.rfind(':');
        e.host = std::string(hostport.substr(0, colon));
        if (colon != std::string_view::npos) {
            port = hostport.substr(colon + 1);
            if (port.empty()) return error(errc::invalid_argument, "redis URL: an empty port");
        }
    }
    if (e.host.empty()) return error(errc::invalid_argument, "redis URL: no host");
    if (!port.empty() && !redis_number(port, 1, 65535, e.port))
        return error(errc::invalid_argument, "redis URL: the port must be 1 to 65535");
    return e;
}

/// Blocks SIGPIPE in the calling thread while hiredis writes (it writes with write(), which
/// raises SIGPIPE on a connection Redis closed), and discards one it raised.
class redis_sigpipe_guard {
  public:
#if !defined(_WIN32)
    redis_sigpipe_guard() noexcept {
        sigset_t pending;
        sigemptyset(&pending);
        sigpending(&pending);
        was_pending_ = sigismember(&pending, SIGPIPE) == 1;
        sigset_t block;
        sigemptyset(&block);
        sigaddset(&block, SIGPIPE);
        blocked_ = pthread_sigmask(SIG_BLOCK, &block, &old_) == 0;
    }
    ~redis_sigpipe_guard() {
        if (!blocked_) return;
        if (!was_pending_) {
            sigset_t pending;
            sigemptyset(&pending);
            sigpending(&pending);
            if (sigismember(&pending, SIGPIPE) == 1) {
                sigset_t only;
                sigemptyset(&only);
                sigaddset(&only, SIGPIPE);
                const timespec zero{0, 0};
                while (sigtimedwait(&only, nullptr, &zero) == -1 && errno == EINTR) {
                }
            }
        }
        pthread_sigmask(SIG_SETMASK, &old_, nullptr);
    }

  private:
    sigset_t old_;
    bool blocked_ = false;
    bool was_pending_ = false;
#endif
};

inline timeval redis_timeval(std::chrono::nanoseconds d) noexcept {
    if (d < std::chrono::milliseconds(1)) d = std::chrono::milliseconds(1);
    timeval tv;
    tv.tv_sec = detail::narrow<decltype(tv.tv_sec)>(d.count() / 1000000000);
    tv.tv_usec = detail::narrow<decltype(tv.tv_usec)>((d.count() % 1000000000) / 1000);
    return tv;
}

struct redis_reply_deleter {
    void operator()(redisReply* r) const noexcept {
        if (r) freeReplyObject(r);
    }
};
using redis_reply_ptr = std::unique_ptr<redisReply, redis_reply_deleter>;

/// The booking script (see the file comment). Times in microseconds on Redis's clock.
/// KEYS: the log (a list of the last `limit` slots, oldest first), the bucket's theoretical
/// arrival time. ARGV: limit, window, interval, tolerance, the most wait worth booking.
/// Returns {wait, booked}.
inline constexpr const char redis_booking_script[] = R"lua(
if redis.replicate_commands then pcall(redis.replicate_commands) end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local interval = tonumber(ARGV[3])
local tolerance = tonumber(ARGV[4])
local max_wait = tonumber(ARGV[5])
local slot = now
local tat = tonumber(redis.call('GET', KEYS[2]) or '0') or 0
if tat - tolerance > slot then slot = tat - tolerance end
local n = redis.call('LLEN', KEYS[1])
if n > 0 then
  local last = tonumber(redis.call('LINDEX', KEYS[1], -1)) or 0
  if last > slot then slot = last end
end
if n >= limit then
  local oldest = tonumber(redis.call('LINDEX', KEYS[1], n - limit)) or 0
  if oldest + window > slot then slot = oldest + window end
end
local wait = slot - now
if wait > max_wait then return {wait, 0} end
if tat < slot then tat = slot end
tat = tat + interval
local ttl = math.ceil((wait + window + tolerance) / 1000) + 1000
redis.call('RPUSH', KEYS[1], string.format('%.0f', slot))
redis.call('LTRIM', KEYS[1], -limit, -1)
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('SET', KEYS[2], string.format('%.0f', tat), 'PX', ttl)
return {wait, 1}
)lua";

} // namespace detail

/// A rate limiter policy shared through Redis (see the file comment). A handle: copies share
/// one connection and one state. Constructed from rate_limit_options (as the client does), it
/// books nothing until configure() succeeds: before that every booking fails the call with
/// errc::rate_limited, so a forgotten configure() never lets calls go unlimited.
///
///     struct fleet_policies : trtc::default_policies {
///         using rate_limiter = trtc::redis_rate_limiter;
///     };
///     auto client = trtc::basic_client<fleet_policies_with_a_transport>::create(cfg);
///     trtc::redis_limiter_options ro;
///     ro.url = "redis://redis.internal:6379/0";
///     ro.password_env = "REDIS_PASSWORD";
///     if (auto ok = client->engine().rate_limiter().configure(ro); !ok) ...
class redis_rate_limiter {
  public:
    explicit redis_rate_limiter(rate_limit_options o = {}) : core_(std::make_shared<core>(o)) {}

    /// Sets where and how to book (before the first call; thread-safe). Checks the URL and
    /// reads the password; does not connect (the first booking does). Errors never hold the
    /// password.
    result<void> configure(redis_limiter_options o) { return core_->configure(std::move(o)); }

    /// Books one slot for the call described by `r` and returns the wait before it, or an
    /// error (errc::rate_limited) the call fails with.
    result<std::chrono::nanoseconds> reserve(const slot_request& r) { return core_->reserve(r); }

    /// The plain contract (without a deadline, an API or an SDKAppID: the app-wide key of
    /// SDKAppID 0, a deadline one command timeout away); a refusal is a wait of an hour,
    /// which the call engine turns into errc::rate_limited.
    std::chrono::nanoseconds reserve(std::chrono::steady_clock::time_point now) {
        auto w = core_->reserve(slot_request{now, now + std::chrono::seconds(1), {}, 0});
        return w ? *w : std::chrono::nanoseconds(std::chrono::hours(1));
    }

    /// The counters.
    redis_limiter_stats stats() const { return core_->stats(); }
    /// "redis://host:port/db" (never the user information), for logs.
    std::string describe() const { return core_->describe(); }
    /// Whether the last booking reached Redis.
    bool available() const { return core_->available(); }

  private:
    class core {
      public:
        explicit core(rate_limit_options o) : rate_(o) {}
        core(const core&) = delete;
        ~core() {
            if (ctx_) redisFree(ctx_);
            wipe_password();
        }

        result<void> configure(redis_limiter_options o) {
            auto e = detail::parse_redis_url(o.url);
            if (!e) return std::move(e).error();
            detail::secure_wipe(o.url.data(), o.url.size());
            o.url.clear();
            int sources = e->has_password ? 1 : 0;
            if (!o.password_file.empty()) {
                ++sources;
                std::FILE* f = std::fopen(o.password_file.c_str(), "rb");
                if (!f)
                    return error(errc::invalid_argument,
                                 "redis: cannot read the password file " + o.password_file);
                char buf[512];
                const std::size_t n = std::fread(buf, 1, sizeof buf, f);
                std::fclose(f);
                e->password.assign(buf, n);
                detail::secure_wipe(buf, sizeof buf);
                while (!e->password.empty() &&
                       (e->password.back() == '\n' || e->password.back() == '\r'))
                    e->password.pop_back();
                e->has_password = true;
            }
            if (!o.password_env.empty()) {
                ++sources;
                const char* v = std::getenv(o.password_env.c_str());
                if (!v)
                    return error(errc::invalid_argument, "redis: the environment variable " +
                                                             o.password_env +
                                                             " (the password) is not set");
                e->password = v;
                e->has_password = true;
            }
            if (sources > 1) {
                detail::secure_wipe(e->password.data(), e->password.size());
                return error(errc::invalid_argument,
                             "redis: give the password once (URL, password_file or "
                             "password_env)");
            }
            if (o.connect_timeout.count() <= 0 || o.command_timeout.count() <= 0)
                return error(errc::invalid_argument, "redis: timeouts must be positive");
            if (!(o.fallback_share > 0) || o.fallback_share > 1)
                return error(errc::invalid_argument, "redis: fallback_share must be in (0, 1]");
            if (o.margin.count() < 0)
                return error(errc::invalid_argument, "redis: margin must not be negative");
            detail::lock_guard lock(m_);
            wipe_password();
            endpoint_ = std::move(*e);
            options_ = std::move(o);
            rate_limit_options share = rate_;
            share.per_second = rate_.per_second * options_.fallback_share;
            share.burst =
                static_cast<unsigned>(static_cast<double>(rate_.burst) * options_.fallback_share);
            if (share.burst < 1) share.burst = 1;
            fallback_ = std::make_unique<token_bucket>(share);
            if (ctx_) {
                redisFree(ctx_);
                ctx_ = nullptr;
            }
            sha_.clear();
            configured_ = true;
            return {};
        }

        result<std::chrono::nanoseconds> reserve(const slot_request& r) {
            using std::chrono::nanoseconds;
            if (!(rate_.per_second > 0)) return nanoseconds(0);
            std::vector<redis_limiter_event> events;
            std::string event_cause;
            std::function<void(const redis_limiter_event&)> hook;
            result<nanoseconds> out = nanoseconds(0);
            {
                detail::lock_guard lock(m_);
                if (!configured_) {
                    ++stats_.refused;
                    return error(errc::rate_limited,
                                 "redis_rate_limiter: configure() was not called");
                }
                out = book(r, events, event_cause);
                if (!events.empty()) hook = options_.on_event;
            }
            if (hook)
                for (const auto& e : events) hook(e);
            return out;
        }

        redis_limiter_stats stats() const {
            detail::lock_guard lock(m_);
            return stats_;
        }
        std::string describe() const {
            detail::lock_guard lock(m_);
            return describe_locked();
        }
        bool available() const {
            detail::lock_guard lock(m_);
            return !down_;
        }

      private:
        using time_point = std::chrono::steady_clock::time_point;

        std::string describe_locked() const {
            std::string d = "redis://";
            const bool v6 = endpoint_.host.find(':') != std::string::npos;
            if (v6) d += '[';
            d += endpoint_.host;
            if (v6) d += ']';
            d += ':' + std::to_string(endpoint_.port) + '/' + std::to_string(endpoint_.db);
            return d;
        }

        void wipe_password() noexcept {
            detail::secure_wipe(endpoint_.password.data(), endpoint_.password.size());
            endpoint_.password.clear();
        }

        // Removes the password from text that came from outside (a Redis error reply): the
        // library's one scrubber (detail/scrub.hpp).
        std::string clean(std::string text) const {
            detail::scrub(text, endpoint_.password);
            return text;
        }

        void drop_connection() noexcept {
            if (ctx_) redisFree(ctx_);
            ctx_ = nullptr;
        }

        static std::string reply_text(const redisReply* rep) {
            if (!rep || !rep->str) return {};
            return std::string(rep->str, rep->len);
        }

        std::string context_error(const char* what) const {
            std::string m = what;
            m += ": ";
            if (!ctx_) return m + "no connection";
#if HIREDIS_MAJOR >= 1
            if (ctx_->err == REDIS_ERR_TIMEOUT) return m + "timed out";
#endif
            if (ctx_->err == REDIS_ERR_IO && (errno == EAGAIN || errno == EWOULDBLOCK))
                return m + "timed out";
            return m + clean(ctx_->errstr);
        }

        // One command; a null reply is a broken connection (ctx_->err says why).
        detail::redis_reply_ptr command(std::initializer_list<std::string_view> args) {
            std::vector<const char*> argv;
            std::vector<std::size_t> lens;
            argv.reserve(args.size());
            lens.reserve(args.size());
            for (std::string_view a : args) {
                argv.push_back(a.data());
                lens.push_back(a.size());
            }
            detail::redis_sigpipe_guard guard;
            return detail::redis_reply_ptr(static_cast<redisReply*>(
                redisCommandArgv(ctx_, static_cast<int>(argv.size()), argv.data(), lens.data())));
        }

        void set_timeout(std::chrono::nanoseconds d) {
            const timeval tv = detail::redis_timeval(d);
            if (tv.tv_sec == timeout_set_.tv_sec && tv.tv_usec == timeout_set_.tv_usec) return;
            redisSetTimeout(ctx_, tv);
            timeout_set_ = tv;
        }

        static std::chrono::nanoseconds bounded(std::chrono::milliseconds limit,
                                                std::chrono::nanoseconds budget) {
            return budget < limit ? budget : std::chrono::nanoseconds(limit);
        }

        // Connects, authenticates, selects the database, loads the script. An error says
        // why; the connection is then dropped.
        result<void> connect(std::chrono::nanoseconds budget,
                             std::vector<redis_limiter_event>& events) {
            drop_connection();
            const std::chrono::nanoseconds limit = bounded(options_.connect_timeout, budget);
            const time_point start = std::chrono::steady_clock::now();
            ctx_ = redisConnectWithTimeout(endpoint_.host.c_str(), endpoint_.port,
                                           detail::redis_timeval(limit));
            if (!ctx_) return error(errc::rate_limited, "connect: out of memory");
            if (ctx_->err) {
                std::string m = context_error("connect");
                drop_connection();
                return error(errc::rate_limited, std::move(m));
            }
            ++stats_.connects;
            timeout_set_ = timeval{-1, 0};
            auto left = [&] {
                const auto spent = std::chrono::steady_clock::now() - start;
                return limit - spent;
            };
            set_timeout(left());
            if (endpoint_.has_password) {
                detail::redis_reply_ptr rep =
                    endpoint_.user.empty() ? command({"AUTH", endpoint_.password})
                                           : command({"AUTH", endpoint_.user, endpoint_.password});
                if (!rep) return fail_connection("AUTH");
                if (rep->type == REDIS_REPLY_ERROR) {
                    std::string m = "AUTH refused: " + clean(reply_text(rep.get()));
                    drop_connection();
                    return error(errc::rate_limited, std::move(m));
                }
            }
            if (endpoint_.db != 0) {
                set_timeout(left());
                const std::string db = std::to_string(endpoint_.db);
                detail::redis_reply_ptr rep = command({"SELECT", db});
                if (!rep) return fail_connection("SELECT");
                if (rep->type == REDIS_REPLY_ERROR) {
                    std::string m = "SELECT refused: " + clean(reply_text(rep.get()));
                    drop_connection();
                    return error(errc::rate_limited, std::move(m));
                }
            }
            set_timeout(left());
            return load_script(events);
        }

        result<void> fail_connection(const char* what) {
            std::string m = context_error(what);
            drop_connection();
            return error(errc::rate_limited, std::move(m));
        }

        result<void> load_script(std::vector<redis_limiter_event>& events) {
            detail::redis_reply_ptr rep = command({"SCRIPT", "LOAD", detail::redis_booking_script});
            if (!rep) return fail_connection("SCRIPT LOAD");
            if (rep->type != REDIS_REPLY_STRING) {
                std::string m = "SCRIPT LOAD refused: " + clean(reply_text(rep.get()));
                drop_connection();
                return error(errc::rate_limited, std::move(m));
            }
            sha_ = reply_text(rep.get());
            ++stats_.script_loads;
            events.push_back({redis_limiter_event::kind::script_loaded, {}});
            return {};
        }

        std::string key_tag(const slot_request& r) const {
            std::string k = "{";
            k += options_.key_prefix;
            k += ':';
            k += std::to_string(r.sdkappid);
            if (options_.per_api && !r.api.empty()) {
                k += ':';
                k += r.api;
            }
            k += '}';
            return k;
        }

        // The booking itself, under the lock. Ok: {wait, booked}.
        result<std::pair<std::int64_t, bool>> run_script(const slot_request& r,
                                                         std::chrono::nanoseconds budget,
                                                         std::vector<redis_limiter_event>& events) {
            const std::int64_t limit_n =
                rate_.per_second < 1 ? 1 : static_cast<std::int64_t>(rate_.per_second);
            const std::int64_t window_us =
                1000000 + detail::narrow<std::int64_t>(options_.margin.count()) * 1000;
            const std::int64_t interval_us = window_us / limit_n > 0 ? window_us / limit_n : 1;
            const std::int64_t burst = rate_.burst > 0 ? rate_.burst : 1;
            const std::int64_t tolerance_us = interval_us * (burst - 1);
            const std::int64_t budget_us =
                std::chrono::duration_cast<std::chrono::microseconds>(budget).count();
            const std::string tag = key_tag(r);
            const std::string log_key = tag + ":log";
            const std::string tat_key = tag + ":tat";
            const std::string a1 = std::to_string(limit_n), a2 = std::to_string(window_us),
                              a3 = std::to_string(interval_us), a4 = std::to_string(tolerance_us),
                              a5 = std::to_string(budget_us);
            set_timeout(bounded(options_.command_timeout, budget));
            for (int attempt = 0; attempt < 2; ++attempt) {
                detail::redis_reply_ptr rep =
                    command({"EVALSHA", sha_, "2", log_key, tat_key, a1, a2, a3, a4, a5});
                if (!rep) {
                    auto f = fail_connection("EVALSHA");
                    return std::move(f).error();
                }
                if (rep->type == REDIS_REPLY_ERROR) {
                    const std::string text = reply_text(rep.get());
                    if (attempt == 0 && text.compare(0, 8, "NOSCRIPT") == 0) {
                        // Redis restarted (or flushed its scripts): load it again.
                        auto ok = load_script(events);
                        if (!ok) return std::move(ok).error();
                        continue;
                    }
                    return error(errc::rate_limited, "EVALSHA refused: " + clean(text));
                }
                if (rep->type != REDIS_REPLY_ARRAY || rep->elements != 2 ||
                    rep->element[0]->type != REDIS_REPLY_INTEGER ||
                    rep->element[1]->type != REDIS_REPLY_INTEGER) {
                    drop_connection();
                    return error(errc::rate_limited, "EVALSHA: an unexpected reply");
                }
                return std::pair<std::int64_t, bool>(rep->element[0]->integer,
                                                     rep->element[1]->integer == 1);
            }
            return error(errc::rate_limited, "EVALSHA: NOSCRIPT after loading the script");
        }

        result<std::chrono::nanoseconds> book(const slot_request& r,
                                              std::vector<redis_limiter_event>& events,
                                              std::string& cause_store) {
            using std::chrono::nanoseconds;
            const time_point now = r.now;
            const nanoseconds budget = r.deadline - now;
            std::string cause;
            if (budget.count() <= 0) {
                ++stats_.refused;
                return error(errc::rate_limited, "the call's deadline passed before a slot");
            }
            if (!ctx_ && down_ && now < next_connect_) {
                cause = last_cause_;
            } else {
                // A connection that was fine may have died since (Redis restarted): one more
                // try on a fresh one, within the budget.
                const bool reused = ctx_ != nullptr;
                // Whether this call's deadline, not the configured timeout, cut the wait short:
                // then the failure says nothing about Redis, and is not an outage.
                bool cut_short = false;
                for (int round = 0; round < (reused ? 2 : 1); ++round) {
                    const time_point t = std::chrono::steady_clock::now();
                    const nanoseconds left = r.deadline - t;
                    cut_short = left < (ctx_ ? options_.command_timeout : options_.connect_timeout);
                    if (left.count() <= 0) {
                        cause = "the call's deadline passed while connecting";
                        break;
                    }
                    if (!ctx_) {
                        auto c = connect(left, events);
                        if (!c) {
                            cause = c.error().message;
                            break;
                        }
                    }
                    const time_point t2 = std::chrono::steady_clock::now();
                    auto b = run_script(r, r.deadline - t2, events);
                    if (b) {
                        if (down_) {
                            down_ = false;
                            events.push_back({redis_limiter_event::kind::recovered, {}});
                        }
                        backoff_ = options_.reconnect_backoff;
                        if (!b->second) {
                            ++stats_.refused;
                            return budget + nanoseconds(1);
                        }
                        ++stats_.shared;
                        // The script ran between `now` and the answer: count the wait from
                        // the answer, so the call never goes before its slot.
                        const nanoseconds rtt = std::chrono::steady_clock::now() - now;
                        return nanoseconds(b->first * 1000) + rtt;
                    }
                    cause = b.error().message;
                    if (ctx_) break; // an error reply: the connection is fine, Redis refused
                }
                if (cut_short)
                    return without_redis(
                        describe_locked() + ": " + cause + " (within the call's deadline)", now);
                // Unavailable: back off before the next connection attempt.
                if (!down_) {
                    down_ = true;
                    ++stats_.outages;
                    backoff_ = options_.reconnect_backoff;
                } else {
                    backoff_ = backoff_ * 2 < options_.max_reconnect_backoff
                                   ? backoff_ * 2
                                   : options_.max_reconnect_backoff;
                }
                next_connect_ = std::chrono::steady_clock::now() + backoff_;
                last_cause_ = describe_locked() + ": " + cause;
                if (stats_.outages != outages_reported_) {
                    outages_reported_ = stats_.outages;
                    cause_store = last_cause_;
                    events.push_back({redis_limiter_event::kind::unavailable, cause_store});
                }
                cause = last_cause_;
            }
            return without_redis(cause, now);
        }

        // Redis could not book the slot, for `cause`: the failure policy decides.
        result<std::chrono::nanoseconds> without_redis(const std::string& cause, time_point now) {
            if (options_.on_failure == redis_failure_policy::fail) {
                ++stats_.refused;
                return error(errc::rate_limited,
                             "the shared rate limit is unavailable (" + cause + ")");
            }
            ++stats_.local;
            return fallback_->reserve(now);
        }

        mutable detail::mutex m_;
        rate_limit_options rate_;
        redis_limiter_options options_;
        detail::redis_endpoint endpoint_;
        bool configured_ = false;
        redisContext* ctx_ = nullptr;
        timeval timeout_set_{-1, 0};
        std::string sha_;
        bool down_ = false;
        time_point next_connect_{};
        std::chrono::milliseconds backoff_{100};
        std::string last_cause_;
        std::unique_ptr<token_bucket> fallback_;
        redis_limiter_stats stats_;
        std::uint64_t outages_reported_ = 0;
    };

    std::shared_ptr<core> core_;
};

TRTC_END_NAMESPACE

#endif // TRTC_ADAPTERS_REDIS_HPP
