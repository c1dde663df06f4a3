/* Attack: kernel state the engine itself depends on. argv[1] picks:
 *   rlimit_diff  (differential) lowering RLIMIT_AS/DATA/STACK reads back
 *                as set, soft > hard is EINVAL, prlimit64 on a child
 *                passes through, and the process keeps allocating,
 *                forking and recursing;
 *   rlimit       (WALI) limits far below what the engine needs: the guest
 *                sees its values, the engine keeps running (mmap, a thread,
 *                fork, recursion, RLIMIT_NOFILE 3), an exec'd native
 *                program starts with the guest's limits;
 *   prctl        (WALI) PR_SET_TSC to SIGSEGV and options that would break
 *                the engine are refused; ordinary ones work.
 * Prints "done" at the end; any CHECK failure fails the test. */
#include "walitest.h"

#define RLIMIT_STACK 3
#define RLIMIT_DATA 2
#define RLIMIT_NOFILE 7
#define RLIMIT_AS 9
#define EINVAL 22
#define EPERM 1
#define EMFILE 24
#define PROT_READ 1
#define PROT_WRITE 2
#define MAP_PRIVATE 2
#define MAP_ANONYMOUS 0x20
#define INF (~0ULL)

struct rl { unsigned long long cur, max; };

static int depth(int n) {
    volatile char pad[64];
    pad[0] = (char)n;
    return n == 0 ? pad[0] : 1 + depth(n - 1) + pad[0] * 0;
}

static void getl(int res, struct rl *r) { CHECK(sys_getrlimit(res, r) == 0); }

static int work(void) {
    char *p = (char *)(long)sys_mmap(NULL, 8 << 20, PROT_READ | PROT_WRITE,
                                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if ((long)p <= 0) return 0;
    for (int i = 0; i < (8 << 20); i += 4096) p[i] = 1;
    sys_munmap(p, 8 << 20);
    long long c = sys_fork();
    /* A thread that just ended may still be leaving (fork is EAGAIN while
     * other guest threads live). */
    for (int i = 0; c == -11 && i < 100; i++) {
        struct { long long s, ns; } ts = {0, 10000000};
        sys_nanosleep(&ts, NULL);
        c = sys_fork();
    }
    if (c == 0) t_exit(7);
    int st = 0;
    sys_wait4((int)c, &st, 0, NULL);
    return ((st >> 8) & 0xff) == 7 && depth(300) == 300;
}

static int rlimit_diff(void) {
    static const int res[3] = {RLIMIT_AS, RLIMIT_DATA, RLIMIT_STACK};
    static const unsigned long long lim[3] = {4ULL << 30, 1ULL << 30, 4ULL << 20};
    for (int i = 0; i < 3; i++) {
        struct rl old, r, back;
        getl(res[i], &old);
        r.cur = lim[i] < old.max ? lim[i] : old.max;
        r.max = old.max;
        show("set", sys_setrlimit(res[i], &r));
        getl(res[i], &back);
        show("same", back.cur == r.cur && back.max == r.max);
        struct rl bad = {2, 1};
        show("soft_above_hard", sys_setrlimit(res[i], &bad));
        show("prlimit_self", sys_prlimit64(0, res[i], NULL, &back));
        show("prlimit_self_same", back.cur == r.cur);
        show("prlimit_pid", sys_prlimit64((int)sys_getpid(), res[i], NULL, &back));
        show("prlimit_tid", sys_prlimit64((int)sys_gettid(), res[i], &r, &back));
    }
    show("work", work());
    /* Another process: passes through (a child waiting on a pipe). */
    int p[2];
    sys_pipe(p);
    long long c = sys_fork();
    if (c == 0) {
        char b;
        sys_read(p[0], &b, 1);
        t_exit(0);
    }
    struct rl n = {64, 64}, o;
    show("prlimit_child", sys_prlimit64((int)c, RLIMIT_NOFILE, &n, NULL));
    show("prlimit_child_get", sys_prlimit64((int)c, RLIMIT_NOFILE, NULL, &o));
    show("prlimit_child_val", (long long)o.cur);
    struct rl me;
    getl(RLIMIT_NOFILE, &me);
    show("own_nofile_unchanged", me.cur != 64);
    sys_write(p[1], "x", 1);
    sys_wait4((int)c, NULL, 0, NULL);
    return 1;
}

#ifdef __wasm__
#define STACKSZ (32 * 1024)
static char tstack[STACKSZ] __attribute__((aligned(16)));
static volatile int tword;
static volatile int tran;
static void thr_entry(int tid, void *p) {
    (void)tid, (void)p;
    __asm__ volatile(".globaltype __stack_pointer, i32\n\t"
                     "local.get %0\n\t"
                     "global.set __stack_pointer" ::"r"(tstack + STACKSZ));
    sys_set_tid_address((const void *)&tword);
    tran = depth(100);
    sys_exit(0);
}
static int thread_runs(void) {
    tword = 1;
    long long r = wali_wasm_thread_spawn((const void *)thr_entry, NULL);
    if (r <= 0) return (int)r;
    while (tword != 0) {
        struct { long long s, ns; } ts = {0, 1000000};
        sys_nanosleep(&ts, NULL);
    }
    return tran == 100;
}

/* Whether this thread has CAP_SYS_RESOURCE (raising a hard limit needs it). */
WALI_IMPORT("SYS_capget") long long w_capget(void *, void *);
static int cap_sys_resource(void) {
    unsigned hdr[2] = {0x20080522, 0}, data[6] = {0};
    return w_capget(hdr, data) == 0 && (data[0] & (1u << 24));
}

/* A native program starts with the guest's soft limits (the hard ones are
 * the engine's unless the guest holds CAP_SYS_RESOURCE); a failed exec
 * leaves the engine running with its own. */
static void exec_limits(void) {
    static const int res[3] = {RLIMIT_AS, RLIMIT_DATA, RLIMIT_STACK};
    static const unsigned long long lim[3] = {64ULL << 20, 64ULL << 20, 1ULL << 20};
    struct rl saved[3];
    for (int i = 0; i < 3; i++) {
        getl(res[i], &saved[i]);
        struct rl n = {lim[i], saved[i].max};
        CHECK(sys_setrlimit(res[i], &n) == 0);
    }
    int p[2];
    sys_pipe(p);
    long long c = sys_fork();
    if (c == 0) {
        sys_dup2(p[1], 1);
        char *argv[] = {"/bin/sh", "-c", "ulimit -v; ulimit -d; ulimit -s", NULL};
        char *envp[] = {NULL};
        sys_execve("/bin/sh", argv, envp);
        t_exit(127);
    }
    sys_close(p[1]);
    char b[64] = {0};
    long long n = 0, r;
    while ((r = sys_read(p[0], b + n, sizeof b - 1 - n)) > 0) n += r;
    sys_close(p[0]);
    sys_wait4((int)c, NULL, 0, NULL);
    CHECK(t_strcmp(b, "65536\n65536\n1024\n") == 0);
    if (t_strcmp(b, "65536\n65536\n1024\n") != 0) out(b);
    char *argv2[] = {"/nonexistent", NULL};
    CHECK(sys_execve("/nonexistent", argv2, argv2 + 1) == -2);
    CHECK(work());
    for (int i = 0; i < 3; i++) CHECK(sys_setrlimit(res[i], &saved[i]) == 0);
}

static void rlimit_wali(void) {
    static const int res[3] = {RLIMIT_AS, RLIMIT_DATA, RLIMIT_STACK};
    exec_limits();
    for (int i = 0; i < 3; i++) {
        struct rl tiny = {4096, 4096};
        CHECK(sys_setrlimit(res[i], &tiny) == 0);
        struct rl back;
        getl(res[i], &back);
        CHECK(back.cur == 4096 && back.max == 4096);
        /* Raising the hard limit again needs CAP_SYS_RESOURCE, as on Linux. */
        struct rl up = {8192, 8192};
        long long r = sys_setrlimit(res[i], &up);
        CHECK(cap_sys_resource() ? r == 0 : r == -EPERM);
        CHECK(sys_setrlimit(res[i], &tiny) == 0);
    }
    CHECK(work());
    CHECK(thread_runs() == 1);
    CHECK(depth(250) == 250);

    /* RLIMIT_NOFILE passes through: an error for the guest, not a crash. */
    struct rl nf, three = {3, 0};
    getl(RLIMIT_NOFILE, &nf);
    three.max = nf.max;
    CHECK(sys_setrlimit(RLIMIT_NOFILE, &three) == 0);
    CHECK(sys_open("/dev/null", O_RDONLY, 0) == -EMFILE);
    CHECK(work());
    long long r = wali_wasm_thread_spawn((const void *)thr_entry, NULL);
    CHECK(r > 0 || r < 0); /* either way the engine is alive */
    if (r > 0)
        while (tword != 0) sys_sched_yield();
    CHECK(sys_setrlimit(RLIMIT_NOFILE, &nf) == 0);
}

static void prctl_wali(void) {
    /* PR_SET_TSC(PR_TSC_SIGSEGV) would kill the engine at its next clock
     * read: refused; the clock still reads. */
    CHECK(sys_prctl(26, 2, 0, 0, 0) == -EPERM);
    int tsc = 0;
    CHECK(sys_prctl(25, (long)&tsc, 0, 0, 0) == 0);
    CHECK(tsc == 1);
    CHECK(sys_prctl(26, 1, 0, 0, 0) == 0); /* PR_TSC_ENABLE */
    long long ts[2];
    CHECK(sys_clock_gettime(1, ts) == 0);
    /* Options that would break the engine: unknown to it (EINVAL). */
    CHECK(sys_prctl(22, 1, 0, 0, 0) == -EINVAL);  /* PR_SET_SECCOMP strict */
    CHECK(sys_prctl(22, 2, 0, 0, 0) == -EINVAL);  /* PR_SET_SECCOMP filter */
    CHECK(sys_prctl(59, 1, 0, 0, 0) == -EINVAL);  /* PR_SET_SYSCALL_USER_DISPATCH */
    CHECK(sys_prctl(65, 1, 0, 0, 0) == -EINVAL);  /* PR_SET_MDWE */
    CHECK(sys_prctl(35, 1, 0, 0, 0) == -EINVAL);  /* PR_SET_MM */
    /* Ordinary options work. */
    CHECK(sys_prctl(15, (long)"attacker", 0, 0, 0) == 0); /* PR_SET_NAME */
    char name[16] = {0};
    CHECK(sys_prctl(16, (long)name, 0, 0, 0) == 0);
    CHECK(t_strcmp(name, "attacker") == 0);
    CHECK(sys_prctl(1, 9, 0, 0, 0) == 0); /* PR_SET_PDEATHSIG SIGKILL */
    int sig = 0;
    CHECK(sys_prctl(2, (long)&sig, 0, 0, 0) == 0);
    CHECK(sig == 9);
    CHECK(sys_prctl(1, 0, 0, 0, 0) == 0);
    CHECK(sys_prctl(38, 1, 0, 0, 0) == 0); /* PR_SET_NO_NEW_PRIVS */
    CHECK(sys_prctl(39, 0, 0, 0, 0) == 1);
    CHECK(sys_prctl(21, 0, 0, 0, 0) == 0); /* PR_GET_SECCOMP */
    CHECK(sys_clock_gettime(1, ts) == 0);
    CHECK(work());
}
#endif

int test_main(int argc, char **argv, char **envp) {
    (void)envp;
    const char *what = argc > 1 ? argv[1] : "";
    if (!t_strcmp(what, "rlimit_diff")) rlimit_diff();
#ifdef __wasm__
    else if (!t_strcmp(what, "rlimit")) rlimit_wali();
    else if (!t_strcmp(what, "prctl")) prctl_wali();
#endif
    else out("unknown case\n");
    out("done\n");
    return t_failures ? 1 : 0;
}
