/* setjmp/longjmp and sigsetjmp/siglongjmp through ./wali-cc (the compiler's
 * setjmp lowering, the libc's jump buffers, the engine's invoke_* and
 * unwinding), against the same program built natively. */
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static jmp_buf top;

/* Recurses `n` frames, each with a stack array (so frames live in the
 * shadow stack), then jumps back to `top` with `val`. */
static int __attribute__((noinline)) dive(int n, int val)
{
	volatile char pad[512];
	memset((char *)pad, n, sizeof pad);
	if (n == 0)
		longjmp(top, val);
	return dive(n - 1, val) + pad[7];
}

static void basic(void)
{
	volatile int steps = 0;
	int r = setjmp(top);
	steps++;
	if (r == 0) {
		dive(20, 5);
		printf("not reached\n");
	}
	printf("basic: setjmp returned %d after %d steps\n", r, steps);
	/* longjmp(env, 0) makes setjmp return 1. */
	r = setjmp(top);
	if (r == 0)
		dive(3, 0);
	printf("basic: longjmp 0 gives %d\n", r);
}

/* Many jumps from deep frames: a shadow-stack pointer not restored on
 * landing would exhaust the stack after a few thousand. */
static void many(void)
{
	volatile long sum = 0;
	for (volatile int i = 0; i < 20000; i++) {
		int r = setjmp(top);
		if (r == 0)
			dive(8, i % 7 + 1);
		sum += r;
	}
	char probe[4096];
	memset(probe, 1, sizeof probe);
	printf("many: sum %ld, stack usable %d\n", sum, probe[4095]);
}

/* A jump that passes through another function that called setjmp (its own
 * buffer does not match, so it passes the jump on) to an outer one. */
static jmp_buf outer, inner;

static void __attribute__((noinline)) middle(int to_outer)
{
	volatile int local = 11;
	if (setjmp(inner) == 0) {
		if (to_outer)
			longjmp(outer, 2);
		longjmp(inner, 1);
	}
	printf("nested: middle landed, local %d\n", local);
}

static void nested(void)
{
	volatile int phase = 0;
	switch (setjmp(outer)) {
	case 0:
		middle(0); /* jumps within middle only */
		phase = 1;
		middle(1); /* jumps out of middle to here */
		printf("not reached\n");
		break;
	case 2:
		printf("nested: outer landed, phase %d\n", phase);
		break;
	}
}

/* Jumping out of C-library code: a comparator called by qsort. */
static jmp_buf cmp_env;
static int compared;

static int cmp(const void *a, const void *b)
{
	if (++compared == 10)
		longjmp(cmp_env, 3);
	return *(const int *)a - *(const int *)b;
}

static void through_libc(void)
{
	int v[64];
	for (int i = 0; i < 64; i++)
		v[i] = (i * 37) % 64;
	int r = setjmp(cmp_env);
	if (r == 0)
		qsort(v, 64, sizeof v[0], cmp);
	printf("libc: left qsort with %d after %d comparisons\n", r, compared);
}

/* Out of a signal handler: siglongjmp restores the mask saved by
 * sigsetjmp(env, 1); with sigsetjmp(env, 0) the handler's mask (signal
 * blocked) stays, as on Linux. */
static sigjmp_buf sig_env;

static void on_usr1(int sig)
{
	siglongjmp(sig_env, sig);
}

static int usr1_blocked(void)
{
	sigset_t cur;
	sigprocmask(SIG_BLOCK, 0, &cur);
	return sigismember(&cur, SIGUSR1);
}

static void from_handler(int save)
{
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, 0);
	int r = sigsetjmp(sig_env, save);
	if (r == 0) {
		raise(SIGUSR1);
		printf("not reached\n");
	}
	printf("signal: savesigs %d, returned %d, SIGUSR1 blocked after: %d\n", save, r,
	       usr1_blocked());
}

/* Threads jump independently (the jump in flight is thread-local). */
static void *thread_jumps(void *arg)
{
	jmp_buf env;
	volatile long n = 0;
	for (volatile int i = 0; i < 2000; i++) {
		int r = setjmp(env);
		if (r == 0)
			longjmp(env, (int)(long)arg + i);
		n += r;
	}
	return (void *)n;
}

static void threads(void)
{
	pthread_t t[3];
	for (long i = 0; i < 3; i++)
		pthread_create(&t[i], 0, thread_jumps, (void *)(i + 1));
	for (int i = 0; i < 3; i++) {
		void *res;
		pthread_join(t[i], &res);
		printf("thread %d: sum %ld\n", i, (long)res);
	}
}

int main(void)
{
	basic();
	many();
	nested();
	through_libc();
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, 0);
	from_handler(1);
	from_handler(0);
	threads();
	return 0;
}
