/* Calls where musl (64-bit time_t, 32-bit long on wasm32) would pass the
 * kernel 32-bit arrays (its `sizeof(time_t) > sizeof(long)` and `long[]`
 * paths), through the C library: alarm + pause, ualarm, setitimer and
 * getitimer, sleep interrupted by a signal, wait3/wait4 rusage, getrusage,
 * select/pselect/ppoll timeouts, adjtimex/clock_adjtime queries. Only
 * what is deterministic is printed (ranges for times). */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/time.h>
#include <sys/timex.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t alarms;

static void on_alrm(int sig)
{
	(void)sig;
	alarms++;
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static long long cpu_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* A child that uses 40 ms of CPU and some memory, then exits with `code`. */
static pid_t busy_child(int code)
{
	pid_t pid = fork();
	if (pid == 0) {
		volatile unsigned long x = 0;
		long long end = cpu_ms() + 40;
		while (cpu_ms() < end)
			for (int i = 0; i < 100000; i++) x += i;
		static char touch[1 << 20];
		memset(touch, 1, sizeof touch);
		_exit(code);
	}
	return pid;
}

static void show_rusage(const char *what, const struct rusage *ru)
{
	long long cpu_us = (ru->ru_utime.tv_sec + ru->ru_stime.tv_sec) * 1000000LL +
			   ru->ru_utime.tv_usec + ru->ru_stime.tv_usec;
	printf("%s cpu>=30ms %d usec<1e6 %d maxrss>0 %d minflt>0 %d nswap %ld\n", what,
	       cpu_us >= 30000, ru->ru_utime.tv_usec < 1000000 && ru->ru_stime.tv_usec < 1000000,
	       ru->ru_maxrss > 0, ru->ru_minflt > 0, ru->ru_nswap);
}

int main(void)
{
	setvbuf(stdout, 0, _IONBF, 0);
	struct sigaction sa = {0};
	sa.sa_handler = on_alrm;
	sigaction(SIGALRM, &sa, 0);

	/* alarm + pause */
	long long t0 = now_ms();
	printf("alarm %u\n", alarm(1));
	int r = pause();
	long long dt = now_ms() - t0;
	printf("pause %d EINTR %d alarms %d waited 0.9-3s %d\n", r, errno == EINTR, alarms,
	       dt >= 900 && dt < 3000);

	/* alarm's previous value */
	alarm(10);
	unsigned left = alarm(0);
	printf("alarm left 9-10 %d\n", left >= 9 && left <= 10);

	/* ualarm */
	alarms = 0;
	t0 = now_ms();
	printf("ualarm %u\n", ualarm(100000, 0));
	pause();
	dt = now_ms() - t0;
	printf("ualarm alarms %d waited 0.09-2s %d\n", alarms, dt >= 90 && dt < 2000);

	/* setitimer / getitimer */
	struct itimerval it = {{0, 0}, {5, 250000}}, old, cur;
	printf("setitimer %d\n", setitimer(ITIMER_REAL, &it, 0));
	r = getitimer(ITIMER_REAL, &cur);
	printf("getitimer %d value 5.0-5.25s %d interval 0 %d\n", r,
	       cur.it_value.tv_sec * 1000000LL + cur.it_value.tv_usec > 5000000 &&
		       cur.it_value.tv_sec * 1000000LL + cur.it_value.tv_usec <= 5250000,
	       cur.it_interval.tv_sec == 0 && cur.it_interval.tv_usec == 0);
	struct itimerval iv = {{0, 300000}, {0, 300000}};
	r = setitimer(ITIMER_REAL, &iv, &old);
	printf("setitimer %d old 5.0-5.25s %d\n", r,
	       old.it_value.tv_sec * 1000000LL + old.it_value.tv_usec > 5000000 &&
		       old.it_value.tv_sec * 1000000LL + old.it_value.tv_usec <= 5250000);
	alarms = 0;
	t0 = now_ms();
	while (alarms < 3) pause();
	dt = now_ms() - t0;
	printf("interval timer 3 alarms in 0.8-5s %d\n", dt >= 800 && dt < 5000);
	r = getitimer(ITIMER_REAL, &cur);
	printf("interval kept %d %ld\n", r, (long)cur.it_interval.tv_usec);
	memset(&it, 0, sizeof it);
	printf("disarm %d\n", setitimer(ITIMER_REAL, &it, 0));
	errno = 0;
	r = setitimer(99, &it, 0);
	printf("setitimer bad which %d EINVAL %d\n", r, errno == EINVAL);

	/* sleep interrupted by a signal: the unslept seconds */
	alarm(1);
	t0 = now_ms();
	unsigned rest = sleep(5);
	dt = now_ms() - t0;
	printf("sleep rest 3-4 %d waited 0.9-3s %d\n", rest >= 3 && rest <= 4, dt >= 900 && dt < 3000);

	/* wait4, wait3 with rusage; getrusage of the children */
	int status;
	struct rusage ru;
	memset(&ru, 0x55, sizeof ru);
	pid_t pid = busy_child(7);
	pid_t w = wait4(pid, &status, 0, &ru);
	printf("wait4 %d exit %d\n", w == pid, WEXITSTATUS(status));
	show_rusage("wait4", &ru);
	/* the struct after the rusage is untouched */
	struct {
		struct rusage ru;
		unsigned guard[4];
	} g;
	memset(&g, 0x55, sizeof g);
	pid = busy_child(8);
	w = wait3(&status, 0, &g.ru);
	printf("wait3 %d exit %d guard %d\n", w == pid, WEXITSTATUS(status),
	       g.guard[0] == 0x55555555u && g.guard[3] == 0x55555555u);
	show_rusage("wait3", &g.ru);
	memset(&ru, 0x55, sizeof ru);
	printf("getrusage %d\n", getrusage(RUSAGE_CHILDREN, &ru));
	show_rusage("children", &ru);

	/* Timeouts in the kernel's timeval/timespec layout. */
	int p[2];
	pipe(p);
	fd_set rd;
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	struct timeval tv = {0, 150000};
	t0 = now_ms();
	r = select(p[0] + 1, &rd, 0, 0, &tv);
	dt = now_ms() - t0;
	printf("select %d waited 0.14-2s %d\n", r, dt >= 140 && dt < 2000);
	FD_SET(p[0], &rd);
	struct timespec ts = {0, 150000000};
	sigset_t mask;
	sigemptyset(&mask);
	t0 = now_ms();
	r = pselect(p[0] + 1, &rd, 0, 0, &ts, &mask);
	dt = now_ms() - t0;
	printf("pselect %d waited 0.14-2s %d\n", r, dt >= 140 && dt < 2000);
	struct pollfd pf = {p[0], POLLIN, 0};
	t0 = now_ms();
	r = ppoll(&pf, 1, &ts, &mask);
	dt = now_ms() - t0;
	printf("ppoll %d waited 0.14-2s %d\n", r, dt >= 140 && dt < 2000);
	write(p[1], "x", 1);
	FD_SET(p[0], &rd);
	tv = (struct timeval){5, 0};
	printf("select ready %d set %d\n", select(p[0] + 1, &rd, 0, 0, &tv), FD_ISSET(p[0], &rd) != 0);

	/* adjtimex / clock_adjtime queries (modes 0): same clock state. */
	struct timex tx;
	memset(&tx, 0, sizeof tx);
	int state = adjtimex(&tx);
	struct timex tx2;
	memset(&tx2, 0, sizeof tx2);
	int state2 = clock_adjtime(CLOCK_REALTIME, &tx2);
	printf("adjtimex state %d tick %ld constant %ld precision %ld tolerance %ld\n", state,
	       (long)tx.tick, (long)tx.constant, (long)tx.precision, (long)tx.tolerance);
	printf("clock_adjtime state %d tick %ld time now %d\n", state2, (long)tx2.tick,
	       tx2.time.tv_sec > 1600000000 && tx2.time.tv_sec - time(0) <= 1);
	return 0;
}
