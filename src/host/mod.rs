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
pub mod sigaction;
