/* SIGPIPE and signal dispositions through the C library (musl via
 * ./wali-cc, glibc natively):
 *   libc_sigpipe ignore   signal(SIGPIPE, SIG_IGN), then write to a closed
 *                         pipe: -1 EPIPE; the old and current dispositions
 *   libc_sigpipe default  SIGPIPE left as started: write to a closed pipe
 *                         kills the process (status = signal)
 *   libc_sigpipe query    the SIGPIPE disposition the process started with
 *                         (the test starts it with SIGPIPE ignored, too)
 *   libc_sigpipe exec     execs /bin/grep to show the SigIgn mask a native
 *                         program inherits (after ignoring SIGUSR2 here)
 *   libc_sigpipe yes      `yes`: writes "y" lines to stdout until it fails
 *                         (in a pipeline into `head`, SIGPIPE ends it)
 *   libc_sigpipe handler1 a handler for SIGUSR1 installed and called, and
 *                         its value read back */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t got;

/* The first function whose address this file takes. */
static void on_usr1(int sig) { got = sig; }

static const char *name_of(void (*h)(int))
{
	if (h == SIG_DFL) return "SIG_DFL";
	if (h == SIG_IGN) return "SIG_IGN";
	if (h == SIG_ERR) return "SIG_ERR";
	return "handler";
}

static const char *current(int sig)
{
	struct sigaction sa;
	if (sigaction(sig, 0, &sa)) return "error";
	return name_of(sa.sa_handler);
}

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "";
	setvbuf(stdout, 0, _IONBF, 0);
	if (!strcmp(what, "ignore")) {
		int p[2];
		if (pipe(p)) return 1;
		close(p[0]);
		printf("old %s\n", name_of(signal(SIGPIPE, SIG_IGN)));
		printf("now %s\n", current(SIGPIPE));
		errno = 0;
		ssize_t n = write(p[1], "x", 1);
		printf("write %zd %s\n", n, errno == EPIPE ? "EPIPE" : strerror(errno));
		printf("old again %s\n", name_of(signal(SIGPIPE, SIG_DFL)));
		printf("now %s\n", current(SIGPIPE));
		return 0;
	}
	if (!strcmp(what, "default")) {
		int p[2];
		if (pipe(p)) return 1;
		close(p[0]);
		printf("start %s\n", current(SIGPIPE));
		ssize_t n = write(p[1], "x", 1);
		printf("survived %zd %d\n", n, errno); /* not reached */
		return 0;
	}
	if (!strcmp(what, "query")) {
		printf("SIGPIPE %s\n", current(SIGPIPE));
		printf("SIGUSR1 %s\n", current(SIGUSR1));
		return 0;
	}
	if (!strcmp(what, "exec")) {
		signal(SIGUSR2, SIG_IGN);
		signal(SIGUSR1, on_usr1); /* a handler: reset to default by exec */
		execl("/bin/grep", "grep", "^SigIgn", "/proc/self/status", (char *)0);
		printf("exec failed %d\n", errno);
		return 1;
	}
	if (!strcmp(what, "yes")) {
		static char line[4096];
		for (size_t i = 0; i + 2 <= sizeof line; i += 2) memcpy(line + i, "y\n", 2);
		for (;;)
			if (write(1, line, sizeof line) < 0) {
				fprintf(stderr, "yes: write failed: %s\n", strerror(errno));
				return 3;
			}
	}
	if (!strcmp(what, "handler1")) {
		void (*h)(int) = on_usr1;
		printf("old %s\n", name_of(signal(SIGUSR1, h)));
		printf("now %s same %d\n", current(SIGUSR1), signal(SIGUSR1, h) == h);
		raise(SIGUSR1);
		printf("got %d\n", got);
		printf("ign old %s\n", name_of(signal(SIGUSR1, SIG_IGN)));
		raise(SIGUSR1);
		printf("after ignored raise %s\n", current(SIGUSR1));
		errno = 0;
		int err = signal(SIGKILL, SIG_IGN) == SIG_ERR;
		printf("SIG_ERR for SIGKILL %d errno EINVAL %d\n", err, errno == EINVAL);
		return 0;
	}
	printf("usage\n");
	return 2;
}
