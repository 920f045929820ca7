//! The crate's own regional grid format: TOML read with serde, documented
//! in `grids/README.md`.
//!
//! A grid file describes buses (with country, zone and coordinates), lines
//! and transformers, HVDC links, hydro plants with reservoirs and inflow
//! profiles, thermal plants and neighbouring-system equivalents, loads
//! with monthly profiles, export corridors, and commissioning stages
//! (named sets of options that switch elements on or off). Every figure can
//! carry a `source`.
//!
//! Entry points: [`read`] (the file's default stage), [`read_stage`],
//! [`parse_str`] then [`GridDocument::build`]. The result, a
//! [`RegionalGrid`], holds a [`Network`] (with its HVDC links), a hydro
//! [`Cascade`] with its inflows and rule curve, a [`Demand`], and the
//! [`Corridor`]s; [`RegionalGrid::snapshot`] turns a month of a hydro
//! simulation into a network ready for the DC power flow.
//!
//! Errors name the file, the element and the field: a TOML syntax or schema
//! error (a missing field, a wrong type, an unknown key) gives the line,
//! column and the `[[table]]` element; a bad value or an unknown reference
//! gives the element and its field.
//!
//! ```
//! use landlinked::io::grid;
//! let text = r#"
//! [grid]
//! name = "two"
//! base_mva = 100.0
//! [[bus]]
//! id = 1
//! name = "A"
//! country = "TJ"
//! zone = "Z"
//! kv = 220.0
//! slack = true
//! [[bus]]
//! id = 2
//! name = "B"
//! country = "TJ"
//! zone = "Z"
//! kv = 220.0
//! [[line]]
//! from = "A"
//! to = "B"
//! length_km = 100.0
//! x_ohm_per_km = 0.42
//! rating_mw = 250.0
//! [[plant]]
//! name = "G"
//! type = "thermal"
//! bus = "A"
//! installed_mw = 200.0
//! capacity_factor = [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]
//! [[load]]
//! name = "L"
//! annual_gwh = 876.0
//! buses = [{ bus = "B", share = 1.0 }]
//! "#;
//! let g = grid::parse_str(text, "two.toml")?.build(None, &[])?;
//! // x = 0.42 Ω/km × 100 km / (220² / 100) Ω
//! assert!((g.network.branches[0].x_pu - 42.0 / 484.0).abs() < 1e-12);
//! assert_eq!(g.demand.annual_energy_gwh(0), 876.0);
//! # Ok::<(), landlinked::Error>(())
//! ```

mod balance;
mod build;
mod locate;
mod schema;

use std::path::Path;

use serde::Serialize;

pub use balance::MonthBalance;
pub use schema::{
    BusRef, BusSpec, CorridorSpec, Gate, GridFile, GridHeader, InflowSpec, LineSpec, LinkSpec,
    LoadSpec, OptionSpec, PlantSpec, PlantType, ReservoirSpec, ShareSpec, StageSpec,
    TransformerSpec,
};

use crate::corridor::Corridor;
use crate::demand::Demand;
use crate::error::{Error, Result};
use crate::hydro::{Cascade, LateralInflow, RuleCurve};
use crate::network::Network;

/// A parsed grid file with its file name, before a stage is chosen.
///
/// ```
/// let doc = landlinked::io::grid::parse_str("[grid]\nname = \"x\"\nbase_mva = 100.0", "x.toml")?;
/// assert_eq!(doc.file, "x.toml");
/// # Ok::<(), landlinked::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct GridDocument {
    /// The file name used in messages.
    pub file: String,
    /// The records as written.
    pub data: GridFile,
}

/// A bus's descriptive data, alongside the network bus of the same position.
///
/// ```
/// use landlinked::io::grid::BusInfo;
/// let b = BusInfo { id: 1, name: "A".into(), country: "TJ".into(), zone: "Z".into(),
///                   kv: 500.0, lat: None, lon: None, dc: false };
/// assert_eq!(b.country, "TJ");
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BusInfo {
    /// Bus number.
    pub id: u64,
    /// Short name.
    pub name: String,
    /// Country code.
    pub country: String,
    /// Zone.
    pub zone: String,
    /// Nominal voltage, kV.
    pub kv: f64,
    /// Latitude, degrees north.
    pub lat: Option<f64>,
    /// Longitude, degrees east.
    pub lon: Option<f64>,
    /// A DC bus (isolated in the AC network).
    pub dc: bool,
}

/// A plant of the built grid: what it is, where, and its network generator.
///
/// ```
/// use landlinked::io::grid::{PlantInfo, PlantType};
/// let p = PlantInfo { name: "Dushanbe-2".into(), kind: PlantType::Thermal, bus: 1,
///     country: "TJ".into(), installed_mw: 400.0, available_mw: 400.0, generator: 0,
///     capacity_factor: Some([0.5; 12]), dispatch_mw: 0.0 };
/// assert_eq!(p.monthly_energy_gwh(0), 400.0 * 0.5 * 744.0 / 1000.0);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlantInfo {
    /// Name.
    pub name: String,
    /// Type.
    pub kind: PlantType,
    /// Bus number.
    pub bus: u64,
    /// Country of its bus.
    pub country: String,
    /// Nameplate capacity, MW.
    pub installed_mw: f64,
    /// Available capacity, MW (the generator's `pmax_mw`).
    pub available_mw: f64,
    /// Position of its generator in `network.generators`.
    pub generator: usize,
    /// Monthly capacity factors (thermal and small hydro).
    pub capacity_factor: Option<[f64; 12]>,
    /// Base-network output, MW (equivalents; 0 otherwise).
    pub dispatch_mw: f64,
}

impl PlantInfo {
    /// Energy of month `m` (0 = January) from its capacity factors, GWh; 0
    /// for plants without them (hydro comes from the cascade simulation).
    ///
    /// ```
    /// # use landlinked::io::grid::{PlantInfo, PlantType};
    /// # let p = PlantInfo { name: "x".into(), kind: PlantType::Equivalent, bus: 1,
    /// #     country: "UZ".into(), installed_mw: 1.0, available_mw: 1.0, generator: 0,
    /// #     capacity_factor: None, dispatch_mw: 0.0 };
    /// assert_eq!(p.monthly_energy_gwh(3), 0.0);
    /// ```
    pub fn monthly_energy_gwh(&self, m: usize) -> f64 {
        let hours = crate::hydro::MONTH_HOURS.get(m).copied().unwrap_or(0.0);
        let cf = self.capacity_factor.and_then(|c| c.get(m).copied());
        cf.map_or(0.0, |cf| self.available_mw * cf * hours / 1000.0)
    }
}

/// A load's name and country (alongside `demand.loads()`, same order).
///
/// ```
/// let l = landlinked::io::grid::LoadInfo { name: "TALCO".into(), country: "TJ".into() };
/// assert_eq!(l.name, "TALCO");
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LoadInfo {
    /// Name.
    pub name: String,
    /// Country of its buses.
    pub country: String,
}

/// A grid file built for one stage: everything a regional study needs.
///
/// ```
/// let g = landlinked::io::grid::read("grids/central_asia/central_asia.toml")?;
/// let pf = landlinked::dc::DcPowerFlow::new(&g.network)?;
/// assert_eq!(g.buses.len(), g.network.buses.len());
/// # Ok::<(), landlinked::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct RegionalGrid {
    /// Grid name.
    pub name: String,
    /// The stage built, if any.
    pub stage: Option<String>,
    /// Options switched on.
    pub options: Vec<String>,
    /// The AC network with its HVDC links; loads at their annual mean, plants
    /// at `dispatch_mw` (0 unless an equivalent says otherwise).
    pub network: Network,
    /// Descriptive bus data, in `network.buses` order.
    pub buses: Vec<BusInfo>,
    /// Every active plant, in file order.
    pub plants: Vec<PlantInfo>,
    /// The hydro plants as one cascade (several rivers are separate trees).
    pub cascade: Cascade,
    /// Lateral inflows of a normal year.
    pub inflows: Vec<LateralInflow>,
    /// Reservoir rule curves.
    pub rule_curve: RuleCurve,
    /// Loads.
    pub demand: Demand,
    /// Load countries, in `demand.loads()` order.
    pub loads: Vec<LoadInfo>,
    /// Export corridors.
    pub corridors: Vec<Corridor>,
}

/// Reads a grid file and builds its default stage (`grid.default_stage`).
///
/// ```
/// let err = landlinked::io::grid::read("no/such/file.toml").unwrap_err();
/// assert!(err.to_string().contains("no/such/file.toml"));
/// ```
pub fn read(path: impl AsRef<Path>) -> Result<RegionalGrid> {
    let doc = read_document(path)?;
    let stage = doc.data.grid.default_stage.clone();
    doc.build(stage.as_deref(), &[])
}

/// Reads a grid file and builds stage `stage` with `extra_options` on too.
///
/// ```
/// let g = landlinked::io::grid::read_stage(
///     "grids/central_asia/central_asia.toml", "full_build", &["kabul_converter"])?;
/// assert_eq!(g.network.hvdc_links.len(), 2);
/// # Ok::<(), landlinked::Error>(())
/// ```
pub fn read_stage(
    path: impl AsRef<Path>,
    stage: &str,
    extra_options: &[&str],
) -> Result<RegionalGrid> {
    read_document(path)?.build(Some(stage), extra_options)
}

/// Reads and parses a grid file without building it.
///
/// ```
/// assert!(landlinked::io::grid::read_document("missing.toml").is_err());
/// ```
pub fn read_document(path: impl AsRef<Path>) -> Result<GridDocument> {
    let path = path.as_ref();
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    parse_str(&text, &path.display().to_string())
}

/// Parses grid file text; `file` names it in messages. Syntax and schema
/// errors give the line, column and element.
///
/// ```
/// let err = landlinked::io::grid::parse_str("[grid]\nname = \"x\"\n", "g.toml").unwrap_err();
/// assert!(err.to_string().starts_with("g.toml: line 1, column 1"));
/// assert!(err.to_string().contains("missing field `base_mva`"));
/// ```
pub fn parse_str(text: &str, file: &str) -> Result<GridDocument> {
    let data: GridFile =
        toml::from_str(text).map_err(|e| locate::toml_error(text, &e).in_file(file))?;
    Ok(GridDocument {
        file: file.to_string(),
        data,
    })
}

impl GridDocument {
    /// Builds the grid with the options of `stage` (none if `None`) plus
    /// `extra_options`. Errors carry the file name.
    ///
    /// ```
    /// let doc = landlinked::io::grid::parse_str("[grid]\nname = \"x\"\nbase_mva = 100.0", "x.toml")?;
    /// let err = doc.build(Some("2030"), &[]).unwrap_err();
    /// assert_eq!(err.to_string(), "x.toml: grid: `stage` refers to unknown stage `2030`");
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn build(&self, stage: Option<&str>, extra_options: &[&str]) -> Result<RegionalGrid> {
        build::build(&self.data, stage, extra_options).map_err(|e| e.in_file(&self.file))
    }
}
