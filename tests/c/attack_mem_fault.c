/* Host accesses of guest pages that fault: a MAP_SHARED file mapping whose
 * file was truncated raises SIGBUS beyond the new end of file. Every call
 * the engine serves by copying guest memory itself must answer EFAULT as
 * Linux does, and the CLONE_CHILD_CLEARTID store of a thread whose TID word
 * lies on such a page is skipped (Linux ignores that fault). argv[1]:
 *   efault    calls with pointers into the truncated page
 *   cleartid  a thread sets its TID word there and ends
 *   page0     mprotect/msync/madvise of ranges that include page 0 (never
 *             mapped on Linux: ENOMEM) */
#include "attack_mem_thr.h"

#define PROT_RW 3
#define MAP_SHARED 1
#define PG 4096

static char *truncated_map(void) {
    int fd = (int)sys_open("f", O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) t_exit(3);
    static char page[PG];
    for (int i = 0; i < 2; i++)
        if (sys_write(fd, page, PG) != PG) t_exit(4);
    long long p = sys_mmap(0, 2 * PG, PROT_RW, MAP_SHARED, fd, 0);
    if (p < 0 && p > -4096) t_exit(5);
    if (sys_ftruncate(fd, PG) != 0) t_exit(6);
    sys_close(fd);
    return (char *)(long)p;
}

static void efault(void) {
    char *p = truncated_map();
    char *bad = p + PG;
    show("open", sys_open(bad, O_RDONLY, 0));
    /* A name that runs from the good page into the bad one. */
    p[PG - 2] = 'a', p[PG - 1] = 'b';
    show("open_cross", sys_open(p + PG - 2, O_RDONLY, 0));
    /* A name whose NUL is the good page's last byte. */
    p[PG - 2] = 'z', p[PG - 1] = 0;
    show("open_edge", sys_open(p + PG - 2, O_RDONLY, 0));
    int zero = (int)sys_open("/dev/zero", O_RDONLY, 0);
    show("readv", sys_readv(zero, bad, 1));
    show("writev", sys_writev(1, bad, 1));
    show("read_into", sys_read(zero, bad, 16));
    show("write_from", sys_write(1, bad, 16));
    show("sigprocmask", sys_rt_sigprocmask(0, bad, 0, 8));
    show("sigaction", sys_rt_sigaction(10, bad, 0, 8));
    show("nanosleep", sys_nanosleep(bad, 0));
    show("poll", sys_poll(bad, 1, 0));
    show("uname", sys_uname(bad));
    show("getrlimit", sys_getrlimit(7, bad));
    show("setrlimit", sys_setrlimit(7, bad));
    show("execve_path", sys_execve(bad, 0, 0));
    const char *argv[] = {bad, 0};
    show("execve_argv", sys_execve("/bin/true", argv, 0));
    const char *argv2[] = {p + PG - 2, 0};
    p[PG - 1] = 'c';
    show("execve_argv_cross", sys_execve("/bin/true", argv2, 0));
    show("alive", 1);
}

static volatile int started;
static char *tid_word;

static void cleartid_body(struct am_thr *t) {
    (void)t;
    sys_set_tid_address(tid_word);
    started = 1;
    sys_futex((const void *)&started, 1 /* FUTEX_WAKE */, 1, 0, 0, 0);
}

static void cleartid(void) {
    char *p = truncated_map();
    tid_word = p + PG + 64;
    static struct am_thr t;
    t.fn = cleartid_body;
    show("spawn", am_spawn(&t));
    while (!started) sys_futex((const void *)&started, 0 /* FUTEX_WAIT */, 0, 0, 0, 0);
    /* The thread ends now; give its exit time to touch the word. */
    am_sleep_ms(200);
    show("alive", 1);
}

static void page0(void) {
    show("mprotect_0", sys_mprotect(0, PG, 1));
    show("mprotect_0_rw_2pages", sys_mprotect(0, 2 * PG, PROT_RW));
    show("mprotect_0_len0", sys_mprotect(0, 0, 1));
    show("mprotect_0_badprot", sys_mprotect(0, PG, 0x1000));
    show("msync_0", sys_msync(0, PG, 4 /* MS_SYNC */));
    show("madvise_0", sys_madvise(0, PG, 0 /* MADV_NORMAL */));
}

int test_main(int argc, char **argv, char **envp) {
    (void)envp;
    if (argc < 2) return 2;
    if (!t_strcmp(argv[1], "efault")) efault();
    else if (!t_strcmp(argv[1], "cleartid")) cleartid();
    else if (!t_strcmp(argv[1], "page0")) page0();
    else return 2;
    return t_failures ? 1 : 0;
}
