/* Memory locking: mlock family with valid and invalid arguments. */
#include "walitest.h"

#ifdef __wasm__
WALI_IMPORT("SYS_mlock") long long w_mlock(const void *, int);
WALI_IMPORT("SYS_munlock") long long w_munlock(const void *, int);
WALI_IMPORT("SYS_mlockall") long long w_mlockall(int);
WALI_IMPORT("SYS_munlockall") long long w_munlockall(void);
WALI_IMPORT("SYS_mlock2") long long w_mlock2(const void *, int, int);
#else
static long long w_mlock(const void *a, int n) { return walit_ret(syscall(SYS_mlock, a, (long)n)); }
static long long w_munlock(const void *a, int n) { return walit_ret(syscall(SYS_munlock, a, (long)n)); }
static long long w_mlockall(int f) { return walit_ret(syscall(SYS_mlockall, f)); }
static long long w_munlockall(void) { return walit_ret(syscall(SYS_munlockall)); }
static long long w_mlock2(const void *a, int n, int f) { return walit_ret(syscall(SYS_mlock2, a, (long)n, f)); }
#endif

static char buf[8192];

int test_main(int argc, char **argv, char **envp) {
    (void)argc, (void)argv, (void)envp;
    show("mlock", w_mlock(buf, sizeof buf));
    show("munlock", w_munlock(buf, sizeof buf));
    show("mlock_zero", w_mlock(buf, 0));
    show("mlock2", w_mlock2(buf, 4096, 0));
    show("mlock2_onfault", w_mlock2(buf, 4096, 1));
    show("mlock2_bad_flags", w_mlock2(buf, 4096, 0x100));
    show("munlock2", w_munlock(buf, 4096));
    show("mlockall_zero", w_mlockall(0));
    show("mlockall_bad", w_mlockall(0x40));
    show("mlockall_onfault_alone", w_mlockall(4));
    show("mlockall_current", w_mlockall(1));
    show("munlockall", w_munlockall());
    return 0;
}
