// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
// Data centres, their domains, and custom base URLs.
#include <trtc/regions.hpp>

#include <doctest/doctest.h>

#include <ostream> // doctest prints std::error_code through it
#include <set>
#include <string>

TEST_CASE("every data centre has a primary and a backup domain") {
    const std::pair<trtc::region, const char*> expected[] = {
        {trtc::region::china, "console.tim.qq.com"},
        {trtc::region::singapore, "adminapisgp.im.qcloud.com"},
        {trtc::region::seoul, "adminapikr.im.qcloud.com"},
        {trtc::region::tokyo, "adminapijpn.im.qcloud.com"},
        {trtc::region::frankfurt, "adminapiger.im.qcloud.com"},
        {trtc::region::mumbai, "adminapiind.im.qcloud.com"},
        {trtc::region::silicon_valley, "adminapiusa.im.qcloud.com"},
        {trtc::region::jakarta, "adminapiidn.im.qcloud.com"},
    };
    std::set<std::string_view> hosts;
    for (const auto& [r, host] : expected) {
        const trtc::region_info& i = trtc::info(r);
        CHECK(i.id == r);
        CHECK(i.primary_host == host);
        CHECK(i.backup_host.find("my-imcloud.com") != std::string_view::npos);
        CHECK(hosts.insert(i.primary_host).second);
        CHECK(hosts.insert(i.backup_host).second);
        CHECK(trtc::find_region(i.name) == &i);
        auto loc = trtc::location::of(r);
        CHECK(loc.has_backup);
        CHECK(loc.primary.str() == std::string("https://") + host);
        CHECK(loc.backup.str() == "https://" + std::string(i.backup_host));
        CHECK(loc.primary.is_https());
    }
    CHECK(trtc::info(trtc::region::china).backup_host == "adminapi.my-imcloud.com");
    CHECK(sizeof(trtc::regions) / sizeof(trtc::regions[0]) == 8);
}

TEST_CASE("regions are found by name or alias, case-insensitively") {
    CHECK(trtc::find_region("SGP")->id == trtc::region::singapore);
    CHECK(trtc::find_region("usa")->id == trtc::region::silicon_valley);
    CHECK(trtc::find_region("Silicon-Valley")->id == trtc::region::silicon_valley);
    CHECK(trtc::find_region("idn")->id == trtc::region::jakarta);
    CHECK(trtc::find_region("cn")->id == trtc::region::china);
    CHECK(trtc::find_region("mars") == nullptr);
    CHECK(trtc::find_region("") == nullptr);
}

TEST_CASE("custom base URLs are validated and normalised") {
    auto a = trtc::base_url::parse("http://127.0.0.1:8080/");
    REQUIRE(a);
    CHECK(a->str() == "http://127.0.0.1:8080");
    CHECK_FALSE(a->is_https());
    auto b = trtc::base_url::parse("https://proxy.example.com/tencent/rest//");
    REQUIRE(b);
    CHECK(b->str() == "https://proxy.example.com/tencent/rest");
    std::string url;
    b->append_api_path(url, "live_engine_http_pk", "create_battle");
    CHECK(url == "https://proxy.example.com/tencent/rest/v4/live_engine_http_pk/create_battle");

    for (const char* bad : {"", "console.tim.qq.com", "ftp://x/", "http://", "http://h:99999",
                            "http://h/?q=1", "http://h/#frag", "http://user@h/"}) {
        CAPTURE(bad);
        auto r = trtc::base_url::parse(bad);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == trtc::errc::invalid_url);
        CHECK(r.error().message.find("base URL") != std::string::npos);
    }
    auto loc = trtc::location::parse("http://127.0.0.1:9000");
    REQUIRE(loc);
    CHECK_FALSE(loc->has_backup);
    auto pair = trtc::location::parse("http://a:1", "http://b:2");
    REQUIRE(pair);
    CHECK(pair->has_backup);
    CHECK(pair->backup.str() == "http://b:2");
    CHECK_FALSE(trtc::location::parse("http://a:1", "nope"));
}
