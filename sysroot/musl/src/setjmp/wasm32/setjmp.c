/* setjmp/longjmp for WALI (wasm32).
 *
 * WebAssembly cannot return twice from a call, so setjmp works where the
 * compiler lowers it: ./wali-cc compiles with clang's Emscripten-style
 * setjmp lowering (-mllvm -enable-emscripten-sjlj). In a function that calls
 * setjmp, clang turns the call into __wasm_setjmp(env, label, invocation)
 * and routes every other call through the engine's `env.invoke_*`
 * trampolines; after each, it checks __THREW__/__threwValue (set here by
 * longjmp) and asks __wasm_setjmp_test whether the jump is for this very
 * invocation, then branches to the code after that setjmp (label) or passes
 * the jump on. The engine unwinds the frames in between: the `wali.longjmp`
 * import raises an unwinding exception on this thread that the innermost
 * `invoke_*` stops.
 *
 * Our jmp_buf (bits/setjmp.h) keeps the invocation and label, plus the
 * shadow-stack pointer at setjmp time: the unwound frames never ran their
 * epilogues, so __wasm_setjmp_test puts the pointer back when the jump lands.
 * __fl and __ss belong to sigsetjmp (src/signal/wasm32/sigsetjmp.c). */
#include <setjmp.h>
#include <stdint.h>
#include "syscall.h"
#include "wali_aux.h"

__asm__(".globaltype __stack_pointer, i32");

struct wali_jmp {
	void *invocation;	/* identifies the frame that called setjmp */
	uint32_t label;		/* where in it to resume */
	uintptr_t sp;		/* its __stack_pointer */
};

/* The jump in flight on this thread (names and types fixed by clang). */
_Thread_local uintptr_t __THREW__;
_Thread_local int __threwValue;
static _Thread_local int temp_ret;

int getTempRet0(void)
{
	return temp_ret;
}

void setTempRet0(int v)
{
	temp_ret = v;
}

/* Leaf functions without a frame of their own at -O2: the global is the
 * caller's stack pointer. */
static inline uintptr_t stack_pointer(void)
{
	uintptr_t sp;
	__asm__ volatile("global.get __stack_pointer\n\tlocal.set %0" : "=r"(sp));
	return sp;
}

static inline void set_stack_pointer(uintptr_t sp)
{
	__asm__ volatile("local.get %0\n\tglobal.set __stack_pointer" :: "r"(sp));
}

void __wasm_setjmp(void *env, uint32_t label, void *invocation)
{
	struct wali_jmp *j = env;
	j->invocation = invocation;
	j->label = label;
	j->sp = stack_pointer();
}

uint32_t __wasm_setjmp_test(void *env, void *invocation)
{
	struct wali_jmp *j = env;
	if (j->invocation != invocation)
		return 0;
	set_stack_pointer(j->sp);
	return j->label;
}

_Noreturn void emscripten_longjmp(uintptr_t env, int val)
{
	if (!val)
		val = 1;
	__THREW__ = env;
	__threwValue = val;
	/* Unwinds to the innermost invoke_*; an engine that cannot (no such
	 * frame) ends the process itself. */
	__wali_longjmp((void *)env, val);
	static const char msg[] = "longjmp: not supported by this WALI engine\n";
	__syscall(SYS_write, 2, msg, sizeof msg - 1);
	for (;;) __syscall(SYS_exit_group, 134);
}

_Noreturn void longjmp(jmp_buf env, int val)
{
	emscripten_longjmp((uintptr_t)env, val);
}

weak_alias(longjmp, _longjmp);

/* A setjmp the compiler did not lower (code built without ./wali-cc's
 * flags, or a call through a pointer) returns once; a longjmp to it finds
 * no frame to land in and the engine ends the process with a message. */
int setjmp(jmp_buf env)
{
	((struct wali_jmp *)env)->invocation = 0;
	return 0;
}

weak_alias(setjmp, _setjmp);
