//! Process life cycle: exit, fork, wait, kill, process groups and execve.
//!
//! A WALI guest is one host process, so most of these are the host's own
//! calls: `fork` forks the whole engine inside the native call, and the
//! child returns 0 from the host function and carries on in the same WAMR
//! state with a copy of the guest's memory and descriptors.

use crate::errno::{Errno, SysResult};
use crate::mem::{host_cstr, Addr, HostPtr};
use crate::native::Ctx;
use crate::process;
use crate::sys;
use std::ffi::CString;
use std::os::unix::ffi::OsStrExt;
use wamr_sys as w;

crate::syscall_table!(pub static SYSCALLS = {
    "exit" => exit,
    "exit_group" => exit_group,
    "fork" => fork,
    "vfork" => fork,
    "wait4" => wait4,
    "kill" => kill,
    "execve" => execve,
});

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
    crate::trace::exited(status);
    process::request_exit(status);
    if process::exit_at_once() || crate::thread::teardown_would_wait() || !crate::thread::is_main()
    {
        crate::host::exit_group_now(status);
    }
    // SAFETY: the instance is the live one running this call.
    unsafe { w::wasm_runtime_set_exception(c.instance(), EXIT_EXCEPTION.as_ptr()) };
}

/// `exit(status)`: ends the calling thread. A spawned thread ends alone (its
/// host thread clears its TID word and goes away); the main thread ends the
/// process, as the last thread of a process does.
fn exit(c: &Ctx) -> SysResult {
    let status = c.i32(0) & 0xff;
    if !crate::thread::is_main() {
        crate::trace::thread_exited(status);
        crate::thread::exit_thread(c, status);
        return Ok(0);
    }
    exit_process(c, status);
    Ok(0)
}

/// `exit_group(status)`: ends the whole process from any thread.
fn exit_group(c: &Ctx) -> SysResult {
    exit_process(c, c.i32(0) & 0xff);
    Ok(0)
}

/// `fork()` (and `vfork()`, implemented as fork: the child gets a copy of
/// memory, which satisfies every correct vfork user). As on Linux, the
/// child has only the calling thread, whatever other guest threads run:
/// see [`crate::thread::fork_process`] for what the child inherits.
fn fork(c: &Ctx) -> SysResult {
    crate::thread::fork_process(c)
}

/// Size of `struct rusage` as the x86-64 kernel writes it (the wasm32 layout
/// is the same for these 144 bytes; musl's 128 reserved bytes follow and
/// are not written by the kernel).
const RUSAGE_SIZE: u64 = 144;

/// `wait4(pid, wstatus, options, rusage)`: the status word and the rusage
/// layout are the same for wasm32 and x86-64. As on Linux, a child is reaped
/// before the results are copied out, so a bad pointer is EFAULT after the
/// child is gone.
fn wait4(c: &Ctx) -> SysResult {
    let mut status: i32 = 0;
    let mut rusage = [0u8; RUSAGE_SIZE as usize];
    let (st_at, ru_at) = (c.addr(1), c.addr(3));
    let st = if st_at != 0 {
        HostPtr::to_host(&mut status)
    } else {
        HostPtr::NULL
    };
    let ru = if ru_at != 0 {
        HostPtr::to_host_slice(&mut rusage)
    } else {
        HostPtr::NULL
    };
    let pid = sys!(libc::SYS_wait4, c.i32(0), st, c.i32(2), ru)?;
    if pid > 0 {
        if st_at != 0 {
            c.mem.write(st_at, status)?;
        }
        if ru_at != 0 {
            c.mem.write_bytes(ru_at, &rusage)?;
        }
    }
    Ok(pid)
}

/// `kill(pid, sig)`: a signal to the engine itself reaches the guest through
/// the host's handling of signals (see [`crate::signal`]).
fn kill(c: &Ctx) -> SysResult {
    sys!(libc::SYS_kill, c.i32(0), c.i32(1))
}

/// Linux's PATH_MAX: a path of this many bytes or more (without its NUL)
/// is `ENAMETOOLONG`.
const PATH_MAX: usize = 4096;

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
    if arr == 0 {
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
            .string_max(p, MAX_ARG_STRLEN - 1)?
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
fn execve(c: &Ctx) -> SysResult {
    let path = c
        .mem
        .string_max(c.addr(0), PATH_MAX - 1)?
        .ok_or(Errno::ENAMETOOLONG)?;
    let mut budget = MAX_EXEC_BYTES;
    let argv = guest_strings(c, c.addr(1), &mut budget)?;
    let envp = guest_strings(c, c.addr(2), &mut budget)?;
    if crate::thread::live_threads() > 0 {
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
        && crate::runtime::kind_of(&magic).is_some();
    if is_module {
        // Linux runs only a file with execute permission for the caller;
        // the engine binary is executable whatever the module's mode is.
        sys!(
            libc::SYS_faccessat2,
            libc::AT_FDCWD,
            host_cstr(&path),
            libc::X_OK,
            libc::AT_EACCESS
        )?;
        return exec_module(&path, &argv, &envp);
    }
    if crate::sandbox::native_exec_refused() {
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
/// engine keeps for itself (see [`crate::guard`]); the engine gets its own
/// back if the execve fails.
fn native_exec(path: &CString, argv: &[CString], envp: &[CString]) -> SysResult {
    let mut a = ptr_array(argv);
    let mut e = ptr_array(envp);
    let saved = crate::guard::apply_limits_for_exec();
    let r = sys!(
        libc::SYS_execve,
        host_cstr(path),
        HostPtr::to_host(&mut a[0]),
        HostPtr::to_host(&mut e[0])
    );
    crate::guard::restore_limits(saved);
    r
}

/// Runs the engine again on `args` (its environment: only what the engine
/// read from /proc, which it may not be able to read again inside a
/// sandbox; the guest's comes in a file): through `/proc/self/exe`
/// (`iwasm`; an embedding's engine: see [`process::ExecEngine`]), or after
/// a `chroot` through the descriptor of the
/// executable kept before it (the new root need not hold the engine, only
/// what any dynamically linked program needs).
fn engine_exec(args: &[CString]) -> SysResult {
    let mut a = ptr_array(args);
    let env = [CString::new(format!(
        "{}={}",
        crate::guard::OPTMEM_MAX_ENV,
        crate::guard::optmem_max()
    ))
    .expect("no NUL in a number")];
    let mut e = ptr_array(&env);
    match crate::guard::engine_exe() {
        Some(fd) => {
            let empty = c"".to_owned();
            sys!(
                libc::SYS_execveat,
                fd,
                host_cstr(&empty),
                HostPtr::to_host(&mut a[0]),
                HostPtr::to_host(&mut e[0]),
                libc::AT_EMPTY_PATH
            )
        }
        None => {
            let Some(engine) = process::exec_engine_path() else {
                // An embedding with no engine named and no `iwasm` in PATH:
                // the file cannot be run, as for a format Linux lacks.
                crate::wlog!(
                    1,
                    "execve of a module: no engine to run it (no iwasm in PATH; \
                     an embedding names one with wali_set_exec_engine)"
                );
                return Err(Errno(libc::ENOEXEC));
            };
            sys!(
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
        crate::sandbox::child_flags()
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
