// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
// Sustained load: the real client against the emulator over loopback HTTP at a fixed rate.
//
//   trtc_sustained_load [--rate N] [--seconds N] [--threads N] [--transport builtin|curl]
//
// Defaults: 200 calls/s (the service's limit per API) for 30 s from 4 threads, built-in
// transport. Every call is a create_battle on fresh room ids with a 1 s Duration. The calls
// follow one shared schedule: call i is due at start + i / rate, and whichever thread is free
// takes the next one and waits for its due time (so a slow call delays no other, and the
// schedule's lag is measured instead of hidden). Checks: no call failed, no request lost or
// repeated (the emulator received exactly one request per call and created one battle per
// success), the achieved rate within 2 % of the target, the connections kept alive (at most
// one per thread). Prints a short report; exits 0 when every check passed, 1 when one failed,
// 2 on a usage error. tools/load.sh builds and runs it.
#include <trtc/client.hpp>
#include <trtc/default_client.hpp>
#include <trtc/testing/emulator.hpp>
#include <trtc/testing/emulator_server.hpp>
#if defined(TRTC_LOAD_HAVE_CURL) && TRTC_LOAD_HAVE_CURL
#    include <trtc/adapters/curl.hpp>
#endif

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace {

using clock_type = std::chrono::steady_clock;
using std::chrono::nanoseconds;

constexpr std::uint32_t app = 1400000001;
const char* const key = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";
const char* const admin = "administrator";

/// The longest the achieved rate may differ from the target, as a share of it.
constexpr double rate_tolerance = 0.02;

struct options {
    double rate = 200;
    double seconds = 30;
    unsigned threads = 4;
    std::string transport = "builtin";
};

void usage(std::FILE* to) {
    std::fprintf(to, "usage: trtc_sustained_load [--rate N] [--seconds N] [--threads N] "
                     "[--transport builtin|curl]\n"
                     "  --rate N       calls per second (default 200)\n"
                     "  --seconds N    how long (default 30)\n"
                     "  --threads N    calling threads sharing one client (default 4)\n"
                     "  --transport T  builtin (trtc::http1_transport, default) or curl\n");
}

bool parse_number(const char* text, double& out) {
    if (text == nullptr || *text == '\0') return false;
    char* end = nullptr;
    const double v = std::strtod(text, &end);
    if (end == nullptr || *end != '\0' || !std::isfinite(v)) return false;
    out = v;
    return true;
}

/// Parses argv; false (after printing why) on a usage error.
bool parse(int argc, char** argv, options& o, bool& help) {
    for (int i = 1; i < argc; ++i) {
        std::string_view arg = argv[i];
        std::string_view name = arg;
        const char* value = nullptr;
        const std::size_t eq = arg.find('=');
        if (eq != std::string_view::npos) {
            name = arg.substr(0, eq);
            value = argv[i] + eq + 1;
        }
        if (name == "--help" || name == "-h") {
            help = true;
            return true;
        }
        const bool known =
            name == "--rate" || name == "--seconds" || name == "--threads" || name == "--transport";
        if (!known) {
            std::fprintf(stderr, "trtc_sustained_load: unknown option %s\n", argv[i]);
            return false;
        }
        if (value == nullptr) {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "trtc_sustained_load: %s needs a value\n", argv[i]);
                return false;
            }
            value = argv[++i];
        }
        double v = 0;
        if (name == "--transport") {
            o.transport = value;
            if (o.transport != "builtin" && o.transport != "curl") {
                std::fprintf(stderr, "trtc_sustained_load: --transport is builtin or curl\n");
                return false;
            }
        } else if (!parse_number(value, v) || !(v > 0)) {
            std::fprintf(stderr, "trtc_sustained_load: %.*s needs a positive number, not '%s'\n",
                         static_cast<int>(name.size()), name.data(), value);
            return false;
        } else if (name == "--rate") {
            o.rate = v;
        } else if (name == "--seconds") {
            o.seconds = v;
        } else if (v != std::floor(v) || v > 256) {
            std::fprintf(stderr, "trtc_sustained_load: --threads is a whole number, 1 to 256\n");
            return false;
        } else {
            o.threads = static_cast<unsigned>(v);
        }
    }
    return true;
}

/// What one thread saw.
struct thread_record {
    std::vector<nanoseconds> latency;
    std::vector<nanoseconds> lag;
    clock_type::time_point first_start = clock_type::time_point::max();
    clock_type::time_point last_start = clock_type::time_point::min();
    clock_type::time_point last_end = clock_type::time_point::min();
    std::size_t ok = 0;
    std::size_t failed = 0;
    std::map<std::string, std::size_t> failures; // by error code
    std::vector<std::string> examples;           // the first few errors, described
};

/// The nearest-rank percentile `p` (0-100) of sorted `v`.
nanoseconds percentile(const std::vector<nanoseconds>& v, double p) {
    if (v.empty()) return nanoseconds(0);
    std::size_t rank =
        static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(v.size())));
    rank = std::clamp<std::size_t>(rank, 1, v.size());
    return v[rank - 1];
}

double ms(nanoseconds d) {
    return static_cast<double>(d.count()) / 1e6;
}

/// Everything measured by one run.
struct run_result {
    std::size_t calls = 0;
    std::size_t ok = 0;
    std::size_t failed = 0;
    std::size_t retries = 0;
    std::size_t connections_opened = 0;
    std::vector<nanoseconds> latency, lag;
    clock_type::time_point t0, first_start, last_start, last_end;
    std::map<std::string, std::size_t> failures;
    std::vector<std::string> examples;
};

/// Runs the schedule with `client` shared by `o.threads` threads.
template <class Client>
run_result run(Client& client, const options& o, std::size_t total) {
    const nanoseconds period(static_cast<std::int64_t>(std::llround(1e9 / o.rate)));
    std::vector<thread_record> records(o.threads);
    std::atomic<std::size_t> next{0};
    run_result out;
    out.calls = total;
    // A little time for the threads to start before the first call is due.
    out.t0 = clock_type::now() + std::chrono::milliseconds(50);
    const clock_type::time_point t0 = out.t0;

    std::vector<std::thread> threads;
    threads.reserve(o.threads);
    for (unsigned t = 0; t < o.threads; ++t) {
        threads.emplace_back([&client, &next, &records, t, t0, period, total] {
            thread_record& rec = records[t];
            rec.latency.reserve(total / records.size() + 16);
            rec.lag.reserve(total / records.size() + 16);
            while (true) {
                const std::size_t i = next.fetch_add(1, std::memory_order_relaxed);
                if (i >= total) break;
                const clock_type::time_point due = t0 + period * static_cast<std::int64_t>(i);
                std::this_thread::sleep_until(due);
                const std::string room = "load-" + std::to_string(i);
                trtc::create_battle::request req{
                    room + "-a", {room + "-b"}, std::chrono::milliseconds(1000), {}};
                const clock_type::time_point start = clock_type::now();
                auto r = client.create_battle(req);
                const clock_type::time_point end = clock_type::now();
                rec.latency.push_back(end - start);
                rec.lag.push_back(std::max(nanoseconds(0), start - due));
                rec.first_start = std::min(rec.first_start, start);
                rec.last_start = std::max(rec.last_start, start);
                rec.last_end = std::max(rec.last_end, end);
                if (r && r->results.size() == 1 && r->results[0].ok()) {
                    ++rec.ok;
                    continue;
                }
                ++rec.failed;
                std::string what = r ? std::string("callee not joined") : r.error().describe();
                std::string code =
                    r ? std::string("ResultCode ") +
                            std::to_string(r->results.empty() ? -1 : r->results[0].result_code)
                      : std::string(r.error().code.category().name()) + " " +
                            std::to_string(r.error().code.value());
                ++rec.failures[code];
                if (rec.examples.size() < 3) rec.examples.push_back(std::move(what));
            }
        });
    }
    for (auto& th : threads) th.join();

    out.first_start = clock_type::time_point::max();
    out.last_start = out.last_end = clock_type::time_point::min();
    for (thread_record& rec : records) {
        out.ok += rec.ok;
        out.failed += rec.failed;
        out.latency.insert(out.latency.end(), rec.latency.begin(), rec.latency.end());
        out.lag.insert(out.lag.end(), rec.lag.begin(), rec.lag.end());
        out.first_start = std::min(out.first_start, rec.first_start);
        out.last_start = std::max(out.last_start, rec.last_start);
        out.last_end = std::max(out.last_end, rec.last_end);
        for (const auto& f : rec.failures) out.failures[f.first] += f.second;
        for (auto& e : rec.examples)
            if (out.examples.size() < 5) out.examples.push_back(std::move(e));
    }
    std::sort(out.latency.begin(), out.latency.end());
    std::sort(out.lag.begin(), out.lag.end());
    out.connections_opened = client.transport().connections_opened();
    return out;
}

trtc::client_config make_config(const std::string& base_url, double limit,
                                std::atomic<std::size_t>& retries) {
    trtc::client_config c;
    c.creds = {app, admin, key, std::chrono::hours(24)};
    c.where = trtc::location::parse(base_url).value();
    // The client's own limiter at the service's limit, as in production (burst: the default).
    c.rate_limit.per_second = limit;
    std::atomic<std::size_t>* counter = &retries;
    c.on_event = [counter](const trtc::call_event& e) {
        if (e.outcome == trtc::attempt_outcome::retrying)
            counter->fetch_add(1, std::memory_order_relaxed);
    };
    return c;
}

#if defined(TRTC_LOAD_HAVE_CURL) && TRTC_LOAD_HAVE_CURL
struct curl_policies : trtc::default_policies {
    using transport = trtc::curl_transport;
};
#endif

} // namespace

int main(int argc, char** argv) {
    options o;
    bool help = false;
    if (!parse(argc, argv, o, help)) {
        usage(stderr);
        return 2;
    }
    if (help) {
        usage(stdout);
        return 0;
    }
#if !(defined(TRTC_LOAD_HAVE_CURL) && TRTC_LOAD_HAVE_CURL)
    if (o.transport == "curl") {
        std::fprintf(stderr, "trtc_sustained_load: built without libcurl (trtc::curl): "
                             "--transport curl is not available\n");
        return 2;
    }
#endif
    const long long calls = std::llround(o.rate * o.seconds);
    if (calls < 2) {
        std::fprintf(stderr, "trtc_sustained_load: --rate x --seconds must make 2 calls or more\n");
        return 2;
    }
    const std::size_t total = static_cast<std::size_t>(calls);

    // The service allows 200 calls/s per API; above that, the emulator (and the client's own
    // limiter) allow the target rate, so that the test measures the client, not the quota.
    const double limit = std::max(200.0, o.rate);
    trtc::testing::emulator_options eo;
    eo.sdkappid = app;
    eo.admins = {admin};
    eo.secret_key = key;
    eo.rate_limit_per_second = limit;
    auto emu = std::make_shared<trtc::testing::emulator>(eo);
    auto server = trtc::testing::emulator_server::create(emu);
    if (!server) {
        std::fprintf(stderr, "trtc_sustained_load: cannot start the emulator: %s\n",
                     server.error().describe().c_str());
        return 1;
    }

    std::printf("sustained load: %s transport, %u threads, %g calls/s for %g s "
                "(%zu create_battle calls), emulator at %s\n",
                o.transport.c_str(), o.threads, o.rate, o.seconds, total,
                server->base_url().c_str());
    std::fflush(stdout);

    std::atomic<std::size_t> retries{0};
    run_result r;
    if (o.transport == "builtin") {
        auto client = trtc::client::create(make_config(server->base_url(), limit, retries));
        if (!client) {
            std::fprintf(stderr, "trtc_sustained_load: %s\n", client.error().describe().c_str());
            return 1;
        }
        r = run(*client, o, total);
    } else {
#if defined(TRTC_LOAD_HAVE_CURL) && TRTC_LOAD_HAVE_CURL
        trtc::curl_options co;
        co.no_proxy = "*"; // loopback
        auto client = trtc::basic_client<curl_policies>::create(
            make_config(server->base_url(), limit, retries), trtc::curl_transport(co));
        if (!client) {
            std::fprintf(stderr, "trtc_sustained_load: %s\n", client.error().describe().c_str());
            return 1;
        }
        r = run(*client, o, total);
#endif
    }
    r.retries = retries.load();
    const std::size_t received = emu->requests_received();
    const std::size_t created = emu->battles_created();
    const std::size_t accepted = server->server().connections_accepted();
    server->stop();

    // The achieved rate: calls started per second, from the first start to the last.
    const double span = std::chrono::duration<double>(r.last_start - r.first_start).count();
    const double achieved = span > 0 ? static_cast<double>(r.calls - 1) / span : 0;
    const double deviation = (achieved - o.rate) / o.rate;
    const double wall = std::chrono::duration<double>(r.last_end - r.t0).count();

    std::printf("  calls         %zu made, %zu succeeded, %zu failed, %zu retried attempts\n",
                r.calls, r.ok, r.failed, r.retries);
    std::printf("  emulator      %zu requests received, %zu battles created\n", received, created);
    std::printf("  rate          %.2f calls/s achieved (target %g, %+.2f %%); %.2f s wall time\n",
                achieved, o.rate, deviation * 100, wall);
    std::printf("  latency       p50 %.3f ms, p99 %.3f ms, max %.3f ms\n",
                ms(percentile(r.latency, 50)), ms(percentile(r.latency, 99)),
                ms(r.latency.empty() ? nanoseconds(0) : r.latency.back()));
    std::printf("  schedule lag  p50 %.3f ms, p99 %.3f ms, max %.3f ms\n",
                ms(percentile(r.lag, 50)), ms(percentile(r.lag, 99)),
                ms(r.lag.empty() ? nanoseconds(0) : r.lag.back()));
    std::printf("  connections   %zu opened by the client, %zu accepted by the server\n",
                r.connections_opened, accepted);
    for (const auto& f : r.failures)
        std::printf("  failure       %zu x %s\n", f.second, f.first.c_str());
    for (const auto& e : r.examples) std::printf("  e.g.          %s\n", e.c_str());

    std::vector<std::string> problems;
    if (r.failed != 0) problems.push_back(std::to_string(r.failed) + " calls failed");
    if (r.ok + r.failed != r.calls) problems.push_back("calls unaccounted for");
    if (received != r.calls)
        problems.push_back("the emulator received " + std::to_string(received) + " requests for " +
                           std::to_string(r.calls) + " calls (lost or repeated requests)");
    if (created != r.ok)
        problems.push_back("the emulator created " + std::to_string(created) + " battles for " +
                           std::to_string(r.ok) + " successful calls");
    if (!(std::fabs(deviation) <= rate_tolerance)) {
        char buf[160];
        std::snprintf(buf, sizeof buf, "the achieved rate %.2f calls/s is not within %g %% of %g",
                      achieved, rate_tolerance * 100, o.rate);
        problems.push_back(buf);
    }
    if (r.connections_opened > o.threads || accepted > o.threads)
        problems.push_back("keep-alive: more connections than threads (" +
                           std::to_string(r.connections_opened) + " opened, " +
                           std::to_string(accepted) + " accepted)");

    for (const auto& p : problems) std::printf("FAIL: %s\n", p.c_str());
    if (!problems.empty()) return 1;
    std::printf("PASS\n");
    return 0;
}
