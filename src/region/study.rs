//! What a grid tells its studies beyond the elements: the exporter they
//! examine by default, the outages of their N-1 checks, and the MATPOWER
//! case the network came from.
//!
//! ```
//! use landlinked::region::Contingencies;
//! let mut g = landlinked::io::grid::read("grids/central_asia/central_asia.toml")?;
//! assert_eq!(g.exporter(), Some("TJ"));
//! assert!(g.contingencies().is_none()); // every branch is an outage
//! g.set_contingencies(Some(Contingencies { branches: vec![0, 3], screen: 5, min_factor: None }))?;
//! assert_eq!(g.contingencies().unwrap().branches, [0, 3]);
//! # Ok::<(), landlinked::Error>(())
//! ```

use super::RegionalGrid;
use crate::error::{Error, Result};

/// The outages an N-1 check considers: the listed branches, and `screen`
/// more picked by screening (the candidates whose outage can add the
/// largest LODF × flow to a rated branch, see
/// [`screen_outages`](crate::sensitivity::screen_outages)). A grid with
/// none ([`RegionalGrid::contingencies`] is `None`) checks the outage of
/// every branch, which is right for a regional grid and too slow for a
/// 10,000-bus one.
///
/// ```
/// use landlinked::region::Contingencies;
/// let c = Contingencies { branches: vec![], screen: 200, min_factor: Some(0.05) };
/// assert_eq!(c.screen, 200);
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Contingencies {
    /// Branch positions (0-based, in `network().branches`) always checked.
    pub branches: Vec<usize>,
    /// How many other branches to pick by screening.
    pub screen: usize,
    /// Distribution factors (MW per MW of transfer) below which a branch
    /// does not limit a transfer; `None`: the study's setting
    /// ([`TransferSettings::min_factor`](crate::sensitivity::TransferSettings)).
    pub min_factor: Option<f64>,
}

impl RegionalGrid {
    /// The country whose exports a study examines when its settings name
    /// none (`[grid] exporter` in a grid file).
    ///
    /// ```
    /// let g = landlinked::io::grid::read("grids/central_asia/central_asia.toml")?;
    /// assert_eq!(g.exporter(), Some("TJ"));
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn exporter(&self) -> Option<&str> {
        self.exporter.as_deref()
    }

    /// The exporter a study uses: `setting` if given, else the grid's
    /// own; an error if neither names one, or if the country has no bus.
    ///
    /// ```
    /// let g = landlinked::io::grid::read("grids/central_asia/central_asia.toml")?;
    /// assert_eq!(g.exporter_for(None)?, "TJ");
    /// assert_eq!(g.exporter_for(Some("UZ"))?, "UZ");
    /// assert!(g.exporter_for(Some("XX")).unwrap_err().to_string().contains("XX"));
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn exporter_for(&self, setting: Option<&str>) -> Result<String> {
        let Some(exporter) = setting.or(self.exporter()) else {
            return Err(Error::Invalid {
                message: format!(
                    "grid `{}` names no exporter (`[grid] exporter` in its file) and the \
                     study's settings name none",
                    self.name()
                ),
            });
        };
        if !self.countries().contains(&exporter) {
            return Err(Error::NotFound {
                kind: "exporter country".into(),
                name: exporter.to_string(),
                known: self.countries().iter().map(|c| c.to_string()).collect(),
            });
        }
        Ok(exporter.to_string())
    }

    /// Sets the default exporter: a country of the grid's buses.
    ///
    /// ```
    /// let mut g = landlinked::io::grid::read("grids/central_asia/central_asia.toml")?;
    /// g.set_exporter("UZ")?;
    /// assert_eq!(g.exporter(), Some("UZ"));
    /// let err = g.set_exporter("XX").unwrap_err();
    /// assert!(err.to_string().contains("unknown country `XX`"));
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn set_exporter(&mut self, country: &str) -> Result<()> {
        if !self.countries().contains(&country) {
            return Err(Error::NotFound {
                kind: "country".into(),
                name: country.to_string(),
                known: self.countries().iter().map(|c| c.to_string()).collect(),
            });
        }
        self.exporter = Some(country.to_string());
        Ok(())
    }

    /// The outages of the studies' N-1 checks; `None`: every branch.
    ///
    /// ```
    /// let g = landlinked::io::grid::read("grids/central_asia/central_asia.toml")?;
    /// assert!(g.contingencies().is_none());
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn contingencies(&self) -> Option<&Contingencies> {
        self.contingencies.as_ref()
    }

    /// Sets the contingency list (`None`: every branch). A branch position
    /// past the last branch, or listed twice, or a `min_factor` outside
    /// 0 to 1, is an error.
    ///
    /// ```
    /// use landlinked::region::Contingencies;
    /// let mut g = landlinked::io::grid::read("grids/central_asia/central_asia.toml")?;
    /// let twice = Contingencies { branches: vec![2, 2], ..Default::default() };
    /// assert!(g.set_contingencies(Some(twice)).is_err());
    /// let past = Contingencies { branches: vec![100_000], ..Default::default() };
    /// assert!(g.set_contingencies(Some(past)).is_err());
    /// let factor = Contingencies { min_factor: Some(1.5), ..Default::default() };
    /// assert!(g.set_contingencies(Some(factor)).is_err());
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn set_contingencies(&mut self, contingencies: Option<Contingencies>) -> Result<()> {
        if let Some(c) = &contingencies {
            if let Some(f) = c
                .min_factor
                .filter(|f| !(f.is_finite() && (0.0..1.0).contains(f)))
            {
                return Err(Error::InvalidValue {
                    element: "contingencies".into(),
                    field: "min_factor".into(),
                    value: f,
                    expected: "a distribution factor from 0 to 1 (MW per MW)".into(),
                });
            }
            let m = self.network.branches.len();
            for (i, &k) in c.branches.iter().enumerate() {
                if k >= m {
                    return Err(Error::InvalidValue {
                        element: "contingencies".into(),
                        field: "branches".into(),
                        value: k as f64,
                        expected: format!("a 0-based branch position below {m}"),
                    });
                }
                if c.branches[..i].contains(&k) {
                    return Err(Error::Duplicate {
                        kind: "contingency".into(),
                        name: self.branch_label(k),
                    });
                }
            }
        }
        self.contingencies = contingencies;
        Ok(())
    }

    /// The MATPOWER case the network was taken from (a grid file's
    /// `[base]`), as the path it was read from; `None` for a grid described
    /// in full.
    ///
    /// ```
    /// let g = landlinked::io::grid::read("grids/central_asia/central_asia.toml")?;
    /// assert!(g.base_case().is_none());
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn base_case(&self) -> Option<&str> {
        self.base_case.as_deref()
    }
}
