// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief A mutex and its guard, and an integer with relaxed atomic operations: what the library
/// needs of <mutex> and <atomic>, for a fraction of their compile time where POSIX is there.
#ifndef TRTC_DETAIL_MUTEX_HPP
#define TRTC_DETAIL_MUTEX_HPP

#include "../config.hpp"

#if defined(_WIN32)
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
    void unlock() noexcept {
        pthread_mutex_unlock(&m_);
    }

  private:
    pthread_mutex_t m_ = PTHREAD_MUTEX_INITIALIZER;
#endif
};

class lock_guard {
  public:
    explicit lock_guard(mutex& m) noexcept : m_(m) { m_.lock(); }
    lock_guard(const lock_guard&) = delete;
    lock_guard& operator=(const lock_guard&) = delete;
    ~lock_guard() { m_.unlock(); }

  private:
    mutex& m_;
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
