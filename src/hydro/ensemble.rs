//! Stochastic hydrological years: a seeded generator of monthly lateral inflows around
//! a normal year.
//!
//! The model is documented on [`InflowEnsemble`].
//!
//! ```
//! use landlinked::hydro::{InflowEnsemble, InflowSpread, LateralInflow};
//! let normal = vec![LateralInflow::new("Nurek", vec![600.0; 12])];
//! let ens = InflowEnsemble::new(normal, vec!["Vakhsh".into()], InflowSpread::default())?;
//! let years = ens.years(7, 1000);
//! assert_eq!(years, ens.years(7, 1000)); // seeded: the same years again
//! // The years scatter around the normal year: their mean is within 2 % of it.
//! let mean: f64 = years.iter().map(|y| y[0].inflow_m3s.iter().sum::<f64>() / 12.0).sum::<f64>() / 1000.0;
//! assert!((mean / 600.0 - 1.0).abs() < 0.02);
//! assert!(years.iter().flat_map(|y| &y[0].inflow_m3s).all(|&q| q > 0.0));
//! # Ok::<(), landlinked::hydro::HydroError>(())
//! ```

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;

use super::cascade::monthly_series;
use super::{HydroError, LateralInflow};
use crate::calendar::MONTH_HOURS;

/// Standard normal quantile of 0.9 (P90): the ±15 % P10/P90 of the fact sheet is
/// ±1.2816 standard deviations.
const Z_P90: f64 = 1.281_551_565_544_600_4;

/// Largest coefficient of variation accepted: beyond it the factors are meaningless
/// (and `cv²` would eventually overflow).
const MAX_CV: f64 = 10.0;

/// How much hydrological years vary around the normal year. See [`InflowEnsemble`]
/// for the model.
///
/// Defaults (all rest on estimates; nothing here is a fitted gauge series):
/// * `annual_cv` = 0.15 / 1.2816 ≈ 0.117: the fact sheet
///   (`/work/shared/facts/central-asia-grid.md` §2.1, "Wet and dry years") proposes
///   about ±15 % on annual volume for P10/P90 years of a glacier-fed river; that figure
///   is itself marked (E) there ("I have no sourced series"). 1.2816 is the normal
///   P90 quantile; with the lognormal factor P10/P90 come out at −14.5 % / +15.3 %.
///   Consistency with §2.1's range of the Vakhsh mean, 16.9 km³ (P54) to about
///   20.8 km³ (661 m³/s, P62): that range is a spread between sources of the
///   *long-term mean*, not a year-to-year spread, so it cannot confirm the cv; it is of
///   the same size. On the bundled 20.1 km³ profile the default gives a P10–P90 band
///   of single years of 17.2–23.2 km³, which holds every quoted mean except the lowest
///   (16.9 km³ lies near P8).
/// * `year_to_year_rho` = 0.3 (E): some persistence from glacier and groundwater
///   storage; no source.
/// * `month_to_month_rho` = 0.6 (E): a wet spring tends to stay wet into summer; no
///   source.
/// * `month_cv` = 0.10 (E): no source.
///
/// ```
/// use landlinked::hydro::InflowSpread;
/// let s = InflowSpread::default();
/// assert!((s.annual_cv - 0.15 / 1.2816).abs() < 1e-4);
/// assert_eq!((s.year_to_year_rho, s.month_to_month_rho, s.month_cv), (0.3, 0.6, 0.10));
/// assert!(s.validate().is_ok());
/// ```
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct InflowSpread {
    /// Coefficient of variation of the annual volume (≥ 0).
    pub annual_cv: f64,
    /// Lag-1 correlation of the annual factor's normal score from one year to the next
    /// (|ρ| < 1).
    pub year_to_year_rho: f64,
    /// Lag-1 correlation of the monthly anomaly's normal score from one month to the
    /// next, across year ends too (|ρ| < 1).
    pub month_to_month_rho: f64,
    /// Coefficient of variation of the monthly anomaly before it is rescaled to keep the
    /// annual volume (≥ 0).
    pub month_cv: f64,
}

impl Default for InflowSpread {
    fn default() -> Self {
        InflowSpread {
            annual_cv: 0.15 / Z_P90,
            year_to_year_rho: 0.3,
            month_to_month_rho: 0.6,
            month_cv: 0.10,
        }
    }
}

impl InflowSpread {
    /// Checks every field: each cv finite and in `0..=10`, each correlation finite and
    /// strictly between −1 and 1. The error names the field.
    ///
    /// ```
    /// use landlinked::hydro::{HydroError, InflowSpread};
    /// let bad = InflowSpread { month_cv: f64::NAN, ..InflowSpread::default() };
    /// assert!(matches!(bad.validate(), Err(HydroError::InvalidSpread { field: "month_cv", .. })));
    /// let bad = InflowSpread { year_to_year_rho: 1.0, ..InflowSpread::default() };
    /// assert!(matches!(bad.validate(), Err(HydroError::InvalidSpread { field: "year_to_year_rho", .. })));
    /// ```
    pub fn validate(&self) -> Result<(), HydroError> {
        let cv = |field, value: f64| {
            if (0.0..=MAX_CV).contains(&value) {
                Ok(())
            } else {
                Err(HydroError::InvalidSpread {
                    field,
                    value,
                    expected: "a finite number with 0 <= cv <= 10",
                })
            }
        };
        let rho = |field, value: f64| {
            if value.abs() < 1.0 {
                Ok(())
            } else {
                Err(HydroError::InvalidSpread {
                    field,
                    value,
                    expected: "a finite number with -1 < rho < 1",
                })
            }
        };
        cv("annual_cv", self.annual_cv)?;
        rho("year_to_year_rho", self.year_to_year_rho)?;
        rho("month_to_month_rho", self.month_to_month_rho)?;
        cv("month_cv", self.month_cv)
    }
}

/// One river of an ensemble: its random stream and its normal monthly volume shares.
#[derive(Clone, Debug, PartialEq)]
struct River {
    /// The stream: the hash of the river's name (or of the plant's, for a lone inflow).
    stream: u64,
    /// Normal share of the river's annual volume in each month.
    shares: [f64; 12],
}

/// A seeded generator of hydrological years around a normal year of lateral inflows.
///
/// # Model
/// For each river and year `y`, an annual factor `A_y = exp(σ_a z_y − σ_a²/2)`, where
/// `z` is a standard normal AR(1) series from year to year (correlation
/// [`InflowSpread::year_to_year_rho`]) and `σ_a² = ln(1 + cv_a²)`, so `A_y` is lognormal
/// with mean 1 and coefficient of variation [`InflowSpread::annual_cv`]. For each month,
/// an anomaly `M_{y,m} = exp(σ_m u_{y,m} − σ_m²/2)` with `u` a standard normal AR(1)
/// series from month to month that runs on across year ends (correlation
/// [`InflowSpread::month_to_month_rho`], `σ_m² = ln(1 + cv_m²)`).
///
/// The inflow of month `m` of year `y` is `normal × A_y × M_{y,m} / S_y`, where
/// `S_y = Σ_m w_m M_{y,m}` and `w_m` is the river's normal share of its annual volume in
/// month `m` (hours-weighted). Dividing by `S_y` makes the monthly anomalies move water
/// between the months of a year without changing the year's volume, so each river's
/// annual volume is exactly `A_y` times its normal volume: its mean is the normal year,
/// its coefficient of variation is `annual_cv` and its lag-1 correlation is
/// `(exp(σ_a² ρ) − 1) / (exp(σ_a²) − 1) ≈ ρ`. Without that division the monthly
/// anomalies would add to the annual spread (with the defaults and the Vakhsh profile,
/// `annual_cv` 0.117 would become about 0.13) and weaken the year-to-year correlation.
/// Each monthly factor has mean close to, but not exactly, 1.
///
/// All lateral inflows on one river share one set of factors (a wet year is wet for
/// the whole river); different rivers are independent. Factors are lognormal, so no
/// inflow can become negative.
///
/// # Randomness
/// Each river draws from its own stream of a [`rand_chacha::ChaCha8Rng`] seeded with
/// the seed, the stream chosen by a fixed (FNV-1a) hash of the river's name: the years
/// of a river depend only on the seed, the river's name and the spread, not on the
/// other rivers, on thread count or on the platform. Per year the stream gives one
/// draw for the year, then twelve for the months, whatever the spread; so the first
/// `k` of `n` years are the `k` years asked for alone.
///
/// Named years (dry, normal, wet as fixed factors) are the seasonal layer's business;
/// within hydro a fixed factor is just [`LateralInflow::scaled`]:
/// ```
/// use landlinked::hydro::LateralInflow;
/// let dry = LateralInflow::new("Nurek", vec![100.0; 12]).scaled(0.85);
/// assert_eq!(dry.inflow_m3s[6], 85.0);
/// ```
///
/// # Example
/// ```
/// use landlinked::hydro::{InflowEnsemble, InflowSpread, LateralInflow};
/// let normal = vec![LateralInflow::new("Upper", vec![100.0; 12]),
///                   LateralInflow::new("Lower", vec![10.0; 12])];
/// // Both on one river: they share their factors.
/// let ens = InflowEnsemble::new(normal, vec!["River".into(), "River".into()],
///                               InflowSpread::default())?;
/// let years = ens.years(42, 3);
/// assert_eq!(years.len(), 3);
/// assert_eq!(years, ens.years(42, 3)); // same seed, same years
/// let y = &years[1];
/// assert!((y[0].inflow_m3s[5] / 100.0 - y[1].inflow_m3s[5] / 10.0).abs() < 1e-12);
/// # Ok::<(), landlinked::hydro::HydroError>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct InflowEnsemble {
    normal: Vec<LateralInflow>,
    /// For each inflow, its river's position in `rivers`.
    river_of: Vec<usize>,
    rivers: Vec<River>,
    spread: InflowSpread,
}

impl InflowEnsemble {
    /// An ensemble around the `normal` year. `rivers[i]` names the river of
    /// `normal[i]`: inflows with the same river name share their factors; an empty name
    /// puts the inflow on a river of its own. Checks the spread, one river name per
    /// inflow, twelve finite non-negative values per inflow and no plant twice.
    ///
    /// ```
    /// use landlinked::hydro::{HydroError, InflowEnsemble, InflowSpread, LateralInflow};
    /// let normal = vec![LateralInflow::new("A", vec![10.0; 12])];
    /// assert!(InflowEnsemble::new(normal.clone(), vec![String::new()], InflowSpread::default()).is_ok());
    /// let err = InflowEnsemble::new(normal, vec![], InflowSpread::default()).unwrap_err();
    /// assert!(matches!(err, HydroError::RiversLength { inflows: 1, rivers: 0 }));
    /// ```
    pub fn new(
        normal: Vec<LateralInflow>,
        rivers: Vec<String>,
        spread: InflowSpread,
    ) -> Result<Self, HydroError> {
        spread.validate()?;
        if rivers.len() != normal.len() {
            return Err(HydroError::RiversLength {
                inflows: normal.len(),
                rivers: rivers.len(),
            });
        }
        let mut volumes: Vec<(String, [f64; 12])> = Vec::new();
        let mut river_of = Vec::with_capacity(normal.len());
        for (i, (inflow, river)) in normal.iter().zip(&rivers).enumerate() {
            let series = monthly_series(&inflow.plant, "inflow_m3s", &inflow.inflow_m3s)?;
            if normal[..i].iter().any(|q| q.plant == inflow.plant) {
                return Err(HydroError::Duplicate {
                    plant: inflow.plant.clone(),
                    field: "inflows",
                });
            }
            let key = if river.is_empty() {
                format!("plant\u{0}{}", inflow.plant)
            } else {
                format!("river\u{0}{river}")
            };
            let r = match volumes.iter().position(|(k, _)| *k == key) {
                Some(r) => r,
                None => {
                    volumes.push((key, [0.0; 12]));
                    volumes.len() - 1
                }
            };
            for (m, q) in series.iter().enumerate() {
                volumes[r].1[m] += q * MONTH_HOURS[m];
            }
            river_of.push(r);
        }
        let rivers = volumes
            .into_iter()
            .map(|(key, v)| {
                let total: f64 = v.iter().sum();
                let shares = if total > 0.0 {
                    v.map(|x| x / total)
                } else {
                    [0.0; 12]
                };
                River {
                    stream: fnv1a(&key),
                    shares,
                }
            })
            .collect();
        Ok(InflowEnsemble {
            normal,
            river_of,
            rivers,
            spread,
        })
    }

    /// The normal year, as given.
    ///
    /// ```
    /// use landlinked::hydro::{InflowEnsemble, InflowSpread, LateralInflow};
    /// let ens = InflowEnsemble::new(vec![LateralInflow::new("A", vec![10.0; 12])],
    ///                               vec!["R".into()], InflowSpread::default())?;
    /// assert_eq!(ens.normal()[0].plant, "A");
    /// # Ok::<(), landlinked::hydro::HydroError>(())
    /// ```
    pub fn normal(&self) -> &[LateralInflow] {
        &self.normal
    }

    /// The spread.
    ///
    /// ```
    /// use landlinked::hydro::{InflowEnsemble, InflowSpread};
    /// let ens = InflowEnsemble::new(vec![], vec![], InflowSpread::default())?;
    /// assert_eq!(ens.spread(), InflowSpread::default());
    /// # Ok::<(), landlinked::hydro::HydroError>(())
    /// ```
    pub fn spread(&self) -> InflowSpread {
        self.spread
    }

    /// `n` consecutive hydrological years (year 0 first) for `seed`. Each year holds
    /// one [`LateralInflow`] per normal inflow, same plants, same order. Deterministic:
    /// the same seed gives the same years, and `years(seed, k)` is the start of
    /// `years(seed, n)` for `k ≤ n`.
    ///
    /// ```
    /// use landlinked::hydro::{InflowEnsemble, InflowSpread, LateralInflow};
    /// let ens = InflowEnsemble::new(vec![LateralInflow::new("A", vec![10.0; 12])],
    ///                               vec!["R".into()], InflowSpread::default())?;
    /// let ten = ens.years(7, 10);
    /// assert_eq!(ens.years(7, 4), ten[..4]);
    /// assert_ne!(ens.years(8, 4), ten[..4]);
    /// assert!(ten.iter().flatten().flat_map(|q| &q.inflow_m3s).all(|&q| q > 0.0));
    /// # Ok::<(), landlinked::hydro::HydroError>(())
    /// ```
    pub fn years(&self, seed: u64, n: usize) -> Vec<Vec<LateralInflow>> {
        let factors: Vec<Vec<[f64; 12]>> = self
            .rivers
            .iter()
            .map(|r| self.river_factors(r, seed, n))
            .collect();
        (0..n)
            .map(|y| {
                self.normal
                    .iter()
                    .zip(&self.river_of)
                    .map(|(q, &r)| LateralInflow {
                        plant: q.plant.clone(),
                        inflow_m3s: q
                            .inflow_m3s
                            .iter()
                            .zip(factors[r][y])
                            .map(|(q, f)| q * f)
                            .collect(),
                    })
                    .collect()
            })
            .collect()
    }

    /// The monthly factors `A_y M_{y,m} / S_y` of one river for `n` years.
    fn river_factors(&self, river: &River, seed: u64, n: usize) -> Vec<[f64; 12]> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(river.stream);
        let s = self.spread;
        let (sa, sm) = (log_sigma(s.annual_cv), log_sigma(s.month_cv));
        let mut z = Ar1::new(s.year_to_year_rho);
        let mut u = Ar1::new(s.month_to_month_rho);
        (0..n)
            .map(|_| {
                let a = (sa * z.next(&mut rng) - 0.5 * sa * sa).exp();
                let m: [f64; 12] =
                    std::array::from_fn(|_| (sm * u.next(&mut rng) - 0.5 * sm * sm).exp());
                let mean: f64 = m.iter().zip(&river.shares).map(|(m, w)| m * w).sum();
                // A river with no water at all has no shares: leave its months unscaled.
                let scale = if mean > 0.0 { a / mean } else { a };
                m.map(|m| m * scale)
            })
            .collect()
    }
}

/// `σ` of a lognormal factor with mean 1 and coefficient of variation `cv`.
fn log_sigma(cv: f64) -> f64 {
    (cv * cv).ln_1p().sqrt()
}

/// A stationary standard normal AR(1) series: the first value is N(0, 1), then
/// `x ← ρ x + √(1 − ρ²) e`.
struct Ar1 {
    rho: f64,
    x: Option<f64>,
}

impl Ar1 {
    fn new(rho: f64) -> Self {
        Ar1 { rho, x: None }
    }

    fn next(&mut self, rng: &mut ChaCha8Rng) -> f64 {
        let e: f64 = rng.sample(StandardNormal);
        let x = match self.x {
            None => e,
            Some(x) => self.rho * x + (1.0 - self.rho * self.rho).sqrt() * e,
        };
        self.x = Some(x);
        x
    }
}

/// 64-bit FNV-1a: a fixed hash, so a river's stream never depends on the platform or
/// the Rust version (unlike `std::hash`).
fn fnv1a(key: &str) -> u64 {
    key.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_matches_the_reference_values() {
        assert_eq!(fnv1a(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a("a"), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn log_sigma_gives_the_asked_cv() {
        let s = log_sigma(0.2);
        assert!(((s * s).exp_m1().sqrt() - 0.2).abs() < 1e-12);
        assert_eq!(log_sigma(0.0), 0.0);
    }
}
