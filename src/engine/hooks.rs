//! Functions our WAMR build calls back into (its C shims under
//! `wamr-sys/cmake/`), which need the state of several layers.

/// Whether WAMR's own output is silenced: while the guest exits, or a
/// `longjmp` unwinds guest frames (see [`crate::sys::aux::sjlj`]), WAMR would print
/// the call stack of the exception that unwinds them; while a module loads,
/// its discarded background compilation would report failures. Called from the
/// print shim compiled into our WAMR build (`wamr-sys/cmake/wali_vprintf.c`).
#[no_mangle]
pub extern "C" fn wali_wamr_output_quiet() -> libc::c_int {
    (crate::ctx::process::exit_requested().is_some()
        || crate::sys::thread::exiting()
        || crate::sys::aux::sjlj::unwinding()
        || crate::wamr::loading()) as libc::c_int
}
