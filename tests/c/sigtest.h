/* Installing guest signal handlers in the test programs (after walitest.h).
 *
 * The platform difference: the WALI build gives rt_sigaction the packed
 * wasm32 k_sigaction (handler = function-table index), the native build
 * goes through glibc's sigaction (which adds the x86-64 restorer). Queries
 * and errors use the raw call on both sides, with `struct t_ksa`. */
#ifndef SIGTEST_H
#define SIGTEST_H
#ifndef __wasm__
#include <errno.h>
#include <signal.h>
#endif

#define T_BIT(s) (1ull << ((s) - 1))

typedef void (*handler_t)(int);
#define T_DFL ((handler_t)0)
/* SIG_IGN: -2 in the WALI ABI (the reference libc's value), glibc's 1
 * natively. Every other non-zero WALI handler, 1 included, is a
 * function-table index (wasm-ld gives the first address-taken function
 * index 1). */
#ifdef __wasm__
#define T_IGN ((handler_t)-2)
#else
#define T_IGN ((handler_t)1)
#endif

#ifdef __wasm__
/* The wasm32 k_sigaction: packed, 24 bytes; handlers are table indices. */
struct t_ksa {
    unsigned handler;
    unsigned long long flags;
    unsigned restorer;
    unsigned long long mask;
} __attribute__((packed));
_Static_assert(sizeof(struct t_ksa) == 24, "wasm32 k_sigaction is 24 bytes");
#else
/* The x86-64 kernel k_sigaction. */
struct t_ksa {
    unsigned long handler, flags, restorer;
    unsigned long long mask;
};
#endif

/* Installs `h` for `sig` with `flags` and `mask` blocked while it runs. */
static long long install(int sig, handler_t h, unsigned long long flags,
                         unsigned long long mask) {
#ifdef __wasm__
    struct t_ksa a = {(unsigned)(unsigned long)h, flags, 0, mask};
        return sys_rt_sigaction(sig, &a, NULL, 8);
#else
    struct sigaction a;
    a.sa_handler = h;
    a.sa_flags = (int)flags;
    sigemptyset(&a.sa_mask);
    for (int s = 1; s <= 64; s++)
        if (mask & T_BIT(s)) sigaddset(&a.sa_mask, s);
    return sigaction(sig, &a, NULL) == 0 ? 0 : -errno;
#endif
}
#endif
