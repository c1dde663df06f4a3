/* Native helper of the driver: runs one command and reports its wall time
 * and peak RSS: `launch REPORT CMD [ARGS...]` writes
 * `launch=SPAWN_NS WALL_NS MAXRSS_KB STATUS` to the file REPORT.
 *
 * The driver (Python) could spawn the programs itself, but a child created
 * from a large process starts with that process's peak RSS (Linux carries
 * the pre-exec high-water mark into ru_maxrss), so the figures would be the
 * driver's size. This process is small, and it reads CLOCK_MONOTONIC right
 * before fork, the clock hello.c reports on entry to main. STATUS is the
 * exit status, or 128+N for a death by signal N. */
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: launch REPORT CMD [ARGS...]\n");
        return 125;
    }
    FILE *report = fopen(argv[1], "w");
    if (!report) {
        perror("launch: report file");
        return 125;
    }
    long long t0 = now_ns();
    pid_t pid = fork();
    if (pid < 0) {
        perror("launch: fork");
        return 125;
    }
    if (pid == 0) {
        fclose(report);
        execv(argv[2], argv + 2);
        perror("launch: execv");
        _exit(127);
    }
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) != pid) {
        perror("launch: wait4");
        return 125;
    }
    long long t1 = now_ns();
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    fprintf(report, "launch=%lld %lld %ld %d\n", t0, t1 - t0, ru.ru_maxrss, code);
    fclose(report);
    return 0;
}
