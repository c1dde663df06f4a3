/* The smallest WALI program: one write to stdout. */
#include "walitest.h"

int test_main(int argc, char **argv, char **envp) {
    (void)argc, (void)argv, (void)envp;
    long long n = sys_write(1, "hello, wali\n", 12);
    return n == 12 ? 0 : 1;
}
