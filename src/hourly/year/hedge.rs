//! Domestic demand before filling: the exporter's reservoirs fill less in
//! a month whose hours would otherwise shed its own load.
//!
//! A rule curve is a plan for an average year. Followed strictly, a
//! reservoir keeps filling in a dry May while the hours of that May ration
//! the country's own load, which no operator does: the filling waits and
//! the load is served. So, for each month of
//! [`HourlySettings::hedge_months`](crate::hourly::HourlySettings::hedge_months)
//! in calendar order, the year's water is simulated, the month's hours are
//! scheduled as the study schedules them (load and firm exports against the
//! month's hydro, the other plants and the import corridors' capacity),
//! and if some of the load would go unserved, the end-of-month targets of
//! the exporter's reservoirs that fill in that month (their target rises
//! from the month before) are lowered by the water that energy needs, at
//! most down to the storage they start the month with: a reservoir fills
//! less, it never draws down for it. The later months keep their targets,
//! so the water is made up afterwards when they can spare it (a month that
//! cannot is hedged in its turn), and what cannot be made up by the end of
//! the season shows as less storage for the winter. Months outside the
//! setting (by default the winter, when Kairakkum fills for the summer's
//! irrigation) follow the rule curve.

use crate::calendar::Month;
use crate::error::Result;
use crate::hydro::{HydroPlant, HydroResults, PlantKind, RuleCurve};

use super::{Scenario, Schedule, schedule};

/// Unserved energy below this, MWh per month, is none.
const NEGLIGIBLE_MWH: f64 = 1.0;

/// Rounds of lowering a month's targets: each round corrects the energy
/// per volume the round before assumed (head and the plants below change
/// with the release).
const ROUNDS: usize = 8;

/// Energy of a hm³ released through a head of one metre at the plants'
/// usual efficiency, MWh (ρ g h η: 1000 · 9.81 · 0.9 · 10⁶ / 3.6 · 10⁹).
const MWH_PER_HM3_M: f64 = 2.4525;

impl Scenario<'_> {
    /// The year's water with the exporter's filling reservoirs hedged in
    /// `months` (see the module's text): `simulate` gives the water of a
    /// rule curve, `hydro` is that of the grid's own. Returns `hydro`
    /// itself when no month needs hedging.
    pub(in crate::hourly) fn hedged_water(
        &self,
        hydro: HydroResults,
        months: &[Month],
        growth_years: u32,
        simulate: impl Fn(&RuleCurve) -> Result<HydroResults>,
    ) -> Result<HydroResults> {
        if months.is_empty() {
            return Ok(hydro);
        }
        let base = self.grid.rule_curve();
        let reservoirs = self.exporter_reservoirs();
        let fixed = self.exporter_fixed_mw(&hydro)?;
        let mut rule: Option<RuleCurve> = None;
        let mut hydro = hydro;
        for month in Month::ALL.into_iter().filter(|m| months.contains(m)) {
            let filling: Vec<&HydroPlant> = reservoirs
                .iter()
                .copied()
                .filter(|p| fills(base, p, month))
                .collect();
            if filling.is_empty() {
                continue;
            }
            for _ in 0..ROUNDS {
                let s = schedule(self.grid, &self.ex, &hydro, growth_years, fixed)?;
                let short_mwh = self.unserved_mwh(&s, month);
                if short_mwh < NEGLIGIBLE_MWH {
                    break;
                }
                let current = rule.get_or_insert_with(|| base.clone());
                if !lower_targets(current, &filling, &hydro, month, short_mwh) {
                    break; // every filling reservoir already passes its inflow on
                }
                hydro = simulate(current)?;
            }
        }
        Ok(hydro)
    }

    /// The exporter's reservoir plants (in the cascade).
    fn exporter_reservoirs(&self) -> Vec<&HydroPlant> {
        let cascade = self.grid.cascade();
        self.ex
            .gens
            .iter()
            .filter_map(|&g| cascade.plant(&self.grid.plants()[g].name))
            .filter(|h| matches!(h.kind, PlantKind::Reservoir(_)))
            .collect()
    }

    /// Energy of the exporter's own load left unserved in `month` by its
    /// hours before trade, MWh: in each hour, load and firm exports less
    /// its hydro, its other plants and the import corridors' capacity,
    /// within what may be shed (as [`Scenario::base_hour`] rations).
    fn unserved_mwh(&self, s: &Schedule, month: Month) -> f64 {
        let firm = self.firm_mw(month);
        let imports = self.import_capacity_mw(month);
        let first = month.first_hour();
        (first..first + month.hours() as usize)
            .map(|h| {
                let sheddable = s.load_mw[h] - s.fixed_load_mw[month.index()];
                let short = s.load_mw[h] + firm - s.hydro_mw[h] - s.other_mw[h] - imports;
                short.max(0.0).min(sheddable.max(0.0))
            })
            .sum()
    }
}

/// Whether `plant`'s target in `base` rises in `month` (it fills).
fn fills(base: &RuleCurve, plant: &HydroPlant, month: Month) -> bool {
    let before = Month::ALL[(month.index() + 11) % 12];
    match (
        base.target_hm3(plant, before),
        base.target_hm3(plant, month),
    ) {
        (Some(a), Some(b)) => b > a,
        _ => false,
    }
}

/// Lowers the end-of-`month` targets of `filling` in `rule` by the water
/// that `short_mwh` needs, shared in proportion to what each still plans
/// to fill, none below the storage it starts the month with (in `hydro`).
/// The energy per volume is the month's in `hydro`: the exporter's
/// reservoirs' energy over their release, at least what their own head
/// gives. False when no target can go lower.
fn lower_targets(
    rule: &mut RuleCurve,
    filling: &[&HydroPlant],
    hydro: &HydroResults,
    month: Month,
    short_mwh: f64,
) -> bool {
    let rows: Vec<_> = filling
        .iter()
        .filter_map(|p| hydro.row(&p.name, month).map(|r| (*p, r)))
        .collect();
    let room: Vec<f64> = rows
        .iter()
        .map(|(p, r)| {
            let target = rule.target_hm3(p, month).unwrap_or(r.storage_end_hm3);
            (target - r.storage_start_hm3).max(0.0)
        })
        .collect();
    let total_room: f64 = room.iter().sum();
    if total_room <= 1e-9 {
        return false;
    }
    let energy: f64 = rows.iter().map(|(_, r)| r.energy_mwh).sum();
    let released: f64 = rows.iter().map(|(_, r)| r.release_hm3).sum();
    let by_head = rows
        .iter()
        .map(|(_, r)| MWH_PER_HM3_M * r.head_m)
        .fold(f64::INFINITY, f64::min);
    let per_hm3 = if released > 1e-9 {
        (energy / released).max(by_head)
    } else {
        by_head
    };
    if !(per_hm3.is_finite() && per_hm3 > 0.0) {
        return false;
    }
    let water_hm3 = (short_mwh / per_hm3).min(total_room);
    for ((plant, row), room) in rows.iter().zip(&room) {
        let cut = water_hm3 * room / total_room;
        let target = rule.target_hm3(plant, month).unwrap_or(row.storage_end_hm3);
        set_target_hm3(
            rule,
            plant,
            month,
            (target - cut).max(row.storage_start_hm3),
        );
    }
    true
}

/// Sets `plant`'s end-of-`month` target in `rule` to `hm3`, its other
/// months as they were (the plant's curve becomes one in hm³).
fn set_target_hm3(rule: &mut RuleCurve, plant: &HydroPlant, month: Month, hm3: f64) {
    let mut targets: Vec<f64> = Month::ALL
        .iter()
        .map(|&m| rule.target_hm3(plant, m).unwrap_or(plant.dead_hm3()))
        .collect();
    targets[month.index()] = hm3;
    rule.curves.retain(|c| c.plant != plant.name);
    *rule = std::mem::take(rule).with_storage_hm3(&plant.name, targets);
}
