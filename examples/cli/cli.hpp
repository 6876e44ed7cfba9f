// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief Shared pieces of the trtc-battle command-line tool: option parsing, the secret key,
/// number parsing and exit codes.
#ifndef TRTC_CLI_CLI_HPP
#define TRTC_CLI_CLI_HPP

#include <trtc/trtc.hpp>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <sys/stat.h>

namespace cli {

/// Exit codes shared by every subcommand.
enum exit_code : int {
    ok = 0,
    /// The check failed (usersig-verify: invalid signature), or an unexpected failure.
    failed = 1,
    /// Usage or validation error: nothing was sent.
    usage = 2,
    /// The service answered with a non-zero ErrorCode.
    service_error = 3,
    /// The request could not be delivered.
    not_delivered = 4,
    /// The request may have reached the service, but no answer came back.
    outcome_unknown = 5,
    /// battle-info --room-id: the room is in no battle (the service answered 100004).
    no_battle = 6,
};

/// One option a subcommand accepts.
struct option_spec {
    std::string name;  ///< without the leading "--"
    std::string value; ///< the value's placeholder ("N", "ID"); empty for a flag
    std::string help;
    bool repeatable = false;
    /// The command does not run without it (with a group: without one of the group).
    bool required = false;
    /// Options sharing a group are alternatives: at most one of them may be given, and exactly
    /// one when any of them is required.
    std::string group{};

    /// "--name VALUE", as the usage line shows it.
    std::string flag() const { return "--" + name + (value.empty() ? "" : " " + value); }
};

/// `o`, required.
inline option_spec required_option(option_spec o) {
    o.required = true;
    return o;
}

/// `o`, one of the alternatives of `group`.
inline option_spec alternative(std::string group, option_spec o) {
    o.group = std::move(group);
    return o;
}

/// A subcommand's parsed command line.
class args {
  public:
    /// The values given for --name (empty if none).
    const std::vector<std::string>& all(const std::string& name) const {
        static const std::vector<std::string> none;
        auto it = values_.find(name);
        return it == values_.end() ? none : it->second;
    }
    /// Whether --name was given.
    bool has(const std::string& name) const { return values_.count(name) != 0; }
    /// The value of --name, or `fallback`.
    std::string get(const std::string& name, const std::string& fallback = "") const {
        auto it = values_.find(name);
        return it == values_.end() ? fallback : it->second.back();
    }
    std::vector<std::string> positional;

  private:
    friend struct command;
    std::map<std::string, std::vector<std::string>> values_;
};

/// Thrown-free usage failure: a one-line reason, and the options at fault.
struct usage_error {
    std::string reason;
    /// One entry per option at fault: the field is "--name" (alternatives: "--a|--b").
    std::vector<trtc::field_violation> violations{};
};

/// Sets `err` to a problem with option --name (the message follows the option's name) and
/// returns false.
inline bool bad_option(usage_error& err, const std::string& name, const std::string& message) {
    err.reason = "--" + name + " " + message;
    err.violations = {{"--" + name, message}};
    return false;
}

/// A subcommand: its name, operands, options and body. The usage line is made from the
/// options, so that it shows what is required exactly as parse() enforces it.
struct command {
    std::string name;
    /// What follows the options on the usage line ("SIG"), empty for none.
    std::string operands;
    std::string summary;
    std::vector<option_spec> options;
    int (*run)(const args&);

    /// The usage line's parts after the name: `--a A`, `[--b B]`, `(--c C | --d D)`,
    /// `[--e E | --f F]`, `[--g G]...` (repeatable), then the operands.
    std::vector<std::string> synopsis() const {
        std::vector<std::string> out;
        std::vector<std::string> groups_done;
        for (const option_spec& o : options) {
            if (o.group.empty()) {
                // A repeatable option whose value is no list: "--x V..." or "[--x V]...".
                const char* more =
                    o.repeatable && o.value.find("...") == std::string::npos ? "..." : "";
                out.push_back((o.required ? o.flag() : "[" + o.flag() + "]") + more);
                continue;
            }
            bool done = false;
            for (const std::string& g : groups_done) done = done || g == o.group;
            if (done) continue;
            groups_done.push_back(o.group);
            out.push_back(group_required(o.group) ? "(" + group_text(o.group, " | ") + ")"
                                                  : "[" + group_text(o.group, " | ") + "]");
        }
        if (!operands.empty()) out.push_back(operands);
        return out;
    }

    void print_help(std::FILE* out) const {
        // The usage line, wrapped before 100 columns between options.
        std::string line = "usage: trtc-battle " + name;
        for (const std::string& part : synopsis()) {
            if (line.size() + 1 + part.size() > 99) {
                std::fprintf(out, "%s\n", line.c_str());
                line = "       ";
            }
            line += " " + part;
        }
        std::fprintf(out, "%s\n\n%s\n\noptions:\n", line.c_str(), summary.c_str());
        for (const option_spec& o : options) {
            std::string left = "  " + o.flag();
            std::fprintf(out, "%-30s %s\n", left.c_str(), o.help.c_str());
        }
        std::fprintf(out, "  %-28s %s\n", "--help", "show this help");
    }

    /// Parses argv (after the subcommand name). Returns false with `err` set on bad usage; a
    /// command line missing required options names every one of them.
    bool parse(int argc, char** argv, args& out, usage_error& err) const {
        for (int i = 0; i < argc; ++i) {
            std::string a = argv[i];
            if (a.rfind("--", 0) != 0 || a == "--") {
                if (a == "--") {
                    for (++i; i < argc; ++i) out.positional.emplace_back(argv[i]);
                    break;
                }
                out.positional.push_back(a);
                continue;
            }
            std::string name = a.substr(2), value;
            bool inline_value = false;
            std::size_t eq = name.find('=');
            if (eq != std::string::npos) {
                value = name.substr(eq + 1);
                name = name.substr(0, eq);
                inline_value = true;
            }
            const option_spec* spec = nullptr;
            for (const option_spec& o : options)
                if (o.name == name) spec = &o;
            if (spec == nullptr) {
                err.reason =
                    "unknown option --" + name + " (see trtc-battle " + this->name + " --help)";
                err.violations = {{"--" + name, "unknown option"}};
                return false;
            }
            if (spec->value.empty()) {
                if (inline_value) return bad_option(err, name, "takes no value");
            } else if (!inline_value) {
                if (i + 1 >= argc)
                    return bad_option(err, name, "needs a value (" + spec->value + ")");
                value = argv[++i];
            }
            if (!spec->repeatable && out.values_.count(name))
                return bad_option(err, name, "given more than once");
            out.values_[name].push_back(value);
        }
        return check_required(out, err);
    }

  private:
    bool group_required(const std::string& group) const {
        for (const option_spec& o : options)
            if (o.group == group && o.required) return true;
        return false;
    }

    /// The group's options: their flags joined by `sep`.
    std::string group_text(const std::string& group, const char* sep) const {
        std::string out;
        for (const option_spec& o : options) {
            if (o.group != group) continue;
            if (!out.empty()) out += sep;
            out += o.flag();
        }
        return out;
    }

    /// The group's option names, "--a|--b".
    std::string group_field(const std::string& group, const args& given, bool only_given) const {
        std::string out;
        for (const option_spec& o : options) {
            if (o.group != group || (only_given && !given.has(o.name))) continue;
            if (!out.empty()) out += "|";
            out += "--" + o.name;
        }
        return out;
    }

    /// The group's options that were given, "--a and --b".
    std::string given_flags(const std::string& group, const args& given) const {
        std::string out;
        for (const option_spec& o : options)
            if (o.group == group && given.has(o.name))
                out += (out.empty() ? "--" : " and --") + o.name;
        return out;
    }

    /// Every required option (or group) not given, and every group given more than once.
    bool check_required(const args& given, usage_error& err) const {
        std::vector<std::string> missing, conflicts;
        std::vector<trtc::field_violation> violations;
        std::vector<std::string> groups_done;
        for (const option_spec& o : options) {
            if (o.group.empty()) {
                if (o.required && !given.has(o.name)) {
                    missing.push_back(o.flag());
                    violations.push_back({"--" + o.name, "is required (" + o.flag() + ")"});
                }
                continue;
            }
            bool done = false;
            for (const std::string& g : groups_done) done = done || g == o.group;
            if (done) continue;
            groups_done.push_back(o.group);
            int count = 0;
            for (const option_spec& m : options)
                if (m.group == o.group && given.has(m.name)) ++count;
            if (count == 0 && group_required(o.group)) {
                missing.push_back(group_text(o.group, " or "));
                violations.push_back({group_field(o.group, given, false),
                                      "is required: give " + group_text(o.group, " or ")});
            } else if (count > 1) {
                conflicts.push_back("give only one of " + given_flags(o.group, given));
                violations.push_back(
                    {group_field(o.group, given, true),
                     "are alternatives: give only one of " + group_text(o.group, ", ")});
            }
        }
        if (violations.empty()) return true;
        std::string reason;
        if (!missing.empty()) reason = "missing ";
        for (std::size_t i = 0; i < missing.size(); ++i) reason += (i ? ", " : "") + missing[i];
        for (const std::string& c : conflicts) reason += (reason.empty() ? "" : "; ") + c;
        err.reason = reason + " (see trtc-battle " + name + " --help)";
        err.violations = std::move(violations);
        return false;
    }
};

// `s` made safe for a terminal, for every human-readable print of text that came from a server
// (or from anyone else): C0 controls, DEL and bytes that are not UTF-8 as `\xHH` (ESC as
// `\x1b`, NUL as `\x00`, so it never truncates), C1 controls and the bidirectional overrides
// as `\uHHHH`. Printable text, UTF-8 included, is unchanged, the backslash too (text the
// library already escaped, as in error messages, stays readable; a literal "\x1b" from a server
// is harmless text). A plain comment: Doxygen would read the escapes as commands.
inline std::string terminal_safe(std::string_view s) {
    static const char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(s.size());
    auto byte = [&](unsigned char c) {
        out += "\\x";
        out += hex[c >> 4];
        out += hex[c & 15];
    };
    std::size_t i = 0;
    while (i < s.size()) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (c < 0x20 || c == 0x7f) {
            byte(c);
            ++i;
        } else if (c < 0x80) {
            out += static_cast<char>(c);
            ++i;
        } else {
            // One UTF-8 sequence, checked: its length, its continuation bytes, no overlong
            // form, no surrogate, at most U+10FFFF.
            std::size_t len = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0;
            if (c >= 0xf5) len = 0;
            std::uint32_t cp = len == 2 ? c & 0x1f : len == 3 ? c & 0x0f : c & 0x07;
            bool good = len != 0 && i + len <= s.size();
            for (std::size_t k = 1; good && k < len; ++k) {
                unsigned char d = static_cast<unsigned char>(s[i + k]);
                if ((d & 0xc0) != 0x80) good = false;
                cp = (cp << 6) | (d & 0x3f);
            }
            if (good && ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
                         (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff))
                good = false;
            if (!good) {
                byte(c);
                ++i;
                continue;
            }
            bool control = (cp >= 0x80 && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) ||
                           (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 || cp == 0x2029;
            if (control) {
                out += "\\u";
                for (int shift = 12; shift >= 0; shift -= 4) out += hex[(cp >> shift) & 15];
            } else {
                out.append(s.data() + i, len);
            }
            i += len;
        }
    }
    return out;
}

/// Writes `s` as a JSON string literal.
inline std::string json_quote(std::string_view s) {
    std::string out;
    trtc::json::writer w(out);
    w.string(s);
    return out;
}

/// Parses a decimal integer in [lo, hi] from option `name`.
inline bool parse_int(const std::string& name, const std::string& text, long long lo, long long hi,
                      long long& out, usage_error& err) {
    bool digits = !text.empty();
    for (std::size_t i = 0; i < text.size(); ++i)
        if (!(text[i] >= '0' && text[i] <= '9') && !(i == 0 && text[i] == '-' && text.size() > 1))
            digits = false;
    errno = 0;
    char* end = nullptr;
    long long v = digits ? std::strtoll(text.c_str(), &end, 10) : 0;
    if (!digits || errno == ERANGE || v < lo || v > hi)
        return bad_option(err, name,
                          "must be an integer between " + std::to_string(lo) + " and " +
                              std::to_string(hi) + ", not " + json_quote(text));
    out = v;
    return true;
}

/// `s` quoted for a POSIX shell when it needs it: as is when it is made only of characters no
/// shell treats specially, else in single quotes.
inline std::string shell_quote(const std::string& s) {
    bool plain = !s.empty();
    for (char c : s)
        plain = plain && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                          (c >= '0' && c <= '9') || std::strchr("_-.,/:=+@%", c) != nullptr);
    if (plain) return s;
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

/// The warning for a key file its group or other users may read or change (as ssh warns of a
/// private key file), or "" when its mode is private. Only regular files are judged: a pipe
/// (`--secret-key-file <(pass show trtc)`) or a device has no lasting permissions to fix.
/// The key is still used: this warns, it does not refuse (see docs/cli.md).
inline std::string key_file_warning(const std::string& path, const struct stat& st) {
    if (!S_ISREG(st.st_mode) || (st.st_mode & 077) == 0) return "";
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    const bool others = (st.st_mode & 07) != 0;
    return "trtc-battle: warning: --secret-key-file " + shell_quote(path) + " has mode " + mode +
           ": " + (others ? "every user of this machine" : "its group") +
           " can read or change the secret key in it; make it private with: chmod 600 " +
           shell_quote(path);
}

/// Reads the secret key: from --secret-key-file F if given, else from $TRTC_SECRET_KEY. Never
/// from an argument: arguments are visible to every user of the machine. A key file its group
/// or others may access is used, with a warning on stderr.
inline bool load_secret_key(const args& a, std::string& key, usage_error& err) {
    if (a.has("secret-key-file")) {
        const std::string path = a.get("secret-key-file");
        std::FILE* f = std::fopen(path.c_str(), "rb");
        if (f == nullptr)
            return bad_option(err, "secret-key-file",
                              shell_quote(path) + " cannot be read: " + std::strerror(errno));
        struct stat st;
        if (::fstat(::fileno(f), &st) == 0) {
            const std::string warning = key_file_warning(path, st);
            if (!warning.empty()) std::fprintf(stderr, "%s\n", warning.c_str());
        }
        char buf[4096];
        std::size_t n = 0;
        while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) key.append(buf, n);
        const bool failed = std::ferror(f) != 0;
        std::fclose(f);
        trtc::detail::secure_wipe(buf, sizeof buf);
        if (failed) {
            trtc::detail::secure_wipe(&key[0], key.size());
            key.clear();
            return bad_option(err, "secret-key-file", shell_quote(path) + " cannot be read");
        }
        while (!key.empty() && (key.back() == '\n' || key.back() == '\r' || key.back() == ' '))
            key.pop_back();
        if (key.empty()) return bad_option(err, "secret-key-file", shell_quote(path) + " is empty");
    } else if (const char* env = std::getenv("TRTC_SECRET_KEY")) {
        key = env;
    }
    if (key.empty()) {
        err.reason = "no secret key: set TRTC_SECRET_KEY or pass --secret-key-file FILE";
        return false;
    }
    return true;
}

/// Reads the webhook token: from the file named by option `file_option` if given, else from
/// $TRTC_WEBHOOK_TOKEN (when `use_env`). Never from an argument. Trailing newlines and spaces
/// are dropped. An absent token leaves `token` empty and succeeds.
inline bool load_webhook_token(const args& a, const std::string& file_option, bool use_env,
                               std::string& token, usage_error& err) {
    token.clear();
    if (a.has(file_option)) {
        const std::string path = a.get(file_option);
        std::FILE* f = std::fopen(path.c_str(), "rb");
        if (f == nullptr)
            return bad_option(err, file_option,
                              shell_quote(path) + " cannot be read: " + std::strerror(errno));
        char buf[512];
        std::size_t n = 0;
        while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) token.append(buf, n);
        const bool failed = std::ferror(f) != 0;
        std::fclose(f);
        trtc::detail::secure_wipe(buf, sizeof buf);
        while (!token.empty() &&
               (token.back() == '\n' || token.back() == '\r' || token.back() == ' '))
            token.pop_back();
        if (failed || token.empty()) {
            if (!token.empty()) trtc::detail::secure_wipe(&token[0], token.size());
            token.clear();
            return bad_option(err, file_option,
                              shell_quote(path) + (failed ? " cannot be read" : " is empty"));
        }
    } else if (const char* env = use_env ? std::getenv("TRTC_WEBHOOK_TOKEN") : nullptr) {
        token = env;
    }
    return true;
}

/// The options every credentialed subcommand takes for its key.
inline option_spec secret_key_file_option() {
    return {"secret-key-file", "FILE", "read the secret key from FILE (default: $TRTC_SECRET_KEY)"};
}

/// Whether --json was given: then every failure prints one JSON object on stdout instead of
/// its lines on stderr. Set by main() before any command runs.
inline bool& json_output() {
    static bool on = false;
    return on;
}

/// Writes `"violations": [{"field": ..., "message": ...}, ...]`.
inline void write_violations(trtc::json::writer& w, const std::vector<trtc::field_violation>& vs) {
    w.key("violations");
    w.begin_array();
    for (const trtc::field_violation& v : vs) {
        w.begin_object();
        w.key("field");
        w.string(v.field);
        w.key("message");
        w.string(v.message);
        w.end_object();
    }
    w.end_array();
}

/// The envelope every JSON failure starts with, in the service's shape.
inline void write_failure_envelope(trtc::json::writer& w, long long code, std::string_view info,
                                   std::string_view request_id, std::uint32_t random) {
    w.key("ErrorCode");
    w.integer(code);
    w.key("ErrorInfo");
    w.string(info);
    w.key("ActionStatus");
    w.string("FAIL");
    w.key("RequestId");
    w.string(request_id);
    w.key("random");
    w.unsigned_integer(random);
}

/// A library or service error as one JSON object: the service's envelope (ErrorCode -1 for a
/// failure that is not the service's), then `error`: category, code, action, cause, and for a
/// request that failed validation every violation; then, when `reconcile_command` is given
/// (after outcome unknown), `reconcile`: the command to run and how to read its answer.
inline std::string error_json(const trtc::error& e, std::string_view reconcile_command = {},
                              std::string_view reconcile_advice = {}) {
    std::string out;
    trtc::json::writer w(out);
    w.begin_object();
    const bool service = e.code.category() == trtc::service_category();
    write_failure_envelope(w, service ? e.code.value() : -1, e.message, e.request_id(), e.random);
    w.key("error");
    w.begin_object();
    w.key("category");
    w.string(e.code.category().name());
    w.key("code");
    w.integer(e.code.value());
    w.key("action");
    w.string(trtc::to_string(trtc::classify(e.code)));
    if (e.cause()) {
        w.key("cause");
        w.string(std::string(e.cause().category().name()) + " " +
                 std::to_string(e.cause().value()));
    }
    if (e.code == trtc::errc::invalid_request || !e.violations().empty())
        write_violations(w, e.violations());
    w.end_object();
    if (!reconcile_command.empty()) {
        w.key("reconcile");
        w.begin_object();
        w.key("command");
        w.string(reconcile_command);
        w.key("advice");
        w.string(reconcile_advice);
        w.end_object();
    }
    w.end_object();
    return out;
}

/// A usage error as one JSON object: the envelope (ErrorCode -1), then `error`: category
/// "usage", action "fatal" and the options at fault.
inline std::string usage_json(const usage_error& e) {
    std::string out;
    trtc::json::writer w(out);
    w.begin_object();
    write_failure_envelope(w, -1, e.reason, "", 0);
    w.key("error");
    w.begin_object();
    w.key("category");
    w.string("usage");
    w.key("action");
    w.string("fatal");
    write_violations(w, e.violations);
    w.end_object();
    w.end_object();
    return out;
}

/// Prints a usage error (one line, or with --json one JSON object on stdout) and returns
/// exit_code::usage.
inline int usage_failure(const std::string& command, const usage_error& e) {
    if (json_output())
        std::printf("%s\n", usage_json(e).c_str());
    else
        std::fprintf(stderr, "trtc-battle%s%s: %s\n", command.empty() ? "" : " ", command.c_str(),
                     e.reason.c_str());
    return usage;
}

/// The envelope of a success: ErrorCode 0, empty ErrorInfo, ActionStatus OK, the RequestId and
/// the `random` it was sent with.
inline void write_meta(trtc::json::writer& w, const trtc::response_meta& m) {
    w.key("ErrorCode");
    w.integer(0);
    w.key("ErrorInfo");
    w.string("");
    w.key("ActionStatus");
    w.string("OK");
    w.key("RequestId");
    w.string(m.request_id);
    w.key("random");
    w.unsigned_integer(m.random);
}

/// The exit code of a failed call of an endpoint that is `idempotent` or not. Outcome unknown
/// (5) only where it matters: a call that may have taken effect and is not idempotent. A read
/// (battle-info) that failed after its request may have arrived changed nothing: it exits 1,
/// whether the answer was cut, badly framed, or not JSON.
inline int exit_code_of(const trtc::error& e, bool idempotent) {
    const std::error_code c = e.code;
    if (c == trtc::errc::outcome_unknown) return idempotent ? failed : outcome_unknown;
    if (c == trtc::errc::invalid_request || c == trtc::errc::invalid_argument ||
        c == trtc::errc::invalid_url)
        return usage;
    if (c.category() == trtc::service_category()) return service_error;
    if (c.category() == trtc::transport_category()) {
        if (!trtc::may_have_taken_effect(c)) return not_delivered;
        return idempotent ? failed : outcome_unknown;
    }
    if (c.category() == trtc::decode_category())
        return idempotent || !trtc::may_have_taken_effect(c) ? failed : outcome_unknown;
    if (c == trtc::errc::rate_limited || c == trtc::errc::deadline_exceeded) return not_delivered;
    return failed;
}

/// Prints a failed call (with --json, one JSON object on stdout; else two lines on stderr,
/// server text made terminal-safe) and returns its exit code. After outcome unknown,
/// `reconcile_command` is what to run to learn whether it took effect, `advice` how to read it.
inline int print_call_failure(const std::string& command, const trtc::error& e, bool idempotent,
                              const std::string& reconcile_command = {},
                              const std::string& advice = {}) {
    if (json_output())
        std::printf("%s\n", error_json(e, reconcile_command, advice).c_str());
    else if (!reconcile_command.empty())
        std::fprintf(stderr,
                     "trtc-battle %s: %s\n  what to do: it may have reached the service; "
                     "before trying again, run\n    %s\n  and read its answer: %s.\n",
                     command.c_str(), terminal_safe(e.describe()).c_str(),
                     reconcile_command.c_str(), advice.c_str());
    else
        std::fprintf(stderr, "trtc-battle %s: %s\n  what to do: %s\n", command.c_str(),
                     terminal_safe(e.describe()).c_str(),
                     std::string(trtc::to_string(trtc::classify(e.code))).c_str());
    return exit_code_of(e, idempotent);
}

/// Removes from every text of `resp`, a decoded response of `Endpoint` that `client` received,
/// each piece of the UserSig it signed with and of the secret key a server may have echoed
/// (trtc::redact_secrets: runs of 24 characters or more), before anything of it is printed.
/// (Its errors and events the library scrubs itself.)
template <class Endpoint, class Client>
void redact_response(typename Endpoint::response& resp, Client& client) {
    auto sig = client.usersig_source().usersig(trtc::unix_now(), false);
    const std::string s = sig ? std::move(*sig) : std::string();
    const std::string& key = client.config().creds.secret_key;
    trtc::for_each_text<Endpoint>(resp, [&](std::string& text) {
        trtc::redact_secrets(text, {s, key});
    });
}

/// Prints a validation failure: one line, then one line per violation (with --json, one JSON
/// object with every violation on stdout); exit code 2.
inline int print_invalid(const std::string& command, const trtc::error& e) {
    if (json_output()) {
        std::printf("%s\n", error_json(e).c_str());
        return usage;
    }
    std::fprintf(stderr, "trtc-battle %s: %s\n", command.c_str(), terminal_safe(e.message).c_str());
    for (const trtc::field_violation& v : e.violations())
        std::fprintf(stderr, "  %s: %s\n", terminal_safe(v.field).c_str(),
                     terminal_safe(v.message).c_str());
    return usage;
}

/// The subcommands, defined in the cmd_*.cpp files.
const std::vector<command>& usersig_commands();
const std::vector<command>& demo_commands();
const std::vector<command>& prepare_commands();
const std::vector<command>& call_commands();
const std::vector<command>& serve_commands();
const std::vector<command>& load_commands();
const std::vector<command>& webhook_commands();

} // namespace cli

#endif // TRTC_CLI_CLI_HPP
