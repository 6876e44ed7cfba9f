// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief A mutex, its guards, a condition variable, and an integer with relaxed atomic
/// operations: what the library needs of <mutex>, <condition_variable> and <atomic>, for a
/// fraction of their compile time where POSIX is there (the standard library's on Windows).
#ifndef TRTC_DETAIL_MUTEX_HPP
#define TRTC_DETAIL_MUTEX_HPP

#include "../config.hpp"

#if defined(_WIN32)
#    include <condition_variable>
#    include <mutex>
#else
#    include <pthread.h>
#endif

#if !defined(__GNUC__) && !defined(__clang__)
#    include <atomic>
#endif

TRTC_BEGIN_NAMESPACE
namespace detail {

/// The library's mutex: a POSIX mutex (std::mutex on Windows), without <mutex>'s compile cost
/// where POSIX is there.
class mutex {
  public:
    mutex() noexcept = default;
    mutex(const mutex&) = delete;
    mutex& operator=(const mutex&) = delete;
#if defined(_WIN32)
    void lock() noexcept {
        m_.lock();
    }
    /// Takes the mutex if it is free; false (without waiting) when another holds it.
    bool try_lock() noexcept {
        return m_.try_lock();
    }
    void unlock() noexcept {
        m_.unlock();
    }

  private:
    std::mutex m_;
#else
    ~mutex() {
        pthread_mutex_destroy(&m_);
    }
    void lock() noexcept {
        pthread_mutex_lock(&m_);
    }
    /// Takes the mutex if it is free; false (without waiting) when another holds it.
    bool try_lock() noexcept {
        return pthread_mutex_trylock(&m_) == 0;
    }
    void unlock() noexcept {
        pthread_mutex_unlock(&m_);
    }

  private:
    friend class condition_variable;
    pthread_mutex_t m_ = PTHREAD_MUTEX_INITIALIZER;
#endif
};

/// Holds a mutex for its scope, as std::lock_guard.
class lock_guard {
  public:
    explicit lock_guard(mutex& m) noexcept : m_(m) { m_.lock(); }
    lock_guard(const lock_guard&) = delete;
    lock_guard& operator=(const lock_guard&) = delete;
    ~lock_guard() { m_.unlock(); }

  private:
    mutex& m_;
};

/// A lock that can be released and taken again within its scope, and that a condition_variable
/// waits with, as std::unique_lock (not movable).
class unique_lock {
  public:
    /// Takes `m`.
    explicit unique_lock(detail::mutex& m) noexcept : m_(m) { lock(); }
    unique_lock(const unique_lock&) = delete;
    unique_lock& operator=(const unique_lock&) = delete;
    /// Releases the mutex if it holds it.
    ~unique_lock() {
        if (owns_) m_.unlock();
    }
    /// Takes the mutex. Precondition: not held by this lock.
    void lock() noexcept {
        TRTC_ASSERT(!owns_, "unique_lock::lock: the lock already holds its mutex");
        m_.lock();
        owns_ = true;
    }
    /// Releases the mutex. Precondition: held by this lock.
    void unlock() noexcept {
        TRTC_ASSERT(owns_, "unique_lock::unlock: the lock does not hold its mutex");
        owns_ = false;
        m_.unlock();
    }
    /// Whether this lock holds the mutex.
    bool owns_lock() const noexcept { return owns_; }
    /// The mutex.
    detail::mutex& mutex() const noexcept { return m_; }

  private:
    detail::mutex& m_;
    bool owns_ = false;
};

/// A condition variable for detail::mutex, as std::condition_variable: a POSIX condition
/// variable (std::condition_variable_any on Windows). Waits may wake spuriously: wait with a
/// predicate, or check the condition in a loop.
class condition_variable {
  public:
    condition_variable() noexcept = default;
    condition_variable(const condition_variable&) = delete;
    condition_variable& operator=(const condition_variable&) = delete;
#if defined(_WIN32)
    /// Releases the lock's mutex, waits for a notification, and takes the mutex again.
    /// Precondition: `lock` holds its mutex.
    void wait(unique_lock& lock) {
        TRTC_ASSERT(lock.owns_lock(), "condition_variable::wait: the lock is not held");
        c_.wait(lock);
    }
    /// Wakes one waiting thread, if any.
    void notify_one() noexcept {
        c_.notify_one();
    }
    /// Wakes every waiting thread.
    void notify_all() noexcept {
        c_.notify_all();
    }

  private:
    std::condition_variable_any c_;
#else
    ~condition_variable() {
        pthread_cond_destroy(&c_);
    }
    /// Releases the lock's mutex, waits for a notification, and takes the mutex again.
    /// Precondition: `lock` holds its mutex.
    void wait(unique_lock& lock) noexcept {
        TRTC_ASSERT(lock.owns_lock(), "condition_variable::wait: the lock is not held");
        pthread_cond_wait(&c_, &lock.mutex().m_);
    }
    /// Wakes one waiting thread, if any.
    void notify_one() noexcept {
        pthread_cond_signal(&c_);
    }
    /// Wakes every waiting thread.
    void notify_all() noexcept {
        pthread_cond_broadcast(&c_);
    }

  private:
    pthread_cond_t c_ = PTHREAD_COND_INITIALIZER;
#endif

  public:
    /// Waits until `done()` is true: checked first, then after every wakeup, with the mutex
    /// held. Precondition: `lock` holds its mutex.
    template <class Predicate>
    void wait(unique_lock& lock, Predicate done) {
        while (!done()) wait(lock);
    }
};

/// An integer that several threads read and update with relaxed ordering (counters, the rate
/// limiter's compare-and-swap). The GCC/clang builtins, which ThreadSanitizer understands;
/// std::atomic with other compilers.
template <class T>
class relaxed_atomic {
  public:
    constexpr relaxed_atomic(T v = T()) noexcept : v_(v) {}
    relaxed_atomic(const relaxed_atomic&) = delete;
    relaxed_atomic& operator=(const relaxed_atomic&) = delete;
#if defined(__GNUC__) || defined(__clang__)
    T load() const noexcept {
        return __atomic_load_n(&v_, __ATOMIC_RELAXED);
    }
    T fetch_add(T d) noexcept {
        return __atomic_fetch_add(&v_, d, __ATOMIC_RELAXED);
    }
    /// As std::atomic's: false (with `expected` updated) when the value was not `expected`.
    bool compare_exchange_weak(T& expected, T desired) noexcept {
        return __atomic_compare_exchange_n(&v_, &expected, desired, true, __ATOMIC_RELAXED,
                                           __ATOMIC_RELAXED);
    }

  private:
    alignas(sizeof(T)) T v_; // 8-byte alignment for 64-bit values on 32-bit targets too
#else
    T load() const noexcept {
        return v_.load(std::memory_order_relaxed);
    }
    T fetch_add(T d) noexcept {
        return v_.fetch_add(d, std::memory_order_relaxed);
    }
    bool compare_exchange_weak(T& expected, T desired) noexcept {
        return v_.compare_exchange_weak(expected, desired, std::memory_order_relaxed);
    }

  private:
    std::atomic<T> v_;
#endif
};

} // namespace detail
TRTC_END_NAMESPACE

#endif // TRTC_DETAIL_MUTEX_HPP
