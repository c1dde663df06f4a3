/* fork + wait4: the child continues from the call with a copy of memory;
 * the parent collects its status; getppid, setpgid, setsid, kill. */
#include "walitest.h"

static int counter = 10;

#define W_STATUS(s) (((s) >> 8) & 0xff)
#define W_EXITED(s) (((s) & 0x7f) == 0)
#define W_SIG(s) ((s) & 0x7f)

int test_main(int argc, char **argv, char **envp) {
    (void)argc, (void)argv, (void)envp;
    long long parent = sys_getpid();
    long long pid = sys_fork();
    if (pid == 0) {
        counter++;
        /* The child's parent is the process that forked. */
        if (sys_getppid() != parent) sys_exit_group(100);
        if (sys_getpid() == parent) sys_exit_group(101);
        out("child counter="); out_i64(counter); out("\n");
        sys_exit_group(counter);
    }
    CHECK(pid > 0);
    int status = -1;
    char ru[272];
    long long w = sys_wait4((int)pid, &status, 0, ru);
    show("wait_is_child", w == pid);
    show("exited", W_EXITED(status));
    show("status", W_STATUS(status));
    show("parent_counter", counter);
    /* No more children. */
    show("wait_none", sys_wait4(-1, &status, 0, NULL));
    /* Bad pointers. */
    pid = sys_fork();
    if (pid == 0) sys_exit_group(5);
    show("wait_bad_status", sys_wait4((int)pid, BAD_PTR, 0, NULL));
    show("wait_bad_rusage", sys_wait4((int)pid, &status, 0, BAD_PTR));
    show("wait_reap", sys_wait4((int)pid, &status, 0, NULL) == pid);
    show("status2", W_STATUS(status));
    /* A child killed by a signal. */
    pid = sys_fork();
    if (pid == 0) {
        sys_kill((int)sys_getpid(), 9);
        sys_exit_group(6);
    }
    sys_wait4((int)pid, &status, 0, NULL);
    show("killed_exited", W_EXITED(status));
    show("killed_sig", W_SIG(status));
    /* kill from the parent: a child in its own process group, then setsid. */
    pid = sys_fork();
    if (pid == 0) {
        if (sys_getsid(0) == sys_getpid()) sys_exit_group(7);
        sys_setsid();
        for (;;) sys_pause();
    }
    /* Wait until the child has its own session, then signal it. */
    while (sys_getsid((int)pid) != pid) sys_sched_yield();
    show("child_pgid_own", sys_getpgid((int)pid) == pid);
    show("kill_child", sys_kill((int)pid, 15));
    sys_wait4((int)pid, &status, 0, NULL);
    show("term_sig", W_SIG(status));
    show("kill_none", sys_kill((int)pid, 0));
    show("kill_bad_sig", sys_kill((int)sys_getpid(), 99));
    show("setpgid_bad", sys_setpgid(-1, 0));
    return 0;
}
