# Entry of every new WALI thread (table entry given to __wasm_thread_spawn):
# (tid, start) where start points at a struct wali_clone at the top of the
# thread's stack whose first word is the new stack pointer. A new instance
# starts with the module's initial __stack_pointer, the main thread's: it
# must move to its own stack before any C code runs.
	.text
	.globaltype __stack_pointer, i32
	.functype __wali_thread_main (i32, i32) -> ()

	.globl __wasm_thread_start_libc
	.type __wasm_thread_start_libc,@function
	.export_name __wasm_thread_start_libc, __wasm_thread_start_libc
__wasm_thread_start_libc:
	.functype __wasm_thread_start_libc (i32, i32) -> ()
	local.get 1
	i32.load 0
	global.set __stack_pointer
	local.get 0
	local.get 1
	call __wali_thread_main
	end_function
