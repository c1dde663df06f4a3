/* Known numbers of calls for --trace-summary (tests/trace.rs): 5 getppid,
 * 3 failing dup, 2 getpid. */
#include "walitest.h"

int test_main(int argc, char **argv, char **envp) {
    (void)argc; (void)argv; (void)envp;
    for (int i = 0; i < 5; i++) sys_getppid();
    for (int i = 0; i < 3; i++) show("dup", sys_dup(-1));
    sys_getpid();
    sys_getpid();
    return 0;
}
