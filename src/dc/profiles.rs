//! Injections generated from profiles, [`ProfileInjections`] (see the
//! [`dc`](super) module's *Many periods*).
//!
//! ```
//! use landlinked::dc::ProfileInjections;
//! // three buses, four periods: bus 1 draws 50 MW × the load shape, bus 2
//! // generates 20 MW × the solar shape and draws 10 MW × the load shape
//! let mut inj = ProfileInjections::new(3, 4);
//! let load = inj.add_profile("load", &[1.0, 0.8, 0.9, 1.2])?;
//! let solar = inj.add_profile("solar", &[0.0, 0.5, 1.0, 0.2])?;
//! inj.add_term(1, -50.0, load)?;
//! inj.add_term(2, 20.0, solar)?;
//! inj.add_term(2, -10.0, load)?;
//! assert_eq!(inj.value_mw(2, 2), 20.0 * 1.0 + -10.0 * 0.9);
//! assert_eq!(inj.to_matrix()[(1, 3)], -60.0);
//! # Ok::<(), landlinked::Error>(())
//! ```
//!
//! [`DcPowerFlow::reduce_many`]: super::DcPowerFlow::reduce_many
//! [`DcPowerFlow::solve_many`]: super::DcPowerFlow::solve_many

use std::sync::OnceLock;

use nalgebra::DMatrix;

use crate::error::{Error, Result};

/// Largest base of one term, MW: ten times the largest power plant ever
/// built (Three Gorges, 22,500 MW) and then some; beyond it a base is a
/// units mistake (W for MW), not a grid.
pub const MAX_BASE_MW: f64 = 1.0e6;

/// Largest profile value (a multiplier of the base): profiles are shapes
/// around 1, or capacity factors in 0..1.
pub const MAX_PROFILE: f64 = 1.0e3;

/// Which profile a term multiplies: returned by
/// [`ProfileInjections::add_profile`].
///
/// ```
/// let mut inj = landlinked::dc::ProfileInjections::new(1, 2);
/// let p = inj.add_profile("flat", &[1.0, 1.0])?;
/// assert_eq!(p.index(), 0);
/// # Ok::<(), landlinked::Error>(())
/// ```
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct ProfileId(usize);

impl ProfileId {
    /// Position among the profiles, in the order they were added.
    ///
    /// ```
    /// let mut inj = landlinked::dc::ProfileInjections::new(1, 1);
    /// inj.add_profile("a", &[1.0])?;
    /// assert_eq!(inj.add_profile("b", &[2.0])?.index(), 1);
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn index(self) -> usize {
        self.0
    }
}

/// Bus injections over periods as bases times profiles (MW, positive into
/// the bus, bus positions in file order). See the [`dc`](super) module's
/// *Many periods*.
///
/// ```
/// let mut inj = landlinked::dc::ProfileInjections::new(2, 3);
/// let shape = inj.add_profile("load", &[0.5, 1.0, 1.5])?;
/// inj.add_term(1, -100.0, shape)?;
/// assert_eq!((inj.buses(), inj.periods(), inj.terms()), (2, 3, 1));
/// assert!(inj.add_term(2, -1.0, shape).is_err()); // no bus 2 (positions 0 and 1)
/// assert!(inj.add_profile("short", &[1.0]).is_err()); // 3 periods needed
/// # Ok::<(), landlinked::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct ProfileInjections {
    buses: usize,
    periods: usize,
    names: Vec<String>,
    /// Profile `p`'s values at `p * periods ..`.
    values: Vec<f64>,
    /// `(bus, base_mw, profile)`, in the order added.
    terms: Vec<(usize, f64, usize)>,
    /// The terms grouped by bus, built on first use after a change.
    runs: OnceLock<Runs>,
}

/// Terms grouped by bus, in bus order; within a bus in the order added
/// (the order of the sum).
#[derive(Clone, Debug, Default)]
pub(super) struct Runs {
    /// Bus position of each run.
    pub(super) bus: Vec<usize>,
    /// Run `r`'s terms are `start[r]..start[r + 1]`.
    pub(super) start: Vec<usize>,
    /// Base of each term, MW.
    pub(super) base_mw: Vec<f64>,
    /// Profile of each term.
    pub(super) profile: Vec<usize>,
}

impl ProfileInjections {
    /// No terms yet: every injection is zero.
    ///
    /// ```
    /// let inj = landlinked::dc::ProfileInjections::new(4, 8760);
    /// assert_eq!(inj.value_mw(3, 8759), 0.0);
    /// ```
    pub fn new(buses: usize, periods: usize) -> ProfileInjections {
        ProfileInjections {
            buses,
            periods,
            names: Vec::new(),
            values: Vec::new(),
            terms: Vec::new(),
            runs: OnceLock::new(),
        }
    }

    /// Adds a profile (one value per period, a multiplier of the bases
    /// that use it). Errors name the profile: a wrong length, a value that
    /// is not finite or beyond ±[`MAX_PROFILE`].
    ///
    /// ```
    /// let mut inj = landlinked::dc::ProfileInjections::new(1, 2);
    /// let err = inj.add_profile("wind", &[0.3, f64::NAN]).unwrap_err();
    /// assert!(err.to_string().contains("profile `wind`, period 2"));
    /// ```
    pub fn add_profile(&mut self, name: &str, values: &[f64]) -> Result<ProfileId> {
        if values.len() != self.periods {
            return Err(Error::DimensionMismatch {
                what: format!("profile `{name}` (one value per period)"),
                found: values.len(),
                expected: self.periods,
            });
        }
        if let Some((t, &v)) = values
            .iter()
            .enumerate()
            .find(|(_, v)| !v.is_finite() || v.abs() > MAX_PROFILE)
        {
            let element = format!("profile `{name}`, period {}", t + 1);
            return Err(if v.is_finite() {
                Error::InvalidValue {
                    element,
                    field: "value".into(),
                    value: v,
                    expected: format!("a multiplier within ±{MAX_PROFILE}"),
                }
            } else {
                Error::NonFinite {
                    element,
                    field: "value".into(),
                    value: v,
                }
            });
        }
        self.names.push(name.to_string());
        self.values.extend_from_slice(values);
        Ok(ProfileId(self.names.len() - 1))
    }

    /// Adds `base_mw × profile[t]` to the injection of bus position `bus`
    /// (0-based, file order). Terms of one bus are summed in the order
    /// added.
    ///
    /// ```
    /// let mut inj = landlinked::dc::ProfileInjections::new(1, 1);
    /// let p = inj.add_profile("p", &[1.0])?;
    /// let err = inj.add_term(0, 5.0e9, p).unwrap_err(); // watts given as MW
    /// assert!(err.to_string().contains("base_mw"));
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn add_term(&mut self, bus: usize, base_mw: f64, profile: ProfileId) -> Result<()> {
        let element = format!("term {} (bus position {bus})", self.terms.len() + 1);
        if bus >= self.buses {
            return Err(Error::InvalidValue {
                element,
                field: "bus".into(),
                value: bus as f64,
                expected: format!("a bus position below {}", self.buses),
            });
        }
        if !base_mw.is_finite() {
            return Err(Error::NonFinite {
                element,
                field: "base_mw".into(),
                value: base_mw,
            });
        }
        if base_mw.abs() > MAX_BASE_MW {
            return Err(Error::InvalidValue {
                element,
                field: "base_mw".into(),
                value: base_mw,
                expected: format!("at most {MAX_BASE_MW} MW in magnitude"),
            });
        }
        if profile.0 >= self.names.len() {
            return Err(Error::InvalidValue {
                element,
                field: "profile".into(),
                value: profile.0 as f64,
                expected: format!("one of the {} profiles added", self.names.len()),
            });
        }
        self.terms.push((bus, base_mw, profile.0));
        self.runs = OnceLock::new();
        Ok(())
    }

    /// Buses (rows of the materialised matrix).
    ///
    /// ```
    /// assert_eq!(landlinked::dc::ProfileInjections::new(7, 1).buses(), 7);
    /// ```
    pub fn buses(&self) -> usize {
        self.buses
    }

    /// Periods (columns of the materialised matrix).
    ///
    /// ```
    /// assert_eq!(landlinked::dc::ProfileInjections::new(7, 24).periods(), 24);
    /// ```
    pub fn periods(&self) -> usize {
        self.periods
    }

    /// Terms added.
    ///
    /// ```
    /// assert_eq!(landlinked::dc::ProfileInjections::new(1, 1).terms(), 0);
    /// ```
    pub fn terms(&self) -> usize {
        self.terms.len()
    }

    /// Names of the profiles, in the order added.
    ///
    /// ```
    /// let mut inj = landlinked::dc::ProfileInjections::new(1, 1);
    /// inj.add_profile("north", &[1.0])?;
    /// assert_eq!(inj.profile_names(), ["north"]);
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn profile_names(&self) -> &[String] {
        &self.names
    }

    /// The injection of bus position `bus` in period `t`, MW (0 outside
    /// the grid or the periods).
    ///
    /// ```
    /// let mut inj = landlinked::dc::ProfileInjections::new(1, 2);
    /// let p = inj.add_profile("p", &[1.0, 2.0])?;
    /// inj.add_term(0, 3.0, p)?;
    /// assert_eq!(inj.value_mw(0, 1), 6.0);
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn value_mw(&self, bus: usize, t: usize) -> f64 {
        let runs = self.runs();
        match runs.bus.binary_search(&bus) {
            Ok(r) if t < self.periods => self.run_value(r, t),
            _ => 0.0,
        }
    }

    /// The buses × periods matrix these profiles stand for, MW, with the
    /// same arithmetic as the kernel's expansion (so solving it gives the
    /// same bits as [`DcPowerFlow::reduce_many`] on the profiles).
    ///
    /// [`DcPowerFlow::reduce_many`]: super::DcPowerFlow::reduce_many
    ///
    /// ```
    /// let mut inj = landlinked::dc::ProfileInjections::new(2, 2);
    /// let p = inj.add_profile("p", &[1.0, 2.0])?;
    /// inj.add_term(1, -4.0, p)?;
    /// assert_eq!(inj.to_matrix().as_slice(), &[0.0, -4.0, 0.0, -8.0]);
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn to_matrix(&self) -> DMatrix<f64> {
        let mut out = DMatrix::zeros(self.buses, self.periods);
        for (r, &bus) in self.runs().bus.iter().enumerate() {
            for t in 0..self.periods {
                out[(bus, t)] = self.run_value(r, t);
            }
        }
        out
    }

    /// Run `r`'s injection in period `t`: the sum of its terms, in order,
    /// from 0 (the kernel's expansion does the same operations).
    fn run_value(&self, r: usize, t: usize) -> f64 {
        let runs = self.runs();
        (runs.start[r]..runs.start[r + 1]).fold(0.0, |acc, i| {
            acc + runs.base_mw[i] * self.values[runs.profile[i] * self.periods + t]
        })
    }

    /// The terms grouped by bus.
    pub(super) fn runs(&self) -> &Runs {
        self.runs.get_or_init(|| {
            let mut order: Vec<usize> = (0..self.terms.len()).collect();
            // Stable: a bus's terms keep the order they were added in.
            order.sort_by_key(|&i| self.terms[i].0);
            let mut runs = Runs::default();
            for (k, &i) in order.iter().enumerate() {
                let (bus, base, p) = self.terms[i];
                if runs.bus.last() != Some(&bus) {
                    runs.bus.push(bus);
                    runs.start.push(k);
                }
                runs.base_mw.push(base);
                runs.profile.push(p);
            }
            runs.start.push(order.len());
            runs
        })
    }

    /// Profile `p`'s values.
    pub(super) fn profile(&self, p: usize) -> &[f64] {
        &self.values[p * self.periods..(p + 1) * self.periods]
    }
}
