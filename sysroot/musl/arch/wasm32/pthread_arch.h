/* The thread pointer (this thread's struct pthread) lives in a
 * WebAssembly TLS variable: each thread is its own instance with its own
 * __tls_base, set up by __wasm_init_tls before any libc code runs. */
extern _Thread_local uintptr_t __wali_tp;

static inline uintptr_t __get_tp()
{
	return __wali_tp;
}

#define MC_PC __pc
