//! Process life cycle: exit and exit_group.

use crate::errno::SysResult;
use crate::native::Ctx;
use crate::process;
use wamr_sys as w;

crate::syscall_table!(pub static SYSCALLS = {
    "exit" => exit,
    "exit_group" => exit_group,
});

/// Text of the exception that unwinds the guest after an exit request; the
/// runner recognises the request by [`process::exit_requested`], not by text.
const EXIT_EXCEPTION: &std::ffi::CStr = c"wali: process exit";

/// Ends the guest process with `status`: records it, then unwinds every
/// guest frame by raising an exception in the instance (WAMR spreads it to
/// every thread of the instance's cluster), so the runtime is torn down
/// normally and the embedder gets the status back.
pub fn exit_process(c: &Ctx, status: i32) {
    process::request_exit(status);
    // SAFETY: the instance is the live one running this call.
    unsafe { w::wasm_runtime_set_exception(c.instance(), EXIT_EXCEPTION.as_ptr()) };
}

/// `exit(status)`: ends the calling thread. On the main thread (the only one
/// until threads are supported) that ends the process, as with musl's exit.
fn exit(c: &Ctx) -> SysResult {
    exit_process(c, c.i32(0) & 0xff);
    Ok(0)
}

/// `exit_group(status)`: ends the whole process.
fn exit_group(c: &Ctx) -> SysResult {
    exit_process(c, c.i32(0) & 0xff);
    Ok(0)
}
