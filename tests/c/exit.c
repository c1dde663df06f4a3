/* Exit statuses: `exit.c HOW STATUS` with HOW one of
 *   return     - test_main returns STATUS (the start code exits with it)
 *   group      - exit_group(STATUS) from deep inside the program
 *   proc_exit  - the ABI's __proc_exit (natively: exit_group)
 * Output written before the exit must reach stdout. */
#include "walitest.h"

static int depth(int n, int how, int status) {
    if (n == 0) {
        if (how == 1) sys_exit_group(status);
        if (how == 2) t_exit(status);
        return status;
    }
    return depth(n - 1, how, status) + 0;
}

int test_main(int argc, char **argv, char **envp) {
    (void)envp;
    if (argc < 3) return 2;
    int how = t_strcmp(argv[1], "group") == 0 ? 1 : t_strcmp(argv[1], "proc_exit") == 0 ? 2 : 0;
    int status = t_atoi(argv[2]);
    out("before exit\n");
    int r = depth(50, how, status);
    if (how != 0) {
        out("exit returned\n");
        return 3;
    }
    return r;
}
