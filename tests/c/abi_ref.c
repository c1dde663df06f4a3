/* A module the way the reference toolchain builds it, as far as the
 * signal and vectored-I/O ABI go (../shared/WALI-ABI.md):
 *   - SIG_IGN is -2 and reaches rt_sigaction raw; SIG_DFL 0;
 *   - a real handler sits at function-table index 1 (wasm-ld's default
 *     table base: the first address-taken function), and runs;
 *   - the old action reports -2 for an ignored signal, the index for a
 *     handler;
 *   - preadv/pwritev are imported in musl's raw five-argument form
 *     (fd, iov, cnt, pos_l, pos_h), i64 halves, with an offset above 4 GiB
 *     whose low half has bit 31 set (musl's `(long)ofs` is sign-extended).
 *   abi_ref            everything that returns
 *   abi_ref pipe_dfl   SIGPIPE left at SIG_DFL: a write to a closed pipe
 *                      kills the process with SIGPIPE
 * The native build does the same with glibc's values through the raw
 * calls; the outputs must match. */
#include "walitest.h"
#include "sigtest.h"

#define T_SIGUSR1 10
#define T_SIGUSR2 12
#define T_SIGPIPE 13
#define T_EPIPE 32

struct t_iov { void *base; size_t len; };

#ifdef __wasm__
WALI_IMPORT("SYS_preadv") long long x_preadv(int, struct t_iov *, int, long long, long long);
WALI_IMPORT("SYS_pwritev") long long x_pwritev(int, struct t_iov *, int, long long, long long);
/* musl with a 32-bit long: (long)(ofs), (long)(ofs >> 32), each widened to
 * the import's i64 (the low half sign-extended). */
#define POS_L(o) ((long long)(int)(o))
#else
static long long x_preadv(int fd, struct t_iov *v, int n, long long l, long long h) {
    return walit_ret(syscall(SYS_preadv, fd, v, n, l, h));
}
static long long x_pwritev(int fd, struct t_iov *v, int n, long long l, long long h) {
    return walit_ret(syscall(SYS_pwritev, fd, v, n, l, h));
}
/* musl with a 64-bit long: the whole offset in pos_l. */
#define POS_L(o) ((long long)(o))
#endif
#define POS_H(o) ((long long)((unsigned long long)(o) >> 32))

static volatile int usr1_count;

/* The first function whose address is taken (below, first thing in
 * test_main): wasm-ld gives it table index 1. */
static void on_usr1(int sig) {
    (void)sig;
    usr1_count++;
}

static unsigned long long handler_of(int sig) {
    struct t_ksa a;
    CHECK(sys_rt_sigaction(sig, NULL, &a, 8) == 0);
    return a.handler;
}

static void set_raw(int sig, unsigned long h) {
    struct t_ksa a = {0};
    a.handler = h;
    CHECK(sys_rt_sigaction(sig, &a, NULL, 8) == 0);
}

int test_main(int argc, char **argv, char **envp) {
    (void)envp;
    handler_t h = on_usr1;
#ifdef __wasm__
    show("handler_at_index_1", (unsigned long)h == 1);
#else
    show("handler_at_index_1", 1);
#endif
    int p[2];
    CHECK(sys_pipe(p) == 0);
    sys_close(p[0]);
    if (argc > 1 && t_strcmp(argv[1], "pipe_dfl") == 0) {
        show("sigpipe_starts_dfl", handler_of(T_SIGPIPE) == (unsigned long)T_DFL);
        show("write_closed_pipe", sys_write(p[1], "x", 1)); /* not reached */
        return 0;
    }

    /* A handler at index 1 runs. */
    show("install", install(T_SIGUSR1, h, 0, 0));
    show("old_is_handler", handler_of(T_SIGUSR1) == (unsigned long)h);
    show("kill", sys_kill((int)sys_getpid(), T_SIGUSR1));
    show("handler_ran", usr1_count);

    /* SIG_IGN passed raw: -2 (WALI) / 1 (x86-64). */
    set_raw(T_SIGPIPE, (unsigned long)T_IGN);
    show("pipe_old_is_ign", handler_of(T_SIGPIPE) == (unsigned long)T_IGN);
    show("write_closed_pipe", sys_write(p[1], "x", 1) == -T_EPIPE);
    set_raw(T_SIGUSR2, (unsigned long)T_IGN);
    show("kill_ignored", sys_kill((int)sys_getpid(), T_SIGUSR2));
    show("still_here", 1);
    set_raw(T_SIGUSR2, (unsigned long)T_DFL);
    show("usr2_old_is_dfl", handler_of(T_SIGUSR2) == (unsigned long)T_DFL);

    /* preadv/pwritev, raw five-argument form, at 6 GiB + 16. */
    long long off = 0x180000010ll;
    int fd = (int)sys_open("sparse", O_RDWR | O_CREAT | O_TRUNC, 0600);
    CHECK(fd >= 0);
    char a[3] = {'a', 'b', 'c'}, b[4] = {'d', 'e', 'f', 'g'};
    struct t_iov wv[2] = {{a, 3}, {b, 4}};
    show("pwritev", x_pwritev(fd, wv, 2, POS_L(off), POS_H(off)));
    char in[8] = {0};
    show("pread64", sys_pread64(fd, in, 7, off));
    show("pread_ok", t_memcmp(in, "abcdefg", 7) == 0);
    char r1[2] = {0}, r2[5] = {0};
    struct t_iov rv[2] = {{r1, 2}, {r2, 5}};
    show("preadv", x_preadv(fd, rv, 2, POS_L(off + 1), POS_H(off + 1)));
    show("preadv_ok", t_memcmp(r1, "bc", 2) == 0 && t_memcmp(r2, "defg", 4) == 0);
    show("size", sys_lseek(fd, 0, SEEK_END));
    sys_close(fd);
    return 0;
}
