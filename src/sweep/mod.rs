//! Sweeps: a study's cases as the cartesian product of a few axes, read
//! from a TOML file, run in shards on as many machines as there are, and
//! merged into the tables one process would have written.
//!
//! A sweep file:
//!
//! ```toml
//! [sweep]
//! name = "stages-by-water"
//! grid = "../grids/central_asia/central_asia.toml"  # relative to this file
//! years = 30            # stochastic water years per case (besides its named year)
//! seed = 2022
//! outputs = ["corridor_months", "balance_months", "percentiles", "congestion"]
//! growth_years = 8      # years of demand growth for the growth_pct axis (default 0)
//!
//! [axes]
//! stages = ["2022", "casa"]
//! hydrology = ["normal", "dry", "wet"]   # default ["normal"]
//! growth_pct = [2.0, 4.0]                # optional: % a year for every load
//! options = [[], ["kabul_converter"]]    # optional: extra options
//! load_mw = { TALCO = [300.0, 500.0, 700.0] }  # optional: mean MW of named loads
//! ```
//!
//! The cases are every combination, in axis order (stages outermost,
//! options innermost), each a [`Scenario`] named by its axis values
//! (`casa dry growth 2%/yr +kabul_converter`). An unknown field or axis, an
//! empty axis, an unknown stage, option or output, and two cases of the
//! same name are errors that name them.
//!
//! A shard `K/N` runs the cases assigned to it ([`Sweep::assign`]) and
//! writes its part of every table plus `part.json` ([`run_shard`], CSV;
//! [`run_shard_as`] in a [`Format`](crate::report::table::Format): CSV,
//! Parquet, or Parquet for the per-year tables); [`merge`] ([`merge_as`])
//! checks the parts, CSV or Parquet, and writes the tables in case order,
//! equal byte for byte to the tables of the shard `1/1` in the same format.
//!
//! ```
//! use landlinked::sweep::{Shard, Sweep};
//! let text = r#"
//! [sweep]
//! name = "doc"
//! grid = "grids/central_asia/central_asia.toml"
//! years = 0
//! seed = 1
//! [axes]
//! stages = ["2022", "casa"]
//! hydrology = ["dry", "wet"]
//! "#;
//! let sweep = Sweep::parse_str(text, "doc.toml", std::path::Path::new("."))?;
//! let names: Vec<&str> = sweep.cases().iter().map(|c| c.name.as_str()).collect();
//! assert_eq!(names, ["2022 dry", "2022 wet", "casa dry", "casa wet"]);
//! assert_eq!(sweep.assign("2/3".parse::<Shard>()?), vec![1]);
//! let bad = text.replace("hydrology", "climate");
//! let err = Sweep::parse_str(&bad, "doc.toml", std::path::Path::new(".")).unwrap_err();
//! assert!(err.to_string().contains("unknown field `climate`"), "{err}");
//! # Ok::<(), landlinked::Error>(())
//! ```

mod part;

pub use part::{Part, PartCase, PartTable, merge, merge_as, run_shard, run_shard_as};

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::hourly::{BalanceMonth, Congestion, CorridorMonth, Percentile};
use crate::io::grid::{self, GridDocument};
use crate::report::table::{Column, Row, Scale};
use crate::seasonal::{Hydrology, Scenario};

/// The result tables a sweep can write (`outputs`), each `NAME.csv` or
/// `NAME.parquet` ([`Format`](crate::report::table::Format)).
pub const TABLES: [&str; 4] = [
    "corridor_months",
    "balance_months",
    "percentiles",
    "congestion",
];

/// The columns and scale of the table `name` of [`TABLES`].
pub(crate) fn table_kind(name: &str) -> Option<(&'static [Column], Scale)> {
    match name {
        "corridor_months" => Some((CorridorMonth::SCHEMA, CorridorMonth::SCALE)),
        "balance_months" => Some((BalanceMonth::SCHEMA, BalanceMonth::SCALE)),
        "percentiles" => Some((Percentile::SCHEMA, Percentile::SCALE)),
        "congestion" => Some((Congestion::SCHEMA, Congestion::SCALE)),
        _ => None,
    }
}

/// The `[sweep]` table of a sweep file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SweepHeader {
    /// The sweep's name (in every `part.json`).
    pub name: String,
    /// The grid file, relative to the sweep file.
    pub grid: String,
    /// Stochastic water years per case (besides its named year).
    pub years: usize,
    /// Seed of the inflow generator.
    pub seed: u64,
    /// Tables to write (names from [`TABLES`]; default all of them).
    #[serde(default = "all_tables")]
    pub outputs: Vec<String>,
    /// Years of demand growth applied with each `growth_pct` value.
    #[serde(default)]
    pub growth_years: u32,
}

fn all_tables() -> Vec<String> {
    TABLES.iter().map(|t| t.to_string()).collect()
}

/// The `[axes]` table of a sweep file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SweepAxes {
    /// Stages of the grid file.
    pub stages: Vec<String>,
    /// Hydrological years (default `["normal"]`).
    #[serde(default = "normal_only")]
    pub hydrology: Vec<Hydrology>,
    /// Demand growth of every load, % a year, over `growth_years`
    /// (absent: each load's own rate, no growth years).
    #[serde(default)]
    pub growth_pct: Option<Vec<f64>>,
    /// Extra options per case (absent: none).
    #[serde(default)]
    pub options: Option<Vec<Vec<String>>>,
    /// Mean MW of named loads, each a list of levels (TALCO at 300, 500
    /// and 700 MW, fact sheet 3.2); every combination is a case (absent:
    /// the grid file's loads).
    #[serde(default)]
    pub load_mw: Option<std::collections::BTreeMap<String, Vec<f64>>>,
}

fn normal_only() -> Vec<Hydrology> {
    vec![Hydrology::Normal]
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SweepFile {
    sweep: SweepHeader,
    axes: SweepAxes,
}

/// A parsed and checked sweep: its header, axes, grid and cases.
#[derive(Clone, Debug)]
pub struct Sweep {
    /// `[sweep]`.
    pub header: SweepHeader,
    /// `[axes]`.
    pub axes: SweepAxes,
    /// The grid file, resolved against the sweep file's folder.
    pub grid_path: PathBuf,
    grid: GridDocument,
    cases: Vec<Scenario>,
    hash: String,
}

impl Sweep {
    /// Reads and checks a sweep file (see the [module documentation](self)).
    ///
    /// ```
    /// assert!(landlinked::sweep::Sweep::read("missing.toml").is_err());
    /// ```
    pub fn read(path: impl AsRef<Path>) -> Result<Sweep> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let dir = path.parent().unwrap_or(Path::new(""));
        Sweep::parse_str(&text, &path.display().to_string(), dir)
    }

    /// Parses and checks sweep file text; `file` names it in messages and
    /// the grid path is taken relative to `dir`.
    ///
    /// ```
    /// use landlinked::sweep::Sweep;
    /// let text = "[sweep]\nname = \"x\"\ngrid = \"grids/central_asia/central_asia.toml\"\nyears = 0\nseed = 1\n[axes]\nstages = []\n";
    /// let err = Sweep::parse_str(text, "x.toml", std::path::Path::new(".")).unwrap_err();
    /// assert_eq!(err.to_string(), "x.toml: axis `stages` is empty");
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn parse_str(text: &str, file: &str, dir: &Path) -> Result<Sweep> {
        let data: SweepFile =
            toml::from_str(text).map_err(|e| grid::toml_error(text, &e).in_file(file))?;
        let in_file = |e: Error| e.in_file(file);
        let invalid = |message: String| Error::Invalid { message }.in_file(file);
        let SweepFile { sweep, axes } = data;
        for (axis, empty) in [
            ("stages", axes.stages.is_empty()),
            ("hydrology", axes.hydrology.is_empty()),
            (
                "growth_pct",
                axes.growth_pct.as_ref().is_some_and(Vec::is_empty),
            ),
            ("options", axes.options.as_ref().is_some_and(Vec::is_empty)),
            (
                "load_mw",
                axes.load_mw
                    .as_ref()
                    .is_some_and(|m| m.is_empty() || m.values().any(Vec::is_empty)),
            ),
        ] {
            if empty {
                return Err(invalid(format!("axis `{axis}` is empty")));
            }
        }
        if sweep.outputs.is_empty() {
            return Err(invalid("`outputs` is empty".into()));
        }
        for o in &sweep.outputs {
            if !TABLES.contains(&o.as_str()) {
                return Err(in_file(Error::NotFound {
                    kind: "output".into(),
                    name: o.clone(),
                    known: all_tables(),
                }));
            }
        }
        if let Some(g) = &axes.growth_pct
            && let Some(p) = g.iter().find(|p| !p.is_finite())
        {
            return Err(invalid(format!(
                "`growth_pct` value {p} is not a finite number"
            )));
        }
        if let Some((load, mw)) = axes.load_mw.iter().flatten().find_map(|(load, levels)| {
            levels
                .iter()
                .find(|v| !v.is_finite() || **v < 0.0)
                .map(|v| (load, v))
        }) {
            return Err(invalid(format!(
                "`load_mw` level {mw} of `{load}` is not a finite, non-negative MW"
            )));
        }
        let grid_path = dir.join(&sweep.grid);
        let grid = grid::read_document(&grid_path).map_err(in_file)?;
        let cases = cases(&sweep, &axes);
        for (i, c) in cases.iter().enumerate() {
            if cases[..i].iter().any(|o| o.name == c.name) {
                return Err(in_file(Error::Duplicate {
                    kind: "sweep case".into(),
                    name: c.name.clone(),
                }));
            }
        }
        // Every stage and option set builds (names checked before any run).
        let mut built: Vec<(&str, &[String])> = Vec::new();
        for c in &cases {
            let key = (c.stage.as_str(), c.options.as_slice());
            if !built.contains(&key) {
                let extra: Vec<&str> = c.options.iter().map(String::as_str).collect();
                let stage = Some(c.stage.as_str()).filter(|s| !s.is_empty());
                grid.build(stage, &extra).map_err(in_file)?;
                built.push(key);
            }
        }
        // The sweep's parsed content and the grid's: parts run on an edited
        // grid file do not merge with parts run on the old one.
        let canonical = serde_json::to_string(&(
            SweepFile {
                sweep: sweep.clone(),
                axes: axes.clone(),
            },
            &grid.data,
        ))
        .map_err(|e| invalid(e.to_string()))?;
        Ok(Sweep {
            header: sweep,
            axes,
            grid_path,
            grid,
            cases,
            hash: format!("{:016x}", fnv1a(canonical.as_bytes())),
        })
    }

    /// The cases, in axis order.
    pub fn cases(&self) -> &[Scenario] {
        &self.cases
    }

    /// A hash of the sweep file's and its grid file's parsed content (not
    /// of their layout or comments), 16 hex digits: parts of one sweep on
    /// one grid carry the same, so `merge` refuses parts run on an edited
    /// grid.
    pub fn hash(&self) -> &str {
        &self.hash
    }

    /// The expected cost of case `i`: its water years (named and
    /// stochastic). Equal for every case of a sweep today; the assignment
    /// balances by it so that axes with unequal cost stay balanced.
    pub fn cost(&self, _case: usize) -> usize {
        self.header.years + 1
    }

    /// The cases (indices, ascending) that shard `K/N` runs: the cases
    /// sorted by cost, highest first (ties in case order), dealt round-robin
    /// to shards 1..N. Deterministic; every case goes to exactly one shard.
    ///
    /// ```
    /// # use landlinked::sweep::{Shard, Sweep};
    /// # let text = "[sweep]\nname = \"x\"\ngrid = \"grids/central_asia/central_asia.toml\"\nyears = 0\nseed = 1\n[axes]\nstages = [\"2022\"]\nhydrology = [\"dry\", \"normal\", \"wet\"]\n";
    /// let sweep = Sweep::parse_str(text, "x.toml", std::path::Path::new("."))?;
    /// assert_eq!(sweep.assign(Shard { k: 1, n: 2 }), vec![0, 2]);
    /// assert_eq!(sweep.assign(Shard { k: 4, n: 4 }), Vec::<usize>::new());
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn assign(&self, shard: Shard) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.cases.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(self.cost(i)));
        let mut mine: Vec<usize> = order
            .into_iter()
            .enumerate()
            .filter(|(p, _)| p % shard.n + 1 == shard.k)
            .map(|(_, i)| i)
            .collect();
        mine.sort_unstable();
        mine
    }

    /// The parsed grid file.
    pub fn grid(&self) -> &GridDocument {
        &self.grid
    }
}

/// The cartesian product of the axes.
fn cases(sweep: &SweepHeader, axes: &SweepAxes) -> Vec<Scenario> {
    let growth: Vec<Option<f64>> = match &axes.growth_pct {
        Some(g) => g.iter().copied().map(Some).collect(),
        None => vec![None],
    };
    let options: Vec<Option<&Vec<String>>> = match &axes.options {
        Some(o) => o.iter().map(Some).collect(),
        None => vec![None],
    };
    // Every combination of the load levels, loads in name order.
    let mut loads: Vec<Vec<(String, f64)>> = vec![Vec::new()];
    for (load, levels) in axes.load_mw.iter().flatten() {
        loads = loads
            .iter()
            .flat_map(|set| {
                levels.iter().map(move |&mw| {
                    let mut set = set.clone();
                    set.push((load.clone(), mw));
                    set
                })
            })
            .collect();
    }
    let mut out = Vec::new();
    for stage in &axes.stages {
        for &h in &axes.hydrology {
            for &g in &growth {
                for &o in &options {
                    for set in &loads {
                        let mut name = format!("{stage} {}", h.name());
                        if let Some(pct) = g {
                            name += &format!(" growth {pct}%/yr");
                        }
                        match o {
                            Some(o) if o.is_empty() => name += " no options",
                            Some(o) => name += &format!(" +{}", o.join("+")),
                            None => {}
                        }
                        for (load, mw) in set {
                            name += &format!(" {load} {mw} MW");
                        }
                        let mut s = Scenario::new(&name, stage, h);
                        if let Some(pct) = g {
                            s = s.with_growth_to(pct, sweep.growth_years);
                        }
                        for opt in o.into_iter().flatten() {
                            s = s.with_option(opt);
                        }
                        for (load, mw) in set {
                            s = s.with_load_mw(load, *mw);
                        }
                        out.push(s);
                    }
                }
            }
        }
    }
    out
}

/// 64-bit FNV-1a: a small hash that is the same on every platform and
/// version.
pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// Which shard of how many: `K/N`, K from 1 to N.
///
/// ```
/// use landlinked::sweep::Shard;
/// assert_eq!("2/4".parse::<Shard>()?, Shard { k: 2, n: 4 });
/// for bad in ["0/3", "4/3", "1/0", "2", "a/b"] {
///     assert!(bad.parse::<Shard>().unwrap_err().to_string().contains(bad));
/// }
/// # Ok::<(), landlinked::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    /// This shard, 1-based.
    pub k: usize,
    /// Shards in all.
    pub n: usize,
}

impl std::str::FromStr for Shard {
    type Err = Error;

    fn from_str(s: &str) -> Result<Shard> {
        let invalid = |why: &str| Error::Invalid {
            message: format!("shard `{s}`: {why}"),
        };
        let (k, n) = s
            .split_once('/')
            .ok_or_else(|| invalid("expected K/N, two whole numbers such as 2/4"))?;
        let (Ok(k), Ok(n)) = (k.trim().parse::<usize>(), n.trim().parse::<usize>()) else {
            return Err(invalid("expected K/N, two whole numbers such as 2/4"));
        };
        if n == 0 {
            return Err(invalid("N (the number of shards) must be at least 1"));
        }
        if k == 0 {
            return Err(invalid("K counts from 1"));
        }
        if k > n {
            return Err(invalid("K must be at most N"));
        }
        Ok(Shard { k, n })
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.k, self.n)
    }
}
