//! Studies on any MATPOWER grid: a grid file whose network is a MATPOWER
//! case (`[base] matpower = "case.m"`), with its areas or bus lists as
//! zones and countries, an hourly load profile per zone, and corridors,
//! hydro plants with reservoirs and a contingency list written as in any
//! grid file (`grids/README.md`, "Studies on any MATPOWER grid").
//!
//! **Why a table of the grid format, not a separate overlay format.** An
//! overlay is a grid file with `[base]` instead of `[[bus]]` records; it
//! goes through [`GridDocument::build`](super::GridDocument::build) like
//! any grid file and gives the same [`RegionalGrid`](crate::region::RegionalGrid).
//! So the hourly study, sweeps, `landlinked study OVERLAY.toml`, stages
//! and options, the edit methods and the Python package's
//! `RegionalGrid.read` work on a case unchanged, and every record the
//! format has (`[[plant]]` with `[plant.reservoir]`, `[[inflow]]`,
//! `[[load]]`, `[[corridor]]`, `[[line]]`, `[[link]]`, `[[option]]`,
//! `[[stage]]`) keeps its meaning and its checks. A separate schema
//! converted into a grid document would have had to write the case as
//! `[[line]]` and `[[transformer]]` records, losing what they cannot say
//! (bus shunts, the reference angle, unrated transformers, branch order);
//! here the case's buses and branches are taken as they are, so the grid's
//! DC power flow is the case's own `rundcpf`.
//!
//! **What becomes of the case.** Buses keep their numbers (their name in
//! the grid is the number as text: `"10234"`), types, shunts, angles and
//! areas; each belongs to the [`ZoneSpec`] that lists it, or whose areas
//! hold it, or else to a zone and country named `area N`. Branches are
//! the case's, in its order (the file's `[[line]]`s and `[[transformer]]`s
//! come after them). Every in-service generator becomes a plant `gen K`
//! (`K` its row in `mpc.gen`, from 1) of type
//! [`Balancing`](crate::region::PlantType::Balancing), its case output as
//! `dispatch_mw`: in the hourly study the generators outside the exporter
//! follow the load of the rest of the system (each at the same multiple of
//! its case output), and the exporter's run flat at their case output,
//! beside the file's hydro plants. Out-of-service generators and the
//! case's `dcline`, `gencost` and other fields play no part and are left
//! out. Each zone's buses with a positive `Pd` carry one load, named after
//! the zone, with the case's `Pd` as bus shares and `ΣPd × 8,760 h` as its
//! energy (unless `annual_gwh` says otherwise), shaped by the zone's
//! profile; a negative `Pd` (embedded generation) is a fixed injection,
//! a plant `bus N load` of type `equivalent`. With no profile and no edit,
//! the grid's network (loads at their annual mean, generators at their
//! case output) is the case: same flows, same angles.
//!
//! ```
//! use landlinked::io::grid;
//! let g = grid::read("grids/three_areas/three_areas.toml")?;
//! let case = landlinked::io::matpower::read("grids/three_areas/three_areas.m")?;
//! assert_eq!(g.network().buses.len(), case.buses.len());
//! assert_eq!(g.network().branches.len(), case.branches.len());
//! assert_eq!(g.exporter(), Some("HY"));
//! assert!(g.base_case().unwrap().ends_with("three_areas.m"));
//! # Ok::<(), landlinked::Error>(())
//! ```

mod case;
mod csv_column;
mod zones;

pub(super) use case::read_case;

use serde::{Deserialize, Serialize};

use super::schema::DailyProfile;
use crate::calendar::Weekday;
use crate::demand::LoadClass;

/// `[base]`: the MATPOWER case the grid's network is taken from.
///
/// ```
/// use landlinked::io::grid::BaseSpec;
/// let b: BaseSpec = toml::from_str("matpower = \"case_ACTIVSg10k.m\"").unwrap();
/// assert_eq!(b.matpower, "case_ACTIVSg10k.m");
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaseSpec {
    /// The case file (MATPOWER format version 2): a path relative to the
    /// grid file, or else a file of that name in the folder named by the
    /// environment variable `LANDLINKED_CASES`.
    pub matpower: String,
    /// Source of the case.
    #[serde(default)]
    pub source: Option<String>,
}

/// A CSV column of hourly load: `profile_csv = { file = "loads.csv",
/// column = "north" }`. The file has a header row and 8,760 rows after it
/// (hour 0 = 1 January 00:00–01:00); the column's values are relative (any
/// unit), scaled to the zone's energy.
///
/// ```
/// use landlinked::io::grid::ProfileCsv;
/// let p: ProfileCsv = toml::from_str("file = \"loads.csv\"\ncolumn = \"north\"").unwrap();
/// assert_eq!(p.column, "north");
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileCsv {
    /// The CSV file, relative to the grid file.
    pub file: String,
    /// The column's header.
    pub column: String,
}

/// `[[zone]]` (with `[base]` only): MATPOWER areas (bus column 7) or a
/// list of buses, the country they belong to, and the profile of their
/// load. A bus listed by a zone's `buses` leaves the zone of its area.
///
/// ```
/// use landlinked::io::grid::ZoneSpec;
/// let z: ZoneSpec = toml::from_str("name = \"North\"\ncountry = \"HY\"\nareas = [1]\nclass = \"residential\"").unwrap();
/// assert_eq!(z.areas, [1]);
/// assert!(z.annual_gwh.is_none()); // the case's load, all year
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ZoneSpec {
    /// Unique zone name; also the name of the zone's load.
    pub name: String,
    /// Country code of the zone's buses (the exporter is a country).
    pub country: String,
    /// MATPOWER areas (one of `areas` and `buses`).
    #[serde(default)]
    pub areas: Vec<u32>,
    /// Bus numbers (one of `areas` and `buses`).
    #[serde(default)]
    pub buses: Vec<u64>,
    /// Energy of the zone's load in the base year, GWh (default: the
    /// case's `Pd` of its buses × 8,760 h).
    #[serde(default)]
    pub annual_gwh: Option<f64>,
    /// Growth, % per year.
    #[serde(default)]
    pub growth_pct_per_year: f64,
    /// Class of the load, giving the profiles' defaults (as `[[load]]`).
    #[serde(default)]
    pub class: Option<LoadClass>,
    /// Relative mean power of each month (as `[[load]]`).
    #[serde(default)]
    pub monthly_power_factors: Option<Vec<f64>>,
    /// Relative power over the hours of a day (as `[[load]]`).
    #[serde(default)]
    pub daily_profile: Option<DailyProfile>,
    /// The same for weekend days (as `[[load]]`).
    #[serde(default)]
    pub weekend_profile: Option<DailyProfile>,
    /// Weekend day against weekday (as `[[load]]`).
    #[serde(default)]
    pub weekend_factor: Option<f64>,
    /// Weekend days (as `[[load]]`).
    #[serde(default)]
    pub weekend_days: Option<Vec<Weekday>>,
    /// An hourly series from a CSV column instead of the profiles above.
    #[serde(default)]
    pub profile_csv: Option<ProfileCsv>,
    /// Source of the zone's figures.
    #[serde(default)]
    pub source: Option<String>,
    /// Source of its profile.
    #[serde(default)]
    pub profile_source: Option<String>,
}
