/* The linear-memory reservation stays whole (engine only). WAMR reserves
 * 8 GiB of host address space for linear memory; a hole in it would let the
 * host place its own mappings (a thread stack) where the guest reads and
 * writes. The guest finds its memory's host base through a file mapping it
 * makes (its line in /proc/self/maps), then checks after each mapping call
 * that every byte of the reservation is still mapped, also after lowering
 * its own RLIMIT_AS below what the process uses so that new host mappings
 * fail. argv[1]:
 *   seq    mapping calls, each followed by the coverage check
 *   fatal  munmap of a file mapping while no host mapping can be made: the
 *          engine must end the process with its message (or, if the engine
 *          refuses the lowered limit, succeed) */
#include "walitest.h"

#define PROT_RW 3
#define MAP_SHARED 1
#define MAP_PRIVATE 2
#define MAP_FIXED 0x10
#define MAP_ANON 0x20
#define MREMAP_MAYMOVE 1
#define MREMAP_FIXED 2
#define PG 4096
#define RLIMIT_AS 9
#define RES (8ULL << 30)

typedef unsigned long long u64;
#include "reservation.h"

static int ends_with(const char *s, size_t n, const char *suf) {
    size_t k = t_strlen(suf);
    return n >= k && !t_memcmp(s + n - k, suf, k);
}

/* The host start of the mapping of a file named `name`. */
static u64 host_start_of(const char *name) {
    if (slurp("/proc/self/maps") <= 0) return 0;
    const char *line = text;
    while (*line) {
        const char *e = line;
        while (*e && *e != '\n') e++;
        if (ends_with(line, e - line, name)) {
            const char *p = line;
            return hex(&p);
        }
        line = *e ? e + 1 : e;
    }
    return 0;
}

static int file_fd(const char *name, int pages) {
    int fd = (int)sys_open(name, O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) t_exit(3);
    if (sys_ftruncate(fd, (long long)pages * PG) != 0) t_exit(4);
    return fd;
}

static int mapped(long long r) { return r > 0 || r < -4095; }
static char *ptr(long long r) { return (char *)(long)r; }

static void find_base(void) {
    int fd = file_fd("wali_marker", 1);
    long long g = sys_mmap(0, PG, PROT_RW, MAP_SHARED, fd, 0);
    sys_close(fd);
    if (!mapped(g)) t_exit(5);
    u64 h = host_start_of("/wali_marker");
    base = h ? h - (u64)(unsigned long)g : 0;
    show("found_base", base != 0);
    sys_munmap(ptr(g), PG);
}

struct rl { u64 cur, max; };

static void seq(void) {
    find_base();
    show("covered_start", covered());
    int fd = file_fd("f", 16);
    /* A file mapping, a page of it unmapped. */
    long long a = sys_mmap(0, 4 * PG, PROT_RW, MAP_SHARED, fd, 0);
    show("mmap_file", mapped(a));
    show("munmap_middle", sys_munmap(ptr(a) + PG, PG));
    show("covered_munmap", covered());
    /* Moved to a fixed address over an anonymous mapping. */
    long long n = sys_mmap(0, 2 * PG, PROT_RW, MAP_PRIVATE | MAP_ANON, -1, 0);
    long long m = sys_mremap(ptr(a), PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, ptr(n));
    show("mremap_fixed", m == n);
    show("covered_mremap_fixed", covered());
    /* Grown by moving. */
    ptr(m)[0] = 'x';
    long long g = sys_mremap(ptr(m), 2 * PG, 5 * PG, MREMAP_MAYMOVE, 0);
    show("mremap_grow", mapped(g) && ptr(g)[0] == 'x');
    show("covered_mremap_grow", covered());
    /* A private file mapping with a written page, moved and grown. */
    long long pv = sys_mmap(0, 2 * PG, PROT_RW, MAP_PRIVATE, fd, 0);
    ptr(pv)[5] = 'p';
    long long n2 = sys_mmap(0, 3 * PG, PROT_RW, MAP_PRIVATE | MAP_ANON, -1, 0);
    long long pm = sys_mremap(ptr(pv), 2 * PG, 3 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, ptr(n2));
    show("mremap_private", pm == n2 && ptr(pm)[5] == 'p');
    show("covered_mremap_private", covered());
    /* Shared anonymous memory. */
    long long sa = sys_mmap(0, 2 * PG, PROT_RW, MAP_SHARED | MAP_ANON, -1, 0);
    ptr(sa)[0] = 1;
    show("munmap_shared_anon", sys_munmap(ptr(sa), 2 * PG));
    show("covered_shared_anon", covered());
    /* brk up and down, madvise, mprotect. */
    long long b = sys_brk(0);
    sys_brk(ptr(b) + 3 * PG);
    sys_brk(ptr(b));
    show("madvise", sys_madvise(ptr(g), 5 * PG, 4 /* MADV_DONTNEED */));
    show("mprotect", sys_mprotect(ptr(g), PG, 1));
    show("covered_brk_madvise", covered());
    /* MAP_FIXED over a file mapping, then unmapped. */
    long long fx = sys_mmap(ptr(g), 2 * PG, PROT_RW, MAP_SHARED | MAP_FIXED, fd, 0);
    show("mmap_fixed_file", fx == g);
    show("munmap_file", sys_munmap(ptr(g), 5 * PG));
    show("covered_fixed", covered());

    /* Below what the process uses: every new host mapping fails. */
    long long f2 = sys_mmap(0, 16 * PG, PROT_RW, MAP_SHARED, fd, 0);
    long long n3 = sys_mmap(0, 16 * PG, PROT_RW, MAP_PRIVATE | MAP_ANON, -1, 0);
    struct rl old, tight;
    sys_getrlimit(RLIMIT_AS, &old);
    tight.cur = vm_size() - (64ULL << 20), tight.max = old.max;
    long long sr = sys_setrlimit(RLIMIT_AS, &tight);
    long long r1 = sys_mremap(ptr(f2), 16 * PG, 16 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, ptr(n3));
    long long r2 = sys_mmap(0, 16 * PG, PROT_RW, MAP_SHARED, fd, 0);
    long long r3 = sys_mmap(0, 16 * PG, PROT_RW, MAP_SHARED | MAP_ANON, -1, 0);
    long long back = sys_setrlimit(RLIMIT_AS, &old);
    /* Refused (ENOMEM), or done if the engine kept the limit. */
    /* The engine keeps RLIMIT_AS virtual (the host limit is not lowered), so
     * the calls may succeed; either way the reservation must stay covered. */
    show("tight_limit_taken", sr == 0);
    show("tight_mremap", r1 == -12 || r1 == n3);
    show("tight_mmap_file", r2 == -12 || mapped(r2));
    show("tight_mmap_shared", r3 == -12 || mapped(r3));
    show("limit_restored", back == 0);
    show("covered_tight", covered());
    sys_close(fd);
}

static void fatal(void) {
    find_base();
    int fd = file_fd("f", 16);
    long long a = sys_mmap(0, 16 * PG, PROT_RW, MAP_SHARED, fd, 0);
    struct rl old, tight;
    sys_getrlimit(RLIMIT_AS, &old);
    tight.cur = vm_size() - (64ULL << 20), tight.max = old.max;
    long long sr = sys_setrlimit(RLIMIT_AS, &tight);
    show("setrlimit_refused", sr != 0);
    long long r = sys_munmap(ptr(a), 16 * PG);
    sys_setrlimit(RLIMIT_AS, &old);
    show("munmap", r);
    show("covered", covered());
}

int test_main(int argc, char **argv, char **envp) {
    (void)envp;
    if (argc < 2) return 2;
    if (!t_strcmp(argv[1], "seq")) seq();
    else if (!t_strcmp(argv[1], "fatal")) fatal();
    else return 2;
    return 0;
}
