//! Release policies: how much water a plant wants to release in a month.
//!
//! ```
//! use landlinked::hydro::{Cascade, HeadModel, HydroPlant, LateralInflow, Reservoir, RuleCurve};
//! let r = Reservoir { useful_hm3: 1000.0, dead_hm3: 100.0, initial_hm3: 100.0,
//!                     head: HeadModel::Fixed { head_m: 100.0 } };
//! let c = Cascade::new(vec![HydroPlant::with_reservoir("A", 1, 500.0, 0.9, r)])?;
//! // Fill through summer, draw down in winter (fractions of the useful storage).
//! let fill = vec![0.1, 0.1, 0.1, 0.2, 0.4, 0.6, 0.8, 0.9, 0.9, 0.7, 0.4, 0.2];
//! let out = c.simulate(&[LateralInflow::new("A", vec![200.0; 12])], &RuleCurve::new().with_fraction("A", fill))?;
//! assert!((out.rows[6].storage_end_hm3 - 900.0).abs() < 1e-9); // July: 100 + 0.8 · 1000
//! assert!(out.rows[11].release_m3s > 200.0); // December releases more than its inflow
//! # Ok::<(), landlinked::hydro::HydroError>(())
//! ```

use serde::{Deserialize, Serialize};

use super::cascade::monthly_series;
use super::units::{flow_to_volume_hm3, volume_to_flow_m3s};
use super::{Cascade, HydroError, HydroPlant};
use crate::calendar::Month;

/// What a policy knows when it decides a plant's release for one month.
///
/// ```
/// use landlinked::hydro::PeriodState;
/// use landlinked::calendar::Month;
/// let s = PeriodState { month: Month::Jan, hours: 744.0, storage_start_hm3: 600.0, inflow_m3s: 100.0 };
/// assert_eq!(s.hours, Month::Jan.hours());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct PeriodState {
    /// The month being decided.
    pub month: Month,
    /// Its duration, h.
    pub hours: f64,
    /// Total storage at the start of the month, hm³ (0 for run-of-river).
    pub storage_start_hm3: f64,
    /// Inflow of the month (lateral + upstream outflow) less the plant's diversion,
    /// mean m³/s; negative when the diversion draws on storage.
    pub inflow_m3s: f64,
}

/// Decides the desired release of a plant for a month.
///
/// The simulator then applies the physics, whatever the policy asks: the release is
/// capped by the turbine limit (unless needed for the environmental minimum), raised to
/// the minimum release, limited to the water above dead storage, and water that would
/// overfill the reservoir is turbined up to the limit and the rest spilled. A policy
/// therefore cannot break the water balance; it only chooses within the bounds.
///
/// ```
/// use landlinked::hydro::{HydroPlant, PeriodState, ReleasePolicy};
/// /// Always ask for a fixed flow.
/// struct Constant(f64);
/// impl ReleasePolicy for Constant {
///     fn release_m3s(&self, _plant: &HydroPlant, _state: &PeriodState) -> f64 { self.0 }
/// }
/// let p = HydroPlant::run_of_river("A", 1, 10.0, 0.9, 10.0);
/// let s = PeriodState { month: landlinked::calendar::Month::Jan, hours: 744.0,
///                       storage_start_hm3: 0.0, inflow_m3s: 5.0 };
/// assert_eq!(Constant(3.0).release_m3s(&p, &s), 3.0);
/// ```
pub trait ReleasePolicy {
    /// Desired mean release (turbined + spilled) of `plant` over the month, m³/s.
    /// Negative values count as zero; NaN or infinity stop the simulation with
    /// [`HydroError::PolicyNotFinite`].
    fn release_m3s(&self, plant: &HydroPlant, state: &PeriodState) -> f64;

    /// Checks the policy against the cascade before a simulation (plant names, series
    /// lengths). The default accepts everything.
    ///
    /// ```
    /// use landlinked::hydro::{Cascade, HydroPlant, PeriodState, ReleasePolicy};
    /// struct Zero;
    /// impl ReleasePolicy for Zero {
    ///     fn release_m3s(&self, _: &HydroPlant, _: &PeriodState) -> f64 { 0.0 }
    /// }
    /// let c = Cascade::new(vec![HydroPlant::run_of_river("A", 1, 10.0, 0.9, 10.0)])?;
    /// assert!(Zero.validate(&c).is_ok());
    /// # Ok::<(), landlinked::hydro::HydroError>(())
    /// ```
    fn validate(&self, cascade: &Cascade) -> Result<(), HydroError> {
        let _ = cascade;
        Ok(())
    }
}

/// End-of-month storage targets for one plant, twelve values, January first.
///
/// ```
/// use landlinked::hydro::StorageTargets;
/// let t = StorageTargets::FractionOfUseful { end_of_month: vec![0.5; 12] };
/// assert!(matches!(t, StorageTargets::FractionOfUseful { .. }));
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum StorageTargets {
    /// Total storage (dead included) at the end of each month, hm³.
    StorageHm3 {
        /// Targets, hm³.
        end_of_month_hm3: Vec<f64>,
    },
    /// Fraction of the useful storage filled at the end of each month (0 = dead storage,
    /// 1 = full).
    FractionOfUseful {
        /// Targets, fractions in [0, 1].
        end_of_month: Vec<f64>,
    },
}

/// A rule curve for one plant.
///
/// ```
/// use landlinked::hydro::{PlantRuleCurve, StorageTargets};
/// let c = PlantRuleCurve { plant: "Nurek".into(),
///     targets: StorageTargets::FractionOfUseful { end_of_month: vec![1.0; 12] } };
/// assert_eq!(c.plant, "Nurek");
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlantRuleCurve {
    /// Plant name.
    pub plant: String,
    /// Its end-of-month targets.
    pub targets: StorageTargets,
}

/// The default policy: release whatever brings the reservoir to its end-of-month
/// target, `release = (storage_start + inflow_volume − target) / duration`.
///
/// Plants without a curve (run-of-river plants, usually) pass their inflow through:
/// their target is their start storage. The simulator's limits apply on top, so a
/// target out of reach (a dry month, a turbine limit) is simply missed.
///
/// ```
/// use landlinked::hydro::{Cascade, HeadModel, HydroPlant, LateralInflow, Reservoir, RuleCurve};
/// let r = Reservoir { useful_hm3: 1000.0, dead_hm3: 100.0, initial_hm3: 600.0,
///                     head: HeadModel::Fixed { head_m: 100.0 } };
/// let c = Cascade::new(vec![HydroPlant::with_reservoir("A", 1, 500.0, 0.9, r)])?;
/// // Hold the reservoir at half full all year.
/// let rule = RuleCurve::new().with_fraction("A", vec![0.5; 12]);
/// let out = c.simulate(&[LateralInflow::new("A", vec![100.0; 12])], &rule)?;
/// assert!(out.rows.iter().all(|r| (r.storage_end_hm3 - 600.0).abs() < 1e-9));
/// # Ok::<(), landlinked::hydro::HydroError>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RuleCurve {
    /// One curve per regulated plant.
    pub curves: Vec<PlantRuleCurve>,
}

impl RuleCurve {
    /// A rule curve with no targets: every plant passes its inflow through.
    ///
    /// ```
    /// assert!(landlinked::hydro::RuleCurve::new().curves.is_empty());
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds end-of-month targets for `plant` as total storage in hm³.
    ///
    /// ```
    /// let rule = landlinked::hydro::RuleCurve::new().with_storage_hm3("A", vec![600.0; 12]);
    /// assert_eq!(rule.curves.len(), 1);
    /// ```
    pub fn with_storage_hm3(mut self, plant: &str, end_of_month_hm3: Vec<f64>) -> Self {
        self.curves.push(PlantRuleCurve {
            plant: plant.to_string(),
            targets: StorageTargets::StorageHm3 { end_of_month_hm3 },
        });
        self
    }

    /// Adds end-of-month targets for `plant` as fractions of its useful storage.
    ///
    /// ```
    /// let rule = landlinked::hydro::RuleCurve::new().with_fraction("A", vec![0.5; 12]);
    /// assert_eq!(rule.curves[0].plant, "A");
    /// ```
    pub fn with_fraction(mut self, plant: &str, end_of_month: Vec<f64>) -> Self {
        self.curves.push(PlantRuleCurve {
            plant: plant.to_string(),
            targets: StorageTargets::FractionOfUseful { end_of_month },
        });
        self
    }

    /// Target total storage (hm³) of `plant` at the end of `month`, clamped to the
    /// reservoir bounds; `None` when the plant has no curve.
    ///
    /// ```
    /// use landlinked::hydro::{HeadModel, HydroPlant, Reservoir, RuleCurve};
    /// use landlinked::calendar::Month;
    /// let r = Reservoir { useful_hm3: 1000.0, dead_hm3: 100.0, initial_hm3: 600.0,
    ///                     head: HeadModel::Fixed { head_m: 100.0 } };
    /// let p = HydroPlant::with_reservoir("A", 1, 500.0, 0.9, r);
    /// let rule = RuleCurve::new().with_fraction("A", vec![0.25; 12]);
    /// assert_eq!(rule.target_hm3(&p, Month::Mar), Some(350.0));
    /// ```
    pub fn target_hm3(&self, plant: &HydroPlant, month: Month) -> Option<f64> {
        let curve = self.curves.iter().find(|c| c.plant == plant.name)?;
        let m = month.index();
        let target = match &curve.targets {
            StorageTargets::StorageHm3 { end_of_month_hm3 } => *end_of_month_hm3.get(m)?,
            StorageTargets::FractionOfUseful { end_of_month } => {
                let fraction = *end_of_month.get(m)?;
                plant
                    .reservoir()
                    .map_or(0.0, |r| r.storage_at_fraction_hm3(fraction))
            }
        };
        Some(target.clamp(plant.dead_hm3(), plant.capacity_hm3()))
    }

    fn validate_curve(&self, cascade: &Cascade, curve: &PlantRuleCurve) -> Result<(), HydroError> {
        let plant = cascade
            .plant(&curve.plant)
            .ok_or_else(|| HydroError::UnknownPlant {
                plant: curve.plant.clone(),
                field: "rule_curve.plant",
                unknown: curve.plant.clone(),
            })?;
        let name = curve.plant.as_str();
        let (field, values, lo, hi, expected) = match &curve.targets {
            StorageTargets::StorageHm3 { end_of_month_hm3 } => (
                "rule_curve.end_of_month_hm3",
                end_of_month_hm3,
                plant.dead_hm3(),
                plant.capacity_hm3(),
                "between dead and full storage",
            ),
            StorageTargets::FractionOfUseful { end_of_month } => (
                "rule_curve.end_of_month",
                end_of_month,
                0.0,
                1.0,
                "a fraction in [0, 1]",
            ),
        };
        for value in monthly_series(name, field, values)? {
            if value < lo || value > hi {
                return Err(HydroError::OutOfRange {
                    plant: name.to_string(),
                    field,
                    value,
                    expected,
                });
            }
        }
        Ok(())
    }
}

impl ReleasePolicy for RuleCurve {
    fn release_m3s(&self, plant: &HydroPlant, state: &PeriodState) -> f64 {
        let target = self
            .target_hm3(plant, state.month)
            .unwrap_or(state.storage_start_hm3);
        let inflow_hm3 = flow_to_volume_hm3(state.inflow_m3s, state.hours);
        let release_hm3 = state.storage_start_hm3 + inflow_hm3 - target;
        volume_to_flow_m3s(release_hm3.max(0.0), state.hours)
    }

    fn validate(&self, cascade: &Cascade) -> Result<(), HydroError> {
        for (i, curve) in self.curves.iter().enumerate() {
            if self.curves[..i].iter().any(|c| c.plant == curve.plant) {
                return Err(HydroError::Duplicate {
                    plant: curve.plant.clone(),
                    field: "rule_curve",
                });
            }
            self.validate_curve(cascade, curve)?;
        }
        Ok(())
    }
}
