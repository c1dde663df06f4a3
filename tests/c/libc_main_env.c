/* A three-argument main, `int main(int, char **, char **envp)`, as Bash
 * and other old Unix programs have: the start-up passes the environment as
 * the third argument, the same array as `environ`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

static int cmp(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv, char **envp) {
    if (envp != environ) {
        printf("envp differs from environ\n");
        return 1;
    }
    /* Every variable (the start-up once passed only the first of several;
     * values with `$`, spaces and `=` are kept as they are), sorted: the
     * native harness (Rust's Command) orders the environment itself. */
    int n = 0;
    while (envp[n]) n++;
    qsort(envp, n, sizeof *envp, cmp);
    for (int i = 0; i < n; i++)
        printf("env[%d]=[%s]\n", i, envp[i]);
    const char *v = getenv("WALI_MAIN_ENV");
    printf("getenv=%s\n", v ? v : "(none)");
    printf("argc=%d argv[1]=%s count=%d\n", argc, argc > 1 ? argv[1] : "-", n);
    return 3;
}
