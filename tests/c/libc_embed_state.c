/* Per-guest state across guests of one embedding (tests/embed.rs runs
 * several of these, one after another, in tests/embed/embed.c):
 *   libc_embed_state dirty   changes what a process can change about
 *                            itself: signal handlers and ignores, blocked
 *                            signals with one pending, an alternate signal
 *                            stack, a lowered stack limit, its environment's
 *                            file; then exits 7
 *   libc_embed_state check   prints that state as a process sees it at
 *                            its start (compared with the native program
 *                            run fresh)
 *   libc_embed_state map     prints where its first mmap lands
 *   libc_embed_state wait    tells the embedding it runs (writes fd 101),
 *                            waits for its answer (reads fd 100) */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

extern char **environ;

static void on_sig(int sig) { (void)sig; }

static const char *disposition(int sig) {
    struct sigaction old;
    if (sigaction(sig, NULL, &old) != 0) return "error";
    if (old.sa_handler == SIG_DFL) return "default";
    if (old.sa_handler == SIG_IGN) return "ignored";
    return "handler";
}

static void print_set(const char *what, const sigset_t *s) {
    printf("%s:", what);
    int any = 0;
    for (int sig = 1; sig < 32; sig++) {
        if (sigismember(s, sig) == 1) {
            printf(" %d", sig);
            any = 1;
        }
    }
    printf("%s\n", any ? "" : " none");
}

/* Overwrites the environment's memory file the engine serves to the guest
 * (found by its name among the descriptors): a later guest of the same
 * embedding must not read it. */
static void poison_env_file(void) {
    DIR *d = opendir("/proc/self/fd");
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d))) {
        char link[64], target[256];
        snprintf(link, sizeof link, "/proc/self/fd/%s", e->d_name);
        ssize_t n = readlink(link, target, sizeof target - 1);
        if (n <= 0) continue;
        target[n] = 0;
        if (!strstr(target, "wali-env")) continue;
        int fd = open(link, O_WRONLY | O_TRUNC);
        if (fd >= 0) {
            if (write(fd, "EVIL=1\n", 7) == 7) printf("env file rewritten\n");
            close(fd);
        }
    }
    closedir(d);
}

int main(int argc, char **argv) {
    const char *how = argc > 1 ? argv[1] : "";
    if (!strcmp(how, "dirty")) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_sig;
        sigaction(SIGUSR1, &sa, NULL);
        sigaction(SIGSEGV, &sa, NULL);
        signal(SIGPIPE, SIG_IGN);
        sigset_t s;
        sigemptyset(&s);
        sigaddset(&s, SIGUSR2);
        sigaddset(&s, SIGSEGV);
        sigaddset(&s, SIGTERM);
        sigprocmask(SIG_BLOCK, &s, NULL);
        /* Pending, blocked: one in the kernel, one (a sent SIGSEGV) in the
         * engine. */
        raise(SIGUSR2);
        kill(getpid(), SIGSEGV);
        static char alt[1 << 16];
        stack_t ss = {.ss_sp = alt, .ss_size = sizeof alt, .ss_flags = 0};
        if (sigaltstack(&ss, NULL) != 0) perror("sigaltstack");
        struct rlimit rl;
        getrlimit(RLIMIT_STACK, &rl);
        rl.rlim_cur = 1 << 20;
        if (setrlimit(RLIMIT_STACK, &rl) != 0) perror("setrlimit");
        poison_env_file();
        printf("dirty done\n");
        fflush(stdout);
        exit(7);
    }
    if (!strcmp(how, "check")) {
        printf("SIGUSR1 %s, SIGPIPE %s, SIGSEGV %s, SIGTERM %s\n", disposition(SIGUSR1),
               disposition(SIGPIPE), disposition(SIGSEGV), disposition(SIGTERM));
        sigset_t s;
        sigprocmask(SIG_BLOCK, NULL, &s);
        print_set("blocked", &s);
        sigpending(&s);
        print_set("pending", &s);
        stack_t ss;
        sigaltstack(NULL, &ss);
        printf("altstack %s size %lu\n", (ss.ss_flags & SS_DISABLE) ? "disabled" : "enabled",
               (unsigned long)ss.ss_size);
        struct rlimit rl;
        getrlimit(RLIMIT_STACK, &rl);
        printf("stack limit %llu %llu\n", (unsigned long long)rl.rlim_cur,
               (unsigned long long)rl.rlim_max);
        for (char **e = environ; *e; e++) printf("env %s\n", *e);
        return 0;
    }
    if (!strcmp(how, "map")) {
        void *p = mmap(NULL, 1 << 16, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        printf("map %p\n", p);
        return 0;
    }
    if (!strcmp(how, "wait")) {
        char c = 'x';
        if (write(101, &c, 1) != 1 || read(100, &c, 1) != 1) return 3;
        printf("waited\n");
        return 0;
    }
    return 2;
}
