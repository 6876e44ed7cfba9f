// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
// trtc::result<T> and trtc::error.
#include <trtc/errors.hpp>
#include <trtc/result.hpp>

#include <doctest/doctest.h>

#include <ostream> // doctest prints std::error_code through it

#include <memory>
#include <string>

namespace {
trtc::result<int> parse_digit(char c) {
    if (c < '0' || c > '9') return trtc::error(trtc::errc::invalid_argument, "not a digit");
    return c - '0';
}
struct counted {
    static int live;
    counted() { ++live; }
    counted(const counted&) { ++live; }
    counted(counted&&) noexcept { ++live; }
    ~counted() { --live; }
};
int counted::live = 0;
} // namespace

TEST_CASE("result holds a value or an error") {
    auto ok = parse_digit('7');
    REQUIRE(ok);
    CHECK(ok.has_value());
    CHECK(*ok == 7);
    CHECK(ok.value() == 7);
    CHECK_FALSE(ok.code());

    auto bad = parse_digit('x');
    REQUIRE_FALSE(bad);
    CHECK(bad.error().code == trtc::errc::invalid_argument);
    CHECK(bad.error().message == "not a digit");
    CHECK(bad.code() == trtc::errc::invalid_argument);
    CHECK(bad.value_or(-1) == -1);
}

TEST_CASE("result copies, moves and destroys its content exactly once") {
    {
        trtc::result<counted> a = counted{};
        CHECK(counted::live == 1);
        trtc::result<counted> b = a;
        CHECK(counted::live == 2);
        trtc::result<counted> c = std::move(a);
        CHECK(counted::live == 3);
        b = trtc::error(trtc::errc::invalid_url);
        CHECK(counted::live == 2);
        b = c;
        CHECK(counted::live == 3);
    }
    CHECK(counted::live == 0);
}

TEST_CASE("result of a move-only type") {
    trtc::result<std::unique_ptr<int>> r = std::make_unique<int>(5);
    REQUIRE(r);
    std::unique_ptr<int> p = std::move(r).value();
    CHECK(*p == 5);
}

TEST_CASE("result<void>") {
    trtc::result<void> ok;
    CHECK(ok);
    trtc::result<void> bad = trtc::error(trtc::errc::rate_limited, "slow down");
    CHECK_FALSE(bad);
    CHECK(bad.error().message == "slow down");
    trtc::error moved = std::move(bad).error();
    CHECK(moved.code == trtc::errc::rate_limited);
}

TEST_CASE("error::describe names the category, the code, random, RequestId and violations") {
    trtc::error e(trtc::make_service_error_code(100415), "caller in battle");
    CHECK(e.describe() == "trtc.service: caller in battle [100415]");
    e.random = 42;
    e.has_random = true;
    e.request_id = "Id-1";
    CHECK(e.describe() == "trtc.service: caller in battle [100415] (random=42, RequestId=Id-1)");

    trtc::error v(trtc::errc::invalid_request, "2 problems");
    v.violations.push_back({"FromRoomId", "must not be empty"});
    v.violations.push_back({"ToRoomIdList[1]", "duplicate of ToRoomIdList[0]"});
    CHECK(v.describe() == "trtc: 2 problems [1]\n  FromRoomId: must not be empty\n"
                          "  ToRoomIdList[1]: duplicate of ToRoomIdList[0]");

    trtc::error bare(trtc::transport_errc::dns_failure);
    CHECK(bare.describe() == "trtc.transport: host name resolution failed [1]");
}

#if TRTC_USE_EXCEPTIONS
TEST_CASE("value() throws trtc::exception carrying the error") {
    auto bad = parse_digit('x');
    bool caught = false;
    try {
        (void)bad.value();
    } catch (const trtc::exception& e) {
        caught = true;
        CHECK(e.code() == trtc::errc::invalid_argument);
        CHECK(e.error().message == "not a digit");
        CHECK(std::string(e.what()).find("not a digit") != std::string::npos);
    }
    CHECK(caught);
}
#endif
