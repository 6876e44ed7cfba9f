// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief trtc::write_response: a decoded response written back as its Response object, driven by
/// the endpoint's field list (`read_fields`) through trtc::field_writer, which plays the
/// reader's part: each read of the list writes that member instead, under the key the list
/// names, in the list's order.
#ifndef TRTC_ENDPOINT_WRITER_HPP
#define TRTC_ENDPOINT_WRITER_HPP

#include "../config.hpp"
#include "../json/writer.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

TRTC_BEGIN_NAMESPACE

/// The field list vocabulary of trtc::field_reader, writing: every member is written, optional
/// or not (an absent optional field was read as the empty value, which reads back the same),
/// strings read by string_or_number() as strings. Each call returns false: it stored nothing in
/// `out`, so a list that converts a value after reading it (`if (r.integer(k, n, false)) x = f(n)`)
/// leaves the response alone, but writes `n` as it found it: write_response() needs lists that
/// read every field straight into the response, as the library's do.
class field_writer {
  public:
    explicit field_writer(json::writer& w) noexcept : w_(&w) {}

    bool string(std::string_view key, const std::string& value, bool /*required*/,
                std::size_t /*max_bytes*/ = 0) {
        w_->key(key);
        w_->string(value);
        return false;
    }

    bool string_or_number(std::string_view key, const std::string& value, bool /*required*/,
                          std::size_t /*max_bytes*/ = 0) {
        return string(key, value, false);
    }

    bool integer(std::string_view key, std::int64_t value, bool /*required*/) {
        w_->key(key);
        w_->integer(value);
        return false;
    }

    /// A duration, as the count of its own unit (std::chrono::milliseconds: milliseconds).
    template <class Rep, class Period,
              class = std::enable_if_t<std::is_integral_v<Rep> && std::is_signed_v<Rep>>>
    bool integer(std::string_view key, const std::chrono::duration<Rep, Period>& value,
                 bool /*required*/) {
        return integer(key, std::int64_t{value.count()}, false);
    }

    /// A time point, as the count of its duration's unit since its clock's epoch (unix_time:
    /// Unix seconds).
    template <class Clock, class Duration>
    bool integer(std::string_view key, const std::chrono::time_point<Clock, Duration>& value,
                 bool /*required*/) {
        return integer(key, value.time_since_epoch(), false);
    }

    bool int32(std::string_view key, int value, bool /*required*/) {
        return integer(key, std::int64_t{value}, false);
    }

    bool boolean(std::string_view key, bool value, bool /*required*/) {
        w_->key(key);
        w_->boolean(value);
        return false;
    }

    /// An array member of strings.
    bool strings(std::string_view key, const std::vector<std::string>& items, bool /*required*/) {
        w_->key(key);
        w_->begin_array();
        for (const std::string& item : items) w_->string(item);
        w_->end_array();
        return false;
    }

    /// An object member: `fields(field_writer&)` writes its members.
    template <class Fields>
    bool object(std::string_view key, bool /*required*/, Fields&& fields) {
        w_->key(key);
        w_->begin_object();
        fields(*this);
        w_->end_object();
        return false;
    }

    /// An array member of objects: `fields(field_writer&, T&)` writes each element's members.
    template <class T, class Fields>
    bool objects(std::string_view key, std::vector<T>& items, bool /*required*/, Fields&& fields) {
        w_->key(key);
        w_->begin_array();
        for (T& item : items) {
            w_->begin_object();
            fields(*this, item);
            w_->end_object();
        }
        w_->end_array();
        return false;
    }

    /// Always true: writing cannot fail.
    bool ok() const noexcept { return true; }

  private:
    json::writer* w_;
};

/// Writes `resp`, a response of endpoint `E`, to `w` as the Response object of a success body:
/// `{"BattleId":"..","Result":[..]}`, its members as E::read_fields lists them (RequestId and the
/// `random`, which belong to the envelope, are not written). decode<E>() of a success body with
/// this Response reads back the same fields. Every field is written, a secret one too
/// (get_callback_token's token): do not log what it writes for such an endpoint.
template <class E>
void write_response(const typename E::response& resp, json::writer& w) {
    // read_fields takes the response by reference to fill it: a copy gives it one to walk.
    typename E::response copy = resp;
    field_writer out(w);
    w.begin_object();
    E::read_fields(out, copy);
    w.end_object();
}

/// The field list vocabulary of trtc::field_reader, visiting: `f(std::string&)` is called on
/// every text member a field list names (strings, string_or_number strings, each item of a
/// string array), in the list's order, nested objects and arrays of objects included; the other
/// members are left alone. Each call returns false (nothing read).
template <class F>
class text_visitor {
  public:
    explicit text_visitor(F& f) noexcept : f_(&f) {}

    bool string(std::string_view /*key*/, std::string& value, bool /*required*/,
                std::size_t /*max_bytes*/ = 0) {
        (*f_)(value);
        return false;
    }
    bool string_or_number(std::string_view key, std::string& value, bool /*required*/,
                          std::size_t /*max_bytes*/ = 0) {
        return string(key, value, false);
    }
    /// Integers of any type the lists read (std::int64_t, durations, time points): not text.
    template <class T>
    bool integer(std::string_view /*key*/, T& /*value*/, bool /*required*/) noexcept {
        return false;
    }
    bool int32(std::string_view /*key*/, int& /*value*/, bool /*required*/) noexcept {
        return false;
    }
    bool boolean(std::string_view /*key*/, bool& /*value*/, bool /*required*/) noexcept {
        return false;
    }
    bool strings(std::string_view /*key*/, std::vector<std::string>& items, bool /*required*/) {
        for (std::string& item : items) (*f_)(item);
        return false;
    }
    template <class Fields>
    bool object(std::string_view /*key*/, bool /*required*/, Fields&& fields) {
        fields(*this);
        return false;
    }
    template <class T, class Fields>
    bool objects(std::string_view /*key*/, std::vector<T>& items, bool /*required*/,
                 Fields&& fields) {
        for (T& item : items) fields(*this, item);
        return false;
    }
    /// Always true: visiting cannot fail.
    bool ok() const noexcept { return true; }

  private:
    F* f_;
};

/// Calls `f(std::string&)` on every text of `resp`, a response of endpoint `E`: each text field
/// its field list names (E::read_fields) and the RequestId. For what a caller does to every
/// server-supplied text before showing it: the CLI removes pieces of the UserSig a server may
/// have echoed (trtc::redact_secrets), and could escape or cut them.
template <class E, class F>
void for_each_text(typename E::response& resp, F&& f) {
    f(resp.request_id);
    text_visitor<std::remove_reference_t<F>> v(f);
    E::read_fields(v, resp);
}

TRTC_END_NAMESPACE

#endif // TRTC_ENDPOINT_WRITER_HPP
