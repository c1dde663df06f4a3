/* Force-included into every C and C++ source of WAMR's library
 * (CMakeLists.txt): the native stack size of the host threads WAMR creates,
 * chosen by the creating thread.
 *
 * WAMR sizes every thread it creates with one compile-time constant,
 * APP_THREAD_STACK_SIZE_DEFAULT. Guest threads running AoT code need a deep
 * stack (AoT frames live on it, and its size is where WAMR's software stack
 * check stops them); WAMR's own threads need little. The stack is not
 * touched up front (the hardware stack check, which wrote every page, is
 * off), so it costs address space, not memory. The size is a per-thread
 * variable: the default for WAMR's own threads, set by wali_spawn_thread
 * (wali_thread.c) around the creation of a guest thread. */
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
