// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief trtc::validator: the rule checks an endpoint's `validate(const request&,
/// trtc::validator&)` makes. Every violation is collected, each naming the field (with its list
/// index) and quoting the offending value.
#ifndef TRTC_ENDPOINT_VALIDATOR_HPP
#define TRTC_ENDPOINT_VALIDATOR_HPP

#include "../config.hpp"
#include "../errors.hpp"
#include "../result.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#if TRTC_DEFINITIONS
#    include "../detail/utf8.hpp"
#endif

TRTC_BEGIN_NAMESPACE
namespace detail {

/// The most bytes a room id may have (the Live service's documented limit).
inline constexpr std::size_t max_room_id_bytes = 48;
/// The most rooms a list may name. The service documents no limit; a co-host connection holds
/// at most 9 hosts, so this only stops runaway input.
inline constexpr std::size_t max_room_list = 1000;

} // namespace detail

/// Collects violations; finish() turns them into one errc::invalid_request error.
class validator {
  public:
    /// Records a violation of `field`.
    void add(std::string field, std::string message);
    /// Records a violation of `field`.
    void add(std::string_view field, std::string message) {
        add(std::string(field), std::move(message));
    }
    /// Records a violation of `field` (a literal).
    void add(const char* field, std::string message) {
        add(std::string(field), std::move(message));
    }

    /// Whether `value` is a valid room id (see room_id()).
    static bool room_id_ok(std::string_view value) noexcept;

    /// `field` with an index: `ToRoomIdList[3]`.
    static std::string indexed(std::string_view field, std::size_t i);

    /// A value quoted for a message: escaped and cut to 64 bytes.
    static std::string quote(std::string_view value);

    /// A room id: non-empty, at most 48 bytes, printable ASCII (0x20-0x7E).
    void room_id(std::string_view field, std::string_view value);

    /// A free-form text: valid UTF-8, no NUL (which some back ends truncate at).
    void text(std::string_view field, std::string_view value);

    /// An opaque identifier issued by the service (a BattleId): non-empty, at most
    /// `max_bytes`, valid UTF-8 without control characters.
    void token(std::string_view field, std::string_view value, std::size_t max_bytes);

    /// A list of room ids: non-empty, at most detail::max_room_list entries, each valid, no
    /// duplicates, none equal to `exclude` (named `exclude_field`) when that is given.
    template <class Range, class Get>
    void room_id_list(std::string_view field, const Range& list, Get get,
                      std::string_view exclude = {}, std::string_view exclude_field = {}) {
        if (list.empty()) {
            add(std::string(field), "must list at least one room");
            return;
        }
        if (list.size() > detail::max_room_list) {
            add(std::string(field), "lists " + std::to_string(list.size()) + " rooms; at most " +
                                        std::to_string(detail::max_room_list) + " are accepted");
            return;
        }
        // The common case, a short list with nothing wrong, is checked without allocating;
        // anything wrong falls through to the full check, which reports every violation.
        constexpr std::size_t quick_max = 16;
        if (list.size() <= quick_max) {
            std::string_view ids[quick_max];
            std::size_t n = 0;
            bool clean = true;
            for (const auto& item : list) {
                const std::string_view id = get(item);
                if (!room_id_ok(id) || (!exclude_field.empty() && id == exclude)) {
                    clean = false;
                    break;
                }
                for (std::size_t k = 0; k < n && clean; ++k) clean = ids[k] != id;
                if (!clean) break;
                ids[n++] = id;
            }
            if (clean) return;
        }
        // Sorted (id, index) pairs find duplicates in n log n; each is reported against its
        // first occurrence, in list order.
        std::vector<std::pair<std::string_view, std::size_t>> sorted;
        sorted.reserve(list.size());
        std::size_t i = 0;
        for (const auto& item : list) sorted.emplace_back(get(item), i++);
        // Insertion sort: only reached for lists with a problem or over 16 rooms (at most
        // detail::max_room_list), and it spares every includer <algorithm>.
        for (std::size_t a = 1; a < sorted.size(); ++a) {
            const auto x = sorted[a];
            std::size_t b = a;
            for (; b > 0 && x < sorted[b - 1]; --b) sorted[b] = sorted[b - 1];
            sorted[b] = x;
        }
        std::vector<std::size_t> first_of(list.size(), SIZE_MAX);
        for (std::size_t k = 1; k < sorted.size(); ++k)
            if (sorted[k].first == sorted[k - 1].first && !sorted[k].first.empty())
                first_of[sorted[k].second] = first_of[sorted[k - 1].second] == SIZE_MAX
                                                 ? sorted[k - 1].second
                                                 : first_of[sorted[k - 1].second];
        i = 0;
        for (const auto& item : list) {
            std::string_view id = get(item);
            std::string f = indexed(field, i);
            room_id(f, id);
            if (!exclude_field.empty() && !id.empty() && id == exclude)
                add(f, quote(id) + " is the same room as " + std::string(exclude_field));
            if (first_of[i] != SIZE_MAX)
                add(f, quote(id) + " is a duplicate of " + indexed(field, first_of[i]));
            ++i;
        }
    }

    /// True when nothing was found.
    bool ok() const noexcept { return violations_.empty(); }

    /// Success, or errc::invalid_request listing every violation.
    result<void> finish(std::string_view what);

  private:
    std::vector<field_violation> violations_;
};

#if TRTC_DEFINITIONS

TRTC_DECL void validator::add(std::string field, std::string message) {
    violations_.push_back({std::move(field), std::move(message)});
}

TRTC_DECL bool validator::room_id_ok(std::string_view value) noexcept {
    return !value.empty() && value.size() <= detail::max_room_id_bytes &&
           detail::is_printable_ascii(value);
}

TRTC_DECL std::string validator::indexed(std::string_view field, std::size_t i) {
    std::string f(field);
    f += '[';
    f += std::to_string(i);
    f += ']';
    return f;
}

TRTC_DECL std::string validator::quote(std::string_view value) {
    std::string q;
    detail::append_escaped_for_message(q, value, 64);
    return q;
}

TRTC_DECL void validator::room_id(std::string_view field, std::string_view value) {
    if (value.empty()) {
        add(field, "must not be empty");
    } else if (value.size() > detail::max_room_id_bytes) {
        add(field, quote(value) + " is " + std::to_string(value.size()) +
                       " bytes; a room id has at most " +
                       std::to_string(detail::max_room_id_bytes));
    } else if (!detail::is_printable_ascii(value)) {
        add(field, quote(value) + " must contain only printable ASCII characters (0x20-0x7E)");
    }
}

TRTC_DECL void validator::text(std::string_view field, std::string_view value) {
    if (!detail::utf8_valid(value)) {
        add(field, quote(value) + " is not valid UTF-8");
    } else if (value.find('\0') != std::string_view::npos) {
        add(field, quote(value) + " contains a NUL character");
    }
}

TRTC_DECL void validator::token(std::string_view field, std::string_view value,
                                std::size_t max_bytes) {
    if (value.empty()) {
        add(field, "must not be empty");
        return;
    }
    if (value.size() > max_bytes) {
        add(field, quote(value) + " is " + std::to_string(value.size()) + " bytes; at most " +
                       std::to_string(max_bytes) + " are accepted");
        return;
    }
    if (!detail::utf8_valid(value)) {
        add(field, quote(value) + " is not valid UTF-8");
        return;
    }
    for (char ch : value) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x20 || c == 0x7F) {
            add(field, quote(value) + " contains a control character");
            return;
        }
    }
}

TRTC_DECL result<void> validator::finish(std::string_view what) {
    if (violations_.empty()) return {};
    std::string msg(what);
    msg += " is invalid: ";
    msg += std::to_string(violations_.size());
    msg += violations_.size() == 1 ? " problem (" : " problems (first: ";
    msg += violations_.front().field;
    msg += ": ";
    msg += violations_.front().message;
    msg += ')';
    error e(errc::invalid_request, std::move(msg));
    e.set_violations(std::move(violations_));
    violations_.clear();
    return e;
}

#endif // TRTC_DEFINITIONS

TRTC_END_NAMESPACE

#endif // TRTC_ENDPOINT_VALIDATOR_HPP
