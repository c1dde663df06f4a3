/* SIGCHLD from a child, and an alarm during nanosleep:
 *   - a SIGCHLD handler runs when a forked child exits, interrupting the
 *     parent's nanosleep (-EINTR); wait4 then reaps the child's status;
 *   - alarm(1) during a 5 s nanosleep: the handler runs, the sleep ends with
 *     -EINTR and reports the time left. */
#include "walitest.h"
#include "sigtest.h"
#ifndef __wasm__
#include <errno.h>
#include <signal.h>
#endif

#define T_SIGCHLD 17
#define T_SIGALRM 14
#define EINTR 4

#ifdef __wasm__
WALI_IMPORT("SYS_alarm") long long x_alarm(unsigned int);
#else
static long long x_alarm(unsigned int s) { return walit_ret(syscall(SYS_alarm, s)); }
#endif


static volatile int chld, alrm;
static void on_chld(int s) { (void)s; chld++; }
static void on_alrm(int s) { (void)s; alrm++; }

int test_main(int argc, char **argv, char **envp) {
    (void)argc, (void)argv, (void)envp;
    show("install_chld", install(T_SIGCHLD, on_chld, 0, 0));
    long long pid = sys_fork();
    if (pid == 0) {
        /* Child: a short pause so the parent is asleep, then exit 3. */
        long long ts[2] = {0, 100 * 1000 * 1000};
        sys_nanosleep(ts, NULL);
        sys_exit_group(3);
    }
    show("fork_ok", pid > 0);
    long long sleep[2] = {5, 0}, left[2] = {0, 0};
    show("nanosleep_chld", sys_nanosleep(sleep, left));
    show("chld_handled", chld);
    show("left_positive", left[0] > 0 || left[1] > 0);
    int status = 0;
    show("wait4_is_child", sys_wait4((int)pid, &status, 0, NULL) == pid);
    show("exit_status", (status >> 8) & 0xff);

    show("install_alrm", install(T_SIGALRM, on_alrm, 0, 0));
    show("alarm", x_alarm(1));
    long long r = sys_nanosleep(sleep, left);
    show("nanosleep_alarm", r);
    show("alrm_handled", alrm);
    show("left_about_4s", left[0] >= 3 && left[0] <= 4);
    return 0;
}
