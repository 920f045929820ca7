//! [`DemandError`]: what went wrong with a load or a query.
//!
//! ```
//! use landlinked::demand::{BusShare, Demand, DemandError, Load};
//! let shares = vec![BusShare { bus: 1, share: 0.5 }, BusShare { bus: 2, share: 0.25 }];
//! let err = Demand::new(vec![Load::flat("Sughd", 100.0, shares)]).unwrap_err();
//! assert_eq!(err.to_string(), "load `Sughd`: bus shares sum to 0.75, expected 1");
//! let d = Demand::new(vec![])?;
//! assert!(matches!(d.load_mw("Khatlon", 0, 0), Err(DemandError::UnknownLoad { .. })));
//! # Ok::<(), DemandError>(())
//! ```

/// What went wrong with a load. Every variant names the load and, where it applies,
/// the field.
///
/// ```
/// use landlinked::demand::DemandError;
/// let e = DemandError::SharesDoNotSumToOne { load: "Sughd".into(), sum: 0.9 };
/// assert_eq!(e.to_string(), "load `Sughd`: bus shares sum to 0.9, expected 1");
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum DemandError {
    /// A number is NaN or infinite.
    #[error("load `{load}`: field `{field}` is not a finite number ({value})")]
    NotFinite {
        /// Load name.
        load: String,
        /// Field name.
        field: &'static str,
        /// The offending value.
        value: f64,
    },
    /// A quantity that must be zero or positive is negative.
    #[error("load `{load}`: field `{field}` is negative ({value})")]
    Negative {
        /// Load name.
        load: String,
        /// Field name.
        field: &'static str,
        /// The offending value.
        value: f64,
    },
    /// A number is outside its accepted range (growth of −100 %/yr or less).
    #[error("load `{load}`: field `{field}` = {value} is out of range, expected {expected}")]
    OutOfRange {
        /// Load name.
        load: String,
        /// Field name.
        field: &'static str,
        /// The offending value.
        value: f64,
        /// The accepted range, in words.
        expected: &'static str,
    },
    /// A profile or shape has the wrong number of values.
    #[error("load `{load}`: field `{field}` has {found} values, expected {expected}")]
    WrongLength {
        /// Load name.
        load: String,
        /// Field name.
        field: &'static str,
        /// Required number of values.
        expected: usize,
        /// Number of values given.
        found: usize,
    },
    /// A profile or shape is all zeros and cannot be normalised.
    #[error("load `{load}`: field `{field}` is all zeros")]
    ZeroProfile {
        /// Load name.
        load: String,
        /// Field name.
        field: &'static str,
    },
    /// The bus shares do not sum to 1.
    #[error("load `{load}`: bus shares sum to {sum}, expected 1")]
    SharesDoNotSumToOne {
        /// Load name.
        load: String,
        /// Sum of the shares given.
        sum: f64,
    },
    /// A load has no bus.
    #[error("load `{load}`: no bus shares given")]
    NoBuses {
        /// Load name.
        load: String,
    },
    /// A bus appears twice in a load's shares.
    #[error("load `{load}`: bus {bus} appears more than once in `buses`")]
    DuplicateBus {
        /// Load name.
        load: String,
        /// The repeated bus number.
        bus: u64,
    },
    /// Two loads share a name.
    #[error("load `{load}` is defined more than once")]
    DuplicateLoad {
        /// The repeated name.
        load: String,
    },
    /// No load has this name.
    #[error("no load named `{load}`")]
    UnknownLoad {
        /// The name asked for.
        load: String,
    },
    /// A scenario-level growth rate of −100 %/yr or less, or not finite
    /// ([`Demand::with_growth`](super::Demand::with_growth)).
    #[error("scenario growth {value} %/yr is out of range, expected a finite rate above -100 %/yr")]
    GrowthOutOfRange {
        /// The rate given, % per year.
        value: f64,
    },
    /// An hour outside 0..8760.
    #[error("hour {hour} is outside the year (0..8760)")]
    HourOutOfRange {
        /// The hour asked for.
        hour: usize,
    },
}
