;; A signal handler by table index: {{FORGE}} may store a forged reference at
;; index 3 (else $callee is there), then SIGUSR1's handler is set to index
;; {{INDEX}} and the guest signals itself. The callee exits with 42.
;; tests/attack_link.rs
(module
  {{FORGE_IMPORT}}
  (import "wali" "SYS_rt_sigaction" (func $sigaction (param i32 i32 i32 i32) (result i64)))
  (import "wali" "SYS_getpid" (func $getpid (result i64)))
  (import "wali" "SYS_kill" (func $kill (param i32 i32) (result i64)))
  (import "wali" "SYS_exit_group" (func $exit (param i32) (result i64)))
  (memory (export "memory") 1 1 shared)
  (table $t (export "__indirect_function_table") 8 funcref)
  (global $keep (mut externref) (ref.null extern))
  (elem (i32.const 3) $callee)
  (func $callee (param i32)
    (drop (call $exit (i32.const 42))))
  (func (export "_start")
    {{FORGE}}
    ;; wasm32 k_sigaction at 16 (0 is NULL): handler (table index),
    ;; flags, restorer, mask; the call must succeed.
    (i32.store (i32.const 16) (i32.const {{INDEX}}))
    (if (i64.ne (call $sigaction (i32.const 10) (i32.const 16) (i32.const 0) (i32.const 8))
                (i64.const 0))
      (then (drop (call $exit (i32.const 4)))))
    (drop (call $kill (i32.wrap_i64 (call $getpid)) (i32.const 10)))
    (drop (call $exit (i32.const 0)))))
