/* A trap or an exit ends the whole process promptly, whatever the other
 * threads do: argv[1] picks who ends it and how, while other threads block
 * in the kernel (futex, pipe read, accept) for good. The engine once hung
 * after a main-thread trap: tearing down joined the blocked threads. */
#define _GNU_SOURCE
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int started, never;
static int pipefd[2], listener;

static void arrived(void)
{
	pthread_mutex_lock(&lock);
	started++;
	pthread_cond_broadcast(&cond);
	pthread_mutex_unlock(&lock);
}

static void *block_futex(void *arg)
{
	(void)arg;
	arrived();
	pthread_mutex_lock(&lock);
	while (!never)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
	return 0;
}

static void *block_read(void *arg)
{
	char c;
	(void)arg;
	arrived();
	return (void *)(long)read(pipefd[0], &c, 1);
}

static void *block_accept(void *arg)
{
	(void)arg;
	arrived();
	return (void *)(long)accept(listener, 0, 0);
}

static volatile int zero;

static void *trap_now(void *arg)
{
	(void)arg;
	usleep(20000);
	if (zero == 0)
		__builtin_trap();
	return 0;
}

static void *exit_now(void *arg)
{
	usleep(20000);
	printf("thread exits with %ld\n", (long)arg);
	fflush(stdout);
	exit((int)(long)arg);
}

int main(int argc, char **argv)
{
	pthread_t t[3];
	struct sockaddr_in a;
	if (argc < 2 || pipe(pipefd))
		return 2;
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	listener = socket(AF_INET, SOCK_STREAM, 0);
	if (listener < 0 || bind(listener, (struct sockaddr *)&a, sizeof a) || listen(listener, 1))
		return 2;
	pthread_create(&t[0], 0, block_futex, 0);
	pthread_create(&t[1], 0, block_read, 0);
	pthread_create(&t[2], 0, block_accept, 0);
	pthread_mutex_lock(&lock);
	while (started < 3)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
	usleep(20000); /* all three block in the kernel */
	printf("three threads blocked\n");
	fflush(stdout);
	if (!strcmp(argv[1], "main-trap") && zero == 0)
		__builtin_trap();
	if (!strcmp(argv[1], "main-exit"))
		exit(5);
	if (!strcmp(argv[1], "main-return"))
		return 6;
	pthread_t x;
	if (!strcmp(argv[1], "thread-trap"))
		pthread_create(&x, 0, trap_now, 0);
	else if (!strcmp(argv[1], "thread-exit"))
		pthread_create(&x, 0, exit_now, (void *)7L);
	else
		return 2;
	pthread_join(x, 0); /* the main thread blocks too */
	return 3;
}
