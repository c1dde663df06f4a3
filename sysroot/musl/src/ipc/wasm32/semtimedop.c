#define _GNU_SOURCE
#include <sys/sem.h>
#include "syscall.h"

/* The timeout goes to the kernel as x86-64's struct timespec (two 8-byte
 * fields). musl's generic semtimedop hands over two 4-byte `long`s when the
 * seconds fit in 32 bits (its path for 32-bit kernels), which the 64-bit
 * kernel would read as one field; build the kernel's layout always. */
int semtimedop(int id, struct sembuf *buf, size_t n, const struct timespec *ts)
{
	long long k[2];
	if (ts) {
		k[0] = ts->tv_sec;
		k[1] = ts->tv_nsec;
	}
	return syscall(SYS_semtimedop, id, buf, n, ts ? k : 0);
}
