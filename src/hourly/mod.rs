//! The hourly, chronological export study: every hour of many
//! hydrological years through the DC core.
//!
//! For each scenario (a stage, options, demand growth, outages) the
//! network is factorised once and its outage sensitivities prepared once
//! ([`PreparedTransfer`](crate::sensitivity::PreparedTransfer)), over
//! every branch or over the grid's contingency list
//! ([`Contingencies`](crate::region::Contingencies), [`contingency_list`]);
//! then each year of water runs 8,760 hours:
//!
//! 1. **Water**: the cascade's monthly balance with the year's inflows
//!    (the named year of the scenario's [`Hydrology`](crate::seasonal::Hydrology), and `years` seeded
//!    stochastic years chained so that storage carries over: a run of dry
//!    years drains the reservoirs). In the months of
//!    [`HourlySettings::hedge_months`] (May to September by default) a
//!    filling reservoir of the exporter fills less rather than let the
//!    exporter's own load go unserved in that month's hours (demand before
//!    filling: the month's target is lowered by the water the shortfall
//!    needs, never below the storage it starts the month with).
//! 2. **Hours before trade**: the exporter's loads by hour (their monthly
//!    energy shaped by day and week, plus what its shunts take), its
//!    thermal, small hydro and balancing plants flat, its storage plants
//!    (and the run-of-river plants they feed)
//!    shaving the net load's peaks with the month's water (see
//!    `schedule`).
//! 3. **Reserve**: the regulated plants' headroom keeps an operating
//!    reserve (default: the largest unit of the exporter's hydro plants,
//!    [`HourlySettings::reserve_mw`]); exports come only out of what is left.
//! 4. **Deficit hours** import up to each import corridor's capacity in
//!    its months (cheapest first); the rest is unserved energy. Nothing is
//!    imported silently.
//! 5. **Base flows**: the hours' injections through
//!    [`DcPowerFlow::solve_many`](crate::dc::DcPowerFlow::solve_many), 256
//!    hours at a time (the year is solved and traded in such chunks, in
//!    order, so it never holds more than their injections and flows: about
//!    70 MB on a 10,000-bus grid).
//! 6. **Exports**: each surplus hour is offered to the corridors open that
//!    month, best net price first (price less transit fee), each up to the
//!    smallest of what is left, its capacity, the importer's appetite (and
//!    season energy cap) and the N-1 transfer capability of that hour's
//!    state from the exporter's hydro plants (weighted by the month's mean
//!    headroom; without hydro, its other plants by their output) to the
//!    corridor's far end; the branch and outage that bind are recorded.
//! 7. **Flows of the traded hours**, reduced as they are solved
//!    ([`DcPowerFlow::reduce_many`](crate::dc::DcPowerFlow::reduce_many)):
//!    branch loadings (maximum, hours above 80 % and 100 %), and the
//!    exporter's border flow, which equals its net exports in every hour.
//!
//! As in the monthly study, neighbours' loads are left out of the state
//! (their demand is what the exports serve, at the corridors' far ends) and
//! their plants run at their monthly schedule; each island's reference
//! generator balances it. A grid on a MATPOWER case (its generators are
//! [`Balancing`](crate::region::PlantType::Balancing) plants) keeps the
//! other countries' loads in every hour instead, and its balancing plants
//! outside the exporter follow them (see `rest`: each country takes its own
//! load swings, the case's interchange between them holds). Scenarios run
//! in parallel (rayon); every result is the same at any thread count and
//! for the same seed.
//!
//! ```
//! use landlinked::hourly::{HourlySettings, HourlyStudy};
//! use landlinked::seasonal::{Hydrology, Scenario};
//! let study = HourlyStudy { settings: HourlySettings { years: 1, ..Default::default() } };
//! let r = study.run("grids/central_asia/central_asia.toml",
//!     &[Scenario::new("2022", "2022", Hydrology::Normal)], |_| {})?;
//! // the named year and one stochastic year, 12 months each
//! assert_eq!(r.balance.len(), 24);
//! let jul = r.balance.iter().find(|b| b.year == "normal" && b.month == landlinked::calendar::Month::Jul).unwrap();
//! assert!(jul.exports_gwh > 0.0);
//! # Ok::<(), landlinked::Error>(())
//! ```

mod fused;
pub(crate) mod outages;
mod parts;
mod rest;
mod results;
mod schedule;
mod year;

pub use parts::YearsPart;
pub use results::{BalanceMonth, Congestion, CorridorMonth, HourRow, Percentile};

use rayon::prelude::*;

use crate::calendar::Month;
use crate::dc::DcPowerFlow;
use crate::error::{Error, Result};
use crate::hydro::{HydroResults, InflowSpread, LateralInflow, RuleCurve};
use crate::region::{GridSource, RegionalGrid};
use crate::seasonal::Scenario;
use crate::sensitivity::TransferSettings;

/// Tuning of the hourly study.
///
/// ```
/// let s = landlinked::hourly::HourlySettings::default();
/// assert_eq!((s.exporter, s.years), (None, 30)); // the grid's exporter
/// assert!(s.reserve_mw.is_none()); // the largest unit
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct HourlySettings {
    /// Country code of the exporter; `None`: the grid's
    /// ([`RegionalGrid::exporter`], `[grid] exporter` in a grid file).
    pub exporter: Option<String>,
    /// Stochastic years per scenario (besides its named year).
    pub years: usize,
    /// Seed of the inflow generator: the same seed gives the same years.
    pub seed: u64,
    /// Spread of the stochastic inflows.
    pub spread: InflowSpread,
    /// Operating reserve held on the hydro headroom, MW (`None`: the
    /// exporter's largest hydro unit).
    pub reserve_mw: Option<f64>,
    /// Transfer capability settings (N-1 on by default).
    pub transfer: TransferSettings,
    /// Keep the hourly rows of this scenario and year (`"normal"`, `"3"`).
    pub hourly: Option<(String, String)>,
    /// Months in which the exporter's reservoirs fill less rather than
    /// let its own load go unserved (demand before filling; see
    /// `year::hedge`): in each of these months, in calendar order, a
    /// reservoir whose rule-curve target rises lowers that month's target
    /// by the water the month's shortfall needs, never below the storage
    /// it starts the month with. Default May to September, the Vakhsh
    /// reservoirs' filling season; empty: the rule curves strictly. The
    /// winter is left out by default: Kairakkum fills then for the
    /// summer's irrigation, water that is not the power system's to take.
    pub hedge_months: Vec<Month>,
}

impl Default for HourlySettings {
    fn default() -> HourlySettings {
        HourlySettings {
            exporter: None,
            years: 30,
            seed: 2022,
            spread: InflowSpread::default(),
            reserve_mw: None,
            transfer: TransferSettings::default(),
            hourly: None,
            hedge_months: vec![Month::May, Month::Jun, Month::Jul, Month::Aug, Month::Sep],
        }
    }
}

/// Where a study is: called after every scenario-year (from any thread).
///
/// ```
/// let p = landlinked::hourly::HourlyProgress { scenario: "s".into(), year: "1".into(), done: 1, total: 31 };
/// assert!(p.done <= p.total);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct HourlyProgress {
    /// Scenario just computed.
    pub scenario: String,
    /// Year just computed.
    pub year: String,
    /// Years of this scenario done (years run in parallel, so they may
    /// finish out of order).
    pub done: usize,
    /// Years of this scenario in all (its named year and the stochastic
    /// ones).
    pub total: usize,
}

/// Every table of an hourly study, rows in scenario, year, month order.
///
/// ```
/// # use landlinked::hourly::{HourlySettings, HourlyStudy};
/// # use landlinked::seasonal::{Hydrology, Scenario};
/// # let study = HourlyStudy { settings: HourlySettings { years: 0, ..Default::default() } };
/// let r = study.run("grids/central_asia/central_asia.toml",
///     &[Scenario::new("s", "2022", Hydrology::Normal)], |_| {})?;
/// assert!(r.annual_exports_gwh("s", "normal") > 0.0);
/// # Ok::<(), landlinked::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HourlyResults {
    /// One row per scenario, year, month and exporter corridor.
    pub corridors: Vec<CorridorMonth>,
    /// One row per scenario, year and month.
    pub balance: Vec<BalanceMonth>,
    /// P10/P50/P90 over the stochastic years.
    pub percentiles: Vec<Percentile>,
    /// One row per scenario and rated in-service branch.
    pub congestion: Vec<Congestion>,
    /// The hours kept ([`HourlySettings::hourly`]).
    pub hours: Vec<HourRow>,
    /// Per scenario and corridor: hourly exports of every year, sorted
    /// from the highest (a duration curve), MW.
    pub duration_curves: Vec<(String, String, Vec<f32>)>,
    /// Time spent in the DC core and the sensitivities (factorisation,
    /// outage factors, `solve_many`, transfer limits), summed over
    /// threads, seconds.
    pub dc_seconds: f64,
}

impl HourlyResults {
    /// The corridor rows of `scenario` in `year`, in month order.
    ///
    /// ```
    /// # use landlinked::hourly::HourlyResults;
    /// assert_eq!(HourlyResults::default().corridor_months("s", "1").count(), 0);
    /// ```
    pub fn corridor_months<'a>(
        &'a self,
        scenario: &'a str,
        year: &'a str,
    ) -> impl Iterator<Item = &'a CorridorMonth> + 'a {
        self.corridors
            .iter()
            .filter(move |c| c.scenario == scenario && c.year == year)
    }

    /// The balance row of `scenario`, `year` and `month`.
    ///
    /// ```
    /// # use landlinked::{calendar::Month, hourly::HourlyResults};
    /// assert!(HourlyResults::default().balance_month("s", "1", Month::Jan).is_none());
    /// ```
    pub fn balance_month(&self, scenario: &str, year: &str, month: Month) -> Option<&BalanceMonth> {
        self.balance
            .iter()
            .find(|b| b.scenario == scenario && b.year == year && b.month == month)
    }

    /// The percentiles of `quantity` (`exports_gwh`, `export_gwh:CORRIDOR`,
    /// …) for `scenario` in `month` (`"Jan"`..`"Dec"`, or `"year"`).
    ///
    /// ```
    /// # use landlinked::hourly::HourlyResults;
    /// assert!(HourlyResults::default().percentile("s", "year", "exports_gwh").is_none());
    /// ```
    pub fn percentile(&self, scenario: &str, month: &str, quantity: &str) -> Option<&Percentile> {
        self.percentiles
            .iter()
            .find(|p| p.scenario == scenario && p.month == month && p.quantity == quantity)
    }

    /// Appends the rows of `other` (a study of other scenarios) after this
    /// study's, and adds its power-flow time: one set of tables for studies
    /// run apart (on different grids, say). Scenario names should differ.
    ///
    /// ```
    /// use landlinked::hourly::{HourlySettings, HourlyStudy};
    /// use landlinked::seasonal::{Hydrology, Scenario};
    /// let file = "grids/central_asia/central_asia.toml";
    /// let study = HourlyStudy { settings: HourlySettings { years: 0, ..Default::default() } };
    /// let mut r = study.run(file, &[Scenario::new("a", "2022", Hydrology::Normal)], |_| {})?;
    /// let b = study.run(file, &[Scenario::new("b", "2022", Hydrology::Dry)], |_| {})?;
    /// let rows = r.balance.len() + b.balance.len();
    /// r.append(b);
    /// assert_eq!(r.balance.len(), rows);
    /// assert!(r.balance_month("b", "dry", landlinked::calendar::Month::Jul).is_some());
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn append(&mut self, other: HourlyResults) {
        self.corridors.extend(other.corridors);
        self.balance.extend(other.balance);
        self.percentiles.extend(other.percentiles);
        self.congestion.extend(other.congestion);
        self.hours.extend(other.hours);
        self.duration_curves.extend(other.duration_curves);
        self.dc_seconds += other.dc_seconds;
    }

    /// Exports of `scenario` in `year`, GWh.
    ///
    /// ```
    /// assert_eq!(landlinked::hourly::HourlyResults::default().annual_exports_gwh("s", "1"), 0.0);
    /// ```
    pub fn annual_exports_gwh(&self, scenario: &str, year: &str) -> f64 {
        self.balance
            .iter()
            .filter(|b| b.scenario == scenario && b.year == year)
            .map(|b| b.exports_gwh)
            .sum()
    }
}

/// The hourly study (see the [module documentation](self)).
///
/// ```
/// use landlinked::hourly::HourlyStudy;
/// use landlinked::seasonal::{Hydrology, Scenario};
/// let s = Scenario::new("x", "2022", Hydrology::Normal);
/// let err = HourlyStudy::default().run("grids/central_asia/central_asia.toml", &[s.clone(), s], |_| {});
/// assert!(err.unwrap_err().to_string().contains("defined twice"));
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HourlyStudy {
    /// Settings.
    pub settings: HourlySettings,
}

impl HourlyStudy {
    /// Runs `scenarios` on `grid` (a path, a document or a built grid),
    /// calling `progress` after each scenario-year.
    ///
    /// ```
    /// # use landlinked::hourly::{HourlySettings, HourlyStudy};
    /// # use landlinked::seasonal::{Hydrology, Scenario};
    /// let study = HourlyStudy { settings: HourlySettings { years: 2, ..Default::default() } };
    /// let calls = std::sync::atomic::AtomicUsize::new(0);
    /// study.run("grids/central_asia/central_asia.toml", &[Scenario::new("s", "2022", Hydrology::Dry)],
    ///     |_| { calls.fetch_add(1, std::sync::atomic::Ordering::Relaxed); })?;
    /// assert_eq!(calls.into_inner(), 3); // the named year and two stochastic ones
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn run<S: GridSource + ?Sized>(
        &self,
        grid: &S,
        scenarios: &[Scenario],
        progress: impl Fn(HourlyProgress) + Sync,
    ) -> Result<HourlyResults> {
        self.run_until(grid, scenarios, progress, || false)
    }

    /// Like [`HourlyStudy::run`], asking `stop()` before each scenario-year:
    /// once it answers true, no further year starts and the run ends with
    /// [`Error::Stopped`] (no partial results). The Python package stops on
    /// Ctrl-C this way; a caller can stop on a deadline.
    ///
    /// ```
    /// # use landlinked::hourly::{HourlySettings, HourlyStudy};
    /// # use landlinked::seasonal::{Hydrology, Scenario};
    /// let study = HourlyStudy { settings: HourlySettings { years: 50, ..Default::default() } };
    /// let err = study
    ///     .run_until("grids/central_asia/central_asia.toml",
    ///         &[Scenario::new("s", "2022", Hydrology::Dry)], |_| {}, || true)
    ///     .unwrap_err();
    /// assert!(matches!(err, landlinked::Error::Stopped));
    /// ```
    pub fn run_until<S: GridSource + ?Sized>(
        &self,
        grid: &S,
        scenarios: &[Scenario],
        progress: impl Fn(HourlyProgress) + Sync,
        stop: impl Fn() -> bool + Sync,
    ) -> Result<HourlyResults> {
        unique(scenarios)?;
        let grids = scenarios
            .iter()
            .map(|s| self.scenario_grid(grid, s))
            .collect::<Result<Vec<_>>>()?;
        let total = self.settings.years + 1;
        let parts = scenarios
            .par_iter()
            .zip(&grids)
            .map(|(s, (g, exporter))| self.scenario(g, exporter, s, total, &progress, &stop))
            .collect::<Result<Vec<_>>>()?;
        let mut out = HourlyResults::default();
        for part in parts {
            out.append(part);
        }
        Ok(out)
    }

    /// The scenario's grid with its outages, and its exporter.
    fn scenario_grid<S: GridSource + ?Sized>(
        &self,
        source: &S,
        s: &Scenario,
    ) -> Result<(RegionalGrid, String)> {
        let g = s.grid(source)?;
        let exporter = g.exporter_for(self.settings.exporter.as_deref())?;
        Ok((g, exporter))
    }

    /// One scenario: its named year, then its stochastic years chained,
    /// run as one part of all its years and finished as
    /// [`HourlyStudy::merge`] finishes
    /// the parts of a scenario run elsewhere (so the two agree by
    /// construction).
    fn scenario(
        &self,
        grid: &RegionalGrid,
        exporter: &str,
        s: &Scenario,
        total: usize,
        progress: &(impl Fn(HourlyProgress) + Sync),
        stop: &(impl Fn() -> bool + Sync),
    ) -> Result<HourlyResults> {
        let part = self.years_of(grid, exporter, s, 0..total, progress, stop)?;
        Ok(parts::finish(grid, s, &self.settings, vec![part]))
    }

    /// The year's monthly water under `rule`, from `initial` storage if
    /// given.
    fn water(
        &self,
        grid: &RegionalGrid,
        inflows: &[LateralInflow],
        rule: &RuleCurve,
        initial: Option<&[(String, f64)]>,
    ) -> Result<HydroResults> {
        Ok(match initial {
            Some(init) => grid.cascade().simulate_from(inflows, rule, init)?,
            None => grid.cascade().simulate(inflows, rule)?,
        })
    }
}

/// An error naming the first scenario name given twice.
fn unique(scenarios: &[Scenario]) -> Result<()> {
    for (i, s) in scenarios.iter().enumerate() {
        if scenarios[..i].iter().any(|o| o.name == s.name) {
            return Err(Error::Duplicate {
                kind: "scenario".into(),
                name: s.name.clone(),
            });
        }
    }
    Ok(())
}

/// The outages whose N-1 limits the hourly study checks on `grid` for
/// exports from `exporter` (branch positions): every active branch when
/// the grid has no contingency list; else its listed branches, then those
/// its screening picks (see [`Contingencies`](crate::region::Contingencies)).
///
/// ```
/// let g = landlinked::io::grid::read("grids/three_areas/three_areas.toml")?;
/// let list = landlinked::hourly::contingency_list(&g, "HY")?;
/// assert_eq!(list.len(), 2 + 6); // two listed, six screened
/// assert_eq!(g.branch_label(list[1]), "103–104");
/// # Ok::<(), landlinked::Error>(())
/// ```
pub fn contingency_list(grid: &RegionalGrid, exporter: &str) -> Result<Vec<usize>> {
    let pf = DcPowerFlow::new(grid.network())?;
    match grid.contingencies() {
        Some(c) => outages::outage_list(grid, &pf, exporter, c, true),
        None => {
            let topo = pf.model().topology();
            let m = grid.network().branches.len();
            Ok((0..m).filter(|&k| topo.branch_active(k)).collect())
        }
    }
}

/// Branch and lane statistics over a scenario's years.
struct Stats {
    max_mw: Vec<f64>,
    over80: Vec<u32>,
    over100: Vec<u32>,
    binding: Vec<u32>,
    outages: Vec<(usize, Option<usize>)>,
    lanes: Vec<Vec<f32>>,
}

impl Stats {
    fn new(branches: usize, lanes: usize) -> Stats {
        Stats {
            max_mw: vec![0.0; branches],
            over80: vec![0; branches],
            over100: vec![0; branches],
            binding: vec![0; branches],
            outages: Vec::new(),
            lanes: vec![Vec::new(); lanes],
        }
    }

    fn add(&mut self, y: &year::YearOut, stochastic: bool) {
        for l in 0..self.max_mw.len() {
            self.max_mw[l] = self.max_mw[l].max(y.branch_max_mw[l]);
            self.over80[l] += y.over80[l];
            self.over100[l] += y.over100[l];
            self.binding[l] += y.binding[l];
        }
        self.outages.extend_from_slice(&y.binding_outages);
        if stochastic {
            for (all, year) in self.lanes.iter_mut().zip(&y.lane_mw) {
                all.extend_from_slice(year);
            }
        }
    }

    fn congestion(&self, grid: &RegionalGrid, scenario: &str) -> Vec<Congestion> {
        let net = grid.network();
        let name = |id: u64| grid.bus_label(id);
        let branch = |k: usize| grid.branch_label(k);
        let mut out = Vec::new();
        for (l, b) in net.branches.iter().enumerate() {
            if !b.in_service || b.rate_a_mva <= 0.0 {
                continue;
            }
            let mut counts: Vec<(Option<usize>, u32)> = Vec::new();
            for &(_, o) in self.outages.iter().filter(|(bl, _)| *bl == l) {
                match counts.iter_mut().find(|(x, _)| *x == o) {
                    Some(c) => c.1 += 1,
                    None => counts.push((o, 1)),
                }
            }
            // Most frequent; ties to the first seen.
            let top =
                counts
                    .iter()
                    .fold(None, |best: Option<&(Option<usize>, u32)>, c| match best {
                        Some(b) if b.1 >= c.1 => Some(b),
                        _ => Some(c),
                    });
            let outage = match top {
                None => String::new(),
                Some((None, _)) => "base case".into(),
                Some((Some(k), _)) => branch(*k),
            };
            out.push(Congestion {
                scenario: scenario.to_string(),
                branch: branch(l),
                from_bus: name(b.from),
                to_bus: name(b.to),
                rating_mw: b.rate_a_mva,
                max_loading_pct: 100.0 * self.max_mw[l] / b.rate_a_mva,
                hours_over_80pct: self.over80[l],
                hours_over_100pct: self.over100[l],
                hours_binding: self.binding[l],
                most_frequent_outage: outage,
            });
        }
        out
    }

    /// Per lane (named by its corridor, `lanes`), the exports of every
    /// stochastic year, highest first.
    fn duration_curves(
        &mut self,
        lanes: &[String],
        scenario: &str,
    ) -> Vec<(String, String, Vec<f32>)> {
        let mut out = Vec::new();
        for (name, all) in lanes.iter().zip(&mut self.lanes) {
            all.sort_by(|a, b| b.total_cmp(a));
            out.push((scenario.to_string(), name.clone(), std::mem::take(all)));
        }
        out
    }
}

/// P10/P50/P90 per month and for the year over the stochastic years (or
/// over the named year alone when there are none).
fn percentiles(scenario: &str, r: &HourlyResults, stochastic: bool) -> Vec<Percentile> {
    let named = |year: &str| year.parse::<usize>().is_err();
    let keep = |year: &str| stochastic != named(year);
    let mut quantities: Vec<String> = vec![
        "surplus_gwh".into(),
        "exports_gwh".into(),
        "spill_gwh".into(),
        "imports_gwh".into(),
        "unserved_gwh".into(),
    ];
    let mut corridors: Vec<&str> = Vec::new();
    for c in &r.corridors {
        if !corridors.contains(&c.corridor.as_str()) {
            corridors.push(&c.corridor);
        }
    }
    for c in &corridors {
        quantities.push(format!("export_gwh:{c}"));
        quantities.push(format!("revenue_musd:{c}"));
    }
    let balance_value = |b: &BalanceMonth, q: &str| match q {
        "surplus_gwh" => Some(b.exports_gwh + b.spill_gwh),
        "exports_gwh" => Some(b.exports_gwh),
        "spill_gwh" => Some(b.spill_gwh),
        "imports_gwh" => Some(b.imports_gwh),
        "unserved_gwh" => Some(b.unserved_gwh),
        _ => None,
    };
    let corridor_value = |c: &CorridorMonth, q: &str| match q.split_once(':') {
        Some(("export_gwh", name)) if name == c.corridor => Some(c.export_gwh),
        Some(("revenue_musd", name)) if name == c.corridor => Some(c.revenue_musd),
        _ => None,
    };
    let mut out = Vec::new();
    let periods: Vec<Option<Month>> = Month::ALL.iter().map(|&m| Some(m)).chain([None]).collect();
    for q in &quantities {
        for &period in &periods {
            let in_period = |m: Month| period.is_none_or(|p| p == m);
            let mut per_year: Vec<(String, f64)> = Vec::new();
            let mut add = |year: &str, v: f64| match per_year.iter_mut().find(|(y, _)| y == year) {
                Some(e) => e.1 += v,
                None => per_year.push((year.to_string(), v)),
            };
            for b in r
                .balance
                .iter()
                .filter(|b| keep(&b.year) && in_period(b.month))
            {
                if let Some(v) = balance_value(b, q) {
                    add(&b.year, v);
                }
            }
            for c in r
                .corridors
                .iter()
                .filter(|c| keep(&c.year) && in_period(c.month))
            {
                if let Some(v) = corridor_value(c, q) {
                    add(&c.year, v);
                }
            }
            let values: Vec<f64> = per_year.iter().map(|(_, v)| *v).collect();
            let label = period.map_or("year".to_string(), |m| format!("{m:?}"));
            out.push(Percentile::of(
                scenario.to_string(),
                &label,
                q.clone(),
                &values,
            ));
        }
    }
    out
}
