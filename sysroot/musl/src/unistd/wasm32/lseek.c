#include <errno.h>
#include <unistd.h>
#include "syscall.h"

/* The 64-bit offset is the whole result: __syscall's long would cut it. */
off_t __lseek(int fd, off_t offset, int whence)
{
	long long r = __wali_syscall(SYS_lseek, fd, offset, whence, 0, 0, 0);
	if (r < 0 && r > -4096) {
		errno = -r;
		return -1;
	}
	return r;
}

weak_alias(__lseek, lseek);
weak_alias(__lseek, lseek64);
