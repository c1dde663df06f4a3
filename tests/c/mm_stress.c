/* Reuse under load: N rounds (default 20000) of mmap(1 MiB), touch,
 * munmap must run in bounded memory: the span of addresses handed out,
 * the growth of linear memory (WALI) and the growth of the process's
 * resident memory (VmRSS) all stay under 16 MiB, and reused memory always
 * reads as zero. Then a mixed-size round-robin (a first-fit allocator must
 * coalesce to stay bounded). Figures go to stderr: not compared. */
#include "walitest.h"

#define PROT_READ 1
#define PROT_WRITE 2
#define MAP_PRIVATE 2
#define MAP_ANONYMOUS 0x20
#define MIB (1024 * 1024)
#define LIMIT (16LL * MIB)

/* Resident memory of this process in KiB (the engine's, under WALI). */
static long long rss_kib(void) {
    static char buf[8192];
    long long fd = sys_open("/proc/self/status", O_RDONLY, 0);
    if (fd < 0) return -1;
    long long n = 0, r;
    while (n < (long long)sizeof buf - 1 && (r = sys_read((int)fd, buf + n, sizeof buf - 1 - n)) > 0) n += r;
    sys_close((int)fd);
    buf[n] = 0;
    for (char *p = buf; *p; p++) {
        if (t_memcmp(p, "VmRSS:", 6) == 0) {
            p += 6;
            while (*p == ' ' || *p == '\t') p++;
            return t_atoi(p);
        }
    }
    return -1;
}

static void err_num(const char *label, i64 v) {
    char b[24];
    int i = sizeof b;
    unsigned long long u = v < 0 ? -(unsigned long long)v : (unsigned long long)v;
    do b[--i] = '0' + u % 10; while ((u /= 10) && i > 1);
    if (v < 0) b[--i] = '-';
    sys_write(2, label, t_strlen(label));
    sys_write(2, b + i, sizeof b - i);
    sys_write(2, "\n", 1);
}

static long long mem_bytes(void) {
#ifdef __wasm__
    return (long long)__builtin_wasm_memory_size(0) * 65536;
#else
    return 0;
#endif
}

static unsigned long long lo = ~0ULL, hi;

static unsigned char *map(size_t len) {
    long long r = sys_mmap(NULL, (int)len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (r < 0 && r > -4096) return NULL;
    unsigned long long a = (unsigned long long)r;
    if (a < lo) lo = a;
    if (a + len > hi) hi = a + len;
    return (unsigned char *)(size_t)r;
}

int test_main(int argc, char **argv, char **envp) {
    (void)envp;
    int rounds = argc > 1 ? t_atoi(argv[1]) : 20000;
    long long rss0 = rss_kib(), mem0 = mem_bytes();
    int failed_maps = 0, nonzero = 0;
    for (int i = 0; i < rounds; i++) {
        unsigned char *p = map(MIB);
        if (!p) {
            failed_maps++;
            break;
        }
        /* Touch one byte per 16 KiB and the last one; each must be zero. */
        for (size_t off = 0; off < MIB; off += 16384) {
            nonzero += p[off] != 0;
            p[off] = (unsigned char)(i | 1);
        }
        nonzero += p[MIB - 1] != 0;
        p[MIB - 1] = 1;
        sys_munmap(p, MIB);
    }
    long long rss1 = rss_kib(), mem1 = mem_bytes();
    show("failed_maps", failed_maps);
    show("nonzero_reads", nonzero);
    show("span_bounded", hi - lo <= (unsigned long long)LIMIT);
    show("mem_bounded", mem1 - mem0 <= LIMIT);
    show("rss_known", rss0 > 0 && rss1 > 0);
    show("rss_bounded", (rss1 - rss0) * 1024 <= LIMIT);
    err_num("rounds=", rounds);
    err_num("span_kib=", (i64)((hi - lo) / 1024));
    err_num("mem_growth_kib=", (mem1 - mem0) / 1024);
    err_num("rss_start_kib=", rss0);
    err_num("rss_end_kib=", rss1);

    /* Mixed sizes: 16 slots, each round frees one slot and maps a new
     * size there (4 KiB .. 1 MiB, from a fixed sequence). */
    unsigned char *slot[16] = {0};
    size_t size[16] = {0};
    unsigned int seed = 12345;
    lo = ~0ULL, hi = 0;
    long long mem2 = mem_bytes();
    for (int i = 0; i < rounds / 4; i++) {
        int k = i % 16;
        if (slot[k]) sys_munmap(slot[k], size[k]);
        seed = seed * 1103515245u + 12345u;
        size[k] = (size_t)(((seed >> 8) % 256) + 1) * 4096;
        slot[k] = map(size[k]);
        if (!slot[k]) {
            failed_maps++;
            break;
        }
        nonzero += slot[k][0] != 0 || slot[k][size[k] - 1] != 0;
        slot[k][0] = slot[k][size[k] - 1] = 1;
    }
    for (int k = 0; k < 16; k++)
        if (slot[k]) sys_munmap(slot[k], size[k]);
    show("mixed_failed_maps", failed_maps);
    show("mixed_nonzero_reads", nonzero);
    /* At most 16 MiB live at once; first fit with coalescing stays within
     * a small multiple of that, as Linux's allocator does. */
    show("mixed_span_bounded", hi - lo <= (unsigned long long)(4 * LIMIT));
    show("mixed_mem_bounded", mem_bytes() - mem2 <= 4 * LIMIT);
    err_num("mixed_span_kib=", (i64)((hi - lo) / 1024));
    err_num("mixed_mem_growth_kib=", (mem_bytes() - mem2) / 1024);
    return 0;
}
