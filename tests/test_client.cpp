// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
// basic_client over a scripted transport: every retry, refresh, backup-domain, rate-limit and
// outcome-unknown path, without sockets.
#include <trtc/trtc.hpp>

#include <doctest/doctest.h>

#include "scripted_transport.hpp"
#include "test_data.hpp"

#include <algorithm>
#include <atomic>
#include <memory>
#include <ostream> // doctest prints std::error_code through it
#include <set>
#include <string>
#include <thread>
#include <vector>

using test_support::scripted_transport;
using test_support::step;
using te = trtc::transport_errc;

namespace {

using test_data::key;

/// A wall clock the test moves by hand.
struct manual_clock {
    static std::atomic<std::int64_t> seconds;
    trtc::unix_time now() const noexcept { return trtc::from_unix_seconds(seconds.load()); }
};
std::atomic<std::int64_t> manual_clock::seconds{1700000000};

struct test_policies : trtc::default_policies {
    using transport = scripted_transport;
    using clock = manual_clock;
};
using test_client = trtc::basic_client<test_policies>;

trtc::client_config config(bool with_backup = false) {
    trtc::client_config c;
    c.creds = {1400000000, "administrator", key, std::chrono::hours(24)};
    c.where = with_backup ? trtc::location::of(trtc::region::singapore)
                          : trtc::location::parse("http://127.0.0.1:9").value();
    c.retry.initial_backoff = std::chrono::milliseconds(1);
    c.retry.max_backoff = std::chrono::milliseconds(2);
    c.rate_limit.per_second = 0; // unlimited unless a test says otherwise
    return c;
}

trtc::create_battle::request create_req() {
    return {"pk-1", {"pk-2"}, std::chrono::seconds(30), {}};
}

std::string usersig_of(const trtc::http_request& r) {
    std::size_t a = r.url.find("usersig=") + 8;
    return r.url.substr(a, r.url.find('&', a) - a);
}

struct event_log {
    std::vector<trtc::attempt_outcome> outcomes;
    std::vector<std::error_code> codes;
    std::vector<std::string> urls;
    std::vector<bool> backup;
};

test_client make(scripted_transport t, event_log* log = nullptr, trtc::client_config c = config()) {
    if (log != nullptr)
        c.on_event = [log](const trtc::call_event& e) {
            log->outcomes.push_back(e.outcome);
            log->codes.push_back(e.code);
            log->urls.emplace_back(e.redacted_url);
            log->backup.push_back(e.backup_domain);
        };
    return test_client::create(std::move(c), std::move(t)).value();
}

} // namespace

TEST_CASE("a call that succeeds at once sends one request and reports one event") {
    scripted_transport t;
    t.then(step::answer(test_support::battle_ok()));
    event_log log;
    auto client = make(t, &log);
    trtc::call_options o;
    o.random = 424242;
    auto r = client.create_battle(create_req(), o);
    REQUIRE(r);
    CHECK(r->battle_id == "b1");
    CHECK(r->random == 424242);
    CHECK(r->request_id == "Id-ok");
    REQUIRE(t.sent() == 1);
    CHECK(t.requests()[0].url.find("&random=424242&") != std::string::npos);
    CHECK(log.outcomes == std::vector<trtc::attempt_outcome>{trtc::attempt_outcome::success});
    CHECK(log.urls[0].find("usersig=REDACTED") != std::string::npos);
    CHECK(client.config().creds.secret_key.empty()); // wiped once keyed
}

TEST_CASE("the UserSig is made once and reused, not made per call") {
    scripted_transport t;
    t.otherwise([](const trtc::http_request&) { return step::answer(test_support::battle_ok()); });
    auto client = make(t);
    for (int i = 0; i < 20; ++i) REQUIRE(client.create_battle(create_req()));
    CHECK(client.usersig_source().signatures_made() == 1);
    CHECK(client.signed_queries_made() == 1); // the credential query too
    auto reqs = t.requests();
    for (const auto& r : reqs) CHECK(usersig_of(r) == usersig_of(reqs[0]));
}

TEST_CASE("the credential query cache makes one query per UserSig, and only valid ones") {
    trtc::detail::signed_query_cache cache;
    const std::string sig1(200, 'A'), sig2 = std::string(199, 'B') + "+";
    const trtc::request_context ctx1{1400000000, "administrator", sig1, 1};
    auto q1 = cache.get(ctx1);
    REQUIRE(q1);
    CHECK(q1->str() == "?sdkappid=1400000000&identifier=administrator&usersig=" + sig1);
    CHECK(cache.queries_made() == 1);
    // The same credentials (another random): the kept query.
    auto again = cache.get({1400000000, "administrator", sig1, 2});
    REQUIRE(again);
    CHECK(again->str() == q1->str());
    CHECK(cache.queries_made() == 1);
    // Any of the three changing makes a new one.
    auto q2 = cache.get({1400000000, "administrator", sig2, 1});
    REQUIRE(q2);
    CHECK(q2->str().substr(q2->str().size() - 4) == "B%2B");
    auto q3 = cache.get({1400000000, "admin2", sig2, 1});
    REQUIRE(q3);
    CHECK(q3->str().find("identifier=admin2&") != std::string_view::npos);
    auto q4 = cache.get({1400000001, "admin2", sig2, 1});
    REQUIRE(q4);
    CHECK(q4->str().substr(0, 21) == "?sdkappid=1400000001&");
    CHECK(cache.queries_made() == 4);
    // Invalid credentials are refused as prepare() refuses them, and keep nothing.
    const std::string bad = sig1 + " secret";
    auto refused = cache.get({1400000000, "administrator", bad, 1});
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == trtc::errc::invalid_request);
    CHECK(refused.error().describe().find("secret") == std::string::npos);
    CHECK(cache.queries_made() == 4);
    auto kept = cache.get({1400000001, "admin2", sig2, 1});
    REQUIRE(kept);
    CHECK(kept->str() == q4->str());
    CHECK(cache.queries_made() == 4);
    // Moved: the query goes along.
    trtc::detail::signed_query_cache moved(std::move(cache));
    auto after_move = moved.get({1400000001, "admin2", sig2, 1});
    REQUIRE(after_move);
    CHECK(after_move->str() == q4->str());
    CHECK(moved.queries_made() == 4);
}

TEST_CASE("the UserSig is renewed ahead of its expiry") {
    manual_clock::seconds = 1700000000;
    scripted_transport t;
    t.otherwise([](const trtc::http_request&) { return step::answer(test_support::battle_ok()); });
    auto client = make(t);
    REQUIRE(client.create_battle(create_req()));
    manual_clock::seconds += 22 * 3600; // 22 h into a 24 h sig: still well before the margin
    REQUIRE(client.create_battle(create_req()));
    CHECK(client.usersig_source().signatures_made() == 1);
    manual_clock::seconds += 3600 + 1; // within the last hour: renew
    REQUIRE(client.create_battle(create_req()));
    CHECK(client.usersig_source().signatures_made() == 2);
    CHECK(client.signed_queries_made() == 2);
    auto reqs = t.requests();
    CHECK(usersig_of(reqs[2]) != usersig_of(reqs[0]));
    auto d = trtc::decode_usersig(usersig_of(reqs[2]));
    REQUIRE(d);
    CHECK(d->time == manual_clock::seconds.load());
}

TEST_CASE("70001 makes a new UserSig and retries once") {
    manual_clock::seconds = 1700000000;
    scripted_transport t;
    t.then(step::answer(test_support::service_error(70001, "expired")))
        .then(step::answer(test_support::battle_ok()));
    event_log log;
    auto client = make(t, &log);
    auto r = client.create_battle(create_req());
    REQUIRE(r);
    REQUIRE(t.sent() == 2);
    // A new sig was made for the second attempt (at the same second it has the same bytes).
    CHECK(client.usersig_source().signatures_made() == 2);
    CHECK(trtc::decode_usersig(usersig_of(t.requests()[1]))->time == manual_clock::seconds);
    CHECK(log.outcomes[0] == trtc::attempt_outcome::retrying);

    // Twice in a row: one refresh only, then the error.
    scripted_transport t2;
    t2.otherwise([](const trtc::http_request&) {
        return step::answer(test_support::service_error(70001, "expired"));
    });
    auto c2 = make(t2);
    auto r2 = c2.create_battle(create_req());
    REQUIRE_FALSE(r2);
    CHECK(r2.error().code == trtc::service_errc::usersig_expired);
    CHECK(t2.sent() == 2);
}

TEST_CASE("retryable service codes are retried with backoff, up to max_attempts") {
    scripted_transport t;
    t.then(step::answer(test_support::service_error(100001)))
        .then(step::answer(test_support::service_error(60007)))
        .then(step::answer(test_support::battle_ok()));
    event_log log;
    auto client = make(t, &log);
    auto r = client.create_battle(create_req());
    REQUIRE(r);
    CHECK(t.sent() == 3);
    CHECK(log.outcomes.size() == 3);

    scripted_transport always;
    always.otherwise([](const trtc::http_request&) {
        return step::answer(test_support::service_error(100001));
    });
    auto c2 = make(always);
    auto r2 = c2.create_battle(create_req());
    REQUIRE_FALSE(r2);
    CHECK(r2.error().code == trtc::service_errc::live_internal_error);
    CHECK(always.sent() == 3);
    CHECK(r2.error().request_id() == "Id-err");
    CHECK(r2.error().has_random);
}

TEST_CASE("fatal and wait-then-retry codes are not retried") {
    for (int code : {100415, 100412, 70009, 60010, 100002}) {
        CAPTURE(code);
        scripted_transport t;
        t.then(step::answer(test_support::service_error(code)));
        auto client = make(t);
        auto r = client.create_battle(create_req());
        REQUIRE_FALSE(r);
        CHECK(r.error().code.value() == code);
        CHECK(t.sent() == 1);
    }
}

TEST_CASE("a create_battle that may have arrived is never resent: outcome unknown") {
    const step may_have_arrived[] = {
        step::fail(te::timeout_after_send),           step::fail(te::connection_closed),
        step::fail(te::malformed_response),           step::answer("<html>Bad Gateway</html>", 502),
        step::answer("{\"ErrorCode\":0,\"Resp", 200), step::answer("garbage", 200)};
    for (const step& s : may_have_arrived) {
        scripted_transport t;
        t.then(s).otherwise(
            [](const trtc::http_request&) { return step::answer(test_support::battle_ok()); });
        event_log log;
        auto client = make(t, &log);
        trtc::call_options o;
        o.random = 777;
        auto r = client.create_battle(create_req(), o);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == trtc::errc::outcome_unknown);
        CHECK(r.error().random == 777);
        CHECK(r.error().cause());
        CHECK(r.error().message.find("get_battle_info") != std::string::npos);
        CHECK(t.sent() == 1);
        CHECK(log.outcomes == std::vector<trtc::attempt_outcome>{trtc::attempt_outcome::failed});
    }
}

TEST_CASE("set_battle_score is not idempotent either") {
    scripted_transport t;
    t.then(step::fail(te::timeout_after_send));
    auto client = make(t);
    trtc::set_battle_score::request s{"b1", trtc::set_battle_score::operation::add, {{"pk-1", 5}}};
    auto r = client.set_battle_score(s);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == trtc::errc::outcome_unknown);
    CHECK(t.sent() == 1);
}

TEST_CASE("reads are retried after failures that may have arrived") {
    scripted_transport t;
    t.then(step::fail(te::timeout_after_send))
        .then(step::answer("<html>502</html>", 502))
        .then(step::answer(test_support::info_ok()));
    auto client = make(t);
    auto r = client.get_battle_info(trtc::get_battle_info::request::by_battle_id("b1"));
    REQUIRE(r);
    CHECK(r->battle_id == "b1");
    CHECK(t.sent() == 3);
}

TEST_CASE("reads retry garbage, malformed and undecodable answers, not over-large ones") {
    scripted_transport t;
    t.then(step::answer("<html>maintenance</html>"))
        .then(step::fail(te::malformed_response))
        .then(step::answer(test_support::info_ok()));
    auto client = make(t);
    REQUIRE(client.get_battle_info(trtc::get_battle_info::request::by_battle_id("b1")));
    CHECK(t.sent() == 3);

    scripted_transport wrong;
    wrong.otherwise([](const trtc::http_request&) {
        return step::answer(R"({"ErrorCode":0,"Response":{"BattleId":7}})");
    });
    auto c2 = make(wrong);
    auto r2 = c2.get_battle_info(trtc::get_battle_info::request::by_battle_id("b1"));
    REQUIRE_FALSE(r2);
    CHECK(r2.error().code == trtc::decode_errc::wrong_type);
    CHECK(wrong.sent() == 3); // a success it cannot decode may come back whole: retried

    scripted_transport big;
    big.otherwise([](const trtc::http_request&) { return step::fail(te::response_too_large); });
    auto c3 = make(big);
    CHECK_FALSE(c3.get_battle_info(trtc::get_battle_info::request::by_battle_id("b1")));
    CHECK(big.sent() == 1);
}

TEST_CASE("failures before sending are retried, even for create_battle") {
    scripted_transport t;
    t.then(step::fail(te::connect_refused))
        .then(step::fail(te::send_failed))
        .then(step::answer(test_support::battle_ok()));
    auto client = make(t);
    REQUIRE(client.create_battle(create_req()));
    CHECK(t.sent() == 3);

    scripted_transport gateway;
    gateway.then(step::answer("slow down", 429)).then(step::answer(test_support::battle_ok()));
    auto c2 = make(gateway);
    REQUIRE(c2.create_battle(create_req()));
    CHECK(gateway.sent() == 2);

    scripted_transport down;
    down.otherwise([](const trtc::http_request&) { return step::fail(te::dns_failure); });
    auto c3 = make(down);
    auto r3 = c3.create_battle(create_req());
    REQUIRE_FALSE(r3);
    CHECK(r3.error().code == te::dns_failure);
    CHECK(down.sent() == 3);
}

TEST_CASE("an unreachable primary domain fails over to the backup") {
    scripted_transport t;
    t.then(step::fail(te::dns_failure)).then(step::answer(test_support::battle_ok()));
    event_log log;
    auto client = make(t, &log, config(true));
    auto r = client.create_battle(create_req());
    REQUIRE(r);
    auto reqs = t.requests();
    REQUIRE(reqs.size() == 2);
    CHECK(reqs[0].url.rfind("https://adminapisgp.im.qcloud.com/", 0) == 0);
    CHECK(reqs[1].url.rfind("https://adminapisgp.my-imcloud.com/", 0) == 0);
    CHECK(log.backup == std::vector<bool>{false, true});
    CHECK(log.codes[0] == te::dns_failure);

    // Connect failures too; the backup failing as well is then retried with backoff.
    scripted_transport both;
    both.otherwise([](const trtc::http_request&) { return step::fail(te::connect_refused); });
    auto c2 = make(both, nullptr, config(true));
    auto r2 = c2.create_battle(create_req());
    REQUIRE_FALSE(r2);
    CHECK(r2.error().code == te::connect_refused);
    auto b = both.requests();
    REQUIRE(b.size() >= 2);
    CHECK(b[1].url.rfind("https://adminapisgp.my-imcloud.com/", 0) == 0);
    CHECK(b.back().url.rfind("https://adminapisgp.my-imcloud.com/", 0) == 0);
}

TEST_CASE("an invalid request never reaches the transport") {
    scripted_transport t;
    auto client = make(t);
    trtc::create_battle::request bad{"pk-1", {"pk-1"}, std::chrono::seconds(0), {}};
    auto r = client.create_battle(bad);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == trtc::errc::invalid_request);
    CHECK(r.error().violations().size() == 2);
    CHECK(t.sent() == 0);
}

namespace {
/// A UserSig source handing out whatever the test sets (a custom source may hand out anything).
struct settable_usersig {
    static std::string next;
    static trtc::result<settable_usersig> create(const trtc::credentials&) {
        return settable_usersig();
    }
    trtc::result<std::string> usersig(trtc::unix_time, bool) { return next; }
};
std::string settable_usersig::next;

struct settable_policies : test_policies {
    using usersig_source = settable_usersig;
};
} // namespace

TEST_CASE("a UserSig outside its alphabet is refused before sending, and not kept") {
    scripted_transport t;
    t.otherwise([](const trtc::http_request&) { return step::answer(test_support::battle_ok()); });
    auto client = trtc::basic_client<settable_policies>::create(config(), t).value();
    settable_usersig::next = std::string(100, 'Q') + " secret-part";
    auto r = client.create_battle(create_req());
    REQUIRE_FALSE(r);
    CHECK(r.error().code == trtc::errc::invalid_request);
    REQUIRE(r.error().violations().size() == 1);
    CHECK(r.error().violations()[0].field == "usersig");
    CHECK(r.error().describe().find("secret-part") == std::string::npos);
    CHECK(t.sent() == 0);
    CHECK(client.signed_queries_made() == 0);
    // A valid one next: sent as it is, its query made once.
    settable_usersig::next = std::string(100, 'Q') + "-*_";
    REQUIRE(client.create_battle(create_req()));
    REQUIRE(client.create_battle(create_req()));
    CHECK(t.sent() == 2);
    CHECK(usersig_of(t.requests()[1]) == settable_usersig::next);
    CHECK(client.signed_queries_made() == 1);
}

TEST_CASE("the rate limiter refuses a call whose slot is past the deadline") {
    scripted_transport t;
    t.otherwise([](const trtc::http_request&) { return step::answer(test_support::battle_ok()); });
    auto c = config();
    c.rate_limit = {1.0, 1}; // one call per second, no burst
    c.call_timeout = std::chrono::milliseconds(200);
    auto client = make(t, nullptr, c);
    REQUIRE(client.create_battle(create_req()));
    auto r = client.create_battle(create_req());
    REQUIRE_FALSE(r);
    CHECK(r.error().code == trtc::errc::rate_limited);
    CHECK(trtc::classify(r.error().code) == trtc::error_action::wait_then_retry);
    CHECK(t.sent() == 1);
}

TEST_CASE("a retry that cannot fit in the call's deadline is not made") {
    scripted_transport t;
    t.otherwise([](const trtc::http_request&) { return step::fail(te::connect_refused); });
    auto c = config();
    c.retry.initial_backoff = std::chrono::milliseconds(500);
    c.retry.max_backoff = std::chrono::milliseconds(500);
    c.retry.jitter = 0;
    c.call_timeout = std::chrono::milliseconds(100);
    auto client = make(t, nullptr, c);
    auto r = client.create_battle(create_req());
    REQUIRE_FALSE(r);
    CHECK(r.error().code == te::connect_refused);
    CHECK(t.sent() == 1);
}

TEST_CASE("configuration errors are reported, and the key is never echoed") {
    auto c = config();
    c.creds.secret_key.clear();
    auto r = test_client::create(c, scripted_transport());
    REQUIRE_FALSE(r);
    CHECK(r.error().code == trtc::errc::invalid_argument);
    auto c2 = config();
    c2.creds.identifier = "bad\nid";
    auto r2 = test_client::create(c2, scripted_transport());
    REQUIRE_FALSE(r2);
    CHECK(r2.error().describe().find(key) == std::string::npos);
    auto c3 = config();
    c3.attempt_timeout = std::chrono::milliseconds(0);
    CHECK_FALSE(test_client::create(c3, scripted_transport()));
}

TEST_CASE("one client shared by many threads") {
    scripted_transport t;
    auto seen = std::make_shared<std::set<std::uint32_t>>();
    t.otherwise([seen](const trtc::http_request& r) {
        // About half the calls fail once, on their first attempt, with a retryable code.
        // (The script runs under the transport's lock.)
        if (r.random % 2 == 0 && seen->insert(r.random).second)
            return step::answer(test_support::service_error(100001));
        return step::answer(test_support::battle_ok());
    });
    auto client = make(t);
    std::atomic<int> ok{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 8; ++i)
        threads.emplace_back([&] {
            for (int j = 0; j < 50; ++j)
                if (client.create_battle(create_req())) ++ok;
        });
    for (auto& th : threads) th.join();
    CHECK(ok == 400);
    CHECK(client.usersig_source().signatures_made() == 1);
    // Every call's random was distinct or nearly so (full-range values).
    auto reqs = t.requests();
    std::vector<std::string> randoms;
    for (const auto& r : reqs) {
        std::size_t a = r.url.find("random=") + 7;
        randoms.push_back(r.url.substr(a, r.url.find('&', a) - a));
    }
    std::sort(randoms.begin(), randoms.end());
    CHECK(std::unique(randoms.begin(), randoms.end()) - randoms.begin() >= 395);
    CHECK(reqs.size() > 400); // the retries happened
}

#if TRTC_HAS_POSIX_SOCKETS
TEST_CASE("the built-in plain-HTTP client refuses an https:// location at creation") {
    trtc::client_config c;
    c.creds = {1400000000, "administrator", key};
    c.where = trtc::location::of(trtc::region::singapore);
    auto r = trtc::client::create(std::move(c));
    REQUIRE_FALSE(r);
    CHECK(r.error().code == trtc::errc::invalid_url);
    CHECK(r.error().message.find("trtc/adapters/curl.hpp") != std::string::npos);
}
#endif

TEST_CASE("UserSig renewal while many threads call (run under TSan by the test script)") {
    manual_clock::seconds = 1700000000;
    scripted_transport t;
    t.otherwise([](const trtc::http_request&) { return step::answer(test_support::battle_ok()); });
    auto c = config();
    c.creds.usersig_validity = std::chrono::seconds(40); // renews every 30 s of clock time
    auto client = make(t, nullptr, c);
    std::atomic<bool> stop{false};
    std::atomic<int> ok{0}, failed{0};
    std::vector<std::thread> callers;
    for (int i = 0; i < 6; ++i)
        callers.emplace_back([&] {
            // At least 20 calls each, then on until the clock has stopped moving.
            for (int j = 0; j < 20 || !stop; ++j)
                (client.create_battle(create_req()) ? ok : failed)++;
        });
    // Move the clock 10 s at a time while the callers run (a renewal every third tick), each
    // tick after at least 20 more calls: the work is bounded however the threads are
    // scheduled (valgrind runs one thread at a time).
    for (int i = 0; i < 30; ++i) {
        const int seen = ok + failed;
        while (ok + failed < seen + 20) std::this_thread::yield();
        manual_clock::seconds += 10;
    }
    stop = true;
    for (auto& th : callers) th.join();
    CHECK(ok >= 600);
    CHECK(failed == 0);
    CHECK(client.usersig_source().signatures_made() > 1);
    // Every sig that went out was made with the configured validity; several went out.
    std::vector<std::string> sigs;
    for (const auto& r : t.requests()) {
        std::string sig = usersig_of(r);
        bool seen = false;
        for (const auto& s : sigs) seen = seen || s == sig;
        if (!seen) sigs.push_back(std::move(sig));
    }
    CHECK(sigs.size() > 1);
    // At least one credential query per UserSig (a caller still holding the previous UserSig
    // when another has switched to the next one makes its query again).
    CHECK(client.signed_queries_made() >= sigs.size());
    for (const auto& sig : sigs) {
        auto d = trtc::decode_usersig(sig);
        REQUIRE(d);
        CHECK(d->expire == 40);
    }
}
