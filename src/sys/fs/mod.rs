//! Files, paths and directories: open, read, write, seek, stat, access,
//! directory and link management, permissions and owners, times, cwd,
//! directory listing, file system info, sync, allocation, copies, memfd,
//! inotify, flock.
//!
//! Paths and buffers are guest memory checked by [`crate::abi::mem`]; flags, modes
//! and descriptors pass through unchanged (WALI is a thin interface: the
//! guest's descriptors are the host process's descriptors).
//!
//! The old path calls that aarch64 and riscv64 lack (`stat`, `access`,
//! `mkdir`, `rename`, ...) are served by their `*at` forms on every
//! architecture: the kernel implements both through the same code, so the
//! results are identical.

use crate::abi::errno::{Errno, SysResult};
use crate::abi::layout;
use crate::abi::mem::{Addr, HostPtr};
use crate::ctx::Ctx;
use crate::host_syscall;

crate::syscall_table!(pub static SYSCALLS = {
    "read" => read,
    "write" => write,
    "open" => open,
    "openat" => openat,
    "close" => close,
    "lseek" => lseek,
    "fstat" => fstat,
    "newfstatat" => newfstatat,
    "stat" => stat_path,
    "lstat" => lstat,
    "statx" => statx,
    "statfs" => statfs,
    "fstatfs" => fstatfs,
    "access" => access,
    "faccessat" => faccessat,
    "faccessat2" => faccessat2,
    "mkdir" => mkdir,
    "mkdirat" => mkdirat,
    "rmdir" => rmdir,
    "unlink" => unlink,
    "unlinkat" => unlinkat,
    "rename" => rename,
    "renameat" (I32, I32, I32, I32) => renameat,
    "renameat2" => renameat2,
    "link" => link,
    "linkat" => linkat,
    "symlink" => symlink,
    "symlinkat" => symlinkat,
    "readlink" => readlink,
    "readlinkat" => readlinkat,
    "mknod" (I32, I32, I64) => mknod,
    "mknodat" (I32, I32, I32, I64) => mknodat,
    "chmod" => chmod,
    "fchmod" => fchmod,
    "fchmodat" => fchmodat,
    "chown" => chown,
    "fchown" => fchown,
    "fchownat" => fchownat,
    "lchown" (I32, I32, I32) => lchown,
    "umask" => umask,
    "truncate" (I32, I64) => truncate,
    "ftruncate" => ftruncate,
    "fallocate" (I32, I32, I64, I64) => fallocate,
    "fadvise" => fadvise,
    "utimensat" => utimensat,
    "utimes" (I32, I32) => utimes,
    "futimesat" (I32, I32, I32) => futimesat,
    "getcwd" => getcwd,
    "chdir" => chdir,
    "chroot" => chroot,
    "fchdir" => fchdir,
    "getdents64" => getdents64,
    "getdents" (I32, I32, I32) => getdents64,
    "fsync" => fsync,
    "fdatasync" => fdatasync,
    "sync" => sync,
    "syncfs" (I32) => syncfs,
    "flock" => flock,
    "copy_file_range" (I32, I32, I32, I32, I32, I32) => copy_file_range,
    "sendfile" (I32, I32, I32, I32) => sendfile,
    "memfd_create" (I32, I32) => memfd_create,
    "inotify_init" => inotify_init,
    "inotify_init1" (I32) => inotify_init1,
    "inotify_add_watch" (I32, I32, I32) => inotify_add_watch,
    "inotify_rm_watch" (I32, I32) => inotify_rm_watch,
});

/// Size of `struct stat` in the wasm32 view (the spec's `TypeRegistry`).
pub const GUEST_STAT_SIZE: u64 = layout::Stat::SIZE;

fn read(c: &Ctx) -> SysResult {
    let (buf, len) = c.mem.stream_buf(c.addr(1), c.u32(2) as u64)?;
    host_syscall!(libc::SYS_read, c.i32(0), buf, len)
}

fn write(c: &Ctx) -> SysResult {
    let (buf, len) = c.mem.stream_buf(c.addr(1), c.u32(2) as u64)?;
    host_syscall!(libc::SYS_write, c.i32(0), buf, len)
}

/// `open(path, flags, mode)`: over `openat(AT_FDCWD, ...)`, which every
/// architecture has (aarch64 and riscv64 lack `open`).
/// Every open goes through [`crate::host::guard::open`]: procfs `mem` files and
/// the engine's own files opened for writing are `EACCES`.
fn open(c: &Ctx) -> SysResult {
    let path = c.mem.cstr(c.addr(0))?;
    crate::host::guard::open(libc::AT_FDCWD, path, c.i32(1), c.u32(2))
}

fn openat(c: &Ctx) -> SysResult {
    let path = c.mem.cstr(c.addr(1))?;
    crate::host::guard::open(c.i32(0), path, c.i32(2), c.u32(3))
}

fn close(c: &Ctx) -> SysResult {
    host_syscall!(libc::SYS_close, c.i32(0))
}

fn lseek(c: &Ctx) -> SysResult {
    host_syscall!(libc::SYS_lseek, c.i32(0), c.i64(1), c.i32(2))
}

// ---------------------------------------------------------------------------
// stat and friends

fn fstat(c: &Ctx) -> SysResult {
    stat::fstat(c, c.i32(0), c.addr(1))
}

fn newfstatat(c: &Ctx) -> SysResult {
    let path = c.mem.cstr(c.addr(1))?;
    stat::fstatat(c, c.i32(0), path, c.addr(2), c.i32(3))
}

/// `stat(path, buf)` is `newfstatat(AT_FDCWD, path, buf, 0)`.
fn stat_path(c: &Ctx) -> SysResult {
    let path = c.mem.cstr(c.addr(0))?;
    stat::fstatat(c, libc::AT_FDCWD, path, c.addr(1), 0)
}

/// `lstat(path, buf)` is `newfstatat(AT_FDCWD, path, buf, AT_SYMLINK_NOFOLLOW)`.
fn lstat(c: &Ctx) -> SysResult {
    let path = c.mem.cstr(c.addr(0))?;
    stat::fstatat(
        c,
        libc::AT_FDCWD,
        path,
        c.addr(1),
        libc::AT_SYMLINK_NOFOLLOW,
    )
}

/// `struct statx`: 256 bytes, architecture-independent, so it passes
/// through everywhere.
const STATX_SIZE: u64 = layout::Statx::SIZE;

fn statx(c: &Ctx) -> SysResult {
    let path = c.mem.cstr(c.addr(1))?;
    let buf = c.mem.buf(c.addr(4), STATX_SIZE)?;
    host_syscall!(libc::SYS_statx, c.i32(0), path, c.i32(2), c.u32(3), buf)
}

/// `struct statfs`: 120 bytes of 64-bit words in wasm32, on x86-64 and in
/// the generic layout of aarch64 and riscv64 alike, so it passes through.
const STATFS_SIZE: u64 = layout::Statfs::SIZE;

fn statfs(c: &Ctx) -> SysResult {
    let path = c.mem.cstr(c.addr(0))?;
    let buf = c.mem.buf(c.addr(1), STATFS_SIZE)?;
    host_syscall!(libc::SYS_statfs, path, buf)
}

fn fstatfs(c: &Ctx) -> SysResult {
    let buf = c.mem.buf(c.addr(1), STATFS_SIZE)?;
    host_syscall!(libc::SYS_fstatfs, c.i32(0), buf)
}

// ---------------------------------------------------------------------------
// Access checks

/// `access(path, mode)` is `faccessat(AT_FDCWD, path, mode)`.
fn access(c: &Ctx) -> SysResult {
    let path = c.mem.cstr(c.addr(0))?;
    host_syscall!(libc::SYS_faccessat, libc::AT_FDCWD, path, c.i32(1))
}

/// The `faccessat` syscall has no flags argument (the libc emulates them);
/// the guest's fourth argument is passed and ignored as on Linux.
fn faccessat(c: &Ctx) -> SysResult {
    let path = c.mem.cstr(c.addr(1))?;
    host_syscall!(libc::SYS_faccessat, c.i32(0), path, c.i32(2), c.i32(3))
}

fn faccessat2(c: &Ctx) -> SysResult {
    let path = c.mem.cstr(c.addr(1))?;
    host_syscall!(libc::SYS_faccessat2, c.i32(0), path, c.i32(2), c.i32(3))
}

// ---------------------------------------------------------------------------
// Directories, names and links

fn mkdir(c: &Ctx) -> SysResult {
    let path = c.mem.cstr(c.addr(0))?;
    host_syscall!(libc::SYS_mkdirat, libc::AT_FDCWD, path, c.u32(1))
}

fn mkdirat(c: &Ctx) -> SysResult {
    let path = c.mem.cstr(c.addr(1))?;
    host_syscall!(libc::SYS_mkdirat, c.i32(0), path, c.u32(2))
}

fn rmdir(c: &Ctx) -> SysResult {
    let path = c.mem.cstr(c.addr(0))?;
    host_syscall!(libc::SYS_unlinkat, libc::AT_FDCWD, path, libc::AT_REMOVEDIR)
}

fn unlink(c: &Ctx) -> SysResult {
    let path = c.mem.cstr(c.addr(0))?;
    host_syscall!(libc::SYS_unlinkat, libc::AT_FDCWD, path, 0)
}

fn unlinkat(c: &Ctx) -> SysResult {
    let path = c.mem.cstr(c.addr(1))?;
    host_syscall!(libc::SYS_unlinkat, c.i32(0), path, c.i32(2))
}

/// `rename` and `renameat` are `renameat2` with no flags (riscv64 has
/// neither of the older two).
fn rename(c: &Ctx) -> SysResult {
    let old = c.mem.cstr(c.addr(0))?;
    let new = c.mem.cstr(c.addr(1))?;
    host_syscall!(
        libc::SYS_renameat2,
        libc::AT_FDCWD,
        old,
        libc::AT_FDCWD,
        new,
        0
    )
}

fn renameat(c: &Ctx) -> SysResult {
    let old = c.mem.cstr(c.addr(1))?;
    let new = c.mem.cstr(c.addr(3))?;
    host_syscall!(libc::SYS_renameat2, c.i32(0), old, c.i32(2), new, 0)
}

fn renameat2(c: &Ctx) -> SysResult {
    let old = c.mem.cstr(c.addr(1))?;
    let new = c.mem.cstr(c.addr(3))?;
    host_syscall!(libc::SYS_renameat2, c.i32(0), old, c.i32(2), new, c.u32(4))
}

fn link(c: &Ctx) -> SysResult {
    let old = c.mem.cstr(c.addr(0))?;
    let new = c.mem.cstr(c.addr(1))?;
    host_syscall!(
        libc::SYS_linkat,
        libc::AT_FDCWD,
        old,
        libc::AT_FDCWD,
        new,
        0
    )
}

fn linkat(c: &Ctx) -> SysResult {
    let old = c.mem.cstr(c.addr(1))?;
    let new = c.mem.cstr(c.addr(3))?;
    host_syscall!(libc::SYS_linkat, c.i32(0), old, c.i32(2), new, c.i32(4))
}

fn symlink(c: &Ctx) -> SysResult {
    let target = c.mem.cstr(c.addr(0))?;
    let path = c.mem.cstr(c.addr(1))?;
    host_syscall!(libc::SYS_symlinkat, target, libc::AT_FDCWD, path)
}

fn symlinkat(c: &Ctx) -> SysResult {
    let target = c.mem.cstr(c.addr(0))?;
    let path = c.mem.cstr(c.addr(2))?;
    host_syscall!(libc::SYS_symlinkat, target, c.i32(1), path)
}

/// The link text is a byte stream: a buffer running off the end of memory
/// receives its accessible prefix.
fn readlink_in(c: &Ctx, dirfd: i32, path: Addr, buf: Addr, size: u32) -> SysResult {
    let path = c.mem.cstr(path)?;
    let (buf, len) = c.mem.stream_buf(buf, size as u64)?;
    host_syscall!(libc::SYS_readlinkat, dirfd, path, buf, len)
}

fn readlink(c: &Ctx) -> SysResult {
    readlink_in(c, libc::AT_FDCWD, c.addr(0), c.addr(1), c.u32(2))
}

fn readlinkat(c: &Ctx) -> SysResult {
    readlink_in(c, c.i32(0), c.addr(1), c.addr(2), c.u32(3))
}

/// `mknod(path, mode, dev)`: `dev_t` is 64-bit in wasm32 and for the kernel.
fn mknod(c: &Ctx) -> SysResult {
    let path = c.mem.cstr(c.addr(0))?;
    host_syscall!(libc::SYS_mknodat, libc::AT_FDCWD, path, c.u32(1), c.u64(2))
}

fn mknodat(c: &Ctx) -> SysResult {
    let path = c.mem.cstr(c.addr(1))?;
    host_syscall!(libc::SYS_mknodat, c.i32(0), path, c.u32(2), c.u64(3))
}

// ---------------------------------------------------------------------------
// Permissions and owners

fn chmod(c: &Ctx) -> SysResult {
    let path = c.mem.cstr(c.addr(0))?;
    host_syscall!(libc::SYS_fchmodat, libc::AT_FDCWD, path, c.u32(1))
}

fn fchmod(c: &Ctx) -> SysResult {
    host_syscall!(libc::SYS_fchmod, c.i32(0), c.u32(1))
}

/// The `fchmodat` syscall has no flags argument; passed and ignored.
fn fchmodat(c: &Ctx) -> SysResult {
    let path = c.mem.cstr(c.addr(1))?;
    host_syscall!(libc::SYS_fchmodat, c.i32(0), path, c.u32(2), c.i32(3))
}

fn chown(c: &Ctx) -> SysResult {
    let path = c.mem.cstr(c.addr(0))?;
    host_syscall!(
        libc::SYS_fchownat,
        libc::AT_FDCWD,
        path,
        c.u32(1),
        c.u32(2),
        0
    )
}

fn lchown(c: &Ctx) -> SysResult {
    let path = c.mem.cstr(c.addr(0))?;
    let nofollow = libc::AT_SYMLINK_NOFOLLOW;
    host_syscall!(
        libc::SYS_fchownat,
        libc::AT_FDCWD,
        path,
        c.u32(1),
        c.u32(2),
        nofollow
    )
}

fn fchown(c: &Ctx) -> SysResult {
    host_syscall!(libc::SYS_fchown, c.i32(0), c.u32(1), c.u32(2))
}

fn fchownat(c: &Ctx) -> SysResult {
    let path = c.mem.cstr(c.addr(1))?;
    host_syscall!(
        libc::SYS_fchownat,
        c.i32(0),
        path,
        c.u32(2),
        c.u32(3),
        c.i32(4)
    )
}

fn umask(c: &Ctx) -> SysResult {
    host_syscall!(libc::SYS_umask, c.u32(0))
}

// ---------------------------------------------------------------------------
// Sizes and allocation

/// Truncating a file the engine runs from would fault its code pages:
/// `EACCES` (see [`crate::host::guard`]).
fn truncate(c: &Ctx) -> SysResult {
    let path = c.mem.cstr(c.addr(0))?;
    crate::host::guard::refuse_engine_path(libc::AT_FDCWD, path, 0)?;
    host_syscall!(libc::SYS_truncate, path, c.i64(1))
}

fn ftruncate(c: &Ctx) -> SysResult {
    host_syscall!(libc::SYS_ftruncate, c.i32(0), c.i64(1))
}

fn fallocate(c: &Ctx) -> SysResult {
    host_syscall!(libc::SYS_fallocate, c.i32(0), c.i32(1), c.i64(2), c.i64(3))
}

/// `fadvise` is the kernel's `fadvise64` (one 64-bit offset and length on
/// every 64-bit architecture).
fn fadvise(c: &Ctx) -> SysResult {
    host_syscall!(libc::SYS_fadvise64, c.i32(0), c.i64(1), c.i64(2), c.i32(3))
}

// ---------------------------------------------------------------------------
// Times

/// `struct timespec[2]` and `struct timeval[2]`: 32 bytes, the same layout
/// in wasm32 and on every 64-bit host.
const TIME_PAIR_SIZE: u64 = 2 * layout::Timespec::SIZE;

fn utimensat(c: &Ctx) -> SysResult {
    let path = c.mem.cstr(c.addr(1))?;
    let times = c.mem.buf(c.addr(2), TIME_PAIR_SIZE)?;
    host_syscall!(libc::SYS_utimensat, c.i32(0), path, times, c.i32(3))
}

fn utimes(c: &Ctx) -> SysResult {
    let path = c.mem.cstr(c.addr(0))?;
    times::futimesat(c, libc::AT_FDCWD, path, c.addr(1))
}

fn futimesat(c: &Ctx) -> SysResult {
    let path = c.mem.cstr(c.addr(1))?;
    times::futimesat(c, c.i32(0), path, c.addr(2))
}

/// `utimes`/`futimesat` take microsecond `timeval`s.
mod times {
    use super::*;

    /// x86-64 has `futimesat`; the guest's timevals pass through.
    #[cfg(target_arch = "x86_64")]
    pub fn futimesat(c: &Ctx, dirfd: i32, path: HostPtr, tv: Addr) -> SysResult {
        let tv = c.mem.buf(tv, TIME_PAIR_SIZE)?;
        host_syscall!(libc::SYS_futimesat, dirfd, path, tv)
    }

    /// Elsewhere: `utimensat` with the times in nanoseconds, after the
    /// range check Linux makes on microseconds.
    #[cfg(not(target_arch = "x86_64"))]
    pub fn futimesat(c: &Ctx, dirfd: i32, path: HostPtr, tv: Addr) -> SysResult {
        if tv == 0 {
            return host_syscall!(libc::SYS_utimensat, dirfd, path, HostPtr::NULL, 0);
        }
        let mut ts = [0i64; 4];
        // Both timevals in one read.
        let pair: [layout::Timeval; 2] = c.mem.read(tv)?;
        for (i, t) in pair.iter().enumerate() {
            let (sec, usec) = (t.tv_sec, t.tv_usec);
            if !(0..1_000_000).contains(&usec) {
                return Err(Errno::EINVAL);
            }
            ts[2 * i] = sec;
            ts[2 * i + 1] = usec * 1000;
        }
        host_syscall!(
            libc::SYS_utimensat,
            dirfd,
            path,
            HostPtr::to_host(&mut ts),
            0
        )
    }
}

// ---------------------------------------------------------------------------
// Working directory and directory listing

/// `getcwd(buf, size)`: a buffer running off the end of memory offers its
/// accessible prefix; if the path did not fit only because of that, the
/// answer is `EFAULT` (Linux faults copying it), not `ERANGE`.
fn getcwd(c: &Ctx) -> SysResult {
    let size = c.u32(1) as u64;
    let (buf, len) = c.mem.stream_buf(c.addr(0), size)?;
    match host_syscall!(libc::SYS_getcwd, buf, len) {
        Err(e) if e == Errno::ERANGE && len < size => Err(Errno::EFAULT),
        r => r,
    }
}

fn chdir(c: &Ctx) -> SysResult {
    let path = c.mem.cstr(c.addr(0))?;
    host_syscall!(libc::SYS_chdir, path)
}

/// `chroot(path)`: the host's own call. What the engine needs from the old
/// root afterwards is kept first: a procfs descriptor for the checks of
/// [`crate::host::guard`] and a descriptor of its executable for `execve` of a
/// module (see [`crate::sys::process`]).
fn chroot(c: &Ctx) -> SysResult {
    let path = c.mem.cstr(c.addr(0))?;
    crate::host::guard::keep_proc_root();
    crate::host::guard::keep_engine_exe();
    host_syscall!(libc::SYS_chroot, path)
}

fn fchdir(c: &Ctx) -> SysResult {
    host_syscall!(libc::SYS_fchdir, c.i32(0))
}

/// `getdents64` (and its alias `getdents`): the wasm32 `struct dirent`
/// (`d_ino` 8, `d_off` 8, `d_reclen` 2, `d_type` 1, `d_name`) is the
/// kernel's `linux_dirent64` on every architecture, so entries pass
/// through; the buffer offers its accessible prefix.
fn getdents64(c: &Ctx) -> SysResult {
    let (buf, len) = c.mem.stream_buf(c.addr(1), c.u32(2) as u64)?;
    host_syscall!(libc::SYS_getdents64, c.i32(0), buf, len)
}

// ---------------------------------------------------------------------------
// Synchronisation and locks

fn fsync(c: &Ctx) -> SysResult {
    host_syscall!(libc::SYS_fsync, c.i32(0))
}

fn fdatasync(c: &Ctx) -> SysResult {
    host_syscall!(libc::SYS_fdatasync, c.i32(0))
}

fn sync(_c: &Ctx) -> SysResult {
    host_syscall!(libc::SYS_sync)
}

fn syncfs(c: &Ctx) -> SysResult {
    host_syscall!(libc::SYS_syncfs, c.i32(0))
}

fn flock(c: &Ctx) -> SysResult {
    host_syscall!(libc::SYS_flock, c.i32(0), c.i32(1))
}

// ---------------------------------------------------------------------------
// In-kernel copies

/// A `loff_t *` in-out offset (8 bytes, same layout) or NULL.
fn offset_ptr(c: &Ctx, i: usize) -> Result<HostPtr, Errno> {
    c.mem.buf(c.addr(i), 8)
}

fn copy_file_range(c: &Ctx) -> SysResult {
    let off_in = offset_ptr(c, 1)?;
    let off_out = offset_ptr(c, 3)?;
    let (fd_in, fd_out, len, flags) = (c.i32(0), c.i32(2), c.u32(4), c.u32(5));
    host_syscall!(
        libc::SYS_copy_file_range,
        fd_in,
        off_in,
        fd_out,
        off_out,
        len,
        flags
    )
}

fn sendfile(c: &Ctx) -> SysResult {
    let off = offset_ptr(c, 2)?;
    host_syscall!(libc::SYS_sendfile, c.i32(0), c.i32(1), off, c.u32(3))
}

// ---------------------------------------------------------------------------
// memfd and inotify

fn memfd_create(c: &Ctx) -> SysResult {
    let name = c.mem.cstr(c.addr(0))?;
    host_syscall!(libc::SYS_memfd_create, name, c.u32(1))
}

/// `inotify_init()` is `inotify_init1(0)` on every architecture.
fn inotify_init(_c: &Ctx) -> SysResult {
    host_syscall!(libc::SYS_inotify_init1, 0)
}

fn inotify_init1(c: &Ctx) -> SysResult {
    host_syscall!(libc::SYS_inotify_init1, c.i32(0))
}

fn inotify_add_watch(c: &Ctx) -> SysResult {
    let path = c.mem.cstr(c.addr(1))?;
    host_syscall!(libc::SYS_inotify_add_watch, c.i32(0), path, c.u32(2))
}

fn inotify_rm_watch(c: &Ctx) -> SysResult {
    host_syscall!(libc::SYS_inotify_rm_watch, c.i32(0), c.i32(1))
}

// ---------------------------------------------------------------------------

/// `struct stat` between the host kernel and the guest.
mod stat {
    use super::*;

    /// On x86-64 the host's `struct stat` is the wasm32 layout byte for byte
    /// (144 bytes, same offsets), so the kernel writes the guest's buffer.
    #[cfg(target_arch = "x86_64")]
    mod host {
        use super::*;
        const _: () = assert!(std::mem::size_of::<libc::stat>() == GUEST_STAT_SIZE as usize);

        pub fn fstat(c: &Ctx, fd: i32, st: Addr) -> SysResult {
            let st = c.mem.buf(st, GUEST_STAT_SIZE)?;
            host_syscall!(libc::SYS_fstat, fd, st)
        }

        pub fn fstatat(c: &Ctx, fd: i32, path: HostPtr, st: Addr, flags: i32) -> SysResult {
            let st = c.mem.buf(st, GUEST_STAT_SIZE)?;
            host_syscall!(libc::SYS_newfstatat, fd, path, st, flags)
        }
    }

    /// Elsewhere (aarch64, riscv64) the kernel fills its generic
    /// `struct stat`, which is then written in the x86-64 layout.
    #[cfg(not(target_arch = "x86_64"))]
    mod host {
        use super::*;

        pub fn fstat(c: &Ctx, fd: i32, st: Addr) -> SysResult {
            c.mem.check(st, GUEST_STAT_SIZE)?;
            let mut gen = [0u8; GENERIC_STAT_SIZE];
            let r = host_syscall!(libc::SYS_fstat, fd, HostPtr::to_host(&mut gen))?;
            c.mem.write(st, generic_to_guest(&gen))?;
            Ok(r)
        }

        pub fn fstatat(c: &Ctx, fd: i32, path: HostPtr, st: Addr, flags: i32) -> SysResult {
            c.mem.check(st, GUEST_STAT_SIZE)?;
            let mut gen = [0u8; GENERIC_STAT_SIZE];
            let gp = HostPtr::to_host(&mut gen);
            let r = host_syscall!(libc::SYS_newfstatat, fd, path, gp, flags)?;
            c.mem.write(st, generic_to_guest(&gen))?;
            Ok(r)
        }
    }

    pub fn fstat(c: &Ctx, fd: i32, st: Addr) -> SysResult {
        host::fstat(c, fd, st)
    }

    pub fn fstatat(c: &Ctx, fd: i32, path: HostPtr, st: Addr, flags: i32) -> SysResult {
        host::fstatat(c, fd, path, st, flags)
    }

    /// Size of the generic (asm-generic) `struct stat` of aarch64/riscv64.
    #[cfg_attr(target_arch = "x86_64", allow(dead_code))]
    pub const GENERIC_STAT_SIZE: usize = 128;

    /// Converts the host kernel's generic `struct stat` (asm-generic, the
    /// host's layout on aarch64/riscv64: dev 0 (u64), ino 8 (u64), mode 16
    /// (u32), nlink 20 (u32), uid 24, gid 28, rdev 32 (u64), size 48,
    /// blksize 56 (i32), blocks 64, atime 72/80, mtime 88/96, ctime
    /// 104/112 (i64 pairs)) to the guest's [`layout::Stat`] (x86-64).
    #[cfg_attr(target_arch = "x86_64", allow(dead_code))]
    pub fn generic_to_guest(g: &[u8; GENERIC_STAT_SIZE]) -> layout::Stat {
        let u32_at = |o: usize| u32::from_ne_bytes([g[o], g[o + 1], g[o + 2], g[o + 3]]);
        let u64_at = |o: usize| u64::from_ne_bytes(std::array::from_fn(|i| g[o + i]));
        let i64_at = |o: usize| u64_at(o) as i64;
        let ts = |o: usize| layout::Timespec {
            tv_sec: i64_at(o),
            tv_nsec: i64_at(o + 8),
        };
        layout::Stat {
            st_dev: u64_at(0),
            st_ino: u64_at(8),
            st_nlink: u32_at(20) as u64,
            st_mode: u32_at(16),
            st_uid: u32_at(24),
            st_gid: u32_at(28),
            pad0: 0,
            st_rdev: u64_at(32),
            st_size: i64_at(48),
            st_blksize: u32_at(56) as i32 as i64,
            st_blocks: i64_at(64),
            st_atim: ts(72),
            st_mtim: ts(88),
            st_ctim: ts(104),
            unused: [0; 3],
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn generic_stat_layout_converts() {
            let mut g = [0u8; GENERIC_STAT_SIZE];
            let mut put = |o: usize, b: &[u8]| g[o..o + b.len()].copy_from_slice(b);
            put(0, &1u64.to_ne_bytes());
            put(8, &2u64.to_ne_bytes());
            put(16, &0o100644u32.to_ne_bytes());
            put(20, &3u32.to_ne_bytes());
            put(24, &4u32.to_ne_bytes());
            put(28, &5u32.to_ne_bytes());
            put(32, &6u64.to_ne_bytes());
            put(48, &7i64.to_ne_bytes());
            put(56, &4096i32.to_ne_bytes());
            put(64, &9i64.to_ne_bytes());
            put(72, &10i64.to_ne_bytes());
            put(112, &11i64.to_ne_bytes());
            // Field by field; layout.rs holds each field at the spec's
            // offset.
            let o = generic_to_guest(&g);
            assert_eq!((o.st_dev, o.st_ino, o.st_nlink), (1, 2, 3));
            assert_eq!((o.st_mode, o.st_uid, o.st_gid), (0o100644, 4, 5));
            assert_eq!((o.st_rdev, o.st_size, o.st_blksize), (6, 7, 4096));
            assert_eq!(o.st_blocks, 9);
            assert_eq!(o.st_atim.tv_sec, 10);
            assert_eq!(o.st_ctim.tv_nsec, 11);
            assert_eq!((o.pad0, o.unused), (0, [0; 3]));
        }
    }
}
