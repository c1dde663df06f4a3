/* Syscall-heavy: copies a file with read/write of 4 KiB blocks, as `cp`
 * without copy_file_range would. `filecopy MIB ROUNDS` writes a MIB MiB
 * source file in the current directory, then copies it ROUNDS times to a
 * second file, and prints the copied size and a checksum of the copy's
 * first and last blocks. */
#include "bench.h"

#define BLOCK 4096

static unsigned char block[BLOCK];

static long long open_or_fail(const char *path, int flags) {
    long long fd = sys_open(path, flags, 0644);
    if (fd < 0) b_fail("open", fd);
    return fd;
}

static void write_source(long long mib) {
    int fd = (int)open_or_fail("src.bin", O_CREAT | O_WRONLY | O_TRUNC);
    for (long long b = 0; b < mib * 256; b++) {
        for (int i = 0; i < BLOCK; i += 64) block[i] = (unsigned char)(b * 31 + i);
        long long r = sys_write(fd, block, BLOCK);
        if (r != BLOCK) b_fail("write", r);
    }
    sys_close(fd);
}

/* One copy; returns the bytes copied. */
static long long copy_once(void) {
    int in = (int)open_or_fail("src.bin", O_RDONLY);
    int outfd = (int)open_or_fail("dst.bin", O_CREAT | O_WRONLY | O_TRUNC);
    long long total = 0, n;
    while ((n = sys_read(in, block, BLOCK)) > 0) {
        long long w = sys_write(outfd, block, (int)n);
        if (w != n) b_fail("write", w);
        total += n;
    }
    if (n < 0) b_fail("read", n);
    sys_close(in);
    sys_close(outfd);
    return total;
}

static long long checksum(void) {
    int fd = (int)open_or_fail("dst.bin", O_RDONLY);
    long long sum = 0;
    struct t_stat st;
    if (sys_fstat(fd, &st) != 0) b_fail("fstat", -1);
    for (int pass = 0; pass < 2; pass++) {
        if (pass) sys_lseek(fd, st.st_size - BLOCK, SEEK_SET);
        if (sys_read(fd, block, BLOCK) != BLOCK) b_fail("read-back", -5);
        for (int i = 0; i < BLOCK; i++) sum = sum * 31 + block[i];
    }
    sys_close(fd);
    return sum;
}

int test_main(int argc, char **argv, char **envp) {
    (void)envp;
    long long mib = argc > 1 ? b_atoll(argv[1]) : 8;
    long long rounds = argc > 2 ? b_atoll(argv[2]) : 4;
    b_clock_init();
    write_source(mib);
    long long t0 = b_start(), copied = 0;
    for (long long r = 0; r < rounds; r++) copied = copy_once();
    b_report(t0, rounds);
    out("result=");
    out_i64(copied);
    out(",");
    out_i64(checksum());
    out("\n");
    return 0;
}
