/* Time: clock_gettime, clock_getres, clock_nanosleep, nanosleep,
 * gettimeofday, time, times, getitimer, setitimer, alarm, timerfd_create,
 * timerfd_settime, timerfd_gettime, adjtimex and clock_adjtime (queries). Only relations between times are
 * printed. (clock_settime and settimeofday are never called: the tests run
 * as root.) */
#include "walitest.h"
#ifndef __wasm__
#include <string.h>
#endif

#define EBADF 9
#define EFAULT 14
#define EINVAL 22
#define EAGAIN 11

#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID 3
#define CLOCK_BOOTTIME 7
#define TIMER_ABSTIME 1
#define ITIMER_REAL 0
#define ITIMER_VIRTUAL 1
#define TFD_NONBLOCK 04000
#define TFD_CLOEXEC 02000000

struct t_timespec {
    long long sec, nsec;
};
struct t_timeval {
    long long sec, usec;
};
struct t_timezone {
    int minuteswest, dsttime;
};
struct t_itimerval {
    struct t_timeval interval, value;
};
struct t_itimerspec {
    struct t_timespec interval, value;
};
struct t_tms {
    long long utime, stime, cutime, cstime;
};

struct t_timex {
    unsigned modes;
    int pad0;
    long long offset, freq, maxerror, esterror;
    int status, pad1;
    long long constant, precision, tolerance;
    struct t_timeval time;
    long long tick, ppsfreq, jitter;
    int shift, pad2;
    long long stabil, jitcnt, calcnt, errcnt, stbcnt;
    int tai;
    int reserved[11];
};
_Static_assert(sizeof(struct t_timex) == 208, "timex");

/* The spec leaves these untyped: the C prototypes. */
#ifdef __wasm__
WALI_IMPORT("SYS_adjtimex") long long w_adjtimex(struct t_timex *);
WALI_IMPORT("SYS_clock_adjtime") long long w_clock_adjtime(int, struct t_timex *);
WALI_IMPORT("SYS_time") long long w_time(long long *);
WALI_IMPORT("SYS_times") long long w_times(struct t_tms *);
WALI_IMPORT("SYS_getitimer") long long w_getitimer(int, struct t_itimerval *);
WALI_IMPORT("SYS_alarm") long long w_alarm(unsigned);
WALI_IMPORT("SYS_timerfd_create") long long w_timerfd_create(int, int);
WALI_IMPORT("SYS_timerfd_settime")
long long w_timerfd_settime(int, int, const struct t_itimerspec *, struct t_itimerspec *);
WALI_IMPORT("SYS_timerfd_gettime") long long w_timerfd_gettime(int, struct t_itimerspec *);
#else
static long long w_adjtimex(struct t_timex *t) { return walit_ret(syscall(SYS_adjtimex, t)); }
static long long w_clock_adjtime(int c, struct t_timex *t) {
    return walit_ret(syscall(SYS_clock_adjtime, c, t));
}
static long long w_time(long long *t) { return walit_ret(syscall(SYS_time, t)); }
static long long w_times(struct t_tms *t) { return walit_ret(syscall(SYS_times, t)); }
static long long w_getitimer(int w, struct t_itimerval *v) {
    return walit_ret(syscall(SYS_getitimer, w, v));
}
static long long w_alarm(unsigned s) { return walit_ret(syscall(SYS_alarm, s)); }
static long long w_timerfd_create(int c, int f) {
    return walit_ret(syscall(SYS_timerfd_create, c, f));
}
static long long w_timerfd_settime(int fd, int f, const struct t_itimerspec *n,
                                   struct t_itimerspec *o) {
    return walit_ret(syscall(SYS_timerfd_settime, fd, f, n, o));
}
static long long w_timerfd_gettime(int fd, struct t_itimerspec *c) {
    return walit_ret(syscall(SYS_timerfd_gettime, fd, c));
}
#endif

static long long ns(struct t_timespec t) { return t.sec * 1000000000LL + t.nsec; }

static long long mono_ns(void) {
    struct t_timespec t = {0, 0};
    sys_clock_gettime(CLOCK_MONOTONIC, &t);
    return ns(t);
}

static void clocks(void) {
    out("-- clocks\n");
    struct t_timespec a, b;
    int ids[] = {CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_PROCESS_CPUTIME_ID,
                 CLOCK_THREAD_CPUTIME_ID, CLOCK_BOOTTIME};
    for (unsigned i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        a.nsec = -1;
        long long r = sys_clock_gettime(ids[i], &a);
        show("clock_gettime", r);
        show("nsec_in_range", a.nsec >= 0 && a.nsec < 1000000000);
        show("clock_getres", sys_clock_getres(ids[i], &b));
        show("res_positive_below_1s", b.sec == 0 && b.nsec > 0);
    }
    sys_clock_gettime(CLOCK_MONOTONIC, &a);
    sys_clock_gettime(CLOCK_MONOTONIC, &b);
    show("monotonic", ns(b) >= ns(a));
    show("clock_gettime_bad_clock", sys_clock_gettime(999, &a));
    show("clock_gettime_efault", sys_clock_gettime(CLOCK_MONOTONIC, BAD_PTR));
    show("clock_gettime_null", sys_clock_gettime(CLOCK_MONOTONIC, NULL));
    show("clock_getres_null", sys_clock_getres(CLOCK_MONOTONIC, NULL));
    show("clock_getres_efault", sys_clock_getres(CLOCK_MONOTONIC, BAD_PTR));
    show("clock_getres_bad_clock", sys_clock_getres(999, &a));

    struct t_timeval tv;
    struct t_timezone tz;
    sys_clock_gettime(CLOCK_REALTIME, &a);
    show("gettimeofday", sys_gettimeofday(&tv, &tz));
    show("gettimeofday_usec_range", tv.usec >= 0 && tv.usec < 1000000);
    show("gettimeofday_near_realtime", tv.sec >= a.sec && tv.sec - a.sec <= 2);
    show("gettimeofday_null", sys_gettimeofday(NULL, NULL));
    show("gettimeofday_tv_efault", sys_gettimeofday(BAD_PTR, NULL));
    show("gettimeofday_tz_efault", sys_gettimeofday(&tv, BAD_PTR));

    long long t = 0;
    long long r = w_time(&t);
    show("time_matches_out", r == t);
    show("time_near_realtime", r >= a.sec && r - a.sec <= 2);
    show("time_null_ok", w_time(NULL) >= r);
    show("time_efault", w_time(BAD_PTR));

    struct t_tms tms;
    tms.utime = -1;
    show("times_ok", w_times(&tms) >= 0);
    show("times_fields", tms.utime >= 0 && tms.stime >= 0 && tms.cutime >= 0);
    show("times_null_ok", w_times(NULL) >= 0);
    show("times_efault", w_times(BAD_PTR));
}

static void sleeps(void) {
    out("-- sleeps\n");
    struct t_timespec req = {0, 20000000}, rem = {7, 7};
    long long t0 = mono_ns();
    show("nanosleep", sys_nanosleep(&req, &rem));
    show("nanosleep_elapsed_ok", mono_ns() - t0 >= 20000000);
    show("nanosleep_rem_untouched", rem.sec == 7 && rem.nsec == 7);
    show("nanosleep_rem_efault_uninterrupted", sys_nanosleep(&req, BAD_PTR));
    show("nanosleep_req_efault", sys_nanosleep(BAD_PTR, NULL));
    show("nanosleep_null", sys_nanosleep(NULL, NULL));
    struct t_timespec bad = {0, 1000000000};
    show("nanosleep_bad_nsec", sys_nanosleep(&bad, NULL));
    bad.sec = -1;
    bad.nsec = 0;
    show("nanosleep_negative", sys_nanosleep(&bad, NULL));

    t0 = mono_ns();
    req.nsec = 10000000;
    show("clock_nanosleep_rel", sys_clock_nanosleep(CLOCK_MONOTONIC, 0, &req, NULL));
    show("clock_nanosleep_elapsed_ok", mono_ns() - t0 >= 10000000);
    struct t_timespec until;
    sys_clock_gettime(CLOCK_MONOTONIC, &until);
    until.nsec += 5000000;
    if (until.nsec >= 1000000000) until.sec++, until.nsec -= 1000000000;
    show("clock_nanosleep_abs", sys_clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL));
    show("clock_nanosleep_abs_reached", mono_ns() >= ns(until));
    struct t_timespec past = {0, 1};
    show("clock_nanosleep_abs_past",
         sys_clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &past, NULL));
    show("clock_nanosleep_thread_clock",
         sys_clock_nanosleep(CLOCK_THREAD_CPUTIME_ID, 0, &req, NULL));
    show("clock_nanosleep_bad_clock", sys_clock_nanosleep(999, 0, &req, NULL));
    show("clock_nanosleep_efault", sys_clock_nanosleep(CLOCK_MONOTONIC, 0, BAD_PTR, NULL));
    show("clock_nanosleep_rem_efault",
         sys_clock_nanosleep(CLOCK_MONOTONIC, 0, &past, BAD_PTR));
}

static void itimers(void) {
    out("-- itimers\n");
    struct t_itimerval it, old;
    long long left;
    memset(&it, 0x55, sizeof it);
    show("getitimer", w_getitimer(ITIMER_REAL, &it));
    show("getitimer_idle", it.value.sec == 0 && it.value.usec == 0);
    struct t_itimerval set = {{0, 0}, {100, 0}};
    memset(&old, 0x55, sizeof old);
    show("setitimer", sys_setitimer(ITIMER_REAL, &set, &old));
    show("setitimer_old_idle", old.value.sec == 0 && old.value.usec == 0);
    w_getitimer(ITIMER_REAL, &it);
    show("getitimer_running", it.value.sec >= 98 && it.value.sec <= 100);
    left = w_alarm(50);
    show("alarm_replaces", left >= 99 && left <= 100);
    left = w_alarm(0);
    show("alarm_left", left >= 49 && left <= 50);
    w_getitimer(ITIMER_REAL, &it);
    show("alarm_cancelled", it.value.sec == 0 && it.value.usec == 0);
    show("alarm_none", w_alarm(0));

    struct t_itimerval virt = {{0, 0}, {30, 0}};
    show("setitimer_virtual", sys_setitimer(ITIMER_VIRTUAL, &virt, NULL));
    show("getitimer_virtual", w_getitimer(ITIMER_VIRTUAL, &it));
    show("virtual_running", it.value.sec >= 29 && it.value.sec <= 30);
    struct t_itimerval zero = {{0, 0}, {0, 0}};
    show("setitimer_virtual_off", sys_setitimer(ITIMER_VIRTUAL, &zero, &old));
    show("virtual_old", old.value.sec >= 29);

    show("getitimer_bad_which", w_getitimer(42, &it));
    show("getitimer_efault", w_getitimer(ITIMER_REAL, BAD_PTR));
    show("setitimer_bad_which", sys_setitimer(42, &zero, NULL));
    show("setitimer_efault", sys_setitimer(ITIMER_REAL, BAD_PTR, NULL));
    show("setitimer_old_efault", sys_setitimer(ITIMER_REAL, &zero, BAD_PTR));
    struct t_itimerval badv = {{0, 0}, {0, 2000000}};
    show("setitimer_bad_usec", sys_setitimer(ITIMER_REAL, &badv, NULL));
}

static void timerfds(void) {
    out("-- timerfd\n");
    int fd = (int)w_timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    show("timerfd_create_ok", fd >= 0);
    unsigned long long ticks = 0;
    show("read_unarmed", sys_read(fd, &ticks, 8));
    struct t_itimerspec cur, old, set = {{0, 0}, {0, 10000000}};
    memset(&old, 0x55, sizeof old);
    show("timerfd_settime", w_timerfd_settime(fd, 0, &set, &old));
    show("old_disarmed", old.value.sec == 0 && old.value.nsec == 0);
    show("timerfd_gettime", w_timerfd_gettime(fd, &cur));
    show("remaining_le_set", cur.value.sec == 0 && cur.value.nsec <= 10000000);
    struct t_timespec nap = {0, 20000000};
    sys_nanosleep(&nap, NULL);
    show("read_expired", sys_read(fd, &ticks, 8));
    show("ticks", (i64)ticks);
    show("timerfd_gettime_after", w_timerfd_gettime(fd, &cur));
    show("disarmed_after", cur.value.sec == 0 && cur.value.nsec == 0);

    struct t_itimerspec bad = {{0, 0}, {0, 1000000000}};
    show("timerfd_settime_bad_nsec", w_timerfd_settime(fd, 0, &bad, NULL));
    show("timerfd_settime_bad_flags", w_timerfd_settime(fd, 99, &set, NULL));
    show("timerfd_settime_efault", w_timerfd_settime(fd, 0, BAD_PTR, NULL));
    /* As on Linux, a bad `old` pointer faults after the timer is armed. */
    struct t_itimerspec ten = {{0, 0}, {10, 0}};
    show("timerfd_settime_old_efault", w_timerfd_settime(fd, 0, &ten, BAD_PTR));
    w_timerfd_gettime(fd, &cur);
    show("armed_despite_efault", cur.value.sec >= 9 && cur.value.sec <= 10);
    show("timerfd_gettime_efault", w_timerfd_gettime(fd, BAD_PTR));
    show("timerfd_gettime_badf", w_timerfd_gettime(-1, &cur));
    show("timerfd_gettime_notimer", w_timerfd_gettime(1, &cur));
    show("timerfd_create_bad_clock", w_timerfd_create(999, 0));
    show("timerfd_create_bad_flags", w_timerfd_create(CLOCK_MONOTONIC, 1));
    sys_close(fd);
}

/* Only queries (modes 0): the clock is never adjusted. */
static void adjust(void) {
    out("-- adjtimex\n");
    struct t_timex tx;
    memset(&tx, 0, sizeof tx);
    tx.tick = -1;
    long long r = w_adjtimex(&tx);
    show("adjtimex_state", r >= 0 && r <= 5);
    show("adjtimex_tick", tx.tick > 0);
    show("adjtimex_time_near", tx.time.sec > 0);
    show("adjtimex_efault", w_adjtimex(BAD_PTR));
    memset(&tx, 0, sizeof tx);
    r = w_clock_adjtime(CLOCK_REALTIME, &tx);
    show("clock_adjtime_state", r >= 0 && r <= 5);
    show("clock_adjtime_tick", tx.tick > 0);
    memset(&tx, 0, sizeof tx);
    show("clock_adjtime_monotonic", w_clock_adjtime(CLOCK_MONOTONIC, &tx));
    show("clock_adjtime_efault", w_clock_adjtime(CLOCK_REALTIME, BAD_PTR));
}

int test_main(int argc, char **argv, char **envp) {
    (void)argc, (void)argv, (void)envp;
    clocks();
    sleeps();
    itimers();
    timerfds();
    adjust();
    return 0;
}
