/* fork() in a threaded program, through musl: right after joining threads
 * (many times: the child once died of SIGSEGV joining the engine's pooled
 * threads, which it does not have), while three threads run or block (the
 * child has only the forking thread, as on Linux; the parent's threads go
 * on), a child of a threaded parent making threads of its own, and a fork
 * from a thread other than the main one. */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile long sink;

static void *work(void *arg)
{
	long s = 0;
	for (long i = 0; i < 20000; i++)
		s += i ^ (long)arg;
	sink = s;
	return (void *)((long)arg * 10);
}

static int status_of(pid_t p)
{
	int st;
	if (waitpid(p, &st, 0) != p)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void after_joins(void)
{
	int ok = 0;
	for (int round = 0; round < 25; round++) {
		pthread_t t[4];
		for (int i = 0; i < 4; i++)
			pthread_create(&t[i], 0, work, (void *)(long)i);
		for (int i = 0; i < 4; i++)
			pthread_join(t[i], 0);
		fflush(stdout);
		pid_t p = fork();
		if (p == 0)
			exit(7);
		ok += status_of(p) == 7;
	}
	printf("fork after joins: %d/25 children exited 7\n", ok);
}

static int pipefd[2];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int started, released;
static volatile int stop;
static volatile long spins;

static void arrived(void)
{
	pthread_mutex_lock(&lock);
	started++;
	pthread_cond_broadcast(&cond);
	pthread_mutex_unlock(&lock);
}

static void *reader(void *arg)
{
	char c = 0;
	(void)arg;
	arrived();
	long n = read(pipefd[0], &c, 1); /* blocks until the parent writes */
	return (void *)(n == 1 && c == 'x' ? 1L : 0L);
}

static void *waiter(void *arg)
{
	(void)arg;
	arrived();
	pthread_mutex_lock(&lock);
	while (!released)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
	return (void *)2L;
}

static void *spinner(void *arg)
{
	(void)arg;
	arrived();
	while (!stop) {
		spins++;
		sched_yield();
	}
	return (void *)3L;
}

static void *child_threads_body(void)
{
	pthread_t t[3];
	long sum = 0;
	for (int i = 0; i < 3; i++)
		if (pthread_create(&t[i], 0, work, (void *)(long)(i + 1)))
			exit(90);
	for (int i = 0; i < 3; i++) {
		void *r;
		pthread_join(t[i], &r);
		sum += (long)r;
	}
	exit((int)sum); /* 10 + 20 + 30 */
}

static void while_running(void)
{
	pthread_t t[3];
	void *r[3];
	if (pipe(pipefd))
		exit(2);
	pthread_create(&t[0], 0, reader, 0);
	pthread_create(&t[1], 0, waiter, 0);
	pthread_create(&t[2], 0, spinner, 0);
	pthread_mutex_lock(&lock);
	while (started < 3)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
	usleep(20000); /* the reader and waiter block in the kernel */
	fflush(stdout);
	fflush(stdout);
	pid_t p = fork();
	if (p == 0) {
		/* Only this thread: its locks and memory work. */
		long s = 0;
		pthread_mutex_lock(&lock);
		for (int i = 1; i <= 1000; i++)
			s += i;
		pthread_mutex_unlock(&lock);
		exit(s == 500500 ? 7 : 8);
	}
	printf("fork with 3 threads running: child status %d\n", status_of(p));
	fflush(stdout);
	p = fork();
	if (p == 0)
		child_threads_body();
	printf("threads in the child of a threaded parent: status %d\n", status_of(p));
	if (write(pipefd[1], "x", 1) != 1)
		exit(2);
	pthread_mutex_lock(&lock);
	released = 1;
	pthread_cond_broadcast(&cond);
	pthread_mutex_unlock(&lock);
	stop = 1;
	for (int i = 0; i < 3; i++)
		pthread_join(t[i], &r[i]);
	printf("parent threads went on: %ld %ld %ld, spun %d\n", (long)r[0], (long)r[1],
	       (long)r[2], spins > 0);
}

static void *forking_thread(void *arg)
{
	(void)arg;
	fflush(stdout);
	pid_t p = fork();
	if (p == 0)
		child_threads_body();
	long a = status_of(p);
	fflush(stdout);
	p = fork();
	if (p == 0)
		exit(5);
	long b = status_of(p);
	return (void *)(a * 1000 + b);
}

static void from_a_thread(void)
{
	pthread_t t;
	void *r;
	pthread_create(&t, 0, forking_thread, 0);
	pthread_join(t, &r);
	printf("fork from a thread: children %ld and %ld\n", (long)r / 1000, (long)r % 1000);
}

int main(void)
{
	after_joins();
	while_running();
	from_a_thread();
	return 0;
}
