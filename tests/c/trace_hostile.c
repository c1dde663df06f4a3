/* Hostile arguments to traced calls (tests/trace.rs): bad pointers, huge
 * lengths, strings running to the end of memory. Each call's result is
 * printed and compared with the native build; the engine must trace each
 * one without crashing, showing the pointer where it cannot read. */
#include "walitest.h"

int test_main(int argc, char **argv, char **envp) {
    (void)argc; (void)argv; (void)envp;
    show("openat bad path", sys_openat(AT_FDCWD, BAD_PTR, O_RDONLY, 0));
    show("write bad buf", sys_write(1, BAD_PTR, 16));
    show("write huge len", sys_write(-1, "abc", 0x7fffffff));
    show("read huge len", sys_read(-1, (void *)argv, 0xffffffffu));
    show("stat bad", sys_stat(BAD_PTR, BAD_PTR));
    show("execve bad", sys_execve(BAD_PTR, BAD_PTR, BAD_PTR));
    char *argv2[] = {"x", "y", 0};
    char *envp2[] = {0};
    show("execve", sys_execve("/nonexistent-trace", argv2, envp2));
    /* Only traced: natively the missing file is found first (ENOENT), the
     * engine reads argv first (EFAULT). */
    char *argv3[] = {"x", BAD_PTR, 0};
    sys_execve("/nonexistent-trace", argv3, BAD_PTR);
    show("mmap bad", sys_mmap(BAD_PTR, 0xffffffffu, 0x7fffffff, -1, -1, 0) < 0);
    /* Only traced: a negative size is EINVAL natively, EFAULT here. */
    sys_readlink(BAD_PTR, BAD_PTR, 0xffffffffu);
    show("rename bad", sys_rename(BAD_PTR, "x"));
    return 0;
}
