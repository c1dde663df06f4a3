/* Where WAMR's own output goes (its os_printf/os_vprintf, built with
 * BH_VPRINTF=wali_vprintf).
 *
 * A WALI guest owns the process's stdout, so nothing of the engine may be
 * printed there: WAMR's logs and call-stack dumps go to stderr. While the
 * guest is exiting (its exit unwinds through a WAMR exception), WAMR would
 * dump the call stack of that "exception"; `wali_wamr_output_quiet`, defined
 * by the wali crate, silences output then.
 *
 * SIGPIPE is held off around the write (as the crate's own output does,
 * signal::without_sigpipe): a closed stderr is EPIPE for the engine, never
 * a signal ending the guest's process. A SIGPIPE the write raises is taken
 * back; one pending before stays pending. */
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

int wali_wamr_output_quiet(void);

int
wali_vprintf(const char *format, va_list ap)
{
    sigset_t pipe, old, pending;
    int blocked, before, r;

    if (wali_wamr_output_quiet())
        return 0;
    sigemptyset(&pipe);
    sigaddset(&pipe, SIGPIPE);
    blocked = pthread_sigmask(SIG_BLOCK, &pipe, &old) == 0;
    before = sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE) == 1;
    r = vfprintf(stderr, format, ap);
    if (blocked) {
        if (!before && sigpending(&pending) == 0
            && sigismember(&pending, SIGPIPE) == 1) {
            struct timespec zero = { 0, 0 };
            sigtimedwait(&pipe, NULL, &zero);
        }
        pthread_sigmask(SIG_SETMASK, &old, NULL);
    }
    return r;
}
