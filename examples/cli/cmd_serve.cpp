// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
// trtc-battle serve: the emulator of the battle service on 127.0.0.1.
#include "cli.hpp"

#include <trtc/testing/emulator_server.hpp>

#include <csignal>
#include <cstdio>
#include <memory>
#include <string>

#include <pthread.h>
#include <signal.h>

namespace cli {
namespace {

/// Parses `N:KIND[=ARG]`: N the request number (1-based); KIND http=STATUS, error=CODE,
/// garbage, truncated, slow=MS, close.
bool parse_fault(const std::string& spec, std::size_t& number, trtc::testing::fault& f,
                 usage_error& err) {
    auto bad = [&](const std::string& why) {
        err.reason = "--fault '" + spec + "': " + why +
                     " (expected N:http=STATUS, N:error=CODE, N:garbage, N:truncated, "
                     "N:slow=MS or N:close)";
        return false;
    };
    std::size_t colon = spec.find(':');
    if (colon == std::string::npos) return bad("no request number");
    long long n = 0, arg = 0;
    usage_error sub;
    if (!parse_int("fault", spec.substr(0, colon), 1, 1000000000, n, sub))
        return bad("the request number must be a positive integer");
    number = static_cast<std::size_t>(n);
    std::string kind = spec.substr(colon + 1), value;
    std::size_t eq = kind.find('=');
    if (eq != std::string::npos) {
        value = kind.substr(eq + 1);
        kind = kind.substr(0, eq);
    }
    auto need = [&](long long lo, long long hi) {
        return !value.empty() && parse_int("fault", value, lo, hi, arg, sub);
    };
    if (kind == "http") {
        if (!need(100, 599)) return bad("http needs a status 100-599");
        f = trtc::testing::fault::http_status(static_cast<int>(arg));
    } else if (kind == "error") {
        if (!need(1, 2147483647)) return bad("error needs a positive code");
        f = trtc::testing::fault::service_error(static_cast<int>(arg));
    } else if (kind == "slow") {
        if (!need(1, 600000)) return bad("slow needs milliseconds");
        f = trtc::testing::fault::slow_answer(std::chrono::milliseconds(arg));
    } else if (!value.empty()) {
        return bad(kind + " takes no value");
    } else if (kind == "garbage") {
        f = trtc::testing::fault::garbage_body();
    } else if (kind == "truncated") {
        f = trtc::testing::fault::truncated_body();
    } else if (kind == "close") {
        f = trtc::testing::fault::close_without_answer();
    } else {
        return bad("unknown kind '" + kind + "'");
    }
    return true;
}

int cmd_serve(const args& a) {
    usage_error err;
    long long v = 0;
    trtc::testing::emulator_options o;
    if (!parse_int("sdkappid", a.get("sdkappid"), 1, 4294967295LL, v, err))
        return usage_failure("serve", err);
    o.sdkappid = static_cast<std::uint32_t>(v);
    for (const std::string& id : a.all("identifier")) o.admins.push_back(id);
    if (a.has("rate-limit")) {
        if (!parse_int("rate-limit", a.get("rate-limit"), 0, 1000000, v, err))
            return usage_failure("serve", err);
        o.rate_limit_per_second = static_cast<double>(v);
    }
    long long port = 0;
    if (a.has("port") && !parse_int("port", a.get("port"), 0, 65535, port, err))
        return usage_failure("serve", err);
    if (!load_secret_key(a, o.secret_key, err)) return usage_failure("serve", err);
    if (a.has("webhook-retries")) {
        if (!parse_int("webhook-retries", a.get("webhook-retries"), 0, 10, v, err))
            return usage_failure("serve", err);
        o.webhook_retries = static_cast<int>(v);
    }
    o.webhook_owner_account_as_number = a.has("webhook-owner-as-number");
    std::string webhook_token;
    if (a.has("webhook-token-file") && !a.has("webhook-url")) {
        bad_option(err, "webhook-token-file", "needs --webhook-url");
        return usage_failure("serve", err);
    }
    if (!load_webhook_token(a, "webhook-token-file", false, webhook_token, err))
        return usage_failure("serve", err);
    const std::string webhook_url = a.get("webhook-url");
    if (a.has("webhook-url") && webhook_url.rfind("http://", 0) != 0) {
        bad_option(err, "webhook-url",
                   "must start with http:// (the emulator sends webhooks over plain HTTP)");
        return usage_failure("serve", err);
    }
    auto emu = std::make_shared<trtc::testing::emulator>(o);
    for (const std::string& spec : a.all("room-owner")) {
        const std::size_t eq = spec.find('=');
        if (eq == std::string::npos || eq == 0) {
            bad_option(err, "room-owner", "'" + spec + "' is not ROOM=ACCOUNT");
            return usage_failure("serve", err);
        }
        emu->set_room_owner(spec.substr(0, eq), spec.substr(eq + 1));
    }
    if (a.has("webhook-url")) emu->configure_webhooks(webhook_url, {}, std::move(webhook_token));
    for (const std::string& spec : a.all("fault")) {
        std::size_t n = 0;
        trtc::testing::fault f;
        if (!parse_fault(spec, n, f, err)) return usage_failure("serve", err);
        emu->inject(n, f);
    }

    // Block SIGINT and SIGTERM in every thread (the server's inherit the mask), then wait for
    // them here: a clean stop instead of a kill mid-answer.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

    auto server = trtc::testing::emulator_server::create(emu, static_cast<std::uint16_t>(port));
    if (!server) {
        std::fprintf(stderr, "trtc-battle serve: %s\n",
                     terminal_safe(server.error().describe()).c_str());
        return failed;
    }
    std::printf("listening on %s\n", server->base_url().c_str());
    std::fflush(stdout);
    int sig = 0;
    sigwait(&stop_signals, &sig);
    server->stop();
    std::printf("stopped (%s) after %zu requests, %zu battles created\n",
                sig == SIGINT ? "SIGINT" : "SIGTERM", emu->requests_received(),
                emu->battles_created());
    return ok;
}

} // namespace

const std::vector<command>& serve_commands() {
    static const std::vector<command> cmds = {
        {"serve",
         "",
         "Runs the emulator of the battle service on 127.0.0.1.\n"
         "It checks requests as the service does (UserSig verified with $TRTC_SECRET_KEY or\n"
         "--secret-key-file), keeps battles in memory, and injects faults by request number:\n"
         "N:http=STATUS, N:error=CODE, N:garbage, N:truncated, N:slow=MS, N:close.\n"
         "With --webhook-url it delivers each battle's webhooks (Create and Start at\n"
         "creation, End when its Duration has passed), signed with --webhook-token-file's\n"
         "token; the configuration APIs of v4/live_config change that while it runs.\n"
         "Prints `listening on http://127.0.0.1:PORT` when ready; stops on SIGINT or SIGTERM.",
         {{"port", "N", "the port, 0 to 65535 (0 or absent: a free one)"},
          required_option({"sdkappid", "N", "the application's SDKAppID"}),
          required_option({"identifier", "ADMIN", "an App administrator (repeatable)", true}),
          {"rate-limit", "N", "calls per second per API (default 200; 0: none)"},
          {"fault", "SPEC", "inject a fault into request N (repeatable)", true},
          {"room-owner", "ROOM=ACCOUNT", "the Owner_Account of ROOM (repeatable)", true},
          {"webhook-url", "URL", "deliver the battle webhooks to URL (http://)"},
          {"webhook-token-file", "F", "sign the webhooks with the token in F"},
          {"webhook-retries", "N", "resend a failed webhook N more times (default 0)"},
          {"webhook-owner-as-number", "", "send a numeric Owner_Account as a JSON number"},
          secret_key_file_option()},
         &cmd_serve},
    };
    return cmds;
}

} // namespace cli
