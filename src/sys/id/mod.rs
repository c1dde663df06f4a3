//! Identity and limits: user and group ids, process groups and sessions,
//! rlimits, resource usage, uname, sysinfo, scheduling, priorities,
//! getrandom, prctl, personality.
//!
//! The guest is the host process (WALI is a thin interface), so ids, limits
//! and scheduling settings are the host's and pass through. Every struct
//! here is pointer-free and has the x86-64 layout in the wasm32 view; the
//! spec's `struct rusage` and `struct sysinfo` are longer than the kernel's
//! (the libc appends reserved space), and the kernel writes only its own
//! prefix, so that is the range checked. `syslog` is not provided (-ENOSYS).
//!
//! The spec leaves `getresuid`, `getresgid`, `getpgrp`, `sched_setaffinity`,
//! `sched_{get,set}{scheduler,param}`, `{get,set}priority`, `getcpu` and
//! `personality` untyped; their wasm types follow the C prototypes by the
//! ABI's rules (`unsigned long` → i64).

use crate::abi::args;
use crate::abi::errno::{Errno, SysResult};
use crate::abi::layout;
use crate::abi::mem::{Addr, HostPtr};
use crate::ctx::Ctx;
use crate::host_syscall;

/// `uid_t`, `gid_t`: 4 bytes.
const ID_SIZE: u64 = 4;
/// `struct rlimit`: two `rlim_t` (8 bytes each), as the engine's own
/// record of a limit ([`crate::host::guard::Rlimit`]).
pub const RLIMIT_SIZE: u64 = layout::Rlimit::SIZE;
const _: () = assert!(std::mem::size_of::<crate::host::guard::Rlimit>() as u64 == RLIMIT_SIZE);
/// The kernel's `struct rusage`: the guest's up to its reserved bytes.
pub const RUSAGE_KERNEL_SIZE: u64 = std::mem::offset_of!(layout::Rusage, reserved) as u64;
/// The kernel's `struct sysinfo`: the guest's up to its reserved bytes,
/// rounded to the kernel struct's 8-byte alignment (its `_f` pad is empty
/// with 8-byte longs).
pub const SYSINFO_KERNEL_SIZE: u64 =
    (std::mem::offset_of!(layout::Sysinfo, reserved) as u64).next_multiple_of(8);
/// `struct utsname`: six 65-byte strings.
pub const UTSNAME_SIZE: u64 = layout::Utsname::SIZE;
/// `struct sched_param`: one `int`.
const SCHED_PARAM_SIZE: u64 = std::mem::size_of::<libc::sched_param>() as u64;
/// Linux's NGROUPS_MAX: setgroups rejects more without reading the list.
const NGROUPS_MAX: u32 = linux_raw_sys::general::NGROUPS_MAX;

pub fn getpid(_c: &Ctx) -> SysResult {
    host_syscall!(libc::SYS_getpid)
}

pub fn getppid(_c: &Ctx) -> SysResult {
    host_syscall!(libc::SYS_getppid)
}

pub fn getuid(_c: &Ctx) -> SysResult {
    host_syscall!(libc::SYS_getuid)
}

pub fn geteuid(_c: &Ctx) -> SysResult {
    host_syscall!(libc::SYS_geteuid)
}

pub fn getgid(_c: &Ctx) -> SysResult {
    host_syscall!(libc::SYS_getgid)
}

pub fn getegid(_c: &Ctx) -> SysResult {
    host_syscall!(libc::SYS_getegid)
}

/// `getres[ug]id(r, e, s)`: three 4-byte out-parameters.
fn getres_ids(c: &Ctx, nr: libc::c_long, ids: [Addr; 3]) -> SysResult {
    let r = c.mem.buf(ids[0], ID_SIZE)?;
    let e = c.mem.buf(ids[1], ID_SIZE)?;
    let s = c.mem.buf(ids[2], ID_SIZE)?;
    host_syscall!(nr, r, e, s)
}

pub fn getresuid(c: &Ctx, a: args::Getresuid) -> SysResult {
    getres_ids(c, libc::SYS_getresuid, [a.ruid, a.euid, a.suid])
}

pub fn getresgid(c: &Ctx, a: args::Getresgid) -> SysResult {
    getres_ids(c, libc::SYS_getresgid, [a.rgid, a.egid, a.sgid])
}

pub fn setuid(_c: &Ctx, a: args::Setuid) -> SysResult {
    // Per-thread kernel state: see crate::host::guard::StateChange.
    let _state = crate::host::guard::StateChange::begin();
    host_syscall!(libc::SYS_setuid, a.uid)
}

pub fn setgid(_c: &Ctx, a: args::Setgid) -> SysResult {
    // Per-thread kernel state: see crate::host::guard::StateChange.
    let _state = crate::host::guard::StateChange::begin();
    host_syscall!(libc::SYS_setgid, a.gid)
}

pub fn setreuid(_c: &Ctx, a: args::Setreuid) -> SysResult {
    // Per-thread kernel state: see crate::host::guard::StateChange.
    let _state = crate::host::guard::StateChange::begin();
    host_syscall!(libc::SYS_setreuid, a.ruid, a.euid)
}

pub fn setregid(_c: &Ctx, a: args::Setregid) -> SysResult {
    // Per-thread kernel state: see crate::host::guard::StateChange.
    let _state = crate::host::guard::StateChange::begin();
    host_syscall!(libc::SYS_setregid, a.rgid, a.egid)
}

pub fn setresuid(_c: &Ctx, a: args::Setresuid) -> SysResult {
    // Per-thread kernel state: see crate::host::guard::StateChange.
    let _state = crate::host::guard::StateChange::begin();
    host_syscall!(libc::SYS_setresuid, a.ruid, a.euid, a.suid)
}

pub fn setresgid(_c: &Ctx, a: args::Setresgid) -> SysResult {
    // Per-thread kernel state: see crate::host::guard::StateChange.
    let _state = crate::host::guard::StateChange::begin();
    host_syscall!(libc::SYS_setresgid, a.rgid, a.egid, a.sgid)
}

/// `getgroups(size, list)`: with size 0 the kernel only counts and never
/// touches `list`; a negative size is its `EINVAL`.
pub fn getgroups(c: &Ctx, a: args::Getgroups) -> SysResult {
    let size = a.size as i32;
    let list = c.mem.buf(a.list, size.max(0) as u64 * ID_SIZE)?;
    host_syscall!(libc::SYS_getgroups, size, list)
}

/// `setgroups(size, list)`: the kernel rejects a size above NGROUPS_MAX
/// before reading, so only a plausible list is checked.
pub fn setgroups(c: &Ctx, a: args::Setgroups) -> SysResult {
    // Per-thread kernel state: see crate::host::guard::StateChange.
    let _state = crate::host::guard::StateChange::begin();
    let size = a.size;
    let list = c
        .mem
        .buf(a.list, size.min(NGROUPS_MAX + 1) as u64 * ID_SIZE)?;
    host_syscall!(libc::SYS_setgroups, size, list)
}

pub fn getpgid(_c: &Ctx, a: args::Getpgid) -> SysResult {
    host_syscall!(libc::SYS_getpgid, a.pid)
}

pub fn setpgid(_c: &Ctx, a: args::Setpgid) -> SysResult {
    host_syscall!(libc::SYS_setpgid, a.pid, a.pgid)
}

/// `getpgrp()` is `getpgid(0)` (aarch64 and riscv64 lack the call).
pub fn getpgrp(_c: &Ctx) -> SysResult {
    host_syscall!(libc::SYS_getpgid, 0)
}

pub fn getsid(_c: &Ctx, a: args::Getsid) -> SysResult {
    host_syscall!(libc::SYS_getsid, a.pid)
}

pub fn setsid(_c: &Ctx) -> SysResult {
    host_syscall!(libc::SYS_setsid)
}

/// `getrlimit`/`setrlimit` are `prlimit64` on the own process, whose
/// `struct rlimit64` is the 16-byte wasm32 `struct rlimit`. The limits the
/// engine depends on (`RLIMIT_AS`, `RLIMIT_DATA`, `RLIMIT_STACK`) are the
/// guest's recorded view ([`crate::host::guard::own_prlimit`]): lowering them
/// for real would make the engine's next allocation abort or its stack
/// bound lie.
pub fn getrlimit(c: &Ctx, a: args::Getrlimit) -> SysResult {
    let old = crate::host::guard::own_prlimit(a.resource as u32, None)?;
    if a.rlim.is_null() {
        return Err(Errno::EFAULT);
    }
    c.mem.write(a.rlim, old)?;
    Ok(0)
}

pub fn setrlimit(c: &Ctx, a: args::Setrlimit) -> SysResult {
    if a.rlim.is_null() {
        // NULL would mean "no change" to prlimit64; setrlimit faults.
        return Err(Errno::EFAULT);
    }
    let new: crate::host::guard::Rlimit = c.mem.read(a.rlim)?;
    crate::host::guard::own_prlimit(a.resource as u32, Some(new)).map(|_| 0)
}

/// `prlimit64(pid, resource, new, old)`: the own process (pid 0, its pid
/// or one of its threads) as `setrlimit`; another process passes through.
/// The old limit is copied out after the new one is set: a bad `old`
/// pointer still sets the limit and then faults, as on Linux.
pub fn prlimit64(c: &Ctx, a: args::Prlimit64) -> SysResult {
    let pid = a.pid;
    if !crate::host::guard::is_own_process(pid) {
        let new = c.mem.buf(a.new_limit, RLIMIT_SIZE)?;
        return crate::sys::time::with_old::<{ RLIMIT_SIZE as usize }>(c, a.old_limit, |old| {
            host_syscall!(libc::SYS_prlimit64, pid, a.resource, new, old)
        });
    }
    let new: Option<crate::host::guard::Rlimit> = match a.new_limit {
        Addr::NULL => None,
        at => Some(c.mem.read(at)?),
    };
    let old = crate::host::guard::own_prlimit(a.resource as u32, new)?;
    if !a.old_limit.is_null() {
        c.mem.write(a.old_limit, old)?;
    }
    Ok(0)
}

pub fn getrusage(c: &Ctx, a: args::Getrusage) -> SysResult {
    let ru = c.mem.buf(a.usage, RUSAGE_KERNEL_SIZE)?;
    host_syscall!(libc::SYS_getrusage, a.who, ru)
}

pub fn uname(c: &Ctx, a: args::Uname) -> SysResult {
    let buf = c.mem.buf(a.buf, UTSNAME_SIZE)?;
    host_syscall!(libc::SYS_uname, buf)
}

pub fn sysinfo(c: &Ctx, a: args::Sysinfo) -> SysResult {
    let info = c.mem.buf(a.info, SYSINFO_KERNEL_SIZE)?;
    host_syscall!(libc::SYS_sysinfo, info)
}

/// `sched_getaffinity(pid, size, mask)`: the kernel writes at most `size`
/// bytes and returns how many; an odd size is its `EINVAL`.
pub fn sched_getaffinity(c: &Ctx, a: args::SchedGetaffinity) -> SysResult {
    let size = a.cpusetsize;
    let mask = c.mem.buf(a.mask, size as u64)?;
    host_syscall!(libc::SYS_sched_getaffinity, a.pid, size, mask)
}

pub fn sched_setaffinity(c: &Ctx, a: args::SchedSetaffinity) -> SysResult {
    // Per-thread kernel state: see crate::host::guard::StateChange.
    let _state = crate::host::guard::StateChange::begin();
    let size = a.cpusetsize;
    let mask = c.mem.buf(a.mask, size as u64)?;
    host_syscall!(libc::SYS_sched_setaffinity, a.pid, size, mask)
}

pub fn sched_yield(_c: &Ctx) -> SysResult {
    host_syscall!(libc::SYS_sched_yield)
}

pub fn sched_getscheduler(_c: &Ctx, a: args::SchedGetscheduler) -> SysResult {
    host_syscall!(libc::SYS_sched_getscheduler, a.pid)
}

pub fn sched_setscheduler(c: &Ctx, a: args::SchedSetscheduler) -> SysResult {
    // Per-thread kernel state: see crate::host::guard::StateChange.
    let _state = crate::host::guard::StateChange::begin();
    let param = c.mem.buf(a.param, SCHED_PARAM_SIZE)?;
    host_syscall!(libc::SYS_sched_setscheduler, a.pid, a.policy, param)
}

pub fn sched_getparam(c: &Ctx, a: args::SchedGetparam) -> SysResult {
    let param = c.mem.buf(a.param, SCHED_PARAM_SIZE)?;
    host_syscall!(libc::SYS_sched_getparam, a.pid, param)
}

pub fn sched_setparam(c: &Ctx, a: args::SchedSetparam) -> SysResult {
    // Per-thread kernel state: see crate::host::guard::StateChange.
    let _state = crate::host::guard::StateChange::begin();
    let param = c.mem.buf(a.param, SCHED_PARAM_SIZE)?;
    host_syscall!(libc::SYS_sched_setparam, a.pid, param)
}

/// The raw call returns `20 - nice` (1..40), as on Linux; the libc maps it.
pub fn getpriority(_c: &Ctx, a: args::Getpriority) -> SysResult {
    host_syscall!(libc::SYS_getpriority, a.which, a.who as u32)
}

pub fn setpriority(_c: &Ctx, a: args::Setpriority) -> SysResult {
    // Per-thread kernel state: see crate::host::guard::StateChange.
    let _state = crate::host::guard::StateChange::begin();
    host_syscall!(libc::SYS_setpriority, a.which, a.who as u32, a.prio)
}

/// `getcpu(cpu, node, tcache)`: the cache argument is unused since 2.6.24
/// and is not passed on.
pub fn getcpu(c: &Ctx, a: args::Getcpu) -> SysResult {
    let cpu = c.mem.buf(a.cpu, 4)?;
    let node = c.mem.buf(a.node, 4)?;
    host_syscall!(libc::SYS_getcpu, cpu, node, HostPtr::NULL)
}

/// A byte stream out of the kernel: an accessible prefix is filled.
pub fn getrandom(c: &Ctx, a: args::Getrandom) -> SysResult {
    let (buf, len) = c.mem.stream_buf(a.buf, a.buflen as u64)?;
    host_syscall!(libc::SYS_getrandom, buf, len, a.flags as u32)
}

/// `READ_IMPLIES_EXEC` (linux/personality.h): later `PROT_READ` mappings
/// become executable, the engine's host mappings inside linear memory too.
const READ_IMPLIES_EXEC: u32 = libc::READ_IMPLIES_EXEC as u32;
/// The query value: the kernel changes nothing.
const PERSONALITY_QUERY: u32 = 0xffff_ffff;

/// `personality(persona)`: passes through, except that turning on
/// `READ_IMPLIES_EXEC` is `EPERM` (the engine's own memory would become
/// executable). The other flags change what an exec'd program sees
/// (`ADDR_NO_RANDOMIZE`, `MMAP_PAGE_ZERO`, `ADDR_COMPAT_LAYOUT`,
/// `ADDR_LIMIT_*` take effect at exec on x86-64) or what calls report
/// (`UNAME26`, `STICKY_TIMEOUTS`, `SHORT_INODE`, `WHOLE_SECONDS`):
/// harmless to the engine.
pub fn personality(_c: &Ctx, a: args::Personality) -> SysResult {
    // Per-thread kernel state: see crate::host::guard::StateChange.
    let _state = crate::host::guard::StateChange::begin();
    // The kernel takes an `unsigned int` persona (0xffffffff queries).
    let persona = a.persona as u32;
    if persona != PERSONALITY_QUERY && persona & READ_IMPLIES_EXEC != 0 {
        let cur = host_syscall!(libc::SYS_personality, PERSONALITY_QUERY)? as u32;
        if cur & READ_IMPLIES_EXEC == 0 {
            return Err(Errno(libc::EPERM));
        }
    }
    host_syscall!(libc::SYS_personality, persona)
}

/// `setfs[ug]id(id)`: the result is the previous id; -1 only queries.
pub fn setfsuid(_c: &Ctx, a: args::Setfsuid) -> SysResult {
    // Per-thread kernel state: see crate::host::guard::StateChange.
    let _state = crate::host::guard::StateChange::begin();
    host_syscall!(libc::SYS_setfsuid, a.fsuid)
}

pub fn setfsgid(_c: &Ctx, a: args::Setfsgid) -> SysResult {
    // Per-thread kernel state: see crate::host::guard::StateChange.
    let _state = crate::host::guard::StateChange::begin();
    host_syscall!(libc::SYS_setfsgid, a.fsgid)
}

/// `struct __user_cap_header_struct`: `u32 version; int pid`, the same in
/// wasm32.
const CAP_HEADER_SIZE: u64 =
    std::mem::size_of::<linux_raw_sys::general::__user_cap_header_struct>() as u64;
/// One `struct __user_cap_data_struct`: effective, permitted, inheritable.
const CAP_DATA_SIZE: u64 =
    std::mem::size_of::<linux_raw_sys::general::__user_cap_data_struct>() as u64;
const LINUX_CAPABILITY_VERSION_1: u32 = linux_raw_sys::general::_LINUX_CAPABILITY_VERSION_1;
const LINUX_CAPABILITY_VERSION_2: u32 = linux_raw_sys::general::_LINUX_CAPABILITY_VERSION_2;
const LINUX_CAPABILITY_VERSION_3: u32 = linux_raw_sys::general::_LINUX_CAPABILITY_VERSION_3;

/// Capability sets: version 1 has one 32-bit data struct, versions 2 and 3
/// two. An unknown version makes the kernel write its preferred one into
/// the header and fail without touching the data, so two are checked only
/// for a known version.
fn cap_data(c: &Ctx, hdrp: Addr, datap: Addr) -> Result<(HostPtr, HostPtr), Errno> {
    let hdr = c.mem.buf(hdrp, CAP_HEADER_SIZE)?;
    let version: u32 = if hdr.is_null() { 0 } else { c.mem.read(hdrp)? };
    let count = match version {
        LINUX_CAPABILITY_VERSION_1 => 1,
        LINUX_CAPABILITY_VERSION_2 | LINUX_CAPABILITY_VERSION_3 => 2,
        _ => 0,
    };
    Ok((hdr, c.mem.buf(datap, count * CAP_DATA_SIZE)?))
}

pub fn capget(c: &Ctx, a: args::Capget) -> SysResult {
    let (hdr, data) = cap_data(c, a.hdrp, a.datap)?;
    host_syscall!(libc::SYS_capget, hdr, data)
}

pub fn capset(c: &Ctx, a: args::Capset) -> SysResult {
    // Per-thread kernel state: see crate::host::guard::StateChange.
    let _state = crate::host::guard::StateChange::begin();
    let (hdr, data) = cap_data(c, a.hdrp, a.datap)?;
    host_syscall!(libc::SYS_capset, hdr, data)
}

pub fn sched_get_priority_max(_c: &Ctx, a: args::SchedGetPriorityMax) -> SysResult {
    host_syscall!(libc::SYS_sched_get_priority_max, a.policy)
}

pub fn sched_get_priority_min(_c: &Ctx, a: args::SchedGetPriorityMin) -> SysResult {
    host_syscall!(libc::SYS_sched_get_priority_min, a.policy)
}

pub fn sched_rr_get_interval(c: &Ctx, a: args::SchedRrGetInterval) -> SysResult {
    let ts = c.mem.buf(a.tp, crate::sys::time::TIMESPEC_SIZE)?;
    host_syscall!(libc::SYS_sched_rr_get_interval, a.pid, ts)
}

/// `struct sched_attr` is pointer-free and versioned by its `size` field;
/// Linux accepts up to a page of it (extra bytes must be zero).
const SCHED_ATTR_MAX: u32 = 4096;
/// SCHED_ATTR_SIZE_VER0: what a `size` of 0 means.
const SCHED_ATTR_SIZE_VER0: u32 = 48;

/// `sched_getattr(pid, attr, size, flags)`: the kernel writes at most
/// `size` bytes.
pub fn sched_getattr(c: &Ctx, a: args::SchedGetattr) -> SysResult {
    let size = a.size;
    let attr = c.mem.buf(a.attr, size.min(SCHED_ATTR_MAX) as u64)?;
    host_syscall!(libc::SYS_sched_getattr, a.pid, attr, size, a.flags)
}

/// `sched_setattr(pid, attr, flags)`: the kernel reads `attr->size` and
/// then that many bytes, so the struct is copied into a host buffer first
/// (the guest cannot grow `size` between the check and the read).
pub fn sched_setattr(c: &Ctx, a: args::SchedSetattr) -> SysResult {
    // Per-thread kernel state: see crate::host::guard::StateChange.
    let _state = crate::host::guard::StateChange::begin();
    let at = a.attr;
    if at.is_null() {
        return host_syscall!(libc::SYS_sched_setattr, a.pid, HostPtr::NULL, a.flags);
    }
    // At least the first version's struct, so the kernel's own reads
    // (and its write of the supported size on E2BIG) stay in the buffer.
    let size: u32 = c.mem.read(at)?; // the first field
    let len = size.clamp(SCHED_ATTR_SIZE_VER0, SCHED_ATTR_MAX + 1);
    let mut attr = c.mem.read_bytes(at, len as usize)?;
    // The copy holds the size read first: another thread may have changed
    // the guest's field in between, and the kernel reads `size` bytes of
    // this buffer.
    attr[0..4].copy_from_slice(&size.to_le_bytes());
    let r = host_syscall!(
        libc::SYS_sched_setattr,
        a.pid,
        HostPtr::to_host_slice(&mut attr),
        a.flags
    );
    if r == Err(Errno::E2BIG) {
        // The kernel reports the size it supports in the guest's struct.
        c.mem
            .write(at, u32::from_le_bytes(attr[0..4].try_into().unwrap()))?;
    }
    r
}

pub fn ioprio_get(_c: &Ctx, a: args::IoprioGet) -> SysResult {
    host_syscall!(libc::SYS_ioprio_get, a.which, a.who)
}

pub fn ioprio_set(_c: &Ctx, a: args::IoprioSet) -> SysResult {
    // Per-thread kernel state: see crate::host::guard::StateChange.
    let _state = crate::host::guard::StateChange::begin();
    host_syscall!(libc::SYS_ioprio_set, a.which, a.who, a.ioprio)
}

/// `prctl(option, arg2, arg3, arg4, arg5)`: options whose arguments are all
/// integers pass through; those that take an `int *` out-parameter in arg2
/// and PR_SET_NAME/PR_GET_NAME (a 16-byte name buffer in arg2) are checked
/// and pass through. Every other option takes pointers to structures or
/// code (PR_SET_MM, PR_SET_SECCOMP filters, PR_SET_VMA, syscall user
/// dispatch, ...) that cannot be translated safely: `EINVAL`, what Linux
/// answers for an option it does not know.
pub fn prctl(c: &Ctx, a: args::Prctl) -> SysResult {
    // Per-thread kernel state: see crate::host::guard::StateChange.
    let _state = crate::host::guard::StateChange::begin();
    let opt = a.option;
    match prctl_kind(opt, a.arg2) {
        PrctlArgs::Integers => {
            host_syscall!(libc::SYS_prctl, opt, a.arg2, a.arg3, a.arg4, a.arg5)
        }
        PrctlArgs::OutInt => {
            let p = c.mem.buf(Addr(guest_addr(a.arg2)?), 4)?;
            host_syscall!(libc::SYS_prctl, opt, p, a.arg3, a.arg4, a.arg5)
        }
        PrctlArgs::Name => {
            let at = guest_addr(a.arg2)?;
            let p = c.mem.buf(Addr(at), comm_len(c, opt, at)?)?;
            host_syscall!(libc::SYS_prctl, opt, p, a.arg3, a.arg4, a.arg5)
        }
        PrctlArgs::Unsupported => Err(Errno::EINVAL),
        PrctlArgs::Refused => Err(Errno(libc::EPERM)),
    }
}

/// Bytes of the PR_SET_NAME/PR_GET_NAME buffer the kernel may touch:
/// TASK_COMM_LEN (16). PR_GET_NAME writes all 16; PR_SET_NAME reads at
/// most 16, so a shorter name may end near the end of memory as long as
/// its NUL lies inside.
fn comm_len(c: &Ctx, opt: i32, at: u32) -> Result<u64, Errno> {
    const TASK_COMM_LEN: u64 = 16;
    let avail = c.mem.size().saturating_sub(at as u64);
    if opt == libc::PR_GET_NAME || avail >= TASK_COMM_LEN {
        return Ok(TASK_COMM_LEN);
    }
    c.mem.strlen(Addr(at))?;
    Ok(avail)
}

/// A 64-bit argument that holds a guest address: above 4 GiB is outside
/// any linear memory.
fn guest_addr(v: u64) -> Result<u32, Errno> {
    u32::try_from(v).map_err(|_| Errno::EFAULT)
}

enum PrctlArgs {
    Integers,
    OutInt,
    Name,
    Unsupported,
    /// Known, but it would break the engine itself: `EPERM`.
    Refused,
}

/// Not in the `libc` crate (linux/prctl.h).
const PR_SET_IO_FLUSHER: i32 = linux_raw_sys::prctl::PR_SET_IO_FLUSHER as i32;
const PR_GET_IO_FLUSHER: i32 = linux_raw_sys::prctl::PR_GET_IO_FLUSHER as i32;
/// The `libc` crate defines these for x86-64 only.
#[cfg(not(target_arch = "x86_64"))]
const PR_GET_SPECULATION_CTRL: i32 = linux_raw_sys::prctl::PR_GET_SPECULATION_CTRL as i32;
#[cfg(not(target_arch = "x86_64"))]
const PR_SET_SPECULATION_CTRL: i32 = linux_raw_sys::prctl::PR_SET_SPECULATION_CTRL as i32;

/// Which prctl options pass, and how. The list is an allowlist: what is
/// not named is `EINVAL` as an unknown option (among them PR_SET_MM,
/// PR_SET_SECCOMP (strict mode would kill the engine at its next host
/// call; a filter would act on the engine's host calls, not the guest's),
/// PR_SET_SYSCALL_USER_DISPATCH, PR_SET_MDWE (the JIT writes code),
/// PR_SET_VMA, PR_SET_TAGGED_ADDR_CTRL, shadow stacks). Named options that
/// only change accounting, credentials, exec'd programs or speculation
/// hardening pass; PR_SET_TSC passes only for PR_TSC_ENABLE: PR_TSC_SIGSEGV
/// kills the engine at its next clock read (vDSO `rdtsc`).
fn prctl_kind(opt: i32, arg2: u64) -> PrctlArgs {
    use libc::*;
    match opt {
        PR_SET_TSC if arg2 != PR_TSC_ENABLE as u64 => PrctlArgs::Refused,
        PR_SET_PDEATHSIG
        | PR_GET_DUMPABLE
        | PR_SET_DUMPABLE
        | PR_SET_UNALIGN
        | PR_GET_KEEPCAPS
        | PR_SET_KEEPCAPS
        | PR_SET_FPEMU
        | PR_SET_FPEXC
        | PR_GET_TIMING
        | PR_SET_TIMING
        | PR_SET_ENDIAN
        | PR_GET_SECCOMP
        | PR_CAPBSET_READ
        | PR_CAPBSET_DROP
        | PR_SET_TSC
        | PR_GET_SECUREBITS
        | PR_SET_SECUREBITS
        | PR_SET_TIMERSLACK
        | PR_GET_TIMERSLACK
        | PR_TASK_PERF_EVENTS_DISABLE
        | PR_TASK_PERF_EVENTS_ENABLE
        | PR_MCE_KILL
        | PR_MCE_KILL_GET
        | PR_SET_CHILD_SUBREAPER
        | PR_SET_NO_NEW_PRIVS
        | PR_GET_NO_NEW_PRIVS
        | PR_SET_THP_DISABLE
        | PR_GET_THP_DISABLE
        | PR_SET_FP_MODE
        | PR_GET_FP_MODE
        | PR_CAP_AMBIENT
        | PR_GET_SPECULATION_CTRL
        | PR_SET_SPECULATION_CTRL
        | PR_SET_IO_FLUSHER
        | PR_GET_IO_FLUSHER
        | PR_SET_PTRACER => PrctlArgs::Integers,
        PR_GET_PDEATHSIG
        | PR_GET_UNALIGN
        | PR_GET_FPEMU
        | PR_GET_FPEXC
        | PR_GET_ENDIAN
        | PR_GET_TSC
        | PR_GET_CHILD_SUBREAPER => PrctlArgs::OutInt,
        PR_SET_NAME | PR_GET_NAME => PrctlArgs::Name,
        _ => PrctlArgs::Unsupported,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::abi::spec_types::Struct;
    use std::mem::size_of;

    fn spec(name: &str) -> &'static Struct {
        Struct::find(name).unwrap_or_else(|| panic!("{name} not in spec"))
    }

    #[test]
    fn layouts_match_host() {
        assert_eq!(spec("struct rlimit").size, size_of::<libc::rlimit>());
        assert_eq!(spec("struct rlimit").size, RLIMIT_SIZE as usize);
        assert_eq!(spec("struct utsname").size, size_of::<libc::utsname>());
        assert_eq!(spec("struct utsname").size, UTSNAME_SIZE as usize);
        assert_eq!(spec("cpu_set_t").size, size_of::<libc::cpu_set_t>());
        assert_eq!(size_of::<libc::sched_param>(), SCHED_PARAM_SIZE as usize);
    }

    /// rusage and sysinfo: the spec's struct is the kernel's followed by
    /// reserved space, so the kernel's prefix lines up field for field.
    #[test]
    fn kernel_prefix_layouts() {
        let ru = spec("struct rusage");
        assert_eq!(size_of::<libc::rusage>(), RUSAGE_KERNEL_SIZE as usize);
        assert_eq!(ru.offset_of("reserved"), Some(RUSAGE_KERNEL_SIZE as usize));
        assert_eq!(ru.offset_of("ru_nivcsw"), Some(136));
        let si = spec("struct sysinfo");
        assert_eq!(size_of::<libc::sysinfo>(), SYSINFO_KERNEL_SIZE as usize);
        assert_eq!(si.offset_of("mem_unit"), Some(104));
        assert!(si.size >= SYSINFO_KERNEL_SIZE as usize);
    }

    #[test]
    fn prctl_pointer_options_are_refused() {
        assert!(matches!(
            prctl_kind(libc::PR_SET_MM, 0),
            PrctlArgs::Unsupported
        ));
        assert!(matches!(
            prctl_kind(libc::PR_SET_SECCOMP, 1),
            PrctlArgs::Unsupported
        ));
        assert!(matches!(prctl_kind(libc::PR_SET_NAME, 0), PrctlArgs::Name));
        assert!(matches!(
            prctl_kind(libc::PR_SET_TSC, libc::PR_TSC_SIGSEGV as u64),
            PrctlArgs::Refused
        ));
        assert!(matches!(
            prctl_kind(libc::PR_SET_TSC, libc::PR_TSC_ENABLE as u64),
            PrctlArgs::Integers
        ));
        // PR_SET_MDWE, PR_SET_SYSCALL_USER_DISPATCH
        assert!(matches!(prctl_kind(65, 1), PrctlArgs::Unsupported));
        assert!(matches!(prctl_kind(59, 1), PrctlArgs::Unsupported));
    }
}
