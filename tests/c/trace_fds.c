/* With --trace=FILE the engine holds the trace file open: the guest must
 * not reach it. Every descriptor above stdio that fstat calls closed must
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
    show("open", open_fds);
    show("reached", reached);
    return 0;
}
