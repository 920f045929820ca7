//! From a [`RegionalGrid`] back to the file's records: a grid built (and
//! perhaps edited) in code or from a file is saved as a grid file that
//! reads back to an equal grid.
//!
//! The file written holds the grid as built: its elements without
//! `when`/`unless`, and, when it was built for a stage, that stage (with
//! its options, declared) as the default, so [`read`](super::read) gives
//! it back. Branches are written with their per-unit reactance on the
//! system base (`x_pu`), one circuit or unit each; inflows one profile per
//! plant (share 1). What the built grid no longer knows (line names and
//! lengths, the file's comments and sources of dropped elements) is not
//! written.
//!
//! ```
//! use landlinked::io::grid;
//! let g = grid::read("grids/central_asia/central_asia.toml")?; // its default stage, 2022
//! let text = grid::to_toml_string(&g)?;
//! let back = grid::parse_str(&text, "written.toml")?;
//! assert_eq!(back.data.grid.default_stage.as_deref(), Some("2022"));
//! assert!(back.data.buses.iter().all(|b| b.when.is_none() && b.unless.is_none()));
//! assert_eq!(back.build(Some("2022"), &[])?, g);
//! # Ok::<(), landlinked::Error>(())
//! ```

use super::refs::{BranchRef, ContingencySpec};
use super::schema::DailyProfile;
use super::schema::{
    BusRef, BusSpec, CorridorSpec, GridFile, GridHeader, InflowSpec, LineSpec, LinkSpec, LoadSpec,
    OptionSpec, PartnerSpec, PlantSpec, ReservoirSpec, ShareSpec, StageSpec, TransformerSpec,
};
use crate::calendar::FIRST_WEEKDAY;
use crate::demand::{HourlyShape, Load, MonthlyProfile};
use crate::error::{Error, Result};
use crate::hydro::{Conversion, HeadModel, HydroPlant, PlantKind, StorageTargets};
use crate::network::BusType;
use crate::region::{PlantType, RegionalGrid};

/// The records of `grid`.
pub(super) fn to_file(grid: &RegionalGrid) -> Result<GridFile> {
    if let Some(case) = grid.base_case() {
        return Err(Error::Write {
            path: format!("grid `{}`", grid.name()).into(),
            message: format!(
                "it is built on the MATPOWER case {case}: its buses and branches are the \
                 case's, which a grid file does not list; keep the grid file with `[base]` \
                 (and apply edits in code or as stages)"
            ),
        });
    }
    let net = grid.network();
    let name = |id: u64| -> Result<BusRef> {
        let n = grid.bus_name(id).ok_or_else(|| Error::UnknownBus {
            element: "grid being written".into(),
            bus: id,
        })?;
        Ok(BusRef::Name(n.to_string()))
    };
    let mut f = GridFile {
        grid: GridHeader {
            name: grid.name().to_string(),
            base_mva: net.base_mva,
            year: None,
            description: None,
            default_stage: grid.stage().map(str::to_string),
            exporter: grid.exporter().map(str::to_string),
        },
        options: grid
            .options()
            .iter()
            .map(|o| OptionSpec {
                name: o.clone(),
                description: Some("switched on when the grid was written".into()),
                source: None,
            })
            .collect(),
        stages: Vec::new(),
        buses: Vec::new(),
        lines: Vec::new(),
        transformers: Vec::new(),
        links: Vec::new(),
        inflows: Vec::new(),
        plants: Vec::new(),
        loads: Vec::new(),
        corridors: Vec::new(),
        base: None,
        zones: Vec::new(),
        contingencies: None,
    };
    if let Some(stage) = grid.stage() {
        f.stages.push(StageSpec {
            name: stage.to_string(),
            description: None,
            options: grid.options().to_vec(),
        });
    }
    for (b, info) in net.buses.iter().zip(grid.buses()) {
        f.buses.push(BusSpec {
            id: info.id,
            name: info.name.clone(),
            description: None,
            country: info.country.clone(),
            zone: info.zone.clone(),
            kv: info.kv,
            lat: info.lat,
            lon: info.lon,
            slack: b.kind == BusType::Ref,
            dc: info.dc,
            when: None,
            unless: None,
            source: None,
        });
    }
    // Branches keep their order on reading back: lines come first, so from
    // the first branch with a tap or a phase shift on, all are transformers.
    let first_trafo = net
        .branches
        .iter()
        .position(|b| b.tap != 0.0 || b.shift_deg != 0.0);
    for (k, br) in net.branches.iter().enumerate() {
        let (from, to) = (name(br.from)?, name(br.to)?);
        if first_trafo.is_some_and(|t| k >= t) {
            f.transformers.push(TransformerSpec {
                name: None,
                from,
                to,
                x_pu_own: None,
                x_pu: Some(br.x_pu),
                rating_mva: br.rate_a_mva,
                units: 1,
                tap: br.tap,
                shift_deg: br.shift_deg,
                in_service: br.in_service,
                when: None,
                unless: None,
                source: None,
            });
        } else {
            f.lines.push(LineSpec {
                name: None,
                from,
                to,
                kv: None,
                length_km: None,
                x_ohm_per_km: None,
                r_ohm_per_km: None,
                x_pu: Some(br.x_pu),
                r_pu: Some(br.r_pu),
                circuits: 1,
                rating_mw: br.rate_a_mva,
                in_service: br.in_service,
                when: None,
                unless: None,
                source: None,
            });
        }
    }
    for l in &net.hvdc_links {
        f.links.push(LinkSpec {
            name: l.name.clone(),
            from: name(l.from)?,
            to: name(l.to)?,
            capacity_forward_mw: l.capacity_forward_mw,
            capacity_reverse_mw: Some(l.capacity_reverse_mw),
            losses_pct: l.losses_pct,
            in_service: l.in_service,
            when: None,
            unless: None,
            source: l.source.clone(),
        });
    }
    for p in grid.plants() {
        let mut spec = PlantSpec {
            name: p.name.clone(),
            kind: p.kind,
            bus: name(p.bus)?,
            installed_mw: p.installed_mw,
            available_mw: Some(p.available_mw),
            units: None,
            efficiency: None,
            head_m: None,
            downstream: None,
            inflow: None,
            inflow_share: 1.0,
            min_release_m3s: 0.0,
            max_discharge_m3s: None,
            diversion_m3s: None,
            reservoir: None,
            capacity_factor: p.capacity_factor.map(|c| c.to_vec()),
            fuel: None,
            dispatch_mw: Some(p.dispatch_mw),
            when: None,
            unless: None,
            source: None,
        };
        if p.kind == PlantType::Hydro {
            let h = grid
                .cascade()
                .plant(&p.name)
                .ok_or_else(|| Error::NotFound {
                    kind: "hydro plant of the cascade".into(),
                    name: p.name.clone(),
                    known: grid
                        .cascade()
                        .plants()
                        .iter()
                        .map(|h| h.name.clone())
                        .collect(),
                })?;
            hydro_fields(grid, h, &mut spec)?;
            let rivers = grid.inflow_rivers();
            if let Some(k) = grid.inflows().iter().position(|q| q.plant == p.name) {
                let q = &grid.inflows()[k];
                f.inflows.push(InflowSpec {
                    name: p.name.clone(),
                    river: Some(rivers[k].clone()),
                    inflow_m3s: q.inflow_m3s.clone(),
                    source: None,
                });
                spec.inflow = Some(p.name.clone());
            }
        }
        f.plants.push(spec);
    }
    let demand = grid.demand();
    let not_written = |field: &str, expected: &str| Error::InvalidValue {
        element: "demand".into(),
        field: field.into(),
        value: 0.0,
        expected: expected.into(),
    };
    if demand.first_weekday() != FIRST_WEEKDAY {
        return Err(not_written(
            "first_weekday",
            "Saturday (the grid file has no other first weekday)",
        ));
    }
    if demand.growth_override().is_some() {
        return Err(not_written(
            "growth override",
            "none (a scenario's growth is not part of the grid file)",
        ));
    }
    for (l, info) in demand.loads().iter().zip(grid.loads()) {
        let buses = l.buses.iter().map(|s| {
            Ok(ShareSpec {
                bus: name(s.bus)?,
                share: s.share,
            })
        });
        let mut spec = load_profiles(l)?;
        spec.name = info.name.clone();
        spec.buses = buses.collect::<Result<_>>()?;
        f.loads.push(spec);
    }
    for c in grid.corridors() {
        let mut refs: Vec<BranchRef> = Vec::new();
        for b in &c.branches {
            let (out, inn) = if b.sign > 0.0 {
                (b.from, b.to)
            } else {
                (b.to, b.from)
            };
            let circuits = circuits_between(grid, out, inn);
            let all_in = circuits
                .iter()
                .all(|k| c.branches.iter().any(|x| x.branch == *k));
            let r = match circuits.iter().position(|&k| k == b.branch) {
                Some(_) if all_in => BranchRef::Pair([name(out)?, name(inn)?]),
                Some(i) => BranchRef::Circuit(name(out)?, name(inn)?, i as u32 + 1),
                None => continue,
            };
            if !refs.contains(&r) {
                refs.push(r);
            }
        }
        let links = c.links.iter().filter_map(|&l| net.hvdc_links.get(l));
        f.corridors.push(CorridorSpec {
            name: c.name.clone(),
            exporter: c.exporter.clone(),
            importer: c.importer.clone(),
            capacity_mw: c.capacity_mw,
            export_months: c.export_months.clone(),
            branches: refs,
            links: links.map(|l| l.name.clone()).collect(),
            price_usd_per_mwh: c.trade.price_usd_per_mwh,
            transit_fee_usd_per_mwh: c.trade.transit_fee_usd_per_mwh,
            appetite_mw: c.trade.appetite_mw.map(|a| a.to_vec()),
            season_cap_gwh: c.trade.season_cap_gwh,
            import_capacity_mw: c.trade.import_capacity_mw,
            import_months: c.trade.import_months.clone(),
            import_price_usd_per_mwh: c.trade.import_price_usd_per_mwh,
            firm_mw: c.trade.firm_mw.map(|f| f.to_vec()),
            partner: match &c.trade.partner {
                Some(p) => Some(PartnerSpec {
                    country: p.country.clone(),
                    bus: name(p.bus)?,
                    share: p.share,
                    available_mw: p.available_mw.to_vec(),
                }),
                None => None,
            },
            when: None,
            unless: None,
            source: c.source.clone(),
        });
    }
    if let Some(c) = grid.contingencies() {
        let mut branches = Vec::new();
        for &k in &c.branches {
            let br = &net.branches[k];
            let circuits = circuits_between(grid, br.from, br.to);
            let (a, b) = (name(br.from)?, name(br.to)?);
            branches.push(match circuits.iter().position(|&x| x == k) {
                Some(i) if circuits.len() > 1 => BranchRef::Circuit(a, b, i as u32 + 1),
                _ => BranchRef::Pair([a, b]),
            });
        }
        f.contingencies = Some(ContingencySpec {
            branches,
            screen: c.screen,
            min_factor: c.min_factor,
            source: None,
        });
    }
    Ok(f)
}

/// Positions of the branches joining buses `a` and `b` (either
/// orientation), in order: circuit `k` is the `k`-th.
fn circuits_between(grid: &RegionalGrid, a: u64, b: u64) -> Vec<usize> {
    let branches = &grid.network().branches;
    (0..branches.len())
        .filter(|&k| {
            let br = &branches[k];
            (br.from, br.to) == (a, b) || (br.from, br.to) == (b, a)
        })
        .collect()
}

/// A load's energy, growth, class and profiles as a record (no name or buses
/// yet). Profiles equal to the class's defaults (or flat, without a class) are
/// left out; a flat profile where the class has another, an hourly shape by
/// season or monthly energy shares are errors (the file cannot say them).
fn load_profiles(l: &Load) -> Result<LoadSpec> {
    let base = match l.class {
        Some(c) => Load::flat(&l.name, 0.0, Vec::new()).with_class(c),
        None => Load::flat(&l.name, 0.0, Vec::new()),
    };
    let not_written = |field: &str, expected: &str| Error::InvalidValue {
        element: format!("load `{}`", l.name),
        field: field.into(),
        value: 0.0,
        expected: expected.into(),
    };
    let flat_under_class = |field: &str| {
        not_written(
            field,
            "a profile (the grid file gives the class's default shape for a missing one; \
             a flat one cannot be written for this class)",
        )
    };
    let monthly_power_factors = match &l.monthly {
        m if *m == base.monthly => None,
        MonthlyProfile::PowerFactors { factors } => Some(factors.clone()),
        MonthlyProfile::Flat => return Err(flat_under_class("monthly")),
        MonthlyProfile::EnergyShares { .. } => {
            return Err(not_written(
                "monthly",
                "a flat or monthly-power-factor profile (the grid file has no other)",
            ));
        }
    };
    let profile = |shape: &HourlyShape, field: &str| match shape {
        HourlyShape::Daily { factors } => Ok(DailyProfile::Day(factors.clone())),
        HourlyShape::Monthly { factors } => Ok(DailyProfile::ByMonth(factors.clone())),
        HourlyShape::Flat => Err(flat_under_class(field)),
        HourlyShape::Seasonal { .. } => Err(not_written(
            field,
            "a daily or monthly-by-hour shape (the grid file has no seasonal one)",
        )),
        HourlyShape::Year { .. } => Err(not_written(
            field,
            "a daily or monthly-by-hour shape (a year-long series is read from a CSV \
             column by a zone of a grid on a MATPOWER case, and not written back)",
        )),
    };
    let daily_profile = if l.hourly == base.hourly {
        None
    } else {
        Some(profile(&l.hourly, "hourly")?)
    };
    let (w, bw) = (&l.weekly, &base.weekly);
    let weekend_profile = match &w.weekend_hourly {
        s if *s == bw.weekend_hourly => None,
        Some(s) => Some(profile(s, "weekly.weekend_hourly")?),
        None => return Err(flat_under_class("weekly.weekend_hourly")),
    };
    Ok(LoadSpec {
        name: String::new(),
        annual_gwh: l.annual_energy_gwh,
        growth_pct_per_year: l.growth_pct_per_year,
        class: l.class,
        monthly_power_factors,
        daily_profile,
        weekend_profile,
        weekend_factor: (w.weekend_factor != bw.weekend_factor).then_some(w.weekend_factor),
        weekend_days: (w.weekend_days != bw.weekend_days).then(|| w.weekend_days.clone()),
        buses: Vec::new(),
        when: None,
        unless: None,
        source: None,
        profile_source: None,
    })
}

/// A hydro plant's efficiency, head or reservoir, limits and rule curve.
fn hydro_fields(grid: &RegionalGrid, h: &HydroPlant, spec: &mut PlantSpec) -> Result<()> {
    let unwritable = |field: &str, expected: &str| Error::InvalidValue {
        element: format!("plant `{}`", h.name),
        field: field.into(),
        value: 0.0,
        expected: expected.into(),
    };
    match h.conversion {
        Conversion::Efficiency { efficiency } => spec.efficiency = Some(efficiency),
        Conversion::Coefficient { .. } => {
            return Err(unwritable(
                "conversion",
                "an efficiency (the grid file has no fixed coefficient)",
            ));
        }
    }
    spec.units = (h.units > 0).then_some(h.units);
    spec.downstream = h.downstream.clone();
    spec.min_release_m3s = h.min_release_m3s;
    spec.max_discharge_m3s = h.max_discharge_m3s;
    spec.diversion_m3s = (!h.diversion_m3s.is_empty()).then(|| h.diversion_m3s.clone());
    match &h.kind {
        PlantKind::RunOfRiver { head_m } => spec.head_m = Some(*head_m),
        PlantKind::Reservoir(r) => {
            let (head_m, head_curve) = match &r.head {
                HeadModel::Fixed { head_m } => (Some(*head_m), None),
                HeadModel::Curve { points } => (None, Some(points.clone())),
            };
            let curve = grid.rule_curve().curves.iter().find(|c| c.plant == h.name);
            let rule_curve = match curve.map(|c| &c.targets) {
                None => None,
                Some(StorageTargets::FractionOfUseful { end_of_month }) => {
                    Some(end_of_month.clone())
                }
                Some(StorageTargets::StorageHm3 { .. }) => {
                    return Err(unwritable(
                        "rule curve",
                        "fractions of useful storage (the grid file has no hm³ targets)",
                    ));
                }
            };
            spec.reservoir = Some(ReservoirSpec {
                useful_hm3: r.useful_hm3,
                dead_hm3: Some(r.dead_hm3),
                total_hm3: None,
                initial_hm3: Some(r.initial_hm3),
                head_m,
                head_curve,
                rule_curve,
                source: None,
                constant_level_when: None,
            });
        }
    }
    Ok(())
}
