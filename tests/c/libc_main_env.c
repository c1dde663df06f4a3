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
    int n = 0;
    for (char **e = envp; *e; e++)
        if (strncmp(*e, "WALI_MAIN_ENV=", 14) == 0) printf("found %s\n", *e + 14);
        else n++;
    printf("argc=%d argv[1]=%s others=%d\n", argc, argc > 1 ? argv[1] : "-", n);
    return 3;
}
