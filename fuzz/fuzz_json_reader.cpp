// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief Fuzzes the built-in JSON reader and writer (json::parse, json::serialize).
///
/// Properties: parse never crashes; a failure leaves an incomplete document and an offset
/// inside the input; a success gives a document within its limits (values, depth, string
/// sizes) whose strings and keys are valid UTF-8 and whose numbers read back as the C library's
/// correctly rounded strtod() reads them; serialize -> parse -> serialize is a fixed point and
/// gives the same tree; and tighter limits accept exactly the documents that fit them.

#include "fuzz_common.hpp"

#include <trtc/detail/utf8.hpp>
#include <trtc/json.hpp>

#include <clocale>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace {

using trtc::json::type;
using trtc::json::value;

/// What a walk over a document measured.
struct shape {
    std::size_t values = 0;     // every value (keys not counted)
    std::size_t depth = 0;      // deepest container nesting (a root array is 1)
    std::size_t max_string = 0; // longest string or key
};

// Checks one number: its literal is valid, and get(double) agrees with strtod() (correctly
// rounded in glibc; the literal has no locale-dependent character), get(int64) and get(uint64)
// agree with each other and with the double.
void check_number(value v) {
    const std::string_view text = v.number_text();
    FUZZ_CHECK(trtc::detail::is_json_number(text));
    const std::string copy(text);
    char* stop = nullptr;
    const double expected = std::strtod(copy.c_str(), &stop);
    FUZZ_CHECK(stop == copy.c_str() + copy.size());
    double d = 12345.0;
    const bool ok = v.get(d);
    if (std::isinf(expected)) {
        FUZZ_CHECK_SHOW(!ok, text, "reads as a double, but strtod overflows");
        FUZZ_CHECK(d == 12345.0); // unchanged on failure
    } else {
        FUZZ_CHECK_SHOW(ok, text, "does not read as a double");
        FUZZ_CHECK_SHOW(d == expected && std::signbit(d) == std::signbit(expected), text,
                        "reads as a different double than strtod gives");
    }
    std::int64_t i = 0;
    std::uint64_t u = 0;
    const bool has_i = v.get(i);
    const bool has_u = v.get(u);
    if (has_i) FUZZ_CHECK_SHOW(ok && d == static_cast<double>(i), text, "int64 and double differ");
    if (has_u) FUZZ_CHECK_SHOW(ok && d == static_cast<double>(u), text, "uint64 and double differ");
    if (has_i && i >= 0) FUZZ_CHECK(has_u && u == static_cast<std::uint64_t>(i));
    if (has_u && u <= static_cast<std::uint64_t>(INT64_MAX))
        FUZZ_CHECK(has_i && static_cast<std::uint64_t>(i) == u);
}

// Walks `v` (depth = nesting of the containers around it), measuring and checking each value.
void walk(value v, std::size_t depth, shape& s) {
    FUZZ_CHECK(v.exists());
    ++s.values;
    switch (v.kind()) {
    case type::null:
        FUZZ_CHECK(v.is_null());
        break;
    case type::boolean: {
        bool b = false;
        FUZZ_CHECK(v.get(b));
        break;
    }
    case type::number:
        check_number(v);
        break;
    case type::string: {
        const std::string_view t = v.as_string();
        FUZZ_CHECK(trtc::detail::utf8_valid(t));
        if (t.size() > s.max_string) s.max_string = t.size();
        break;
    }
    case type::array:
    case type::object: {
        const std::size_t d = depth + 1;
        if (d > s.depth) s.depth = d;
        // at(i), key_at(i) and operator[] are O(i) or O(size) for containers of containers:
        // they are checked against the iteration for the first `spot` children and the last,
        // so that a walk stays linear (a 15 KB input of nested arrays took 0.6 s otherwise).
        constexpr std::size_t spot = 64;
        const std::size_t size = v.size();
        std::unordered_set<std::string_view> keys;
        std::size_t n = 0;
        for (const auto& m : v.members()) {
            const std::string_view k = m.key;
            FUZZ_CHECK(trtc::detail::utf8_valid(k));
            if (k.size() > s.max_string) s.max_string = k.size();
            FUZZ_CHECK_SHOW(keys.insert(k).second, k, "a key twice"); // keys are unique
            if (n < spot || n + 1 == size) {
                FUZZ_CHECK(v.key_at(n) == k);
                FUZZ_CHECK(v[k].exists() && v[k].kind() == m.value.kind());
            }
            ++n;
        }
        n = 0;
        for (value e : v) {
            if (n < spot || n + 1 == size)
                FUZZ_CHECK(v.at(n).exists() && v.at(n).kind() == e.kind());
            walk(e, d, s);
            ++n;
        }
        FUZZ_CHECK(n == size);
        FUZZ_CHECK(!v.is_object() || keys.size() == size);
        FUZZ_CHECK(!v.at(n).exists());
        break;
    }
    }
}

// True when the trees at `a` and `b` are identical (kinds, texts, keys, order).
bool same_tree(value a, value b) {
    if (a.kind() != b.kind() || a.exists() != b.exists()) return false;
    switch (a.kind()) {
    case type::null:
        return true;
    case type::boolean: {
        bool x = false, y = false;
        return a.get(x) && b.get(y) && x == y;
    }
    case type::number:
        return a.number_text() == b.number_text();
    case type::string:
        return a.as_string() == b.as_string();
    case type::array:
    case type::object: {
        if (a.size() != b.size()) return false;
        // Side by side through the iterators: at(i) is O(i) for containers of containers.
        if (a.is_object()) {
            const auto bm = b.members();
            auto y = bm.begin();
            for (const auto& x : a.members()) {
                if (x.key != (*y).key || !same_tree(x.value, (*y).value)) return false;
                ++y;
            }
            return true;
        }
        auto y = b.begin();
        for (value x : a) {
            if (!same_tree(x, *y)) return false;
            ++y;
        }
        return true;
    }
    }
    return false;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const bool c_locale = std::setlocale(LC_ALL, "C") != nullptr;
    (void)c_locale;
    const std::string_view text = fuzz::as_text(data, size);

    trtc::json::document doc;
    trtc::json::parse_error err;
    const bool ok = trtc::json::parse(text, doc, err);
    if (!ok) {
        FUZZ_CHECK(!doc.complete());
        FUZZ_CHECK(!doc.root().exists());
        FUZZ_CHECK(doc.error() != trtc::json::build_error::none);
        FUZZ_CHECK(err.offset <= text.size());
        FUZZ_CHECK(err.message != nullptr && err.message[0] != '\0');
        std::string out = "unchanged";
        trtc::json::serialize(doc, out); // appends nothing for an incomplete document
        FUZZ_CHECK(out == "unchanged");
    } else {
        FUZZ_CHECK(doc.complete());
        FUZZ_CHECK(doc.error() == trtc::json::build_error::none);
    }

    const trtc::json::limits lim = doc.limits();
    shape s;
    if (ok) {
        walk(doc.root(), 0, s);
        FUZZ_CHECK(s.values <= lim.max_nodes);
        FUZZ_CHECK(s.depth <= lim.max_depth);
        FUZZ_CHECK(s.max_string <= lim.max_string);
        FUZZ_CHECK(doc.node_count() <= 2 * lim.max_nodes);

        // Round trip: the compact text is a fixed point and reads back as the same tree.
        std::string first;
        trtc::json::serialize(doc, first);
        FUZZ_CHECK(!first.empty());
        trtc::json::document again;
        trtc::json::parse_error err2;
        // Escaping may grow a string (a control byte becomes \u00XX), past max_input only for
        // inputs far larger than the fuzzer's.
        if (first.size() <= lim.max_input) {
            FUZZ_CHECK_SHOW(trtc::json::parse(first, again, err2), first, err2.message);
            FUZZ_CHECK(same_tree(doc.root(), again.root()));
            std::string second;
            trtc::json::serialize(again, second);
            FUZZ_CHECK_SHOW(first == second, first, second);
        }
        // Reusing a document gives the same result as a fresh one.
        FUZZ_CHECK(trtc::json::parse(text, again, err2));
        FUZZ_CHECK(same_tree(doc.root(), again.root()));
    }

    // Tight limits: a document is accepted exactly when it was accepted with the defaults and
    // fits them; a refusal for size names a limit.
    trtc::json::limits tight;
    tight.max_depth = 3;
    tight.max_nodes = 24;
    tight.max_string = 12;
    tight.max_input = 4096;
    trtc::json::document small(tight);
    trtc::json::parse_error err3;
    const bool ok_small = trtc::json::parse(text, small, err3);
    if (ok_small) {
        FUZZ_CHECK_SHOW(ok, text, "accepted with tight limits, refused with the defaults");
        FUZZ_CHECK(same_tree(doc.root(), small.root()));
    }
    if (ok) {
        const bool fits = s.values <= tight.max_nodes && s.depth <= tight.max_depth &&
                          s.max_string <= tight.max_string && text.size() <= tight.max_input;
        FUZZ_CHECK_SHOW(ok_small == fits, text, err3.message);
    }
    return 0;
}
