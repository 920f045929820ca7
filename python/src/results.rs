//! The results of one solve and of many: `DcSolution`, `DcState`,
//! `DcSeries` (NumPy arrays, views of the solver's buffers where stated).

use super::*;

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
pub(crate) struct DcSolution {
    /// Bus voltage angles, degrees (NumPy, one per bus).
    #[pyo3(get)]
    pub(crate) va_deg: Py<PyAny>,
    /// Branch flows from → to, MW (NumPy, one per branch; 0 out of service).
    #[pyo3(get)]
    pub(crate) pf_mw: Py<PyAny>,
    /// Generator outputs, MW (NumPy, one per generator).
    #[pyo3(get)]
    pub(crate) pg_mw: Py<PyAny>,
    /// Net injection into each bus after the slack, MW (NumPy).
    #[pyo3(get)]
    pub(crate) p_inj_mw: Py<PyAny>,
    /// Number of islands solved.
    #[pyo3(get)]
    pub(crate) islands: usize,
    /// Reference choices the crate made where MATPOWER would not have.
    #[pyo3(get)]
    pub(crate) warnings: Vec<String>,
    pub(crate) bus_ids: Vec<u64>,
    pub(crate) ends: Vec<(u64, u64)>,
    pub(crate) gen_bus: Vec<u64>,
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
pub(crate) struct DcState {
    /// Bus voltage angles, degrees.
    #[pyo3(get)]
    pub(crate) va_deg: Py<PyAny>,
    /// Branch flows from → to, MW.
    #[pyo3(get)]
    pub(crate) pf_mw: Py<PyAny>,
    /// Injection each reference bus adds to balance its island, MW.
    #[pyo3(get)]
    pub(crate) slack_mw: Py<PyAny>,
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
pub(crate) struct DcSeries {
    /// Bus angles, degrees: periods × buses.
    #[pyo3(get)]
    pub(crate) va_deg: Py<PyAny>,
    /// Branch flows, MW: periods × branches.
    #[pyo3(get)]
    pub(crate) pf_mw: Py<PyAny>,
    /// Slack injection at each reference bus, MW: periods × references.
    #[pyo3(get)]
    pub(crate) slack_mw: Py<PyAny>,
    /// Addresses of the Rust buffers behind ``va_deg``, ``pf_mw`` and
    /// ``slack_mw`` (for checking that nothing was copied).
    #[pyo3(get)]
    pub(crate) buffer_addresses: (usize, usize, usize),
}
