//! Keeps a WALI module's linear memory growable under WAMR.
//!
//! WAMR's loader (built without multi-module, which fast-JIT requires) fixes
//! the memory of a module that contains no `memory.grow` or `memory.size`
//! instruction at its initial size: the maximum becomes the initial size.
//! WALI binaries grow memory only through the host (`mmap`, `brk`), so a
//! libc that never executes those instructions itself (musl's malloc uses
//! the syscalls) would be stuck with its initial memory.
//!
//! [`mark_growable`] appends one function that is never called or exported,
//! `(func (drop (memory.size)))`, so the loader sees a possible growth. No
//! existing function, type or element index changes: the new function and,
//! if needed, a new `() -> ()` type are appended at the end of their index
//! spaces. Anything it does not fully understand is left untouched (the
//! function returns `None`): the input is untrusted, every read is checked.

/// One section of a module: id and payload range in the input.
struct Section {
    id: u8,
    start: usize,
    end: usize,
}

/// Reads an unsigned LEB128 `u32` at `*pos`.
fn leb_u32(b: &[u8], pos: &mut usize) -> Option<u32> {
    let mut result: u64 = 0;
    for shift in (0..35).step_by(7) {
        let byte = *b.get(*pos)?;
        *pos += 1;
        result |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return u32::try_from(result).ok();
        }
    }
    None
}

fn put_leb(out: &mut Vec<u8>, mut v: u32) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn sections(b: &[u8]) -> Option<Vec<Section>> {
    if b.get(..8)? != b"\0asm\x01\0\0\0" {
        return None;
    }
    let mut pos = 8;
    let mut out = Vec::new();
    while pos < b.len() {
        let id = b[pos];
        pos += 1;
        let len = leb_u32(b, &mut pos)? as usize;
        let end = pos.checked_add(len)?;
        if end > b.len() {
            return None;
        }
        out.push(Section {
            id,
            start: pos,
            end,
        });
        pos = end;
    }
    Some(out)
}

/// Index of a `() -> ()` type in a type section payload, and the count of
/// types. `None` for encodings beyond plain function types of value types.
fn find_void_type(p: &[u8]) -> Option<(Option<u32>, u32)> {
    let mut pos = 0;
    let count = leb_u32(p, &mut pos)?;
    let mut found = None;
    for i in 0..count {
        if *p.get(pos)? != 0x60 {
            return None; // rec/sub types (GC proposal): not ours to rewrite
        }
        pos += 1;
        let mut arity = [0u32; 2];
        for a in &mut arity {
            *a = leb_u32(p, &mut pos)?;
            for _ in 0..*a {
                match *p.get(pos)? {
                    0x7f | 0x7e | 0x7d | 0x7c | 0x7b | 0x70 | 0x6f => pos += 1,
                    _ => return None,
                }
            }
        }
        if arity == [0, 0] && found.is_none() {
            found = Some(i);
        }
    }
    (pos == p.len()).then_some((found, count))
}

/// A vector section payload (count, then entries) with `entry` appended.
fn append_entry(payload: &[u8], entry: &[u8]) -> Option<Vec<u8>> {
    let mut pos = 0;
    let count = leb_u32(payload, &mut pos)?;
    let mut out = Vec::with_capacity(payload.len() + entry.len() + 5);
    put_leb(&mut out, count.checked_add(1)?);
    out.extend_from_slice(&payload[pos..]);
    out.extend_from_slice(entry);
    Some(out)
}

fn push_section(out: &mut Vec<u8>, id: u8, payload: &[u8]) -> Option<()> {
    out.push(id);
    put_leb(out, u32::try_from(payload.len()).ok()?);
    out.extend_from_slice(payload);
    Some(())
}

const TYPE: u8 = 1;
const IMPORT: u8 = 2;
const FUNCTION: u8 = 3;
const MEMORY: u8 = 5;
const CODE: u8 = 10;

/// Body of the marker: no locals, `memory.size 0`, `drop`, `end`.
const MARKER_BODY: [u8; 6] = [5, 0x00, 0x3f, 0x00, 0x1a, 0x0b];

/// Returns the module with the growth marker appended, or `None` when it
/// needs none or cannot be rewritten safely (no defined memory, no function
/// or code section, encodings this rewrite does not know): then the module
/// is loaded as it is.
pub fn mark_growable(module: &[u8]) -> Option<Vec<u8>> {
    let secs = sections(module)?;
    let find = |id| secs.iter().find(|s| s.id == id);
    let memory = find(MEMORY)?;
    let mut pos = memory.start;
    if leb_u32(module, &mut pos)? == 0 {
        return None;
    }
    let types = find(TYPE)?;
    find(FUNCTION)?;
    find(CODE)?;
    let (void, type_count) = find_void_type(&module[types.start..types.end])?;
    let (type_index, new_types) = match void {
        Some(i) => (i, None),
        None => (
            type_count,
            Some(append_entry(
                &module[types.start..types.end],
                &[0x60, 0, 0],
            )?),
        ),
    };
    let mut func_entry = Vec::new();
    put_leb(&mut func_entry, type_index);

    let mut out = Vec::with_capacity(module.len() + 16);
    out.extend_from_slice(&module[..8]);
    for s in &secs {
        let payload = &module[s.start..s.end];
        match s.id {
            TYPE if new_types.is_some() => push_section(&mut out, TYPE, new_types.as_ref()?)?,
            FUNCTION => push_section(&mut out, FUNCTION, &append_entry(payload, &func_entry)?)?,
            CODE => push_section(&mut out, CODE, &append_entry(payload, &MARKER_BODY)?)?,
            id => push_section(&mut out, id, payload)?,
        }
    }
    Some(out)
}

/// A function import of a module: import module and field names, and the
/// value types of its function type as encoded in the type section
/// (`0x7f` i32, `0x7e` i64, `0x7d` f32, `0x7c` f64, ...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FuncImport {
    pub module: String,
    pub name: String,
    pub params: Vec<u8>,
    pub results: Vec<u8>,
}

/// Reads an unsigned LEB128 up to 64 bits at `*pos`.
fn leb_u64(b: &[u8], pos: &mut usize) -> Option<u64> {
    let mut result: u64 = 0;
    for shift in (0..70).step_by(7) {
        let byte = *b.get(*pos)?;
        *pos += 1;
        if shift == 63 && byte > 1 {
            return None;
        }
        result |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Some(result);
        }
    }
    None
}

fn name(b: &[u8], pos: &mut usize) -> Option<String> {
    let len = leb_u32(b, pos)? as usize;
    let end = pos.checked_add(len)?;
    let s = std::str::from_utf8(b.get(*pos..end)?).ok()?.to_string();
    *pos = end;
    Some(s)
}

/// Table or memory limits: flags, min, optional max (64-bit with memory64).
fn limits(b: &[u8], pos: &mut usize) -> Option<()> {
    let flags = *b.get(*pos)?;
    *pos += 1;
    if flags > 7 {
        return None;
    }
    leb_u64(b, pos)?;
    if flags & 1 != 0 {
        leb_u64(b, pos)?;
    }
    Some(())
}

/// Every function import of a module, in import order, with its type: what
/// an engine needs to link the imports before handing the module to WAMR.
/// `None` for anything this reader does not fully understand (not a module,
/// types beyond plain function types, unknown import kinds, truncation).
pub fn func_imports(module: &[u8]) -> Option<Vec<FuncImport>> {
    let secs = sections(module)?;
    let mut types: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
    if let Some(t) = secs.iter().find(|s| s.id == TYPE) {
        let p = &module[t.start..t.end];
        let mut pos = 0;
        for _ in 0..leb_u32(p, &mut pos)? {
            if *p.get(pos)? != 0x60 {
                return None;
            }
            pos += 1;
            let mut sides = [Vec::new(), Vec::new()];
            for side in &mut sides {
                for _ in 0..leb_u32(p, &mut pos)? {
                    match *p.get(pos)? {
                        v @ (0x7f | 0x7e | 0x7d | 0x7c | 0x7b | 0x70 | 0x6f) => side.push(v),
                        _ => return None,
                    }
                    pos += 1;
                }
            }
            let [params, results] = sides;
            types.push((params, results));
        }
        if pos != p.len() {
            return None;
        }
    }
    let mut out = Vec::new();
    let Some(imp) = secs.iter().find(|s| s.id == IMPORT) else {
        return Some(out);
    };
    let p = &module[imp.start..imp.end];
    let mut pos = 0;
    for _ in 0..leb_u32(p, &mut pos)? {
        let module = name(p, &mut pos)?;
        let field = name(p, &mut pos)?;
        let kind = *p.get(pos)?;
        pos += 1;
        match kind {
            0x00 => {
                let (params, results) = types.get(leb_u32(p, &mut pos)? as usize)?.clone();
                out.push(FuncImport {
                    module,
                    name: field,
                    params,
                    results,
                });
            }
            0x01 => {
                pos += 1; // reference type
                limits(p, &mut pos)?;
            }
            0x02 => limits(p, &mut pos)?,
            0x03 => pos += 2, // value type, mutability
            0x04 => {
                pos += 1; // tag attribute
                leb_u32(p, &mut pos)?;
            }
            _ => return None,
        }
    }
    (pos == p.len()).then_some(out)
}

/// WebAssembly's tag section (exception-handling proposal).
const TAG: u8 = 13;

/// Whether a module uses Wasm exception handling: it defines or imports a
/// tag, which every `throw` and tagged `catch` names (clang's
/// `-fwasm-exceptions` defines `__cpp_exception` and/or `__c_longjmp`).
/// WAMR runs such modules only in its classic interpreter, so the engine
/// picks that mode for them. A module this reader cannot split into
/// sections answers false (the loader refuses it anyway); an import section
/// it cannot read counts as using tags when its entries stop at a tag
/// import, and otherwise as not.
pub fn uses_exceptions(module: &[u8]) -> bool {
    let Some(secs) = sections(module) else {
        return false;
    };
    if secs.iter().any(|s| s.id == TAG) {
        return true;
    }
    let Some(imp) = secs.iter().find(|s| s.id == IMPORT) else {
        return false;
    };
    imports_tag(&module[imp.start..imp.end]).unwrap_or(false)
}

/// Whether an import section payload imports a tag (kind 4).
fn imports_tag(p: &[u8]) -> Option<bool> {
    let mut pos = 0;
    for _ in 0..leb_u32(p, &mut pos)? {
        name(p, &mut pos)?;
        name(p, &mut pos)?;
        let kind = *p.get(pos)?;
        pos += 1;
        match kind {
            0x00 => {
                leb_u32(p, &mut pos)?;
            }
            0x01 => {
                pos += 1; // reference type
                limits(p, &mut pos)?;
            }
            0x02 => limits(p, &mut pos)?,
            0x03 => pos += 2, // value type, mutability
            0x04 => return Some(true),
            _ => return None,
        }
    }
    Some(false)
}

/// Size in bytes of the module's code section and the number of function
/// bodies in it, or `None` when the module cannot be read or has none.
pub fn code_size(module: &[u8]) -> Option<(usize, u32)> {
    let secs = sections(module)?;
    let code = secs.iter().find(|s| s.id == CODE)?;
    let mut pos = code.start;
    let count = leb_u32(&module[..code.end], &mut pos)?;
    Some((code.end - code.start, count))
}

/// The stamp our `wamrc` leaves in an AoT file whose functions check the
/// native stack in their prologue (`--stack-bounds-checks=1`, its default).
///
/// The engine is built without stack guard pages (the native stack is
/// checked in software, so a thread does not have to commit its whole stack
/// when it starts): AoT code compiled without the checks would run off the
/// end of its stack on deep recursion and crash the host process instead of
/// trapping, so the engine refuses such files. WAMR's AoT format has no
/// field for this, so the stamp is a value in the 8-byte word the target-info
/// section reserves (written as zero by WAMR's compiler, read and ignored by
/// every WAMR loader): the file stays loadable by any WAMR.
pub const AOT_STACK_CHECKED: u64 = u64::from_le_bytes(*b"WALIstk1");

/// Offset of the target-info section's reserved word in an AoT file: magic
/// and version (8 bytes), section id and size (8), then bin_type, abi_type,
/// e_type, e_machine (2 bytes each), e_version, e_flags (4 each),
/// feature_flags (8).
const AOT_RESERVED_AT: usize = 8 + 8 + 8 + 8 + 8;
/// WAMR's AOT_SECTION_TYPE_TARGET_INFO, always the first section.
const AOT_SECTION_TARGET_INFO: u32 = 0;

/// Where the reserved word of `aot`'s target info is, if `aot` is an AoT
/// file whose first section is the target info.
fn aot_reserved_word(aot: &[u8]) -> Option<usize> {
    let u32_at = |at: usize| -> Option<u32> {
        Some(u32::from_le_bytes(aot.get(at..at + 4)?.try_into().ok()?))
    };
    if aot.get(..4)? != b"\0aot" || u32_at(8)? != AOT_SECTION_TARGET_INFO {
        return None;
    }
    let section_end = 16usize.checked_add(u32_at(12)? as usize)?;
    (AOT_RESERVED_AT + 8 <= section_end && section_end <= aot.len()).then_some(AOT_RESERVED_AT)
}

/// Stamps `aot` (an AoT file compiled with native stack checks) with
/// [`AOT_STACK_CHECKED`]. False if it is not an AoT file this reader knows.
pub fn stamp_aot_stack_checked(aot: &mut [u8]) -> bool {
    match aot_reserved_word(aot) {
        Some(at) => {
            aot[at..at + 8].copy_from_slice(&AOT_STACK_CHECKED.to_le_bytes());
            true
        }
        None => false,
    }
}

/// Whether `aot` carries [`AOT_STACK_CHECKED`]; `None` if it is not an AoT
/// file this reader knows.
pub fn aot_stack_checked(aot: &[u8]) -> Option<bool> {
    let at = aot_reserved_word(aot)?;
    Some(aot[at..at + 8] == AOT_STACK_CHECKED.to_le_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_modules_with_tags() {
        assert!(!uses_exceptions(&sample()));
        assert!(!uses_exceptions(&with_imports()));
        assert!(!uses_exceptions(b"not wasm"));
        // A tag section: one tag, attribute 0, type 0.
        let mut m = sample();
        m.extend([TAG, 3, 1, 0, 0]);
        assert!(uses_exceptions(&m));
        // An imported tag: (import "env" "t" (tag (type 0))).
        let mut m = sample();
        m.splice(
            15..15,
            [IMPORT, 10, 1, 3, b'e', b'n', b'v', 1, b't', 4, 0, 0],
        );
        assert!(sections(&m).is_some());
        assert!(uses_exceptions(&m));
    }

    #[test]
    fn code_size_is_the_payload() {
        assert_eq!(code_size(&sample()), Some((5, 1)));
        assert_eq!(code_size(b"\0asm\x01\0\0\0"), None);
        assert_eq!(code_size(b"not wasm"), None);
    }

    /// (module (type (func (param i32))) (func (type 0) nop) (memory 1 10))
    /// with the sections in binary order: type, function, memory, code.
    fn sample() -> Vec<u8> {
        let mut m = b"\0asm\x01\0\0\0".to_vec();
        m.extend([1, 5, 1, 0x60, 1, 0x7f, 0]); // type: (i32) -> ()
        m.extend([3, 2, 1, 0]); // function: one of type 0
        m.extend([5, 4, 1, 1, 1, 10]); // memory: min 1 max 10
        m.extend([10, 5, 1, 3, 0, 0x01, 0x0b]); // code: nop
        m
    }

    #[test]
    fn appends_type_function_and_body() {
        let out = mark_growable(&sample()).unwrap();
        let secs = sections(&out).unwrap();
        let payload = |id| {
            let s = secs.iter().find(|s| s.id == id).unwrap();
            out[s.start..s.end].to_vec()
        };
        assert_eq!(payload(TYPE), [2, 0x60, 1, 0x7f, 0, 0x60, 0, 0]);
        assert_eq!(payload(FUNCTION), [2, 0, 1]);
        assert_eq!(
            payload(CODE),
            [2, 3, 0, 0x01, 0x0b, 5, 0, 0x3f, 0, 0x1a, 0x0b]
        );
        assert_eq!(payload(MEMORY), [1, 1, 1, 10]);
    }

    #[test]
    fn reuses_an_existing_void_type() {
        let mut m = sample();
        // Type (i32)->() becomes ()->() : 60 00 00, section length 4.
        m.splice(8..15, [1, 4, 1, 0x60, 0, 0]);
        let out = mark_growable(&m).unwrap();
        let secs = sections(&out).unwrap();
        let f = secs.iter().find(|s| s.id == FUNCTION).unwrap();
        assert_eq!(&out[f.start..f.end], [2, 0, 0]);
        let t = secs.iter().find(|s| s.id == TYPE).unwrap();
        assert_eq!(&out[t.start..t.end], [1, 0x60, 0, 0]);
    }

    #[test]
    fn leaves_modules_without_memory_alone() {
        let mut m = sample();
        m.drain(19..25); // the memory section
        assert!(sections(&m).is_some());
        assert!(mark_growable(&m).is_none());
        assert!(mark_growable(b"\0asm\x01\0\0\0").is_none());
        assert!(mark_growable(b"not wasm").is_none());
    }

    /// (import "wali" "SYS_lseek" (func (param i32 i64 i32) (result i64)))
    /// (import "env" "mem" (memory 1 2)) (import "wali" "__init" (func (result i32)))
    fn with_imports() -> Vec<u8> {
        let mut m = b"\0asm\x01\0\0\0".to_vec();
        m.extend([
            1, 12, 2, 0x60, 3, 0x7f, 0x7e, 0x7f, 1, 0x7e, 0x60, 0, 1, 0x7f,
        ]);
        let mut imp = vec![3];
        imp.extend([4]);
        imp.extend(b"wali");
        imp.extend([9]);
        imp.extend(b"SYS_lseek");
        imp.extend([0, 0]);
        imp.extend([3]);
        imp.extend(b"env");
        imp.extend([3]);
        imp.extend(b"mem");
        imp.extend([2, 1, 1, 2]);
        imp.extend([4]);
        imp.extend(b"wali");
        imp.extend([6]);
        imp.extend(b"__init");
        imp.extend([0, 1]);
        m.push(2);
        m.push(imp.len() as u8);
        m.extend(imp);
        m
    }

    #[test]
    fn reads_function_imports_with_their_types() {
        let f = func_imports(&with_imports()).unwrap();
        assert_eq!(f.len(), 2);
        assert_eq!(
            (f[0].module.as_str(), f[0].name.as_str()),
            ("wali", "SYS_lseek")
        );
        assert_eq!(f[0].params, [0x7f, 0x7e, 0x7f]);
        assert_eq!(f[0].results, [0x7e]);
        assert_eq!(f[1].name, "__init");
        assert!(f[1].params.is_empty());
        assert_eq!(f[1].results, [0x7f]);
        assert_eq!(func_imports(&sample()).unwrap(), []);
        let m = with_imports();
        // Cut inside a section: refused. (At 8 and 22, after the header and
        // after the type section, it is a whole module without imports.)
        for cut in 8..m.len() {
            let r = func_imports(&m[..cut]);
            if cut == 8 || cut == 22 {
                assert_eq!(r.unwrap(), []);
            } else {
                assert!(r.is_none(), "cut at {cut}");
            }
        }
    }

    /// Hostile input: truncations and random corruptions of a valid module
    /// never panic, and whatever comes out still parses into sections.
    #[test]
    fn fuzz_never_panics() {
        let base = sample();
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for cut in 0..base.len() {
            let _ = mark_growable(&base[..cut]);
            let _ = func_imports(&base[..cut]);
        }
        for _ in 0..200_000 {
            let mut m = base.clone();
            for _ in 0..(next() % 4 + 1) {
                let i = (next() as usize) % m.len();
                m[i] = next() as u8;
            }
            if next() % 8 == 0 {
                let extra = (next() % 16) as usize;
                m.extend((0..extra).map(|_| next() as u8));
            }
            let _ = func_imports(&m);
            if let Some(out) = mark_growable(&m) {
                assert!(sections(&out).is_some());
            }
        }
    }

    #[test]
    fn aot_stamp_round_trips_and_rejects_other_input() {
        // An AoT header as WAMR writes it: magic, version 6, target-info
        // section (id 0, 48 bytes) with a zero reserved word, then more.
        let mut aot = b"\0aot".to_vec();
        aot.extend(6u32.to_le_bytes());
        aot.extend(0u32.to_le_bytes());
        aot.extend(48u32.to_le_bytes());
        aot.extend([0u8; 48]);
        aot.extend([1u8; 16]);
        assert_eq!(aot_stack_checked(&aot), Some(false));
        assert!(stamp_aot_stack_checked(&mut aot));
        assert_eq!(aot_stack_checked(&aot), Some(true));
        assert_eq!(&aot[40..48], b"WALIstk1");
        // Everything else in the file is unchanged.
        assert!(aot[16..40].iter().all(|&b| b == 0) && aot[48..64].iter().all(|&b| b == 0));
        // Not AoT, truncated, another first section, a section too short.
        assert_eq!(aot_stack_checked(b"\0asm\x01\0\0\0"), None);
        for cut in 0..48 {
            assert_eq!(aot_stack_checked(&aot[..cut]), None, "{cut}");
        }
        let mut other = aot.clone();
        other[8] = 1;
        assert_eq!(aot_stack_checked(&other), None);
        let mut short = aot.clone();
        short[12] = 24;
        assert!(!stamp_aot_stack_checked(&mut short));
        let mut huge = aot.clone();
        huge[12..16].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(aot_stack_checked(&huge), None);
    }
}
