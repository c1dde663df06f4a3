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

use crate::abi::args;
use crate::abi::errno::{Errno, SysResult};
use crate::abi::layout;
use crate::abi::mem::{Addr, HostPtr};
use crate::ctx::Ctx;
use crate::host_syscall;

// ---------------------------------------------------------------------------
// read, write, close, lseek

pub fn read(c: &Ctx, a: args::Read) -> SysResult {
    let (buf, len) = c.mem.stream_buf(a.buf, a.count as u64)?;
    host_syscall!(libc::SYS_read, a.fd, buf, len)
}

pub fn write(c: &Ctx, a: args::Write) -> SysResult {
    let (buf, len) = c.mem.stream_buf(a.buf, a.count as u64)?;
    host_syscall!(libc::SYS_write, a.fd, buf, len)
}

pub fn close(_c: &Ctx, a: args::Close) -> SysResult {
    host_syscall!(libc::SYS_close, a.fd)
}

pub fn lseek(_c: &Ctx, a: args::Lseek) -> SysResult {
    host_syscall!(libc::SYS_lseek, a.fd, a.offset, a.whence)
}

// ---------------------------------------------------------------------------
// In-kernel copies

/// A `loff_t *` in-out offset (8 bytes, same layout) or NULL.
fn offset_ptr(c: &Ctx, p: Addr) -> Result<HostPtr, Errno> {
    c.mem.buf(p, 8)
}

pub fn copy_file_range(c: &Ctx, a: args::CopyFileRange) -> SysResult {
    let off_in = offset_ptr(c, a.off_in)?;
    let off_out = offset_ptr(c, a.off_out)?;
    host_syscall!(
        libc::SYS_copy_file_range,
        a.fd_in,
        off_in,
        a.fd_out,
        off_out,
        a.len,
        a.flags
    )
}

pub fn sendfile(c: &Ctx, a: args::Sendfile) -> SysResult {
    let off = offset_ptr(c, a.offset)?;
    host_syscall!(libc::SYS_sendfile, a.out_fd, a.in_fd, off, a.count)
}

// ---------------------------------------------------------------------------
// Vectored and positioned I/O

pub fn readv(c: &Ctx, a: args::Readv) -> SysResult {
    vectored(c, libc::SYS_readv, a.fd, a.iov, a.iovcnt)
}

pub fn writev(c: &Ctx, a: args::Writev) -> SysResult {
    vectored(c, libc::SYS_writev, a.fd, a.iov, a.iovcnt)
}

/// `readv`/`writev(fd, iov, iovcnt)`: the guest's iovecs translated with
/// Linux's prefix semantics.
fn vectored(c: &Ctx, nr: libc::c_long, fd: i32, iov: Addr, iovcnt: i32) -> SysResult {
    let mut iov = c.mem.stream_iovecs(iov, iovcnt as u32)?;
    host_syscall!(nr, fd, crate::abi::mem::host_iovecs(&mut iov), iov.len())
}

pub fn pread64(c: &Ctx, a: args::Pread64) -> SysResult {
    let (buf, len) = c.mem.stream_buf(a.buf, a.count as u64)?;
    host_syscall!(libc::SYS_pread64, a.fd, buf, len, a.offset)
}

pub fn pwrite64(c: &Ctx, a: args::Pwrite64) -> SysResult {
    let (buf, len) = c.mem.stream_buf(a.buf, a.count as u64)?;
    host_syscall!(libc::SYS_pwrite64, a.fd, buf, len, a.offset)
}

/// The `preadv` family takes the offset split in two longs (`pos_l`,
/// `pos_h`); on a 64-bit kernel `pos_l` holds all of it and `pos_h` is
/// shifted out, so the whole offset goes low and 0 goes high.
fn vectored_at(c: &Ctx, nr: libc::c_long, v: Vectored, offset: i64, flags: i32) -> SysResult {
    let mut iov = c.mem.stream_iovecs(v.iov, v.iovcnt as u32)?;
    let iovp = crate::abi::mem::host_iovecs(&mut iov);
    host_syscall!(nr, v.fd, iovp, iov.len(), offset, 0u64, flags)
}

/// `fd, iov, iovcnt`, which every vectored call begins with.
#[derive(Clone, Copy)]
struct Vectored {
    fd: i32,
    iov: Addr,
    iovcnt: i32,
}

pub fn preadv(c: &Ctx, a: args::Preadv) -> SysResult {
    vectored_at(
        c,
        libc::SYS_preadv,
        Vectored {
            fd: a.fd,
            iov: a.iov,
            iovcnt: a.iovcnt,
        },
        a.offset,
        0,
    )
}

pub fn pwritev(c: &Ctx, a: args::Pwritev) -> SysResult {
    vectored_at(
        c,
        libc::SYS_pwritev,
        Vectored {
            fd: a.fd,
            iov: a.iov,
            iovcnt: a.iovcnt,
        },
        a.offset,
        0,
    )
}

/// The offset from musl's halves: `pos_l` holds at least the low 32 bits
/// (all of it where `long` has 64), `pos_h` the high 32 bits.
fn split_offset(pos_l: i64, pos_h: i64) -> i64 {
    (((pos_h as u64) << 32) | (pos_l as u64 & 0xffff_ffff)) as i64
}

pub fn preadv_split(c: &Ctx, a: args::PreadvSplit) -> SysResult {
    vectored_at(
        c,
        libc::SYS_preadv,
        Vectored {
            fd: a.fd,
            iov: a.iov,
            iovcnt: a.iovcnt,
        },
        split_offset(a.pos_l, a.pos_h),
        0,
    )
}

pub fn pwritev_split(c: &Ctx, a: args::PwritevSplit) -> SysResult {
    vectored_at(
        c,
        libc::SYS_pwritev,
        Vectored {
            fd: a.fd,
            iov: a.iov,
            iovcnt: a.iovcnt,
        },
        split_offset(a.pos_l, a.pos_h),
        0,
    )
}

pub fn preadv2(c: &Ctx, a: args::Preadv2) -> SysResult {
    vectored_at(
        c,
        libc::SYS_preadv2,
        Vectored {
            fd: a.fd,
            iov: a.iov,
            iovcnt: a.iovcnt,
        },
        a.offset,
        a.flags,
    )
}

pub fn pwritev2(c: &Ctx, a: args::Pwritev2) -> SysResult {
    vectored_at(
        c,
        libc::SYS_pwritev2,
        Vectored {
            fd: a.fd,
            iov: a.iov,
            iovcnt: a.iovcnt,
        },
        a.offset,
        a.flags,
    )
}

// ---------------------------------------------------------------------------
// Duplication and descriptor flags

pub fn dup(_c: &Ctx, a: args::Dup) -> SysResult {
    host_syscall!(libc::SYS_dup, a.oldfd)
}

#[cfg(target_arch = "x86_64")]
pub fn dup2(_c: &Ctx, a: args::Dup2) -> SysResult {
    host_syscall!(libc::SYS_dup2, a.oldfd, a.newfd)
}

/// Without `dup2`: `dup3` refuses equal descriptors, where `dup2` returns
/// the descriptor if it is open (`EBADF` otherwise).
#[cfg(not(target_arch = "x86_64"))]
pub fn dup2(_c: &Ctx, a: args::Dup2) -> SysResult {
    let (old, new) = (a.oldfd, a.newfd);
    if old == new {
        host_syscall!(libc::SYS_fcntl, old, libc::F_GETFD)?;
        return Ok(new as i64);
    }
    host_syscall!(libc::SYS_dup3, old, new, 0)
}

pub fn dup3(_c: &Ctx, a: args::Dup3) -> SysResult {
    host_syscall!(libc::SYS_dup3, a.oldfd, a.newfd, a.flags)
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
pub fn fcntl(c: &Ctx, arg: args::Fcntl) -> SysResult {
    let (fd, cmd, arg) = (arg.fd, arg.cmd, arg.arg);
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
pub fn ioctl(c: &Ctx, a: args::Ioctl) -> SysResult {
    let (fd, request) = (a.fd, (a.request as u32));
    match ioctl_arg(request) {
        // The spec types `argp` as a pointer; for these requests it is a
        // plain value, passed as the kernel reads it.
        Some(IoctlArg::Value) => host_syscall!(libc::SYS_ioctl, fd, request, a.argp.0),
        Some(IoctlArg::Ptr(size)) => {
            let argp = c.mem.buf(a.argp, size)?;
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
pub fn pipe(c: &Ctx, a: args::Pipe) -> SysResult {
    let fds = c.mem.buf(a.pipefd, 8)?;
    host_syscall!(libc::SYS_pipe2, fds, 0)
}

pub fn pipe2(c: &Ctx, a: args::Pipe2) -> SysResult {
    let fds = c.mem.buf(a.pipefd, 8)?;
    host_syscall!(libc::SYS_pipe2, fds, a.flags)
}

/// `eventfd(n)` is `eventfd2(n, 0)` on every architecture.
pub fn eventfd(_c: &Ctx, a: args::Eventfd) -> SysResult {
    host_syscall!(libc::SYS_eventfd2, a.initval as u32, 0)
}

pub fn eventfd2(_c: &Ctx, a: args::Eventfd2) -> SysResult {
    host_syscall!(libc::SYS_eventfd2, a.initval as u32, a.flags)
}

pub fn close_range(_c: &Ctx, a: args::CloseRange) -> SysResult {
    host_syscall!(libc::SYS_close_range, a.first, a.last, a.flags)
}

pub fn splice(c: &Ctx, a: args::Splice) -> SysResult {
    let off_in = offset_ptr(c, a.off_in)?;
    let off_out = offset_ptr(c, a.off_out)?;
    host_syscall!(
        libc::SYS_splice,
        a.fd_in,
        off_in,
        a.fd_out,
        off_out,
        a.len,
        a.flags
    )
}

pub fn tee(_c: &Ctx, a: args::Tee) -> SysResult {
    host_syscall!(libc::SYS_tee, a.fd_in, a.fd_out, a.len, a.flags)
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
    if addr.is_null() {
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
fn nfds(nfds: u64) -> u64 {
    nfds as u32 as u64
}

#[cfg(target_arch = "x86_64")]
pub fn poll(c: &Ctx, a: args::Poll) -> SysResult {
    let fds = pollfds(c, a.fds, nfds(a.nfds));
    host_syscall!(libc::SYS_poll, fds, nfds(a.nfds), a.timeout)
}

/// Without `poll`: `ppoll` with the timeout as a timespec (negative waits
/// forever).
#[cfg(not(target_arch = "x86_64"))]
pub fn poll(c: &Ctx, a: args::Poll) -> SysResult {
    let fds = pollfds(c, a.fds, nfds(a.nfds));
    let ms = a.timeout;
    let mut ts = libc::timespec {
        tv_sec: (ms / 1000) as _,
        tv_nsec: ((ms % 1000) * 1_000_000) as _,
    };
    let tsp = if ms < 0 {
        HostPtr::NULL
    } else {
        HostPtr::to_host(&mut ts)
    };
    host_syscall!(libc::SYS_ppoll, fds, nfds(a.nfds), tsp, HostPtr::NULL, 0)
}

pub fn ppoll(c: &Ctx, a: args::Ppoll) -> SysResult {
    let fds = pollfds(c, a.fds, nfds(a.nfds));
    let tmo = c.mem.buf(a.tmo_p, TIME_SIZE)?;
    let mask = sigmask(c, a.sigmask, a.sigsetsize as u64)?;
    host_syscall!(libc::SYS_ppoll, fds, nfds(a.nfds), tmo, mask, a.sigsetsize)
}

/// Bytes of an `fd_set` the kernel reads and writes for `nfds`: whole
/// 64-bit words (the guest's `fd_set` is the same 128-byte bitmap).
fn fd_set_bytes(nfds: i32) -> u64 {
    (nfds.max(0) as u64).div_ceil(64) * 8
}

/// The three optional descriptor sets of `select` and `pselect6`.
fn fd_sets(c: &Ctx, nfds: i32, sets: [Addr; 3]) -> Result<[HostPtr; 3], Errno> {
    let len = fd_set_bytes(nfds);
    Ok([
        c.mem.buf(sets[0], len)?,
        c.mem.buf(sets[1], len)?,
        c.mem.buf(sets[2], len)?,
    ])
}

/// `struct timeval`/`struct timespec`: 16 bytes, the same everywhere.
const TIME_SIZE: u64 = layout::Timespec::SIZE;
const _: () = assert!(layout::Timeval::SIZE == TIME_SIZE);

#[cfg(target_arch = "x86_64")]
pub fn select(c: &Ctx, a: args::Select) -> SysResult {
    let nfds = a.nfds;
    let [r, w, e] = fd_sets(c, nfds, [a.readfds, a.writefds, a.exceptfds])?;
    let tv = c.mem.buf(a.timeout, TIME_SIZE)?;
    host_syscall!(libc::SYS_select, nfds, r, w, e, tv)
}

/// Without `select`: `pselect6` with the timeval converted to a timespec,
/// and the time left written back as a timeval, as `select` does.
#[cfg(not(target_arch = "x86_64"))]
pub fn select(c: &Ctx, a: args::Select) -> SysResult {
    let nfds = a.nfds;
    let [r, w, e] = fd_sets(c, nfds, [a.readfds, a.writefds, a.exceptfds])?;
    let tv_addr = a.timeout;
    if tv_addr.is_null() {
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
pub fn pselect6(c: &Ctx, arg: args::Pselect6) -> SysResult {
    let nfds = arg.nfds;
    let [r, w, e] = fd_sets(c, nfds, [arg.readfds, arg.writefds, arg.exceptfds])?;
    let ts = c.mem.buf(arg.timeout, TIME_SIZE)?;
    let data_addr = arg.sigmask;
    if data_addr.is_null() {
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
pub fn epoll_create(_c: &Ctx, a: args::EpollCreate) -> SysResult {
    if a.size <= 0 {
        return Err(Errno::EINVAL);
    }
    host_syscall!(libc::SYS_epoll_create1, 0)
}

pub fn epoll_create1(_c: &Ctx, a: args::EpollCreate1) -> SysResult {
    host_syscall!(libc::SYS_epoll_create1, a.flags)
}

pub fn epoll_ctl(c: &Ctx, a: args::EpollCtl) -> SysResult {
    let (epfd, op, fd) = (a.epfd, a.op, a.fd);
    // EPOLL_CTL_DEL ignores the event: Linux never reads it.
    if op == libc::EPOLL_CTL_DEL {
        return host_syscall!(libc::SYS_epoll_ctl, epfd, op, fd, HostPtr::NULL);
    }
    epoll_host::ctl(c, epfd, op, fd, a.event)
}

/// The events array of the waiting calls, after Linux's own check of
/// `maxevents` (`EINVAL` first).
fn check_maxevents(maxevents: i32) -> Result<(), Errno> {
    if maxevents <= 0 || maxevents > EP_MAX_EVENTS {
        return Err(Errno::EINVAL);
    }
    Ok(())
}

pub fn epoll_wait(c: &Ctx, a: args::EpollWait) -> SysResult {
    check_maxevents(a.maxevents)?;
    let events = Events {
        epfd: a.epfd,
        events: a.events,
        maxevents: a.maxevents,
    };
    epoll_host::wait(
        c,
        events,
        HostPtr::NULL,
        HostPtr::NULL,
        0,
        Timeout::Ms(a.timeout),
    )
}

pub fn epoll_pwait(c: &Ctx, a: args::EpollPwait) -> SysResult {
    check_maxevents(a.maxevents)?;
    let mask = sigmask(c, a.sigmask, a.sigsetsize as u64)?;
    let events = Events {
        epfd: a.epfd,
        events: a.events,
        maxevents: a.maxevents,
    };
    epoll_host::wait(
        c,
        events,
        mask,
        HostPtr::NULL,
        a.sigsetsize,
        Timeout::Ms(a.timeout),
    )
}

pub fn epoll_pwait2(c: &Ctx, a: args::EpollPwait2) -> SysResult {
    check_maxevents(a.maxevents)?;
    let ts = c.mem.buf(a.timeout, TIME_SIZE)?;
    let mask = sigmask(c, a.sigmask, a.sigsetsize as u64)?;
    let events = Events {
        epfd: a.epfd,
        events: a.events,
        maxevents: a.maxevents,
    };
    epoll_host::wait(c, events, mask, ts, a.sigsetsize, Timeout::Spec)
}

/// The arguments every epoll wait shares: the instance and the guest's
/// event array.
#[derive(Clone, Copy)]
struct Events {
    epfd: i32,
    events: Addr,
    maxevents: i32,
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

    pub fn wait(
        c: &Ctx,
        e: Events,
        mask: HostPtr,
        ts: HostPtr,
        sigsetsize: u32,
        t: Timeout,
    ) -> SysResult {
        let len = e.maxevents as u32 as u64 * GUEST_EPOLL_EVENT;
        let events = c.mem.buf(e.events, len)?;
        let (epfd, max) = (e.epfd, e.maxevents);
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
        if ev.is_null() {
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

    pub fn wait(
        c: &Ctx,
        e: Events,
        mask: HostPtr,
        ts: HostPtr,
        sigsetsize: u32,
        t: Timeout,
    ) -> SysResult {
        let out = e.events;
        // A count of 0 or less is the kernel's EINVAL (after its EBADF):
        // it gets the count with an empty buffer and answers itself.
        let asked = e.maxevents;
        c.mem.check(out, asked.max(0) as u64 * GUEST_EPOLL_EVENT)?;
        // The host buffer holds at most EPOLL_HOST_MAX events: the kernel
        // returns at most that many and leaves the others ready for the
        // next call, as it does for any smaller `maxevents`.
        let max = asked.min(EPOLL_HOST_MAX);
        let mut host = vec![0u8; max.max(0) as usize * HOST_EPOLL_EVENT];
        let hp = HostPtr::to_host_slice(&mut host);
        let n = match t {
            Timeout::Ms(ms) => {
                host_syscall!(libc::SYS_epoll_pwait, e.epfd, hp, max, ms, mask, sigsetsize)
            }
            Timeout::Spec => host_syscall!(
                libc::SYS_epoll_pwait2,
                e.epfd,
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
