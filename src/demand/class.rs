//! [`LoadClass`]: residential, industrial and irrigation loads with default
//! monthly, daily and weekly shapes. Every default is an estimate (E): a
//! plausible shape for Central Asia, not a measured one; give a load's own
//! profiles where data exist.
//!
//! ```
//! use landlinked::demand::{BusShare, Demand, Load, LoadClass};
//! let pumps = Load::flat("Pumps", 1000.0, vec![BusShare { bus: 1, share: 1.0 }])
//!     .with_class(LoadClass::Irrigation);
//! let months = Demand::new(vec![pumps])?.monthly_energy_gwh(0);
//! assert_eq!(months[0].energy_gwh, 0.0); // no pumping in January
//! assert!(months[6].energy_gwh > months[3].energy_gwh); // July above April
//! assert!((months.iter().map(|m| m.energy_gwh).sum::<f64>() - 1000.0).abs() < 1e-9);
//! # Ok::<(), landlinked::demand::DemandError>(())
//! ```

use serde::{Deserialize, Serialize};

use super::{HourlyShape, MonthlyProfile, WeeklyPattern};

/// Residential day in the heating months (October–March), hour 0 = 00:00–01:00:
/// night trough, a morning rise and a high evening peak (18:00–21:00) from
/// lighting, cooking and electric heating. E.
const RESIDENTIAL_WINTER_DAY: [f64; 24] = [
    0.70, 0.65, 0.62, 0.62, 0.65, 0.75, 0.95, 1.10, 1.10, 1.00, 0.95, 0.92, 0.92, 0.90, 0.90, 0.95,
    1.10, 1.35, 1.50, 1.55, 1.50, 1.35, 1.10, 0.85,
];

/// Residential day in April–September: flatter, a midday shoulder (fans,
/// cooling) and a later, lower evening peak. E.
const RESIDENTIAL_SUMMER_DAY: [f64; 24] = [
    0.75, 0.70, 0.68, 0.66, 0.68, 0.75, 0.88, 0.98, 1.00, 1.00, 1.02, 1.05, 1.08, 1.08, 1.05, 1.02,
    1.02, 1.08, 1.20, 1.30, 1.35, 1.25, 1.05, 0.88,
];

/// Residential monthly mean powers, January first: winter heating. The same
/// factors as the Tajik zonal loads of the bundled Central Asia grid. E.
const RESIDENTIAL_MONTHS: [f64; 12] = [
    1.35, 1.30, 1.10, 0.90, 0.80, 0.78, 0.80, 0.80, 0.85, 1.00, 1.15, 1.30,
];

/// Irrigation pumping, monthly mean powers, January first: none from November
/// to February, a peak in June–August. E.
const IRRIGATION_MONTHS: [f64; 12] = [0.0, 0.0, 0.1, 0.6, 1.0, 1.3, 1.4, 1.3, 0.8, 0.3, 0.0, 0.0];

/// Weekend-day mean power of a residential load relative to a weekday: people
/// at home. E.
const RESIDENTIAL_WEEKEND_FACTOR: f64 = 1.05;

/// The kind of a load, which gives it default shapes ([`Load::with_class`]);
/// serialised in lower case (`"residential"`, `"industrial"`, `"irrigation"`).
///
/// All defaults are estimates (E):
///
/// | class | months | day | weekend |
/// | --- | --- | --- | --- |
/// | `Residential` | winter-heavy (1.35 in January to 0.78 in June) | evening peak, higher and earlier in October–March | 1.05 × a weekday, same shape |
/// | `Industrial` | flat | flat | same as weekdays |
/// | `Irrigation` | zero November–February, peak 1.4 in July | flat (pumps run round the clock in season) | same as weekdays |
///
/// [`Load::with_class`]: super::Load::with_class
///
/// ```
/// use landlinked::demand::{HourlyShape, LoadClass, MonthlyProfile};
/// let c: LoadClass = serde_json::from_str("\"irrigation\"").unwrap();
/// assert_eq!(c, LoadClass::Irrigation);
/// assert_eq!(LoadClass::Industrial.hourly(), HourlyShape::Flat);
/// assert_eq!(LoadClass::Industrial.monthly(), MonthlyProfile::Flat);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LoadClass {
    /// Households and the small services on the same feeders: winter-heavy
    /// months, an evening peak, weekend days 5 % above weekdays. E.
    Residential,
    /// Continuous industry (the TALCO aluminium smelter): flat in every month,
    /// hour and day. E.
    Industrial,
    /// Irrigation pumping: summer only, flat within the day. E.
    Irrigation,
}

impl LoadClass {
    /// The three classes.
    ///
    /// ```
    /// assert_eq!(landlinked::demand::LoadClass::ALL.len(), 3);
    /// ```
    pub const ALL: [LoadClass; 3] = [
        LoadClass::Residential,
        LoadClass::Industrial,
        LoadClass::Irrigation,
    ];

    /// The name used in grid files.
    ///
    /// ```
    /// assert_eq!(landlinked::demand::LoadClass::Irrigation.name(), "irrigation");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            LoadClass::Residential => "residential",
            LoadClass::Industrial => "industrial",
            LoadClass::Irrigation => "irrigation",
        }
    }

    /// The default monthly profile (E).
    ///
    /// ```
    /// use landlinked::demand::{LoadClass, MonthlyProfile};
    /// let MonthlyProfile::PowerFactors { factors } = LoadClass::Irrigation.monthly() else {
    ///     panic!()
    /// };
    /// assert_eq!(factors[0], 0.0); // no pumping in January
    /// ```
    pub fn monthly(self) -> MonthlyProfile {
        match self {
            LoadClass::Residential => MonthlyProfile::PowerFactors {
                factors: RESIDENTIAL_MONTHS.to_vec(),
            },
            LoadClass::Industrial => MonthlyProfile::Flat,
            LoadClass::Irrigation => MonthlyProfile::PowerFactors {
                factors: IRRIGATION_MONTHS.to_vec(),
            },
        }
    }

    /// The default hourly shape (E): for `Residential` one 24-hour row per
    /// month ([`HourlyShape::Monthly`]), the winter day in January–March and
    /// October–December, the summer day in April–September; flat otherwise.
    ///
    /// ```
    /// use landlinked::demand::{HourlyShape, LoadClass};
    /// let HourlyShape::Monthly { factors } = LoadClass::Residential.hourly() else { panic!() };
    /// assert!(factors[0][19] > factors[0][3]); // January: evening above night
    /// ```
    pub fn hourly(self) -> HourlyShape {
        match self {
            LoadClass::Residential => HourlyShape::Monthly {
                factors: (0..12)
                    .map(|m| {
                        if (3..9).contains(&m) {
                            RESIDENTIAL_SUMMER_DAY.to_vec()
                        } else {
                            RESIDENTIAL_WINTER_DAY.to_vec()
                        }
                    })
                    .collect(),
            },
            LoadClass::Industrial | LoadClass::Irrigation => HourlyShape::Flat,
        }
    }

    /// The default weekly pattern (E): weekend days at 1.05 × a weekday for
    /// `Residential`, no difference otherwise; Saturday and Sunday.
    ///
    /// ```
    /// use landlinked::demand::LoadClass;
    /// assert_eq!(LoadClass::Residential.weekly().weekend_factor, 1.05);
    /// assert!(LoadClass::Industrial.weekly().is_uniform());
    /// ```
    pub fn weekly(self) -> WeeklyPattern {
        match self {
            LoadClass::Residential => {
                WeeklyPattern::with_weekend_factor(RESIDENTIAL_WEEKEND_FACTOR)
            }
            LoadClass::Industrial | LoadClass::Irrigation => WeeklyPattern::default(),
        }
    }
}

impl std::fmt::Display for LoadClass {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}
