//! Files: open, read, write, seek, stat.
//!
//! Paths and buffers are guest memory checked by [`crate::mem`]; flags, modes
//! and descriptors pass through unchanged (WALI is a thin interface: the
//! guest's descriptors are the host process's descriptors).

use crate::errno::SysResult;
use crate::native::Ctx;
use crate::sys;

crate::syscall_table!(pub static SYSCALLS = {
    "read" => read,
    "write" => write,
    "open" => open,
    "openat" => openat,
    "close" => close,
    "lseek" => lseek,
    "fstat" => fstat,
    "newfstatat" => newfstatat,
});

/// Size of `struct stat` in the wasm32 view (the spec's `TypeRegistry`).
pub const GUEST_STAT_SIZE: u64 = 144;

fn read(c: &Ctx) -> SysResult {
    let (buf, len) = c.mem.stream_buf(c.addr(1), c.u32(2) as u64)?;
    sys!(libc::SYS_read, c.i32(0), buf, len)
}

fn write(c: &Ctx) -> SysResult {
    let (buf, len) = c.mem.stream_buf(c.addr(1), c.u32(2) as u64)?;
    sys!(libc::SYS_write, c.i32(0), buf, len)
}

/// `open(path, flags, mode)`: over `openat(AT_FDCWD, ...)`, which every
/// architecture has (aarch64 and riscv64 lack `open`).
fn open(c: &Ctx) -> SysResult {
    let path = c.mem.cstr(c.addr(0))?;
    sys!(libc::SYS_openat, libc::AT_FDCWD, path, c.i32(1), c.u32(2))
}

fn openat(c: &Ctx) -> SysResult {
    let path = c.mem.cstr(c.addr(1))?;
    sys!(libc::SYS_openat, c.i32(0), path, c.i32(2), c.u32(3))
}

fn close(c: &Ctx) -> SysResult {
    sys!(libc::SYS_close, c.i32(0))
}

fn lseek(c: &Ctx) -> SysResult {
    sys!(libc::SYS_lseek, c.i32(0), c.i64(1), c.i32(2))
}

fn fstat(c: &Ctx) -> SysResult {
    let st = c.mem.buf(c.addr(1), GUEST_STAT_SIZE)?;
    stat::fstatat(
        c.i32(0),
        crate::mem::HostPtr::NULL,
        st,
        libc::AT_EMPTY_PATH,
        true,
    )
}

fn newfstatat(c: &Ctx) -> SysResult {
    let path = c.mem.cstr(c.addr(1))?;
    let st = c.mem.buf(c.addr(2), GUEST_STAT_SIZE)?;
    stat::fstatat(c.i32(0), path, st, c.i32(3), false)
}

/// `struct stat` between the host kernel and the guest.
mod stat {
    use super::*;
    use crate::mem::HostPtr;

    /// On x86-64 the host's `struct stat` is the wasm32 layout byte for byte
    /// (144 bytes, same offsets), so the kernel writes the guest's buffer.
    #[cfg(target_arch = "x86_64")]
    pub fn fstatat(fd: i32, path: HostPtr, st: HostPtr, flags: i32, is_fstat: bool) -> SysResult {
        const _: () = assert!(std::mem::size_of::<libc::stat>() == GUEST_STAT_SIZE as usize);
        if is_fstat {
            sys!(libc::SYS_fstat, fd, st)
        } else {
            sys!(libc::SYS_newfstatat, fd, path, st, flags)
        }
    }

    /// Elsewhere the kernel fills a host `struct stat`, which is then written
    /// in the x86-64 layout the guest expects.
    #[cfg(not(target_arch = "x86_64"))]
    pub fn fstatat(fd: i32, path: HostPtr, st: HostPtr, flags: i32, is_fstat: bool) -> SysResult {
        compile_error!("struct stat conversion for non-x86-64 hosts is not written yet");
    }
}
