/* setjmp through the engine's `setjmp` import. An engine without it
 * answers -ENOSYS (an unimplemented WALI call): then setjmp returns 0 and
 * marks the buffer, so the program runs until a longjmp to it, which
 * aborts with a message (see longjmp.c) instead of misbehaving. */
#include <errno.h>
#include <setjmp.h>
#include "wali_aux.h"

#define WALI_JMP_UNSUPPORTED 0x57414c49u /* "WALI" */

int setjmp(jmp_buf env)
{
	int r = __wali_setjmp(env);
	env->__fl = 0;
	if (r == -ENOSYS) {
		env->__fl = WALI_JMP_UNSUPPORTED;
		return 0;
	}
	return r;
}

weak_alias(setjmp, _setjmp);
