/* Spawn + join latency: 1000 threads one after another, each adding to a
 * counter; prints the median and the counter. Not differential (times):
 * tests/threads.rs compares the medians of the engine modes and native. */
#include "walitest.h"

#define N 1000
#define STACK (16 * 1024)
#define FUTEX_WAIT 0

struct ts { long long sec, nsec; };
static volatile int word;
static int counter;
static long long lat[N];

static void body(void) {
    sys_set_tid_address((const void *)&word);
    __atomic_fetch_add(&counter, 1, __ATOMIC_SEQ_CST);
}

#ifdef __wasm__
static char stack[STACK] __attribute__((aligned(16)));
static void entry(int tid, void *p) {
    (void)tid, (void)p;
    __asm__ volatile(".globaltype __stack_pointer, i32\n\t"
                     "local.get %0\n\t"
                     "global.set __stack_pointer" ::"r"(stack + STACK));
    body();
}
static int spawn(void) { return wali_wasm_thread_spawn((const void *)entry, 0) > 0; }
#else
#include <pthread.h>
static void *entry(void *p) { (void)p; body(); return 0; }
static int spawn(void) {
    pthread_t th;
    pthread_attr_t a;
    pthread_attr_init(&a);
    pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
    int r = pthread_create(&th, &a, entry, 0);
    pthread_attr_destroy(&a);
    return r == 0;
}
#endif

/* -1 where clock_gettime is not available (then only the total run time,
 * measured by the harness, tells the cost). */
static long long now(void) {
    struct ts t = {0, 0};
    if (sys_clock_gettime(1, &t) != 0) return -1;
    return t.sec * 1000000000LL + t.nsec;
}

int test_main(int argc, char **argv, char **envp) {
    (void)envp;
    int n = argc > 1 ? t_atoi(argv[1]) : N;
    if (n > N) n = N;
    for (int i = 0; i < n; i++) {
        long long t0 = now();
        word = 1;
        if (!spawn()) return 3;
        int v;
        while ((v = word) != 0) sys_futex((const void *)&word, FUTEX_WAIT, v, 0, 0, 0);
        lat[i] = now() - t0;
    }
    /* insertion sort is fine for 1000 */
    for (int i = 1; i < n; i++) {
        long long x = lat[i];
        int j = i - 1;
        while (j >= 0 && lat[j] > x) lat[j + 1] = lat[j], j--;
        lat[j + 1] = x;
    }
    show("counter", counter);
    show("median_ns", n ? lat[n / 2] : 0);
    return 0;
}
