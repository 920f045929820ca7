//! One scenario-year of the exporter, hour by hour, before any trade: its
//! load, the output its water and its other plants give, and the capacity
//! it has left for reserve.
//!
//! **Monthly water, hourly power.** The cascade's monthly balance gives
//! each hydro plant its energy of the month. Storage plants and the
//! run-of-river plants below them (a *regulated* group: they pass on the
//! storage plant's release) follow the exporter's net load (load less the
//! other plants) by peak shaving: their joint output is
//! `clamp(net load − λ, minimum, capacity)` with `λ` chosen so that the
//! month's energy is used exactly; each plant takes its share of the
//! group's energy, within its own capacity. Run-of-river plants without a
//! storage plant above run flat at their monthly mean, and so do thermal
//! and small hydro plants (capacity factors). Energy a plant cannot take
//! within its capacity is spilled (turbine limit).
//!
//! ```
//! // The shaping keeps the month's energy: see the hourly study's tests.
//! let _ = landlinked::hourly::HourlySettings::default();
//! ```

use crate::calendar::{HOURS_PER_YEAR, Month};
use crate::error::{Error, Result};
use crate::hydro::{HydroResults, PlantKind};
use crate::region::{PlantType, RegionalGrid};

/// The exporter's plants and loads, found once per scenario.
pub(super) struct Exporter {
    /// Generators (plant positions) of the exporter, but equivalents.
    pub gens: Vec<usize>,
    /// For each of `gens`: regulated (storage or below one), flat hydro, or
    /// other (capacity factors).
    kinds: Vec<GenKind>,
    /// Minimum output of each storage plant per m³/s of minimum release
    /// is derived from its month's energy per volume; here its release.
    min_release_m3s: Vec<f64>,
    /// Loads of the exporter (positions in `demand().loads()`).
    pub loads: Vec<usize>,
    /// Largest unit of the exporter's hydro plants, MW.
    pub largest_unit_mw: f64,
    /// Available capacity of the regulated plants, MW.
    pub regulated_mw: f64,
}

#[derive(Clone, Copy, PartialEq)]
enum GenKind {
    Regulated,
    FlatHydro,
    Other,
}

impl Exporter {
    pub(super) fn new(grid: &RegionalGrid, country: &str) -> Result<Exporter> {
        let cascade = grid.cascade();
        let storage_above = |name: &str| -> bool {
            // Walk up: is there a storage plant whose water reaches `name`?
            let mut current = name.to_string();
            for _ in 0..cascade.plants().len() {
                let up = cascade
                    .plants()
                    .iter()
                    .find(|p| p.downstream.as_deref() == Some(current.as_str()));
                match up {
                    Some(p) if matches!(p.kind, PlantKind::Reservoir(_)) => return true,
                    Some(p) => current = p.name.clone(),
                    None => return false,
                }
            }
            false
        };
        let mut out = Exporter {
            gens: Vec::new(),
            kinds: Vec::new(),
            min_release_m3s: Vec::new(),
            loads: Vec::new(),
            largest_unit_mw: 0.0,
            regulated_mw: 0.0,
        };
        for (i, p) in grid.plants().iter().enumerate() {
            if p.country != country || p.kind == PlantType::Equivalent {
                continue;
            }
            let (kind, min_q) = match (p.kind, cascade.plant(&p.name)) {
                (PlantType::Hydro, Some(h)) => {
                    let unit = p.installed_mw / f64::from(h.units.max(1));
                    out.largest_unit_mw = out.largest_unit_mw.max(unit);
                    match &h.kind {
                        PlantKind::Reservoir(_) => (GenKind::Regulated, h.min_release_m3s),
                        PlantKind::RunOfRiver { .. } if storage_above(&p.name) => {
                            (GenKind::Regulated, 0.0)
                        }
                        PlantKind::RunOfRiver { .. } => (GenKind::FlatHydro, 0.0),
                    }
                }
                _ => (GenKind::Other, 0.0),
            };
            if kind == GenKind::Regulated {
                out.regulated_mw += p.available_mw;
            }
            out.gens.push(i);
            out.kinds.push(kind);
            out.min_release_m3s.push(min_q);
        }
        if out.gens.is_empty() {
            return Err(Error::InvalidValue {
                element: format!("exporter `{country}`"),
                field: "plants".into(),
                value: 0.0,
                expected: "at least one plant of the exporter".into(),
            });
        }
        for (i, info) in grid.loads().iter().enumerate() {
            if info.country == country {
                out.loads.push(i);
            }
        }
        Ok(out)
    }

    /// Whether generator `k` (of `gens`) is hydro.
    pub(super) fn is_hydro(&self, k: usize) -> bool {
        self.kinds[k] != GenKind::Other
    }
}

/// The exporter's hours before trade.
pub(super) struct Schedule {
    /// Load of each exporter load, MW, per hour: `loads × 8760`.
    pub load_by_load: Vec<Vec<f64>>,
    /// Total exporter load, MW: its loads and, per month, what its fixed
    /// injections (shunts, negative loads) withdraw.
    pub load_mw: Vec<f64>,
    /// Per month: the part of `load_mw` that the fixed injections
    /// withdraw (not shed in a deficit), MW.
    pub fixed_load_mw: [f64; 12],
    /// Output of each exporter generator (order of [`Exporter::gens`]), MW.
    pub gen_mw: Vec<Vec<f64>>,
    /// Hydro output, MW.
    pub hydro_mw: Vec<f64>,
    /// Other plants' output, MW.
    pub other_mw: Vec<f64>,
    /// Output of the regulated group, MW.
    pub regulated_mw: Vec<f64>,
    /// Energy a plant could not take within its capacity, MW.
    pub spill_mw: Vec<f64>,
}

/// The schedule of one year: loads in year `growth_years`, plus what the
/// exporter's fixed injections withdraw in each month (`fixed_load_mw`),
/// hydro from `hydro`.
pub(super) fn schedule(
    grid: &RegionalGrid,
    ex: &Exporter,
    hydro: &HydroResults,
    growth_years: u32,
    fixed_load_mw: [f64; 12],
) -> Result<Schedule> {
    let n = HOURS_PER_YEAR;
    let demand = grid.demand();
    let mut load_by_load = Vec::with_capacity(ex.loads.len());
    let mut load_mw = vec![0.0; n];
    for &l in &ex.loads {
        let v = demand.hourly_mw(l, growth_years);
        for (total, mw) in load_mw.iter_mut().zip(&v) {
            *total += mw;
        }
        load_by_load.push(v);
    }
    if fixed_load_mw.iter().any(|&w| w != 0.0) {
        for (h, total) in load_mw.iter_mut().enumerate() {
            let m = Month::from_hour_of_year(h).map_or(11, Month::index);
            *total += fixed_load_mw[m];
        }
    }
    let mut s = Schedule {
        load_by_load,
        load_mw,
        fixed_load_mw,
        gen_mw: vec![vec![0.0; n]; ex.gens.len()],
        hydro_mw: vec![0.0; n],
        other_mw: vec![0.0; n],
        regulated_mw: vec![0.0; n],
        spill_mw: vec![0.0; n],
    };
    for month in Month::ALL {
        shape_month(grid, ex, hydro, month, &mut s)?;
    }
    for (k, g) in s.gen_mw.iter().enumerate() {
        let total = if ex.is_hydro(k) {
            &mut s.hydro_mw
        } else {
            &mut s.other_mw
        };
        for (t, v) in total.iter_mut().zip(g) {
            *t += v;
        }
    }
    Ok(s)
}

/// Flat plants at their monthly mean; the regulated group by peak shaving.
fn shape_month(
    grid: &RegionalGrid,
    ex: &Exporter,
    hydro: &HydroResults,
    month: Month,
    s: &mut Schedule,
) -> Result<()> {
    let hours = month.first_hour()..month.first_hour() + month.hours() as usize;
    let len = hours.len() as f64;
    let mut flat = vec![0.0; hours.len()];
    // (generator k, month energy MWh, available MW, minimum MW)
    let mut group: Vec<(usize, f64, f64, f64)> = Vec::new();
    for (k, (&g, &kind)) in ex.gens.iter().zip(&ex.kinds).enumerate() {
        let p = &grid.plants()[g];
        let (energy_mwh, min_mw) = match kind {
            GenKind::Other => (p.monthly_energy_gwh(month.index()) * 1000.0, 0.0),
            _ => {
                let row = hydro.row(&p.name, month).ok_or_else(|| Error::NotFound {
                    kind: "hydro result of plant".into(),
                    name: p.name.clone(),
                    known: Vec::new(),
                })?;
                // MWh per hm³ turbined this month, times the minimum release.
                let per_hm3 = if row.release_hm3 > 0.0 {
                    row.energy_mwh / row.release_hm3
                } else {
                    0.0
                };
                let min_mw = ex.min_release_m3s[k] * 0.0036 * per_hm3;
                (row.energy_mwh, min_mw.min(p.available_mw))
            }
        };
        if kind == GenKind::Regulated {
            group.push((k, energy_mwh, p.available_mw, min_mw));
        } else {
            let mean = energy_mwh / len;
            let mw = mean.min(p.available_mw);
            for (i, h) in hours.clone().enumerate() {
                s.gen_mw[k][h] = mw;
                s.spill_mw[h] += mean - mw;
                flat[i] += mw;
            }
        }
    }
    let energy: f64 = group.iter().map(|g| g.1).sum();
    if group.is_empty() || energy <= 0.0 {
        return Ok(());
    }
    let cap: f64 = group.iter().map(|g| g.2).sum();
    let min: f64 = group.iter().map(|g| g.3).sum::<f64>().min(cap);
    let net: Vec<f64> = hours
        .clone()
        .zip(&flat)
        .map(|(h, f)| s.load_mw[h] - f)
        .collect();
    let joint = peak_shave(&net, energy, min, cap);
    // Water beyond the group's capacity over the month (turbine limit).
    let short = (energy - joint.iter().sum::<f64>()).max(0.0) / len;
    for (i, h) in hours.enumerate() {
        s.regulated_mw[h] = joint[i];
        s.spill_mw[h] += short;
        for &(k, e, avail, _) in &group {
            let want = joint[i] * e / energy;
            let mw = want.min(avail);
            s.gen_mw[k][h] = mw;
            s.spill_mw[h] += want - mw;
        }
    }
    Ok(())
}

/// `clamp(net − λ, min, cap)` per hour with `λ` such that the hours sum to
/// `energy` (MWh over 1-hour periods); flat at the bound when the energy is
/// outside `[min, cap] × hours` (the excess above `cap` is the caller's
/// spill, counted as the sum falls short).
pub(super) fn peak_shave(net: &[f64], energy: f64, min: f64, cap: f64) -> Vec<f64> {
    let n = net.len() as f64;
    if energy >= cap * n {
        return vec![cap; net.len()];
    }
    if energy <= min * n {
        return vec![energy / n; net.len()];
    }
    let total = |lambda: f64| -> f64 { net.iter().map(|&x| (x - lambda).clamp(min, cap)).sum() };
    let lo_net = net.iter().copied().fold(f64::INFINITY, f64::min);
    let hi_net = net.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    // total(λ) falls from cap·n (λ ≤ lo − cap) to min·n (λ ≥ hi − min).
    let (mut lo, mut hi) = (lo_net - cap, hi_net - min);
    for _ in 0..100 {
        let mid = 0.5 * (lo + hi);
        if total(mid) > energy {
            lo = mid;
        } else {
            hi = mid;
        }
        if hi - lo <= 1e-9 * (1.0 + hi.abs()) {
            break;
        }
    }
    let lambda = 0.5 * (lo + hi);
    let mut out: Vec<f64> = net.iter().map(|&x| (x - lambda).clamp(min, cap)).collect();
    // Put the last rounding residue on the hours strictly inside the bounds.
    let residue = energy - out.iter().sum::<f64>();
    let inside: Vec<usize> = (0..out.len())
        .filter(|&i| out[i] > min && out[i] < cap)
        .collect();
    if !inside.is_empty() {
        let each = residue / inside.len() as f64;
        for i in inside {
            out[i] = (out[i] + each).clamp(min, cap);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::peak_shave;

    #[test]
    fn peak_shaving_keeps_the_energy_and_follows_the_net_load() {
        let net: Vec<f64> = (0..720)
            .map(|h| 1000.0 + 300.0 * ((h % 24) as f64 / 24.0 * std::f64::consts::TAU).sin())
            .collect();
        let out = peak_shave(&net, 720.0 * 800.0, 200.0, 1200.0);
        let sum: f64 = out.iter().sum();
        assert!((sum - 720.0 * 800.0).abs() < 1e-6 * sum);
        // Where inside the bounds, net − output is one constant.
        let diffs: Vec<f64> = net
            .iter()
            .zip(&out)
            .filter(|(_, o)| **o > 200.0 && **o < 1200.0)
            .map(|(n, o)| n - o)
            .collect();
        let (lo, hi) = diffs
            .iter()
            .fold((f64::MAX, f64::MIN), |(a, b), &d| (a.min(d), b.max(d)));
        assert!(hi - lo < 1e-3, "{lo} {hi}");
        // Too much water: at capacity; too little: flat.
        assert!(
            peak_shave(&net, 1e9, 0.0, 1200.0)
                .iter()
                .all(|&x| x == 1200.0)
        );
        assert!(
            peak_shave(&net, 720.0 * 10.0, 50.0, 1200.0)
                .iter()
                .all(|&x| (x - 10.0).abs() < 1e-12)
        );
    }
}
