/* Thread-local storage for wasm32. The module's TLS variables are a block
 * the linker describes (__tls_size, __tls_align); __wasm_init_tls(block)
 * copies the initial image there and points this instance's __tls_base at
 * it. The main thread's block is static and set up by the module's start
 * function; each new thread's block sits in its TLS area, after its struct
 * pthread:
 *     [dtv: 2 words][struct pthread][pad][TLS block]
 * The thread pointer (struct pthread) is the TLS variable __wali_tp. */
#define SYSCALL_NO_TLS 1
#include <stddef.h>
#include <string.h>
#include "pthread_impl.h"
#include "libc.h"
#include "syscall.h"
#include "wali_aux.h"

volatile int __thread_list_lock;
_Thread_local uintptr_t __wali_tp;

static struct pthread main_thread;
static uintptr_t main_dtv[2];

static size_t tls_block_align(void)
{
	size_t a = __builtin_wasm_tls_align();
	return a < 16 ? 16 : a;
}

uintptr_t __wali_tls_block(void *td)
{
	uintptr_t p = (uintptr_t)td + sizeof(struct pthread);
	return (p + tls_block_align() - 1) & -tls_block_align();
}

int __init_tp(void *p)
{
	pthread_t td = p;
	td->self = td;
	int r = __set_thread_area(TP_ADJ(p));
	if (r < 0) return -1;
	if (!r) libc.can_do_threads = 1;
	td->detach_state = DT_JOINABLE;
	td->tid = __syscall(SYS_set_tid_address, &__thread_list_lock);
	td->locale = &libc.global_locale;
	td->robust_list.head = &td->robust_list.head;
	td->sysinfo = __sysinfo;
	td->next = td->prev = td;
	return 0;
}

void *__copy_tls(unsigned char *mem)
{
	uintptr_t *dtv = (uintptr_t *)mem;
	uintptr_t p = (uintptr_t)(mem + 2 * sizeof(uintptr_t));
	p = (p + _Alignof(struct pthread) - 1) & -_Alignof(struct pthread);
	pthread_t td = (pthread_t)p;
	dtv[0] = 0;
	td->dtv = dtv;
	return td;
}

static void static_init_tls(size_t *aux)
{
	libc.tls_cnt = 0;
	libc.tls_head = 0;
	libc.tls_align = tls_block_align();
	libc.tls_size = (2 * sizeof(uintptr_t) + _Alignof(struct pthread)
		+ sizeof(struct pthread) + tls_block_align()
		+ __builtin_wasm_tls_size() + 15) & -16;
	main_thread.dtv = main_dtv;
	if (__init_tp(&main_thread) < 0) a_crash();
}

weak_alias(static_init_tls, __init_tls);
