//! Layer 5: the syscalls, one folder per area, one handler per call.
//!
//! A handler takes the call's [`Ctx`](crate::ctx::Ctx) and returns a
//! [`SysResult`](crate::abi::errno::SysResult); it reads guest memory only
//! through [`crate::abi::mem`] and reaches the kernel only through
//! [`crate::host`].

pub mod aux;
pub mod fs;
pub mod id;
pub mod io;
pub mod mm;
pub mod net;
pub mod process;
pub mod signal;
pub mod thread;
pub mod time;
