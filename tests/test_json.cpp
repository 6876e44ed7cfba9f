// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief Tests for the built-in JSON layer: document, reader, writer.
#include "trtc/endpoint/fields.hpp"
#include "trtc/json.hpp"

#include "byte_scan_check.hpp"

#include <doctest/doctest.h>

#include <clocale>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

using trtc::json::build_error;
using trtc::json::document;
using trtc::json::limits;
using trtc::json::parse_error;
using trtc::json::type;
using trtc::json::value;

namespace {

struct parsed {
    bool ok = false;
    parse_error err;
};

parsed parse_into(document& doc, std::string_view text) {
    parsed r;
    r.ok = trtc::json::parse(text, doc, r.err);
    return r;
}

std::string serialize(const document& doc) {
    std::string s;
    trtc::json::serialize(doc, s);
    return s;
}

// Parses and serializes; "" on a parse failure.
std::string canonical(std::string_view text, limits l = {}) {
    document doc(l);
    parse_error err;
    if (!trtc::json::parse(text, doc, err)) return "";
    return serialize(doc);
}

// A fixed-seed generator for the mutation test.
struct lcg {
    std::uint64_t state;
    std::uint32_t next() {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        return static_cast<std::uint32_t>(state >> 33);
    }
    std::uint32_t below(std::uint32_t n) { return next() % n; }
};

const char* const typical_response =
    R"({"ErrorCode":0,"ErrorInfo":"","ActionStatus":"OK","RequestId":"Id-70e312f1de024af5a36714b7b71da224-O-Seq-63504","Response":{"BattleId":"H4sIAAAAAAAA/6tWyk0tLs5MT1WyUkpNTSo2MjY0NDGxMDQ3N1K=","Result":[{"RoomId":"pk-2","ResultCode":0,"ResultMessage":""},{"RoomId":"pk-3","ResultCode":3,"ResultMessage":"room in battle"}]}})";

const char* const rfc_image = R"({
      "Image": {
          "Width":  800,
          "Height": 600,
          "Title":  "View from 15th Floor",
          "Thumbnail": {
              "Url":    "http://www.example.com/image/481989943",
              "Height": 125,
              "Width":  100
          },
          "Animated" : false,
          "IDs": [116, 943, 234, 38793]
        }
    })";

const char* const rfc_places = R"([
        {
           "precision": "zip",
           "Latitude":  37.7668,
           "Longitude": -122.3959,
           "Address":   "",
           "City":      "SAN FRANCISCO",
           "State":     "CA",
           "Zip":       "94107",
           "Country":   "US"
        },
        {
           "precision": "zip",
           "Latitude":  37.371991,
           "Longitude": -122.026020,
           "Address":   "",
           "City":      "SUNNYVALE",
           "State":     "CA",
           "Zip":       "94085",
           "Country":   "US"
        }
    ])";

} // namespace

TEST_CASE("the JSON string scan: portable and vector code find the same first byte to check" *
          doctest::test_suite("exhaustive")) {
    // Printable ASCII other than '"' and '\\' runs on.
    std::string alphabet;
    for (char c = 0x20; c < 0x7F; ++c)
        if (c != '"' && c != '\\') alphabet += c;
    scan_test::check_byte_scan(
        [](unsigned char c) { return c >= 0x20 && c < 0x80 && c != '"' && c != '\\'; }, alphabet,
        trtc::detail::json_plain_run_portable,
#if TRTC_DETAIL_HAVE_VECTOR_SCAN
        trtc::detail::json_plain_run_vector,
#else
        nullptr,
#endif
        trtc::detail::json_plain_run);
}

TEST_CASE("RFC 8259 section 13 examples") {
    document doc;
    parsed r = parse_into(doc, rfc_image);
    REQUIRE(r.ok);
    REQUIRE(doc.complete());
    const value image = doc.root()["Image"];
    CHECK(image.is_object());
    CHECK(image.size() == 6);
    std::int64_t i = 0;
    CHECK(image["Width"].get(i));
    CHECK(i == 800);
    CHECK(image["Title"].as_string() == "View from 15th Floor");
    CHECK(image["Thumbnail"]["Url"].as_string() == "http://www.example.com/image/481989943");
    bool animated = true;
    CHECK(image["Animated"].get(animated));
    CHECK_FALSE(animated);
    const value ids = image["IDs"];
    REQUIRE(ids.size() == 4);
    CHECK(ids.at(3).get(i));
    CHECK(i == 38793);
    CHECK(
        serialize(doc) ==
        R"({"Image":{"Width":800,"Height":600,"Title":"View from 15th Floor","Thumbnail":{"Url":"http://www.example.com/image/481989943","Height":125,"Width":100},"Animated":false,"IDs":[116,943,234,38793]}})");

    r = parse_into(doc, rfc_places);
    REQUIRE(r.ok);
    REQUIRE(doc.root().size() == 2);
    double d = 0;
    CHECK(doc.root().at(1)["Longitude"].get(d));
    CHECK(d == -122.026020);
    CHECK(doc.root().at(1)["Longitude"].number_text() == "-122.026020");
    CHECK(doc.root().at(0)["Address"].as_string().empty());
    CHECK(doc.root().at(0)["Address"].is_string());

    // The small texts of section 13.
    CHECK(canonical("\"Hello world!\"") == "\"Hello world!\"");
    CHECK(canonical("42") == "42");
    CHECK(canonical("true") == "true");
}

TEST_CASE("invalid documents are rejected with an offset and a message") {
    struct invalid_case {
        std::string text;
        std::size_t offset;
        const char* message;
    };
    const std::string deep(10000, '[');
    const invalid_case cases[] = {
        {"[1,]", 3, "trailing comma"},
        {"{\"a\":1,}", 7, "trailing comma"},
        {"{\"a\" 1}", 5, "expected ':'"},
        {"01", 1, "leading zero"},
        {"-01", 2, "leading zero"},
        {"[00]", 2, "leading zero"},
        {"-", 1, "invalid number"},
        {"[-]", 2, "invalid number"},
        {"1.", 2, "invalid number"},
        {".1", 0, "unexpected character"},
        {"1.e1", 2, "invalid number"},
        {"1e", 2, "invalid number"},
        {"1e+", 3, "invalid number"},
        {"[1.5E+]", 6, "invalid number"},
        {"-Infinity", 1, "invalid number"},
        {"Infinity", 0, "unexpected character"},
        {"NaN", 0, "unexpected character"},
        {"+1", 0, "unexpected character"},
        {"0x10", 1, "trailing characters"},
        {"1e1.5", 3, "trailing characters"},
        {"1_000", 1, "trailing characters"},
        {"\"\\x\"", 1, "invalid escape"},
        {"\"\\a\"", 1, "invalid escape"},
        {"\"\\U0041\"", 1, "invalid escape"},
        {"\"\\u12\"", 1, "invalid \\u escape"},
        {"\"\\uZZZZ\"", 1, "invalid \\u escape"},
        {"\"\\u123", 1, "unterminated string"},
        {"\"\\uD800\"", 1, "lone surrogate"},
        {"\"\\uDBFF", 1, "lone surrogate"},
        {"\"\\uDC00\\uD800\"", 1, "lone surrogate"},
        {"\"\\uD800\\uD800\"", 1, "lone surrogate"},
        {"\"\\uD800\\u0041\"", 1, "lone surrogate"},
        {"\"\\uD800\\n\"", 1, "lone surrogate"},
        {"\"\\uD800\\uZZZZ\"", 7, "invalid \\u escape"},
        {"\"a\x01z\"", 2, "control character in string"},
        {"[\"\t\"]", 2, "control character in string"},
        {"\"\n\"", 1, "control character in string"},
        {"\"" + std::string(1, '\0') + "\"", 1, "control character in string"},
        {"\"\xC0\x80\"", 1, "invalid UTF-8"},
        {"\"\xED\xA0\x80\"", 1, "invalid UTF-8"},
        {"\"\xF4\x90\x80\x80\"", 1, "invalid UTF-8"},
        {"\"\xE2\x82\"", 1, "invalid UTF-8"},
        {"\"abcdefghijk\xE2\x82\"", 12, "invalid UTF-8"},
        {"\"\xFF\"", 1, "invalid UTF-8"},
        {"\"\x80\"", 1, "invalid UTF-8"},
        {"\"\xE0\x80\xAF\"", 1, "invalid UTF-8"},
        {"\"\xF0\x80\x80\xAF\"", 1, "invalid UTF-8"},
        {"\"\xF8\x88\x80\x80\x80\"", 1, "invalid UTF-8"},
        {"{\"\xFF\":1}", 2, "invalid UTF-8"},
        {"\"abc", 0, "unterminated string"},
        {"[\"abc", 1, "unterminated string"},
        {"\"\\", 1, "unterminated string"},
        {"\"\\uD834\\uDD1E", 0, "unterminated string"},
        {"[", 1, "unexpected end of input"},
        {"[[[]]", 5, "unexpected end of input"},
        {"{\"a\":1,", 7, "unexpected end of input"},
        {"{\"a\"", 4, "unexpected end of input"},
        {"{\"a\":", 5, "unexpected end of input"},
        {"]", 0, "unexpected character"},
        {"[}", 1, "unexpected character"},
        {"{]", 1, "expected a string key"},
        {"{1:2}", 1, "expected a string key"},
        {"{'a':1}", 1, "expected a string key"},
        {"{\"a\":}", 5, "unexpected character"},
        {"{\"a\":[}", 6, "unexpected character"},
        {"[,1]", 1, "unexpected character"},
        {"[1,,2]", 3, "unexpected character"},
        {"[1 2]", 3, "expected ',' or ']'"},
        {"[true false]", 6, "expected ',' or ']'"},
        {"{\"a\":1 \"b\":2}", 7, "expected ',' or '}'"},
        {"{\"a\":1]", 6, "expected ',' or '}'"},
        {"{}}", 2, "trailing characters"},
        {"[1]x", 3, "trailing characters"},
        {"1 2", 2, "trailing characters"},
        {"{\"a\":1}{}", 7, "trailing characters"},
        {"[1]" + std::string(1, '\0'), 3, "trailing characters"},
        {"[1] // comment", 4, "trailing characters"},
        {"/* comment */ 1", 0, "unexpected character"},
        {"nul", 0, "invalid literal"},
        {"tru", 0, "invalid literal"},
        {"fals", 0, "invalid literal"},
        {"[nulL]", 1, "invalid literal"},
        {"True", 0, "unexpected character"},
        {"'a'", 0, "unexpected character"},
        {"\xEF\xBB\xBF{}", 0, "byte order mark"},
        {"\f1", 0, "unexpected character"},
        {"[\xC2\xA0"
         "1]",
         1, "unexpected character"},
        {"", 0, "unexpected end of input"},
        {" ", 1, "unexpected end of input"},
        {" \t\r\n", 4, "unexpected end of input"},
        {deep, 64, "nesting too deep"},
        {"{\"a\":1,\"a\":2}", 7, "duplicate key"},
        {"{\"a\":1,\"b\":2,\"a\":3}", 13, "duplicate key"},
        {"[{\"x\":{\"y\":[{\"k\":1,\"k\":1}]}}]", 19, "duplicate key"},
        {"{\"\\u0061\":1,\"a\":2}", 12, "duplicate key"}, // equal once unescaped
    };
    CHECK(sizeof cases / sizeof cases[0] >= 60);
    document doc;
    for (const auto& c : cases) {
        std::string shown;
        trtc::detail::append_escaped_for_message(shown, c.text, 40);
        CAPTURE(shown);
        const parsed r = parse_into(doc, c.text);
        CHECK_FALSE(r.ok);
        CHECK(std::string_view(r.err.message) == c.message);
        CHECK(r.err.offset == c.offset);
        CHECK_FALSE(doc.complete());
        CHECK_FALSE(doc.root().exists());
        CHECK(doc.error() != build_error::none);
    }
    CHECK(parse_into(doc, deep).ok == false);
    CHECK(doc.error() == build_error::depth_exceeded);
    CHECK(parse_into(doc, "{\"a\":1,\"a\":2}").ok == false);
    CHECK(doc.error() == build_error::duplicate_key);
    CHECK(parse_into(doc, "[1,]").ok == false);
    CHECK(doc.error() == build_error::syntax);
}

TEST_CASE("valid edge cases") {
    document doc;
    std::int64_t i = 0;
    std::uint64_t u = 0;
    double d = 0;

    SUBCASE("negative zero") {
        REQUIRE(parse_into(doc, "[-0]").ok);
        CHECK(serialize(doc) == "[-0]");
        CHECK(doc.root().at(0).get(i));
        CHECK(i == 0);
        CHECK(doc.root().at(0).get(u));
        CHECK(u == 0);
        CHECK(doc.root().at(0).get(d));
        CHECK(d == 0.0);
        CHECK(std::signbit(d));
    }
    SUBCASE("a number too large for a double is kept as text") {
        REQUIRE(parse_into(doc, "1E400").ok);
        CHECK(doc.root().is_number());
        CHECK(doc.root().number_text() == "1E400");
        CHECK_FALSE(doc.root().get(d));
        CHECK_FALSE(doc.root().get(i));
        CHECK(serialize(doc) == "1E400");
        REQUIRE(parse_into(doc, "[1e-400, -1e-400]").ok);
        CHECK(doc.root().at(0).get(d));
        CHECK(d == 0.0);
        CHECK(doc.root().at(1).get(d));
        CHECK(d == 0.0);
        CHECK(std::signbit(d));
    }
    SUBCASE("escaped NUL") {
        REQUIRE(parse_into(doc, "\"\\u0000\"").ok);
        CHECK(doc.root().as_string() == std::string_view("\0", 1));
        CHECK(serialize(doc) == "\"\\u0000\"");
        REQUIRE(parse_into(doc, "{\"a\\u0000b\":1}").ok);
        CHECK(doc.root().key_at(0) == std::string_view("a\0b", 3));
    }
    SUBCASE("surrogate pairs and other escapes") {
        REQUIRE(parse_into(doc, "\"\\uD83D\\uDE00\"").ok);
        CHECK(doc.root().as_string() == "\xF0\x9F\x98\x80");
        REQUIRE(parse_into(doc, "\"\\uDBFF\\uDFFF\\ud800\\udc00\"").ok);
        CHECK(doc.root().as_string() == "\xF4\x8F\xBF\xBF\xF0\x90\x80\x80");
        REQUIRE(parse_into(doc, "\"\\u00e9\\u00E9\\u20AC\\uFFFF\\u007F\"").ok);
        CHECK(doc.root().as_string() == "\xC3\xA9\xC3\xA9\xE2\x82\xAC\xEF\xBF\xBF\x7F");
        REQUIRE(parse_into(doc, R"("\"\\\/\b\f\n\r\t")").ok);
        CHECK(doc.root().as_string() == "\"\\/\b\f\n\r\t");
        CHECK(serialize(doc) == R"("\"\\/\b\f\n\r\t")");
    }
    SUBCASE("raw UTF-8 at every length boundary") {
        const std::string s = "\"\x7F \xC2\x80 \xDF\xBF \xE0\xA0\x80 \xED\x9F\xBF \xEE\x80\x80 "
                              "\xEF\xBF\xBF \xF0\x90\x80\x80 \xF4\x8F\xBF\xBF caf\xC3\xA9\"";
        REQUIRE(parse_into(doc, s).ok);
        CHECK(serialize(doc) == s);
    }
    SUBCASE("integers at the edges of int64 and uint64") {
        REQUIRE(parse_into(doc, "[18446744073709551615, -9223372036854775808, "
                                "9223372036854775807, 9223372036854775808, "
                                "9007199254740993, 18446744073709551616, "
                                "-9223372036854775809, 1.0, 1e2, -1, -0]")
                    .ok);
        const value a = doc.root();
        CHECK(a.at(0).get(u));
        CHECK(u == 18446744073709551615ull);
        CHECK_FALSE(a.at(0).get(i));
        CHECK(a.at(1).get(i));
        CHECK(i == INT64_MIN);
        CHECK_FALSE(a.at(1).get(u));
        CHECK(a.at(2).get(i));
        CHECK(i == INT64_MAX);
        CHECK_FALSE(a.at(3).get(i));
        CHECK(a.at(3).get(u));
        CHECK(u == 9223372036854775808ull);
        CHECK(a.at(4).get(i));
        CHECK(i == 9007199254740993);
        CHECK(a.at(4).get(u));
        CHECK(u == 9007199254740993ull);
        CHECK_FALSE(a.at(5).get(u));
        CHECK_FALSE(a.at(5).get(i));
        CHECK_FALSE(a.at(6).get(i));
        i = 7;
        CHECK_FALSE(a.at(7).get(i)); // 1.0: not an integer literal
        CHECK_FALSE(a.at(8).get(i)); // 1e2 neither
        CHECK(i == 7);               // unchanged on failure
        CHECK(a.at(7).get(d));
        CHECK(d == 1.0);
        CHECK(a.at(8).get(d));
        CHECK(d == 100.0);
        CHECK(a.at(9).get(i));
        CHECK(i == -1);
        CHECK_FALSE(a.at(9).get(u));
        CHECK(a.at(10).get(u));
        CHECK(u == 0);
    }
    SUBCASE("whitespace, empty containers, literals, empty key") {
        CHECK(canonical(" \t\r\n[ 1 , 2 ,\n{ \"a\" : [ ] , \"b\" : { } } ] \r\n") ==
              "[1,2,{\"a\":[],\"b\":{}}]");
        CHECK(canonical("[]") == "[]");
        CHECK(canonical("{}") == "{}");
        CHECK(canonical("[[[]]]") == "[[[]]]");
        CHECK(canonical("null") == "null");
        CHECK(canonical("true") == "true");
        CHECK(canonical("false") == "false");
        CHECK(canonical("{\"\":0}") == "{\"\":0}");
        CHECK(canonical("0") == "0");
        CHECK(canonical("-0.0e-0") == "-0.0e-0");
        CHECK(canonical("1E+2") == "1E+2");
        CHECK(canonical("123.456e-789") == "123.456e-789");
        CHECK(canonical("\"/\"") == "\"/\"");
    }
    SUBCASE("the same key in sibling and nested objects is fine") {
        REQUIRE(parse_into(doc, "[{\"a\":1},{\"a\":2},{\"a\":{\"a\":{\"a\":3}}}]").ok);
        CHECK(doc.root().at(2)["a"]["a"]["a"].get(i));
        CHECK(i == 3);
        REQUIRE(parse_into(doc, "{\"a\":1,\"A\":2,\"a \":3,\"ab\":4}").ok);
    }
    SUBCASE("nesting up to the limit") {
        const std::string ok = std::string(64, '[') + std::string(64, ']');
        REQUIRE(parse_into(doc, ok).ok);
        CHECK(serialize(doc) == ok);
        std::string objects;
        for (int k = 0; k < 64; ++k) objects += "{\"k\":";
        objects += "1";
        objects += std::string(64, '}');
        REQUIRE(parse_into(doc, objects).ok);
        CHECK(serialize(doc) == objects);
    }
}

TEST_CASE("get(double)") {
    struct double_case {
        const char* text;
        double expected;
    };
    const double_case cases[] = {
        {"0", 0.0},
        {"0.1", 0.1},
        {"1.5e3", 1500.0},
        {"-2.5E-3", -0.0025},
        {"3.14159", 3.14159},
        {"1e22", 1e22},
        {"1e23", 1e23},
        {"9007199254740993", 9007199254740992.0}, // halfway: rounds to even
        {"9007199254740995", 9007199254740996.0},
        {"123456789012345678901234567890", 1.2345678901234568e29},
        {"2.2250738585072014e-308", 2.2250738585072014e-308},
        {"2.2250738585072011e-308", 2.2250738585072011e-308},
        {"4.9e-324", 4.9406564584124654e-324},
        {"2e-324", 0.0},
        {"1.7976931348623157e308", 1.7976931348623157e308},
        {"0.000001234", 1.234e-6},
        {"1234000000000000000000000000e-27", 1.234},
        {"-122.026020", -122.02602},
        {"37.371991", 37.371991},
        {"7.038531e-26", 7.038531e-26},
    };
    document doc;
    for (const auto& c : cases) {
        CAPTURE(c.text);
        REQUIRE(parse_into(doc, c.text).ok);
        double d = -1;
        CHECK(doc.root().get(d));
        CHECK(d == c.expected);
    }
    double d = 7;
    REQUIRE(parse_into(doc, "1.7976931348623159e308").ok);
    CHECK_FALSE(doc.root().get(d));
    REQUIRE(parse_into(doc, "-1e309").ok);
    CHECK_FALSE(doc.root().get(d));
    CHECK(d == 7);

    // More than 768 significant digits: the dropped digits still decide the rounding.
    // 2^53 + 1 is halfway between two doubles; anything above it rounds up.
    std::string halfway = "9007199254740993";
    REQUIRE(parse_into(doc, halfway + "." + std::string(1000, '0')).ok);
    CHECK(doc.root().get(d));
    CHECK(d == 9007199254740992.0);
    REQUIRE(parse_into(doc, halfway + "." + std::string(1000, '0') + "1").ok);
    CHECK(doc.root().get(d));
    CHECK(d == 9007199254740994.0);
    REQUIRE(parse_into(doc, "1" + std::string(800, '0') + "e-800").ok);
    CHECK(doc.root().get(d));
    CHECK(d == 1.0);
    REQUIRE(parse_into(doc, "0." + std::string(800, '0') + "1e801").ok);
    CHECK(doc.root().get(d));
    CHECK(d == 1.0);
    REQUIRE(parse_into(doc, "1e-99999999999999999999").ok);
    CHECK(doc.root().get(d));
    CHECK(d == 0.0);
    REQUIRE(parse_into(doc, "1e99999999999999999999").ok);
    CHECK_FALSE(doc.root().get(d));

    // Not a number.
    REQUIRE(parse_into(doc, "\"1.5\"").ok);
    CHECK_FALSE(doc.root().get(d));
    CHECK_FALSE(value().get(d));
}

TEST_CASE("get(double) does not depend on the C locale's decimal point") {
    const char* const names[] = {"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8",
                                 "fr_FR.utf8",  "de_DE",      "fr_FR"};
    const char* old = std::setlocale(LC_NUMERIC, nullptr);
    const std::string saved = old != nullptr ? old : "C";
    bool switched = false;
    for (const char* name : names) {
        if (std::setlocale(LC_NUMERIC, name) != nullptr) {
            switched = true;
            break;
        }
    }
    document doc;
    for (const char* text : {"1.5", "1.5e30", "123456789012345678901234.5", "0.1e-5"}) {
        REQUIRE(parse_into(doc, text).ok);
        double d = 0;
        CHECK(doc.root().get(d));
        CHECK(d > 0);
    }
    double d = 0;
    REQUIRE(parse_into(doc, "1.5e30").ok);
    CHECK(doc.root().get(d));
    CHECK(d == 1.5e30);
    REQUIRE(parse_into(doc, "123456789012345678901234.5").ok);
    CHECK(doc.root().get(d));
    CHECK(d == 123456789012345678901234.5);
    std::setlocale(LC_NUMERIC, saved.c_str());
    if (!switched) MESSAGE("no comma-decimal locale installed: ran in the C locale only");
}

TEST_CASE("value handles") {
    document doc;
    REQUIRE(
        parse_into(doc, R"({"a":1,"b":[true,false,null,{"c":"d"},[1,[2]]],"e":{"f":[]},"g":"h"})")
            .ok);
    const value root = doc.root();
    CHECK(root.exists());
    CHECK(static_cast<bool>(root));
    CHECK(root.kind() == type::object);
    CHECK(root.size() == 4);
    CHECK(root.key_at(0) == "a");
    CHECK(root.key_at(3) == "g");
    CHECK(root.key_at(4).empty());
    CHECK(root.at(3).as_string() == "h");
    CHECK(root.at(1).is_array());
    CHECK_FALSE(root.at(4).exists());

    const value b = root["b"];
    REQUIRE(b.size() == 5);
    CHECK(b.at(0).is_bool());
    CHECK(b.at(2).is_null());
    CHECK(b.at(2).exists());
    CHECK(b.at(3)["c"].as_string() == "d");
    CHECK(b.at(4).at(1).at(0).number_text() == "2");
    CHECK(b.key_at(0).empty()); // not an object
    CHECK_FALSE(b["c"].exists());

    // Missing values chain safely.
    const value missing = root["x"]["y"].at(3);
    CHECK_FALSE(missing.exists());
    CHECK_FALSE(missing);
    CHECK(missing.kind() == type::null);
    CHECK_FALSE(missing.is_null());
    CHECK(missing.size() == 0);
    CHECK(missing.as_string().empty());
    CHECK(missing.begin() == missing.end());
    CHECK(missing.members().begin() == missing.members().end());
    bool flag = true;
    CHECK_FALSE(missing.get(flag));
    CHECK_FALSE(root["a"].get(flag));
    CHECK(root["a"].as_string().empty());
    CHECK(root["g"].number_text().empty());
    CHECK(root["a"].size() == 0);

    // Iteration over elements and member values, and over members.
    std::vector<type> kinds;
    for (value v : b) kinds.push_back(v.kind());
    CHECK(kinds ==
          std::vector<type>{type::boolean, type::boolean, type::null, type::object, type::array});
    std::string keys;
    for (value v : root) keys += trtc::json::to_string(v.kind()), keys += ' ';
    CHECK(keys == "number array object string ");
    keys.clear();
    for (auto [k, v] : root.members()) {
        keys += k;
        keys += v.exists() ? "+" : "-";
    }
    CHECK(keys == "a+b+e+g+");
    CHECK(root["e"]["f"].begin() == root["e"]["f"].end());
    CHECK(b.members().begin() == b.members().end());
    const value scalar = root["a"];
    CHECK(scalar.begin() == scalar.end());

    // at() on arrays of scalars (O(1)) and of containers (walk).
    REQUIRE(parse_into(doc, "[[0],[1,1],[2],{\"x\":[3]},4,[5]]").ok);
    std::int64_t n = -1;
    for (std::size_t k = 0; k < 6; ++k) {
        value e = doc.root().at(k);
        if (e.is_array()) e = e.at(0);
        if (e.is_object()) e = e["x"].at(0);
        CHECK(e.get(n));
        CHECK(n == static_cast<std::int64_t>(k));
    }
    REQUIRE(parse_into(doc, "{\"a\":[1],\"b\":2,\"c\":{\"d\":3}}").ok);
    CHECK(doc.root().key_at(2) == "c");
    CHECK(doc.root().at(2)["d"].get(n));
    CHECK(n == 3);
    CHECK(doc.root().at(1).get(n));
    CHECK(n == 2);
}

TEST_CASE("document integers: the int64 and uint64 extremes, written and read back") {
    document doc;
    REQUIRE(doc.begin_array());
    const std::int64_t signed_values[] = {INT64_MIN, INT64_MIN + 1, -10, -1, 0, 9, INT64_MAX};
    for (std::int64_t v : signed_values) REQUIRE(doc.integer(v));
    REQUIRE(doc.unsigned_integer(0));
    REQUIRE(doc.unsigned_integer(UINT64_MAX));
    REQUIRE(doc.end_array());
    std::string out;
    trtc::json::serialize(doc, out);
    CHECK(out == "[-9223372036854775808,-9223372036854775807,-10,-1,0,9,9223372036854775807,0,"
                 "18446744073709551615]");
    std::size_t i = 0;
    for (std::int64_t v : signed_values) {
        std::int64_t back = 1;
        REQUIRE(doc.root().at(i++).get(back));
        CHECK(back == v);
    }
}

TEST_CASE("the building API") {
    document doc;
    SUBCASE("a document built by calls") {
        CHECK(doc.begin_object());
        CHECK(doc.key("id"));
        CHECK(doc.integer(-42));
        CHECK(doc.key("big"));
        CHECK(doc.unsigned_integer(18446744073709551615ull));
        CHECK(doc.key("x"));
        CHECK(doc.number("1.5e3"));
        CHECK(doc.key("list"));
        CHECK(doc.begin_array());
        CHECK(doc.boolean(true));
        CHECK(doc.null());
        CHECK(doc.string("caf\xC3\xA9"));
        CHECK_FALSE(doc.complete());
        CHECK(doc.end_array());
        CHECK_FALSE(doc.root().exists());
        CHECK(doc.end_object());
        CHECK(doc.complete());
        CHECK(doc.error() == build_error::none);
        CHECK(serialize(doc) == "{\"id\":-42,\"big\":18446744073709551615,\"x\":1.5e3,\"list\":["
                                "true,null,\"caf\xC3\xA9\"]}");
        std::uint64_t u = 0;
        CHECK(doc.root()["big"].get(u));
        CHECK(u == 18446744073709551615ull);
        std::int64_t i = 0;
        CHECK(doc.root()["id"].get(i));
        CHECK(i == -42);
        CHECK(doc.integer(INT64_MIN) == false); // a second root
        CHECK(doc.error() == build_error::structure);
    }
    SUBCASE("structure errors") {
        SUBCASE("end_array without begin") {
            CHECK_FALSE(doc.end_array());
        }
        SUBCASE("end_object without begin") {
            CHECK_FALSE(doc.end_object());
        }
        SUBCASE("key outside an object") {
            CHECK_FALSE(doc.key("a"));
        }
        SUBCASE("key in an array") {
            CHECK(doc.begin_array());
            CHECK_FALSE(doc.key("a"));
        }
        SUBCASE("value where a key is expected") {
            CHECK(doc.begin_object());
            CHECK_FALSE(doc.string("a"));
        }
        SUBCASE("two keys in a row") {
            CHECK(doc.begin_object());
            CHECK(doc.key("a"));
            CHECK_FALSE(doc.key("b"));
        }
        SUBCASE("end_object after a key") {
            CHECK(doc.begin_object());
            CHECK(doc.key("a"));
            CHECK_FALSE(doc.end_object());
        }
        SUBCASE("mismatched end") {
            CHECK(doc.begin_array());
            CHECK_FALSE(doc.end_object());
        }
        SUBCASE("a second root value") {
            CHECK(doc.null());
            CHECK_FALSE(doc.null());
        }
        SUBCASE("a container after the root") {
            CHECK(doc.begin_array());
            CHECK(doc.end_array());
            CHECK_FALSE(doc.begin_array());
        }
        CHECK(doc.error() == build_error::structure);
        CHECK_FALSE(doc.complete());
        // Every call fails after the first failure.
        CHECK_FALSE(doc.null());
        CHECK_FALSE(doc.begin_array());
        CHECK_FALSE(doc.end_array());
        CHECK_FALSE(doc.string("x"));
        CHECK(doc.error() == build_error::structure);
        // clear() makes the document usable again.
        doc.clear();
        CHECK(doc.error() == build_error::none);
        CHECK(doc.null());
        CHECK(doc.complete());
        CHECK(doc.root().is_null());
    }
    SUBCASE("invalid UTF-8 strings and keys") {
        CHECK(doc.begin_array());
        CHECK_FALSE(doc.string("\xED\xA0\x80"));
        CHECK(doc.error() == build_error::invalid_utf8);
        doc.clear();
        CHECK(doc.begin_object());
        CHECK_FALSE(doc.key("\xC0\x80"));
        CHECK(doc.error() == build_error::invalid_utf8);
    }
    SUBCASE("invalid numbers") {
        for (const char* bad :
             {"", "01", "+1", "1.", ".5", "1e", "-", "NaN", "1 ", " 1", "0x1", "1,2", "--1"}) {
            CAPTURE(bad);
            doc.clear();
            CHECK_FALSE(doc.number(bad));
            CHECK(doc.error() == build_error::invalid_number);
        }
        for (const char* good :
             {"0", "-0", "1.5", "-1.5e-3", "1E+9", "123456789012345678901234567890"}) {
            doc.clear();
            CHECK(doc.number(good));
            CHECK(doc.root().number_text() == good);
        }
    }
    SUBCASE("duplicate keys, small and large objects") {
        CHECK(doc.begin_object());
        CHECK(doc.key("a"));
        CHECK(doc.begin_array());
        CHECK(doc.end_array());
        CHECK(doc.key("b"));
        CHECK(doc.null());
        CHECK_FALSE(doc.key("a"));
        CHECK(doc.error() == build_error::duplicate_key);

        doc.clear();
        CHECK(doc.begin_object());
        for (int k = 0; k < 100; ++k) {
            CHECK(doc.key("key" + std::to_string(k)));
            CHECK(doc.begin_object());
            CHECK(doc.key("same"));
            CHECK(doc.integer(k));
            CHECK(doc.end_object());
        }
        CHECK(doc.key("key7")); // past the linear check: found when the object closes
        CHECK(doc.null());
        CHECK_FALSE(doc.end_object());
        CHECK(doc.error() == build_error::duplicate_key);
    }
    SUBCASE("fail() lets a parser reject a document it has built") {
        CHECK(doc.integer(1));
        CHECK(doc.complete());
        CHECK_FALSE(doc.fail(build_error::syntax));
        CHECK_FALSE(doc.complete());
        CHECK_FALSE(doc.root().exists());
        CHECK(doc.error() == build_error::syntax);
        CHECK_FALSE(doc.fail(build_error::structure)); // the first error stays
        CHECK(doc.error() == build_error::syntax);
    }
    SUBCASE("empty strings and keys") {
        CHECK(doc.begin_object());
        CHECK(doc.key(std::string_view()));
        CHECK(doc.string(std::string_view()));
        CHECK(doc.end_object());
        CHECK(serialize(doc) == "{\"\":\"\"}");
    }
    SUBCASE("to_string") {
        CHECK(std::string(trtc::json::to_string(build_error::none)) == "no error");
        CHECK(std::string(trtc::json::to_string(build_error::duplicate_key)) == "duplicate key");
        CHECK(std::string(trtc::json::to_string(build_error::depth_exceeded)) ==
              "nesting too deep");
        CHECK(std::string(trtc::json::to_string(type::object)) == "object");
    }
}

TEST_CASE("limits") {
    SUBCASE("depth") {
        limits l;
        l.max_depth = 3;
        document doc(l);
        CHECK(parse_into(doc, "[[[1]]]").ok);
        CHECK(parse_into(doc, "[{\"a\":[]}]").ok);
        const parsed r = parse_into(doc, "[[[[1]]]]");
        CHECK_FALSE(r.ok);
        CHECK(r.err.offset == 3);
        CHECK(std::string_view(r.err.message) == "nesting too deep");
        CHECK(doc.error() == build_error::depth_exceeded);
        CHECK(doc.limits().max_depth == 3);
        l.max_depth = 0;
        document flat(l);
        CHECK(parse_into(flat, "1").ok);
        CHECK_FALSE(parse_into(flat, "[]").ok);
    }
    SUBCASE("nodes") {
        limits l;
        l.max_nodes = 3;
        document doc(l);
        CHECK(parse_into(doc, "[1,2]").ok);
        CHECK(parse_into(doc, "{\"a\":1,\"b\":2}").ok); // keys are not counted
        const parsed r = parse_into(doc, "[1,2,3]");
        CHECK_FALSE(r.ok);
        CHECK(r.err.offset == 5);
        CHECK(std::string_view(r.err.message) == "too many values");
        CHECK(doc.error() == build_error::too_many_nodes);
        CHECK_FALSE(parse_into(doc, "[[[[]]]]").ok);
        CHECK_FALSE(parse_into(doc, "{\"a\":1,\"b\":2,\"c\":\"x\"}").ok);
    }
    SUBCASE("input size") {
        limits l;
        l.max_input = 10;
        document doc(l);
        CHECK(parse_into(doc, "[1,2,3,45]").ok); // exactly 10 bytes
        const parsed r = parse_into(doc, "[1,2,3,456]");
        CHECK_FALSE(r.ok);
        CHECK(r.err.offset == 0);
        CHECK(std::string_view(r.err.message) == "input too large");
        CHECK(doc.error() == build_error::input_too_large);
        // The building API bounds the document's total text by the same limit.
        doc.clear();
        CHECK(doc.begin_array());
        CHECK(doc.string("12345"));
        CHECK(doc.integer(12345));
        CHECK_FALSE(doc.string("6"));
        CHECK(doc.error() == build_error::input_too_large);
    }
    SUBCASE("string length") {
        limits l;
        l.max_string = 3;
        document doc(l);
        CHECK(parse_into(doc, "[\"abc\",\"\\u00e9\"]").ok);
        parsed r = parse_into(doc, "[\"abc\",\"abcd\"]");
        CHECK_FALSE(r.ok);
        CHECK(r.err.offset == 7);
        CHECK(std::string_view(r.err.message) == "string too long");
        CHECK(doc.error() == build_error::string_too_long);
        r = parse_into(doc, "[\"\\u00e9\\u00e9\"]"); // 12 bytes escaped, 4 unescaped
        CHECK_FALSE(r.ok);
        CHECK(std::string_view(r.err.message) == "string too long");
        r = parse_into(doc, "{\"abcd\":1}");
        CHECK_FALSE(r.ok);
        CHECK(r.err.offset == 1);
        CHECK(std::string_view(r.err.message) == "string too long");
        CHECK(parse_into(doc, "[123456789]").ok); // numbers are not strings
        doc.clear();
        CHECK(doc.begin_object());
        CHECK_FALSE(doc.key("long"));
        CHECK(doc.error() == build_error::string_too_long);
    }
}

TEST_CASE("writer: escaping of every ASCII byte, as RapidJSON does") {
    static const char hex[] = "0123456789ABCDEF";
    for (int c = 0; c < 0x80; ++c) {
        std::string expected = "\"";
        switch (c) {
        case '"':
            expected += "\\\"";
            break;
        case '\\':
            expected += "\\\\";
            break;
        case 0x08:
            expected += "\\b";
            break;
        case 0x0C:
            expected += "\\f";
            break;
        case 0x0A:
            expected += "\\n";
            break;
        case 0x0D:
            expected += "\\r";
            break;
        case 0x09:
            expected += "\\t";
            break;
        default:
            if (c < 0x20) {
                expected += "\\u00";
                expected += hex[c >> 4];
                expected += hex[c & 15];
            } else {
                expected += static_cast<char>(c);
            }
        }
        expected += '"';
        std::string out;
        trtc::json::writer w(out);
        w.string(std::string(1, static_cast<char>(c)));
        CAPTURE(c);
        CHECK(out == expected);
    }
    std::string out;
    trtc::json::writer w(out);
    w.string("\x1F/\x7F caf\xC3\xA9 \xF0\x9F\x98\x80 \xFF");
    CHECK(out == "\"\\u001F/\x7F caf\xC3\xA9 \xF0\x9F\x98\x80 \xFF\"");
}

TEST_CASE("writer: long strings with escapes at every position" *
          doctest::test_suite("exhaustive")) {
    // Compares the fast path with a byte-by-byte reference.
    auto reference = [](const std::string& s) {
        std::string r = "\"";
        for (char ch : s) {
            const auto c = static_cast<unsigned char>(ch);
            if (c == '"' || c == '\\') {
                r += '\\';
                r += ch;
            } else if (c == '\n') {
                r += "\\n";
            } else if (c < 0x20) {
                static const char hex[] = "0123456789ABCDEF";
                r += "\\u00";
                r += hex[c >> 4];
                r += hex[c & 15];
            } else {
                r += ch;
            }
        }
        return r + "\"";
    };
    const char specials[] = {'"', '\\', '\n', '\x01', '\x1F', '\x7F', '\x80', '\xFF', ' ', '~'};
    // Past 48 bytes, where short keys and values stop being written in one piece; as a value,
    // as a key, and after a comma.
    for (std::size_t len = 0; len < 64; ++len) {
        for (std::size_t pos = 0; pos < len; ++pos) {
            for (char sp : specials) {
                std::string s(len, 'x');
                s[pos] = sp;
                std::string out;
                trtc::json::writer w(out);
                w.string(s);
                REQUIRE(out == reference(s));
                out.clear();
                trtc::json::writer o(out);
                o.begin_object();
                o.key(s);
                o.string(s);
                o.key(s);
                o.integer(1);
                o.end_object();
                REQUIRE(out ==
                        "{" + reference(s) + ":" + reference(s) + "," + reference(s) + ":1}");
            }
        }
    }
}

TEST_CASE("writer: structure and commas") {
    std::string out = "prefix:";
    trtc::json::writer w(out);
    w.begin_object();
    w.key("a");
    w.begin_array();
    w.integer(1);
    w.integer(INT64_MIN);
    w.unsigned_integer(UINT64_MAX);
    w.boolean(true);
    w.boolean(false);
    w.null();
    w.string("x");
    CHECK(w.raw_number("-1.5e+3"));
    w.begin_object();
    w.end_object();
    w.begin_array();
    w.end_array();
    w.end_array();
    w.key("b\"");
    w.begin_object();
    w.key("");
    w.string("");
    w.end_object();
    w.key("c");
    CHECK_FALSE(w.raw_number("1."));
    w.end_object();
    CHECK(&w.output() == &out);
    CHECK(out == "prefix:{\"a\":[1,-9223372036854775808,18446744073709551615,true,false,null,"
                 "\"x\",-1.5e+3,{},[]],\"b\\\"\":{\"\":\"\"},\"c\":null}");
}

TEST_CASE("round trip: parse(serialize(doc)) gives the same document") {
    const std::string texts[] = {
        typical_response,
        rfc_image,
        rfc_places,
        "[]",
        "{}",
        "0",
        "\"\"",
        "[null,true,false,-0,0.5e-3,1E400,\"\\u0000\\u001f\\\"\\\\/\"]",
        "{\"a\":{\"b\":{\"c\":[[[{}]]]}},\"\\t\":\"\\ud83d\\ude00\"}",
        "[\"caf\xC3\xA9\",\"\xE2\x82\xAC\",{\"\xF0\x9F\x98\x80\":\"\x7F\"}]",
    };
    document a, b;
    for (const auto& t : texts) {
        CAPTURE(t);
        REQUIRE(parse_into(a, t).ok);
        const std::string s1 = serialize(a);
        REQUIRE(parse_into(b, s1).ok);
        CHECK(serialize(b) == s1);
        CHECK(a.node_count() == b.node_count());
    }
    CHECK(canonical(typical_response) == typical_response);
    // An incomplete document serializes to nothing.
    document c;
    c.begin_array();
    CHECK(serialize(c).empty());
}

TEST_CASE("serialize deeper than its inline stack") {
    limits l;
    l.max_depth = 1000;
    const std::string deep = std::string(500, '[') + "1" + std::string(500, ']');
    CHECK(canonical(deep, l) == deep);
    std::string objects;
    for (int k = 0; k < 300; ++k) objects += "{\"k\":[";
    objects += "\"x\"";
    for (int k = 0; k < 300; ++k) objects += "]}";
    CHECK(canonical(objects, l) == objects);
}

TEST_CASE("a reused document does not allocate") {
    document doc;
    REQUIRE(parse_into(doc, typical_response).ok);
    const std::size_t nodes = doc.node_capacity();
    const std::size_t text = doc.text_capacity();
    for (int k = 0; k < 100; ++k) {
        REQUIRE(parse_into(doc, typical_response).ok);
        REQUIRE(parse_into(doc, "{\"ErrorCode\":70001,\"ErrorInfo\":\"bad\"}").ok);
        REQUIRE_FALSE(parse_into(doc, "{\"ErrorCode\":7000").ok);
    }
    CHECK(doc.node_capacity() == nodes);
    CHECK(doc.text_capacity() == text);
    doc.clear();
    CHECK(doc.node_capacity() == nodes);
    CHECK(doc.text_capacity() == text);
    CHECK(doc.node_count() == 0);
    CHECK_FALSE(doc.complete());

    // reserve() sizes a fresh document up front.
    document fresh;
    fresh.reserve(64, 512);
    const std::size_t n0 = fresh.node_capacity();
    const std::size_t t0 = fresh.text_capacity();
    REQUIRE(parse_into(fresh, typical_response).ok);
    CHECK(fresh.node_capacity() == n0);
    CHECK(fresh.text_capacity() == t0);
}

// Random documents, with keys from a small set (two spellings of "a" among them) so that
// duplicates are frequent, some nested deeper than 16 levels, parse exactly when no object has
// a key twice.
TEST_CASE("duplicate keys are found at every depth, and only duplicates") {
    // Unescaped key, and how it is written (two spellings of "a").
    const std::pair<const char*, const char*> keys[] = {
        {"", "\"\""},       {"a", "\"a\""},    {"a", "\"\\u0061\""}, {"b", "\"b\""},
        {"ab", "\"ab\""},   {"ba", "\"ba\""},  {"aa", "\"aa\""},     {"abc", "\"abc\""},
        {"acb", "\"acb\""}, {"cba", "\"cba\""}};
    std::uint64_t state = 0x9E3779B97F4A7C15ull;
    auto next = [&state](std::uint64_t n) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        return state % n;
    };
    // Appends a random value; returns true when some object in it repeats a key.
    std::function<bool(std::string&, int)> value_at = [&](std::string& out, int depth) -> bool {
        const std::uint64_t pick = depth >= 24 ? 7 : next(8); // 7: a number
        bool dup = false;
        if (pick < 2) {
            out += '{';
            std::vector<std::string> seen;
            // Now and then an object past the 16 members whose keys are compared as they come
            // (later ones are checked when the object closes), its values plain numbers.
            const bool big = next(12) == 0;
            const std::uint64_t n = big ? 15 + next(6) : next(5);
            for (std::uint64_t i = 0; i < n; ++i) {
                if (i) out += ',';
                std::string key, written;
                if (big && next(4) != 0) {
                    key = "k" + std::to_string(next(40));
                    written = '"' + key + '"';
                } else {
                    const auto& k = keys[next(sizeof keys / sizeof keys[0])];
                    key = k.first;
                    written = k.second;
                }
                for (const std::string& s : seen) dup |= s == key;
                seen.push_back(key);
                out += written;
                out += ':';
                if (big)
                    out += std::to_string(next(10));
                else
                    dup |= value_at(out, depth + 1);
            }
            out += '}';
        } else if (pick < 4) {
            out += '[';
            const std::uint64_t n = next(3);
            for (std::uint64_t i = 0; i < n; ++i) {
                if (i) out += ',';
                dup |= value_at(out, depth + 1);
            }
            out += ']';
        } else {
            out += std::to_string(next(100));
        }
        return dup;
    };
    document doc;
    int with_dup = 0, without = 0;
    for (int round = 0; round < 3000; ++round) {
        std::string text;
        // Start some documents deep, past the filter's levels.
        const int start = static_cast<int>(next(3)) * 9;
        for (int i = 0; i < start; ++i) text += '[';
        const bool dup = value_at(text, start);
        for (int i = 0; i < start; ++i) text += ']';
        CAPTURE(text);
        const parsed r = parse_into(doc, text);
        REQUIRE(r.ok == !dup);
        if (dup) {
            REQUIRE(doc.error() == build_error::duplicate_key);
            ++with_dup;
        } else {
            ++without;
        }
    }
    CHECK(with_dup > 300);
    CHECK(without > 300);
    // Sibling objects with the same keys, and a duplicate after a nested object reused the
    // next level.
    CHECK(parse_into(doc, "[{\"a\":1,\"b\":2},{\"a\":1,\"b\":2}]").ok);
    CHECK_FALSE(parse_into(doc, "{\"a\":{\"a\":1,\"b\":{\"a\":2}},\"b\":2,\"a\":3}").ok);
    CHECK(parse_into(doc, "{\"a\":{\"a\":1,\"b\":{\"a\":2}},\"b\":2,\"c\":3}").ok);
}

// How fast is for the benchmarks; this checks that a huge object works and that a duplicate
// anywhere in it is found (the sorting path of the duplicate-key check).
TEST_CASE("a 60,000-member object parses, and a duplicate in it is found" *
          doctest::test_suite("exhaustive")) {
    std::string text = "{";
    for (int k = 0; k < 60000; ++k) {
        if (k != 0) text += ',';
        text += "\"k" + std::to_string(k) + "\":" + std::to_string(k);
    }
    text += '}';
    document doc;
    const parsed r = parse_into(doc, text);
    REQUIRE(r.ok);
    CHECK(doc.root().size() == 60000);
    std::int64_t v = 0;
    CHECK(doc.root().at(59999).get(v));
    CHECK(v == 59999);
    CHECK(doc.root().key_at(12345) == "k12345");
    CHECK(doc.root()["k42"].get(v));
    CHECK(v == 42);
    std::size_t count = 0;
    for (auto m : doc.root().members()) count += m.value.is_number();
    CHECK(count == 60000);

    // A duplicate anywhere in it is found, when the object closes.
    text.back() = ',';
    text += "\"k31337\":0}";
    const parsed dup = parse_into(doc, text);
    CHECK_FALSE(dup.ok);
    CHECK(std::string_view(dup.err.message) == "duplicate key");
    CHECK(dup.err.offset == text.size() - 1);

    // Many long keys sharing a prefix, and a large array.
    text = "{";
    const std::string prefix(100, 'p');
    for (int k = 0; k < 5000; ++k) {
        if (k != 0) text += ',';
        text += "\"" + prefix + std::to_string(k) + "\":[" + std::to_string(k) + "]";
    }
    text += '}';
    REQUIRE(parse_into(doc, text).ok);
    CHECK(doc.root().size() == 5000);
    CHECK(doc.root().at(4999).at(0).get(v));
    CHECK(v == 4999);
}

TEST_CASE("byte mutations never crash, and what parses round-trips" *
          doctest::test_suite("exhaustive")) {
    const std::string seeds[] = {
        typical_response,
        rfc_image,
        rfc_places,
        "[1,-2.5e+3,true,false,null,\"a\\\"b\\\\c\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\",{}]",
        "{\"k\":[[],{\"x\":{\"y\":[0,1e400,-0.0]}}],\"caf\xC3\xA9\":"
        "\"\xE2\x82\xAC\xF0\x9F\x98\x80\"}",
    };
    const char* const fragments[] = {
        "\"",   "\\",       "{",       "}",    "[", "]",  ",",  ":",
        "\\u",  "\\uD800",  "\\uDC00", "0",    "-", ".",  "e",  "\xED\xA0\x80",
        "\xC3", "\xF0\x9F", "null",    "true", " ", "\t", "\n", "1e999"};
    lcg rng{20260101};
    document doc(limits{16, 1 << 16, 4096, 1 << 16});
    document again;
    std::string s1, s2;
    int parsed_ok = 0;
    for (int iteration = 0; iteration < 20000; ++iteration) {
        std::string text = seeds[rng.below(5)];
        const int edits = 1 + static_cast<int>(rng.below(4));
        for (int e = 0; e < edits; ++e) {
            const std::size_t pos =
                text.empty() ? 0 : rng.below(static_cast<std::uint32_t>(text.size()));
            switch (rng.below(6)) {
            case 0:
                if (!text.empty()) text[pos] = static_cast<char>(rng.below(256));
                break;
            case 1:
                text.insert(pos, 1, static_cast<char>(rng.below(256)));
                break;
            case 2:
                if (!text.empty()) text.erase(pos, 1 + rng.below(8));
                break;
            case 3:
                text.insert(pos, fragments[rng.below(sizeof fragments / sizeof fragments[0])]);
                break;
            case 4: {
                const std::size_t len = rng.below(16);
                text.insert(pos, text.substr(pos, len));
                break;
            }
            default:
                text.resize(pos);
                break;
            }
        }
        parse_error err;
        if (trtc::json::parse(text, doc, err)) {
            ++parsed_ok;
            REQUIRE(doc.complete());
            s1.clear();
            trtc::json::serialize(doc, s1);
            REQUIRE(trtc::json::parse(s1, again, err));
            s2.clear();
            trtc::json::serialize(again, s2);
            REQUIRE(s1 == s2);
            REQUIRE(trtc::detail::utf8_valid(s1));
        } else {
            REQUIRE(err.offset <= text.size());
            REQUIRE(err.message != nullptr);
            REQUIRE(err.message[0] != '\0');
            REQUIRE_FALSE(doc.complete());
        }
    }
    MESSAGE(parsed_ok << " of 20000 mutated documents parsed");
    CHECK(parsed_ok > 100);
}

TEST_CASE("builtin_json policy") {
    document doc;
    parse_error err;
    REQUIRE(trtc::builtin_json::parse(typical_response, doc, err));
    std::string out;
    trtc::builtin_json::serialize(doc, out);
    CHECK(out == typical_response);
    const value result = doc.root()["Response"]["Result"];
    REQUIRE(result.size() == 2);
    std::int64_t code = -1;
    CHECK(result.at(1)["ResultCode"].get(code));
    CHECK(code == 3);
    CHECK(result.at(1)["ResultMessage"].as_string() == "room in battle");
    CHECK_FALSE(trtc::builtin_json::parse("{", doc, err));
    CHECK(err.offset == 1);
}

TEST_CASE("dense input grows the node tape while containers are open") {
    // Far more than the one node per 8 bytes the reader reserves up front.
    std::string text = "{\"a\":[";
    for (int k = 0; k < 3000; ++k) text += k == 0 ? "0" : ",0";
    text += "],\"b\":[";
    for (int k = 0; k < 500; ++k) text += k == 0 ? "{\"x\":[1]}" : ",{\"x\":[1]}";
    text += "],\"c\":true}";
    document doc;
    REQUIRE(parse_into(doc, text).ok);
    const value root = doc.root();
    REQUIRE(root.size() == 3);
    CHECK(root["a"].size() == 3000);
    CHECK(root["b"].size() == 500);
    CHECK(root["b"].at(499)["x"].at(0).is_number());
    bool c = false;
    CHECK(root["c"].get(c));
    CHECK(c);
    CHECK(doc.node_count() == 1 + 2 + 3000 + 2 + 500 * 4 + 2);
    CHECK(serialize(doc) == text);
    // The limits hold on the in-place path too.
    limits l;
    l.max_nodes = 100;
    document small(l);
    CHECK_FALSE(parse_into(small, text).ok);
    CHECK(small.error() == build_error::too_many_nodes);
}

TEST_CASE("strings: every offset of an escape, a multi-byte character or an error") {
    document doc;
    for (std::size_t len = 0; len < 40; ++len) {
        for (std::size_t at = 0; at <= len; ++at) {
            CAPTURE(len);
            CAPTURE(at);
            const std::string before(at, 'a');
            const std::string after(len - at, 'b');
            // Plain, with an escape, with 2- and 4-byte UTF-8, padded by what follows.
            for (const char* tail : {"", " ", "              "}) {
                REQUIRE(parse_into(doc, "[\"" + before + after + "\"]" + tail).ok);
                CHECK(doc.root().at(0).as_string() == before + after);
                REQUIRE(parse_into(doc, "[\"" + before + "\\n" + after + "\"]" + tail).ok);
                CHECK(doc.root().at(0).as_string() == before + "\n" + after);
                REQUIRE(parse_into(doc, "[\"" + before + "\xC3\xA9" + after + "\"]" + tail).ok);
                CHECK(doc.root().at(0).as_string() == before + "\xC3\xA9" + after);
                REQUIRE(
                    parse_into(doc, "{\"" + before + "\xF0\x9F\x98\x80" + after + "\":1}" + tail)
                        .ok);
                CHECK(doc.root().key_at(0) == before + "\xF0\x9F\x98\x80" + after);
                // Errors are found at their exact byte.
                parsed r = parse_into(doc, "[\"" + before + "\x01" + after + "\"]" + tail);
                CHECK_FALSE(r.ok);
                CHECK(r.err.offset == 2 + at);
                CHECK(std::string(r.err.message) == "control character in string");
                r = parse_into(doc, "[\"" + before + "\xC3(" + after + "\"]" + tail);
                CHECK_FALSE(r.ok);
                CHECK(r.err.offset == 2 + at);
                CHECK(std::string(r.err.message) == "invalid UTF-8");
                r = parse_into(doc, "[\"" + before + after);
                CHECK_FALSE(r.ok);
                CHECK(std::string(r.err.message) == "unterminated string");
            }
        }
    }
}

TEST_CASE("integers: short digit runs and the full int64 range") {
    document doc;
    auto read = [&](const std::string& text, std::int64_t& out) {
        REQUIRE(parse_into(doc, "[" + text + "]").ok);
        return doc.root().at(0).get(out);
    };
    std::int64_t v = 7;
    CHECK(read("0", v));
    CHECK(v == 0);
    CHECK(read("-0", v));
    CHECK(v == 0);
    CHECK(read("123456789012345678", v));
    CHECK(v == 123456789012345678);
    CHECK(read("-123456789012345678", v));
    CHECK(v == -123456789012345678);
    CHECK(read("9007199254740993", v));
    CHECK(v == 9007199254740993);
    CHECK(read("9223372036854775807", v));
    CHECK(v == INT64_MAX);
    CHECK(read("-9223372036854775808", v));
    CHECK(v == INT64_MIN);
    v = 7;
    CHECK_FALSE(read("9223372036854775808", v));
    CHECK_FALSE(read("-9223372036854775809", v));
    CHECK_FALSE(read("1.0", v));
    CHECK_FALSE(read("1e2", v));
    CHECK_FALSE(read("-1E2", v));
    CHECK_FALSE(read("12345678901234567.5", v));
    CHECK_FALSE(read("\"1\"", v));
    CHECK(v == 7);
}

TEST_CASE("field_reader: lookups in any order find the same members") {
    document doc;
    REQUIRE(parse_into(doc, "{\"A\":1,\"BB\":{\"x\":[1,2]},\"CCCCCCCCC\":3,\"DDDDDDDDD\":4,"
                            "\"E\":\"e\",\"Fffffffffffffffffff\":6}")
                .ok);
    const char* orders[] = {"A BB CCCCCCCCC DDDDDDDDD E Fffffffffffffffffff",
                            "Fffffffffffffffffff E DDDDDDDDD CCCCCCCCC BB A",
                            "E A Fffffffffffffffffff BB DDDDDDDDD CCCCCCCCC"};
    for (const char* order : orders) {
        CAPTURE(order);
        trtc::field_reader r(doc.root(), "R");
        std::string text(order);
        std::size_t start = 0;
        while (start < text.size()) {
            std::size_t stop = text.find(' ', start);
            if (stop == std::string::npos) stop = text.size();
            const std::string key = text.substr(start, stop - start);
            start = stop + 1;
            value v;
            if (key == "BB") {
                REQUIRE(r.object(key, v, true));
                CHECK(v["x"].size() == 2);
            } else if (key == "E") {
                std::string e;
                REQUIRE(r.string(key, e, true));
                CHECK(e == "e");
            } else {
                std::int64_t n = 0;
                REQUIRE(r.integer(key, n, true));
                CHECK(n == doc.root()[key].number_text()[0] - '0');
            }
            // Missing members are missing wherever the search starts.
            std::string none = "x";
            CHECK(r.string("CCCCCCCCD", none, false));
            CHECK(none.empty());
        }
        std::string missing;
        CHECK_FALSE(r.string("G", missing, true));
        CHECK(r.failure().message == "R.G is missing");
    }
}
