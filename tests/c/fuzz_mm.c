/* A guest-driven fuzzer of the memory calls (engine only, no native twin):
 * random mmap/munmap/mremap/mprotect/madvise/msync/brk with arguments
 * inside and at the edges of linear memory and of the 4 GiB address space,
 * interleaved with limits lowered and restored (RLIMIT_AS/DATA to what the
 * process uses plus some room, so the host's re-mappings may fail), prctl
 * calls with harmless options, and a second thread that scribbles over the
 * structs, strings and iovecs the first hands to calls. After every call:
 * the result is an address or a plausible -errno, new anonymous pages read
 * as zero, the program's own data (canaries) is untouched, and every so
 * often the whole linear-memory reservation is still mapped
 * (/proc/self/maps, as in attack_mem_cover.c).
 *
 *   fuzz_mm SEED ITERATIONS [low]
 *
 * `low` also lowers the limits below what the process uses: the engine
 * must then refuse them or end the process with its one-line message. */
#include "walitest.h"

#ifndef __wasm__
int test_main(int argc, char **argv, char **envp) {
    (void)argc, (void)argv, (void)envp;
    out("fuzz_mm: engine only\n");
    return 0;
}
#else
#include "attack_mem_thr.h"

typedef unsigned int u32;
typedef unsigned long long u64;

#define PG 4096u
#define RES (8ULL << 30)

#include "fuzz_rng.h"

static unsigned char canary[8192];
static int failed;
static u64 cur_seed;
static u32 start_size;

static void fail(const char *what, long long v) {
    out("FUZZ FAILURE seed ");
    out_i64((long long)cur_seed);
    out(": ");
    out(what);
    out(" ");
    out_i64(v);
    out("\n");
    failed++;
}

/* ---- the reservation check (reservation.h) -------------------------- */
#include "reservation.h"
static void find_base(int fd) {
    long long g = sys_mmap(0, PG, 3, 1 /* MAP_SHARED */, fd, 0);
    if (g < 0 && g > -4096) t_exit(5);
    if (slurp("/proc/self/maps") <= 0) t_exit(6);
    const char *line = text;
    while (*line) {
        const char *e = line;
        while (*e && *e != '\n') e++;
        if (e - line > 10 && !t_memcmp(e - 10, "/fz_marker", 10)) {
            const char *p = line;
            base = hex(&p) - (u64)(unsigned long)g;
        }
        line = *e ? e + 1 : e;
    }
    sys_munmap((void *)(long)g, PG);
    if (!base) t_exit(7);
}
/* ---- arguments ------------------------------------------------------ */
#define NMAP 32
static u32 maps[NMAP], lens[NMAP];
static int fd_file, fd_null, low;

static u32 rlen(void) {
    static const u32 L[] = {0, 1, PG - 1, PG, PG + 1, 2 * PG, 16 * PG, 65536, 1 << 20,
                            16 << 20, 0x7fffffff, 0x80000000u, 0xfffff000u, 0xffffffffu};
    if (coin(50)) return (1 + rnd(16)) * PG;
    return L[rnd(sizeof L / sizeof L[0])];
}
static u32 raddr(void) {
    u32 sz = (u32)__builtin_wasm_memory_size(0) * 65536u;
    switch (rnd(9)) {
    case 0: return 0;
    case 1: return maps[rnd(NMAP)];
    case 2: return maps[rnd(NMAP)] + PG * rnd(4);
    case 3: return sz - PG * rnd(4);
    case 4: return 0xfffff000u - PG * rnd(4);
    case 5: return (u32)rnd64() & ~(PG - 1);
    case 6: return (u32)rnd64();
    case 7: return PG * rnd(8); /* the module's own memory */
    default: return start_size + PG * rnd(4096);
    }
}
static int rprot(void) { return coin(80) ? (int)rnd(8) : (int)rnd64(); }
static int rflags(void) {
    static const int T[] = {1, 2, 3, 0, 0xf};
    int f = T[rnd(5)];
    if (coin(60)) f |= 0x20;       /* MAP_ANONYMOUS */
    if (coin(20)) f |= 0x10;       /* MAP_FIXED */
    if (coin(10)) f |= 0x100000;   /* MAP_FIXED_NOREPLACE */
    if (coin(5)) f |= (int)rnd64();
    return f;
}

static int plausible(long long r) {
    return r >= 0 || r == -12 || r == -22 || r == -14 || r == -17 || r == -13 || r == -9 ||
           r == -19 || r == -1 || r == -11 || r == -95 || r == -16 || r == -75 || r == -4 ||
           r == -26 || r == -6;
}

static void remember(long long r, u32 len) {
    if (r <= 0 || r > 0xffffffffLL) return;
    int i = (int)rnd(NMAP);
    maps[i] = (u32)r, lens[i] = len;
}

/* A new anonymous mapping made by the engine reads as zero. */
static void check_new_anon(long long r, u32 len, int flags) {
    if (r <= 0 || r > 0xffffffffLL || !(flags & 0x20) || len == 0 || len > (16u << 20)) return;
    if ((r & (PG - 1)) != 0) return fail("unaligned mmap", r);
    volatile unsigned char *p = (volatile unsigned char *)(long)r;
    u32 last = ((len + PG - 1) & ~(PG - 1)) - 1;
    if (p[0] || p[last]) fail("new anonymous memory is not zero", r);
    p[0] = 0x5a, p[last] = 0x5a;
}

/* ---- the racing thread --------------------------------------------- */
static unsigned char shared_buf[4096];
static volatile int stop, done;
static void scribbler(struct am_thr *t) {
    (void)t;
    u64 x = 88172645463325252ull;
    while (!__atomic_load_n(&stop, __ATOMIC_SEQ_CST)) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        shared_buf[x % sizeof shared_buf] = (unsigned char)(x >> 32);
    }
    __atomic_store_n(&done, 1, __ATOMIC_SEQ_CST);
    sys_futex((const void *)&done, 1, 1, 0, 0, 0);
}

/* Calls whose structs, strings and iovecs live in shared_buf. */
static void racing_call(void) {
    void *b = shared_buf;
    long long r = 0;
    switch (rnd(6)) {
    case 0: r = sys_writev(fd_null, b, (int)rnd(8)); break;
    case 1: {
        /* argv/envp arrays pointing into the buffer. */
        u32 *v = (u32 *)(shared_buf + 2048);
        for (int i = 0; i < 4; i++) v[i] = (u32)(unsigned long)(shared_buf + rnd(2048));
        v[4] = 0;
        r = sys_execve("/nonexistent-fz/x", v, v + 2);
        break;
    }
    case 2: r = sys_open(shared_buf + rnd(64), O_RDONLY, 0); if (r >= 0) sys_close((int)r); r = 0; break;
    case 3: r = sys_rt_sigaction(40, b, 0, 8); break;
    case 4: r = sys_rt_sigprocmask(2 /* SIG_SETMASK */, b, 0, 8); break;
    default: r = sys_poll(b, 0, 0); break;
    }
    if (!plausible(r) && r != -2 && r != -36 && r != -7 && r != -20 && r != -40)
        fail("racing call result", r);
}

struct rl { u64 cur, max; };
static struct rl saved_as, saved_data;

static void limits(void) {
    int res = coin(50) ? 9 /* RLIMIT_AS */ : 2 /* RLIMIT_DATA */;
    struct rl *saved = res == 9 ? &saved_as : &saved_data;
    struct rl nv = *saved;
    u64 used = vm_size();
    if (low && coin(30)) nv.cur = used > (64u << 20) ? used - (rnd(64) << 20) : 0;
    else nv.cur = used + ((u64)(1 + rnd(64)) << 20);
    if (nv.cur > saved->max) nv.cur = saved->max;
    long long r = sys_setrlimit(res, &nv);
    if (r != 0 && r != -1 && r != -22) fail("setrlimit", r);
}

static void prctl_call(void) {
    static const int OPS[] = {15 /* SET_NAME */, 4 /* SET_DUMPABLE */, 1 /* SET_PDEATHSIG */,
                              29 /* SET_TIMERSLACK */, 41 /* SET_THP_DISABLE */,
                              38 /* SET_NO_NEW_PRIVS */, 16 /* GET_NAME */};
    int op = OPS[rnd(sizeof OPS / sizeof OPS[0])];
    long long a = op == 15 || op == 16 ? (long long)(unsigned long)shared_buf : (op == 1 ? 0 : rnd(2));
    if (op == 29) a = 50000 + rnd(1000);
    long long r = sys_prctl(op, a, 0, 0, 0);
    if (!plausible(r)) fail("prctl", r);
}

static void one(void) {
    u32 a = raddr(), len = rlen();
    long long r = 0;
    const char *what = "?";
    switch (rnd(12)) {
    case 0:
    case 1:
    case 2: {
        int fl = rflags();
        int fd = (fl & 0x20) ? (coin(80) ? -1 : (int)rnd(8)) : (coin(80) ? fd_file : (int)rnd(20));
        long long off = coin(80) ? (long long)PG * rnd(20) : (long long)rnd64();
        what = "mmap";
        r = sys_mmap((void *)(unsigned long)(coin(60) ? 0 : a), (int)len, rprot(), fl, fd, off);
        check_new_anon(r, len, fl);
        remember(r, len);
        break;
    }
    case 3: what = "munmap"; r = sys_munmap((void *)(unsigned long)a, (int)len); break;
    case 4: {
        int i = (int)rnd(NMAP);
        u32 old = coin(70) ? maps[i] : a, olen = coin(70) ? lens[i] : rlen();
        int fl = (int)rnd(8);
        what = "mremap";
        r = sys_mremap((void *)(unsigned long)old, (int)olen, (int)len, fl, (void *)(unsigned long)raddr());
        remember(r, len);
        break;
    }
    case 5: what = "mprotect"; r = sys_mprotect((void *)(unsigned long)(coin(50) ? maps[rnd(NMAP)] : a), (int)len, rprot()); break;
    case 6: {
        static const int ADV[] = {0, 1, 2, 3, 4, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 20, 21, 22, 23, 100};
        u32 at = coin(60) ? maps[rnd(NMAP)] : a;
        if (at < start_size) at = start_size; /* never the program's own data */
        what = "madvise";
        r = sys_madvise((void *)(unsigned long)at, (int)len, ADV[rnd(sizeof ADV / sizeof ADV[0])]);
        break;
    }
    case 7: what = "msync"; r = sys_msync((void *)(unsigned long)(coin(60) ? maps[rnd(NMAP)] : a), (int)len, (int)rnd(8)); break;
    case 8: {
        what = "brk";
        long long b = sys_brk(0);
        r = sys_brk((void *)(unsigned long)(coin(70) ? (u32)b + (u32)(rnd(64) * PG) - 16 * PG : a));
        if (r < 0) fail("brk", r);
        r = 0;
        break;
    }
    case 9: what = "limits"; limits(); break;
    case 10: what = "prctl"; prctl_call(); break;
    default: what = "race"; racing_call(); break;
    }
    if (r < 0 && !plausible(r)) fail(what, r);
}

int test_main(int argc, char **argv, char **envp) {
    (void)envp;
    u64 seed = argc > 1 ? (u64)t_atoi(argv[1]) : 1;
    long long iters = argc > 2 ? t_atoi(argv[2]) : 2000;
    low = argc > 3 && !t_strcmp(argv[3], "low");
    for (u32 i = 0; i < sizeof canary; i++) canary[i] = (unsigned char)(i * 7 + 1);
    sys_getrlimit(9, &saved_as);
    sys_getrlimit(2, &saved_data);
    start_size = (u32)__builtin_wasm_memory_size(0) * 65536u;
    int m = (int)sys_open("fz_marker", O_RDWR | O_CREAT | O_TRUNC, 0600);
    fd_file = (int)sys_open("fz_file", O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (m < 0 || fd_file < 0 || sys_ftruncate(m, PG) || sys_ftruncate(fd_file, 64 * PG)) t_exit(3);
    fd_null = (int)sys_open("/dev/null", O_RDWR, 0);
    find_base(m);
    sys_close(m);
    static struct am_thr t;
    t.fn = scribbler;
    if (am_spawn(&t) != 1) t_exit(4);
    long long checks = 0;
    for (long long i = 0; i < iters && failed <= 20; i++) {
        cur_seed = seed * 1000003ull + (u64)i;
        rng_state = cur_seed;
        one();
        if (i % 8 == 7) {
            sys_setrlimit(9, &saved_as);
            sys_setrlimit(2, &saved_data);
        }
        for (u32 k = 0; k < sizeof canary; k++)
            if (canary[k] != (unsigned char)(k * 7 + 1)) {
                fail("program data changed at", k);
                break;
            }
        if (i % 64 == 63) {
            checks++;
            if (!covered()) fail("reservation has a hole after iteration", i);
        }
    }
    sys_setrlimit(9, &saved_as);
    sys_setrlimit(2, &saved_data);
    unsigned char none[8] = {0};
    sys_rt_sigprocmask(2, none, 0, 8);
    __atomic_store_n(&stop, 1, __ATOMIC_SEQ_CST);
    while (!__atomic_load_n(&done, __ATOMIC_SEQ_CST)) sys_futex((const void *)&done, 0, 0, 0, 0, 0);
    if (!covered()) fail("reservation has a hole at the end", 0);
    out("fuzz_mm: ");
    out_i64(iters);
    out(" calls, ");
    out_i64(checks + 1);
    out(failed ? " checks FAILED\n" : " checks ok\n");
    return failed ? 1 : 0;
}
#endif
