//! The zones of a grid on a case: which zone (and so which country) each
//! case bus belongs to, and each zone's load as a `[[load]]` record with
//! the case's `Pd` as bus shares.

use std::path::Path;

use super::ZoneSpec;
use super::csv_column;
use crate::error::{Error, Result};
use crate::io::grid::schema::{BusRef, LoadSpec, ShareSpec};
use crate::network::Network;
use crate::region::{PlantInfo, PlantType};

/// A zone: its name, country and record (`None`: the default zone of an
/// area no record names).
pub(super) struct Zone<'a> {
    pub name: String,
    pub country: String,
    pub spec: Option<&'a ZoneSpec>,
}

/// Every zone, and the zone of each case bus.
pub(super) struct Zones<'a> {
    pub list: Vec<Zone<'a>>,
    /// Position in `list` of each bus's zone, in the case's bus order.
    pub of_bus: Vec<usize>,
}

/// A zone's load: its record and, for a CSV profile, its 8,760 factors.
pub(crate) type ZoneLoad = (LoadSpec, Option<Vec<f64>>);

fn unknown(zone: &str, field: &str, kind: &str, name: String) -> Error {
    Error::UnknownName {
        element: format!("zone `{zone}`"),
        field: field.into(),
        kind: kind.into(),
        name,
    }
}

/// Assigns every bus of `net` to a zone: the record listing it in
/// `buses`, else the record holding its area, else `area N`.
pub(super) fn assign<'a>(specs: &'a [ZoneSpec], net: &Network) -> Result<Zones<'a>> {
    let mut list: Vec<Zone> = Vec::new();
    let mut by_area: Vec<(u32, usize)> = Vec::new();
    let mut by_bus: std::collections::HashMap<u64, usize> = Default::default();
    let index = net.bus_index()?;
    for z in specs {
        if list.iter().any(|o| o.name == z.name) {
            return Err(Error::Duplicate {
                kind: "zone".into(),
                name: z.name.clone(),
            });
        }
        let k = list.len();
        if z.areas.is_empty() == z.buses.is_empty() {
            return Err(Error::Invalid {
                message: format!(
                    "zone `{}`: give either `areas` (MATPOWER areas) or `buses` (bus numbers), one of the two",
                    z.name
                ),
            });
        }
        for &a in &z.areas {
            if !net.buses.iter().any(|b| b.area == a) {
                return Err(unknown(&z.name, "areas", "area", a.to_string()));
            }
            if let Some(&(_, o)) = by_area.iter().find(|(x, _)| *x == a) {
                return Err(taken(&z.name, "areas", &format!("area {a}"), &list[o].name));
            }
            by_area.push((a, k));
        }
        for &b in &z.buses {
            if index.position(b).is_none() {
                return Err(unknown(&z.name, "buses", "bus", b.to_string()));
            }
            if let Some(&o) = by_bus.get(&b) {
                return Err(taken(&z.name, "buses", &format!("bus {b}"), &list[o].name));
            }
            by_bus.insert(b, k);
        }
        list.push(Zone {
            name: z.name.clone(),
            country: z.country.clone(),
            spec: Some(z),
        });
    }
    let mut of_bus = Vec::with_capacity(net.buses.len());
    for b in &net.buses {
        let k = match (
            by_bus.get(&b.id),
            by_area.iter().find(|(a, _)| *a == b.area),
        ) {
            (Some(&k), _) | (None, Some(&(_, k))) => k,
            (None, None) => {
                let name = format!("area {}", b.area);
                match list.iter().position(|z| z.name == name) {
                    Some(k) => k,
                    None => {
                        list.push(Zone {
                            name: name.clone(),
                            country: name,
                            spec: None,
                        });
                        by_area.push((b.area, list.len() - 1));
                        list.len() - 1
                    }
                }
            }
        };
        of_bus.push(k);
    }
    Ok(Zones { list, of_bus })
}

fn taken(zone: &str, field: &str, what: &str, other: &str) -> Error {
    Error::Invalid {
        message: format!("zone `{zone}`: `{field}` lists {what}, which zone `{other}` has already"),
    }
}

/// Each zone's load (buses with a positive `Pd`, their `Pd` as shares),
/// and a fixed injection (a plant of type `equivalent`) for every bus
/// with a negative `Pd`. `dir` is the grid file's folder (CSV profiles).
pub(super) fn loads(
    zones: &Zones,
    net: &Network,
    dir: &Path,
) -> Result<(Vec<ZoneLoad>, Vec<PlantInfo>)> {
    let mut loads = Vec::new();
    let mut fixed = Vec::new();
    for (k, zone) in zones.list.iter().enumerate() {
        let buses = net
            .buses
            .iter()
            .zip(&zones.of_bus)
            .filter(|(_, z)| **z == k)
            .map(|(b, _)| b);
        let mut pd: Vec<(u64, f64)> = Vec::new();
        for b in buses {
            if !b.pd_mw.is_finite() {
                return Err(Error::NonFinite {
                    element: format!("bus {}", b.id),
                    field: "Pd".into(),
                    value: b.pd_mw,
                });
            }
            if b.pd_mw > 0.0 {
                pd.push((b.id, b.pd_mw));
            } else if b.pd_mw < 0.0 {
                fixed.push(PlantInfo {
                    name: format!("bus {} load", b.id),
                    kind: PlantType::Equivalent,
                    bus: b.id,
                    country: zone.country.clone(),
                    installed_mw: -b.pd_mw,
                    available_mw: -b.pd_mw,
                    capacity_factor: None,
                    dispatch_mw: -b.pd_mw,
                });
            }
        }
        if let Some(load) = zone_load(zone, &pd, dir)? {
            loads.push(load);
        }
    }
    Ok((loads, fixed))
}

/// The load record of one zone with the case's loads `pd` (bus, MW); none
/// for a zone without load and without `annual_gwh`.
fn zone_load(zone: &Zone, pd: &[(u64, f64)], dir: &Path) -> Result<Option<ZoneLoad>> {
    let total: f64 = pd.iter().map(|x| x.1).sum();
    let annual = zone.spec.and_then(|z| z.annual_gwh);
    if pd.is_empty() {
        return match annual {
            Some(a) if a != 0.0 => Err(Error::InvalidValue {
                element: format!("zone `{}`", zone.name),
                field: "annual_gwh".into(),
                value: a,
                expected: "none: the case has no load (Pd > 0) in this zone to shape; \
                           add a [[load]] at its buses instead"
                    .into(),
            }),
            _ => Ok(None),
        };
    }
    let mut spec = LoadSpec {
        name: zone.name.clone(),
        annual_gwh: annual.unwrap_or(total * 8.76),
        growth_pct_per_year: 0.0,
        class: None,
        monthly_power_factors: None,
        daily_profile: None,
        weekend_profile: None,
        weekend_factor: None,
        weekend_days: None,
        buses: pd
            .iter()
            .map(|&(bus, mw)| ShareSpec {
                bus: BusRef::Number(bus),
                share: mw / total,
            })
            .collect(),
        when: None,
        unless: None,
        source: None,
        profile_source: None,
    };
    let Some(z) = zone.spec else {
        return Ok(Some((spec, None)));
    };
    spec.growth_pct_per_year = z.growth_pct_per_year;
    spec.source = z.source.clone();
    spec.profile_source = z.profile_source.clone();
    let Some(csv) = &z.profile_csv else {
        spec.class = z.class;
        spec.monthly_power_factors = z.monthly_power_factors.clone();
        spec.daily_profile = z.daily_profile.clone();
        spec.weekend_profile = z.weekend_profile.clone();
        spec.weekend_factor = z.weekend_factor;
        spec.weekend_days = z.weekend_days.clone();
        return Ok(Some((spec, None)));
    };
    let given: Vec<&str> = [
        ("class", z.class.is_some()),
        ("monthly_power_factors", z.monthly_power_factors.is_some()),
        ("daily_profile", z.daily_profile.is_some()),
        ("weekend_profile", z.weekend_profile.is_some()),
        ("weekend_factor", z.weekend_factor.is_some()),
        ("weekend_days", z.weekend_days.is_some()),
    ]
    .into_iter()
    .filter_map(|(f, on)| on.then_some(f))
    .collect();
    if !given.is_empty() {
        return Err(Error::Invalid {
            message: format!(
                "zone `{}`: `profile_csv` gives the whole year's shape; leave out `{}`",
                z.name,
                given.join("`, `")
            ),
        });
    }
    let series = csv_column::read(&dir.join(&csv.file), &csv.column)?;
    Ok(Some((spec, Some(series))))
}
