// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
// The sans-I/O cases over the built-in JSON policy.
#include "document_path_json.hpp"
#include "sans_io_cases.hpp"

TEST_CASE_TEMPLATE_INVOKE(prepare_create_battle, trtc::builtin_json);
TEST_CASE_TEMPLATE_INVOKE(prepare_escaping, trtc::builtin_json);
TEST_CASE_TEMPLATE_INVOKE(prepare_validation, trtc::builtin_json);
TEST_CASE_TEMPLATE_INVOKE(prepare_others, trtc::builtin_json);
TEST_CASE_TEMPLATE_INVOKE(prepare_signed_query, trtc::builtin_json);
TEST_CASE_TEMPLATE_INVOKE(decode_create_battle, trtc::builtin_json);
TEST_CASE_TEMPLATE_INVOKE(decode_others, trtc::builtin_json);
TEST_CASE_TEMPLATE_INVOKE(decode_service_errors, trtc::builtin_json);
TEST_CASE_TEMPLATE_INVOKE(decode_malformed, trtc::builtin_json);
TEST_CASE_TEMPLATE_INVOKE(decode_redaction, trtc::builtin_json);

// The decode cases again on the general path (json::document and field_reader), which decode()
// with trtc::builtin_json itself takes only for the bodies its one-pass decoder declines.
using decode_test::document_path_json;
TEST_CASE_TEMPLATE_INVOKE(decode_create_battle, document_path_json);
TEST_CASE_TEMPLATE_INVOKE(decode_others, document_path_json);
TEST_CASE_TEMPLATE_INVOKE(decode_service_errors, document_path_json);
TEST_CASE_TEMPLATE_INVOKE(decode_malformed, document_path_json);
TEST_CASE_TEMPLATE_INVOKE(decode_redaction, document_path_json);

TEST_CASE("the built-in policy writes the compact body byte for byte") {
    auto req =
        trtc::prepare(sans_io_test::sample_create(), sans_io_test::base(), sans_io_test::context());
    REQUIRE(req);
    CHECK(req->body == R"({"FromRoomId":"pk-1","ToRoomIdList":["pk-2","pk-3"],"Duration":60000,)"
                       R"("ExtensionInfo":"extension pk"})");
}

TEST_CASE("validate() checks without preparing") {
    CHECK(trtc::validate(sans_io_test::sample_create()));
    trtc::create_battle::request r;
    auto v = trtc::validate(r);
    REQUIRE_FALSE(v);
    CHECK(v.error().violations().size() == 3); // FromRoomId, ToRoomIdList, Duration
}
