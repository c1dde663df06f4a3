/* Host calls into the guest by function-table index, with the element and
 * the callee's type checked first.
 *
 * The engine calls guest functions by table index: signal handlers, thread
 * start routines and the `invoke_*` trampolines of setjmp/longjmp. WAMR's
 * public `wasm_runtime_call_indirect` takes an untyped cell array and lets the
 * callee's own type decide how many cells it reads and how many result cells
 * it writes back, so a guest that puts a function of another type at that
 * index would make WAMR read and write past the host's argument buffer. A
 * wasm `call_indirect` traps on such a mismatch; these helpers let the host do
 * the same check. They read table 0 (the one the ABI's indices refer to)
 * through WAMR's internal instance layout, which is shared by interpreter and
 * AoT instances, and hand back a public `wasm_function_inst_t`, whose type the
 * public `wasm_func_get_*` calls describe.
 *
 * The element itself is checked too: WAMR's `wasm_table_get_func_inst`
 * trusts it (its bound check is an assertion, compiled out in release
 * builds) and indexes the instance's function array with it, and for AoT
 * `aot_get_function_instance` even writes a new function instance at that
 * index. A table element is a function index only if the table holds
 * funcrefs (table 0 may be an externref table) and the index is below the
 * module's function count (imported + defined). The loader refuses imports
 * that could forge a funcref (native.rs), so a bad element here means a bug
 * or a module this engine did not load: it traps, never reaches WAMR. */
#include "wasm_export.h"
#include "wasm_runtime_common.h"
#include "../interpreter/wasm_runtime.h"
#include "../aot/aot_runtime.h"
#include "wali_shims.h"

#if WASM_ENABLE_GC != 0
/* With GC a table element is an object pointer, not a function index. */
#error "wali_table.c reads table elements as function indices (GC off)"
#endif

/* The outcomes (WALI_TABLE_*) are declared in wali_shims.h. */

/* The number of functions (imported + defined) of `inst`'s module, the
 * bound of a valid function index. */
static uint64
function_count(WASMModuleInstanceCommon *inst)
{
#if WASM_ENABLE_INTERP != 0
    if (inst->module_type == Wasm_Module_Bytecode) {
        WASMModuleInstance *m = (WASMModuleInstance *)inst;
        return m->e ? m->e->function_count : 0;
    }
#endif
#if WASM_ENABLE_AOT != 0
    if (inst->module_type == Wasm_Module_AoT) {
        AOTModule *am = (AOTModule *)((AOTModuleInstance *)inst)->module;
        return am ? (uint64)am->import_func_count + am->func_count : 0;
    }
#endif
    return 0;
}

/* Looks up the function at `idx` of table 0 of `inst` into `*out`; returns
 * one of the outcomes above (`*out` is set only for WALI_TABLE_OK). `*size`
 * receives table 0's current size (0 without one). */
int
wali_table_func(wasm_module_inst_t inst, uint32_t idx, wasm_function_inst_t *out,
                uint32_t *size)
{
    WASMModuleInstance *m = (WASMModuleInstance *)inst;
    WASMTableInstance *t;
    wasm_table_inst_t view;
    table_elem_type_t elem;

    *size = 0;
    if (m->table_count == 0 || !m->tables || !(t = m->tables[0])
        || t->elem_type != VALUE_TYPE_FUNCREF)
        return WALI_TABLE_NONE;
    *size = t->cur_size;
    if (idx >= t->cur_size)
        return WALI_TABLE_UNDEFINED;
    /* A function index is the element's low 32 bits, as WAMR's own
     * call_indirect reads it. WAMR fills a fresh table with all-ones bytes
     * (memset -1) while table.set stores a zero-extended 32-bit value, so a
     * null element is any element whose low 32 bits are all ones:
     * `wasm_table_get_func_inst`'s full-width comparison with NULL_REF
     * misses the memset ones and would index with 0xFFFFFFFF. */
    elem = t->elems[idx];
    if ((uint32)elem == (uint32)NULL_REF)
        return WALI_TABLE_NULL;
    if ((uint64)(uint32)elem >= function_count((WASMModuleInstanceCommon *)inst))
        return WALI_TABLE_BAD_FUNC;
    view.elem_kind = WASM_FUNCREF;
    view.cur_size = t->cur_size;
    view.max_size = t->max_size;
    view.elems = (void *)t->elems;
    *out = wasm_table_get_func_inst(inst, &view, idx);
    return *out ? WALI_TABLE_OK : WALI_TABLE_BAD_FUNC;
}
