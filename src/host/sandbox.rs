//! The sandbox policy (`--dir`, `--net`, `--no-native-exec`, scopes,
//! `--timeout`, `--sandbox`), off by default.
//!
//! The file-system, network and scope rules are the kernel's own: a Landlock
//! domain the engine enters before the guest runs, through the `landlock`
//! crate. The kernel then judges every access of the guest, of every native
//! program it execs and of every engine it starts for a module (Landlock is
//! inherited across `fork` and `execve` and cannot be left), whatever system
//! call the access comes through. The engine adds what Landlock cannot say:
//!
//! * `--net`: Landlock (ABI < 10) rules TCP only, so the engine refuses
//!   every other socket of the guest (UDP, raw, packet, netlink...) with
//!   `EACCES`; native programs the guest execs are not covered by that.
//! * `--no-native-exec`: the guest's `execve` of anything that is not a
//!   module is `EACCES`. The engine never executes the guest's path itself:
//!   a module runs in the engine binary it re-executes, which loads the
//!   file again and refuses anything that is not a module, so swapping the
//!   file after the check gains nothing. Landlock's execute right (granted
//!   on the engine, its loader and libraries only) is a second wall.
//! * `--timeout`: a timer thread that prints one line and ends the process
//!   with status 124 (as `timeout(1)`), whatever the guest runs.
//!
//! `landlock_restrict_self` binds the calling thread and its future
//! children only, so [`Sandbox::apply`] refuses to run when the process has
//! another thread. The engine keeps working inside the domain: it keeps
//! read and execute rights on its own executable, the loader and the
//! libraries it maps (to re-execute itself for a module) and read rights
//! on `/etc/ld.so.cache`. Nothing in `/proc` is readable (under `--dir`
//! only what `--dir=/proc:ro` grants, which widens the sandbox: there the
//! `environ`, `maps` and `cmdline` of other processes of the user are
//! readable, as Landlock does not judge them). So the engine reads what it
//! needs from `/proc` before it enters the domain, and an engine
//! re-executed for a module, which starts inside it, does without: its
//! own files come from the loader and `stat` (guard.rs), WAMR's bounds of
//! the main thread's stack from the auxiliary vector and `RLIMIT_STACK`
//! (wamr-sys/cmake/wali_stack.c), and what a guest's descriptor is from
//! `readlink` of `/proc/self/fd/N`, which Landlock does not restrict; a
//! procfs file whose kind cannot be told is refused (guard.rs).

use crate::abi::errno::Errno;
use crate::abi::mem::HostPtr;
use landlock::{
    Access, AccessFs, AccessNet, CompatLevel, Compatible, NetPort, PathBeneath, PathFd, Ruleset,
    RulesetAttr, RulesetCreatedAttr, Scope, ABI,
};
use std::os::fd::{AsRawFd, OwnedFd};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

/// The exit status when `--timeout` ends the process (as `timeout(1)`).
pub const TIMEOUT_STATUS: i32 = 124;

/// A sandbox policy: what the guest (and everything it starts) may do.
/// Build it, then [`apply`](Sandbox::apply) it before the guest runs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sandbox {
    /// `--dir` trees: (path, read-only). With `fs`, nothing else is reachable.
    dirs: Vec<(PathBuf, bool)>,
    /// Whether file-system rules apply (a `--dir` or `--sandbox` was given).
    fs: bool,
    /// TCP ports allowed for bind and connect; `Some(empty)` is `--net=none`.
    net: Option<Vec<u16>>,
    no_native_exec: bool,
    scoped: bool,
    timeout: Option<Duration>,
    best_effort: bool,
    /// Started by a sandboxed engine for a module: the Landlock domain is
    /// inherited already; only the engine's own rules and the timer apply.
    inherited: bool,
}

impl Sandbox {
    /// An empty policy: no restriction at all.
    pub fn new() -> Self {
        Self::default()
    }

    /// `--sandbox`: the current directory read-write and nothing else, no
    /// network, no native exec, scoped signals and abstract sockets.
    pub fn standard() -> Self {
        Self::new()
            .dir(".", false)
            .net_ports(&[])
            .no_native_exec(true)
            .scoped(true)
    }

    /// Allows the tree at `path` (read-only if `read_only`); from the first
    /// call on, every other file is denied. Relative paths are resolved
    /// when the policy is applied.
    pub fn dir(mut self, path: impl AsRef<Path>, read_only: bool) -> Self {
        self.dirs.push((path.as_ref().to_path_buf(), read_only));
        self.fs = true;
        self
    }

    /// TCP bind and connect only to `ports` (none: no network).
    pub fn net_ports(mut self, ports: &[u16]) -> Self {
        let mut all = self.net.take().unwrap_or_default();
        all.extend_from_slice(ports);
        self.net = Some(all);
        self
    }

    /// `execve` of anything that is not a Wasm/AoT module fails (`EACCES`).
    pub fn no_native_exec(mut self, on: bool) -> Self {
        self.no_native_exec = on;
        self
    }

    /// Signals and abstract UNIX socket connections only within the sandbox.
    pub fn scoped(mut self, on: bool) -> Self {
        self.scoped = on;
        self
    }

    /// Ends the process with status 124 after `t`.
    pub fn timeout(mut self, t: Duration) -> Self {
        self.timeout = Some(t);
        self
    }

    /// Runs without a kernel feature the policy needs (with a warning)
    /// instead of refusing to start.
    pub fn best_effort(mut self, on: bool) -> Self {
        self.best_effort = on;
        self
    }

    /// Marks a policy whose Landlock domain the process already has (an
    /// engine started by a sandboxed engine's `execve` of a module).
    pub fn inherited(mut self, on: bool) -> Self {
        self.inherited = on;
        self
    }

    /// Whether the policy restricts nothing.
    pub fn is_empty(&self) -> bool {
        !self.fs
            && self.net.is_none()
            && !self.no_native_exec
            && !self.scoped
            && self.timeout.is_none()
    }

    /// Whether file-system rules apply.
    pub fn restricts_files(&self) -> bool {
        self.fs
    }

    /// Whether the Landlock part asks for anything.
    fn needs_landlock(&self) -> bool {
        self.fs || self.net.is_some() || self.scoped || self.no_native_exec
    }

    /// Kernel features the policy needs that a kernel of Landlock `abi`
    /// lacks, each named for the user.
    pub fn missing(&self, abi: i32) -> Vec<&'static str> {
        let mut m = Vec::new();
        // --no-native-exec alone is the engine's rule (Landlock only adds
        // a second wall), so it needs no kernel feature.
        if abi < 1 && (self.fs || self.net.is_some() || self.scoped) {
            m.push("Landlock (not built into this kernel or not enabled at boot)");
            return m;
        }
        if self.fs {
            if abi < 2 {
                m.push("Landlock file linking and renaming across directories (ABI 2)");
            }
            if abi < 3 {
                m.push("Landlock truncation rules (ABI 3)");
            }
            if abi < 5 {
                m.push("Landlock device ioctl rules (ABI 5)");
            }
        }
        if self.net.is_some() && abi < 4 {
            m.push("Landlock TCP port rules (ABI 4)");
        }
        if self.scoped && abi < 6 {
            m.push("Landlock signal and abstract UNIX socket scopes (ABI 6)");
        }
        m
    }

    /// The Landlock ruleset of this policy for a kernel of Landlock `abi`
    /// (features it lacks left out), or None when nothing is asked of
    /// Landlock. Paths are opened now, relative to the current directory.
    pub fn ruleset(&self, abi: i32) -> Result<Option<OwnedFd>, String> {
        if !self.needs_landlock() || abi < 1 {
            return Ok(None);
        }
        let v = ABI::from(abi.min(7));
        let err = |e: landlock::RulesetError| format!("cannot build the Landlock ruleset: {e}");
        let mut rs = Ruleset::default().set_compatibility(CompatLevel::HardRequirement);
        // Without --dir, --no-native-exec still handles execution alone.
        let handled_fs = if self.fs {
            AccessFs::from_all(v)
        } else if self.no_native_exec {
            AccessFs::Execute.into()
        } else {
            landlock::BitFlags::EMPTY
        };
        if !handled_fs.is_empty() {
            rs = rs.handle_access(handled_fs).map_err(err)?;
        }
        let net = self.net.is_some() && abi >= 4;
        if net {
            rs = rs
                .handle_access(AccessNet::BindTcp | AccessNet::ConnectTcp)
                .map_err(err)?;
        }
        if self.scoped && abi >= 6 {
            rs = rs.scope(Scope::from_all(v)).map_err(err)?;
        }
        let mut created = rs.create().map_err(err)?;
        let exec = if self.no_native_exec {
            landlock::BitFlags::EMPTY
        } else {
            AccessFs::Execute.into()
        };
        if self.fs {
            for (p, ro) in &self.dirs {
                let want = if *ro {
                    AccessFs::from_read(v) & !AccessFs::Execute | exec
                } else {
                    AccessFs::from_all(v) & !AccessFs::Execute | exec
                };
                created = add_path(created, p, want, v)
                    .map_err(|e| format!("--dir {}: {e}", p.display()))?;
            }
            // What the loader of an engine re-executed for a module reads
            // (see the module doc). Not /proc: there a process could read
            // other processes' environment and maps, which Landlock does
            // not judge.
            let cache = Path::new("/etc/ld.so.cache");
            if cache.exists() {
                created = add_path(created, cache, AccessFs::ReadFile.into(), v)?;
            }
        }
        if !handled_fs.is_empty() {
            // The engine re-executes itself for a module: its executable,
            // the loader and the libraries it maps.
            for p in engine_files() {
                let want = (AccessFs::ReadFile | AccessFs::Execute) & handled_fs;
                created = add_path(created, &p, want, v)?;
            }
        }
        if net {
            for &port in self.net.iter().flatten() {
                created = created
                    .add_rule(NetPort::new(
                        port,
                        AccessNet::BindTcp | AccessNet::ConnectTcp,
                    ))
                    .map_err(err)?;
            }
        }
        let fd: Option<OwnedFd> = created.into();
        Ok(fd)
    }

    /// Enters the policy: checks the kernel, enters the Landlock domain,
    /// turns the engine's own rules on and starts the timer. Returns
    /// warnings (best effort only: features the kernel lacks) or the one
    /// line saying why the policy cannot be applied.
    ///
    /// The caller first has WAMR cache the main thread's stack bounds
    /// (`wamr::cache_stack_boundary`): glibc reads them from
    /// `/proc/self/maps`, which the policy may close.
    pub fn apply(&self) -> Result<Vec<String>, String> {
        // What the engine reads from procfs later, read while it can.
        crate::host::guard::pin_before_sandbox();
        let mut warnings = Vec::new();
        if self.inherited && (self.fs || self.scoped) {
            // The engine passes only --net, --no-native-exec and --timeout
            // with it (child_flags); anything else would silently not apply.
            return Err(
                "--sandbox-inherited is internal (an engine started for a module \
                        by a sandboxed engine) and takes no --dir, --scoped or --sandbox"
                    .into(),
            );
        }
        if !self.inherited && self.needs_landlock() {
            let abi = landlock_abi();
            let missing = self.missing(abi);
            if !missing.is_empty() {
                let what = missing.join(", ");
                if !self.best_effort {
                    return Err(format!(
                        "sandbox: this kernel lacks {what} (kernel Landlock ABI {}); \
                         refusing to run without the policy asked for \
                         (--sandbox=best-effort runs without it)",
                        abi.max(0)
                    ));
                }
                warnings.push(format!(
                    "sandbox: best effort: this kernel lacks {what}: running without it"
                ));
            }
            if let Some(fd) = self.ruleset(abi)? {
                let threads = thread_count();
                if threads != Some(1) {
                    return Err(format!(
                        "sandbox: the process has {} threads: Landlock binds only the \
                         calling thread, so the policy must be applied before any other \
                         thread starts",
                        threads.map_or("an unknown number of".into(), |n| n.to_string())
                    ));
                }
                // Kept before the policy: `execve` of a module runs the engine
                // through this descriptor (no /proc/self/exe path walk).
                crate::host::guard::keep_engine_exe();
                restrict(&fd).map_err(|e| {
                    format!(
                        "sandbox: cannot enter the Landlock domain: {}",
                        std::io::Error::from_raw_os_error(e.0)
                    )
                })?;
            }
        }
        if self.no_native_exec {
            NO_NATIVE_EXEC.store(true, Ordering::SeqCst);
        }
        if self.net.is_some() {
            NET_RESTRICTED.store(true, Ordering::SeqCst);
        }
        if let Some(t) = self.timeout {
            start_timer(t).map_err(|e| format!("--timeout: cannot start the timer: {e}"))?;
        }
        Ok(warnings)
    }
}

/// Adds a rule for `path` (the file rights only when it is not a directory).
fn add_path(
    rs: landlock::RulesetCreated,
    path: &Path,
    want: landlock::BitFlags<AccessFs>,
    v: ABI,
) -> Result<landlock::RulesetCreated, String> {
    let fd = PathFd::new(path).map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    let is_dir = std::fs::metadata(path).map(|m| m.is_dir()).unwrap_or(false);
    let want = if is_dir {
        want
    } else {
        want & AccessFs::from_file(v)
    };
    if want.is_empty() {
        return Ok(rs);
    }
    rs.add_rule(PathBeneath::new(fd, want))
        .map_err(|e| format!("cannot add a rule for {}: {e}", path.display()))
}

/// The engine's executable and every file mapped into the process (the
/// loader, the libraries).
fn engine_files() -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(exe) = std::fs::read_link("/proc/self/exe") {
        out.push(exe);
    }
    if let Ok(maps) = std::fs::read_to_string("/proc/self/maps") {
        for line in maps.lines() {
            let path: String = line
                .split_whitespace()
                .skip(5)
                .collect::<Vec<_>>()
                .join(" ");
            if path.starts_with('/') && Path::new(&path).is_file() {
                out.push(PathBuf::from(path));
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The kernel's Landlock ABI version (0: none), lowered to
/// `WALI_LANDLOCK_ABI` when that is set (to test the refusals on a kernel
/// that has every feature; it can only take features away).
pub fn landlock_abi() -> i32 {
    const LANDLOCK_CREATE_RULESET_VERSION: u32 =
        linux_raw_sys::landlock::LANDLOCK_CREATE_RULESET_VERSION;
    let kernel = host_syscall!(
        libc::SYS_landlock_create_ruleset,
        HostPtr::NULL,
        0usize,
        LANDLOCK_CREATE_RULESET_VERSION
    )
    .map_or(0, |v| v as i32);
    match std::env::var("WALI_LANDLOCK_ABI")
        .ok()
        .and_then(|s| s.parse::<i32>().ok())
    {
        Some(cap) => kernel.min(cap.max(0)),
        None => kernel,
    }
}

/// Threads of this process (None: /proc/self/task cannot be read).
fn thread_count() -> Option<usize> {
    std::fs::read_dir("/proc/self/task")
        .ok()
        .map(|d| d.filter(|e| e.is_ok()).count())
}

/// Enters the Landlock domain of `ruleset` (the calling thread and every
/// thread and process it starts from now on): no new privileges first, as
/// Landlock requires of an unprivileged process. Only system calls, so a
/// forked child may call it before `execve` (the tests do).
pub fn restrict(ruleset: &OwnedFd) -> Result<(), Errno> {
    host_syscall!(libc::SYS_prctl, libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)?;
    host_syscall!(libc::SYS_landlock_restrict_self, ruleset.as_raw_fd(), 0)?;
    Ok(())
}

static NO_NATIVE_EXEC: AtomicBool = AtomicBool::new(false);
static NET_RESTRICTED: AtomicBool = AtomicBool::new(false);

/// Whether the guest's native `execve` is refused (`--no-native-exec`).
pub fn native_exec_refused() -> bool {
    NO_NATIVE_EXEC.load(Ordering::SeqCst)
}

/// Under `--net`, the error for a guest's `socket(domain, type, protocol)`
/// that Landlock's TCP rules would not judge: everything but UNIX sockets
/// and IPv4/IPv6 TCP stream sockets.
pub fn socket_refused(domain: i32, ty: i32, protocol: i32) -> Option<Errno> {
    if !NET_RESTRICTED.load(Ordering::SeqCst) {
        return None;
    }
    let base = ty & 0xf; // without SOCK_NONBLOCK / SOCK_CLOEXEC
    let tcp = (domain == libc::AF_INET || domain == libc::AF_INET6)
        && base == libc::SOCK_STREAM
        && (protocol == 0 || protocol == libc::IPPROTO_TCP);
    if domain == libc::AF_UNIX || tcp {
        None
    } else {
        Some(Errno::EACCES)
    }
}

/// CLOCK_MONOTONIC deadline of `--timeout`, in nanoseconds (0: none).
static DEADLINE_NS: AtomicU64 = AtomicU64::new(0);

fn now_ns() -> u64 {
    let mut ts = [0i64; 2];
    let _ = host_syscall!(
        libc::SYS_clock_gettime,
        libc::CLOCK_MONOTONIC,
        HostPtr::to_host(&mut ts)
    );
    (ts[0] as u64)
        .saturating_mul(1_000_000_000)
        .saturating_add(ts[1] as u64)
}

/// Starts the timer thread: at the deadline it writes one line to stderr
/// and ends the process with [`TIMEOUT_STATUS`]. It runs with every signal
/// blocked (it is created with the caller's mask set so), so no signal for
/// the guest is ever delivered to it.
fn start_timer(t: Duration) -> std::io::Result<()> {
    let ms = t.as_millis().max(1) as u64;
    let deadline = now_ns().saturating_add(ms.saturating_mul(1_000_000));
    DEADLINE_NS.store(deadline, Ordering::SeqCst);
    spawn_timer(deadline)
}

fn spawn_timer(deadline: u64) -> std::io::Result<()> {
    let mut all = [!0u64; 1];
    let mut old = [0u64; 1];
    let _ = host_syscall!(
        libc::SYS_rt_sigprocmask,
        libc::SIG_BLOCK,
        HostPtr::to_host(&mut all),
        HostPtr::to_host(&mut old),
        8
    );
    let r = std::thread::Builder::new()
        .name("wali-timeout".into())
        .stack_size(64 * 1024)
        .spawn(move || timer_body(deadline));
    let _ = host_syscall!(
        libc::SYS_rt_sigprocmask,
        libc::SIG_SETMASK,
        HostPtr::to_host(&mut old),
        HostPtr::NULL,
        8
    );
    r.map(|_| ())
}

fn timer_body(deadline: u64) {
    loop {
        let ts = [
            (deadline / 1_000_000_000) as i64,
            (deadline % 1_000_000_000) as i64,
        ];
        let mut ts = ts;
        let r = host_syscall!(
            libc::SYS_clock_nanosleep,
            libc::CLOCK_MONOTONIC,
            libc::TIMER_ABSTIME,
            HostPtr::to_host(&mut ts),
            HostPtr::NULL
        );
        if r.is_ok() || now_ns() >= deadline {
            break;
        }
    }
    // One write(2) of a preformatted line: no lock another thread may hold.
    let mut line = format!(
        "iwasm: timeout: the time limit (--timeout) is up; ending the guest with status \
         {TIMEOUT_STATUS}\n"
    )
    .into_bytes();
    let len = line.len();
    let _ = host_syscall!(libc::SYS_write, 2, HostPtr::to_host_slice(&mut line), len);
    crate::host::exit_group_now(TIMEOUT_STATUS);
}

/// The milliseconds left of `--timeout` (at least 1), if one runs: what an
/// engine started for a module gets.
pub fn remaining_ms() -> Option<u64> {
    let d = DEADLINE_NS.load(Ordering::SeqCst);
    (d != 0).then(|| (d.saturating_sub(now_ns()) / 1_000_000).max(1))
}

/// In a forked child: the timer thread did not come along; start it again
/// for the time left.
pub fn after_fork() {
    let d = DEADLINE_NS.load(Ordering::SeqCst);
    if d != 0 && spawn_timer(d).is_err() {
        // No timer: end now rather than run without the limit asked for.
        crate::host::exit_group_now(TIMEOUT_STATUS);
    }
}

/// The flags an engine started for a module by `execve` gets: the Landlock
/// domain comes along by itself; the engine's own rules and the time left
/// are passed on.
pub fn child_flags() -> Vec<String> {
    let mut f = Vec::new();
    let net = NET_RESTRICTED.load(Ordering::SeqCst);
    let noexec = native_exec_refused();
    let left = remaining_ms();
    if net || noexec || left.is_some() {
        f.push("--sandbox-inherited".to_string());
    }
    if net {
        f.push("--net=none".to_string());
    }
    if noexec {
        f.push("--no-native-exec".to_string());
    }
    if let Some(ms) = left {
        f.push(format!("--timeout={ms}"));
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_features_named() {
        let s = Sandbox::standard();
        assert!(s.missing(7).is_empty());
        assert_eq!(s.missing(0).len(), 1);
        assert!(s.missing(5).iter().any(|m| m.contains("scopes (ABI 6)")));
        assert!(s.missing(3).iter().any(|m| m.contains("TCP port rules")));
        assert!(s.missing(2).iter().any(|m| m.contains("truncation")));
        // --timeout alone asks nothing of the kernel.
        assert!(Sandbox::new().no_native_exec(true).missing(0).is_empty());
        let t = Sandbox::new().timeout(Duration::from_secs(1));
        assert!(t.missing(0).is_empty() && !t.is_empty());
        assert!(Sandbox::new().is_empty());
    }

    /// With another thread alive the policy is refused, never half-applied
    /// (and the test process is never restricted: it has threads).
    #[test]
    fn refused_with_other_threads() {
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let t = std::thread::spawn(move || {
            let _ = rx.recv();
        });
        let r = Sandbox::new().scoped(true).apply();
        let _ = tx.send(());
        t.join().unwrap();
        let e = r.unwrap_err();
        if landlock_abi() >= 6 {
            assert!(e.contains("threads"), "{e}");
        } else {
            assert!(e.contains("lacks"), "{e}");
        }
    }
}
