//! Plant and reservoir data: plain serde records plus their validation.
//!
//! ```
//! use landlinked::hydro::{HeadModel, HeadPoint, HydroError, HydroPlant, Reservoir};
//! let head = HeadModel::Curve { points: vec![HeadPoint { storage_hm3: 100.0, head_m: 80.0 },
//!                                           HeadPoint { storage_hm3: 1100.0, head_m: 120.0 }] };
//! let r = Reservoir { useful_hm3: 1000.0, dead_hm3: 100.0, initial_hm3: 600.0, head };
//! let p = HydroPlant::with_reservoir("Upper", 1, 500.0, 0.9, r);
//! assert!(p.validate().is_ok());
//! assert_eq!(p.head_m(600.0), 100.0); // halfway up the curve
//! assert!((p.max_discharge_m3s() - 471.9).abs() < 0.1); // 500e6 / (1000 · 9.81 · 0.9 · 120), at full head
//! let bad = HydroPlant::run_of_river("X", 2, 100.0, 1.2, 20.0); // η above 1
//! assert!(matches!(bad.validate(), Err(HydroError::OutOfRange { field: "conversion.efficiency", .. })));
//! ```

use serde::{Deserialize, Serialize};

use super::HydroError;
use super::cascade::monthly_series;
use super::units::{energy_coefficient_mwh_per_hm3, flow_to_volume_hm3};

/// One point of a storage→head curve.
///
/// ```
/// use landlinked::hydro::HeadPoint;
/// let p = HeadPoint { storage_hm3: 6000.0, head_m: 200.0 };
/// assert_eq!(p.head_m, 200.0);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct HeadPoint {
    /// Total storage (dead included), hm³.
    pub storage_hm3: f64,
    /// Gross head at that storage, m.
    pub head_m: f64,
}

/// How the head of a reservoir plant depends on its storage.
///
/// The head is the gross head of the plant (forebay level minus tailwater level); the
/// tailwater is taken as fixed, so a downstream reservoir's level does not change it.
///
/// ```
/// use landlinked::hydro::{HeadModel, HeadPoint};
/// let fixed = HeadModel::Fixed { head_m: 100.0 };
/// let curve = HeadModel::Curve { points: vec![
///     HeadPoint { storage_hm3: 100.0, head_m: 50.0 },
///     HeadPoint { storage_hm3: 1100.0, head_m: 150.0 },
/// ] };
/// assert_eq!(fixed.head_m(5.0), 100.0);
/// assert_eq!(curve.head_m(600.0), 100.0);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum HeadModel {
    /// The same head at every storage, m.
    Fixed {
        /// Gross head, m.
        head_m: f64,
    },
    /// Piecewise-linear head against total storage. Storages strictly increasing,
    /// heads non-decreasing; the curve must span dead to full storage.
    Curve {
        /// Curve points, in increasing storage.
        points: Vec<HeadPoint>,
    },
}

impl HeadModel {
    /// Head in m at a total storage in hm³; linear between curve points, held at the
    /// end values outside the curve.
    ///
    /// ```
    /// use landlinked::hydro::{HeadModel, HeadPoint};
    /// let curve = HeadModel::Curve { points: vec![
    ///     HeadPoint { storage_hm3: 0.0, head_m: 10.0 },
    ///     HeadPoint { storage_hm3: 10.0, head_m: 20.0 },
    /// ] };
    /// assert_eq!(curve.head_m(2.5), 12.5);
    /// assert_eq!(curve.head_m(99.0), 20.0);
    /// ```
    pub fn head_m(&self, storage_hm3: f64) -> f64 {
        match self {
            HeadModel::Fixed { head_m } => *head_m,
            HeadModel::Curve { points } => interpolate(points, storage_hm3),
        }
    }
}

/// Piecewise-linear interpolation, clamped at both ends. `points` is non-empty and
/// sorted by storage (checked by validation; an empty curve gives 0).
fn interpolate(points: &[HeadPoint], storage_hm3: f64) -> f64 {
    let (Some(first), Some(last)) = (points.first(), points.last()) else {
        return 0.0;
    };
    if storage_hm3 <= first.storage_hm3 {
        return first.head_m;
    }
    if storage_hm3 >= last.storage_hm3 {
        return last.head_m;
    }
    // Find the segment [a, b] with a.storage < s <= b.storage.
    let i = points.partition_point(|p| p.storage_hm3 < storage_hm3);
    let (a, b) = (points[i - 1], points[i]);
    let t = (storage_hm3 - a.storage_hm3) / (b.storage_hm3 - a.storage_hm3);
    a.head_m + t * (b.head_m - a.head_m)
}

/// A storage reservoir. Storage is counted in total (dead storage included), so its
/// bounds are `[dead_hm3, dead_hm3 + useful_hm3]`.
///
/// ```
/// use landlinked::hydro::{HeadModel, Reservoir};
/// let r = Reservoir { useful_hm3: 4500.0, dead_hm3: 6000.0, initial_hm3: 8000.0,
///                     head: HeadModel::Fixed { head_m: 230.0 } };
/// assert_eq!(r.capacity_hm3(), 10500.0);
/// assert_eq!(r.storage_at_fraction_hm3(0.5), 8250.0);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reservoir {
    /// Useful (active) storage between minimum and maximum operating level, hm³.
    pub useful_hm3: f64,
    /// Dead storage below the lowest intake, hm³; never released.
    pub dead_hm3: f64,
    /// Total storage at the start of the simulation (dead included), hm³.
    pub initial_hm3: f64,
    /// Head as a function of storage.
    pub head: HeadModel,
}

impl Reservoir {
    /// Full storage: dead + useful, hm³.
    ///
    /// ```
    /// use landlinked::hydro::{HeadModel, Reservoir};
    /// let r = Reservoir { useful_hm3: 10.0, dead_hm3: 5.0, initial_hm3: 5.0,
    ///                     head: HeadModel::Fixed { head_m: 30.0 } };
    /// assert_eq!(r.capacity_hm3(), 15.0);
    /// ```
    pub fn capacity_hm3(&self) -> f64 {
        self.dead_hm3 + self.useful_hm3
    }

    /// Total storage (hm³) when a fraction `fraction` of the useful storage is filled:
    /// `dead + fraction · useful`.
    ///
    /// ```
    /// use landlinked::hydro::{HeadModel, Reservoir};
    /// let r = Reservoir { useful_hm3: 10.0, dead_hm3: 5.0, initial_hm3: 5.0,
    ///                     head: HeadModel::Fixed { head_m: 30.0 } };
    /// assert_eq!(r.storage_at_fraction_hm3(0.2), 7.0);
    /// ```
    pub fn storage_at_fraction_hm3(&self, fraction: f64) -> f64 {
        self.dead_hm3 + fraction * self.useful_hm3
    }

    fn validate(&self, plant: &str) -> Result<(), HydroError> {
        non_negative(plant, "reservoir.useful_hm3", self.useful_hm3)?;
        non_negative(plant, "reservoir.dead_hm3", self.dead_hm3)?;
        non_negative(plant, "reservoir.initial_hm3", self.initial_hm3)?;
        if self.initial_hm3 > self.capacity_hm3() {
            return Err(HydroError::InitialStorageAboveCapacity {
                plant: plant.to_string(),
                initial_hm3: self.initial_hm3,
                capacity_hm3: self.capacity_hm3(),
            });
        }
        if self.initial_hm3 < self.dead_hm3 {
            return Err(HydroError::InitialStorageBelowDead {
                plant: plant.to_string(),
                initial_hm3: self.initial_hm3,
                dead_hm3: self.dead_hm3,
            });
        }
        match &self.head {
            HeadModel::Fixed { head_m } => positive(plant, "reservoir.head.head_m", *head_m),
            HeadModel::Curve { points } => self.validate_curve(plant, points),
        }
    }

    fn validate_curve(&self, plant: &str, points: &[HeadPoint]) -> Result<(), HydroError> {
        if points.len() < 2 {
            return Err(HydroError::WrongLength {
                plant: plant.to_string(),
                field: "reservoir.head.points",
                expected: 2,
                found: points.len(),
            });
        }
        for p in points {
            non_negative(plant, "reservoir.head.points.storage_hm3", p.storage_hm3)?;
            non_negative(plant, "reservoir.head.points.head_m", p.head_m)?;
        }
        let bad = |reason: String| HydroError::InvalidHeadCurve {
            plant: plant.to_string(),
            reason,
        };
        for (i, w) in points.windows(2).enumerate() {
            if w[1].storage_hm3 <= w[0].storage_hm3 {
                return Err(bad(format!(
                    "storage not strictly increasing at point {}",
                    i + 1
                )));
            }
            if w[1].head_m < w[0].head_m {
                return Err(bad(format!("head decreases at point {}", i + 1)));
            }
        }
        let (first, last) = (points[0], points[points.len() - 1]);
        if first.storage_hm3 > self.dead_hm3 || last.storage_hm3 < self.capacity_hm3() {
            return Err(bad(format!(
                "covers {}..{} hm3 but must span dead {} to full {} hm3",
                first.storage_hm3,
                last.storage_hm3,
                self.dead_hm3,
                self.capacity_hm3()
            )));
        }
        positive(
            plant,
            "reservoir.head (at full storage)",
            self.head.head_m(self.capacity_hm3()),
        )
    }
}

/// Run-of-river or storage plant.
///
/// ```
/// use landlinked::hydro::PlantKind;
/// let k = PlantKind::RunOfRiver { head_m: 22.0 };
/// assert!(matches!(k, PlantKind::RunOfRiver { .. }));
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum PlantKind {
    /// No storage: everything that arrives in a month leaves in that month.
    RunOfRiver {
        /// Gross head, m.
        head_m: f64,
    },
    /// A plant with a regulating reservoir.
    Reservoir(Reservoir),
}

/// How turbined water becomes energy.
///
/// ```
/// use landlinked::hydro::Conversion;
/// let c = Conversion::Efficiency { efficiency: 0.9 };
/// assert_eq!(c.mwh_per_hm3(100.0), 245.25);
/// let k = Conversion::Coefficient { mwh_per_hm3: 560.0 };
/// assert_eq!(k.mwh_per_hm3(100.0), 560.0);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Conversion {
    /// Overall efficiency (turbine × generator, 0 < η ≤ 1) applied to the head of the
    /// month: `k = ρ g η H / 3600` MWh/hm³.
    Efficiency {
        /// Overall efficiency, dimensionless.
        efficiency: f64,
    },
    /// A fixed energy coefficient that ignores head changes.
    Coefficient {
        /// Energy per turbined volume, MWh/hm³.
        mwh_per_hm3: f64,
    },
}

impl Conversion {
    /// Energy coefficient in MWh/hm³ at a head in m.
    ///
    /// ```
    /// use landlinked::hydro::Conversion;
    /// assert_eq!(Conversion::Efficiency { efficiency: 0.9 }.mwh_per_hm3(20.0), 49.05);
    /// ```
    pub fn mwh_per_hm3(&self, head_m: f64) -> f64 {
        match *self {
            Conversion::Efficiency { efficiency } => {
                energy_coefficient_mwh_per_hm3(efficiency, head_m)
            }
            Conversion::Coefficient { mwh_per_hm3 } => mwh_per_hm3,
        }
    }
}

/// A hydropower plant: where it connects, how big it is, how it converts water, and
/// which plant receives its outflow.
///
/// ```
/// use landlinked::hydro::HydroPlant;
/// let p = HydroPlant::run_of_river("Sangtuda-2", 21, 220.0, 0.9, 22.0)
///     .with_min_release_m3s(50.0);
/// assert!(p.validate().is_ok());
/// // Derived turbine limit: 220e6 / (1000 · 9.81 · 0.9 · 22) ≈ 1132.6 m³/s
/// assert!((p.max_discharge_m3s() - 1132.6).abs() < 0.1);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HydroPlant {
    /// Unique name within its cascade.
    pub name: String,
    /// Bus number (MATPOWER-style external id) of the connection point.
    pub bus: u64,
    /// Installed electrical capacity, MW.
    pub installed_mw: f64,
    /// Number of generating units (informative).
    #[serde(default)]
    pub units: u32,
    /// Water-to-energy conversion.
    pub conversion: Conversion,
    /// Minimum environmental release (turbined + spilled), m³/s, honoured while water
    /// above dead storage remains.
    #[serde(default)]
    pub min_release_m3s: f64,
    /// Maximum turbine discharge, m³/s. When absent it is derived from the installed
    /// capacity at the maximum head; see [`HydroPlant::max_discharge_m3s`].
    #[serde(default)]
    pub max_discharge_m3s: Option<f64>,
    /// Water withdrawn at the plant before its turbines and leaving the cascade (an
    /// irrigation canal taking off at the dam), mean m³/s of each month, January first;
    /// empty for none. Taken first, while water above dead storage lasts; see
    /// [`HydroPlant::diversion_m3s`].
    #[serde(default)]
    pub diversion_m3s: Vec<f64>,
    /// Run-of-river or reservoir.
    pub kind: PlantKind,
    /// Name of the plant that receives this plant's outflow, if any.
    #[serde(default)]
    pub downstream: Option<String>,
}

impl HydroPlant {
    /// A run-of-river plant with efficiency `efficiency` and a fixed head.
    ///
    /// ```
    /// use landlinked::hydro::HydroPlant;
    /// let p = HydroPlant::run_of_river("Golovnaya", 30, 240.0, 0.88, 31.0);
    /// assert_eq!(p.head_m(0.0), 31.0);
    /// ```
    pub fn run_of_river(
        name: &str,
        bus: u64,
        installed_mw: f64,
        efficiency: f64,
        head_m: f64,
    ) -> Self {
        Self::new(
            name,
            bus,
            installed_mw,
            efficiency,
            PlantKind::RunOfRiver { head_m },
        )
    }

    /// A storage plant with efficiency `efficiency` and reservoir `reservoir`.
    ///
    /// ```
    /// use landlinked::hydro::{HeadModel, HydroPlant, Reservoir};
    /// let r = Reservoir { useful_hm3: 4500.0, dead_hm3: 6000.0, initial_hm3: 10500.0,
    ///                     head: HeadModel::Fixed { head_m: 230.0 } };
    /// let p = HydroPlant::with_reservoir("Nurek", 10, 3000.0, 0.9, r);
    /// assert_eq!(p.capacity_hm3(), 10500.0);
    /// ```
    pub fn with_reservoir(
        name: &str,
        bus: u64,
        installed_mw: f64,
        efficiency: f64,
        reservoir: Reservoir,
    ) -> Self {
        Self::new(
            name,
            bus,
            installed_mw,
            efficiency,
            PlantKind::Reservoir(reservoir),
        )
    }

    fn new(name: &str, bus: u64, installed_mw: f64, efficiency: f64, kind: PlantKind) -> Self {
        HydroPlant {
            name: name.to_string(),
            bus,
            installed_mw,
            units: 0,
            conversion: Conversion::Efficiency { efficiency },
            min_release_m3s: 0.0,
            max_discharge_m3s: None,
            diversion_m3s: Vec::new(),
            kind,
            downstream: None,
        }
    }

    /// Sets the plant receiving this plant's outflow.
    ///
    /// ```
    /// use landlinked::hydro::HydroPlant;
    /// let p = HydroPlant::run_of_river("A", 1, 10.0, 0.9, 10.0).with_downstream("B");
    /// assert_eq!(p.downstream.as_deref(), Some("B"));
    /// ```
    pub fn with_downstream(mut self, downstream: &str) -> Self {
        self.downstream = Some(downstream.to_string());
        self
    }

    /// Sets the minimum environmental release, m³/s.
    ///
    /// ```
    /// use landlinked::hydro::HydroPlant;
    /// let p = HydroPlant::run_of_river("A", 1, 10.0, 0.9, 10.0).with_min_release_m3s(5.0);
    /// assert_eq!(p.min_release_m3s, 5.0);
    /// ```
    pub fn with_min_release_m3s(mut self, min_release_m3s: f64) -> Self {
        self.min_release_m3s = min_release_m3s;
        self
    }

    /// Sets the maximum turbine discharge, m³/s, instead of deriving it.
    ///
    /// ```
    /// use landlinked::hydro::HydroPlant;
    /// let p = HydroPlant::run_of_river("A", 1, 10.0, 0.9, 10.0).with_max_discharge_m3s(80.0);
    /// assert_eq!(p.max_discharge_m3s(), 80.0);
    /// ```
    pub fn with_max_discharge_m3s(mut self, max_discharge_m3s: f64) -> Self {
        self.max_discharge_m3s = Some(max_discharge_m3s);
        self
    }

    /// Sets the monthly diversion, m³/s (twelve values, January first): water that leaves
    /// the cascade at this plant before its turbines, such as an irrigation canal.
    ///
    /// ```
    /// use landlinked::hydro::HydroPlant;
    /// use landlinked::calendar::Month;
    /// let p = HydroPlant::run_of_river("A", 1, 10.0, 0.9, 10.0)
    ///     .with_diversion_m3s(vec![5.0; 12]);
    /// assert_eq!(p.diversion_m3s(Month::Jul), 5.0);
    /// ```
    pub fn with_diversion_m3s(mut self, diversion_m3s: Vec<f64>) -> Self {
        self.diversion_m3s = diversion_m3s;
        self
    }

    /// The diversion asked for in `month`, m³/s (0 without a diversion). The
    /// simulation takes it before the release, and only while water above dead
    /// storage lasts, so the diverted flow can be less in a dry month.
    ///
    /// ```
    /// use landlinked::hydro::HydroPlant;
    /// use landlinked::calendar::Month;
    /// assert_eq!(HydroPlant::run_of_river("A", 1, 10.0, 0.9, 10.0).diversion_m3s(Month::Jan), 0.0);
    /// ```
    pub fn diversion_m3s(&self, month: crate::calendar::Month) -> f64 {
        self.diversion_m3s
            .get(month.index())
            .copied()
            .unwrap_or(0.0)
    }

    /// Replaces the conversion (for example by a fixed energy coefficient).
    ///
    /// ```
    /// use landlinked::hydro::{Conversion, HydroPlant};
    /// let p = HydroPlant::run_of_river("A", 1, 10.0, 0.9, 10.0)
    ///     .with_conversion(Conversion::Coefficient { mwh_per_hm3: 25.0 });
    /// assert_eq!(p.energy_coefficient_mwh_per_hm3(10.0), 25.0);
    /// ```
    pub fn with_conversion(mut self, conversion: Conversion) -> Self {
        self.conversion = conversion;
        self
    }

    /// The reservoir, or `None` for a run-of-river plant.
    ///
    /// ```
    /// use landlinked::hydro::HydroPlant;
    /// assert!(HydroPlant::run_of_river("A", 1, 10.0, 0.9, 10.0).reservoir().is_none());
    /// ```
    pub fn reservoir(&self) -> Option<&Reservoir> {
        match &self.kind {
            PlantKind::Reservoir(r) => Some(r),
            PlantKind::RunOfRiver { .. } => None,
        }
    }

    /// Lowest allowed storage (the dead storage), hm³; 0 for run-of-river.
    ///
    /// ```
    /// use landlinked::hydro::HydroPlant;
    /// assert_eq!(HydroPlant::run_of_river("A", 1, 10.0, 0.9, 10.0).dead_hm3(), 0.0);
    /// ```
    pub fn dead_hm3(&self) -> f64 {
        self.reservoir().map_or(0.0, |r| r.dead_hm3)
    }

    /// Highest allowed storage (dead + useful), hm³; 0 for run-of-river.
    ///
    /// ```
    /// use landlinked::hydro::HydroPlant;
    /// assert_eq!(HydroPlant::run_of_river("A", 1, 10.0, 0.9, 10.0).capacity_hm3(), 0.0);
    /// ```
    pub fn capacity_hm3(&self) -> f64 {
        self.reservoir().map_or(0.0, Reservoir::capacity_hm3)
    }

    /// Storage at the start of the simulation, hm³; 0 for run-of-river.
    ///
    /// ```
    /// use landlinked::hydro::HydroPlant;
    /// assert_eq!(HydroPlant::run_of_river("A", 1, 10.0, 0.9, 10.0).initial_hm3(), 0.0);
    /// ```
    pub fn initial_hm3(&self) -> f64 {
        self.reservoir().map_or(0.0, |r| r.initial_hm3)
    }

    /// Gross head in m at total storage `storage_hm3` (ignored for run-of-river).
    ///
    /// ```
    /// use landlinked::hydro::HydroPlant;
    /// assert_eq!(HydroPlant::run_of_river("A", 1, 10.0, 0.9, 12.0).head_m(0.0), 12.0);
    /// ```
    pub fn head_m(&self, storage_hm3: f64) -> f64 {
        match &self.kind {
            PlantKind::RunOfRiver { head_m } => *head_m,
            PlantKind::Reservoir(r) => r.head.head_m(storage_hm3),
        }
    }

    /// Energy coefficient in MWh per hm³ turbined at head `head_m`.
    ///
    /// ```
    /// use landlinked::hydro::HydroPlant;
    /// let p = HydroPlant::run_of_river("A", 1, 10.0, 0.9, 100.0);
    /// assert_eq!(p.energy_coefficient_mwh_per_hm3(100.0), 245.25);
    /// ```
    pub fn energy_coefficient_mwh_per_hm3(&self, head_m: f64) -> f64 {
        self.conversion.mwh_per_hm3(head_m)
    }

    /// Maximum turbine discharge in m³/s: the given `max_discharge_m3s`, or else the flow
    /// that produces `installed_mw` at the head of a full reservoir,
    /// `Q = P / (0.0036 · k(H_full))` with `k` in MWh/hm³ (for an efficiency,
    /// `Q = P·10⁶ / (ρ g η H_full)`). Deriving at the highest head means the derived
    /// limit never lets the plant exceed its installed capacity.
    ///
    /// ```
    /// use landlinked::hydro::HydroPlant;
    /// // 200 MW, η = 0.9, H = 100 m: 200e6 / (1000 · 9.81 · 0.9 · 100) ≈ 226.53 m³/s
    /// let p = HydroPlant::run_of_river("A", 1, 200.0, 0.9, 100.0);
    /// assert!((p.max_discharge_m3s() - 226.526).abs() < 1e-3);
    /// ```
    pub fn max_discharge_m3s(&self) -> f64 {
        if let Some(q) = self.max_discharge_m3s {
            return q;
        }
        let k = self.energy_coefficient_mwh_per_hm3(self.head_m(self.capacity_hm3()));
        if k <= 0.0 {
            return 0.0;
        }
        // k · Q · 0.0036 [hm³ per hour at 1 m³/s] = P  (MWh per hour = MW)
        self.installed_mw / (k * flow_to_volume_hm3(1.0, 1.0))
    }

    /// Checks every figure for unit mistakes: negative or non-finite numbers, an
    /// efficiency outside (0, 1], a zero head, an initial storage outside the reservoir,
    /// a diversion that is not twelve monthly values.
    ///
    /// ```
    /// use landlinked::hydro::{HydroError, HydroPlant};
    /// let p = HydroPlant::run_of_river("A", 1, -5.0, 0.9, 10.0);
    /// assert!(matches!(p.validate(), Err(HydroError::Negative { field: "installed_mw", .. })));
    /// ```
    pub fn validate(&self) -> Result<(), HydroError> {
        let plant = self.name.as_str();
        non_negative(plant, "installed_mw", self.installed_mw)?;
        non_negative(plant, "min_release_m3s", self.min_release_m3s)?;
        if let Some(q) = self.max_discharge_m3s {
            non_negative(plant, "max_discharge_m3s", q)?;
        }
        if !self.diversion_m3s.is_empty() {
            monthly_series(plant, "diversion_m3s", &self.diversion_m3s)?;
        }
        match self.conversion {
            Conversion::Efficiency { efficiency } => {
                finite(plant, "conversion.efficiency", efficiency)?;
                if !(efficiency > 0.0 && efficiency <= 1.0) {
                    return Err(HydroError::OutOfRange {
                        plant: plant.to_string(),
                        field: "conversion.efficiency",
                        value: efficiency,
                        expected: "0 < efficiency <= 1",
                    });
                }
            }
            Conversion::Coefficient { mwh_per_hm3 } => {
                positive(plant, "conversion.mwh_per_hm3", mwh_per_hm3)?
            }
        }
        match &self.kind {
            PlantKind::RunOfRiver { head_m } => positive(plant, "kind.head_m", *head_m),
            PlantKind::Reservoir(r) => r.validate(plant),
        }
    }
}

pub(crate) fn finite(plant: &str, field: &'static str, value: f64) -> Result<(), HydroError> {
    if value.is_finite() {
        Ok(())
    } else {
        Err(HydroError::NotFinite {
            plant: plant.to_string(),
            field,
            value,
        })
    }
}

pub(crate) fn non_negative(plant: &str, field: &'static str, value: f64) -> Result<(), HydroError> {
    finite(plant, field, value)?;
    if value < 0.0 {
        return Err(HydroError::Negative {
            plant: plant.to_string(),
            field,
            value,
        });
    }
    Ok(())
}

fn positive(plant: &str, field: &'static str, value: f64) -> Result<(), HydroError> {
    non_negative(plant, field, value)?;
    if value == 0.0 {
        return Err(HydroError::OutOfRange {
            plant: plant.to_string(),
            field,
            value,
            expected: "a value above zero",
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pts(p: &[(f64, f64)]) -> Vec<HeadPoint> {
        p.iter()
            .map(|&(storage_hm3, head_m)| HeadPoint {
                storage_hm3,
                head_m,
            })
            .collect()
    }

    #[test]
    fn head_curve_interpolates_between_and_holds_outside() {
        let c = pts(&[(0.0, 10.0), (10.0, 30.0), (30.0, 40.0)]);
        assert_eq!(interpolate(&c, -1.0), 10.0);
        assert_eq!(interpolate(&c, 0.0), 10.0);
        assert_eq!(interpolate(&c, 5.0), 20.0);
        assert_eq!(interpolate(&c, 10.0), 30.0);
        assert_eq!(interpolate(&c, 20.0), 35.0);
        assert_eq!(interpolate(&c, 30.0), 40.0);
        assert_eq!(interpolate(&c, 99.0), 40.0);
        assert_eq!(interpolate(&[], 1.0), 0.0);
    }

    #[test]
    fn derived_discharge_uses_the_full_reservoir_head() {
        // Head 50 m empty to 150 m full: Q = 200e6 / (9810 · 0.9 · 150) = 151.02 m³/s.
        let r = Reservoir {
            useful_hm3: 1000.0,
            dead_hm3: 100.0,
            initial_hm3: 100.0,
            head: HeadModel::Curve {
                points: pts(&[(100.0, 50.0), (1100.0, 150.0)]),
            },
        };
        let p = HydroPlant::with_reservoir("A", 1, 200.0, 0.9, r);
        assert!((p.max_discharge_m3s() - 200e6 / (9810.0 * 0.9 * 150.0)).abs() < 1e-9);
        // A fixed coefficient: Q = P / (k · 0.0036) = 36 / (100 · 0.0036) = 100 m³/s.
        let p = HydroPlant::run_of_river("B", 1, 36.0, 0.9, 10.0)
            .with_conversion(Conversion::Coefficient { mwh_per_hm3: 100.0 });
        assert!((p.max_discharge_m3s() - 100.0).abs() < 1e-9);
    }
}
