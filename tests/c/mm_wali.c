/* WALI-only checks of where mappings go inside linear memory (run by
 * tests/mm.rs under the engine only, against expected output): placement
 * above the module, brk/mmap separation, address reuse, growth and its
 * bounds, MAP_FIXED limits, the recorded-only mprotect. */
#include "walitest.h"

#define ENOMEM 12
#define EEXIST 17
#define EINVAL 22
#define PROT_NONE 0
#define PROT_READ 1
#define PROT_WRITE 2
#define MAP_SHARED 1
#define MAP_PRIVATE 2
#define MAP_FIXED 0x10
#define MAP_ANONYMOUS 0x20
#define MAP_FIXED_NOREPLACE 0x100000
#define PG 4096
#define MIB (1024 * 1024)
#define RW (PROT_READ | PROT_WRITE)
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)

static unsigned long mem(void) { return __builtin_wasm_memory_size(0) * 65536UL; }

static int zero(const unsigned char *p, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (p[i]) return 0;
    return 1;
}

static long long anon(void *hint, size_t len, int flags) {
    return sys_mmap(hint, (int)len, RW, ANON | flags, -1, 0);
}

static unsigned char module_data[2 * PG] __attribute__((aligned(PG))) = {1, 2, 3};

int test_main(int argc, char **argv, char **envp) {
    (void)argc, (void)argv, (void)envp;
    unsigned long mem0 = mem();

    /* brk starts at the memory's size at the first call: above the module. */
    long long b0 = sys_brk(0);
    show("brk_at_start", b0 == (long long)mem0);
    show("brk_grow", sys_brk((void *)(size_t)(b0 + 2 * PG)) == b0 + 2 * PG);
    show("brk_grew_memory", mem() >= mem0 + 2 * PG);
    show("fixed_brk_area", anon((void *)(size_t)b0, PG, MAP_FIXED));

    /* The first mapping goes right above the break, never into it. */
    long long a = anon(NULL, MIB, 0);
    show("mmap_above_brk", a == b0 + 2 * PG);
    /* The break cannot grow into the mapping... */
    show("brk_blocked", sys_brk((void *)(size_t)(b0 + 4 * PG)) == b0 + 2 * PG);
    /* ...until it is unmapped. */
    sys_munmap((void *)(size_t)a, MIB);
    show("brk_unblocked", sys_brk((void *)(size_t)(b0 + 4 * PG)) == b0 + 4 * PG);
    show("brk_shrink", sys_brk((void *)(size_t)b0) == b0);

    /* Reuse: the freed range comes back, zeroed. */
    a = anon(NULL, MIB, 0);
    show("mmap_reuses_brk_pages", a == b0);
    ((unsigned char *)(size_t)a)[5] = 9;
    sys_munmap((void *)(size_t)a, MIB);
    long long a2 = anon(NULL, MIB, 0);
    show("reuse_same_address", a2 == a);
    show("reuse_zero", zero((unsigned char *)(size_t)a2, MIB));

    /* Coalescing: two neighbours freed make room for one larger mapping. */
    long long c = anon(NULL, MIB, 0);
    show("next_is_adjacent", c == a2 + MIB);
    sys_munmap((void *)(size_t)a2, MIB);
    sys_munmap((void *)(size_t)c, MIB);
    unsigned long before = mem();
    long long big = anon(NULL, 2 * MIB, 0);
    show("coalesced_reuse", big == a2);
    show("coalesced_no_growth", mem() == before);

    /* mremap grows in place when the pages above are free. */
    sys_munmap((void *)(size_t)big, 2 * MIB);
    long long m = anon(NULL, PG, 0);
    show("mremap_in_place", sys_mremap((void *)(size_t)m, PG, 8 * PG, 0, NULL) == m);
    sys_munmap((void *)(size_t)m, 8 * PG);

    /* A free hint is taken. */
    long long h = anon((void *)(size_t)(a2 + 64 * PG), PG, 0);
    show("hint_taken", h == a2 + 64 * PG);
    sys_munmap((void *)(size_t)h, PG);

    /* MAP_FIXED on the module's own memory is refused. */
    void *data = module_data;
    show("fixed_module_data", anon(data, PG, MAP_FIXED));
    show("noreplace_module_data", anon(data, PG, MAP_FIXED_NOREPLACE));
    /* munmap there leaves the module's data alone. */
    show("munmap_module_data", sys_munmap(data, PG));
    show("module_data_kept", module_data[0] == 1 && module_data[2] == 3);

    /* MAP_FIXED above the memory grows it. */
    unsigned long top = mem();
    long long f = anon((void *)(size_t)(top + MIB), PG, MAP_FIXED);
    show("fixed_above_top", f == (long long)(top + MIB));
    show("fixed_grew", mem() >= top + MIB + PG);
    show("fixed_zero", zero((unsigned char *)(size_t)f, PG));
    sys_munmap((void *)(size_t)f, PG);

    /* Past the maximum (2 GiB): ENOMEM, memory unchanged, no trap. */
    before = mem();
    show("too_big", anon(NULL, 0x7fff0000, 0));
    show("too_big_fixed", anon((void *)0x7ffff000, 2 * PG, MAP_FIXED));
    show("too_big_no_growth", mem() == before);
    /* A large one that fits, reused without growing again. */
    long long g = anon(NULL, 512 * MIB, 0);
    show("large_ok", g > 0);
    sys_munmap((void *)(size_t)g, 512 * MIB);
    before = mem();
    show("large_reused", anon(NULL, 512 * MIB, 0) == g);
    show("large_no_growth", mem() == before);
    sys_munmap((void *)(size_t)g, 512 * MIB);

    /* mprotect is recorded, not enforced: the memory stays usable. */
    long long p = anon(NULL, PG, 0);
    show("mprotect_none", sys_mprotect((void *)(size_t)p, PG, PROT_NONE));
    ((unsigned char *)(size_t)p)[0] = 42;
    show("still_writable", ((unsigned char *)(size_t)p)[0] == 42);
    sys_munmap((void *)(size_t)p, PG);

    /* A file mapping unmapped: anonymous zeroes at the same address. */
    int fd = (int)sys_open("f.bin", O_CREAT | O_RDWR | O_TRUNC, 0644);
    sys_write(fd, "hello", 5);
    long long fm = sys_mmap(NULL, PG, RW, MAP_SHARED, fd, 0);
    show("file_sees", ((char *)(size_t)fm)[0] == 'h');
    sys_munmap((void *)(size_t)fm, PG);
    long long z = anon(NULL, PG, 0);
    show("file_range_reused", z == fm);
    show("file_range_zero", zero((unsigned char *)(size_t)z, PG));
    sys_close(fd);
    return 0;
}
