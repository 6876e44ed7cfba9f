// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
// trtc-battle load: N create_battle calls, K in flight at once on one thread (the Asio client),
// and a summary of how they went.
#include "requests.hpp"

#if TRTC_CLI_HAVE_ASIO
#    include <trtc/adapters/asio.hpp>

#    include <asio/io_context.hpp>
#endif

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

#if TRTC_CLI_HAVE_ASIO && defined(ASIO_NO_EXCEPTIONS)
// Asio built without exceptions calls this where it would throw (making the TLS context, or a
// thread, out of memory); the adapter reaches it nowhere else.
namespace asio::detail {
template <typename Exception>
void throw_exception(const Exception& e) {
    std::fprintf(stderr, "trtc-battle load: asio: %s\n", e.what());
    std::abort();
}
} // namespace asio::detail
#endif

namespace cli {
namespace {

std::vector<option_spec> load_options() {
    return join(join(service_options(),
                     {required_option({"calls", "N", "how many battles to create, 1 to 10000000"}),
                      required_option({"concurrency", "K", "calls in flight at once, 1 to 10000"}),
                      {"duration-ms", "N", "each battle's length in milliseconds (default 60000)"},
                      {"ca-file", "FILE", "CA bundle for HTTPS (default: the system store)"},
                      {"timeout-ms", "N", "each call's deadline (default 20000)"},
                      {"json", "", "print the summary as one JSON object"}}),
                shared_rate_limit_options());
}

#if TRTC_CLI_HAVE_ASIO
/// What the calls came to.
struct tally {
    std::size_t succeeded = 0;
    /// Failures by code: the service's ErrorCode, or the library's error name.
    std::map<std::string, std::size_t> failed;
    /// The first failure, described (never holds a secret: errors never do).
    std::string first_error;
    std::vector<double> latency_ms;
    std::size_t peak_in_flight = 0;
    double wall_s = 0;
    std::size_t connections = 0;
    std::size_t reused = 0;
};

/// The name a failure is counted under: the service's ErrorCode ("100001"), the library's own
/// condition ("outcome_unknown", "connect_refused"), else "category value".
std::string failure_name(const std::error_code& c) {
    if (c.category() == trtc::service_category()) return std::to_string(c.value());
    if (c.category() == trtc::trtc_category()) {
        switch (static_cast<trtc::errc>(c.value())) {
        case trtc::errc::invalid_request:
            return "invalid_request";
        case trtc::errc::invalid_argument:
            return "invalid_argument";
        case trtc::errc::invalid_url:
            return "invalid_url";
        case trtc::errc::outcome_unknown:
            return "outcome_unknown";
        case trtc::errc::rate_limited:
            return "rate_limited";
        case trtc::errc::deadline_exceeded:
            return "deadline_exceeded";
        case trtc::errc::usersig_unavailable:
            return "usersig_unavailable";
        case trtc::errc::cancelled:
            return "cancelled";
        }
    }
    if (c.category() == trtc::transport_category()) {
        using t = trtc::transport_errc;
        switch (static_cast<t>(c.value())) {
        case t::dns_failure:
            return "dns_failure";
        case t::connect_refused:
            return "connect_refused";
        case t::connect_timeout:
            return "connect_timeout";
        case t::tls_failure:
            return "tls_failure";
        case t::send_failed:
            return "send_failed";
        case t::timeout_after_send:
            return "timeout_after_send";
        case t::connection_closed:
            return "connection_closed";
        case t::response_too_large:
            return "response_too_large";
        case t::malformed_response:
            return "malformed_response";
        case t::unsupported_scheme:
            return "unsupported_scheme";
        case t::invalid_url:
            return "invalid_url";
        case t::local_failure:
            return "local_failure";
        case t::cancelled:
            return "cancelled";
        case t::cancelled_after_send:
            return "cancelled_after_send";
        }
    }
    return std::string(c.category().name()) + " " + std::to_string(c.value());
}

/// Writes `v` (finite, not negative) with `decimals` decimals.
void write_number(trtc::json::writer& w, double v, int decimals = 3) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    w.raw_number(buf);
}

/// The nearest-rank percentile of sorted values (0 when there are none).
double percentile(const std::vector<double>& sorted, double p) {
    if (sorted.empty()) return 0;
    auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
    return sorted[std::min(sorted.size(), std::max<std::size_t>(rank, 1)) - 1];
}

void print_summary(const args& a, std::size_t calls, std::size_t concurrency, tally& t) {
    std::sort(t.latency_ms.begin(), t.latency_ms.end());
    std::size_t n_failed = 0;
    for (const auto& f : t.failed) n_failed += f.second;
    const double per_s = t.wall_s > 0 ? static_cast<double>(calls) / t.wall_s : 0;
    const double p50 = percentile(t.latency_ms, 50), p90 = percentile(t.latency_ms, 90),
                 p99 = percentile(t.latency_ms, 99),
                 max = t.latency_ms.empty() ? 0 : t.latency_ms.back();
    if (a.has("json")) {
        std::string out;
        trtc::json::writer w(out);
        w.begin_object();
        w.key("calls");
        w.unsigned_integer(calls);
        w.key("concurrency");
        w.unsigned_integer(concurrency);
        w.key("succeeded");
        w.unsigned_integer(t.succeeded);
        w.key("failed");
        w.begin_object();
        for (const auto& f : t.failed) {
            w.key(f.first);
            w.unsigned_integer(f.second);
        }
        w.end_object();
        if (!t.first_error.empty()) {
            w.key("first_error");
            w.string(t.first_error);
        }
        w.key("wall_s");
        write_number(w, t.wall_s, 6);
        w.key("calls_per_s");
        write_number(w, per_s);
        w.key("latency_ms");
        w.begin_object();
        w.key("p50");
        write_number(w, p50);
        w.key("p90");
        write_number(w, p90);
        w.key("p99");
        write_number(w, p99);
        w.key("max");
        write_number(w, max);
        w.end_object();
        w.key("peak_in_flight");
        w.unsigned_integer(t.peak_in_flight);
        w.key("connections");
        w.unsigned_integer(t.connections);
        w.key("reused_requests");
        w.unsigned_integer(t.reused);
        w.end_object();
        std::printf("%s\n", out.c_str());
        return;
    }
    std::printf("%zu calls, %zu in flight at most (concurrency %zu): %zu succeeded, %zu failed "
                "in %.3f s (%.1f calls/s)\n",
                calls, t.peak_in_flight, concurrency, t.succeeded, n_failed, t.wall_s, per_s);
    std::printf("latency ms: p50 %.1f, p90 %.1f, p99 %.1f, max %.1f\n", p50, p90, p99, max);
    std::printf("connections opened: %zu, requests on reused connections: %zu\n", t.connections,
                t.reused);
    if (n_failed != 0) {
        std::string by;
        for (const auto& f : t.failed)
            by += (by.empty() ? "" : ", ") + f.first + " x" + std::to_string(f.second);
        std::printf("failed: %s\nfirst failure: %s\n", by.c_str(),
                    json_quote(t.first_error).c_str());
    }
}

/// Keeps `concurrency` calls in flight on one thread until `calls` have completed.
template <class Policies>
int run_load(const args& a, trtc::client_config cfg, trtc::asio_transport_options topt,
             std::size_t calls, std::size_t concurrency, std::chrono::milliseconds duration) {
    asio::io_context io(1);
    auto client = trtc::basic_asio_client<Policies>::create(io, std::move(cfg), std::move(topt));
    if (!client) return usage_failure("load", {client.error().message});
#    if TRTC_CLI_HAVE_REDIS
    if constexpr (std::is_same_v<typename Policies::rate_limiter, trtc::redis_rate_limiter>) {
        usage_error err;
        trtc::redis_limiter_options o;
        if (!parse_shared_rate_limit(a, o, err)) return usage_failure("load", err);
        if (auto ok = client->engine().rate_limiter().configure(std::move(o)); !ok)
            return usage_failure("load", {ok.error().message});
    }
#    endif
    // Fresh room ids: this run's tag, then the call's number.
    char tag[16];
    std::snprintf(tag, sizeof tag, "%08x", static_cast<unsigned>(std::random_device{}()));
    const std::string prefix = std::string("load-") + tag + "-";

    using clock = std::chrono::steady_clock;
    tally t;
    t.latency_ms.reserve(calls);
    std::size_t started = 0, done = 0, in_flight = 0;
    auto& c = *client;
    const auto begin = clock::now();
    // One call's start; its completion starts the next, so that K stay in flight.
    struct starter {
        trtc::basic_asio_client<Policies>& client;
        tally& t;
        std::size_t &started, &done, &in_flight;
        const std::size_t calls;
        const std::string& prefix;
        const std::chrono::milliseconds duration;
        void operator()() const {
            const std::string n = prefix + std::to_string(started++);
            ++in_flight;
            t.peak_in_flight = std::max(t.peak_in_flight, in_flight);
            const auto sent = clock::now();
            const starter self = *this;
            client.async_create_battle(
                {n + "a", {n + "b"}, duration, {}},
                [self, sent](trtc::result<trtc::create_battle::response> r) {
                    self.t.latency_ms.push_back(
                        std::chrono::duration<double, std::milli>(clock::now() - sent).count());
                    --self.in_flight;
                    ++self.done;
                    if (r) {
                        ++self.t.succeeded;
                    } else {
                        ++self.t.failed[failure_name(r.error().code)];
                        if (self.t.first_error.empty()) self.t.first_error = r.error().describe();
                    }
                    if (self.started < self.calls) self();
                    if (self.done == self.calls) self.client.transport().close();
                });
        }
    };
    const starter start{c, t, started, done, in_flight, calls, prefix, duration};
    for (std::size_t i = 0; i < concurrency; ++i) start();
    io.run();
    t.wall_s = std::chrono::duration<double>(clock::now() - begin).count();
    t.connections = c.transport().connections_opened();
    t.reused = c.transport().reused_requests();
    print_summary(a, calls, concurrency, t);
    return t.succeeded == calls ? ok : failed;
}
#endif

int cmd_load(const args& a) {
    usage_error err;
#if !TRTC_CLI_HAVE_ASIO
    (void)a;
    err.reason = "needs the Asio adapter (standalone Asio and OpenSSL's libssl), and this build "
                 "has none: rebuild with libasio-dev installed";
    return usage_failure("load", err);
#else
    service_args svc;
    if (!parse_service(a, svc, err)) return usage_failure("load", err);
    long long calls = 0, concurrency = 0, duration = 60000;
    if (!parse_int("calls", a.get("calls"), 1, 10000000, calls, err) ||
        !parse_int("concurrency", a.get("concurrency"), 1, 10000, concurrency, err) ||
        (a.has("duration-ms") &&
         !parse_int("duration-ms", a.get("duration-ms"), 1,
                    trtc::create_battle::max_duration.count(), duration, err)))
        return usage_failure("load", err);
    if (!check_shared_rate_limit_usage(a, err)) return usage_failure("load", err);
    trtc::client_config cfg;
    if (a.has("timeout-ms")) {
        long long ms = 0;
        if (!parse_int("timeout-ms", a.get("timeout-ms"), 1, 3600000, ms, err))
            return usage_failure("load", err);
        cfg.call_timeout = std::chrono::milliseconds(ms);
        if (cfg.attempt_timeout > cfg.call_timeout) cfg.attempt_timeout = cfg.call_timeout;
    }
    if (a.has("ca-file") && !svc.where.primary.is_https()) {
        bad_option(err, "ca-file", "applies only to https:// URLs");
        return usage_failure("load", err);
    }
    if (!load_secret_key(a, cfg.creds.secret_key, err)) return usage_failure("load", err);
    cfg.creds.sdkappid = svc.sdkappid;
    cfg.creds.identifier = svc.identifier;
    cfg.where = svc.where;
    // No more in flight than calls; one connection per call in flight at most.
    const auto k = static_cast<std::size_t>(std::min(calls, concurrency));
    trtc::asio_transport_options topt;
    topt.max_connections_per_host = k;
    topt.ca_file = a.get("ca-file");
#    if TRTC_CLI_HAVE_REDIS
    if (a.has("shared-rate-limit"))
        return run_load<shared_limit_policies<trtc::default_policies>>(
            a, std::move(cfg), std::move(topt), static_cast<std::size_t>(calls), k,
            std::chrono::milliseconds(duration));
#    endif
    return run_load<trtc::default_policies>(a, std::move(cfg), std::move(topt),
                                            static_cast<std::size_t>(calls), k,
                                            std::chrono::milliseconds(duration));
#endif
}

} // namespace

const std::vector<command>& load_commands() {
    static const std::vector<command> cmds = {
        {"load", "",
         "Load test: N battles created, K calls in flight at once on one thread.\n"
         "Each battle between two fresh rooms; the calls go through the Asio client, within the\n"
         "client's rate limit (200 calls/s, or --shared-rate-limit). Prints a summary:\n"
         "successes, failures by code, calls/s, latency percentiles, connections opened.\n"
         "Exit codes: 0 every call succeeded; 1 some failed; 2 usage error or a build without\n"
         "the Asio adapter (nothing sent).",
         load_options(), &cmd_load},
    };
    return cmds;
}

} // namespace cli
