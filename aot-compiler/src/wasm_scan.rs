//! A minimal reader for the two sections of a WebAssembly binary that can
//! declare a memory (imports and memories), used to find out whether a module
//! has a shared memory before it is compiled.
//!
//! The module has already been validated by WAMR's loader when this runs, so
//! a malformed binary only needs to fail gracefully (`None`), not precisely.

const SECTION_CUSTOM: u8 = 0;
const SECTION_IMPORT: u8 = 2;
const SECTION_MEMORY: u8 = 5;

/// Limits flag bit that marks a memory as shared (threads proposal).
const LIMITS_SHARED: u64 = 0x02;
/// Limits flag bit that marks a maximum as present.
const LIMITS_HAS_MAX: u64 = 0x01;

struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn new(buf: &'a [u8]) -> Self {
        Reader { buf, pos: 0 }
    }

    fn at_end(&self) -> bool {
        self.pos >= self.buf.len()
    }

    fn byte(&mut self) -> Option<u8> {
        let b = *self.buf.get(self.pos)?;
        self.pos += 1;
        Some(b)
    }

    fn bytes(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.pos.checked_add(n)?;
        let s = self.buf.get(self.pos..end)?;
        self.pos = end;
        Some(s)
    }

    /// Unsigned LEB128, at most 64 bits.
    fn leb(&mut self) -> Option<u64> {
        let mut value = 0u64;
        for shift in (0..70).step_by(7) {
            let b = self.byte()?;
            if shift < 64 {
                value |= u64::from(b & 0x7f) << shift;
            }
            if b & 0x80 == 0 {
                return Some(value);
            }
        }
        None
    }

    fn len(&mut self) -> Option<usize> {
        usize::try_from(self.leb()?).ok()
    }

    fn skip_name(&mut self) -> Option<()> {
        let n = self.len()?;
        self.bytes(n).map(|_| ())
    }

    /// Reads a limits record, returning its flags.
    fn limits(&mut self) -> Option<u64> {
        let flags = self.leb()?;
        self.leb()?;
        if flags & LIMITS_HAS_MAX != 0 {
            self.leb()?;
        }
        Some(flags)
    }

    /// Skips a value type, including the two-part typed-reference forms.
    fn skip_val_type(&mut self) -> Option<()> {
        match self.byte()? {
            // (ref null ht) / (ref ht): followed by a heap type (s33).
            0x63 | 0x64 => self.leb().map(|_| ()),
            _ => Some(()),
        }
    }
}

/// Whether any memory of the module, imported or defined, is shared.
/// `None` if the binary could not be read that far.
pub fn has_shared_memory(wasm: &[u8]) -> Option<bool> {
    let mut r = Reader::new(wasm);
    if r.bytes(4)? != b"\0asm" {
        return None;
    }
    r.bytes(4)?;
    while !r.at_end() {
        let id = r.byte()?;
        let size = r.len()?;
        let mut s = Reader::new(r.bytes(size)?);
        match id {
            SECTION_CUSTOM => {}
            SECTION_IMPORT => {
                for _ in 0..s.leb()? {
                    s.skip_name()?;
                    s.skip_name()?;
                    match s.byte()? {
                        // function: type index
                        0x00 => {
                            s.leb()?;
                        }
                        // table: reference type, limits
                        0x01 => {
                            s.skip_val_type()?;
                            s.limits()?;
                        }
                        // memory: limits
                        0x02 => {
                            if s.limits()? & LIMITS_SHARED != 0 {
                                return Some(true);
                            }
                        }
                        // global: value type, mutability
                        0x03 => {
                            s.skip_val_type()?;
                            s.byte()?;
                        }
                        // tag: attribute, type index
                        0x04 => {
                            s.byte()?;
                            s.leb()?;
                        }
                        _ => return None,
                    }
                }
            }
            SECTION_MEMORY => {
                for _ in 0..s.leb()? {
                    if s.limits()? & LIMITS_SHARED != 0 {
                        return Some(true);
                    }
                }
                // Nothing after the memory section can declare a memory.
                return Some(false);
            }
            // Sections are ordered: type (1) and import (2) come before the
            // memory section; anything else past them ends the search.
            1 | 3 | 4 => {}
            _ => return Some(false),
        }
    }
    Some(false)
}

#[cfg(test)]
mod tests {
    use super::has_shared_memory;

    const HEADER: &[u8] = b"\0asm\x01\0\0\0";

    fn module(sections: &[(u8, &[u8])]) -> Vec<u8> {
        let mut m = HEADER.to_vec();
        for (id, body) in sections {
            m.push(*id);
            m.push(body.len() as u8);
            m.extend_from_slice(body);
        }
        m
    }

    #[test]
    fn empty_module() {
        assert_eq!(has_shared_memory(HEADER), Some(false));
    }

    #[test]
    fn defined_memories() {
        // one memory, flags 0x03 (max + shared), min 1, max 2
        assert_eq!(
            has_shared_memory(&module(&[(5, &[1, 3, 1, 2])])),
            Some(true)
        );
        // one memory, flags 0x01 (max), min 1, max 2
        assert_eq!(
            has_shared_memory(&module(&[(5, &[1, 1, 1, 2])])),
            Some(false)
        );
    }

    #[test]
    fn imported_memory() {
        // import "env" "memory" (memory 1 16 shared), after a function import
        let body: &[u8] = &[
            2, // two imports
            4, b'w', b'a', b'l', b'i', 1, b'f', 0x00, 0, // func, type 0
            3, b'e', b'n', b'v', 6, b'm', b'e', b'm', b'o', b'r', b'y', 0x02, 3, 1, 16,
        ];
        assert_eq!(has_shared_memory(&module(&[(2, body)])), Some(true));
    }

    #[test]
    fn not_wasm() {
        assert_eq!(has_shared_memory(b"\0aot\x06\0\0\0"), None);
        assert_eq!(has_shared_memory(b"\0as"), None);
    }
}
