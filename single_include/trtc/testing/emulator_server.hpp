// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
//
// GENERATED FILE - DO NOT EDIT. It is trtc/testing/emulator_server.hpp assembled from include/ by
// tools/amalgamate.py; edit the files in include/ and run that script.
/// @file
/// @brief trtc::testing::emulator_server: a trtc::testing::emulator served over loopback
/// HTTP/1.1 (keep-alive), for end-to-end tests with a real transport, delivering the
/// emulator's webhooks from a thread of its own.
#ifndef TRTC_TESTING_EMULATOR_SERVER_HPP
#define TRTC_TESTING_EMULATOR_SERVER_HPP

#include "../trtc.hpp"
#include "emulator.hpp"
#include "http_server.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

TRTC_BEGIN_NAMESPACE
namespace detail {

/// Delivers an emulator's webhooks (emulator::take_webhooks()) from one thread, in order,
/// with the built-in HTTP/1.1 transport: a timeout and retries of emulator_options; a failure
/// is logged (emulator_options::webhook_log, else standard error), never fatal. The REST side
/// only queues them, under the emulator's lock, and never waits for a receiver.
class emulator_webhook_sender {
  public:
    explicit emulator_webhook_sender(std::shared_ptr<testing::emulator> emu)
        : emu_(std::move(emu)), thread_([this] { run(); }) {}
    emulator_webhook_sender(const emulator_webhook_sender&) = delete;
    emulator_webhook_sender& operator=(const emulator_webhook_sender&) = delete;
    ~emulator_webhook_sender() { stop(); }

    /// Stops after the attempt in flight; webhooks not sent yet are dropped. Idempotent.
    void stop() noexcept {
        stopping_.store(true);
        if (thread_.joinable()) thread_.join();
    }

    std::size_t delivered() const noexcept { return delivered_.load(); }
    std::size_t failed() const noexcept { return failed_.load(); }

  private:
    void log(const std::string& line) {
        const auto& sink = emu_->options().webhook_log;
        if (sink)
            sink(line);
        else
            std::fprintf(stderr, "%s\n", line.c_str());
    }

    void deliver(const testing::webhook_delivery& d) {
        const testing::emulator_options& o = emu_->options();
        const int attempts = 1 + (o.webhook_retries > 0 ? o.webhook_retries : 0);
        http_request req;
        req.url = d.url;
        req.body = d.body;
        for (int i = 1; i <= attempts && !stopping_.load(); ++i) {
            auto r = transport_.send(req, std::chrono::steady_clock::now() + o.webhook_timeout);
            std::string why;
            if (!r) {
                why = r.error().describe();
            } else if (r->status != 200) {
                why = "HTTP status " + std::to_string(r->status);
            } else {
                json::document doc;
                json::parse_error perr;
                if (json::parse(r->body, doc, perr)) {
                    delivered_.fetch_add(1);
                    return;
                }
                why = "the answer is not JSON";
            }
            log("trtc emulator: webhook " + d.command + " of battle " + d.battle_id + " to " +
                http_request::redact_query_value(d.url, "Sign") + ": " + why + " (attempt " +
                std::to_string(i) + " of " + std::to_string(attempts) + ")");
        }
        failed_.fetch_add(1);
    }

    void run() {
        while (!stopping_.load()) {
            std::vector<testing::webhook_delivery> due = emu_->take_webhooks();
            for (const testing::webhook_delivery& d : due) {
                if (stopping_.load()) return;
                deliver(d);
            }
            if (due.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
    }

    std::shared_ptr<testing::emulator> emu_;
    http1_transport transport_;
    std::atomic<bool> stopping_{false};
    std::atomic<std::size_t> delivered_{0}, failed_{0};
    std::thread thread_; // last: started once the rest is built
};

} // namespace detail

namespace testing {

/// An emulator behind a loopback HTTP/1.1 server on 127.0.0.1: point a client at base_url().
/// Connections are kept alive. The emulator's faults become what a network shows: a truncated
/// body (full Content-Length, half the body, then close), a closed connection without answer,
/// and delays (an answer written late; stop() cuts them short). The emulator's webhooks
/// (emulator::take_webhooks()) are POSTed to the configured URL from a thread of the server's,
/// in order, with emulator_options::webhook_timeout and webhook_retries (http:// URLs only:
/// the built-in transport). Movable; stop() (also run by the destructor) joins every thread.
class emulator_server {
  public:
    /// Serves `emu` on 127.0.0.1:`port` (0: a free ephemeral port).
    /// @return the running server, or an error (errc::invalid_argument for a null emulator,
    /// transport_errc::local_failure when the port cannot be bound).
    static result<emulator_server> create(std::shared_ptr<emulator> emu, std::uint16_t port = 0) {
        if (!emu) return error{errc::invalid_argument, "emulator_server needs an emulator"};
        http_server_options o;
        o.address = "127.0.0.1";
        o.port = port;
        // The emulator answers an oversized body with 60003 itself; let the server pass it.
        o.max_request_body = 4u << 20;
        std::shared_ptr<emulator> e = emu;
        auto server = http_server::create(
            [e](const server_request& req) {
                emulator_reply r = e->handle(req.method, req.target, req.body);
                server_reply out;
                out.status = r.response.status;
                out.body = std::move(r.response.body);
                out.content_type = std::string(r.content_type);
                out.delay = r.delay;
                if (r.fault == fault_kind::truncated_body)
                    out.action = server_reply::kind::truncated_body;
                else if (r.fault == fault_kind::close_without_answer)
                    out.action = server_reply::kind::close_without_answer;
                return out;
            },
            std::move(o));
        if (!server) return std::move(server).error();
        auto sender = std::make_unique<detail::emulator_webhook_sender>(emu);
        return emulator_server(std::move(emu), std::move(*server), std::move(sender));
    }

    emulator_server(emulator_server&&) noexcept = default;
    emulator_server& operator=(emulator_server&&) noexcept = default;

    /// The port listened on.
    std::uint16_t port() const noexcept { return server_.port(); }
    /// `http://127.0.0.1:PORT`: the base URL to give trtc::location::parse().
    std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port()); }
    /// The emulator served.
    const std::shared_ptr<emulator>& target() const noexcept { return emu_; }
    /// The underlying server (for its connection statistics).
    const http_server& server() const noexcept { return server_; }
    /// Webhooks delivered (a receiver answered HTTP 200 with JSON) and given up on.
    std::size_t webhooks_delivered() const noexcept { return sender_ ? sender_->delivered() : 0; }
    std::size_t webhooks_failed() const noexcept { return sender_ ? sender_->failed() : 0; }
    /// Closes the listener and every connection, stops delivering webhooks and joins every
    /// thread. Idempotent.
    void stop() noexcept {
        server_.stop();
        if (sender_) sender_->stop();
    }

  private:
    emulator_server(std::shared_ptr<emulator> emu, http_server server,
                    std::unique_ptr<detail::emulator_webhook_sender> sender)
        : emu_(std::move(emu)), server_(std::move(server)), sender_(std::move(sender)) {}

    std::shared_ptr<emulator> emu_;
    http_server server_;
    std::unique_ptr<detail::emulator_webhook_sender> sender_;
};

} // namespace testing
TRTC_END_NAMESPACE

#endif // TRTC_TESTING_EMULATOR_SERVER_HPP
