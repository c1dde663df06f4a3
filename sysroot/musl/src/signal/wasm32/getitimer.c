#include <sys/time.h>
#include "syscall.h"

/* The kernel's struct itimerval (four 8-byte fields), as WALI passes it;
 * see setitimer.c. */
int getitimer(int which, struct itimerval *old)
{
	long long o[4];
	int r = __syscall(SYS_getitimer, which, o);
	if (!r) {
		old->it_interval = (struct timeval){ .tv_sec = o[0], .tv_usec = o[1] };
		old->it_value = (struct timeval){ .tv_sec = o[2], .tv_usec = o[3] };
	}
	return __syscall_ret(r);
}
