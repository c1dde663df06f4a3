//! Guest struct layouts as Rust types: `#[repr(C)]` mirrors of the structs
//! the WALI ABI passes through guest memory, in the wasm32 view (`long` and
//! `time_t` are 8 bytes, pointers and `size_t` 4).
//!
//! The spec (`spec::STRUCTS`, generated from `wali-linux`) is the source of
//! truth; these mirrors are what the runtime uses, so that sizes and field
//! offsets come from the compiler rather than from hand-copied numbers. The
//! unit tests below hold every mirror against the spec: its size, and the
//! offset and size of every field the spec names; and every struct of the
//! spec has a mirror. Fields the spec does not name are explicit padding
//! (`_`-prefixed): every byte of a mirror belongs to a field (also checked),
//! so a mirror has no compiler padding and is plain data for
//! [`crate::abi::mem::GuestMem::read`]/`write` (its `Pod` impl is in
//! `mem.rs`). Read a mirror from guest memory once, then use the copy.
//!
//! Structs the spec does not describe (`struct mmsghdr`, `struct
//! sock_fprog`...) are built here from checked mirrors where they contain
//! one, or stay as documented sizes beside their calls.

use std::mem::size_of;

/// A mirror's fields as (name, offset, size), for the layout tests.
#[cfg(test)]
pub(crate) struct Mirror {
    pub c_name: &'static str,
    pub size: usize,
    pub fields: &'static [(&'static str, usize, usize)],
}

macro_rules! guest_structs {
    ($(
        $(#[doc = $doc:literal])*
        $c_name:literal => #[repr($($repr:ident),+)] struct $name:ident {
            $( $(#[doc = $fdoc:literal])* $field:ident : $ty:ty ),* $(,)?
        }
    )*) => {
        $(
            $(#[doc = $doc])*
            #[doc = concat!("\n\nMirror of the guest's `", $c_name, "`.")]
            #[derive(Clone, Copy, Debug, PartialEq, Eq)]
            #[repr($($repr),+)]
            pub struct $name {
                $( $(#[doc = $fdoc])* pub $field: $ty ),*
            }

            impl $name {
                /// Size in guest memory, in bytes.
                pub const SIZE: u64 = size_of::<$name>() as u64;
            }
        )*

        /// Every mirror with the spec name it mirrors.
        #[cfg(test)]
        pub(crate) const MIRRORS: &[Mirror] = &[$(
            Mirror {
                c_name: $c_name,
                size: size_of::<$name>(),
                fields: &[$( (stringify!($field), ::std::mem::offset_of!($name, $field), size_of::<$ty>()) ),*],
            }
        ),*];
    };
}

guest_structs! {
    "struct timespec" => #[repr(C)] struct Timespec { tv_sec: i64, tv_nsec: i64 }
    "struct timeval" => #[repr(C)] struct Timeval { tv_sec: i64, tv_usec: i64 }
    "struct timezone" => #[repr(C)] struct Timezone { tz_minuteswest: i32, tz_dsttime: i32 }
    "struct itimerval" => #[repr(C)] struct Itimerval { it_interval: Timeval, it_value: Timeval }
    "struct utimbuf" => #[repr(C)] struct Utimbuf { actime: i64, modtime: i64 }
    "struct iovec" => #[repr(C)] struct Iovec { iov_base: u32, iov_len: u32 }
    /// `msg_iovlen` and `msg_controllen` are followed by padding words: the
    /// layout is musl's for a 64-bit `long` with 4-byte pointers.
    "struct msghdr" => #[repr(C)] struct Msghdr {
        msg_name: u32,
        msg_namelen: u32,
        msg_iov: u32,
        msg_iovlen: u32,
        pad1: u32,
        msg_control: u32,
        msg_controllen: u32,
        pad2: u32,
        msg_flags: u32,
    }
    "struct sockaddr" => #[repr(C)] struct Sockaddr { sa_family: u16, sa_data: [u8; 14] }
    "struct pollfd" => #[repr(C)] struct Pollfd { fd: i32, events: i16, revents: i16 }
    /// Packed, as on x86-64: `data` at offset 4.
    "struct epoll_event" => #[repr(C, packed)] struct EpollEvent { events: u32, data: u64 }
    /// The kernel's sigaction as the guest passes it (`rt_sigaction`):
    /// packed, the 8-byte flags at offset 4.
    "struct k_sigaction" => #[repr(C, packed)] struct KSigaction {
        handler: u32,
        flags: u64,
        restorer: u32,
        mask: u64,
    }
    "stack_t" => #[repr(C)] struct StackT { ss_sp: u32, ss_flags: i32, ss_size: u32 }
    "struct rlimit" => #[repr(C)] struct Rlimit { rlim_cur: u64, rlim_max: u64 }
    "struct rusage" => #[repr(C)] struct Rusage {
        ru_utime: Timeval,
        ru_stime: Timeval,
        ru_maxrss: i64,
        ru_ixrss: i64,
        ru_idrss: i64,
        ru_isrss: i64,
        ru_minflt: i64,
        ru_majflt: i64,
        ru_nswap: i64,
        ru_inblock: i64,
        ru_oublock: i64,
        ru_msgsng: i64,
        ru_msgrcv: i64,
        ru_nsignals: i64,
        ru_nvcsw: i64,
        ru_nivcsw: i64,
        /// musl's `__reserved[16]`: the kernel writes only the fields
        /// before it.
        reserved: [i64; 16],
    }
    "struct sysinfo" => #[repr(C)] struct Sysinfo {
        uptime: i64,
        loads: [u64; 3],
        totalram: u64,
        freeram: u64,
        sharedram: u64,
        bufferram: u64,
        totalswap: u64,
        freeswap: u64,
        procs: u16,
        pad: u16,
        _align: u32,
        totalhigh: u64,
        freehigh: u64,
        mem_unit: u32,
        /// musl's `__reserved[256]`: the kernel writes only the fields
        /// before it.
        reserved: [u8; 256],
        _tail: [u8; 4],
    }
    "struct utsname" => #[repr(C)] struct Utsname {
        sysname: [u8; 65],
        nodename: [u8; 65],
        release: [u8; 65],
        version: [u8; 65],
        machine: [u8; 65],
        domainname: [u8; 65],
    }
    "struct stat" => #[repr(C)] struct Stat {
        st_dev: u64,
        st_ino: u64,
        st_nlink: u64,
        st_mode: u32,
        st_uid: u32,
        st_gid: u32,
        pad0: u32,
        st_rdev: u64,
        st_size: i64,
        st_blksize: i64,
        st_blocks: i64,
        st_atim: Timespec,
        st_mtim: Timespec,
        st_ctim: Timespec,
        unused: [i64; 3],
    }
    "stx_time" => #[repr(C)] struct StxTime { tv_sec: i64, tv_nsec: u32, pad: i32 }
    "struct statx" => #[repr(C)] struct Statx {
        stx_mask: u32,
        stx_blksize: u32,
        stx_attributes: u64,
        stx_nlink: u32,
        stx_uid: u32,
        stx_gid: u32,
        stx_mode: u16,
        pad1: u16,
        stx_ino: u64,
        stx_size: u64,
        stx_blocks: u64,
        stx_attributes_mask: u64,
        stx_atime: StxTime,
        stx_btime: StxTime,
        stx_ctime: StxTime,
        stx_mtime: StxTime,
        stx_rdev_major: u32,
        stx_rdev_minor: u32,
        stx_dev_major: u32,
        stx_dev_minor: u32,
        spare: [u64; 14],
    }
    "struct statfs" => #[repr(C)] struct Statfs {
        f_type: i64,
        f_bsize: i64,
        f_blocks: u64,
        f_bfree: u64,
        f_bavail: u64,
        f_files: u64,
        f_ffree: u64,
        f_fsid: [i32; 2],
        f_namelen: i64,
        f_frsize: i64,
        f_flags: i64,
        f_spare: [i64; 4],
    }
    "struct dirent" => #[repr(C)] struct Dirent {
        d_ino: u64,
        d_off: i64,
        d_reclen: u16,
        d_type: u8,
        d_name: [u8; 256],
        _tail: [u8; 5],
    }
    "cpu_set_t" => #[repr(C)] struct CpuSet { bits: [u8; 128] }
    "fd_set" => #[repr(C)] struct FdSet { fds_bits: [u8; 128] }
}

/// `struct mmsghdr` (not in the spec): a [`Msghdr`], then `unsigned int
/// msg_len`, as in `<sys/socket.h>`; 4-byte aligned, so no padding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(C)]
pub struct Mmsghdr {
    pub msg_hdr: Msghdr,
    pub msg_len: u32,
}

impl Mmsghdr {
    /// Size in guest memory, in bytes.
    pub const SIZE: u64 = size_of::<Mmsghdr>() as u64;
}

/// `struct sock_fprog` (not in the spec): `unsigned short len`, then a
/// 4-byte pointer to the `struct sock_filter` array, 4-byte aligned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(C)]
pub struct SockFprog {
    pub len: u16,
    pub _pad: u16,
    pub filter: u32,
}

impl SockFprog {
    /// Size in guest memory, in bytes.
    pub const SIZE: u64 = size_of::<SockFprog>() as u64;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::abi::spec::STRUCTS;
    use crate::abi::spec_types::Struct;
    use std::mem::offset_of;

    #[test]
    fn every_mirror_matches_the_spec() {
        for m in MIRRORS {
            let s = Struct::find(m.c_name).unwrap_or_else(|| panic!("{} not in spec", m.c_name));
            assert_eq!(m.size, s.size, "size of {}", m.c_name);
            for f in s.fields {
                let mf = m.fields.iter().find(|x| x.0 == f.name);
                let mf =
                    mf.unwrap_or_else(|| panic!("{}.{} has no mirror field", m.c_name, f.name));
                assert_eq!((mf.1, mf.2), (f.offset, f.size), "{}.{}", m.c_name, f.name);
            }
            // Fields the spec does not name are explicit padding.
            for mf in m.fields {
                assert!(
                    mf.0.starts_with('_') || s.offset_of(mf.0).is_some(),
                    "{}.{} not in spec",
                    m.c_name,
                    mf.0
                );
            }
        }
    }

    #[test]
    fn every_spec_struct_has_a_mirror() {
        for s in STRUCTS.iter() {
            assert!(
                MIRRORS.iter().any(|m| m.c_name == s.name),
                "no mirror of {}",
                s.name
            );
        }
        assert_eq!(MIRRORS.len(), STRUCTS.len());
    }

    /// No compiler padding: the fields tile each mirror, so copying one to
    /// the guest copies no uninitialised byte.
    #[test]
    fn mirrors_have_no_implicit_padding() {
        for m in MIRRORS {
            let mut fields = m.fields.to_vec();
            fields.sort_by_key(|f| f.1);
            let mut at = 0;
            for (name, off, size) in fields {
                assert_eq!(off, at, "gap before {}.{}", m.c_name, name);
                at += size;
            }
            assert_eq!(at, m.size, "tail padding in {}", m.c_name);
        }
        assert_eq!(Mmsghdr::SIZE, Msghdr::SIZE + 4);
        assert_eq!(SockFprog::SIZE, 8);
        assert_eq!(offset_of!(SockFprog, filter), 4);
        assert_eq!(offset_of!(Mmsghdr, msg_len) as u64, Msghdr::SIZE);
    }
}
