/* pselect with a signal mask, through the C library (the readline loop of
 * an interactive shell): the mask's {sigset pointer, size} block is two
 * 64-bit words (musl's syscall_arg_t).
 *   - SIGUSR1 blocked, pselect with an empty mask on a pipe nobody writes:
 *     a SIGUSR1 sent meanwhile (by a child) runs the handler and pselect
 *     fails with EINTR; the mask is blocked again afterwards;
 *   - pselect with the mask on a pipe a child writes to after a while:
 *     readable, 1, and the byte reads back;
 *   - a pending blocked signal the mask keeps blocked does not interrupt
 *     a short pselect (timeout, 0). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/select.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t got;

static void on_usr1(int sig) { got = sig; }

static void nap_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) && errno == EINTR) {}
}

int main(void)
{
	setvbuf(stdout, 0, _IONBF, 0);
	struct sigaction sa = {0};
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, 0);
	sigset_t usr1, empty, cur;
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigemptyset(&empty);
	sigprocmask(SIG_BLOCK, &usr1, 0);

	int p[2];
	pipe(p);
	pid_t parent = getpid();
	pid_t kid = fork();
	if (kid == 0) {
		nap_ms(150);
		kill(parent, SIGUSR1);
		_exit(0);
	}
	fd_set rd;
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	struct timespec ts = {10, 0};
	errno = 0;
	int r = pselect(p[0] + 1, &rd, 0, 0, &ts, &empty);
	printf("pselect %d EINTR %d handler ran %d\n", r, errno == EINTR, got == SIGUSR1);
	sigprocmask(SIG_BLOCK, 0, &cur);
	printf("mask restored %d\n", sigismember(&cur, SIGUSR1));
	waitpid(kid, 0, 0);

	kid = fork();
	if (kid == 0) {
		nap_ms(150);
		write(p[1], "k", 1);
		_exit(0);
	}
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	got = 0;
	r = pselect(p[0] + 1, &rd, 0, 0, &ts, &usr1);
	char c = 0;
	ssize_t n = read(p[0], &c, 1);
	printf("pselect ready %d set %d read %zd %c\n", r, FD_ISSET(p[0], &rd) != 0, n, c);
	waitpid(kid, 0, 0);

	/* A blocked pending SIGUSR1, kept blocked by the mask: a timeout. */
	raise(SIGUSR1);
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	struct timespec shortw = {0, 50000000};
	r = pselect(p[0] + 1, &rd, 0, 0, &shortw, &usr1);
	printf("pselect masked %d got %d\n", r, got);
	sigset_t pend;
	sigpending(&pend);
	printf("still pending %d\n", sigismember(&pend, SIGUSR1));
	/* The same with the mask letting it in: EINTR, the handler runs. */
	errno = 0;
	r = pselect(p[0] + 1, &rd, 0, 0, &shortw, &empty);
	printf("pselect unmasked %d EINTR %d got %d\n", r, errno == EINTR, got == SIGUSR1);
	return 0;
}
