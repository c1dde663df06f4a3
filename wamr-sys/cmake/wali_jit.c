/* No background fast-JIT compilation.
 *
 * With fast JIT built in, WAMR's loader starts helper threads that compile
 * every function of a bytecode module in the background, whatever mode the
 * module will run in. For a WALI process that is wrong three ways: an
 * `--interp` run compiles (and, with the small code cache it gets, prints
 * failures) for nothing; the helpers compete with the guest for the CPU at
 * start-up; and a guest `fork` can copy a helper's compile lock while it is
 * held, so the child hangs at its first call of a function not yet compiled
 * (the helper does not exist in the child). Their start also races with the
 * engine's signal set-up: each WAMR thread installs WAMR's SIGSEGV/SIGBUS
 * handler process-wide when it starts, saving the one it replaces as the one
 * to chain to, which for the second helper is WAMR's own, so a SIGSEGV sent
 * by kill() loops in WAMR's handler. Stopped right after loading, the
 * fast JIT compiles each function at its first call, in the calling thread,
 * as its lazy mode already does for functions the helpers have not reached.
 * WAMR's own flag is what the loader uses to stop them at unload. */
#include "wasm_export.h"
#include "wasm_runtime_common.h"
#include "../interpreter/wasm.h"

void
wali_stop_background_jit(wasm_module_t m)
{
#if WASM_ENABLE_FAST_JIT != 0 && WASM_ENABLE_LAZY_JIT != 0
    WASMModule *module = (WASMModule *)m;
    uint32 i;

    if (module->module_type != Wasm_Module_Bytecode)
        return;
    /* Each helper checks the flag after every function it compiles. */
    module->orcjit_stop_compiling = true;
    for (i = 0; i < WASM_ORC_JIT_BACKEND_THREAD_NUM; i++) {
        if (module->orcjit_threads[i]) {
            os_thread_join(module->orcjit_threads[i], NULL);
            /* Unloading joins the non-zero ones again. */
            module->orcjit_threads[i] = 0;
        }
    }
#else
    (void)m;
#endif
}
