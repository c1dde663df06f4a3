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
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* pthread_getattr_np */
#endif
#include <stddef.h>
#include <string.h>
#include "wasm_exec_env.h"
#include "platform_api_vmcore.h"
#include "wali_shims.h"

void *
wali_exec_env_memset(void *block, int c, size_t n)
{
    size_t head = offsetof(WASMExecEnv, wasm_stack_u.bottom);
    return memset(block, c, n < head ? n : head);
}

/* The main thread's stack bounds without procfs.
 *
 * WAMR bounds every thread's native stack (its stack-overflow checks and
 * AoT's guard pages) from os_thread_get_stack_boundary (posix_thread.c),
 * which asks glibc's pthread_getattr_np. For the main thread glibc reads
 * /proc/self/maps to find the stack mapping. An engine that a sandboxed
 * engine re-executes for a module starts inside the Landlock domain,
 * where /proc is not readable (src/host/sandbox.rs): the call fails, WAMR gets
 * no boundary and cannot run AoT code or check the stack. posix_thread.c is
 * compiled with pthread_getattr_np defined to this function
 * (CMakeLists.txt): glibc's answer when it has one, else, for the main
 * thread only, the bounds the kernel set up at execve, known without
 * procfs: the stack mapping ends just above the executable's file name
 * (AT_EXECFN), the last string the kernel copies to the top of the stack
 * (one pointer below its end), and it may grow down to RLIMIT_STACK (the
 * kernel's own limit on its growth); one page is left out of that so a
 * guard page WAMR touches and protects is always within reach. */
#include <pthread.h>
#include <sys/auxv.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <stdint.h>

int
wali_pthread_getattr_np(pthread_t thread, pthread_attr_t *attr)
{
    int r = pthread_getattr_np(thread, attr);
    if (r == 0 || !pthread_equal(thread, pthread_self())
        || syscall(SYS_gettid) != getpid())
        return r;
    const char *fn = (const char *)getauxval(AT_EXECFN);
    struct rlimit rl;
    long page = sysconf(_SC_PAGESIZE);
    if (fn == NULL || page <= 0 || getrlimit(RLIMIT_STACK, &rl) != 0)
        return r;
    uintptr_t p = (uintptr_t)page;
    uintptr_t top = ((uintptr_t)fn + strlen(fn) + 1 + sizeof(void *) + p - 1)
                    & ~(p - 1);
    /* Unlimited (or huge) is taken as 1 GiB: WAMR uses at most its own
     * maximum of it anyway. */
    size_t size = rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > (rlim_t)(1ul << 30)
                      ? (size_t)1 << 30
                      : (size_t)rl.rlim_cur;
    size &= ~(size_t)(p - 1);
    if (size <= p || size - p < (size_t)PTHREAD_STACK_MIN || top < size)
        return r;
    size -= p;
    if (pthread_attr_init(attr) != 0)
        return r;
    if (pthread_attr_setstack(attr, (void *)(top - size), size) != 0
        || pthread_attr_setguardsize(attr, 0) != 0) {
        pthread_attr_destroy(attr);
        return r;
    }
    return 0;
}

/* Computes and caches the calling thread's stack boundary now (WAMR keeps
 * it in a thread-local): for the main thread glibc reads it from
 * /proc/self/maps, which a sandbox may close later. */
void
wali_cache_stack_boundary(void)
{
    (void)os_thread_get_stack_boundary();
}

/* The AoT loader's code and data pages, faulted in by one call.
 *
 * WAMR's AoT loader mmaps fresh memory for a module's text and data
 * sections and copies them in right away (aot_loader.c, loader_mmap): every
 * page is written at once, one page fault each (a 3 MiB SQLite text is ~800
 * faults). aot_loader.c is compiled with os_mmap defined to this function
 * (CMakeLists.txt; its only mmaps are those), which asks the kernel to
 * populate a writable mapping in one go (MADV_POPULATE_WRITE, Linux 5.14;
 * an older kernel refuses it and the pages fault in as before). Only the
 * mapping's size in pages is committed, which the copy would commit anyway. */
#include <sys/mman.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

void *
wali_loader_mmap(void *hint, size_t size, int prot, int flags,
                 os_file_handle file)
{
    void *p = os_mmap(hint, size, prot, flags, file);
    if (p && (prot & MMAP_PROT_WRITE))
        (void)madvise(p, size, MADV_POPULATE_WRITE);
    return p;
}
