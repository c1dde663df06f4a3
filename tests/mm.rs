//! Memory mappings: differential tests (each C program under tests/c built
//! for WALI and natively must print the same), plus WALI-only checks of the
//! placement, reuse and bounds of mappings inside linear memory.

mod support;
use support::case;

difftest!(mm_basic, case("mm_basic"));
difftest!(mm_file, case("mm_file"));
difftest!(mm_stress, case("mm_stress"));

/// Placement inside linear memory has no native counterpart: `mm_wali`
/// runs under the engine only, in every mode, against this output.
const MM_WALI_EXPECTED: &str = "\
brk_at_start=1
brk_grow=1
brk_grew_memory=1
fixed_brk_area=-22
mmap_above_brk=1
brk_blocked=1
brk_unblocked=1
brk_shrink=1
mmap_reuses_brk_pages=1
reuse_same_address=1
reuse_zero=1
next_is_adjacent=1
coalesced_reuse=1
coalesced_no_growth=1
mremap_in_place=1
hint_taken=1
fixed_module_data=-22
noreplace_module_data=-17
munmap_module_data=0
module_data_kept=1
fixed_above_top=1
fixed_grew=1
fixed_zero=1
too_big=-12
too_big_fixed=-12
too_big_no_growth=1
large_ok=1
large_reused=1
large_no_growth=1
mprotect_none=0
still_writable=1
file_sees=1
file_range_reused=1
file_range_zero=1
";

fn mm_wali(mode: support::Mode) {
    let out = support::wali_run(&case("mm_wali"), mode);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        (support::shell_status(&out), stdout.as_ref()),
        (0, MM_WALI_EXPECTED),
        "mm_wali [{}] stderr:\n{}",
        mode.name(),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn mm_wali_interp() {
    mm_wali(support::Mode::Interp);
}

#[test]
fn mm_wali_fast_jit() {
    mm_wali(support::Mode::FastJit);
}

#[test]
fn mm_wali_aot() {
    mm_wali(support::Mode::Aot);
}
difftest!(mm_lock, case("mm_lock"));
difftest!(mm_nogrow, case("mm_nogrow"));
