//! One scenario-year through the DC core, [`CHUNK_HOURS`] hours at a
//! time: the hours' injections (the exporter's, and the rest of the
//! system's where it balances itself), their flows (`solve_many` on the
//! scenario's one factorisation), imports and unserved energy in deficit
//! hours, exports in surplus hours within each corridor's capacity, the
//! importer's appetite and the N-1 transfer capability of that hour's
//! state, then the flows of the traded hours reduced to the statistics of
//! every branch.
//!
//! ```
//! // Run through `HourlyStudy::run`; see the module documentation.
//! let _ = landlinked::hourly::HourlySettings::default();
//! ```

use std::time::Instant;

use nalgebra::DMatrix;

mod hedge;
mod summary;
mod trade;
use trade::Trade;

use super::fused::{FinalFlows, FinalFlowsSetup, FlowStats};
use super::rest::Rest;
use super::schedule::{Exporter, Schedule, schedule};
use super::{BalanceMonth, CorridorMonth, HourRow};
use crate::calendar::{HOURS_PER_YEAR, Month};
use crate::dc::{DcPowerFlow, DcSeries};
use crate::error::{Error, Result};
use crate::hydro::HydroResults;
use crate::network::BusIndex;
use crate::region::RegionalGrid;
use crate::sensitivity::{PreparedTransfer, ScreenedColumn, Zone};

/// Exports below this (MW) count as none; limits closer than it as equal.
const EPS_MW: f64 = 1e-6;

/// Hours solved and traded together: the injections and base flows of
/// this many hours are all a year holds at once (on a 10,000-bus grid,
/// about 70 MB), whatever the grid's size.
const CHUNK_HOURS: usize = 256;

/// A corridor of the exporter as the hours see it.
pub(super) struct Lane {
    /// Position in `grid.corridors()`.
    pub corridor: usize,
    pub capacity_mw: f64,
    pub net_price: Option<f64>,
    /// Far-end buses (positions) with equal shares.
    sink: Vec<(usize, f64)>,
    sink_zone: Zone,
    /// Links (positions) sharing the export equally.
    links: Vec<usize>,
    /// Firm export per month (0 outside the export months), MW.
    firm: [f64; 12],
    /// A co-supplier: its bus (position), share of the energy and MW
    /// available per month. `None` also when it cannot reach the corridor
    /// (the exporter then supplies it all).
    partner: Option<(usize, f64, [f64; 12])>,
}

impl Lane {
    /// The exporter's share of what the lane carries.
    fn own_share(&self) -> f64 {
        self.partner.map_or(1.0, |(_, share, _)| 1.0 - share)
    }
}

/// What a scenario fixes for all its years.
pub(super) struct Scenario<'a> {
    pub grid: &'a RegionalGrid,
    pub pf: &'a DcPowerFlow,
    pub prep: &'a PreparedTransfer<'a>,
    pub ex: Exporter,
    /// Export lanes, best net price first.
    pub lanes: Vec<Lane>,
    /// Import corridors (positions in `lanes`: an import enters at its
    /// lane's far end), cheapest first.
    pub imports: Vec<usize>,
    pub reserve_mw: f64,
    pub index: BusIndex,
    /// The rest of the system (loads and followers), if balanced.
    rest: Rest,
    /// Per bus position: in the exporter's country.
    inside: Vec<bool>,
    /// Per branch: crosses the exporter's border (+1 leaving, −1 entering, 0).
    border: Vec<f64>,
    /// Per link: crosses the border (+1 leaving, −1 entering, 0).
    link_border: Vec<f64>,
}

/// A year's outputs (serde: a [`YearsPart`](super::YearsPart) carries them).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub(super) struct YearOut {
    pub balance: Vec<BalanceMonth>,
    pub corridors: Vec<CorridorMonth>,
    pub hours: Option<Vec<HourRow>>,
    /// Per branch: largest |flow|, hours > 80 %, hours > 100 %, hours binding.
    pub branch_max_mw: Vec<f64>,
    pub over80: Vec<u32>,
    pub over100: Vec<u32>,
    pub binding: Vec<u32>,
    /// Binding (branch, outage) pairs, one per hour and branch.
    pub binding_outages: Vec<(usize, Option<usize>)>,
    /// Exports per lane and hour (for duration curves), MW.
    pub lane_mw: Vec<Vec<f32>>,
    /// Base-case overloads the trade added to (a bug if not empty).
    pub worsened: Vec<(usize, usize)>,
    /// Time in the DC core and the sensitivities, seconds.
    pub dc_seconds: f64,
}

impl<'a> Scenario<'a> {
    pub(super) fn new(
        grid: &'a RegionalGrid,
        pf: &'a DcPowerFlow,
        prep: &'a PreparedTransfer<'a>,
        country: &str,
        reserve_mw: Option<f64>,
    ) -> Result<Scenario<'a>> {
        let net = grid.network();
        let ex = Exporter::new(grid, country)?;
        let index = net.bus_index()?;
        let mut lanes = Vec::new();
        let mut imports = Vec::new();
        for (i, c) in grid.corridors().iter().enumerate() {
            if c.exporter != country {
                continue;
            }
            if c.trade.import_capacity_mw > 0.0 {
                if !c.links.is_empty() {
                    return Err(Error::InvalidValue {
                        element: format!("corridor `{}`", c.name),
                        field: "import_capacity_mw".into(),
                        value: c.trade.import_capacity_mw,
                        expected: "0: imports are modelled over AC corridors only (an HVDC corridor's links run in the export direction)".into(),
                    });
                }
                imports.push(i);
            }
            let far = c.far_end_buses(net);
            let sink_zone = Zone::equal(&far).map_err(|_| Error::InvalidValue {
                element: format!("corridor `{}`", c.name),
                field: "branches".into(),
                value: 0.0,
                expected: "a corridor with at least one branch or link".into(),
            })?;
            let firm = std::array::from_fn(|m| {
                let month = Month::ALL[m];
                let f = c.trade.firm_in(month).min(c.capacity_in_mw(net));
                if c.exports_in(month) { f } else { 0.0 }
            });
            if firm.iter().any(|&f| f > 0.0) && !c.links.is_empty() {
                return Err(Error::InvalidValue {
                    element: format!("corridor `{}`", c.name),
                    field: "firm_mw".into(),
                    value: firm.iter().copied().fold(0.0, f64::max),
                    expected: "no firm export over an HVDC corridor (firm exports are modelled over AC corridors)".into(),
                });
            }
            let share = 1.0 / far.len() as f64;
            let sink = far
                .iter()
                .filter_map(|&b| index.position(b).map(|p| (p, share)))
                .collect();
            // A partner that cannot reach the corridor's far end (its
            // tie out of service, or another island) supplies nothing.
            let partner = match &c.trade.partner {
                Some(pt) => match index.position(pt.bus) {
                    Some(pos) if prep.connects(&Zone::bus(pt.bus), &sink_zone) => {
                        Some((pos, pt.share, pt.available_mw))
                    }
                    _ => None,
                },
                None => None,
            };
            lanes.push(Lane {
                corridor: i,
                capacity_mw: c.capacity_in_mw(net),
                net_price: c.trade.net_price_usd_per_mwh(),
                sink,
                sink_zone,
                links: c.links.clone(),
                firm,
                partner,
            });
        }
        // A firm export over a corridor an outage cuts off cannot be
        // delivered: it is dropped for the scenario (its hours count as
        // network-limited like any other export over that corridor).
        let mut gen_buses: Vec<u64> = ex.gens.iter().map(|&g| grid.plants()[g].bus).collect();
        gen_buses.sort_unstable();
        gen_buses.dedup();
        if let Ok(source) = Zone::equal(&gen_buses) {
            for lane in lanes.iter_mut().filter(|l| l.firm.iter().any(|&f| f > 0.0)) {
                if !prep.connects(&source, &lane.sink_zone) {
                    lane.firm = [0.0; 12];
                }
            }
        }
        // Best net price first; unpriced after, in file order (stable sort).
        lanes.sort_by(|a, b| match (a.net_price, b.net_price) {
            (Some(x), Some(y)) => y.total_cmp(&x),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        });
        let price = |i: &usize| grid.corridors()[*i].trade.import_price_usd_per_mwh;
        imports.sort_by(|a, b| match (price(a), price(b)) {
            (Some(x), Some(y)) => x.total_cmp(&y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        });
        let imports = imports
            .iter()
            .filter_map(|&c| lanes.iter().position(|l| l.corridor == c))
            .collect();
        let inside = |bus: u64| {
            let info = grid.buses().iter().find(|b| b.id == bus);
            info.is_some_and(|b| b.country == country && !b.dc)
        };
        let cross = |f: u64, t: u64| match (inside(f), inside(t)) {
            (true, false) => 1.0,
            (false, true) => -1.0,
            _ => 0.0,
        };
        let border = net.branches.iter().map(|b| cross(b.from, b.to)).collect();
        let link_border = net.hvdc_links.iter().map(|l| cross(l.from, l.to)).collect();
        let reserve_mw = reserve_mw.unwrap_or(ex.largest_unit_mw);
        let rest = Rest::new(grid, country, &index)?;
        let inside = grid.buses().iter().map(|b| b.country == country).collect();
        Ok(Scenario {
            grid,
            pf,
            prep,
            ex,
            lanes,
            imports,
            reserve_mw,
            index,
            rest,
            inside,
            border,
            link_border,
        })
    }

    /// Simulates one year with the monthly water `hydro` and the demand of
    /// growth year `growth_years`; `keep_hours` keeps the hourly rows.
    pub(super) fn year(
        &self,
        hydro: &HydroResults,
        growth_years: u32,
        labels: (&str, &str),
        keep_hours: bool,
    ) -> Result<YearOut> {
        let fixed = self.fixed_injections(hydro)?;
        let s = schedule(
            self.grid,
            &self.ex,
            hydro,
            growth_years,
            self.exporter_fixed(&fixed),
        )?;
        let rest = self.rest.year(self.grid, growth_years);
        let rest_fixed: Vec<f64> = fixed.iter().map(|f| self.rest.fixed_mw(f)).collect();
        let n_bus = self.grid.network().buses.len();
        let mut trade = Trade::new(self.lanes.len(), self.imports.len());
        let clock = Instant::now();
        let sources = self.sources(&s)?;
        let columns = self.columns(&sources)?;
        trade.dc += clock.elapsed();
        let setup = FinalFlowsSetup {
            rates: self
                .grid
                .network()
                .branches
                .iter()
                .map(|b| b.in_service.then_some(b.rate_a_mva))
                .collect(),
            border: &self.border,
            min_factor: self.prep.min_factor(),
        };
        let mut fin = FlowStats::new(setup.rates.len());
        let mut flows = vec![0.0; self.grid.network().branches.len()];
        let mut p = DMatrix::<f64>::zeros(n_bus, CHUNK_HOURS);
        let mut base: Option<DcSeries> = None;
        // A chunk of hours at a time, in order (season caps carry over):
        // the base state (no exports; deficits imported, then unserved),
        // its flows, the exports offered hour by hour on them, then the
        // final flows reduced as they are solved. Only the chunk's
        // injections and base flows are ever held.
        for first in (0..HOURS_PER_YEAR).step_by(CHUNK_HOURS) {
            let width = CHUNK_HOURS.min(HOURS_PER_YEAR - first);
            if p.ncols() != width {
                p = DMatrix::zeros(n_bus, width);
            }
            for c in 0..width {
                let (h, month) = (first + c, month_of(first + c));
                let mut col = p.column_mut(c);
                let col = col.as_mut_slice();
                self.base_hour(&s, h, month, &fixed[month.index()], &mut trade, col)?;
                self.rest.add_hour(&rest, h, rest_fixed[month.index()], col);
            }
            let clock = Instant::now();
            let base = match &mut base {
                Some(b) if b.pf_mw.ncols() == width => {
                    self.pf.solve_many_into(&p, b)?;
                    b
                }
                slot => slot.insert(self.pf.solve_many(&p)?),
            };
            for c in 0..width {
                let (h, month) = (first + c, month_of(first + c));
                flows.copy_from_slice(base.pf_mw.column(c).as_slice());
                let column = &columns[month.index()];
                self.export_hour(&s, h, month, column, &mut flows, &mut trade);
                let mut col = p.column_mut(c);
                self.add_exports(h, &sources[month.index()], &trade, col.as_mut_slice())?;
            }
            let exports: Vec<f64> = (first..first + width)
                .map(|h| trade.exports.iter().map(|e| e[h]).sum())
                .collect();
            let reduced = self
                .pf
                .reduce_many(&p, FinalFlows::new(&setup, &base.pf_mw, &exports, first))?;
            fin.merge(reduced.stats);
            trade.dc += clock.elapsed();
        }
        let mut out = self.summarise(&s, hydro, &trade, fin, labels, keep_hours);
        out.binding_outages = trade.binding.iter().map(|&(_, b, o)| (b, o)).collect();
        out.dc_seconds = trade.dc.as_secs_f64();
        Ok(out)
    }

    /// Per month: injections of everything but the loads, the exporter's
    /// generators and the balancing plants that follow the rest of the
    /// system (neighbours' other plants at their month, shunts), MW.
    fn fixed_injections(&self, hydro: &HydroResults) -> Result<Vec<Vec<f64>>> {
        let mut out = Vec::with_capacity(12);
        for month in Month::ALL {
            let mut net = self.grid.snapshot(month, hydro)?;
            for b in &mut net.buses {
                b.pd_mw = 0.0;
            }
            for &g in self.ex.gens.iter().chain(&self.rest.plants) {
                net.generators[g].pg_mw = 0.0;
            }
            out.push(self.pf.model().injections_of(&net)?);
        }
        Ok(out)
    }

    /// What the exporter's fixed injections (shunts, negative loads)
    /// withdraw per month, MW, from the fixed injections by month: part of
    /// its load, which its own plants cover.
    fn exporter_fixed(&self, fixed: &[Vec<f64>]) -> [f64; 12] {
        std::array::from_fn(|m| {
            -fixed[m]
                .iter()
                .zip(&self.inside)
                .filter(|(_, i)| **i)
                .map(|(p, _)| p)
                .sum::<f64>()
        })
    }

    /// [`Scenario::exporter_fixed`] of the year's water `hydro`.
    fn exporter_fixed_mw(&self, hydro: &HydroResults) -> Result<[f64; 12]> {
        Ok(self.exporter_fixed(&self.fixed_injections(hydro)?))
    }

    /// The firm exports of `month`, MW, all lanes.
    fn firm_mw(&self, month: Month) -> f64 {
        self.lanes
            .iter()
            .map(|l| l.firm[month.index()].max(0.0))
            .sum()
    }

    /// What the import corridors can bring in `month`, MW, all of them.
    fn import_capacity_mw(&self, month: Month) -> f64 {
        self.imports
            .iter()
            .map(|&lane| {
                let corridor = &self.grid.corridors()[self.lanes[lane].corridor];
                corridor.trade.imports_in(month)
            })
            .sum()
    }

    /// The base state of hour `h` into `p` (bus order): exporter load and
    /// generation balanced (a surplus backed down, a deficit imported as
    /// far as the import corridors allow, the rest shed).
    fn base_hour(
        &self,
        s: &Schedule,
        h: usize,
        month: Month,
        fixed: &[f64],
        trade: &mut Trade,
        p: &mut [f64],
    ) -> Result<()> {
        p.copy_from_slice(fixed);
        let load = s.load_mw[h];
        let sheddable = load - s.fixed_load_mw[month.index()];
        // Firm exports first: withdrawn at their far ends whatever the
        // exporter has; a shortfall is covered like its own load's.
        let mut firm = 0.0;
        for (k, lane) in self.lanes.iter().enumerate() {
            let mw = lane.firm[month.index()];
            if mw > 0.0 {
                trade.exports[k][h] = mw;
                trade.season_mwh[k] += mw;
                trade.stats[k][month.index()].hours += 1;
                firm += mw;
                for &(i, w) in &lane.sink {
                    p[i] -= mw * w;
                }
            }
        }
        let generation = s.hydro_mw[h] + s.other_mw[h];
        let surplus = generation - load - firm;
        let mut scale_gen = 1.0;
        let mut unserved = 0.0;
        if surplus >= 0.0 {
            scale_gen = if generation > 0.0 {
                (load + firm) / generation
            } else {
                0.0
            };
        } else {
            let mut deficit = -surplus;
            for (k, &lane) in self.imports.iter().enumerate() {
                let lane = &self.lanes[lane];
                let corridor = &self.grid.corridors()[lane.corridor];
                let mw = corridor.trade.imports_in(month).min(deficit);
                trade.imports[k][h] = mw;
                deficit -= mw;
                for &(i, w) in &lane.sink {
                    p[i] += mw * w;
                }
            }
            // Rationing falls on the exporter's own loads, not the firm
            // exports nor what its shunts take.
            unserved = deficit.max(0.0).min(sheddable);
        }
        trade.unserved[h] = unserved;
        let served = if sheddable > 0.0 {
            1.0 - unserved / sheddable
        } else {
            1.0
        };
        for (k, &g) in self.ex.gens.iter().enumerate() {
            let bus = self.grid.plants()[g].bus;
            let i = self.position(bus)?;
            p[i] += s.gen_mw[k][h] * scale_gen;
        }
        for (k, &l) in self.ex.loads.iter().enumerate() {
            for share in &self.grid.demand().loads()[l].buses {
                let i = self.position(share.bus)?;
                p[i] -= s.load_by_load[k][h] * share.share * served;
            }
        }
        Ok(())
    }

    fn position(&self, bus: u64) -> Result<usize> {
        self.index.position(bus).ok_or_else(|| Error::UnknownBus {
            element: "hourly study".into(),
            bus,
        })
    }

    /// Per month: the exporter's source zone for exports, its hydro
    /// plants weighted by their mean headroom (by capacity if none has
    /// any); an exporter without hydro plants exports from its other
    /// plants, weighted by their mean output in the month (what the base
    /// state backs down).
    fn sources(&self, s: &Schedule) -> Result<Vec<Vec<(usize, f64)>>> {
        let hydro = (0..self.ex.gens.len()).any(|k| self.ex.is_hydro(k));
        let mut out = Vec::with_capacity(12);
        for month in Month::ALL {
            let hours = month.first_hour()..month.first_hour() + month.hours() as usize;
            let mut w: Vec<(usize, f64)> = Vec::new();
            let mut cap: Vec<(usize, f64)> = Vec::new();
            for (k, &g) in self.ex.gens.iter().enumerate() {
                if self.ex.is_hydro(k) != hydro {
                    continue;
                }
                let plant = &self.grid.plants()[g];
                let mean: f64 = hours.clone().map(|h| s.gen_mw[k][h]).sum::<f64>() / month.hours();
                let i = self.position(plant.bus)?;
                match hydro {
                    true => w.push((i, (plant.available_mw - mean).max(0.0))),
                    false => w.push((i, mean.max(0.0))),
                }
                cap.push((i, plant.available_mw));
            }
            let total: f64 = w.iter().map(|x| x.1).sum();
            let (w, total) = if total > EPS_MW {
                (w, total)
            } else {
                let t = cap.iter().map(|x| x.1).sum();
                (cap, t)
            };
            if total.is_nan() || total <= 0.0 {
                return Err(Error::InvalidValue {
                    element: "exporter".into(),
                    field: "capacity".into(),
                    value: total,
                    expected: "plants with capacity to export from".into(),
                });
            }
            out.push(merge(w.into_iter().map(|(i, x)| (i, x / total)).collect()));
        }
        Ok(out)
    }

    /// Per month and lane: the transfer's PTDF column, or `None` when the
    /// corridor's far end is cut off from the source (an outage that
    /// islands it: the corridor can carry nothing).
    fn columns(&self, sources: &[Vec<(usize, f64)>]) -> Result<Vec<Vec<Option<ScreenedColumn>>>> {
        let ids = self.index.ids();
        sources
            .iter()
            .map(|src| {
                self.lanes
                    .iter()
                    .map(|l| {
                        // The exporter's zone, and the partner's bus for its
                        // share of every MW.
                        let own = l.own_share();
                        let mut shares: Vec<(u64, f64)> =
                            src.iter().map(|&(i, w)| (ids[i], w * own)).collect();
                        if let Some((pos, share, _)) = l.partner {
                            shares.push((ids[pos], share));
                        }
                        let zone = Zone::with_shares(&shares)?;
                        match self.prep.connects(&zone, &l.sink_zone) {
                            true => {
                                let t = self.prep.transfer_column(&zone, &l.sink_zone)?;
                                Ok(Some(self.prep.screen_column(t)))
                            }
                            false => Ok(None),
                        }
                    })
                    .collect()
            })
            .collect()
    }

    /// Offers hour `h`'s surplus to the lanes, best price first.
    fn export_hour(
        &self,
        s: &Schedule,
        h: usize,
        month: Month,
        columns: &[Option<ScreenedColumn>],
        flows: &mut [f64],
        trade: &mut Trade,
    ) {
        let load = s.load_mw[h];
        let firm: f64 = self.lanes.iter().map(|l| l.firm[month.index()]).sum();
        let surplus = s.hydro_mw[h] + s.other_mw[h] - load - firm;
        // Exporting x backs down (surplus − x) from the schedule; the
        // regulated plants' headroom must still hold the reserve.
        let headroom = self.ex.regulated_mw - s.regulated_mw[h];
        let mut left = surplus.min(headroom + surplus - self.reserve_mw).max(0.0);
        if surplus <= 0.0 {
            left = 0.0;
        }
        for (k, lane) in self.lanes.iter().enumerate() {
            let corridor = &self.grid.corridors()[lane.corridor];
            if !corridor.exports_in(month) {
                continue;
            }
            let season_left = corridor.trade.season_cap_gwh.map_or(f64::INFINITY, |cap| {
                (cap * 1000.0 - trade.season_mwh[k]).max(0.0)
            });
            // What the firm export already took of the capacity and appetite.
            let firm_k = lane.firm[month.index()];
            let appetite = (corridor.trade.appetite_in(month) - firm_k).min(season_left);
            let capacity = lane.capacity_mw - firm_k;
            let stat = &mut trade.stats[k][month.index()];
            if left <= EPS_MW {
                stat.no_surplus += 1;
                continue;
            }
            // The exporter gives its own share of every MW; a partner gives
            // the rest, up to what it has this month.
            let own = lane.own_share();
            let partner_cap = lane.partner.map_or(f64::INFINITY, |(_, share, avail)| {
                avail[month.index()] / share
            });
            let want = (left / own).min(capacity).min(appetite).min(partner_cap);
            let Some(column) = &columns[k] else {
                // Cut off from the exporter: nothing can flow.
                stat.at_network += 1;
                continue;
            };
            let limit = if want > EPS_MW {
                self.prep.tightest_screened(flows, column)
            } else {
                None
            };
            let network = limit.as_ref().map_or(f64::INFINITY, |b| b.transfer_mw);
            let x = want.min(network).max(0.0);
            match () {
                _ if left / own
                    <= capacity.min(appetite).min(network).min(partner_cap) + EPS_MW => {}
                _ if partner_cap < capacity.min(appetite).min(network) - EPS_MW => {
                    stat.at_appetite += 1;
                }
                _ if network < capacity.min(appetite) - EPS_MW => {
                    stat.at_network += 1;
                    let this_hour = |e: &&(usize, usize, Option<usize>)| e.0 == h;
                    if let Some(b) = &limit
                        && !trade
                            .binding
                            .iter()
                            .rev()
                            .take_while(this_hour)
                            .any(|e| e.1 == b.branch)
                    {
                        trade.binding.push((h, b.branch, b.outage));
                    }
                }
                _ if appetite < capacity - EPS_MW => stat.at_appetite += 1,
                _ => stat.at_capacity += 1,
            }
            if x > EPS_MW {
                if firm_k == 0.0 {
                    stat.hours += 1;
                }
                for (f, t) in flows.iter_mut().zip(column.column()) {
                    *f += x * t;
                }
                trade.exports[k][h] += x;
                trade.season_mwh[k] += x;
                left -= x * own;
            }
        }
    }

    /// Adds hour `h`'s exports to its injections: the source zone up, the
    /// far end down or the links' set-points.
    fn add_exports(
        &self,
        h: usize,
        source: &[(usize, f64)],
        trade: &Trade,
        p: &mut [f64],
    ) -> Result<()> {
        let links = &self.grid.network().hvdc_links;
        let month = month_of(h);
        for (k, lane) in self.lanes.iter().enumerate() {
            // The firm part is in the base state already.
            let x = trade.exports[k][h] - lane.firm[month.index()];
            if x <= 0.0 {
                continue;
            }
            let own = lane.own_share();
            for &(i, w) in source {
                p[i] += x * own * w;
            }
            if let Some((pos, share, _)) = lane.partner {
                p[pos] += x * share;
            }
            if lane.links.is_empty() {
                for &(i, w) in &lane.sink {
                    p[i] -= x * w;
                }
            } else {
                let each = x / lane.links.len() as f64;
                for &l in &lane.links {
                    let link = &links[l];
                    let (at_from, at_to) = link.end_injections_mw(each)?;
                    p[self.position(link.from)?] += at_from;
                    p[self.position(link.to)?] += at_to;
                }
            }
        }
        Ok(())
    }
}

fn month_of(h: usize) -> Month {
    Month::from_hour_of_year(h).unwrap_or(Month::Dec)
}

/// Shares of the same position added together, in first-seen order.
fn merge(w: Vec<(usize, f64)>) -> Vec<(usize, f64)> {
    let mut out: Vec<(usize, f64)> = Vec::with_capacity(w.len());
    for (i, x) in w {
        match out.iter_mut().find(|(o, _)| *o == i) {
            Some(e) => e.1 += x,
            None => out.push((i, x)),
        }
    }
    out
}
