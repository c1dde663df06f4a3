/* fsync, fdatasync, sync, syncfs, flock, copy_file_range, sendfile,
 * memfd_create, inotify_init/init1/add_watch/rm_watch. Runs in a fresh
 * empty directory. */
#include "walitest.h"

#define LOCK_SH 1
#define LOCK_EX 2
#define LOCK_NB 4
#define LOCK_UN 8
#define MFD_CLOEXEC 1
#define IN_CREATE 0x100
#define IN_DELETE 0x200
#define IN_IGNORED 0x8000
#define IN_NONBLOCK 04000
#define F_GETFD 1
#define F_GETFL 3
#define O_NONBLOCK 04000

#ifdef __wasm__
WALI_IMPORT("SYS_syncfs") long long x_syncfs(int);
WALI_IMPORT("SYS_copy_file_range") long long x_copy_file_range(int, void *, int, void *, int, int);
WALI_IMPORT("SYS_sendfile") long long x_sendfile(int, int, void *, int);
WALI_IMPORT("SYS_memfd_create") long long x_memfd_create(const char *, int);
WALI_IMPORT("SYS_inotify_init") long long x_inotify_init(void);
WALI_IMPORT("SYS_inotify_init1") long long x_inotify_init1(int);
WALI_IMPORT("SYS_inotify_add_watch") long long x_inotify_add_watch(int, const char *, int);
WALI_IMPORT("SYS_inotify_rm_watch") long long x_inotify_rm_watch(int, int);
#else
static long long x_syncfs(int a) { return walit_ret(syscall(SYS_syncfs, a)); }
static long long x_copy_file_range(int a, void *b, int c, void *d, int e, int f) {
    return walit_ret(syscall(SYS_copy_file_range, a, b, c, d, (long)e, f));
}
static long long x_sendfile(int a, int b, void *c, int d) { return walit_ret(syscall(SYS_sendfile, a, b, c, (long)d)); }
static long long x_memfd_create(const char *a, int b) { return walit_ret(syscall(SYS_memfd_create, a, b)); }
static long long x_inotify_init(void) { return walit_ret(syscall(SYS_inotify_init)); }
static long long x_inotify_init1(int a) { return walit_ret(syscall(SYS_inotify_init1, a)); }
static long long x_inotify_add_watch(int a, const char *b, int c) {
    return walit_ret(syscall(SYS_inotify_add_watch, a, b, c));
}
static long long x_inotify_rm_watch(int a, int b) { return walit_ret(syscall(SYS_inotify_rm_watch, a, b)); }
#endif

struct t_inotify_event {
    int wd;
    unsigned int mask, cookie, len;
    char name[];
};

static int mkfile(const char *p, const char *text) {
    long long fd = sys_open(p, O_CREAT | O_RDWR | O_TRUNC, 0644);
    CHECK(fd >= 0);
    if (text) sys_write((int)fd, text, t_strlen(text));
    return (int)fd;
}

static void show_file(const char *label, const char *p) {
    char buf[64];
    long long fd = sys_open(p, O_RDONLY, 0);
    long long n = sys_read((int)fd, buf, sizeof buf);
    sys_close((int)fd);
    out(label);
    out("=[");
    out_n(buf, n > 0 ? (size_t)n : 0);
    out("]\n");
}

int test_main(int argc, char **argv, char **envp) {
    (void)argc, (void)argv, (void)envp;
    int fd = mkfile("src", "0123456789abcdef");
    int p[2];

    /* sync family */
    show("fsync", sys_fsync(fd));
    show("fsync_badfd", sys_fsync(-1));
    show("fdatasync", sys_fdatasync(fd));
    show("fdatasync_badfd", sys_fdatasync(-1));
    sys_pipe(p);
    show("fsync_pipe", sys_fsync(p[0]));
    show("sync", sys_sync());
    show("syncfs", x_syncfs(fd));
    show("syncfs_badfd", x_syncfs(-1));

    /* flock: a second open file description conflicts */
    int fd2 = (int)sys_open("src", O_RDONLY, 0);
    show("flock_ex", sys_flock(fd, LOCK_EX));
    show("flock_conflict", sys_flock(fd2, LOCK_SH | LOCK_NB));
    show("flock_un", sys_flock(fd, LOCK_UN));
    show("flock_sh_after", sys_flock(fd2, LOCK_SH | LOCK_NB));
    show("flock_sh_shared", sys_flock(fd, LOCK_SH | LOCK_NB));
    show("flock_bad_op", sys_flock(fd, 0));
    show("flock_badfd", sys_flock(-1, LOCK_EX));
    sys_close(fd2);

    /* copy_file_range */
    int dst = mkfile("dst", NULL);
    long long off_in = 4, off_out = 2;
    show("cfr", x_copy_file_range(fd, &off_in, dst, &off_out, 6, 0));
    show("cfr_off_in", off_in);
    show("cfr_off_out", off_out);
    show_file("cfr_dst", "dst");
    sys_lseek(fd, 10, SEEK_SET);
    sys_lseek(dst, 0, SEEK_END);
    show("cfr_positions", x_copy_file_range(fd, NULL, dst, NULL, 100, 0));
    show("cfr_pos_in", sys_lseek(fd, 0, SEEK_CUR));
    show_file("cfr_dst2", "dst");
    show("cfr_bad_flags", x_copy_file_range(fd, &off_in, dst, &off_out, 1, 1));
    show("cfr_badfd", x_copy_file_range(-1, NULL, dst, NULL, 1, 0));
    show("cfr_efault_in", x_copy_file_range(fd, BAD_PTR, dst, NULL, 1, 0));
    show("cfr_efault_out", x_copy_file_range(fd, NULL, dst, BAD_PTR, 1, 0));

    /* sendfile: to a pipe and to a file, with and without an offset */
    long long off = 3;
    show("sendfile_off", x_sendfile(p[1], fd, &off, 5));
    show("sendfile_off_after", off);
    show("sendfile_pos_kept", sys_lseek(fd, 0, SEEK_CUR));
    char buf[64];
    long long n = sys_read(p[0], buf, sizeof buf);
    show("pipe_got", n);
    out_n(buf, n > 0 ? (size_t)n : 0);
    out("\n");
    int dst2 = mkfile("dst2", NULL);
    sys_lseek(fd, 12, SEEK_SET);
    show("sendfile_pos", x_sendfile(dst2, fd, NULL, 100));
    show("sendfile_pos_after", sys_lseek(fd, 0, SEEK_CUR));
    show_file("sendfile_dst2", "dst2");
    show("sendfile_badfd", x_sendfile(dst2, -1, NULL, 1));
    show("sendfile_efault", x_sendfile(dst2, fd, BAD_PTR, 1));
    show("sendfile_wrong_dir", x_sendfile(fd, p[1], NULL, 1));

    /* memfd_create */
    long long m = x_memfd_create("wali-test", MFD_CLOEXEC);
    show("memfd_ok", m >= 0);
    show("memfd_cloexec", sys_fcntl((int)m, F_GETFD, 0));
    show("memfd_write", sys_write((int)m, "memory", 6));
    show("memfd_pread", sys_pread64((int)m, buf, 3, 2));
    out_n(buf, 3);
    out("\n");
    struct t_stat st;
    show("memfd_size", (sys_fstat((int)m, &st), st.st_size));
    sys_close((int)m);
    show("memfd_bad_flags", x_memfd_create("x", 0x1000));
    show("memfd_efault", x_memfd_create(BAD_PTR, 0));
    show("memfd_null", x_memfd_create(NULL, 0));

    /* inotify */
    long long in = x_inotify_init1(IN_NONBLOCK);
    show("inotify_init1_ok", in >= 0);
    show("inotify_nonblock", (sys_fcntl((int)in, F_GETFL, 0) & O_NONBLOCK) != 0);
    long long wd = x_inotify_add_watch((int)in, ".", IN_CREATE | IN_DELETE);
    show("add_watch", wd);
    show("read_empty", sys_read((int)in, buf, sizeof buf));
    sys_close(mkfile("born", NULL));
    sys_unlink("born");
    static char evbuf[512] __attribute__((aligned(8)));
    n = sys_read((int)in, evbuf, sizeof evbuf);
    for (long long o = 0; o < n;) {
        struct t_inotify_event *e = (struct t_inotify_event *)(evbuf + o);
        show("ev_wd_matches", e->wd == wd);
        show("ev_mask", e->mask);
        out("ev_name=");
        out(e->name);
        out("\n");
        o += sizeof *e + e->len;
    }
    show("add_watch_missing", x_inotify_add_watch((int)in, "nope", IN_CREATE));
    show("add_watch_efault", x_inotify_add_watch((int)in, BAD_PTR, IN_CREATE));
    show("add_watch_badfd", x_inotify_add_watch(fd, ".", IN_CREATE));
    show("add_watch_no_mask", x_inotify_add_watch((int)in, ".", 0));
    show("rm_watch", x_inotify_rm_watch((int)in, (int)wd));
    n = sys_read((int)in, evbuf, sizeof evbuf);
    show("ignored_event", n > 0 && ((struct t_inotify_event *)evbuf)->mask == IN_IGNORED);
    show("rm_watch_again", x_inotify_rm_watch((int)in, (int)wd));
    show("rm_watch_badfd", x_inotify_rm_watch(-1, 1));
    sys_close((int)in);
    long long in0 = x_inotify_init();
    show("inotify_init_ok", in0 >= 0);
    show("inotify_init_blocking", sys_fcntl((int)in0, F_GETFL, 0) & O_NONBLOCK);
    sys_close((int)in0);
    show("inotify_init1_bad", x_inotify_init1(1));
    return 0;
}
