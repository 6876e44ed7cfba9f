// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief Namespace macros, the compilation model, exception detection and the assertion hook.
#ifndef TRTC_CONFIG_HPP
#define TRTC_CONFIG_HPP

#include "version.hpp"

#if __cplusplus < 201703L && !(defined(_MSVC_LANG) && _MSVC_LANG >= 201703L)
#    error "trtc-battle needs C++17 or later"
#endif

// The inline namespace carries the version, so that two versions linked into one program
// cannot silently mix their types.
#define TRTC_DETAIL_ABI_NAME3(ma, mi) v##ma##_##mi
#define TRTC_DETAIL_ABI_NAME2(ma, mi) TRTC_DETAIL_ABI_NAME3(ma, mi)
#define TRTC_ABI_NAMESPACE TRTC_DETAIL_ABI_NAME2(TRTC_VERSION_MAJOR, TRTC_VERSION_MINOR)
#define TRTC_BEGIN_NAMESPACE                                                                       \
    namespace trtc {                                                                               \
    inline namespace TRTC_ABI_NAMESPACE {
#define TRTC_END_NAMESPACE                                                                         \
    }                                                                                              \
    }

// Compilation model. By default the library is header-only: every function is inline. For
// faster builds, define TRTC_SEPARATE_COMPILATION in every translation unit and, in exactly one
// of them, TRTC_IMPLEMENTATION as well before including <trtc/trtc.hpp>. The headers then hold
// declarations, templates and small inline functions only, and that one translation unit
// compiles the rest once (CMake: link trtc::battle_compiled instead of trtc::battle).
//
// TRTC_DECL marks a function that is out of line in that mode; its body sits in a
// `#if TRTC_DEFINITIONS` section of its header.
#if defined(TRTC_SEPARATE_COMPILATION)
#    define TRTC_DECL
#    if defined(TRTC_IMPLEMENTATION)
#        define TRTC_DEFINITIONS 1
#    else
#        define TRTC_DEFINITIONS 0
#    endif
#else
#    define TRTC_DECL inline
#    define TRTC_DEFINITIONS 1
#endif

// Exceptions: detected from the compiler, overridable by defining TRTC_USE_EXCEPTIONS to 0 or 1.
// The library itself never needs them: every fallible call returns trtc::result<T>.
#ifndef TRTC_USE_EXCEPTIONS
#    if defined(__cpp_exceptions) || defined(__EXCEPTIONS) || defined(_CPPUNWIND)
#        define TRTC_USE_EXCEPTIONS 1
#    else
#        define TRTC_USE_EXCEPTIONS 0
#    endif
#endif

// Precondition failures (a programming error, e.g. value() on an error without exceptions)
// go through TRTC_ASSERT_FAIL, which prints file:line and the message, then aborts.
// Define it before including trtc to route such failures elsewhere.
#ifndef TRTC_ASSERT_FAIL
#    include <cstdio>
#    include <cstdlib>
#    define TRTC_ASSERT_FAIL(file, line, message)                                                  \
        (std::fprintf(stderr, "%s:%d: trtc-battle: %s\n", file, line, message), std::abort())
#endif
// A statement (whatever TRTC_ASSERT_FAIL returns is discarded; no cast to void, which g++'s
// -Wuseless-cast reports in users' code when it already is void).
#define TRTC_ASSERT(cond, message)                                                                 \
    do {                                                                                           \
        if (!(cond)) TRTC_ASSERT_FAIL(__FILE__, __LINE__, message);                                \
    } while (false)

// Whether POSIX sockets are there for the built-in HTTP/1.1 transport and trtc::client:
// everywhere but Windows, where <trtc/trtc.hpp> leaves both out. Define it to 0 or 1 to choose.
#ifndef TRTC_HAS_POSIX_SOCKETS
#    if defined(_WIN32)
#        define TRTC_HAS_POSIX_SOCKETS 0
#    else
#        define TRTC_HAS_POSIX_SOCKETS 1
#    endif
#endif

#if defined(__GNUC__) || defined(__clang__)
#    define TRTC_LIKELY(x) __builtin_expect(!!(x), 1)
#    define TRTC_UNLIKELY(x) __builtin_expect(!!(x), 0)
/// For the few small functions on the JSON reader's hot path that the compiler would otherwise
/// leave out of line.
#    define TRTC_ALWAYS_INLINE __attribute__((always_inline)) inline
#else
#    define TRTC_LIKELY(x) (x)
#    define TRTC_UNLIKELY(x) (x)
#    define TRTC_ALWAYS_INLINE inline
#endif

#if defined(__GNUC__)
/// True when the byte scans of detail/url.hpp (UserSig) and json.hpp (JSON strings) check
/// sixteen bytes per step with the compiler's vector extensions (SSE2 on x86-64, NEON on ARM);
/// their portable versions, eight bytes per step, are the fallback.
#    define TRTC_DETAIL_HAVE_VECTOR_SCAN 1
#else
#    define TRTC_DETAIL_HAVE_VECTOR_SCAN 0
#endif

#endif // TRTC_CONFIG_HPP
