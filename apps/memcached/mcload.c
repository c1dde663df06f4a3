/* mcload: a memcached load generator for `make bench-memcached`.
 *   mcload PORT CONNS SECONDS VALUE_BYTES
 * CONNS threads, one connection each, alternate `set` and `get` of their own
 * keys (VALUE_BYTES each) for SECONDS, checking every reply (a get must
 * return the value set). Prints `ops=N errors=E secs=S`. Native client:
 * what is measured is the server. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int port, secs, vlen;
static double t_end;

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Reads until the buffer ends with `end` (len n); returns bytes read or -1. */
static int read_reply(int fd, char *buf, int cap, const char *end) {
    int got = 0, el = strlen(end);
    while (got < cap) {
        int r = read(fd, buf + got, cap - got);
        if (r <= 0) return -1;
        got += r;
        if (got >= el && memcmp(buf + got - el, end, el) == 0) return got;
    }
    return -1;
}

struct res { long ops, errors; };

static void *worker(void *arg) {
    struct res *res = arg;
    int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(fd, (struct sockaddr *)&a, sizeof a)) { res->errors++; return 0; }
    int cap = vlen + 256;
    char *req = malloc(cap), *val = malloc(vlen + 1), *buf = malloc(cap);
    for (long i = 0; now() < t_end; i++) {
        char key[64];
        snprintf(key, sizeof key, "b%p_%ld", (void *)res, i % 64);
        for (int j = 0; j < vlen; j++) val[j] = 'a' + (i + j) % 26;
        int n = snprintf(req, cap, "set %s 0 0 %d\r\n", key, vlen);
        memcpy(req + n, val, vlen);
        memcpy(req + n + vlen, "\r\n", 2);
        if (write(fd, req, n + vlen + 2) != n + vlen + 2 ||
            read_reply(fd, buf, cap, "\r\n") != 8 || memcmp(buf, "STORED\r\n", 8)) { res->errors++; break; }
        n = snprintf(req, cap, "get %s\r\n", key);
        int got;
        if (write(fd, req, n) != n || (got = read_reply(fd, buf, cap, "END\r\n")) < 0 ||
            got < vlen + 5 || memcmp(buf + got - 7 - vlen, val, vlen)) { res->errors++; break; }
        res->ops += 2;
    }
    close(fd);
    return 0;
}

int main(int argc, char **argv) {
    if (argc != 5) { fprintf(stderr, "usage: mcload PORT CONNS SECONDS VALUE_BYTES\n"); return 2; }
    port = atoi(argv[1]);
    int conns = atoi(argv[2]);
    secs = atoi(argv[3]);
    vlen = atoi(argv[4]);
    pthread_t *t = calloc(conns, sizeof *t);
    struct res *r = calloc(conns, sizeof *r);
    double t0 = now();
    t_end = t0 + secs;
    for (int i = 0; i < conns; i++) pthread_create(&t[i], 0, worker, &r[i]);
    long ops = 0, errors = 0;
    for (int i = 0; i < conns; i++) { pthread_join(t[i], 0); ops += r[i].ops; errors += r[i].errors; }
    printf("ops=%ld errors=%ld secs=%.3f\n", ops, errors, now() - t0);
    return errors != 0;
}
