#define _GNU_SOURCE
#include <sys/wait.h>
#include <sys/resource.h>
#include "syscall.h"

/* The kernel's struct rusage (x86-64, as WALI passes it): two timevals,
 * then 14 longs of 8 bytes, 144 bytes. musl's generic wait4 hands the
 * kernel a pointer 16 bytes into the caller's struct (its time32 trick),
 * which WALI would fill with the 64-bit layout, past the struct's end;
 * convert from a kernel-layout copy instead (as getrusage does). */
struct k_rusage {
	long long utime[2], stime[2];
	long long counters[14];
};

pid_t wait4(pid_t pid, int *status, int options, struct rusage *ru)
{
	struct k_rusage k;
	int r = __syscall(SYS_wait4, pid, status, options, ru ? &k : 0);
	if (r > 0 && ru) {
		ru->ru_utime = (struct timeval){ .tv_sec = k.utime[0], .tv_usec = k.utime[1] };
		ru->ru_stime = (struct timeval){ .tv_sec = k.stime[0], .tv_usec = k.stime[1] };
		long *dst = &ru->ru_maxrss;
		for (int i = 0; i < 14; i++) dst[i] = k.counters[i];
	}
	return __syscall_ret(r);
}
