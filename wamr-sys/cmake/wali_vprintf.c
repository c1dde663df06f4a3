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
 * back; one pending before stays pending.
 *
 * A call-stack dump (one "#NN ..." line per guest frame) after a stack
 * overflow at the default 8 MiB --stack-size has tens of thousands of
 * lines: only the innermost WALI_MAX_FRAMES_SHOWN frames are printed,
 * then one line with the count of the others. */
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#define WALI_MAX_FRAMES_SHOWN 64

int wali_wamr_output_quiet(void);

/* Frames of the dump in progress on this thread (dumps are per thread). */
static __thread unsigned long frames_seen;

/* vfprintf to stderr with SIGPIPE held off (see above). */
static int
write_guarded_v(const char *format, va_list ap)
{
    sigset_t pipe, old, pending;
    int blocked, before, r;

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

static int
write_guarded(const char *format, ...)
{
    va_list ap;
    int r;

    va_start(ap, format);
    r = write_guarded_v(format, ap);
    va_end(ap);
    return r;
}

int
wali_vprintf(const char *format, va_list ap)
{
    char line[256];
    va_list copy;
    int n;

    if (wali_wamr_output_quiet())
        return 0;
    va_copy(copy, ap);
    n = vsnprintf(line, sizeof line, format, copy);
    va_end(copy);
    if (n > 0 && line[0] == '#') {
        if (++frames_seen > WALI_MAX_FRAMES_SHOWN)
            return n;
    }
    else if (frames_seen > 0) {
        if (frames_seen > WALI_MAX_FRAMES_SHOWN)
            write_guarded("   ... %lu more frames\n",
                          frames_seen - WALI_MAX_FRAMES_SHOWN);
        frames_seen = 0;
    }
    va_copy(copy, ap);
    n = write_guarded_v(format, copy);
    va_end(copy);
    return n;
}
