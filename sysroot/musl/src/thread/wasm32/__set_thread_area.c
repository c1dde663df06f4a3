#include "pthread_impl.h"

/* The thread pointer is a TLS variable of this instance (pthread_arch.h). */
int __set_thread_area(void *p)
{
	__wali_tp = (uintptr_t)p;
	return 0;
}
