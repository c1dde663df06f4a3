/* Guest threads: spawn/join through the cleared TID word and futex, futex
 * wait/wake and errors, gettid, thread exit and exit_group from a thread.
 * argv[1] picks the case. WALI threads start through __wasm_thread_spawn with
 * a start routine that installs its own shadow stack (as a libc does);
 * native threads are glibc pthreads running the same body. */
#include "walitest.h"

#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_PRIVATE 128
#define MAXT 8
#define STACK (32 * 1024)

struct ts { long long sec, nsec; };

struct thr {
    void (*fn)(struct thr *);
    volatile int word; /* 1 while running; cleared by the kernel/engine at exit */
    char *stack_top;
    int arg, result, tid;
};

static struct thr thr[MAXT];

static void thr_body(struct thr *t) {
    sys_set_tid_address((const void *)&t->word);
    t->tid = (int)sys_gettid();
    t->fn(t);
}

#ifdef __wasm__
static char stacks[MAXT][STACK] __attribute__((aligned(16)));

/* The start routine switches to the thread's own stack before any C code
 * can use the shadow stack (the new instance's __stack_pointer still points
 * at the main thread's stack). */
static void thr_entry(int tid, void *p) {
    struct thr *t = p;
    (void)tid;
    __asm__ volatile(".globaltype __stack_pointer, i32\n\t"
                     "local.get %0\n\t"
                     "global.set __stack_pointer" ::"r"(t->stack_top));
    thr_body(t);
}

/* 1 (or -errno) */
static int thr_spawn(int i, void (*fn)(struct thr *), int arg) {
    struct thr *t = &thr[i];
    t->fn = fn, t->arg = arg, t->word = 1, t->stack_top = stacks[i] + STACK;
    int r = wali_wasm_thread_spawn((const void *)thr_entry, t);
    return r > 0 ? 1 : r;
}
#else
#include <pthread.h>
static void *thr_native(void *p) {
    thr_body(p);
    return 0;
}
static int thr_spawn(int i, void (*fn)(struct thr *), int arg) {
    struct thr *t = &thr[i];
    pthread_t th;
    pthread_attr_t a;
    t->fn = fn, t->arg = arg, t->word = 1;
    pthread_attr_init(&a);
    pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&a, 256 * 1024);
    int r = pthread_create(&th, &a, thr_native, t);
    pthread_attr_destroy(&a);
    return r == 0 ? 1 : -r;
}
#endif

static void thr_join(int i) {
    int v;
    while ((v = thr[i].word) != 0) sys_futex((const void *)&thr[i].word, FUTEX_WAIT, v, 0, 0, 0);
}

static void futex_wait_while(volatile int *w, int v) {
    while (*w == v) sys_futex((const void *)w, FUTEX_WAIT | FUTEX_PRIVATE, v, 0, 0, 0);
}
static void futex_set_wake(volatile int *w, int v) {
    __atomic_store_n(w, v, __ATOMIC_SEQ_CST);
    sys_futex((const void *)w, FUTEX_WAKE | FUTEX_PRIVATE, 1, 0, 0, 0);
}

/* --- counter: N threads add to one atomic counter, in several rounds --- */
static int counter;
static void add_body(struct thr *t) {
    for (int i = 0; i < t->arg; i++) __atomic_fetch_add(&counter, 1, __ATOMIC_SEQ_CST);
    t->result = 1;
}
static void t_counter(void) {
    int ok = 1;
    for (int round = 0; round < 4; round++) {
        for (int i = 0; i < MAXT; i++) ok &= thr_spawn(i, add_body, 1000 + round) == 1;
        for (int i = 0; i < MAXT; i++) thr_join(i);
    }
    int all = 1;
    for (int i = 0; i < MAXT; i++) all &= thr[i].result == 1 && thr[i].word == 0;
    show("spawned", ok);
    show("counter", counter);
    show("all_done", all);
}

/* --- futex ping-pong between the main thread and one thread --- */
static volatile int ping, pong;
static void pong_body(struct thr *t) {
    for (int i = 1; i <= t->arg; i++) {
        futex_wait_while(&ping, i - 1);
        futex_set_wake(&pong, i);
    }
}
static void t_futex(void) {
    int n = 200, ok = 1;
    show("spawned", thr_spawn(0, pong_body, n));
    for (int i = 1; i <= n; i++) {
        futex_set_wake(&ping, i);
        futex_wait_while(&pong, i - 1);
        ok &= pong == i;
    }
    thr_join(0);
    show("rounds_ok", ok);
    show("pong", pong);
}

/* --- futex errors (single thread) --- */
static void t_errors(void) {
    static volatile int w[2] = {5, 0};
    struct ts tmo = {0, 20 * 1000 * 1000};
    struct ts bad_ns = {0, 2000000000LL};
    show("wait_mismatch", sys_futex((const void *)w, FUTEX_WAIT, 4, 0, 0, 0));
    show("wait_timeout", sys_futex((const void *)w, FUTEX_WAIT, 5, &tmo, 0, 0));
    show("wait_timeout_private", sys_futex((const void *)w, FUTEX_WAIT | FUTEX_PRIVATE, 5, &tmo, 0, 0));
    show("wait_bad_timespec", sys_futex((const void *)w, FUTEX_WAIT, 5, &bad_ns, 0, 0));
    show("wait_efault", sys_futex(BAD_PTR, FUTEX_WAIT, 0, &tmo, 0, 0));
    show("wait_timeout_efault", sys_futex((const void *)w, FUTEX_WAIT, 5, BAD_PTR, 0, 0));
    show("wait_unaligned", sys_futex((const char *)w + 1, FUTEX_WAIT, 0, &tmo, 0, 0));
    show("wake_none", sys_futex((const void *)w, FUTEX_WAKE, 1, 0, 0, 0));
    show("wake_efault", sys_futex(BAD_PTR, FUTEX_WAKE, 1, 0, 0, 0));
    show("wake_unaligned", sys_futex((const char *)w + 2, FUTEX_WAKE, 1, 0, 0, 0));
    show("bad_op", sys_futex((const void *)w, 99, 0, 0, 0, 0));
    show("value_kept", w[0]);
}

/* --- gettid --- */
static void tid_body(struct thr *t) { t->result = sys_gettid() != sys_getpid(); }
static void t_tid(void) {
    show("main_tid_is_pid", sys_gettid() == sys_getpid());
    show("spawned", thr_spawn(0, tid_body, 0));
    thr_join(0);
    show("thread_tid_differs", thr[0].result);
    show("thread_tid_positive", thr[0].tid > 0);
    show("set_tid_address_is_tid", sys_set_tid_address(0) == sys_gettid());
}

/* --- exit in a thread ends that thread only --- */
static volatile int after_exit;
static void exit_body(struct thr *t) {
    t->result = 1;
    sys_exit(t->arg);
    after_exit = 1;
}
static void t_exit_thread(void) {
    for (int i = 0; i < 3; i++) show("spawned", thr_spawn(i, exit_body, 3));
    for (int i = 0; i < 3; i++) thr_join(i);
    show("ran", thr[0].result + thr[1].result + thr[2].result);
    show("after_exit", after_exit);
    show("main_alive", 1);
}

/* --- exit_group in a thread ends the process with its status --- */
static volatile int never;
static void group_body(struct thr *t) { sys_exit_group(t->arg); }
static void t_exit_group(void) {
    out("before\n");
    /* The thread may end the process before thr_spawn returns: print
     * nothing after it. */
    if (thr_spawn(0, group_body, 42) != 1) return;
    futex_wait_while(&never, 0);
    out("not reached\n");
}

int test_main(int argc, char **argv, char **envp) {
    (void)envp;
    const char *c = argc > 1 ? argv[1] : "";
    if (!t_strcmp(c, "counter")) t_counter();
    else if (!t_strcmp(c, "futex")) t_futex();
    else if (!t_strcmp(c, "errors")) t_errors();
    else if (!t_strcmp(c, "tid")) t_tid();
    else if (!t_strcmp(c, "exit_thread")) t_exit_thread();
    else if (!t_strcmp(c, "exit_group")) t_exit_group();
    else return 2;
    return 0;
}
