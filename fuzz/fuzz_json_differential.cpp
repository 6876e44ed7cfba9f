// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief Differential fuzzing of the built-in JSON reader against nlohmann_json_policy.
///
/// Both fill a json::document with the same limits. Their verdicts may differ only where the
/// documentation says so:
///  - a number too large for a double (1E400): the built-in reader keeps its text, nlohmann
///    refuses it;
///  - duplicate keys: the built-in reader refuses them (nlohmann itself would keep the last
///    one, but the adapter builds the same document, which refuses them too).
/// Any other disagreement fails. When both accept, the trees are equal: the same kinds, keys
/// and strings, numbers of the same value (nlohmann rewrites integers, e.g. -0 as 0), and the
/// nlohmann writer's output reads back with the built-in reader.

#include "fuzz_common.hpp"

#include <trtc/adapters/nlohmann_json.hpp>
#include <trtc/json.hpp>

#include <clocale>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

namespace {

using trtc::json::type;
using trtc::json::value;

// True when some number in the tree does not fit a double.
bool has_huge_number(value v) {
    if (v.is_number()) {
        double d = 0;
        return !v.get(d);
    }
    for (value e : v)
        if (has_huge_number(e)) return true;
    return false;
}

// True when the two trees hold the same values; with `any_order`, object members may come in
// any order (nlohmann::json keeps objects sorted by key, so its writer reorders them).
bool same_values(value a, value b, bool any_order = false) {
    if (a.exists() != b.exists() || a.kind() != b.kind()) return false;
    switch (a.kind()) {
    case type::null:
        return true;
    case type::boolean: {
        bool x = false, y = true;
        return a.get(x) && b.get(y) && x == y;
    }
    case type::number: {
        double x = 1, y = 2;
        if (!a.get(x) || !b.get(y) || x != y) return false;
        std::int64_t i = 1, j = 2;
        const bool ai = a.get(i), bi = b.get(j);
        if (ai != bi || (ai && i != j)) return false;
        std::uint64_t u = 1, w = 2;
        const bool au = a.get(u), bu = b.get(w);
        return au == bu && (!au || u == w);
    }
    case type::string:
        return a.as_string() == b.as_string();
    case type::array:
    case type::object:
        if (a.size() != b.size()) return false;
        // Through the iterators (at(i) is O(i) for containers of containers, operator[] is a
        // linear search): an index of b's members when the order may differ.
        if (a.is_object()) {
            if (any_order) {
                // Keys are unique in both: find the member by name.
                std::unordered_map<std::string_view, trtc::json::value> by_key;
                for (const auto& m : b.members()) by_key.emplace(m.key, m.value);
                for (const auto& m : a.members()) {
                    const auto at = by_key.find(m.key);
                    if (at == by_key.end() || !same_values(m.value, at->second, any_order))
                        return false;
                }
                return true;
            }
            const auto bm = b.members();
            auto y = bm.begin();
            for (const auto& x : a.members()) {
                if (x.key != (*y).key || !same_values(x.value, (*y).value, any_order)) return false;
                ++y;
            }
            return true;
        }
        auto y = b.begin();
        for (trtc::json::value x : a) {
            if (!same_values(x, *y, any_order)) return false;
            ++y;
        }
        return true;
    }
    return false;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const bool c_locale = std::setlocale(LC_ALL, "C") != nullptr;
    (void)c_locale;
    const std::string_view text = fuzz::as_text(data, size);

    // nlohmann's own leniencies (a leading byte order mark, a NUL taken for the end of the
    // input) are refused by the adapter: fixed findings, tests/test_fuzz_regressions.cpp.
    const std::string_view our_text = text;

    trtc::json::document ours;
    trtc::json::parse_error our_err;
    const bool our_ok = trtc::builtin_json::parse(our_text, ours, our_err);

    trtc::json::document theirs;
    trtc::json::parse_error their_err;
    const bool their_ok = trtc::nlohmann_json_policy::parse(text, theirs, their_err);
    if (their_ok) FUZZ_CHECK(theirs.complete());

    if (our_ok && !their_ok) {
        // Documented: nlohmann refuses numbers beyond a double.
        FUZZ_CHECK_SHOW(has_huge_number(ours.root()), text, their_err.message);
        return 0;
    }
    if (!our_ok && their_ok) {
        // Documented: duplicate keys (cannot happen through the adapter's document, which
        // refuses them too).
        FUZZ_CHECK_SHOW(ours.error() == trtc::json::build_error::duplicate_key, text,
                        our_err.message);
        return 0;
    }
    if (!our_ok) return 0;

    FUZZ_CHECK_SHOW(same_values(ours.root(), theirs.root()), text, "values differ");

    // nlohmann's writer gives text the built-in reader reads back to the same values.
    std::string dumped;
    trtc::nlohmann_json_policy::serialize(theirs, dumped);
    trtc::json::document back;
    trtc::json::parse_error back_err;
    if (dumped.size() <= back.limits().max_input) {
        FUZZ_CHECK_SHOW(trtc::builtin_json::parse(dumped, back, back_err), dumped,
                        back_err.message);
        FUZZ_CHECK_SHOW(same_values(ours.root(), back.root(), true), text, dumped);
    }
    return 0;
}
