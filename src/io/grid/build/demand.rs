//! Loads of a grid file's records: energy, class, profiles and bus shares.

use super::{BusNames, invalid, non_negative, twelve, unknown};
use crate::calendar::Month;
use crate::demand::{BusShare, Demand, HourlyShape, Load, MonthlyProfile};
use crate::error::{Error, Result};
use crate::io::grid::schema::{DailyProfile, LoadSpec};
use crate::region::LoadInfo;

/// The grid's demand from its loads, each with its description.
pub(super) fn demand(loads: Vec<(Load, LoadInfo)>) -> Result<(Demand, Vec<LoadInfo>)> {
    let (loads, infos): (Vec<Load>, Vec<LoadInfo>) = loads.into_iter().unzip();
    Ok((Demand::new(loads)?, infos))
}

/// One load record as a [`Load`] and its description; `el` names the
/// record in errors (`load `TALCO``, `zone `North``).
pub(super) fn load(l: &LoadSpec, names: &BusNames, el: &str) -> Result<(Load, LoadInfo)> {
    non_negative(el, "annual_gwh", l.annual_gwh)?;
    let mut shares = Vec::new();
    let mut country: Option<&str> = None;
    for s in &l.buses {
        let b = names.get(&s.bus, el, "buses")?;
        if country.is_some_and(|c| c != b.country) {
            return Err(unknown(el, "buses", "bus in the load's country", &b.name));
        }
        country = Some(&b.country);
        shares.push(BusShare {
            bus: b.id,
            share: s.share,
        });
    }
    let mut load = Load::flat(&l.name, l.annual_gwh, shares);
    if let Some(class) = l.class {
        load = load.with_class(class);
    }
    load = load.with_growth_pct(l.growth_pct_per_year);
    if let Some(f) = &l.monthly_power_factors {
        let factors = twelve(f, el, "monthly_power_factors")?.to_vec();
        load = load.with_monthly(MonthlyProfile::PowerFactors { factors });
    }
    if let Some(p) = &l.daily_profile {
        load.hourly = hourly_shape(p, el, "daily_profile")?;
    }
    if let Some(p) = &l.weekend_profile {
        load.weekly.weekend_hourly = Some(hourly_shape(p, el, "weekend_profile")?);
    }
    if let Some(f) = l.weekend_factor {
        load.weekly.weekend_factor = non_negative(el, "weekend_factor", f)?;
    }
    if let Some(days) = &l.weekend_days {
        let distinct = (0..7).filter(|&d| days.iter().any(|w| w.index() == d));
        if distinct.count() == 7 {
            return Err(invalid(
                el,
                "weekend_days",
                7.0,
                "at most 6 distinct days (one weekday at least)",
            ));
        }
        load.weekly.weekend_days = days.clone();
    }
    let info = LoadInfo {
        name: l.name.clone(),
        country: country.unwrap_or_default().to_string(),
    };
    Ok((load, info))
}

/// A daily profile as an hourly shape: 24 factors, or 12 rows of 24, each
/// finite, non-negative and not all zero.
fn hourly_shape(p: &DailyProfile, el: &str, field: &str) -> Result<HourlyShape> {
    let day = |v: &[f64], field: &str| -> Result<Vec<f64>> {
        if v.len() != 24 {
            return Err(Error::DimensionMismatch {
                what: format!("{el}: `{field}`"),
                found: v.len(),
                expected: 24,
            });
        }
        for &x in v {
            non_negative(el, field, x)?;
        }
        if v.iter().all(|&x| x == 0.0) {
            return Err(invalid(el, field, 0.0, "a profile with a factor above 0"));
        }
        Ok(v.to_vec())
    };
    match p {
        DailyProfile::Day(v) => Ok(HourlyShape::Daily {
            factors: day(v, field)?,
        }),
        DailyProfile::ByMonth(rows) => {
            if rows.len() != 12 {
                return Err(Error::DimensionMismatch {
                    what: format!("{el}: `{field}` (rows, one per month)"),
                    found: rows.len(),
                    expected: 12,
                });
            }
            let factors = rows
                .iter()
                .zip(Month::ALL)
                .map(|(r, m)| day(r, &format!("{field}` row `{m}")))
                .collect::<Result<_>>()?;
            Ok(HourlyShape::Monthly { factors })
        }
    }
}
