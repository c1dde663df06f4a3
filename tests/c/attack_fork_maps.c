/* The engine's mappings around a guest fork (tests/attack_fork.rs): says
 * "ready" and waits for a byte on stdin while the test reads the engine's
 * /proc/PID/maps, then forks; the child says "child PID" and waits the same
 * way, so the test reads the child's maps too, then exits 3. */
#include "walitest.h"

int test_main(int argc, char **argv, char **envp) {
    (void)argc, (void)argv, (void)envp;
    char c;
    out("ready\n");
    if (sys_read(0, &c, 1) != 1) return 10;
    long long pid = sys_fork();
    if (pid == 0) {
        out("child ");
        out_i64(sys_getpid());
        out("\n");
        if (sys_read(0, &c, 1) != 1) sys_exit_group(11);
        sys_exit_group(3);
    }
    CHECK(pid > 0);
    int status = -1;
    CHECK(sys_wait4((int)pid, &status, 0, NULL) == pid);
    show("child_status", (status >> 8) & 0xff);
    return 0;
}
