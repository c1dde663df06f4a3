//! Differential tests of the socket, time and identity/limits syscalls
//! (src/sys/net, src/sys/time, src/sys/id).

mod support;
use support::case;

difftest!(net_sockets, case("net_sockets"));
difftest!(time_clocks, case("time_clocks"));
difftest!(ident_limits, case("ident_limits"));
difftest!(ident_privileged, case("ident_privileged"));
