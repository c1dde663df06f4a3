/* The wasm stack of an exec env costs only the pages a thread uses.
 *
 * WAMR allocates each exec env (one per guest thread) together with its
 * wasm stack, where the interpreter and the fast JIT keep guest frames
 * (--stack-size), and zeroes the whole block: every thread then commits its
 * whole stack, in RSS and in the time to fault in and clear the pages (at
 * 8 MiB: +8 MiB RSS and about a millisecond per thread). Nothing reads a
 * stack cell it has not written: both engines write each frame's header,
 * zero its locals on entry (wasm semantics need that for reused stack
 * memory anyway) and push operands before popping them. So only the
 * exec env's header is zeroed: wasm_exec_env.c is compiled with memset
 * defined to this function (its only memset is that one; CMakeLists.txt),
 * and a large malloc comes from fresh mmap'd pages, which the kernel maps
 * on first touch. */
#include <stddef.h>
#include <string.h>
#include "wasm_exec_env.h"

void *
wali_exec_env_memset(void *block, int c, size_t n)
{
    size_t head = offsetof(WASMExecEnv, wasm_stack_u.bottom);
    return memset(block, c, n < head ? n : head);
}
