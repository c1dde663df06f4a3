/* Every C function of ours that the engine's Rust code calls.
 *
 * They are compiled into WAMR's library (wali_*.c, CMakeLists.txt) because
 * they reach WAMR internals the public API (wasm_export.h) does not offer;
 * each is written against WAMR's own internal headers, so the C compiler
 * computes every structure layout and offset from the pinned tree. The
 * Rust side never declares them by hand: wamr-sys/build.rs runs bindgen
 * over this header (through wrapper.h), and each wali_*.c includes it, so
 * a prototype that drifts from its definition fails the C build.
 *
 * This header needs only wasm_export.h (and the freestanding stdint.h,
 * stddef.h and stdbool.h it pulls in): signal types are passed as void *.
 *
 * Not here: the functions WAMR's own sources call in place of theirs
 * (wali_exec_env_memset, wali_pthread_getattr_np, wali_loader_thread_create,
 * wali_loader_mmap, wali_jit_cache_mmap, wali_vprintf: CMakeLists.txt), and wali_wamr_output_quiet, which C calls
 * and Rust defines (src/engine/hooks.rs). */
#ifndef WALI_SHIMS_H
#define WALI_SHIMS_H

#include <stddef.h>
#include <stdint.h>
#include "wasm_export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- wali_table.c: guest function-table entries ---- */

/* Outcomes of wali_table_func. */
enum wali_table_outcome {
    WALI_TABLE_OK = 0,
    WALI_TABLE_NONE = 1,      /* no table 0, or not a funcref table */
    WALI_TABLE_UNDEFINED = 2, /* index past the table's current size */
    WALI_TABLE_NULL = 3,      /* a null element */
    WALI_TABLE_BAD_FUNC = 4,  /* an element that is no function index */
};

/* Looks up the function at `idx` of table 0 of `inst` into `*out`; returns
 * one of the outcomes above (`*out` is set only for WALI_TABLE_OK).
 * `*size` receives table 0's current size (0 without one). */
int wali_table_func(wasm_module_inst_t inst, uint32_t idx,
                    wasm_function_inst_t *out, uint32_t *size);

/* ---- wali_thread.c: guest threads, fork locks, exceptions ---- */

/* What a guest thread's host thread runs, with the new thread's exec env. */
typedef void (*wali_thread_body_t)(wasm_exec_env_t env, void *arg);

/* Starts a host thread running `body(env, arg)` with the exec env of a new
 * instance of `parent`'s module in its cluster. 0 on success (`body` then
 * gets `arg` exactly once), non-zero on failure (`arg` stays the caller's). */
int wali_spawn_thread(wasm_exec_env_t parent, uint32_t stack_size,
                      uint32_t native_stack_size, wali_thread_body_t body,
                      void *arg);

/* Sets the instance's `__stack_pointer` global back to its initial value. */
void wali_reset_stack_pointer(wasm_module_inst_t inst);

/* Takes (lock != 0) or releases (0) WAMR's locks that a guest thread may
 * hold while running engine code, around a fork. */
void wali_fork_lock(wasm_exec_env_t env, int lock);

/* Sets the exception of `inst` alone to "Exception: <msg>" (cut to WAMR's
 * buffer), or clears it with msg == NULL, under WAMR's exception lock.
 * wasm_runtime_set_exception spreads to every instance of the cluster. */
void wali_set_local_exception(wasm_module_inst_t inst, const char *msg);

/* ---- wali_mem.c: the guest memory of a call ---- */

/* Base address and current size in bytes of the default memory of the
 * instance running on `env` (NULL and 0 without memory). */
void wali_guest_memory(wasm_exec_env_t env, uint8_t **base, uint64_t *size);

/* ---- wali_fault.c: fault-tolerant copies of guest memory ---- */

/* A SA_SIGINFO handler: (signal, siginfo_t *, ucontext_t *). */
typedef void (*wali_sa_fn)(int sig, void *info, void *uctx);

/* memmove of `n` bytes from `src` to `dst` with a recovery point armed over
 * the guest range [guest, guest + guest_len): 0, or -1 when a page of it
 * faulted. */
int wali_copy(void *dst, const void *src, size_t n, const void *guest,
              size_t guest_len);

/* Offset of the first NUL among `n` bytes at `p`; -1 none, -2 a fault. */
ptrdiff_t wali_memchr0(const void *p, size_t n);

/* The SIGSEGV/SIGBUS handler that sends faults of armed copies back to
 * them and everything else to the handler set by wali_fault_set_next. */
void wali_fault_entry(int sig, void *info, void *uctx);
void wali_fault_set_next(wali_sa_fn next);

/* ---- wali_stack.c ---- */

/* Computes and caches the calling thread's stack boundary for WAMR's
 * stack checks (WAMR's os_thread_get_stack_boundary). */
void wali_cache_stack_boundary(void);

/* ---- wali_jit.c ---- */

/* Whether WAMR's fast-JIT code cache is mapped executable (the default);
 * 0 before wasm_runtime_full_init for a run that never JIT-compiles. */
void wali_jit_code_cache_exec(int on);

#ifdef __cplusplus
}
#endif

#endif
