// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
// The client's built-in policies: token bucket, backoff schedule, random source, UserSig cache.
#include <trtc/policies.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <ostream> // doctest prints std::error_code through it
#include <set>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

TEST_CASE("token bucket: a burst goes at once, then one call per interval") {
    trtc::token_bucket tb({100.0, 5}); // 100/s => 10 ms apart, 5 at once
    const steady::time_point t0 = steady::time_point(std::chrono::hours(1));
    for (int i = 0; i < 5; ++i) CHECK(tb.reserve(t0) == 0ns);
    CHECK(tb.reserve(t0) == 10ms);
    CHECK(tb.reserve(t0) == 20ms);
    // After a quiet second the bucket is full again.
    const auto t1 = t0 + 1s;
    for (int i = 0; i < 5; ++i) CHECK(tb.reserve(t1) == 0ns);
    CHECK(tb.reserve(t1) == 10ms);
    // Calls spaced at the rate never wait.
    trtc::token_bucket steady_rate({100.0, 1});
    for (int i = 0; i < 50; ++i) CHECK(steady_rate.reserve(t0 + i * 10ms) == 0ns);
    trtc::token_bucket unlimited({0.0, 1});
    for (int i = 0; i < 1000; ++i) CHECK(unlimited.reserve(t0) == 0ns);
}

TEST_CASE("token bucket: concurrent reservations never double-book a slot") {
    trtc::token_bucket tb({1000.0, 1});
    const steady::time_point t0 = steady::time_point(std::chrono::hours(1));
    std::vector<std::int64_t> waits[4];
    std::vector<std::thread> threads;
    for (auto& w : waits)
        threads.emplace_back([&tb, &w, t0] {
            for (int i = 0; i < 250; ++i) w.push_back(tb.reserve(t0).count());
        });
    for (auto& th : threads) th.join();
    std::set<std::int64_t> all;
    for (auto& w : waits) all.insert(w.begin(), w.end());
    CHECK(all.size() == 1000); // every call got its own 1 ms slot
    CHECK(*all.rbegin() == 999 * 1000000);
}

// The most slots of `slots` (sorted) in any half-open window [a, a + 1 s).
static std::size_t most_in_any_second(const std::vector<std::int64_t>& slots) {
    std::size_t most = 0;
    for (std::size_t i = 0, j = 0; i < slots.size(); ++i) {
        while (j < slots.size() && slots[j] < slots[i] + 1000000000) ++j;
        most = std::max(most, j - i);
    }
    return most;
}

TEST_CASE("token bucket: at most per_second calls in any sliding second, burst or not") {
    const steady::time_point t0 = steady::time_point(std::chrono::hours(1));
    // The case the burst used to break: 20 at once after a quiet spell, then 200/s, then
    // quiet again, over and over, with callers asking at uneven times (sometimes out of
    // order, as threads do).
    trtc::token_bucket tb({200.0, 20});
    std::vector<std::int64_t> slots;
    std::uint32_t x = 12345;
    std::int64_t now = 0;
    for (int i = 0; i < 40000; ++i) {
        x = x * 1664525u + 1013904223u;
        const std::uint32_t r = x >> 8;
        // Mostly back-to-back demand, sometimes a quiet spell of up to 1.5 s, sometimes a
        // caller whose `now` is a little older than the previous one's.
        if (r % 97 == 0)
            now += static_cast<std::int64_t>(r % 1500) * 1000000;
        else
            now += static_cast<std::int64_t>(r % 3000) * 1000;
        const std::int64_t asked = r % 11 == 0 ? now - 2000000 : now;
        const auto wait = tb.reserve(t0 + std::chrono::nanoseconds(asked));
        REQUIRE(wait.count() >= 0);
        slots.push_back(asked + wait.count());
    }
    CHECK(std::is_sorted(slots.begin(), slots.end()));
    CHECK(most_in_any_second(slots) == 200);
    // Under sustained demand the rate is still the limit: 2000 calls asked at once take
    // a little under 10 s (200 a second), not more.
    trtc::token_bucket sustained({200.0, 20});
    std::int64_t last = 0;
    for (int i = 0; i < 2000; ++i) last = sustained.reserve(t0).count();
    CHECK(last >= 9000000000);
    CHECK(last < 10000000000);

    // The burst still goes at once after a quiet period, and never more than per_second.
    trtc::token_bucket big({50.0, 80});
    std::vector<std::int64_t> b;
    for (int i = 0; i < 400; ++i) b.push_back(big.reserve(t0).count());
    CHECK(b[49] == 0);          // 50 at once (the burst, capped at the limit)
    CHECK(b[50] == 1000000000); // the 51st a second after the first
    CHECK(most_in_any_second(b) == 50);
    // A limit above the log's size: the shortened interval bounds it the same way.
    trtc::token_bucket huge({100000.0, 5000});
    std::vector<std::int64_t> h;
    for (int i = 0; i < 300000; ++i) h.push_back(huge.reserve(t0).count());
    CHECK(most_in_any_second(h) <= 100000);
    CHECK(most_in_any_second(h) > 99000);
}

TEST_CASE("token bucket: threads booking at once keep the sliding-second bound") {
    trtc::token_bucket tb({200.0, 20});
    const steady::time_point t0 = steady::time_point(std::chrono::hours(1));
    std::vector<std::int64_t> waits[4];
    std::vector<std::thread> threads;
    for (auto& w : waits)
        threads.emplace_back([&tb, &w, t0] {
            for (int i = 0; i < 500; ++i)
                w.push_back(tb.reserve(t0 + i * 1ms).count() + i * 1000000);
        });
    for (auto& th : threads) th.join();
    std::vector<std::int64_t> all;
    for (auto& w : waits) all.insert(all.end(), w.begin(), w.end());
    std::sort(all.begin(), all.end());
    CHECK(most_in_any_second(all) == 200);
}

TEST_CASE("exponential backoff grows, caps, and jitters within its share") {
    trtc::exponential_backoff b({5, 100ms, 1000ms, 2.0, 0.0});
    CHECK(b.max_attempts() == 5);
    CHECK(b.backoff(1, 0) == 100ms);
    CHECK(b.backoff(2, 0) == 200ms);
    CHECK(b.backoff(3, 0) == 400ms);
    CHECK(b.backoff(5, 0) == 1000ms);
    CHECK(b.backoff(50, 0) == 1000ms);
    trtc::exponential_backoff j({3, 100ms, 1000ms, 2.0, 0.5});
    CHECK(j.backoff(1, 0) == 100ms);
    CHECK(j.backoff(1, 0x80000000u) == 75ms);
    CHECK(j.backoff(1, 0xFFFFFFFFu) >= 50ms);
    CHECK(j.backoff(1, 0xFFFFFFFFu) <= 51ms);
    CHECK(trtc::exponential_backoff({0}).max_attempts() == 1);
}

TEST_CASE("the random source covers the full 32-bit range in every thread") {
    trtc::default_random r;
    std::set<std::uint32_t> seen;
    int high = 0;
    for (int i = 0; i < 10000; ++i) {
        std::uint32_t v = r();
        seen.insert(v);
        if (v >> 31) ++high;
    }
    CHECK(seen.size() > 9990);
    CHECK(high > 4700);
    CHECK(high < 5300);
    std::uint32_t a = 0, b = 0;
    std::thread([&] { a = r(); }).join();
    std::thread([&] { b = r(); }).join();
    CHECK(a != b); // independently seeded per thread
}

TEST_CASE("the UserSig cache signs once, renews near expiry, and on request") {
    trtc::credentials c{1400000000, "administrator", "key", std::chrono::seconds(3600)};
    auto cache = trtc::usersig_cache<>::create(c);
    REQUIRE(cache);
    const auto t0 = trtc::from_unix_seconds(1700000000);
    auto a = cache->usersig(t0, false).value();
    CHECK(cache->usersig(t0 + std::chrono::seconds(2000), false).value() == a);
    CHECK(cache->signatures_made() == 1);
    // Validity 1 h: the margin is a quarter (15 min), so it renews from 45 min on.
    auto b = cache->usersig(t0 + std::chrono::seconds(2700), false).value();
    CHECK(b != a);
    CHECK(cache->signatures_made() == 2);
    auto forced = cache->usersig(t0 + std::chrono::seconds(2701), true).value();
    CHECK(cache->signatures_made() == 3);
    CHECK(trtc::verify_usersig(forced, 1400000000, "administrator", "key",
                               t0 + std::chrono::seconds(2701)));
    // A clock that jumps back makes a new one too (the old one would not be valid yet).
    cache->usersig(t0 - std::chrono::seconds(10), false).value();
    CHECK(cache->signatures_made() == 4);

    trtc::credentials bad = c;
    bad.usersig_validity = std::chrono::seconds(0);
    CHECK_FALSE(trtc::usersig_cache<>::create(bad));
    bad = c;
    bad.secret_key.clear();
    CHECK_FALSE(trtc::usersig_cache<>::create(bad));
}
