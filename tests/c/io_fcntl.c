/* Descriptors: dup, dup2, dup3, fcntl (flags, dup, record and OFD locks,
 * pipe size, unknown commands), ioctl (FIONREAD, FIONBIO, FIOCLEX, terminal
 * requests on a non-terminal, unknown requests), close_range. Descriptor
 * numbers are printed only where the test chooses them. */
#include "walitest.h"

#define F_DUPFD 0
#define F_GETFD 1
#define F_SETFD 2
#define F_GETFL 3
#define F_SETFL 4
#define F_GETLK 5
#define F_SETLK 6
#define F_SETLKW 7
#define F_OFD_GETLK 36
#define F_OFD_SETLK 37
#define F_DUPFD_CLOEXEC 1030
#define F_GETPIPE_SZ 1032
#define F_RDLCK 0
#define F_WRLCK 1
#define F_UNLCK 2
#define FD_CLOEXEC 1
#define O_NONBLOCK 04000
#define O_ACCMODE 3
#define FIONREAD 0x541B
#define FIONBIO 0x5421
#define FIOCLEX 0x5451
#define FIONCLEX 0x5450
#define TCGETS 0x5401
#define TIOCGWINSZ 0x5413
#define CLOSE_RANGE_CLOEXEC 4

#ifdef __wasm__
WALI_IMPORT("SYS_close_range") long long x_close_range(int, int, int);
#else
static long long x_close_range(int a, int b, int c) { return walit_ret(syscall(SYS_close_range, a, b, c)); }
#endif

/* The same layout in wasm32 and on x86-64: 32 bytes. */
struct t_flock {
    short l_type, l_whence;
    long long l_start, l_len;
    int l_pid;
};
_Static_assert(sizeof(struct t_flock) == 32, "struct flock is 32 bytes");

int test_main(int argc, char **argv, char **envp) {
    (void)argc, (void)argv, (void)envp;
    long long fd = sys_open("f", O_CREAT | O_RDWR | O_TRUNC, 0644);
    CHECK(fd >= 0);
    sys_write((int)fd, "0123456789", 10);

    /* dup family */
    long long d = sys_dup((int)fd);
    show("dup_ok", d >= 0 && d != fd);
    show("dup_shares_offset", (sys_lseek((int)d, 3, SEEK_SET), sys_lseek((int)fd, 0, SEEK_CUR)));
    show("dup_badfd", sys_dup(-1));
    show("dup2", sys_dup2((int)fd, 50));
    show("dup2_same", sys_dup2((int)fd, (int)fd) == fd);
    show("dup2_same_bad", sys_dup2(70, 70));
    show("dup2_badfd", sys_dup2(-1, 51));
    show("dup2_bad_new", sys_dup2((int)fd, -1));
    show("dup3_cloexec", sys_dup3((int)fd, 51, O_CLOEXEC));
    show("dup3_getfd", sys_fcntl(51, F_GETFD, 0));
    show("dup3_same", sys_dup3((int)fd, (int)fd, 0));
    show("dup3_bad_flags", sys_dup3((int)fd, 52, 1));
    show("dup3_badfd", sys_dup3(-1, 52, 0));

    /* fcntl: descriptor and status flags */
    show("getfd", sys_fcntl((int)fd, F_GETFD, 0));
    show("setfd", sys_fcntl((int)fd, F_SETFD, FD_CLOEXEC));
    show("getfd_after", sys_fcntl((int)fd, F_GETFD, 0));
    sys_fcntl((int)fd, F_SETFD, 0);
    show("getfl_acc", sys_fcntl((int)fd, F_GETFL, 0) & O_ACCMODE);
    show("setfl", sys_fcntl((int)fd, F_SETFL, O_NONBLOCK | O_APPEND));
    show("getfl_flags", sys_fcntl((int)fd, F_GETFL, 0) & (O_NONBLOCK | O_APPEND));
    show("dupfd", sys_fcntl((int)fd, F_DUPFD, 60));
    show("dupfd_next", sys_fcntl((int)fd, F_DUPFD, 60));
    show("dupfd_cloexec", sys_fcntl((int)fd, F_DUPFD_CLOEXEC, 70));
    show("dupfd_cloexec_flag", sys_fcntl(70, F_GETFD, 0));
    show("dupfd_neg", sys_fcntl((int)fd, F_DUPFD, -1));
    show("fcntl_badfd", sys_fcntl(-1, F_GETFD, 0));
    show("fcntl_unknown", sys_fcntl((int)fd, 9999, 0));
    int p[2];
    sys_pipe(p);
    show("getpipe_sz", sys_fcntl(p[0], F_GETPIPE_SZ, 0));
    show("getpipe_sz_file", sys_fcntl((int)fd, F_GETPIPE_SZ, 0));

    /* record locks: our own lock never conflicts with us */
    struct t_flock fl = {F_WRLCK, SEEK_SET, 0, 4, 0};
    show("setlk", sys_fcntl((int)fd, F_SETLK, (long long)(size_t)&fl));
    struct t_flock q = {F_WRLCK, SEEK_SET, 0, 10, 0};
    show("getlk", sys_fcntl((int)fd, F_GETLK, (long long)(size_t)&q));
    show("getlk_type", q.l_type);
    struct t_flock un = {F_UNLCK, SEEK_SET, 0, 0, 0};
    show("setlkw_unlock", sys_fcntl((int)fd, F_SETLKW, (long long)(size_t)&un));
    struct t_flock badtype = {7, SEEK_SET, 0, 0, 0};
    show("setlk_bad_type", sys_fcntl((int)fd, F_SETLK, (long long)(size_t)&badtype));
    show("setlk_efault", sys_fcntl((int)fd, F_SETLK, (long long)(size_t)BAD_PTR));
    show("getlk_efault", sys_fcntl((int)fd, F_GETLK, (long long)(size_t)BAD_PTR));

    /* OFD locks conflict between open file descriptions */
    long long fd2 = sys_open("f", O_RDWR, 0);
    struct t_flock o1 = {F_WRLCK, SEEK_SET, 2, 3, 0};
    show("ofd_setlk", sys_fcntl((int)fd, F_OFD_SETLK, (long long)(size_t)&o1));
    struct t_flock o2 = {F_RDLCK, SEEK_SET, 0, 0, 0};
    show("ofd_getlk", sys_fcntl((int)fd2, F_OFD_GETLK, (long long)(size_t)&o2));
    show("ofd_getlk_type", o2.l_type);
    show("ofd_getlk_start", o2.l_start);
    show("ofd_getlk_len", o2.l_len);
    show("ofd_getlk_pid", o2.l_pid);
    struct t_flock o3 = {F_RDLCK, SEEK_SET, 0, 0, 0};
    show("ofd_conflict", sys_fcntl((int)fd2, F_OFD_SETLK, (long long)(size_t)&o3));
    show("ofd_efault", sys_fcntl((int)fd2, F_OFD_SETLK, (long long)(size_t)BAD_PTR));
    sys_close((int)fd2);

    /* ioctl */
    sys_write(p[1], "hello", 5);
    int avail = -1;
    show("fionread", sys_ioctl(p[0], FIONREAD, &avail));
    show("fionread_val", avail);
    show("fionread_file", (sys_ioctl((int)fd, FIONREAD, &avail), avail));
    show("fionread_efault", sys_ioctl(p[0], FIONREAD, BAD_PTR));
    int on = 1;
    char buf[16];
    sys_read(p[0], buf, sizeof buf);
    show("fionbio", sys_ioctl(p[0], FIONBIO, &on));
    show("read_nonblock", sys_read(p[0], buf, sizeof buf));
    show("fionbio_efault", sys_ioctl(p[0], FIONBIO, BAD_PTR));
    show("fioclex", sys_ioctl((int)fd, FIOCLEX, NULL));
    show("fioclex_flag", sys_fcntl((int)fd, F_GETFD, 0));
    show("fionclex", sys_ioctl((int)fd, FIONCLEX, NULL));
    show("fionclex_flag", sys_fcntl((int)fd, F_GETFD, 0));
    char termios[64];
    show("tcgets_file", sys_ioctl((int)fd, TCGETS, termios));
    show("tiocgwinsz_pipe", sys_ioctl(p[0], TIOCGWINSZ, termios));
    show("ioctl_unknown", sys_ioctl((int)fd, 0x12345678, termios));
    show("ioctl_unknown_badfd", sys_ioctl(-1, 0x12345678, termios));
    show("ioctl_badfd", sys_ioctl(-1, FIONREAD, &avail));

    /* close_range */
    for (int i = 80; i < 86; i++) sys_dup2((int)fd, i);
    show("close_range_cloexec", x_close_range(80, 82, CLOSE_RANGE_CLOEXEC));
    show("cloexec_set", sys_fcntl(81, F_GETFD, 0));
    show("close_range", x_close_range(80, 84, 0));
    show("closed_80", sys_fcntl(80, F_GETFD, 0));
    show("closed_84", sys_fcntl(84, F_GETFD, 0));
    show("open_85", sys_fcntl(85, F_GETFD, 0));
    show("close_range_inverted", x_close_range(90, 85, 0));
    show("close_range_bad_flags", x_close_range(85, 85, 0x100));
    return 0;
}
