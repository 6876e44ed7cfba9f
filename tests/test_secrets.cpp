// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
//
// Neither the secret key nor any UserSig appears in anything the library produces: error
// messages and descriptions, exceptions, events, redacted URLs. Every error path is driven:
// validation, transport, decode, service errors, the event hook.
#include <trtc/client.hpp>
#include <trtc/default_client.hpp>
#include <trtc/testing/emulator_server.hpp>
#include <trtc/testing/emulator_transport.hpp>

#include <doctest/doctest.h>

#include "scripted_transport.hpp"

#include <memory>
#include <ostream> // doctest prints std::error_code through it
#include <string>
#include <vector>

using test_support::scripted_transport;
using test_support::step;

namespace {

const std::string sensitive_key = "S3CRET-key-0123456789abcdef0123456789abcdef0123456789abcdef0123";

/// Everything the library said during a test.
struct transcript {
    std::vector<std::string> lines;
    void add(const std::string& s) { lines.push_back(s); }
    void add(const trtc::error& e) {
        add(e.describe());
        add(e.message);
        for (const auto& v : e.violations()) add(v.field + " " + v.message);
    }
    /// Fails if a line holds the key, or a UserSig, or the signature part of one.
    void check_clean(const std::vector<std::string>& sigs) const {
        for (const std::string& line : lines) {
            CAPTURE(line);
            CHECK(line.find(sensitive_key) == std::string::npos);
            CHECK(line.find(sensitive_key.substr(10, 24)) == std::string::npos);
            for (const std::string& sig : sigs) {
                CHECK(line.find(sig) == std::string::npos);
                // The tail of a sig encodes TLS.sig: no 40-character piece of it either.
                CHECK(line.find(sig.substr(sig.size() - 40)) == std::string::npos);
                CHECK(line.find(sig.substr(sig.size() / 2, 40)) == std::string::npos);
            }
        }
    }
};

std::vector<std::string> sigs_for(const std::string& id) {
    // The client signs at the current second; cover the neighbouring seconds too.
    std::vector<std::string> out;
    auto s = trtc::usersig_signer::create(1400000000, sensitive_key).value();
    const auto now = trtc::unix_now();
    for (int d = -2; d <= 30; ++d)
        out.push_back(
            s.generate(id, std::chrono::hours(24), now + std::chrono::seconds(d)).value());
    return out;
}

struct scripted_policies : trtc::default_policies {
    using transport = scripted_transport;
};

trtc::client_config config(transcript& t, const char* base = "http://127.0.0.1:9") {
    trtc::client_config c;
    c.creds = {1400000000, "administrator", sensitive_key};
    c.where = trtc::location::parse(base).value();
    c.retry.initial_backoff = std::chrono::milliseconds(1);
    c.retry.max_backoff = std::chrono::milliseconds(1);
    c.attempt_timeout = std::chrono::milliseconds(500);
    c.call_timeout = std::chrono::milliseconds(2000);
    c.on_event = [&t](const trtc::call_event& e) {
        t.add(std::string(e.command) + " " + std::string(e.redacted_url) + " " +
              std::string(e.request_id) + " " + e.code.message());
    };
    return c;
}

trtc::create_battle::request good() {
    return {"pk-1", {"pk-2"}, std::chrono::seconds(30), {}};
}

} // namespace

TEST_CASE("secrets: validation, configuration and prepare errors") {
    transcript t;
    auto client = trtc::basic_client<scripted_policies>::create(config(t), scripted_transport());
    REQUIRE(client);
    auto bad = client->create_battle({"pk-1", {"pk-1", ""}, std::chrono::seconds(0), {}});
    REQUIRE_FALSE(bad);
    t.add(bad.error());

    auto cfg = config(t);
    cfg.creds.identifier = "";
    auto no_id = trtc::basic_client<scripted_policies>::create(cfg, scripted_transport());
    REQUIRE_FALSE(no_id);
    t.add(no_id.error());

    // A context whose UserSig is malformed: the complaint never quotes it.
    const std::string sig = sigs_for("administrator")[0];
    std::string broken = sig + " ";
    trtc::request_context ctx{1400000000, "administrator", broken, 1};
    auto p = trtc::prepare(good(), trtc::base_url::parse("http://h").value(), ctx);
    REQUIRE_FALSE(p);
    t.add(p.error());
    t.check_clean({sig});
}

TEST_CASE("secrets: transport failures, over real sockets") {
    transcript t;
    auto client = trtc::client::create(config(t, "http://127.0.0.1:1"));
    REQUIRE(client);
    auto r = client->create_battle(good());
    REQUIRE_FALSE(r);
    CHECK(r.error().code == trtc::transport_errc::connect_refused);
    t.add(r.error());
    t.check_clean(sigs_for("administrator"));
}

TEST_CASE("secrets: answers that echo the request back") {
    transcript t;
    scripted_transport script;
    // A proxy error page quoting the whole URL; a service message quoting the sig; a garbage
    // body made of the URL.
    script.otherwise([](const trtc::http_request& req) {
        const std::size_t at = req.url.find("usersig=") + 8;
        const std::string sig = req.url.substr(at, req.url.find('&', at) - at);
        switch (req.random % 4) {
        case 0:
            return step::answer("<html>upstream failed for " + req.url + "</html>", 502);
        case 1:
            return step::answer(
                R"({"ErrorCode":70009,"ActionStatus":"FAIL","ErrorInfo":"bad sig )" + sig +
                R"("})");
        case 2:
            return step::answer(req.url, 200);
        default: // a piece of the sig, 24 characters from its middle
            return step::answer(
                R"({"ErrorCode":70009,"ActionStatus":"FAIL","ErrorInfo":"sig ends )" +
                sig.substr(sig.size() / 2, 24) + R"( here"})");
        }
    });
    auto client = trtc::basic_client<scripted_policies>::create(config(t), script).value();
    for (std::uint32_t random : {32u, 33u, 34u, 35u}) {
        trtc::call_options o;
        o.random = random;
        auto r = client.create_battle(good(), o);
        REQUIRE_FALSE(r);
        t.add(r.error());
        auto info = client.get_battle_info(trtc::get_battle_info::request::by_battle_id("b1"), o);
        REQUIRE_FALSE(info);
        t.add(info.error());
    }
    t.check_clean(sigs_for("administrator"));
    // No 24-character piece of any of the sigs is left anywhere.
    for (const std::string& line : t.lines)
        for (const std::string& sig : sigs_for("administrator"))
            for (std::size_t b = 0; b + 24 <= sig.size(); b += 4) {
                CAPTURE(line);
                REQUIRE(line.find(sig.substr(b, 24)) == std::string::npos);
            }
}

TEST_CASE("secrets: service errors from the emulator, and the event hook") {
    transcript t;
    trtc::testing::emulator_options eo;
    eo.sdkappid = 1400000000;
    eo.admins = {"administrator"};
    eo.secret_key = "the emulator's own key, not the client's";
    auto emu = std::make_shared<trtc::testing::emulator>(eo);
    auto server = trtc::testing::emulator_server::create(emu).value();
    auto client = trtc::client::create(config(t, server.base_url().c_str())).value();
    auto r = client.create_battle(good());
    REQUIRE_FALSE(r);
    CHECK(r.error().code == trtc::service_errc::usersig_verification_failed);
    t.add(r.error());
    CHECK(t.lines.size() >= 2); // the event hook reported the attempt
    t.check_clean(sigs_for("administrator"));
}

#if TRTC_USE_EXCEPTIONS
TEST_CASE("secrets: exceptions thrown by value()") {
    transcript t;
    scripted_transport script;
    script.otherwise([](const trtc::http_request& req) {
        return step::answer("<html>" + req.url + "</html>", 502);
    });
    auto client = trtc::basic_client<scripted_policies>::create(config(t), script).value();
    bool thrown = false;
    try {
        (void)client.create_battle(good()).value();
    } catch (const trtc::exception& e) {
        thrown = true;
        t.add(e.what());
        t.add(e.error());
    }
    CHECK(thrown);
    t.check_clean(sigs_for("administrator"));
}
#endif
