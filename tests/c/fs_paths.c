/* Paths: stat, lstat, access/faccessat/faccessat2, mkdir(at), rmdir,
 * unlink(at), rename/renameat/renameat2, link(at), symlink(at),
 * readlink(at), mknod(at). Runs in a fresh empty directory. */
#include "walitest.h"

#define S_IFIFO 0010000
#define S_IFLNK 0120000
#define S_IFDIR 0040000
#define S_IFREG 0100000
#define AT_REMOVEDIR 0x200
#define AT_EACCESS 0x200
#define RENAME_NOREPLACE 1
#define RENAME_EXCHANGE 2
#define R_OK 4
#define W_OK 2
#define X_OK 1

/* Calls the spec lists without argument types: declared with the types of
 * their C prototypes (the wasm32 rules: pointers and ints i32, dev_t i64). */
#ifdef __wasm__
WALI_IMPORT("SYS_renameat") long long x_renameat(int, const char *, int, const char *);
WALI_IMPORT("SYS_mknod") long long x_mknod(const char *, int, long long);
WALI_IMPORT("SYS_mknodat") long long x_mknodat(int, const char *, int, long long);
#else
static long long x_renameat(int a, const char *b, int c, const char *d) {
    return walit_ret(syscall(SYS_renameat, a, b, c, d));
}
static long long x_mknod(const char *a, int b, long long c) { return walit_ret(syscall(SYS_mknod, a, b, c)); }
static long long x_mknodat(int a, const char *b, int c, long long d) {
    return walit_ret(syscall(SYS_mknodat, a, b, c, d));
}
#endif

static void touch(const char *p, const char *text) {
    long long fd = sys_open(p, O_CREAT | O_WRONLY | O_TRUNC, 0644);
    CHECK(fd >= 0);
    sys_write((int)fd, text, t_strlen(text));
    sys_close((int)fd);
}

static i64 fmt_of(const char *p, int follow) {
    struct t_stat st;
    long long r = follow ? sys_stat(p, &st) : sys_lstat(p, &st);
    return r < 0 ? r : (i64)(st.st_mode & T_S_IFMT);
}

static i64 size_of(const char *p) {
    struct t_stat st;
    long long r = sys_stat(p, &st);
    return r < 0 ? r : st.st_size;
}

int test_main(int argc, char **argv, char **envp) {
    (void)argc, (void)argv, (void)envp;
    struct t_stat st;
    char buf[64];

    touch("a", "hello");
    /* stat / lstat */
    show("stat", sys_stat("a", &st));
    show("stat_size", st.st_size);
    show("stat_fmt", st.st_mode & T_S_IFMT);
    show("stat_perm", st.st_mode & 0777);
    show("stat_missing", sys_stat("nope", &st));
    show("stat_notdir", sys_stat("a/b", &st));
    show("stat_efault_path", sys_stat(BAD_PTR, &st));
    show("stat_efault_buf", sys_stat("a", BAD_PTR));
    show("stat_null_path", sys_stat(NULL, &st));
    show("lstat_efault_buf", sys_lstat("a", BAD_PTR));
    show("lstat_efault_path", sys_lstat(BAD_PTR, &st));

    /* access family */
    show("access_f", sys_access("a", 0));
    show("access_rw", sys_access("a", R_OK | W_OK));
    show("access_missing", sys_access("nope", 0));
    show("access_bad_mode", sys_access("a", 0100));
    show("access_efault", sys_access(BAD_PTR, 0));
    long long dir = sys_open(".", O_RDONLY | O_DIRECTORY, 0);
    CHECK(dir >= 0);
    show("faccessat", sys_faccessat((int)dir, "a", R_OK, 0));
    show("faccessat_missing", sys_faccessat((int)dir, "nope", R_OK, 0));
    show("faccessat_badfd", sys_faccessat(-7, "a", R_OK, 0));
    show("faccessat_efault", sys_faccessat((int)dir, BAD_PTR, R_OK, 0));
    show("faccessat2", sys_faccessat2((int)dir, "a", R_OK, AT_EACCESS));
    show("faccessat2_nofollow", sys_faccessat2(AT_FDCWD, "a", 0, AT_SYMLINK_NOFOLLOW));
    show("faccessat2_bad_flags", sys_faccessat2(AT_FDCWD, "a", 0, 0x4000000));
    show("faccessat2_empty", sys_faccessat2((int)dir, "", 0, AT_EMPTY_PATH));
    show("faccessat2_efault", sys_faccessat2(AT_FDCWD, BAD_PTR, 0, 0));

    /* mkdir / mkdirat / rmdir */
    show("mkdir", sys_mkdir("d", 0755));
    show("mkdir_fmt", fmt_of("d", 1));
    show("mkdir_exists", sys_mkdir("d", 0755));
    show("mkdir_noparent", sys_mkdir("x/y", 0755));
    show("mkdir_efault", sys_mkdir(BAD_PTR, 0755));
    show("mkdirat", sys_mkdirat((int)dir, "d/e", 0700));
    show("mkdirat_perm", (sys_stat("d/e", &st), st.st_mode & 0777));
    show("mkdirat_badfd", sys_mkdirat(-1, "z", 0700));
    show("mkdirat_efault", sys_mkdirat((int)dir, BAD_PTR, 0700));
    show("rmdir_notempty", sys_rmdir("d"));
    show("rmdir_file", sys_rmdir("a"));
    show("rmdir_missing", sys_rmdir("nope"));
    show("rmdir_efault", sys_rmdir(BAD_PTR));
    show("rmdir_sub", sys_rmdir("d/e"));

    /* link / linkat / unlink / unlinkat */
    show("link", sys_link("a", "b"));
    show("link_nlink", (sys_stat("a", &st), (i64)st.st_nlink));
    show("link_exists", sys_link("a", "b"));
    show("link_missing", sys_link("nope", "c"));
    show("link_dir", sys_link("d", "d2"));
    show("link_efault_old", sys_link(BAD_PTR, "c"));
    show("link_efault_new", sys_link("a", BAD_PTR));
    show("linkat", sys_linkat((int)dir, "a", AT_FDCWD, "d/a", 0));
    show("linkat_nlink", (sys_stat("a", &st), (i64)st.st_nlink));
    show("linkat_bad_flags", sys_linkat(AT_FDCWD, "a", AT_FDCWD, "q", 0x7));
    show("linkat_efault", sys_linkat(AT_FDCWD, "a", AT_FDCWD, BAD_PTR, 0));
    show("unlink", sys_unlink("b"));
    show("unlink_missing", sys_unlink("b"));
    show("unlink_dir", sys_unlink("d"));
    show("unlink_efault", sys_unlink(BAD_PTR));
    show("unlinkat", sys_unlinkat((int)dir, "d/a", 0));
    show("unlinkat_dir_noflag", sys_unlinkat((int)dir, "d", 0));
    show("unlinkat_bad_flags", sys_unlinkat((int)dir, "a", 0x1));
    show("unlinkat_efault", sys_unlinkat((int)dir, BAD_PTR, 0));
    show("mkdir_again", sys_mkdir("d/f", 0755));
    show("unlinkat_removedir", sys_unlinkat((int)dir, "d/f", AT_REMOVEDIR));
    show("nlink_after", (sys_stat("a", &st), (i64)st.st_nlink));

    /* symlink / symlinkat / readlink / readlinkat / lstat */
    show("symlink", sys_symlink("a", "s"));
    show("lstat_fmt", fmt_of("s", 0));
    show("stat_through", fmt_of("s", 1));
    show("symlink_exists", sys_symlink("a", "s"));
    show("symlink_efault_target", sys_symlink(BAD_PTR, "t"));
    show("symlink_efault_path", sys_symlink("a", BAD_PTR));
    show("symlinkat", sys_symlinkat("../a", (int)dir, "d/s2"));
    show("symlinkat_badfd", sys_symlinkat("a", -1, "t"));
    long long n = sys_readlink("s", buf, sizeof buf);
    show("readlink", n);
    out_n(buf, n > 0 ? (size_t)n : 0);
    out("\n");
    show("readlink_short", sys_readlink("d/s2", buf, 2));
    out_n(buf, 2);
    out("\n");
    show("readlink_zero", sys_readlink("s", buf, 0));
    show("readlink_notlink", sys_readlink("a", buf, sizeof buf));
    show("readlink_missing", sys_readlink("nope", buf, sizeof buf));
    show("readlink_efault_path", sys_readlink(BAD_PTR, buf, sizeof buf));
    show("readlink_efault_buf", sys_readlink("s", BAD_PTR, sizeof buf));
    n = sys_readlinkat((int)dir, "d/s2", buf, sizeof buf);
    show("readlinkat", n);
    out_n(buf, n > 0 ? (size_t)n : 0);
    out("\n");
    show("readlinkat_badfd", sys_readlinkat(-1, "s", buf, sizeof buf));
    show("stat_via_rel_link", size_of("d/s2"));
    show("symlink_dangling", sys_symlink("nowhere", "dang"));
    show("stat_dangling", fmt_of("dang", 1));
    show("lstat_dangling", fmt_of("dang", 0));

    /* rename / renameat / renameat2 */
    touch("r1", "one");
    touch("r2", "two!");
    show("rename", sys_rename("r1", "r3"));
    show("rename_old_gone", sys_stat("r1", &st));
    show("rename_new_size", size_of("r3"));
    show("rename_missing", sys_rename("r1", "r4"));
    show("rename_file_over_dir", sys_rename("r3", "d"));
    show("rename_efault_old", sys_rename(BAD_PTR, "r4"));
    show("rename_efault_new", sys_rename("r3", BAD_PTR));
    show("renameat", x_renameat((int)dir, "r3", AT_FDCWD, "d/r3"));
    show("renameat_size", size_of("d/r3"));
    show("renameat_badfd", x_renameat(-1, "r2", AT_FDCWD, "r5"));
    show("renameat_efault", x_renameat(AT_FDCWD, "r2", AT_FDCWD, BAD_PTR));
    touch("r6", "six");
    show("renameat2_noreplace", sys_renameat2(AT_FDCWD, "r2", AT_FDCWD, "r6", RENAME_NOREPLACE));
    show("renameat2_exchange", sys_renameat2(AT_FDCWD, "r2", AT_FDCWD, "r6", RENAME_EXCHANGE));
    show("exchanged_r2", size_of("r2"));
    show("exchanged_r6", size_of("r6"));
    show("renameat2_bad_flags", sys_renameat2(AT_FDCWD, "r2", AT_FDCWD, "r7", 3));
    show("renameat2_replace", sys_renameat2(AT_FDCWD, "r2", (int)dir, "r6", 0));
    show("renameat2_efault", sys_renameat2(AT_FDCWD, BAD_PTR, AT_FDCWD, "r7", 0));

    /* mknod / mknodat: FIFOs and regular files need no privilege */
    show("mknod_fifo", x_mknod("fifo", S_IFIFO | 0644, 0));
    show("mknod_fifo_fmt", fmt_of("fifo", 0));
    show("mknod_exists", x_mknod("fifo", S_IFIFO | 0644, 0));
    show("mknod_efault", x_mknod(BAD_PTR, S_IFIFO | 0644, 0));
    show("mknod_dir_type", x_mknod("dd", S_IFDIR | 0755, 0));
    show("mknodat_reg", x_mknodat((int)dir, "d/reg", S_IFREG | 0600, 0));
    show("mknodat_reg_fmt", fmt_of("d/reg", 0));
    show("mknodat_badfd", x_mknodat(-1, "zz", S_IFIFO | 0600, 0));
    show("mknodat_noent", x_mknodat((int)dir, "no/zz", S_IFIFO | 0600, 0));
    sys_close((int)dir);
    return 0;
}
