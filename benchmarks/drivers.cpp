// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
//
// trtc_bench_drivers: what each driver of the call engine costs, measured side by side in one
// run. The emulator serves on loopback from a child process (so that the figures are the
// clients' alone: CPU time and RSS by getrusage, live heap by mallinfo2), and each mode runs in
// a process of its own:
//   - calls per second, one call at a time, for each driver: the blocking client with the
//     in-process emulator transport, and over loopback the blocking client, the libcurl one
//     (when built with it) and the Asio client;
//   - 1000 calls in flight: on one thread with the Asio client, against 1000 threads each
//     making a blocking call: the process's peak RSS and CPU time per call;
//   - the live heap per call in flight with the Asio client (the emulator holds every answer
//     back until all the calls are out).
// Usage: trtc_bench_drivers [calls]   (default 2000 for the rates)
#include <trtc/adapters/asio.hpp>
#include <trtc/testing/emulator.hpp>
#include <trtc/testing/emulator_server.hpp>
#include <trtc/testing/emulator_transport.hpp>
#include <trtc/trtc.hpp>
#if TRTC_BENCH_HAVE_CURL
#    include <trtc/adapters/curl.hpp>
#endif

#include <asio/io_context.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <malloc.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(ASIO_NO_EXCEPTIONS)
namespace asio::detail {
template <typename Exception>
void throw_exception(const Exception& e) {
    std::fprintf(stderr, "asio: %s\n", e.what());
    std::abort();
}
} // namespace asio::detail
#endif

namespace {

using steady = std::chrono::steady_clock;
const std::string key = "bench-secret-key-of-sixty-four-characters-for-the-emulator-0001";
constexpr std::uint32_t app = 1400000000;

trtc::testing::emulator_options emulator_opts() {
    trtc::testing::emulator_options o;
    o.sdkappid = app;
    o.admins = {"administrator"};
    o.secret_key = key;
    o.rate_limit_per_second = 0;
    return o;
}

trtc::client_config config(const std::string& base) {
    trtc::client_config c;
    c.creds = {app, "administrator", key};
    c.where = trtc::location::parse(base).value();
    c.rate_limit.per_second = 0;
    c.attempt_timeout = std::chrono::milliseconds(60000);
    c.call_timeout = std::chrono::milliseconds(60000);
    return c;
}

/// Battle i of this process: room ids of its own (the modes share one emulator, and a room in
/// a running battle cannot start another).
trtc::create_battle::request req(int i) {
    const std::string p = std::to_string(getpid()) + "-" + std::to_string(i);
    return {"a" + p, {"b" + p}, std::chrono::minutes(5), {}};
}

struct usage {
    double cpu_s = 0;
    long max_rss_kb = 0;
};
usage self_usage() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    usage out;
    out.cpu_s = static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
                static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
    out.max_rss_kb = u.ru_maxrss;
    return out;
}

/// The emulator on loopback in a child process; the answers to requests 2 to hold + 1 are held
/// back for 1.5 s (the first is a warm-up).
struct served {
    pid_t pid = -1;
    int port = 0;
    explicit served(std::size_t hold = 0) {
        int fds[2];
        if (pipe(fds) != 0) std::abort();
        pid = fork();
        if (pid == 0) {
            close(fds[0]);
            auto emu = std::make_shared<trtc::testing::emulator>(emulator_opts());
            for (std::size_t i = 2; i <= hold + 1; ++i)
                emu->inject(i, trtc::testing::fault::slow_answer(std::chrono::milliseconds(1500)));
            auto server = trtc::testing::emulator_server::create(emu);
            if (!server) _exit(1);
            int p = server->port();
            if (write(fds[1], &p, sizeof p) != static_cast<ssize_t>(sizeof p)) _exit(1);
            for (;;) pause();
        }
        close(fds[1]);
        if (read(fds[0], &port, sizeof port) != static_cast<ssize_t>(sizeof port)) std::abort();
        close(fds[0]);
    }
    ~served() {
        kill(pid, SIGKILL);
        waitpid(pid, nullptr, 0);
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port); }
};

/// Runs `f` in a child process and passes on what it prints.
template <class F>
void in_child(F f) {
    std::fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        f();
        std::fflush(stdout);
        _exit(0);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) std::printf("  (mode failed)\n");
}

template <class Client>
void blocking_rate(const char* name, Client& c, int n) {
    for (int i = 0; i < 50; ++i) (void)c.create_battle(req(-i - 1)); // warm
    const auto t0 = steady::now();
    int ok = 0;
    for (int i = 0; i < n; ++i) ok += c.create_battle(req(i)) ? 1 : 0;
    const double s = std::chrono::duration<double>(steady::now() - t0).count();
    std::printf("| %s | %d | %.0f |\n", name, ok, n / s);
}

void asio_run(const std::string& base, int n, int in_flight, std::size_t max_conn, const char* name,
              bool report_rate) {
    asio::io_context io;
    trtc::asio_transport_options topt;
    topt.max_connections_per_host = max_conn;
    auto client = trtc::asio_client::create(io, config(base), topt).value();
    bool warm = false; // the UserSig, the signed query, a connection
    client.async_create_battle(req(-1), [&](auto) { warm = true; });
    while (!warm) io.run_one();
    int started = 0, done = 0, ok = 0;
    std::function<void()> next = [&] {
        const int i = started++;
        client.async_create_battle(req(i), [&](trtc::result<trtc::create_battle::response> r) {
            ++done;
            ok += r ? 1 : 0;
            if (started < n) next();
            if (done == n) client.transport().close();
        });
    };
    const usage u0 = self_usage();
    const auto t0 = steady::now();
    for (int k = 0; k < in_flight && started < n; ++k) next();
    io.run();
    const double s = std::chrono::duration<double>(steady::now() - t0).count();
    const usage u1 = self_usage();
    if (report_rate)
        std::printf("| %s | %d | %.0f |\n", name, ok, n / s);
    else
        std::printf("| %s | %d | %.1f | %ld | %ld | %.0f |\n", name, ok,
                    (u1.cpu_s - u0.cpu_s) * 1e6 / n, u1.max_rss_kb, u1.max_rss_kb - u0.max_rss_kb,
                    n / s);
}

void threads_run(const std::string& base, int n_threads, const char* name) {
    auto client = trtc::client::create(config(base)).value();
    (void)client.create_battle(req(-1)); // warm: the UserSig, the signed query, a connection
    std::atomic<int> ok{0};
    const usage u0 = self_usage();
    const auto t0 = steady::now();
    std::vector<std::thread> ts;
    ts.reserve(static_cast<std::size_t>(n_threads));
    for (int t = 0; t < n_threads; ++t)
        ts.emplace_back([&, t] { ok += client.create_battle(req(t)) ? 1 : 0; });
    for (auto& t : ts) t.join();
    const double s = std::chrono::duration<double>(steady::now() - t0).count();
    const usage u1 = self_usage();
    std::printf("| %s | %d | %.1f | %ld | %ld | %.0f |\n", name, ok.load(),
                (u1.cpu_s - u0.cpu_s) * 1e6 / n_threads, u1.max_rss_kb,
                u1.max_rss_kb - u0.max_rss_kb, n_threads / s);
}

} // namespace

int main(int argc, char** argv) {
    const int n = argc > 1 ? std::atoi(argv[1]) : 2000;
    std::printf("## Calls per second, one at a time (%d create_battle calls)\n\n", n);
    std::printf("| driver | succeeded | calls/s |\n|---|---:|---:|\n");
    in_child([&] {
        auto emu = std::make_shared<trtc::testing::emulator>(emulator_opts());
        struct inproc : trtc::default_policies {
            using transport = trtc::testing::emulator_transport;
        };
        auto c = trtc::basic_client<inproc>::create(config("http://emulator.invalid"),
                                                    trtc::testing::emulator_transport(emu))
                     .value();
        blocking_rate("blocking, in-process emulator (emulator_transport)", c, n);
    });
    {
        served s;
        in_child([&] {
            auto c = trtc::client::create(config(s.url())).value();
            blocking_rate("blocking, loopback (trtc::client)", c, n);
        });
#if TRTC_BENCH_HAVE_CURL
        in_child([&] {
            trtc::curl_options o;
            o.no_proxy = "*";
            auto c = trtc::https_client::create(config(s.url()), trtc::curl_transport(o)).value();
            blocking_rate("blocking, loopback (trtc::https_client, libcurl)", c, n);
        });
#endif
        in_child([&] { asio_run(s.url(), n, 1, 16, "Asio, loopback, 1 in flight", true); });
        in_child([&] { asio_run(s.url(), n, 32, 16, "Asio, loopback, 32 in flight", true); });
    }

    std::printf("\n## 1000 calls in flight\n\n");
    std::printf("| driver | succeeded | CPU us/call | peak RSS KiB | RSS growth KiB | calls/s |\n"
                "|---|---:|---:|---:|---:|---:|\n");
    {
        served s;
        in_child(
            [&] { asio_run(s.url(), 1000, 1000, 16, "Asio, one thread, 16 connections", false); });
    }
    {
        served s;
        in_child([&] { threads_run(s.url(), 1000, "blocking, 1000 threads"); });
    }

    std::printf(
        "\n## Live heap per call in flight (Asio; answers held back until all are out)\n\n");
    std::printf("| calls in flight | connections | live heap KiB | per call, bytes |\n"
                "|---:|---:|---:|---:|\n");
    for (std::size_t conns : {std::size_t(16), std::size_t(1000)}) {
        served s(1000);
        in_child([&] {
            asio::io_context io;
            trtc::asio_transport_options topt;
            topt.max_connections_per_host = conns;
            auto client = trtc::asio_client::create(io, config(s.url()), topt).value();
            // Warm: the UserSig, the signed query, the engine, one connection.
            int done = 0;
            client.async_create_battle(req(-1), [&](auto) { ++done; });
            while (done == 0) io.run_one();
            const std::size_t before = mallinfo2().uordblks;
            for (int i = 0; i < 1000; ++i)
                client.async_create_battle(req(i), [&](auto) { ++done; });
            // Run until every call is out and waiting (the answers are held for 1.5 s).
            io.run_for(std::chrono::milliseconds(700));
            const std::size_t during = mallinfo2().uordblks;
            const double per = (static_cast<double>(during) - static_cast<double>(before)) / 1000;
            std::printf("| 1000 | %zu | %.0f | %.0f |\n",
                        client.transport().peak_connections_per_host(),
                        (static_cast<double>(during) - static_cast<double>(before)) / 1024, per);
            client.transport().close();
            io.run_for(std::chrono::seconds(5));
        });
    }
    return 0;
}
