//! A shard's part of a sweep (`part.json` beside its tables) and the merge
//! of all parts.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{Shard, Sweep, fnv1a, table_kind};
use crate::error::{Error, Result};
use crate::hourly::{HourlyProgress, HourlyResults, HourlySettings, HourlyStudy};
use crate::report::hourly::atomically;
use crate::report::table::{self, FileFormat, Format, Frame, Values};

/// The file that marks a shard's directory as a finished part.
pub const PART_FILE: &str = "part.json";

/// What a finished shard wrote: which sweep, which shard, its cases and a
/// check of each table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Part {
    /// The sweep's name.
    pub sweep: String,
    /// [`Sweep::hash`] of the sweep file.
    pub sweep_hash: String,
    /// This shard, 1-based.
    pub shard: usize,
    /// Shards in all.
    pub shards: usize,
    /// Cases of the whole sweep.
    pub case_count: usize,
    /// The cases this shard ran, in case order.
    pub cases: Vec<PartCase>,
    /// Each table written, by file name (`NAME.csv` or `NAME.parquet`).
    pub tables: BTreeMap<String, PartTable>,
}

/// One case of a part.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartCase {
    /// Position in the sweep's case order.
    pub index: usize,
    /// Scenario name.
    pub name: String,
}

/// A table's size and hash, to tell a whole table from a truncated one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartTable {
    /// Bytes.
    pub bytes: u64,
    /// FNV-1a 64 of the bytes, hex.
    pub hash: String,
}

/// Runs shard `shard` of `sweep` (its cases by [`Sweep::assign`]) and
/// writes into `out` (created if missing) its part of every table of the
/// sweep's `outputs` as CSV, then `part.json`: [`run_shard_as`] with
/// [`Format::Csv`].
///
/// ```
/// use landlinked::sweep::{Shard, Sweep, run_shard};
/// let text = "[sweep]\nname = \"x\"\ngrid = \"grids/central_asia/central_asia.toml\"\nyears = 0\nseed = 1\n[axes]\nstages = [\"2022\"]\n";
/// let sweep = Sweep::parse_str(text, "x.toml", std::path::Path::new("."))?;
/// let dir = std::env::temp_dir().join(format!("landlinked-shard-doc-{}", std::process::id()));
/// let part = run_shard(&sweep, Shard { k: 2, n: 2 }, &dir, |_| {})?;
/// assert!(part.cases.is_empty());
/// let text = std::fs::read_to_string(dir.join("balance_months.csv")).unwrap();
/// assert!(text.starts_with("scenario,year,month,load_gwh"));
/// # Ok::<(), landlinked::Error>(())
/// ```
pub fn run_shard(
    sweep: &Sweep,
    shard: Shard,
    out: &Path,
    progress: impl Fn(HourlyProgress) + Sync,
) -> Result<Part> {
    run_shard_as(sweep, shard, out, Format::Csv, progress)
}

/// Runs shard `shard` of `sweep` (its cases by [`Sweep::assign`]) and
/// writes into `out` (created if missing) its part of every table of the
/// sweep's `outputs`, each in the format that `format` chooses for it
/// ([`table`](crate::report::table): with [`Format::Auto`] the per-year
/// tables as Parquet, the per-scenario ones as CSV), then `part.json`.
/// Each file goes to a temporary name first and `part.json` is renamed
/// into place last, after the tables: a shard that fails leaves no
/// `part.json` (an old one is removed at the start), so [`merge`] never
/// takes it as finished. A shard without cases writes tables without rows
/// (a CSV header, a Parquet file with its columns).
pub fn run_shard_as(
    sweep: &Sweep,
    shard: Shard,
    out: &Path,
    format: Format,
    progress: impl Fn(HourlyProgress) + Sync,
) -> Result<Part> {
    std::fs::create_dir_all(out).map_err(|e| write_error(out, e))?;
    let marker = out.join(PART_FILE);
    if marker.exists() {
        std::fs::remove_file(&marker).map_err(|e| write_error(&marker, e))?;
    }
    // Refused before anything runs (Parquet without the feature).
    for name in &sweep.header.outputs {
        if let Some((_, scale)) = table_kind(name) {
            format.choose(scale)?;
        }
    }
    let mine = sweep.assign(shard);
    let scenarios: Vec<_> = mine.iter().map(|&i| sweep.cases()[i].clone()).collect();
    let results = if scenarios.is_empty() {
        HourlyResults::default()
    } else {
        let study = HourlyStudy {
            settings: HourlySettings {
                years: sweep.header.years,
                seed: sweep.header.seed,
                ..Default::default()
            },
        };
        study.run(sweep.grid(), &scenarios, progress)?
    };
    let mut tables = BTreeMap::new();
    for name in &sweep.header.outputs {
        let path = write_table(&results, name, out, format)?;
        let bytes = std::fs::read(&path).map_err(|e| write_error(&path, e))?;
        let file = path
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        tables.insert(
            file,
            PartTable {
                bytes: bytes.len() as u64,
                hash: format!("{:016x}", fnv1a(&bytes)),
            },
        );
    }
    let part = Part {
        sweep: sweep.header.name.clone(),
        sweep_hash: sweep.hash().to_string(),
        shard: shard.k,
        shards: shard.n,
        case_count: sweep.cases().len(),
        cases: mine
            .iter()
            .map(|&i| PartCase {
                index: i,
                name: sweep.cases()[i].name.clone(),
            })
            .collect(),
        tables,
    };
    atomically(&marker, |p| crate::report::write_json(p, &part))?;
    Ok(part)
}

/// One table of the results, with its columns even when it has no rows;
/// the path written.
fn write_table(r: &HourlyResults, name: &str, dir: &Path, format: Format) -> Result<PathBuf> {
    match name {
        "corridor_months" => table::write(dir, name, &r.corridors, format),
        "balance_months" => table::write(dir, name, &r.balance, format),
        "percentiles" => table::write(dir, name, &r.percentiles, format),
        _ => table::write(dir, name, &r.congestion, format),
    }
}

fn write_error(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::Write {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

fn invalid(message: String) -> Error {
    Error::Invalid { message }
}

/// Reads a part directory's `part.json`.
fn read_part(dir: &Path) -> Result<Part> {
    let path = dir.join(PART_FILE);
    let text = std::fs::read_to_string(&path).map_err(|e| {
        invalid(format!(
            "{}: no readable {PART_FILE} ({e}): not a finished shard",
            dir.display()
        ))
    })?;
    serde_json::from_str(&text)
        .map_err(|e| invalid(format!("{}: corrupt part file: {e}", path.display())))
}

/// Merges the parts in `dirs` into `out`, every table as CSV:
/// [`merge_as`] with [`Format::Csv`].
///
/// ```
/// use landlinked::sweep::{Shard, Sweep, merge, run_shard};
/// let text = "[sweep]\nname = \"x\"\ngrid = \"grids/central_asia/central_asia.toml\"\nyears = 0\nseed = 1\noutputs = [\"balance_months\"]\n[axes]\nstages = [\"2022\"]\nhydrology = [\"dry\", \"wet\"]\n";
/// let sweep = Sweep::parse_str(text, "x.toml", std::path::Path::new("."))?;
/// let tmp = std::env::temp_dir().join(format!("landlinked-merge-doc-{}", std::process::id()));
/// let parts: Vec<_> = (1..=2).map(|k| tmp.join(format!("part{k}"))).collect();
/// for (k, dir) in parts.iter().enumerate() {
///     run_shard(&sweep, Shard { k: k + 1, n: 2 }, dir, |_| {})?;
/// }
/// let err = merge(&parts[..1], &tmp.join("merged")).unwrap_err();
/// assert!(err.to_string().contains("missing"), "{err}");
/// merge(&parts, &tmp.join("merged"))?;
/// run_shard(&sweep, Shard { k: 1, n: 1 }, &tmp.join("one"), |_| {})?;
/// let read = |d: &str| std::fs::read(tmp.join(d).join("balance_months.csv")).unwrap();
/// assert!(read("merged") == read("one"));
/// # Ok::<(), landlinked::Error>(())
/// ```
pub fn merge(dirs: &[PathBuf], out: &Path) -> Result<()> {
    merge_as(dirs, out, Format::Csv)
}

/// Merges the parts in `dirs` (one directory per shard, any order) into
/// `out`: checks that they come from one sweep (name and hash), that no
/// shard is given twice and all N are there, that together they hold every
/// case once, and that each table is whole (its size and hash as the part
/// recorded, then readable with the table's columns); then writes each
/// table with the rows of every case in case order, in the format that
/// `format` chooses for it. The parts' tables may be CSV or Parquet, one
/// part's in one format and another's in the other; the merged tables
/// equal byte for byte what the shard `1/1` writes in the same format. The
/// tables go to temporary names and are renamed into place only when all
/// are written: a failed merge leaves no table. A table in the other
/// format left in `out` by an earlier merge is removed.
pub fn merge_as(dirs: &[PathBuf], out: &Path, format: Format) -> Result<()> {
    let Some(first_dir) = dirs.first() else {
        return Err(invalid("merge needs at least one part directory".into()));
    };
    let parts = dirs
        .iter()
        .map(|d| read_part(d))
        .collect::<Result<Vec<_>>>()?;
    let first = &parts[0];
    let mut seen: Vec<Option<&Path>> = vec![None; first.shards.max(1)];
    let mut owner: Vec<Option<&str>> = vec![None; first.case_count];
    for (part, dir) in parts.iter().zip(dirs) {
        if part.sweep != first.sweep
            || part.sweep_hash != first.sweep_hash
            || part.shards != first.shards
            || part.case_count != first.case_count
            || stems(part).ne(stems(first))
        {
            return Err(invalid(format!(
                "{} is a part of sweep `{}` ({}, {} shards), {} of sweep `{}` ({}, {} shards): parts of different sweeps",
                dir.display(),
                part.sweep,
                part.sweep_hash,
                part.shards,
                first_dir.display(),
                first.sweep,
                first.sweep_hash,
                first.shards
            )));
        }
        if part.shard == 0 || part.shard > part.shards {
            return Err(invalid(format!(
                "{}: corrupt part file: shard {}/{}",
                dir.display(),
                part.shard,
                part.shards
            )));
        }
        if let Some(other) = seen[part.shard - 1] {
            return Err(invalid(format!(
                "part {}/{} given twice: {} and {}",
                part.shard,
                part.shards,
                other.display(),
                dir.display()
            )));
        }
        seen[part.shard - 1] = Some(dir);
        for c in &part.cases {
            match owner.get_mut(c.index) {
                Some(slot @ None) => *slot = Some(&c.name),
                _ => {
                    return Err(invalid(format!(
                        "{}: corrupt part file: case {} (`{}`) out of range or in two parts",
                        dir.display(),
                        c.index,
                        c.name
                    )));
                }
            }
        }
    }
    let missing: Vec<String> = (0..first.shards)
        .filter(|&k| seen[k].is_none())
        .map(|k| format!("{}/{}", k + 1, first.shards))
        .collect();
    if !missing.is_empty() {
        return Err(invalid(format!(
            "sweep `{}`: part {} missing",
            first.sweep,
            missing.join(", ")
        )));
    }
    if let Some(i) = owner.iter().position(Option::is_none) {
        return Err(invalid(format!(
            "sweep `{}`: case {i} is in no part",
            first.sweep
        )));
    }
    let mut planned = Vec::new();
    for stem in stems(first) {
        let Some((_, scale)) = table_kind(stem) else {
            return Err(invalid(format!(
                "{}: corrupt part file: unknown table `{stem}`",
                first_dir.join(PART_FILE).display()
            )));
        };
        planned.push((stem, format.choose(scale)?));
    }
    std::fs::create_dir_all(out).map_err(|e| write_error(out, e))?;
    let mut written: Vec<(PathBuf, PathBuf)> = Vec::new();
    let result = (|| {
        for &(stem, file_format) in &planned {
            let frame = gather(&parts, dirs, stem)?;
            let path = out.join(file_format.file_name(stem));
            let mut tmp = path.as_os_str().to_owned();
            tmp.push(".merging");
            let tmp = PathBuf::from(tmp);
            written.push((tmp.clone(), path.clone()));
            // Frame::write goes through `TMP.partial` itself; the table
            // keeps the `.merging` name until every table is written.
            frame.write(&tmp, file_format)?;
        }
        Ok(())
    })();
    if let Err(e) = result {
        for (tmp, _) in &written {
            std::fs::remove_file(tmp).ok();
        }
        return Err(e);
    }
    for (tmp, path) in &written {
        std::fs::rename(tmp, path).map_err(|e| write_error(path, e))?;
    }
    for &(stem, file_format) in &planned {
        table::remove_other(out, stem, file_format)?;
    }
    Ok(())
}

/// The tables of a part by name (file names less their extension), sorted.
fn stems(part: &Part) -> impl Iterator<Item = &str> {
    let set: std::collections::BTreeSet<&str> = part
        .tables
        .keys()
        .map(|f| f.rsplit_once('.').map_or(f.as_str(), |(stem, _)| stem))
        .collect();
    set.into_iter()
}

/// The table `stem` of every part, rows in case order (the rows of a case
/// in the order written).
fn gather(parts: &[Part], dirs: &[PathBuf], stem: &str) -> Result<Frame> {
    let (schema, _) = table_kind(stem).expect("checked by merge");
    let mut all = Frame::new(schema);
    let mut keys: Vec<usize> = Vec::new();
    for (part, dir) in parts.iter().zip(dirs) {
        let Some((file, want)) = part
            .tables
            .iter()
            .find(|(f, _)| f.rsplit_once('.').map_or(f.as_str(), |(s, _)| s) == stem)
        else {
            unreachable!("parts of one sweep have the same tables");
        };
        let path = dir.join(file);
        let corrupt = |why: String| invalid(format!("{}: {why}", path.display()));
        let bytes = std::fs::read(&path).map_err(|e| corrupt(format!("cannot read: {e}")))?;
        if bytes.len() as u64 != want.bytes || format!("{:016x}", fnv1a(&bytes)) != want.hash {
            return Err(corrupt(format!(
                "truncated or changed ({} bytes, {PART_FILE} says {})",
                bytes.len(),
                want.bytes
            )));
        }
        if FileFormat::of(&path).is_none() {
            return Err(corrupt(format!(
                "corrupt part file: `{file}` is not a .csv or .parquet table"
            )));
        }
        let frame = Frame::read(&path, schema)?;
        let Some(Values::Utf8(scenarios)) = frame.column("scenario") else {
            unreachable!("every sweep table starts with its scenario");
        };
        for scenario in scenarios {
            let case = part
                .cases
                .iter()
                .find(|c| c.name == *scenario)
                .ok_or_else(|| {
                    corrupt(format!(
                        "a row of case `{scenario}`, not one of this part's"
                    ))
                })?;
            keys.push(case.index);
        }
        all.append(&frame)?;
    }
    let mut order: Vec<usize> = (0..keys.len()).collect();
    order.sort_by_key(|&i| keys[i]);
    Ok(all.take(&order))
}
