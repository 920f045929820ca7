//! The seasonal export study: for each scenario and month, how much energy
//! Tajikistan has beyond its own load, how much of it each export corridor
//! can carry given the network, and what limits it.
//!
//! Entry points: [`Scenario`] (stage, options, [`Hydrology`], demand
//! growth, branch outages), [`SeasonalStudy::run`] (default
//! [`StudySettings`]) or [`SeasonalStudy::run_with`] (a progress callback),
//! and the labelled result tables of [`StudyResults`]: one [`MonthResult`]
//! per scenario and month, one [`CorridorExport`] per scenario, month and
//! corridor.
//!
//! ## Method, per scenario
//! 1. The grid file is built for the scenario's stage and options; its
//!    outages are taken out of service; the hydro cascade is simulated with
//!    the normal inflows times [`Hydrology::inflow_factor`].
//! 2. **Balance** (per month): available energy of the exporter's hydro
//!    (the cascade simulation), thermal and small hydro (capacity factors)
//!    against its load in year `demand_growth_years` →
//!    `surplus_gwh` (negative: a deficit) and its mean `surplus_mw`.
//! 3. **Base state**: the month's snapshot ([`RegionalGrid::snapshot`])
//!    with the exporter's loads only (grown), and in a surplus month every
//!    exporter generator scaled down by the same factor so that its output
//!    equals its load (no net export). In a deficit month the generators
//!    run at their available output and the deficit is imported through
//!    the network from the reference generators. Neighbours' loads are
//!    left out of the base state: their demand is what the exports serve,
//!    at the corridors' far ends (with them in, north Afghanistan's
//!    ~700 MW, which the model feeds through the synchronous CAPS mesh
//!    from the Uzbek reference, overload the TUTAP line before any
//!    Tajik export). Neighbours' equivalents stay at their `dispatch_mw`;
//!    each island's reference generator balances it.
//! 4. **Dispatch**, corridors in merit order ([`StudySettings::merit_order`],
//!    default [`MERIT_ORDER`]): a corridor closed in the month (outside its
//!    `export_months`) gets nothing (limit [`Limit::Season`]). Otherwise its
//!    export is `min(remaining surplus, capacity, transfer limit)`, where
//!    the transfer limit is
//!    [`transfer_capability`](crate::sensitivity::transfer_capability)
//!    (base case and, by default, N-1) on the current state (base plus
//!    the exports already dispatched) **from the exporter's generation
//!    zone** (its generators, weighted by their unused output) **to the
//!    corridor's far end**: for an HVDC corridor the sending converter's
//!    AC bus (the link then carries the export out of the AC system,
//!    losses on the receiving side); for an AC corridor its import-side
//!    border buses, equal shares (the export is a withdrawal at the
//!    border). The export is then added to the state as those injection
//!    changes (and link set-points), and the next corridor sees it.
//! 5. **DC check**: one DC power flow of the dispatched state gives every
//!    corridor's flow ([`Corridor::flow_mw`]) and branch loadings
//!    against `rate_a`. An HVDC corridor's flow equals its dispatched
//!    export. An AC corridor's flow is set by the network, not by the
//!    dispatch: an export to Afghanistan partly loops through Uzbekistan,
//!    so AC corridor flows are checked against limits (branch ratings,
//!    which every export respects by construction of the transfer limit),
//!    and the exporter's **border flow** (the sum of flows leaving it on
//!    every branch and link that crosses its border,
//!    [`MonthResult::border_flow_mw`]) equals total exports minus the
//!    imported deficit.
//!
//! The surplus not exported is spilled or left in the reservoirs
//! ([`MonthResult::unused_gwh`]). The study is energy-based (monthly means,
//! no intra-month peaks) and linear (DC power flow). Outages that split an
//! island are not screened by N-1 (see
//! [`TransferCapability::islanding`](crate::sensitivity::TransferCapability)):
//! a radial path is limited by its base-case ratings only. The source zone
//! spans all the exporter's generators, so they must lie in one island
//! (an outage that cuts off part of the exporter is an error).
//!
//! ```
//! use landlinked::seasonal::{Hydrology, Scenario, SeasonalStudy};
//! let grid = "grids/central_asia/central_asia.toml";
//! let r = SeasonalStudy::run(grid, &[Scenario::new("2022 normal", "2022", Hydrology::Normal)])?;
//! let jul = r.month("2022 normal", landlinked::calendar::Month::Jul).unwrap();
//! assert!(jul.surplus_mw > 0.0);
//! let exported: f64 = r.corridors_in("2022 normal", jul.month).map(|c| c.export_mw).sum();
//! assert!((exported - jul.exports_mw).abs() < 1e-6);
//! # Ok::<(), landlinked::Error>(())
//! ```

mod dispatch;

use serde::{Deserialize, Serialize};

use crate::calendar::Month;
use crate::error::{Error, Result};
use crate::region::{GridSource, RegionalGrid};
use crate::sensitivity::TransferSettings;

#[cfg(doc)]
use crate::region::Corridor;

/// The default merit order of the export corridors of the Central Asia
/// grid: the contracted CASA-1000 (1,000 MW to Pakistan) first, then
/// Uzbekistan (planned 1.5 TWh per summer), TUTAP to Afghanistan, the
/// optional Kabul converter, and the GBAO–Badakhshan supply. Corridors not
/// named here follow in file order.
///
/// ```
/// assert_eq!(landlinked::seasonal::MERIT_ORDER[0], "CASA-1000");
/// ```
pub const MERIT_ORDER: [&str; 5] = [
    "CASA-1000",
    "TJ-UZ",
    "TUTAP TJ-AF",
    "CASA-1000 Kabul",
    "GBAO-Badakhshan",
];

/// Hydrological year: the natural inflows of a normal year times a factor.
///
/// The factors are estimates: the fact sheet
/// (`facts/central-asia-grid.md`, section 2.1) has no sourced series of
/// wet and dry years and suggests about ±15 % on the annual volume for
/// P10/P90 years of a glacier-fed river (E). A documented dry summer: 2006,
/// exports cut from 1.5 to 0.9 TWh by low water (S, P65).
///
/// ```
/// use landlinked::seasonal::Hydrology;
/// assert_eq!(Hydrology::Dry.inflow_factor(), 0.85);
/// assert_eq!(Hydrology::Wet.name(), "wet");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Hydrology {
    /// A P90 year: inflows × 0.85 (E).
    Dry,
    /// The grid file's normal year: inflows × 1.
    Normal,
    /// A P10 year: inflows × 1.15 (E).
    Wet,
}

impl Hydrology {
    /// Factor on every natural inflow of the normal year.
    ///
    /// ```
    /// assert_eq!(landlinked::seasonal::Hydrology::Normal.inflow_factor(), 1.0);
    /// ```
    pub fn inflow_factor(self) -> f64 {
        match self {
            Hydrology::Dry => 0.85,
            Hydrology::Normal => 1.0,
            Hydrology::Wet => 1.15,
        }
    }

    /// Lower-case name (`"dry"`, `"normal"`, `"wet"`).
    ///
    /// ```
    /// assert_eq!(landlinked::seasonal::Hydrology::Dry.name(), "dry");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Hydrology::Dry => "dry",
            Hydrology::Normal => "normal",
            Hydrology::Wet => "wet",
        }
    }
}

impl std::str::FromStr for Hydrology {
    type Err = Error;

    /// `"dry"`, `"normal"` or `"wet"`.
    ///
    /// ```
    /// use landlinked::seasonal::Hydrology;
    /// assert_eq!("wet".parse::<Hydrology>()?, Hydrology::Wet);
    /// assert_eq!("damp".parse::<Hydrology>().unwrap_err().to_string(),
    ///     "unknown hydrology `damp` (known: dry, normal, wet)");
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    fn from_str(s: &str) -> Result<Hydrology> {
        [Hydrology::Dry, Hydrology::Normal, Hydrology::Wet]
            .into_iter()
            .find(|h| h.name() == s)
            .ok_or_else(|| Error::NotFound {
                kind: "hydrology".into(),
                name: s.to_string(),
                known: vec!["dry".into(), "normal".into(), "wet".into()],
            })
    }
}

/// The export study's five scenarios: stage `2022` in a normal, dry and
/// wet year (`2022 normal`, `2022 dry`, `2022 wet`), `casa normal` and
/// `full_build normal`. The `seasonal_exports` example and
/// `landlinked study` without `--scenario` run these.
///
/// ```
/// let s = landlinked::seasonal::default_scenarios();
/// assert_eq!(s.len(), 5);
/// assert_eq!(s[3].name, "casa normal");
/// ```
pub fn default_scenarios() -> Vec<Scenario> {
    vec![
        Scenario::new("2022 normal", "2022", Hydrology::Normal),
        Scenario::new("2022 dry", "2022", Hydrology::Dry),
        Scenario::new("2022 wet", "2022", Hydrology::Wet),
        Scenario::new("casa normal", "casa", Hydrology::Normal),
        Scenario::new("full_build normal", "full_build", Hydrology::Normal),
    ]
}

/// One case of the study: a commissioning stage of the grid file, a
/// hydrological year, demand growth and outages.
///
/// ```
/// use landlinked::seasonal::{Hydrology, Scenario};
/// let s = Scenario::new("casa dry +3y", "casa", Hydrology::Dry)
///     .with_option("kabul_converter")
///     .with_growth_years(3)
///     .with_outage("TJ_REGAR_500", "UZ_GUZAR_500");
/// assert_eq!(s.outages, vec![("TJ_REGAR_500".to_string(), "UZ_GUZAR_500".to_string())]);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scenario {
    /// Label used in every result row.
    pub name: String,
    /// Stage of the grid file (`"2022"`, `"casa"`, …).
    pub stage: String,
    /// Options switched on in addition to the stage's.
    pub options: Vec<String>,
    /// Hydrological year.
    pub hydrology: Hydrology,
    /// Years of demand growth after the grid's base year (each load's
    /// `growth_pct_per_year`).
    pub demand_growth_years: u32,
    /// Demand growth of every load, % per year, in place of each load's
    /// own `growth_pct_per_year` (`None`: their own).
    pub demand_growth_pct: Option<f64>,
    /// Branches out of service for the whole year: pairs of bus names (every
    /// branch between the two buses, either orientation).
    pub outages: Vec<(String, String)>,
    /// Loads set to a mean MW for the year, by load name, in place of the
    /// grid file's energy (TALCO at 300, 500 or 700 MW, fact sheet 3.2).
    /// The load keeps its profile (TALCO's is flat).
    pub loads_mw: Vec<(String, f64)>,
}

impl Scenario {
    /// A scenario without extra options, growth or outages.
    ///
    /// ```
    /// use landlinked::seasonal::{Hydrology, Scenario};
    /// let s = Scenario::new("base", "2022", Hydrology::Normal);
    /// assert_eq!(s.demand_growth_years, 0);
    /// ```
    pub fn new(name: &str, stage: &str, hydrology: Hydrology) -> Scenario {
        Scenario {
            name: name.to_string(),
            stage: stage.to_string(),
            options: Vec::new(),
            hydrology,
            demand_growth_years: 0,
            demand_growth_pct: None,
            outages: Vec::new(),
            loads_mw: Vec::new(),
        }
    }

    /// Switches an option on.
    ///
    /// ```
    /// # use landlinked::seasonal::{Hydrology, Scenario};
    /// let s = Scenario::new("k", "casa", Hydrology::Normal).with_option("kabul_converter");
    /// assert_eq!(s.options, vec!["kabul_converter"]);
    /// ```
    pub fn with_option(mut self, option: &str) -> Scenario {
        self.options.push(option.to_string());
        self
    }

    /// Sets the years of demand growth.
    ///
    /// ```
    /// # use landlinked::seasonal::{Hydrology, Scenario};
    /// assert_eq!(Scenario::new("g", "2022", Hydrology::Normal).with_growth_years(5).demand_growth_years, 5);
    /// ```
    pub fn with_growth_years(mut self, years: u32) -> Scenario {
        self.demand_growth_years = years;
        self
    }

    /// Grows every load's demand at `pct_per_year` % a year for `years`
    /// years (to a target year `years` after the grid's base year).
    ///
    /// ```
    /// # use landlinked::seasonal::{Hydrology, Scenario};
    /// let s = Scenario::new("2030", "casa", Hydrology::Normal).with_growth_to(3.0, 8);
    /// assert_eq!((s.demand_growth_pct, s.demand_growth_years), (Some(3.0), 8));
    /// ```
    pub fn with_growth_to(mut self, pct_per_year: f64, years: u32) -> Scenario {
        self.demand_growth_pct = Some(pct_per_year);
        self.demand_growth_years = years;
        self
    }

    /// Takes every branch between two buses (names) out of service.
    ///
    /// ```
    /// # use landlinked::seasonal::{Hydrology, Scenario};
    /// let s = Scenario::new("o", "2022", Hydrology::Normal).with_outage("A", "B");
    /// assert_eq!(s.outages.len(), 1);
    /// ```
    pub fn with_outage(mut self, from_bus: &str, to_bus: &str) -> Scenario {
        self.outages
            .push((from_bus.to_string(), to_bus.to_string()));
        self
    }

    /// Sets the load called `load` to `mean_mw` for the year (its energy
    /// becomes `mean_mw × 8.76` GWh in the base year; growth applies on
    /// top). The TALCO smelter's 300 / 500 / 700 MW cases of fact sheet 3.2:
    ///
    /// ```
    /// # use landlinked::seasonal::{Hydrology, Scenario};
    /// let s = Scenario::new("TALCO 700", "2022", Hydrology::Normal).with_load_mw("TALCO", 700.0);
    /// assert_eq!(s.loads_mw, vec![("TALCO".to_string(), 700.0)]);
    /// ```
    pub fn with_load_mw(mut self, load: &str, mean_mw: f64) -> Scenario {
        self.loads_mw.push((load.to_string(), mean_mw));
        self
    }

    /// Builds this scenario's grid from `source`: its stage and options,
    /// then its demand growth rate, load settings and outages. Errors name
    /// the scenario and what was wrong (an unknown load or bus, a negative
    /// or non-finite MW).
    ///
    /// ```
    /// use landlinked::seasonal::{Hydrology, Scenario};
    /// let file = "grids/central_asia/central_asia.toml";
    /// let s = Scenario::new("TALCO 700", "2022", Hydrology::Normal).with_load_mw("TALCO", 700.0);
    /// let g = s.grid(file)?;
    /// let talco = g.demand().loads().iter().find(|l| l.name == "TALCO").unwrap();
    /// assert!((talco.annual_energy_gwh - 6132.0).abs() < 1e-9);
    /// let bad = Scenario::new("x", "2022", Hydrology::Normal).with_load_mw("TALKO", 1.0);
    /// assert!(bad.grid(file).unwrap_err().to_string().contains("scenario `x`: loads"));
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn grid<S: GridSource + ?Sized>(&self, source: &S) -> Result<RegionalGrid> {
        let mut g = source.grid_for(&self.stage, &self.options)?;
        if self.demand_growth_pct.is_some() {
            g.set_demand_growth(self.demand_growth_pct)?;
        }
        let within = |what: &str, e: Error| Error::InFile {
            file: format!("scenario `{}`: {what}", self.name),
            source: Box::new(e),
        };
        for (load, mw) in &self.loads_mw {
            if !mw.is_finite() || *mw < 0.0 {
                let e = Error::InvalidValue {
                    element: format!("load `{load}`"),
                    field: "mean_mw".into(),
                    value: *mw,
                    expected: "a finite, non-negative mean load".into(),
                };
                return Err(within("loads", e));
            }
            g.set_load_energy(load, mw * 8.76)
                .map_err(|e| within("loads", e))?;
        }
        for (a, b) in &self.outages {
            g.set_branch_in_service(a, b, false)
                .map_err(|e| within("outages", e))?;
        }
        Ok(g)
    }
}

/// Tuning of the study.
///
/// ```
/// use landlinked::seasonal::StudySettings;
/// let s = StudySettings::default();
/// assert_eq!(s.exporter, None); // the grid's
/// assert!(s.transfer.n_minus_1);
/// assert!(s.merit_order.is_none()); // MERIT_ORDER
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StudySettings {
    /// Country code of the exporter whose surplus is studied; `None`: the
    /// grid's ([`RegionalGrid::exporter`], `[grid] exporter` in a grid
    /// file).
    pub exporter: Option<String>,
    /// Corridor names in dispatch order; the exporter's other corridors
    /// follow in file order. `None` (the default) is [`MERIT_ORDER`], the
    /// Central Asia grid's order over all its stages, where a name the grid
    /// does not have is passed over; a given list must name corridors of
    /// the grid (in some stage), or the study is refused.
    pub merit_order: Option<Vec<String>>,
    /// Transfer capability settings (N-1 on by default).
    pub transfer: TransferSettings,
}

/// What limits a corridor's export in a month.
///
/// ```
/// use landlinked::seasonal::Limit;
/// let l = Limit::Network { branch: "A–B".into(), outage: Some("C–D".into()) };
/// assert_eq!(l.to_string(), "network: branch A–B (N-1: outage of C–D)");
/// assert_eq!(Limit::CorridorCapacity.to_string(), "corridor capacity");
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Limit {
    /// The corridor is closed in this month.
    Season,
    /// Not enough water: the surplus left after the corridors before it.
    Surplus,
    /// The corridor's contracted or converter capacity.
    CorridorCapacity,
    /// A branch reaches its rating, in the base case or after an outage.
    Network {
        /// The limiting branch, `FROM–TO` by bus names.
        branch: String,
        /// The outage under which it limits (`None`: the base case).
        outage: Option<String>,
    },
}

impl std::fmt::Display for Limit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Limit::Season => write!(f, "season"),
            Limit::Surplus => write!(f, "surplus"),
            Limit::CorridorCapacity => write!(f, "corridor capacity"),
            Limit::Network {
                branch,
                outage: None,
            } => write!(f, "network: branch {branch}"),
            Limit::Network {
                branch,
                outage: Some(o),
            } => write!(f, "network: branch {branch} (N-1: outage of {o})"),
        }
    }
}

/// One scenario and month: the exporter's balance and the DC check.
///
/// ```
/// # use landlinked::seasonal::{Hydrology, Scenario, SeasonalStudy};
/// # let r = SeasonalStudy::run("grids/central_asia/central_asia.toml",
/// #     &[Scenario::new("s", "2022", Hydrology::Normal)])?;
/// let m = &r.months[0];
/// assert!((m.generation_gwh - m.load_gwh - m.surplus_gwh).abs() < 1e-9);
/// assert!((m.surplus_gwh.max(0.0) - m.exports_gwh - m.unused_gwh).abs() < 1e-9);
/// # Ok::<(), landlinked::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MonthResult {
    /// Scenario name.
    pub scenario: String,
    /// Month.
    pub month: Month,
    /// Hours in the month.
    pub hours: f64,
    /// Exporter's simulated hydro energy, GWh.
    pub hydro_gwh: f64,
    /// Exporter's thermal and small hydro energy, GWh.
    pub other_gwh: f64,
    /// `hydro_gwh + other_gwh`, GWh.
    pub generation_gwh: f64,
    /// Exporter's load (with growth), GWh.
    pub load_gwh: f64,
    /// `generation_gwh − load_gwh` (negative: a deficit), GWh.
    pub surplus_gwh: f64,
    /// `surplus_gwh` as a mean power, MW.
    pub surplus_mw: f64,
    /// Sum of the corridors' exports, MW.
    pub exports_mw: f64,
    /// Sum of the corridors' exports, GWh.
    pub exports_gwh: f64,
    /// Surplus not exported (spilled or stored), GWh.
    pub unused_gwh: f64,
    /// Load not met by own generation (imports), GWh.
    pub deficit_gwh: f64,
    /// Net flow out of the exporter in the DC check, over every branch
    /// and link crossing its border, MW: `exports_mw − deficit` as mean MW.
    pub border_flow_mw: f64,
    /// Highest branch loading in the DC check, % of `rate_a`.
    pub max_loading_pct: f64,
    /// The branch with the highest loading, `FROM–TO`.
    pub most_loaded_branch: String,
    /// Branches loaded beyond `rate_a` in the DC check (already in the
    /// base state: exports never add to an overload).
    pub overloaded_branches: usize,
}

/// One scenario, month and corridor of the exporter: dispatched export,
/// its limits, and the corridor's flow in the DC check.
///
/// ```
/// # use landlinked::seasonal::{Hydrology, Scenario, SeasonalStudy};
/// # let r = SeasonalStudy::run("grids/central_asia/central_asia.toml",
/// #     &[Scenario::new("s", "2022", Hydrology::Normal)])?;
/// for c in &r.corridors {
///     assert!(c.export_mw <= c.capacity_mw + 1e-9);
///     assert!(c.export_mw <= c.transfer_limit_mw.unwrap_or(f64::INFINITY) + 1e-9);
/// }
/// # Ok::<(), landlinked::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CorridorExport {
    /// Scenario name.
    pub scenario: String,
    /// Month.
    pub month: Month,
    /// Corridor name.
    pub corridor: String,
    /// Importing country.
    pub importer: String,
    /// Position in the merit order (0 first).
    pub merit: usize,
    /// Dispatched export (at the sending end), MW.
    pub export_mw: f64,
    /// Dispatched export over the month, GWh.
    pub export_gwh: f64,
    /// Corridor capacity (the smaller of contract and in-service links), MW.
    pub capacity_mw: f64,
    /// Network transfer capability to the corridor's far end when it was
    /// dispatched, MW; `None` when not computed (closed, no surplus) or
    /// unlimited (no rated branch responds).
    pub transfer_limit_mw: Option<f64>,
    /// What limits the export.
    pub limit: Limit,
    /// Corridor flow in the DC check, positive in the export direction, MW.
    pub dc_flow_mw: f64,
}

/// Every table of a study.
///
/// ```
/// # use landlinked::seasonal::{Hydrology, Scenario, SeasonalStudy};
/// let r = SeasonalStudy::run("grids/central_asia/central_asia.toml",
///     &[Scenario::new("s", "2022", Hydrology::Normal)])?;
/// assert_eq!(r.months.len(), 12);
/// assert_eq!(r.scenarios[0].name, "s");
/// # Ok::<(), landlinked::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StudyResults {
    /// The scenarios, as run.
    pub scenarios: Vec<Scenario>,
    /// One row per scenario and month.
    pub months: Vec<MonthResult>,
    /// One row per scenario, month and exporter corridor (merit order).
    pub corridors: Vec<CorridorExport>,
}

impl StudyResults {
    /// The row of `scenario` and `month`.
    ///
    /// ```
    /// # use landlinked::seasonal::{Hydrology, Scenario, SeasonalStudy};
    /// # let r = SeasonalStudy::run("grids/central_asia/central_asia.toml",
    /// #     &[Scenario::new("s", "2022", Hydrology::Normal)])?;
    /// assert!(r.month("s", landlinked::calendar::Month::Jan).unwrap().surplus_gwh < 0.0);
    /// assert!(r.month("other", landlinked::calendar::Month::Jan).is_none());
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn month(&self, scenario: &str, month: Month) -> Option<&MonthResult> {
        self.months
            .iter()
            .find(|m| m.scenario == scenario && m.month == month)
    }

    /// The corridor rows of `scenario` and `month`, in merit order.
    ///
    /// ```
    /// # use landlinked::seasonal::{Hydrology, Scenario, SeasonalStudy};
    /// # let r = SeasonalStudy::run("grids/central_asia/central_asia.toml",
    /// #     &[Scenario::new("s", "2022", Hydrology::Normal)])?;
    /// assert!(r.corridors_in("s", landlinked::calendar::Month::Jan).all(|c| c.export_mw == 0.0));
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn corridors_in<'a>(
        &'a self,
        scenario: &'a str,
        month: Month,
    ) -> impl Iterator<Item = &'a CorridorExport> + 'a {
        self.corridors
            .iter()
            .filter(move |c| c.scenario == scenario && c.month == month)
    }

    /// Annual exports of `scenario`, GWh.
    ///
    /// ```
    /// # use landlinked::seasonal::{Hydrology, Scenario, SeasonalStudy};
    /// # let r = SeasonalStudy::run("grids/central_asia/central_asia.toml",
    /// #     &[Scenario::new("s", "2022", Hydrology::Normal)])?;
    /// assert!(r.annual_exports_gwh("s") > 0.0);
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn annual_exports_gwh(&self, scenario: &str) -> f64 {
        let rows = self.months.iter().filter(|m| m.scenario == scenario);
        rows.map(|m| m.exports_gwh).sum()
    }
}

/// Where a study run is: called after every scenario × month.
///
/// ```
/// let p = landlinked::seasonal::Progress { scenario: "s".into(), month: landlinked::calendar::Month::Jan, done: 1, total: 12 };
/// assert!(p.done <= p.total);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Progress {
    /// Scenario just computed.
    pub scenario: String,
    /// Month just computed.
    pub month: Month,
    /// Scenario × months done.
    pub done: usize,
    /// Scenario × months in all.
    pub total: usize,
}

/// The seasonal export study (see the [module documentation](self)).
///
/// ```
/// use landlinked::seasonal::{Hydrology, Scenario, SeasonalStudy};
/// let err = SeasonalStudy::run("grids/central_asia/central_asia.toml",
///     &[Scenario::new("x", "2040", Hydrology::Normal)]).unwrap_err();
/// assert!(err.to_string().contains("unknown stage `2040`"));
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SeasonalStudy {
    /// Settings.
    pub settings: StudySettings,
}

impl SeasonalStudy {
    /// Runs `scenarios` with the default settings on `grid`: a grid file's
    /// path, a parsed [`GridDocument`](crate::io::grid::GridDocument), or a
    /// built (and perhaps edited) [`RegionalGrid`] (see [`GridSource`]).
    ///
    /// ```
    /// use landlinked::seasonal::{Hydrology, Scenario, SeasonalStudy};
    /// let r = SeasonalStudy::run("grids/central_asia/central_asia.toml",
    ///     &[Scenario::new("dry", "2022", Hydrology::Dry)])?;
    /// assert_eq!(r.months.len(), 12);
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn run<S: GridSource + ?Sized>(grid: &S, scenarios: &[Scenario]) -> Result<StudyResults> {
        SeasonalStudy::default().run_with(grid, scenarios, |_| {})
    }

    /// Runs `scenarios` on `grid`, calling `progress` after each scenario ×
    /// month. Every scenario is built and checked before any is run: a
    /// repeated scenario name, an unknown stage, option, outage bus or
    /// exporter, or a merit-order name that is no corridor of any
    /// scenario's grid is an error naming it. Each scenario's network is
    /// factorised once, and its outage sensitivities prepared once, for all
    /// its months.
    ///
    /// ```
    /// use landlinked::seasonal::{Hydrology, Scenario, SeasonalStudy};
    /// let mut calls = 0;
    /// SeasonalStudy::default().run_with("grids/central_asia/central_asia.toml",
    ///     &[Scenario::new("n", "2022", Hydrology::Normal)], |_| calls += 1)?;
    /// assert_eq!(calls, 12);
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn run_with<S: GridSource + ?Sized>(
        &self,
        grid: &S,
        scenarios: &[Scenario],
        mut progress: impl FnMut(Progress),
    ) -> Result<StudyResults> {
        for (i, s) in scenarios.iter().enumerate() {
            if scenarios[..i].iter().any(|o| o.name == s.name) {
                return Err(Error::Duplicate {
                    kind: "scenario".into(),
                    name: s.name.clone(),
                });
            }
        }
        self.check_merit_order(grid)?;
        let merit = self.merit_order();
        let ctxs = scenarios
            .iter()
            .map(|s| dispatch::ScenarioCtx::new(grid, s, &self.settings, &merit))
            .collect::<Result<Vec<_>>>()?;
        let total = scenarios.len() * Month::ALL.len();
        let mut out = StudyResults {
            scenarios: scenarios.to_vec(),
            months: Vec::with_capacity(total),
            corridors: Vec::new(),
        };
        for (s, (scenario, ctx)) in scenarios.iter().zip(&ctxs).enumerate() {
            let prep = ctx.prepare()?;
            for month in Month::ALL {
                let (m, c) = ctx.month(month, &prep)?;
                out.months.push(m);
                out.corridors.extend(c);
                progress(Progress {
                    scenario: scenario.name.clone(),
                    month,
                    done: s * 12 + month.index() + 1,
                    total,
                });
            }
        }
        Ok(out)
    }

    /// Every name of a given merit order is a corridor of the grid (in
    /// some stage).
    fn check_merit_order<S: GridSource + ?Sized>(&self, grid: &S) -> Result<()> {
        let Some(order) = &self.settings.merit_order else {
            return Ok(());
        };
        let known = grid.corridor_names()?;
        match order.iter().find(|n| !known.contains(n)) {
            Some(name) => Err(Error::NotFound {
                kind: "corridor in the merit order".into(),
                name: name.clone(),
                known,
            }),
            None => Ok(()),
        }
    }

    /// The merit order in force: the given one, or [`MERIT_ORDER`].
    fn merit_order(&self) -> Vec<String> {
        match &self.settings.merit_order {
            Some(order) => order.clone(),
            None => MERIT_ORDER.iter().map(|s| s.to_string()).collect(),
        }
    }
}
