// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief The secret scrubber: removes from a text every piece of a secret long enough to be one,
///        so that a server's partial echo of a UserSig (or a key, or a token) is caught too.
///
/// The one scrubber of the library: the client scrubs its errors with it, the libcurl adapter its
/// error texts. (http_request::redacted_url() is another job: it replaces the value of the
/// `usersig` query parameter, whatever that value is, by its position in the URL.)
#ifndef TRTC_DETAIL_SCRUB_HPP
#define TRTC_DETAIL_SCRUB_HPP

#include "../config.hpp"

#include <cstddef>
#include <string>
#include <string_view>

#if TRTC_DEFINITIONS
#    include <cstdint>
#    include <cstring>
#    include <vector>
#endif

TRTC_BEGIN_NAMESPACE
namespace detail {

/// @brief A run of this many characters of a secret is scrubbed wherever it appears.
inline constexpr std::size_t scrub_run = 24;

/// @brief Secrets shorter than this are left alone: scrubbing them would mangle ordinary text.
inline constexpr std::size_t scrub_min_secret = 8;

/// @brief What replaces each scrubbed run.
inline constexpr std::string_view scrub_mark = "REDACTED";

/// @brief Replaces in @p text every run of scrub_run (24) or more consecutive characters that
///        also occur, consecutively, in one of the @p count secrets at @p secrets with REDACTED
///        (one REDACTED for each maximal run, touching runs being one). A secret shorter than 24
///        characters is replaced where it occurs whole; one shorter than scrub_min_secret (8), or
///        empty, is ignored. Every secret is matched against the original text, so a run made of
///        pieces of two secrets is scrubbed as one.
///
/// Linear in the lengths: each secret's 24-character windows go into a hash table under a
/// rolling hash, the text's windows are looked up in it (a hit checked byte for byte), and a
/// match is extended one character at a time without a look-up. Allocates the table (for a
/// secret of 24 or more characters) and, only when something is found, the new text.
TRTC_DECL void scrub(std::string& text, const std::string_view* secrets, std::size_t count);

/// @brief scrub() with one secret.
inline void scrub(std::string& text, std::string_view secret) {
    scrub(text, &secret, 1);
}

#if TRTC_DEFINITIONS

namespace scrub_impl {

// Rolling hash over windows of scrub_run bytes: h = sum c_i * B^(run-1-i) mod 2^64.
inline constexpr std::uint64_t base = 0x100000001B3u;

constexpr std::uint64_t power_of_base(std::size_t e) noexcept {
    std::uint64_t p = 1;
    for (std::size_t i = 0; i < e; ++i) p *= base;
    return p;
}

inline constexpr std::uint64_t top_power =
    power_of_base(scrub_run - 1); // the weight of a window's first byte

inline std::uint64_t byte(char c) noexcept {
    return std::uint64_t{static_cast<unsigned char>(c)};
}

inline std::uint64_t roll_in(std::uint64_t h, char c) noexcept {
    return h * base + byte(c);
}

inline std::uint64_t roll(std::uint64_t h, char out, char in) noexcept {
    return roll_in(h - byte(out) * top_power, in);
}

inline std::uint64_t hash_window(const char* p) noexcept {
    std::uint64_t h = 0;
    for (std::size_t i = 0; i < scrub_run; ++i) h = roll_in(h, p[i]);
    return h;
}

inline constexpr std::uint32_t none = 0xFFFFFFFFu;

// The distinct windows of one secret, chained by hash bucket.
class window_table {
  public:
    explicit window_table(std::string_view secret) : s_(secret) {
        const std::size_t windows = s_.size() - scrub_run + 1;
        std::size_t buckets = 16;
        while (buckets < windows * 2) buckets *= 2;
        mask_ = static_cast<std::uint32_t>(buckets - 1);
        head_.assign(buckets, none);
        hash_.resize(windows);
        next_.resize(windows);
        std::uint64_t h = hash_window(s_.data());
        for (std::size_t p = 0;; ++p) {
            hash_[p] = h;
            if (find(h, s_.data() + p) == none) { // a repeated window is kept once
                std::uint32_t& head = head_[static_cast<std::uint32_t>(h) & mask_];
                next_[p] = head;
                head = static_cast<std::uint32_t>(p);
            }
            if (p + 1 == windows) break;
            h = roll(h, s_[p], s_[p + scrub_run]);
        }
    }

    // Where in the secret the window at `w` (hash `h`) occurs, or none.
    std::uint32_t find(std::uint64_t h, const char* w) const noexcept {
        for (std::uint32_t p = head_[static_cast<std::uint32_t>(h) & mask_]; p != none;
             p = next_[p])
            if (hash_[p] == h && std::memcmp(s_.data() + p, w, scrub_run) == 0) return p;
        return none;
    }

    std::string_view secret() const noexcept { return s_; }

  private:
    std::string_view s_;
    std::uint32_t mask_ = 0;
    std::vector<std::uint32_t> head_;
    std::vector<std::uint32_t> next_;
    std::vector<std::uint64_t> hash_;
};

// Marks [b, e) of `text` as to be scrubbed.
inline void mark(std::vector<unsigned char>& marks, std::size_t size, std::size_t b,
                 std::size_t e) {
    if (marks.empty()) marks.assign(size, 0);
    std::memset(marks.data() + b, 1, e - b);
}

// Marks every window of `text` found in the secret of `table`.
inline void mark_runs(const std::string& text, const window_table& table,
                      std::vector<unsigned char>& marks) {
    const std::string_view s = table.secret();
    const std::size_t n = text.size();
    std::uint64_t h = hash_window(text.data());
    std::uint32_t at = none;   // where in the secret the current window occurs
    std::size_t marked_to = 0; // marks before this offset are already set
    for (std::size_t w = 0;; ++w) {
        // The window at w: the last one's successor in the secret when the next bytes agree,
        // otherwise a look-up.
        if (at != none && at + scrub_run < s.size() && s[at + scrub_run] == text[w + scrub_run - 1])
            ++at;
        else
            at = table.find(h, text.data() + w);
        if (at != none) {
            const std::size_t b = w > marked_to ? w : marked_to;
            mark(marks, n, b, w + scrub_run);
            marked_to = w + scrub_run;
        }
        if (w + scrub_run == n) break;
        h = roll(h, text[w], text[w + scrub_run]);
    }
}

// Marks every whole occurrence of a short secret.
inline void mark_whole(const std::string& text, std::string_view secret,
                       std::vector<unsigned char>& marks) {
    for (std::size_t at = text.find(secret); at != std::string::npos;
         at = text.find(secret, at + 1))
        mark(marks, text.size(), at, at + secret.size());
}

} // namespace scrub_impl

TRTC_DECL void scrub(std::string& text, const std::string_view* secrets, std::size_t count) {
    std::vector<unsigned char> marks; // one per byte of text once something is found
    for (std::size_t i = 0; i < count; ++i) {
        const std::string_view secret = secrets[i];
        if (secret.size() < scrub_min_secret) continue;
        if (secret.size() < scrub_run)
            scrub_impl::mark_whole(text, secret, marks);
        else if (text.size() >= scrub_run)
            scrub_impl::mark_runs(text, scrub_impl::window_table(secret), marks);
    }
    if (marks.empty()) return;
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        if (marks[i] == 0) {
            out.push_back(text[i++]);
            continue;
        }
        out.append(scrub_mark);
        while (i < text.size() && marks[i] != 0) ++i;
    }
    text.swap(out);
}

#endif // TRTC_DEFINITIONS

} // namespace detail
TRTC_END_NAMESPACE

#endif // TRTC_DETAIL_SCRUB_HPP
