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
        crate::spec::STRUCTS.iter().find(|s| s.name == name)
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
        crate::spec::SYSCALLS
            .iter()
            .find(|s| s.name == name || s.aliases.contains(&name))
    }
}
