// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
//
// An endpoint defined outside the library: the endpoint contract of <trtc/endpoint.hpp> is all
// that prepare(), decode() and basic_client need. This one is not Tencent's: it stands for an
// API of your own gateway in the same REST style (a season's scores, say), answered here by a
// transport that plays that gateway. Compiled and run by the tests.
#include <trtc/trtc.hpp>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

/// POST /v4/game_pk_gateway/get_season_scores: the rooms of a season and their total scores.
struct get_season_scores {
    static constexpr std::string_view service = "game_pk_gateway";
    static constexpr std::string_view command = "get_season_scores";
    static constexpr bool idempotent = true; // a read: safe to send again

    struct request {
        using endpoint = get_season_scores;
        std::string season_id;
        std::vector<std::string> room_ids; // empty: every room
    };

    struct room_score {
        std::string room_id;
        std::int64_t score = 0;
    };

    struct response : trtc::response_meta {
        std::string season_id;
        std::vector<room_score> rooms;
    };

    /// Every rule, each broken one named with its field; nothing invalid is ever sent.
    static void validate(const request& r, trtc::validator& v) {
        v.token("SeasonId", r.season_id, 64);
        if (!r.room_ids.empty())
            v.room_id_list("RoomIdList", r.room_ids,
                           [](const std::string& s) -> std::string_view { return s; });
    }

    /// The body, through the calls json::writer and json::document share.
    template <class Sink>
    static void encode(const request& r, Sink& w) {
        w.begin_object();
        w.key("SeasonId");
        w.string(r.season_id);
        if (!r.room_ids.empty()) {
            w.key("RoomIdList");
            w.begin_array();
            for (const std::string& id : r.room_ids) w.string(id);
            w.end_array();
        }
        w.end_object();
    }

    /// The Response object's fields, written once for both of decode()'s readers.
    template <class Reader>
    static void read_fields(Reader& r, response& out) {
        r.string("SeasonId", out.season_id, true);
        r.objects("Rooms", out.rooms, false, [](auto& e, room_score& s) {
            e.string("RoomId", s.room_id, true);
            e.integer("Score", s.score, true);
        });
    }
};
static_assert(trtc::detail::check_endpoint<get_season_scores>());

/// The gateway, in process: answers get_season_scores, and fails the test on anything else.
struct gateway_transport {
    int calls = 0;
    trtc::result<trtc::http_response> send(const trtc::http_request& req,
                                           std::chrono::steady_clock::time_point /*deadline*/) {
        ++calls;
        if (req.url.find("/v4/game_pk_gateway/get_season_scores?") == std::string::npos ||
            req.body != R"({"SeasonId":"s-2026-12","RoomIdList":["pk-1","pk-2"]})")
            return trtc::http_response{404, "unexpected request"};
        return trtc::http_response{
            200, R"({"ErrorCode":0,"ErrorInfo":"","ActionStatus":"OK","RequestId":"gw-1",)"
                 R"("Response":{"SeasonId":"s-2026-12","Rooms":[{"RoomId":"pk-1","Score":420},)"
                 R"({"RoomId":"pk-2","Score":377}]}})"};
    }
};

struct gateway_policies : trtc::default_policies {
    using transport = gateway_transport;
};

int main() {
    trtc::client_config cfg;
    cfg.creds = {1400000000, "administrator", "a sample key"};
    cfg.where = trtc::location::parse("http://gateway.internal").value();
    auto client = trtc::basic_client<gateway_policies>::create(std::move(cfg));
    if (!client) {
        std::fprintf(stderr, "%s\n", client.error().describe().c_str());
        return 1;
    }

    // The client does for it what it does for the battle APIs: UserSig, rate limit, retries
    // where safe, the typed response.
    auto scores = client->call(get_season_scores::request{"s-2026-12", {"pk-1", "pk-2"}});
    if (!scores) {
        std::fprintf(stderr, "%s\n", scores.error().describe().c_str());
        return 1;
    }
    for (const auto& room : scores->rooms)
        std::printf("%s: %lld\n", room.room_id.c_str(), static_cast<long long>(room.score));

    // And refuses an invalid request before it leaves the process, naming the field.
    auto bad = client->call(get_season_scores::request{"", {"pk-1", "pk-1"}});
    const bool refused = !bad && bad.error().code == trtc::errc::invalid_request;
    std::printf("invalid request refused before sending: %s\n",
                refused ? bad.error().describe().c_str() : "no");
    return scores->rooms.size() == 2 && scores->rooms[1].score == 377 && refused &&
                   client->transport().calls == 1
               ? 0
               : 1;
}
