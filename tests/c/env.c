/* The environment as the guest sees it, in order. */
#include "walitest.h"

int test_main(int argc, char **argv, char **envp) {
    (void)argc, (void)argv;
    int n = 0;
    for (char **e = envp; *e; e++, n++) {
        out(*e);
        out("\n");
    }
    show("envc", n);
    return 0;
}
