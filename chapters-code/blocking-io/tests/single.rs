//! Version 1 against the conformance suite. It serves one client at a
//! time, so it is checked for making the second client wait, and it has no
//! cap to check (extra clients wait in the kernel's queue).

blocking_io::conformance!(blocking_io::single::start, OneAtATime);
