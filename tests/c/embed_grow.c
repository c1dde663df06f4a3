/* A module with no memory.grow or memory.size instruction (no libc) that
 * maps 64 MiB and touches every page: its linear memory must grow for the
 * mapping. tests/embed.rs runs it in an embedding with and without
 * wali_prepare_module (WAMR's loader freezes such a module's memory at its
 * initial size unless the module is marked growable). */
#include "walitest.h"

#define LEN (64 * 1024 * 1024)

int test_main(int argc, char **argv, char **envp) {
    (void)argc, (void)argv, (void)envp;
    long long r = sys_mmap(0, LEN, 3 /* RW */, 0x22 /* PRIVATE|ANON */, -1, 0);
    if (r < 0) {
        show("mmap", r);
        return 2;
    }
    unsigned char *p = (unsigned char *)(unsigned long)r;
    for (long i = 0; i < LEN; i += 4096) p[i] = (unsigned char)(i >> 12);
    long sum = 0;
    for (long i = 0; i < LEN; i += 4096) sum += p[i];
    show("sum", sum);
    return 0;
}
