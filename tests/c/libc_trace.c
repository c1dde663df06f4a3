/* The traced guest of tests/trace.rs: a failed openat, a write of a long
 * buffer, a thread, a signal with a handler, and an exit status. Its
 * stdout is compared with the native build's; the trace checks are in
 * tests/trace.rs. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t got;

static void on_usr1(int sig) { got = sig; }

static void *thread_main(void *arg) {
    static const char msg[] = "from the thread\n";
    write(1, msg, sizeof msg - 1);
    return arg;
}

int main(void) {
    int fd = openat(AT_FDCWD, "/nonexistent", O_RDONLY);
    int err = errno;
    static const char line[] = "a line longer than thirty-two bytes, cut in the trace\n";
    write(1, line, sizeof line - 1);
    printf("openat: %d errno %d\n", fd, err);
    fflush(stdout);
    pthread_t t;
    if (pthread_create(&t, NULL, thread_main, NULL) != 0 || pthread_join(t, NULL) != 0) {
        printf("thread failed\n");
        return 1;
    }
    signal(SIGUSR1, on_usr1);
    raise(SIGUSR1);
    printf("signal %d\n", got);
    fflush(stdout);
    return 7;
}
