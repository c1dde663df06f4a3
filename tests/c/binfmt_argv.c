/* A module run like an ELF binary (binfmt_misc, `iwasm --register-binfmt`):
 * prints its whole argv, argv[0] included, one `argv[i]=...` line each.
 * `PROG sh CMD` instead execs /bin/sh -c CMD (a native program then execs
 * a module by path through the kernel, not through the engine). */
#include "walitest.h"

int test_main(int argc, char **argv, char **envp) {
    (void)envp;
    if (argc == 3 && t_strcmp(argv[1], "sh") == 0) {
        char *sh_argv[] = {"sh", "-c", argv[2], NULL};
        char *sh_envp[] = {"PATH=/usr/bin:/bin", NULL};
        show("execve", sys_execve("/bin/sh", sh_argv, sh_envp));
        return 1;
    }
    show("argc", argc);
    for (int i = 0; i < argc; i++) {
        out("argv[");
        out_i64(i);
        out("]=");
        out(argv[i]);
        out("\n");
    }
    return argv[argc] == NULL ? 0 : 3;
}
