/* A first WALI program: greets each argument and shows one variable of its
 * environment. Built without a libc (tests/c/walitest.h supplies _start):
 *     make hello && ./iwasm --env=GREETING=hi build/hello.wasm you there */
#include "walitest.h"

int test_main(int argc, char **argv, char **envp) {
    const char *greeting = "hello";
    for (char **e = envp; *e; e++)
        if (t_memcmp(*e, "GREETING=", 9) == 0) greeting = *e + 9;
    if (argc < 2) {
        out(greeting);
        out(", wali\n");
    }
    for (int i = 1; i < argc; i++) {
        out(greeting);
        out(", ");
        out(argv[i]);
        out("\n");
    }
    return 0;
}
