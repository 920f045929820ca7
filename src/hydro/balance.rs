//! The monthly water balance of a cascade and its result table.

use serde::{Deserialize, Serialize};

use super::units::{flow_to_volume_hm3, volume_to_flow_m3s};
use super::{Cascade, HydroError, HydroPlant, LateralInflow, PeriodState, ReleasePolicy};
use crate::calendar::Month;

/// One plant in one month: the water balance and the energy produced.
///
/// Balance, exactly (to rounding): `inflow_hm3 = release_hm3 + spill_hm3 +
/// (storage_end_hm3 − storage_start_hm3)`. Flows in m³/s are the month means of the
/// same volumes.
///
/// ```
/// use landlinked::hydro::{Cascade, HydroPlant, LateralInflow, RuleCurve};
/// let c = Cascade::new(vec![HydroPlant::run_of_river("A", 1, 100.0, 0.9, 20.0)])?;
/// let out = c.simulate(&[LateralInflow::new("A", vec![50.0; 12])], &RuleCurve::new())?;
/// let jan = &out.rows[0];
/// assert_eq!((jan.plant.as_str(), jan.bus), ("A", 1));
/// assert!((jan.release_m3s - 50.0).abs() < 1e-9);
/// # Ok::<(), landlinked::hydro::HydroError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HydroRow {
    /// Plant name.
    pub plant: String,
    /// Bus number of the plant.
    pub bus: u64,
    /// Month.
    pub month: Month,
    /// Duration of the month, h.
    pub hours: f64,
    /// Total storage at the start of the month, hm³.
    pub storage_start_hm3: f64,
    /// Total storage at the end of the month, hm³.
    pub storage_end_hm3: f64,
    /// Mean total inflow (lateral + upstream outflow), m³/s.
    pub inflow_m3s: f64,
    /// Mean turbined release, m³/s.
    pub release_m3s: f64,
    /// Mean spill (water released without generating), m³/s.
    pub spill_m3s: f64,
    /// Total inflow volume, hm³.
    pub inflow_hm3: f64,
    /// Turbined volume, hm³.
    pub release_hm3: f64,
    /// Spilled volume, hm³.
    pub spill_hm3: f64,
    /// Head used for the energy: the head at the mean of start and end storage, m.
    pub head_m: f64,
    /// Energy generated, MWh.
    pub energy_mwh: f64,
    /// Mean power over the month, MW.
    pub mean_power_mw: f64,
}

/// The result table of a simulation: one row per plant and month, plant by plant in
/// cascade order, January to December.
///
/// ```
/// use landlinked::hydro::{Cascade, HydroPlant, LateralInflow, RuleCurve};
/// let c = Cascade::new(vec![HydroPlant::run_of_river("A", 1, 100.0, 0.9, 20.0)])?;
/// let out = c.simulate(&[LateralInflow::new("A", vec![50.0; 12])], &RuleCurve::new())?;
/// assert_eq!(out.rows.len(), 12);
/// let json = serde_json::to_string(&out).unwrap();
/// assert!(json.contains("\"month\":\"Jan\""));
/// # Ok::<(), landlinked::hydro::HydroError>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct HydroResults {
    /// The rows.
    pub rows: Vec<HydroRow>,
}

impl HydroResults {
    /// Each reservoir plant's storage at the end of the year (December),
    /// hm³, to start the next year from with
    /// [`Cascade::simulate_from`](super::Cascade::simulate_from).
    ///
    /// ```
    /// # use landlinked::hydro::*;
    /// let r = Reservoir { useful_hm3: 1000.0, dead_hm3: 100.0, initial_hm3: 600.0,
    ///                     head: HeadModel::Fixed { head_m: 100.0 } };
    /// let c = Cascade::new(vec![HydroPlant::with_reservoir("R", 1, 500.0, 0.9, r)])?;
    /// let out = c.simulate(&[LateralInflow::new("R", vec![100.0; 12])], &RuleCurve::new())?;
    /// assert_eq!(out.end_storage_hm3()[0].0, "R");
    /// # Ok::<(), HydroError>(())
    /// ```
    pub fn end_storage_hm3(&self) -> Vec<(String, f64)> {
        self.rows
            .iter()
            .filter(|r| r.month == Month::Dec)
            .map(|r| (r.plant.clone(), r.storage_end_hm3))
            .collect()
    }

    /// The row of `plant` in `month`.
    ///
    /// ```
    /// use landlinked::hydro::{Cascade, HydroPlant, LateralInflow, RuleCurve};
    /// use landlinked::calendar::Month;
    /// let c = Cascade::new(vec![HydroPlant::run_of_river("A", 1, 100.0, 0.9, 20.0)])?;
    /// let out = c.simulate(&[LateralInflow::new("A", vec![50.0; 12])], &RuleCurve::new())?;
    /// assert_eq!(out.row("A", Month::Feb).map(|r| r.hours), Some(672.0));
    /// # Ok::<(), landlinked::hydro::HydroError>(())
    /// ```
    pub fn row(&self, plant: &str, month: Month) -> Option<&HydroRow> {
        self.rows
            .iter()
            .find(|r| r.plant == plant && r.month == month)
    }

    /// The twelve rows of `plant`, January first.
    ///
    /// ```
    /// use landlinked::hydro::{Cascade, HydroPlant, LateralInflow, RuleCurve};
    /// let c = Cascade::new(vec![HydroPlant::run_of_river("A", 1, 100.0, 0.9, 20.0)])?;
    /// let out = c.simulate(&[], &RuleCurve::new())?;
    /// assert_eq!(out.plant_rows("A").count(), 12);
    /// # Ok::<(), landlinked::hydro::HydroError>(())
    /// ```
    pub fn plant_rows<'a>(&'a self, plant: &'a str) -> impl Iterator<Item = &'a HydroRow> + 'a {
        self.rows.iter().filter(move |r| r.plant == plant)
    }

    /// Energy of `plant` over the year, MWh (0 for an unknown plant).
    ///
    /// ```
    /// use landlinked::hydro::{Cascade, HydroPlant, LateralInflow, RuleCurve};
    /// let c = Cascade::new(vec![HydroPlant::run_of_river("A", 1, 100.0, 0.9, 100.0)])?;
    /// let out = c.simulate(&[LateralInflow::new("A", vec![100.0; 12])], &RuleCurve::new())?;
    /// // 100 m³/s · 8760 h = 3153.6 hm³; × 245.25 MWh/hm³ = 773,420.4 MWh
    /// assert!((out.annual_energy_mwh("A") - 773_420.4).abs() < 1e-6);
    /// # Ok::<(), landlinked::hydro::HydroError>(())
    /// ```
    pub fn annual_energy_mwh(&self, plant: &str) -> f64 {
        self.plant_rows(plant).map(|r| r.energy_mwh).sum()
    }

    /// Energy of all plants over the year, MWh.
    ///
    /// ```
    /// use landlinked::hydro::HydroResults;
    /// assert_eq!(HydroResults::default().total_energy_mwh(), 0.0);
    /// ```
    pub fn total_energy_mwh(&self) -> f64 {
        self.rows.iter().map(|r| r.energy_mwh).sum()
    }
}

impl Cascade {
    /// Runs the monthly water balance over one year (January to December), starting
    /// from each reservoir's initial storage.
    ///
    /// Each month is solved plant by plant, upstream first; a plant's inflow is its
    /// lateral inflow plus the same month's release and spill of the plants feeding it
    /// (no routing delay: travel times are hours, the step is a month).
    ///
    /// ```
    /// use landlinked::hydro::{Cascade, HeadModel, HydroPlant, LateralInflow, Reservoir, RuleCurve};
    /// use landlinked::calendar::Month;
    /// let r = Reservoir { useful_hm3: 1000.0, dead_hm3: 100.0, initial_hm3: 600.0,
    ///                     head: HeadModel::Fixed { head_m: 100.0 } };
    /// let c = Cascade::new(vec![
    ///     HydroPlant::with_reservoir("Upper", 1, 500.0, 0.9, r).with_downstream("Lower"),
    ///     HydroPlant::run_of_river("Lower", 2, 100.0, 0.9, 20.0),
    /// ])?;
    /// let inflows = [LateralInflow::new("Upper", vec![100.0; 12]),
    ///                LateralInflow::new("Lower", vec![20.0; 12])];
    /// let out = c.simulate(&inflows, &RuleCurve::new())?;
    /// let lower_jan = out.row("Lower", Month::Jan).unwrap();
    /// assert!((lower_jan.inflow_m3s - 120.0).abs() < 1e-9);
    /// # Ok::<(), landlinked::hydro::HydroError>(())
    /// ```
    pub fn simulate(
        &self,
        inflows: &[LateralInflow],
        policy: &dyn ReleasePolicy,
    ) -> Result<HydroResults, HydroError> {
        let storage: Vec<f64> = self.plants().iter().map(HydroPlant::initial_hm3).collect();
        self.run_year(inflows, policy, storage)
    }

    /// [`simulate`](Self::simulate) with the reservoirs named in
    /// `initial_hm3` starting at the given storage (the others at their
    /// own initial storage): chains years, each starting where the last
    /// ended ([`HydroResults::end_storage_hm3`]). A storage outside dead
    /// storage..capacity, or a name that is no plant, is an error.
    ///
    /// ```
    /// use landlinked::hydro::*;
    /// let r = Reservoir { useful_hm3: 1000.0, dead_hm3: 100.0, initial_hm3: 600.0,
    ///                     head: HeadModel::Fixed { head_m: 100.0 } };
    /// let c = Cascade::new(vec![HydroPlant::with_reservoir("R", 1, 500.0, 0.9, r)])?;
    /// let q = [LateralInflow::new("R", vec![100.0; 12])];
    /// let rule = RuleCurve::new().with_fraction("R", vec![0.5; 12]);
    /// let first = c.simulate(&q, &rule)?;
    /// let second = c.simulate_from(&q, &rule, &first.end_storage_hm3())?;
    /// assert_eq!(second.rows[0].storage_start_hm3, first.rows[11].storage_end_hm3);
    /// assert!(c.simulate_from(&q, &rule, &[("R".into(), 5000.0)]).is_err());
    /// # Ok::<(), HydroError>(())
    /// ```
    pub fn simulate_from(
        &self,
        inflows: &[LateralInflow],
        policy: &dyn ReleasePolicy,
        initial_hm3: &[(String, f64)],
    ) -> Result<HydroResults, HydroError> {
        let mut storage: Vec<f64> = self.plants().iter().map(HydroPlant::initial_hm3).collect();
        for (name, v) in initial_hm3 {
            let i = self.plants().iter().position(|p| &p.name == name);
            let i = i.ok_or_else(|| HydroError::UnknownPlant {
                plant: "starting storage".into(),
                field: "initial_hm3",
                unknown: name.clone(),
            })?;
            let p = &self.plants()[i];
            let (dead, full) = (p.dead_hm3(), p.capacity_hm3());
            if !(v.is_finite() && *v >= dead * (1.0 - 1e-12) && *v <= full * (1.0 + 1e-12)) {
                return Err(HydroError::StorageOutOfRange {
                    plant: name.clone(),
                    value: *v,
                    dead_hm3: dead,
                    capacity_hm3: full,
                });
            }
            storage[i] = v.clamp(dead, full);
        }
        self.run_year(inflows, policy, storage)
    }

    /// Twelve months from `storage` (one value per plant).
    fn run_year(
        &self,
        inflows: &[LateralInflow],
        policy: &dyn ReleasePolicy,
        mut storage: Vec<f64>,
    ) -> Result<HydroResults, HydroError> {
        let lateral = self.lateral_m3s(inflows)?;
        policy.validate(self)?;
        let n = self.plants().len();
        let mut per_plant: Vec<Vec<HydroRow>> = vec![Vec::with_capacity(12); n];
        for month in Month::ALL {
            // Outflow volumes arriving from upstream plants this month.
            let mut upstream_hm3 = vec![0.0; n];
            for (i, plant) in self.plants().iter().enumerate() {
                let inflow_hm3 =
                    flow_to_volume_hm3(lateral[i][month.index()], month.hours()) + upstream_hm3[i];
                let row = step_month(plant, month, storage[i], inflow_hm3, policy)?;
                if let Some(d) = self.downstream_of(i) {
                    upstream_hm3[d] += row.release_hm3 + row.spill_hm3;
                }
                storage[i] = row.storage_end_hm3;
                per_plant[i].push(row);
            }
        }
        Ok(HydroResults {
            rows: per_plant.into_iter().flatten().collect(),
        })
    }
}

/// One plant, one month.
///
/// Order of the rules (volumes in hm³, `avail` = water above dead storage):
/// 1. `want` = the policy's release, capped at the turbine limit, raised to the
///    minimum release;
/// 2. `out = min(want, avail)`: never below dead storage;
/// 3. turbined = `min(out, turbine limit)`; any rest (a minimum release above the
///    turbine limit) is spilled;
/// 4. if the reservoir would overfill, the excess is turbined up to the limit and the
///    remainder spilled, leaving the reservoir full.
fn step_month(
    plant: &HydroPlant,
    month: Month,
    start_hm3: f64,
    inflow_hm3: f64,
    policy: &dyn ReleasePolicy,
) -> Result<HydroRow, HydroError> {
    let hours = month.hours();
    let (dead, full) = (plant.dead_hm3(), plant.capacity_hm3());
    let turbine_max = flow_to_volume_hm3(plant.max_discharge_m3s(), hours);
    let min_release = flow_to_volume_hm3(plant.min_release_m3s, hours);
    let state = PeriodState {
        month,
        hours,
        storage_start_hm3: start_hm3,
        inflow_m3s: volume_to_flow_m3s(inflow_hm3, hours),
    };
    let asked = policy.release_m3s(plant, &state);
    if !asked.is_finite() {
        return Err(HydroError::PolicyNotFinite {
            plant: plant.name.clone(),
            month,
            value: asked,
        });
    }
    let want = flow_to_volume_hm3(asked.max(0.0), hours)
        .min(turbine_max)
        .max(min_release);
    let available = (start_hm3 - dead + inflow_hm3).max(0.0);
    let out = want.min(available);
    let mut release = out.min(turbine_max);
    let mut spill = out - release;
    let mut end = if out >= available {
        dead
    } else {
        start_hm3 + inflow_hm3 - out
    };
    if end > full {
        let excess = end - full;
        let extra = excess.min(turbine_max - release);
        release += extra;
        spill += excess - extra;
        end = full;
    }
    Ok(row(
        plant, month, start_hm3, end, inflow_hm3, release, spill,
    ))
}

fn row(
    plant: &HydroPlant,
    month: Month,
    start: f64,
    end: f64,
    inflow: f64,
    release: f64,
    spill: f64,
) -> HydroRow {
    let hours = month.hours();
    let head_m = plant.head_m(0.5 * (start + end));
    let energy_mwh = plant.energy_coefficient_mwh_per_hm3(head_m) * release;
    HydroRow {
        plant: plant.name.clone(),
        bus: plant.bus,
        month,
        hours,
        storage_start_hm3: start,
        storage_end_hm3: end,
        inflow_m3s: volume_to_flow_m3s(inflow, hours),
        release_m3s: volume_to_flow_m3s(release, hours),
        spill_m3s: volume_to_flow_m3s(spill, hours),
        inflow_hm3: inflow,
        release_hm3: release,
        spill_hm3: spill,
        head_m,
        energy_mwh,
        mean_power_mw: energy_mwh / hours,
    }
}
