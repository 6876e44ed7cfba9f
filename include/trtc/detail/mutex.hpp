// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief A POSIX mutex and its guard: what the library needs of <mutex>, for a fraction of
/// its compile time.
#ifndef TRTC_DETAIL_MUTEX_HPP
#define TRTC_DETAIL_MUTEX_HPP

#include "../config.hpp"

#include <pthread.h>

TRTC_BEGIN_NAMESPACE
namespace detail {

class mutex {
  public:
    mutex() noexcept = default;
    mutex(const mutex&) = delete;
    mutex& operator=(const mutex&) = delete;
    ~mutex() { pthread_mutex_destroy(&m_); }
    void lock() noexcept { pthread_mutex_lock(&m_); }
    void unlock() noexcept { pthread_mutex_unlock(&m_); }

  private:
    pthread_mutex_t m_ = PTHREAD_MUTEX_INITIALIZER;
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

} // namespace detail
TRTC_END_NAMESPACE

#endif // TRTC_DETAIL_MUTEX_HPP
