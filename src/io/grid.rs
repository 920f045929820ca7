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
//! This module only reads and writes the format: the schema ([`GridFile`]
//! and its `*Spec` records), locating errors in the text, and mapping the
//! records of a stage to a [`RegionalGrid`] (the domain model, in
//! [`region`](crate::region)) and back ([`write()`], [`to_toml_string`]).
//!
//! Entry points: [`read`] (the file's default stage), [`read_stage`],
//! [`parse_str`] then [`GridDocument::build`].
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
//! assert!((g.network().branches[0].x_pu - 42.0 / 484.0).abs() < 1e-12);
//! assert_eq!(g.demand().annual_energy_gwh(0), 876.0);
//! # Ok::<(), landlinked::Error>(())
//! ```

mod base;
mod build;
mod locate;
pub(crate) use locate::toml_error;
mod refs;
mod schema;
mod write;

use std::path::Path;

pub use base::{BaseSpec, ProfileCsv, ZoneSpec};
pub use refs::{BranchRef, ContingencySpec};
pub use schema::{
    BusRef, BusSpec, CorridorSpec, DailyProfile, Gate, GridFile, GridHeader, InflowSpec, LineSpec,
    LinkSpec, LoadSpec, OptionSpec, PartnerSpec, PlantSpec, ReservoirSpec, ShareSpec, StageSpec,
    TransformerSpec,
};

use crate::error::{Error, Result};
use crate::region::{GridSource, RegionalGrid};

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
/// assert_eq!(g.network().hvdc_links.len(), 2);
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
        build::build(&self.data, stage, extra_options, &self.file)
            .map_err(|e| e.in_file(&self.file))
    }
}

/// The grid file text of `grid`: its elements as built, and its stage and
/// options (declared) as the default stage. Reading it back gives an equal
/// grid. A grid with what the format cannot hold (a load with a seasonal
/// hourly shape, monthly energy shares or a flat profile where its class has
/// another; a demand with another first weekday or a scenario growth rate; a
/// hydro plant with a fixed energy coefficient or a rule curve in hm³) is an
/// error naming the element.
///
/// ```
/// use landlinked::io::grid;
/// let g = grid::read_stage("grids/central_asia/central_asia.toml", "casa", &[])?;
/// let text = grid::to_toml_string(&g)?;
/// let back = grid::parse_str(&text, "written.toml")?;
/// let stage = back.data.grid.default_stage.clone();
/// assert_eq!(back.build(stage.as_deref(), &[])?, g);
/// # Ok::<(), landlinked::Error>(())
/// ```
pub fn to_toml_string(grid: &RegionalGrid) -> Result<String> {
    let file = write::to_file(grid)?;
    toml::to_string(&file).map_err(|e| Error::Write {
        path: format!("grid `{}`", grid.name()).into(),
        message: e.to_string(),
    })
}

/// Writes `grid` as a grid file at `path` (see [`to_toml_string`]); the
/// file is written whole or not at all (a temporary file, then renamed).
///
/// ```
/// use landlinked::io::grid;
/// let g = grid::read("grids/central_asia/central_asia.toml")?;
/// let path = std::env::temp_dir().join("landlinked-doc-grid.toml");
/// grid::write(&g, &path)?;
/// assert_eq!(grid::read(&path)?, g);
/// # std::fs::remove_file(&path).ok();
/// # Ok::<(), landlinked::Error>(())
/// ```
pub fn write(grid: &RegionalGrid, path: impl AsRef<Path>) -> Result<()> {
    let path = path.as_ref();
    let text = to_toml_string(grid)?;
    let tmp = path.with_extension("toml.partial");
    let fail = |e: std::io::Error| Error::Write {
        path: path.to_path_buf(),
        message: e.to_string(),
    };
    std::fs::write(&tmp, text).map_err(fail)?;
    std::fs::rename(&tmp, path).map_err(fail)
}

impl GridSource for GridDocument {
    fn grid_for(&self, stage: &str, options: &[String]) -> Result<RegionalGrid> {
        let extra: Vec<&str> = options.iter().map(String::as_str).collect();
        let stage = Some(stage).filter(|s| !s.is_empty());
        self.build(stage, &extra)
    }

    fn corridor_names(&self) -> Result<Vec<String>> {
        Ok(self.data.corridors.iter().map(|c| c.name.clone()).collect())
    }
}

/// A grid file named by its path, read for every grid asked of it (parse a
/// [`GridDocument`] once to serve many).
impl GridSource for Path {
    fn grid_for(&self, stage: &str, options: &[String]) -> Result<RegionalGrid> {
        read_document(self)?.grid_for(stage, options)
    }

    fn corridor_names(&self) -> Result<Vec<String>> {
        read_document(self)?.corridor_names()
    }
}

/// A grid file named by its path (see the `Path` implementation).
impl GridSource for str {
    fn grid_for(&self, stage: &str, options: &[String]) -> Result<RegionalGrid> {
        Path::new(self).grid_for(stage, options)
    }

    fn corridor_names(&self) -> Result<Vec<String>> {
        Path::new(self).corridor_names()
    }
}
