/* Process ends: `proc_exit HOW [ARG]` with HOW one of
 *   sig N      - kill(getpid(), N): death by that signal (default action)
 *   tkill N    - tkill(gettid(), N)
 *   exit N     - SYS_exit(N) on the only thread
 * Output written before must reach stdout. */
#include "walitest.h"

int test_main(int argc, char **argv, char **envp) {
    (void)envp;
    if (argc < 3) return 2;
    int n = t_atoi(argv[2]);
    out("before\n");
    if (t_strcmp(argv[1], "sig") == 0) {
        show("kill", sys_kill((int)sys_getpid(), n));
    } else if (t_strcmp(argv[1], "tkill") == 0) {
        show("tkill", sys_tkill((int)sys_gettid(), n));
    } else if (t_strcmp(argv[1], "exit") == 0) {
        sys_exit(n);
    }
    out("survived\n");
    return 3;
}
