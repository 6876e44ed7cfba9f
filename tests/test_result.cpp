// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
// trtc::result<T> and trtc::error.
#include <trtc/errors.hpp>
#include <trtc/result.hpp>

#include <doctest/doctest.h>

#include <ostream> // doctest prints std::error_code through it

#include <cstdint>
#include <memory>
#include <string>
#include <system_error>
#include <type_traits>
#include <utility>

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

// A value without a default constructor or assignment from int.
struct no_default {
    explicit no_default(int v) : n(v) {}
    int n;
};
} // namespace

// result<T> has the special members T has, with std::expected's noexcept specifications.
static_assert(std::is_nothrow_move_constructible_v<trtc::result<int>>);
static_assert(std::is_nothrow_move_assignable_v<trtc::result<int>>);
static_assert(std::is_copy_constructible_v<trtc::result<std::string>>);
static_assert(std::is_copy_assignable_v<trtc::result<std::string>>);
static_assert(!std::is_copy_constructible_v<trtc::result<std::unique_ptr<int>>>);
static_assert(!std::is_copy_assignable_v<trtc::result<std::unique_ptr<int>>>);
static_assert(std::is_nothrow_move_constructible_v<trtc::result<std::unique_ptr<int>>>);
static_assert(std::is_nothrow_move_assignable_v<trtc::result<std::unique_ptr<int>>>);
static_assert(std::is_nothrow_move_constructible_v<trtc::result<void>>);
static_assert(std::is_nothrow_move_assignable_v<trtc::result<void>>);
static_assert(std::is_copy_assignable_v<trtc::result<void>>);
static_assert(!std::is_default_constructible_v<trtc::result<no_default>>);

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

    trtc::result<std::unique_ptr<int>> other = trtc::error(trtc::errc::invalid_argument);
    other = std::make_unique<int>(6); // converting assignment over an error
    REQUIRE(other);
    r = std::move(other); // value over a (moved-from) value
    REQUIRE(r);
    CHECK(**r == 6);
    r = trtc::error(trtc::errc::rate_limited);
    CHECK(r.code() == trtc::errc::rate_limited);
}

TEST_CASE("result of a type without a default constructor or assignment from its argument") {
    trtc::result<no_default> r = no_default(1);
    CHECK(r->n == 1);
    r = trtc::error(trtc::errc::invalid_argument);
    CHECK_FALSE(r);
    r = no_default(2);
    REQUIRE(r);
    CHECK(r->n == 2);
    const trtc::result<no_default> copy = r;
    CHECK(copy->n == 2);
}

TEST_CASE("result<void> assignment") {
    trtc::result<void> ok;
    const trtc::result<void> bad = trtc::error(trtc::errc::rate_limited, "slow down");
    ok = bad;
    REQUIRE_FALSE(ok);
    CHECK(ok.error().message == "slow down");
    ok = trtc::result<void>();
    CHECK(ok);
    trtc::result<void> moved = bad;
    trtc::result<void> target;
    target = std::move(moved);
    REQUIRE_FALSE(target);
    CHECK(target.error().code == trtc::errc::rate_limited);
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
    e.set_request_id("Id-1");
    CHECK(e.describe() == "trtc.service: caller in battle [100415] (random=42, RequestId=Id-1)");

    trtc::error v(trtc::errc::invalid_request, "2 problems");
    v.add_violation({"FromRoomId", "must not be empty"});
    v.add_violation({"ToRoomIdList[1]", "duplicate of ToRoomIdList[0]"});
    CHECK(v.describe() == "trtc: 2 problems [1]\n  FromRoomId: must not be empty\n"
                          "  ToRoomIdList[1]: duplicate of ToRoomIdList[0]");

    trtc::error bare(trtc::transport_errc::dns_failure);
    CHECK(bare.describe() == "trtc.transport: host name resolution failed [1]");
}

// The inline part of an error is its code, message and random; the RequestId, violations and
// cause share one block behind a pointer. These fail if an error grows back.
static_assert(sizeof(trtc::error) <= sizeof(std::error_code) + sizeof(std::string) +
                                         2 * sizeof(std::uint32_t) + sizeof(void*));
static_assert(sizeof(trtc::result<int>) <= sizeof(trtc::error) + alignof(trtc::error));
static_assert(sizeof(trtc::result<void>) <= sizeof(trtc::error) + alignof(trtc::error));
static_assert(std::is_nothrow_move_constructible_v<trtc::error>);
static_assert(std::is_nothrow_move_assignable_v<trtc::error>);
static_assert(std::is_nothrow_default_constructible_v<trtc::error>);

TEST_CASE("error: the RequestId, violations and cause are allocated only when set") {
    trtc::error a(trtc::errc::invalid_request, "a");
    const trtc::error b(trtc::errc::invalid_request, "b");
    CHECK(a.request_id().empty());
    CHECK(a.violations().empty());
    CHECK_FALSE(a.cause());
    // Without details, every error reads the same empty block: nothing was allocated.
    CHECK(&a.request_id() == &b.request_id());
    a.set_request_id("");
    a.set_violations({});
    a.set_cause(std::error_code());
    CHECK(&a.request_id() == &b.request_id());
    CHECK(a.describe() == "trtc: a [1]");

    a.set_cause(trtc::transport_errc::timeout_after_send);
    CHECK(&a.request_id() != &b.request_id());
    CHECK(a.cause() == trtc::transport_errc::timeout_after_send);
    CHECK(a.request_id().empty());
    CHECK(a.describe() == "trtc: a [1] (cause: trtc.transport 6)");
    CHECK(b.request_id().empty()); // the shared empty block is unchanged
    CHECK_FALSE(b.cause());
}

TEST_CASE("error: copies are deep, moves leave an empty error behind") {
    trtc::error e(trtc::errc::outcome_unknown, "m");
    e.set_request_id("Id-7");
    e.set_cause(trtc::transport_errc::connection_closed);
    e.add_violation({"FromRoomId", "must not be empty"});

    trtc::error copy = e;
    e.set_request_id("Id-8");
    e.add_violation({"Duration", "must be positive"});
    e.set_cause(trtc::transport_errc::timeout_after_send);
    CHECK(copy.request_id() == "Id-7");
    CHECK(copy.cause() == trtc::transport_errc::connection_closed);
    REQUIRE(copy.violations().size() == 1);
    CHECK(copy.violations()[0].field == "FromRoomId");
    CHECK(e.violations().size() == 2);

    trtc::error assigned(trtc::errc::rate_limited);
    assigned = copy;
    CHECK(assigned.code == trtc::errc::outcome_unknown);
    CHECK(assigned.request_id() == "Id-7");
    copy.set_violations({{"ToRoomIdList[0]", "duplicate"}, {"ToRoomIdList[1]", "duplicate"}});
    CHECK(assigned.violations().size() == 1);
    CHECK(copy.violations().size() == 2);
    const trtc::error& same = assigned;
    assigned = same; // self-assignment keeps everything
    CHECK(assigned.request_id() == "Id-7");
    CHECK(assigned.violations().size() == 1);

    trtc::error moved = std::move(assigned);
    CHECK(moved.request_id() == "Id-7");
    CHECK(moved.cause() == trtc::transport_errc::connection_closed);
    // A moved-from error reads as one without details (it is valid, and can be set again).
    CHECK(assigned.request_id().empty()); // NOLINT(bugprone-use-after-move)
    assigned.set_request_id("Id-9");
    CHECK(assigned.request_id() == "Id-9");

    // An error without details copies without allocating: it reads the shared empty block.
    const trtc::error plain(trtc::errc::invalid_url);
    const trtc::error plain_copy = plain;
    CHECK(&plain_copy.violations() == &plain.violations());
}

namespace {
// Tells by its answer how it was called: with a const lvalue, an lvalue or an rvalue.
struct category_probe {
    int operator()(const std::string&) const { return 1; }
    int operator()(std::string&) const { return 2; }
    int operator()(std::string&&) const { return 3; }
    int operator()(const trtc::error&) const { return 11; }
    int operator()(trtc::error&) const { return 12; }
    int operator()(trtc::error&&) const { return 13; }
};
struct point {
    int x;
    int twice() const { return 2 * x; }
};
trtc::result<std::string> named(int v) {
    if (v < 0) return trtc::error(trtc::errc::invalid_argument, "negative");
    return std::to_string(v);
}
trtc::error sample_failure() {
    trtc::error e(trtc::errc::rate_limited, "slow down");
    e.set_request_id("Id-3");
    return e;
}
} // namespace

TEST_CASE("result::and_then chains a step that can fail") {
    int calls = 0;
    auto step = [&calls](int v) {
        ++calls;
        return named(v - 1);
    };
    auto ok = parse_digit('5').and_then(step);
    static_assert(std::is_same_v<decltype(ok), trtc::result<std::string>>);
    REQUIRE(ok);
    CHECK(*ok == "4");
    auto failed_step = parse_digit('0').and_then(step);
    REQUIRE_FALSE(failed_step);
    CHECK(failed_step.error().message == "negative");
    CHECK(calls == 2);

    const trtc::result<int> bad = sample_failure();
    auto skipped = bad.and_then(step);
    CHECK(calls == 2); // not called on an error
    REQUIRE_FALSE(skipped);
    CHECK(skipped.code() == trtc::errc::rate_limited);
    CHECK(skipped.error().request_id() == "Id-3");

    // To a result<void>, and from one.
    trtc::result<void> done = parse_digit('1').and_then([](int) { return trtc::result<void>(); });
    CHECK(done);
    auto after_void = done.and_then([] { return parse_digit('8'); });
    static_assert(std::is_same_v<decltype(after_void), trtc::result<int>>);
    CHECK(*after_void == 8);
    const trtc::result<void> void_bad = sample_failure();
    CHECK(void_bad.and_then([] { return parse_digit('8'); }).error().request_id() == "Id-3");

    // The value is passed as the result was: lvalue, const lvalue, rvalue.
    trtc::result<std::string> s = std::string("x");
    const trtc::result<std::string>& cs = s;
    auto probe = [](auto&& v) -> trtc::result<int> {
        return category_probe{}(std::forward<decltype(v)>(v));
    };
    CHECK(*s.and_then(probe) == 2);
    CHECK(*cs.and_then(probe) == 1);
    CHECK(*std::move(s).and_then(probe) == 3);
}

TEST_CASE("result::and_then and transform move a move-only value out of an rvalue") {
    trtc::result<std::unique_ptr<int>> p = std::make_unique<int>(9);
    auto doubled =
        std::move(p).and_then([](std::unique_ptr<int> v) -> trtc::result<int> { return *v * 2; });
    CHECK(*doubled == 18);
    CHECK(*p == nullptr); // moved into the callable

    trtc::result<std::unique_ptr<int>> q = std::make_unique<int>(4);
    auto kept = std::move(q).transform([](std::unique_ptr<int> v) { return v; });
    static_assert(std::is_same_v<decltype(kept), trtc::result<std::unique_ptr<int>>>);
    REQUIRE(kept);
    CHECK(**kept == 4);

    trtc::result<std::unique_ptr<int>> err = sample_failure();
    auto none = std::move(err).transform([](std::unique_ptr<int> v) { return *v; });
    CHECK(none.error().message == "slow down");
}

TEST_CASE("result::transform maps the value and passes an error on") {
    auto len = named(1234).transform([](const std::string& v) { return v.size(); });
    static_assert(std::is_same_v<decltype(len), trtc::result<std::size_t>>);
    CHECK(*len == 4);
    auto missing = named(-1).transform([](const std::string& v) { return v.size(); });
    CHECK(missing.error().message == "negative");

    // A callable returning nothing gives a result<void>.
    int seen = 0;
    auto nothing = parse_digit('3').transform([&seen](int v) { seen = v; });
    static_assert(std::is_same_v<decltype(nothing), trtc::result<void>>);
    CHECK(nothing);
    CHECK(seen == 3);

    // A member function, through std::invoke. (A data member would give a reference, which no
    // result holds, as no std::expected does.)
    const trtc::result<point> pt = point{21};
    CHECK(*pt.transform(&point::twice) == 42);

    trtc::result<std::string> s = std::string("x");
    CHECK(*s.transform(category_probe{}) == 2);
    CHECK(*std::as_const(s).transform(category_probe{}) == 1);
    CHECK(*std::move(s).transform(category_probe{}) == 3);

    // result<void>: f() on success.
    trtc::result<void> ok;
    auto seven = ok.transform([] { return 7; });
    static_assert(std::is_same_v<decltype(seven), trtc::result<int>>);
    CHECK(*seven == 7);
    const trtc::result<void> bad = sample_failure();
    CHECK(bad.transform([] { return 7; }).error().request_id() == "Id-3");
}

TEST_CASE("result::or_else recovers from an error or replaces it") {
    int calls = 0;
    auto fallback = [&calls](const trtc::error& e) -> trtc::result<int> {
        ++calls;
        if (e.code == trtc::errc::invalid_argument) return 0;
        return trtc::error(trtc::errc::outcome_unknown, "wrapped: " + e.message);
    };
    CHECK(*parse_digit('6').or_else(fallback) == 6);
    CHECK(calls == 0); // not called on success
    CHECK(*parse_digit('x').or_else(fallback) == 0);
    const trtc::result<int> limited = sample_failure();
    auto wrapped = limited.or_else(fallback);
    CHECK(wrapped.error().message == "wrapped: slow down");
    CHECK(calls == 2);

    // The error is passed as the result was.
    trtc::result<std::string> e = sample_failure();
    auto probe = [](auto&& err) -> trtc::result<std::string> {
        return std::to_string(category_probe{}(std::forward<decltype(err)>(err)));
    };
    CHECK(*e.or_else(probe) == "12");
    CHECK(*std::as_const(e).or_else(probe) == "11");
    CHECK(*std::move(e).or_else(probe) == "13");

    // A move-only value passes through an rvalue's or_else.
    trtc::result<std::unique_ptr<int>> p = std::make_unique<int>(2);
    auto same = std::move(p).or_else([](trtc::error&&) -> trtc::result<std::unique_ptr<int>> {
        return std::make_unique<int>(0);
    });
    CHECK(**same == 2);

    // result<void>
    trtc::result<void> bad = sample_failure();
    auto recovered = std::move(bad).or_else([](trtc::error&& err) {
        CHECK(err.request_id() == "Id-3");
        return trtc::result<void>();
    });
    CHECK(recovered);
    CHECK(trtc::result<void>().or_else(
        [](const trtc::error&) { return trtc::result<void>(trtc::errc::invalid_argument); }));
}

TEST_CASE("result::transform_error maps the error and keeps a value") {
    auto with_context = [](trtc::error e) {
        e.message = "reading the battle: " + e.message;
        return e;
    };
    auto bad = named(-5).transform_error(with_context);
    static_assert(std::is_same_v<decltype(bad), trtc::result<std::string>>);
    CHECK(bad.error().message == "reading the battle: negative");
    CHECK(bad.code() == trtc::errc::invalid_argument);
    CHECK(*named(5).transform_error(with_context) == "5");

    trtc::result<std::unique_ptr<int>> p = std::make_unique<int>(3);
    CHECK(**std::move(p).transform_error(with_context) == 3);

    trtc::result<void> v = sample_failure();
    auto mapped = std::move(v).transform_error([](trtc::error&& e) {
        e.set_cause(trtc::transport_errc::connection_closed);
        return std::move(e);
    });
    CHECK(mapped.error().cause() == trtc::transport_errc::connection_closed);
    CHECK(mapped.error().request_id() == "Id-3");
    CHECK(trtc::result<void>().transform_error(with_context));
}

TEST_CASE("result::value_or on lvalues and rvalues, error() on every kind of result") {
    const trtc::result<std::string> s = std::string("kept");
    CHECK(s.value_or("fallback") == "kept");
    CHECK(named(-1).value_or("fallback") == "fallback");
    CHECK(named(-1).value_or({}).empty()); // the fallback defaults to a T

    trtc::result<std::unique_ptr<int>> p = std::make_unique<int>(1);
    std::unique_ptr<int> out = std::move(p).value_or(nullptr);
    REQUIRE(out);
    CHECK(*out == 1);
    trtc::result<std::unique_ptr<int>> none = sample_failure();
    CHECK(std::move(none).value_or(nullptr) == nullptr);

    const trtc::result<int> bad = sample_failure();
    static_assert(std::is_same_v<decltype(bad.error()), const trtc::error&>);
    static_assert(std::is_same_v<decltype(std::move(bad).error()), const trtc::error&&>);
    static_assert(std::is_same_v<decltype(*std::move(s)), const std::string&&>);
    static_assert(std::is_same_v<decltype(std::move(s).value()), const std::string&&>);
    CHECK(std::move(bad).error().request_id() == "Id-3");
    CHECK(bad.has_value() == static_cast<bool>(bad));

    trtc::result<std::string> in_place(std::in_place, std::size_t{3}, 'z');
    CHECK(*in_place == "zzz");
}

#if TRTC_USE_EXCEPTIONS
namespace {
struct boom {};
// How many bombs were made and destroyed, and whether copying one (and moving one, for
// bomb<false>) throws boom.
struct bomb_counts {
    int made = 0;
    int destroyed = 0;
    bool armed = false;
};
bomb_counts bombs;

// A value whose copy throws when bombs.armed is set, and so does its move unless NothrowMove.
// It owns heap memory, so that destroying one twice, or destroying one that was never made, is
// a double or bad free that ASan reports (besides the counts going wrong).
template <bool NothrowMove>
struct bomb {
    explicit bomb(int v) : payload(std::make_unique<int>(v)) { ++bombs.made; }
    bomb(const bomb& o) : payload(copy_of(o)) { ++bombs.made; }
    bomb(bomb&& o) noexcept(NothrowMove) : payload(take(o)) { ++bombs.made; }
    bomb& operator=(const bomb& o) {
        payload = copy_of(o); // copy_of throws before anything changes: the strong guarantee
        return *this;
    }
    bomb& operator=(bomb&& o) noexcept(NothrowMove) {
        payload = take(o);
        return *this;
    }
    ~bomb() { ++bombs.destroyed; }
    int get() const { return payload ? *payload : -1; }

  private:
    static std::unique_ptr<int> copy_of(const bomb& o) {
        if (bombs.armed) throw boom{};
        return std::make_unique<int>(o.get());
    }
    static std::unique_ptr<int> take(bomb& o) noexcept(NothrowMove) {
        if constexpr (!NothrowMove)
            if (bombs.armed) throw boom{};
        return std::move(o.payload);
    }
    std::unique_ptr<int> payload;
};

trtc::error bomb_error() {
    trtc::error e(trtc::errc::rate_limited, "an explanation longer than a short string buffer");
    e.random = 7;
    e.has_random = true;
    return e;
}
void check_bomb_error(const trtc::error& e) {
    CHECK(e.code == trtc::errc::rate_limited);
    CHECK(e.message == "an explanation longer than a short string buffer");
    CHECK(e.random == 7);
}
} // namespace

static_assert(std::is_nothrow_move_assignable_v<trtc::result<bomb<true>>>);
static_assert(!std::is_nothrow_move_assignable_v<trtc::result<bomb<false>>>);
static_assert(!std::is_nothrow_move_constructible_v<trtc::result<bomb<false>>>);

// Each subcase counts the bombs made and destroyed around one assignment: a throw must leave
// the target holding what it held (a valid result, still assignable), and no bomb may be
// destroyed that was not made, or twice. bomb<true> takes the path where a T is made into a
// temporary first; bomb<false>, which cannot even be moved without the risk of a throw, takes
// the one where the old error is kept aside and put back.
TEST_CASE_TEMPLATE("result assignment survives a T whose copy or move throws", B, bomb<true>,
                   bomb<false>) {
    constexpr bool nothrow_move = std::is_nothrow_move_constructible_v<B>;
    bombs = {};
    {
        trtc::result<B> source = B(1);
        trtc::result<B> target = bomb_error();
        B loose(3);
        const int made = bombs.made;
        const int destroyed = bombs.destroyed;

        SUBCASE("copy assignment of a value over an error: the error stays") {
            bombs.armed = true;
            CHECK_THROWS_AS(target = source, boom);
            bombs.armed = false;
            CHECK(bombs.made == made);
            CHECK(bombs.destroyed == destroyed);
            REQUIRE_FALSE(target);
            check_bomb_error(target.error());
            target = source; // and it can still be assigned
            REQUIRE(target);
            CHECK(target->get() == 1);
        }
        SUBCASE("copy assignment of a value over a value: T's own, the value stays") {
            target = B(2);
            const int before = bombs.destroyed;
            bombs.armed = true;
            CHECK_THROWS_AS(target = source, boom);
            bombs.armed = false;
            CHECK(bombs.destroyed == before);
            REQUIRE(target);
            CHECK(target->get() == 2);
        }
        SUBCASE("move assignment of a value over an error") {
            bombs.armed = true;
            if constexpr (nothrow_move) {
                target = std::move(source);
                REQUIRE(target);
                CHECK(target->get() == 1);
                CHECK(bombs.made == made + 1);
                CHECK(bombs.destroyed == destroyed);
            } else {
                CHECK_THROWS_AS(target = std::move(source), boom);
                CHECK(bombs.made == made);
                CHECK(bombs.destroyed == destroyed);
                REQUIRE_FALSE(target);
                check_bomb_error(target.error());
                REQUIRE(source); // not moved from
                CHECK(source->get() == 1);
            }
            bombs.armed = false;
        }
        SUBCASE("move assignment of a value over a value: T's own") {
            target = B(2);
            const int before = bombs.destroyed;
            bombs.armed = true;
            if constexpr (nothrow_move) {
                target = std::move(source);
                CHECK(target->get() == 1);
            } else {
                CHECK_THROWS_AS(target = std::move(source), boom);
                CHECK(target->get() == 2);
            }
            bombs.armed = false;
            CHECK(bombs.destroyed == before);
        }
        SUBCASE("converting assignment from a T over an error and over a value") {
            bombs.armed = true;
            CHECK_THROWS_AS(target = loose, boom);
            if constexpr (!nothrow_move) CHECK_THROWS_AS(target = std::move(loose), boom);
            CHECK(bombs.made == made);
            CHECK(bombs.destroyed == destroyed);
            REQUIRE_FALSE(target);
            check_bomb_error(target.error());
            bombs.armed = false;
            target = loose;
            bombs.armed = true;
            CHECK_THROWS_AS(target = loose, boom);
            bombs.armed = false;
            REQUIRE(target);
            CHECK(target->get() == 3);
        }
        SUBCASE(
            "an error over a value destroys the value once and a value over an error makes one") {
            target = source;
            REQUIRE(target);
            const int made_before = bombs.made;
            const int destroyed_before = bombs.destroyed;
            target = bomb_error();
            CHECK(bombs.made == made_before);
            CHECK(bombs.destroyed == destroyed_before + 1);
            check_bomb_error(target.error());

            const trtc::result<B> failed = bomb_error();
            target = source;
            target = failed; // copy assignment: the same, the error copied first
            CHECK(bombs.made == made_before + (nothrow_move ? 2 : 1));
            CHECK(bombs.destroyed == destroyed_before + (nothrow_move ? 3 : 2));
            check_bomb_error(target.error());
            // bomb<true>'s copy is not noexcept: it is copied into a temporary, then moved in.
        }
        // source's bomb (maybe moved from), loose, and target's when it holds one
        CHECK(bombs.made - bombs.destroyed == (target ? 3 : 2));
    }
    CHECK(bombs.made == bombs.destroyed);
}

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
