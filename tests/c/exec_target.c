/* The program that exec_main runs: prints its arguments after argv[0]
 * (argv[0] is the path as executed, which differs between builds) and its
 * environment, then exits with 42. */
#include "walitest.h"

int test_main(int argc, char **argv, char **envp) {
    show("target_argc", argc);
    for (int i = 1; i < argc; i++) {
        out("arg: ");
        out(argv[i]);
        out("\n");
    }
    for (char **e = envp; *e; e++) {
        out("env: ");
        out(*e);
        out("\n");
    }
    return 42;
}
