//! A study's scenario-years in parts, run anywhere and merged:
//! [`HourlyStudy::run_years`] runs some consecutive years of one scenario
//! and returns a [`YearsPart`] (serde: send it to another process or
//! machine); [`HourlyStudy::merge`] merges the parts of every scenario into
//! the [`HourlyResults`] that [`HourlyStudy::run`] returns, equal field for
//! field (`dc_seconds` aside: time, not a result).
//!
//! Why the parts agree with one run: year `k` of a scenario is the same
//! whichever part runs it. Its inflows are year `k` of the seeded ensemble
//! (`InflowEnsemble::years(seed, k)` is the start of `years(seed, n)`);
//! its starting storage is the end of year `k − 1`, which a part recomputes
//! by chaining the monthly water of every stochastic year before its own
//! (cheap: no hours); its hours see the scenario's factorisation, built the
//! same way in every part. And [`HourlyStudy::run`] itself runs each
//! scenario as one part of all its years and finishes it with the code that
//! `merge` runs: the years' rows in year order, the branch statistics
//! folded in year order (maxima, counts, and the binding outages in the
//! order they occurred, which break ties of the most frequent one), the
//! percentiles from the rows.
//!
//! Each part builds and factorises its scenario's grid and prepares its
//! outage sensitivities once, as `run` does once per scenario: parts of a
//! few years pay that again (on the Central Asia grid, about one year's
//! hours, 25–30 ms on one core).
//!
//! ```
//! use landlinked::hourly::{HourlySettings, HourlyStudy};
//! use landlinked::seasonal::{Hydrology, Scenario};
//! let grid = "grids/central_asia/central_asia.toml";
//! let study = HourlyStudy { settings: HourlySettings { years: 1, ..Default::default() } };
//! let s = [Scenario::new("s", "2022", Hydrology::Dry)];
//! // stochastic year 1, then the named year (0), in any order
//! let late = study.run_years(grid, &s[0], 1..2, |_| {}, || false)?;
//! let early = study.run_years(grid, &s[0], 0..1, |_| {}, || false)?;
//! assert_eq!((late.scenario(), late.years()), ("s", 1..2));
//! let mut merged = study.merge(grid, &s, vec![late, early])?;
//! let mut one = study.run(grid, &s, |_| {})?;
//! (merged.dc_seconds, one.dc_seconds) = (0.0, 0.0);
//! assert!(merged == one);
//! # Ok::<(), landlinked::Error>(())
//! ```

use std::ops::Range;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::{
    HourlyProgress, HourlyResults, HourlySettings, HourlyStudy, Stats, outages, percentiles,
    unique, year,
};
use crate::dc::DcPowerFlow;
use crate::error::{Error, Result};
use crate::hydro::{InflowEnsemble, LateralInflow};
use crate::region::{GridSource, RegionalGrid};
use crate::seasonal::Scenario;

/// The outputs of some consecutive years of one scenario
/// ([`HourlyStudy::run_years`]), to merge with the scenario's other years
/// ([`HourlyStudy::merge`]). Serde (de)serialisable, so that it can cross
/// processes and machines; every number is kept as computed.
///
/// ```
/// # use landlinked::hourly::{HourlySettings, HourlyStudy};
/// # use landlinked::seasonal::{Hydrology, Scenario};
/// let study = HourlyStudy { settings: HourlySettings { years: 3, ..Default::default() } };
/// let s = Scenario::new("s", "2022", Hydrology::Wet);
/// let part = study.run_years("grids/central_asia/central_asia.toml", &s, 2..4, |_| {}, || false)?;
/// assert_eq!((part.years(), part.total_years()), (2..4, 4)); // years 2 and 3 of 0..=3
/// # Ok::<(), landlinked::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YearsPart {
    scenario: String,
    first: usize,
    end: usize,
    total: usize,
    /// FNV-1a of the settings, the exporter, the scenario and its built
    /// grid (their `Debug` text): parts of another study do not merge.
    fingerprint: String,
    /// The corridor of each export lane (duration curves).
    lanes: Vec<String>,
    /// One per year, in year order.
    outs: Vec<year::YearOut>,
    dc_seconds: f64,
}

impl YearsPart {
    /// The scenario's name.
    ///
    /// ```
    /// # use landlinked::hourly::{HourlySettings, HourlyStudy};
    /// # use landlinked::seasonal::{Hydrology, Scenario};
    /// # let study = HourlyStudy { settings: HourlySettings { years: 0, ..Default::default() } };
    /// let s = Scenario::new("base", "2022", Hydrology::Normal);
    /// let part = study.run_years("grids/central_asia/central_asia.toml", &s, 0..1, |_| {}, || false)?;
    /// assert_eq!(part.scenario(), "base");
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn scenario(&self) -> &str {
        &self.scenario
    }

    /// The years it holds: 0 is the scenario's named year, `1..=Y` its
    /// stochastic years.
    ///
    /// ```
    /// # use landlinked::hourly::{HourlySettings, HourlyStudy};
    /// # use landlinked::seasonal::{Hydrology, Scenario};
    /// # let study = HourlyStudy { settings: HourlySettings { years: 0, ..Default::default() } };
    /// # let s = Scenario::new("base", "2022", Hydrology::Normal);
    /// let part = study.run_years("grids/central_asia/central_asia.toml", &s, 0..1, |_| {}, || false)?;
    /// assert_eq!(part.years(), 0..1);
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn years(&self) -> Range<usize> {
        self.first..self.end
    }

    /// The scenario's years in all (its named year and the `years`
    /// stochastic ones of the study's settings).
    ///
    /// ```
    /// # use landlinked::hourly::{HourlySettings, HourlyStudy};
    /// # use landlinked::seasonal::{Hydrology, Scenario};
    /// # let study = HourlyStudy { settings: HourlySettings { years: 0, ..Default::default() } };
    /// # let s = Scenario::new("base", "2022", Hydrology::Normal);
    /// let part = study.run_years("grids/central_asia/central_asia.toml", &s, 0..1, |_| {}, || false)?;
    /// assert_eq!(part.total_years(), 1);
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn total_years(&self) -> usize {
        self.total
    }

    /// Seconds in the DC core for this part (its factorisation and
    /// sensitivities, then its years' flows and transfer limits).
    ///
    /// ```
    /// # use landlinked::hourly::{HourlySettings, HourlyStudy};
    /// # use landlinked::seasonal::{Hydrology, Scenario};
    /// # let study = HourlyStudy { settings: HourlySettings { years: 0, ..Default::default() } };
    /// # let s = Scenario::new("base", "2022", Hydrology::Normal);
    /// let part = study.run_years("grids/central_asia/central_asia.toml", &s, 0..1, |_| {}, || false)?;
    /// assert!(part.dc_seconds() > 0.0);
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn dc_seconds(&self) -> f64 {
        self.dc_seconds
    }
}

impl HourlyStudy {
    /// Runs the years `years` of `scenario` on `grid` (0 is the named year,
    /// `1..=settings.years` the stochastic ones), calling `progress` after
    /// each year and asking `stop()` before each (as
    /// [`run_until`](Self::run_until)); the years run in parallel. An empty
    /// range or one past the last year is an error naming the scenario.
    ///
    /// ```
    /// # use landlinked::hourly::{HourlySettings, HourlyStudy};
    /// # use landlinked::seasonal::{Hydrology, Scenario};
    /// let study = HourlyStudy { settings: HourlySettings { years: 2, ..Default::default() } };
    /// let s = Scenario::new("s", "2022", Hydrology::Normal);
    /// let err = study.run_years("grids/central_asia/central_asia.toml", &s, 2..4, |_| {}, || false);
    /// assert_eq!(err.unwrap_err().to_string(),
    ///     "scenario `s`: `end` = 4 is invalid: at most 3: year 0 is the named year, 1..=2 the stochastic ones");
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn run_years<S: GridSource + ?Sized>(
        &self,
        grid: &S,
        scenario: &Scenario,
        years: Range<usize>,
        progress: impl Fn(HourlyProgress) + Sync,
        stop: impl Fn() -> bool + Sync,
    ) -> Result<YearsPart> {
        self.check_range(scenario, &years)?;
        let (g, exporter) = self.scenario_grid(grid, scenario)?;
        self.years_of(&g, &exporter, scenario, years, &progress, &stop)
    }

    /// Merges `parts` (any order) into the results of `scenarios` on
    /// `grid`: checks that each part is of one of `scenarios`, run with
    /// these settings on this grid, and that the parts of each scenario
    /// hold each of its years once; then finishes each scenario as
    /// [`run`](Self::run) does. Equal to `run`'s results but for
    /// `dc_seconds` (here the sum over the parts, each with its own
    /// factorisation).
    ///
    /// ```
    /// # use landlinked::hourly::{HourlySettings, HourlyStudy};
    /// # use landlinked::seasonal::{Hydrology, Scenario};
    /// let grid = "grids/central_asia/central_asia.toml";
    /// let study = HourlyStudy { settings: HourlySettings { years: 1, ..Default::default() } };
    /// let s = [Scenario::new("s", "2022", Hydrology::Normal)];
    /// let part = study.run_years(grid, &s[0], 0..1, |_| {}, || false)?;
    /// let err = study.merge(grid, &s, vec![part]).unwrap_err();
    /// assert_eq!(err.to_string(), "scenario `s`: no part holds years 1..2 (of 0..2)");
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn merge<S: GridSource + ?Sized>(
        &self,
        grid: &S,
        scenarios: &[Scenario],
        parts: Vec<YearsPart>,
    ) -> Result<HourlyResults> {
        unique(scenarios)?;
        let mut by_scenario: Vec<Vec<YearsPart>> = vec![Vec::new(); scenarios.len()];
        for p in parts {
            let Some(i) = scenarios.iter().position(|s| s.name == p.scenario) else {
                return Err(Error::NotFound {
                    kind: "scenario of a part".into(),
                    name: p.scenario,
                    known: scenarios.iter().map(|s| s.name.clone()).collect(),
                });
            };
            by_scenario[i].push(p);
        }
        let mut results = Vec::with_capacity(scenarios.len());
        for (s, mut parts) in scenarios.iter().zip(by_scenario) {
            let (g, exporter) = self.scenario_grid(grid, s)?;
            let fingerprint = fingerprint(&self.settings, &exporter, s, &g);
            parts.sort_by_key(|p| p.first);
            self.check_cover(s, &parts, &fingerprint)?;
            results.push(finish(&g, s, &self.settings, parts));
        }
        let mut out = HourlyResults::default();
        for r in results {
            out.append(r);
        }
        Ok(out)
    }

    /// Checks what can be checked without running, as [`run`](Self::run)
    /// checks it first: scenario names unique, each scenario's grid built
    /// (its stage, options, outages and loads known) with the exporter in
    /// it. Cheap: nothing is factorised.
    ///
    /// ```
    /// # use landlinked::hourly::HourlyStudy;
    /// # use landlinked::seasonal::{Hydrology, Scenario};
    /// let s = [Scenario::new("s", "2051", Hydrology::Normal)];
    /// let err = HourlyStudy::default().check("grids/central_asia/central_asia.toml", &s);
    /// assert!(err.unwrap_err().to_string().contains("unknown stage `2051`"));
    /// ```
    pub fn check<S: GridSource + ?Sized>(&self, grid: &S, scenarios: &[Scenario]) -> Result<()> {
        unique(scenarios)?;
        for s in scenarios {
            self.scenario_grid(grid, s)?;
        }
        Ok(())
    }

    /// An error unless `years` is a non-empty range within the scenario's.
    fn check_range(&self, s: &Scenario, years: &Range<usize>) -> Result<()> {
        let total = self.settings.years + 1;
        let stochastic = match self.settings.years {
            0 => "none stochastic".to_string(),
            y => format!("1..={y} the stochastic ones"),
        };
        let bad = |field: &str, value: usize, expected: String| Error::InvalidValue {
            element: format!("scenario `{}`", s.name),
            field: field.into(),
            value: value as f64,
            expected,
        };
        if years.end > total {
            return Err(bad(
                "end",
                years.end,
                format!("at most {total}: year 0 is the named year, {stochastic}"),
            ));
        }
        if years.start >= years.end {
            return Err(bad(
                "first",
                years.start,
                format!(
                    "below `end` ({}): a part holds at least one year",
                    years.end
                ),
            ));
        }
        Ok(())
    }

    /// An error unless `parts` (sorted by first year) are of this study and
    /// hold each year of the scenario once.
    fn check_cover(&self, s: &Scenario, parts: &[YearsPart], fingerprint: &str) -> Result<()> {
        let total = self.settings.years + 1;
        let invalid = |message: String| Error::Invalid {
            message: format!("scenario `{}`: {message}", s.name),
        };
        let mut next = 0;
        for p in parts {
            if p.total != total || p.fingerprint != fingerprint {
                return Err(invalid(format!(
                    "the part of years {}..{} was run with other settings, another scenario or another grid than this study ({} years in all, fingerprint {}; this study: {total}, {fingerprint})",
                    p.first, p.end, p.total, p.fingerprint
                )));
            }
            if p.first < next {
                return Err(invalid(format!(
                    "years {}..{} are in two parts",
                    p.first,
                    next.min(p.end)
                )));
            }
            if p.first > next {
                break;
            }
            next = p.end;
        }
        if next < total {
            let end = parts
                .iter()
                .map(|p| p.first)
                .find(|&f| f > next)
                .unwrap_or(total);
            return Err(invalid(format!(
                "no part holds years {next}..{end} (of 0..{total})"
            )));
        }
        Ok(())
    }

    /// The years `range` of one scenario on its grid (see [`run_years`](Self::run_years)).
    pub(super) fn years_of(
        &self,
        grid: &RegionalGrid,
        exporter: &str,
        s: &Scenario,
        range: Range<usize>,
        progress: &(impl Fn(HourlyProgress) + Sync),
        stop: &(impl Fn() -> bool + Sync),
    ) -> Result<YearsPart> {
        self.check_range(s, &range)?;
        let settings = &self.settings;
        let clock = std::time::Instant::now();
        let pf = DcPowerFlow::new(grid.network())?;
        let prep = outages::prepare(grid, &pf, exporter, settings.transfer)?;
        let mut dc_seconds = clock.elapsed().as_secs_f64();
        let sc = year::Scenario::new(grid, &pf, &prep, exporter, settings.reserve_mw)?;
        let inflows = self.inflows(grid, s, range.end)?;
        // Water first, year after year from the first stochastic one
        // (storage carries over; cheap), then the range's hours in
        // parallel (each year's hours depend only on its water).
        let mut water = Vec::with_capacity(range.len());
        let mut carried: Option<Vec<(String, f64)>> = None;
        // Each year's water with the exporter's filling reservoirs hedged
        // against its own shortfalls (`HourlySettings::hedge_months`).
        let hedged = |q: &[LateralInflow], initial: Option<&[(String, f64)]>| {
            let rule = grid.rule_curve();
            sc.hedged_water(
                self.water(grid, q, rule, initial)?,
                &settings.hedge_months,
                s.demand_growth_years,
                |rule| self.water(grid, q, rule, initial),
            )
        };
        for (k, (_, q)) in inflows.iter().enumerate() {
            if k == 0 {
                if range.start == 0 {
                    water.push(hedged(q, None)?);
                }
                continue;
            }
            let hydro = hedged(q, carried.as_deref())?;
            carried = Some(hydro.end_storage_hm3());
            if k >= range.start {
                water.push(hydro);
            }
        }
        let labels = &inflows[range.clone()];
        let done = std::sync::atomic::AtomicUsize::new(0);
        let outs = labels
            .par_iter()
            .zip(&water)
            .map(|((label, _), hydro)| {
                if stop() {
                    return Err(Error::Stopped);
                }
                let keep = settings
                    .hourly
                    .as_ref()
                    .is_some_and(|(sn, y)| sn == &s.name && y == label);
                let y = sc.year(hydro, s.demand_growth_years, (&s.name, label), keep)?;
                progress(HourlyProgress {
                    scenario: s.name.clone(),
                    year: label.clone(),
                    done: done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1,
                    total: range.len(),
                });
                Ok(y)
            })
            .collect::<Result<Vec<_>>>()?;
        for ((label, _), y) in labels.iter().zip(&outs) {
            if let Some(&(l, h)) = y.worsened.first() {
                return Err(Error::InvalidValue {
                    element: format!("scenario `{}`, year {label}, hour {h}", s.name),
                    field: format!("flow on branch {}", l + 1),
                    value: 0.0,
                    expected: "no export beyond a branch's rating (a bug: please report)".into(),
                });
            }
            dc_seconds += y.dc_seconds;
        }
        let corridors = grid.corridors();
        Ok(YearsPart {
            scenario: s.name.clone(),
            first: range.start,
            end: range.end,
            total: settings.years + 1,
            fingerprint: fingerprint(settings, exporter, s, grid),
            lanes: sc
                .lanes
                .iter()
                .map(|l| corridors[l.corridor].name.clone())
                .collect(),
            outs,
            dc_seconds,
        })
    }

    /// The labels and inflows of years `0..end`: the named year, then the
    /// seeded stochastic years (year `k` the same whatever `end`).
    fn inflows(
        &self,
        grid: &RegionalGrid,
        s: &Scenario,
        end: usize,
    ) -> Result<Vec<(String, Vec<LateralInflow>)>> {
        let settings = &self.settings;
        let factor = s.hydrology.inflow_factor();
        let mut years: Vec<(String, Vec<LateralInflow>)> = vec![(
            s.hydrology.name().to_string(),
            grid.inflows().iter().map(|q| q.scaled(factor)).collect(),
        )];
        if settings.years > 0 {
            let rivers = grid.inflow_rivers();
            let ensemble = InflowEnsemble::new(grid.inflows().to_vec(), rivers, settings.spread)?;
            for (y, inflows) in ensemble
                .years(settings.seed, end.saturating_sub(1))
                .into_iter()
                .enumerate()
            {
                let scaled = inflows.iter().map(|q| q.scaled(factor)).collect();
                years.push(((y + 1).to_string(), scaled));
            }
        }
        Ok(years)
    }
}

/// The results of one scenario from its parts, sorted and covering its
/// years: rows in year order, statistics folded in year order.
pub(super) fn finish(
    grid: &RegionalGrid,
    s: &Scenario,
    settings: &HourlySettings,
    parts: Vec<YearsPart>,
) -> HourlyResults {
    let lanes = parts.first().map(|p| p.lanes.clone()).unwrap_or_default();
    let mut out = HourlyResults::default();
    let mut stats = Stats::new(grid.network().branches.len(), lanes.len());
    for part in parts {
        out.dc_seconds += part.dc_seconds;
        for (k, y) in (part.first..).zip(part.outs) {
            stats.add(&y, k > 0);
            out.balance.extend(y.balance);
            out.corridors.extend(y.corridors);
            out.hours.extend(y.hours.unwrap_or_default());
        }
    }
    out.percentiles = percentiles(&s.name, &out, settings.years > 0);
    out.congestion = stats.congestion(grid, &s.name);
    out.duration_curves = stats.duration_curves(&lanes, &s.name);
    out
}

/// FNV-1a of the `Debug` text of the settings, the exporter, the scenario
/// and its grid.
fn fingerprint(
    settings: &HourlySettings,
    exporter: &str,
    s: &Scenario,
    grid: &RegionalGrid,
) -> String {
    let text = format!("{settings:?}\n{exporter}\n{s:?}\n{grid:?}");
    format!("{:016x}", crate::sweep::fnv1a(text.as_bytes()))
}
