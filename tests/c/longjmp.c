/* setjmp returns 0 directly; a longjmp the engine cannot honour ends the
 * process with a clear message and status 253, never a hang. Engine only. */
#include "walitest.h"

static char env[256];

int test_main(int argc, char **argv, char **envp) {
    (void)argc, (void)argv, (void)envp;
#ifdef __wasm__
    show("setjmp", wali_setjmp(env));
    show("sigsetjmp", wali_sigsetjmp(env, 1));
    wali_longjmp(env, 5);
    out("after longjmp\n");
#endif
    return 0;
}
