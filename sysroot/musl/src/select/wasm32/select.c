#include <sys/select.h>
#include <signal.h>
#include <stdint.h>
#include <errno.h>
#include "syscall.h"

/* musl's generic select passes the timeout to SYS_select as two `long`s,
 * 4 bytes each on wasm32; WALI passes the kernel's struct timeval (two
 * 8-byte fields). Same normalisation as musl's, then the kernel layout. */
int select(int n, fd_set *restrict rfds, fd_set *restrict wfds, fd_set *restrict efds, struct timeval *restrict tv)
{
	time_t s = tv ? tv->tv_sec : 0;
	suseconds_t us = tv ? tv->tv_usec : 0;
	const time_t max_time = (1ULL<<8*sizeof(time_t)-1)-1;

	if (s<0 || us<0) return __syscall_ret(-EINVAL);
	if (us/1000000 > max_time - s) {
		s = max_time;
		us = 999999;
	} else {
		s += us/1000000;
		us %= 1000000;
	}
	return syscall_cp(SYS_select, n, rfds, wfds, efds,
		tv ? ((long long[]){s, us}) : 0);
}
