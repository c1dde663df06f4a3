/* Per-syscall and per-process-operation loops.
 *
 *   syscalls OP ITERS
 *
 * OP is one of getppid, write, read, openat_close, fstat, clock_gettime,
 * mmap_munmap, pair (getppid + write of 1 byte to /dev/null: the reference
 * engine's 2,000,000-pair loop), thread (spawn + join), fork (fork + wait4),
 * or exec (a chain of ITERS execve calls of this program, see do_exec).
 * ITERS = 0 runs the set-up alone: the driver subtracts such a run when it
 * has to time whole processes (engines without clock_gettime).
 *
 * Every result is checked, so an engine that answers -ENOSYS (or anything
 * else unexpected) gives `error=` and status 2 instead of a figure.
 */
#include "bench.h"

#define PROT_READ 1
#define PROT_WRITE 2
#define MAP_PRIVATE 2
#define MAP_ANONYMOUS 0x20
#define FUTEX_WAIT 0
#define FUTEX_WAIT_PRIVATE 128
#define FUTEX_WAKE_PRIVATE 129
#define ENOSYS 38

static long long open_or_fail(const char *path, int flags) {
    long long fd = sys_open(path, flags, 0);
    if (fd < 0) b_fail("open", fd);
    return fd;
}

/* Runs `n` iterations of one simple syscall loop on descriptors wfd
 * (/dev/null, for writing) and rfd (/dev/zero, for reading). */
static void run_op(const char *op, long long n, int wfd, int rfd) {
    char byte = 'x';
    struct t_stat st;
    struct b_timespec ts;
    long long r = 0;

    if (!t_strcmp(op, "getppid")) {
        for (long long i = 0; i < n; i++)
            if ((r = sys_getppid()) <= 0) b_fail(op, r);
    } else if (!t_strcmp(op, "write")) {
        for (long long i = 0; i < n; i++)
            if ((r = sys_write(wfd, &byte, 1)) != 1) b_fail(op, r);
    } else if (!t_strcmp(op, "read")) {
        for (long long i = 0; i < n; i++)
            if ((r = sys_read(rfd, &byte, 1)) != 1) b_fail(op, r);
    } else if (!t_strcmp(op, "openat_close")) {
        for (long long i = 0; i < n; i++) {
            long long fd = sys_openat(AT_FDCWD, "/dev/null", O_RDONLY | O_CLOEXEC, 0);
            if (fd < 0) b_fail("openat", fd);
            if ((r = sys_close((int)fd)) != 0) b_fail("close", r);
        }
    } else if (!t_strcmp(op, "fstat")) {
        for (long long i = 0; i < n; i++)
            if ((r = sys_fstat(wfd, &st)) != 0) b_fail(op, r);
    } else if (!t_strcmp(op, "clock_gettime")) {
        for (long long i = 0; i < n; i++)
            if ((r = sys_clock_gettime(CLOCK_MONOTONIC, &ts)) != 0) b_fail(op, r);
    } else if (!t_strcmp(op, "mmap_munmap")) {
        for (long long i = 0; i < n; i++) {
            long long p = sys_mmap(NULL, 65536, PROT_READ | PROT_WRITE,
                                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (p < 0 && p > -4096) b_fail("mmap", p);
            if ((r = sys_munmap((void *)(long)p, 65536)) != 0) b_fail("munmap", r);
        }
    } else if (!t_strcmp(op, "pair")) {
        for (long long i = 0; i < n; i++) {
            if ((r = sys_getppid()) <= 0) b_fail("getppid", r);
            if ((r = sys_write(wfd, &byte, 1)) != 1) b_fail("write", r);
        }
    } else {
        b_fail("unknown-op", -22);
    }
}

/* The loop runs in CHUNKS equal parts, each timed by the thread's CPU
 * clock; the fastest part (`min_chunk_cpu_ns` for `chunk_calls` calls) is
 * the one least disturbed by other processes on a shared machine. */
#define CHUNKS 8

/* Runs `n` iterations of `op` (rounded down to whole chunks); returns the
 * start time for b_report and sets *calls to the iterations run. */
static long long simple_bench(const char *op, long long n, long long *calls) {
    int wfd = (int)open_or_fail("/dev/null", O_WRONLY);
    int rfd = (int)open_or_fail("/dev/zero", O_RDONLY);
    long long per = n / CHUNKS, best = -1;
    run_op(op, per > 0 ? 1 : 0, wfd, rfd); /* fails early if not implemented */
    long long t0 = b_start();
    for (int c = 0; c < CHUNKS && per > 0; c++) {
        long long a = b_clock(CLOCK_THREAD_CPUTIME_ID);
        run_op(op, per, wfd, rfd);
        long long t = b_clock(CLOCK_THREAD_CPUTIME_ID) - a;
        if (a >= 0 && (best < 0 || t < best)) best = t;
    }
    if (best >= 0) {
        show("min_chunk_cpu_ns", best);
        show("chunk_calls", per);
    }
    *calls = per * CHUNKS;
    return t0;
}

/* ---- threads: spawn, then join. ---- */

static volatile int thread_done;

#ifdef __wasm__
/* Joining as pthread_join does: the thread registers tid_word with
 * set_tid_address, and the kernel clears it and wakes it (a shared futex)
 * when the host thread really exits. Engines without set_tid_address are
 * joined at the thread's last store to thread_done instead. */
static volatile int tid_word;
static volatile int tid_registered;

/* Entry of a spawned thread (table index passed to __wasm_thread_spawn).
 * It runs in a fresh instance whose __stack_pointer may be the initial
 * one, so it does not use the shadow stack: it only stores to globals and
 * makes calls with constant arguments (clang -O2 gives it no stack frame:
 * `wasm-objdump -d`). */
static void thread_entry(int tid, void *arg) {
    (void)tid, (void)arg;
    int ok = sys_set_tid_address((void *)&tid_word) >= 0;
    __atomic_store_n(&tid_registered, ok, __ATOMIC_SEQ_CST);
    __atomic_store_n(&thread_done, 1, __ATOMIC_SEQ_CST);
    sys_futex((void *)&thread_done, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

/* Waits while *word == busy: futex if the engine has it, else spinning. */
static void wait_while(volatile int *word, int busy, int futex_op) {
    while (__atomic_load_n(word, __ATOMIC_SEQ_CST) == busy) {
        long long r = sys_futex((void *)word, futex_op, busy, NULL, NULL, 0);
        if (r == -ENOSYS) sys_sched_yield();
    }
}

static void spawn_join(void) {
    thread_done = 0;
    tid_word = 1;
    int tid = wali_wasm_thread_spawn((const void *)thread_entry, NULL);
    if (tid <= 0) b_fail("__wasm_thread_spawn", tid);
    wait_while(&thread_done, 0, FUTEX_WAIT_PRIVATE);
    if (tid_registered) wait_while(&tid_word, 1, FUTEX_WAIT);
}
#else
#include <pthread.h>
static void *thread_entry(void *arg) {
    (void)arg;
    __atomic_store_n(&thread_done, 1, __ATOMIC_SEQ_CST);
    return NULL;
}

static void spawn_join(void) {
    pthread_t t;
    thread_done = 0;
    int e = pthread_create(&t, NULL, thread_entry, NULL);
    if (e) b_fail("pthread_create", -e);
    pthread_join(t, NULL);
    if (!thread_done) b_fail("pthread_join", -1);
}
#endif

/* ---- fork + wait4 ---- */

static void fork_wait(void) {
    long long pid = sys_fork();
    if (pid < 0) b_fail("fork", pid);
    if (pid == 0) t_exit(7);
    int status = 0;
    long long r = sys_wait4((int)pid, &status, 0, NULL);
    if (r != pid) b_fail("wait4", r);
    /* Exit status 7 in the wait status word. */
    if (status != 7 << 8) b_fail("wait4-status", status);
}

/* ---- execve chain ----
 * syscalls exec LEFT TOTAL T0: while LEFT > 0, execve this same program
 * (argv[0], a .wasm for the engine) with LEFT-1; the last one reports the
 * time since T0 (the first process's clock reading, passed along). */
static int do_exec(int argc, char **argv) {
    long long left = b_atoll(argv[2]);
    long long total = argc > 3 ? b_atoll(argv[3]) : left;
    long long t0 = argc > 4 ? b_atoll(argv[4]) : b_now();
    if (left == 0) {
        if (argc <= 4) b_clock_init();
        else b_have_clock = t0 >= 0, out(b_have_clock ? "clock=ok\n" : "clock=none\n");
        b_report(t0, total);
        return 0;
    }
    char lbuf[24], tbuf[24], sbuf[24];
    char *nargv[] = {argv[0], "exec", b_fmt(lbuf, left - 1), b_fmt(tbuf, total),
                     b_fmt(sbuf, t0), NULL};
    char *nenvp[] = {NULL};
    long long r = sys_execve(argv[0], nargv, nenvp);
    b_fail("execve", r);
    return 2;
}

int test_main(int argc, char **argv, char **envp) {
    (void)envp;
    if (argc < 3) b_fail("usage: syscalls OP ITERS", -22);
    const char *op = argv[1];
    long long n = b_atoll(argv[2]);
    if (!t_strcmp(op, "exec")) return do_exec(argc, argv);
    b_clock_init();
    long long t0;
    if (!t_strcmp(op, "thread")) {
        t0 = b_start();
        for (long long i = 0; i < n; i++) spawn_join();
    } else if (!t_strcmp(op, "fork")) {
        t0 = b_start();
        for (long long i = 0; i < n; i++) fork_wait();
    } else {
        t0 = simple_bench(op, n, &n);
    }
    b_report(t0, n);
    return 0;
}
