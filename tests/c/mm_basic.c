/* Anonymous memory: brk, mmap, munmap, mremap, mprotect, msync, madvise,
 * mlock-family; contents, zero fill, MAP_FIXED semantics and error codes,
 * compared with Linux. */
#include "walitest.h"

#define EBADF 9
#define ENOMEM 12
#define EFAULT 14
#define EEXIST 17
#define EINVAL 22

#define PROT_NONE 0
#define PROT_READ 1
#define PROT_WRITE 2
#define PROT_EXEC 4
#define MAP_SHARED 1
#define MAP_PRIVATE 2
#define MAP_FIXED 0x10
#define MAP_ANONYMOUS 0x20
#define MAP_FIXED_NOREPLACE 0x100000
#define MREMAP_MAYMOVE 1
#define MREMAP_FIXED 2
#define MS_ASYNC 1
#define MS_SYNC 4
#define MADV_NORMAL 0
#define MADV_WILLNEED 3
#define MADV_DONTNEED 4
#define PG 4096

#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)
#define RW (PROT_READ | PROT_WRITE)

static int is_err(long long r) { return r < 0 && r > -4096; }

static void fill(unsigned char *p, size_t n, unsigned char seed) {
    for (size_t i = 0; i < n; i++) p[i] = (unsigned char)(seed + i * 7);
}

static int same(const unsigned char *p, size_t n, unsigned char seed) {
    for (size_t i = 0; i < n; i++)
        if (p[i] != (unsigned char)(seed + i * 7)) return 0;
    return 1;
}

static int zero(const unsigned char *p, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (p[i]) return 0;
    return 1;
}

static unsigned char *map(size_t len) {
    long long r = sys_mmap(NULL, (int)len, RW, ANON, -1, 0);
    CHECK(!is_err(r));
    return (unsigned char *)(size_t)r;
}

static void test_brk(void) {
    /* Before any mapping, so the pages above the break are free. */
    long long cur = sys_brk(0);
    CHECK(cur > 0);
    show("brk_zero_again", sys_brk(0) == cur);
    show("brk_below_start", sys_brk((void *)16) == cur);
    long long top = cur + 3 * PG;
    show("brk_grow", sys_brk((void *)(size_t)top) == top);
    unsigned char *p = (unsigned char *)(size_t)cur;
    show("brk_new_zero", zero(p, 3 * PG));
    fill(p, 3 * PG, 5);
    show("brk_write_read", same(p, 3 * PG, 5));
    show("brk_unaligned", sys_brk((void *)(size_t)(cur + PG + 123)) == cur + PG + 123);
    show("brk_shrink", sys_brk((void *)(size_t)cur) == cur);
    show("brk_regrow", sys_brk((void *)(size_t)top) == top);
    /* The page above the kept break reads as zero after shrink + regrow;
     * so does everything from the first page boundary above it. */
    show("brk_regrow_zero", zero(p, 3 * PG));
    show("brk_back", sys_brk((void *)(size_t)cur) == cur);
}

static void test_mmap(void) {
    unsigned char *a = map(3 * PG);
    show("anon_zero", zero(a, 3 * PG));
    fill(a, 3 * PG, 1);
    show("anon_rw", same(a, 3 * PG, 1));
    show("anon_aligned", ((size_t)a % PG) == 0);

    /* An odd length covers whole pages. */
    unsigned char *b = map(100);
    show("odd_len_zero", zero(b, PG));
    fill(b, PG, 2);
    show("odd_len_page_rw", same(b, PG, 2));
    show("munmap_odd", sys_munmap(b, 100));

    /* PROT_EXEC is accepted; PROT_NONE too. */
    long long x = sys_mmap(NULL, PG, RW | PROT_EXEC, ANON, -1, 0);
    show("prot_exec_ok", !is_err(x));
    if (!is_err(x)) sys_munmap((void *)(size_t)x, PG);
    x = sys_mmap(NULL, PG, PROT_NONE, ANON, -1, 0);
    show("prot_none_ok", !is_err(x));
    if (!is_err(x)) sys_munmap((void *)(size_t)x, PG);
    /* The fd of an anonymous mapping is ignored. */
    x = sys_mmap(NULL, PG, RW, ANON, 12345, 0);
    show("anon_fd_ignored", !is_err(x));
    if (!is_err(x)) sys_munmap((void *)(size_t)x, PG);

    /* MAP_FIXED inside our own mapping replaces one page with zeroes. */
    long long f = sys_mmap(a + PG, PG, RW, ANON | MAP_FIXED, -1, 0);
    show("fixed_same_addr", f == (long long)(size_t)(a + PG));
    show("fixed_zeroed", zero(a + PG, PG));
    show("fixed_neighbours_kept", same(a, PG, 1) && same(a + 2 * PG, PG, (unsigned char)(1 + 2 * PG * 7)));
    show("noreplace_busy", sys_mmap(a, PG, RW, ANON | MAP_FIXED_NOREPLACE, -1, 0));

    /* munmap of the middle page leaves a hole: unmapped for the others. */
    show("munmap_middle", sys_munmap(a + PG, PG));
    show("mprotect_hole", sys_mprotect(a + PG, PG, PROT_READ));
    show("madvise_hole", sys_madvise(a + PG, PG, MADV_NORMAL));
    show("msync_hole", sys_msync(a + PG, PG, MS_ASYNC));
    show("mremap_hole", sys_mremap(a + PG, PG, 2 * PG, MREMAP_MAYMOVE, NULL));
    show("munmap_hole_again", sys_munmap(a + PG, PG));
    /* NOREPLACE into the hole works and is zero. */
    f = sys_mmap(a + PG, PG, RW, ANON | MAP_FIXED_NOREPLACE, -1, 0);
    show("noreplace_hole", f == (long long)(size_t)(a + PG));
    show("noreplace_zero", zero(a + PG, PG));

    /* mprotect on mapped pages; PROT_EXEC accepted. */
    show("mprotect_ro", sys_mprotect(a, 3 * PG, PROT_READ));
    show("mprotect_rw", sys_mprotect(a, 3 * PG, RW | PROT_EXEC));
    show("mprotect_len0", sys_mprotect(a, 0, PROT_READ));
    show("mprotect_unaligned", sys_mprotect(a + 1, PG, PROT_READ));
    show("mprotect_bad_prot", sys_mprotect(a, PG, 0x1000));
    fill(a, 3 * PG, 9);
    show("after_mprotect_rw", same(a, 3 * PG, 9));

    /* madvise(MADV_DONTNEED) zero-fills private anonymous memory. */
    show("madvise_willneed", sys_madvise(a, 3 * PG, MADV_WILLNEED));
    show("madvise_dontneed", sys_madvise(a + PG, PG, MADV_DONTNEED));
    show("dontneed_zero", zero(a + PG, PG));
    show("dontneed_kept", same(a, PG, 9));
    show("madvise_bad_advice", sys_madvise(a, PG, 12345));
    show("madvise_unaligned", sys_madvise(a + 1, PG, MADV_NORMAL));
    show("madvise_len0", sys_madvise(a, 0, MADV_NORMAL));

    /* msync of anonymous memory succeeds; bad flags do not. */
    show("msync_sync", sys_msync(a, 3 * PG, MS_SYNC));
    show("msync_both", sys_msync(a, PG, MS_SYNC | MS_ASYNC));
    show("msync_bad_flags", sys_msync(a, PG, 0x100));
    show("msync_unaligned", sys_msync(a + 1, PG, MS_SYNC));

    /* mremap: shrink in place, grow by moving, contents kept. */
    fill(a, 3 * PG, 3);
    show("mremap_shrink", sys_mremap(a, 3 * PG, 2 * PG, 0, NULL) == (long long)(size_t)a);
    show("shrunk_tail_unmapped", sys_mprotect(a + 2 * PG, PG, PROT_READ));
    show("shrunk_kept", same(a, 2 * PG, 3));
    /* Without MAYMOVE a prefix of a mapping cannot grow into its own
     * next page. */
    show("mremap_no_room", sys_mremap(a, PG, 2 * PG, 0, NULL));
    long long g = sys_mremap(a, 2 * PG, 16 * PG, MREMAP_MAYMOVE, NULL);
    CHECK(!is_err(g));
    unsigned char *gp = (unsigned char *)(size_t)g;
    show("mremap_grow_kept", same(gp, 2 * PG, 3));
    show("mremap_grow_tail_zero", zero(gp + 2 * PG, 14 * PG));
    fill(gp, 16 * PG, 4);
    show("mremap_grown_rw", same(gp, 16 * PG, 4));

    /* MREMAP_FIXED onto another mapping of ours: it replaces it. */
    unsigned char *dst = map(4 * PG);
    fill(dst, 4 * PG, 6);
    long long m = sys_mremap(gp, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, dst + PG);
    show("mremap_fixed", m == (long long)(size_t)(dst + PG));
    show("mremap_fixed_moved", same(dst + PG, 2 * PG, 4));
    show("mremap_fixed_dst_rest", same(dst, PG, 6));
    show("mremap_fixed_src_gone", sys_mprotect(gp, PG, PROT_READ));
    show("mremap_fixed_src_rest", same(gp + 2 * PG, 14 * PG, (unsigned char)(4 + 2 * PG * 7)));

    /* mremap errors. */
    show("mremap_bad_flags", sys_mremap(dst, PG, PG, 0x80, NULL));
    show("mremap_fixed_no_maymove", sys_mremap(dst, PG, PG, MREMAP_FIXED, gp));
    show("mremap_unaligned", sys_mremap(dst + 1, PG, PG, 0, NULL));
    show("mremap_new_zero", sys_mremap(dst, PG, 0, 0, NULL));
    show("mremap_overlap", sys_mremap(dst, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, dst + PG));
    /* The old range must lie inside one mapping. */
    unsigned char *h = map(3 * PG);
    sys_munmap(h + 2 * PG, PG);
    show("mremap_past_end", sys_mremap(h, 3 * PG, 4 * PG, MREMAP_MAYMOVE, NULL));
    sys_munmap(h, 2 * PG);

    /* mmap errors. */
    show("mmap_len0", sys_mmap(NULL, 0, RW, ANON, -1, 0));
    show("mmap_no_type", sys_mmap(NULL, PG, RW, MAP_ANONYMOUS, -1, 0));
    show("mmap_bad_off", sys_mmap(NULL, PG, RW, ANON, -1, 100));
    show("mmap_file_badfd", sys_mmap(NULL, PG, PROT_READ, MAP_PRIVATE, -1, 0));
    show("mmap_file_badfd2", sys_mmap(NULL, PG, PROT_READ, MAP_SHARED, 999, 0));
    show("mmap_fixed_unaligned", sys_mmap(dst + 1, PG, RW, ANON | MAP_FIXED, -1, 0));
    show("mmap_noreplace_unaligned", sys_mmap(dst + 1, PG, RW, ANON | MAP_FIXED_NOREPLACE, -1, 0));

    /* munmap errors and no-ops. */
    show("munmap_unaligned", sys_munmap(dst + 1, PG));
    show("munmap_len0", sys_munmap(dst, 0));
    show("munmap_dst", sys_munmap(dst, 4 * PG));
    show("munmap_unmapped", sys_munmap(dst, 4 * PG));
    show("munmap_grown", sys_munmap(gp, 16 * PG));
    show("munmap_a", sys_munmap(a, 3 * PG));

    /* Unmapped then mapped again: zero. */
    unsigned char *r = map(4 * PG);
    show("remap_zero", zero(r, 4 * PG));
    fill(r, 4 * PG, 8);
    sys_munmap(r, 4 * PG);
    r = map(4 * PG);
    show("remap_zero_again", zero(r, 4 * PG));
    sys_munmap(r, 4 * PG);
}

/* Addresses that are not the guest's: BAD_PTR (beyond linear memory for
 * WALI, unmapped natively; not page-aligned) and a page-aligned one. */
#ifdef __wasm__
#define UNMAPPED_PAGE ((void *)0xfffff000u)
#else
#define UNMAPPED_PAGE ((void *)4096)
#endif

static void test_bad_addresses(void) {
    show("munmap_bad", sys_munmap(BAD_PTR, PG));
    show("mprotect_bad", sys_mprotect(BAD_PTR, PG, PROT_READ));
    show("madvise_bad", sys_madvise(BAD_PTR, PG, MADV_NORMAL));
    show("msync_bad", sys_msync(BAD_PTR, PG, MS_SYNC));
    show("mremap_bad", sys_mremap(BAD_PTR, PG, PG, 0, NULL));
    show("mremap_bad_new", sys_mremap(UNMAPPED_PAGE, PG, PG, MREMAP_MAYMOVE | MREMAP_FIXED, BAD_PTR));
    show("munmap_unmapped_page", sys_munmap(UNMAPPED_PAGE, PG));
    show("mprotect_unmapped_page", sys_mprotect(UNMAPPED_PAGE, PG, PROT_READ));
    show("madvise_unmapped_page", sys_madvise(UNMAPPED_PAGE, PG, MADV_NORMAL));
    show("msync_unmapped_page", sys_msync(UNMAPPED_PAGE, PG, MS_SYNC));
    show("mremap_unmapped_page", sys_mremap(UNMAPPED_PAGE, PG, 2 * PG, MREMAP_MAYMOVE, NULL));
    /* A hint is only a hint. */
    long long r = sys_mmap(BAD_PTR, PG, RW, ANON, -1, 0);
    show("mmap_bad_hint", !is_err(r));
    if (!is_err(r)) sys_munmap((void *)(size_t)r, PG);
}

int test_main(int argc, char **argv, char **envp) {
    (void)argc, (void)argv, (void)envp;
#ifdef __wasm__
    /* WAMR fixes the memory of a module without memory.size/memory.grow
     * at its initial size; real WALI binaries use memory.size. */
    CHECK(__builtin_wasm_memory_size(0) > 0);
#endif
    test_brk();
    test_mmap();
    test_bad_addresses();
    return 0;
}
