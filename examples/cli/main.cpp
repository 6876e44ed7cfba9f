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
    for (const auto* group : {&cli::demo_commands(), &cli::call_commands(), &cli::serve_commands(),
                              &cli::usersig_commands(), &cli::prepare_commands()})
        for (const cli::command& c : *group) out.push_back(&c);
    return out;
}

void print_overview(std::FILE* out) {
    std::fprintf(
        out,
        "trtc-battle %s: Tencent TRTC Live battle (PK) REST API from the command line\n\n"
        "usage: trtc-battle COMMAND [OPTIONS]   (trtc-battle COMMAND --help for details)\n\n"
        "commands:\n",
        TRTC_VERSION_STRING);
    for (const cli::command* c : all_commands()) {
        std::string first = c->summary.substr(0, c->summary.find('\n'));
        std::fprintf(out, "  %-22s %s\n", c->name.c_str(), first.c_str());
    }
    std::fprintf(out, "\nThe secret key is read from $TRTC_SECRET_KEY or --secret-key-file, "
                      "never from an argument.\n");
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        print_overview(stderr);
        return cli::usage;
    }
    std::string name = argv[1];
    int first = 2; // the first argument after the command's name
    // Two-word commands: "prepare create-battle".
    if (argc > 2 && argv[2][0] != '-') {
        std::string two = name + " " + argv[2];
        for (const cli::command* c : all_commands())
            if (c->name == two) {
                name = two;
                first = 3;
            }
    }
    if (name == "--help" || name == "-h" || name == "help") {
        print_overview(stdout);
        return cli::ok;
    }
    if (name == "--version") {
        std::printf("trtc-battle %s\n", TRTC_VERSION_STRING);
        return cli::ok;
    }
    for (const cli::command* c : all_commands()) {
        if (c->name != name) continue;
        for (int i = first; i < argc; ++i) {
            if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) {
                c->print_help(stdout);
                return cli::ok;
            }
            if (std::strcmp(argv[i], "--") == 0) break;
        }
        cli::args a;
        cli::usage_error err;
        if (!c->parse(argc - first, argv + first, a, err)) return cli::usage_failure(name, err);
        return c->run(a);
    }
    std::fprintf(stderr, "trtc-battle: unknown command '%s' (see trtc-battle --help)\n",
                 name.c_str());
    return cli::usage;
}
