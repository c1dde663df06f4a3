;; An env.invoke_* target by table index: {{FORGE}} may store a forged
;; reference at index 3 (else $callee is there), then invoke_vi calls index
;; {{INDEX}}. The callee exits with 42. tests/attack_link.rs
(module
  {{FORGE_IMPORT}}
  (import "env" "invoke_vi" (func $invoke (param i32 i32)))
  (import "wali" "SYS_exit_group" (func $exit (param i32) (result i64)))
  (memory (export "memory") 1 1 shared)
  (table $t (export "__indirect_function_table") 8 funcref)
  (global $keep (mut externref) (ref.null extern))
  (elem (i32.const 3) $callee)
  (func $callee (param i32)
    (drop (call $exit (i32.const 42))))
  (func (export "_start")
    {{FORGE}}
    (call $invoke (i32.const {{INDEX}}) (i32.const 0))
    (drop (call $exit (i32.const 0)))))
