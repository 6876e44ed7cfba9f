// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
// The secret scrubber (detail/scrub.hpp): every run of 24 or more characters of a secret goes,
// wherever it sits in the text; shorter secrets go where they occur whole; very short ones stay.
// Checked by hand on the edge cases and against a brute-force reference on random texts.
#include <trtc/detail/scrub.hpp>

#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

using trtc::detail::scrub;

namespace {

// A UserSig-like secret: 90 characters, no 24-character piece of which repeats.
const std::string sig = "eJwtzMEKgjAYAOC3*Xc3JJHRiJqC2v*dg3M4wY*rqc8-"
                        "BnnUHWnN8pYwrNaVq1cGaYxzkkWrlMJEqUTYB7cRXrnVf3";

std::string scrubbed(std::string text, std::string_view secret) {
    scrub(text, secret);
    return text;
}

std::string scrubbed(std::string text, std::vector<std::string_view> secrets) {
    scrub(text, secrets.data(), secrets.size());
    return text;
}

// What scrub() must give, the slow way: every 24-character window of the text that occurs in
// a long secret, and every whole occurrence of a short one, is marked; each maximal marked run
// becomes REDACTED.
std::string reference(const std::string& text, const std::vector<std::string>& secrets) {
    std::vector<bool> marked(text.size(), false);
    for (const std::string& s : secrets) {
        if (s.size() < 8) continue;
        if (s.size() < 24) {
            for (std::size_t at = text.find(s); at != std::string::npos; at = text.find(s, at + 1))
                for (std::size_t i = at; i < at + s.size(); ++i) marked[i] = true;
            continue;
        }
        for (std::size_t w = 0; w + 24 <= text.size(); ++w)
            if (s.find(text.substr(w, 24)) != std::string::npos)
                for (std::size_t i = w; i < w + 24; ++i) marked[i] = true;
    }
    std::string out;
    for (std::size_t i = 0; i < text.size();) {
        if (!marked[i]) {
            out.push_back(text[i++]);
            continue;
        }
        out += "REDACTED";
        while (i < text.size() && marked[i]) ++i;
    }
    return out;
}

// A small deterministic generator (xorshift), so that a failure reproduces.
struct generator {
    std::uint64_t state;
    std::uint64_t next() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        return state;
    }
    std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
    std::string text(std::size_t n, std::size_t alphabet) {
        std::string s;
        for (std::size_t i = 0; i < n; ++i) s.push_back(static_cast<char>('a' + below(alphabet)));
        return s;
    }
};

} // namespace

TEST_CASE("scrub: the whole secret, and a text that is exactly the secret") {
    CHECK(scrubbed(sig, sig) == "REDACTED");
    CHECK(scrubbed("usersig=" + sig + "&random=1", sig) == "usersig=REDACTED&random=1");
    CHECK(scrubbed(sig + " and " + sig, sig) == "REDACTED and REDACTED");
    CHECK(scrubbed(sig + sig, sig) == "REDACTED"); // touching runs are one
}

TEST_CASE("scrub: a piece of 24 characters at the start, the middle and the end of the text") {
    const std::string head = sig.substr(0, 24), mid = sig.substr(37, 24),
                      tail = sig.substr(sig.size() - 24);
    REQUIRE(tail.size() == 24);
    CHECK(scrubbed(head + " was echoed", sig) == "REDACTED was echoed");
    CHECK(scrubbed("BattleId " + mid + " echoed", sig) == "BattleId REDACTED echoed");
    CHECK(scrubbed("ends with " + tail, sig) == "ends with REDACTED");
    // Any piece, taken from anywhere in the secret.
    for (std::size_t b = 0; b + 24 <= sig.size(); ++b) {
        CAPTURE(b);
        CHECK(scrubbed("<" + sig.substr(b, 24) + ">", sig) == "<REDACTED>");
        CHECK(scrubbed("<" + sig.substr(b) + ">", sig) == "<REDACTED>");
    }
}

TEST_CASE("scrub: 23 characters stay, 24 go") {
    for (std::size_t b : {std::size_t{0}, std::size_t{40}, sig.size() - 24}) {
        CAPTURE(b);
        const std::string p23 = sig.substr(b, 23), p24 = sig.substr(b, 24);
        CHECK(scrubbed("x" + p23 + "x", sig) == "x" + p23 + "x");
        CHECK(scrubbed("x" + p24 + "x", sig) == "xREDACTEDx");
        CHECK(scrubbed(p23, sig) == p23);
        CHECK(scrubbed(p24, sig) == "REDACTED");
    }
    // 23 characters of the secret around a changed one: no run of 24.
    std::string spliced = sig.substr(0, 23) + "!" + sig.substr(24, 23);
    CHECK(scrubbed(spliced, sig) == spliced);
    // The same with a run of 24 on one side only.
    spliced = sig.substr(0, 23) + "!" + sig.substr(24, 24);
    CHECK(scrubbed(spliced, sig) == sig.substr(0, 23) + "!REDACTED");
}

TEST_CASE("scrub: overlapping and touching runs, and runs from different places of the secret") {
    // Two pieces that overlap in the text (the second starts inside the first): one run.
    CHECK(scrubbed("[" + sig.substr(10, 40) + "]", sig) == "[REDACTED]");
    // Two pieces from different places, side by side: each is a run, together one REDACTED.
    CHECK(scrubbed("[" + sig.substr(60, 24) + sig.substr(0, 24) + "]", sig) == "[REDACTED]");
    // Separated by one character: two.
    CHECK(scrubbed(sig.substr(60, 24) + "-" + sig.substr(0, 24), sig) == "REDACTED-REDACTED");
    // A secret with repeats: every window still found.
    const std::string rep = "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz";
    CHECK(scrubbed("1" + rep.substr(5, 30) + "2" + rep.substr(20, 25) + "3", rep) ==
          "1REDACTED2REDACTED3");
    const std::string same(40, 'A');
    CHECK(scrubbed(std::string(23, 'A') + "b" + std::string(100, 'A'), same) ==
          std::string(23, 'A') + "bREDACTED");
}

TEST_CASE("scrub: short secrets go where they occur whole; very short and empty ones stay") {
    CHECK(scrubbed("user 12345678 and 12345678", "12345678") == "user REDACTED and REDACTED");
    CHECK(scrubbed("key 1234567 and 123456", "12345678") == "key 1234567 and 123456");
    const std::string s23 = sig.substr(0, 23);
    CHECK(scrubbed("a" + s23 + "b", s23) == "aREDACTEDb");
    CHECK(scrubbed("a" + s23.substr(0, 22) + "b", s23) == "a" + s23.substr(0, 22) + "b");
    // Overlapping occurrences of a short secret are one run.
    CHECK(scrubbed("xabcdabcdabcdx", "abcdabcd") == "xREDACTEDx");
    // Below the minimum length nothing is touched: it would mangle ordinary text.
    CHECK(scrubbed("1234567 and 1234567", "1234567") == "1234567 and 1234567");
    CHECK(scrubbed("text", std::string_view()) == "text");
}

TEST_CASE("scrub: empty inputs") {
    CHECK(scrubbed("", sig) == "");
    CHECK(scrubbed("", std::string_view()) == "");
    CHECK(scrubbed("", "12345678") == "");
    CHECK(scrubbed("plain text", std::vector<std::string_view>{}) == "plain text");
    std::string t = "plain";
    scrub(t, nullptr, 0);
    CHECK(t == "plain");
    // A text shorter than the run, and a text with nothing of the secret.
    CHECK(scrubbed(sig.substr(0, 10), sig) == sig.substr(0, 10));
    const std::string prose(500, 'z');
    CHECK(scrubbed(prose, sig) == prose);
}

TEST_CASE("scrub: several secrets at once, a run made of two of them is one") {
    const std::string key = "S3CRET-key-0123456789abcdef0123456789abcdef";
    const std::string token = "tok-12345";
    const std::string text = "sig " + sig.substr(5, 30) + " key " + key.substr(3, 24) + " token " +
                             token + " both " + sig.substr(sig.size() - 24) + key.substr(0, 24);
    CHECK(scrubbed(text, {sig, key, token}) ==
          "sig REDACTED key REDACTED token REDACTED both REDACTED");
    // A run of 24 that is 12 characters of one secret and 12 of the other is no run of either.
    const std::string mixed = sig.substr(0, 12) + key.substr(0, 12);
    CHECK(scrubbed(mixed, {sig, key}) == mixed);
    // A piece of one secret overlapping a piece of the other: both marked on the original
    // text, so what is left of the second is not let through for being shorter than 24.
    const std::string a = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAbcdefghijklmnopqrstuvwxyz0123";
    const std::string b = "bcdefghijklmnopqrstuvwxyz012345678";
    CHECK(scrubbed("<" + a.substr(8) + "45678>", {a, b}) == "<REDACTED>");
}

TEST_CASE("scrub: the same as a brute-force reference on random texts and secrets") {
    generator g{0x9E3779B97F4A7C15u};
    for (int round = 0; round < 3000; ++round) {
        // Small alphabets make repeats, overlaps and near misses common.
        const std::size_t alphabet = 2 + g.below(4);
        std::vector<std::string> secrets;
        for (std::size_t k = 1 + g.below(3); k > 0; --k)
            secrets.push_back(g.text(g.below(60), alphabet));
        std::string text;
        for (std::size_t parts = g.below(6); parts > 0; --parts) {
            const std::string& s = secrets[g.below(secrets.size())];
            if (g.below(2) == 0 && !s.empty()) {
                const std::size_t b = g.below(s.size());
                text += s.substr(b, g.below(s.size() - b + 1));
            } else {
                text += g.text(g.below(30), alphabet);
            }
        }
        std::string got = text;
        std::vector<std::string_view> views(secrets.begin(), secrets.end());
        scrub(got, views.data(), views.size());
        CAPTURE(text);
        CAPTURE(secrets.size());
        REQUIRE(got == reference(text, secrets));
    }
}

TEST_CASE("scrub: a long text with nothing to scrub, and one that is all secret") {
    std::string text;
    for (int i = 0; i < 2000; ++i) text += "an ordinary error message ";
    const std::string before = text;
    scrub(text, sig);
    CHECK(text == before);
    std::string all;
    for (int i = 0; i < 200; ++i) all += sig;
    CHECK(scrubbed(all, sig) == "REDACTED");
}
