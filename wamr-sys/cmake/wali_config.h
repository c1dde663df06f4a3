/* Force-included into every C and C++ source of WAMR's library
 * (CMakeLists.txt): the native stack size of the host threads WAMR creates,
 * chosen by the creating thread.
 *
 * WAMR sizes every thread it creates with one compile-time constant,
 * APP_THREAD_STACK_SIZE_DEFAULT, and its stack-guard set-up writes to every
 * page of that stack when the thread starts (os_thread_signal_init ->
 * touch_pages): a thread costs its whole stack in page faults and RSS.
 * Guest threads running AoT code need a deep stack (AoT frames live on it);
 * WAMR's fast-JIT compilation threads, started by every load of a .wasm
 * module, need little. So the size is a per-thread variable: the default
 * for WAMR's own threads, set by wali_spawn_thread (wali_thread.c) around
 * the creation of a guest thread. */
#ifndef WALI_CONFIG_H
#define WALI_CONFIG_H

#ifdef __cplusplus
extern "C" {
#endif
extern __thread unsigned int wali_app_thread_stack_size;
#ifdef __cplusplus
}
#endif

#define APP_THREAD_STACK_SIZE_DEFAULT (wali_app_thread_stack_size)
#define APP_THREAD_STACK_SIZE_MIN 65536

#endif
