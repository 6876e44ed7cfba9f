// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
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

#include "config.hpp"
#include "endpoint/fields.hpp"
#include "endpoint/one_pass.hpp"
#include "endpoint/validator.hpp"
#include "endpoint/writer.hpp"
#include "result.hpp"
#include "json/document.hpp"
#include "json/writer.hpp"

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
