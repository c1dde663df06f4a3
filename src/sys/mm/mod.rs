//! Memory: `mmap` and friends inside linear memory, and `brk`.
//!
//! A guest can only address its linear memory, so every mapping is a range
//! of it. The design:
//!
//! * **Region.** The first `mmap` or `brk` of a guest fixes `start` at the
//!   memory's size at that moment: above the module's data, stack,
//!   `__heap_base` and anything the module grew by itself. Everything the
//!   guest maps lies in `[start, top)`, where `top` is the end of the memory
//!   this module manages; it grows through WAMR's public API (one or more
//!   64 KiB wasm pages at a time) up to the module's declared maximum. WAMR
//!   reserves the whole range up front on 64-bit hosts, so the base address
//!   never moves. Memory the guest grows itself (`memory.grow`) between two
//!   calls is left alone: `top` jumps over it. (WAMR's loader fixes the
//!   memory of a module containing no `memory.size`/`memory.grow` at its
//!   initial size, declared maximum or not: every mapping of such a
//!   module fails with `ENOMEM`, and `brk` cannot move.)
//! * **brk.** The break starts at `start` and grows upwards into the pages
//!   directly above it when they are free (growing memory when they lie
//!   beyond `top`); if a mapping sits there, `brk` fails as Linux's does
//!   when it would run into a mapping (it returns the old break, and the
//!   libc falls back to `mmap`). Shrinking returns the pages, zeroed, to
//!   the free list. brk pages and mappings never overlap: each page of
//!   `[start, top)` is exactly one of free, mapped, brk, or grown by the
//!   guest itself.
//! * **Placement and reuse.** Free pages (4 KiB, the host page) are kept in
//!   a coalescing free list; a mapping takes the first free range that fits
//!   (lowest address), else the free range at the top is extended by
//!   growing memory. A hint address is used when that range is free inside
//!   the current memory (it never grows memory by itself). `MAP_FIXED`
//!   replaces mappings inside the region and may grow memory up to the
//!   maximum; a range that touches the module's own memory, the brk area or
//!   memory the guest grew itself is `EINVAL`; past the maximum, `ENOMEM`.
//!   `MAP_FIXED_NOREPLACE` answers `EEXIST` for any range not entirely free.
//! * **Zero on reuse.** Free pages always read as zero: pages WAMR owns
//!   (private anonymous, `MAP_PRIVATE|MAP_ANONYMOUS` in WAMR's `os_mmap`) are
//!   dropped with `madvise(MADV_DONTNEED)`, which zeroes them and releases
//!   host memory; ranges that carried a host mapping of ours (a file, or
//!   shared anonymous memory) get a fresh private anonymous mapping with
//!   `MAP_FIXED` over them.
//! * **File and shared mappings** are host mappings right over the range of
//!   linear memory. The kernel first validates the request with the guest's
//!   own arguments at an address of its choosing (so `EACCES`, `ENODEV`,
//!   `EOPNOTSUPP`... are exactly Linux's), then the real mapping is made at
//!   another address of its choosing and moved over the range with
//!   `mremap(MREMAP_FIXED)`, which replaces the old pages in one step.
//! * **No holes.** No step ever unmaps a page of linear memory (WAMR's
//!   reservation): a hole would let the host put its own mappings there (a
//!   thread stack the guest could read and write). Replacements are
//!   `MAP_FIXED` or `MREMAP_FIXED` over the old pages, moves keep the source
//!   mapped (`MREMAP_DONTUNMAP`) until it is replaced. When the kernel
//!   refuses a step that must re-cover a range (a lowered `RLIMIT_AS`, the
//!   map count limit), the process ends with one line ([`fatal_uncovered`]):
//!   never a hole, never a stale host mapping the guest gave up.
//! * **Protection.** The runtime must always be able to read and write the
//!   guest's memory (with hardware bounds checks a fault inside the host
//!   would kill the process), so host pages stay readable and writable:
//!   `mprotect` checks its arguments, records the protection and answers as
//!   Linux does (`EACCES` for write access to a shared mapping of a
//!   read-only file) but removes no access. For the same reason a
//!   read-only `MAP_SHARED` mapping of a file not open for writing is made
//!   `MAP_PRIVATE` (readable and writable, so writes by the runtime never
//!   fault and never reach the file). `PROT_EXEC` means nothing for Wasm
//!   data: it is accepted and ignored.
//! * **State.** One guest per process: one allocator in a global mutex,
//!   shared by the guest's threads, recreated when a new guest starts
//!   ([`reset`]) or when the memory is another one. It lives in process
//!   memory, so a fork child gets a consistent copy provided no thread holds
//!   the lock across `fork`: the fork implementation takes [`fork_guard`]
//!   around the fork system call.

use crate::abi::args;
use crate::abi::errno::{Errno, SysResult};
use crate::abi::mem::{Addr, GuestMem, HostPtr};
use crate::ctx::Ctx;
use crate::host_syscall;
use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard};

/// Granule of every mapping: the host (and Linux x86-64) page.
const PAGE: u64 = 4096;
/// Highest address a 32-bit guest can name, plus one.
const ADDRESS_SPACE: u64 = 1 << 32;

const EEXIST: Errno = Errno(libc::EEXIST);
const EACCES: Errno = Errno(libc::EACCES);

fn page_up(x: u64) -> u64 {
    (x + PAGE - 1) & !(PAGE - 1)
}

fn aligned(x: u64) -> bool {
    x.is_multiple_of(PAGE)
}

/// What holds the pages of a mapping on the host.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Backing {
    /// WAMR's own private anonymous pages.
    Anon,
    /// A host mapping of ours over the range: a file, or shared anonymous
    /// memory. `write_denied`: a shared mapping of a file not open for
    /// writing, which may never become writable (`mprotect` says `EACCES`).
    Host { write_denied: bool },
}

/// One guest mapping: `[start, end)` (start is the key of the map).
#[derive(Clone, Copy, Debug)]
struct Map {
    end: u64,
    prot: i32,
    backing: Backing,
}

/// The guest's address space above `start`.
struct Space {
    /// Which memory this is (WAMR memory instance, host base address).
    id: (usize, u64),
    start: u64,
    top: u64,
    /// Largest address + 1 the memory may reach.
    limit: u64,
    brk_start: u64,
    brk: u64,
    /// Free ranges: start -> end, coalesced, all zero-filled.
    free: BTreeMap<u64, u64>,
    maps: BTreeMap<u64, Map>,
}

static STATE: Mutex<Option<Space>> = Mutex::new(None);

fn lock() -> MutexGuard<'static, Option<Space>> {
    STATE.lock().unwrap_or_else(|e| e.into_inner())
}

/// Forgets the address space: called when a new guest starts.
pub fn reset() {
    *lock() = None;
}

/// Held by the fork implementation across the fork system call, so that
/// no thread is inside the allocator when the process is copied; dropping
/// it (in parent and child) releases the lock.
pub struct ForkGuard(#[allow(dead_code)] MutexGuard<'static, Option<Space>>);

pub fn fork_guard() -> ForkGuard {
    ForkGuard(lock())
}

/// Runs `f` on the address space of the memory of this call, creating it at
/// the first call (or for a memory other than the one recorded).
fn with_space<R>(c: &Ctx, f: impl FnOnce(&mut Space, &Ctx) -> R) -> R {
    let mut st = lock();
    let id = GuestMem::identity(c);
    if st.as_ref().map(|s| s.id) != Some(id) {
        let size = GuestMem::current(c).size();
        *st = Some(Space {
            id,
            start: size,
            top: size,
            limit: GuestMem::max_size(c).min(ADDRESS_SPACE),
            brk_start: size,
            brk: size,
            free: BTreeMap::new(),
            maps: BTreeMap::new(),
        });
    }
    let space = st.as_mut().expect("just created");
    space.sync_top(c);
    f(space, c)
}

// ---------------------------------------------------------------------------
// Host operations on ranges of linear memory.

/// Ends the process: a step left part of linear memory unmapped or mapped
/// to something the guest did not ask for, and it could not be covered
/// again. A hole inside WAMR's reservation would let the host place its own
/// mappings (a thread stack) where the guest reads and writes; leaving a
/// stale host mapping would show the guest memory it gave up. Neither may
/// outlive this call. The status is a trap's: the guest cannot go on.
fn fatal_uncovered(what: &str, a: u64, len: u64, e: Errno) -> ! {
    eprintln!(
        "iwasm: fatal: cannot keep linear memory mapped at {a:#x}+{len:#x} ({what}: {}); ending the process",
        std::io::Error::from_raw_os_error(e.0)
    );
    crate::host::exit_group_now(crate::wamr::TRAP_STATUS)
}

/// Gives `[a, a+len)` fresh zeroed private anonymous pages, replacing any
/// host mapping of ours there (and filling a hole a failed call may leave).
/// `MAP_FIXED` replaces the old pages in one step; when the kernel refuses
/// (a lowered `RLIMIT_AS`, the map count limit), the process ends.
fn host_restore_anon(mem: &GuestMem, a: u64, len: u64) {
    let r = mem.buf(Addr(a as u32), len).and_then(|p| {
        let flags = libc::MAP_FIXED | libc::MAP_PRIVATE | libc::MAP_ANONYMOUS;
        host_syscall!(
            libc::SYS_mmap,
            p,
            len,
            libc::PROT_READ | libc::PROT_WRITE,
            flags,
            -1,
            0
        )
    });
    if let Err(e) = r {
        fatal_uncovered("restoring anonymous memory", a, len, e);
    }
}

/// Zeroes `[a, a+len)` and releases its host pages.
fn host_zero(mem: &GuestMem, a: u64, len: u64, backing: Backing) {
    match backing {
        Backing::Anon => {
            // WAMR's pages are private anonymous: MADV_DONTNEED zero-fills
            // them in place (nothing is unmapped).
            let r = mem
                .buf(Addr(a as u32), len)
                .and_then(|p| host_syscall!(libc::SYS_madvise, p, len, libc::MADV_DONTNEED));
            if r.is_err() {
                host_restore_anon(mem, a, len);
            }
        }
        Backing::Host { .. } => host_restore_anon(mem, a, len),
    }
}

/// Moves the host mapping at the host address `from` (`len` bytes, outside
/// linear memory) over `[a, a+len)` of linear memory, which it replaces in
/// one step. On failure `from` is unmapped and the range holds anonymous
/// memory (a hole the kernel may have left is covered again).
fn host_move_in(mem: &GuestMem, from: u64, a: u64, len: u64) -> SysResult {
    let dst = mem.buf(Addr(a as u32), len)?;
    let flags = libc::MREMAP_MAYMOVE | libc::MREMAP_FIXED;
    match host_syscall!(libc::SYS_mremap, from, len, len, flags, dst) {
        Ok(_) => Ok(0),
        Err(e) => {
            let _ = host_syscall!(libc::SYS_munmap, from, len);
            host_restore_anon(mem, a, len);
            Err(e)
        }
    }
}

impl Space {
    /// Memory the guest grew by itself since the last call is not ours:
    /// move `top` above it.
    fn sync_top(&mut self, c: &Ctx) {
        let size = GuestMem::current(c).size();
        if size > self.top {
            self.top = size;
        }
    }

    // --- free list -------------------------------------------------------

    fn free_insert(&mut self, mut a: u64, mut e: u64) {
        if a >= e {
            return;
        }
        if let Some((&ps, &pe)) = self.free.range(..a).next_back() {
            if pe == a {
                self.free.remove(&ps);
                a = ps;
            }
        }
        if let Some(ne) = self.free.remove(&e) {
            e = ne;
        }
        self.free.insert(a, e);
    }

    /// The free range containing address `a`.
    fn free_at(&self, a: u64) -> Option<(u64, u64)> {
        self.free
            .range(..=a)
            .next_back()
            .filter(|(_, &e)| e > a)
            .map(|(&s, &e)| (s, e))
    }

    /// Takes `[a, e)` out of the free list; it must lie in one free range.
    fn free_take(&mut self, a: u64, e: u64) -> Result<(), Errno> {
        let (s, fe) = self.free_at(a).ok_or(Errno::ENOMEM)?;
        if fe < e {
            return Err(Errno::ENOMEM);
        }
        self.free.remove(&s);
        if s < a {
            self.free.insert(s, a);
        }
        if e < fe {
            self.free.insert(e, fe);
        }
        Ok(())
    }

    // --- growth and claiming ---------------------------------------------

    /// Grows linear memory so that `top >= end`; the new pages are free.
    fn grow_to(&mut self, c: &Ctx, end: u64) -> Result<(), Errno> {
        if end <= self.top {
            return Ok(());
        }
        if end > self.limit {
            crate::wlog!(
                2,
                "mm: {end:#x} is past the memory's maximum {:#x}",
                self.limit
            );
            return Err(Errno::ENOMEM);
        }
        let wasm_page = 65536;
        let pages = (end - self.top).div_ceil(wasm_page);
        if !GuestMem::grow(c, pages) {
            crate::wlog!(
                2,
                "mm: cannot grow memory by {pages} pages (top {:#x}, limit {:#x})",
                self.top,
                self.limit
            );
            return Err(Errno::ENOMEM);
        }
        // WAMR adds the pages at the end of whatever the size was: if the
        // guest grew memory meanwhile, the pages between are its own.
        let size = GuestMem::current(c).size();
        let ours = size - pages * wasm_page;
        if ours > self.top {
            self.top = ours;
        }
        self.free_insert(self.top, size);
        self.top = size;
        Ok(())
    }

    /// Whether every page of `[a, e)` is free or beyond `top` (claimable by
    /// growing memory, within the limit).
    fn claimable(&self, a: u64, e: u64) -> bool {
        if a < self.start || e > self.limit {
            return false;
        }
        if a >= self.top {
            return true;
        }
        match self.free_at(a) {
            Some((_, fe)) => fe >= e || fe == self.top,
            None => false,
        }
    }

    /// Takes `[a, e)` (claimable) for a new mapping or the break; the pages
    /// read as zero.
    fn claim(&mut self, c: &Ctx, a: u64, e: u64) -> Result<(), Errno> {
        self.grow_to(c, e)?;
        self.free_take(a, e)
    }

    /// Whether every page of `[a, e)` is free, mapped by the guest, or
    /// beyond `top`: a range `MAP_FIXED` may replace.
    fn owned(&self, a: u64, e: u64) -> bool {
        if a < self.start || e > self.limit {
            return false;
        }
        let mut pos = a;
        while pos < e.min(self.top) {
            if let Some((_, fe)) = self.free_at(pos) {
                pos = fe;
            } else if let Some((_, m)) = self.map_at(pos) {
                pos = m.end;
            } else {
                return false;
            }
        }
        true
    }

    /// Whether every page of `[a, e)` is in the guest's address space (not
    /// free): mapped, brk, or the module's own memory.
    fn mapped(&self, c: &Ctx, a: u64, e: u64) -> bool {
        // Page 0 is NULL, which Linux never maps.
        if a < PAGE || e > GuestMem::current(c).size() {
            return false;
        }
        match self.free.range(..e).next_back() {
            // The last free range starting below `e` must end by `a`; those
            // before it end before it starts.
            Some((_, &fe)) => fe <= a,
            None => true,
        }
    }

    /// First-fit placement of `len` bytes, growing memory when nothing fits.
    fn alloc(&mut self, c: &Ctx, len: u64) -> Result<u64, Errno> {
        let fit = self
            .free
            .iter()
            .find(|(&s, &e)| e - s >= len)
            .map(|(&s, _)| s);
        let a = match fit {
            Some(a) => a,
            None => match self.free.range(..self.top).next_back() {
                Some((&s, &e)) if e == self.top => s,
                _ => self.top,
            },
        };
        if a + len > self.limit {
            return Err(Errno::ENOMEM);
        }
        self.claim(c, a, a + len)?;
        Ok(a)
    }

    // --- mappings --------------------------------------------------------

    fn map_at(&self, a: u64) -> Option<(u64, Map)> {
        self.maps
            .range(..=a)
            .next_back()
            .filter(|(_, m)| m.end > a)
            .map(|(&s, &m)| (s, m))
    }

    /// Splits the mapping that strictly contains `x` at `x`.
    fn split_at(&mut self, x: u64) {
        if let Some((s, m)) = self.map_at(x) {
            if s < x {
                self.maps.insert(s, Map { end: x, ..m });
                self.maps.insert(x, m);
            }
        }
    }

    /// Removes the mappings inside `[a, e)` from the table (splitting those
    /// that straddle its ends) and returns them.
    fn detach(&mut self, a: u64, e: u64) -> Vec<(u64, Map)> {
        self.split_at(a);
        self.split_at(e);
        let keys: Vec<u64> = self.maps.range(a..e).map(|(&s, _)| s).collect();
        keys.into_iter()
            .map(|s| (s, self.maps.remove(&s).expect("listed")))
            .collect()
    }

    /// Unmaps the guest's mappings in `[a, e)`: zeroed, back to the free list.
    fn unmap(&mut self, c: &Ctx, a: u64, e: u64) {
        let mem = GuestMem::current(c);
        for (s, m) in self.detach(a, e) {
            host_zero(&mem, s, m.end - s, m.backing);
            self.free_insert(s, m.end);
        }
    }

    /// Records a mapping, merging it with anonymous neighbours of the same
    /// protection as Linux merges areas (so `mremap` can span them).
    fn insert_map(&mut self, mut a: u64, mut m: Map) {
        let same = |x: &Map| x.backing == Backing::Anon && x.prot == m.prot;
        if m.backing == Backing::Anon {
            if let Some((ps, pm)) = self.map_at(a.wrapping_sub(1)) {
                if pm.end == a && same(&pm) {
                    self.maps.remove(&ps);
                    a = ps;
                }
            }
            if let Some(nm) = self.maps.get(&m.end).copied() {
                if same(&nm) {
                    self.maps.remove(&m.end);
                    m.end = nm.end;
                }
            }
        }
        self.maps.insert(a, m);
    }
}

// ---------------------------------------------------------------------------
// mmap

const MAP_TYPE: i32 = libc::MAP_TYPE;
const MAP_DROPPABLE: i32 = libc::MAP_DROPPABLE;
/// Linux's PROT_SEM (atomic operations allowed; always true here), which
/// the `libc` crate lacks.
const PROT_SEM: i32 = linux_raw_sys::general::PROT_SEM as i32;

/// A file mapping's host arguments, checked by the kernel.
struct FileMap {
    fd: i32,
    off: i64,
    /// Host `MAP_SHARED` (writes reach the file) or `MAP_PRIVATE`.
    shared: bool,
    write_denied: bool,
}

/// x86-64's MAP_32BIT, which WALI guests may pass (their flags are x86-64's)
/// and which no other host knows: always dropped before the host sees it.
/// A WALI guest ABI fact (x86-64's asm/mman.h), so not the host crate's:
/// aarch64 and riscv64 have no such flag.
const MAP_32BIT: i32 = 0x40;

/// Lets the kernel judge a file mapping with the guest's own arguments at
/// an address of its choosing, then drops that trial mapping. Returns how
/// to make the real one.
fn validate_file_map(len: u64, prot: i32, flags: i32, fd: i32, off: i64) -> Result<FileMap, Errno> {
    let prot = prot & (libc::PROT_READ | libc::PROT_WRITE);
    let dropped = libc::MAP_FIXED
        | libc::MAP_FIXED_NOREPLACE
        | libc::MAP_POPULATE
        | libc::MAP_LOCKED
        | libc::MAP_GROWSDOWN
        | MAP_32BIT;
    let trial = host_syscall!(libc::SYS_mmap, 0u64, len, prot, flags & !dropped, fd, off)?;
    let _ = host_syscall!(libc::SYS_munmap, trial as u64, len);
    let shared = matches!(
        flags & MAP_TYPE,
        libc::MAP_SHARED | libc::MAP_SHARED_VALIDATE
    );
    let writable_fd = host_syscall!(libc::SYS_fcntl, fd, libc::F_GETFL)
        .map(|fl| fl as i32 & libc::O_ACCMODE == libc::O_RDWR && fl as i32 & libc::O_APPEND == 0)
        .unwrap_or(false);
    Ok(FileMap {
        fd,
        off,
        shared: shared && writable_fd,
        write_denied: shared && !writable_fd,
    })
}

/// Makes the host mapping of `[a, a+len)` for a file or shared anonymous
/// memory: first at an address of the kernel's choice outside linear
/// memory, then moved over the range, which it replaces in one step (the
/// range is never unmapped). On failure the range holds zeroed anonymous
/// memory, as before.
fn host_map(mem: &GuestMem, a: u64, len: u64, file: Option<&FileMap>) -> SysResult {
    mem.buf(Addr(a as u32), len)?;
    let rw = libc::PROT_READ | libc::PROT_WRITE;
    let scratch = match file {
        Some(f) => {
            let ty = if f.shared {
                libc::MAP_SHARED
            } else {
                libc::MAP_PRIVATE
            };
            host_syscall!(libc::SYS_mmap, 0u64, len, rw, ty, f.fd, f.off)
        }
        None => {
            let flags = libc::MAP_SHARED | libc::MAP_ANONYMOUS;
            host_syscall!(libc::SYS_mmap, 0u64, len, rw, flags, -1, 0)
        }
    }?;
    host_move_in(mem, scratch as u64, a, len)
}

/// `mmap(addr, len, prot, flags, fd, off)`.
pub fn mmap(c: &Ctx, arg: args::Mmap) -> SysResult {
    let (addr, len, prot, flags) = (arg.addr.wide(), arg.length as u64, arg.prot, arg.flags);
    let (fd, off) = (arg.fd, arg.offset);
    // Checks in Linux's order: offset, descriptor, length, address, type.
    if off & (PAGE as i64 - 1) != 0 {
        return Err(Errno::EINVAL);
    }
    let anon = flags & libc::MAP_ANONYMOUS != 0;
    if !anon {
        host_syscall!(libc::SYS_fcntl, fd, libc::F_GETFD)?;
    }
    if len == 0 {
        return Err(Errno::EINVAL);
    }
    let len = page_up(len);
    let noreplace = flags & libc::MAP_FIXED_NOREPLACE != 0;
    let fixed = noreplace || flags & libc::MAP_FIXED != 0;
    if fixed && !aligned(addr) {
        return Err(Errno::EINVAL);
    }
    if fixed && addr + len > ADDRESS_SPACE {
        return Err(Errno::ENOMEM);
    }
    let ty = flags & MAP_TYPE;
    let shared = match ty {
        libc::MAP_SHARED => true,
        libc::MAP_SHARED_VALIDATE if !anon => true,
        libc::MAP_PRIVATE | MAP_DROPPABLE => false,
        _ => return Err(Errno::EINVAL),
    };
    with_space(c, |s, c| {
        if fixed {
            let e = addr + len;
            if e > s.limit {
                return Err(Errno::ENOMEM);
            }
            if noreplace && !s.claimable(addr, e) {
                return Err(EEXIST);
            }
            if !s.owned(addr, e) {
                return Err(Errno::EINVAL);
            }
        }
        let file = if anon {
            None
        } else {
            Some(validate_file_map(len, prot, flags, fd, off)?)
        };
        let a = place(s, c, addr, len, fixed)?;
        let backing = match &file {
            None if !shared => Backing::Anon,
            None => Backing::Host {
                write_denied: false,
            },
            Some(f) => Backing::Host {
                write_denied: f.write_denied,
            },
        };
        if backing != Backing::Anon {
            let mem = GuestMem::current(c);
            if let Err(e) = host_map(&mem, a, len, file.as_ref()) {
                s.free_insert(a, a + len);
                return Err(e);
            }
        }
        s.insert_map(
            a,
            Map {
                end: a + len,
                prot,
                backing,
            },
        );
        Ok(a as i64)
    })
}

/// Chooses (and claims) the range of a new mapping.
fn place(s: &mut Space, c: &Ctx, addr: u64, len: u64, fixed: bool) -> Result<u64, Errno> {
    if fixed {
        s.unmap(c, addr, addr + len);
        s.claim(c, addr, addr + len)?;
        return Ok(addr);
    }
    let hint = page_up(addr);
    if addr != 0 && hint + len <= s.top && s.claimable(hint, hint + len) {
        s.claim(c, hint, hint + len)?;
        return Ok(hint);
    }
    s.alloc(c, len)
}

/// `munmap(addr, len)`: the guest's mappings in the range go; pages that
/// are not mapped (free, or not the guest's to unmap: the module's memory,
/// the break) are left as they are, and Linux also succeeds for them.
pub fn munmap(c: &Ctx, arg: args::Munmap) -> SysResult {
    let (a, len) = (arg.addr.wide(), arg.len as u64);
    if !aligned(a) || len == 0 {
        return Err(Errno::EINVAL);
    }
    let e = a + page_up(len);
    if e > ADDRESS_SPACE {
        return Err(Errno::EINVAL);
    }
    with_space(c, |s, c| {
        s.unmap(c, a, e);
        Ok(0)
    })
}

// ---------------------------------------------------------------------------
// mremap

/// `mremap(old, old_len, new_len, flags, new_addr)`. Anonymous mappings
/// grow in place when the pages above are free, and move by copying;
/// host (file, shared) mappings are moved by the host kernel, so they
/// grow only by moving (`MREMAP_MAYMOVE`; else `ENOMEM`, an answer Linux
/// gives too). `MREMAP_DONTUNMAP` and `old_len == 0` (duplicating a shared
/// mapping) are not supported: `EINVAL`.
pub fn mremap(c: &Ctx, a: args::Mremap) -> SysResult {
    let (old, old_len, new_len) = (a.old_address.wide(), a.old_size as u64, a.new_size as u64);
    let (flags, new_addr) = (a.flags, a.new_address.wide());
    let (maymove, fixed) = (libc::MREMAP_MAYMOVE, libc::MREMAP_FIXED);
    if flags & !(maymove | fixed | libc::MREMAP_DONTUNMAP) != 0
        || flags & libc::MREMAP_DONTUNMAP != 0
        || (flags & fixed != 0 && flags & maymove == 0)
        || !aligned(old)
    {
        return Err(Errno::EINVAL);
    }
    let (old_len, new_len) = (page_up(old_len), page_up(new_len));
    if new_len == 0 || old_len == 0 {
        return Err(Errno::EINVAL);
    }
    let to = (flags & fixed != 0).then_some(new_addr);
    if let Some(n) = to {
        if !aligned(n) || (n < old + old_len && old < n + new_len) {
            return Err(Errno::EINVAL);
        }
        if n + new_len > ADDRESS_SPACE {
            return Err(Errno::ENOMEM);
        }
    }
    with_space(c, |s, c| {
        let (_, m) = s.map_at(old).ok_or(Errno::EFAULT)?;
        if old + old_len > m.end {
            return Err(Errno::EFAULT);
        }
        if let Some(n) = to {
            if n + new_len > s.limit {
                return Err(Errno::ENOMEM);
            }
            if !s.owned(n, n + new_len) {
                return Err(Errno::EINVAL);
            }
            s.unmap(c, n, n + new_len);
            s.claim(c, n, n + new_len)?;
            return move_map(s, c, m, old, old_len, n, new_len);
        }
        if new_len <= old_len {
            s.unmap(c, old + new_len, old + old_len);
            return Ok(old as i64);
        }
        let (grow_a, grow_e) = (old + old_len, old + new_len);
        if m.backing == Backing::Anon && m.end == grow_a && s.claimable(grow_a, grow_e) {
            s.claim(c, grow_a, grow_e)?;
            s.insert_map(grow_a, Map { end: grow_e, ..m });
            return Ok(old as i64);
        }
        if flags & maymove == 0 {
            return Err(Errno::ENOMEM);
        }
        let n = s.alloc(c, new_len)?;
        move_map(s, c, m, old, old_len, n, new_len)
    })
}

/// Moves `[old, old+old_len)` of mapping `m` to the claimed range
/// `[n, n+new_len)`; the old range becomes free.
fn move_map(
    s: &mut Space,
    c: &Ctx,
    m: Map,
    old: u64,
    old_len: u64,
    n: u64,
    new_len: u64,
) -> SysResult {
    let mem = GuestMem::current(c);
    match m.backing {
        Backing::Anon => {
            mem.copy_within(Addr(old as u32), Addr(n as u32), old_len.min(new_len))?;
            s.unmap(c, old, old + old_len);
        }
        Backing::Host { .. } => {
            if let Err(e) = host_move_out_in(&mem, old, old_len, n, new_len) {
                s.free_insert(n, n + new_len);
                return Err(e);
            }
            s.detach(old, old + old_len);
            s.free_insert(old, old + old_len);
        }
    }
    s.insert_map(
        n,
        Map {
            end: n + new_len,
            ..m
        },
    );
    Ok(n as i64)
}

/// Moves the host mapping at `[old, old+old_len)` of linear memory to the
/// claimed range `[n, n+new_len)` without ever unmapping a page of linear
/// memory: the pages go first to an address of the kernel's choice outside
/// it (`MREMAP_DONTUNMAP` keeps the source mapped), are resized there, then
/// replace the destination in one step; the source then gets fresh
/// anonymous pages. On failure nothing moved: the source keeps its pages and
/// the destination holds anonymous memory.
fn host_move_out_in(mem: &GuestMem, old: u64, old_len: u64, n: u64, new_len: u64) -> SysResult {
    let src = mem.buf(Addr(old as u32), old_len)?;
    mem.buf(Addr(n as u32), new_len)?;
    let moved = old_len.min(new_len);
    let out = host_syscall!(
        libc::SYS_mremap,
        src,
        moved,
        moved,
        libc::MREMAP_MAYMOVE | libc::MREMAP_DONTUNMAP
    )? as u64;
    // Puts the pages back over the source (in one step) after a failure.
    let back = |from: u64| {
        let flags = libc::MREMAP_MAYMOVE | libc::MREMAP_FIXED;
        if let Err(e) = host_syscall!(libc::SYS_mremap, from, moved, moved, flags, src) {
            fatal_uncovered("moving a mapping back", old, moved, e);
        }
    };
    let mut at = out;
    if new_len > moved {
        match host_syscall!(libc::SYS_mremap, out, moved, new_len, libc::MREMAP_MAYMOVE) {
            Ok(p) => at = p as u64,
            Err(e) => {
                back(out);
                return Err(e);
            }
        }
    }
    let dst = mem.buf(Addr(n as u32), new_len)?;
    let flags = libc::MREMAP_MAYMOVE | libc::MREMAP_FIXED;
    if let Err(e) = host_syscall!(libc::SYS_mremap, at, new_len, new_len, flags, dst) {
        // The destination may have been unmapped before the kernel failed.
        host_restore_anon(mem, n, new_len);
        if new_len > moved {
            let _ = host_syscall!(libc::SYS_munmap, at + moved, new_len - moved);
        }
        back(at);
        return Err(e);
    }
    host_restore_anon(mem, old, old_len);
    Ok(0)
}

// ---------------------------------------------------------------------------
// mprotect, msync, madvise

/// `mprotect(addr, len, prot)`: checked and recorded; host pages keep read
/// and write access (see the module comment).
pub fn mprotect(c: &Ctx, arg: args::Mprotect) -> SysResult {
    let (a, len, prot) = (arg.addr.wide(), arg.len as u64, arg.prot);
    let known = libc::PROT_READ
        | libc::PROT_WRITE
        | libc::PROT_EXEC
        | PROT_SEM
        | libc::PROT_GROWSDOWN
        | libc::PROT_GROWSUP;
    let grows = libc::PROT_GROWSDOWN | libc::PROT_GROWSUP;
    // Linux's order: both growth flags, alignment, empty range, prot bits.
    if prot & grows == grows || !aligned(a) {
        return Err(Errno::EINVAL);
    }
    if len == 0 {
        return Ok(0);
    }
    if prot & !known != 0 {
        return Err(Errno::EINVAL);
    }
    let e = a + page_up(len);
    with_space(c, |s, c| {
        if !s.mapped(c, a, e) {
            return Err(Errno::ENOMEM);
        }
        // A shared mapping of a file not open for writing never becomes
        // writable (Linux: EACCES).
        let denied = Backing::Host { write_denied: true };
        let write_denied = s
            .maps
            .range(..e)
            .any(|(_, m)| m.end > a && m.backing == denied);
        if prot & libc::PROT_WRITE != 0 && write_denied {
            return Err(EACCES);
        }
        for (k, m) in s.detach(a, e) {
            s.insert_map(
                k,
                Map {
                    prot: prot & !grows,
                    ..m
                },
            );
        }
        Ok(0)
    })
}

/// `msync(addr, len, flags)`: checked, then done by the host kernel over
/// the same pages (it writes back shared file mappings; the rest is
/// anonymous memory, for which it does nothing).
pub fn msync(c: &Ctx, arg: args::Msync) -> SysResult {
    let (a, len, flags) = (arg.addr.wide(), arg.length as u64, arg.flags);
    let all = libc::MS_ASYNC | libc::MS_INVALIDATE | libc::MS_SYNC;
    if flags & !all != 0 || !aligned(a) {
        return Err(Errno::EINVAL);
    }
    if flags & libc::MS_ASYNC != 0 && flags & libc::MS_SYNC != 0 {
        return Err(Errno::EINVAL);
    }
    on_mapped_pages(c, a, len, |p, len| {
        host_syscall!(libc::SYS_msync, p, len, flags)
    })
}

/// The common tail of `msync` and `madvise` (arguments checked): `len`
/// rounded up to pages, nothing to do for 0, `-ENOMEM` unless every page of
/// `[a, a+len)` is mapped, else `f` on the host pages of the range.
fn on_mapped_pages(
    c: &Ctx,
    a: u64,
    len: u64,
    f: impl FnOnce(HostPtr, u64) -> SysResult,
) -> SysResult {
    let len = page_up(len);
    if len == 0 {
        return Ok(0);
    }
    with_space(c, |s, c| {
        if !s.mapped(c, a, a + len) {
            return Err(Errno::ENOMEM);
        }
        f(GuestMem::current(c).buf(Addr(a as u32), len)?, len)
    })
}

/// What `madvise` does with an advice.
enum Advice {
    /// The host applies it to the same pages: each is harmless to the
    /// runtime, and it means for the host mapping what it means for the
    /// guest's (`MADV_DONTNEED` zero-fills private anonymous memory, etc.).
    Host,
    /// Accepted, with no effect: fork-related advice would take the
    /// runtime's memory away from a fork child or zero it there.
    Ignore,
}

fn advice(a: i32) -> Option<Advice> {
    use libc::*;
    match a {
        MADV_NORMAL | MADV_RANDOM | MADV_SEQUENTIAL | MADV_WILLNEED | MADV_DONTNEED | MADV_FREE
        | MADV_REMOVE | MADV_MERGEABLE | MADV_UNMERGEABLE | MADV_HUGEPAGE | MADV_NOHUGEPAGE
        | MADV_DONTDUMP | MADV_DODUMP | MADV_COLD | MADV_PAGEOUT | MADV_POPULATE_READ
        | MADV_POPULATE_WRITE => Some(Advice::Host),
        MADV_DONTFORK | MADV_DOFORK | MADV_WIPEONFORK | MADV_KEEPONFORK => Some(Advice::Ignore),
        // MADV_HWPOISON, MADV_SOFT_OFFLINE, guard pages and the unknown:
        // never on the runtime's memory.
        _ => None,
    }
}

/// `madvise(addr, len, advice)`.
pub fn madvise(c: &Ctx, arg: args::Madvise) -> SysResult {
    let (a, len, adv) = (arg.addr.wide(), arg.length as u64, arg.advice);
    let what = advice(adv).ok_or(Errno::EINVAL)?;
    if !aligned(a) {
        return Err(Errno::EINVAL);
    }
    on_mapped_pages(c, a, len, |p, len| match what {
        Advice::Ignore => Ok(0),
        Advice::Host => host_syscall!(libc::SYS_madvise, p, len, adv),
    })
}

// ---------------------------------------------------------------------------
// brk and the no-ops

/// `brk(addr)`: Linux's raw convention: the new break on success, the
/// current one on failure or for an address below the start (`brk(0)`).
pub fn brk(c: &Ctx, a: args::Brk) -> SysResult {
    let want = a.addr.wide();
    with_space(c, |s, c| {
        if want < s.brk_start {
            return Ok(s.brk as i64);
        }
        let (old_end, new_end) = (page_up(s.brk), page_up(want));
        crate::wlog!(
            5,
            "mm: brk {want:#x}: start {:#x} top {:#x} limit {:#x} brk {:#x}",
            s.start,
            s.top,
            s.limit,
            s.brk
        );
        if new_end > old_end {
            if !s.claimable(old_end, new_end) || s.claim(c, old_end, new_end).is_err() {
                return Ok(s.brk as i64);
            }
        } else if new_end < old_end {
            host_zero(
                &GuestMem::current(c),
                new_end,
                old_end - new_end,
                Backing::Anon,
            );
            s.free_insert(new_end, old_end);
        }
        s.brk = want;
        Ok(want as i64)
    })
}

// Memory locking: the guest's pages are the host's linear memory, which the
// engine does not lock page by page; locking changes nothing a guest can
// observe, so these succeed after checking their arguments as Linux does.

/// `mlock(addr, len)`, `munlock(addr, len)`: the range must lie in memory
/// (Linux: ENOMEM for unmapped pages).
pub fn lock_range(c: &Ctx, a: args::Mlock) -> SysResult {
    c.mem
        .check(a.addr, a.len as u64)
        .map_err(|_| Errno::ENOMEM)?;
    Ok(0)
}

/// `mlockall(flags)`: MCL_CURRENT 1, MCL_FUTURE 2, MCL_ONFAULT 4 (only with
/// one of the others).
pub fn lock_all(_c: &Ctx, a: args::Mlockall) -> SysResult {
    let f = a.flags as u32;
    if f == 0 || f & !7 != 0 || f == 4 {
        return Err(Errno::EINVAL);
    }
    Ok(0)
}

pub fn unlock_all(_c: &Ctx) -> SysResult {
    Ok(0)
}

/// `mlock2(addr, len, flags)`: the only flag is MLOCK_ONFAULT (1).
pub fn lock_range2(c: &Ctx, a: args::Mlock2) -> SysResult {
    if a.flags & !1 != 0 {
        return Err(Errno::EINVAL);
    }
    lock_range(
        c,
        args::Mlock {
            addr: a.addr,
            len: a.len,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn space() -> Space {
        Space {
            id: (0, 0),
            start: 0x10000,
            top: 0x100000,
            limit: 0x200000,
            brk_start: 0x10000,
            brk: 0x10000,
            free: BTreeMap::new(),
            maps: BTreeMap::new(),
        }
    }

    fn free_list(s: &Space) -> Vec<(u64, u64)> {
        s.free.iter().map(|(&a, &e)| (a, e)).collect()
    }

    #[test]
    fn free_list_coalesces_both_neighbours() {
        let mut s = space();
        s.free_insert(0x10000, 0x20000);
        s.free_insert(0x30000, 0x40000);
        assert_eq!(free_list(&s), [(0x10000, 0x20000), (0x30000, 0x40000)]);
        s.free_insert(0x20000, 0x30000);
        assert_eq!(free_list(&s), [(0x10000, 0x40000)]);
    }

    #[test]
    fn free_take_splits_and_refuses_what_is_not_free() {
        let mut s = space();
        s.free_insert(0x10000, 0x40000);
        s.free_take(0x20000, 0x21000).unwrap();
        assert_eq!(free_list(&s), [(0x10000, 0x20000), (0x21000, 0x40000)]);
        assert_eq!(s.free_take(0x1f000, 0x22000), Err(Errno::ENOMEM));
        assert_eq!(s.free_take(0x20000, 0x21000), Err(Errno::ENOMEM));
        s.free_take(0x10000, 0x20000).unwrap();
        assert_eq!(free_list(&s), [(0x21000, 0x40000)]);
    }

    #[test]
    fn claimable_and_owned() {
        let mut s = space();
        s.free_insert(0x20000, 0x100000);
        s.insert_map(
            0x10000,
            Map {
                end: 0x20000,
                prot: 3,
                backing: Backing::Anon,
            },
        );
        assert!(
            s.claimable(0x20000, 0x180000),
            "free up to top, then growth"
        );
        assert!(!s.claimable(0x1f000, 0x21000), "mapped page");
        assert!(!s.claimable(0x20000, 0x201000), "past the limit");
        assert!(!s.claimable(0x0, 0x1000), "below the region");
        assert!(s.owned(0x10000, 0x30000), "mapped then free");
        assert!(!s.owned(0xf000, 0x11000), "module memory");
    }

    #[test]
    fn anonymous_neighbours_merge_and_split() {
        let mut s = space();
        let m = |end, prot| Map {
            end,
            prot,
            backing: Backing::Anon,
        };
        s.insert_map(0x10000, m(0x11000, 3));
        s.insert_map(0x12000, m(0x13000, 3));
        s.insert_map(0x11000, m(0x12000, 3));
        assert_eq!(s.maps.len(), 1);
        assert_eq!(s.maps[&0x10000].end, 0x13000);
        let parts = s.detach(0x11000, 0x12000);
        assert_eq!(parts.len(), 1);
        assert_eq!((parts[0].0, parts[0].1.end), (0x11000, 0x12000));
        assert_eq!(
            s.maps.keys().copied().collect::<Vec<_>>(),
            [0x10000, 0x12000]
        );
        // A different protection or a host mapping does not merge.
        s.insert_map(0x11000, m(0x12000, 1));
        assert_eq!(s.maps.len(), 3);
        let host = Map {
            end: 0x14000,
            prot: 3,
            backing: Backing::Host {
                write_denied: false,
            },
        };
        s.insert_map(0x13000, host);
        assert_eq!(s.maps.len(), 4);
    }
}
