/* The WALI entry point: everything happens in libc's __wali_start. */
#include <features.h>

_Noreturn void __wali_start(void);

__attribute__((export_name("_start"))) void _start(void)
{
	__wali_start();
}
