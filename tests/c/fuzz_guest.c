/* A guest-driven fuzzer of the engine's struct translators (engine only,
 * no native twin): for many iterations it builds random structs and arrays
 * in linear memory (iovecs, msghdr/mmsghdr with control messages,
 * sockaddrs, socket options, k_sigaction, stack_t, sigsets and the pselect6
 * pair, fd_sets, pollfd and epoll arrays, argv/envp arrays, timespecs,
 * itimers, rlimits, sched_attr, capability headers, flock...) and hands them
 * to every WALI call whose handler parses guest memory.
 *
 *   fuzz_guest SEED ITERATIONS
 *
 * Fields are drawn from small ints, lengths near the limits (0, 1,
 * 0x7fffffff, 0xffffffff), addresses inside the work buffer, addresses that
 * straddle the end of linear memory, BAD_PTR, NULL and random words. After
 * every call the result must be >= 0 or a plausible -errno, and canaries
 * must be intact: guard zones around the work buffer, the unused first
 * 1 KiB of memory (so NULL is never written through), and the low part of
 * the last page (only its top 8 KiB is ever aimed at). Calls whose main
 * struct pointer is NULL or out of memory must fail, as on Linux.
 *
 * Safety (tests run as root): only descriptors this program opened (a pipe,
 * an AF_UNIX datagram socketpair, a UDP and a TCP socket on 127.0.0.1,
 * /dev/null, files in a directory "fz" it creates in its working
 * directory); everything non-blocking, every timeout zero or invalid, no
 * futex wait on a matching word; socket addresses are only loopback,
 * names inside "fz", abstract test names or unknown families; execve only of
 * missing or non-executable paths; signals: handlers only for signals never
 * raised; limits, timers, clocks and scheduling are only read, set to what
 * they are, or given invalid values; no mmap family. Every read source
 * holds a few known bytes when a call reads it, so the kernel never writes
 * more than a few hundred bytes past a pointer inside the work buffer.
 * Descriptors a call creates are closed after it (close_range).
 */
#include "walitest.h"

#ifndef __wasm__
int test_main(int argc, char **argv, char **envp) {
    (void)argc, (void)argv, (void)envp;
    out("fuzz: engine only\n");
    return 0;
}
#else

typedef unsigned int u32;
typedef unsigned long long u64;

#define I(n, ...) __attribute__((import_module("wali"), import_name("SYS_" n))) long long
I("preadv") w_preadv(int, void *, int, long long);
I("pwritev") w_pwritev(int, void *, int, long long);
I("preadv2") w_preadv2(int, void *, int, long long, int);
I("pwritev2") w_pwritev2(int, void *, int, long long, int);
I("epoll_wait") w_epoll_wait(int, void *, int, int);
I("epoll_pwait2") w_epoll_pwait2(int, void *, int, void *, void *, int);
I("splice") w_splice(int, void *, int, void *, u32, u32);
I("sendmmsg") w_sendmmsg(int, void *, u32, int);
I("recvmmsg") w_recvmmsg(int, void *, u32, int, void *);
I("signalfd4") w_signalfd4(int, void *, u32, int);
I("get_robust_list") w_get_robust_list(int, void *, void *);
I("set_robust_list") w_set_robust_list(void *, u32);
I("futimesat") w_futimesat(int, void *, void *);
I("copy_file_range") w_copy_file_range(int, void *, int, void *, u32, u32);
I("sendfile") w_sendfile(int, int, void *, u32);
I("memfd_create") w_memfd_create(void *, u32);
I("getitimer") w_getitimer(int, void *);
I("times") w_times(void *);
I("time") w_time(void *);
I("timerfd_create") w_timerfd_create(int, int);
I("timerfd_settime") w_timerfd_settime(int, int, void *, void *);
I("timerfd_gettime") w_timerfd_gettime(int, void *);
I("adjtimex") w_adjtimex(void *);
I("clock_adjtime") w_clock_adjtime(int, void *);
I("clock_settime") w_clock_settime(int, void *);
I("getresuid") w_getresuid(void *, void *, void *);
I("getresgid") w_getresgid(void *, void *, void *);
I("sched_setaffinity") w_sched_setaffinity(int, u32, void *);
I("sched_getparam") w_sched_getparam(int, void *);
I("sched_setparam") w_sched_setparam(int, void *);
I("sched_setscheduler") w_sched_setscheduler(int, int, void *);
I("sched_getattr") w_sched_getattr(int, void *, u32, u32);
I("sched_setattr") w_sched_setattr(int, void *, u32);
I("sched_rr_get_interval") w_sched_rr_get_interval(int, void *);
I("getcpu") w_getcpu(void *, void *, void *);
I("capget") w_capget(void *, void *);
I("capset") w_capset(void *, void *);
I("close_range") w_close_range(u32, u32, u32);
I("inotify_init1") w_inotify_init1(int);
I("inotify_add_watch") w_inotify_add_watch(int, void *, u32);

#define EFAULT 14
#define EAGAIN 11
#define O_NONBLOCK 04000
#define AF_UNIX 1
#define AF_INET 2
#define AF_INET6 10
#define SOCK_STREAM 1
#define SOCK_DGRAM 2
#define SOCK_NONBLOCK 04000
#define MSG_DONTWAIT 0x40
#define MSG_NOSIGNAL 0x4000
#define WNOHANG 1
#define SIGPIPE 13
#define SIG_A 39 /* real-time signals this program never raises */
#define SIG_B 40

/* ------------------------------------------------------------------ */
#include "fuzz_rng.h"

/* ------------------------------------------------------------------ */
/* Memory: guard | work buffer | guard; NULL page; the last page. */
#define ARENA (128 * 1024)
/* Pointers "inside the buffer" stay below this, so the few hundred bytes
 * a call may legitimately write past one never reach the upper guard. */
#define INNER (ARENA - 16 * 1024)
#define GUARD 4096
#define CANARY 0xA5
static struct {
    unsigned char lo[GUARD];
    unsigned char a[ARENA];
    unsigned char hi[GUARD];
} M __attribute__((aligned(16)));
static u32 memsize;  /* bytes of linear memory (fixed: nothing grows it) */
static u32 endzone;  /* the last page, grown at start-up for this program */
#define END_TARGET 8192 /* only [memsize-8192, memsize) is aimed at */
#define NULL_ZONE 1024  /* wasm-ld puts data at 1024: [0,1024) is unused */
#define NULL_ZEROS 64   /* reads as a harmless all-zero struct, so a host that
                         * follows NULL succeeds where Linux faults */

static volatile u32 zero_addr; /* 0, read at run time: a NULL page pointer */
static unsigned char *at(u32 a) { return (unsigned char *)(zero_addr + a); }

static void fill(unsigned char *p, u32 n, unsigned char v) {
    for (u32 i = 0; i < n; i++) p[i] = v;
}
/* n a multiple of 8, p 8-aligned: compared a word at a time (this runs
 * after every call, also in the interpreter). */
static int intact(const unsigned char *p, u32 n, unsigned char v) {
    u64 w = 0x0101010101010101ull * v;
    for (u32 i = 0; i < n; i += 8)
        if (*(const u64 *)(p + i) != w) return 0;
    return 1;
}

static void put32(void *p, u32 v) { memcpy(p, &v, 4); }
static void put64(void *p, u64 v) { memcpy(p, &v, 8); }
static u32 get32(const void *p) {
    u32 v;
    memcpy(&v, p, 4);
    return v;
}
static u32 A(const void *p) { return (u32)(size_t)p; }

/* ------------------------------------------------------------------ */
/* Values. */

/* Lengths near the limits and some ordinary ones. */
static u32 rlen(void) {
    static const u32 L[] = {0, 1, 2, 3, 4, 7, 8, 12, 16, 24, 28, 36, 40, 64, 110, 128, 129,
                            144, 256, 1024, 4096, 65536, 0x7fffffff, 0x80000000u,
                            0xfffffff0u, 0xffffffffu};
    if (coin(10)) return rnd(300);
    if (coin(5)) return (u32)rnd64();
    return L[rnd(sizeof L / sizeof L[0])];
}

/* An address a kernel write through would be harmless: inside the work
 * buffer (below INNER), or in the aimed-at top of the last page. */
static u32 inner_ptr(void) {
    u32 off = rnd(INNER);
    if (coin(50)) off &= ~7u;
    return A(M.a) + off;
}

/* A pointer: NULL, out of memory, straddling the end, inside the buffer,
 * or a random word (re-aimed if it lands in memory outside the buffer). */
static u32 rptr(void) {
    static const u32 K[] = {1, 2, 3, 4, 7, 8, 12, 15, 16, 24, 32, 36, 40, 64, 128, 144, 256, 4096, 8192};
    switch (rnd(10)) {
    case 0: return 0;
    case 1: return (u32)(size_t)BAD_PTR;
    case 2: {
        static const u32 B[] = {0xffffffffu, 0x80000000u, 0xfffff000u, 0xfffffffcu};
        return coin(50) ? memsize : B[rnd(4)];
    }
    case 3:
    case 4: return memsize - K[rnd(sizeof K / sizeof K[0])];
    case 5: {
        u32 w = (u32)rnd64();
        if (w < memsize) w |= 0x80000000u; /* never some live data */
        return w;
    }
    default: return inner_ptr();
    }
}

/* A pointer that must not be dereferenced successfully for `size` bytes:
 * NULL, out of memory or running off the end. */
static u32 bad_ptr(u32 size) {
    switch (rnd(4)) {
    case 0: return 0;
    case 1: return (u32)(size_t)BAD_PTR;
    case 2: return memsize;
    default: return memsize - 1 - rnd(size > 1 ? size - 1 : 1);
    }
}
static int is_bad(u32 p, u32 size) { return p == 0 || p >= memsize || memsize - p < size; }

/* A 32-bit field value. */
static u32 rval(void) {
    switch (rnd(6)) {
    case 0: return rnd(17);
    case 1: return (u32)-1 - rnd(2);
    case 2: return rlen();
    case 3: return rptr();
    case 4: return (u32)rnd64();
    default: return rnd(4);
    }
}

/* A region of the buffer filled with random words: a struct of unknown
 * shape, or the pointee of a random pointer. */
static void scribble(unsigned char *p, u32 n) {
    for (u32 i = 0; i + 4 <= n; i += 4) put32(p + i, rval());
}

/* Bump allocation of structs inside the buffer, reset per call. */
static u32 bump;
static unsigned char *alloc(u32 n) {
    bump = (bump + 15) & ~15u;
    if (bump + n > INNER / 2) {
        out("fuzz: work buffer overflow (a builder bug)\n");
        t_exit(4);
    }
    unsigned char *p = M.a + bump;
    bump += n;
    return p;
}

/* ------------------------------------------------------------------ */
/* The program's descriptors and files. */
static int fd_null, pipe_r, pipe_w, us0, us1, udp, tcp_l, rf, wf, dirfd, epfd, tfd, ifd;
static int first_free_fd;
static u32 futex_word = 7;
static u64 saved_rlim[16][2];
static unsigned char own_port[2][2]; /* udp, tcp (network order) */
static u32 my_pid;

static const char *const PATHS[] = {"fz", "fz/rf", "fz/wf", "fz/nofile", "fz/ln", "", ".", "fz/rf/x"};

static u32 rpath(void) {
    if (coin(70)) return A(PATHS[rnd(sizeof PATHS / sizeof PATHS[0])]);
    return coin(50) ? bad_ptr(64) : inner_ptr(); /* random bytes up to a NUL */
}

static int rfd(void) {
    const int F[] = {fd_null, pipe_r, pipe_w, us0, us1, udp, tcp_l, rf, wf, dirfd, epfd, tfd, ifd};
    if (coin(8)) {
        static const int X[] = {-1, 1000, 0x7fffffff, -100};
        return X[rnd(4)];
    }
    return F[rnd(sizeof F / sizeof F[0])];
}

/* Descriptors the program reads from (their content is known). */
static int rsrc(void) {
    const int F[] = {fd_null, pipe_r, us0, udp, rf, dirfd};
    return F[rnd(sizeof F / sizeof F[0])];
}
/* Descriptors the program writes to. */
static int rsink(void) {
    const int F[] = {fd_null, pipe_w, us0, udp, wf};
    return F[rnd(sizeof F / sizeof F[0])];
}

static unsigned char junk[1 << 17];
static unsigned char payload[48];

/* Drains what earlier calls sent and queues a few known bytes, so a read
 * never writes more than a datagram or a pipe refill. */
static void prepare_sources(void) {
    while (sys_read(pipe_r, junk, sizeof junk) > 0) {}
    while (sys_recvfrom(us0, junk, sizeof junk, MSG_DONTWAIT, 0, 0) >= 0) {}
    while (sys_recvfrom(us1, junk, sizeof junk, MSG_DONTWAIT, 0, 0) >= 0) {}
    while (sys_recvfrom(udp, junk, sizeof junk, MSG_DONTWAIT, 0, 0) >= 0) {}
    sys_write(pipe_w, payload, sizeof payload);
    for (int i = 0; i < 3; i++) sys_sendto(us1, payload, 16 + 8 * i, MSG_DONTWAIT, 0, 0);
    sys_sendto(udp, payload, 32, MSG_DONTWAIT, 0, 0); /* connected to itself */
    sys_lseek(rf, 0, SEEK_SET);
    sys_lseek(dirfd, 0, SEEK_SET);
    sys_ftruncate(wf, 0);
}

/* ------------------------------------------------------------------ */
/* Struct builders (wasm32 layouts). */

/* Only this program's own ports (or 0): never another test's socket. */
static void rport(unsigned char *p) {
    u32 k = rnd(3);
    p[0] = k < 2 ? own_port[k][0] : 0;
    p[1] = k < 2 ? own_port[k][1] : 0;
}

/* A socket address the kernel may use: loopback only, names inside "fz",
 * abstract test names, unknown families, or a garbage family. */
static u32 sockaddr_ptr(u32 *len) {
    unsigned char *p = alloc(128);
    fill(p, 128, 0);
    switch (rnd(6)) {
    case 0: /* sockaddr_in 127.0.0.1, a port of this program's or 0 */
        p[0] = AF_INET;
        rport(p + 2);
        p[4] = 127, p[7] = 1;
        *len = 16;
        break;
    case 1: /* sockaddr_in6 ::1 */
        p[0] = AF_INET6;
        rport(p + 2);
        put32(p + 4, rval()); /* flowinfo */
        p[23] = 1;
        put32(p + 24, rnd(3)); /* scope id */
        *len = 28;
        break;
    case 2: { /* AF_UNIX path inside fz/ */
        const char *s = coin(50) ? "fz/s0" : "fz/nofile";
        p[0] = AF_UNIX;
        memcpy(p + 2, s, t_strlen(s));
        *len = 2 + t_strlen(s) + 1;
        break;
    }
    case 3: /* abstract AF_UNIX name: the namespace is the machine's, so
             * the name holds this process's id (runs in parallel never
             * reach each other's sockets) */
        p[0] = AF_UNIX;
        memcpy(p + 3, "wali-fuzz-", 10);
        for (int i = 0; i < 8; i++) p[13 + i] = (unsigned char)('a' + ((my_pid >> (4 * i)) & 15));
        p[21] = '0' + rnd(3);
        *len = 22;
        break;
    case 4: /* a family nobody implements, garbage after it */
        put32(p, 46 + rnd(200));
        scribble(p + 4, 124);
        *len = 128;
        break;
    default: /* bad pointers */
        *len = rlen();
        return coin(50) ? bad_ptr(16) : 0;
    }
    if (coin(30)) *len = rlen();
    return A(p);
}

/* An iovec array of n entries (n capped for the buffer). */
static u32 iovecs(u32 n, int for_read) {
    if (n > 1100) n = 1100;
    unsigned char *v = alloc(n * 8 + 8);
    /* A third of the vectors are plausible, so transfers also succeed. */
    int sane = coin(33);
    for (u32 i = 0; i < n; i++) {
        u32 base = sane ? inner_ptr() : rptr(), len = sane ? rnd(64) : rlen();
        /* Reads of known sources are small, but a read into a vector
         * wider than memory must stay a read into the buffer. */
        if (for_read && !is_bad(base, 1) && (base < A(M.a) || base >= A(M.a) + INNER) && base < endzone)
            base = inner_ptr();
        put32(v + 8 * i, base);
        put32(v + 8 * i + 4, len);
    }
    return A(v);
}

static u32 riovcnt(void) {
    static const u32 N[] = {0, 1, 2, 3, 8, 1024, 1025, 0x7fffffff, 0xffffffff};
    return coin(60) ? 1 + rnd(4) : N[rnd(9)];
}

/* Control messages: random headers with random lengths; SCM_RIGHTS with
 * this program's descriptors, SCM_CREDENTIALS, garbage. */
static u32 cmsgs(u32 *len) {
    u32 n = 16 + 8 * rnd(16);
    unsigned char *c = alloc(n);
    scribble(c, n);
    u32 off = 0;
    while (off + 16 <= n && coin(80)) {
        u32 l = coin(60) ? 16 + 4 * rnd(4) : rval();
        put32(c + off, l);
        put32(c + off + 4, coin(50) ? 0 : rval());
        put32(c + off + 8, coin(70) ? 1 /* SOL_SOCKET */ : rval());
        put32(c + off + 12, coin(70) ? 1 + rnd(2) : rval());
        if (off + 20 <= n) put32(c + off + 16, rsink());
        off += (l < 16 || l > 64) ? n : (l + 7) & ~7u;
    }
    *len = coin(70) ? n : rlen();
    return coin(85) ? A(c) : rptr();
}

/* A wasm32 struct msghdr (36 bytes) at p. */
static void msghdr_at(unsigned char *p, int for_read, int small) {
    u32 namelen, ctl_len;
    /* A third are plausible messages: no name, a few iovecs, maybe
     * well-formed control data. */
    int sane = coin(33);
    u32 name = coin(sane ? 100 : 50) ? 0 : sockaddr_ptr(&namelen);
    if (name == 0) namelen = sane ? 0 : rlen();
    u32 n = sane ? rnd(4) : riovcnt();
    if (small && n > 8 && n <= 1024) n = 8;
    /* A read writes through the iovecs: a random array only if it is
     * unreadable. */
    u32 iov = coin(85) ? iovecs(n, for_read) : for_read ? bad_ptr(8) : rptr();
    u32 ctl = coin(50) ? 0 : cmsgs(&ctl_len);
    if (ctl == 0) ctl_len = coin(50) || sane ? 0 : rlen();
    if (for_read && ctl && !is_bad(ctl, 1) && (ctl < A(M.a) || ctl >= A(M.a) + INNER) && ctl < endzone)
        ctl = inner_ptr();
    put32(p + 0, name);
    put32(p + 4, namelen);
    put32(p + 8, iov);
    put32(p + 12, n);
    put32(p + 16, rval());
    put32(p + 20, ctl);
    put32(p + 24, ctl_len);
    put32(p + 28, rval());
    put32(p + 32, rval());
}

/* A zero timeout, an invalid one, or a bad pointer: never a wait. */
static u32 no_wait_time(int timeval) {
    unsigned char *t = alloc(16);
    switch (rnd(5)) {
    case 0: put64(t, 0), put64(t + 8, 0); break;
    case 1: put64(t, (u64)-1), put64(t + 8, 0); break;
    case 2: /* select carries whole seconds of tv_usec over: no such value */
        put64(t, 0), put64(t + 8, timeval ? 0 : 1000000000ull + rnd(2));
        break;
    case 3: put64(t, 0), put64(t + 8, (u64)-1); break;
    default: { /* never NULL: no timeout at all waits forever */
        u32 b = bad_ptr(16);
        return b ? b : (u32)(size_t)BAD_PTR;
    }
    }
    return A(t);
}

/* A sigset_t pointer and its size. */
static u32 sigset_ptr(void) {
    if (coin(30)) return rptr();
    unsigned char *s = alloc(16);
    put64(s, rnd64());
    put64(s + 8, rnd64());
    return A(s);
}
static u32 sigsetsize(void) { return coin(70) ? 8 : rlen(); }

/* ------------------------------------------------------------------ */
/* Bookkeeping. */
static long long calls, efaults, oks;
static int failed;
static const char *cur;
static u64 cur_seed;

static void fail(const char *what, long long r) {
    if (failed++ > 20) return;
    out("FUZZ FAILURE: ");
    out(what);
    out(" in ");
    out(cur);
    out(" r=");
    out_i64(r);
    out(" iteration-seed=");
    out_i64((long long)cur_seed);
    out("\n");
}

static void check_canaries(void) {
    if (!intact(M.lo, GUARD, CANARY)) fail("lower guard written", 0), fill(M.lo, GUARD, CANARY);
    if (!intact(M.hi, GUARD, CANARY)) fail("upper guard written", 0), fill(M.hi, GUARD, CANARY);
    if (!intact(at(0), NULL_ZEROS, 0) || !intact(at(NULL_ZEROS), NULL_ZONE - NULL_ZEROS, CANARY)) {
        fail("NULL page written", 0);
        fill(at(0), NULL_ZEROS, 0), fill(at(NULL_ZEROS), NULL_ZONE - NULL_ZEROS, CANARY);
    }
    u32 low_end = 65536 - END_TARGET;
    if (!intact(at(endzone), low_end, CANARY)) fail("end page below the target written", 0), fill(at(endzone), low_end, CANARY);
}

/* Per-call counts, printed with a third argument "s". */
#define NSTAT 128
static struct {
    const char *name;
    long long n, ok, efault;
} stat[NSTAT];

static void count(long long r) {
    for (int i = 0; i < NSTAT; i++) {
        if (stat[i].name == 0) stat[i].name = cur;
        if (stat[i].name != cur) continue;
        stat[i].n++;
        stat[i].ok += r >= 0;
        stat[i].efault += r == -EFAULT;
        return;
    }
}

/* Checks a result; `must_fail`: Linux cannot succeed here. */
static void R(long long r, int must_fail) {
    count(r);
    calls++;
    if (r == -EFAULT) efaults++;
    if (r >= 0) oks++;
    if (r < -4095) fail("implausible result", r);
    if (must_fail && r >= 0) fail("success where Linux fails", r);
    check_canaries();
}
static int verbose;
static void trace(const char *name) {
    if (!verbose) return;
    out(name);
    out(" seed=");
    out_i64((long long)cur_seed);
    out("\n");
}
#define CALL(name, expr, must_fail) (cur = name, trace(name), R((expr), (must_fail)))

/* ------------------------------------------------------------------ */
/* The calls, one group per translator. */

static void f_vectored(void) {
    u32 n = riovcnt();
    int rd = coin(50);
    /* A read writes through the iovecs: a random array only if it is
     * unreadable. */
    u32 iov = coin(85) ? iovecs(n, rd) : rd ? bad_ptr(8) : rptr();
    int mf = iov == 0 && n > 0 && n <= 1024;
    long long off = coin(70) ? 0 : (long long)rnd64();
    int fl = coin(70) ? 0 : (int)rval();
    if (rd) {
        int fd = rsrc();
        switch (rnd(3)) {
        case 0: CALL("readv", sys_readv(fd, (void *)iov, (int)n), mf); break;
        case 1: CALL("preadv", w_preadv(fd, (void *)iov, (int)n, off), mf); break;
        default: CALL("preadv2", w_preadv2(fd, (void *)iov, (int)n, off, fl), mf); break;
        }
    } else {
        int fd = rsink();
        switch (rnd(3)) {
        case 0: CALL("writev", sys_writev(fd, (void *)iov, (int)n), mf); break;
        case 1: CALL("pwritev", w_pwritev(fd, (void *)iov, (int)n, off), mf); break;
        default: CALL("pwritev2", w_pwritev2(fd, (void *)iov, (int)n, off, fl), mf); break;
        }
    }
}

static void f_stream(void) {
    u32 p = rptr(), len = rlen();
    if (!is_bad(p, 1) && p >= A(M.a) + INNER && p < endzone) p = inner_ptr();
    switch (rnd(6)) {
    case 0: CALL("read", sys_read(rsrc(), (void *)p, (int)len), 0); break;
    case 1: CALL("write", sys_write(rsink(), (void *)p, (int)len), 0); break;
    case 2: CALL("pread64", sys_pread64(rsrc(), (void *)p, (int)len, coin(50) ? 0 : (long long)rnd64()), 0); break;
    case 3: CALL("pwrite64", sys_pwrite64(wf, (void *)p, (int)len, rnd(100)), 0); break;
    case 4: CALL("getdents64", sys_getdents64(coin(80) ? dirfd : rfd(), (void *)p, (int)len), 0); break;
    default: {
        /* getrandom writes all it is given: only ranges inside the buffer
         * or at the top of the last page. */
        if (!is_bad(p, 1) && p < endzone && len > 4096) len = rnd(4096);
        CALL("getrandom", sys_getrandom((void *)p, (int)len, rnd(8) & 3), 0);
    }
    }
}

static void f_msg(void) {
    int rd = coin(50);
    int flags = MSG_DONTWAIT | MSG_NOSIGNAL | (coin(30) ? (int)(rnd64() & 0x1eb) : 0);
    if (coin(50)) {
        /* Random memory read as a msghdr could name any address (a send)
         * or buffer (a read): only built ones, or unreadable ones. */
        int built = coin(85);
        u32 m = built ? A(alloc(36)) : bad_ptr(36);
        if (built) msghdr_at(M.a + (m - A(M.a)), rd, 0);
        int mf = is_bad(m, 36);
        if (rd)
            CALL("recvmsg", sys_recvmsg(coin(80) ? rsrc() : rfd(), (void *)m, flags), mf);
        else
            CALL("sendmsg", sys_sendmsg(coin(80) ? rsink() : rfd(), (void *)m, flags), mf);
    } else {
        static const u32 V[] = {0, 1, 2, 3, 8, 1024, 1025, 0xffffffff};
        u32 vlen = coin(70) ? 1 + rnd(4) : V[rnd(8)];
        u32 n = vlen > 8 ? 8 : vlen;
        u32 v = A(alloc(40 * n + 40));
        for (u32 i = 0; i < n; i++) {
            msghdr_at(M.a + (v - A(M.a)) + 40 * i, rd, 1);
            put32(M.a + (v - A(M.a)) + 40 * i + 36, rval());
        }
        /* Past the built messages the vector runs into other structs:
         * only as many messages as were built are offered, or an
         * unreadable vector. */
        if (coin(15))
            v = bad_ptr(40);
        else if (vlen > n)
            vlen = n;
        int mf = vlen > 0 && is_bad(v, 40);
        if (rd)
            CALL("recvmmsg", w_recvmmsg(coin(80) ? rsrc() : rfd(), (void *)v, vlen, flags,
                                         (void *)(coin(50) ? 0 : rptr())), mf);
        else
            CALL("sendmmsg", w_sendmmsg(coin(80) ? rsink() : rfd(), (void *)v, vlen, flags), mf);
    }
}

static void f_addr(void) {
    u32 len, sa = sockaddr_ptr(&len);
    u32 lp = coin(80) ? A(alloc(4)) : rptr();
    if (!is_bad(lp, 4) && lp >= A(M.a)) put32(M.a + (lp - A(M.a)), rlen());
    u32 out_addr = coin(70) ? A(alloc(256)) : rptr();
    int fl = MSG_DONTWAIT | MSG_NOSIGNAL;
    /* Linux copies a 16-byte peer address out after the call: a bad
     * length pointer, or a bad buffer for a positive length, fails it. */
    int room = is_bad(lp, 4) ? 0 : (int)get32(at(lp));
    int copy_faults = out_addr != 0 && (is_bad(lp, 4) || (room > 0 && is_bad(out_addr, room < 16 ? room : 16)));
    switch (rnd(8)) {
    case 0: CALL("bind", sys_bind(coin(50) ? udp : us0, (void *)sa, (int)len), 0); break;
    case 1: CALL("connect", sys_connect(coin(80) ? udp : tcp_l, (void *)sa, (int)len), 0); break;
    case 2: CALL("sendto", sys_sendto(rsink(), (void *)inner_ptr(), (int)rnd(64), fl, (void *)sa, (int)len), 0); break;
    case 3: {
        int fd = rsrc();
        CALL("recvfrom", sys_recvfrom(fd, (void *)inner_ptr(), (int)rlen(), fl, (void *)out_addr, (void *)lp),
             fd == udp && copy_faults);
        break;
    }
    case 4: CALL("getsockname", sys_getsockname(rfd(), (void *)out_addr, (void *)lp), 0); break;
    case 5: CALL("getpeername", sys_getpeername(rfd(), (void *)out_addr, (void *)lp), 0); break;
    case 6: {
        /* A pending connection now and then, so accept succeeds. */
        if (coin(30)) {
            int c = (int)sys_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
            unsigned char a[16];
            u32 al = 16;
            sys_getsockname(tcp_l, a, &al);
            if (c >= 0) sys_connect(c, a, 16);
        }
        int fd = coin(90) ? tcp_l : rfd();
        CALL("accept4", sys_accept4(fd, (void *)out_addr, (void *)lp, SOCK_NONBLOCK | (coin(20) ? (int)rval() : 0)),
             fd == tcp_l && copy_faults);
        break;
    }
    default: CALL("socketpair", sys_socketpair(AF_UNIX, SOCK_DGRAM | (coin(80) ? SOCK_NONBLOCK : 0), 0, (void *)rptr()), 0);
    }
}

static void f_sockopt(void) {
    static const int LV[] = {1 /* SOL_SOCKET */, 0 /* IP */, 6 /* TCP */, 17 /* UDP */, 41 /* IPV6 */, 263, 283, 276};
    int level = coin(85) ? LV[rnd(8)] : (int)rval();
    int name = coin(20) ? 26 /* SO_ATTACH_FILTER / SO_GET_FILTER */ : (int)rnd(64);
    /* Never a netfilter command (IP/IPV6 names below 64 only), a
     * multicast membership (35..48, IPV6 20, 21, 27, 28: they send
     * reports on real interfaces), or a TCP ULP (a module load). */
    if ((level == 0 || level == 41) && (name < 0 || name >= 64)) name &= 63;
    if (level == 0 && name >= 35 && name <= 48) name = 2;
    if (level == 41 && ((name >= 42 && name <= 48) || name == 20 || name == 21 || name == 27 || name == 28)) name = 16;
    if (level == 6 && name == 31) name = 1;
    int fd = coin(90) ? (coin(50) ? udp : us0) : rfd();
    u32 val = coin(80) ? A(alloc(256)) : rptr();
    if (!is_bad(val, 1) && val >= A(M.a) && val < A(M.a) + INNER) {
        unsigned char *v = M.a + (val - A(M.a));
        scribble(v, 256);
        if (name == 26 && level == 1) { /* struct sock_fprog: u16 len, pad, u32 filter */
            put32(v, coin(50) ? rnd(8) : rval() & 0xffff);
            put32(v + 4, rptr());
        }
    }
    if (coin(50)) {
        u32 len = coin(50) ? 8 : rlen();
        int must = level == 1 && name == 26 && len == 8 && is_bad(val, 8);
        CALL("setsockopt", sys_setsockopt(fd, level, name, (void *)val, (int)len), must);
    } else {
        u32 lp = coin(80) ? A(alloc(4)) : rptr();
        if (!is_bad(lp, 4) && lp >= A(M.a)) put32(M.a + (lp - A(M.a)), coin(50) ? rnd(300) : rlen());
        CALL("getsockopt", sys_getsockopt(fd, level, name, (void *)val, (void *)lp), 0);
    }
}

static void f_signal(void) {
    int sig_pool[] = {SIG_A, SIG_B, 9, 19, 0, 65, -1, 64 + (int)rnd(3)};
    int sig = sig_pool[rnd(8)];
    switch (rnd(6)) {
    case 0: {
        u32 act = coin(50) ? 0 : (coin(80) ? A(alloc(24)) : rptr());
        if (!is_bad(act, 1) && act >= A(M.a) && act < A(M.a) + INNER) scribble(M.a + (act - A(M.a)), 24);
        u32 old = coin(50) ? 0 : rptr();
        /* Only SIG_A/SIG_B get a new action: never raised. */
        if (act && sig >= 1 && sig <= 64 && sig != SIG_A && sig != SIG_B && sig != 9 && sig != 19) sig = SIG_A;
        CALL("rt_sigaction", sys_rt_sigaction(sig, (void *)act, (void *)old, (int)sigsetsize()), 0);
        break;
    }
    case 1: {
        int how = coin(80) ? (int)rnd(3) : (int)rval();
        CALL("rt_sigprocmask", sys_rt_sigprocmask(how, (void *)(coin(70) ? sigset_ptr() : 0),
                                                  (void *)(coin(50) ? 0 : rptr()), (int)sigsetsize()), 0);
        break;
    }
    case 2: {
        u32 sz = coin(60) ? rnd(10) : rlen();
        CALL("rt_sigpending", sys_rt_sigpending((void *)rptr(), (int)sz), 0);
        break;
    }
    case 3: {
        u32 ss = coin(50) ? 0 : (coin(80) ? A(alloc(12)) : rptr());
        if (!is_bad(ss, 1) && ss >= A(M.a) && ss < A(M.a) + INNER) {
            unsigned char *s = M.a + (ss - A(M.a));
            static const u32 FL[] = {0, 1, 2, 0x80000000u, 0x80000002u, 5};
            put32(s, rptr());
            put32(s + 4, coin(80) ? FL[rnd(6)] : rval());
            put32(s + 8, rlen());
        }
        CALL("sigaltstack", sys_sigaltstack((void *)ss, (void *)(coin(50) ? 0 : rptr())), 0);
        break;
    }
#ifndef NO_SUSPEND
    case 4: {
        /* Never a wait: the mask is unreadable, or the size is wrong. */
        u32 sz = sigsetsize();
        u32 m = sz == 8 ? bad_ptr(8) : sigset_ptr();
        CALL("rt_sigsuspend", sys_rt_sigsuspend((void *)m, (int)sz), 1);
        break;
    }
#endif
    default:
        CALL("signalfd4", w_signalfd4(coin(80) ? -1 : rfd(), (void *)sigset_ptr(), sigsetsize(),
                                      coin(70) ? O_NONBLOCK : (int)rval()), 0);
    }
}

static void f_select(void) {
    static const int NF[] = {0, 1, 8, 64, 65, 1024, 1025, 0x7fffffff, -1};
    int nfds = coin(60) ? (int)rnd(70) : NF[rnd(9)];
    u32 s[3];
    for (int i = 0; i < 3; i++) {
        s[i] = coin(30) ? 0 : (coin(70) ? A(alloc(128)) : rptr());
        if (!is_bad(s[i], 1) && s[i] >= A(M.a) && s[i] < A(M.a) + INNER) {
            unsigned char *p = M.a + (s[i] - A(M.a));
            fill(p, 128, 0);
            for (int k = 0; k < 4; k++) {
                int fd = rfd();
                if (fd >= 0 && fd < 1024) p[fd / 8] |= (unsigned char)(1 << (fd % 8));
            }
            if (coin(20)) scribble(p, 128);
        }
    }
    int sel = coin(50);
    u32 tmo = no_wait_time(sel);
    if (sel) {
        CALL("select", sys_select(nfds, (void *)s[0], (void *)s[1], (void *)s[2], (void *)tmo), 0);
    } else {
        u32 data = coin(30) ? 0 : (coin(80) ? A(alloc(8)) : rptr());
        if (!is_bad(data, 1) && data >= A(M.a) && data < A(M.a) + INNER) {
            put32(M.a + (data - A(M.a)), coin(70) ? sigset_ptr() : 0);
            put32(M.a + (data - A(M.a)) + 4, sigsetsize());
        }
        CALL("pselect6", sys_pselect6(nfds, (void *)s[0], (void *)s[1], (void *)s[2], (void *)tmo, (void *)data), 0);
    }
}

static void f_poll(void) {
    static const u64 NF[] = {0, 1, 2, 8, 1024, 1025, 0xffffffffull, 0x100000001ull, 1ull << 20};
    u64 n = coin(60) ? rnd(9) : NF[rnd(9)];
    u32 arr = coin(80) ? A(alloc(8 * 16)) : rptr();
    if (!is_bad(arr, 1) && arr >= A(M.a) && arr < A(M.a) + INNER) {
        unsigned char *p = M.a + (arr - A(M.a));
        for (int i = 0; i < 16; i++) {
            put32(p + 8 * i, rfd());
            put32(p + 8 * i + 4, coin(80) ? 1 | 4 : rval());
        }
    }
    switch (rnd(5)) {
    case 0: CALL("poll", sys_poll((void *)arr, (long long)n, 0), 0); break;
    case 1:
        CALL("ppoll", sys_ppoll((void *)arr, (long long)n, (void *)no_wait_time(0),
                                (void *)(coin(50) ? 0 : sigset_ptr()), (int)sigsetsize()), 0);
        break;
    case 2: {
        u32 ev = coin(80) ? A(alloc(12)) : rptr();
        if (!is_bad(ev, 1) && ev >= A(M.a) && ev < A(M.a) + INNER) {
            put32(M.a + (ev - A(M.a)), coin(70) ? 1 | 4 | (1u << 31) : rval());
            put64(M.a + (ev - A(M.a)) + 4, rnd64());
        }
        int op = coin(80) ? 1 + (int)rnd(3) : (int)rval();
        CALL("epoll_ctl", sys_epoll_ctl(coin(90) ? epfd : rfd(), op, rfd(), (void *)ev), 0);
        break;
    }
    default: {
        static const int MX[] = {0, 1, 2, 16, -1, 0x7fffffff, 178956970, 178956971};
        int max = coin(60) ? 1 + (int)rnd(16) : MX[rnd(8)];
        u32 evs = coin(80) ? A(alloc(12 * 16)) : rptr();
        int fd = coin(90) ? epfd : rfd();
        switch (rnd(3)) {
        case 0: CALL("epoll_wait", w_epoll_wait(fd, (void *)evs, max, 0), 0); break;
        case 1:
            CALL("epoll_pwait", sys_epoll_pwait(fd, (void *)evs, max, 0, (void *)(coin(50) ? 0 : sigset_ptr()),
                                                (int)sigsetsize()), 0);
            break;
        default:
            CALL("epoll_pwait2", w_epoll_pwait2(fd, (void *)evs, max, (void *)no_wait_time(0),
                                                (void *)(coin(50) ? 0 : sigset_ptr()), (int)sigsetsize()), 0);
        }
    }
    }
}

/* argv/envp arrays: NULL-terminated or not, entries pointing at strings,
 * random pointers, or off the end. */
static u32 strv(void) {
    if (coin(20)) return rptr();
    u32 n = coin(80) ? rnd(8) : rnd(4096);
    unsigned char *v = alloc(4 * n + 4);
    for (u32 i = 0; i < n; i++)
        put32(v + 4 * i, coin(60) ? A(PATHS[rnd(8)]) : (coin(50) ? rptr() : inner_ptr()));
    put32(v + 4 * n, coin(85) ? 0 : rval());
    return A(v);
}

static void f_exec(void) {
    /* Never a real program: missing, a directory or a non-executable file,
     * or an unreadable path. */
    static const char *const P[] = {"fz/nofile", "fz", "fz/rf", "/nonexistent/wali-fuzz", ""};
    u32 path = coin(70) ? A(P[rnd(5)]) : bad_ptr(64);
    long long r;
    CALL("execve", r = sys_execve((void *)path, (void *)strv(), (void *)strv()), 1);
    (void)r;
}

static void f_futex(void) {
    /* WAIT forms only on words whose value is not the expected one. */
    static const int OPS[] = {0 /* WAIT */, 1 /* WAKE */, 3 /* REQUEUE */, 4 /* CMP_REQUEUE */,
                              5 /* WAKE_OP */, 9 /* WAIT_BITSET */, 10 /* WAKE_BITSET */, 99};
    int op = OPS[rnd(8)] | (coin(50) ? 128 : 0) | (coin(10) ? 256 : 0);
    u32 ua = coin(50) ? A(&futex_word) : rptr();
    if (coin(10)) ua |= 1 + rnd(3);
    int val = (int)rval();
    if (!is_bad(ua, 4)) val = (int)get32(at(ua)) + 1;
    u32 ua2 = coin(50) ? inner_ptr() & ~3u : rptr();
    u32 tmo = coin(50) ? no_wait_time(0) : rptr();
    CALL("futex", sys_futex((void *)ua, op, val, (void *)tmo, (void *)ua2, (int)rval()), 0);
}

static void f_files(void) {
    u32 p = rptr();
    int dfd = coin(70) ? -100 /* AT_FDCWD */ : rfd();
    switch (rnd(12)) {
    case 0: CALL("fstat", sys_fstat(rfd(), (void *)p), is_bad(p, 144)); break;
    case 1: CALL("newfstatat", sys_newfstatat(dfd, (void *)rpath(), (void *)p, coin(70) ? 0 : (int)rval()), 0); break;
    case 2: CALL("statx", sys_statx(dfd, (void *)rpath(), coin(70) ? 0 : (int)rval(), (int)rval(), (void *)p), 0); break;
    case 3: CALL("statfs", sys_statfs((void *)rpath(), (void *)p), 0); break;
    case 4: CALL("fstatfs", sys_fstatfs(rfd(), (void *)p), 0); break;
    case 5: CALL("getcwd", sys_getcwd((void *)p, (int)rlen()), 0); break;
    case 6: CALL("readlinkat", sys_readlinkat(dfd, (void *)rpath(), (void *)p, (int)rlen()), 0); break;
    case 7: {
        /* Times of the program's own files only. */
        static const char *const F[] = {"rf", "wf", "nofile", ""};
        static const char *const G[] = {"fz/rf", "fz/wf", "fz/nofile"};
        int d = coin(80) ? dirfd : -100;
        u32 path = coin(80) ? (d == dirfd ? A(F[rnd(4)]) : A(G[rnd(3)])) : bad_ptr(8);
        u32 tp = coin(70) ? A(alloc(32)) : rptr();
        if (!is_bad(tp, 1) && tp >= A(M.a) && tp < A(M.a) + INNER) {
            unsigned char *q = M.a + (tp - A(M.a));
            scribble(q, 32);
            /* Often valid times: UTIME_NOW/UTIME_OMIT or small values. */
            for (int k = 0; k < 2 && coin(60); k++)
                put64(q + 16 * k, rnd(1000)), put64(q + 16 * k + 8, coin(50) ? rnd(1000) : 0x3ffffffeu + rnd(2));
        }
        if (coin(50))
            CALL("utimensat", sys_utimensat(d, (void *)path, (void *)tp, coin(70) ? 0 : (int)rval()), 0);
        else
            CALL("futimesat", w_futimesat(d, (void *)path, (void *)tp), 0);
        break;
    }
    case 8: CALL("faccessat2", sys_faccessat2(dfd, (void *)rpath(), (int)rnd(8), coin(70) ? 0 : (int)rval()), 0); break;
    case 9: {
        u32 o1 = coin(50) ? 0 : rptr(), o2 = coin(50) ? 0 : rptr();
        u32 len = rlen();
        switch (rnd(4)) {
        case 0: CALL("copy_file_range", w_copy_file_range(rf, (void *)o1, wf, (void *)o2, len, coin(80) ? 0 : rval()), 0); break;
        case 1: CALL("sendfile", w_sendfile(wf, rf, (void *)o1, len), 0); break;
        case 2: CALL("splice", w_splice(rf, (void *)o1, pipe_w, 0, len, 2 /* NONBLOCK */), 0); break;
        default: CALL("splice", w_splice(pipe_r, 0, wf, (void *)o2, len, 2), 0);
        }
        break;
    }
    case 10: {
        static const int CMD[] = {5 /* GETLK */, 6 /* SETLK */, 36 /* OFD_GETLK */, 37 /* OFD_SETLK */,
                                  16 /* GETOWN_EX */, 15 /* SETOWN_EX */, 1035, 1036, 1037, 1038};
        u32 fl = coin(70) ? A(alloc(32)) : rptr();
        if (!is_bad(fl, 1) && fl >= A(M.a) && fl < A(M.a) + INNER) {
            unsigned char *q = M.a + (fl - A(M.a));
            scribble(q, 32);
            if (coin(60)) put32(q, rnd(3)); /* l_type, l_whence */
        }
        long long arg = coin(90) ? (long long)fl : (long long)rnd64();
        CALL("fcntl", sys_fcntl(coin(80) ? wf : rf, CMD[rnd(10)], arg), 0);
        break;
    }
    default: {
        /* Requests with a struct argument; never FIONBIO/FIOASYNC, which
         * would make this program's descriptors blocking. */
        static const u32 REQ[] = {0x541B /* FIONREAD */, 0x5411 /* TIOCOUTQ */, 0x5401 /* TCGETS */,
                                  0x5413 /* TIOCGWINSZ */, 0x540F /* TIOCGPGRP */, 0x5429 /* TIOCGSID */};
        CALL("ioctl", sys_ioctl(coin(80) ? rsrc() : fd_null, (int)REQ[rnd(6)], (void *)p), 0);
    }
    }
}

static void f_time(void) {
    u32 p = rptr();
    switch (rnd(12)) {
    case 0: CALL("clock_gettime", sys_clock_gettime(coin(80) ? (int)rnd(12) : (int)rval(), (void *)p), 0); break;
    case 1: CALL("clock_getres", sys_clock_getres(coin(80) ? (int)rnd(12) : (int)rval(), (void *)p), 0); break;
    case 2: CALL("nanosleep", sys_nanosleep((void *)no_wait_time(0), (void *)p), 0); break;
    case 3: CALL("clock_nanosleep", sys_clock_nanosleep((int)rnd(3), coin(50) ? 1 : 0, (void *)no_wait_time(0), (void *)p), 0); break;
    case 4: CALL("gettimeofday", sys_gettimeofday((void *)p, (void *)(coin(50) ? 0 : rptr())), 0); break;
    case 5: {
        /* Disarm, or an invalid value: never a signal. */
        unsigned char *t = alloc(32);
        fill(t, 32, 0);
        /* An invalid usec, or a negative field. */
        if (coin(50)) put64(t + 8 + 16 * rnd(2), 1000000 + rnd(5));
        else if (coin(50)) put64(t + 8 * rnd(4), (u64)-1);
        u32 nv = coin(70) ? A(t) : bad_ptr(32);
        int which = coin(80) ? (int)rnd(3) : (int)rval();
        if (which > 2 || which < 0) nv = coin(50) ? A(t) : rptr();
        CALL("setitimer", sys_setitimer(which, (void *)nv, (void *)(coin(50) ? 0 : rptr())), 0);
        break;
    }
    case 6: CALL("getitimer", w_getitimer(coin(80) ? (int)rnd(3) : (int)rval(), (void *)p), 0); break;
    case 7: CALL("times", w_times((void *)p), 0); break;
    case 8: CALL("time", w_time((void *)p), 0); break;
    case 9: {
        unsigned char *t = alloc(32);
        scribble(t, 32);
        CALL("timerfd_settime", w_timerfd_settime(coin(90) ? tfd : rfd(), coin(70) ? 0 : (int)rval(),
                                                  (void *)(coin(70) ? A(t) : rptr()), (void *)(coin(50) ? 0 : rptr())), 0);
        break;
    }
    case 10: CALL("timerfd_gettime", w_timerfd_gettime(coin(90) ? tfd : rfd(), (void *)p), 0); break;
    default: {
        /* Reading the clock adjustment only (modes 0), or unreadable. */
        unsigned char *t = alloc(208);
        fill(t, 208, 0);
        u32 tp = coin(60) ? A(t) : bad_ptr(208);
        if (coin(50))
            CALL("adjtimex", w_adjtimex((void *)tp), 0);
        else
            CALL("clock_adjtime", w_clock_adjtime(coin(80) ? 0 : (int)rnd(12), (void *)tp), 0);
        if (coin(20)) CALL("clock_settime", w_clock_settime((int)rnd(3), (void *)bad_ptr(16)), 1);
    }
    }
}

static void f_ident(void) {
    u32 p = rptr();
    switch (rnd(14)) {
    case 0: CALL("getresuid", w_getresuid((void *)p, (void *)rptr(), (void *)rptr()), 0); break;
    case 1: CALL("getresgid", w_getresgid((void *)p, (void *)rptr(), (void *)rptr()), 0); break;
    case 2: CALL("getgroups", sys_getgroups(coin(60) ? (int)rnd(64) : (int)rval(), (void *)p), 0); break;
    case 3: {
        int res = coin(90) ? (int)rnd(16) : (int)rval();
        unsigned char *l = alloc(16);
        /* The limit as it is, or cur > max (EINVAL), or unreadable. */
        if (res >= 0 && res < 16) put64(l, saved_rlim[res][0]), put64(l + 8, saved_rlim[res][1]);
        else scribble(l, 16);
        if (coin(20)) put64(l, (u64)-1), put64(l + 8, 1);
        u32 nv = coin(60) ? A(l) : bad_ptr(16);
        switch (rnd(3)) {
        case 0: CALL("getrlimit", sys_getrlimit(res, (void *)p), 0); break;
        case 1: CALL("setrlimit", sys_setrlimit(res, (void *)nv), is_bad(nv, 16)); break;
        default: CALL("prlimit64", sys_prlimit64(0, res, (void *)(coin(50) ? 0 : nv), (void *)(coin(50) ? 0 : p)), 0);
        }
        break;
    }
    case 4: CALL("getrusage", sys_getrusage(coin(80) ? (int)rnd(3) - 1 : (int)rval(), (void *)p), 0); break;
    case 5: CALL("uname", sys_uname((void *)p), is_bad(p, 390)); break;
    case 6: CALL("sysinfo", sys_sysinfo((void *)p), is_bad(p, 112)); break;
    case 7: CALL("sched_getaffinity", sys_sched_getaffinity(0, coin(70) ? (int)(8 * rnd(200)) : (int)rlen(), (void *)p), 0); break;
    case 8: {
        unsigned char *s = alloc(16);
        put32(s, coin(70) ? 0 : rval()); /* priority: must be 0 for SCHED_OTHER */
        u32 sp = coin(70) ? A(s) : rptr();
        static const int POL[] = {0, -1, 100};
        switch (rnd(3)) {
        case 0: CALL("sched_getparam", w_sched_getparam(0, (void *)p), 0); break;
        case 1: CALL("sched_setparam", w_sched_setparam(0, (void *)sp), 0); break;
        default: CALL("sched_setscheduler", w_sched_setscheduler(0, POL[rnd(3)], (void *)sp), 0);
        }
        break;
    }
    case 9: {
        /* An invalid policy, so setattr never changes the scheduling. */
        static const u32 SZ[] = {0, 1, 47, 48, 56, 4096, 4097, 0xffffffffu};
        unsigned char *a = alloc(128);
        scribble(a, 128);
        put32(a, SZ[rnd(8)]);
        put32(a + 4, 100 + rnd(100));
        /* Never random memory: its policy could be a real-time one. */
        u32 ap = coin(70) ? A(a) : bad_ptr(48);
        if (coin(50))
            CALL("sched_setattr", w_sched_setattr(0, (void *)ap, coin(80) ? 0 : rval()), 0);
        else
            CALL("sched_getattr", w_sched_getattr(0, (void *)p, coin(60) ? SZ[rnd(8)] : rlen(), coin(80) ? 0 : rval()), 0);
        break;
    }
    case 10: CALL("sched_rr_get_interval", w_sched_rr_get_interval(0, (void *)p), 0); break;
    case 11: CALL("getcpu", w_getcpu((void *)p, (void *)(coin(50) ? 0 : rptr()), (void *)rptr()), 0); break;
    case 12: {
        static const u32 V[] = {0x19980330, 0x20071026, 0x20080522, 0, 0xffffffffu};
        unsigned char *h = alloc(8);
        put32(h, V[rnd(5)]);
        put32(h + 4, coin(80) ? 0 : rval());
        u32 hp = coin(80) ? A(h) : rptr();
        if (coin(70))
            CALL("capget", w_capget((void *)hp, (void *)p), 0);
        else {
            /* Data as it is now (read first), or unreadable. */
            unsigned char *d = alloc(24);
            u32 hv = A(alloc(8));
            put32(at(hv), 0x20080522);
            put32(at(hv) + 4, 0);
            w_capget((void *)hv, d);
            CALL("capset", w_capset((void *)hp, (void *)(coin(60) ? A(d) : bad_ptr(24))), 0);
        }
        break;
    }
    default: {
        static const int OPT[] = {15 /* SET_NAME */, 16 /* GET_NAME */, 2 /* GET_PDEATHSIG */, 5 /* GET_UNALIGN */,
                                  19 /* GET_ENDIAN */, 25 /* GET_TSC */, 37 /* GET_CHILD_SUBREAPER */};
        int opt = OPT[rnd(7)];
        u32 a = p;
        if (opt == 15 && !is_bad(a, 4) && a >= A(M.a)) fill(at(a), 4, 'f');
        long long arg = coin(90) ? (long long)a : (long long)rnd64();
        CALL("prctl", sys_prctl(opt, arg, 0, 0, 0), 0);
    }
    }
}

static void f_misc(void) {
    u32 p = rptr();
    switch (rnd(7)) {
    case 6: {
        /* The auxiliary calls that write into the guest. */
        int idx = coin(80) ? (int)rnd(5) : (int)rval();
        if (coin(50))
            CALL("__cl_copy_argv", wali_cl_copy_argv((void *)p, idx), p == 0 && idx >= 0 && idx < 3);
        else
            CALL("__get_init_envfile", wali_get_init_envfile((void *)p, (int)rlen()), 0);
        if (coin(20)) CALL("__cl_get_argv_len", wali_cl_get_argv_len(idx), 0);
        break;
    }
    case 0: CALL("pipe", sys_pipe((void *)p), is_bad(p, 8)); break;
    case 1: CALL("pipe2", sys_pipe2((void *)p, coin(70) ? O_NONBLOCK : (int)rval()), 0); break;
    case 2: {
        int pid = coin(80) ? 0 : 0x7fffffff;
        CALL("get_robust_list", w_get_robust_list(pid, (void *)p, (void *)rptr()), is_bad(p, 4));
        break;
    }
    case 3: CALL("set_robust_list", w_set_robust_list((void *)p, coin(70) ? 12 : rlen()), 0); break;
    case 4: {
        /* Now and then a child that has exited, so the status and rusage
         * are copied out (a child never runs fuzzed code). */
        if (coin(30)) {
            long long pid = sys_fork();
            if (pid == 0) sys_exit_group(0);
            if (pid > 0) sys_sched_yield();
        }
        CALL("wait4", sys_wait4(-1, (void *)p, WNOHANG | (coin(20) ? (int)rval() | WNOHANG : 0), (void *)rptr()), 0);
        break;
    }
    default: CALL("memfd_create", w_memfd_create((void *)(coin(50) ? inner_ptr() : rptr()), coin(80) ? 1 : rval()), 0);
    }
}

static void f_paths(void) {
    /* Random strings up to a NUL through read-only calls. */
    u32 path = coin(50) ? inner_ptr() : rptr();
    if (coin(50))
        CALL("faccessat2", sys_faccessat2(-100, (void *)path, 0, 0), 0);
    else
        CALL("inotify_add_watch", w_inotify_add_watch(ifd, (void *)path, 0xfff), 0);
}

/* ------------------------------------------------------------------ */

static int must(long long r, const char *what) {
    if (r < 0) {
        out("setup failed: ");
        out(what);
        out("\n");
        t_exit(3);
    }
    return (int)r;
}

static void setup(void) {
    if (__builtin_wasm_memory_grow(0, 1) < 0) {
        out("setup failed: memory.grow\n");
        t_exit(3);
    }
    memsize = (u32)__builtin_wasm_memory_size(0) * 65536u;
    endzone = memsize - 65536;
    fill(M.lo, GUARD, CANARY);
    fill(M.hi, GUARD, CANARY);
    fill(at(0), NULL_ZEROS, 0);
    fill(at(NULL_ZEROS), NULL_ZONE - NULL_ZEROS, CANARY);
    fill(at(endzone), 65536 - END_TARGET, CANARY);
    /* The aimed-at top: bytes that read as no address family and no NUL. */
    fill(at(memsize - END_TARGET), END_TARGET, 0xEE);
    fill(payload, sizeof payload, 0xEE);

    /* SIG_IGN (-2): a closed peer is EPIPE, not death */
    unsigned char ign[24] = {0xfe, 0xff, 0xff, 0xff};
    sys_rt_sigaction(SIGPIPE, ign, 0, 8);

    my_pid = (u32)sys_getpid();
    must(sys_mkdir("fz", 0700), "mkdir fz");
    rf = must(sys_open("fz/rf", O_RDWR | O_CREAT, 0600), "rf");
    sys_write(rf, payload, sizeof payload);
    wf = must(sys_open("fz/wf", O_RDWR | O_CREAT, 0600), "wf");
    sys_symlink("rf", "fz/ln");
    dirfd = must(sys_open("fz", O_RDONLY | O_DIRECTORY, 0), "dir");
    fd_null = must(sys_open("/dev/null", O_RDWR, 0), "/dev/null");
    int pv[2], sv[2];
    must(sys_pipe2(pv, O_NONBLOCK), "pipe");
    pipe_r = pv[0], pipe_w = pv[1];
    must(sys_socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0, sv), "socketpair");
    us0 = sv[0], us1 = sv[1];
    unsigned char sin[16] = {AF_INET, 0, 0, 0, 127, 0, 0, 1};
    u32 sl = 16;
    udp = must(sys_socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0), "udp");
    must(sys_bind(udp, sin, 16), "bind udp");
    must(sys_getsockname(udp, sin, &sl), "getsockname udp");
    must(sys_connect(udp, sin, 16), "connect udp");
    own_port[0][0] = sin[2], own_port[0][1] = sin[3];
    unsigned char tin[16] = {AF_INET, 0, 0, 0, 127, 0, 0, 1};
    tcp_l = must(sys_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), "tcp");
    must(sys_bind(tcp_l, tin, 16), "bind tcp");
    must(sys_listen(tcp_l, 64), "listen");
    sl = 16;
    must(sys_getsockname(tcp_l, tin, &sl), "getsockname tcp");
    own_port[1][0] = tin[2], own_port[1][1] = tin[3];
    epfd = must(sys_epoll_create1(0), "epoll");
    tfd = must(w_timerfd_create(1, O_NONBLOCK), "timerfd");
    ifd = must(w_inotify_init1(O_NONBLOCK), "inotify");
    first_free_fd = ifd + 1;
    for (int r = 0; r < 16; r++) sys_prlimit64(0, r, 0, saved_rlim[r]);
}

/* After every call: descriptors a call created are closed, and the
 * program's own descriptors must still be there. */
static void sweep(void) {
    w_close_range((u32)first_free_fd, ~0u, 0);
    /* A call may have set our non-blocking descriptors' flags? Never:
     * F_SETFL and FIONBIO are not fuzzed. */
}

int test_main(int argc, char **argv, char **envp) {
    (void)envp;
    u64 seed = argc > 1 ? (u64)t_atoi(argv[1]) : 1;
    long long iters = argc > 2 ? t_atoi(argv[2]) : 2000;
    /* A third argument traces every call ("s": counts per call). */
    int stats = argc > 3 && argv[3][0] == 's';
    verbose = argc > 3 && !stats;
    setup();
    void (*const groups[])(void) = {f_vectored, f_stream, f_msg, f_msg, f_addr, f_sockopt, f_signal,
                                    f_select, f_poll, f_exec, f_futex, f_files, f_files, f_time,
                                    f_ident, f_misc, f_paths};
    const u32 ngroups = sizeof groups / sizeof groups[0];
    for (long long i = 0; i < iters && failed <= 20; i++) {
        /* Each iteration has its own seed: a failure names it. */
        cur_seed = seed * 1000003ull + (u64)i;
        rng_state = cur_seed;
        bump = 0;
        prepare_sources();
        groups[rnd(ngroups)]();
        sweep();
    }
    while (sys_wait4(-1, 0, 0, 0) > 0) {} /* the children forked for wait4 */
    /* The program's descriptors survived: its pipe still works. */
    while (sys_read(pipe_r, junk, sizeof junk) > 0) {}
    CHECK(sys_write(pipe_w, "ok", 2) == 2);
    CHECK(sys_read(pipe_r, junk, 2) == 2);
    unsigned char dfl[24] = {0};
    sys_rt_sigaction(SIG_A, dfl, 0, 8);
    sys_rt_sigaction(SIG_B, dfl, 0, 8);
    for (int i = 0; stats && i < NSTAT && stat[i].name; i++) {
        out(stat[i].name);
        out(" n=");
        out_i64(stat[i].n);
        out(" ok=");
        out_i64(stat[i].ok);
        out(" efault=");
        out_i64(stat[i].efault);
        out("\n");
    }
    out("fuzz: ");
    out_i64(calls);
    out(" calls, ");
    out_i64(efaults);
    out(" EFAULT, ");
    out_i64(oks);
    out(" ok\n");
    return failed ? 1 : 0;
}
#endif
