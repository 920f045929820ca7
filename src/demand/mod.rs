//! Electricity demand: national, zonal and industrial loads with a monthly profile,
//! an hourly shape, a weekly pattern and growth, spread over buses by shares.
//!
//! Entry points: describe each [`Load`] (annual energy, [`MonthlyProfile`],
//! [`HourlyShape`], [`WeeklyPattern`], growth, [`BusShare`]s; or start from a
//! [`LoadClass`] and its default shapes), validate them into a [`Demand`], then ask
//! for the MW at every bus in a given hour ([`Demand::bus_loads_mw`]), for a load's
//! or every bus's 8,760 hours at once ([`Demand::hourly_mw`],
//! [`Demand::bus_hourly_mw`]) or for the energy of each month
//! ([`Demand::monthly_energy_gwh`]).
//!
//! # Conventions
//! * **Year.** 365 days, 8,760 hours, hour 0 = 1 January 00:00–01:00; months as in
//!   [`MONTH_HOURS`](crate::calendar::MONTH_HOURS). Leap days are ignored.
//! * **Energy is conserved.** The annual energy of a load in year offset `y` is
//!   `annual_energy_gwh · (1 + growth_pct_per_year / 100)^y`. The monthly profile
//!   splits it into months, the hourly shape spreads each month's energy over its hours
//!   (the shape is rescaled so its mean over the day is 1, and months hold whole days),
//!   and bus shares split each hour's MW. Summing the 8,760 hourly MW gives back the
//!   annual energy in MWh to rounding.
//! * **Week.** Day types follow [`calendar::day_type_with`]: the model year's
//!   1 January is [`calendar::FIRST_WEEKDAY`] (Saturday, as in 2022) unless
//!   [`Demand::with_first_weekday`] says otherwise, and it is the same for every year
//!   offset. A load's [`WeeklyPattern`] sets weekend days' level and shape; the hours
//!   of each month are then rescaled together, so each month keeps its energy
//!   exactly (to rounding) whatever the daily and weekly shapes.
//! * **Growth.** Each load grows at its own rate, unless the demand has a
//!   scenario-level rate ([`Demand::with_growth`]) that replaces them all.
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

mod class;
mod error;
mod load;
mod shape;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use class::LoadClass;
pub use error::DemandError;
pub use load::{BusShare, HourlyShape, Load, MonthlyProfile, WeeklyPattern};
use shape::Shaped;

use crate::calendar::{self, FIRST_WEEKDAY, HOURS_PER_YEAR, Month, Weekday};

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
#[derive(Clone, Debug, PartialEq)]
pub struct Demand {
    loads: Vec<Load>,
    shaped: Vec<Shaped>,
    first_weekday: Weekday,
    growth_pct_per_year: Option<f64>,
}

impl Default for Demand {
    fn default() -> Self {
        Demand {
            loads: Vec::new(),
            shaped: Vec::new(),
            first_weekday: FIRST_WEEKDAY,
            growth_pct_per_year: None,
        }
    }
}

/// One bus's load over the 8,760 hours of a year, MW.
///
/// ```
/// use landlinked::demand::BusHourly;
/// let b = BusHourly { bus: 3, load_mw: vec![120.0; 8760] };
/// assert_eq!(b.load_mw.len(), 8760);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BusHourly {
    /// Bus number.
    pub bus: u64,
    /// Load in each hour, MW, hour 0 first.
    pub load_mw: Vec<f64>,
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
        Ok(Demand {
            loads,
            shaped,
            ..Demand::default()
        })
    }

    /// The same settings (first weekday, scenario growth) with other loads, validated
    /// as by [`Demand::new`].
    ///
    /// ```
    /// use landlinked::demand::{BusShare, Demand, Load};
    /// use landlinked::calendar::Weekday;
    /// let a = Load::flat("A", 1.0, vec![BusShare { bus: 1, share: 1.0 }]);
    /// let d = Demand::new(vec![a.clone()])?.with_first_weekday(Weekday::Mon);
    /// let e = d.with_loads(vec![a.clone(), Load { name: "B".into(), ..a }])?;
    /// assert_eq!((e.loads().len(), e.first_weekday()), (2, Weekday::Mon));
    /// # Ok::<(), landlinked::demand::DemandError>(())
    /// ```
    pub fn with_loads(&self, loads: Vec<Load>) -> Result<Self, DemandError> {
        Ok(Demand {
            first_weekday: self.first_weekday,
            growth_pct_per_year: self.growth_pct_per_year,
            ..Demand::new(loads)?
        })
    }

    /// Sets the weekday of 1 January of the model year (default
    /// [`calendar::FIRST_WEEKDAY`], Saturday).
    ///
    /// ```
    /// use landlinked::demand::{BusShare, Demand, Load, WeeklyPattern};
    /// use landlinked::calendar::Weekday;
    /// let l = Load::flat("A", 8760.0, vec![BusShare { bus: 1, share: 1.0 }])
    ///     .with_weekly(WeeklyPattern::with_weekend_factor(0.5));
    /// let sat = Demand::new(vec![l.clone()])?;
    /// let mon = Demand::new(vec![l])?.with_first_weekday(Weekday::Mon);
    /// assert!(sat.load_mw("A", 0, 0)? < mon.load_mw("A", 0, 0)?);
    /// # Ok::<(), landlinked::demand::DemandError>(())
    /// ```
    pub fn with_first_weekday(mut self, first_weekday: Weekday) -> Self {
        self.first_weekday = first_weekday;
        self
    }

    /// The weekday of 1 January of the model year.
    ///
    /// ```
    /// use landlinked::demand::Demand;
    /// use landlinked::calendar::Weekday;
    /// assert_eq!(Demand::default().first_weekday(), Weekday::Sat);
    /// ```
    pub fn first_weekday(&self) -> Weekday {
        self.first_weekday
    }

    /// Sets a scenario-level growth rate, % per year (compound), that replaces every
    /// load's own `growth_pct_per_year` in all queries; `None` restores them. A rate
    /// of −100 %/yr or less, or one not finite, is an error.
    ///
    /// ```
    /// use landlinked::demand::{BusShare, Demand, DemandError, Load};
    /// let l = Load::flat("A", 100.0, vec![BusShare { bus: 1, share: 1.0 }]).with_growth_pct(2.0);
    /// let d = Demand::new(vec![l])?.with_growth(Some(10.0))?;
    /// assert!((d.annual_energy_gwh(2) - 121.0).abs() < 1e-9);
    /// assert!((d.clone().with_growth(None)?.annual_energy_gwh(1) - 102.0).abs() < 1e-9);
    /// assert!(matches!(d.with_growth(Some(-100.0)), Err(DemandError::GrowthOutOfRange { .. })));
    /// # Ok::<(), DemandError>(())
    /// ```
    pub fn with_growth(mut self, pct_per_year: Option<f64>) -> Result<Self, DemandError> {
        if let Some(g) = pct_per_year.filter(|g| !g.is_finite() || *g <= -100.0) {
            return Err(DemandError::GrowthOutOfRange { value: g });
        }
        self.growth_pct_per_year = pct_per_year;
        Ok(self)
    }

    /// The scenario-level growth rate, if set ([`Demand::with_growth`]).
    ///
    /// ```
    /// assert_eq!(landlinked::demand::Demand::default().growth_override(), None);
    /// ```
    pub fn growth_override(&self) -> Option<f64> {
        self.growth_pct_per_year
    }

    /// Annual energy of load `i` in year offset `year_offset`, GWh, with the
    /// scenario growth if set.
    fn energy_gwh(&self, i: usize, year_offset: u32) -> f64 {
        let l = &self.loads[i];
        match self.growth_pct_per_year {
            None => l.annual_energy_in_year_gwh(year_offset),
            Some(g) => l.annual_energy_gwh * (1.0 + g / 100.0).powf(f64::from(year_offset)),
        }
    }

    /// MW of load number `load` (input order, all its buses) in each of the 8,760
    /// hours of year offset `year_offset`; the fast path for hourly studies (see
    /// [`Demand::fill_hourly_mw`] to reuse a buffer).
    ///
    /// # Panics
    /// If `load` is not below `self.loads().len()`.
    ///
    /// ```
    /// use landlinked::demand::{BusShare, Demand, Load, LoadClass};
    /// let home = Load::flat("Homes", 8760.0, vec![BusShare { bus: 1, share: 1.0 }])
    ///     .with_class(LoadClass::Residential);
    /// let d = Demand::new(vec![home])?;
    /// let mw = d.hourly_mw(0, 0);
    /// assert_eq!(mw.len(), 8760);
    /// let january: f64 = mw[..744].iter().sum::<f64>() / 1000.0; // GWh
    /// assert!((january - d.monthly_energy_gwh(0)[0].energy_gwh).abs() < 1e-9);
    /// assert!(mw[19] > mw[3]); // evening above night
    /// # Ok::<(), landlinked::demand::DemandError>(())
    /// ```
    pub fn hourly_mw(&self, load: usize, year_offset: u32) -> Vec<f64> {
        let mut out = Vec::with_capacity(HOURS_PER_YEAR);
        self.fill_hourly_mw(load, year_offset, &mut out);
        out
    }

    /// As [`Demand::hourly_mw`], into `out` (cleared first, then 8,760 values).
    ///
    /// # Panics
    /// If `load` is not below `self.loads().len()`.
    ///
    /// ```
    /// use landlinked::demand::{BusShare, Demand, Load};
    /// let d = Demand::new(vec![Load::flat("A", 8760.0, vec![BusShare { bus: 1, share: 1.0 }])])?;
    /// let mut buf = vec![0.0; 3];
    /// d.fill_hourly_mw(0, 0, &mut buf);
    /// assert_eq!(buf.len(), 8760);
    /// assert!((buf[5000] - 1000.0).abs() < 1e-9);
    /// # Ok::<(), landlinked::demand::DemandError>(())
    /// ```
    pub fn fill_hourly_mw(&self, load: usize, year_offset: u32, out: &mut Vec<f64>) {
        out.clear();
        out.reserve(HOURS_PER_YEAR);
        let shaped = &self.shaped[load];
        let annual_mwh = self.energy_gwh(load, year_offset) * 1000.0;
        for month in Month::ALL {
            let m = month.index();
            let first_day = calendar::day_of_year(month.first_hour());
            let first = self.first_weekday.plus_days(first_day);
            let month_mwh = annual_mwh * shaped.month_share[m];
            if shaped.year_factor(m, 0).is_some() {
                let hours = month.first_hour()..month.first_hour() + month.hours() as usize;
                out.extend(hours.map(|h| year_mw(shaped, m, h, month_mwh)));
                continue;
            }
            let weight = shaped.month_weight(m, first);
            for d in 0..month.hours() as usize / 24 {
                let row = shaped.day_row(m, first.plus_days(d));
                out.extend(row.iter().map(|f| month_mwh / weight * f));
            }
        }
    }

    /// Every bus's load over the 8,760 hours of year offset `year_offset`, MW, summed
    /// over loads, one entry per bus in increasing bus number.
    ///
    /// ```
    /// use landlinked::demand::{BusShare, Demand, Load};
    /// let d = Demand::new(vec![
    ///     Load::flat("A", 8760.0, vec![BusShare { bus: 2, share: 0.5 }, BusShare { bus: 1, share: 0.5 }]),
    ///     Load::flat("B", 876.0, vec![BusShare { bus: 2, share: 1.0 }]),
    /// ])?;
    /// let b = d.bus_hourly_mw(0);
    /// assert_eq!((b[0].bus, b[1].bus), (1, 2));
    /// assert!((b[1].load_mw[5000] - 600.0).abs() < 1e-9); // 500 + 100
    /// # Ok::<(), landlinked::demand::DemandError>(())
    /// ```
    pub fn bus_hourly_mw(&self, year_offset: u32) -> Vec<BusHourly> {
        let mut by_bus: BTreeMap<u64, Vec<f64>> = BTreeMap::new();
        let mut mw = Vec::with_capacity(HOURS_PER_YEAR);
        for (i, shaped) in self.shaped.iter().enumerate() {
            self.fill_hourly_mw(i, year_offset, &mut mw);
            for &(bus, share) in &shaped.shares {
                let acc = by_bus
                    .entry(bus)
                    .or_insert_with(|| vec![0.0; HOURS_PER_YEAR]);
                for (a, v) in acc.iter_mut().zip(&mw) {
                    *a += v * share;
                }
            }
        }
        by_bus
            .into_iter()
            .map(|(bus, load_mw)| BusHourly { bus, load_mw })
            .collect()
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
        let mut out = vec![0.0; HOURS_PER_YEAR];
        let mut mw = Vec::with_capacity(HOURS_PER_YEAR);
        for i in 0..self.loads.len() {
            self.fill_hourly_mw(i, year_offset, &mut mw);
            for (a, v) in out.iter_mut().zip(&mw) {
                *a += v;
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
        for (i, (load, shaped)) in self.loads.iter().zip(&self.shaped).enumerate() {
            let annual = self.energy_gwh(i, year_offset);
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
        (0..self.loads.len())
            .map(|i| self.energy_gwh(i, year_offset))
            .sum()
    }

    /// MW of load `i` in `hour`, which lies in `month`.
    fn mw(&self, i: usize, month: Month, hour: usize, year_offset: u32) -> f64 {
        let shaped = &self.shaped[i];
        let m = month.index();
        let month_mwh = self.energy_gwh(i, year_offset) * 1000.0 * shaped.month_share[m];
        if shaped.year_factor(m, hour).is_some() {
            return year_mw(shaped, m, hour, month_mwh);
        }
        let first_day = calendar::day_of_year(month.first_hour());
        let weight = shaped.month_weight(m, self.first_weekday.plus_days(first_day));
        let day = calendar::weekday(hour, self.first_weekday);
        month_mwh / weight * shaped.day_row(m, day)[hour % 24]
    }
}

/// MW in `hour` (of month `m`, with `month_mwh`) of a load with a
/// year-long series: the month's energy in proportion to its factors.
fn year_mw(shaped: &Shaped, m: usize, hour: usize, month_mwh: f64) -> f64 {
    match shaped.year_factor(m, hour) {
        Some((f, weight)) if weight > 0.0 => month_mwh / weight * f,
        _ => 0.0,
    }
}

fn month_of(hour: usize) -> Result<Month, DemandError> {
    Month::from_hour_of_year(hour).ok_or(DemandError::HourOutOfRange { hour })
}
