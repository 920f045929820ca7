//! Result tables as CSV or Parquet, chosen per table.
//!
//! A table is a list of rows of one type ([`Row`]: a struct of plain
//! fields, `Serialize`, with its typed columns in [`Row::SCHEMA`]). It is
//! written as CSV (`NAME.csv`, the header from the field names, numbers in
//! Rust's shortest round-trip form) or as Parquet (`NAME.parquet`, Snappy
//! compressed, one column per field: strings as `Utf8`, counts as `Int64`,
//! values as `Float64`, not nullable, the column names as in the CSV header
//! with their units), which pandas (`pandas.read_parquet`, pyarrow) and
//! polars read as they are.
//!
//! [`Format`] chooses: `Csv`, `Parquet`, or `Auto`, which writes Parquet for
//! the tables whose rows grow with the hours or the water years (the hourly
//! rows, `corridor_months`, `balance_months`: [`Scale::PerHour`],
//! [`Scale::PerYear`]) and CSV for the small per-scenario summaries
//! (`percentiles`, `congestion`: [`Scale::PerScenario`]). The choice goes by
//! the kind of table and not by its number of rows, so that a table's file
//! name never depends on the data: a workflow names its outputs before
//! they exist, and a shard with few rows writes the format that the merged
//! table has.
//!
//! Every table goes to a temporary name beside its file
//! (`NAME.parquet.partial`) and is renamed when complete, so a failed write
//! never leaves a table that looks whole; writing `NAME.parquet` removes an
//! older `NAME.csv` of the same table from the folder (and the other way
//! round), so a folder holds each table once.
//!
//! Parquet needs the crate's `parquet` feature (on by default). Without it
//! `Format::Auto` writes CSV and `Format::Parquet` is refused.
//!
//! ```
//! use landlinked::hourly::Percentile;
//! use landlinked::report::table::{self, Format, Frame, Row};
//! let rows = vec![Percentile::of("s".into(), "Jul", "exports_gwh".into(), &[1.0, 2.0, 3.0])];
//! let dir = std::env::temp_dir().join(format!("landlinked-table-doc-{}", std::process::id()));
//! let path = table::write(&dir, "percentiles", &rows, Format::Csv)?;
//! assert_eq!(std::fs::read_to_string(&path).unwrap(),
//!     "scenario,month,quantity,p10,p50,p90\ns,Jul,exports_gwh,1.2,2.0,2.8\n");
//! let back = Frame::read(&path, Percentile::SCHEMA)?;
//! assert_eq!(back, Frame::from_rows(&rows)?);
//! # Ok::<(), landlinked::Error>(())
//! ```

mod sink;

#[cfg(feature = "parquet")]
mod parquet_io;

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::{Error, Result};

/// How to write a table: CSV, Parquet, or by its kind (`Auto`, the
/// default). Parsed from `csv`, `parquet` or `auto`.
///
/// ```
/// use landlinked::report::table::{FileFormat, Format, Scale};
/// let f: Format = "auto".parse()?;
/// assert_eq!(f.choose(Scale::PerScenario)?, FileFormat::Csv);
/// assert_eq!(Format::Csv.choose(Scale::PerHour)?, FileFormat::Csv);
/// assert!("xlsx".parse::<Format>().unwrap_err().to_string().contains("`xlsx`"));
/// # Ok::<(), landlinked::Error>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Format {
    /// Every table as CSV.
    Csv,
    /// Every table as Parquet.
    Parquet,
    /// Parquet for the tables that grow with hours or water years, CSV for
    /// the per-scenario summaries (see the [module documentation](self)).
    #[default]
    Auto,
}

/// The file format a table is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FileFormat {
    /// Comma-separated values with a header row.
    Csv,
    /// Apache Parquet, Snappy compressed.
    Parquet,
}

impl FileFormat {
    /// The file name extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            FileFormat::Csv => "csv",
            FileFormat::Parquet => "parquet",
        }
    }

    /// The format of a file, by its extension (`None` for another one).
    ///
    /// ```
    /// use landlinked::report::table::FileFormat;
    /// assert_eq!(FileFormat::of(std::path::Path::new("a/b.parquet")), Some(FileFormat::Parquet));
    /// assert_eq!(FileFormat::of(std::path::Path::new("b.json")), None);
    /// ```
    pub fn of(path: &Path) -> Option<FileFormat> {
        match path.extension()?.to_str()? {
            "csv" => Some(FileFormat::Csv),
            "parquet" => Some(FileFormat::Parquet),
            _ => None,
        }
    }

    /// `STEM.EXT`.
    pub fn file_name(self, stem: &str) -> String {
        format!("{stem}.{}", self.extension())
    }
}

/// How a table's rows grow, which decides [`Format::Auto`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scale {
    /// A row per hour (8,760 per scenario-year).
    PerHour,
    /// Rows per water year (per scenario, year and month, ...).
    PerYear,
    /// Rows per scenario, whatever the number of years.
    PerScenario,
}

impl Format {
    /// The file format of a table of `scale`: `Auto` gives Parquet for
    /// [`Scale::PerHour`] and [`Scale::PerYear`], CSV for
    /// [`Scale::PerScenario`] (CSV for every table without the `parquet`
    /// feature). `Parquet` without the feature is an error.
    pub fn choose(self, scale: Scale) -> Result<FileFormat> {
        match self {
            Format::Csv => Ok(FileFormat::Csv),
            Format::Parquet if cfg!(feature = "parquet") => Ok(FileFormat::Parquet),
            Format::Parquet => Err(no_parquet()),
            Format::Auto => Ok(match scale {
                Scale::PerHour | Scale::PerYear if cfg!(feature = "parquet") => FileFormat::Parquet,
                _ => FileFormat::Csv,
            }),
        }
    }
}

fn no_parquet() -> Error {
    Error::Invalid {
        message: "Parquet tables need landlinked's `parquet` feature, which this build leaves out"
            .into(),
    }
}

impl std::str::FromStr for Format {
    type Err = Error;

    fn from_str(s: &str) -> Result<Format> {
        match s {
            "csv" => Ok(Format::Csv),
            "parquet" => Ok(Format::Parquet),
            "auto" => Ok(Format::Auto),
            _ => Err(Error::Invalid {
                message: format!("format `{s}`: expected csv, parquet or auto"),
            }),
        }
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Format::Csv => "csv",
            Format::Parquet => "parquet",
            Format::Auto => "auto",
        })
    }
}

/// The type of a column's values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Text (names, labels, months): Parquet `Utf8`.
    Utf8,
    /// Whole numbers (counts of hours, hour of the year): Parquet `Int64`.
    Int64,
    /// Values (MW, GWh, %, US$): Parquet `Float64`.
    Float64,
}

/// A named, typed column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Column {
    /// The name, as in the CSV header (units included: `load_mw`).
    pub name: &'static str,
    /// The type of its values.
    pub kind: Kind,
}

impl Column {
    /// A text column.
    pub const fn utf8(name: &'static str) -> Column {
        Column {
            name,
            kind: Kind::Utf8,
        }
    }

    /// A whole-number column.
    pub const fn int64(name: &'static str) -> Column {
        Column {
            name,
            kind: Kind::Int64,
        }
    }

    /// A floating-point column.
    pub const fn float64(name: &'static str) -> Column {
        Column {
            name,
            kind: Kind::Float64,
        }
    }
}

/// A row type of a result table: a struct of plain fields whose serde
/// serialisation gives, field by field in order, the columns of
/// [`Row::SCHEMA`] (strings and unit enum variants for `Utf8`, integers
/// for `Int64`, floats for `Float64`).
pub trait Row: Serialize {
    /// The columns, in field order.
    const SCHEMA: &'static [Column];
    /// How the table grows ([`Format::Auto`]).
    const SCALE: Scale;
}

/// A column's values.
#[derive(Clone, Debug, PartialEq)]
pub enum Values {
    /// A `Utf8` column.
    Utf8(Vec<String>),
    /// An `Int64` column.
    Int64(Vec<i64>),
    /// A `Float64` column.
    Float64(Vec<f64>),
}

impl Values {
    fn new(kind: Kind) -> Values {
        match kind {
            Kind::Utf8 => Values::Utf8(Vec::new()),
            Kind::Int64 => Values::Int64(Vec::new()),
            Kind::Float64 => Values::Float64(Vec::new()),
        }
    }

    fn truncate(&mut self, n: usize) {
        match self {
            Values::Utf8(v) => v.truncate(n),
            Values::Int64(v) => v.truncate(n),
            Values::Float64(v) => v.truncate(n),
        }
    }

    fn take(&self, rows: &[usize]) -> Values {
        match self {
            Values::Utf8(v) => Values::Utf8(rows.iter().map(|&i| v[i].clone()).collect()),
            Values::Int64(v) => Values::Int64(rows.iter().map(|&i| v[i]).collect()),
            Values::Float64(v) => Values::Float64(rows.iter().map(|&i| v[i]).collect()),
        }
    }
}

/// A table in columns: the schema and each column's values, all of one
/// length. Built from rows ([`Frame::from_rows`]) or read from a CSV or
/// Parquet file ([`Frame::read`]); written with [`Frame::write`]. Floats
/// compare by value, so a frame with NaN is not equal to itself.
#[derive(Clone, Debug, PartialEq)]
pub struct Frame {
    schema: Vec<Column>,
    columns: Vec<Values>,
    rows: usize,
}

impl Frame {
    /// An empty table of `schema`.
    pub fn new(schema: &[Column]) -> Frame {
        Frame {
            schema: schema.to_vec(),
            columns: schema.iter().map(|c| Values::new(c.kind)).collect(),
            rows: 0,
        }
    }

    /// The table of `rows`.
    ///
    /// ```
    /// use landlinked::hourly::Percentile;
    /// use landlinked::report::table::{Frame, Values};
    /// let f = Frame::from_rows(&[Percentile::of("s".into(), "Jan", "q".into(), &[1.0])])?;
    /// assert_eq!(f.len(), 1);
    /// assert_eq!(f.column("p50"), Some(&Values::Float64(vec![1.0])));
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn from_rows<T: Row>(rows: &[T]) -> Result<Frame> {
        let mut f = Frame::new(T::SCHEMA);
        for row in rows {
            f.push(row)?;
        }
        Ok(f)
    }

    /// Appends one row, whose serialisation must give this frame's
    /// columns in order; on an error the frame is left as it was.
    pub fn push<T: Serialize + ?Sized>(&mut self, row: &T) -> Result<()> {
        match sink::push(self, row) {
            Ok(()) => {
                self.rows += 1;
                Ok(())
            }
            Err(e) => {
                for c in &mut self.columns {
                    c.truncate(self.rows);
                }
                Err(Error::Invalid {
                    message: format!("a row does not fit the table's columns: {e}"),
                })
            }
        }
    }

    /// The columns.
    pub fn schema(&self) -> &[Column] {
        &self.schema
    }

    /// The number of rows.
    pub fn len(&self) -> usize {
        self.rows
    }

    /// No rows.
    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// The values of the column `name`.
    pub fn column(&self, name: &str) -> Option<&Values> {
        let i = self.schema.iter().position(|c| c.name == name)?;
        Some(&self.columns[i])
    }

    /// The rows at `rows` (indices, in the order given; repeats allowed).
    ///
    /// # Panics
    /// If an index is out of range.
    pub fn take(&self, rows: &[usize]) -> Frame {
        Frame {
            schema: self.schema.clone(),
            columns: self.columns.iter().map(|c| c.take(rows)).collect(),
            rows: rows.len(),
        }
    }

    /// Appends the rows of `other`, which must have the same columns.
    pub fn append(&mut self, other: &Frame) -> Result<()> {
        if other.schema != self.schema {
            return Err(Error::Invalid {
                message: "tables with different columns cannot be joined".into(),
            });
        }
        for (a, b) in self.columns.iter_mut().zip(&other.columns) {
            match (a, b) {
                (Values::Utf8(a), Values::Utf8(b)) => a.extend_from_slice(b),
                (Values::Int64(a), Values::Int64(b)) => a.extend_from_slice(b),
                (Values::Float64(a), Values::Float64(b)) => a.extend_from_slice(b),
                _ => unreachable!("columns of one schema have one kind"),
            }
        }
        self.rows += other.rows;
        Ok(())
    }

    /// Writes the table to `path` in `format`, whole or not at all (a
    /// temporary file beside it, renamed when complete). The CSV has a
    /// header row even without rows.
    pub fn write(&self, path: &Path, format: FileFormat) -> Result<()> {
        super::hourly::atomically(path, |tmp| match format {
            FileFormat::Csv => self.write_csv(tmp, path),
            #[cfg(feature = "parquet")]
            FileFormat::Parquet => parquet_io::write(self, tmp, path),
            #[cfg(not(feature = "parquet"))]
            FileFormat::Parquet => Err(no_parquet()),
        })
    }

    fn write_csv(&self, tmp: &Path, path: &Path) -> Result<()> {
        let err = |e: csv::Error| write_error(path, e);
        let mut w = csv::Writer::from_path(tmp).map_err(err)?;
        w.write_record(self.schema.iter().map(|c| c.name))
            .map_err(err)?;
        for i in 0..self.rows {
            w.serialize(sink::RowView {
                frame: self,
                row: i,
            })
            .map_err(err)?;
        }
        w.flush().map_err(|e| write_error(path, e))
    }

    /// Reads a table of `schema` from a `.csv` or `.parquet` file (by its
    /// extension). A file whose columns differ from `schema` (names, order
    /// or types), a value that does not parse, a null and a file that is
    /// not whole are errors naming the file.
    pub fn read(path: &Path, schema: &[Column]) -> Result<Frame> {
        match FileFormat::of(path) {
            Some(FileFormat::Csv) => Frame::read_csv(path, schema),
            #[cfg(feature = "parquet")]
            Some(FileFormat::Parquet) => parquet_io::read(path, schema),
            #[cfg(not(feature = "parquet"))]
            Some(FileFormat::Parquet) => Err(no_parquet()),
            None => Err(read_error(path, "not a .csv or .parquet file")),
        }
    }

    fn read_csv(path: &Path, schema: &[Column]) -> Result<Frame> {
        let mut reader =
            csv::Reader::from_path(path).map_err(|e| read_error(path, format!("not CSV: {e}")))?;
        let header = reader
            .headers()
            .map_err(|e| read_error(path, format!("not CSV: {e}")))?;
        if !header.iter().eq(schema.iter().map(|c| c.name)) {
            return Err(read_error(
                path,
                format!(
                    "columns `{}`, expected `{}`",
                    header.iter().collect::<Vec<_>>().join(","),
                    schema.iter().map(|c| c.name).collect::<Vec<_>>().join(",")
                ),
            ));
        }
        let mut f = Frame::new(schema);
        for (r, record) in reader.records().enumerate() {
            let record = record.map_err(|e| read_error(path, format!("not CSV: {e}")))?;
            if record.len() != schema.len() {
                return Err(read_error(
                    path,
                    format!(
                        "row {} has {} fields, expected {}",
                        r + 1,
                        record.len(),
                        schema.len()
                    ),
                ));
            }
            for ((c, values), field) in schema.iter().zip(&mut f.columns).zip(&record) {
                let bad = || {
                    read_error(
                        path,
                        format!(
                            "row {}, column `{}`: `{field}` is not a number",
                            r + 1,
                            c.name
                        ),
                    )
                };
                match values {
                    Values::Utf8(v) => v.push(field.to_string()),
                    Values::Int64(v) => v.push(field.parse().map_err(|_| bad())?),
                    Values::Float64(v) => v.push(field.parse().map_err(|_| bad())?),
                }
            }
            f.rows += 1;
        }
        Ok(f)
    }
}

/// Writes `rows` as the table `stem` into `dir` (created if missing) in
/// the format that `format` chooses for `T`, whole or not at all; removes
/// the table's file in the other format, if any. Returns the path written.
///
/// ```
/// use landlinked::hourly::Congestion;
/// use landlinked::report::table::{self, Format};
/// let dir = std::env::temp_dir().join(format!("landlinked-write-doc-{}", std::process::id()));
/// let path = table::write::<Congestion>(&dir, "congestion", &[], Format::Auto)?;
/// assert!(path.ends_with("congestion.csv"));
/// assert!(std::fs::read_to_string(&path).unwrap().starts_with("scenario,branch,"));
/// # Ok::<(), landlinked::Error>(())
/// ```
pub fn write<T: Row>(dir: &Path, stem: &str, rows: &[T], format: Format) -> Result<PathBuf> {
    let format = format.choose(T::SCALE)?;
    std::fs::create_dir_all(dir).map_err(|e| write_error(dir, e))?;
    let path = dir.join(format.file_name(stem));
    Frame::from_rows(rows)?.write(&path, format)?;
    remove_other(dir, stem, format)?;
    Ok(path)
}

/// Removes `STEM.EXT` in `dir` for the format other than `kept`, if there.
pub(crate) fn remove_other(dir: &Path, stem: &str, kept: FileFormat) -> Result<()> {
    let other = match kept {
        FileFormat::Csv => FileFormat::Parquet,
        FileFormat::Parquet => FileFormat::Csv,
    };
    let path = dir.join(other.file_name(stem));
    match std::fs::remove_file(&path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(write_error(&path, e)),
        _ => Ok(()),
    }
}

fn write_error(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::Write {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

fn read_error(path: &Path, why: impl std::fmt::Display) -> Error {
    Error::Invalid {
        message: format!("{}: {why}", path.display()),
    }
}

#[cfg(test)]
mod tests;
