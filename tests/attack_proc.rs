//! Attack tests of the engine's process state (issue 13 points 2, 5, 7,
//! 10; issue 14 point 5): what a guest can reach of its own engine through
//! procfs and the engine's files, resource limits, personality and prctl,
//! host memory it can make the engine allocate through socket calls, and
//! chroot. Each runs in every mode. Cases whose safe outcome is Linux's
//! own are differential (`difftest!`); the others (where native would
//! succeed, e.g. opening /proc/self/mem) assert the guest's own checks.

mod support;
use support::{case, wali_run, Mode};

/// Runs a WALI-only attack case in `mode`: status 0, "done" printed, no
/// failed check, and the engine did not die of a signal.
fn attack(src: &'static str, args: &[&str], mode: Mode) {
    let c = case(src).args(args.iter().copied());
    let o = wali_run(&c, mode);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.code() == Some(0) && stdout.ends_with("done\n"),
        "{src} {args:?} [{}]: status {:?}\n--- stdout:\n{stdout}\n--- stderr:\n{}",
        mode.name(),
        o.status,
        String::from_utf8_lossy(&o.stderr)
    );
}

macro_rules! attack_test {
    ($name:ident, $src:expr, $args:expr) => {
        mod $name {
            use super::*;
            #[test]
            fn interp() {
                attack($src, $args, Mode::Interp);
            }
            #[test]
            fn fast_jit() {
                attack($src, $args, Mode::FastJit);
            }
            #[test]
            fn aot() {
                attack($src, $args, Mode::Aot);
            }
        }
    };
}

attack_test!(proc_mem, "attack_proc_mem", &[]);
attack_test!(rlimit_lowered, "attack_proc_limits", &["rlimit"]);
attack_test!(prctl_refused, "attack_proc_limits", &["prctl"]);
difftest!(
    rlimit_diff,
    case("attack_proc_limits").args(["rlimit_diff"])
);
difftest!(net_host_memory, case("attack_proc_net"));
difftest!(chroot, case("attack_proc_chroot"));
