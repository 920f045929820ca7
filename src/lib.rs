//! # landlinked
//!
//! Regional electricity grids with a fast sparse DC power flow that matches
//! MATPOWER's `rundcpf` to the last digit, built to study cross-border power
//! trade around Tajikistan (CASA-1000, TUTAP, the GBAO grid).
//!
//! ## Conventions
//! The physics contract, before the API (the same as MATPOWER's):
//! * **Units**: MW, MVA, degrees at the API surface and in files; per unit on
//!   the case's `baseMVA` and radians inside the solver. Field names carry
//!   their unit (`pd_mw`, `x_pu`, `va_deg`).
//! * **Signs**: an injection is positive into the bus; a branch flow is
//!   positive from its `from` bus to its `to` bus.
//! * **Branches**: DC susceptance `b = 1 / (x · tap)`, where a ratio of 0
//!   means 1; flow `Pf = b (θf − θt − shift)`. Resistance, line charging and
//!   bus `Bs` play no part. Negative reactances (series capacitors, star
//!   equivalents) are allowed: the reduced B may be indefinite and is solved
//!   by LDLᵀ.
//! * **Shunts**: bus `Gs` (MW at 1 p.u.) is a constant load.
//! * **References**: every REF bus with an in-service generator keeps its
//!   file angle; the first in-service generator there (file order) takes the
//!   island's mismatch. An island without one takes the first PV bus with an
//!   in-service generator and says so in
//!   [`DcSolution::warnings`](dc::DcSolution); an island with no generator
//!   is an error.
//! * **Out of service**: branches and generators out of service, and
//!   isolated buses (type 4) with all they carry, are left out and reported
//!   as 0 (isolated buses keep their file angle).
//! * **Order**: results come for every element, in input order.
//!
//! ## Example
//! ```
//! use landlinked::{dc::DcPowerFlow, io::matpower};
//! let net = matpower::parse_str("function mpc = two
//! mpc.baseMVA = 100;
//! mpc.bus = [1 3 0 0 0 0 1 1 0 230 1 1.1 0.9; 2 1 80 0 0 0 1 1 0 230 1 1.1 0.9];
//! mpc.gen = [1 0 0 0 0 1 100 1 200 0];
//! mpc.branch = [1 2 0.01 0.2 0 0 0 0 0 0 1 -360 360];", "two.m")?;
//! let sol = DcPowerFlow::new(&net)?.solve()?;
//! assert!((sol.pf_mw[0] - 80.0).abs() < 1e-9);
//! assert!((sol.va_deg[1] + 0.16f64.to_degrees()).abs() < 1e-9); // −0.8 p.u. × 0.2
//! # Ok::<(), landlinked::Error>(())
//! ```

pub mod calendar;

pub mod dc;
pub mod demand;
pub mod error;
pub mod hourly;
pub mod hydro;
pub mod io;
pub mod network;
pub mod region;
pub mod report;
pub mod seasonal;
pub mod sensitivity;
pub mod sweep;
pub mod synthetic;
pub mod topology;

pub use error::{Error, Result};

/// The README's example is compiled and run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
