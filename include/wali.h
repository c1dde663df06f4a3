/*
 * wali.h - the C interface of libwali.a: WALI (the WebAssembly Linux
 * Interface) for an existing WAMR embedding.
 *
 * A WALI module imports Linux system calls from module "wali" (SYS_read,
 * SYS_mmap, ...) and a few auxiliary calls (__init, __proc_exit, __cl_*,
 * __get_init_envfile, ...). libwali.a implements them on the host kernel,
 * checking every guest pointer against linear memory (-EFAULT when out of
 * range).
 *
 * Linking: libwali.a does not contain WAMR. Link it with your WAMR static
 * library, built with shared memory, the thread manager, bulk memory and
 * reference types enabled (libc-builtin and libc-wasi are not needed), and
 * with -lpthread -ldl -lm (and -lstdc++ when WAMR has fast-JIT):
 *     cc app.c libwali.a libvmlib.a -lpthread -ldl -lm -lstdc++
 *
 * Typical use:
 *     init_args.max_thread_num = wali_wamr_max_thread_num(16);
 *     wasm_runtime_full_init(&init_args);
 *     wali_register_natives();
 *     LoadArgs la = { .name = "app", .no_resolve = true };
 *     wali_set_threads(16, 0, 0);        // optional: guest threads
 *     buf = wali_prepare_module(file, file_size, &size);
 *     module = wasm_runtime_load_ex(buf, size, &la, err, sizeof err);
 *     wali_link_module(module);
 *     wali_set_args(argc, argv);          // argv[0]: the module path
 *     wali_set_env_file("app.env");       // optional
 *     inst = wasm_runtime_instantiate(module, stack, 0, err, sizeof err);
 *     env = wasm_runtime_create_exec_env(inst, stack);
 *     if (wali_run_start(inst, env, &status) == 0) exit(status);
 *
 * Guest threads (__wasm_thread_spawn) need one function that WAMR's public
 * API lacks: a thread over a sub-instance that shares the parent's memory
 * and brings its own stack. It is wali_spawn_thread in
 * wamr-sys/cmake/wali_thread.c, compiled into our WAMR build (build/
 * libvmlib.a). An embedding with its own WAMR build compiles that file into
 * it, with WASM_ENABLE_HEAP_AUX_STACK_ALLOCATION=1 (so the main thread keeps
 * its whole stack); without it, linking libwali.a fails on that symbol.
 *
 * One WALI guest runs at a time per process: argv, the environment and the
 * exit status are process-wide, as they are for a Linux process. Guests may
 * run one after another: each wali_run_start starts a new guest with the
 * per-guest state fresh (signal dispositions back to the inherited ones,
 * nothing pending, no alternate signal stack, memory map, exit request,
 * virtual resource limits, the environment's memory file, the trace's end;
 * the list is in src/runtime/state.rs), and when it returns the calling
 * thread has its signal mask of before the run back (signals pending only
 * because the guest blocked them are discarded) and the dispositions are
 * the inherited ones again. argv, the environment, verbosity, thread and
 * exec-engine settings are the embedding's and stay until it changes them.
 * The kernel state of the process (descriptors, working directory, root,
 * credentials, an applied sandbox) is shared, as by programs one process
 * runs in turn: a guest that leaves a descriptor open or changes directory
 * leaves it so for the next. A wali_run_start while another guest runs
 * (from another thread) is refused (-2).
 *
 * Signals. The guest's signal dispositions are the process's: its
 * sigaction changes them, SIG_DFL and SIG_IGN (-2 in the WALI ABI) are
 * given to the kernel as they are (a guest with SIGPIPE at SIG_DFL that
 * writes to a closed pipe kills the process, as a native program dies),
 * and its handlers run at the next WALI call. The guest starts with the
 * dispositions the process has when wali_register_natives is first called
 * (iwasm: those it was started with): a signal ignored then is ignored for
 * the guest and reads back as SIG_IGN (-2); programs the guest execs
 * inherit what it ignores. So an embedding that wants Linux's start-up
 * state for the guest restores it first, e.g. signal(SIGPIPE, SIG_DFL)
 * (a Rust embedding: std sets SIGPIPE to SIG_IGN before main). The
 * embedding's own writes to pipes and sockets then need SIGPIPE handled
 * on their side (MSG_NOSIGNAL, or SIGPIPE blocked around them and a
 * pending one consumed with sigtimedwait, as libwali does for its own
 * messages). SIGSEGV and SIGBUS stay WAMR's (traps); do not block them.
 */
#ifndef WALI_H
#define WALI_H

#include "wasm_export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Exit status of iwasm, and of any process whose guest thread trapped:
 * 128 + SIGABRT, as wasmtime exits on a trap (an exit status, not a
 * signal). */
#define WALI_TRAP_STATUS 134

/* Registers every "wali" host function with WAMR: each syscall of the WALI
 * specification (wali-linux 0.2.0; those the engine does not provide return
 * -ENOSYS) and the auxiliary calls, with the specification's types. Call
 * once after wasm_runtime_init/wasm_runtime_full_init; later calls do
 * nothing. Returns 1 on success, 0 on failure. */
int wali_register_natives(void);

/* For a module loaded with LoadArgs.no_resolve = true: links every "wali"
 * import, including names the specification does not know and imports
 * declared with another type than the specification's (both return -ENOSYS
 * when called), then resolves all imports (wasm_runtime_resolve_symbols).
 * Calls wali_register_natives if that was not done. Returns 1, or 0 if an
 * import of another module stays unresolved or if a "wali" or "env" import
 * has types the engine cannot serve safely (a reference or vector type, or
 * more than one result): such a module must not run. The reason is printed
 * on stderr at verbosity 1 and above. */
int wali_link_module(wasm_module_t module);

/* Whether the AoT file of len bytes at buf was compiled with native stack
 * checks (our wamrc's default, stamped in the file): 1 yes, 0 no or not an
 * AoT file. The WAMR library built with this one (libvmlib.a) checks the
 * native stack in software and has no guard pages: refuse AoT files for
 * which this returns 0, whose deep recursion would crash the process
 * instead of trapping. */
int wali_aot_stack_checked(const uint8_t *buf, uint32_t len);

/* Sets the guest's argv: argc NUL-terminated strings, argv[0] being the
 * module path as the user gave it. Copied. Returns 1, or 0 for a NULL array
 * or entry. */
int wali_set_args(int argc, const char *const *argv);

/* Names a file of KEY=VALUE lines that becomes the guest's environment
 * (__get_init_envfile), like the reference engine's --env-file. NULL: the
 * guest starts with an empty environment (the default). Returns 1. */
int wali_set_env_file(const char *path);

/* Sets the guest's environment to n strings "KEY=VALUE" (copied). The guest
 * reads them from an anonymous memory file: nothing is written to a shared
 * directory. Returns 1, or 0 for a NULL array or entry. */
int wali_set_env(int n, const char *const *vars);

/* Verbosity of WALI's diagnostics on stderr and of WAMR's log: 0 (none) to
 * 5. At 2 and above, each syscall a guest calls that the engine does not
 * provide is reported once. At 5 every call of the guest is traced on stderr
 * as strace prints it (README "Debugging"); set it before the guest runs. */
void wali_set_verbose(int level);

/* Runs the exported _start of inst on exec_env as a new guest (see "One
 * WALI guest" above). Returns 0 and stores the
 * guest's exit status in *status (may be NULL) when the guest exited
 * through __proc_exit/exit_group/exit or _start returned (status 0).
 * Returns -2, with one line on stderr, without running anything, when
 * another guest is running in this process (wali_run_start on another
 * thread): a process holds one guest at a time.
 * Returns -1 when the guest trapped; the exception stays in the instance
 * (wasm_runtime_get_exception) and WAMR has printed the guest call stack to
 * stderr. iwasm then exits with status 134 (WALI_TRAP_STATUS); an embedding
 * that wants scripts to tell a trap from the guest's exit(1) does the same.
 * A trap in another guest thread ends the process at once with status 134
 * (as a fault would), whatever the main thread does. When _start ends
 * (exit or trap) while other guest threads still run, the process ends
 * here with the status (134 for a trap), as a Linux process does: those
 * threads cannot be waited for. Otherwise the pooled idle host threads end
 * before this returns, so that destroying the exec env does not wait. */
int wali_run_start(wasm_module_inst_t inst, wasm_exec_env_t exec_env, int *status);

/* Guest threads (pthread_create, __wasm_thread_spawn). Until this is
 * called an embedding's guest runs one thread: its spawns fail with
 * EAGAIN. max_threads: most guest threads at once, the main one included
 * (iwasm's --max-threads, default 256 there); stack_size: the wasm stack
 * of each new thread, where the interpreter and fast JIT keep guest frames
 * (iwasm's --stack-size; 0: 8 MiB); native_stack_size: the host stack of
 * each new thread, where AoT code keeps its frames (0: 8 MiB, WAMR's
 * maximum; larger values are capped). Address space only: a thread commits
 * the pages it uses. WAMR must allow the threads too: give
 * RuntimeInitArgs.max_thread_num wali_wamr_max_thread_num(max_threads)
 * (pooled and ending threads count there). Call before the guest runs.
 * Returns 1, or 0 for max_threads 0. */
int wali_set_threads(uint32_t max_threads, uint32_t stack_size, uint32_t native_stack_size);

/* The RuntimeInitArgs.max_thread_num that max_threads guest threads need. */
uint32_t wali_wamr_max_thread_num(uint32_t max_threads);

/* Prepares module bytes as iwasm loads them: WAMR's loader freezes the
 * memory of a module with no memory.grow or memory.size instruction at its
 * initial size, and WALI guests grow memory through mmap/brk instead, so
 * such a module is marked growable (without this their large mallocs and
 * mmaps fail with ENOMEM). Returns a new malloc'd buffer of *out_len bytes
 * to load with wasm_runtime_load_ex (the same bytes when nothing needs a
 * change, e.g. AoT files, which wamrc prepared); free it after
 * wasm_runtime_unload. NULL for a NULL buffer or when out of memory. */
uint8_t *wali_prepare_module(const uint8_t *buf, uint32_t len, uint32_t *out_len);

/* execve of a module from the guest. A guest that execs a file starting
 * with "\0asm" or "\0aot" runs it in a fresh engine process:
 *     ENGINE FLAGS... --env-file=/proc/self/fd/N -- MODULE ARGV[1]...
 * (iwasm's command line; the environment comes through a memory file).
 * iwasm uses its own binary. An embedding's own binary does not take that
 * command line, so ENGINE is by default the first executable "iwasm" in
 * the embedding process's PATH at the time of the execve (execve fails
 * with ENOEXEC when there is none); this call names it instead (path; NULL:
 * back to the PATH search) and sets the FLAGS (nflags strings, copied:
 * iwasm's, e.g. "--max-threads=16", "--interp"). An embedding that takes
 * iwasm's command line itself may name its own executable. The guest's
 * chroot keeps a descriptor of the engine resolved then, which later module
 * execs run (the new root need not hold it). Other files are a native
 * execve. Returns 1, or 0 for a NULL flag array or entry. */
int wali_set_exec_engine(const char *path, int nflags, const char *const *flags);

/* The version of libwali (its Cargo package version, e.g. "0.1.0"): a
 * static string. */
const char *wali_version(void);

/* Sandbox (see the README, "Sandboxing"): build a policy with these calls,
 * then apply it with wali_sandbox_apply after loading the module and before
 * wali_run_start, while the process has no other thread (Landlock binds
 * only the calling thread). The policy then holds for the rest of the
 * process and everything it starts; it cannot be lifted.
 *   wali_sandbox_dir: only these trees (repeatable; read_only 1 for :ro).
 *   wali_sandbox_net: TCP bind/connect only to the n ports (n 0: none);
 *     other sockets than TCP and UNIX are refused (EACCES).
 *   wali_sandbox_no_native_exec: execve of anything but a module is EACCES.
 *   wali_sandbox_scoped: signals and abstract UNIX sockets only inside.
 *   wali_sandbox_timeout_ms: after ms milliseconds one line on stderr and
 *     _exit(124) of the whole (embedding) process.
 *   wali_sandbox_standard: --sandbox (best_effort 1: --sandbox=best-effort).
 * Each returns 1, or 0 for a bad argument. wali_sandbox_apply returns 1, or
 * 0 with one line on stderr (e.g. the kernel lacks a Landlock feature the
 * policy needs and best effort was not asked for): do not run the guest
 * then. */
int wali_sandbox_dir(const char *path, int read_only);
int wali_sandbox_net(const uint16_t *ports, int n);
void wali_sandbox_no_native_exec(void);
void wali_sandbox_scoped(void);
int wali_sandbox_timeout_ms(uint32_t ms);
void wali_sandbox_standard(int best_effort);
int wali_sandbox_apply(void);

#ifdef __cplusplus
}
#endif

#endif /* WALI_H */
