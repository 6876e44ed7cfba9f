// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
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

#include "config.hpp"
#include "detail/hmac_sha256.hpp"
#include "detail/mutex.hpp"
#include "detail/sha256.hpp"
#include "detail/url.hpp"
#include "detail/utf8.hpp"
#include "errors.hpp"
#include "json.hpp"
#include "result.hpp"
#include "usersig.hpp"

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
