//! Process life cycle: exit, fork, wait, kill, process groups and execve.
//!
//! A WALI guest is one host process, so most of these are the host's own
//! calls: `fork` forks the whole engine inside the native call, and the
//! child returns 0 from the host function and carries on in the same WAMR
//! state with a copy of the guest's memory and descriptors.

use crate::abi::args;
use crate::abi::errno::{Errno, SysResult};
use crate::abi::layout;
use crate::abi::mem::{host_cstr, Addr, HostPtr};
use crate::ctx::process;
use crate::ctx::Ctx;
use crate::host::guard;
use crate::host_syscall;
use std::ffi::CString;
use std::os::unix::ffi::OsStrExt;

/// Text of the exception that unwinds the guest after an exit request; the
/// runner recognises the request by [`process::exit_requested`], not by text.
const EXIT_EXCEPTION: &std::ffi::CStr = c"wali: process exit";

/// Ends the guest process with `status`.
///
/// With the main thread alone, the status is recorded and every guest frame
/// unwinds through an exception, so the runtime is torn down normally and an
/// embedder gets the status back. With other guest threads alive (some may be
/// blocked in the kernel, where no exception reaches them) the host process
/// ends at once with `exit_group`, as Linux does: guest output is written with
/// write(2), so nothing is left in a buffer.
pub fn exit_process(c: &Ctx, status: i32) {
    crate::ctx::trace::exited(status);
    process::request_exit(status);
    if process::exit_at_once()
        || crate::sys::thread::teardown_would_wait()
        || !crate::sys::thread::is_main()
    {
        crate::host::exit_group_now(status);
    }
    c.env.raise_process(EXIT_EXCEPTION);
}

/// `exit(status)`: ends the calling thread. A spawned thread ends alone (its
/// host thread clears its TID word and goes away); the main thread ends the
/// process, as the last thread of a process does.
pub fn exit(c: &Ctx, a: args::Exit) -> SysResult {
    let status = a.status & 0xff;
    if !crate::sys::thread::is_main() {
        crate::ctx::trace::thread_exited(status);
        crate::sys::thread::exit_thread(c, status);
        return Ok(0);
    }
    exit_process(c, status);
    Ok(0)
}

/// `exit_group(status)`: ends the whole process from any thread.
pub fn exit_group(c: &Ctx, a: args::ExitGroup) -> SysResult {
    exit_process(c, a.status & 0xff);
    Ok(0)
}

/// `fork()` (and `vfork()`, implemented as fork: the child gets a copy of
/// memory, which satisfies every correct vfork user). As on Linux, the
/// child has only the calling thread, whatever other guest threads run:
/// see [`crate::sys::thread::fork_process`] for what the child inherits.
pub fn fork(c: &Ctx) -> SysResult {
    crate::sys::thread::fork_process(c)
}

/// Size of `struct rusage` as the x86-64 kernel writes it (the wasm32 layout
/// is the same for these 144 bytes; musl's 128 reserved bytes follow and
/// are not written by the kernel).
const RUSAGE_SIZE: u64 = std::mem::offset_of!(layout::Rusage, reserved) as u64;

/// `wait4(pid, wstatus, options, rusage)`: the status word and the rusage
/// layout are the same for wasm32 and x86-64. As on Linux, a child is reaped
/// before the results are copied out, so a bad pointer is EFAULT after the
/// child is gone.
pub fn wait4(c: &Ctx, a: args::Wait4) -> SysResult {
    let mut status: i32 = 0;
    let mut rusage = [0u8; RUSAGE_SIZE as usize];
    let (st_at, ru_at) = (a.wstatus, a.rusage);
    let st = if !st_at.is_null() {
        HostPtr::to_host(&mut status)
    } else {
        HostPtr::NULL
    };
    let ru = if !ru_at.is_null() {
        HostPtr::to_host_slice(&mut rusage)
    } else {
        HostPtr::NULL
    };
    let pid = host_syscall!(libc::SYS_wait4, a.pid, st, a.options, ru)?;
    if pid > 0 {
        if !st_at.is_null() {
            c.mem.write(st_at, status)?;
        }
        if !ru_at.is_null() {
            c.mem.write_bytes(ru_at, &rusage)?;
        }
    }
    Ok(pid)
}

/// `kill(pid, sig)`: a signal to the engine itself reaches the guest through
/// the host's handling of signals (see [`crate::sys::signal`]).
pub fn kill(_c: &Ctx, a: args::Kill) -> SysResult {
    host_syscall!(libc::SYS_kill, a.pid, a.sig)
}

/// Linux's PATH_MAX: a path of this many bytes or more (without its NUL)
/// is `ENAMETOOLONG`.
const PATH_MAX: usize = libc::PATH_MAX as usize;

/// Linux's MAX_ARG_STRLEN: a longer argument or environment string
/// (with its NUL) is `E2BIG`.
const MAX_ARG_STRLEN: usize = 32 * 4096;
/// Linux's largest room for the strings and their pointers together
/// (3/4 of the 8 MiB default stack limit; less with a smaller stack limit,
/// which the host kernel enforces itself): more is `E2BIG`. The bound
/// keeps the host's copy of a guest's argv and envp to what Linux could
/// accept, whatever the guest's arrays repeat (a million pointers to one
/// long string would otherwise be copied a million times).
const MAX_EXEC_BYTES: u64 = 6 << 20;

/// Reads a NULL-terminated guest array of string pointers, checking every
/// pointer. NULL for the array itself is an empty array, as Linux accepts.
/// `budget` is what is left of [`MAX_EXEC_BYTES`] for argv and envp
/// together; each string costs its bytes, its NUL and an 8-byte pointer.
fn guest_strings(c: &Ctx, arr: Addr, budget: &mut u64) -> Result<Vec<CString>, Errno> {
    let mut out = Vec::new();
    if arr.is_null() {
        return Ok(out);
    }
    for i in 0u32.. {
        let at = i
            .checked_mul(4)
            .and_then(|o| arr.checked_add(o))
            .ok_or(Errno::EFAULT)?;
        let p: u32 = c.mem.read(at)?;
        if p == 0 {
            return Ok(out);
        }
        // One read of the guest's bytes: another thread may move the NUL.
        let s = c
            .mem
            .string_max(Addr(p), MAX_ARG_STRLEN - 1)?
            .ok_or(Errno::E2BIG)?;
        let cost = s.as_bytes().len() as u64 + 1 + 8;
        *budget = budget.checked_sub(cost).ok_or(Errno::E2BIG)?;
        out.push(s);
    }
    // Unreachable: the budget or the end of memory ends the loop first.
    Err(Errno::E2BIG)
}

/// `execve(path, argv, envp)`. A WebAssembly module or WAMR AoT file runs in
/// a fresh engine: the running engine binary (`/proc/self/exe`) is executed
/// again with the same mode and limits, the guest's argv, and the guest's
/// environment in a memory file handed over by descriptor (no file in a
/// shared directory). Any other file is a native execve with the translated
/// argv and envp.
pub fn execve(c: &Ctx, arg: args::Execve) -> SysResult {
    let path = c
        .mem
        .string_max(arg.pathname, PATH_MAX - 1)?
        .ok_or(Errno::ENAMETOOLONG)?;
    let mut budget = MAX_EXEC_BYTES;
    let argv = guest_strings(c, arg.argv, &mut budget)?;
    let envp = guest_strings(c, arg.envp, &mut budget)?;
    if crate::sys::thread::live_threads() > 0 {
        // Linux would end the other threads; their host threads hold guest
        // instances this engine cannot tear down from here (documented limit).
        crate::wlog!(
            1,
            "execve from a guest with several threads is not supported"
        );
        return Err(Errno::EAGAIN);
    }
    let mut magic = [0u8; 4];
    let opened = std::fs::File::open(std::ffi::OsStr::from_bytes(path.as_bytes()));
    let not_found = matches!(&opened, Err(e) if e.kind() == std::io::ErrorKind::NotFound);
    let is_module = opened
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut magic))
        .is_ok()
        && crate::wamr::kind_of(&magic).is_some();
    if is_module {
        // Linux runs only a file with execute permission for the caller;
        // the engine binary is executable whatever the module's mode is.
        host_syscall!(
            libc::SYS_faccessat2,
            libc::AT_FDCWD,
            host_cstr(&path),
            libc::X_OK,
            libc::AT_EACCESS
        )?;
        return exec_module(&path, &argv, &envp);
    }
    if crate::host::sandbox::native_exec_refused() {
        // --no-native-exec. The engine never executes this path: a module
        // above runs in the engine, which loads the file again and refuses
        // anything else, so replacing the file after the check gains nothing.
        return Err(if not_found {
            Errno::ENOENT
        } else {
            Errno::EACCES
        });
    }
    native_exec(&path, &argv, &envp)
}

/// A NULL-terminated host array of pointers to `strings`.
fn ptr_array(strings: &[CString]) -> Vec<u64> {
    strings
        .iter()
        .map(|s| host_cstr(s).addr())
        .chain(std::iter::once(0))
        .collect()
}

/// A native program starts with the guest's view of the limits the
/// engine keeps for itself (see [`crate::host::guard`]); the engine gets its own
/// back if the execve fails.
fn native_exec(path: &CString, argv: &[CString], envp: &[CString]) -> SysResult {
    let mut a = ptr_array(argv);
    let mut e = ptr_array(envp);
    let saved = crate::host::guard::apply_limits_for_exec();
    let r = host_syscall!(
        libc::SYS_execve,
        host_cstr(path),
        HostPtr::to_host(&mut a[0]),
        HostPtr::to_host(&mut e[0])
    );
    crate::host::guard::restore_limits(saved);
    r
}

/// Runs the engine again on `args` (its environment: only what the engine
/// read from /proc, which it may not be able to read again inside a
/// sandbox; the guest's comes in a file): through `/proc/self/exe`
/// (`iwasm`; an embedding's engine: see [`guard::ExecEngine`]), or after
/// a `chroot` through the descriptor of the
/// executable kept before it (the new root need not hold the engine, only
/// what any dynamically linked program needs).
fn engine_exec(args: &[CString]) -> SysResult {
    let mut a = ptr_array(args);
    let env = [CString::new(format!(
        "{}={}",
        crate::host::guard::OPTMEM_MAX_ENV,
        crate::host::guard::optmem_max()
    ))
    .expect("no NUL in a number")];
    let mut e = ptr_array(&env);
    match crate::host::guard::engine_exe() {
        Some(fd) => {
            let empty = c"".to_owned();
            host_syscall!(
                libc::SYS_execveat,
                fd,
                host_cstr(&empty),
                HostPtr::to_host(&mut a[0]),
                HostPtr::to_host(&mut e[0]),
                libc::AT_EMPTY_PATH
            )
        }
        None => {
            let Some(engine) = guard::exec_engine_path() else {
                // An embedding with no engine named and no `iwasm` in PATH:
                // the file cannot be run, as for a format Linux lacks.
                crate::wlog!(
                    1,
                    "execve of a module: no engine to run it (no iwasm in PATH; \
                     an embedding names one with wali_set_exec_engine)"
                );
                return Err(Errno(libc::ENOEXEC));
            };
            host_syscall!(
                libc::SYS_execve,
                host_cstr(&engine),
                HostPtr::to_host(&mut a[0]),
                HostPtr::to_host(&mut e[0])
            )
        }
    }
}

/// Re-executes the engine on a module: `ENGINE [flags] --env-file=/proc/self/fd/N
/// -- PATH ARGV[1..]`. The guest's argv[0] is replaced by the path, as
/// `iwasm` gives argv[0] = module path to the guest.
fn exec_module(path: &CString, argv: &[CString], envp: &[CString]) -> SysResult {
    let env_fd = process::env_memfd_inheritable(envp.iter().map(|e| e.as_bytes().to_vec()))?;
    let mut args: Vec<CString> = vec![c"iwasm".to_owned()];
    args.extend(process::engine_flags());
    // The sandbox's engine rules and the time left of --timeout (the
    // Landlock domain comes along by itself).
    args.extend(
        crate::host::sandbox::child_flags()
            .into_iter()
            .map(|f| CString::new(f).expect("no NUL in a flag")),
    );
    args.push(CString::new(format!("--env-file=/proc/self/fd/{env_fd}")).unwrap());
    args.push(c"--".to_owned());
    args.push(path.clone());
    args.extend(argv.iter().skip(1).cloned());
    let r = engine_exec(&args);
    crate::host::close(env_fd);
    r
}
