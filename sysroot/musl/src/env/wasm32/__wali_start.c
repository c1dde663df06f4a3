/* Process start-up for WALI (the ABI's _start sequence): __init, the
 * environment from the file named by __get_init_envfile (KEY=VALUE lines),
 * argv through __cl_*, libc and TLS initialisation, constructors, main,
 * then exit() -> _Exit -> __deinit + __proc_exit.
 *
 * argv, envp and their strings live in variable-length arrays of this
 * frame, which never returns: start-up needs no malloc (hence no mmap or
 * brk), as a native process finds them on its initial stack. */
#include <elf.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <unistd.h>
#include "libc.h"
#include "syscall.h"
#include "wali_aux.h"

hidden int __wali_argc;
hidden char **__wali_argv;

int __main_void(void);
void __wasm_call_ctors(void);

/* Length of the environment file, or -1. */
static long long env_file_size(int fd)
{
	long long end = __wali_syscall(SYS_lseek, fd, 0, SEEK_END, 0, 0, 0);
	if (end < 0 || __wali_syscall(SYS_lseek, fd, 0, SEEK_SET, 0, 0, 0) != 0)
		return -1;
	return end;
}

/* Reads the whole file into buf (size bytes); 0 on success. */
static int read_all(int fd, char *buf, long long size)
{
	long long got = 0;
	while (got < size) {
		long r = __syscall(SYS_read, fd, buf + got, size - got);
		if (r == -EINTR) continue;
		if (r < 0) return -1;
		if (r == 0) break;
		got += r;
	}
	buf[got] = 0;
	return 0;
}

/* Splits text into its non-empty lines (in place); stores up to max line
 * pointers when env is non-null. Returns the count. */
static size_t split_lines(char *text, char **env, int store)
{
	size_t n = 0;
	char *p = text;
	while (*p) {
		char *line = p;
		while (*p && *p != '\n') p++;
		/* Past the newline before cutting the line there: cutting first
		 * ended the walk after the first line, leaving the other envp
		 * slots unset (only the first variable reached the guest). */
		if (*p) {
			if (store) *p = 0;
			p++;
		}
		if (*line && *line != '\n') {
			if (store) env[n] = line;
			n++;
		}
	}
	return n;
}

static _Noreturn void run(int argc, char **argv, char **envp)
{
	__wali_argc = argc;
	__wali_argv = argv;
	__init_libc(envp, argv[0]);
	__wasm_call_ctors();
	exit(__main_void());
}

static _Noreturn void with_env(char *text)
{
	size_t nenv = text ? split_lines(text, 0, 0) : 0;
	unsigned argc = __wali_cl_get_argc();
	size_t space = 0;
	for (unsigned i = 0; i < argc; i++)
		space += __wali_cl_get_argv_len(i) + 1;
	char strings[space ? space : 1];
	/* argv, NULL, envp, NULL, auxv: the layout __init_libc expects. */
	size_t aux[] = { AT_PAGESZ, PAGESIZE, AT_NULL, 0 };
	char *vec[argc + 1 + nenv + 1 + sizeof aux / sizeof *aux];
	char *s = strings;
	for (unsigned i = 0; i < argc; i++) {
		vec[i] = s;
		if (__wali_cl_copy_argv(s, i) != 0) __wali_proc_exit(WALI_EXIT_STARTUP);
		s += __wali_cl_get_argv_len(i) + 1;
	}
	vec[argc] = 0;
	char **envp = vec + argc + 1;
	if (nenv) split_lines(text, envp, 1);
	envp[nenv] = 0;
	for (size_t i = 0; i < sizeof aux / sizeof *aux; i++)
		envp[nenv + 1 + i] = (char *)aux[i];
	run(argc, vec, envp);
}

_Noreturn void __wali_start(void)
{
	/* Growing by 0 pages is a no-op, but a module without any memory.grow
	 * instruction may have its memory frozen at the initial size by the
	 * engine (WAMR does), while brk/mmap must be able to enlarge it. */
	__builtin_wasm_memory_grow(0, 0);
	if (__wali_init() != 0) __wali_proc_exit(WALI_EXIT_STARTUP);
	char path[4096];
	if (__wali_get_init_envfile(path, sizeof path) != 1) with_env(0);
	int fd = __syscall(SYS_open, path, O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0) __wali_proc_exit(WALI_EXIT_ENV_READ);
	long long size = env_file_size(fd);
	if (size < 0 || size > (1 << 26)) __wali_proc_exit(WALI_EXIT_ENV_READ);
	char text[size + 1];
	if (read_all(fd, text, size)) __wali_proc_exit(WALI_EXIT_ENV_READ);
	__syscall(SYS_close, fd);
	with_env(text);
}
