// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief Fuzzes the Asio client's response path: a real asio_client call over loopback TCP to a
/// server, in the same io_context, that answers with the input's bytes, cut into chunks.
///
/// Input: the first byte picks the endpoint (bits 0-1: create_battle, get_battle_info,
/// set_battle_score, create_battle) and the response body limit (bit 2: 256 bytes, else the
/// default 1 MiB); the next three bytes are cut points (each byte x size / 256), at which the
/// server's writes are split; the rest is what the server writes on every connection of the call
/// (`$SIG` replaced by the UserSig of that connection's request), before it shuts its side down.
///
/// Properties: never a crash, and the call always completes (within 20 s: a hang fails); the
/// outcome is the one the call engine reaches when each attempt is answered with what
/// http1_response_parser, fed the same bytes whole, makes of them (a response when complete, at
/// the latest at EOF; response_too_large when a limit is exceeded; malformed_response on any
/// other parse error; connection_closed when the bytes end before a complete response): the
/// same success fields, or the same error code, with the same message and RequestId for a
/// decode or service error; as many attempts as connections the server accepted, one event
/// each; no error message, RequestId or event RequestId holds 24 characters of a UserSig in a
/// row, and every message is at most 2 KiB without a control character.

#include "fuzz_common.hpp"

#include <trtc/adapters/asio.hpp>
#include <trtc/json.hpp>
#include <trtc/trtc.hpp>

#include <asio/ip/tcp.hpp>
#include <asio/write.hpp>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace {

using tcp = asio::ip::tcp;

/// A fixed clock, so that the Asio client's engine and the reference engine sign with the same
/// UserSig (the fuzzer plants pieces of it in answers, which both must scrub alike).
struct fixed_clock {
    trtc::unix_time now() const { return trtc::from_unix_seconds(1700000000); }
};
struct policies : trtc::default_policies {
    using clock = fixed_clock;
};
using engine = trtc::call_engine<policies>;
using client = trtc::basic_asio_client<policies>;

constexpr std::size_t small_limit = 256;
const std::size_t default_limit = trtc::asio_transport_options{}.max_response_bytes;

/// What one input's call saw: the UserSigs the server got (one per connection) and the events.
struct record {
    std::vector<std::string> sigs;
    std::vector<trtc::call_event> events;
    std::vector<std::string> event_ids;
    void clear() {
        sigs.clear();
        events.clear();
        event_ids.clear();
    }
};

record asio_seen;   // the Asio client's call
record engine_seen; // the reference run of the engine

std::string with_sig(std::string_view bytes, const std::string& sig) {
    std::string out(bytes);
    for (std::size_t at = out.find("$SIG"); at != std::string::npos;
         at = out.find("$SIG", at + sig.size()))
        out.replace(at, 4, sig);
    return out;
}

trtc::client_config config(std::uint16_t port, record& seen) {
    trtc::client_config c;
    c.creds = {1400000000, "administrator", "fuzz-secret-key-0123456789abcdef",
               std::chrono::hours(24)};
    c.where = trtc::location::parse("http://127.0.0.1:" + std::to_string(port)).value();
    c.attempt_timeout = std::chrono::milliseconds(5000);
    c.call_timeout = std::chrono::milliseconds(15000);
    c.retry.max_attempts = 1;
    c.rate_limit.per_second = 0;
    c.on_event = [&seen](const trtc::call_event& e) {
        seen.events.push_back(e);
        seen.event_ids.emplace_back(e.request_id);
        seen.events.back().request_id = {};
        seen.events.back().redacted_url = {};
        seen.events.back().command = {};
    };
    return c;
}

/// One connection of the server: reads the request, writes the answer in chunks, shuts its
/// side down and waits for the client to close, then resets (no TIME_WAIT left behind).
struct session : std::enable_shared_from_this<session> {
    session(tcp::socket s, std::string_view answer, const std::vector<std::size_t>& cuts, int& live)
        : sock(std::move(s)), answer_template(answer), cuts(cuts), live(live) {
        ++live;
    }
    ~session() { --live; }

    void start() { read_request(); }

  private:
    void read_request() {
        auto self = shared_from_this();
        sock.async_read_some(asio::buffer(buf), [self](const std::error_code& ec, std::size_t n) {
            if (n > 0) {
                std::size_t used = 0;
                const auto st = self->request.feed(std::string_view(self->buf, n), used);
                if (st == trtc::detail::http1_status::complete) {
                    const std::string sig = fuzz::usersig_of(self->request.target());
                    asio_seen.sigs.push_back(sig);
                    self->answer = with_sig(self->answer_template, sig);
                    return self->write_chunk(0, 0);
                }
                FUZZ_CHECK(st != trtc::detail::http1_status::error);
            }
            if (ec) return; // the client gave up: nothing to answer
            self->read_request();
        });
    }

    void write_chunk(std::size_t index, std::size_t from) {
        std::size_t to = answer.size();
        while (index < cuts.size()) {
            const std::size_t cut = cuts[index] * answer.size() / 256;
            if (cut > from) {
                to = cut;
                break;
            }
            ++index;
        }
        if (from >= answer.size()) {
            std::error_code ignored;
            sock.shutdown(tcp::socket::shutdown_send, ignored);
            return drain();
        }
        auto self = shared_from_this();
        asio::async_write(sock, asio::buffer(answer.data() + from, to - from),
                          [self, index, to](const std::error_code& ec, std::size_t) {
                              if (ec) return self->drain(); // the client closed early
                              self->write_chunk(index, to);
                          });
    }

    void drain() {
        auto self = shared_from_this();
        sock.async_read_some(asio::buffer(buf), [self](const std::error_code& ec, std::size_t) {
            if (!ec) return self->drain();
            std::error_code ignored;
            self->sock.set_option(asio::socket_base::linger(true, 0), ignored);
            self->sock.close(ignored);
        });
    }

    tcp::socket sock;
    std::string_view answer_template;
    const std::vector<std::size_t>& cuts;
    int& live;
    trtc::detail::http1_request_parser request;
    std::string answer;
    char buf[4096];
};

/// The loopback server and the two clients (one per body limit), made once.
struct world {
    asio::io_context io;
    tcp::acceptor acceptor{io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)};
    std::uint16_t port = acceptor.local_endpoint().port();
    client big = make_client(default_limit);
    client small = make_client(small_limit);
    // The reference engines, one per client (so that any state kept between calls matches).
    engine ref_big = engine::create(config(port, engine_seen)).value();
    engine ref_small = engine::create(config(port, engine_seen)).value();

    // Per input.
    std::string_view answer;
    std::vector<std::size_t> cuts;
    int live = 0;
    bool accepting = false;

    client make_client(std::size_t limit) {
        trtc::asio_transport_options t;
        t.idle_timeout = std::chrono::milliseconds(0); // a fresh connection per attempt
        t.max_response_bytes = limit;
        return client::create(io, config(port, asio_seen), t).value();
    }

    void accept() {
        accepting = true;
        acceptor.async_accept([this](const std::error_code& ec, tcp::socket s) {
            accepting = false;
            if (ec) return;
            std::make_shared<session>(std::move(s), answer, cuts, live)->start();
            accept();
        });
    }
};

world& the_world() {
    static world* w = new world(); // never destroyed: libFuzzer exits without unwinding
    return *w;
}

/// What the transport must make of `bytes`: the verdict of http1_response_parser fed them whole
/// and then the end of the stream.
trtc::result<trtc::http_response> expected_transport(const std::string& bytes, std::size_t limit) {
    trtc::detail::http1_limits limits;
    limits.max_body = limit;
    trtc::detail::http1_response_parser p(limits);
    std::size_t used = 0;
    auto st = bytes.empty() ? trtc::detail::http1_status::need_more : p.feed(bytes, used);
    if (st == trtc::detail::http1_status::error) {
        const bool too_large = p.error() == trtc::detail::http1_error::body_too_large ||
                               p.error() == trtc::detail::http1_error::header_too_large;
        return trtc::error(too_large ? trtc::transport_errc::response_too_large
                                     : trtc::transport_errc::malformed_response,
                           "parse error");
    }
    if (st != trtc::detail::http1_status::complete) st = p.finish();
    if (st == trtc::detail::http1_status::complete)
        return trtc::http_response{p.status_code(), p.take_body()};
    return trtc::error(trtc::transport_errc::connection_closed, "closed");
}

// A success's fields: its RequestId and its Response as trtc::write_response writes it.
template <class Endpoint>
std::string fields_of(const typename Endpoint::response& r) {
    std::string s = r.request_id + '|';
    trtc::json::writer w(s);
    trtc::write_response<Endpoint>(r, w);
    return s;
}

/// The engine run by hand, each attempt answered with expected_transport() of the bytes with
/// the UserSig the server saw on the same attempt.
template <class Request>
trtc::result<typename Request::endpoint::response>
reference_run(engine& reference, const Request& req, std::string_view bytes, std::size_t limit) {
    auto now = std::chrono::steady_clock::now();
    auto call = reference.start_call(req, {}, now);
    std::size_t sends = 0;
    for (int step = 0; step < 16 && call.step() != trtc::call_step::done; ++step) {
        if (call.step() == trtc::call_step::wait) {
            now = call.deadline();
            call.on_wake(now);
            continue;
        }
        FUZZ_CHECK(sends < asio_seen.sigs.size()); // the Asio call made as many attempts
        const std::string& sig = asio_seen.sigs[sends++];
        call.on_response(expected_transport(with_sig(bytes, sig), limit), now);
    }
    FUZZ_CHECK(call.step() == trtc::call_step::done);
    FUZZ_CHECK(sends == asio_seen.sigs.size());
    return std::move(call.outcome());
}

template <class Request>
void check(world& w, const Request& req, bool small, std::string_view bytes) {
    using response = typename Request::endpoint::response;
    asio_seen.clear();
    engine_seen.clear();
    w.answer = bytes;
    w.accept();

    bool done = false;
    trtc::result<response> got = trtc::error(trtc::errc::invalid_argument, "not completed");
    (small ? w.small : w.big).async_call(req, [&](trtc::result<response> r) {
        got = std::move(r);
        done = true;
    });
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    w.io.restart();
    while (!done && std::chrono::steady_clock::now() < give_up)
        w.io.run_one_for(std::chrono::milliseconds(100));
    FUZZ_CHECK(done);
    // Stop accepting and let the server's sessions end.
    w.acceptor.cancel();
    while ((w.live > 0 || w.accepting) && std::chrono::steady_clock::now() < give_up)
        w.io.run_one_for(std::chrono::milliseconds(100));
    FUZZ_CHECK(w.live == 0 && !w.accepting);

    // One event per attempt, and as many attempts as connections.
    FUZZ_CHECK(asio_seen.events.size() == asio_seen.sigs.size());
    for (std::size_t i = 0; i < asio_seen.events.size(); ++i)
        for (const std::string& sig : asio_seen.sigs)
            FUZZ_CHECK_SHOW(
                !fuzz::holds_piece(asio_seen.event_ids[i], sig, trtc::detail::scrub_run),
                asio_seen.event_ids[i], sig);

    const auto want = reference_run(small ? w.ref_small : w.ref_big, req, bytes,
                                    small ? small_limit : default_limit);
    FUZZ_CHECK(engine_seen.events.size() == asio_seen.events.size());
    FUZZ_CHECK_SHOW(got.has_value() == want.has_value(), got ? "ok" : got.error().describe(),
                    want ? "ok" : want.error().describe());
    if (got) {
        using endpoint = typename Request::endpoint;
        FUZZ_CHECK_SHOW(fields_of<endpoint>(*got) == fields_of<endpoint>(*want),
                        fields_of<endpoint>(*got), fields_of<endpoint>(*want));
        return;
    }
    const trtc::error& e = got.error();
    FUZZ_CHECK_SHOW(e.code == want.error().code, e.describe(), want.error().describe());
    const auto& cat = e.code.category();
    if (cat == trtc::decode_category() || cat == trtc::service_category()) {
        FUZZ_CHECK_SHOW(e.message == want.error().message, e.message, want.error().message);
        FUZZ_CHECK(e.request_id() == want.error().request_id());
    }
    FUZZ_CHECK_SHOW(e.message.size() <= 2048, e.message, bytes);
    FUZZ_CHECK_SHOW(!fuzz::has_control(e.message), e.message, bytes);
    const std::string line = e.describe();
    FUZZ_CHECK_SHOW(!fuzz::has_control(line), line, bytes);
    for (const std::string& sig : asio_seen.sigs) {
        FUZZ_CHECK_SHOW(!fuzz::holds_piece(line, sig, trtc::detail::scrub_run), line, sig);
        FUZZ_CHECK_SHOW(!fuzz::holds_piece(e.request_id(), sig, trtc::detail::scrub_run),
                        e.request_id(), sig);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    world& w = the_world();
    fuzz::splitter in(data, size);
    const std::uint8_t head = in.byte();
    const bool small = (head & 4) != 0;
    w.cuts.clear();
    for (int i = 0; i < 3; ++i) w.cuts.push_back(in.byte());
    std::sort(w.cuts.begin(), w.cuts.end());
    const std::string_view bytes = in.rest();
    switch (head & 3) {
    case 1:
        check(w, trtc::get_battle_info::request::by_battle_id("b1"), small, bytes);
        break;
    case 2: {
        trtc::set_battle_score::request r;
        r.battle_id = "b1";
        r.op = trtc::set_battle_score::operation::overwrite;
        r.scores = {{"pk-1", 3}};
        check(w, r, small, bytes);
        break;
    }
    default:
        check(w, trtc::create_battle::request{"pk-1", {"pk-2"}, std::chrono::seconds(30), {}},
              small, bytes);
        break;
    }
    return 0;
}
