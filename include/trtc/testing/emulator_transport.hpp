// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief trtc::testing::emulator_transport: a transport policy that hands requests to an
/// in-process trtc::testing::emulator. No sockets, any URL scheme.
#ifndef TRTC_TESTING_EMULATOR_TRANSPORT_HPP
#define TRTC_TESTING_EMULATOR_TRANSPORT_HPP

#include "../config.hpp"
#include "../errors.hpp"
#include "../http.hpp"
#include "../result.hpp"
#include "emulator.hpp"

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <thread>
#include <utility>

TRTC_BEGIN_NAMESPACE
namespace testing {

/// The transport policy of basic_client for unit tests: `send()` calls emulator::handle()
/// directly. The host and scheme of the URL are ignored (https:// and the region domains work),
/// only its path and query matter.
///
/// Delivery of the emulator's faults, as a network would show them:
/// - the deadline already passed before sending: transport_errc::connect_timeout, and the
///   emulator never sees the request;
/// - truncated body, connection closed without answer: transport_errc::connection_closed;
/// - a slow answer whose delay goes past the deadline: sleeps until the deadline, then
///   transport_errc::timeout_after_send (the emulator has processed the request);
/// - otherwise: sleeps for the delay, if any, and returns the response (any status).
///
/// Copies share the emulator and the counter. Thread-safe.
class emulator_transport {
  public:
    /// A transport with no emulator: every send() fails with transport_errc::local_failure.
    emulator_transport() : sent_(std::make_shared<std::atomic<std::size_t>>(0)) {}
    /// A transport sharing ownership of `emu`.
    explicit emulator_transport(std::shared_ptr<emulator> emu)
        : emu_(std::move(emu)), sent_(std::make_shared<std::atomic<std::size_t>>(0)) {}
    /// A transport using `emu`, which must outlive it (and its copies).
    explicit emulator_transport(emulator& emu)
        : emu_(std::shared_ptr<emulator>(), &emu),
          sent_(std::make_shared<std::atomic<std::size_t>>(0)) {}

    /// The transport policy contract: hands `req` to the emulator and delivers its reply by
    /// `deadline` (see the class comment).
    result<http_response> send(const http_request& req,
                               std::chrono::steady_clock::time_point deadline) {
        using clock = std::chrono::steady_clock;
        if (!emu_)
            return error{transport_errc::local_failure, "emulator_transport has no emulator"};
        std::string target;
        if (!detail::emulator_url_target(req.url, target))
            return error{transport_errc::invalid_url, "the URL has no scheme://"};
        if (clock::now() >= deadline)
            return error{transport_errc::connect_timeout,
                         "emulator: the deadline passed before sending"};
        sent_->fetch_add(1, std::memory_order_relaxed);
        emulator_reply reply = emu_->handle(req.method, target, req.body);
        if (reply.delay.count() > 0) {
            const auto at = clock::now() + reply.delay;
            if (at > deadline) {
                std::this_thread::sleep_until(deadline);
                return error{transport_errc::timeout_after_send,
                             "emulator: the deadline passed before the (slow) answer"};
            }
            std::this_thread::sleep_until(at);
        }
        switch (reply.fault) {
        case fault_kind::truncated_body:
            return error{transport_errc::connection_closed,
                         "emulator: the connection closed in the middle of the answer's body"};
        case fault_kind::close_without_answer:
            return error{transport_errc::connection_closed,
                         "emulator: the connection closed without an answer"};
        case fault_kind::none: // the others are in the reply itself
        case fault_kind::http_status:
        case fault_kind::service_error:
        case fault_kind::garbage_body:
        case fault_kind::slow_answer:
            break;
        }
        return std::move(reply.response);
    }

    /// The emulator (null for a default-constructed transport).
    const std::shared_ptr<emulator>& target() const noexcept { return emu_; }
    /// Requests handed to the emulator through this transport and its copies.
    std::size_t requests_sent() const noexcept { return sent_->load(std::memory_order_relaxed); }

  private:
    std::shared_ptr<emulator> emu_;
    std::shared_ptr<std::atomic<std::size_t>> sent_;
};

} // namespace testing
TRTC_END_NAMESPACE

#endif // TRTC_TESTING_EMULATOR_TRANSPORT_HPP
