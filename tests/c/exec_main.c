/* execve and vfork. `exec_main MODE [TARGET]`, TARGET being the path of the
 * exec_target program (its WALI module under the engine, its native build
 * natively):
 *   echo     execve /bin/echo with arguments and an environment
 *   sh       execve /bin/sh -c with a variable that only envp carries
 *   module   execve TARGET: the new program's argv[1..] and environment
 *   fork     fork, execve TARGET in the child, wait4 in the parent
 *   vfork    vfork, the child exits with 7, the parent's wait4 sees 7
 *   errors   ENOENT, ENOTDIR, EACCES (no x bit, directory), ENOEXEC, and
 *            EFAULT for each pointer
 * Runs in a fresh empty directory. */
#include "walitest.h"

#define W_STATUS(s) (((s) >> 8) & 0xff)
#define W_EXITED(s) (((s) & 0x7f) == 0)

#if !defined(__wasm__) && defined(__x86_64__)
/* A native vfork child shares the parent's stack: it may not return from
 * any function, so the whole child side (exit_group) is one asm block. */
static long long vfork_exit(int code) {
    long ret;
    __asm__ volatile("mov $58, %%eax\n\t"
                     "syscall\n\t"
                     "test %%rax, %%rax\n\t"
                     "jnz 1f\n\t"
                     "mov $231, %%eax\n\t"
                     "syscall\n"
                     "1:"
                     : "=a"(ret)
                     : "D"(code)
                     : "rcx", "r11", "memory");
    return ret;
}
#endif

static void do_echo(void) {
    char *argv[] = {"echo", "hello", "two words", NULL};
    char *envp[] = {"A=1", NULL};
    out("before\n");
    show("execve", sys_execve("/bin/echo", argv, envp));
}

static void do_sh(void) {
    char *argv[] = {"sh", "-c", "echo \"X=$X\"; exit 5", NULL};
    char *envp[] = {"X=from envp", "PATH=/usr/bin:/bin", NULL};
    show("execve", sys_execve("/bin/sh", argv, envp));
}

static void do_module(char *target) {
    char *argv[] = {target, "one", "two three", "", NULL};
    char *envp[] = {"K=V", "EMPTY=", "LONG=a b c", NULL};
    out("before\n");
    show("execve", sys_execve(target, argv, envp));
}

static void do_fork(char *target) {
    long long pid = sys_fork();
    if (pid == 0) {
        char *argv[] = {target, "child", NULL};
        char *envp[] = {NULL};
        sys_execve(target, argv, envp);
        sys_exit_group(100);
    }
    int st = -1;
    show("waited", sys_wait4((int)pid, &st, 0, NULL) == pid);
    show("exited", W_EXITED(st));
    show("status", W_STATUS(st));
}

static void do_vfork(void) {
#ifdef __wasm__
    long long pid = sys_vfork();
    if (pid == 0) sys_exit_group(7);
#elif defined(__x86_64__)
    long long pid = vfork_exit(7);
#else
    long long pid = sys_fork();
    if (pid == 0) sys_exit_group(7);
#endif
    show("vfork_ok", pid > 0);
    int st = -1;
    show("waited", sys_wait4((int)pid, &st, 0, NULL) == pid);
    show("exited", W_EXITED(st));
    show("status", W_STATUS(st));
}

/* Copies `from` to a new file `to` with `mode`. */
static void copy(const char *from, const char *to, int mode) {
    static char buf[65536];
    long long in = sys_open(from, O_RDONLY, 0);
    long long o = sys_open(to, O_WRONLY | O_CREAT | O_TRUNC, mode);
    CHECK(in >= 0 && o >= 0);
    long long n;
    while ((n = sys_read((int)in, buf, sizeof buf)) > 0) CHECK(sys_write((int)o, buf, n) == n);
    sys_close((int)in);
    sys_close((int)o);
}

static void do_errors(char *target) {
    char *argv[] = {"x", NULL};
    char *envp[] = {NULL};
    char *bad_argv[] = {"x", BAD_PTR, NULL};
    char *bad_envp[] = {"A=1", BAD_PTR, NULL};
    show("enoent", sys_execve("./missing", argv, envp));
    show("enotdir", sys_execve("/bin/sh/x", argv, envp));
    show("eacces_dir", sys_execve(".", argv, envp));
    /* The same program without any execute bit. */
    copy(target, "noexec", 0644);
    show("eacces_mode", sys_execve("./noexec", argv, envp));
    /* Executable, but neither ELF, script nor module. */
    long long fd = sys_open("junk", O_WRONLY | O_CREAT | O_TRUNC, 0755);
    sys_write((int)fd, "\x01\x02junk\n", 7);
    sys_close((int)fd);
    show("enoexec", sys_execve("./junk", argv, envp));
    show("efault_path", sys_execve(BAD_PTR, argv, envp));
    show("efault_null_path", sys_execve(NULL, argv, envp));
    show("efault_argv", sys_execve("/bin/echo", BAD_PTR, envp));
    show("efault_envp", sys_execve("/bin/echo", argv, BAD_PTR));
    show("efault_argv_elem", sys_execve("/bin/echo", bad_argv, envp));
    show("efault_envp_elem", sys_execve("/bin/echo", argv, bad_envp));
    show("efault_module_argv", sys_execve(target, bad_argv, envp));
    show("still_here", 1);
}

int test_main(int argc, char **argv, char **envp) {
    (void)envp;
    if (argc < 2) return 2;
    char *mode = argv[1], *target = argc > 2 ? argv[2] : "";
    if (t_strcmp(mode, "echo") == 0) do_echo();
    else if (t_strcmp(mode, "sh") == 0) do_sh();
    else if (t_strcmp(mode, "module") == 0) do_module(target);
    else if (t_strcmp(mode, "fork") == 0) do_fork(target);
    else if (t_strcmp(mode, "vfork") == 0) do_vfork();
    else if (t_strcmp(mode, "errors") == 0) do_errors(target);
    else return 2;
    return 0;
}
