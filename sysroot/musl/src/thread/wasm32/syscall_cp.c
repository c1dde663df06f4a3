/* Cancellable syscalls without assembly: the cancel flag is checked before
 * the call. A cancellation request that arrives while the call blocks is
 * acted on at the next cancellation point (no pc-range check is possible:
 * the engine shows no program counter), so __cp_begin..__cp_end is empty. */
#include "pthread_impl.h"
#include "syscall.h"

hidden const char __cp_begin[1], __cp_end[1], __cp_cancel[1];
hidden long __cancel(void);

hidden long __syscall_cp_asm(volatile int *cancel, syscall_arg_t nr,
	syscall_arg_t u, syscall_arg_t v, syscall_arg_t w,
	syscall_arg_t x, syscall_arg_t y, syscall_arg_t z)
{
	if (*cancel) return __cancel();
	return __syscall(nr, u, v, w, x, y, z);
}
