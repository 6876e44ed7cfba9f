// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
//
// GENERATED FILE - DO NOT EDIT. It is trtc/testing/emulator_server.hpp assembled from include/ by
// tools/amalgamate.py; edit the files in include/ and run that script.
/// @file
/// @brief trtc::testing::emulator_server: a trtc::testing::emulator served over loopback
/// HTTP/1.1 (keep-alive), for end-to-end tests with a real transport.
#ifndef TRTC_TESTING_EMULATOR_SERVER_HPP
#define TRTC_TESTING_EMULATOR_SERVER_HPP

#include "../trtc.hpp"
#include "emulator.hpp"
#include "http_server.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <utility>

TRTC_BEGIN_NAMESPACE
namespace testing {

/// An emulator behind a loopback HTTP/1.1 server on 127.0.0.1: point a client at base_url().
/// Connections are kept alive. The emulator's faults become what a network shows: a truncated
/// body (full Content-Length, half the body, then close), a closed connection without answer,
/// and delays (an answer written late; stop() cuts them short). Movable; stop() (also run by
/// the destructor) joins every thread.
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
        return emulator_server(std::move(emu), std::move(*server));
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
    /// Closes the listener and every connection and joins every thread. Idempotent.
    void stop() noexcept { server_.stop(); }

  private:
    emulator_server(std::shared_ptr<emulator> emu, http_server server)
        : emu_(std::move(emu)), server_(std::move(server)) {}

    std::shared_ptr<emulator> emu_;
    http_server server_;
};

} // namespace testing
TRTC_END_NAMESPACE

#endif // TRTC_TESTING_EMULATOR_SERVER_HPP
