#include <sys/resource.h>
#include "syscall.h"

/* The kernel's struct rusage (x86-64, as WALI passes it): two timevals,
 * then 14 longs of 8 bytes. musl's wasm32 struct has 4-byte longs. */
struct k_rusage {
	long long utime[2], stime[2];
	long long counters[14];
};

int getrusage(int who, struct rusage *ru)
{
	struct k_rusage k;
	int r = __syscall(SYS_getrusage, who, &k);
	if (r) return __syscall_ret(r);
	ru->ru_utime = (struct timeval){ .tv_sec = k.utime[0], .tv_usec = k.utime[1] };
	ru->ru_stime = (struct timeval){ .tv_sec = k.stime[0], .tv_usec = k.stime[1] };
	long *dst = &ru->ru_maxrss;
	for (int i = 0; i < 14; i++) dst[i] = k.counters[i];
	return 0;
}
