/* Host calls into the guest by function-table index, with the callee's type
 * checked first.
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
 * public `wasm_func_get_*` calls describe. */
#include "wasm_export.h"
#include "wasm_runtime_common.h"
#include "../interpreter/wasm_runtime.h"

/* The function at `idx` of table 0 of `inst`, or NULL when the table is
 * missing, the index is out of range or the element is null. */
wasm_function_inst_t
wali_table_func(wasm_module_inst_t inst, uint32_t idx)
{
    WASMModuleInstance *m = (WASMModuleInstance *)inst;
    WASMTableInstance *t;
    wasm_table_inst_t view;

    if (m->table_count == 0 || !m->tables || !(t = m->tables[0]))
        return NULL;
    if (idx >= t->cur_size)
        return NULL;
    view.elem_kind = WASM_FUNCREF;
    view.cur_size = t->cur_size;
    view.max_size = t->max_size;
    view.elems = (void *)t->elems;
    return wasm_table_get_func_inst(inst, &view, idx);
}
