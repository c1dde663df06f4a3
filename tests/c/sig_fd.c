/* signalfd/signalfd4 reading a blocked signal; set_robust_list and
 * get_robust_list. */
#include "walitest.h"

#define T_SIGUSR1 10
#define T_SIG_BLOCK 0
#define T_SIG_SETMASK 2
#define SFD_NONBLOCK 04000
#define SFD_CLOEXEC 02000000

#ifdef __wasm__
WALI_IMPORT("SYS_signalfd") long long x_signalfd(int, const void *, int);
WALI_IMPORT("SYS_signalfd4") long long x_signalfd4(int, const void *, int, int);
WALI_IMPORT("SYS_set_robust_list") long long x_set_robust_list(const void *, int);
WALI_IMPORT("SYS_get_robust_list") long long x_get_robust_list(int, void *, void *);
typedef unsigned int t_ptr;
#else
static long long x_signalfd(int fd, const void *m, int n) { return walit_ret(syscall(SYS_signalfd, fd, m, (long)n)); }
static long long x_signalfd4(int fd, const void *m, int n, int f) { return walit_ret(syscall(SYS_signalfd4, fd, m, (long)n, f)); }
static long long x_set_robust_list(const void *h, int n) { return walit_ret(syscall(SYS_set_robust_list, h, (long)n)); }
static long long x_get_robust_list(int p, void *h, void *n) { return walit_ret(syscall(SYS_get_robust_list, p, h, n)); }
typedef unsigned long t_ptr;
#endif

/* struct robust_list_head: two pointers and a long (the platform's sizes). */
struct t_robust_head {
    void *list;
    long futex_offset;
    void *pending;
};

int test_main(int argc, char **argv, char **envp) {
    (void)argc, (void)argv, (void)envp;
    unsigned long long mask = 1ull << (T_SIGUSR1 - 1), old = 0;
    show("block", sys_rt_sigprocmask(T_SIG_BLOCK, &mask, &old, 8));
    long long fd = x_signalfd4(-1, &mask, 8, SFD_NONBLOCK | SFD_CLOEXEC);
    show("signalfd4_ok", fd >= 0);
    unsigned char info[128];
    show("read_empty", sys_read((int)fd, info, sizeof info));
    show("kill", sys_kill((int)sys_getpid(), T_SIGUSR1));
    show("read", sys_read((int)fd, info, sizeof info));
    show("ssi_signo", *(unsigned int *)info);
    show("signalfd_bad_size", x_signalfd(-1, &mask, 4));
    show("signalfd_bad_mask", x_signalfd(-1, BAD_PTR, 8));
    show("signalfd_bad_fd", x_signalfd(1000, &mask, 8));
    long long fd2 = x_signalfd((int)fd, &mask, 8);
    show("signalfd_update_same_fd", fd2 == fd);
    show("signalfd4_bad_flags", x_signalfd4(-1, &mask, 8, 0x1));
    sys_close((int)fd);
    show("restore", sys_rt_sigprocmask(T_SIG_SETMASK, &old, NULL, 8));

    static struct t_robust_head head = {&head, 0, NULL};
    show("set_robust_list", x_set_robust_list(&head, sizeof head));
    show("set_robust_list_bad_len", x_set_robust_list(&head, 5));
    t_ptr got = 0;
    t_ptr len = 0;
    show("get_robust_list", x_get_robust_list(0, &got, &len));
    show("got_is_head", got == (t_ptr)&head);
    show("len_is_size", len == sizeof head);
    show("get_robust_list_bad_ptr", x_get_robust_list(0, BAD_PTR, &len));
    show("get_robust_list_no_such", x_get_robust_list(0x3fffffff, &got, &len));
    return 0;
}
