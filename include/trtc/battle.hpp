// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
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

#include "config.hpp"
#include "detail/narrow.hpp"
#include "endpoint.hpp"
#include "errors.hpp"
#include "json.hpp"
#include "result.hpp"
#include "usersig.hpp"

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
