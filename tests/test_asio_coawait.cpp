// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief The Asio client awaited with asio::use_awaitable. Asio offers co_await with C++20 and
/// exceptions, and turns it on for g++ 10 and later (not for clang 14 with libstdc++): this
/// source is built alone as C++20 in such builds (tests/CMakeLists.txt), where it must run
/// its case; elsewhere it is not built.
#include "asio_fixture.hpp"

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/use_awaitable.hpp>

#include <optional>
#include <string>

#if !defined(ASIO_HAS_CO_AWAIT) || defined(ASIO_NO_EXCEPTIONS)
#    error "test_asio_coawait.cpp needs Asio's co_await (C++20 with exceptions)"
#endif

using namespace test_asio;

TEST_CASE("asio client: co_await with asio::use_awaitable (C++20 with exceptions only)") {
    asio_fixture f;
    auto client = f.client();
    std::optional<std::string> seen;
    asio::co_spawn(
        f.io,
        [&]() -> asio::awaitable<void> {
            create_result c =
                co_await client.async_create_battle(create_req("d1", "d2"), asio::use_awaitable);
            REQUIRE(c);
            info_result i = co_await client.async_get_battle_info(
                trtc::get_battle_info::request::by_battle_id(c->battle_id), asio::use_awaitable);
            REQUIRE(i);
            seen = i->battle_id;
        },
        asio::detached);
    f.run_until([&] { return seen.has_value(); });
    CHECK(!seen->empty());
}
