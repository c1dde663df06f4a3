/* Sockets: socket, socketpair, bind, connect, listen, accept, accept4,
 * getsockname, getpeername, sendto, recvfrom, sendmsg, recvmsg (iovecs,
 * names, SCM_RIGHTS control data, truncation), sendmmsg, recvmmsg,
 * setsockopt, getsockopt (plain values, timeval, classic BPF filter),
 * shutdown. Loopback only, ephemeral ports; no port number or descriptor
 * number is printed, only relations. */
#include "walitest.h"
#ifndef __wasm__
#include <string.h>
#endif

#define EBADF 9
#define EFAULT 14
#define EINVAL 22
#define EAGAIN 11
#define ENOTSOCK 88
#define EMSGSIZE 90
#define ENOPROTOOPT 92
#define EAFNOSUPPORT 97
#define ENOTCONN 107

#define AF_UNIX 1
#define AF_INET 2
#define AF_INET6 10
#define SOCK_STREAM 1
#define SOCK_DGRAM 2
#define SOCK_NONBLOCK 04000
#define SOCK_CLOEXEC 02000000
#define SOL_SOCKET 1
#define SO_REUSEADDR 2
#define SO_TYPE 3
#define SO_RCVBUF 8
#define SO_PASSCRED 16
#define SO_PEERCRED 17
#define SO_RCVTIMEO 20
#define SO_ATTACH_FILTER 26
#define SO_DETACH_FILTER 27
#define SO_GET_FILTER SO_ATTACH_FILTER
#define SCM_RIGHTS 1
#define SCM_CREDENTIALS 2
#define MSG_CTRUNC 8
#define MSG_TRUNC 0x20
#define MSG_DONTWAIT 0x40
#define SHUT_WR 1
#define LOOPBACK 0x0100007fu /* 127.0.0.1 in network byte order */

struct t_sockaddr_in {
    unsigned short family, port;
    unsigned int addr;
    char zero[8];
};
struct t_sockaddr_in6 {
    unsigned short family, port;
    unsigned int flowinfo;
    unsigned char addr[16];
    unsigned int scope_id;
};
struct t_iovec {
    void *base;
    size_t len;
};
/* struct msghdr and struct cmsghdr as each build's kernel interface has
 * them: the wasm32 WALI layout (musl with 8-byte long) and x86-64's. */
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
struct t_cmsghdr {
    unsigned len, pad; /* the libc does not clear the pad */
    int level, type;
};
#define SET_CMSG_LEN(c, n) ((c)->len = (n), (c)->pad = 0xdeadbeefu)
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
struct t_cmsghdr {
    unsigned long long len;
    int level, type;
};
#define SET_CMSG_LEN(c, n) ((c)->len = (n))
#endif
_Static_assert(sizeof(struct t_cmsghdr) == 16, "cmsghdr");
struct t_mmsghdr {
    struct t_msghdr hdr;
    unsigned len;
};
struct t_filter {
    unsigned short code;
    unsigned char jt, jf;
    unsigned int k;
};
struct t_fprog {
    unsigned short len;
    struct t_filter *filter;
};
struct t_timeval {
    long long sec, usec;
};

/* sendmmsg and recvmmsg are untyped in the spec: the C prototypes. */
#ifdef __wasm__
WALI_IMPORT("SYS_sendmmsg") long long w_sendmmsg(int, void *, unsigned, int);
WALI_IMPORT("SYS_recvmmsg") long long w_recvmmsg(int, void *, unsigned, int, void *);
#else
static long long w_sendmmsg(int fd, void *v, unsigned n, int fl) {
    return walit_ret(syscall(SYS_sendmmsg, fd, v, n, fl));
}
static long long w_recvmmsg(int fd, void *v, unsigned n, int fl, void *t) {
    return walit_ret(syscall(SYS_recvmmsg, fd, v, n, fl, t));
}
#endif

static void loopback(struct t_sockaddr_in *a, unsigned short port) {
    memset(a, 0, sizeof *a);
    a->family = AF_INET;
    a->port = port;
    a->addr = LOOPBACK;
}

/* A TCP listener on 127.0.0.1 with an ephemeral port; returns its fd. */
static int tcp_listener(struct t_sockaddr_in *bound) {
    int s = (int)sys_socket(AF_INET, SOCK_STREAM, 0);
    CHECK(s >= 0);
    int one = 1;
    show("setsockopt_reuseaddr", sys_setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, 4));
    loopback(bound, 0);
    show("bind", sys_bind(s, bound, sizeof *bound));
    int len = sizeof *bound;
    show("getsockname", sys_getsockname(s, bound, &len));
    show("getsockname_len", len);
    show("getsockname_family", bound->family);
    show("getsockname_port_set", bound->port != 0);
    show("getsockname_loopback", bound->addr == LOOPBACK);
    show("listen", sys_listen(s, 4));
    return s;
}

static void tcp(void) {
    out("-- tcp\n");
    struct t_sockaddr_in srv, peer, name;
    int l = tcp_listener(&srv);
    int len;

    show("socket_bad_family", sys_socket(12345, SOCK_STREAM, 0));
    show("socket_bad_type", sys_socket(AF_INET, 999, 0));
    show("bind_efault", sys_bind(l, BAD_PTR, sizeof srv));
    show("bind_short_len", sys_bind(l, &srv, 3));
    show("bind_badf", sys_bind(-1, &srv, sizeof srv));
    show("listen_badf", sys_listen(-1, 1));
    show("getpeername_listener", (len = sizeof peer, sys_getpeername(l, &peer, &len)));
    show("getsockname_len_efault", sys_getsockname(l, &name, BAD_PTR));
    len = sizeof name;
    show("getsockname_addr_efault", sys_getsockname(l, BAD_PTR, &len));
    len = 4; /* truncated: 4 bytes written, real length reported */
    memset(&name, 0x55, sizeof name);
    show("getsockname_short", sys_getsockname(l, &name, &len));
    show("getsockname_short_len", len);
    show("getsockname_short_untouched", name.addr == 0x55555555u);

    int c = (int)sys_socket(AF_INET, SOCK_STREAM, 0);
    show("connect_efault", sys_connect(c, BAD_PTR, sizeof srv));
    show("connect", sys_connect(c, &srv, sizeof srv));
    len = sizeof peer;
    int a = (int)sys_accept(l, &peer, &len);
    show("accept_ok", a >= 0);
    show("accept_len", len);
    show("accept_peer_loopback", peer.addr == LOOPBACK);
    len = sizeof name;
    show("getsockname_client", sys_getsockname(c, &name, &len));
    show("accept_peer_is_client", name.port == peer.port);
    len = sizeof name;
    show("getpeername", sys_getpeername(c, &name, &len));
    show("getpeername_is_server", name.port == srv.port && name.addr == LOOPBACK);

    /* accept4 with flags, and accept without an address. */
    int c2 = (int)sys_socket(AF_INET, SOCK_STREAM, 0);
    show("connect2", sys_connect(c2, &srv, sizeof srv));
    int a2 = (int)sys_accept4(l, NULL, NULL, SOCK_CLOEXEC);
    show("accept4_ok", a2 >= 0);
    show("accept4_bad_flags", sys_accept4(l, NULL, NULL, 12345));
    show("accept_badf", sys_accept(-1, NULL, NULL));
    /* A bad length pointer: Linux accepts, then faults copying the address
     * out (the connection is gone). */
    int c3 = (int)sys_socket(AF_INET, SOCK_STREAM, 0);
    show("connect3", sys_connect(c3, &srv, sizeof srv));
    show("accept_len_efault", sys_accept(l, &peer, BAD_PTR));
    int c4 = (int)sys_socket(AF_INET, SOCK_STREAM, 0);
    show("connect4", sys_connect(c4, &srv, sizeof srv));
    len = sizeof peer;
    show("accept_addr_efault", sys_accept(l, BAD_PTR, &len));

    /* Data both ways. */
    char buf[64];
    show("sendto", sys_sendto(c, "hello", 5, 0, NULL, 0));
    show("recvfrom", sys_recvfrom(a, buf, sizeof buf, 0, NULL, NULL));
    show("recvfrom_data", t_memcmp(buf, "hello", 5) == 0);
    show("sendto_efault", sys_sendto(c, BAD_PTR, 5, 0, NULL, 0));
    show("send_back", sys_sendto(a, "world!", 6, 0, NULL, 0));
    show("recvfrom_efault", sys_recvfrom(c, BAD_PTR, sizeof buf, 0, NULL, NULL));
    show("recvfrom_after_efault", sys_recvfrom(c, buf, sizeof buf, 0, NULL, NULL));
    show("recvfrom_empty", sys_recvfrom(c, buf, sizeof buf, MSG_DONTWAIT, NULL, NULL));
    show("recvfrom_badf", sys_recvfrom(-1, buf, 1, 0, NULL, NULL));
    show("sendto_notsock", sys_sendto(0, "x", 1, 0, NULL, 0) == -ENOTSOCK);

    int nodelay = 1, v = 0;
    show("setsockopt_nodelay", sys_setsockopt(c, 6, 1, &nodelay, 4));
    len = 4;
    show("getsockopt_nodelay", sys_getsockopt(c, 6, 1, &v, &len));
    show("nodelay", v != 0);

    show("shutdown_bad_how", sys_shutdown(c, 7));
    show("shutdown_badf", sys_shutdown(-1, SHUT_WR));
    show("shutdown_wr", sys_shutdown(c, SHUT_WR));
    show("recv_eof", sys_recvfrom(a, buf, sizeof buf, 0, NULL, NULL));
    show("shutdown_unconnected", sys_shutdown(l, SHUT_WR));
    int fds[] = {l, c, a, c2, a2, c3, c4};
    for (unsigned i = 0; i < sizeof fds / sizeof fds[0]; i++) sys_close(fds[i]);
}

static void udp(void) {
    out("-- udp\n");
    struct t_sockaddr_in ra, sa, from;
    int r = (int)sys_socket(AF_INET, SOCK_DGRAM, 0);
    int s = (int)sys_socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    loopback(&ra, 0);
    loopback(&sa, 0);
    show("bind_r", sys_bind(r, &ra, sizeof ra));
    show("bind_s", sys_bind(s, &sa, sizeof sa));
    int len = sizeof ra;
    sys_getsockname(r, &ra, &len);
    len = sizeof sa;
    sys_getsockname(s, &sa, &len);

    char buf[64];
    show("sendto", sys_sendto(s, "datagram", 8, 0, &ra, sizeof ra));
    show("sendto_addr_efault", sys_sendto(s, "x", 1, 0, BAD_PTR, sizeof ra));
    show("sendto_addr_long", sys_sendto(s, "x", 1, 0, &ra, 4096));
    len = sizeof from;
    memset(&from, 0, sizeof from);
    show("recvfrom", sys_recvfrom(r, buf, sizeof buf, 0, &from, &len));
    show("recvfrom_len", len);
    show("recvfrom_from_sender", from.port == sa.port && from.addr == LOOPBACK);

    /* recvmsg with a name and two iovecs; MSG_TRUNC on a short buffer. */
    show("sendto2", sys_sendto(s, "0123456789", 10, 0, &ra, sizeof ra));
    char p1[4], p2[3];
    struct t_iovec iov[2] = {{p1, sizeof p1}, {p2, sizeof p2}};
    struct t_msghdr m;
    memset(&m, 0, sizeof m);
    memset(&from, 0, sizeof from);
    m.name = &from;
    m.namelen = sizeof from;
    m.iov = iov;
    m.iovlen = 2;
    show("recvmsg_trunc", sys_recvmsg(r, &m, 0));
    show("recvmsg_namelen", m.namelen);
    show("recvmsg_from_sender", from.port == sa.port);
    show("recvmsg_flags_trunc", (m.flags & MSG_TRUNC) != 0);
    show("recvmsg_data", t_memcmp(p1, "0123", 4) == 0 && t_memcmp(p2, "456", 3) == 0);

    /* sendmsg with a destination name. */
    struct t_iovec siov[2] = {{"ab", 2}, {"cde", 3}};
    struct t_msghdr sm;
    memset(&sm, 0, sizeof sm);
    sm.name = &ra;
    sm.namelen = sizeof ra;
    sm.iov = siov;
    sm.iovlen = 2;
    show("sendmsg_name", sys_sendmsg(s, &sm, 0));
    show("recv_sendmsg", sys_recvfrom(r, buf, sizeof buf, 0, NULL, NULL));
    show("recv_sendmsg_data", t_memcmp(buf, "abcde", 5) == 0);
    sm.namelen = (unsigned)-1;
    show("sendmsg_negative_namelen", sys_sendmsg(s, &sm, 0));
    /* A name length above sockaddr_storage is capped at 128, as on Linux. */
    struct {
        struct t_sockaddr_in in;
        char rest[200];
    } longname;
    memset(&longname, 0, sizeof longname);
    longname.in = ra;
    sm.name = &longname;
    sm.namelen = sizeof longname;
    show("sendmsg_long_namelen", sys_sendmsg(s, &sm, 0));
    show("recv_long_namelen", sys_recvfrom(r, buf, sizeof buf, MSG_DONTWAIT, NULL, NULL));

    /* sendmmsg / recvmmsg: two datagrams at once. */
    struct t_mmsghdr mm[2];
    struct t_iovec mi[2] = {{"one", 3}, {"three", 5}};
    memset(mm, 0, sizeof mm);
    for (int i = 0; i < 2; i++) {
        mm[i].hdr.name = &ra;
        mm[i].hdr.namelen = sizeof ra;
        mm[i].hdr.iov = &mi[i];
        mm[i].hdr.iovlen = 1;
    }
    show("sendmmsg", w_sendmmsg(s, mm, 2, 0));
    show("sendmmsg_len0", mm[0].len);
    show("sendmmsg_len1", mm[1].len);
    char b0[8], b1[8];
    struct t_iovec ri[2] = {{b0, sizeof b0}, {b1, sizeof b1}};
    struct t_sockaddr_in f0, f1;
    memset(mm, 0, sizeof mm);
    mm[0].hdr.name = &f0;
    mm[0].hdr.namelen = sizeof f0;
    mm[1].hdr.name = &f1;
    mm[1].hdr.namelen = sizeof f1;
    for (int i = 0; i < 2; i++) mm[i].hdr.iov = &ri[i], mm[i].hdr.iovlen = 1;
    show("recvmmsg", w_recvmmsg(r, mm, 2, MSG_DONTWAIT, NULL));
    show("recvmmsg_len0", mm[0].len);
    show("recvmmsg_len1", mm[1].len);
    show("recvmmsg_namelen1", mm[1].hdr.namelen);
    show("recvmmsg_from", f1.port == sa.port);
    show("recvmmsg_data", t_memcmp(b0, "one", 3) == 0 && t_memcmp(b1, "three", 5) == 0);
    show("recvmmsg_empty", w_recvmmsg(r, mm, 2, MSG_DONTWAIT, NULL));
    struct {
        long long sec, nsec;
    } tmo = {0, 1000000};
    show("recvmmsg_timeout_efault", w_recvmmsg(r, mm, 2, MSG_DONTWAIT, BAD_PTR));
    show("recvmmsg_timeout", w_recvmmsg(r, mm, 2, MSG_DONTWAIT, &tmo));
    show("recvmmsg_efault", w_recvmmsg(r, BAD_PTR, 2, MSG_DONTWAIT, NULL));
    show("sendmmsg_zero", w_sendmmsg(s, mm, 0, 0));

    /* Socket options. */
    int v = 0;
    len = 4;
    show("getsockopt_type", sys_getsockopt(r, SOL_SOCKET, SO_TYPE, &v, &len));
    show("so_type", v);
    show("so_type_len", len);
    len = 4;
    show("getsockopt_rcvbuf", sys_getsockopt(r, SOL_SOCKET, SO_RCVBUF, &v, &len));
    show("rcvbuf_positive", v > 0);
    len = 4;
    show("getsockopt_len_efault", sys_getsockopt(r, SOL_SOCKET, SO_TYPE, &v, BAD_PTR));
    show("getsockopt_val_efault", sys_getsockopt(r, SOL_SOCKET, SO_TYPE, BAD_PTR, &len));
    len = 4;
    show("getsockopt_unknown", sys_getsockopt(r, SOL_SOCKET, 9999, &v, &len));
    show("getsockopt_badf", sys_getsockopt(-1, SOL_SOCKET, SO_TYPE, &v, &len));
    show("setsockopt_val_efault", sys_setsockopt(r, SOL_SOCKET, SO_REUSEADDR, BAD_PTR, 4));
    show("setsockopt_neg_len", sys_setsockopt(r, SOL_SOCKET, SO_REUSEADDR, &v, -1));
    show("setsockopt_short", sys_setsockopt(r, SOL_SOCKET, SO_REUSEADDR, &v, 1));
    struct t_timeval tv = {3, 250000}, tv2 = {0, 0};
    show("setsockopt_rcvtimeo", sys_setsockopt(r, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv));
    len = sizeof tv2;
    show("getsockopt_rcvtimeo", sys_getsockopt(r, SOL_SOCKET, SO_RCVTIMEO, &tv2, &len));
    show("rcvtimeo_sec", tv2.sec);
    show("rcvtimeo_usec", tv2.usec);

    /* A classic BPF filter that drops every packet ("ret #0"). */
    struct t_filter drop[1] = {{0x06, 0, 0, 0}};
    struct t_fprog prog = {1, drop};
    show("attach_filter", sys_setsockopt(r, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof prog));
    show("sendto_filtered", sys_sendto(s, "dropped", 7, 0, &ra, sizeof ra));
    show("recv_filtered", sys_recvfrom(r, buf, sizeof buf, MSG_DONTWAIT, NULL, NULL));
    len = 0;
    show("get_filter_count", sys_getsockopt(r, SOL_SOCKET, SO_GET_FILTER, NULL, &len));
    show("filter_blocks", len);
    struct t_filter got[1];
    len = 1;
    show("get_filter", sys_getsockopt(r, SOL_SOCKET, SO_GET_FILTER, got, &len));
    show("get_filter_code", got[0].code);
    struct t_fprog bad = {4, BAD_PTR};
    show("attach_filter_efault", sys_setsockopt(r, SOL_SOCKET, SO_ATTACH_FILTER, &bad, sizeof bad));
    show("attach_filter_bad_len", sys_setsockopt(r, SOL_SOCKET, SO_ATTACH_FILTER, &prog, 3));
    show("detach_filter", sys_setsockopt(r, SOL_SOCKET, SO_DETACH_FILTER, &v, 4));
    show("sendto_unfiltered", sys_sendto(s, "passed", 6, 0, &ra, sizeof ra));
    show("recv_unfiltered", sys_recvfrom(r, buf, sizeof buf, MSG_DONTWAIT, NULL, NULL));
    sys_close(r);
    sys_close(s);
}

static void ipv6(void) {
    out("-- ipv6\n");
    /* ::1 may be missing on a host: both builds see the same answer. */
    int s = (int)sys_socket(AF_INET6, SOCK_DGRAM, 0);
    struct t_sockaddr_in6 a;
    memset(&a, 0, sizeof a);
    a.family = AF_INET6;
    a.addr[15] = 1;
    long long b = sys_bind(s, &a, sizeof a);
    show("bind6", b);
    if (b == 0) {
        int len = sizeof a;
        show("getsockname6", sys_getsockname(s, &a, &len));
        show("getsockname6_len", len);
        char buf[8];
        show("sendto6", sys_sendto(s, "v6", 2, 0, &a, sizeof a));
        show("recv6", sys_recvfrom(s, buf, sizeof buf, 0, NULL, NULL));
    }
    sys_close(s);
}

static void unix_pair(void) {
    out("-- unix\n");
    int sv[2], other[2];
    show("socketpair", sys_socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    show("socketpair_efault", sys_socketpair(AF_UNIX, SOCK_STREAM, 0, BAD_PTR));
    show("socketpair_inet", sys_socketpair(AF_INET, SOCK_STREAM, 0, other));
    show("socketpair2", sys_socketpair(AF_UNIX, SOCK_DGRAM, 0, other));

    /* SCM_RIGHTS: pass other[0] across sv, then use the received copy. */
    union {
        struct t_cmsghdr h;
        char space[16 + 8];
    } ctl;
    memset(&ctl, 0, sizeof ctl);
    SET_CMSG_LEN(&ctl.h, 16 + 4);
    ctl.h.level = SOL_SOCKET;
    ctl.h.type = SCM_RIGHTS;
    memcpy(ctl.space + 16, &other[0], 4);
    struct t_iovec iov = {"fd", 2};
    struct t_msghdr m;
    memset(&m, 0, sizeof m);
    m.iov = &iov;
    m.iovlen = 1;
    m.control = &ctl;
    m.controllen = sizeof ctl;
    show("sendmsg_rights", sys_sendmsg(sv[0], &m, 0));

    union {
        struct t_cmsghdr h;
        char space[64];
    } rctl;
    memset(&rctl, 0, sizeof rctl);
    char rbuf[8];
    struct t_iovec riov = {rbuf, sizeof rbuf};
    struct t_sockaddr_in6 name; /* a unix peer from socketpair is unnamed */
    struct t_msghdr rm;
    memset(&rm, 0, sizeof rm);
    rm.name = &name;
    rm.namelen = sizeof name;
    rm.iov = &riov;
    rm.iovlen = 1;
    rm.control = &rctl;
    rm.controllen = sizeof rctl;
    show("recvmsg_rights", sys_recvmsg(sv[1], &rm, MSG_DONTWAIT));
    show("recvmsg_namelen", rm.namelen);
    show("recvmsg_controllen", rm.controllen);
    show("recvmsg_flags", rm.flags);
    show("cmsg_len", (i64)rctl.h.len);
    show("cmsg_level", rctl.h.level);
    show("cmsg_type", rctl.h.type);
    int got;
    memcpy(&got, rctl.space + 16, 4);
    show("received_fd_new", got >= 0 && got != other[0]);
    show("send_via_received", sys_sendto(got, "ping", 4, 0, NULL, 0));
    char pb[8];
    show("recv_via_original_peer", sys_recvfrom(other[1], pb, sizeof pb, MSG_DONTWAIT, NULL, NULL));
    show("ping", t_memcmp(pb, "ping", 4) == 0);
    sys_close(got);

    /* Control buffer too small: MSG_CTRUNC, the descriptor is dropped. */
    show("sendmsg_rights2", sys_sendmsg(sv[0], &m, 0));
    rm.controllen = 8;
    rm.name = NULL;
    rm.namelen = 77; /* ignored without a name, left alone */
    show("recvmsg_ctrunc", sys_recvmsg(sv[1], &rm, MSG_DONTWAIT));
    show("ctrunc_flag", (rm.flags & MSG_CTRUNC) != 0);
    show("ctrunc_controllen", rm.controllen);
    show("ctrunc_namelen", rm.namelen);

    /* Errors. */
    show("sendmsg_efault", sys_sendmsg(sv[0], BAD_PTR, 0));
    show("recvmsg_efault", sys_recvmsg(sv[1], BAD_PTR, 0));
    m.control = NULL;
    m.controllen = 0;
    m.iovlen = 2000;
    show("sendmsg_emsgsize", sys_sendmsg(sv[0], &m, 0));
    m.iovlen = 1;
    m.iov = BAD_PTR;
    show("sendmsg_iov_efault", sys_sendmsg(sv[0], &m, 0));
    struct t_iovec biov = {BAD_PTR, 4};
    m.iov = &biov;
    show("sendmsg_buf_efault", sys_sendmsg(sv[0], &m, 0));
    m.iov = &iov;
    m.control = BAD_PTR;
    m.controllen = 24;
    show("sendmsg_control_efault", sys_sendmsg(sv[0], &m, 0));
    m.control = NULL;
    m.controllen = 0;
    show("sendmsg_badf", sys_sendmsg(-1, &m, 0));
    show("recvmsg_empty", sys_recvmsg(sv[1], &rm, MSG_DONTWAIT));
    /* No iovecs at all: a zero-length message on a datagram pair. */
    m.iov = BAD_PTR;
    m.iovlen = 0;
    show("sendmsg_no_iov", sys_sendmsg(other[0], &m, 0));
    show("recv_empty_datagram", sys_recvfrom(other[1], pb, sizeof pb, MSG_DONTWAIT, NULL, NULL));

    /* Credentials: SO_PEERCRED, and SCM_CREDENTIALS with SO_PASSCRED. */
    struct {
        int pid;
        unsigned uid, gid;
    } cred;
    int len = sizeof cred;
    show("peercred", sys_getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &cred, &len));
    show("peercred_len", len);
    show("peercred_self", cred.pid == sys_getpid() && cred.uid == sys_getuid());
    int one = 1;
    show("passcred", sys_setsockopt(other[1], SOL_SOCKET, SO_PASSCRED, &one, 4));
    show("send_plain", sys_sendto(other[0], "c", 1, 0, NULL, 0));
    memset(&rctl, 0, sizeof rctl);
    rm.name = NULL;
    rm.iov = &riov;
    rm.iovlen = 1;
    rm.control = &rctl;
    rm.controllen = sizeof rctl;
    show("recvmsg_creds", sys_recvmsg(other[1], &rm, MSG_DONTWAIT));
    show("creds_controllen", rm.controllen);
    show("creds_type", rctl.h.type == SCM_CREDENTIALS && rctl.h.level == SOL_SOCKET);
    show("creds_len", (i64)rctl.h.len);
    memcpy(&cred, rctl.space + 16, sizeof cred);
    show("creds_self", cred.pid == sys_getpid() && cred.uid == sys_getuid() && cred.gid == sys_getgid());

    int fds[] = {sv[0], sv[1], other[0], other[1]};
    for (unsigned i = 0; i < 4; i++) sys_close(fds[i]);
}

int test_main(int argc, char **argv, char **envp) {
    (void)argc, (void)argv, (void)envp;
    tcp();
    udp();
    ipv6();
    unix_pair();
    return 0;
}
