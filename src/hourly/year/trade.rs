//! A year's trade as the hours build it: exports and imports per hour,
//! unserved energy, season energy, hour counts and binding branches.

use std::time::Duration;

use crate::calendar::HOURS_PER_YEAR;

/// A year's trade, hour by hour.
pub(super) struct Trade {
    /// Per lane, per hour: export, MW.
    pub(super) exports: Vec<Vec<f64>>,
    /// Per import corridor, per hour: import, MW.
    pub(super) imports: Vec<Vec<f64>>,
    pub(super) unserved: Vec<f64>,
    /// Per lane: energy of the year so far, MWh (season caps).
    pub(super) season_mwh: Vec<f64>,
    /// Per lane and month: hour counts.
    pub(super) stats: Vec<[LaneStats; 12]>,
    /// (hour, branch, outage) of each hour a branch binds an export, in
    /// hour order, each branch once per hour.
    pub(super) binding: Vec<(usize, usize, Option<usize>)>,
    /// Time in the DC core and sensitivities.
    pub(super) dc: Duration,
}

#[derive(Clone, Copy, Default)]
pub(super) struct LaneStats {
    pub(super) hours: u32,
    pub(super) at_capacity: u32,
    pub(super) at_network: u32,
    pub(super) at_appetite: u32,
    pub(super) no_surplus: u32,
}

impl Trade {
    pub(super) fn new(lanes: usize, imports: usize) -> Trade {
        Trade {
            exports: vec![vec![0.0; HOURS_PER_YEAR]; lanes],
            imports: vec![vec![0.0; HOURS_PER_YEAR]; imports],
            unserved: vec![0.0; HOURS_PER_YEAR],
            season_mwh: vec![0.0; lanes],
            stats: vec![[LaneStats::default(); 12]; lanes],
            binding: Vec::new(),
            dc: Duration::ZERO,
        }
    }
}
