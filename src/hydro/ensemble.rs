//! Seeded stochastic hydrological years: the normal year's monthly inflows
//! times lognormal factors that vary from year to year and from month to
//! month, with memory in both, the same for every inflow on one river.
//!
//! For river `r`, year `y` and month `m`, the inflow is the normal one
//! times `A(y) · M(y, m)`, where `A(y) = exp(σa·z(y) − σa²/2)` with `z` a
//! standard normal AR(1) series over the years (lag-1 correlation
//! `year_to_year_rho`) and `M(y, m) = exp(σm·u − σm²/2)` with `u` a
//! standard normal AR(1) series over the months, running on across year
//! ends (`month_to_month_rho`). Both factors have mean 1, so the long-run
//! mean is the normal year; `σa` is set from the annual coefficient of
//! variation (`σa² = ln(1 + cv²)`), `σm` likewise. Factors are positive, so
//! no inflow can turn negative.
//!
//! ```
//! use landlinked::hydro::{InflowEnsemble, InflowSpread, LateralInflow};
//! let normal = vec![LateralInflow::new("Nurek", vec![200.0, 180.0, 200.0, 400.0, 900.0, 1500.0,
//!     1800.0, 1500.0, 800.0, 400.0, 250.0, 220.0])];
//! let e = InflowEnsemble::new(normal, vec!["Vakhsh".into()], InflowSpread::default())?;
//! let years = e.years(42, 30);
//! assert_eq!(years.len(), 30);
//! assert_eq!(years, e.years(42, 30)); // the seed fixes them
//! assert!(years.iter().flatten().flat_map(|q| &q.inflow_m3s).all(|&q| q > 0.0));
//! # Ok::<(), landlinked::hydro::HydroError>(())
//! ```

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};

use super::{HydroError, LateralInflow};

/// The spread of stochastic years around the normal one.
///
/// Defaults: `annual_cv = 0.117`, from the fact sheet's ±15 % on the
/// annual volume of a glacier-fed river for its P10 and P90 years
/// (`facts/central-asia-grid.md` §2.1, an estimate there: 0.15 / 1.2816,
/// the normal quantile of P90); it puts the P10–P90 range of the Vakhsh's
/// annual mean at about 0.85–1.15 times the normal 20 km³, close to the
/// 16.9–20.8 km³ range of published means of the river (§2.1).
/// `year_to_year_rho = 0.3`, `month_to_month_rho = 0.6` and
/// `month_cv = 0.10` are estimates (E): snow- and glacier-fed rivers carry
/// some memory from year to year (storage in glaciers and groundwater) and
/// much from month to month within a season.
///
/// ```
/// use landlinked::hydro::InflowSpread;
/// let s = InflowSpread::default();
/// assert!((s.annual_cv - 0.15 / 1.2816).abs() < 1e-3);
/// assert!(InflowSpread { year_to_year_rho: 1.0, ..s }.validate().is_err());
/// ```
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct InflowSpread {
    /// Coefficient of variation of a year's volume.
    pub annual_cv: f64,
    /// Lag-1 correlation of the annual factors.
    pub year_to_year_rho: f64,
    /// Coefficient of variation of a month around its year.
    pub month_cv: f64,
    /// Lag-1 correlation of the monthly factors.
    pub month_to_month_rho: f64,
}

impl Default for InflowSpread {
    fn default() -> InflowSpread {
        InflowSpread {
            annual_cv: 0.15 / 1.2816,
            year_to_year_rho: 0.3,
            month_cv: 0.10,
            month_to_month_rho: 0.6,
        }
    }
}

impl InflowSpread {
    /// Checks the parameters: coefficients of variation finite and ≥ 0,
    /// correlations in (−1, 1).
    ///
    /// ```
    /// use landlinked::hydro::InflowSpread;
    /// let bad = InflowSpread { annual_cv: -0.1, ..InflowSpread::default() };
    /// assert!(bad.validate().unwrap_err().to_string().contains("annual_cv"));
    /// ```
    pub fn validate(&self) -> Result<(), HydroError> {
        for (field, v) in [("annual_cv", self.annual_cv), ("month_cv", self.month_cv)] {
            if !(v.is_finite() && v >= 0.0) {
                return Err(HydroError::Spread {
                    field,
                    value: v,
                    expected: "a finite coefficient of variation ≥ 0",
                });
            }
        }
        for (field, v) in [
            ("year_to_year_rho", self.year_to_year_rho),
            ("month_to_month_rho", self.month_to_month_rho),
        ] {
            if !(v.is_finite() && v.abs() < 1.0) {
                return Err(HydroError::Spread {
                    field,
                    value: v,
                    expected: "a correlation strictly between −1 and 1",
                });
            }
        }
        Ok(())
    }
}

/// The normal year's inflows, their rivers and a spread: a generator of
/// stochastic years.
///
/// ```
/// use landlinked::hydro::{InflowEnsemble, InflowSpread, LateralInflow};
/// let normal = vec![LateralInflow::new("A", vec![100.0; 12]), LateralInflow::new("B", vec![10.0; 12])];
/// let e = InflowEnsemble::new(normal, vec!["river".into(), "river".into()], InflowSpread::default())?;
/// let y = &e.years(1, 1)[0];
/// // one river: both inflows get the same factors
/// assert!((y[0].inflow_m3s[3] / 100.0 - y[1].inflow_m3s[3] / 10.0).abs() < 1e-12);
/// # Ok::<(), landlinked::hydro::HydroError>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct InflowEnsemble {
    normal: Vec<LateralInflow>,
    /// River number of each inflow.
    river: Vec<usize>,
    rivers: usize,
    spread: InflowSpread,
}

impl InflowEnsemble {
    /// A generator for `normal` inflows, `rivers[i]` naming the river of
    /// inflow `i` (inflows on one river vary together).
    ///
    /// ```
    /// use landlinked::hydro::{InflowEnsemble, InflowSpread, LateralInflow};
    /// let q = vec![LateralInflow::new("A", vec![1.0; 12])];
    /// assert!(InflowEnsemble::new(q, vec![], InflowSpread::default()).is_err()); // one river per inflow
    /// ```
    pub fn new(
        normal: Vec<LateralInflow>,
        rivers: Vec<String>,
        spread: InflowSpread,
    ) -> Result<InflowEnsemble, HydroError> {
        spread.validate()?;
        if rivers.len() != normal.len() {
            return Err(HydroError::WrongLength {
                plant: "inflow ensemble".into(),
                field: "rivers",
                found: rivers.len(),
                expected: normal.len(),
            });
        }
        let mut names: Vec<&String> = Vec::new();
        let river = rivers
            .iter()
            .map(|r| match names.iter().position(|n| *n == r) {
                Some(i) => i,
                None => {
                    names.push(r);
                    names.len() - 1
                }
            })
            .collect();
        Ok(InflowEnsemble {
            rivers: names.len(),
            normal,
            river,
            spread,
        })
    }

    /// `n` consecutive years from `seed`: the same seed gives the same
    /// years, on any machine and thread count.
    ///
    /// ```
    /// # use landlinked::hydro::{InflowEnsemble, InflowSpread, LateralInflow};
    /// let e = InflowEnsemble::new(vec![LateralInflow::new("A", vec![1.0; 12])],
    ///     vec!["r".into()], InflowSpread::default())?;
    /// assert_ne!(e.years(1, 2), e.years(2, 2));
    /// assert_eq!(e.years(1, 3)[..2], e.years(1, 2)[..]); // a prefix of a longer run
    /// # Ok::<(), landlinked::hydro::HydroError>(())
    /// ```
    pub fn years(&self, seed: u64, n: usize) -> Vec<Vec<LateralInflow>> {
        let s = &self.spread;
        let sigma_a = (1.0 + s.annual_cv * s.annual_cv).ln().sqrt();
        let sigma_m = (1.0 + s.month_cv * s.month_cv).ln().sqrt();
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut normal = || -> f64 { StandardNormal.sample(&mut rng) };
        // AR(1) states per river, started in their stationary law.
        let mut z: Vec<f64> = (0..self.rivers).map(|_| normal()).collect();
        let mut u: Vec<f64> = (0..self.rivers).map(|_| normal()).collect();
        let step = |x: f64, rho: f64, e: f64| rho * x + (1.0 - rho * rho).sqrt() * e;
        let mut out = Vec::with_capacity(n);
        for y in 0..n {
            if y > 0 {
                for x in &mut z {
                    *x = step(*x, s.year_to_year_rho, normal());
                }
            }
            // factors[river][month]
            let mut factors = vec![[0.0; 12]; self.rivers];
            for m in 0..12 {
                for (r, f) in factors.iter_mut().enumerate() {
                    if y > 0 || m > 0 {
                        u[r] = step(u[r], s.month_to_month_rho, normal());
                    }
                    let a = (sigma_a * z[r] - 0.5 * sigma_a * sigma_a).exp();
                    let mm = (sigma_m * u[r] - 0.5 * sigma_m * sigma_m).exp();
                    f[m] = a * mm;
                }
            }
            let year = self
                .normal
                .iter()
                .zip(&self.river)
                .map(|(q, &r)| {
                    let v = q
                        .inflow_m3s
                        .iter()
                        .enumerate()
                        .map(|(m, x)| x * factors[r][m % 12]);
                    LateralInflow::new(&q.plant, v.collect())
                })
                .collect();
            out.push(year);
        }
        out
    }
}
