/* Shared helpers of the benchmark programs: a clock, number formatting and
 * the machine-readable output the driver (bench/run.py) parses.
 *
 * Programs are built like the differential tests (tests/c/walitest.h, no
 * libc for WALI; gcc against glibc natively) and print `key=value` lines:
 *   clock=ok|none   whether clock_gettime works (the driver falls back to
 *                   timing whole processes when it does not)
 *   elapsed_ns=N    wall time of the measured loop (only with clock=ok)
 *   cpu_ns=N        CPU time of the calling thread in that loop, user and
 *                   kernel (CLOCK_THREAD_CPUTIME_ID): unlike wall time it
 *                   does not grow when other processes share the CPUs
 *   calls=N         iterations of the measured loop
 *   result=...      a checksum the driver compares with the native run
 *   error=NAME:-E   a call failed (e.g. -38, not implemented): no figure
 */
#ifndef BENCH_H
#define BENCH_H

#include "walitest.h"

#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_THREAD_CPUTIME_ID 3

struct b_timespec {
    long long tv_sec, tv_nsec;
};

/* Set by b_clock_init: clock_gettime works in this engine. */
static int b_have_clock;

static long long b_clock(int id) {
    struct b_timespec ts;
    if (sys_clock_gettime(id, &ts) != 0) return -1;
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static long long b_now(void) { return b_clock(CLOCK_MONOTONIC); }

/* CPU time of this thread at the start of the measured loop. */
static long long b_cpu0 = -1;

static void b_clock_init(void) {
    b_have_clock = b_now() >= 0;
    out(b_have_clock ? "clock=ok\n" : "clock=none\n");
}

/* Reports a failed call and ends the run with status 2. */
static void b_fail(const char *what, long long r) {
    out("error=");
    out(what);
    out(":");
    out_i64(r);
    out("\n");
    t_exit(2);
}

/* Starts a measured loop: returns the wall clock, notes the CPU clock. */
static long long b_start(void) {
    b_cpu0 = b_clock(CLOCK_THREAD_CPUTIME_ID);
    return b_now();
}

/* Ends a measured loop started at `t0` (a b_start() value). */
static void b_report(long long t0, long long calls) {
    if (b_have_clock) {
        long long t1 = b_now();
        long long c1 = b_clock(CLOCK_THREAD_CPUTIME_ID);
        show("elapsed_ns", t1 - t0);
        if (b_cpu0 >= 0 && c1 >= 0) show("cpu_ns", c1 - b_cpu0);
    }
    show("calls", calls);
}

/* Decimal string to long long (iteration counts, times). */
static long long b_atoll(const char *s) {
    long long v = 0;
    int neg = *s == '-';
    if (neg) s++;
    while (*s >= '0' && *s <= '9') v = v * 10 + (*s++ - '0');
    return neg ? -v : v;
}

/* Writes v in decimal at buf (NUL-terminated); returns buf. */
static char *b_fmt(char *buf, long long v) {
    char tmp[24];
    int n = 0, i = 0;
    unsigned long long u = v < 0 ? -(unsigned long long)v : (unsigned long long)v;
    do tmp[n++] = '0' + u % 10; while (u /= 10);
    if (v < 0) buf[i++] = '-';
    while (n) buf[i++] = tmp[--n];
    buf[i] = 0;
    return buf;
}

#endif
