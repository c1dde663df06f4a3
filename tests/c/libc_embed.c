/* What an embedding of libwali.a must support beyond a single thread
 * (tests/embed.rs runs it in tests/embed/embed.c):
 *   libc_embed threads   4 pthreads, joined, with their results
 *   libc_embed memory    malloc of 64 MiB (linear memory grows), touched
 *   libc_embed exec M    execv of module M ("child from-exec"): a fresh
 *                        engine runs it in this process
 *   libc_embed child X   prints X, exits 7 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void *sum_to(void *arg) {
    long n = (long)arg, s = 0;
    for (long i = 1; i <= n; i++) s += i;
    return (void *)s;
}

int main(int argc, char **argv) {
    const char *how = argc > 1 ? argv[1] : "";
    if (!strcmp(how, "child")) {
        printf("child ran: %s\n", argc > 2 ? argv[2] : "");
        return 7;
    }
    if (!strcmp(how, "threads")) {
        pthread_t t[4];
        long total = 0;
        for (int i = 0; i < 4; i++) {
            int e = pthread_create(&t[i], NULL, sum_to, (void *)(long)(1000 * (i + 1)));
            if (e) {
                printf("pthread_create: %s\n", strerror(e));
                return 1;
            }
        }
        for (int i = 0; i < 4; i++) {
            void *r;
            pthread_join(t[i], &r);
            total += (long)r;
        }
        printf("threads total %ld\n", total);
        return 0;
    }
    if (!strcmp(how, "memory")) {
        size_t big = 64u << 20;
        unsigned char *p = malloc(big);
        if (!p) {
            printf("malloc 64 MiB: %s\n", strerror(errno));
            return 2;
        }
        for (size_t i = 0; i < big; i += 4096) p[i] = (unsigned char)(i >> 12);
        unsigned long sum = 0;
        for (size_t i = 0; i < big; i += 4096) sum += p[i];
        printf("malloc 64 MiB ok, sum %lu\n", sum);
        free(p);
        return 0;
    }
    if (!strcmp(how, "exec") && argc > 2) {
        printf("before exec\n");
        fflush(stdout);
        char *args[] = {argv[2], "child", "from-exec", NULL};
        execv(argv[2], args);
        printf("execv: %s\n", strerror(errno));
        return 3;
    }
    return 9;
}
