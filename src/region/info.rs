//! Descriptions of a regional grid's buses, plants and loads: what each
//! element is, where it is and which country it belongs to, beside the
//! network data the DC power flow reads.
//!
//! ```
//! use landlinked::region::{PlantInfo, PlantType};
//! let p = PlantInfo { name: "Dushanbe-2".into(), kind: PlantType::Thermal, bus: 1,
//!     country: "TJ".into(), installed_mw: 400.0, available_mw: 400.0,
//!     capacity_factor: Some([0.5; 12]), dispatch_mw: 0.0 };
//! assert_eq!(p.monthly_energy_gwh(0), 400.0 * 0.5 * 744.0 / 1000.0);
//! ```

use serde::{Deserialize, Serialize};

use crate::calendar::MONTH_HOURS;

/// The largest plant a grid may hold, MW: above the largest ever built
/// (Three Gorges, 22,500 MW), so a bigger figure is a unit or typing error.
/// A neighbouring system's [`PlantType::Equivalent`] stands for many plants
/// and is exempt, and so is a MATPOWER case's [`PlantType::Balancing`]
/// generator (a case's capacity figure may be an equivalent's or a
/// placeholder, and the study does not limit it).
///
/// ```
/// assert!(landlinked::region::MAX_PLANT_MW > 22_500.0);
/// ```
pub const MAX_PLANT_MW: f64 = 25_000.0;

/// What a plant is, and so how the study obtains its energy.
///
/// ```
/// use landlinked::region::PlantType;
/// let t: PlantType = serde_json::from_str("\"small_hydro\"").unwrap();
/// assert_eq!(t, PlantType::SmallHydro);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlantType {
    /// Simulated in the hydro cascade (needs `efficiency` and a head or reservoir).
    Hydro,
    /// Thermal plant with monthly capacity factors.
    Thermal,
    /// Small hydro with monthly capacity factors (not simulated).
    SmallHydro,
    /// A neighbouring system's equivalent generator (import/export source).
    Equivalent,
    /// A generator that keeps the rest of the system balanced: a MATPOWER
    /// case's generator in a grid built on a case (`[base]` in the grid
    /// file). Its `dispatch_mw` is its output in the case. In the hourly
    /// study, outside the exporter, the balancing plants together meet
    /// the hourly load of every other country (less those countries'
    /// other plants), each in proportion to its `dispatch_mw`, without
    /// limits; in the exporter it runs flat at `dispatch_mw`, as a thermal
    /// plant would at that output.
    Balancing,
}

/// A bus's descriptive data, alongside the network bus of the same position.
///
/// ```
/// use landlinked::region::BusInfo;
/// let b = BusInfo { id: 1, name: "A".into(), country: "TJ".into(), zone: "Z".into(),
///                   kv: 500.0, lat: None, lon: None, dc: false };
/// assert_eq!(b.country, "TJ");
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BusInfo {
    /// Bus number.
    pub id: u64,
    /// Short name.
    pub name: String,
    /// Country code.
    pub country: String,
    /// Zone.
    pub zone: String,
    /// Nominal voltage, kV.
    pub kv: f64,
    /// Latitude, degrees north.
    pub lat: Option<f64>,
    /// Longitude, degrees east.
    pub lon: Option<f64>,
    /// A DC bus (isolated in the AC network).
    pub dc: bool,
}

/// A plant of a regional grid: what it is, where, and its capacity.
///
/// The plant is the one owner of its capacity: the network generator of
/// the same position (`network().generators[i]` for `plants()[i]`) and, for
/// a hydro plant, the cascade's plant take theirs from it, and
/// [`RegionalGrid::set_plant_capacity`](super::RegionalGrid::set_plant_capacity)
/// changes all of them together.
///
/// ```
/// use landlinked::region::{PlantInfo, PlantType};
/// let p = PlantInfo { name: "x".into(), kind: PlantType::Equivalent, bus: 1,
///     country: "UZ".into(), installed_mw: 1.0, available_mw: 1.0,
///     capacity_factor: None, dispatch_mw: 0.0 };
/// assert_eq!(p.monthly_energy_gwh(3), 0.0);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlantInfo {
    /// Name.
    pub name: String,
    /// Type.
    pub kind: PlantType,
    /// Bus number.
    pub bus: u64,
    /// Country of its bus.
    pub country: String,
    /// Nameplate capacity, MW.
    pub installed_mw: f64,
    /// Available capacity, MW (at most `installed_mw`).
    pub available_mw: f64,
    /// Monthly capacity factors (thermal and small hydro).
    pub capacity_factor: Option<[f64; 12]>,
    /// Base-network output, MW (equivalents; 0 otherwise).
    pub dispatch_mw: f64,
}

impl PlantInfo {
    /// Energy of month `m` (0 = January) from its capacity factors, GWh
    /// (a balancing plant: `dispatch_mw` in every hour); 0 for plants
    /// without them (hydro comes from the cascade simulation).
    ///
    /// ```
    /// # use landlinked::region::{PlantInfo, PlantType};
    /// let p = PlantInfo { name: "T".into(), kind: PlantType::Thermal, bus: 1,
    ///     country: "TJ".into(), installed_mw: 100.0, available_mw: 100.0,
    ///     capacity_factor: Some([1.0; 12]), dispatch_mw: 0.0 };
    /// assert_eq!(p.monthly_energy_gwh(1), 67.2); // February: 672 h
    /// let b = PlantInfo { kind: PlantType::Balancing, capacity_factor: None, dispatch_mw: 50.0, ..p };
    /// assert_eq!(b.monthly_energy_gwh(1), 33.6);
    /// ```
    pub fn monthly_energy_gwh(&self, m: usize) -> f64 {
        let hours = MONTH_HOURS.get(m).copied().unwrap_or(0.0);
        if self.kind == PlantType::Balancing {
            return self.dispatch_mw * hours / 1000.0;
        }
        let cf = self.capacity_factor.and_then(|c| c.get(m).copied());
        cf.map_or(0.0, |cf| self.available_mw * cf * hours / 1000.0)
    }
}

/// A load's name and country (alongside `demand().loads()`, same order).
///
/// ```
/// let l = landlinked::region::LoadInfo { name: "TALCO".into(), country: "TJ".into() };
/// assert_eq!(l.name, "TALCO");
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LoadInfo {
    /// Name.
    pub name: String,
    /// Country of its buses.
    pub country: String,
}
