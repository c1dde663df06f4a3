/* File mappings: MAP_PRIVATE and MAP_SHARED contents, write-through with
 * msync and munmap, offsets, mremap of a file mapping, shared anonymous
 * memory, zero-filled memory after munmap, and the kernel's error codes
 * (EACCES, ENODEV, EBADF, EINVAL). Runs in a fresh empty directory. */
#include "walitest.h"

#define EBADF 9
#define EACCES 13
#define ENODEV 19
#define EINVAL 22

#define PROT_READ 1
#define PROT_WRITE 2
#define MAP_SHARED 1
#define MAP_PRIVATE 2
#define MAP_ANONYMOUS 0x20
#define MREMAP_MAYMOVE 1
#define MS_SYNC 4
#define MADV_DONTNEED 4
#define PG 4096
#define RW (PROT_READ | PROT_WRITE)

static int is_err(long long r) { return r < 0 && r > -4096; }

static unsigned char pattern(size_t i) { return (unsigned char)('a' + i % 23); }

static int is_pattern(const unsigned char *p, size_t from, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (p[i] != pattern(from + i)) return 0;
    return 1;
}

static int zero(const unsigned char *p, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (p[i]) return 0;
    return 1;
}

/* Reads `n` bytes of the file at `off` through read(2). */
static int file_has(int fd, long long off, const char *s, size_t n) {
    char buf[64];
    sys_lseek(fd, off, SEEK_SET);
    if (sys_read(fd, buf, n) != (long long)n) return 0;
    return t_memcmp(buf, s, n) == 0;
}

static unsigned char *ptr(long long r) { return (unsigned char *)(size_t)r; }

int test_main(int argc, char **argv, char **envp) {
    (void)argc, (void)argv, (void)envp;
#ifdef __wasm__
    CHECK(__builtin_wasm_memory_size(0) > 0); /* see mm_basic.c */
#endif
    static unsigned char buf[3 * PG];
    for (size_t i = 0; i < sizeof buf; i++) buf[i] = pattern(i);
    int fd = (int)sys_open("data.bin", O_CREAT | O_RDWR | O_TRUNC, 0644);
    CHECK(fd >= 0);
    show("write", sys_write(fd, buf, sizeof buf));

    /* MAP_PRIVATE: sees the file; writes stay private. */
    long long r = sys_mmap(NULL, 3 * PG, RW, MAP_PRIVATE, fd, 0);
    CHECK(!is_err(r));
    unsigned char *p = ptr(r);
    show("private_sees_file", is_pattern(p, 0, 3 * PG));
    p[10] = 'X';
    show("private_write_visible", p[10] == 'X');
    show("private_write_not_in_file", file_has(fd, 10, "k", 1));
    show("munmap_private", sys_munmap(p, 3 * PG));

    /* An offset: the second page. */
    r = sys_mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, PG);
    CHECK(!is_err(r));
    show("offset_sees_page", is_pattern(ptr(r), PG, PG));
    sys_munmap(ptr(r), PG);

    /* MAP_SHARED: writes reach the file (msync, then munmap). */
    r = sys_mmap(NULL, 2 * PG, RW, MAP_SHARED, fd, 0);
    CHECK(!is_err(r));
    p = ptr(r);
    show("shared_sees_file", is_pattern(p, 0, 2 * PG));
    p[0] = 'S';
    p[1] = 'H';
    show("msync", sys_msync(p, 2 * PG, MS_SYNC));
    show("shared_write_in_file", file_has(fd, 0, "SH", 2));
    p[PG + 5] = 'Z';
    show("munmap_shared", sys_munmap(p, 2 * PG));
    show("shared_write_after_munmap", file_has(fd, PG + 5, "Z", 1));
    /* The file's later writes are seen by a shared mapping. */
    r = sys_mmap(NULL, PG, PROT_READ, MAP_SHARED, fd, 0);
    CHECK(!is_err(r));
    sys_lseek(fd, 100, SEEK_SET);
    sys_write(fd, "WXYZ", 4);
    show("shared_sees_later_write", t_memcmp(ptr(r) + 100, "WXYZ", 4) == 0);
    /* write(2) from a mapping. */
    int out_fd = (int)sys_open("copy.bin", O_CREAT | O_RDWR | O_TRUNC, 0644);
    show("write_from_mapping", sys_write(out_fd, ptr(r), 2));
    show("copied", file_has(out_fd, 0, "SH", 2));
    sys_close(out_fd);
    sys_munmap(ptr(r), PG);

    /* A file mapping unmapped, then anonymous memory: zero. */
    r = sys_mmap(NULL, 2 * PG, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(!is_err(r));
    show("anon_after_file_zero", zero(ptr(r), 2 * PG));
    sys_munmap(ptr(r), 2 * PG);

    /* mremap of a shared file mapping: the grown part shows the file. */
    r = sys_mmap(NULL, PG, RW, MAP_SHARED, fd, 0);
    CHECK(!is_err(r));
    long long g = sys_mremap(ptr(r), PG, 3 * PG, MREMAP_MAYMOVE, NULL);
    CHECK(!is_err(g));
    p = ptr(g);
    show("mremap_file_head", p[0] == 'S' && p[1] == 'H');
    show("mremap_file_tail", is_pattern(p + 2 * PG, 2 * PG, PG));
    p[2 * PG] = 'T';
    sys_munmap(p, 3 * PG);
    show("mremap_file_write", file_has(fd, 2 * PG, "T", 1));

    /* MADV_DONTNEED on a private file mapping: back to the file's data. */
    r = sys_mmap(NULL, PG, RW, MAP_PRIVATE, fd, PG);
    CHECK(!is_err(r));
    ptr(r)[0] = 0;
    show("dontneed_file", sys_madvise(ptr(r), PG, MADV_DONTNEED));
    show("dontneed_file_reread", ptr(r)[0] == pattern(PG));
    sys_munmap(ptr(r), PG);

    /* Shared anonymous memory: zero, writable. */
    r = sys_mmap(NULL, 2 * PG, RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    CHECK(!is_err(r));
    show("shared_anon_zero", zero(ptr(r), 2 * PG));
    ptr(r)[PG] = 7;
    show("shared_anon_rw", ptr(r)[PG] == 7);
    sys_munmap(ptr(r), 2 * PG);
    r = sys_mmap(NULL, 2 * PG, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    show("anon_after_shared_zero", zero(ptr(r), 2 * PG));
    sys_munmap(ptr(r), 2 * PG);

    /* Read-only descriptor. */
    int ro = (int)sys_open("data.bin", O_RDONLY, 0);
    show("ro_shared_write", sys_mmap(NULL, PG, RW, MAP_SHARED, ro, 0));
    r = sys_mmap(NULL, PG, PROT_READ, MAP_SHARED, ro, 0);
    show("ro_shared_read_ok", !is_err(r));
    show("ro_shared_sees_file", ptr(r)[0] == 'S');
    show("ro_mprotect_write", sys_mprotect(ptr(r), PG, RW));
    show("ro_mprotect_read", sys_mprotect(ptr(r), PG, PROT_READ));
    sys_munmap(ptr(r), PG);
    r = sys_mmap(NULL, PG, RW, MAP_PRIVATE, ro, 0);
    show("ro_private_write_ok", !is_err(r));
    ptr(r)[0] = 'P';
    show("ro_private_not_in_file", file_has(ro, 0, "S", 1));
    sys_munmap(ptr(r), PG);
    sys_close(ro);

    /* Errors the kernel decides. */
    int wo = (int)sys_open("data.bin", O_WRONLY, 0);
    show("wronly_private", sys_mmap(NULL, PG, PROT_READ, MAP_PRIVATE, wo, 0));
    show("wronly_shared", sys_mmap(NULL, PG, RW, MAP_SHARED, wo, 0));
    sys_close(wo);
    int dir = (int)sys_open(".", O_RDONLY | O_DIRECTORY, 0);
    show("dir_map", sys_mmap(NULL, PG, PROT_READ, MAP_PRIVATE, dir, 0));
    sys_close(dir);
    show("closed_fd", sys_mmap(NULL, PG, PROT_READ, MAP_PRIVATE, 77, 0));
    show("file_bad_off", sys_mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, 1));
    show("file_len0", sys_mmap(NULL, 0, PROT_READ, MAP_PRIVATE, fd, 0));
    show("file_no_type", sys_mmap(NULL, PG, PROT_READ, 0, fd, 0));
    sys_close(fd);
    return 0;
}
