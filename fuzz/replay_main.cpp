// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
/// @file
/// @brief A main for compilers without libFuzzer: runs every file named on the command line
/// (directories recursively, in sorted order) once through LLVMFuzzerTestOneInput. Arguments
/// starting with '-' (libFuzzer flags) are ignored, so the same command lines work for both.
/// Exits 0 after printing how many inputs ran; 1 when an argument cannot be read or no input
/// was found (an empty corpus is a mistake, not a pass). A broken property aborts.

#include "fuzz_common.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

namespace {

namespace fs = std::filesystem;

// Appends the regular files under `p` (or `p` itself), sorted; false if `p` cannot be read.
bool collect(const fs::path& p, std::vector<fs::path>& out) {
    std::error_code ec;
    const fs::file_status st = fs::status(p, ec);
    if (ec) return false;
    if (fs::is_regular_file(st)) {
        out.push_back(p);
        return true;
    }
    if (!fs::is_directory(st)) return false;
    std::vector<fs::path> found;
    fs::recursive_directory_iterator it(p, ec), end;
    if (ec) return false;
    for (; it != end; it.increment(ec)) {
        if (ec) return false;
        std::error_code ec2;
        if (it->is_regular_file(ec2) && !ec2) found.push_back(it->path());
    }
    std::sort(found.begin(), found.end());
    out.insert(out.end(), found.begin(), found.end());
    return true;
}

bool read_file(const fs::path& p, std::vector<std::uint8_t>& out) {
    out.clear();
    std::FILE* f = std::fopen(p.c_str(), "rb");
    if (f == nullptr) return false;
    std::uint8_t buf[65536];
    std::size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, f)) != 0) out.insert(out.end(), buf, buf + n);
    const bool ok = std::ferror(f) == 0;
    std::fclose(f);
    return ok;
}

} // namespace

int main(int argc, char** argv) {
    std::vector<fs::path> files;
    int named = 0;
    for (int i = 1; i < argc; ++i) {
        if (argv[i][0] == '-') continue;
        ++named;
        if (!collect(argv[i], files)) {
            std::fprintf(stderr, "%s: cannot read %s\n", argv[0], argv[i]);
            return 1;
        }
    }
    if (named == 0) {
        std::fprintf(stderr, "usage: %s FILE_OR_DIRECTORY...\n", argv[0]);
        return 1;
    }
    std::vector<std::uint8_t> data;
    std::size_t ran = 0;
    for (const fs::path& p : files) {
        if (!read_file(p, data)) {
            std::fprintf(stderr, "%s: cannot read %s\n", argv[0], p.c_str());
            return 1;
        }
        // A copy of exactly the input's size, so that reads past the end are caught by ASan.
        std::vector<std::uint8_t> exact(data.begin(), data.end());
        LLVMFuzzerTestOneInput(exact.empty() ? nullptr : exact.data(), exact.size());
        ++ran;
    }
    std::printf("%s: ran %zu inputs\n", argv[0], ran);
    if (ran == 0) {
        std::fprintf(stderr, "%s: no input found\n", argv[0]);
        return 1;
    }
    return 0;
}
