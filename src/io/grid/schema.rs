//! The grid file's records, exactly as written in TOML (see `grids/README.md`).
//!
//! Unknown keys are rejected (`deny_unknown_fields`), so a misspelt or
//! wrongly united field (`capacity_kw`) is an error, not a silent default.
//!
//! ```
//! use landlinked::io::grid;
//! let text = "[grid]\nname = \"x\"\nbase_mva = 100.0\n\
//!             [[plant]]\nname = \"G\"\ntype = \"thermal\"\nbus = \"A\"\ninstalled_mw = 200.0\n";
//! let doc = grid::parse_str(text, "ok.toml")?;
//! assert_eq!(doc.data.plants[0].installed_mw, 200.0);
//! // A wrongly united field is an error, not a silent default.
//! let err = grid::parse_str(&text.replace("installed_mw = 200.0", "capacity_kw = 2e5"), "bad.toml");
//! assert!(err.unwrap_err().to_string().contains("unknown field `capacity_kw`"));
//! # Ok::<(), landlinked::Error>(())
//! ```

use serde::{Deserialize, Serialize};

use super::base::{BaseSpec, ZoneSpec};
use super::refs::{BranchRef, ContingencySpec};
use crate::calendar::{Month, Weekday};
use crate::demand::LoadClass;
use crate::hydro::HeadPoint;
use crate::region::PlantType;

/// A bus reference: its number (`101`) or its name (`"TJ_NUREK_500"`).
///
/// ```
/// use landlinked::io::grid::BusRef;
/// let r: BusRef = serde_json::from_str("\"TJ_NUREK_500\"").unwrap();
/// assert_eq!(r, BusRef::Name("TJ_NUREK_500".into()));
/// assert_eq!(r.to_string(), "TJ_NUREK_500");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum BusRef {
    /// By bus number.
    Number(u64),
    /// By bus name.
    Name(String),
}

impl std::fmt::Display for BusRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BusRef::Number(n) => write!(f, "{n}"),
            BusRef::Name(s) => write!(f, "{s}"),
        }
    }
}

/// The whole file: one `[grid]` header and arrays of tables.
///
/// ```
/// use landlinked::io::grid::GridFile;
/// let f: GridFile = toml::from_str("[grid]\nname = \"x\"\nbase_mva = 100.0\n").unwrap();
/// assert!(f.buses.is_empty());
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GridFile {
    /// Name, MVA base, default stage.
    pub grid: GridHeader,
    /// Named options that elements can depend on (`when`/`unless`).
    #[serde(default, rename = "option")]
    pub options: Vec<OptionSpec>,
    /// Commissioning stages: named sets of options.
    #[serde(default, rename = "stage")]
    pub stages: Vec<StageSpec>,
    /// `[[bus]]` records.
    #[serde(default, rename = "bus")]
    pub buses: Vec<BusSpec>,
    /// `[[line]]` records.
    #[serde(default, rename = "line")]
    pub lines: Vec<LineSpec>,
    /// `[[transformer]]` records.
    #[serde(default, rename = "transformer")]
    pub transformers: Vec<TransformerSpec>,
    /// `[[link]]` records (HVDC).
    #[serde(default, rename = "link")]
    pub links: Vec<LinkSpec>,
    /// `[[inflow]]` monthly inflow profiles, referenced by hydro plants.
    #[serde(default, rename = "inflow")]
    pub inflows: Vec<InflowSpec>,
    /// `[[plant]]` records.
    #[serde(default, rename = "plant")]
    pub plants: Vec<PlantSpec>,
    /// `[[load]]` records.
    #[serde(default, rename = "load")]
    pub loads: Vec<LoadSpec>,
    /// `[[corridor]]` records.
    #[serde(default, rename = "corridor")]
    pub corridors: Vec<CorridorSpec>,
    /// `[base]`: the MATPOWER case the network is taken from (instead of
    /// `[[bus]]` records).
    #[serde(default)]
    pub base: Option<BaseSpec>,
    /// `[[zone]]` records of a grid on a case: areas or buses, their
    /// country and their load's profile.
    #[serde(default, rename = "zone")]
    pub zones: Vec<ZoneSpec>,
    /// `[contingencies]`: the outages of the N-1 checks (default: every
    /// branch).
    #[serde(default)]
    pub contingencies: Option<ContingencySpec>,
}

/// `[grid]`: the file's header.
///
/// ```
/// use landlinked::io::grid::GridHeader;
/// let h: GridHeader = toml::from_str("name = \"x\"\nbase_mva = 100.0").unwrap();
/// assert_eq!(h.default_stage, None);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GridHeader {
    /// Grid name.
    pub name: String,
    /// System MVA base for per-unit values.
    pub base_mva: f64,
    /// Reference year of the data.
    #[serde(default)]
    pub year: Option<u32>,
    /// Free text.
    #[serde(default)]
    pub description: Option<String>,
    /// Stage used by [`read`](super::read); none means no option is active.
    #[serde(default)]
    pub default_stage: Option<String>,
    /// The country whose exports a study examines when its settings name
    /// none.
    #[serde(default)]
    pub exporter: Option<String>,
}

/// `[[option]]`: a named switch (a plant's rehabilitation, a link's commissioning).
///
/// ```
/// use landlinked::io::grid::OptionSpec;
/// let o: OptionSpec = toml::from_str("name = \"casa\"").unwrap();
/// assert_eq!(o.name, "casa");
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OptionSpec {
    /// Unique name.
    pub name: String,
    /// What switching it on means.
    #[serde(default)]
    pub description: Option<String>,
    /// Source of the facts behind it.
    #[serde(default)]
    pub source: Option<String>,
}

/// `[[stage]]`: a commissioning stage, the set of options that are on.
///
/// ```
/// use landlinked::io::grid::StageSpec;
/// let s: StageSpec = toml::from_str("name = \"2030\"\noptions = [\"casa\"]").unwrap();
/// assert_eq!(s.options, ["casa"]);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StageSpec {
    /// Unique name.
    pub name: String,
    /// What the stage represents.
    #[serde(default)]
    pub description: Option<String>,
    /// Options switched on.
    #[serde(default)]
    pub options: Vec<String>,
}

/// Fields shared by every element: presence conditions and a source.
///
/// ```
/// use landlinked::io::grid::Gate;
/// assert!(Gate::default().is_active(&[]));
/// let g = Gate { when: Some("casa".into()), unless: None };
/// assert!(g.is_active(&["casa".to_string()]) && !g.is_active(&[]));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Gate {
    /// The element exists only when this option is on.
    #[serde(default)]
    pub when: Option<String>,
    /// The element exists only when this option is off.
    #[serde(default)]
    pub unless: Option<String>,
}

impl Gate {
    /// Whether the element exists with the options `active`.
    ///
    /// ```
    /// use landlinked::io::grid::Gate;
    /// let g = Gate { when: None, unless: Some("rogun_full".into()) };
    /// assert!(!g.is_active(&["rogun_full".to_string()]));
    /// ```
    pub fn is_active(&self, active: &[String]) -> bool {
        let on = |o: &String| active.contains(o);
        self.when.as_ref().is_none_or(on) && !self.unless.as_ref().is_some_and(on)
    }
}

/// `[[bus]]`.
///
/// ```
/// use landlinked::io::grid::BusSpec;
/// let b: BusSpec = toml::from_str("id = 1\nname = \"A\"\ncountry = \"TJ\"\nzone = \"Z\"\nkv = 500.0").unwrap();
/// assert!(!b.slack);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BusSpec {
    /// Bus number (positive, unique).
    pub id: u64,
    /// Unique short name, used in references.
    pub name: String,
    /// Longer description.
    #[serde(default)]
    pub description: Option<String>,
    /// Country code (`TJ`, `UZ`, `KG`, `AF`, `PK`, `TM`).
    pub country: String,
    /// Zone within the country.
    pub zone: String,
    /// Nominal voltage, kV.
    pub kv: f64,
    /// Latitude, degrees north.
    #[serde(default)]
    pub lat: Option<f64>,
    /// Longitude, degrees east.
    #[serde(default)]
    pub lon: Option<f64>,
    /// Reference (slack) bus of its island.
    #[serde(default)]
    pub slack: bool,
    /// A DC bus: kept for maps, left out of the AC model (isolated).
    #[serde(default)]
    pub dc: bool,
    /// Present only when this option is on.
    #[serde(default)]
    pub when: Option<String>,
    /// Present only when this option is off.
    #[serde(default)]
    pub unless: Option<String>,
    /// Source of the location and role.
    #[serde(default)]
    pub source: Option<String>,
}

/// `[[line]]`: one or more identical parallel circuits between two buses.
///
/// ```
/// use landlinked::io::grid::LineSpec;
/// let l: LineSpec = toml::from_str("from = 1\nto = \"B\"\nx_pu = 0.1\nrating_mw = 250.0").unwrap();
/// assert_eq!(l.circuits, 1);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LineSpec {
    /// Optional name.
    #[serde(default)]
    pub name: Option<String>,
    /// From bus.
    pub from: BusRef,
    /// To bus.
    pub to: BusRef,
    /// Nominal voltage, kV (default: the from bus's).
    #[serde(default)]
    pub kv: Option<f64>,
    /// Route length, km.
    #[serde(default)]
    pub length_km: Option<f64>,
    /// Series reactance per circuit per km, Ω/km (with `length_km`).
    #[serde(default)]
    pub x_ohm_per_km: Option<f64>,
    /// Series resistance per circuit per km, Ω/km (informative in DC).
    #[serde(default)]
    pub r_ohm_per_km: Option<f64>,
    /// Series reactance of one circuit, p.u. on the grid base (instead of per-km values).
    #[serde(default)]
    pub x_pu: Option<f64>,
    /// Number of identical parallel circuits.
    /// Resistance per circuit on the system base, p.u. (instead of
    /// `r_ohm_per_km`; DC ignores it).
    #[serde(default)]
    pub r_pu: Option<f64>,
    #[serde(default = "one")]
    pub circuits: u32,
    /// Rating of one circuit, MW.
    pub rating_mw: f64,
    /// In service?
    #[serde(default = "yes")]
    pub in_service: bool,
    /// Present only when this option is on.
    #[serde(default)]
    pub when: Option<String>,
    /// Present only when this option is off.
    #[serde(default)]
    pub unless: Option<String>,
    /// Source of the figures.
    #[serde(default)]
    pub source: Option<String>,
}

/// `[[transformer]]`: one or more identical parallel units.
///
/// ```
/// use landlinked::io::grid::TransformerSpec;
/// let t: TransformerSpec = toml::from_str("from = 1\nto = 2\nx_pu_own = 0.11\nrating_mva = 501.0").unwrap();
/// assert_eq!(t.units, 1);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransformerSpec {
    /// Optional name.
    #[serde(default)]
    pub name: Option<String>,
    /// From (high-voltage) bus.
    pub from: BusRef,
    /// To bus.
    pub to: BusRef,
    /// Reactance per unit on the unit's own rating (`rating_mva`).
    #[serde(default)]
    pub x_pu_own: Option<f64>,
    /// Reactance of the whole transformer on the system base, p.u.
    /// (instead of `x_pu_own`).
    #[serde(default)]
    pub x_pu: Option<f64>,
    /// Rating of one unit, MVA.
    pub rating_mva: f64,
    /// Number of identical parallel units.
    #[serde(default = "one")]
    pub units: u32,
    /// Off-nominal ratio (0 or absent means 1).
    #[serde(default)]
    pub tap: f64,
    /// Phase shift, degrees.
    #[serde(default)]
    pub shift_deg: f64,
    /// In service?
    #[serde(default = "yes")]
    pub in_service: bool,
    /// Present only when this option is on.
    #[serde(default)]
    pub when: Option<String>,
    /// Present only when this option is off.
    #[serde(default)]
    pub unless: Option<String>,
    /// Source of the figures.
    #[serde(default)]
    pub source: Option<String>,
}

/// `[[link]]`: an HVDC link between two AC buses.
///
/// ```
/// use landlinked::io::grid::LinkSpec;
/// let l: LinkSpec = toml::from_str("name = \"L\"\nfrom = 1\nto = 2\ncapacity_forward_mw = 1300.0\nlosses_pct = 4.0").unwrap();
/// assert_eq!(l.capacity_reverse_mw, None);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkSpec {
    /// Unique name.
    pub name: String,
    /// Sending bus for positive set-points.
    pub from: BusRef,
    /// Receiving bus.
    pub to: BusRef,
    /// Capacity from → to, MW.
    pub capacity_forward_mw: f64,
    /// Capacity to → from, MW (default: the forward capacity).
    #[serde(default)]
    pub capacity_reverse_mw: Option<f64>,
    /// End-to-end losses, % of the sent power.
    pub losses_pct: f64,
    /// In service?
    #[serde(default = "yes")]
    pub in_service: bool,
    /// Present only when this option is on.
    #[serde(default)]
    pub when: Option<String>,
    /// Present only when this option is off.
    #[serde(default)]
    pub unless: Option<String>,
    /// Source of the figures.
    #[serde(default)]
    pub source: Option<String>,
}

/// `[[inflow]]`: a monthly natural inflow profile.
///
/// ```
/// use landlinked::io::grid::InflowSpec;
/// let q: InflowSpec = toml::from_str("name = \"v\"\ninflow_m3s = [1.0]").unwrap();
/// assert_eq!(q.inflow_m3s, [1.0]);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InflowSpec {
    /// Unique name.
    pub name: String,
    /// River and gauge.
    #[serde(default)]
    pub river: Option<String>,
    /// Mean flow of each month, m³/s, January first (12 values).
    pub inflow_m3s: Vec<f64>,
    /// Source.
    #[serde(default)]
    pub source: Option<String>,
}

/// `[[plant]]`.
///
/// ```
/// use landlinked::{io::grid::PlantSpec, region::PlantType};
/// let p: PlantSpec = toml::from_str("name = \"A\"\ntype = \"thermal\"\nbus = 1\ninstalled_mw = 400.0").unwrap();
/// assert_eq!(p.kind, PlantType::Thermal);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlantSpec {
    /// Unique name among active plants.
    pub name: String,
    /// Plant type.
    #[serde(rename = "type")]
    pub kind: PlantType,
    /// Connection bus.
    pub bus: BusRef,
    /// Nameplate capacity, MW.
    pub installed_mw: f64,
    /// Available capacity (ageing, derating), MW; default the nameplate.
    #[serde(default)]
    pub available_mw: Option<f64>,
    /// Number of units (informative).
    #[serde(default)]
    pub units: Option<u32>,
    /// Hydro: overall efficiency, 0–1.
    #[serde(default)]
    pub efficiency: Option<f64>,
    /// Hydro run-of-river: gross head, m.
    #[serde(default)]
    pub head_m: Option<f64>,
    /// Hydro: the plant receiving this plant's outflow.
    #[serde(default)]
    pub downstream: Option<String>,
    /// Hydro: the `[[inflow]]` profile feeding this plant laterally.
    #[serde(default)]
    pub inflow: Option<String>,
    /// Hydro: share of that profile reaching this plant.
    #[serde(default = "one_f64")]
    pub inflow_share: f64,
    /// Hydro: minimum environmental release, m³/s.
    #[serde(default)]
    pub min_release_m3s: f64,
    /// Hydro: maximum turbine discharge, m³/s (default: derived from capacity and head).
    #[serde(default)]
    pub max_discharge_m3s: Option<f64>,
    /// Hydro: water taken off at the plant before its turbines and leaving the
    /// cascade (an irrigation canal), 12 monthly means in m³/s, January first.
    #[serde(default)]
    pub diversion_m3s: Option<Vec<f64>>,
    /// Hydro: the reservoir, for a storage plant.
    #[serde(default)]
    pub reservoir: Option<ReservoirSpec>,
    /// Thermal and small hydro: monthly capacity factors on the available capacity, 0–1.
    #[serde(default)]
    pub capacity_factor: Option<Vec<f64>>,
    /// Thermal: fuel (informative).
    #[serde(default)]
    pub fuel: Option<String>,
    /// Equivalent: output in the base network, MW.
    #[serde(default)]
    pub dispatch_mw: Option<f64>,
    /// Present only when this option is on.
    #[serde(default)]
    pub when: Option<String>,
    /// Present only when this option is off.
    #[serde(default)]
    pub unless: Option<String>,
    /// Source of the figures.
    #[serde(default)]
    pub source: Option<String>,
}

/// `[plant.reservoir]`.
///
/// ```
/// use landlinked::io::grid::ReservoirSpec;
/// let r: ReservoirSpec = toml::from_str("useful_hm3 = 4500.0\nhead_m = 230.0").unwrap();
/// assert_eq!(r.dead_hm3, None);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReservoirSpec {
    /// Useful (active) storage, hm³.
    pub useful_hm3: f64,
    /// Dead storage, hm³ (default: `total_hm3 − useful_hm3`, or 0).
    #[serde(default)]
    pub dead_hm3: Option<f64>,
    /// Total storage, hm³ (checked against dead + useful).
    #[serde(default)]
    pub total_hm3: Option<f64>,
    /// Total storage on 1 January, hm³ (default: the December rule-curve target, or full).
    #[serde(default)]
    pub initial_hm3: Option<f64>,
    /// Fixed gross head, m (or `head_curve`).
    #[serde(default)]
    pub head_m: Option<f64>,
    /// Storage → head curve (total storage, hm³; gross head, m).
    #[serde(default)]
    pub head_curve: Option<Vec<HeadPoint>>,
    /// End-of-month fill of the useful storage, 0–1, January first.
    #[serde(default)]
    pub rule_curve: Option<Vec<f64>>,
    /// An option under which this reservoir holds a constant, full level
    /// (its rule curve becomes 1.0 in every month: run-of-river on what
    /// arrives), because a reservoir upstream does the seasonal regulation:
    /// Nurek once Rogun is complete (fact sheet 2.3, P135).
    #[serde(default)]
    pub constant_level_when: Option<String>,
    /// Source of the figures.
    #[serde(default)]
    pub source: Option<String>,
}

/// A corridor's co-supplier in a grid file:
/// `partner = { country = "KG", bus = "KG_TOKTOGUL_500", share = 0.3, available_mw = [...] }`.
///
/// ```
/// use landlinked::io::grid::PartnerSpec;
/// let p: PartnerSpec = toml::from_str("country = \"KG\"\nbus = 202\nshare = 0.3\navailable_mw = [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]").unwrap();
/// assert_eq!(p.share, 0.3);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartnerSpec {
    /// The partner's country code.
    pub country: String,
    /// Where its power enters (bus name or number, in that country).
    pub bus: BusRef,
    /// Its share of the corridor's energy, 0–1 (exclusive).
    pub share: f64,
    /// What it can deliver per month, MW (12 values).
    pub available_mw: Vec<f64>,
}

/// A bus and its share of a load.
///
/// ```
/// use landlinked::io::grid::ShareSpec;
/// let s: ShareSpec = toml::from_str("bus = \"A\"\nshare = 0.5").unwrap();
/// assert_eq!(s.share, 0.5);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShareSpec {
    /// The bus.
    pub bus: BusRef,
    /// Its share, 0–1.
    pub share: f64,
}

/// A daily profile in a grid file: 24 relative factors (hour 0 = 00:00–01:00) for
/// every month, or 12 rows of 24, January first.
///
/// ```
/// use landlinked::io::grid::DailyProfile;
/// let p: DailyProfile = toml::from_str::<toml::Table>("p = [[1.0, 2.0]]").unwrap()["p"]
///     .clone().try_into().unwrap();
/// assert_eq!(p, DailyProfile::ByMonth(vec![vec![1.0, 2.0]]));
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum DailyProfile {
    /// One row of 24 factors for every month.
    Day(Vec<f64>),
    /// 12 rows of 24 factors, January first.
    ByMonth(Vec<Vec<f64>>),
}

/// `[[load]]`: annual energy, class, monthly, daily and weekly profiles, bus
/// shares.
///
/// ```
/// use landlinked::io::grid::LoadSpec;
/// use landlinked::demand::LoadClass;
/// let l: LoadSpec = toml::from_str("name = \"L\"\nannual_gwh = 100.0\nbuses = [{ bus = 1, share = 1.0 }]").unwrap();
/// assert_eq!(l.monthly_power_factors, None);
/// let p: LoadSpec = toml::from_str("name = \"P\"\nannual_gwh = 9.0\nclass = \"irrigation\"\nbuses = [{ bus = 1, share = 1.0 }]").unwrap();
/// assert_eq!(p.class, Some(LoadClass::Irrigation));
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoadSpec {
    /// Unique name.
    pub name: String,
    /// Energy in the base year, GWh (losses included for a transmission model).
    pub annual_gwh: f64,
    /// Growth, % per year.
    #[serde(default)]
    pub growth_pct_per_year: f64,
    /// Kind of load, which gives the defaults of the profiles below (E; see
    /// [`LoadClass`]); none: flat profiles.
    #[serde(default)]
    pub class: Option<LoadClass>,
    /// Relative mean power of each month, January first (default: the class's,
    /// or flat).
    #[serde(default)]
    pub monthly_power_factors: Option<Vec<f64>>,
    /// Relative power over the hours of a day (default: the class's, or flat);
    /// on weekend days too unless `weekend_profile` is given.
    #[serde(default)]
    pub daily_profile: Option<DailyProfile>,
    /// Relative power over the hours of a weekend day (default: `daily_profile`).
    #[serde(default)]
    pub weekend_profile: Option<DailyProfile>,
    /// Mean power of a weekend day relative to a weekday of the same month
    /// (default: the class's, or 1).
    #[serde(default)]
    pub weekend_factor: Option<f64>,
    /// Weekend days (default `["Sat", "Sun"]`).
    #[serde(default)]
    pub weekend_days: Option<Vec<Weekday>>,
    /// Buses and shares (all in one country).
    pub buses: Vec<ShareSpec>,
    /// Present only when this option is on.
    #[serde(default)]
    pub when: Option<String>,
    /// Present only when this option is off.
    #[serde(default)]
    pub unless: Option<String>,
    /// Source of the figures (the profiles too, unless `profile_source` is given).
    #[serde(default)]
    pub source: Option<String>,
    /// Source of the class, daily and weekly profiles.
    #[serde(default)]
    pub profile_source: Option<String>,
}

/// `[[corridor]]`.
///
/// ```
/// use landlinked::io::grid::CorridorSpec;
/// let c: CorridorSpec = toml::from_str("name = \"C\"\nexporter = \"TJ\"\nimporter = \"AF\"\ncapacity_mw = 300.0\nbranches = [[1, 2], [3, 4, 2]]").unwrap();
/// assert!(c.export_months.is_empty()); // empty means all year
/// assert_eq!(c.branches[1].circuit(), Some(2)); // the second circuit from 3 to 4
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CorridorSpec {
    /// Unique name.
    pub name: String,
    /// Exporting country code.
    pub exporter: String,
    /// Importing country code.
    pub importer: String,
    /// Contracted or nominal capacity, MW.
    pub capacity_mw: f64,
    /// Export season (empty: all year).
    #[serde(default)]
    pub export_months: Vec<Month>,
    /// AC branches as `[export-side bus, import-side bus]` pairs (every
    /// circuit between them) or `[export-side bus, import-side bus,
    /// circuit]` triples (one circuit).
    #[serde(default)]
    pub branches: Vec<BranchRef>,
    /// HVDC links by name (forward = export).
    #[serde(default)]
    pub links: Vec<String>,
    /// Price the importer pays, US$/MWh.
    #[serde(default)]
    pub price_usd_per_mwh: Option<f64>,
    /// Transit fee to a country in between, US$/MWh.
    #[serde(default)]
    pub transit_fee_usd_per_mwh: f64,
    /// The importer's appetite per month, 12 values, MW.
    #[serde(default)]
    pub appetite_mw: Option<Vec<f64>>,
    /// Energy cap of a year's export season, GWh.
    #[serde(default)]
    pub season_cap_gwh: Option<f64>,
    /// Imports the exporter may take over the corridor, MW.
    #[serde(default)]
    pub import_capacity_mw: f64,
    /// Months in which imports are possible.
    #[serde(default)]
    pub import_months: Vec<Month>,
    /// Price of imports, US$/MWh.
    #[serde(default)]
    pub import_price_usd_per_mwh: Option<f64>,
    /// A firm export per month (12 values, MW), delivered even when the
    /// exporter is short.
    #[serde(default)]
    pub firm_mw: Option<Vec<f64>>,
    /// A co-supplier with a contracted share of the energy (see
    /// [`crate::region::Partner`]).
    #[serde(default)]
    pub partner: Option<PartnerSpec>,
    /// Present only when this option is on.
    #[serde(default)]
    pub when: Option<String>,
    /// Present only when this option is off.
    #[serde(default)]
    pub unless: Option<String>,
    /// Source of the figures.
    #[serde(default)]
    pub source: Option<String>,
}

/// Elements with `when`/`unless` presence conditions.
pub(crate) trait Gated {
    /// Their conditions as a [`Gate`].
    fn gate(&self) -> Gate;
}

macro_rules! gated {
    ($($t:ty),*) => {$(
        impl Gated for $t {
            fn gate(&self) -> Gate {
                Gate { when: self.when.clone(), unless: self.unless.clone() }
            }
        }
    )*};
}
gated!(
    BusSpec,
    LineSpec,
    TransformerSpec,
    LinkSpec,
    PlantSpec,
    LoadSpec,
    CorridorSpec
);

fn one() -> u32 {
    1
}

fn one_f64() -> f64 {
    1.0
}

fn yes() -> bool {
    true
}
