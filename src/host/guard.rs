//! What the guest may not do to its own engine through ordinary calls:
//! reach the engine's memory through procfs, write the files the engine
//! runs from, or lower the resource limits the engine's own allocations
//! and stacks depend on.
//!
//! - A procfs `mem` file (`/proc/<pid>/mem`, `/proc/<pid>/task/<tid>/mem`,
//!   under any spelling) is refused with `EACCES` at open: the decision is
//!   made on the opened descriptor (its file system is procfs and its own
//!   link in `/proc/self/fd` names a `mem` file), so symlinks, `..`,
//!   `/dev/fd`, dirfds and re-opens through `/proc/self/fd/N` all end in
//!   the same check. Every `mem` file is refused, other engine processes'
//!   (a forked child's) included: the simple rule covers them all.
//! - A file mapped into the engine before the guest started (its
//!   executable, its shared libraries) is refused with `EACCES` when opened
//!   for writing or truncation (`/proc/self/map_files/*` opens those very
//!   files): writing them would patch the engine's code pages.
//! - `RLIMIT_AS`, `RLIMIT_DATA` and `RLIMIT_STACK` of the engine's own
//!   process are virtual: the guest's value is recorded and reported back,
//!   and applied to a native program it execs; the engine keeps its own.

use crate::abi::errno::{Errno, SysResult};
use crate::abi::mem::HostPtr;
use std::ffi::CString;
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock, RwLock};

/// `statfs.f_type` of procfs.
const PROC_SUPER_MAGIC: i64 = linux_raw_sys::general::PROC_SUPER_MAGIC as i64;
/// Inode number of the root directory of every procfs mount.
const PROC_ROOT_INO: u64 = 1;

/// What is known about the engine's host process, taken before the guest
/// runs ([`init`]).
struct Engine {
    /// (st_dev, st_ino) of every file mapped into the engine.
    files: Vec<(u64, u64)>,
}

static ENGINE: OnceLock<Engine> = OnceLock::new();

/// `net.core.optmem_max`: the most control data `sendmsg` accepts. Read
/// on first use (a procfs read costs a few percent of a short run's
/// start-up, and few guests send control data), and at the latest before
/// the guest could lose procfs: before its `chroot` ([`keep_proc_root`])
/// and before a sandbox is applied ([`pin_before_sandbox`]).
static OPTMEM_MAX: OnceLock<u32> = OnceLock::new();

/// A descriptor of the procfs root kept from before a `chroot` (-1: none),
/// so the checks still work when the new root has no `/proc`.
static PROC_ROOT: AtomicI32 = AtomicI32::new(-1);

/// Linux's default `optmem_max` (used when procfs is not readable).
const OPTMEM_MAX_DEFAULT: u32 = 20480;

/// The engine's own environment variable in which an engine hands its
/// `optmem_max` to the engine it re-executes for a module (which cannot
/// read /proc inside a sandbox; src/proc.rs).
pub const OPTMEM_MAX_ENV: &str = "WALI_OPTMEM_MAX";

/// Records the engine's mapped files. Called before the guest runs
/// (idempotent).
pub fn init() {
    ENGINE.get_or_init(|| Engine {
        files: engine_files(),
    });
}

/// Reads what the guard reads lazily while procfs is still reachable: a
/// sandbox about to be applied may close it.
pub fn pin_before_sandbox() {
    init();
    optmem_max();
}

fn engine() -> &'static Engine {
    init();
    ENGINE.get().expect("initialised just above")
}

/// The most control data one `sendmsg` may carry (Linux's `optmem_max`).
pub fn optmem_max() -> u32 {
    *OPTMEM_MAX.get_or_init(|| {
        std::fs::read_to_string("/proc/sys/net/core/optmem_max")
            .ok()
            .or_else(|| std::env::var(OPTMEM_MAX_ENV).ok())
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(OPTMEM_MAX_DEFAULT)
    })
}

/// Linux's `new_encode_dev`/`MKDEV` for user space: the `st_dev` of a
/// device numbered `major:minor` as `/proc/self/maps` prints it.
fn makedev(major: u64, minor: u64) -> u64 {
    ((major & 0xffff_f000) << 32)
        | ((major & 0xfff) << 8)
        | ((minor & 0xffff_ff00) << 12)
        | (minor & 0xff)
}

/// Every file mapped into the engine: the (dev, inode) pair the maps file
/// shows and, for overlay-style file systems whose `stat` differs from the
/// mapped inode, the pair `stat` of the mapped path gives.
fn engine_files() -> Vec<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    let mut out = Vec::new();
    // Without procfs too (an engine started for a module inside a sandbox
    // cannot read /proc): the executable (stat follows the link without
    // reading procfs) and every object the loader loaded.
    let known = std::iter::once(std::path::PathBuf::from("/proc/self/exe"))
        .chain(crate::host::loaded_objects());
    for p in known {
        match std::fs::metadata(&p) {
            Ok(m) => out.push((m.dev(), m.ino())),
            Err(e) => crate::wlog!(
                1,
                "cannot stat {}: the file is not protected from the guest: {e}",
                p.display()
            ),
        }
    }
    let Ok(maps) = std::fs::read_to_string("/proc/self/maps") else {
        out.sort_unstable();
        out.dedup();
        return out;
    };
    // Each object is mapped several times (one line per segment): stat
    // each path once.
    let mut seen: Vec<&str> = Vec::new();
    for line in maps.lines() {
        let mut f = line.split_whitespace();
        let (Some(_), Some(_), Some(_), Some(dev), Some(ino)) =
            (f.next(), f.next(), f.next(), f.next(), f.next())
        else {
            continue;
        };
        let ino: u64 = ino.parse().unwrap_or(0);
        if ino == 0 {
            continue;
        }
        if let Some((ma, mi)) = dev.split_once(':') {
            if let (Ok(ma), Ok(mi)) = (u64::from_str_radix(ma, 16), u64::from_str_radix(mi, 16)) {
                out.push((makedev(ma, mi), ino));
            }
        }
        // The path: the rest of the line, spaces inside it kept (the
        // fields before it are separated by single spaces, then padding).
        let path = line.splitn(6, ' ').nth(5).unwrap_or("").trim_start();
        if path.starts_with('/') && !seen.contains(&path) {
            seen.push(path);
            if let Ok(m) = std::fs::metadata(path) {
                out.push((m.dev(), m.ino()));
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// (st_dev, st_ino) of `fd`: the first two 64-bit words of the kernel's
/// `struct stat` on every 64-bit Linux architecture.
pub fn fstat(fd: i32) -> Result<(u64, u64), Errno> {
    let mut st = [0u64; 32]; // larger than any `struct stat`
    host_syscall!(libc::SYS_fstat, fd, HostPtr::to_host(&mut st))?;
    Ok((st[0], st[1]))
}

/// `f_type` of the file system of `fd`: the first word of `struct statfs`.
fn fstatfs_type(fd: i32) -> Result<i64, Errno> {
    let mut st = [0i64; 32]; // larger than any `struct statfs`
    host_syscall!(libc::SYS_fstatfs, fd, HostPtr::to_host(&mut st))?;
    Ok(st[0])
}

/// Whether `fd` is the root directory of a procfs mount.
fn is_proc_root(fd: i32) -> bool {
    fstatfs_type(fd) == Ok(PROC_SUPER_MAGIC) && fstat(fd).is_ok_and(|s| s.1 == PROC_ROOT_INO)
}

/// A procfs root to read `self/fd/N` links from: the one kept at `chroot`
/// if it still is one (the guest may have closed or replaced that
/// descriptor), else `/proc` of the current root. The bool says whether the
/// descriptor is a fresh one the caller must close.
fn proc_root() -> Option<(i32, bool)> {
    let kept = PROC_ROOT.load(Ordering::Relaxed);
    if kept >= 0 && is_proc_root(kept) {
        return Some((kept, false));
    }
    let proc = c"/proc".to_owned();
    let fd = host_syscall!(
        libc::SYS_openat,
        libc::AT_FDCWD,
        crate::abi::mem::host_cstr(&proc),
        libc::O_PATH | libc::O_DIRECTORY | libc::O_CLOEXEC,
        0
    )
    .ok()? as i32;
    if is_proc_root(fd) {
        Some((fd, true))
    } else {
        crate::host::close(fd);
        None
    }
}

/// Keeps a descriptor of the current `/proc` (above the descriptors
/// programs count on) before the guest changes its root.
pub fn keep_proc_root() {
    optmem_max();
    if PROC_ROOT.load(Ordering::Relaxed) >= 0 {
        return;
    }
    if let Some((fd, fresh)) = proc_root() {
        if fresh {
            let high = host_syscall!(libc::SYS_fcntl, fd, libc::F_DUPFD_CLOEXEC, 512).unwrap_or(-1);
            crate::host::close(fd);
            PROC_ROOT.store(high as i32, Ordering::Relaxed);
        }
    }
}

/// A descriptor of the engine's executable kept from before a `chroot`
/// (-1: none): `execve` of a module runs the engine again through it.
static ENGINE_EXE: AtomicI32 = AtomicI32::new(-1);

/// Keeps a descriptor of the engine's executable (above the descriptors
/// programs count on) before the guest changes its root.
pub fn keep_engine_exe() {
    if ENGINE_EXE.load(Ordering::Relaxed) >= 0 {
        return;
    }
    let Some(exe) = exec_engine_path() else {
        return;
    };
    let Ok(fd) = host_syscall!(
        libc::SYS_openat,
        libc::AT_FDCWD,
        crate::abi::mem::host_cstr(&exe),
        libc::O_PATH | libc::O_CLOEXEC,
        0
    ) else {
        crate::wlog!(
            1,
            "cannot keep the engine's executable: execve of a module after chroot fails"
        );
        return;
    };
    let high = host_syscall!(libc::SYS_fcntl, fd, libc::F_DUPFD_CLOEXEC, 512).unwrap_or(-1);
    crate::host::close(fd as i32);
    ENGINE_EXE.store(high as i32, Ordering::Relaxed);
}

/// The descriptor kept by [`keep_engine_exe`], if the guest changed its
/// root. (The guest may have closed or replaced it: then the execve runs
/// whatever it is now, as a native execve of that file would.)
pub fn engine_exe() -> Option<i32> {
    let fd = ENGINE_EXE.load(Ordering::Relaxed);
    (fd >= 0).then_some(fd)
}

/// The text of the `/proc/self/fd/N` link of `fd`: what the file is.
fn fd_link(fd: i32) -> Option<Vec<u8>> {
    let (root, fresh) = proc_root()?;
    let name = std::ffi::CString::new(format!("self/fd/{fd}")).ok()?;
    let mut buf = [0u8; 4096];
    let r = host_syscall!(
        libc::SYS_readlinkat,
        root,
        crate::abi::mem::host_cstr(&name),
        HostPtr::to_host_slice(&mut buf),
        buf.len()
    );
    if fresh {
        crate::host::close(root);
    }
    let n = r.ok()? as usize;
    Some(buf[..n.min(buf.len())].to_vec())
}

/// Whether a procfs link text names a per-process `mem` file.
fn names_mem(link: &[u8]) -> bool {
    let link = link.strip_suffix(b" (deleted)").unwrap_or(link);
    link.rsplit(|&b| b == b'/').next() == Some(b"mem")
}

/// Whether open flags ask for write access or truncation.
fn writes(flags: i32) -> bool {
    flags & libc::O_ACCMODE != libc::O_RDONLY || flags & libc::O_TRUNC != 0
}

/// The check on a descriptor the guest just opened with `flags`: `EACCES`
/// for a procfs `mem` file (or any procfs file when what it is cannot be
/// told) and for a file the engine runs from opened for writing.
pub fn check_opened(fd: i32, flags: i32) -> Result<(), Errno> {
    match fstatfs_type(fd) {
        Ok(PROC_SUPER_MAGIC) => match fd_link(fd) {
            Some(link) if !names_mem(&link) => {
                if writes(flags) {
                    // Per-thread state can change through it (comm,
                    // attr/current...): new threads never reuse old ones.
                    state_files_opened_for_writing();
                }
            }
            _ => return Err(Errno(libc::EACCES)),
        },
        Ok(_) => {}
        Err(_) => return Err(Errno(libc::EACCES)),
    }
    if writes(flags) {
        let (dev, ino) = fstat(fd).map_err(|_| Errno(libc::EACCES))?;
        if is_engine_file(dev, ino) {
            return Err(Errno(libc::EACCES));
        }
    }
    Ok(())
}

fn is_engine_file(dev: u64, ino: u64) -> bool {
    engine().files.binary_search(&(dev, ino)).is_ok() || OUTPUT_FILE.get() == Some(&(dev, ino))
}

/// A file the engine writes for the user while the guest runs (the
/// `--trace=FILE` output): guarded like the engine's own files, so the guest
/// cannot forge or truncate its lines by reopening it (through
/// `/proc/self/fd/N`, a hard link, or its path).
static OUTPUT_FILE: OnceLock<(u64, u64)> = OnceLock::new();

/// Marks the file open at `fd` as the engine's output file (once per
/// process; later calls keep the first).
pub fn protect_output_file(fd: i32) {
    if let Ok(id) = fstat(fd) {
        let _ = OUTPUT_FILE.set(id);
    }
}

/// Opens as `openat(dirfd, path, flags, mode)` and applies
/// [`check_opened`]; a refused descriptor is closed again. Truncation is
/// checked before the open too (it happens inside the open), on the file
/// the path names then.
pub fn open(dirfd: i32, path: HostPtr, flags: i32, mode: u32) -> SysResult {
    if flags & libc::O_TRUNC != 0 {
        let nofollow = if flags & libc::O_NOFOLLOW != 0 {
            libc::AT_SYMLINK_NOFOLLOW
        } else {
            0
        };
        refuse_engine_path(dirfd, path, nofollow)?;
    }
    let fd = host_syscall!(libc::SYS_openat, dirfd, path, flags, mode)? as i32;
    if let Err(e) = check_opened(fd, flags) {
        crate::host::close(fd);
        return Err(e);
    }
    Ok(fd as i64)
}

/// `EACCES` when `path` (from `dirfd`) names a file the engine runs from;
/// a path that cannot be examined is left to the call itself.
pub fn refuse_engine_path(dirfd: i32, path: HostPtr, at_flags: i32) -> Result<(), Errno> {
    let mut st = [0u64; 32];
    if host_syscall!(
        libc::SYS_newfstatat,
        dirfd,
        path,
        HostPtr::to_host(&mut st),
        at_flags
    )
    .is_ok()
        && is_engine_file(st[0], st[1])
    {
        return Err(Errno(libc::EACCES));
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Resource limits

/// `struct rlimit64`: soft, hard.
pub type Rlimit = [u64; 2];

/// The limits the engine keeps for itself; the guest's view is recorded.
/// (The guest's numbers are x86-64's, the same as the generic ones of every
/// supported host.)
const VIRTUAL: [u32; 3] = [
    linux_raw_sys::general::RLIMIT_AS,
    linux_raw_sys::general::RLIMIT_DATA,
    linux_raw_sys::general::RLIMIT_STACK,
];

/// The guest's values of the [`VIRTUAL`] limits (None: the real one).
static GUEST_LIMITS: Mutex<[Option<Rlimit>; 3]> = Mutex::new([None; 3]);

/// A new guest starts (`runtime::state`): it sees the engine's real limits
/// again, not the values an earlier guest set.
pub fn reset_for_new_guest() {
    *GUEST_LIMITS.lock().unwrap_or_else(|e| e.into_inner()) = [None; 3];
}

fn slot(res: u32) -> Option<usize> {
    VIRTUAL.iter().position(|&r| r == res)
}

/// Whether `pid` names the engine's own process for `prlimit64`: 0, its
/// pid, or any thread of it (the kernel looks the id up as a task and the
/// limits are per process).
pub fn is_own_process(pid: i32) -> bool {
    if pid == 0 {
        return true;
    }
    if pid < 0 {
        return false;
    }
    let me = host_syscall!(libc::SYS_getpid).unwrap_or(0);
    // tgkill with signal 0 succeeds exactly for a thread of this process.
    pid as i64 == me || host_syscall!(libc::SYS_tgkill, me, pid, 0).is_ok()
}

fn real_limit(res: u32) -> Result<Rlimit, Errno> {
    let mut old: Rlimit = [0; 2];
    host_syscall!(
        libc::SYS_prlimit64,
        0,
        res,
        HostPtr::NULL,
        HostPtr::to_host(&mut old)
    )?;
    Ok(old)
}

/// Whether the calling thread has CAP_SYS_RESOURCE in its effective set.
fn has_cap_sys_resource() -> bool {
    const CAP_SYS_RESOURCE: u32 = linux_raw_sys::general::CAP_SYS_RESOURCE;
    // Version 3, this thread.
    let mut hdr: [u32; 2] = [linux_raw_sys::general::_LINUX_CAPABILITY_VERSION_3, 0];
    let mut data = [[0u32; 3]; 2];
    host_syscall!(
        libc::SYS_capget,
        HostPtr::to_host(&mut hdr),
        HostPtr::to_host(&mut data)
    )
    .is_ok()
        && data[0][0] & (1 << CAP_SYS_RESOURCE) != 0
}

/// `prlimit64` on the engine's own process for resource `res`: sets `new`
/// (if any) and returns the previous value, as Linux does. Virtual limits
/// follow Linux's rules (soft above hard is `EINVAL`; raising the hard
/// limit needs CAP_SYS_RESOURCE, `EPERM`) without touching the engine's.
pub fn own_prlimit(res: u32, new: Option<Rlimit>) -> Result<Rlimit, Errno> {
    let Some(i) = slot(res) else {
        let mut old: Rlimit = [0; 2];
        let mut n = new.unwrap_or_default();
        let np = if new.is_some() {
            HostPtr::to_host(&mut n)
        } else {
            HostPtr::NULL
        };
        host_syscall!(libc::SYS_prlimit64, 0, res, np, HostPtr::to_host(&mut old))?;
        return Ok(old);
    };
    let mut g = GUEST_LIMITS.lock().unwrap_or_else(|e| e.into_inner());
    let real = real_limit(res)?;
    let cur = g[i].unwrap_or(real);
    if let Some([soft, hard]) = new {
        if soft > hard {
            return Err(Errno::EINVAL);
        }
        if hard > cur[1] {
            if hard > real[1] {
                // The kernel decides (and raises the engine's hard limit).
                let mut n: Rlimit = [real[0], hard];
                host_syscall!(
                    libc::SYS_prlimit64,
                    0,
                    res,
                    HostPtr::to_host(&mut n),
                    HostPtr::NULL
                )?;
            } else if !has_cap_sys_resource() {
                return Err(Errno(libc::EPERM));
            }
        }
        g[i] = Some([soft, hard]);
    }
    Ok(cur)
}

/// The engine's real limits, saved while the guest's are applied for an
/// execve; given back by [`restore_limits`] if the execve fails.
pub struct SavedLimits(Vec<(u32, Rlimit)>);

/// Applies the guest's virtual limits to the process just before a native
/// execve (the new program inherits them). The hard limit is lowered only
/// with CAP_SYS_RESOURCE, which can raise it back if the execve fails;
/// without it the new program gets the guest's soft limit and the engine's
/// hard limit.
pub fn apply_limits_for_exec() -> SavedLimits {
    let g = *GUEST_LIMITS.lock().unwrap_or_else(|e| e.into_inner());
    let cap = has_cap_sys_resource();
    let mut saved = Vec::new();
    for (i, v) in g.iter().enumerate() {
        let Some([soft, hard]) = *v else { continue };
        let res = VIRTUAL[i];
        let Ok(real) = real_limit(res) else { continue };
        let mut n: Rlimit = if cap {
            [soft, hard]
        } else {
            [soft.min(real[1]), real[1]]
        };
        if host_syscall!(
            libc::SYS_prlimit64,
            0,
            res,
            HostPtr::to_host(&mut n),
            HostPtr::NULL
        )
        .is_ok()
        {
            saved.push((res, real));
        }
    }
    SavedLimits(saved)
}

/// Gives the engine its own limits back after a failed execve.
pub fn restore_limits(s: SavedLimits) {
    for (res, mut real) in s.0 {
        let _ = host_syscall!(
            libc::SYS_prlimit64,
            0,
            res,
            HostPtr::to_host(&mut real),
            HostPtr::NULL
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mem_links() {
        assert!(names_mem(b"/proc/123/mem"));
        assert!(names_mem(b"/proc/123/task/124/mem"));
        assert!(names_mem(b"/tmp/p/1/mem (deleted)"));
        assert!(!names_mem(b"/proc/123/maps"));
        assert!(!names_mem(b"/proc/sys/net/ipv4/tcp_mem"));
    }

    #[test]
    fn dev_numbers() {
        for (ma, mi) in [(8, 1), (0xfd, 1), (0, 0x10a), (0x1234, 0x56789)] {
            assert_eq!(makedev(ma, mi), libc::makedev(ma as u32, mi as u32));
        }
    }

    #[test]
    fn engine_files_without_procfs() {
        // What an engine inside a sandbox (no /proc reads) still knows: the
        // loader's objects, libc among them, each in the protected list.
        use std::os::unix::fs::MetadataExt;
        let objs = crate::host::loaded_objects();
        assert!(
            objs.iter().any(|p| p.to_string_lossy().contains("libc.so")),
            "{objs:?}"
        );
        let files = engine_files();
        for p in objs {
            let m = std::fs::metadata(&p).unwrap();
            assert!(files.binary_search(&(m.dev(), m.ino())).is_ok(), "{p:?}");
        }
    }

    #[test]
    fn engine_maps_its_executable() {
        init();
        let exe = std::fs::metadata("/proc/self/exe").unwrap();
        use std::os::unix::fs::MetadataExt;
        assert!(is_engine_file(exe.dev(), exe.ino()));
    }
}

// Per-thread kernel state and the reuse of pooled host threads: a new guest
// thread must get its creator's credentials (and every other per-thread
// attribute), as a new Linux thread does; `sys::thread` reuses a pooled host
// thread only while nothing can have changed since it was made.

/// Generation of the per-thread kernel state of the process's threads:
/// bumped before and after every guest call that can change the
/// credentials or another per-thread attribute of any thread (see
/// [`StateChange`]). A pooled host thread is a clone of the host thread that
/// created it, made at some generation; while the generation has not moved
/// since, neither it nor its creator has had any such attribute changed, so
/// it is what a clone made now by the same creator would be.
static STATE_GEN: AtomicU64 = AtomicU64::new(0);
/// The generation of the per-thread kernel state now (see [`STATE_GEN`]).
pub fn thread_state_generation() -> u64 {
    STATE_GEN.load(Ordering::SeqCst)
}

/// Whether pooled host threads may still be reused (see [`NO_REUSE`]).
pub fn thread_reuse_allowed() -> bool {
    !NO_REUSE.load(Ordering::SeqCst)
}

/// Held by a guest call that may change per-thread kernel state
/// (credentials, capabilities, securebits, no_new_privs, affinity, nice,
/// scheduling, I/O priority, personality, name, ...) of the caller or of
/// another thread: the pooled host threads made before it are never handed
/// to a new guest thread (Linux gives a new thread its creator's state; an
/// older clone may differ). Bumps the generation when made and when dropped,
/// so a spawn that overlaps the call does not pick a clone either.
pub struct StateChange(());

impl StateChange {
    pub fn begin() -> StateChange {
        STATE_GEN.fetch_add(1, Ordering::SeqCst);
        StateChange(())
    }
}

/// Set once the guest has opened a procfs file for writing: through files
/// such as `/proc/thread-self/comm` or `attr/current` it can change the
/// per-thread state of any of its threads at any later time, which no
/// [`StateChange`] sees. From then on no host thread is reused.
static NO_REUSE: AtomicBool = AtomicBool::new(false);

/// Called when the guest opens a procfs file for writing (see [`NO_REUSE`]).
pub fn state_files_opened_for_writing() {
    NO_REUSE.store(true, Ordering::SeqCst);
    STATE_GEN.fetch_add(1, Ordering::SeqCst);
}

impl Drop for StateChange {
    fn drop(&mut self) {
        STATE_GEN.fetch_add(1, Ordering::SeqCst);
    }
}

// Which binary runs a module the guest executes: it is the engine's own
// file, which the guest may never write.

/// The engine binary that runs a module the guest `execve`s.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExecEngine {
    /// The running executable (`/proc/self/exe`): `iwasm` itself.
    SelfExe,
    /// `iwasm` found in the engine process's `PATH` at the time of the
    /// execve: an embedding's default (its own executable does not take
    /// `iwasm`'s command line).
    SearchPath,
    /// A binary the embedding named (`wali_set_exec_engine`).
    Path(CString),
}

static EXEC_ENGINE: RwLock<ExecEngine> = RwLock::new(ExecEngine::SearchPath);

pub fn set_exec_engine(e: ExecEngine) {
    *EXEC_ENGINE.write().unwrap_or_else(|e| e.into_inner()) = e;
}

/// The path to execute for a module child: `/proc/self/exe`, the named
/// binary, or the first executable `iwasm` in `PATH` (None: none there).
pub fn exec_engine_path() -> Option<CString> {
    match EXEC_ENGINE
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .clone()
    {
        ExecEngine::SelfExe => Some(c"/proc/self/exe".to_owned()),
        ExecEngine::Path(p) => Some(p),
        ExecEngine::SearchPath => {
            use std::os::unix::ffi::OsStrExt;
            use std::os::unix::fs::PermissionsExt;
            let path = std::env::var_os("PATH")?;
            std::env::split_paths(&path)
                .filter(|d| d.is_absolute())
                .map(|d| d.join("iwasm"))
                .find(|p| {
                    std::fs::metadata(p)
                        .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
                        .unwrap_or(false)
                })
                .and_then(|p| CString::new(p.as_os_str().as_bytes()).ok())
        }
    }
}
