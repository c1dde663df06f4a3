/* A three-argument main, `int main(int, char **, char **envp)`, as Bash
 * and other old Unix programs have: the start-up passes the environment as
 * the third argument, the same array as `environ`. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv, char **envp) {
    if (envp != environ) {
        printf("envp differs from environ\n");
        return 1;
    }
    /* Every variable, in order (the start-up once passed only the first
     * of several; values with `$`, spaces and `=` are kept as they are). */
    int n = 0;
    for (char **e = envp; *e; e++, n++)
        printf("env[%d]=[%s]\n", n, *e);
    const char *v = getenv("WALI_MAIN_ENV");
    printf("getenv=%s\n", v ? v : "(none)");
    printf("argc=%d argv[1]=%s count=%d\n", argc, argc > 1 ? argv[1] : "-", n);
    return 3;
}
