/* A program with no memory.grow or memory.size instruction (like a libc
 * that gets memory only through mmap/brk): its memory must still grow for
 * mmap. WAMR's loader would freeze such a memory; the engine keeps it
 * growable. Do not use __builtin_wasm_memory_* here. */
#include "walitest.h"

int test_main(int argc, char **argv, char **envp) {
    (void)argc, (void)argv, (void)envp;
    long long total = 0;
    long long p[4];
    for (int i = 0; i < 4; i++) {
        p[i] = sys_mmap(0, 16 << 20, 3 /* RW */, 0x22 /* PRIVATE|ANON */, -1, 0);
        show("mmap_ok", p[i] > 0);
        if (p[i] <= 0) return 1;
        char *c = (char *)(long)p[i];
        for (long off = 0; off < (16 << 20); off += 4096) c[off] = (char)(off >> 12);
        for (long off = 0; off < (16 << 20); off += 4096) total += c[off];
    }
    show("sum", total);
    for (int i = 0; i < 4; i++) show("munmap", sys_munmap((void *)(long)p[i], 16 << 20));
    return 0;
}
