//! The description of a load: [`Load`], its [`BusShare`]s, [`MonthlyProfile`],
//! [`HourlyShape`] and [`WeeklyPattern`].
//!
//! ```
//! use landlinked::demand::{BusShare, Demand, Load, LoadClass, WeeklyPattern};
//! let shares = vec![BusShare { bus: 1, share: 0.7 }, BusShare { bus: 2, share: 0.3 }];
//! let dushanbe = Load::flat("Dushanbe", 4000.0, shares)
//!     .with_class(LoadClass::Residential)
//!     .with_weekly(WeeklyPattern::with_weekend_factor(1.1))
//!     .with_growth_pct(3.0);
//! assert!(dushanbe.validate().is_ok());
//! // A year on, 3 % more energy, all of it in the 8,760 hours.
//! let d = Demand::new(vec![dushanbe])?;
//! assert!((d.hourly_mw(0, 1).iter().sum::<f64>() / 1e3 - 4120.0).abs() < 1e-6);
//! # Ok::<(), landlinked::demand::DemandError>(())
//! ```

use serde::{Deserialize, Serialize};

use super::shape::Shaped;
use super::{DemandError, LoadClass};
use crate::calendar::{DEFAULT_WEEKEND, Month, Weekday};

/// The share of a load taken at one bus.
///
/// ```
/// use landlinked::demand::BusShare;
/// let s = BusShare { bus: 12, share: 0.25 };
/// assert_eq!(s.bus, 12);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct BusShare {
    /// Bus number (MATPOWER-style external id).
    pub bus: u64,
    /// Fraction of the load at this bus, 0 to 1.
    pub share: f64,
}

/// How a load's annual energy is split into months.
///
/// ```
/// use landlinked::demand::MonthlyProfile;
/// let winter_heavy = MonthlyProfile::PowerFactors { factors: vec![
///     1.3, 1.3, 1.1, 0.9, 0.8, 0.8, 0.85, 0.85, 0.8, 0.95, 1.15, 1.3] };
/// assert!(matches!(winter_heavy, MonthlyProfile::PowerFactors { .. }));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum MonthlyProfile {
    /// The same mean power in every month (energy in proportion to month length).
    #[default]
    Flat,
    /// Twelve shares of the annual energy, January first; normalised to sum to 1.
    EnergyShares {
        /// Relative energy per month.
        shares: Vec<f64>,
    },
    /// Twelve relative mean powers, January first; a month's energy is proportional
    /// to its factor times its hours.
    PowerFactors {
        /// Relative mean power per month.
        factors: Vec<f64>,
    },
}

/// How a month's energy is spread over the hours of its days. Factors are relative:
/// each 24-hour shape is rescaled to a mean of 1.
///
/// ```
/// use landlinked::demand::HourlyShape;
/// let mut evening_peak = vec![1.0; 24];
/// evening_peak[19] = 1.5;
/// let shape = HourlyShape::Daily { factors: evening_peak };
/// assert!(matches!(shape, HourlyShape::Daily { .. }));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum HourlyShape {
    /// Every hour of a month at the same MW.
    #[default]
    Flat,
    /// One 24-hour shape (hour 0 = 00:00–01:00) for every day of the year.
    Daily {
        /// 24 relative factors.
        factors: Vec<f64>,
    },
    /// A winter and a summer 24-hour shape; `winter_months` use the first.
    Seasonal {
        /// 24 factors for the winter months.
        winter: Vec<f64>,
        /// 24 factors for the other months.
        summer: Vec<f64>,
        /// The months that use the winter shape.
        winter_months: Vec<Month>,
    },
    /// A 24-hour shape for each month: 12 rows of 24 factors.
    Monthly {
        /// 12 × 24 factors, January first.
        factors: Vec<Vec<f64>>,
    },
    /// Every hour of the year: 8,760 factors, hour 0 = 1 January
    /// 00:00–01:00 (a measured or modelled hourly series, such as a CSV
    /// column). Each month's energy is spread over its hours in proportion
    /// to them; the series carries its own week, so the load's
    /// [`WeeklyPattern`] must be the default (uniform).
    ///
    /// ```
    /// use landlinked::demand::{BusShare, Demand, HourlyShape, Load};
    /// let series: Vec<f64> = (0..8760).map(|h| if h % 24 == 18 { 2.0 } else { 1.0 }).collect();
    /// let l = Load::flat("A", 8760.0, vec![BusShare { bus: 1, share: 1.0 }])
    ///     .with_hourly(HourlyShape::Year { factors: series });
    /// let mw = Demand::new(vec![l])?.hourly_mw(0, 0);
    /// assert!((mw[18] / mw[17] - 2.0).abs() < 1e-12);
    /// # Ok::<(), landlinked::demand::DemandError>(())
    /// ```
    Year {
        /// 8,760 relative factors.
        factors: Vec<f64>,
    },
}

/// How weekend days differ from weekdays within each month. The month's energy
/// is kept: the hours of a month are rescaled together, so a weekend factor above
/// 1 raises weekend days and lowers weekdays of the same month.
///
/// A weekend day's mean power is `weekend_factor` times a weekday's of the same
/// month; within the day, weekend days follow `weekend_hourly` (or the load's
/// hourly shape when it is `None`).
///
/// ```
/// use landlinked::demand::WeeklyPattern;
/// use landlinked::calendar::Weekday;
/// let w = WeeklyPattern::default();
/// assert_eq!(w.weekend_factor, 1.0);
/// assert_eq!(w.weekend_days, [Weekday::Sat, Weekday::Sun]);
/// assert!(w.is_uniform());
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct WeeklyPattern {
    /// Mean power of a weekend day relative to a weekday of the same month (≥ 0;
    /// 1 = no difference).
    pub weekend_factor: f64,
    /// Shape of weekend days over the 24 hours; `None`: the load's
    /// [`Load::hourly`].
    pub weekend_hourly: Option<HourlyShape>,
    /// The days counted as weekend (default Saturday and Sunday); at least one
    /// day of the week must be left as a weekday.
    pub weekend_days: Vec<Weekday>,
}

impl Default for WeeklyPattern {
    fn default() -> Self {
        WeeklyPattern {
            weekend_factor: 1.0,
            weekend_hourly: None,
            weekend_days: DEFAULT_WEEKEND.to_vec(),
        }
    }
}

impl WeeklyPattern {
    /// Weekend days at `factor` times a weekday's mean power, same daily shape,
    /// Saturday and Sunday.
    ///
    /// ```
    /// use landlinked::demand::WeeklyPattern;
    /// assert_eq!(WeeklyPattern::with_weekend_factor(1.05).weekend_factor, 1.05);
    /// ```
    pub fn with_weekend_factor(factor: f64) -> Self {
        WeeklyPattern {
            weekend_factor: factor,
            ..WeeklyPattern::default()
        }
    }

    /// Whether weekend and weekday hours are treated alike (factor 1, no weekend
    /// shape, or no weekend days).
    ///
    /// ```
    /// use landlinked::demand::WeeklyPattern;
    /// assert!(!WeeklyPattern::with_weekend_factor(0.9).is_uniform());
    /// ```
    pub fn is_uniform(&self) -> bool {
        self.weekend_days.is_empty()
            || (self.weekend_factor == 1.0 && self.weekend_hourly.is_none())
    }
}

/// A national, zonal or industrial load.
///
/// ```
/// use landlinked::demand::{BusShare, HourlyShape, Load, MonthlyProfile};
/// let talco = Load::flat("TALCO", 2628.0, vec![BusShare { bus: 7, share: 1.0 }])
///     .with_growth_pct(0.0);
/// assert!(talco.validate().is_ok());
/// assert_eq!(talco.monthly, MonthlyProfile::Flat);
/// assert_eq!(talco.hourly, HourlyShape::Flat);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Load {
    /// Unique name ("Tajikistan", "Sughd", "TALCO").
    pub name: String,
    /// Energy in the base year (year offset 0), GWh.
    pub annual_energy_gwh: f64,
    /// Growth of the annual energy, % per year (compound).
    #[serde(default)]
    pub growth_pct_per_year: f64,
    /// Split of the annual energy over months.
    #[serde(default)]
    pub monthly: MonthlyProfile,
    /// Spread of a month's energy over the hours of the day (on weekend days too,
    /// unless [`WeeklyPattern::weekend_hourly`] gives another shape).
    #[serde(default)]
    pub hourly: HourlyShape,
    /// Weekday against weekend: level and shape (default: no difference).
    #[serde(default)]
    pub weekly: WeeklyPattern,
    /// The kind of load, if known; [`Load::with_class`] sets it together with the
    /// class's default profiles. A label only: the profiles above are what count.
    #[serde(default)]
    pub class: Option<LoadClass>,
    /// Buses taking the load, with their shares (summing to 1).
    pub buses: Vec<BusShare>,
}

impl Load {
    /// A load flat in months and hours, with no growth.
    ///
    /// ```
    /// use landlinked::demand::{BusShare, Load};
    /// let l = Load::flat("GBAO", 300.0, vec![BusShare { bus: 40, share: 1.0 }]);
    /// assert_eq!(l.annual_energy_gwh, 300.0);
    /// ```
    pub fn flat(name: &str, annual_energy_gwh: f64, buses: Vec<BusShare>) -> Self {
        Load {
            name: name.to_string(),
            annual_energy_gwh,
            growth_pct_per_year: 0.0,
            monthly: MonthlyProfile::Flat,
            hourly: HourlyShape::Flat,
            weekly: WeeklyPattern::default(),
            class: None,
            buses,
        }
    }

    /// Sets the class and, from it, the monthly profile, the hourly shape and the
    /// weekly pattern ([`LoadClass::monthly`], [`LoadClass::hourly`],
    /// [`LoadClass::weekly`]); call the other `with_` methods after it to
    /// override one of them.
    ///
    /// ```
    /// use landlinked::demand::{BusShare, HourlyShape, Load, LoadClass, MonthlyProfile};
    /// let pumps = Load::flat("Pumps", 500.0, vec![BusShare { bus: 1, share: 1.0 }])
    ///     .with_class(LoadClass::Irrigation)
    ///     .with_hourly(HourlyShape::Daily { factors: vec![1.0; 24] });
    /// assert_eq!(pumps.class, Some(LoadClass::Irrigation));
    /// assert_eq!(pumps.monthly, LoadClass::Irrigation.monthly());
    /// assert!(matches!(pumps.hourly, HourlyShape::Daily { .. }));
    /// ```
    pub fn with_class(mut self, class: LoadClass) -> Self {
        self.class = Some(class);
        self.monthly = class.monthly();
        self.hourly = class.hourly();
        self.weekly = class.weekly();
        self
    }

    /// Sets the weekly pattern.
    ///
    /// ```
    /// use landlinked::demand::{BusShare, Load, WeeklyPattern};
    /// let l = Load::flat("A", 1.0, vec![BusShare { bus: 1, share: 1.0 }])
    ///     .with_weekly(WeeklyPattern::with_weekend_factor(0.8));
    /// assert_eq!(l.weekly.weekend_factor, 0.8);
    /// assert!(l.validate().is_ok());
    /// ```
    pub fn with_weekly(mut self, weekly: WeeklyPattern) -> Self {
        self.weekly = weekly;
        self
    }

    /// Sets the growth rate, % per year.
    ///
    /// ```
    /// use landlinked::demand::{BusShare, Load};
    /// let l = Load::flat("A", 1.0, vec![BusShare { bus: 1, share: 1.0 }]).with_growth_pct(3.5);
    /// assert_eq!(l.growth_pct_per_year, 3.5);
    /// ```
    pub fn with_growth_pct(mut self, growth_pct_per_year: f64) -> Self {
        self.growth_pct_per_year = growth_pct_per_year;
        self
    }

    /// Sets the monthly profile.
    ///
    /// ```
    /// use landlinked::demand::{BusShare, Load, MonthlyProfile};
    /// let l = Load::flat("A", 1.0, vec![BusShare { bus: 1, share: 1.0 }])
    ///     .with_monthly(MonthlyProfile::EnergyShares { shares: vec![1.0; 12] });
    /// assert!(l.validate().is_ok());
    /// ```
    pub fn with_monthly(mut self, monthly: MonthlyProfile) -> Self {
        self.monthly = monthly;
        self
    }

    /// Sets the hourly shape.
    ///
    /// ```
    /// use landlinked::demand::{BusShare, HourlyShape, Load};
    /// let l = Load::flat("A", 1.0, vec![BusShare { bus: 1, share: 1.0 }])
    ///     .with_hourly(HourlyShape::Daily { factors: vec![1.0; 24] });
    /// assert!(l.validate().is_ok());
    /// ```
    pub fn with_hourly(mut self, hourly: HourlyShape) -> Self {
        self.hourly = hourly;
        self
    }

    /// Annual energy in GWh in year offset `year_offset` (0 = base year), with growth.
    ///
    /// ```
    /// use landlinked::demand::{BusShare, Load};
    /// let l = Load::flat("A", 1000.0, vec![BusShare { bus: 1, share: 1.0 }]).with_growth_pct(10.0);
    /// assert!((l.annual_energy_in_year_gwh(2) - 1210.0).abs() < 1e-9);
    /// ```
    pub fn annual_energy_in_year_gwh(&self, year_offset: u32) -> f64 {
        self.annual_energy_gwh
            * (1.0 + self.growth_pct_per_year / 100.0).powf(f64::from(year_offset))
    }

    /// Checks the load: finite non-negative energy, growth above −100 %/yr, profile and
    /// shape lengths, non-negative and not all-zero factors, a finite non-negative
    /// weekend factor, at least one weekday, bus shares summing to 1.
    ///
    /// ```
    /// use landlinked::demand::{BusShare, DemandError, Load};
    /// let l = Load::flat("A", 1.0, vec![BusShare { bus: 1, share: 0.5 }]);
    /// assert!(matches!(l.validate(), Err(DemandError::SharesDoNotSumToOne { .. })));
    /// ```
    pub fn validate(&self) -> Result<(), DemandError> {
        Shaped::new(self).map(|_| ())
    }
}
