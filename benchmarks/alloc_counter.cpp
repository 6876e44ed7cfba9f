// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
// Counting replacements of the global operator new/delete and of the malloc family. They
// forward to glibc's own allocator (__libc_malloc and friends), so the heap is the normal one
// and only the counting is added. glibc lets an executable interpose malloc for every shared
// library, so allocations made by OpenSSL, zlib, libcurl and libstdc++ are counted as well.
#include "alloc_counter.hpp"

// Sanitizers bring their own allocator: replacing malloc under them would mix two heaps. There
// the counters stay at zero (alloc_counting() says so) and nothing is replaced.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#    define TRTC_BENCH_COUNT_ALLOCS 0
#elif defined(__has_feature)
#    if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) ||                     \
        __has_feature(memory_sanitizer)
#        define TRTC_BENCH_COUNT_ALLOCS 0
#    endif
#endif
#ifndef TRTC_BENCH_COUNT_ALLOCS
#    define TRTC_BENCH_COUNT_ALLOCS 1
#endif

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>

#include <dlfcn.h>
#include <execinfo.h>
#include <unistd.h>

#if TRTC_BENCH_COUNT_ALLOCS

extern "C" {
void* __libc_malloc(std::size_t) noexcept;
void* __libc_calloc(std::size_t, std::size_t) noexcept;
void* __libc_realloc(void*, std::size_t) noexcept;
void* __libc_memalign(std::size_t, std::size_t) noexcept;
void __libc_free(void*) noexcept;
}

namespace {

struct thread_counters {
    std::uint64_t count;
    std::uint64_t bytes;
    bool trace;
    bool in_trace;
};

// Constant-initialised, initial-exec TLS: reading it never allocates or calls a TLS
// initialiser, which matters inside malloc.
__attribute__((tls_model("initial-exec"))) thread_local thread_counters counters = {0, 0, false,
                                                                                    false};

void print_backtrace() noexcept {
    counters.in_trace = true;
    void* frames[40];
    const int n = backtrace(frames, 40);
    char line[512];
    int len = std::snprintf(line, sizeof line, "-- allocation #%llu\n",
                            static_cast<unsigned long long>(counters.count));
    if (len > 0) (void)!write(2, line, static_cast<std::size_t>(len));
    // Skip this function and the allocation function itself.
    for (int i = 2; i < n; ++i) {
        Dl_info info;
        std::memset(&info, 0, sizeof info);
        const char* module = "?";
        std::uintptr_t offset = reinterpret_cast<std::uintptr_t>(frames[i]);
        const char* symbol = "";
        if (dladdr(frames[i], &info) != 0) {
            if (info.dli_fname != nullptr) {
                module = info.dli_fname;
                if (const char* slash = std::strrchr(module, '/')) module = slash + 1;
            }
            offset -= reinterpret_cast<std::uintptr_t>(info.dli_fbase);
            if (info.dli_sname != nullptr) symbol = info.dli_sname;
        }
        // Return addresses point after the call: subtract 1 for addr2line.
        len = std::snprintf(line, sizeof line, "   %s+0x%lx %s\n", module,
                            static_cast<unsigned long>(offset - 1), symbol);
        if (len > 0)
            (void)!write(2, line,
                         static_cast<std::size_t>(len) < sizeof line ? static_cast<std::size_t>(len)
                                                                     : sizeof line - 1);
    }
    counters.in_trace = false;
}

inline void note(std::size_t bytes) noexcept {
    ++counters.count;
    counters.bytes += bytes;
    if (counters.trace && !counters.in_trace) print_backtrace();
}

[[noreturn]] void out_of_memory() {
#    if defined(__cpp_exceptions)
    throw std::bad_alloc();
#    else
    std::abort();
#    endif
}

void* counted_new(std::size_t n) {
    note(n);
    if (n == 0) n = 1;
    void* p = __libc_malloc(n);
    if (p == nullptr) out_of_memory();
    return p;
}

void* counted_new_aligned(std::size_t n, std::align_val_t a) {
    note(n);
    if (n == 0) n = 1;
    void* p = __libc_memalign(static_cast<std::size_t>(a), n);
    if (p == nullptr) out_of_memory();
    return p;
}

} // namespace

namespace bench {

bool alloc_counting() noexcept {
    return true;
}

alloc_totals alloc_snapshot() noexcept {
    return {counters.count, counters.bytes};
}

void alloc_trace(bool on) noexcept {
    counters.trace = on;
}

void alloc_trace_warm_up() noexcept {
    counters.in_trace = true;
    void* frames[4];
    (void)backtrace(frames, 4);
    counters.in_trace = false;
}

} // namespace bench

// ---- the malloc family ----------------------------------------------------------------------

extern "C" void* malloc(std::size_t n) noexcept {
    note(n);
    return __libc_malloc(n);
}

extern "C" void* calloc(std::size_t n, std::size_t size) noexcept {
    note(n * size);
    return __libc_calloc(n, size);
}

extern "C" void* realloc(void* p, std::size_t n) noexcept {
    note(n);
    return __libc_realloc(p, n);
}

extern "C" void* reallocarray(void* p, std::size_t n, std::size_t size) noexcept {
    if (size != 0 && n > SIZE_MAX / size) {
        errno = ENOMEM;
        return nullptr;
    }
    return realloc(p, n * size);
}

extern "C" void free(void* p) noexcept {
    __libc_free(p);
}

extern "C" void* memalign(std::size_t alignment, std::size_t n) noexcept {
    note(n);
    return __libc_memalign(alignment, n);
}

extern "C" void* aligned_alloc(std::size_t alignment, std::size_t n) noexcept {
    note(n);
    return __libc_memalign(alignment, n);
}

extern "C" int posix_memalign(void** out, std::size_t alignment, std::size_t n) noexcept {
    if (alignment < sizeof(void*) || (alignment & (alignment - 1)) != 0) return EINVAL;
    note(n);
    void* p = __libc_memalign(alignment, n);
    if (p == nullptr) return ENOMEM;
    *out = p;
    return 0;
}

// ---- operator new / delete, every form --------------------------------------------------------

void* operator new(std::size_t n) {
    return counted_new(n);
}
void* operator new[](std::size_t n) {
    return counted_new(n);
}
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
    note(n);
    return __libc_malloc(n == 0 ? 1 : n);
}
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept {
    note(n);
    return __libc_malloc(n == 0 ? 1 : n);
}
void* operator new(std::size_t n, std::align_val_t a) {
    return counted_new_aligned(n, a);
}
void* operator new[](std::size_t n, std::align_val_t a) {
    return counted_new_aligned(n, a);
}
void* operator new(std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
    note(n);
    return __libc_memalign(static_cast<std::size_t>(a), n == 0 ? 1 : n);
}
void* operator new[](std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
    note(n);
    return __libc_memalign(static_cast<std::size_t>(a), n == 0 ? 1 : n);
}

void operator delete(void* p) noexcept {
    __libc_free(p);
}
void operator delete[](void* p) noexcept {
    __libc_free(p);
}
void operator delete(void* p, std::size_t) noexcept {
    __libc_free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
    __libc_free(p);
}
void operator delete(void* p, const std::nothrow_t&) noexcept {
    __libc_free(p);
}
void operator delete[](void* p, const std::nothrow_t&) noexcept {
    __libc_free(p);
}
void operator delete(void* p, std::align_val_t) noexcept {
    __libc_free(p);
}
void operator delete[](void* p, std::align_val_t) noexcept {
    __libc_free(p);
}
void operator delete(void* p, std::size_t, std::align_val_t) noexcept {
    __libc_free(p);
}
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept {
    __libc_free(p);
}
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept {
    __libc_free(p);
}
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept {
    __libc_free(p);
}

#else // TRTC_BENCH_COUNT_ALLOCS

namespace bench {
bool alloc_counting() noexcept {
    return false;
}
alloc_totals alloc_snapshot() noexcept {
    return {};
}
void alloc_trace(bool) noexcept {}
void alloc_trace_warm_up() noexcept {}
} // namespace bench

#endif // TRTC_BENCH_COUNT_ALLOCS
