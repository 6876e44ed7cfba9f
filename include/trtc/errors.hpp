// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief Error codes as std::error_code: the library's own conditions, and the catalogue of
/// every documented service code with what a caller should do about it.
#ifndef TRTC_ERRORS_HPP
#define TRTC_ERRORS_HPP

#include "config.hpp"

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
