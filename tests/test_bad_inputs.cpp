// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
//
// The bad-input catalogue: malformed responses (decoded by every endpoint, and as raw HTTP by
// the response parser) and malformed requests to the emulator, each with its expected error.
// Nothing may crash or hang, and nothing may allocate without bound: this binary replaces
// operator new to track the peak of live heap bytes during each case (except under
// ThreadSanitizer, whose runtime defines operator new itself: there the bound is not checked).
#include <trtc/battle.hpp>
#include <trtc/detail/http1_parser.hpp>
#include <trtc/sans_io.hpp>
#include <trtc/testing/emulator.hpp>

#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <ostream> // doctest prints std::error_code through it
#include <string>
#include <vector>

// ---- allocation tracking ---------------------------------------------------------------------

#if defined(__SANITIZE_THREAD__)
#    define TRTC_TEST_TSAN 1
#elif defined(__has_feature)
#    if __has_feature(thread_sanitizer)
#        define TRTC_TEST_TSAN 1
#    endif
#endif
#ifndef TRTC_TEST_TSAN
#    define TRTC_TEST_TSAN 0
#endif

namespace {
/// Whether this binary's operator new tracks live bytes (peak_scope measures nothing if not).
constexpr bool tracking_allocations = !TRTC_TEST_TSAN;

std::atomic<long long> live_bytes{0};
std::atomic<long long> peak_bytes{0};

#if !TRTC_TEST_TSAN
void* tracked_alloc(std::size_t n) {
    // A header keeps the size for the matching delete.
    void* p = std::malloc(n + 16);
    if (p == nullptr) std::abort();
    *static_cast<std::size_t*>(p) = n;
    long long now = live_bytes += static_cast<long long>(n);
    long long peak = peak_bytes.load();
    while (now > peak && !peak_bytes.compare_exchange_weak(peak, now)) {
    }
    return static_cast<char*>(p) + 16;
}
void tracked_free(void* p) noexcept {
    if (p == nullptr) return;
    char* base = static_cast<char*>(p) - 16;
    live_bytes -= static_cast<long long>(*reinterpret_cast<std::size_t*>(base));
    std::free(base);
}
#endif

/// The peak of live heap bytes above the level at construction.
struct peak_scope {
    long long base = live_bytes.load();
    peak_scope() { peak_bytes = base; }
    long long peak() const { return peak_bytes.load() - base; }
};
} // namespace

#if !TRTC_TEST_TSAN
void* operator new(std::size_t n) {
    return tracked_alloc(n);
}
void* operator new[](std::size_t n) {
    return tracked_alloc(n);
}
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
    return tracked_alloc(n);
}
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept {
    return tracked_alloc(n);
}
void operator delete(void* p) noexcept {
    tracked_free(p);
}
void operator delete[](void* p) noexcept {
    tracked_free(p);
}
void operator delete(void* p, std::size_t) noexcept {
    tracked_free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
    tracked_free(p);
}
void operator delete(void* p, const std::nothrow_t&) noexcept {
    tracked_free(p);
}
void operator delete[](void* p, const std::nothrow_t&) noexcept {
    tracked_free(p);
}
#endif

// ---- malformed responses ---------------------------------------------------------------------

namespace {

using de = trtc::decode_errc;

struct response_case {
    const char* name;
    int status;
    std::string body;
    std::error_code expected; // for create_battle
};

std::string ok_prefix() {
    return R"({"ErrorCode":0,"ActionStatus":"OK","RequestId":"r","Response":)";
}
std::string with_response(const std::string& response) {
    return ok_prefix() + response + "}";
}
std::string result_list(const std::string& element) {
    return with_response(R"({"BattleId":"b","Result":[)" + element + "]}");
}

std::vector<response_case> response_cases() {
    const std::string good = with_response(
        R"({"BattleId":"b","Result":[{"RoomId":"r2","ResultCode":0,"ResultMessage":""}]})");
    std::vector<response_case> c = {
        // HTTP status
        {"502 with an HTML page", 502, "<html>Bad Gateway</html>", de::http_status},
        {"500 with a JSON body", 500, good, de::http_status},
        {"status 0", 0, "", de::http_status},
        {"status 204", 204, "", de::http_status},
        {"redirect", 302, "", de::http_status},
        // truncation of a good body at several points
        {"truncated after the first byte", 200, good.substr(0, 1), de::not_json},
        {"truncated in a key", 200, good.substr(0, 8), de::not_json},
        {"truncated in the Response", 200, good.substr(0, good.size() / 2), de::not_json},
        {"truncated before the last brace", 200, good.substr(0, good.size() - 1), de::not_json},
        // not JSON
        {"empty body", 200, "", de::not_json},
        {"whitespace only", 200, " \r\n\t ", de::not_json},
        {"HTML", 200, "<html><body>maintenance</body></html>", de::not_json},
        {"a JSON array", 200, "[]", de::not_json},
        {"a JSON string", 200, "\"OK\"", de::not_json},
        {"a JSON number", 200, "0", de::not_json},
        {"null", 200, "null", de::not_json},
        {"trailing garbage", 200, good + "x", de::not_json},
        {"two documents", 200, good + good, de::not_json},
        {"a trailing comma", 200, R"({"ErrorCode":0,})", de::not_json},
        {"single quotes", 200, "{'ErrorCode':0}", de::not_json},
        {"a comment", 200, "{/*x*/\"ErrorCode\":0}", de::not_json},
        {"a BOM", 200, "\xEF\xBB\xBF" + good, de::not_json},
        {"NaN", 200, R"({"ErrorCode":NaN})", de::not_json},
        {"Infinity", 200, R"({"ErrorCode":Infinity})", de::not_json},
        {"-Infinity", 200, R"({"ErrorCode":-Infinity})", de::not_json},
        {"a leading zero", 200, R"({"ErrorCode":00})", de::not_json},
        {"a raw control character", 200, "{\"ErrorInfo\":\"a\x01b\",\"ErrorCode\":0}",
         de::not_json},
        {"a bad escape", 200, R"({"ErrorInfo":"\q","ErrorCode":0})", de::not_json},
        {"a lone surrogate", 200, R"({"ErrorInfo":"\ud800","ErrorCode":0})", de::not_json},
        // invalid UTF-8 in strings
        {"invalid UTF-8 byte", 200, "{\"ErrorInfo\":\"\xFF\",\"ErrorCode\":0}", de::not_json},
        {"overlong UTF-8", 200, "{\"ErrorInfo\":\"\xC0\x80\",\"ErrorCode\":0}", de::not_json},
        {"UTF-8 surrogate", 200, "{\"ErrorInfo\":\"\xED\xA0\x80\",\"ErrorCode\":0}", de::not_json},
        {"truncated UTF-8", 200, "{\"ErrorInfo\":\"\xE2\x82\",\"ErrorCode\":0}", de::not_json},
        // duplicate keys, anywhere
        {"duplicate ErrorCode", 200, R"({"ErrorCode":0,"ErrorCode":70001})", de::not_json},
        {"duplicate in Response", 200,
         with_response(R"({"BattleId":"a","BattleId":"b","Result":[]})"), de::not_json},
        {"duplicate in a Result element", 200,
         result_list(R"({"RoomId":"x","RoomId":"y","ResultCode":0})"), de::not_json},
        // deep nesting and sizes
        {"deep nesting", 200, std::string(100000, '[') + std::string(100000, ']'), de::not_json},
        {"deep objects", 200,
         [] {
             std::string s;
             for (int i = 0; i < 5000; ++i) s += "{\"a\":";
             return s + "0" + std::string(5000, '}');
         }(),
         de::not_json},
        {"a body over 1 MiB", 200, std::string(2 << 20, ' ') + good, de::body_too_large},
        {"an enormous string", 200,
         R"({"ErrorCode":0,"ErrorInfo":")" + std::string(900000, 'x') + R"(","Response":{}})",
         de::missing_field},
        {"a million-element array", 200,
         "[" +
             [] {
                 std::string s = "0";
                 for (int i = 0; i < 200000; ++i) s += ",0";
                 return s;
             }() +
             "]",
         de::not_json},
        // the envelope
        {"no ErrorCode", 200, R"({"ActionStatus":"OK","Response":{}})", de::bad_envelope},
        {"ErrorCode as a string", 200, R"({"ErrorCode":"0"})", de::bad_envelope},
        {"ErrorCode as a float", 200, R"({"ErrorCode":0.0})", de::bad_envelope},
        {"ErrorCode with an exponent", 200, R"({"ErrorCode":1e5})", de::bad_envelope},
        {"ErrorCode huge", 200, R"({"ErrorCode":99999999999999999999999})", de::bad_envelope},
        {"ErrorCode beyond int32", 200, R"({"ErrorCode":4294967296})", de::bad_envelope},
        {"ErrorCode null", 200, R"({"ErrorCode":null})", de::bad_envelope},
        {"ErrorCode true", 200, R"({"ErrorCode":true})", de::bad_envelope},
        {"ErrorInfo a number", 200, R"({"ErrorCode":0,"ErrorInfo":5})", de::bad_envelope},
        {"RequestId an object", 200, R"({"ErrorCode":0,"RequestId":{}})", de::bad_envelope},
        {"FAIL with code 0", 200, R"({"ErrorCode":0,"ActionStatus":"FAIL","Response":{}})",
         de::bad_envelope},
        // the Response
        {"no Response", 200, R"({"ErrorCode":0,"ActionStatus":"OK"})", de::missing_response},
        {"Response null", 200, R"({"ErrorCode":0,"Response":null})", de::missing_response},
        {"Response an array", 200, R"({"ErrorCode":0,"Response":[]})", de::wrong_type},
        {"Response a string", 200, R"({"ErrorCode":0,"Response":"{}"})", de::wrong_type},
        {"no BattleId", 200, with_response(R"({"Result":[]})"), de::missing_field},
        {"BattleId a number", 200, with_response(R"({"BattleId":1})"), de::wrong_type},
        {"Result an object", 200, with_response(R"({"BattleId":"b","Result":{}})"), de::wrong_type},
        {"Result element a number", 200, result_list("1"), de::wrong_type},
        {"Result element null", 200, result_list("null"), de::wrong_type},
        {"ResultCode missing", 200, result_list(R"({"RoomId":"x"})"), de::missing_field},
        {"ResultCode a string", 200, result_list(R"({"RoomId":"x","ResultCode":"0"})"),
         de::wrong_type},
        {"ResultCode huge", 200, result_list(R"({"RoomId":"x","ResultCode":1e400})"),
         de::wrong_type},
        {"ResultCode beyond int32", 200, result_list(R"({"RoomId":"x","ResultCode":2147483648})"),
         de::wrong_type},
        {"RoomId missing", 200, result_list(R"({"ResultCode":0})"), de::missing_field},
        {"RoomId an array", 200, result_list(R"({"RoomId":[],"ResultCode":0})"), de::wrong_type},
        {"ResultMessage a bool", 200,
         result_list(R"({"RoomId":"x","ResultCode":0,"ResultMessage":false})"), de::wrong_type},
        // service errors are errors, not decode failures
        {"a service error", 200, R"({"ErrorCode":100415,"ActionStatus":"FAIL"})",
         trtc::make_service_error_code(100415)},
        {"an undocumented service error", 200, R"({"ErrorCode":-7,"ActionStatus":"FAIL"})",
         trtc::make_service_error_code(-7)},
    };
    return c;
}

} // namespace

TEST_CASE("bad-input catalogue: at least 60 malformed responses, each its own error") {
    const auto cases = response_cases();
    CHECK(cases.size() >= 60);
    for (const response_case& c : cases) {
        CAPTURE(c.name);
        peak_scope scope;
        auto r = trtc::decode<trtc::create_battle>({c.status, c.body}, 99);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == c.expected);
        CHECK(r.error().random == 99);
        CHECK(r.error().message.size() < 400);
        // get_battle_info and set_battle_score never crash on the same bytes.
        auto info = trtc::decode<trtc::get_battle_info>({c.status, c.body}, 99);
        auto score = trtc::decode<trtc::set_battle_score>({c.status, c.body}, 99);
        (void)info;
        (void)score;
        // Bounded: at most a few times the body, plus a fixed amount.
        CHECK((!tracking_allocations ||
               scope.peak() < static_cast<long long>(c.body.size()) * 4 + (1 << 20)));
    }
}

TEST_CASE("bad-input catalogue: malformed HTTP framing, as the transport's parser sees it") {
    struct framing_case {
        const char* name;
        std::string raw;
    };
    const framing_case cases[] = {
        {"not HTTP", "garbage\r\n\r\n"},
        {"HTTP/2 status line", "HTTP/2 200 OK\r\n\r\n"},
        {"status not a number", "HTTP/1.1 2x0 OK\r\n\r\n"},
        {"obs-fold", "HTTP/1.1 200 OK\r\nX: a\r\n b\r\nContent-Length: 0\r\n\r\n"},
        {"NUL in a header", std::string("HTTP/1.1 200 OK\r\nX: a\0b\r\n\r\n", 28)},
        {"both TE and CL",
         "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n"},
        {"differing CLs", "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabc"},
        {"CL not a number", "HTTP/1.1 200 OK\r\nContent-Length: 3x\r\n\r\nabc"},
        {"CL overflow", "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999\r\n\r\n"},
        {"bad chunk size", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"},
        {"gzip coding", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n"},
        {"header section too long",
         "HTTP/1.1 200 OK\r\nX: " + std::string(70000, 'a') + "\r\n\r\n"},
        {"body over the limit", "HTTP/1.1 200 OK\r\nContent-Length: 2000000\r\n\r\nx"},
    };
    for (const framing_case& c : cases) {
        CAPTURE(c.name);
        peak_scope scope;
        trtc::detail::http1_response_parser p;
        auto st = p.feed(c.raw);
        CHECK(st == trtc::detail::http1_status::error);
        CHECK((!tracking_allocations || scope.peak() < (1 << 20)));
    }
}

// ---- malformed requests to the emulator ------------------------------------------------------

namespace {

struct request_case {
    const char* name;
    std::string method;
    std::string target;
    std::string body;
    int expected;
};

} // namespace

TEST_CASE("bad-input catalogue: at least 30 malformed requests to the emulator") {
    trtc::testing::emulator_options o;
    o.sdkappid = 1400000000;
    o.admins = {"administrator"};
    o.secret_key = "k";
    o.rate_limit_per_second = 0;
    trtc::testing::emulator emu(o);
    emu.set_time(trtc::from_unix_seconds(1700000000));
    auto signer = trtc::usersig_signer::create(1400000000, "k").value();
    const std::string sig =
        signer.generate("administrator", std::chrono::hours(1), trtc::from_unix_seconds(1700000000))
            .value();
    const std::string path = "/v4/live_engine_http_pk/create_battle";
    const std::string q = "?sdkappid=1400000000&identifier=administrator&usersig=" + sig +
                          "&random=1&contenttype=json";
    const std::string body = R"({"FromRoomId":"a","ToRoomIdList":["b"],"Duration":1000})";
    const std::vector<request_case> cases = {
        {"GET", "GET", path + q, body, 60002},
        {"empty method", "", path + q, body, 60002},
        {"unknown command", "POST", "/v4/live_engine_http_pk/end_battle" + q, body, 60009},
        {"other service", "POST", "/v4/im_open_login_svc/create_battle" + q, body, 60009},
        {"no path", "POST", q, body, 60009},
        {"empty target", "POST", "", body, 60009},
        {"bad escape", "POST", path + q + "&x=%G1", body, 60002},
        {"no query", "POST", path, body, 60012},
        {"no sdkappid", "POST",
         path + "?identifier=administrator&usersig=" + sig + "&random=1&contenttype=json", body,
         60012},
        {"sdkappid not a number", "POST",
         path + "?sdkappid=abc&identifier=administrator&usersig=" + sig +
             "&random=1&contenttype=json",
         body, 60006},
        {"another app", "POST",
         path + "?sdkappid=1400000001&identifier=administrator&usersig=" + sig +
             "&random=1&contenttype=json",
         body, 60006},
        {"no identifier", "POST",
         path + "?sdkappid=1400000000&usersig=" + sig + "&random=1&contenttype=json", body, 60025},
        {"no usersig", "POST",
         path + "?sdkappid=1400000000&identifier=administrator&random=1&contenttype=json", body,
         60025},
        {"no random", "POST",
         path + "?sdkappid=1400000000&identifier=administrator&usersig=" + sig +
             "&contenttype=json",
         body, 60025},
        {"random too big", "POST",
         path + "?sdkappid=1400000000&identifier=administrator&usersig=" + sig +
             "&random=4294967296&contenttype=json",
         body, 60025},
        {"random negative", "POST",
         path + "?sdkappid=1400000000&identifier=administrator&usersig=" + sig +
             "&random=-1&contenttype=json",
         body, 60025},
        {"contenttype JSON", "POST",
         path + "?sdkappid=1400000000&identifier=administrator&usersig=" + sig +
             "&random=1&contenttype=JSON",
         body, 60025},
        {"empty usersig", "POST",
         path + "?sdkappid=1400000000&identifier=administrator&usersig=&random=1&contenttype=json",
         body, 70002},
        {"garbage usersig", "POST",
         path +
             "?sdkappid=1400000000&identifier=administrator&usersig=!!!&random=1&contenttype=json",
         body, 70003},
        {"truncated usersig", "POST",
         path + "?sdkappid=1400000000&identifier=administrator&usersig=" + sig.substr(0, 100) +
             "&random=1&contenttype=json",
         body, 70003},
        {"sig for another identifier", "POST",
         path + "?sdkappid=1400000000&identifier=admin2&usersig=" + sig +
             "&random=1&contenttype=json",
         body, 70013},
        {"empty body", "POST", path + q, "", 60003},
        {"body not JSON", "POST", path + q, "FromRoomId=a", 60003},
        {"body an array", "POST", path + q, "[]", 60003},
        {"body with duplicate keys", "POST", path + q,
         R"({"FromRoomId":"a","FromRoomId":"b","ToRoomIdList":["c"],"Duration":1})", 60003},
        {"body deeply nested", "POST", path + q, std::string(50000, '[') + std::string(50000, ']'),
         60003},
        {"body invalid UTF-8", "POST", path + q, "{\"FromRoomId\":\"\xFF\"}", 60003},
        {"FromRoomId missing", "POST", path + q, R"({"ToRoomIdList":["b"],"Duration":1000})",
         100002},
        {"FromRoomId a number", "POST", path + q,
         R"({"FromRoomId":1,"ToRoomIdList":["b"],"Duration":1000})", 100002},
        {"ToRoomIdList a string", "POST", path + q,
         R"({"FromRoomId":"a","ToRoomIdList":"b","Duration":1000})", 100002},
        {"ToRoomIdList empty", "POST", path + q,
         R"({"FromRoomId":"a","ToRoomIdList":[],"Duration":1000})", 100002},
        {"Duration a string", "POST", path + q,
         R"({"FromRoomId":"a","ToRoomIdList":["b"],"Duration":"1000"})", 100002},
        {"Duration negative", "POST", path + q,
         R"({"FromRoomId":"a","ToRoomIdList":["b"],"Duration":-1})", 100002},
        {"Duration huge", "POST", path + q,
         R"({"FromRoomId":"a","ToRoomIdList":["b"],"Duration":99999999999999999999})", 100002},
        {"room id too long", "POST", path + q,
         R"({"FromRoomId":")" + std::string(49, 'a') + R"(","ToRoomIdList":["b"],"Duration":1})",
         100002},
        {"room id with a control character", "POST", path + q,
         R"({"FromRoomId":"a\u0001","ToRoomIdList":["b"],"Duration":1})", 100002},
        {"caller among callees", "POST", path + q,
         R"({"FromRoomId":"a","ToRoomIdList":["a"],"Duration":1})", 100002},
    };
    CHECK(cases.size() >= 30);
    for (const request_case& c : cases) {
        CAPTURE(c.name);
        peak_scope scope;
        auto reply = emu.handle(c.method, c.target, c.body);
        REQUIRE(reply.response.status == 200);
        trtc::json::document doc;
        trtc::json::parse_error err;
        REQUIRE(trtc::json::parse(reply.response.body, doc, err));
        std::int64_t code = 0;
        CHECK(doc.root()["ErrorCode"].get(code));
        CHECK(code == c.expected);
        CHECK(doc.root()["ActionStatus"].as_string() == "FAIL");
        CHECK(reply.response.body.find(sig) == std::string::npos);
        CHECK((!tracking_allocations ||
               scope.peak() < static_cast<long long>(c.body.size()) * 8 + (1 << 20)));
    }
    CHECK(emu.battles_created() == 0);
}
