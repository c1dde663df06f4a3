/* Vectored and positioned I/O: readv, writev, pread64, pwrite64, preadv,
 * pwritev, preadv2, pwritev2. The wasm32 struct iovec (8 bytes) is
 * translated by the engine. Runs in a fresh empty directory. */
#include "walitest.h"

#define RWF_APPEND 0x10

#ifdef __wasm__
WALI_IMPORT("SYS_preadv") long long x_preadv(int, const void *, int, long long);
WALI_IMPORT("SYS_pwritev") long long x_pwritev(int, const void *, int, long long);
WALI_IMPORT("SYS_preadv2") long long x_preadv2(int, const void *, int, long long, int);
WALI_IMPORT("SYS_pwritev2") long long x_pwritev2(int, const void *, int, long long, int);
#else
/* The kernel takes the offset as (low, high) longs. */
static long long x_preadv(int a, const void *b, int c, long long d) {
    return walit_ret(syscall(SYS_preadv, a, b, c, d, 0));
}
static long long x_pwritev(int a, const void *b, int c, long long d) {
    return walit_ret(syscall(SYS_pwritev, a, b, c, d, 0));
}
static long long x_preadv2(int a, const void *b, int c, long long d, int e) {
    return walit_ret(syscall(SYS_preadv2, a, b, c, d, 0, e));
}
static long long x_pwritev2(int a, const void *b, int c, long long d, int e) {
    return walit_ret(syscall(SYS_pwritev2, a, b, c, d, 0, e));
}
#endif

struct t_iovec {
    void *base;
    size_t len;
};

static void show_buf(const char *label, const char *b, long long n) {
    out(label);
    out("=[");
    out_n(b, n > 0 ? (size_t)n : 0);
    out("]\n");
}

int test_main(int argc, char **argv, char **envp) {
    (void)argc, (void)argv, (void)envp;
    char a[8], b[8], c[32];
    int p[2];
    long long fd = sys_open("v", O_CREAT | O_RDWR | O_TRUNC, 0644);
    CHECK(fd >= 0);

    /* writev / readv */
    struct t_iovec w[3] = {{"Hello", 5}, {", ", 2}, {"vectors!", 8}};
    show("writev", sys_writev((int)fd, w, 3));
    sys_lseek((int)fd, 0, SEEK_SET);
    struct t_iovec r[3] = {{a, 4}, {b, 0}, {c, sizeof c}};
    show("readv", sys_readv((int)fd, r, 3));
    show_buf("readv_a", a, 4);
    show_buf("readv_c", c, 11);
    show("writev_zero_count", sys_writev((int)fd, w, 0));
    show("writev_efault_array", sys_writev((int)fd, BAD_PTR, 1));
    struct t_iovec badbase[2] = {{"ok", 2}, {BAD_PTR, 4}};
    show("writev_efault_base", sys_writev((int)fd, badbase, 2));
    struct t_iovec nullzero[2] = {{"z", 1}, {NULL, 0}};
    show("writev_null_zero_len", sys_writev((int)fd, nullzero, 2));
    sys_lseek((int)fd, 0, SEEK_SET);
    show("readv_efault_base", sys_readv((int)fd, badbase + 1, 1));
    struct t_iovec okbad[2] = {{a, 2}, {BAD_PTR, 4}};
    show("readv_partial", sys_readv((int)fd, okbad, 2));
    show("readv_partial_pos", sys_lseek((int)fd, 0, SEEK_CUR));
    struct t_iovec nullbase[1] = {{NULL, 4}};
    show("readv_null_base", sys_readv((int)fd, nullbase, 1));
    sys_lseek((int)fd, 0, SEEK_END);
    show("writev_neg_count", sys_writev((int)fd, w, -1));
    show("writev_too_many", sys_writev((int)fd, w, 1025));
    show("readv_badfd", sys_readv(-1, r, 1));
    sys_pipe(p);
    show("writev_pipe", sys_writev(p[1], w, 3));
    show("readv_pipe", sys_readv(p[0], r, 3));

    /* pwrite64 / pread64 do not move the offset */
    long long pos = sys_lseek((int)fd, 0, SEEK_CUR);
    show("pwrite64", sys_pwrite64((int)fd, "XY", 2, 3));
    show("pread64", sys_pread64((int)fd, c, 6, 1));
    show_buf("pread64_buf", c, 6);
    show("offset_kept", sys_lseek((int)fd, 0, SEEK_CUR) == pos);
    show("pread64_eof", sys_pread64((int)fd, c, 6, 1000));
    show("pread64_neg", sys_pread64((int)fd, c, 6, -1));
    show("pread64_pipe", sys_pread64(p[0], c, 1, 0));
    show("pwrite64_badfd", sys_pwrite64(-1, "x", 1, 0));
    show("pread64_efault", sys_pread64((int)fd, BAD_PTR, 4, 0));
    show("pwrite64_efault", sys_pwrite64((int)fd, BAD_PTR, 4, 0));
    show("pwrite64_hole", sys_pwrite64((int)fd, "T", 1, 40));
    struct t_stat st;
    show("size_after_hole", (sys_fstat((int)fd, &st), st.st_size));

    /* preadv / pwritev */
    struct t_iovec pw[2] = {{"ab", 2}, {"cd", 2}};
    show("pwritev", x_pwritev((int)fd, pw, 2, 20));
    struct t_iovec pr[2] = {{a, 3}, {b, 3}};
    show("preadv", x_preadv((int)fd, pr, 2, 19));
    show_buf("preadv_a", a, 3);
    show_buf("preadv_b", b, 3);
    show("preadv_offset_kept", sys_lseek((int)fd, 0, SEEK_CUR) == pos);
    show("preadv_neg", x_preadv((int)fd, pr, 2, -2));
    show("preadv_pipe", x_preadv(p[0], pr, 1, 0));
    show("preadv_efault", x_preadv((int)fd, BAD_PTR, 1, 0));
    show("pwritev_efault_base", x_pwritev((int)fd, badbase, 2, 0));
    show("preadv_big_offset", x_preadv((int)fd, pr, 2, 1ll << 40));

    /* preadv2 / pwritev2: offset -1 uses and moves the file position */
    sys_lseek((int)fd, 7, SEEK_SET);
    show("preadv2_cur", x_preadv2((int)fd, pr, 1, -1, 0));
    show_buf("preadv2_a", a, 3);
    show("preadv2_moved", sys_lseek((int)fd, 0, SEEK_CUR));
    show("preadv2_at", x_preadv2((int)fd, pr, 2, 0, 0));
    show_buf("preadv2_at_a", a, 3);
    show("pwritev2_append", x_pwritev2((int)fd, pw, 1, 0, RWF_APPEND));
    show("size_after_append", (sys_fstat((int)fd, &st), st.st_size));
    show("pwritev2_cur", x_pwritev2((int)fd, pw + 1, 1, -1, 0));
    show("pwritev2_moved", sys_lseek((int)fd, 0, SEEK_CUR));
    show("preadv2_bad_flags", x_preadv2((int)fd, pr, 1, 0, 0x40000000));
    show("pwritev2_efault", x_pwritev2((int)fd, BAD_PTR, 1, 0, 0));
    show("preadv2_badfd", x_preadv2(-1, pr, 1, 0, 0));
    sys_close((int)fd);
    return 0;
}
