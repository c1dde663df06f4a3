/* Time structs handed to the kernel through the C library, each filled with
 * 0xFF bytes before its fields are set. On wasm32 `long` is 4 bytes, so the
 * C library's struct timespec/timeval hold tv_nsec/tv_usec in 4 bytes plus
 * 4 bytes of padding, while the kernel behind WALI (x86-64's ABI) reads 8:
 * a libc that hands such a struct over as it is makes the kernel see the
 * padding as the high half (here 0xFFFFFFFF: EINVAL, EDOM). Calls whose
 * struct is built inside the libc (sleep, the futex timeouts of
 * __timedwait) are made on a stack just filled with 0xFF bytes.
 *
 * A futex wait that the kernel refuses with EINVAL makes musl's timed
 * waits spin until the deadline: those report whether the wait slept
 * (process CPU time under half the wait). Only booleans and errno names
 * are printed, so the native and the WALI runs compare.
 *
 * Not here: sigtimedwait, timer_settime, mq_timed*, semtimedop (the engine
 * does not provide rt_sigtimedwait, timer_*, POSIX message queues or SysV
 * IPC: ENOSYS), clock_settime (it would set the host's clock when run
 * with privileges). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define MS 1000000LL

static long long clock_ns(clockid_t clk)
{
	struct timespec ts;
	clock_gettime(clk, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static long long now_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

static long long cpu_ns(void)
{
	return clock_ns(CLOCK_PROCESS_CPUTIME_ID);
}

/* Leaves 0xFF bytes in the stack below the caller's frame, where the next
 * call's locals (the libc's own timespecs) will be. */
__attribute__((noinline)) static void dirty_stack(void)
{
	volatile unsigned char buf[8192];
	for (size_t i = 0; i < sizeof buf; i++)
		buf[i] = 0xFF;
}

/* The struct filled with 0xFF bytes, then its fields set. Storing a member
 * lets the compiler rewrite the padding (C11 6.2.6.1p6), so the bytes are
 * put in place as bytes, and the barrier keeps the compiler from assuming
 * anything about them afterwards. */
#define FILL_FF(p, a, b, fa, fb)                                                  \
	do {                                                                      \
		unsigned char *raw_ = (unsigned char *)(p);                        \
		__typeof__((p)->fa) a_ = (a);                                     \
		__typeof__((p)->fb) b_ = (b);                                     \
		memset(raw_, 0xFF, sizeof *(p));                                  \
		memcpy(raw_ + offsetof(__typeof__(*(p)), fa), &a_, sizeof a_);    \
		memcpy(raw_ + offsetof(__typeof__(*(p)), fb), &b_, sizeof b_);    \
		__asm__ volatile("" : : "r"(raw_) : "memory");                     \
	} while (0)

static void ts_ff(struct timespec *ts, time_t s, long ns)
{
	FILL_FF(ts, s, ns, tv_sec, tv_nsec);
}

static void tv_ff(struct timeval *tv, time_t s, long us)
{
	FILL_FF(tv, s, us, tv_sec, tv_usec);
}

/* An absolute deadline `ms` ahead on `clk`, in a 0xFF-filled struct. */
static void deadline(struct timespec *at, clockid_t clk, long long ms)
{
	long long t = clock_ns(clk) + ms * MS;
	ts_ff(at, t / 1000000000LL, t % 1000000000LL);
}

static const char *err_name(int e)
{
	switch (e) {
	case 0: return "0";
	case EINVAL: return "EINVAL";
	case EAGAIN: return "EAGAIN";
	case ETIMEDOUT: return "ETIMEDOUT";
	case EDOM: return "EDOM";
	case EINTR: return "EINTR";
	case ENOSYS: return "ENOSYS";
	case EPERM: return "EPERM";
	default: return "other";
	}
}

/* A wait of `ms`: how it ended, whether at least `ms` passed (and less
 * than 3 s), and whether it slept (CPU time under half of it). */
static void report_wait(const char *what, const char *result, long long t0, long long c0, long long ms)
{
	long long dt = now_ns() - t0, dc = cpu_ns() - c0;
	printf("%s %s waited %d slept %d\n", what, result, dt >= ms * MS && dt < 3000 * MS,
	       dc < ms * MS / 2);
}

static void sleeps(void)
{
	long long t0, c0;
	int r;

	struct timespec req, rem;
	ts_ff(&req, 0, 100 * MS);
	ts_ff(&rem, 7, 7);
	t0 = now_ns(), c0 = cpu_ns();
	r = nanosleep(&req, &rem);
	report_wait("nanosleep", err_name(r ? errno : 0), t0, c0, 100);

	ts_ff(&req, 0, 1000000000L);
	errno = 0;
	r = nanosleep(&req, 0);
	printf("nanosleep nsec=1e9 %d %s\n", r, err_name(errno));
	ts_ff(&req, 0, -1);
	errno = 0;
	r = nanosleep(&req, 0);
	printf("nanosleep nsec=-1 %d %s\n", r, err_name(errno));

	ts_ff(&req, 0, 60 * MS);
	t0 = now_ns(), c0 = cpu_ns();
	r = clock_nanosleep(CLOCK_MONOTONIC, 0, &req, &rem);
	report_wait("clock_nanosleep relative", err_name(r), t0, c0, 60);

	struct timespec at;
	t0 = now_ns(), c0 = cpu_ns();
	deadline(&at, CLOCK_MONOTONIC, 60);
	r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &at, 0);
	report_wait("clock_nanosleep absolute", err_name(r), t0, c0, 60);

	ts_ff(&req, 0, 2000000000L);
	r = clock_nanosleep(CLOCK_MONOTONIC, 0, &req, 0);
	printf("clock_nanosleep nsec=2e9 %s\n", err_name(r));

	t0 = now_ns(), c0 = cpu_ns();
	dirty_stack();
	r = (int)sleep(1);
	report_wait("sleep(1) left", r ? "nonzero" : "0", t0, c0, 1000);

	t0 = now_ns(), c0 = cpu_ns();
	dirty_stack();
	r = usleep(70000);
	report_wait("usleep", err_name(r ? errno : 0), t0, c0, 70);
}

/* --- futex-based waits --------------------------------------------------- */

static pthread_mutex_t held = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t held_pi;

static void cond_wait(clockid_t clk, long long ms, const char *what)
{
	pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
	pthread_cond_t cv;
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, clk);
	pthread_cond_init(&cv, &ca);
	struct timespec at;
	pthread_mutex_lock(&m);
	long long t0 = now_ns(), c0 = cpu_ns();
	deadline(&at, clk, ms);
	dirty_stack();
	int r = pthread_cond_timedwait(&cv, &m, &at);
	if (what) report_wait(what, err_name(r), t0, c0, ms);
	pthread_mutex_unlock(&m);
	pthread_cond_destroy(&cv);
}

static void sem_wait_for(long long ms, const char *what)
{
	sem_t s;
	sem_init(&s, 0, 0);
	struct timespec at;
	long long t0 = now_ns(), c0 = cpu_ns();
	deadline(&at, CLOCK_REALTIME, ms);
	dirty_stack();
	int r = sem_timedwait(&s, &at);
	if (what) report_wait(what, err_name(r ? errno : 0), t0, c0, ms);
	sem_destroy(&s);
}

struct lock_try {
	pthread_mutex_t *m;
	long long ms;
	int r;
	int started;
	long long dt, dc;
};

static void *timedlock_thread(void *p)
{
	struct lock_try *t = p;
	struct timespec at;
	long long t0 = now_ns(), c0 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
	deadline(&at, CLOCK_REALTIME, t->ms);
	__atomic_store_n(&t->started, 1, __ATOMIC_SEQ_CST);
	dirty_stack();
	t->r = pthread_mutex_timedlock(t->m, &at);
	t->dt = now_ns() - t0;
	t->dc = clock_ns(CLOCK_THREAD_CPUTIME_ID) - c0;
	if (t->r == 0) pthread_mutex_unlock(t->m);
	return 0;
}

/* pthread_mutex_timedlock (deadline `ms` ahead) from another thread on a
 * mutex this one holds; with `release` > 0, this thread unlocks it after
 * `release` ms and the other should then get it (0), having waited at least
 * that long and less than its deadline. */
static void timedlock(pthread_mutex_t *m, long long ms, long long release, const char *what)
{
	struct lock_try t = {m, ms, -1, 0, 0, 0};
	pthread_t th;
	pthread_mutex_lock(m);
	if (pthread_create(&th, 0, timedlock_thread, &t)) {
		printf("%s pthread_create failed\n", what);
		pthread_mutex_unlock(m);
		return;
	}
	if (release > 0) {
		while (!__atomic_load_n(&t.started, __ATOMIC_SEQ_CST))
			usleep(1000);
		long long end = now_ns() + release * MS;
		while (now_ns() < end)
			usleep(5000);
		pthread_mutex_unlock(m);
	}
	pthread_join(th, 0);
	if (release <= 0)
		pthread_mutex_unlock(m);
	if (!what)
		return;
	if (release > 0)
		printf("%s released %s waited %d\n", what, err_name(t.r),
		       t.dt >= release * MS && t.dt < ms * MS);
	else
		printf("%s %s waited %d slept %d\n", what, err_name(t.r),
		       t.dt >= ms * MS && t.dt < 3000 * MS, t.dc < ms * MS / 2);
}

static void futex_waits(void)
{
	/* Warm-up with deadlines already past (a JIT compiles each function at
	 * its first call: that is not the wait's CPU time). */
	cond_wait(CLOCK_REALTIME, -10, 0);
	cond_wait(CLOCK_REALTIME, 0, 0);
	sem_wait_for(0, 0);

	cond_wait(CLOCK_REALTIME, 100, "pthread_cond_timedwait realtime");
	cond_wait(CLOCK_MONOTONIC, 100, "pthread_cond_timedwait monotonic");
	sem_wait_for(100, "sem_timedwait");

	struct timespec bad;
	ts_ff(&bad, 0, 1000000000L);
	sem_t s;
	sem_init(&s, 0, 0);
	errno = 0;
	int r = sem_timedwait(&s, &bad);
	printf("sem_timedwait nsec=1e9 %d %s\n", r, err_name(errno));
	sem_destroy(&s);

	timedlock(&held, 0, 0, 0);
	timedlock(&held, 100, 0, "pthread_mutex_timedlock");
	timedlock(&held, 2000, 50, "pthread_mutex_timedlock");
	pthread_mutexattr_t a;
	pthread_mutexattr_init(&a);
	pthread_mutexattr_setprotocol(&a, PTHREAD_PRIO_INHERIT);
	pthread_mutex_init(&held_pi, &a);
	timedlock(&held_pi, 100, 0, "pthread_mutex_timedlock PI");
	timedlock(&held_pi, 2000, 50, "pthread_mutex_timedlock PI");
}

/* --- timerfd ------------------------------------------------------------- */

static void timerfds(void)
{
	int fd = timerfd_create(CLOCK_MONOTONIC, 0);
	printf("timerfd_create %d\n", fd >= 0);
	struct itimerspec it, old, cur;
	ts_ff(&it.it_interval, 0, 0);
	ts_ff(&it.it_value, 0, 80 * MS);
	long long t0 = now_ns(), c0 = cpu_ns();
	int r = timerfd_settime(fd, 0, &it, 0);
	printf("timerfd_settime %d %s\n", r, err_name(r ? errno : 0));
	uint64_t n = 0;
	ssize_t got = r ? -1 : read(fd, &n, sizeof n);
	report_wait("timerfd read", got == 8 && n >= 1 ? "expired" : "not expired", t0, c0, 80);

	ts_ff(&it.it_interval, 3, 250 * MS);
	ts_ff(&it.it_value, 10, 0);
	memset(&old, 0xFF, sizeof old);
	r = timerfd_settime(fd, 0, &it, &old);
	printf("timerfd_settime again %d %s old disarmed %d\n", r, err_name(r ? errno : 0),
	       old.it_value.tv_sec == 0 && old.it_value.tv_nsec == 0);
	memset(&cur, 0xFF, sizeof cur);
	r = timerfd_gettime(fd, &cur);
	printf("timerfd_gettime %d interval 3.25s %d value 9-10s %d\n", r,
	       cur.it_interval.tv_sec == 3 && cur.it_interval.tv_nsec == 250 * MS,
	       cur.it_value.tv_sec == 9 || (cur.it_value.tv_sec == 10 && cur.it_value.tv_nsec == 0));

	ts_ff(&it.it_interval, 0, 0);
	ts_ff(&it.it_value, 1, 1000000000L);
	errno = 0;
	r = timerfd_settime(fd, 0, &it, 0);
	printf("timerfd_settime nsec=1e9 %d %s\n", r, err_name(errno));
	close(fd);
}

/* --- file times ---------------------------------------------------------- */

static void show_times(const char *what, const char *path, time_t as, long ans, time_t ms, long mns)
{
	struct stat st;
	int r = stat(path, &st);
	printf("%s stat %d atime %d mtime %d\n", what, r,
	       st.st_atim.tv_sec == as && st.st_atim.tv_nsec == ans,
	       st.st_mtim.tv_sec == ms && st.st_mtim.tv_nsec == mns);
}

static void file_times(void)
{
	int fd = open("f", O_CREAT | O_RDWR, 0644);
	struct timespec t[2];
	ts_ff(&t[0], 1000000000, 123456789);
	ts_ff(&t[1], 1100000000, 987654321);
	int r = utimensat(AT_FDCWD, "f", t, 0);
	printf("utimensat %d %s\n", r, err_name(r ? errno : 0));
	show_times("utimensat", "f", 1000000000, 123456789, 1100000000, 987654321);

	ts_ff(&t[0], 1200000000, 5);
	ts_ff(&t[1], 1300000000, 999999999);
	r = futimens(fd, t);
	printf("futimens %d %s\n", r, err_name(r ? errno : 0));
	show_times("futimens", "f", 1200000000, 5, 1300000000, 999999999);

	/* UTIME_OMIT: the seconds (0xFF bytes here) are not looked at. */
	ts_ff(&t[0], -1, UTIME_OMIT);
	ts_ff(&t[1], 1400000000, 42);
	r = utimensat(AT_FDCWD, "f", t, 0);
	printf("utimensat omit %d %s\n", r, err_name(r ? errno : 0));
	show_times("utimensat omit", "f", 1200000000, 5, 1400000000, 42);

	struct timeval tv[2];
	tv_ff(&tv[0], 1500000000, 250000);
	tv_ff(&tv[1], 1600000000, 1);
	r = utimes("f", tv);
	printf("utimes %d %s\n", r, err_name(r ? errno : 0));
	show_times("utimes", "f", 1500000000, 250000000, 1600000000, 1000);

	tv_ff(&tv[0], 1700000000, 999999);
	tv_ff(&tv[1], 1700000001, 0);
	r = futimes(fd, tv);
	printf("futimes %d %s\n", r, err_name(r ? errno : 0));
	show_times("futimes", "f", 1700000000, 999999000, 1700000001, 0);

	ts_ff(&t[0], 1000000000, 1000000000L);
	ts_ff(&t[1], 1000000000, 0);
	errno = 0;
	r = utimensat(AT_FDCWD, "f", t, 0);
	printf("utimensat nsec=1e9 %d %s\n", r, err_name(errno));
	close(fd);
	unlink("f");
}

/* --- socket timeouts ----------------------------------------------------- */

static void socket_timeouts(void)
{
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in a = {0};
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t alen = sizeof a;
	int r = bind(s, (struct sockaddr *)&a, sizeof a);
	getsockname(s, (struct sockaddr *)&a, &alen);
	printf("udp socket %d bind %d\n", s >= 0, r);

	struct timeval tv;
	tv_ff(&tv, 0, 100000);
	r = setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	printf("setsockopt SO_RCVTIMEO %d %s\n", r, err_name(r ? errno : 0));
	struct timeval got;
	memset(&got, 0xFF, sizeof got);
	socklen_t len = sizeof got;
	r = getsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &got, &len);
	printf("getsockopt SO_RCVTIMEO %d len %d 0.1-0.11s %d\n", r, len == sizeof got,
	       got.tv_sec == 0 && got.tv_usec >= 100000 && got.tv_usec < 110000);
	char buf[16];
	long long t0 = now_ns(), c0 = cpu_ns();
	ssize_t n = recv(s, buf, sizeof buf, 0);
	report_wait("recv", n < 0 ? err_name(errno) : "data", t0, c0, 90);

	tv_ff(&tv, 2, 500000);
	r = setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	printf("setsockopt SO_SNDTIMEO %d %s\n", r, err_name(r ? errno : 0));
	memset(&got, 0xFF, sizeof got);
	len = sizeof got;
	r = getsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &got, &len);
	printf("getsockopt SO_SNDTIMEO %d 2.5-2.51s %d\n", r,
	       got.tv_sec == 2 && got.tv_usec >= 500000 && got.tv_usec < 510000);

	tv_ff(&tv, 0, 1000000);
	errno = 0;
	r = setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	printf("setsockopt SO_RCVTIMEO usec=1e6 %d %s\n", r, err_name(errno));

	/* recvmmsg: one datagram queued, a second waited for at most the
	 * timeout (MSG_WAITFORONE: it returns once one came). */
	sendto(s, "hi", 2, 0, (struct sockaddr *)&a, sizeof a);
	char b0[8], b1[8];
	struct iovec iov[2] = {{b0, sizeof b0}, {b1, sizeof b1}};
	struct mmsghdr mm[2];
	memset(mm, 0, sizeof mm);
	mm[0].msg_hdr.msg_iov = &iov[0];
	mm[0].msg_hdr.msg_iovlen = 1;
	mm[1].msg_hdr.msg_iov = &iov[1];
	mm[1].msg_hdr.msg_iovlen = 1;
	struct timespec to;
	ts_ff(&to, 0, 50 * MS);
	r = recvmmsg(s, mm, 2, MSG_WAITFORONE, &to);
	printf("recvmmsg %d %s len %u\n", r, err_name(r < 0 ? errno : 0), mm[0].msg_len);
	close(s);
}

/* --- calls whose timespec the libc port converts itself ------------------ */

static void multiplexing(void)
{
	int p[2];
	pipe(p);
	struct pollfd pf = {p[0], POLLIN, 0};
	struct timespec ts;
	ts_ff(&ts, 0, 60 * MS);
	long long t0 = now_ns(), c0 = cpu_ns();
	int r = ppoll(&pf, 1, &ts, 0);
	report_wait("ppoll", r == 0 ? "timeout" : err_name(errno), t0, c0, 60);

	fd_set rd;
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	ts_ff(&ts, 0, 60 * MS);
	t0 = now_ns(), c0 = cpu_ns();
	r = pselect(p[0] + 1, &rd, 0, 0, &ts, 0);
	report_wait("pselect", r == 0 ? "timeout" : err_name(errno), t0, c0, 60);

	FD_SET(p[0], &rd);
	struct timeval tv;
	tv_ff(&tv, 0, 60000);
	t0 = now_ns(), c0 = cpu_ns();
	r = select(p[0] + 1, &rd, 0, 0, &tv);
	report_wait("select", r == 0 ? "timeout" : err_name(errno), t0, c0, 60);

	struct itimerval iv;
	tv_ff(&iv.it_interval, 0, 0);
	tv_ff(&iv.it_value, 100, 500000);
	r = setitimer(ITIMER_VIRTUAL, &iv, 0);
	struct itimerval cur;
	getitimer(ITIMER_VIRTUAL, &cur);
	printf("setitimer %d %s value 100-100.5s %d\n", r, err_name(r ? errno : 0),
	       cur.it_value.tv_sec == 100 || (cur.it_value.tv_sec == 99 && cur.it_value.tv_usec > 0));
	memset(&iv, 0, sizeof iv);
	setitimer(ITIMER_VIRTUAL, &iv, 0);

	struct timespec q;
	memset(&q, 0xFF, sizeof q);
	r = sched_rr_get_interval(0, &q);
	printf("sched_rr_get_interval %d nsec<1e9 %d\n", r, q.tv_nsec >= 0 && q.tv_nsec < 1000000000L);
	close(p[0]);
	close(p[1]);
}

int main(void)
{
	setvbuf(stdout, 0, _IONBF, 0);
	sleeps();
	futex_waits();
	timerfds();
	file_times();
	socket_timeouts();
	multiplexing();
	return 0;
}
