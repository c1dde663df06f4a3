/* setjmp/longjmp through Wasm exception handling, as the reference
 * toolchain builds programs (-fwasm-exceptions; ./wali-cc adds
 * -mexception-handling -mllvm -wasm-enable-sjlj): longjmp is
 * __wasm_longjmp, which throws the tag __c_longjmp; every function that
 * calls setjmp catches it and lands if the jump is its own, or throws it on.
 * The engine runs such a module in WAMR's classic interpreter. Natively the
 * same program uses glibc's setjmp.
 *
 * Jumps across many frames (with shadow-stack arrays in each, so a stack
 * pointer not restored would show), through a frame with its own setjmp,
 * out of a libc callback (qsort's comparator: libc code is not built with
 * exception handling and the exception passes through it), through a
 * function pointer, with value 0, repeatedly (nothing leaks per jump), in a
 * second thread, and siglongjmp restoring the signal mask. */
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static jmp_buf outer;
static volatile int sink;

/* Keeps a frame and a shadow-stack array alive in every level. */
__attribute__((noinline)) static void dive(int n, int val)
{
	volatile char pad[64];
	if (n < 0)
		return;
	memset((char *)pad, n & 0x7f, sizeof pad);
	if (n == 0)
		longjmp(outer, val);
	dive(n - 1, val);
	sink += pad[n % 64];
}

__attribute__((noinline)) static int deep_jump(int depth, int val)
{
	volatile int before = 11;
	int r = setjmp(outer);
	if (r)
		return r * 1000 + before;
	before = 12; /* volatile: the jump sees the update */
	dive(depth, val);
	return -1;
}

/* A frame with its own setjmp between the jump and its target: the
 * exception passes it (its setjmp test says "not mine") and goes on. */
static jmp_buf inner;
static int inner_landed;

__attribute__((noinline)) static void middle(int depth)
{
	if (setjmp(inner)) {
		inner_landed++;
		return;
	}
	dive(depth, 7);
}

__attribute__((noinline)) static int through_other_setjmp(void)
{
	int r = setjmp(outer);
	if (r)
		return r;
	middle(20);
	return -1;
}

/* Jump to the inner one from below it, then to the outer one. */
__attribute__((noinline)) static void inner_then_outer(void)
{
	if (setjmp(inner) == 0)
		longjmp(inner, 3);
	inner_landed++;
	longjmp(outer, 9);
}

static jmp_buf sort_env;
static int compares;

static int cmp_then_jump(const void *a, const void *b)
{
	if (++compares == 5)
		longjmp(sort_env, 55);
	return *(const int *)a - *(const int *)b;
}

static void jump_via_pointer(int v)
{
	longjmp(outer, v);
}

static void (*volatile jumper)(int) = jump_via_pointer;

/* Where a fresh frame's locals go: moves if a jump leaked stack. */
static volatile uintptr_t probed;

__attribute__((noinline)) static void probe(void)
{
	volatile char c = 0;
	probed = (uintptr_t)&c;
}

static void *thread_main(void *arg)
{
	jmp_buf env;
	volatile int hops = 0;
	int r = setjmp(env);
	if (r < 50) {
		hops++;
		longjmp(env, r + 10);
	}
	*(int *)arg = r * 100 + hops;
	return NULL;
}

/* Not differential (tests/eh.rs): a jump to a buffer no setjmp filled. */
static jmp_buf never_set;

__attribute__((noinline)) static void stale_jump(void)
{
	longjmp(never_set, 5);
}

int main(int argc, char **argv)
{
	(void)argv;
	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc > 1)
		stale_jump();
	printf("deep: %d\n", deep_jump(100, 4));
	printf("val0: %d\n", deep_jump(3, 0));
	printf("other setjmp: %d inner_landed=%d\n", through_other_setjmp(), inner_landed);

	int r = setjmp(outer);
	if (r == 0)
		inner_then_outer();
	printf("inner then outer: %d inner_landed=%d\n", r, inner_landed);

	int v[32];
	for (int i = 0; i < 32; i++)
		v[i] = (i * 37) % 32;
	r = setjmp(sort_env);
	if (r == 0) {
		qsort(v, 32, sizeof v[0], cmp_then_jump);
		printf("qsort returned\n");
	} else {
		printf("out of qsort: %d after %d compares\n", r, compares);
	}

	r = setjmp(outer);
	if (r == 0)
		jumper(77);
	printf("via pointer: %d\n", r);

	/* Many jumps: the stack (shadow and engine) must not grow. */
	probe();
	uintptr_t first = probed;
	long total = 0;
	int moved = 0;
	for (int i = 0; i < 3000; i++) {
		total += deep_jump(10 + i % 7, 1 + i % 5);
		probe();
		if (probed != first && !moved++)
			printf("stack moved at %d\n", i);
	}
	printf("loop total: %ld\n", total);

	sigjmp_buf senv;
	sigset_t block, now;
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	r = sigsetjmp(senv, 1);
	if (r == 0) {
		sigprocmask(SIG_BLOCK, &block, NULL);
		siglongjmp(senv, 21);
	}
	sigprocmask(SIG_BLOCK, NULL, &now);
	printf("siglongjmp: %d usr1 blocked=%d\n", r, sigismember(&now, SIGUSR1));

	pthread_t t;
	int result = 0;
	if (pthread_create(&t, NULL, thread_main, &result) != 0) {
		printf("pthread_create failed\n");
		return 1;
	}
	pthread_join(t, NULL);
	printf("thread: %d\n", result);
	return sink == -1 ? 1 : 3;
}
