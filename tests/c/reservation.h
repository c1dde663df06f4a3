/* The host's view of a guest's linear-memory reservation, for the guests
 * that check it stays whole (attack_mem_cover.c, fuzz_mm.c). The guest
 * learns the host address of its memory (`base`, found by the includer
 * through a marker file it maps) and reads /proc/self/maps and
 * /proc/self/status itself. Include after walitest.h. */
#ifndef RESERVATION_H
#define RESERVATION_H

#ifndef RES
#define RES (8ULL << 30) /* WAMR's reservation for a 32-bit memory */
#endif

static char text[1 << 20];
/* Host address of linear memory (0 until the includer finds it). */
static unsigned long long base;

/* Reads a whole (small) file into `text`; its length or -errno. */
static long long slurp(const char *path) {
    int fd = (int)sys_open(path, O_RDONLY, 0);
    if (fd < 0) return fd;
    long long n = 0, r;
    while ((r = sys_read(fd, text + n, sizeof text - 1 - n)) > 0) n += r;
    sys_close(fd);
    text[n] = 0;
    return n;
}

/* Parses lowercase hex at *p and moves *p past it. */
static unsigned long long hex(const char **p) {
    unsigned long long v = 0;
    for (;;) {
        char c = **p;
        if (c >= '0' && c <= '9') v = v * 16 + (c - '0');
        else if (c >= 'a' && c <= 'f') v = v * 16 + (c - 'a' + 10);
        else return v;
        (*p)++;
    }
}

/* 1 when every byte of [base, base+RES) lies in some mapping. */
static int covered(void) {
    if (!base || slurp("/proc/self/maps") <= 0) return 0;
    unsigned long long pos = base, end = base + RES;
    const char *p = text;
    while (*p && pos < end) {
        unsigned long long s = hex(&p);
        if (*p++ != '-') return 0;
        unsigned long long e = hex(&p);
        while (*p && *p != '\n') p++;
        if (*p) p++;
        if (e <= pos) continue;
        if (s > pos) return 0;
        pos = e;
    }
    return pos >= end;
}

/* The process's address-space size (VmSize) in bytes. */
static unsigned long long vm_size(void) {
    if (slurp("/proc/self/status") <= 0) return 0;
    for (const char *p = text; *p; p++)
        if (!t_memcmp(p, "VmSize:", 7)) {
            p += 7;
            while (*p == ' ' || *p == '\t') p++;
            unsigned long long v = 0;
            while (*p >= '0' && *p <= '9') v = v * 10 + (*p++ - '0');
            return v * 1024;
        }
    return 0;
}

#endif
