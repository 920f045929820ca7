//! `DcPowerFlow` from Python: one solve, many (zero-copy NumPy results),
//! PTDF, LODF, N-1 screening and transfer capability.

use super::*;

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
pub(crate) struct DcPowerFlow {
    pub(crate) net: RsNetwork,
    pub(crate) pf: RsPowerFlow,
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
        let injections = periods_input(injections, n, "injections", "(periods, buses)")?;
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

    /// Per-branch statistics of the flows of many periods, computed as
    /// the periods are solved: the flows are never stored, so a year of a
    /// large grid needs a few megabytes, not gigabytes (the statistics
    /// equal those of ``solve_many``'s ``pf_mw``; maxima, minima, periods
    /// and counts exactly). Releases the GIL.
    ///
    /// ``injections`` is what ``solve_many`` takes, a ``(periods, buses)``
    /// float64 array (MW; C-contiguous ones are read in place), or a
    /// ``ProfileInjections`` (expanded inside the solver).
    ///
    /// Returns a DataFrame, one row per branch in file order (the index is
    /// the 0-based branch position): ``f_bus``, ``t_bus``, ``max_mw`` and
    /// ``min_mw`` (signed flow from ``f_bus``), ``max_period`` and
    /// ``min_period`` (0-based row of ``injections``, the first on a tie),
    /// ``mean_mw``. With ``ratings_mw`` (one per branch, MW; ``np.inf``
    /// for an unlimited branch; 0, negative or NaN raise ``ValueError``):
    /// ``rating_mw``, ``max_loading`` (max |flow| / rating) and
    /// ``max_loading_period``; a column ``periods_above_<t>`` per loading
    /// threshold ``t`` (periods with |flow| > t × rating; e.g.
    /// ``thresholds=[0.8, 1.0]``); and with ``histogram=(bins, top)`` a
    /// loading histogram as columns ``periods_loading_<lo>_<hi>`` (periods
    /// with lo ≤ loading < hi; ``bins`` equal bins from 0 to ``top``, then
    /// ``top`` to ``inf``): a duration
    /// curve per branch that stays with its row when the frame is
    /// filtered; ``df.filter(like="periods_loading_").to_numpy()`` is the
    /// ``(branches, bins + 1)`` array. ``df.attrs["periods"]`` is the
    /// number of periods. Out-of-service branches carry 0.
    ///
    /// With ``angles=True``, returns ``(branches, buses)``: the same frame
    /// and one per bus, ``bus``, ``max_deg``, ``max_period``, ``min_deg``,
    /// ``min_period``, from the same pass.
    ///
    /// With ``superpose=True`` (``injections`` a ``ProfileInjections``) the
    /// grid's response to each profile is solved once and every period's
    /// flows are its superposition: several times faster when the
    /// profiles are few, equal to the solved year to rounding (about
    /// 1e-12 relative) rather than bit for bit.
    ///
    /// Example:
    ///     >>> import numpy as np
    ///     >>> pf = landlinked.DcPowerFlow(landlinked.read_matpower("grids/case5_tap_shift.m"))
    ///     >>> year = pf.bus_injections_mw * np.linspace(0.5, 1.0, 8760)[:, None]  # (8760, 5)
    ///     >>> st = pf.branch_stats(year, ratings_mw=np.full(8, 250.0), thresholds=[0.5, 1.0])
    ///     >>> list(st.columns)
    ///     ['f_bus', 't_bus', 'max_mw', 'max_period', 'min_mw', 'min_period', 'mean_mw', 'rating_mw', 'max_loading', 'max_loading_period', 'periods_above_0.5', 'periods_above_1.0']
    ///     >>> int(st.loc[1, "max_period"]), round(float(st.loc[1, "max_mw"]), 6)  # branch 3-12 peaks in the last hour
    ///     (8759, 142.674836)
    ///     >>> bool(np.allclose(st["max_mw"], pf.solve_many(year).pf_mw.max(axis=0)))
    ///     True
    #[pyo3(signature = (injections, ratings_mw=None, thresholds=None, histogram=None, angles=false, superpose=false))]
    // One argument per keyword of the Python method.
    #[allow(clippy::too_many_arguments)]
    fn branch_stats<'py>(
        &self,
        py: Python<'py>,
        injections: &Bound<'py, PyAny>,
        ratings_mw: Option<&Bound<'py, PyAny>>,
        thresholds: Option<&Bound<'py, PyAny>>,
        histogram: Option<(usize, f64)>,
        angles: bool,
        superpose: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        reduce::branch_stats(
            self, py, injections, ratings_mw, thresholds, histogram, angles, superpose,
        )
    }

    /// Year-long N-1 on a contingency list: for every period of
    /// ``injections`` (as ``branch_stats`` takes them: a ``(periods,
    /// buses)`` array or a ``ProfileInjections``) and every listed outage,
    /// the post-contingency flow of every monitored branch (LODF), reduced
    /// as the periods are solved. Releases the GIL.
    ///
    /// ``outages`` (the contingency list) and ``monitored`` (default:
    /// every in-service branch) are 0-based branch positions, e.g.
    /// ``screen_outages(...)["branch"]``; an outage that splits an island
    /// raises ``ValueError`` (leave it out). ``ratings_mw`` gives one
    /// rating per branch in file order (MW, ``np.inf`` for unlimited);
    /// by default the case's ``rate_a``, unlimited where it is 0.
    ///
    /// Returns a DataFrame, one row per monitored branch: ``branch``
    /// (0-based, unlike ``n_minus_1``'s numbers from 1), ``f_bus``,
    /// ``t_bus``, ``rating_mw``, ``worst_mw`` (the largest
    /// post-contingency |flow|, MW), ``worst_loading`` (that / rating),
    /// ``worst_outage`` (its outage, a 0-based branch position; the first
    /// in list order on a tie) and ``worst_period`` (0-based, the first).
    /// ``df.attrs["insecure_periods"]`` lists, in order, the periods in
    /// which some monitored branch is above its rating after some listed
    /// outage; ``df.attrs["outages"]`` and ``df.attrs["periods"]`` record
    /// the run. ``superpose=True`` superposes per-profile responses as in
    /// ``branch_stats``.
    ///
    /// Example:
    ///     >>> import numpy as np
    ///     >>> pf = landlinked.DcPowerFlow(landlinked.read_matpower("grids/case5_tap_shift.m"))
    ///     >>> year = pf.bus_injections_mw * np.linspace(0.5, 1.0, 8760)[:, None]
    ///     >>> n1 = pf.n_minus_1_year(year, outages=[0, 2, 3, 4])
    ///     >>> list(n1.columns)
    ///     ['branch', 'f_bus', 't_bus', 'rating_mw', 'worst_mw', 'worst_loading', 'worst_outage', 'worst_period']
    ///     >>> row = n1.set_index("branch").loc[1]  # 3-12 with 7-25 out, in the last hour
    ///     >>> int(row["worst_outage"]), int(row["worst_period"]), round(float(row["worst_mw"]), 9)
    ///     (2, 8759, 283.0)
    ///     >>> n1.attrs["insecure_periods"][0]  # the first hour 3-12 would exceed its 250 MW
    ///     6717
    #[pyo3(signature = (injections, outages, monitored=None, ratings_mw=None, superpose=false))]
    fn n_minus_1_year<'py>(
        &self,
        py: Python<'py>,
        injections: &Bound<'py, PyAny>,
        outages: &Bound<'py, PyAny>,
        monitored: Option<&Bound<'py, PyAny>>,
        ratings_mw: Option<&Bound<'py, PyAny>>,
        superpose: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        reduce::n_minus_1_year(
            self, py, injections, outages, monitored, ratings_mw, superpose,
        )
    }

    /// Ranks candidate outages for ``n_minus_1_year``: each candidate's
    /// score is the largest loading its outage can add to a monitored
    /// branch over a sample of periods, ``max_t |flow_k(t)| ×
    /// max_l |LODF[l, k]| / rating_l``; the ``count`` highest are kept,
    /// highest first (ties in candidate order). Outages that split an
    /// island are skipped.
    ///
    /// ``sample`` is a ``(periods, buses)`` array or a
    /// ``ProfileInjections`` (a sample of the year, e.g. every 24th hour;
    /// it is solved whole). ``candidates`` and ``monitored`` are 0-based
    /// branch positions (default: every in-service branch), ``ratings_mw``
    /// one per branch as in ``n_minus_1_year`` (default ``rate_a``,
    /// unlimited where it is 0). Returns a DataFrame: ``branch`` (0-based),
    /// ``f_bus``, ``t_bus``, ``score`` (a fraction of the rating).
    ///
    /// Example:
    ///     >>> import numpy as np
    ///     >>> pf = landlinked.DcPowerFlow(landlinked.read_matpower("grids/case5_tap_shift.m"))
    ///     >>> year = pf.bus_injections_mw * np.linspace(0.5, 1.0, 8760)[:, None]
    ///     >>> top = pf.screen_outages(year[::24], count=3, ratings_mw=np.full(8, 250.0))
    ///     >>> list(top.columns), len(top)
    ///     (['branch', 'f_bus', 't_bus', 'score'], 3)
    ///     >>> n1 = pf.n_minus_1_year(year, outages=top["branch"])  # the year on that list
    ///     >>> float(n1["worst_loading"].max()) > 1.0
    ///     True
    #[pyo3(signature = (sample, count=10, candidates=None, monitored=None, ratings_mw=None))]
    fn screen_outages<'py>(
        &self,
        py: Python<'py>,
        sample: &Bound<'py, PyAny>,
        count: usize,
        candidates: Option<&Bound<'py, PyAny>>,
        monitored: Option<&Bound<'py, PyAny>>,
        ratings_mw: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        reduce::screen_outages(self, py, sample, count, candidates, monitored, ratings_mw)
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
