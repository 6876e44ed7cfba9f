// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
//
// The call engine driven by a libcurl-multi event loop (no Asio, no threads): three
// create_battle calls in flight on one thread against the local emulator on loopback. The
// engine decides everything (rate-limit waits, retries and their backoff, a new UserSig, the
// backup domain, outcome unknown); the loop only carries requests and keeps time:
//   call_step::send -> an easy handle (POST, the URL, headers, body, the attempt's deadline as
//                      CURLOPT_TIMEOUT_MS) added to the multi handle; when it completes, the
//                      answer (or the transport error) goes to on_response();
//   call_step::wait -> an entry in the loop's timer list; on_wake() when it is due;
//   call_step::done -> outcome() holds the result.
// The emulator refuses the first request with 100001 ("retry"), and the client allows 2 calls
// per second: one call backs off, one waits for its slot. The events show each decision.
#include <trtc/adapters/curl.hpp>
#include <trtc/testing/emulator.hpp>
#include <trtc/testing/emulator_server.hpp>
#include <trtc/trtc.hpp>

#include <curl/curl.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

using steady = std::chrono::steady_clock;
using create_call = trtc::engine_call<trtc::default_policies, trtc::create_battle::request>;

namespace {

/// One attempt in flight: its easy handle and what libcurl's callbacks fill in. The
/// callbacks and the error mapping are the curl adapter's own (trtc/adapters/curl.hpp), so
/// that a failure means the same to the engine as it does under trtc::https_client.
struct transfer {
    std::size_t call = 0;
    CURL* easy = nullptr;
    curl_slist* headers = nullptr;
    char errbuf[CURL_ERROR_SIZE] = {};
    trtc::detail::curl_transfer x;
    ~transfer() {
        curl_easy_cleanup(easy);
        curl_slist_free_all(headers);
    }
};

/// Starts `req` on `multi`, giving up at `deadline`.
std::unique_ptr<transfer> start(CURLM* multi, std::size_t call, const trtc::http_request& req,
                                steady::time_point deadline) {
    auto t = std::make_unique<transfer>();
    t->call = call;
    t->easy = curl_easy_init();
    t->x.body = req.body; // the engine keeps the request until on_response()
    t->x.max_response = 1 << 20;
    for (const auto& h : req.headers())
        t->headers = curl_slist_append(t->headers,
                                       (std::string(h.name) + ": " + std::string(h.value)).c_str());
    t->headers = curl_slist_append(t->headers, "Expect:");
    const auto left = // in curl's type for milliseconds
        std::chrono::ceil<std::chrono::duration<long, std::milli>>(deadline - steady::now());
    CURL* h = t->easy;
    (curl_easy_setopt)(h, CURLOPT_URL, req.url.c_str());
    (curl_easy_setopt)(h, CURLOPT_POST, 1L);
    (curl_easy_setopt)(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
    (curl_easy_setopt)(h, CURLOPT_READFUNCTION, &trtc::detail::curl_on_read);
    (curl_easy_setopt)(h, CURLOPT_READDATA, &t->x);
    (curl_easy_setopt)(h, CURLOPT_WRITEFUNCTION, &trtc::detail::curl_on_write);
    (curl_easy_setopt)(h, CURLOPT_WRITEDATA, &t->x);
    (curl_easy_setopt)(h, CURLOPT_HTTPHEADER, t->headers);
    (curl_easy_setopt)(h, CURLOPT_TIMEOUT_MS, left.count() > 0 ? left.count() : 1L);
    (curl_easy_setopt)(h, CURLOPT_ERRORBUFFER, t->errbuf);
    (curl_easy_setopt)(h, CURLOPT_NOSIGNAL, 1L);
    (curl_easy_setopt)(h, CURLOPT_NOPROXY, "*"); // loopback: never through a proxy
    (curl_easy_setopt)(h, CURLOPT_PRIVATE, t.get());
    curl_multi_add_handle(multi, h);
    return t;
}

/// What a finished transfer means to the engine: the answer, or the transport error that
/// trtc::curl_transport would report (detail::curl_classify: sent in full or not decides
/// whether a create_battle may have reached the service).
trtc::result<trtc::http_response> finish(transfer& t, CURLcode code, const std::string& url) {
    if (code == CURLE_OK) {
        long status = 0;
        (curl_easy_getinfo)(t.easy, CURLINFO_RESPONSE_CODE, &status);
        return trtc::http_response{static_cast<int>(status), std::move(t.x.response)};
    }
    trtc::detail::curl_outcome o;
    o.code = code;
    o.https = url.rfind("https:", 0) == 0;
    o.body_size = t.x.body.size();
    (curl_easy_getinfo)(t.easy, CURLINFO_CONNECT_TIME_T, &o.connect_us);
    (curl_easy_getinfo)(t.easy, CURLINFO_APPCONNECT_TIME_T, &o.tls_us);
    (curl_easy_getinfo)(t.easy, CURLINFO_SIZE_UPLOAD_T, &o.uploaded);
    (curl_easy_getinfo)(t.easy, CURLINFO_SIZE_DOWNLOAD_T, &o.downloaded);
    (curl_easy_getinfo)(t.easy, CURLINFO_HEADER_SIZE, &o.header_bytes);
    const std::string text = t.errbuf[0] != '\0' ? t.errbuf : curl_easy_strerror(code);
    auto [errc, why] = trtc::detail::curl_classify(o, t.x, text);
    std::string msg = why + ": " + text;
    trtc::detail::curl_scrub(msg, url); // never the UserSig in a message
    return trtc::error{errc, std::move(msg)};
}

const char* outcome_name(trtc::attempt_outcome o) {
    return o == trtc::attempt_outcome::success    ? "success"
           : o == trtc::attempt_outcome::retrying ? "retrying"
                                                  : "failed";
}

} // namespace

int main() {
    // The local emulator on a free loopback port; its first request is refused with 100001.
    const std::string key = "example-secret-key-of-sixty-four-characters-for-the-emulator-01";
    trtc::testing::emulator_options eo;
    eo.sdkappid = 1400000000;
    eo.admins = {"administrator"};
    eo.secret_key = key;
    auto emu = std::make_shared<trtc::testing::emulator>(eo);
    emu->inject(1, trtc::testing::fault::service_error(100001));
    auto server = trtc::testing::emulator_server::create(emu);
    if (!server || curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) return 1;

    trtc::client_config cfg;
    cfg.creds = {1400000000, "administrator", key};
    cfg.where = trtc::location::parse(server->base_url()).value();
    cfg.rate_limit.per_second = 2;
    cfg.rate_limit.burst = 2;
    cfg.on_event = [](const trtc::call_event& e) { // never the key or the UserSig
        std::printf("  event: random %u attempt %u: %s%s%s\n", e.random, e.attempt,
                    outcome_name(e.outcome), e.code ? ", " : "",
                    e.code ? e.code.message().c_str() : "");
    };
    auto engine = trtc::call_engine<trtc::default_policies>::create(std::move(cfg));
    if (!engine) {
        std::fprintf(stderr, "%s\n", engine.error().describe().c_str());
        return 1;
    }

    // The requests outlive their calls; each call is started at once.
    std::vector<trtc::create_battle::request> requests;
    for (int i = 0; i < 3; ++i)
        requests.push_back({"red-" + std::to_string(i),
                            {"blue-" + std::to_string(i)},
                            std::chrono::minutes(5),
                            {}});
    std::vector<std::optional<create_call>> calls;
    for (auto& r : requests) calls.emplace_back(engine->start_call(r, {}, steady::now()));

    CURLM* multi = curl_multi_init();
    std::map<CURL*, std::unique_ptr<transfer>> in_flight;
    std::multimap<steady::time_point, std::size_t> timers; // call_step::wait entries
    std::vector<bool> reported(calls.size(), false);
    std::size_t done = 0, ok = 0;

    // Acts on call i's step: a send is started, a wait armed, a result reported.
    auto settle = [&](std::size_t i) {
        create_call& c = *calls[i];
        if (c.step() == trtc::call_step::send) {
            auto t = start(multi, i, c.request(), c.deadline());
            in_flight.emplace(t->easy, std::move(t));
        } else if (c.step() == trtc::call_step::wait) {
            timers.emplace(c.deadline(), i);
        } else if (!reported[i]) {
            reported[i] = true;
            ++done;
            if (c.outcome()) {
                ++ok;
                std::printf("%s -> %s: battle %s\n", requests[i].from_room_id.c_str(),
                            requests[i].to_room_ids[0].c_str(), c.outcome()->battle_id.c_str());
            } else {
                std::printf("%s: %s\n", requests[i].from_room_id.c_str(),
                            c.outcome().error().describe().c_str());
            }
        }
    };
    for (std::size_t i = 0; i < calls.size(); ++i) settle(i);

    while (done < calls.size()) {
        // Sleep in curl_multi_poll until a socket is ready or the earliest timer is due.
        int timeout_ms = 1000;
        if (!timers.empty()) {
            const auto left =
                std::chrono::ceil<std::chrono::milliseconds>(timers.begin()->first - steady::now());
            timeout_ms = static_cast<int>(left.count() < 0      ? 0
                                          : left.count() < 1000 ? left.count()
                                                                : 1000);
        }
        int running = 0;
        curl_multi_perform(multi, &running);
        curl_multi_poll(multi, nullptr, 0, timeout_ms, nullptr);
        curl_multi_perform(multi, &running);

        // Finished transfers: their answers go to the engine.
        int queued = 0;
        while (CURLMsg* m = curl_multi_info_read(multi, &queued)) {
            if (m->msg != CURLMSG_DONE) continue;
            auto node = in_flight.extract(m->easy_handle);
            if (node.empty() || !node.mapped()) continue; // not a transfer of ours
            transfer& t = *node.mapped();
            curl_multi_remove_handle(multi, t.easy);
            create_call& c = *calls[t.call];
            c.on_response(finish(t, m->data.result, c.request().url), steady::now());
            settle(t.call);
        }
        // Due timers: on_wake(), then whatever the call asks next.
        while (!timers.empty() && timers.begin()->first <= steady::now()) {
            const std::size_t i = timers.begin()->second;
            timers.erase(timers.begin());
            calls[i]->on_wake(steady::now());
            settle(i);
        }
    }
    curl_multi_cleanup(multi);
    curl_global_cleanup();
    std::printf("%zu of 3 battles created by calls in flight on one curl-multi loop\n", ok);
    return ok == 3 && emu->battles_created() == 3 ? 0 : 1;
}
