//! The regional model: a network with what a study needs to know about it,
//! as plain domain types.
//!
//! A [`RegionalGrid`] holds the AC network with its HVDC links, a
//! description of every bus ([`BusInfo`]: name, country, zone), plant
//! ([`PlantInfo`]: type, capacity, capacity factors) and load
//! ([`LoadInfo`]), the hydro [`Cascade`] with its normal-year inflows and
//! rule curves, the [`Demand`], and the export [`Corridor`]s. It is built
//! from its parts with [`RegionalGrid::new`] (which also makes the
//! modelling choices: one generator per plant, buses with a plant become
//! PV, loads at their annual mean) or read from a file by
//! [`io::grid`](crate::io::grid); it is changed only through methods that
//! keep every view of a fact in step (a plant's capacity is owned by its
//! [`PlantInfo`]; its generator and its hydro plant follow), and each
//! returns an error naming an unknown name and the names it knows.
//!
//! [`RegionalGrid::simulate_hydro`], [`RegionalGrid::monthly_balance`] and
//! [`RegionalGrid::snapshot`] turn the grid into a year of water, a
//! country's monthly energy balance and a month's network state.
//!
//! ```
//! use landlinked::region::RegionalGrid;
//! let mut g = landlinked::io::grid::read("grids/central_asia/central_asia.toml")?;
//! g.set_plant_capacity("Rogun", 3600.0)?;
//! assert_eq!(g.plant("Rogun")?.available_mw, 3600.0);
//! let err = g.set_plant_capacity("Rogum", 1.0).unwrap_err();
//! assert!(err.to_string().starts_with("unknown plant `Rogum` (known: "));
//! # Ok::<(), landlinked::Error>(())
//! ```

mod balance;
mod corridor;
mod edit;
mod info;
mod study;

pub use balance::MonthBalance;
pub use corridor::{Corridor, CorridorBranch, Partner, Trade};
pub use info::{BusInfo, LoadInfo, MAX_PLANT_MW, PlantInfo, PlantType};
pub use study::Contingencies;

use crate::demand::Demand;
use crate::error::{Error, Result};
use crate::hydro::{Cascade, HydroPlant, LateralInflow, RuleCurve};
use crate::network::{BusType, Generator, Network};

/// The parts of a regional grid, before [`RegionalGrid::new`] assembles
/// them.
///
/// `network` holds buses (no loads), branches and HVDC links and no
/// generators: the assembly adds one generator per plant. `hydro_plants`
/// are the cascade's plants, one per plant of type
/// [`PlantType::Hydro`] (same name); their capacity is taken from the
/// plant.
///
/// ```
/// use landlinked::network::{Bus, BusType, Network};
/// use landlinked::region::{BusInfo, RegionParts};
/// let mut net = Network::new("one", 100.0);
/// net.buses.push(Bus::new(1, BusType::Ref));
/// let parts = RegionParts::new("one", net, vec![BusInfo { id: 1, name: "A".into(),
///     country: "TJ".into(), zone: "Z".into(), kv: 220.0, lat: None, lon: None, dc: false }]);
/// assert!(parts.plants.is_empty());
/// ```
#[derive(Clone, Debug)]
pub struct RegionParts {
    /// Grid name.
    pub name: String,
    /// The stage the parts were selected for, if any.
    pub stage: Option<String>,
    /// Options switched on.
    pub options: Vec<String>,
    /// Buses, branches and links (no generators, no loads).
    pub network: Network,
    /// One description per bus, in `network.buses` order.
    pub buses: Vec<BusInfo>,
    /// Plants, in the order their generators will take.
    pub plants: Vec<PlantInfo>,
    /// The cascade's plants (one per hydro plant).
    pub hydro_plants: Vec<HydroPlant>,
    /// Lateral inflows of a normal year.
    pub inflows: Vec<LateralInflow>,
    /// The river of each inflow (same order; inflows on one river vary
    /// together from year to year); empty: each inflow its own river.
    pub inflow_rivers: Vec<String>,
    /// Reservoir rule curves.
    pub rule_curve: RuleCurve,
    /// Loads.
    pub demand: Demand,
    /// One description per load, in `demand.loads()` order.
    pub loads: Vec<LoadInfo>,
    /// Export corridors (branch positions in `network.branches`).
    pub corridors: Vec<Corridor>,
    /// The country whose exports a study examines when its settings name
    /// none (`[grid] exporter` in a grid file).
    pub exporter: Option<String>,
    /// The outages of the studies' N-1 checks; `None`: every branch.
    pub contingencies: Option<Contingencies>,
    /// The MATPOWER case the network was taken from (a grid file's
    /// `[base]`), as a path; `None` for a grid described in full.
    pub base_case: Option<String>,
}

impl RegionParts {
    /// Parts with a network and its bus descriptions, and nothing else.
    ///
    /// ```
    /// # use landlinked::{network::Network, region::RegionParts};
    /// let p = RegionParts::new("empty", Network::new("empty", 100.0), vec![]);
    /// assert!(p.corridors.is_empty());
    /// ```
    pub fn new(name: &str, network: Network, buses: Vec<BusInfo>) -> RegionParts {
        RegionParts {
            name: name.to_string(),
            stage: None,
            options: Vec::new(),
            network,
            buses,
            plants: Vec::new(),
            hydro_plants: Vec::new(),
            inflows: Vec::new(),
            inflow_rivers: Vec::new(),
            rule_curve: RuleCurve::new(),
            demand: Demand::default(),
            loads: Vec::new(),
            corridors: Vec::new(),
            exporter: None,
            contingencies: None,
            base_case: None,
        }
    }
}

/// A regional grid for one stage: everything a regional study needs (see
/// the [module documentation](self)).
///
/// ```
/// let g = landlinked::io::grid::read("grids/central_asia/central_asia.toml")?;
/// let pf = landlinked::dc::DcPowerFlow::new(g.network())?;
/// assert_eq!(g.buses().len(), g.network().buses.len());
/// assert_eq!(g.plants().len(), g.network().generators.len());
/// # Ok::<(), landlinked::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct RegionalGrid {
    name: String,
    stage: Option<String>,
    options: Vec<String>,
    network: Network,
    buses: Vec<BusInfo>,
    plants: Vec<PlantInfo>,
    cascade: Cascade,
    inflows: Vec<LateralInflow>,
    inflow_rivers: Vec<String>,
    rule_curve: RuleCurve,
    demand: Demand,
    loads: Vec<LoadInfo>,
    corridors: Vec<Corridor>,
    exporter: Option<String>,
    contingencies: Option<Contingencies>,
    base_case: Option<String>,
}

impl RegionalGrid {
    /// Assembles a grid from its parts: adds one generator per plant (its
    /// `available_mw` as `pmax_mw`, its `dispatch_mw` as output), makes a
    /// PQ bus with a plant PV, sets each hydro plant's capacity from its
    /// plant, adds every load's annual mean MW to its buses, and validates
    /// the result: descriptions in step with the network, unique names,
    /// capacities within physical bounds, corridors that refer to existing
    /// branches and links.
    ///
    /// ```
    /// use landlinked::network::{Bus, BusType, Network};
    /// use landlinked::region::{BusInfo, PlantInfo, PlantType, RegionParts, RegionalGrid};
    /// let mut net = Network::new("one", 100.0);
    /// net.buses.push(Bus::new(1, BusType::Ref));
    /// let bus = BusInfo { id: 1, name: "A".into(), country: "TJ".into(), zone: "Z".into(),
    ///     kv: 220.0, lat: None, lon: None, dc: false };
    /// let mut parts = RegionParts::new("one", net, vec![bus]);
    /// parts.plants.push(PlantInfo { name: "G".into(), kind: PlantType::Thermal, bus: 1,
    ///     country: "TJ".into(), installed_mw: 100.0, available_mw: 90.0,
    ///     capacity_factor: Some([0.5; 12]), dispatch_mw: 0.0 });
    /// let g = RegionalGrid::new(parts)?;
    /// assert_eq!(g.network().generators[0].pmax_mw, 90.0);
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn new(parts: RegionParts) -> Result<RegionalGrid> {
        let RegionParts {
            name,
            stage,
            options,
            mut network,
            buses,
            plants,
            mut hydro_plants,
            inflows,
            mut inflow_rivers,
            rule_curve,
            demand,
            loads,
            corridors,
            exporter,
            contingencies,
            base_case,
        } = parts;
        check_descriptions(&network, &buses, &demand, &loads)?;
        if !network.generators.is_empty() {
            return Err(Error::InvalidValue {
                element: format!("grid `{name}`"),
                field: "network.generators".into(),
                value: network.generators.len() as f64,
                expected: "no generators: the assembly adds one per plant".into(),
            });
        }
        for (i, p) in plants.iter().enumerate() {
            check_plant(p)?;
            if plants[..i].iter().any(|q| q.name == p.name) {
                return Err(duplicate("plant", &p.name));
            }
            network.generators.push(Generator {
                pmax_mw: p.available_mw,
                ..Generator::new(p.bus, p.dispatch_mw)
            });
            promote_to_pv(&mut network, p.bus);
        }
        for h in &mut hydro_plants {
            let p = plants
                .iter()
                .find(|p| p.name == h.name && p.kind == PlantType::Hydro);
            let p = p.ok_or_else(|| not_found("hydro plant", &h.name, &plants))?;
            h.installed_mw = p.available_mw;
        }
        let cascade = Cascade::new(hydro_plants)?;
        if inflow_rivers.is_empty() {
            inflow_rivers = inflows.iter().map(|q| q.plant.clone()).collect();
        }
        if inflow_rivers.len() != inflows.len() {
            return Err(Error::DimensionMismatch {
                what: "inflow rivers (one per inflow)".into(),
                found: inflow_rivers.len(),
                expected: inflows.len(),
            });
        }
        let mut grid = RegionalGrid {
            name,
            stage,
            options,
            network,
            buses,
            plants,
            cascade,
            inflows,
            inflow_rivers,
            rule_curve,
            demand,
            loads,
            corridors: Vec::new(),
            exporter: None,
            contingencies: None,
            base_case,
        };
        grid.network.validate()?;
        for c in corridors {
            grid.add_corridor(c)?;
        }
        if let Some(e) = exporter {
            grid.set_exporter(&e)?;
        }
        grid.set_contingencies(contingencies)?;
        grid.add_mean_loads()?;
        Ok(grid)
    }

    /// Grid name.
    ///
    /// ```
    /// let g = landlinked::io::grid::read("grids/central_asia/central_asia.toml")?;
    /// assert!(!g.name().is_empty());
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The stage built, if any.
    ///
    /// ```
    /// let g = landlinked::io::grid::read_stage("grids/central_asia/central_asia.toml", "casa", &[])?;
    /// assert_eq!(g.stage(), Some("casa"));
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn stage(&self) -> Option<&str> {
        self.stage.as_deref()
    }

    /// Options switched on.
    ///
    /// ```
    /// let g = landlinked::io::grid::read_stage("grids/central_asia/central_asia.toml", "casa", &[])?;
    /// assert!(!g.options().is_empty());
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn options(&self) -> &[String] {
        &self.options
    }

    /// The AC network with its HVDC links: loads at their annual mean, one
    /// generator per plant (same order as [`plants`](Self::plants)) at its
    /// `dispatch_mw`.
    ///
    /// ```
    /// let g = landlinked::io::grid::read("grids/central_asia/central_asia.toml")?;
    /// assert!(g.network().total_load_mw() > 0.0);
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn network(&self) -> &Network {
        &self.network
    }

    /// Descriptive bus data, in `network().buses` order.
    ///
    /// ```
    /// let g = landlinked::io::grid::read("grids/central_asia/central_asia.toml")?;
    /// assert!(g.buses().iter().any(|b| b.country == "TJ"));
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn buses(&self) -> &[BusInfo] {
        &self.buses
    }

    /// Every plant, in file order; plant `i` owns generator `i`.
    ///
    /// ```
    /// let g = landlinked::io::grid::read("grids/central_asia/central_asia.toml")?;
    /// assert!(g.plants().iter().any(|p| p.name == "Nurek"));
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn plants(&self) -> &[PlantInfo] {
        &self.plants
    }

    /// The hydro plants as one cascade (several rivers are separate trees).
    ///
    /// ```
    /// let g = landlinked::io::grid::read("grids/central_asia/central_asia.toml")?;
    /// assert!(g.cascade().plant("Nurek").is_some());
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn cascade(&self) -> &Cascade {
        &self.cascade
    }

    /// Lateral inflows of a normal year.
    ///
    /// ```
    /// let g = landlinked::io::grid::read("grids/central_asia/central_asia.toml")?;
    /// assert!(!g.inflows().is_empty());
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn inflows(&self) -> &[LateralInflow] {
        &self.inflows
    }

    /// The river of each of [`inflows`](Self::inflows): inflows on one
    /// river vary together in stochastic years.
    ///
    /// ```
    /// let g = landlinked::io::grid::read("grids/central_asia/central_asia.toml")?;
    /// assert_eq!(g.inflow_rivers().len(), g.inflows().len());
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn inflow_rivers(&self) -> Vec<String> {
        self.inflow_rivers.clone()
    }

    /// Reservoir rule curves.
    ///
    /// ```
    /// let g = landlinked::io::grid::read("grids/central_asia/central_asia.toml")?;
    /// assert!(!g.rule_curve().curves.is_empty());
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn rule_curve(&self) -> &RuleCurve {
        &self.rule_curve
    }

    /// Loads.
    ///
    /// ```
    /// let g = landlinked::io::grid::read("grids/central_asia/central_asia.toml")?;
    /// assert!(g.demand().annual_energy_gwh(0) > 0.0);
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn demand(&self) -> &Demand {
        &self.demand
    }

    /// Load descriptions, in `demand().loads()` order.
    ///
    /// ```
    /// let g = landlinked::io::grid::read("grids/central_asia/central_asia.toml")?;
    /// assert_eq!(g.loads().len(), g.demand().loads().len());
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn loads(&self) -> &[LoadInfo] {
        &self.loads
    }

    /// Export corridors.
    ///
    /// ```
    /// let g = landlinked::io::grid::read("grids/central_asia/central_asia.toml")?;
    /// assert!(g.corridors().iter().any(|c| c.exporter == "TJ"));
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn corridors(&self) -> &[Corridor] {
        &self.corridors
    }

    /// Bus number of the bus called `name`.
    ///
    /// ```
    /// let g = landlinked::io::grid::read("grids/central_asia/central_asia.toml")?;
    /// assert!(g.bus_id("TJ_NUREK_500").is_some());
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn bus_id(&self, name: &str) -> Option<u64> {
        self.buses.iter().find(|b| b.name == name).map(|b| b.id)
    }

    /// Name of bus number `id`.
    ///
    /// ```
    /// let g = landlinked::io::grid::read("grids/central_asia/central_asia.toml")?;
    /// let id = g.bus_id("TJ_NUREK_500").unwrap();
    /// assert_eq!(g.bus_name(id), Some("TJ_NUREK_500"));
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn bus_name(&self, id: u64) -> Option<&str> {
        self.buses
            .iter()
            .find(|b| b.id == id)
            .map(|b| b.name.as_str())
    }

    /// The name of bus number `id`, or the number itself for a bus the
    /// grid does not describe.
    ///
    /// ```
    /// let g = landlinked::io::grid::read("grids/central_asia/central_asia.toml")?;
    /// let id = g.bus_id("TJ_NUREK_500").unwrap();
    /// assert_eq!(g.bus_label(id), "TJ_NUREK_500");
    /// assert_eq!(g.bus_label(999_999), "999999");
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn bus_label(&self, id: u64) -> String {
        self.bus_name(id).map_or(id.to_string(), str::to_string)
    }

    /// Branch `k` of the network as `FROM–TO` by bus names (`branch k+1`
    /// past the last branch): how results name branches.
    ///
    /// ```
    /// let g = landlinked::io::grid::read("grids/central_asia/central_asia.toml")?;
    /// assert!(g.branch_label(0).contains('–'));
    /// assert_eq!(g.branch_label(100_000), "branch 100001");
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn branch_label(&self, k: usize) -> String {
        match self.network.branches.get(k) {
            Some(br) => format!("{}–{}", self.bus_label(br.from), self.bus_label(br.to)),
            None => format!("branch {}", k + 1),
        }
    }

    /// Position of the HVDC link called `name` in `network().hvdc_links`.
    ///
    /// ```
    /// let g = landlinked::io::grid::read("grids/central_asia/central_asia.toml")?;
    /// assert_eq!(g.link_position("CASA-1000 Sangtuda-Nowshera"), None); // not in 2022
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn link_position(&self, name: &str) -> Option<usize> {
        self.network.hvdc_links.iter().position(|l| l.name == name)
    }

    /// Country of the load called `name`.
    ///
    /// ```
    /// let g = landlinked::io::grid::read("grids/central_asia/central_asia.toml")?;
    /// let first = &g.loads()[0];
    /// assert_eq!(g.load_country(&first.name), Some(first.country.as_str()));
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn load_country(&self, name: &str) -> Option<&str> {
        self.loads
            .iter()
            .find(|l| l.name == name)
            .map(|l| l.country.as_str())
    }

    /// The bus countries, each once, in bus order.
    ///
    /// ```
    /// let g = landlinked::io::grid::read("grids/central_asia/central_asia.toml")?;
    /// assert!(g.countries().contains(&"TJ"));
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn countries(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for b in &self.buses {
            if !out.contains(&b.country.as_str()) {
                out.push(&b.country);
            }
        }
        out
    }

    /// Adds every load's annual mean MW to its buses' `pd_mw` (from zero).
    fn add_mean_loads(&mut self) -> Result<()> {
        let hours = crate::calendar::HOURS_PER_YEAR as f64;
        let index = self.network.bus_index()?;
        for b in &mut self.network.buses {
            b.pd_mw = 0.0;
        }
        for load in self.demand.loads() {
            let mean_mw = load.annual_energy_gwh * 1000.0 / hours;
            for s in &load.buses {
                let i = index.position(s.bus).ok_or_else(|| Error::UnknownBus {
                    element: format!("load `{}`", load.name),
                    bus: s.bus,
                })?;
                self.network.buses[i].pd_mw += mean_mw * s.share;
            }
        }
        Ok(())
    }
}

/// A bus with a plant is a PV bus (a reference bus stays one).
fn promote_to_pv(net: &mut Network, bus: u64) {
    if let Some(b) = net.buses.iter_mut().find(|b| b.id == bus)
        && b.kind == BusType::Pq
    {
        b.kind = BusType::Pv;
    }
}

/// Bus and load descriptions in step with the network and the demand.
fn check_descriptions(
    net: &Network,
    buses: &[BusInfo],
    demand: &Demand,
    loads: &[LoadInfo],
) -> Result<()> {
    let ids = net.buses.iter().map(|b| b.id);
    if buses.len() != net.buses.len() || !ids.eq(buses.iter().map(|b| b.id)) {
        return Err(Error::DimensionMismatch {
            what: "bus descriptions (one per network bus, same order)".into(),
            found: buses.len(),
            expected: net.buses.len(),
        });
    }
    for (i, b) in buses.iter().enumerate() {
        if buses[..i].iter().any(|o| o.name == b.name) {
            return Err(duplicate("bus", &b.name));
        }
    }
    let names = demand.loads().iter().map(|l| l.name.as_str());
    if loads.len() != demand.loads().len() || !names.eq(loads.iter().map(|l| l.name.as_str())) {
        return Err(Error::DimensionMismatch {
            what: "load descriptions (one per load, same order)".into(),
            found: loads.len(),
            expected: demand.loads().len(),
        });
    }
    Ok(())
}

/// Capacities finite, within the nameplate and (but for a neighbouring
/// system's equivalent) within [`MAX_PLANT_MW`].
fn check_plant(p: &PlantInfo) -> Result<()> {
    let el = format!("plant `{}`", p.name);
    let bad = |field: &str, value: f64, expected: String| Error::InvalidValue {
        element: el.clone(),
        field: field.into(),
        value,
        expected,
    };
    // A neighbouring system's equivalent stands for many plants, a
    // MATPOWER case's generator for what the case says.
    let max = match p.kind {
        PlantType::Equivalent | PlantType::Balancing => f64::MAX,
        _ => MAX_PLANT_MW,
    };
    let within =
        format!("a capacity from 0 to {MAX_PLANT_MW} MW (larger than any plant ever built)");
    if !(p.installed_mw.is_finite() && (0.0..=max).contains(&p.installed_mw)) {
        return Err(bad("installed_mw", p.installed_mw, within));
    }
    if !(p.available_mw.is_finite() && p.available_mw >= 0.0 && p.available_mw <= p.installed_mw) {
        let expected = format!("from 0 to `installed_mw` ({} MW)", p.installed_mw);
        return Err(bad("available_mw", p.available_mw, expected));
    }
    // A case's generator may consume (a pump, a condenser): it keeps that
    // output in every study.
    let consumes = p.kind == PlantType::Balancing && p.dispatch_mw < 0.0;
    if !(p.dispatch_mw.is_finite() && (p.dispatch_mw >= 0.0 || consumes)) {
        return Err(bad(
            "dispatch_mw",
            p.dispatch_mw,
            "a finite value ≥ 0".into(),
        ));
    }
    Ok(())
}

/// An unknown name, with the names that exist.
pub(crate) fn not_found<T: Named>(kind: &str, name: &str, known: &[T]) -> Error {
    Error::NotFound {
        kind: kind.to_string(),
        name: name.to_string(),
        known: known.iter().map(|k| k.name().to_string()).collect(),
    }
}

fn duplicate(kind: &str, name: &str) -> Error {
    Error::Duplicate {
        kind: kind.to_string(),
        name: name.to_string(),
    }
}

/// Things with a name, for error messages listing the known ones.
pub(crate) trait Named {
    fn name(&self) -> &str;
}

impl Named for PlantInfo {
    fn name(&self) -> &str {
        &self.name
    }
}

impl Named for BusInfo {
    fn name(&self) -> &str {
        &self.name
    }
}

impl Named for LoadInfo {
    fn name(&self) -> &str {
        &self.name
    }
}

impl Named for Corridor {
    fn name(&self) -> &str {
        &self.name
    }
}

/// Where a study gets the grid of a scenario, given its stage and extra
/// options: a grid file (a path, or a parsed document, implemented in
/// [`io::grid`](crate::io::grid)), or a [`RegionalGrid`] already built and
/// perhaps edited.
///
/// A built grid serves a scenario whose stage is its own (or empty) and
/// whose options it already has; anything else is an error, since a built
/// grid no longer knows the elements another stage would switch on.
///
/// ```
/// use landlinked::region::GridSource;
/// let g = landlinked::io::grid::read_stage("grids/central_asia/central_asia.toml", "casa", &[])?;
/// assert_eq!(g.grid_for("casa", &[])?, g);
/// assert_eq!(g.grid_for("", &[])?, g);
/// assert!(g.grid_for("full_build", &[]).is_err());
/// let from_file = "grids/central_asia/central_asia.toml".grid_for("casa", &[])?;
/// assert_eq!(from_file, g);
/// # Ok::<(), landlinked::Error>(())
/// ```
pub trait GridSource {
    /// The grid of stage `stage` with `options` switched on as well.
    fn grid_for(&self, stage: &str, options: &[String]) -> Result<RegionalGrid>;

    /// The names of the corridors of every stage and option (to check a
    /// corridor name that only some stages have).
    fn corridor_names(&self) -> Result<Vec<String>>;
}

impl GridSource for RegionalGrid {
    fn grid_for(&self, stage: &str, options: &[String]) -> Result<RegionalGrid> {
        let own = self.stage.as_deref().unwrap_or("");
        if !stage.is_empty() && stage != own {
            return Err(Error::NotFound {
                kind: format!(
                    "stage of the built grid `{}` (build other stages from its file)",
                    self.name
                ),
                name: stage.to_string(),
                known: vec![own.to_string()],
            });
        }
        if let Some(o) = options.iter().find(|o| !self.options.contains(o)) {
            return Err(Error::NotFound {
                kind: format!("option of this built grid (`{}`)", self.name),
                name: o.clone(),
                known: self.options.clone(),
            });
        }
        Ok(self.clone())
    }

    fn corridor_names(&self) -> Result<Vec<String>> {
        Ok(self.corridors.iter().map(|c| c.name.clone()).collect())
    }
}
