/* chroot (as root): paths resolve in the new root, the working directory
 * stays until changed, ".." stops at the new root, /proc is gone unless
 * mounted there, and the engine keeps working (files, fork, wait).
 * Differential with native. Without root both builds print the same
 * "skip" line (chroot is EPERM). WALI only (checked, not printed): a procfs
 * descriptor opened before the chroot still cannot reach /proc/self/mem. */
#include "walitest.h"

#define EACCES 13

static void show_file(const char *label, const char *path) {
    char b[64] = {0};
    long long fd = sys_open(path, O_RDONLY, 0);
    show(label, fd >= 0);
    if (fd >= 0) {
        long long n = sys_read((int)fd, b, sizeof b - 1);
        out(label);
        out(":");
        out_n(b, n > 0 ? n : 0);
        out("\n");
        sys_close((int)fd);
    }
}

int test_main(int argc, char **argv, char **envp) {
    (void)argc, (void)argv, (void)envp;
    CHECK(sys_mkdir("newroot", 0755) == 0);
    CHECK(sys_mkdir("newroot/sub", 0755) == 0);
    long long fd = sys_open("newroot/sub/f", O_WRONLY | O_CREAT, 0644);
    sys_write((int)fd, "inside", 6);
    sys_close((int)fd);
    fd = sys_open("outside", O_WRONLY | O_CREAT, 0644);
    sys_write((int)fd, "outside", 7);
    sys_close((int)fd);
    long long proc = sys_open("/proc", O_RDONLY | O_DIRECTORY, 0);
    (void)proc;

    if (sys_geteuid() != 0) {
        show("chroot_nonroot", sys_chroot("newroot"));
        out("skip: not root\n");
        return 0;
    }
    show("chroot_missing", sys_chroot("nonexistent"));
    show("chroot_file", sys_chroot("outside"));
    show("chroot", sys_chroot("newroot"));
    /* The working directory is still outside the new root. */
    show_file("cwd_outside", "outside");
    show("chdir_root", sys_chdir("/"));
    char cwd[256] = {0};
    show("getcwd", sys_getcwd(cwd, sizeof cwd) > 0);
    out("cwd:");
    out(cwd);
    out("\n");
    show_file("abs_inside", "/sub/f");
    show_file("dotdot", "/../../sub/f");
    show_file("gone", "/outside");
    show("proc_absent", sys_open("/proc/self/mem", O_RDONLY, 0));
    show("proc_status_absent", sys_open("/proc/self/status", O_RDONLY, 0));
    long long w = sys_open("/sub/new", O_WRONLY | O_CREAT, 0600);
    show("create", w >= 0);
    sys_close((int)w);
    long long c = sys_fork();
    if (c == 0) t_exit(sys_open("/sub/new", O_RDONLY, 0) >= 0 ? 5 : 6);
    int st = 0;
    sys_wait4((int)c, &st, 0, NULL);
    show("child_status", (st >> 8) & 0xff);
#ifdef __wasm__
    CHECK(sys_openat((int)proc, "self/mem", O_RDWR, 0) == -EACCES);
    CHECK(sys_openat((int)proc, "thread-self/mem", O_RDONLY, 0) == -EACCES);
    long long s = sys_openat((int)proc, "self/status", O_RDONLY, 0);
    CHECK(s >= 0);
#endif
    out("done\n");
    return t_failures ? 1 : 0;
}
