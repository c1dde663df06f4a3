#include <unistd.h>
#include <stdarg.h>
#include "syscall.h"

#undef syscall

/* syscall(2): callers pass int, long or pointer arguments (4 bytes each
 * on wasm32 in varargs), so each is read as a long and widened. A 64-bit
 * argument (off_t) cannot pass through this interface on wasm32. */
long syscall(long n, ...)
{
	va_list ap;
	long a, b, c, d, e, f;
	va_start(ap, n);
	a = va_arg(ap, long);
	b = va_arg(ap, long);
	c = va_arg(ap, long);
	d = va_arg(ap, long);
	e = va_arg(ap, long);
	f = va_arg(ap, long);
	va_end(ap);
	return __syscall_ret(__syscall(n, a, b, c, d, e, f));
}
