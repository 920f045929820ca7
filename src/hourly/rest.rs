//! The rest of the system, hour by hour, in a grid with balancing plants
//! ([`PlantType::Balancing`]: a MATPOWER case's generators): the loads of
//! every country but the exporter, by hour, and the balancing plants
//! outside the exporter following them.
//!
//! In every hour the balancing plants outside the exporter produce
//! together what the rest of the system needs beyond its other plants
//! (its loads, less its fixed injections: other plants at their monthly
//! schedule, shunts), without limits, so that the rest stays balanced on
//! its own and the exporter's trade moves power between them. Each
//! country's balancing plants take their country's load swings about its
//! annual mean, and a share of the rest (in proportion to their
//! `dispatch_mw`, their output in the case: what the case had the
//! exporter supply, the other plants' months, countries without balancing
//! plants); within a country each plant in proportion to its
//! `dispatch_mw`. So the case's interchange between the other countries
//! holds whatever their load shapes, and a country's output never falls
//! below 0. A balancing plant with a negative output in the case (a pump)
//! keeps it. A grid without balancing plants of positive output outside
//! the exporter (the Central Asia grid) leaves the neighbours' loads out
//! of the state, as before: their demand is what the exports serve.
//!
//! ```
//! // Used by the hourly study; see `tests/overlay.rs` for the balance.
//! let _ = landlinked::hourly::HourlySettings::default();
//! ```

use crate::calendar::HOURS_PER_YEAR;
use crate::error::{Error, Result};
use crate::network::BusIndex;
use crate::region::{PlantType, RegionalGrid};

/// One country's balancing plants that follow.
struct Group {
    country: String,
    /// Bus positions, and each plant's share of the country's output.
    followers: Vec<(usize, f64)>,
    /// Their output in the case, MW.
    dispatch_mw: f64,
    /// The annual mean of the country's loads, MW.
    mean_mw: f64,
}

/// A load of another country: its position in `demand().loads()`, its
/// country's group (if that has followers), its (bus position, share)
/// pairs.
type RestLoad = (usize, Option<usize>, Vec<(usize, f64)>);

/// The rest of the system's loads and followers, found once per scenario.
pub(super) struct Rest {
    /// Loads of the other countries.
    loads: Vec<RestLoad>,
    groups: Vec<Group>,
    /// The followers' output in the case, all countries, MW.
    dispatch_mw: f64,
    /// The balancing plants that follow (plant positions).
    pub plants: Vec<usize>,
    /// Per bus position: outside the exporter.
    outside: Vec<bool>,
}

/// The rest of the system's load in each hour of a year, MW.
pub(super) struct RestYear {
    by_load: Vec<Vec<f64>>,
    total_mw: Vec<f64>,
    /// Per group: its country's load by hour.
    group_mw: Vec<Vec<f64>>,
}

impl Rest {
    /// The rest of `grid` outside `country`; empty (inactive) without
    /// balancing plants of positive output outside it.
    pub(super) fn new(grid: &RegionalGrid, country: &str, index: &BusIndex) -> Result<Rest> {
        let position = |bus: u64, what: String| {
            index
                .position(bus)
                .ok_or(Error::UnknownBus { element: what, bus })
        };
        let outside = grid.buses().iter().map(|b| b.country != country).collect();
        let mut rest = Rest {
            loads: Vec::new(),
            groups: Vec::new(),
            dispatch_mw: 0.0,
            plants: Vec::new(),
            outside,
        };
        for (i, p) in grid.plants().iter().enumerate() {
            let follows = p.kind == PlantType::Balancing && p.country != country;
            if !(follows && p.dispatch_mw > 0.0 && p.dispatch_mw.is_finite()) {
                continue;
            }
            let at = position(p.bus, format!("plant `{}`", p.name))?;
            let g = match rest.groups.iter().position(|g| g.country == p.country) {
                Some(g) => g,
                None => {
                    rest.groups.push(Group {
                        country: p.country.clone(),
                        followers: Vec::new(),
                        dispatch_mw: 0.0,
                        mean_mw: 0.0,
                    });
                    rest.groups.len() - 1
                }
            };
            rest.groups[g].followers.push((at, p.dispatch_mw));
            rest.groups[g].dispatch_mw += p.dispatch_mw;
            rest.dispatch_mw += p.dispatch_mw;
            rest.plants.push(i);
        }
        if rest.plants.is_empty() {
            return Ok(rest);
        }
        for g in &mut rest.groups {
            let total = g.dispatch_mw;
            for f in &mut g.followers {
                f.1 /= total;
            }
        }
        let hours = HOURS_PER_YEAR as f64;
        for (l, info) in grid.loads().iter().enumerate() {
            if info.country == country {
                continue;
            }
            let load = &grid.demand().loads()[l];
            let group = rest.groups.iter().position(|g| g.country == info.country);
            if let Some(g) = group {
                rest.groups[g].mean_mw += load.annual_energy_gwh * 1000.0 / hours;
            }
            let shares = load
                .buses
                .iter()
                .map(|s| Ok((position(s.bus, format!("load `{}`", info.name))?, s.share)))
                .collect::<Result<Vec<_>>>()?;
            rest.loads.push((l, group, shares));
        }
        Ok(rest)
    }

    /// The loads of year `growth_years`, by hour.
    pub(super) fn year(&self, grid: &RegionalGrid, growth_years: u32) -> RestYear {
        let mut total_mw = vec![0.0; HOURS_PER_YEAR];
        let mut group_mw = vec![vec![0.0; HOURS_PER_YEAR]; self.groups.len()];
        let by_load = self
            .loads
            .iter()
            .map(|(l, g, _)| {
                let v = grid.demand().hourly_mw(*l, growth_years);
                for (t, x) in total_mw.iter_mut().zip(&v) {
                    *t += x;
                }
                if let Some(g) = g {
                    for (t, x) in group_mw[*g].iter_mut().zip(&v) {
                        *t += x;
                    }
                }
                v
            })
            .collect();
        RestYear {
            by_load,
            total_mw,
            group_mw,
        }
    }

    /// What the month's fixed injections `fixed` (bus order, MW) give the
    /// rest of the system: their sum over its buses.
    pub(super) fn fixed_mw(&self, fixed: &[f64]) -> f64 {
        fixed
            .iter()
            .zip(&self.outside)
            .filter(|(_, o)| **o)
            .map(|(p, _)| p)
            .sum()
    }

    /// Adds hour `h`'s loads of the rest of the system and its followers'
    /// output to `p` (bus order, MW); `fixed_mw` is [`Rest::fixed_mw`] of
    /// the hour's month.
    pub(super) fn add_hour(&self, year: &RestYear, h: usize, fixed_mw: f64, p: &mut [f64]) {
        if self.plants.is_empty() {
            return;
        }
        for ((_, _, shares), mw) in self.loads.iter().zip(&year.by_load) {
            for &(i, share) in shares {
                p[i] -= mw[h] * share;
            }
        }
        // Each country its own swings; what is left, by dispatch.
        let swing =
            |g: usize| self.groups[g].dispatch_mw + year.group_mw[g][h] - self.groups[g].mean_mw;
        let own: f64 = (0..self.groups.len()).map(swing).sum();
        let left = year.total_mw[h] - fixed_mw - own;
        for (g, group) in self.groups.iter().enumerate() {
            let output = (swing(g) + left * group.dispatch_mw / self.dispatch_mw).max(0.0);
            for &(i, w) in &group.followers {
                p[i] += output * w;
            }
        }
    }
}
