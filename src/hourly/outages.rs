//! The N-1 outages of a scenario's export limits: every active branch for
//! a grid without a contingency list (a regional grid), or the grid's
//! list ([`Contingencies`]): its listed branches, and `screen` more picked
//! by [`screen_outages`] (the largest loading an outage can add to a rated
//! branch, LODF × flow) on the grid's own state and on that state with
//! each of the exporter's corridors carrying its capacity. A list keeps a
//! 10,000-bus grid tractable: the factors are `outages × rated branches`
//! and every hour's limit scans as many rows.
//!
//! ```
//! // Used by the hourly study; `tests/overlay.rs` checks the list it takes.
//! let _ = landlinked::region::Contingencies::default();
//! ```

use nalgebra::DMatrix;

use crate::dc::DcPowerFlow;
use crate::error::Result;
use crate::region::{Contingencies, PlantType, RegionalGrid};
use crate::sensitivity::{PreparedTransfer, TransferSettings, screen_outages};

/// The prepared transfer capabilities of `grid` (solved by `pf`) for
/// exports from `exporter`, over the grid's outages, with the grid's
/// `min_factor` if it gives one.
pub(crate) fn prepare<'a>(
    grid: &'a RegionalGrid,
    pf: &'a DcPowerFlow,
    exporter: &str,
    mut settings: TransferSettings,
) -> Result<PreparedTransfer<'a>> {
    if let Some(f) = grid.contingencies().and_then(|c| c.min_factor) {
        settings.min_factor = f;
    }
    let net = grid.network();
    match grid.contingencies() {
        None => PreparedTransfer::new(net, pf, settings),
        Some(c) => {
            let list = outage_list(grid, pf, exporter, c, settings.n_minus_1)?;
            PreparedTransfer::with_outages(net, pf, settings, &list)
        }
    }
}

/// The listed outages, then the screened ones, best first.
pub(crate) fn outage_list(
    grid: &RegionalGrid,
    pf: &DcPowerFlow,
    exporter: &str,
    c: &Contingencies,
    n_minus_1: bool,
) -> Result<Vec<usize>> {
    let mut list = c.branches.clone();
    if c.screen == 0 || !n_minus_1 {
        return Ok(list);
    }
    let net = grid.network();
    let topo = pf.model().topology();
    let active: Vec<usize> = (0..net.branches.len())
        .filter(|&k| topo.branch_active(k))
        .collect();
    let candidates: Vec<usize> = active
        .iter()
        .copied()
        .filter(|k| !list.contains(k))
        .collect();
    let monitored: Vec<usize> = active
        .iter()
        .copied()
        .filter(|&k| net.branches[k].rate_a_mva > 0.0)
        .collect();
    let ratings: Vec<f64> = monitored
        .iter()
        .map(|&k| net.branches[k].rate_a_mva)
        .collect();
    let sample = sample(grid, pf, exporter)?;
    let ranked = screen_outages(pf, &candidates, &monitored, &ratings, &sample, c.screen)?;
    list.extend(ranked.iter().map(|r| r.branch));
    Ok(list)
}

/// The states the screening looks at (buses × states, MW): the grid's own
/// (loads at their mean, plants at their dispatch), and that state with
/// each exporter corridor's capacity moved from the exporter's plants (by
/// capacity) to the corridor's far end.
fn sample(grid: &RegionalGrid, pf: &DcPowerFlow, exporter: &str) -> Result<DMatrix<f64>> {
    let net = grid.network();
    let index = net.bus_index()?;
    let own = pf.model().bus_injections_mw();
    let mut source: Vec<(usize, f64)> = Vec::new();
    for p in grid.plants() {
        if p.country == exporter && p.kind != PlantType::Equivalent && p.available_mw > 0.0 {
            source.extend(index.position(p.bus).map(|i| (i, p.available_mw)));
        }
    }
    let total: f64 = source.iter().map(|s| s.1).sum();
    let corridors: Vec<_> = grid
        .corridors()
        .iter()
        .filter(|c| c.exporter == exporter && !c.branches.is_empty() && total > 0.0)
        .collect();
    let mut out = DMatrix::zeros(own.len(), 1 + corridors.len());
    out.column_mut(0).copy_from_slice(own);
    for (j, c) in corridors.iter().enumerate() {
        let mut col = out.column_mut(j + 1);
        col.copy_from_slice(own);
        let cap = c.capacity_in_mw(net);
        for &(i, w) in &source {
            col[i] += cap * w / total;
        }
        let far = c.far_end_buses(net);
        for b in &far {
            if let Some(i) = index.position(*b) {
                col[i] -= cap / far.len() as f64;
            }
        }
    }
    Ok(out)
}
