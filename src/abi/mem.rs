//! Guest linear memory: the one place where guest addresses become host
//! pointers.
//!
//! A guest address is a 32-bit offset into memory 0. Every address and length
//! a guest hands to a syscall is checked here against the memory's current
//! size before the host or the kernel touches it; out of range is `EFAULT`.
//! Guest address 0 is NULL and becomes the host NULL pointer, so the kernel
//! answers exactly as Linux does for a NULL argument (usually `EFAULT`).
//!
//! The memory is shared with other guest threads that may write it at any
//! time, so no Rust reference (`&[u8]`, `&T`) to guest memory is ever formed:
//! values are copied in and out with unaligned raw reads and writes, and the
//! kernel receives raw pointers ([`HostPtr`]). Linear memory never shrinks,
//! so a range that was in bounds when checked stays mapped.

use crate::abi::errno::Errno;
use crate::abi::layout;
use std::ffi::{c_char, CString};
use wamr_sys as w;

/// A guest address: a 32-bit offset into linear memory. Its own type, so
/// that an address is never taken for a length, a count or a descriptor;
/// it becomes a host pointer only through [`GuestMem`]'s checks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(transparent)]
pub struct Addr(pub u32);

impl Addr {
    /// Guest NULL (page 0 is never accessible to a host copy).
    pub const NULL: Addr = Addr(0);

    /// Whether this is guest NULL.
    #[inline]
    pub fn is_null(self) -> bool {
        self.0 == 0
    }

    /// The address as a 64-bit number, for range arithmetic that cannot
    /// overflow.
    #[inline]
    pub fn wide(self) -> u64 {
        self.0 as u64
    }

    /// `self + n`, or None past 4 GiB.
    #[inline]
    pub fn checked_add(self, n: u32) -> Option<Addr> {
        self.0.checked_add(n).map(Addr)
    }
}

/// `addr + n` wraps as the guest's own 32-bit pointer arithmetic does; the
/// range checks of [`GuestMem`] catch what leaves linear memory.
impl std::ops::Add<u32> for Addr {
    type Output = Addr;
    #[inline]
    fn add(self, n: u32) -> Addr {
        Addr(self.0.wrapping_add(n))
    }
}

/// `addr - n`, wrapping as [`Add`](std::ops::Add) does.
impl std::ops::Sub<u32> for Addr {
    type Output = Addr;
    #[inline]
    fn sub(self, n: u32) -> Addr {
        Addr(self.0.wrapping_sub(n))
    }
}

impl TryFrom<u64> for Addr {
    type Error = std::num::TryFromIntError;
    fn try_from(v: u64) -> Result<Addr, Self::Error> {
        u32::try_from(v).map(Addr)
    }
}

impl std::fmt::LowerHex for Addr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::LowerHex::fmt(&self.0, f)
    }
}

/// A host pointer that is either NULL, points into guest memory for a range
/// checked by [`GuestMem`], or points at host memory owned by the caller.
/// Only this module creates one from a guest address, so a syscall argument
/// of this type carries the bounds check with it.
#[derive(Clone, Copy, Debug)]
pub struct HostPtr(*mut u8);

impl HostPtr {
    pub const NULL: HostPtr = HostPtr(std::ptr::null_mut());

    /// A pointer to host memory the caller owns (a local struct the kernel
    /// fills before it is translated into the guest's layout).
    pub fn to_host<T>(v: &mut T) -> HostPtr {
        HostPtr(v as *mut T as *mut u8)
    }

    /// A pointer to a host byte buffer the caller owns.
    pub fn to_host_slice(v: &mut [u8]) -> HostPtr {
        HostPtr(v.as_mut_ptr())
    }

    pub fn is_null(self) -> bool {
        self.0.is_null()
    }

    pub fn addr(self) -> u64 {
        self.0 as u64
    }
}

/// Plain data that may be copied to and from guest memory byte for byte:
/// every bit pattern is a valid value.
///
/// # Safety
/// Implement only for types without padding-sensitive invariants, pointers,
/// references or niche-carrying fields.
pub unsafe trait Pod: Copy {}
// SAFETY: an integer without padding: every bit pattern is a value.
unsafe impl Pod for u8 {}
// SAFETY: an integer without padding: every bit pattern is a value.
unsafe impl Pod for i8 {}
// SAFETY: an integer without padding: every bit pattern is a value.
unsafe impl Pod for u16 {}
// SAFETY: an integer without padding: every bit pattern is a value.
unsafe impl Pod for i16 {}
// SAFETY: an integer without padding: every bit pattern is a value.
unsafe impl Pod for u32 {}
// SAFETY: an integer without padding: every bit pattern is a value.
unsafe impl Pod for i32 {}
// SAFETY: an integer without padding: every bit pattern is a value.
unsafe impl Pod for u64 {}
// SAFETY: an integer without padding: every bit pattern is a value.
unsafe impl Pod for i64 {}
// SAFETY: an array of Pod elements has no padding between them and
// accepts every bit pattern its elements accept.
unsafe impl<T: Pod, const N: usize> Pod for [T; N] {}
// SAFETY: a transparent wrapper of a u32: every bit pattern is a value.
unsafe impl Pod for Addr {}

/// The guest struct mirrors of `abi/layout.rs`.
macro_rules! pod_mirrors {
    ($($t:ident),* $(,)?) => {
        // SAFETY: each mirror is `repr(C)` (or `repr(C, packed)`) over
        // integers, arrays of integers and other mirrors, with every byte in
        // a named field (layout.rs's `mirrors_have_no_implicit_padding`), so
        // every bit pattern is a valid value and no padding byte is copied.
        $(unsafe impl Pod for layout::$t {})*
    };
}
pod_mirrors!(
    Timespec, Timeval, Timezone, Itimerval, Utimbuf, Iovec, Msghdr, Mmsghdr, Sockaddr, Pollfd,
    EpollEvent, KSigaction, StackT, Rlimit, Rusage, Sysinfo, Utsname, Stat, StxTime, Statx, Statfs,
    Dirent, CpuSet, FdSet, SockFprog,
);

// The C functions behind this module (wamr-sys/cmake/wali_mem.c,
// wali_fault.c), declared in wamr-sys/cmake/wali_shims.h and bound by
// bindgen: `wali_guest_memory`, `wali_copy`, `wali_memchr0`,
// `wali_fault_entry`, `wali_fault_set_next`.
use w::{wali_copy, wali_guest_memory, wali_memchr0};

/// A SA_SIGINFO host signal handler.
pub type FaultHandler = extern "C" fn(libc::c_int, *mut libc::siginfo_t, *mut libc::c_void);

/// The host SIGSEGV/SIGBUS handler to install in front of every other: a
/// fault of a host copy of guest memory (a truncated shared file page)
/// makes that copy fail with `EFAULT`; any other fault goes to `next`.
pub fn fault_entry(next: FaultHandler) -> FaultHandler {
    // The C side passes signal types as void * (wali_shims.h).
    type CHandler = unsafe extern "C" fn(libc::c_int, *mut libc::c_void, *mut libc::c_void);
    // SAFETY: the same function with the same ABI, its pointer parameters
    // seen as `void *` by C, which passes the kernel's pointers through.
    let next = unsafe { std::mem::transmute::<FaultHandler, CHandler>(next) };
    // SAFETY: stores a function pointer the C entry calls for faults that
    // are not its own; `next` has the handler signature.
    unsafe { w::wali_fault_set_next(Some(next)) };
    // SAFETY: the C entry, seen as a safe fn of the same ABI (pointer
    // parameters as the kernel's types): its only caller is the kernel,
    // which calls it as a SA_SIGINFO handler with valid arguments. The C
    // function itself is the handler, so no Rust frame lies between its
    // jump and the copy it resumes.
    unsafe { std::mem::transmute::<CHandler, FaultHandler>(w::wali_fault_entry) }
}

/// Copies `n` bytes between host and guest memory (or inside guest memory)
/// with a page fault turned into `EFAULT`.
///
/// # Safety
/// `dst` and `src` must be valid for `n` bytes (guest ranges checked
/// against the memory's bounds), `guest..guest+guest_len` the guest part.
#[inline]
unsafe fn copy_guarded(
    dst: *mut u8,
    src: *const u8,
    n: usize,
    guest: *const u8,
    guest_len: usize,
) -> Result<(), Errno> {
    // SAFETY: per the contract; the C function copies with memmove and
    // only reads or writes those bytes.
    match unsafe { wali_copy(dst.cast(), src.cast(), n, guest.cast(), guest_len) } {
        0 => Ok(()),
        _ => Err(Errno::EFAULT),
    }
}

/// A view of a guest's linear memory as it is at the moment of a call.
#[derive(Clone, Copy, Debug)]
pub struct GuestMem {
    base: *mut u8,
    size: u64,
}

impl GuestMem {
    /// The default memory of the instance running on `env`.
    ///
    /// Returns an empty view if the instance has no memory, so every access
    /// fails with `EFAULT`.
    ///
    /// # Safety
    /// `env` must be a live exec env (the one WAMR passed to a native).
    #[inline]
    pub unsafe fn of(env: w::wasm_exec_env_t) -> GuestMem {
        let mut m = GuestMem::empty();
        // SAFETY: per the contract `env` is live; the shim only reads the
        // instance's memory fields (wamr-sys/cmake/wali_mem.c) and writes
        // the two out-parameters, which point at `m`'s fields.
        unsafe { wali_guest_memory(env, &mut m.base, &mut m.size) };
        m
    }

    /// The default memory of a module instance.
    ///
    /// # Safety
    /// `inst` must be a live module instance.
    pub unsafe fn of_instance(inst: w::wasm_module_inst_t) -> GuestMem {
        // SAFETY: per the contract `inst` is live; these calls only read.
        unsafe {
            let m = w::wasm_runtime_get_default_memory(inst);
            if m.is_null() {
                return GuestMem::empty();
            }
            let pages = w::wasm_memory_get_cur_page_count(m);
            let page = w::wasm_memory_get_bytes_per_page(m);
            GuestMem {
                base: w::wasm_memory_get_base_address(m) as *mut u8,
                size: pages.saturating_mul(page),
            }
        }
    }

    const fn empty() -> GuestMem {
        GuestMem {
            base: std::ptr::null_mut(),
            size: 0,
        }
    }

    /// Current size of linear memory in bytes.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Host address of the start of linear memory.
    pub fn base(&self) -> u64 {
        self.base as u64
    }

    /// Checks that `[addr, addr+len)` lies inside memory. A non-empty range
    /// at guest address 0 is `EFAULT`: 0 is NULL, which Linux never maps,
    /// so a struct the host copies in or out through NULL (a NULL msghdr,
    /// iovec array, sigset, robust-list pointer...) faults as on Linux
    /// instead of landing in the first bytes of linear memory.
    #[inline]
    pub fn check(&self, addr: Addr, len: u64) -> Result<(), Errno> {
        if addr.is_null() && len > 0 {
            return Err(Errno::EFAULT);
        }
        match addr.wide().checked_add(len) {
            Some(end) if end <= self.size => Ok(()),
            _ => Err(Errno::EFAULT),
        }
    }

    /// A host pointer to `len` bytes at `addr`, for the kernel to read or
    /// write. NULL stays NULL. A zero-length range is never dereferenced, so
    /// any address is accepted for it, as Linux does.
    #[inline]
    pub fn buf(&self, addr: Addr, len: u64) -> Result<HostPtr, Errno> {
        if addr.is_null() {
            return Ok(HostPtr::NULL);
        }
        if len == 0 {
            let off = addr.wide().min(self.size);
            // SAFETY: off <= size: one past the end at most, never read.
            return Ok(HostPtr(unsafe { self.base.add(off as usize) }));
        }
        self.check(addr, len)?;
        // SAFETY: the range was just checked to lie within linear memory.
        Ok(HostPtr(unsafe { self.base.add(addr.0 as usize) }))
    }

    /// For byte-stream transfers (read, write, send, recv...): a host pointer
    /// to the part of `[addr, addr+len)` that lies inside memory, and its
    /// length. Linux copies up to the first inaccessible byte and returns the
    /// count moved, so a buffer that runs off the end of linear memory moves
    /// its accessible prefix; a buffer with no accessible byte is `EFAULT`.
    #[inline]
    pub fn stream_buf(&self, addr: Addr, len: u64) -> Result<(HostPtr, u64), Errno> {
        if addr.is_null() || len == 0 {
            return Ok((self.buf(addr, len)?, len));
        }
        if addr.wide() >= self.size {
            return Err(Errno::EFAULT);
        }
        let len = len.min(self.size - addr.wide());
        Ok((self.buf(addr, len)?, len))
    }

    /// A host pointer to `size_of::<T>()` bytes at `addr` (NULL stays NULL).
    #[inline]
    pub fn obj<T>(&self, addr: Addr) -> Result<HostPtr, Errno> {
        self.buf(addr, std::mem::size_of::<T>() as u64)
    }

    /// A host pointer to a NUL-terminated string at `addr`; the NUL must lie
    /// inside memory. NULL stays NULL (the kernel answers `EFAULT`).
    pub fn cstr(&self, addr: Addr) -> Result<HostPtr, Errno> {
        if addr.is_null() {
            return Ok(HostPtr::NULL);
        }
        self.strlen(addr)?;
        // SAFETY: addr < size, checked by strlen.
        Ok(HostPtr(unsafe { self.base.add(addr.0 as usize) }))
    }

    /// Length of the NUL-terminated string at `addr`, or `EFAULT` when no
    /// NUL occurs before the end of memory (or a page before it faults).
    /// Another thread may move the NUL right after: use the length only as
    /// a check, never to copy (see [`GuestMem::string`]).
    pub fn strlen(&self, addr: Addr) -> Result<usize, Errno> {
        if addr.wide() >= self.size {
            return Err(Errno::EFAULT);
        }
        let avail = (self.size - addr.wide()) as usize;
        // SAFETY: [addr, addr+avail) lies within linear memory; the C
        // function only reads those bytes (sound while other threads write
        // them) and returns -2 when one of their pages faults.
        match unsafe { wali_memchr0(self.base.add(addr.0 as usize).cast(), avail) } {
            n if n >= 0 => Ok(n as usize),
            _ => Err(Errno::EFAULT),
        }
    }

    /// Copies the NUL-terminated string at `addr` into host memory.
    pub fn string(&self, addr: Addr) -> Result<CString, Errno> {
        self.string_max(addr, usize::MAX)?.ok_or(Errno::EFAULT)
    }

    /// Copies the NUL-terminated string at `addr` into host memory, reading
    /// each guest byte once (another thread may change the bytes meanwhile:
    /// the copy is what counts). `Ok(None)` when no NUL occurs within the
    /// first `max + 1` bytes (the caller's `E2BIG`, `ENAMETOOLONG`...);
    /// `EFAULT` when memory ends or a page faults before the NUL.
    pub fn string_max(&self, addr: Addr, max: usize) -> Result<Option<CString>, Errno> {
        if addr.is_null() || addr.wide() >= self.size {
            return Err(Errno::EFAULT);
        }
        let mut out: Vec<u8> = Vec::new();
        let mut at = addr.wide();
        loop {
            // Up to the next page boundary, so a faulting page never hides
            // a NUL that lies before it (faults are per page).
            let want = (PAGE - at % PAGE).min(self.size - at);
            let n = want as usize;
            let old = out.len();
            out.resize(old + n, 0);
            self.copy_in(Addr(at as u32), &mut out[old..])?;
            if let Some(i) = out[old..].iter().position(|&b| b == 0) {
                out.truncate(old + i);
                if out.len() > max {
                    return Ok(None);
                }
                // The bytes before the first NUL of the copy hold none.
                return Ok(CString::new(out).ok());
            }
            if out.len() > max {
                return Ok(None);
            }
            at += want;
            if at >= self.size {
                return Err(Errno::EFAULT);
            }
        }
    }

    /// Copies `dst.len()` bytes at `addr` into host memory (`EFAULT` out of
    /// bounds or on a faulting page).
    pub fn copy_in(&self, addr: Addr, dst: &mut [u8]) -> Result<(), Errno> {
        let len = dst.len();
        self.check(addr, len as u64)?;
        // SAFETY: source range checked above, destination is host memory
        // the caller lends us; the copy turns a guest fault into EFAULT.
        unsafe {
            let src = self.base.add(addr.0 as usize);
            copy_guarded(dst.as_mut_ptr(), src, len, src, len)
        }
    }

    /// Copies `len` bytes at `addr` out of guest memory.
    pub fn read_bytes(&self, addr: Addr, len: usize) -> Result<Vec<u8>, Errno> {
        self.check(addr, len as u64)?;
        let mut v = vec![0u8; len];
        self.copy_in(addr, &mut v)?;
        Ok(v)
    }

    /// Copies `data` into guest memory at `addr`.
    pub fn write_bytes(&self, addr: Addr, data: &[u8]) -> Result<(), Errno> {
        self.check(addr, data.len() as u64)?;
        // SAFETY: destination range checked above; the source is host
        // memory; the copy turns a guest fault into EFAULT.
        unsafe {
            let dst = self.base.add(addr.0 as usize);
            copy_guarded(dst, data.as_ptr(), data.len(), dst, data.len())
        }
    }

    /// Reads a plain value at `addr` (any alignment).
    #[inline]
    pub fn read<T: Pod>(&self, addr: Addr) -> Result<T, Errno> {
        let n = std::mem::size_of::<T>();
        self.check(addr, n as u64)?;
        let mut v = std::mem::MaybeUninit::<T>::uninit();
        // SAFETY: range checked; the copy fills all of `v` or fails; T: Pod
        // accepts any bytes.
        unsafe {
            let src = self.base.add(addr.0 as usize);
            copy_guarded(v.as_mut_ptr() as *mut u8, src, n, src, n)?;
            Ok(v.assume_init())
        }
    }

    /// Writes a plain value at `addr` (any alignment).
    #[inline]
    pub fn write<T: Pod>(&self, addr: Addr, v: T) -> Result<(), Errno> {
        let n = std::mem::size_of::<T>();
        self.check(addr, n as u64)?;
        // SAFETY: range checked; plain bytes from a local value; the copy
        // turns a guest fault into EFAULT.
        unsafe {
            let dst = self.base.add(addr.0 as usize);
            copy_guarded(dst, &v as *const T as *const u8, n, dst, n)
        }
    }
}

/// Host page size, the granule of faults.
const PAGE: u64 = 4096;

/// `struct iovec` in the wasm32 view: base and length, 4 bytes each.
pub const GUEST_IOVEC_SIZE: u64 = layout::Iovec::SIZE;
/// Most iovecs one call takes (Linux's UIO_MAXIOV).
pub const IOV_MAX: u32 = libc::UIO_MAXIOV as u32;

impl GuestMem {
    /// Translates a guest array of `count` wasm32 `struct iovec`s into host
    /// iovecs whose bases point into linear memory. The array and every
    /// buffer it names must lie inside memory (`EFAULT`); zero-length
    /// entries may point anywhere, as on Linux. More than `IOV_MAX`
    /// entries is `EINVAL`, as on Linux.
    pub fn iovecs(&self, addr: Addr, count: u32) -> Result<Vec<libc::iovec>, Errno> {
        if count > IOV_MAX {
            return Err(Errno::EINVAL);
        }
        self.check(addr, count as u64 * GUEST_IOVEC_SIZE)?;
        let mut out = Vec::with_capacity(count as usize);
        for i in 0..count {
            let at = addr + i * GUEST_IOVEC_SIZE as u32;
            let layout::Iovec {
                iov_base: base,
                iov_len: len,
            } = self.read(at)?;
            let p = self.buf(Addr(base), len as u64)?;
            out.push(libc::iovec {
                iov_base: p.addr() as *mut libc::c_void,
                iov_len: len as usize,
            });
        }
        Ok(out)
    }
}

impl GuestMem {
    /// Like [`GuestMem::iovecs`], with the byte-stream semantics of
    /// [`GuestMem::stream_buf`] for readv/writev-style transfers: Linux
    /// moves data up to the first inaccessible byte and returns the count,
    /// so the vector is cut at the first byte outside memory (that entry
    /// keeps its accessible prefix, later entries are dropped). A vector
    /// cut before any accessible byte is `EFAULT`. The array itself must lie
    /// inside memory; guest NULL bases stay NULL for the kernel to fault on.
    pub fn stream_iovecs(&self, addr: Addr, count: u32) -> Result<Vec<libc::iovec>, Errno> {
        if count > IOV_MAX {
            return Err(Errno::EINVAL);
        }
        self.check(addr, count as u64 * GUEST_IOVEC_SIZE)?;
        let mut out = Vec::with_capacity(count as usize);
        let mut moved = 0u64;
        for i in 0..count {
            let at = addr + i * GUEST_IOVEC_SIZE as u32;
            let layout::Iovec {
                iov_base: base,
                iov_len: len,
            } = self.read(at)?;
            let (p, n) = match self.buf(Addr(base), len as u64) {
                Ok(p) => (p, len as u64),
                Err(_) => {
                    if (base as u64) < self.size {
                        let n = self.size - base as u64;
                        out.push(libc::iovec {
                            iov_base: self.buf(Addr(base), n)?.addr() as *mut libc::c_void,
                            iov_len: n as usize,
                        });
                        moved += n;
                    }
                    return if moved == 0 {
                        Err(Errno::EFAULT)
                    } else {
                        Ok(out)
                    };
                }
            };
            moved += n;
            out.push(libc::iovec {
                iov_base: p.addr() as *mut libc::c_void,
                iov_len: n as usize,
            });
        }
        Ok(out)
    }
}

/// A host array of iovecs as a syscall argument.
pub fn host_iovecs(v: &mut [libc::iovec]) -> HostPtr {
    HostPtr(v.as_mut_ptr() as *mut u8)
}

/// A NUL-terminated C string owned by the host, as a syscall argument.
pub fn host_cstr(s: &CString) -> HostPtr {
    HostPtr(s.as_ptr() as *mut c_char as *mut u8)
}

impl GuestMem {
    /// Copies `len` bytes from `src` to `dst` inside memory (the ranges may
    /// overlap), e.g. to move a mapping. Both ranges must lie inside memory.
    pub fn copy_within(&self, src: Addr, dst: Addr, len: u64) -> Result<(), Errno> {
        self.check(src, len)?;
        self.check(dst, len)?;
        let (lo, hi) = (src.min(dst).wide(), src.max(dst).wide() + len);
        // SAFETY: both ranges were just checked to lie within linear memory,
        // and so does their span; the copy allows overlap, only moves bytes
        // and turns a guest fault into EFAULT.
        unsafe {
            copy_guarded(
                self.base.add(dst.0 as usize),
                self.base.add(src.0 as usize),
                len as usize,
                self.base.add(lo as usize),
                (hi - lo) as usize,
            )
        }
    }
}

/// The guest memory of one host call, looked up on first use: a call that
/// passes no pointer (`getppid`, `close`, `lseek`, ...) never asks WAMR for
/// it. Dereferences to the [`GuestMem`] view taken at that first use, so
/// every bounds check is against the size the memory had then, as with a
/// view taken at the start of the call (memory never shrinks).
pub struct LazyMem {
    env: w::wasm_exec_env_t,
    view: std::cell::OnceCell<GuestMem>,
}

impl LazyMem {
    /// # Safety
    /// `env` must be the live exec env of the host call this value belongs
    /// to, and the value must not outlive that call.
    #[inline]
    pub unsafe fn new(env: w::wasm_exec_env_t) -> LazyMem {
        LazyMem {
            env,
            view: std::cell::OnceCell::new(),
        }
    }
}

impl std::ops::Deref for LazyMem {
    type Target = GuestMem;
    #[inline]
    fn deref(&self) -> &GuestMem {
        // Not `get_or_init`: its out-of-line slow path would run on every
        // call that passes a pointer (each call has a fresh cell).
        if let Some(m) = self.view.get() {
            return m;
        }
        // SAFETY: `env` is the live exec env of the running call (contract
        // of `new`).
        let _ = self.view.set(unsafe { GuestMem::of(self.env) });
        self.view.get().expect("just set")
    }
}

/// The guest-memory layer on its own: a [`GuestMem`] over a host mapping
/// stands for a linear memory (the view needs only a base and a size), so
/// each promise above is tested at its edges without an engine.
#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
    use std::sync::Arc;

    /// A private anonymous mapping of `pages` host pages, the "linear
    /// memory" of a test; unmapped on drop.
    struct Region {
        base: *mut u8,
        len: usize,
    }
    // SAFETY: the mapping is plain memory, shared between the test's
    // threads only through raw (atomic or C) accesses.
    unsafe impl Send for Region {}
    // SAFETY: as for Send: no Rust reference into the mapping is shared.
    unsafe impl Sync for Region {}

    impl Region {
        fn new(pages: usize) -> Region {
            let len = pages * PAGE as usize;
            // SAFETY: a fresh anonymous mapping, no existing memory touched.
            let p = unsafe {
                libc::mmap(
                    std::ptr::null_mut(),
                    len,
                    libc::PROT_READ | libc::PROT_WRITE,
                    libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                    -1,
                    0,
                )
            };
            assert_ne!(p, libc::MAP_FAILED);
            Region {
                base: p as *mut u8,
                len,
            }
        }
        /// The view a call would take of it.
        fn mem(&self) -> GuestMem {
            GuestMem {
                base: self.base,
                size: self.len as u64,
            }
        }
        /// Byte `i` as an atomic (another thread may write it).
        fn byte(&self, i: usize) -> &AtomicU8 {
            assert!(i < self.len);
            // SAFETY: in bounds; AtomicU8 has u8's layout; the mapping
            // lives as long as the borrow of self.
            unsafe { AtomicU8::from_ptr(self.base.add(i)) }
        }
        fn set(&self, at: usize, bytes: &[u8]) {
            for (i, b) in bytes.iter().enumerate() {
                self.byte(at + i).store(*b, Ordering::Relaxed);
            }
        }
    }
    impl Drop for Region {
        fn drop(&mut self) {
            // SAFETY: the mapping made in `new`, no longer borrowed.
            unsafe { libc::munmap(self.base as *mut libc::c_void, self.len) };
        }
    }

    const EFAULT: Errno = Errno::EFAULT;

    /// A mirror goes to and from guest memory byte for byte, each field at
    /// the spec's offset (a packed one too), and one read is one copy.
    #[test]
    fn mirrors_round_trip_at_spec_offsets() {
        let r = Region::new(1);
        let m = r.mem();
        let act = layout::KSigaction {
            handler: 7,
            flags: 0x0400_0000_0000_0004,
            restorer: 9,
            mask: 1 << 40,
        };
        m.write(Addr(64), act).unwrap();
        let bytes = m.read_bytes(Addr(64), 24).unwrap();
        let ks = crate::abi::spec_types::Struct::find("struct k_sigaction").unwrap();
        let at = |f: &str| ks.offset_of(f).unwrap();
        assert_eq!(bytes[at("handler")], 7);
        assert_eq!(
            u64::from_le_bytes(bytes[at("flags")..][..8].try_into().unwrap()),
            { act.flags }
        );
        assert_eq!(bytes[at("restorer")], 9);
        assert_eq!(bytes[at("mask") + 5], 1);
        assert_eq!(m.read::<layout::KSigaction>(Addr(64)), Ok(act));
        // The last iovec of memory reads; one byte further is EFAULT.
        let end = m.size() as u32 - layout::Iovec::SIZE as u32;
        r.set(end as usize, &[1, 0, 0, 0, 2, 0, 0, 0]);
        assert_eq!(
            m.read::<layout::Iovec>(Addr(end)),
            Ok(layout::Iovec {
                iov_base: 1,
                iov_len: 2
            })
        );
        assert_eq!(m.read::<layout::Iovec>(Addr(end + 1)), Err(EFAULT));
    }

    #[test]
    fn check_edges() {
        let r = Region::new(2);
        let m = r.mem();
        let size = m.size();
        assert_eq!(size, 2 * PAGE);
        // Address 0 is NULL: empty is fine, any byte faults.
        assert_eq!(m.check(Addr::NULL, 0), Ok(()));
        assert_eq!(m.check(Addr::NULL, 1), Err(EFAULT));
        // The first and last bytes, and the empty range at the end.
        assert_eq!(m.check(Addr(1), size - 1), Ok(()));
        assert_eq!(m.check(Addr((size - 1) as u32), 1), Ok(()));
        assert_eq!(m.check(Addr((size - 1) as u32), 2), Err(EFAULT));
        assert_eq!(m.check(Addr(size as u32), 0), Ok(()));
        assert_eq!(m.check(Addr(size as u32), 1), Err(EFAULT));
        // Beyond 32 bits and beyond 64 bits: no wrap, no panic.
        assert_eq!(m.check(Addr(u32::MAX), 1), Err(EFAULT));
        assert_eq!(m.check(Addr(u32::MAX), u64::MAX), Err(EFAULT));
        assert_eq!(m.check(Addr(1), u64::MAX), Err(EFAULT));
        assert_eq!(m.check(Addr(16), u64::MAX - 15), Err(EFAULT));
        assert_eq!(m.check(Addr(1), u32::MAX as u64), Err(EFAULT));
        // A memory of no bytes (no memory at all): everything faults.
        let none = GuestMem::empty();
        assert_eq!(none.check(Addr(1), 0), Err(EFAULT));
        assert_eq!(none.read::<u8>(Addr(1)), Err(EFAULT));
        assert_eq!(none.strlen(Addr::NULL), Err(EFAULT));
    }

    #[test]
    fn buf_and_obj_edges() {
        let r = Region::new(1);
        let m = r.mem();
        let (base, size) = (m.base(), m.size());
        // NULL stays NULL whatever the length (the kernel answers for it).
        assert!(m.buf(Addr::NULL, 0).unwrap().is_null());
        assert!(m.buf(Addr::NULL, u64::MAX).unwrap().is_null());
        // An empty range anywhere is accepted and never points past the end.
        assert_eq!(m.buf(Addr(7), 0).unwrap().addr(), base + 7);
        assert_eq!(m.buf(Addr(u32::MAX), 0).unwrap().addr(), base + size);
        assert_eq!(m.buf(Addr(size as u32), 0).unwrap().addr(), base + size);
        assert_eq!(
            m.buf(Addr((size - 1) as u32), 1).unwrap().addr(),
            base + size - 1
        );
        assert_eq!(m.buf(Addr((size - 1) as u32), 2).unwrap_err(), EFAULT);
        assert_eq!(m.buf(Addr(u32::MAX), u64::MAX).unwrap_err(), EFAULT);
        assert_eq!(
            m.obj::<u64>(Addr((size - 8) as u32)).unwrap().addr(),
            base + size - 8
        );
        assert_eq!(m.obj::<u64>(Addr((size - 7) as u32)).unwrap_err(), EFAULT);
        assert!(m.obj::<u64>(Addr::NULL).unwrap().is_null());
    }

    #[test]
    fn stream_buf_moves_the_accessible_prefix() {
        let r = Region::new(1);
        let m = r.mem();
        let (base, size) = (m.base(), m.size());
        // Runs off the end: the part inside memory.
        let (p, n) = m.stream_buf(Addr((size - 10) as u32), 100).unwrap();
        assert_eq!((p.addr(), n), (base + size - 10, 10));
        let (_, n) = m.stream_buf(Addr(1), u64::MAX).unwrap();
        assert_eq!(n, size - 1);
        let (_, n) = m
            .stream_buf(Addr((size - 1) as u32), u32::MAX as u64)
            .unwrap();
        assert_eq!(n, 1);
        // Entirely inside: all of it.
        assert_eq!(m.stream_buf(Addr(8), 16).unwrap().1, 16);
        // No accessible byte.
        assert_eq!(m.stream_buf(Addr(size as u32), 1).unwrap_err(), EFAULT);
        assert_eq!(m.stream_buf(Addr(u32::MAX), u64::MAX).unwrap_err(), EFAULT);
        // NULL and empty ranges pass as they are, with their length.
        let (p, n) = m.stream_buf(Addr::NULL, 5).unwrap();
        assert!(p.is_null() && n == 5);
        assert_eq!(m.stream_buf(Addr(u32::MAX), 0).unwrap().1, 0);
    }

    #[test]
    fn strings() {
        let r = Region::new(2);
        let m = r.mem();
        let size = m.size() as usize;
        r.set(16, b"hello\0");
        assert_eq!(m.strlen(Addr(16)), Ok(5));
        assert_eq!(m.string(Addr(16)).unwrap().as_bytes(), b"hello");
        assert_eq!(m.cstr(Addr(16)).unwrap().addr(), m.base() + 16);
        assert!(m.cstr(Addr::NULL).unwrap().is_null());
        assert_eq!(m.string(Addr::NULL).unwrap_err(), EFAULT);
        assert_eq!(m.strlen(Addr(size as u32)).unwrap_err(), EFAULT);
        assert_eq!(m.strlen(Addr(u32::MAX)).unwrap_err(), EFAULT);
        // The empty string, and a string whose NUL is the last byte.
        r.set(32, b"\0");
        assert_eq!(m.string(Addr(32)).unwrap().as_bytes(), b"");
        r.set(size - 3, b"ab\0");
        assert_eq!(m.strlen(Addr((size - 3) as u32)), Ok(2));
        assert_eq!(m.string(Addr((size - 3) as u32)).unwrap().as_bytes(), b"ab");
        // No NUL before the end of memory: EFAULT, as Linux faults there.
        r.set(size - 3, b"abc");
        assert_eq!(m.strlen(Addr((size - 3) as u32)).unwrap_err(), EFAULT);
        assert_eq!(m.cstr(Addr((size - 3) as u32)).unwrap_err(), EFAULT);
        assert_eq!(m.string(Addr((size - 3) as u32)).unwrap_err(), EFAULT);
        // string_max: `max` bytes fit, one more is None (ENAMETOOLONG...),
        // also for a string that crosses a page boundary.
        let at = PAGE as usize - 3;
        r.set(at, b"abcdef\0");
        assert_eq!(
            m.string_max(Addr(at as u32), 6)
                .unwrap()
                .unwrap()
                .as_bytes(),
            b"abcdef"
        );
        assert_eq!(m.string_max(Addr(at as u32), 5).unwrap(), None);
        assert_eq!(m.string_max(Addr(at as u32), 0).unwrap(), None);
        // Too long and unterminated: None as soon as max is passed, without
        // reading on to the end of memory.
        r.set(0, &vec![b'x'; size][..size]);
        assert_eq!(m.string_max(Addr(1), 10).unwrap(), None);
        assert_eq!(m.string_max(Addr(1), usize::MAX).unwrap_err(), EFAULT);
    }

    #[test]
    fn copies_and_values() {
        let r = Region::new(1);
        let m = r.mem();
        let size = Addr(m.size() as u32);
        m.write_bytes(size - 4, b"wxyz").unwrap();
        assert_eq!(m.read_bytes(size - 4, 4).unwrap(), b"wxyz");
        assert_eq!(m.read_bytes(size, 0).unwrap(), b"");
        assert_eq!(m.read_bytes(size - 4, 5).unwrap_err(), EFAULT);
        assert_eq!(m.write_bytes(size - 3, b"wxyz").unwrap_err(), EFAULT);
        // A length that does not fit in 32 bits, or in the address space,
        // is refused before any allocation.
        assert_eq!(m.read_bytes(Addr(1), usize::MAX).unwrap_err(), EFAULT);
        assert_eq!(
            m.read_bytes(Addr(1), u32::MAX as usize + 1).unwrap_err(),
            EFAULT
        );
        let mut big = [0u8; 8];
        assert_eq!(m.copy_in(size - 7, &mut big).unwrap_err(), EFAULT);
        assert_eq!(m.copy_in(Addr::NULL, &mut big).unwrap_err(), EFAULT);
        // Values at any alignment, up to the last byte.
        m.write::<u64>(size - 8, 0x1122_3344_5566_7788).unwrap();
        assert_eq!(m.read::<u64>(size - 8), Ok(0x1122_3344_5566_7788));
        assert_eq!(m.read::<u32>(size - 7), Ok(0x4455_6677));
        assert_eq!(m.read::<u64>(size - 7), Err(EFAULT));
        assert_eq!(m.write::<u16>(size - 1, 1), Err(EFAULT));
        assert_eq!(m.read::<u8>(size - 1), Ok(0x11));
        assert_eq!(m.read::<[u8; 3]>(size - 3), Ok([0x33, 0x22, 0x11]));
        // copy_within: overlapping moves, both ranges checked.
        m.write_bytes(Addr(100), b"0123456789").unwrap();
        m.copy_within(Addr(100), Addr(102), 8).unwrap();
        assert_eq!(m.read_bytes(Addr(100), 10).unwrap(), b"0101234567");
        assert_eq!(m.copy_within(Addr(100), size - 4, 8).unwrap_err(), EFAULT);
        assert_eq!(m.copy_within(size - 4, Addr(100), 8).unwrap_err(), EFAULT);
        assert_eq!(
            m.copy_within(Addr(1), Addr(2), u64::MAX).unwrap_err(),
            EFAULT
        );
    }

    /// Writes wasm32 iovecs at `at`.
    fn put_iovecs(m: &GuestMem, at: Addr, v: &[(u32, u32)]) {
        for (i, (b, l)) in v.iter().enumerate() {
            m.write(at + 8 * i as u32, *b).unwrap();
            m.write(at + 8 * i as u32 + 4, *l).unwrap();
        }
    }

    #[test]
    fn iovecs_whole_and_prefix() {
        let r = Region::new(1);
        let m = r.mem();
        let size = m.size() as u32;
        let arr = 64;
        // Whole: every buffer inside, zero-length ones anywhere.
        put_iovecs(&m, Addr(arr), &[(256, 16), (u32::MAX, 0), (size - 1, 1)]);
        let v = m.iovecs(Addr(arr), 3).unwrap();
        assert_eq!(v.len(), 3);
        assert_eq!(v[0].iov_base as u64, m.base() + 256);
        assert_eq!(v[2].iov_len, 1);
        assert_eq!(m.iovecs(Addr(arr), 0).unwrap().len(), 0);
        put_iovecs(&m, Addr(arr), &[(256, 16), (size - 1, 2)]);
        assert_eq!(m.iovecs(Addr(arr), 2).unwrap_err(), EFAULT);
        // Stream: cut at the first byte outside memory.
        let v = m.stream_iovecs(Addr(arr), 2).unwrap();
        assert_eq!(v.len(), 2);
        assert_eq!((v[0].iov_len, v[1].iov_len), (16, 1));
        put_iovecs(&m, Addr(arr), &[(256, 16), (size, 4), (300, 4)]);
        let v = m.stream_iovecs(Addr(arr), 3).unwrap();
        assert_eq!(v.len(), 1, "entries after the cut are dropped");
        put_iovecs(&m, Addr(arr), &[(size, 4), (300, 4)]);
        assert_eq!(m.stream_iovecs(Addr(arr), 2).unwrap_err(), EFAULT);
        // NULL bases stay NULL for the kernel.
        put_iovecs(&m, Addr(arr), &[(0, 4)]);
        assert!(m.stream_iovecs(Addr(arr), 1).unwrap()[0].iov_base.is_null());
        // The array itself: inside memory, at most IOV_MAX entries, and
        // no wrap of address + count * 8.
        assert_eq!(m.iovecs(Addr(size - 8), 2).unwrap_err(), EFAULT);
        assert_eq!(m.stream_iovecs(Addr(size - 4), 1).unwrap_err(), EFAULT);
        assert_eq!(m.iovecs(Addr(u32::MAX - 7), IOV_MAX).unwrap_err(), EFAULT);
        assert_eq!(m.iovecs(Addr(arr), IOV_MAX + 1).unwrap_err(), Errno::EINVAL);
        assert_eq!(
            m.stream_iovecs(Addr(arr), u32::MAX).unwrap_err(),
            Errno::EINVAL
        );
    }

    /// A page that faults (a truncated shared file, in a real guest): the
    /// copy fails with EFAULT instead of crashing, and a string whose NUL
    /// lies before the faulting page still reads.
    #[test]
    fn faulting_page_is_efault() {
        install_fault_handler();
        let r = Region::new(3);
        let m = r.mem();
        let hole = PAGE as usize;
        // SAFETY: the middle page of our own mapping.
        let rc = unsafe {
            libc::mprotect(
                r.base.add(hole) as *mut libc::c_void,
                PAGE as usize,
                libc::PROT_NONE,
            )
        };
        assert_eq!(rc, 0);
        let mut buf = [0u8; 16];
        assert_eq!(
            m.copy_in(Addr((hole - 8) as u32), &mut buf).unwrap_err(),
            EFAULT
        );
        assert_eq!(m.read::<u32>(Addr((hole + 4) as u32)), Err(EFAULT));
        assert_eq!(m.write::<u32>(Addr((hole - 2) as u32), 1), Err(EFAULT));
        assert_eq!(m.strlen(Addr(hole as u32)).unwrap_err(), EFAULT);
        r.set(hole - 4, b"abc\0");
        assert_eq!(
            m.string(Addr((hole - 4) as u32)).unwrap().as_bytes(),
            b"abc"
        );
        r.set(hole - 4, b"abcd");
        assert_eq!(m.string(Addr((hole - 4) as u32)).unwrap_err(), EFAULT);
        assert_eq!(
            m.copy_within(Addr(hole as u32) - 4, Addr(8), 8)
                .unwrap_err(),
            EFAULT
        );
        // The page after the hole still reads.
        assert_eq!(m.read::<u32>(Addr((2 * hole) as u32)), Ok(0));
    }

    /// The engine's SIGSEGV/SIGBUS front handler, as `signal::init_host`
    /// installs it (other faults: the default action).
    fn install_fault_handler() {
        static ONCE: std::sync::Once = std::sync::Once::new();
        extern "C" fn other(sig: libc::c_int, _: *mut libc::siginfo_t, _: *mut libc::c_void) {
            // SAFETY: restores the default action; the fault then recurs
            // and kills the test process, as an unhandled fault should.
            unsafe { libc::signal(sig, libc::SIG_DFL) };
        }
        ONCE.call_once(|| {
            let h = fault_entry(other);
            for sig in [libc::SIGSEGV, libc::SIGBUS] {
                // SAFETY: installs a SA_SIGINFO handler with a zeroed,
                // then filled, sigaction.
                unsafe {
                    let mut sa: libc::sigaction = std::mem::zeroed();
                    sa.sa_sigaction = h as usize;
                    sa.sa_flags = libc::SA_SIGINFO | libc::SA_NODEFER;
                    libc::sigemptyset(&mut sa.sa_mask);
                    assert_eq!(libc::sigaction(sig, &sa, std::ptr::null_mut()), 0);
                }
            }
        });
    }

    /// Another thread rewrites the bytes while the host reads them: every
    /// read returns a value it copied once (a string of the bytes that were
    /// there, ending at the first NUL of that copy; a struct of bytes each
    /// of which was there), and never crashes or reads past memory.
    #[test]
    fn concurrent_modification() {
        let r = Arc::new(Region::new(1));
        let m = r.mem();
        let size = m.size() as usize;
        // A string at 100: 50 bytes flipping 'a'/'b', then a byte flipping
        // between NUL and 'y', then 49 bytes 'z' and a NUL that stays.
        r.set(100, &[b'a'; 50]);
        r.set(151, &[b'z'; 49]);
        r.set(200, b"\0");
        // A string at the end of memory whose only NUL comes and goes.
        r.set(size - 8, b"1234567\0");
        let stop = Arc::new(AtomicBool::new(false));
        let writer = {
            let (r, stop) = (r.clone(), stop.clone());
            std::thread::spawn(move || {
                let mut n = 0u32;
                while !stop.load(Ordering::Relaxed) {
                    n = n.wrapping_add(1);
                    let c = if n.is_multiple_of(2) { b'a' } else { b'b' };
                    for i in 100..150 {
                        r.byte(i).store(c, Ordering::Relaxed);
                    }
                    r.byte(150).store(
                        if n.is_multiple_of(3) { 0 } else { b'y' },
                        Ordering::Relaxed,
                    );
                    r.byte(size - 1).store(
                        if n.is_multiple_of(5) { b'8' } else { 0 },
                        Ordering::Relaxed,
                    );
                }
            })
        };
        let mut lengths = [0u32; 2];
        let start = std::time::Instant::now();
        let mut reads = 0;
        // At least 20000 reads, and on until both shapes were seen (the
        // writer thread may start late on a loaded machine).
        while reads < 20_000
            || (lengths.contains(&0) && start.elapsed() < std::time::Duration::from_secs(20))
        {
            reads += 1;
            let s = m.string(Addr(100)).expect("the NUL at 200 stays");
            let b = s.as_bytes();
            match b.len() {
                50 => lengths[0] += 1,
                100 => {
                    lengths[1] += 1;
                    assert_eq!(b[50], b'y');
                    assert!(b[51..].iter().all(|&x| x == b'z'));
                }
                n => panic!("a string of {n} bytes: {s:?}"),
            }
            assert!(b[..50].iter().all(|&x| x == b'a' || x == b'b'), "{s:?}");
            let v: [u8; 50] = m.read(Addr(100)).unwrap();
            assert!(v.iter().all(|&x| x == b'a' || x == b'b'));
            match m.string(Addr((size - 8) as u32)) {
                Ok(t) => assert_eq!(t.as_bytes(), b"1234567"),
                Err(e) => assert_eq!(e, EFAULT),
            }
            assert!(matches!(
                m.strlen(Addr((size - 8) as u32)),
                Ok(7) | Err(EFAULT)
            ));
        }
        stop.store(true, Ordering::Relaxed);
        writer.join().unwrap();
        // The string was read both with and without the NUL at 150 (the
        // reads raced with the writer for real).
        assert!(lengths[0] > 0 && lengths[1] > 0, "{lengths:?}");
    }
}
