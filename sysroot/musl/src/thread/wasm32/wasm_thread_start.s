# Entry of every new WALI thread (table entry given to __wasm_thread_spawn):
# (tid, start) where start points at a struct wali_clone at the top of the
# thread's stack whose first word is the new stack pointer.
# An engine that allocates a stack for the new instance (WAMR's thread
# manager gives each thread a slice of the module's stack region and checks
# __stack_pointer against it) starts it with __stack_pointer elsewhere than
# the linker's initial value, __stack_high: that stack is kept. Otherwise
# the instance starts on the main thread's stack and must move to its own
# (musl's mmap'd one) before any C code runs.
	.text
	.globaltype __stack_pointer, i32
	.functype __wali_thread_main (i32, i32) -> ()

	.globl __wasm_thread_start_libc
	.type __wasm_thread_start_libc,@function
	.export_name __wasm_thread_start_libc, __wasm_thread_start_libc
__wasm_thread_start_libc:
	.functype __wasm_thread_start_libc (i32, i32) -> ()
	global.get __stack_pointer
	i32.const __stack_high
	i32.eq
	if
	local.get 1
	i32.load 0
	global.set __stack_pointer
	end_if
	local.get 0
	local.get 1
	call __wali_thread_main
	end_function
