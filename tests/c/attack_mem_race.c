/* A second thread rewrites what the first hands to calls while they run:
 * the NUL bytes of an execve argv and of an open path move, iovec bases and
 * lengths change. The engine must read each guest byte once and survive;
 * the results depend on the timing, so only survival and the final checks
 * are printed. */
#include "attack_mem_thr.h"

#define SLEN 8192
static char strs[4][SLEN];
static char path[512];
static char sink[256];
static struct { void *base; long len; } iov[8];
static volatile int stop, done;

static void scribble(struct am_thr *t) {
    (void)t;
    unsigned x = 12345;
    while (!__atomic_load_n(&stop, __ATOMIC_SEQ_CST)) {
        x = x * 1103515245 + 12345;
        unsigned i = (x >> 8) % SLEN;
        strs[(x >> 4) & 3][i] ^= 'a';
        path[(x >> 12) % sizeof path] ^= 'q';
        int k = (x >> 20) & 7;
        /* Every combination stays inside sink: readv writes there. */
        iov[k].len = (long)((x >> 24) & 127);
        iov[k].base = sink + ((x & 2) ? 0 : 64);
    }
    __atomic_store_n(&done, 1, __ATOMIC_SEQ_CST);
    sys_futex((const void *)&done, 1 /* FUTEX_WAKE */, 1, 0, 0, 0);
}

int test_main(int argc, char **argv, char **envp) {
    (void)envp;
    int n = argc > 1 ? t_atoi(argv[1]) : 3000;
    for (int s = 0; s < 4; s++)
        for (int i = 0; i < SLEN - 1; i++) strs[s][i] = (i % 64 == 63) ? 0 : 'a';
    for (unsigned i = 0; i < sizeof path - 1; i++) path[i] = 'q';
    path[0] = '/';
    for (int k = 0; k < 8; k++) iov[k].base = sink, iov[k].len = sizeof sink;
    static struct am_thr t;
    t.fn = scribble;
    show("spawn", am_spawn(&t));
    const char *args[] = {strs[0], strs[1], strs[2], strs[3], strs[0] + 100, 0};
    int zero = (int)sys_open("/dev/zero", O_RDONLY, 0);
    int null = (int)sys_open("/dev/null", O_WRONLY, 0);
    int bad = 0;
    for (int i = 0; i < n; i++) {
        long long r = sys_execve("/nonexistent-wali/x", args, args + 2);
        if (r >= 0) bad++;
        r = sys_open(path, O_RDONLY, 0);
        if (r >= 0) sys_close((int)r);
        sys_readv(zero, iov, 8);
        sys_writev(null, iov, 8);
    }
    __atomic_store_n(&stop, 1, __ATOMIC_SEQ_CST);
    while (!done) sys_futex((const void *)&done, 0 /* FUTEX_WAIT */, 0, 0, 0, 0);
    show("execve_succeeded", bad);
    show("alive", 1);
    return 0;
}
