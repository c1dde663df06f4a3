/* sigaltstack: set/get round trip with the platform's stack_t (wasm32:
 * u32 ss_sp, i32 ss_flags, u32 ss_size), SS_ONSTACK accepted as 0,
 * SS_AUTODISARM kept, SS_DISABLE clearing the stack, ENOMEM for a small
 * stack, EINVAL for bad flags, EFAULT for each pointer. */
#include "walitest.h"

#define SS_ONSTACK 1
#define SS_DISABLE 2
#define SS_AUTODISARM (1u << 31)

#ifdef __wasm__
typedef struct { unsigned sp; int flags; unsigned size; } t_stack;
_Static_assert(sizeof(t_stack) == 12, "wasm32 stack_t is 12 bytes");
#else
typedef struct { unsigned long sp; int flags; unsigned long size; } t_stack;
#endif

static char alt[65536];

static t_stack get(void) {
    t_stack s = {0x5555, 0x5555, 0x5555};
    CHECK(sys_sigaltstack(NULL, &s) == 0);
    return s;
}

static void show_stack(const char *what) {
    t_stack s = get();
    out(what);
    out(": ");
    show("sp_is_alt", s.sp == (unsigned long)alt);
    show("sp_zero", s.sp == 0);
    show("flags", (unsigned)s.flags);
    show("size", (long long)s.size);
}

static long long set(unsigned long sp, int flags, unsigned long size) {
    t_stack s = {sp, flags, size};
    return sys_sigaltstack(&s, NULL);
}

int test_main(int argc, char **argv, char **envp) {
    (void)argc, (void)argv, (void)envp;
    show_stack("initial");
    show("set", set((unsigned long)alt, 0, sizeof alt));
    show_stack("after_set");
    /* The old value comes back from the same call that changes it. */
    t_stack n = {(unsigned long)alt, 0, 32768}, old = {1, 1, 1};
    show("set_old", sys_sigaltstack(&n, &old));
    show("old_sp_is_alt", old.sp == (unsigned long)alt);
    show("old_size", (long long)old.size);
    show("old_flags", old.flags);
    show("set_onstack", set((unsigned long)alt, SS_ONSTACK, sizeof alt));
    show_stack("after_onstack");
    show("set_autodisarm", set((unsigned long)alt, (int)SS_AUTODISARM, sizeof alt));
    show_stack("after_autodisarm");
    show("set_small", set((unsigned long)alt, 0, 1000));
    show("set_bad_flags", set((unsigned long)alt, 7, sizeof alt));
    show("set_bad_flags2", set((unsigned long)alt, 0x100, sizeof alt));
    show_stack("after_errors");
    /* Disabling forgets the stack; its size is not checked. */
    show("disable", set((unsigned long)alt, SS_DISABLE, 10));
    show_stack("after_disable");
    show("bad_ss", sys_sigaltstack(BAD_PTR, NULL));
    show("bad_old", sys_sigaltstack(NULL, BAD_PTR));
    show("null_both", sys_sigaltstack(NULL, NULL));
    return 0;
}
