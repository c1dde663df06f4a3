/* A small cat for the WALI bash tests: bash runs it by path (execve of a
 * .wasm, which the engine runs in a fresh engine), in pipelines and with
 * redirections. Copies each file argument, or stdin, to stdout. */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

static int copy(int fd) {
    char buf[4096];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0)
        for (ssize_t off = 0; off < n;) {
            ssize_t w = write(1, buf + off, n - off);
            if (w < 0) return -1;
            off += w;
        }
    return n < 0 ? -1 : 0;
}

int main(int argc, char **argv) {
    int rc = 0;
    if (argc < 2) return copy(0) ? 1 : 0;
    for (int i = 1; i < argc; i++) {
        int fd = open(argv[i], O_RDONLY);
        if (fd < 0 || copy(fd)) {
            perror(argv[i]);
            rc = 1;
        }
        if (fd >= 0) close(fd);
    }
    return rc;
}
