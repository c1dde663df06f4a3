/* Regression cases for what the guest fuzzer (fuzz_guest.c) found, run
 * natively and under the engine:
 * - NULL struct pointers the host read or wrote as guest address 0 instead
 *   of faulting: a NULL msghdr (sendmsg, recvmsg), mmsghdr vector
 *   (sendmmsg, recvmmsg), iovec array (readv, writev, preadv), sigset
 *   (rt_sigsuspend: it slept with the mask found at address 0), robust list
 *   head (get_robust_list wrote it to address 0), sock_fprog
 *   (SO_ATTACH_FILTER);
 * - accept, accept4, recvfrom, getsockname, getpeername with an address
 *   buffer or length outside memory succeeded without copying the address
 *   out; Linux answers EFAULT (after consuming the datagram or the
 *   connection), and EINVAL for a negative length;
 * - rt_sigaction, rt_sigprocmask and sigaltstack refused a bad old-value
 *   pointer before acting; Linux acts, then faults copying the old value;
 * - execve copied argv/envp without Linux's limits: a vector repeating a
 *   long string made the host copy it again and again (gigabytes); now
 *   E2BIG as on Linux (each string at most 128 KiB, the whole at most what
 *   the stack limit allows).
 */
#include "walitest.h"

#define AF_UNIX 1
#define SOCK_DGRAM 2
#define SOCK_NONBLOCK 04000
#define SOL_SOCKET 1
#define SO_ATTACH_FILTER 26
#define MSG_DONTWAIT 0x40
#define AF_INET 2
#define SOCK_STREAM 1

struct t_sin {
    unsigned short family, port;
    unsigned addr;
    unsigned char zero[8];
};

#ifdef __wasm__
WALI_IMPORT("SYS_sendmmsg") long long w_sendmmsg(int, void *, unsigned, int);
WALI_IMPORT("SYS_recvmmsg") long long w_recvmmsg(int, void *, unsigned, int, void *);
WALI_IMPORT("SYS_preadv") long long w_preadv(int, void *, int, long long);
WALI_IMPORT("SYS_get_robust_list") long long w_get_robust_list(int, void *, void *);
#else
static long long w_sendmmsg(int fd, void *v, unsigned n, int fl) {
    return walit_ret(syscall(SYS_sendmmsg, fd, v, n, fl));
}
static long long w_recvmmsg(int fd, void *v, unsigned n, int fl, void *t) {
    return walit_ret(syscall(SYS_recvmmsg, fd, v, n, fl, t));
}
static long long w_preadv(int fd, void *v, int n, long long off) {
    return walit_ret(syscall(SYS_preadv, fd, v, n, (long)off, 0L));
}
static long long w_get_robust_list(int pid, void *head, void *len) {
    return walit_ret(syscall(SYS_get_robust_list, pid, head, len));
}
#endif

/* struct sock_fprog as each build's kernel interface has it. */
struct t_fprog {
    unsigned short len;
    void *filter;
};

static void null_structs(void) {
    int sv[2];
    CHECK(sys_socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0, sv) == 0);
    show("sendmsg_null", sys_sendmsg(sv[0], NULL, 0));
    show("recvmsg_null", sys_recvmsg(sv[1], NULL, MSG_DONTWAIT));
    show("sendmmsg_null", w_sendmmsg(sv[0], NULL, 1, 0));
    show("recvmmsg_null", w_recvmmsg(sv[1], NULL, 1, MSG_DONTWAIT, NULL));
    /* Nothing was sent by any of them. */
    char b[8];
    show("queue_empty", sys_recvfrom(sv[1], b, sizeof b, MSG_DONTWAIT, NULL, NULL));
    show("readv_null", sys_readv(sv[1], NULL, 1));
    show("writev_null", sys_writev(sv[0], NULL, 2));
    show("readv_null_none", sys_readv(sv[1], NULL, 0));
    show("readv_null_too_many", sys_readv(sv[1], NULL, 1025));
    long long fd = sys_open("f", O_RDWR | O_CREAT, 0600);
    CHECK(fd >= 0);
    show("preadv_null", w_preadv((int)fd, NULL, 1, 0));
    show("attach_filter_null",
         sys_setsockopt(sv[0], SOL_SOCKET, SO_ATTACH_FILTER, NULL, sizeof(struct t_fprog)));
    /* A NULL mask: Linux faults at once (the engine used to wait with the
     * bytes at address 0 as the mask). */
    show("sigsuspend_null", sys_rt_sigsuspend(NULL, 8));
    unsigned long long head = 0x1111, len = 0x2222;
    show("robust_head_null", w_get_robust_list(0, NULL, &len));
    show("robust_len_written_first", len != 0x2222);
    show("robust_len_null", w_get_robust_list(0, &head, NULL));
    sys_close((int)fd);
    sys_close(sv[0]);
    sys_close(sv[1]);
}

static long long udp_roundtrip(int fd, void *addr, void *lenp) {
    char b[8];
    CHECK(sys_sendto(fd, "hi", 2, 0, NULL, 0) == 2);
    long long r = sys_recvfrom(fd, b, sizeof b, MSG_DONTWAIT, addr, lenp);
    /* The datagram is gone either way. */
    show("  then", sys_recvfrom(fd, b, sizeof b, MSG_DONTWAIT, NULL, NULL));
    return r;
}

static void addr_out(void) {
    struct t_sin a = {AF_INET, 0, 0x0100007fu, {0}}, got;
    unsigned len = sizeof a;
    int u = (int)sys_socket(AF_INET, SOCK_DGRAM, 0);
    CHECK(sys_bind(u, &a, sizeof a) == 0);
    CHECK(sys_getsockname(u, &a, &len) == 0);
    CHECK(sys_connect(u, &a, sizeof a) == 0);
    len = sizeof got;
    show("recvfrom_ok", udp_roundtrip(u, &got, &len));
    show("recvfrom_ok_len", len);
    show("recvfrom_ok_port", got.port == a.port);
    len = sizeof got;
    show("recvfrom_bad_addr", udp_roundtrip(u, BAD_PTR, &len));
    show("recvfrom_bad_len", udp_roundtrip(u, &got, BAD_PTR));
    len = (unsigned)-1;
    show("recvfrom_negative_len", udp_roundtrip(u, &got, &len));
    len = 0;
    show("recvfrom_zero_len", udp_roundtrip(u, BAD_PTR, &len));
    show("recvfrom_zero_len_out", len);
    len = 4;
    got.port = 0;
    show("recvfrom_short", udp_roundtrip(u, &got, &len));
    show("recvfrom_short_len", len);
    show("recvfrom_short_port", got.port == a.port);
    len = sizeof got;
    show("getsockname_bad_addr", sys_getsockname(u, BAD_PTR, &len));
    show("getsockname_bad_len", sys_getsockname(u, &got, BAD_PTR));
    show("getsockname_null_len", sys_getsockname(u, &got, NULL));
    show("getpeername_bad_addr", sys_getpeername(u, BAD_PTR, &len));
    len = 0;
    show("getsockname_zero", sys_getsockname(u, BAD_PTR, &len));
    show("getsockname_zero_len", len);
    sys_close(u);

    /* accept4: the connection is taken, then the copy faults; it is gone. */
    struct t_sin l = {AF_INET, 0, 0x0100007fu, {0}};
    int s = (int)sys_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    len = sizeof l;
    CHECK(sys_bind(s, &l, sizeof l) == 0 && sys_listen(s, 4) == 0);
    CHECK(sys_getsockname(s, &l, &len) == 0);
    int c = (int)sys_socket(AF_INET, SOCK_STREAM, 0);
    CHECK(sys_connect(c, &l, sizeof l) == 0);
    len = sizeof got;
    show("accept4_bad_addr", sys_accept4(s, BAD_PTR, &len, 0));
    show("accept4_then", sys_accept4(s, NULL, NULL, 0));
    char b[4];
    show("client_sees_close", sys_read(c, b, sizeof b));
    sys_close(c);
    c = (int)sys_socket(AF_INET, SOCK_STREAM, 0);
    CHECK(sys_connect(c, &l, sizeof l) == 0);
    len = sizeof got;
    long long fd = sys_accept4(s, &got, &len, 0);
    show("accept4_ok", fd >= 0);
    show("accept4_ok_len", len);
    sys_close((int)fd);
    sys_close(c);
    sys_close(s);
}

#define SIGUSR2 12
#define SIG_BLOCK 0
#ifdef __wasm__
#define K_IGN 0xfffffffeu /* SIG_IGN is -2 in the WALI ABI */
struct t_ksa { /* wasm32 k_sigaction: packed, handler a table index */
    unsigned handler;
    unsigned long long flags;
    unsigned restorer;
    unsigned long long mask;
} __attribute__((packed));
struct t_stack {
    void *sp;
    int flags;
    unsigned size;
};
#else
#define K_IGN 1
struct t_ksa {
    unsigned long handler, flags, restorer;
    unsigned long long mask;
};
struct t_stack {
    void *sp;
    int flags;
    unsigned long size;
};
#endif

static char alt[65536];

static void old_value_after_change(void) {
    struct t_ksa ign = {K_IGN, 0, 0, 0}, old;
    show("sigaction_bad_old", sys_rt_sigaction(SIGUSR2, &ign, BAD_PTR, 8));
    show("sigaction_changed", sys_rt_sigaction(SIGUSR2, NULL, &old, 8) == 0 && old.handler == K_IGN);
    struct t_ksa dfl = {0, 0, 0, 0};
    sys_rt_sigaction(SIGUSR2, &dfl, NULL, 8);
    unsigned long long set = 1ull << (SIGUSR2 - 1), cur = 0;
    show("sigprocmask_bad_old", sys_rt_sigprocmask(SIG_BLOCK, &set, BAD_PTR, 8));
    show("sigprocmask_changed",
         sys_rt_sigprocmask(SIG_BLOCK, NULL, &cur, 8) == 0 && (cur & set) != 0);
    sys_rt_sigprocmask(1 /* SIG_UNBLOCK */, &set, NULL, 8);
    struct t_stack ss = {alt, 0, sizeof alt}, os = {0, 0, 0};
    show("sigaltstack_bad_old", sys_sigaltstack(&ss, BAD_PTR));
    show("sigaltstack_changed", sys_sigaltstack(NULL, &os) == 0 && os.size == sizeof alt);
    ss.flags = 2; /* SS_DISABLE */
    sys_sigaltstack(&ss, NULL);
}

#define LONG_ARG 100000
#define REPEATS 60000
static char long_arg[LONG_ARG + 1];
static char over_arg[32 * 4096 + 1];
static char *vec[REPEATS + 1];

static void exec_limits(void) {
    /* /bin/true is never run: each call is refused before that. */
    const char *path = "/bin/true";
    char *small_env[] = {"A=1", NULL};
    for (int i = 0; i < LONG_ARG; i++) long_arg[i] = 'x';
    for (int i = 0; i < (int)sizeof over_arg - 1; i++) over_arg[i] = 'y';
    /* One string longer than MAX_ARG_STRLEN (with its NUL). */
    vec[0] = "true";
    vec[1] = over_arg;
    vec[2] = NULL;
    show("exec_long_string", sys_execve(path, vec, small_env));
    /* The same in the environment. */
    show("exec_long_env", sys_execve(path, small_env, vec + 1));
    /* One long string repeated: far more than any stack limit allows. */
    for (int i = 0; i < REPEATS; i++) vec[i] = long_arg;
    vec[REPEATS] = NULL;
    show("exec_repeated", sys_execve(path, vec, small_env));
    show("exec_repeated_env", sys_execve(path, small_env, vec));
}

int test_main(int argc, char **argv, char **envp) {
    (void)argc, (void)argv, (void)envp;
    null_structs();
    addr_out();
    old_value_after_change();
    exec_limits();
    out("done\n");
    return 0;
}
