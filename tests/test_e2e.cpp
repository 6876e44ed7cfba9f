// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
// End to end: the real client over loopback HTTP against trtc::testing::emulator_server, with
// every part real (UserSig, transport, keep-alive pool, retries, decoding). Each case is a
// TEST_CASE_TEMPLATE over the transport kind. This file, built alone, runs them with the
// built-in http1_transport; test_e2e_curl.cpp builds it again with TRTC_E2E_CURL=1 (in its own
// binary, linked with libcurl only when the build found it) to run the same cases with
// trtc::curl_transport.
#include <trtc/client.hpp>
#include <trtc/default_client.hpp>
#include <trtc/testing/emulator.hpp>
#include <trtc/testing/emulator_server.hpp>
#if defined(TRTC_E2E_CURL) && TRTC_E2E_CURL
#    include <trtc/adapters/curl.hpp>
#endif

#include <doctest/doctest.h>

#include "driver_faults.hpp"
#include "test_data.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream> // doctest prints std::error_code through it
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

using trtc::testing::emulator;
using trtc::testing::emulator_options;
using trtc::testing::emulator_server;
using trtc::testing::fault;
using namespace std::chrono_literals;

namespace {

constexpr std::uint32_t app = 1400000001;
using test_data::key;
const std::string admin = "administrator";

// ---- the two client types -------------------------------------------------------------------

/// trtc::client: the built-in plain HTTP/1.1 transport.
struct builtin_kind {
    using client_type = trtc::client;
    static trtc::http1_transport transport() { return trtc::http1_transport(); }
};

#if defined(TRTC_E2E_CURL) && TRTC_E2E_CURL
struct curl_policies : trtc::default_policies {
    using transport = trtc::curl_transport;
};
/// basic_client over the libcurl adapter.
struct curl_kind {
    using client_type = trtc::basic_client<curl_policies>;
    static trtc::curl_transport transport() {
        trtc::curl_options o;
        o.no_proxy = "*"; // loopback: never through a proxy named by the environment
        return trtc::curl_transport(std::move(o));
    }
};
#    define TRTC_E2E_KIND curl_kind
#else
#    define TRTC_E2E_KIND builtin_kind
#endif

// ---- the emulator behind its server -----------------------------------------------------------

emulator_options emulator_opts() {
    emulator_options o;
    o.sdkappid = app;
    o.admins = {admin};
    o.secret_key = key;
    o.random_seed = 20260101;
    return o;
}

/// An emulator served on 127.0.0.1 (a free port); stopped by the destructor.
struct served_emulator {
    std::shared_ptr<emulator> emu;
    trtc::result<emulator_server> server;

    explicit served_emulator(emulator_options o = emulator_opts())
        : emu(std::make_shared<emulator>(std::move(o))), server(emulator_server::create(emu)) {}

    /// A client configuration pointing at the server: short backoff, no client-side limit.
    trtc::client_config config() const {
        return test_data::loopback_config(app, admin, server->base_url());
    }
    std::size_t requests() const { return emu->requests_received(); }
    std::size_t accepted() const { return server->server().connections_accepted(); }
    /// Injects `f` into the next request, by its number.
    void fault_next(fault f) { emu->inject(emu->requests_received() + 1, f); }
};

template <class K>
trtc::result<typename K::client_type> make_client(trtc::client_config c) {
    return K::client_type::create(std::move(c), K::transport());
}

trtc::create_battle::request create_req(std::string from, std::vector<std::string> to,
                                        std::chrono::milliseconds d = 60s) {
    return {std::move(from), std::move(to), d, {}};
}

// ---- events -----------------------------------------------------------------------------------

/// A call_event with its views copied.
struct seen_event {
    std::string command, redacted_url, request_id, code_message;
    unsigned attempt = 0;
    std::uint32_t random = 0;
    std::error_code code;
    trtc::error_action action = trtc::error_action::none;
    trtc::attempt_outcome outcome = trtc::attempt_outcome::success;
    std::chrono::nanoseconds backoff{0};
    bool backup = false;
};

/// Collects events from any thread.
struct event_log {
    std::mutex mutex;
    std::vector<seen_event> events;

    std::vector<seen_event> snapshot() {
        std::lock_guard<std::mutex> lock(mutex);
        return events;
    }
    void clear() {
        std::lock_guard<std::mutex> lock(mutex);
        events.clear();
    }
};

trtc::event_hook record_into(const std::shared_ptr<event_log>& log) {
    return [log](const trtc::call_event& e) {
        seen_event s;
        s.command = std::string(e.command);
        s.redacted_url = std::string(e.redacted_url);
        s.request_id = std::string(e.request_id);
        s.code_message = e.code ? e.code.message() : std::string();
        s.attempt = e.attempt;
        s.random = e.random;
        s.code = e.code;
        s.action = e.action;
        s.outcome = e.outcome;
        s.backoff = e.backoff;
        s.backup = e.backup_domain;
        std::lock_guard<std::mutex> lock(log->mutex);
        log->events.push_back(std::move(s));
    };
}

bool is_service_code(const std::error_code& ec, int code) {
    return ec.category() == trtc::service_category() && ec.value() == code;
}

// ---- reconciling, as docs/client.md describes it ----------------------------------------------

enum class reconciled {
    took_effect,   ///< the caller room is in a battle with our callees: use that BattleId
    no_effect,     ///< the caller room is in no battle: create again
    lookup_failed, ///< the lookup itself failed: try again later
};

/// After errc::outcome_unknown on `req`: asks get_battle_info by RoomId for the caller's room.
template <class Client>
reconciled reconcile(Client& client, const trtc::create_battle::request& req,
                     std::string& battle_id) {
    auto info =
        client.get_battle_info(trtc::get_battle_info::request::by_room_id(req.from_room_id));
    if (!info)
        return info.error().code == trtc::service_errc::live_room_not_found
                   ? reconciled::no_effect
                   : reconciled::lookup_failed;
    for (const auto& room : info->to_rooms)
        if (std::find(req.to_room_ids.begin(), req.to_room_ids.end(), room.room_id) !=
            req.to_room_ids.end()) {
            battle_id = info->battle_id;
            return reconciled::took_effect;
        }
    return reconciled::no_effect; // in a battle, but not the one we asked for
}

} // namespace

TYPE_TO_STRING_AS("builtin", builtin_kind);
#if defined(TRTC_E2E_CURL) && TRTC_E2E_CURL
TYPE_TO_STRING_AS("curl", curl_kind);
#endif

// ---------------------------------------------------------------------------------------------
TEST_CASE_TEMPLATE("e2e: create, read back by BattleId and by RoomId, add and overwrite scores", K,
                   TRTC_E2E_KIND) {
    served_emulator s;
    REQUIRE(s.server);
    s.emu->set_room_owner("e2e-a", "owner-a");
    auto client = make_client<K>(s.config());
    REQUIRE(client);

    auto req = create_req("e2e-a", {"e2e-b", "e2e-c"});
    req.extension_info = "round 1";
    trtc::call_options o;
    o.random = 123456789;
    auto created = client->create_battle(req, o);
    REQUIRE(created);
    CHECK(created->random == 123456789);
    CHECK(created->battle_id.size() == 44);
    CHECK_FALSE(created->request_id.empty());
    REQUIRE(created->results.size() == 2);
    CHECK(created->results[0].room_id == "e2e-b");
    CHECK(created->results[0].ok());
    CHECK(created->results[1].room_id == "e2e-c");
    CHECK(created->results[1].ok());
    const std::string id = created->battle_id;

    auto by_id = client->get_battle_info(trtc::get_battle_info::request::by_battle_id(id));
    REQUIRE(by_id);
    CHECK(by_id->battle_id == id);
    CHECK(by_id->duration == 60s);
    CHECK(by_id->status == emulator::status_running);
    CHECK_FALSE(by_id->ended());
    CHECK(by_id->end_time - by_id->start_time == 60s);
    CHECK(by_id->from_room.room_id == "e2e-a");
    CHECK(by_id->from_room.owner_account == "owner-a");
    CHECK(by_id->from_room.score == 0);
    REQUIRE(by_id->to_rooms.size() == 2);
    CHECK(by_id->to_rooms[0].room_id == "e2e-b");
    CHECK(by_id->to_rooms[1].room_id == "e2e-c");

    // By RoomId, from a callee's room.
    auto by_room = client->get_battle_info(trtc::get_battle_info::request::by_room_id("e2e-c"));
    REQUIRE(by_room);
    CHECK(by_room->battle_id == id);

    using op = trtc::set_battle_score::operation;
    auto add = client->set_battle_score({id, op::add, {{"e2e-a", 5}, {"e2e-b", 7}}});
    REQUIRE(add);
    REQUIRE(add->results.size() == 2);
    CHECK(add->results[0].ok());
    CHECK(add->results[1].ok());
    REQUIRE(client->set_battle_score({id, op::add, {{"e2e-a", 3}}}));
    auto over = client->set_battle_score(
        {id, op::overwrite, {{"e2e-b", 100}, {"e2e-c", -4}, {"e2e-zz", 1}}});
    REQUIRE(over);
    REQUIRE(over->results.size() == 3);
    CHECK(over->results[0].ok());
    CHECK(over->results[1].ok());
    CHECK(over->results[2].result_code == trtc::set_battle_score::not_in_battle);

    auto after = client->get_battle_info(trtc::get_battle_info::request::by_battle_id(id));
    REQUIRE(after);
    CHECK(after->from_room.score == 8);
    REQUIRE(after->to_rooms.size() == 2);
    CHECK(after->to_rooms[0].score == 100);
    CHECK(after->to_rooms[1].score == -4);

    // The emulator's own view agrees.
    auto held = s.emu->battle_of_room("e2e-b");
    REQUIRE(held);
    CHECK(held->battle_id == id);
    CHECK(held->extension_info == "round 1");
    CHECK(held->scores.at("e2e-a") == 8);
    CHECK(held->scores.at("e2e-b") == 100);
    CHECK(held->scores.at("e2e-c") == -4);
    CHECK(s.emu->battles_created() == 1);
    CHECK(s.requests() == 7);
}

// ---------------------------------------------------------------------------------------------
TEST_CASE_TEMPLATE("e2e: invalid requests are refused before anything is sent", K, TRTC_E2E_KIND) {
    served_emulator s;
    REQUIRE(s.server);
    auto log = std::make_shared<event_log>();
    auto cfg = s.config();
    cfg.on_event = record_into(log);
    auto client = make_client<K>(cfg);
    REQUIRE(client);
    const auto refused = [&](const trtc::error& e) {
        CHECK(e.code == trtc::errc::invalid_request);
        CHECK_FALSE(e.violations().empty());
    };

    using cb = trtc::create_battle;
    std::vector<cb::request> creates = {
        create_req("", {"r-2"}),           // no caller
        create_req("r-1", {}),             // no callee
        create_req("r-1", {"r-2", "r-2"}), // a duplicate callee
        create_req("r-1", {"r-1"}),        // the caller as a callee
        create_req("r-1", {"r-2"}, 0ms),   // no duration
        create_req("r-1", {"r-2"}, cb::max_duration + 1ms),
    };
    for (const auto& r : creates) {
        auto out = client->create_battle(r);
        REQUIRE_FALSE(out);
        refused(out.error());
    }
    using gbi = trtc::get_battle_info;
    for (const gbi::request& r : {gbi::request{}, gbi::request{"b-1", "r-1"}}) {
        auto out = client->get_battle_info(r);
        REQUIRE_FALSE(out);
        refused(out.error());
    }
    using sbs = trtc::set_battle_score;
    const std::vector<sbs::request> sets = {
        {"", sbs::operation::add, {{"r-1", 1}}},                       // no BattleId
        {"b-1", static_cast<sbs::operation>(3), {{"r-1", 1}}},         // neither add nor overwrite
        {"b-1", sbs::operation::add, {}},                              // no score
        {"b-1", sbs::operation::add, {{"r-1", sbs::max_score + 1}}},   // beyond 2^53 - 1
        {"b-1", sbs::operation::overwrite, {{"r-1", 1}, {"r-1", 2}}}}; // a room twice
    for (const auto& r : sets) {
        auto out = client->set_battle_score(r);
        REQUIRE_FALSE(out);
        refused(out.error());
    }
    // Nothing reached the emulator; no connection was even opened, and no attempt was made.
    CHECK(s.requests() == 0);
    CHECK(client->transport().connections_opened() == 0);
    CHECK(s.accepted() == 0);
    CHECK(log->snapshot().empty());
}

// ---------------------------------------------------------------------------------------------
TEST_CASE_TEMPLATE("e2e: signature and account errors", K, TRTC_E2E_KIND) {
    served_emulator s;
    REQUIRE(s.server);
    auto cfg = s.config();
    auto log = std::make_shared<event_log>();
    cfg.on_event = record_into(log);
    const auto req = create_req("sig-1", {"sig-2"});

    SUBCASE("the wrong secret key: 70009, not retried") {
        cfg.creds.secret_key = std::string(key.rbegin(), key.rend());
        auto client = make_client<K>(cfg);
        REQUIRE(client);
        auto r = client->create_battle(req);
        REQUIRE_FALSE(r);
        CHECK(is_service_code(r.error().code, 70009));
        CHECK(r.error().code == trtc::service_errc::usersig_verification_failed);
        CHECK_FALSE(r.error().request_id().empty());
        CHECK(s.requests() == 1);
    }
    SUBCASE("an identifier that is not an App administrator: 60010") {
        cfg.creds.identifier = "player-7";
        auto client = make_client<K>(cfg);
        REQUIRE(client);
        auto r = client->create_battle(req);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == trtc::service_errc::admin_required);
        CHECK(s.requests() == 1);
    }
    SUBCASE("an SDKAppID the service does not know: 60006") {
        cfg.creds.sdkappid = app + 1;
        auto client = make_client<K>(cfg);
        REQUIRE(client);
        auto r = client->get_battle_info(trtc::get_battle_info::request::by_room_id("sig-1"));
        REQUIRE_FALSE(r);
        CHECK(r.error().code == trtc::service_errc::sdkappid_invalid);
        CHECK(s.requests() == 1);
    }
    SUBCASE("expired on the service's clock: one refresh, then 70001") {
        auto client = make_client<K>(cfg);
        REQUIRE(client);
        // The service's clock is two days ahead; the client's says its 24 h sig is fresh, so
        // the sig it makes on refresh is expired on arrival too.
        s.emu->advance(48h);
        auto r = client->create_battle(req);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == trtc::service_errc::usersig_expired);
        CHECK(r.error().has_random);
        CHECK(s.requests() == 2);
        CHECK(client->usersig_source().signatures_made() == 2);
        CHECK(s.emu->battles_created() == 0);
        auto ev = log->snapshot();
        REQUIRE(ev.size() == 2);
        CHECK(ev[0].action == trtc::error_action::refresh_signature);
        CHECK(ev[0].outcome == trtc::attempt_outcome::retrying);
        CHECK(ev[1].attempt == 2);
        CHECK(ev[1].outcome == trtc::attempt_outcome::failed);
        CHECK(ev[0].random == ev[1].random);
        CHECK(ev[1].random == r.error().random);
    }
    // A fatal service code is never retried: one attempt, one event.
    if (s.requests() == 1) {
        auto ev = log->snapshot();
        REQUIRE(ev.size() == 1);
        CHECK(ev[0].outcome == trtc::attempt_outcome::failed);
        CHECK(ev[0].action == trtc::error_action::fatal);
    }
}

// ---------------------------------------------------------------------------------------------
TEST_CASE_TEMPLATE("e2e: faults on create_battle: outcome unknown, never a duplicate", K,
                   TRTC_E2E_KIND) {
    served_emulator s;
    REQUIRE(s.server);
    auto client = make_client<K>(s.config());
    REQUIRE(client);
    const auto req = create_req("f-1", {"f-2"});

    struct faulted {
        const char* what;
        fault f;
        std::error_code cause;
    };
    const faulted faults[] = {
        {"HTTP 502", fault::http_status(502), trtc::decode_errc::http_status},
        {"a body that is not JSON", fault::garbage_body(), trtc::decode_errc::not_json},
        {"a truncated body", fault::truncated_body(), trtc::transport_errc::connection_closed},
        {"closed without an answer", fault::close_without_answer(),
         trtc::transport_errc::connection_closed},
    };
    std::uint32_t random = 1000;
    for (const faulted& f : faults) {
        CAPTURE(f.what);
        const std::size_t before = s.requests();
        s.fault_next(f.f);
        trtc::call_options o;
        o.random = ++random;
        auto r = client->create_battle(req, o);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == trtc::errc::outcome_unknown);
        CHECK(r.error().cause() == f.cause);
        CHECK(r.error().has_random);
        CHECK(r.error().random == random);
        CHECK(s.requests() == before + 1); // not resent
        CHECK(s.emu->battles_created() == 0);
        CHECK_FALSE(s.emu->battle_of_room("f-1"));
        // Reconciling says it did not take effect.
        std::string found;
        CHECK(reconcile(*client, req, found) == reconciled::no_effect);
    }

    // 100001: the service says it did nothing, so the create is retried and succeeds once.
    const std::size_t before = s.requests();
    s.fault_next(fault::service_error(100001));
    auto r = client->create_battle(req);
    REQUIRE(r);
    CHECK(s.requests() == before + 2);
    CHECK(s.emu->battles_created() == 1);
    CHECK(s.emu->battle_of_room("f-1")->battle_id == r->battle_id);
}

// ---------------------------------------------------------------------------------------------
TEST_CASE_TEMPLATE("e2e: a slow create_battle: outcome unknown, the battle exists once, "
                   "reconciliation finds it",
                   K, TRTC_E2E_KIND) {
    served_emulator s;
    REQUIRE(s.server);
    auto cfg = s.config();
    cfg.attempt_timeout = 300ms;
    auto client = make_client<K>(cfg);
    REQUIRE(client);
    const auto req = create_req("slow-1", {"slow-2", "slow-3"});

    // Processed at once, answered after 1.5 s (the server's stop() cuts the wait short).
    s.fault_next(fault::slow_answer(1500ms));
    trtc::call_options o;
    o.random = 77;
    auto r = client->create_battle(req, o);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == trtc::errc::outcome_unknown);
    CHECK(r.error().cause() == trtc::transport_errc::timeout_after_send);
    CHECK(r.error().has_random);
    CHECK(r.error().random == 77);
    CHECK(s.requests() == 1);
    REQUIRE(s.emu->battles_created() == 1);
    const std::string real_id = s.emu->battles()[0].battle_id;

    // A blind resend would not duplicate it: the caller room is busy (not retried either).
    auto again = client->create_battle(req);
    REQUIRE_FALSE(again);
    CHECK(again.error().code == trtc::service_errc::battle_caller_busy);
    CHECK(s.requests() == 2);
    CHECK(s.emu->battles_created() == 1);

    // Reconciling (docs/client.md): the caller's room is in a battle with our callees.
    std::string found;
    REQUIRE(reconcile(*client, req, found) == reconciled::took_effect);
    CHECK(found == real_id);
    CHECK(s.emu->battles_created() == 1);
}

// ---------------------------------------------------------------------------------------------
TEST_CASE_TEMPLATE("e2e: faults on get_battle_info are retried", K, TRTC_E2E_KIND) {
    served_emulator s;
    REQUIRE(s.server);
    auto log = std::make_shared<event_log>();
    auto cfg = s.config();
    cfg.attempt_timeout = 300ms;
    cfg.on_event = record_into(log);
    auto client = make_client<K>(cfg);
    REQUIRE(client);
    auto created = client->create_battle(create_req("g-1", {"g-2"}));
    REQUIRE(created);
    const auto get = trtc::get_battle_info::request::by_battle_id(created->battle_id);

    struct faulted {
        const char* what;
        fault f;
        std::error_code first; // what the first attempt saw
    };
    const faulted faults[] = {
        {"HTTP 502", fault::http_status(502), trtc::decode_errc::http_status},
        {"service error 100001", fault::service_error(100001),
         trtc::service_errc::live_internal_error},
        {"a truncated body", fault::truncated_body(), trtc::transport_errc::connection_closed},
        {"closed without an answer", fault::close_without_answer(),
         trtc::transport_errc::connection_closed},
        {"a slow answer past the attempt timeout", fault::slow_answer(1500ms),
         trtc::transport_errc::timeout_after_send},
    };
    for (const faulted& f : faults) {
        CAPTURE(f.what);
        log->clear();
        const std::size_t before = s.requests();
        s.fault_next(f.f);
        auto r = client->get_battle_info(get);
        REQUIRE(r);
        CHECK(r->battle_id == created->battle_id);
        CHECK(s.requests() == before + 2);
        auto ev = log->snapshot();
        REQUIRE(ev.size() == 2);
        CHECK(ev[0].code == f.first);
        CHECK(ev[0].outcome == trtc::attempt_outcome::retrying);
        CHECK(ev[0].backoff > std::chrono::nanoseconds(0));
        CHECK(ev[1].outcome == trtc::attempt_outcome::success);
        CHECK(ev[1].attempt == 2);
        CHECK(ev[0].random == ev[1].random);
    }

    // A 200 whose body is not JSON (a proxy's page, a cut answer) is retried too.
    const std::size_t before = s.requests();
    s.fault_next(fault::garbage_body());
    auto r = client->get_battle_info(get);
    REQUIRE(r);
    CHECK(s.requests() == before + 2);
    CHECK(s.emu->battles_created() == 1);
}

// ---------------------------------------------------------------------------------------------
TEST_CASE_TEMPLATE("e2e: the service's rate limit (60007) and the client's own limiter", K,
                   TRTC_E2E_KIND) {
    emulator_options eo = emulator_opts();
    eo.rate_limit_per_second = 5;
    served_emulator s(eo);
    REQUIRE(s.server);

    // No client-side limit. The emulator's clock stands still, so its bucket of 5 never refills:
    // the first 5 calls succeed, each later one meets 60007, which is retried with backoff,
    // and fails after the third attempt.
    s.emu->set_time(
        std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now()));
    auto log = std::make_shared<event_log>();
    auto cfg = s.config();
    cfg.on_event = record_into(log);
    auto unlimited = make_client<K>(cfg);
    REQUIRE(unlimited);
    int ok = 0;
    for (int i = 0; i < 8; ++i) {
        const std::string room = "rl-" + std::to_string(i);
        auto r = unlimited->create_battle(create_req(room + "-a", {room + "-b"}));
        if (r) {
            ++ok;
        } else {
            CHECK(r.error().code == trtc::service_errc::rest_rate_limited);
            CHECK(r.error().has_random);
        }
    }
    CHECK(ok == 5);
    CHECK(s.emu->battles_created() == 5);
    CHECK(s.requests() == 5 + 3 * 3); // each limited call: three attempts
    auto ev = log->snapshot();
    CHECK(ev.size() == s.requests());
    int retried = 0, gave_up = 0;
    for (const auto& e : ev) {
        if (!is_service_code(e.code, 60007)) {
            CHECK(e.outcome == trtc::attempt_outcome::success);
            continue;
        }
        CHECK(e.action == trtc::error_action::retry_with_backoff);
        if (e.attempt < 3) {
            CHECK(e.outcome == trtc::attempt_outcome::retrying);
            CHECK(e.backoff > std::chrono::nanoseconds(0));
            ++retried;
        } else {
            CHECK(e.outcome == trtc::attempt_outcome::failed);
            ++gave_up;
        }
    }
    CHECK(retried == 6);
    CHECK(gave_up == 3);

    // The client's limiter at the service's rate (5/s, burst 1) never meets 60007. The
    // emulator follows the system clock again, 2 s ahead, instead of waiting for its bucket to
    // refill; the bucket then refills as fast as the client's limiter lets calls through.
    s.emu->use_system_clock();
    s.emu->advance(2s);
    auto log2 = std::make_shared<event_log>();
    auto limited_cfg = s.config();
    limited_cfg.rate_limit.per_second = 5;
    limited_cfg.rate_limit.burst = 1;
    limited_cfg.on_event = record_into(log2);
    auto limited = make_client<K>(limited_cfg);
    REQUIRE(limited);
    const std::size_t before = s.requests();
    for (int i = 0; i < 12; ++i) {
        const std::string room = "lim-" + std::to_string(i);
        auto r = limited->create_battle(create_req(room + "-a", {room + "-b"}));
        CHECK(r);
    }
    CHECK(s.requests() == before + 12);
    for (const auto& e : log2->snapshot()) {
        CHECK_FALSE(is_service_code(e.code, 60007));
        CHECK(e.outcome == trtc::attempt_outcome::success);
    }
}

// ---------------------------------------------------------------------------------------------
TEST_CASE_TEMPLATE("e2e: keep-alive: 10 sequential calls on one connection", K, TRTC_E2E_KIND) {
    served_emulator s;
    REQUIRE(s.server);
    auto client = make_client<K>(s.config());
    REQUIRE(client);
    auto created = client->create_battle(create_req("ka-1", {"ka-2"}));
    REQUIRE(created);
    for (int i = 0; i < 9; ++i) {
        if (i % 3 == 0) {
            REQUIRE(client->set_battle_score(
                {created->battle_id, trtc::set_battle_score::operation::add, {{"ka-2", 1}}}));
        } else {
            REQUIRE(client->get_battle_info(
                i % 2 == 0 ? trtc::get_battle_info::request::by_room_id("ka-1")
                           : trtc::get_battle_info::request::by_battle_id(created->battle_id)));
        }
    }
    CHECK(s.requests() == 10);
    CHECK(s.emu->battle_of_room("ka-2")->scores.at("ka-2") == 3);
    CHECK(client->transport().connections_opened() == 1);
    CHECK(s.accepted() == 1);
}

// ---------------------------------------------------------------------------------------------
TEST_CASE_TEMPLATE("e2e: 8 threads: 4 with a client each, 4 sharing one, 25 creates each", K,
                   TRTC_E2E_KIND) {
    emulator_options eo = emulator_opts();
    eo.rate_limit_per_second = 0; // 200 creates as fast as they go
    served_emulator s(eo);
    REQUIRE(s.server);
    using client_type = typename K::client_type;
    std::vector<std::unique_ptr<client_type>> own;
    for (int t = 0; t < 4; ++t) {
        auto c = make_client<K>(s.config());
        REQUIRE(c);
        own.push_back(std::make_unique<client_type>(std::move(*c)));
    }
    auto shared = make_client<K>(s.config());
    REQUIRE(shared);

    std::atomic<int> ok{0};
    std::atomic<int> failed{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
        client_type* c = t < 4 ? own[static_cast<std::size_t>(t)].get() : &*shared;
        threads.emplace_back([c, t, &ok, &failed] {
            for (int i = 0; i < 25; ++i) {
                const std::string room = "mt-" + std::to_string(t) + "-" + std::to_string(i);
                auto r = c->create_battle(create_req(room + "-a", {room + "-b"}));
                if (r && r->results.size() == 1 && r->results[0].ok())
                    ok.fetch_add(1);
                else
                    failed.fetch_add(1);
            }
        });
    }
    for (auto& th : threads) th.join();
    CHECK(ok.load() == 200);
    CHECK(failed.load() == 0);
    CHECK(s.emu->battles_created() == 200);
    CHECK(s.requests() == 200);
    std::set<std::string> ids, callers;
    for (const auto& b : s.emu->battles()) {
        ids.insert(b.battle_id);
        callers.insert(b.from_room);
    }
    CHECK(ids.size() == 200);
    CHECK(callers.size() == 200);
    // Keep-alive holds under concurrency: a connection per thread at most.
    for (const auto& c : own) CHECK(c->transport().connections_opened() == 1);
    CHECK(shared->transport().connections_opened() <= 4);
}

// ---------------------------------------------------------------------------------------------
TEST_CASE_TEMPLATE("e2e: events report attempts and retries, never the key or the UserSig", K,
                   TRTC_E2E_KIND) {
    served_emulator s;
    REQUIRE(s.server);
    auto log = std::make_shared<event_log>();
    auto cfg = s.config();
    cfg.on_event = record_into(log);
    auto client = make_client<K>(cfg);
    REQUIRE(client);

    // A retried create, a read, and an outcome unknown.
    s.fault_next(fault::service_error(100001));
    trtc::call_options o;
    o.random = 4242;
    auto created = client->create_battle(create_req("ev-1", {"ev-2"}), o);
    REQUIRE(created);
    REQUIRE(client->get_battle_info(trtc::get_battle_info::request::by_room_id("ev-1")));
    s.fault_next(fault::http_status(502));
    auto unknown = client->create_battle(create_req("ev-3", {"ev-4"}));
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().code == trtc::errc::outcome_unknown);

    auto ev = log->snapshot();
    REQUIRE(ev.size() == 4);
    CHECK(ev[0].command == "create_battle");
    CHECK(ev[0].attempt == 1);
    CHECK(ev[0].random == 4242);
    CHECK(is_service_code(ev[0].code, 100001));
    CHECK(ev[0].action == trtc::error_action::retry_with_backoff);
    CHECK(ev[0].outcome == trtc::attempt_outcome::retrying);
    CHECK(ev[0].backoff > std::chrono::nanoseconds(0));
    CHECK_FALSE(ev[0].request_id.empty());
    CHECK(ev[1].command == "create_battle");
    CHECK(ev[1].attempt == 2);
    CHECK(ev[1].random == 4242);
    CHECK_FALSE(ev[1].code);
    CHECK(ev[1].outcome == trtc::attempt_outcome::success);
    CHECK(ev[1].request_id == created->request_id);
    CHECK(ev[1].request_id != ev[0].request_id);
    CHECK(ev[2].command == "get_battle_info");
    CHECK(ev[2].outcome == trtc::attempt_outcome::success);
    CHECK(ev[3].command == "create_battle");
    CHECK(ev[3].code == trtc::errc::outcome_unknown);
    CHECK(ev[3].outcome == trtc::attempt_outcome::failed);
    CHECK(ev[3].random == unknown.error().random);

    // The UserSig the client used (its cache hands out the same one: one was made).
    REQUIRE(client->usersig_source().signatures_made() == 1);
    auto sig = client->usersig_source().usersig(trtc::unix_now(), false);
    REQUIRE(sig);
    REQUIRE(sig->size() > 64);
    CHECK(client->usersig_source().signatures_made() == 1);
    const auto leaks = [&](const std::string& text) {
        if (text.find(key) != std::string::npos) return true;
        if (text.find(key.substr(0, 16)) != std::string::npos) return true;
        for (std::size_t at = 0; at + 24 <= sig->size(); at += 24)
            if (text.find(sig->substr(at, 24)) != std::string::npos) return true;
        return false;
    };
    for (const auto& e : ev) {
        CAPTURE(e.redacted_url);
        CHECK(e.redacted_url.rfind(s.server->base_url() + "/v4/live_engine_http_pk/", 0) == 0);
        CHECK(e.redacted_url.find("usersig=REDACTED") != std::string::npos);
        CHECK(e.redacted_url.find("random=" + std::to_string(e.random)) != std::string::npos);
        CHECK_FALSE(e.backup);
        CHECK_FALSE(leaks(e.command));
        CHECK_FALSE(leaks(e.redacted_url));
        CHECK_FALSE(leaks(e.request_id));
        CHECK_FALSE(leaks(e.code_message));
    }
    CHECK_FALSE(leaks(unknown.error().describe()));
    CHECK_FALSE(leaks(unknown.error().message));
}

// ---------------------------------------------------------------------------------------------
TEST_CASE_TEMPLATE("e2e: the server gone: not delivered, so create_battle is retried", K,
                   TRTC_E2E_KIND) {
    served_emulator s;
    REQUIRE(s.server);
    auto log = std::make_shared<event_log>();
    auto cfg = s.config();
    cfg.on_event = record_into(log);
    auto client = make_client<K>(cfg);
    REQUIRE(client);
    REQUIRE(client->create_battle(create_req("gone-1", {"gone-2"})));
    s.server->stop();
    log->clear();
    auto r = client->create_battle(create_req("gone-3", {"gone-4"}));
    REQUIRE_FALSE(r);
    // Refused connections never reached the service: retried, and not outcome_unknown.
    CHECK(r.error().code == trtc::transport_errc::connect_refused);
    auto ev = log->snapshot();
    REQUIRE(ev.size() == 3);
    CHECK(ev[0].outcome == trtc::attempt_outcome::retrying);
    CHECK(ev[1].outcome == trtc::attempt_outcome::retrying);
    CHECK(ev[2].outcome == trtc::attempt_outcome::failed);
    CHECK(s.requests() == 1);
    CHECK(s.emu->battles_created() == 1);
}

// ---------------------------------------------------------------------------------------------
/// The blocking driver of the shared fault table (tests/driver_faults.hpp).
template <class K>
struct blocking_driver {
    trtc::result<trtc::create_battle::response> create(trtc::client_config c,
                                                       const trtc::create_battle::request& r) {
        auto client = make_client<K>(std::move(c));
        REQUIRE(client);
        return client->create_battle(r);
    }
    trtc::result<trtc::get_battle_info::response> get(trtc::client_config c,
                                                      const trtc::get_battle_info::request& r) {
        auto client = make_client<K>(std::move(c));
        REQUIRE(client);
        return client->get_battle_info(r);
    }
};

TEST_CASE_TEMPLATE("e2e: the drivers' fault table (tests/driver_faults.hpp)", K, TRTC_E2E_KIND) {
    blocking_driver<K> driver;
    driver_faults::run_all(driver);
    driver_faults::run_reset(driver);
}
