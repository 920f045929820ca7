//! Python bindings of `landlinked`: the module `landlinked._landlinked`,
//! re-exported by the pure-Python package `landlinked`.
//!
//! Arrays cross into Python without a copy where the crate already owns
//! them (the solver's results become NumPy arrays over the same buffer),
//! and tables are pandas DataFrames. Every solve and study runs with the
//! GIL released.

use std::path::PathBuf;

use nalgebra::DMatrix;
use numpy::ndarray::{Array2, ShapeBuilder};
use numpy::{PyArray1, PyArray2, PyUntypedArrayMethods};
use pyo3::exceptions::{PyException, PyFileNotFoundError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use serde::Serialize;

use landlinked::dc::DcPowerFlow as RsPowerFlow;
use landlinked::hourly::{HourlySettings, HourlyStudy};
use landlinked::io::{grid as gridio, matpower};
use landlinked::network::Network as RsNetwork;
use landlinked::region::RegionalGrid as RsGrid;
use landlinked::seasonal::{Hydrology, Scenario as RsScenario};
use landlinked::sensitivity::{
    Lodf, OutageKind, Ptdf, TransferLimit, TransferSettings, Zone, screen_n1,
    transfer_capability as rs_transfer,
};

pyo3::create_exception!(
    landlinked,
    Error,
    PyException,
    "An error of the landlinked crate that is neither a missing file\n\
     (FileNotFoundError) nor a bad value (ValueError): a malformed case or\n\
     grid file, a singular island, an island without a generator.\n\
     The message is the crate's, naming the file, line and element.\n\n\
     Example:\n\
     >>> import landlinked\n\
     >>> issubclass(landlinked.Error, Exception)\n\
     True"
);

/// The crate's error as the Python exception a user expects: a missing
/// file is a `FileNotFoundError`, a bad value (a NaN, a wrong length, an
/// unknown name, a value out of range) a `ValueError`, anything else a
/// `landlinked.Error`; the message is always the crate's.
fn py_err(e: landlinked::Error) -> PyErr {
    use landlinked::Error as E;
    let msg = e.to_string();
    match e.root() {
        E::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound => {
            PyFileNotFoundError::new_err(msg)
        }
        E::NonFinite { .. }
        | E::InvalidValue { .. }
        | E::DimensionMismatch { .. }
        | E::NotFound { .. }
        | E::Duplicate { .. }
        | E::UnknownBus { .. }
        | E::UnknownName { .. }
        | E::LinkOverCapacity { .. } => PyValueError::new_err(msg),
        _ => Error::new_err(msg),
    }
}

type Res<T> = Result<T, landlinked::Error>;

fn pandas(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    py.import("pandas")?.getattr("DataFrame")
}

/// A DataFrame from named columns (NumPy arrays or lists), in order.
fn frame<'py>(
    py: Python<'py>,
    cols: Vec<(&str, Bound<'py, PyAny>)>,
) -> PyResult<Bound<'py, PyAny>> {
    let d = PyDict::new(py);
    for (k, v) in cols {
        d.set_item(k, v)?;
    }
    pandas(py)?.call1((d,))
}

/// A DataFrame from serde rows (the crate's CSV rows), with `columns` in
/// this order even when there are no rows.
fn records<'py, T: Serialize>(
    py: Python<'py>,
    rows: &[T],
    columns: &[&str],
) -> PyResult<Bound<'py, PyAny>> {
    let text = serde_json::to_string(rows).map_err(|e| Error::new_err(e.to_string()))?;
    let data = py.import("json")?.call_method1("loads", (text,))?;
    let kw = PyDict::new(py);
    kw.set_item("columns", columns.to_vec())?;
    pandas(py)?.call((data,), Some(&kw))
}

fn arr1<'py, T: numpy::Element>(py: Python<'py>, v: Vec<T>) -> Bound<'py, PyAny> {
    PyArray1::from_vec(py, v).into_any()
}

fn list<'py, T: IntoPyObject<'py>>(py: Python<'py>, v: Vec<T>) -> PyResult<Bound<'py, PyAny>> {
    Ok(pyo3::types::PyList::new(py, v)?.into_any())
}

/// An elements × periods column-major matrix handed to NumPy as a
/// C-contiguous periods × elements array over the same buffer (no copy);
/// returns the array and its buffer's address.
fn periods_array(py: Python<'_>, m: DMatrix<f64>) -> (Py<PyAny>, usize) {
    let (elements, periods) = m.shape();
    let v: Vec<f64> = m.data.into();
    let address = v.as_ptr() as usize;
    let a = Array2::from_shape_vec((periods, elements), v).expect("shape matches the buffer");
    (
        PyArray2::from_owned_array(py, a).into_any().unbind(),
        address,
    )
}

/// A column-major matrix as a Fortran-ordered NumPy array of the same
/// shape (no copy of the vector given).
fn fortran_array(py: Python<'_>, rows: usize, cols: usize, v: Vec<f64>) -> Py<PyAny> {
    let a = Array2::from_shape_vec((rows, cols).f(), v).expect("shape matches the buffer");
    PyArray2::from_owned_array(py, a).into_any().unbind()
}

// ---------------------------------------------------------------- Network

/// A power network as read from a MATPOWER case: buses, branches and
/// generators in file order, MW / MVA / degrees, bus numbers as in the
/// file.
///
/// Read one with ``read_matpower``; its tables are pandas DataFrames.
///
/// Example:
///     >>> import landlinked
///     >>> net = landlinked.read_matpower("grids/case5_tap_shift.m")
///     >>> (net.n_buses, net.n_branches, net.n_generators, net.base_mva)
///     (5, 8, 4, 100.0)
///     >>> list(net.branches().columns[:3])
///     ['f_bus', 't_bus', 'r_pu']
#[pyclass(frozen, module = "landlinked")]
struct Network {
    inner: RsNetwork,
}

#[pymethods]
impl Network {
    /// The case's name (its ``function mpc = NAME`` or file stem).
    ///
    /// Example:
    ///     >>> landlinked.read_matpower("grids/case5_tap_shift.m").name
    ///     'case5_tap_shift'
    #[getter]
    fn name(&self) -> &str {
        &self.inner.name
    }

    /// Number of buses.
    ///
    /// Example:
    ///     >>> landlinked.read_matpower("grids/case5_tap_shift.m").n_buses
    ///     5
    #[getter]
    fn n_buses(&self) -> usize {
        self.inner.buses.len()
    }

    /// Number of branches (in service or not).
    ///
    /// Example:
    ///     >>> landlinked.read_matpower("grids/case5_tap_shift.m").n_branches
    ///     8
    #[getter]
    fn n_branches(&self) -> usize {
        self.inner.branches.len()
    }

    /// Number of generators (in service or not).
    ///
    /// Example:
    ///     >>> landlinked.read_matpower("grids/case5_tap_shift.m").n_generators
    ///     4
    #[getter]
    fn n_generators(&self) -> usize {
        self.inner.generators.len()
    }

    /// The system base, MVA (``mpc.baseMVA``).
    ///
    /// Example:
    ///     >>> landlinked.read_matpower("grids/case5_tap_shift.m").base_mva
    ///     100.0
    #[getter]
    fn base_mva(&self) -> f64 {
        self.inner.base_mva
    }

    /// The buses as a DataFrame, file order: ``bus`` (number), ``type``
    /// (MATPOWER code: 1 PQ, 2 PV, 3 REF, 4 isolated), ``pd_mw``,
    /// ``qd_mvar``, ``gs_mw``, ``bs_mvar``, ``area``, ``vm_pu``, ``va_deg``,
    /// ``base_kv``, ``zone``.
    ///
    /// Example:
    ///     >>> net = landlinked.read_matpower("grids/case5_tap_shift.m")
    ///     >>> float(net.buses()["pd_mw"].sum())
    ///     305.0
    fn buses<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let b = &self.inner.buses;
        let col = |f: fn(&landlinked::network::Bus) -> f64| arr1(py, b.iter().map(f).collect());
        frame(
            py,
            vec![
                ("bus", arr1(py, b.iter().map(|x| x.id).collect())),
                ("type", arr1(py, b.iter().map(|x| x.kind.code()).collect())),
                ("pd_mw", col(|x| x.pd_mw)),
                ("qd_mvar", col(|x| x.qd_mvar)),
                ("gs_mw", col(|x| x.gs_mw)),
                ("bs_mvar", col(|x| x.bs_mvar)),
                ("area", arr1(py, b.iter().map(|x| x.area).collect())),
                ("vm_pu", col(|x| x.vm_pu)),
                ("va_deg", col(|x| x.va_deg)),
                ("base_kv", col(|x| x.base_kv)),
                ("zone", arr1(py, b.iter().map(|x| x.zone).collect())),
            ],
        )
    }

    /// The branches as a DataFrame, file order (row ``i`` is branch
    /// position ``i``, 0-based): ``f_bus``, ``t_bus``, ``r_pu``, ``x_pu``,
    /// ``b_pu``, ``rate_a_mva``, ``rate_b_mva``, ``rate_c_mva``, ``tap``
    /// (0 means 1), ``shift_deg``, ``in_service``.
    ///
    /// Example:
    ///     >>> net = landlinked.read_matpower("grids/case5_tap_shift.m")
    ///     >>> int(net.branches()["in_service"].sum())  # branch 12-40 is out
    ///     7
    fn branches<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let b = &self.inner.branches;
        let col = |f: fn(&landlinked::network::Branch) -> f64| arr1(py, b.iter().map(f).collect());
        frame(
            py,
            vec![
                ("f_bus", arr1(py, b.iter().map(|x| x.from).collect())),
                ("t_bus", arr1(py, b.iter().map(|x| x.to).collect())),
                ("r_pu", col(|x| x.r_pu)),
                ("x_pu", col(|x| x.x_pu)),
                ("b_pu", col(|x| x.b_pu)),
                ("rate_a_mva", col(|x| x.rate_a_mva)),
                ("rate_b_mva", col(|x| x.rate_b_mva)),
                ("rate_c_mva", col(|x| x.rate_c_mva)),
                ("tap", col(|x| x.tap)),
                ("shift_deg", col(|x| x.shift_deg)),
                (
                    "in_service",
                    arr1(py, b.iter().map(|x| x.in_service).collect()),
                ),
            ],
        )
    }

    /// The generators as a DataFrame, file order: ``bus``, ``pg_mw``,
    /// ``qg_mvar``, ``pmax_mw``, ``pmin_mw``, ``in_service``.
    ///
    /// Example:
    ///     >>> net = landlinked.read_matpower("grids/case5_tap_shift.m")
    ///     >>> len(net.generators())
    ///     4
    fn generators<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let g = &self.inner.generators;
        let col =
            |f: fn(&landlinked::network::Generator) -> f64| arr1(py, g.iter().map(f).collect());
        frame(
            py,
            vec![
                ("bus", arr1(py, g.iter().map(|x| x.bus).collect())),
                ("pg_mw", col(|x| x.pg_mw)),
                ("qg_mvar", col(|x| x.qg_mvar)),
                ("pmax_mw", col(|x| x.pmax_mw)),
                ("pmin_mw", col(|x| x.pmin_mw)),
                (
                    "in_service",
                    arr1(py, g.iter().map(|x| x.in_service).collect()),
                ),
            ],
        )
    }

    fn __repr__(&self) -> String {
        format!(
            "Network({:?}: {} buses, {} branches, {} generators, baseMVA {})",
            self.inner.name,
            self.inner.buses.len(),
            self.inner.branches.len(),
            self.inner.generators.len(),
            self.inner.base_mva
        )
    }
}

/// Reads a MATPOWER case file (``.m``) into a ``Network``.
///
/// Raises ``FileNotFoundError`` for a missing file, ``ValueError`` for a
/// bad value (a NaN, an unknown bus) and ``landlinked.Error`` for a
/// malformed file; messages name the file and line.
///
/// Example:
///     >>> net = landlinked.read_matpower("grids/case5_tap_shift.m")
///     >>> net.n_buses
///     5
#[pyfunction]
fn read_matpower(py: Python<'_>, path: PathBuf) -> PyResult<Network> {
    let inner = py.detach(|| matpower::read(&path)).map_err(py_err)?;
    Ok(Network { inner })
}

/// Writes a ``Network`` as a MATPOWER case file that MATPOWER and
/// ``read_matpower`` read back to the same network.
///
/// Example:
///     >>> import tempfile, os
///     >>> net = landlinked.read_matpower("grids/case5_tap_shift.m")
///     >>> path = os.path.join(tempfile.mkdtemp(), "copy.m")
///     >>> landlinked.write_matpower(net, path)
///     >>> landlinked.read_matpower(path).n_branches
///     8
#[pyfunction]
fn write_matpower(net: &Network, path: PathBuf) -> PyResult<()> {
    matpower::write(&net.inner, &path).map_err(py_err)
}

// ---------------------------------------------------------- DC power flow

/// The DC power flow of one network, as MATPOWER's ``rundcpf`` defines
/// it: built (validated, factorised) once, then solved for the network's
/// own injections or for any others, one period or many.
///
/// Conventions (the crate's): MW, MVA and degrees; an injection is
/// positive into the bus, a branch flow positive from its ``f_bus`` to its
/// ``t_bus``; every result is in file order. Each REF bus with an
/// in-service generator keeps its file angle and takes its island's
/// mismatch. Out-of-service branches and generators, and isolated buses,
/// are reported as 0 (isolated buses keep their file angle).
///
/// Building and solving release the GIL.
///
/// Example:
///     >>> import landlinked
///     >>> net = landlinked.read_matpower("grids/case5_tap_shift.m")
///     >>> pf = landlinked.DcPowerFlow(net)
///     >>> sol = pf.solve()
///     >>> sol.pf_mw.shape, sol.va_deg.shape
///     ((8,), (5,))
#[pyclass(frozen, module = "landlinked")]
struct DcPowerFlow {
    net: RsNetwork,
    pf: RsPowerFlow,
}

/// One DC power flow's result, every element in file order: ``va_deg``
/// (bus angles, degrees), ``pf_mw`` (branch flows, MW), ``pg_mw``
/// (generator outputs, MW, slack adjusted), ``p_inj_mw`` (net bus
/// injections after the slack, MW) as NumPy arrays, ``islands`` and
/// ``warnings`` (reference choices MATPOWER would not have made).
///
/// Example:
///     >>> sol = landlinked.DcPowerFlow(landlinked.read_matpower("grids/case5_tap_shift.m")).solve()
///     >>> bool(abs(sol.pg_mw.sum() - 313.0) < 1e-9)  # 305 MW of load and an 8 MW shunt
///     True
///     >>> sorted(sol.to_pandas())
///     ['branches', 'buses', 'generators']
#[pyclass(frozen, module = "landlinked")]
struct DcSolution {
    /// Bus voltage angles, degrees (NumPy, one per bus).
    #[pyo3(get)]
    va_deg: Py<PyAny>,
    /// Branch flows from → to, MW (NumPy, one per branch; 0 out of service).
    #[pyo3(get)]
    pf_mw: Py<PyAny>,
    /// Generator outputs, MW (NumPy, one per generator).
    #[pyo3(get)]
    pg_mw: Py<PyAny>,
    /// Net injection into each bus after the slack, MW (NumPy).
    #[pyo3(get)]
    p_inj_mw: Py<PyAny>,
    /// Number of islands solved.
    #[pyo3(get)]
    islands: usize,
    /// Reference choices the crate made where MATPOWER would not have.
    #[pyo3(get)]
    warnings: Vec<String>,
    bus_ids: Vec<u64>,
    ends: Vec<(u64, u64)>,
    gen_bus: Vec<u64>,
}

#[pymethods]
impl DcSolution {
    /// The result as three DataFrames in a dict: ``buses`` (``bus``,
    /// ``va_deg``, ``p_inj_mw``), ``branches`` (``f_bus``, ``t_bus``,
    /// ``pf_mw``) and ``generators`` (``bus``, ``pg_mw``).
    ///
    /// Example:
    ///     >>> t = landlinked.DcPowerFlow(landlinked.read_matpower("grids/case5_tap_shift.m")).solve().to_pandas()
    ///     >>> list(t["branches"].columns)
    ///     ['f_bus', 't_bus', 'pf_mw']
    fn to_pandas<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let out = PyDict::new(py);
        out.set_item(
            "buses",
            frame(
                py,
                vec![
                    ("bus", arr1(py, self.bus_ids.clone())),
                    ("va_deg", self.va_deg.bind(py).clone()),
                    ("p_inj_mw", self.p_inj_mw.bind(py).clone()),
                ],
            )?,
        )?;
        out.set_item(
            "branches",
            frame(
                py,
                vec![
                    ("f_bus", arr1(py, self.ends.iter().map(|e| e.0).collect())),
                    ("t_bus", arr1(py, self.ends.iter().map(|e| e.1).collect())),
                    ("pf_mw", self.pf_mw.bind(py).clone()),
                ],
            )?,
        )?;
        out.set_item(
            "generators",
            frame(
                py,
                vec![
                    ("bus", arr1(py, self.gen_bus.clone())),
                    ("pg_mw", self.pg_mw.bind(py).clone()),
                ],
            )?,
        )?;
        Ok(out)
    }

    fn __repr__(&self) -> String {
        format!(
            "DcSolution({} buses, {} branches, {} islands)",
            self.bus_ids.len(),
            self.ends.len(),
            self.islands
        )
    }
}

/// Angles, flows and slack for one set of injections (``solve_injections``):
/// ``va_deg`` (per bus), ``pf_mw`` (per branch), ``slack_mw`` (per
/// reference bus, in ``DcPowerFlow.reference_buses`` order), NumPy arrays.
///
/// Example:
///     >>> pf = landlinked.DcPowerFlow(landlinked.read_matpower("grids/case5_tap_shift.m"))
///     >>> st = pf.solve_injections(pf.bus_injections_mw)
///     >>> st.slack_mw.shape
///     (1,)
#[pyclass(frozen, module = "landlinked")]
struct DcState {
    /// Bus voltage angles, degrees.
    #[pyo3(get)]
    va_deg: Py<PyAny>,
    /// Branch flows from → to, MW.
    #[pyo3(get)]
    pf_mw: Py<PyAny>,
    /// Injection each reference bus adds to balance its island, MW.
    #[pyo3(get)]
    slack_mw: Py<PyAny>,
}

/// Many periods solved at once (``solve_many``): ``va_deg`` is
/// ``(periods, buses)``, ``pf_mw`` ``(periods, branches)`` and ``slack_mw``
/// ``(periods, references)``, C-contiguous float64 NumPy arrays that are
/// views of the buffers the Rust solver wrote (no copy): the crate's
/// buses × periods column-major matrix is, in memory, exactly a
/// periods × buses row-major array. ``buffer_addresses`` gives each
/// buffer's address, equal to ``arr.__array_interface__["data"][0]``.
///
/// Example:
///     >>> import numpy as np
///     >>> pf = landlinked.DcPowerFlow(landlinked.read_matpower("grids/case5_tap_shift.m"))
///     >>> s = pf.solve_many(np.tile(pf.bus_injections_mw, (24, 1)))
///     >>> s.pf_mw.shape, s.pf_mw.flags.owndata
///     ((24, 8), False)
#[pyclass(frozen, module = "landlinked")]
struct DcSeries {
    /// Bus angles, degrees: periods × buses.
    #[pyo3(get)]
    va_deg: Py<PyAny>,
    /// Branch flows, MW: periods × branches.
    #[pyo3(get)]
    pf_mw: Py<PyAny>,
    /// Slack injection at each reference bus, MW: periods × references.
    #[pyo3(get)]
    slack_mw: Py<PyAny>,
    /// Addresses of the Rust buffers behind ``va_deg``, ``pf_mw`` and
    /// ``slack_mw`` (for checking that nothing was copied).
    #[pyo3(get)]
    buffer_addresses: (usize, usize, usize),
}

/// A transfer zone from Python: a bus number, a list of bus numbers
/// (equal shares) or a dict ``{bus: weight}``.
fn zone(obj: &Bound<'_, PyAny>) -> PyResult<Zone> {
    if let Ok(bus) = obj.extract::<u64>() {
        return Ok(Zone::bus(bus));
    }
    if obj.hasattr("items")? {
        let w: Vec<(u64, f64)> = obj
            .call_method0("items")?
            .try_iter()?
            .map(|i| i?.extract())
            .collect::<PyResult<_>>()?;
        return Zone::with_shares(&w).map_err(py_err);
    }
    let ids: Vec<u64> = obj.extract().map_err(|_| {
        PyValueError::new_err(
            "a zone is a bus number, a list of bus numbers or a dict {bus: weight}",
        )
    })?;
    Zone::equal(&ids).map_err(py_err)
}

/// A float64 NumPy array of dimension `D`, read in place when it is
/// C-contiguous and copied into one that is otherwise; any other dtype or
/// dimension, or something that is not an array, is a `ValueError`.
fn float_array<'py, D: numpy::ndarray::Dimension>(
    obj: &Bound<'py, PyAny>,
    what: &str,
    shape: &str,
) -> PyResult<numpy::PyReadonlyArray<'py, f64, D>> {
    let py = obj.py();
    let np = py.import("numpy")?;
    if !obj.is_instance(&np.getattr("ndarray")?)? {
        return Err(PyValueError::new_err(format!(
            "{what} must be a float64 NumPy array of shape {shape}, not {}",
            obj.get_type().name()?
        )));
    }
    let array = match obj.extract::<numpy::PyReadonlyArray<'py, f64, D>>() {
        Ok(a) => a,
        Err(_) => {
            return Err(PyValueError::new_err(format!(
                "{what} must be a float64 NumPy array of shape {shape}, not {} of dtype {} and shape {}",
                obj.get_type().name()?,
                obj.getattr("dtype")?.str()?,
                obj.getattr("shape")?.str()?
            )));
        }
    };
    if array.is_c_contiguous() {
        return Ok(array);
    }
    // A transposed or strided view: one C-contiguous copy.
    drop(array);
    np.call_method1("ascontiguousarray", (obj,))?.extract()
}

/// Branch positions from Python (0-based), checked against the count.
fn positions(list: Option<Vec<i64>>, m: usize, what: &str) -> PyResult<Option<Vec<usize>>> {
    list.map(|l| {
        l.into_iter()
            .map(|k| {
                usize::try_from(k).ok().filter(|&k| k < m).ok_or_else(|| {
                    PyValueError::new_err(format!(
                        "{what}: branch position {k} is not a 0-based position below {m}"
                    ))
                })
            })
            .collect()
    })
    .transpose()
}

fn limit_rows(net: &RsNetwork, case: &str, limits: &[TransferLimit], rows: &mut LimitRows) {
    for l in limits {
        let br = &net.branches[l.branch];
        rows.case.push(case.to_string());
        rows.transfer_mw.push(l.transfer_mw);
        rows.branch.push(l.branch);
        rows.f_bus.push(br.from);
        rows.t_bus.push(br.to);
        rows.outage.push(l.outage.map(|o| o as i64));
        rows.flow_mw.push(l.flow_mw);
        rows.factor.push(l.factor);
        rows.rate_mva.push(l.rate_mva);
    }
}

#[derive(Default)]
struct LimitRows {
    case: Vec<String>,
    transfer_mw: Vec<f64>,
    branch: Vec<usize>,
    f_bus: Vec<u64>,
    t_bus: Vec<u64>,
    outage: Vec<Option<i64>>,
    flow_mw: Vec<f64>,
    factor: Vec<f64>,
    rate_mva: Vec<f64>,
}

#[pymethods]
impl DcPowerFlow {
    /// Validates the network, finds its islands and references, builds the
    /// sparse B matrices and factorises the reduced B (LDLᵀ, so negative
    /// reactances are fine). Raises ``ValueError`` for a bad value and
    /// ``landlinked.Error`` for an island with no generator or a singular
    /// island, naming its buses.
    ///
    /// Example:
    ///     >>> pf = landlinked.DcPowerFlow(landlinked.read_matpower("grids/case5_tap_shift.m"))
    ///     >>> pf.reference_buses  # bus 3, the second row
    ///     [1]
    #[new]
    fn new(py: Python<'_>, net: &Network) -> PyResult<DcPowerFlow> {
        let net = net.inner.clone();
        let pf = py.detach(|| RsPowerFlow::new(&net)).map_err(py_err)?;
        Ok(DcPowerFlow { net, pf })
    }

    /// The network this power flow was built from.
    ///
    /// Example:
    ///     >>> pf = landlinked.DcPowerFlow(landlinked.read_matpower("grids/case5_tap_shift.m"))
    ///     >>> pf.network.n_buses
    ///     5
    #[getter]
    fn network(&self) -> Network {
        Network {
            inner: self.net.clone(),
        }
    }

    /// Reference bus positions (0-based, file order), island by island.
    ///
    /// Example:
    ///     >>> landlinked.DcPowerFlow(landlinked.read_matpower("grids/case5_tap_shift.m")).reference_buses  # bus 3, the second row
    ///     [1]
    #[getter]
    fn reference_buses(&self) -> Vec<usize> {
        self.pf.reference_buses().to_vec()
    }

    /// The network's own bus injections, MW (generation less load and
    /// shunt conductance, before the slack), one per bus in file order,
    /// as a new NumPy array.
    ///
    /// Example:
    ///     >>> pf = landlinked.DcPowerFlow(landlinked.read_matpower("grids/case5_tap_shift.m"))
    ///     >>> pf.bus_injections_mw.shape
    ///     (5,)
    #[getter]
    fn bus_injections_mw<'py>(&self, py: Python<'py>) -> Bound<'py, PyAny> {
        arr1(py, self.pf.model().bus_injections_mw().to_vec())
    }

    /// Solves for the network's own injections: MATPOWER's ``rundcpf``.
    /// Returns a ``DcSolution`` (NumPy arrays in file order; ``to_pandas()``
    /// for DataFrames). Releases the GIL.
    ///
    /// Example:
    ///     >>> sol = landlinked.DcPowerFlow(landlinked.read_matpower("grids/case5_tap_shift.m")).solve()
    ///     >>> sol.islands
    ///     1
    fn solve(&self, py: Python<'_>) -> PyResult<DcSolution> {
        let sol = py.detach(|| self.pf.solve()).map_err(py_err)?;
        Ok(DcSolution {
            va_deg: arr1(py, sol.va_deg).unbind(),
            pf_mw: arr1(py, sol.pf_mw).unbind(),
            pg_mw: arr1(py, sol.pg_mw).unbind(),
            p_inj_mw: arr1(py, sol.p_inj_mw).unbind(),
            islands: sol.islands,
            warnings: sol.warnings.iter().map(|w| w.to_string()).collect(),
            bus_ids: self.net.buses.iter().map(|b| b.id).collect(),
            ends: self.net.branches.iter().map(|b| (b.from, b.to)).collect(),
            gen_bus: self.net.generators.iter().map(|g| g.bus).collect(),
        })
    }

    /// Solves for any bus injections: a float64 array of one value per bus
    /// (MW, positive into the bus, file order; values at isolated buses
    /// are ignored). Phase-shift injections are added as in MATPOWER.
    /// Returns a ``DcState``. A wrong length or a NaN raises ``ValueError``.
    ///
    /// Example:
    ///     >>> pf = landlinked.DcPowerFlow(landlinked.read_matpower("grids/case5_tap_shift.m"))
    ///     >>> p = pf.bus_injections_mw
    ///     >>> before = pf.solve_injections(p).slack_mw[0]
    ///     >>> p[2] -= 10.0  # 10 MW more load at bus 12
    ///     >>> round(float(pf.solve_injections(p).slack_mw[0] - before), 9)  # the slack takes it
    ///     10.0
    fn solve_injections(&self, py: Python<'_>, p_mw: &Bound<'_, PyAny>) -> PyResult<DcState> {
        let p_mw = float_array::<numpy::Ix1>(p_mw, "p_mw", "(buses,)")?;
        let p = p_mw
            .as_slice()
            .map_err(|e| PyValueError::new_err(e.to_string()))?;
        let st = py.detach(|| self.pf.solve_injections(p)).map_err(py_err)?;
        Ok(DcState {
            va_deg: arr1(py, st.va_deg).unbind(),
            pf_mw: arr1(py, st.pf_mw).unbind(),
            slack_mw: arr1(py, st.slack_mw).unbind(),
        })
    }

    /// Solves many periods with the one factorisation: ``injections`` is a
    /// ``(periods, buses)`` float64 C-contiguous array (MW, one row per
    /// period). Returns a ``DcSeries`` whose ``va_deg`` is
    /// ``(periods, buses)`` and ``pf_mw`` ``(periods, branches)``.
    ///
    /// No copies: the input is read in place (a C-contiguous periods ×
    /// buses array is the crate's buses × periods column-major matrix) and
    /// the results are NumPy views of the buffers the solver wrote.
    /// Periods run in parallel, in blocks of 16, with the GIL released;
    /// results are the same to the bit as one ``solve_injections`` per
    /// period and at any thread count.
    ///
    /// A non-contiguous input (a transposed or sliced array) is copied
    /// once into a C-contiguous array first. Another dtype, dimension or
    /// number of columns raises ``ValueError`` (convert with
    /// ``np.asarray(x, dtype=np.float64)``), and so does a NaN or infinite
    /// injection, naming its bus and period.
    ///
    /// Example:
    ///     >>> import numpy as np
    ///     >>> pf = landlinked.DcPowerFlow(landlinked.read_matpower("grids/case5_tap_shift.m"))
    ///     >>> inj = np.tile(pf.bus_injections_mw, (8760, 1))
    ///     >>> s = pf.solve_many(inj)
    ///     >>> bool(np.allclose(s.pf_mw[0], pf.solve().pf_mw))
    ///     True
    fn solve_many(&self, py: Python<'_>, injections: &Bound<'_, PyAny>) -> PyResult<DcSeries> {
        let n = self.pf.model().bus_count();
        let injections = float_array::<numpy::Ix2>(injections, "injections", "(periods, buses)")?;
        let shape = injections.shape();
        if shape[1] != n {
            return Err(PyValueError::new_err(format!(
                "injections has shape ({}, {}): expected (periods, {n}), one column per bus",
                shape[0], shape[1]
            )));
        }
        let data = injections.as_slice().map_err(|_| {
            PyValueError::new_err(
                "injections must be C-contiguous (np.ascontiguousarray makes a copy that is)",
            )
        })?;
        let s = py
            .detach(|| self.pf.solve_many_slice(data))
            .map_err(py_err)?;
        let (va_deg, a) = periods_array(py, s.va_deg);
        let (pf_mw, b) = periods_array(py, s.pf_mw);
        let (slack_mw, c) = periods_array(py, s.slack_mw);
        Ok(DcSeries {
            va_deg,
            pf_mw,
            slack_mw,
            buffer_addresses: (a, b, c),
        })
    }

    /// Power transfer distribution factors, MW of branch flow per MW
    /// injected at a bus and withdrawn at its island's reference (MATPOWER's
    /// ``makePTDF``): a ``(branches, buses)`` float64 array (Fortran order,
    /// no copy of the crate's matrix), or only the rows of the
    /// ``monitored`` branches (0-based positions, in the order given).
    /// Reference columns are 0. Refuses grids whose full matrix would
    /// exceed 2²⁶ entries: pass ``monitored`` there.
    ///
    /// Example:
    ///     >>> pf = landlinked.DcPowerFlow(landlinked.read_matpower("grids/case5_tap_shift.m"))
    ///     >>> pf.ptdf().shape, pf.ptdf(monitored=[2, 0]).shape
    ///     ((8, 5), (2, 5))
    #[pyo3(signature = (monitored=None))]
    fn ptdf(&self, py: Python<'_>, monitored: Option<Vec<i64>>) -> PyResult<Py<PyAny>> {
        let m = self.pf.model().branch_count();
        let monitored = positions(monitored, m, "monitored")?;
        let p = py
            .detach(|| match &monitored {
                Some(l) => Ptdf::monitored(&self.pf, l),
                None => Ptdf::full(&self.pf),
            })
            .map_err(py_err)?;
        let (r, c) = p.matrix().shape();
        Ok(fortran_array(py, r, c, p.matrix().as_slice().to_vec()))
    }

    /// Line outage distribution factors (MATPOWER's ``makeLODF``): a
    /// ``(branches, branches)`` array whose column ``k`` is the change of
    /// flow on each branch per MW of pre-outage flow on branch ``k`` (row
    /// ``k`` of column ``k`` is -1). An outage that splits an island has no
    /// factors: its column is NaN.
    ///
    /// Example:
    ///     >>> import numpy as np
    ///     >>> lodf = landlinked.DcPowerFlow(landlinked.read_matpower("grids/case5_tap_shift.m")).lodf()
    ///     >>> bool(np.allclose(np.diag(lodf)[~np.isnan(np.diag(lodf))], -1.0))
    ///     True
    fn lodf(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let l = py.detach(|| Lodf::full(&self.pf)).map_err(py_err)?;
        let (r, c) = l.matrix().shape();
        let mut v = l.matrix().as_slice().to_vec();
        for (k, kind) in l.kinds().iter().enumerate() {
            if *kind == OutageKind::Islanding {
                v[k * r..(k + 1) * r].fill(f64::NAN);
            }
        }
        Ok(fortran_array(py, r, c, v))
    }

    /// N-1 screening: every in-service branch out in turn (or the
    /// ``outages`` given, 0-based positions), every in-service branch
    /// monitored (or ``monitored``), from the base-case flows. A DataFrame
    /// like ``examples/n_minus_1.rs`` writes, one row per monitored
    /// branch: ``branch``, ``f_bus``, ``t_bus``, ``base_mw``, ``worst_mw``
    /// (the post-contingency flow of largest magnitude), ``worst_outage``
    /// (its outage; ``<NA>`` if every outage islands), with branches
    /// numbered from 1 as in the example's CSV. ``df.attrs["islanding"]``
    /// lists the outages (1-based) that split an island and were not
    /// screened.
    ///
    /// Example:
    ///     >>> n1 = landlinked.DcPowerFlow(landlinked.read_matpower("grids/case5_tap_shift.m")).n_minus_1()
    ///     >>> list(n1.columns)
    ///     ['branch', 'f_bus', 't_bus', 'base_mw', 'worst_mw', 'worst_outage']
    #[pyo3(signature = (outages=None, monitored=None))]
    fn n_minus_1<'py>(
        &self,
        py: Python<'py>,
        outages: Option<Vec<i64>>,
        monitored: Option<Vec<i64>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let m = self.pf.model().branch_count();
        let in_service: Vec<usize> = (0..m)
            .filter(|&k| self.net.branches[k].in_service)
            .collect();
        let outages = positions(outages, m, "outages")?.unwrap_or_else(|| in_service.clone());
        let monitored = positions(monitored, m, "monitored")?.unwrap_or(in_service);
        let n1 = py
            .detach(|| -> Res<_> {
                let base = self.pf.solve()?.pf_mw;
                screen_n1(&self.pf, &base, Some(&outages), Some(&monitored))
            })
            .map_err(py_err)?;
        let br = &self.net.branches;
        let outage: Vec<Option<i64>> = n1
            .worst_outage
            .iter()
            .map(|o| o.map(|k| k as i64 + 1))
            .collect();
        let outage = py
            .import("pandas")?
            .call_method1("array", (outage, "Int64"))?;
        let df = frame(
            py,
            vec![
                (
                    "branch",
                    arr1(py, n1.monitored.iter().map(|&l| l as i64 + 1).collect()),
                ),
                (
                    "f_bus",
                    arr1(py, n1.monitored.iter().map(|&l| br[l].from).collect()),
                ),
                (
                    "t_bus",
                    arr1(py, n1.monitored.iter().map(|&l| br[l].to).collect()),
                ),
                ("base_mw", arr1(py, n1.base_mw)),
                ("worst_mw", arr1(py, n1.worst_mw)),
                ("worst_outage", outage),
            ],
        )?;
        let isl: Vec<usize> = n1.islanding.iter().map(|k| k + 1).collect();
        df.getattr("attrs")?.set_item("islanding", isl)?;
        Ok(df)
    }

    /// The largest additional transfer from ``source`` to ``sink`` before a
    /// rated branch (``rate_a > 0``) reaches its rating, in the base case
    /// and, with ``n_minus_1``, under every single non-islanding outage.
    /// A zone is a bus number, a list of bus numbers (equal shares) or a
    /// dict ``{bus: weight}``. Factors below ``min_factor`` (MW per MW) do
    /// not limit; the ``keep`` tightest branches of each case are kept.
    ///
    /// Returns a dict: ``capability_mw`` (the binding limit's transfer, or
    /// ``None`` if no rated branch limits), ``binding`` (its row as a dict,
    /// or ``None``), ``limits`` (a DataFrame: ``case`` ``"base"`` or
    /// ``"n-1"``, ``transfer_mw``, ``branch`` and ``outage`` as 0-based
    /// positions, ``f_bus``, ``t_bus``, ``flow_mw``, ``factor``,
    /// ``rate_mva``, tightest first within each case) and ``islanding``
    /// (outages not screened, 0-based).
    ///
    /// Example:
    ///     >>> pf = landlinked.DcPowerFlow(landlinked.read_matpower("grids/case5_tap_shift.m"))
    ///     >>> tc = pf.transfer_capability([7], {25: 1.0}, n_minus_1=False)  # bus numbers
    ///     >>> sorted(tc)
    ///     ['binding', 'capability_mw', 'islanding', 'limits']
    ///     >>> tc["binding"]["f_bus"], tc["binding"]["t_bus"]  # 7-25 reaches its 250 MVA first
    ///     (7, 25)
    #[pyo3(signature = (source_buses, sink_buses, n_minus_1=true, min_factor=1e-5, keep=10))]
    fn transfer_capability<'py>(
        &self,
        py: Python<'py>,
        source_buses: &Bound<'py, PyAny>,
        sink_buses: &Bound<'py, PyAny>,
        n_minus_1: bool,
        min_factor: f64,
        keep: usize,
    ) -> PyResult<Bound<'py, PyDict>> {
        let (source, sink) = (zone(source_buses)?, zone(sink_buses)?);
        let settings = TransferSettings {
            n_minus_1,
            min_factor,
            keep,
        };
        let tc = py
            .detach(|| -> Res<_> {
                let base = self.pf.solve()?.pf_mw;
                rs_transfer(&self.net, &self.pf, &base, &source, &sink, settings)
            })
            .map_err(py_err)?;
        let mut rows = LimitRows::default();
        limit_rows(&self.net, "base", &tc.base_case, &mut rows);
        limit_rows(&self.net, "n-1", &tc.n_minus_1, &mut rows);
        let outage = py
            .import("pandas")?
            .call_method1("array", (rows.outage, "Int64"))?;
        let limits = frame(
            py,
            vec![
                ("case", list(py, rows.case)?),
                ("transfer_mw", arr1(py, rows.transfer_mw)),
                ("branch", arr1(py, rows.branch)),
                ("outage", outage),
                ("f_bus", arr1(py, rows.f_bus)),
                ("t_bus", arr1(py, rows.t_bus)),
                ("flow_mw", arr1(py, rows.flow_mw)),
                ("factor", arr1(py, rows.factor)),
                ("rate_mva", arr1(py, rows.rate_mva)),
            ],
        )?;
        let out = PyDict::new(py);
        match tc.binding() {
            Some(b) => {
                let d = PyDict::new(py);
                d.set_item("case", if b.outage.is_some() { "n-1" } else { "base" })?;
                d.set_item("transfer_mw", b.transfer_mw)?;
                d.set_item("branch", b.branch)?;
                d.set_item("outage", b.outage)?;
                d.set_item("f_bus", self.net.branches[b.branch].from)?;
                d.set_item("t_bus", self.net.branches[b.branch].to)?;
                d.set_item("flow_mw", b.flow_mw)?;
                d.set_item("factor", b.factor)?;
                d.set_item("rate_mva", b.rate_mva)?;
                out.set_item("capability_mw", b.transfer_mw)?;
                out.set_item("binding", d)?;
            }
            None => {
                out.set_item("capability_mw", py.None())?;
                out.set_item("binding", py.None())?;
            }
        }
        out.set_item("limits", limits)?;
        out.set_item("islanding", tc.islanding)?;
        Ok(out)
    }

    fn __repr__(&self) -> String {
        format!(
            "DcPowerFlow({:?}: {} buses, {} branches, {} references, {} entries in L)",
            self.net.name,
            self.net.buses.len(),
            self.net.branches.len(),
            self.pf.reference_buses().len(),
            self.pf.factor_nnz()
        )
    }
}

// ----------------------------------------------------------- RegionalGrid

/// A regional grid read from a grid file (TOML): the network with its
/// HVDC links, bus, plant and load descriptions, the hydro cascade, the
/// demand and the export corridors. Changed only through its edit methods,
/// which keep every view of a fact in step and raise ``ValueError`` naming
/// an unknown name and the names known.
///
/// Example:
///     >>> g = landlinked.RegionalGrid.read("grids/central_asia/central_asia.toml")
///     >>> g.set_plant_capacity("Rogun", 3600.0)
///     >>> float(g.plants().set_index("name").loc["Rogun", "available_mw"])
///     3600.0
#[pyclass(module = "landlinked")]
struct RegionalGrid {
    inner: RsGrid,
}

#[pymethods]
impl RegionalGrid {
    /// Reads a grid file and builds its default stage, or ``stage`` with
    /// ``options`` (names of optional elements) switched on too.
    ///
    /// Example:
    ///     >>> g = landlinked.RegionalGrid.read("grids/central_asia/central_asia.toml", stage="casa")
    ///     >>> g.stage
    ///     'casa'
    #[staticmethod]
    #[pyo3(signature = (path, stage=None, options=Vec::new()))]
    fn read(
        py: Python<'_>,
        path: PathBuf,
        stage: Option<String>,
        options: Vec<String>,
    ) -> PyResult<RegionalGrid> {
        let inner = py
            .detach(|| -> Res<_> {
                let doc = gridio::read_document(&path)?;
                let opts: Vec<&str> = options.iter().map(String::as_str).collect();
                let stage = stage.or_else(|| doc.data.grid.default_stage.clone());
                doc.build(stage.as_deref(), &opts)
            })
            .map_err(py_err)?;
        Ok(RegionalGrid { inner })
    }

    /// Writes the grid (with its edits) as a grid file that ``read`` builds
    /// back to the same grid.
    ///
    /// Example:
    ///     >>> import tempfile, os
    ///     >>> g = landlinked.RegionalGrid.read("grids/central_asia/central_asia.toml")
    ///     >>> path = os.path.join(tempfile.mkdtemp(), "g.toml")
    ///     >>> g.write(path)
    ///     >>> landlinked.RegionalGrid.read(path).name == g.name
    ///     True
    fn write(&self, path: PathBuf) -> PyResult<()> {
        gridio::write(&self.inner, &path).map_err(py_err)
    }

    /// The grid's name.
    ///
    /// Example:
    ///     >>> landlinked.RegionalGrid.read("grids/central_asia/central_asia.toml").name
    ///     'central_asia'
    #[getter]
    fn name(&self) -> &str {
        self.inner.name()
    }

    /// The stage built (``None`` if the file has no stages).
    ///
    /// Example:
    ///     >>> landlinked.RegionalGrid.read("grids/central_asia/central_asia.toml", stage="2022").stage
    ///     '2022'
    #[getter]
    fn stage(&self) -> Option<&str> {
        self.inner.stage()
    }

    /// The options switched on.
    ///
    /// Example:
    ///     >>> landlinked.RegionalGrid.read("grids/central_asia/central_asia.toml", stage="2022").options
    ///     []
    #[getter]
    fn options(&self) -> Vec<String> {
        self.inner.options().to_vec()
    }

    /// The grid's network (a copy: later edits do not reach it), ready for
    /// ``DcPowerFlow``.
    ///
    /// Example:
    ///     >>> g = landlinked.RegionalGrid.read("grids/central_asia/central_asia.toml")
    ///     >>> landlinked.DcPowerFlow(g.network).solve().islands >= 1
    ///     True
    #[getter]
    fn network(&self) -> Network {
        Network {
            inner: self.inner.network().clone(),
        }
    }

    /// Sets a plant's installed capacity, MW (its available capacity, its
    /// generator and its hydro plant follow).
    ///
    /// Example:
    ///     >>> g = landlinked.RegionalGrid.read("grids/central_asia/central_asia.toml")
    ///     >>> g.set_plant_capacity("Nurek", 3200.0)
    fn set_plant_capacity(&mut self, name: &str, installed_mw: f64) -> PyResult<()> {
        self.inner
            .set_plant_capacity(name, installed_mw)
            .map_err(py_err)
    }

    /// Puts every branch between the buses named ``a`` and ``b`` (either
    /// orientation) in or out of service; returns how many there are.
    ///
    /// Example:
    ///     >>> g = landlinked.RegionalGrid.read("grids/central_asia/central_asia.toml")
    ///     >>> g.set_branch_in_service("TJ_NUREK_500", "TJ_REGAR_500", False) >= 1
    ///     True
    fn set_branch_in_service(&mut self, a: &str, b: &str, in_service: bool) -> PyResult<usize> {
        self.inner
            .set_branch_in_service(a, b, in_service)
            .map_err(py_err)
    }

    /// Sets an export corridor's capacity, MW.
    ///
    /// Example:
    ///     >>> g = landlinked.RegionalGrid.read("grids/central_asia/central_asia.toml")
    ///     >>> name = g.corridors()["name"][0]
    ///     >>> g.set_corridor_capacity(name, 500.0)
    fn set_corridor_capacity(&mut self, name: &str, capacity_mw: f64) -> PyResult<()> {
        self.inner
            .set_corridor_capacity(name, capacity_mw)
            .map_err(py_err)
    }

    /// Sets the annual energy of a load, GWh (base year); the network's
    /// mean bus loads follow.
    ///
    /// Example:
    ///     >>> g = landlinked.RegionalGrid.read("grids/central_asia/central_asia.toml")
    ///     >>> name = g.loads()["name"][0]
    ///     >>> g.set_load_energy(name, 10000.0)
    fn set_load_energy(&mut self, name: &str, annual_gwh: f64) -> PyResult<()> {
        self.inner.set_load_energy(name, annual_gwh).map_err(py_err)
    }

    /// The plants as a DataFrame: ``name``, ``type``, ``bus``, ``country``,
    /// ``installed_mw``, ``available_mw``, ``dispatch_mw``,
    /// ``capacity_factor`` (12 monthly values, or ``None``).
    ///
    /// Example:
    ///     >>> p = landlinked.RegionalGrid.read("grids/central_asia/central_asia.toml").plants()
    ///     >>> "Nurek" in set(p["name"])
    ///     True
    fn plants<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let p = self.inner.plants();
        let kinds: Vec<String> = p
            .iter()
            .map(|x| {
                serde_json::to_value(x.kind)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_else(|| format!("{:?}", x.kind))
            })
            .collect();
        frame(
            py,
            vec![
                (
                    "name",
                    list(py, p.iter().map(|x| x.name.clone()).collect())?,
                ),
                ("type", list(py, kinds)?),
                ("bus", arr1(py, p.iter().map(|x| x.bus).collect())),
                (
                    "country",
                    list(py, p.iter().map(|x| x.country.clone()).collect())?,
                ),
                (
                    "installed_mw",
                    arr1(py, p.iter().map(|x| x.installed_mw).collect()),
                ),
                (
                    "available_mw",
                    arr1(py, p.iter().map(|x| x.available_mw).collect()),
                ),
                (
                    "dispatch_mw",
                    arr1(py, p.iter().map(|x| x.dispatch_mw).collect()),
                ),
                (
                    "capacity_factor",
                    list(
                        py,
                        p.iter()
                            .map(|x| x.capacity_factor.map(|c| c.to_vec()))
                            .collect(),
                    )?,
                ),
            ],
        )
    }

    /// The loads as a DataFrame: ``name``, ``country``.
    ///
    /// Example:
    ///     >>> len(landlinked.RegionalGrid.read("grids/central_asia/central_asia.toml").loads()) > 0
    ///     True
    fn loads<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let l = self.inner.loads();
        frame(
            py,
            vec![
                (
                    "name",
                    list(py, l.iter().map(|x| x.name.clone()).collect())?,
                ),
                (
                    "country",
                    list(py, l.iter().map(|x| x.country.clone()).collect())?,
                ),
            ],
        )
    }

    /// The export corridors as a DataFrame: ``name``, ``exporter``,
    /// ``importer``, ``capacity_mw``, ``export_months`` (e.g.
    /// ``"May,Jun,Jul"``), ``branches`` (how many branches it crosses),
    /// ``price_usd_per_mwh``, ``transit_fee_usd_per_mwh``,
    /// ``season_cap_gwh``, ``import_capacity_mw``.
    ///
    /// Example:
    ///     >>> c = landlinked.RegionalGrid.read("grids/central_asia/central_asia.toml").corridors()
    ///     >>> bool((c["capacity_mw"] > 0).all())
    ///     True
    fn corridors<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let c = self.inner.corridors();
        let months: Vec<String> = c
            .iter()
            .map(|x| {
                x.export_months
                    .iter()
                    .map(|m| format!("{m:?}"))
                    .collect::<Vec<_>>()
                    .join(",")
            })
            .collect();
        let opt = |f: fn(&landlinked::region::Corridor) -> Option<f64>| {
            arr1(py, c.iter().map(|x| f(x).unwrap_or(f64::NAN)).collect())
        };
        frame(
            py,
            vec![
                (
                    "name",
                    list(py, c.iter().map(|x| x.name.clone()).collect())?,
                ),
                (
                    "exporter",
                    list(py, c.iter().map(|x| x.exporter.clone()).collect())?,
                ),
                (
                    "importer",
                    list(py, c.iter().map(|x| x.importer.clone()).collect())?,
                ),
                (
                    "capacity_mw",
                    arr1(py, c.iter().map(|x| x.capacity_mw).collect()),
                ),
                ("export_months", list(py, months)?),
                (
                    "branches",
                    arr1(py, c.iter().map(|x| x.branches.len()).collect()),
                ),
                ("price_usd_per_mwh", opt(|x| x.trade.price_usd_per_mwh)),
                (
                    "transit_fee_usd_per_mwh",
                    arr1(
                        py,
                        c.iter().map(|x| x.trade.transit_fee_usd_per_mwh).collect(),
                    ),
                ),
                ("season_cap_gwh", opt(|x| x.trade.season_cap_gwh)),
                (
                    "import_capacity_mw",
                    arr1(py, c.iter().map(|x| x.trade.import_capacity_mw).collect()),
                ),
            ],
        )
    }

    fn __repr__(&self) -> String {
        format!(
            "RegionalGrid({:?}, stage={:?}, {} buses, {} plants, {} corridors)",
            self.inner.name(),
            self.inner.stage(),
            self.inner.network().buses.len(),
            self.inner.plants().len(),
            self.inner.corridors().len()
        )
    }
}

// ------------------------------------------------------------------ Study

/// One scenario of the export study: a stage of the grid file, the
/// options switched on, a hydrology (``"dry"``: inflows × 0.85,
/// ``"normal"``, ``"wet"``: × 1.15), demand growth over
/// ``demand_growth_years`` and outages (pairs of bus names).
///
/// Example:
///     >>> s = landlinked.Scenario("casa", "casa", hydrology="dry")
///     >>> (s.name, s.stage, s.hydrology)
///     ('casa', 'casa', 'dry')
#[pyclass(frozen, module = "landlinked")]
#[derive(Clone)]
struct Scenario {
    inner: RsScenario,
}

fn hydrology(name: &str) -> PyResult<Hydrology> {
    match name {
        "dry" => Ok(Hydrology::Dry),
        "normal" => Ok(Hydrology::Normal),
        "wet" => Ok(Hydrology::Wet),
        _ => Err(PyValueError::new_err(format!(
            "hydrology `{name}` is not one of dry, normal, wet"
        ))),
    }
}

#[pymethods]
impl Scenario {
    /// Makes a scenario (see the class docs).
    ///
    /// Example:
    ///     >>> landlinked.Scenario("x", "2022", outages=[("TJ_NUREK_500", "TJ_REGAR_500")]).outages
    ///     [('TJ_NUREK_500', 'TJ_REGAR_500')]
    #[new]
    #[pyo3(signature = (name, stage, hydrology="normal", options=Vec::new(), demand_growth_years=0, outages=Vec::new()))]
    fn new(
        name: &str,
        stage: &str,
        hydrology: &str,
        options: Vec<String>,
        demand_growth_years: u32,
        outages: Vec<(String, String)>,
    ) -> PyResult<Scenario> {
        let mut s = RsScenario::new(name, stage, self::hydrology(hydrology)?);
        for o in &options {
            s = s.with_option(o);
        }
        if demand_growth_years > 0 {
            s = s.with_growth_years(demand_growth_years);
        }
        for (a, b) in &outages {
            s = s.with_outage(a, b);
        }
        Ok(Scenario { inner: s })
    }

    /// The scenario's name (unique within a study).
    #[getter]
    fn name(&self) -> &str {
        &self.inner.name
    }

    /// The grid stage it builds.
    #[getter]
    fn stage(&self) -> &str {
        &self.inner.stage
    }

    /// ``"dry"``, ``"normal"`` or ``"wet"``.
    #[getter]
    fn hydrology(&self) -> &str {
        self.inner.hydrology.name()
    }

    /// Options switched on besides the stage's.
    #[getter]
    fn options(&self) -> Vec<String> {
        self.inner.options.clone()
    }

    /// Branches out of service (pairs of bus names).
    #[getter]
    fn outages(&self) -> Vec<(String, String)> {
        self.inner.outages.clone()
    }

    fn __repr__(&self) -> String {
        format!(
            "Scenario({:?}, {:?}, hydrology={:?})",
            self.inner.name,
            self.inner.stage,
            self.inner.hydrology.name()
        )
    }
}

/// A scenario from Python: a ``Scenario`` or a dict of its arguments.
fn scenario(obj: &Bound<'_, PyAny>) -> PyResult<RsScenario> {
    if let Ok(s) = obj.extract::<PyRef<'_, Scenario>>() {
        return Ok(s.inner.clone());
    }
    let kw = obj.extract::<Bound<'_, PyDict>>().map_err(|_| {
        PyValueError::new_err("a scenario is a landlinked.Scenario or a dict of its arguments")
    })?;
    let cls = obj.py().get_type::<Scenario>();
    let s = cls.call((), Some(&kw))?;
    Ok(s.extract::<PyRef<'_, Scenario>>()?.inner.clone())
}

enum GridArg {
    File(gridio::GridDocument),
    Built(RsGrid),
}

/// The hourly, chronological export study: for each scenario, the named
/// water year and ``years`` seeded stochastic years that follow one
/// another (storage carries over), 8,760 hours each, through the DC core
/// with N-1 transfer limits. ``grid`` is a grid file path (every stage can
/// be built) or a ``RegionalGrid`` (its own stage only, with its edits);
/// ``scenarios`` a list of ``Scenario`` objects or dicts of their
/// arguments. The same seed gives the same years.
///
/// Example:
///     >>> study = landlinked.Study("grids/central_asia/central_asia.toml",
///     ...                          [{"name": "2022", "stage": "2022"}], years=1)
///     >>> r = study.run()
///     >>> list(r.balance_months.columns[:3])
///     ['scenario', 'year', 'month']
#[pyclass(frozen, module = "landlinked")]
struct Study {
    grid: GridArg,
    scenarios: Vec<RsScenario>,
    settings: HourlySettings,
}

/// The study's tables, as pandas DataFrames with the columns of the CSV
/// files ``seasonal_exports`` writes: ``corridor_months``,
/// ``balance_months``, ``percentiles``, ``congestion``; and
/// ``dc_seconds``, the time spent in the DC core.
///
/// Example:
///     >>> r = landlinked.Study("grids/central_asia/central_asia.toml",
///     ...                      [landlinked.Scenario("s", "2022")], years=1).run()
///     >>> len(r.balance_months)  # the named year and one stochastic year
///     24
#[pyclass(frozen, module = "landlinked")]
struct StudyResults {
    /// One row per scenario, year, month and export corridor.
    #[pyo3(get)]
    corridor_months: Py<PyAny>,
    /// One row per scenario, year and month: the exporter's balance.
    #[pyo3(get)]
    balance_months: Py<PyAny>,
    /// P10/P50/P90 over the water years per scenario, month and quantity.
    #[pyo3(get)]
    percentiles: Py<PyAny>,
    /// One row per scenario and loaded branch.
    #[pyo3(get)]
    congestion: Py<PyAny>,
    /// Seconds in the DC core (factorisations, flows, transfer limits).
    #[pyo3(get)]
    dc_seconds: f64,
}

const CORRIDOR_MONTHS: &[&str] = &[
    "scenario",
    "year",
    "month",
    "corridor",
    "importer",
    "capacity_mw",
    "export_gwh",
    "peak_mw",
    "revenue_musd",
    "hours_exporting",
    "hours_at_capacity",
    "hours_at_network_limit",
    "hours_at_appetite",
    "hours_no_surplus",
];
const BALANCE_MONTHS: &[&str] = &[
    "scenario",
    "year",
    "month",
    "load_gwh",
    "hydro_gwh",
    "other_gwh",
    "imports_gwh",
    "exports_gwh",
    "spill_gwh",
    "unserved_gwh",
    "reserve_mw_min",
    "storage_end_hm3",
];
const PERCENTILES: &[&str] = &["scenario", "month", "quantity", "p10", "p50", "p90"];
const CONGESTION: &[&str] = &[
    "scenario",
    "branch",
    "from_bus",
    "to_bus",
    "rating_mw",
    "max_loading_pct",
    "hours_over_80pct",
    "hours_over_100pct",
    "hours_binding",
    "most_frequent_outage",
];

#[pymethods]
impl Study {
    /// Prepares a study (reads the grid file now, so a missing file or an
    /// unknown name fails here or at ``run``).
    ///
    /// Example:
    ///     >>> landlinked.Study("grids/central_asia/central_asia.toml", [landlinked.Scenario("s", "2022")], years=2, seed=7)
    ///     Study(1 scenarios, years=2, seed=7, exporter='TJ')
    #[new]
    #[pyo3(signature = (grid, scenarios, years=30, seed=2022, exporter="TJ"))]
    fn new(
        py: Python<'_>,
        grid: &Bound<'_, PyAny>,
        scenarios: Vec<Bound<'_, PyAny>>,
        years: usize,
        seed: u64,
        exporter: &str,
    ) -> PyResult<Study> {
        let grid = if let Ok(g) = grid.extract::<PyRef<'_, RegionalGrid>>() {
            GridArg::Built(g.inner.clone())
        } else {
            let path: PathBuf = grid.extract()?;
            GridArg::File(py.detach(|| gridio::read_document(&path)).map_err(py_err)?)
        };
        let scenarios = scenarios.iter().map(scenario).collect::<PyResult<_>>()?;
        let settings = HourlySettings {
            exporter: exporter.to_string(),
            years,
            seed,
            ..Default::default()
        };
        Ok(Study {
            grid,
            scenarios,
            settings,
        })
    }

    /// Runs the study with the GIL released (scenarios and years in
    /// parallel on every core); with ``progress`` prints each finished
    /// scenario-year to stderr. Returns a ``StudyResults``.
    ///
    /// Example:
    ///     >>> r = landlinked.Study("grids/central_asia/central_asia.toml",
    ///     ...                      [landlinked.Scenario("s", "2022")], years=1).run()
    ///     >>> float(r.corridor_months["export_gwh"].sum()) > 0
    ///     True
    #[pyo3(signature = (progress=false))]
    fn run(&self, py: Python<'_>, progress: bool) -> PyResult<StudyResults> {
        let study = HourlyStudy {
            settings: self.settings.clone(),
        };
        let report = |p: landlinked::hourly::HourlyProgress| {
            if progress {
                eprintln!("{} {}: {}/{} years", p.scenario, p.year, p.done, p.total);
            }
        };
        let r = py
            .detach(|| match &self.grid {
                GridArg::File(doc) => study.run(doc, &self.scenarios, report),
                GridArg::Built(g) => study.run(g, &self.scenarios, report),
            })
            .map_err(py_err)?;
        Ok(StudyResults {
            corridor_months: records(py, &r.corridors, CORRIDOR_MONTHS)?.unbind(),
            balance_months: records(py, &r.balance, BALANCE_MONTHS)?.unbind(),
            percentiles: records(py, &r.percentiles, PERCENTILES)?.unbind(),
            congestion: records(py, &r.congestion, CONGESTION)?.unbind(),
            dc_seconds: r.dc_seconds,
        })
    }

    fn __repr__(&self) -> String {
        format!(
            "Study({} scenarios, years={}, seed={}, exporter={:?})",
            self.scenarios.len(),
            self.settings.years,
            self.settings.seed,
            self.settings.exporter
        )
    }
}

/// The compiled core of the ``landlinked`` package (import ``landlinked``).
#[pymodule]
fn _landlinked(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("Error", m.py().get_type::<Error>())?;
    m.add_class::<Network>()?;
    m.add_class::<DcPowerFlow>()?;
    m.add_class::<DcSolution>()?;
    m.add_class::<DcState>()?;
    m.add_class::<DcSeries>()?;
    m.add_class::<RegionalGrid>()?;
    m.add_class::<Scenario>()?;
    m.add_class::<Study>()?;
    m.add_class::<StudyResults>()?;
    m.add_function(wrap_pyfunction!(read_matpower, m)?)?;
    m.add_function(wrap_pyfunction!(write_matpower, m)?)?;
    Ok(())
}
