// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
// The implementation unit of separate compilation (see <trtc/config.hpp>): the out-of-line
// definitions of trtc-battle, compiled once per program. Every other unit of the program defines
// TRTC_SEPARATE_COMPILATION, and the same configuration macros as this one.
// CMake's trtc::battle_compiled compiles it (from the source tree, or installed in
// DATADIR/trtc_battle/); with pkg-config: `pkg-config --variable=implementation trtc_battle`.
#ifndef TRTC_SEPARATE_COMPILATION
#    define TRTC_SEPARATE_COMPILATION
#endif
#define TRTC_IMPLEMENTATION
#include <trtc/trtc.hpp>
