// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief Where requests go: the data-centre domains (primary and backup) and custom base URLs.
#ifndef TRTC_REGIONS_HPP
#define TRTC_REGIONS_HPP

#include "config.hpp"
#include "detail/url.hpp"
#include "errors.hpp"
#include "result.hpp"

#include <cstddef>
#include <string>
#include <string_view>

#if TRTC_DEFINITIONS
#    include "detail/utf8.hpp"
#endif

TRTC_BEGIN_NAMESPACE

/// The data centre an SDKAppID was created in. The REST API must be called on that centre's
/// domain (a wrong one answers 60026, 70016 or 70020).
enum class region { china, singapore, seoul, tokyo, frankfurt, mumbai, silicon_valley, jakarta };

/// A data centre's domains.
struct region_info {
    region id;
    /// The short name used on the command line: "china", "singapore", ...
    std::string_view name;
    /// Other accepted spellings, comma-separated.
    std::string_view aliases;
    /// The primary REST domain.
    std::string_view primary_host;
    /// The backup domain, for when the primary cannot be resolved or reached.
    std::string_view backup_host;
};

/// Every known data centre, in declaration order of trtc::region.
inline constexpr region_info regions[] = {
    {region::china, "china", "cn,mainland,shanghai", "console.tim.qq.com",
     "adminapi.my-imcloud.com"},
    {region::singapore, "singapore", "sgp,sg", "adminapisgp.im.qcloud.com",
     "adminapisgp.my-imcloud.com"},
    {region::seoul, "seoul", "kr,korea", "adminapikr.im.qcloud.com", "adminapikr.my-imcloud.com"},
    {region::tokyo, "tokyo", "jpn,jp,japan", "adminapijpn.im.qcloud.com",
     "adminapijpn.my-imcloud.com"},
    {region::frankfurt, "frankfurt", "ger,de,germany", "adminapiger.im.qcloud.com",
     "adminapiger.my-imcloud.com"},
    {region::mumbai, "mumbai", "ind,in,india", "adminapiind.im.qcloud.com",
     "adminapiind.my-imcloud.com"},
    {region::silicon_valley, "silicon-valley", "usa,us,silicon_valley,siliconvalley",
     "adminapiusa.im.qcloud.com", "adminapiusa.my-imcloud.com"},
    {region::jakarta, "jakarta", "idn,id,indonesia", "adminapiidn.im.qcloud.com",
     "adminapiidn.my-imcloud.com"},
};

/// The domains of a region.
constexpr const region_info& info(region r) noexcept {
    return regions[static_cast<int>(r)];
}

/// The region named `name` (its name or an alias, case-insensitive), or nullptr.
TRTC_DECL const region_info* find_region(std::string_view name) noexcept;

/// A validated base URL: scheme, host, port and an optional path prefix, to which
/// `/v4/<service>/<command>` is appended. For proxies, sidecars and the emulator.
class base_url {
  public:
    /// Parses `http[s]://host[:port][/prefix]`. The prefix may not hold a query or fragment;
    /// a trailing slash is dropped.
    static result<base_url> parse(std::string_view text);

    /// The base URL of a region's primary (or backup) domain, over HTTPS.
    static base_url of(region r, bool backup = false);

    /// The normalised text, without a trailing slash.
    const std::string& str() const noexcept { return text_; }
    /// Whether the scheme is https.
    bool is_https() const noexcept { return https_; }

    /// Appends `<base>/v4/<service>/<command>` to `out`.
    void append_api_path(std::string& out, std::string_view service,
                         std::string_view command) const;

  private:
    base_url() = default;
    std::string text_;
    bool https_ = false;
};

/// Where the service is: a primary base URL and, for the Tencent data centres, a backup one
/// that the client tries when the primary cannot be resolved or connected to.
struct location {
    base_url primary;
    base_url backup;
    bool has_backup = false;

    /// A data centre: its primary domain, with its backup domain.
    static location of(region r) { return {base_url::of(r), base_url::of(r, true), true}; }
    /// A custom base URL (a proxy, a sidecar, the emulator), with no backup.
    static result<location> parse(std::string_view url);
    /// A custom primary and backup.
    static result<location> parse(std::string_view primary, std::string_view backup);
};

#if TRTC_DEFINITIONS

TRTC_DECL const region_info* find_region(std::string_view name) noexcept {
    auto lower_eq = [](std::string_view a, std::string_view b) {
        if (a.size() != b.size()) return false;
        for (std::size_t i = 0; i < a.size(); ++i) {
            char c = a[i];
            if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
            if (c != b[i]) return false;
        }
        return true;
    };
    for (const region_info& r : regions) {
        if (lower_eq(name, r.name)) return &r;
        std::string_view rest = r.aliases;
        while (!rest.empty()) {
            std::size_t comma = rest.find(',');
            if (lower_eq(name, rest.substr(0, comma))) return &r;
            if (comma == std::string_view::npos) break;
            rest = rest.substr(comma + 1);
        }
    }
    return nullptr;
}

TRTC_DECL result<base_url> base_url::parse(std::string_view text) {
    detail::url_parts parts;
    auto fail = [&](const char* why) {
        std::string msg = "base URL ";
        detail::append_escaped_for_message(msg, text, 120);
        msg += ": ";
        msg += why;
        return error(errc::invalid_url, std::move(msg));
    };
    if (!detail::split_url(text, parts))
        return fail("is not an absolute http:// or https:// URL with a valid host and port");
    if (parts.target.find('?') != std::string_view::npos) return fail("must not contain a query");
    base_url b;
    b.text_.assign(text.data(), text.size());
    while (b.text_.size() > 1 && b.text_.back() == '/' &&
           b.text_.size() > parts.scheme.size() + 3 + parts.host.size())
        b.text_.pop_back();
    b.https_ = parts.scheme == "https";
    return b;
}

TRTC_DECL base_url base_url::of(region r, bool backup) {
    base_url b;
    b.text_ = "https://";
    b.text_ += backup ? info(r).backup_host : info(r).primary_host;
    b.https_ = true;
    return b;
}

TRTC_DECL void base_url::append_api_path(std::string& out, std::string_view service,
                                         std::string_view command) const {
    out += text_;
    out += "/v4/";
    out += service;
    out += '/';
    out += command;
}

TRTC_DECL result<location> location::parse(std::string_view url) {
    auto b = base_url::parse(url);
    if (!b) return std::move(b).error();
    return location{*b, *b, false};
}

TRTC_DECL result<location> location::parse(std::string_view primary, std::string_view backup) {
    auto p = base_url::parse(primary);
    if (!p) return std::move(p).error();
    auto b = base_url::parse(backup);
    if (!b) return std::move(b).error();
    return location{*p, *b, true};
}

#endif // TRTC_DEFINITIONS

TRTC_END_NAMESPACE

#endif // TRTC_REGIONS_HPP
