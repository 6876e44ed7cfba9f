// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
// The rate limiters: one reservation of the built-in token_bucket (one thread, and two threads
// sharing it), the lock-free GCRA it replaced (a copy, as the baseline), and, with the Redis
// adapter, one reservation of trtc::redis_rate_limiter against a redis-server on loopback that
// the benchmark starts itself.
#include "bench_common.hpp"

#include <trtc/policies.hpp>

#if TRTC_BENCH_HAVE_REDIS
#    include <trtc/adapters/redis.hpp>

#    include <arpa/inet.h>
#    include <csignal>
#    include <fcntl.h>
#    include <netinet/in.h>
#    include <sys/socket.h>
#    include <sys/wait.h>
#    include <thread>
#    include <unistd.h>
#endif

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

namespace {

using steady = std::chrono::steady_clock;

/// The token bucket before the sliding-second log: one atomic theoretical arrival time.
class gcra_only {
  public:
    explicit gcra_only(trtc::rate_limit_options o)
        : interval_(static_cast<std::int64_t>(1e9 / o.per_second)),
          tolerance_(interval_ * static_cast<std::int64_t>(o.burst - 1)) {}
    std::chrono::nanoseconds reserve(steady::time_point now) noexcept {
        const std::int64_t t =
            std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count();
        std::int64_t tat = tat_.load(std::memory_order_relaxed);
        while (true) {
            const std::int64_t next = (tat > t ? tat : t) + interval_;
            if (tat_.compare_exchange_weak(tat, next, std::memory_order_relaxed)) {
                const std::int64_t wait = (tat - tolerance_) - t;
                return std::chrono::nanoseconds(wait > 0 ? wait : 0);
            }
        }
    }

  private:
    std::int64_t interval_;
    std::int64_t tolerance_;
    std::atomic<std::int64_t> tat_{0};
};

// Each reservation 5 ms after the one before: the steady state at 200 calls/s, where the log
// is full and every booking compares against its oldest slot.
template <class Limiter>
void reserve_loop(benchmark::State& state, const char* name, Limiter& l) {
    steady::time_point t = steady::time_point(std::chrono::hours(1));
    bench::run(state, name, [&] {
        t += std::chrono::milliseconds(5);
        auto w = l.reserve(t);
        benchmark::DoNotOptimize(w);
    });
}

void BM_Lib_TokenBucketReserve(benchmark::State& state) {
    trtc::token_bucket tb({200, 20});
    reserve_loop(state, "Lib_TokenBucketReserve", tb);
}
BENCHMARK(BM_Lib_TokenBucketReserve);

void BM_Lib_GcraOnlyReserve(benchmark::State& state) {
    gcra_only g({200, 20});
    reserve_loop(state, "Lib_GcraOnlyReserve", g);
}
BENCHMARK(BM_Lib_GcraOnlyReserve);

// Two threads booking in one bucket at once (the lock contended), at the current time.
trtc::token_bucket shared_bucket({200, 20});
void BM_Lib_TokenBucketReserve_Shared(benchmark::State& state) {
    for (auto _ : state) {
        auto w = shared_bucket.reserve(steady::now());
        benchmark::DoNotOptimize(w);
    }
}
BENCHMARK(BM_Lib_TokenBucketReserve_Shared)->Threads(2)->UseRealTime();

#if TRTC_BENCH_HAVE_REDIS

/// redis-server on a free loopback port for the benchmark's lifetime.
class bench_redis {
  public:
    static bench_redis& get() {
        static bench_redis r;
        return r;
    }
    bool ok() const { return pid_ > 0; }
    std::string url() const { return "redis://127.0.0.1:" + std::to_string(port_); }
    ~bench_redis() {
        if (pid_ > 0) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
    }

  private:
    bench_redis() {
        const char* bin = nullptr;
        for (const char* p : {"/usr/bin/redis-server", "/usr/sbin/redis-server"})
            if (::access(p, X_OK) == 0) bin = p;
        if (!bin) return;
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
        socklen_t len = sizeof a;
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
        ::close(fd);
        port_ = ntohs(a.sin_port);
        const std::string port = std::to_string(port_);
        pid_ = ::fork();
        if (pid_ == 0) {
            const int null = ::open("/dev/null", O_WRONLY);
            ::dup2(null, 1);
            ::dup2(null, 2);
            ::execl(bin, bin, "--port", port.c_str(), "--bind", "127.0.0.1", "--save", "",
                    "--appendonly", "no", "--dir", "/tmp", static_cast<char*>(nullptr));
            ::_exit(127);
        }
        for (int i = 0; i < 300; ++i) {
            redisContext* c = redisConnect("127.0.0.1", port_);
            const bool up = c && !c->err;
            if (c) redisFree(c);
            if (up) return;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
    }
    pid_t pid_ = -1;
    std::uint16_t port_ = 0;
};

// One booking: EVALSHA of the script, one round trip to loopback Redis, behind the limiter's
// lock. Wall time (the thread waits for Redis).
void BM_Redis_Reserve(benchmark::State& state) {
    bench_redis& r = bench_redis::get();
    if (!r.ok()) {
        state.SkipWithError("redis-server not found");
        return;
    }
    trtc::redis_rate_limiter l(trtc::rate_limit_options{200, 20});
    trtc::redis_limiter_options o;
    o.url = r.url();
    o.key_prefix = "bench";
    if (!l.configure(o)) {
        state.SkipWithError("configure failed");
        return;
    }
    bench::run(state, "Redis_Reserve", [&] {
        const steady::time_point now = steady::now();
        auto w = l.reserve(trtc::slot_request{now, now + std::chrono::hours(24), "bench", 1});
        benchmark::DoNotOptimize(w);
    });
    if (l.stats().local != 0) state.SkipWithError("a booking fell back to the local bucket");
}
BENCHMARK(BM_Redis_Reserve)->UseRealTime();

#endif

} // namespace
