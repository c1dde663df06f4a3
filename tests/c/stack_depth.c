/* Recursion at the engine's default stack size, in every mode, as natively:
 * argv[1] levels of a plain two-argument function, then argv[2] levels of a
 * function with a frame of realistic size (a dozen scalars live across the
 * call, a loop and a switch: what a recursive-descent parser or a tree walk
 * keeps), on the main thread and on a spawned thread. No address-taken
 * locals: the frames live on the engine's stacks only (interpreter and fast
 * JIT: the wasm stack, --stack-size; AoT: the native stack), not on the
 * shadow stack in linear memory. */
#include "walitest.h"

#define FUTEX_WAIT_PRIVATE 128
#define FUTEX_WAKE_PRIVATE 129

static volatile int opaque = 7;

__attribute__((noinline)) static int plain(int n, int salt) {
    if (n == 0) return salt;
    int r = plain(n - 1, salt * 3 + opaque);
    return r * 5 + (n ^ opaque);
}

__attribute__((noinline)) static long long realistic(int n, long long acc, int kind) {
    if (n <= 0) return acc ^ kind;
    int a = n * 3 + opaque, b = n ^ kind, c = (n << 2) - opaque, d = kind + n / 3;
    long long e = acc * 31 + a, f = acc ^ (long long)b << 7, g = (long long)c * d;
    unsigned h = (unsigned)n * 2654435761u, i = h >> 11, j = (unsigned)(a + b);
    double k = (double)n / (kind + 1), l = k * 0.5 + opaque;
    for (int t = 0; t < (n & 3); t++) {
        e += t * a;
        h ^= h << 13;
    }
    switch ((a + b) & 3) {
    case 0: f += g; break;
    case 1: g ^= e; break;
    case 2: e -= f; break;
    default: i += j; break;
    }
    long long r = realistic(n - 1, e ^ f, (kind + 1) & 15);
    /* Everything above is live after the call. */
    return r + a + b + c + d + (e ^ f ^ g) + h + i + j + (long long)(k * 8) + (long long)l;
}

static int depth_plain, depth_real;
static int t_plain;
static long long t_real;
static volatile int thread_done;

static void work(int *p, long long *r) {
    *p = plain(depth_plain, 1);
    *r = realistic(depth_real, 1, 0);
}

#ifdef __wasm__
static void thread_entry(int tid, void *arg) {
    (void)tid, (void)arg;
    work(&t_plain, &t_real);
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
    work(&t_plain, &t_real);
    return NULL;
}

static void in_thread(void) {
    pthread_t t;
    pthread_create(&t, NULL, thread_entry, NULL);
    pthread_join(t, NULL);
}
#endif

static int num(const char *p) {
    int v = 0;
    for (; *p; p++) v = v * 10 + (*p - '0');
    return v;
}

int test_main(int argc, char **argv, char **envp) {
    (void)envp;
    if (argc > 2) {
        depth_plain = num(argv[1]);
        depth_real = num(argv[2]);
    }
    int p;
    long long r;
    work(&p, &r);
    show("main plain", p);
    show("main realistic", (int)(r ^ (r >> 32)));
    in_thread();
    show("thread plain", t_plain);
    show("thread realistic", (int)(t_real ^ (t_real >> 32)));
    return 0;
}
