//! Errors of the hydro model. Every variant names the plant and the field at fault.
//!
//! ```
//! use landlinked::hydro::{Cascade, HydroError, HydroPlant};
//! let plant = HydroPlant::run_of_river("Baipaza", 5, -600.0, 0.9, 54.0);
//! let err = Cascade::new(vec![plant]).unwrap_err();
//! assert!(matches!(err, HydroError::Negative { field: "installed_mw", .. }));
//! assert_eq!(err.to_string(), "plant `Baipaza`: field `installed_mw` is negative (-600)");
//! // Inside the crate's error type, it keeps its message.
//! assert_eq!(landlinked::Error::from(err.clone()).to_string(), err.to_string());
//! ```

use crate::calendar::Month;

/// What went wrong when validating or simulating a hydro system.
///
/// Each variant carries the plant name and, where it applies, the field name as
/// written in the data (`"installed_mw"`, `"reservoir.useful_hm3"`, ...), so a
/// message points straight at the figure to fix.
///
/// ```
/// use landlinked::hydro::HydroError;
/// let e = HydroError::Negative { plant: "Nurek".into(), field: "installed_mw", value: -3000.0 };
/// assert_eq!(e.to_string(), "plant `Nurek`: field `installed_mw` is negative (-3000)");
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum HydroError {
    /// A number is NaN or infinite.
    #[error("plant `{plant}`: field `{field}` is not a finite number ({value})")]
    NotFinite {
        /// Plant name.
        plant: String,
        /// Field name.
        field: &'static str,
        /// The offending value.
        value: f64,
    },
    /// A quantity that must be zero or positive is negative (capacity, storage, flow).
    #[error("plant `{plant}`: field `{field}` is negative ({value})")]
    Negative {
        /// Plant name.
        plant: String,
        /// Field name.
        field: &'static str,
        /// The offending value.
        value: f64,
    },
    /// A number lies outside its physical range (efficiency above 1, zero head, ...).
    #[error("plant `{plant}`: field `{field}` = {value} is out of range, expected {expected}")]
    OutOfRange {
        /// Plant name.
        plant: String,
        /// Field name.
        field: &'static str,
        /// The offending value.
        value: f64,
        /// The accepted range, in words.
        expected: &'static str,
    },
    /// The initial storage exceeds dead + useful storage.
    #[error(
        "plant `{plant}`: initial storage {initial_hm3} hm3 is above the reservoir capacity {capacity_hm3} hm3 (dead + useful)"
    )]
    InitialStorageAboveCapacity {
        /// Plant name.
        plant: String,
        /// Given initial storage, hm³.
        initial_hm3: f64,
        /// Dead + useful storage, hm³.
        capacity_hm3: f64,
    },
    /// The initial storage is below the dead storage.
    #[error(
        "plant `{plant}`: initial storage {initial_hm3} hm3 is below the dead storage {dead_hm3} hm3"
    )]
    InitialStorageBelowDead {
        /// Plant name.
        plant: String,
        /// Given initial storage, hm³.
        initial_hm3: f64,
        /// Dead storage, hm³.
        dead_hm3: f64,
    },
    /// A monthly series (inflows, rule-curve targets) does not have 12 values, or a
    /// head curve has too few points.
    #[error("plant `{plant}`: field `{field}` has {found} values, expected {expected}")]
    WrongLength {
        /// Plant name.
        plant: String,
        /// Field name.
        field: &'static str,
        /// Required number of values.
        expected: usize,
        /// Number of values given.
        found: usize,
    },
    /// A storage→head curve is not usable: storages not strictly increasing, heads
    /// decreasing, or the curve does not span dead to full storage.
    #[error("plant `{plant}`: head curve is invalid: {reason}")]
    InvalidHeadCurve {
        /// Plant name.
        plant: String,
        /// What is wrong with the curve.
        reason: String,
    },
    /// A plant refers to a plant (downstream, inflow, rule curve) that is not in the cascade.
    #[error("plant `{plant}`: field `{field}` refers to unknown plant `{unknown}`")]
    UnknownPlant {
        /// The plant (or data record) holding the reference.
        plant: String,
        /// Field holding the reference.
        field: &'static str,
        /// The name that matched no plant.
        unknown: String,
    },
    /// Two plants, or two records for the same plant, share a name.
    #[error("plant `{plant}` is defined more than once in `{field}`")]
    Duplicate {
        /// The repeated plant name.
        plant: String,
        /// Where the repetition was found (`"plants"`, `"inflows"`, `"rule_curve"`).
        field: &'static str,
    },
    /// Following `downstream` links returns to a plant already visited.
    #[error("cascade has a cycle through plants {plants:?}")]
    Cycle {
        /// The plants on the cycle, in downstream order.
        plants: Vec<String>,
    },
    /// A parameter of an [`InflowSpread`](super::InflowSpread) is NaN, negative or out
    /// of range.
    ///
    /// ```
    /// use landlinked::hydro::HydroError;
    /// let e = HydroError::InvalidSpread { field: "annual_cv", value: -0.1,
    ///                                     expected: "a finite number with 0 <= cv <= 10" };
    /// assert!(e.to_string().contains("`annual_cv` = -0.1"));
    /// ```
    #[error("inflow spread: field `{field}` = {value} is invalid, expected {expected}")]
    InvalidSpread {
        /// Field name.
        field: &'static str,
        /// The offending value.
        value: f64,
        /// The accepted range, in words.
        expected: &'static str,
    },
    /// An [`InflowEnsemble`](super::InflowEnsemble) was given a number of river names
    /// other than one per inflow.
    ///
    /// ```
    /// use landlinked::hydro::HydroError;
    /// let e = HydroError::RiversLength { inflows: 2, rivers: 1 };
    /// assert!(e.to_string().starts_with("inflow ensemble: 1 river names for 2 inflows"));
    /// ```
    #[error(
        "inflow ensemble: {rivers} river names for {inflows} inflows; give one per inflow (an empty name for an inflow on a river of its own)"
    )]
    RiversLength {
        /// Number of inflows.
        inflows: usize,
        /// Number of river names.
        rivers: usize,
    },
    /// A release policy returned NaN or infinity.
    #[error("plant `{plant}`: release policy returned a non-finite release ({value}) in {month}")]
    PolicyNotFinite {
        /// Plant name.
        plant: String,
        /// Month of the decision.
        month: Month,
        /// The returned value.
        value: f64,
    },
}
