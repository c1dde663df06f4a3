//! The host kernel: raw system calls in the kernel's own convention.
//!
//! Handlers translate guest arguments first (pointers through
//! [`crate::abi::mem::GuestMem`], which yields [`HostPtr`]s), then call the host
//! kernel here. Only integers and checked pointers can be passed, so a
//! syscall made through this module cannot reach host memory outside the
//! guest's linear memory or the handler's own buffers.

use crate::abi::errno::{Errno, SysResult};
use crate::abi::mem::HostPtr;

/// One syscall argument: an integer or a checked pointer.
#[derive(Clone, Copy, Debug)]
pub struct Arg(pub(crate) u64);

macro_rules! arg_from_int {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            #[inline]
            fn from(v: $t) -> Arg {
                // Sign-extension of negative values is what the kernel expects
                // (AT_FDCWD, -1 descriptors).
                Arg(v as i64 as u64)
            }
        }
    )*};
}
arg_from_int!(i32, i64, isize, u32, u16, u8);

impl From<u64> for Arg {
    #[inline]
    fn from(v: u64) -> Arg {
        Arg(v)
    }
}

impl From<usize> for Arg {
    #[inline]
    fn from(v: usize) -> Arg {
        Arg(v as u64)
    }
}

impl From<HostPtr> for Arg {
    #[inline]
    fn from(p: HostPtr) -> Arg {
        Arg(p.addr())
    }
}

/// Makes host syscall `nr` with up to six arguments.
#[inline]
#[allow(unsafe_code)]
pub fn syscall(nr: libc::c_long, a: [Arg; 6]) -> SysResult {
    // SAFETY: every argument is an integer or a pointer that GuestMem checked
    // (or that points at the caller's own host buffer); handlers pass the
    // length the kernel will access alongside each buffer.
    let r = unsafe { libc::syscall(nr, a[0].0, a[1].0, a[2].0, a[3].0, a[4].0, a[5].0) };
    if r < 0 {
        Err(Errno::last())
    } else {
        Ok(r as i64)
    }
}

/// `host_syscall!(libc::SYS_read, fd, buf, len)`: a host syscall with converted arguments.
#[macro_export]
macro_rules! host_syscall {
    ($nr:expr $(, $a:expr)* $(,)?) => {{
        #[allow(unused_mut)]
        let mut args = [$crate::host::Arg(0); 6];
        let mut _i = 0usize;
        $( args[_i] = $crate::host::Arg::from($a); _i += 1; )*
        $crate::host::syscall($nr, args)
    }};
}

/// Forks the host process (glibc's fork, so its own state is reset in the
/// child). Returns the child's pid in the parent and 0 in the child.
#[allow(unsafe_code)]
pub fn fork() -> SysResult {
    // SAFETY: fork() has no memory-safety preconditions; the caller makes
    // sure no other thread holds state the child would need (a guest forks
    // only while it has one thread).
    let r = unsafe { libc::fork() };
    if r < 0 {
        Err(Errno::last())
    } else {
        Ok(r as i64)
    }
}

/// Ends the host process at once with `status` (all threads).
pub fn exit_group_now(status: i32) -> ! {
    let _ = crate::host_syscall!(libc::SYS_exit_group, status);
    unreachable!("exit_group returned")
}

/// Closes a host descriptor, ignoring errors (clean-up paths).
pub fn close(fd: i32) {
    let _ = crate::host_syscall!(libc::SYS_close, fd);
}

/// The paths of the shared objects the dynamic loader has loaded into the
/// engine (the loader and the libraries; not the executable, which it names
/// ""), known without procfs.
#[allow(unsafe_code)]
pub fn loaded_objects() -> Vec<std::path::PathBuf> {
    use std::os::unix::ffi::OsStrExt;
    extern "C" fn each(
        info: *mut libc::dl_phdr_info,
        _size: usize,
        data: *mut libc::c_void,
    ) -> libc::c_int {
        // SAFETY: the loader passes a valid `dl_phdr_info` for the duration
        // of the call, and `data` is the Vec handed to dl_iterate_phdr
        // below, borrowed mutably by nothing else while it runs.
        let (info, out) = unsafe { (&*info, &mut *(data as *mut Vec<std::path::PathBuf>)) };
        if !info.dlpi_name.is_null() {
            // SAFETY: a non-null dlpi_name is a NUL-terminated string the
            // loader keeps for the object's lifetime (beyond this call).
            let name = unsafe { std::ffi::CStr::from_ptr(info.dlpi_name) };
            if name.to_bytes().first() == Some(&b'/') {
                out.push(std::ffi::OsStr::from_bytes(name.to_bytes()).into());
            }
        }
        0
    }
    let mut out: Vec<std::path::PathBuf> = Vec::new();
    // SAFETY: `each` upholds dl_iterate_phdr's callback contract and only
    // touches `out`, which outlives the call.
    unsafe { libc::dl_iterate_phdr(Some(each), (&mut out as *mut Vec<_>).cast()) };
    out
}

pub mod guard;
pub mod log;
pub mod sandbox;
#[allow(unsafe_code)]
pub mod sigaction;

/// Runs `f` with every signal blocked in the calling thread (its mask is
/// restored after), so threads started meanwhile inherit a full mask.
#[allow(unsafe_code)]
pub fn with_signals_blocked<R>(f: impl FnOnce() -> R) -> R {
    // SAFETY: sigset_t is plain data (zeroed, then filled by sigfillset);
    // pthread_sigmask only changes this thread's mask, with pointers to
    // these locals.
    let old = unsafe {
        let mut all: libc::sigset_t = std::mem::zeroed();
        let mut old: libc::sigset_t = std::mem::zeroed();
        libc::sigfillset(&mut all);
        libc::pthread_sigmask(libc::SIG_BLOCK, &all, &mut old);
        old
    };
    let r = f();
    // SAFETY: restores the mask saved above; `old` is a valid sigset_t.
    unsafe { libc::pthread_sigmask(libc::SIG_SETMASK, &old, std::ptr::null_mut()) };
    r
}

/// The effective user id of the engine process.
#[allow(unsafe_code)]
pub fn geteuid() -> u32 {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() }
}

/// `AT_EXECFN` of this process: the file name its `execve` was given.
#[allow(unsafe_code)]
pub fn exec_fn() -> Option<Vec<u8>> {
    // SAFETY: getauxval only reads the auxiliary vector. A non-zero
    // AT_EXECFN is the address of a NUL-terminated string the kernel placed
    // on the initial stack, which stays mapped and unchanged for the life of
    // the process (nothing writes above the start-up arguments).
    unsafe {
        let p = libc::getauxval(libc::AT_EXECFN) as *const std::ffi::c_char;
        if p.is_null() {
            return None;
        }
        Some(std::ffi::CStr::from_ptr(p).to_bytes().to_vec())
    }
}

/// A new close-on-exec memory file named `name`.
#[allow(unsafe_code)]
pub fn memfd_create(name: &std::ffi::CStr) -> Result<std::os::fd::OwnedFd, Errno> {
    use std::os::fd::FromRawFd;
    // SAFETY: `name` is NUL-terminated and outlives the call.
    let fd = unsafe { libc::memfd_create(name.as_ptr(), libc::MFD_CLOEXEC) };
    if fd < 0 {
        return Err(Errno::last());
    }
    // SAFETY: the kernel just returned this descriptor; nothing else owns it.
    Ok(unsafe { std::os::fd::OwnedFd::from_raw_fd(fd) })
}

/// Runs one of C's number parsers over `s`: the value and how many bytes
/// of `s` it used (0 when nothing parsed), as `strtoul(s, &end, 0)` etc.
#[allow(unsafe_code)]
fn c_parse<T>(
    s: &std::ffi::CStr,
    parse: impl FnOnce(*const std::ffi::c_char, *mut *mut std::ffi::c_char) -> T,
) -> (T, usize) {
    let mut end: *mut std::ffi::c_char = std::ptr::null_mut();
    let v = parse(s.as_ptr(), &mut end);
    let used = if end.is_null() {
        0
    } else {
        // SAFETY: C's parsers set `end` into the string they were given (at
        // most its NUL), so both pointers are in one allocation.
        unsafe { end.offset_from(s.as_ptr()) }.clamp(0, s.to_bytes().len() as isize) as usize
    };
    (v, used)
}

/// C's `strtoul(s, &end, 0)`: the value and the bytes used.
#[allow(unsafe_code)]
pub fn strtoul(s: &std::ffi::CStr) -> (u64, usize) {
    // SAFETY: `p` is a NUL-terminated string, `e` a pointer to a local.
    c_parse(s, |p, e| unsafe { libc::strtoul(p, e, 0) } as u64)
}

/// C's `strtoull(s, &end, 0)`: the value and the bytes used.
#[allow(unsafe_code)]
pub fn strtoull(s: &std::ffi::CStr) -> (u64, usize) {
    // SAFETY: `p` is a NUL-terminated string, `e` a pointer to a local.
    c_parse(s, |p, e| unsafe { libc::strtoull(p, e, 0) } as u64)
}

/// C's `strtof(s, &end)`: the value and the bytes used.
#[allow(unsafe_code)]
pub fn strtof(s: &std::ffi::CStr) -> (f32, usize) {
    // SAFETY: `p` is a NUL-terminated string, `e` a pointer to a local.
    c_parse(s, |p, e| unsafe { libc::strtof(p, e) })
}

/// C's `strtod(s, &end)`: the value and the bytes used.
#[allow(unsafe_code)]
pub fn strtod(s: &std::ffi::CStr) -> (f64, usize) {
    // SAFETY: `p` is a NUL-terminated string, `e` a pointer to a local.
    c_parse(s, |p, e| unsafe { libc::strtod(p, e) })
}

/// A float as C's `%.7g` prints it.
#[allow(unsafe_code)]
pub fn format_g7(x: f64) -> String {
    let mut buf = [0 as std::ffi::c_char; 64];
    // SAFETY: the buffer's size is given; the format takes one double.
    let n = unsafe { libc::snprintf(buf.as_mut_ptr(), buf.len(), c"%.7g".as_ptr(), x) };
    if n < 0 {
        return x.to_string();
    }
    let bytes: Vec<u8> = buf
        .iter()
        .take_while(|&&c| c != 0)
        .map(|&c| c as u8)
        .collect();
    String::from_utf8_lossy(&bytes).into_owned()
}
