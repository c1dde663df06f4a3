/* The guest memory of a host call in one call into WAMR's library.
 *
 * A WALI host function needs the base address and current size of the
 * calling instance's default memory before it may check a guest pointer.
 * Through the public API that is five calls per host call
 * (wasm_runtime_get_module_inst, wasm_runtime_get_default_memory,
 * wasm_memory_get_cur_page_count, wasm_memory_get_bytes_per_page,
 * wasm_memory_get_base_address); this reads the same fields with WAMR's own
 * headers, so the compiler checks every structure against this tree. The
 * values are the ones those getters return: the size is the current page
 * count times the page size, read as the getters read it. */
#include "wasm_export.h"
#include "wasm_runtime_common.h"
#include "wasm_memory.h"
#include "../interpreter/wasm_runtime.h"
#include "wali_shims.h"

void
wali_guest_memory(wasm_exec_env_t env, uint8_t **base, uint64_t *size)
{
    /* An AoT instance is a WASMModuleInstance too (aot_runtime.h defines
     * AOTModuleInstance as it), and both wasm_get_default_memory and
     * aot_get_default_memory answer memories[0]: what
     * wasm_runtime_get_default_memory returns, without its dispatch. */
    WASMModuleInstance *inst =
        env ? (WASMModuleInstance *)env->module_inst : NULL;
    WASMMemoryInstance *m = NULL;

    if (inst
        && (inst->module_type == Wasm_Module_Bytecode
            || inst->module_type == Wasm_Module_AoT)
        && inst->memories)
        m = inst->memories[0];
    if (!m) {
        *base = NULL;
        *size = 0;
        return;
    }
    *base = m->memory_data;
    *size = (uint64_t)m->cur_page_count * m->num_bytes_per_page;
}
