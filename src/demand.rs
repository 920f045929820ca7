//! Electricity demand: national, zonal and industrial loads with a monthly profile,
//! an hourly shape and growth, spread over buses by shares.
//!
//! Entry points: describe each [`Load`] (annual energy, [`MonthlyProfile`],
//! [`HourlyShape`], growth, [`BusShare`]s), validate them into a [`Demand`], then ask
//! for the MW at every bus in a given hour ([`Demand::bus_loads_mw`]) or for the
//! energy of each month ([`Demand::monthly_energy_gwh`]).
//!
//! # Conventions
//! * **Year.** 365 days, 8,760 hours, hour 0 = 1 January 00:00–01:00; months as in
//!   [`MONTH_HOURS`]. Leap days are ignored.
//! * **Energy is conserved.** The annual energy of a load in year offset `y` is
//!   `annual_energy_gwh · (1 + growth_pct_per_year / 100)^y`. The monthly profile
//!   splits it into months, the hourly shape spreads each month's energy over its hours
//!   (the shape is rescaled so its mean over the day is 1, and months hold whole days),
//!   and bus shares split each hour's MW. Summing the 8,760 hourly MW gives back the
//!   annual energy in MWh to rounding.
//! * **Monthly profile**, two readings: [`MonthlyProfile::EnergyShares`] are shares of
//!   the annual energy (normalised to sum to 1); [`MonthlyProfile::PowerFactors`] are
//!   relative mean powers, so a month's energy is proportional to factor × hours.
//! * **Shares.** A load's bus shares must be non-negative and sum to 1 (within 1e-9);
//!   they are then rescaled to sum exactly to 1.
//!
//! # Example
//! ```
//! use landlinked::demand::{BusShare, Demand, Load};
//! let tj = Load::flat("Tajikistan", 8760.0, vec![
//!     BusShare { bus: 1, share: 0.6 },
//!     BusShare { bus: 2, share: 0.4 },
//! ]);
//! let demand = Demand::new(vec![tj])?;
//! // 8,760 GWh flat over 8,760 h = 1,000 MW, split 600 / 400.
//! let loads = demand.bus_loads_mw(0, 0)?;
//! assert!((loads[0].load_mw - 600.0).abs() < 1e-9);
//! assert!((loads[1].load_mw - 400.0).abs() < 1e-9);
//! # Ok::<(), landlinked::demand::DemandError>(())
//! ```

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::calendar::{HOURS_PER_YEAR, MONTH_HOURS, Month};

/// Tolerance on the sum of bus shares.
const SHARE_TOLERANCE: f64 = 1e-9;

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
    /// An hour outside 0..8760.
    #[error("hour {hour} is outside the year (0..8760)")]
    HourOutOfRange {
        /// The hour asked for.
        hour: usize,
    },
}

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
    /// Spread of a month's energy over the hours of the day.
    #[serde(default)]
    pub hourly: HourlyShape,
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
            buses,
        }
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
    /// shape lengths, non-negative and not all-zero factors, bus shares summing to 1.
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

/// A load's energy in one month.
///
/// ```
/// use landlinked::demand::MonthlyEnergy;
/// use landlinked::calendar::Month;
/// let m = MonthlyEnergy { load: "A".into(), month: Month::Jan, energy_gwh: 744.0 };
/// assert_eq!(m.month, Month::Jan);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MonthlyEnergy {
    /// Load name.
    pub load: String,
    /// Month.
    pub month: Month,
    /// Energy, GWh.
    pub energy_gwh: f64,
}

/// Total load at one bus, MW.
///
/// ```
/// use landlinked::demand::BusLoad;
/// let b = BusLoad { bus: 3, load_mw: 120.0 };
/// assert_eq!(b.load_mw, 120.0);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct BusLoad {
    /// Bus number.
    pub bus: u64,
    /// Load, MW.
    pub load_mw: f64,
}

/// A validated set of loads, with their profiles normalised.
///
/// ```
/// use landlinked::demand::{BusShare, Demand, Load};
/// let d = Demand::new(vec![Load::flat("A", 8.76, vec![BusShare { bus: 1, share: 1.0 }])])?;
/// assert_eq!(d.loads().len(), 1);
/// assert!((d.load_mw("A", 100, 0)? - 1.0).abs() < 1e-12);
/// # Ok::<(), landlinked::demand::DemandError>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Demand {
    loads: Vec<Load>,
    shaped: Vec<Shaped>,
}

impl Demand {
    /// Validates every load and precomputes the normalised profiles.
    ///
    /// ```
    /// use landlinked::demand::{BusShare, Demand, DemandError, Load};
    /// let a = Load::flat("A", 1.0, vec![BusShare { bus: 1, share: 1.0 }]);
    /// let err = Demand::new(vec![a.clone(), a]).unwrap_err();
    /// assert!(matches!(err, DemandError::DuplicateLoad { .. }));
    /// ```
    pub fn new(loads: Vec<Load>) -> Result<Self, DemandError> {
        for (i, l) in loads.iter().enumerate() {
            if loads[..i].iter().any(|o| o.name == l.name) {
                return Err(DemandError::DuplicateLoad {
                    load: l.name.clone(),
                });
            }
        }
        let shaped = loads.iter().map(Shaped::new).collect::<Result<_, _>>()?;
        Ok(Demand { loads, shaped })
    }

    /// The loads, in input order.
    ///
    /// ```
    /// use landlinked::demand::{BusShare, Demand, Load};
    /// let d = Demand::new(vec![Load::flat("A", 1.0, vec![BusShare { bus: 1, share: 1.0 }])])?;
    /// assert_eq!(d.loads()[0].name, "A");
    /// # Ok::<(), landlinked::demand::DemandError>(())
    /// ```
    pub fn loads(&self) -> &[Load] {
        &self.loads
    }

    /// MW of load `name` (all its buses) in hour `hour` (0..8760) of year offset
    /// `year_offset`.
    ///
    /// ```
    /// use landlinked::demand::{BusShare, Demand, Load};
    /// let d = Demand::new(vec![Load::flat("A", 8760.0, vec![BusShare { bus: 1, share: 1.0 }])
    ///     .with_growth_pct(5.0)])?;
    /// assert!((d.load_mw("A", 0, 1)? - 1050.0).abs() < 1e-9);
    /// # Ok::<(), landlinked::demand::DemandError>(())
    /// ```
    pub fn load_mw(&self, name: &str, hour: usize, year_offset: u32) -> Result<f64, DemandError> {
        let i = self
            .loads
            .iter()
            .position(|l| l.name == name)
            .ok_or_else(|| DemandError::UnknownLoad {
                load: name.to_string(),
            })?;
        let month = month_of(hour)?;
        Ok(self.mw(i, month, hour, year_offset))
    }

    /// MW at every bus in hour `hour` (0..8760) of year offset `year_offset`, summed over
    /// loads, one entry per bus in increasing bus number.
    ///
    /// ```
    /// use landlinked::demand::{BusShare, Demand, Load};
    /// let d = Demand::new(vec![
    ///     Load::flat("A", 8760.0, vec![BusShare { bus: 2, share: 0.5 }, BusShare { bus: 1, share: 0.5 }]),
    ///     Load::flat("B", 876.0, vec![BusShare { bus: 2, share: 1.0 }]),
    /// ])?;
    /// let b = d.bus_loads_mw(5000, 0)?;
    /// assert_eq!((b[0].bus, b[1].bus), (1, 2));
    /// assert!((b[1].load_mw - 600.0).abs() < 1e-9); // 500 + 100
    /// # Ok::<(), landlinked::demand::DemandError>(())
    /// ```
    pub fn bus_loads_mw(&self, hour: usize, year_offset: u32) -> Result<Vec<BusLoad>, DemandError> {
        let month = month_of(hour)?;
        let mut by_bus: BTreeMap<u64, f64> = BTreeMap::new();
        for (i, shaped) in self.shaped.iter().enumerate() {
            let mw = self.mw(i, month, hour, year_offset);
            for &(bus, share) in &shaped.shares {
                *by_bus.entry(bus).or_insert(0.0) += mw * share;
            }
        }
        Ok(by_bus
            .into_iter()
            .map(|(bus, load_mw)| BusLoad { bus, load_mw })
            .collect())
    }

    /// Sum of all loads in each of the 8,760 hours of year offset `year_offset`, MW.
    ///
    /// ```
    /// use landlinked::demand::{BusShare, Demand, Load};
    /// let d = Demand::new(vec![Load::flat("A", 8760.0, vec![BusShare { bus: 1, share: 1.0 }])])?;
    /// let mw = d.hourly_total_mw(0);
    /// assert_eq!(mw.len(), 8760);
    /// assert!((mw.iter().sum::<f64>() - 8_760_000.0).abs() < 1e-6); // MWh
    /// # Ok::<(), landlinked::demand::DemandError>(())
    /// ```
    pub fn hourly_total_mw(&self, year_offset: u32) -> Vec<f64> {
        let mut out = Vec::with_capacity(HOURS_PER_YEAR);
        for month in Month::ALL {
            for hour in month.first_hour()..month.first_hour() + month.hours() as usize {
                out.push(
                    (0..self.loads.len())
                        .map(|i| self.mw(i, month, hour, year_offset))
                        .sum(),
                );
            }
        }
        out
    }

    /// Energy of every load in every month of year offset `year_offset`, GWh; load by
    /// load in input order, January first.
    ///
    /// ```
    /// use landlinked::demand::{BusShare, Demand, Load};
    /// use landlinked::calendar::Month;
    /// let d = Demand::new(vec![Load::flat("A", 8760.0, vec![BusShare { bus: 1, share: 1.0 }])])?;
    /// let m = d.monthly_energy_gwh(0);
    /// assert_eq!(m[1].month, Month::Feb);
    /// assert!((m[1].energy_gwh - 672.0).abs() < 1e-9); // 1000 MW × 672 h
    /// # Ok::<(), landlinked::demand::DemandError>(())
    /// ```
    pub fn monthly_energy_gwh(&self, year_offset: u32) -> Vec<MonthlyEnergy> {
        let mut out = Vec::with_capacity(12 * self.loads.len());
        for (load, shaped) in self.loads.iter().zip(&self.shaped) {
            let annual = load.annual_energy_in_year_gwh(year_offset);
            for month in Month::ALL {
                out.push(MonthlyEnergy {
                    load: load.name.clone(),
                    month,
                    energy_gwh: annual * shaped.month_share[month.index()],
                });
            }
        }
        out
    }

    /// Total energy of all loads in year offset `year_offset`, GWh.
    ///
    /// ```
    /// use landlinked::demand::{BusShare, Demand, Load};
    /// let d = Demand::new(vec![Load::flat("A", 100.0, vec![BusShare { bus: 1, share: 1.0 }])
    ///     .with_growth_pct(2.0)])?;
    /// assert!((d.annual_energy_gwh(1) - 102.0).abs() < 1e-9);
    /// # Ok::<(), landlinked::demand::DemandError>(())
    /// ```
    pub fn annual_energy_gwh(&self, year_offset: u32) -> f64 {
        self.loads
            .iter()
            .map(|l| l.annual_energy_in_year_gwh(year_offset))
            .sum()
    }

    /// MW of load `i` in `hour`, which lies in `month`.
    fn mw(&self, i: usize, month: Month, hour: usize, year_offset: u32) -> f64 {
        let shaped = &self.shaped[i];
        let m = month.index();
        let month_mwh =
            self.loads[i].annual_energy_in_year_gwh(year_offset) * 1000.0 * shaped.month_share[m];
        month_mwh / month.hours() * shaped.hour_factor[m][hour % 24]
    }
}

fn month_of(hour: usize) -> Result<Month, DemandError> {
    Month::from_hour_of_year(hour).ok_or(DemandError::HourOutOfRange { hour })
}

/// A load's profiles, validated and normalised: month shares of annual energy sum to
/// 1, each month's 24 hour factors average 1, bus shares sum to 1.
#[derive(Clone, Debug, PartialEq)]
struct Shaped {
    month_share: [f64; 12],
    hour_factor: [[f64; 24]; 12],
    shares: Vec<(u64, f64)>,
}

impl Shaped {
    fn new(load: &Load) -> Result<Self, DemandError> {
        let name = load.name.as_str();
        non_negative(name, "annual_energy_gwh", load.annual_energy_gwh)?;
        finite(name, "growth_pct_per_year", load.growth_pct_per_year)?;
        if load.growth_pct_per_year <= -100.0 {
            return Err(DemandError::OutOfRange {
                load: name.to_string(),
                field: "growth_pct_per_year",
                value: load.growth_pct_per_year,
                expected: "above -100 %/yr",
            });
        }
        Ok(Shaped {
            month_share: month_shares(name, &load.monthly)?,
            hour_factor: hour_factors(name, &load.hourly)?,
            shares: bus_shares(name, &load.buses)?,
        })
    }
}

fn month_shares(name: &str, profile: &MonthlyProfile) -> Result<[f64; 12], DemandError> {
    let weights: [f64; 12] = match profile {
        MonthlyProfile::Flat => MONTH_HOURS,
        MonthlyProfile::EnergyShares { shares } => fixed(name, "monthly.shares", shares)?,
        MonthlyProfile::PowerFactors { factors } => {
            let f: [f64; 12] = fixed(name, "monthly.factors", factors)?;
            std::array::from_fn(|m| f[m] * MONTH_HOURS[m])
        }
    };
    normalise(name, "monthly", weights, 1.0)
}

fn hour_factors(name: &str, shape: &HourlyShape) -> Result<[[f64; 24]; 12], DemandError> {
    let day = |field, values: &[f64]| -> Result<[f64; 24], DemandError> {
        normalise(name, field, fixed(name, field, values)?, 24.0)
    };
    match shape {
        HourlyShape::Flat => Ok([[1.0; 24]; 12]),
        HourlyShape::Daily { factors } => Ok([day("hourly.factors", factors)?; 12]),
        HourlyShape::Seasonal {
            winter,
            summer,
            winter_months,
        } => {
            let (w, s) = (day("hourly.winter", winter)?, day("hourly.summer", summer)?);
            Ok(std::array::from_fn(|m| {
                if winter_months.contains(&Month::ALL[m]) {
                    w
                } else {
                    s
                }
            }))
        }
        HourlyShape::Monthly { factors } => {
            if factors.len() != 12 {
                return Err(wrong_length(name, "hourly.factors", 12, factors.len()));
            }
            let mut out = [[0.0; 24]; 12];
            for (row, values) in out.iter_mut().zip(factors) {
                *row = day("hourly.factors", values)?;
            }
            Ok(out)
        }
    }
}

fn bus_shares(name: &str, buses: &[BusShare]) -> Result<Vec<(u64, f64)>, DemandError> {
    if buses.is_empty() {
        return Err(DemandError::NoBuses {
            load: name.to_string(),
        });
    }
    for (i, b) in buses.iter().enumerate() {
        non_negative(name, "buses.share", b.share)?;
        if buses[..i].iter().any(|o| o.bus == b.bus) {
            return Err(DemandError::DuplicateBus {
                load: name.to_string(),
                bus: b.bus,
            });
        }
    }
    let sum: f64 = buses.iter().map(|b| b.share).sum();
    if (sum - 1.0).abs() > SHARE_TOLERANCE {
        return Err(DemandError::SharesDoNotSumToOne {
            load: name.to_string(),
            sum,
        });
    }
    Ok(buses.iter().map(|b| (b.bus, b.share / sum)).collect())
}

/// `values` as an array of exactly `N` finite, non-negative numbers.
fn fixed<const N: usize>(
    name: &str,
    field: &'static str,
    values: &[f64],
) -> Result<[f64; N], DemandError> {
    let out: [f64; N] = values
        .try_into()
        .map_err(|_| wrong_length(name, field, N, values.len()))?;
    for v in out {
        non_negative(name, field, v)?;
    }
    Ok(out)
}

/// Rescales `values` so they sum to `total`; all zeros is an error.
fn normalise<const N: usize>(
    name: &str,
    field: &'static str,
    values: [f64; N],
    total: f64,
) -> Result<[f64; N], DemandError> {
    let sum: f64 = values.iter().sum();
    if sum <= 0.0 {
        return Err(DemandError::ZeroProfile {
            load: name.to_string(),
            field,
        });
    }
    Ok(values.map(|v| v * total / sum))
}

fn wrong_length(name: &str, field: &'static str, expected: usize, found: usize) -> DemandError {
    DemandError::WrongLength {
        load: name.to_string(),
        field,
        expected,
        found,
    }
}

fn finite(name: &str, field: &'static str, value: f64) -> Result<(), DemandError> {
    if value.is_finite() {
        Ok(())
    } else {
        Err(DemandError::NotFinite {
            load: name.to_string(),
            field,
            value,
        })
    }
}

fn non_negative(name: &str, field: &'static str, value: f64) -> Result<(), DemandError> {
    finite(name, field, value)?;
    if value < 0.0 {
        return Err(DemandError::Negative {
            load: name.to_string(),
            field,
            value,
        });
    }
    Ok(())
}
