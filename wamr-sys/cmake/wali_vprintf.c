/* Where WAMR's own output goes (its os_printf/os_vprintf, built with
 * BH_VPRINTF=wali_vprintf).
 *
 * A WALI guest owns the process's stdout, so nothing of the engine may be
 * printed there: WAMR's logs and call-stack dumps go to stderr. While the
 * guest is exiting (its exit unwinds through a WAMR exception), WAMR would
 * dump the call stack of that "exception"; `wali_wamr_output_quiet`, defined
 * by the wali crate, silences output then.
 *
 * A call-stack dump (one "#NN ..." line per guest frame) after a stack
 * overflow at the default 8 MiB --stack-size has tens of thousands of
 * lines: only the innermost WALI_MAX_FRAMES_SHOWN frames are printed,
 * then one line with the count of the others. */
#include <stdarg.h>
#include <stdio.h>

#define WALI_MAX_FRAMES_SHOWN 64

int wali_wamr_output_quiet(void);

/* Frames of the dump in progress on this thread (dumps are per thread). */
static __thread unsigned long frames_seen;

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
            fprintf(stderr, "   ... %lu more frames\n",
                    frames_seen - WALI_MAX_FRAMES_SHOWN);
        frames_seen = 0;
    }
    return vfprintf(stderr, format, ap);
}
