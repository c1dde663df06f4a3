/* A second thread for the attack_mem_* guests: WALI threads start through
 * __wasm_thread_spawn on a stack of their own (as in thread_basic.c); native
 * ones are detached glibc pthreads running the same body. */
#ifndef ATTACK_MEM_THR_H
#define ATTACK_MEM_THR_H
#include "walitest.h"

#define AM_STACK (64 * 1024)

struct am_thr {
    void (*fn)(struct am_thr *);
    char *stack_top;
    void *arg;
};

#ifdef __wasm__
static char am_stack[AM_STACK] __attribute__((aligned(16)));
static void am_entry(int tid, void *p) {
    struct am_thr *t = p;
    (void)tid;
    __asm__ volatile(".globaltype __stack_pointer, i32\n\t"
                     "local.get %0\n\t"
                     "global.set __stack_pointer" ::"r"(t->stack_top));
    t->fn(t);
}
/* 1 or -errno */
static int am_spawn(struct am_thr *t) {
    t->stack_top = am_stack + AM_STACK;
    int r = wali_wasm_thread_spawn((const void *)am_entry, t);
    return r > 0 ? 1 : r;
}
#else
#include <pthread.h>
static void *am_native(void *p) {
    struct am_thr *t = p;
    t->fn(t);
    return 0;
}
static int am_spawn(struct am_thr *t) {
    pthread_t th;
    pthread_attr_t a;
    pthread_attr_init(&a);
    pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&a, 256 * 1024);
    int r = pthread_create(&th, &a, am_native, t);
    pthread_attr_destroy(&a);
    return r == 0 ? 1 : -r;
}
#endif

struct am_ts { long long sec, nsec; };
static void am_sleep_ms(int ms) {
    struct am_ts ts = {ms / 1000, (long long)(ms % 1000) * 1000000};
    sys_nanosleep(&ts, 0);
}
#endif
