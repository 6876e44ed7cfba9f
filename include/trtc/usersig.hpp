// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief UserSig (Tencent TLS signature v2): generate, decode and verify, and PrivateMapKey.
///
/// The signature is HMAC-SHA256 over a fixed five-line text; the JSON document that carries it
/// is compressed with zlib and base64-encoded with Tencent's URL-safe alphabet. Generation is
/// strict (it refuses inputs the service or other libraries would misread); decoding is
/// lenient (it accepts whatever any official library has produced).
#ifndef TRTC_USERSIG_HPP
#define TRTC_USERSIG_HPP

#include "config.hpp"
#include "detail/base64.hpp"
#include "detail/decimal.hpp"
#include "detail/hmac_sha256.hpp"
#include "detail/utf8.hpp"
#include "detail/zlib.hpp"
#include "errors.hpp"
#include "json.hpp"
#include "result.hpp"

#include <array>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

TRTC_BEGIN_NAMESPACE

/// A point in time with one-second resolution, counted from the Unix epoch (system_clock).
using unix_time = std::chrono::time_point<std::chrono::system_clock, std::chrono::seconds>;

/// The unix_time of a count of seconds since the epoch.
constexpr unix_time from_unix_seconds(std::int64_t s) noexcept {
    return unix_time(std::chrono::seconds(s));
}
/// The seconds since the epoch of a unix_time.
constexpr std::int64_t to_unix_seconds(unix_time t) noexcept {
    return t.time_since_epoch().count();
}
/// The current time, from std::chrono::system_clock.
inline unix_time unix_now() noexcept {
    return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

/// The built-in HMAC-SHA256 policy: no dependency, prekeyed, SHA-NI / ARMv8 accelerated when
/// the CPU has it.
///
/// An HMAC policy is a type with `explicit H(std::string_view key)` (prekeys once) and
/// `std::array<std::uint8_t, 32> mac(std::string_view data)`.
using builtin_hmac_sha256 = detail::hmac_sha256;

/// The built-in deflate policy: zlib streams made of stored (uncompressed) blocks. No
/// dependency, no allocation beyond `out`, deterministic; 11 bytes of overhead per 64 KiB.
/// Any zlib decoder, Tencent's included, accepts its output. See adapters/zlib.hpp for a
/// policy that really compresses.
struct stored_deflate {
    /// Appends a complete zlib (RFC 1950) stream of `in` to `out`. Returns false (and leaves
    /// `out` unchanged) only if the result would exceed out.max_size().
    bool compress(std::string_view in, std::string& out) const;
};

/// The fields of a UserSig, as decoded.
struct usersig_document {
    /// TLS.ver, "2.0" for every v2 library ("" when absent).
    std::string version;
    /// TLS.sdkappid (0 when absent).
    std::uint64_t sdkappid = 0;
    /// TLS.identifier, as raw bytes ("" when absent).
    std::string identifier;
    /// TLS.time: when it was made, in Unix seconds (0 when absent).
    std::int64_t time = 0;
    /// TLS.expire: how long it is valid, in seconds, counted from `time` (0 when absent).
    std::int64_t expire = 0;
    /// Whether TLS.userbuf is present.
    bool has_userbuf = false;
    /// TLS.userbuf decoded from base64 (binary).
    std::string userbuf;
    /// TLS.userbuf as written in the document (base64): the signed text uses it as is.
    std::string userbuf_base64;
    /// TLS.sig: base64 of the HMAC-SHA256. Not secret on its own (it travels with every
    /// request), but never logged by the library.
    std::string sig;

    /// The last second at which it is still valid (time + expire, saturated).
    std::int64_t expires_at() const noexcept;
};

/// The contents of a PrivateMapKey's userbuf (the room-permission ticket).
struct private_map {
    /// 0: numeric room id; 1: string room id.
    std::uint8_t version = 0;
    std::string account;
    std::uint32_t sdkappid = 0;
    /// The numeric room id (0 for a string room).
    std::uint32_t room_id = 0;
    /// The absolute expiry, Unix seconds (a uint32: it wraps after 2106).
    std::uint32_t expires_at = 0;
    /// The privilege bits (see trtc::privilege).
    std::uint32_t privileges = 0;
    std::uint32_t account_type = 0;
    /// The string room id (version 1 only).
    std::string room_str;
};

/// PrivateMapKey privilege bits.
namespace privilege {
inline constexpr std::uint32_t create_room = 1;
inline constexpr std::uint32_t enter_room = 2;
inline constexpr std::uint32_t send_audio = 4;
inline constexpr std::uint32_t receive_audio = 8;
inline constexpr std::uint32_t send_video = 16;
inline constexpr std::uint32_t receive_video = 32;
inline constexpr std::uint32_t send_sub_stream = 64;
inline constexpr std::uint32_t receive_sub_stream = 128;
inline constexpr std::uint32_t all = 255;
} // namespace privilege

namespace detail {

template <class H, class = void>
struct is_hmac_policy : std::false_type {};
template <class H>
struct is_hmac_policy<
    H, std::enable_if_t<std::is_constructible_v<H, std::string_view> &&
                        std::is_same_v<decltype(std::declval<H&>().mac(std::string_view())),
                                       std::array<std::uint8_t, 32>>>> : std::true_type {};

template <class D, class = void>
struct is_deflate_policy : std::false_type {};
template <class D>
struct is_deflate_policy<
    D, std::enable_if_t<std::is_same_v<decltype(std::declval<D&>().compress(
                                           std::string_view(), std::declval<std::string&>())),
                                       bool>>> : std::true_type {};

/// Policies that can fail (an adapter whose library ran out of memory) say so with
/// `bool ok() const`; the built-in ones cannot fail and need not have it.
template <class P, class = void>
struct has_ok : std::false_type {};
template <class P>
struct has_ok<P, std::void_t<decltype(static_cast<bool>(std::declval<const P&>().ok()))>>
    : std::true_type {};
template <class P>
bool policy_ok(const P& p) noexcept {
    if constexpr (has_ok<P>::value)
        return static_cast<bool>(p.ok());
    else
        return true;
}

/// The most a decoded UserSig document may inflate to: far above any real one (an admin sig is
/// about 140 bytes), small enough that a hostile string cannot exhaust memory.
inline constexpr std::size_t usersig_max_document = 1 << 20;

/// The signed text: five LF-terminated lines (the last only with a userbuf), identifier raw.
TRTC_DECL void build_signed_text(std::string& out, std::string_view identifier,
                                 std::uint64_t sdkappid, std::int64_t time, std::int64_t expire,
                                 const std::string_view* userbuf_base64);

inline error usersig_argument_error(std::string message) {
    return error(errc::invalid_argument, std::move(message));
}

/// Checks an identifier for generation: non-empty, valid UTF-8, no control characters.
TRTC_DECL result<void> check_identifier(std::string_view identifier);

TRTC_DECL void put_u16(std::string& out, std::uint32_t v);
TRTC_DECL void put_u32(std::string& out, std::uint32_t v);

} // namespace detail

/// Parses the binary userbuf of a PrivateMapKey.
TRTC_DECL result<private_map> parse_private_map(std::string_view buf);

/// Decodes a UserSig without checking it: base64 (either alphabet), zlib (any compression
/// level), JSON (any key order or layout). Missing fields read as zero or empty, as the
/// official Go verifier reads them. Fails with service code 70003 (illegal UserSig) when the
/// string cannot be decoded: bad base64, a broken or trailing zlib stream, invalid JSON,
/// duplicate keys, or a field of the wrong type.
TRTC_DECL result<usersig_document> decode_usersig(std::string_view usersig);

/// Checks a decoded UserSig as the service does: SDKAppID (70014), identifier (70013), expiry
/// (70001; expired iff now > time + expire), userbuf presence and content (70009 on a
/// mismatch), then the HMAC (70009), compared in constant time. On success, returns nothing.
/// `expected_userbuf` nullptr means "a plain UserSig: no userbuf expected".
template <class Hmac>
result<void> check_usersig(const usersig_document& d, std::uint64_t sdkappid,
                           std::string_view identifier, unix_time now, Hmac& hmac,
                           const std::string_view* expected_userbuf = nullptr) {
    static_assert(detail::is_hmac_policy<Hmac>::value,
                  "trtc: an Hmac policy must provide `explicit Hmac(std::string_view key)` and "
                  "`std::array<std::uint8_t, 32> mac(std::string_view data)`");
    if (d.sdkappid != sdkappid) {
        std::string m = "UserSig is for SDKAppID ";
        detail::append_decimal_u(m, d.sdkappid);
        m += ", not ";
        detail::append_decimal_u(m, sdkappid);
        return error(service_errc::usersig_sdkappid_mismatch, std::move(m));
    }
    if (d.identifier != identifier) {
        std::string m = "UserSig is for identifier ";
        detail::append_escaped_for_message(m, d.identifier);
        m += ", not ";
        detail::append_escaped_for_message(m, identifier);
        return error(service_errc::usersig_identifier_mismatch, std::move(m));
    }
    if (to_unix_seconds(now) > d.expires_at()) {
        std::string m = "UserSig expired at ";
        detail::append_decimal(m, d.expires_at());
        m += " (now ";
        detail::append_decimal(m, to_unix_seconds(now));
        m += ')';
        return error(service_errc::usersig_expired, std::move(m));
    }
    if ((expected_userbuf != nullptr) != d.has_userbuf ||
        (expected_userbuf != nullptr && *expected_userbuf != d.userbuf))
        return error(service_errc::usersig_verification_failed,
                     d.has_userbuf ? "UserSig carries a userbuf that was not expected"
                                   : "UserSig carries no userbuf but one was expected");
    std::string text;
    std::string_view ub = d.userbuf_base64;
    detail::build_signed_text(text, d.identifier, d.sdkappid, d.time, d.expire,
                              d.has_userbuf ? &ub : nullptr);
    std::array<std::uint8_t, 32> mac = hmac.mac(text);
    if (!detail::policy_ok(hmac)) return error(errc::usersig_unavailable, "the HMAC policy failed");
    std::string given;
    if (!detail::base64_decode(d.sig, given) || given.size() != mac.size() ||
        !detail::constant_time_equal(given.data(), mac.data(), mac.size()))
        return error(service_errc::usersig_verification_failed,
                     "UserSig signature does not match (wrong secret key?)");
    return {};
}

/// Makes UserSigs and PrivateMapKeys for one SDKAppID and secret key.
///
/// The key is prekeyed into the HMAC once, at creation. Scratch buffers are reused, so a warm
/// signer with the built-in policies allocates only the returned string. A signer is not
/// thread-safe: give each thread its own, or guard it (trtc::basic_client does).
///
/// @tparam Hmac    HMAC-SHA256 policy: `explicit Hmac(std::string_view key)` and
///                 `std::array<std::uint8_t, 32> mac(std::string_view data)`.
/// @tparam Deflate zlib policy: `bool compress(std::string_view in, std::string& out)`, which
///                 appends a complete zlib stream. The built-in writes stored blocks (level 0,
///                 as Tencent's Go library does); trtc::zlib_deflate (adapters/zlib.hpp) uses
///                 zlib at a chosen level.
template <class Hmac = builtin_hmac_sha256, class Deflate = stored_deflate>
class basic_usersig_signer {
    static_assert(detail::is_hmac_policy<Hmac>::value,
                  "trtc::basic_usersig_signer: the Hmac policy must provide "
                  "`explicit Hmac(std::string_view key)` and "
                  "`std::array<std::uint8_t, 32> mac(std::string_view data)`");
    static_assert(detail::is_deflate_policy<Deflate>::value,
                  "trtc::basic_usersig_signer: the Deflate policy must provide "
                  "`bool compress(std::string_view in, std::string& out)` (appending a zlib "
                  "stream)");

  public:
    /// The largest `expire` accepted: the C++ reference library and several verifiers keep it
    /// in a signed 32-bit integer.
    static constexpr std::int64_t max_expire = 2147483647;

    /// A signer for `sdkappid` (non-zero) with the console's secret key (non-empty; its bytes
    /// are the HMAC key, never hex-decoded).
    static result<basic_usersig_signer> create(std::uint32_t sdkappid, std::string_view secret_key,
                                               Deflate deflate = Deflate()) {
        if (sdkappid == 0) return detail::usersig_argument_error("sdkappid must not be 0");
        if (secret_key.empty())
            return detail::usersig_argument_error("the secret key must not be empty");
        basic_usersig_signer s(sdkappid, secret_key, std::move(deflate));
        if (!detail::policy_ok(s.hmac_))
            return error(errc::usersig_unavailable, "the HMAC policy could not be keyed");
        return s;
    }

    /// The SDKAppID this signer signs for.
    std::uint32_t sdkappid() const noexcept { return sdkappid_; }

    /// A UserSig for `identifier`, valid for `expire` (1 s to max_expire) from `now`.
    result<std::string> generate(std::string_view identifier, std::chrono::seconds expire,
                                 unix_time now = unix_now()) {
        return make(identifier, expire, now, nullptr);
    }

    /// A UserSig carrying an arbitrary binary userbuf (Tencent's genSig / GenUserSigWithBuf).
    result<std::string> generate_with_userbuf(std::string_view identifier,
                                              std::chrono::seconds expire, std::string_view userbuf,
                                              unix_time now = unix_now()) {
        return make(identifier, expire, now, &userbuf);
    }

    /// A PrivateMapKey for a numeric room id: a UserSig whose userbuf grants `privileges`
    /// (trtc::privilege bits) in room `room_id` until now + expire.
    result<std::string> private_map_key(std::string_view identifier, std::chrono::seconds expire,
                                        std::uint32_t room_id, std::uint32_t privileges,
                                        unix_time now = unix_now()) {
        return map_key(identifier, expire, now, room_id, nullptr, privileges);
    }

    /// A PrivateMapKey for a string room id (non-empty, at most 65535 bytes).
    result<std::string> private_map_key(std::string_view identifier, std::chrono::seconds expire,
                                        std::string_view room_str, std::uint32_t privileges,
                                        unix_time now = unix_now()) {
        if (room_str.empty())
            return detail::usersig_argument_error("the string room id must not be empty");
        return map_key(identifier, expire, now, 0, &room_str, privileges);
    }

    /// Checks a UserSig made for this SDKAppID and key (see trtc::check_usersig for the
    /// verdicts) and returns its decoded fields.
    result<usersig_document> verify_usersig(std::string_view usersig, std::string_view identifier,
                                            unix_time now = unix_now(),
                                            const std::string_view* expected_userbuf = nullptr) {
        auto d = decode_usersig(usersig);
        if (!d) return std::move(d).error();
        auto ok = check_usersig(*d, sdkappid_, identifier, now, hmac_, expected_userbuf);
        if (!ok) return std::move(ok).error();
        return d;
    }

  private:
    basic_usersig_signer(std::uint32_t sdkappid, std::string_view key, Deflate deflate)
        : sdkappid_(sdkappid), hmac_(key), deflate_(std::move(deflate)) {}

    result<void> check_times(std::chrono::seconds expire, unix_time now) const {
        if (expire.count() <= 0 || expire.count() > max_expire) {
            std::string m = "expire must be between 1 and ";
            detail::append_decimal(m, max_expire);
            m += " seconds, not ";
            detail::append_decimal(m, expire.count());
            return detail::usersig_argument_error(std::move(m));
        }
        if (to_unix_seconds(now) < 0)
            return detail::usersig_argument_error("now must not be before 1970");
        return {};
    }

    result<std::string> map_key(std::string_view identifier, std::chrono::seconds expire,
                                unix_time now, std::uint32_t room_id,
                                const std::string_view* room_str, std::uint32_t privileges) {
        auto ok = check_times(expire, now);
        if (!ok) return std::move(ok).error();
        if (identifier.size() > 0xFFFF)
            return detail::usersig_argument_error(
                "identifier is longer than the 65535 bytes a PrivateMapKey can hold");
        if (room_str != nullptr && room_str->size() > 0xFFFF)
            return detail::usersig_argument_error(
                "the string room id is longer than the 65535 bytes a PrivateMapKey can hold");
        std::int64_t abs = to_unix_seconds(now) + expire.count();
        if (abs > 0xFFFFFFFFLL)
            return detail::usersig_argument_error(
                "now + expire is beyond 2106, which a PrivateMapKey cannot represent");
        std::string& buf = userbuf_;
        buf.clear();
        buf.push_back(static_cast<char>(room_str != nullptr ? 1 : 0));
        detail::put_u16(buf, static_cast<std::uint32_t>(identifier.size()));
        buf.append(identifier);
        detail::put_u32(buf, sdkappid_);
        detail::put_u32(buf, room_id);
        detail::put_u32(buf, static_cast<std::uint32_t>(abs));
        detail::put_u32(buf, privileges);
        detail::put_u32(buf, 0);
        if (room_str != nullptr) {
            detail::put_u16(buf, static_cast<std::uint32_t>(room_str->size()));
            buf.append(*room_str);
        }
        std::string_view ub = buf;
        return make(identifier, expire, now, &ub);
    }

    result<std::string> make(std::string_view identifier, std::chrono::seconds expire,
                             unix_time now, const std::string_view* userbuf) {
        auto ok = detail::check_identifier(identifier);
        if (!ok) return std::move(ok).error();
        auto times = check_times(expire, now);
        if (!times) return std::move(times).error();
        const std::int64_t t = to_unix_seconds(now);

        // TLS.userbuf: standard base64, the same text in the signed text and the document.
        std::string_view ub64;
        if (userbuf != nullptr) {
            userbuf_b64_.clear();
            detail::base64_append(userbuf_b64_, *userbuf, detail::base64_alphabet::standard);
            ub64 = userbuf_b64_;
        }
        detail::build_signed_text(text_, identifier, sdkappid_, t, expire.count(),
                                  userbuf != nullptr ? &ub64 : nullptr);
        const std::array<std::uint8_t, 32> mac = hmac_.mac(text_);
        if (!detail::policy_ok(hmac_))
            return error(errc::usersig_unavailable, "the HMAC policy failed");
        char sig[44];
        detail::base64_encode(mac.data(), mac.size(), sig, detail::base64_alphabet::standard);

        // The document, in the C++ reference library's key order and escaping.
        doc_.clear();
        json::writer w(doc_);
        w.begin_object();
        w.key("TLS.ver");
        w.string("2.0");
        w.key("TLS.sdkappid");
        w.unsigned_integer(sdkappid_);
        w.key("TLS.identifier");
        w.string(identifier);
        w.key("TLS.time");
        w.integer(t);
        w.key("TLS.expire");
        w.integer(expire.count());
        if (userbuf != nullptr) {
            w.key("TLS.userbuf");
            w.string(ub64);
        }
        w.key("TLS.sig");
        w.string(std::string_view(sig, sizeof(sig)));
        w.end_object();

        zlib_.clear();
        if (!deflate_.compress(doc_, zlib_))
            return error(errc::usersig_unavailable, "the deflate policy failed to compress");
        std::string out;
        out.resize(detail::base64_encoded_size(zlib_.size()));
        detail::base64_encode(zlib_.data(), zlib_.size(), &out[0],
                              detail::base64_alphabet::tencent);
        return out;
    }

    std::uint32_t sdkappid_;
    Hmac hmac_;
    Deflate deflate_;
    std::string text_, doc_, zlib_, userbuf_, userbuf_b64_;
};

/// The signer with the built-in policies: no dependency.
using usersig_signer = basic_usersig_signer<>;

/// Decodes and checks a UserSig in one call (see check_usersig for the verdicts, each the
/// service's own code). Prefer a signer's verify_usersig() when checking many with one key.
TRTC_DECL result<usersig_document> verify_usersig(std::string_view usersig, std::uint32_t sdkappid,
                                                  std::string_view identifier,
                                                  std::string_view secret_key,
                                                  unix_time now = unix_now());

#if TRTC_DEFINITIONS

TRTC_DECL std::int64_t usersig_document::expires_at() const noexcept {
    if (expire > 0 && time > INT64_MAX - expire) return INT64_MAX;
    if (expire < 0 && time < INT64_MIN - expire) return INT64_MIN;
    return time + expire;
}

namespace detail {

TRTC_DECL void build_signed_text(std::string& out, std::string_view identifier,
                                 std::uint64_t sdkappid, std::int64_t time, std::int64_t expire,
                                 const std::string_view* userbuf_base64) {
    out.clear();
    out += "TLS.identifier:";
    out += identifier;
    out += "\nTLS.sdkappid:";
    append_decimal_u(out, sdkappid);
    out += "\nTLS.time:";
    append_decimal(out, time);
    out += "\nTLS.expire:";
    append_decimal(out, expire);
    out += '\n';
    if (userbuf_base64 != nullptr) {
        out += "TLS.userbuf:";
        out += *userbuf_base64;
        out += '\n';
    }
}

TRTC_DECL result<void> check_identifier(std::string_view identifier) {
    if (identifier.empty()) return usersig_argument_error("identifier must not be empty");
    if (!utf8_valid(identifier)) {
        std::string m = "identifier ";
        append_escaped_for_message(m, identifier);
        m += " is not valid UTF-8";
        return usersig_argument_error(std::move(m));
    }
    for (char ch : identifier) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x20 || c == 0x7F) {
            std::string m = "identifier ";
            append_escaped_for_message(m, identifier);
            m += " contains a control character (it would make the signed text ambiguous)";
            return usersig_argument_error(std::move(m));
        }
    }
    return {};
}

TRTC_DECL void put_u16(std::string& out, std::uint32_t v) {
    out.push_back(static_cast<char>((v >> 8) & 0xFF));
    out.push_back(static_cast<char>(v & 0xFF));
}

TRTC_DECL void put_u32(std::string& out, std::uint32_t v) {
    out.push_back(static_cast<char>((v >> 24) & 0xFF));
    out.push_back(static_cast<char>((v >> 16) & 0xFF));
    out.push_back(static_cast<char>((v >> 8) & 0xFF));
    out.push_back(static_cast<char>(v & 0xFF));
}

} // namespace detail

TRTC_DECL result<private_map> parse_private_map(std::string_view buf) {
    auto bad = [](const char* why) {
        return error(errc::invalid_argument, std::string("PrivateMapKey userbuf: ") + why);
    };
    std::size_t pos = 0;
    auto need = [&](std::size_t n) { return buf.size() - pos >= n; };
    auto u8 = [&]() { return static_cast<std::uint8_t>(buf[pos++]); };
    auto u16 = [&]() {
        std::uint32_t v = static_cast<std::uint32_t>(static_cast<std::uint8_t>(buf[pos])) << 8 |
                          static_cast<std::uint8_t>(buf[pos + 1]);
        pos += 2;
        return v;
    };
    auto u32 = [&]() {
        std::uint32_t v = 0;
        for (int i = 0; i < 4; ++i) v = v << 8 | static_cast<std::uint8_t>(buf[pos++]);
        return v;
    };
    private_map m;
    if (!need(3)) return bad("too short");
    m.version = u8();
    if (m.version > 1) return bad("unknown version");
    std::uint32_t len = u16();
    if (!need(len + 20)) return bad("truncated");
    m.account.assign(buf.data() + pos, len);
    pos += len;
    m.sdkappid = u32();
    m.room_id = u32();
    m.expires_at = u32();
    m.privileges = u32();
    m.account_type = u32();
    if (m.version == 1) {
        if (!need(2)) return bad("truncated room string length");
        std::uint32_t rlen = u16();
        if (!need(rlen)) return bad("truncated room string");
        m.room_str.assign(buf.data() + pos, rlen);
        pos += rlen;
    }
    if (pos != buf.size()) return bad("trailing bytes");
    return m;
}

TRTC_DECL result<usersig_document> decode_usersig(std::string_view usersig) {
    auto bad = [](std::string why) {
        return error(service_errc::usersig_invalid, "UserSig cannot be decoded: " + why);
    };
    if (usersig.empty()) return error(service_errc::usersig_empty, "UserSig is empty");
    std::string zbytes;
    if (!detail::base64_decode(usersig, zbytes)) return bad("not base64");
    std::string text;
    detail::inflate_status st = detail::zlib_inflate(zbytes, text, detail::usersig_max_document);
    if (st != detail::inflate_status::ok)
        return bad(std::string("zlib stream: ") + detail::to_string(st));
    json::document doc;
    json::parse_error perr;
    if (!json::parse(text, doc, perr)) return bad(std::string("JSON: ") + perr.message);
    json::value root = doc.root();
    if (!root.is_object()) return bad("JSON is not an object");

    usersig_document d;
    auto get_string = [&](const char* key, std::string& out, bool* present) -> bool {
        json::value v = root[key];
        if (present) *present = v.exists() && !v.is_null();
        if (!v.exists() || v.is_null()) return true;
        if (!v.is_string()) return false;
        out.assign(v.as_string());
        return true;
    };
    auto get_int = [&](const char* key, std::int64_t& out) -> bool {
        json::value v = root[key];
        if (!v.exists() || v.is_null()) return true;
        return v.get(out);
    };
    if (!get_string("TLS.ver", d.version, nullptr)) return bad("TLS.ver is not a string");
    {
        json::value v = root["TLS.sdkappid"];
        if (v.exists() && !v.is_null() && !v.get(d.sdkappid))
            return bad("TLS.sdkappid is not a non-negative integer");
    }
    if (!get_string("TLS.identifier", d.identifier, nullptr))
        return bad("TLS.identifier is not a string");
    if (!get_int("TLS.time", d.time)) return bad("TLS.time is not an integer");
    if (!get_int("TLS.expire", d.expire)) return bad("TLS.expire is not an integer");
    if (!get_string("TLS.userbuf", d.userbuf_base64, &d.has_userbuf))
        return bad("TLS.userbuf is not a string");
    if (d.has_userbuf && !detail::base64_decode(d.userbuf_base64, d.userbuf))
        return bad("TLS.userbuf is not base64");
    if (!get_string("TLS.sig", d.sig, nullptr)) return bad("TLS.sig is not a string");
    return d;
}

TRTC_DECL result<usersig_document> verify_usersig(std::string_view usersig, std::uint32_t sdkappid,
                                                  std::string_view identifier,
                                                  std::string_view secret_key, unix_time now) {
    auto d = decode_usersig(usersig);
    if (!d) return std::move(d).error();
    builtin_hmac_sha256 hmac(secret_key);
    auto ok = check_usersig(*d, sdkappid, identifier, now, hmac);
    if (!ok) return std::move(ok).error();
    return d;
}

TRTC_DECL bool stored_deflate::compress(std::string_view in, std::string& out) const {
    const std::size_t size = detail::zlib_stored_size(in.size());
    if (size < in.size() || size > out.max_size() - out.size()) return false;
    detail::zlib_stored_append(out, in);
    return true;
}

#endif // TRTC_DEFINITIONS

TRTC_END_NAMESPACE

#endif // TRTC_USERSIG_HPP
