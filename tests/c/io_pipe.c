/* Pipes and event counters: pipe, pipe2, eventfd, eventfd2, splice, tee. */
#include "walitest.h"

#define F_GETFD 1
#define F_GETFL 3
#define O_NONBLOCK 04000
#define EFD_SEMAPHORE 1
#define SPLICE_F_NONBLOCK 2

#ifdef __wasm__
WALI_IMPORT("SYS_splice") long long x_splice(int, void *, int, void *, int, int);
WALI_IMPORT("SYS_tee") long long x_tee(int, int, int, int);
#else
static long long x_splice(int a, void *b, int c, void *d, int e, int f) {
    return walit_ret(syscall(SYS_splice, a, b, c, d, (long)e, f));
}
static long long x_tee(int a, int b, int c, int d) { return walit_ret(syscall(SYS_tee, a, b, (long)c, d)); }
#endif

static void show_read(const char *label, int fd, int n) {
    char buf[64];
    long long r = sys_read(fd, buf, n);
    show(label, r);
    out_n(buf, r > 0 ? (size_t)r : 0);
    out("\n");
}

int test_main(int argc, char **argv, char **envp) {
    (void)argc, (void)argv, (void)envp;
    int p[2] = {-1, -1}, q[2] = {-1, -1};

    show("pipe", sys_pipe(p));
    show("pipe_distinct", p[0] >= 0 && p[1] >= 0 && p[0] != p[1]);
    show("write", sys_write(p[1], "through the pipe", 16));
    show_read("read", p[0], 64);
    show("write_to_read_end", sys_write(p[0], "x", 1));
    show("pipe_efault", sys_pipe(BAD_PTR));
    show("pipe_null", sys_pipe(NULL));

    show("pipe2", sys_pipe2(q, O_CLOEXEC | O_NONBLOCK));
    show("pipe2_cloexec", sys_fcntl(q[0], F_GETFD, 0));
    show("pipe2_nonblock", (sys_fcntl(q[1], F_GETFL, 0) & O_NONBLOCK) != 0);
    char c;
    show("pipe2_empty_read", sys_read(q[0], &c, 1));
    show("pipe2_bad_flags", sys_pipe2(q, 0x10));
    show("pipe2_efault", sys_pipe2(BAD_PTR, 0));

    /* EOF once the write end is closed */
    int r[2];
    sys_pipe(r);
    sys_close(r[1]);
    show("eof", sys_read(r[0], &c, 1));
    sys_close(r[0]);

    /* eventfd / eventfd2 */
    unsigned long long v = 0;
    long long e = sys_eventfd(3);
    show("eventfd_ok", e >= 0);
    show("eventfd_read", sys_read((int)e, &v, 8));
    show("eventfd_value", (i64)v);
    v = 5;
    show("eventfd_write", sys_write((int)e, &v, 8));
    v = 2;
    sys_write((int)e, &v, 8);
    sys_read((int)e, &v, 8);
    show("eventfd_sum", (i64)v);
    show("eventfd_short_read", sys_read((int)e, &v, 4));
    sys_close((int)e);
    e = sys_eventfd2(2, EFD_SEMAPHORE | O_NONBLOCK | O_CLOEXEC);
    show("eventfd2_cloexec", sys_fcntl((int)e, F_GETFD, 0));
    sys_read((int)e, &v, 8);
    show("sem_first", (i64)v);
    sys_read((int)e, &v, 8);
    show("sem_second", (i64)v);
    show("sem_empty", sys_read((int)e, &v, 8));
    v = ~0ull;
    show("eventfd_write_max", sys_write((int)e, &v, 8));
    show("eventfd_read_efault", (sys_write((int)e, "\1\0\0\0\0\0\0\0", 8), sys_read((int)e, BAD_PTR, 8)));
    sys_close((int)e);
    show("eventfd2_bad_flags", sys_eventfd2(0, 0x10));

    /* splice: pipe -> file at an offset, file -> pipe from an offset */
    long long f = sys_open("f", O_CREAT | O_RDWR | O_TRUNC, 0644);
    sys_write((int)f, "0123456789", 10);
    sys_write(p[1], "SPLICED", 7);
    long long off = 2;
    show("splice_to_file", x_splice(p[0], NULL, (int)f, &off, 7, 0));
    show("splice_off_after", off);
    long long in_off = 0;
    show("splice_from_file", x_splice((int)f, &in_off, p[1], NULL, 12, 0));
    show("splice_in_off", in_off);
    show_read("spliced", p[0], 64);
    show("splice_pipe_offset", x_splice(p[0], &off, (int)f, NULL, 1, 0));
    show("splice_efault_off", x_splice((int)f, BAD_PTR, p[1], NULL, 1, 0));
    show("splice_badfd", x_splice(-1, NULL, p[1], NULL, 1, 0));
    show("splice_no_pipe", x_splice((int)f, NULL, (int)f, NULL, 1, 0));
    show("splice_empty_nonblock", x_splice(q[0], NULL, (int)f, NULL, 1, SPLICE_F_NONBLOCK));

    /* tee duplicates pipe data without consuming it */
    int t[2];
    sys_pipe(t);
    sys_write(p[1], "teed", 4);
    show("tee", x_tee(p[0], t[1], 64, 0));
    show_read("tee_copy", t[0], 64);
    show_read("tee_original", p[0], 64);
    show("tee_not_pipe", x_tee((int)f, t[1], 1, 0));
    show("tee_same_pipe", x_tee(p[0], p[1], 1, SPLICE_F_NONBLOCK));
    show("tee_badfd", x_tee(-1, t[1], 1, 0));
    return 0;
}
