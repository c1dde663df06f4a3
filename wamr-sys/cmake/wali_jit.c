/* No background fast-JIT compilation.
 *
 * With fast JIT built in, WAMR's loader starts helper threads at the end of
 * every bytecode load (compile_jit_functions in wasm_loader.c) that compile
 * the module's functions in the background, whatever mode the module will run
 * in. For a WALI process that is wrong four ways: an `--interp` run compiles
 * for nothing (about a tenth of a hello world's start-up, plus four thread
 * creations); the helpers compete with the guest for the CPU; a guest `fork`
 * can copy a helper's compile lock while it is held, so the child hangs at its
 * first call of a function not yet compiled (the helper does not exist in the
 * child); and each WAMR thread installs WAMR's SIGSEGV/SIGBUS handler
 * process-wide when it starts, saving the one it replaces as the one to chain
 * to, which for the second helper is WAMR's own, so a SIGSEGV sent by kill()
 * loops in WAMR's handler.
 *
 * The build compiles wasm_loader.c with `os_thread_create` defined to this
 * function (CMakeLists.txt): the loader creates no other thread, so this one
 * declines every request with success and a null thread id, which the
 * loader's unload path already skips when it joins its helpers. The fast JIT
 * then compiles each function at its first call, in the calling thread, as
 * its lazy mode does for functions the helpers have not reached. */
#include "platform_api_extension.h"
#include "platform_api_vmcore.h"
#include "wali_shims.h"

int
wali_loader_thread_create(korp_tid *tid, thread_start_routine_t start,
                          void *arg, unsigned int stack_size)
{
    (void)start;
    (void)arg;
    (void)stack_size;
    *tid = 0;
    return BHT_OK;
}

/* A fast-JIT code cache that is never executed in runs that do not JIT.
 *
 * WAMR maps its fast-JIT code cache read-write-execute and zeroes all of it
 * at start-up (jit_code_cache_init, gc_init_internal), whatever mode the
 * module runs in, and writes its entry and exit stubs into it. In a run
 * that never JIT-compiles (an AoT file, --interp) nothing in it is ever
 * executed, yet it is a writable and executable mapping, and one more
 * mapping with resident pages that every guest fork copies. jit_codecache.c
 * is compiled with os_mmap defined to this function (CMakeLists.txt; its
 * only mmap is the cache's): when the engine said before starting WAMR
 * that the run does not JIT (wali_jit_code_cache_exec(0)), the cache is
 * mapped without PROT_EXEC. An anonymous read-write mapping also merges
 * with a neighbouring one, so the cache adds no mapping of its own. */
static int wali_jit_exec = 1;

void
wali_jit_code_cache_exec(int on)
{
    wali_jit_exec = on;
}

void *
wali_jit_cache_mmap(void *hint, size_t size, int prot, int flags,
                    os_file_handle file)
{
    if (!wali_jit_exec)
        prot &= ~MMAP_PROT_EXEC;
    return os_mmap(hint, size, prot, flags, file);
}
