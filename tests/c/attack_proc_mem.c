/* Attack: reaching the engine's own memory and code through procfs and
 * the engine's files, and personality flags that make memory executable.
 * WALI-only expectations (native would succeed): every spelling of a
 * procfs `mem` file is EACCES, the engine's executable and libraries
 * cannot be opened for writing (map_files included) or truncated,
 * READ_IMPLIES_EXEC is
 * refused. Harmless neighbours still work: /proc/self/maps, status, a
 * read-only map_files entry, personality queries and other flags.
 * Nothing here may write to an engine file even on an engine without the
 * checks: opens for writing never write, truncations keep the size.
 * Prints "done" at the end; any CHECK failure fails the test. */
#include "walitest.h"

#define EACCES 13
#define O_PATH 010000000
#define O_NOFOLLOW 0400000

#ifdef __wasm__
WALI_IMPORT("SYS_personality") long long w_personality(long long);
WALI_IMPORT("SYS_truncate") long long w_truncate(const char *, long long);
#else
static long long w_personality(long long p) { return walit_ret(syscall(SYS_personality, (unsigned long)p)); }
static long long w_truncate(const char *a, long long b) { return walit_ret(syscall(SYS_truncate, a, b)); }
#endif

static char buf[8192];

static void cat_num(char *dst, const char *a, long long n, const char *b) {
    char num[24];
    int i = sizeof num;
    num[--i] = 0;
    do num[--i] = '0' + n % 10; while ((n /= 10) && i > 0);
    while (*a) *dst++ = *a++;
    for (char *p = num + i; *p; p++) *dst++ = *p;
    while (*b) *dst++ = *b++;
    *dst = 0;
}

/* Opening must fail with EACCES whatever the mode. */
static void refused(const char *path) {
    static const int modes[] = {O_RDONLY, O_WRONLY, O_RDWR, O_PATH};
    for (int m = 0; m < 4; m++) {
        long long fd = sys_open(path, modes[m] | O_CLOEXEC, 0);
        if (fd != -EACCES) {
            out("NOT REFUSED: ");
            out(path);
            show(" mode", modes[m]);
            show(" result", fd);
            t_failures++;
            if (fd >= 0) {
                long long v = 0;
                show("pread", sys_pread64((int)fd, &v, 8, 0x10000));
                sys_close((int)fd);
            }
        }
    }
}

/* The range of the first executable mapping of a shared library of the
 * engine (a path with ".so"), as the "start-end" name of its map_files
 * entry; 0 when none is found. (The engine's executable itself is also
 * refused by the kernel: ETXTBSY.) */
static int first_exec_range(char *range, int size) {
    long long fd = sys_open("/proc/self/maps", O_RDONLY, 0);
    CHECK(fd >= 0);
    if (fd < 0) return 0;
    long long n = 0, r;
    while ((r = sys_read((int)fd, buf + n, sizeof buf - 1 - n)) > 0) n += r;
    sys_close((int)fd);
    buf[n] = 0;
    CHECK(n > 0);
    for (char *line = buf; *line;) {
        char *end = line;
        while (*end && *end != '\n') end++;
        char *sp = line;
        while (sp < end && *sp != ' ') sp++;
        /* perms "r-xp" and a path */
        if (sp + 4 < end && sp[3] == 'x') {
            char *slash = sp;
            while (slash < end && *slash != '/') slash++;
            int so = 0;
            for (char *q = slash; q + 3 <= end; q++)
                if (q[0] == '.' && q[1] == 's' && q[2] == 'o') so = 1;
            if (slash < end && so && sp - line < size) {
                int k = 0;
                for (char *p = line; p < sp; p++) range[k++] = *p;
                range[k] = 0;
                return 1;
            }
        }
        line = *end ? end + 1 : end;
    }
    return 0;
}

int test_main(int argc, char **argv, char **envp) {
    (void)argc, (void)argv, (void)envp;
    long long pid = sys_getpid(), tid = sys_gettid();
    char path[256];

    refused("/proc/self/mem");
    cat_num(path, "/proc/", pid, "/mem");
    refused(path);
    refused("/proc/thread-self/mem");
    cat_num(path, "/proc/self/task/", tid, "/mem");
    refused(path);
    cat_num(path, "/proc/", pid, "/task/");
    char *e = path;
    while (*e) e++;
    cat_num(e, "", tid, "/mem");
    refused(path);
    refused("/proc/self/../self/./mem");
    refused("/proc//self///mem");

    /* A symlink in the working directory. */
    CHECK(sys_symlink("/proc/self/mem", "memlink") == 0);
    refused("memlink");
    CHECK(sys_symlink("/proc/self", "selflink") == 0);
    refused("selflink/mem");

    /* Relative to a /proc directory descriptor, and O_PATH re-opened. */
    long long dfd = sys_open("/proc/self", O_RDONLY | O_DIRECTORY, 0);
    CHECK(dfd >= 0);
    CHECK(sys_openat((int)dfd, "mem", O_RDWR, 0) == -EACCES);
    CHECK(sys_openat((int)dfd, "./task/../mem", O_RDONLY, 0) == -EACCES);
    long long pfd = sys_open("/proc", O_PATH | O_DIRECTORY, 0);
    CHECK(pfd >= 0);
    CHECK(sys_openat((int)pfd, "self/mem", O_RDWR, 0) == -EACCES);
    CHECK(sys_openat((int)pfd, "thread-self/mem", O_RDONLY, 0) == -EACCES);

    /* Through /dev/fd and /proc/self/fd of a /proc directory. */
    char fdpath[64];
    cat_num(fdpath, "/dev/fd/", dfd, "/mem");
    refused(fdpath);
    cat_num(fdpath, "/proc/self/fd/", dfd, "/mem");
    refused(fdpath);

    /* A forked child's mem file from the parent. */
    long long child = sys_fork();
    if (child == 0) {
        struct { long long s, ns; } ts = {5, 0};
        sys_nanosleep(&ts, NULL);
        t_exit(0);
    }
    CHECK(child > 0);
    cat_num(path, "/proc/", child, "/mem");
    refused(path);
    sys_kill((int)child, 9);
    sys_wait4((int)child, NULL, 0, NULL);

    /* The maps and status files still open and read. */
    char range[128];
    CHECK(first_exec_range(range, sizeof range) == 1);
    long long st = sys_open("/proc/self/status", O_RDONLY, 0);
    CHECK(st >= 0);
    CHECK(sys_read((int)st, buf, 16) > 0);
    sys_close((int)st);

    /* The engine's code through map_files: read-only is the file itself
     * (harmless), writing is refused, and so is a re-open for writing of a
     * read-only descriptor through /proc/self/fd. */
    char mf[256];
    const char *pre = "/proc/self/map_files/";
    int k = 0;
    while (pre[k]) mf[k] = pre[k], k++;
    for (int i = 0; range[i]; i++) mf[k++] = range[i];
    mf[k] = 0;
    long long ro = sys_open(mf, O_RDONLY, 0);
    /* map_files needs CAP_SYS_ADMIN: without it the kernel says EPERM. */
    CHECK(ro >= 0 || ro == -1);
    CHECK(sys_open(mf, O_RDWR, 0) < 0);
    CHECK(sys_open(mf, O_WRONLY, 0) < 0);
    if (ro >= 0) {
        cat_num(fdpath, "/proc/self/fd/", ro, "");
        CHECK(sys_open(fdpath, O_RDWR, 0) == -EACCES);
        /* Never O_TRUNC here: natively (and in an engine without the check) this
         * descriptor is a shared library of the running process, and a
         * truncation destroys it for the whole machine (it happened). */
        CHECK(sys_open(fdpath, O_WRONLY, 0) == -EACCES);
        sys_close((int)ro);
    }
    /* The engine's executable by its name, for writing or truncation. */
    long long wx = sys_open("/proc/self/exe", O_RDWR, 0);
    CHECK(wx == -EACCES || wx == -26 /* ETXTBSY */);
    /* Truncation is checked to the file's own size only: were the check
     * missing, that changes no byte of the engine's executable or library
     * (an O_TRUNC open or a shorter length would destroy it for the whole
     * machine). */
    struct t_stat xs;
    CHECK(sys_stat("/proc/self/exe", &xs) == 0);
    CHECK(w_truncate("/proc/self/exe", xs.st_size) == -EACCES);
    if (ro >= 0) {
        CHECK(sys_stat(mf, &xs) == 0);
        CHECK(w_truncate(mf, xs.st_size) == -EACCES);
    }
    long long exe = sys_open("/proc/self/exe", O_RDONLY, 0);
    CHECK(exe >= 0);
    if (exe >= 0) sys_close((int)exe);

    /* Ordinary files still open for writing. */
    long long f = sys_open("plain", O_RDWR | O_CREAT | O_TRUNC, 0600);
    CHECK(f >= 0);
    CHECK(sys_write((int)f, "x", 1) == 1);
    sys_close((int)f);
    CHECK(w_truncate("plain", 0) == 0);

    /* personality: queries work, READ_IMPLIES_EXEC is refused, other
     * flags pass. */
    long long p = w_personality(0xffffffffLL);
    CHECK(p >= 0);
    CHECK(w_personality(p | 0x0400000) == -1);
    CHECK((w_personality(0xffffffffLL) & 0x0400000) == 0);
    CHECK(w_personality(p | 0x0040000) == p); /* ADDR_NO_RANDOMIZE */
    CHECK(w_personality(p) == (p | 0x0040000));
    CHECK(w_personality(0xffffffffLL) == p);

    out("done\n");
    return t_failures ? 1 : 0;
}
