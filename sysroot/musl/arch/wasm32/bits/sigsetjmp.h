/* Included by <setjmp.h> on wasm32 (inserted by sysroot/build.sh).
 * The compiler lowers calls to setjmp (./wali-cc: -mllvm
 * -enable-emscripten-sjlj) but not to sigsetjmp, which therefore expands to
 * setjmp between saving and restoring the signal mask. siglongjmp expands
 * to longjmp, which the compiler lowers in the caller as well: with
 * -fwasm-exceptions to the throwing __wasm_longjmp, which a libc function
 * built without it could not reach (the tail above restores the mask). */
#if defined(_POSIX_SOURCE) || defined(_POSIX_C_SOURCE) \
 || defined(_XOPEN_SOURCE) || defined(_GNU_SOURCE) \
 || defined(_BSD_SOURCE)
int __wali_sigsetjmp_save(sigjmp_buf, int);
int __wali_sigsetjmp_tail(sigjmp_buf, int);
#define sigsetjmp(env, savesigs) (__wali_sigsetjmp_save((env), (savesigs)), \
	__wali_sigsetjmp_tail((env), setjmp(env)))
#define siglongjmp(env, val) longjmp((env), (val))
#endif
