// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief trtc::error and trtc::result<T>: every fallible call returns a value, never throws.
#ifndef TRTC_RESULT_HPP
#define TRTC_RESULT_HPP

#include "config.hpp"

#include <cstdint>
#include <new>
#include <string>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

#if TRTC_DEFINITIONS
#    include <cstdlib>
#endif

TRTC_BEGIN_NAMESPACE

/// One broken rule of a request, found before anything was sent.
struct field_violation {
    /// The field, with list indexes: `ToRoomIdList[2]`.
    std::string field;
    /// What is wrong, quoting the offending value (escaped and truncated).
    std::string message;
};

/// What went wrong. Never contains the secret key or a UserSig.
struct error {
    /// The condition: one of trtc::errc, trtc::decode_errc, trtc::transport_errc, or a code
    /// returned by the service (category trtc::service_category(), value = ErrorCode).
    std::error_code code;
    /// A human-readable explanation (for the service: its ErrorInfo).
    std::string message;
    /// The `random` query parameter of the request, when one was prepared (0 otherwise; see
    /// has_random). Quote it with request_id in a support ticket.
    std::uint32_t random = 0;
    /// Whether `random` is set.
    bool has_random = false;
    /// The service's RequestId, when a response carried one.
    std::string request_id;
    /// For errc::invalid_request: every violation found, in field order.
    std::vector<field_violation> violations;
    /// For errc::outcome_unknown (and other wrapping errors): the failure underneath, e.g.
    /// transport_errc::timeout_after_send.
    std::error_code cause;

    error() = default;
    /// An error with a code and an explanation.
    error(std::error_code c, std::string msg = {}) : code(c), message(std::move(msg)) {}

    /// One line: `category: message [code N] (random=..., RequestId=...)`, then one line per
    /// violation. Safe to log.
    std::string describe() const;
};

#if TRTC_USE_EXCEPTIONS
/// Thrown by result<T>::value() on an error, when exceptions are enabled.
class exception : public std::system_error {
  public:
    explicit exception(trtc::error e)
        : std::system_error(e.code, e.describe()), error_(std::move(e)) {}
    /// The error that was thrown.
    const trtc::error& error() const noexcept { return error_; }

  private:
    trtc::error error_;
};
#endif

namespace detail {
[[noreturn]] TRTC_DECL void throw_error(const error& e);
} // namespace detail

/// Either a T or a trtc::error. Check it with `if (r)` before using `*r`; value() throws
/// trtc::exception (or, without exceptions, reports the error and aborts).
template <class T>
class [[nodiscard]] result {
    static_assert(!std::is_reference_v<T>, "trtc::result<T> cannot hold a reference");
    static_assert(!std::is_same_v<std::decay_t<T>, trtc::error>,
                  "trtc::result<trtc::error> is ambiguous");

  public:
    using value_type = T;
    using error_type = trtc::error;

    /// A success holding a value.
    template <class U = T, class = std::enable_if_t<std::is_constructible_v<T, U&&> &&
                                                    !std::is_same_v<std::decay_t<U>, result> &&
                                                    !std::is_same_v<std::decay_t<U>, error_type>>>
    result(U&& v) : ok_(true) {
        ::new (static_cast<void*>(&value_)) T(std::forward<U>(v));
    }
    /// A failure.
    result(error_type e) : ok_(false) {
        ::new (static_cast<void*>(&error_)) error_type(std::move(e));
    }
    /// A failure from a code alone.
    result(std::error_code c) : result(error_type(c)) {}

    result(const result& o) : ok_(o.ok_) {
        if (ok_)
            ::new (static_cast<void*>(&value_)) T(o.value_);
        else
            ::new (static_cast<void*>(&error_)) error_type(o.error_);
    }
    result(result&& o) noexcept(std::is_nothrow_move_constructible_v<T>) : ok_(o.ok_) {
        if (ok_)
            ::new (static_cast<void*>(&value_)) T(std::move(o.value_));
        else
            ::new (static_cast<void*>(&error_)) error_type(std::move(o.error_));
    }
    result& operator=(const result& o) {
        if (this != &o) {
            destroy();
            ok_ = o.ok_;
            if (ok_)
                ::new (static_cast<void*>(&value_)) T(o.value_);
            else
                ::new (static_cast<void*>(&error_)) error_type(o.error_);
        }
        return *this;
    }
    result& operator=(result&& o) noexcept(std::is_nothrow_move_constructible_v<T>) {
        if (this != &o) {
            destroy();
            ok_ = o.ok_;
            if (ok_)
                ::new (static_cast<void*>(&value_)) T(std::move(o.value_));
            else
                ::new (static_cast<void*>(&error_)) error_type(std::move(o.error_));
        }
        return *this;
    }
    ~result() { destroy(); }

    /// True on success.
    bool has_value() const noexcept { return ok_; }
    /// True on success.
    explicit operator bool() const noexcept { return ok_; }

    /// The value; on an error, throws trtc::exception (or aborts with a message).
    T& value() & {
        if (!ok_) detail::throw_error(error_);
        return value_;
    }
    /// The value; on an error, throws trtc::exception (or aborts with a message).
    const T& value() const& {
        if (!ok_) detail::throw_error(error_);
        return value_;
    }
    /// The value; on an error, throws trtc::exception (or aborts with a message).
    T&& value() && {
        if (!ok_) detail::throw_error(error_);
        return std::move(value_);
    }
    /// The value, or `fallback` on an error.
    template <class U>
    T value_or(U&& fallback) const& {
        return ok_ ? value_ : static_cast<T>(std::forward<U>(fallback));
    }

    /// The value. Precondition: has_value().
    T& operator*() & noexcept {
        TRTC_ASSERT(ok_, "operator* on a trtc::result holding an error");
        return value_;
    }
    /// The value. Precondition: has_value().
    const T& operator*() const& noexcept {
        TRTC_ASSERT(ok_, "operator* on a trtc::result holding an error");
        return value_;
    }
    /// The value. Precondition: has_value().
    T&& operator*() && noexcept {
        TRTC_ASSERT(ok_, "operator* on a trtc::result holding an error");
        return std::move(value_);
    }
    /// Member access to the value. Precondition: has_value().
    T* operator->() noexcept {
        TRTC_ASSERT(ok_, "operator-> on a trtc::result holding an error");
        return &value_;
    }
    /// Member access to the value. Precondition: has_value().
    const T* operator->() const noexcept {
        TRTC_ASSERT(ok_, "operator-> on a trtc::result holding an error");
        return &value_;
    }

    /// The error. Precondition: !has_value().
    const error_type& error() const& noexcept {
        TRTC_ASSERT(!ok_, "error() on a trtc::result holding a value");
        return error_;
    }
    /// The error. Precondition: !has_value().
    error_type& error() & noexcept {
        TRTC_ASSERT(!ok_, "error() on a trtc::result holding a value");
        return error_;
    }
    /// The error code, or a default (success) code on success.
    std::error_code code() const noexcept { return ok_ ? std::error_code() : error_.code; }
    /// The error, moved out. Precondition: !has_value().
    error_type&& error() && noexcept {
        TRTC_ASSERT(!ok_, "error() on a trtc::result holding a value");
        return std::move(error_);
    }

  private:
    void destroy() noexcept {
        if (ok_)
            value_.~T();
        else
            error_.~error_type();
    }
    union {
        T value_;
        error_type error_;
    };
    bool ok_;
};

/// A success or a trtc::error, for operations with nothing to return.
template <>
class [[nodiscard]] result<void> {
  public:
    using value_type = void;
    using error_type = trtc::error;

    /// A success.
    result() noexcept = default;
    /// A failure.
    result(error_type e) : ok_(false), error_(std::move(e)) {}
    /// A failure from a code alone.
    result(std::error_code c) : result(error_type(c)) {}

    /// True on success.
    bool has_value() const noexcept { return ok_; }
    /// True on success.
    explicit operator bool() const noexcept { return ok_; }
    /// Throws trtc::exception (or aborts with a message) on an error.
    void value() const {
        if (!ok_) detail::throw_error(error_);
    }
    /// The error. Precondition: !has_value().
    const error_type& error() const& noexcept {
        TRTC_ASSERT(!ok_, "error() on a trtc::result holding a value");
        return error_;
    }
    /// The error. Precondition: !has_value().
    error_type& error() & noexcept {
        TRTC_ASSERT(!ok_, "error() on a trtc::result holding a value");
        return error_;
    }
    /// The error code, or a default (success) code on success.
    std::error_code code() const noexcept { return ok_ ? std::error_code() : error_.code; }
    /// The error, moved out. Precondition: !has_value().
    error_type&& error() && noexcept {
        TRTC_ASSERT(!ok_, "error() on a trtc::result holding a value");
        return std::move(error_);
    }

  private:
    bool ok_ = true;
    error_type error_;
};

#if TRTC_DEFINITIONS

TRTC_DECL std::string error::describe() const {
    std::string out = code.category().name();
    out += ": ";
    out += message.empty() ? code.message() : message;
    out += " [";
    out += std::to_string(code.value());
    out += ']';
    if (has_random || !request_id.empty()) {
        out += " (";
        if (has_random) {
            out += "random=";
            out += std::to_string(random);
        }
        if (!request_id.empty()) {
            if (has_random) out += ", ";
            out += "RequestId=";
            out += request_id;
        }
        out += ')';
    }
    if (cause) {
        out += " (cause: ";
        out += cause.category().name();
        out += ' ';
        out += std::to_string(cause.value());
        out += ')';
    }
    for (const auto& v : violations) {
        out += "\n  ";
        out += v.field;
        out += ": ";
        out += v.message;
    }
    return out;
}

namespace detail {
[[noreturn]] TRTC_DECL void throw_error(const error& e) {
#    if TRTC_USE_EXCEPTIONS
    throw exception(e);
#    else
    std::string text = "value() called on an error: " + e.describe();
    TRTC_ASSERT_FAIL(__FILE__, __LINE__, text.c_str());
    // TRTC_ASSERT_FAIL may be user-defined; make sure we never return.
    std::abort();
#    endif
}
} // namespace detail

#endif // TRTC_DEFINITIONS

TRTC_END_NAMESPACE

#endif // TRTC_RESULT_HPP
