/* Where WAMR's own output goes (its os_printf/os_vprintf, built with
 * BH_VPRINTF=wali_vprintf).
 *
 * A WALI guest owns the process's stdout, so nothing of the engine may be
 * printed there: WAMR's logs and call-stack dumps go to stderr. While the
 * guest is exiting (its exit unwinds through a WAMR exception), WAMR would
 * dump the call stack of that "exception"; `wali_wamr_output_quiet`, defined
 * by the wali crate, silences output then. */
#include <stdarg.h>
#include <stdio.h>

int wali_wamr_output_quiet(void);

int
wali_vprintf(const char *format, va_list ap)
{
    if (wali_wamr_output_quiet())
        return 0;
    return vfprintf(stderr, format, ap);
}
