/* __clone for WALI. Threads (CLONE_THREAD) start through the
 * __wasm_thread_spawn import in a fresh instance sharing the memory, at
 * __wasm_thread_start_libc (wasm_thread_start.s), which switches to the
 * new stack and calls __wali_thread_main below. Any other clone (as
 * posix_spawn's CLONE_VM|CLONE_VFORK) becomes a fork whose child runs fn. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include "pthread_impl.h"
#include "syscall.h"
#include "wali_aux.h"

/* Placed at the top of the new stack; its address is the new stack
 * pointer, so the first field must stay `sp` (read by the assembly). */
struct wali_clone {
	void *sp;
	int (*fn)(void *);
	void *arg;
	int flags;
	int *ptid;
	void *tp;
	int *ctid;
};

void __wasm_thread_start_libc(int tid, void *start);
void __wasm_init_tls(void *);

hidden _Noreturn void __wali_thread_main(int tid, struct wali_clone *c)
{
	if (c->flags & CLONE_SETTLS) {
		__wasm_init_tls((void *)__wali_tls_block(c->tp));
		__wali_tp = (uintptr_t)c->tp;
	}
	if (c->flags & CLONE_PARENT_SETTID) *c->ptid = tid;
	/* The engine clears *ctid and wakes its futex when this thread ends. */
	if (c->flags & CLONE_CHILD_CLEARTID)
		__syscall(SYS_set_tid_address, c->ctid);
	int r = c->fn(c->arg);
	for (;;) __syscall(SYS_exit, r);
}

static int fork_clone(int (*fn)(void *), void *arg)
{
	long pid = __syscall(SYS_fork);
	if (pid == 0) {
		int r = fn(arg);
		for (;;) __syscall(SYS_exit_group, r);
	}
	return pid;
}

int __clone(int (*fn)(void *), void *stack, int flags, void *arg, ...)
{
	va_list ap;
	va_start(ap, arg);
	int *ptid = va_arg(ap, int *);
	void *tls = va_arg(ap, void *);
	int *ctid = va_arg(ap, int *);
	va_end(ap);

	if (!(flags & CLONE_THREAD)) return fork_clone(fn, arg);

	uintptr_t top = ((uintptr_t)stack & -16) - ((sizeof(struct wali_clone) + 15) & -16);
	struct wali_clone *c = (struct wali_clone *)top;
	*c = (struct wali_clone){ .sp = c, .fn = fn, .arg = arg, .flags = flags,
		.ptid = ptid, .tp = tls, .ctid = ctid };
	int tid = __wali_thread_spawn(__wasm_thread_start_libc, c);
	if (tid < 0) return tid;
	if (flags & CLONE_PARENT_SETTID) *ptid = tid;
	return tid;
}
