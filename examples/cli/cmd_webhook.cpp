// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
// trtc-battle webhook-listen: receive and verify battle webhooks on 127.0.0.1;
// trtc-battle webhook set | update | get | delete | set-token | get-token | delete-token: the
// webhook configuration APIs of v4/live_config. The token is read from a file or
// $TRTC_WEBHOOK_TOKEN, never from an argument, and never printed.
#include "requests.hpp"

#include <trtc/testing/http_server.hpp>

#include <csignal>
#include <cstdio>
#include <string>
#include <variant>
#include <vector>

#include <pthread.h>
#include <signal.h>

namespace cli {
namespace {

// ---- webhook-listen ------------------------------------------------------------------------

void write_webhook_room(trtc::json::writer& w, const trtc::webhook_room& r) {
    w.begin_object();
    w.key("RoomId");
    w.string(r.room_id);
    if (r.score) {
        w.key("Score");
        w.integer(*r.score);
    }
    w.key("Owner_Account");
    w.string(r.owner_account); // always a string, the exact text of a number
    w.end_object();
}

void write_webhook_rooms(trtc::json::writer& w, const trtc::webhook_room& from,
                         const std::vector<trtc::webhook_room>& to) {
    w.key("FromRoomInfo");
    write_webhook_room(w, from);
    w.key("ToRoomList");
    w.begin_array();
    for (const auto& r : to) write_webhook_room(w, r);
    w.end_array();
}

/// The event's body fields under their documented names, Owner_Account always a string.
std::string webhook_event_json(const trtc::battle_webhook& ev) {
    std::string out;
    trtc::json::writer w(out);
    w.begin_object();
    w.key("CallbackCommand");
    w.string(ev.command());
    w.key("BattleId");
    w.string(ev.battle_id());
    if (const auto* c = std::get_if<trtc::battle_created>(&ev.event)) {
        w.key("Operator_Account");
        w.string(c->operator_account);
        w.key("FromRoomId");
        w.string(c->from_room_id);
        w.key("ToRoomIdList");
        w.begin_array();
        for (const auto& r : c->to_room_ids) w.string(r);
        w.end_array();
        w.key("Timeout");
        w.integer(c->timeout.count());
        w.key("Duration");
        w.integer(c->duration.count());
        w.key("NeedResponse");
        w.boolean(c->need_response);
        w.key("ExtensionInfo");
        w.string(c->extension_info);
        w.key("EventTime");
        w.integer(c->event_time.time_since_epoch().count());
    } else if (const auto* s = std::get_if<trtc::battle_started>(&ev.event)) {
        w.key("Duration");
        w.integer(s->duration.count());
        w.key("CreateTime");
        w.integer(trtc::to_unix_seconds(s->create_time));
        w.key("StartTime");
        w.integer(trtc::to_unix_seconds(s->start_time));
        write_webhook_rooms(w, s->from_room, s->to_rooms);
        w.key("EventTime");
        w.integer(s->event_time.time_since_epoch().count());
    } else if (const auto* e = std::get_if<trtc::battle_ended>(&ev.event)) {
        w.key("Duration");
        w.integer(e->duration.count());
        w.key("CreateTime");
        w.integer(trtc::to_unix_seconds(e->create_time));
        w.key("StartTime");
        w.integer(trtc::to_unix_seconds(e->start_time));
        w.key("EndTime");
        w.integer(trtc::to_unix_seconds(e->end_time));
        w.key("OpType");
        w.integer(e->op_type);
        write_webhook_rooms(w, e->from_room, e->to_rooms);
        w.key("EventTime");
        w.integer(e->event_time.time_since_epoch().count());
    }
    w.end_object();
    return out;
}

std::string webhook_failure_reply(const std::string& info) {
    std::string out;
    trtc::json::writer w(out);
    w.begin_object();
    w.key("ActionStatus");
    w.string("FAIL");
    w.key("ErrorInfo");
    w.string(info);
    w.key("ErrorCode");
    w.integer(1);
    w.end_object();
    return out;
}

int cmd_webhook_listen(const args& a) {
    usage_error err;
    long long port = 0, app = 0;
    if (!parse_int("port", a.get("port"), 0, 65535, port, err) ||
        !parse_int("sdkappid", a.get("sdkappid"), 1, 4294967295LL, app, err))
        return usage_failure("webhook-listen", err);
    trtc::webhook_options o;
    o.sdkappid = static_cast<std::uint32_t>(app);
    if (!load_webhook_token(a, "token-file", false, o.token, err))
        return usage_failure("webhook-listen", err);
    const trtc::webhook_receiver receiver(o);
    trtc::detail::secure_wipe(o.token.empty() ? nullptr : &o.token[0], o.token.size());
    trtc::webhook_replay_guard guard;
    trtc::detail::mutex out_mutex;

    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

    trtc::testing::http_server_options so;
    so.address = "127.0.0.1";
    so.port = static_cast<std::uint16_t>(port);
    auto server = trtc::testing::http_server::create(
        [&](const trtc::testing::server_request& req) {
            trtc::testing::server_reply reply;
            auto ev = receiver.receive(req.method, req.target, req.body);
            trtc::detail::lock_guard lock(out_mutex);
            if (!ev) {
                reply.status = trtc::webhook_rejection_status(ev.error().code);
                reply.body = webhook_failure_reply(ev.error().message);
                std::fprintf(stderr, "webhook-listen: rejected with HTTP %d: %s\n", reply.status,
                             terminal_safe(ev.error().describe()).c_str());
                std::fflush(stderr);
                return reply;
            }
            reply.body = std::string(trtc::webhook_ok_reply);
            if (!guard.first_time(*ev)) {
                std::fprintf(stderr,
                             "webhook-listen: replay of %s for battle %s: answered OK, not "
                             "printed again\n",
                             std::string(ev->command()).c_str(),
                             terminal_safe(json_quote(ev->battle_id())).c_str());
                std::fflush(stderr);
                return reply;
            }
            std::printf("%s\n", webhook_event_json(*ev).c_str());
            std::fflush(stdout);
            return reply;
        },
        so);
    if (!server) {
        std::fprintf(stderr, "trtc-battle webhook-listen: %s\n", server.error().describe().c_str());
        return failed;
    }
    std::printf("LISTENING http://127.0.0.1:%u\n", static_cast<unsigned>(server->port()));
    std::fflush(stdout);
    int sig = 0;
    sigwait(&stop_signals, &sig);
    server->stop();
    return ok;
}

// ---- webhook set | update | get | delete | set-token | get-token | delete-token -----------

/// Prints a success: `fields` writes the members of Response (--json), `human` prints lines.
template <class Response, class Fields, class Human>
void print_config_success(const args& a, const Response& r, Fields fields, Human human) {
    if (a.has("json")) {
        std::string out;
        trtc::json::writer w(out);
        w.begin_object();
        write_meta(w, r);
        w.key("Response");
        w.begin_object();
        fields(w);
        w.end_object();
        w.end_object();
        std::printf("%s\n", out.c_str());
    } else {
        human();
        std::printf("RequestId %s, random %u\n", terminal_safe(r.request_id).c_str(), r.random);
    }
}

template <class Policies, class Request, class Print>
int run_config_call(const char* command, const Request& req, trtc::client_config cfg,
                    typename Policies::transport transport, Print print) {
    auto client = trtc::basic_client<Policies>::create(std::move(cfg), std::move(transport));
    if (!client) return usage_failure(command, {client.error().message});
    auto r = client->call(req);
    if (!r) {
        const trtc::error& e = r.error();
        if (e.code == trtc::errc::invalid_request) return print_invalid(command, e);
        return print_call_failure(command, e, Request::endpoint::idempotent);
    }
    redact_response<typename Request::endpoint>(*r, *client);
    print(*r);
    return ok;
}

template <class Request, class Print>
int config_call(const char* command, const args& a, const Request& req, Print print) {
    usage_error err;
    service_args svc;
    if (!parse_service(a, svc, err)) return usage_failure(command, err);
    if (auto valid = trtc::validate(req); !valid) return print_invalid(command, valid.error());
    trtc::client_config cfg;
    if (!load_client_config(a, svc, cfg, err)) return usage_failure(command, err);
    return with_transport(command, a, svc, [&](auto tag, auto transport) {
        return run_config_call<typename decltype(tag)::type>(command, req, std::move(cfg),
                                                             std::move(transport), print);
    });
}

std::vector<std::string> webhook_commands_of(const args& a) {
    std::vector<std::string> out;
    for (const std::string& c : a.all("command")) out.push_back(c);
    if (out.empty())
        for (std::string_view k : trtc::known_callback_commands) out.emplace_back(k);
    return out;
}

template <class Request>
int webhook_set_or_update(const char* command, const args& a) {
    Request req;
    req.url = a.get("url");
    req.commands = webhook_commands_of(a);
    return config_call(command, a, req, [&](const auto& r) {
        print_config_success(
            a, r, [](trtc::json::writer&) {},
            [&] { std::printf("webhooks go to %s\n", req.url.c_str()); });
    });
}

int cmd_webhook_set(const args& a) {
    return webhook_set_or_update<trtc::set_callback::request>("webhook set", a);
}
int cmd_webhook_update(const args& a) {
    return webhook_set_or_update<trtc::update_callback::request>("webhook update", a);
}

int cmd_webhook_get(const args& a) {
    return config_call("webhook get", a, trtc::get_callback::request{}, [&](const auto& r) {
        print_config_success(
            a, r,
            [&](trtc::json::writer& w) {
                trtc::field_writer out(w);
                auto fields = r;
                trtc::get_callback::read_fields(out, fields);
            },
            [&] {
                std::printf("webhooks go to %s\n", terminal_safe(r.url).c_str());
                for (const auto& c : r.commands) std::printf("  %s\n", terminal_safe(c).c_str());
            });
    });
}

int cmd_webhook_delete(const args& a) {
    return config_call("webhook delete", a, trtc::delete_callback::request{}, [&](const auto& r) {
        print_config_success(
            a, r, [](trtc::json::writer&) {},
            [] { std::printf("webhook configuration deleted\n"); });
    });
}

int cmd_webhook_set_token(const args& a) {
    usage_error err;
    trtc::set_callback_token::request req;
    std::string token;
    if (!load_webhook_token(a, "token-file", true, token, err))
        return usage_failure("webhook set-token", err);
    if (!token.empty()) req.token = std::move(token);
    if (a.has("enable")) req.enabled = true;
    if (a.has("disable")) req.enabled = false;
    if (!req.token && !req.enabled) {
        err.reason = "give a token (--token-file F or $TRTC_WEBHOOK_TOKEN), --enable or --disable";
        return usage_failure("webhook set-token", err);
    }
    const std::string what =
        req.token ? (req.enabled ? (*req.enabled ? "set and enabled" : "set and disabled") : "set")
                  : (*req.enabled ? "enabled" : "disabled");
    const int rc = config_call("webhook set-token", a, req, [&](const auto& r) {
        print_config_success(
            a, r, [](trtc::json::writer&) {},
            [&] { std::printf("webhook token %s\n", what.c_str()); });
    });
    if (req.token) trtc::detail::secure_wipe(&(*req.token)[0], req.token->size());
    return rc;
}

int cmd_webhook_get_token(const args& a) {
    usage_error err;
    std::string mine;
    if (!load_webhook_token(a, "token-file", true, mine, err))
        return usage_failure("webhook get-token", err);
    const int rc =
        config_call("webhook get-token", a, trtc::get_callback_token::request{}, [&](auto& r) {
            // The token is a secret: shown only as its length, and whether it is the one given.
            std::size_t chars = 0;
            for (unsigned char c : r.token)
                if ((c & 0xC0) != 0x80) ++chars;
            const bool compare = !mine.empty();
            const bool same = compare && trtc::detail::constant_time_equal(mine, r.token);
            print_config_success(
                a, r,
                [&](trtc::json::writer& w) {
                    w.key("IsTokenEnable");
                    w.boolean(r.enabled);
                    w.key("TokenLength");
                    w.unsigned_integer(chars);
                    if (compare) {
                        w.key("TokenMatches");
                        w.boolean(same);
                    }
                },
                [&] {
                    std::printf("webhook token of %zu characters, %s%s\n", chars,
                                r.enabled ? "enabled" : "disabled",
                                !compare ? ""
                                : same   ? ", the same as yours"
                                         : ", NOT yours");
                });
            if (!r.token.empty()) trtc::detail::secure_wipe(&r.token[0], r.token.size());
        });
    if (!mine.empty()) trtc::detail::secure_wipe(&mine[0], mine.size());
    return rc;
}

int cmd_webhook_delete_token(const args& a) {
    return config_call("webhook delete-token", a, trtc::delete_callback_token::request{},
                       [&](const auto& r) {
                           print_config_success(
                               a, r, [](trtc::json::writer&) {},
                               [] { std::printf("webhook token configuration deleted\n"); });
                       });
}

std::vector<option_spec> webhook_options_with_service(std::vector<option_spec> extra) {
    std::vector<option_spec> o = service_options();
    for (auto& e : extra) o.push_back(std::move(e));
    o.push_back({"ca-file", "FILE", "CA bundle for HTTPS (default: the system store)"});
    o.push_back({"json", "", "print the decoded response as one JSON object"});
    return o;
}

option_spec webhook_token_file_option() {
    return {"token-file", "F", "read the webhook token from F (default: $TRTC_WEBHOOK_TOKEN)"};
}

} // namespace

const std::vector<command>& webhook_commands() {
    static const std::vector<command> cmds = {
        {"webhook-listen",
         "",
         "Receives battle webhooks on 127.0.0.1 and prints each verified one.\n"
         "Prints `LISTENING http://127.0.0.1:PORT` first (--port 0: a free port), then one\n"
         "JSON object per line for each accepted webhook: its body's documented fields,\n"
         "Owner_Account always a string. With --token-file, Sign and RequestTime (within 60 s)\n"
         "are checked. A bad or missing Sign, a stale RequestTime or another SdkAppid get 403,\n"
         "a malformed body 400, each with its reason on stderr; a replay gets 200 and a line on\n"
         "stderr, and is not printed again. Stops on SIGINT or SIGTERM.",
         {required_option({"port", "N", "the port, 0 to 65535 (0: a free one)"}),
          required_option({"sdkappid", "N", "the application's SDKAppID"}),
          {"token-file", "F", "verify Sign with the webhook token in F"}},
         &cmd_webhook_listen},
        {"webhook set", "",
         "Configures where webhooks go (set_callback; 100300 when configured: use update).",
         webhook_options_with_service(
             {required_option({"url", "URL", "the receiver's http:// or https:// URL"}),
              {"command", "CMD", "a webhook to enable (repeatable; default: all three)", true}}),
         &cmd_webhook_set},
        {"webhook update", "", "Replaces the webhook configuration (update_callback).",
         webhook_options_with_service(
             {required_option({"url", "URL", "the receiver's http:// or https:// URL"}),
              {"command", "CMD", "a webhook to enable (repeatable; default: all three)", true}}),
         &cmd_webhook_update},
        {"webhook get", "", "Shows the webhook configuration (get_callback).",
         webhook_options_with_service({}), &cmd_webhook_get},
        {"webhook delete", "", "Deletes the webhook configuration (delete_callback).",
         webhook_options_with_service({}), &cmd_webhook_delete},
        {"webhook set-token", "",
         "Sets the webhook token and whether webhooks are signed (set_callback_token).\n"
         "The token comes from --token-file or $TRTC_WEBHOOK_TOKEN, never an argument.",
         webhook_options_with_service(
             {webhook_token_file_option(),
              alternative("switch", {"enable", "", "sign webhooks with the token"}),
              alternative("switch", {"disable", "", "stop signing webhooks"})}),
         &cmd_webhook_set_token},
        {"webhook get-token", "",
         "Shows whether a webhook token is set and enabled (get_callback_token).\n"
         "Never prints the token: only its length, and with --token-file or\n"
         "$TRTC_WEBHOOK_TOKEN whether it is that one.",
         webhook_options_with_service({webhook_token_file_option()}), &cmd_webhook_get_token},
        {"webhook delete-token", "", "Deletes the webhook token (delete_callback_token).",
         webhook_options_with_service({}), &cmd_webhook_delete_token},
    };
    return cmds;
}

} // namespace cli
