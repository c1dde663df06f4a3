/* sigsetjmp through the engine's `sigsetjmp` import (see setjmp.c). */
#include <errno.h>
#include <setjmp.h>
#include "wali_aux.h"

#define WALI_JMP_UNSUPPORTED 0x57414c49u

int sigsetjmp(sigjmp_buf env, int savesigs)
{
	int r = __wali_sigsetjmp(env, savesigs);
	env->__fl = 0;
	if (r == -ENOSYS) {
		env->__fl = WALI_JMP_UNSUPPORTED;
		return 0;
	}
	return r;
}

weak_alias(sigsetjmp, __sigsetjmp);
