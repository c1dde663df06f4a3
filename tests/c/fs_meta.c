/* Metadata: chmod/fchmod/fchmodat, chown/fchown/fchownat/lchown, umask,
 * truncate/ftruncate, fallocate, fadvise, utimensat/utimes/futimesat,
 * statx, statfs/fstatfs. Runs in a fresh empty directory. */
#include "walitest.h"

#define S_IFLNK 0120000
#define UTIME_NOW ((1l << 30) - 1l)
#define UTIME_OMIT ((1l << 30) - 2l)
#define STATX_BASIC_STATS 0x7ff
#define AT_STATX_SYNC_AS_STAT 0
#define FALLOC_FL_KEEP_SIZE 1
#define POSIX_FADV_SEQUENTIAL 2
#define POSIX_FADV_DONTNEED 4

#ifdef __wasm__
WALI_IMPORT("SYS_truncate") long long x_truncate(const char *, long long);
WALI_IMPORT("SYS_lchown") long long x_lchown(const char *, int, int);
WALI_IMPORT("SYS_fallocate") long long x_fallocate(int, int, long long, long long);
WALI_IMPORT("SYS_utimes") long long x_utimes(const char *, const void *);
WALI_IMPORT("SYS_futimesat") long long x_futimesat(int, const char *, const void *);
#else
static long long x_truncate(const char *a, long long b) { return walit_ret(syscall(SYS_truncate, a, b)); }
static long long x_lchown(const char *a, int b, int c) { return walit_ret(syscall(SYS_lchown, a, b, c)); }
static long long x_fallocate(int a, int b, long long c, long long d) {
    return walit_ret(syscall(SYS_fallocate, a, b, c, d));
}
static long long x_utimes(const char *a, const void *b) { return walit_ret(syscall(SYS_utimes, a, b)); }
static long long x_futimesat(int a, const char *b, const void *c) {
    return walit_ret(syscall(SYS_futimesat, a, b, c));
}
#endif

struct t_ts { long long sec, nsec; };

struct t_statx_ts { long long sec; unsigned int nsec; int pad; };
struct t_statx {
    unsigned int mask, blksize;
    unsigned long long attributes;
    unsigned int nlink, uid, gid;
    unsigned short mode, pad1;
    unsigned long long ino, size, blocks, attributes_mask;
    struct t_statx_ts atime, btime, ctime, mtime;
    unsigned int rdev_major, rdev_minor, dev_major, dev_minor;
    unsigned long long spare[14];
};
_Static_assert(sizeof(struct t_statx) == 256, "statx is 256 bytes");

struct t_statfs {
    long long f_type, f_bsize;
    unsigned long long f_blocks, f_bfree, f_bavail, f_files, f_ffree;
    int f_fsid[2];
    long long f_namelen, f_frsize, f_flags, f_spare[4];
};
_Static_assert(sizeof(struct t_statfs) == 120, "statfs is 120 bytes");

static struct t_stat st;
static i64 perm(const char *p) { return sys_stat(p, &st) < 0 ? -1 : (i64)(st.st_mode & 07777); }
static i64 size(const char *p) { return sys_stat(p, &st) < 0 ? -1 : st.st_size; }

int test_main(int argc, char **argv, char **envp) {
    (void)argc, (void)argv, (void)envp;

    /* umask: the old value is inherited (the same for both builds). */
    long long old = sys_umask(0);
    show("umask_old_back", sys_umask(022) == 0);
    show("umask_set", sys_umask(027));
    long long fd = sys_open("f", O_CREAT | O_RDWR, 0777);
    CHECK(fd >= 0);
    show("umask_applied", perm("f"));
    sys_umask((int)old);

    /* chmod family */
    show("chmod", sys_chmod("f", 0604));
    show("chmod_perm", perm("f"));
    show("chmod_setuid_bits", (sys_chmod("f", 04755), perm("f")));
    show("chmod_missing", sys_chmod("nope", 0600));
    show("chmod_efault", sys_chmod(BAD_PTR, 0600));
    show("fchmod", sys_fchmod((int)fd, 0640));
    show("fchmod_perm", perm("f"));
    show("fchmod_badfd", sys_fchmod(-1, 0640));
    long long dir = sys_open(".", O_RDONLY | O_DIRECTORY, 0);
    show("fchmodat", sys_fchmodat((int)dir, "f", 0600, 0));
    show("fchmodat_perm", perm("f"));
    show("fchmodat_badfd", sys_fchmodat(-1, "f", 0600, 0));
    show("fchmodat_efault", sys_fchmodat((int)dir, BAD_PTR, 0600, 0));

    /* chown family (root may give files away; otherwise EPERM in both) */
    show("chown_noop", sys_chown("f", -1, -1));
    show("chown", sys_chown("f", 1234, 5678));
    show("chown_applied", sys_stat("f", &st) == 0 && st.st_uid == 1234 && st.st_gid == 5678);
    show("chown_missing", sys_chown("nope", 0, 0));
    show("chown_efault", sys_chown(BAD_PTR, 0, 0));
    show("fchown", sys_fchown((int)fd, 4321, -1));
    show("fchown_applied", sys_stat("f", &st) == 0 && st.st_uid == 4321 && st.st_gid == 5678);
    show("fchown_badfd", sys_fchown(-1, 0, 0));
    show("fchownat", sys_fchownat((int)dir, "f", -1, 8765, 0));
    show("fchownat_applied", sys_stat("f", &st) == 0 && st.st_gid == 8765);
    show("fchownat_bad_flags", sys_fchownat((int)dir, "f", -1, -1, 0x7));
    show("fchownat_efault", sys_fchownat((int)dir, BAD_PTR, -1, -1, 0));
    sys_symlink("f", "l");
    show("lchown", x_lchown("l", 1111, 2222));
    show("lchown_link_changed", sys_lstat("l", &st) == 0 && st.st_uid == 1111 && st.st_gid == 2222);
    show("lchown_target_kept", sys_stat("l", &st) == 0 && st.st_uid == 4321);
    show("lchown_missing", x_lchown("nope", 0, 0));
    show("lchown_efault", x_lchown(BAD_PTR, 0, 0));

    /* truncate / ftruncate / fallocate / fadvise */
    show("ftruncate", sys_ftruncate((int)fd, 1000));
    show("ftruncate_size", size("f"));
    show("ftruncate_neg", sys_ftruncate((int)fd, -1));
    show("ftruncate_badfd", sys_ftruncate(-1, 10));
    show("ftruncate_dir", sys_ftruncate((int)dir, 10));
    show("truncate", x_truncate("f", 123));
    show("truncate_size", size("f"));
    show("truncate_big", x_truncate("f", 1ll << 33));
    show("truncate_big_size", size("f"));
    show("truncate_neg", x_truncate("f", -5));
    show("truncate_missing", x_truncate("nope", 0));
    show("truncate_dir", x_truncate(".", 0));
    show("truncate_efault", x_truncate(BAD_PTR, 0));
    sys_ftruncate((int)fd, 0);
    show("fallocate", x_fallocate((int)fd, 0, 0, 8192));
    show("fallocate_size", size("f"));
    show("fallocate_keep", x_fallocate((int)fd, FALLOC_FL_KEEP_SIZE, 8192, 8192));
    show("fallocate_keep_size", size("f"));
    show("fallocate_bad_len", x_fallocate((int)fd, 0, 0, 0));
    show("fallocate_badfd", x_fallocate(-1, 0, 0, 10));
    show("fadvise", sys_fadvise((int)fd, 0, 0, POSIX_FADV_SEQUENTIAL));
    show("fadvise_dontneed", sys_fadvise((int)fd, 0, 4096, POSIX_FADV_DONTNEED));
    show("fadvise_bad", sys_fadvise((int)fd, 0, 0, 99));
    show("fadvise_badfd", sys_fadvise(-1, 0, 0, 0));

    /* utimensat / utimes / futimesat */
    struct t_ts ts[2] = {{1000000000, 500}, {1234567890, 123456789}};
    show("utimensat", sys_utimensat(AT_FDCWD, "f", ts, 0));
    sys_stat("f", &st);
    show("atime", st.st_atime_sec);
    show("atime_ns", st.st_atime_nsec);
    show("mtime", st.st_mtime_sec);
    show("mtime_ns", st.st_mtime_nsec);
    struct t_ts omit[2] = {{0, UTIME_OMIT}, {42, 0}};
    show("utimensat_omit", sys_utimensat((int)dir, "f", omit, 0));
    sys_stat("f", &st);
    show("omit_atime_kept", st.st_atime_sec);
    show("omit_mtime", st.st_mtime_sec);
    show("utimensat_fd", sys_utimensat((int)fd, NULL, ts, 0));
    show("utimensat_fd_mtime", (sys_stat("f", &st), st.st_mtime_sec));
    struct t_ts bad[2] = {{0, 1000000000}, {0, 0}};
    show("utimensat_bad_ns", sys_utimensat(AT_FDCWD, "f", bad, 0));
    show("utimensat_missing", sys_utimensat(AT_FDCWD, "nope", ts, 0));
    show("utimensat_efault_times", sys_utimensat(AT_FDCWD, "f", BAD_PTR, 0));
    show("utimensat_efault_path", sys_utimensat(AT_FDCWD, BAD_PTR, ts, 0));
    struct t_ts lt[2] = {{77, 0}, {88, 0}};
    show("utimensat_nofollow", sys_utimensat(AT_FDCWD, "l", lt, AT_SYMLINK_NOFOLLOW));
    show("link_mtime", (sys_lstat("l", &st), st.st_mtime_sec));
    show("target_mtime_kept", (sys_stat("f", &st), st.st_mtime_sec));
    struct t_ts tv[2] = {{1500000000, 250000}, {1600000000, 999999}};
    show("utimes", x_utimes("f", tv));
    sys_stat("f", &st);
    show("utimes_atime", st.st_atime_sec);
    show("utimes_atime_ns", st.st_atime_nsec);
    show("utimes_mtime_ns", st.st_mtime_nsec);
    struct t_ts badtv[2] = {{0, 1000000}, {0, 0}};
    show("utimes_bad_usec", x_utimes("f", badtv));
    show("utimes_missing", x_utimes("nope", tv));
    show("utimes_efault_tv", x_utimes("f", BAD_PTR));
    show("utimes_efault_path", x_utimes(BAD_PTR, tv));
    struct t_ts tv2[2] = {{1700000000, 1}, {1700000001, 2}};
    show("futimesat", x_futimesat((int)dir, "f", tv2));
    sys_stat("f", &st);
    show("futimesat_mtime", st.st_mtime_sec);
    show("futimesat_mtime_ns", st.st_mtime_nsec);
    show("futimesat_badfd", x_futimesat(-1, "f", tv2));
    show("futimesat_efault", x_futimesat((int)dir, "f", BAD_PTR));

    /* statx */
    struct t_statx sx;
    show("statx", sys_statx(AT_FDCWD, "f", AT_STATX_SYNC_AS_STAT, STATX_BASIC_STATS, &sx));
    show("statx_mask_basic", (sx.mask & STATX_BASIC_STATS) == STATX_BASIC_STATS);
    show("statx_size", (i64)sx.size);
    show("statx_mode", sx.mode);
    show("statx_nlink", sx.nlink);
    show("statx_mtime", sx.mtime.sec);
    show("statx_mtime_ns", sx.mtime.nsec);
    sys_stat("f", &st);
    show("statx_ino_matches", sx.ino == st.st_ino);
    show("statx_nofollow_mode", (sys_statx(AT_FDCWD, "l", AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &sx), sx.mode & T_S_IFMT) == S_IFLNK);
    show("statx_empty_path", sys_statx((int)fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &sx));
    show("statx_missing", sys_statx(AT_FDCWD, "nope", 0, STATX_BASIC_STATS, &sx));
    show("statx_bad_flags", sys_statx(AT_FDCWD, "f", 0x7000000, STATX_BASIC_STATS, &sx));
    show("statx_efault_buf", sys_statx(AT_FDCWD, "f", 0, STATX_BASIC_STATS, BAD_PTR));
    show("statx_efault_path", sys_statx(AT_FDCWD, BAD_PTR, 0, STATX_BASIC_STATS, &sx));

    /* statfs / fstatfs */
    struct t_statfs a, b;
    show("statfs", sys_statfs(".", &a));
    show("fstatfs", sys_fstatfs((int)fd, &b));
    show("same_fs_type", a.f_type == b.f_type);
    show("same_bsize", a.f_bsize == b.f_bsize && a.f_bsize > 0);
    show("same_fsid", a.f_fsid[0] == b.f_fsid[0] && a.f_fsid[1] == b.f_fsid[1]);
    show("namelen", a.f_namelen);
    show("statfs_missing", sys_statfs("nope", &a));
    show("statfs_efault_buf", sys_statfs(".", BAD_PTR));
    show("statfs_efault_path", sys_statfs(BAD_PTR, &a));
    show("fstatfs_badfd", sys_fstatfs(-1, &b));
    show("fstatfs_efault", sys_fstatfs((int)fd, BAD_PTR));
    sys_close((int)fd);
    sys_close((int)dir);
    return 0;
}
