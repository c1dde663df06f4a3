/* Support for the differential test programs.
 *
 * Each test defines `int test_main(int argc, char **argv, char **envp)` and
 * is built twice: for WALI (clang-19 --target=wasm32, no libc: this header
 * provides `_start`, the environment and a few string helpers over the
 * `wali` imports) and natively with gcc against glibc. Both builds make
 * system calls through `sys_NAME(...)` (wali_syscalls.h), which returns the
 * raw kernel result, so the two outputs can be compared byte for byte.
 */
#ifndef WALITEST_H
#define WALITEST_H

#include "wali_syscalls.h"

#ifdef __wasm__
typedef unsigned long size_t;
typedef long long i64;
#define NULL ((void *)0)
/* An address beyond any linear memory (4 GiB - 16): the engine must answer
 * -EFAULT without touching the host. */
#define BAD_PTR ((void *)0xfffffff0u)
#else
#include <stddef.h>
#include <stdlib.h>
typedef long long i64;
/* An address that is never mapped in a native process. */
#define BAD_PTR ((void *)16)
#endif

#define O_RDONLY 0
#define O_WRONLY 01
#define O_RDWR 02
#define O_CREAT 0100
#define O_EXCL 0200
#define O_TRUNC 01000
#define O_APPEND 02000
#define O_DIRECTORY 0200000
#define O_CLOEXEC 02000000
#define AT_FDCWD (-100)
#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_EMPTY_PATH 0x1000
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2

static size_t t_strlen(const char *s) {
    size_t n = 0;
    while (s[n]) n++;
    return n;
}

static int t_strcmp(const char *a, const char *b) {
    while (*a && *a == *b) a++, b++;
    return (unsigned char)*a - (unsigned char)*b;
}

static int t_memcmp(const void *a, const void *b, size_t n) {
    const unsigned char *x = a, *y = b;
    for (size_t i = 0; i < n; i++)
        if (x[i] != y[i]) return x[i] - y[i];
    return 0;
}

/* Output goes straight to fd 1 with write(2): no buffering to flush. */
static void out(const char *s) { sys_write(1, s, t_strlen(s)); }

static void out_n(const char *s, size_t n) { sys_write(1, s, n); }

static void out_i64(i64 v) {
    char buf[24];
    int i = sizeof buf;
    unsigned long long u = v < 0 ? -(unsigned long long)v : (unsigned long long)v;
    do buf[--i] = '0' + u % 10; while ((u /= 10) && i > 1);
    if (v < 0) buf[--i] = '-';
    out_n(buf + i, sizeof buf - i);
}

/* "label=value\n" */
static void show(const char *label, i64 v) {
    out(label);
    out("=");
    out_i64(v);
    out("\n");
}

/* Checks a condition; a failure prints the line and makes the test fail. */
static int t_failures;
#define CHECK(cond)                                                  \
    do {                                                             \
        if (!(cond)) {                                               \
            out("CHECK FAILED line ");                               \
            out_i64(__LINE__);                                       \
            out(": " #cond "\n");                                    \
            t_failures++;                                            \
        }                                                            \
    } while (0)

/* Decimal string to int (tests take small numbers as arguments). */
static int t_atoi(const char *s) {
    int neg = *s == '-', v = 0;
    if (neg) s++;
    while (*s >= '0' && *s <= '9') v = v * 10 + (*s++ - '0');
    return neg ? -v : v;
}

/* struct stat in the x86-64 layout, which is also the wasm32 WALI layout
 * (144 bytes): the same struct for both builds of a test. */
struct t_stat {
    unsigned long long st_dev, st_ino, st_nlink;
    unsigned int st_mode, st_uid, st_gid;
    int pad0;
    unsigned long long st_rdev;
    long long st_size, st_blksize, st_blocks;
    long long st_atime_sec, st_atime_nsec, st_mtime_sec, st_mtime_nsec;
    long long st_ctime_sec, st_ctime_nsec;
    long long reserved[3];
};
_Static_assert(sizeof(struct t_stat) == 144, "struct stat is 144 bytes");
#define T_S_IFMT 0170000

/* Ends the whole process now: __proc_exit for WALI, exit_group natively. */
static void t_exit(int status) {
#ifdef __wasm__
    wali_proc_exit(status);
#else
    sys_exit_group(status);
#endif
}

int test_main(int argc, char **argv, char **envp);

#ifdef __wasm__
/* No libc: the compiler may still emit calls to these. */
void *memcpy(void *d, const void *s, size_t n) {
    unsigned char *a = d;
    const unsigned char *b = s;
    while (n--) *a++ = *b++;
    return d;
}
void *memset(void *d, int c, size_t n) {
    unsigned char *a = d;
    while (n--) *a++ = (unsigned char)c;
    return d;
}
void *memmove(void *d, const void *s, size_t n) {
    unsigned char *a = d;
    const unsigned char *b = s;
    if (a < b)
        while (n--) *a++ = *b++;
    else
        while (n--) a[n] = b[n];
    return d;
}
int memcmp(const void *a, const void *b, size_t n) { return t_memcmp(a, b, n); }

#define T_MAX_ARGS 256
#define T_ARG_SPACE (256 * 1024)
#define T_MAX_ENV 256
#define T_ENV_SPACE (64 * 1024)
static char t_argbuf[T_ARG_SPACE];
static char *t_argv[T_MAX_ARGS + 1];
static char t_envbuf[T_ENV_SPACE];
static char *t_envp[T_MAX_ENV + 1];

/* The environment file: KEY=VALUE lines, read whole. */
static void t_load_env(void) {
    char path[4096];
    int n = 0;
    if (wali_get_init_envfile(path, sizeof path) != 1) {
        t_envp[0] = NULL;
        return;
    }
    long long fd = sys_open(path, O_RDONLY, 0);
    if (fd < 0) wali_proc_exit(259);
    long long len = 0, r;
    while ((r = sys_read((int)fd, t_envbuf + len, T_ENV_SPACE - 1 - len)) > 0) len += r;
    sys_close((int)fd);
    t_envbuf[len] = 0;
    char *p = t_envbuf;
    while (*p && n < T_MAX_ENV) {
        char *line = p;
        while (*p && *p != '\n') p++;
        if (*p) *p++ = 0;
        if (*line) t_envp[n++] = line;
    }
    t_envp[n] = NULL;
}

__attribute__((export_name("_start"))) void _start(void) {
    if (wali_init() != 0) wali_proc_exit(257);
    t_load_env();
    int argc = wali_cl_get_argc();
    if (argc > T_MAX_ARGS) argc = T_MAX_ARGS;
    size_t used = 0;
    for (int i = 0; i < argc; i++) {
        int len = wali_cl_get_argv_len(i);
        if (used + len + 1 > T_ARG_SPACE) wali_proc_exit(257);
        t_argv[i] = t_argbuf + used;
        if (wali_cl_copy_argv(t_argv[i], i) != 0) wali_proc_exit(257);
        used += len + 1;
    }
    t_argv[argc] = NULL;
    int status = test_main(argc, t_argv, t_envp);
    if (t_failures && status == 0) status = 99;
    wali_deinit();
    wali_proc_exit(status);
}
#else
int main(int argc, char **argv, char **envp) {
    int status = test_main(argc, argv, envp);
    if (t_failures && status == 0) status = 99;
    return status;
}
#endif

#endif
