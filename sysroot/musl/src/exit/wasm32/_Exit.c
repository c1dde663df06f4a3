#include <stdlib.h>
#include "wali_aux.h"

/* The ABI's end of a process: __deinit, then __proc_exit(status). */
_Noreturn void _Exit(int ec)
{
	__wali_deinit();
	__wali_proc_exit(ec);
}
