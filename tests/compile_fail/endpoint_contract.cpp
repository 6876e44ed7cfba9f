// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
// Must not compile: an endpoint that breaks rule BREAK of the endpoint contract
// (trtc/endpoint.hpp), given to trtc::validate(). tests/CMakeLists.txt compiles it once per rule
// and expects the static_assert that names that rule. BREAK=0 breaks nothing: it must compile.
#include <trtc/trtc.hpp>

#include <string>

#ifndef BREAK
#    define BREAK 0
#endif

struct broken {
#if BREAK != 1
    static constexpr std::string_view service = "svc";
    static constexpr std::string_view command = "cmd";
    static constexpr bool idempotent = true;
#endif
    struct request {
#if BREAK != 2
        using endpoint = broken;
#endif
        std::string id;
    };
#if BREAK != 3
    struct response : trtc::response_meta {
        std::string id;
    };
#else
    struct response {
        std::string id;
    };
#endif
#if BREAK != 4
    static void validate(const request& r, trtc::validator& v) {
        v.token("Id", r.id, 64);
    }
#endif
#if BREAK != 5
    template <class Sink>
    static void encode(const request& r, Sink& w) {
        w.begin_object();
        w.key("Id");
        w.string(r.id);
        w.end_object();
    }
#endif
#if BREAK != 6
    template <class Reader>
    static void read_fields(Reader& r, response& out) {
        r.string("Id", out.id, true);
    }
#endif
};

int main() {
    broken::request req;
    req.id = "x";
#if BREAK == 2
    return trtc::detail::check_endpoint<broken>() ? 0 : 1;
#else
    return trtc::validate(req) ? 0 : 1;
#endif
}
