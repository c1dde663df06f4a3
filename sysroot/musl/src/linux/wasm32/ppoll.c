#define _GNU_SOURCE
#include <poll.h>
#include <signal.h>
#include "syscall.h"

/* WALI passes the kernel's struct timespec (two 8-byte fields); musl's
 * generic ppoll builds two 4-byte `long`s on wasm32. */
int ppoll(struct pollfd *fds, nfds_t n, const struct timespec *to, const sigset_t *mask)
{
	long long s = to ? to->tv_sec : 0;
	long long ns = to ? to->tv_nsec : 0;
	return syscall_cp(SYS_ppoll, fds, n,
		to ? ((long long[]){s, ns}) : 0, mask, _NSIG/8);
}
