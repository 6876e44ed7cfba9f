// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
// The end-to-end cases of test_e2e.cpp, run with trtc::curl_transport. A binary of its own
// (tests/suites.txt), built only when libcurl is available, so that the built-in half never
// depends on it.
#define TRTC_E2E_CURL 1
#include "test_e2e.cpp"
