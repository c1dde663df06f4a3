/* A small threaded and forking server over loopback, on the C library:
 * a pthread accepts connections on 127.0.0.1 (ephemeral port) and echoes
 * what it reads back upper-cased; a forked child and the main thread are
 * the clients. The child is forked before the server thread starts (the
 * engine forks single-threaded guests only); its connection waits in the
 * listen backlog. Output is deterministic: what the clients received. */
#include <arpa/inet.h>
#include <ctype.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static int listener;

/* Serves `n` connections one after another. */
static void *serve(void *arg) {
    int n = *(int *)arg;
    for (int i = 0; i < n; i++) {
        int c = accept(listener, NULL, NULL);
        if (c < 0) {
            perror("accept");
            return NULL;
        }
        char buf[256];
        ssize_t r;
        while ((r = read(c, buf, sizeof buf)) > 0) {
            for (ssize_t k = 0; k < r; k++) buf[k] = (char)toupper((unsigned char)buf[k]);
            if (write(c, buf, (size_t)r) != r) break;
        }
        close(c);
    }
    return NULL;
}

/* Connects, sends `msg`, reads the echo until the server closes. */
static void client(unsigned short port, const char *who, const char *msg) {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_port = port;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(s, (struct sockaddr *)&a, sizeof a) != 0) {
        perror("connect");
        return;
    }
    write(s, msg, strlen(msg));
    shutdown(s, SHUT_WR);
    char buf[256];
    size_t got = 0;
    ssize_t r;
    while ((r = read(s, buf + got, sizeof buf - 1 - got)) > 0) got += (size_t)r;
    buf[got] = 0;
    printf("%s got: %s", who, buf);
    fflush(stdout);
    close(s);
}

int main(void) {
    listener = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(listener, (struct sockaddr *)&a, sizeof a) != 0 || listen(listener, 4) != 0) {
        perror("bind/listen");
        return 1;
    }
    socklen_t len = sizeof a;
    getsockname(listener, (struct sockaddr *)&a, &len);

    pid_t pid = fork();
    if (pid == 0) {
        close(listener);
        client(a.sin_port, "child", "hello from a child\n");
        _exit(7);
    }
    int connections = 3;
    pthread_t t;
    pthread_create(&t, NULL, serve, &connections);
    int status = 0;
    waitpid(pid, &status, 0);
    printf("child exit %d\n", WEXITSTATUS(status));
    client(a.sin_port, "main", "hello from main\n");
    client(a.sin_port, "main", "last one\n");
    pthread_join(t, NULL);
    printf("server done\n");
    return 0;
}
