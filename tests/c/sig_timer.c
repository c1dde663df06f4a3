/* Timers and interrupted calls: setitimer/getitimer/alarm with a SIGALRM
 * handler; poll (a sleep) and pause end with -EINTR after the handler ran; a
 * blocking pipe read is restarted under SA_RESTART and fails with -EINTR
 * without it; errors of setitimer/getitimer.
 *   sig_timer          everything
 *   sig_timer alarm    alarm(1) + pause (takes a second)
 *   sig_timer dfl      SIGALRM with its default action: death by SIGALRM */
#include "walitest.h"
#include "sigtest.h"
#ifndef __wasm__
#include <errno.h>
#include <signal.h>
#include <string.h>
#endif

#define T_SIGALRM 14
#define T_SA_RESTART 0x10000000ull
#define ITIMER_REAL 0
#define ITIMER_VIRTUAL 1
#define EINTR 4

#ifdef __wasm__
WALI_IMPORT("SYS_alarm") long long x_alarm(unsigned int);
WALI_IMPORT("SYS_getitimer") long long x_getitimer(int, void *);
#else
static long long x_alarm(unsigned int s) { return walit_ret(syscall(SYS_alarm, s)); }
static long long x_getitimer(int w, void *v) { return walit_ret(syscall(SYS_getitimer, w, v)); }
#endif


struct t_tv { long long sec, usec; };
struct t_itv { struct t_tv interval, value; };

static volatile int alarms;
static void on_alarm(int sig) { (void)sig; alarms++; }

/* Arms ITIMER_REAL: first expiry after `ms`, then every `every_ms`. */
static long long arm(long long ms, long long every_ms) {
    struct t_itv v = {{every_ms / 1000, every_ms % 1000 * 1000}, {ms / 1000, ms % 1000 * 1000}};
    return sys_setitimer(ITIMER_REAL, &v, NULL);
}

static void disarm(void) { CHECK(arm(0, 0) == 0); }

/* A 5 s sleep: poll with no descriptors. */
static long long long_sleep(void) { return sys_poll(NULL, 0, 5000); }

static void sleeps(void) {
    alarms = 0;
    show("arm", arm(50, 0));
    show("sleep", long_sleep());
    show("alarms_sleep", alarms);
    /* poll is never restarted, SA_RESTART or not. */
    install(T_SIGALRM, on_alarm, T_SA_RESTART, 0);
    arm(30, 0);
    show("sleep_restart_flag", long_sleep());
    show("alarms_sleep2", alarms);
    arm(30, 0);
    show("pause", sys_pause());
    show("alarms_pause", alarms);
    /* A periodic timer interrupts each sleep. */
    alarms = 0;
    arm(20, 20);
    int eintr = 0;
    for (int i = 0; i < 3; i++) eintr += long_sleep() == -EINTR;
    disarm();
    show("periodic_eintr", eintr);
    show("periodic_alarms", alarms);
}

static void reads(void) {
    int p[2];
    char c = 0;
    CHECK(sys_pipe(p) == 0);
    /* Without SA_RESTART the read fails. */
    install(T_SIGALRM, on_alarm, 0, 0);
    alarms = 0;
    arm(50, 0);
    show("read_eintr", sys_read(p[0], &c, 1));
    show("alarms_read", alarms);
    /* With SA_RESTART it goes on waiting until a child writes. */
    install(T_SIGALRM, on_alarm, T_SA_RESTART, 0);
    alarms = 0;
    long long pid = sys_fork();
    if (pid == 0) {
        sys_poll(NULL, 0, 300);
        sys_write(p[1], "x", 1);
        sys_exit_group(0);
    }
    arm(50, 0);
    show("read_restarted", sys_read(p[0], &c, 1));
    show("read_byte", c);
    show("alarms_restart", alarms);
    int st = -1;
    show("child", sys_wait4((int)pid, &st, 0, NULL) == pid);
    show("child_status", st);
    sys_close(p[0]);
    sys_close(p[1]);
}

static void values(void) {
    struct t_itv v, old;
    memset(&old, 0x55, sizeof old);
    show("arm10", arm(10000, 0));
    show("get", x_getitimer(ITIMER_REAL, &v));
    show("get_sec_ok", v.value.sec == 9 || v.value.sec == 10);
    show("get_interval", v.interval.sec + v.interval.usec);
    struct t_itv zero = {{0, 0}, {0, 0}};
    show("set_old", sys_setitimer(ITIMER_REAL, &zero, &old));
    show("old_sec_ok", old.value.sec == 9 || old.value.sec == 10);
    show("old_usec_ok", old.value.usec >= 0 && old.value.usec < 1000000);
    show("old_interval", old.interval.sec + old.interval.usec);
    memset(&v, 0x55, sizeof v);
    show("get_disarmed", x_getitimer(ITIMER_REAL, &v));
    show("disarmed", v.value.sec + v.value.usec + v.interval.sec + v.interval.usec);
    memset(&v, 0x55, sizeof v);
    show("get_virtual", x_getitimer(ITIMER_VIRTUAL, &v));
    show("virtual", v.value.sec + v.value.usec + v.interval.sec + v.interval.usec);
    /* alarm shares ITIMER_REAL; it answers the seconds left, rounded. */
    show("alarm10", x_alarm(10));
    show("alarm0", x_alarm(0));
    show("alarm_none", x_alarm(0));
    arm(5000, 0);
    show("alarm_after_arm", x_alarm(0));
    /* Errors. */
    struct t_itv bad = {{0, 0}, {0, 1000000}};
    show("set_bad_which", sys_setitimer(99, &zero, NULL));
    show("set_bad_usec", sys_setitimer(ITIMER_REAL, &bad, NULL));
    show("set_bad_new", sys_setitimer(ITIMER_REAL, BAD_PTR, NULL));
    show("set_bad_old", sys_setitimer(ITIMER_REAL, &zero, BAD_PTR));
    show("get_bad_which", x_getitimer(99, &v));
    show("get_bad_ptr", x_getitimer(ITIMER_REAL, BAD_PTR));
}

int test_main(int argc, char **argv, char **envp) {
    (void)envp;
    if (argc > 1 && t_strcmp(argv[1], "alarm") == 0) {
        install(T_SIGALRM, on_alarm, 0, 0);
        show("alarm", x_alarm(1));
        show("pause", sys_pause());
        show("alarms", alarms);
        return 0;
    }
    if (argc > 1 && t_strcmp(argv[1], "dfl") == 0) {
        out("before\n");
        arm(20, 0);
        sys_pause();
        out("survived\n");
        return 3;
    }
    show("install", install(T_SIGALRM, on_alarm, 0, 0));
    sleeps();
    reads();
    values();
    return 0;
}
