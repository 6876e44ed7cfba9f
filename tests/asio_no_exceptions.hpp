// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief What a program built without exceptions must give Asio: asio::detail::throw_exception,
/// which Asio calls on the errors it would throw. The adapter uses the error_code overloads,
/// so reaching it is a bug: it says what Asio would have thrown and aborts.
#ifndef TRTC_TESTS_ASIO_NO_EXCEPTIONS_HPP
#define TRTC_TESTS_ASIO_NO_EXCEPTIONS_HPP

#include <trtc/adapters/asio.hpp>

#if defined(ASIO_NO_EXCEPTIONS)
#    include <cstdio>
#    include <cstdlib>

namespace asio::detail {
template <typename Exception>
void throw_exception(const Exception& e) {
    std::fprintf(stderr, "asio would throw: %s\n", e.what());
    std::abort();
}
} // namespace asio::detail
#endif

#endif // TRTC_TESTS_ASIO_NO_EXCEPTIONS_HPP
