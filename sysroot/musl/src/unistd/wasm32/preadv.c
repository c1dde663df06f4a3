#define _BSD_SOURCE
#include <sys/uio.h>
#include <unistd.h>
#include "syscall.h"

/* WALI's preadv takes the offset whole (fd, iov, iovcnt, off_t): musl's
 * generic code splits it into two longs, 32-bit each on wasm32. */
ssize_t preadv(int fd, const struct iovec *iov, int count, off_t ofs)
{
	return syscall_cp(SYS_preadv, fd, iov, count, ofs);
}
