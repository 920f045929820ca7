//! Validation and normalisation of a load's profiles ([`Shaped`]).
//!
//! ```
//! use landlinked::demand::{BusShare, Demand, HourlyShape, Load, MonthlyProfile};
//! // Profiles as given need not be normalised: shares of 2 per month, a day averaging 2.
//! let mut day = vec![1.0; 24];
//! day[19] = 25.0;
//! let l = Load::flat("A", 8760.0, vec![BusShare { bus: 1, share: 1.0 }])
//!     .with_monthly(MonthlyProfile::EnergyShares { shares: vec![2.0; 12] })
//!     .with_hourly(HourlyShape::Daily { factors: day });
//! let d = Demand::new(vec![l])?;
//! assert!(d.monthly_energy_gwh(0).iter().all(|m| (m.energy_gwh - 730.0).abs() < 1e-9));
//! assert!((d.load_mw("A", 19, 0)? / d.load_mw("A", 0, 0)? - 25.0).abs() < 1e-9);
//! # Ok::<(), landlinked::demand::DemandError>(())
//! ```

use super::{BusShare, DemandError, HourlyShape, Load, MonthlyProfile, WeeklyPattern};
use crate::calendar::{HOURS_PER_YEAR, MONTH_HOURS, Month, Weekday};

/// Tolerance on the sum of bus shares.
const SHARE_TOLERANCE: f64 = 1e-9;

/// A load's profiles, validated and normalised: month shares of annual energy sum to
/// 1, each day type's 24 hour factors average 1 (times the weekend factor on
/// weekend rows), bus shares sum to 1.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Shaped {
    pub(super) month_share: [f64; 12],
    /// `[month][0 weekday, 1 weekend][hour of day]`, relative power.
    day: [[[f64; 24]; 2]; 12],
    /// Whether each weekday (Monday first) is a weekend day.
    weekend: [bool; 7],
    /// Weekend and weekday hours alike: a month's weight is its hours.
    uniform: bool,
    /// A year-long hourly series ([`HourlyShape::Year`]) and the sum of its
    /// factors in each month; `day` is then unused.
    year: Option<(Vec<f64>, [f64; 12])>,
    pub(super) shares: Vec<(u64, f64)>,
}

impl Shaped {
    pub(super) fn new(load: &Load) -> Result<Self, DemandError> {
        let name = load.name.as_str();
        non_negative(name, "annual_energy_gwh", load.annual_energy_gwh)?;
        check_growth(name, "growth_pct_per_year", load.growth_pct_per_year)?;
        let weekday_rows = hour_factors(name, &load.hourly, false)?;
        let w = &load.weekly;
        non_negative(name, "weekly.weekend_factor", w.weekend_factor)?;
        let weekend_rows = match &w.weekend_hourly {
            Some(shape) => hour_factors(name, shape, true)?,
            None => weekday_rows,
        };
        let weekend: [bool; 7] = std::array::from_fn(|d| w.weekend_days.contains(&Weekday::ALL[d]));
        let n_weekend = weekend.iter().filter(|&&b| b).count();
        if n_weekend == 7 {
            return Err(DemandError::OutOfRange {
                load: name.to_string(),
                field: "weekly.weekend_days",
                value: 7.0,
                expected: "at most 6 distinct days (one weekday at least)",
            });
        }
        let f = w.weekend_factor;
        let month_share = month_shares(name, &load.monthly)?;
        let year = match &load.hourly {
            HourlyShape::Year { factors } => Some(year_series(name, factors, &month_share, w)?),
            _ => None,
        };
        Ok(Shaped {
            month_share,
            day: std::array::from_fn(|m| [weekday_rows[m], weekend_rows[m].map(|v| v * f)]),
            weekend,
            uniform: n_weekend == 0 || w.is_uniform(),
            year,
            shares: bus_shares(name, &load.buses)?,
        })
    }

    /// The relative power of hour `hour` of the year and the sum of the
    /// relative powers over month `m`'s hours, for a load with a year-long
    /// series; `None` for the others.
    pub(super) fn year_factor(&self, m: usize, hour: usize) -> Option<(f64, f64)> {
        self.year
            .as_ref()
            .map(|(factors, weights)| (factors[hour], weights[m]))
    }

    /// The sum of the relative powers over the hours of month `m`, whose first
    /// day is a `first`: the month's energy is spread in proportion to them.
    pub(super) fn month_weight(&self, m: usize, first: Weekday) -> f64 {
        if self.uniform {
            return MONTH_HOURS[m];
        }
        let days = MONTH_HOURS[m] as usize / 24;
        let n_weekend = (0..days)
            .filter(|&d| self.weekend[first.plus_days(d).index()])
            .count();
        let sum = |t: usize| self.day[m][t].iter().sum::<f64>();
        (days - n_weekend) as f64 * sum(0) + n_weekend as f64 * sum(1)
    }

    /// The 24 relative powers of a day of month `m` that is a `day`.
    pub(super) fn day_row(&self, m: usize, day: Weekday) -> &[f64; 24] {
        &self.day[m][usize::from(self.weekend[day.index()])]
    }
}

/// A growth rate: finite and above −100 %/yr.
pub(super) fn check_growth(name: &str, field: &'static str, pct: f64) -> Result<(), DemandError> {
    finite(name, field, pct)?;
    if pct <= -100.0 {
        return Err(DemandError::OutOfRange {
            load: name.to_string(),
            field,
            value: pct,
            expected: "above -100 %/yr",
        });
    }
    Ok(())
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

/// The 24 normalised factors of each month; `weekend` names the fields as
/// those of `weekly.weekend_hourly`.
fn hour_factors(
    name: &str,
    shape: &HourlyShape,
    weekend: bool,
) -> Result<[[f64; 24]; 12], DemandError> {
    let field = |weekday: &'static str, weekend_field: &'static str| {
        if weekend { weekend_field } else { weekday }
    };
    let factors = field("hourly.factors", "weekly.weekend_hourly.factors");
    let day = |field, values: &[f64]| -> Result<[f64; 24], DemandError> {
        normalise(name, field, fixed(name, field, values)?, 24.0)
    };
    match shape {
        HourlyShape::Flat => Ok([[1.0; 24]; 12]),
        HourlyShape::Daily { factors: f } => Ok([day(factors, f)?; 12]),
        HourlyShape::Seasonal {
            winter,
            summer,
            winter_months,
        } => {
            let (w, s) = (
                day(
                    field("hourly.winter", "weekly.weekend_hourly.winter"),
                    winter,
                )?,
                day(
                    field("hourly.summer", "weekly.weekend_hourly.summer"),
                    summer,
                )?,
            );
            Ok(std::array::from_fn(|m| {
                if winter_months.contains(&Month::ALL[m]) {
                    w
                } else {
                    s
                }
            }))
        }
        // A year-long series is checked by `year_series`.
        HourlyShape::Year { .. } if !weekend => Ok([[1.0; 24]; 12]),
        HourlyShape::Year { factors: f } => Err(wrong_length(name, factors, 24, f.len())),
        HourlyShape::Monthly { factors: rows } => {
            if rows.len() != 12 {
                return Err(wrong_length(name, factors, 12, rows.len()));
            }
            let mut out = [[0.0; 24]; 12];
            for (row, values) in out.iter_mut().zip(rows) {
                *row = day(factors, values)?;
            }
            Ok(out)
        }
    }
}

/// A year-long series: 8,760 finite, non-negative factors, not all zero in a
/// month that has energy, with the default weekly pattern; and the sum of
/// the factors in each month.
fn year_series(
    name: &str,
    factors: &[f64],
    month_share: &[f64; 12],
    weekly: &WeeklyPattern,
) -> Result<(Vec<f64>, [f64; 12]), DemandError> {
    let field = "hourly.factors";
    if factors.len() != HOURS_PER_YEAR {
        return Err(wrong_length(name, field, HOURS_PER_YEAR, factors.len()));
    }
    for &v in factors {
        non_negative(name, field, v)?;
    }
    if !weekly.is_uniform() {
        return Err(DemandError::OutOfRange {
            load: name.to_string(),
            field: "weekly",
            value: weekly.weekend_factor,
            expected: "the default weekly pattern: a year-long hourly series carries its own week",
        });
    }
    let mut weights = [0.0; 12];
    for (m, month) in Month::ALL.iter().enumerate() {
        let hours = month.first_hour()..month.first_hour() + month.hours() as usize;
        weights[m] = factors[hours].iter().sum();
        if weights[m] <= 0.0 && month_share[m] > 0.0 {
            return Err(DemandError::ZeroProfile {
                load: name.to_string(),
                field: "hourly.factors (all zero in a month with energy)",
            });
        }
    }
    Ok((factors.to_vec(), weights))
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
