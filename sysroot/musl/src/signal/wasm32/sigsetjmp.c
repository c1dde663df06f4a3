/* sigsetjmp for WALI (wasm32). Only calls named setjmp/_setjmp are lowered by
 * the compiler (see src/setjmp/wasm32/setjmp.c), so <setjmp.h> defines
 * sigsetjmp as a macro over setjmp (bits/sigsetjmp.h) around these two
 * helpers: save the flag and the mask before setjmp, restore the mask when
 * setjmp returns from a siglongjmp. */
#include <setjmp.h>
#include <signal.h>
#include "syscall.h"

#undef sigsetjmp

int __wali_sigsetjmp_save(sigjmp_buf env, int savesigs)
{
	env->__fl = savesigs != 0;
	if (savesigs)
		__syscall(SYS_rt_sigprocmask, SIG_SETMASK, 0, env->__ss, _NSIG/8);
	return 0;
}

int __wali_sigsetjmp_tail(sigjmp_buf env, int ret)
{
	if (ret && env->__fl)
		__syscall(SYS_rt_sigprocmask, SIG_SETMASK, env->__ss, 0, _NSIG/8);
	return ret;
}

/* Called as a function (not through the macro): returns once. */
int sigsetjmp(sigjmp_buf env, int savesigs)
{
	__wali_sigsetjmp_save(env, savesigs);
	return setjmp(env);
}

weak_alias(sigsetjmp, __sigsetjmp);
