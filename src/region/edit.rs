//! Edits of a [`RegionalGrid`]: each changes one fact in its one owner and
//! brings every view of it in step, and refuses an unknown name with the
//! names it knows.
//!
//! ```
//! let mut g = landlinked::io::grid::read("grids/central_asia/central_asia.toml")?;
//! let n = g.set_branch_in_service("TJ_NUREK_500", "TJ_REGAR_500", false)?;
//! assert!(n >= 1);
//! assert!(g.set_branch_in_service("TJ_NUREK_500", "NOWHERE", false).is_err());
//! # Ok::<(), landlinked::Error>(())
//! ```

use super::{
    Corridor, PlantInfo, PlantType, RegionalGrid, Trade, check_plant, duplicate, not_found,
};
use crate::demand::Demand;
use crate::error::{Error, Result};
use crate::hydro::Cascade;

impl RegionalGrid {
    /// The plant called `name`.
    ///
    /// ```
    /// let g = landlinked::io::grid::read("grids/central_asia/central_asia.toml")?;
    /// assert_eq!(g.plant("Nurek")?.kind, landlinked::region::PlantType::Hydro);
    /// assert!(g.plant("Nowhere").is_err());
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn plant(&self, name: &str) -> Result<&PlantInfo> {
        Ok(&self.plants[self.plant_position(name)?])
    }

    /// Position of the plant called `name` in [`plants`](Self::plants) (and
    /// of its generator in `network().generators`).
    ///
    /// ```
    /// let g = landlinked::io::grid::read("grids/central_asia/central_asia.toml")?;
    /// let i = g.plant_position("Nurek")?;
    /// assert_eq!(g.network().generators[i].pmax_mw, g.plants()[i].available_mw);
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn plant_position(&self, name: &str) -> Result<usize> {
        let pos = self.plants.iter().position(|p| p.name == name);
        pos.ok_or_else(|| not_found("plant", name, &self.plants))
    }

    /// Sets a plant's nameplate and available capacity to `installed_mw`
    /// (a new or refurbished plant); its generator's `pmax_mw` and, for a
    /// hydro plant, the cascade's plant follow.
    ///
    /// ```
    /// let mut g = landlinked::io::grid::read("grids/central_asia/central_asia.toml")?;
    /// g.set_plant_capacity("Nurek", 3300.0)?;
    /// assert_eq!(g.cascade().plant("Nurek").unwrap().installed_mw, 3300.0);
    /// assert!(g.set_plant_capacity("Nurek", 1.0e6).is_err()); // larger than any plant ever built
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn set_plant_capacity(&mut self, name: &str, installed_mw: f64) -> Result<()> {
        let i = self.plant_position(name)?;
        let plant = PlantInfo {
            installed_mw,
            available_mw: installed_mw,
            ..self.plants[i].clone()
        };
        self.replace_plant(i, plant)
    }

    /// Sets a plant's available capacity (derating, units out), at most its
    /// nameplate; its generator and hydro plant follow.
    ///
    /// ```
    /// let mut g = landlinked::io::grid::read("grids/central_asia/central_asia.toml")?;
    /// let installed = g.plant("Nurek")?.installed_mw;
    /// g.set_plant_available("Nurek", installed / 2.0)?;
    /// assert!(g.set_plant_available("Nurek", installed + 1.0).is_err());
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn set_plant_available(&mut self, name: &str, available_mw: f64) -> Result<()> {
        let i = self.plant_position(name)?;
        let plant = PlantInfo {
            available_mw,
            ..self.plants[i].clone()
        };
        self.replace_plant(i, plant)
    }

    /// Checks and installs a changed plant in every view.
    fn replace_plant(&mut self, i: usize, plant: PlantInfo) -> Result<()> {
        check_plant(&plant)?;
        if plant.kind == PlantType::Hydro {
            let mut hydro = self.cascade.plants().to_vec();
            for h in hydro.iter_mut().filter(|h| h.name == plant.name) {
                h.installed_mw = plant.available_mw;
            }
            self.cascade = Cascade::new(hydro)?;
        }
        self.network.generators[i].pmax_mw = plant.available_mw;
        self.plants[i] = plant;
        Ok(())
    }

    /// Puts every branch between the buses called `a` and `b` (either
    /// orientation) in or out of service; returns how many there are. An
    /// unknown bus name, or two buses with no branch between them, is an
    /// error.
    ///
    /// ```
    /// let mut g = landlinked::io::grid::read("grids/central_asia/central_asia.toml")?;
    /// g.set_branch_in_service("TJ_NUREK_500", "TJ_REGAR_500", false)?;
    /// let err = g.set_branch_in_service("TJ_NUREK_500", "TJ_NUREK_500", false).unwrap_err();
    /// assert!(err.to_string().contains("TJ_NUREK_500–TJ_NUREK_500"));
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn set_branch_in_service(&mut self, a: &str, b: &str, in_service: bool) -> Result<usize> {
        let ks = self.branches_between(a, b)?;
        for &k in &ks {
            self.network.branches[k].in_service = in_service;
        }
        Ok(ks.len())
    }

    /// Sets the annual energy of the load called `name`, GWh (base year);
    /// the network's mean bus loads follow.
    ///
    /// ```
    /// let mut g = landlinked::io::grid::read("grids/central_asia/central_asia.toml")?;
    /// let name = g.loads()[0].name.clone();
    /// let before = g.network().total_load_mw();
    /// let old = g.demand().loads()[0].annual_energy_gwh;
    /// g.set_load_energy(&name, old + 876.0)?;
    /// assert!((g.network().total_load_mw() - before - 100.0).abs() < 1e-6);
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn set_load_energy(&mut self, name: &str, annual_gwh: f64) -> Result<()> {
        let i = self.loads.iter().position(|l| l.name == name);
        let i = i.ok_or_else(|| not_found("load", name, &self.loads))?;
        if !(annual_gwh.is_finite() && annual_gwh >= 0.0) {
            return Err(Error::InvalidValue {
                element: format!("load `{name}`"),
                field: "annual_gwh".into(),
                value: annual_gwh,
                expected: "a finite energy ≥ 0 GWh".into(),
            });
        }
        let mut loads = self.demand.loads().to_vec();
        loads[i].annual_energy_gwh = annual_gwh;
        self.demand = Demand::with_loads(&self.demand, loads)?;
        self.add_mean_loads()
    }

    /// Sets the demand growth of every load, % per year (`None`: each
    /// load's own rate); a rate of −100 % or below is an error.
    ///
    /// ```
    /// let mut g = landlinked::io::grid::read("grids/central_asia/central_asia.toml")?;
    /// g.set_demand_growth(Some(3.0))?;
    /// assert_eq!(g.demand().growth_override(), Some(3.0));
    /// assert!(g.set_demand_growth(Some(-120.0)).is_err());
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn set_demand_growth(&mut self, pct_per_year: Option<f64>) -> Result<()> {
        self.demand = self.demand.clone().with_growth(pct_per_year)?;
        Ok(())
    }

    /// The corridor called `name`.
    ///
    /// ```
    /// let g = landlinked::io::grid::read("grids/central_asia/central_asia.toml")?;
    /// assert_eq!(g.corridor("TJ-UZ")?.importer, "UZ");
    /// assert!(g.corridor("TJ-XX").unwrap_err().to_string().contains("TJ-UZ"));
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn corridor(&self, name: &str) -> Result<&Corridor> {
        let c = self.corridors.iter().find(|c| c.name == name);
        c.ok_or_else(|| not_found("corridor", name, &self.corridors))
    }

    /// Sets the contracted capacity of the corridor called `name`, MW.
    ///
    /// ```
    /// let mut g = landlinked::io::grid::read("grids/central_asia/central_asia.toml")?;
    /// g.set_corridor_capacity("TJ-UZ", 300.0)?;
    /// assert_eq!(g.corridor("TJ-UZ")?.capacity_mw, 300.0);
    /// assert!(g.set_corridor_capacity("TJ-UZ", -1.0).is_err());
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn set_corridor_capacity(&mut self, name: &str, capacity_mw: f64) -> Result<()> {
        check_capacity(name, capacity_mw)?;
        self.corridor_mut(name)?.capacity_mw = capacity_mw;
        Ok(())
    }

    /// Sets the commercial terms of the corridor called `name` (prices,
    /// appetite, season cap, imports), checked as read from a file.
    ///
    /// ```
    /// use landlinked::region::Trade;
    /// let mut g = landlinked::io::grid::read("grids/central_asia/central_asia.toml")?;
    /// let t = Trade { price_usd_per_mwh: Some(30.0), ..g.corridor("TJ-UZ")?.trade.clone() };
    /// g.set_corridor_trade("TJ-UZ", t)?;
    /// assert_eq!(g.corridor("TJ-UZ")?.trade.price_usd_per_mwh, Some(30.0));
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn set_corridor_trade(&mut self, name: &str, trade: Trade) -> Result<()> {
        trade.validate(name)?;
        self.corridor_mut(name)?.trade = trade;
        Ok(())
    }

    /// Sets the rating (`rate_a`, MW) of every branch between the buses
    /// called `a` and `b`; returns how many there are.
    ///
    /// ```
    /// let mut g = landlinked::io::grid::read("grids/central_asia/central_asia.toml")?;
    /// g.set_branch_rating("TJ_NUREK_500", "TJ_REGAR_500", 1500.0)?;
    /// assert!(g.set_branch_rating("TJ_NUREK_500", "TJ_REGAR_500", -1.0).is_err());
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn set_branch_rating(&mut self, a: &str, b: &str, rating_mw: f64) -> Result<usize> {
        if !(rating_mw.is_finite() && rating_mw >= 0.0) {
            return Err(Error::InvalidValue {
                element: format!("branch {a}–{b}"),
                field: "rating_mw".into(),
                value: rating_mw,
                expected: "a finite rating ≥ 0 MW (0: unlimited)".into(),
            });
        }
        let ks = self.branches_between(a, b)?;
        for &k in &ks {
            self.network.branches[k].rate_a_mva = rating_mw;
        }
        Ok(ks.len())
    }

    /// The corridor called `name`, to change.
    fn corridor_mut(&mut self, name: &str) -> Result<&mut Corridor> {
        match self.corridors.iter().position(|c| c.name == name) {
            Some(i) => Ok(&mut self.corridors[i]),
            None => Err(not_found("corridor", name, &self.corridors)),
        }
    }

    /// Positions of the branches between the buses called `a` and `b`.
    fn branches_between(&self, a: &str, b: &str) -> Result<Vec<usize>> {
        let id = |name: &str| {
            self.bus_id(name)
                .ok_or_else(|| not_found("bus", name, &self.buses))
        };
        let (ia, ib) = (id(a)?, id(b)?);
        let ks: Vec<usize> = (0..self.network.branches.len())
            .filter(|&k| {
                let br = &self.network.branches[k];
                (br.from, br.to) == (ia, ib) || (br.from, br.to) == (ib, ia)
            })
            .collect();
        if ks.is_empty() {
            return Err(Error::NotFound {
                kind: "branch".into(),
                name: format!("{a}–{b}"),
                known: Vec::new(),
            });
        }
        Ok(ks)
    }

    /// Adds an export corridor. Its name must be new, its exporter and
    /// importer countries of the grid, its capacity finite and ≥ 0, and its
    /// branches and links must exist (with the ends it records).
    ///
    /// ```
    /// use landlinked::region::Corridor;
    /// let mut g = landlinked::io::grid::read("grids/central_asia/central_asia.toml")?;
    /// let (a, b) = (g.bus_id("TJ_NUREK_500").unwrap(), g.bus_id("TJ_REGAR_500").unwrap());
    /// let mut c = Corridor::new("Nurek-Regar", "TJ", "TJ", 500.0);
    /// c.add_branch(g.network(), a, b)?;
    /// g.add_corridor(c.clone())?;
    /// assert!(g.add_corridor(c).is_err()); // the name is taken
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn add_corridor(&mut self, corridor: Corridor) -> Result<()> {
        if self.corridors.iter().any(|c| c.name == corridor.name) {
            return Err(duplicate("corridor", &corridor.name));
        }
        check_capacity(&corridor.name, corridor.capacity_mw)?;
        corridor.trade.validate(&corridor.name)?;
        let countries = self.countries();
        for (field, country) in [
            ("exporter", &corridor.exporter),
            ("importer", &corridor.importer),
        ] {
            if !countries.contains(&country.as_str()) {
                return Err(Error::UnknownName {
                    element: format!("corridor `{}`", corridor.name),
                    field: field.into(),
                    kind: format!("country (known: {})", countries.join(", ")),
                    name: country.clone(),
                });
            }
        }
        let el = || format!("corridor `{}`", corridor.name);
        if let Some(p) = &corridor.trade.partner {
            let bus = self.buses.iter().find(|b| b.id == p.bus);
            if bus.is_none_or(|b| b.country != p.country) {
                return Err(Error::UnknownName {
                    element: el(),
                    field: "partner.bus".into(),
                    kind: format!("bus of {}", p.country),
                    name: p.bus.to_string(),
                });
            }
        }
        for b in &corridor.branches {
            let ok = self.network.branches.get(b.branch);
            if ok.is_none_or(|br| (br.from, br.to) != (b.from, b.to)) {
                return Err(Error::UnknownName {
                    element: el(),
                    field: "branches".into(),
                    kind: "branch".into(),
                    name: format!("{}–{} (position {})", b.from, b.to, b.branch + 1),
                });
            }
        }
        for &l in &corridor.links {
            if l >= self.network.hvdc_links.len() {
                return Err(Error::UnknownName {
                    element: el(),
                    field: "links".into(),
                    kind: "link".into(),
                    name: format!("position {}", l + 1),
                });
            }
        }
        self.corridors.push(corridor);
        Ok(())
    }
}

fn check_capacity(corridor: &str, capacity_mw: f64) -> Result<()> {
    if capacity_mw.is_finite() && capacity_mw >= 0.0 {
        return Ok(());
    }
    Err(Error::InvalidValue {
        element: format!("corridor `{corridor}`"),
        field: "capacity_mw".into(),
        value: capacity_mw,
        expected: "a finite capacity ≥ 0 MW".into(),
    })
}
