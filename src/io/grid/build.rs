//! From the file's records to a [`RegionalGrid`]: stage selection, reference
//! resolution, unit checks and conversion to network, hydro and demand
//! types, gathered as [`RegionParts`] for [`RegionalGrid::new`] (which
//! makes the modelling choices: generators, PV buses, mean loads).
//!
//! ```
//! use landlinked::io::grid;
//! let doc = grid::read_document("grids/central_asia/central_asia.toml")?;
//! let (y2022, casa) = (doc.build(Some("2022"), &[])?, doc.build(Some("casa"), &[])?);
//! // The CASA-1000 HVDC link exists only in the stage that switches it on.
//! assert!(y2022.network().hvdc_links.len() < casa.network().hvdc_links.len());
//! assert_eq!(y2022.network().buses.len(), doc.data.buses.iter().filter(|b| b.when.is_none()).count());
//! assert!(doc.build(Some("2040"), &[]).is_err()); // no such stage
//! # Ok::<(), landlinked::Error>(())
//! ```

use std::collections::HashMap;

use super::base::read_case;
use super::refs::{ContingencySpec, resolve};
use super::schema::{
    BusRef, BusSpec, Gated, GridFile, LineSpec, LinkSpec, PlantSpec, TransformerSpec,
};
use crate::calendar::Month;
use crate::demand::{HourlyShape, Load, MonthlyProfile};
use crate::error::{Error, Result};
use crate::hydro::HydroPlant;
use crate::network::{Branch, Bus, BusType, HvdcLink, Network};
use crate::region::{BusInfo, Contingencies, PlantInfo, PlantType, RegionParts, RegionalGrid};

mod corridor;
mod demand;
mod hydro;

use corridor::corridor;
use demand::{demand, load};
use hydro::{hold_level, hydro_data, hydro_plant};

/// Builds the grid for `stage` (plus `extra` options); `file` is the grid
/// file's path (a `[base]` case and CSV profiles are found from it).
pub(super) fn build(
    f: &GridFile,
    stage: Option<&str>,
    extra: &[&str],
    file: &str,
) -> Result<RegionalGrid> {
    check_header(f)?;
    check_gates(f)?;
    let options = active_options(f, stage, extra)?;
    let on = |g: &dyn Gated| g.gate().is_active(&options);
    let case = read_case(f, file)?;
    let buses: Vec<&BusSpec> = match &case {
        Some(c) => c.buses.iter().collect(),
        None => f.buses.iter().filter(|b| on(*b)).collect(),
    };
    let names = BusNames::new(&buses)?;
    let mut net = match &case {
        Some(c) => c.network.clone(),
        None => {
            let mut net = Network::new(&f.grid.name, f.grid.base_mva);
            net.buses = buses.iter().map(|b| network_bus(b)).collect();
            net
        }
    };
    for l in f.lines.iter().filter(|l| on(*l)) {
        net.branches.push(line(l, &names, f.grid.base_mva)?);
    }
    for t in f.transformers.iter().filter(|t| on(*t)) {
        net.branches.push(transformer(t, &names, f.grid.base_mva)?);
    }
    for l in f.links.iter().filter(|l| on(*l)) {
        net.hvdc_links.push(link(l, &names)?);
    }
    // Reservoirs that hold a constant level under an active option (a
    // reservoir upstream regulates): their rule curve is full in every month.
    let held: Vec<PlantSpec> = f
        .plants
        .iter()
        .filter(|p| on(*p))
        .map(|p| hold_level(p, &options))
        .collect();
    let plants: Vec<&PlantSpec> = held.iter().collect();
    let (mut infos, hydro_plants) = plants_and_hydro(&plants, &names)?;
    let (inflows, inflow_rivers, rule_curve) = hydro_data(f, &plants)?;
    let mut loads = Vec::new();
    if let Some(c) = &case {
        infos.splice(0..0, c.plants.iter().cloned());
        for (spec, series) in &c.loads {
            let (mut l, info) = load(spec, &names, &format!("zone `{}`", spec.name))?;
            if let Some(factors) = series {
                l = year_series(l, factors);
            }
            loads.push((l, info));
        }
    }
    for l in f.loads.iter().filter(|l| on(*l)) {
        loads.push(load(l, &names, &format!("load `{}`", l.name))?);
    }
    let (demand, load_infos) = demand(loads)?;
    let corridors = f
        .corridors
        .iter()
        .filter(|c| on(*c))
        .map(|c| corridor(c, &names, &net))
        .collect::<Result<Vec<_>>>()?;
    let contingencies = match &f.contingencies {
        Some(c) => Some(contingencies(c, &names, &net)?),
        None => None,
    };
    RegionalGrid::new(RegionParts {
        name: f.grid.name.clone(),
        stage: stage.map(str::to_string),
        options,
        network: net,
        buses: buses.iter().map(|b| bus_info(b)).collect(),
        plants: infos,
        hydro_plants,
        inflows,
        inflow_rivers,
        rule_curve,
        demand,
        loads: load_infos,
        corridors,
        exporter: f.grid.exporter.clone(),
        contingencies,
        base_case: case.map(|c| c.path.display().to_string()),
    })
}

/// A load shaped by a year-long series: each month's energy in proportion
/// to the series' sum over it, spread over its hours as the series goes.
fn year_series(l: Load, factors: &[f64]) -> Load {
    let shares = Month::ALL
        .iter()
        .map(|m| {
            let first = m.first_hour();
            factors[first..first + m.hours() as usize].iter().sum()
        })
        .collect();
    l.with_monthly(MonthlyProfile::EnergyShares { shares })
        .with_hourly(HourlyShape::Year {
            factors: factors.to_vec(),
        })
}

/// The `[contingencies]` table as branch positions: every circuit of a
/// pair, or the one circuit named.
fn contingencies(c: &ContingencySpec, names: &BusNames, net: &Network) -> Result<Contingencies> {
    let el = "contingencies";
    let mut branches = Vec::new();
    for r in &c.branches {
        let (a, b) = r.ends();
        let (a, b) = (names.get(a, el, "branches")?, names.get(b, el, "branches")?);
        let label = r.to_string();
        for (k, _) in resolve(net, (a.id, b.id), r.circuit(), (el, "branches"), &label)? {
            if branches.contains(&k) {
                return Err(Error::Duplicate {
                    kind: "contingency (`branches` lists it twice)".into(),
                    name: label,
                });
            }
            branches.push(k);
        }
    }
    Ok(Contingencies {
        branches,
        screen: c.screen,
        min_factor: c.min_factor,
    })
}

fn check_header(f: &GridFile) -> Result<()> {
    let b = f.grid.base_mva;
    if !(b.is_finite() && b > 0.0) {
        return Err(invalid("grid", "base_mva", b, "a positive MVA base"));
    }
    Ok(())
}

fn unknown(element: &str, field: &str, kind: &str, name: &str) -> Error {
    Error::UnknownName {
        element: element.to_string(),
        field: field.to_string(),
        kind: kind.to_string(),
        name: name.to_string(),
    }
}

fn invalid(element: &str, field: &str, value: f64, expected: &str) -> Error {
    Error::InvalidValue {
        element: element.to_string(),
        field: field.to_string(),
        value,
        expected: expected.to_string(),
    }
}

/// A finite value ≥ 0 (capacities, lengths, storages, energies).
fn non_negative(element: &str, field: &str, v: f64) -> Result<f64> {
    if v.is_finite() && v >= 0.0 {
        Ok(v)
    } else {
        Err(invalid(element, field, v, "a finite value ≥ 0"))
    }
}

/// Every `when`/`unless` names a declared option.
fn check_gates(f: &GridFile) -> Result<()> {
    let known = |o: &String| f.options.iter().any(|x| &x.name == o);
    let gated: Vec<(String, &dyn Gated)> = f
        .buses
        .iter()
        .map(|b| (format!("bus `{}`", b.name), b as &dyn Gated))
        .chain(f.lines.iter().map(|l| (line_name(l), l as &dyn Gated)))
        .chain(
            f.transformers
                .iter()
                .map(|t| (trafo_name(t), t as &dyn Gated)),
        )
        .chain(
            f.links
                .iter()
                .map(|l| (format!("link `{}`", l.name), l as &dyn Gated)),
        )
        .chain(
            f.plants
                .iter()
                .map(|p| (format!("plant `{}`", p.name), p as &dyn Gated)),
        )
        .chain(
            f.loads
                .iter()
                .map(|l| (format!("load `{}`", l.name), l as &dyn Gated)),
        )
        .chain(
            f.corridors
                .iter()
                .map(|c| (format!("corridor `{}`", c.name), c as &dyn Gated)),
        )
        .collect();
    for p in &f.plants {
        let held = p
            .reservoir
            .as_ref()
            .and_then(|r| r.constant_level_when.as_ref());
        if let Some(o) = held.filter(|o| !known(o)) {
            let el = format!("plant `{}`", p.name);
            return Err(unknown(&el, "reservoir.constant_level_when", "option", o));
        }
    }
    for (element, g) in gated {
        let gate = g.gate();
        for (field, o) in [("when", gate.when), ("unless", gate.unless)] {
            if let Some(o) = o.filter(|o| !known(o)) {
                return Err(unknown(&element, field, "option", &o));
            }
        }
    }
    Ok(())
}

fn active_options(f: &GridFile, stage: Option<&str>, extra: &[&str]) -> Result<Vec<String>> {
    let mut options: Vec<String> = Vec::new();
    if let Some(stage) = stage {
        let s = f.stages.iter().find(|s| s.name == stage);
        let s = s.ok_or_else(|| unknown("grid", "stage", "stage", stage))?;
        options.extend(s.options.iter().cloned());
    }
    options.extend(extra.iter().map(|o| o.to_string()));
    for o in &options {
        if !f.options.iter().any(|x| &x.name == o) {
            let el = stage.map_or("options".to_string(), |s| format!("stage `{s}`"));
            return Err(unknown(&el, "options", "option", o));
        }
    }
    Ok(options)
}

/// Active buses by name and number.
struct BusNames<'a> {
    by_name: HashMap<&'a str, &'a BusSpec>,
    by_id: HashMap<u64, &'a BusSpec>,
}

impl<'a> BusNames<'a> {
    fn new(buses: &[&'a BusSpec]) -> Result<Self> {
        let mut names = BusNames {
            by_name: HashMap::new(),
            by_id: HashMap::new(),
        };
        for b in buses {
            let el = format!("bus `{}`", b.name);
            if b.id == 0 {
                return Err(invalid(&el, "id", 0.0, "a positive bus number"));
            }
            if names.by_name.insert(b.name.as_str(), b).is_some() {
                return Err(unknown(&el, "name", "unique name (it repeats)", &b.name));
            }
            if let Some(first) = names.by_id.insert(b.id, b) {
                let what = format!("bus number (already used by `{}`)", first.name);
                return Err(invalid(&el, "id", b.id as f64, &what));
            }
            non_negative(&el, "kv", b.kv)?;
        }
        Ok(names)
    }

    fn get(&self, r: &BusRef, element: &str, field: &str) -> Result<&'a BusSpec> {
        let found = match r {
            BusRef::Number(n) => self.by_id.get(n),
            BusRef::Name(s) => self.by_name.get(s.as_str()),
        };
        found
            .copied()
            .ok_or_else(|| unknown(element, field, "bus", &r.to_string()))
    }
}

fn network_bus(b: &BusSpec) -> Bus {
    let kind = match (b.dc, b.slack) {
        (true, _) => BusType::Isolated,
        (false, true) => BusType::Ref,
        (false, false) => BusType::Pq,
    };
    Bus {
        base_kv: b.kv,
        ..Bus::new(b.id, kind)
    }
}

fn bus_info(b: &BusSpec) -> BusInfo {
    BusInfo {
        id: b.id,
        name: b.name.clone(),
        country: b.country.clone(),
        zone: b.zone.clone(),
        kv: b.kv,
        lat: b.lat,
        lon: b.lon,
        dc: b.dc,
    }
}

fn line_name(l: &LineSpec) -> String {
    match &l.name {
        Some(n) => format!("line `{n}`"),
        None => format!("line {}–{}", l.from, l.to),
    }
}

fn trafo_name(t: &TransformerSpec) -> String {
    match &t.name {
        Some(n) => format!("transformer `{n}`"),
        None => format!("transformer {}–{}", t.from, t.to),
    }
}

/// One branch for all circuits: `x = x_circuit / circuits`, `rate = rating · circuits`.
fn line(l: &LineSpec, names: &BusNames, base_mva: f64) -> Result<Branch> {
    let el = line_name(l);
    let from = names.get(&l.from, &el, "from")?;
    let to = names.get(&l.to, &el, "to")?;
    non_negative(&el, "rating_mw", l.rating_mw)?;
    if l.circuits == 0 {
        return Err(invalid(&el, "circuits", 0.0, "at least 1 circuit"));
    }
    let kv = non_negative(&el, "kv", l.kv.unwrap_or(from.kv))?;
    let z_base = kv * kv / base_mva;
    let per_km = |field: &str, v: Option<f64>| -> Result<Option<f64>> {
        match (v, l.length_km) {
            (Some(v), Some(len)) => Ok(Some(v * non_negative(&el, "length_km", len)? / z_base)),
            (Some(_), None) => Err(Error::MissingField {
                field: format!("length_km` (needed by `{field}`) in {el}"),
            }),
            (None, _) => Ok(None),
        }
    };
    let x_circuit = match (l.x_pu, per_km("x_ohm_per_km", l.x_ohm_per_km)?) {
        (Some(x), _) | (None, Some(x)) => x,
        (None, None) => {
            return Err(Error::MissingField {
                field: format!("x_pu` or `x_ohm_per_km` with `length_km` in {el}"),
            });
        }
    };
    if !(x_circuit.is_finite() && x_circuit != 0.0) {
        return Err(invalid(&el, "x", x_circuit, "a finite, nonzero reactance"));
    }
    let r_circuit = match (l.r_pu, per_km("r_ohm_per_km", l.r_ohm_per_km)?) {
        (Some(r), _) | (None, Some(r)) => r,
        (None, None) => 0.0,
    };
    let n = f64::from(l.circuits);
    Ok(Branch {
        r_pu: r_circuit / n,
        rate_a_mva: l.rating_mw * n,
        in_service: l.in_service,
        ..Branch::line(from.id, to.id, x_circuit / n)
    })
}

/// One branch for all units: `x = x_own · base / rating / units` on the system base.
fn transformer(t: &TransformerSpec, names: &BusNames, base_mva: f64) -> Result<Branch> {
    let el = trafo_name(t);
    let from = names.get(&t.from, &el, "from")?;
    let to = names.get(&t.to, &el, "to")?;
    let rating = non_negative(&el, "rating_mva", t.rating_mva)?;
    if rating == 0.0 || t.units == 0 {
        return Err(invalid(
            &el,
            "rating_mva",
            rating * f64::from(t.units),
            "a positive rating of at least one unit",
        ));
    }
    let n = f64::from(t.units);
    let (field, x) = match (t.x_pu, t.x_pu_own) {
        (Some(x), None) => ("x_pu", x),
        (None, Some(own)) => ("x_pu_own", own),
        (None, None) => {
            return Err(Error::MissingField {
                field: format!("x_pu_own` or `x_pu` in {el}"),
            });
        }
        (Some(x), Some(_)) => {
            let what = "either `x_pu` (system base) or `x_pu_own` (unit base), not both";
            return Err(invalid(&el, "x_pu", x, what));
        }
    };
    if !(x.is_finite() && x != 0.0) {
        return Err(invalid(&el, field, x, "a finite, nonzero reactance"));
    }
    let x_pu = match t.x_pu {
        Some(x) => x,
        None => x * base_mva / rating / n,
    };
    Ok(Branch {
        rate_a_mva: rating * n,
        tap: t.tap,
        shift_deg: t.shift_deg,
        in_service: t.in_service,
        ..Branch::line(from.id, to.id, x_pu)
    })
}

fn link(l: &LinkSpec, names: &BusNames) -> Result<HvdcLink> {
    let el = format!("link `{}`", l.name);
    let from = names.get(&l.from, &el, "from")?;
    let to = names.get(&l.to, &el, "to")?;
    let fwd = non_negative(&el, "capacity_forward_mw", l.capacity_forward_mw)?;
    let rev = non_negative(
        &el,
        "capacity_reverse_mw",
        l.capacity_reverse_mw.unwrap_or(fwd),
    )?;
    if !(0.0..100.0).contains(&l.losses_pct) {
        return Err(invalid(
            &el,
            "losses_pct",
            l.losses_pct,
            "0 ≤ losses < 100 %",
        ));
    }
    Ok(HvdcLink {
        capacity_reverse_mw: rev,
        in_service: l.in_service,
        source: l.source.clone(),
        ..HvdcLink::new(&l.name, from.id, to.id, fwd, l.losses_pct)
    })
}

/// The plant descriptions, and the hydro plants for the cascade.
fn plants_and_hydro(
    plants: &[&PlantSpec],
    names: &BusNames,
) -> Result<(Vec<PlantInfo>, Vec<HydroPlant>)> {
    let mut infos = Vec::new();
    let mut hydro = Vec::new();
    for p in plants {
        let el = format!("plant `{}`", p.name);
        let bus = names.get(&p.bus, &el, "bus")?;
        let installed = non_negative(&el, "installed_mw", p.installed_mw)?;
        let available = non_negative(&el, "available_mw", p.available_mw.unwrap_or(installed))?;
        let capacity_factor = match p.kind {
            PlantType::Thermal | PlantType::SmallHydro => Some(capacity_factors(p, &el)?),
            _ => None,
        };
        let dispatch_mw = non_negative(&el, "dispatch_mw", p.dispatch_mw.unwrap_or(0.0))?;
        if p.kind == PlantType::Hydro {
            hydro.push(hydro_plant(p, &el, bus.id, available)?);
        }
        infos.push(PlantInfo {
            name: p.name.clone(),
            kind: p.kind,
            bus: bus.id,
            country: bus.country.clone(),
            installed_mw: installed,
            available_mw: available,
            capacity_factor,
            dispatch_mw,
        });
    }
    Ok((infos, hydro))
}

fn capacity_factors(p: &PlantSpec, el: &str) -> Result<[f64; 12]> {
    let cf = p
        .capacity_factor
        .as_ref()
        .ok_or_else(|| Error::MissingField {
            field: format!("capacity_factor` in {el}"),
        })?;
    let cf = twelve(cf, el, "capacity_factor")?;
    for v in cf {
        if !(0.0..=1.0).contains(&v) {
            return Err(invalid(el, "capacity_factor", v, "factors between 0 and 1"));
        }
    }
    Ok(cf)
}

fn twelve(v: &[f64], el: &str, field: &str) -> Result<[f64; 12]> {
    let arr: [f64; 12] = v.try_into().map_err(|_| Error::DimensionMismatch {
        what: format!("{el}: `{field}`"),
        found: v.len(),
        expected: 12,
    })?;
    for x in arr {
        non_negative(el, field, x)?;
    }
    Ok(arr)
}
