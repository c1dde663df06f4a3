//! Time: clocks, sleeps, interval timers, timerfds.
//!
//! Every time struct the guest passes has the x86-64 layout in the wasm32
//! view (`long` is 8 bytes in WALI): `struct timespec` and `struct timeval`
//! are 16 bytes, `struct itimerval` and `struct itimerspec` 32, `struct tms`
//! 32, `struct timezone` 8. So each passes through to the kernel once its
//! whole range is checked; the unit tests below hold the sizes against the
//! spec and the host. (A non-x86-64 host would need conversions here.)
//!
//! `clock_settime` and `settimeofday` pass through too: setting the clock
//! is the kernel's decision (`EPERM` without CAP_SYS_TIME).
//!
//! The spec leaves `time`, `times`, `getitimer`, `alarm`, `timerfd_*`,
//! `clock_settime` and `settimeofday` untyped; their wasm types below follow
//! the C prototypes by the ABI's rules.

use crate::abi::errno::{Errno, SysResult};
use crate::abi::layout;
use crate::abi::mem::{Addr, HostPtr};
use crate::ctx::Ctx;
use crate::host_syscall;

crate::syscall_table!(pub static SYSCALLS = {
    "clock_gettime" => clock_gettime,
    "clock_getres" => clock_getres,
    "clock_nanosleep" => clock_nanosleep,
    "nanosleep" => nanosleep,
    "gettimeofday" => gettimeofday,
    "setitimer" => setitimer,
    "getitimer" (I32, I32) => getitimer,
    "alarm" (I32) => alarm,
    "time" (I32) => time,
    "times" (I32) => times,
    "timerfd_create" (I32, I32) => timerfd_create,
    "timerfd_settime" (I32, I32, I32, I32) => timerfd_settime,
    "timerfd_gettime" (I32, I32) => timerfd_gettime,
    "clock_settime" (I32, I32) => clock_settime,
    "settimeofday" (I32, I32) => settimeofday,
    "adjtimex" (I32) => adjtimex,
    "clock_adjtime" (I32, I32) => clock_adjtime,
});

/// `struct timespec` / `struct timeval`: two 8-byte fields.
pub const TIMESPEC_SIZE: u64 = layout::Timespec::SIZE;
const _: () = assert!(layout::Timeval::SIZE == TIMESPEC_SIZE);
/// `struct itimerspec` / `struct itimerval`: two timespecs (timevals).
pub const ITIMER_SIZE: u64 = layout::Itimerval::SIZE;
/// `struct tms`: four `clock_t` (`long`). Not in the spec's layouts.
pub const TMS_SIZE: u64 = 32;
/// `struct timezone`: two `int`s.
pub const TIMEZONE_SIZE: u64 = layout::Timezone::SIZE;
/// `time_t`.
pub const TIME_T_SIZE: u64 = 8;
/// `struct timex`: `long` fields and a timeval, 8-byte aligned in wasm32
/// as on x86-64. Not in the spec's layouts; the unit tests hold it against
/// the host's.
pub const TIMEX_SIZE: u64 = 208;

fn clock_gettime(c: &Ctx) -> SysResult {
    let tp = c.mem.buf(c.addr(1), TIMESPEC_SIZE)?;
    host_syscall!(libc::SYS_clock_gettime, c.i32(0), tp)
}

fn clock_getres(c: &Ctx) -> SysResult {
    let res = c.mem.buf(c.addr(1), TIMESPEC_SIZE)?;
    host_syscall!(libc::SYS_clock_getres, c.i32(0), res)
}

fn clock_settime(c: &Ctx) -> SysResult {
    let tp = c.mem.buf(c.addr(1), TIMESPEC_SIZE)?;
    host_syscall!(libc::SYS_clock_settime, c.i32(0), tp)
}

/// `clock_nanosleep(clock, flags, request, remain)`: an absolute sleep
/// never reports a remainder.
fn clock_nanosleep(c: &Ctx) -> SysResult {
    let req = c.mem.buf(c.addr(2), TIMESPEC_SIZE)?;
    let flags = c.i32(1);
    let relative = flags & libc::TIMER_ABSTIME == 0;
    copy_out_if(c, c.addr(3), TIMESPEC_SIZE, relative, |rem| {
        host_syscall!(libc::SYS_clock_nanosleep, c.i32(0), flags, req, rem)
    })
}

fn nanosleep(c: &Ctx) -> SysResult {
    let req = c.mem.buf(c.addr(0), TIMESPEC_SIZE)?;
    copy_out_if(c, c.addr(1), TIMESPEC_SIZE, true, |rem| {
        host_syscall!(libc::SYS_nanosleep, req, rem)
    })
}

/// Runs a sleep whose remainder the kernel writes only when a signal
/// interrupts it (`EINTR`), into a host buffer; the remainder is then
/// copied to the guest's `rem` (`EFAULT` if that fails, as on Linux). An
/// uninterrupted sleep never touches `rem`, so a bad pointer does not fail
/// it, as on Linux.
fn copy_out_if(
    c: &Ctx,
    rem: Addr,
    len: u64,
    writes: bool,
    f: impl FnOnce(HostPtr) -> SysResult,
) -> SysResult {
    if rem == 0 {
        return f(HostPtr::NULL);
    }
    let mut host = [0u8; TIMESPEC_SIZE as usize];
    let r = f(HostPtr::to_host_slice(&mut host));
    if writes && r == Err(Errno(libc::EINTR)) {
        c.mem.write_bytes(rem, &host[..len as usize])?;
    }
    r
}

/// Runs a call that acts and then reports a previous value (`old` of
/// setitimer, timerfd_settime): the kernel writes a host buffer, copied to
/// the guest afterwards. As on Linux, the action takes effect even when
/// `old` is a bad pointer, and the call then answers `EFAULT`.
pub fn with_old<const N: usize>(
    c: &Ctx,
    old: Addr,
    f: impl FnOnce(HostPtr) -> SysResult,
) -> SysResult {
    if old == 0 {
        return f(HostPtr::NULL);
    }
    let mut host = [0u8; N];
    let r = f(HostPtr::to_host_slice(&mut host))?;
    c.mem.write_bytes(old, &host)?;
    Ok(r)
}

fn gettimeofday(c: &Ctx) -> SysResult {
    let tv = c.mem.buf(c.addr(0), TIMESPEC_SIZE)?;
    let tz = c.mem.buf(c.addr(1), TIMEZONE_SIZE)?;
    host_syscall!(libc::SYS_gettimeofday, tv, tz)
}

fn settimeofday(c: &Ctx) -> SysResult {
    let tv = c.mem.buf(c.addr(0), TIMESPEC_SIZE)?;
    let tz = c.mem.buf(c.addr(1), TIMEZONE_SIZE)?;
    host_syscall!(libc::SYS_settimeofday, tv, tz)
}

/// `adjtimex(buf)`: with `modes` 0 a query; adjusting the clock is the
/// kernel's decision (`EPERM` without CAP_SYS_TIME).
fn adjtimex(c: &Ctx) -> SysResult {
    let tx = c.mem.buf(c.addr(0), TIMEX_SIZE)?;
    host_syscall!(libc::SYS_adjtimex, tx)
}

fn clock_adjtime(c: &Ctx) -> SysResult {
    let tx = c.mem.buf(c.addr(1), TIMEX_SIZE)?;
    host_syscall!(libc::SYS_clock_adjtime, c.i32(0), tx)
}

/// `time(tloc)`: the seconds are also the result; `tloc` may be NULL.
#[cfg(target_arch = "x86_64")]
fn time(c: &Ctx) -> SysResult {
    let tloc = c.mem.buf(c.addr(0), TIME_T_SIZE)?;
    host_syscall!(libc::SYS_time, tloc)
}

/// aarch64 and riscv64 have no `time`: the realtime clock's seconds.
#[cfg(not(target_arch = "x86_64"))]
fn time(c: &Ctx) -> SysResult {
    let mut ts = [0i64; 2];
    host_syscall!(
        libc::SYS_clock_gettime,
        libc::CLOCK_REALTIME,
        crate::abi::mem::HostPtr::to_host(&mut ts)
    )?;
    if c.addr(0) != 0 {
        c.mem.write(c.addr(0), ts[0])?;
    }
    Ok(ts[0])
}

/// `times(buf)`: the result is clock ticks since an arbitrary point.
fn times(c: &Ctx) -> SysResult {
    let buf = c.mem.buf(c.addr(0), TMS_SIZE)?;
    host_syscall!(libc::SYS_times, buf)
}

/// Interval timers deliver SIGALRM/SIGVTALRM/SIGPROF to the process; what a
/// guest handler does with them is the signal layer's business, the timer
/// itself is the kernel's.
fn setitimer(c: &Ctx) -> SysResult {
    let new = c.mem.buf(c.addr(1), ITIMER_SIZE)?;
    with_old::<{ ITIMER_SIZE as usize }>(c, c.addr(2), |old| {
        host_syscall!(libc::SYS_setitimer, c.i32(0), new, old)
    })
}

fn getitimer(c: &Ctx) -> SysResult {
    let cur = c.mem.buf(c.addr(1), ITIMER_SIZE)?;
    host_syscall!(libc::SYS_getitimer, c.i32(0), cur)
}

#[cfg(target_arch = "x86_64")]
fn alarm(c: &Ctx) -> SysResult {
    host_syscall!(libc::SYS_alarm, c.u32(0))
}

/// aarch64 and riscv64 have no `alarm`: the kernel's own definition, a
/// one-shot ITIMER_REAL whose previous value is returned in whole seconds,
/// rounded to nearest and never 0 while a timer was pending.
#[cfg(not(target_arch = "x86_64"))]
fn alarm(c: &Ctx) -> SysResult {
    let mut new = [0i64, 0, c.u32(0) as i64, 0];
    let mut old = [0i64; 4];
    host_syscall!(
        libc::SYS_setitimer,
        libc::ITIMER_REAL,
        crate::abi::mem::HostPtr::to_host(&mut new),
        crate::abi::mem::HostPtr::to_host(&mut old)
    )?;
    let (sec, usec) = (old[2], old[3]);
    Ok(if (sec == 0 && usec > 0) || usec >= 500_000 {
        sec + 1
    } else {
        sec
    })
}

fn timerfd_create(c: &Ctx) -> SysResult {
    host_syscall!(libc::SYS_timerfd_create, c.i32(0), c.i32(1))
}

fn timerfd_settime(c: &Ctx) -> SysResult {
    let new = c.mem.buf(c.addr(2), ITIMER_SIZE)?;
    with_old::<{ ITIMER_SIZE as usize }>(c, c.addr(3), |old| {
        host_syscall!(libc::SYS_timerfd_settime, c.i32(0), c.i32(1), new, old)
    })
}

fn timerfd_gettime(c: &Ctx) -> SysResult {
    let cur = c.mem.buf(c.addr(1), ITIMER_SIZE)?;
    host_syscall!(libc::SYS_timerfd_gettime, c.i32(0), cur)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::abi::spec_types::Struct;
    use std::mem::size_of;

    fn spec_size(name: &str) -> usize {
        Struct::find(name)
            .unwrap_or_else(|| panic!("{name} not in spec"))
            .size
    }

    /// The pass-through above relies on the wasm32 layouts equalling the
    /// host's; the spec gives those it knows.
    #[test]
    fn layouts_match_host() {
        assert_eq!(spec_size("struct timespec"), size_of::<libc::timespec>());
        assert_eq!(spec_size("struct timespec"), TIMESPEC_SIZE as usize);
        assert_eq!(spec_size("struct timeval"), size_of::<libc::timeval>());
        assert_eq!(spec_size("struct itimerval"), size_of::<libc::itimerval>());
        assert_eq!(spec_size("struct itimerval"), ITIMER_SIZE as usize);
        // The `libc` crate's `timezone` is opaque: the kernel's is two ints.
        assert_eq!(spec_size("struct timezone"), 2 * size_of::<libc::c_int>());
        assert_eq!(spec_size("struct timezone"), TIMEZONE_SIZE as usize);
        let tv = Struct::find("struct timeval").unwrap();
        assert_eq!(tv.offset_of("tv_usec"), Some(8));
    }

    /// Not in the spec's table: wasm32 `long`/`clock_t`/`time_t` are 8
    /// bytes, so these are two timespecs, four longs and one long.
    #[test]
    fn unlisted_layouts_match_host() {
        assert_eq!(size_of::<libc::itimerspec>(), ITIMER_SIZE as usize);
        assert_eq!(size_of::<libc::tms>(), TMS_SIZE as usize);
        assert_eq!(size_of::<libc::time_t>(), TIME_T_SIZE as usize);
        assert_eq!(size_of::<libc::timex>(), TIMEX_SIZE as usize);
    }
}
