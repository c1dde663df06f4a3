;; Table 0 holds externrefs, table 1 the function: the engine's table
;; indices refer to table 0, which has no function to call. Exits 42 if
;; the callee runs. tests/attack_link.rs
(module
  (import "env" "invoke_vi" (func $invoke (param i32 i32)))
  (import "wali" "SYS_exit_group" (func $exit (param i32) (result i64)))
  (memory (export "memory") 1 1 shared)
  (table $ext 8 externref)
  (table $funcs 8 funcref)
  (elem (table $funcs) (i32.const 3) func $callee)
  (func $callee (param i32)
    (drop (call $exit (i32.const 42))))
  (func (export "_start")
    (call $invoke (i32.const 3) (i32.const 0))
    (drop (call $exit (i32.const 0)))))
