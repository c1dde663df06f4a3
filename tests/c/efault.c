/* Bad guest pointers: every pointer argument of the first calls answers
 * -EFAULT (14) as Linux does, never a crash. BAD_PTR is beyond linear memory for WALI and
 * an unmapped address natively. `edge` is the end of accessible memory: the
 * end of linear memory for WALI, a page followed by a PROT_NONE page
 * natively, so ranges and strings that run off the end are tested too. */
#include "walitest.h"

static char *accessible_end(void) {
#ifdef __wasm__
    return (char *)(__builtin_wasm_memory_size(0) * 65536ul);
#else
    /* mmap two pages, make the second inaccessible. */
    long long p = sys_mmap(0, 8192, 3 /* RW */, 0x22 /* PRIVATE|ANON */, -1, 0);
    if (p < 0) t_exit(50);
    sys_mprotect((void *)(long)(p + 4096), 4096, 0);
    return (char *)(long)(p + 4096);
#endif
}

int test_main(int argc, char **argv, char **envp) {
    (void)argc, (void)argv, (void)envp;
    char buf[64];
    struct t_stat st;
    char *end = accessible_end();

    long long fd = sys_open("f", O_CREAT | O_RDWR, 0600);
    sys_write((int)fd, "0123456789abcdef", 16);
    sys_lseek((int)fd, 0, SEEK_SET);
    /* Linux faults when it copies: with data to copy, a bad buffer is EFAULT. */
    show("read_bad", sys_read((int)fd, BAD_PTR, 10));
    show("write_bad", sys_write(1, BAD_PTR, 10));
    show("open_bad", sys_open(BAD_PTR, O_RDONLY, 0));
    show("open_null", sys_open(NULL, O_RDONLY, 0));
    show("openat_bad", sys_openat(AT_FDCWD, BAD_PTR, O_RDONLY, 0));
    show("fstat_bad", sys_fstat(0, BAD_PTR));
    show("fstat_null", sys_fstat(0, NULL));
    show("stat_bad_path", sys_newfstatat(AT_FDCWD, BAD_PTR, &st, 0));
    show("stat_bad_buf", sys_newfstatat(AT_FDCWD, ".", BAD_PTR, 0));

    /* A stat buffer that runs off the end of memory. */
    show("stat_straddle", sys_newfstatat(AT_FDCWD, ".", end - 100, 0));
    /* A path with no NUL before the end of memory. */
    for (int i = 1; i <= 16; i++) end[-i] = 'a';
    show("open_unterminated", sys_open(end - 16, O_RDONLY, 0));
    /* The same path, terminated one byte before the end: a real lookup. */
    end[-1] = 0;
    show("open_terminated", sys_open(end - 16, O_RDONLY, 0));
    /* Transfers whose buffer starts inside and ends outside memory: Linux
     * moves the accessible part and returns its length. */
    sys_lseek((int)fd, 0, SEEK_SET);
    show("read_straddle", sys_read((int)fd, end - 8, 64));
    show("write_straddle", sys_write((int)fd, end - 8, 64));
    show("read_straddle_eof", sys_read((int)fd, end - 8, 64));
    /* The last bytes of memory are usable. */
    show("write_last_bytes", sys_write((int)fd, end - 8, 8));
    sys_lseek((int)fd, 0, SEEK_SET);
    show("read_last_bytes", sys_read((int)fd, end - 8, 8));
    sys_close((int)fd);
    /* Zero-length transfers do not look at the pointer. */
    show("write_zero_bad", sys_write(1, BAD_PTR, 0));
    show("read_zero_bad", sys_read(0, BAD_PTR, 0));
    (void)buf;
    return 0;
}
