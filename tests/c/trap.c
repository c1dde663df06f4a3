/* A guest that traps: out-of-bounds access or `unreachable` deep in named
 * functions, or recursion without end. Only the engine runs it (a trap has
 * no native equivalent).
 *
 * argv[1]: 0 out-of-bounds load, 1 unreachable, 2 endless recursion on the
 * main thread, 3 endless recursion making a syscall at every level (host
 * calls made right at the stack limit), 4 endless recursion on a spawned
 * thread, 5 kill(getpid(), SIGABRT): death by a signal, which the engine
 * must pass on as such (a trap's status 134 is an exit status). The engine checks the native stack in software (no guard pages),
 * so each must end in a trap, never a host crash. */
#include "walitest.h"

#define FUTEX_WAIT_PRIVATE 128

__attribute__((noinline)) static int inner_fault(int how) {
    if (how == 1) __builtin_trap();
    volatile int *p = (volatile int *)0xfffffff0u;
    return *p;
}

__attribute__((noinline)) static int outer_call(int how) { return inner_fault(how) + 1; }

static volatile int opaque = 3;

/* Not a tail call (the result is used), no address-taken locals: frames on
 * the engine's stacks only. */
__attribute__((noinline)) static int endless(int n, int with_syscall) {
    if (with_syscall && sys_getppid() < 0) return -1;
    return endless(n + opaque, with_syscall) * 7 + n;
}

#ifdef __wasm__
static volatile int never;
static void thread_entry(int tid, void *arg) {
    (void)tid, (void)arg;
    never = endless(1, 0);
}
#endif

int test_main(int argc, char **argv, char **envp) {
    (void)envp;
    int how = argc > 1 ? t_atoi(argv[1]) : 0;
    out("before trap\n");
    switch (how) {
    case 2:
    case 3:
        return endless(1, how == 3);
#ifdef __wasm__
    case 4:
        if (wali_wasm_thread_spawn((const void *)thread_entry, NULL) <= 0) return 2;
        /* The thread's trap ends the process; this wait never returns. */
        for (;;) sys_futex((void *)&never, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
#endif
    case 5:
        sys_kill((int)sys_getpid(), 6 /* SIGABRT */);
        return 3;
    default:
        return outer_call(how);
    }
}
