/* A new thread starts with its creator's credentials and per-thread
 * attributes, whatever host thread the engine runs it on (attack: the
 * engine's pooled host threads were made before the main thread dropped
 * privileges and stayed root). argv[1] names the change the main thread
 * makes after warming the pool (threads created and joined, each leaving
 * per-thread state behind); then two threads, one after the other, report
 * what they have. Run as root (natively and under the engine alike). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdint.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The kernel's structures (the WALI sysroot has no linux/ headers). */
struct rlist {
	struct rlist *next;
};
struct rlist_head {
	struct rlist list;
	long futex_offset;
	struct rlist *list_op_pending;
};
struct cap_header {
	uint32_t version;
	int pid;
};
struct cap_data {
	uint32_t effective, permitted, inheritable;
};
#define CAP_V3 0x20080522

static struct rlist_head fake_head;
/* Whether the warm threads name themselves (see main). */
static int set_name;
static char creator_name[16];
static char altstack[65536];

/* What a warm-up thread leaves in its host thread: an alternate signal
 * stack, a robust list, a blocked signal, a name. */
static void *warm(void *arg)
{
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof altstack };
	sigset_t s;
	(void)arg;
	sigaltstack(&ss, 0);
	fake_head.list.next = &fake_head.list;
	syscall(SYS_set_robust_list, &fake_head, sizeof fake_head);
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &s, 0);
	if (set_name)
		prctl(PR_SET_NAME, "warmed");
	return 0;
}

static int try_open(const char *path)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

static void *report(void *arg)
{
	uid_t r, e, s;
	gid_t gr, ge, gs;
	gid_t groups[8];
	cpu_set_t cpus;
	sigset_t mask;
	stack_t ss;
	struct cap_header h = { CAP_V3, 0 };
	struct cap_data d[2];
	void *head = 0;
	size_t len = 0;
	char name[17] = { 0 };
	int n = (int)(long)arg;

	getresuid(&r, &e, &s);
	getresgid(&gr, &ge, &gs);
	printf("thread %d: uid %u %u %u gid %u %u %u\n", n, r, e, s, gr, ge, gs);
	int ng = getgroups(8, groups);
	printf("thread %d: groups %d first %d\n", n, ng, ng > 0 ? (int)groups[0] : -1);
	printf("thread %d: open root-only %d, nobody-only %d\n", n, try_open("root_only"),
	       try_open("nobody_only"));
	memset(d, 0, sizeof d);
	syscall(SYS_capget, &h, d);
	printf("thread %d: caps effective %08x permitted %08x\n", n, d[0].effective,
	       d[0].permitted);
	printf("thread %d: no_new_privs %d\n", n, prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
	CPU_ZERO(&cpus);
	sched_getaffinity(0, sizeof cpus, &cpus);
	printf("thread %d: cpus %d cpu0 %d\n", n, CPU_COUNT(&cpus), !!CPU_ISSET(0, &cpus));
	errno = 0;
	printf("thread %d: nice %d\n", n, getpriority(PRIO_PROCESS, 0));
	pthread_sigmask(SIG_BLOCK, 0, &mask);
	printf("thread %d: blocked usr1 %d usr2 %d\n", n, sigismember(&mask, SIGUSR1),
	       sigismember(&mask, SIGUSR2));
	sigaltstack(0, &ss);
	printf("thread %d: altstack disabled %d\n", n, !!(ss.ss_flags & SS_DISABLE));
	syscall(SYS_get_robust_list, 0, &head, &len);
	printf("thread %d: robust list left over %d\n", n, head == (void *)&fake_head);
	prctl(PR_GET_NAME, name);
	printf("thread %d: name left over %d\n", n, strcmp(name, "warmed") == 0);
	printf("thread %d: name is the creator's %d\n", n, strcmp(name, creator_name) == 0);
	printf("thread %d: timer slack %ld\n", n, (long)prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0));
	return 0;
}

static void make_file(const char *path, uid_t owner)
{
	int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0600);
	if (fd < 0 || write(fd, "x", 1) != 1 || fchown(fd, owner, owner) || fchmod(fd, 0600)) {
		printf("cannot make %s: %d\n", path, errno);
		exit(2);
	}
	close(fd);
}

static int change(const char *what)
{
	if (!strcmp(what, "baseline") || !strcmp(what, "reuse") || !strcmp(what, "name"))
		return 0;
	if (!strcmp(what, "setuid")) /* musl: every thread, via __synccall */
		return setuid(65534);
	if (!strcmp(what, "raw-setuid")) /* the calling thread only */
		return syscall(SYS_setuid, 65534);
	if (!strcmp(what, "raw-setresgid"))
		return syscall(SYS_setresgid, 4321, 4321, 4321);
	if (!strcmp(what, "setgroups")) {
		gid_t g[1] = { 4242 };
		return setgroups(1, g);
	}
	if (!strcmp(what, "capset")) { /* stays uid 0, without capabilities */
		struct cap_header h = { CAP_V3, 0 };
		struct cap_data d[2];
		memset(d, 0, sizeof d);
		return syscall(SYS_capset, &h, d);
	}
	if (!strcmp(what, "no-new-privs"))
		return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	if (!strcmp(what, "affinity")) {
		cpu_set_t c;
		CPU_ZERO(&c);
		CPU_SET(0, &c);
		return sched_setaffinity(0, sizeof c, &c);
	}
	if (!strcmp(what, "nice"))
		return setpriority(PRIO_PROCESS, gettid(), 7);
	if (!strcmp(what, "comm-file")) { /* the name, through procfs */
		int fd = open("/proc/thread-self/comm", O_WRONLY);
		int r = fd < 0 ? -1 : (write(fd, "cfile", 5) == 5 ? 0 : -1);
		if (fd >= 0)
			close(fd);
		return r;
	}
	if (!strcmp(what, "timerslack-file")) { /* the main thread's, through procfs */
		int fd = open("/proc/self/timerslack_ns", O_WRONLY);
		int r = fd < 0 ? -1 : (write(fd, "123456", 6) == 6 ? 0 : -1);
		if (fd >= 0)
			close(fd);
		return r;
	}
	if (!strcmp(what, "sigmask")) {
		sigset_t s;
		sigemptyset(&s);
		sigaddset(&s, SIGUSR2);
		return pthread_sigmask(SIG_BLOCK, &s, 0);
	}
	printf("unknown change %s\n", what);
	exit(2);
}

int main(int argc, char **argv)
{
	pthread_t t[4];
	if (argc < 2)
		return 2;
	/* Naming a thread is a prctl, after which the engine reuses no host
	 * thread made before: only the "name" run names the warm threads, so
	 * every other run meets the change with a warm pool. */
	set_name = strcmp(argv[1], "name") == 0;
	make_file("root_only", 0);
	make_file("nobody_only", 65534);
	/* The pool: host threads made before the change, each with
	 * per-thread state left behind. */
	for (int round = 0; round < 2; round++) {
		for (int i = 0; i < 4; i++)
			pthread_create(&t[i], 0, warm, 0);
		for (int i = 0; i < 4; i++)
			pthread_join(t[i], 0);
	}
	/* Read before the change: a prctl after it would itself make the
	 * engine drop its pooled threads and hide a missed change. */
	prctl(PR_GET_NAME, creator_name);
	int r = change(argv[1]);
	printf("%s: %d\n", argv[1], r < 0 ? -errno : r);
	if (!strcmp(argv[1], "comm-file") && r == 0)
		strcpy(creator_name, "cfile");
	fflush(stdout);
	for (int i = 0; i < 2; i++) {
		pthread_create(&t[0], 0, report, (void *)(long)i);
		pthread_join(t[0], 0);
		fflush(stdout);
	}
	return 0;
}
