// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief The webhook configuration APIs of `v4/live_config`, one endpoint struct per API
/// (the contract of trtc/endpoint.hpp, like battle.hpp): set_callback, update_callback,
/// get_callback, delete_callback, set_callback_token, get_callback_token,
/// delete_callback_token.
///
/// The webhook token is a secret: no rule's message quotes it, and decode() quotes no excerpt
/// of a get_callback_token answer (`response_holds_secret`).
#ifndef TRTC_WEBHOOK_CONFIG_HPP
#define TRTC_WEBHOOK_CONFIG_HPP

#include "config.hpp"
#include "detail/utf8.hpp"
#include "endpoint.hpp"
#include "result.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

TRTC_BEGIN_NAMESPACE

/// The webhook commands that set_callback and update_callback accept: the three battle
/// webhooks (trtc/webhooks.hpp decodes them).
inline constexpr std::string_view known_callback_commands[3] = {"Live.CallbackAfterCreateBattle",
                                                                "Live.CallbackAfterStartBattle",
                                                                "Live.CallbackAfterEndBattle"};

namespace detail {

/// The longest webhook URL accepted [not documented: this only stops runaway input].
inline constexpr std::size_t max_callback_url_bytes = 2048;

/// The rules of a webhook URL and command list (set_callback, update_callback): the URL starts
/// with http:// or https:// and has no space or control character; the list names known
/// commands, at least one, none twice.
TRTC_DECL void validate_callback(const std::string& url, const std::vector<std::string>& commands,
                                 validator& v);

/// Writes {"Url":..., "CallbackCommandList":[...]}.
template <class Sink>
void encode_callback(const std::string& url, const std::vector<std::string>& commands, Sink& w) {
    w.begin_object();
    w.key("Url");
    w.string(url);
    w.key("CallbackCommandList");
    w.begin_array();
    for (const std::string& c : commands) w.string(c);
    w.end_array();
    w.end_object();
}

/// Writes {}.
template <class Sink>
void encode_empty(Sink& w) {
    w.begin_object();
    w.end_object();
}

} // namespace detail

/// `set_callback`: create the webhook configuration (one URL per SDKAppID). 100300 when one
/// exists already: use update_callback.
struct set_callback {
    static constexpr std::string_view service = "live_config";
    static constexpr std::string_view command = "set_callback";
    /// Sent twice, the second answers 100300: not resent after an unknown outcome.
    static constexpr bool idempotent = false;
    static constexpr bool response_optional = true;

    struct request {
        using endpoint = set_callback;
        /// Where the webhooks go: http:// or https:// (https recommended).
        std::string url;
        /// The commands to deliver (CallbackCommandList): known_callback_commands.
        std::vector<std::string> commands;
    };
    struct response : response_meta {};

    static void validate(const request& r, validator& v) {
        detail::validate_callback(r.url, r.commands, v);
    }
    template <class Sink>
    static void encode(const request& r, Sink& w) {
        detail::encode_callback(r.url, r.commands, w);
    }
    template <class Reader>
    static void read_fields(Reader&, response&) {}
};

/// `update_callback`: replace the webhook configuration. 100301 when there is none.
struct update_callback {
    static constexpr std::string_view service = "live_config";
    static constexpr std::string_view command = "update_callback";
    static constexpr bool idempotent = true;
    static constexpr bool response_optional = true;

    struct request {
        using endpoint = update_callback;
        std::string url;
        std::vector<std::string> commands;
    };
    struct response : response_meta {};

    static void validate(const request& r, validator& v) {
        detail::validate_callback(r.url, r.commands, v);
    }
    template <class Sink>
    static void encode(const request& r, Sink& w) {
        detail::encode_callback(r.url, r.commands, w);
    }
    template <class Reader>
    static void read_fields(Reader&, response&) {}
};

/// `get_callback`: the webhook configuration.
struct get_callback {
    static constexpr std::string_view service = "live_config";
    static constexpr std::string_view command = "get_callback";
    static constexpr bool idempotent = true;

    struct request {
        using endpoint = get_callback;
    };
    struct response : response_meta {
        std::string url;
        std::vector<std::string> commands;
    };

    static void validate(const request&, validator&) {}
    template <class Sink>
    static void encode(const request&, Sink& w) {
        detail::encode_empty(w);
    }
    template <class Reader>
    static void read_fields(Reader& r, response& out) {
        r.string("Url", out.url, false);
        r.strings("CallbackCommandList", out.commands, false);
    }
};

/// `delete_callback`: remove the webhook configuration.
struct delete_callback {
    static constexpr std::string_view service = "live_config";
    static constexpr std::string_view command = "delete_callback";
    static constexpr bool idempotent = true;
    static constexpr bool response_optional = true;

    struct request {
        using endpoint = delete_callback;
    };
    struct response : response_meta {};

    static void validate(const request&, validator&) {}
    template <class Sink>
    static void encode(const request&, Sink& w) {
        detail::encode_empty(w);
    }
    template <class Reader>
    static void read_fields(Reader&, response&) {}
};

/// `set_callback_token`: set the token webhooks are signed with, and whether they are. Both
/// fields are needed the first time; afterwards only those to change (a partial update).
struct set_callback_token {
    static constexpr std::string_view service = "live_config";
    static constexpr std::string_view command = "set_callback_token";
    static constexpr bool idempotent = true;
    static constexpr bool response_optional = true;

    /// The token's length in characters, as documented.
    static constexpr std::size_t min_token = 1, max_token = 128;

    struct request {
        using endpoint = set_callback_token;
        /// The token (a secret): 1 to 128 characters of UTF-8, no control character.
        std::optional<std::string> token;
        /// IsTokenEnable: whether webhooks carry Sign and RequestTime.
        std::optional<bool> enabled;
    };
    struct response : response_meta {};

    static void validate(const request& r, validator& v);
    template <class Sink>
    static void encode(const request& r, Sink& w) {
        w.begin_object();
        if (r.token) {
            w.key("Token");
            w.string(*r.token);
        }
        if (r.enabled) {
            w.key("IsTokenEnable");
            w.boolean(*r.enabled);
        }
        w.end_object();
    }
    template <class Reader>
    static void read_fields(Reader&, response&) {}
};

/// `get_callback_token`: the token (in clear: a secret) and whether it is used. 100302 when
/// none was set.
struct get_callback_token {
    static constexpr std::string_view service = "live_config";
    static constexpr std::string_view command = "get_callback_token";
    static constexpr bool idempotent = true;
    static constexpr bool response_holds_secret = true;

    struct request {
        using endpoint = get_callback_token;
    };
    struct response : response_meta {
        /// The token: a secret, never to be logged.
        std::string token;
        bool enabled = false;
    };

    static void validate(const request&, validator&) {}
    template <class Sink>
    static void encode(const request&, Sink& w) {
        detail::encode_empty(w);
    }
    template <class Reader>
    static void read_fields(Reader& r, response& out) {
        r.string("Token", out.token, false);
        r.boolean("IsTokenEnable", out.enabled, false);
    }
};

/// `delete_callback_token`: remove the token configuration (webhooks are no longer signed).
struct delete_callback_token {
    static constexpr std::string_view service = "live_config";
    static constexpr std::string_view command = "delete_callback_token";
    static constexpr bool idempotent = true;
    static constexpr bool response_optional = true;

    struct request {
        using endpoint = delete_callback_token;
    };
    struct response : response_meta {};

    static void validate(const request&, validator&) {}
    template <class Sink>
    static void encode(const request&, Sink& w) {
        detail::encode_empty(w);
    }
    template <class Reader>
    static void read_fields(Reader&, response&) {}
};

#if TRTC_DEFINITIONS

namespace detail {

TRTC_DECL void validate_callback(const std::string& url, const std::vector<std::string>& commands,
                                 validator& v) {
    const std::string_view u(url);
    if (u.substr(0, 7) != "http://" && u.substr(0, 8) != "https://") {
        v.add("Url", validator::quote(u) + " must start with http:// or https://");
    } else if (u.size() > max_callback_url_bytes) {
        v.add("Url", std::to_string(u.size()) + " bytes; at most " +
                         std::to_string(max_callback_url_bytes) + " are accepted");
    } else if (u.size() == (u[4] == 's' ? 8u : 7u)) {
        v.add("Url", validator::quote(u) + " has no host");
    } else {
        for (char ch : u) {
            const auto c = static_cast<unsigned char>(ch);
            if (c <= 0x20 || c >= 0x7F) {
                v.add("Url",
                      validator::quote(u) + " has a space, a control or a non-ASCII character");
                break;
            }
        }
    }
    if (commands.empty()) v.add("CallbackCommandList", "must name at least one command");
    for (std::size_t i = 0; i < commands.size(); ++i) {
        bool known = false;
        for (std::string_view k : known_callback_commands) known = known || commands[i] == k;
        if (!known) {
            v.add(validator::indexed("CallbackCommandList", i),
                  validator::quote(commands[i]) +
                      " is not a known command (Live.CallbackAfterCreateBattle, "
                      "Live.CallbackAfterStartBattle, Live.CallbackAfterEndBattle)");
            continue;
        }
        for (std::size_t j = 0; j < i; ++j) {
            if (commands[j] == commands[i]) {
                v.add(validator::indexed("CallbackCommandList", i),
                      "repeats " + validator::indexed("CallbackCommandList", j));
                break;
            }
        }
    }
}

} // namespace detail

TRTC_DECL void set_callback_token::validate(const request& r, validator& v) {
    if (!r.token && !r.enabled) {
        v.add("Token", "give a Token, IsTokenEnable or both");
        return;
    }
    if (!r.token) return;
    // The token is a secret: the messages never quote it.
    const std::string& t = *r.token;
    if (!detail::utf8_valid(t)) {
        v.add("Token", "is not valid UTF-8");
        return;
    }
    std::size_t chars = 0;
    for (char ch : t) {
        const auto c = static_cast<unsigned char>(ch);
        if ((c & 0xC0) != 0x80) ++chars;
        if (c < 0x20 || c == 0x7F) {
            v.add("Token", "contains a control character");
            return;
        }
    }
    if (chars < min_token || chars > max_token)
        v.add("Token", "has " + std::to_string(chars) + " characters; 1 to 128 are accepted");
}

#endif // TRTC_DEFINITIONS

TRTC_END_NAMESPACE

#endif // TRTC_WEBHOOK_CONFIG_HPP
