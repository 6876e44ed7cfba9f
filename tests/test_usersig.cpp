// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
// UserSig generation, decoding, verification and PrivateMapKey with the built-in policies.
#include <trtc/usersig.hpp>

#include <doctest/doctest.h>

#include "test_data.hpp"

#include <ostream> // doctest prints std::error_code through it
#include <random>
#include <string>

namespace {

using test_data::key;
constexpr std::uint32_t app = 1400000000;
using test_data::t0;
constexpr std::chrono::seconds day(86400);
using test_data::official;
const std::string official_mac = "yLAe+w7WUeUuqbV9h/TX78u21oTGi+i9Zp1u3PpnY60=";

trtc::usersig_signer signer() {
    return trtc::usersig_signer::create(app, key).value();
}

/// A UserSig for an arbitrary JSON document (any layout), compressed with stored blocks.
std::string pack(const std::string& json_text) {
    std::string z;
    REQUIRE(trtc::stored_deflate().compress(json_text, z));
    return trtc::detail::base64_encode(z, trtc::detail::base64_alphabet::tencent);
}

/// TLS.sig over the canonical text of these fields.
std::string mac_of(std::string_view id, std::int64_t time, std::int64_t expire,
                   const std::string* userbuf_b64 = nullptr) {
    std::string text;
    std::string_view ub = userbuf_b64 ? std::string_view(*userbuf_b64) : std::string_view();
    trtc::detail::build_signed_text(text, id, app, time, expire, userbuf_b64 ? &ub : nullptr);
    auto m = trtc::detail::hmac_sha256(key).mac(text);
    return trtc::detail::base64_encode(
        std::string_view(reinterpret_cast<const char*>(m.data()), 32));
}

std::error_code verdict(const std::string& sig, trtc::unix_time now = t0,
                        std::string_view id = "administrator", std::uint32_t sdkappid = app,
                        const std::string& k = key) {
    auto r = trtc::verify_usersig(sig, sdkappid, id, k, now);
    return r ? std::error_code() : r.error().code;
}

} // namespace

TEST_CASE("the built-in signer reproduces the official document and TLS.sig") {
    auto s = signer();
    auto sig = s.generate("administrator", day, t0);
    REQUIRE(sig);
    CHECK(sig->size() == 248); // stored blocks: 32% longer than zlib's 188
    CHECK(sig->find_first_not_of(
              "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789*-_") ==
          std::string::npos);
    auto mine = trtc::decode_usersig(*sig);
    auto theirs = trtc::decode_usersig(official);
    REQUIRE(mine);
    REQUIRE(theirs);
    CHECK(mine->sig == official_mac);
    CHECK(theirs->sig == official_mac);
    CHECK(mine->version == "2.0");
    CHECK(mine->sdkappid == theirs->sdkappid);
    CHECK(mine->identifier == theirs->identifier);
    CHECK(mine->time == theirs->time);
    CHECK(mine->expire == theirs->expire);
    CHECK_FALSE(mine->has_userbuf);
    CHECK(mine->expires_at() == 1700086400);
    // Deterministic: same inputs, same bytes.
    CHECK(s.generate("administrator", day, t0).value() == *sig);
}

TEST_CASE("verification verdicts are the service's codes") {
    auto sig = signer().generate("administrator", day, t0).value();
    for (const std::string* s : {static_cast<const std::string*>(&sig), &official}) {
        CHECK_FALSE(verdict(*s, t0));
        CHECK_FALSE(verdict(*s, t0 + day)); // valid at exactly time + expire
        CHECK(verdict(*s, t0 + day + std::chrono::seconds(1)) ==
              trtc::service_errc::usersig_expired);
        CHECK(verdict(*s, t0, "administrator", app + 1) ==
              trtc::service_errc::usersig_sdkappid_mismatch);
        CHECK(verdict(*s, t0, "Administrator") == trtc::service_errc::usersig_identifier_mismatch);
        CHECK(verdict(*s, t0, "administrator", app, key + "0") ==
              trtc::service_errc::usersig_verification_failed);
    }
    CHECK(verdict("") == trtc::service_errc::usersig_empty);
    for (std::string bad : {std::string("!!!!"), std::string("eAE"), official.substr(0, 100),
                            official + "AAAA", std::string("e30_")}) {
        CAPTURE(bad);
        CHECK(verdict(bad) == trtc::service_errc::usersig_invalid);
    }
}

TEST_CASE("a verification failure never quotes the secret key or the sig") {
    auto r = trtc::verify_usersig(official, app, "administrator", "wrong-key", t0);
    REQUIRE_FALSE(r);
    for (const std::string& secret : {key, official, std::string("wrong-key")})
        CHECK(r.error().describe().find(secret) == std::string::npos);
}

TEST_CASE("decoding accepts every official library's layout") {
    const std::string m = mac_of("administrator", 1700000000, 86400);
    const std::string layouts[] = {
        // C++: compact, ver sdkappid identifier time expire sig
        R"({"TLS.ver":"2.0","TLS.sdkappid":1400000000,"TLS.identifier":"administrator","TLS.time":1700000000,"TLS.expire":86400,"TLS.sig":")" +
            m + "\"}",
        // Go v1.4: other order and a trailing newline
        R"({"TLS.ver":"2.0","TLS.identifier":"administrator","TLS.sdkappid":1400000000,"TLS.expire":86400,"TLS.time":1700000000,"TLS.sig":")" +
            m + "\"}\n",
        // Python: ", " and ": " separators
        R"({"TLS.ver": "2.0", "TLS.identifier": "administrator", "TLS.sdkappid": 1400000000, "TLS.expire": 86400, "TLS.time": 1700000000, "TLS.sig": ")" +
            m + "\"}",
        // PHP: escaped slashes in the sig
        R"({"TLS.ver":"2.0","TLS.identifier":"administrator","TLS.sdkappid":1400000000,"TLS.expire":86400,"TLS.time":1700000000,"TLS.sig":")" +
            std::string("yLAe+w7WUeUuqbV9h\\/TX78u21oTGi+i9Zp1u3PpnY60=") + "\"}",
        // pretty-printed, alphabetical (Go <= 1.3 sorts keys)
        "{\n  \"TLS.expire\" : 86400,\n  \"TLS.identifier\" : \"administrator\",\n"
        "  \"TLS.sdkappid\" : 1400000000,\n  \"TLS.sig\" : \"" +
            m + "\",\n  \"TLS.time\" : 1700000000,\n  \"TLS.ver\" : \"2.0\"\n}",
        // identifier written with \u escapes
        R"({"TLS.ver":"2.0","TLS.identifier":"\u0061dministrator","TLS.sdkappid":1400000000,"TLS.time":1700000000,"TLS.expire":86400,"TLS.sig":")" +
            m + "\"}",
    };
    for (const std::string& doc : layouts) {
        CAPTURE(doc);
        CHECK_FALSE(verdict(pack(doc)));
    }
    // Standard base64 (+ / =) is accepted as well as Tencent's (* - _).
    std::string z;
    REQUIRE(trtc::stored_deflate().compress(layouts[0], z));
    CHECK_FALSE(verdict(trtc::detail::base64_encode(z)));
}

TEST_CASE("decoding reads missing fields as zero, as Go's omitempty writes them") {
    const std::string m = mac_of("administrator", 1700000000, 0);
    auto sig = pack(
        R"({"TLS.ver":"2.0","TLS.identifier":"administrator","TLS.sdkappid":1400000000,"TLS.time":1700000000,"TLS.sig":")" +
        m + "\"}");
    auto d = trtc::decode_usersig(sig);
    REQUIRE(d);
    CHECK(d->expire == 0);
    CHECK_FALSE(verdict(sig, t0)); // valid during its one second
    CHECK(verdict(sig, t0 + std::chrono::seconds(1)) == trtc::service_errc::usersig_expired);
}

TEST_CASE("decoding rejects duplicate keys, wrong types and broken containers") {
    const std::string m = mac_of("administrator", 1700000000, 86400);
    const std::string bad_docs[] = {
        // a second identifier smuggled past a last-one-wins parser
        R"({"TLS.ver":"2.0","TLS.identifier":"someone","TLS.identifier":"administrator","TLS.sdkappid":1400000000,"TLS.time":1700000000,"TLS.expire":86400,"TLS.sig":")" +
            m + "\"}",
        R"({"TLS.ver":"2.0","TLS.identifier":"administrator","TLS.sdkappid":"1400000000","TLS.time":1700000000,"TLS.expire":86400,"TLS.sig":")" +
            m + "\"}",
        R"({"TLS.ver":"2.0","TLS.identifier":"administrator","TLS.sdkappid":1400000000,"TLS.time":1.7e9,"TLS.expire":86400,"TLS.sig":")" +
            m + "\"}",
        R"({"TLS.ver":"2.0","TLS.identifier":7,"TLS.sdkappid":1400000000,"TLS.time":1700000000,"TLS.expire":86400,"TLS.sig":")" +
            m + "\"}",
        R"({"TLS.ver":"2.0","TLS.identifier":"administrator","TLS.sdkappid":-1,"TLS.time":1700000000,"TLS.expire":86400,"TLS.sig":")" +
            m + "\"}",
        R"(["TLS.ver"])",
        R"({"TLS.ver":"2.0")",
        R"({"TLS.ver":"2.0"} {})",
        R"({"TLS.userbuf":"a!"})",
    };
    for (const std::string& doc : bad_docs) {
        CAPTURE(doc);
        CHECK(verdict(pack(doc)) == trtc::service_errc::usersig_invalid);
    }
}

TEST_CASE("generation refuses what would be misread, naming the problem") {
    auto s = signer();
    struct bad_case {
        std::string id;
        std::chrono::seconds expire;
        trtc::unix_time now;
        const char* fragment;
    };
    const bad_case cases[] = {
        {"", day, t0, "identifier must not be empty"},
        {"admin\nTLS.sdkappid:1", day, t0, "control character"},
        {std::string("adm\0in", 6), day, t0, "control character"},
        {"adm\x7Fin", day, t0, "control character"},
        {"\xC3\x28", day, t0, "not valid UTF-8"},
        {"administrator", std::chrono::seconds(0), t0, "expire must be between 1 and"},
        {"administrator", std::chrono::seconds(-5), t0, "expire must be between 1 and"},
        {"administrator", std::chrono::seconds(2147483648LL), t0, "expire must be between 1 and"},
        {"administrator", day, trtc::from_unix_seconds(-1), "before 1970"},
    };
    for (const bad_case& c : cases) {
        auto r = s.generate(c.id, c.expire, c.now);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == trtc::errc::invalid_argument);
        CHECK_MESSAGE(r.error().message.find(c.fragment) != std::string::npos, r.error().message);
        CHECK(r.error().message.find(key) == std::string::npos);
    }
    CHECK(trtc::usersig_signer::create(0, key).error().code == trtc::errc::invalid_argument);
    CHECK(trtc::usersig_signer::create(app, "").error().code == trtc::errc::invalid_argument);
    CHECK(s.generate("administrator", std::chrono::seconds(2147483647), t0));
}

TEST_CASE("identifiers of any length and script sign and verify, without truncation") {
    auto s = signer();
    std::mt19937 rng(7);
    std::string high_entropy;
    for (int i = 0; i < 1000; ++i) high_entropy.push_back(static_cast<char>('!' + rng() % 94));
    const std::string ids[] = {"a",
                               "\xE6\xB5\x8B\xE8\xAF\x95\xE7\x94\xA8\xE6\x88\xB7",
                               "quote\"back\\slash/</script>",
                               std::string(300, 'x'),
                               high_entropy,
                               std::string(5000, 'y'),
                               std::string(70000, 'z')};
    for (const std::string& id : ids) {
        CAPTURE(id.size());
        auto sig = s.generate(id, day, t0);
        REQUIRE(sig);
        auto d = s.verify_usersig(*sig, id, t0);
        REQUIRE(d);
        CHECK(d->identifier == id);
    }
}

TEST_CASE("a userbuf is signed and must match on verification") {
    auto s = signer();
    const std::string buf("\x00\x01\xFF binary", 10);
    auto sig = s.generate_with_userbuf("administrator", day, buf, t0);
    REQUIRE(sig);
    auto d = trtc::decode_usersig(*sig);
    REQUIRE(d);
    CHECK(d->has_userbuf);
    CHECK(d->userbuf == buf);
    std::string_view expected = buf;
    CHECK(s.verify_usersig(*sig, "administrator", t0, &expected));
    std::string_view other = "other";
    CHECK(s.verify_usersig(*sig, "administrator", t0, &other).error().code ==
          trtc::service_errc::usersig_verification_failed);
    CHECK(s.verify_usersig(*sig, "administrator", t0).error().code ==
          trtc::service_errc::usersig_verification_failed);
    auto plain = s.generate("administrator", day, t0).value();
    CHECK(s.verify_usersig(plain, "administrator", t0, &expected).error().code ==
          trtc::service_errc::usersig_verification_failed);
}

TEST_CASE("PrivateMapKey for numeric and string rooms") {
    auto s = signer();
    auto numeric = s.private_map_key("user1", std::chrono::seconds(3600), 1234u,
                                     trtc::privilege::enter_room | trtc::privilege::send_audio, t0);
    REQUIRE(numeric);
    auto d = trtc::decode_usersig(*numeric);
    REQUIRE(d);
    REQUIRE(d->has_userbuf);
    CHECK(d->expire == 3600); // relative in the document
    auto m = trtc::parse_private_map(d->userbuf);
    REQUIRE(m);
    CHECK(m->version == 0);
    CHECK(m->account == "user1");
    CHECK(m->sdkappid == app);
    CHECK(m->room_id == 1234);
    CHECK(m->expires_at == 1700003600); // absolute in the userbuf
    CHECK(m->privileges == 6);
    CHECK(m->account_type == 0);
    CHECK(m->room_str.empty());
    // The layout, byte by byte: version, length, account, sdkappid, room, expiry, privileges, 0.
    const std::string expected_buf("\x00\x00\x05user1\x53\x72\x4E\x00\x00\x00\x04\xD2"
                                   "\x65\x53\xFF\x10\x00\x00\x00\x06\x00\x00\x00\x00",
                                   28);
    CHECK(d->userbuf == expected_buf);

    auto str = s.private_map_key("user1", std::chrono::seconds(3600), std::string_view("pk-room"),
                                 trtc::privilege::all, t0);
    REQUIRE(str);
    auto m2 = trtc::parse_private_map(trtc::decode_usersig(*str)->userbuf);
    REQUIRE(m2);
    CHECK(m2->version == 1);
    CHECK(m2->room_id == 0);
    CHECK(m2->room_str == "pk-room");
    CHECK(m2->privileges == 255);

    CHECK_FALSE(s.private_map_key("user1", day, std::string_view(""), 1, t0));
    CHECK_FALSE(s.private_map_key("user1", day, std::string(70000, 'r'), 1, t0));
    CHECK_FALSE(s.private_map_key(std::string(70000, 'u'), day, 1u, 1, t0));
    auto late = s.private_map_key("user1", std::chrono::seconds(2000), 1u, 1,
                                  trtc::from_unix_seconds(4294967295LL - 1000));
    REQUIRE_FALSE(late);
    CHECK(late.error().message.find("2106") != std::string::npos);
}

TEST_CASE("parse_private_map rejects malformed buffers") {
    CHECK_FALSE(trtc::parse_private_map(""));
    CHECK_FALSE(trtc::parse_private_map(std::string("\x02\x00\x00", 3)));
    CHECK_FALSE(trtc::parse_private_map(std::string("\x00\x00\x05us", 5)));
    std::string ok("\x00\x00\x01u", 4);
    ok += std::string(20, '\0');
    CHECK(trtc::parse_private_map(ok));
    CHECK_FALSE(trtc::parse_private_map(ok + "x"));
    std::string v1("\x01\x00\x01u", 4);
    v1 += std::string(20, '\0');
    CHECK_FALSE(trtc::parse_private_map(v1));
    CHECK(trtc::parse_private_map(v1 + std::string("\x00\x01r", 3)));
}

TEST_CASE("mutated UserSigs never crash and never verify with a changed identity") {
    auto s = signer();
    const std::string good = s.generate("administrator", day, t0).value();
    std::mt19937 rng(12345);
    int accepted = 0;
    for (int i = 0; i < 3000; ++i) {
        std::string m = good;
        int edits = 1 + static_cast<int>(rng() % 3);
        for (int e = 0; e < edits; ++e) {
            std::size_t pos = rng() % m.size();
            switch (rng() % 3) {
            case 0:
                m[pos] = static_cast<char>(rng() % 256);
                break;
            case 1:
                m.erase(pos, 1);
                break;
            default:
                m.insert(pos, 1, static_cast<char>("AZaz09*-_"[rng() % 9]));
                break;
            }
        }
        auto r = trtc::verify_usersig(m, app, "administrator", key, t0);
        if (r) {
            // Accepted only if the decoded fields are the signed ones (sigs are malleable in
            // unused bits, never in content).
            ++accepted;
            CHECK(r->sig == official_mac);
            CHECK(r->time == 1700000000);
            CHECK(r->expire == 86400);
        }
    }
    CHECK(accepted < 3000);
}
