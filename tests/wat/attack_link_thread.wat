;; A thread start routine by table index: {{FORGE}} may store a forged
;; reference at index 3 (else $callee is there), then a thread starts at
;; index {{INDEX}} while the main thread waits. The callee exits with 42.
;; tests/attack_link.rs
(module
  {{FORGE_IMPORT}}
  (import "wali" "__wasm_thread_spawn" (func $spawn (param i32 i32) (result i32)))
  (import "wali" "SYS_sched_yield" (func $yield (result i64)))
  (import "wali" "SYS_exit_group" (func $exit (param i32) (result i64)))
  (memory (export "memory") 1 1 shared)
  (table $t (export "__indirect_function_table") 8 funcref)
  (global $keep (mut externref) (ref.null extern))
  (elem (i32.const 3) $callee)
  (func $callee (param i32 i32)
    (drop (call $exit (i32.const 42))))
  (func (export "_start") (local $i i32)
    {{FORGE}}
    (if (i32.lt_s (call $spawn (i32.const {{INDEX}}) (i32.const 0)) (i32.const 0))
      (then (drop (call $exit (i32.const 3)))))
    ;; The thread ends the process; this bounds the wait (seconds).
    (loop $wait
      (drop (call $yield))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $wait (i32.lt_u (local.get $i) (i32.const 20000000))))
    (drop (call $exit (i32.const 0)))))
