//! Memory mappings: differential tests (each C program under tests/c built
//! for WALI and natively must print the same), plus WALI-only checks of the
//! placement, reuse and bounds of mappings inside linear memory.

mod support;
use support::case;

difftest!(mm_basic, case("mm_basic"));
difftest!(mm_file, case("mm_file"));
