//! Errors in the raw kernel convention: a WALI call returns `-errno`.

/// A Linux errno value (positive).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Errno(pub i32);

impl Errno {
    pub const EPERM: Errno = Errno(libc::EPERM);
    pub const ENOENT: Errno = Errno(libc::ENOENT);
    pub const EBADF: Errno = Errno(libc::EBADF);
    pub const EAGAIN: Errno = Errno(libc::EAGAIN);
    pub const ENOMEM: Errno = Errno(libc::ENOMEM);
    pub const EFAULT: Errno = Errno(libc::EFAULT);
    pub const EINVAL: Errno = Errno(libc::EINVAL);
    pub const ERANGE: Errno = Errno(libc::ERANGE);
    pub const ENAMETOOLONG: Errno = Errno(libc::ENAMETOOLONG);
    pub const ENOSYS: Errno = Errno(libc::ENOSYS);
    pub const E2BIG: Errno = Errno(libc::E2BIG);
    pub const EACCES: Errno = Errno(libc::EACCES);

    /// The calling thread's `errno` after a failed libc call.
    pub fn last() -> Errno {
        Errno(
            std::io::Error::last_os_error()
                .raw_os_error()
                .unwrap_or(libc::EIO),
        )
    }
}

/// Result of a syscall handler: the non-negative return value, or an errno.
pub type SysResult = Result<i64, Errno>;

/// Folds a result into the raw kernel convention returned to the guest.
#[inline]
pub fn to_raw(r: SysResult) -> i64 {
    match r {
        Ok(v) => v,
        Err(Errno(e)) => -(e as i64),
    }
}
