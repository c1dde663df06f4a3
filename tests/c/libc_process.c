/* musl through ./wali-cc: fork/waitpid, pipes, signals. Needs the
 * processes/signals area (fork, wait4, kill, rt_sigaction with
 * table-index handlers, rt_sigprocmask) and files/io (pipe2). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t got;

static void on_usr1(int sig) { got = sig; }

int main(void)
{
	setvbuf(stdout, 0, _IONBF, 0); /* nothing buffered twice across fork */
	int fds[2];
	if (pipe(fds)) {
		printf("pipe failed\n");
		return 1;
	}
	pid_t pid = fork();
	if (pid == 0) {
		close(fds[0]);
		const char msg[] = "from child";
		write(fds[1], msg, sizeof msg);
		_exit(23);
	}
	close(fds[1]);
	char buf[32] = {0};
	ssize_t n = read(fds[0], buf, sizeof buf);
	int status;
	pid_t w = waitpid(pid, &status, 0);
	printf("fork ok %d read %zd [%s] waited %d exited %d code %d\n", pid > 0, n, buf, w == pid,
	       WIFEXITED(status), WEXITSTATUS(status));

	pid = fork();
	if (pid == 0) {
		pause();
		_exit(0);
	}
	kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
	printf("killed %d sig %d\n", WIFSIGNALED(status), WTERMSIG(status));

	printf("signal %d\n", signal(SIGUSR1, on_usr1) == SIG_DFL);
	raise(SIGUSR1);
	printf("handled %d\n", got);
	sigset_t set, old;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, &old);
	signal(SIGUSR2, on_usr1);
	got = 0;
	raise(SIGUSR2);
	printf("blocked %d\n", got);
	sigprocmask(SIG_SETMASK, &old, 0);
	printf("unblocked %d\n", got);
	signal(SIGUSR1, SIG_IGN);
	raise(SIGUSR1);
	printf("ignored ok\n");
	return 0;
}
