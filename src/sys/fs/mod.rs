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

use crate::abi::args;
use crate::abi::errno::{Errno, SysResult};
use crate::abi::layout;
use crate::abi::mem::{Addr, HostPtr};
use crate::ctx::Ctx;
use crate::host_syscall;

/// Size of `struct stat` in the wasm32 view (the spec's `TypeRegistry`).
pub const GUEST_STAT_SIZE: u64 = layout::Stat::SIZE;

/// `open(path, flags, mode)`: over `openat(AT_FDCWD, ...)`, which every
/// architecture has (aarch64 and riscv64 lack `open`).
/// Every open goes through [`crate::host::guard::open`]: procfs `mem` files and
/// the engine's own files opened for writing are `EACCES`.
pub fn open(c: &Ctx, a: args::Open) -> SysResult {
    let path = c.mem.cstr(a.pathname)?;
    crate::host::guard::open(libc::AT_FDCWD, path, a.flags, a.mode)
}

pub fn openat(c: &Ctx, a: args::Openat) -> SysResult {
    let path = c.mem.cstr(a.pathname)?;
    crate::host::guard::open(a.dirfd, path, a.flags, a.mode)
}

// ---------------------------------------------------------------------------
// stat and friends

pub fn fstat(c: &Ctx, a: args::Fstat) -> SysResult {
    stat::fstat(c, a.fd, a.statbuf)
}

pub fn newfstatat(c: &Ctx, a: args::Newfstatat) -> SysResult {
    let path = c.mem.cstr(a.pathname)?;
    stat::fstatat(c, a.dirfd, path, a.statbuf, a.flags)
}

/// `stat(path, buf)` is `newfstatat(AT_FDCWD, path, buf, 0)`.
pub fn stat_path(c: &Ctx, a: args::Stat) -> SysResult {
    let path = c.mem.cstr(a.pathname)?;
    stat::fstatat(c, libc::AT_FDCWD, path, a.statbuf, 0)
}

/// `lstat(path, buf)` is `newfstatat(AT_FDCWD, path, buf, AT_SYMLINK_NOFOLLOW)`.
pub fn lstat(c: &Ctx, a: args::Lstat) -> SysResult {
    let path = c.mem.cstr(a.pathname)?;
    stat::fstatat(
        c,
        libc::AT_FDCWD,
        path,
        a.statbuf,
        libc::AT_SYMLINK_NOFOLLOW,
    )
}

/// `struct statx`: 256 bytes, architecture-independent, so it passes
/// through everywhere.
const STATX_SIZE: u64 = layout::Statx::SIZE;

pub fn statx(c: &Ctx, a: args::Statx) -> SysResult {
    let path = c.mem.cstr(a.pathname)?;
    let buf = c.mem.buf(a.statxbuf, STATX_SIZE)?;
    host_syscall!(libc::SYS_statx, a.dirfd, path, a.flags, a.mask, buf)
}

/// `struct statfs`: 120 bytes of 64-bit words in wasm32, on x86-64 and in
/// the generic layout of aarch64 and riscv64 alike, so it passes through.
const STATFS_SIZE: u64 = layout::Statfs::SIZE;

pub fn statfs(c: &Ctx, a: args::Statfs) -> SysResult {
    let path = c.mem.cstr(a.path)?;
    let buf = c.mem.buf(a.buf, STATFS_SIZE)?;
    host_syscall!(libc::SYS_statfs, path, buf)
}

pub fn fstatfs(c: &Ctx, a: args::Fstatfs) -> SysResult {
    let buf = c.mem.buf(a.buf, STATFS_SIZE)?;
    host_syscall!(libc::SYS_fstatfs, a.fd, buf)
}

// ---------------------------------------------------------------------------
// Access checks

/// `access(path, mode)` is `faccessat(AT_FDCWD, path, mode)`.
pub fn access(c: &Ctx, a: args::Access) -> SysResult {
    let path = c.mem.cstr(a.pathname)?;
    host_syscall!(libc::SYS_faccessat, libc::AT_FDCWD, path, a.mode)
}

/// The `faccessat` syscall has no flags argument (the libc emulates them);
/// the guest's fourth argument is passed and ignored as on Linux.
pub fn faccessat(c: &Ctx, a: args::Faccessat) -> SysResult {
    let path = c.mem.cstr(a.pathname)?;
    host_syscall!(libc::SYS_faccessat, a.dirfd, path, a.mode, a.flags)
}

pub fn faccessat2(c: &Ctx, a: args::Faccessat2) -> SysResult {
    let path = c.mem.cstr(a.pathname)?;
    host_syscall!(libc::SYS_faccessat2, a.dirfd, path, a.mode, a.flags)
}

// ---------------------------------------------------------------------------
// Directories, names and links

pub fn mkdir(c: &Ctx, a: args::Mkdir) -> SysResult {
    let path = c.mem.cstr(a.pathname)?;
    host_syscall!(libc::SYS_mkdirat, libc::AT_FDCWD, path, a.mode)
}

pub fn mkdirat(c: &Ctx, a: args::Mkdirat) -> SysResult {
    let path = c.mem.cstr(a.pathname)?;
    host_syscall!(libc::SYS_mkdirat, a.dirfd, path, a.mode)
}

pub fn rmdir(c: &Ctx, a: args::Rmdir) -> SysResult {
    let path = c.mem.cstr(a.pathname)?;
    host_syscall!(libc::SYS_unlinkat, libc::AT_FDCWD, path, libc::AT_REMOVEDIR)
}

pub fn unlink(c: &Ctx, a: args::Unlink) -> SysResult {
    let path = c.mem.cstr(a.pathname)?;
    host_syscall!(libc::SYS_unlinkat, libc::AT_FDCWD, path, 0)
}

pub fn unlinkat(c: &Ctx, a: args::Unlinkat) -> SysResult {
    let path = c.mem.cstr(a.pathname)?;
    host_syscall!(libc::SYS_unlinkat, a.dirfd, path, a.flags)
}

/// `rename` and `renameat` are `renameat2` with no flags (riscv64 has
/// neither of the older two).
pub fn rename(c: &Ctx, a: args::Rename) -> SysResult {
    let old = c.mem.cstr(a.oldpath)?;
    let new = c.mem.cstr(a.newpath)?;
    host_syscall!(
        libc::SYS_renameat2,
        libc::AT_FDCWD,
        old,
        libc::AT_FDCWD,
        new,
        0
    )
}

pub fn renameat(c: &Ctx, a: args::Renameat) -> SysResult {
    let old = c.mem.cstr(a.oldpath)?;
    let new = c.mem.cstr(a.newpath)?;
    host_syscall!(libc::SYS_renameat2, a.olddirfd, old, a.newdirfd, new, 0)
}

pub fn renameat2(c: &Ctx, a: args::Renameat2) -> SysResult {
    let old = c.mem.cstr(a.oldpath)?;
    let new = c.mem.cstr(a.newpath)?;
    host_syscall!(
        libc::SYS_renameat2,
        a.olddirfd,
        old,
        a.newdirfd,
        new,
        a.flags as u32
    )
}

pub fn link(c: &Ctx, a: args::Link) -> SysResult {
    let old = c.mem.cstr(a.oldpath)?;
    let new = c.mem.cstr(a.newpath)?;
    host_syscall!(
        libc::SYS_linkat,
        libc::AT_FDCWD,
        old,
        libc::AT_FDCWD,
        new,
        0
    )
}

pub fn linkat(c: &Ctx, a: args::Linkat) -> SysResult {
    let old = c.mem.cstr(a.oldpath)?;
    let new = c.mem.cstr(a.newpath)?;
    host_syscall!(libc::SYS_linkat, a.olddirfd, old, a.newdirfd, new, a.flags)
}

pub fn symlink(c: &Ctx, a: args::Symlink) -> SysResult {
    let target = c.mem.cstr(a.target)?;
    let path = c.mem.cstr(a.linkpath)?;
    host_syscall!(libc::SYS_symlinkat, target, libc::AT_FDCWD, path)
}

pub fn symlinkat(c: &Ctx, a: args::Symlinkat) -> SysResult {
    let target = c.mem.cstr(a.target)?;
    let path = c.mem.cstr(a.linkpath)?;
    host_syscall!(libc::SYS_symlinkat, target, a.newdirfd, path)
}

/// The link text is a byte stream: a buffer running off the end of memory
/// receives its accessible prefix.
fn readlink_in(c: &Ctx, dirfd: i32, path: Addr, buf: Addr, size: u32) -> SysResult {
    let path = c.mem.cstr(path)?;
    let (buf, len) = c.mem.stream_buf(buf, size as u64)?;
    host_syscall!(libc::SYS_readlinkat, dirfd, path, buf, len)
}

pub fn readlink(c: &Ctx, a: args::Readlink) -> SysResult {
    readlink_in(c, libc::AT_FDCWD, a.pathname, a.buf, a.bufsiz)
}

pub fn readlinkat(c: &Ctx, a: args::Readlinkat) -> SysResult {
    readlink_in(c, a.dirfd, a.pathname, a.buf, a.bufsiz)
}

/// `mknod(path, mode, dev)`: `dev_t` is 64-bit in wasm32 and for the kernel.
pub fn mknod(c: &Ctx, a: args::Mknod) -> SysResult {
    let path = c.mem.cstr(a.pathname)?;
    host_syscall!(libc::SYS_mknodat, libc::AT_FDCWD, path, a.mode, a.dev)
}

pub fn mknodat(c: &Ctx, a: args::Mknodat) -> SysResult {
    let path = c.mem.cstr(a.pathname)?;
    host_syscall!(libc::SYS_mknodat, a.dirfd, path, a.mode, a.dev)
}

// ---------------------------------------------------------------------------
// Permissions and owners

pub fn chmod(c: &Ctx, a: args::Chmod) -> SysResult {
    let path = c.mem.cstr(a.pathname)?;
    host_syscall!(libc::SYS_fchmodat, libc::AT_FDCWD, path, a.mode)
}

pub fn fchmod(_c: &Ctx, a: args::Fchmod) -> SysResult {
    host_syscall!(libc::SYS_fchmod, a.fd, a.mode)
}

/// The `fchmodat` syscall has no flags argument; passed and ignored.
pub fn fchmodat(c: &Ctx, a: args::Fchmodat) -> SysResult {
    let path = c.mem.cstr(a.pathname)?;
    host_syscall!(libc::SYS_fchmodat, a.dirfd, path, a.mode, a.flags)
}

pub fn chown(c: &Ctx, a: args::Chown) -> SysResult {
    let path = c.mem.cstr(a.pathname)?;
    host_syscall!(
        libc::SYS_fchownat,
        libc::AT_FDCWD,
        path,
        a.owner,
        a.group,
        0
    )
}

pub fn lchown(c: &Ctx, a: args::Lchown) -> SysResult {
    let path = c.mem.cstr(a.pathname)?;
    let nofollow = libc::AT_SYMLINK_NOFOLLOW;
    host_syscall!(
        libc::SYS_fchownat,
        libc::AT_FDCWD,
        path,
        a.owner,
        a.group,
        nofollow
    )
}

pub fn fchown(_c: &Ctx, a: args::Fchown) -> SysResult {
    host_syscall!(libc::SYS_fchown, a.fd, a.owner, a.group)
}

pub fn fchownat(c: &Ctx, a: args::Fchownat) -> SysResult {
    let path = c.mem.cstr(a.pathname)?;
    host_syscall!(libc::SYS_fchownat, a.dirfd, path, a.owner, a.group, a.flags)
}

pub fn umask(_c: &Ctx, a: args::Umask) -> SysResult {
    host_syscall!(libc::SYS_umask, a.mask)
}

// ---------------------------------------------------------------------------
// Sizes and allocation

/// Truncating a file the engine runs from would fault its code pages:
/// `EACCES` (see [`crate::host::guard`]).
pub fn truncate(c: &Ctx, a: args::Truncate) -> SysResult {
    let path = c.mem.cstr(a.path)?;
    crate::host::guard::refuse_engine_path(libc::AT_FDCWD, path, 0)?;
    host_syscall!(libc::SYS_truncate, path, a.length)
}

pub fn ftruncate(_c: &Ctx, a: args::Ftruncate) -> SysResult {
    host_syscall!(libc::SYS_ftruncate, a.fd, a.length)
}

pub fn fallocate(_c: &Ctx, a: args::Fallocate) -> SysResult {
    host_syscall!(libc::SYS_fallocate, a.fd, a.mode, a.offset, a.len)
}

/// `fadvise` is the kernel's `fadvise64` (one 64-bit offset and length on
/// every 64-bit architecture).
pub fn fadvise(_c: &Ctx, a: args::Fadvise) -> SysResult {
    host_syscall!(libc::SYS_fadvise64, a.fd, a.offset, a.len, a.advice)
}

// ---------------------------------------------------------------------------
// Times

/// `struct timespec[2]` and `struct timeval[2]`: 32 bytes, the same layout
/// in wasm32 and on every 64-bit host.
const TIME_PAIR_SIZE: u64 = 2 * layout::Timespec::SIZE;

pub fn utimensat(c: &Ctx, a: args::Utimensat) -> SysResult {
    let path = c.mem.cstr(a.pathname)?;
    let times = c.mem.buf(a.times, TIME_PAIR_SIZE)?;
    host_syscall!(libc::SYS_utimensat, a.dirfd, path, times, a.flags)
}

pub fn utimes(c: &Ctx, a: args::Utimes) -> SysResult {
    let path = c.mem.cstr(a.filename)?;
    times::futimesat(c, libc::AT_FDCWD, path, a.times)
}

pub fn futimesat(c: &Ctx, a: args::Futimesat) -> SysResult {
    let path = c.mem.cstr(a.pathname)?;
    times::futimesat(c, a.dirfd, path, a.times)
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
        if tv.is_null() {
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
pub fn getcwd(c: &Ctx, a: args::Getcwd) -> SysResult {
    let size = a.size as u64;
    let (buf, len) = c.mem.stream_buf(a.buf, size)?;
    match host_syscall!(libc::SYS_getcwd, buf, len) {
        Err(e) if e == Errno::ERANGE && len < size => Err(Errno::EFAULT),
        r => r,
    }
}

pub fn chdir(c: &Ctx, a: args::Chdir) -> SysResult {
    let path = c.mem.cstr(a.path)?;
    host_syscall!(libc::SYS_chdir, path)
}

/// `chroot(path)`: the host's own call. What the engine needs from the old
/// root afterwards is kept first: a procfs descriptor for the checks of
/// [`crate::host::guard`] and a descriptor of its executable for `execve` of a
/// module (see [`crate::sys::process`]).
pub fn chroot(c: &Ctx, a: args::Chroot) -> SysResult {
    let path = c.mem.cstr(a.path)?;
    crate::host::guard::keep_proc_root();
    crate::host::guard::keep_engine_exe();
    host_syscall!(libc::SYS_chroot, path)
}

pub fn fchdir(_c: &Ctx, a: args::Fchdir) -> SysResult {
    host_syscall!(libc::SYS_fchdir, a.fd)
}

/// `getdents64` (and its alias `getdents`): the wasm32 `struct dirent`
/// (`d_ino` 8, `d_off` 8, `d_reclen` 2, `d_type` 1, `d_name`) is the
/// kernel's `linux_dirent64` on every architecture, so entries pass
/// through; the buffer offers its accessible prefix.
pub fn getdents64(c: &Ctx, a: args::Getdents) -> SysResult {
    let (buf, len) = c.mem.stream_buf(a.dirp, (a.count as u32) as u64)?;
    host_syscall!(libc::SYS_getdents64, a.fd, buf, len)
}

// ---------------------------------------------------------------------------
// Synchronisation and locks

pub fn fsync(_c: &Ctx, a: args::Fsync) -> SysResult {
    host_syscall!(libc::SYS_fsync, a.fd)
}

pub fn fdatasync(_c: &Ctx, a: args::Fdatasync) -> SysResult {
    host_syscall!(libc::SYS_fdatasync, a.fd)
}

pub fn sync(_c: &Ctx) -> SysResult {
    host_syscall!(libc::SYS_sync)
}

pub fn syncfs(_c: &Ctx, a: args::Syncfs) -> SysResult {
    host_syscall!(libc::SYS_syncfs, a.fd)
}

pub fn flock(_c: &Ctx, a: args::Flock) -> SysResult {
    host_syscall!(libc::SYS_flock, a.fd, a.operation)
}

// ---------------------------------------------------------------------------
// memfd and inotify

pub fn memfd_create(c: &Ctx, a: args::MemfdCreate) -> SysResult {
    let name = c.mem.cstr(a.name)?;
    host_syscall!(libc::SYS_memfd_create, name, a.flags)
}

/// `inotify_init()` is `inotify_init1(0)` on every architecture.
pub fn inotify_init(_c: &Ctx) -> SysResult {
    host_syscall!(libc::SYS_inotify_init1, 0)
}

pub fn inotify_init1(_c: &Ctx, a: args::InotifyInit1) -> SysResult {
    host_syscall!(libc::SYS_inotify_init1, a.flags)
}

pub fn inotify_add_watch(c: &Ctx, a: args::InotifyAddWatch) -> SysResult {
    let path = c.mem.cstr(a.pathname)?;
    host_syscall!(libc::SYS_inotify_add_watch, a.fd, path, a.mask)
}

pub fn inotify_rm_watch(_c: &Ctx, a: args::InotifyRmWatch) -> SysResult {
    host_syscall!(libc::SYS_inotify_rm_watch, a.fd, a.wd)
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
