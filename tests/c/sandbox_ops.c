/* What a sandboxed program may and may not do (tests/sandbox.rs). Run in a
 * fresh directory that the policy allows; OUT is a directory outside it
 * holding a file `secret`. Each line is `label=result` (0 or a byte count for
 * success, -errno for failure), so the WALI run can be compared with the
 * native build run under the same Landlock policy.
 *   fs OUT RELOUT    files: inside, outside, `..` (RELOUT: OUT relative to
 *                    the current directory), symlinks, /proc/self/root,
 *                    hard links, renames, truncate, a dirfd (fd 3, opened
 *                    by the test on OUT before the policy), /proc/self/fd
 *   fds              descriptors inherited from the engine: none leads out
 *   tcp OK DENIED BOK BDENIED   connect to 127.0.0.1:OK / :DENIED (both
 *                    listening), bind :BOK / :BDENIED
 *   udp              UDP and raw sockets
 *   sig PID          kill(PID, 0) and kill(parent, 0) (outside), and a
 *                    forked child (inside)
 *   unix NAME        connect to the abstract socket NAME (bound outside), and
 *                    to one bound inside
 *   procenv PID      read /proc/PID/{environ,maps,cmdline} of a process
 *                    outside, /proc/self/{environ,maps}, open /proc and
 *                    /proc/PID/cwd
 *   procmem          open /proc/self/mem (read, read-write), read maps
 *   exec PATH ARGS   execve PATH with ARGS (prints the error if it returns)
 *   loop             a loop without system calls, forever
 *   forkloop         fork; the child loops, the parent exits
 *   quick            prints done
 */
#include "walitest.h"
#ifndef __wasm__
#include <string.h>
#endif

#define AF_UNIX 1
#define AF_INET 2
#define AF_PACKET 17
#define SOCK_STREAM 1
#define SOCK_DGRAM 2
#define SOCK_RAW 3
#define F_GETFD 1
#define LOOPBACK 0x0100007fu

/* The spec lists truncate without arguments: a typed import of our own. */
#ifdef __wasm__
WALI_IMPORT("SYS_truncate") long long x_truncate(const char *, long long);
#else
static long long x_truncate(const char *a, long long b) { return walit_ret(syscall(SYS_truncate, a, b)); }
#endif

struct t_sockaddr_in {
    unsigned short family, port;
    unsigned int addr;
    char zero[8];
};
struct t_sockaddr_un {
    unsigned short family;
    char path[108];
};

static char path_buf[4096];
/* a + b (+ c) in a static buffer. */
static char *cat3(const char *a, const char *b, const char *c) {
    size_t n = 0;
    for (const char *p = a; *p; p++) path_buf[n++] = *p;
    for (const char *p = b; *p; p++) path_buf[n++] = *p;
    for (const char *p = c; *p; p++) path_buf[n++] = *p;
    path_buf[n] = 0;
    return path_buf;
}

/* An fd result as 0 (closed again) or -errno. */
static i64 ok(i64 fd) {
    if (fd >= 0) {
        sys_close(fd);
        return 0;
    }
    return fd;
}

/* Opens PATH and reads from it: 0, or -errno of the open, or -1 if the
 * read fails. */
static i64 read_some(const char *path) {
    char buf[16];
    i64 fd = sys_open(path, O_RDONLY, 0);
    if (fd < 0) return fd;
    i64 n = sys_read(fd, buf, sizeof buf);
    sys_close(fd);
    return n < 0 ? -1 : 0;
}

static void do_fs(const char *out, const char *relout) {
    i64 fd = sys_open("in.txt", O_CREAT | O_WRONLY | O_TRUNC, 0600);
    show("create_inside", fd >= 0 ? 0 : fd);
    show("write_inside", sys_write(fd, "data\n", 5));
    sys_close(fd);
    char buf[64];
    fd = sys_open("in.txt", O_RDONLY, 0);
    show("read_inside", sys_read(fd, buf, sizeof buf));
    sys_close(fd);
    show("read_outside", ok(sys_open(cat3(out, "/secret", ""), O_RDONLY, 0)));
    show("create_outside", ok(sys_open(cat3(out, "/new", ""), O_CREAT | O_WRONLY, 0600)));
    show("dotdot", ok(sys_open(cat3(relout, "/secret", ""), O_RDONLY, 0)));
    show("dotdot_dir", ok(sys_open("..", O_RDONLY | O_DIRECTORY, 0)));
    show("etc_passwd", ok(sys_open("/etc/passwd", O_RDONLY, 0)));
    show("symlink_make", sys_symlink(cat3(out, "/secret", ""), "link"));
    show("symlink_read", ok(sys_open("link", O_RDONLY, 0)));
    show("symlink_dir", sys_symlink(out, "dirlink"));
    show("symlink_dir_read", ok(sys_open("dirlink/secret", O_RDONLY, 0)));
    show("proc_root", ok(sys_open(cat3("/proc/self/root", out, "/secret"), O_RDONLY, 0)));
    show("proc_cwd_dotdot",
         ok(sys_open(cat3("/proc/self/cwd/", relout, "/secret"), O_RDONLY, 0)));
    show("hardlink_in", sys_link(cat3(out, "/secret", ""), "hard"));
    show("hardlink_out", sys_link("in.txt", cat3(out, "/hard", "")));
    show("rename_out", sys_rename("in.txt", cat3(out, "/moved", "")));
    show("rename_in", sys_rename(cat3(out, "/secret", ""), "stolen"));
    show("truncate_out", x_truncate(cat3(out, "/secret", ""), 0));
    show("unlink_out", sys_unlink(cat3(out, "/secret", "")));
    show("mkdir_out", sys_mkdir(cat3(out, "/d", ""), 0700));
    show("mkdir_in", sys_mkdir("sub", 0700));
    show("rename_within", sys_rename("in.txt", "sub/in.txt"));
    show("link_within", sys_link("sub/in.txt", "again.txt"));
    show("truncate_in", x_truncate("again.txt", 1));
    /* fd 3: OUT, opened by the test before the policy. */
    show("dirfd_secret", ok(sys_openat(3, "secret", O_RDONLY, 0)));
    show("dirfd_create", ok(sys_openat(3, "new2", O_CREAT | O_WRONLY, 0600)));
    show("dirfd_dotdot", ok(sys_openat(3, "..", O_RDONLY | O_DIRECTORY, 0)));
    show("procfd_secret", ok(sys_open("/proc/self/fd/3/secret", O_RDONLY, 0)));
    show("procfd_dir", ok(sys_open("/proc/self/fd/3", O_RDONLY | O_DIRECTORY, 0)));
    show("devfd_secret", ok(sys_open("/dev/fd/3/secret", O_RDONLY, 0)));
}

/* Every descriptor above 3 the program has: none may open a file outside
 * the allowed tree (a directory, or `..` of one). */
static void do_fds(void) {
    int escapes = 0;
    char name[32];
    for (int fd = 4; fd < 1024; fd++) {
        if (sys_fcntl(fd, F_GETFD, 0) < 0) continue;
        int n = 0;
        const char *pre = "/proc/self/fd/";
        while (pre[n]) name[n] = pre[n], n++;
        char digits[8];
        int d = 0, v = fd;
        do digits[d++] = '0' + v % 10; while (v /= 10);
        while (d) name[n++] = digits[--d];
        name[n] = 0;
        if (sys_openat(fd, "..", O_RDONLY | O_DIRECTORY, 0) >= 0) escapes++;
        if (sys_open(cat3(name, "/..", ""), O_RDONLY | O_DIRECTORY, 0) >= 0) escapes++;
        if (sys_open(cat3(name, "/etc/passwd", ""), O_RDONLY, 0) >= 0) escapes++;
    }
    show("escapes", escapes);
}

static i64 tcp(int port, int do_bind) {
    struct t_sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.family = AF_INET;
    a.port = (unsigned short)((port >> 8) | ((port & 0xff) << 8));
    a.addr = LOOPBACK;
    i64 s = sys_socket(AF_INET, SOCK_STREAM, 0);
    if (s < 0) return s;
    i64 r = do_bind ? sys_bind(s, &a, sizeof a) : sys_connect(s, &a, sizeof a);
    sys_close(s);
    return r;
}

static void do_tcp(char **argv) {
    show("tcp_socket", ok(sys_socket(AF_INET, SOCK_STREAM, 0)));
    show("connect_allowed", tcp(t_atoi(argv[2]), 0));
    show("connect_denied", tcp(t_atoi(argv[3]), 0));
    show("bind_allowed", tcp(t_atoi(argv[4]), 1));
    show("bind_denied", tcp(t_atoi(argv[5]), 1));
    int sv[2];
    show("socketpair_unix", sys_socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
}

static void do_udp(void) {
    show("udp", ok(sys_socket(AF_INET, SOCK_DGRAM, 0)));
    show("raw", ok(sys_socket(AF_INET, SOCK_RAW, 1)));
    show("packet", ok(sys_socket(AF_PACKET, SOCK_DGRAM, 0)));
    show("unix", ok(sys_socket(AF_UNIX, SOCK_DGRAM, 0)));
}

static void do_sig(const char *pid) {
    show("kill_outside", sys_kill(t_atoi(pid), 0));
    show("kill_parent", sys_kill(sys_getppid(), 0));
    show("kill_self", sys_kill(sys_getpid(), 0));
    i64 child = sys_fork();
    if (child == 0) {
        for (;;) sys_pause(); /* until killed */
    }
    show("kill_child", sys_kill(child, 9));
    int st = 0;
    show("wait_child", sys_wait4(child, &st, 0, NULL) == child ? st : -1);
}

static i64 unix_connect(const char *name) {
    struct t_sockaddr_un a;
    memset(&a, 0, sizeof a);
    a.family = AF_UNIX;
    int n = 0;
    while (name[n]) a.path[1 + n] = name[n], n++;
    i64 s = sys_socket(AF_UNIX, SOCK_STREAM, 0);
    i64 r = sys_connect(s, &a, 2 + 1 + n);
    sys_close(s);
    return r;
}

static void do_unix(const char *name) {
    show("abstract_outside", unix_connect(name));
    /* One bound here, inside the sandbox. */
    struct t_sockaddr_un a;
    memset(&a, 0, sizeof a);
    a.family = AF_UNIX;
    const char *mine = "wali-sandbox-inside";
    int n = 0;
    for (; mine[n]; n++) a.path[1 + n] = mine[n];
    a.path[1 + n] = 0;
    i64 s = sys_socket(AF_UNIX, SOCK_STREAM, 0);
    /* A name of our own: make it unique by the pid digits. */
    int pid = (int)sys_getpid();
    do a.path[1 + n++] = '0' + pid % 10; while (pid /= 10);
    show("bind_inside", sys_bind(s, &a, 2 + 1 + n));
    show("listen_inside", sys_listen(s, 1));
    a.path[1 + n] = 0;
    show("abstract_inside", unix_connect(a.path + 1));
    sys_close(s);
}

int test_main(int argc, char **argv, char **envp) {
    (void)envp;
    if (argc < 2) return 2;
    const char *op = argv[1];
    if (t_strcmp(op, "fs") == 0 && argc > 3) do_fs(argv[2], argv[3]);
    else if (t_strcmp(op, "fds") == 0) do_fds();
    else if (t_strcmp(op, "tcp") == 0 && argc > 5) do_tcp(argv);
    else if (t_strcmp(op, "udp") == 0) do_udp();
    else if (t_strcmp(op, "sig") == 0 && argc > 2) do_sig(argv[2]);
    else if (t_strcmp(op, "unix") == 0 && argc > 2) do_unix(argv[2]);
    else if (t_strcmp(op, "procenv") == 0 && argc > 2) {
        show("proc_environ", read_some(cat3("/proc/", argv[2], "/environ")));
        show("proc_maps", read_some(cat3("/proc/", argv[2], "/maps")));
        show("proc_cmdline", read_some(cat3("/proc/", argv[2], "/cmdline")));
        show("self_environ", read_some("/proc/self/environ"));
        show("self_maps", read_some("/proc/self/maps"));
        show("proc_dir", ok(sys_open("/proc", O_RDONLY | O_DIRECTORY, 0)));
        i64 fd = sys_open(cat3("/proc/", argv[2], "/cwd"), O_RDONLY | O_DIRECTORY, 0);
        show("proc_cwd", ok(fd));
    }
    else if (t_strcmp(op, "procmem") == 0) {
        show("self_mem_r", ok(sys_open("/proc/self/mem", O_RDONLY, 0)));
        show("self_mem_rw", ok(sys_open("/proc/self/mem", O_RDWR, 0)));
        show("self_maps", read_some("/proc/self/maps"));
    }
    else if (t_strcmp(op, "exec") == 0 && argc > 2) {
        char *envp2[] = {"PATH=/usr/bin:/bin", NULL};
        show("execve", sys_execve(argv[2], argv + 2, envp2));
    } else if (t_strcmp(op, "loop") == 0) {
        volatile unsigned long long n = 0;
        for (;;) n++;
    } else if (t_strcmp(op, "forkloop") == 0) {
        /* The parent exits at once; the child spins until --timeout ends
         * it (its own timer: the parent's did not come along), or gives up
         * after 20 s with status 3 so that a broken timer cannot leave it
         * running. */
        if (sys_fork() == 0) {
            long long ts[2];
            sys_clock_gettime(1, ts);
            long long end = ts[0] + 20;
            for (volatile unsigned long long n = 0;; n++) {
                if ((n & 0xfffff) == 0) {
                    sys_clock_gettime(1, ts);
                    if (ts[0] > end) t_exit(3);
                }
            }
        }
        out("parent\n");
    } else if (t_strcmp(op, "quick") == 0) out("done\n");
    else return 2;
    return 0;
}
