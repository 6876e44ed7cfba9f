// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
// A transport for unit tests: answers from a script, records every request, no sockets.
#ifndef TRTC_TESTS_SCRIPTED_TRANSPORT_HPP
#define TRTC_TESTS_SCRIPTED_TRANSPORT_HPP

#include <trtc/http.hpp>
#include <trtc/result.hpp>

#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace test_support {

/// One scripted outcome: a response, or a transport error.
struct step {
    bool ok = true;
    trtc::http_response response;
    trtc::error failure;

    static step answer(std::string body, int status = 200) {
        step s;
        s.response = {status, std::move(body)};
        return s;
    }
    static step fail(trtc::transport_errc e) {
        step s;
        s.ok = false;
        s.failure = trtc::error(e, "scripted failure");
        return s;
    }
};

/// The body of a successful create_battle.
inline std::string battle_ok(const std::string& battle_id = "b1") {
    return R"({"ErrorCode":0,"ErrorInfo":"","ActionStatus":"OK","RequestId":"Id-ok","Response":{"BattleId":")" +
           battle_id + R"(","Result":[{"RoomId":"pk-2","ResultCode":0,"ResultMessage":""}]}})";
}

/// The body of a service error.
inline std::string service_error(int code, const std::string& info = "scripted") {
    return R"({"ErrorCode":)" + std::to_string(code) + R"(,"ErrorInfo":")" + info +
           R"(","ActionStatus":"FAIL","RequestId":"Id-err"})";
}

/// The body of a successful get_battle_info.
inline std::string info_ok() {
    return R"({"ErrorCode":0,"ActionStatus":"OK","RequestId":"Id-info","Response":{"BattleId":"b1","Duration":60000,"StartTime":1,"EndTime":61,"Status":2,"FromRoomInfo":{"RoomId":"pk-1","Score":0,"Owner_Account":"o"},"ToRoomList":[]}})";
}

/// Shared script and log; copies of the transport share them.
struct script_state {
    std::mutex mutex;
    std::deque<step> steps;
    /// When the script is empty: answer with this (or fail the test).
    std::function<step(const trtc::http_request&)> fallback;
    std::vector<trtc::http_request> requests;
};

class scripted_transport {
  public:
    scripted_transport() : state_(std::make_shared<script_state>()) {}

    scripted_transport& then(step s) {
        std::lock_guard<std::mutex> lock(state_->mutex);
        state_->steps.push_back(std::move(s));
        return *this;
    }
    scripted_transport& otherwise(std::function<step(const trtc::http_request&)> f) {
        state_->fallback = std::move(f);
        return *this;
    }
    std::vector<trtc::http_request> requests() const {
        std::lock_guard<std::mutex> lock(state_->mutex);
        return state_->requests;
    }
    std::size_t sent() const {
        std::lock_guard<std::mutex> lock(state_->mutex);
        return state_->requests.size();
    }

    trtc::result<trtc::http_response> send(const trtc::http_request& req,
                                           std::chrono::steady_clock::time_point) {
        step s;
        {
            std::lock_guard<std::mutex> lock(state_->mutex);
            state_->requests.push_back(req);
            if (!state_->steps.empty()) {
                s = std::move(state_->steps.front());
                state_->steps.pop_front();
            } else if (state_->fallback) {
                s = state_->fallback(req);
            } else {
                s = step::fail(trtc::transport_errc::local_failure);
            }
        }
        if (!s.ok) return s.failure;
        return s.response;
    }

  private:
    std::shared_ptr<script_state> state_;
};

} // namespace test_support

#endif // TRTC_TESTS_SCRIPTED_TRANSPORT_HPP
