/* The WALI auxiliary imports (not syscalls) the wasm32 port uses. */
#ifndef WALI_AUX_H
#define WALI_AUX_H

#include <features.h>
#include <stdint.h>

#define WALI_AUX(n) __attribute__((import_module("wali"), import_name(n)))

WALI_AUX("__init") int __wali_init(void);
WALI_AUX("__deinit") int __wali_deinit(void);
WALI_AUX("__proc_exit") _Noreturn void __wali_proc_exit(int);
WALI_AUX("__cl_get_argc") unsigned __wali_cl_get_argc(void);
WALI_AUX("__cl_get_argv_len") unsigned __wali_cl_get_argv_len(unsigned);
WALI_AUX("__cl_copy_argv") int __wali_cl_copy_argv(char *, unsigned);
WALI_AUX("__get_init_envfile") int __wali_get_init_envfile(char *, unsigned);
WALI_AUX("__wasm_thread_spawn") int __wali_thread_spawn(void (*)(int, void *), void *);
WALI_AUX("longjmp") void __wali_longjmp(void *, int);

/* __proc_exit statuses for start-up failures (WALI ABI). */
#define WALI_EXIT_STARTUP 257
#define WALI_EXIT_ENV_READ 259
#define WALI_EXIT_ENV_NAME 260

/* Set by _start for the default __main_void. */
extern hidden int __wali_argc;
extern hidden char **__wali_argv;

/* Where a thread's WebAssembly TLS block lies in its TLS area: right
 * after its struct pthread (see src/env/wasm32/__init_tls.c). */
hidden uintptr_t __wali_tls_block(void *td);

#endif
