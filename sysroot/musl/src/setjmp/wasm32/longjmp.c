#include <setjmp.h>
#include <unistd.h>
#include "syscall.h"
#include "wali_aux.h"

#define WALI_JMP_UNSUPPORTED 0x57414c49u

_Noreturn void longjmp(jmp_buf env, int val)
{
	if (env->__fl != WALI_JMP_UNSUPPORTED)
		__wali_longjmp(env, val ? val : 1);
	static const char msg[] = "longjmp: not supported by this WALI engine\n";
	__syscall(SYS_write, 2, msg, sizeof msg - 1);
	for (;;) __syscall(SYS_exit_group, 134);
}

weak_alias(longjmp, _longjmp);
