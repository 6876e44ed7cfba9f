// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
//
// Driving the call engine from a loop of your own: three create_battle calls in flight at
// once, their rate-limit waits and backoffs kept in the loop's timer queue, their sends handed
// to a transport, all on one thread. The engine decides everything (which failure is retried,
// when, and when the outcome is unknown); the loop only carries requests and keeps time.
//
// Here the "network" is the in-process emulator, which answers each send at once, and the
// emulator is told to refuse the first create with 100001 ("internal error, retry") and to
// rate-limit nothing, while the client allows 2 calls per second: one call backs off, one
// waits for a rate-limit slot. In a real program `send` starts a non-blocking request
// (libcurl multi, your socket layer) and the loop feeds its answer back when it arrives.
#include <trtc/testing/emulator.hpp>
#include <trtc/testing/emulator_transport.hpp>
#include <trtc/trtc.hpp>

#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

using steady = std::chrono::steady_clock;
using engine_type = trtc::call_engine<trtc::default_policies>;
using create_call = trtc::engine_call<trtc::default_policies, trtc::create_battle::request>;

int main() {
    const std::string key = "example-secret-key-of-sixty-four-characters-for-the-emulator-01";
    trtc::testing::emulator_options eo;
    eo.sdkappid = 1400000000;
    eo.admins = {"administrator"};
    eo.secret_key = key;
    auto emu = std::make_shared<trtc::testing::emulator>(eo);
    emu->inject(1, trtc::testing::fault::service_error(100001));
    trtc::testing::emulator_transport network(emu);

    trtc::client_config cfg;
    cfg.creds = {1400000000, "administrator", key};
    cfg.where = trtc::location::parse("http://emulator.invalid").value();
    cfg.rate_limit.per_second = 2;
    cfg.rate_limit.burst = 2;
    cfg.on_event = [](const trtc::call_event& e) {
        std::printf("  event: attempt %u of random %u: %s\n", e.attempt, e.random,
                    e.outcome == trtc::attempt_outcome::success    ? "success"
                    : e.outcome == trtc::attempt_outcome::retrying ? "retrying"
                                                                   : "failed");
    };
    auto engine = engine_type::create(std::move(cfg));
    if (!engine) {
        std::fprintf(stderr, "%s\n", engine.error().describe().c_str());
        return 1;
    }

    // The requests outlive their calls.
    std::vector<trtc::create_battle::request> requests;
    for (int i = 0; i < 3; ++i)
        requests.push_back({"red-" + std::to_string(i),
                            {"blue-" + std::to_string(i)},
                            std::chrono::minutes(5),
                            {}});
    std::vector<std::optional<create_call>> calls;
    for (auto& r : requests) calls.emplace_back(engine->start_call(r, {}, steady::now()));

    // The loop: send what asks to be sent, sleep until the earliest wake-up, repeat.
    int done = 0;
    std::vector<bool> reported(calls.size(), false);
    while (done < static_cast<int>(calls.size())) {
        std::optional<steady::time_point> next_wake;
        for (std::size_t i = 0; i < calls.size(); ++i) {
            create_call& c = *calls[i];
            const auto now = steady::now();
            if (c.step() == trtc::call_step::send) {
                // A real loop starts the request here and calls on_response() later.
                c.on_response(network.send(c.request(), c.deadline()), steady::now());
            } else if (c.step() == trtc::call_step::wait) {
                if (now >= c.deadline())
                    c.on_wake(now);
                else if (!next_wake || c.deadline() < *next_wake)
                    next_wake = c.deadline();
            }
            if (c.step() == trtc::call_step::done && !reported[i]) {
                reported[i] = true;
                ++done;
                if (c.outcome())
                    std::printf("%s -> %s: battle %s\n", requests[i].from_room_id.c_str(),
                                requests[i].to_room_ids[0].c_str(), c.outcome()->battle_id.c_str());
                else
                    std::printf("%s: %s\n", requests[i].from_room_id.c_str(),
                                c.outcome().error().describe().c_str());
            }
        }
        // A real loop waits on its sockets and this time together (epoll_wait, a timerfd).
        if (next_wake && done < static_cast<int>(calls.size()))
            std::this_thread::sleep_until(*next_wake);
    }
    const std::size_t battles = emu->battles_created();
    std::printf("%zu battles created by 3 calls in flight on one thread\n", battles);
    return battles == 3 ? 0 : 1;
}
