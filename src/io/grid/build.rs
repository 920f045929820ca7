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

use super::schema::{
    BusRef, BusSpec, CorridorSpec, DailyProfile, Gated, GridFile, LineSpec, LinkSpec, LoadSpec,
    PlantSpec, ReservoirSpec, TransformerSpec,
};
use crate::calendar::Month;
use crate::demand::{BusShare, Demand, HourlyShape, Load, MonthlyProfile};
use crate::error::{Error, Result};
use crate::hydro::{HeadModel, HydroPlant, LateralInflow, PlantKind, Reservoir, RuleCurve};
use crate::network::{Branch, Bus, BusType, HvdcLink, Network};
use crate::region::{
    BusInfo, Corridor, LoadInfo, Partner, PlantInfo, PlantType, RegionParts, RegionalGrid, Trade,
};

/// Builds the grid for `stage` (plus `extra` options).
pub(super) fn build(f: &GridFile, stage: Option<&str>, extra: &[&str]) -> Result<RegionalGrid> {
    check_header(f)?;
    check_gates(f)?;
    let options = active_options(f, stage, extra)?;
    let on = |g: &dyn Gated| g.gate().is_active(&options);
    let buses: Vec<&BusSpec> = f.buses.iter().filter(|b| on(*b)).collect();
    let names = BusNames::new(&buses)?;
    let mut net = Network::new(&f.grid.name, f.grid.base_mva);
    net.buses = buses.iter().map(|b| network_bus(b, &names)).collect();
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
    let (infos, hydro_plants) = plants_and_hydro(&plants, &names)?;
    let (inflows, inflow_rivers, rule_curve) = hydro_data(f, &plants)?;
    let loads: Vec<&LoadSpec> = f.loads.iter().filter(|l| on(*l)).collect();
    let (demand, load_infos) = demand(&loads, &names)?;
    let corridors = f
        .corridors
        .iter()
        .filter(|c| on(*c))
        .map(|c| corridor(c, &names, &net))
        .collect::<Result<Vec<_>>>()?;
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

fn network_bus(b: &BusSpec, _names: &BusNames) -> Bus {
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

fn hydro_plant(p: &PlantSpec, el: &str, bus: u64, available: f64) -> Result<HydroPlant> {
    let eta = p.efficiency.ok_or_else(|| Error::MissingField {
        field: format!("efficiency` in {el}"),
    })?;
    if !(eta > 0.0 && eta <= 1.0) {
        return Err(invalid(el, "efficiency", eta, "0 < efficiency ≤ 1"));
    }
    let kind = match (&p.reservoir, p.head_m) {
        (Some(r), _) => PlantKind::Reservoir(reservoir(r, el)?),
        (None, Some(h)) => PlantKind::RunOfRiver {
            head_m: non_negative(el, "head_m", h)?,
        },
        (None, None) => {
            return Err(Error::MissingField {
                field: format!("head_m` or `[plant.reservoir]` in {el}"),
            });
        }
    };
    let mut plant = match kind {
        PlantKind::Reservoir(r) => HydroPlant::with_reservoir(&p.name, bus, available, eta, r),
        PlantKind::RunOfRiver { head_m } => {
            HydroPlant::run_of_river(&p.name, bus, available, eta, head_m)
        }
    };
    plant.units = p.units.unwrap_or(0);
    plant.min_release_m3s = non_negative(el, "min_release_m3s", p.min_release_m3s)?;
    if let Some(q) = p.max_discharge_m3s {
        plant.max_discharge_m3s = Some(non_negative(el, "max_discharge_m3s", q)?);
    }
    if let Some(v) = &p.diversion_m3s {
        plant.diversion_m3s = twelve(v, el, "diversion_m3s")?.to_vec();
    }
    plant.downstream = p.downstream.clone();
    Ok(plant)
}

/// `p` as built under `options`: with its reservoir's rule curve full in
/// every month (and the year starting full) when its
/// `constant_level_when` option is on.
fn hold_level(p: &PlantSpec, options: &[String]) -> PlantSpec {
    let mut p = p.clone();
    if let Some(r) = p.reservoir.as_mut()
        && r.constant_level_when
            .as_ref()
            .is_some_and(|o| options.contains(o))
    {
        r.rule_curve = Some(vec![1.0; 12]);
        r.initial_hm3 = None;
    }
    p
}

/// Storage checks in the file's own terms (`reservoir.initial_hm3` above capacity, …).
fn reservoir(r: &ReservoirSpec, el: &str) -> Result<Reservoir> {
    let useful = non_negative(el, "reservoir.useful_hm3", r.useful_hm3)?;
    let dead = match (r.dead_hm3, r.total_hm3) {
        (Some(d), _) => non_negative(el, "reservoir.dead_hm3", d)?,
        (None, Some(t)) => non_negative(el, "reservoir.total_hm3", t)? - useful,
        (None, None) => 0.0,
    };
    if let Some(total) = r.total_hm3 {
        let cap = dead + useful;
        if dead < 0.0 || cap > total * (1.0 + 1e-12) {
            let what = format!("dead + useful storage ({cap} hm³) within total_hm3 ({total} hm³)");
            return Err(invalid(el, "reservoir.useful_hm3", useful, &what));
        }
    }
    let cap = dead + useful;
    let rule = match &r.rule_curve {
        Some(v) => Some(twelve(v, el, "reservoir.rule_curve")?),
        None => None,
    };
    if let Some(v) = rule.iter().flatten().find(|v| **v > 1.0) {
        return Err(invalid(
            el,
            "reservoir.rule_curve",
            *v,
            "fractions of useful storage, 0–1",
        ));
    }
    let initial = match (r.initial_hm3, rule) {
        (Some(i), _) => non_negative(el, "reservoir.initial_hm3", i)?,
        (None, Some(rule)) => dead + useful * rule[11],
        (None, None) => cap,
    };
    if initial > cap * (1.0 + 1e-12) {
        let what = format!("at most the capacity, dead + useful = {cap} hm³");
        return Err(invalid(el, "reservoir.initial_hm3", initial, &what));
    }
    if initial < dead {
        let what = format!("at least the dead storage, {dead} hm³");
        return Err(invalid(el, "reservoir.initial_hm3", initial, &what));
    }
    let head = match (r.head_m, &r.head_curve) {
        (_, Some(points)) => HeadModel::Curve {
            points: points.clone(),
        },
        (Some(h), None) => HeadModel::Fixed {
            head_m: non_negative(el, "reservoir.head_m", h)?,
        },
        (None, None) => {
            return Err(Error::MissingField {
                field: format!("reservoir.head_m` or `reservoir.head_curve` in {el}"),
            });
        }
    };
    Ok(Reservoir {
        useful_hm3: useful,
        dead_hm3: dead,
        initial_hm3: initial,
        head,
    })
}

/// Lateral inflows (profile × share) and rule curves of the active hydro plants.
#[allow(clippy::type_complexity)]
fn hydro_data(
    f: &GridFile,
    plants: &[&PlantSpec],
) -> Result<(Vec<LateralInflow>, Vec<String>, RuleCurve)> {
    let mut inflows = Vec::new();
    let mut rivers = Vec::new();
    let mut rule = RuleCurve::new();
    for p in plants.iter().filter(|p| p.kind == PlantType::Hydro) {
        let el = format!("plant `{}`", p.name);
        if let Some(d) = &p.downstream
            && !plants
                .iter()
                .any(|q| &q.name == d && q.kind == PlantType::Hydro)
        {
            return Err(unknown(&el, "downstream", "hydro plant", d));
        }
        if let Some(name) = &p.inflow {
            let profile = f.inflows.iter().find(|q| &q.name == name);
            let profile = profile.ok_or_else(|| unknown(&el, "inflow", "inflow profile", name))?;
            let pel = format!("inflow `{}`", profile.name);
            let q = twelve(&profile.inflow_m3s, &pel, "inflow_m3s")?;
            let share = non_negative(&el, "inflow_share", p.inflow_share)?;
            inflows.push(LateralInflow::new(
                &p.name,
                q.iter().map(|v| v * share).collect(),
            ));
            rivers.push(
                profile
                    .river
                    .clone()
                    .unwrap_or_else(|| profile.name.clone()),
            );
        }
        if let Some(curve) = p.reservoir.as_ref().and_then(|r| r.rule_curve.clone()) {
            rule = rule.with_fraction(&p.name, curve);
        }
    }
    Ok((inflows, rivers, rule))
}

fn demand(loads: &[&LoadSpec], names: &BusNames) -> Result<(Demand, Vec<LoadInfo>)> {
    let mut out = Vec::new();
    let mut infos = Vec::new();
    for l in loads {
        let el = format!("load `{}`", l.name);
        non_negative(&el, "annual_gwh", l.annual_gwh)?;
        let mut shares = Vec::new();
        let mut country: Option<&str> = None;
        for s in &l.buses {
            let b = names.get(&s.bus, &el, "buses")?;
            if country.is_some_and(|c| c != b.country) {
                return Err(unknown(&el, "buses", "bus in the load's country", &b.name));
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
            let factors = twelve(f, &el, "monthly_power_factors")?.to_vec();
            load = load.with_monthly(MonthlyProfile::PowerFactors { factors });
        }
        if let Some(p) = &l.daily_profile {
            load.hourly = hourly_shape(p, &el, "daily_profile")?;
        }
        if let Some(p) = &l.weekend_profile {
            load.weekly.weekend_hourly = Some(hourly_shape(p, &el, "weekend_profile")?);
        }
        if let Some(f) = l.weekend_factor {
            load.weekly.weekend_factor = non_negative(&el, "weekend_factor", f)?;
        }
        if let Some(days) = &l.weekend_days {
            let distinct = (0..7).filter(|&d| days.iter().any(|w| w.index() == d));
            if distinct.count() == 7 {
                return Err(invalid(
                    &el,
                    "weekend_days",
                    7.0,
                    "at most 6 distinct days (one weekday at least)",
                ));
            }
            load.weekly.weekend_days = days.clone();
        }
        out.push(load);
        infos.push(LoadInfo {
            name: l.name.clone(),
            country: country.unwrap_or_default().to_string(),
        });
    }
    Ok((Demand::new(out)?, infos))
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

fn corridor(c: &CorridorSpec, names: &BusNames, net: &Network) -> Result<Corridor> {
    let el = format!("corridor `{}`", c.name);
    let cap = non_negative(&el, "capacity_mw", c.capacity_mw)?;
    let mut out = Corridor::new(&c.name, &c.exporter, &c.importer, cap);
    if !c.export_months.is_empty() {
        out.export_months = c.export_months.clone();
    }
    out.source = c.source.clone();
    out.trade = Trade {
        price_usd_per_mwh: c.price_usd_per_mwh,
        transit_fee_usd_per_mwh: c.transit_fee_usd_per_mwh,
        appetite_mw: match &c.appetite_mw {
            Some(a) => Some(twelve(a, &el, "appetite_mw")?),
            None => None,
        },
        season_cap_gwh: c.season_cap_gwh,
        import_capacity_mw: c.import_capacity_mw,
        import_months: c.import_months.clone(),
        import_price_usd_per_mwh: c.import_price_usd_per_mwh,
        firm_mw: match &c.firm_mw {
            Some(f) => Some(twelve(f, &el, "firm_mw")?),
            None => None,
        },
        partner: match &c.partner {
            Some(p) => {
                let bus = names.get(&p.bus, &el, "partner.bus")?;
                if bus.country != p.country {
                    return Err(unknown(
                        &el,
                        "partner.bus",
                        "bus in the partner's country",
                        &bus.name,
                    ));
                }
                Some(Partner {
                    country: p.country.clone(),
                    bus: bus.id,
                    share: p.share,
                    available_mw: twelve(&p.available_mw, &el, "partner.available_mw")?,
                })
            }
            None => None,
        },
    };
    out.trade.validate(&c.name)?;
    for [a, b] in &c.branches {
        let (a, b) = (
            names.get(a, &el, "branches")?,
            names.get(b, &el, "branches")?,
        );
        let pair = format!("{}–{}", a.name, b.name);
        out.add_branch(net, a.id, b.id)
            .map_err(|_| unknown(&el, "branches", "branch", &pair))?;
    }
    for l in &c.links {
        out.add_link(net, l)?;
    }
    if out.branches.is_empty() && out.links.is_empty() {
        return Err(Error::MissingField {
            field: format!("branches` or `links` in {el}"),
        });
    }
    Ok(out)
}
