// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
// trtc-battle usersig | private-map-key | usersig-decode | usersig-verify
#include "cli.hpp"

#if TRTC_CLI_HAVE_ZLIB
#    include <trtc/adapters/zlib.hpp>
#endif

#include <cstdio>
#include <string>

namespace cli {
namespace {

struct common_sig_args {
    std::uint32_t sdkappid = 0;
    std::string identifier;
    std::int64_t expire = 0;
    trtc::unix_time now = trtc::unix_now();
    std::string key;
};

bool parse_common(const args& a, common_sig_args& c, usage_error& err, bool need_expire) {
    long long v = 0;
    if (!parse_int("sdkappid", a.get("sdkappid"), 1, 4294967295LL, v, err)) return false;
    c.sdkappid = static_cast<std::uint32_t>(v);
    c.identifier = a.get("identifier");
    if (need_expire) {
        if (!parse_int("expire", a.get("expire"), 1, trtc::usersig_signer::max_expire, v, err))
            return false;
        c.expire = v;
    }
    if (a.has("now")) {
        if (!parse_int("now", a.get("now"), 0, 253402300799LL, v, err)) return false;
        c.now = trtc::from_unix_seconds(v);
    }
    return load_secret_key(a, c.key, err);
}

bool parse_hex(const std::string& hex, std::string& out, usage_error& err) {
    auto nibble = [](char ch) -> int {
        if (ch >= '0' && ch <= '9') return ch - '0';
        if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
        if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
        return -1;
    };
    if (hex.size() % 2 != 0)
        return bad_option(err, "userbuf-hex",
                          json_quote(hex) + " has an odd number of digits (two per byte)");
    out.clear();
    for (std::size_t i = 0; i < hex.size(); i += 2) {
        int hi = nibble(hex[i]), lo = nibble(hex[i + 1]);
        if (hi < 0 || lo < 0)
            return bad_option(err, "userbuf-hex", json_quote(hex) + " is not hexadecimal");
        out.push_back(static_cast<char>(hi * 16 + lo));
    }
    return true;
}

/// `bytes` in hexadecimal, the first 64 bytes only ("..." marks the rest).
std::string to_hex(const std::string& bytes) {
    static const char digits[] = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < bytes.size() && i < 64; ++i) {
        const unsigned char b = static_cast<unsigned char>(bytes[i]);
        out += digits[b >> 4];
        out += digits[b & 15];
    }
    if (bytes.size() > 64) out += "...";
    return out.empty() ? "(empty)" : out;
}

/// Prints a UserSig made by `signer` (any policies) for the parsed arguments.
template <class Signer>
int print_usersig(trtc::result<Signer> signer, const common_sig_args& c,
                  const std::string* userbuf) {
    if (!signer) return usage_failure("usersig", {signer.error().message});
    std::chrono::seconds expire(c.expire);
    auto sig = userbuf ? signer->generate_with_userbuf(c.identifier, expire, *userbuf, c.now)
                       : signer->generate(c.identifier, expire, c.now);
    if (!sig) return usage_failure("usersig", {sig.error().message});
    std::printf("%s\n", sig->c_str());
    return ok;
}

int cmd_usersig(const args& a) {
    usage_error err;
    common_sig_args c;
    if (!parse_common(a, c, err, true)) return usage_failure("usersig", err);
    std::string userbuf;
    if (a.has("userbuf-hex") && !parse_hex(a.get("userbuf-hex"), userbuf, err))
        return usage_failure("usersig", err);
    const std::string* ub = a.has("userbuf-hex") ? &userbuf : nullptr;
    std::string compression = a.get("compression", "stored");
    if (compression == "stored")
        return print_usersig(trtc::usersig_signer::create(c.sdkappid, c.key), c, ub);
    if (compression == "zlib") {
#if TRTC_CLI_HAVE_ZLIB
        using zsigner = trtc::basic_usersig_signer<trtc::builtin_hmac_sha256, trtc::zlib_deflate>;
        return print_usersig(zsigner::create(c.sdkappid, c.key, trtc::zlib_deflate(1)), c, ub);
#else
        err.reason = "--compression zlib: this build has no zlib adapter";
        return usage_failure("usersig", err);
#endif
    }
    bad_option(err, "compression", "must be stored or zlib, not " + json_quote(compression));
    return usage_failure("usersig", err);
}

int cmd_private_map_key(const args& a) {
    usage_error err;
    common_sig_args c;
    if (!parse_common(a, c, err, true)) return usage_failure("private-map-key", err);
    long long priv = 0, room = 0;
    if (!parse_int("privileges", a.get("privileges"), 0, 4294967295LL, priv, err))
        return usage_failure("private-map-key", err);
    if (a.has("room-id") && !parse_int("room-id", a.get("room-id"), 0, 4294967295LL, room, err))
        return usage_failure("private-map-key", err);
    auto signer = trtc::usersig_signer::create(c.sdkappid, c.key);
    if (!signer) return usage_failure("private-map-key", {signer.error().message});
    std::chrono::seconds expire(c.expire);
    auto key = a.has("room-id")
                   ? signer->private_map_key(c.identifier, expire, static_cast<std::uint32_t>(room),
                                             static_cast<std::uint32_t>(priv), c.now)
                   : signer->private_map_key(c.identifier, expire, a.get("room-str"),
                                             static_cast<std::uint32_t>(priv), c.now);
    if (!key) return usage_failure("private-map-key", {key.error().message});
    std::printf("%s\n", key->c_str());
    return ok;
}

std::string document_json(const trtc::usersig_document& d) {
    std::string out;
    trtc::json::writer w(out);
    w.begin_object();
    w.key("TLS.ver");
    w.string(d.version);
    w.key("TLS.sdkappid");
    w.unsigned_integer(d.sdkappid);
    w.key("TLS.identifier");
    w.string(d.identifier);
    w.key("TLS.time");
    w.integer(d.time);
    w.key("TLS.expire");
    w.integer(d.expire);
    if (d.has_userbuf) {
        w.key("TLS.userbuf");
        w.string(d.userbuf_base64);
    }
    w.key("TLS.sig");
    w.string(d.sig);
    w.key("expires_at");
    w.integer(d.expires_at());
    if (d.has_userbuf) {
        if (auto m = trtc::parse_private_map(d.userbuf)) {
            w.key("private_map");
            w.begin_object();
            w.key("version");
            w.integer(m->version);
            w.key("account");
            w.string(m->account);
            w.key("sdkappid");
            w.unsigned_integer(m->sdkappid);
            w.key("room_id");
            w.unsigned_integer(m->room_id);
            if (m->version == 1) {
                w.key("room_str");
                w.string(m->room_str);
            }
            w.key("expires_at");
            w.unsigned_integer(m->expires_at);
            w.key("privileges");
            w.unsigned_integer(m->privileges);
            w.end_object();
        }
    }
    w.end_object();
    return out;
}

int cmd_usersig_decode(const args& a) {
    if (a.positional.size() != 1)
        return usage_failure("usersig-decode", {"give exactly one UserSig argument"});
    auto d = trtc::decode_usersig(a.positional[0]);
    if (!d) {
        std::fprintf(stderr, "trtc-battle usersig-decode: %s\n", d.error().message.c_str());
        return failed;
    }
    std::printf("%s\n", document_json(*d).c_str());
    return ok;
}

/// The PrivateMapKey usersig-verify expects (--room-id or --room-str, and --privileges).
struct expected_map {
    bool numeric = true;
    std::uint32_t room_id = 0;
    std::string room_str;
    std::uint32_t privileges = 0;
};

std::string describe_room(const trtc::private_map& m) {
    return m.version == 1 ? "string room " + json_quote(m.room_str)
                          : "numeric room " + std::to_string(m.room_id);
}

/// How a PrivateMapKey's fields differ from the expected ones ("" when they do not).
std::string map_mismatch(const trtc::private_map& m, const expected_map& e,
                         const common_sig_args& c) {
    std::vector<std::string> diffs;
    const std::string want = e.numeric ? "numeric room " + std::to_string(e.room_id)
                                       : "string room " + json_quote(e.room_str);
    if (e.numeric ? (m.version != 0 || m.room_id != e.room_id)
                  : (m.version != 1 || m.room_str != e.room_str))
        diffs.push_back("is for the " + describe_room(m) + ", not the " + want);
    if (m.privileges != e.privileges)
        diffs.push_back("grants privileges " + std::to_string(m.privileges) + ", not " +
                        std::to_string(e.privileges));
    if (m.account != c.identifier)
        diffs.push_back("is for account " + json_quote(m.account) + ", not " +
                        json_quote(c.identifier));
    if (m.sdkappid != c.sdkappid)
        diffs.push_back("is for SDKAppID " + std::to_string(m.sdkappid) + ", not " +
                        std::to_string(c.sdkappid));
    std::string out;
    for (const std::string& d : diffs) out += (out.empty() ? "the PrivateMapKey " : "; it ") + d;
    return out;
}

int print_verdict_invalid(int code, const std::string& message) {
    std::printf("invalid (%d): %s\n", code, message.c_str());
    return failed;
}

int cmd_usersig_verify(const args& a) {
    const char* cmd = "usersig-verify";
    usage_error err;
    common_sig_args c;
    if (!parse_common(a, c, err, false)) return usage_failure(cmd, err);
    if (a.positional.size() != 1) return usage_failure(cmd, {"give exactly one UserSig argument"});
    const std::string& sig = a.positional[0];
    const bool want_map = a.has("room-id") || a.has("room-str");
    if (want_map != a.has("privileges")) {
        if (want_map)
            bad_option(err, "privileges",
                       "is required with --room-id or --room-str (the bits the PrivateMapKey "
                       "must grant)");
        else
            bad_option(err, "privileges", "applies only with --room-id N or --room-str S");
        return usage_failure(cmd, err);
    }
    expected_map em;
    long long v = 0;
    if (a.has("room-id")) {
        if (!parse_int("room-id", a.get("room-id"), 0, 4294967295LL, v, err))
            return usage_failure(cmd, err);
        em.room_id = static_cast<std::uint32_t>(v);
    } else if (a.has("room-str")) {
        em.numeric = false;
        em.room_str = a.get("room-str");
    }
    if (want_map) {
        if (!parse_int("privileges", a.get("privileges"), 0, 4294967295LL, v, err))
            return usage_failure(cmd, err);
        em.privileges = static_cast<std::uint32_t>(v);
    }
    std::string userbuf;
    if (a.has("userbuf-hex") && !parse_hex(a.get("userbuf-hex"), userbuf, err))
        return usage_failure(cmd, err);
    auto signer = trtc::usersig_signer::create(c.sdkappid, c.key);
    if (!signer) return usage_failure(cmd, {signer.error().message});

    auto decoded = trtc::decode_usersig(sig);
    if (!decoded)
        return print_verdict_invalid(decoded.error().code.value(), decoded.error().message);
    // The expected userbuf: the given bytes; for a PrivateMapKey, the sig's own, whose fields are
    // compared below once the signature over it has been checked.
    std::string_view expected =
        a.has("userbuf-hex") ? std::string_view(userbuf) : std::string_view(decoded->userbuf);
    const bool expect = a.has("userbuf-hex") || want_map;
    auto d = signer->verify_usersig(sig, c.identifier, c.now, expect ? &expected : nullptr);
    if (!d) {
        std::string why = d.error().message;
        if (!expect && decoded->has_userbuf)
            why += " (to check it, give --userbuf-hex HEX, or for a PrivateMapKey --room-id N or "
                   "--room-str S with --privileges N)";
        // The userbuf is compared before the signature: a 70009 with a different userbuf is
        // that difference.
        if (a.has("userbuf-hex") && decoded->has_userbuf && decoded->userbuf != userbuf &&
            d.error().code == trtc::service_errc::usersig_verification_failed)
            why = "the UserSig's userbuf is " + to_hex(decoded->userbuf) + ", not the expected " +
                  to_hex(userbuf);
        return print_verdict_invalid(d.error().code.value(), why);
    }
    std::string extra;
    if (want_map) {
        auto m = trtc::parse_private_map(d->userbuf);
        if (!m)
            return print_verdict_invalid(
                static_cast<int>(trtc::service_errc::usersig_verification_failed),
                "the userbuf is not a PrivateMapKey's: " + m.error().message);
        const std::string diff = map_mismatch(*m, em, c);
        if (!diff.empty())
            return print_verdict_invalid(
                static_cast<int>(trtc::service_errc::usersig_verification_failed), diff);
        extra = "; PrivateMapKey for the " + describe_room(*m) + ", privileges " +
                std::to_string(m->privileges) + ", until " + std::to_string(m->expires_at);
    } else if (a.has("userbuf-hex")) {
        extra = "; userbuf of " + std::to_string(d->userbuf.size()) + " bytes as expected";
    }
    std::printf("valid: identifier %s, SDKAppID %llu, made at %lld, expires at %lld%s\n",
                json_quote(d->identifier).c_str(), static_cast<unsigned long long>(d->sdkappid),
                static_cast<long long>(d->time), static_cast<long long>(d->expires_at()),
                extra.c_str());
    return ok;
}

} // namespace

const std::vector<command>& usersig_commands() {
    static const std::vector<command> cmds = {
        {"usersig",
         "",
         "Prints a UserSig (and nothing else) on stdout.\n"
         "The secret key comes from $TRTC_SECRET_KEY or --secret-key-file, never from an\n"
         "argument.",
         {required_option({"sdkappid", "N", "the application's SDKAppID"}),
          required_option(
              {"identifier", "ID", "the account to sign for (the admin, for REST calls)"}),
          required_option({"expire", "SECONDS", "validity, 1 to 2147483647 seconds"}),
          {"now", "UNIX", "sign as if at this Unix time (default: the clock)"},
          {"userbuf-hex", "HEX", "attach a binary userbuf"},
          {"compression", "stored|zlib", "stored (default, no dependency) or zlib (level 1)"},
          secret_key_file_option()},
         &cmd_usersig},
        {"private-map-key",
         "",
         "Prints a PrivateMapKey (a UserSig granting room privileges).\n"
         "Privilege bits: 1 create, 2 enter, 4/8 send/receive audio, 16/32 video,\n"
         "64/128 sub-stream.",
         {required_option({"sdkappid", "N", "the application's SDKAppID"}),
          required_option({"identifier", "ID", "the user's account"}),
          required_option({"expire", "SECONDS", "validity, 1 to 2147483647 seconds"}),
          required_option(alternative("room", {"room-id", "N", "a numeric room id"})),
          required_option(alternative("room", {"room-str", "S", "a string room id"})),
          required_option({"privileges", "N", "privilege bits (255 = all)"}),
          {"now", "UNIX", "sign as if at this Unix time"},
          secret_key_file_option()},
         &cmd_private_map_key},
        {"usersig-decode",
         "SIG",
         "Prints a decoded UserSig as JSON.\n"
         "Reads the format of every official library; needs no key.",
         {},
         &cmd_usersig_decode},
        {"usersig-verify",
         "SIG",
         "Checks a UserSig as the service does.\n"
         "Exits 0 only when SIG is valid for this SDKAppID, identifier and key at the given\n"
         "time; otherwise prints the reason (with the service's code) and exits 1.\n"
         "A UserSig with a userbuf is valid only when the userbuf is the expected one:\n"
         "--userbuf-hex gives its bytes (as `usersig --userbuf-hex` made it); for a\n"
         "PrivateMapKey, --room-id or --room-str and --privileges give the fields it must\n"
         "carry (as `private-map-key` made it), with this identifier and SDKAppID.",
         {required_option({"sdkappid", "N", "the expected SDKAppID"}),
          required_option({"identifier", "ID", "the expected identifier"}),
          {"now", "UNIX", "check as if at this Unix time"},
          alternative("userbuf", {"userbuf-hex", "HEX", "the expected userbuf, in hexadecimal"}),
          alternative("userbuf", {"room-id", "N", "a PrivateMapKey for this numeric room"}),
          alternative("userbuf", {"room-str", "S", "a PrivateMapKey for this string room"}),
          {"privileges", "N", "the privilege bits the PrivateMapKey grants"},
          secret_key_file_option()},
         &cmd_usersig_verify},
    };
    return cmds;
}

} // namespace cli
