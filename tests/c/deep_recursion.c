/* Deep guest recursion on the main thread and on a spawned thread: argv[1]
 * levels of a function without address-taken locals, so its frames live on
 * the engine's stacks only (AoT: the host thread's native stack; interpreter
 * and fast JIT: the wasm operand stack, --stack-size), never on the shadow
 * stack in linear memory. The thread's start routine uses no shadow stack
 * either (it runs on the initial __stack_pointer). */
#include "walitest.h"

#define FUTEX_WAIT_PRIVATE 128
#define FUTEX_WAKE_PRIVATE 129

static volatile int opaque = 7;

__attribute__((noinline)) static int rec(int n, int salt) {
    if (n == 0) return salt;
    int r = rec(n - 1, salt * 3 + opaque);
    return r * 5 + (n ^ opaque);
}

static int depth;
static volatile int thread_result;
static volatile int thread_done;

#ifdef __wasm__
static void thread_entry(int tid, void *arg) {
    (void)tid, (void)arg;
    thread_result = rec(depth, 2);
    __atomic_store_n(&thread_done, 1, __ATOMIC_SEQ_CST);
    sys_futex((void *)&thread_done, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

static void in_thread(void) {
    int tid = wali_wasm_thread_spawn((const void *)thread_entry, NULL);
    if (tid <= 0) {
        show("spawn", tid);
        return;
    }
    while (!__atomic_load_n(&thread_done, __ATOMIC_SEQ_CST))
        sys_futex((void *)&thread_done, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
}
#else
#include <pthread.h>
static void *thread_entry(void *arg) {
    (void)arg;
    thread_result = rec(depth, 2);
    return NULL;
}

static void in_thread(void) {
    pthread_t t;
    pthread_create(&t, NULL, thread_entry, NULL);
    pthread_join(t, NULL);
}
#endif

int test_main(int argc, char **argv, char **envp) {
    (void)envp;
    if (argc > 1)
        for (const char *p = argv[1]; *p; p++) depth = depth * 10 + (*p - '0');
    show("main", rec(depth, 1));
    in_thread();
    show("thread", thread_result);
    return 0;
}
