//! Hydro plants, reservoirs, inflows and rule curves of a grid file's
//! records.

use super::{invalid, non_negative, twelve, unknown};
use crate::error::{Error, Result};
use crate::hydro::{HeadModel, HydroPlant, LateralInflow, PlantKind, Reservoir, RuleCurve};
use crate::io::grid::schema::{GridFile, PlantSpec, ReservoirSpec};
use crate::region::PlantType;

pub(super) fn hydro_plant(p: &PlantSpec, el: &str, bus: u64, available: f64) -> Result<HydroPlant> {
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
pub(super) fn hold_level(p: &PlantSpec, options: &[String]) -> PlantSpec {
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
pub(super) fn hydro_data(
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
