// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
// Must compile (warning-free): the umbrella, every adapter and every testing/ header included
// after the macros that users' platforms and frameworks define: Qt's keywords, the lower-case
// macros of Apple's AssertMacros.h, windows.h's (and X11's, glibc's) common ones, and a few
// that users pass on their command line. A library name that one of them replaces breaks the
// users' builds; this program is where we see it first. Built by tests/CMakeLists.txt and
// tests/meson.build; TRTC_HAVE_ADAPTER_<NAME> says which adapters are available there.
//
// The standard, POSIX and third-party headers come first, as in a user's program (windows.h's
// min and max break libstdc++'s own headers, so a user of them includes those first, or defines
// NOMINMAX): a header the library starts to include must join the list below, or the failure is
// reported inside that header instead of inside ours.

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <cfloat>
#include <charconv>
#include <chrono>
#include <climits>
#include <condition_variable>
#include <csignal>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <deque>
#include <functional>
#include <initializer_list>
#include <limits>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <queue>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#if defined(__has_include)
#    if __has_include(<unistd.h>)
#        include <arpa/inet.h>
#        include <fcntl.h>
#        include <netdb.h>
#        include <netinet/in.h>
#        include <netinet/tcp.h>
#        include <poll.h>
#        include <pthread.h>
#        include <signal.h>
#        include <sys/socket.h>
#        include <sys/stat.h>
#        include <sys/types.h>
#        include <time.h>
#        include <unistd.h>
#    endif
#    if __has_include(<sys/auxv.h>)
#        include <sys/auxv.h>
#    endif
#    if __has_include(<sys/random.h>)
#        include <sys/random.h>
#    endif
#    if __has_include(<cpuid.h>)
#        include <cpuid.h>
#    endif
#endif

#if defined(TRTC_HAVE_ADAPTER_CURL)
#    include <curl/curl.h>
#endif
#if defined(TRTC_HAVE_ADAPTER_NLOHMANN_JSON)
#    include <nlohmann/json.hpp>
#endif
#if defined(TRTC_HAVE_ADAPTER_OPENSSL)
#    include <openssl/crypto.h>
#    include <openssl/evp.h>
#    include <openssl/opensslv.h>
#    if OPENSSL_VERSION_NUMBER >= 0x30000000L
#        include <openssl/core_names.h>
#        include <openssl/params.h>
#    else
#        include <openssl/hmac.h>
#    endif
#endif
#if defined(TRTC_HAVE_ADAPTER_ZLIB)
#    include <zlib.h>
#endif
#if defined(TRTC_HAVE_ADAPTER_REDIS)
#    include <hiredis/hiredis.h>
#endif
#if defined(TRTC_HAVE_ADAPTER_ASIO)
// As trtc/adapters/asio.hpp does when it comes first: Asio learns that exceptions are off only
// from this macro.
#    if !defined(__cpp_exceptions) && !defined(ASIO_NO_EXCEPTIONS)
#        define ASIO_NO_EXCEPTIONS 1
#    endif
#    include <asio.hpp>
#    include <asio/ssl.hpp>
#    include <openssl/ssl.h>
#    include <openssl/x509v3.h>
#endif

// Function-like macros expand to a name that exists nowhere, so that any use of the name they
// take is an error that says which macro it was; object-like ones expand as their platform's do.

// Qt (qobjectdefs.h, qglobal.h), without QT_NO_KEYWORDS.
#define emit
#define slots
#define signals public
#define Q_FOREACH(variable, container) hostile_macro_Q_FOREACH_expanded
#define foreach Q_FOREACH

// Apple's AssertMacros.h, with __ASSERT_MACROS_DEFINE_VERSIONS_WITHOUT_UNDERSCORES (the default
// before macOS 10.8's SDK, and still set by many projects).
#define check(assertion) hostile_macro_check_expanded
#define check_noerr(errorCode) hostile_macro_check_noerr_expanded
#define check_string(assertion, message) hostile_macro_check_string_expanded
#define verify(assertion) hostile_macro_verify_expanded
#define verify_noerr(errorCode) hostile_macro_verify_noerr_expanded
#define verify_string(assertion, message) hostile_macro_verify_string_expanded
#define verify_action(assertion, action) hostile_macro_verify_action_expanded
#define require(assertion, exceptionLabel) hostile_macro_require_expanded
#define require_noerr(errorCode, exceptionLabel) hostile_macro_require_noerr_expanded
#define require_action(assertion, exceptionLabel, action) hostile_macro_require_action_expanded
#define require_quiet(assertion, exceptionLabel) hostile_macro_require_quiet_expanded
#define require_string(assertion, exceptionLabel, message) hostile_macro_require_string_expanded
#define nrequire(assertion, exceptionLabel) hostile_macro_nrequire_expanded
#define debug_string(message) hostile_macro_debug_string_expanded

// windows.h (windef.h, winnt.h, wingdi.h, rpcndr.h, winuser.h), without NOMINMAX or
// WIN32_LEAN_AND_MEAN.
#define min(a, b) hostile_macro_min_expanded
#define max(a, b) hostile_macro_max_expanded
#define ERROR 0
#define DELETE (0x00010000L)
#define interface struct
#define small char
#define hyper __int64
#define near
#define far
#define IN
#define OUT
#define OPTIONAL
#define CONST const
#define VOID void
#define TRUE 1
#define FALSE 0
#define NO_ERROR 0L
#define ABSOLUTE 1
#define RELATIVE 2
#define OPAQUE 2
#define TRANSPARENT 1
#define CALLBACK __stdcall
#define GetMessage GetMessageA
#define SendMessage SendMessageA
#define GetObject GetObjectA
#define CreateEvent CreateEventA
#define DeleteFile DeleteFileA

// X11 (X.h, Xlib.h).
#define None 0L
#define Bool int
#define Status int
#define Success 0
#define Always 2

// glibc's <sys/sysmacros.h> (brought by <sys/types.h> before glibc 2.28), math.h's SVID
// constants, the GNU dialects' predefined names, and what users pass with -D.
#define major(dev) hostile_macro_major_expanded
#define minor(dev) hostile_macro_minor_expanded
#define makedev(maj, min) hostile_macro_makedev_expanded
#define DOMAIN 1
#define OVERFLOW 3
#define UNDERFLOW 4
#define linux 1
#define unix 1
#define DEBUG 1
#define RELEASE 1
#define TEST 1

#if defined(TRTC_HOSTILE_MACROS_SELF_TEST)
// The macros are in force where the library is included, next: a name they replace, used as the
// renamed parameter of prepare_request was (`check()`), must not compile. tests/CMakeLists.txt
// compiles this with TRTC_HOSTILE_MACROS_SELF_TEST and expects the error naming the expansion.
inline bool hostile_macros_self_test(bool (*check)()) {
    return check();
}
#endif

#include "every_header.hpp"

int main() {}
