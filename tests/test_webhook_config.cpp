// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief The webhook configuration endpoints of v4/live_config: the contract, the request
/// rules, the bodies, the answers (envelope only, booleans, string lists), the error codes,
/// and the token kept out of every message.
#include <trtc/trtc.hpp>

#include <doctest/doctest.h>

#include <ostream> // doctest prints std::error_code through it
#include <string>
#include <vector>

namespace {

trtc::request_context wc_context() {
    trtc::request_context c;
    c.sdkappid = 1400000000;
    c.identifier = "administrator";
    c.usersig = "eJwsig";
    c.random = 7;
    return c;
}

trtc::base_url wc_base() {
    return trtc::base_url::parse("https://console.tim.qq.com").value();
}

template <class E>
trtc::result<trtc::http_request> wc_prepare(const typename E::request& r) {
    return trtc::prepare(r, wc_base(), wc_context());
}

bool wc_has(const trtc::error& e, const std::string& field, const std::string& fragment) {
    for (const auto& v : e.violations())
        if (v.field == field && v.message.find(fragment) != std::string::npos) return true;
    return false;
}

const std::vector<std::string> wc_all = {"Live.CallbackAfterCreateBattle",
                                         "Live.CallbackAfterStartBattle",
                                         "Live.CallbackAfterEndBattle"};

} // namespace

static_assert(trtc::detail::check_endpoint<trtc::set_callback>());
static_assert(trtc::detail::check_endpoint<trtc::update_callback>());
static_assert(trtc::detail::check_endpoint<trtc::get_callback>());
static_assert(trtc::detail::check_endpoint<trtc::delete_callback>());
static_assert(trtc::detail::check_endpoint<trtc::set_callback_token>());
static_assert(trtc::detail::check_endpoint<trtc::get_callback_token>());
static_assert(trtc::detail::check_endpoint<trtc::delete_callback_token>());

TEST_CASE("set_callback and update_callback: path, body and rules") {
    trtc::set_callback::request r{"https://example.com/hook?x=1", wc_all};
    auto req = wc_prepare<trtc::set_callback>(r);
    REQUIRE(req);
    CHECK(req->url.rfind("https://console.tim.qq.com/v4/live_config/set_callback?", 0) == 0);
    CHECK(req->body == R"({"Url":"https://example.com/hook?x=1","CallbackCommandList":)"
                       R"(["Live.CallbackAfterCreateBattle","Live.CallbackAfterStartBattle",)"
                       R"("Live.CallbackAfterEndBattle"]})");
    auto up = wc_prepare<trtc::update_callback>({"http://10.0.0.1:8080/h", {wc_all[2]}});
    REQUIRE(up);
    CHECK(up->url.find("/v4/live_config/update_callback?") != std::string::npos);
    CHECK_FALSE(trtc::set_callback::idempotent);
    CHECK(trtc::update_callback::idempotent);

    auto refused = [](trtc::set_callback::request bad) {
        auto p = wc_prepare<trtc::set_callback>(bad);
        REQUIRE_FALSE(p);
        CHECK(p.error().code == trtc::errc::invalid_request);
        return p.error();
    };
    CHECK(wc_has(refused({"ftp://x/h", wc_all}), "Url", "http:// or https://"));
    CHECK(wc_has(refused({"example.com/h", wc_all}), "Url", "http:// or https://"));
    CHECK(wc_has(refused({"https://", wc_all}), "Url", "no host"));
    CHECK(wc_has(refused({"https://a b/", wc_all}), "Url", "space"));
    CHECK(wc_has(refused({"https://x/" + std::string(3000, 'a'), wc_all}), "Url", "at most"));
    CHECK(wc_has(refused({"https://x/h", {}}), "CallbackCommandList", "at least one"));
    CHECK(wc_has(refused({"https://x/h", {"Live.CallbackAfterDestroyRoom"}}),
                 "CallbackCommandList[0]", "not a known command"));
    CHECK(wc_has(refused({"https://x/h", {wc_all[0], wc_all[0]}}), "CallbackCommandList[1]",
                 "repeats CallbackCommandList[0]"));
    auto bad_update = wc_prepare<trtc::update_callback>({"x", {}});
    REQUIRE_FALSE(bad_update);
    CHECK(bad_update.error().violations().size() == 2);
}

TEST_CASE("get, delete: empty bodies; an envelope without Response is a success") {
    for (auto p :
         {wc_prepare<trtc::get_callback>({}), wc_prepare<trtc::delete_callback>({}),
          wc_prepare<trtc::get_callback_token>({}), wc_prepare<trtc::delete_callback_token>({})}) {
        REQUIRE(p);
        CHECK(p->body == "{}");
    }
    const trtc::http_response ok{
        200, R"({"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0,"RequestId":"r-1"})"};
    auto s = trtc::decode<trtc::set_callback>(ok, 7);
    REQUIRE(s);
    CHECK(s->request_id == "r-1");
    CHECK(s->random == 7);
    CHECK(trtc::decode<trtc::update_callback>(ok, 7));
    CHECK(trtc::decode<trtc::delete_callback>(ok, 7));
    CHECK(trtc::decode<trtc::set_callback_token>(ok, 7));
    CHECK(trtc::decode<trtc::delete_callback_token>(ok, 7));
    // an endpoint with a Response object still needs it
    auto g = trtc::decode<trtc::get_callback>(ok, 7);
    REQUIRE_FALSE(g);
    CHECK(g.error().code == trtc::decode_errc::missing_response);
}

TEST_CASE("get_callback reads Url and CallbackCommandList") {
    auto g = trtc::decode<trtc::get_callback>(
        {200, R"({"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0,"RequestId":"r",)"
              R"("Response":{"Url":"https://x/h","CallbackCommandList":)"
              R"(["Live.CallbackAfterEndBattle","Live.CallbackAfterStartBattle"]}})"},
        1);
    REQUIRE(g);
    CHECK(g->url == "https://x/h");
    CHECK(g->commands ==
          std::vector<std::string>{"Live.CallbackAfterEndBattle", "Live.CallbackAfterStartBattle"});
    auto wrong = trtc::decode<trtc::get_callback>(
        {200, R"({"ErrorCode":0,"Response":{"Url":"u","CallbackCommandList":["a",3]}})"}, 1);
    REQUIRE_FALSE(wrong);
    CHECK(wrong.error().code == trtc::decode_errc::wrong_type);
    CHECK(wrong.error().message.find("Response.CallbackCommandList[1]") != std::string::npos);
    auto not_list = trtc::decode<trtc::get_callback>(
        {200, R"({"ErrorCode":0,"Response":{"CallbackCommandList":"a"}})"}, 1);
    REQUIRE_FALSE(not_list);
    CHECK(not_list.error().message.find("CallbackCommandList") != std::string::npos);
    auto none = trtc::decode<trtc::get_callback>(
        {200, R"({"ErrorCode":100301,"ErrorInfo":"callback not exist"})"}, 1);
    REQUIRE_FALSE(none);
    CHECK(none.error().code == trtc::service_errc::webhook_config_not_found);
    CHECK(trtc::classify(none.error().code) == trtc::error_action::fatal);
}

TEST_CASE("the config error codes are in the catalogue with their actions") {
    for (int code : {100300, 100301, 100302}) {
        CAPTURE(code);
        const trtc::service_error_info* i = trtc::find_service_error(code);
        REQUIRE(i != nullptr);
        CHECK(i->action == trtc::error_action::fatal);
    }
    CHECK(trtc::find_service_error(100300)->meaning.find("update_callback") != std::string::npos);
    CHECK(trtc::find_service_error(100301)->meaning.find("set_callback") != std::string::npos);
    CHECK(trtc::find_service_error(100302)->meaning.find("set_callback_token") !=
          std::string::npos);
}

TEST_CASE("set_callback_token: rules in characters, partial updates, never the token") {
    const std::string secret = "tok-SECRET-123";
    trtc::set_callback_token::request r{secret, true};
    auto p = wc_prepare<trtc::set_callback_token>(r);
    REQUIRE(p);
    CHECK(p->url.find("/v4/live_config/set_callback_token?") != std::string::npos);
    CHECK(p->body == R"({"Token":"tok-SECRET-123","IsTokenEnable":true})");
    auto only_flag = wc_prepare<trtc::set_callback_token>({std::nullopt, false});
    REQUIRE(only_flag);
    CHECK(only_flag->body == R"({"IsTokenEnable":false})");
    auto only_token = wc_prepare<trtc::set_callback_token>({secret, std::nullopt});
    REQUIRE(only_token);
    CHECK(only_token->body == R"({"Token":"tok-SECRET-123"})");

    auto refused = [&](trtc::set_callback_token::request bad) {
        auto q = wc_prepare<trtc::set_callback_token>(bad);
        REQUIRE_FALSE(q);
        const std::string all = q.error().describe();
        if (bad.token && bad.token->size() >= 4)
            CHECK(all.find(bad.token->substr(0, 4)) == std::string::npos);
        return q.error();
    };
    CHECK(wc_has(refused({std::nullopt, std::nullopt}), "Token", "give a Token"));
    CHECK(wc_has(refused({std::string(), true}), "Token", "0 characters"));
    CHECK(wc_has(refused({"SeCr" + std::string(125, 'x'), true}), "Token", "129 characters"));
    CHECK(wc_has(refused({"SeCr\n", true}), "Token", "control character"));
    CHECK(wc_has(refused({"SeCr\xFF", true}), "Token", "not valid UTF-8"));
    // 128 characters, counted as characters, not bytes
    std::string wide;
    for (int i = 0; i < 128; ++i) wide += "\xE4\xB8\xAD";
    CHECK(wc_prepare<trtc::set_callback_token>({wide, true}));
    CHECK(wc_prepare<trtc::set_callback_token>({std::string(128, 'a'), true}));
    CHECK(wc_prepare<trtc::set_callback_token>({std::string("a"), true}));
}

TEST_CASE("get_callback_token reads the token; its errors never quote the body") {
    auto t = trtc::decode<trtc::get_callback_token>(
        {200, R"({"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0,"RequestId":"r",)"
              R"("Response":{"Token":"xxxxyyyy","IsTokenEnable":true}})"},
        1);
    REQUIRE(t);
    CHECK(t->token == "xxxxyyyy");
    CHECK(t->enabled);
    auto off = trtc::decode<trtc::get_callback_token>(
        {200, R"({"ErrorCode":0,"Response":{"Token":"xxxxyyyy","IsTokenEnable":false}})"}, 1);
    REQUIRE(off);
    CHECK_FALSE(off->enabled);
    for (const char* body :
         {R"({"ErrorCode":0,"Response":{"Token":"xxxxyyyy","IsTokenEnable":1}})",
          R"({"ErrorCode":0,"Response":{"Token":"xxxxyyyy",)", R"(["xxxxyyyy"])"}) {
        CAPTURE(body);
        for (int status : {200, 502}) {
            auto bad = trtc::decode<trtc::get_callback_token>({status, body}, 1);
            REQUIRE_FALSE(bad);
            CHECK(bad.error().describe().find("xxxxyyyy") == std::string::npos);
        }
    }
    // other endpoints still quote an excerpt
    auto other = trtc::decode<trtc::get_callback>({502, "gateway xxxxyyyy"}, 1);
    REQUIRE_FALSE(other);
    CHECK(other.error().describe().find("xxxxyyyy") != std::string::npos);
    auto none = trtc::decode<trtc::get_callback_token>(
        {200, R"({"ErrorCode":100302,"ErrorInfo":"token not exist"})"}, 1);
    REQUIRE_FALSE(none);
    CHECK(none.error().code == trtc::service_errc::webhook_token_not_found);
}
