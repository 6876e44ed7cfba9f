// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief trtc::testing::emulator: a faithful, sans-I/O stand-in for the battle (PK) REST API
/// of `v4/live_engine_http_pk` (create_battle, get_battle_info, set_battle_score) and the
/// webhook configuration APIs of `v4/live_config`, with an injectable clock, battle state,
/// rate limiting, scripted faults and the battle webhooks.
///
/// The emulator checks a request as the service does, in the service's order, and answers with
/// the service's codes in the service's envelope (always HTTP 200, unless a fault says
/// otherwise):
///
/// 1. the method is POST, else 60002;
/// 2. the path ends with `/v4/live_engine_http_pk/<command>` for one of create_battle,
///    get_battle_info, set_battle_score, or `/v4/live_config/<command>` for one of the webhook
///    configuration APIs (set_callback, update_callback, get_callback, delete_callback,
///    set_callback_token, get_callback_token, delete_callback_token) (any prefix before `/v4`
///    is allowed), else 60009;
/// 3. the query string has no broken `%XX` escape, else 60002;
/// 4. `sdkappid` is present and non-empty, else 60012;
/// 5. `sdkappid` is a decimal number equal to the emulator's, else 60006;
/// 6. `identifier` is present and non-empty, `usersig` is present, else 60025;
/// 7. `random` is a decimal 32-bit unsigned integer (digits only), else 60025;
/// 8. `contenttype` is exactly `json` (case-sensitive), else 60025;
/// 9. the UserSig is non-empty (70002) and decodes (70003);
/// 10. trtc::check_usersig with the emulator's key: SDKAppID 70014, identifier 70013, expiry
///     70001, MAC 70009;
/// 11. the identifier is an App administrator, else 60010;
/// 12. the rate limit per SDKAppID per API, else emulator_options::rate_limit_code (60007);
/// 13. the body is non-empty, JSON and an object, else 60003;
/// 14. the fields are present, of the right type and within the documented rules, else 100002
///     with an ErrorInfo naming the first wrong field: the emulator's own rules (below, "the
///     emulator's own request rules"; docs/emulator.md lists them), not the library's validator;
/// 15. the battle rules: 100415, 100412, emulator_options::unknown_battle_code (100004), ...;
///     the configuration rules: 100300 (set_callback when configured), 100301 (update_callback
///     or get_callback when not), 100302 (get_callback_token when no token is set).
///
/// Webhooks: with a URL configured (set_callback), each battle created queues its Create and
/// Start webhooks, and its End once it is over (take_webhooks(); emulator_server delivers
/// them). The bodies are written here from the webhook pages, independently of
/// trtc/webhooks.hpp.
///
/// Assumptions where the documentation is silent:
/// - Status of get_battle_info: 2 running, 3 ended (emulator::status_running / status_ended);
///   only 3 is documented.
/// - EndTime of a running battle is its scheduled end (StartTime + Duration / 1000); of an
///   ended one, StartTime + Duration / 1000 when it ran out, or the second at which
///   end_battle() ended it.
/// - An unknown BattleId, or a RoomId in no running battle, answers
///   emulator_options::unknown_battle_code (100004 by default).
/// - set_battle_score on an ended battle answers emulator_options::ended_battle_score_code
///   (100002 by default; 0 lets it change the final scores).
/// - create_battle where no callee joined but not every callee was busy (some had a system
///   error, ResultCode 5) answers 100001 and creates nothing.
/// - A parameter given twice: the first occurrence counts. `+` in the query decodes to a space
///   (form encoding, as Go's url.ParseQuery does); a broken `%XX` escape anywhere in the query
///   is 60002.
/// - The rate limit is a token bucket per API holding rate_limit_per_second tokens (so at most
///   that many requests at one instant), refilled continuously at that rate on the emulator's
///   clock. Only requests that pass the checks before it (1-11) take a token; rejected ones do
///   not. With emulator_options::sliding_window_limit, at most that many accepted in any
///   sliding 1000 ms instead.
/// - Injected faults (other than a slow answer) skip every check and change no state, not even
///   the rate-limit buckets.
///
/// ErrorInfo never contains the UserSig or the secret key.
#ifndef TRTC_TESTING_EMULATOR_HPP
#define TRTC_TESTING_EMULATOR_HPP

#include "../config.hpp"
#include "../detail/base64.hpp"
#include "../detail/mutex.hpp"
#include "../detail/sha256.hpp"
#include "../detail/url.hpp"
#include "../detail/utf8.hpp"
#include "../errors.hpp"
#include "../http.hpp"
#include "../json.hpp"
#include "../policies.hpp"
#include "../result.hpp"
#include "../usersig.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <queue>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

TRTC_BEGIN_NAMESPACE
namespace testing {

/// The kinds of fault the emulator can inject, and (in emulator_reply::fault) how a reply must
/// be delivered.
enum class fault_kind {
    /// No fault: answer normally.
    none,
    /// An HTTP status other than 200 (fault::code, e.g. 502) with an HTML body, as a gateway
    /// sends.
    http_status,
    /// HTTP 200 with the service envelope carrying ErrorCode fault::code (e.g. 100001).
    service_error,
    /// HTTP 200 with a body that is not JSON.
    garbage_body,
    /// The headers announce the full body, but only half of it is sent, then the connection is
    /// closed.
    truncated_body,
    /// The request is processed normally (its effects happen) but the answer is delivered after
    /// fault::delay: the outcome-unknown case when the client gives up first.
    slow_answer,
    /// The connection is closed without an answer.
    close_without_answer,
};

/// A fault to inject into one request (see emulator::inject).
struct fault {
    fault_kind kind = fault_kind::none;
    /// The HTTP status (http_status) or the ErrorCode (service_error).
    int code = 0;
    /// How late the answer comes (slow_answer).
    std::chrono::milliseconds delay{0};

    /// HTTP `status` with an HTML body, nothing processed.
    static fault http_status(int status = 502) { return {fault_kind::http_status, status, {}}; }
    /// The envelope with ErrorCode `error_code`, nothing processed.
    static fault service_error(int error_code = 100001) {
        return {fault_kind::service_error, error_code, {}};
    }
    /// HTTP 200 with a body that is not JSON, nothing processed.
    static fault garbage_body() { return {fault_kind::garbage_body, 0, {}}; }
    /// Half a body then a closed connection, nothing processed.
    static fault truncated_body() { return {fault_kind::truncated_body, 0, {}}; }
    /// Processed normally, answered after `delay`.
    static fault slow_answer(std::chrono::milliseconds delay) {
        return {fault_kind::slow_answer, 0, delay};
    }
    /// The connection closed without an answer, nothing processed.
    static fault close_without_answer() { return {fault_kind::close_without_answer, 0, {}}; }
};

/// What emulator::handle() answers, and how a transport or server must deliver it.
struct emulator_reply {
    /// The status and the full body.
    http_response response;
    /// fault_kind::none (send `response`), fault_kind::truncated_body (send the headers with
    /// the full Content-Length, half the body, then close) or fault_kind::close_without_answer
    /// (close without sending anything). No other value appears here.
    fault_kind fault = fault_kind::none;
    /// Wait this long before delivering (a slow answer); zero otherwise.
    std::chrono::milliseconds delay{0};
    /// The Content-Type of the body (a static string).
    std::string_view content_type = "application/json";
};

/// How an emulator behaves.
struct emulator_options {
    /// The application's SDKAppID.
    std::uint32_t sdkappid = 0;
    /// The App administrators: the only identifiers allowed to call (others get 60010).
    std::vector<std::string> admins;
    /// The application's secret key, which UserSigs are verified with.
    std::string secret_key;
    /// Requests per second allowed per SDKAppID per API (the service documents 200); <= 0: no
    /// limit.
    double rate_limit_per_second = 200;
    /// The ErrorCode of a request over the rate limit (undocumented: 60007 or 60018).
    int rate_limit_code = 60007;
    /// The strictest reading of the limit instead of the token bucket: at most
    /// rate_limit_per_second (rounded down, at least 1) requests per API accepted in any
    /// sliding second (any 1000 ms on the emulator's clock), however they are spread.
    bool sliding_window_limit = false;
    /// The ErrorCode for an unknown BattleId, or a RoomId in no battle (undocumented).
    int unknown_battle_code = 100004;
    /// Owner_Account of rooms without an owner set by emulator::set_room_owner().
    std::string default_owner = "";
    /// The ErrorCode of set_battle_score on an ended battle (undocumented); 0 lets it change
    /// the final scores.
    int ended_battle_score_code = 100002;
    /// Seed of the BattleId and RequestId generator; 0 seeds it from the operating system.
    std::uint64_t random_seed = 0;

    // ---- webhooks (docs/webhooks.md) ----
    /// Send Owner_Account in webhooks as a JSON number when it is all digits (the End sample
    /// does), to exercise receivers; a string otherwise.
    bool webhook_owner_account_as_number = false;
    /// How long emulator_server waits for a receiver's answer (the service does not document
    /// it; the Chat service's is 2 s).
    std::chrono::milliseconds webhook_timeout{2000};
    /// How many times emulator_server sends a webhook again after a failure (HTTP status not
    /// 200, an answer not JSON, a transport error); undocumented, 0 by default.
    int webhook_retries = 0;
    /// Where emulator_server reports a webhook it could not deliver (one line, no Sign, never
    /// the token); null: standard error.
    std::function<void(std::string_view)> webhook_log;
};

/// A webhook the emulator has to deliver (emulator::take_webhooks()): POST `body` to `url`.
struct webhook_delivery {
    /// The command word: Live.CallbackAfterCreateBattle, ...StartBattle or ...EndBattle.
    std::string command;
    std::string battle_id;
    /// The configured URL with the webhook's query (SdkAppid, CallbackCommand, contenttype,
    /// ClientIP, OptPlatform, and Sign and RequestTime when a token is enabled).
    std::string url;
    /// The JSON body.
    std::string body;
};

/// A battle as the emulator holds it, for tests.
struct battle_view {
    std::string battle_id;
    /// The caller's room.
    std::string from_room;
    /// The callee rooms that joined (ResultCode 0), in request order.
    std::vector<std::string> to_rooms;
    /// When it started, in Unix milliseconds.
    std::int64_t start_ms = 0;
    /// Duration as requested, in milliseconds.
    std::int64_t duration_ms = 0;
    /// When it ends or ended, in Unix milliseconds: start + duration, or when end_battle()
    /// ended it.
    std::int64_t end_ms = 0;
    /// Every participant's score (caller and joined callees).
    std::map<std::string, std::int64_t> scores;
    /// Whether it has ended (at the emulator's current time).
    bool ended = false;
    /// Why it ended (OpType): 0 time up, 1 all owners exited, 2 never started (end_battle());
    /// -1 while running.
    int end_reason = -1;
    /// ExtensionInfo as sent ("" when absent).
    std::string extension_info;
};

} // namespace testing

// The emulator's internals live in trtc::detail (not trtc::testing::detail, which would hide
// trtc::detail from code in trtc::testing such as http_server.hpp).
namespace detail {

/// The commands the emulator serves, in the order of emulator::api: the battle APIs of
/// v4/live_engine_http_pk, then the webhook configuration APIs of v4/live_config.
inline constexpr std::string_view emulator_commands[10] = {
    "create_battle",      "get_battle_info",      "set_battle_score", "set_callback",
    "update_callback",    "get_callback",         "delete_callback",  "set_callback_token",
    "get_callback_token", "delete_callback_token"};
/// How many of emulator_commands are battle APIs (the rest are v4/live_config's).
inline constexpr std::size_t emulator_battle_commands = 3;

/// The webhook command words [doc: the battle webhook pages].
inline constexpr std::string_view emulator_webhook_create = "Live.CallbackAfterCreateBattle";
inline constexpr std::string_view emulator_webhook_start = "Live.CallbackAfterStartBattle";
inline constexpr std::string_view emulator_webhook_end = "Live.CallbackAfterEndBattle";

/// splitmix64: BattleIds and RequestIds need uniqueness, not secrecy.
class emulator_random {
  public:
    explicit emulator_random(std::uint64_t seed) noexcept : s_(seed) {}
    std::uint64_t next() noexcept {
        std::uint64_t z = (s_ += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }

  private:
    std::uint64_t s_;
};

/// a + b, clamped to the range of int64_t.
constexpr std::int64_t emulator_saturating_add(std::int64_t a, std::int64_t b) noexcept {
    if (b > 0 && a > INT64_MAX - b) return INT64_MAX;
    if (b < 0 && a < INT64_MIN - b) return INT64_MIN;
    return a + b;
}

/// a / b rounded toward negative infinity (b > 0).
constexpr std::int64_t emulator_floor_div(std::int64_t a, std::int64_t b) noexcept {
    std::int64_t q = a / b;
    return (a % b != 0 && a < 0) ? q - 1 : q;
}

/// The request target (path and query) of an absolute URL of any scheme: what follows the
/// authority, "/" when nothing does, with "/" put before a bare "?query". False when `url` has
/// no "://".
inline bool emulator_url_target(std::string_view url, std::string& target) {
    std::size_t s = url.find("://");
    if (s == std::string_view::npos) return false;
    std::string_view rest = url.substr(s + 3);
    std::size_t end = rest.find_first_of("/?");
    target.clear();
    if (end == std::string_view::npos) {
        target = "/";
    } else {
        if (rest[end] == '?') target = "/";
        target.append(rest.substr(end));
    }
    return true;
}

/// A decimal number of 1 to 10 digits, nothing else, at most 4294967295.
inline bool emulator_parse_u32(std::string_view s, std::uint32_t& out) noexcept {
    if (s.empty() || s.size() > 10) return false;
    std::uint64_t v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return false;
        v = v * 10 + static_cast<std::uint64_t>(c - '0');
    }
    if (v > 0xFFFFFFFFULL) return false;
    out = static_cast<std::uint32_t>(v);
    return true;
}

/// The query parameters the service reads (first occurrence of each).
struct emulator_query {
    std::optional<std::string> sdkappid, identifier, usersig, random, contenttype;
};

/// Splits and percent-decodes a query string. False on a broken %XX escape.
inline bool parse_emulator_query(std::string_view query, emulator_query& out) {
    return decode_query(query, [&out](const std::string& name, const std::string& value) {
        std::optional<std::string>* slot = nullptr;
        if (name == "sdkappid")
            slot = &out.sdkappid;
        else if (name == "identifier")
            slot = &out.identifier;
        else if (name == "usersig")
            slot = &out.usersig;
        else if (name == "random")
            slot = &out.random;
        else if (name == "contenttype")
            slot = &out.contenttype;
        if (slot != nullptr && !slot->has_value()) *slot = value;
    });
}

/// A value quoted for an ErrorInfo: escaped and cut.
inline std::string emulator_quote(std::string_view v, std::size_t max = 64) {
    std::string q;
    append_escaped_for_message(q, v, max);
    return q;
}

/// "a string", "the number 1.5", ... for an ErrorInfo.
inline std::string emulator_describe_json(json::value v) {
    switch (v.kind()) {
    case json::type::null:
        return "null";
    case json::type::boolean:
        return "a boolean";
    case json::type::number: {
        std::string s = "the number ";
        s += v.number_text().substr(0, 40); // an RFC 8259 literal: ASCII, nothing to escape
        if (v.number_text().size() > 40) s += "...";
        return s;
    }
    case json::type::string:
        return "a string";
    case json::type::array:
        return "an array";
    case json::type::object:
        return "an object";
    }
    return "a value";
}

// ---- the emulator's own request rules ----------------------------------------------------------
//
// Written from the service's documentation (the battle pages' field tables and samples, the REST
// overview, the Live limits), not with the library's validator: a stand-in that shared the
// library's checks could not catch their mistakes. tools/lint.py fails when the emulator reaches
// the library's request rules (endpoint/validator.hpp, endpoint.hpp, battle.hpp, sans_io.hpp,
// client.hpp). Each rule below says where it comes from: [doc] the documentation, [emulator] an
// assumption where the documentation is silent.

/// The most bytes a room ID has [doc: Live limits, create_room and client error -2105].
inline constexpr std::size_t emulator_max_room_id_bytes = 48;
/// The most rooms ToRoomIdList or ScoreList may name [emulator: no limit is documented; a
/// co-host connection holds at most 9 hosts, this only refuses runaway lists].
inline constexpr std::size_t emulator_max_rooms = 1000;
/// The longest Duration, in milliseconds [emulator: no limit is documented; the field tables'
/// Integer taken as 32-bit signed].
inline constexpr std::int64_t emulator_max_duration_ms = 2147483647;
/// The largest score magnitude [emulator: no limit is documented; 2^53-1, what a JSON number
/// holds exactly in every reader].
inline constexpr std::int64_t emulator_max_score = (INT64_C(1) << 53) - 1;

/// A create_battle body as the emulator reads it.
struct emulator_create_request {
    std::string from_room;
    std::vector<std::string> to_rooms;
    std::int64_t duration_ms = 0;
    std::string extension_info;
};

/// A get_battle_info body as the emulator reads it ("" for a field not given).
struct emulator_get_request {
    std::string battle_id, room_id;
};

/// A set_battle_score body as the emulator reads it.
struct emulator_set_request {
    struct score {
        std::string room_id;
        std::int64_t value = 0;
    };
    std::string battle_id;
    bool add = true; // OpType 1 (add), else 2 (overwrite)
    std::vector<score> scores;
};

/// `field[i]`.
inline std::string emulator_indexed(std::string_view field, std::size_t i) {
    std::string f(field);
    f += '[';
    f += std::to_string(i);
    f += ']';
    return f;
}

/// An integer literal (an optional minus, digits; no fraction, no exponent) that fits in
/// int64_t, read from its JSON text.
inline bool emulator_integer_literal(std::string_view text, std::int64_t& out) noexcept {
    const bool negative = !text.empty() && text.front() == '-';
    if (negative) text.remove_prefix(1);
    if (text.empty() || text.size() > 19) return false;
    std::uint64_t v = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return false;
        v = v * 10 + static_cast<std::uint64_t>(c - '0');
    }
    const std::uint64_t limit =
        negative ? UINT64_C(9223372036854775808) : UINT64_C(9223372036854775807);
    if (v > limit) return false;
    out = negative ? static_cast<std::int64_t>(0 - v) : static_cast<std::int64_t>(v);
    return true;
}

/// Reads a request body by the emulator's rules. Unknown members are ignored and null counts as
/// absent [emulator]; the first wrong field, in the order of the field tables, is the problem:
/// "<Field> is required", "<Field> must be <type>, not <what it is>" or "<Field>: <rule>".
class emulator_body_reader {
  public:
    explicit emulator_body_reader(std::string& problem) : problem_(problem) {}

    bool ok() const noexcept { return problem_.empty(); }

    /// The member `key` of `obj`, or a missing value for an absent or null one.
    static json::value member(json::value obj, std::string_view key) {
        json::value v = obj[key];
        return v.is_null() ? json::value() : v;
    }

    /// Sets the problem (the first one counts); false.
    bool fail(std::string_view field, std::string_view what) {
        if (ok()) {
            problem_.assign(field);
            problem_ += what;
        }
        return false;
    }

    bool required(json::value v, std::string_view field) {
        if (!ok()) return false;
        return v.exists() || fail(field, " is required");
    }

    bool wrong(std::string_view field, std::string_view expected, json::value v) {
        return fail(field,
                    " must be " + std::string(expected) + ", not " + emulator_describe_json(v));
    }

    bool string(json::value v, std::string_view field, std::string& out) {
        if (!ok()) return false;
        if (!v.is_string()) return wrong(field, "a string", v);
        out.assign(v.as_string());
        return true;
    }

    /// An Integer of the field tables: a JSON number written as an integer.
    bool integer(json::value v, std::string_view field, std::int64_t& out) {
        if (!ok()) return false;
        if (v.kind() != json::type::number || !emulator_integer_literal(v.number_text(), out))
            return wrong(field, "an integer", v);
        return true;
    }

    /// An Array of the field tables with 1 to emulator_max_rooms entries; its size.
    bool room_list(json::value v, std::string_view field, std::size_t& n) {
        if (!ok()) return false;
        if (!v.is_array()) return wrong(field, "an array", v);
        n = v.size();
        if (n == 0) return fail(field, ": must list at least one room");
        if (n > emulator_max_rooms)
            return fail(field, ": lists " + std::to_string(n) +
                                   " rooms; the emulator takes at most " +
                                   std::to_string(emulator_max_rooms));
        return true;
    }

    /// A room ID [doc]: a string of 1 to 48 bytes, each printable ASCII (0x20-0x7E).
    bool room_id(json::value v, std::string_view field, std::string& out) {
        if (!string(v, field, out)) return false;
        if (out.empty()) return fail(field, ": must not be empty");
        if (out.size() > emulator_max_room_id_bytes)
            return fail(field, ": " + emulator_quote(out) + " is " + std::to_string(out.size()) +
                                   " bytes; a room ID has at most " +
                                   std::to_string(emulator_max_room_id_bytes));
        for (char c : out)
            if (c < 0x20 || c > 0x7E)
                return fail(field, ": " + emulator_quote(out) +
                                       " has a byte outside printable ASCII (0x20-0x7E)");
        return true;
    }

    /// A BattleId [doc: an opaque String]: any non-empty string.
    bool battle_id(json::value v, std::string_view field, std::string& out) {
        if (!string(v, field, out)) return false;
        return !out.empty() || fail(field, ": must not be empty");
    }

  private:
    std::string& problem_;
};

/// create_battle [doc]: FromRoomId String required, ToRoomIdList Array<String> required,
/// Duration Integer required (milliseconds), ExtensionInfo String optional.
inline void emulator_read_body(json::value root, emulator_create_request& r, std::string& problem) {
    emulator_body_reader rd(problem);
    json::value v = emulator_body_reader::member(root, "FromRoomId");
    if (rd.required(v, "FromRoomId")) rd.room_id(v, "FromRoomId", r.from_room);
    v = emulator_body_reader::member(root, "ToRoomIdList");
    std::size_t n = 0;
    if (rd.required(v, "ToRoomIdList") && rd.room_list(v, "ToRoomIdList", n)) {
        r.to_rooms.reserve(n);
        std::size_t i = 0;
        for (json::value e : v) {
            const std::string field = emulator_indexed("ToRoomIdList", i++);
            std::string id;
            if (!rd.room_id(e, field, id)) break;
            // [emulator] A room named twice, or the caller named as a callee: refused, as no
            // room can face itself (the documentation says nothing of either).
            if (id == r.from_room) {
                rd.fail(field, ": " + emulator_quote(id) + " is the same room as FromRoomId");
                break;
            }
            const auto seen = std::find(r.to_rooms.begin(), r.to_rooms.end(), id);
            if (seen != r.to_rooms.end()) {
                rd.fail(field,
                        ": " + emulator_quote(id) + " repeats " +
                            emulator_indexed("ToRoomIdList",
                                             static_cast<std::size_t>(seen - r.to_rooms.begin())));
                break;
            }
            r.to_rooms.push_back(std::move(id));
        }
    }
    v = emulator_body_reader::member(root, "Duration");
    if (rd.required(v, "Duration") && rd.integer(v, "Duration", r.duration_ms)) {
        // [doc] a PK duration, in milliseconds: positive. [emulator] at most 2^31-1.
        if (r.duration_ms <= 0)
            rd.fail("Duration", ": " + std::to_string(r.duration_ms) + " ms must be positive");
        else if (r.duration_ms > emulator_max_duration_ms)
            rd.fail("Duration", ": " + std::to_string(r.duration_ms) + " ms is over " +
                                    std::to_string(emulator_max_duration_ms) +
                                    " (a 32-bit Integer)");
    }
    v = emulator_body_reader::member(root, "ExtensionInfo");
    if (v.exists()) rd.string(v, "ExtensionInfo", r.extension_info); // [doc] no limit given
}

/// get_battle_info [doc]: BattleId String; the 2025 pages also take RoomId String, "when you
/// don't know the BattleId", to find the battle the room is in now. [emulator] One of the two,
/// not both.
inline void emulator_read_body(json::value root, emulator_get_request& r, std::string& problem) {
    emulator_body_reader rd(problem);
    const json::value id = emulator_body_reader::member(root, "BattleId");
    const json::value room = emulator_body_reader::member(root, "RoomId");
    if (id.exists()) rd.battle_id(id, "BattleId", r.battle_id);
    if (room.exists()) rd.room_id(room, "RoomId", r.room_id);
    if (!rd.ok()) return;
    if (!id.exists() && !room.exists()) rd.fail("BattleId", ": give a BattleId or a RoomId");
    if (id.exists() && room.exists())
        rd.fail("BattleId", ": give a BattleId or a RoomId, not both");
}

/// set_battle_score [doc]: BattleId String required; OpType required, 1 (add) or 2
/// (overwrite), typed String in the table but a number in the sample (either is taken);
/// ScoreList Array required of {RoomId String, Score Integer}.
inline void emulator_read_body(json::value root, emulator_set_request& r, std::string& problem) {
    emulator_body_reader rd(problem);
    json::value v = emulator_body_reader::member(root, "BattleId");
    if (rd.required(v, "BattleId")) rd.battle_id(v, "BattleId", r.battle_id);
    v = emulator_body_reader::member(root, "OpType");
    if (rd.required(v, "OpType")) {
        std::int64_t op = 0;
        if (v.is_string()) {
            const std::string_view s = v.as_string();
            if (s == "1" || s == "2")
                op = s[0] - '0';
            else
                rd.fail("OpType",
                        " must be 1 (add) or 2 (overwrite), not the string " + emulator_quote(s));
        } else if (v.kind() == json::type::number &&
                   emulator_integer_literal(v.number_text(), op)) {
            if (op != 1 && op != 2)
                rd.fail("OpType",
                        ": " + std::to_string(op) + " is neither 1 (add) nor 2 (overwrite)");
        } else {
            rd.wrong("OpType", "1 (add) or 2 (overwrite)", v);
        }
        r.add = op == 1;
    }
    v = emulator_body_reader::member(root, "ScoreList");
    std::size_t n = 0;
    if (rd.required(v, "ScoreList") && rd.room_list(v, "ScoreList", n)) {
        r.scores.reserve(n);
        std::size_t i = 0;
        for (json::value e : v) {
            const std::string path = emulator_indexed("ScoreList", i++);
            if (!e.is_object()) {
                rd.wrong(path, "an object", e);
                break;
            }
            emulator_set_request::score s;
            const json::value id = emulator_body_reader::member(e, "RoomId");
            const json::value sc = emulator_body_reader::member(e, "Score");
            if (rd.required(id, path + ".RoomId")) rd.room_id(id, path + ".RoomId", s.room_id);
            if (rd.required(sc, path + ".Score") && rd.integer(sc, path + ".Score", s.value) &&
                (s.value > emulator_max_score || s.value < -emulator_max_score))
                rd.fail(path + ".Score", ": " + std::to_string(s.value) + " is beyond +/-(2^53-1)");
            if (!rd.ok()) break;
            r.scores.push_back(std::move(s));
        }
    }
}

/// A set_callback or update_callback body as the emulator reads it.
struct emulator_callback_request {
    std::string url;
    std::vector<std::string> commands;
};

/// A set_callback_token body as the emulator reads it.
struct emulator_token_request {
    std::optional<std::string> token;
    std::optional<bool> enabled;
};

/// The most entries of CallbackCommandList [emulator: no limit is documented].
inline constexpr std::size_t emulator_max_callback_commands = 100;

/// set_callback, update_callback [doc]: Url String required, starting with http:// or
/// https://; CallbackCommandList Array required, of command words (String). [emulator] Any
/// non-empty command word is kept (the service has others than the battle ones); at most 100.
inline void emulator_read_body(json::value root, emulator_callback_request& r,
                               std::string& problem) {
    emulator_body_reader rd(problem);
    json::value v = emulator_body_reader::member(root, "Url");
    if (rd.required(v, "Url") && rd.string(v, "Url", r.url) && r.url.rfind("http://", 0) != 0 &&
        r.url.rfind("https://", 0) != 0)
        rd.fail("Url", ": " + emulator_quote(r.url) + " must start with http:// or https://");
    v = emulator_body_reader::member(root, "CallbackCommandList");
    if (!rd.required(v, "CallbackCommandList")) return;
    if (!v.is_array()) {
        rd.wrong("CallbackCommandList", "an array", v);
        return;
    }
    if (v.size() > emulator_max_callback_commands) {
        rd.fail("CallbackCommandList", ": lists " + std::to_string(v.size()) +
                                           " commands; the emulator takes at most " +
                                           std::to_string(emulator_max_callback_commands));
        return;
    }
    std::size_t i = 0;
    for (json::value e : v) {
        const std::string field = emulator_indexed("CallbackCommandList", i++);
        std::string c;
        if (!rd.string(e, field, c)) return;
        if (c.empty()) {
            rd.fail(field, ": must not be empty");
            return;
        }
        r.commands.push_back(std::move(c));
    }
}

/// set_callback_token [doc]: Token String of 1 to 128 characters, IsTokenEnable Bool (both
/// required the first time: checked by the caller). The Token is never quoted.
inline void emulator_read_body(json::value root, emulator_token_request& r, std::string& problem) {
    emulator_body_reader rd(problem);
    json::value v = emulator_body_reader::member(root, "Token");
    if (v.exists()) {
        std::string t;
        if (!rd.string(v, "Token", t)) return;
        std::size_t chars = 0;
        for (char c : t)
            if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++chars;
        if (chars < 1 || chars > 128) {
            rd.fail("Token",
                    ": has " + std::to_string(chars) + " characters; 1 to 128 are accepted");
            return;
        }
        r.token = std::move(t);
    }
    v = emulator_body_reader::member(root, "IsTokenEnable");
    if (v.exists()) {
        bool b = false;
        if (!v.is_bool() || !v.get(b)) {
            rd.wrong("IsTokenEnable", "a boolean", v);
            return;
        }
        r.enabled = b;
    }
}

/// Why a request body was not read: too large for the emulator's document (its limits), which
/// says nothing of whether it is valid JSON, or not valid JSON.
inline std::string emulator_body_refusal(const json::document& doc, const json::parse_error& e) {
    const json::limits& l = doc.limits();
    std::string limit;
    switch (doc.error()) {
    case json::build_error::input_too_large:
        limit = std::to_string(l.max_input) + " bytes of JSON";
        break;
    case json::build_error::too_many_nodes:
        limit = std::to_string(l.max_nodes) + " values";
        break;
    case json::build_error::string_too_long:
        limit = std::to_string(l.max_string) + " bytes in one string";
        break;
    case json::build_error::depth_exceeded:
        limit = std::to_string(l.max_depth) + " levels of nesting";
        break;
    case json::build_error::none:
    case json::build_error::duplicate_key:
    case json::build_error::invalid_utf8:
    case json::build_error::invalid_number:
    case json::build_error::structure:
    case json::build_error::syntax:
        return "the request body is not valid JSON: " + std::string(e.message) + " at byte " +
               std::to_string(e.offset);
    }
    return "the request body is too large for the emulator to read (" + std::string(e.message) +
           " at byte " + std::to_string(e.offset) + "; it reads at most " + limit +
           "), so whether it is valid JSON was not judged";
}

inline std::string emulator_html_page(int status) {
    const char* phrase = "Error";
    switch (status) {
    case 500:
        phrase = "Internal Server Error";
        break;
    case 502:
        phrase = "Bad Gateway";
        break;
    case 503:
        phrase = "Service Unavailable";
        break;
    case 504:
        phrase = "Gateway Timeout";
        break;
    default:
        break;
    }
    std::string title = std::to_string(status) + " " + phrase;
    return "<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n<center><h1>" + title +
           "</h1></center>\r\n<hr><center>stgw</center>\r\n</body>\r\n</html>\r\n";
}

} // namespace detail

namespace testing {

/// A local stand-in for the battle REST API. Sans-I/O: handle() takes a request's method,
/// target and body and returns the answer with delivery instructions; emulator_transport
/// (in-process) and emulator_server (loopback HTTP) carry it. Thread-safe: every member
/// function may be called concurrently (one mutex).
class emulator {
  public:
    /// A time on the emulator's clock, with millisecond resolution.
    using time_point =
        std::chrono::time_point<std::chrono::system_clock, std::chrono::milliseconds>;

    /// get_battle_info Status of a running battle (emulator assumption: undocumented).
    static constexpr int status_running = 2;
    /// get_battle_info Status of an ended battle (the only documented value).
    static constexpr int status_ended = 3;
    /// create_battle ResultCode of a room already in a battle.
    static constexpr int room_in_battle = 3;
    /// create_battle ResultCode of a room that had a system error.
    static constexpr int room_system_error = 5;
    /// set_battle_score ResultCode of a room not in the battle.
    static constexpr int room_not_in_battle = 1;

    /// An emulator with `options`, following the system clock.
    explicit emulator(emulator_options options)
        : options_(std::move(options)), hmac_(options_.secret_key),
          random_(options_.random_seed != 0 ? options_.random_seed : os_seed()) {}

    emulator(const emulator&) = delete;
    emulator& operator=(const emulator&) = delete;

    /// The options it was made with.
    const emulator_options& options() const noexcept { return options_; }

    // ---- the service ------------------------------------------------------------------------

    /// Handles one request: `method`, `target` (path and query, as on the request line) and
    /// `body`. Never fails: every input gets an answer (see the file comment for the checks).
    /// @return the response and how to deliver it (a fault, a delay).
    emulator_reply handle(std::string_view method, std::string_view target, std::string_view body) {
        detail::lock_guard lock(mutex_);
        const std::uint64_t seq = ++requests_;
        const std::string request_id = make_request_id(seq);
        std::chrono::milliseconds delay{0};
        auto it = faults_.find(seq);
        if (it != faults_.end()) {
            const fault f = it->second;
            faults_.erase(it);
            emulator_reply out;
            switch (f.kind) {
            case fault_kind::none:
                break;
            case fault_kind::http_status:
                out.response = {f.code, detail::emulator_html_page(f.code)};
                out.content_type = "text/html";
                return out;
            case fault_kind::service_error: {
                const service_error_info* info = find_service_error(f.code);
                out.response = {
                    200, failure_body(f.code, info ? info->meaning : "injected error", request_id)};
                return out;
            }
            case fault_kind::garbage_body:
                out.response = {200, "<<<\x01 not JSON \xFF>>> {\"ErrorCode\":"};
                return out;
            case fault_kind::truncated_body:
                out.response = {200, failure_body(100001, "injected truncated answer", request_id)};
                out.fault = fault_kind::truncated_body;
                return out;
            case fault_kind::close_without_answer:
                out.fault = fault_kind::close_without_answer;
                return out;
            case fault_kind::slow_answer:
                delay = f.delay.count() > 0 ? f.delay : std::chrono::milliseconds(0);
                break;
            }
        }
        emulator_reply out = process(method, target, body, request_id);
        out.delay = delay;
        return out;
    }

    /// handle() for a prepared request: the URL (any scheme) is split into its target. The
    /// delivery instructions are applied as far as a value can show them: a truncated body
    /// comes back cut in half, a closed connection as status 0 with an empty body; delays are
    /// not waited for.
    http_response handle(const http_request& req) {
        std::string target;
        if (!detail::emulator_url_target(req.url, target)) target = req.url;
        emulator_reply r = handle(req.method, target, req.body);
        if (r.fault == fault_kind::truncated_body)
            r.response.body.resize(r.response.body.size() / 2);
        else if (r.fault == fault_kind::close_without_answer)
            r.response = http_response{0, {}};
        return std::move(r.response);
    }

    // ---- the clock --------------------------------------------------------------------------

    /// Stops following the system clock: the time is `t` until changed.
    void set_time(unix_time t) {
        set_time(time_point(std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::seconds(std::clamp<std::int64_t>(to_unix_seconds(t), -(INT64_C(1) << 52),
                                                          INT64_C(1) << 52)))));
    }
    /// Stops following the system clock: the time is `t` until changed.
    void set_time(time_point t) {
        detail::lock_guard lock(mutex_);
        manual_ = true;
        manual_ms_ = t.time_since_epoch().count();
    }
    /// Moves the clock forward by `d` (backward when negative). When following the system
    /// clock, it keeps following it, `d` ahead.
    void advance(std::chrono::milliseconds d) {
        detail::lock_guard lock(mutex_);
        if (manual_)
            manual_ms_ = detail::emulator_saturating_add(manual_ms_, d.count());
        else
            offset_ms_ = detail::emulator_saturating_add(offset_ms_, d.count());
    }
    /// Follows the system clock again (the default), with no offset.
    void use_system_clock() {
        detail::lock_guard lock(mutex_);
        manual_ = false;
        offset_ms_ = 0;
    }
    /// The emulator's current time.
    time_point now() const {
        detail::lock_guard lock(mutex_);
        return time_point(std::chrono::milliseconds(now_ms()));
    }

    // ---- faults and rooms -------------------------------------------------------------------

    /// Injects `f` into request number `request_number` (1-based count of the requests this
    /// emulator receives; see requests_received()). Replaces a fault already set for it;
    /// ignored for a request already received.
    void inject(std::size_t request_number, fault f) {
        detail::lock_guard lock(mutex_);
        if (request_number <= requests_) return;
        faults_[request_number] = f;
    }
    /// Injects `f` into the next request that has no fault yet: called twice in a row, it
    /// faults the next two requests.
    void inject_next(fault f) {
        detail::lock_guard lock(mutex_);
        std::uint64_t n = requests_ + 1;
        while (faults_.count(n) != 0) ++n;
        faults_[n] = f;
    }
    /// Removes every pending fault.
    void clear_faults() {
        detail::lock_guard lock(mutex_);
        faults_.clear();
    }
    /// While `enabled`, invitations of `room` as a callee fail with ResultCode 5 (system
    /// error).
    void fault_room_system_error(std::string room, bool enabled = true) {
        detail::lock_guard lock(mutex_);
        if (enabled)
            system_error_rooms_.insert(std::move(room));
        else
            system_error_rooms_.erase(room);
    }
    /// The Owner_Account reported for `room` (else emulator_options::default_owner).
    void set_room_owner(std::string room, std::string owner) {
        detail::lock_guard lock(mutex_);
        owners_[std::move(room)] = std::move(owner);
    }

    // ---- inspection -------------------------------------------------------------------------

    /// Requests received so far, faulted ones included.
    std::size_t requests_received() const {
        detail::lock_guard lock(mutex_);
        return static_cast<std::size_t>(requests_);
    }
    /// Every battle created, running or ended, in creation order.
    std::vector<battle_view> battles() const {
        detail::lock_guard lock(mutex_);
        const std::int64_t now = now_ms();
        std::vector<battle_view> out;
        out.reserve(battles_.size());
        for (const battle& b : battles_) out.push_back(view(b, now));
        return out;
    }
    /// The number of battles created.
    std::size_t battles_created() const {
        detail::lock_guard lock(mutex_);
        return battles_.size();
    }
    /// The battle `room` is in now, if any.
    std::optional<battle_view> battle_of_room(std::string_view room) const {
        detail::lock_guard lock(mutex_);
        const std::int64_t now = now_ms();
        const battle* b = running_battle_of(room, now);
        if (b == nullptr) return std::nullopt;
        return view(*b, now);
    }
    /// The battle with `battle_id`, if it exists.
    std::optional<battle_view> find_battle(std::string_view battle_id) const {
        detail::lock_guard lock(mutex_);
        auto it = by_id_.find(std::string(battle_id));
        if (it == by_id_.end()) return std::nullopt;
        return view(battles_[it->second], now_ms());
    }
    /// Ends a running battle now, as when all its room owners exit (end reason 1). False when
    /// there is no such battle or it has already ended.
    bool end_battle(std::string_view battle_id) { return end_battle(battle_id, 1); }
    /// Ends a running battle now with OpType `op_type`: 1 all room owners left, 2 it never
    /// started (no callee joined); its End webhook is queued at once. False when there is no
    /// such battle, it has already ended, or `op_type` is neither 1 nor 2.
    bool end_battle(std::string_view battle_id, int op_type) {
        if (op_type != 1 && op_type != 2) return false;
        detail::lock_guard lock(mutex_);
        auto it = by_id_.find(std::string(battle_id));
        if (it == by_id_.end()) return false;
        battle& b = battles_[it->second];
        const std::int64_t now = now_ms();
        if (b.ended(now)) return false;
        b.forced_end = true;
        b.forced_end_ms = now;
        b.forced_reason = op_type;
        queue_end(it->second, now);
        return true;
    }

    // ---- webhooks ---------------------------------------------------------------------------

    /// The webhooks due, in order, removed from the queue: Create and Start of each battle
    /// created (queued with it), then its End once its Duration has passed on the emulator's
    /// clock (OpType 0, the final scores) or end_battle() ended it. Only for a configured
    /// URL (set_callback) whose CallbackCommandList has the command; signed while a token is
    /// enabled (set_callback_token). emulator_server delivers them from a thread of its own;
    /// in process, call this and deliver them yourself (or just look at them). The queue
    /// keeps the last 10000.
    std::vector<webhook_delivery> take_webhooks() {
        detail::lock_guard lock(mutex_);
        const std::int64_t now = now_ms();
        // Only the battles due are looked at: the REST side shares this lock.
        while (!end_due_.empty() && end_due_.top().first <= now) {
            const std::size_t index = end_due_.top().second;
            end_due_.pop();
            if (battles_[index].ended(now)) queue_end(index, now);
        }
        std::vector<webhook_delivery> out(std::make_move_iterator(outbox_.begin()),
                                          std::make_move_iterator(outbox_.end()));
        outbox_.clear();
        return out;
    }
    /// Configures the webhooks as set_callback (or update_callback) with `url` and `commands`
    /// (empty: the three battle webhooks), and set_callback_token with `token` enabled when it
    /// is not empty (else no token): what `trtc-battle serve --webhook-url` does at start.
    void configure_webhooks(std::string url, std::vector<std::string> commands = {},
                            std::string token = {}) {
        if (commands.empty())
            commands = {std::string(detail::emulator_webhook_create),
                        std::string(detail::emulator_webhook_start),
                        std::string(detail::emulator_webhook_end)};
        detail::lock_guard lock(mutex_);
        callback_ = callback_config{std::move(url), std::move(commands)};
        if (token.empty()) {
            token_.reset();
            token_enabled_ = false;
        } else {
            token_ = std::move(token);
            token_enabled_ = true;
        }
    }
    /// The configured webhook URL ("" when none) and commands.
    std::pair<std::string, std::vector<std::string>> webhook_config() const {
        detail::lock_guard lock(mutex_);
        if (!callback_) return {};
        return {callback_->url, callback_->commands};
    }
    /// Whether a webhook token is set and enabled.
    bool webhook_token_enabled() const {
        detail::lock_guard lock(mutex_);
        return token_.has_value() && token_enabled_;
    }

  private:
    enum api : std::size_t {
        api_create = 0,
        api_get = 1,
        api_set = 2,
        api_set_callback,
        api_update_callback,
        api_get_callback,
        api_delete_callback,
        api_set_token,
        api_get_token,
        api_delete_token,
        api_count
    };

    struct callback_config {
        std::string url;
        std::vector<std::string> commands;
    };

    struct battle {
        std::string id;
        std::vector<std::string> rooms; // [0] the caller, then the joined callees
        std::vector<std::int64_t> scores;
        std::int64_t start_ms = 0;
        std::int64_t duration_ms = 0;
        bool forced_end = false;
        std::int64_t forced_end_ms = 0;
        int forced_reason = 1;
        bool end_queued = false; // its End webhook was considered (queued if configured)
        std::string extension_info;

        std::int64_t scheduled_end() const noexcept {
            return detail::emulator_saturating_add(start_ms, duration_ms);
        }
        bool ended(std::int64_t now) const noexcept { return forced_end || now >= scheduled_end(); }
        std::int64_t end_ms() const noexcept {
            return forced_end ? forced_end_ms : scheduled_end();
        }
        std::int64_t start_s() const noexcept { return detail::emulator_floor_div(start_ms, 1000); }
        std::int64_t end_s() const noexcept {
            return forced_end ? detail::emulator_floor_div(forced_end_ms, 1000)
                              : detail::emulator_saturating_add(start_s(), duration_ms / 1000);
        }
        std::ptrdiff_t index_of(std::string_view room) const noexcept {
            for (std::size_t i = 0; i < rooms.size(); ++i)
                if (rooms[i] == room) return static_cast<std::ptrdiff_t>(i);
            return -1;
        }
    };

    struct bucket {
        bool started = false;
        double tokens = 0;
        std::int64_t last_ms = 0;
    };

    static std::uint64_t os_seed() noexcept {
        default_random r;
        std::uint64_t s = (static_cast<std::uint64_t>(r()) << 32) | r();
        return s != 0 ? s : 1;
    }

    std::int64_t now_ms() const noexcept {
        if (manual_) return manual_ms_;
        const std::int64_t sys = std::chrono::duration_cast<std::chrono::milliseconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count();
        return detail::emulator_saturating_add(sys, offset_ms_);
    }

    std::string make_request_id(std::uint64_t seq) {
        static constexpr char hex[] = "0123456789abcdef";
        std::string id = "Id-";
        for (int w = 0; w < 2; ++w) {
            std::uint64_t v = random_.next();
            for (int i = 0; i < 16; ++i, v >>= 4) id.push_back(hex[v & 15]);
        }
        id += "-O-Seq-";
        id += std::to_string(seq);
        return id;
    }

    std::string new_battle_id() {
        while (true) {
            unsigned char bytes[32];
            for (int w = 0; w < 4; ++w) {
                std::uint64_t v = random_.next();
                for (int i = 0; i < 8; ++i, v >>= 8)
                    bytes[w * 8 + i] = static_cast<unsigned char>(v & 0xFF);
            }
            std::string id = detail::base64_encode(
                std::string_view(reinterpret_cast<const char*>(bytes), sizeof bytes),
                detail::base64_alphabet::standard);
            if (by_id_.count(id) == 0) return id;
        }
    }

    static std::string failure_body(int code, std::string_view info, std::string_view request_id) {
        std::string out;
        json::writer w(out);
        w.begin_object();
        w.key("ActionStatus");
        w.string(code == 0 ? "OK" : "FAIL");
        w.key("ErrorInfo");
        w.string(info);
        w.key("ErrorCode");
        w.integer(code);
        w.key("RequestId");
        w.string(request_id);
        w.end_object();
        return out;
    }

    static emulator_reply failure(int code, std::string_view info, std::string_view request_id) {
        emulator_reply r;
        r.response = {200, failure_body(code, info, request_id)};
        return r;
    }

    // Starts a success envelope; the caller writes the members of Response, then calls
    // finish_success().
    static void begin_success(json::writer& w, std::string_view request_id) {
        w.begin_object();
        w.key("ActionStatus");
        w.string("OK");
        w.key("ErrorInfo");
        w.string("");
        w.key("ErrorCode");
        w.integer(0);
        w.key("RequestId");
        w.string(request_id);
        w.key("Response");
        w.begin_object();
    }
    static void finish_success(json::writer& w) {
        w.end_object();
        w.end_object();
    }

    const battle* running_battle_of(std::string_view room, std::int64_t now) const {
        auto it = room_battle_.find(std::string(room));
        if (it == room_battle_.end()) return nullptr;
        const battle& b = battles_[it->second];
        return b.ended(now) ? nullptr : &b;
    }

    battle_view view(const battle& b, std::int64_t now) const {
        battle_view v;
        v.battle_id = b.id;
        v.from_room = b.rooms.front();
        v.to_rooms.assign(b.rooms.begin() + 1, b.rooms.end());
        v.start_ms = b.start_ms;
        v.duration_ms = b.duration_ms;
        v.end_ms = b.end_ms();
        for (std::size_t i = 0; i < b.rooms.size(); ++i) v.scores[b.rooms[i]] = b.scores[i];
        v.ended = b.ended(now);
        v.end_reason = !v.ended ? -1 : (b.forced_end ? b.forced_reason : 0);
        v.extension_info = b.extension_info;
        return v;
    }

    const std::string& owner_of(const std::string& room) const {
        auto it = owners_.find(room);
        return it == owners_.end() ? options_.default_owner : it->second;
    }

    bool take_token(api a, std::int64_t now) {
        const double rate = options_.rate_limit_per_second;
        if (!(rate > 0)) return true;
        if (options_.sliding_window_limit) {
            // The times of the requests accepted in the last second, oldest first.
            std::deque<std::int64_t>& w = sliding_[a];
            if (!w.empty() && now < w.back()) w.clear(); // the clock went back
            while (!w.empty() && now - w.front() >= 1000) w.pop_front();
            const std::size_t most = rate < 2 ? 1 : static_cast<std::size_t>(rate);
            if (w.size() >= most) return false;
            w.push_back(now);
            return true;
        }
        const double capacity = rate < 1 ? 1 : rate;
        bucket& b = buckets_[a];
        if (!b.started) {
            b.started = true;
            b.tokens = capacity;
            b.last_ms = now;
        }
        if (now > b.last_ms) {
            const double refill = static_cast<double>(now - b.last_ms) * rate / 1000.0;
            b.tokens = (std::min)(capacity, b.tokens + refill);
            b.last_ms = now;
        } else if (now < b.last_ms) {
            b.last_ms = now; // the clock went back: refill from here
        }
        if (b.tokens < 1) return false;
        b.tokens -= 1;
        return true;
    }

    emulator_reply process(std::string_view method, std::string_view target, std::string_view body,
                           const std::string& rid) {
        using detail::emulator_quote;
        const std::int64_t now = now_ms();

        // 1-2. Method and path.
        if (method != "POST")
            return failure(60002,
                           "HTTP parse error: the method must be POST, not " +
                               emulator_quote(method, 16),
                           rid);
        const std::size_t q = target.find('?');
        const std::string_view path = target.substr(0, q);
        const std::string_view query =
            q == std::string_view::npos ? std::string_view() : target.substr(q + 1);
        api which = api_create;
        bool found = false;
        if (!path.empty() && path.front() == '/') {
            for (std::size_t i = 0; i < api_count && !found; ++i) {
                std::string suffix = i < detail::emulator_battle_commands
                                         ? "/v4/live_engine_http_pk/"
                                         : "/v4/live_config/";
                suffix += detail::emulator_commands[i];
                if (path.size() >= suffix.size() &&
                    path.substr(path.size() - suffix.size()) == suffix) {
                    which = static_cast<api>(i);
                    found = true;
                }
            }
        }
        if (!found)
            return failure(60009, "request resource error: no API at " + emulator_quote(path, 96),
                           rid);

        // 3-8. Query parameters.
        detail::emulator_query params;
        if (!detail::parse_emulator_query(query, params))
            return failure(60002, "HTTP parse error: the query string has a malformed %-escape",
                           rid);
        if (!params.sdkappid || params.sdkappid->empty())
            return failure(60012, "the URL has no sdkappid", rid);
        std::uint32_t sdkappid = 0;
        if (!detail::emulator_parse_u32(*params.sdkappid, sdkappid))
            return failure(60006,
                           "sdkappid " + emulator_quote(*params.sdkappid, 24) +
                               " is not a valid SDKAppID",
                           rid);
        if (sdkappid != options_.sdkappid)
            return failure(60006, "SDKAppID " + std::to_string(sdkappid) + " is invalid", rid);
        if (!params.identifier || params.identifier->empty())
            return failure(60025, "the URL has no identifier", rid);
        if (!params.usersig) return failure(60025, "the URL has no usersig", rid);
        std::uint32_t random = 0;
        if (!params.random) return failure(60025, "the URL has no random", rid);
        if (!detail::emulator_parse_u32(*params.random, random))
            return failure(60025,
                           "random " + emulator_quote(*params.random, 24) +
                               " is not an unsigned 32-bit integer",
                           rid);
        if (!params.contenttype || *params.contenttype != "json")
            return failure(60025,
                           params.contenttype
                               ? "contenttype " + emulator_quote(*params.contenttype, 24) +
                                     " is not json"
                               : std::string("the URL has no contenttype"),
                           rid);

        // 9-10. The UserSig (messages of the library's verifier never contain the sig).
        auto doc = decode_usersig(*params.usersig);
        if (!doc) return failure(doc.error().code.value(), doc.error().message, rid);
        const unix_time now_s = from_unix_seconds(detail::emulator_floor_div(now, 1000));
        auto checked = check_usersig(*doc, options_.sdkappid, *params.identifier, now_s, hmac_);
        if (!checked) {
            const error& e = checked.error();
            if (e.code.category() == service_category())
                return failure(e.code.value(), e.message, rid);
            return failure(70009, "UserSig verification failed", rid);
        }

        // 11. An App administrator.
        if (std::find(options_.admins.begin(), options_.admins.end(), *params.identifier) ==
            options_.admins.end())
            return failure(60010,
                           "identifier " + emulator_quote(*params.identifier) +
                               " is not an App administrator",
                           rid);

        // 12. The rate limit.
        if (!take_token(which, now))
            return failure(options_.rate_limit_code,
                           "REST call rate over the limit for " +
                               std::string(detail::emulator_commands[which]) +
                               ": reduce the call rate",
                           rid);

        // 13. The body.
        if (body.empty()) return failure(60003, "the request body is empty", rid);
        if (doc_.node_capacity() > 4096 || doc_.text_capacity() > (64u << 10))
            doc_ = json::document();
        doc_.clear();
        json::parse_error perr;
        if (!json::parse(body, doc_, perr))
            return failure(60003, detail::emulator_body_refusal(doc_, perr), rid);
        const json::value root = doc_.root();
        if (!root.is_object()) return failure(60003, "the request body is not a JSON object", rid);

        // 14-15. Fields, then the battle rules.
        switch (which) {
        case api_create:
            return do_create(root, rid, now, *params.identifier);
        case api_get:
            return do_get(root, rid, now);
        case api_set:
            return do_set(root, rid, now);
        case api_set_callback:
        case api_update_callback:
        case api_get_callback:
        case api_delete_callback:
        case api_set_token:
        case api_get_token:
        case api_delete_token:
            return do_config(which, root, rid);
        case api_count:
            break;
        }
        return failure(60009, "request resource error", rid);
    }

    template <class Request>
    static bool read_request(json::value root, Request& r, std::string& problem) {
        detail::emulator_read_body(root, r, problem);
        return problem.empty();
    }

    emulator_reply do_create(json::value root, const std::string& rid, std::int64_t now,
                             const std::string& identifier) {
        using detail::emulator_quote;
        detail::emulator_create_request r;
        std::string problem;
        if (!read_request(root, r, problem)) return failure(100002, problem, rid);

        if (running_battle_of(r.from_room, now) != nullptr)
            return failure(
                100415,
                "the caller room " + emulator_quote(r.from_room) + " is already in a battle", rid);
        std::vector<int> codes(r.to_rooms.size(), 0);
        bool all_busy = true, any_joined = false;
        for (std::size_t i = 0; i < r.to_rooms.size(); ++i) {
            const std::string& room = r.to_rooms[i];
            if (running_battle_of(room, now) != nullptr) {
                codes[i] = room_in_battle;
                continue;
            }
            all_busy = false;
            if (system_error_rooms_.count(room) != 0) {
                codes[i] = room_system_error;
            } else {
                any_joined = true;
            }
        }
        if (all_busy) return failure(100412, "every callee room is already in a battle", rid);
        if (!any_joined)
            return failure(100001, "system error: no callee room could be invited", rid);

        battle b;
        b.id = new_battle_id();
        b.start_ms = now;
        b.duration_ms = r.duration_ms;
        b.extension_info = r.extension_info;
        b.rooms.push_back(r.from_room);
        for (std::size_t i = 0; i < r.to_rooms.size(); ++i)
            if (codes[i] == 0) b.rooms.push_back(r.to_rooms[i]);
        b.scores.assign(b.rooms.size(), 0);
        const std::size_t index = battles_.size();
        by_id_.emplace(b.id, index);
        for (const std::string& room : b.rooms) room_battle_[room] = index;
        battles_.push_back(std::move(b));
        write_create_and_start(index, r.to_rooms, identifier, now);
        end_due_.emplace(battles_[index].scheduled_end(), index);

        emulator_reply out;
        out.response.status = 200;
        json::writer w(out.response.body);
        begin_success(w, rid);
        w.key("BattleId");
        w.string(battles_.back().id);
        w.key("Result");
        w.begin_array();
        for (std::size_t i = 0; i < r.to_rooms.size(); ++i) {
            w.begin_object();
            w.key("RoomId");
            w.string(r.to_rooms[i]);
            w.key("ResultCode");
            w.integer(codes[i]);
            w.key("ResultMessage");
            w.string(codes[i] == room_in_battle      ? "the room is already in a battle"
                     : codes[i] == room_system_error ? "system error"
                                                     : "");
            w.end_object();
        }
        w.end_array();
        finish_success(w);
        return out;
    }

    emulator_reply do_get(json::value root, const std::string& rid, std::int64_t now) {
        using detail::emulator_quote;
        detail::emulator_get_request r;
        std::string problem;
        if (!read_request(root, r, problem)) return failure(100002, problem, rid);

        const battle* b = nullptr;
        if (!r.battle_id.empty()) {
            auto it = by_id_.find(r.battle_id);
            if (it == by_id_.end())
                return failure(options_.unknown_battle_code,
                               "battle " + emulator_quote(r.battle_id) + " does not exist", rid);
            b = &battles_[it->second];
        } else {
            b = running_battle_of(r.room_id, now);
            if (b == nullptr)
                return failure(options_.unknown_battle_code,
                               "room " + emulator_quote(r.room_id) + " is not in a battle", rid);
        }

        emulator_reply out;
        out.response.status = 200;
        json::writer w(out.response.body);
        begin_success(w, rid);
        w.key("BattleId");
        w.string(b->id);
        w.key("Duration");
        w.integer(b->duration_ms);
        w.key("StartTime");
        w.integer(b->start_s());
        w.key("EndTime");
        w.integer(b->end_s());
        w.key("Status");
        w.integer(b->ended(now) ? status_ended : status_running);
        auto room = [&](std::size_t i) {
            w.begin_object();
            w.key("RoomId");
            w.string(b->rooms[i]);
            w.key("Score");
            w.integer(b->scores[i]);
            w.key("Owner_Account");
            w.string(owner_of(b->rooms[i]));
            w.end_object();
        };
        w.key("FromRoomInfo");
        room(0);
        w.key("ToRoomList");
        w.begin_array();
        for (std::size_t i = 1; i < b->rooms.size(); ++i) room(i);
        w.end_array();
        finish_success(w);
        return out;
    }

    emulator_reply do_set(json::value root, const std::string& rid, std::int64_t now) {
        using detail::emulator_quote;
        detail::emulator_set_request r;
        std::string problem;
        if (!read_request(root, r, problem)) return failure(100002, problem, rid);

        auto it = by_id_.find(r.battle_id);
        if (it == by_id_.end())
            return failure(options_.unknown_battle_code,
                           "battle " + emulator_quote(r.battle_id) + " does not exist", rid);
        battle& b = battles_[it->second];
        if (b.ended(now) && options_.ended_battle_score_code != 0)
            return failure(options_.ended_battle_score_code,
                           "BattleId: battle " + emulator_quote(r.battle_id) + " has ended", rid);

        std::vector<int> codes(r.scores.size(), 0);
        for (std::size_t i = 0; i < r.scores.size(); ++i) {
            const std::ptrdiff_t k = b.index_of(r.scores[i].room_id);
            if (k < 0) {
                codes[i] = room_not_in_battle;
                continue;
            }
            std::int64_t& score = b.scores[static_cast<std::size_t>(k)];
            score = r.add ? detail::emulator_saturating_add(score, r.scores[i].value)
                          : r.scores[i].value;
        }

        emulator_reply out;
        out.response.status = 200;
        json::writer w(out.response.body);
        begin_success(w, rid);
        w.key("Result");
        w.begin_array();
        for (std::size_t i = 0; i < r.scores.size(); ++i) {
            w.begin_object();
            w.key("RoomId");
            w.string(r.scores[i].room_id);
            w.key("ResultCode");
            w.integer(codes[i]);
            w.end_object();
        }
        w.end_array();
        finish_success(w);
        return out;
    }

    static emulator_reply success(std::string_view rid) {
        emulator_reply out;
        out.response.status = 200;
        json::writer w(out.response.body);
        w.begin_object();
        w.key("ActionStatus");
        w.string("OK");
        w.key("ErrorInfo");
        w.string("");
        w.key("ErrorCode");
        w.integer(0);
        w.key("RequestId");
        w.string(rid);
        w.end_object();
        return out;
    }

    // The webhook configuration APIs of v4/live_config [doc], for the emulator's SDKAppID.
    emulator_reply do_config(api which, json::value root, const std::string& rid) {
        std::string problem;
        switch (which) {
        case api_set_callback:
        case api_update_callback: {
            detail::emulator_callback_request r;
            if (!read_request(root, r, problem)) return failure(100002, problem, rid);
            if (which == api_set_callback && callback_)
                return failure(100300, "the webhook configuration exists already", rid);
            if (which == api_update_callback && !callback_)
                return failure(100301, "the webhook configuration does not exist", rid);
            callback_ = callback_config{std::move(r.url), std::move(r.commands)};
            return success(rid);
        }
        case api_get_callback: {
            // [emulator] no configuration: 100301, as update_callback answers.
            if (!callback_) return failure(100301, "the webhook configuration does not exist", rid);
            emulator_reply out;
            out.response.status = 200;
            json::writer w(out.response.body);
            begin_success(w, rid);
            w.key("Url");
            w.string(callback_->url);
            w.key("CallbackCommandList");
            w.begin_array();
            for (const std::string& c : callback_->commands) w.string(c);
            w.end_array();
            finish_success(w);
            return out;
        }
        case api_delete_callback:
            callback_.reset();
            return success(rid);
        case api_set_token: {
            detail::emulator_token_request r;
            if (!read_request(root, r, problem)) return failure(100002, problem, rid);
            if (!token_ && (!r.token || !r.enabled))
                return failure(
                    100002, "Token and IsTokenEnable are both required when no token is set", rid);
            if (!r.token && !r.enabled)
                return failure(100002, "give Token, IsTokenEnable or both", rid);
            if (r.token) token_ = std::move(*r.token);
            if (r.enabled) token_enabled_ = *r.enabled;
            return success(rid);
        }
        case api_get_token: {
            if (!token_)
                return failure(100302, "the webhook token configuration does not exist", rid);
            emulator_reply out;
            out.response.status = 200;
            json::writer w(out.response.body);
            begin_success(w, rid);
            w.key("Token");
            w.string(*token_);
            w.key("IsTokenEnable");
            w.boolean(token_enabled_);
            finish_success(w);
            return out;
        }
        case api_delete_token:
            token_.reset();
            token_enabled_ = false;
            return success(rid);
        case api_create:
        case api_get:
        case api_set:
        case api_count:
            break;
        }
        return failure(60009, "request resource error", rid);
    }

    // ---- webhooks: written here from the documentation, not with trtc/webhooks.hpp, so that
    // the receiver's tests check it against an independent sender.

    void write_owner(json::writer& w, const std::string& room) const {
        const std::string& owner = owner_of(room);
        w.key("Owner_Account");
        if (options_.webhook_owner_account_as_number && !owner.empty() && owner.size() <= 19 &&
            owner.find_first_not_of("0123456789") == std::string::npos) {
            std::uint64_t v = 0;
            for (char c : owner) v = v * 10 + static_cast<std::uint64_t>(c - '0');
            w.unsigned_integer(v);
        } else {
            w.string(owner);
        }
    }

    void write_room(json::writer& w, const battle& b, std::size_t i, bool with_score) const {
        w.begin_object();
        w.key("RoomId");
        w.string(b.rooms[i]);
        if (with_score) {
            w.key("Score");
            w.integer(b.scores[i]);
        }
        write_owner(w, b.rooms[i]);
        w.end_object();
    }

    // The members the Start and End webhooks begin with [doc: their samples].
    static void write_started_head(json::writer& w, std::string_view command, const battle& b) {
        w.key("CallbackCommand");
        w.string(command);
        w.key("BattleId");
        w.string(b.id);
        w.key("Duration");
        w.integer(b.duration_ms);
        w.key("CreateTime");
        w.integer(b.start_s());
        w.key("StartTime");
        w.integer(b.start_s());
    }

    void write_rooms(json::writer& w, const battle& b, bool with_score) const {
        w.key("FromRoomInfo");
        write_room(w, b, 0, with_score);
        w.key("ToRoomList");
        w.begin_array();
        for (std::size_t i = 1; i < b.rooms.size(); ++i) write_room(w, b, i, with_score);
        w.end_array();
    }

    // Queues `body` for `command` when the configuration enables it, with the URL's query
    // [doc]: SdkAppid, CallbackCommand, contenttype, ClientIP, OptPlatform, then Sign and
    // RequestTime while a token is enabled.
    void enqueue(std::string_view command, const battle& b, std::string body, std::int64_t now) {
        if (!callback_) return;
        if (std::find(callback_->commands.begin(), callback_->commands.end(), command) ==
            callback_->commands.end())
            return;
        webhook_delivery d;
        d.command = std::string(command);
        d.battle_id = b.id;
        d.url = callback_->url;
        d.url += d.url.find('?') == std::string::npos ? '?' : '&';
        d.url += "SdkAppid=" + std::to_string(options_.sdkappid) + "&CallbackCommand=";
        d.url += command;
        d.url += "&contenttype=json&ClientIP=127.0.0.1&OptPlatform=RESTAPI";
        if (token_ && token_enabled_) {
            const std::string t = std::to_string(detail::emulator_floor_div(now, 1000));
            // [doc: the Sign of a webhook is the lower-case hex sha256(Token + RequestTime)]
            d.url += "&Sign=" + detail::sha256_hex(detail::sha256::hash(*token_ + t)) +
                     "&RequestTime=" + t;
        }
        d.body = std::move(body);
        outbox_.push_back(std::move(d));
        while (outbox_.size() > 10000) outbox_.pop_front();
    }

    void write_create_and_start(std::size_t index, const std::vector<std::string>& requested,
                                const std::string& identifier, std::int64_t now) {
        const battle& b = battles_[index];
        std::string body;
        {
            json::writer w(body);
            w.begin_object();
            w.key("CallbackCommand");
            w.string(detail::emulator_webhook_create);
            w.key("Operator_Account");
            w.string(identifier);
            w.key("BattleId");
            w.string(b.id);
            w.key("FromRoomId");
            w.string(b.rooms.front());
            w.key("ToRoomIdList");
            w.begin_array();
            for (const std::string& room : requested) w.string(room);
            w.end_array();
            // [emulator] a REST-created battle does not wait for callees: Timeout 0,
            // NeedResponse false (undocumented for REST).
            w.key("Timeout");
            w.integer(0);
            w.key("Duration");
            w.integer(b.duration_ms);
            w.key("NeedResponse");
            w.boolean(false);
            w.key("ExtensionInfo");
            w.string(b.extension_info);
            w.key("EventTime");
            w.integer(now);
            w.end_object();
        }
        enqueue(detail::emulator_webhook_create, b, std::move(body), now);
        body.clear();
        {
            json::writer w(body);
            w.begin_object();
            write_started_head(w, detail::emulator_webhook_start, b);
            write_rooms(w, b, false);
            w.key("EventTime");
            w.integer(now);
            w.end_object();
        }
        enqueue(detail::emulator_webhook_start, b, std::move(body), now);
    }

    void write_end(std::size_t index, std::int64_t now) {
        const battle& b = battles_[index];
        std::string body;
        json::writer w(body);
        w.begin_object();
        write_started_head(w, detail::emulator_webhook_end, b);
        w.key("EndTime");
        w.integer(b.end_s());
        w.key("OpType");
        w.integer(b.forced_end ? b.forced_reason : 0);
        write_rooms(w, b, true);
        w.key("EventTime");
        w.integer((std::max)(now, b.end_ms()));
        w.end_object();
        enqueue(detail::emulator_webhook_end, b, std::move(body), now);
    }

    void queue_end(std::size_t index, std::int64_t now) {
        battle& b = battles_[index];
        if (b.end_queued) return;
        b.end_queued = true;
        write_end(index, now);
    }

    mutable detail::mutex mutex_;
    const emulator_options options_;
    builtin_hmac_sha256 hmac_;
    detail::emulator_random random_;
    std::uint64_t requests_ = 0;
    bool manual_ = false;
    std::int64_t manual_ms_ = 0;
    std::int64_t offset_ms_ = 0;
    std::map<std::uint64_t, fault> faults_;
    std::set<std::string> system_error_rooms_;
    std::map<std::string, std::string> owners_;
    std::vector<battle> battles_;
    std::unordered_map<std::string, std::size_t> by_id_;
    std::unordered_map<std::string, std::size_t> room_battle_; // the latest battle of a room
    std::array<bucket, api_count> buckets_{};
    std::array<std::deque<std::int64_t>, api_count> sliding_{};
    std::optional<callback_config> callback_;
    std::optional<std::string> token_;
    bool token_enabled_ = false;
    std::deque<webhook_delivery> outbox_;
    // (scheduled end, battle index), the earliest on top: the battles whose End may be due.
    std::priority_queue<std::pair<std::int64_t, std::size_t>,
                        std::vector<std::pair<std::int64_t, std::size_t>>,
                        std::greater<std::pair<std::int64_t, std::size_t>>>
        end_due_;
    json::document doc_;
};

} // namespace testing
TRTC_END_NAMESPACE

#endif // TRTC_TESTING_EMULATOR_HPP
