//! The crate's one error type.
//!
//! Every variant carries the place (file, line, element) and what was wrong,
//! so a message can be shown to a user as it is. Anything that comes from
//! user data returns [`Error`]; the library never panics on it.
//!
//! ```
//! use landlinked::{Error, io::matpower};
//! let err = matpower::parse_str("mpc.baseMVA = 100;\nmpc.bus = [1 3 0 x];", "bad.m").unwrap_err();
//! // The message names the file and line; the root is what was wrong there.
//! assert!(err.to_string().starts_with("bad.m:2: "), "{err}");
//! assert!(matches!(err.root(), Error::BadNumber { token } if token == "x"));
//! ```

use std::path::PathBuf;

/// Result alias used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong reading, validating or solving a grid.
///
/// ```
/// use landlinked::Error;
/// let e = Error::MissingField { field: "baseMVA".into() };
/// assert_eq!(e.to_string(), "missing field `baseMVA`");
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An error inside a file, at a 1-based line.
    #[error("{file}:{line}: {source}")]
    At {
        /// The file name (or `<string>` when parsing text).
        file: String,
        /// 1-based line number.
        line: usize,
        /// What went wrong there.
        source: Box<Error>,
    },
    /// An error about a file as a whole (a missing field, say).
    #[error("{file}: {source}")]
    InFile {
        /// The file name.
        file: String,
        /// What went wrong.
        source: Box<Error>,
    },
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The path that was opened.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// A required field is absent.
    #[error("missing field `{field}`")]
    MissingField {
        /// The field's name.
        field: String,
    },
    /// A token that should be a number is not.
    #[error("`{token}` is not a number")]
    BadNumber {
        /// The offending token (truncated to 40 characters).
        token: String,
    },
    /// A `[` (or `{`) block that never closes.
    #[error("`{field}` block opened here is never closed with `{close}`")]
    Unterminated {
        /// The field being read.
        field: String,
        /// The expected closing character.
        close: char,
    },
    /// Something that is not valid syntax in a case file.
    #[error("unexpected `{token}` in `{field}`")]
    Syntax {
        /// The field being read.
        field: String,
        /// What was found.
        token: String,
    },
    /// A table row with fewer columns than the format requires.
    #[error("`{table}` row has {found} columns, at least {expected} are required")]
    TooFewColumns {
        /// `bus`, `gen` or `branch`.
        table: String,
        /// Columns found.
        found: usize,
        /// Columns required.
        expected: usize,
    },
    /// A table row whose length differs from the first row's.
    #[error("`{table}` row has {found} columns, the first row has {expected}")]
    RaggedRow {
        /// The table name.
        table: String,
        /// Columns found.
        found: usize,
        /// Columns of the first row.
        expected: usize,
    },
    /// A value that is NaN or infinite.
    #[error("{element}: `{field}` is {value}, a finite number is required")]
    NonFinite {
        /// The element (`bus 4`, `branch 7 (4-5)`).
        element: String,
        /// The field's name.
        field: String,
        /// The value found.
        value: f64,
    },
    /// A value outside its allowed range.
    #[error("{element}: `{field}` = {} is invalid: {expected}", number(*.value))]
    InvalidValue {
        /// The element.
        element: String,
        /// The field's name.
        field: String,
        /// The value found.
        value: f64,
        /// What was expected instead.
        expected: String,
    },
    /// Two buses with the same number.
    #[error("bus {bus} is defined twice (bus rows {first} and {second})")]
    DuplicateBus {
        /// The bus number.
        bus: u64,
        /// 1-based row of the first definition.
        first: usize,
        /// 1-based row of the second definition.
        second: usize,
    },
    /// An element refers to a bus that does not exist.
    #[error("{element} refers to unknown bus {bus}")]
    UnknownBus {
        /// The element (`branch 3`, `generator 2`).
        element: String,
        /// The missing bus number.
        bus: u64,
    },
    /// An in-service branch whose susceptance `1/(x·tap)` is infinite.
    #[error(
        "branch {branch} ({from}-{to}) is in service with zero reactance x = 0: its DC susceptance 1/x is infinite; take it out of service or merge its buses"
    )]
    ZeroReactance {
        /// 1-based branch position in the input.
        branch: usize,
        /// From bus number.
        from: u64,
        /// To bus number.
        to: u64,
    },
    /// An island whose reduced susceptance matrix is singular.
    #[error(
        "island {island} has a singular susceptance matrix (angles are not determined); its buses: {}",
        bus_list(buses)
    )]
    SingularIsland {
        /// 0-based island number.
        island: usize,
        /// Bus numbers in the island.
        buses: Vec<u64>,
    },
    /// An island with no in-service generator to take its mismatch.
    #[error(
        "island {island} has no in-service generator to act as its reference; its buses: {}",
        bus_list(buses)
    )]
    NoGenerator {
        /// 0-based island number.
        island: usize,
        /// Bus numbers in the island.
        buses: Vec<u64>,
    },
    /// Input vector with the wrong length passed to a solver.
    #[error("{what} has length {found}, expected {expected}")]
    DimensionMismatch {
        /// What was passed.
        what: String,
        /// Its length.
        found: usize,
        /// The length required.
        expected: usize,
    },
    /// The sparse factorisation failed for a reason other than a singular
    /// island (that is [`Error::SingularIsland`]).
    ///
    /// ```
    /// use landlinked::error::{Error, FactorFailure};
    /// let e = Error::Factorisation { kind: FactorFailure::TooManyEntries { entries: 5_000_000_000 } };
    /// assert_eq!(
    ///     e.to_string(),
    ///     "factorisation failed: the factor would hold 5000000000 entries in L, \
    ///      more than its 32-bit indices hold"
    /// );
    /// ```
    #[error("factorisation failed: {kind}")]
    Factorisation {
        /// What failed.
        kind: FactorFailure,
    },
    /// The fill-reducing ordering failed: faer's AMD, on the unknowns that
    /// the explicit minimum-degree phase left to it.
    ///
    /// ```
    /// use landlinked::error::{Error, OrderingFailure};
    /// let e = Error::OrderingFailed { vertices: 1623, reason: OrderingFailure::OutOfMemory };
    /// assert_eq!(
    ///     e.to_string(),
    ///     "factorisation failed: faer's AMD could not order 1623 unknowns: out of memory"
    /// );
    /// ```
    #[error("factorisation failed: faer's AMD could not order {vertices} unknowns: {reason}")]
    OrderingFailed {
        /// Unknowns handed to AMD.
        vertices: usize,
        /// Why AMD failed.
        reason: OrderingFailure,
    },
    /// An HVDC set-point beyond the link's capacity in its direction.
    #[error(
        "link `{link}`: set-point {setpoint_mw} MW exceeds its {direction} capacity of {capacity_mw} MW"
    )]
    LinkOverCapacity {
        /// The link's name.
        link: String,
        /// The set-point asked for, MW.
        setpoint_mw: f64,
        /// The capacity in that direction, MW (0 when out of service).
        capacity_mw: f64,
        /// `forward`, `reverse` or `out of service`.
        direction: &'static str,
    },
    /// A name asked for through the API that the model does not have (a
    /// plant, bus, corridor, load or scenario); lists the names it knows.
    #[error("unknown {kind} `{name}` (known: {})", known_list(known))]
    NotFound {
        /// What kind of thing was asked for (`plant`, `corridor`, …).
        kind: String,
        /// The name asked for.
        name: String,
        /// The names of that kind that exist.
        known: Vec<String>,
    },
    /// A name that must be unique is used twice.
    #[error("{kind} `{name}` is defined twice: names must be unique")]
    Duplicate {
        /// What kind of thing (`scenario`, `corridor`, …).
        kind: String,
        /// The repeated name.
        name: String,
    },
    /// A name that refers to nothing (a bus, plant, inflow profile, option or
    /// corridor element).
    #[error("{element}: `{field}` refers to unknown {kind} `{name}`")]
    UnknownName {
        /// The element holding the reference (`line 3 (A–B)`, `plant `Nurek``).
        element: String,
        /// The field holding it.
        field: String,
        /// What kind of thing was expected (`bus`, `plant`, `branch`).
        kind: String,
        /// The name that matched nothing.
        name: String,
    },
    /// A TOML syntax or schema error (a missing field, a wrong type).
    #[error("line {line}, column {column}: {element}{message}")]
    Toml {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The element being read (`[[plant]] 3 (`Nurek`): `), or empty.
        element: String,
        /// The parser's message.
        message: String,
    },
    /// An error of the hydro model (cascade links, series lengths).
    #[error(transparent)]
    Hydro(#[from] crate::hydro::HydroError),
    /// An error of the demand model (bus shares, profiles).
    #[error(transparent)]
    Demand(#[from] crate::demand::DemandError),
    /// An argument, a sweep file or a sweep part that is not valid; the
    /// message names it and says what was wrong.
    #[error("{message}")]
    Invalid {
        /// The whole message.
        message: String,
    },
    /// The caller asked a long run to stop (`HourlyStudy::run_until`);
    /// nothing was returned.
    #[error("stopped at the caller's request")]
    Stopped,
    /// Writing a CSV or JSON output failed.
    #[error("cannot write {path}: {message}")]
    Write {
        /// The path being written.
        path: PathBuf,
        /// The writer's message.
        message: String,
    },
}

/// Why a factorisation failed ([`Error::Factorisation`]).
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum FactorFailure {
    /// A diagonal entry of the reduced susceptance matrix is infinite: the
    /// susceptances of the branches at this bus sum past the largest
    /// number.
    #[error(
        "bus {bus}: its diagonal entry of the susceptance matrix is {value}, not finite \
         (parallel branches or a reactance too close to zero?)"
    )]
    NonFiniteDiagonal {
        /// The bus number.
        bus: u64,
        /// The entry, p.u.
        value: f64,
    },
    /// More unknown angles than the factor's 32-bit row indices hold.
    #[error("{unknowns} unknown angles: more than the factor's 32-bit row indices hold")]
    TooManyUnknowns {
        /// Unknowns (buses that are neither references nor isolated).
        unknowns: usize,
    },
    /// More buses than the block kernel's 32-bit row indices hold.
    #[error("{buses} buses: more than the solver's 32-bit row indices hold")]
    TooManyBuses {
        /// Buses in the network.
        buses: usize,
    },
    /// More entries in L than its 32-bit column pointers hold.
    #[error("the factor would hold {entries} entries in L, more than its 32-bit indices hold")]
    TooManyEntries {
        /// Entries below the diagonal.
        entries: u64,
    },
    /// No memory for the entries of L.
    #[error("no memory for the factor's {entries} entries in L")]
    OutOfMemory {
        /// Entries below the diagonal.
        entries: u64,
    },
    /// The elimination order disagrees with the matrix or the factor: a bug
    /// in this crate, never a property of the network.
    #[error("the elimination order does not fit the matrix (a bug in landlinked): {defect}")]
    InconsistentOrder {
        /// What disagreed.
        defect: OrderDefect,
    },
}

/// How an elimination order disagreed with the factorisation
/// ([`FactorFailure::InconsistentOrder`]). Rows are positions in the
/// reduced system; columns of L are positions in the elimination order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OrderDefect {
    /// The order does not have one entry per row.
    #[error("an order of {order} rows for a matrix of {rows}")]
    Length {
        /// Rows in the order.
        order: usize,
        /// Rows of the matrix.
        rows: usize,
    },
    /// The order names a row the matrix does not have.
    #[error("row {row} is out of range (the matrix has {rows} rows)")]
    RowOutOfRange {
        /// The row named.
        row: usize,
        /// Rows of the matrix.
        rows: usize,
    },
    /// The order names a row twice.
    #[error("row {row} comes twice")]
    RowTwice {
        /// The row named twice.
        row: usize,
    },
    /// Column counts announced for a different number of rows.
    #[error("{counts} column counts announced for {rows} rows")]
    CountsLength {
        /// Counts announced.
        counts: usize,
        /// Rows they were for.
        rows: usize,
    },
    /// A column of L needs more entries than were announced for it.
    #[error("column {column} of L outgrew the {announced} entries announced for it")]
    CountTooSmall {
        /// The column of L.
        column: usize,
        /// Entries announced below its diagonal.
        announced: usize,
    },
    /// A column of L holds fewer entries than were announced for it.
    #[error(
        "column {column} of L has {found} entries below the diagonal, {announced} were announced"
    )]
    CountMismatch {
        /// The column of L.
        column: usize,
        /// Entries announced below its diagonal.
        announced: usize,
        /// Entries found.
        found: usize,
    },
}

/// Why faer's AMD ordering failed ([`Error::OrderingFailed`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OrderingFailure {
    /// An index overflowed its integer type.
    #[error("an index overflowed its integer type")]
    IndexOverflow,
    /// An allocation failed.
    #[error("out of memory")]
    OutOfMemory,
    /// A failure that faer added after this crate was written.
    #[error("faer reported a failure this version of landlinked does not know")]
    Unrecognised,
}

/// A number for a message: plain where that is short, in scientific
/// notation for the very small and very large (1e-310 rather than 311
/// digits).
fn number(v: f64) -> String {
    let a = v.abs();
    if v == 0.0 || !v.is_finite() || (1e-4..1e15).contains(&a) {
        v.to_string()
    } else {
        format!("{v:e}")
    }
}

fn bus_list(buses: &[u64]) -> String {
    const SHOWN: usize = 20;
    let mut s: Vec<String> = buses.iter().take(SHOWN).map(u64::to_string).collect();
    if buses.len() > SHOWN {
        s.push(format!("… ({} in all)", buses.len()));
    }
    s.join(", ")
}

impl Error {
    /// Wraps an error with the file and 1-based line where it happened.
    ///
    /// ```
    /// use landlinked::Error;
    /// let e = Error::MissingField { field: "x".into() }.at("case.m", 3);
    /// assert_eq!(e.to_string(), "case.m:3: missing field `x`");
    /// ```
    pub fn at(self, file: &str, line: usize) -> Error {
        Error::At {
            file: file.to_string(),
            line,
            source: Box::new(self),
        }
    }

    /// Wraps an error with the file it concerns.
    ///
    /// ```
    /// use landlinked::Error;
    /// let e = Error::MissingField { field: "baseMVA".into() }.in_file("case.m");
    /// assert_eq!(e.to_string(), "case.m: missing field `baseMVA`");
    /// ```
    pub fn in_file(self, file: &str) -> Error {
        Error::InFile {
            file: file.to_string(),
            source: Box::new(self),
        }
    }

    /// The innermost error, without file and line wrappers.
    ///
    /// ```
    /// use landlinked::Error;
    /// let e = Error::MissingField { field: "x".into() }.at("a.m", 1);
    /// assert!(matches!(e.root(), Error::MissingField { .. }));
    /// ```
    pub fn root(&self) -> &Error {
        match self {
            Error::At { source, .. } | Error::InFile { source, .. } => source.root(),
            e => e,
        }
    }
}

/// Up to 12 names, then how many more.
fn known_list(known: &[String]) -> String {
    const SHOWN: usize = 12;
    match known.len() {
        0 => "none".to_string(),
        n if n <= SHOWN => known.join(", "),
        n => format!("{}, … and {} more", known[..SHOWN].join(", "), n - SHOWN),
    }
}

#[cfg(test)]
mod tests {
    use super::{Error, FactorFailure, OrderDefect, OrderingFailure, number};

    #[test]
    fn factorisation_messages_carry_their_fields() {
        let factor = |kind| Error::Factorisation { kind }.to_string();
        assert_eq!(
            factor(FactorFailure::NonFiniteDiagonal {
                bus: 7,
                value: f64::INFINITY
            }),
            "factorisation failed: bus 7: its diagonal entry of the susceptance matrix is inf, \
             not finite (parallel branches or a reactance too close to zero?)"
        );
        assert_eq!(
            factor(FactorFailure::TooManyUnknowns {
                unknowns: 5_000_000_000
            }),
            "factorisation failed: 5000000000 unknown angles: more than the factor's 32-bit \
             row indices hold"
        );
        assert_eq!(
            factor(FactorFailure::TooManyBuses {
                buses: 5_000_000_000
            }),
            "factorisation failed: 5000000000 buses: more than the solver's 32-bit row indices hold"
        );
        assert_eq!(
            factor(FactorFailure::OutOfMemory { entries: 40 }),
            "factorisation failed: no memory for the factor's 40 entries in L"
        );
        let defect = |defect| factor(FactorFailure::InconsistentOrder { defect });
        let prefix = "factorisation failed: the elimination order does not fit the matrix \
                      (a bug in landlinked): ";
        for (d, text) in [
            (
                OrderDefect::Length { order: 2, rows: 3 },
                "an order of 2 rows for a matrix of 3",
            ),
            (
                OrderDefect::RowOutOfRange { row: 3, rows: 3 },
                "row 3 is out of range (the matrix has 3 rows)",
            ),
            (OrderDefect::RowTwice { row: 0 }, "row 0 comes twice"),
            (
                OrderDefect::CountsLength { counts: 1, rows: 2 },
                "1 column counts announced for 2 rows",
            ),
            (
                OrderDefect::CountTooSmall {
                    column: 4,
                    announced: 2,
                },
                "column 4 of L outgrew the 2 entries announced for it",
            ),
            (
                OrderDefect::CountMismatch {
                    column: 4,
                    announced: 3,
                    found: 2,
                },
                "column 4 of L has 2 entries below the diagonal, 3 were announced",
            ),
        ] {
            assert_eq!(defect(d), format!("{prefix}{text}"));
        }
        let amd = |reason| Error::OrderingFailed {
            vertices: 9,
            reason,
        };
        assert_eq!(
            amd(OrderingFailure::IndexOverflow).to_string(),
            "factorisation failed: faer's AMD could not order 9 unknowns: \
             an index overflowed its integer type"
        );
        assert!(
            amd(OrderingFailure::Unrecognised)
                .to_string()
                .contains("does not know")
        );
    }

    #[test]
    fn numbers_in_messages_stay_short() {
        assert_eq!(number(0.1), "0.1");
        assert_eq!(number(2.0), "2");
        assert_eq!(number(0.0), "0");
        assert_eq!(number(1e-310), "1e-310");
        assert_eq!(number(-3e20), "-3e20");
        assert_eq!(number(f64::INFINITY), "inf");
    }
}
