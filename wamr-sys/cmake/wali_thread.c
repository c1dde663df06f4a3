/* Guest threads whose shadow stacks the guest manages (`__wasm_thread_spawn`).
 *
 * WAMR's public `wasm_runtime_spawn_exec_env` gives every new thread a slice
 * of the module's linker-reserved "aux stack" (or, with heap aux-stack
 * allocation, a block of WAMR's app heap) and bounds each `__stack_pointer`
 * write of the thread to that slice. A WALI libc allocates each thread's stack
 * itself (mmap) and sets `__stack_pointer` in its start routine, as a Linux
 * libc passes the stack to clone(); WAMR's slices would either not exist (no
 * `__heap_base`/`__data_end` exports: spawn fails) or make the libc's own
 * stack trap as "auxiliary stack overflow".
 *
 * This is the recipe of WAMR's own wasi-threads library, whose threads also
 * bring their own stacks: a sub-instance of the running module over the same
 * shared memory (`wasm_runtime_instantiate_internal` with a parent), and a
 * thread of the parent's cluster without an aux stack
 * (`wasm_cluster_create_thread(..., is_aux_stack_allocated = false, ...)`
 * disables the bounds check for that thread). Compiled inside the WAMR
 * library with WAMR's own headers and configuration, so every internal
 * signature and structure is checked by the compiler. */
#include "wasm_export.h"
#include "wasm_runtime_common.h"
#include "wasm_native.h"
#include "thread_manager.h"
#include "bh_log.h"
#include "../interpreter/wasm_runtime.h"
#if WASM_ENABLE_AOT != 0
#include "../aot/aot_runtime.h"
#endif
#include "wali_shims.h"
#include <stdio.h>


/* Native stack of the next host thread WAMR creates on this thread
 * (wali_config.h). WAMR's own threads (fast-JIT compilation) get twice WAMR's
 * default for Linux (128 KiB). */
__thread unsigned int wali_app_thread_stack_size = 256 * 1024;

typedef struct {
    wali_thread_body_t body;
    void *arg;
} WaliThreadStart;

/* Runs on the new host thread (WAMR's thread-manager wrapper has prepared its
 * signal handling); WAMR removes the exec env from the cluster and destroys
 * it with its instance when this returns. */
static void *
wali_thread_routine(void *p)
{
    wasm_exec_env_t env = (wasm_exec_env_t)p;
    WaliThreadStart start = *(WaliThreadStart *)wasm_exec_env_get_thread_arg(env);

    wasm_runtime_free(wasm_exec_env_get_thread_arg(env));
    wasm_exec_env_set_thread_arg(env, NULL);
    /* The native stack bounds of this host thread, for WAMR's checks. */
    wasm_exec_env_set_thread_info(env);
    start.body(env, start.arg);
    return NULL;
}

/* Starts a host thread that calls `body(env, arg)` with the exec env of a new
 * instance of `parent`'s module sharing its memory, in `parent`'s cluster.
 * `stack_size` is the wasm operand stack, `native_stack_size` the host
 * thread's stack. Returns 0, or -1 (nothing started, `arg` untouched) when
 * WAMR cannot make the instance or the thread. `parent` must be the exec env
 * of the calling host function (its instance runs the module's start
 * function). */
int
wali_spawn_thread(wasm_exec_env_t parent, uint32_t stack_size,
                  uint32_t native_stack_size, wali_thread_body_t body,
                  void *arg)
{
    wasm_module_inst_t inst = wasm_runtime_get_module_inst(parent);
    wasm_module_t module = wasm_runtime_get_module(inst);
    wasm_module_inst_t child;
    WaliThreadStart *start;
    struct InstantiationArgs2 args;
    char err[128];
    unsigned int saved_stack_size;
    int32 created;

    wasm_runtime_instantiation_args_set_defaults(&args);
    wasm_runtime_instantiation_args_set_default_stack_size(&args, stack_size);
    wasm_runtime_instantiation_args_set_custom_data(
        &args, wasm_runtime_get_custom_data(inst));
    child = wasm_runtime_instantiate_internal(module, inst, parent, &args, err,
                                              sizeof(err));
    if (!child) {
        LOG_VERBOSE("wali: cannot instantiate a thread: %s", err);
        return -1;
    }
    wasm_native_inherit_contexts(child, inst);
    if (!wasm_cluster_dup_c_api_imports(child, inst))
        goto fail;
    if (!(start = wasm_runtime_malloc(sizeof(*start))))
        goto fail;
    start->body = body;
    start->arg = arg;
    saved_stack_size = wali_app_thread_stack_size;
    wali_app_thread_stack_size = native_stack_size;
    created = wasm_cluster_create_thread(parent, child, false, 0, 0,
                                         wali_thread_routine, start);
    wali_app_thread_stack_size = saved_stack_size;
    if (created != 0) {
        wasm_runtime_free(start);
        goto fail;
    }
    return 0;

fail:
    wasm_runtime_deinstantiate_internal(child, true);
    return -1;
}

/* Puts the instance's `__stack_pointer` (the global WAMR's loader found as
 * the aux stack top) back to its initial value. A pooled guest thread's
 * instance runs one start routine after another; each must find it as a
 * fresh instance would be: the libc's thread entry moves to the thread's own
 * stack only from the initial value (an engine that gives instances stacks
 * of its own starts them elsewhere), so a reused instance would go on
 * running on the previous thread's stack, which its joiner has unmapped.
 * Mirrors how WAMR itself sets that global (wasm_set_aux_stack /
 * aot_set_aux_stack), without their bounds set-up, which guest-managed
 * stacks must not get. */
void
wali_reset_stack_pointer(wasm_module_inst_t inst)
{
    WASMModuleInstance *m = (WASMModuleInstance *)inst;
    uint32 idx;
    uint64 initial;
    uint8 *addr = NULL;

#if WASM_ENABLE_INTERP != 0
    if (m->module_type == Wasm_Module_Bytecode) {
        idx = m->module->aux_stack_top_global_index;
        initial = m->module->aux_stack_bottom;
        if (idx != (uint32)-1)
            addr = m->global_data + m->e->globals[idx].data_offset;
    }
#endif
#if WASM_ENABLE_AOT != 0
    if (m->module_type == Wasm_Module_AoT) {
        AOTModule *am = (AOTModule *)m->module;
        idx = am->aux_stack_top_global_index;
        initial = am->aux_stack_bottom;
        if (idx != (uint32)-1)
            addr = m->global_data + am->globals[idx].data_offset;
    }
#endif
    if (addr)
        *(uint32 *)addr = (uint32)initial;
}

/* Around a guest `fork` with other guest threads (crate::thread::fork_process):
 * takes (`lock` != 0) or releases the WAMR locks another guest thread may be
 * holding while it runs engine code, so that the child, which has only the
 * forking thread, finds none of them held: the fast-JIT compile locks of the
 * module (a thread compiling a function at its first call) and the cluster
 * lock. Spawns and thread teardown, which also take the cluster lock, are
 * excluded by the caller. Compile locks are taken in index order (WAMR's
 * compiler holds one at a time in a fast-JIT-only build) and released in
 * reverse; the mutexes are plain (no owner check), so the child's copy of
 * the forking thread may release them. */
void
wali_fork_lock(wasm_exec_env_t env, int lock)
{
    wasm_module_inst_t inst = wasm_runtime_get_module_inst(env);
    WASMCluster *cluster = wasm_exec_env_get_cluster(env);
#if WASM_ENABLE_FAST_JIT != 0
    WASMModule *module = NULL;
    int i;

    if (inst->module_type == Wasm_Module_Bytecode)
        module = ((WASMModuleInstance *)inst)->module;
#endif

    if (lock) {
#if WASM_ENABLE_FAST_JIT != 0
        if (module)
            for (i = 0; i < WASM_ORC_JIT_BACKEND_THREAD_NUM; i++)
                if (module->fast_jit_thread_locks_inited[i])
                    os_mutex_lock(&module->fast_jit_thread_locks[i]);
#endif
        if (cluster)
            os_mutex_lock(&cluster->lock);
    }
    else {
        if (cluster)
            os_mutex_unlock(&cluster->lock);
#if WASM_ENABLE_FAST_JIT != 0
        if (module)
            for (i = WASM_ORC_JIT_BACKEND_THREAD_NUM - 1; i >= 0; i--)
                if (module->fast_jit_thread_locks_inited[i])
                    os_mutex_unlock(&module->fast_jit_thread_locks[i]);
#endif
    }
}

/* Sets or clears the exception of one instance only, as WAMR's own
 * wasm_set_exception_local (static in wasm_runtime_common.c) does: a thread
 * exit unwinds that thread alone, where wasm_runtime_set_exception reaches
 * every instance of the cluster. An AoT instance is a WASMModuleInstance
 * too (aot_runtime.h), so cur_exception is found by the compiler for both. */
void
wali_set_local_exception(wasm_module_inst_t inst, const char *msg)
{
    WASMModuleInstance *m = (WASMModuleInstance *)inst;
    exception_lock(m);
    if (msg)
        snprintf(m->cur_exception, sizeof(m->cur_exception), "Exception: %s",
                 msg);
    else
        m->cur_exception[0] = '\0';
    exception_unlock(m);
}
