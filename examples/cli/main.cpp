// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
// trtc-battle: the library's command-line tool. Each subcommand lives in a cmd_*.cpp file.
#include "cli.hpp"

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace {

std::vector<const cli::command*> all_commands() {
    std::vector<const cli::command*> out;
    for (const auto* group : {&cli::demo_commands(), &cli::call_commands(), &cli::load_commands(),
                              &cli::serve_commands(), &cli::webhook_commands(),
                              &cli::usersig_commands(), &cli::prepare_commands()})
        for (const cli::command& c : *group) out.push_back(&c);
    return out;
}

const cli::command* find_command(const std::string& name) {
    for (const cli::command* c : all_commands())
        if (c->name == name) return c;
    return nullptr;
}

/// The commands named "`word` SUB" (the prepare family), empty when `word` starts none.
std::vector<const cli::command*> family(const std::string& word) {
    std::vector<const cli::command*> out;
    for (const cli::command* c : all_commands())
        if (c->name.size() > word.size() && c->name.compare(0, word.size(), word) == 0 &&
            c->name[word.size()] == ' ')
            out.push_back(c);
    return out;
}

std::string first_line(const std::string& text) {
    return text.substr(0, text.find('\n'));
}

void print_overview(std::FILE* out) {
    std::fprintf(
        out,
        "trtc-battle %s: Tencent TRTC Live battle (PK) REST API from the command line\n\n"
        "usage: trtc-battle COMMAND [OPTIONS]   (trtc-battle COMMAND --help for details)\n\n"
        "commands:\n",
        TRTC_VERSION_STRING);
    for (const cli::command* c : all_commands())
        std::fprintf(out, "  %-22s %s\n", c->name.c_str(), first_line(c->summary).c_str());
    std::fprintf(out, "\nThe secret key is read from $TRTC_SECRET_KEY or --secret-key-file, "
                      "never from an argument.\n");
}

/// The help of a family of commands ("prepare"): its members and what each does.
void print_family_help(const std::string& word, const std::vector<const cli::command*>& members) {
    std::printf("usage: trtc-battle %s COMMAND [OPTIONS]   (trtc-battle %s COMMAND --help for "
                "details)\n\ncommands:\n",
                word.c_str(), word.c_str());
    for (const cli::command* c : members)
        std::printf("  %-22s %s\n", c->name.substr(word.size() + 1).c_str(),
                    first_line(c->summary).c_str());
}

/// The names of a family's members after the family's word: "a, b or c".
std::string member_list(const std::string& word, const std::vector<const cli::command*>& members) {
    std::string out;
    for (std::size_t i = 0; i < members.size(); ++i) {
        if (i > 0) out += i + 1 == members.size() ? " or " : ", ";
        out += members[i]->name.substr(word.size() + 1);
    }
    return out;
}

bool is_help(const char* arg) {
    return std::strcmp(arg, "--help") == 0 || std::strcmp(arg, "-h") == 0;
}

} // namespace

int main(int argc, char** argv) {
    // --json anywhere before "--": every failure is one JSON object on stdout.
    for (int i = 1; i < argc && std::strcmp(argv[i], "--") != 0; ++i)
        if (std::strcmp(argv[i], "--json") == 0) cli::json_output() = true;
    if (argc < 2) {
        print_overview(stderr);
        return cli::usage;
    }
    std::string name = argv[1];
    int first = 2; // the first argument after the command's name
    bool help = false;
    if (name == "--help" || name == "-h" || name == "help") {
        if (argc == 2) {
            print_overview(stdout);
            return cli::ok;
        }
        // "help COMMAND [SUB]": the command's help.
        name = argv[2];
        first = 3;
        help = true;
    }
    if (name == "--version") {
        std::printf("trtc-battle %s\n", TRTC_VERSION_STRING);
        return cli::ok;
    }
    // Two-word commands: "prepare create-battle".
    if (first < argc && argv[first][0] != '-' && find_command(name + " " + argv[first])) {
        name += std::string(" ") + argv[first];
        ++first;
    }
    for (int i = first; i < argc && !help; ++i) {
        if (std::strcmp(argv[i], "--") == 0) break;
        help = is_help(argv[i]);
    }
    if (const cli::command* c = find_command(name)) {
        if (help) {
            c->print_help(stdout);
            return cli::ok;
        }
        cli::args a;
        cli::usage_error err;
        if (!c->parse(argc - first, argv + first, a, err)) return cli::usage_failure(name, err);
        return c->run(a);
    }
    const std::vector<const cli::command*> members = family(name);
    if (!members.empty()) {
        if (help) {
            print_family_help(name, members);
            return cli::ok;
        }
        cli::usage_error err;
        if (first < argc && argv[first][0] != '-')
            err.reason = "unknown command '" + name + " " + argv[first] + "': use " +
                         member_list(name, members) + " (see trtc-battle " + name + " --help)";
        else
            err.reason = "needs a command: " + member_list(name, members) + " (see trtc-battle " +
                         name + " --help)";
        return cli::usage_failure(name, err);
    }
    cli::usage_error err;
    err.reason = "unknown command '" + name + "' (see trtc-battle --help)";
    return cli::usage_failure("", err);
}
