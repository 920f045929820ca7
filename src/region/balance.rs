//! What a regional grid offers a study: a hydro simulation of a year, the
//! monthly energy balance of a country, and a month's network snapshot.
//!
//! ```
//! use landlinked::calendar::Month;
//! let g = landlinked::io::grid::read("grids/central_asia/central_asia.toml")?;
//! let hydro = g.simulate_hydro(1.0)?;
//! let jul = g.monthly_balance("TJ", &hydro)[Month::Jul.index()];
//! assert!(jul.surplus_gwh > 0.0); // a summer surplus
//! # Ok::<(), landlinked::Error>(())
//! ```

use serde::Serialize;

use super::{PlantType, RegionalGrid};
use crate::calendar::Month;
use crate::error::{Error, Result};
use crate::hydro::HydroResults;
use crate::network::Network;

/// One month of a country's energy balance, GWh.
///
/// `generation_gwh` is what the water and the thermal plants could give.
/// A surplus beyond the load can only be used up to the export capacity of
/// the country's corridors in season; the rest is water spilled or left
/// unturbined (`unused_gwh`), so the energy actually generated is
/// `dispatched_gwh = generation_gwh − unused_gwh`.
///
/// ```
/// use landlinked::{calendar::Month, region::MonthBalance};
/// let m = MonthBalance { month: Month::Jan, hydro_gwh: 1000.0, other_gwh: 200.0,
///     generation_gwh: 1200.0, load_gwh: 1500.0, surplus_gwh: -300.0,
///     export_capacity_gwh: 223.2, exports_gwh: 0.0, unused_gwh: 0.0,
///     deficit_gwh: 300.0, dispatched_gwh: 1200.0 };
/// assert!(m.surplus_gwh < 0.0); // a winter deficit
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct MonthBalance {
    /// The month.
    pub month: Month,
    /// Energy of the simulated hydro plants in the country.
    pub hydro_gwh: f64,
    /// Energy of thermal and small hydro plants (capacity factors).
    pub other_gwh: f64,
    /// `hydro_gwh + other_gwh`.
    pub generation_gwh: f64,
    /// Energy of the country's loads.
    pub load_gwh: f64,
    /// `generation_gwh − load_gwh`: positive is a surplus to export.
    pub surplus_gwh: f64,
    /// Capacity × hours of the corridors exporting from the country in this month.
    pub export_capacity_gwh: f64,
    /// The surplus that the corridors can take: `clamp(surplus, 0, export capacity)`.
    pub exports_gwh: f64,
    /// Surplus beyond the export capacity (spilled or not turbined).
    pub unused_gwh: f64,
    /// Load not met: `max(−surplus, 0)` (imports or rationing).
    pub deficit_gwh: f64,
    /// Energy generated: `generation_gwh − unused_gwh`.
    pub dispatched_gwh: f64,
}

impl RegionalGrid {
    /// Simulates the hydro cascade over a year with the normal inflows
    /// scaled by `inflow_factor` (1 for a normal year, about 0.85 for a
    /// dry one) and the file's rule curves.
    ///
    /// ```
    /// let g = landlinked::io::grid::read("grids/central_asia/central_asia.toml")?;
    /// let normal = g.simulate_hydro(1.0)?;
    /// assert!(normal.total_energy_mwh() > 20.0e6);
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn simulate_hydro(&self, inflow_factor: f64) -> Result<HydroResults> {
        let inflows: Vec<_> = self
            .inflows
            .iter()
            .map(|q| q.scaled(inflow_factor))
            .collect();
        Ok(self.cascade.simulate(&inflows, &self.rule_curve)?)
    }

    /// Monthly energy balance of `country` (a bus country code) for the
    /// hydro results `hydro` of this grid, in the base year's demand, with
    /// the surplus limited by the export capacity of the country's corridors
    /// (see [`MonthBalance`]).
    ///
    /// ```
    /// let g = landlinked::io::grid::read("grids/central_asia/central_asia.toml")?;
    /// let bal = g.monthly_balance("TJ", &g.simulate_hydro(1.0)?);
    /// assert_eq!(bal.len(), 12);
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn monthly_balance(&self, country: &str, hydro: &HydroResults) -> Vec<MonthBalance> {
        let in_country = |bus: u64| {
            self.buses
                .iter()
                .any(|b| b.id == bus && b.country == country)
        };
        let mut out: Vec<MonthBalance> = Month::ALL.iter().map(|&month| empty(month)).collect();
        for row in hydro.rows.iter().filter(|r| in_country(r.bus)) {
            out[row.month.index()].hydro_gwh += row.energy_mwh / 1000.0;
        }
        let others = self.plants.iter().filter(|p| p.country == country);
        for p in others {
            for (m, b) in out.iter_mut().enumerate() {
                b.other_gwh += p.monthly_energy_gwh(m);
            }
        }
        for e in self.demand.monthly_energy_gwh(0) {
            if self
                .loads
                .iter()
                .any(|l| l.name == e.load && l.country == country)
            {
                out[e.month.index()].load_gwh += e.energy_gwh;
            }
        }
        for b in &mut out {
            let export_mw: f64 = self
                .corridors
                .iter()
                .filter(|c| c.exporter == country && c.exports_in(b.month))
                .map(|c| c.capacity_mw)
                .sum();
            b.export_capacity_gwh = export_mw * b.month.hours() / 1000.0;
            b.generation_gwh = b.hydro_gwh + b.other_gwh;
            b.surplus_gwh = b.generation_gwh - b.load_gwh;
            b.exports_gwh = b.surplus_gwh.clamp(0.0, b.export_capacity_gwh);
            b.unused_gwh = (b.surplus_gwh - b.export_capacity_gwh).max(0.0);
            b.deficit_gwh = (-b.surplus_gwh).max(0.0);
            b.dispatched_gwh = b.generation_gwh - b.unused_gwh;
        }
        out
    }

    /// The network of month `month`: loads at their monthly mean MW, hydro
    /// plants at their mean power in `hydro`, thermal and small hydro at
    /// capacity factor × available MW, equivalents at `dispatch_mw`. The
    /// reference generators take each island's mismatch in the DC power flow.
    ///
    /// ```
    /// use landlinked::{calendar::Month, dc::DcPowerFlow};
    /// let g = landlinked::io::grid::read("grids/central_asia/central_asia.toml")?;
    /// let jan = g.snapshot(Month::Jan, &g.simulate_hydro(1.0)?)?;
    /// let sol = DcPowerFlow::new(&jan)?.solve()?;
    /// assert!(sol.pf_mw.iter().all(|f| f.is_finite()));
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn snapshot(&self, month: Month, hydro: &HydroResults) -> Result<Network> {
        let mut net = self.network.clone();
        let index = net.bus_index()?;
        for b in &mut net.buses {
            b.pd_mw = 0.0;
        }
        let hours = month.hours();
        for e in self
            .demand
            .monthly_energy_gwh(0)
            .iter()
            .filter(|e| e.month == month)
        {
            let load = self.demand.loads().iter().find(|l| l.name == e.load);
            for s in load.iter().flat_map(|l| &l.buses) {
                if let Some(i) = index.position(s.bus) {
                    net.buses[i].pd_mw += e.energy_gwh * 1000.0 / hours * s.share;
                }
            }
        }
        for (i, p) in self.plants.iter().enumerate() {
            let pg = match p.kind {
                PlantType::Hydro => hydro_power(hydro, &p.name, month)?,
                PlantType::Equivalent => p.dispatch_mw,
                _ => p.monthly_energy_gwh(month.index()) * 1000.0 / hours,
            };
            net.generators[i].pg_mw = pg;
        }
        Ok(net)
    }
}

fn empty(month: Month) -> MonthBalance {
    MonthBalance {
        month,
        hydro_gwh: 0.0,
        other_gwh: 0.0,
        generation_gwh: 0.0,
        load_gwh: 0.0,
        surplus_gwh: 0.0,
        export_capacity_gwh: 0.0,
        exports_gwh: 0.0,
        unused_gwh: 0.0,
        deficit_gwh: 0.0,
        dispatched_gwh: 0.0,
    }
}

fn hydro_power(hydro: &HydroResults, plant: &str, month: Month) -> Result<f64> {
    let row = hydro.row(plant, month).ok_or_else(|| Error::UnknownName {
        element: "hydro results".into(),
        field: "plant".into(),
        kind: "plant with a row".into(),
        name: plant.to_string(),
    })?;
    Ok(row.mean_power_mw)
}
