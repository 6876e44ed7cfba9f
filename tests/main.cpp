// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
// The doctest runner, compiled once and linked into every test binary.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
