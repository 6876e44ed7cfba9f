// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief narrow<To>(v): a conversion between integer types that are the same type on some
/// platforms and not on others (std::uint64_t and std::size_t, std::size_t and zlib's uLong).
#ifndef TRTC_DETAIL_NARROW_HPP
#define TRTC_DETAIL_NARROW_HPP

#include "../config.hpp"

TRTC_BEGIN_NAMESPACE
namespace detail {

/// `static_cast<To>(v)`, for a value the caller knows fits. Written as a static_cast where the
/// two types are the same, it is what g++'s -Wuseless-cast reports in users' builds; where they
/// differ, leaving the cast out is what -Wconversion reports. A cast inside a template is
/// neither.
template <class To, class From>
constexpr To narrow(From v) noexcept {
    return static_cast<To>(v);
}

} // namespace detail
TRTC_END_NAMESPACE

#endif // TRTC_DETAIL_NARROW_HPP
