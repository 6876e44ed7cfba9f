// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The trtc-battle authors
// Starts a thread with single_threaded.cpp linked in: the test passes when the guard stops it
// with its message (and fails if the thread ran, which prints the line below instead).
#include <cstdio>
#include <thread>

int main() {
    std::thread t([] { std::puts("the thread ran: the guard did not stop it"); });
    t.join();
    return 0;
}
