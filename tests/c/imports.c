/* Linking: every `wali` import a module declares links, whatever the engine
 * implements. Unknown names, and names imported with another type than the
 * spec's, return -ENOSYS (38) when called, as an unknown syscall number does
 * natively. */
#include "walitest.h"

#ifdef __wasm__
WALI_IMPORT("SYS_no_such_call") long long unknown_syscall(int);
WALI_IMPORT("__no_such_aux") int unknown_aux(void);
/* getpid takes no argument: this import has the wrong type. */
WALI_IMPORT("SYS_getpid") long long mistyped_getpid(int, int);
/* The second signature real binaries use for exit. */
WALI_IMPORT("SYS_exit") void exit_void(int);
/* The spec lists tgkill without arguments; the engine links it with the
 * kernel's (i32, i32, i32). Imported with the spec's own type, ()->i64 (which
 * AoT code calls directly), it is another type than the engine's. */
WALI_IMPORT("SYS_tgkill") long long spec_typed_tgkill(void);
#else
static long long unknown_syscall(int a) { (void)a; return walit_ret(syscall(100000)); }
static int unknown_aux(void) { return (int)walit_ret(syscall(100001)); }
static long long mistyped_getpid(int a, int b) { (void)a, (void)b; return walit_ret(syscall(100002)); }
static void exit_void(int s) { sys_exit_group(s); }
static long long spec_typed_tgkill(void) { return walit_ret(syscall(100003)); }
#endif

int test_main(int argc, char **argv, char **envp) {
    (void)envp;
    show("unknown_syscall", unknown_syscall(1));
    show("unknown_aux", unknown_aux());
    show("mistyped", mistyped_getpid(1, 2));
    show("spec_typed", spec_typed_tgkill());
    if (argc > 1 && t_strcmp(argv[1], "exit_void") == 0) {
        out("exit via (i32)->()\n");
        exit_void(9);
        return 1;
    }
    if (argc > 1 && t_strcmp(argv[1], "exit_i64") == 0) {
        out("exit via (i32)->i64\n");
        sys_exit(11);
        return 1;
    }
    return 0;
}
