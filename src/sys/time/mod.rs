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

use crate::abi::args;
use crate::abi::errno::{Errno, SysResult};
use crate::abi::layout;
use crate::abi::mem::{Addr, HostPtr};
use crate::ctx::Ctx;
use crate::host_syscall;

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

pub fn clock_gettime(c: &Ctx, a: args::ClockGettime) -> SysResult {
    let tp = c.mem.buf(a.tp, TIMESPEC_SIZE)?;
    host_syscall!(libc::SYS_clock_gettime, a.clockid, tp)
}

pub fn clock_getres(c: &Ctx, a: args::ClockGetres) -> SysResult {
    let res = c.mem.buf(a.res, TIMESPEC_SIZE)?;
    host_syscall!(libc::SYS_clock_getres, a.clockid, res)
}

pub fn clock_settime(c: &Ctx, a: args::ClockSettime) -> SysResult {
    let tp = c.mem.buf(a.tp, TIMESPEC_SIZE)?;
    host_syscall!(libc::SYS_clock_settime, a.clockid, tp)
}

/// `clock_nanosleep(clock, flags, request, remain)`: an absolute sleep
/// never reports a remainder.
pub fn clock_nanosleep(c: &Ctx, a: args::ClockNanosleep) -> SysResult {
    let req = c.mem.buf(a.request, TIMESPEC_SIZE)?;
    let flags = a.flags;
    let relative = flags & libc::TIMER_ABSTIME == 0;
    copy_out_if(c, a.remain, TIMESPEC_SIZE, relative, |rem| {
        host_syscall!(libc::SYS_clock_nanosleep, a.clockid, flags, req, rem)
    })
}

pub fn nanosleep(c: &Ctx, a: args::Nanosleep) -> SysResult {
    let req = c.mem.buf(a.req, TIMESPEC_SIZE)?;
    copy_out_if(c, a.rem, TIMESPEC_SIZE, true, |rem| {
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
    if rem.is_null() {
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
    if old.is_null() {
        return f(HostPtr::NULL);
    }
    let mut host = [0u8; N];
    let r = f(HostPtr::to_host_slice(&mut host))?;
    c.mem.write_bytes(old, &host)?;
    Ok(r)
}

pub fn gettimeofday(c: &Ctx, a: args::Gettimeofday) -> SysResult {
    let tv = c.mem.buf(a.tv, TIMESPEC_SIZE)?;
    let tz = c.mem.buf(a.tz, TIMEZONE_SIZE)?;
    host_syscall!(libc::SYS_gettimeofday, tv, tz)
}

pub fn settimeofday(c: &Ctx, a: args::Settimeofday) -> SysResult {
    let tv = c.mem.buf(a.tv, TIMESPEC_SIZE)?;
    let tz = c.mem.buf(a.tz, TIMEZONE_SIZE)?;
    host_syscall!(libc::SYS_settimeofday, tv, tz)
}

/// `adjtimex(buf)`: with `modes` 0 a query; adjusting the clock is the
/// kernel's decision (`EPERM` without CAP_SYS_TIME).
pub fn adjtimex(c: &Ctx, a: args::Adjtimex) -> SysResult {
    let tx = c.mem.buf(a.buf, TIMEX_SIZE)?;
    host_syscall!(libc::SYS_adjtimex, tx)
}

pub fn clock_adjtime(c: &Ctx, a: args::ClockAdjtime) -> SysResult {
    let tx = c.mem.buf(a.buf, TIMEX_SIZE)?;
    host_syscall!(libc::SYS_clock_adjtime, a.clockid, tx)
}

/// `time(tloc)`: the seconds are also the result; `tloc` may be NULL.
#[cfg(target_arch = "x86_64")]
pub fn time(c: &Ctx, a: args::Time) -> SysResult {
    let tloc = c.mem.buf(a.tloc, TIME_T_SIZE)?;
    host_syscall!(libc::SYS_time, tloc)
}

/// aarch64 and riscv64 have no `time`: the realtime clock's seconds.
#[cfg(not(target_arch = "x86_64"))]
pub fn time(c: &Ctx, a: args::Time) -> SysResult {
    let mut ts = [0i64; 2];
    host_syscall!(
        libc::SYS_clock_gettime,
        libc::CLOCK_REALTIME,
        crate::abi::mem::HostPtr::to_host(&mut ts)
    )?;
    if !a.tloc.is_null() {
        c.mem.write(a.tloc, ts[0])?;
    }
    Ok(ts[0])
}

/// `times(buf)`: the result is clock ticks since an arbitrary point.
pub fn times(c: &Ctx, a: args::Times) -> SysResult {
    let buf = c.mem.buf(a.buf, TMS_SIZE)?;
    host_syscall!(libc::SYS_times, buf)
}

/// Interval timers deliver SIGALRM/SIGVTALRM/SIGPROF to the process; what a
/// guest handler does with them is the signal layer's business, the timer
/// itself is the kernel's.
pub fn setitimer(c: &Ctx, a: args::Setitimer) -> SysResult {
    let new = c.mem.buf(a.new_value, ITIMER_SIZE)?;
    with_old::<{ ITIMER_SIZE as usize }>(c, a.old_value, |old| {
        host_syscall!(libc::SYS_setitimer, a.which, new, old)
    })
}

pub fn getitimer(c: &Ctx, a: args::Getitimer) -> SysResult {
    let cur = c.mem.buf(a.curr_value, ITIMER_SIZE)?;
    host_syscall!(libc::SYS_getitimer, a.which, cur)
}

#[cfg(target_arch = "x86_64")]
pub fn alarm(_c: &Ctx, a: args::Alarm) -> SysResult {
    host_syscall!(libc::SYS_alarm, a.seconds)
}

/// aarch64 and riscv64 have no `alarm`: the kernel's own definition, a
/// one-shot ITIMER_REAL whose previous value is returned in whole seconds,
/// rounded to nearest and never 0 while a timer was pending.
#[cfg(not(target_arch = "x86_64"))]
pub fn alarm(_c: &Ctx, a: args::Alarm) -> SysResult {
    let mut new = [0i64, 0, a.seconds as i64, 0];
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

pub fn timerfd_create(_c: &Ctx, a: args::TimerfdCreate) -> SysResult {
    host_syscall!(libc::SYS_timerfd_create, a.clockid, a.flags)
}

pub fn timerfd_settime(c: &Ctx, a: args::TimerfdSettime) -> SysResult {
    let new = c.mem.buf(a.new_value, ITIMER_SIZE)?;
    with_old::<{ ITIMER_SIZE as usize }>(c, a.old_value, |old| {
        host_syscall!(libc::SYS_timerfd_settime, a.fd, a.flags, new, old)
    })
}

pub fn timerfd_gettime(c: &Ctx, a: args::TimerfdGettime) -> SysResult {
    let cur = c.mem.buf(a.curr_value, ITIMER_SIZE)?;
    host_syscall!(libc::SYS_timerfd_gettime, a.fd, cur)
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
