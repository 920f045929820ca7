//! Fused reductions from Python: `ProfileInjections`, and the work behind
//! `DcPowerFlow.branch_stats`, `.n_minus_1_year` and `.screen_outages`
//! (the methods themselves are in `dcpf.rs`, PyO3 allowing one
//! `#[pymethods]` block per class). The year of flows is never stored:
//! the crate's `reduce_many` folds each solved block of periods into the
//! statistics, with the GIL released.

use super::*;

use landlinked::dc::{
    AngleExtremes, BranchStats, Injections, ProfileId, ProfileInjections as RsProfiles, Reducer,
};
use landlinked::sensitivity::{ContingencyYear, screen_outages as rs_screen};

/// Bus injections over periods as bases times profiles: the injection of
/// bus position ``b`` in period ``t`` is the sum over its terms of
/// ``base_mw × profile[t]`` (MW, positive into the bus). A year of a large
/// grid is then a few zone or load-class profiles and a base per bus,
/// not a ``(periods, buses)`` array: ``DcPowerFlow.branch_stats`` and
/// ``n_minus_1_year`` expand it block by block inside the solver.
/// ``to_numpy()`` materialises it with the same arithmetic, so both
/// paths give the same bits.
///
/// Buses are 0-based positions in file order (the columns of the
/// materialised array), not bus numbers.
///
/// Example:
///     >>> import numpy as np
///     >>> inj = landlinked.ProfileInjections(buses=3, periods=4)
///     >>> load = inj.add_profile("load", np.array([1.0, 0.8, 0.9, 1.2]))
///     >>> solar = inj.add_profile("solar", np.array([0.0, 0.5, 1.0, 0.2]))
///     >>> inj.add_term(1, -50.0, load)       # bus position 1 draws 50 MW × load
///     >>> inj.add_term(2, 20.0, "solar")     # a profile by name works too
///     >>> inj.add_term(2, -10.0, load)
///     >>> inj.to_numpy()[2]                  # period 3
///     array([  0., -45.,  11.])
#[pyclass(module = "landlinked")]
pub(crate) struct ProfileInjections {
    pub(crate) inner: RsProfiles,
    ids: Vec<ProfileId>,
}

#[pymethods]
impl ProfileInjections {
    /// No terms yet: every injection is zero. ``buses`` is the grid's bus
    /// count (``Network.n_buses``), ``periods`` the length of every
    /// profile.
    ///
    /// Example:
    ///     >>> landlinked.ProfileInjections(5, 8760)
    ///     ProfileInjections(5 buses, 8760 periods, 0 profiles, 0 terms)
    #[new]
    fn new(buses: usize, periods: usize) -> ProfileInjections {
        ProfileInjections {
            inner: RsProfiles::new(buses, periods),
            ids: Vec::new(),
        }
    }

    /// Adds a profile: a float64 NumPy array of one value per period, a
    /// multiplier of the bases that use it (a shape around 1, or a
    /// capacity factor). Returns its number (0, 1, …, in the order added)
    /// for ``add_term``. A wrong length, a NaN or a value beyond ±1000
    /// raises ``ValueError`` naming the profile and period.
    ///
    /// Example:
    ///     >>> import numpy as np
    ///     >>> inj = landlinked.ProfileInjections(2, 3)
    ///     >>> inj.add_profile("flat", np.ones(3)), inj.add_profile("ramp", np.array([0.5, 1.0, 1.5]))
    ///     (0, 1)
    fn add_profile(&mut self, name: &str, values: &Bound<'_, PyAny>) -> PyResult<usize> {
        let values = float_array::<numpy::Ix1>(values, "values", "(periods,)")?;
        let v = values
            .as_slice()
            .map_err(|e| PyValueError::new_err(e.to_string()))?;
        let id = self.inner.add_profile(name, v).map_err(py_err)?;
        self.ids.push(id);
        Ok(id.index())
    }

    /// Adds ``base_mw × profile[t]`` to the injection of bus position
    /// ``bus`` (0-based, file order) in every period. ``profile`` is the
    /// number ``add_profile`` returned or the profile's name. Terms of one
    /// bus are summed in the order added. An unknown bus or profile, or a
    /// base that is NaN or beyond ±10⁶ MW, raises ``ValueError``.
    ///
    /// Example:
    ///     >>> import numpy as np
    ///     >>> inj = landlinked.ProfileInjections(2, 2)
    ///     >>> p = inj.add_profile("p", np.array([1.0, 2.0]))
    ///     >>> inj.add_term(1, -4.0, p)
    ///     >>> inj.to_numpy()
    ///     array([[ 0., -4.],
    ///            [ 0., -8.]])
    fn add_term(&mut self, bus: i64, base_mw: f64, profile: &Bound<'_, PyAny>) -> PyResult<()> {
        let bus = usize::try_from(bus).map_err(|_| {
            PyValueError::new_err(format!(
                "bus {bus} is not a 0-based bus position below {}",
                self.inner.buses()
            ))
        })?;
        let names = self.inner.profile_names();
        let index = if let Ok(name) = profile.extract::<String>() {
            names.iter().position(|n| *n == name).ok_or_else(|| {
                let known: Vec<String> = names.iter().map(|n| format!("'{n}'")).collect();
                PyValueError::new_err(format!(
                    "no profile named '{name}'; the profiles are [{}]",
                    known.join(", ")
                ))
            })?
        } else {
            let k: i64 = profile.extract().map_err(|_| {
                PyValueError::new_err("profile is the number add_profile returned, or its name")
            })?;
            usize::try_from(k)
                .ok()
                .filter(|&k| k < self.ids.len())
                .ok_or_else(|| {
                    PyValueError::new_err(format!(
                        "profile {k} is not one of the {} profiles added",
                        self.ids.len()
                    ))
                })?
        };
        self.inner
            .add_term(bus, base_mw, self.ids[index])
            .map_err(py_err)
    }

    /// Buses (columns of ``to_numpy()``).
    ///
    /// Example:
    ///     >>> landlinked.ProfileInjections(7, 24).buses
    ///     7
    #[getter]
    fn buses(&self) -> usize {
        self.inner.buses()
    }

    /// Periods (rows of ``to_numpy()``).
    ///
    /// Example:
    ///     >>> landlinked.ProfileInjections(7, 24).periods
    ///     24
    #[getter]
    fn periods(&self) -> usize {
        self.inner.periods()
    }

    /// Terms added.
    ///
    /// Example:
    ///     >>> landlinked.ProfileInjections(7, 24).terms
    ///     0
    #[getter]
    fn terms(&self) -> usize {
        self.inner.terms()
    }

    /// Names of the profiles, in the order added (their numbers).
    ///
    /// Example:
    ///     >>> import numpy as np
    ///     >>> inj = landlinked.ProfileInjections(1, 2)
    ///     >>> _ = inj.add_profile("north", np.ones(2))
    ///     >>> inj.profile_names
    ///     ['north']
    #[getter]
    fn profile_names(&self) -> Vec<String> {
        self.inner.profile_names().to_vec()
    }

    /// The injections these profiles stand for: a new ``(periods, buses)``
    /// C-contiguous float64 array (MW), the input ``solve_many`` takes.
    /// Computed as the solver expands the profiles, so
    /// ``branch_stats(inj)`` and ``branch_stats(inj.to_numpy())`` agree to
    /// the bit.
    ///
    /// Example:
    ///     >>> import numpy as np
    ///     >>> inj = landlinked.ProfileInjections(3, 8760)
    ///     >>> inj.add_term(0, 100.0, inj.add_profile("flat", np.ones(8760)))
    ///     >>> a = inj.to_numpy()
    ///     >>> a.shape, a.flags.c_contiguous, float(a[:, 0].sum())
    ///     ((8760, 3), True, 876000.0)
    fn to_numpy(&self, py: Python<'_>) -> Py<PyAny> {
        let m = py.detach(|| self.inner.to_matrix());
        periods_array(py, m).0
    }

    fn __repr__(&self) -> String {
        format!(
            "ProfileInjections({} buses, {} periods, {} profiles, {} terms)",
            self.inner.buses(),
            self.inner.periods(),
            self.ids.len(),
            self.inner.terms()
        )
    }
}

/// Injections over periods from Python: a `(periods, buses)` float64 array
/// (read in place when C-contiguous) or a `ProfileInjections`.
pub(crate) enum Periods<'py> {
    Array(numpy::PyReadonlyArray2<'py, f64>),
    Profiles(PyRef<'py, ProfileInjections>),
}

impl<'py> Periods<'py> {
    /// Reads `obj` (named `what` in errors) for a grid of `n` buses; no
    /// periods is a `ValueError`.
    pub(crate) fn read(obj: &Bound<'py, PyAny>, n: usize, what: &str) -> PyResult<Periods<'py>> {
        let p = if let Ok(p) = obj.extract::<PyRef<'py, ProfileInjections>>() {
            if p.inner.buses() != n {
                return Err(PyValueError::new_err(format!(
                    "{what}: the ProfileInjections has {} buses, expected {n} (the grid's)",
                    p.inner.buses()
                )));
            }
            Periods::Profiles(p)
        } else {
            Periods::Array(periods_input(
                obj,
                n,
                what,
                "(periods, buses), or a ProfileInjections",
            )?)
        };
        if p.periods() == 0 {
            return Err(PyValueError::new_err(format!(
                "{what} has no periods (0 rows)"
            )));
        }
        Ok(p)
    }

    pub(crate) fn periods(&self) -> usize {
        match self {
            Periods::Array(a) => a.shape()[0],
            Periods::Profiles(p) => p.inner.periods(),
        }
    }

    /// The crate's view: the array's memory in place, or the profiles.
    pub(crate) fn injections(&self) -> PyResult<Injections<'_>> {
        Ok(match self {
            Periods::Array(a) => Injections::Slice {
                values_mw: a.as_slice().map_err(|_| {
                    PyValueError::new_err(
                        "the injections must be C-contiguous (np.ascontiguousarray makes a copy that is)",
                    )
                })?,
                buses: a.shape()[1],
            },
            Periods::Profiles(p) => Injections::Profiles(&p.inner),
        })
    }

    /// A buses × periods matrix (a copy), for the crate's functions that
    /// take one.
    pub(crate) fn matrix(&self) -> PyResult<DMatrix<f64>> {
        Ok(match self {
            Periods::Array(a) => {
                let (periods, buses) = (a.shape()[0], a.shape()[1]);
                let data = a
                    .as_slice()
                    .map_err(|e| PyValueError::new_err(e.to_string()))?;
                DMatrix::from_column_slice(buses, periods, data)
            }
            Periods::Profiles(p) => p.inner.to_matrix(),
        })
    }
}

/// A 1-D float64 vector from any array-like (a list, a NumPy array, a
/// pandas Series), of length `len` if given.
pub(crate) fn float_values(
    obj: &Bound<'_, PyAny>,
    what: &str,
    len: Option<usize>,
) -> PyResult<Vec<f64>> {
    let np = obj.py().import("numpy")?;
    let expected = match len {
        Some(l) => format!("({l},), one per branch in file order"),
        None => "(values,)".to_string(),
    };
    let a = np
        .call_method1("asarray", (obj, "float64"))
        .map_err(|e| PyValueError::new_err(format!("{what} must be numbers: {e}")))?;
    let a: numpy::PyReadonlyArrayDyn<'_, f64> = a.extract()?;
    if a.ndim() != 1 || len.is_some_and(|l| a.len() != l) {
        return Err(PyValueError::new_err(format!(
            "{what} has shape {:?}: expected {expected}",
            a.shape()
        )));
    }
    Ok(a.as_array().iter().copied().collect())
}

/// 0-based branch positions from any integer array-like (a list, a NumPy
/// array, a pandas Series such as ``screen_outages(...)["branch"]``).
pub(crate) fn branch_positions(
    obj: Option<&Bound<'_, PyAny>>,
    m: usize,
    what: &str,
) -> PyResult<Option<Vec<usize>>> {
    let Some(obj) = obj else { return Ok(None) };
    let np = obj.py().import("numpy")?;
    let a = np.call_method1("asarray", (obj,))?;
    let size: usize = a.getattr("size")?.extract()?;
    if size == 0 {
        return Ok(Some(Vec::new()));
    }
    let ndim: usize = a.getattr("ndim")?.extract()?;
    let kind: String = a.getattr("dtype")?.getattr("kind")?.extract()?;
    if ndim != 1 || !(kind == "i" || kind == "u") {
        return Err(PyValueError::new_err(format!(
            "{what} must be a list of 0-based branch positions (integers), not an array of \
             dtype {} and shape {}",
            a.getattr("dtype")?.str()?,
            a.getattr("shape")?.str()?
        )));
    }
    let list: Vec<i64> = a
        .call_method1("astype", ("int64",))?
        .call_method0("tolist")?
        .extract()?;
    positions(Some(list), m, what)
}

/// Every in-service branch position.
pub(crate) fn in_service(net: &RsNetwork) -> Vec<usize> {
    (0..net.branches.len())
        .filter(|&k| net.branches[k].in_service)
        .collect()
}

/// One rating per branch, MW: `ratings_mw` as given, or the network's
/// ``rate_a`` where it is positive and unlimited (∞) where it is 0.
pub(crate) fn branch_ratings(
    net: &RsNetwork,
    ratings_mw: Option<&Bound<'_, PyAny>>,
) -> PyResult<Vec<f64>> {
    match ratings_mw {
        Some(r) => float_values(r, "ratings_mw", Some(net.branches.len())),
        None => Ok(net
            .branches
            .iter()
            .map(|b| {
                if b.rate_a_mva > 0.0 {
                    b.rate_a_mva
                } else {
                    f64::INFINITY
                }
            })
            .collect()),
    }
}

/// A number in a column name: shortest form, rounded to 12 significant
/// digits (`0.3`, not `0.30000000000000004`), `inf` for ∞.
fn label(x: f64) -> String {
    if x.is_infinite() {
        return "inf".into();
    }
    let r: f64 = format!("{x:.11e}").parse().unwrap_or(x);
    format!("{r:?}")
}

fn ints<'py, T: TryInto<i64> + Copy>(py: Python<'py>, v: &[T]) -> Bound<'py, PyAny> {
    arr1(
        py,
        v.iter()
            .map(|&x| x.try_into().unwrap_or(i64::MAX))
            .collect(),
    )
}

/// The periods of `source` folded into `reducer` with the GIL released:
/// through the block kernel, or with `superpose` by superposing the grid's
/// response to each profile (profile injections only).
fn run_year<R: Reducer>(
    dc: &DcPowerFlow,
    py: Python<'_>,
    source: &Periods<'_>,
    superpose: bool,
    reducer: R,
) -> PyResult<R> {
    match (source.injections()?, superpose) {
        (Injections::Profiles(p), true) => py
            .detach(|| dc.pf.reduce_superposed(p, reducer))
            .map_err(py_err),
        (_, true) => Err(PyValueError::new_err(
            "superpose=True needs a ProfileInjections: an array of periods has no profiles to superpose",
        )),
        (inj, false) => py
            .detach(|| dc.pf.reduce_many(inj, reducer))
            .map_err(py_err),
    }
}

/// `DcPowerFlow.branch_stats`.
// One argument per keyword of the Python method.
#[allow(clippy::too_many_arguments)]
pub(crate) fn branch_stats<'py>(
    dc: &DcPowerFlow,
    py: Python<'py>,
    injections: &Bound<'py, PyAny>,
    ratings_mw: Option<&Bound<'py, PyAny>>,
    thresholds: Option<&Bound<'py, PyAny>>,
    histogram: Option<(usize, f64)>,
    angles: bool,
    superpose: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let (n, m) = (dc.pf.model().bus_count(), dc.pf.model().branch_count());
    let source = Periods::read(injections, n, "injections")?;
    let thresholds = match thresholds {
        Some(t) => float_values(t, "thresholds", None)?,
        None => Vec::new(),
    };
    let mut stats = BranchStats::new(m);
    let ratings = match ratings_mw {
        Some(r) => Some(float_values(r, "ratings_mw", Some(m))?),
        None => None,
    };
    if ratings.is_none() && (!thresholds.is_empty() || histogram.is_some()) {
        return Err(PyValueError::new_err(
            "thresholds and histogram are loadings: they need ratings_mw (one per branch)",
        ));
    }
    let threshold_names: Vec<String> = thresholds
        .iter()
        .map(|&t| format!("periods_above_{}", label(t)))
        .collect();
    if let Some(i) =
        (1..threshold_names.len()).find(|&i| threshold_names[..i].contains(&threshold_names[i]))
    {
        return Err(PyValueError::new_err(format!(
            "thresholds: {} is given twice",
            label(thresholds[i])
        )));
    }
    if let Some(r) = &ratings {
        stats = stats.with_ratings(r).map_err(py_err)?;
        if !thresholds.is_empty() {
            stats = stats.with_thresholds(&thresholds).map_err(py_err)?;
        }
        if let Some((bins, top)) = histogram {
            stats = stats.with_histogram(bins, top).map_err(py_err)?;
        }
    }
    let (s, a) = if angles {
        let (s, a) = run_year(dc, py, &source, superpose, (stats, AngleExtremes::new(n)))?;
        (s, Some(a))
    } else {
        (run_year(dc, py, &source, superpose, stats)?, None)
    };
    let br = &dc.net.branches;
    let mut cols: Vec<(String, Bound<'py, PyAny>)> = vec![
        (
            "f_bus".into(),
            arr1(py, br.iter().map(|b| b.from).collect()),
        ),
        ("t_bus".into(), arr1(py, br.iter().map(|b| b.to).collect())),
        ("max_mw".into(), arr1(py, s.max_mw().to_vec())),
        ("max_period".into(), ints(py, s.max_period())),
        ("min_mw".into(), arr1(py, s.min_mw().to_vec())),
        ("min_period".into(), ints(py, s.min_period())),
        ("mean_mw".into(), arr1(py, s.mean_mw())),
    ];
    if let (Some(r), Some(loading)) = (ratings, s.max_loading()) {
        cols.push(("rating_mw".into(), arr1(py, r)));
        cols.push(("max_loading".into(), arr1(py, loading)));
        cols.push(("max_loading_period".into(), ints(py, &s.max_abs_period())));
        for (j, name) in threshold_names.into_iter().enumerate() {
            cols.push((name, ints(py, &s.periods_above(j))));
        }
        if let Some((bins, top)) = histogram {
            let edge = |i: usize| {
                if i > bins {
                    f64::INFINITY
                } else {
                    top * i as f64 / bins as f64
                }
            };
            for i in 0..=bins {
                let counts: Vec<u32> = (0..m).map(|k| s.histogram(k)[i]).collect();
                let name = format!("periods_loading_{}_{}", label(edge(i)), label(edge(i + 1)));
                cols.push((name, ints(py, &counts)));
            }
        }
    }
    let df = frame(
        py,
        cols.iter().map(|(k, v)| (k.as_str(), v.clone())).collect(),
    )?;
    df.getattr("attrs")?.set_item("periods", source.periods())?;
    let Some(a) = a else { return Ok(df) };
    let buses = frame(
        py,
        vec![
            ("bus", arr1(py, dc.net.buses.iter().map(|b| b.id).collect())),
            ("max_deg", arr1(py, a.max_deg().to_vec())),
            ("max_period", ints(py, a.max_period())),
            ("min_deg", arr1(py, a.min_deg().to_vec())),
            ("min_period", ints(py, a.min_period())),
        ],
    )?;
    buses
        .getattr("attrs")?
        .set_item("periods", source.periods())?;
    Ok(pyo3::types::PyTuple::new(py, [df, buses])?.into_any())
}

/// `DcPowerFlow.n_minus_1_year`.
pub(crate) fn n_minus_1_year<'py>(
    dc: &DcPowerFlow,
    py: Python<'py>,
    injections: &Bound<'py, PyAny>,
    outages: &Bound<'py, PyAny>,
    monitored: Option<&Bound<'py, PyAny>>,
    ratings_mw: Option<&Bound<'py, PyAny>>,
    superpose: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let (n, m) = (dc.pf.model().bus_count(), dc.pf.model().branch_count());
    let source = Periods::read(injections, n, "injections")?;
    let outages = branch_positions(Some(outages), m, "outages")?.unwrap_or_default();
    if outages.is_empty() {
        return Err(PyValueError::new_err(
            "outages is empty: give the contingency list (0-based branch positions; \
             screen_outages ranks candidates)",
        ));
    }
    let monitored =
        branch_positions(monitored, m, "monitored")?.unwrap_or_else(|| in_service(&dc.net));
    let all = branch_ratings(&dc.net, ratings_mw)?;
    let ratings: Vec<f64> = monitored.iter().map(|&l| all[l]).collect();
    // A bad list (an islanding outage, a zero rating) is a bad value.
    let n1 = py
        .detach(|| ContingencyYear::new(&dc.pf, &monitored, &outages, &ratings))
        .map_err(|e| PyValueError::new_err(e.to_string()))?;
    let year = run_year(dc, py, &source, superpose, n1)?;
    let br = &dc.net.branches;
    let df = frame(
        py,
        vec![
            ("branch", ints(py, &monitored)),
            (
                "f_bus",
                arr1(py, monitored.iter().map(|&l| br[l].from).collect()),
            ),
            (
                "t_bus",
                arr1(py, monitored.iter().map(|&l| br[l].to).collect()),
            ),
            ("rating_mw", arr1(py, ratings)),
            ("worst_mw", arr1(py, year.worst_mw().to_vec())),
            ("worst_loading", arr1(py, year.worst_loading())),
            ("worst_outage", ints(py, &year.worst_outage())),
            ("worst_period", ints(py, year.worst_period())),
        ],
    )?;
    let attrs = df.getattr("attrs")?;
    attrs.set_item("insecure_periods", year.insecure_periods().to_vec())?;
    attrs.set_item("outages", outages)?;
    attrs.set_item("periods", source.periods())?;
    Ok(df)
}

/// `DcPowerFlow.screen_outages`.
pub(crate) fn screen_outages<'py>(
    dc: &DcPowerFlow,
    py: Python<'py>,
    sample: &Bound<'py, PyAny>,
    count: usize,
    candidates: Option<&Bound<'py, PyAny>>,
    monitored: Option<&Bound<'py, PyAny>>,
    ratings_mw: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let (n, m) = (dc.pf.model().bus_count(), dc.pf.model().branch_count());
    let sample = Periods::read(sample, n, "sample")?.matrix()?;
    let candidates =
        branch_positions(candidates, m, "candidates")?.unwrap_or_else(|| in_service(&dc.net));
    let monitored =
        branch_positions(monitored, m, "monitored")?.unwrap_or_else(|| in_service(&dc.net));
    let all = branch_ratings(&dc.net, ratings_mw)?;
    let ratings: Vec<f64> = monitored.iter().map(|&l| all[l]).collect();
    let ranked = py
        .detach(|| rs_screen(&dc.pf, &candidates, &monitored, &ratings, &sample, count))
        .map_err(py_err)?;
    let br = &dc.net.branches;
    let k: Vec<usize> = ranked.iter().map(|s| s.branch).collect();
    frame(
        py,
        vec![
            ("branch", ints(py, &k)),
            ("f_bus", arr1(py, k.iter().map(|&k| br[k].from).collect())),
            ("t_bus", arr1(py, k.iter().map(|&k| br[k].to).collect())),
            ("score", arr1(py, ranked.iter().map(|s| s.score).collect())),
        ],
    )
}
