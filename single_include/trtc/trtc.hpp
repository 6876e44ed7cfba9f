// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
//
// GENERATED FILE - DO NOT EDIT. It is trtc/trtc.hpp assembled from include/ by
// tools/amalgamate.py; edit the files in include/ and run that script.
/// @file
/// @brief The umbrella header: everything that needs nothing beyond the standard library (and,
/// for the built-in transport and trtc::client, POSIX; left out on Windows). Adapters (OpenSSL,
/// zlib, libcurl, nlohmann/json) and the emulator are opt-in headers under trtc/adapters/ and
/// trtc/testing/.
#ifndef TRTC_TRTC_HPP
#define TRTC_TRTC_HPP

/// @file
/// @brief Namespace macros, the compilation model, exception detection and the assertion hook.
#ifndef TRTC_CONFIG_HPP
#define TRTC_CONFIG_HPP

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

/// @file
/// @brief Error codes as std::error_code: the library's own conditions, and the catalogue of
/// every documented service code with what a caller should do about it.
#ifndef TRTC_ERRORS_HPP
#define TRTC_ERRORS_HPP

#include <cstddef>
#include <new>
#include <string>
#include <string_view>
#include <system_error>

#if TRTC_DEFINITIONS
#    include <string>
#endif

TRTC_BEGIN_NAMESPACE

/// What a caller should do after an error.
enum class error_action {
    /// Not an error.
    none,
    /// Transient: send again after an exponential backoff with jitter.
    retry_with_backoff,
    /// The UserSig was refused as expired: make a new one, then send again once.
    refresh_signature,
    /// A limit or a state that clears with time (a quota window, a battle that has to end):
    /// do not retry at once; try again later.
    wait_then_retry,
    /// Retrying cannot help: fix the request, the configuration or the account.
    fatal,
};

/// The name of an action: "retry_with_backoff", ...
constexpr std::string_view to_string(error_action a) noexcept {
    switch (a) {
    case error_action::none:
        return "none";
    case error_action::retry_with_backoff:
        return "retry_with_backoff";
    case error_action::refresh_signature:
        return "refresh_signature";
    case error_action::wait_then_retry:
        return "wait_then_retry";
    case error_action::fatal:
        return "fatal";
    }
    return "unknown";
}

/// Conditions found by the library itself (category "trtc").
enum class errc {
    /// The request broke one or more rules; error::violations lists each. Nothing was sent.
    invalid_request = 1,
    /// An argument of a library call is unusable (e.g. an empty secret key).
    invalid_argument,
    /// A base URL or region could not be used.
    invalid_url,
    /// A non-idempotent request may have reached the service, but no answer came back: it may
    /// or may not have taken effect. Reconcile (see docs/errors.md) instead of resending.
    outcome_unknown,
    /// The client-side rate limiter could not grant a slot before the deadline.
    rate_limited,
    /// The call's total deadline passed before an answer.
    deadline_exceeded,
    /// No UserSig could be produced for the request.
    usersig_unavailable,
    /// The caller cancelled the call before it could have reached the service (while it
    /// waited, or before its request was sent). A call cancelled after a non-idempotent request
    /// may have been sent ends in outcome_unknown instead.
    cancelled,
};

/// A response that could not be understood (category "trtc.decode").
enum class decode_errc {
    /// The HTTP status was not 200 (the service answers 200 unless the network failed).
    http_status = 1,
    /// The body is not JSON (or not a JSON object).
    not_json,
    /// ErrorCode / ActionStatus / ErrorInfo missing or of the wrong type.
    bad_envelope,
    /// ErrorCode was 0 but the Response object was missing.
    missing_response,
    /// A field of Response has the wrong JSON type or an unusable value.
    wrong_type,
    /// A required field of Response is missing.
    missing_field,
    /// The body exceeds the size limit.
    body_too_large,
};

/// A failure to carry the request or its answer (category "trtc.transport").
enum class transport_errc {
    /// The host name did not resolve. Not delivered.
    dns_failure = 1,
    /// The connection was refused or unreachable. Not delivered.
    connect_refused,
    /// Connecting took longer than the connect timeout. Not delivered.
    connect_timeout,
    /// The TLS handshake or certificate check failed. Not delivered.
    tls_failure,
    /// Writing the request failed before all of it was sent. Not delivered.
    send_failed,
    /// The whole request was sent, but no complete answer came before the deadline.
    /// May have reached the service.
    timeout_after_send,
    /// The connection was closed or reset after the request was sent, before a complete answer.
    /// May have reached the service.
    connection_closed,
    /// The answer is larger than the configured limit. Reached the service.
    response_too_large,
    /// The answer is not valid HTTP/1.x. Reached the service (or a proxy).
    malformed_response,
    /// The URL's scheme cannot be carried by this transport (e.g. https:// on the plain HTTP
    /// transport: use the libcurl adapter). Not delivered.
    unsupported_scheme,
    /// The URL could not be parsed. Not delivered.
    invalid_url,
    /// Any other local failure before sending (out of descriptors, ...). Not delivered.
    local_failure,
    /// The operation was cancelled (an Asio cancellation slot, or the transport closed) before
    /// any byte of the request was written. Not delivered.
    cancelled,
    /// The operation was cancelled after writing the request had begun. May have reached the
    /// service.
    cancelled_after_send,
};

// The catalogue: code, enumerator, meaning, action. From Tencent's REST error-code pages (common
// codes 60000-79999) and the Live engine's private codes.
#define TRTC_DETAIL_SERVICE_ERRORS(X)                                                              \
    X(60002, http_parse_error, "HTTP parse error: check the URL format", fatal)                    \
    X(60003, request_json_invalid, "the request body is not valid JSON", fatal)                    \
    X(60004, account_check_failed, "account or signature check failed", refresh_signature)         \
    X(60005, account_check_failed_2, "account or signature check failed", refresh_signature)       \
    X(60006, sdkappid_invalid, "the SDKAppID is invalid", fatal)                                   \
    X(60007, rest_rate_limited, "REST call rate over the limit: slow down", retry_with_backoff)    \
    X(60008, service_timeout, "service timeout or malformed HTTP request", retry_with_backoff)     \
    X(60009, resource_error, "request resource error: check the URL", fatal)                       \
    X(60010, admin_required, "the identifier must be an App administrator", fatal)                 \
    X(60011, sdkappid_rate_limited, "SDKAppID request rate over the limit", retry_with_backoff)    \
    X(60012, sdkappid_missing, "the URL has no SDKAppID", fatal)                                   \
    X(60013, response_json_invalid, "the service failed to build its JSON answer",                 \
      retry_with_backoff)                                                                          \
    X(60014, account_switch_timeout, "account switching timed out", retry_with_backoff)            \
    X(60015, user_id_type_wrong, "a UserID in the body is not a string", fatal)                    \
    X(60016, sdkappid_disabled, "the SDKAppID is disabled", fatal)                                 \
    X(60017, request_disabled, "the request is disabled", fatal)                                   \
    X(60018, too_frequent, "too many requests: retry later", retry_with_backoff)                   \
    X(60019, too_frequent_2, "too many requests: retry later", retry_with_backoff)                 \
    X(60020, service_unavailable_billing,                                                          \
      "service unavailable: plan expired or not bought, or account in arrears", fatal)             \
    X(60021, source_ip_denied, "the calling IP address is not allowed", fatal)                     \
    X(60025, url_parameter_error, "SDKAppID, identifier, UserSig or contenttype parameter error",  \
      fatal)                                                                                       \
    X(60026, wrong_data_center, "the domain does not match the SDKAppID's data centre", fatal)     \
    X(60027, product_resource_denied, "access to a resource of another product", fatal)            \
    X(60028, trial_quota_exceeded, "the trial edition's 24-hour REST quota is used up",            \
      wait_then_retry)                                                                             \
    X(70001, usersig_expired, "the UserSig has expired", refresh_signature)                        \
    X(70002, usersig_empty, "the UserSig is empty", fatal)                                         \
    X(70003, usersig_invalid, "the UserSig is illegal (cannot be decoded)", fatal)                 \
    X(70005, usersig_invalid_2, "the UserSig is illegal", fatal)                                   \
    X(70009, usersig_verification_failed,                                                          \
      "UserSig verification failed: wrong secret key or another SDKAppID's key", fatal)            \
    X(70013, usersig_identifier_mismatch, "the identifier differs from the UserSig's", fatal)      \
    X(70014, usersig_sdkappid_mismatch, "the SDKAppID differs from the UserSig's", fatal)          \
    X(70016, public_key_missing, "key not found: check the SDKAppID's data centre", fatal)         \
    X(70020, sdkappid_not_found, "SDKAppID not found: check the data centre", fatal)               \
    X(70050, usersig_failures_blocked, "too many failed verifications: retry after a minute",      \
      wait_then_retry)                                                                             \
    X(70051, account_blocklisted, "the account is blocklisted", fatal)                             \
    X(70107, account_not_imported, "the account is not imported", fatal)                           \
    X(70114, login_restricted, "login restricted: too frequent", wait_then_retry)                  \
    X(70169, internal_timeout, "service internal timeout", retry_with_backoff)                     \
    X(70202, server_timeout, "service timeout", retry_with_backoff)                                \
    X(70206, invalid_batch_quantity, "invalid batch quantity", fatal)                              \
    X(70398, account_count_exceeded, "account count over the limit", fatal)                        \
    X(70402, illegal_parameters, "illegal parameters", fatal)                                      \
    X(70403, admin_required_2, "the operation needs an App administrator", fatal)                  \
    X(70500, internal_error, "service internal error", retry_with_backoff)                         \
    X(80001, content_security_rejected, "content rejected by the security check", fatal)           \
    X(80002, body_too_long, "the message body is too long", fatal)                                 \
    X(80004, content_security_rejected_2, "content rejected by the security check", fatal)         \
    X(100001, live_internal_error, "Live engine internal error: please retry", retry_with_backoff) \
    X(100002, live_invalid_parameter, "invalid parameter: see ErrorInfo", fatal)                   \
    X(100003, live_room_id_exists, "the room ID already exists", fatal)                            \
    X(100004, live_room_not_found, "the room does not exist or was destroyed", fatal)              \
    X(100006, live_permission_denied, "insufficient permission", fatal)                            \
    X(100007, live_no_package, "no Live package purchased", fatal)                                 \
    X(100300, webhook_config_exists,                                                               \
      "a webhook configuration exists already: use update_callback", fatal)                        \
    X(100301, webhook_config_not_found,                                                            \
      "no webhook configuration exists: create it with set_callback first", fatal)                 \
    X(100302, webhook_token_not_found,                                                             \
      "no webhook token configuration exists: create it with set_callback_token", fatal)           \
    X(100412, battle_all_callees_busy, "every callee room is already in a battle",                 \
      wait_then_retry)                                                                             \
    X(100415, battle_caller_busy, "the caller room is already in a battle", wait_then_retry)       \
    X(100500, live_metadata_too_many_keys, "room metadata: too many keys", fatal)                  \
    X(100501, live_metadata_value_too_large, "room metadata: a value is too large", fatal)         \
    X(100502, live_metadata_total_too_large, "room metadata: the total size is too large", fatal)

/// Codes returned by the service in ErrorCode (category "trtc.service"; the value is the code
/// itself, so `std::error_code(70001, trtc::service_category())` is an expired UserSig). Codes
/// not listed here are kept as they are; find_service_error() returns nullptr for them.
enum class service_errc : int {
    ok = 0,
#define TRTC_DETAIL_ENUM(code, name, meaning, action) name = code,
    TRTC_DETAIL_SERVICE_ERRORS(TRTC_DETAIL_ENUM)
#undef TRTC_DETAIL_ENUM
};

TRTC_END_NAMESPACE

namespace std {
template <>
struct is_error_code_enum<trtc::errc> : true_type {};
template <>
struct is_error_code_enum<trtc::decode_errc> : true_type {};
template <>
struct is_error_code_enum<trtc::transport_errc> : true_type {};
template <>
struct is_error_code_enum<trtc::service_errc> : true_type {};
} // namespace std

TRTC_BEGIN_NAMESPACE

/// One entry of the service error catalogue.
struct service_error_info {
    int code;
    std::string_view name;
    std::string_view meaning;
    error_action action;
};

namespace detail {
inline constexpr service_error_info service_error_table[] = {
#define TRTC_DETAIL_ROW(code, name, meaning, action) {code, #name, meaning, error_action::action},
    TRTC_DETAIL_SERVICE_ERRORS(TRTC_DETAIL_ROW)
#undef TRTC_DETAIL_ROW
};

constexpr bool service_table_sorted() noexcept {
    for (std::size_t i = 1; i < sizeof(service_error_table) / sizeof(service_error_table[0]); ++i)
        if (service_error_table[i - 1].code >= service_error_table[i].code) return false;
    return true;
}
static_assert(service_table_sorted(), "the service error catalogue must be sorted by code");
} // namespace detail

/// Every documented service code, sorted by code.
inline constexpr std::size_t service_error_count =
    sizeof(detail::service_error_table) / sizeof(detail::service_error_table[0]);

/// The i-th catalogue entry (i < service_error_count).
inline const service_error_info& service_error_at(std::size_t i) noexcept {
    return detail::service_error_table[i];
}

/// The catalogue entry of a service code, or nullptr for an undocumented code.
TRTC_DECL const service_error_info* find_service_error(int code) noexcept;

/// The category of trtc::errc.
TRTC_DECL const std::error_category& trtc_category() noexcept;
/// The category of trtc::decode_errc.
TRTC_DECL const std::error_category& decode_category() noexcept;
/// The category of trtc::transport_errc.
TRTC_DECL const std::error_category& transport_category() noexcept;
/// The category of service ErrorCodes (trtc::service_errc, and undocumented codes too).
TRTC_DECL const std::error_category& service_category() noexcept;

inline std::error_code make_error_code(errc e) noexcept {
    return {static_cast<int>(e), trtc_category()};
}
inline std::error_code make_error_code(decode_errc e) noexcept {
    return {static_cast<int>(e), decode_category()};
}
inline std::error_code make_error_code(transport_errc e) noexcept {
    return {static_cast<int>(e), transport_category()};
}
inline std::error_code make_error_code(service_errc e) noexcept {
    return {static_cast<int>(e), service_category()};
}
/// The error_code of a service ErrorCode, documented or not.
inline std::error_code make_service_error_code(int code) noexcept {
    return {code, service_category()};
}

/// Whether a transport failure, or an error from a response, means the request may have been
/// received (and acted on) by the service. Errors of the library itself (validation, invalid
/// configuration) mean it was not.
TRTC_DECL bool may_have_reached_server(std::error_code ec) noexcept;

/// Whether a failed call may nevertheless have taken effect: the question to ask before
/// resending a non-idempotent request yourself. Unlike may_have_reached_server(), a service
/// code is false (the service answered, and its ErrorCode says it did not act: 100001 on
/// create_battle may be resent), and so is errc::cancelled; true for a transport failure after
/// the request may have been delivered, for an answer that could not be decoded (HTTP 5xx, not
/// an envelope), for errc::outcome_unknown and for unknown categories. The call engine
/// (trtc/call_engine.hpp) applies this, with the retry table of docs/client.md, for you.
TRTC_DECL bool may_have_taken_effect(std::error_code ec) noexcept;

/// What to do about an error: the catalogue's action for service codes; for transport
/// failures, retry_with_backoff (the client turns those that may have reached the service into
/// errc::outcome_unknown for non-idempotent calls), except tls_failure, response_too_large,
/// malformed_response, unsupported_scheme, invalid_url and a cancelled operation
/// (transport_errc::cancelled, cancelled_after_send: the caller asked it to stop), which are
/// fatal; fatal for everything else except the rate-limit conditions.
TRTC_DECL error_action classify(std::error_code ec) noexcept;

#if TRTC_DEFINITIONS

TRTC_DECL const service_error_info* find_service_error(int code) noexcept {
    std::size_t lo = 0, hi = service_error_count;
    while (lo < hi) {
        std::size_t mid = lo + (hi - lo) / 2;
        int c = detail::service_error_table[mid].code;
        if (c == code) return &detail::service_error_table[mid];
        if (c < code)
            lo = mid + 1;
        else
            hi = mid;
    }
    return nullptr;
}

namespace detail {
// The one instance of a category, made on first use and never destroyed: an error_code may
// refer to its category until the very end of the program (in a static's destructor), and no
// exit-time destructor runs in users' programs (clang's -Wexit-time-destructors). Each
// category is a local class of its accessor below, so that no class with a vtable but no
// out-of-line key function is visible outside it (clang's -Wweak-vtables: a header-only
// library has no translation unit of its own to hold one).
template <class Category>
const std::error_category& category_instance() noexcept {
    alignas(Category) static unsigned char storage[sizeof(Category)];
    static const Category* const instance = ::new (static_cast<void*>(storage)) Category();
    return *instance;
}
} // namespace detail

TRTC_DECL const std::error_category& trtc_category() noexcept {
    class category final : public std::error_category {
      public:
        const char* name() const noexcept override { return "trtc"; }
        std::string message(int v) const override {
            switch (static_cast<errc>(v)) {
            case errc::invalid_request:
                return "the request is invalid; nothing was sent";
            case errc::invalid_argument:
                return "invalid argument";
            case errc::invalid_url:
                return "invalid URL or region";
            case errc::outcome_unknown:
                return "the request may have reached the service but no answer came back; "
                       "its outcome is unknown";
            case errc::rate_limited:
                return "client-side rate limit: no slot before the deadline";
            case errc::deadline_exceeded:
                return "the call's deadline passed";
            case errc::usersig_unavailable:
                return "no UserSig could be produced";
            case errc::cancelled:
                return "the call was cancelled before it could have reached the service";
            }
            return "unknown trtc error " + std::to_string(v);
        }
    };
    return detail::category_instance<category>();
}

TRTC_DECL const std::error_category& decode_category() noexcept {
    class category final : public std::error_category {
      public:
        const char* name() const noexcept override { return "trtc.decode"; }
        std::string message(int v) const override {
            switch (static_cast<decode_errc>(v)) {
            case decode_errc::http_status:
                return "unexpected HTTP status";
            case decode_errc::not_json:
                return "the response body is not a JSON object";
            case decode_errc::bad_envelope:
                return "the response envelope is malformed";
            case decode_errc::missing_response:
                return "the response has no Response object";
            case decode_errc::wrong_type:
                return "a response field has the wrong type";
            case decode_errc::missing_field:
                return "a required response field is missing";
            case decode_errc::body_too_large:
                return "the response body is too large";
            }
            return "unknown decode error " + std::to_string(v);
        }
    };
    return detail::category_instance<category>();
}

TRTC_DECL const std::error_category& transport_category() noexcept {
    class category final : public std::error_category {
      public:
        const char* name() const noexcept override { return "trtc.transport"; }
        std::string message(int v) const override {
            switch (static_cast<transport_errc>(v)) {
            case transport_errc::dns_failure:
                return "host name resolution failed";
            case transport_errc::connect_refused:
                return "connection refused or unreachable";
            case transport_errc::connect_timeout:
                return "connect timed out";
            case transport_errc::tls_failure:
                return "TLS handshake or certificate check failed";
            case transport_errc::send_failed:
                return "sending the request failed";
            case transport_errc::timeout_after_send:
                return "timed out waiting for the answer after the request was sent";
            case transport_errc::connection_closed:
                return "connection closed before a complete answer";
            case transport_errc::response_too_large:
                return "the answer exceeds the size limit";
            case transport_errc::malformed_response:
                return "the answer is not valid HTTP";
            case transport_errc::unsupported_scheme:
                return "this transport cannot carry the URL's scheme";
            case transport_errc::invalid_url:
                return "the URL cannot be parsed";
            case transport_errc::local_failure:
                return "local failure before sending";
            case transport_errc::cancelled:
                return "cancelled before the request was sent";
            case transport_errc::cancelled_after_send:
                return "cancelled after sending the request had begun";
            }
            return "unknown transport error " + std::to_string(v);
        }
    };
    return detail::category_instance<category>();
}

TRTC_DECL const std::error_category& service_category() noexcept {
    class category final : public std::error_category {
      public:
        const char* name() const noexcept override { return "trtc.service"; }
        std::string message(int v) const override {
            if (v == 0) return "success";
            if (const service_error_info* i = find_service_error(v)) return std::string(i->meaning);
            return "service error " + std::to_string(v);
        }
    };
    return detail::category_instance<category>();
}

TRTC_DECL bool may_have_reached_server(std::error_code ec) noexcept {
    if (!ec) return true;
    if (ec.category() == transport_category()) {
        // Every enumerator named (no default: -Wswitch then asks about each new one).
        switch (static_cast<transport_errc>(ec.value())) {
        case transport_errc::timeout_after_send:
        case transport_errc::connection_closed:
        case transport_errc::response_too_large:
        case transport_errc::malformed_response:
        case transport_errc::cancelled_after_send:
            return true;
        case transport_errc::dns_failure:
        case transport_errc::connect_refused:
        case transport_errc::connect_timeout:
        case transport_errc::tls_failure:
        case transport_errc::send_failed:
        case transport_errc::unsupported_scheme:
        case transport_errc::invalid_url:
        case transport_errc::local_failure:
        case transport_errc::cancelled:
            return false;
        }
        return false;
    }
    if (ec.category() == service_category() || ec.category() == decode_category()) return true;
    if (ec.category() == trtc_category()) return ec == errc::outcome_unknown;
    return true; // unknown categories: assume the worst
}

TRTC_DECL bool may_have_taken_effect(std::error_code ec) noexcept {
    if (!ec) return true;
    if (ec.category() == service_category()) return false;
    return may_have_reached_server(ec);
}

TRTC_DECL error_action classify(std::error_code ec) noexcept {
    if (!ec) return error_action::none;
    if (ec.category() == service_category()) {
        if (const service_error_info* i = find_service_error(ec.value())) return i->action;
        return error_action::fatal;
    }
    if (ec.category() == transport_category()) {
        switch (static_cast<transport_errc>(ec.value())) {
        case transport_errc::dns_failure:
        case transport_errc::connect_refused:
        case transport_errc::connect_timeout:
        case transport_errc::send_failed:
        case transport_errc::timeout_after_send:
        case transport_errc::connection_closed:
        case transport_errc::local_failure:
            return error_action::retry_with_backoff;
        case transport_errc::tls_failure:
        case transport_errc::response_too_large:
        case transport_errc::malformed_response:
        case transport_errc::unsupported_scheme:
        case transport_errc::invalid_url:
        case transport_errc::cancelled:
        case transport_errc::cancelled_after_send:
            return error_action::fatal;
        }
        return error_action::fatal;
    }
    if (ec.category() == decode_category())
        return ec == decode_errc::http_status ? error_action::retry_with_backoff
                                              : error_action::fatal;
    if (ec.category() == trtc_category() && ec == errc::rate_limited)
        return error_action::wait_then_retry;
    return error_action::fatal;
}

#endif // TRTC_DEFINITIONS

TRTC_END_NAMESPACE

#endif // TRTC_ERRORS_HPP
/// @file
/// @brief trtc::error and trtc::result<T>: every fallible call returns a value, never throws.
#ifndef TRTC_RESULT_HPP
#define TRTC_RESULT_HPP

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

/// @file
/// @brief JSON: the document (json/document.hpp), the strict reader (json/reader.hpp,
/// json::parse) and the compact writer (json/writer.hpp), and trtc::builtin_json, the JSON
/// policy made of them.
#ifndef TRTC_JSON_HPP
#define TRTC_JSON_HPP

/// @file
/// @brief trtc::json::document: a JSON document as a compact tape of nodes, built through its
/// building calls (by json::parse, or by an adapter for another JSON library) and read through
/// value handles.
///
/// A document is filled through its building calls (begin_object(), key(), string(), ...) in
/// document order; that building API is the contract between any JSON parser and the library.
/// Every building call enforces the document's limits, so a document built from untrusted
/// input never grows beyond them.
#ifndef TRTC_JSON_DOCUMENT_HPP
#define TRTC_JSON_DOCUMENT_HPP

/// @file
/// @brief Appending integers as decimal text, without locale or allocation beyond the output.
#ifndef TRTC_DETAIL_DECIMAL_HPP
#define TRTC_DETAIL_DECIMAL_HPP

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

TRTC_BEGIN_NAMESPACE
namespace detail {

/// The most digits write_decimal_u() writes.
inline constexpr std::size_t max_decimal_digits = 20;

/// Writes `u` in decimal at `out`, which has room for max_decimal_digits, and returns the end.
TRTC_DECL char* write_decimal_u(char* out, std::uint64_t u) noexcept;

/// Appends `u` in decimal.
TRTC_DECL void append_decimal_u(std::string& out, std::uint64_t u);

/// Appends `v` in decimal, with a '-' when negative (INT64_MIN included).
TRTC_DECL void append_decimal(std::string& out, std::int64_t v);

/// Appends `before`, `u` in decimal, then `after` (string literals), in one append.
template <std::size_t B, std::size_t A>
void append_decimal_between(std::string& out, const char (&before)[B], std::uint64_t u,
                            const char (&after)[A]) {
    char buf[B - 1 + max_decimal_digits + A - 1];
    std::memcpy(buf, before, B - 1);
    char* p = write_decimal_u(buf + B - 1, u);
    std::memcpy(p, after, A - 1);
    out.append(buf, static_cast<std::size_t>(p + A - 1 - buf));
}

#if TRTC_DEFINITIONS

TRTC_DECL char* write_decimal_u(char* out, std::uint64_t u) noexcept {
    // Two digits per division, from the right, into a scratch buffer; then copied forward.
    static constexpr char pairs[] = "00010203040506070809101112131415161718192021222324252627282930"
                                    "31323334353637383940414243444546474849505152535455565758596061"
                                    "62636465666768697071727374757677787980818283848586878889909192"
                                    "93949596979899";
    char buf[max_decimal_digits];
    char* p = buf + sizeof(buf);
    while (u >= 100) {
        const auto two = static_cast<unsigned>(u % 100) * 2;
        u /= 100;
        *--p = pairs[two + 1];
        *--p = pairs[two];
    }
    if (u >= 10) {
        const auto two = static_cast<unsigned>(u) * 2;
        *--p = pairs[two + 1];
        *--p = pairs[two];
    } else {
        *--p = static_cast<char>('0' + u);
    }
    const auto n = static_cast<std::size_t>(buf + sizeof(buf) - p);
    std::memcpy(out, p, n);
    return out + n;
}

TRTC_DECL void append_decimal_u(std::string& out, std::uint64_t u) {
    char buf[max_decimal_digits];
    out.append(buf, static_cast<std::size_t>(write_decimal_u(buf, u) - buf));
}

TRTC_DECL void append_decimal(std::string& out, std::int64_t v) {
    if (v < 0) {
        out.push_back('-');
        append_decimal_u(out, 0 - static_cast<std::uint64_t>(v));
    } else {
        append_decimal_u(out, static_cast<std::uint64_t>(v));
    }
}

#endif // TRTC_DEFINITIONS

} // namespace detail
TRTC_END_NAMESPACE

#endif // TRTC_DETAIL_DECIMAL_HPP
/// @file
/// @brief Building blocks of JSON text, policy-free: byte scans of string contents (eight and
/// sixteen bytes per step), the RFC 8259 number grammar and conversion to double, string
/// escapes in both directions. The reader, the writer and the one-pass decoder share them.
#ifndef TRTC_DETAIL_JSON_TEXT_HPP
#define TRTC_DETAIL_JSON_TEXT_HPP

/// @file
/// @brief UTF-8 validation and encoding, and safe rendering of arbitrary bytes in messages.
#ifndef TRTC_DETAIL_UTF8_HPP
#define TRTC_DETAIL_UTF8_HPP

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

TRTC_BEGIN_NAMESPACE
namespace detail {

/// Loads 8 bytes (any alignment) as a native-endian word.
inline std::uint64_t load_u64(const void* p) noexcept {
    std::uint64_t w;
    std::memcpy(&w, p, sizeof w);
    return w;
}

/// The length (2 to 4) of the well-formed multi-byte UTF-8 sequence starting at `p`, or 0 when
/// the bytes at `p` are not one (overlong, surrogate, above U+10FFFF, stray continuation byte or
/// truncated by `end`). `p < end` and `*p >= 0x80` are preconditions. Follows Unicode Table 3-7.
TRTC_DECL std::size_t utf8_sequence_length(const unsigned char* p,
                                           const unsigned char* end) noexcept;

/// The length of the longest prefix of `s` made of complete, well-formed UTF-8 sequences, that is
/// the offset of the first invalid byte (s.size() when all of `s` is valid).
TRTC_DECL std::size_t utf8_valid_prefix(std::string_view s) noexcept;

/// True when `s` is well-formed UTF-8: no overlong forms, no surrogates (U+D800..U+DFFF), nothing
/// above U+10FFFF, no truncated sequence. The empty string is valid.
inline bool utf8_valid(std::string_view s) noexcept {
    return utf8_valid_prefix(s) == s.size();
}

/// Appends the UTF-8 encoding of `cp`. A surrogate or a value above U+10FFFF, which have no
/// encoding, append U+FFFD (the replacement character) instead.
TRTC_DECL void append_utf8(std::string& out, char32_t cp);

/// True when every byte of `s` is printable ASCII (0x20..0x7E). The empty string is.
TRTC_DECL bool is_printable_ascii(std::string_view s) noexcept;

/// Appends `value` quoted and made safe for an error or log message: a double quote and a
/// backslash are escaped with a backslash; control bytes, DEL and bytes that are not part of
/// well-formed UTF-8 become \\xHH (upper-case hex); well-formed non-ASCII UTF-8 is kept as is,
/// except the C1 control characters U+0080..U+009F, which some terminals obey, and which are
/// written as their two escaped bytes (\\xC2\\x9B). When `value` is longer than `max_bytes`, at
/// most `max_bytes` of it are shown, cut before a multi-byte character that would cross the
/// limit, and `...(N bytes)` follows the closing quote, N being the full size of `value`.
TRTC_DECL void append_escaped_for_message(std::string& out, std::string_view value,
                                          std::size_t max_bytes = 64);

/// Appends text that came from the network (a service's ErrorInfo, a RequestId) so that it is
/// safe in a log line: no quotes added, control bytes, DEL, C1 controls and invalid UTF-8 as
/// `\\xHH`, `\` doubled, cut at a character boundary after `max_bytes` with ` ...(N bytes)`.
TRTC_DECL void append_sanitized(std::string& out, std::string_view value, std::size_t max_bytes);

#if TRTC_DEFINITIONS

TRTC_DECL std::size_t utf8_sequence_length(const unsigned char* p,
                                           const unsigned char* end) noexcept {
    const unsigned char c = p[0];
    const auto avail = static_cast<std::size_t>(end - p);
    auto cont = [](unsigned char b) { return (b & 0xC0u) == 0x80u; };
    if (c < 0xC2) return 0; // continuation byte, or overlong 2-byte lead C0/C1
    if (c < 0xE0) return (avail >= 2 && cont(p[1])) ? 2 : 0;
    if (c < 0xF0) {
        if (avail < 3 || !cont(p[2])) return 0;
        const unsigned char b = p[1];
        if (c == 0xE0) return (b >= 0xA0 && b <= 0xBF) ? 3 : 0; // no overlongs
        if (c == 0xED) return (b >= 0x80 && b <= 0x9F) ? 3 : 0; // no surrogates
        return cont(b) ? 3 : 0;
    }
    if (c > 0xF4 || avail < 4 || !cont(p[2]) || !cont(p[3])) return 0;
    const unsigned char b = p[1];
    if (c == 0xF0) return (b >= 0x90 && b <= 0xBF) ? 4 : 0; // no overlongs
    if (c == 0xF4) return (b >= 0x80 && b <= 0x8F) ? 4 : 0; // nothing above U+10FFFF
    return cont(b) ? 4 : 0;
}

TRTC_DECL std::size_t utf8_valid_prefix(std::string_view s) noexcept {
    const auto* const begin = reinterpret_cast<const unsigned char*>(s.data());
    const auto* const end = begin + s.size();
    const auto* p = begin;
    while (p != end) {
        // ASCII fast path: 8 bytes at a time.
        while (end - p >= 8 && (load_u64(p) & 0x8080808080808080ull) == 0) p += 8;
        while (p != end && *p < 0x80) ++p;
        if (p == end) break;
        const std::size_t n = utf8_sequence_length(p, end);
        if (n == 0) break;
        p += n;
    }
    return static_cast<std::size_t>(p - begin);
}

TRTC_DECL void append_utf8(std::string& out, char32_t cp) {
    char buf[4];
    std::size_t n;
    if (cp < 0x80) {
        buf[0] = static_cast<char>(cp);
        n = 1;
    } else if (cp < 0x800) {
        buf[0] = static_cast<char>(0xC0 | (cp >> 6));
        buf[1] = static_cast<char>(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;
        buf[0] = static_cast<char>(0xE0 | (cp >> 12));
        buf[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        buf[2] = static_cast<char>(0x80 | (cp & 0x3F));
        n = 3;
    } else if (cp <= 0x10FFFF) {
        buf[0] = static_cast<char>(0xF0 | (cp >> 18));
        buf[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        buf[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        buf[3] = static_cast<char>(0x80 | (cp & 0x3F));
        n = 4;
    } else {
        buf[0] = '\xEF'; // U+FFFD
        buf[1] = '\xBF';
        buf[2] = '\xBD';
        n = 3;
    }
    out.append(buf, n);
}

TRTC_DECL bool is_printable_ascii(std::string_view s) noexcept {
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x20 || c > 0x7E) return false;
    }
    return true;
}

/// The shared body of append_escaped_for_message() (quoted) and append_sanitized() (not).
inline void append_safe_text(std::string& out, std::string_view value, std::size_t max_bytes,
                             bool quoted) {
    static constexpr char hex[] = "0123456789ABCDEF";
    const auto* const begin = reinterpret_cast<const unsigned char*>(value.data());
    const auto* const end = begin + value.size();
    const auto* const stop = value.size() > max_bytes ? begin + max_bytes : end;
    auto put_hex = [&out](unsigned char c) {
        const char e[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};
        out.append(e, 4);
    };
    if (quoted) out.push_back('"');
    const auto* p = begin;
    while (p < stop) {
        const unsigned char c = *p;
        if (c >= 0x20 && c < 0x7F) {
            if ((c == '"' && quoted) || c == '\\') out.push_back('\\');
            out.push_back(static_cast<char>(c));
            ++p;
        } else if (c < 0x80) {
            put_hex(c);
            ++p;
        } else {
            const std::size_t n = utf8_sequence_length(p, end);
            if (n == 0) {
                put_hex(c);
                ++p;
            } else if (n > static_cast<std::size_t>(stop - p)) {
                break; // a character crossing the limit: cut before it
            } else if (c == 0xC2 && p[1] < 0xA0) {
                put_hex(p[0]); // C1 control character
                put_hex(p[1]);
                p += 2;
            } else {
                out.append(reinterpret_cast<const char*>(p), n);
                p += n;
            }
        }
    }
    if (quoted) out.push_back('"');
    if (stop != end) {
        char digits[24];
        std::size_t n = 0;
        std::size_t size = value.size();
        do {
            digits[n++] = static_cast<char>('0' + size % 10);
            size /= 10;
        } while (size != 0);
        out.append(quoted ? "...(" : " ...(");
        while (n != 0) out.push_back(digits[--n]);
        out.append(" bytes)");
    }
}

TRTC_DECL void append_escaped_for_message(std::string& out, std::string_view value,
                                          std::size_t max_bytes) {
    append_safe_text(out, value, max_bytes, true);
}

TRTC_DECL void append_sanitized(std::string& out, std::string_view value, std::size_t max_bytes) {
    append_safe_text(out, value, max_bytes, false);
}

#endif // TRTC_DEFINITIONS

} // namespace detail
TRTC_END_NAMESPACE

#endif // TRTC_DETAIL_UTF8_HPP

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#if TRTC_DEFINITIONS
#    include <cerrno>
#    include <cfloat>
#    include <charconv>
#    include <cstdlib>
#    include <cstring>
#endif

TRTC_BEGIN_NAMESPACE
namespace detail {

/// Loads 8 bytes (any alignment) so that the first byte in memory is the least significant.
inline std::uint64_t load_le64(const char* p) noexcept {
    std::uint64_t w = load_u64(p);
#if defined(__BYTE_ORDER__) && defined(__ORDER_BIG_ENDIAN__) &&                                    \
    __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    w = __builtin_bswap64(w);
#endif
    return w;
}

/// True when the `n` bytes at `x` and `y` are equal. Keys are short: up to 16 bytes are compared
/// inline with (overlapping) word loads, longer runs with memcmp.
TRTC_DECL bool bytes_equal(const char* x, const char* y, std::size_t n) noexcept;

/// The index (0..7) of the first byte of a load_le64() word whose mask bit (0x80 of that byte)
/// is set. `mask` is non-zero and has only 0x80 bits set.
inline unsigned first_flagged_byte(std::uint64_t mask) noexcept {
#if defined(__GNUC__) || defined(__clang__)
    return static_cast<unsigned>(__builtin_ctzll(mask)) / 8;
#else
    unsigned i = 0;
    while ((mask & 0x80u) == 0) {
        mask >>= 8;
        ++i;
    }
    return i;
#endif
}

/// The 0x80 bit of each byte of `w` (a load_le64() word) that is '"', '\\' or below 0x20. The
/// first flagged byte is exact (the borrows of the subtractions only run towards later bytes,
/// and only from a byte that is itself flagged).
inline std::uint64_t json_escape_mask(std::uint64_t w) noexcept {
    constexpr std::uint64_t ones = 0x0101010101010101ull;
    const std::uint64_t q = w ^ (ones * '"');
    const std::uint64_t b = w ^ (ones * '\\');
    return (((q - ones) & ~q) | ((b - ones) & ~b) | ((w - ones * 0x20) & ~w)) &
           0x8080808080808080ull;
}

/// Whether a JSON string holds `c` as it is, with nothing to check: printable ASCII (0x20-0x7F)
/// other than '"' and '\\'.
inline bool json_plain_byte(char ch) noexcept {
    const auto c = static_cast<unsigned char>(ch);
    return c - 0x20u < 0x60u && c != '"' && c != '\\';
}

/// The length of the run at the start of `p[0, n)` of bytes that a JSON string holds as they
/// are, with nothing to check: printable ASCII (0x20-0x7F) other than '"' and '\'. Eight bytes
/// per step.
TRTC_DECL std::size_t json_plain_run_portable(const char* p, std::size_t n) noexcept;

#if TRTC_DETAIL_HAVE_VECTOR_SCAN
/// json_plain_run_portable(), sixteen bytes per step.
TRTC_DECL std::size_t json_plain_run_vector(const char* p, std::size_t n) noexcept;
#endif

/// json_plain_run_vector() where the compiler has vector extensions, else the portable one.
inline std::size_t json_plain_run(const char* p, std::size_t n) noexcept {
#if TRTC_DETAIL_HAVE_VECTOR_SCAN
    return json_plain_run_vector(p, n);
#else
    return json_plain_run_portable(p, n);
#endif
}

/// Scans an RFC 8259 number starting at `p`. On success returns the end of the number and sets
/// `message` to nullptr; the number ends where the grammar does, so the caller checks what
/// follows. On failure returns the offending position and sets `message`. (Inline: both readers
/// call it for every number, most of which are a few digits.)
TRTC_ALWAYS_INLINE const char* scan_json_number(const char* p, const char* end,
                                                const char*& message) noexcept {
    auto digit = [](char c) { return static_cast<unsigned char>(c - '0') < 10; };
    message = nullptr;
    if (p != end && *p == '-') ++p;
    if (p == end || !digit(*p)) {
        message = "invalid number";
        return p;
    }
    if (*p == '0') {
        ++p;
        if (p != end && digit(*p)) {
            message = "leading zero";
            return p;
        }
    } else {
        while (p != end && digit(*p)) ++p;
    }
    if (p != end && *p == '.') {
        ++p;
        if (p == end || !digit(*p)) {
            message = "invalid number";
            return p;
        }
        while (p != end && digit(*p)) ++p;
    }
    if (p != end && (*p == 'e' || *p == 'E')) {
        ++p;
        if (p != end && (*p == '+' || *p == '-')) ++p;
        if (p == end || !digit(*p)) {
            message = "invalid number";
            return p;
        }
        while (p != end && digit(*p)) ++p;
    }
    return p;
}

/// True when all of `text` is one RFC 8259 number literal.
TRTC_DECL bool is_json_number(std::string_view text) noexcept;

/// Converts a valid RFC 8259 number literal to the nearest double, independently of the C locale.
/// False when the magnitude is too large for a double (e.g. 1E400); tiny values become +-0.
TRTC_DECL bool json_number_to_double(std::string_view text, double& out) noexcept;

/// Decodes the string escape whose backslash is at `bs` (the input ends at `end`), writing its
/// UTF-8 bytes to `out`, which has room for 4 (never more than the escape's own length).
/// Returns the position after the escape and sets `written`; or returns nullptr and sets
/// `message` ("unterminated string", "invalid escape", "invalid \\u escape", "lone surrogate")
/// and `at`, the position to report. A \\u escape of a high surrogate must be followed by one
/// of a low surrogate; the pair makes one character.
TRTC_DECL const char* json_unescape(const char* bs, const char* end, char* out,
                                    std::size_t& written, const char*& message,
                                    const char*& at) noexcept;

/// Appends `s` as a JSON string literal, escaped like RapidJSON's default writer: a double quote
/// and a backslash with a backslash; 0x08 0x09 0x0A 0x0C 0x0D as \\b \\t \\n \\f \\r; other
/// bytes below 0x20 as \\u00XX (upper-case hex); every other byte, `/`, DEL and non-ASCII
/// included, as is.
TRTC_DECL void append_json_string(std::string& out, std::string_view s);

} // namespace detail

#if TRTC_DEFINITIONS

namespace detail {

TRTC_DECL std::size_t json_plain_run_portable(const char* p, std::size_t n) noexcept {
    std::size_t i = 0;
    for (; n - i >= 8; i += 8) {
        const std::uint64_t w = load_le64(p + i);
        const std::uint64_t m = json_escape_mask(w) | (w & 0x8080808080808080ull);
        if (m != 0) return i + first_flagged_byte(m);
    }
    while (i != n && json_plain_byte(p[i])) ++i;
    return i;
}

#    if TRTC_DETAIL_HAVE_VECTOR_SCAN
TRTC_DECL std::size_t json_plain_run_vector(const char* p, std::size_t n) noexcept {
    typedef signed char lanes __attribute__((vector_size(16)));
    typedef char chars __attribute__((vector_size(16)));
    auto splat = [](int v) {
        const auto b = static_cast<signed char>(v);
        return lanes{b, b, b, b, b, b, b, b, b, b, b, b, b, b, b, b};
    };
    // As signed bytes, everything below 0x20 and everything from 0x80 up is below 0x20: one
    // comparison for control and non-ASCII bytes.
    const lanes space = splat(0x20), quote = splat('"'), backslash = splat('\\');
    std::size_t i = 0;
    for (; n - i >= 16; i += 16) {
        lanes x;
        std::memcpy(&x, p + i, 16);
        const lanes flagged = (x < space) | (x == quote) | (x == backslash);
#        if defined(__SSE2__)
        const int mask = __builtin_ia32_pmovmskb128(reinterpret_cast<chars>(flagged));
        if (mask != 0) return i + static_cast<unsigned>(__builtin_ctz(static_cast<unsigned>(mask)));
#        else
        std::uint64_t half[2];
        std::memcpy(half, &flagged, 16);
        for (int h = 0; h < 2; ++h) {
            if (half[h] == 0) continue;
#            if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
            return i + 8 * h + static_cast<unsigned>(__builtin_clzll(half[h])) / 8;
#            else
            return i + 8 * h + static_cast<unsigned>(__builtin_ctzll(half[h])) / 8;
#            endif
        }
#        endif
    }
    // The last 0-15 bytes one at a time: short, and no word constants to keep in registers.
    while (i != n && json_plain_byte(p[i])) ++i;
    return i;
}
#    endif

TRTC_DECL bool bytes_equal(const char* x, const char* y, std::size_t n) noexcept {
    if (n >= 8) {
        if (n > 16) return std::memcmp(x, y, n) == 0;
        return load_u64(x) == load_u64(y) && load_u64(x + n - 8) == load_u64(y + n - 8);
    }
    if (n >= 4) {
        std::uint32_t a, b, c, d;
        std::memcpy(&a, x, 4);
        std::memcpy(&b, y, 4);
        std::memcpy(&c, x + n - 4, 4);
        std::memcpy(&d, y + n - 4, 4);
        return a == b && c == d;
    }
    for (std::size_t i = 0; i < n; ++i) {
        if (x[i] != y[i]) return false;
    }
    return true;
}

TRTC_DECL bool is_json_number(std::string_view text) noexcept {
    const char* message = nullptr;
    const char* end = text.data() + text.size();
    return scan_json_number(text.data(), end, message) == end && message == nullptr;
}

TRTC_DECL bool json_number_to_double(std::string_view text, double& out) noexcept {
    // value = D * 10^exp10, D being the significant digits kept in `digits`. 768 significant
    // digits, plus a sticky digit standing for any non-zero digits dropped, decide the rounding
    // of a double correctly.
    constexpr std::size_t max_digits = 768;
    char buf[max_digits + 32];
    std::size_t nd = 0;
    long long exp10 = 0;
    bool dropped_nonzero = false;
    const char* p = text.data();
    const char* const end = p + text.size();
    auto digit = [](char c) { return static_cast<unsigned char>(c - '0') < 10; };
    const bool negative = p != end && *p == '-';
    if (negative) ++p;
    auto add = [&](char c, bool fraction) {
        if (nd == 0 && c == '0') {
            exp10 -= fraction ? 1 : 0;
        } else if (nd < max_digits) {
            buf[nd++] = c;
            exp10 -= fraction ? 1 : 0;
        } else {
            dropped_nonzero = dropped_nonzero || c != '0';
            exp10 += fraction ? 0 : 1;
        }
    };
    for (; p != end && digit(*p); ++p) add(*p, false);
    if (p != end && *p == '.') {
        for (++p; p != end && digit(*p); ++p) add(*p, true);
    }
    if (p != end && (*p == 'e' || *p == 'E')) {
        ++p;
        bool eneg = false;
        if (p != end && (*p == '+' || *p == '-')) eneg = *p++ == '-';
        long long e = 0;
        for (; p != end && digit(*p); ++p) {
            if (e < 100000000) e = e * 10 + (*p - '0');
        }
        exp10 += eneg ? -e : e;
    }
    if (dropped_nonzero) {
        buf[nd++] = '1';
        --exp10;
    } else {
        while (nd != 0 && buf[nd - 1] == '0') {
            --nd;
            ++exp10;
        }
    }
    const double zero = negative ? -0.0 : 0.0;
    if (nd == 0 || static_cast<long long>(nd) + exp10 < -324) {
        out = zero;
        return true;
    }
    if (static_cast<long long>(nd) + exp10 > 310) return false;
    if (nd <= 19 && exp10 >= -22 && exp10 <= 22) {
        std::uint64_t m = 0;
        for (std::size_t i = 0; i < nd; ++i) m = m * 10 + static_cast<unsigned>(buf[i] - '0');
        if (m <= (std::uint64_t{1} << 53)) {
            // Both m and the power of ten are exact doubles: one correctly rounded operation.
            static constexpr double pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                               1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                               1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
            double d = static_cast<double>(m);
            d = exp10 < 0 ? d / pow10[-exp10] : d * pow10[exp10];
            out = negative ? -d : d;
            return true;
        }
    }
    // Digits and an exponent only, no decimal point: strtod reads that the same in every locale.
    buf[nd++] = 'e';
    const auto r = std::to_chars(buf + nd, buf + sizeof buf - 1, exp10);
    *r.ptr = '\0';
    const int saved_errno = errno;
    char* stop = nullptr;
    const double d = std::strtod(buf, &stop);
    errno = saved_errno;
    if (stop != r.ptr || !(d <= DBL_MAX)) return false;
    out = negative ? -d : d;
    return true;
}

// The value 0-15 of a hex digit, or -1.
inline int json_hex_digit(char ch) noexcept {
    const unsigned c = static_cast<unsigned char>(ch);
    if (c - '0' < 10u) return static_cast<int>(c - '0');
    const unsigned lower = c | 0x20u;
    if (lower - 'a' < 6u) return static_cast<int>(lower - 'a' + 10);
    return -1;
}

// Reads the 4 hex digits at `p`. Returns the code unit, or -1 (bad digit) or -2 (end of input).
inline long json_hex4(const char*& p, const char* end) noexcept {
    long v = 0;
    for (int i = 0; i < 4; ++i, ++p) {
        if (p == end) return -2;
        const int d = json_hex_digit(*p);
        if (d < 0) return -1;
        v = v * 16 + d;
    }
    return v;
}

TRTC_DECL const char* json_unescape(const char* bs, const char* end, char* out,
                                    std::size_t& written, const char*& message,
                                    const char*& at) noexcept {
    const char* p = bs + 1;
    at = bs;
    written = 1;
    if (p == end) {
        message = "unterminated string";
        return nullptr;
    }
    switch (*p) {
    case '"':
        *out = '"';
        return p + 1;
    case '\\':
        *out = '\\';
        return p + 1;
    case '/':
        *out = '/';
        return p + 1;
    case 'b':
        *out = '\b';
        return p + 1;
    case 'f':
        *out = '\f';
        return p + 1;
    case 'n':
        *out = '\n';
        return p + 1;
    case 'r':
        *out = '\r';
        return p + 1;
    case 't':
        *out = '\t';
        return p + 1;
    case 'u':
        break;
    default:
        message = "invalid escape";
        return nullptr;
    }
    ++p;
    long cp = json_hex4(p, end);
    if (cp < 0) {
        message = cp == -2 ? "unterminated string" : "invalid \\u escape";
        return nullptr;
    }
    if (cp >= 0xDC00 && cp <= 0xDFFF) {
        message = "lone surrogate";
        return nullptr;
    }
    if (cp >= 0xD800 && cp <= 0xDBFF) {
        if (end - p < 2 || p[0] != '\\' || p[1] != 'u') {
            message = "lone surrogate";
            return nullptr;
        }
        const char* low_bs = p;
        p += 2;
        const long low = json_hex4(p, end);
        if (low < 0) {
            at = low_bs;
            message = low == -2 ? "unterminated string" : "invalid \\u escape";
            return nullptr;
        }
        if (low < 0xDC00 || low > 0xDFFF) {
            message = "lone surrogate";
            return nullptr;
        }
        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    }
    // UTF-8 of a scalar value (not a surrogate, at most U+10FFFF).
    const auto c = static_cast<std::uint32_t>(cp);
    if (c < 0x80) {
        out[0] = static_cast<char>(c);
    } else if (c < 0x800) {
        out[0] = static_cast<char>(0xC0 | (c >> 6));
        out[1] = static_cast<char>(0x80 | (c & 0x3F));
        written = 2;
    } else if (c < 0x10000) {
        out[0] = static_cast<char>(0xE0 | (c >> 12));
        out[1] = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out[2] = static_cast<char>(0x80 | (c & 0x3F));
        written = 3;
    } else {
        out[0] = static_cast<char>(0xF0 | (c >> 18));
        out[1] = static_cast<char>(0x80 | ((c >> 12) & 0x3F));
        out[2] = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out[3] = static_cast<char>(0x80 | (c & 0x3F));
        written = 4;
    }
    return p;
}

TRTC_DECL void append_json_string(std::string& out, std::string_view s) {
    static constexpr char hex[] = "0123456789ABCDEF";
    const char* p = s.data();
    const char* const end = p + s.size();
    const char* run = p;
    out.push_back('"');
    for (;;) {
        // Find the next byte to escape, 8 bytes at a time.
        for (;;) {
            if (end - p < 8) {
                while (p != end) {
                    const auto c = static_cast<unsigned char>(*p);
                    if (c < 0x20 || c == '"' || c == '\\') break;
                    ++p;
                }
                break;
            }
            const std::uint64_t m = json_escape_mask(load_le64(p));
            if (m != 0) {
                p += first_flagged_byte(m);
                break;
            }
            p += 8;
        }
        if (p == end) break;
        out.append(run, static_cast<std::size_t>(p - run));
        const auto c = static_cast<unsigned char>(*p++);
        run = p;
        char e[6] = {'\\', 0, 0, 0, 0, 0};
        std::size_t n = 2;
        switch (c) {
        case '"':
            e[1] = '"';
            break;
        case '\\':
            e[1] = '\\';
            break;
        case '\b':
            e[1] = 'b';
            break;
        case '\f':
            e[1] = 'f';
            break;
        case '\n':
            e[1] = 'n';
            break;
        case '\r':
            e[1] = 'r';
            break;
        case '\t':
            e[1] = 't';
            break;
        default:
            e[1] = 'u';
            e[2] = '0';
            e[3] = '0';
            e[4] = hex[c >> 4];
            e[5] = hex[c & 15];
            n = 6;
        }
        out.append(e, n);
    }
    out.append(run, static_cast<std::size_t>(end - run));
    out.push_back('"');
}

} // namespace detail

#endif // TRTC_DEFINITIONS

TRTC_END_NAMESPACE

#endif // TRTC_DETAIL_JSON_TEXT_HPP

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#if TRTC_DEFINITIONS
#    include <cstring>
#endif

TRTC_BEGIN_NAMESPACE
namespace detail {
class json_reader;
} // namespace detail

namespace json {

/// The kind of a JSON value.
enum class type : std::uint8_t { null, boolean, number, string, array, object };

/// The name of a JSON value kind: "null", "boolean", "number", "string", "array", "object".
TRTC_DECL const char* to_string(type t) noexcept;

/// Bounds that a document enforces while it is built.
struct limits {
    std::size_t max_depth = 64;       ///< nesting depth of arrays and objects (a root array is 1)
    std::size_t max_input = 1 << 20;  ///< input size for parse(); also bounds the document's text
    std::size_t max_nodes = 1 << 16;  ///< number of values (object keys are not counted)
    std::size_t max_string = 1 << 20; ///< byte length of one string or key, after unescaping
};

/// Why a building call failed.
enum class build_error : std::uint8_t {
    none,
    depth_exceeded,  ///< more than limits::max_depth nested containers
    too_many_nodes,  ///< more than limits::max_nodes values
    string_too_long, ///< a string or key longer than limits::max_string
    duplicate_key,   ///< the same key twice in one object
    invalid_utf8,    ///< a string or key that is not well-formed UTF-8
    invalid_number,  ///< number() given text that is not an RFC 8259 number literal
    structure,       ///< a call out of order: end_array() without begin_array(), a key outside
                     ///< an object, a value where a key is expected, a second root value...
    input_too_large, ///< the input (or the document's total text) is above limits::max_input
    syntax,          ///< the parser rejected the input text (see its own error for details)
};

/// A short static description of a build_error.
TRTC_DECL const char* to_string(build_error e) noexcept;

class value;
class document;
class writer;
struct parse_error;
/// Parses `text` (strict RFC 8259) into `out`; see json/reader.hpp.
inline bool parse(std::string_view text, document& out, parse_error& err) noexcept;
/// Writes a complete document as compact JSON; see json/writer.hpp.
TRTC_DECL void serialize(const document& doc, std::string& out);

/// A JSON document stored as a tape: one vector of fixed-size nodes in document order and one
/// string holding the bytes of every string, key and number. A whole document costs two
/// allocations (plus one for objects of more than 16 members, for the duplicate-key check), and
/// none when a cleared document with enough capacity is reused.
///
/// Building: a parser calls begin_object(), key(), string(), ... in document order. Each call
/// returns false, and records error(), when it would break a limit or the JSON structure; after
/// one failure every building call returns false until clear().
///
/// Reading: root() gives a value handle once complete().
class document {
  public:
    /// An empty document enforcing `l`.
    explicit document(json::limits l = {}) : limits_(l) {}

    /// Empties the document and resets its error, keeping its capacity so that reuse does not
    /// allocate. Invalidates every value handle into it.
    void clear() noexcept;

    /// Reserves room for `nodes` nodes (values and keys) and `text` bytes of strings, keys and
    /// numbers.
    void reserve(std::size_t nodes, std::size_t text);

    /// Opens an object as the next value.
    bool begin_object() { return begin_container(type::object); }
    /// Closes the innermost open container, which must be an object with no pending key.
    bool end_object() { return end_container(type::object); }
    /// Opens an array as the next value.
    bool begin_array() { return begin_container(type::array); }
    /// Closes the innermost open container, which must be an array.
    bool end_array() { return end_container(type::array); }

    /// Adds the next key of the innermost open object; `unescaped` must be well-formed UTF-8
    /// and must differ from the object's other keys.
    bool key(std::string_view unescaped);

    /// Adds a string value; `unescaped` must be well-formed UTF-8.
    bool string(std::string_view unescaped);

    /// Adds a number given as its RFC 8259 literal text, e.g. "-12" or "1.5e3", stored as is.
    bool number(std::string_view json_text);

    /// Adds an integer number, stored as its decimal text.
    bool integer(std::int64_t v);

    /// Adds a non-negative integer number, stored as its decimal text.
    bool unsigned_integer(std::uint64_t v);

    /// Adds true or false.
    bool boolean(bool b);

    /// Adds null.
    bool null();

    /// Records `e` as the error (unless one is recorded already), so that complete() is false
    /// and further building calls fail; returns false. For a parser that rejects its input after
    /// building part of it, e.g. on trailing garbage after a complete root value.
    bool fail(build_error e) noexcept;

    /// True when the document holds exactly one root value, every container is closed and no
    /// building call failed.
    bool complete() const noexcept {
        return error_ == build_error::none && open_ == npos && !nodes_.empty();
    }

    /// The first building error, or build_error::none.
    build_error error() const noexcept { return error_; }

    /// The limits this document enforces.
    const json::limits& limits() const noexcept { return limits_; }

    /// The root value, or a missing value (exists() == false) unless complete().
    inline value root() const noexcept;

    /// The number of nodes (values and keys) in the document.
    std::size_t node_count() const noexcept { return nodes_.size(); }
    /// The capacity of the node storage, in nodes.
    std::size_t node_capacity() const noexcept { return nodes_.capacity(); }
    /// The capacity of the text storage, in bytes.
    std::size_t text_capacity() const noexcept { return text_.capacity(); }

  private:
    friend class value;
    friend class value_iterator;
    friend class member_iterator;
    friend class detail::json_reader;
    friend void serialize(const document& doc, std::string& out);

    static constexpr std::uint32_t npos = 0xFFFFFFFFu;
    // Objects with up to this many members check each new key against the earlier ones; larger
    // objects are checked once, when closed, by sorting their keys.
    static constexpr std::uint32_t linear_key_check = 16;

    // One 12-byte node per value and per key.
    //   string, key, number: a = offset of the text in text_, b = its length
    //   boolean:             a = 0 or 1
    //   array, object:       a = number of elements / members;
    //                        b = index one past the subtree once closed (the next sibling),
    //                            while open the index of the enclosing open container (or npos)
    // Keys are string nodes; an object's children alternate key, value.
    struct node {
        // Constructed in place by emplace_back(): building a temporary and copying it costs a
        // store-forwarding stall per node.
        node(std::uint32_t a_, std::uint32_t b_, type kind_) noexcept : a(a_), b(b_), kind(kind_) {}
        // Leaves the node unset, so that the reader can size the vector to its capacity for
        // free and fill the nodes in place.
        node() noexcept {}
        std::uint32_t a;
        std::uint32_t b;
        type kind;
    };

    // Limits as stored in 32-bit fields.
    std::size_t max_nodes() const noexcept {
        return limits_.max_nodes < 0x7FFFFFF0u ? limits_.max_nodes : 0x7FFFFFF0u;
    }
    std::size_t max_text() const noexcept {
        return limits_.max_input < 0xFFFFFFF0u ? limits_.max_input : 0xFFFFFFF0u;
    }

    // Index one past the subtree at i (the next sibling). Only for closed nodes.
    std::uint32_t next(std::uint32_t i) const noexcept {
        const node& n = nodes_[i];
        return (n.kind == type::array || n.kind == type::object) ? n.b : i + 1;
    }

    std::string_view text_of(const node& n) const noexcept {
        return std::string_view(text_.data() + n.a, n.b);
    }

    // Checks that a value may come next and counts it (no node is added yet).
    bool value_allowed() noexcept;

    bool key_allowed() noexcept;

    bool append_text(std::string_view s);

    bool append_text_checked(std::string_view s);

    // Adds a string or number node for the `len` bytes of text_ at `off`.
    bool push_text(type kind, std::uint32_t off, std::uint32_t len);

    bool add_number_chars(const char* first, const char* last);

    // Adds a key node for the `len` bytes of text_ at `off`, after key_allowed().
    bool add_key(std::uint32_t off, std::uint32_t len);

    bool begin_container(type kind);

    bool end_container(type kind);

    // True when the (open, fully built) object at `obj`, whose last member ends before node
    // `end`, has no duplicate keys. Sorts the members by (hash, key): O(n log n) even when the
    // hashes collide.
    bool unique_keys(std::uint32_t obj, std::uint32_t end);

    json::limits limits_;
    std::vector<node> nodes_;
    std::string text_;
    std::vector<std::uint64_t> scratch_;
    std::uint32_t open_ = npos; // innermost open container
    std::size_t depth_ = 0;
    std::size_t values_ = 0;
    build_error error_ = build_error::none;
    bool after_key_ = false; // a key was added and its value has not come yet
};

struct member;

/// Iterates over the elements of an array or the member values of an object.
class value_iterator {
  public:
    using value_type = json::value;
    using difference_type = std::ptrdiff_t;

    value_iterator() = default;
    inline json::value operator*() const noexcept;
    value_iterator& operator++() noexcept {
        pos_ = doc_->next(object_ ? pos_ + 1 : pos_);
        return *this;
    }
    value_iterator operator++(int) noexcept {
        value_iterator old = *this;
        ++*this;
        return old;
    }
    friend bool operator==(const value_iterator& x, const value_iterator& y) noexcept {
        return x.pos_ == y.pos_;
    }
    friend bool operator!=(const value_iterator& x, const value_iterator& y) noexcept {
        return x.pos_ != y.pos_;
    }

  private:
    friend class value;
    friend class member_iterator;
    value_iterator(const document* d, std::uint32_t pos, bool object) noexcept
        : doc_(d), pos_(pos), object_(object) {}
    const document* doc_ = nullptr;
    std::uint32_t pos_ = 0; // the element, or the member's key
    bool object_ = false;
};

/// Iterates over the (key, value) members of an object.
class member_iterator {
  public:
    using value_type = json::member;
    using difference_type = std::ptrdiff_t;

    member_iterator() = default;
    inline json::member operator*() const noexcept;
    member_iterator& operator++() noexcept {
        ++it_;
        return *this;
    }
    member_iterator operator++(int) noexcept {
        member_iterator old = *this;
        ++it_;
        return old;
    }
    friend bool operator==(const member_iterator& x, const member_iterator& y) noexcept {
        return x.it_ == y.it_;
    }
    friend bool operator!=(const member_iterator& x, const member_iterator& y) noexcept {
        return x.it_ != y.it_;
    }

  private:
    friend class value;
    explicit member_iterator(value_iterator it) noexcept : it_(it) {}
    value_iterator it_;
};

/// The members of an object, for range-for: `for (auto [k, v] : obj.members())`.
class member_range {
  public:
    member_iterator begin() const noexcept { return first_; }
    member_iterator end() const noexcept { return last_; }

  private:
    friend class value;
    member_range(member_iterator first, member_iterator last) noexcept
        : first_(first), last_(last) {}
    member_iterator first_;
    member_iterator last_;
};

/// A read-only handle to a value in a document: a document pointer and a node index. Valid while
/// the document lives and is not changed. A default-constructed value is "missing": exists() is
/// false, and every accessor returns its empty answer (kind() null, size() 0, get() false...).
class value {
  public:
    value() = default;

    /// False for a missing value (a failed lookup, an index out of range, an incomplete root).
    bool exists() const noexcept { return doc_ != nullptr; }
    /// Same as exists().
    explicit operator bool() const noexcept { return doc_ != nullptr; }

    /// The kind of the value; type::null for a missing value too (check exists()).
    type kind() const noexcept { return doc_ ? n().kind : type::null; }
    /// True for an existing null.
    bool is_null() const noexcept { return doc_ && n().kind == type::null; }
    /// True for true and false.
    bool is_bool() const noexcept { return kind() == type::boolean; }
    /// True for a number.
    bool is_number() const noexcept { return kind() == type::number; }
    /// True for a string.
    bool is_string() const noexcept { return kind() == type::string; }
    /// True for an array.
    bool is_array() const noexcept { return kind() == type::array; }
    /// True for an object.
    bool is_object() const noexcept { return kind() == type::object; }

    /// The unescaped UTF-8 text of a string, "" for anything else.
    std::string_view as_string() const noexcept {
        return is_string() ? doc_->text_of(n()) : std::string_view();
    }

    /// The literal text of a number as it appeared in the JSON (e.g. "1.5e3"), "" otherwise.
    std::string_view number_text() const noexcept {
        return is_number() ? doc_->text_of(n()) : std::string_view();
    }

    /// Reads an integer number in the range of int64_t, exactly. False (and `out` unchanged)
    /// for anything else, including numbers with a fraction or exponent such as 1.0 or 1e2.
    bool get(std::int64_t& out) const noexcept;

    /// Reads a non-negative integer number in the range of uint64_t, exactly (-0 reads as 0).
    /// False (and `out` unchanged) for anything else.
    bool get(std::uint64_t& out) const noexcept;

    /// Reads any number as the nearest double, independently of the locale. False (and `out`
    /// unchanged) for a non-number, and for a number too large for a double (e.g. 1E400).
    bool get(double& out) const noexcept {
        return is_number() && detail::json_number_to_double(doc_->text_of(n()), out);
    }

    /// Reads true or false. False (and `out` unchanged) for anything else.
    bool get(bool& out) const noexcept;

    /// The number of elements of an array or members of an object, else 0.
    std::size_t size() const noexcept { return is_container() ? n().a : 0; }

    /// The value of the member named `key` of an object (linear search), else a missing value.
    value operator[](std::string_view key) const noexcept;

    /// The i-th element of an array or the i-th member value of an object, else a missing value.
    /// O(1) when all the children are scalars, else O(i).
    value at(std::size_t i) const noexcept;

    /// The i-th key of an object, else "".
    std::string_view key_at(std::size_t i) const noexcept;

    /// The first element / member value; begin() == end() for an empty container or a scalar.
    value_iterator begin() const noexcept;
    /// Past the last element / member value.
    value_iterator end() const noexcept;

    /// The (key, value) members of an object; empty for anything else.
    member_range members() const noexcept;

    /// operator[] for a reader that looks up several members of one object: the search starts
    /// at `cursor` (0 at first, then whatever the previous call left there) and wraps around,
    /// and `cursor` moves past the member found. Members looked up in document order cost one
    /// key comparison each. Finds the same member as operator[] (the keys of a document are
    /// unique).
    value find_from(std::string_view key, std::uint32_t& cursor) const noexcept;

  private:
    friend class document;
    friend class value_iterator;
    friend class member_iterator;

    value(const document* d, std::uint32_t index) noexcept : doc_(d), index_(index) {}

    // Whether the key node at `i` is `key`.
    bool key_is(std::uint32_t i, std::string_view key) const noexcept;

    const document::node& n() const noexcept { return doc_->nodes_[index_]; }

    bool is_container() const noexcept {
        const type k = kind();
        return k == type::array || k == type::object;
    }

    // The node of the i-th element / key, or npos.
    std::uint32_t child(std::size_t i) const noexcept;

    // The text of a number without fraction or exponent, else "".
    std::string_view integer_text() const noexcept;

    const document* doc_ = nullptr;
    std::uint32_t index_ = 0;
};

/// An object member as given by value::members().
struct member {
    std::string_view key; ///< the unescaped key
    json::value value;    ///< its value
};

inline value document::root() const noexcept {
    return complete() ? value(this, 0) : value();
}

inline value value_iterator::operator*() const noexcept {
    return value(doc_, object_ ? pos_ + 1 : pos_);
}

inline member member_iterator::operator*() const noexcept {
    return member{it_.doc_->text_of(it_.doc_->nodes_[it_.pos_]), value(it_.doc_, it_.pos_ + 1)};
}
} // namespace json

#if TRTC_DEFINITIONS

namespace json {

TRTC_DECL const char* to_string(type t) noexcept {
    switch (t) {
    case type::null:
        return "null";
    case type::boolean:
        return "boolean";
    case type::number:
        return "number";
    case type::string:
        return "string";
    case type::array:
        return "array";
    case type::object:
        return "object";
    }
    return "unknown";
}

TRTC_DECL const char* to_string(build_error e) noexcept {
    switch (e) {
    case build_error::none:
        return "no error";
    case build_error::depth_exceeded:
        return "nesting too deep";
    case build_error::too_many_nodes:
        return "too many values";
    case build_error::string_too_long:
        return "string too long";
    case build_error::duplicate_key:
        return "duplicate key";
    case build_error::invalid_utf8:
        return "invalid UTF-8";
    case build_error::invalid_number:
        return "invalid number";
    case build_error::structure:
        return "invalid document structure";
    case build_error::input_too_large:
        return "input too large";
    case build_error::syntax:
        return "syntax error";
    }
    return "unknown error";
}

TRTC_DECL void document::clear() noexcept {
    nodes_.clear();
    text_.clear();
    scratch_.clear();
    open_ = npos;
    depth_ = 0;
    values_ = 0;
    error_ = build_error::none;
    after_key_ = false;
}

TRTC_DECL void document::reserve(std::size_t nodes, std::size_t text) {
    nodes_.reserve(nodes);
    text_.reserve(text);
}

TRTC_DECL bool document::key(std::string_view unescaped) {
    if (!key_allowed()) return false;
    const auto off = static_cast<std::uint32_t>(text_.size());
    if (!append_text_checked(unescaped)) return false;
    return add_key(off, static_cast<std::uint32_t>(unescaped.size()));
}

TRTC_DECL bool document::string(std::string_view unescaped) {
    if (!value_allowed()) return false;
    const auto off = static_cast<std::uint32_t>(text_.size());
    if (!append_text_checked(unescaped)) return false;
    return push_text(type::string, off, static_cast<std::uint32_t>(unescaped.size()));
}

TRTC_DECL bool document::number(std::string_view json_text) {
    if (!value_allowed()) return false;
    if (!detail::is_json_number(json_text)) return fail(build_error::invalid_number);
    const auto off = static_cast<std::uint32_t>(text_.size());
    if (!append_text(json_text)) return false;
    return push_text(type::number, off, static_cast<std::uint32_t>(json_text.size()));
}

TRTC_DECL bool document::integer(std::int64_t v) {
    char buf[1 + detail::max_decimal_digits];
    buf[0] = '-';
    const std::size_t sign = v < 0 ? 1 : 0;
    const std::uint64_t magnitude =
        v < 0 ? 0 - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v);
    return add_number_chars(buf, detail::write_decimal_u(buf + sign, magnitude));
}

TRTC_DECL bool document::unsigned_integer(std::uint64_t v) {
    char buf[detail::max_decimal_digits];
    return add_number_chars(buf, detail::write_decimal_u(buf, v));
}

TRTC_DECL bool document::boolean(bool b) {
    if (!value_allowed()) return false;
    nodes_.emplace_back(b ? 1u : 0u, 0, type::boolean);
    return true;
}

TRTC_DECL bool document::null() {
    if (!value_allowed()) return false;
    nodes_.emplace_back(0, 0, type::null);
    return true;
}

TRTC_DECL bool document::fail(build_error e) noexcept {
    if (error_ == build_error::none) error_ = e;
    return false;
}

TRTC_DECL bool document::value_allowed() noexcept {
    if (error_ != build_error::none) return false;
    if (open_ == npos) {
        if (!nodes_.empty()) return fail(build_error::structure);
    } else {
        node& c = nodes_[open_];
        if (c.kind == type::object) {
            if (!after_key_) return fail(build_error::structure);
        } else {
            ++c.a;
        }
    }
    if (values_ >= max_nodes()) return fail(build_error::too_many_nodes);
    ++values_;
    after_key_ = false;
    return true;
}

TRTC_DECL bool document::key_allowed() noexcept {
    if (error_ != build_error::none) return false;
    if (open_ == npos || nodes_[open_].kind != type::object || after_key_)
        return fail(build_error::structure);
    return true;
}

TRTC_DECL bool document::append_text(std::string_view s) {
    if (s.size() > max_text() - text_.size()) return fail(build_error::input_too_large);
    text_.append(s.data(), s.size());
    return true;
}

TRTC_DECL bool document::append_text_checked(std::string_view s) {
    if (s.size() > limits_.max_string) return fail(build_error::string_too_long);
    if (!detail::utf8_valid(s)) return fail(build_error::invalid_utf8);
    return append_text(s);
}

TRTC_DECL bool document::push_text(type kind, std::uint32_t off, std::uint32_t len) {
    nodes_.emplace_back(off, len, kind);
    return true;
}

TRTC_DECL bool document::add_number_chars(const char* first, const char* last) {
    if (!value_allowed()) return false;
    const auto off = static_cast<std::uint32_t>(text_.size());
    const auto len = static_cast<std::uint32_t>(last - first);
    if (!append_text(std::string_view(first, len))) return false;
    return push_text(type::number, off, len);
}

TRTC_DECL bool document::add_key(std::uint32_t off, std::uint32_t len) {
    node& c = nodes_[open_];
    if (c.a < linear_key_check) {
        const char* const k = text_.data() + off;
        std::uint32_t i = open_ + 1;
        for (std::uint32_t m = 0; m < c.a; ++m) {
            const node& prev = nodes_[i];
            if (prev.b == len && detail::bytes_equal(text_.data() + prev.a, k, len))
                return fail(build_error::duplicate_key);
            i = next(i + 1);
        }
    }
    ++c.a;
    nodes_.emplace_back(off, len, type::string);
    after_key_ = true;
    return true;
}

TRTC_DECL bool document::begin_container(type kind) {
    if (!value_allowed()) return false;
    if (depth_ >= limits_.max_depth) return fail(build_error::depth_exceeded);
    const auto index = static_cast<std::uint32_t>(nodes_.size());
    nodes_.emplace_back(0, open_, kind);
    open_ = index;
    ++depth_;
    return true;
}

TRTC_DECL bool document::end_container(type kind) {
    if (error_ != build_error::none) return false;
    if (open_ == npos || nodes_[open_].kind != kind || after_key_)
        return fail(build_error::structure);
    if (kind == type::object && nodes_[open_].a > linear_key_check &&
        !unique_keys(open_, static_cast<std::uint32_t>(nodes_.size())))
        return fail(build_error::duplicate_key);
    node& c = nodes_[open_];
    open_ = c.b;
    c.b = static_cast<std::uint32_t>(nodes_.size());
    --depth_;
    return true;
}

TRTC_DECL bool document::unique_keys(std::uint32_t obj, std::uint32_t end) {
    scratch_.clear();
    for (std::uint32_t i = obj + 1; i < end; i = next(i + 1)) {
        std::uint32_t h = 2166136261u; // FNV-1a
        for (char ch : text_of(nodes_[i])) h = (h ^ static_cast<unsigned char>(ch)) * 16777619u;
        scratch_.push_back((std::uint64_t{h} << 32) | i);
    }
    auto key_of = [this](std::uint64_t e) {
        return text_of(nodes_[static_cast<std::uint32_t>(e)]);
    };
    auto less = [&](std::uint64_t x, std::uint64_t y) {
        if ((x >> 32) != (y >> 32)) return (x >> 32) < (y >> 32);
        return key_of(x) < key_of(y);
    };
    // Heap sort: O(n log n) worst case, no <algorithm>.
    std::uint64_t* const v = scratch_.data();
    const std::size_t count = scratch_.size();
    auto sift_down = [&](std::size_t root, std::size_t size) {
        for (;;) {
            std::size_t c = 2 * root + 1;
            if (c >= size) return;
            if (c + 1 < size && less(v[c], v[c + 1])) ++c;
            if (!less(v[root], v[c])) return;
            const std::uint64_t t = v[root];
            v[root] = v[c];
            v[c] = t;
            root = c;
        }
    };
    for (std::size_t i = count / 2; i-- > 0;) sift_down(i, count);
    for (std::size_t last = count; last-- > 1;) {
        const std::uint64_t t = v[0];
        v[0] = v[last];
        v[last] = t;
        sift_down(0, last);
    }
    for (std::size_t i = 1; i < scratch_.size(); ++i) {
        if ((scratch_[i] >> 32) == (scratch_[i - 1] >> 32) &&
            key_of(scratch_[i]) == key_of(scratch_[i - 1]))
            return false;
    }
    return true;
}

TRTC_DECL bool value::get(std::int64_t& out) const noexcept {
    if (!is_number()) return false;
    const std::string_view text = doc_->text_of(n());
    if (text.empty()) return false;
    const char* p = text.data();
    const char* const e = p + text.size();
    const bool negative = *p == '-';
    if (negative) ++p;
    if (e - p <= 18) {
        // Up to 18 digits cannot overflow: no need for from_chars. The text is a valid
        // number literal, so any non-digit means a fraction or an exponent.
        std::uint64_t v = 0;
        for (; p != e; ++p) {
            const unsigned d = static_cast<unsigned char>(*p) - unsigned{'0'};
            if (d > 9) return false;
            v = v * 10 + d;
        }
        out = negative ? -static_cast<std::int64_t>(v) : static_cast<std::int64_t>(v);
        return true;
    }
    const std::string_view t = integer_text();
    if (t.empty()) return false;
    std::int64_t v = 0;
    const auto r = std::from_chars(t.data(), t.data() + t.size(), v);
    if (r.ec != std::errc() || r.ptr != t.data() + t.size()) return false;
    out = v;
    return true;
}

TRTC_DECL bool value::get(std::uint64_t& out) const noexcept {
    std::string_view t = integer_text();
    if (t.empty()) return false;
    if (t[0] == '-') {
        if (t != "-0") return false;
        t.remove_prefix(1);
    }
    std::uint64_t v = 0;
    const auto r = std::from_chars(t.data(), t.data() + t.size(), v);
    if (r.ec != std::errc() || r.ptr != t.data() + t.size()) return false;
    out = v;
    return true;
}

TRTC_DECL bool value::get(bool& out) const noexcept {
    if (!is_bool()) return false;
    out = n().a != 0;
    return true;
}

TRTC_DECL value value::operator[](std::string_view key) const noexcept {
    if (!is_object()) return value();
    const std::uint32_t end = n().b;
    for (std::uint32_t i = index_ + 1; i < end; i = doc_->next(i + 1)) {
        if (key_is(i, key)) return value(doc_, i + 1);
    }
    return value();
}

TRTC_DECL value value::at(std::size_t i) const noexcept {
    const std::uint32_t k = child(i);
    if (k == document::npos) return value();
    return value(doc_, is_object() ? k + 1 : k);
}

TRTC_DECL std::string_view value::key_at(std::size_t i) const noexcept {
    if (!is_object()) return std::string_view();
    const std::uint32_t k = child(i);
    return k == document::npos ? std::string_view() : doc_->text_of(doc_->nodes_[k]);
}

TRTC_DECL value_iterator value::begin() const noexcept {
    if (!is_container()) return value_iterator(doc_, 0, false);
    return value_iterator(doc_, index_ + 1, is_object());
}

TRTC_DECL value_iterator value::end() const noexcept {
    if (!is_container()) return value_iterator(doc_, 0, false);
    return value_iterator(doc_, n().b, is_object());
}

TRTC_DECL member_range value::members() const noexcept {
    if (!is_object()) {
        const member_iterator none(value_iterator(doc_, 0, true));
        return member_range(none, none);
    }
    return member_range(member_iterator(begin()), member_iterator(end()));
}

TRTC_DECL bool value::key_is(std::uint32_t i, std::string_view key) const noexcept {
    const document::node& k = doc_->nodes_[i];
    return k.b == key.size() && detail::bytes_equal(doc_->text_.data() + k.a, key.data(), k.b);
}

TRTC_DECL value value::find_from(std::string_view key, std::uint32_t& cursor) const noexcept {
    if (!is_object()) return value();
    const std::uint32_t first = index_ + 1;
    const std::uint32_t end = n().b;
    const std::uint32_t start = cursor > first && cursor < end ? cursor : first;
    for (std::uint32_t i = start; i < end; i = doc_->next(i + 1)) {
        if (key_is(i, key)) {
            cursor = doc_->next(i + 1);
            return value(doc_, i + 1);
        }
    }
    for (std::uint32_t i = first; i < start; i = doc_->next(i + 1)) {
        if (key_is(i, key)) {
            cursor = doc_->next(i + 1);
            return value(doc_, i + 1);
        }
    }
    return value();
}

TRTC_DECL std::uint32_t value::child(std::size_t i) const noexcept {
    if (!is_container() || i >= n().a) return document::npos;
    const std::uint32_t count = n().a;
    const std::uint32_t first = index_ + 1;
    const std::uint32_t stride = is_object() ? 2 : 1;
    const auto idx = static_cast<std::uint32_t>(i);
    if (n().b - first == count * stride) return first + idx * stride; // all scalars
    std::uint32_t k = first;
    for (std::uint32_t m = 0; m < idx; ++m) k = doc_->next(stride == 2 ? k + 1 : k);
    return k;
}

TRTC_DECL std::string_view value::integer_text() const noexcept {
    if (!is_number()) return std::string_view();
    const std::string_view t = doc_->text_of(n());
    for (char c : t) {
        if (c == '.' || c == 'e' || c == 'E') return std::string_view();
    }
    return t;
}
} // namespace json

#endif // TRTC_DEFINITIONS

TRTC_END_NAMESPACE

#endif // TRTC_JSON_DOCUMENT_HPP
/// @file
/// @brief json::parse(): the built-in JSON reader, strict RFC 8259, iterative, filling a
/// json::document.
#ifndef TRTC_JSON_READER_HPP
#define TRTC_JSON_READER_HPP

/// @file
/// @brief The JSON grammar, once: detail::json_grammar, the strict RFC 8259 rules as pull steps
/// over a text in memory, which both JSON readers are written in. json::parse builds a
/// json::document through it; the one-pass decoder of responses reads fields through it.
#ifndef TRTC_DETAIL_JSON_GRAMMAR_HPP
#define TRTC_DETAIL_JSON_GRAMMAR_HPP

#include <cstddef>
#include <cstring>
#include <string_view>

TRTC_BEGIN_NAMESPACE
namespace detail {

/// The JSON grammar (RFC 8259, strictly: no BOM, comments, trailing commas, leading zeros,
/// NaN...; strings well-formed UTF-8 with only the standard escapes and paired surrogates) as
/// steps a reader pulls in document order. The reader keeps track of the structure (whether it
/// is in an object or an array, and how deep) and calls, at each point, the step the grammar
/// allows there; each step checks its part of the text, consumes it with the whitespace after
/// it, and on a violation records the first error (offset and a short static message) and
/// returns false. What to build from the text, and every limit, is the reader's.
///
/// The steps:
///  - at a value: peek() tells which value starts there; open() for '{' and '[', string(),
///    number(), literal() for true, false and null, or unexpected() when nothing can start;
///  - in an object, after open() or after_member() said another member follows: key();
///  - after a member's value: after_member(); after an element's value: after_element();
///  - after the root value: finish().
class json_grammar {
  public:
    json_grammar(const char* begin, const char* end) noexcept
        : begin_(begin), p_(begin), end_(end) {
        skip_ws();
    }

    /// The byte the next step starts at, or '\0' at the end of the text.
    char peek() const noexcept { return p_ != end_ ? *p_ : '\0'; }
    /// Where the next step starts.
    const char* pos() const noexcept { return p_; }
    /// The end of the text.
    const char* end() const noexcept { return end_; }

    /// Whether a step failed.
    bool failed() const noexcept { return message_ != nullptr; }
    /// The first failure's message ("" before any).
    const char* message() const noexcept { return message_ != nullptr ? message_ : ""; }
    /// The first failure's byte offset.
    std::size_t offset() const noexcept { return static_cast<std::size_t>(at_ - begin_); }

    /// Records a failure at `at` (the first one stays) and returns false: for a reader's own
    /// errors, reported the same way as the grammar's.
    bool fail(const char* at, const char* message) noexcept {
        if (message_ == nullptr) {
            message_ = message;
            at_ = at;
        }
        p_ = end_;
        return false;
    }

    /// At '{' or '[' (peek() says which): consumes it. `empty` tells whether the container is
    /// closed at once ('}' or ']' consumed too).
    TRTC_ALWAYS_INLINE bool open(bool& empty) noexcept {
        const char close = *p_ == '{' ? '}' : ']';
        ++p_;
        skip_ws();
        empty = p_ != end_ && *p_ == close;
        if (empty) {
            ++p_;
            skip_ws();
        }
        return true;
    }

    /// The key of an object member, then its ':': the key's unescaped bytes go to `sink`
    /// (json_grammar::string() says how). `after_comma` says whether a ',' came before it,
    /// which only changes the message when it is missing.
    template <class Sink>
    TRTC_ALWAYS_INLINE bool key(Sink& sink, bool after_comma) {
        if (TRTC_UNLIKELY(p_ == end_)) return fail(p_, "unexpected end of input");
        if (TRTC_UNLIKELY(*p_ != '"'))
            return fail(p_, after_comma && *p_ == '}' ? "trailing comma" : "expected a string key");
        if (!string_body(sink)) return false;
        skip_ws();
        if (TRTC_UNLIKELY(p_ == end_)) return fail(p_, "unexpected end of input");
        if (TRTC_UNLIKELY(*p_ != ':')) return fail(p_, "expected ':'");
        ++p_;
        skip_ws();
        return true;
    }

    /// A string value, at its '"': its unescaped bytes go to `sink`, a type with
    /// `void append(const char* p, std::size_t n, const char* end)` (`end`: the end of the text,
    /// for sinks that store ahead of it), `bool escape()` (called before each escape's bytes;
    /// false stops the string, as a decline the sink records itself) and `void start(const char*
    /// quote)`.
    template <class Sink>
    TRTC_ALWAYS_INLINE bool string(Sink& sink) {
        if (!string_body(sink)) return false;
        skip_ws();
        return true;
    }

    /// A number, at its '-' or first digit: its text as written.
    TRTC_ALWAYS_INLINE bool number(std::string_view& text) noexcept {
        const char* message = nullptr;
        const char* q = scan_json_number(p_, end_, message);
        if (TRTC_UNLIKELY(message != nullptr)) return fail(q, message);
        text = std::string_view(p_, static_cast<std::size_t>(q - p_));
        p_ = q;
        skip_ws();
        return true;
    }

    /// true, false or null, at its first letter: which one is `word` (of `n` letters).
    TRTC_ALWAYS_INLINE bool literal(const char* word, std::size_t n) noexcept {
        if (static_cast<std::size_t>(end_ - p_) < n || std::memcmp(p_, word, n) != 0)
            return fail(p_, "invalid literal");
        p_ += n;
        skip_ws();
        return true;
    }

    /// At a value whose first byte starts none (peek() matched no value): the failure.
    bool unexpected() noexcept {
        if (p_ == end_) return fail(p_, "unexpected end of input");
        if (end_ - p_ >= 3 && std::memcmp(p_, "\xEF\xBB\xBF", 3) == 0)
            return fail(p_, "byte order mark");
        return fail(p_, "unexpected character");
    }

    /// After the value of an object member: `more` is true after a ',' (the next key follows),
    /// false after the '}'.
    TRTC_ALWAYS_INLINE bool after_member(bool& more) noexcept {
        if (TRTC_UNLIKELY(p_ == end_)) return fail(p_, "unexpected end of input");
        if (*p_ == ',') {
            ++p_;
            skip_ws();
            more = true;
            return true;
        }
        if (TRTC_LIKELY(*p_ == '}')) {
            ++p_;
            skip_ws();
            more = false;
            return true;
        }
        return fail(p_, "expected ',' or '}'");
    }

    /// After an array element: `more` is true after a ',' (the next value follows), false after
    /// the ']'.
    TRTC_ALWAYS_INLINE bool after_element(bool& more) noexcept {
        if (TRTC_UNLIKELY(p_ == end_)) return fail(p_, "unexpected end of input");
        if (*p_ == ',') {
            ++p_;
            skip_ws();
            if (TRTC_UNLIKELY(p_ != end_ && *p_ == ']')) return fail(p_, "trailing comma");
            more = true;
            return true;
        }
        if (TRTC_LIKELY(*p_ == ']')) {
            ++p_;
            skip_ws();
            more = false;
            return true;
        }
        return fail(p_, "expected ',' or ']'");
    }

    /// After the root value: nothing but whitespace may follow.
    bool finish() noexcept { return p_ == end_ || fail(p_, "trailing characters"); }

  private:
    TRTC_ALWAYS_INLINE void skip_ws() noexcept {
        // Compact JSON has no whitespace: anything above ' ' ends the run at once.
        if (TRTC_LIKELY(p_ != end_ && static_cast<unsigned char>(*p_) > ' ')) return;
        while (p_ != end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
    }

    // The string whose '"' is at p_, up to and past its closing quote.
    template <class Sink>
    TRTC_ALWAYS_INLINE bool string_body(Sink& sink) {
        const char* const quote = p_;
        sink.start(quote);
        const char* p = quote + 1;
        for (;;) {
            // Plain ASCII in runs, sixteen bytes per step; each run goes to the sink whole.
            const std::size_t run = json_plain_run(p, static_cast<std::size_t>(end_ - p));
            sink.append(p, run, end_);
            p += run;
            if (TRTC_UNLIKELY(p == end_)) return fail(quote, "unterminated string");
            const auto c = static_cast<unsigned char>(*p);
            if (TRTC_LIKELY(c == '"')) {
                p_ = p + 1;
                return true;
            }
            if (c == '\\') {
                if (!sink.escape()) {
                    p_ = end_;
                    return false;
                }
                char decoded[4];
                std::size_t n = 0;
                const char *message = nullptr, *at = nullptr;
                const char* next = json_unescape(p, end_, decoded, n, message, at);
                if (next == nullptr) return fail(at, message);
                sink.append(decoded, n, nullptr);
                p = next;
            } else if (c < 0x20) {
                return fail(p, "control character in string");
            } else {
                const std::size_t n =
                    utf8_sequence_length(reinterpret_cast<const unsigned char*>(p),
                                         reinterpret_cast<const unsigned char*>(end_));
                if (n == 0) return fail(p, "invalid UTF-8");
                sink.append(p, n, end_);
                p += n;
            }
        }
    }

    const char* const begin_;
    const char* p_;
    const char* const end_;
    const char* message_ = nullptr;
    const char* at_ = nullptr;
};

} // namespace detail
TRTC_END_NAMESPACE

#endif // TRTC_DETAIL_JSON_GRAMMAR_HPP

#include <cstddef>
#include <cstdint>
#include <string_view>

#if TRTC_DEFINITIONS

#    include <cstring>
#    include <string>
#    include <vector>
#endif

TRTC_BEGIN_NAMESPACE
namespace json {

/// Where and why parse() failed.
struct parse_error {
    std::size_t offset = 0;   ///< byte offset of the offending input
    const char* message = ""; ///< a short static description, e.g. "invalid escape"
};

} // namespace json

namespace detail {

/// The reader behind json::parse(): the JSON grammar (detail::json_grammar) pulled in document
/// order, building the document's nodes in place. String, key and number bytes go straight into
/// the document's text, so each byte of input is copied at most once.
class json_reader {
  public:
    static bool run(std::string_view text, json::document& doc, json::parse_error& err) noexcept;

  private:
    using node = json::document::node;
    static constexpr std::uint32_t npos = json::document::npos;

    // Only run() is called from outside; the members declared below without a body are
    // defined after the class.

    json_reader(std::string_view text, json::document& doc) noexcept
        : g_(text.data(), text.data() + text.size()), doc_(doc), out_begin_(&doc.text_[0]),
          out_(out_begin_), nodes_(doc.nodes_.data()),
          cap_(static_cast<std::uint32_t>(doc.nodes_.size())), max_values_(doc.max_nodes()),
          max_depth_(doc.limits_.max_depth), max_string_(doc.limits_.max_string) {}

    // ---- Building: what json::document's building calls do, for input the grammar has
    // already checked (so no structure errors are possible), with the nodes written in place.

    // Makes room for more nodes: doubles the tape (only the nodes made so far are copied).
    inline void grow() noexcept;

    TRTC_ALWAYS_INLINE void push(std::uint32_t a, std::uint32_t b, json::type kind) noexcept;

    inline bool build_error_at(const char* at, json::build_error e) noexcept;

    // Counts a value about to be added (json::document::value_allowed()).
    TRTC_ALWAYS_INLINE bool count_value(const char* at) noexcept;

    inline bool begin_container(json::type kind, const char* at) noexcept;

    inline bool end_container(const char* at) noexcept;

    // Adds a key node for the `len` text bytes at `off` to the open object. Objects with few
    // members compare the key with the earlier ones here; larger ones are checked when closed.
    inline bool add_key(std::uint32_t off, std::uint32_t len, const char* at) noexcept;

    std::uint32_t out_offset() const noexcept {
        return static_cast<std::uint32_t>(out_ - out_begin_);
    }

    // Where the grammar puts a string's bytes: the document's text. The output never runs ahead
    // of the input (unescaping only shrinks), and the text buffer is as long as the input, so
    // while 16 input bytes remain from a run, 16 bytes can be stored at the output: short runs
    // are copied with two word stores.
    struct text_sink {
        char*& out;
        void start(const char*) noexcept {}
        bool escape() noexcept { return true; }
        TRTC_ALWAYS_INLINE void append(const char* p, std::size_t n, const char* end) noexcept {
            if (end != nullptr && n <= 16 && end - p >= 16) {
                std::memcpy(out, p, 8);
                std::memcpy(out + 8, p + 8, 8);
            } else {
                std::memcpy(out, p, n);
            }
            out += n;
        }
    };

    // A string value or a key at the grammar's position, into the text: its node, or false.
    inline bool key() noexcept;
    inline bool string_value() noexcept;

    inline bool parse() noexcept;

    json_grammar g_;
    json::document& doc_;
    char* const out_begin_; // the document's text, sized to the input
    char* out_;             // where the next text byte goes
    node* nodes_;           // the document's node vector, sized to its capacity
    std::uint32_t cap_;     // its size
    std::uint32_t count_ = 0;
    std::uint32_t open_ = npos; // innermost open container
    std::size_t depth_ = 0;
    std::size_t values_ = 0;
    const std::size_t max_values_;
    const std::size_t max_depth_;
    const std::size_t max_string_;
};

} // namespace detail

namespace json {

/// Parses `text`, which must be exactly one JSON value (RFC 8259, strictly: no BOM, comments,
/// trailing commas, leading zeros, NaN...; strings well-formed UTF-8 with only the standard
/// escapes and paired surrogates) with optional surrounding whitespace, into `out`, which is
/// cleared first and enforces its limits (input longer than limits::max_input is rejected up
/// front). Returns true on success; otherwise `err` gives the byte offset and a short static
/// message, and `out` is left incomplete (its error() is set). Iterative: the nesting depth is
/// bounded by limits::max_depth, not by the stack.
inline bool parse(std::string_view text, document& out, parse_error& err) noexcept {
    return detail::json_reader::run(text, out, err);
}

} // namespace json

#if TRTC_DEFINITIONS

namespace detail {

TRTC_DECL bool json_reader::run(std::string_view text, json::document& doc,
                                json::parse_error& err) noexcept {
    doc.clear();
    if (text.size() > doc.max_text()) {
        doc.fail(json::build_error::input_too_large);
        err.offset = 0;
        err.message = "input too large";
        return false;
    }
    // Unescaping only shrinks, so the text never outgrows the input: the reader writes into
    // a buffer of the input's size (one allocation at most) and trims it at the end.
    doc.text_.resize(text.size());
    // Typical JSON has a node per 10 bytes or more; denser input grows the tape as it goes.
    // The reader fills the nodes in place: the vector is sized to its capacity (nodes are
    // left unset, which costs nothing) and trimmed to the nodes made at the end.
    const std::size_t max_nodes = 2 * doc.max_nodes() + 1;
    const std::size_t guess = text.size() / 8 + 16;
    doc.nodes_.reserve(guess < max_nodes ? guess : max_nodes);
    doc.nodes_.resize(doc.nodes_.capacity());
    json_reader r(text, doc);
    const bool ok = r.parse();
    if (!ok) {
        err.offset = r.g_.offset();
        err.message = r.g_.message();
        doc.fail(json::build_error::syntax); // no-op when a building error is already recorded
    }
    doc.nodes_.resize(r.count_);
    doc.open_ = r.open_;
    doc.depth_ = r.depth_;
    doc.values_ = r.values_;
    doc.text_.resize(static_cast<std::size_t>(r.out_ - r.out_begin_));
    return ok;
}

inline void json_reader::grow() noexcept {
    std::vector<node>& v = doc_.nodes_;
    v.resize(count_);
    v.reserve(2 * static_cast<std::size_t>(count_) + 16);
    v.resize(v.capacity());
    nodes_ = v.data();
    cap_ = static_cast<std::uint32_t>(v.size());
}

TRTC_ALWAYS_INLINE void json_reader::push(std::uint32_t a, std::uint32_t b,
                                          json::type kind) noexcept {
    if (TRTC_UNLIKELY(count_ == cap_)) grow();
    node& n = nodes_[count_++];
    n.a = a;
    n.b = b;
    n.kind = kind;
}

inline bool json_reader::build_error_at(const char* at, json::build_error e) noexcept {
    doc_.fail(e);
    return g_.fail(at, json::to_string(e));
}

TRTC_ALWAYS_INLINE bool json_reader::count_value(const char* at) noexcept {
    if (values_ >= max_values_) return build_error_at(at, json::build_error::too_many_nodes);
    ++values_;
    if (open_ != npos && nodes_[open_].kind == json::type::array) ++nodes_[open_].a;
    return true;
}

inline bool json_reader::begin_container(json::type kind, const char* at) noexcept {
    if (!count_value(at)) return false;
    if (depth_ >= max_depth_) return build_error_at(at, json::build_error::depth_exceeded);
    const std::uint32_t index = count_;
    push(0, open_, kind);
    open_ = index;
    ++depth_;
    return true;
}

inline bool json_reader::end_container(const char* at) noexcept {
    node& c = nodes_[open_];
    if (c.kind == json::type::object && c.a > json::document::linear_key_check &&
        !doc_.unique_keys(open_, count_))
        return build_error_at(at, json::build_error::duplicate_key);
    open_ = c.b;
    c.b = count_;
    --depth_;
    return true;
}

inline bool json_reader::add_key(std::uint32_t off, std::uint32_t len, const char* at) noexcept {
    node& c = nodes_[open_];
    if (c.a < json::document::linear_key_check) {
        const char* const k = out_begin_ + off;
        std::uint32_t i = open_ + 1;
        for (std::uint32_t m = 0; m < c.a; ++m) {
            const node& prev = nodes_[i];
            if (prev.b == len && bytes_equal(out_begin_ + prev.a, k, len))
                return build_error_at(at, json::build_error::duplicate_key);
            const node& v = nodes_[i + 1];
            i = (v.kind == json::type::array || v.kind == json::type::object) ? v.b : i + 2;
        }
    }
    ++c.a;
    push(off, len, json::type::string);
    return true;
}

inline bool json_reader::key() noexcept {
    const char* const at = g_.pos();
    const std::uint32_t off = out_offset();
    text_sink sink{out_};
    if (!g_.key(sink, count_ > open_ + 1)) return false;
    const std::uint32_t len = out_offset() - off;
    if (len > max_string_) return build_error_at(at, json::build_error::string_too_long);
    return add_key(off, len, at);
}

inline bool json_reader::string_value() noexcept {
    const char* const at = g_.pos();
    if (!count_value(at)) return false;
    const std::uint32_t off = out_offset();
    text_sink sink{out_};
    if (!g_.string(sink)) return false;
    const std::uint32_t len = out_offset() - off;
    if (len > max_string_) return build_error_at(at, json::build_error::string_too_long);
    push(off, len, json::type::string);
    return true;
}

inline bool json_reader::parse() noexcept {
    for (;;) {
        // A value is expected at the grammar's position.
        const char* const at = g_.pos();
        bool empty = false;
        switch (g_.peek()) {
        case '{':
            if (!begin_container(json::type::object, at)) return false;
            g_.open(empty);
            if (empty) {
                end_container(at);
                break;
            }
            if (!key()) return false;
            continue;
        case '[':
            if (!begin_container(json::type::array, at)) return false;
            g_.open(empty);
            if (empty) {
                end_container(at);
                break;
            }
            continue;
        case '"':
            if (!string_value()) return false;
            break;
        case 't':
            if (!g_.literal("true", 4) || !count_value(at)) return false;
            push(1, 0, json::type::boolean);
            break;
        case 'f':
            if (!g_.literal("false", 5) || !count_value(at)) return false;
            push(0, 0, json::type::boolean);
            break;
        case 'n':
            if (!g_.literal("null", 4) || !count_value(at)) return false;
            push(0, 0, json::type::null);
            break;
        case '-':
        case '0':
        case '1':
        case '2':
        case '3':
        case '4':
        case '5':
        case '6':
        case '7':
        case '8':
        case '9': {
            std::string_view number;
            if (!g_.number(number) || !count_value(at)) return false;
            const std::uint32_t off = out_offset();
            text_sink sink{out_};
            sink.append(number.data(), number.size(), g_.end());
            push(off, static_cast<std::uint32_t>(number.size()), json::type::number);
            break;
        }
        default:
            return g_.unexpected();
        }
        // After a value: close containers, or find the next element / member.
        for (;;) {
            if (open_ == npos) return g_.finish();
            bool more = false;
            const char* const close = g_.pos();
            if (nodes_[open_].kind == json::type::object) {
                if (!g_.after_member(more)) return false;
                if (more) {
                    if (!key()) return false;
                    break; // a value is expected
                }
            } else {
                if (!g_.after_element(more)) return false;
                if (more) break;
            }
            if (!end_container(close)) return false;
        }
    }
}

} // namespace detail

#endif // TRTC_DEFINITIONS

TRTC_END_NAMESPACE

#endif // TRTC_JSON_READER_HPP
/// @file
/// @brief json::writer and json::serialize(): the built-in JSON writer, compact output,
/// RapidJSON-compatible string escaping.
#ifndef TRTC_JSON_WRITER_HPP
#define TRTC_JSON_WRITER_HPP

#include <cstdint>
#include <string>
#include <string_view>

#if TRTC_DEFINITIONS

#    include <cstddef>
#    include <cstring>
#    include <vector>
#endif

TRTC_BEGIN_NAMESPACE
namespace json {

/// Writes compact JSON (no whitespace) to a caller-owned string, inserting the commas and colons.
/// The caller is responsible for the order of the calls (a key before each object member, every
/// container closed); the writer does not check it. Strings are written as given, escaped as
/// RapidJSON's default writer does, and are not checked for UTF-8.
class writer {
  public:
    /// A writer appending to `out`, which must outlive it.
    explicit writer(std::string& out) noexcept : out_(&out) {}

    /// Appends `{`.
    void begin_object();
    /// Appends `}`.
    void end_object();
    /// Appends `[`.
    void begin_array();
    /// Appends `]`.
    void end_array();
    /// Appends an object key and its colon.
    void key(std::string_view k);
    /// Appends a string value.
    void string(std::string_view s);
    /// Appends an integer.
    void integer(std::int64_t v);
    /// Appends a non-negative integer.
    void unsigned_integer(std::uint64_t v);
    /// Appends a number given as its literal text. Returns false, and appends `null` instead so
    /// that the output stays well-formed, when `text` is not an RFC 8259 number literal.
    bool raw_number(std::string_view text);
    /// Appends `true` or `false`.
    void boolean(bool b) { raw(b ? std::string_view("true") : std::string_view("false")); }
    /// Appends `null`.
    void null() { raw("null"); }

    /// The string written to.
    std::string& output() const noexcept { return *out_; }

  private:
    friend void serialize(const document& doc, std::string& out);

    void separate() {
        if (comma_) out_->push_back(',');
    }
    void raw(std::string_view text);
    // Appends [,]"s" and then `colon` ':' in one append, when `s` is short and has nothing to
    // escape (every key of the API, and most values). False, having appended nothing, if not.
    bool quoted_short(std::string_view s, bool colon);

    std::string* out_;
    bool comma_ = false; // a value was written at this level: the next one needs a comma
};

/// Appends `doc` to `out` as compact JSON; appends nothing unless doc.complete(). Iterative.
TRTC_DECL void serialize(const document& doc, std::string& out);

} // namespace json

#if TRTC_DEFINITIONS

namespace json {

TRTC_DECL void writer::begin_object() {
    separate();
    out_->push_back('{');
    comma_ = false;
}

TRTC_DECL void writer::end_object() {
    out_->push_back('}');
    comma_ = true;
}

TRTC_DECL void writer::begin_array() {
    separate();
    out_->push_back('[');
    comma_ = false;
}

TRTC_DECL void writer::end_array() {
    out_->push_back(']');
    comma_ = true;
}

TRTC_DECL bool writer::quoted_short(std::string_view s, bool colon) {
    constexpr std::size_t max = 48;
    const std::size_t size = s.size();
    if (size > max) return false;
    // Nothing to escape: whole words tested at once; the last one overlaps the one before.
    std::uint64_t flagged = 0;
    if (size >= 8) {
        for (std::size_t i = 0; i + 8 < size; i += 8)
            flagged |= detail::json_escape_mask(detail::load_le64(s.data() + i));
        flagged |= detail::json_escape_mask(detail::load_le64(s.data() + size - 8));
    } else {
        for (char ch : s) {
            const auto c = static_cast<unsigned char>(ch);
            flagged |= c < 0x20 || c == '"' || c == '\\';
        }
    }
    if (flagged != 0) return false;
    char buf[max + 4];
    std::size_t n = 0;
    buf[0] = ',';
    n += comma_ ? 1 : 0;
    buf[n++] = '"';
    std::memcpy(buf + n, s.data(), size);
    n += size;
    buf[n++] = '"';
    buf[n] = ':';
    n += colon ? 1 : 0;
    out_->append(buf, n);
    return true;
}

TRTC_DECL void writer::key(std::string_view k) {
    if (!quoted_short(k, true)) {
        separate();
        detail::append_json_string(*out_, k);
        out_->push_back(':');
    }
    comma_ = false;
}

TRTC_DECL void writer::string(std::string_view s) {
    if (!quoted_short(s, false)) {
        separate();
        detail::append_json_string(*out_, s);
    }
    comma_ = true;
}

TRTC_DECL void writer::integer(std::int64_t v) {
    separate();
    detail::append_decimal(*out_, v);
    comma_ = true;
}

TRTC_DECL void writer::unsigned_integer(std::uint64_t v) {
    separate();
    detail::append_decimal_u(*out_, v);
    comma_ = true;
}

TRTC_DECL bool writer::raw_number(std::string_view text) {
    if (!detail::is_json_number(text)) {
        raw("null");
        return false;
    }
    raw(text);
    return true;
}

TRTC_DECL void writer::raw(std::string_view text) {
    separate();
    out_->append(text.data(), text.size());
    comma_ = true;
}

TRTC_DECL void serialize(const document& doc, std::string& out) {
    if (!doc.complete()) return;
    const auto& nodes = doc.nodes_;
    const auto count = static_cast<std::uint32_t>(nodes.size());
    out.reserve(out.size() + doc.text_.size() + 2 * nodes.size());
    writer w(out);
    // Stack of the open containers' node indices: inline up to 64 levels, then on the heap.
    std::uint32_t fixed[64];
    std::vector<std::uint32_t> spill;
    std::size_t depth = 0;
    auto top = [&]() { return depth <= 64 ? fixed[depth - 1] : spill[depth - 65]; };
    std::uint32_t i = 0;
    for (;;) {
        const auto& n = nodes[i];
        switch (n.kind) {
        case type::null:
            w.null();
            break;
        case type::boolean:
            w.boolean(n.a != 0);
            break;
        case type::number:
            w.raw(doc.text_of(n));
            break;
        case type::string:
            w.string(doc.text_of(n));
            break;
        case type::array:
        case type::object:
            if (n.kind == type::array) {
                w.begin_array();
            } else {
                w.begin_object();
            }
            if (depth < 64) {
                fixed[depth] = i;
            } else {
                spill.push_back(i);
            }
            ++depth;
            break;
        }
        ++i;
        while (depth != 0 && nodes[top()].b == i) {
            if (nodes[top()].kind == type::array) {
                w.end_array();
            } else {
                w.end_object();
            }
            if (depth > 64) spill.pop_back();
            --depth;
        }
        if (depth == 0 || i >= count) break;
        if (nodes[top()].kind == type::object) w.key(doc.text_of(nodes[i++]));
    }
}

} // namespace json

#endif // TRTC_DEFINITIONS

TRTC_END_NAMESPACE

#endif // TRTC_JSON_WRITER_HPP

#include <string>
#include <string_view>

TRTC_BEGIN_NAMESPACE

/// The built-in JSON policy: the strict reader and the compact writer of this library.
struct builtin_json {
    /// Parses `text` into `out` (cleared first). On failure `err` gives the byte offset and a
    /// short static message.
    static bool parse(std::string_view text, json::document& out, json::parse_error& err) noexcept {
        return json::parse(text, out, err);
    }
    /// Appends a complete document to `out` as compact JSON.
    static void serialize(const json::document& doc, std::string& out) {
        json::serialize(doc, out);
    }
};

TRTC_END_NAMESPACE

#endif // TRTC_JSON_HPP
/// @file
/// @brief UserSig (Tencent TLS signature v2): generate, decode and verify, and PrivateMapKey.
///
/// The signature is HMAC-SHA256 over a fixed five-line text; the JSON document that carries it
/// is compressed with zlib and base64-encoded with Tencent's URL-safe alphabet. Generation is
/// strict (it refuses inputs the service or other libraries would misread); decoding is
/// lenient (it accepts whatever any official library has produced).
#ifndef TRTC_USERSIG_HPP
#define TRTC_USERSIG_HPP

/// @file
/// @brief Base64 (RFC 4648 section 4) and Tencent's UserSig variant (`+` -> `*`, `/` -> `-`,
///        `=` -> `_`): table-driven encoding, and a decoder as lenient as Tencent's verifiers.
#ifndef TRTC_DETAIL_BASE64_HPP
#define TRTC_DETAIL_BASE64_HPP

#include <cstddef>
#include <string>
#include <string_view>

#if TRTC_DEFINITIONS
#    include <cstdint>
#endif

TRTC_BEGIN_NAMESPACE
namespace detail {

/// @brief The two output alphabets.
enum class base64_alphabet {
    standard, ///< RFC 4648 section 4: `A-Z a-z 0-9 + /`, padding `=`
    tencent,  ///< UserSig: as standard but `*` for `+`, `-` for `/` and `_` for `=`
};

/// @brief The encoded length of @p n bytes, padding included: 4 * ceil(n / 3).
constexpr std::size_t base64_encoded_size(std::size_t n) noexcept {
    return (n / 3 + (n % 3 != 0 ? 1 : 0)) * 4;
}

/// @brief An upper bound on the bytes decoded from @p n characters (exact for unpadded input).
constexpr std::size_t base64_decoded_max_size(std::size_t n) noexcept {
    return n / 4 * 3 + (n % 4 > 1 ? n % 4 - 1 : 0);
}

/// @brief Writes exactly base64_encoded_size(@p n) characters (padded, no terminator) for the
///        @p n bytes at @p data (which may be null when n is 0) to @p out.
TRTC_DECL void base64_encode(const void* data, std::size_t n, char* out,
                             base64_alphabet alphabet = base64_alphabet::standard) noexcept;

/// @brief Appends the padded encoding of @p data to @p out.
TRTC_DECL void base64_append(std::string& out, std::string_view data,
                             base64_alphabet alphabet = base64_alphabet::standard);

/// @brief The padded encoding of @p data.
TRTC_DECL std::string base64_encode(std::string_view data,
                                    base64_alphabet alphabet = base64_alphabet::standard);

/// @brief Decodes @p in into @p out, which must have room for
///        base64_decoded_max_size(in.size()) bytes, and sets @p out_size to the bytes written.
///
/// Accepts both alphabets in any mix (`+`/`*`, `/`/`-`, `=`/`_`), with or without padding, and
/// ignores nonzero unused bits in the last character. Rejects any other character (whitespace
/// included), a data length of 4k+1, padding anywhere but at the end, more than two padding
/// characters, and padding that does not make the length a multiple of 4.
/// @return false on malformed input (then @p out_size is 0 and @p out holds garbage).
TRTC_DECL bool base64_decode(std::string_view in, void* out, std::size_t& out_size) noexcept;

/// @brief Decodes @p in (rules as above) and replaces the contents of @p out with the bytes.
/// @return false on malformed input, leaving @p out empty.
TRTC_DECL bool base64_decode(std::string_view in, std::string& out);

#if TRTC_DEFINITIONS

/// @brief An encoding alphabet: 64 digits, then the padding character.
struct base64_encode_table {
    char digits[64]; ///< the character of each 6-bit value
    char pad;        ///< the padding character
};

/// @brief The RFC 4648 alphabet.
inline constexpr base64_encode_table base64_standard_table = {
    {'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L', 'M', 'N', 'O', 'P',
     'Q', 'R', 'S', 'T', 'U', 'V', 'W', 'X', 'Y', 'Z', 'a', 'b', 'c', 'd', 'e', 'f',
     'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', 'p', 'q', 'r', 's', 't', 'u', 'v',
     'w', 'x', 'y', 'z', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '+', '/'},
    '='};

/// @brief Tencent's UserSig alphabet.
inline constexpr base64_encode_table base64_tencent_table = {
    {'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L', 'M', 'N', 'O', 'P',
     'Q', 'R', 'S', 'T', 'U', 'V', 'W', 'X', 'Y', 'Z', 'a', 'b', 'c', 'd', 'e', 'f',
     'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', 'p', 'q', 'r', 's', 't', 'u', 'v',
     'w', 'x', 'y', 'z', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '-'},
    '_'};

/// @brief Decoding table: 0-63 for the digits of both alphabets, base64_pad_value for `=` and
///        `_`, 0xff for everything else.
struct base64_decode_table {
    unsigned char values[256]; ///< indexed by the character as unsigned char
};

/// @brief The decoding value given to the padding characters.
inline constexpr unsigned char base64_pad_value = 0x40;

/// @brief Builds the decoding table from both encoding alphabets.
constexpr base64_decode_table base64_make_decode_table() noexcept {
    base64_decode_table t{};
    for (unsigned char& v : t.values) v = 0xff;
    for (int i = 0; i < 64; ++i) {
        t.values[static_cast<unsigned char>(base64_standard_table.digits[i])] =
            static_cast<unsigned char>(i);
        t.values[static_cast<unsigned char>(base64_tencent_table.digits[i])] =
            static_cast<unsigned char>(i);
    }
    t.values[static_cast<unsigned char>(base64_standard_table.pad)] = base64_pad_value;
    t.values[static_cast<unsigned char>(base64_tencent_table.pad)] = base64_pad_value;
    return t;
}

/// @brief The decoding table shared by every decode.
inline constexpr base64_decode_table base64_decoding = base64_make_decode_table();

TRTC_DECL void base64_encode(const void* data, std::size_t n, char* out,
                             base64_alphabet alphabet) noexcept {
    const base64_encode_table& table =
        alphabet == base64_alphabet::tencent ? base64_tencent_table : base64_standard_table;
    const char* digits = table.digits;
    const unsigned char* p = static_cast<const unsigned char*>(data);
    for (; n >= 3; n -= 3, p += 3, out += 4) {
        const std::uint32_t v = (static_cast<std::uint32_t>(p[0]) << 16) |
                                (static_cast<std::uint32_t>(p[1]) << 8) | p[2];
        out[0] = digits[v >> 18];
        out[1] = digits[(v >> 12) & 63];
        out[2] = digits[(v >> 6) & 63];
        out[3] = digits[v & 63];
    }
    if (n == 0) return;
    const std::uint32_t v = (static_cast<std::uint32_t>(p[0]) << 16) |
                            (n == 2 ? static_cast<std::uint32_t>(p[1]) << 8 : 0U);
    out[0] = digits[v >> 18];
    out[1] = digits[(v >> 12) & 63];
    out[2] = n == 2 ? digits[(v >> 6) & 63] : table.pad;
    out[3] = table.pad;
}

TRTC_DECL void base64_append(std::string& out, std::string_view data, base64_alphabet alphabet) {
    const std::size_t old_size = out.size();
    out.resize(old_size + base64_encoded_size(data.size()));
    base64_encode(data.data(), data.size(), &out[old_size], alphabet);
}

TRTC_DECL std::string base64_encode(std::string_view data, base64_alphabet alphabet) {
    std::string out;
    base64_append(out, data, alphabet);
    return out;
}

TRTC_DECL bool base64_decode(std::string_view in, void* out, std::size_t& out_size) noexcept {
    out_size = 0;
    std::size_t n = in.size();
    const unsigned char* s = reinterpret_cast<const unsigned char*>(in.data());
    const unsigned char* table = base64_decoding.values;

    std::size_t pads = 0;
    while (pads < n && table[s[n - 1 - pads]] == base64_pad_value) ++pads;
    if (pads > 2 || (pads != 0 && n % 4 != 0)) return false;
    n -= pads;
    if (n % 4 == 1) return false;

    unsigned char* o = static_cast<unsigned char*>(out);
    unsigned int bad = 0; // ORs every digit value: bit 6 or 7 set means a non-digit
    for (std::size_t groups = n / 4; groups != 0; --groups, s += 4, o += 3) {
        const unsigned int a = table[s[0]], b = table[s[1]], c = table[s[2]], d = table[s[3]];
        bad |= a | b | c | d;
        const std::uint32_t v = (a << 18) | (b << 12) | (c << 6) | d;
        o[0] = static_cast<unsigned char>(v >> 16);
        o[1] = static_cast<unsigned char>(v >> 8);
        o[2] = static_cast<unsigned char>(v);
    }
    const std::size_t rest = n % 4;
    if (rest != 0) {
        const unsigned int a = table[s[0]], b = table[s[1]];
        const unsigned int c = rest == 3 ? table[s[2]] : 0U;
        bad |= a | b | c;
        const std::uint32_t v = (a << 18) | (b << 12) | (c << 6);
        o[0] = static_cast<unsigned char>(v >> 16);
        if (rest == 3) o[1] = static_cast<unsigned char>(v >> 8);
    }
    if ((bad & ~63U) != 0) return false;
    out_size = n / 4 * 3 + (rest != 0 ? rest - 1 : 0);
    return true;
}

TRTC_DECL bool base64_decode(std::string_view in, std::string& out) {
    out.resize(base64_decoded_max_size(in.size()));
    std::size_t size = 0;
    const bool ok = base64_decode(in, out.empty() ? nullptr : &out[0], size);
    out.resize(size);
    return ok;
}

#endif // TRTC_DEFINITIONS

} // namespace detail
TRTC_END_NAMESPACE

#endif // TRTC_DETAIL_BASE64_HPP
/// @file
/// @brief HMAC-SHA256 (RFC 2104) with a prekeyed context, constant-time comparison and
///        memory wiping.
#ifndef TRTC_DETAIL_HMAC_SHA256_HPP
#define TRTC_DETAIL_HMAC_SHA256_HPP

/// @file
/// @brief SHA-256 (FIPS 180-4): a portable core plus SHA-NI (x86-64) and ARMv8 crypto
///        (AArch64) block functions chosen once at run time.
///
/// Configuration: define `TRTC_NO_HARDWARE_SHA` to compile only the portable block function.
/// Define it (or not) consistently in every translation unit of a program.
#ifndef TRTC_DETAIL_SHA256_HPP
#define TRTC_DETAIL_SHA256_HPP

/// @file
/// @brief narrow<To>(v): a conversion between integer types that are the same type on some
/// platforms and not on others (std::uint64_t and std::size_t, std::size_t and zlib's uLong).
#ifndef TRTC_DETAIL_NARROW_HPP
#define TRTC_DETAIL_NARROW_HPP

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

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>

#if TRTC_DEFINITIONS
#    include <cstring>

// Hardware block functions need GCC/clang (target attributes, vector extensions) and a
// little-endian target. They are compiled with per-function target attributes, so no global -m
// flag is needed, and they only run after a CPU check says the instructions exist.
#    if !defined(TRTC_NO_HARDWARE_SHA) && (defined(__GNUC__) || defined(__clang__)) &&             \
        !defined(_MSC_VER)
#        if defined(__x86_64__)
#            define TRTC_DETAIL_SHA256_X86 1
#            include <cpuid.h>
#        elif defined(__aarch64__) && defined(__AARCH64EL__)
#            if defined(__ARM_FEATURE_SHA2) || defined(__ARM_FEATURE_CRYPTO)
// The compiler's target already guarantees the instructions: no run-time check needed.
#                define TRTC_DETAIL_SHA256_ARM 1
#            elif defined(__linux__)
#                define TRTC_DETAIL_SHA256_ARM 1
#                define TRTC_DETAIL_SHA256_ARM_GETAUXVAL 1
#                include <sys/auxv.h>
#                ifndef HWCAP_SHA2
#                    define HWCAP_SHA2 (1UL << 6)
#                endif
#            endif
#        endif
#    endif

#    if defined(TRTC_DETAIL_SHA256_X86) || defined(TRTC_DETAIL_SHA256_ARM)
#        define TRTC_DETAIL_SHA256_HW 1
#    endif

#    if defined(__GNUC__) || defined(__clang__)
#        define TRTC_DETAIL_SHA256_INLINE inline __attribute__((__always_inline__))
#    elif defined(_MSC_VER)
#        define TRTC_DETAIL_SHA256_INLINE __forceinline
#    else
#        define TRTC_DETAIL_SHA256_INLINE inline
#    endif
#endif // TRTC_DEFINITIONS

TRTC_BEGIN_NAMESPACE
namespace detail {

/// @brief The SHA-256 initial hash value H(0) (FIPS 180-4 section 5.3.3).
inline constexpr std::uint32_t sha256_iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                               0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

/// @brief Portable SHA-256 block function: absorbs @p nblocks consecutive 64-byte blocks.
/// @param state the eight chaining words H0..H7, updated in place.
/// @param blocks 64 * nblocks bytes, any alignment.
/// @param nblocks the number of blocks (0 is allowed).
TRTC_DECL void sha256_compress_portable(std::uint32_t state[8], const unsigned char* blocks,
                                        std::size_t nblocks) noexcept;

/// @brief The SHA-256 block function implementations.
enum class sha256_backend {
    portable,   ///< plain C++, every platform
    x86_shani,  ///< x86-64 SHA extensions (Intel Goldmont / Ice Lake and later, AMD Zen)
    arm_crypto, ///< ARMv8 cryptography extension (AArch64)
};

/// @brief True when @p backend is compiled in and this CPU can run it. Probes the CPU on every
///        call (CPUID or getauxval); the dispatcher itself probes only once.
TRTC_DECL bool sha256_backend_available(sha256_backend backend) noexcept;

/// @brief The signature shared by every SHA-256 block function.
using sha256_compress_fn = void (*)(std::uint32_t*, const unsigned char*, std::size_t) noexcept;

/// @brief The block function of @p backend, or the portable one when it is not compiled in.
///        Does not check the CPU.
TRTC_DECL sha256_compress_fn sha256_backend_function(sha256_backend backend) noexcept;

/// @brief The backend that sha256 objects use now (after the automatic choice or
///        sha256_force_backend()).
TRTC_DECL sha256_backend sha256_active_backend() noexcept;

/// @brief For tests and benchmarks only: makes every later SHA-256 in the process use
///        @p backend. Not synchronized with hashing running in other threads (each hash still
///        comes out right, whichever backend computes it).
/// @return false, with nothing changed, when @p backend is unavailable on this machine.
TRTC_DECL bool sha256_force_backend(sha256_backend backend) noexcept;

/// @brief Incremental SHA-256. Trivially copyable: copying an object snapshots the hash of the
///        bytes absorbed so far (HMAC keeps prekeyed copies this way). Handles messages up to
///        2^61 - 1 bytes.
class sha256 {
  public:
    /// Digest length in bytes.
    static constexpr std::size_t digest_size = 32;
    /// Block length in bytes.
    static constexpr std::size_t block_size = 64;
    /// The digest type.
    using digest = std::array<std::uint8_t, digest_size>;

    /// @brief Starts a new hash of the empty message.
    sha256() noexcept { reset(); }

    /// @brief Forgets all input: back to the hash of the empty message.
    void reset() noexcept;

    /// @brief Absorbs @p n bytes at @p data (may be null when n is 0).
    void update(const void* data, std::size_t n) noexcept;

    /// @brief Absorbs the bytes of @p data.
    void update(std::string_view data) noexcept { update(data.data(), data.size()); }

    /// @brief Writes the 32-byte digest to @p out, then resets (the object can be reused).
    void finish(unsigned char* out) noexcept;

    /// @brief Returns the digest, then resets (the object can be reused).
    digest finish() noexcept;

    /// @brief The number of bytes absorbed since the last reset.
    std::uint64_t size() const noexcept { return length_; }

    /// @brief One-shot SHA-256 of @p data.
    static digest hash(std::string_view data) noexcept { return hash(data.data(), data.size()); }

    /// @brief One-shot SHA-256 of @p n bytes at @p data.
    static digest hash(const void* data, std::size_t n) noexcept;

  private:
    std::uint32_t state_[8];
    std::uint64_t length_;
    unsigned char buffer_[block_size]; // the first length_ % 64 bytes are pending input
};

static_assert(std::is_trivially_copyable<sha256>::value,
              "trtc::detail::sha256 must stay trivially copyable (HMAC snapshots it)");

/// @brief A digest as 64 lower-case hex digits (the form of a webhook's Sign).
inline std::string sha256_hex(const sha256::digest& d) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(2 * d.size());
    for (std::uint8_t b : d) {
        out.push_back(hex[b >> 4]);
        out.push_back(hex[b & 15]);
    }
    return out;
}

#if TRTC_DEFINITIONS

/// @brief The SHA-256 round constants K[0..63] (FIPS 180-4 section 4.2.2).
alignas(64) inline constexpr std::uint32_t sha256_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

/// @brief Reads a big-endian 32-bit word (compilers turn this into one load and a byte swap).
TRTC_DETAIL_SHA256_INLINE std::uint32_t sha256_load_be32(const unsigned char* p) noexcept {
    return (static_cast<std::uint32_t>(p[0]) << 24) | (static_cast<std::uint32_t>(p[1]) << 16) |
           (static_cast<std::uint32_t>(p[2]) << 8) | static_cast<std::uint32_t>(p[3]);
}

/// @brief Writes a 32-bit word big-endian.
TRTC_DETAIL_SHA256_INLINE void sha256_store_be32(unsigned char* p, std::uint32_t v) noexcept {
    p[0] = static_cast<unsigned char>(v >> 24);
    p[1] = static_cast<unsigned char>(v >> 16);
    p[2] = static_cast<unsigned char>(v >> 8);
    p[3] = static_cast<unsigned char>(v);
}

/// @brief Rotates a 32-bit word right by n (0 < n < 32); compiles to one rotate instruction.
TRTC_DETAIL_SHA256_INLINE constexpr std::uint32_t sha256_rotr(std::uint32_t x, int n) noexcept {
    return (x >> n) | (x << (32 - n));
}

/// @brief One SHA-256 round. The caller rotates the roles of a..h instead of moving values:
///        only d and h change (d += T1, h = T1 + T2). @p kw is K[t] + W[t].
TRTC_DETAIL_SHA256_INLINE void sha256_round(std::uint32_t a, std::uint32_t b, std::uint32_t c,
                                            std::uint32_t& d, std::uint32_t e, std::uint32_t f,
                                            std::uint32_t g, std::uint32_t& h,
                                            std::uint32_t kw) noexcept {
    const std::uint32_t t1 = h + (sha256_rotr(e, 6) ^ sha256_rotr(e, 11) ^ sha256_rotr(e, 25)) +
                             (g ^ (e & (f ^ g))) + kw;
    const std::uint32_t t2 =
        (sha256_rotr(a, 2) ^ sha256_rotr(a, 13) ^ sha256_rotr(a, 22)) + ((a & b) | (c & (a | b)));
    d += t1;
    h = t1 + t2;
}

/// @brief Message schedule step on a rolling 16-word window: w[j] becomes W[t] for t = j + 16k.
TRTC_DETAIL_SHA256_INLINE std::uint32_t sha256_expand(std::uint32_t* w, int j) noexcept {
    const std::uint32_t w15 = w[(j + 1) & 15];
    const std::uint32_t w2 = w[(j + 14) & 15];
    const std::uint32_t s0 = sha256_rotr(w15, 7) ^ sha256_rotr(w15, 18) ^ (w15 >> 3);
    const std::uint32_t s1 = sha256_rotr(w2, 17) ^ sha256_rotr(w2, 19) ^ (w2 >> 10);
    w[j] += s0 + w[(j + 9) & 15] + s1;
    return w[j];
}

TRTC_DECL void sha256_compress_portable(std::uint32_t state[8], const unsigned char* blocks,
                                        std::size_t nblocks) noexcept {
    std::uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
    std::uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
    for (; nblocks != 0; --nblocks, blocks += 64) {
        std::uint32_t w[16];
        for (int i = 0; i < 16; ++i) w[i] = sha256_load_be32(blocks + 4 * i);
        const std::uint32_t* k = sha256_k;

        sha256_round(a, b, c, d, e, f, g, h, k[0] + w[0]);
        sha256_round(h, a, b, c, d, e, f, g, k[1] + w[1]);
        sha256_round(g, h, a, b, c, d, e, f, k[2] + w[2]);
        sha256_round(f, g, h, a, b, c, d, e, k[3] + w[3]);
        sha256_round(e, f, g, h, a, b, c, d, k[4] + w[4]);
        sha256_round(d, e, f, g, h, a, b, c, k[5] + w[5]);
        sha256_round(c, d, e, f, g, h, a, b, k[6] + w[6]);
        sha256_round(b, c, d, e, f, g, h, a, k[7] + w[7]);
        sha256_round(a, b, c, d, e, f, g, h, k[8] + w[8]);
        sha256_round(h, a, b, c, d, e, f, g, k[9] + w[9]);
        sha256_round(g, h, a, b, c, d, e, f, k[10] + w[10]);
        sha256_round(f, g, h, a, b, c, d, e, k[11] + w[11]);
        sha256_round(e, f, g, h, a, b, c, d, k[12] + w[12]);
        sha256_round(d, e, f, g, h, a, b, c, k[13] + w[13]);
        sha256_round(c, d, e, f, g, h, a, b, k[14] + w[14]);
        sha256_round(b, c, d, e, f, g, h, a, k[15] + w[15]);

        for (int t = 16; t < 64; t += 16) {
            k += 16;
            sha256_round(a, b, c, d, e, f, g, h, k[0] + sha256_expand(w, 0));
            sha256_round(h, a, b, c, d, e, f, g, k[1] + sha256_expand(w, 1));
            sha256_round(g, h, a, b, c, d, e, f, k[2] + sha256_expand(w, 2));
            sha256_round(f, g, h, a, b, c, d, e, k[3] + sha256_expand(w, 3));
            sha256_round(e, f, g, h, a, b, c, d, k[4] + sha256_expand(w, 4));
            sha256_round(d, e, f, g, h, a, b, c, k[5] + sha256_expand(w, 5));
            sha256_round(c, d, e, f, g, h, a, b, k[6] + sha256_expand(w, 6));
            sha256_round(b, c, d, e, f, g, h, a, k[7] + sha256_expand(w, 7));
            sha256_round(a, b, c, d, e, f, g, h, k[8] + sha256_expand(w, 8));
            sha256_round(h, a, b, c, d, e, f, g, k[9] + sha256_expand(w, 9));
            sha256_round(g, h, a, b, c, d, e, f, k[10] + sha256_expand(w, 10));
            sha256_round(f, g, h, a, b, c, d, e, k[11] + sha256_expand(w, 11));
            sha256_round(e, f, g, h, a, b, c, d, k[12] + sha256_expand(w, 12));
            sha256_round(d, e, f, g, h, a, b, c, k[13] + sha256_expand(w, 13));
            sha256_round(c, d, e, f, g, h, a, b, k[14] + sha256_expand(w, 14));
            sha256_round(b, c, d, e, f, g, h, a, k[15] + sha256_expand(w, 15));
        }

        a = state[0] += a;
        b = state[1] += b;
        c = state[2] += c;
        d = state[3] += d;
        e = state[4] += e;
        f = state[5] += f;
        g = state[6] += g;
        h = state[7] += h;
    }
}

#    if defined(TRTC_DETAIL_SHA256_X86)

// GNU vector types and the compiler's own builtins stand in for <immintrin.h>, which alone costs
// more compile time (about 0.6 s) than everything else this library includes.
typedef int sha256_x86_v4si __attribute__((__vector_size__(16)));
typedef unsigned int sha256_x86_v4su __attribute__((__vector_size__(16)));
typedef char sha256_x86_v16qi __attribute__((__vector_size__(16)));
typedef long long sha256_x86_v2di __attribute__((__vector_size__(16)));

#        define TRTC_DETAIL_SHA256_X86_FN                                                          \
            inline __attribute__((__always_inline__, __target__("sha,sse4.1")))

/// @brief 32-bit lane-wise wrapping addition (paddd).
TRTC_DETAIL_SHA256_X86_FN sha256_x86_v4si sha256_x86_add(sha256_x86_v4si a,
                                                         sha256_x86_v4si b) noexcept {
    return reinterpret_cast<sha256_x86_v4si>(reinterpret_cast<sha256_x86_v4su>(a) +
                                             reinterpret_cast<sha256_x86_v4su>(b));
}

/// @brief Loads 16 message bytes as four big-endian words (movdqu + pshufb).
TRTC_DETAIL_SHA256_X86_FN sha256_x86_v4si sha256_x86_load_be(const unsigned char* p) noexcept {
    const sha256_x86_v16qi swap = {3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12};
    sha256_x86_v16qi v;
    std::memcpy(&v, p, 16);
    return reinterpret_cast<sha256_x86_v4si>(__builtin_ia32_pshufb128(v, swap));
}

/// @brief Four rounds: W[4i..4i+3] + K[4i..4i+3], two sha256rnds2 (each does two rounds on
///        the low two words; pshufd moves the high two words down for the second).
TRTC_DETAIL_SHA256_X86_FN void sha256_x86_quad(sha256_x86_v4si& abef, sha256_x86_v4si& cdgh,
                                               sha256_x86_v4si w, int i) noexcept {
    sha256_x86_v4si k;
    std::memcpy(&k, sha256_k + 4 * i, 16);
    const sha256_x86_v4si wk = sha256_x86_add(w, k);
    cdgh = __builtin_ia32_sha256rnds2(cdgh, abef, wk);
    abef = __builtin_ia32_sha256rnds2(abef, cdgh, __builtin_ia32_pshufd(wk, 0x0e));
}

/// @brief Finishes W[t..t+3] = sha256msg2(x + W[t-7..t-4], W[t-4..t-1]), where @p x already
///        holds sha256msg1(W[t-16..t-13], W[t-12..t-9]), @p w8 = W[t-8..t-5], @p w4 = W[t-4..t-1].
TRTC_DETAIL_SHA256_X86_FN sha256_x86_v4si sha256_x86_next(sha256_x86_v4si x, sha256_x86_v4si w8,
                                                          sha256_x86_v4si w4) noexcept {
    // palignr: the words W[t-7..t-4] straddle w8 and w4. The builtin's signature differs.
#        if defined(__clang__)
    const sha256_x86_v4si w7 = reinterpret_cast<sha256_x86_v4si>(__builtin_ia32_palignr128(
        reinterpret_cast<sha256_x86_v16qi>(w4), reinterpret_cast<sha256_x86_v16qi>(w8), 4));
#        else
    const sha256_x86_v4si w7 = reinterpret_cast<sha256_x86_v4si>(__builtin_ia32_palignr128(
        reinterpret_cast<sha256_x86_v2di>(w4), reinterpret_cast<sha256_x86_v2di>(w8), 32));
#        endif
    return __builtin_ia32_sha256msg2(sha256_x86_add(x, w7), w4);
}

/// @brief SHA-256 block function using the x86 SHA extensions (SHA-NI). Same contract as
///        sha256_compress_portable(). Only call it when
///        sha256_backend_available(sha256_backend::x86_shani) is true.
inline __attribute__((__target__("sha,sse4.1"))) void
sha256_compress_x86_shani(std::uint32_t state[8], const unsigned char* blocks,
                          std::size_t nblocks) noexcept {
    // sha256rnds2 keeps the state as two vectors, ABEF and CDGH, A in the top lane.
    const std::uint32_t abef_words[4] = {state[5], state[4], state[1], state[0]};
    const std::uint32_t cdgh_words[4] = {state[7], state[6], state[3], state[2]};
    sha256_x86_v4si abef, cdgh;
    std::memcpy(&abef, abef_words, 16);
    std::memcpy(&cdgh, cdgh_words, 16);

    for (; nblocks != 0; --nblocks, blocks += 64) {
        const sha256_x86_v4si abef_in = abef, cdgh_in = cdgh;
        // m0..m3 is a rolling window over the 16 message-word quads W[0..3] .. W[60..63].
        sha256_x86_v4si m0 = sha256_x86_load_be(blocks);
        sha256_x86_v4si m1 = sha256_x86_load_be(blocks + 16);
        sha256_x86_v4si m2 = sha256_x86_load_be(blocks + 32);
        sha256_x86_v4si m3 = sha256_x86_load_be(blocks + 48);

        sha256_x86_quad(abef, cdgh, m0, 0);
        sha256_x86_quad(abef, cdgh, m1, 1);
        m0 = __builtin_ia32_sha256msg1(m0, m1);
        sha256_x86_quad(abef, cdgh, m2, 2);
        m1 = __builtin_ia32_sha256msg1(m1, m2);
        sha256_x86_quad(abef, cdgh, m3, 3);
        m0 = sha256_x86_next(m0, m2, m3);
        m2 = __builtin_ia32_sha256msg1(m2, m3);
        for (int i = 4; i < 12; i += 4) {
            sha256_x86_quad(abef, cdgh, m0, i);
            m1 = sha256_x86_next(m1, m3, m0);
            m3 = __builtin_ia32_sha256msg1(m3, m0);
            sha256_x86_quad(abef, cdgh, m1, i + 1);
            m2 = sha256_x86_next(m2, m0, m1);
            m0 = __builtin_ia32_sha256msg1(m0, m1);
            sha256_x86_quad(abef, cdgh, m2, i + 2);
            m3 = sha256_x86_next(m3, m1, m2);
            m1 = __builtin_ia32_sha256msg1(m1, m2);
            sha256_x86_quad(abef, cdgh, m3, i + 3);
            m0 = sha256_x86_next(m0, m2, m3);
            m2 = __builtin_ia32_sha256msg1(m2, m3);
        }
        sha256_x86_quad(abef, cdgh, m0, 12);
        m1 = sha256_x86_next(m1, m3, m0);
        m3 = __builtin_ia32_sha256msg1(m3, m0);
        sha256_x86_quad(abef, cdgh, m1, 13);
        m2 = sha256_x86_next(m2, m0, m1);
        sha256_x86_quad(abef, cdgh, m2, 14);
        m3 = sha256_x86_next(m3, m1, m2);
        sha256_x86_quad(abef, cdgh, m3, 15);

        abef = sha256_x86_add(abef, abef_in);
        cdgh = sha256_x86_add(cdgh, cdgh_in);
    }

    std::uint32_t out_abef[4], out_cdgh[4];
    std::memcpy(out_abef, &abef, 16);
    std::memcpy(out_cdgh, &cdgh, 16);
    state[0] = out_abef[3];
    state[1] = out_abef[2];
    state[2] = out_cdgh[3];
    state[3] = out_cdgh[2];
    state[4] = out_abef[1];
    state[5] = out_abef[0];
    state[6] = out_cdgh[1];
    state[7] = out_cdgh[0];
}

#        undef TRTC_DETAIL_SHA256_X86_FN

/// @brief True when the CPU has SHA-NI, SSSE3 and SSE4.1 (CPUID leaf 7 EBX bit 29,
///        leaf 1 ECX bits 9 and 19). Executes CPUID: call it rarely (it traps in a VM).
inline bool sha256_cpu_has_x86_shani() noexcept {
    unsigned int eax = 0, ebx = 0, ecx = 0, edx = 0;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return false;
    const bool ssse3 = ((ecx >> 9) & 1U) != 0;
    const bool sse41 = ((ecx >> 19) & 1U) != 0;
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return false;
    const bool sha = ((ebx >> 29) & 1U) != 0;
    return ssse3 && sse41 && sha;
}

#    endif // TRTC_DETAIL_SHA256_X86

#    if defined(TRTC_DETAIL_SHA256_ARM)

// Inline assembly on GNU vector types instead of <arm_neon.h>: that header costs about 0.5 s
// per translation unit, and clang before 16 hides its SHA-2 intrinsics unless the whole TU is
// built with +crypto. The target attribute makes the assembler accept the SHA-2 instructions.
typedef unsigned int sha256_arm_v4su __attribute__((__vector_size__(16)));

#        if defined(__clang__)
#            define TRTC_DETAIL_SHA256_ARM_TARGET __target__("crypto")
#        else
#            define TRTC_DETAIL_SHA256_ARM_TARGET __target__("+crypto")
#        endif
#        define TRTC_DETAIL_SHA256_ARM_FN                                                          \
            inline __attribute__((__always_inline__, TRTC_DETAIL_SHA256_ARM_TARGET))

/// @brief Loads 16 message bytes as four big-endian words (ld1 + rev32).
TRTC_DETAIL_SHA256_ARM_FN sha256_arm_v4su sha256_arm_load_be(const unsigned char* p) noexcept {
    sha256_arm_v4su v, r;
    std::memcpy(&v, p, 16);
    __asm__("rev32 %0.16b, %1.16b" : "=w"(r) : "w"(v));
    return r;
}

/// @brief Four rounds with W[4i..4i+3] (sha256h / sha256h2).
TRTC_DETAIL_SHA256_ARM_FN void sha256_arm_quad(sha256_arm_v4su& abcd, sha256_arm_v4su& efgh,
                                               sha256_arm_v4su w, int i) noexcept {
    sha256_arm_v4su k;
    std::memcpy(&k, sha256_k + 4 * i, 16);
    const sha256_arm_v4su wk = w + k;
    const sha256_arm_v4su abcd_in = abcd;
    __asm__("sha256h %q0, %q1, %2.4s" : "+w"(abcd) : "w"(efgh), "w"(wk));
    __asm__("sha256h2 %q0, %q1, %2.4s" : "+w"(efgh) : "w"(abcd_in), "w"(wk));
}

/// @brief Computes W[t..t+3] from W[t-16..t-13] (@p w16), W[t-12..t-9], W[t-8..t-5] and
///        W[t-4..t-1] (sha256su0 + sha256su1).
TRTC_DETAIL_SHA256_ARM_FN sha256_arm_v4su sha256_arm_next(sha256_arm_v4su w16, sha256_arm_v4su w12,
                                                          sha256_arm_v4su w8,
                                                          sha256_arm_v4su w4) noexcept {
    __asm__("sha256su0 %0.4s, %1.4s" : "+w"(w16) : "w"(w12));
    __asm__("sha256su1 %0.4s, %1.4s, %2.4s" : "+w"(w16) : "w"(w8), "w"(w4));
    return w16;
}

/// @brief SHA-256 block function using the ARMv8 cryptography extension. Same contract as
///        sha256_compress_portable(). Only call it when
///        sha256_backend_available(sha256_backend::arm_crypto) is true.
inline __attribute__((TRTC_DETAIL_SHA256_ARM_TARGET)) void
sha256_compress_arm_crypto(std::uint32_t state[8], const unsigned char* blocks,
                           std::size_t nblocks) noexcept {
    sha256_arm_v4su abcd, efgh;
    std::memcpy(&abcd, state, 16);
    std::memcpy(&efgh, state + 4, 16);
    for (; nblocks != 0; --nblocks, blocks += 64) {
        const sha256_arm_v4su abcd_in = abcd, efgh_in = efgh;
        sha256_arm_v4su m0 = sha256_arm_load_be(blocks);
        sha256_arm_v4su m1 = sha256_arm_load_be(blocks + 16);
        sha256_arm_v4su m2 = sha256_arm_load_be(blocks + 32);
        sha256_arm_v4su m3 = sha256_arm_load_be(blocks + 48);
        for (int i = 0; i < 12; i += 4) {
            sha256_arm_quad(abcd, efgh, m0, i);
            m0 = sha256_arm_next(m0, m1, m2, m3);
            sha256_arm_quad(abcd, efgh, m1, i + 1);
            m1 = sha256_arm_next(m1, m2, m3, m0);
            sha256_arm_quad(abcd, efgh, m2, i + 2);
            m2 = sha256_arm_next(m2, m3, m0, m1);
            sha256_arm_quad(abcd, efgh, m3, i + 3);
            m3 = sha256_arm_next(m3, m0, m1, m2);
        }
        sha256_arm_quad(abcd, efgh, m0, 12);
        sha256_arm_quad(abcd, efgh, m1, 13);
        sha256_arm_quad(abcd, efgh, m2, 14);
        sha256_arm_quad(abcd, efgh, m3, 15);
        abcd += abcd_in;
        efgh += efgh_in;
    }
    std::memcpy(state, &abcd, 16);
    std::memcpy(state + 4, &efgh, 16);
}

#        undef TRTC_DETAIL_SHA256_ARM_FN
#        undef TRTC_DETAIL_SHA256_ARM_TARGET

/// @brief True when the CPU has the ARMv8 SHA-2 instructions.
inline bool sha256_cpu_has_arm_sha2() noexcept {
#        if defined(TRTC_DETAIL_SHA256_ARM_GETAUXVAL)
    return (getauxval(AT_HWCAP) & HWCAP_SHA2) != 0;
#        else
    return true; // guaranteed by the compilation target (__ARM_FEATURE_SHA2)
#        endif
}

#    endif // TRTC_DETAIL_SHA256_ARM

TRTC_DECL bool sha256_backend_available(sha256_backend backend) noexcept {
    switch (backend) {
    case sha256_backend::portable:
        return true;
    case sha256_backend::x86_shani:
#    if defined(TRTC_DETAIL_SHA256_X86)
        return sha256_cpu_has_x86_shani();
#    else
        return false;
#    endif
    case sha256_backend::arm_crypto:
#    if defined(TRTC_DETAIL_SHA256_ARM)
        return sha256_cpu_has_arm_sha2();
#    else
        return false;
#    endif
    }
    return false;
}

TRTC_DECL sha256_compress_fn sha256_backend_function(sha256_backend backend) noexcept {
#    if defined(TRTC_DETAIL_SHA256_X86)
    if (backend == sha256_backend::x86_shani) return &sha256_compress_x86_shani;
#    endif
#    if defined(TRTC_DETAIL_SHA256_ARM)
    if (backend == sha256_backend::arm_crypto) return &sha256_compress_arm_crypto;
#    endif
    static_cast<void>(backend);
    return &sha256_compress_portable;
}

#    if defined(TRTC_DETAIL_SHA256_HW)

/// @brief The fastest backend this CPU can run.
inline sha256_backend sha256_detect_backend() noexcept {
    if (sha256_backend_available(sha256_backend::x86_shani)) return sha256_backend::x86_shani;
    if (sha256_backend_available(sha256_backend::arm_crypto)) return sha256_backend::arm_crypto;
    return sha256_backend::portable;
}

inline void sha256_compress_first_call(std::uint32_t state[8], const unsigned char* blocks,
                                       std::size_t nblocks) noexcept;

/// @brief The dispatch slot. It starts (constant-initialized, so usable during static
///        initialization) at a resolver that probes the CPU, stores the chosen function and
///        forwards to it. Accessed with relaxed atomics: racing first calls store the same value.
inline sha256_compress_fn sha256_compress_slot = &sha256_compress_first_call;

/// @brief Resolves the dispatch slot on first use, then runs the chosen block function.
inline void sha256_compress_first_call(std::uint32_t state[8], const unsigned char* blocks,
                                       std::size_t nblocks) noexcept {
    const sha256_compress_fn fn = sha256_backend_function(sha256_detect_backend());
    __atomic_store_n(&sha256_compress_slot, fn, __ATOMIC_RELAXED);
    fn(state, blocks, nblocks);
}

/// @brief The current block function, resolving it first if needed.
inline sha256_compress_fn sha256_current_function() noexcept {
    sha256_compress_fn fn = __atomic_load_n(&sha256_compress_slot, __ATOMIC_RELAXED);
    if (fn == &sha256_compress_first_call) {
        fn = sha256_backend_function(sha256_detect_backend());
        __atomic_store_n(&sha256_compress_slot, fn, __ATOMIC_RELAXED);
    }
    return fn;
}

#    endif // TRTC_DETAIL_SHA256_HW

/// @brief Absorbs @p nblocks 64-byte blocks with the active backend.
TRTC_DETAIL_SHA256_INLINE void sha256_compress(std::uint32_t state[8], const unsigned char* blocks,
                                               std::size_t nblocks) noexcept {
#    if defined(TRTC_DETAIL_SHA256_HW)
    __atomic_load_n(&sha256_compress_slot, __ATOMIC_RELAXED)(state, blocks, nblocks);
#    else
    sha256_compress_portable(state, blocks, nblocks);
#    endif
}

TRTC_DECL sha256_backend sha256_active_backend() noexcept {
#    if defined(TRTC_DETAIL_SHA256_HW)
    const sha256_compress_fn fn = sha256_current_function();
#        if defined(TRTC_DETAIL_SHA256_X86)
    if (fn == &sha256_compress_x86_shani) return sha256_backend::x86_shani;
#        endif
#        if defined(TRTC_DETAIL_SHA256_ARM)
    if (fn == &sha256_compress_arm_crypto) return sha256_backend::arm_crypto;
#        endif
#    endif
    return sha256_backend::portable;
}

TRTC_DECL bool sha256_force_backend(sha256_backend backend) noexcept {
    if (!sha256_backend_available(backend)) return false;
#    if defined(TRTC_DETAIL_SHA256_HW)
    __atomic_store_n(&sha256_compress_slot, sha256_backend_function(backend), __ATOMIC_RELAXED);
#    endif
    return true;
}

TRTC_DECL void sha256::reset() noexcept {
    std::memcpy(state_, sha256_iv, sizeof state_);
    length_ = 0;
}

TRTC_DECL void sha256::update(const void* data, std::size_t n) noexcept {
    if (n == 0) return;
    const unsigned char* p = static_cast<const unsigned char*>(data);
    const auto used = narrow<std::size_t>(length_ & (block_size - 1));
    length_ += n;
    if (used != 0) {
        const std::size_t room = block_size - used;
        if (n < room) {
            std::memcpy(buffer_ + used, p, n);
            return;
        }
        std::memcpy(buffer_ + used, p, room);
        sha256_compress(state_, buffer_, 1);
        p += room;
        n -= room;
    }
    if (n >= block_size) {
        const std::size_t blocks = n / block_size;
        sha256_compress(state_, p, blocks);
        p += blocks * block_size;
        n -= blocks * block_size;
    }
    if (n != 0) std::memcpy(buffer_, p, n);
}

TRTC_DECL void sha256::finish(unsigned char* out) noexcept {
    auto used = narrow<std::size_t>(length_ & (block_size - 1));
    const std::uint64_t bits = length_ << 3;
    buffer_[used++] = 0x80;
    if (used > block_size - 8) {
        std::memset(buffer_ + used, 0, block_size - used);
        sha256_compress(state_, buffer_, 1);
        used = 0;
    }
    std::memset(buffer_ + used, 0, block_size - 8 - used);
    sha256_store_be32(buffer_ + 56, static_cast<std::uint32_t>(bits >> 32));
    sha256_store_be32(buffer_ + 60, static_cast<std::uint32_t>(bits));
    sha256_compress(state_, buffer_, 1);
    for (int i = 0; i < 8; ++i) sha256_store_be32(out + 4 * i, state_[i]);
    reset();
}

TRTC_DECL sha256::digest sha256::finish() noexcept {
    digest out;
    finish(out.data());
    return out;
}

TRTC_DECL sha256::digest sha256::hash(const void* data, std::size_t n) noexcept {
    sha256 h;
    h.update(data, n);
    return h.finish();
}

#endif // TRTC_DEFINITIONS

} // namespace detail
TRTC_END_NAMESPACE

#undef TRTC_DETAIL_SHA256_INLINE

#endif // TRTC_DETAIL_SHA256_HPP

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#if TRTC_DEFINITIONS
#    include <cstring>
#endif

TRTC_BEGIN_NAMESPACE
namespace detail {

/// @brief Overwrites @p n bytes at @p p with zeros in a way the optimizer may not remove
///        (each store goes through a volatile pointer, then a compiler barrier).
TRTC_DECL void secure_wipe(void* p, std::size_t n) noexcept;

/// @brief Compares @p n bytes at @p a and @p b in time that depends only on @p n.
/// @return true when they are equal (also when n is 0).
TRTC_DECL bool constant_time_equal(const void* a, const void* b, std::size_t n) noexcept;

/// @brief Compares two strings without an early exit over their contents. Different lengths
///        return false at once: the length is not treated as secret.
TRTC_DECL bool constant_time_equal(std::string_view a, std::string_view b) noexcept;

/// @brief Prekeyed HMAC-SHA256. The constructor absorbs the padded key into an inner and an
///        outer SHA-256 context once; each mac() then costs only the message blocks plus two
///        finishing blocks. Copyable; mac() is const, so one object may serve several threads.
///        The destructor wipes the key-derived state.
class hmac_sha256 {
  public:
    /// The MAC length in bytes.
    static constexpr std::size_t mac_size = sha256::digest_size;
    /// The MAC type.
    using mac_type = std::array<std::uint8_t, mac_size>;

    /// @brief Keys the object with the bytes of @p key, which may have any length (keys longer
    ///        than 64 bytes are replaced by their SHA-256, as RFC 2104 says).
    explicit hmac_sha256(std::string_view key) noexcept { set_key(key.data(), key.size()); }

    /// @brief Keys the object with @p n bytes at @p key.
    hmac_sha256(const void* key, std::size_t n) noexcept { set_key(key, n); }

    /// @brief Copies the prekeyed state.
    hmac_sha256(const hmac_sha256&) noexcept = default;

    /// @brief Replaces the prekeyed state.
    hmac_sha256& operator=(const hmac_sha256&) noexcept = default;

    /// @brief Wipes the key-derived state.
    ~hmac_sha256();

    /// @brief HMAC-SHA256 of @p n bytes at @p data (may be null when n is 0).
    mac_type mac(const void* data, std::size_t n) const noexcept;

    /// @brief HMAC-SHA256 of the bytes of @p data.
    mac_type mac(std::string_view data) const noexcept { return mac(data.data(), data.size()); }

    /// @brief Writes the 32-byte HMAC-SHA256 of @p n bytes at @p data to @p out.
    void mac(const void* data, std::size_t n, unsigned char* out) const noexcept;

    /// @brief Checks @p n_expected bytes at @p expected against the MAC of @p data in constant
    ///        time. A shorter expected value checks a truncated MAC (RFC 2104 section 5); lengths
    ///        0 and over 32 are rejected.
    bool verify_mac(std::string_view data, const void* expected,
                    std::size_t n_expected) const noexcept;

    /// @brief One-shot HMAC-SHA256 of @p data under @p key.
    static mac_type compute(std::string_view key, std::string_view data) noexcept {
        return hmac_sha256(key).mac(data);
    }

  private:
    /// @brief Absorbs the padded key (hashed first when longer than a block) into the inner
    ///        and outer contexts, then wipes the temporary copies.
    void set_key(const void* key, std::size_t n) noexcept;

    sha256 inner_; // SHA-256 after absorbing key ^ ipad
    sha256 outer_; // SHA-256 after absorbing key ^ opad
};

#if TRTC_DEFINITIONS

TRTC_DECL void secure_wipe(void* p, std::size_t n) noexcept {
    if (n == 0) return;
#    if defined(__GNUC__) || defined(__clang__)
    // memset at its full speed; the empty asm that may read all memory through `p` keeps the
    // compiler from dropping the stores as dead.
    std::memset(p, 0, n);
    __asm__ __volatile__("" : : "r"(p) : "memory");
#    else
    volatile unsigned char* v = static_cast<volatile unsigned char*>(p);
    for (std::size_t i = 0; i < n; ++i) v[i] = 0;
#    endif
}

TRTC_DECL bool constant_time_equal(const void* a, const void* b, std::size_t n) noexcept {
    const volatile unsigned char* x = static_cast<const volatile unsigned char*>(a);
    const volatile unsigned char* y = static_cast<const volatile unsigned char*>(b);
    unsigned int diff = 0;
    for (std::size_t i = 0; i < n; ++i) diff |= static_cast<unsigned int>(x[i] ^ y[i]);
    return diff == 0;
}

TRTC_DECL bool constant_time_equal(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    return constant_time_equal(a.data(), b.data(), a.size());
}

TRTC_DECL hmac_sha256::~hmac_sha256() {
    secure_wipe(&inner_, sizeof inner_);
    secure_wipe(&outer_, sizeof outer_);
}

TRTC_DECL hmac_sha256::mac_type hmac_sha256::mac(const void* data, std::size_t n) const noexcept {
    mac_type out;
    mac(data, n, out.data());
    return out;
}

TRTC_DECL void hmac_sha256::mac(const void* data, std::size_t n,
                                unsigned char* out) const noexcept {
    sha256 h = inner_;
    h.update(data, n);
    unsigned char inner_digest[sha256::digest_size];
    h.finish(inner_digest);
    h = outer_;
    h.update(inner_digest, sizeof inner_digest);
    h.finish(out);
}

TRTC_DECL bool hmac_sha256::verify_mac(std::string_view data, const void* expected,
                                       std::size_t n_expected) const noexcept {
    if (n_expected == 0 || n_expected > mac_size) return false;
    unsigned char full[mac_size];
    mac(data.data(), data.size(), full);
    const bool ok = constant_time_equal(full, expected, n_expected);
    secure_wipe(full, sizeof full);
    return ok;
}

TRTC_DECL void hmac_sha256::set_key(const void* key, std::size_t n) noexcept {
    unsigned char block[sha256::block_size] = {};
    if (n > sha256::block_size) {
        sha256 kh;
        kh.update(key, n);
        kh.finish(block);
        secure_wipe(&kh, sizeof kh); // its buffer still holds the key's last bytes
    } else if (n != 0) {
        std::memcpy(block, key, n);
    }
    for (unsigned char& c : block) c = static_cast<unsigned char>(c ^ 0x36U);
    inner_.update(block, sizeof block);
    for (unsigned char& c : block) c = static_cast<unsigned char>(c ^ (0x36U ^ 0x5cU));
    outer_.update(block, sizeof block);
    secure_wipe(block, sizeof block);
}

#endif // TRTC_DEFINITIONS

} // namespace detail
TRTC_END_NAMESPACE

#endif // TRTC_DETAIL_HMAC_SHA256_HPP
/// @file
/// @brief Dependency-free zlib: Adler-32, a stored (level 0) writer and a hardened inflater.
///
/// The writer emits RFC 1950 streams made of RFC 1951 stored blocks, which every zlib decoder
/// accepts (a UserSig needs nothing more). The inflater decodes any RFC 1950 / RFC 1951 stream
/// (stored, fixed and dynamic Huffman blocks), validates it the way zlib does and never writes
/// more than the caller's output limit.
#ifndef TRTC_DETAIL_ZLIB_HPP
#define TRTC_DETAIL_ZLIB_HPP

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#if TRTC_DEFINITIONS
#    include <cstring>
#endif

TRTC_BEGIN_NAMESPACE
namespace detail {

// ---------------------------------------------------------------------------------------------
// Adler-32 (RFC 1950 section 8.2)

/// Updates the Adler-32 checksum `adler` (start with 1) with `n` bytes at `data`.
/// The sums are reduced once per 5552 bytes, the most that cannot overflow 32 bits.
TRTC_DECL std::uint32_t adler32(std::uint32_t adler, const void* data, std::size_t n) noexcept;

// ---------------------------------------------------------------------------------------------
// Stored (level 0) zlib writer

/// Exact size of the stored zlib stream of `n` bytes: the 2-byte header, 5 bytes per stored
/// block of at most 65535 bytes (at least one block, even for empty input), the data and the
/// 4-byte Adler-32.
constexpr std::size_t zlib_stored_size(std::size_t n) noexcept {
    return 2 + 5 * (n == 0 ? 1 : n / 65535 + (n % 65535 != 0 ? 1 : 0)) + n + 4;
}

/// Writes the stored zlib stream of `n` bytes at `data` to `out`, which must have room for
/// exactly zlib_stored_size(n) bytes. The header is `78 01` (deflate, 32 KiB window, FLEVEL 0).
TRTC_DECL void zlib_stored_write(const void* data, std::size_t n, unsigned char* out) noexcept;

/// Appends the stored zlib stream of `data` to `out`.
TRTC_DECL void zlib_stored_append(std::string& out, std::string_view data);

// ---------------------------------------------------------------------------------------------
// Inflater (RFC 1950 + RFC 1951)

/// Outcome of zlib_inflate() and raw_inflate().
enum class inflate_status {
    ok,                ///< a complete, valid stream was decoded
    truncated,         ///< the input ended before the stream did
    bad_header,        ///< zlib header: FCHECK wrong, CM not 8 (deflate) or CINFO above 7
    preset_dictionary, ///< zlib header: FDICT set (preset dictionaries are not supported)
    bad_block_type,    ///< block type 3 (reserved)
    bad_stored_length, ///< stored block: NLEN is not the one's complement of LEN
    bad_code_lengths,  ///< dynamic block header: invalid HLIT/HDIST, code lengths or codes
    bad_huffman_code,  ///< a literal/length code that is unused or invalid (286, 287)
    bad_distance,      ///< a distance code that is unused or invalid (30, 31), or too far back
    bad_checksum,      ///< the Adler-32 of the output does not match the stream's
    trailing_data,     ///< bytes follow the Adler-32
    output_limit,      ///< the output would be longer than the caller's limit
};

/// A short English description of `status`, for logs and error messages.
TRTC_DECL const char* to_string(inflate_status status) noexcept;

/// Inflates the raw deflate (RFC 1951) data at the start of `in` into `out` (replaced). Writes
/// at most `max_output` bytes and returns output_limit if the data would inflate to more.
/// Bytes after the final block are not examined; if `consumed` is not null it receives the
/// number of input bytes used (the final block's last, partly used byte included). On failure
/// `out` holds what was decoded before the error was found.
TRTC_DECL inflate_status raw_inflate(std::string_view in, std::string& out, std::size_t max_output,
                                     std::size_t* consumed) noexcept;

/// Inflates the zlib (RFC 1950) stream `in` into `out` (replaced). Writes at most `max_output`
/// bytes and returns output_limit if the stream would inflate to more. The whole of `in` must
/// be one stream: its header is checked (CM 8, CINFO <= 7, FCHECK, no FDICT), then the deflate
/// data, then the Adler-32; any byte after it gives trailing_data. On failure `out` holds what
/// was decoded before the error was found. The output buffer is allocated in steps of at most
/// `max_output` bytes; as the function is noexcept, running out of memory terminates.
TRTC_DECL inflate_status zlib_inflate(std::string_view in, std::string& out,
                                      std::size_t max_output) noexcept;

} // namespace detail

#if TRTC_DEFINITIONS

namespace detail {

TRTC_DECL std::uint32_t adler32(std::uint32_t adler, const void* data, std::size_t n) noexcept {
    constexpr std::uint32_t base = 65521u;
    constexpr std::size_t nmax = 5552; // largest n with 255n(n+1)/2 + (n+1)(base-1) < 2^32
    const auto* p = static_cast<const unsigned char*>(data);
    std::uint32_t a = adler & 0xffffu;
    std::uint32_t b = adler >> 16;
    while (n != 0) {
        std::size_t chunk = n < nmax ? n : nmax;
        n -= chunk;
        for (; chunk >= 16; chunk -= 16, p += 16) {
            a += p[0];
            b += a;
            a += p[1];
            b += a;
            a += p[2];
            b += a;
            a += p[3];
            b += a;
            a += p[4];
            b += a;
            a += p[5];
            b += a;
            a += p[6];
            b += a;
            a += p[7];
            b += a;
            a += p[8];
            b += a;
            a += p[9];
            b += a;
            a += p[10];
            b += a;
            a += p[11];
            b += a;
            a += p[12];
            b += a;
            a += p[13];
            b += a;
            a += p[14];
            b += a;
            a += p[15];
            b += a;
        }
        for (; chunk != 0; --chunk) {
            a += *p++;
            b += a;
        }
        a %= base;
        b %= base;
    }
    return (b << 16) | a;
}

TRTC_DECL void zlib_stored_write(const void* data, std::size_t n, unsigned char* out) noexcept {
    const auto* p = static_cast<const unsigned char*>(data);
    out[0] = 0x78;
    out[1] = 0x01;
    out += 2;
    std::size_t left = n;
    do {
        const std::size_t len = left < 65535 ? left : 65535;
        left -= len;
        const auto nlen = static_cast<unsigned>(~len & 0xffffu);
        out[0] = left == 0 ? 1 : 0; // BFINAL on the last block, BTYPE 00 (stored)
        out[1] = static_cast<unsigned char>(len & 0xffu);
        out[2] = static_cast<unsigned char>(len >> 8);
        out[3] = static_cast<unsigned char>(nlen & 0xffu);
        out[4] = static_cast<unsigned char>(nlen >> 8);
        out += 5;
        if (len != 0) std::memcpy(out, p, len);
        out += len;
        p += len;
    } while (left != 0);
    const std::uint32_t check = adler32(1, data, n);
    out[0] = static_cast<unsigned char>(check >> 24);
    out[1] = static_cast<unsigned char>(check >> 16);
    out[2] = static_cast<unsigned char>(check >> 8);
    out[3] = static_cast<unsigned char>(check);
}

TRTC_DECL void zlib_stored_append(std::string& out, std::string_view data) {
    const std::size_t old = out.size();
    out.resize(old + zlib_stored_size(data.size()));
    zlib_stored_write(data.data(), data.size(), reinterpret_cast<unsigned char*>(&out[old]));
}

TRTC_DECL const char* to_string(inflate_status status) noexcept {
    switch (status) {
    case inflate_status::ok:
        return "ok";
    case inflate_status::truncated:
        return "truncated zlib stream";
    case inflate_status::bad_header:
        return "invalid zlib header";
    case inflate_status::preset_dictionary:
        return "zlib stream needs a preset dictionary";
    case inflate_status::bad_block_type:
        return "invalid deflate block type";
    case inflate_status::bad_stored_length:
        return "invalid stored block length";
    case inflate_status::bad_code_lengths:
        return "invalid dynamic Huffman code lengths";
    case inflate_status::bad_huffman_code:
        return "invalid literal/length code";
    case inflate_status::bad_distance:
        return "invalid distance code or distance too far back";
    case inflate_status::bad_checksum:
        return "Adler-32 checksum mismatch";
    case inflate_status::trailing_data:
        return "data after the end of the zlib stream";
    case inflate_status::output_limit:
        return "inflated data exceeds the output limit";
    }
    return "unknown inflate status";
}

namespace zlib_impl {

// Decoding tables hold 32-bit entries:
//   bits 0-4   number of bits the entry consumes (the full code length; for a link, unused)
//   bits 5-7   kind (below)
//   bits 8-11  extra bits to read after the code (for a link: the sub-table's index bits)
//   bits 16-31 literal byte, precode symbol, base length, base distance or sub-table offset
// A first-level table is indexed by the next `root` input bits. Codes longer than `root` bits
// go through a link to a second-level table indexed by the bits after those.
enum : std::uint32_t {
    kind_literal = 0, // a literal byte (or a precode symbol)
    kind_base = 1,    // a length or distance: value is the base, plus `extra` bits
    kind_end = 2,     // end of block
    kind_link = 3,    // go to the sub-table at `value`
    kind_invalid = 4, // an unused or invalid code
};

constexpr unsigned litlen_root = 10;
constexpr unsigned dist_root = 8;
constexpr unsigned precode_root = 7;
// Largest table any valid code can need, from zlib's examples/enough.c:
// "enough 288 10 15" and "enough 32 8 15".
constexpr std::size_t litlen_enough = 1334;
constexpr std::size_t dist_enough = 402;
constexpr std::size_t precode_size = std::size_t{1} << precode_root;

/// Packs a table entry.
constexpr std::uint32_t make_entry(std::uint32_t bits, std::uint32_t kind, std::uint32_t extra,
                                   std::uint32_t value) noexcept {
    return bits | kind << 5 | extra << 8 | value << 16;
}
/// Bits consumed by a table entry.
constexpr unsigned entry_bits(std::uint32_t e) noexcept {
    return e & 31u;
}
/// Kind of a table entry.
constexpr unsigned entry_kind(std::uint32_t e) noexcept {
    return (e >> 5) & 7u;
}
/// Extra bits (or sub-table bits) of a table entry.
constexpr unsigned entry_extra(std::uint32_t e) noexcept {
    return (e >> 8) & 15u;
}
/// Value of a table entry.
constexpr unsigned entry_value(std::uint32_t e) noexcept {
    return e >> 16;
}

/// The alphabet a table decodes, which decides what its symbols mean.
enum class alphabet { precode, litlen, dist };

/// Base lengths of the length symbols 257..285.
inline constexpr std::uint16_t length_base[29] = {3,  4,  5,  6,   7,   8,   9,   10,  11, 13,
                                                  15, 17, 19, 23,  27,  31,  35,  43,  51, 59,
                                                  67, 83, 99, 115, 131, 163, 195, 227, 258};
/// Extra bits of the length symbols 257..285.
inline constexpr std::uint8_t length_extra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                                  2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
/// Base distances of the distance symbols 0..29.
inline constexpr std::uint16_t dist_base[30] = {
    1,   2,   3,   4,   5,   7,    9,    13,   17,   25,   33,   49,   65,    97,    129,
    193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
/// Extra bits of the distance symbols 0..29.
inline constexpr std::uint8_t dist_extra[30] = {0, 0, 0,  0,  1,  1,  2,  2,  3,  3,
                                                4, 4, 5,  5,  6,  6,  7,  7,  8,  8,
                                                9, 9, 10, 10, 11, 11, 12, 12, 13, 13};
/// Order in which the code length code lengths are stored (RFC 1951 section 3.2.7).
inline constexpr std::uint8_t precode_order[19] = {16, 17, 18, 0, 8,  7, 9,  6, 10, 5,
                                                   11, 4,  12, 3, 13, 2, 14, 1, 15};

/// The table entry for symbol `sym` of alphabet `a`, coded with `bits` bits.
inline std::uint32_t symbol_entry(alphabet a, unsigned sym, unsigned bits) noexcept {
    if (a == alphabet::precode) return make_entry(bits, kind_literal, 0, sym);
    if (a == alphabet::litlen) {
        if (sym < 256) return make_entry(bits, kind_literal, 0, sym);
        if (sym == 256) return make_entry(bits, kind_end, 0, 0);
        if (sym < 286)
            return make_entry(bits, kind_base, length_extra[sym - 257], length_base[sym - 257]);
        return make_entry(bits, kind_invalid, 0, 0); // 286, 287: only in the fixed code
    }
    if (sym < 30) return make_entry(bits, kind_base, dist_extra[sym], dist_base[sym]);
    return make_entry(bits, kind_invalid, 0, 0); // 30, 31: only in the fixed code
}

/// Reverses the low `n` bits of `code` (deflate sends Huffman codes most significant bit
/// first, but the bit reader delivers bits least significant first).
inline unsigned reverse_bits(unsigned code, unsigned n) noexcept {
    unsigned r = 0;
    for (unsigned i = 0; i < n; ++i, code >>= 1) r = (r << 1) | (code & 1u);
    return r;
}

/// Builds the decoding table for the canonical Huffman code with code lengths `lengths[0..n)`
/// (each at most 15) into `table` (room for `capacity` entries, at least 2^root). Returns false
/// for an over-subscribed code, an incomplete one (allowed, as zlib does, only for a literal/
/// length or distance code whose longest code has one bit) and an empty precode. An empty
/// literal/length or distance code gives a table of invalid codes.
inline bool build_table(const std::uint8_t* lengths, unsigned n, alphabet a, unsigned root,
                        std::uint32_t* table, std::size_t capacity) noexcept {
    unsigned count[16] = {};
    for (unsigned i = 0; i < n; ++i) ++count[lengths[i]];
    count[0] = 0;
    unsigned max_len = 15;
    while (max_len != 0 && count[max_len] == 0) --max_len;

    const std::size_t root_size = std::size_t{1} << root;
    const std::uint32_t invalid = make_entry(1, kind_invalid, 0, 0);
    for (std::size_t i = 0; i < root_size; ++i) table[i] = invalid;
    if (max_len == 0) return a != alphabet::precode;

    int left = 1; // unused codes of the current length
    for (unsigned len = 1; len <= 15; ++len) {
        left = left * 2 - static_cast<int>(count[len]);
        if (left < 0) return false; // over-subscribed
    }
    if (left > 0 && (a == alphabet::precode || max_len != 1)) return false; // incomplete

    // Symbols sorted by code length, then by value: the canonical code order.
    unsigned offset[16] = {};
    for (unsigned len = 1; len < 15; ++len) offset[len + 1] = offset[len] + count[len];
    std::uint16_t sorted[288];
    for (unsigned sym = 0; sym < n; ++sym)
        if (lengths[sym] != 0) sorted[offset[lengths[sym]]++] = static_cast<std::uint16_t>(sym);
    const unsigned total = offset[15];

    // First code of each length.
    unsigned first[16] = {};
    for (unsigned len = 1; len < 15; ++len) first[len + 1] = (first[len] + count[len]) << 1;

    const unsigned root_mask = static_cast<unsigned>(root_size - 1);
    if (max_len > root) {
        // One sub-table per root-bit prefix of the long codes, sized for its longest code.
        // Codes sharing a prefix are consecutive in canonical order, longest last.
        std::uint8_t sub_bits[std::size_t{1} << litlen_root] = {};
        unsigned code[16];
        std::memcpy(code, first, sizeof code);
        for (unsigned i = 0; i < total; ++i) {
            const unsigned len = lengths[sorted[i]];
            const unsigned rev = reverse_bits(code[len]++, len);
            if (len > root) sub_bits[rev & root_mask] = static_cast<std::uint8_t>(len - root);
        }
        std::size_t next = root_size;
        for (std::size_t prefix = 0; prefix < root_size; ++prefix) {
            if (sub_bits[prefix] == 0) continue;
            const std::size_t size = std::size_t{1} << sub_bits[prefix];
            if (size > capacity - next) return false; // cannot happen with the enough sizes
            table[prefix] =
                make_entry(root, kind_link, sub_bits[prefix], static_cast<std::uint32_t>(next));
            const std::uint32_t bad = make_entry(root + sub_bits[prefix], kind_invalid, 0, 0);
            for (std::size_t i = 0; i < size; ++i) table[next + i] = bad;
            next += size;
        }
    }

    for (unsigned i = 0; i < total; ++i) {
        const unsigned sym = sorted[i];
        const unsigned len = lengths[sym];
        const unsigned rev = reverse_bits(first[len]++, len);
        const std::uint32_t entry = symbol_entry(a, sym, len);
        if (len <= root) {
            for (std::size_t j = rev; j < root_size; j += std::size_t{1} << len) table[j] = entry;
        } else {
            const std::uint32_t link = table[rev & root_mask];
            std::uint32_t* sub = table + entry_value(link);
            const std::size_t sub_size = std::size_t{1} << entry_extra(link);
            for (std::size_t j = rev >> root; j < sub_size; j += std::size_t{1} << (len - root))
                sub[j] = entry;
        }
    }
    return true;
}

/// The fixed Huffman code tables (RFC 1951 section 3.2.6), built once.
struct fixed_tables {
    std::uint32_t litlen[std::size_t{1} << litlen_root]; ///< literal/length table
    std::uint32_t dist[std::size_t{1} << dist_root];     ///< distance table
};

/// Builds the fixed Huffman code tables.
inline fixed_tables make_fixed_tables() noexcept {
    fixed_tables t{};
    std::uint8_t lengths[288];
    for (unsigned i = 0; i < 288; ++i) lengths[i] = i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8;
    build_table(lengths, 288, alphabet::litlen, litlen_root, t.litlen, sizeof t.litlen / 4);
    for (unsigned i = 0; i < 32; ++i) lengths[i] = 5;
    build_table(lengths, 32, alphabet::dist, dist_root, t.dist, sizeof t.dist / 4);
    return t;
}

/// The fixed Huffman code tables, built on first use (thread-safe).
inline const fixed_tables& get_fixed_tables() noexcept {
    static const fixed_tables tables = make_fixed_tables();
    return tables;
}

/// Reads 8 bytes as a little-endian integer.
inline std::uint64_t load_le64(const unsigned char* p) noexcept {
    return std::uint64_t{p[0]} | std::uint64_t{p[1]} << 8 | std::uint64_t{p[2]} << 16 |
           std::uint64_t{p[3]} << 24 | std::uint64_t{p[4]} << 32 | std::uint64_t{p[5]} << 40 |
           std::uint64_t{p[6]} << 48 | std::uint64_t{p[7]} << 56;
}

/// Least-significant-bit-first reader over a byte range. Bits above `count` in `bits` are 0.
struct bit_reader {
    const unsigned char* next; ///< next byte not yet in `bits`
    const unsigned char* end;  ///< end of the input
    std::uint64_t bits;        ///< buffered bits, the next one in bit 0
    unsigned count;            ///< number of buffered bits, always below 64

    /// Buffers at least 56 bits, or all the remaining input if there is less.
    void refill() noexcept {
        if (end - next >= 8) {
            bits |= load_le64(next) << count;
            next += (63 - count) >> 3;
            count |= 56;
        } else {
            while (count < 56 && next != end) {
                bits |= std::uint64_t{*next++} << count;
                count += 8;
            }
        }
    }
    /// Makes `n` (at most 56) bits available; false if the input ends first.
    bool need(unsigned n) noexcept {
        if (count < n) refill();
        return count >= n;
    }
    /// Consumes and returns `n` buffered bits (`n` at most `count`).
    std::uint32_t take(unsigned n) noexcept {
        const auto v = static_cast<std::uint32_t>(bits & ((std::uint64_t{1} << n) - 1));
        bits >>= n;
        count -= n;
        return v;
    }
    /// Drops the bits up to the next byte boundary and returns the whole buffered bytes to the
    /// input, so that `next` is the next unread byte.
    void align() noexcept {
        next -= count >> 3;
        bits = 0;
        count = 0;
    }
    /// Number of input bytes consumed (a partly consumed byte counts), from `begin`.
    std::size_t consumed(const unsigned char* begin) const noexcept {
        return static_cast<std::size_t>(next - begin) - (count >> 3);
    }
};

/// The growing output: a window onto a std::string whose size is the capacity in use.
struct output {
    std::string* str;    ///< the caller's string
    unsigned char* base; ///< start of the string's buffer
    unsigned char* ptr;  ///< next byte to write
    unsigned char* end;  ///< end of the string's buffer
    std::size_t limit;   ///< most bytes the caller accepts

    /// Points base/ptr/end at the string after its size changed, `used` bytes being in use.
    void attach(std::size_t used) noexcept {
        base = reinterpret_cast<unsigned char*>(&(*str)[0]);
        ptr = base + used;
        end = base + str->size();
    }
    /// Number of bytes written.
    std::size_t size() const noexcept { return static_cast<std::size_t>(ptr - base); }
    /// Makes room for `n` more bytes; false if that would pass the limit. The buffer at
    /// least doubles (from 1 KiB), but never exceeds the limit, so that no allocation is larger
    /// than the limit.
    bool grow(std::size_t n) {
        const std::size_t used = size();
        if (n > limit - used) return false;
        const std::size_t cap = str->size();
        std::size_t want = cap < limit / 2 ? cap * 2 : limit;
        if (want < used + n) want = used + n;
        if (want < 1024) want = limit < 1024 ? limit : 1024;
        if (want <= str->capacity()) {
            str->resize(want); // within the capacity: no allocation
        } else {
            // A fresh string with reserve() allocates exactly `want`; growing in place might
            // round the capacity up to twice the old one, past the limit.
            std::string bigger;
            bigger.reserve(want);
            bigger.append(reinterpret_cast<const char*>(base), used);
            bigger.resize(want);
            str->swap(bigger);
        }
        attach(used);
        return true;
    }
};

/// Decodes one symbol with `table` (first level `root` bits). Returns the entry, with the
/// code's bits consumed, or an entry with 0 bits if the input ended first.
inline std::uint32_t decode_symbol(bit_reader& in, const std::uint32_t* table,
                                   unsigned root) noexcept {
    std::uint32_t e = table[in.bits & ((std::uint64_t{1} << root) - 1)];
    if (entry_kind(e) == kind_link)
        e = table[entry_value(e) + ((in.bits >> root) & ((1u << entry_extra(e)) - 1))];
    const unsigned n = entry_bits(e);
    if (n > in.count) return 0;
    in.bits >>= n;
    in.count -= n;
    return e;
}

/// Decodes the data of a Huffman block with the given tables, up to its end-of-block code.
inline inflate_status decode_huffman(bit_reader& reader, output& out, const std::uint32_t* litlen,
                                     const std::uint32_t* dist) {
    // Work on local copies: a store through an unsigned char pointer may alias anything, and
    // would otherwise send the reader's state and the output pointers back to memory per byte.
    bit_reader in = reader;
    unsigned char* base = out.base;
    unsigned char* ptr = out.ptr;
    unsigned char* end = out.end;
    inflate_status status = inflate_status::ok;
    for (;;) {
        // One refill covers a whole length/distance pair: 15 + 5 + 15 + 13 = 48 bits <= 56.
        in.refill();
        const std::uint32_t e = decode_symbol(in, litlen, litlen_root);
        const unsigned kind = entry_kind(e);
        if (TRTC_LIKELY(kind == kind_literal)) {
            if (TRTC_UNLIKELY(e == 0)) {
                status = inflate_status::truncated;
                break;
            }
            if (TRTC_UNLIKELY(ptr == end)) {
                out.ptr = ptr;
                if (!out.grow(1)) {
                    status = inflate_status::output_limit;
                    break;
                }
                base = out.base;
                ptr = out.ptr;
                end = out.end;
            }
            *ptr++ = static_cast<unsigned char>(entry_value(e));
            continue;
        }
        if (kind == kind_end) break;
        if (kind != kind_base) {
            status = inflate_status::bad_huffman_code;
            break;
        }
        unsigned extra = entry_extra(e);
        if (extra > in.count) {
            status = inflate_status::truncated;
            break;
        }
        const std::size_t length = entry_value(e) + in.take(extra);

        const std::uint32_t d = decode_symbol(in, dist, dist_root);
        if (d == 0) {
            status = inflate_status::truncated;
            break;
        }
        if (entry_kind(d) != kind_base) {
            status = inflate_status::bad_distance;
            break;
        }
        extra = entry_extra(d);
        if (extra > in.count) {
            status = inflate_status::truncated;
            break;
        }
        const std::size_t distance = entry_value(d) + in.take(extra);
        if (distance > static_cast<std::size_t>(ptr - base)) {
            status = inflate_status::bad_distance;
            break;
        }

        if (TRTC_UNLIKELY(static_cast<std::size_t>(end - ptr) < length)) {
            out.ptr = ptr;
            if (!out.grow(length)) {
                status = inflate_status::output_limit;
                break;
            }
            base = out.base;
            ptr = out.ptr;
            end = out.end;
        }
        const unsigned char* src = ptr - distance;
        if (distance >= 8 && static_cast<std::size_t>(end - ptr) >= length + 8) {
            // 8-byte chunks may overshoot by up to 7 bytes, which the buffer has room for;
            // a distance of at least 8 keeps each chunk's source and destination apart.
            unsigned char* dst = ptr;
            unsigned char* const stop = ptr + length;
            do {
                std::memcpy(dst, src, 8);
                dst += 8;
                src += 8;
            } while (dst < stop);
        } else if (distance == 1) {
            std::memset(ptr, *src, length);
        } else {
            for (std::size_t i = 0; i < length; ++i) ptr[i] = src[i];
        }
        ptr += length;
    }
    reader = in;
    out.ptr = ptr;
    return status;
}

/// Reads a dynamic block's code descriptions and builds its tables.
inline inflate_status read_dynamic_tables(bit_reader& in, std::uint32_t* litlen,
                                          std::uint32_t* dist) noexcept {
    if (!in.need(14)) return inflate_status::truncated;
    const unsigned nlen = in.take(5) + 257;
    const unsigned ndist = in.take(5) + 1;
    const unsigned ncode = in.take(4) + 4;
    if (nlen > 286 || ndist > 30) return inflate_status::bad_code_lengths;

    std::uint8_t lengths[286 + 30] = {};
    for (unsigned i = 0; i < ncode; ++i) {
        if (!in.need(3)) return inflate_status::truncated;
        lengths[precode_order[i]] = static_cast<std::uint8_t>(in.take(3));
    }
    std::uint32_t precode[precode_size];
    if (!build_table(lengths, 19, alphabet::precode, precode_root, precode, precode_size))
        return inflate_status::bad_code_lengths;

    const unsigned total = nlen + ndist; // every length below is written exactly once
    for (unsigned i = 0; i < total;) {
        in.refill(); // 7 code bits + 7 extra bits
        const std::uint32_t e = decode_symbol(in, precode, precode_root);
        if (e == 0) return inflate_status::truncated;
        const unsigned sym = entry_value(e);
        if (sym < 16) {
            lengths[i++] = static_cast<std::uint8_t>(sym);
            continue;
        }
        std::uint8_t value = 0;
        unsigned repeat;
        if (sym == 16) {
            if (i == 0) return inflate_status::bad_code_lengths; // nothing to repeat
            value = lengths[i - 1];
            if (in.count < 2) return inflate_status::truncated;
            repeat = 3 + in.take(2);
        } else if (sym == 17) {
            if (in.count < 3) return inflate_status::truncated;
            repeat = 3 + in.take(3);
        } else {
            if (in.count < 7) return inflate_status::truncated;
            repeat = 11 + in.take(7);
        }
        if (repeat > total - i) return inflate_status::bad_code_lengths; // runs past the end
        for (; repeat != 0; --repeat) lengths[i++] = value;
    }
    if (lengths[256] == 0) return inflate_status::bad_code_lengths; // no end-of-block code
    if (!build_table(lengths, nlen, alphabet::litlen, litlen_root, litlen, litlen_enough) ||
        !build_table(lengths + nlen, ndist, alphabet::dist, dist_root, dist, dist_enough))
        return inflate_status::bad_code_lengths;
    return inflate_status::ok;
}

/// Decodes deflate blocks up to and including the final one.
inline inflate_status inflate_blocks(bit_reader& in, output& out) {
    std::uint32_t litlen[litlen_enough];
    std::uint32_t dist[dist_enough];
    for (;;) {
        if (!in.need(3)) return inflate_status::truncated;
        const std::uint32_t final_block = in.take(1);
        const std::uint32_t type = in.take(2);
        inflate_status status = inflate_status::ok;
        if (type == 0) {
            in.align();
            if (in.end - in.next < 4) return inflate_status::truncated;
            const unsigned len = in.next[0] | unsigned{in.next[1]} << 8;
            const unsigned nlen = in.next[2] | unsigned{in.next[3]} << 8;
            in.next += 4;
            if (len != (~nlen & 0xffffu)) return inflate_status::bad_stored_length;
            // Copy what the input holds, then report a cut block (as zlib does: the limit
            // is checked first, and the partial data is kept).
            const auto avail = static_cast<std::size_t>(in.end - in.next);
            const std::size_t n = len < avail ? len : avail;
            if (static_cast<std::size_t>(out.end - out.ptr) < n && !out.grow(n))
                return inflate_status::output_limit;
            if (n != 0) std::memcpy(out.ptr, in.next, n);
            out.ptr += n;
            in.next += n;
            if (n < len) return inflate_status::truncated;
        } else if (type == 1) {
            const fixed_tables& fixed = get_fixed_tables();
            status = decode_huffman(in, out, fixed.litlen, fixed.dist);
        } else if (type == 2) {
            status = read_dynamic_tables(in, litlen, dist);
            if (status == inflate_status::ok) status = decode_huffman(in, out, litlen, dist);
        } else {
            return inflate_status::bad_block_type;
        }
        if (status != inflate_status::ok) return status;
        if (final_block != 0) return inflate_status::ok;
    }
}

/// Decodes the raw deflate data `in` into `out` (replaced, at most `max_output` bytes);
/// `consumed` receives the number of input bytes used.
inline inflate_status inflate_into(std::string_view in, std::string& out, std::size_t max_output,
                                   std::size_t& consumed) {
    const auto* begin = reinterpret_cast<const unsigned char*>(in.data());
    bit_reader reader{begin, begin + in.size(), 0, 0};
    // Start with room for 4x the input (within the limit), reusing the string's capacity.
    out.clear();
    output sink{&out, nullptr, nullptr, nullptr, max_output};
    sink.attach(0);
    const std::size_t guess = in.size() < max_output / 4 ? in.size() * 4 : max_output;
    if (guess != 0) sink.grow(guess);
    const inflate_status status = inflate_blocks(reader, sink);
    consumed = reader.consumed(begin);
    out.resize(sink.size());
    return status;
}

} // namespace zlib_impl

TRTC_DECL inflate_status raw_inflate(std::string_view in, std::string& out, std::size_t max_output,
                                     std::size_t* consumed) noexcept {
    std::size_t used = 0;
    const inflate_status status = zlib_impl::inflate_into(in, out, max_output, used);
    if (consumed != nullptr) *consumed = used;
    return status;
}

TRTC_DECL inflate_status zlib_inflate(std::string_view in, std::string& out,
                                      std::size_t max_output) noexcept {
    if (in.size() < 2) {
        out.clear();
        return inflate_status::truncated;
    }
    const auto cmf = static_cast<unsigned char>(in[0]);
    const auto flg = static_cast<unsigned char>(in[1]);
    if ((cmf * 256u + flg) % 31u != 0 || (cmf & 15u) != 8 || (cmf >> 4) > 7) {
        out.clear();
        return inflate_status::bad_header;
    }
    if ((flg & 0x20u) != 0) {
        out.clear();
        return inflate_status::preset_dictionary;
    }
    std::size_t used = 0;
    const inflate_status status = zlib_impl::inflate_into(in.substr(2), out, max_output, used);
    if (status != inflate_status::ok) return status;
    const std::string_view rest = in.substr(2 + used);
    if (rest.size() < 4) return inflate_status::truncated;
    const std::uint32_t expected = std::uint32_t{static_cast<unsigned char>(rest[0])} << 24 |
                                   std::uint32_t{static_cast<unsigned char>(rest[1])} << 16 |
                                   std::uint32_t{static_cast<unsigned char>(rest[2])} << 8 |
                                   std::uint32_t{static_cast<unsigned char>(rest[3])};
    if (adler32(1, out.data(), out.size()) != expected) return inflate_status::bad_checksum;
    if (rest.size() > 4) return inflate_status::trailing_data;
    return inflate_status::ok;
}

} // namespace detail

#endif // TRTC_DEFINITIONS

TRTC_END_NAMESPACE

#endif // TRTC_DETAIL_ZLIB_HPP

#include <array>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

TRTC_BEGIN_NAMESPACE

/// A point in time with one-second resolution, counted from the Unix epoch (system_clock).
using unix_time = std::chrono::time_point<std::chrono::system_clock, std::chrono::seconds>;

/// The unix_time of a count of seconds since the epoch.
constexpr unix_time from_unix_seconds(std::int64_t s) noexcept {
    return unix_time(std::chrono::seconds(s));
}
/// The seconds since the epoch of a unix_time.
constexpr std::int64_t to_unix_seconds(unix_time t) noexcept {
    return t.time_since_epoch().count();
}
/// The current time, from std::chrono::system_clock.
inline unix_time unix_now() noexcept {
    return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

/// The built-in HMAC-SHA256 policy: no dependency, prekeyed, SHA-NI / ARMv8 accelerated when
/// the CPU has it.
///
/// An HMAC policy is a type with `explicit H(std::string_view key)` (prekeys once) and
/// `std::array<std::uint8_t, 32> mac(std::string_view data)`.
using builtin_hmac_sha256 = detail::hmac_sha256;

/// The built-in deflate policy: zlib streams made of stored (uncompressed) blocks. No
/// dependency, no allocation beyond `out`, deterministic; 11 bytes of overhead per 64 KiB.
/// Any zlib decoder, Tencent's included, accepts its output. See adapters/zlib.hpp for a
/// policy that really compresses.
struct stored_deflate {
    /// Appends a complete zlib (RFC 1950) stream of `in` to `out`. Returns false (and leaves
    /// `out` unchanged) only if the result would exceed out.max_size().
    bool compress(std::string_view in, std::string& out) const;
};

/// The fields of a UserSig, as decoded.
struct usersig_document {
    /// TLS.ver, "2.0" for every v2 library ("" when absent).
    std::string version;
    /// TLS.sdkappid (0 when absent).
    std::uint64_t sdkappid = 0;
    /// TLS.identifier, as raw bytes ("" when absent).
    std::string identifier;
    /// TLS.time: when it was made, in Unix seconds (0 when absent).
    std::int64_t time = 0;
    /// TLS.expire: how long it is valid, in seconds, counted from `time` (0 when absent).
    std::int64_t expire = 0;
    /// Whether TLS.userbuf is present.
    bool has_userbuf = false;
    /// TLS.userbuf decoded from base64 (binary).
    std::string userbuf;
    /// TLS.userbuf as written in the document (base64): the signed text uses it as is.
    std::string userbuf_base64;
    /// TLS.sig: base64 of the HMAC-SHA256. Not secret on its own (it travels with every
    /// request), but never logged by the library.
    std::string sig;

    /// The last second at which it is still valid (time + expire, saturated).
    std::int64_t expires_at() const noexcept;
};

/// The contents of a PrivateMapKey's userbuf (the room-permission ticket).
struct private_map {
    /// 0: numeric room id; 1: string room id.
    std::uint8_t version = 0;
    std::string account;
    std::uint32_t sdkappid = 0;
    /// The numeric room id (0 for a string room).
    std::uint32_t room_id = 0;
    /// The absolute expiry, Unix seconds (a uint32: it wraps after 2106).
    std::uint32_t expires_at = 0;
    /// The privilege bits (see trtc::privilege).
    std::uint32_t privileges = 0;
    std::uint32_t account_type = 0;
    /// The string room id (version 1 only).
    std::string room_str;
};

/// PrivateMapKey privilege bits.
namespace privilege {
inline constexpr std::uint32_t create_room = 1;
inline constexpr std::uint32_t enter_room = 2;
inline constexpr std::uint32_t send_audio = 4;
inline constexpr std::uint32_t receive_audio = 8;
inline constexpr std::uint32_t send_video = 16;
inline constexpr std::uint32_t receive_video = 32;
inline constexpr std::uint32_t send_sub_stream = 64;
inline constexpr std::uint32_t receive_sub_stream = 128;
inline constexpr std::uint32_t all = 255;
} // namespace privilege

namespace detail {

template <class H, class = void>
struct is_hmac_policy : std::false_type {};
template <class H>
struct is_hmac_policy<
    H, std::enable_if_t<std::is_constructible_v<H, std::string_view> &&
                        std::is_same_v<decltype(std::declval<H&>().mac(std::string_view())),
                                       std::array<std::uint8_t, 32>>>> : std::true_type {};

template <class D, class = void>
struct is_deflate_policy : std::false_type {};
template <class D>
struct is_deflate_policy<
    D, std::enable_if_t<std::is_same_v<decltype(std::declval<D&>().compress(
                                           std::string_view(), std::declval<std::string&>())),
                                       bool>>> : std::true_type {};

/// Policies that can fail (an adapter whose library ran out of memory) say so with
/// `bool ok() const`; the built-in ones cannot fail and need not have it.
template <class P, class = void>
struct has_ok : std::false_type {};
template <class P>
struct has_ok<P, std::void_t<decltype(static_cast<bool>(std::declval<const P&>().ok()))>>
    : std::true_type {};
template <class P>
bool policy_ok(const P& p) noexcept {
    if constexpr (has_ok<P>::value)
        return static_cast<bool>(p.ok());
    else
        return true;
}

/// The most a decoded UserSig document may inflate to: far above any real one (an admin sig is
/// about 140 bytes), small enough that a hostile string cannot exhaust memory.
inline constexpr std::size_t usersig_max_document = 1 << 20;

/// The signed text: five LF-terminated lines (the last only with a userbuf), identifier raw.
TRTC_DECL void build_signed_text(std::string& out, std::string_view identifier,
                                 std::uint64_t sdkappid, std::int64_t time, std::int64_t expire,
                                 const std::string_view* userbuf_base64);

inline error usersig_argument_error(std::string message) {
    return error(errc::invalid_argument, std::move(message));
}

/// Checks an identifier for generation: non-empty, valid UTF-8, no control characters.
TRTC_DECL result<void> check_identifier(std::string_view identifier);

TRTC_DECL void put_u16(std::string& out, std::uint32_t v);
TRTC_DECL void put_u32(std::string& out, std::uint32_t v);

} // namespace detail

/// Parses the binary userbuf of a PrivateMapKey.
TRTC_DECL result<private_map> parse_private_map(std::string_view buf);

/// Decodes a UserSig without checking it: base64 (either alphabet), zlib (any compression
/// level), JSON (any key order or layout). Missing fields read as zero or empty, as the
/// official Go verifier reads them. Fails with service code 70003 (illegal UserSig) when the
/// string cannot be decoded: bad base64, a broken or trailing zlib stream, invalid JSON,
/// duplicate keys, or a field of the wrong type.
TRTC_DECL result<usersig_document> decode_usersig(std::string_view usersig);

/// Checks a decoded UserSig as the service does: SDKAppID (70014), identifier (70013), expiry
/// (70001; expired iff now > time + expire), userbuf presence and content (70009 on a
/// mismatch), then the HMAC (70009), compared in constant time. On success, returns nothing.
/// `expected_userbuf` nullptr means "a plain UserSig: no userbuf expected".
template <class Hmac>
result<void> check_usersig(const usersig_document& d, std::uint64_t sdkappid,
                           std::string_view identifier, unix_time now, Hmac& hmac,
                           const std::string_view* expected_userbuf = nullptr) {
    static_assert(detail::is_hmac_policy<Hmac>::value,
                  "trtc: an Hmac policy must provide `explicit Hmac(std::string_view key)` and "
                  "`std::array<std::uint8_t, 32> mac(std::string_view data)`");
    if (d.sdkappid != sdkappid) {
        std::string m = "UserSig is for SDKAppID ";
        detail::append_decimal_u(m, d.sdkappid);
        m += ", not ";
        detail::append_decimal_u(m, sdkappid);
        return error(service_errc::usersig_sdkappid_mismatch, std::move(m));
    }
    if (d.identifier != identifier) {
        std::string m = "UserSig is for identifier ";
        detail::append_escaped_for_message(m, d.identifier);
        m += ", not ";
        detail::append_escaped_for_message(m, identifier);
        return error(service_errc::usersig_identifier_mismatch, std::move(m));
    }
    if (to_unix_seconds(now) > d.expires_at()) {
        std::string m = "UserSig expired at ";
        detail::append_decimal(m, d.expires_at());
        m += " (now ";
        detail::append_decimal(m, to_unix_seconds(now));
        m += ')';
        return error(service_errc::usersig_expired, std::move(m));
    }
    if ((expected_userbuf != nullptr) != d.has_userbuf ||
        (expected_userbuf != nullptr && *expected_userbuf != d.userbuf))
        return error(service_errc::usersig_verification_failed,
                     d.has_userbuf ? "UserSig carries a userbuf that was not expected"
                                   : "UserSig carries no userbuf but one was expected");
    std::string text;
    std::string_view ub = d.userbuf_base64;
    detail::build_signed_text(text, d.identifier, d.sdkappid, d.time, d.expire,
                              d.has_userbuf ? &ub : nullptr);
    std::array<std::uint8_t, 32> mac = hmac.mac(text);
    if (!detail::policy_ok(hmac)) return error(errc::usersig_unavailable, "the HMAC policy failed");
    std::string given;
    if (!detail::base64_decode(d.sig, given) || given.size() != mac.size() ||
        !detail::constant_time_equal(given.data(), mac.data(), mac.size()))
        return error(service_errc::usersig_verification_failed,
                     "UserSig signature does not match (wrong secret key?)");
    return {};
}

/// Makes UserSigs and PrivateMapKeys for one SDKAppID and secret key.
///
/// The key is prekeyed into the HMAC once, at creation. Scratch buffers are reused, so a warm
/// signer with the built-in policies allocates only the returned string. A signer is not
/// thread-safe: give each thread its own, or guard it (trtc::basic_client does).
///
/// @tparam Hmac    HMAC-SHA256 policy: `explicit Hmac(std::string_view key)` and
///                 `std::array<std::uint8_t, 32> mac(std::string_view data)`.
/// @tparam Deflate zlib policy: `bool compress(std::string_view in, std::string& out)`, which
///                 appends a complete zlib stream. The built-in writes stored blocks (level 0,
///                 as Tencent's Go library does); trtc::zlib_deflate (adapters/zlib.hpp) uses
///                 zlib at a chosen level.
template <class Hmac = builtin_hmac_sha256, class Deflate = stored_deflate>
class basic_usersig_signer {
    static_assert(detail::is_hmac_policy<Hmac>::value,
                  "trtc::basic_usersig_signer: the Hmac policy must provide "
                  "`explicit Hmac(std::string_view key)` and "
                  "`std::array<std::uint8_t, 32> mac(std::string_view data)`");
    static_assert(detail::is_deflate_policy<Deflate>::value,
                  "trtc::basic_usersig_signer: the Deflate policy must provide "
                  "`bool compress(std::string_view in, std::string& out)` (appending a zlib "
                  "stream)");

  public:
    /// The largest `expire` accepted: the C++ reference library and several verifiers keep it
    /// in a signed 32-bit integer.
    static constexpr std::int64_t max_expire = 2147483647;

    /// A signer for `sdkappid` (non-zero) with the console's secret key (non-empty; its bytes
    /// are the HMAC key, never hex-decoded).
    static result<basic_usersig_signer> create(std::uint32_t sdkappid, std::string_view secret_key,
                                               Deflate deflate = Deflate()) {
        if (sdkappid == 0) return detail::usersig_argument_error("sdkappid must not be 0");
        if (secret_key.empty())
            return detail::usersig_argument_error("the secret key must not be empty");
        basic_usersig_signer s(sdkappid, secret_key, std::move(deflate));
        if (!detail::policy_ok(s.hmac_))
            return error(errc::usersig_unavailable, "the HMAC policy could not be keyed");
        return s;
    }

    /// The SDKAppID this signer signs for.
    std::uint32_t sdkappid() const noexcept { return sdkappid_; }

    /// A UserSig for `identifier`, valid for `expire` (1 s to max_expire) from `now`.
    result<std::string> generate(std::string_view identifier, std::chrono::seconds expire,
                                 unix_time now = unix_now()) {
        return make(identifier, expire, now, nullptr);
    }

    /// A UserSig carrying an arbitrary binary userbuf (Tencent's genSig / GenUserSigWithBuf).
    result<std::string> generate_with_userbuf(std::string_view identifier,
                                              std::chrono::seconds expire, std::string_view userbuf,
                                              unix_time now = unix_now()) {
        return make(identifier, expire, now, &userbuf);
    }

    /// A PrivateMapKey for a numeric room id: a UserSig whose userbuf grants `privileges`
    /// (trtc::privilege bits) in room `room_id` until now + expire.
    result<std::string> private_map_key(std::string_view identifier, std::chrono::seconds expire,
                                        std::uint32_t room_id, std::uint32_t privileges,
                                        unix_time now = unix_now()) {
        return map_key(identifier, expire, now, room_id, nullptr, privileges);
    }

    /// A PrivateMapKey for a string room id (non-empty, at most 65535 bytes).
    result<std::string> private_map_key(std::string_view identifier, std::chrono::seconds expire,
                                        std::string_view room_str, std::uint32_t privileges,
                                        unix_time now = unix_now()) {
        if (room_str.empty())
            return detail::usersig_argument_error("the string room id must not be empty");
        return map_key(identifier, expire, now, 0, &room_str, privileges);
    }

    /// Checks a UserSig made for this SDKAppID and key (see trtc::check_usersig for the
    /// verdicts) and returns its decoded fields.
    result<usersig_document> verify_usersig(std::string_view usersig, std::string_view identifier,
                                            unix_time now = unix_now(),
                                            const std::string_view* expected_userbuf = nullptr) {
        auto d = decode_usersig(usersig);
        if (!d) return std::move(d).error();
        auto ok = check_usersig(*d, sdkappid_, identifier, now, hmac_, expected_userbuf);
        if (!ok) return std::move(ok).error();
        return d;
    }

  private:
    basic_usersig_signer(std::uint32_t sdkappid, std::string_view key, Deflate deflate)
        : sdkappid_(sdkappid), hmac_(key), deflate_(std::move(deflate)) {}

    result<void> check_times(std::chrono::seconds expire, unix_time now) const {
        if (expire.count() <= 0 || expire.count() > max_expire) {
            std::string m = "expire must be between 1 and ";
            detail::append_decimal(m, max_expire);
            m += " seconds, not ";
            detail::append_decimal(m, expire.count());
            return detail::usersig_argument_error(std::move(m));
        }
        if (to_unix_seconds(now) < 0)
            return detail::usersig_argument_error("now must not be before 1970");
        return {};
    }

    result<std::string> map_key(std::string_view identifier, std::chrono::seconds expire,
                                unix_time now, std::uint32_t room_id,
                                const std::string_view* room_str, std::uint32_t privileges) {
        auto ok = check_times(expire, now);
        if (!ok) return std::move(ok).error();
        if (identifier.size() > 0xFFFF)
            return detail::usersig_argument_error(
                "identifier is longer than the 65535 bytes a PrivateMapKey can hold");
        if (room_str != nullptr && room_str->size() > 0xFFFF)
            return detail::usersig_argument_error(
                "the string room id is longer than the 65535 bytes a PrivateMapKey can hold");
        std::int64_t abs = to_unix_seconds(now) + expire.count();
        if (abs > 0xFFFFFFFFLL)
            return detail::usersig_argument_error(
                "now + expire is beyond 2106, which a PrivateMapKey cannot represent");
        std::string& buf = userbuf_;
        buf.clear();
        buf.push_back(static_cast<char>(room_str != nullptr ? 1 : 0));
        detail::put_u16(buf, static_cast<std::uint32_t>(identifier.size()));
        buf.append(identifier);
        detail::put_u32(buf, sdkappid_);
        detail::put_u32(buf, room_id);
        detail::put_u32(buf, static_cast<std::uint32_t>(abs));
        detail::put_u32(buf, privileges);
        detail::put_u32(buf, 0);
        if (room_str != nullptr) {
            detail::put_u16(buf, static_cast<std::uint32_t>(room_str->size()));
            buf.append(*room_str);
        }
        std::string_view ub = buf;
        return make(identifier, expire, now, &ub);
    }

    result<std::string> make(std::string_view identifier, std::chrono::seconds expire,
                             unix_time now, const std::string_view* userbuf) {
        auto ok = detail::check_identifier(identifier);
        if (!ok) return std::move(ok).error();
        auto times = check_times(expire, now);
        if (!times) return std::move(times).error();
        const std::int64_t t = to_unix_seconds(now);

        // TLS.userbuf: standard base64, the same text in the signed text and the document.
        std::string_view ub64;
        if (userbuf != nullptr) {
            userbuf_b64_.clear();
            detail::base64_append(userbuf_b64_, *userbuf, detail::base64_alphabet::standard);
            ub64 = userbuf_b64_;
        }
        detail::build_signed_text(text_, identifier, sdkappid_, t, expire.count(),
                                  userbuf != nullptr ? &ub64 : nullptr);
        const std::array<std::uint8_t, 32> mac = hmac_.mac(text_);
        if (!detail::policy_ok(hmac_))
            return error(errc::usersig_unavailable, "the HMAC policy failed");
        char sig[44];
        detail::base64_encode(mac.data(), mac.size(), sig, detail::base64_alphabet::standard);

        // The document, in the C++ reference library's key order and escaping.
        doc_.clear();
        json::writer w(doc_);
        w.begin_object();
        w.key("TLS.ver");
        w.string("2.0");
        w.key("TLS.sdkappid");
        w.unsigned_integer(sdkappid_);
        w.key("TLS.identifier");
        w.string(identifier);
        w.key("TLS.time");
        w.integer(t);
        w.key("TLS.expire");
        w.integer(expire.count());
        if (userbuf != nullptr) {
            w.key("TLS.userbuf");
            w.string(ub64);
        }
        w.key("TLS.sig");
        w.string(std::string_view(sig, sizeof(sig)));
        w.end_object();

        zlib_.clear();
        if (!deflate_.compress(doc_, zlib_))
            return error(errc::usersig_unavailable, "the deflate policy failed to compress");
        std::string out;
        out.resize(detail::base64_encoded_size(zlib_.size()));
        detail::base64_encode(zlib_.data(), zlib_.size(), &out[0],
                              detail::base64_alphabet::tencent);
        return out;
    }

    std::uint32_t sdkappid_;
    Hmac hmac_;
    Deflate deflate_;
    std::string text_, doc_, zlib_, userbuf_, userbuf_b64_;
};

/// The signer with the built-in policies: no dependency.
using usersig_signer = basic_usersig_signer<>;

/// Decodes and checks a UserSig in one call (see check_usersig for the verdicts, each the
/// service's own code). Prefer a signer's verify_usersig() when checking many with one key.
TRTC_DECL result<usersig_document> verify_usersig(std::string_view usersig, std::uint32_t sdkappid,
                                                  std::string_view identifier,
                                                  std::string_view secret_key,
                                                  unix_time now = unix_now());

#if TRTC_DEFINITIONS

TRTC_DECL std::int64_t usersig_document::expires_at() const noexcept {
    if (expire > 0 && time > INT64_MAX - expire) return INT64_MAX;
    if (expire < 0 && time < INT64_MIN - expire) return INT64_MIN;
    return time + expire;
}

namespace detail {

TRTC_DECL void build_signed_text(std::string& out, std::string_view identifier,
                                 std::uint64_t sdkappid, std::int64_t time, std::int64_t expire,
                                 const std::string_view* userbuf_base64) {
    out.clear();
    out += "TLS.identifier:";
    out += identifier;
    out += "\nTLS.sdkappid:";
    append_decimal_u(out, sdkappid);
    out += "\nTLS.time:";
    append_decimal(out, time);
    out += "\nTLS.expire:";
    append_decimal(out, expire);
    out += '\n';
    if (userbuf_base64 != nullptr) {
        out += "TLS.userbuf:";
        out += *userbuf_base64;
        out += '\n';
    }
}

TRTC_DECL result<void> check_identifier(std::string_view identifier) {
    if (identifier.empty()) return usersig_argument_error("identifier must not be empty");
    if (!utf8_valid(identifier)) {
        std::string m = "identifier ";
        append_escaped_for_message(m, identifier);
        m += " is not valid UTF-8";
        return usersig_argument_error(std::move(m));
    }
    for (char ch : identifier) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x20 || c == 0x7F) {
            std::string m = "identifier ";
            append_escaped_for_message(m, identifier);
            m += " contains a control character (it would make the signed text ambiguous)";
            return usersig_argument_error(std::move(m));
        }
    }
    return {};
}

TRTC_DECL void put_u16(std::string& out, std::uint32_t v) {
    out.push_back(static_cast<char>((v >> 8) & 0xFF));
    out.push_back(static_cast<char>(v & 0xFF));
}

TRTC_DECL void put_u32(std::string& out, std::uint32_t v) {
    out.push_back(static_cast<char>((v >> 24) & 0xFF));
    out.push_back(static_cast<char>((v >> 16) & 0xFF));
    out.push_back(static_cast<char>((v >> 8) & 0xFF));
    out.push_back(static_cast<char>(v & 0xFF));
}

} // namespace detail

TRTC_DECL result<private_map> parse_private_map(std::string_view buf) {
    auto bad = [](const char* why) {
        return error(errc::invalid_argument, std::string("PrivateMapKey userbuf: ") + why);
    };
    std::size_t pos = 0;
    auto need = [&](std::size_t n) { return buf.size() - pos >= n; };
    auto u8 = [&]() { return static_cast<std::uint8_t>(buf[pos++]); };
    auto u16 = [&]() {
        std::uint32_t v = static_cast<std::uint32_t>(static_cast<std::uint8_t>(buf[pos])) << 8 |
                          static_cast<std::uint8_t>(buf[pos + 1]);
        pos += 2;
        return v;
    };
    auto u32 = [&]() {
        std::uint32_t v = 0;
        for (int i = 0; i < 4; ++i) v = v << 8 | static_cast<std::uint8_t>(buf[pos++]);
        return v;
    };
    private_map m;
    if (!need(3)) return bad("too short");
    m.version = u8();
    if (m.version > 1) return bad("unknown version");
    std::uint32_t len = u16();
    if (!need(len + 20)) return bad("truncated");
    m.account.assign(buf.data() + pos, len);
    pos += len;
    m.sdkappid = u32();
    m.room_id = u32();
    m.expires_at = u32();
    m.privileges = u32();
    m.account_type = u32();
    if (m.version == 1) {
        if (!need(2)) return bad("truncated room string length");
        std::uint32_t rlen = u16();
        if (!need(rlen)) return bad("truncated room string");
        m.room_str.assign(buf.data() + pos, rlen);
        pos += rlen;
    }
    if (pos != buf.size()) return bad("trailing bytes");
    return m;
}

TRTC_DECL result<usersig_document> decode_usersig(std::string_view usersig) {
    auto bad = [](std::string why) {
        return error(service_errc::usersig_invalid, "UserSig cannot be decoded: " + why);
    };
    if (usersig.empty()) return error(service_errc::usersig_empty, "UserSig is empty");
    std::string zbytes;
    if (!detail::base64_decode(usersig, zbytes)) return bad("not base64");
    std::string text;
    detail::inflate_status st = detail::zlib_inflate(zbytes, text, detail::usersig_max_document);
    if (st != detail::inflate_status::ok)
        return bad(std::string("zlib stream: ") + detail::to_string(st));
    json::document doc;
    json::parse_error perr;
    if (!json::parse(text, doc, perr)) return bad(std::string("JSON: ") + perr.message);
    json::value root = doc.root();
    if (!root.is_object()) return bad("JSON is not an object");

    usersig_document d;
    auto get_string = [&](const char* key, std::string& out, bool* present) -> bool {
        json::value v = root[key];
        if (present) *present = v.exists() && !v.is_null();
        if (!v.exists() || v.is_null()) return true;
        if (!v.is_string()) return false;
        out.assign(v.as_string());
        return true;
    };
    auto get_int = [&](const char* key, std::int64_t& out) -> bool {
        json::value v = root[key];
        if (!v.exists() || v.is_null()) return true;
        return v.get(out);
    };
    if (!get_string("TLS.ver", d.version, nullptr)) return bad("TLS.ver is not a string");
    {
        json::value v = root["TLS.sdkappid"];
        if (v.exists() && !v.is_null() && !v.get(d.sdkappid))
            return bad("TLS.sdkappid is not a non-negative integer");
    }
    if (!get_string("TLS.identifier", d.identifier, nullptr))
        return bad("TLS.identifier is not a string");
    if (!get_int("TLS.time", d.time)) return bad("TLS.time is not an integer");
    if (!get_int("TLS.expire", d.expire)) return bad("TLS.expire is not an integer");
    if (!get_string("TLS.userbuf", d.userbuf_base64, &d.has_userbuf))
        return bad("TLS.userbuf is not a string");
    if (d.has_userbuf && !detail::base64_decode(d.userbuf_base64, d.userbuf))
        return bad("TLS.userbuf is not base64");
    if (!get_string("TLS.sig", d.sig, nullptr)) return bad("TLS.sig is not a string");
    return d;
}

TRTC_DECL result<usersig_document> verify_usersig(std::string_view usersig, std::uint32_t sdkappid,
                                                  std::string_view identifier,
                                                  std::string_view secret_key, unix_time now) {
    auto d = decode_usersig(usersig);
    if (!d) return std::move(d).error();
    builtin_hmac_sha256 hmac(secret_key);
    auto ok = check_usersig(*d, sdkappid, identifier, now, hmac);
    if (!ok) return std::move(ok).error();
    return d;
}

TRTC_DECL bool stored_deflate::compress(std::string_view in, std::string& out) const {
    const std::size_t size = detail::zlib_stored_size(in.size());
    if (size < in.size() || size > out.max_size() - out.size()) return false;
    detail::zlib_stored_append(out, in);
    return true;
}

#endif // TRTC_DEFINITIONS

TRTC_END_NAMESPACE

#endif // TRTC_USERSIG_HPP

/// @file
/// @brief The battle (PK) APIs of `v4/live_engine_http_pk`, one traits struct per API.
///
/// Each endpoint struct meets the endpoint contract of trtc/endpoint.hpp: it names its service
/// and command, says whether it is idempotent, and defines `request`, `response`, `validate`,
/// `encode` and `read_fields`. prepare() and decode() in sans_io.hpp, and basic_client, work on
/// any struct of that shape, so adding an API is one struct (examples/custom_endpoint.cpp adds
/// one outside the library).
#ifndef TRTC_BATTLE_HPP
#define TRTC_BATTLE_HPP

/// @file
/// @brief The endpoint contract: what a struct must define for prepare(), decode() and
/// basic_client to call its API, checked at compile time; the request rules it is written in
/// (trtc::validator), the field reads of its response (trtc::field_reader), and response_meta.
///
/// An endpoint `E` is a struct with:
///
///     static constexpr std::string_view service = "live_engine_http_pk";
///     static constexpr std::string_view command = "get_battle_info";
///     static constexpr bool idempotent = true;          // may a request be sent twice?
///     struct request { using endpoint = E; ... };
///     struct response : trtc::response_meta { ... };
///     static void validate(const request&, trtc::validator&);   // every rule of the request
///     template <class Sink> static void encode(const request&, Sink&);
///     template <class Reader> static void read_fields(Reader&, response&);
///
/// `encode` writes the request's JSON body through the building calls that json::writer and
/// json::document share (begin_object, key, string, integer, ...). `read_fields` is the
/// Response object's field list, written once in the vocabulary of trtc::field_reader
/// (string, string_or_number, integer (into an integer, a std::chrono duration or time point),
/// int32, boolean, strings, object, objects): decode() runs it over a json::document, or, with
/// the built-in JSON policy, straight over the body's text in one pass; trtc::write_response
/// (endpoint/writer.hpp) runs it to write a response back as JSON, when it reads every field
/// straight into the response.
/// battle.hpp defines the battle APIs this way; examples/custom_endpoint.cpp defines one outside
/// the library.
#ifndef TRTC_ENDPOINT_HPP
#define TRTC_ENDPOINT_HPP

/// @file
/// @brief trtc::field_reader: the typed reads of response fields that an endpoint's field list
/// (`template <class Reader> static void read_fields(Reader&, response&)`) is written in, and
/// the response envelope around them. A read that fails gives a decode error naming the field's
/// path.
#ifndef TRTC_ENDPOINT_FIELDS_HPP
#define TRTC_ENDPOINT_FIELDS_HPP

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

TRTC_BEGIN_NAMESPACE
namespace detail {

/// The most bytes of a text field of a response (a message, an account) unless its field list
/// says otherwise: a longer one is refused (decode_errc::wrong_type naming the field).
inline constexpr std::size_t max_response_text_bytes = 4096;

/// out = s. A string still in its inline buffer (a fresh field) or too small gives up no
/// capacity by being replaced: constructing is cheaper than assign()'s general replace.
inline void assign_field(std::string& out, std::string_view s) {
    if (out.capacity() < 16 || s.size() > out.capacity())
        out = std::string(s);
    else
        out.assign(s);
}

/// The std::chrono reads of the field list vocabulary, for a reader `Derived` (which brings
/// them in with a using-declaration) that reads `integer(key, std::int64_t&, required)`.
template <class Derived>
class chrono_field_reads {
  public:
    /// An integer member counting `out`'s unit (std::chrono::milliseconds: milliseconds).
    template <class Rep, class Period,
              class = std::enable_if_t<std::is_integral_v<Rep> && std::is_signed_v<Rep>>>
    bool integer(std::string_view key, std::chrono::duration<Rep, Period>& out, bool required) {
        std::int64_t n = 0;
        if (!static_cast<Derived&>(*this).integer(key, n, required)) return false;
        out = std::chrono::duration<Rep, Period>(n);
        return true;
    }

    /// An integer member counting `out`'s unit since its clock's epoch (unix_time: Unix
    /// seconds).
    template <class Clock, class Duration>
    bool integer(std::string_view key, std::chrono::time_point<Clock, Duration>& out,
                 bool required) {
        Duration d{};
        if (!integer(key, d, required)) return false;
        out = std::chrono::time_point<Clock, Duration>(d);
        return true;
    }
};

} // namespace detail

/// Reads fields of one JSON object of a json::document. The first failure is kept in `err`;
/// later reads on a failed reader do nothing and return false.
///
/// Its reads are the vocabulary of the endpoints' field lists (`read_fields`), which
/// one_pass_object (endpoint/one_pass.hpp) reads too: each returns true when it stored the
/// field's value in `out` (an absent optional field stores the empty value). A list that reads
/// every field straight into its response, converting nothing after a read, can also be written
/// back by trtc::write_response (endpoint/writer.hpp).
class field_reader : public detail::chrono_field_reads<field_reader> {
  public:
    using detail::chrono_field_reads<field_reader>::integer; // durations and time points

    /// A reader of the object `object` called `name` in messages ("Response"; "" for the
    /// envelope). The name is kept as a view: it must outlive the reader.
    explicit field_reader(json::value object, std::string_view name) noexcept
        : obj_(object), name_(name) {}

    /// A reader of the member `key` of `parent`'s object, or with `index`, of the element
    /// `index` of that member (an array): "Response.ToRoomList[2]". Paths are only put
    /// together when a read fails; `parent` and `key` must outlive the reader.
    field_reader(json::value object, const field_reader& parent, std::string_view key,
                 std::size_t index = no_index) noexcept
        : obj_(object), parent_(&parent), name_(key), index_(index) {}

    /// No index: the object is not an array element.
    static constexpr std::size_t no_index = static_cast<std::size_t>(-1);

    /// The object's own path: "Response.Result[2]".
    std::string path() const;

    /// Whether every read so far succeeded.
    bool ok() const noexcept { return !failed_; }
    /// The first failure.
    error& failure() noexcept { return err_; }

    /// A string member of at most `max_bytes` bytes (more: decode_errc::wrong_type). Absent or
    /// null: `required` decides between missing_field and "".
    bool string(std::string_view key, std::string& out, bool required,
                std::size_t max_bytes = detail::max_response_text_bytes);

    /// A string member that some responses send as a number (Owner_Account): either is taken
    /// as text, numbers exactly as written (no 53-bit rounding); at most `max_bytes` bytes.
    bool string_or_number(std::string_view key, std::string& out, bool required,
                          std::size_t max_bytes = detail::max_response_text_bytes);

    /// An integer member (exact, no fraction or exponent).
    bool integer(std::string_view key, std::int64_t& out, bool required);

    /// An integer member that must fit in an int.
    bool int32(std::string_view key, int& out, bool required);

    /// A boolean member. Absent or null: `required` decides between missing_field and false.
    bool boolean(std::string_view key, bool& out, bool required);

    /// An array member of strings (CallbackCommandList), replacing `out`. Absent or null:
    /// `required` decides between missing_field and an empty list.
    bool strings(std::string_view key, std::vector<std::string>& out, bool required);

    /// An object member, as a value (absent when it is absent or null).
    bool object(std::string_view key, json::value& out, bool required);

    /// An object member, read by `fields(field_reader&)`. True when it was there and read.
    template <class Fields>
    bool object(std::string_view key, bool required, Fields&& fields) {
        json::value v;
        if (!lookup(key, required, v) || !v.exists()) return false;
        if (!v.is_object()) return wrong(key, "an object", v);
        field_reader sub(v, *this, key);
        fields(sub);
        return sub.ok() || adopt(sub);
    }

    /// An array member whose elements are objects, each appended to `out` and read by
    /// `fields(field_reader&, T&)`. True when it was there and read.
    template <class T, class Fields>
    bool objects(std::string_view key, std::vector<T>& out, bool required, Fields&& fields) {
        json::value list;
        if (!lookup(key, required, list) || !list.exists()) return false;
        if (!list.is_array()) return wrong(key, "an array", list);
        out.reserve(list.size());
        std::size_t i = 0;
        for (json::value item : list) {
            field_reader e(item, *this, key, i++);
            if (!item.is_object()) {
                e.wrong_self("an object");
                return adopt(e);
            }
            fields(e, out.emplace_back());
            if (!e.ok()) return adopt(e);
        }
        return true;
    }

    /// The path of a member: "Response.Result".
    std::string path_of(std::string_view key) const;

  private:
    // The steps of the reads above (the templates call all but fail()), defined with them.

    bool wrong_self(const char* expected);
    bool adopt(field_reader& child);
    bool lookup(std::string_view key, bool required, json::value& out);
    bool wrong(std::string_view key, const char* expected, json::value v);
    inline bool fail(decode_errc c, std::string message);
    bool too_long(std::string_view key, std::size_t size, std::size_t max_bytes);

    json::value obj_;
    const field_reader* parent_ = nullptr;
    std::string_view name_;
    std::size_t index_ = no_index;
    std::uint32_t cursor_ = 0; // where the next lookup starts: see json::value::find_from
    bool failed_ = false;
    error err_;
};

namespace detail {

/// Reads the Response object `resp` through an endpoint's field list,
/// `fields(field_reader&, Response&)`: the first failure, or success.
template <class Response, class Fields>
result<void> read_response(json::value resp, Response& out, Fields fields) {
    field_reader r(resp, "Response");
    fields(r, out);
    if (!r.ok()) return std::move(r.failure());
    return {};
}

/// What every response has around its Response object.
struct envelope {
    std::string request_id, status, info;
    std::int64_t code = 0;
};

/// The envelope's field list (Response apart): read by field_reader and one_pass_object. Its
/// text is not refused for its length, so that a service error with a long ErrorInfo is still
/// that error: RequestId is bounded by clean_request_id, ErrorInfo where it is put in messages.
template <class Reader>
void read_envelope(Reader& r, envelope& e) {
    constexpr std::size_t any = static_cast<std::size_t>(-1);
    r.string("RequestId", e.request_id, false, any);
    r.integer("ErrorCode", e.code, true);
    r.string("ActionStatus", e.status, false, any);
    r.string("ErrorInfo", e.info, false, any);
}

/// RequestId ends up in messages and logs: bound it and make it printable, so that a hostile
/// or broken answer cannot forge log lines. The service's RequestIds are short printable
/// ASCII, kept as they are; anything else becomes '?' (which keeps this idempotent: a
/// RequestId read back reads the same).
TRTC_DECL void clean_request_id(std::string& id);

} // namespace detail

#if TRTC_DEFINITIONS

TRTC_DECL std::string field_reader::path() const {
    std::string p = parent_ != nullptr ? parent_->path_of(name_) : std::string(name_);
    if (index_ != no_index) {
        p += '[';
        p += std::to_string(index_);
        p += ']';
    }
    return p;
}

TRTC_DECL bool field_reader::string(std::string_view key, std::string& out, bool required,
                                    std::size_t max_bytes) {
    json::value v;
    if (!lookup(key, required, v)) return false;
    if (!v.exists()) {
        out.clear();
        return true;
    }
    if (!v.is_string()) return wrong(key, "a string", v);
    if (v.as_string().size() > max_bytes) return too_long(key, v.as_string().size(), max_bytes);
    detail::assign_field(out, v.as_string());
    return true;
}

TRTC_DECL bool field_reader::too_long(std::string_view key, std::size_t size,
                                      std::size_t max_bytes) {
    return fail(decode_errc::wrong_type, path_of(key) + " is " + std::to_string(size) +
                                             " bytes long, over the " + std::to_string(max_bytes) +
                                             " accepted");
}

TRTC_DECL bool field_reader::string_or_number(std::string_view key, std::string& out, bool required,
                                              std::size_t max_bytes) {
    json::value v;
    if (!lookup(key, required, v)) return false;
    if (!v.exists()) {
        out.clear();
        return true;
    }
    if (v.is_string())
        detail::assign_field(out, v.as_string());
    else if (v.is_number())
        detail::assign_field(out, v.number_text());
    else
        return wrong(key, "a string or a number", v);
    if (out.size() > max_bytes) return too_long(key, out.size(), max_bytes);
    return true;
}

TRTC_DECL bool field_reader::integer(std::string_view key, std::int64_t& out, bool required) {
    json::value v;
    if (!lookup(key, required, v)) return false;
    if (!v.exists()) {
        out = 0;
        return true;
    }
    if (!v.get(out)) return wrong(key, "an integer", v);
    return true;
}

TRTC_DECL bool field_reader::int32(std::string_view key, int& out, bool required) {
    std::int64_t v = 0;
    if (!integer(key, v, required)) return false;
    if (v < INT32_MIN || v > INT32_MAX) return wrong(key, "a 32-bit integer", obj_[key]);
    out = static_cast<int>(v);
    return true;
}

TRTC_DECL bool field_reader::boolean(std::string_view key, bool& out, bool required) {
    json::value v;
    if (!lookup(key, required, v)) return false;
    if (!v.exists()) {
        out = false;
        return true;
    }
    if (!v.get(out)) return wrong(key, "a boolean", v);
    return true;
}

TRTC_DECL bool field_reader::strings(std::string_view key, std::vector<std::string>& out,
                                     bool required) {
    json::value list;
    if (!lookup(key, required, list)) return false;
    out.clear();
    if (!list.exists()) return true;
    if (!list.is_array()) return wrong(key, "an array", list);
    out.reserve(list.size());
    std::size_t i = 0;
    for (json::value item : list) {
        if (!item.is_string()) {
            field_reader e(item, *this, key, i);
            e.wrong_self("a string");
            return adopt(e);
        }
        out.emplace_back(item.as_string());
        ++i;
    }
    return true;
}

TRTC_DECL bool field_reader::object(std::string_view key, json::value& out, bool required) {
    if (!lookup(key, required, out)) return false;
    if (out.exists() && !out.is_object()) return wrong(key, "an object", out);
    return true;
}

TRTC_DECL std::string field_reader::path_of(std::string_view key) const {
    std::string p = path();
    if (!p.empty()) p += '.';
    p += key;
    return p;
}

TRTC_DECL bool field_reader::wrong_self(const char* expected) {
    return fail(decode_errc::wrong_type,
                path() + " should be " + expected + ", not " + json::to_string(obj_.kind()));
}

TRTC_DECL bool field_reader::adopt(field_reader& child) {
    if (!failed_) err_ = std::move(child.err_);
    failed_ = true;
    return false;
}

TRTC_DECL bool field_reader::lookup(std::string_view key, bool required, json::value& out) {
    if (failed_) return false;
    out = obj_.find_from(key, cursor_);
    if (out.exists() && out.is_null()) out = json::value();
    if (!out.exists() && required)
        return fail(decode_errc::missing_field, path_of(key) + " is missing");
    return true;
}

TRTC_DECL bool field_reader::wrong(std::string_view key, const char* expected, json::value v) {
    std::string m = path_of(key) + " should be " + expected + ", not ";
    if (v.is_number()) {
        m += "the number ";
        m += v.number_text().substr(0, 40);
    } else {
        m += json::to_string(v.kind());
    }
    return fail(decode_errc::wrong_type, std::move(m));
}

inline bool field_reader::fail(decode_errc c, std::string message) {
    if (!failed_) err_ = error(c, std::move(message));
    failed_ = true;
    return false;
}

namespace detail {

TRTC_DECL void clean_request_id(std::string& id) {
    if (id.size() > 128) id.resize(128);
    for (char& c : id)
        if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7F) c = '?';
}

} // namespace detail

#endif // TRTC_DEFINITIONS

TRTC_END_NAMESPACE

#endif // TRTC_ENDPOINT_FIELDS_HPP
/// @file
/// @brief The one-pass decoder of successful responses: reads a body's text straight into the
/// response struct through the JSON grammar (detail::json_grammar, which json::parse reads
/// through too) and the same field lists as field_reader, and gives up on anything unusual.
#ifndef TRTC_ENDPOINT_ONE_PASS_HPP
#define TRTC_ENDPOINT_ONE_PASS_HPP

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

TRTC_BEGIN_NAMESPACE
namespace detail {

class one_pass_object;

/// A single strict pass over a response body (RFC 8259, and the limits of a default
/// json::document, which is what builtin_json parses into) that stores each field where the
/// endpoint's field list says, with no document in between.
///
/// It only knows how to accept: on anything outside the usual shape of a success it gives up,
/// and its caller decodes the body through json::document instead, which accepts or refuses it
/// and names the problem. So it must never accept a body that json::parse() refuses or that
/// the field_reader path would refuse, and never read a value differently; the tests hold it to
/// both. It gives up on:
///  - any JSON error, and a key with an escape (keys are compared as written);
///  - a known field that is null, of the wrong type, missing when required, or twice in its
///    object; an integer with a fraction, an exponent or more than 18 digits; an int32 field
///    out of range;
///  - an unknown member whose value is an object or an array, or more than four unknown
///    members in one object (unknown scalars are checked and skipped);
///  - more values, or deeper nesting, than a default json::document allows.
class one_pass_reader {
  public:
    explicit one_pass_reader(std::string_view text) noexcept;

    /// Reads the whole text as one object, calling `fields(one_pass_object&)` as
    /// one_pass_object describes. False when it gave up.
    template <class Fields>
    bool document(Fields&& fields) {
        if (failed_ || !at('{') || !object(fields)) return give_up();
        return g_.finish() || give_up();
    }

  private:
    friend class one_pass_object;

    bool give_up() noexcept {
        failed_ = true;
        g_.fail(g_.pos(), "declined"); // stops the grammar too
        return false;
    }
    bool at(char c) const noexcept { return g_.peek() == c; }
    // Counts one more value (keys are not values), giving up past the document's limit.
    inline bool count_value() noexcept;
    // The key at the grammar's position, then its ':': its bytes, when it has no escape.
    inline bool key(std::string_view& out, bool after_comma) noexcept;
    // The string value at the grammar's position, escapes decoded into `out` (or only checked
    // when `out` is null).
    inline bool string_value(std::string* out);
    // An integer of at most 18 digits (no fraction, no exponent).
    inline bool integer(std::int64_t& out) noexcept;
    // A number, as written.
    inline bool number(std::string_view& out) noexcept;
    // A string, number, true, false or null, checked and passed over.
    inline bool skip_scalar() noexcept;

    // The object at the grammar's '{': each member's key is handed to `fields` (one call per
    // member), then `fields` is called once more to check what is required.
    template <class Fields>
    bool object(Fields& fields);

    // The array at the grammar's '[', of objects each appended to `out` and read by
    // `fields(one_pass_object&, T&)`.
    template <class T, class Fields>
    bool objects(std::vector<T>& out, Fields& fields);

    json_grammar g_;
    std::size_t values_ = 0;
    std::size_t depth_ = 0;
    bool failed_ = false;
};

/// One object being read by one_pass_reader: the field_reader vocabulary, for field lists
/// written once for both. A field list is called once per member, with that member's key:
/// the call whose key matches reads the value (and returns true), every other call does
/// nothing. A last call after the object's end gives up when a required field was missing.
class one_pass_object : public chrono_field_reads<one_pass_object> {
  public:
    using chrono_field_reads<one_pass_object>::integer; // durations and time points

    // Inline down to the key test, which is all that the calls for other members do; the
    // reads themselves are out of line.
    // Over `max_bytes`: the general path says so, naming the field.
    TRTC_ALWAYS_INLINE bool string(std::string_view key, std::string& out, bool required,
                                   std::size_t max_bytes = detail::max_response_text_bytes) {
        return take(key, required) && read_string(out) && (out.size() <= max_bytes || r_.give_up());
    }
    TRTC_ALWAYS_INLINE bool
    string_or_number(std::string_view key, std::string& out, bool required,
                     std::size_t max_bytes = detail::max_response_text_bytes) {
        return take(key, required) && read_string_or_number(out) &&
               (out.size() <= max_bytes || r_.give_up());
    }
    TRTC_ALWAYS_INLINE bool integer(std::string_view key, std::int64_t& out, bool required) {
        return take(key, required) && r_.integer(out);
    }
    TRTC_ALWAYS_INLINE bool int32(std::string_view key, int& out, bool required) {
        return take(key, required) && read_int32(out);
    }

    // Booleans and string lists are rare (the webhook configuration APIs): a body that has
    // one is declined, and read by field_reader.
    bool boolean(std::string_view key, bool&, bool required) {
        if (take(key, required)) r_.give_up();
        return false;
    }
    bool strings(std::string_view key, std::vector<std::string>&, bool required) {
        if (take(key, required)) r_.give_up();
        return false;
    }

    template <class Fields>
    bool object(std::string_view key, bool required, Fields&& fields) {
        if (!take(key, required)) return false;
        return r_.at('{') ? r_.object(fields) : r_.give_up();
    }

    template <class T, class Fields>
    bool objects(std::string_view key, std::vector<T>& out, bool required, Fields&& fields) {
        if (!take(key, required)) return false;
        return r_.at('[') ? r_.objects(out, fields) : r_.give_up();
    }

    /// Whether the reader still goes on.
    bool ok() const noexcept { return !r_.failed_; }

    /// Gives up on the whole body (a value the caller only accepts on the general path).
    void give_up() noexcept { r_.give_up(); }

  private:
    friend class one_pass_reader;

    explicit one_pass_object(one_pass_reader& r) noexcept : r_(r) {}

    // Whether the field `key`, the next in the list, is the current member (and not a second
    // one of that name). After the object, checks that a required field was there.
    TRTC_ALWAYS_INLINE bool take(std::string_view key, bool required) noexcept;

    bool read_string(std::string& out);
    bool read_string_or_number(std::string& out);
    bool read_int32(int& out);

    // The current member matched no field: checks and passes over its value, and gives up
    // on a second member of the same name.
    inline bool skip_unknown() noexcept;

    void begin_member(std::string_view key) noexcept {
        key_ = key;
        index_ = 0;
        matched_ = false;
    }

    one_pass_reader& r_;
    std::string_view key_;
    std::string_view unknown_[4];
    unsigned unknowns_ = 0;
    std::uint32_t seen_ = 0; // bit i: the list's field i was read (lists have under 32)
    unsigned index_ = 0;     // the next field's place in the list
    bool matched_ = false;
    bool finishing_ = false;
};

template <class Fields>
bool one_pass_reader::object(Fields& fields) {
    if (!count_value() || ++depth_ > json::limits().max_depth) return give_up();
    bool empty = false;
    g_.open(empty);
    one_pass_object obj(*this);
    if (!empty) {
        bool more = false;
        do {
            std::string_view name;
            if (!key(name, more)) return give_up();
            obj.begin_member(name);
            fields(obj);
            if (failed_ || (!obj.matched_ && !obj.skip_unknown())) return give_up();
            if (!g_.after_member(more)) return give_up();
        } while (more);
    }
    --depth_;
    obj.finishing_ = true;
    obj.index_ = 0;
    fields(obj);
    return !failed_;
}

template <class T, class Fields>
bool one_pass_reader::objects(std::vector<T>& out, Fields& fields) {
    if (!count_value() || ++depth_ > json::limits().max_depth) return give_up();
    bool empty = false;
    g_.open(empty);
    if (!empty) {
        // The battle APIs name at most a few rooms: one allocation covers the usual lists.
        out.reserve(8);
        bool more = false;
        do {
            if (!at('{')) return give_up();
            T& item = out.emplace_back();
            auto element = [&fields, &item](one_pass_object& o) { fields(o, item); };
            if (!object(element)) return false;
            if (!g_.after_element(more)) return give_up();
        } while (more);
    }
    --depth_;
    return true;
}

/// Decodes a body in one pass when it is a success (ErrorCode 0, ActionStatus not "FAIL") of
/// the usual shape: its envelope, and its Response object through `fields(one_pass_object&,
/// Response&)`. False when one_pass_reader gave up or the body is not a success; `out` is then
/// partly written and to be dropped.
template <class Response, class Fields>
bool decode_success_one_pass(std::string_view body, Response& out, Fields fields) {
    one_pass_reader r(body);
    envelope env;
    const bool read = r.document([&](one_pass_object& top) {
        read_envelope(top, env);
        if (env.code != 0) return top.give_up(); // an error: the general path reports it
        top.object("Response", true, [&](one_pass_object& o) { fields(o, out); });
    });
    if (!read || env.code != 0 || env.status == "FAIL") return false;
    clean_request_id(env.request_id);
    out.request_id = std::move(env.request_id);
    return true;
}

// ---- inline members, used by the templates above ------------------------------------------

inline bool one_pass_reader::count_value() noexcept {
    return ++values_ <= json::limits().max_nodes || give_up();
}

inline bool one_pass_reader::key(std::string_view& out, bool after_comma) noexcept {
    // The key's bytes as written: one run, or several when non-ASCII characters split it; an
    // escape declines (keys are compared as written).
    struct key_sink {
        const char* b = nullptr;
        const char* e = nullptr;
        void start(const char* quote) noexcept { b = e = quote + 1; }
        bool escape() noexcept { return false; }
        void append(const char* p, std::size_t n, const char*) noexcept { e = p + n; }
    } sink;
    if (!g_.key(sink, after_comma)) return false;
    out = std::string_view(sink.b, static_cast<std::size_t>(sink.e - sink.b));
    return true;
}

inline bool one_pass_reader::string_value(std::string* out) {
    // The first run is assigned (a fresh field keeps its inline buffer); the rest appended.
    struct string_sink {
        std::string* out;
        bool first = true;
        void start(const char*) noexcept {}
        bool escape() noexcept { return true; }
        void append(const char* p, std::size_t n, const char*) {
            if (out == nullptr) return;
            if (first) {
                assign_field(*out, std::string_view(p, n));
                first = false;
            } else {
                out->append(p, n);
            }
        }
    } sink{out};
    return g_.string(sink) && count_value();
}

inline bool one_pass_reader::integer(std::int64_t& out) noexcept {
    const char c = g_.peek();
    if (c != '-' && static_cast<unsigned char>(c - '0') >= 10) return give_up();
    std::string_view text;
    if (!g_.number(text)) return give_up();
    const bool negative = text[0] == '-';
    const std::string_view digits = text.substr(negative ? 1 : 0);
    if (digits.size() > 18) return give_up();
    std::uint64_t v = 0;
    for (char ch : digits) {
        const unsigned d = static_cast<unsigned char>(ch) - unsigned{'0'};
        if (d > 9) return give_up(); // a fraction or an exponent
        v = v * 10 + d;
    }
    out = negative ? -static_cast<std::int64_t>(v) : static_cast<std::int64_t>(v);
    return count_value();
}

inline bool one_pass_reader::number(std::string_view& out) noexcept {
    const char c = g_.peek();
    if (c != '-' && static_cast<unsigned char>(c - '0') >= 10) return give_up();
    return (g_.number(out) || give_up()) && count_value();
}

inline bool one_pass_reader::skip_scalar() noexcept {
    bool ok = false;
    switch (g_.peek()) {
    case '"':
        return string_value(nullptr);
    case 't':
        ok = g_.literal("true", 4);
        break;
    case 'f':
        ok = g_.literal("false", 5);
        break;
    case 'n':
        ok = g_.literal("null", 4);
        break;
    default: {
        std::string_view ignored;
        return number(ignored);
    }
    }
    return (ok || give_up()) && count_value();
}

TRTC_ALWAYS_INLINE bool one_pass_object::take(std::string_view key, bool required) noexcept {
    const std::uint32_t bit = std::uint32_t{1} << (index_++ & 31u);
    if (finishing_) {
        if (required && (seen_ & bit) == 0) r_.give_up();
        return false;
    }
    // The key is a literal: its size is known here, and memcmp of a known size is a few loads.
    if (matched_ || key.size() != key_.size() || std::memcmp(key.data(), key_.data(), key.size()))
        return false;
    matched_ = true;
    if ((seen_ & bit) != 0) return r_.give_up(); // the same key twice
    seen_ |= bit;
    return true;
}

inline bool one_pass_object::skip_unknown() noexcept {
    for (unsigned i = 0; i < unknowns_; ++i)
        if (unknown_[i] == key_) return r_.give_up(); // the same key twice
    if (unknowns_ == 4) return r_.give_up();
    unknown_[unknowns_++] = key_;
    return r_.skip_scalar();
}

#if TRTC_DEFINITIONS

TRTC_DECL one_pass_reader::one_pass_reader(std::string_view text) noexcept
    : g_(text.data(), text.data() + text.size()) {
    // A string is never longer than the text: within max_string when the text is.
    const json::limits l;
    if (text.size() > l.max_input || text.size() > l.max_string) give_up();
}

TRTC_DECL bool one_pass_object::read_string(std::string& out) {
    return r_.at('"') ? r_.string_value(&out) : r_.give_up();
}

TRTC_DECL bool one_pass_object::read_string_or_number(std::string& out) {
    if (r_.at('"')) return r_.string_value(&out);
    std::string_view s;
    if (!r_.number(s)) return false;
    assign_field(out, s);
    return true;
}

TRTC_DECL bool one_pass_object::read_int32(int& out) {
    std::int64_t v = 0;
    if (!r_.integer(v)) return false;
    if (v < INT32_MIN || v > INT32_MAX) return r_.give_up();
    out = static_cast<int>(v);
    return true;
}

#endif // TRTC_DEFINITIONS

} // namespace detail
TRTC_END_NAMESPACE

#endif // TRTC_ENDPOINT_ONE_PASS_HPP
/// @file
/// @brief trtc::validator: the rule checks an endpoint's `validate(const request&,
/// trtc::validator&)` makes. Every violation is collected, each naming the field (with its list
/// index) and quoting the offending value.
#ifndef TRTC_ENDPOINT_VALIDATOR_HPP
#define TRTC_ENDPOINT_VALIDATOR_HPP

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#if TRTC_DEFINITIONS
#endif

TRTC_BEGIN_NAMESPACE
namespace detail {

/// The most bytes a room id may have (the Live service's documented limit).
inline constexpr std::size_t max_room_id_bytes = 48;
/// The most rooms a list may name. The service documents no limit; a co-host connection holds
/// at most 9 hosts, so this only stops runaway input.
inline constexpr std::size_t max_room_list = 1000;

} // namespace detail

/// Collects violations; finish() turns them into one errc::invalid_request error.
class validator {
  public:
    /// Records a violation of `field`.
    void add(std::string field, std::string message);
    /// Records a violation of `field`.
    void add(std::string_view field, std::string message) {
        add(std::string(field), std::move(message));
    }
    /// Records a violation of `field` (a literal).
    void add(const char* field, std::string message) {
        add(std::string(field), std::move(message));
    }

    /// Whether `value` is a valid room id (see room_id()).
    static bool room_id_ok(std::string_view value) noexcept;

    /// `field` with an index: `ToRoomIdList[3]`.
    static std::string indexed(std::string_view field, std::size_t i);

    /// A value quoted for a message: escaped and cut to 64 bytes.
    static std::string quote(std::string_view value);

    /// A room id: non-empty, at most 48 bytes, printable ASCII (0x20-0x7E).
    void room_id(std::string_view field, std::string_view value);

    /// A free-form text: valid UTF-8, no NUL (which some back ends truncate at).
    void text(std::string_view field, std::string_view value);

    /// An opaque identifier issued by the service (a BattleId): non-empty, at most
    /// `max_bytes`, valid UTF-8 without control characters.
    void token(std::string_view field, std::string_view value, std::size_t max_bytes);

    /// A list of room ids: non-empty, at most detail::max_room_list entries, each valid, no
    /// duplicates, none equal to `exclude` (named `exclude_field`) when that is given.
    template <class Range, class Get>
    void room_id_list(std::string_view field, const Range& list, Get get,
                      std::string_view exclude = {}, std::string_view exclude_field = {}) {
        if (list.empty()) {
            add(std::string(field), "must list at least one room");
            return;
        }
        if (list.size() > detail::max_room_list) {
            add(std::string(field), "lists " + std::to_string(list.size()) + " rooms; at most " +
                                        std::to_string(detail::max_room_list) + " are accepted");
            return;
        }
        // The common case, a short list with nothing wrong, is checked without allocating;
        // anything wrong falls through to the full check, which reports every violation.
        constexpr std::size_t quick_max = 16;
        if (list.size() <= quick_max) {
            std::string_view ids[quick_max];
            std::size_t n = 0;
            bool clean = true;
            for (const auto& item : list) {
                const std::string_view id = get(item);
                if (!room_id_ok(id) || (!exclude_field.empty() && id == exclude)) {
                    clean = false;
                    break;
                }
                for (std::size_t k = 0; k < n && clean; ++k) clean = ids[k] != id;
                if (!clean) break;
                ids[n++] = id;
            }
            if (clean) return;
        }
        // Sorted (id, index) pairs find duplicates in n log n; each is reported against its
        // first occurrence, in list order.
        std::vector<std::pair<std::string_view, std::size_t>> sorted;
        sorted.reserve(list.size());
        std::size_t i = 0;
        for (const auto& item : list) sorted.emplace_back(get(item), i++);
        // Insertion sort: only reached for lists with a problem or over 16 rooms (at most
        // detail::max_room_list), and it spares every includer <algorithm>.
        for (std::size_t a = 1; a < sorted.size(); ++a) {
            const auto x = sorted[a];
            std::size_t b = a;
            for (; b > 0 && x < sorted[b - 1]; --b) sorted[b] = sorted[b - 1];
            sorted[b] = x;
        }
        std::vector<std::size_t> first_of(list.size(), SIZE_MAX);
        for (std::size_t k = 1; k < sorted.size(); ++k)
            if (sorted[k].first == sorted[k - 1].first && !sorted[k].first.empty())
                first_of[sorted[k].second] = first_of[sorted[k - 1].second] == SIZE_MAX
                                                 ? sorted[k - 1].second
                                                 : first_of[sorted[k - 1].second];
        i = 0;
        for (const auto& item : list) {
            std::string_view id = get(item);
            std::string f = indexed(field, i);
            room_id(f, id);
            if (!exclude_field.empty() && !id.empty() && id == exclude)
                add(f, quote(id) + " is the same room as " + std::string(exclude_field));
            if (first_of[i] != SIZE_MAX)
                add(f, quote(id) + " is a duplicate of " + indexed(field, first_of[i]));
            ++i;
        }
    }

    /// True when nothing was found.
    bool ok() const noexcept { return violations_.empty(); }

    /// Success, or errc::invalid_request listing every violation.
    result<void> finish(std::string_view what);

  private:
    std::vector<field_violation> violations_;
};

#if TRTC_DEFINITIONS

TRTC_DECL void validator::add(std::string field, std::string message) {
    violations_.push_back({std::move(field), std::move(message)});
}

TRTC_DECL bool validator::room_id_ok(std::string_view value) noexcept {
    return !value.empty() && value.size() <= detail::max_room_id_bytes &&
           detail::is_printable_ascii(value);
}

TRTC_DECL std::string validator::indexed(std::string_view field, std::size_t i) {
    std::string f(field);
    f += '[';
    f += std::to_string(i);
    f += ']';
    return f;
}

TRTC_DECL std::string validator::quote(std::string_view value) {
    std::string q;
    detail::append_escaped_for_message(q, value, 64);
    return q;
}

TRTC_DECL void validator::room_id(std::string_view field, std::string_view value) {
    if (value.empty()) {
        add(field, "must not be empty");
    } else if (value.size() > detail::max_room_id_bytes) {
        add(field, quote(value) + " is " + std::to_string(value.size()) +
                       " bytes; a room id has at most " +
                       std::to_string(detail::max_room_id_bytes));
    } else if (!detail::is_printable_ascii(value)) {
        add(field, quote(value) + " must contain only printable ASCII characters (0x20-0x7E)");
    }
}

TRTC_DECL void validator::text(std::string_view field, std::string_view value) {
    if (!detail::utf8_valid(value)) {
        add(field, quote(value) + " is not valid UTF-8");
    } else if (value.find('\0') != std::string_view::npos) {
        add(field, quote(value) + " contains a NUL character");
    }
}

TRTC_DECL void validator::token(std::string_view field, std::string_view value,
                                std::size_t max_bytes) {
    if (value.empty()) {
        add(field, "must not be empty");
        return;
    }
    if (value.size() > max_bytes) {
        add(field, quote(value) + " is " + std::to_string(value.size()) + " bytes; at most " +
                       std::to_string(max_bytes) + " are accepted");
        return;
    }
    if (!detail::utf8_valid(value)) {
        add(field, quote(value) + " is not valid UTF-8");
        return;
    }
    for (char ch : value) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x20 || c == 0x7F) {
            add(field, quote(value) + " contains a control character");
            return;
        }
    }
}

TRTC_DECL result<void> validator::finish(std::string_view what) {
    if (violations_.empty()) return {};
    std::string msg(what);
    msg += " is invalid: ";
    msg += std::to_string(violations_.size());
    msg += violations_.size() == 1 ? " problem (" : " problems (first: ";
    msg += violations_.front().field;
    msg += ": ";
    msg += violations_.front().message;
    msg += ')';
    error e(errc::invalid_request, std::move(msg));
    e.set_violations(std::move(violations_));
    violations_.clear();
    return e;
}

#endif // TRTC_DEFINITIONS

TRTC_END_NAMESPACE

#endif // TRTC_ENDPOINT_VALIDATOR_HPP
/// @file
/// @brief trtc::write_response: a decoded response written back as its Response object, driven by
/// the endpoint's field list (`read_fields`) through trtc::field_writer, which plays the
/// reader's part: each read of the list writes that member instead, under the key the list
/// names, in the list's order.
#ifndef TRTC_ENDPOINT_WRITER_HPP
#define TRTC_ENDPOINT_WRITER_HPP

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

TRTC_BEGIN_NAMESPACE

/// The field list vocabulary of trtc::field_reader, writing: every member is written, optional
/// or not (an absent optional field was read as the empty value, which reads back the same),
/// strings read by string_or_number() as strings. Each call returns false: it stored nothing in
/// `out`, so a list that converts a value after reading it (`if (r.integer(k, n, false)) x = f(n)`)
/// leaves the response alone, but writes `n` as it found it: write_response() needs lists that
/// read every field straight into the response, as the library's do.
class field_writer {
  public:
    explicit field_writer(json::writer& w) noexcept : w_(&w) {}

    bool string(std::string_view key, const std::string& value, bool /*required*/,
                std::size_t /*max_bytes*/ = 0) {
        w_->key(key);
        w_->string(value);
        return false;
    }

    bool string_or_number(std::string_view key, const std::string& value, bool /*required*/,
                          std::size_t /*max_bytes*/ = 0) {
        return string(key, value, false);
    }

    bool integer(std::string_view key, std::int64_t value, bool /*required*/) {
        w_->key(key);
        w_->integer(value);
        return false;
    }

    /// A duration, as the count of its own unit (std::chrono::milliseconds: milliseconds).
    template <class Rep, class Period,
              class = std::enable_if_t<std::is_integral_v<Rep> && std::is_signed_v<Rep>>>
    bool integer(std::string_view key, const std::chrono::duration<Rep, Period>& value,
                 bool /*required*/) {
        return integer(key, std::int64_t{value.count()}, false);
    }

    /// A time point, as the count of its duration's unit since its clock's epoch (unix_time:
    /// Unix seconds).
    template <class Clock, class Duration>
    bool integer(std::string_view key, const std::chrono::time_point<Clock, Duration>& value,
                 bool /*required*/) {
        return integer(key, value.time_since_epoch(), false);
    }

    bool int32(std::string_view key, int value, bool /*required*/) {
        return integer(key, std::int64_t{value}, false);
    }

    bool boolean(std::string_view key, bool value, bool /*required*/) {
        w_->key(key);
        w_->boolean(value);
        return false;
    }

    /// An array member of strings.
    bool strings(std::string_view key, const std::vector<std::string>& items, bool /*required*/) {
        w_->key(key);
        w_->begin_array();
        for (const std::string& item : items) w_->string(item);
        w_->end_array();
        return false;
    }

    /// An object member: `fields(field_writer&)` writes its members.
    template <class Fields>
    bool object(std::string_view key, bool /*required*/, Fields&& fields) {
        w_->key(key);
        w_->begin_object();
        fields(*this);
        w_->end_object();
        return false;
    }

    /// An array member of objects: `fields(field_writer&, T&)` writes each element's members.
    template <class T, class Fields>
    bool objects(std::string_view key, std::vector<T>& items, bool /*required*/, Fields&& fields) {
        w_->key(key);
        w_->begin_array();
        for (T& item : items) {
            w_->begin_object();
            fields(*this, item);
            w_->end_object();
        }
        w_->end_array();
        return false;
    }

    /// Always true: writing cannot fail.
    bool ok() const noexcept { return true; }

  private:
    json::writer* w_;
};

/// Writes `resp`, a response of endpoint `E`, to `w` as the Response object of a success body:
/// `{"BattleId":"..","Result":[..]}`, its members as E::read_fields lists them (RequestId and the
/// `random`, which belong to the envelope, are not written). decode<E>() of a success body with
/// this Response reads back the same fields. Every field is written, a secret one too
/// (get_callback_token's token): do not log what it writes for such an endpoint.
template <class E>
void write_response(const typename E::response& resp, json::writer& w) {
    // read_fields takes the response by reference to fill it: a copy gives it one to walk.
    typename E::response copy = resp;
    field_writer out(w);
    w.begin_object();
    E::read_fields(out, copy);
    w.end_object();
}

/// The field list vocabulary of trtc::field_reader, visiting: `f(std::string&)` is called on
/// every text member a field list names (strings, string_or_number strings, each item of a
/// string array), in the list's order, nested objects and arrays of objects included; the other
/// members are left alone. Each call returns false (nothing read).
template <class F>
class text_visitor {
  public:
    explicit text_visitor(F& f) noexcept : f_(&f) {}

    bool string(std::string_view /*key*/, std::string& value, bool /*required*/,
                std::size_t /*max_bytes*/ = 0) {
        (*f_)(value);
        return false;
    }
    bool string_or_number(std::string_view key, std::string& value, bool /*required*/,
                          std::size_t /*max_bytes*/ = 0) {
        return string(key, value, false);
    }
    /// Integers of any type the lists read (std::int64_t, durations, time points): not text.
    template <class T>
    bool integer(std::string_view /*key*/, T& /*value*/, bool /*required*/) noexcept {
        return false;
    }
    bool int32(std::string_view /*key*/, int& /*value*/, bool /*required*/) noexcept {
        return false;
    }
    bool boolean(std::string_view /*key*/, bool& /*value*/, bool /*required*/) noexcept {
        return false;
    }
    bool strings(std::string_view /*key*/, std::vector<std::string>& items, bool /*required*/) {
        for (std::string& item : items) (*f_)(item);
        return false;
    }
    template <class Fields>
    bool object(std::string_view /*key*/, bool /*required*/, Fields&& fields) {
        fields(*this);
        return false;
    }
    template <class T, class Fields>
    bool objects(std::string_view /*key*/, std::vector<T>& items, bool /*required*/,
                 Fields&& fields) {
        for (T& item : items) fields(*this, item);
        return false;
    }
    /// Always true: visiting cannot fail.
    bool ok() const noexcept { return true; }

  private:
    F* f_;
};

/// Calls `f(std::string&)` on every text of `resp`, a response of endpoint `E`: each text field
/// its field list names (E::read_fields) and the RequestId. For what a caller does to every
/// server-supplied text before showing it: the CLI removes pieces of the UserSig a server may
/// have echoed (trtc::redact_secrets), and could escape or cut them.
template <class E, class F>
void for_each_text(typename E::response& resp, F&& f) {
    f(resp.request_id);
    text_visitor<std::remove_reference_t<F>> v(f);
    E::read_fields(v, resp);
}

TRTC_END_NAMESPACE

#endif // TRTC_ENDPOINT_WRITER_HPP

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

TRTC_BEGIN_NAMESPACE

/// What every decoded response carries besides its fields: quote both in a support ticket.
struct response_meta {
    /// The service's RequestId ("" if the response had none).
    std::string request_id;
    /// The `random` query parameter the request was sent with.
    std::uint32_t random = 0;
};

namespace detail {

template <class>
inline constexpr bool always_false = false;

template <class E, class = void>
struct endpoint_has_names : std::false_type {};
template <class E>
struct endpoint_has_names<
    E, std::enable_if_t<std::is_convertible_v<decltype(E::service), std::string_view> &&
                        std::is_convertible_v<decltype(E::command), std::string_view> &&
                        std::is_same_v<std::decay_t<decltype(E::idempotent)>, bool>>>
    : std::true_type {};

template <class E, class = void>
struct endpoint_has_request : std::false_type {};
template <class E>
struct endpoint_has_request<E, std::void_t<typename E::request, typename E::request::endpoint>>
    : std::is_same<typename E::request::endpoint, E> {};

template <class E, class = void>
struct endpoint_has_response : std::false_type {};
template <class E>
struct endpoint_has_response<E, std::void_t<typename E::response>>
    : std::bool_constant<std::is_base_of_v<response_meta, typename E::response> &&
                         std::is_default_constructible_v<typename E::response>> {};

template <class E, class = void>
struct endpoint_has_validate : std::false_type {};
template <class E>
struct endpoint_has_validate<
    E, std::enable_if_t<std::is_void_v<decltype(E::validate(
           std::declval<const typename E::request&>(), std::declval<validator&>()))>>>
    : std::true_type {};

template <class E, class = void>
struct endpoint_has_encode : std::false_type {};
template <class E>
struct endpoint_has_encode<
    E, std::void_t<decltype(E::encode(std::declval<const typename E::request&>(),
                                      std::declval<json::writer&>())),
                   decltype(E::encode(std::declval<const typename E::request&>(),
                                      std::declval<json::document&>()))>> : std::true_type {};

template <class E, class = void>
struct endpoint_has_read_fields : std::false_type {};
template <class E>
struct endpoint_has_read_fields<
    E, std::void_t<decltype(E::read_fields(std::declval<field_reader&>(),
                                           std::declval<typename E::response&>()))>>
    : std::true_type {};

/// Optional members of the contract. `static constexpr bool response_optional = true;`: a
/// success may come without a Response object (the APIs whose answer is the envelope alone,
/// such as set_callback); decode() then returns an empty response.
template <class E, class = void>
struct endpoint_response_optional : std::false_type {};
template <class E>
struct endpoint_response_optional<E, std::enable_if_t<E::response_optional>> : std::true_type {};

/// `static constexpr bool response_holds_secret = true;`: the response carries a secret (the
/// webhook token of get_callback_token), so decode() quotes no excerpt of its body in errors.
template <class E, class = void>
struct endpoint_response_holds_secret : std::false_type {};
template <class E>
struct endpoint_response_holds_secret<E, std::enable_if_t<E::response_holds_secret>>
    : std::true_type {};

/// The endpoint contract's check: each rule that `E` breaks fails a static_assert whose message
/// shows what is expected (the first broken rule only: the later ones need the earlier).
template <class E>
constexpr bool check_endpoint() {
    if constexpr (!endpoint_has_names<E>::value) {
        static_assert(always_false<E>,
                      "trtc endpoint: declare `static constexpr std::string_view service` (e.g. "
                      "\"live_engine_http_pk\"), `static constexpr std::string_view command` "
                      "(e.g. \"get_battle_info\") and `static constexpr bool idempotent`");
        return false;
    } else if constexpr (!endpoint_has_request<E>::value) {
        static_assert(always_false<E>,
                      "trtc endpoint: declare `struct request { using endpoint = <the endpoint>; "
                      "... };`");
        return false;
    } else if constexpr (!endpoint_has_response<E>::value) {
        static_assert(always_false<E>,
                      "trtc endpoint: declare `struct response : trtc::response_meta { ... };`, "
                      "default-constructible");
        return false;
    } else if constexpr (!endpoint_has_validate<E>::value) {
        static_assert(always_false<E>, "trtc endpoint: declare `static void validate(const "
                                       "request&, trtc::validator&)`, every rule of a request");
        return false;
    } else if constexpr (!endpoint_has_encode<E>::value) {
        static_assert(always_false<E>,
                      "trtc endpoint: declare `template <class Sink> static void encode(const "
                      "request&, Sink&)`, writing the body through begin_object(), key(), "
                      "string(), integer(), ... (Sink: trtc::json::writer or json::document)");
        return false;
    } else if constexpr (!endpoint_has_read_fields<E>::value) {
        static_assert(always_false<E>,
                      "trtc endpoint: declare `template <class Reader> static void "
                      "read_fields(Reader&, response&)`, the Response object's fields read "
                      "through string(), integer(), int32(), object(), objects() "
                      "(Reader: trtc::field_reader and the one-pass reader)");
        return false;
    } else {
        return true;
    }
}

/// The Response object `resp` of a success of `E`, read through E::read_fields over a
/// json::document: the first failure, or success.
template <class E>
result<void> read_response_of(json::value resp, typename E::response& out) {
    return read_response(resp, out, [](auto& r, typename E::response& o) { E::read_fields(r, o); });
}

/// A whole success body of `E` read in one pass through E::read_fields, or declined (false;
/// `out` is then partly written): see endpoint/one_pass.hpp.
template <class E>
bool read_success_in_one_pass(std::string_view body, typename E::response& out) {
    return decode_success_one_pass(body, out,
                                   [](auto& r, typename E::response& o) { E::read_fields(r, o); });
}

} // namespace detail

TRTC_END_NAMESPACE

#endif // TRTC_ENDPOINT_HPP

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

TRTC_BEGIN_NAMESPACE

namespace detail {
/// The most bytes accepted in a BattleId (the service issues 44-character ids).
inline constexpr std::size_t max_battle_id_bytes = 256;

} // namespace detail

/// `create_battle`: start a battle between a caller room and one or more callee rooms. The
/// rooms must already be connected (co-hosting); the service does not check that.
/// Not idempotent: a request that may have reached the service is never resent.
struct create_battle {
    static constexpr std::string_view service = "live_engine_http_pk";
    static constexpr std::string_view command = "create_battle";
    static constexpr bool idempotent = false;

    /// The longest battle accepted: the service keeps Duration in a signed 32-bit integer of
    /// milliseconds (about 24.8 days).
    static constexpr std::chrono::milliseconds max_duration{2147483647};

    /// The largest ExtensionInfo accepted. The service documents no limit (room metadata
    /// values are limited to 2 KB); this only stops runaway input.
    static constexpr std::size_t max_extension_info = 65536;

    struct request {
        using endpoint = create_battle;
        /// The caller's room (FromRoomId).
        std::string from_room_id;
        /// The callee rooms (ToRoomIdList): at least one, no duplicates, not the caller.
        std::vector<std::string> to_room_ids;
        /// How long the battle lasts (Duration, sent in milliseconds).
        std::chrono::milliseconds duration{0};
        /// Free-form data passed to the rooms' owners (ExtensionInfo), optional.
        std::optional<std::string> extension_info;
    };

    /// Per-callee outcome codes (ResultCode). Others may appear and are kept as they are.
    enum room_code : int { initiated = 0, already_in_battle = 3, system_error = 5 };

    struct room_result {
        std::string room_id;
        /// 0 initiated, 3 already in another battle, 5 system error (see room_code).
        int result_code = 0;
        std::string result_message;
        /// Whether the invitation to this room went out.
        bool ok() const noexcept { return result_code == initiated; }
    };

    struct response : response_meta {
        std::string battle_id;
        /// One entry per callee room, in the service's order.
        std::vector<room_result> results;
    };

    static void validate(const request& r, validator& v);

    template <class Sink>
    static void encode(const request& r, Sink& w) {
        w.begin_object();
        w.key("FromRoomId");
        w.string(r.from_room_id);
        w.key("ToRoomIdList");
        w.begin_array();
        for (const std::string& id : r.to_room_ids) w.string(id);
        w.end_array();
        w.key("Duration");
        w.integer(detail::narrow<std::int64_t>(r.duration.count()));
        if (r.extension_info) {
            w.key("ExtensionInfo");
            w.string(*r.extension_info);
        }
        w.end_object();
    }

    /// The Response object's field list (trtc::decode reads it through trtc::field_reader, or
    /// in one pass).
    template <class Reader>
    static void read_fields(Reader& r, response& out);
};

/// `get_battle_info`: a battle's rooms, scores and times, running or ended. Idempotent.
struct get_battle_info {
    static constexpr std::string_view service = "live_engine_http_pk";
    static constexpr std::string_view command = "get_battle_info";
    static constexpr bool idempotent = true;

    /// Exactly one of battle_id and room_id. Looking up by RoomId ("the battle this room is
    /// in") is documented only by older versions of the API page.
    struct request {
        using endpoint = get_battle_info;
        std::string battle_id;
        std::string room_id;

        static request by_battle_id(std::string id) { return {std::move(id), {}}; }
        static request by_room_id(std::string id) { return {{}, std::move(id)}; }
    };

    /// The only Status value the documentation shows: a finished battle.
    static constexpr int status_ended = 3;

    struct room_info {
        std::string room_id;
        std::int64_t score = 0;
        /// The room owner's account. Sent as a string or as a (64-bit) number: kept as text.
        std::string owner_account;
    };

    struct response : response_meta {
        std::string battle_id;
        std::chrono::milliseconds duration{0};
        /// Unix seconds; 0 when absent.
        unix_time start_time{};
        unix_time end_time{};
        /// 3 = ended (the only documented value); others kept as sent.
        int status = 0;
        room_info from_room;
        std::vector<room_info> to_rooms;
        bool ended() const noexcept { return status == status_ended; }
    };

    static void validate(const request& r, validator& v);

    template <class Sink>
    static void encode(const request& r, Sink& w) {
        w.begin_object();
        if (!r.battle_id.empty()) {
            w.key("BattleId");
            w.string(r.battle_id);
        } else {
            w.key("RoomId");
            w.string(r.room_id);
        }
        w.end_object();
    }

    /// The Response object's field list (trtc::decode reads it through trtc::field_reader, or
    /// in one pass).
    template <class Reader>
    static void read_fields(Reader& r, response& out);
    /// One room of FromRoomInfo and ToRoomList.
    template <class Reader>
    static void read_room(Reader& r, room_info& out);
};

/// The answer of `get_battle_info` by RoomId read as "the battle this room is in, if any".
///
/// For a room in no running battle (or no such room) the service answers ErrorCode 100004,
/// service_errc::live_room_not_found ("the room does not exist or was destroyed"), and so does
/// trtc::testing::emulator (emulator_options::unknown_battle_code). room_battle() turns that
/// answer into an empty optional and a battle into a filled one; every other error, the
/// transport's and errc::outcome_unknown included, is returned unchanged.
///
/// Use it on lookups by RoomId only: by BattleId, 100004 means an unknown BattleId. After
/// errc::outcome_unknown on create_battle, an empty optional for the caller's room means the
/// create did not take effect (docs/client.md, "Outcome unknown: reconciling").
///
/// @code
/// auto b = trtc::room_battle(client.get_battle_info(
///     trtc::get_battle_info::request::by_room_id("pk-1")));
/// if (!b) { /* an error: b.error() */ }
/// else if (!*b) { /* the room is in no battle */ }
/// else { /* (*b)->battle_id */ }
/// @endcode
inline result<std::optional<get_battle_info::response>>
room_battle(result<get_battle_info::response> r) {
    if (r) return std::optional<get_battle_info::response>(std::move(*r));
    if (r.error().code == service_errc::live_room_not_found)
        return std::optional<get_battle_info::response>();
    return std::move(r).error();
}

/// `set_battle_score`: add to or overwrite the scores of rooms in a battle. Not idempotent
/// when adding.
struct set_battle_score {
    static constexpr std::string_view service = "live_engine_http_pk";
    static constexpr std::string_view command = "set_battle_score";
    static constexpr bool idempotent = false;

    /// OpType: 1 adds to the current score, 2 replaces it.
    enum class operation : int { add = 1, overwrite = 2 };

    struct score {
        std::string room_id;
        std::int64_t value = 0;
    };

    struct request {
        using endpoint = set_battle_score;
        std::string battle_id;
        operation op = operation::add;
        std::vector<score> scores;
    };

    /// Per-room outcome codes (ResultCode). Others are kept as they are.
    enum room_code : int { set = 0, not_in_battle = 1 };

    struct room_result {
        std::string room_id;
        int result_code = 0;
        bool ok() const noexcept { return result_code == set; }
    };

    struct response : response_meta {
        std::vector<room_result> results;
    };

    /// The largest score magnitude accepted: exactly representable as a JSON number by every
    /// parser (2^53 - 1).
    static constexpr std::int64_t max_score = 9007199254740991;

    static void validate(const request& r, validator& v);

    template <class Sink>
    static void encode(const request& r, Sink& w) {
        w.begin_object();
        w.key("BattleId");
        w.string(r.battle_id);
        w.key("OpType");
        w.integer(static_cast<int>(r.op));
        w.key("ScoreList");
        w.begin_array();
        for (const score& s : r.scores) {
            w.begin_object();
            w.key("RoomId");
            w.string(s.room_id);
            w.key("Score");
            w.integer(s.value);
            w.end_object();
        }
        w.end_array();
        w.end_object();
    }

    /// The Response object's field list (trtc::decode reads it through trtc::field_reader, or
    /// in one pass).
    template <class Reader>
    static void read_fields(Reader& r, response& out);
};

// The field lists, templates over the reader: visible wherever trtc::decode reads a body.

template <class Reader>
void create_battle::read_fields(Reader& r, response& out) {
    r.string("BattleId", out.battle_id, true, detail::max_battle_id_bytes);
    r.objects("Result", out.results, true, [](auto& e, room_result& rr) {
        e.string("RoomId", rr.room_id, true, detail::max_battle_id_bytes);
        e.int32("ResultCode", rr.result_code, true);
        e.string("ResultMessage", rr.result_message, false);
    });
}

template <class Reader>
void get_battle_info::read_fields(Reader& r, response& out) {
    r.string("BattleId", out.battle_id, true, detail::max_battle_id_bytes);
    r.integer("Duration", out.duration, true);
    r.integer("StartTime", out.start_time, true);
    r.integer("EndTime", out.end_time, true);
    r.int32("Status", out.status, true);
    r.object("FromRoomInfo", true, [&out](auto& e) { read_room(e, out.from_room); });
    r.objects("ToRoomList", out.to_rooms, true,
              [](auto& e, room_info& info) { read_room(e, info); });
}

template <class Reader>
void get_battle_info::read_room(Reader& e, room_info& out) {
    e.string("RoomId", out.room_id, true, detail::max_battle_id_bytes);
    e.integer("Score", out.score, true);
    e.string_or_number("Owner_Account", out.owner_account, false);
}

template <class Reader>
void set_battle_score::read_fields(Reader& r, response& out) {
    r.objects("Result", out.results, true, [](auto& e, room_result& rr) {
        e.string("RoomId", rr.room_id, true, detail::max_battle_id_bytes);
        e.int32("ResultCode", rr.result_code, true);
    });
}

#if TRTC_DEFINITIONS

TRTC_DECL void create_battle::validate(const request& r, validator& v) {
    v.room_id("FromRoomId", r.from_room_id);
    v.room_id_list(
        "ToRoomIdList", r.to_room_ids, [](const std::string& s) -> std::string_view { return s; },
        r.from_room_id, "FromRoomId");
    if (r.duration.count() <= 0)
        v.add("Duration", std::to_string(r.duration.count()) + " ms must be positive");
    else if (r.duration > max_duration)
        v.add("Duration", std::to_string(r.duration.count()) + " ms exceeds the maximum of " +
                              std::to_string(max_duration.count()) + " ms");
    if (r.extension_info) {
        v.text("ExtensionInfo", *r.extension_info);
        if (r.extension_info->size() > max_extension_info)
            v.add("ExtensionInfo", std::to_string(r.extension_info->size()) +
                                       " bytes exceeds the maximum of " +
                                       std::to_string(max_extension_info));
    }
}

TRTC_DECL void get_battle_info::validate(const request& r, validator& v) {
    if (r.battle_id.empty() == r.room_id.empty()) {
        v.add("BattleId", r.battle_id.empty() ? "give a BattleId or a RoomId"
                                              : "give a BattleId or a RoomId, not both");
        return;
    }
    if (!r.battle_id.empty()) v.token("BattleId", r.battle_id, detail::max_battle_id_bytes);
    if (!r.room_id.empty()) v.room_id("RoomId", r.room_id);
}

TRTC_DECL void set_battle_score::validate(const request& r, validator& v) {
    v.token("BattleId", r.battle_id, detail::max_battle_id_bytes);
    if (r.op != operation::add && r.op != operation::overwrite)
        v.add("OpType",
              std::to_string(static_cast<int>(r.op)) + " is neither 1 (add) nor 2 (overwrite)");
    v.room_id_list("ScoreList", r.scores,
                   [](const score& s) -> std::string_view { return s.room_id; });
    for (std::size_t i = 0; i < r.scores.size() && i < detail::max_room_list; ++i) {
        std::int64_t s = r.scores[i].value;
        if (s > max_score || s < -max_score)
            v.add(validator::indexed("ScoreList", i) + ".Score",
                  std::to_string(s) + " is beyond +/-2^53-1");
    }
}

#endif // TRTC_DEFINITIONS

TRTC_END_NAMESPACE

#endif // TRTC_BATTLE_HPP
/// @file
/// @brief The HTTP request and response that cross the sans-I/O boundary.
#ifndef TRTC_HTTP_HPP
#define TRTC_HTTP_HPP

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

TRTC_BEGIN_NAMESPACE

/// A header name and value (views into static or request-owned storage).
struct http_header {
    std::string_view name;
    std::string_view value;
};

/// The User-Agent the library sends: `trtc-battle/MAJOR.MINOR.PATCH`.
inline constexpr std::string_view user_agent = "trtc-battle/" TRTC_VERSION_STRING;

/// A request ready for any transport: POST `url` with `body` and headers(). Transports add
/// Host and Content-Length (and Connection as they manage it); nothing else is needed.
struct http_request {
    /// Always "POST" for the REST API.
    std::string_view method = "POST";
    /// The absolute URL, query included. It holds the UserSig: never log it; log
    /// redacted_url() instead.
    std::string url;
    /// The JSON body, never empty.
    std::string body;
    /// The `random` query parameter, kept for error reports and support tickets.
    std::uint32_t random = 0;

    /// The headers to send besides Host and Content-Length.
    std::array<http_header, 2> headers() const noexcept {
        return {{{"Content-Type", "application/json"}, {"User-Agent", user_agent}}};
    }

    /// The URL with the value of `usersig` replaced by `REDACTED`: safe to log.
    std::string redacted_url() const { return redact_query_value(url, "usersig"); }

    /// `url` with the value of query parameter `name` replaced by `REDACTED`.
    static std::string redact_query_value(std::string_view url, std::string_view name);
};

/// What came back: the status and the (de-chunked) body.
struct http_response {
    int status = 0;
    std::string body;
};

#if TRTC_DEFINITIONS

TRTC_DECL std::string http_request::redact_query_value(std::string_view url,
                                                       std::string_view name) {
    std::string out;
    out.reserve(url.size());
    std::size_t q = url.find('?');
    if (q == std::string_view::npos) return std::string(url);
    out.append(url.substr(0, q + 1));
    std::string_view query = url.substr(q + 1);
    bool first = true;
    while (true) {
        std::size_t amp = query.find('&');
        std::string_view part = query.substr(0, amp);
        if (!first) out.push_back('&');
        first = false;
        std::size_t eq = part.find('=');
        if (part.substr(0, eq) == name) {
            out.append(name);
            out.append("=REDACTED");
        } else {
            out.append(part);
        }
        if (amp == std::string_view::npos) break;
        query = query.substr(amp + 1);
    }
    return out;
}

#endif // TRTC_DEFINITIONS

TRTC_END_NAMESPACE

#endif // TRTC_HTTP_HPP
/// @file
/// @brief Where requests go: the data-centre domains (primary and backup) and custom base URLs.
#ifndef TRTC_REGIONS_HPP
#define TRTC_REGIONS_HPP

/// @file
/// @brief Percent-encoding and a small absolute-URL splitter (http and https only).
#ifndef TRTC_DETAIL_URL_HPP
#define TRTC_DETAIL_URL_HPP

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#if TRTC_DEFINITIONS
#    include <cstring>
#endif

TRTC_BEGIN_NAMESPACE
namespace detail {

/// True for RFC 3986 unreserved characters: ALPHA DIGIT - . _ ~
constexpr bool is_unreserved(unsigned char c) noexcept {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

/// True for the characters a query value keeps as they are: the unreserved ones and `*`, which
/// RFC 3986 allows in a query and Tencent's UserSig alphabet (A-Z a-z 0-9 * - _) relies on.
constexpr bool is_query_safe(unsigned char c) noexcept {
    return is_unreserved(c) || c == '*';
}

/// True when `s` uses only the UserSig alphabets.
TRTC_DECL bool usersig_chars_ok(std::string_view s) noexcept;

/// The length of the run at the start of `p[0, n)` of bytes that go into a query as they are
/// (Tencent's UserSig alphabet A-Z a-z 0-9 * - _), one byte at a time (eight per step).
TRTC_DECL std::size_t usersig_plain_run_portable(const char* p, std::size_t n) noexcept;

#if TRTC_DETAIL_HAVE_VECTOR_SCAN
/// usersig_plain_run_portable(), sixteen bytes per step.
TRTC_DECL std::size_t usersig_plain_run_vector(const char* p, std::size_t n) noexcept;
#endif

/// usersig_plain_run_vector() where the compiler has vector extensions, else the portable one.
inline std::size_t usersig_plain_run(const char* p, std::size_t n) noexcept {
#if TRTC_DETAIL_HAVE_VECTOR_SCAN
    return usersig_plain_run_vector(p, n);
#else
    return usersig_plain_run_portable(p, n);
#endif
}

/// Appends a UserSig percent-encoded for the query, checking in the same pass that it uses
/// only the UserSig alphabets. False, with `out` partly written, on any other character.
TRTC_DECL bool append_usersig(std::string& out, std::string_view s);

/// Appends `s` percent-encoded for a query value: everything but is_query_safe() characters
/// becomes %XX (upper-case hex), so the value cannot break out of its parameter. A UserSig
/// passes through unchanged.
TRTC_DECL void append_percent_encoded(std::string& out, std::string_view s);

/// Decodes %XX escapes (and `+` as space when plus_is_space). False on a malformed escape.
TRTC_DECL bool percent_decode(std::string_view s, std::string& out, bool plus_is_space = true);

/// Splits a query string at `&` and `=` and percent-decodes each name and value (`+` as a
/// space), calling `param(const std::string& name, const std::string& value)` for each
/// non-empty part in order (a part without `=` has an empty value). False, after the
/// parameters before it, on a malformed escape.
template <class Param>
bool decode_query(std::string_view query, Param&& param) {
    std::string name, value;
    while (true) {
        const std::size_t amp = query.find('&');
        const std::string_view part = query.substr(0, amp);
        if (!part.empty()) {
            const std::size_t eq = part.find('=');
            const std::string_view raw_value =
                eq == std::string_view::npos ? std::string_view() : part.substr(eq + 1);
            if (!percent_decode(part.substr(0, eq), name) || !percent_decode(raw_value, value))
                return false;
            param(name, value);
        }
        if (amp == std::string_view::npos) return true;
        query = query.substr(amp + 1);
    }
}

/// The parts of an absolute http(s) URL. Views into the parsed string.
struct url_parts {
    std::string_view scheme; ///< "http" or "https" (lower-case in the input)
    std::string_view host;   ///< without brackets for an IPv6 literal
    std::uint16_t port = 0;  ///< explicit port, else 80 / 443
    bool explicit_port = false;
    bool ipv6_literal = false;
    std::string_view target; ///< path and query, "/" when empty; never holds a fragment
};

/// Splits `http[s]://host[:port][/path][?query]`. Rejects user-info, fragments, control
/// characters, spaces, empty hosts and ports outside 1..65535.
TRTC_DECL bool split_url(std::string_view url, url_parts& out) noexcept;

#if TRTC_DEFINITIONS

/// How each byte of a UserSig goes into a query: 0 not allowed, 1 copied (Tencent's alphabet
/// A-Z a-z 0-9 * - _), 2 percent-encoded (the standard base64 + / =).
struct usersig_char_table {
    unsigned char kind[256] = {};
    constexpr usersig_char_table() {
        for (int c = 'A'; c <= 'Z'; ++c) kind[c] = 1;
        for (int c = 'a'; c <= 'z'; ++c) kind[c] = 1;
        for (int c = '0'; c <= '9'; ++c) kind[c] = 1;
        for (char c : {'*', '-', '_'}) kind[static_cast<unsigned char>(c)] = 1;
        for (char c : {'+', '/', '='}) kind[static_cast<unsigned char>(c)] = 2;
    }
};
inline constexpr usersig_char_table usersig_chars{};

TRTC_DECL bool usersig_chars_ok(std::string_view s) noexcept {
    bool ok = true;
    for (char c : s) ok &= usersig_chars.kind[static_cast<unsigned char>(c)] != 0;
    return ok;
}

/// The length of the run at the start of `p[0, n)` of bytes whose `table` entry is 1, eight
/// bytes per step.
inline std::size_t table_run(const unsigned char (&table)[256], const char* p,
                             std::size_t n) noexcept {
    // Unsigned, not bool, so that the eight tests below combine with a branch-free `&`.
    auto in = [&table](const char* q) -> unsigned {
        return table[static_cast<unsigned char>(*q)] == 1 ? 1u : 0u;
    };
    std::size_t i = 0;
    while (n - i >= 8 && (in(p + i) & in(p + i + 1) & in(p + i + 2) & in(p + i + 3) &
                          in(p + i + 4) & in(p + i + 5) & in(p + i + 6) & in(p + i + 7)))
        i += 8;
    while (i != n && in(p + i)) ++i;
    return i;
}

/// Appends `s`: the runs `run(p, n)` measures as they are, each byte after a run as %XX
/// (upper-case hex). False, with `out` partly written, at a byte `refused(c)` is true for.
template <class Run, class Refused>
bool append_encoded(std::string& out, std::string_view s, Run run, Refused refused) {
    static constexpr char hex[] = "0123456789ABCDEF";
    const char* p = s.data();
    const char* const end = p + s.size();
    while (p != end) {
        const std::size_t n = run(p, static_cast<std::size_t>(end - p));
        out.append(p, n);
        p += n;
        if (p == end) break;
        const auto c = static_cast<unsigned char>(*p++);
        if (refused(c)) return false;
        const char e[3] = {'%', hex[c >> 4], hex[c & 15]};
        out.append(e, 3);
    }
    return true;
}

TRTC_DECL std::size_t usersig_plain_run_portable(const char* p, std::size_t n) noexcept {
    return table_run(usersig_chars.kind, p, n);
}

#    if TRTC_DETAIL_HAVE_VECTOR_SCAN
TRTC_DECL std::size_t usersig_plain_run_vector(const char* p, std::size_t n) noexcept {
    typedef unsigned char bytes __attribute__((vector_size(16)));
    typedef signed char lanes __attribute__((vector_size(16)));
    typedef char chars __attribute__((vector_size(16)));
    auto splat = [](int v) {
        const auto b = static_cast<unsigned char>(v);
        return bytes{b, b, b, b, b, b, b, b, b, b, b, b, b, b, b, b};
    };
    // A range [lo, lo + width) is tested with one addition and one signed comparison: adding
    // 0x80 - lo (mod 256) moves it to the bottom of the signed range, [-128, -128 + width).
    // OR-ing 0x20 first maps A-Z onto a-z and nothing else onto a-z ('@' and '[' to '_' land on
    // 0x60 and 0x7B-0x7F).
    const bytes case_bit = splat(0x20), to_letters = splat(0x80 - 'a'),
                to_digits = splat(0x80 - '0');
    const lanes letters_end = reinterpret_cast<lanes>(splat(0x80 + 26));
    const lanes digits_end = reinterpret_cast<lanes>(splat(0x80 + 10));
    const bytes star = splat('*'), dash = splat('-'), underscore = splat('_');
    auto all_plain = [&](const char* q) {
        bytes x;
        std::memcpy(&x, q, 16);
        const lanes ok = (reinterpret_cast<lanes>((x | case_bit) + to_letters) < letters_end) |
                         (reinterpret_cast<lanes>(x + to_digits) < digits_end) |
                         ((x == star) | (x == dash) | (x == underscore)); // already lanes
#        if defined(__SSE2__)
        return __builtin_ia32_pmovmskb128(reinterpret_cast<chars>(ok)) == 0xFFFF;
#        else
        std::uint64_t half[2];
        std::memcpy(half, &ok, 16);
        return (half[0] & half[1]) == ~std::uint64_t{0};
#        endif
    };
    std::size_t i = 0;
    while (n - i >= 16 && all_plain(p + i)) i += 16;
    // The last 1-15 bytes: the 16 that end the input, overlapping what passed.
    if (i != n && n >= 16 && n - i < 16 && all_plain(p + n - 16)) return n;
    return i + usersig_plain_run_portable(p + i, n - i);
}
#    endif

TRTC_DECL bool append_usersig(std::string& out, std::string_view s) {
    // A whole Tencent UserSig is one run: one scan and one append.
    return append_encoded(out, s, usersig_plain_run,
                          [](unsigned char c) { return usersig_chars.kind[c] == 0; });
}

/// is_query_safe() as a table (1 safe, 0 not): one load per byte in the encoding loop.
struct query_safe_table {
    unsigned char safe[256] = {};
    constexpr query_safe_table() {
        for (int c = 0; c < 256; ++c) safe[c] = is_query_safe(static_cast<unsigned char>(c));
    }
};
inline constexpr query_safe_table query_safe{};

TRTC_DECL void append_percent_encoded(std::string& out, std::string_view s) {
    append_encoded(
        out, s, [](const char* p, std::size_t n) { return table_run(query_safe.safe, p, n); },
        [](unsigned char) { return false; });
}

TRTC_DECL bool percent_decode(std::string_view s, std::string& out, bool plus_is_space) {
    out.clear();
    out.reserve(s.size());
    auto hexval = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c == '%') {
            if (i + 2 >= s.size()) return false;
            int hi = hexval(s[i + 1]), lo = hexval(s[i + 2]);
            if (hi < 0 || lo < 0) return false;
            out.push_back(static_cast<char>(hi * 16 + lo));
            i += 2;
        } else if (c == '+' && plus_is_space) {
            out.push_back(' ');
        } else {
            out.push_back(c);
        }
    }
    return true;
}

TRTC_DECL bool split_url(std::string_view url, url_parts& out) noexcept {
    out = url_parts{};
    for (char ch : url) {
        const auto c = static_cast<unsigned char>(ch);
        if (c <= 0x20 || c >= 0x7F) return false;
    }
    std::size_t colon = url.find("://");
    if (colon == std::string_view::npos) return false;
    out.scheme = url.substr(0, colon);
    if (out.scheme != "http" && out.scheme != "https") return false;
    std::string_view rest = url.substr(colon + 3);
    std::size_t end = rest.find_first_of("/?#");
    std::string_view authority = rest.substr(0, end);
    std::string_view target = end == std::string_view::npos ? std::string_view() : rest.substr(end);
    if (authority.find('@') != std::string_view::npos) return false;
    if (target.find('#') != std::string_view::npos) return false;
    std::string_view port_text;
    if (!authority.empty() && authority.front() == '[') {
        std::size_t close = authority.find(']');
        if (close == std::string_view::npos) return false;
        out.host = authority.substr(1, close - 1);
        out.ipv6_literal = true;
        std::string_view after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') return false;
            port_text = after.substr(1);
            out.explicit_port = true;
        }
        for (char c : out.host)
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') ||
                  c == ':' || c == '.'))
                return false;
    } else {
        std::size_t pc = authority.rfind(':');
        out.host = authority.substr(0, pc);
        if (pc != std::string_view::npos) {
            port_text = authority.substr(pc + 1);
            out.explicit_port = true;
        }
        for (char c : out.host)
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                  c == '-' || c == '.' || c == '_'))
                return false;
    }
    if (out.host.empty()) return false;
    if (out.explicit_port) {
        if (port_text.empty() || port_text.size() > 5) return false;
        unsigned v = 0;
        for (char c : port_text) {
            if (c < '0' || c > '9') return false;
            v = v * 10 + static_cast<unsigned>(c - '0');
        }
        if (v == 0 || v > 65535) return false;
        out.port = static_cast<std::uint16_t>(v);
    } else {
        out.port = out.scheme == "https" ? 443 : 80;
    }
    out.target = target.empty() ? std::string_view("/") : target;
    if (out.target.front() == '?') return false; // "http://h?x": no path; callers build "/?x"
    return true;
}

#endif // TRTC_DEFINITIONS

} // namespace detail
TRTC_END_NAMESPACE

#endif // TRTC_DETAIL_URL_HPP

#include <cstddef>
#include <string>
#include <string_view>

#if TRTC_DEFINITIONS
#endif

TRTC_BEGIN_NAMESPACE

/// The data centre an SDKAppID was created in. The REST API must be called on that centre's
/// domain (a wrong one answers 60026, 70016 or 70020).
enum class region { china, singapore, seoul, tokyo, frankfurt, mumbai, silicon_valley, jakarta };

/// A data centre's domains.
struct region_info {
    region id;
    /// The short name used on the command line: "china", "singapore", ...
    std::string_view name;
    /// Other accepted spellings, comma-separated.
    std::string_view aliases;
    /// The primary REST domain.
    std::string_view primary_host;
    /// The backup domain, for when the primary cannot be resolved or reached.
    std::string_view backup_host;
};

/// Every known data centre, in declaration order of trtc::region.
inline constexpr region_info regions[] = {
    {region::china, "china", "cn,mainland,shanghai", "console.tim.qq.com",
     "adminapi.my-imcloud.com"},
    {region::singapore, "singapore", "sgp,sg", "adminapisgp.im.qcloud.com",
     "adminapisgp.my-imcloud.com"},
    {region::seoul, "seoul", "kr,korea", "adminapikr.im.qcloud.com", "adminapikr.my-imcloud.com"},
    {region::tokyo, "tokyo", "jpn,jp,japan", "adminapijpn.im.qcloud.com",
     "adminapijpn.my-imcloud.com"},
    {region::frankfurt, "frankfurt", "ger,de,germany", "adminapiger.im.qcloud.com",
     "adminapiger.my-imcloud.com"},
    {region::mumbai, "mumbai", "ind,in,india", "adminapiind.im.qcloud.com",
     "adminapiind.my-imcloud.com"},
    {region::silicon_valley, "silicon-valley", "usa,us,silicon_valley,siliconvalley",
     "adminapiusa.im.qcloud.com", "adminapiusa.my-imcloud.com"},
    {region::jakarta, "jakarta", "idn,id,indonesia", "adminapiidn.im.qcloud.com",
     "adminapiidn.my-imcloud.com"},
};

/// The domains of a region.
constexpr const region_info& info(region r) noexcept {
    return regions[static_cast<int>(r)];
}

/// The region named `name` (its name or an alias, case-insensitive), or nullptr.
TRTC_DECL const region_info* find_region(std::string_view name) noexcept;

/// A validated base URL: scheme, host, port and an optional path prefix, to which
/// `/v4/<service>/<command>` is appended. For proxies, sidecars and the emulator.
class base_url {
  public:
    /// Parses `http[s]://host[:port][/prefix]`. The prefix may not hold a query or fragment;
    /// a trailing slash is dropped.
    static result<base_url> parse(std::string_view text);

    /// The base URL of a region's primary (or backup) domain, over HTTPS.
    static base_url of(region r, bool backup = false);

    /// The normalised text, without a trailing slash.
    const std::string& str() const noexcept { return text_; }
    /// Whether the scheme is https.
    bool is_https() const noexcept { return https_; }

    /// Appends `<base>/v4/<service>/<command>` to `out`.
    void append_api_path(std::string& out, std::string_view service,
                         std::string_view command) const;

  private:
    base_url() = default;
    std::string text_;
    bool https_ = false;
};

/// Where the service is: a primary base URL and, for the Tencent data centres, a backup one
/// that the client tries when the primary cannot be resolved or connected to.
struct location {
    base_url primary;
    base_url backup;
    bool has_backup = false;

    /// A data centre: its primary domain, with its backup domain.
    static location of(region r) { return {base_url::of(r), base_url::of(r, true), true}; }
    /// A custom base URL (a proxy, a sidecar, the emulator), with no backup.
    static result<location> parse(std::string_view url);
    /// A custom primary and backup.
    static result<location> parse(std::string_view primary, std::string_view backup);
};

#if TRTC_DEFINITIONS

TRTC_DECL const region_info* find_region(std::string_view name) noexcept {
    auto lower_eq = [](std::string_view a, std::string_view b) {
        if (a.size() != b.size()) return false;
        for (std::size_t i = 0; i < a.size(); ++i) {
            char c = a[i];
            if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
            if (c != b[i]) return false;
        }
        return true;
    };
    for (const region_info& r : regions) {
        if (lower_eq(name, r.name)) return &r;
        std::string_view rest = r.aliases;
        while (!rest.empty()) {
            std::size_t comma = rest.find(',');
            if (lower_eq(name, rest.substr(0, comma))) return &r;
            if (comma == std::string_view::npos) break;
            rest = rest.substr(comma + 1);
        }
    }
    return nullptr;
}

TRTC_DECL result<base_url> base_url::parse(std::string_view text) {
    detail::url_parts parts;
    auto fail = [&](const char* why) {
        std::string msg = "base URL ";
        detail::append_escaped_for_message(msg, text, 120);
        msg += ": ";
        msg += why;
        return error(errc::invalid_url, std::move(msg));
    };
    if (!detail::split_url(text, parts))
        return fail("is not an absolute http:// or https:// URL with a valid host and port");
    if (parts.target.find('?') != std::string_view::npos) return fail("must not contain a query");
    base_url b;
    b.text_.assign(text.data(), text.size());
    while (b.text_.size() > 1 && b.text_.back() == '/' &&
           b.text_.size() > parts.scheme.size() + 3 + parts.host.size())
        b.text_.pop_back();
    b.https_ = parts.scheme == "https";
    return b;
}

TRTC_DECL base_url base_url::of(region r, bool backup) {
    base_url b;
    b.text_ = "https://";
    b.text_ += backup ? info(r).backup_host : info(r).primary_host;
    b.https_ = true;
    return b;
}

TRTC_DECL void base_url::append_api_path(std::string& out, std::string_view service,
                                         std::string_view command) const {
    out += text_;
    out += "/v4/";
    out += service;
    out += '/';
    out += command;
}

TRTC_DECL result<location> location::parse(std::string_view url) {
    auto b = base_url::parse(url);
    if (!b) return std::move(b).error();
    return location{*b, *b, false};
}

TRTC_DECL result<location> location::parse(std::string_view primary, std::string_view backup) {
    auto p = base_url::parse(primary);
    if (!p) return std::move(p).error();
    auto b = base_url::parse(backup);
    if (!b) return std::move(b).error();
    return location{*p, *b, true};
}

#endif // TRTC_DEFINITIONS

TRTC_END_NAMESPACE

#endif // TRTC_REGIONS_HPP
/// @file
/// @brief The sans-I/O core: prepare() turns a request into an http_request, decode() turns an
/// http_response into a typed result. No sockets, no threads, no clock: any transport (ours,
/// libcurl, a game engine's event loop) carries the bytes in between.
#ifndef TRTC_SANS_IO_HPP
#define TRTC_SANS_IO_HPP

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

TRTC_BEGIN_NAMESPACE

/// What prepare() needs besides the request itself.
struct request_context {
    /// The application's SDKAppID (non-zero).
    std::uint32_t sdkappid = 0;
    /// The App administrator account the UserSig was made for.
    std::string_view identifier;
    /// A valid UserSig for `identifier`. Never logged or copied into errors.
    std::string_view usersig;
    /// The `random` query parameter: any 32-bit value, ideally a fresh random one per request.
    std::uint32_t random = 0;
};

/// The most bytes decode() accepts in a response body.
inline constexpr std::size_t max_response_body = 1 << 20;

namespace detail {

template <class J, class = void>
struct is_json_policy : std::false_type {};
template <class J>
struct is_json_policy<
    J, std::enable_if_t<
           std::is_same_v<decltype(J::parse(std::string_view(), std::declval<json::document&>(),
                                            std::declval<json::parse_error&>())),
                          bool> &&
           std::is_void_v<decltype(J::serialize(std::declval<const json::document&>(),
                                                std::declval<std::string&>()))>>> : std::true_type {
};

/// Whether decode() with the JSON policy `Json` reads the usual success bodies in one pass,
/// straight into the response (endpoint/one_pass.hpp), before any json::document: when
/// Json::parse is the built-in parser itself (builtin_json, or a policy derived from it that
/// keeps its parse). A policy with a parse of its own gets every body through that parse.
template <class Json>
constexpr bool reads_in_one_pass() {
    if constexpr (std::is_same_v<decltype(&Json::parse), decltype(&builtin_json::parse)>)
        return &Json::parse == &builtin_json::parse;
    else
        return false;
}

template <class Json>
constexpr bool check_json_policy() {
    static_assert(is_json_policy<Json>::value,
                  "trtc: a Json policy must provide `static bool parse(std::string_view text, "
                  "trtc::json::document& out, trtc::json::parse_error& err)` and `static void "
                  "serialize(const trtc::json::document& doc, std::string& out)`");
    return true;
}

/// A per-thread document reused by every prepare() and decode(), so that neither allocates
/// for the JSON tree once warm. Shrunk back when a large body made it grow.
TRTC_DECL json::document& scratch_document();

/// A short excerpt of a response body for an error message: at most 96 bytes, escaped, with
/// anything that looks like a credential (a long run of base64 characters, or the value of a
/// usersig parameter) replaced.
TRTC_DECL std::string body_excerpt(std::string_view body);

TRTC_DECL result<void> check_context(const request_context& ctx);

} // namespace detail

/// Checks a request against its endpoint's rules without preparing it. On failure the error
/// is errc::invalid_request and error::violations lists every broken rule.
template <class Request>
result<void> validate(const Request& req) {
    using endpoint = typename Request::endpoint;
    static_assert(detail::check_endpoint<endpoint>());
    validator v;
    endpoint::validate(req, v);
    std::string what(endpoint::command);
    what += " request";
    return v.finish(what);
}

namespace detail {
class signed_query_cache;
} // namespace detail

/// The credential part of every request's query, `?sdkappid=..&identifier=..&usersig=..`, checked
/// and percent-encoded once. It changes only when the UserSig does (about once a day with the
/// client's cache), so a caller that keeps one beside its cached UserSig saves prepare() from
/// checking and encoding the UserSig on every call. It holds a credential: never log str().
class signed_query {
  public:
    /// Checks `ctx.sdkappid`, `ctx.identifier` and `ctx.usersig` as prepare() does and encodes
    /// them (`ctx.random` is not used). errc::invalid_request naming each bad field otherwise.
    static result<signed_query> create(const request_context& ctx);

    /// `?sdkappid=..&identifier=..&usersig=..`, percent-encoded. Contains the UserSig.
    std::string_view str() const noexcept { return text_; }

  private:
    friend class detail::signed_query_cache;
    signed_query() = default;
    std::string text_;
};

namespace detail {

// Appends `?sdkappid=..&identifier=..&usersig=..` for a context check_context() accepted. False
// when the UserSig has a character outside its alphabets (`url` is then partly written).
TRTC_DECL bool append_signed_query(std::string& url, const request_context& ctx);

TRTC_DECL error usersig_alphabet_error();

// `/v4/<service>/<command>` of an endpoint, as a constant.
template <class Endpoint>
struct api_path {
    static constexpr std::size_t size = 5 + Endpoint::service.size() + Endpoint::command.size();
    struct text_type {
        char chars[size];
    };
    static constexpr text_type compose() {
        text_type t{};
        std::size_t n = 0;
        for (char c : std::string_view("/v4/")) t.chars[n++] = c;
        for (char c : Endpoint::service) t.chars[n++] = c;
        t.chars[n++] = '/';
        for (char c : Endpoint::command) t.chars[n++] = c;
        return t;
    }
    static constexpr text_type text = compose();
};

// prepare(): validates `req`, then the credentials (`check_credentials()`, a result<void>; nullptr
// when they were checked beforehand), then writes the URL (the credential query through
// `append_query(url)`, false on a bad UserSig) and the body.
template <class Json, class Request, class CheckCredentials, class AppendQuery>
result<http_request> prepare_request(const Request& req, const base_url& base, std::uint32_t random,
                                     std::size_t query_size, CheckCredentials&& check_credentials,
                                     AppendQuery&& append_query) {
    static_assert(check_json_policy<Json>());
    using endpoint = typename Request::endpoint;
    static_assert(check_endpoint<endpoint>());
    validator v;
    endpoint::validate(req, v);
    if (!v.ok()) {
        std::string what(endpoint::command);
        what += " request";
        auto valid = v.finish(what);
        valid.error().random = random;
        valid.error().has_random = true;
        return std::move(valid).error();
    }
    if constexpr (!std::is_same_v<std::decay_t<CheckCredentials>, std::nullptr_t>) {
        auto checked = check_credentials();
        if (!checked) return std::move(checked).error();
    }

    http_request out;
    out.random = random;
    std::string& url = out.url;
    url.reserve(base.str().size() + api_path<endpoint>::size + query_size + 40);
    url += base.str();
    url.append(api_path<endpoint>::text.chars, api_path<endpoint>::size);
    if (!append_query(url)) return usersig_alphabet_error();
    append_decimal_between(url, "&random=", random, "&contenttype=json");

    if constexpr (std::is_same_v<Json, builtin_json>) {
        // Validation has checked every string (UTF-8, no control characters where it matters):
        // write the JSON straight into the body, without building a document first.
        out.body.reserve(256);
        json::writer w(out.body);
        endpoint::encode(req, w);
    } else {
        json::document& doc = scratch_document();
        endpoint::encode(req, doc);
        if (!doc.complete())
            return error(errc::invalid_request,
                         std::string("the request could not be encoded as JSON: ") +
                             json::to_string(doc.error()));
        Json::serialize(doc, out.body);
    }
    if (out.body.empty()) out.body = "{}";
    return out;
}

} // namespace detail

/// The built-in JSON policy (trtc::builtin_json) or another with the same two functions
/// (adapters/nlohmann_json.hpp).
///
/// Validates `req` and the context, then builds the POST request: URL
/// `<base>/v4/<service>/<command>?sdkappid=..&identifier=..&usersig=..&random=..&contenttype=json`
/// (values percent-encoded), JSON body, headers. Nothing invalid comes out of it.
template <class Json = builtin_json, class Request>
result<http_request> prepare(const Request& req, const base_url& base, const request_context& ctx) {
    return detail::prepare_request<Json>(
        req, base, ctx.random, 3 * ctx.identifier.size() + ctx.usersig.size() + 40,
        [&ctx] { return detail::check_context(ctx); },
        [&ctx](std::string& url) { return detail::append_signed_query(url, ctx); });
}

/// prepare() with the credentials checked and encoded beforehand (signed_query::create), for a
/// caller that prepares many requests with one UserSig: the same URL and body, less work.
template <class Json = builtin_json, class Request>
result<http_request> prepare(const Request& req, const base_url& base, const signed_query& query,
                             std::uint32_t random) {
    return detail::prepare_request<Json>(req, base, random, query.str().size(), nullptr,
                                         [&query](std::string& url) {
                                             url += query.str();
                                             return true;
                                         });
}

/// Decodes an http_response of `Endpoint`: the envelope (ErrorCode, ErrorInfo, ActionStatus,
/// RequestId), then its Response object. A non-zero ErrorCode becomes an error in
/// trtc::service_category() whose message is ErrorInfo. Every outcome carries `random` and,
/// when the body had one, the RequestId.
///
/// With builtin_json, a success body of the usual shape is read in one pass straight into the
/// response (through the endpoint's field list, see endpoint/one_pass.hpp); everything else
/// goes through a json::document, with the same outcome either way.
template <class Endpoint, class Json = builtin_json>
result<typename Endpoint::response> decode(const http_response& resp, std::uint32_t random) {
    static_assert(detail::check_endpoint<Endpoint>());
    static_assert(detail::check_json_policy<Json>());
    // A response that holds a secret is never quoted in an error.
    auto excerpt = [&resp]() -> std::string {
        return detail::endpoint_response_holds_secret<Endpoint>::value
                   ? std::string("withheld: this response holds a secret")
                   : detail::body_excerpt(resp.body);
    };
    auto fail = [&](error e, std::string request_id = {}) {
        e.random = random;
        e.has_random = true;
        e.set_request_id(std::move(request_id));
        return e;
    };
    if (resp.status != 200)
        return fail(error(decode_errc::http_status, "HTTP status " + std::to_string(resp.status) +
                                                        " (body: " + excerpt() + ")"));
    if (resp.body.size() > max_response_body)
        return fail(error(decode_errc::body_too_large,
                          "response body of " + std::to_string(resp.body.size()) +
                              " bytes exceeds " + std::to_string(max_response_body)));
    if constexpr (detail::reads_in_one_pass<Json>()) {
        // A success of the usual shape, read in one pass. Anything else (an error, an escape,
        // a surprise) is declined and decoded below, which names what is wrong.
        typename Endpoint::response out;
        if (detail::read_success_in_one_pass<Endpoint>(resp.body, out)) {
            out.random = random;
            return out;
        }
    }
    json::document& doc = detail::scratch_document();
    json::parse_error perr;
    if (!Json::parse(resp.body, doc, perr))
        return fail(error(decode_errc::not_json,
                          "response is not JSON (" + std::string(perr.message) + " at byte " +
                              std::to_string(perr.offset) + "; body: " + excerpt() + ")"));
    json::value root = doc.root();
    if (!root.is_object())
        return fail(error(decode_errc::not_json,
                          "response is JSON but not an object (body: " + excerpt() + ")"));

    field_reader env_reader(root, "");
    detail::envelope env;
    detail::read_envelope(env_reader, env);
    detail::clean_request_id(env.request_id);
    std::string& request_id = env.request_id;
    if (!env_reader.ok()) {
        error e = std::move(env_reader.failure());
        e.code = decode_errc::bad_envelope;
        return fail(std::move(e), std::move(request_id));
    }
    const std::int64_t code = env.code;
    if (code != 0) {
        if (code < INT32_MIN || code > INT32_MAX)
            return fail(error(decode_errc::bad_envelope,
                              "ErrorCode " + std::to_string(code) + " is out of range"),
                        std::move(request_id));
        // ErrorInfo ends up in messages and logs too: bounded and made printable.
        std::string info;
        detail::append_sanitized(info, env.info, 512);
        if (info.empty()) info = make_service_error_code(static_cast<int>(code)).message();
        return fail(error(make_service_error_code(static_cast<int>(code)), std::move(info)),
                    std::move(request_id));
    }
    if (env.status == "FAIL")
        return fail(error(decode_errc::bad_envelope, "ActionStatus is FAIL but ErrorCode is 0"),
                    std::move(request_id));
    json::value response_obj;
    if (!env_reader.object("Response", response_obj, false))
        return fail(std::move(env_reader.failure()), std::move(request_id));
    typename Endpoint::response out;
    if (!response_obj.exists()) {
        if constexpr (detail::endpoint_response_optional<Endpoint>::value) {
            out.request_id = std::move(request_id);
            out.random = random;
            return out;
        } else {
            return fail(
                error(decode_errc::missing_response, "ErrorCode is 0 but Response is missing"),
                std::move(request_id));
        }
    }
    auto ok = detail::read_response_of<Endpoint>(response_obj, out);
    if (!ok) return fail(std::move(ok).error(), std::move(request_id));
    out.request_id = std::move(request_id);
    out.random = random;
    return out;
}

#if TRTC_DEFINITIONS

namespace detail {

TRTC_DECL json::document& scratch_document() {
    // The thread's scratch document, reused by each call on the thread: freeing it when the
    // thread ends is the point of its destructor. The one warning the library turns off in
    // users' builds, for this declaration only (a document made per call would cost its
    // allocations on every decode that does not read in one pass).
#    if defined(__clang__)
#        pragma clang diagnostic push
#        pragma clang diagnostic ignored "-Wexit-time-destructors"
#    endif
    thread_local json::document doc;
#    if defined(__clang__)
#        pragma clang diagnostic pop
#    endif
    if (doc.node_capacity() > 4096 || doc.text_capacity() > (64u << 10)) doc = json::document();
    doc.clear();
    return doc;
}

TRTC_DECL std::string body_excerpt(std::string_view body) {
    std::string cleaned;
    std::size_t limit = body.size() < 256 ? body.size() : 256;
    std::string_view head = body.substr(0, limit);
    std::size_t i = 0;
    // Both UserSig alphabets: Tencent's and the standard base64 one.
    auto is_sig_char = [](unsigned char c) { return usersig_chars.kind[c] != 0; };
    while (i < head.size()) {
        std::size_t j = i;
        while (j < head.size() && is_sig_char(static_cast<unsigned char>(head[j]))) ++j;
        if (j - i >= 64 || (j == head.size() && j - i >= 32 && body.size() > limit)) {
            cleaned += "[REDACTED]";
            i = j;
        } else if (j > i) {
            cleaned.append(head.substr(i, j - i));
            i = j;
        } else {
            cleaned.push_back(head[i++]);
        }
    }
    std::string q;
    append_escaped_for_message(q, cleaned, 96);
    if (body.size() > limit) q += " (" + std::to_string(body.size()) + " bytes)";
    return q;
}

TRTC_DECL result<void> check_context(const request_context& ctx) {
    // The usual context, accepted without building a validator: an identifier of printable
    // ASCII (valid UTF-8 without control characters) and a UserSig, whose characters prepare()
    // checks while it encodes them.
    if (ctx.sdkappid != 0 && !ctx.identifier.empty() && !ctx.usersig.empty()) {
        bool printable = true;
        for (char ch : ctx.identifier) {
            const auto c = static_cast<unsigned char>(ch);
            printable &= c >= 0x20 && c < 0x7F;
        }
        if (printable) return {};
    }
    validator v;
    if (ctx.sdkappid == 0) v.add("sdkappid", "must not be 0");
    if (ctx.identifier.empty()) {
        v.add("identifier", "must not be empty");
    } else if (!utf8_valid(ctx.identifier)) {
        v.add("identifier", validator::quote(ctx.identifier) + " is not valid UTF-8");
    } else {
        for (char ch : ctx.identifier) {
            const auto c = static_cast<unsigned char>(ch);
            if (c < 0x20 || c == 0x7F) {
                v.add("identifier",
                      validator::quote(ctx.identifier) + " contains a control character");
                break;
            }
        }
    }
    if (ctx.usersig.empty()) {
        v.add("usersig", "must not be empty");
    } else if (!v.ok() && !usersig_chars_ok(ctx.usersig)) {
        // Reported here only alongside other problems; otherwise prepare() checks the
        // characters while it percent-encodes the UserSig into the URL, in the same pass.
        // Never quote the value: it is a credential.
        v.add("usersig", "contains a character outside the UserSig alphabet");
    }
    return v.finish("the request context");
}

TRTC_DECL bool append_signed_query(std::string& url, const request_context& ctx) {
    append_decimal_between(url, "?sdkappid=", ctx.sdkappid, "&identifier=");
    append_percent_encoded(url, ctx.identifier);
    url += "&usersig=";
    return append_usersig(url, ctx.usersig);
}

TRTC_DECL error usersig_alphabet_error() {
    validator v;
    // Never quote the value: it is a credential.
    v.add("usersig", "contains a character outside the UserSig alphabet");
    return std::move(v.finish("the request context")).error();
}

} // namespace detail

TRTC_DECL result<signed_query> signed_query::create(const request_context& ctx) {
    auto ok = detail::check_context(ctx);
    if (!ok) return std::move(ok).error();
    signed_query q;
    q.text_.reserve(40 + 3 * ctx.identifier.size() + ctx.usersig.size());
    if (!detail::append_signed_query(q.text_, ctx)) return detail::usersig_alphabet_error();
    return q;
}

#endif // TRTC_DEFINITIONS

TRTC_END_NAMESPACE

#endif // TRTC_SANS_IO_HPP
/// @file
/// @brief The webhook configuration APIs of `v4/live_config`, one endpoint struct per API
/// (the contract of trtc/endpoint.hpp, like battle.hpp): set_callback, update_callback,
/// get_callback, delete_callback, set_callback_token, get_callback_token,
/// delete_callback_token.
///
/// The webhook token is a secret: no rule's message quotes it, and decode() quotes no excerpt
/// of a get_callback_token answer (`response_holds_secret`).
#ifndef TRTC_WEBHOOK_CONFIG_HPP
#define TRTC_WEBHOOK_CONFIG_HPP

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

TRTC_BEGIN_NAMESPACE

/// The webhook commands that set_callback and update_callback accept: the three battle
/// webhooks (trtc/webhooks.hpp decodes them).
inline constexpr std::string_view known_callback_commands[3] = {"Live.CallbackAfterCreateBattle",
                                                                "Live.CallbackAfterStartBattle",
                                                                "Live.CallbackAfterEndBattle"};

namespace detail {

/// The longest webhook URL accepted [not documented: this only stops runaway input].
inline constexpr std::size_t max_callback_url_bytes = 2048;

/// The rules of a webhook URL and command list (set_callback, update_callback): the URL starts
/// with http:// or https:// and has no space or control character; the list names known
/// commands, at least one, none twice.
TRTC_DECL void validate_callback(const std::string& url, const std::vector<std::string>& commands,
                                 validator& v);

/// Writes {"Url":..., "CallbackCommandList":[...]}.
template <class Sink>
void encode_callback(const std::string& url, const std::vector<std::string>& commands, Sink& w) {
    w.begin_object();
    w.key("Url");
    w.string(url);
    w.key("CallbackCommandList");
    w.begin_array();
    for (const std::string& c : commands) w.string(c);
    w.end_array();
    w.end_object();
}

/// Writes {}.
template <class Sink>
void encode_empty(Sink& w) {
    w.begin_object();
    w.end_object();
}

} // namespace detail

/// `set_callback`: create the webhook configuration (one URL per SDKAppID). 100300 when one
/// exists already: use update_callback.
struct set_callback {
    static constexpr std::string_view service = "live_config";
    static constexpr std::string_view command = "set_callback";
    /// Sent twice, the second answers 100300: not resent after an unknown outcome.
    static constexpr bool idempotent = false;
    static constexpr bool response_optional = true;

    struct request {
        using endpoint = set_callback;
        /// Where the webhooks go: http:// or https:// (https recommended).
        std::string url;
        /// The commands to deliver (CallbackCommandList): known_callback_commands.
        std::vector<std::string> commands;
    };
    struct response : response_meta {};

    static void validate(const request& r, validator& v) {
        detail::validate_callback(r.url, r.commands, v);
    }
    template <class Sink>
    static void encode(const request& r, Sink& w) {
        detail::encode_callback(r.url, r.commands, w);
    }
    template <class Reader>
    static void read_fields(Reader&, response&) {}
};

/// `update_callback`: replace the webhook configuration. 100301 when there is none.
struct update_callback {
    static constexpr std::string_view service = "live_config";
    static constexpr std::string_view command = "update_callback";
    static constexpr bool idempotent = true;
    static constexpr bool response_optional = true;

    struct request {
        using endpoint = update_callback;
        std::string url;
        std::vector<std::string> commands;
    };
    struct response : response_meta {};

    static void validate(const request& r, validator& v) {
        detail::validate_callback(r.url, r.commands, v);
    }
    template <class Sink>
    static void encode(const request& r, Sink& w) {
        detail::encode_callback(r.url, r.commands, w);
    }
    template <class Reader>
    static void read_fields(Reader&, response&) {}
};

/// `get_callback`: the webhook configuration.
struct get_callback {
    static constexpr std::string_view service = "live_config";
    static constexpr std::string_view command = "get_callback";
    static constexpr bool idempotent = true;

    struct request {
        using endpoint = get_callback;
    };
    struct response : response_meta {
        std::string url;
        std::vector<std::string> commands;
    };

    static void validate(const request&, validator&) {}
    template <class Sink>
    static void encode(const request&, Sink& w) {
        detail::encode_empty(w);
    }
    template <class Reader>
    static void read_fields(Reader& r, response& out) {
        r.string("Url", out.url, false);
        r.strings("CallbackCommandList", out.commands, false);
    }
};

/// `delete_callback`: remove the webhook configuration.
struct delete_callback {
    static constexpr std::string_view service = "live_config";
    static constexpr std::string_view command = "delete_callback";
    static constexpr bool idempotent = true;
    static constexpr bool response_optional = true;

    struct request {
        using endpoint = delete_callback;
    };
    struct response : response_meta {};

    static void validate(const request&, validator&) {}
    template <class Sink>
    static void encode(const request&, Sink& w) {
        detail::encode_empty(w);
    }
    template <class Reader>
    static void read_fields(Reader&, response&) {}
};

/// `set_callback_token`: set the token webhooks are signed with, and whether they are. Both
/// fields are needed the first time; afterwards only those to change (a partial update).
struct set_callback_token {
    static constexpr std::string_view service = "live_config";
    static constexpr std::string_view command = "set_callback_token";
    static constexpr bool idempotent = true;
    static constexpr bool response_optional = true;

    /// The token's length in characters, as documented.
    static constexpr std::size_t min_token = 1, max_token = 128;

    struct request {
        using endpoint = set_callback_token;
        /// The token (a secret): 1 to 128 characters of UTF-8, no control character.
        std::optional<std::string> token;
        /// IsTokenEnable: whether webhooks carry Sign and RequestTime.
        std::optional<bool> enabled;
    };
    struct response : response_meta {};

    static void validate(const request& r, validator& v);
    template <class Sink>
    static void encode(const request& r, Sink& w) {
        w.begin_object();
        if (r.token) {
            w.key("Token");
            w.string(*r.token);
        }
        if (r.enabled) {
            w.key("IsTokenEnable");
            w.boolean(*r.enabled);
        }
        w.end_object();
    }
    template <class Reader>
    static void read_fields(Reader&, response&) {}
};

/// `get_callback_token`: the token (in clear: a secret) and whether it is used. 100302 when
/// none was set.
struct get_callback_token {
    static constexpr std::string_view service = "live_config";
    static constexpr std::string_view command = "get_callback_token";
    static constexpr bool idempotent = true;
    static constexpr bool response_holds_secret = true;

    struct request {
        using endpoint = get_callback_token;
    };
    struct response : response_meta {
        /// The token: a secret, never to be logged.
        std::string token;
        bool enabled = false;
    };

    static void validate(const request&, validator&) {}
    template <class Sink>
    static void encode(const request&, Sink& w) {
        detail::encode_empty(w);
    }
    template <class Reader>
    static void read_fields(Reader& r, response& out) {
        r.string("Token", out.token, false);
        r.boolean("IsTokenEnable", out.enabled, false);
    }
};

/// `delete_callback_token`: remove the token configuration (webhooks are no longer signed).
struct delete_callback_token {
    static constexpr std::string_view service = "live_config";
    static constexpr std::string_view command = "delete_callback_token";
    static constexpr bool idempotent = true;
    static constexpr bool response_optional = true;

    struct request {
        using endpoint = delete_callback_token;
    };
    struct response : response_meta {};

    static void validate(const request&, validator&) {}
    template <class Sink>
    static void encode(const request&, Sink& w) {
        detail::encode_empty(w);
    }
    template <class Reader>
    static void read_fields(Reader&, response&) {}
};

#if TRTC_DEFINITIONS

namespace detail {

TRTC_DECL void validate_callback(const std::string& url, const std::vector<std::string>& commands,
                                 validator& v) {
    const std::string_view u(url);
    if (u.substr(0, 7) != "http://" && u.substr(0, 8) != "https://") {
        v.add("Url", validator::quote(u) + " must start with http:// or https://");
    } else if (u.size() > max_callback_url_bytes) {
        v.add("Url", std::to_string(u.size()) + " bytes; at most " +
                         std::to_string(max_callback_url_bytes) + " are accepted");
    } else if (u.size() == (u[4] == 's' ? 8u : 7u)) {
        v.add("Url", validator::quote(u) + " has no host");
    } else {
        for (char ch : u) {
            const auto c = static_cast<unsigned char>(ch);
            if (c <= 0x20 || c >= 0x7F) {
                v.add("Url",
                      validator::quote(u) + " has a space, a control or a non-ASCII character");
                break;
            }
        }
    }
    if (commands.empty()) v.add("CallbackCommandList", "must name at least one command");
    for (std::size_t i = 0; i < commands.size(); ++i) {
        bool known = false;
        for (std::string_view k : known_callback_commands) known = known || commands[i] == k;
        if (!known) {
            v.add(validator::indexed("CallbackCommandList", i),
                  validator::quote(commands[i]) +
                      " is not a known command (Live.CallbackAfterCreateBattle, "
                      "Live.CallbackAfterStartBattle, Live.CallbackAfterEndBattle)");
            continue;
        }
        for (std::size_t j = 0; j < i; ++j) {
            if (commands[j] == commands[i]) {
                v.add(validator::indexed("CallbackCommandList", i),
                      "repeats " + validator::indexed("CallbackCommandList", j));
                break;
            }
        }
    }
}

} // namespace detail

TRTC_DECL void set_callback_token::validate(const request& r, validator& v) {
    if (!r.token && !r.enabled) {
        v.add("Token", "give a Token, IsTokenEnable or both");
        return;
    }
    if (!r.token) return;
    // The token is a secret: the messages never quote it.
    const std::string& t = *r.token;
    if (!detail::utf8_valid(t)) {
        v.add("Token", "is not valid UTF-8");
        return;
    }
    std::size_t chars = 0;
    for (char ch : t) {
        const auto c = static_cast<unsigned char>(ch);
        if ((c & 0xC0) != 0x80) ++chars;
        if (c < 0x20 || c == 0x7F) {
            v.add("Token", "contains a control character");
            return;
        }
    }
    if (chars < min_token || chars > max_token)
        v.add("Token", "has " + std::to_string(chars) + " characters; 1 to 128 are accepted");
}

#endif // TRTC_DEFINITIONS

TRTC_END_NAMESPACE

#endif // TRTC_WEBHOOK_CONFIG_HPP
/// @file
/// @brief The battle webhooks (Live.CallbackAfterCreateBattle, ...StartBattle, ...EndBattle),
/// sans-I/O: from what any HTTP server hands over (method, query string, body) to a verified,
/// typed event, and a replay guard. No dependency, no I/O, no clock unless asked for.
///
/// @code
/// trtc::webhook_receiver rx(trtc::webhook_options{1400000000, token});
/// auto ev = rx.receive(method, query, body);            // or receive(..., now)
/// if (!ev) reply(trtc::webhook_rejection_status(ev.error().code), ev.error().message);
/// else { reply(200, trtc::webhook_ok_reply);
///        if (guard.first_time(*ev)) std::visit(handler, ev->event); }
/// @endcode
///
/// The checks, in this order, each its own webhook_errc: the method is POST; the query has no
/// broken %-escape; `SdkAppid` (key matched case-insensitively) is present and ours; the
/// query's `CallbackCommand` is one of the three; when a token is configured, `Sign` and
/// `RequestTime` are present, RequestTime is within the window of the clock, and Sign is
/// the lowercase hex of sha256(Token + RequestTime), compared in constant time; the body is a
/// JSON object whose `CallbackCommand` equals the query's; every known field has its type.
/// Messages name the field and never hold the token or a Sign.
#ifndef TRTC_WEBHOOKS_HPP
#define TRTC_WEBHOOKS_HPP

/// @file
/// @brief A mutex, its guards, a condition variable, and an integer with relaxed atomic
/// operations: what the library needs of <mutex>, <condition_variable> and <atomic>, for a
/// fraction of their compile time where POSIX is there (the standard library's on Windows).
#ifndef TRTC_DETAIL_MUTEX_HPP
#define TRTC_DETAIL_MUTEX_HPP

#if defined(_WIN32)
#    include <condition_variable>
#    include <mutex>
#else
#    include <pthread.h>
#endif

#if !defined(__GNUC__) && !defined(__clang__)
#    include <atomic>
#endif

TRTC_BEGIN_NAMESPACE
namespace detail {

/// The library's mutex: a POSIX mutex (std::mutex on Windows), without <mutex>'s compile cost
/// where POSIX is there.
class mutex {
  public:
    mutex() noexcept = default;
    mutex(const mutex&) = delete;
    mutex& operator=(const mutex&) = delete;
#if defined(_WIN32)
    void lock() noexcept {
        m_.lock();
    }
    /// Takes the mutex if it is free; false (without waiting) when another holds it.
    bool try_lock() noexcept {
        return m_.try_lock();
    }
    void unlock() noexcept {
        m_.unlock();
    }

  private:
    std::mutex m_;
#else
    ~mutex() {
        pthread_mutex_destroy(&m_);
    }
    void lock() noexcept {
        pthread_mutex_lock(&m_);
    }
    /// Takes the mutex if it is free; false (without waiting) when another holds it.
    bool try_lock() noexcept {
        return pthread_mutex_trylock(&m_) == 0;
    }
    void unlock() noexcept {
        pthread_mutex_unlock(&m_);
    }

  private:
    friend class condition_variable;
    pthread_mutex_t m_ = PTHREAD_MUTEX_INITIALIZER;
#endif
};

/// Holds a mutex for its scope, as std::lock_guard.
class lock_guard {
  public:
    explicit lock_guard(mutex& m) noexcept : m_(m) { m_.lock(); }
    lock_guard(const lock_guard&) = delete;
    lock_guard& operator=(const lock_guard&) = delete;
    ~lock_guard() { m_.unlock(); }

  private:
    mutex& m_;
};

/// A lock that can be released and taken again within its scope, and that a condition_variable
/// waits with, as std::unique_lock (not movable).
class unique_lock {
  public:
    /// Takes `m`.
    explicit unique_lock(detail::mutex& m) noexcept : m_(m) { lock(); }
    unique_lock(const unique_lock&) = delete;
    unique_lock& operator=(const unique_lock&) = delete;
    /// Releases the mutex if it holds it.
    ~unique_lock() {
        if (owns_) m_.unlock();
    }
    /// Takes the mutex. Precondition: not held by this lock.
    void lock() noexcept {
        TRTC_ASSERT(!owns_, "unique_lock::lock: the lock already holds its mutex");
        m_.lock();
        owns_ = true;
    }
    /// Releases the mutex. Precondition: held by this lock.
    void unlock() noexcept {
        TRTC_ASSERT(owns_, "unique_lock::unlock: the lock does not hold its mutex");
        owns_ = false;
        m_.unlock();
    }
    /// Whether this lock holds the mutex.
    bool owns_lock() const noexcept { return owns_; }
    /// The mutex.
    detail::mutex& mutex() const noexcept { return m_; }

  private:
    detail::mutex& m_;
    bool owns_ = false;
};

/// A condition variable for detail::mutex, as std::condition_variable: a POSIX condition
/// variable (std::condition_variable_any on Windows). Waits may wake spuriously: wait with a
/// predicate, or check the condition in a loop.
class condition_variable {
  public:
    condition_variable() noexcept = default;
    condition_variable(const condition_variable&) = delete;
    condition_variable& operator=(const condition_variable&) = delete;
#if defined(_WIN32)
    /// Releases the lock's mutex, waits for a notification, and takes the mutex again.
    /// Precondition: `lock` holds its mutex.
    void wait(unique_lock& lock) {
        TRTC_ASSERT(lock.owns_lock(), "condition_variable::wait: the lock is not held");
        c_.wait(lock);
    }
    /// Wakes one waiting thread, if any.
    void notify_one() noexcept {
        c_.notify_one();
    }
    /// Wakes every waiting thread.
    void notify_all() noexcept {
        c_.notify_all();
    }

  private:
    std::condition_variable_any c_;
#else
    ~condition_variable() {
        pthread_cond_destroy(&c_);
    }
    /// Releases the lock's mutex, waits for a notification, and takes the mutex again.
    /// Precondition: `lock` holds its mutex.
    void wait(unique_lock& lock) noexcept {
        TRTC_ASSERT(lock.owns_lock(), "condition_variable::wait: the lock is not held");
        pthread_cond_wait(&c_, &lock.mutex().m_);
    }
    /// Wakes one waiting thread, if any.
    void notify_one() noexcept {
        pthread_cond_signal(&c_);
    }
    /// Wakes every waiting thread.
    void notify_all() noexcept {
        pthread_cond_broadcast(&c_);
    }

  private:
    pthread_cond_t c_ = PTHREAD_COND_INITIALIZER;
#endif

  public:
    /// Waits until `done()` is true: checked first, then after every wakeup, with the mutex
    /// held. Precondition: `lock` holds its mutex.
    template <class Predicate>
    void wait(unique_lock& lock, Predicate done) {
        while (!done()) wait(lock);
    }
};

/// An integer that several threads read and update with relaxed ordering (counters, the rate
/// limiter's compare-and-swap). The GCC/clang builtins, which ThreadSanitizer understands;
/// std::atomic with other compilers.
template <class T>
class relaxed_atomic {
  public:
    constexpr relaxed_atomic(T v = T()) noexcept : v_(v) {}
    relaxed_atomic(const relaxed_atomic&) = delete;
    relaxed_atomic& operator=(const relaxed_atomic&) = delete;
#if defined(__GNUC__) || defined(__clang__)
    T load() const noexcept {
        return __atomic_load_n(&v_, __ATOMIC_RELAXED);
    }
    T fetch_add(T d) noexcept {
        return __atomic_fetch_add(&v_, d, __ATOMIC_RELAXED);
    }
    /// As std::atomic's: false (with `expected` updated) when the value was not `expected`.
    bool compare_exchange_weak(T& expected, T desired) noexcept {
        return __atomic_compare_exchange_n(&v_, &expected, desired, true, __ATOMIC_RELAXED,
                                           __ATOMIC_RELAXED);
    }

  private:
    alignas(sizeof(T)) T v_; // 8-byte alignment for 64-bit values on 32-bit targets too
#else
    T load() const noexcept {
        return v_.load(std::memory_order_relaxed);
    }
    T fetch_add(T d) noexcept {
        return v_.fetch_add(d, std::memory_order_relaxed);
    }
    bool compare_exchange_weak(T& expected, T desired) noexcept {
        return v_.compare_exchange_weak(expected, desired, std::memory_order_relaxed);
    }

  private:
    std::atomic<T> v_;
#endif
};

} // namespace detail
TRTC_END_NAMESPACE

#endif // TRTC_DETAIL_MUTEX_HPP

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

TRTC_BEGIN_NAMESPACE

/// Why a webhook request was refused (category "trtc.webhook").
enum class webhook_errc {
    /// The method is not POST.
    method_not_post = 1,
    /// The query string has a malformed %-escape.
    bad_query,
    /// The query has no SdkAppid.
    sdkappid_missing,
    /// The query's SdkAppid is not ours (or not a number).
    sdkappid_mismatch,
    /// The query has no CallbackCommand.
    command_missing,
    /// The query's CallbackCommand is not one of the three battle webhooks.
    unknown_command,
    /// A token is configured but the query has no Sign.
    sign_missing,
    /// A token is configured but the query has no RequestTime.
    request_time_missing,
    /// RequestTime is not a decimal number of seconds.
    request_time_invalid,
    /// RequestTime is further from the clock than the window (stale or in the future).
    request_time_out_of_window,
    /// Sign is not sha256(Token + RequestTime).
    sign_mismatch,
    /// The body is not a JSON object.
    body_not_json,
    /// The body's CallbackCommand differs from the query's (or is missing).
    command_mismatch,
    /// A field of the body is missing or has the wrong type; the message names it.
    bad_field,
};

TRTC_END_NAMESPACE

namespace std {
template <>
struct is_error_code_enum<trtc::webhook_errc> : true_type {};
} // namespace std

TRTC_BEGIN_NAMESPACE

/// The category of trtc::webhook_errc.
TRTC_DECL const std::error_category& webhook_category() noexcept;

inline std::error_code make_error_code(webhook_errc e) noexcept {
    return {static_cast<int>(e), webhook_category()};
}

/// The HTTP status a receiver answers a refused webhook with: 403 for an authentication
/// failure (SdkAppid, Sign, RequestTime), 405 for another method, 400 for the rest.
TRTC_DECL int webhook_rejection_status(std::error_code ec) noexcept;

/// The body to answer an accepted webhook with (HTTP 200).
inline constexpr std::string_view webhook_ok_reply =
    R"({"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0})";

/// The three command words.
inline constexpr std::string_view webhook_create_battle = "Live.CallbackAfterCreateBattle";
inline constexpr std::string_view webhook_start_battle = "Live.CallbackAfterStartBattle";
inline constexpr std::string_view webhook_end_battle = "Live.CallbackAfterEndBattle";

/// A Unix time in milliseconds (EventTime).
using unix_time_ms = std::chrono::time_point<std::chrono::system_clock, std::chrono::milliseconds>;

/// A room of FromRoomInfo / ToRoomList.
struct webhook_room {
    std::string room_id;
    /// The owner's UserID, exactly as sent: a string, or the digits of a (64-bit) number.
    std::string owner_account;
    /// The room's score (End only); absent when the body has none, never 0 instead.
    std::optional<std::int64_t> score;
};

/// Live.CallbackAfterCreateBattle.
struct battle_created {
    static constexpr std::string_view command = webhook_create_battle;
    std::string battle_id;
    /// Who initiated the battle (Operator_Account).
    std::string operator_account;
    std::string from_room_id;
    std::vector<std::string> to_room_ids;
    /// How long callees may take to answer (only meaningful when need_response).
    std::chrono::milliseconds timeout{0};
    /// How long the battle lasts once started.
    std::chrono::milliseconds duration{0};
    bool need_response = false;
    std::string extension_info;
    unix_time_ms event_time{};
};

/// Live.CallbackAfterStartBattle.
struct battle_started {
    static constexpr std::string_view command = webhook_start_battle;
    std::string battle_id;
    std::chrono::milliseconds duration{0};
    unix_time create_time{};
    unix_time start_time{};
    webhook_room from_room;
    std::vector<webhook_room> to_rooms;
    unix_time_ms event_time{};
};

/// Live.CallbackAfterEndBattle.
struct battle_ended {
    static constexpr std::string_view command = webhook_end_battle;
    /// OpType: why it ended.
    enum reason : int {
        /// The time was up.
        time_up = 0,
        /// Every room owner left after the start.
        all_owners_left = 1,
        /// It never started: no callee owner joined.
        never_started = 2,
    };
    std::string battle_id;
    std::chrono::milliseconds duration{0};
    unix_time create_time{};
    unix_time start_time{};
    unix_time end_time{};
    /// OpType as sent (0, 1, 2 documented; others kept).
    int op_type = 0;
    /// The final scores are in score of each room.
    webhook_room from_room;
    std::vector<webhook_room> to_rooms;
    unix_time_ms event_time{};
};

/// A verified webhook: its query's details and the event.
struct battle_webhook {
    std::variant<battle_created, battle_started, battle_ended> event;
    /// The query's OptPlatform and ClientIP, percent-decoded, as sent ("" when absent).
    std::string opt_platform, client_ip;
    /// RequestTime, when the query had one.
    std::optional<unix_time> request_time;

    /// The command word of the event.
    std::string_view command() const noexcept {
        return std::visit(
            [](const auto& e) { return std::string_view(std::decay_t<decltype(e)>::command); },
            event);
    }
    /// The event's BattleId.
    const std::string& battle_id() const noexcept {
        return std::visit([](const auto& e) -> const std::string& { return e.battle_id; }, event);
    }
};

/// What a receiver checks against.
struct webhook_options {
    /// Our SDKAppID.
    std::uint32_t sdkappid = 0;
    /// The authentication token (set_callback_token). Empty: Sign is not checked (and not
    /// required). A secret: never in a message.
    std::string token;
    /// How far RequestTime may be from the clock, either way (the documentation: 1 minute).
    std::chrono::seconds window{60};
};

/// The lowercase hex SHA-256 of token + request_time: the Sign of a signed webhook.
TRTC_DECL std::string webhook_sign(std::string_view token, std::int64_t request_time);

/// Checks a webhook request and reads its event. Sans-I/O and stateless (const): one receiver
/// may serve every thread. The token is wiped on destruction.
class webhook_receiver {
  public:
    explicit webhook_receiver(webhook_options options) : options_(std::move(options)) {}
    webhook_receiver(const webhook_receiver&) = default;
    webhook_receiver& operator=(const webhook_receiver&) = default;
    TRTC_DECL ~webhook_receiver();

    /// The request's `method`, `query` (the query string; a whole target "path?query" is also
    /// taken) and `body`, checked at time `now`.
    TRTC_DECL result<battle_webhook> receive(std::string_view method, std::string_view query,
                                             std::string_view body, unix_time now) const;
    /// receive() at the system clock's time.
    result<battle_webhook> receive(std::string_view method, std::string_view query,
                                   std::string_view body) const {
        return receive(method, query, body, unix_now());
    }

    /// The SDKAppID it accepts.
    std::uint32_t sdkappid() const noexcept { return options_.sdkappid; }
    /// Whether Sign is checked.
    bool checks_sign() const noexcept { return !options_.token.empty(); }

  private:
    webhook_options options_;
};

/// Reads a webhook body alone (no query checks): the event of `command`, or webhook_errc
/// body_not_json, command_mismatch or bad_field. receive() uses it.
TRTC_DECL result<std::variant<battle_created, battle_started, battle_ended>>
decode_webhook_body(std::string_view command, std::string_view body);

/// Remembers the (CallbackCommand, BattleId) pairs seen: the body is not covered by the Sign,
/// so a webhook replayed within the window passes receive(). Bounded: the oldest pair is
/// forgotten once `capacity` are held. Thread-safe.
class webhook_replay_guard {
  public:
    /// A guard remembering the last `capacity` pairs (at least 1).
    explicit webhook_replay_guard(std::size_t capacity = 65536)
        : capacity_(capacity == 0 ? 1 : capacity) {}
    webhook_replay_guard(const webhook_replay_guard&) = delete;
    webhook_replay_guard& operator=(const webhook_replay_guard&) = delete;

    /// True the first time the pair is seen (it is then remembered), false for a replay.
    TRTC_DECL bool first_time(std::string_view command, std::string_view battle_id);
    bool first_time(const battle_webhook& w) { return first_time(w.command(), w.battle_id()); }

    /// The pairs remembered.
    std::size_t size() const {
        detail::lock_guard lock(mutex_);
        return order_.size();
    }
    std::size_t capacity() const noexcept { return capacity_; }

  private:
    using key = std::pair<std::string, std::string>;
    mutable detail::mutex mutex_;
    std::size_t capacity_;
    std::set<key> seen_;
    std::deque<std::set<key>::const_iterator> order_;
};

#if TRTC_DEFINITIONS

namespace detail {

/// The query parameters a webhook carries (first occurrence of each, keys case-insensitive).
struct webhook_query {
    std::optional<std::string> sdkappid, command, sign, request_time, client_ip, opt_platform;
};

/// Reads the parameters of `query` into `out`; false when it is malformed.
TRTC_DECL bool parse_webhook_query(std::string_view query, webhook_query& out);

inline bool webhook_key_is(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
        if (x != y) return false;
    }
    return true;
}

TRTC_DECL bool parse_webhook_query(std::string_view query, webhook_query& out) {
    return decode_query(query, [&out](const std::string& name, const std::string& value) {
        std::optional<std::string>* slot = nullptr;
        if (webhook_key_is(name, "SdkAppid"))
            slot = &out.sdkappid;
        else if (webhook_key_is(name, "CallbackCommand"))
            slot = &out.command;
        else if (webhook_key_is(name, "Sign"))
            slot = &out.sign;
        else if (webhook_key_is(name, "RequestTime"))
            slot = &out.request_time;
        else if (webhook_key_is(name, "ClientIP"))
            slot = &out.client_ip;
        else if (webhook_key_is(name, "OptPlatform"))
            slot = &out.opt_platform;
        if (slot != nullptr && !slot->has_value()) *slot = value;
    });
}

/// Digits only, at most 18 of them (fits in int64_t).
inline bool webhook_parse_digits(std::string_view s, std::int64_t& out) noexcept {
    if (s.empty() || s.size() > 18) return false;
    std::int64_t v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return false;
        v = v * 10 + (c - '0');
    }
    out = v;
    return true;
}

/// A value quoted for a message: escaped, cut.
inline std::string webhook_quote(std::string_view v, std::size_t max = 64) {
    std::string q;
    append_escaped_for_message(q, v, max);
    return q;
}

/// The typed reads of a webhook body: the first problem is kept, naming the field's path.
class webhook_body_reader {
  public:
    bool ok() const noexcept { return !failed_; }
    error& failure() noexcept { return err_; }

    bool fail(const std::string& path, std::string what) {
        if (!failed_) {
            failed_ = true;
            err_ = error(webhook_errc::bad_field, path + " " + std::move(what));
        }
        return false;
    }

    static std::string describe(json::value v) {
        if (v.is_number()) return "the number " + std::string(v.number_text().substr(0, 40));
        return json::to_string(v.kind());
    }

    /// The member, missing when absent or null.
    static json::value member(json::value obj, std::string_view key) {
        json::value v = obj[key];
        return v.is_null() ? json::value() : v;
    }

    static std::string path(std::string_view parent, std::string_view key) {
        std::string p(parent);
        if (!p.empty()) p += '.';
        p += key;
        return p;
    }

    bool string(json::value obj, std::string_view parent, std::string_view key, std::string& out,
                bool required = false) {
        const json::value v = member(obj, key);
        if (!present(v, parent, key, required)) return false;
        if (!v.is_string())
            return fail(path(parent, key), "should be a string, not " + describe(v));
        out.assign(v.as_string());
        return true;
    }

    bool integer(json::value obj, std::string_view parent, std::string_view key, std::int64_t& out,
                 bool required = false) {
        const json::value v = member(obj, key);
        if (!present(v, parent, key, required)) return false;
        if (!v.is_number() || !v.get(out))
            return fail(path(parent, key), "should be an integer, not " + describe(v));
        return true;
    }

    bool boolean(json::value obj, std::string_view parent, std::string_view key, bool& out) {
        const json::value v = member(obj, key);
        if (!present(v, parent, key, false)) return false;
        if (!v.is_bool() || !v.get(out))
            return fail(path(parent, key), "should be a boolean, not " + describe(v));
        return true;
    }

    /// A string, or an integer number kept as its exact text (Owner_Account).
    bool string_or_integer(json::value obj, std::string_view parent, std::string_view key,
                           std::string& out) {
        const json::value v = member(obj, key);
        if (!present(v, parent, key, false)) return false;
        if (v.is_string()) {
            out.assign(v.as_string());
            return true;
        }
        std::int64_t i = 0;
        std::uint64_t u = 0;
        if (v.is_number() && (v.get(i) || v.get(u))) {
            out.assign(v.number_text());
            return true;
        }
        return fail(path(parent, key), "should be a string or an integer, not " + describe(v));
    }

    bool array(json::value obj, std::string_view parent, std::string_view key, json::value& out) {
        out = member(obj, key);
        if (!present(out, parent, key, false)) return false;
        if (!out.is_array())
            return fail(path(parent, key), "should be an array, not " + describe(out));
        return true;
    }

    bool room(json::value v, const std::string& p, webhook_room& out) {
        if (!v.is_object()) return fail(p, "should be an object, not " + describe(v));
        string(v, p, "RoomId", out.room_id);
        string_or_integer(v, p, "Owner_Account", out.owner_account);
        std::int64_t s = 0;
        if (integer(v, p, "Score", s)) out.score = s;
        return ok();
    }

    void rooms(json::value obj, std::vector<webhook_room>& out) {
        json::value list;
        if (!array(obj, "", "ToRoomList", list)) return;
        std::size_t i = 0;
        for (json::value e : list) {
            if (!room(e, "ToRoomList[" + std::to_string(i++) + "]", out.emplace_back())) return;
        }
    }

    void from_room(json::value obj, webhook_room& out) {
        const json::value v = member(obj, "FromRoomInfo");
        if (v.exists()) room(v, "FromRoomInfo", out);
    }

  private:
    bool present(json::value v, std::string_view parent, std::string_view key, bool required) {
        if (failed_) return false;
        if (v.exists()) return true;
        if (required) fail(path(parent, key), "is missing");
        return false;
    }

    bool failed_ = false;
    error err_;
};

inline unix_time_ms webhook_ms(std::int64_t v) noexcept {
    return unix_time_ms(std::chrono::milliseconds(v));
}

} // namespace detail

TRTC_DECL const std::error_category& webhook_category() noexcept {
    // A local class made once and never destroyed, as the library's other categories
    // (errors.hpp: detail::category_instance).
    class category final : public std::error_category {
      public:
        const char* name() const noexcept override { return "trtc.webhook"; }
        std::string message(int v) const override {
            switch (static_cast<webhook_errc>(v)) {
            case webhook_errc::method_not_post:
                return "the webhook's method is not POST";
            case webhook_errc::bad_query:
                return "the webhook's query string is malformed";
            case webhook_errc::sdkappid_missing:
                return "the webhook's query has no SdkAppid";
            case webhook_errc::sdkappid_mismatch:
                return "the webhook's SdkAppid is not ours";
            case webhook_errc::command_missing:
                return "the webhook's query has no CallbackCommand";
            case webhook_errc::unknown_command:
                return "the webhook's CallbackCommand is not a battle webhook";
            case webhook_errc::sign_missing:
                return "the webhook has no Sign";
            case webhook_errc::request_time_missing:
                return "the webhook has no RequestTime";
            case webhook_errc::request_time_invalid:
                return "the webhook's RequestTime is not a number of seconds";
            case webhook_errc::request_time_out_of_window:
                return "the webhook's RequestTime is too far from now";
            case webhook_errc::sign_mismatch:
                return "the webhook's Sign does not match";
            case webhook_errc::body_not_json:
                return "the webhook's body is not a JSON object";
            case webhook_errc::command_mismatch:
                return "the body's CallbackCommand differs from the query's";
            case webhook_errc::bad_field:
                return "a field of the webhook's body is missing or of the wrong type";
            }
            return "unknown webhook error " + std::to_string(v);
        }
    };
    return detail::category_instance<category>();
}

TRTC_DECL int webhook_rejection_status(std::error_code ec) noexcept {
    if (ec.category() != webhook_category()) return 400;
    switch (static_cast<webhook_errc>(ec.value())) {
    case webhook_errc::method_not_post:
        return 405;
    case webhook_errc::sdkappid_missing:
    case webhook_errc::sdkappid_mismatch:
    case webhook_errc::sign_missing:
    case webhook_errc::request_time_missing:
    case webhook_errc::request_time_invalid:
    case webhook_errc::request_time_out_of_window:
    case webhook_errc::sign_mismatch:
        return 403;
    case webhook_errc::bad_query:
    case webhook_errc::command_missing:
    case webhook_errc::unknown_command:
    case webhook_errc::body_not_json:
    case webhook_errc::command_mismatch:
    case webhook_errc::bad_field:
        return 400;
    }
    return 400;
}

TRTC_DECL std::string webhook_sign(std::string_view token, std::int64_t request_time) {
    detail::sha256 h;
    h.update(token);
    h.update(std::to_string(request_time));
    return detail::sha256_hex(h.finish());
}

TRTC_DECL webhook_receiver::~webhook_receiver() {
    detail::secure_wipe(options_.token.data(), options_.token.size());
}

TRTC_DECL result<std::variant<battle_created, battle_started, battle_ended>>
decode_webhook_body(std::string_view command, std::string_view body) {
    using variant = std::variant<battle_created, battle_started, battle_ended>;
    json::document doc;
    json::parse_error perr;
    if (!json::parse(body, doc, perr))
        return error(webhook_errc::body_not_json,
                     "the body is not JSON: " + std::string(perr.message) + " at byte " +
                         std::to_string(perr.offset));
    const json::value root = doc.root();
    if (!root.is_object()) return error(webhook_errc::body_not_json, "the body is not an object");
    detail::webhook_body_reader r;
    std::string body_command;
    if (!r.string(root, "", "CallbackCommand", body_command, true)) {
        if (!r.ok())
            return error(webhook_errc::command_mismatch,
                         "the body's CallbackCommand: " + r.failure().message);
    }
    if (body_command != command)
        return error(webhook_errc::command_mismatch,
                     "the body's CallbackCommand " + detail::webhook_quote(body_command) +
                         " differs from the query's " + detail::webhook_quote(command));
    std::int64_t n = 0;
    if (command == webhook_create_battle) {
        battle_created e;
        r.string(root, "", "BattleId", e.battle_id, true);
        r.string(root, "", "Operator_Account", e.operator_account);
        r.string(root, "", "FromRoomId", e.from_room_id);
        json::value list;
        if (r.array(root, "", "ToRoomIdList", list)) {
            std::size_t i = 0;
            for (json::value v : list) {
                if (!v.is_string()) {
                    r.fail("ToRoomIdList[" + std::to_string(i) + "]",
                           "should be a string, not " + r.describe(v));
                    break;
                }
                e.to_room_ids.emplace_back(v.as_string());
                ++i;
            }
        }
        if (r.integer(root, "", "Timeout", n)) e.timeout = std::chrono::milliseconds(n);
        if (r.integer(root, "", "Duration", n)) e.duration = std::chrono::milliseconds(n);
        r.boolean(root, "", "NeedResponse", e.need_response);
        r.string(root, "", "ExtensionInfo", e.extension_info);
        if (r.integer(root, "", "EventTime", n)) e.event_time = detail::webhook_ms(n);
        if (!r.ok()) return std::move(r.failure());
        return variant(std::move(e));
    }
    if (command == webhook_start_battle) {
        battle_started e;
        r.string(root, "", "BattleId", e.battle_id, true);
        if (r.integer(root, "", "Duration", n)) e.duration = std::chrono::milliseconds(n);
        if (r.integer(root, "", "CreateTime", n)) e.create_time = from_unix_seconds(n);
        if (r.integer(root, "", "StartTime", n)) e.start_time = from_unix_seconds(n);
        r.from_room(root, e.from_room);
        r.rooms(root, e.to_rooms);
        if (r.integer(root, "", "EventTime", n)) e.event_time = detail::webhook_ms(n);
        if (!r.ok()) return std::move(r.failure());
        return variant(std::move(e));
    }
    battle_ended e;
    r.string(root, "", "BattleId", e.battle_id, true);
    if (r.integer(root, "", "Duration", n)) e.duration = std::chrono::milliseconds(n);
    if (r.integer(root, "", "CreateTime", n)) e.create_time = from_unix_seconds(n);
    if (r.integer(root, "", "StartTime", n)) e.start_time = from_unix_seconds(n);
    if (r.integer(root, "", "EndTime", n)) e.end_time = from_unix_seconds(n);
    if (r.integer(root, "", "OpType", n, true)) {
        if (n < INT32_MIN || n > INT32_MAX)
            r.fail("OpType", "should be a 32-bit integer, not " + std::to_string(n));
        else
            e.op_type = static_cast<int>(n);
    }
    r.from_room(root, e.from_room);
    r.rooms(root, e.to_rooms);
    if (r.integer(root, "", "EventTime", n)) e.event_time = detail::webhook_ms(n);
    if (!r.ok()) return std::move(r.failure());
    return variant(std::move(e));
}

TRTC_DECL result<battle_webhook> webhook_receiver::receive(std::string_view method,
                                                           std::string_view query,
                                                           std::string_view body,
                                                           unix_time now) const {
    if (method != "POST")
        return error(webhook_errc::method_not_post,
                     "the method is " + detail::webhook_quote(method, 16) + ", not POST");
    const std::size_t q = query.find('?');
    if (q != std::string_view::npos) query = query.substr(q + 1);
    detail::webhook_query p;
    if (!detail::parse_webhook_query(query, p))
        return error(webhook_errc::bad_query, "the query string has a malformed %-escape");

    if (!p.sdkappid) return error(webhook_errc::sdkappid_missing, "the query has no SdkAppid");
    std::int64_t id = 0;
    if (!detail::webhook_parse_digits(*p.sdkappid, id) || id != options_.sdkappid)
        return error(webhook_errc::sdkappid_mismatch,
                     "SdkAppid " + detail::webhook_quote(*p.sdkappid, 24) + " is not " +
                         std::to_string(options_.sdkappid));

    if (!p.command) return error(webhook_errc::command_missing, "the query has no CallbackCommand");
    if (*p.command != webhook_create_battle && *p.command != webhook_start_battle &&
        *p.command != webhook_end_battle)
        return error(webhook_errc::unknown_command, "CallbackCommand " +
                                                        detail::webhook_quote(*p.command) +
                                                        " is not a battle webhook");

    std::optional<unix_time> request_time;
    if (p.request_time) {
        std::int64_t t = 0;
        if (detail::webhook_parse_digits(*p.request_time, t)) request_time = from_unix_seconds(t);
    }
    if (!options_.token.empty()) {
        if (!p.sign) return error(webhook_errc::sign_missing, "the query has no Sign");
        if (!p.request_time)
            return error(webhook_errc::request_time_missing, "the query has no RequestTime");
        if (!request_time)
            return error(webhook_errc::request_time_invalid,
                         "RequestTime " + detail::webhook_quote(*p.request_time, 24) +
                             " is not a decimal number of seconds");
        const std::int64_t t = to_unix_seconds(*request_time);
        const std::int64_t n = to_unix_seconds(now);
        const std::int64_t diff = t > n ? t - n : n - t;
        if (diff > options_.window.count())
            return error(webhook_errc::request_time_out_of_window,
                         "RequestTime " + std::to_string(t) + " is " + std::to_string(diff) +
                             " s " + (t > n ? "ahead of" : "behind") + " now (" +
                             std::to_string(n) + "); the window is " +
                             std::to_string(options_.window.count()) + " s");
        std::string expected = webhook_sign(options_.token, t);
        std::string got = *p.sign;
        for (char& c : got)
            if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
        const bool same = detail::constant_time_equal(expected, got);
        for (char& c : expected) c = 0;
        if (!same)
            return error(webhook_errc::sign_mismatch,
                         "Sign is not sha256(token + RequestTime) for RequestTime " +
                             std::to_string(t));
    }

    auto event = decode_webhook_body(*p.command, body);
    if (!event) return std::move(event).error();
    battle_webhook out{std::move(*event), {}, {}, request_time};
    if (p.opt_platform) out.opt_platform = std::move(*p.opt_platform);
    if (p.client_ip) out.client_ip = std::move(*p.client_ip);
    return out;
}

TRTC_DECL bool webhook_replay_guard::first_time(std::string_view command,
                                                std::string_view battle_id) {
    detail::lock_guard lock(mutex_);
    auto ins = seen_.emplace(std::string(command), std::string(battle_id));
    if (!ins.second) return false;
    order_.push_back(ins.first);
    while (order_.size() > capacity_) {
        seen_.erase(order_.front());
        order_.pop_front();
    }
    return true;
}

#endif // TRTC_DEFINITIONS

TRTC_END_NAMESPACE

#endif // TRTC_WEBHOOKS_HPP

/// @file
/// @brief The call engine: every decision of a call (the rate limit, the UserSig, prepare,
/// deadlines, retries, the backup domain, outcome unknown, events) as a sans-I/O state
/// machine. It sends nothing, sleeps never and reads no clock: its driver passes the time in,
/// carries each request and feeds the answer back. basic_client (trtc/client.hpp) drives it
/// by blocking; the Asio client (trtc/adapters/asio.hpp) on an event loop; your own loop can
/// drive it the same way:
///
/// @code
/// auto call = engine.start_call(request, {}, steady_clock::now());
/// while (call.step() != trtc::call_step::done) {
///     if (call.step() == trtc::call_step::send)
///         call.on_response(my_send(call.request(), call.deadline()), steady_clock::now());
///     else // call_step::wait: come back at call.deadline()
///         call.on_wake(steady_clock::now());
/// }
/// auto response = std::move(call.outcome());
/// @endcode
#ifndef TRTC_CALL_ENGINE_HPP
#define TRTC_CALL_ENGINE_HPP

/// @file
/// @brief The secret scrubber: removes from a text every piece of a secret long enough to be one,
///        so that a server's partial echo of a UserSig (or a key, or a token) is caught too.
///
/// The one scrubber of the library: the client scrubs its errors with it, the libcurl adapter its
/// error texts. (http_request::redacted_url() is another job: it replaces the value of the
/// `usersig` query parameter, whatever that value is, by its position in the URL.)
#ifndef TRTC_DETAIL_SCRUB_HPP
#define TRTC_DETAIL_SCRUB_HPP

#include <cstddef>
#include <string>
#include <string_view>

#if TRTC_DEFINITIONS
#    include <cstdint>
#    include <cstring>
#    include <vector>
#endif

TRTC_BEGIN_NAMESPACE
namespace detail {

/// @brief A run of this many characters of a secret is scrubbed wherever it appears.
inline constexpr std::size_t scrub_run = 24;

/// @brief Secrets shorter than this are left alone: scrubbing them would mangle ordinary text.
inline constexpr std::size_t scrub_min_secret = 8;

/// @brief What replaces each scrubbed run.
inline constexpr std::string_view scrub_mark = "REDACTED";

/// @brief Replaces in @p text every run of scrub_run (24) or more consecutive characters that
///        also occur, consecutively, in one of the @p count secrets at @p secrets with REDACTED
///        (one REDACTED for each maximal run, touching runs being one). A secret shorter than 24
///        characters is replaced where it occurs whole; one shorter than scrub_min_secret (8), or
///        empty, is ignored. Every secret is matched against the original text, so a run made of
///        pieces of two secrets is scrubbed as one.
///
/// Linear in the lengths: each secret's 24-character windows go into a hash table under a
/// rolling hash, the text's windows are looked up in it (a hit checked byte for byte), and a
/// match is extended one character at a time without a look-up. Allocates the table (for a
/// secret of 24 or more characters) and, only when something is found, the new text.
TRTC_DECL void scrub(std::string& text, const std::string_view* secrets, std::size_t count);

/// @brief scrub() with one secret.
inline void scrub(std::string& text, std::string_view secret) {
    scrub(text, &secret, 1);
}

#if TRTC_DEFINITIONS

namespace scrub_impl {

// Rolling hash over windows of scrub_run bytes: h = sum c_i * B^(run-1-i) mod 2^64.
inline constexpr std::uint64_t base = 0x100000001B3u;

constexpr std::uint64_t power_of_base(std::size_t e) noexcept {
    std::uint64_t p = 1;
    for (std::size_t i = 0; i < e; ++i) p *= base;
    return p;
}

inline constexpr std::uint64_t top_power =
    power_of_base(scrub_run - 1); // the weight of a window's first byte

inline std::uint64_t byte(char c) noexcept {
    return std::uint64_t{static_cast<unsigned char>(c)};
}

inline std::uint64_t roll_in(std::uint64_t h, char c) noexcept {
    return h * base + byte(c);
}

inline std::uint64_t roll(std::uint64_t h, char out, char in) noexcept {
    return roll_in(h - byte(out) * top_power, in);
}

inline std::uint64_t hash_window(const char* p) noexcept {
    std::uint64_t h = 0;
    for (std::size_t i = 0; i < scrub_run; ++i) h = roll_in(h, p[i]);
    return h;
}

inline constexpr std::uint32_t none = 0xFFFFFFFFu;

// The distinct windows of one secret, chained by hash bucket.
class window_table {
  public:
    explicit window_table(std::string_view secret) : s_(secret) {
        const std::size_t windows = s_.size() - scrub_run + 1;
        std::size_t buckets = 16;
        while (buckets < windows * 2) buckets *= 2;
        mask_ = static_cast<std::uint32_t>(buckets - 1);
        head_.assign(buckets, none);
        hash_.resize(windows);
        next_.resize(windows);
        std::uint64_t h = hash_window(s_.data());
        for (std::size_t p = 0;; ++p) {
            hash_[p] = h;
            if (find(h, s_.data() + p) == none) { // a repeated window is kept once
                std::uint32_t& head = head_[static_cast<std::uint32_t>(h) & mask_];
                next_[p] = head;
                head = static_cast<std::uint32_t>(p);
            }
            if (p + 1 == windows) break;
            h = roll(h, s_[p], s_[p + scrub_run]);
        }
    }

    // Where in the secret the window at `w` (hash `h`) occurs, or none.
    std::uint32_t find(std::uint64_t h, const char* w) const noexcept {
        for (std::uint32_t p = head_[static_cast<std::uint32_t>(h) & mask_]; p != none;
             p = next_[p])
            if (hash_[p] == h && std::memcmp(s_.data() + p, w, scrub_run) == 0) return p;
        return none;
    }

    std::string_view secret() const noexcept { return s_; }

  private:
    std::string_view s_;
    std::uint32_t mask_ = 0;
    std::vector<std::uint32_t> head_;
    std::vector<std::uint32_t> next_;
    std::vector<std::uint64_t> hash_;
};

// Marks [b, e) of `text` as to be scrubbed.
inline void mark(std::vector<unsigned char>& marks, std::size_t size, std::size_t b,
                 std::size_t e) {
    if (marks.empty()) marks.assign(size, 0);
    std::memset(marks.data() + b, 1, e - b);
}

// Marks every window of `text` found in the secret of `table`.
inline void mark_runs(const std::string& text, const window_table& table,
                      std::vector<unsigned char>& marks) {
    const std::string_view s = table.secret();
    const std::size_t n = text.size();
    std::uint64_t h = hash_window(text.data());
    std::uint32_t at = none;   // where in the secret the current window occurs
    std::size_t marked_to = 0; // marks before this offset are already set
    for (std::size_t w = 0;; ++w) {
        // The window at w: the last one's successor in the secret when the next bytes agree,
        // otherwise a look-up.
        if (at != none && at + scrub_run < s.size() && s[at + scrub_run] == text[w + scrub_run - 1])
            ++at;
        else
            at = table.find(h, text.data() + w);
        if (at != none) {
            const std::size_t b = w > marked_to ? w : marked_to;
            mark(marks, n, b, w + scrub_run);
            marked_to = w + scrub_run;
        }
        if (w + scrub_run == n) break;
        h = roll(h, text[w], text[w + scrub_run]);
    }
}

// Marks every whole occurrence of a short secret.
inline void mark_whole(const std::string& text, std::string_view secret,
                       std::vector<unsigned char>& marks) {
    for (std::size_t at = text.find(secret); at != std::string::npos;
         at = text.find(secret, at + 1))
        mark(marks, text.size(), at, at + secret.size());
}

} // namespace scrub_impl

TRTC_DECL void scrub(std::string& text, const std::string_view* secrets, std::size_t count) {
    std::vector<unsigned char> marks; // one per byte of text once something is found
    for (std::size_t i = 0; i < count; ++i) {
        const std::string_view secret = secrets[i];
        if (secret.size() < scrub_min_secret) continue;
        if (secret.size() < scrub_run)
            scrub_impl::mark_whole(text, secret, marks);
        else if (text.size() >= scrub_run)
            scrub_impl::mark_runs(text, scrub_impl::window_table(secret), marks);
    }
    if (marks.empty()) return;
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        if (marks[i] == 0) {
            out.push_back(text[i++]);
            continue;
        }
        out.append(scrub_mark);
        while (i < text.size() && marks[i] != 0) ++i;
    }
    text.swap(out);
}

#endif // TRTC_DEFINITIONS

} // namespace detail
TRTC_END_NAMESPACE

#endif // TRTC_DETAIL_SCRUB_HPP
/// @file
/// @brief The client's built-in policies: random source, rate limiter, retry schedule, clock
/// and UserSig cache. Each contract is one to three functions, checked by a static_assert in
/// basic_client that shows the expected signature.
#ifndef TRTC_POLICIES_HPP
#define TRTC_POLICIES_HPP

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#if TRTC_DEFINITIONS
#    include <cstring>

#    if defined(_WIN32)
#        include <random>
#    elif defined(__APPLE__)
#        include <sys/random.h> // getentropy
#    else
#        include <unistd.h> // getentropy
#    endif
#endif

TRTC_BEGIN_NAMESPACE

// ---------------------------------------------------------------------------------------------
/// Random source policy: `std::uint32_t operator()()`, safe to call from many threads.
///
/// The built-in one draws the `random` query parameter from a per-thread xoshiro128++ stream
/// seeded from the operating system's entropy (getentropy; rand_s on Windows), so every
/// value of the full 32-bit range is possible and threads never share state.
struct default_random {
    std::uint32_t operator()() const noexcept;

  private:
    struct state {
        std::uint32_t x[4];
        static state seeded() noexcept;
        static std::uint32_t rotl(std::uint32_t v, int k) noexcept {
            return (v << k) | (v >> (32 - k));
        }
        std::uint32_t next() noexcept;
    };
};

// ---------------------------------------------------------------------------------------------
/// How fast calls may go.
struct rate_limit_options {
    /// Sustained calls per second (the service allows 200 per API). 0 or less: no limit.
    double per_second = 200;
    /// Calls that may go at once after a quiet period.
    unsigned burst = 20;
};

/// What an extended rate limiter learns about the slot it books (see the optional overload of
/// the rate limiter contract below).
struct slot_request {
    /// The time of the booking (the call engine's steady time).
    std::chrono::steady_clock::time_point now;
    /// The call's own deadline: a limiter that must ask a server bounds its round trip by it,
    /// and need not book a slot the call could not use.
    std::chrono::steady_clock::time_point deadline;
    /// The API called (the endpoint's command, e.g. "CreateBattle" or its path).
    std::string_view api;
    /// The application the call is made for.
    std::uint32_t sdkappid = 0;
};

/// Rate limiter policy: constructible from rate_limit_options, and
/// `std::chrono::nanoseconds reserve(std::chrono::steady_clock::time_point now)`, which books a
/// slot for one call and returns how long the caller must wait before making it. Thread-safe.
///
/// A limiter may also provide `result<std::chrono::nanoseconds> reserve(const slot_request&)`,
/// which the call engine then prefers: it learns the call's deadline, the API and the
/// SDKAppID, and may fail the call (an error, which the call ends with: errc::rate_limited
/// and the cause). A limiter shared between processes implements that one
/// (trtc::redis_rate_limiter in trtc/adapters/redis.hpp).
///
/// The built-in one is a token bucket (the generic cell rate algorithm: a "theoretical arrival
/// time" gives `burst` calls at once after a quiet period and `per_second` calls a second
/// after that) held to the service's strictest reading of its limit: at most `per_second`
/// calls (rounded down, at least one) in ANY sliding second, whatever the burst. A sliding
/// log of the last `per_second` slots granted does that:
///
/// - every slot granted is at or after the one granted before it (slot_k >= slot_{k-1}), and
/// - at least one second after the slot granted `per_second` bookings before it
///   (slot_k >= slot_{k-L} + 1 s, L = per_second).
///
/// Proof: take any window [a, a + 1 s). The slots in it are consecutive bookings i..j (the
/// slots are ordered). Were there more than L, j - i >= L, so slot_j >= slot_{j-L} + 1 s >=
/// slot_i + 1 s >= a + 1 s: slot_j would not be in the window. So at most L slots are in any
/// window of one second. The token bucket only ever delays a slot further, so both hold.
/// (tests/test_policies.cpp checks every window of a long simulated sequence.)
///
/// Each booking takes a mutex held for a few comparisons (no allocation; the log is allocated
/// once, 8 bytes per call a second, at most 65536 entries). Above 65536 calls a second the log
/// is not kept and the bucket's interval is shortened instead to `1 s / (per_second + 1 -
/// burst)`, which bounds any second the same way (n calls in [a, a + 1 s) need (n - 1)
/// intervals minus the (burst - 1) intervals of tolerance to fit in under a second).
class token_bucket {
  public:
    explicit token_bucket(rate_limit_options o = {});
    token_bucket(const token_bucket& o);
    token_bucket& operator=(const token_bucket&) = delete;

    /// Books one slot; returns the wait before it (zero when the call may go now).
    std::chrono::nanoseconds reserve(std::chrono::steady_clock::time_point now) noexcept;

  private:
    static constexpr std::int64_t nanos_per_tick = std::chrono::steady_clock::period::num *
                                                   1000000000 /
                                                   std::chrono::steady_clock::period::den;
    static constexpr std::int64_t window_ = 1000000000;
    static constexpr std::size_t max_log = 65536;
    std::int64_t interval_ = 0;
    std::int64_t tolerance_ = 0;
    mutable detail::mutex mutex_;
    std::int64_t tat_ = 0;
    std::int64_t last_ = 0;
    // The ring of the last log_.size() slots; head_ is the oldest once full.
    std::vector<std::int64_t> log_;
    std::size_t head_ = 0;
    std::size_t filled_ = 0;
};

// ---------------------------------------------------------------------------------------------
/// How failed calls are retried.
struct retry_options {
    /// Attempts per call, the first included (1 = never retry).
    unsigned max_attempts = 3;
    /// The first backoff; each later one is `multiplier` times longer, up to max_backoff.
    std::chrono::milliseconds initial_backoff{100};
    std::chrono::milliseconds max_backoff{2000};
    double multiplier = 2.0;
    /// The share of each backoff that is random: 0.2 waits between 80% and 100% of it.
    double jitter = 0.2;
};

/// Retry policy: constructible from retry_options, with `unsigned max_attempts() const` and
/// `std::chrono::nanoseconds backoff(unsigned retry, std::uint32_t entropy) const` (retry is 1
/// before the second attempt; entropy is a fresh random value for the jitter). Which failures
/// are retried is not the policy's choice: the client retries only what the error catalogue
/// marks retryable, and never resends a non-idempotent request that may have arrived.
class exponential_backoff {
  public:
    explicit exponential_backoff(retry_options o = {}) noexcept : o_(o) {}

    unsigned max_attempts() const noexcept { return o_.max_attempts == 0 ? 1 : o_.max_attempts; }

    std::chrono::nanoseconds backoff(unsigned retry, std::uint32_t entropy) const noexcept;

  private:
    retry_options o_;
};

// ---------------------------------------------------------------------------------------------
/// Clock policy: `unix_time now() const`: the wall clock UserSigs are signed with. (Deadlines
/// use std::chrono::steady_clock.)
struct system_clock_source {
    unix_time now() const noexcept { return unix_now(); }
};

// ---------------------------------------------------------------------------------------------
/// What the client needs to sign its requests.
struct credentials {
    std::uint32_t sdkappid = 0;
    /// The App administrator account.
    std::string identifier;
    /// The console's secret key. The client keeps only the prekeyed HMAC state, and wipes
    /// its copy of this string once that is made.
    std::string secret_key;
    /// How long each UserSig is valid; the cache renews it ahead of expiry.
    std::chrono::seconds usersig_validity{std::chrono::hours(24)};
};

/// UserSig source policy: `static result<S> create(const credentials&)` and
/// `result<std::string> usersig(unix_time now, bool refresh)`, which returns a valid UserSig
/// (made anew when `refresh` is true). Thread-safe.
///
/// The built-in cache signs once and reuses the sig until a margin before its expiry (a
/// quarter of its validity, at most one hour), then signs again: never once per call.
template <class Hmac = builtin_hmac_sha256, class Deflate = stored_deflate>
class usersig_cache {
  public:
    using signer_type = basic_usersig_signer<Hmac, Deflate>;

    static result<usersig_cache> create(const credentials& c) {
        auto s = signer_type::create(c.sdkappid, c.secret_key);
        if (!s) return std::move(s).error();
        auto id = detail::check_identifier(c.identifier);
        if (!id) return std::move(id).error();
        if (c.usersig_validity.count() <= 0 || c.usersig_validity.count() > signer_type::max_expire)
            return error(errc::invalid_argument,
                         "usersig_validity must be between 1 s and 2147483647 s");
        return usersig_cache(std::move(*s), c.identifier, c.usersig_validity);
    }

    usersig_cache(usersig_cache&& o) noexcept
        : signer_(std::move(o.signer_)), identifier_(std::move(o.identifier_)),
          validity_(o.validity_), sig_(std::move(o.sig_)), signed_at_(o.signed_at_),
          renew_at_(o.renew_at_), made_(o.made_.load()) {}

    result<std::string> usersig(unix_time now, bool refresh) {
        detail::lock_guard lock(mutex_);
        if (!refresh && !sig_.empty() && now < renew_at_ && now >= signed_at_) return sig_;
        auto s = signer_.generate(identifier_, validity_, now);
        if (!s) return std::move(s).error();
        sig_ = std::move(*s);
        signed_at_ = now;
        const std::chrono::seconds margin =
            validity_ / 4 < std::chrono::seconds(std::chrono::hours(1))
                ? std::chrono::seconds(validity_ / 4)
                : std::chrono::seconds(std::chrono::hours(1));
        renew_at_ = now + (validity_ - margin);
        made_.fetch_add(1);
        return sig_;
    }

    /// How many UserSigs were made so far (for tests and metrics).
    std::size_t signatures_made() const noexcept { return made_.load(); }

  private:
    usersig_cache(signer_type s, std::string id, std::chrono::seconds validity)
        : signer_(std::move(s)), identifier_(std::move(id)), validity_(validity) {}

    detail::mutex mutex_;
    signer_type signer_;
    std::string identifier_;
    std::chrono::seconds validity_;
    std::string sig_;
    unix_time signed_at_{};
    unix_time renew_at_{};
    detail::relaxed_atomic<std::size_t> made_{0};
};

#if TRTC_DEFINITIONS

TRTC_DECL std::uint32_t default_random::operator()() const noexcept {
    thread_local state s = state::seeded();
    return s.next();
}

namespace detail {
// Fills `out` from the operating system's entropy source; false when there is none.
inline bool os_entropy(std::uint32_t (&out)[4]) noexcept {
#    if defined(_WIN32)
    // The C runtime's rand_s (RtlGenRandom), through the standard library.
#        if TRTC_USE_EXCEPTIONS
    try {
#        endif
        std::random_device rd;
        for (std::uint32_t& w : out) w = static_cast<std::uint32_t>(rd());
        return true;
#        if TRTC_USE_EXCEPTIONS
    } catch (...) {
        return false;
    }
#        endif
#    else
    return ::getentropy(out, sizeof(out)) == 0;
#    endif
}
} // namespace detail

TRTC_DECL default_random::state default_random::state::seeded() noexcept {
    state s{};
    if (!detail::os_entropy(s.x)) {
        // No entropy source: mix the clock and a per-thread address.
        std::uint64_t t =
            static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
        std::uint64_t a = reinterpret_cast<std::uintptr_t>(&s);
        std::uint64_t z = t ^ (a << 17) ^ 0x9E3779B97F4A7C15ULL;
        for (std::uint32_t& w : s.x) {
            z += 0x9E3779B97F4A7C15ULL;
            std::uint64_t m = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
            m = (m ^ (m >> 27)) * 0x94D049BB133111EBULL;
            w = static_cast<std::uint32_t>(m ^ (m >> 31));
        }
    }
    if ((s.x[0] | s.x[1] | s.x[2] | s.x[3]) == 0) s.x[0] = 1;
    return s;
}

TRTC_DECL std::uint32_t default_random::state::next() noexcept {
    const std::uint32_t result = rotl(x[0] + x[3], 7) + x[0];
    const std::uint32_t t = x[1] << 9;
    x[2] ^= x[0];
    x[3] ^= x[1];
    x[1] ^= x[2];
    x[0] ^= x[3];
    x[2] ^= t;
    x[3] = rotl(x[3], 11);
    return result;
}

TRTC_DECL token_bucket::token_bucket(rate_limit_options o) {
    if (!(o.per_second > 0)) return;
    const double per_second = o.per_second < 1e9 ? o.per_second : 1e9;
    const std::int64_t burst = o.burst > 0 ? static_cast<std::int64_t>(o.burst) : 1;
    std::int64_t limit = static_cast<std::int64_t>(per_second);
    if (limit < 1) limit = 1;
    interval_ = static_cast<std::int64_t>(1e9 / per_second);
    if (interval_ < 1) interval_ = 1;
    if (static_cast<std::size_t>(limit) <= max_log) {
        log_.assign(static_cast<std::size_t>(limit), 0);
    } else if (burst > 1) {
        // No log: n calls in a second need (n - 1) * interval - tolerance < 1 s, so with
        // interval >= 1 s / (limit + 1 - burst) at most `limit` fit.
        const std::int64_t room = limit + 1 - burst > 0 ? limit + 1 - burst : 1;
        const std::int64_t tight = (window_ + room - 1) / room;
        if (tight > interval_) interval_ = tight;
    }
    tolerance_ = interval_ * (burst - 1);
}

TRTC_DECL token_bucket::token_bucket(const token_bucket& o) {
    detail::lock_guard lock(o.mutex_);
    interval_ = o.interval_;
    tolerance_ = o.tolerance_;
    tat_ = o.tat_;
    last_ = o.last_;
    log_ = o.log_;
    head_ = o.head_;
    filled_ = o.filled_;
}

TRTC_DECL std::chrono::nanoseconds
token_bucket::reserve(std::chrono::steady_clock::time_point now) noexcept {
    if (interval_ <= 0) return std::chrono::nanoseconds(0);
    const std::int64_t t = now.time_since_epoch().count() * nanos_per_tick;
    detail::lock_guard lock(mutex_);
    // The slot: now, or later if the bucket, the slot before, or the log says so.
    std::int64_t slot = t;
    if (tat_ - tolerance_ > slot) slot = tat_ - tolerance_;
    if (filled_ > 0 && last_ > slot) slot = last_;
    if (!log_.empty() && filled_ == log_.size() && log_[head_] + window_ > slot)
        slot = log_[head_] + window_;
    tat_ = (tat_ > slot ? tat_ : slot) + interval_;
    last_ = slot;
    if (!log_.empty()) {
        log_[head_] = slot;
        head_ = head_ + 1 == log_.size() ? 0 : head_ + 1;
        if (filled_ < log_.size()) ++filled_;
    } else {
        filled_ = 1;
    }
    return std::chrono::nanoseconds(slot - t);
}

TRTC_DECL std::chrono::nanoseconds
exponential_backoff::backoff(unsigned retry, std::uint32_t entropy) const noexcept {
    double ms = static_cast<double>(o_.initial_backoff.count());
    for (unsigned i = 1; i < retry && ms < static_cast<double>(o_.max_backoff.count()); ++i)
        ms *= o_.multiplier;
    if (ms > static_cast<double>(o_.max_backoff.count()))
        ms = static_cast<double>(o_.max_backoff.count());
    const double jitter = o_.jitter < 0.0 ? 0.0 : o_.jitter > 1.0 ? 1.0 : o_.jitter;
    const double unit = static_cast<double>(entropy) / 4294967296.0; // [0, 1)
    ms *= 1.0 - jitter * unit;
    return std::chrono::nanoseconds(static_cast<std::int64_t>(ms * 1e6));
}

#endif // TRTC_DEFINITIONS

TRTC_END_NAMESPACE

#endif // TRTC_POLICIES_HPP

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

TRTC_BEGIN_NAMESPACE

/// What became of one attempt of a call (call_event::outcome).
enum class attempt_outcome {
    /// The call succeeded.
    success,
    /// The attempt failed and the call will try again (after call_event::backoff).
    retrying,
    /// The call failed; this is its final error.
    failed,
};

/// One attempt of a call, reported to client_config::on_event for logs and metrics. Holds no
/// secret: the URL is redacted, and neither the key nor a UserSig is reachable from here.
struct call_event {
    std::string_view command;                 ///< "create_battle", ...
    unsigned attempt = 0;                     ///< 1 for the first
    std::uint32_t random = 0;                 ///< the call's random query parameter
    std::string_view redacted_url;            ///< the URL with the UserSig replaced by REDACTED
    bool backup_domain = false;               ///< whether this attempt went to the backup domain
    std::chrono::microseconds latency{0};     ///< of this attempt, from send to answer
    std::error_code code;                     ///< empty on success
    error_action action = error_action::none; ///< classify(code)
    std::string_view request_id;              ///< the service's RequestId, when there was one
    attempt_outcome outcome = attempt_outcome::success; ///< what became of the attempt
    std::chrono::nanoseconds backoff{0}; ///< the wait before the next attempt, when retrying
};

/// A copyable callable taking a call_event: what client_config::on_event holds. (A small
/// type-erased wrapper, so that the core does not pay for <functional>.)
class event_hook {
  public:
    event_hook() noexcept = default;
    /// Wraps any callable `void(const call_event&)`.
    template <class F, class = std::enable_if_t<!std::is_same_v<std::decay_t<F>, event_hook> &&
                                                std::is_invocable_v<F&, const call_event&>>>
    event_hook(F f) : p_(new holder<F>(std::move(f))) {}
    event_hook(const event_hook& o) : p_(o.p_ ? o.p_->clone() : nullptr) {}
    event_hook(event_hook&& o) noexcept : p_(o.p_) { o.p_ = nullptr; }
    event_hook& operator=(event_hook o) noexcept {
        std::swap(p_, o.p_);
        return *this;
    }
    ~event_hook() { delete p_; }
    /// Whether a callable is set.
    explicit operator bool() const noexcept { return p_ != nullptr; }
    /// Calls it. Precondition: bool(*this).
    void operator()(const call_event& e) const { p_->call(e); }

  private:
    // A template, so that its vtable is emitted where it is used (a header-only library has no
    // translation unit to hold it: clang's -Wweak-vtables).
    template <class = void>
    struct base_of {
        virtual ~base_of() = default;
        virtual void call(const call_event&) = 0;
        virtual base_of* clone() const = 0;
    };
    using base = base_of<>;
    template <class F>
    struct holder final : base {
        explicit holder(F f) : fn(std::move(f)) {}
        void call(const call_event& e) override { fn(e); }
        base* clone() const override { return new holder(fn); }
        F fn;
    };
    base* p_ = nullptr;
};

/// Everything a client needs besides its policies.
struct client_config {
    /// The SDKAppID, the admin identifier and the secret key (wiped from this struct's copy
    /// once the client has keyed its HMAC).
    credentials creds;
    /// Where the service is: `location::of(region::singapore)` or `location::parse(url)`.
    location where = location::of(region::china);
    /// The most time one attempt may take. Longer than the service's own 3 s timeout.
    std::chrono::milliseconds attempt_timeout{5000};
    /// The most time a whole call may take, retries and rate-limit waits included.
    std::chrono::milliseconds call_timeout{20000};
    rate_limit_options rate_limit;
    retry_options retry;
    /// Called after every attempt, from the thread that drives the call (the calling thread
    /// of basic_client, the event loop's of the Asio client). Keep it fast; it must not throw.
    event_hook on_event;
};

/// Per-call settings.
struct call_options {
    /// Overrides client_config::call_timeout for this call (zero: keep it).
    std::chrono::milliseconds timeout{0};
    /// The `random` query parameter to send (default: a fresh one). Kept for every attempt of
    /// the call, so that one value finds them all in the service's logs.
    std::optional<std::uint32_t> random;
};

/// The built-in policies, all but the transport, which a client chooses (trtc::client: the
/// built-in HTTP/1.1 one; trtc::https_client: libcurl; the Asio client its own). Derive from
/// it, name the transport and replace what else you need:
/// `struct my_policies : trtc::default_policies { using transport = trtc::curl_transport; };`
///
/// The call engine uses every policy but the transport; basic_client adds the transport:
/// `result<http_response> send(const http_request&, std::chrono::steady_clock::time_point
/// deadline)`, and optionally `static result<void> accepts(const base_url&)`, which
/// basic_client::create() asks about each base URL (a transport that speaks plain http:// only
/// refuses https:// there, not on the first call).
struct default_policies {
    /// `static bool parse(std::string_view, json::document&, json::parse_error&)` and
    /// `static void serialize(const json::document&, std::string&)`
    using json = builtin_json;
    /// `static result<S> create(const credentials&)`, `result<std::string> usersig(unix_time,
    /// bool)`
    using usersig_source = usersig_cache<builtin_hmac_sha256, stored_deflate>;
    /// `std::uint32_t operator()()`
    using random = default_random;
    /// constructible from rate_limit_options; `std::chrono::nanoseconds reserve(steady time_point)`
    using rate_limiter = token_bucket;
    /// constructible from retry_options; `unsigned max_attempts() const`,
    /// `std::chrono::nanoseconds backoff(unsigned, std::uint32_t) const`
    using retry = exponential_backoff;
    /// `unix_time now() const`
    using clock = system_clock_source;
};

namespace detail {
template <class T, class = void>
struct is_usersig_source : std::false_type {};
template <class T>
struct is_usersig_source<
    T, std::enable_if_t<
           std::is_same_v<decltype(T::create(std::declval<const credentials&>())), result<T>> &&
           std::is_same_v<decltype(std::declval<T&>().usersig(unix_time(), false)),
                          result<std::string>>>> : std::true_type {};

template <class T, class = void>
struct is_random_policy : std::false_type {};
template <class T>
struct is_random_policy<
    T, std::enable_if_t<std::is_same_v<decltype(std::declval<T&>()()), std::uint32_t>>>
    : std::true_type {};

template <class T, class = void>
struct is_rate_limiter : std::false_type {};
template <class T>
struct is_rate_limiter<
    T, std::enable_if_t<std::is_constructible_v<T, rate_limit_options> &&
                        std::is_same_v<decltype(std::declval<T&>().reserve(
                                           std::chrono::steady_clock::time_point())),
                                       std::chrono::nanoseconds>>> : std::true_type {};

/// A rate limiter with the optional `result<nanoseconds> reserve(const slot_request&)`.
template <class T, class = void>
struct has_slot_request_reserve : std::false_type {};
template <class T>
struct has_slot_request_reserve<
    T, std::enable_if_t<
           std::is_same_v<decltype(std::declval<T&>().reserve(std::declval<const slot_request&>())),
                          result<std::chrono::nanoseconds>>>> : std::true_type {};

template <class T, class = void>
struct is_retry_policy : std::false_type {};
template <class T>
struct is_retry_policy<
    T,
    std::enable_if_t<std::is_constructible_v<T, retry_options> &&
                     std::is_same_v<decltype(std::declval<const T&>().max_attempts()), unsigned> &&
                     std::is_same_v<decltype(std::declval<const T&>().backoff(1u, std::uint32_t())),
                                    std::chrono::nanoseconds>>> : std::true_type {};

template <class T, class = void>
struct is_clock_policy : std::false_type {};
template <class T>
struct is_clock_policy<
    T, std::enable_if_t<std::is_same_v<decltype(std::declval<const T&>().now()), unix_time>>>
    : std::true_type {};

/// The signed_query of the credentials a client used last, made again only when they change:
/// when its UserSig source hands out a new UserSig (about once a day with the built-in cache).
/// Saves prepare() from checking and encoding the UserSig on every call. Safe to share between
/// threads. It holds a credential, wiped when it is replaced or destroyed.
class signed_query_cache {
  public:
    signed_query_cache() = default;
    /// Takes over `o`'s query. Not concurrent with other use of `o`.
    TRTC_DECL signed_query_cache(signed_query_cache&& o) noexcept;
    signed_query_cache& operator=(signed_query_cache&&) = delete;
    TRTC_DECL ~signed_query_cache();

    /// The query for `ctx` (its sdkappid, identifier and UserSig; `random` is not used): a
    /// copy of the kept one when they are those it was made for, else signed_query::create(ctx),
    /// which is kept when it succeeds.
    TRTC_DECL result<signed_query> get(const request_context& ctx);

    /// How many queries were made so far (for tests and metrics).
    std::size_t queries_made() const noexcept { return made_.load(); }

  private:
    mutex mutex_;
    bool valid_ = false;
    std::uint32_t sdkappid_ = 0;
    std::string identifier_;
    std::string usersig_;
    signed_query query_;
    relaxed_atomic<std::size_t> made_{0};
};

/// HTTP statuses that say a gateway refused the request before the service saw it.
constexpr bool status_means_not_processed(int status) noexcept {
    return status == 408 || status == 429;
}

/// What the retry table of docs/client.md says about one failed attempt.
enum class attempt_verdict {
    /// Returned as it is: the service said no, or trying again would change nothing.
    give_up,
    /// Safe to send again, after a backoff: it provably did not take effect.
    retry,
    /// Not delivered to the primary domain (resolve or connect failed): try the backup domain.
    use_backup,
    /// The UserSig was refused: make a new one, then one more attempt.
    refresh_usersig,
    /// A non-idempotent request that may have taken effect: errc::outcome_unknown.
    outcome_unknown,
};

/// The retry table of docs/client.md, once: the verdict on an attempt that failed with `ec`
/// (`http_status`: the answer's HTTP status, 0 when the transport failed), for an endpoint
/// that is `idempotent` or not, on the backup domain or not (`backup_left`: a backup domain
/// exists and is not in use yet), with the UserSig `refreshed` already in this call or not.
TRTC_DECL attempt_verdict judge_attempt(std::error_code ec, int http_status, bool idempotent,
                                        bool backup_left, bool refreshed) noexcept;
} // namespace detail

/// What a call asks of its driver (engine_call::step()).
enum class call_step {
    /// Send engine_call::request() and pass what the transport returns to on_response(),
    /// with the time; give up on the attempt at engine_call::deadline() (the transport's
    /// deadline).
    send,
    /// Come back at engine_call::deadline() (a rate-limit wait or a backoff) and call
    /// on_wake() with the time.
    wait,
    /// Finished: engine_call::outcome() holds the result.
    done,
};

template <class Policies>
class call_engine;

/// One call in progress: a state machine driven by its driver through step(), on_response(),
/// on_wake() and cancel(). Made by call_engine::start_call(). It refers to its engine and to
/// the request it was started with: both must outlive it. Not thread-safe (one driver), but
/// calls of one engine may run on any threads at once.
template <class Policies, class Request>
class engine_call {
  public:
    using endpoint = typename Request::endpoint;
    using response_type = typename endpoint::response;
    using time_point = std::chrono::steady_clock::time_point;

    engine_call(engine_call&&) = default;
    engine_call& operator=(engine_call&&) = delete;
    ~engine_call() { detail::secure_wipe(last_sig_.data(), last_sig_.size()); }

    /// What to do next.
    call_step step() const noexcept { return step_; }
    /// The request to send. Precondition: step() is call_step::send.
    const http_request& request() const noexcept { return http_; }
    /// call_step::send: when the attempt must give up (its attempt_timeout, or the call's
    /// deadline when sooner); call_step::wait: when to call on_wake().
    time_point deadline() const noexcept { return step_ == call_step::send ? attempt_end_ : wake_; }
    /// The call's own deadline (call_options::timeout or client_config::call_timeout).
    time_point call_deadline() const noexcept { return deadline_; }
    /// The attempt in progress or last made (1 for the first; 0 before any).
    unsigned attempt() const noexcept { return attempt_; }
    /// The `random` query parameter every attempt of this call carries.
    std::uint32_t random() const noexcept { return random_; }
    /// Whether cancel() was called.
    bool cancel_requested() const noexcept { return cancelled_; }

    /// The result. Precondition: step() is call_step::done. Move from it to take it.
    result<response_type>& outcome() noexcept { return *outcome_; }

    /// Feeds the transport's answer to request() at `now`. Precondition: step() is
    /// call_step::send. Decides (see docs/client.md): success, a retry after a backoff
    /// (call_step::wait), the backup domain or a new UserSig (call_step::send again), or the
    /// final error (call_step::done).
    void on_response(result<http_response> resp, time_point now) {
        TRTC_ASSERT(step_ == call_step::send, "engine_call::on_response: no request was sent");
        const auto latency = std::chrono::duration_cast<std::chrono::microseconds>(now - sent_at_);
        int status = 0;
        error failure;
        if (resp) {
            status = resp->status;
            auto decoded = decode<endpoint, json_policy>(*resp, random_);
            if (decoded) {
                notify(latency, {}, decoded->request_id, attempt_outcome::success, {});
                finish(std::move(decoded));
                return;
            }
            failure = std::move(decoded).error();
        } else {
            failure = std::move(resp).error();
        }
        const std::error_code ec = failure.code;
        const std::string request_id = failure.request_id();
        const bool backup_left = engine_->config_.where.has_backup && !on_backup_;
        const detail::attempt_verdict verdict =
            detail::judge_attempt(ec, status, endpoint::idempotent, backup_left, refreshed_);
        if (cancelled_) {
            // The driver cancelled this attempt: nothing more is tried. Whether the request
            // may have taken effect decides between cancelled and outcome unknown.
            if (verdict == detail::attempt_verdict::outcome_unknown)
                failure = outcome_unknown(failure, " (the call was cancelled)");
            else if (ec.category() != service_category()) // the service's own answer says more
                failure = cancelled_error(ec == transport_errc::cancelled
                                              ? " before its request was sent"
                                              : " after its request was sent");
            notify(latency, failure.code, request_id, attempt_outcome::failed, {});
            fail(std::move(failure));
            return;
        }

        std::chrono::nanoseconds backoff{0};
        bool again = false;
        bool switch_to_backup = false;
        switch (verdict) {
        case detail::attempt_verdict::use_backup:
            switch_to_backup = true;
            again = true;
            break;
        case detail::attempt_verdict::refresh_usersig:
            if (engine_->sigs_.usersig(engine_->clock_.now(), true)) {
                refreshed_ = true;
                again = attempt_ < max_attempts_;
            }
            break;
        case detail::attempt_verdict::retry:
            if (attempt_ < max_attempts_) {
                backoff = engine_->retry_.backoff(++retries_, engine_->random_());
                again = now + backoff < deadline_;
            }
            break;
        case detail::attempt_verdict::outcome_unknown:
            failure = outcome_unknown(failure, "");
            break;
        case detail::attempt_verdict::give_up:
            break;
        }
        notify(latency, failure.code, request_id,
               again ? attempt_outcome::retrying : attempt_outcome::failed, backoff);
        if (!again) {
            fail(std::move(failure));
            return;
        }
        if (switch_to_backup) on_backup_ = true;
        if (backoff.count() > 0) {
            step_ = call_step::wait;
            state_ = state::backing_off;
            wake_ = now + std::chrono::duration_cast<time_point::duration>(backoff);
            return;
        }
        next_attempt(now);
    }

    /// The wait asked for by call_step::wait is over (`now` should be at or after deadline();
    /// an early wake waits again). Precondition: step() is call_step::wait.
    void on_wake(time_point now) {
        TRTC_ASSERT(step_ == call_step::wait, "engine_call::on_wake: the call is not waiting");
        if (now < wake_) return; // woken early: still waiting for the same time
        if (state_ == state::waiting_for_slot) {
            if (now >= deadline_)
                return fail(error(errc::deadline_exceeded,
                                  std::string(endpoint::command) +
                                      ": the call's deadline passed while it waited for the "
                                      "rate limiter"));
            send_attempt(now);
            return;
        }
        next_attempt(now);
    }

    /// Cancels the call at `now`. Waiting, or before anything was sent: done at once with
    /// errc::cancelled. While a request is out (call_step::send), the call stays in
    /// call_step::send: the driver cancels its transport operation and still passes what it
    /// returns to on_response(), which ends the call: with the response if it came back
    /// anyway, errc::cancelled if the request provably did not take effect, and
    /// errc::outcome_unknown if a non-idempotent request may have. Done: nothing happens.
    void cancel(time_point now) {
        (void)now;
        if (step_ == call_step::done) return;
        cancelled_ = true;
        if (step_ == call_step::wait)
            fail(cancelled_error(attempt_ == 0 ? " before its first attempt"
                                               : " while it waited to try again"));
    }

  private:
    template <class>
    friend class call_engine;
    using engine_type = call_engine<Policies>;
    using json_policy = typename Policies::json;
    enum class state { waiting_for_slot, backing_off, sending, done };

    engine_call(engine_type& engine, const Request& req, const call_options& opts, time_point now)
        : engine_(&engine), req_(&req),
          deadline_(now + (opts.timeout.count() > 0 ? opts.timeout : engine.config_.call_timeout)),
          random_(opts.random ? *opts.random : engine.random_()),
          max_attempts_(engine.retry_.max_attempts()) {
        next_attempt(now);
    }

    // The next attempt: past the call's deadline, the deadline error; else the rate limiter,
    // waiting for a slot unless the wait would pass the deadline.
    void next_attempt(time_point now) {
        if (attempt_ > 0 && now >= deadline_) {
            fail(error(errc::deadline_exceeded,
                       std::string(endpoint::command) +
                           ": the call's deadline passed before an answer"));
            return;
        }
        std::chrono::nanoseconds wait{0};
        if constexpr (detail::has_slot_request_reserve<
                          typename engine_type::rate_limiter_type>::value) {
            auto w = engine_->limiter_.reserve(
                slot_request{now, deadline_, endpoint::command, engine_->config_.creds.sdkappid});
            if (!w) return fail(std::move(w).error());
            wait = *w;
        } else {
            wait = engine_->limiter_.reserve(now);
        }
        if (wait.count() > 0) {
            const auto until = now + std::chrono::duration_cast<time_point::duration>(wait);
            if (until > deadline_) {
                fail(error(errc::rate_limited, "the client-side rate limit leaves no slot before "
                                               "the call's deadline"));
                return;
            }
            step_ = call_step::wait;
            state_ = state::waiting_for_slot;
            wake_ = until;
            return;
        }
        send_attempt(now);
    }

    // With a slot: the UserSig, the signed query, prepare; then call_step::send.
    void send_attempt(time_point now) {
        ++attempt_;
        auto sig = engine_->sigs_.usersig(engine_->clock_.now(), false);
        if (!sig) return fail(std::move(sig).error());
        detail::secure_wipe(last_sig_.data(), last_sig_.size());
        last_sig_ = std::move(*sig);
        const client_config& cfg = engine_->config_;
        const base_url& base = on_backup_ ? cfg.where.backup : cfg.where.primary;
        // The credential query is checked and encoded once per UserSig, not per call.
        auto query =
            engine_->queries_.get({cfg.creds.sdkappid, cfg.creds.identifier, last_sig_, random_});
        if (!query) return fail(std::move(query).error());
        auto http = prepare<json_policy>(*req_, base, *query, random_);
        if (!http) return fail(std::move(http).error()); // invalid: nothing was sent
        http_ = std::move(*http);
        sent_at_ = now;
        attempt_end_ =
            now + cfg.attempt_timeout < deadline_ ? now + cfg.attempt_timeout : deadline_;
        step_ = call_step::send;
        state_ = state::sending;
    }

    static error cancelled_error(const char* when) {
        std::string m(endpoint::command);
        m += ": cancelled";
        m += when;
        return error(errc::cancelled, std::move(m));
    }

    static error outcome_unknown(const error& cause, const char* why) {
        std::string m(endpoint::command);
        m += " may have reached the service, but no usable answer came back (";
        m += cause.message.empty() ? cause.code.message() : cause.message;
        m += ")";
        m += why;
        m += "; it was not resent. Check with get_battle_info by RoomId before trying again.";
        error e(errc::outcome_unknown, std::move(m));
        e.set_cause(cause.code);
        e.set_request_id(cause.request_id());
        return e;
    }

    // Whether `text` is long enough to hold a piece of the UserSig that detail::scrub removes
    // (a run of scrub_run characters, or the whole UserSig when it is shorter).
    bool may_hold_sig(std::string_view text) const noexcept {
        return !last_sig_.empty() &&
               text.size() >=
                   (last_sig_.size() < detail::scrub_run ? last_sig_.size() : detail::scrub_run);
    }

    void fail(error e) {
        e.random = random_;
        e.has_random = true;
        detail::scrub(e.message, last_sig_);
        if (may_hold_sig(e.request_id())) {
            std::string id = e.request_id();
            detail::scrub(id, last_sig_);
            if (id != e.request_id()) e.set_request_id(std::move(id));
        }
        finish(result<response_type>(std::move(e)));
    }
    void finish(result<response_type> r) {
        outcome_.emplace(std::move(r));
        step_ = call_step::done;
        state_ = state::done;
    }

    void notify(std::chrono::microseconds latency, std::error_code code,
                std::string_view request_id, attempt_outcome outcome,
                std::chrono::nanoseconds backoff) const {
        const client_config& cfg = engine_->config_;
        if (!cfg.on_event) return;
        const std::string url = http_.redacted_url();
        std::string scrubbed_id; // a server may have echoed the UserSig into its RequestId
        if (may_hold_sig(request_id)) {
            scrubbed_id.assign(request_id);
            detail::scrub(scrubbed_id, last_sig_);
            request_id = scrubbed_id;
        }
        call_event ev;
        ev.command = endpoint::command;
        ev.attempt = attempt_;
        ev.random = random_;
        ev.redacted_url = url;
        ev.backup_domain = on_backup_;
        ev.latency = latency;
        ev.code = code;
        ev.action = classify(code);
        ev.request_id = request_id;
        ev.outcome = outcome;
        ev.backoff = backoff;
        cfg.on_event(ev);
    }

    engine_type* engine_;
    const Request* req_;
    time_point deadline_;
    std::uint32_t random_;
    unsigned max_attempts_;
    unsigned attempt_ = 0;
    unsigned retries_ = 0;
    bool on_backup_ = false;
    bool refreshed_ = false;
    bool cancelled_ = false;
    call_step step_ = call_step::send;
    state state_ = state::sending;
    time_point wake_{};
    time_point sent_at_{};
    time_point attempt_end_{};
    std::string last_sig_; // to scrub from messages a server might have echoed it into
    http_request http_;
    std::optional<result<response_type>> outcome_;
};

/// The call engine of a client: its configuration and every policy but the transport (the
/// UserSig source, the signed-query cache, the rate limiter, the retry policy, random, the
/// clock). Each call is an engine_call made by start_call(). Safe to share between threads:
/// calls may be started and driven on any threads at once.
///
/// The engine reads no clock for its timing: the steady time is passed to every step, so a
/// driver may run it on an event loop's time or a test on a simulated one. Wall-clock time,
/// which only the UserSig needs, comes from the clock policy.
template <class Policies>
class call_engine {
  public:
    using policies = Policies;
    using json_policy = typename Policies::json;
    using usersig_source_type = typename Policies::usersig_source;
    using random_type = typename Policies::random;
    using rate_limiter_type = typename Policies::rate_limiter;
    using retry_type = typename Policies::retry;
    using clock_type = typename Policies::clock;

    static_assert(detail::check_json_policy<json_policy>());
    static_assert(detail::is_usersig_source<usersig_source_type>::value,
                  "trtc::call_engine: the usersig_source policy must provide `static "
                  "trtc::result<S> create(const trtc::credentials&)` and "
                  "`trtc::result<std::string> usersig(trtc::unix_time now, bool refresh)`");
    static_assert(detail::is_random_policy<random_type>::value,
                  "trtc::call_engine: the random policy must provide "
                  "`std::uint32_t operator()()`");
    static_assert(detail::is_rate_limiter<rate_limiter_type>::value,
                  "trtc::call_engine: the rate_limiter policy must be constructible from "
                  "trtc::rate_limit_options and provide `std::chrono::nanoseconds "
                  "reserve(std::chrono::steady_clock::time_point now)`");
    static_assert(detail::is_retry_policy<retry_type>::value,
                  "trtc::call_engine: the retry policy must be constructible from "
                  "trtc::retry_options and provide `unsigned max_attempts() const` and "
                  "`std::chrono::nanoseconds backoff(unsigned retry, std::uint32_t entropy) "
                  "const`");
    static_assert(detail::is_clock_policy<clock_type>::value,
                  "trtc::call_engine: the clock policy must provide "
                  "`trtc::unix_time now() const`");

    /// An engine, or an error naming what is wrong with the configuration. The secret key is
    /// wiped from `config` once the UserSig source has keyed its HMAC.
    static result<call_engine> create(client_config config) {
        auto sigs = usersig_source_type::create(config.creds);
        detail::secure_wipe(config.creds.secret_key.data(), config.creds.secret_key.size());
        config.creds.secret_key.clear();
        if (!sigs) return std::move(sigs).error();
        if (config.creds.identifier.empty())
            return error(errc::invalid_argument, "the admin identifier must not be empty");
        if (config.attempt_timeout.count() <= 0 || config.call_timeout.count() <= 0)
            return error(errc::invalid_argument, "timeouts must be positive");
        return call_engine(std::move(config), std::move(*sigs));
    }

    call_engine(call_engine&&) = default;

    /// Starts a call of `req` at `now`: the first step is call_step::send, call_step::wait
    /// (for the rate limiter) or call_step::done (an invalid request, no UserSig, no slot
    /// before the deadline). `req` and the engine must outlive the call.
    template <class Request>
    engine_call<Policies, Request> start_call(const Request& req, const call_options& opts,
                                              std::chrono::steady_clock::time_point now) {
        return engine_call<Policies, Request>(*this, req, opts, now);
    }

    /// The UserSig source.
    usersig_source_type& usersig_source() noexcept { return sigs_; }
    /// The clock policy object.
    clock_type& clock() noexcept { return clock_; }
    /// The rate limiter.
    rate_limiter_type& rate_limiter() noexcept { return limiter_; }
    /// The credential queries made so far: one per UserSig (for tests and metrics).
    std::size_t signed_queries_made() const noexcept { return queries_.queries_made(); }
    /// The configuration (its secret key already wiped).
    const client_config& config() const noexcept { return config_; }

  private:
    template <class, class>
    friend class engine_call;

    call_engine(client_config c, usersig_source_type s)
        : config_(std::move(c)), sigs_(std::move(s)), limiter_(config_.rate_limit),
          retry_(config_.retry) {}

    client_config config_;
    usersig_source_type sigs_;
    detail::signed_query_cache queries_;
    random_type random_;
    rate_limiter_type limiter_;
    retry_type retry_;
    clock_type clock_;
};

#if TRTC_DEFINITIONS

namespace detail {

TRTC_DECL attempt_verdict judge_attempt(std::error_code ec, int http_status, bool idempotent,
                                        bool backup_left, bool refreshed) noexcept {
    if (http_status == 0) {
        // The transport failed: was the request delivered?
        if (ec.category() == transport_category()) {
            const auto t = static_cast<transport_errc>(ec.value());
            if (t == transport_errc::cancelled || t == transport_errc::cancelled_after_send)
                return idempotent || t == transport_errc::cancelled
                           ? attempt_verdict::give_up
                           : attempt_verdict::outcome_unknown;
            if (backup_left &&
                (t == transport_errc::dns_failure || t == transport_errc::connect_refused ||
                 t == transport_errc::connect_timeout))
                return attempt_verdict::use_backup;
        }
        if (may_have_taken_effect(ec)) {
            if (!idempotent) return attempt_verdict::outcome_unknown;
            // A read: anything but an over-large answer may be transient.
            return ec == transport_errc::response_too_large ? attempt_verdict::give_up
                                                            : attempt_verdict::retry;
        }
        return classify(ec) == error_action::retry_with_backoff ? attempt_verdict::retry
                                                                : attempt_verdict::give_up;
    }
    if (ec.category() == decode_category()) {
        // The service (or a gateway) answered, but not with a usable envelope.
        if (ec == decode_errc::http_status && status_means_not_processed(http_status))
            return attempt_verdict::retry;
        if (!idempotent) return attempt_verdict::outcome_unknown;
        // A read may be retried after any answer it cannot decode (a gateway's page, a cut or
        // garbled body, a field missing or out of bounds): the next answer may be whole. Only
        // an over-large body would come back the same.
        return ec == decode_errc::body_too_large ? attempt_verdict::give_up
                                                 : attempt_verdict::retry;
    }
    // The service's own ErrorCode: it says what happened.
    const error_action action = classify(ec);
    if (action == error_action::refresh_signature && !refreshed)
        return attempt_verdict::refresh_usersig;
    return action == error_action::retry_with_backoff ? attempt_verdict::retry
                                                      : attempt_verdict::give_up;
}

TRTC_DECL signed_query_cache::signed_query_cache(signed_query_cache&& o) noexcept
    : valid_(o.valid_), sdkappid_(o.sdkappid_), identifier_(std::move(o.identifier_)),
      usersig_(std::move(o.usersig_)), query_(std::move(o.query_)), made_(o.made_.load()) {
    o.valid_ = false;
}

TRTC_DECL signed_query_cache::~signed_query_cache() {
    secure_wipe(usersig_.data(), usersig_.size());
    secure_wipe(query_.text_.data(), query_.text_.size());
}

TRTC_DECL result<signed_query> signed_query_cache::get(const request_context& ctx) {
    lock_guard lock(mutex_);
    if (valid_ && ctx.usersig == usersig_ && ctx.sdkappid == sdkappid_ &&
        ctx.identifier == identifier_)
        return query_;
    auto made = signed_query::create(ctx);
    if (!made) return made;
    secure_wipe(usersig_.data(), usersig_.size());
    secure_wipe(query_.text_.data(), query_.text_.size());
    usersig_.assign(ctx.usersig.data(), ctx.usersig.size());
    identifier_.assign(ctx.identifier.data(), ctx.identifier.size());
    sdkappid_ = ctx.sdkappid;
    query_ = *made;
    valid_ = true;
    made_.fetch_add(1);
    return made;
}

} // namespace detail

#endif // TRTC_DEFINITIONS

TRTC_END_NAMESPACE

#endif // TRTC_CALL_ENGINE_HPP
/// @file
/// @brief basic_client: the call engine (trtc/call_engine.hpp) driven by blocking on a
/// transport: rate-limit waits and backoff sleep in the calling thread. It names no transport:
/// trtc::client (trtc/default_client.hpp) is the one with the built-in HTTP/1.1 transport,
/// trtc::https_client (trtc/adapters/curl.hpp) the one with libcurl.
#ifndef TRTC_CLIENT_HPP
#define TRTC_CLIENT_HPP

#include <chrono>
#include <type_traits>
#include <utility>

#if TRTC_DEFINITIONS
#    if defined(_WIN32)
#        include <thread>
#    else
#        include <cerrno>

#        include <time.h>
#    endif
#endif

TRTC_BEGIN_NAMESPACE

namespace detail {
/// Sleeps for `d` (POSIX: nanosleep, resumed after signals, without pulling in <thread>).
TRTC_DECL void sleep_for(std::chrono::nanoseconds d) noexcept;

/// Stands for the transport of a policy set that names none.
struct no_transport_named {};
template <class P, class = void>
struct policy_transport {
    using type = no_transport_named;
};
template <class P>
struct policy_transport<P, std::void_t<typename P::transport>> {
    using type = typename P::transport;
};

template <class T, class = void>
struct has_accepts : std::false_type {};
template <class T>
struct has_accepts<T, std::enable_if_t<std::is_same_v<
                          decltype(T::accepts(std::declval<const base_url&>())), result<void>>>>
    : std::true_type {};

template <class T, class = void>
struct is_transport_policy : std::false_type {};
template <class T>
struct is_transport_policy<
    T, std::enable_if_t<std::is_same_v<decltype(std::declval<T&>().send(
                                           std::declval<const http_request&>(),
                                           std::declval<std::chrono::steady_clock::time_point>())),
                                       result<http_response>>>> : std::true_type {};
} // namespace detail

/// A client of the battle APIs. Safe to share between threads: every member function may be
/// called concurrently.
///
/// Each call runs the call engine (see trtc/call_engine.hpp and docs/client.md): waits for the
/// rate limiter; takes a UserSig from the cache (made once, renewed ahead of expiry);
/// validates and prepares the request; sends it through the transport with a deadline;
/// decodes the answer. It retries, with exponential backoff and jitter, only what is safe:
/// failures where the request provably never reached the service, and service codes the
/// catalogue marks retryable. On 70001 it makes a new UserSig and retries once. When the
/// primary domain cannot be resolved or connected to, it tries the backup domain. A
/// non-idempotent request (create_battle, set_battle_score) that may have reached the service
/// without an answer is never resent: the call fails with errc::outcome_unknown, carrying the
/// `random` it was sent with (see docs/errors.md on reconciling). The waits sleep in the
/// calling thread: on an event loop, use the Asio client or drive the engine yourself.
template <class Policies>
class basic_client {
  public:
    using policies = Policies;
    using engine_type = call_engine<Policies>;
    using transport_type = typename detail::policy_transport<Policies>::type;
    using json_policy = typename engine_type::json_policy;
    using usersig_source_type = typename engine_type::usersig_source_type;
    using clock_type = typename engine_type::clock_type;

    static_assert(!std::is_same_v<transport_type, detail::no_transport_named>,
                  "trtc::basic_client: the policies name no transport: add `using transport = "
                  "...;` (trtc::http1_transport, trtc::curl_transport or your own), or use "
                  "trtc::client (trtc/default_client.hpp) or trtc::https_client "
                  "(trtc/adapters/curl.hpp)");
    static_assert(std::is_same_v<transport_type, detail::no_transport_named> ||
                      detail::is_transport_policy<transport_type>::value,
                  "trtc::basic_client: the transport policy must provide "
                  "`trtc::result<trtc::http_response> send(const trtc::http_request&, "
                  "std::chrono::steady_clock::time_point deadline)`");

    /// A client, or an error naming what is wrong with the configuration. The secret key is
    /// wiped from `config` once the UserSig source has keyed its HMAC.
    static result<basic_client> create(client_config config,
                                       transport_type transport = transport_type()) {
        if constexpr (detail::has_accepts<transport_type>::value) {
            auto ok = transport_type::accepts(config.where.primary);
            if (ok && config.where.has_backup) ok = transport_type::accepts(config.where.backup);
            if (!ok) {
                detail::secure_wipe(config.creds.secret_key.data(), config.creds.secret_key.size());
                return std::move(ok).error();
            }
        }
        auto engine = engine_type::create(std::move(config));
        if (!engine) return std::move(engine).error();
        return basic_client(std::move(*engine), std::move(transport));
    }

    basic_client(basic_client&&) = default;

    /// Sends a request of any endpoint and returns its decoded response, blocking until the
    /// call is done (its waits sleep in this thread).
    template <class Request>
    result<typename Request::endpoint::response> call(const Request& req,
                                                      const call_options& opts = {}) {
        using clock = std::chrono::steady_clock;
        auto c = engine_.start_call(req, opts, clock::now());
        for (;;) {
            switch (c.step()) {
            case call_step::send:
                c.on_response(transport_.send(c.request(), c.deadline()), clock::now());
                break;
            case call_step::wait:
                detail::sleep_for(c.deadline() - clock::now());
                c.on_wake(clock::now());
                break;
            case call_step::done:
                return std::move(c.outcome());
            }
        }
    }

    /// create_battle (see trtc::create_battle).
    result<::trtc::create_battle::response> create_battle(const ::trtc::create_battle::request& r,
                                                          const call_options& o = {}) {
        return call(r, o);
    }
    /// get_battle_info (see trtc::get_battle_info).
    result<::trtc::get_battle_info::response>
    get_battle_info(const ::trtc::get_battle_info::request& r, const call_options& o = {}) {
        return call(r, o);
    }
    /// set_battle_score (see trtc::set_battle_score).
    result<::trtc::set_battle_score::response>
    set_battle_score(const ::trtc::set_battle_score::request& r, const call_options& o = {}) {
        return call(r, o);
    }

    /// The transport (e.g. to read its statistics).
    transport_type& transport() noexcept { return transport_; }
    /// The call engine (its policies and configuration).
    engine_type& engine() noexcept { return engine_; }
    /// The UserSig source.
    usersig_source_type& usersig_source() noexcept { return engine_.usersig_source(); }
    /// The clock policy object.
    clock_type& clock() noexcept { return engine_.clock(); }
    /// The credential queries made so far: one per UserSig (for tests and metrics).
    std::size_t signed_queries_made() const noexcept { return engine_.signed_queries_made(); }
    /// The configuration (its secret key already wiped).
    const client_config& config() const noexcept { return engine_.config(); }

  private:
    basic_client(engine_type e, transport_type t)
        : engine_(std::move(e)), transport_(std::move(t)) {}

    engine_type engine_;
    transport_type transport_;
};

#if TRTC_DEFINITIONS

namespace detail {

TRTC_DECL void sleep_for(std::chrono::nanoseconds d) noexcept {
    if (d.count() <= 0) return;
#    if defined(_WIN32)
    std::this_thread::sleep_for(d);
#    else
    timespec ts;
    ts.tv_sec = detail::narrow<time_t>(d.count() / 1000000000);
    ts.tv_nsec = detail::narrow<long>(d.count() % 1000000000);
    while (::nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
#    endif
}

} // namespace detail

#endif // TRTC_DEFINITIONS

TRTC_END_NAMESPACE

#endif // TRTC_CLIENT_HPP
/// @file
/// @brief trtc::redact_secrets: removes from a text every piece of a secret (a UserSig, the key, a
/// webhook token) long enough to be one, for a caller about to show or log text a server sent.
#ifndef TRTC_REDACT_HPP
#define TRTC_REDACT_HPP

#include <initializer_list>
#include <string>
#include <string_view>

TRTC_BEGIN_NAMESPACE

/// Replaces in `text` every run of 24 or more consecutive characters that also occur,
/// consecutively, in one of `secrets` with REDACTED (a secret shorter than 24 characters where
/// it occurs whole; one shorter than 8 is ignored). The library does this to its own errors and
/// events; this is for the texts of a decoded response (see trtc::for_each_text), which it
/// hands over as the server sent them. Linear in the lengths.
inline void redact_secrets(std::string& text, std::initializer_list<std::string_view> secrets) {
    detail::scrub(text, secrets.begin(), secrets.size());
}

TRTC_END_NAMESPACE

#endif // TRTC_REDACT_HPP

// The HTTP/1.1 message parser: portable, and shared by every transport and server that speaks
// HTTP/1.1 itself (the built-in transport, the emulator's server).
/// @file
/// @brief Sans-I/O incremental HTTP/1.1 parsers (RFC 9112): responses for the built-in
/// transport, requests for the loopback test server. Feed bytes as they arrive; no sockets.
#ifndef TRTC_DETAIL_HTTP1_PARSER_HPP
#define TRTC_DETAIL_HTTP1_PARSER_HPP

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#if TRTC_DEFINITIONS
#    include <cstring>
#endif

TRTC_BEGIN_NAMESPACE
namespace detail {

/// Where a parser stands after the bytes fed so far.
enum class http1_status {
    /// The message is not complete yet: feed more bytes (or call finish() on EOF).
    need_more,
    /// One whole message was parsed.
    complete,
    /// The bytes are not an acceptable HTTP/1.x message; error() says why. Final.
    error,
};

/// Why a parser stopped with http1_status::error.
enum class http1_error {
    none = 0,
    /// The status line or request line is malformed.
    bad_start_line,
    /// Not HTTP/1.x (e.g. an HTTP/2 or HTTP/0.9 answer).
    unsupported_version,
    /// A status code outside 100-599, or 101 (no upgrade was asked for).
    bad_status,
    /// A field line is malformed (bad name, whitespace before the colon, control character).
    bad_header,
    /// A field line starts with whitespace (obsolete line folding, RFC 9112 §5.2).
    obs_fold,
    /// A CR not followed by LF.
    bare_cr,
    /// A NUL byte in the start line or a field line.
    nul_byte,
    /// The header (or trailer) section exceeds http1_limits::max_header_bytes.
    header_too_large,
    /// More fields than http1_limits::max_headers.
    too_many_headers,
    /// An HTTP/1.1 request without exactly one Host field.
    missing_host,
    /// A Transfer-Encoding other than exactly `chunked`, or one in an HTTP/1.0 message.
    bad_transfer_encoding,
    /// Both Transfer-Encoding and Content-Length (a request-smuggling vector).
    te_and_content_length,
    /// Content-Length with non-digits, differing values or an overflowing value.
    bad_content_length,
    /// Malformed chunked framing (chunk size, extension, or the CRLF after the data).
    bad_chunk,
    /// The body exceeds http1_limits::max_body.
    body_too_large,
    /// The peer closed the connection before the message was complete (see finish()).
    truncated,
    /// Too many interim (1xx) responses before the final one.
    too_many_interim,
};

/// A short English description of `e`.
constexpr std::string_view to_string(http1_error e) noexcept {
    switch (e) {
    case http1_error::none:
        return "no error";
    case http1_error::bad_start_line:
        return "malformed start line";
    case http1_error::unsupported_version:
        return "not an HTTP/1.x message";
    case http1_error::bad_status:
        return "unacceptable status code";
    case http1_error::bad_header:
        return "malformed header field";
    case http1_error::obs_fold:
        return "obsolete line folding in a header field";
    case http1_error::bare_cr:
        return "CR not followed by LF";
    case http1_error::nul_byte:
        return "NUL byte in the header section";
    case http1_error::header_too_large:
        return "header section too large";
    case http1_error::too_many_headers:
        return "too many header fields";
    case http1_error::missing_host:
        return "missing or repeated Host header field";
    case http1_error::bad_transfer_encoding:
        return "unsupported Transfer-Encoding (only chunked is accepted)";
    case http1_error::te_and_content_length:
        return "both Transfer-Encoding and Content-Length";
    case http1_error::bad_content_length:
        return "invalid Content-Length";
    case http1_error::bad_chunk:
        return "malformed chunked encoding";
    case http1_error::body_too_large:
        return "body larger than the limit";
    case http1_error::truncated:
        return "connection closed before the message was complete";
    case http1_error::too_many_interim:
        return "too many interim (1xx) responses";
    }
    return "unknown HTTP/1 parse error";
}

/// Size limits of a parser.
struct http1_limits {
    /// The most bytes of the start line plus header fields (and, separately, of trailers).
    std::size_t max_header_bytes = 64 * 1024;
    /// The most header fields (and, separately, trailer fields).
    std::size_t max_headers = 100;
    /// The most body bytes (after de-chunking).
    std::size_t max_body = 1 << 20;
};

/// Header fields in arrival order: name as received, value without surrounding whitespace.
using http1_fields = std::vector<std::pair<std::string, std::string>>;

/// ASCII lower-case of `c`.
constexpr char ascii_lower(char c) noexcept {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

/// ASCII case-insensitive equality.
constexpr bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
    return true;
}

/// RFC 9110 tchar: the characters of a token (field names, methods, codings).
constexpr bool is_tchar(unsigned char c) noexcept {
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
    switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
        return true;
    default:
        return false;
    }
}

/// True for SP and HTAB.
constexpr bool is_ows(char c) noexcept {
    return c == ' ' || c == '\t';
}

/// True when `s` is a non-empty token (every byte a tchar).
constexpr bool is_token(std::string_view s) noexcept {
    for (char c : s)
        if (!is_tchar(static_cast<unsigned char>(c))) return false;
    return !s.empty();
}

/// True when `s` holds a control character other than HTAB (0x00-0x1F, 0x7F): not allowed in
/// field values, reason phrases or chunk extensions. Bytes 0x80-0xFF (obs-text) are allowed.
constexpr bool has_ctl(std::string_view s) noexcept {
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if ((c < 0x20 && c != '\t') || c == 0x7F) return true;
    }
    return false;
}

/// True when every byte of `s` is visible US-ASCII (0x21-0x7E), as in a request target.
constexpr bool is_visible_ascii(std::string_view s) noexcept {
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (c <= 0x20 || c >= 0x7F) return false;
    }
    return true;
}

/// `s` without leading and trailing SP / HTAB.
constexpr std::string_view trim_ows(std::string_view s) noexcept {
    while (!s.empty() && is_ows(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_ows(s.back())) s.remove_suffix(1);
    return s;
}

/// The first value of field `name` (case-insensitive), or nullptr.
TRTC_DECL const std::string* find_field(const http1_fields& fields, std::string_view name) noexcept;

/// Calls `fn(element)` for every non-empty element of the comma-separated lists in all fields
/// named `name` (RFC 9110 §5.6.1), trimmed of whitespace. Stops early when `fn` returns false.
template <class Fn>
bool for_each_list_element(const http1_fields& fields, std::string_view name, Fn&& fn) {
    for (const auto& f : fields) {
        if (!iequals(f.first, name)) continue;
        std::string_view v = f.second;
        while (true) {
            std::size_t comma = v.find(',');
            std::string_view e = trim_ows(v.substr(0, comma));
            if (!e.empty() && !fn(e)) return false;
            if (comma == std::string_view::npos) break;
            v.remove_prefix(comma + 1);
        }
    }
    return true;
}

/// The machinery shared by http1_response_parser and http1_request_parser. Not used directly.
class http1_parser_base {
  public:
    /// Feeds the next bytes. Consumes bytes up to the end of the message (or of `data`) and
    /// stores in `consumed` how many it took: bytes after a complete message (a pipelined
    /// request, or unexpected bytes after a response) are left to the caller. After complete or
    /// error, further calls consume nothing and return the same status.
    http1_status feed(std::string_view data, std::size_t& consumed);

    /// Feeds the next bytes, ignoring any that follow a complete message.
    http1_status feed(std::string_view data) {
        std::size_t consumed = 0;
        return feed(data, consumed);
    }

    /// Tells the parser the peer closed the connection: completes a body delimited by the close
    /// (a response without Content-Length or chunked framing); anything else still in progress
    /// becomes http1_error::truncated.
    http1_status finish() noexcept;

    /// The current status.
    http1_status status() const noexcept {
        if (state_ == state::complete) return http1_status::complete;
        if (state_ == state::error) return http1_status::error;
        return http1_status::need_more;
    }
    /// Why parsing failed (http1_error::none unless status() is error).
    http1_error error() const noexcept { return error_; }
    /// A description of error().
    std::string_view error_message() const noexcept { return to_string(error_); }

    /// True once the whole header section of the (final) message was parsed.
    bool headers_complete() const noexcept { return headers_complete_; }
    /// The header fields of the message (of the final response, not of interim ones).
    const http1_fields& headers() const noexcept { return headers_; }
    /// The trailer fields of a chunked body.
    const http1_fields& trailers() const noexcept { return trailers_; }
    /// The first value of header `name` (case-insensitive); empty when absent.
    std::string_view header(std::string_view name) const noexcept {
        const std::string* v = find_field(headers_, name);
        return v ? std::string_view(*v) : std::string_view();
    }
    /// Whether header `name` (case-insensitive) is present.
    bool has_header(std::string_view name) const noexcept {
        return find_field(headers_, name) != nullptr;
    }
    /// The body so far (de-chunked).
    const std::string& body() const noexcept { return body_; }
    /// Moves the body out.
    std::string take_body() noexcept { return std::move(body_); }
    /// The minor version: 1 for HTTP/1.1, 0 for HTTP/1.0.
    int version_minor() const noexcept { return minor_; }
    /// Whether the body uses chunked transfer coding.
    bool chunked() const noexcept { return chunked_; }
    /// Whether the connection may carry another message afterwards: false on
    /// `Connection: close`, on HTTP/1.0 without `Connection: keep-alive`, and for a body
    /// delimited by the close of the connection.
    bool keep_alive() const noexcept { return keep_alive_; }
    /// Bytes consumed since construction or reset(), interim responses included.
    std::size_t bytes_consumed() const noexcept { return consumed_total_; }

    /// Forgets the message, ready for the next one on the same connection (limits are kept).
    void reset() noexcept;

  protected:
    enum class kind { request, response };

    http1_parser_base(kind k, http1_limits limits) : kind_(k), limits_(limits) {}

    // Response parts.
    int status_code_ = 0;
    std::string reason_;
    // Request parts.
    std::string method_;
    std::string target_;
    bool expects_continue_ = false;

  private:
    enum class state {
        start_line,
        fields,
        body_length,
        chunk_size,
        chunk_data,
        chunk_data_end,
        trailers,
        body_until_close,
        complete,
        error,
    };

    static constexpr std::size_t max_chunk_line = 4096;
    static constexpr int max_interim = 16;

    void fail(http1_error e) noexcept {
        state_ = state::error;
        error_ = e;
    }

    bool in_head() const noexcept {
        return state_ == state::start_line || state_ == state::fields || state_ == state::trailers;
    }

    // Takes one LF-terminated line from data[pos...] (joined with the bytes kept from earlier
    // calls), without its CR LF. Returns false when the line is not complete yet (all bytes are
    // kept) or when a limit was crossed (the parser failed).
    bool take_line(std::string_view data, std::size_t& pos, std::string_view& line);

    void on_line(std::string_view line);

    // "HTTP/1.D"; false (and failed) otherwise.
    bool parse_version(std::string_view v);

    bool parse_status_line(std::string_view line);
    bool parse_request_line(std::string_view line);
    void parse_field(std::string_view line, http1_fields& out);
    void end_of_headers();
    void parse_chunk_size(std::string_view line);

    kind kind_;
    http1_limits limits_;
    state state_ = state::start_line;
    http1_error error_ = http1_error::none;
    std::string line_;
    std::size_t head_bytes_ = 0;
    std::size_t field_count_ = 0;
    http1_fields headers_;
    http1_fields trailers_;
    std::string body_;
    std::uint64_t remaining_ = 0;
    std::size_t consumed_total_ = 0;
    int minor_ = 1;
    int interim_count_ = 0;
    bool headers_complete_ = false;
    bool chunked_ = false;
    bool keep_alive_ = true;
};

/// An incremental HTTP/1.x response parser. Interim 1xx responses (100 Continue, 102, 103) are
/// skipped; 204 and 304 have no body; a body is framed by chunked coding, by Content-Length, or
/// by the close of the connection (then call finish() on EOF). Strict: obs-fold, bare CR, NUL,
/// Transfer-Encoding other than exactly `chunked`, both Transfer-Encoding and Content-Length,
/// and conflicting Content-Length values are errors.
class http1_response_parser : public http1_parser_base {
  public:
    /// A parser with the given limits.
    explicit http1_response_parser(http1_limits limits = {})
        : http1_parser_base(kind::response, limits) {}
    /// The status code of the final response (0 before its status line).
    int status_code() const noexcept { return status_code_; }
    /// The reason phrase of the final response.
    const std::string& reason() const noexcept { return reason_; }
};

/// An incremental HTTP/1.x request parser (for servers): request line, header fields (an
/// HTTP/1.1 request must carry exactly one Host), and a body framed by Content-Length or
/// chunked coding (none when neither is present). Bytes after a complete request (pipelining)
/// are left unconsumed by feed().
class http1_request_parser : public http1_parser_base {
  public:
    /// A parser with the given limits.
    explicit http1_request_parser(http1_limits limits = {})
        : http1_parser_base(kind::request, limits) {}
    /// The method ("POST").
    const std::string& method() const noexcept { return method_; }
    /// The request target as sent (path and query).
    const std::string& target() const noexcept { return target_; }
    /// Whether the client sent `Expect: 100-continue` (answer `100 Continue` once
    /// headers_complete() if you want the body).
    bool expects_continue() const noexcept { return expects_continue_; }
};

#if TRTC_DEFINITIONS

TRTC_DECL const std::string* find_field(const http1_fields& fields,
                                        std::string_view name) noexcept {
    for (const auto& f : fields)
        if (iequals(f.first, name)) return &f.second;
    return nullptr;
}

TRTC_DECL http1_status http1_parser_base::feed(std::string_view data, std::size_t& consumed) {
    std::size_t pos = 0;
    while (pos < data.size() && state_ != state::complete && state_ != state::error) {
        switch (state_) {
        case state::start_line:
        case state::fields:
        case state::chunk_size:
        case state::chunk_data_end:
        case state::trailers: {
            std::string_view line;
            if (!take_line(data, pos, line)) break;
            on_line(line);
            line_.clear();
            break;
        }
        case state::body_length:
        case state::chunk_data: {
            std::size_t n = data.size() - pos;
            if (n > remaining_) n = narrow<std::size_t>(remaining_);
            body_.append(data.data() + pos, n);
            pos += n;
            remaining_ -= n;
            if (remaining_ == 0)
                state_ = state_ == state::body_length ? state::complete : state::chunk_data_end;
            break;
        }
        case state::body_until_close: {
            std::size_t n = data.size() - pos;
            if (n > limits_.max_body - body_.size()) {
                fail(http1_error::body_too_large);
                break;
            }
            body_.append(data.data() + pos, n);
            pos += n;
            break;
        }
        case state::complete:
        case state::error:
            break;
        }
    }
    consumed = pos;
    consumed_total_ += pos;
    return status();
}

TRTC_DECL http1_status http1_parser_base::finish() noexcept {
    if (state_ == state::body_until_close)
        state_ = state::complete;
    else if (state_ != state::complete && state_ != state::error)
        fail(http1_error::truncated);
    return status();
}

TRTC_DECL void http1_parser_base::reset() noexcept {
    state_ = state::start_line;
    error_ = http1_error::none;
    line_.clear();
    head_bytes_ = 0;
    field_count_ = 0;
    headers_.clear();
    trailers_.clear();
    body_.clear();
    remaining_ = 0;
    consumed_total_ = 0;
    minor_ = 1;
    interim_count_ = 0;
    headers_complete_ = false;
    chunked_ = false;
    keep_alive_ = true;
    status_code_ = 0;
    reason_.clear();
    method_.clear();
    target_.clear();
    expects_continue_ = false;
}

TRTC_DECL bool http1_parser_base::take_line(std::string_view data, std::size_t& pos,
                                            std::string_view& line) {
    std::size_t limit = 2; // chunk_data_end: the CRLF after chunk data
    if (in_head())
        limit = head_bytes_ < limits_.max_header_bytes ? limits_.max_header_bytes - head_bytes_ : 0;
    else if (state_ == state::chunk_size)
        limit = max_chunk_line;
    const char* start = data.data() + pos;
    std::size_t avail = data.size() - pos;
    const void* nl = std::memchr(start, '\n', avail);
    std::size_t len = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - start) : avail;
    if (line_.size() + len + (nl ? 1 : 0) > limit) {
        fail(in_head() ? http1_error::header_too_large : http1_error::bad_chunk);
        return false;
    }
    if (!nl) {
        line_.append(start, len);
        pos += len;
        return false;
    }
    if (line_.empty()) {
        line = std::string_view(start, len);
    } else {
        line_.append(start, len);
        line = line_;
    }
    pos += len + 1;
    if (in_head()) head_bytes_ += line.size() + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find('\0') != std::string_view::npos) {
        fail(in_head() ? http1_error::nul_byte : http1_error::bad_chunk);
        return false;
    }
    if (line.find('\r') != std::string_view::npos) {
        fail(http1_error::bare_cr);
        return false;
    }
    return true;
}

TRTC_DECL void http1_parser_base::on_line(std::string_view line) {
    switch (state_) {
    case state::start_line:
        if (line.empty()) return; // RFC 9112 §2.2: ignore empty lines before a start line
        if (kind_ == kind::response ? parse_status_line(line) : parse_request_line(line))
            state_ = state::fields;
        return;
    case state::fields:
        if (line.empty()) return end_of_headers();
        parse_field(line, headers_);
        return;
    case state::trailers:
        if (line.empty()) {
            state_ = state::complete;
            return;
        }
        parse_field(line, trailers_);
        return;
    case state::chunk_size:
        return parse_chunk_size(line);
    case state::chunk_data_end:
        if (!line.empty()) return fail(http1_error::bad_chunk);
        state_ = state::chunk_size;
        return;
    case state::body_length: // no lines in these states
    case state::chunk_data:
    case state::body_until_close:
    case state::complete:
    case state::error:
        return;
    }
}

TRTC_DECL bool http1_parser_base::parse_version(std::string_view v) {
    if (v.size() == 8 && v.substr(0, 7) == "HTTP/1." && v[7] >= '0' && v[7] <= '9') {
        minor_ = v[7] - '0';
        return true;
    }
    if (v.size() > 5 && v.substr(0, 5) == "HTTP/" && v[5] >= '0' && v[5] <= '9' && v[5] != '1')
        fail(http1_error::unsupported_version); // HTTP/2, HTTP/2.0, HTTP/0.9, ...
    else
        fail(http1_error::bad_start_line);
    return false;
}

TRTC_DECL bool http1_parser_base::parse_status_line(std::string_view line) {
    // status-line = HTTP-version SP status-code SP [ reason-phrase ]
    std::size_t sp = line.find(' ');
    if (!parse_version(line.substr(0, sp))) return false;
    if (sp == std::string_view::npos) {
        fail(http1_error::bad_start_line);
        return false;
    }
    std::string_view rest = line.substr(sp + 1);
    if (rest.size() < 3 || (rest.size() > 3 && rest[3] != ' ')) {
        fail(http1_error::bad_start_line);
        return false;
    }
    int code = 0;
    for (std::size_t i = 0; i < 3; ++i) {
        if (rest[i] < '0' || rest[i] > '9') {
            fail(http1_error::bad_start_line);
            return false;
        }
        code = code * 10 + (rest[i] - '0');
    }
    if (code < 100 || code > 599 || code == 101) {
        fail(http1_error::bad_status);
        return false;
    }
    std::string_view reason = rest.size() > 3 ? rest.substr(4) : std::string_view();
    if (has_ctl(reason)) {
        fail(http1_error::bad_start_line);
        return false;
    }
    status_code_ = code;
    reason_.assign(reason.data(), reason.size());
    return true;
}

TRTC_DECL bool http1_parser_base::parse_request_line(std::string_view line) {
    // request-line = method SP request-target SP HTTP-version
    std::size_t sp1 = line.find(' ');
    std::size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
    if (sp2 == std::string_view::npos || sp1 == 0) {
        fail(http1_error::bad_start_line);
        return false;
    }
    std::string_view method = line.substr(0, sp1);
    std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
    std::string_view version = line.substr(sp2 + 1);
    if (!is_token(method) || target.empty() || !is_visible_ascii(target)) {
        fail(http1_error::bad_start_line);
        return false;
    }
    if (!parse_version(version)) return false;
    method_.assign(method.data(), method.size());
    target_.assign(target.data(), target.size());
    return true;
}

TRTC_DECL void http1_parser_base::parse_field(std::string_view line, http1_fields& out) {
    if (is_ows(line.front())) return fail(http1_error::obs_fold);
    std::size_t colon = line.find(':');
    if (colon == 0 || colon == std::string_view::npos) return fail(http1_error::bad_header);
    std::string_view name = line.substr(0, colon);
    if (!is_token(name)) return fail(http1_error::bad_header);
    std::string_view value = trim_ows(line.substr(colon + 1));
    if (has_ctl(value)) return fail(http1_error::bad_header);
    if (++field_count_ > limits_.max_headers) return fail(http1_error::too_many_headers);
    out.emplace_back(std::string(name), std::string(value));
}

TRTC_DECL void http1_parser_base::end_of_headers() {
    if (kind_ == kind::response && status_code_ < 200) {
        // An interim response (100 Continue, 102, 103): skip it, the final one follows.
        if (++interim_count_ > max_interim) return fail(http1_error::too_many_interim);
        headers_.clear();
        head_bytes_ = 0;
        field_count_ = 0;
        state_ = state::start_line;
        return;
    }
    headers_complete_ = true;
    field_count_ = 0;
    head_bytes_ = 0; // the trailer section gets its own budget

    bool close = false, keep_alive_token = false;
    (void)for_each_list_element(headers_, "Connection", [&](std::string_view t) {
        if (iequals(t, "close")) close = true;
        if (iequals(t, "keep-alive")) keep_alive_token = true;
        return true;
    });
    keep_alive_ = minor_ == 0 ? (keep_alive_token && !close) : !close;

    if (kind_ == kind::request) {
        std::size_t hosts = 0;
        for (const auto& f : headers_)
            if (iequals(f.first, "Host")) ++hosts;
        if (hosts > 1 || (minor_ >= 1 && hosts == 0)) return fail(http1_error::missing_host);
        (void)for_each_list_element(headers_, "Expect", [&](std::string_view t) {
            if (iequals(t, "100-continue")) expects_continue_ = true;
            return true;
        });
    }

    if (kind_ == kind::response && (status_code_ == 204 || status_code_ == 304)) {
        state_ = state::complete; // never a body, whatever the framing fields say
        return;
    }

    bool has_te = find_field(headers_, "Transfer-Encoding") != nullptr;
    bool has_cl = find_field(headers_, "Content-Length") != nullptr;
    if (has_te && has_cl) return fail(http1_error::te_and_content_length);
    if (has_te) {
        if (minor_ == 0) return fail(http1_error::bad_transfer_encoding);
        std::size_t codings = 0;
        bool is_chunked = false;
        (void)for_each_list_element(headers_, "Transfer-Encoding", [&](std::string_view t) {
            ++codings;
            is_chunked = iequals(t, "chunked");
            return true;
        });
        if (codings != 1 || !is_chunked) return fail(http1_error::bad_transfer_encoding);
        chunked_ = true;
        state_ = state::chunk_size;
        return;
    }
    if (has_cl) {
        std::uint64_t length = 0;
        bool seen = false, ok = true;
        ok = for_each_list_element(headers_, "Content-Length", [&](std::string_view t) {
            std::uint64_t v = 0;
            for (char c : t) {
                if (c < '0' || c > '9') return false;
                if (v > (UINT64_MAX - 9) / 10) return false;
                v = v * 10 + static_cast<std::uint64_t>(c - '0');
            }
            if (seen && v != length) return false;
            seen = true;
            length = v;
            return true;
        });
        if (!ok || !seen) return fail(http1_error::bad_content_length);
        if (length > limits_.max_body) return fail(http1_error::body_too_large);
        remaining_ = length;
        body_.reserve(narrow<std::size_t>(length)); // <= max_body
        state_ = length == 0 ? state::complete : state::body_length;
        return;
    }
    if (kind_ == kind::request) {
        state_ = state::complete; // a request without framing has no body
    } else {
        keep_alive_ = false; // the body ends when the connection does
        state_ = state::body_until_close;
    }
}

TRTC_DECL void http1_parser_base::parse_chunk_size(std::string_view line) {
    // chunk = chunk-size [ chunk-ext ] CRLF; chunk-ext = *( BWS ";" BWS name [ BWS "=" ... ] )
    std::uint64_t size = 0;
    std::size_t i = 0;
    for (; i < line.size(); ++i) {
        char c = line[i];
        int d = (c >= '0' && c <= '9')   ? c - '0'
                : (c >= 'a' && c <= 'f') ? c - 'a' + 10
                : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                         : -1;
        if (d < 0) break;
        if (size > (UINT64_MAX >> 4)) return fail(http1_error::bad_chunk);
        size = size * 16 + static_cast<std::uint64_t>(d);
    }
    if (i == 0) return fail(http1_error::bad_chunk);
    std::string_view ext = line.substr(i);
    while (!ext.empty() && is_ows(ext.front())) ext.remove_prefix(1);
    if (!ext.empty()) {
        if (ext.front() != ';' || has_ctl(ext)) return fail(http1_error::bad_chunk);
    }
    if (size > limits_.max_body - body_.size()) return fail(http1_error::body_too_large);
    if (size == 0) {
        state_ = state::trailers;
        return;
    }
    remaining_ = size;
    state_ = state::chunk_data;
}

#endif // TRTC_DEFINITIONS

} // namespace detail
TRTC_END_NAMESPACE

#endif // TRTC_DETAIL_HTTP1_PARSER_HPP

// The built-in transport and trtc::client need POSIX sockets: they are empty where
// TRTC_HAS_POSIX_SOCKETS is 0 (Windows), and trtc::https_client (trtc/adapters/curl.hpp) or a
// transport of your own carries the calls there.
/// @file
/// @brief trtc::client: basic_client with every built-in policy, the built-in plain HTTP/1.1
/// transport included (for loopback, sidecars and the emulator; for HTTPS see
/// trtc::https_client in trtc/adapters/curl.hpp). POSIX only (TRTC_HAS_POSIX_SOCKETS).
#ifndef TRTC_DEFAULT_CLIENT_HPP
#define TRTC_DEFAULT_CLIENT_HPP

/// @file
/// @brief trtc::http1_transport: the built-in transport policy, plain HTTP/1.1 over POSIX
/// sockets with a keep-alive connection pool. For https:// use the libcurl adapter
/// (trtc/adapters/curl.hpp).
///
/// Every wait is a poll() bounded by the caller's deadline (connecting also by
/// http1_options::connect_timeout), except name resolution: getaddrinfo() blocks for as long as
/// the system resolver takes (see /etc/resolv.conf `timeout` and `attempts`). Use an IP literal
/// or a local resolver cache when that matters.
///
/// Retries: the transport never sends a request twice. A pooled connection is checked before
/// use (still open, no stray bytes, not idle longer than http1_options::idle_timeout), but the
/// server may still close it at the same moment. If that happens the failure is reported as it
/// is: send_failed when the request could not be written in full, connection_closed when it was
/// written but the connection closed (even with zero response bytes). Both are reported,
/// never silently resent, because the request may have been acted on (create_battle is not
/// idempotent): the client layer decides whether to retry.
#ifndef TRTC_TRANSPORT_HTTP1_HPP
#define TRTC_TRANSPORT_HTTP1_HPP

/// @file
/// @brief The bytes of an HTTP/1.1 request as the transports write them (the built-in one and
/// the Asio adapter), and the host:port and description they name it by. No sockets.
#ifndef TRTC_DETAIL_HTTP1_REQUEST_HPP
#define TRTC_DETAIL_HTTP1_REQUEST_HPP

#include <string>
#include <string_view>

TRTC_BEGIN_NAMESPACE
namespace detail {

/// `host:port` of `url`, an IPv6 literal in brackets: the key of a connection pool and the
/// name in messages.
inline std::string http1_host_port(const url_parts& url) {
    std::string out;
    out.reserve(url.host.size() + 8);
    if (url.ipv6_literal) out.push_back('[');
    out.append(url.host);
    if (url.ipv6_literal) out.push_back(']');
    out.push_back(':');
    out.append(std::to_string(url.port));
    return out;
}

/// What error messages call a request: the method, host:port and the path, never the query
/// (it carries the UserSig).
inline std::string http1_describe(std::string_view method, std::string_view host_port,
                                  std::string_view target) {
    std::string out(method);
    out.push_back(' ');
    out.append(host_port);
    out.append(target.substr(0, target.find('?')));
    return out;
}

/// Appends to `wire` the whole request: the request line, Host (without the port when it is
/// the scheme's default), every header of `headers` (a range of elements with `name` and
/// `value`), Content-Length, and the body. `method` must be a token (is_token()).
template <class Headers>
void http1_append_request(std::string& wire, std::string_view method, const url_parts& url,
                          std::string_view host_port, const Headers& headers,
                          std::string_view body) {
    const bool default_port = url.port == (url.scheme == "https" ? 443 : 80);
    wire.reserve(wire.size() + 200 + url.target.size() + body.size());
    wire.append(method).append(" ").append(url.target).append(" HTTP/1.1\r\nHost: ");
    if (default_port)
        wire.append(host_port.substr(0, host_port.rfind(':')));
    else
        wire.append(host_port);
    wire.append("\r\n");
    for (const auto& h : headers) wire.append(h.name).append(": ").append(h.value).append("\r\n");
    wire.append("Content-Length: ").append(std::to_string(body.size()));
    wire.append("\r\n\r\n").append(body);
}

} // namespace detail
TRTC_END_NAMESPACE

#endif // TRTC_DETAIL_HTTP1_REQUEST_HPP

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

// The HTTP/1.1 response parser the transport reads with.

#if !TRTC_HAS_POSIX_SOCKETS
// <trtc/trtc.hpp> includes this header everywhere and gets nothing from it here; included on
// its own, it says why.
#    if !defined(TRTC_TRTC_HPP)
#        error                                                                                     \
            "trtc/transport/http1.hpp: the built-in HTTP/1.1 transport needs POSIX sockets; on this platform use trtc::https_client (trtc/adapters/curl.hpp) or a transport of your own (docs/client.md, Policies)"
#    endif
#else

#    include <poll.h>
#    include <sys/socket.h>

#    if TRTC_DEFINITIONS
#        include <cerrno>
#        include <climits>
#        include <cstring>

#        include <fcntl.h>
#        include <netdb.h>
#        include <netinet/in.h>
#        include <netinet/tcp.h>
#        include <sys/types.h>
#        include <unistd.h>
#    endif

TRTC_BEGIN_NAMESPACE
namespace detail {

#    if defined(MSG_NOSIGNAL)
/// Flags for send(): never raise SIGPIPE when the peer has gone.
inline constexpr int socket_send_flags = MSG_NOSIGNAL;
#    else
inline constexpr int socket_send_flags = 0; // SO_NOSIGPIPE is set on every socket instead
#    endif

/// An owned file descriptor, closed on destruction.
class unique_fd {
  public:
    unique_fd() noexcept = default;
    explicit unique_fd(int fd) noexcept : fd_(fd) {}
    unique_fd(unique_fd&& o) noexcept : fd_(o.release()) {}
    unique_fd& operator=(unique_fd&& o) noexcept {
        if (this != &o) reset(o.release());
        return *this;
    }
    unique_fd(const unique_fd&) = delete;
    unique_fd& operator=(const unique_fd&) = delete;
    ~unique_fd() { reset(); }

    int get() const noexcept { return fd_; }
    explicit operator bool() const noexcept { return fd_ >= 0; }
    int release() noexcept {
        int fd = fd_;
        fd_ = -1;
        return fd;
    }
    /// Closes the descriptor held (never retried on EINTR: the descriptor is gone either way).
    void reset(int fd = -1) noexcept;

  private:
    int fd_ = -1;
};

/// The text of errno value `e`, thread-safely.
TRTC_DECL std::string errno_text(int e);

/// Sets FD_CLOEXEC and O_NONBLOCK (and SO_NOSIGPIPE where it exists) on `fd`.
TRTC_DECL bool prepare_socket_fd(int fd) noexcept;

/// A new non-blocking, close-on-exec stream socket; an invalid unique_fd with errno set on
/// failure.
TRTC_DECL unique_fd open_stream_socket(int family) noexcept;

/// poll() until an event or `deadline`, retrying on EINTR. Returns poll's result: > 0 when a
/// descriptor is ready, 0 when the deadline passed (never earlier), -1 with errno on failure.
TRTC_DECL int poll_until(pollfd* fds, nfds_t n, std::chrono::steady_clock::time_point deadline);

/// Writes all of `data` to non-blocking `fd` before `deadline`. Returns 0 on success, else the
/// errno of the failure (ETIMEDOUT when the deadline passed). `written` tells how far it got.
TRTC_DECL int write_all(int fd, std::string_view data,
                        std::chrono::steady_clock::time_point deadline, std::size_t& written);

/// A pooled connection.
struct http1_idle_connection {
    std::string key; ///< host:port
    unique_fd fd;
    std::chrono::steady_clock::time_point since;
};

/// The state behind an http1_transport (kept apart so that the transport can move).
struct http1_transport_state;

} // namespace detail

/// Options of http1_transport.
struct http1_options {
    /// The most time to spend connecting (name resolution excluded), within the deadline.
    std::chrono::milliseconds connect_timeout{3000};
    /// The most body bytes accepted in a response (the header section has its own 64 KiB
    /// limit); more is transport_errc::response_too_large.
    std::size_t max_response_bytes = 1 << 20;
    /// The most idle keep-alive connections kept per host:port (0 disables keep-alive reuse).
    std::size_t max_idle_connections = 8;
    /// Pooled connections idle longer than this are closed instead of reused.
    std::chrono::milliseconds idle_timeout{30000};
};

namespace detail {
struct http1_transport_state {
    explicit http1_transport_state(http1_options o) : options(o) {}
    http1_options options;
    detail::mutex mutex;
    std::vector<http1_idle_connection> idle; // guarded by mutex; most recently used last
    detail::relaxed_atomic<std::size_t> opened{0};
    detail::relaxed_atomic<std::size_t> reused{0};
};
} // namespace detail

/// The built-in transport policy: HTTP/1.1 over plain TCP (http:// URLs only), with a
/// thread-safe keep-alive pool. One instance may be shared by any number of threads; each
/// send() uses its own connection for the duration of the exchange.
///
/// Error mapping (see trtc::transport_errc and may_have_reached_server()):
/// - https:// → unsupported_scheme; an unparsable URL → invalid_url;
/// - resolution failure → dns_failure; refused / unreachable → connect_refused; no connection
///   within the connect timeout or the deadline → connect_timeout;
/// - the request not written in full (error, or the deadline) → send_failed;
/// - after the whole request was written: the deadline → timeout_after_send; EOF or a reset
///   before a complete response → connection_closed; invalid HTTP → malformed_response; a body
///   over http1_options::max_response_bytes (or a header section over 64 KiB) →
///   response_too_large.
///
/// Any status (502 included) is a response, not an error. Error messages name host:port and
/// the path only, never the query (it carries the UserSig).
class http1_transport {
  public:
    /// A transport with the given options.
    explicit http1_transport(http1_options options = {})
        : state_(new detail::http1_transport_state(options)) {}
    /// Moves the pool; the moved-from transport only fails with local_failure.
    http1_transport(http1_transport&& o) noexcept : state_(o.state_) { o.state_ = nullptr; }
    /// Closes this transport's pool and takes the other's.
    http1_transport& operator=(http1_transport&& o) noexcept;
    http1_transport(const http1_transport&) = delete;
    http1_transport& operator=(const http1_transport&) = delete;
    /// Closes pooled connections.
    ~http1_transport() { delete state_; }

    /// The transport policy contract: sends `req` and waits at most until `deadline` for the
    /// whole response. Never resends (see the file comment).
    /// @return the status and de-chunked body of the final response, or a transport error.
    result<http_response> send(const http_request& req,
                               std::chrono::steady_clock::time_point deadline);

    /// Whether this transport can reach `url`: plain http:// only (basic_client::create() asks,
    /// so that an https:// location is refused at once).
    static result<void> accepts(const base_url& url);

    /// Connections opened so far.
    std::size_t connections_opened() const noexcept { return state_ ? state_->opened.load() : 0; }
    /// Requests sent on a reused (pooled) connection so far.
    std::size_t reused_requests() const noexcept { return state_ ? state_->reused.load() : 0; }
    /// Closes every pooled connection.
    void close_idle() noexcept;

  private:
    // A usable pooled connection for `key`, or an invalid one.
    detail::unique_fd take_idle(const std::string& key);

    void put_idle(std::string key, detail::unique_fd fd);

    result<detail::unique_fd> connect(const detail::url_parts& url, const std::string& what,
                                      std::chrono::steady_clock::time_point deadline);

    static error parse_error(const detail::http1_response_parser& p, const std::string& what,
                             const char* on);

    static error timeout_error(const detail::http1_response_parser& p, const std::string& what,
                               const char* on);

    detail::http1_transport_state* state_ = nullptr;
};

#    if TRTC_DEFINITIONS

namespace detail {

TRTC_DECL void unique_fd::reset(int fd) noexcept {
    if (fd_ >= 0) (void)::close(fd_);
    fd_ = fd;
}

// strerror_r comes in two flavours (XSI returns int, GNU returns char*); accept both.
inline const char* strerror_pick(int rc, const char* buf) noexcept {
    return rc == 0 ? buf : "unknown error";
}
inline const char* strerror_pick(const char* r, const char*) noexcept {
    return r;
}

TRTC_DECL std::string errno_text(int e) {
    char buf[256] = {};
    return strerror_pick(::strerror_r(e, buf, sizeof buf), buf);
}

TRTC_DECL bool prepare_socket_fd(int fd) noexcept {
    int fdflags = ::fcntl(fd, F_GETFD);
    if (fdflags < 0 || ::fcntl(fd, F_SETFD, fdflags | FD_CLOEXEC) < 0) return false;
    int flags = ::fcntl(fd, F_GETFL);
    if (flags < 0 || ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) return false;
#        if defined(SO_NOSIGPIPE)
    int one = 1;
    if (::setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, sizeof one) < 0) return false;
#        endif
    return true;
}

TRTC_DECL unique_fd open_stream_socket(int family) noexcept {
    int type = SOCK_STREAM;
#        if defined(SOCK_CLOEXEC)
    type |= SOCK_CLOEXEC; // no window in which a concurrent fork+exec inherits it
#        endif
    unique_fd fd(::socket(family, type, 0));
    if (!fd) return fd;
    if (!prepare_socket_fd(fd.get())) {
        int e = errno;
        fd.reset();
        errno = e;
    }
    return fd;
}

TRTC_DECL int poll_until(pollfd* fds, nfds_t n, std::chrono::steady_clock::time_point deadline) {
    using namespace std::chrono;
    while (true) {
        auto now = steady_clock::now();
        int ms = 0;
        if (deadline > now) {
            auto left = ceil<milliseconds>(deadline - now).count();
            ms = left > INT_MAX ? INT_MAX : static_cast<int>(left);
        }
        int rc = ::poll(fds, n, ms);
        if (rc > 0) return rc;
        if (rc < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        if (steady_clock::now() >= deadline) return 0;
    }
}

/// Waits until `fd` is ready for `events` or `deadline` (see poll_until()).
inline int wait_fd(int fd, short events, std::chrono::steady_clock::time_point deadline) {
    pollfd p{};
    p.fd = fd;
    p.events = events;
    return poll_until(&p, 1, deadline);
}

TRTC_DECL int write_all(int fd, std::string_view data,
                        std::chrono::steady_clock::time_point deadline, std::size_t& written) {
    written = 0;
    while (written < data.size()) {
        ssize_t n = ::send(fd, data.data() + written, data.size() - written, socket_send_flags);
        if (n > 0) {
            written += static_cast<std::size_t>(n);
            if (written < data.size() && std::chrono::steady_clock::now() >= deadline)
                return ETIMEDOUT;
            continue;
        }
        if (n == 0) return EPIPE;
        int e = errno;
        if (e == EINTR) continue;
        if (e != EAGAIN && e != EWOULDBLOCK) return e;
        int rc = wait_fd(fd, POLLOUT, deadline);
        if (rc == 0) return ETIMEDOUT;
        if (rc < 0) return errno;
        // Ready, or POLLERR/POLLHUP: the next send() reports the error.
    }
    return 0;
}

/// Whether an idle keep-alive connection is still usable: open, and with nothing to read
/// (readable means EOF, a reset, or bytes nobody asked for: all make it unusable).
inline bool idle_connection_usable(int fd) noexcept {
    pollfd p{};
    p.fd = fd;
    p.events = POLLIN;
    int rc;
    do rc = ::poll(&p, 1, 0);
    while (rc < 0 && errno == EINTR);
    if (rc == 0) return true;
    if (rc < 0 || (p.revents & (POLLERR | POLLHUP | POLLNVAL))) return false;
    char c;
    ssize_t n;
    do n = ::recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);
    while (n < 0 && errno == EINTR);
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

} // namespace detail

TRTC_DECL http1_transport& http1_transport::operator=(http1_transport&& o) noexcept {
    if (this != &o) {
        delete state_;
        state_ = o.state_;
        o.state_ = nullptr;
    }
    return *this;
}

TRTC_DECL result<void> http1_transport::accepts(const base_url& url) {
    if (!url.is_https()) return {};
    return error(errc::invalid_url,
                 "the built-in transport speaks plain http:// only; for https:// use "
                 "trtc::https_client from trtc/adapters/curl.hpp (libcurl)");
}

TRTC_DECL result<http_response>
http1_transport::send(const http_request& req, std::chrono::steady_clock::time_point deadline) {
    if (!state_) return error{transport_errc::local_failure, "moved-from http1_transport"};
    detail::url_parts url;
    if (!detail::split_url(req.url, url))
        return error{transport_errc::invalid_url,
                     "the URL is not an absolute http:// URL (http://host[:port]/path)"};
    if (url.scheme != "http")
        return error{transport_errc::unsupported_scheme,
                     "https:// needs TLS, which trtc::http1_transport does not do: use the "
                     "libcurl transport from trtc/adapters/curl.hpp"};
    std::string_view method = req.method.empty() ? std::string_view("POST") : req.method;
    if (!detail::is_token(method))
        return error{transport_errc::local_failure, "invalid HTTP method"};

    std::string key = detail::http1_host_port(url);
    // For messages: the method, host:port and the path, never the query (it has the UserSig).
    std::string what = detail::http1_describe(method, key, url.target);

    std::string wire;
    detail::http1_append_request(wire, method, url, key, req.headers(), req.body);

    if (std::chrono::steady_clock::now() >= deadline)
        return error{transport_errc::connect_timeout,
                     what + ": the deadline passed before connecting"};

    detail::unique_fd fd = take_idle(key);
    bool reused = static_cast<bool>(fd);
    if (reused) {
        state_->reused.fetch_add(1);
    } else {
        result<detail::unique_fd> c = connect(url, what, deadline);
        if (!c) return std::move(c).error();
        fd = std::move(*c);
        state_->opened.fetch_add(1);
    }
    const char* on = reused ? " (on a reused keep-alive connection)" : "";

    std::size_t written = 0;
    if (int e = detail::write_all(fd.get(), wire, deadline, written)) {
        std::string msg = what + ": ";
        msg += e == ETIMEDOUT ? "the deadline passed while writing the request"
                              : "writing the request failed: " + detail::errno_text(e);
        msg += " (" + std::to_string(written) + " of " + std::to_string(wire.size()) +
               " bytes written)";
        return error{transport_errc::send_failed, msg + on};
    }

    detail::http1_limits limits;
    limits.max_body = state_->options.max_response_bytes;
    detail::http1_response_parser parser(limits);
    bool stray_bytes = false;
    char buf[16384];
    while (true) {
        ssize_t n = ::recv(fd.get(), buf, sizeof buf, 0);
        if (n > 0) {
            std::size_t consumed = 0;
            auto st = parser.feed(std::string_view(buf, static_cast<std::size_t>(n)), consumed);
            if (st == detail::http1_status::complete) {
                stray_bytes = consumed < static_cast<std::size_t>(n);
                break;
            }
            if (st == detail::http1_status::error) return parse_error(parser, what, on);
            if (std::chrono::steady_clock::now() >= deadline)
                return timeout_error(parser, what, on);
            continue;
        }
        if (n == 0) {
            if (parser.finish() == detail::http1_status::complete) break;
            return error{transport_errc::connection_closed,
                         what + ": the server closed the connection after " +
                             std::to_string(parser.bytes_consumed()) +
                             " response bytes, before a complete response" + on};
        }
        int e = errno;
        if (e == EINTR) continue;
        if (e == EAGAIN || e == EWOULDBLOCK) {
            int rc = detail::wait_fd(fd.get(), POLLIN, deadline);
            if (rc == 0) return timeout_error(parser, what, on);
            if (rc < 0)
                return error{transport_errc::connection_closed,
                             what + ": poll failed: " + detail::errno_text(errno)};
            continue;
        }
        return error{transport_errc::connection_closed,
                     what + ": reading the response failed: " + detail::errno_text(e) + " after " +
                         std::to_string(parser.bytes_consumed()) + " response bytes" + on};
    }

    if (parser.keep_alive() && !stray_bytes) put_idle(std::move(key), std::move(fd));
    return http_response{parser.status_code(), parser.take_body()};
}

TRTC_DECL void http1_transport::close_idle() noexcept {
    if (!state_) return;
    std::vector<detail::http1_idle_connection> dropped;
    {
        detail::lock_guard lock(state_->mutex);
        dropped.swap(state_->idle);
    }
    // `dropped` closes them outside the lock.
}

TRTC_DECL detail::unique_fd http1_transport::take_idle(const std::string& key) {
    while (true) {
        detail::http1_idle_connection c;
        {
            detail::lock_guard lock(state_->mutex);
            auto& idle = state_->idle;
            std::size_t i = idle.size();
            while (i > 0 && idle[i - 1].key != key) --i;
            if (i == 0) return {};
            c = std::move(idle[i - 1]);
            idle.erase(idle.begin() + static_cast<std::ptrdiff_t>(i - 1));
        }
        if (std::chrono::steady_clock::now() - c.since > state_->options.idle_timeout)
            continue; // too old: closed by c's destructor
        if (!detail::idle_connection_usable(c.fd.get())) continue;
        return std::move(c.fd);
    }
}

TRTC_DECL void http1_transport::put_idle(std::string key, detail::unique_fd fd) {
    const auto now = std::chrono::steady_clock::now();
    std::vector<detail::http1_idle_connection> dropped; // closed outside the lock
    detail::lock_guard lock(state_->mutex);
    auto& idle = state_->idle;
    std::size_t same = 0;
    for (std::size_t i = 0; i < idle.size();) {
        if (now - idle[i].since > state_->options.idle_timeout) {
            dropped.push_back(std::move(idle[i]));
            idle.erase(idle.begin() + static_cast<std::ptrdiff_t>(i));
            continue;
        }
        if (idle[i].key == key) ++same;
        ++i;
    }
    if (same >= state_->options.max_idle_connections) return; // fd closes on return
    idle.push_back(detail::http1_idle_connection{std::move(key), std::move(fd), now});
}

TRTC_DECL result<detail::unique_fd>
http1_transport::connect(const detail::url_parts& url, const std::string& what,
                         std::chrono::steady_clock::time_point deadline) {
    using clock = std::chrono::steady_clock;
    std::string host(url.host);
    std::string port = std::to_string(url.port);
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV | (url.ipv6_literal ? AI_NUMERICHOST : 0);
    addrinfo* list = nullptr;
    int rc = ::getaddrinfo(host.c_str(), port.c_str(), &hints, &list);
    if (rc != 0) {
        std::string why = rc == EAI_SYSTEM ? detail::errno_text(errno) : ::gai_strerror(rc);
        return error{rc == EAI_MEMORY ? transport_errc::local_failure : transport_errc::dns_failure,
                     what + ": cannot resolve " + host + ": " + why};
    }
    struct freer {
        addrinfo* p;
        ~freer() { ::freeaddrinfo(p); }
    } free_list{list};

    auto connect_deadline = clock::now() + state_->options.connect_timeout;
    std::string timed_out = "no connection within the connect timeout (" +
                            std::to_string(state_->options.connect_timeout.count()) + " ms)";
    if (deadline < connect_deadline) {
        connect_deadline = deadline;
        timed_out = "no connection before the deadline";
    }
    transport_errc code = transport_errc::connect_refused;
    std::string why = "no usable address";
    for (addrinfo* ai = list; ai; ai = ai->ai_next) {
        if (clock::now() >= connect_deadline) {
            code = transport_errc::connect_timeout;
            why = timed_out;
            break;
        }
        detail::unique_fd fd = detail::open_stream_socket(ai->ai_family);
        if (!fd) {
            int e = errno;
            if (e == EAFNOSUPPORT || e == EPROTONOSUPPORT) continue; // try the next family
            code = transport_errc::local_failure;
            why = "cannot create a socket: " + detail::errno_text(e);
            continue;
        }
        int one = 1;
        (void)::setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        int e = 0;
        if (::connect(fd.get(), ai->ai_addr, ai->ai_addrlen) != 0) {
            e = errno;
            if (e == EINPROGRESS || e == EINTR) {
                int w = detail::wait_fd(fd.get(), POLLOUT, connect_deadline);
                if (w == 0) {
                    code = transport_errc::connect_timeout;
                    why = timed_out;
                    break; // no time left for another address
                }
                if (w < 0) {
                    e = errno;
                } else {
                    socklen_t len = sizeof e;
                    if (::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &e, &len) != 0) e = errno;
                }
            }
        }
        if (e == 0) return fd;
        why = detail::errno_text(e);
        if (e == ETIMEDOUT)
            code = transport_errc::connect_timeout;
        else if (e == EMFILE || e == ENFILE || e == ENOBUFS || e == ENOMEM)
            code = transport_errc::local_failure;
        else
            code = transport_errc::connect_refused;
    }
    return error{code, what + ": cannot connect: " + why};
}

TRTC_DECL error http1_transport::parse_error(const detail::http1_response_parser& p,
                                             const std::string& what, const char* on) {
    bool too_large = p.error() == detail::http1_error::body_too_large ||
                     p.error() == detail::http1_error::header_too_large;
    return error{too_large ? transport_errc::response_too_large
                           : transport_errc::malformed_response,
                 what + ": " + std::string(p.error_message()) + on};
}

TRTC_DECL error http1_transport::timeout_error(const detail::http1_response_parser& p,
                                               const std::string& what, const char* on) {
    return error{transport_errc::timeout_after_send,
                 what + ": no complete response before the deadline (" +
                     std::to_string(p.bytes_consumed()) + " response bytes received)" + on};
}

#    endif // TRTC_DEFINITIONS

TRTC_END_NAMESPACE

#endif // TRTC_HAS_POSIX_SOCKETS

#endif // TRTC_TRANSPORT_HTTP1_HPP

#if !TRTC_HAS_POSIX_SOCKETS
#    if !defined(TRTC_TRTC_HPP)
#        error                                                                                     \
            "trtc/default_client.hpp: trtc::client carries its calls over POSIX sockets; on this platform use trtc::https_client (trtc/adapters/curl.hpp) or basic_client with a transport of your own"
#    endif
#else

TRTC_BEGIN_NAMESPACE

/// The built-in policies with the built-in transport.
struct http1_policies : default_policies {
    using transport = http1_transport;
};

/// The client with every built-in policy: plain HTTP/1.1 over POSIX sockets.
using client = basic_client<http1_policies>;

TRTC_END_NAMESPACE

#endif // TRTC_HAS_POSIX_SOCKETS

#endif // TRTC_DEFAULT_CLIENT_HPP

#endif // TRTC_TRTC_HPP
