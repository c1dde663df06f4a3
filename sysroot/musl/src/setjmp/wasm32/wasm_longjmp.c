/* longjmp for programs built with Wasm exception handling, as the
 * reference toolchain builds them (./wali-cc -fwasm-exceptions:
 * -mexception-handling -mllvm -wasm-enable-sjlj). There clang lowers
 * setjmp to __wasm_setjmp (setjmp.c, shared with the Emscripten-style
 * lowering) and longjmp to a call to __wasm_longjmp, which throws the tag
 * __c_longjmp with a pointer to {env, val}; each function that called
 * setjmp catches it, asks __wasm_setjmp_test whether the jump is its own and
 * lands, or calls __wasm_longjmp again to pass it on. No engine support is
 * needed beyond exception handling itself.
 *
 * A file of its own: only modules built that way reference
 * __wasm_longjmp, so only they link this object and get the tag (a module
 * with a tag section needs an engine with exception handling; WAMR runs it
 * in the classic interpreter only). The target attribute enables the
 * instructions for this function without building the libc with them. */

struct wasm_longjmp_args {
	void *env;
	int val;
};

/* The thrown pointer must stay valid while the exception travels: one per
 * thread, as a thread has at most one jump in flight. */
static _Thread_local struct wasm_longjmp_args args;

/* The tag clang's lowering catches (C_LONGJMP = 1 in
 * __builtin_wasm_throw), defined here as Emscripten's libc does: objects
 * that catch it only carry a weak reference. */
__asm__(".globl __c_longjmp\n.tagtype __c_longjmp i32\n__c_longjmp:\n");

__attribute__((target("exception-handling")))
_Noreturn void __wasm_longjmp(void *env, int val)
{
	args.env = env;
	args.val = val ? val : 1;
	__builtin_wasm_throw(1, &args);
}
