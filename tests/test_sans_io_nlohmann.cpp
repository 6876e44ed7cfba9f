// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
// The sans-I/O cases over the nlohmann/json adapter: the same cases as the built-in policy.
#include <trtc/adapters/nlohmann_json.hpp>

#include "sans_io_cases.hpp"

TEST_CASE_TEMPLATE_INVOKE(prepare_create_battle, trtc::nlohmann_json_policy);
TEST_CASE_TEMPLATE_INVOKE(prepare_escaping, trtc::nlohmann_json_policy);
TEST_CASE_TEMPLATE_INVOKE(prepare_validation, trtc::nlohmann_json_policy);
TEST_CASE_TEMPLATE_INVOKE(prepare_others, trtc::nlohmann_json_policy);
TEST_CASE_TEMPLATE_INVOKE(prepare_signed_query, trtc::nlohmann_json_policy);
TEST_CASE_TEMPLATE_INVOKE(decode_create_battle, trtc::nlohmann_json_policy);
TEST_CASE_TEMPLATE_INVOKE(decode_others, trtc::nlohmann_json_policy);
TEST_CASE_TEMPLATE_INVOKE(decode_service_errors, trtc::nlohmann_json_policy);
TEST_CASE_TEMPLATE_INVOKE(decode_malformed, trtc::nlohmann_json_policy);
TEST_CASE_TEMPLATE_INVOKE(decode_redaction, trtc::nlohmann_json_policy);
