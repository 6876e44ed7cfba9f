// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
// The library's synchronisation (detail/mutex.hpp): the mutex with its try_lock, lock_guard,
// unique_lock, and the condition variable that testing/http_server.hpp waits on. Threads wait
// on each other with a bound: a broken notification fails a check instead of hanging (the
// stuck thread is then left behind, holding only shared state).
#include <trtc/detail/mutex.hpp>

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>
#include <vector>

namespace mutex_test {

using trtc::detail::condition_variable;
using trtc::detail::lock_guard;
using trtc::detail::mutex;
using trtc::detail::unique_lock;

/// Waits (polling) until `done()` holds, at most 10 s; whether it held.
template <class F>
bool eventually(F done) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!done()) {
        if (std::chrono::steady_clock::now() > until) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return true;
}

/// Whether another thread can take `m` now (and then releases it).
bool free_for_others(mutex& m) {
    bool took = false;
    std::thread([&] {
        took = m.try_lock();
        if (took) m.unlock();
    }).join();
    return took;
}

/// Takes `m`, waiting at most 10 s; whether it did.
bool lock_within(mutex& m) {
    return eventually([&] { return m.try_lock(); });
}

/// Threads that only touch state they share through a shared_ptr. When they go out of scope,
/// each is joined once `finished()` says they are done (waiting for that at most 10 s), or
/// else left behind, so that a broken notification fails the checks instead of hanging.
template <class Finished>
class crew {
  public:
    explicit crew(Finished finished) : finished_(finished) {}
    crew(const crew&) = delete;
    crew& operator=(const crew&) = delete;
    ~crew() {
        const bool done = eventually(finished_);
        for (auto& t : threads_) done ? t.join() : t.detach();
    }
    template <class F>
    void start(F f) {
        threads_.emplace_back(std::move(f));
    }

  private:
    Finished finished_;
    std::vector<std::thread> threads_;
};
} // namespace mutex_test

TEST_CASE("detail::mutex: try_lock, lock_guard and unique_lock hold and release it") {
    using namespace mutex_test;
    mutex m;
    REQUIRE(free_for_others(m));
    {
        lock_guard g(m);
        CHECK_FALSE(free_for_others(m));
    }
    REQUIRE(free_for_others(m));
    {
        unique_lock l(m);
        CHECK(l.owns_lock());
        CHECK(&l.mutex() == &m);
        CHECK_FALSE(free_for_others(m));
        l.unlock();
        CHECK_FALSE(l.owns_lock());
        REQUIRE(free_for_others(m));
        l.lock();
        CHECK(l.owns_lock());
        CHECK_FALSE(free_for_others(m));
    }
    REQUIRE(free_for_others(m)); // released by the destructor
    {
        unique_lock l(m);
        l.unlock();
    } // not held: the destructor leaves it alone
    REQUIRE(free_for_others(m));
    REQUIRE(m.try_lock());
    CHECK_FALSE(free_for_others(m));
    m.unlock();
}

TEST_CASE("detail::condition_variable: a waiter sleeps until notified, then sees the change") {
    using namespace mutex_test;
    struct shared {
        mutex m;
        condition_variable cv;
        bool ready = false; // guarded by m
        bool held = false;  // guarded by m: whether wait() returned with the mutex held
        std::atomic<bool> waiting{false}, woke{false};
    };
    auto s = std::make_shared<shared>();
    crew team([s] { return s->woke.load(); });
    team.start([s] {
        unique_lock l(s->m);
        s->waiting = true;
        s->cv.wait(l, [&] { return s->ready; });
        s->held = l.owns_lock();
        s->woke = true;
    });
    REQUIRE(eventually([&] { return s->waiting.load(); }));
    // Give the waiter time to block; it must not return while `ready` is false.
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    CHECK_FALSE(s->woke.load());
    // A wakeup while the condition is still false (as a spurious one) sends it back to wait.
    s->cv.notify_all();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    CHECK_FALSE(s->woke.load());
    REQUIRE(lock_within(s->m)); // the waiter released it in wait()
    s->ready = true;
    s->m.unlock();
    s->cv.notify_one();
    REQUIRE(eventually([&] { return s->woke.load(); }));
    REQUIRE(lock_within(s->m));
    CHECK(s->held);
    s->m.unlock();
}

TEST_CASE("detail::condition_variable: wait releases the mutex, and holds it again on return") {
    using namespace mutex_test;
    struct shared {
        mutex m;
        condition_variable cv;
        bool go = false; // guarded by m
        std::atomic<bool> waiting{false}, back{false}, leave{false}, gone{false};
    };
    auto s = std::make_shared<shared>();
    crew team([s] { return s->gone.load(); });
    team.start([s] {
        {
            unique_lock l(s->m);
            s->waiting = true;
            while (!s->go) s->cv.wait(l); // the loop form: wakeups may be spurious
            s->back = true;
            // Holds the mutex until told to leave.
            while (!s->leave.load()) std::this_thread::yield();
        }
        s->gone = true;
    });
    REQUIRE(eventually([&] { return s->waiting.load(); }));
    // While it waits, others can take the mutex.
    REQUIRE(lock_within(s->m));
    s->go = true;
    s->m.unlock();
    s->cv.notify_all();
    const bool back = eventually([&] { return s->back.load(); });
    CHECK(back);
    if (back) CHECK_FALSE(free_for_others(s->m)); // it returned holding the mutex
    s->leave = true;
}

TEST_CASE("detail::condition_variable: notify_all wakes every waiter, notify_one one at a time") {
    using namespace mutex_test;
    constexpr int waiters = 4;
    struct shared {
        mutex m;
        condition_variable cv;
        bool open = false; // guarded by m
        int tokens = 0;    // guarded by m
        std::atomic<int> blocked{0}, through{0};
    };
    auto s = std::make_shared<shared>();
    crew team([s] { return s->through.load() == waiters; });
    SUBCASE("notify_all") {
        for (int i = 0; i < waiters; ++i)
            team.start([s] {
                unique_lock l(s->m);
                ++s->blocked;
                s->cv.wait(l, [&] { return s->open; });
                ++s->through;
            });
        REQUIRE(eventually([&] { return s->blocked.load() == waiters; }));
        REQUIRE(lock_within(s->m));
        s->open = true;
        s->m.unlock();
        s->cv.notify_all();
        CHECK(eventually([&] { return s->through.load() == waiters; }));
    }
    SUBCASE("notify_one, once per token") {
        for (int i = 0; i < waiters; ++i)
            team.start([s] {
                unique_lock l(s->m);
                ++s->blocked;
                s->cv.wait(l, [&] { return s->tokens > 0; });
                --s->tokens;
                ++s->through;
            });
        REQUIRE(eventually([&] { return s->blocked.load() == waiters; }));
        for (int k = 1; k <= waiters; ++k) {
            CAPTURE(k);
            REQUIRE(lock_within(s->m));
            ++s->tokens;
            s->m.unlock();
            s->cv.notify_one();
            REQUIRE(eventually([&] { return s->through.load() == k; }));
        }
        REQUIRE(lock_within(s->m));
        CHECK(s->tokens == 0);
        s->m.unlock();
    }
}

TEST_CASE("detail::condition_variable: a bounded queue, 2 producers and 2 consumers") {
    using namespace mutex_test;
    constexpr int per_producer = 5000;
    constexpr std::size_t capacity = 8;
    struct shared {
        mutex m;
        condition_variable not_full, not_empty;
        std::vector<int> queue; // guarded by m
        int producers_left = 2; // guarded by m
        long long sum = 0;      // guarded by m
        int count = 0;          // guarded by m
        std::atomic<int> finished{0};
    };
    auto s = std::make_shared<shared>();
    auto produce = [s](int base) {
        for (int i = 0; i < per_producer; ++i) {
            unique_lock l(s->m);
            s->not_full.wait(l, [&] { return s->queue.size() < capacity; });
            s->queue.push_back(base + i);
            s->not_empty.notify_one();
        }
        {
            lock_guard g(s->m);
            if (--s->producers_left == 0) s->not_empty.notify_all();
        }
        ++s->finished;
    };
    auto consume = [s] {
        while (true) {
            unique_lock l(s->m);
            s->not_empty.wait(l, [&] { return !s->queue.empty() || s->producers_left == 0; });
            if (s->queue.empty()) break;
            s->sum += s->queue.back();
            ++s->count;
            s->queue.pop_back();
            s->not_full.notify_one();
        }
        ++s->finished;
    };
    {
        crew team([s] { return s->finished.load() == 4; });
        team.start(consume);
        team.start(consume);
        team.start([produce] { produce(0); });
        team.start([produce] { produce(per_producer); });
    }
    REQUIRE(s->finished.load() == 4);
    REQUIRE(lock_within(s->m));
    const long long n = 2LL * per_producer;
    CHECK(s->count == n);
    CHECK(s->sum == n * (n - 1) / 2);
    CHECK(s->queue.empty());
    s->m.unlock();
}
