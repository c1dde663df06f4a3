//! Layer 1: the WALI ABI as data, and guest memory.
//!
//! Nothing here knows WAMR's run-time state beyond a memory's base and
//! size, or any host policy: it is what every layer above shares.

pub mod args;
pub mod errno;
pub mod layout;
#[allow(unsafe_code)]
pub mod mem;
// Generated; its tables carry #[rustfmt::skip] (not the module: its macros
// must stay reachable by path, which an attribute on the module prevents).
pub mod spec;
pub mod spec_types;
