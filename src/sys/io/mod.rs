//! Descriptors and I/O: vectored and positioned I/O, dup, fcntl, ioctl,
//! pipes, poll/select/epoll, eventfd, close_range, splice and tee.
//!
//! Descriptors pass through unchanged (the guest's descriptors are the host
//! process's). Every pointer is checked by [`crate::abi::mem`]; structs whose
//! wasm32 layout equals the host's pass through, the others are converted:
//! `struct iovec` (8 bytes in wasm32) always, the `{sigset_t *, size_t}` pair
//! of `pselect6` (two 64-bit words in wasm32) always, `struct epoll_event` on hosts where it is not packed.
//!
//! Calls that aarch64 and riscv64 lack (`dup2`, `pipe`, `poll`, `select`,
//! `epoll_create`, `epoll_wait`, `eventfd`) are built on their newer forms,
//! unconditionally where that is exactly equivalent.

use crate::abi::errno::{Errno, SysResult};
use crate::abi::layout;
use crate::abi::mem::{Addr, HostPtr};
use crate::ctx::Ctx;
use crate::host_syscall;

crate::syscall_table!(pub static SYSCALLS = {
    "readv" => readv,
    "writev" => writev,
    "pread64" => pread64,
    "pwrite64" => pwrite64,
    "preadv" (I32, I32, I32, I64) => preadv,
    "pwritev" (I32, I32, I32, I64) => pwritev,
    "preadv2" (I32, I32, I32, I64, I32) => preadv2,
    "pwritev2" (I32, I32, I32, I64, I32) => pwritev2,
    "dup" => dup,
    "dup2" => dup2,
    "dup3" => dup3,
    "fcntl" => fcntl,
    "ioctl" => ioctl,
    "pipe" => pipe,
    "pipe2" => pipe2,
    "poll" => poll,
    "ppoll" => ppoll,
    "select" => select,
    "pselect6" => pselect6,
    "epoll_create" (I32) => epoll_create,
    "epoll_create1" => epoll_create1,
    "epoll_ctl" => epoll_ctl,
    "epoll_wait" (I32, I32, I32, I32) => epoll_wait,
    "epoll_pwait" => epoll_pwait,
    "epoll_pwait2" (I32, I32, I32, I32, I32, I32) => epoll_pwait2,
    "eventfd" => eventfd,
    "eventfd2" => eventfd2,
    "close_range" (I32, I32, I32) => close_range,
    "splice" (I32, I32, I32, I32, I32, I32) => splice,
    "tee" (I32, I32, I32, I32) => tee,
});

// ---------------------------------------------------------------------------
// Vectored and positioned I/O

fn readv(c: &Ctx) -> SysResult {
    vectored(c, libc::SYS_readv)
}

fn writev(c: &Ctx) -> SysResult {
    vectored(c, libc::SYS_writev)
}

/// `readv`/`writev(fd, iov, iovcnt)`: the guest's iovecs translated with
/// Linux's prefix semantics.
fn vectored(c: &Ctx, nr: libc::c_long) -> SysResult {
    let mut iov = c.mem.stream_iovecs(c.addr(1), c.u32(2))?;
    host_syscall!(
        nr,
        c.i32(0),
        crate::abi::mem::host_iovecs(&mut iov),
        iov.len()
    )
}

fn pread64(c: &Ctx) -> SysResult {
    let (buf, len) = c.mem.stream_buf(c.addr(1), c.u32(2) as u64)?;
    host_syscall!(libc::SYS_pread64, c.i32(0), buf, len, c.i64(3))
}

fn pwrite64(c: &Ctx) -> SysResult {
    let (buf, len) = c.mem.stream_buf(c.addr(1), c.u32(2) as u64)?;
    host_syscall!(libc::SYS_pwrite64, c.i32(0), buf, len, c.i64(3))
}

/// The `preadv` family takes the offset split in two longs (`pos_l`,
/// `pos_h`); on a 64-bit kernel `pos_l` holds all of it and `pos_h` is
/// shifted out, so the whole offset goes low and 0 goes high.
fn vectored_at(c: &Ctx, nr: libc::c_long, offset: i64, flags: i32) -> SysResult {
    let mut iov = c.mem.stream_iovecs(c.addr(1), c.u32(2))?;
    let iovp = crate::abi::mem::host_iovecs(&mut iov);
    host_syscall!(nr, c.i32(0), iovp, iov.len(), offset, 0u64, flags)
}

fn preadv(c: &Ctx) -> SysResult {
    vectored_at(c, libc::SYS_preadv, c.i64(3), 0)
}

fn pwritev(c: &Ctx) -> SysResult {
    vectored_at(c, libc::SYS_pwritev, c.i64(3), 0)
}

// Import types that binaries built by the reference toolchain use for a
// name besides the one of `SYSCALLS` (linked per module by
// `native::module_natives`): musl's raw `preadv`/`pwritev(fd, iov, cnt,
// pos_l, pos_h)`, each half an `i64`.
crate::syscall_table!(pub static OTHER_FORMS = {
    "preadv" (I32, I32, I32, I64, I64) => preadv_split,
    "pwritev" (I32, I32, I32, I64, I64) => pwritev_split,
});

/// The offset from musl's halves: `pos_l` holds at least the low 32 bits
/// (all of it where `long` has 64), `pos_h` the high 32 bits.
fn split_offset(c: &Ctx) -> i64 {
    ((c.u64(4) << 32) | (c.u64(3) & 0xffff_ffff)) as i64
}

fn preadv_split(c: &Ctx) -> SysResult {
    vectored_at(c, libc::SYS_preadv, split_offset(c), 0)
}

fn pwritev_split(c: &Ctx) -> SysResult {
    vectored_at(c, libc::SYS_pwritev, split_offset(c), 0)
}

fn preadv2(c: &Ctx) -> SysResult {
    vectored_at(c, libc::SYS_preadv2, c.i64(3), c.i32(4))
}

fn pwritev2(c: &Ctx) -> SysResult {
    vectored_at(c, libc::SYS_pwritev2, c.i64(3), c.i32(4))
}

// ---------------------------------------------------------------------------
// Duplication and descriptor flags

fn dup(c: &Ctx) -> SysResult {
    host_syscall!(libc::SYS_dup, c.i32(0))
}

#[cfg(target_arch = "x86_64")]
fn dup2(c: &Ctx) -> SysResult {
    host_syscall!(libc::SYS_dup2, c.i32(0), c.i32(1))
}

/// Without `dup2`: `dup3` refuses equal descriptors, where `dup2` returns
/// the descriptor if it is open (`EBADF` otherwise).
#[cfg(not(target_arch = "x86_64"))]
fn dup2(c: &Ctx) -> SysResult {
    let (old, new) = (c.i32(0), c.i32(1));
    if old == new {
        host_syscall!(libc::SYS_fcntl, old, libc::F_GETFD)?;
        return Ok(new as i64);
    }
    host_syscall!(libc::SYS_dup3, old, new, 0)
}

fn dup3(c: &Ctx) -> SysResult {
    host_syscall!(libc::SYS_dup3, c.i32(0), c.i32(1), c.i32(2))
}

/// Size of `struct flock`: the same 32 bytes (`short, short, off_t, off_t,
/// pid_t`, 8-byte aligned) in wasm32 and on every 64-bit Linux.
const FLOCK_SIZE: u64 = std::mem::size_of::<linux_raw_sys::general::flock>() as u64;
/// Commands of the generic Linux `fcntl.h` (every architecture and wasm32)
/// that the libc crate does not name for all targets.
const F_SETSIG: i32 = linux_raw_sys::general::F_SETSIG as i32;
const F_GETSIG: i32 = linux_raw_sys::general::F_GETSIG as i32;
const F_SETOWN_EX: i32 = linux_raw_sys::general::F_SETOWN_EX as i32;
const F_GETOWN_EX: i32 = linux_raw_sys::general::F_GETOWN_EX as i32;
/// F_GET_RW_HINT, F_SET_RW_HINT, F_GET_FILE_RW_HINT, F_SET_FILE_RW_HINT:
/// consecutive, each with a pointer to a `u64`.
const F_GET_RW_HINT: i32 = linux_raw_sys::general::F_GET_RW_HINT as i32;
const F_SET_FILE_RW_HINT: i32 = linux_raw_sys::general::F_SET_FILE_RW_HINT as i32;
/// `struct f_owner_ex` (`int type; pid_t pid;`), the same in wasm32.
const F_OWNER_EX_SIZE: u64 = std::mem::size_of::<linux_raw_sys::general::f_owner_ex>() as u64;

/// `fcntl(fd, cmd, arg)`. Commands whose argument is an integer pass
/// through; those whose argument is a pointer get it checked for the size
/// of what the kernel reads or writes. Any other command is refused with
/// `EINVAL` (what Linux answers for an unknown command) rather than passed
/// through, because its argument could be a pointer the kernel would follow
/// into host memory.
fn fcntl(c: &Ctx) -> SysResult {
    let (fd, cmd, arg) = (c.i32(0), c.i32(1), c.u64(2));
    let ptr_arg = |size: u64| -> Result<HostPtr, Errno> {
        let addr = Addr::try_from(arg).map_err(|_| Errno::EFAULT)?;
        c.mem.buf(addr, size)
    };
    match cmd {
        libc::F_DUPFD
        | libc::F_DUPFD_CLOEXEC
        | libc::F_GETFD
        | libc::F_SETFD
        | libc::F_GETFL
        | libc::F_SETFL
        | libc::F_GETOWN
        | libc::F_SETOWN
        | F_GETSIG
        | F_SETSIG
        | libc::F_GETLEASE
        | libc::F_SETLEASE
        | libc::F_NOTIFY
        | libc::F_GETPIPE_SZ
        | libc::F_SETPIPE_SZ
        | libc::F_ADD_SEALS
        | libc::F_GET_SEALS => host_syscall!(libc::SYS_fcntl, fd, cmd, arg),
        libc::F_GETLK
        | libc::F_SETLK
        | libc::F_SETLKW
        | libc::F_OFD_GETLK
        | libc::F_OFD_SETLK
        | libc::F_OFD_SETLKW => host_syscall!(libc::SYS_fcntl, fd, cmd, ptr_arg(FLOCK_SIZE)?),
        F_GETOWN_EX | F_SETOWN_EX => {
            host_syscall!(libc::SYS_fcntl, fd, cmd, ptr_arg(F_OWNER_EX_SIZE)?)
        }
        // F_{GET,SET}_RW_HINT and F_{GET,SET}_FILE_RW_HINT: a u64.
        F_GET_RW_HINT..=F_SET_FILE_RW_HINT => host_syscall!(libc::SYS_fcntl, fd, cmd, ptr_arg(8)?),
        _ => Err(Errno::EINVAL),
    }
}

/// How an `ioctl` request uses its argument.
enum IoctlArg {
    /// No argument, or an integer passed by value.
    Value,
    /// A pointer to a fixed-size, pointer-free struct of this many bytes
    /// (the same in wasm32 and on the host).
    Ptr(u64),
}

/// The `ioctl` requests served: terminal and generic descriptor requests
/// whose argument is an integer or a fixed-size struct without pointers.
fn ioctl_arg(request: u32) -> Option<IoctlArg> {
    use IoctlArg::*;
    // struct termios as the kernel copies it (TCGETS/TCSETS*): four u32
    // flags, c_line and 19 control characters.
    const TERMIOS: u64 = std::mem::size_of::<linux_raw_sys::general::termios>() as u64;
    // struct winsize: four unsigned shorts.
    const WINSIZE: u64 = std::mem::size_of::<linux_raw_sys::general::winsize>() as u64;
    Some(match request as libc::c_ulong {
        libc::TCGETS | libc::TCSETS | libc::TCSETSW | libc::TCSETSF => Ptr(TERMIOS),
        libc::TIOCGWINSZ | libc::TIOCSWINSZ => Ptr(WINSIZE),
        libc::FIONREAD
        | libc::TIOCOUTQ
        | libc::FIONBIO
        | libc::FIOASYNC
        | libc::TIOCGPGRP
        | libc::TIOCSPGRP
        | libc::TIOCGSID
        | libc::TIOCGPTN
        | libc::TIOCSPTLCK
        | libc::TIOCGETD
        | libc::TIOCSETD
        | libc::TIOCMGET
        | libc::TIOCMSET
        | libc::TIOCMBIS
        | libc::TIOCMBIC => Ptr(4),
        libc::FIOCLEX
        | libc::FIONCLEX
        | libc::TIOCEXCL
        | libc::TIOCNXCL
        | libc::TIOCNOTTY
        | libc::TIOCSCTTY
        | libc::TCSBRK
        | libc::TCSBRKP
        | libc::TCXONC
        | libc::TCFLSH => Value,
        _ => return None,
    })
}

/// `ioctl(fd, request, argp)` for the requests [`ioctl_arg`] knows. Any
/// other request returns `ENOTTY`, Linux's answer for a request the
/// descriptor does not support (and what `isatty`-style probes expect):
/// its argument might be or contain pointers the kernel would follow into
/// host memory, so it is never passed through.
fn ioctl(c: &Ctx) -> SysResult {
    let (fd, request) = (c.i32(0), c.u32(1));
    match ioctl_arg(request) {
        Some(IoctlArg::Value) => host_syscall!(libc::SYS_ioctl, fd, request, c.u32(2)),
        Some(IoctlArg::Ptr(size)) => {
            let argp = c.mem.buf(c.addr(2), size)?;
            host_syscall!(libc::SYS_ioctl, fd, request, argp)
        }
        None => {
            // An unusable descriptor is still EBADF, as on Linux.
            host_syscall!(libc::SYS_fcntl, fd, libc::F_GETFD)?;
            Err(Errno(libc::ENOTTY))
        }
    }
}

// ---------------------------------------------------------------------------
// Pipes and eventfd

/// `pipe(fds)` is `pipe2(fds, 0)` on every architecture.
fn pipe(c: &Ctx) -> SysResult {
    let fds = c.mem.buf(c.addr(0), 8)?;
    host_syscall!(libc::SYS_pipe2, fds, 0)
}

fn pipe2(c: &Ctx) -> SysResult {
    let fds = c.mem.buf(c.addr(0), 8)?;
    host_syscall!(libc::SYS_pipe2, fds, c.i32(1))
}

/// `eventfd(n)` is `eventfd2(n, 0)` on every architecture.
fn eventfd(c: &Ctx) -> SysResult {
    host_syscall!(libc::SYS_eventfd2, c.u32(0), 0)
}

fn eventfd2(c: &Ctx) -> SysResult {
    host_syscall!(libc::SYS_eventfd2, c.u32(0), c.i32(1))
}

fn close_range(c: &Ctx) -> SysResult {
    host_syscall!(libc::SYS_close_range, c.u32(0), c.u32(1), c.u32(2))
}

/// A `loff_t *` in-out offset (8 bytes, same layout) or NULL.
fn offset_ptr(c: &Ctx, i: usize) -> Result<HostPtr, Errno> {
    c.mem.buf(c.addr(i), 8)
}

fn splice(c: &Ctx) -> SysResult {
    let off_in = offset_ptr(c, 1)?;
    let off_out = offset_ptr(c, 3)?;
    host_syscall!(
        libc::SYS_splice,
        c.i32(0),
        off_in,
        c.i32(2),
        off_out,
        c.u32(4),
        c.u32(5)
    )
}

fn tee(c: &Ctx) -> SysResult {
    host_syscall!(libc::SYS_tee, c.i32(0), c.i32(1), c.u32(2), c.u32(3))
}

// ---------------------------------------------------------------------------
// Signal masks of the waiting calls

/// Size of the kernel's signal set (`sigsetsize` must equal it): 8 on every
/// supported host, and the size the WALI guest passes.
const KERNEL_SIGSET: u64 = std::mem::size_of::<linux_raw_sys::general::kernel_sigset_t>() as u64;

/// The optional signal mask of `ppoll`, `epoll_pwait`, `epoll_pwait2` and
/// `pselect6`: the kernel reads `KERNEL_SIGSET` bytes. A wrong size with a
/// mask is `EINVAL` before the mask is read, as on Linux.
fn sigmask(c: &Ctx, addr: Addr, size: u64) -> Result<HostPtr, Errno> {
    if addr == 0 {
        return Ok(HostPtr::NULL);
    }
    if size != KERNEL_SIGSET {
        return Err(Errno::EINVAL);
    }
    c.mem.buf(addr, KERNEL_SIGSET)
}

// ---------------------------------------------------------------------------
// poll and select

/// `struct pollfd`: 8 bytes, the same everywhere.
const POLLFD_SIZE: u64 = layout::Pollfd::SIZE;

/// The guest's `pollfd` array. An array that does not fit in memory is
/// handed to the kernel as NULL, so it answers as Linux does: `EINVAL` when
/// `nfds` exceeds the descriptor limit, `EFAULT` otherwise.
fn pollfds(c: &Ctx, addr: Addr, nfds: u64) -> HostPtr {
    nfds.checked_mul(POLLFD_SIZE)
        .and_then(|len| c.mem.buf(addr, len).ok())
        .unwrap_or(HostPtr::NULL)
}

/// `nfds_t` is an i64 in wasm32 but the kernel takes an `unsigned int`.
fn nfds(c: &Ctx) -> u64 {
    c.u64(1) as u32 as u64
}

#[cfg(target_arch = "x86_64")]
fn poll(c: &Ctx) -> SysResult {
    let fds = pollfds(c, c.addr(0), nfds(c));
    host_syscall!(libc::SYS_poll, fds, nfds(c), c.i32(2))
}

/// Without `poll`: `ppoll` with the timeout as a timespec (negative waits
/// forever).
#[cfg(not(target_arch = "x86_64"))]
fn poll(c: &Ctx) -> SysResult {
    let fds = pollfds(c, c.addr(0), nfds(c));
    let ms = c.i32(2);
    let mut ts = libc::timespec {
        tv_sec: (ms / 1000) as _,
        tv_nsec: ((ms % 1000) * 1_000_000) as _,
    };
    let tsp = if ms < 0 {
        HostPtr::NULL
    } else {
        HostPtr::to_host(&mut ts)
    };
    host_syscall!(libc::SYS_ppoll, fds, nfds(c), tsp, HostPtr::NULL, 0)
}

fn ppoll(c: &Ctx) -> SysResult {
    let fds = pollfds(c, c.addr(0), nfds(c));
    let tmo = c.mem.buf(c.addr(2), TIME_SIZE)?;
    let mask = sigmask(c, c.addr(3), c.u32(4) as u64)?;
    host_syscall!(libc::SYS_ppoll, fds, nfds(c), tmo, mask, c.u32(4))
}

/// Bytes of an `fd_set` the kernel reads and writes for `nfds`: whole
/// 64-bit words (the guest's `fd_set` is the same 128-byte bitmap).
fn fd_set_bytes(nfds: i32) -> u64 {
    (nfds.max(0) as u64).div_ceil(64) * 8
}

/// The three optional descriptor sets of `select` and `pselect6`.
fn fd_sets(c: &Ctx, nfds: i32) -> Result<[HostPtr; 3], Errno> {
    let len = fd_set_bytes(nfds);
    Ok([
        c.mem.buf(c.addr(1), len)?,
        c.mem.buf(c.addr(2), len)?,
        c.mem.buf(c.addr(3), len)?,
    ])
}

/// `struct timeval`/`struct timespec`: 16 bytes, the same everywhere.
const TIME_SIZE: u64 = layout::Timespec::SIZE;
const _: () = assert!(layout::Timeval::SIZE == TIME_SIZE);

#[cfg(target_arch = "x86_64")]
fn select(c: &Ctx) -> SysResult {
    let nfds = c.i32(0);
    let [r, w, e] = fd_sets(c, nfds)?;
    let tv = c.mem.buf(c.addr(4), TIME_SIZE)?;
    host_syscall!(libc::SYS_select, nfds, r, w, e, tv)
}

/// Without `select`: `pselect6` with the timeval converted to a timespec,
/// and the time left written back as a timeval, as `select` does.
#[cfg(not(target_arch = "x86_64"))]
fn select(c: &Ctx) -> SysResult {
    let nfds = c.i32(0);
    let [r, w, e] = fd_sets(c, nfds)?;
    let tv_addr = c.addr(4);
    if tv_addr == 0 {
        return host_syscall!(
            libc::SYS_pselect6,
            nfds,
            r,
            w,
            e,
            HostPtr::NULL,
            HostPtr::NULL
        );
    }
    let layout::Timeval {
        tv_sec: sec,
        tv_usec: usec,
    } = c.mem.read(tv_addr)?;
    if sec < 0 || !(0..1_000_000).contains(&usec) {
        return Err(Errno::EINVAL);
    }
    let mut ts = libc::timespec {
        tv_sec: sec as _,
        tv_nsec: (usec * 1000) as _,
    };
    let res = host_syscall!(
        libc::SYS_pselect6,
        nfds,
        r,
        w,
        e,
        HostPtr::to_host(&mut ts),
        HostPtr::NULL
    );
    let left = layout::Timeval {
        tv_sec: ts.tv_sec as i64,
        tv_usec: ts.tv_nsec as i64 / 1000,
    };
    c.mem.write(tv_addr, left)?;
    res
}

/// `pselect6`'s sixth argument points at `{ const sigset_t *ss; size_t
/// ss_len; }`: two 4-byte fields in wasm32, two 8-byte fields for the
/// kernel, so it is rebuilt on the host.
fn pselect6(c: &Ctx) -> SysResult {
    let nfds = c.i32(0);
    let [r, w, e] = fd_sets(c, nfds)?;
    let ts = c.mem.buf(c.addr(4), TIME_SIZE)?;
    let data_addr = c.addr(5);
    if data_addr == 0 {
        return host_syscall!(libc::SYS_pselect6, nfds, r, w, e, ts, HostPtr::NULL);
    }
    // musl builds this block as an array of its `syscall_arg_t`, which is
    // `long long` on wasm32 (the reference libc and ours): two 64-bit words
    // {sigset pointer, size}, read once. A pointer beyond 32 bits is outside
    // linear memory.
    let [ss, ss_len]: [u64; 2] = c.mem.read(data_addr)?;
    let ss = match Addr::try_from(ss) {
        Ok(a) => a,
        // The size is checked first, as sigmask does for a real pointer.
        Err(_) if ss_len != KERNEL_SIGSET => return Err(Errno::EINVAL),
        Err(_) => return Err(Errno::EFAULT),
    };
    let mask = sigmask(c, ss, ss_len)?;
    let mut data: [u64; 2] = [mask.addr(), ss_len];
    host_syscall!(
        libc::SYS_pselect6,
        nfds,
        r,
        w,
        e,
        ts,
        HostPtr::to_host(&mut data)
    )
}

// ---------------------------------------------------------------------------
// epoll

/// `struct epoll_event` in wasm32: `u32 events; u64 data;` packed, 12 bytes.
const GUEST_EPOLL_EVENT: u64 = layout::EpollEvent::SIZE;
/// Linux's limit on `maxevents` (`INT_MAX / sizeof(struct epoll_event)`).
const EP_MAX_EVENTS: i32 = i32::MAX / GUEST_EPOLL_EVENT as i32;

/// `epoll_create(size)`: any positive size, then `epoll_create1(0)`.
fn epoll_create(c: &Ctx) -> SysResult {
    if c.i32(0) <= 0 {
        return Err(Errno::EINVAL);
    }
    host_syscall!(libc::SYS_epoll_create1, 0)
}

fn epoll_create1(c: &Ctx) -> SysResult {
    host_syscall!(libc::SYS_epoll_create1, c.i32(0))
}

fn epoll_ctl(c: &Ctx) -> SysResult {
    let (epfd, op, fd) = (c.i32(0), c.i32(1), c.i32(2));
    // EPOLL_CTL_DEL ignores the event: Linux never reads it.
    if op == libc::EPOLL_CTL_DEL {
        return host_syscall!(libc::SYS_epoll_ctl, epfd, op, fd, HostPtr::NULL);
    }
    epoll_host::ctl(c, epfd, op, fd, c.addr(3))
}

/// The events array of the waiting calls, after Linux's own check of
/// `maxevents` (`EINVAL` first).
fn check_maxevents(maxevents: i32) -> Result<(), Errno> {
    if maxevents <= 0 || maxevents > EP_MAX_EVENTS {
        return Err(Errno::EINVAL);
    }
    Ok(())
}

fn epoll_wait(c: &Ctx) -> SysResult {
    check_maxevents(c.i32(2))?;
    epoll_host::wait(c, HostPtr::NULL, HostPtr::NULL, 0, Timeout::Ms(c.i32(3)))
}

fn epoll_pwait(c: &Ctx) -> SysResult {
    check_maxevents(c.i32(2))?;
    let mask = sigmask(c, c.addr(4), c.u32(5) as u64)?;
    epoll_host::wait(c, mask, HostPtr::NULL, c.u32(5), Timeout::Ms(c.i32(3)))
}

fn epoll_pwait2(c: &Ctx) -> SysResult {
    check_maxevents(c.i32(2))?;
    let ts = c.mem.buf(c.addr(3), TIME_SIZE)?;
    let mask = sigmask(c, c.addr(4), c.u32(5) as u64)?;
    epoll_host::wait(c, mask, ts, c.u32(5), Timeout::Spec)
}

/// Timeout of a waiting epoll call.
enum Timeout {
    /// Milliseconds (`epoll_wait`, `epoll_pwait`).
    Ms(i32),
    /// The timespec already checked (`epoll_pwait2`).
    Spec,
}

/// `struct epoll_event` between guest and kernel. On x86-64 the kernel's
/// struct is packed like the guest's, so the guest's memory is used as is.
#[cfg(target_arch = "x86_64")]
mod epoll_host {
    use super::*;

    pub fn ctl(c: &Ctx, epfd: i32, op: i32, fd: i32, ev: Addr) -> SysResult {
        let ev = c.mem.buf(ev, GUEST_EPOLL_EVENT)?;
        host_syscall!(libc::SYS_epoll_ctl, epfd, op, fd, ev)
    }

    /// Arguments 0..=2 of `c` are `epfd, events, maxevents`.
    pub fn wait(c: &Ctx, mask: HostPtr, ts: HostPtr, sigsetsize: u32, t: Timeout) -> SysResult {
        let len = c.u32(2) as u64 * GUEST_EPOLL_EVENT;
        let events = c.mem.buf(c.addr(1), len)?;
        let (epfd, max) = (c.i32(0), c.i32(2));
        match t {
            Timeout::Ms(ms) => host_syscall!(
                libc::SYS_epoll_pwait,
                epfd,
                events,
                max,
                ms,
                mask,
                sigsetsize
            ),
            Timeout::Spec => host_syscall!(
                libc::SYS_epoll_pwait2,
                epfd,
                events,
                max,
                ts,
                mask,
                sigsetsize
            ),
        }
    }
}

/// Elsewhere the kernel's `struct epoll_event` is naturally aligned (16
/// bytes): events are converted both ways.
#[cfg(not(target_arch = "x86_64"))]
mod epoll_host {
    use super::*;

    pub fn ctl(c: &Ctx, epfd: i32, op: i32, fd: i32, ev: Addr) -> SysResult {
        if ev == 0 {
            return host_syscall!(libc::SYS_epoll_ctl, epfd, op, fd, HostPtr::NULL);
        }
        let guest: layout::EpollEvent = c.mem.read(ev)?;
        let mut host = libc::epoll_event {
            events: guest.events,
            u64: guest.data,
        };
        host_syscall!(
            libc::SYS_epoll_ctl,
            epfd,
            op,
            fd,
            HostPtr::to_host(&mut host)
        )
    }

    /// The kernel's event: `u32 events`, 4 bytes of padding, `u64 data`.
    const HOST_EPOLL_EVENT: usize = std::mem::size_of::<libc::epoll_event>();
    /// Offset of `data` in the kernel's event.
    const HOST_EPOLL_DATA: usize = std::mem::offset_of!(libc::epoll_event, u64);
    /// Most events one wait translates (a 64 KiB host buffer).
    const EPOLL_HOST_MAX: i32 = 4096;

    pub fn wait(c: &Ctx, mask: HostPtr, ts: HostPtr, sigsetsize: u32, t: Timeout) -> SysResult {
        let out = c.addr(1);
        // A count of 0 or less is the kernel's EINVAL (after its EBADF):
        // it gets the count with an empty buffer and answers itself.
        let asked = c.i32(2);
        c.mem.check(out, asked.max(0) as u64 * GUEST_EPOLL_EVENT)?;
        // The host buffer holds at most EPOLL_HOST_MAX events: the kernel
        // returns at most that many and leaves the others ready for the
        // next call, as it does for any smaller `maxevents`.
        let max = asked.min(EPOLL_HOST_MAX);
        let mut host = vec![0u8; max.max(0) as usize * HOST_EPOLL_EVENT];
        let hp = HostPtr::to_host_slice(&mut host);
        let n = match t {
            Timeout::Ms(ms) => host_syscall!(
                libc::SYS_epoll_pwait,
                c.i32(0),
                hp,
                max,
                ms,
                mask,
                sigsetsize
            ),
            Timeout::Spec => host_syscall!(
                libc::SYS_epoll_pwait2,
                c.i32(0),
                hp,
                max,
                ts,
                mask,
                sigsetsize
            ),
        }?;
        for (i, e) in host
            .chunks_exact(HOST_EPOLL_EVENT)
            .take(n as usize)
            .enumerate()
        {
            let guest = layout::EpollEvent {
                events: u32::from_ne_bytes(std::array::from_fn(|k| e[k])),
                data: u64::from_ne_bytes(std::array::from_fn(|k| e[HOST_EPOLL_DATA + k])),
            };
            let at = out + i as u32 * GUEST_EPOLL_EVENT as u32;
            c.mem.write(at, guest)?;
        }
        Ok(n)
    }
}
