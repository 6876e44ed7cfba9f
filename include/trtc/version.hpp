// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief The library version: the one source of truth, read by CMake and meson.
#ifndef TRTC_VERSION_HPP
#define TRTC_VERSION_HPP

#define TRTC_VERSION_MAJOR 0
#define TRTC_VERSION_MINOR 1
#define TRTC_VERSION_PATCH 0

#define TRTC_DETAIL_STR2(x) #x
#define TRTC_DETAIL_STR(x) TRTC_DETAIL_STR2(x)
/// "MAJOR.MINOR.PATCH"
#define TRTC_VERSION_STRING                                                                        \
    TRTC_DETAIL_STR(TRTC_VERSION_MAJOR)                                                            \
    "." TRTC_DETAIL_STR(TRTC_VERSION_MINOR) "." TRTC_DETAIL_STR(TRTC_VERSION_PATCH)

#endif // TRTC_VERSION_HPP
