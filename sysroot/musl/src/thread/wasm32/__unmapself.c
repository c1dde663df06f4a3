#include "pthread_impl.h"
#include "syscall.h"

/* A detached thread frees its own stack and exits. Past the munmap only
 * the two syscalls run and they use no linear memory (the operands live
 * on the engine's stack), so releasing the stack under us is safe. */
_Noreturn void __unmapself(void *base, size_t size)
{
	__syscall(SYS_munmap, base, size);
	for (;;) __syscall(SYS_exit, 0);
}
