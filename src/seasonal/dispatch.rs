//! One scenario's months: balance, base state, merit-order dispatch within
//! transfer capability, and the DC check (method in the module docs).
//!
//! The topology is fixed for a scenario, so it is factorised once
//! ([`ScenarioCtx::new`]) and its outage sensitivities prepared once
//! ([`PreparedTransfer`]); each month only computes its injections and
//! solves.
//!
//! ```
//! use landlinked::seasonal::{Hydrology, Limit, Scenario, SeasonalStudy};
//! let r = SeasonalStudy::run("grids/central_asia/central_asia.toml",
//!                            &[Scenario::new("wet", "casa", Hydrology::Wet)])?;
//! for m in &r.months {
//!     // Exports never exceed the surplus, and leave across the exporter's border.
//!     assert!(m.exports_mw <= m.surplus_mw.max(0.0) + 1e-6);
//!     assert!((m.border_flow_mw - (m.exports_mw - m.deficit_gwh * 1e3 / m.hours)).abs() < 1e-3);
//! }
//! assert!(r.corridors.iter().filter(|c| c.limit == Limit::Season).all(|c| c.export_mw == 0.0));
//! # Ok::<(), landlinked::Error>(())
//! ```

use super::{CorridorExport, Limit, MonthResult, Scenario, StudySettings};
use crate::calendar::Month;
use crate::dc::{DcPowerFlow, DcState, add_link_injections};
use crate::demand::MonthlyEnergy;
use crate::error::{Error, Result};
use crate::hydro::HydroResults;
use crate::network::Network;
use crate::region::{Corridor, GridSource, PlantType, RegionalGrid};
use crate::sensitivity::{PreparedTransfer, Zone};

/// Tolerance (MW): exports below it count as none, and limits closer than
/// it count as equal when naming the binding one (surplus, then capacity).
const EPS_MW: f64 = 1e-6;

/// A built scenario: grid with outages, its one factorisation, hydro
/// simulation, corridor order.
pub(super) struct ScenarioCtx<'a> {
    scenario: &'a Scenario,
    settings: &'a StudySettings,
    grid: RegionalGrid,
    pf: DcPowerFlow,
    hydro: HydroResults,
    /// Exporter corridors (positions in `grid.corridors`), merit order.
    order: Vec<usize>,
    /// Exporter generators (positions in `network.generators`).
    gens: Vec<usize>,
    /// The exporter's country code.
    country: String,
}

/// The state being dispatched: injections without links, link set-points.
struct State {
    p_mw: Vec<f64>,
    setpoints_mw: Vec<f64>,
}

impl<'a> ScenarioCtx<'a> {
    pub(super) fn new<S: GridSource + ?Sized>(
        source: &S,
        scenario: &'a Scenario,
        settings: &'a StudySettings,
        merit: &[String],
    ) -> Result<ScenarioCtx<'a>> {
        let grid = scenario.grid(source)?;
        if let Some(p) = grid
            .plants()
            .iter()
            .find(|p| p.kind == PlantType::Balancing)
        {
            return Err(Error::Invalid {
                message: format!(
                    "grid `{}`: the monthly study does not model balancing plants (`{}`: a \
                     MATPOWER case's generator); run the hourly study on it",
                    grid.name(),
                    p.name
                ),
            });
        }
        let country = grid.exporter_for(settings.exporter.as_deref())?;
        let hydro = grid.simulate_hydro(scenario.hydrology.inflow_factor())?;
        let gens = (0..grid.plants().len())
            .filter(|&i| {
                let p = &grid.plants()[i];
                p.country == country && p.kind != PlantType::Equivalent
            })
            .collect();
        let order = merit_order(grid.corridors(), &country, merit);
        let pf = DcPowerFlow::new(grid.network())?;
        Ok(ScenarioCtx {
            scenario,
            settings,
            grid,
            pf,
            hydro,
            order,
            gens,
            country,
        })
    }

    /// The outage sensitivities of the scenario's topology, for every month.
    pub(super) fn prepare(&self) -> Result<PreparedTransfer<'_>> {
        let transfer = self.settings.transfer;
        crate::hourly::outages::prepare(&self.grid, &self.pf, &self.country, transfer)
    }

    /// Balance, dispatch and DC check of one month.
    pub(super) fn month(
        &self,
        month: Month,
        prep: &PreparedTransfer,
    ) -> Result<(MonthResult, Vec<CorridorExport>)> {
        let mut row = self.balance(month);
        let mut net = self.grid.snapshot(month, &self.hydro)?;
        self.exporter_loads(&mut net, month)?;
        let source = self.base_state(&mut net, row.load_gwh * 1000.0 / row.hours)?;
        let pf = &self.pf;
        let mut state = State {
            p_mw: pf.model().injections_of(&net)?,
            setpoints_mw: vec![0.0; net.hvdc_links.len()],
        };
        let mut remaining = row.surplus_mw.max(0.0);
        let mut rows = Vec::with_capacity(self.order.len());
        for (merit, &c) in self.order.iter().enumerate() {
            let corridor = &self.grid.corridors()[c];
            let r = self.dispatch(&net, prep, &mut state, corridor, month, remaining, &source)?;
            remaining = (remaining - r.export_mw).max(0.0);
            rows.push(CorridorExport { merit, ..r });
        }
        let st = solve(&net, pf, &state)?;
        for (r, &c) in rows.iter_mut().zip(&self.order) {
            r.dc_flow_mw = self.grid.corridors()[c].flow_mw(&st.pf_mw, &state.setpoints_mw)?;
        }
        row.exports_mw = rows.iter().map(|r| r.export_mw).sum();
        row.exports_gwh = row.exports_mw * row.hours / 1000.0;
        row.unused_gwh = (row.surplus_gwh.max(0.0) - row.exports_gwh).max(0.0);
        self.check(&net, &st, &state, &mut row);
        Ok((row, rows))
    }

    /// The exporter's energy balance in `month` (exports filled in later).
    fn balance(&self, month: Month) -> MonthResult {
        let country = self.country.as_str();
        let b = self.grid.monthly_balance(country, &self.hydro)[month.index()];
        let load_gwh: f64 = self
            .grid
            .demand()
            .monthly_energy_gwh(self.scenario.demand_growth_years)
            .iter()
            .filter(|e| e.month == month && self.load_country(&e.load) == Some(country))
            .map(|e| e.energy_gwh)
            .sum();
        let surplus_gwh = b.generation_gwh - load_gwh;
        MonthResult {
            scenario: self.scenario.name.clone(),
            month,
            hours: month.hours(),
            hydro_gwh: b.hydro_gwh,
            other_gwh: b.other_gwh,
            generation_gwh: b.generation_gwh,
            load_gwh,
            surplus_gwh,
            surplus_mw: surplus_gwh * 1000.0 / month.hours(),
            exports_mw: 0.0,
            exports_gwh: 0.0,
            unused_gwh: 0.0,
            deficit_gwh: (-surplus_gwh).max(0.0),
            border_flow_mw: 0.0,
            max_loading_pct: 0.0,
            most_loaded_branch: String::new(),
            overloaded_branches: 0,
        }
    }

    fn load_country(&self, load: &str) -> Option<&str> {
        self.grid.load_country(load)
    }

    /// Sets bus loads to the exporter's loads at their monthly mean in the
    /// scenario's growth year; neighbours' loads are left out (their
    /// demand is what the exports serve, at the corridors' far ends).
    fn exporter_loads(&self, net: &mut Network, month: Month) -> Result<()> {
        let index = net.bus_index()?;
        for b in &mut net.buses {
            b.pd_mw = 0.0;
        }
        let years = self.scenario.demand_growth_years;
        let energies = self.grid.demand().monthly_energy_gwh(years);
        let country = Some(self.country.as_str());
        let ours = |e: &&MonthlyEnergy| e.month == month && self.load_country(&e.load) == country;
        for e in energies.iter().filter(ours) {
            let load = self.grid.demand().loads().iter().find(|l| l.name == e.load);
            for s in load.iter().flat_map(|l| &l.buses) {
                if let Some(i) = index.position(s.bus) {
                    net.buses[i].pd_mw += e.energy_gwh * 1000.0 / month.hours() * s.share;
                }
            }
        }
        Ok(())
    }

    /// Scales the exporter's generators down to its load in a surplus month;
    /// returns the source zone of exports (generators by unused output),
    /// `None` without a surplus.
    fn base_state(&self, net: &mut Network, load_mw: f64) -> Result<Option<Zone>> {
        let available: f64 = self.gens.iter().map(|&g| net.generators[g].pg_mw).sum();
        if available <= load_mw || available <= 0.0 {
            return Ok(None);
        }
        let scale = load_mw / available;
        let mut weights: Vec<(u64, f64)> = Vec::new();
        for &g in &self.gens {
            let generator = &mut net.generators[g];
            let spare = generator.pg_mw * (1.0 - scale);
            generator.pg_mw *= scale;
            match weights.iter_mut().find(|(b, _)| *b == generator.bus) {
                Some(w) => w.1 += spare,
                None => weights.push((generator.bus, spare)),
            }
        }
        Zone::with_shares(&weights).map(Some)
    }

    /// Dispatches one corridor on the current state and adds its export.
    #[allow(clippy::too_many_arguments)]
    fn dispatch(
        &self,
        net: &Network,
        prep: &PreparedTransfer,
        state: &mut State,
        corridor: &Corridor,
        month: Month,
        remaining_mw: f64,
        source: &Option<Zone>,
    ) -> Result<CorridorExport> {
        let capacity_mw = corridor.capacity_in_mw(net);
        let mut row = CorridorExport {
            scenario: self.scenario.name.clone(),
            month,
            corridor: corridor.name.clone(),
            importer: corridor.importer.clone(),
            merit: 0,
            export_mw: 0.0,
            export_gwh: 0.0,
            capacity_mw,
            transfer_limit_mw: None,
            limit: Limit::Season,
            dc_flow_mw: 0.0,
        };
        if !corridor.exports_in(month) {
            return Ok(row);
        }
        let Some(source) = source.as_ref().filter(|_| remaining_mw > EPS_MW) else {
            row.limit = Limit::Surplus;
            return Ok(row);
        };
        let sink = self.far_end(net, corridor)?;
        let flows = solve(net, &self.pf, state)?.pf_mw;
        let tc = prep.capability(&flows, source, &sink)?;
        let binding = tc.binding();
        row.transfer_limit_mw = binding.map(|b| b.transfer_mw);
        let network_mw = row.transfer_limit_mw.unwrap_or(f64::INFINITY);
        let export_mw = remaining_mw.min(capacity_mw).min(network_mw).max(0.0);
        row.limit = match binding {
            _ if remaining_mw <= capacity_mw.min(network_mw) + EPS_MW => Limit::Surplus,
            Some(b) if network_mw < capacity_mw - EPS_MW => Limit::Network {
                branch: self.grid.branch_label(b.branch),
                outage: b.outage.map(|k| self.grid.branch_label(k)),
            },
            _ => Limit::CorridorCapacity,
        };
        row.export_mw = export_mw;
        row.export_gwh = export_mw * month.hours() / 1000.0;
        add_export(net, state, corridor, source, &sink, export_mw)?;
        Ok(row)
    }

    /// Where an export over `corridor` leaves the AC system.
    fn far_end(&self, net: &Network, corridor: &Corridor) -> Result<Zone> {
        Zone::equal(&corridor.far_end_buses(net)).map_err(|_| Error::InvalidValue {
            element: format!("corridor `{}`", corridor.name),
            field: "branches".into(),
            value: 0.0,
            expected: "a corridor with at least one branch or link".into(),
        })
    }

    /// Border flow, loadings and overloads of the dispatched state.
    fn check(&self, net: &Network, st: &DcState, state: &State, row: &mut MonthResult) {
        let country = self.country.as_str();
        let inside = |bus: u64| {
            let info = self.grid.buses().iter().find(|b| b.id == bus);
            info.is_some_and(|b| b.country == country && !b.dc)
        };
        let mut border = 0.0;
        for (br, f) in net.branches.iter().zip(&st.pf_mw) {
            match (inside(br.from), inside(br.to)) {
                (true, false) => border += f,
                (false, true) => border -= f,
                _ => {}
            }
        }
        for (l, p) in net.hvdc_links.iter().zip(&state.setpoints_mw) {
            match (inside(l.from), inside(l.to)) {
                (true, false) => border += p,
                (false, true) => border -= p,
                _ => {}
            }
        }
        row.border_flow_mw = border;
        let loadings = net.branches.iter().enumerate().zip(&st.pf_mw);
        let rated = loadings.filter(|((_, br), _)| br.in_service && br.rate_a_mva > 0.0);
        for ((k, br), f) in rated {
            let pct = 100.0 * f.abs() / br.rate_a_mva;
            if pct > 100.0 + 1e-6 {
                row.overloaded_branches += 1;
            }
            if pct > row.max_loading_pct {
                row.max_loading_pct = pct;
                row.most_loaded_branch = self.grid.branch_label(k);
            }
        }
    }
}

/// DC power flow of a state (links added as injections).
fn solve(net: &Network, pf: &DcPowerFlow, state: &State) -> Result<DcState> {
    let mut p = state.p_mw.clone();
    add_link_injections(net, &state.setpoints_mw, &mut p)?;
    pf.solve_injections(&p)
}

/// Adds `export_mw` from `source` to `sink`, over the corridor's links
/// (equal shares) if it has any.
fn add_export(
    net: &Network,
    state: &mut State,
    corridor: &Corridor,
    source: &Zone,
    sink: &Zone,
    export_mw: f64,
) -> Result<()> {
    let index = net.bus_index()?;
    let mut add = |zone: &Zone, sign: f64| {
        for &(bus, share) in zone.shares() {
            if let Some(i) = index.position(bus) {
                state.p_mw[i] += sign * export_mw * share;
            }
        }
    };
    add(source, 1.0);
    let links: Vec<usize> = corridor.links.clone();
    if links.is_empty() {
        add(sink, -1.0);
    } else {
        for &l in &links {
            if let Some(p) = state.setpoints_mw.get_mut(l) {
                *p += export_mw / links.len() as f64;
            }
        }
    }
    Ok(())
}

/// Exporter corridors: the named ones in merit order, then the rest in
/// file order.
fn merit_order(corridors: &[Corridor], exporter: &str, merit: &[String]) -> Vec<usize> {
    let ours: Vec<usize> = (0..corridors.len())
        .filter(|&i| corridors[i].exporter == exporter)
        .collect();
    let rank = |i: &usize| {
        let name = &corridors[*i].name;
        let pos = merit.iter().position(|n| n == name);
        (pos.unwrap_or(usize::MAX), *i)
    };
    let mut order = ours;
    order.sort_by_key(rank);
    order
}
