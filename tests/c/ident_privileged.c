/* Privileged calls, exercised only on paths that change nothing (the tests
 * run as root): invalid clocks, bad pointers, bad counts. */
#include "walitest.h"

#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1

#ifdef __wasm__
WALI_IMPORT("SYS_clock_settime") long long w_clock_settime(int, const void *);
WALI_IMPORT("SYS_settimeofday") long long w_settimeofday(const void *, const void *);
#else
static long long w_clock_settime(int c, const void *t) {
    return walit_ret(syscall(SYS_clock_settime, c, t));
}
static long long w_settimeofday(const void *tv, const void *tz) {
    return walit_ret(syscall(SYS_settimeofday, tv, tz));
}
#endif

int test_main(int argc, char **argv, char **envp) {
    (void)argc, (void)argv, (void)envp;
    long long now[2];
    /* The monotonic clock cannot be set: EINVAL, nothing changes. */
    show("clock_gettime", sys_clock_gettime(CLOCK_MONOTONIC, now));
    show("clock_settime_monotonic", w_clock_settime(CLOCK_MONOTONIC, now));
    show("clock_settime_bad_clock", w_clock_settime(12345, now));
    show("clock_settime_bad_ptr", w_clock_settime(CLOCK_REALTIME, BAD_PTR));
    show("settimeofday_bad_tv", w_settimeofday(BAD_PTR, NULL));
    /* A timeval with an out-of-range microsecond field is EINVAL. */
    long long bad_tv[2] = {0, 2000000};
    show("settimeofday_bad_usec", w_settimeofday(bad_tv, NULL));
    show("setgroups_negative", sys_setgroups(-1, NULL));
    show("setgroups_bad_ptr", sys_setgroups(1, BAD_PTR));
    return 0;
}
