/* A guest that traps: out-of-bounds access or `unreachable` deep in named
 * functions. Only the engine runs it (a trap has no native equivalent). */
#include "walitest.h"

__attribute__((noinline)) static int inner_fault(int how) {
    if (how == 1) __builtin_trap();
    volatile int *p = (volatile int *)0xfffffff0u;
    return *p;
}

__attribute__((noinline)) static int outer_call(int how) { return inner_fault(how) + 1; }

int test_main(int argc, char **argv, char **envp) {
    (void)envp;
    out("before trap\n");
    return outer_call(argc > 1 ? t_atoi(argv[1]) : 0);
}
