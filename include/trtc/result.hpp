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
///
/// What nearly every error has (the code, the message, the request's `random`) is held inline;
/// the rest (the RequestId, the violations, the cause) lives in one block allocated only when
/// one of them is set, behind accessors, so that an error, and every trtc::result, stays small.
/// Copies are deep.
struct error {
    /// The condition: one of trtc::errc, trtc::decode_errc, trtc::transport_errc, or a code
    /// returned by the service (category trtc::service_category(), value = ErrorCode).
    std::error_code code;
    /// A human-readable explanation (for the service: its ErrorInfo).
    std::string message;
    /// The `random` query parameter of the request, when one was prepared (0 otherwise; see
    /// has_random). Quote it with request_id() in a support ticket.
    std::uint32_t random = 0;
    /// Whether `random` is set.
    bool has_random = false;

    error() noexcept = default;
    /// An error with a code and an explanation.
    error(std::error_code c, std::string msg = {}) noexcept : code(c), message(std::move(msg)) {}
    error(const error& o);
    error(error&& o) noexcept
        : code(o.code), message(std::move(o.message)), random(o.random), has_random(o.has_random),
          details_(std::exchange(o.details_, nullptr)) {}
    error& operator=(const error& o);
    error& operator=(error&& o) noexcept {
        if (this != &o) {
            code = o.code;
            message = std::move(o.message);
            random = o.random;
            has_random = o.has_random;
            delete details_;
            details_ = std::exchange(o.details_, nullptr);
        }
        return *this;
    }
    ~error() { delete details_; }

    /// The service's RequestId, when a response carried one (empty otherwise).
    const std::string& request_id() const noexcept { return rare().request_id; }
    /// Sets the RequestId (an empty one allocates nothing).
    void set_request_id(std::string id);

    /// For errc::invalid_request: every violation found, in field order (empty otherwise).
    const std::vector<field_violation>& violations() const noexcept { return rare().violations; }
    /// Replaces the violations (an empty list allocates nothing).
    void set_violations(std::vector<field_violation> v);
    /// Appends one violation.
    void add_violation(field_violation v);

    /// For errc::outcome_unknown (and other wrapping errors): the failure underneath, e.g.
    /// transport_errc::timeout_after_send (a default code otherwise).
    std::error_code cause() const noexcept { return rare().cause; }
    /// Sets the cause (a default code allocates nothing).
    void set_cause(std::error_code c);

    /// One line: `category: message [code N] (random=..., RequestId=...)`, then one line per
    /// violation. Safe to log.
    std::string describe() const;

  private:
    struct details {
        std::string request_id;
        std::vector<field_violation> violations;
        std::error_code cause;
    };
    const details& rare() const noexcept { return details_ ? *details_ : no_details(); }
    details& rare_for_writing();
    static const details& no_details() noexcept;

    // Owned (std::unique_ptr would cost every translation unit <memory>); null when none of
    // the details is set.
    details* details_ = nullptr;
};

#if TRTC_USE_EXCEPTIONS
namespace detail {
// trtc::exception. A template only because of its vtable, which every translation unit that
// throws one emits (a header-only library has no translation unit of its own to hold it):
// clang's -Wweak-vtables reports that in users' builds for a class, not for a template.
template <class Error>
class exception_of : public std::system_error {
  public:
    explicit exception_of(Error e)
        : std::system_error(e.code, e.describe()), error_(std::move(e)) {}
    /// The error that was thrown.
    const Error& error() const noexcept { return error_; }

  private:
    Error error_;
};
} // namespace detail

/// Thrown by result<T>::value() on an error, when exceptions are enabled: a std::system_error
/// whose error() is the trtc::error.
using exception = detail::exception_of<error>;
#endif

namespace detail {
[[noreturn]] TRTC_DECL void throw_error(const error& e);

// MSVC gives only the first of several empty base classes no room unless told to; result<T> has
// four (its gates, below).
#if defined(_MSC_VER)
#    define TRTC_DETAIL_EMPTY_BASES __declspec(empty_bases)
#else
#    define TRTC_DETAIL_EMPTY_BASES
#endif

// result<T>'s copy and move constructors and assignments exist only when T's do, as
// std::expected's: result<T> derives from one gate per special member, and a gate that is
// closed deletes its member, so that result's defaulted one is deleted too (and the type
// traits tell the truth: a result of a move-only T is not copy constructible).
template <bool Open>
struct copy_construct_gate {};
template <>
struct copy_construct_gate<false> {
    copy_construct_gate() = default;
    copy_construct_gate(const copy_construct_gate&) = delete;
    copy_construct_gate(copy_construct_gate&&) = default;
    copy_construct_gate& operator=(const copy_construct_gate&) = default;
    copy_construct_gate& operator=(copy_construct_gate&&) = default;
    ~copy_construct_gate() = default;
};
template <bool Open>
struct move_construct_gate {};
template <>
struct move_construct_gate<false> {
    move_construct_gate() = default;
    move_construct_gate(const move_construct_gate&) = default;
    move_construct_gate(move_construct_gate&&) = delete;
    move_construct_gate& operator=(const move_construct_gate&) = default;
    move_construct_gate& operator=(move_construct_gate&&) = default;
    ~move_construct_gate() = default;
};
template <bool Open>
struct copy_assign_gate {};
template <>
struct copy_assign_gate<false> {
    copy_assign_gate() = default;
    copy_assign_gate(const copy_assign_gate&) = default;
    copy_assign_gate(copy_assign_gate&&) = default;
    copy_assign_gate& operator=(const copy_assign_gate&) = delete;
    copy_assign_gate& operator=(copy_assign_gate&&) = default;
    ~copy_assign_gate() = default;
};
template <bool Open>
struct move_assign_gate {};
template <>
struct move_assign_gate<false> {
    move_assign_gate() = default;
    move_assign_gate(const move_assign_gate&) = default;
    move_assign_gate(move_assign_gate&&) = default;
    move_assign_gate& operator=(const move_assign_gate&) = default;
    move_assign_gate& operator=(move_assign_gate&&) = delete;
    ~move_assign_gate() = default;
};

/// Whether result<T> can be assigned a T made from A: with T's own assignment, or, for a T
/// without one, by making the new T first and moving it in, which must not throw. (std::expected
/// requires T's assignment; this also takes the second kind, which result<T> always took.)
template <class T, class A>
inline constexpr bool result_assignable = std::is_constructible_v<T, A> &&
                                          (std::is_assignable_v<T&, A> ||
                                           std::is_nothrow_move_constructible_v<T>);

/// Tags the constructor of result_storage that makes an error.
struct error_tag {};

/// result<T>'s state: a T or an error in one union, and which one it is. Its copy and move
/// operations are written for every T (result<T> only uses those its gates leave open).
///
/// Assignment never leaves the union without a live member: when the new content can throw
/// while being made, it is made before the old one is destroyed (into a temporary, or, when T
/// cannot be moved without throwing either, with the old error kept aside and put back), as
/// std::expected does. Its exception guarantee is therefore strong, except where T's own
/// assignment is used (both sides hold a value), which gives what T's gives.
template <class T>
class result_storage {
  protected:
    template <class... A>
    explicit result_storage(std::in_place_t, A&&... a) : ok_(true) {
        ::new (static_cast<void*>(&value_)) T(std::forward<A>(a)...);
    }
    template <class E>
    result_storage(error_tag, E&& e) noexcept(std::is_nothrow_constructible_v<error, E>)
        : ok_(false) {
        ::new (static_cast<void*>(&error_)) error(std::forward<E>(e));
    }
    result_storage(const result_storage& o) : ok_(o.ok_) {
        if (ok_)
            ::new (static_cast<void*>(&value_)) T(o.value_);
        else
            ::new (static_cast<void*>(&error_)) error(o.error_);
    }
    result_storage(result_storage&& o) noexcept(std::is_nothrow_move_constructible_v<T>)
        : ok_(o.ok_) {
        if (ok_)
            ::new (static_cast<void*>(&value_)) T(std::move(o.value_));
        else
            ::new (static_cast<void*>(&error_)) error(std::move(o.error_));
    }
    result_storage& operator=(const result_storage& o) {
        if (o.ok_) {
            if (ok_)
                assign_over_value(o.value_);
            else
                replace_error_with_value(o.value_);
        } else {
            if (ok_)
                replace_value_with_error(o.error_);
            else
                error_ = o.error_;
        }
        return *this;
    }
    result_storage& operator=(result_storage&& o) noexcept(
        std::is_nothrow_move_constructible_v<T> &&
        (std::is_nothrow_move_assignable_v<T> || !std::is_move_assignable_v<T>)) {
        if (o.ok_) {
            if (ok_)
                assign_over_value(std::move(o.value_));
            else
                replace_error_with_value(std::move(o.value_));
        } else {
            if (ok_)
                replace_value_with_error(std::move(o.error_));
            else
                error_ = std::move(o.error_);
        }
        return *this;
    }
    ~result_storage() {
        if (ok_)
            value_.~T();
        else
            error_.~error();
    }

    /// Assigns a T made from `a` (the converting assignment).
    template <class A>
    void assign_value(A&& a) {
        if (ok_)
            assign_over_value(std::forward<A>(a));
        else
            replace_error_with_value(std::forward<A>(a));
    }

    /// Assigns an error (the assignment from an error).
    template <class E>
    void assign_error(E&& e) {
        if (ok_)
            replace_value_with_error(std::forward<E>(e));
        else
            error_ = std::forward<E>(e);
    }

    /// Precondition: ok_. T's assignment; for a T that has none (a const member, say), a new T
    /// made first and moved in, which cannot throw (result_assignable requires it).
    template <class A>
    void assign_over_value(A&& a) {
        if constexpr (std::is_assignable_v<T&, A>) {
            value_ = std::forward<A>(a);
        } else {
            T made(std::forward<A>(a));
            value_.~T();
            ::new (static_cast<void*>(&value_)) T(std::move(made));
        }
    }

    /// Precondition: ok_. Destroys the value, then makes the error; error's move cannot throw,
    /// so a copy that might is made first.
    template <class E>
    void replace_value_with_error(E&& e) {
        if constexpr (std::is_nothrow_constructible_v<error, E>) {
            value_.~T();
            ::new (static_cast<void*>(&error_)) error(std::forward<E>(e));
        } else {
            error copy(std::forward<E>(e));
            value_.~T();
            ::new (static_cast<void*>(&error_)) error(std::move(copy));
        }
        ok_ = false;
    }

    /// Precondition: !ok_. Destroys the error and makes a T from `a`; if that throws, the union
    /// holds the error it held before.
    template <class... A>
    void replace_error_with_value(A&&... a) {
        if constexpr (std::is_nothrow_constructible_v<T, A...>) {
            error_.~error();
            ::new (static_cast<void*>(&value_)) T(std::forward<A>(a)...);
        } else if constexpr (std::is_nothrow_move_constructible_v<T>) {
            T made(std::forward<A>(a)...);
            error_.~error();
            ::new (static_cast<void*>(&value_)) T(std::move(made));
        } else {
            // T can throw however it is made: keep the error aside, and put it back unless T
            // was made.
            struct restore_on_unwind {
                result_storage& self;
                error& kept;
                bool done;
                ~restore_on_unwind() {
                    if (!done) ::new (static_cast<void*>(&self.error_)) error(std::move(kept));
                }
            };
            error kept(std::move(error_));
            error_.~error();
            restore_on_unwind guard{*this, kept, false};
            ::new (static_cast<void*>(&value_)) T(std::forward<A>(a)...);
            guard.done = true;
        }
        ok_ = true;
    }

    union {
        T value_;
        error error_;
    };
    bool ok_;
};
} // namespace detail

template <class T>
class result;

namespace detail {
template <class T>
struct is_result : std::false_type {};
template <class T>
struct is_result<result<T>> : std::true_type {};

template <class T>
using remove_cvref_t = std::remove_cv_t<std::remove_reference_t<T>>;

// The vocabulary shared by result<T> and result<void>, written once over `Self`: the result
// as the member was called on it (const or not, lvalue or rvalue), so that the value and the
// error are passed on as std::expected passes them (copied from an lvalue, moved from an
// rvalue).
template <class Self>
inline constexpr bool holds_void = std::is_void_v<typename remove_cvref_t<Self>::value_type>;

/// Calls a pointer to member on `obj`: the object itself or, for a pointer (or anything else
/// that dereferences to one), what it points to.
template <class M, class C, class Obj>
decltype(auto) invoke_member(M C::*m, Obj&& obj) {
    if constexpr (std::is_base_of_v<C, remove_cvref_t<Obj>>) {
        if constexpr (std::is_function_v<M>)
            return (std::forward<Obj>(obj).*m)();
        else
            return std::forward<Obj>(obj).*m;
    } else {
        if constexpr (std::is_function_v<M>)
            return ((*std::forward<Obj>(obj)).*m)();
        else
            return (*std::forward<Obj>(obj)).*m;
    }
}

/// std::invoke for what the vocabulary below calls (a callable with no argument or one, a
/// pointer to member with its object), without <functional>, which would add about a tenth to
/// the compile time of every translation unit that includes the umbrella header. (A
/// std::reference_wrapper is not unwrapped for a pointer to member.)
template <class F, class... A>
decltype(auto) result_invoke(F&& f, A&&... a) {
    if constexpr (std::is_member_pointer_v<remove_cvref_t<F>>)
        return invoke_member(f, std::forward<A>(a)...);
    else
        return std::forward<F>(f)(std::forward<A>(a)...);
}

/// What F returns when called with the value of Self (nothing for result<void>).
template <class F, class Self, bool = holds_void<Self>>
struct value_call {
    using type = std::invoke_result_t<F, decltype(*std::declval<Self>())>;
};
template <class F, class Self>
struct value_call<F, Self, true> {
    using type = std::invoke_result_t<F>;
};

/// What F returns when called with the error of Self.
template <class F, class Self>
using error_call_t = std::invoke_result_t<F, decltype(std::declval<Self>().error())>;

template <class F, class Self>
decltype(auto) call_with_value(F&& f, Self&& self) {
    if constexpr (holds_void<Self>)
        return detail::result_invoke(std::forward<F>(f));
    else
        return detail::result_invoke(std::forward<F>(f), *std::forward<Self>(self));
}

/// A result of the same value type as Self, holding Self's value.
template <class R, class Self>
R with_value_of(Self&& self) {
    if constexpr (holds_void<Self>)
        return R();
    else
        return R(std::in_place, *std::forward<Self>(self));
}

template <class Self, class F>
auto result_and_then(Self&& self, F&& f) {
    using U = remove_cvref_t<typename value_call<F, Self>::type>;
    static_assert(is_result<U>::value, "trtc::result::and_then: f must return a trtc::result");
    if (!self.has_value()) return U(std::forward<Self>(self).error());
    return U(call_with_value(std::forward<F>(f), std::forward<Self>(self)));
}

template <class Self, class F>
auto result_or_else(Self&& self, F&& f) {
    using G = remove_cvref_t<error_call_t<F, Self>>;
    static_assert(is_result<G>::value, "trtc::result::or_else: f must return a trtc::result");
    static_assert(std::is_same_v<typename G::value_type, typename remove_cvref_t<Self>::value_type>,
                  "trtc::result::or_else: f must return a result of the same value type");
    if (self.has_value()) return with_value_of<G>(std::forward<Self>(self));
    return G(detail::result_invoke(std::forward<F>(f), std::forward<Self>(self).error()));
}

template <class Self, class F>
auto result_transform(Self&& self, F&& f) {
    using U = std::remove_cv_t<typename value_call<F, Self>::type>;
    using R = result<U>;
    if (!self.has_value()) return R(std::forward<Self>(self).error());
    if constexpr (std::is_void_v<U>) {
        call_with_value(std::forward<F>(f), std::forward<Self>(self));
        return R();
    } else {
        return R(std::in_place, call_with_value(std::forward<F>(f), std::forward<Self>(self)));
    }
}

template <class Self, class F>
auto result_transform_error(Self&& self, F&& f) {
    using R = remove_cvref_t<Self>;
    static_assert(std::is_same_v<std::remove_cv_t<error_call_t<F, Self>>, error>,
                  "trtc::result::transform_error: f must return a trtc::error (the error type "
                  "of every trtc::result)");
    if (self.has_value()) return with_value_of<R>(std::forward<Self>(self));
    return R(detail::result_invoke(std::forward<F>(f), std::forward<Self>(self).error()));
}
} // namespace detail

/// Either a T or a trtc::error. Check it with `if (r)` before using `*r`; value() throws
/// trtc::exception (or, without exceptions, reports the error and aborts).
///
/// Shaped after C++23's std::expected<T, trtc::error>: copyable and movable when T is, with
/// std::expected's noexcept specifications, and assignment is exception-safe: a copy or move of
/// T that throws leaves the result as it was. Assignment also works for a T without an
/// assignment operator of its own, when T can be moved without throwing (std::expected would
/// refuse such a T).
template <class T>
class [[nodiscard]] TRTC_DETAIL_EMPTY_BASES result
    : private detail::result_storage<T>,
      private detail::copy_construct_gate<std::is_copy_constructible_v<T>>,
      private detail::move_construct_gate<std::is_move_constructible_v<T>>,
      private detail::copy_assign_gate<detail::result_assignable<T, const T&>>,
      private detail::move_assign_gate<detail::result_assignable<T, T&&>> {
    static_assert(!std::is_reference_v<T>, "trtc::result<T> cannot hold a reference");
    static_assert(!std::is_same_v<std::decay_t<T>, trtc::error>,
                  "trtc::result<trtc::error> is ambiguous");

    using storage = detail::result_storage<T>;
    using storage::error_;
    using storage::ok_;
    using storage::value_;

  public:
    using value_type = T;
    using error_type = trtc::error;

    /// A success holding a value.
    template <class U = T, class = std::enable_if_t<std::is_constructible_v<T, U&&> &&
                                                    !std::is_same_v<std::decay_t<U>, result> &&
                                                    !std::is_same_v<std::decay_t<U>, error_type>>>
    result(U&& v) : storage(std::in_place, std::forward<U>(v)) {}
    /// A success holding a T made from `a...` (std::expected's in-place constructor).
    template <class... A, class = std::enable_if_t<std::is_constructible_v<T, A&&...>>>
    explicit result(std::in_place_t, A&&... a) : storage(std::in_place, std::forward<A>(a)...) {}
    /// A failure.
    result(error_type e) noexcept : storage(detail::error_tag{}, std::move(e)) {}
    /// A failure from a code alone.
    result(std::error_code c) : result(error_type(c)) {}

    /// Copies the value or the error (only when T is copy constructible).
    result(const result&) = default;
    /// Moves the value or the error (only when T is move constructible); noexcept when T's
    /// move constructor is.
    result(result&&) = default;
    /// Copy assignment (when T is copy constructible, and copy assignable or nothrow move
    /// constructible). When both hold a value, T's copy assignment is used; otherwise the old
    /// content is destroyed only once the new one is made, so a throwing copy leaves this
    /// result as it was.
    result& operator=(const result&) = default;
    /// Move assignment (when T is move constructible, and move assignable or nothrow move
    /// constructible), with the same guarantee; noexcept when T's move constructor and move
    /// assignment are.
    result& operator=(result&&) = default;
    /// Assigns a value: T's assignment from `v` when this holds a value, otherwise a T made
    /// from `v` replaces the error (which stays if making the T throws).
    template <class U = T, class = std::enable_if_t<!std::is_same_v<std::decay_t<U>, result> &&
                                                    !std::is_same_v<std::decay_t<U>, error_type> &&
                                                    detail::result_assignable<T, U&&>>>
    result& operator=(U&& v) {
        this->assign_value(std::forward<U>(v));
        return *this;
    }
    /// Assigns an error: a value held is destroyed (after the copy of `e` is made).
    result& operator=(const error_type& e) {
        this->assign_error(e);
        return *this;
    }
    /// Assigns an error: a value held is destroyed. Never throws.
    result& operator=(error_type&& e) noexcept {
        this->assign_error(std::move(e));
        return *this;
    }
    /// Assigns an error with a code alone.
    result& operator=(std::error_code c) noexcept { return *this = error_type(c); }
    ~result() = default;

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
    /// The value; on an error, throws trtc::exception (or aborts with a message).
    const T&& value() const&& {
        if (!ok_) detail::throw_error(error_);
        return std::move(value_);
    }
    /// A copy of the value, or `fallback` converted to T on an error.
    template <class U = std::remove_cv_t<T>>
    T value_or(U&& fallback) const& {
        static_assert(std::is_copy_constructible_v<T>,
                      "trtc::result::value_or on an lvalue copies the value: T must be copyable");
        static_assert(std::is_convertible_v<U&&, T>,
                      "trtc::result::value_or: the fallback must convert to T");
        if (ok_) return value_;
        return static_cast<T>(std::forward<U>(fallback));
    }
    /// The value moved out, or `fallback` converted to T on an error.
    template <class U = std::remove_cv_t<T>>
    T value_or(U&& fallback) && {
        static_assert(std::is_move_constructible_v<T>,
                      "trtc::result::value_or on an rvalue moves the value: T must be movable");
        static_assert(std::is_convertible_v<U&&, T>,
                      "trtc::result::value_or: the fallback must convert to T");
        if (ok_) return std::move(value_);
        return static_cast<T>(std::forward<U>(fallback));
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
    /// The value. Precondition: has_value().
    const T&& operator*() const&& noexcept {
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
    /// The error, as a const rvalue. Precondition: !has_value().
    const error_type&& error() const&& noexcept {
        TRTC_ASSERT(!ok_, "error() on a trtc::result holding a value");
        return std::move(error_);
    }

    /// Chains a fallible step: on success, `f(value)` (a trtc::result of any value type),
    /// otherwise that result type holding this error. The value and the error are copied from
    /// an lvalue and moved from an rvalue (`std::move(r).and_then(f)`), as with every member
    /// below.
    template <class F>
    auto and_then(F&& f) & {
        return detail::result_and_then(*this, std::forward<F>(f));
    }
    /// and_then on a const result.
    template <class F>
    auto and_then(F&& f) const& {
        return detail::result_and_then(*this, std::forward<F>(f));
    }
    /// and_then on an rvalue: f receives the value as an rvalue.
    template <class F>
    auto and_then(F&& f) && {
        return detail::result_and_then(std::move(*this), std::forward<F>(f));
    }
    /// and_then on a const rvalue.
    template <class F>
    auto and_then(F&& f) const&& {
        return detail::result_and_then(std::move(*this), std::forward<F>(f));
    }

    /// Maps the value: on success, a result holding `f(value)` (a result<void> when f returns
    /// nothing), otherwise one holding this error.
    template <class F>
    auto transform(F&& f) & {
        return detail::result_transform(*this, std::forward<F>(f));
    }
    /// transform on a const result.
    template <class F>
    auto transform(F&& f) const& {
        return detail::result_transform(*this, std::forward<F>(f));
    }
    /// transform on an rvalue: f receives the value as an rvalue.
    template <class F>
    auto transform(F&& f) && {
        return detail::result_transform(std::move(*this), std::forward<F>(f));
    }
    /// transform on a const rvalue.
    template <class F>
    auto transform(F&& f) const&& {
        return detail::result_transform(std::move(*this), std::forward<F>(f));
    }

    /// Recovers from an error: on an error, `f(error)` (a trtc::result of the same value type),
    /// otherwise such a result holding this value.
    template <class F>
    auto or_else(F&& f) & {
        return detail::result_or_else(*this, std::forward<F>(f));
    }
    /// or_else on a const result.
    template <class F>
    auto or_else(F&& f) const& {
        return detail::result_or_else(*this, std::forward<F>(f));
    }
    /// or_else on an rvalue: f receives the error as an rvalue.
    template <class F>
    auto or_else(F&& f) && {
        return detail::result_or_else(std::move(*this), std::forward<F>(f));
    }
    /// or_else on a const rvalue.
    template <class F>
    auto or_else(F&& f) const&& {
        return detail::result_or_else(std::move(*this), std::forward<F>(f));
    }

    /// Maps the error: on an error, a result holding `f(error)`, which must be a trtc::error
    /// (the one error type of trtc::result; add context to the message, say), otherwise a copy
    /// of this result.
    template <class F>
    auto transform_error(F&& f) & {
        return detail::result_transform_error(*this, std::forward<F>(f));
    }
    /// transform_error on a const result.
    template <class F>
    auto transform_error(F&& f) const& {
        return detail::result_transform_error(*this, std::forward<F>(f));
    }
    /// transform_error on an rvalue: f receives the error as an rvalue.
    template <class F>
    auto transform_error(F&& f) && {
        return detail::result_transform_error(std::move(*this), std::forward<F>(f));
    }
    /// transform_error on a const rvalue.
    template <class F>
    auto transform_error(F&& f) const&& {
        return detail::result_transform_error(std::move(*this), std::forward<F>(f));
    }
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
    result(error_type e) noexcept : error_(std::move(e)), ok_(false) {}
    /// A failure from a code alone.
    result(std::error_code c) : result(error_type(c)) {}

    result(const result&) = default;
    result(result&&) noexcept = default;
    /// Copy assignment. The error is copied before the state changes, so a copy that throws
    /// (std::bad_alloc) leaves this result as it was.
    result& operator=(const result& o) {
        error_ = o.error_;
        ok_ = o.ok_;
        return *this;
    }
    result& operator=(result&&) noexcept = default;
    ~result() = default;

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
    /// The error, as a const rvalue. Precondition: !has_value().
    const error_type&& error() const&& noexcept {
        TRTC_ASSERT(!ok_, "error() on a trtc::result holding a value");
        return std::move(error_);
    }

    /// Chains a fallible step: on success, `f()` (a trtc::result of any value type), otherwise
    /// that result type holding this error (copied from an lvalue, moved from an rvalue, as
    /// with every member below).
    template <class F>
    auto and_then(F&& f) & {
        return detail::result_and_then(*this, std::forward<F>(f));
    }
    /// and_then on a const result.
    template <class F>
    auto and_then(F&& f) const& {
        return detail::result_and_then(*this, std::forward<F>(f));
    }
    /// and_then on an rvalue: the error is moved on.
    template <class F>
    auto and_then(F&& f) && {
        return detail::result_and_then(std::move(*this), std::forward<F>(f));
    }
    /// and_then on a const rvalue.
    template <class F>
    auto and_then(F&& f) const&& {
        return detail::result_and_then(std::move(*this), std::forward<F>(f));
    }

    /// Maps success to a value: on success, a result holding `f()` (a result<void> when f
    /// returns nothing), otherwise one holding this error.
    template <class F>
    auto transform(F&& f) & {
        return detail::result_transform(*this, std::forward<F>(f));
    }
    /// transform on a const result.
    template <class F>
    auto transform(F&& f) const& {
        return detail::result_transform(*this, std::forward<F>(f));
    }
    /// transform on an rvalue: the error is moved on.
    template <class F>
    auto transform(F&& f) && {
        return detail::result_transform(std::move(*this), std::forward<F>(f));
    }
    /// transform on a const rvalue.
    template <class F>
    auto transform(F&& f) const&& {
        return detail::result_transform(std::move(*this), std::forward<F>(f));
    }

    /// Recovers from an error: on an error, `f(error)` (a result<void>), otherwise a success.
    template <class F>
    auto or_else(F&& f) & {
        return detail::result_or_else(*this, std::forward<F>(f));
    }
    /// or_else on a const result.
    template <class F>
    auto or_else(F&& f) const& {
        return detail::result_or_else(*this, std::forward<F>(f));
    }
    /// or_else on an rvalue: f receives the error as an rvalue.
    template <class F>
    auto or_else(F&& f) && {
        return detail::result_or_else(std::move(*this), std::forward<F>(f));
    }
    /// or_else on a const rvalue.
    template <class F>
    auto or_else(F&& f) const&& {
        return detail::result_or_else(std::move(*this), std::forward<F>(f));
    }

    /// Maps the error: on an error, a result holding `f(error)`, which must be a trtc::error
    /// (the one error type of trtc::result; add context to the message, say), otherwise a
    /// success.
    template <class F>
    auto transform_error(F&& f) & {
        return detail::result_transform_error(*this, std::forward<F>(f));
    }
    /// transform_error on a const result.
    template <class F>
    auto transform_error(F&& f) const& {
        return detail::result_transform_error(*this, std::forward<F>(f));
    }
    /// transform_error on an rvalue: f receives the error as an rvalue.
    template <class F>
    auto transform_error(F&& f) && {
        return detail::result_transform_error(std::move(*this), std::forward<F>(f));
    }
    /// transform_error on a const rvalue.
    template <class F>
    auto transform_error(F&& f) const&& {
        return detail::result_transform_error(std::move(*this), std::forward<F>(f));
    }

  private:
    error_type error_; // a default error on success
    bool ok_ = true;
};

#if TRTC_DEFINITIONS

TRTC_DECL error::error(const error& o)
    : code(o.code), message(o.message), random(o.random), has_random(o.has_random),
      details_(o.details_ ? new details(*o.details_) : nullptr) {}

TRTC_DECL error& error::operator=(const error& o) {
    if (this != &o) *this = error(o); // copied first: a copy that throws changes nothing
    return *this;
}

TRTC_DECL void error::set_request_id(std::string id) {
    if (!details_ && id.empty()) return;
    rare_for_writing().request_id = std::move(id);
}

TRTC_DECL void error::set_violations(std::vector<field_violation> v) {
    if (!details_ && v.empty()) return;
    rare_for_writing().violations = std::move(v);
}

TRTC_DECL void error::add_violation(field_violation v) {
    rare_for_writing().violations.push_back(std::move(v));
}

TRTC_DECL void error::set_cause(std::error_code c) {
    if (!details_ && !c) return;
    rare_for_writing().cause = c;
}

TRTC_DECL error::details& error::rare_for_writing() {
    if (!details_) details_ = new details();
    return *details_;
}

TRTC_DECL const error::details& error::no_details() noexcept {
    // What an error without details reads: made once, in static storage, and never destroyed
    // (it owns nothing), so that it can be read at any time, even from another static's
    // destructor.
    alignas(details) static unsigned char storage[sizeof(details)];
    static const details* const none = ::new (static_cast<void*>(storage)) details();
    return *none;
}

TRTC_DECL std::string error::describe() const {
    std::string out = code.category().name();
    out += ": ";
    out += message.empty() ? code.message() : message;
    out += " [";
    out += std::to_string(code.value());
    out += ']';
    const std::string& rid = request_id();
    if (has_random || !rid.empty()) {
        out += " (";
        if (has_random) {
            out += "random=";
            out += std::to_string(random);
        }
        if (!rid.empty()) {
            if (has_random) out += ", ";
            out += "RequestId=";
            out += rid;
        }
        out += ')';
    }
    if (const std::error_code under = cause()) {
        out += " (cause: ";
        out += under.category().name();
        out += ' ';
        out += std::to_string(under.value());
        out += ')';
    }
    for (const auto& v : violations()) {
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
