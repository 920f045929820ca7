//! Readers and writers: MATPOWER case files ([`matpower`]) and the crate's own
//! TOML regional grid format ([`grid`]).
//!
//! ```
//! let net = landlinked::io::matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[];\nmpc.branch=[];", "x.m").unwrap();
//! assert_eq!(net.base_mva, 100.0);
//! ```

pub mod grid;
pub mod matpower;
