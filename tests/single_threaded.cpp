// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
// Linked into the test binaries that tests/suites.txt lists without `threads` (in the builds
// without a sanitizer, whose runtimes define the same function). The ThreadSanitizer build
// skips those binaries, which is sound only while none of their tests starts a thread: this
// definition takes the place of the C library's for the whole process (std::thread included),
// so such a test fails at once (exit status 3) and says what to do.
#include <cstdio>
#include <cstdlib>

// Declared here without <pthread.h>, whose declaration carries attributes that would have to be
// repeated; the linkage name is all that matters.
extern "C" int pthread_create(void*, const void*, void* (*)(void*), void*);

extern "C" int pthread_create(void*, const void*, void* (*)(void*), void*) {
    std::fputs("a test in this binary started a thread, but tests/suites.txt lists the binary "
               "as single-threaded: add the `threads` tag to its lines (or move the test to "
               "a threaded binary), so that the ThreadSanitizer build runs it\n",
               stderr);
    std::_Exit(3);
}
