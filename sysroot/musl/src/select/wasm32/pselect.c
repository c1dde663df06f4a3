#include <sys/select.h>
#include <signal.h>
#include <stdint.h>
#include "syscall.h"

/* WALI passes the kernel's struct timespec (two 8-byte fields); musl's
 * generic pselect builds two 4-byte `long`s on wasm32. The sixth argument
 * is two syscall_arg_t (long long): {sigset pointer, size}. */
int pselect(int n, fd_set *restrict rfds, fd_set *restrict wfds, fd_set *restrict efds, const struct timespec *restrict ts, const sigset_t *restrict mask)
{
	syscall_arg_t data[2] = { (uintptr_t)mask, _NSIG/8 };
	long long s = ts ? ts->tv_sec : 0;
	long long ns = ts ? ts->tv_nsec : 0;
	return syscall_cp(SYS_pselect6, n, rfds, wfds, efds,
		ts ? ((long long[]){s, ns}) : 0, data);
}
