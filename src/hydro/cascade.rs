//! Cascades: plants linked by their `downstream` field, validated and put in
//! upstream-to-downstream order.
//!
//! ```
//! use landlinked::hydro::{Cascade, HydroPlant, LateralInflow, RuleCurve};
//! let c = Cascade::new(vec![ // two tributaries join above "Low", given in any order
//!     HydroPlant::run_of_river("Low", 3, 300.0, 0.9, 20.0),
//!     HydroPlant::run_of_river("East", 2, 100.0, 0.9, 20.0).with_downstream("Low"),
//!     HydroPlant::run_of_river("West", 1, 100.0, 0.9, 20.0).with_downstream("Low"),
//! ])?;
//! assert_eq!(c.plants()[2].name, "Low"); // upstream first
//! let q = [LateralInflow::new("East", vec![30.0; 12]), LateralInflow::new("West", vec![20.0; 12])];
//! let out = c.simulate(&q, &RuleCurve::new())?;
//! assert!(out.plant_rows("Low").all(|r| (r.inflow_m3s - 50.0).abs() < 1e-9));
//! # Ok::<(), landlinked::hydro::HydroError>(())
//! ```

use serde::{Deserialize, Serialize};

use super::plant::non_negative;
use super::{HydroError, HydroPlant};

/// Monthly lateral inflow to one plant, m³/s: the natural inflow for the head plant of
/// a river, or the intermediate catchment between a plant and the plant above it.
/// Twelve values, January first.
///
/// ```
/// use landlinked::hydro::LateralInflow;
/// let q = LateralInflow::new("Nurek", vec![165.0, 160.0, 190.0, 330.0, 700.0, 1250.0,
///                                         1650.0, 1450.0, 850.0, 400.0, 260.0, 195.0]);
/// assert_eq!(q.inflow_m3s.len(), 12);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LateralInflow {
    /// Name of the receiving plant.
    pub plant: String,
    /// Mean inflow of each month, m³/s, January first.
    pub inflow_m3s: Vec<f64>,
}

impl LateralInflow {
    /// Inflow series for `plant`; checked for length and sign when simulated.
    ///
    /// ```
    /// use landlinked::hydro::LateralInflow;
    /// let q = LateralInflow::new("A", vec![10.0; 12]);
    /// assert_eq!(q.plant, "A");
    /// ```
    pub fn new(plant: &str, inflow_m3s: Vec<f64>) -> Self {
        LateralInflow {
            plant: plant.to_string(),
            inflow_m3s,
        }
    }

    /// The same series multiplied by `factor` (a wet or dry year, for instance).
    ///
    /// ```
    /// use landlinked::hydro::LateralInflow;
    /// let dry = LateralInflow::new("A", vec![10.0; 12]).scaled(0.85);
    /// assert_eq!(dry.inflow_m3s[0], 8.5);
    /// ```
    pub fn scaled(&self, factor: f64) -> Self {
        LateralInflow {
            plant: self.plant.clone(),
            inflow_m3s: self.inflow_m3s.iter().map(|q| q * factor).collect(),
        }
    }
}

/// A validated set of plants whose outflows feed each other.
///
/// Each plant's `downstream` names the plant that receives its release and spill.
/// Several plants may feed one (tributaries joining); cycles and unknown names are
/// rejected. Plants are kept in upstream-to-downstream order, ties in input order.
///
/// ```
/// use landlinked::hydro::{Cascade, HydroPlant};
/// let cascade = Cascade::new(vec![
///     HydroPlant::run_of_river("Lower", 2, 50.0, 0.9, 20.0),
///     HydroPlant::run_of_river("Upper", 1, 100.0, 0.9, 40.0).with_downstream("Lower"),
/// ])?;
/// let names: Vec<&str> = cascade.plants().iter().map(|p| p.name.as_str()).collect();
/// assert_eq!(names, ["Upper", "Lower"]);
/// # Ok::<(), landlinked::hydro::HydroError>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Cascade {
    /// Plants in upstream-to-downstream order.
    plants: Vec<HydroPlant>,
    /// For each plant (same order), the position of its downstream plant.
    downstream: Vec<Option<usize>>,
}

impl Cascade {
    /// Validates every plant and the links between them.
    ///
    /// ```
    /// use landlinked::hydro::{Cascade, HydroError, HydroPlant};
    /// let err = Cascade::new(vec![
    ///     HydroPlant::run_of_river("A", 1, 10.0, 0.9, 10.0).with_downstream("Nowhere"),
    /// ]).unwrap_err();
    /// assert!(matches!(err, HydroError::UnknownPlant { field: "downstream", .. }));
    /// ```
    pub fn new(plants: Vec<HydroPlant>) -> Result<Self, HydroError> {
        for p in &plants {
            p.validate()?;
        }
        let links = resolve_links(&plants)?;
        let order = upstream_first(&plants, &links)?;
        Ok(reorder(plants, &links, &order))
    }

    /// The plants, upstream first.
    ///
    /// ```
    /// use landlinked::hydro::{Cascade, HydroPlant};
    /// let c = Cascade::new(vec![HydroPlant::run_of_river("A", 1, 10.0, 0.9, 10.0)])?;
    /// assert_eq!(c.plants().len(), 1);
    /// # Ok::<(), landlinked::hydro::HydroError>(())
    /// ```
    pub fn plants(&self) -> &[HydroPlant] {
        &self.plants
    }

    /// The plant called `name`, if any.
    ///
    /// ```
    /// use landlinked::hydro::{Cascade, HydroPlant};
    /// let c = Cascade::new(vec![HydroPlant::run_of_river("A", 7, 10.0, 0.9, 10.0)])?;
    /// assert_eq!(c.plant("A").map(|p| p.bus), Some(7));
    /// assert!(c.plant("B").is_none());
    /// # Ok::<(), landlinked::hydro::HydroError>(())
    /// ```
    pub fn plant(&self, name: &str) -> Option<&HydroPlant> {
        self.plants.iter().find(|p| p.name == name)
    }

    /// Position (in [`Cascade::plants`]) of the plant called `name`.
    pub(crate) fn position(&self, name: &str) -> Option<usize> {
        self.plants.iter().position(|p| p.name == name)
    }

    /// Position of the plant receiving plant `i`'s outflow.
    pub(crate) fn downstream_of(&self, i: usize) -> Option<usize> {
        self.downstream[i]
    }

    /// Lateral inflow of every plant in cascade order, in m³/s; plants without a
    /// record get zero. Rejects unknown plants, repeats, wrong lengths, bad numbers.
    pub(crate) fn lateral_m3s(
        &self,
        inflows: &[LateralInflow],
    ) -> Result<Vec<[f64; 12]>, HydroError> {
        let mut lateral = vec![[0.0; 12]; self.plants.len()];
        let mut seen = vec![false; self.plants.len()];
        for record in inflows {
            let i = self
                .position(&record.plant)
                .ok_or_else(|| HydroError::UnknownPlant {
                    plant: record.plant.clone(),
                    field: "inflows.plant",
                    unknown: record.plant.clone(),
                })?;
            if std::mem::replace(&mut seen[i], true) {
                return Err(HydroError::Duplicate {
                    plant: record.plant.clone(),
                    field: "inflows",
                });
            }
            lateral[i] = monthly_series(&record.plant, "inflow_m3s", &record.inflow_m3s)?;
        }
        Ok(lateral)
    }
}

/// Twelve finite, non-negative values, or the named error.
pub(crate) fn monthly_series(
    plant: &str,
    field: &'static str,
    values: &[f64],
) -> Result<[f64; 12], HydroError> {
    let series: [f64; 12] = values.try_into().map_err(|_| HydroError::WrongLength {
        plant: plant.to_string(),
        field,
        expected: 12,
        found: values.len(),
    })?;
    for v in series {
        non_negative(plant, field, v)?;
    }
    Ok(series)
}

/// For each plant (input order), the input position of its downstream plant.
fn resolve_links(plants: &[HydroPlant]) -> Result<Vec<Option<usize>>, HydroError> {
    for (i, p) in plants.iter().enumerate() {
        if plants[..i].iter().any(|q| q.name == p.name) {
            return Err(HydroError::Duplicate {
                plant: p.name.clone(),
                field: "plants",
            });
        }
    }
    plants
        .iter()
        .map(|p| match &p.downstream {
            None => Ok(None),
            Some(d) => plants
                .iter()
                .position(|q| &q.name == d)
                .map(Some)
                .ok_or_else(|| HydroError::UnknownPlant {
                    plant: p.name.clone(),
                    field: "downstream",
                    unknown: d.clone(),
                }),
        })
        .collect()
}

/// Kahn's algorithm: a plant comes after every plant that feeds it. Among ready plants
/// the lowest input position goes first, so the order is deterministic.
fn upstream_first(
    plants: &[HydroPlant],
    links: &[Option<usize>],
) -> Result<Vec<usize>, HydroError> {
    let n = plants.len();
    let mut feeders = vec![0usize; n];
    for d in links.iter().flatten() {
        feeders[*d] += 1;
    }
    let mut order = Vec::with_capacity(n);
    let mut done = vec![false; n];
    while order.len() < n {
        let Some(i) = (0..n).find(|&i| !done[i] && feeders[i] == 0) else {
            return Err(cycle_error(plants, links, &done));
        };
        done[i] = true;
        order.push(i);
        if let Some(d) = links[i] {
            feeders[d] -= 1;
        }
    }
    Ok(order)
}

/// Every plant left unplaced by Kahn's algorithm is on a cycle or downstream of one;
/// following the links from any of them must come back to a plant already visited.
fn cycle_error(plants: &[HydroPlant], links: &[Option<usize>], done: &[bool]) -> HydroError {
    let start = done.iter().position(|d| !d).unwrap_or(0);
    let mut path = vec![start];
    let mut at = start;
    while let Some(next) = links[at] {
        if let Some(k) = path.iter().position(|&p| p == next) {
            return HydroError::Cycle {
                plants: path[k..].iter().map(|&i| plants[i].name.clone()).collect(),
            };
        }
        path.push(next);
        at = next;
    }
    // Not reachable for a real cycle; report what was followed.
    HydroError::Cycle {
        plants: path.iter().map(|&i| plants[i].name.clone()).collect(),
    }
}

fn reorder(plants: Vec<HydroPlant>, links: &[Option<usize>], order: &[usize]) -> Cascade {
    let mut new_pos = vec![0usize; plants.len()];
    for (k, &i) in order.iter().enumerate() {
        new_pos[i] = k;
    }
    let downstream = order
        .iter()
        .map(|&i| links[i].map(|d| new_pos[d]))
        .collect();
    let mut slots: Vec<Option<HydroPlant>> = plants.into_iter().map(Some).collect();
    let plants = order.iter().filter_map(|&i| slots[i].take()).collect();
    Cascade { plants, downstream }
}
