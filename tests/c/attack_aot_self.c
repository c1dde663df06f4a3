/* Attack: rewriting the AoT file the engine runs. An AoT file is native
 * code, and the engine maps it while it loads (wamr::ModuleBytes), so it
 * is one of the engine's files: opening it for writing or truncating it is
 * EACCES, as for the engine's executable. argv[0] is the module path the
 * engine was given; in the other modes it is a .wasm, which the engine
 * read into memory and which stays the guest's to write (its opens for
 * writing are checked too, so the rule is shown to be about the mapped AoT
 * file, not any module).
 * Nothing here changes the file even on an engine without the check: the
 * write opens write nothing, the truncation keeps the size.
 * Prints "done" at the end; any CHECK failure fails the test. */
#include "walitest.h"

#define EACCES 13

#ifdef __wasm__
WALI_IMPORT("SYS_truncate") long long w_truncate(const char *, long long);
#else
static long long w_truncate(const char *a, long long b) { return walit_ret(syscall(SYS_truncate, a, b)); }
#endif

int test_main(int argc, char **argv, char **envp) {
    (void)envp;
    CHECK(argc >= 1);
    const char *self = argv[0];
    char magic[4] = {0};
    long long fd = sys_open(self, O_RDONLY | O_CLOEXEC, 0);
    CHECK(fd >= 0);
    if (fd >= 0) {
        CHECK(sys_read((int)fd, magic, 4) == 4);
        sys_close((int)fd);
    }
    int aot = magic[0] == 0 && magic[1] == 'a' && magic[2] == 'o' && magic[3] == 't';
    struct t_stat st;
    CHECK(sys_stat(self, &st) == 0);
    long long w = sys_open(self, O_WRONLY | O_APPEND | O_CLOEXEC, 0);
    long long rw = sys_open(self, O_RDWR | O_CLOEXEC, 0);
    if (aot) {
        CHECK(w == -EACCES);
        CHECK(rw == -EACCES);
        CHECK(w_truncate(self, st.st_size) == -EACCES);
    } else {
        /* Not truncated: that would touch the times of a build product
         * the other tests of this file use. */
        CHECK(w >= 0);
        CHECK(rw >= 0);
    }
    if (w >= 0) sys_close((int)w);
    if (rw >= 0) sys_close((int)rw);
    /* Still readable. */
    long long ro = sys_open(self, O_RDONLY | O_CLOEXEC, 0);
    CHECK(ro >= 0);
    if (ro >= 0) sys_close((int)ro);
    out("done\n");
    return t_failures ? 1 : 0;
}
