/* Fault-tolerant host accesses of guest memory.
 *
 * A page of linear memory can fault when the host touches it although it
 * lies inside the memory's bounds: a MAP_SHARED file mapping whose file was
 * truncated raises SIGBUS beyond the new end of file. Linux answers EFAULT
 * when a system call touches such a page (and ignores the fault of the
 * CLONE_CHILD_CLEARTID store at thread exit), so every copy the engine makes
 * between guest and host memory goes through these functions: each arms a
 * per-thread recovery point, copies, and disarms it. The engine's SIGSEGV /
 * SIGBUS handler (wali_fault_entry, installed in front of WAMR's) sees a
 * fault raised by the kernel inside the armed guest range and jumps back to
 * the recovery point, so the copy returns -1 (EFAULT for the guest) and no
 * Rust frame lies between the jump and its target.
 *
 * __builtin_setjmp saves only the frame, stack pointer and resume address
 * (about 1 ns, against about 5 ns for sigsetjmp(buf, 0)); the compiler saves
 * the callee-saved registers of the function around it. The signal mask
 * needs no restoring: the engine installs its fault handler with SA_NODEFER
 * and an empty sa_mask (runtime::set_host_action), so the handler runs with
 * the mask of the faulting code. */
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "wali_shims.h"

#if defined(__GNUC__) && !defined(__clang__) \
    && (defined(__x86_64__) || defined(__aarch64__))
#define WALI_SETJMP(b) __builtin_setjmp(b)
#define WALI_LONGJMP(b) __builtin_longjmp(b, 1)
typedef void *wali_jmp_buf[5];
#else
#include <setjmp.h>
#define WALI_SETJMP(b) sigsetjmp(b, 0)
#define WALI_LONGJMP(b) siglongjmp(b, 1)
typedef sigjmp_buf wali_jmp_buf;
#endif

/* The armed guest range of this thread ([lo, hi), hi == 0: not armed) and
 * where to resume when it faults. */
/* initial-exec: the library is linked into the program (libwali.a and
 * libvmlib.a are static), so its TLS is at a fixed offset from the thread
 * pointer; the default model of position-independent code would call
 * __tls_get_addr on every access. */
#define WALI_TLS __thread __attribute__((tls_model("initial-exec")))
static WALI_TLS wali_jmp_buf wali_recover;
static WALI_TLS volatile uintptr_t wali_armed_lo, wali_armed_hi;

/* The handler behind ours (the engine's Rust on_fault). */
static wali_sa_fn wali_fault_next;

void
wali_fault_set_next(wali_sa_fn next)
{
    __atomic_store_n(&wali_fault_next, next, __ATOMIC_SEQ_CST);
}

static __attribute__((noinline, noreturn)) void
wali_fault_jump(void)
{
    WALI_LONGJMP(wali_recover);
    __builtin_unreachable();
}

/* SIGSEGV/SIGBUS entry: a kernel-raised fault inside the armed range goes
 * back to the copy that armed it; everything else goes on to the engine. */
void
wali_fault_entry(int sig, void *info_v, void *uctx)
{
    siginfo_t *info = info_v;
    if (info && info->si_code > 0 && wali_armed_hi) {
        uintptr_t a = (uintptr_t)info->si_addr;
        if (a >= wali_armed_lo && a < wali_armed_hi) {
            wali_armed_hi = 0;
            wali_fault_jump();
        }
    }
    wali_sa_fn next = __atomic_load_n(&wali_fault_next, __ATOMIC_SEQ_CST);
    if (next)
        next(sig, info_v, uctx);
}

#define ARM(p, n)                                      \
    do {                                               \
        wali_armed_lo = (uintptr_t)(p);                \
        wali_armed_hi = (uintptr_t)(p) + (n);          \
        __asm__ volatile("" ::: "memory");             \
    } while (0)
#define DISARM()                                       \
    do {                                               \
        __asm__ volatile("" ::: "memory");             \
        wali_armed_hi = 0;                             \
    } while (0)

/* Copies n bytes from src to dst (memmove: the ranges may overlap); guest
 * is the guest range among them (either one, or the union for a move inside
 * linear memory). 0, or -1 when a guest page faulted (part of the bytes may
 * have been copied). */
int
wali_copy(void *dst, const void *src, size_t n, const void *guest,
          size_t guest_len)
{
    if (n == 0)
        return 0;
    if (WALI_SETJMP(wali_recover))
        return -1;
    ARM(guest, guest_len);
    /* The common field sizes as single moves (a load is done before the
     * store, so overlap does not matter), the rest through memmove. */
    switch (n) {
    case 4: {
        uint32_t v;
        __builtin_memcpy(&v, src, 4);
        __builtin_memcpy(dst, &v, 4);
        break;
    }
    case 8: {
        uint64_t v;
        __builtin_memcpy(&v, src, 8);
        __builtin_memcpy(dst, &v, 8);
        break;
    }
    default:
        memmove(dst, src, n);
    }
    DISARM();
    return 0;
}

/* Offset of the first NUL among n bytes at p; -1 when there is none, -2
 * when a page faulted first. */
ptrdiff_t
wali_memchr0(const void *p, size_t n)
{
    if (n == 0)
        return -1;
    if (WALI_SETJMP(wali_recover))
        return -2;
    ARM(p, n);
    const char *hit = memchr(p, 0, n);
    DISARM();
    return hit ? hit - (const char *)p : -1;
}
