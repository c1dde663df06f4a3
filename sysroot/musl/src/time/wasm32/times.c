#include <sys/times.h>
#include "syscall.h"

/* The kernel's struct tms holds four 8-byte clock_t on x86-64; musl's
 * clock_t is a 4-byte long on wasm32. */
clock_t times(struct tms *tms)
{
	long long k[4];
	long long r = __wali_syscall(SYS_times, (long long)(long)k, 0, 0, 0, 0, 0);
	if (r < 0 && r > -4096) return __syscall_ret(r);
	if (tms) *tms = (struct tms){ k[0], k[1], k[2], k[3] };
	return r;
}
