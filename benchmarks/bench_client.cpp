// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
// Whole calls through trtc::basic_client: against the in-process emulator, over loopback with
// the built-in transport and with libcurl, and with a canned transport (the library's own CPU
// per call, no I/O). Plus the pieces of the library's work measured apart.
#include "bench_common.hpp"
#include "checks.hpp"
#include "fixtures.hpp"

#include <trtc/testing/emulator.hpp>
#include <trtc/testing/emulator_server.hpp>
#include <trtc/testing/emulator_transport.hpp>
#include <trtc/trtc.hpp>

#if TRTC_BENCH_HAVE_CURL
#    include <trtc/adapters/curl.hpp>
#endif

#include <chrono>
#include <memory>
#include <string>

#include <sys/resource.h>

namespace {

using bench::fixture_set;

/// Answers every request with the same response, copying its body as a real transport
/// would hand over a body it received. No I/O: what remains is the library's own work.
class canned_transport {
  public:
    canned_transport() = default;
    explicit canned_transport(std::shared_ptr<const trtc::http_response> r) : r_(std::move(r)) {}
    trtc::result<trtc::http_response> send(const trtc::http_request&,
                                           std::chrono::steady_clock::time_point) {
        return *r_;
    }

  private:
    std::shared_ptr<const trtc::http_response> r_;
};

struct canned_policies : trtc::default_policies {
    using transport = canned_transport;
};
struct emulator_policies : trtc::default_policies {
    using transport = trtc::testing::emulator_transport;
};
#if TRTC_BENCH_HAVE_CURL
struct curl_policies : trtc::default_policies {
    using transport = trtc::curl_transport;
};
trtc::curl_options curl_local() {
    trtc::curl_options o;
    o.no_proxy = "*"; // loopback: never through a proxy from the environment
    return o;
}
#endif

trtc::client_config config_for(const std::string& url) {
    trtc::client_config c;
    c.creds.sdkappid = bench::sdkappid;
    c.creds.identifier = std::string(bench::identifier);
    c.creds.secret_key = std::string(bench::secret_key);
    c.where = trtc::location::parse(url).value();
    c.rate_limit.per_second = 0; // no client-side rate limit: we want the call's own cost
    return c;
}

/// An emulator following the system clock (the client signs with it), no rate limit.
std::shared_ptr<trtc::testing::emulator> make_emulator() {
    return std::make_shared<trtc::testing::emulator>(fixture_set::emulator_options());
}

/// Creates a battle through `client` and returns the get_battle_info request for it.
template <class Client>
trtc::get_battle_info::request create_battle_through(Client& client) {
    auto created = client.create_battle(fixture_set::get().create_req);
    if (!created) bench::die("create_battle failed: " + created.error().describe());
    return trtc::get_battle_info::request::by_battle_id(created->battle_id);
}

template <class Client>
void call_once(Client& client, const trtc::get_battle_info::request& req) {
    auto r = client.get_battle_info(req);
    if (!r) bench::die("get_battle_info failed: " + r.error().describe());
    benchmark::DoNotOptimize(r);
}

/// The calling thread's user and system CPU time, in microseconds.
struct thread_cpu {
    double user_us = 0, sys_us = 0;
    static thread_cpu now() {
        rusage u{};
        getrusage(RUSAGE_THREAD, &u);
        return {
            static_cast<double>(u.ru_utime.tv_sec) * 1e6 + static_cast<double>(u.ru_utime.tv_usec),
            static_cast<double>(u.ru_stime.tv_sec) * 1e6 + static_cast<double>(u.ru_stime.tv_usec)};
    }
};

/// Times get_battle_info calls through `client`, with the client thread's CPU split into user
/// and kernel time, and the connections the transport opened.
template <class Client>
void call_loop(benchmark::State& state, const char* name, Client& client,
               const trtc::get_battle_info::request& req) {
    const thread_cpu cpu0 = thread_cpu::now();
    bench::run(state, name, [&] { call_once(client, req); });
    const thread_cpu cpu1 = thread_cpu::now();
    state.counters["user_us/op"] =
        benchmark::Counter(cpu1.user_us - cpu0.user_us, benchmark::Counter::kAvgIterations);
    state.counters["sys_us/op"] =
        benchmark::Counter(cpu1.sys_us - cpu0.sys_us, benchmark::Counter::kAvgIterations);
}

// ---- the library's own work per call ----------------------------------------------------------

void BM_Call_CannedTransport(benchmark::State& state) {
    const fixture_set& f = fixture_set::get();
    auto resp = std::make_shared<const trtc::http_response>(trtc::http_response{200, f.info_body});
    auto client = trtc::basic_client<canned_policies>::create(config_for("http://127.0.0.1:9"),
                                                              canned_transport(resp))
                      .value();
    call_loop(state, "Call_CannedTransport", client, f.info_req);
}
BENCHMARK(BM_Call_CannedTransport);

void BM_Lib_UsersigCacheHit(benchmark::State& state) {
    trtc::credentials c = config_for("http://127.0.0.1:9").creds;
    auto cache = trtc::usersig_cache<>::create(c).value();
    const trtc::unix_time now = trtc::unix_now();
    (void)cache.usersig(now, false).value();
    bench::run(state, "Lib_UsersigCacheHit", [&] {
        auto s = cache.usersig(now, false);
        benchmark::DoNotOptimize(s);
    });
}
BENCHMARK(BM_Lib_UsersigCacheHit);

void BM_Lib_PrepareInfo(benchmark::State& state) {
    const fixture_set& f = fixture_set::get();
    const trtc::base_url base = trtc::base_url::parse("http://127.0.0.1:9").value();
    const trtc::request_context ctx = f.context();
    bench::run(state, "Lib_PrepareInfo", [&] {
        auto http = trtc::prepare(f.info_req, base, ctx);
        benchmark::DoNotOptimize(http);
    });
}
BENCHMARK(BM_Lib_PrepareInfo);

// (The decode of the same get_battle_info body is BM_DecodeInfo_Builtin.)

// ---- whole calls ------------------------------------------------------------------------------

void BM_Call_InProcessEmulator(benchmark::State& state) {
    auto emu = make_emulator();
    auto client = trtc::basic_client<emulator_policies>::create(
                      config_for("http://emulator.invalid"), trtc::testing::emulator_transport(emu))
                      .value();
    const auto req = create_battle_through(client);
    call_loop(state, "Call_InProcessEmulator", client, req);
}
BENCHMARK(BM_Call_InProcessEmulator);

void BM_Call_Loopback_Builtin(benchmark::State& state) {
    auto server = trtc::testing::emulator_server::create(make_emulator()).value();
    auto client = trtc::client::create(config_for(server.base_url())).value();
    const auto req = create_battle_through(client);
    call_loop(state, "Call_Loopback_Builtin", client, req);
    state.counters["connections"] = static_cast<double>(client.transport().connections_opened());
}
BENCHMARK(BM_Call_Loopback_Builtin)->UseRealTime();

#if TRTC_BENCH_HAVE_CURL
void BM_Call_Loopback_Curl(benchmark::State& state) {
    auto server = trtc::testing::emulator_server::create(make_emulator()).value();
    auto client = trtc::basic_client<curl_policies>::create(config_for(server.base_url()),
                                                            trtc::curl_transport(curl_local()))
                      .value();
    const auto req = create_battle_through(client);
    call_loop(state, "Call_Loopback_Curl", client, req);
    state.counters["connections"] = static_cast<double>(client.transport().connections_opened());
}
BENCHMARK(BM_Call_Loopback_Curl)->UseRealTime();
#endif

// ---- sequential calls reuse one connection ------------------------------------------------------

template <class Client>
void check_reuse(Client& client, const char* who) {
    const auto req = create_battle_through(client);
    for (int i = 0; i < 50; ++i) call_once(client, req);
    const std::size_t opened = client.transport().connections_opened();
    std::printf("  %s: 51 sequential calls opened %zu connection(s): %s\n", who, opened,
                opened == 1 ? "reused" : "NOT REUSED");
}

const bench::check_registrar client_checks("sequential calls reuse one connection", [] {
    {
        auto server = trtc::testing::emulator_server::create(make_emulator()).value();
        auto client = trtc::client::create(config_for(server.base_url())).value();
        check_reuse(client, "http1_transport");
    }
#if TRTC_BENCH_HAVE_CURL
    {
        auto server = trtc::testing::emulator_server::create(make_emulator()).value();
        auto client = trtc::basic_client<curl_policies>::create(config_for(server.base_url()),
                                                                trtc::curl_transport(curl_local()))
                          .value();
        check_reuse(client, "curl_transport");
    }
#endif
});

} // namespace
