//! The monthly water balance of a cascade and its result table.
//!
//! ```
//! use landlinked::hydro::{Cascade, HeadModel, HydroPlant, LateralInflow, Reservoir, RuleCurve};
//! let r = Reservoir { useful_hm3: 1000.0, dead_hm3: 100.0, initial_hm3: 600.0, head: HeadModel::Fixed { head_m: 100.0 } };
//! let c = Cascade::new(vec![HydroPlant::with_reservoir("A", 1, 100.0, 0.9, r)])?;
//! let q = LateralInflow::new("A", vec![50.0, 50.0, 80.0, 200.0, 600.0, 900.0, 900.0, 700.0, 300.0, 100.0, 60.0, 50.0]);
//! let out = c.simulate(&[q], &RuleCurve::new().with_fraction("A", vec![0.5; 12]))?;
//! for w in &out.rows { // inflow = diversion + release + spill + change of storage
//!     let stored = w.storage_end_hm3 - w.storage_start_hm3;
//!     let out = w.diversion_hm3 + w.release_hm3 + w.spill_hm3;
//!     assert!((w.inflow_hm3 - out - stored).abs() < 1e-9);
//! }
//! assert!(out.rows[6].spill_hm3 > 0.0); // July's 900 m³/s is more than 100 MW can turbine
//! # Ok::<(), landlinked::hydro::HydroError>(())
//! ```

use serde::{Deserialize, Serialize};

use super::plant::finite;
use super::units::{flow_to_volume_hm3, volume_to_flow_m3s};
use super::{Cascade, HydroError, HydroPlant, LateralInflow, PeriodState, ReleasePolicy};
use crate::calendar::Month;

/// One plant in one month: the water balance and the energy produced.
///
/// Balance, exactly (to rounding): `inflow_hm3 = diversion_hm3 + release_hm3 +
/// spill_hm3 + (storage_end_hm3 − storage_start_hm3)`. Release and spill go on to the
/// next plant; the diversion leaves the cascade. Flows in m³/s are the month means of
/// the same volumes.
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
    /// Mean diversion (water taken off before the turbines, leaving the cascade), m³/s.
    pub diversion_m3s: f64,
    /// Total inflow volume, hm³.
    pub inflow_hm3: f64,
    /// Turbined volume, hm³.
    pub release_hm3: f64,
    /// Spilled volume, hm³.
    pub spill_hm3: f64,
    /// Diverted volume, hm³.
    pub diversion_hm3: f64,
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

    /// Storage of every plant at the end of December, hm³, in cascade order (0 for
    /// run-of-river plants): the start of the next year for
    /// [`Cascade::simulate_from`].
    ///
    /// ```
    /// use landlinked::hydro::{Cascade, HeadModel, HydroPlant, LateralInflow, Reservoir,
    ///                         RuleCurve};
    /// let r = Reservoir { useful_hm3: 1000.0, dead_hm3: 100.0, initial_hm3: 600.0,
    ///                     head: HeadModel::Fixed { head_m: 100.0 } };
    /// let c = Cascade::new(vec![
    ///     HydroPlant::with_reservoir("Upper", 1, 500.0, 0.9, r).with_downstream("Lower"),
    ///     HydroPlant::run_of_river("Lower", 2, 100.0, 0.9, 20.0),
    /// ])?;
    /// // No inflow, no release asked: the reservoir stays at 600 hm³.
    /// let out = c.simulate(&[], &RuleCurve::new().with_storage_hm3("Upper", vec![600.0; 12]))?;
    /// assert_eq!(out.end_storage_hm3(),
    ///            vec![("Upper".to_string(), 600.0), ("Lower".to_string(), 0.0)]);
    /// let next = c.simulate_from(&[], &RuleCurve::new(), &out.end_storage_hm3())?;
    /// assert_eq!(next.rows[0].storage_start_hm3, 600.0);
    /// # Ok::<(), landlinked::hydro::HydroError>(())
    /// ```
    pub fn end_storage_hm3(&self) -> Vec<(String, f64)> {
        self.rows
            .iter()
            .filter(|r| r.month == Month::Dec)
            .map(|r| (r.plant.clone(), r.storage_end_hm3))
            .collect()
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
    /// (no routing delay: travel times are hours, the step is a month). A plant's
    /// diversion leaves the cascade and does not reach the plant below.
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
        self.simulate_from(inflows, policy, &[])
    }

    /// As [`Cascade::simulate`], but the plants named in `initial_storage_hm3` start the
    /// year at the given total storage (hm³) instead of their own `initial_hm3`; plants
    /// not named keep theirs. Feed it [`HydroResults::end_storage_hm3`] of the year
    /// before to carry storage over.
    ///
    /// Each storage must be finite and within dead storage..capacity (0..0 for a
    /// run-of-river plant). A value outside by no more than 10⁻⁹ of the capacity
    /// (rounding) is moved onto the bound; beyond that the error names the plant.
    /// Unknown and repeated names are refused.
    ///
    /// ```
    /// use landlinked::hydro::{Cascade, HeadModel, HydroError, HydroPlant, LateralInflow,
    ///                         Reservoir, RuleCurve};
    /// use landlinked::calendar::Month;
    /// let r = Reservoir { useful_hm3: 1000.0, dead_hm3: 100.0, initial_hm3: 600.0,
    ///                     head: HeadModel::Fixed { head_m: 100.0 } };
    /// let c = Cascade::new(vec![HydroPlant::with_reservoir("A", 1, 500.0, 0.9, r)])?;
    /// let q = [LateralInflow::new("A", vec![100.0; 12])];
    /// let out = c.simulate_from(&q, &RuleCurve::new(), &[("A".to_string(), 300.0)])?;
    /// assert_eq!(out.row("A", Month::Jan).unwrap().storage_start_hm3, 300.0);
    /// let err = c.simulate_from(&q, &RuleCurve::new(), &[("A".to_string(), 50.0)]).unwrap_err();
    /// assert!(matches!(err, HydroError::InitialStorageBelowDead { .. }));
    /// # Ok::<(), HydroError>(())
    /// ```
    pub fn simulate_from(
        &self,
        inflows: &[LateralInflow],
        policy: &dyn ReleasePolicy,
        initial_storage_hm3: &[(String, f64)],
    ) -> Result<HydroResults, HydroError> {
        let mut storage = self.start_storage(initial_storage_hm3)?;
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

    /// Runs consecutive years: year 0 starts from `initial_storage_hm3` (as in
    /// [`Cascade::simulate_from`]; empty for the plants' own initial storage), and each
    /// later year starts where the year before ended. One result table per year.
    ///
    /// ```
    /// use landlinked::hydro::{Cascade, HeadModel, HydroPlant, InflowEnsemble, InflowSpread,
    ///                         Reservoir, RuleCurve, LateralInflow};
    /// use landlinked::calendar::Month;
    /// let r = Reservoir { useful_hm3: 1000.0, dead_hm3: 100.0, initial_hm3: 600.0,
    ///                     head: HeadModel::Fixed { head_m: 100.0 } };
    /// let c = Cascade::new(vec![HydroPlant::with_reservoir("A", 1, 500.0, 0.9, r)])?;
    /// let ens = InflowEnsemble::new(vec![LateralInflow::new("A", vec![100.0; 12])],
    ///                               vec!["R".into()], InflowSpread::default())?;
    /// let runs = c.simulate_years(&ens.years(1, 3), &RuleCurve::new(), &[])?;
    /// assert_eq!(runs.len(), 3);
    /// let dec0 = runs[0].row("A", Month::Dec).unwrap().storage_end_hm3;
    /// assert_eq!(runs[1].row("A", Month::Jan).unwrap().storage_start_hm3, dec0);
    /// # Ok::<(), landlinked::hydro::HydroError>(())
    /// ```
    pub fn simulate_years(
        &self,
        years: &[Vec<LateralInflow>],
        policy: &dyn ReleasePolicy,
        initial_storage_hm3: &[(String, f64)],
    ) -> Result<Vec<HydroResults>, HydroError> {
        let mut start = initial_storage_hm3.to_vec();
        let mut out = Vec::with_capacity(years.len());
        for inflows in years {
            let year = self.simulate_from(inflows, policy, &start)?;
            start = year.end_storage_hm3();
            out.push(year);
        }
        Ok(out)
    }

    /// Start storage of every plant in cascade order: its own initial storage, or the
    /// given one, validated.
    fn start_storage(&self, given: &[(String, f64)]) -> Result<Vec<f64>, HydroError> {
        const FIELD: &str = "initial_storage_hm3";
        let mut storage: Vec<f64> = self.plants().iter().map(HydroPlant::initial_hm3).collect();
        let mut seen = vec![false; storage.len()];
        for (name, value) in given {
            let i = self
                .position(name)
                .ok_or_else(|| HydroError::UnknownPlant {
                    plant: name.clone(),
                    field: FIELD,
                    unknown: name.clone(),
                })?;
            if std::mem::replace(&mut seen[i], true) {
                return Err(HydroError::Duplicate {
                    plant: name.clone(),
                    field: FIELD,
                });
            }
            finite(name, FIELD, *value)?;
            let plant = &self.plants()[i];
            let (dead, full) = (plant.dead_hm3(), plant.capacity_hm3());
            let tol = 1e-9 * full.max(1.0);
            if *value < dead - tol {
                return Err(HydroError::InitialStorageBelowDead {
                    plant: name.clone(),
                    initial_hm3: *value,
                    dead_hm3: dead,
                });
            }
            if *value > full + tol {
                return Err(HydroError::InitialStorageAboveCapacity {
                    plant: name.clone(),
                    initial_hm3: *value,
                    capacity_hm3: full,
                });
            }
            storage[i] = value.clamp(dead, full);
        }
        Ok(storage)
    }
}

/// One plant, one month.
///
/// Order of the rules (volumes in hm³, `avail` = water above dead storage):
/// 1. the diversion is taken first, `min(diversion, avail)`, and leaves the cascade;
/// 2. `want` = the policy's release (the policy sees the inflow net of the
///    diversion), capped at the turbine limit, raised to the minimum release;
/// 3. `out = min(want, avail − diverted)`: never below dead storage;
/// 4. turbined = `min(out, turbine limit)`; any rest (a minimum release above the
///    turbine limit) is spilled;
/// 5. if the reservoir would overfill, the excess is turbined up to the limit and the
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
    let diversion = flow_to_volume_hm3(plant.diversion_m3s(month), hours)
        .min((start_hm3 - dead + inflow_hm3).max(0.0));
    // What the reservoir and the turbines see: the inflow less the diversion
    // (negative when the diversion draws on storage).
    let net_hm3 = inflow_hm3 - diversion;
    let state = PeriodState {
        month,
        hours,
        storage_start_hm3: start_hm3,
        inflow_m3s: volume_to_flow_m3s(net_hm3, hours),
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
    let available = (start_hm3 - dead + net_hm3).max(0.0);
    let out = want.min(available);
    let mut release = out.min(turbine_max);
    let mut spill = out - release;
    let mut end = if out >= available {
        dead
    } else {
        start_hm3 + net_hm3 - out
    };
    if end > full {
        let excess = end - full;
        let extra = excess.min(turbine_max - release);
        release += extra;
        spill += excess - extra;
        end = full;
    }
    Ok(row(
        plant,
        month,
        (start_hm3, end),
        inflow_hm3,
        (diversion, release, spill),
    ))
}

fn row(
    plant: &HydroPlant,
    month: Month,
    (start, end): (f64, f64),
    inflow: f64,
    (diversion, release, spill): (f64, f64, f64),
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
        diversion_m3s: volume_to_flow_m3s(diversion, hours),
        inflow_hm3: inflow,
        release_hm3: release,
        spill_hm3: spill,
        diversion_hm3: diversion,
        head_m,
        energy_mwh,
        mean_power_mw: energy_mwh / hours,
    }
}
