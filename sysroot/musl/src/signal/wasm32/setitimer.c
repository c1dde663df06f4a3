#include <sys/time.h>
#include "syscall.h"

/* WALI passes the kernel's struct itimerval (x86-64: four 8-byte fields).
 * musl's generic setitimer takes its time64 path here (64-bit time_t,
 * 32-bit long) and would pass four 4-byte longs; build the kernel's
 * layout instead, field by field (no padding to leak). */
int setitimer(int which, const struct itimerval *restrict new, struct itimerval *restrict old)
{
	long long k[4] = {
		new->it_interval.tv_sec, new->it_interval.tv_usec,
		new->it_value.tv_sec, new->it_value.tv_usec,
	};
	long long o[4];
	int r = __syscall(SYS_setitimer, which, k, old ? o : 0);
	if (!r && old) {
		old->it_interval = (struct timeval){ .tv_sec = o[0], .tv_usec = o[1] };
		old->it_value = (struct timeval){ .tv_sec = o[2], .tv_usec = o[3] };
	}
	return __syscall_ret(r);
}
