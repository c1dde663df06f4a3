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

