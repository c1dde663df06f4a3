/* fcntl commands and prctl options whose numbers the engine takes from the
 * kernel's headers (linux-raw-sys) rather than from the libc crate:
 * F_SETSIG/F_GETSIG, F_SETOWN_EX/F_GETOWN_EX (with its struct f_owner_ex,
 * 8 bytes),
 * F_GET/SET_RW_HINT and F_GET/SET_FILE_RW_HINT (a u64 by pointer; whatever
 * the kernel answers for the file system), PR_GET/SET_IO_FLUSHER. A wrong
 * number turns a served command into EINVAL or another command. */
#include "walitest.h"

#define F_SETSIG 10
#define F_GETSIG 11
#define F_SETOWN_EX 15
#define F_GETOWN_EX 16
#define F_GET_RW_HINT 1035
#define F_SET_RW_HINT 1036
#define F_GET_FILE_RW_HINT 1037
#define F_SET_FILE_RW_HINT 1038
#define F_OWNER_TID 0
#define F_OWNER_PID 1
#define PR_SET_IO_FLUSHER 57
#define PR_GET_IO_FLUSHER 58

struct t_owner {
    int type;
    int pid;
};
_Static_assert(sizeof(struct t_owner) == 8, "struct f_owner_ex is 8 bytes");

int test_main(int argc, char **argv, char **envp) {
    (void)argc, (void)argv, (void)envp;
    long long fd = sys_open("f", O_CREAT | O_RDWR | O_TRUNC, 0644);
    CHECK(fd >= 0);

    show("getsig", sys_fcntl((int)fd, F_GETSIG, 0));
    show("setsig", sys_fcntl((int)fd, F_SETSIG, 10));
    show("getsig_after", sys_fcntl((int)fd, F_GETSIG, 0));
    show("setsig_bad", sys_fcntl((int)fd, F_SETSIG, 99));

    long long pid = sys_getpid();
    struct t_owner own = {F_OWNER_PID, (int)pid};
    show("setown_ex", sys_fcntl((int)fd, F_SETOWN_EX, (long long)(size_t)&own));
    struct t_owner got = {-1, -1};
    show("getown_ex", sys_fcntl((int)fd, F_GETOWN_EX, (long long)(size_t)&got));
    show("getown_ex_type", got.type);
    show("getown_ex_is_pid", got.pid == (int)pid);
    struct t_owner bad = {7, 0};
    show("setown_ex_badtype", sys_fcntl((int)fd, F_SETOWN_EX, (long long)(size_t)&bad));
    show("getown_ex_null", sys_fcntl((int)fd, F_GETOWN_EX, 0));

    unsigned long long hint = 2; /* RWH_WRITE_LIFE_SHORT */
    show("set_rw_hint", sys_fcntl((int)fd, F_SET_RW_HINT, (long long)(size_t)&hint));
    hint = 0;
    long long r = sys_fcntl((int)fd, F_GET_RW_HINT, (long long)(size_t)&hint);
    show("get_rw_hint", r);
    show("rw_hint", r == 0 ? (long long)hint : -1);
    show("get_rw_hint_null", sys_fcntl((int)fd, F_GET_RW_HINT, 0));
    unsigned long long fhint = 0;
    show("get_file_rw_hint", sys_fcntl((int)fd, F_GET_FILE_RW_HINT, (long long)(size_t)&fhint));
    show("set_file_rw_hint", sys_fcntl((int)fd, F_SET_FILE_RW_HINT, (long long)(size_t)&fhint));

    long long was = sys_prctl(PR_GET_IO_FLUSHER, 0, 0, 0, 0);
    show("get_io_flusher", was);
    show("set_io_flusher_bad", sys_prctl(PR_SET_IO_FLUSHER, 2, 0, 0, 0));
    if (was >= 0) {
        show("set_io_flusher", sys_prctl(PR_SET_IO_FLUSHER, 1, 0, 0, 0));
        show("get_io_flusher_after", sys_prctl(PR_GET_IO_FLUSHER, 0, 0, 0, 0));
        sys_prctl(PR_SET_IO_FLUSHER, was, 0, 0, 0);
    }
    sys_close((int)fd);
    return 0;
}
