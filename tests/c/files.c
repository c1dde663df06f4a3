/* Files: open/openat/read/write/lseek/close/fstat/newfstatat, success and
 * error paths. Runs in a fresh empty directory. */
#include "walitest.h"

#define ENOENT 2
#define EBADF 9
#define EEXIST 17
#define EISDIR 21
#define EINVAL 22
#define ENOTDIR 20
#define ESPIPE 29

int test_main(int argc, char **argv, char **envp) {
    (void)argc, (void)argv, (void)envp;
    static const char text[] = "The quick brown fox jumps over the lazy dog\n";
    char buf[128];
    struct t_stat st;

    long long fd = sys_open("data.txt", O_CREAT | O_RDWR | O_TRUNC, 0640);
    CHECK(fd >= 0);
    show("write", sys_write((int)fd, text, sizeof text - 1));
    show("write2", sys_write((int)fd, text, 10));
    show("lseek_cur", sys_lseek((int)fd, 0, SEEK_CUR));
    show("lseek_set", sys_lseek((int)fd, 4, SEEK_SET));
    long long n = sys_read((int)fd, buf, 5);
    show("read", n);
    out_n(buf, (size_t)n);
    out("\n");
    show("lseek_end", sys_lseek((int)fd, -3, SEEK_END));
    n = sys_read((int)fd, buf, sizeof buf);
    show("read_tail", n);
    show("read_eof", sys_read((int)fd, buf, sizeof buf));
    show("lseek_bad_whence", sys_lseek((int)fd, 0, 42));
    show("lseek_negative", sys_lseek((int)fd, -1000, SEEK_SET));
    /* A hole: seek past the end and write. */
    show("lseek_hole", sys_lseek((int)fd, 4096, SEEK_SET));
    show("write_hole", sys_write((int)fd, "X", 1));

    show("fstat", sys_fstat((int)fd, &st));
    show("st_size", st.st_size);
    show("st_mode_fmt", st.st_mode & T_S_IFMT);
    show("st_mode_perm", st.st_mode & 0777);
    show("st_nlink", (i64)st.st_nlink);
    show("close", sys_close((int)fd));
    show("close_again", sys_close((int)fd));

    /* openat relative to a directory descriptor; newfstatat on the path. */
    long long dir = sys_open(".", O_RDONLY | O_DIRECTORY, 0);
    CHECK(dir >= 0);
    fd = sys_openat((int)dir, "data.txt", O_RDONLY, 0);
    CHECK(fd >= 0);
    n = sys_read((int)fd, buf, 9);
    show("openat_read", n);
    out_n(buf, (size_t)n);
    out("\n");
    show("newfstatat", sys_newfstatat((int)dir, "data.txt", &st, 0));
    show("newfstatat_size", st.st_size);
    show("newfstatat_empty_path", sys_newfstatat((int)fd, "", &st, AT_EMPTY_PATH));
    show("empty_path_size", st.st_size);
    show("newfstatat_dir_fmt", (sys_newfstatat(AT_FDCWD, ".", &st, 0), st.st_mode & T_S_IFMT));
    sys_close((int)fd);

    /* Errors. */
    show("open_missing", sys_open("missing.txt", O_RDONLY, 0));
    show("openat_missing", sys_openat((int)dir, "no/such/file", O_RDONLY, 0));
    show("open_excl", sys_open("data.txt", O_CREAT | O_EXCL | O_WRONLY, 0600));
    show("open_dir_write", sys_open(".", O_WRONLY, 0));
    show("open_notdir", sys_open("data.txt/x", O_RDONLY, 0));
    show("openat_badfd", sys_openat(-5, "data.txt", O_RDONLY, 0));
    show("read_badfd", sys_read(-1, buf, 1));
    show("write_badfd", sys_write(1000, buf, 1));
    show("read_dir", sys_read((int)dir, buf, 1));
    show("fstat_badfd", sys_fstat(-1, &st));
    show("stat_missing", sys_newfstatat(AT_FDCWD, "missing", &st, 0));
    show("stat_bad_flags", sys_newfstatat(AT_FDCWD, "data.txt", &st, 0x7fff0000));
    show("close_badfd", sys_close(-1));
    sys_close((int)dir);

    /* Append mode writes at the end whatever the offset. */
    fd = sys_open("data.txt", O_WRONLY | O_APPEND, 0);
    sys_lseek((int)fd, 0, SEEK_SET);
    sys_write((int)fd, "END", 3);
    show("append_size", (sys_fstat((int)fd, &st), st.st_size));
    sys_close((int)fd);

    /* Zero-length transfers succeed. */
    show("write_zero", sys_write(1, buf, 0));
    return 0;
}
