// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief The sans-I/O core: prepare() turns a request into an http_request, decode() turns an
/// http_response into a typed result. No sockets, no threads, no clock: any transport (ours,
/// libcurl, a game engine's event loop) carries the bytes in between.
#ifndef TRTC_SANS_IO_HPP
#define TRTC_SANS_IO_HPP

#include "config.hpp"
#include "detail/decimal.hpp"
#include "detail/url.hpp"
#include "detail/utf8.hpp"
#include "endpoint.hpp"
#include "errors.hpp"
#include "http.hpp"
#include "json.hpp"
#include "regions.hpp"
#include "result.hpp"

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
