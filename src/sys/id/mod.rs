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

use crate::abi::errno::{Errno, SysResult};
use crate::abi::layout;
use crate::abi::mem::HostPtr;
use crate::ctx::Ctx;
use crate::host_syscall;

crate::syscall_table!(pub static SYSCALLS = {
    "getpid" => getpid,
    "getppid" => getppid,
    "getuid" => getuid,
    "geteuid" => geteuid,
    "getgid" => getgid,
    "getegid" => getegid,
    "getresuid" (I32, I32, I32) => getresuid,
    "getresgid" (I32, I32, I32) => getresgid,
    "setuid" => setuid,
    "setgid" => setgid,
    "setreuid" => setreuid,
    "setregid" => setregid,
    "setresuid" => setresuid,
    "setresgid" => setresgid,
    "getgroups" => getgroups,
    "setgroups" => setgroups,
    "getpgid" => getpgid,
    "setpgid" => setpgid,
    "getpgrp" => getpgrp,
    "getsid" => getsid,
    "setsid" => setsid,
    "getrlimit" => getrlimit,
    "setrlimit" => setrlimit,
    "prlimit64" => prlimit64,
    "getrusage" => getrusage,
    "uname" => uname,
    "sysinfo" => sysinfo,
    "sched_getaffinity" => sched_getaffinity,
    "sched_setaffinity" (I32, I32, I32) => sched_setaffinity,
    "sched_yield" => sched_yield,
    "sched_getscheduler" (I32) => sched_getscheduler,
    "sched_setscheduler" (I32, I32, I32) => sched_setscheduler,
    "sched_getparam" (I32, I32) => sched_getparam,
    "sched_setparam" (I32, I32) => sched_setparam,
    "getpriority" (I32, I32) => getpriority,
    "setpriority" (I32, I32, I32) => setpriority,
    "getcpu" (I32, I32, I32) => getcpu,
    "getrandom" => getrandom,
    "prctl" => prctl,
    "personality" (I64) => personality,
    "setfsuid" (I32) => setfsuid,
    "setfsgid" (I32) => setfsgid,
    "capget" (I32, I32) => capget,
    "capset" (I32, I32) => capset,
    "sched_get_priority_max" (I32) => sched_get_priority_max,
    "sched_get_priority_min" (I32) => sched_get_priority_min,
    "sched_rr_get_interval" (I32, I32) => sched_rr_get_interval,
    "sched_getattr" (I32, I32, I32, I32) => sched_getattr,
    "sched_setattr" (I32, I32, I32) => sched_setattr,
    "ioprio_get" (I32, I32) => ioprio_get,
    "ioprio_set" (I32, I32, I32) => ioprio_set,
});

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

fn getpid(_c: &Ctx) -> SysResult {
    host_syscall!(libc::SYS_getpid)
}

fn getppid(_c: &Ctx) -> SysResult {
    host_syscall!(libc::SYS_getppid)
}

fn getuid(_c: &Ctx) -> SysResult {
    host_syscall!(libc::SYS_getuid)
}

fn geteuid(_c: &Ctx) -> SysResult {
    host_syscall!(libc::SYS_geteuid)
}

fn getgid(_c: &Ctx) -> SysResult {
    host_syscall!(libc::SYS_getgid)
}

fn getegid(_c: &Ctx) -> SysResult {
    host_syscall!(libc::SYS_getegid)
}

/// `getres[ug]id(r, e, s)`: three 4-byte out-parameters.
fn getres_ids(c: &Ctx, nr: libc::c_long) -> SysResult {
    let r = c.mem.buf(c.addr(0), ID_SIZE)?;
    let e = c.mem.buf(c.addr(1), ID_SIZE)?;
    let s = c.mem.buf(c.addr(2), ID_SIZE)?;
    host_syscall!(nr, r, e, s)
}

fn getresuid(c: &Ctx) -> SysResult {
    getres_ids(c, libc::SYS_getresuid)
}

fn getresgid(c: &Ctx) -> SysResult {
    getres_ids(c, libc::SYS_getresgid)
}

fn setuid(c: &Ctx) -> SysResult {
    // Per-thread kernel state: see crate::host::guard::StateChange.
    let _state = crate::host::guard::StateChange::begin();
    host_syscall!(libc::SYS_setuid, c.u32(0))
}

fn setgid(c: &Ctx) -> SysResult {
    // Per-thread kernel state: see crate::host::guard::StateChange.
    let _state = crate::host::guard::StateChange::begin();
    host_syscall!(libc::SYS_setgid, c.u32(0))
}

fn setreuid(c: &Ctx) -> SysResult {
    // Per-thread kernel state: see crate::host::guard::StateChange.
    let _state = crate::host::guard::StateChange::begin();
    host_syscall!(libc::SYS_setreuid, c.u32(0), c.u32(1))
}

fn setregid(c: &Ctx) -> SysResult {
    // Per-thread kernel state: see crate::host::guard::StateChange.
    let _state = crate::host::guard::StateChange::begin();
    host_syscall!(libc::SYS_setregid, c.u32(0), c.u32(1))
}

fn setresuid(c: &Ctx) -> SysResult {
    // Per-thread kernel state: see crate::host::guard::StateChange.
    let _state = crate::host::guard::StateChange::begin();
    host_syscall!(libc::SYS_setresuid, c.u32(0), c.u32(1), c.u32(2))
}

fn setresgid(c: &Ctx) -> SysResult {
    // Per-thread kernel state: see crate::host::guard::StateChange.
    let _state = crate::host::guard::StateChange::begin();
    host_syscall!(libc::SYS_setresgid, c.u32(0), c.u32(1), c.u32(2))
}

/// `getgroups(size, list)`: with size 0 the kernel only counts and never
/// touches `list`; a negative size is its `EINVAL`.
fn getgroups(c: &Ctx) -> SysResult {
    let size = c.i32(0);
    let list = c.mem.buf(c.addr(1), size.max(0) as u64 * ID_SIZE)?;
    host_syscall!(libc::SYS_getgroups, size, list)
}

/// `setgroups(size, list)`: the kernel rejects a size above NGROUPS_MAX
/// before reading, so only a plausible list is checked.
fn setgroups(c: &Ctx) -> SysResult {
    // Per-thread kernel state: see crate::host::guard::StateChange.
    let _state = crate::host::guard::StateChange::begin();
    let size = c.u32(0);
    let list = c
        .mem
        .buf(c.addr(1), size.min(NGROUPS_MAX + 1) as u64 * ID_SIZE)?;
    host_syscall!(libc::SYS_setgroups, size, list)
}

fn getpgid(c: &Ctx) -> SysResult {
    host_syscall!(libc::SYS_getpgid, c.i32(0))
}

fn setpgid(c: &Ctx) -> SysResult {
    host_syscall!(libc::SYS_setpgid, c.i32(0), c.i32(1))
}

/// `getpgrp()` is `getpgid(0)` (aarch64 and riscv64 lack the call).
fn getpgrp(_c: &Ctx) -> SysResult {
    host_syscall!(libc::SYS_getpgid, 0)
}

fn getsid(c: &Ctx) -> SysResult {
    host_syscall!(libc::SYS_getsid, c.i32(0))
}

fn setsid(_c: &Ctx) -> SysResult {
    host_syscall!(libc::SYS_setsid)
}

/// `getrlimit`/`setrlimit` are `prlimit64` on the own process, whose
/// `struct rlimit64` is the 16-byte wasm32 `struct rlimit`. The limits the
/// engine depends on (`RLIMIT_AS`, `RLIMIT_DATA`, `RLIMIT_STACK`) are the
/// guest's recorded view ([`crate::host::guard::own_prlimit`]): lowering them
/// for real would make the engine's next allocation abort or its stack
/// bound lie.
fn getrlimit(c: &Ctx) -> SysResult {
    let old = crate::host::guard::own_prlimit(c.u32(0), None)?;
    if c.addr(1) == 0 {
        return Err(Errno::EFAULT);
    }
    c.mem.write(c.addr(1), old)?;
    Ok(0)
}

fn setrlimit(c: &Ctx) -> SysResult {
    if c.addr(1) == 0 {
        // NULL would mean "no change" to prlimit64; setrlimit faults.
        return Err(Errno::EFAULT);
    }
    let new: crate::host::guard::Rlimit = c.mem.read(c.addr(1))?;
    crate::host::guard::own_prlimit(c.u32(0), Some(new)).map(|_| 0)
}

/// `prlimit64(pid, resource, new, old)`: the own process (pid 0, its pid
/// or one of its threads) as `setrlimit`; another process passes through.
/// The old limit is copied out after the new one is set: a bad `old`
/// pointer still sets the limit and then faults, as on Linux.
fn prlimit64(c: &Ctx) -> SysResult {
    let pid = c.i32(0);
    if !crate::host::guard::is_own_process(pid) {
        let new = c.mem.buf(c.addr(2), RLIMIT_SIZE)?;
        return crate::sys::time::with_old::<{ RLIMIT_SIZE as usize }>(c, c.addr(3), |old| {
            host_syscall!(libc::SYS_prlimit64, pid, c.i32(1), new, old)
        });
    }
    let new: Option<crate::host::guard::Rlimit> = match c.addr(2) {
        0 => None,
        at => Some(c.mem.read(at)?),
    };
    let old = crate::host::guard::own_prlimit(c.u32(1), new)?;
    if c.addr(3) != 0 {
        c.mem.write(c.addr(3), old)?;
    }
    Ok(0)
}

fn getrusage(c: &Ctx) -> SysResult {
    let ru = c.mem.buf(c.addr(1), RUSAGE_KERNEL_SIZE)?;
    host_syscall!(libc::SYS_getrusage, c.i32(0), ru)
}

fn uname(c: &Ctx) -> SysResult {
    let buf = c.mem.buf(c.addr(0), UTSNAME_SIZE)?;
    host_syscall!(libc::SYS_uname, buf)
}

fn sysinfo(c: &Ctx) -> SysResult {
    let info = c.mem.buf(c.addr(0), SYSINFO_KERNEL_SIZE)?;
    host_syscall!(libc::SYS_sysinfo, info)
}

/// `sched_getaffinity(pid, size, mask)`: the kernel writes at most `size`
/// bytes and returns how many; an odd size is its `EINVAL`.
fn sched_getaffinity(c: &Ctx) -> SysResult {
    let size = c.u32(1);
    let mask = c.mem.buf(c.addr(2), size as u64)?;
    host_syscall!(libc::SYS_sched_getaffinity, c.i32(0), size, mask)
}

fn sched_setaffinity(c: &Ctx) -> SysResult {
    // Per-thread kernel state: see crate::host::guard::StateChange.
    let _state = crate::host::guard::StateChange::begin();
    let size = c.u32(1);
    let mask = c.mem.buf(c.addr(2), size as u64)?;
    host_syscall!(libc::SYS_sched_setaffinity, c.i32(0), size, mask)
}

fn sched_yield(_c: &Ctx) -> SysResult {
    host_syscall!(libc::SYS_sched_yield)
}

fn sched_getscheduler(c: &Ctx) -> SysResult {
    host_syscall!(libc::SYS_sched_getscheduler, c.i32(0))
}

fn sched_setscheduler(c: &Ctx) -> SysResult {
    // Per-thread kernel state: see crate::host::guard::StateChange.
    let _state = crate::host::guard::StateChange::begin();
    let param = c.mem.buf(c.addr(2), SCHED_PARAM_SIZE)?;
    host_syscall!(libc::SYS_sched_setscheduler, c.i32(0), c.i32(1), param)
}

fn sched_getparam(c: &Ctx) -> SysResult {
    let param = c.mem.buf(c.addr(1), SCHED_PARAM_SIZE)?;
    host_syscall!(libc::SYS_sched_getparam, c.i32(0), param)
}

fn sched_setparam(c: &Ctx) -> SysResult {
    // Per-thread kernel state: see crate::host::guard::StateChange.
    let _state = crate::host::guard::StateChange::begin();
    let param = c.mem.buf(c.addr(1), SCHED_PARAM_SIZE)?;
    host_syscall!(libc::SYS_sched_setparam, c.i32(0), param)
}

/// The raw call returns `20 - nice` (1..40), as on Linux; the libc maps it.
fn getpriority(c: &Ctx) -> SysResult {
    host_syscall!(libc::SYS_getpriority, c.i32(0), c.u32(1))
}

fn setpriority(c: &Ctx) -> SysResult {
    // Per-thread kernel state: see crate::host::guard::StateChange.
    let _state = crate::host::guard::StateChange::begin();
    host_syscall!(libc::SYS_setpriority, c.i32(0), c.u32(1), c.i32(2))
}

/// `getcpu(cpu, node, tcache)`: the cache argument is unused since 2.6.24
/// and is not passed on.
fn getcpu(c: &Ctx) -> SysResult {
    let cpu = c.mem.buf(c.addr(0), 4)?;
    let node = c.mem.buf(c.addr(1), 4)?;
    host_syscall!(libc::SYS_getcpu, cpu, node, HostPtr::NULL)
}

/// A byte stream out of the kernel: an accessible prefix is filled.
fn getrandom(c: &Ctx) -> SysResult {
    let (buf, len) = c.mem.stream_buf(c.addr(0), c.u32(1) as u64)?;
    host_syscall!(libc::SYS_getrandom, buf, len, c.u32(2))
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
fn personality(c: &Ctx) -> SysResult {
    // Per-thread kernel state: see crate::host::guard::StateChange.
    let _state = crate::host::guard::StateChange::begin();
    // The kernel takes an `unsigned int` persona (0xffffffff queries).
    let persona = c.u64(0) as u32;
    if persona != PERSONALITY_QUERY && persona & READ_IMPLIES_EXEC != 0 {
        let cur = host_syscall!(libc::SYS_personality, PERSONALITY_QUERY)? as u32;
        if cur & READ_IMPLIES_EXEC == 0 {
            return Err(Errno(libc::EPERM));
        }
    }
    host_syscall!(libc::SYS_personality, persona)
}

/// `setfs[ug]id(id)`: the result is the previous id; -1 only queries.
fn setfsuid(c: &Ctx) -> SysResult {
    // Per-thread kernel state: see crate::host::guard::StateChange.
    let _state = crate::host::guard::StateChange::begin();
    host_syscall!(libc::SYS_setfsuid, c.u32(0))
}

fn setfsgid(c: &Ctx) -> SysResult {
    // Per-thread kernel state: see crate::host::guard::StateChange.
    let _state = crate::host::guard::StateChange::begin();
    host_syscall!(libc::SYS_setfsgid, c.u32(0))
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
fn cap_data(c: &Ctx) -> Result<(HostPtr, HostPtr), Errno> {
    let hdr = c.mem.buf(c.addr(0), CAP_HEADER_SIZE)?;
    let version: u32 = if hdr.is_null() {
        0
    } else {
        c.mem.read(c.addr(0))?
    };
    let count = match version {
        LINUX_CAPABILITY_VERSION_1 => 1,
        LINUX_CAPABILITY_VERSION_2 | LINUX_CAPABILITY_VERSION_3 => 2,
        _ => 0,
    };
    Ok((hdr, c.mem.buf(c.addr(1), count * CAP_DATA_SIZE)?))
}

fn capget(c: &Ctx) -> SysResult {
    let (hdr, data) = cap_data(c)?;
    host_syscall!(libc::SYS_capget, hdr, data)
}

fn capset(c: &Ctx) -> SysResult {
    // Per-thread kernel state: see crate::host::guard::StateChange.
    let _state = crate::host::guard::StateChange::begin();
    let (hdr, data) = cap_data(c)?;
    host_syscall!(libc::SYS_capset, hdr, data)
}

fn sched_get_priority_max(c: &Ctx) -> SysResult {
    host_syscall!(libc::SYS_sched_get_priority_max, c.i32(0))
}

fn sched_get_priority_min(c: &Ctx) -> SysResult {
    host_syscall!(libc::SYS_sched_get_priority_min, c.i32(0))
}

fn sched_rr_get_interval(c: &Ctx) -> SysResult {
    let ts = c.mem.buf(c.addr(1), crate::sys::time::TIMESPEC_SIZE)?;
    host_syscall!(libc::SYS_sched_rr_get_interval, c.i32(0), ts)
}

/// `struct sched_attr` is pointer-free and versioned by its `size` field;
/// Linux accepts up to a page of it (extra bytes must be zero).
const SCHED_ATTR_MAX: u32 = 4096;
/// SCHED_ATTR_SIZE_VER0: what a `size` of 0 means.
const SCHED_ATTR_SIZE_VER0: u32 = 48;

/// `sched_getattr(pid, attr, size, flags)`: the kernel writes at most
/// `size` bytes.
fn sched_getattr(c: &Ctx) -> SysResult {
    let size = c.u32(2);
    let attr = c.mem.buf(c.addr(1), size.min(SCHED_ATTR_MAX) as u64)?;
    host_syscall!(libc::SYS_sched_getattr, c.i32(0), attr, size, c.u32(3))
}

/// `sched_setattr(pid, attr, flags)`: the kernel reads `attr->size` and
/// then that many bytes, so the struct is copied into a host buffer first
/// (the guest cannot grow `size` between the check and the read).
fn sched_setattr(c: &Ctx) -> SysResult {
    // Per-thread kernel state: see crate::host::guard::StateChange.
    let _state = crate::host::guard::StateChange::begin();
    let at = c.addr(1);
    if at == 0 {
        return host_syscall!(libc::SYS_sched_setattr, c.i32(0), HostPtr::NULL, c.u32(2));
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
        c.i32(0),
        HostPtr::to_host_slice(&mut attr),
        c.u32(2)
    );
    if r == Err(Errno::E2BIG) {
        // The kernel reports the size it supports in the guest's struct.
        c.mem
            .write(at, u32::from_le_bytes(attr[0..4].try_into().unwrap()))?;
    }
    r
}

fn ioprio_get(c: &Ctx) -> SysResult {
    host_syscall!(libc::SYS_ioprio_get, c.i32(0), c.i32(1))
}

fn ioprio_set(c: &Ctx) -> SysResult {
    // Per-thread kernel state: see crate::host::guard::StateChange.
    let _state = crate::host::guard::StateChange::begin();
    host_syscall!(libc::SYS_ioprio_set, c.i32(0), c.i32(1), c.i32(2))
}

/// `prctl(option, arg2, arg3, arg4, arg5)`: options whose arguments are all
/// integers pass through; those that take an `int *` out-parameter in arg2
/// and PR_SET_NAME/PR_GET_NAME (a 16-byte name buffer in arg2) are checked
/// and pass through. Every other option takes pointers to structures or
/// code (PR_SET_MM, PR_SET_SECCOMP filters, PR_SET_VMA, syscall user
/// dispatch, ...) that cannot be translated safely: `EINVAL`, what Linux
/// answers for an option it does not know.
fn prctl(c: &Ctx) -> SysResult {
    // Per-thread kernel state: see crate::host::guard::StateChange.
    let _state = crate::host::guard::StateChange::begin();
    let opt = c.i32(0);
    match prctl_kind(opt, c.u64(1)) {
        PrctlArgs::Integers => {
            host_syscall!(libc::SYS_prctl, opt, c.u64(1), c.u64(2), c.u64(3), c.u64(4))
        }
        PrctlArgs::OutInt => {
            let p = c.mem.buf(guest_addr(c.u64(1))?, 4)?;
            host_syscall!(libc::SYS_prctl, opt, p, c.u64(2), c.u64(3), c.u64(4))
        }
        PrctlArgs::Name => {
            let at = guest_addr(c.u64(1))?;
            let p = c.mem.buf(at, comm_len(c, opt, at)?)?;
            host_syscall!(libc::SYS_prctl, opt, p, c.u64(2), c.u64(3), c.u64(4))
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
    c.mem.strlen(at)?;
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
