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
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

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
};

/// One option a subcommand accepts.
struct option_spec {
    std::string name;  ///< without the leading "--"
    std::string value; ///< the value's placeholder ("N", "ID"); empty for a flag
    std::string help;
    bool repeatable = false;
};

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

/// Thrown-free usage failure: a one-line reason.
struct usage_error {
    std::string reason;
};

/// A subcommand: its name, synopsis, options and body.
struct command {
    std::string name;
    std::string synopsis;
    std::string summary;
    std::vector<option_spec> options;
    int (*run)(const args&);

    void print_help(std::FILE* out) const {
        std::fprintf(out, "usage: trtc-battle %s %s\n\n%s\n\noptions:\n", name.c_str(),
                     synopsis.c_str(), summary.c_str());
        for (const option_spec& o : options) {
            std::string left = "  --" + o.name + (o.value.empty() ? "" : " " + o.value);
            std::fprintf(out, "%-30s %s\n", left.c_str(), o.help.c_str());
        }
        std::fprintf(out, "  %-28s %s\n", "--help", "show this help");
    }

    /// Parses argv (after the subcommand name). Returns false with `err` set on bad usage.
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
                return false;
            }
            if (spec->value.empty()) {
                if (inline_value) {
                    err.reason = "--" + name + " takes no value";
                    return false;
                }
            } else if (!inline_value) {
                if (i + 1 >= argc) {
                    err.reason = "--" + name + " needs a value (" + spec->value + ")";
                    return false;
                }
                value = argv[++i];
            }
            if (!spec->repeatable && out.values_.count(name)) {
                err.reason = "--" + name + " given more than once";
                return false;
            }
            out.values_[name].push_back(value);
        }
        return true;
    }
};

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
    if (!digits || errno == ERANGE || v < lo || v > hi) {
        err.reason = "--" + name + " must be an integer between " + std::to_string(lo) + " and " +
                     std::to_string(hi) + ", not '" + text + "'";
        return false;
    }
    out = v;
    return true;
}

/// Reads the secret key: from --secret-key-file F if given, else from $TRTC_SECRET_KEY. Never
/// from an argument: arguments are visible to every user of the machine.
inline bool load_secret_key(const args& a, std::string& key, usage_error& err) {
    if (a.has("secret-key-file")) {
        std::ifstream in(a.get("secret-key-file"), std::ios::binary);
        if (!in) {
            err.reason = "cannot read --secret-key-file " + a.get("secret-key-file");
            return false;
        }
        std::ostringstream s;
        s << in.rdbuf();
        key = s.str();
        while (!key.empty() && (key.back() == '\n' || key.back() == '\r' || key.back() == ' '))
            key.pop_back();
    } else if (const char* env = std::getenv("TRTC_SECRET_KEY")) {
        key = env;
    }
    if (key.empty()) {
        err.reason = "no secret key: set TRTC_SECRET_KEY or pass --secret-key-file FILE";
        return false;
    }
    return true;
}

/// The options every credentialed subcommand takes for its key.
inline option_spec secret_key_file_option() {
    return {"secret-key-file", "FILE", "read the secret key from FILE (default: $TRTC_SECRET_KEY)"};
}

/// Prints a usage error (one line) and returns exit_code::usage.
inline int usage_failure(const std::string& command, const usage_error& e) {
    std::fprintf(stderr, "trtc-battle %s: %s\n", command.c_str(), e.reason.c_str());
    return usage;
}

/// Writes `s` as a JSON string literal.
inline std::string json_quote(std::string_view s) {
    std::string out;
    trtc::json::writer w(out);
    w.string(s);
    return out;
}

/// The subcommands, defined in the cmd_*.cpp files.
const std::vector<command>& usersig_commands();
const std::vector<command>& demo_commands();
const std::vector<command>& prepare_commands();
const std::vector<command>& call_commands();
const std::vector<command>& serve_commands();

} // namespace cli

#endif // TRTC_CLI_CLI_HPP
