/* Readiness: poll, ppoll, select, pselect6 (its {sigset_t *, size_t}
 * argument is translated from wasm32), epoll_create, epoll_create1,
 * epoll_ctl, epoll_wait, epoll_pwait, epoll_pwait2. */
#include "walitest.h"

#define POLLIN 1
#define POLLOUT 4
#define POLLNVAL 0x20
#define EPOLLIN 1
#define EPOLLOUT 4
#define EPOLL_CTL_ADD 1
#define EPOLL_CTL_DEL 2
#define EPOLL_CTL_MOD 3
#define EPOLL_CLOEXEC O_CLOEXEC
#define F_GETFD 1

#ifdef __wasm__
WALI_IMPORT("SYS_epoll_create") long long x_epoll_create(int);
WALI_IMPORT("SYS_epoll_wait") long long x_epoll_wait(int, void *, int, int);
WALI_IMPORT("SYS_epoll_pwait2") long long x_epoll_pwait2(int, void *, int, const void *, const void *, int);
#else
static long long x_epoll_create(int a) { return walit_ret(syscall(SYS_epoll_create, a)); }
static long long x_epoll_wait(int a, void *b, int c, int d) { return walit_ret(syscall(SYS_epoll_wait, a, b, c, d)); }
static long long x_epoll_pwait2(int a, void *b, int c, const void *d, const void *e, int f) {
    return walit_ret(syscall(SYS_epoll_pwait2, a, b, c, d, e, (long)f));
}
#endif

struct t_pollfd { int fd; short events, revents; };
struct t_ts { long long sec, nsec; };
struct t_event { unsigned int events; unsigned long long data; } __attribute__((packed));
_Static_assert(sizeof(struct t_event) == 12, "epoll_event is packed");
typedef struct { unsigned long long bits[16]; } t_fd_set;
#define T_FD_SET(fd, s) ((s)->bits[(fd) / 64] |= 1ull << ((fd) % 64))
#define T_FD_ISSET(fd, s) (((s)->bits[(fd) / 64] >> ((fd) % 64)) & 1)
static void t_fd_zero(t_fd_set *s) { for (int i = 0; i < 16; i++) s->bits[i] = 0; }
/* pselect6's sixth argument: musl passes it as two of its syscall_arg_t,
 * 64 bits on wasm32 (the reference libc and ours) as on x86-64. */
struct t_sigdata { unsigned long long ss, len; };
#define SD(p, n) {(unsigned long long)(unsigned long)(p), (n)}

int test_main(int argc, char **argv, char **envp) {
    (void)argc, (void)argv, (void)envp;
    int p[2];
    sys_pipe(p);
    unsigned long long mask = 0; /* empty signal set */

    /* poll */
    struct t_pollfd pf[3] = {{p[0], POLLIN, -1}, {p[1], POLLOUT, -1}, {1000, POLLIN, -1}};
    show("poll_empty", sys_poll(pf, 1, 0));
    show("poll_mixed", sys_poll(pf, 3, 0));
    show("rev0", pf[0].revents);
    show("rev1", pf[1].revents);
    show("rev_nval", pf[2].revents);
    sys_write(p[1], "x", 1);
    show("poll_ready", sys_poll(pf, 1, 100));
    show("rev_in", pf[0].revents);
    show("poll_efault", sys_poll(BAD_PTR, 1, 0));
    show("poll_huge", sys_poll(BAD_PTR, 1ll << 40, 0));
    show("poll_over_limit", sys_poll(BAD_PTR, 1ll << 30, 0));
    show("poll_none_timeout", sys_poll(NULL, 0, 1));

    /* ppoll */
    struct t_ts zero = {0, 0}, bad_ts = {0, 2000000000};
    show("ppoll", sys_ppoll(pf, 2, &zero, NULL, 8));
    show("ppoll_mask", sys_ppoll(pf, 2, &zero, &mask, 8));
    show("ppoll_bad_sigsetsize", sys_ppoll(pf, 2, &zero, &mask, 4));
    show("ppoll_bad_ts", sys_ppoll(pf, 2, &bad_ts, NULL, 8));
    show("ppoll_efault_fds", sys_ppoll(BAD_PTR, 1, &zero, NULL, 8));
    show("ppoll_efault_ts", sys_ppoll(pf, 1, BAD_PTR, NULL, 8));
    show("ppoll_efault_mask", sys_ppoll(pf, 1, &zero, BAD_PTR, 8));

    /* select */
    t_fd_set rd, wr;
    struct t_ts tv = {0, 0};
    t_fd_zero(&rd);
    t_fd_zero(&wr);
    T_FD_SET(p[0], &rd);
    T_FD_SET(p[1], &wr);
    int nfds = (p[0] > p[1] ? p[0] : p[1]) + 1;
    show("select", sys_select(nfds, &rd, &wr, NULL, &tv));
    show("select_rd", T_FD_ISSET(p[0], &rd));
    show("select_wr", T_FD_ISSET(p[1], &wr));
    char c;
    sys_read(p[0], &c, 1);
    t_fd_zero(&rd);
    T_FD_SET(p[0], &rd);
    struct t_ts short_tv = {0, 1000};
    show("select_timeout", sys_select(nfds, &rd, NULL, NULL, &short_tv));
    show("select_cleared", T_FD_ISSET(p[0], &rd));
    show("select_tv_left", short_tv.sec == 0 && short_tv.nsec == 0);
    t_fd_zero(&rd);
    T_FD_SET(200, &rd);
    show("select_badfd", sys_select(201, &rd, NULL, NULL, &tv));
    show("select_neg", sys_select(-1, NULL, NULL, NULL, &tv));
    struct t_ts bad_tv = {0, 2000000};
    show("select_bad_tv", sys_select(0, NULL, NULL, NULL, &bad_tv));
    show("select_efault_set", sys_select(nfds, BAD_PTR, NULL, NULL, &tv));
    show("select_efault_tv", sys_select(nfds, NULL, NULL, NULL, BAD_PTR));

    /* pselect6 */
    t_fd_zero(&wr);
    T_FD_SET(p[1], &wr);
    struct t_sigdata sd = SD(&mask, 8);
    show("pselect6", sys_pselect6(nfds, NULL, &wr, NULL, &zero, &sd));
    show("pselect6_wr", T_FD_ISSET(p[1], &wr));
    show("pselect6_no_data", sys_pselect6(nfds, NULL, &wr, NULL, &zero, NULL));
    struct t_sigdata nomask = SD(NULL, 0);
    show("pselect6_null_mask", sys_pselect6(nfds, NULL, &wr, NULL, &zero, &nomask));
    struct t_sigdata badsize = SD(&mask, 4);
    show("pselect6_bad_size", sys_pselect6(nfds, NULL, &wr, NULL, &zero, &badsize));
    struct t_sigdata badmask = SD(BAD_PTR, 8);
    show("pselect6_efault_mask", sys_pselect6(nfds, NULL, &wr, NULL, &zero, &badmask));
    /* A pointer beyond 32 bits: outside linear memory, unmapped natively. */
    struct t_sigdata highmask = {0x100000000ull, 8}, highbad = {0x100000000ull, 4};
    show("pselect6_efault_high", sys_pselect6(nfds, NULL, &wr, NULL, &zero, &highmask));
    show("pselect6_einval_high", sys_pselect6(nfds, NULL, &wr, NULL, &zero, &highbad));
    /* The size word is 64 bits: 8 in its high half is not 8. */
    struct t_sigdata hisize = {(unsigned long)&mask, 8ull << 32};
    show("pselect6_einval_hisize", sys_pselect6(nfds, NULL, &wr, NULL, &zero, &hisize));
    show("pselect6_efault_data", sys_pselect6(nfds, NULL, &wr, NULL, &zero, BAD_PTR));
    show("pselect6_efault_ts", sys_pselect6(nfds, NULL, &wr, NULL, BAD_PTR, NULL));
    show("pselect6_bad_ts", sys_pselect6(nfds, NULL, &wr, NULL, &bad_ts, NULL));

    /* epoll */
    long long ep = sys_epoll_create1(EPOLL_CLOEXEC);
    show("epoll_create1_ok", ep >= 0);
    show("epoll_cloexec", sys_fcntl((int)ep, F_GETFD, 0));
    show("epoll_create1_bad", sys_epoll_create1(1));
    long long ep2 = x_epoll_create(1);
    show("epoll_create_ok", ep2 >= 0);
    show("epoll_create_zero", x_epoll_create(0));
    struct t_event ev = {EPOLLIN, 0x1122334455667788ull};
    show("ctl_add", sys_epoll_ctl((int)ep, EPOLL_CTL_ADD, p[0], &ev));
    show("ctl_add_again", sys_epoll_ctl((int)ep, EPOLL_CTL_ADD, p[0], &ev));
    show("ctl_add_efault", sys_epoll_ctl((int)ep, EPOLL_CTL_ADD, p[1], BAD_PTR));
    show("ctl_badfd", sys_epoll_ctl((int)ep, EPOLL_CTL_ADD, -1, &ev));
    show("ctl_not_epoll", sys_epoll_ctl(p[0], EPOLL_CTL_ADD, p[1], &ev));
    show("ctl_self", sys_epoll_ctl((int)ep, EPOLL_CTL_ADD, (int)ep, &ev));
    struct t_event got[4];
    show("wait_empty", x_epoll_wait((int)ep, got, 4, 0));
    sys_write(p[1], "yz", 2);
    show("wait", x_epoll_wait((int)ep, got, 4, 100));
    show("wait_events", got[0].events);
    show("wait_data_ok", got[0].data == 0x1122334455667788ull);
    show("wait_maxevents_0", x_epoll_wait((int)ep, got, 0, 0));
    show("wait_efault", x_epoll_wait((int)ep, BAD_PTR, 4, 0));
    show("wait_badfd", x_epoll_wait(-1, got, 4, 0));
    struct t_event evo = {EPOLLOUT, 42};
    show("ctl_add_out", sys_epoll_ctl((int)ep, EPOLL_CTL_ADD, p[1], &evo));
    show("pwait_two", sys_epoll_pwait((int)ep, got, 4, 0, &mask, 8));
    show("pwait_sum_data", (i64)(got[0].data + got[1].data - 0x1122334455667788ull));
    show("pwait_one_slot", sys_epoll_pwait((int)ep, got, 1, 0, NULL, 8));
    show("pwait_bad_sigsetsize", sys_epoll_pwait((int)ep, got, 4, 0, &mask, 16));
    show("pwait_efault_mask", sys_epoll_pwait((int)ep, got, 4, 0, BAD_PTR, 8));
    struct t_event evm = {EPOLLIN, 7};
    show("ctl_mod", sys_epoll_ctl((int)ep, EPOLL_CTL_MOD, p[1], &evm));
    show("ctl_del_badptr", sys_epoll_ctl((int)ep, EPOLL_CTL_DEL, p[1], BAD_PTR));
    show("ctl_del_again", sys_epoll_ctl((int)ep, EPOLL_CTL_DEL, p[1], NULL));
    show("pwait2", x_epoll_pwait2((int)ep, got, 4, &zero, NULL, 8));
    show("pwait2_data_ok", got[0].data == 0x1122334455667788ull);
    show("pwait2_bad_ts", x_epoll_pwait2((int)ep, got, 4, &bad_ts, NULL, 8));
    show("pwait2_efault_ts", x_epoll_pwait2((int)ep, got, 4, BAD_PTR, NULL, 8));
    show("pwait2_efault_events", x_epoll_pwait2((int)ep, BAD_PTR, 4, &zero, NULL, 8));
    sys_read(p[0], &c, 2);
    show("pwait2_drained", x_epoll_pwait2((int)ep, got, 4, &zero, &mask, 8));
    return 0;
}
