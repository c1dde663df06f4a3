/* System calls for WALI: every syscall is a `wali` import with the spec's
 * wasm types. musl's code uses x86-64 numbers (bits/syscall.h); the
 * generated __wali_syscall (src/internal/wasm32/wali_syscall.c) switches
 * on the number to the right import. Arguments travel as long long so
 * 64-bit values (off_t, long) pass whole: no register pairs. */
#define __SYSCALL_LL_E(x) (x)
#define __SYSCALL_LL_O(x) (x)

#define __scc(X) ((long long)(X))
typedef long long syscall_arg_t;

/* Full 64-bit result (lseek needs it); __syscallN truncate to long. */
hidden long long __wali_syscall(long, long long, long long, long long,
	long long, long long, long long);

static __inline long __syscall0(long n)
{
	return __wali_syscall(n, 0, 0, 0, 0, 0, 0);
}

static __inline long __syscall1(long n, long long a)
{
	return __wali_syscall(n, a, 0, 0, 0, 0, 0);
}

static __inline long __syscall2(long n, long long a, long long b)
{
	return __wali_syscall(n, a, b, 0, 0, 0, 0);
}

static __inline long __syscall3(long n, long long a, long long b, long long c)
{
	return __wali_syscall(n, a, b, c, 0, 0, 0);
}

static __inline long __syscall4(long n, long long a, long long b, long long c,
	long long d)
{
	return __wali_syscall(n, a, b, c, d, 0, 0);
}

static __inline long __syscall5(long n, long long a, long long b, long long c,
	long long d, long long e)
{
	return __wali_syscall(n, a, b, c, d, e, 0);
}

static __inline long __syscall6(long n, long long a, long long b, long long c,
	long long d, long long e, long long f)
{
	return __wali_syscall(n, a, b, c, d, e, f);
}


/* Time arguments. WALI's kernel ABI is x86-64's: a struct timespec the
 * kernel reads is two 8-byte fields. On wasm32 `long` is 4 bytes, so the
 * libc's struct timespec is {time_t tv_sec; long tv_nsec; 4 bytes of
 * padding}, and handed over as it is the kernel would take that padding
 * (indeterminate in C) as tv_nsec's high half: EINVAL, or a wrong time.
 * musl's generic code builds `(long long[]){sec, nsec}`, the kernel's
 * layout, whenever it calls a SYS_*_time64 name, and its tests
 * `SYS_x == SYS_x_time64` then skip the 32-bit `long[]` fallbacks. As in
 * musl's x32 port (the same ILP32-over-x86-64 situation), each *_time64
 * name is the x86-64 call itself. Calls whose generic code still passes
 * a 32-bit `long` array with these names (semtimedop) or none of them
 * (select, pselect, ppoll, itimers, clock_adjtime, getrusage, wait4,
 * times) are replaced in src/.../wasm32/. struct timeval needs nothing:
 * its tv_usec is suseconds_t, 64 bits in musl 1.2. */
#define SYS_clock_gettime64 SYS_clock_gettime
#define SYS_clock_settime64 SYS_clock_settime
#define SYS_clock_adjtime64 SYS_clock_adjtime
#define SYS_clock_nanosleep_time64 SYS_clock_nanosleep
#define SYS_timer_gettime64 SYS_timer_gettime
#define SYS_timer_settime64 SYS_timer_settime
#define SYS_timerfd_gettime64 SYS_timerfd_gettime
#define SYS_timerfd_settime64 SYS_timerfd_settime
#define SYS_utimensat_time64 SYS_utimensat
#define SYS_pselect6_time64 SYS_pselect6
#define SYS_ppoll_time64 SYS_ppoll
#define SYS_recvmmsg_time64 SYS_recvmmsg
#define SYS_mq_timedsend_time64 SYS_mq_timedsend
#define SYS_mq_timedreceive_time64 SYS_mq_timedreceive
#define SYS_semtimedop_time64 SYS_semtimedop
#define SYS_rt_sigtimedwait_time64 SYS_rt_sigtimedwait
#define SYS_futex_time64 SYS_futex
#define SYS_sched_rr_get_interval_time64 SYS_sched_rr_get_interval

/* utimensat falls back to futimesat/utimes with a `long[4]` timeval array
 * (4-byte longs here) when utimensat is missing; every kernel WALI runs
 * on has utimensat, so no fallback (as in the x32 port). */
#undef SYS_futimesat
