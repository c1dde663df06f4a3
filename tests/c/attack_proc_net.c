/* Attack: host memory a guest can make the engine allocate through socket
 * calls. A control buffer far larger than Linux accepts (optmem_max) is
 * ENOBUFS without being copied, alone and in a sendmmsg batch; the
 * process's peak RSS stays small. Unknown socket options are ENOPROTOOPT
 * (after EBADF/ENOTSOCK), as Linux answers. Differential with native. */
#include "walitest.h"

#define AF_INET 2
#define AF_UNIX 1
#define SOCK_STREAM 1
#define SOCK_DGRAM 2
#define SOL_SOCKET 1
#define SO_REUSEADDR 2
#define IPPROTO_TCP 6
#define PROT_READ 1
#define PROT_WRITE 2
#define MAP_PRIVATE 2
#define MAP_ANONYMOUS 0x20
#define MAP_NORESERVE 0x4000
#define RUSAGE_SELF 0

struct t_iovec { void *base; size_t len; };
/* struct msghdr as each build's kernel interface has it (see net_sockets.c). */
#ifdef __wasm__
struct t_msghdr {
    void *name;
    unsigned namelen;
    struct t_iovec *iov;
    int iovlen, pad1;
    void *control;
    unsigned controllen, pad2;
    int flags;
};
_Static_assert(sizeof(struct t_msghdr) == 36, "wasm32 msghdr");
#else
struct t_msghdr {
    void *name;
    unsigned namelen;
    struct t_iovec *iov;
    size_t iovlen;
    void *control;
    size_t controllen;
    int flags;
};
#endif
struct t_mmsghdr { struct t_msghdr hdr; unsigned len; };

#ifdef __wasm__
WALI_IMPORT("SYS_sendmmsg") long long w_sendmmsg(int, void *, int, int);
#else
static long long w_sendmmsg(int a, void *b, int c, int d) { return walit_ret(syscall(SYS_sendmmsg, a, b, c, d)); }
#endif

/* Peak RSS in KiB (ru_maxrss, the 5th long of struct rusage, after two
 * timevals of 16 bytes). */
static long long maxrss(void) {
    long long ru[18] = {0};
    sys_getrusage(RUSAGE_SELF, ru);
    return ru[4];
}

static struct t_mmsghdr mm[1024];

int test_main(int argc, char **argv, char **envp) {
    (void)argc, (void)argv, (void)envp;
    int sv[2];
    show("socketpair", sys_socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
    const size_t big = 512u << 20;
    char *region = (char *)(long)sys_mmap(NULL, big, PROT_READ | PROT_WRITE,
                                          MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    CHECK((long)region > 0);
    long long before = maxrss();

    char data = 'x';
    struct t_iovec iov = {&data, 1};
    struct t_msghdr m = {0};
    m.iov = &iov, m.iovlen = 1;
    m.control = region, m.controllen = big;
    show("sendmsg_512M", sys_sendmsg(sv[0], &m, 0));
    m.controllen = 1u << 20;
    show("sendmsg_1M", sys_sendmsg(sv[0], &m, 0));
    m.controllen = 0x80000000u;
    show("sendmsg_2G", sys_sendmsg(sv[0], &m, 0));
    m.controllen = 0xffffffffu;
    show("sendmsg_4G", sys_sendmsg(sv[0], &m, 0));
    /* A bad descriptor is still EBADF, a non-socket ENOTSOCK. */
    m.controllen = big;
    show("sendmsg_badfd", sys_sendmsg(999, &m, 0));

    for (int i = 0; i < 1024; i++) {
        mm[i].hdr = m;
        mm[i].hdr.controllen = 256u << 10;
    }
    show("sendmmsg_1024x256K", w_sendmmsg(sv[0], mm, 1024, 0));
    for (int i = 0; i < 1024; i++) mm[i].hdr.controllen = big;
    show("sendmmsg_1024x512M", w_sendmmsg(sv[0], mm, 1024, 0));
    long long grew = maxrss() - before;
    show("rss_small", grew < 64 * 1024);
    if (grew >= 64 * 1024) show("rss_grew_kib", grew);

    /* An ordinary message still goes out. */
    m.control = NULL, m.controllen = 0;
    show("sendmsg_plain", sys_sendmsg(sv[0], &m, 0));

    /* Socket options: known ones work, unknown ones are ENOPROTOOPT. */
    int s = (int)sys_socket(AF_INET, SOCK_DGRAM, 0);
    int t = (int)sys_socket(AF_INET, SOCK_STREAM, 0);
    int one = 1, v = 0;
    unsigned len = sizeof v;
    show("so_reuseaddr_set", sys_setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one));
    show("so_reuseaddr_get", sys_getsockopt(s, SOL_SOCKET, SO_REUSEADDR, &v, &len));
    show("so_reuseaddr_val", v);
    show("unknown_level", sys_setsockopt(s, 12345, 1, &one, sizeof one));
    show("unknown_sol_socket", sys_setsockopt(s, SOL_SOCKET, 9999, &one, sizeof one));
    show("unknown_tcp", sys_setsockopt(t, IPPROTO_TCP, 9999, &one, sizeof one));
    show("unknown_get", sys_getsockopt(t, IPPROTO_TCP, 9999, &v, &len));
    show("unknown_badfd", sys_setsockopt(999, 12345, 1, &one, sizeof one));
    show("unknown_notsock", sys_setsockopt(1, 12345, 1, &one, sizeof one));
    show("tcp_nodelay", sys_setsockopt(t, IPPROTO_TCP, 1, &one, sizeof one));
    out("done\n");
    return t_failures ? 1 : 0;
}
