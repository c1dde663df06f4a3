//! The syscall trace (`iwasm -v=5`, `--trace[=FILE]`) and the per-call
//! summary (`--trace-summary`), as `strace -f` and `strace -c` print them.
//!
//! Every WALI call passes `engine::run::run`: with tracing off it costs
//! one relaxed load and a branch there ([`on`]); with it on, the call goes
//! through `run::run_traced`, which asks this module to format the call
//! ([`Call::begin`], [`Call::end`]). Arguments are decoded from the spec's C
//! types and names (`crate::abi::spec`): strings quoted and cut at
//! [`STR_MAX`] bytes, open/mmap flags by name, pointers as guest addresses,
//! results with errno names. Guest memory is read through [`crate::abi::mem`]
//! only, a bounded number of bytes, each once: an argument that cannot be
//! read prints as its address.
//!
//! One line is one `write` (lines of several threads never mix), prefixed
//! with the host thread id. Output goes to the process's stderr (fd 2 as the
//! guest has it), or to a file the engine opens before the guest runs, kept
//! close-on-exec above the descriptors programs use; while a trace file is
//! open, a call that names its descriptor as a descriptor argument fails
//! with `EBADF` without running ([`Call::begin`]), so the guest can neither
//! write nor close nor replace it by number.

use crate::abi::errno::{Errno, SysResult};
use crate::abi::mem::{host_cstr, Addr, HostPtr};
use crate::abi::spec_types::{Syscall, ValType};
use crate::ctx::Ctx;
use crate::host_syscall;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicU32, AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::Duration;

/// Bit of [`FLAGS`]: print a line per call.
const LINES: u32 = 1;
/// Bit of [`FLAGS`]: count calls for the summary.
const SUMMARY: u32 = 2;

/// What is traced (0: nothing). Read once per call with a relaxed load.
static FLAGS: AtomicU32 = AtomicU32::new(0);
/// Where lines go: 2 (stderr) or the trace file's descriptor.
static OUT: AtomicI32 = AtomicI32::new(2);
/// The trace file's descriptor, -1 without one (calls naming it are refused).
static FILE_FD: AtomicI32 = AtomicI32::new(-1);
/// The process that prints the summary (a forked child does not).
static ORIGIN: AtomicI32 = AtomicI32::new(0);
/// Whether the end of the process was reported.
static ENDED: AtomicBool = AtomicBool::new(false);

/// Most bytes of a string or buffer shown; longer ones end in `...`.
pub const STR_MAX: usize = 32;
/// Most `argv` entries shown.
const ARGV_MAX: u32 = 8;
/// Lowest descriptor the trace file is moved to.
const FILE_FD_MIN: i32 = 600;

/// Whether any tracing is on: the only cost of the trace at the choke point.
#[inline(always)]
pub fn on() -> bool {
    FLAGS.load(Ordering::Relaxed) != 0
}

fn lines() -> bool {
    FLAGS.load(Ordering::Relaxed) & LINES != 0
}

fn summary() -> bool {
    FLAGS.load(Ordering::Relaxed) & SUMMARY != 0
}

/// Turns the trace on: `lines` prints every call, `summary` counts them for
/// the table printed at exit. Call before the guest runs.
pub fn enable(lines: bool, summary: bool) {
    let f = (if lines { LINES } else { 0 }) | (if summary { SUMMARY } else { 0 });
    ORIGIN.store(
        host_syscall!(libc::SYS_getpid).unwrap_or(0) as i32,
        Ordering::Relaxed,
    );
    if summary {
        stats();
    }
    FLAGS.fetch_or(f, Ordering::SeqCst);
}

/// Sends the trace to `path` (created or truncated, or appended to with
/// `append`), opened close-on-exec and moved above the descriptors programs
/// use. Call before the guest runs.
pub fn to_file(path: &[u8], append: bool) -> Result<(), String> {
    let shown = String::from_utf8_lossy(path).into_owned();
    let c = std::ffi::CString::new(path).map_err(|_| format!("{shown}: NUL in the path"))?;
    // Always O_APPEND: an engine a guest's execve starts appends to the
    // same file, and writes at this descriptor's own offset would overwrite
    // its lines.
    let how = if append { 0 } else { libc::O_TRUNC };
    let fd = host_syscall!(
        libc::SYS_openat,
        libc::AT_FDCWD,
        host_cstr(&c),
        libc::O_WRONLY | libc::O_APPEND | libc::O_CREAT | libc::O_CLOEXEC | libc::O_NOCTTY | how,
        0o644
    )
    .map_err(|e| format!("{shown}: {}", strerror(e.0)))? as i32;
    let high = host_syscall!(libc::SYS_fcntl, fd, libc::F_DUPFD_CLOEXEC, FILE_FD_MIN);
    crate::host::close(fd);
    let high = high.map_err(|e| format!("{shown}: {}", strerror(e.0)))? as i32;
    crate::host::guard::protect_output_file(high);
    OUT.store(high, Ordering::SeqCst);
    FILE_FD.store(high, Ordering::SeqCst);
    Ok(())
}

/// Writes one whole line (one `write` while the kernel takes it all).
fn emit(line: &str) {
    let fd = OUT.load(Ordering::Relaxed);
    let mut bytes = line.as_bytes().to_vec();
    crate::host::sigaction::without_sigpipe(|| {
        let mut off = 0;
        while off < bytes.len() {
            let rest = &mut bytes[off..];
            let n = rest.len();
            match host_syscall!(libc::SYS_write, fd, HostPtr::to_host_slice(rest), n) {
                Ok(0) => break,
                Ok(k) => off += k as usize,
                Err(Errno(libc::EINTR)) => {}
                Err(_) => break,
            }
        }
    });
}

/// `[tid] ` for the calling thread.
fn prefix() -> String {
    format!("[{}] ", host_syscall!(libc::SYS_gettid).unwrap_or(0))
}

/// Prints an event line (`--- SIGINT ---`, `+++ ... +++`) when lines are on.
pub fn event(text: std::fmt::Arguments) {
    if lines() {
        emit(&format!("{}{}\n", prefix(), text));
    }
}

/// A signal's guest handler is about to run (or its default action).
pub fn signal(sig: i32) {
    if on() {
        event(format_args!("--- {} ---", signame(sig)));
    }
}

/// The guest's process is killed by `sig` (its default action).
pub fn killed(sig: i32) {
    if on() && !ENDED.swap(true, Ordering::SeqCst) {
        event(format_args!("+++ killed by {} +++", signame(sig)));
        print_summary();
    }
}

/// The guest's process ends with `status`: the `+++ exited +++` line and,
/// in the process that started tracing, the summary. Once per process.
pub fn exited(status: i32) {
    if on() && !ENDED.swap(true, Ordering::SeqCst) {
        event(format_args!("+++ exited with {status} +++"));
        print_summary();
    }
}

/// A spawned guest thread ends with `status`.
pub fn thread_exited(status: i32) {
    if on() {
        event(format_args!("+++ thread exited with {status} +++"));
    }
}

/// `__wasm_thread_spawn(fn, arg)` returned `r` (a thread event).
pub fn spawned(func: Addr, arg: Addr, r: &SysResult) {
    if on() {
        event(format_args!(
            "__wasm_thread_spawn({}, {}) = {}",
            ptr(func),
            ptr(arg),
            result("__wasm_thread_spawn", r)
        ));
        count("__wasm_thread_spawn", r.is_err(), Duration::ZERO);
    }
}

/// Per-call counters of the summary: calls, errors, nanoseconds.
struct Stat {
    calls: AtomicU64,
    errors: AtomicU64,
    nanos: AtomicU64,
}

/// A new guest starts (`runtime::state`): its end is reported again and its
/// summary counts its own calls only.
pub fn reset_for_new_guest() {
    ENDED.store(false, Ordering::SeqCst);
    if let Some(all) = STATS.get() {
        for s in all.values() {
            s.calls.store(0, Ordering::Relaxed);
            s.errors.store(0, Ordering::Relaxed);
            s.nanos.store(0, Ordering::Relaxed);
        }
    }
}

/// Per-call counters of the summary, made when the summary is turned on.
static STATS: OnceLock<HashMap<&'static str, Stat>> = OnceLock::new();

fn stats() -> &'static HashMap<&'static str, Stat> {
    STATS.get_or_init(|| {
        crate::abi::spec::SYSCALLS
            .iter()
            .map(|s| s.name)
            .chain(std::iter::once("__wasm_thread_spawn"))
            .map(|n| {
                let z = || AtomicU64::new(0);
                (
                    n,
                    Stat {
                        calls: z(),
                        errors: z(),
                        nanos: z(),
                    },
                )
            })
            .collect()
    })
}

fn count(name: &str, error: bool, time: Duration) {
    if !summary() {
        return;
    }
    if let Some(s) = stats().get(name) {
        s.calls.fetch_add(1, Ordering::Relaxed);
        if error {
            s.errors.fetch_add(1, Ordering::Relaxed);
        }
        s.nanos.fetch_add(
            time.as_nanos().min(u64::MAX as u128) as u64,
            Ordering::Relaxed,
        );
    }
}

/// The `strace -c` table of the calls counted so far.
pub fn summary_table() -> String {
    let mut rows: Vec<(&str, u64, u64, u64)> = stats()
        .iter()
        .map(|(n, s)| {
            (
                *n,
                s.calls.load(Ordering::Relaxed),
                s.errors.load(Ordering::Relaxed),
                s.nanos.load(Ordering::Relaxed),
            )
        })
        .filter(|r| r.1 > 0)
        .collect();
    rows.sort_by(|a, b| b.3.cmp(&a.3).then(b.1.cmp(&a.1)).then(a.0.cmp(b.0)));
    let total_ns: u64 = rows.iter().map(|r| r.3).sum();
    let line = "------ ----------- ----------- --------- --------- ----------------\n";
    let mut t = String::from("% time     seconds  usecs/call     calls    errors syscall\n");
    t.push_str(line);
    for (name, calls, errors, ns) in &rows {
        let pct = if total_ns > 0 {
            *ns as f64 * 100.0 / total_ns as f64
        } else {
            0.0
        };
        let errs = if *errors > 0 {
            errors.to_string()
        } else {
            String::new()
        };
        let _ = writeln!(
            t,
            "{pct:6.2} {:11.6} {:11} {calls:9} {errs:>9} {name}",
            *ns as f64 / 1e9,
            ns / 1000 / calls.max(&1),
        );
    }
    t.push_str(line);
    let calls: u64 = rows.iter().map(|r| r.1).sum();
    let errors: u64 = rows.iter().map(|r| r.2).sum();
    let errs = if errors > 0 {
        errors.to_string()
    } else {
        String::new()
    };
    let _ = writeln!(
        t,
        "100.00 {:11.6} {:11} {calls:9} {errs:>9} total",
        total_ns as f64 / 1e9,
        total_ns / 1000 / calls.max(1),
    );
    t
}

fn print_summary() {
    if summary()
        && host_syscall!(libc::SYS_getpid).unwrap_or(0) as i32 == ORIGIN.load(Ordering::Relaxed)
    {
        emit(&summary_table());
    }
}

/// One traced call: its argument text, taken before the call runs.
pub struct Call {
    name: &'static str,
    spec: Option<&'static Syscall>,
    args: String,
    /// Printed before the call (`exit`, `execve`: they may not return).
    early: bool,
    /// It names the trace file's descriptor: it must not run.
    refused: bool,
}

/// Calls whose result never reaches the guest the ordinary way.
fn no_return(name: &str) -> bool {
    matches!(name, "exit" | "exit_group")
}

/// Calls whose buffer argument is filled by the call: shown after it, with
/// the result as its length.
fn fills_buffer(name: &str) -> bool {
    matches!(
        name,
        "read" | "pread64" | "readlink" | "readlinkat" | "getcwd" | "recvfrom"
    )
}

/// Whether argument `name` of C type `ty` is a file descriptor.
fn is_fd_arg(ty: &str, name: &str) -> bool {
    ty == "int"
        && matches!(
            name,
            "fd" | "sockfd"
                | "dirfd"
                | "oldfd"
                | "newfd"
                | "epfd"
                | "olddirfd"
                | "newdirfd"
                | "fd_in"
                | "fd_out"
                | "in_fd"
                | "out_fd"
        )
}

/// Whether the call names the trace file's descriptor as a descriptor.
fn names_trace_file(c: &Ctx, name: &str, spec: Option<&Syscall>) -> bool {
    let file = FILE_FD.load(Ordering::Relaxed);
    if file < 0 {
        return false;
    }
    if name == "close_range" && (c.u32(0)..=c.u32(1)).contains(&(file as u32)) {
        // Closing a range that holds it: refused as a whole (the guest may
        // close the descriptors around it one by one).
        return true;
    }
    let Some(sc) = spec else {
        return false;
    };
    // The spec's argument names, or the overrides' for calls it leaves
    // untyped.
    let (_, c_types, arg_names) = crate::abi::args::signature(sc);
    let mut typed = c_types.iter().zip(arg_names).enumerate();
    typed.any(|(i, (ty, an))| is_fd_arg(ty, an) && c.i32(i) == file)
}

impl Call {
    /// Starts tracing a call: its argument text, and whether it names the
    /// trace file's descriptor ([`Call::refused`]).
    pub fn begin(c: &Ctx, name: &'static str) -> Call {
        let spec = Syscall::find(name);
        let refused = names_trace_file(c, name, spec);
        let mut call = Call {
            name,
            spec,
            args: String::new(),
            early: !refused && (no_return(name) || name == "execve"),
            refused,
        };
        if lines() {
            call.args = call.format_args(c, None);
            if call.early {
                let tail = if no_return(name) { " = ?" } else { " ..." };
                emit(&format!("{}{}({}){}\n", prefix(), name, call.args, tail));
            }
        }
        call
    }

    /// `EBADF` when the call names the trace file's descriptor: it must not
    /// run (end it with that result).
    pub fn refused(&self) -> Option<Errno> {
        self.refused.then_some(Errno::EBADF)
    }

    /// Ends one run of the call with result `r` after `time`: its line and
    /// its count.
    pub fn end(&self, c: &Ctx, r: &SysResult, time: Duration) {
        count(self.name, r.is_err(), time);
        if !lines() || (no_return(self.name) && !self.refused) {
            return;
        }
        let res = result(self.name, r);
        if self.early {
            emit(&format!(
                "{}<... {} resumed>) = {}\n",
                prefix(),
                self.name,
                res
            ));
            return;
        }
        let args = if fills_buffer(self.name) {
            self.format_args(c, Some(r))
        } else {
            self.args.clone()
        };
        emit(&format!("{}{}({}) = {}\n", prefix(), self.name, args, res));
    }

    /// The arguments as text; `after` is the result for buffers the call
    /// fills (shown with the result as their length).
    fn format_args(&self, c: &Ctx, after: Option<&SysResult>) -> String {
        let mut out = String::new();
        let Some(sc) = self.spec else {
            return out;
        };
        let (params, c_types, arg_names) = crate::abi::args::signature(sc);
        // One C type and name per parameter: the spec's, or the overrides'
        // for a call the spec leaves untyped (`signature` keeps them together).
        for (i, ((p, ty), an)) in params.iter().zip(c_types).zip(arg_names).enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            self.format_arg(&mut out, c, i, (ty, an, *p), after);
        }
        out
    }

    fn format_arg(
        &self,
        out: &mut String,
        c: &Ctx,
        i: usize,
        (ty, an, wasm): (&str, &str, ValType),
        after: Option<&SysResult>,
    ) {
        let name = self.name;
        let v = c.i32(i);
        let _ = match (ty, an) {
            ("int", "dirfd" | "olddirfd" | "newdirfd") if v == libc::AT_FDCWD => {
                write!(out, "AT_FDCWD")
            }
            ("int", "flags") if matches!(name, "open" | "openat") => {
                write!(out, "{}", open_flags(v))
            }
            ("int", "prot") => write!(out, "{}", prot_flags(v)),
            ("int", "flags") if name == "mmap" => write!(out, "{}", map_flags(v)),
            ("int", "sig" | "signum") => write!(out, "{}", signame(v)),
            ("mode_t", _) if c.u32(i) == 0 => write!(out, "0"),
            ("mode_t", _) => write!(out, "0{:o}", c.u32(i)),
            ("int", "request" | "cmd" | "op" | "option" | "futex_op") => {
                write!(out, "{:#x}", c.u32(i))
            }
            ("char*", "pathname" | "path" | "oldpath" | "newpath" | "target" | "linkpath") => {
                write!(out, "{}", guest_str(c, c.addr(i)))
            }
            ("char**", "argv") => write!(out, "{}", guest_argv(c, c.addr(i))),
            ("void*" | "char*", "buf") if fills_buffer(name) => match after {
                Some(Ok(n)) => write!(out, "{}", guest_buf(c, c.addr(i), *n as u64)),
                _ => write!(out, "{}", ptr(c.addr(i))),
            },
            ("void*", "buf") if matches!(name, "write" | "pwrite64" | "sendto") => {
                // The length follows the buffer.
                write!(out, "{}", guest_buf(c, c.addr(i), c.u32(i + 1) as u64))
            }
            (t, _) if t.ends_with('*') => write!(out, "{}", ptr(c.addr(i))),
            ("void*", _) => write!(out, "{}", ptr(c.addr(i))),
            ("size_t" | "socklen_t" | "nfds_t" | "unsigned int" | "uid_t" | "gid_t", _) => {
                write!(out, "{}", c.u32(i))
            }
            ("unsigned long", _) => write!(out, "{}", c.u64(i)),
            ("off_t" | "long", _) => write!(out, "{}", c.i64(i)),
            _ if wasm == ValType::I64 => write!(out, "{}", c.i64(i)),
            _ => write!(out, "{v}"),
        };
    }
}

/// A guest address as the trace shows it.
fn ptr(a: Addr) -> String {
    if a.is_null() {
        "NULL".into()
    } else {
        format!("{a:#x}")
    }
}

/// The accessible bytes at `[addr, addr + min(len, want))` (prefix: cut at
/// the end of memory), each read once; None when none can be read.
fn guest_prefix(c: &Ctx, addr: Addr, len: u64, want: usize) -> Option<Vec<u8>> {
    let size = c.mem.size();
    if addr.is_null() || addr.wide() >= size {
        return None;
    }
    let n = len.min(want as u64).min(size - addr.wide()) as usize;
    c.mem.read_bytes(addr, n).ok()
}

/// A guest byte buffer of `len` bytes, quoted and cut at [`STR_MAX`].
fn guest_buf(c: &Ctx, addr: Addr, len: u64) -> String {
    if len == 0 {
        return "\"\"".into();
    }
    match guest_prefix(c, addr, len, STR_MAX) {
        Some(b) => quote(&b, len > b.len() as u64),
        None => ptr(addr),
    }
}

/// A NUL-terminated guest string, quoted and cut at [`STR_MAX`].
fn guest_str(c: &Ctx, addr: Addr) -> String {
    match guest_prefix(c, addr, u64::MAX, STR_MAX + 1) {
        Some(b) => match b.iter().position(|&x| x == 0) {
            Some(end) => quote(&b[..end], false),
            None if b.len() > STR_MAX => quote(&b[..STR_MAX], true),
            // Memory ends before a NUL: what a kernel would fault on.
            None => ptr(addr),
        },
        None => ptr(addr),
    }
}

/// A guest `argv`: its first strings, as `["a", "b", ...]`.
fn guest_argv(c: &Ctx, addr: Addr) -> String {
    if addr.is_null() {
        return "NULL".into();
    }
    let mut parts = Vec::new();
    for k in 0..=ARGV_MAX {
        let Ok(p) = c.mem.read::<u32>(addr + k * 4) else {
            return ptr(addr);
        };
        if p == 0 {
            return format!("[{}]", parts.join(", "));
        }
        if k == ARGV_MAX {
            parts.push("...".into());
            break;
        }
        parts.push(guest_str(c, Addr(p)));
    }
    format!("[{}]", parts.join(", "))
}

/// `bytes` as a C string literal, `...` after it when `cut`.
fn quote(bytes: &[u8], cut: bool) -> String {
    let mut s = String::with_capacity(bytes.len() + 8);
    s.push('"');
    for &b in bytes {
        match b {
            b'"' => s.push_str("\\\""),
            b'\\' => s.push_str("\\\\"),
            b'\n' => s.push_str("\\n"),
            b'\t' => s.push_str("\\t"),
            b'\r' => s.push_str("\\r"),
            0x20..=0x7e => s.push(b as char),
            _ => {
                let _ = write!(s, "\\x{b:02x}");
            }
        }
    }
    s.push('"');
    if cut {
        s.push_str("...");
    }
    s
}

/// `flags` as `A|B|0x..` from `(bit, name)` pairs.
fn flag_names(mut flags: u32, names: &[(u32, &str)], out: &mut Vec<String>) {
    for &(bit, name) in names {
        if bit != 0 && flags & bit == bit {
            out.push(name.into());
            flags &= !bit;
        }
    }
    if flags != 0 {
        out.push(format!("{flags:#x}"));
    }
}

/// Open flags: the access mode, then each flag (`O_RDONLY|O_CLOEXEC`).
/// The guest's flags are x86-64's and the names come from the host's libc,
/// so other hosts print them as numbers.
#[cfg(target_arch = "x86_64")]
pub fn open_flags(v: i32) -> String {
    let v = v as u32;
    let mut out = vec![match v & libc::O_ACCMODE as u32 {
        0 => "O_RDONLY".to_string(),
        1 => "O_WRONLY".into(),
        2 => "O_RDWR".into(),
        _ => "O_ACCMODE".into(),
    }];
    const F: &[(i32, &str)] = &[
        (libc::O_TMPFILE, "O_TMPFILE"),
        (libc::O_SYNC, "O_SYNC"),
        (libc::O_CREAT, "O_CREAT"),
        (libc::O_EXCL, "O_EXCL"),
        (libc::O_NOCTTY, "O_NOCTTY"),
        (libc::O_TRUNC, "O_TRUNC"),
        (libc::O_APPEND, "O_APPEND"),
        (libc::O_NONBLOCK, "O_NONBLOCK"),
        (libc::O_DSYNC, "O_DSYNC"),
        (libc::O_ASYNC, "O_ASYNC"),
        (libc::O_DIRECT, "O_DIRECT"),
        // 0 in the host's libc (x86-64), 0o100000 in the kernel's ABI,
        // which the guest's libc passes. A WALI guest ABI fact: x86-64's
        // asm-generic/fcntl.h value (aarch64's kernel has 0o400000).
        (0o100000, "O_LARGEFILE"),
        (libc::O_DIRECTORY, "O_DIRECTORY"),
        (libc::O_NOFOLLOW, "O_NOFOLLOW"),
        (libc::O_NOATIME, "O_NOATIME"),
        (libc::O_CLOEXEC, "O_CLOEXEC"),
        (libc::O_PATH, "O_PATH"),
    ];
    let names: Vec<(u32, &str)> = F.iter().map(|&(b, n)| (b as u32, n)).collect();
    flag_names(v & !(libc::O_ACCMODE as u32), &names, &mut out);
    out.join("|")
}

/// mmap/mprotect protection: `PROT_READ|PROT_WRITE`, or `PROT_NONE`.
pub fn prot_flags(v: i32) -> String {
    if v == 0 {
        return "PROT_NONE".into();
    }
    let mut out = Vec::new();
    flag_names(
        v as u32,
        &[
            (libc::PROT_READ as u32, "PROT_READ"),
            (libc::PROT_WRITE as u32, "PROT_WRITE"),
            (libc::PROT_EXEC as u32, "PROT_EXEC"),
            (libc::PROT_GROWSDOWN as u32, "PROT_GROWSDOWN"),
            (libc::PROT_GROWSUP as u32, "PROT_GROWSUP"),
        ],
        &mut out,
    );
    out.join("|")
}

/// Open flags as a number (see the x86-64 version).
#[cfg(not(target_arch = "x86_64"))]
pub fn open_flags(v: i32) -> String {
    format!("{v:#x}")
}

/// mmap flags as a number (see the x86-64 version).
#[cfg(not(target_arch = "x86_64"))]
pub fn map_flags(v: i32) -> String {
    format!("{v:#x}")
}

/// mmap flags: the mapping type, then each flag (x86-64's, as the guest's).
#[cfg(target_arch = "x86_64")]
pub fn map_flags(v: i32) -> String {
    let v = v as u32;
    const TYPE: u32 = libc::MAP_TYPE as u32;
    const SHARED: u32 = libc::MAP_SHARED as u32;
    const PRIVATE: u32 = libc::MAP_PRIVATE as u32;
    const SHARED_VALIDATE: u32 = libc::MAP_SHARED_VALIDATE as u32;
    let mut out = vec![match v & TYPE {
        SHARED => "MAP_SHARED".to_string(),
        PRIVATE => "MAP_PRIVATE".into(),
        SHARED_VALIDATE => "MAP_SHARED_VALIDATE".into(),
        t => format!("{t:#x}"),
    }];
    let names: Vec<(u32, &str)> = [
        (libc::MAP_FIXED, "MAP_FIXED"),
        (libc::MAP_ANONYMOUS, "MAP_ANONYMOUS"),
        (libc::MAP_32BIT, "MAP_32BIT"),
        (libc::MAP_GROWSDOWN, "MAP_GROWSDOWN"),
        (libc::MAP_DENYWRITE, "MAP_DENYWRITE"),
        (libc::MAP_EXECUTABLE, "MAP_EXECUTABLE"),
        (libc::MAP_LOCKED, "MAP_LOCKED"),
        (libc::MAP_NORESERVE, "MAP_NORESERVE"),
        (libc::MAP_POPULATE, "MAP_POPULATE"),
        (libc::MAP_NONBLOCK, "MAP_NONBLOCK"),
        (libc::MAP_STACK, "MAP_STACK"),
        (libc::MAP_HUGETLB, "MAP_HUGETLB"),
        (libc::MAP_SYNC, "MAP_SYNC"),
        (libc::MAP_FIXED_NOREPLACE, "MAP_FIXED_NOREPLACE"),
    ]
    .iter()
    .map(|&(b, n)| (b as u32, n))
    .collect();
    flag_names(v & !TYPE, &names, &mut out);
    out.join("|")
}

/// Results that are guest addresses, shown in hex.
fn returns_address(name: &str) -> bool {
    matches!(name, "mmap" | "mremap" | "brk" | "shmat")
}

/// A call's result: `3`, `0x10000`, or `-1 ENOENT (No such file or directory)`.
pub fn result(name: &str, r: &SysResult) -> String {
    match r {
        Ok(v) if returns_address(name) => format!("{v:#x}"),
        Ok(v) => v.to_string(),
        Err(Errno(e)) => format!("-1 {} ({})", errno_name(*e), strerror(*e)),
    }
}

/// The text of errno `e` (`No such file or directory`).
fn strerror(e: i32) -> String {
    let s = std::io::Error::from_raw_os_error(e).to_string();
    match s.find(" (os error") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

macro_rules! names {
    ($fn:ident, $unknown:literal, $($c:ident)*) => {
        /// The symbolic name of a value (libc's constants).
        pub fn $fn(v: i32) -> String {
            $( if v == libc::$c { return stringify!($c).to_string(); } )*
            format!($unknown, v)
        }
    };
}

names!(errno_name, "E{}",
    EPERM ENOENT ESRCH EINTR EIO ENXIO E2BIG ENOEXEC EBADF ECHILD EAGAIN ENOMEM EACCES
    EFAULT ENOTBLK EBUSY EEXIST EXDEV ENODEV ENOTDIR EISDIR EINVAL ENFILE EMFILE ENOTTY
    ETXTBSY EFBIG ENOSPC ESPIPE EROFS EMLINK EPIPE EDOM ERANGE EDEADLK ENAMETOOLONG ENOLCK
    ENOSYS ENOTEMPTY ELOOP ENOMSG EIDRM ECHRNG EL2NSYNC EL3HLT EL3RST ELNRNG EUNATCH ENOCSI
    EL2HLT EBADE EBADR EXFULL ENOANO EBADRQC EBADSLT EBFONT ENOSTR ENODATA ETIME ENOSR
    ENONET ENOPKG EREMOTE ENOLINK EADV ESRMNT ECOMM EPROTO EMULTIHOP EDOTDOT EBADMSG
    EOVERFLOW ENOTUNIQ EBADFD EREMCHG ELIBACC ELIBBAD ELIBSCN ELIBMAX ELIBEXEC EILSEQ
    ERESTART ESTRPIPE EUSERS ENOTSOCK EDESTADDRREQ EMSGSIZE EPROTOTYPE ENOPROTOOPT
    EPROTONOSUPPORT ESOCKTNOSUPPORT EOPNOTSUPP EPFNOSUPPORT EAFNOSUPPORT EADDRINUSE
    EADDRNOTAVAIL ENETDOWN ENETUNREACH ENETRESET ECONNABORTED ECONNRESET ENOBUFS EISCONN
    ENOTCONN ESHUTDOWN ETOOMANYREFS ETIMEDOUT ECONNREFUSED EHOSTDOWN EHOSTUNREACH EALREADY
    EINPROGRESS ESTALE EUCLEAN ENOTNAM ENAVAIL EISNAM EREMOTEIO EDQUOT ENOMEDIUM EMEDIUMTYPE
    ECANCELED ENOKEY EKEYEXPIRED EKEYREVOKED EKEYREJECTED EOWNERDEAD ENOTRECOVERABLE ERFKILL
    EHWPOISON);

names!(signal_name, "SIG{}",
    SIGHUP SIGINT SIGQUIT SIGILL SIGTRAP SIGABRT SIGBUS SIGFPE SIGKILL SIGUSR1 SIGSEGV
    SIGUSR2 SIGPIPE SIGALRM SIGTERM SIGSTKFLT SIGCHLD SIGCONT SIGSTOP SIGTSTP SIGTTIN
    SIGTTOU SIGURG SIGXCPU SIGXFSZ SIGVTALRM SIGPROF SIGWINCH SIGIO SIGPWR SIGSYS);

/// A signal's name; real-time signals as `SIGRT_n`.
pub fn signame(sig: i32) -> String {
    if (32..=64).contains(&sig) {
        return format!("SIGRT_{}", sig - 32);
    }
    signal_name(sig)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_flags_and_errors() {
        assert_eq!(open_flags(0), "O_RDONLY");
        assert_eq!(
            open_flags(libc::O_WRONLY | libc::O_CREAT | libc::O_TRUNC | libc::O_CLOEXEC),
            "O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC"
        );
        assert_eq!(open_flags(libc::O_RDWR | libc::O_SYNC), "O_RDWR|O_SYNC");
        assert_eq!(
            open_flags(libc::O_RDONLY | 0x4000_0000),
            "O_RDONLY|0x40000000"
        );
        assert_eq!(prot_flags(0), "PROT_NONE");
        assert_eq!(
            prot_flags(libc::PROT_READ | libc::PROT_WRITE),
            "PROT_READ|PROT_WRITE"
        );
        assert_eq!(
            map_flags(libc::MAP_PRIVATE | libc::MAP_ANONYMOUS),
            "MAP_PRIVATE|MAP_ANONYMOUS"
        );
        assert_eq!(
            result("openat", &Err(Errno::ENOENT)),
            "-1 ENOENT (No such file or directory)"
        );
        assert_eq!(result("mmap", &Ok(0x10000)), "0x10000");
        assert_eq!(result("write", &Ok(5)), "5");
        assert_eq!(errno_name(4095), "E4095");
        assert_eq!(signame(libc::SIGINT), "SIGINT");
        assert_eq!(signame(34), "SIGRT_2");
    }

    #[test]
    fn quotes_bytes() {
        assert_eq!(quote(b"a\"b\\\n\x01", false), "\"a\\\"b\\\\\\n\\x01\"");
        assert_eq!(quote(b"abc", true), "\"abc\"...");
    }
}
