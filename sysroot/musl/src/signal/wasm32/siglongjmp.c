/* siglongjmp called as a function (through a pointer, or by code that
 * #undefs the macro of bits/sigsetjmp.h): musl's, without the macro. */
#include <setjmp.h>
#include <signal.h>
#include "syscall.h"
#include "pthread_impl.h"

#undef siglongjmp

_Noreturn void siglongjmp(sigjmp_buf buf, int ret)
{
	longjmp(buf, ret);
}
