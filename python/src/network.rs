//! `Network`: a MATPOWER case from Python, its element counts and tables as
//! DataFrames; `read_matpower`, `write_matpower`.

use super::*;

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
pub(crate) struct Network {
    pub(crate) inner: RsNetwork,
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

    /// Tables of the file that play no part in the network and were read
    /// past (MATPOWER's ``gencost``, ``bus_name``, ``dcline``, ...), as
    /// ``(field, line, has_values)`` in file order. MATPOWER's ``rundcpf``
    /// ignores them too (``dcline`` only counts once ``toggle_dcline`` is
    /// on): check ``dcline`` here before trusting a case with HVDC lines.
    ///
    /// Example:
    ///     >>> landlinked.read_matpower("grids/case5_tap_shift.m").skipped_tables
    ///     [('gencost', 61, True)]
    #[getter]
    fn skipped_tables(&self) -> Vec<(String, usize, bool)> {
        self.inner
            .skipped_tables
            .iter()
            .map(|t| (t.field.clone(), t.line, t.has_values))
            .collect()
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
pub(crate) fn read_matpower(py: Python<'_>, path: PathBuf) -> PyResult<Network> {
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
pub(crate) fn write_matpower(net: &Network, path: PathBuf) -> PyResult<()> {
    matpower::write(&net.inner, &path).map_err(py_err)
}
