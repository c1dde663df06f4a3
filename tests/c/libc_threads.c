/* musl through ./wali-cc: threads. Needs the processes/threads area
 * (__wasm_thread_spawn, set_tid_address, futex, exit of one thread) and
 * the memory area (thread stacks come from mmap). */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define THREADS 4
#define ROUNDS 10000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;
static _Thread_local int tls_value = 5;

static void *worker(void *arg)
{
	int id = (int)(long)arg;
	tls_value += id; /* each thread has its own copy */
	for (int i = 0; i < ROUNDS; i++) {
		pthread_mutex_lock(&lock);
		counter++;
		pthread_mutex_unlock(&lock);
	}
	return (void *)(long)(tls_value * 100);
}

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int once_runs;
static void once_fn(void) { once_runs++; }
static void *call_once(void *arg) { pthread_once(&once, once_fn); return arg; }

/* Threads created one after another (each joined before the next) reuse
 * the engine's pooled thread: each must still run on its own stack, the one
 * pthread_create made for it, not on its predecessor's, which the join
 * unmapped. */
static void *stack_check(void *arg)
{
	pthread_attr_t a;
	void *lo;
	size_t size;
	int local = 0;
	(void)arg;
	if (pthread_getattr_np(pthread_self(), &a) || pthread_attr_getstack(&a, &lo, &size))
		return (void *)2;
	pthread_attr_destroy(&a);
	char *p = (char *)&local;
	return (void *)(long)(p >= (char *)lo && p < (char *)lo + size);
}

static void sequential(void)
{
	int own = 0;
	for (int i = 0; i < 20; i++) {
		pthread_t t;
		void *r;
		pthread_create(&t, 0, stack_check, 0);
		pthread_join(t, &r);
		own += r == (void *)1;
	}
	printf("sequential threads on their own stacks: %d of 20\n", own);
}

int main(void)
{
	pthread_t t[THREADS];
	for (long i = 0; i < THREADS; i++)
		if (pthread_create(&t[i], 0, worker, (void *)i)) {
			printf("pthread_create failed\n");
			return 1;
		}
	for (int i = 0; i < THREADS; i++) {
		void *r;
		pthread_join(t[i], &r);
		printf("thread %d returned %ld\n", i, (long)r);
	}
	printf("counter %ld (expected %d) main tls %d\n", counter, THREADS * ROUNDS, tls_value);
	for (int i = 0; i < THREADS; i++) pthread_create(&t[i], 0, call_once, 0);
	for (int i = 0; i < THREADS; i++) pthread_join(t[i], 0);
	printf("once %d\n", once_runs);
	pthread_t d;
	pthread_attr_t a;
	pthread_attr_init(&a);
	pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
	printf("detached %d\n", pthread_create(&d, &a, call_once, 0));
	sequential();
	return 0;
}
