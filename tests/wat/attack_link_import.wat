;; One import under test ({{IMPORT}}), never called: the engine must refuse
;; the module at load or run it (status 7). tests/attack_link.rs
(module
  {{IMPORT}}
  (import "wali" "SYS_exit_group" (func $exit (param i32) (result i64)))
  (memory (export "memory") 1 1 shared)
  (func (export "_start")
    (drop (call $exit (i32.const 7)))))
