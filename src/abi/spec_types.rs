//! Types of the generated specification table (`spec.rs`).

use std::ffi::CStr;

/// A wasm value type as it appears in a `wali` import.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ValType {
    I32,
    I64,
    F32,
    F64,
    /// Anything else (references, vectors): never valid in a WALI import.
    Other,
}

impl ValType {
    /// Character of this type in WAMR's native signature strings.
    pub fn sig_char(self) -> char {
        match self {
            ValType::I32 => 'i',
            ValType::I64 => 'I',
            ValType::F32 => 'f',
            ValType::F64 => 'F',
            ValType::Other => '?',
        }
    }
}

/// One syscall of the spec, imported as `SYS_<name>`.
#[derive(Debug)]
pub struct Syscall {
    pub name: &'static str,
    /// Other names the same call is imported under.
    pub aliases: &'static [&'static str],
    /// wasm32 parameter types; the result is always `i64`.
    pub params: &'static [ValType],
    /// WAMR signature string of the spec type, e.g. `(iIi)I`.
    pub signature: &'static CStr,
    pub c_types: &'static [&'static str],
    pub arg_names: &'static [&'static str],
    /// Syscall numbers per architecture; -1 where that kernel lacks the call.
    pub nr_x86_64: i32,
    pub nr_aarch64: i32,
    pub nr_riscv64: i32,
    /// Whether the spec itself marks the call implemented.
    pub spec_implemented: bool,
}

impl Syscall {
    /// The signature with which AoT code compiled by our `wamrc` calls this
    /// import directly (through the instance's function-pointer table, with
    /// typed arguments), when a module imports it with exactly that type;
    /// None where the call goes through WAMR's generic path. The engine
    /// links every import of a name and type listed here to a typed native
    /// of exactly this type (`engine::register`, `engine::link::link_module`).
    /// The spec's type, for every name but `exit` (imported with two types:
    /// a raw entry).
    pub fn direct_signature(&self) -> Option<&'static CStr> {
        if self.name == "exit" {
            None
        } else {
            Some(self.signature)
        }
    }
}

/// One auxiliary (non-syscall) import.
#[derive(Debug)]
pub struct Aux {
    pub name: &'static str,
    pub params: &'static [ValType],
    pub result: Option<ValType>,
    pub signature: &'static CStr,
}

/// A struct layout in the wasm32 view.
#[derive(Debug)]
pub struct Struct {
    pub name: &'static str,
    pub size: usize,
    pub align: usize,
    pub fields: &'static [Field],
}

#[derive(Debug)]
pub struct Field {
    pub name: &'static str,
    pub offset: usize,
    pub size: usize,
}

impl Struct {
    /// Looks a struct layout up by its C name (`"struct stat"`, `"stack_t"`).
    pub fn find(name: &str) -> Option<&'static Struct> {
        super::spec::STRUCTS.iter().find(|s| s.name == name)
    }

    /// Offset of a field, for layout assertions.
    pub fn offset_of(&self, field: &str) -> Option<usize> {
        self.fields
            .iter()
            .find(|f| f.name == field)
            .map(|f| f.offset)
    }
}

impl Syscall {
    /// Looks a syscall up by spec name or alias.
    pub fn find(name: &str) -> Option<&'static Syscall> {
        // Indexed once (names and aliases; the first syscall listing a name
        // wins, as a scan in table order would find): linking looks up every
        // import of a module.
        static INDEX: std::sync::OnceLock<
            std::collections::HashMap<&'static str, &'static Syscall>,
        > = std::sync::OnceLock::new();
        INDEX
            .get_or_init(|| {
                let mut index = std::collections::HashMap::new();
                for s in super::spec::SYSCALLS.iter() {
                    for n in std::iter::once(&s.name).chain(s.aliases) {
                        index.entry(*n).or_insert(s);
                    }
                }
                index
            })
            .get(name)
            .copied()
    }
}

#[cfg(test)]
mod tests {
    use super::super::spec::{AUX, STRUCTS, SYSCALLS};
    use super::*;

    #[test]
    fn table_matches_the_abi_facts() {
        assert_eq!(SYSCALLS.len(), 362);
        assert_eq!(SYSCALLS.iter().filter(|s| s.spec_implemented).count(), 140);
        assert_eq!(AUX.len(), 11);
        let t = |n: &str| Syscall::find(n).unwrap().params;
        use ValType::*;
        assert_eq!(t("lseek"), [I32, I64, I32]);
        assert_eq!(t("fcntl"), [I32, I32, I64]);
        assert_eq!(t("mmap"), [I32, I32, I32, I32, I32, I64]);
        assert_eq!(t("poll"), [I32, I64, I32]);
        assert_eq!(t("prctl"), [I32, I64, I64, I64, I64]);
        assert_eq!(t("ftruncate"), [I32, I64]);
        assert_eq!(Syscall::find("fstatat").unwrap().name, "newfstatat");
        assert!(STRUCTS.len() > 10);
    }

    #[test]
    fn struct_layouts_from_type_registry() {
        let size = |n: &str| Struct::find(n).unwrap().size;
        assert_eq!(size("struct stat"), 144);
        assert_eq!(size("struct timespec"), 16);
        assert_eq!(size("struct iovec"), 8);
        assert_eq!(size("struct k_sigaction"), 24);
        assert_eq!(size("struct epoll_event"), 12);
        let ks = Struct::find("struct k_sigaction").unwrap();
        assert_eq!(ks.offset_of("flags"), Some(4));
        assert_eq!(ks.offset_of("restorer"), Some(12));
        assert_eq!(ks.offset_of("mask"), Some(16));
        // Layouts passed through unchanged must equal the host's (x86-64).
        #[cfg(target_arch = "x86_64")]
        {
            assert_eq!(size("struct stat"), std::mem::size_of::<libc::stat>());
            assert_eq!(
                size("struct timespec"),
                std::mem::size_of::<libc::timespec>()
            );
            assert_eq!(size("struct rlimit"), std::mem::size_of::<libc::rlimit>());
            assert_eq!(size("struct utsname"), std::mem::size_of::<libc::utsname>());
        }
    }

    /// The host numbers the handlers use are the spec's for this architecture.
    #[test]
    fn host_syscall_numbers_match_the_spec() {
        let nr = |n: &str| {
            let s = Syscall::find(n).unwrap();
            if cfg!(target_arch = "x86_64") {
                s.nr_x86_64 as libc::c_long
            } else if cfg!(target_arch = "aarch64") {
                s.nr_aarch64 as libc::c_long
            } else {
                s.nr_riscv64 as libc::c_long
            }
        };
        assert_eq!(nr("read"), libc::SYS_read);
        assert_eq!(nr("write"), libc::SYS_write);
        assert_eq!(nr("openat"), libc::SYS_openat);
        assert_eq!(nr("close"), libc::SYS_close);
        assert_eq!(nr("lseek"), libc::SYS_lseek);
        assert_eq!(nr("newfstatat"), libc::SYS_newfstatat);
        assert_eq!(nr("exit_group"), libc::SYS_exit_group);
    }
}
