//! Differential tests of the file, path, directory and descriptor/I-O
//! syscalls (src/sys/fs, src/sys/io): each C program under tests/c built for
//! WALI and natively must print the same and exit with the same status, in
//! every engine mode.

mod support;
use support::case;

difftest!(fs_paths, case("fs_paths"));
difftest!(fs_dirs, case("fs_dirs"));
difftest!(fs_meta, case("fs_meta"));
difftest!(fs_misc, case("fs_misc"));
difftest!(io_vec, case("io_vec"));
difftest!(io_fcntl, case("io_fcntl"));
difftest!(io_kconst, case("io_kconst"));
difftest!(io_pipe, case("io_pipe"));
difftest!(io_poll, case("io_poll"));
