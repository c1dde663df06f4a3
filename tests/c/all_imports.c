/* A module that imports every syscall name of the spec (362) and every
 * auxiliary call links and runs. Only harmless calls are made. */
#include "walitest.h"

#ifdef __wasm__
#define ADDR(name) (void *)sys_##name,
static void *volatile every[] = {WALI_ALL_SYSCALLS(ADDR)(void *)wali_init, (void *)wali_deinit,
                                 (void *)wali_proc_exit, (void *)wali_cl_get_argc,
                                 (void *)wali_cl_get_argv_len, (void *)wali_cl_copy_argv,
                                 (void *)wali_get_init_envfile, (void *)wali_wasm_thread_spawn,
                                 (void *)wali_setjmp, (void *)wali_sigsetjmp, (void *)wali_longjmp};
/* Counted at run time, so the table (and every import in it) is kept. */
static int count_imports(void) {
    int n = 0;
    for (unsigned i = 0; i < sizeof every / sizeof every[0]; i++) n += every[i] != 0;
    return n;
}
#define COUNT count_imports()
#else
#define ONE(name) +1
#define COUNT (0 WALI_ALL_SYSCALLS(ONE) + 11)
#endif

int test_main(int argc, char **argv, char **envp) {
    (void)argc, (void)argv, (void)envp;
    show("imports", COUNT);
    show("write", sys_write(1, "ok\n", 3));
    show("close_bad", sys_close(-1));
    return 0;
}
