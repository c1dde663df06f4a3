/* The engine's host-to-guest calls by table index, driven by hand: the
 * `env.invoke_*` trampolines of setjmp/longjmp with every value type, and
 * the type check before each call (a mismatched or missing table entry
 * traps as a wasm call_indirect does, it never reads or writes past the
 * host's argument buffer). Engine only. Argument: ok | type | index |
 * handler. */
#include "walitest.h"
#include "sigtest.h"

#define ENV(n) __attribute__((import_module("env"), import_name(n)))
ENV("invoke_iii") int invoke_iii(int fn, int a, int b);
ENV("invoke_ddjf") double invoke_ddjf(int fn, double a, long long b, float c);
ENV("invoke_jj") long long invoke_jj(int fn, long long a);
ENV("invoke_v") void invoke_v(int fn);

__attribute__((noinline)) static int add(int a, int b) { return a + b; }
__attribute__((noinline)) static double mix(double a, long long b, float c) {
    return a * (double)b + (double)c;
}
__attribute__((noinline)) static long long twice(long long a) { return a * 2; }
static int calls;
__attribute__((noinline)) static void bump(void) { calls++; }
/* Of another type than `void (int)`, the handler type. */
__attribute__((noinline)) static long long wide(long long a, long long b) { return a ^ b; }

#define IDX(f) ((int)(unsigned long)(f))

int test_main(int argc, char **argv, char **envp) {
    (void)envp;
    const char *how = argc > 1 ? argv[1] : "ok";
    if (how[0] == 'o') {
        show("iii", invoke_iii(IDX(add), 40, 2));
        show("ddjf x1000", (i64)(invoke_ddjf(IDX(mix), 1.5, 1LL << 40, 0.25f) * 1000));
        show("jj", invoke_jj(IDX(twice), 0x123456789LL));
        invoke_v(IDX(bump));
        invoke_v(IDX(bump));
        show("calls", calls);
        return 0;
    }
    out("before\n");
    if (how[0] == 't') /* add is (i32,i32)->i32, not (i64)->i64 */
        invoke_jj(IDX(add), 1);
    else if (how[0] == 'i')
        invoke_iii(0x7fffff, 1, 2);
    else if (how[0] == 'h') {
        show("sigaction", install(10, (handler_t)(void *)wide, 0, 0));
        sys_kill((int)sys_getpid(), 10);
    }
    out("not reached\n");
    return 0;
}
