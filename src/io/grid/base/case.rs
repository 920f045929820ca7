//! Reading a grid file's `[base]` case: finding the file, and turning its
//! buses, generators and loads into the grid's bus records, plants and
//! zone loads (see the [parent module](super) for the choices).

use std::path::{Path, PathBuf};

use super::zones::{self, ZoneLoad};
use crate::error::{Error, Result};
use crate::io::grid::schema::{BusSpec, GridFile};
use crate::io::matpower;
use crate::network::{BusType, Network};
use crate::region::{PlantInfo, PlantType};

/// What a grid takes from its case.
pub(in crate::io::grid) struct Case {
    /// Where the case was read from.
    pub path: PathBuf,
    /// The case's buses (loads set to 0: the zones' loads replace them)
    /// and branches, no generators.
    pub network: Network,
    /// A record per bus, in the case's order: its number as name, its
    /// zone and country, its type.
    pub buses: Vec<BusSpec>,
    /// The in-service generators as balancing plants, then the fixed
    /// injections of negative loads.
    pub plants: Vec<PlantInfo>,
    /// The zones' loads.
    pub loads: Vec<ZoneLoad>,
}

/// The case of `f`'s `[base]` (none without one); `file` is the grid
/// file's path, which relative case and CSV paths start from.
pub(in crate::io::grid) fn read_case(f: &GridFile, file: &str) -> Result<Option<Case>> {
    let Some(base) = &f.base else {
        if let Some(z) = f.zones.first() {
            return Err(Error::Invalid {
                message: format!(
                    "zone `{}`: [[zone]] records belong to a grid on a MATPOWER case (a `[base]` table)",
                    z.name
                ),
            });
        }
        return Ok(None);
    };
    if let Some(b) = f.buses.first() {
        return Err(Error::Invalid {
            message: format!(
                "bus `{}`: a grid on a MATPOWER case (`[base]`) takes its buses from the case; \
                 leave out the [[bus]] records",
                b.name
            ),
        });
    }
    let dir = Path::new(file).parent().unwrap_or(Path::new(""));
    let path = locate(&base.matpower, dir)?;
    let case = matpower::read(&path)?;
    if let Some(t) = case
        .skipped_tables
        .iter()
        .find(|t| t.field == "dcline" && t.has_values)
    {
        // A study cannot leave out lines that carry power.
        return Err(Error::Invalid {
            message: format!(
                "{}, line {}: mpc.dcline holds HVDC lines, which a study on the case cannot leave \
                 out; give them as [[link]] records in the grid file and empty the table (mpc.dcline = [];)",
                path.display(),
                t.line
            ),
        });
    }
    if case.base_mva != f.grid.base_mva {
        return Err(Error::InvalidValue {
            element: "grid".into(),
            field: "base_mva".into(),
            value: f.grid.base_mva,
            expected: format!("the case's baseMVA, {}", case.base_mva),
        });
    }
    let zones = zones::assign(&f.zones, &case)?;
    let (loads, fixed) = zones::loads(&zones, &case, dir)?;
    let buses = case
        .buses
        .iter()
        .zip(&zones.of_bus)
        .map(|(b, &z)| BusSpec {
            id: b.id,
            name: b.id.to_string(),
            description: None,
            country: zones.list[z].country.clone(),
            zone: zones.list[z].name.clone(),
            kv: b.base_kv,
            lat: None,
            lon: None,
            slack: b.kind == BusType::Ref,
            dc: b.kind == BusType::Isolated,
            when: None,
            unless: None,
            source: None,
        })
        .collect::<Vec<_>>();
    let index = case.bus_index()?;
    let mut plants = Vec::new();
    for (k, g) in case.generators.iter().enumerate() {
        // The reader checked that every generator's bus exists.
        let Some(i) = index.position(g.bus).filter(|_| g.in_service) else {
            continue;
        };
        let capacity = g.pmax_mw.max(g.pg_mw).max(0.0);
        plants.push(PlantInfo {
            name: format!("gen {}", k + 1),
            kind: PlantType::Balancing,
            bus: g.bus,
            country: zones.list[zones.of_bus[i]].country.clone(),
            installed_mw: capacity,
            available_mw: capacity,
            capacity_factor: None,
            dispatch_mw: g.pg_mw,
        });
    }
    plants.extend(fixed);
    let mut network = case;
    network.name = f.grid.name.clone();
    network.generators.clear();
    for b in &mut network.buses {
        b.pd_mw = 0.0;
    }
    Ok(Some(Case {
        path,
        network,
        buses,
        plants,
        loads,
    }))
}

/// The case file `spec`: relative to `dir` (the grid file's folder), or
/// else by its file name in the folder named by `LANDLINKED_CASES`.
fn locate(spec: &str, dir: &Path) -> Result<PathBuf> {
    let near = dir.join(spec);
    if near.is_file() {
        return Ok(near);
    }
    let env = std::env::var_os("LANDLINKED_CASES").map(PathBuf::from);
    let name = Path::new(spec).file_name();
    if let (Some(d), Some(name)) = (&env, name) {
        let there = d.join(name);
        if there.is_file() {
            return Ok(there);
        }
    }
    let elsewhere = match &env {
        Some(d) => format!("nor in LANDLINKED_CASES ({})", d.display()),
        None => "and LANDLINKED_CASES is not set".into(),
    };
    Err(Error::Invalid {
        message: format!(
            "base: `matpower` = `{spec}` names no file: not at {} {elsewhere}",
            near.display()
        ),
    })
}
