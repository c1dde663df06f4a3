/* With --trace=FILE the engine holds the trace file open: the guest must
 * not reach it, by number or reopened through /proc/self/fd. Every descriptor above stdio that fstat calls closed must
 * also be closed to write, fcntl and dup2-over, as natively, where nothing
 * is open there (tests/trace.rs). Descriptors the test runner left open
 * are only counted, never written. */
#include "walitest.h"

int test_main(int argc, char **argv, char **envp) {
    (void)argc; (void)argv; (void)envp;
    int open_fds = 0, reached = 0;
    char st[256];
    for (int fd = 3; fd < 1024; fd++) {
        if (sys_fstat(fd, (void *)st) != -9) {
            show("open fd", fd);
            open_fds++;
            continue;
        }
        long w = sys_write(fd, "forged trace line\n", 18);
        long f = sys_fcntl(fd, 1 /* F_GETFD */, 0);
        long c = sys_close(fd);
        if (w != -9 || f != -9 || c != -9) {
            show("reached fd", fd);
            reached++;
        }
    }
    /* Reopening a descriptor through procfs gives a new one on the same
     * file: the engine must refuse it for the trace file too. */
    int reopened = 0;
    for (int fd = 3; fd < 1024; fd++) {
        if (sys_fstat(fd, (void *)st) != -9)
            continue;
        char path[32] = "/proc/self/fd/";
        int n = 14, v = fd, digits = v >= 1000 ? 4 : v >= 100 ? 3 : v >= 10 ? 2 : 1;
        for (int i = digits - 1; i >= 0; i--, v /= 10)
            path[n + i] = (char)('0' + v % 10);
        path[n + digits] = 0;
        long long nfd = sys_open(path, 01 | 02000 /* O_WRONLY|O_APPEND */, 0);
        if (nfd >= 0) {
            sys_write((int)nfd, "forged via procfs\n", 18);
            sys_close((int)nfd);
            show("reopened fd", fd);
            reopened++;
        }
    }
    show("open", open_fds);
    show("reached", reached);
    show("reopened", reopened);
    return 0;
}
