//! Layer 6: the engine glue. Registration of every `wali` function with
//! WAMR, linking of a module's imports, the `-ENOSYS` stubs, and the typed
//! entry points through which every call reaches its handler in [`crate::sys`].

pub mod entries;
pub mod hooks;
pub mod native;
