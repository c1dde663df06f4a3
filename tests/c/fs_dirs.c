/* Directories: getcwd, chdir, fchdir, getdents64 and its alias getdents
 * (the wasm32 struct dirent is linux_dirent64). Runs in a fresh empty
 * directory. Paths are compared, never printed (they differ per run). */
#include "walitest.h"

#define DT_DIR 4
#define DT_REG 8
#define DT_LNK 10

/* WALI's getdents is getdents64 (the spec's alias): natively that is the
 * getdents64 syscall. */
#ifdef __wasm__
WALI_IMPORT("SYS_getdents") long long x_getdents(int, const void *, int);
#else
static long long x_getdents(int a, const void *b, int c) { return walit_ret(syscall(SYS_getdents64, a, b, c)); }
#endif

struct t_dirent {
    unsigned long long d_ino;
    long long d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[];
};

/* Lists a directory: a bitmask of the expected names seen (with their
 * types checked), and the number of entries. */
static const char *names[] = {".", "..", "f1", "sub", "lnk", "a_rather_long_file_name_to_make_records_differ"};
#define NNAMES (int)(sizeof names / sizeof names[0])
static const unsigned char types[] = {DT_DIR, DT_DIR, DT_REG, DT_DIR, DT_LNK, DT_REG};

static void list(const char *label, long long (*fn)(int, const void *, int), int fd, int bufsize) {
    static char buf[4096] __attribute__((aligned(8)));
    int mask = 0, count = 0, bad = 0;
    long long n;
    while ((n = fn(fd, buf, bufsize)) > 0) {
        for (long long off = 0; off < n;) {
            struct t_dirent *d = (struct t_dirent *)(buf + off);
            count++;
            for (int i = 0; i < NNAMES; i++)
                if (t_strcmp(d->d_name, names[i]) == 0) {
                    mask |= 1 << i;
                    if (d->d_type != types[i]) bad++;
                }
            if (d->d_reclen == 0 || d->d_reclen % 8) { bad++; break; }
            off += d->d_reclen;
        }
    }
    out(label);
    out(":\n");
    show("  last", n);
    show("  count", count);
    show("  mask", mask);
    show("  bad", bad);
}

static void touch(const char *p) {
    long long fd = sys_open(p, O_CREAT | O_WRONLY, 0644);
    sys_close((int)fd);
}

int test_main(int argc, char **argv, char **envp) {
    (void)argc, (void)argv, (void)envp;
    char cwd[4096], cwd2[4096], small[4];

    long long n = sys_getcwd(cwd, sizeof cwd);
    show("getcwd_ok", n > 1);
    show("getcwd_len_matches", n == (long long)t_strlen(cwd) + 1);
    show("getcwd_abs", cwd[0] == '/');
    show("getcwd_small", sys_getcwd(small, sizeof small));
    show("getcwd_zero", sys_getcwd(cwd2, 0));
    show("getcwd_efault", sys_getcwd(BAD_PTR, sizeof cwd));

    touch("f1");
    touch(names[5]);
    sys_mkdir("sub", 0755);
    sys_symlink("f1", "lnk");

    long long dir = sys_open(".", O_RDONLY | O_DIRECTORY, 0);
    CHECK(dir >= 0);
    list("getdents64", sys_getdents64, (int)dir, 4096);
    show("getdents64_eof", sys_getdents64((int)dir, cwd2, sizeof cwd2));
    sys_lseek((int)dir, 0, SEEK_SET);
    list("getdents64_small_buf", sys_getdents64, (int)dir, 64);
    sys_lseek((int)dir, 0, SEEK_SET);
    list("getdents", x_getdents, (int)dir, 4096);
    sys_lseek((int)dir, 0, SEEK_SET);
    show("getdents64_tiny", sys_getdents64((int)dir, cwd2, 8));
    show("getdents64_efault", sys_getdents64((int)dir, BAD_PTR, 4096));
    show("getdents64_badfd", sys_getdents64(-1, cwd2, sizeof cwd2));
    long long f = sys_open("f1", O_RDONLY, 0);
    show("getdents64_notdir", sys_getdents64((int)f, cwd2, sizeof cwd2));
    sys_close((int)f);

    /* chdir / fchdir */
    show("chdir", sys_chdir("sub"));
    n = sys_getcwd(cwd2, sizeof cwd2);
    show("cwd_grew_by_4", n - (long long)t_strlen(cwd) - 1);
    show("cwd_prefix", t_memcmp(cwd, cwd2, t_strlen(cwd)) == 0 && t_strcmp(cwd2 + t_strlen(cwd), "/sub") == 0);
    show("relative_open_in_sub", sys_open("f1", O_RDONLY, 0));
    show("fchdir", sys_fchdir((int)dir));
    sys_getcwd(cwd2, sizeof cwd2);
    show("back_home", t_strcmp(cwd, cwd2) == 0);
    show("chdir_missing", sys_chdir("nope"));
    show("chdir_file", sys_chdir("f1"));
    show("chdir_efault", sys_chdir(BAD_PTR));
    show("chdir_null", sys_chdir(NULL));
    show("fchdir_badfd", sys_fchdir(-1));
    f = sys_open("f1", O_RDONLY, 0);
    show("fchdir_file", sys_fchdir((int)f));
    sys_close((int)f);
    show("chdir_dotdot", sys_chdir(".."));
    sys_getcwd(cwd2, sizeof cwd2);
    show("parent_is_prefix", t_memcmp(cwd, cwd2, t_strlen(cwd2)) == 0 && cwd[t_strlen(cwd2)] == '/');
    sys_close((int)dir);
    return 0;
}
