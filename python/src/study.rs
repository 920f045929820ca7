//! `Scenario` and `Study` from Python: the hourly export study, its tables
//! as DataFrames with the CSV files' columns.

use super::*;
use landlinked::hourly::{
    BalanceMonth, Congestion, CorridorMonth, HourlyProgress, HourlyResults, Percentile,
};
use pyo3::exceptions::PyRuntimeError;
use pyo3::types::PyBytes;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

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
pub(crate) struct Scenario {
    pub(crate) inner: RsScenario,
}

pub(crate) fn hydrology(name: &str) -> PyResult<Hydrology> {
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
pub(crate) fn scenario(obj: &Bound<'_, PyAny>) -> PyResult<RsScenario> {
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

/// A study's grid: a grid file (parsed, with its text for pickling) or a
/// built grid.
pub(crate) enum GridArg {
    File {
        doc: gridio::GridDocument,
        text: String,
    },
    Built(RsGrid),
}

impl GridArg {
    /// Reads and parses a grid file (a missing one: `FileNotFoundError`).
    pub(crate) fn read(path: &std::path::Path) -> Res<GridArg> {
        let text = std::fs::read_to_string(path).map_err(|source| landlinked::Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let doc = gridio::parse_str(&text, &path.display().to_string())?;
        Ok(GridArg::File { doc, text })
    }
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
pub(crate) struct Study {
    pub(crate) grid: GridArg,
    pub(crate) scenarios: Vec<RsScenario>,
    pub(crate) settings: HourlySettings,
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
pub(crate) struct StudyResults {
    /// One row per scenario, year, month and export corridor.
    #[pyo3(get)]
    pub(crate) corridor_months: Py<PyAny>,
    /// One row per scenario, year and month: the exporter's balance.
    #[pyo3(get)]
    pub(crate) balance_months: Py<PyAny>,
    /// P10/P50/P90 over the water years per scenario, month and quantity.
    #[pyo3(get)]
    pub(crate) percentiles: Py<PyAny>,
    /// One row per scenario and loaded branch.
    #[pyo3(get)]
    pub(crate) congestion: Py<PyAny>,
    /// Seconds in the DC core (factorisations, flows, transfer limits).
    #[pyo3(get)]
    pub(crate) dc_seconds: f64,
    /// The four tables as Arrow record batches, by name.
    pub(crate) batches: Vec<(&'static str, arrow_array::RecordBatch)>,
}

#[pymethods]
impl StudyResults {
    /// The table ``name`` (``"corridor_months"``, ``"balance_months"``,
    /// ``"percentiles"`` or ``"congestion"``) as an Arrow record batch, the
    /// columns the DataFrame has. It exports itself through the Arrow
    /// PyCapsule interface (``__arrow_c_array__``), so pyarrow
    /// (``pyarrow.record_batch(b)``), polars (``polars.DataFrame(b)``) and
    /// DuckDB read the Rust buffers without a copy.
    ///
    /// Example:
    ///     >>> import pyarrow as pa
    ///     >>> r = landlinked.Study("grids/central_asia/central_asia.toml",
    ///     ...                      [landlinked.Scenario("s", "2022")], years=0).run()
    ///     >>> b = pa.record_batch(r.to_arrow("balance_months"))
    ///     >>> b.num_rows, b.schema.field("exports_gwh").type
    ///     (12, DataType(double))
    fn to_arrow(&self, name: &str) -> PyResult<pyo3_arrow::PyRecordBatch> {
        match self.batches.iter().find(|(n, _)| *n == name) {
            Some((_, b)) => Ok(pyo3_arrow::PyRecordBatch::new(b.clone())),
            None => Err(PyValueError::new_err(format!(
                "no table `{name}`; the tables are {}",
                self.batches
                    .iter()
                    .map(|(n, _)| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
        }
    }
}

#[pymethods]
impl Study {
    /// Prepares a study (reads the grid file now, so a missing file or an
    /// unknown name fails here or at ``run``). ``exporter`` is the country
    /// whose exports are studied; ``None``, the grid's (its file's
    /// ``[grid] exporter``). ``hedging=False`` keeps the reservoirs on
    /// their rule curves strictly; by default, from May to September, a
    /// filling reservoir of the exporter fills less rather than let its
    /// own load go unserved.
    ///
    /// Example:
    ///     >>> landlinked.Study("grids/central_asia/central_asia.toml", [landlinked.Scenario("s", "2022")], years=2, seed=7)
    ///     Study(1 scenarios, years=2, seed=7, exporter=None)
    #[new]
    #[pyo3(signature = (grid, scenarios, years=30, seed=2022, exporter=None, hedging=true))]
    fn new(
        py: Python<'_>,
        grid: &Bound<'_, PyAny>,
        scenarios: Vec<Bound<'_, PyAny>>,
        years: usize,
        seed: u64,
        exporter: Option<String>,
        hedging: bool,
    ) -> PyResult<Study> {
        let grid = if let Ok(g) = grid.extract::<PyRef<'_, RegionalGrid>>() {
            GridArg::Built(g.inner.clone())
        } else {
            let path: PathBuf = grid.extract()?;
            py.detach(|| GridArg::read(&path)).map_err(py_err)?
        };
        let scenarios = scenarios.iter().map(scenario).collect::<PyResult<_>>()?;
        let settings = HourlySettings {
            exporter,
            years,
            seed,
            hedge_months: if hedging {
                HourlySettings::default().hedge_months
            } else {
                Vec::new()
            },
            ..Default::default()
        };
        Ok(Study {
            grid,
            scenarios,
            settings,
        })
    }

    /// Runs the study with the GIL released (scenarios and years in
    /// parallel on every core). ``progress=True`` prints each finished
    /// scenario-year to stderr; a callable is called as
    /// ``progress(scenario, year, done, total)`` from the calling thread
    /// (for a notebook progress bar); an exception it raises stops the
    /// study. Returns a ``StudyResults``. Ctrl-C (a ``KeyboardInterrupt``)
    /// stops it between scenario-years.
    ///
    /// Example:
    ///     >>> r = landlinked.Study("grids/central_asia/central_asia.toml",
    ///     ...                      [landlinked.Scenario("s", "2022")], years=1).run()
    ///     >>> float(r.corridor_months["export_gwh"].sum()) > 0
    ///     True
    #[pyo3(signature = (progress=None))]
    fn run(&self, py: Python<'_>, progress: Option<Bound<'_, PyAny>>) -> PyResult<StudyResults> {
        let study = self.hourly();
        let r = detached(py, progress, None, |report, until| match &self.grid {
            GridArg::File { doc, .. } => study.run_until(doc, &self.scenarios, report, until),
            GridArg::Built(g) => study.run_until(g, &self.scenarios, report, until),
        })?;
        results(py, r)
    }

    /// Runs the years ``first`` to ``end`` (excluded) of one scenario
    /// (by name) and returns them as a ``StudyPart`` for ``merge``: year
    /// 0 is the scenario's named year, 1 to ``years`` its stochastic
    /// years, each the same whichever part runs it (the seed fixes year
    /// k, and the part chains the water of the years before its own).
    /// The part factorises the scenario's grid itself. ``threads``: the
    /// threads its years run on (``None``: every core); ``progress`` as
    /// for ``run``. ``landlinked.dask.sweep`` runs these on a cluster.
    ///
    /// Example:
    ///     >>> study = landlinked.Study("grids/central_asia/central_asia.toml",
    ///     ...                          [landlinked.Scenario("s", "2022")], years=2)
    ///     >>> part = study.run_years("s", 1, 3, threads=1)
    ///     >>> part
    ///     StudyPart("s", years 1..3 of 0..3)
    #[pyo3(signature = (scenario, first, end, threads=None, progress=None))]
    fn run_years(
        &self,
        py: Python<'_>,
        scenario: &str,
        first: usize,
        end: usize,
        threads: Option<usize>,
        progress: Option<Bound<'_, PyAny>>,
    ) -> PyResult<StudyPart> {
        parts::run_years(self, py, scenario, first..end, threads, progress)
    }

    /// Merges parts (``run_years``'s, in any order, from any process)
    /// into the ``StudyResults`` that ``run`` returns: the same tables,
    /// equal value for value (``dc_seconds`` aside: the parts' sum).
    /// Raises ``landlinked.Error`` naming the scenario when a year is in
    /// no part or in two, or when a part comes from another study (other
    /// settings, scenario or grid).
    ///
    /// Example:
    ///     >>> study = landlinked.Study("grids/central_asia/central_asia.toml",
    ///     ...                          [landlinked.Scenario("s", "2022")], years=2)
    ///     >>> parts = [study.run_years("s", 2, 3), study.run_years("s", 0, 2)]
    ///     >>> merged = study.merge(parts)
    ///     >>> merged.balance_months.equals(study.run().balance_months)
    ///     True
    fn merge(&self, py: Python<'_>, parts: Vec<PyRef<'_, StudyPart>>) -> PyResult<StudyResults> {
        parts::merge(self, py, parts)
    }

    /// Checks what can be checked without running: scenario names unique,
    /// every scenario's stage, options and outages known to the grid.
    /// Raises as ``run`` would.
    ///
    /// Example:
    ///     >>> landlinked.Study("grids/central_asia/central_asia.toml",
    ///     ...                  [landlinked.Scenario("s", "2051")]).check()
    ///     Traceback (most recent call last):
    ///     ...
    ///     ValueError: ...unknown stage `2051`
    fn check(&self, py: Python<'_>) -> PyResult<()> {
        let study = self.hourly();
        py.detach(|| match &self.grid {
            GridArg::File { doc, .. } => study.check(doc, &self.scenarios),
            GridArg::Built(g) => study.check(g, &self.scenarios),
        })
        .map_err(py_err)
    }

    /// The scenarios, in order.
    ///
    /// Example:
    ///     >>> landlinked.Study("grids/central_asia/central_asia.toml",
    ///     ...                  [{"name": "s", "stage": "2022"}]).scenarios
    ///     [Scenario("s", "2022", hydrology="normal")]
    #[getter]
    fn scenarios(&self) -> Vec<Scenario> {
        let inner = self.scenarios.iter().cloned();
        inner.map(|inner| Scenario { inner }).collect()
    }

    /// Stochastic years per scenario (each scenario also runs its named
    /// year: ``years + 1`` in all).
    ///
    /// Example:
    ///     >>> landlinked.Study("grids/central_asia/central_asia.toml", [], years=4).years
    ///     4
    #[getter]
    fn years(&self) -> usize {
        self.settings.years
    }

    /// Seed of the inflow generator.
    ///
    /// Example:
    ///     >>> landlinked.Study("grids/central_asia/central_asia.toml", [], seed=7).seed
    ///     7
    #[getter]
    fn seed(&self) -> u64 {
        self.settings.seed
    }

    /// Country code of the exporter given, or ``None``: the grid's
    /// (``[grid] exporter`` in its file).
    ///
    /// Example:
    ///     >>> landlinked.Study("grids/central_asia/central_asia.toml", [], exporter="TJ").exporter
    ///     'TJ'
    #[getter]
    fn exporter(&self) -> Option<&str> {
        self.settings.exporter.as_deref()
    }

    /// Pickling: the grid file's text (or a built grid's, as ``write``
    /// writes it) travels with the scenarios and settings, so a worker
    /// needs no copy of the file.
    ///
    /// Example:
    ///     >>> import pickle
    ///     >>> study = landlinked.Study("grids/central_asia/central_asia.toml",
    ///     ...                          [landlinked.Scenario("s", "casa")], years=3, seed=9)
    ///     >>> pickle.loads(pickle.dumps(study))
    ///     Study(1 scenarios, years=3, seed=9, exporter=None)
    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, PyAny>, (Bound<'py, PyBytes>,))> {
        let state = parts::study_state(&slf.borrow())?;
        let state = PyBytes::new(slf.py(), &state);
        Ok((slf.get_type().getattr("_from_state")?, (state,)))
    }

    /// Rebuilds a pickled study (``__reduce__``'s state).
    #[classmethod]
    fn _from_state(_cls: &Bound<'_, pyo3::types::PyType>, state: &[u8]) -> PyResult<Study> {
        parts::study_from_state(state)
    }

    fn __repr__(&self) -> String {
        format!(
            "Study({} scenarios, years={}, seed={}, exporter={})",
            self.scenarios.len(),
            self.settings.years,
            self.settings.seed,
            match &self.settings.exporter {
                Some(e) => format!("{e:?}").replace('"', "'"),
                None => "None".into(),
            }
        )
    }
}

impl Study {
    /// The crate's study with these settings.
    pub(crate) fn hourly(&self) -> HourlyStudy {
        HourlyStudy {
            settings: self.settings.clone(),
        }
    }
}

/// The crate's results as a `StudyResults` (DataFrames made from Arrow
/// record batches, which it keeps for `to_arrow`).
pub(crate) fn results(py: Python<'_>, r: HourlyResults) -> PyResult<StudyResults> {
    let batches = vec![
        (
            "corridor_months",
            arrow::batch(&r.corridors, CorridorMonth::COLUMNS)?,
        ),
        (
            "balance_months",
            arrow::batch(&r.balance, BalanceMonth::COLUMNS)?,
        ),
        (
            "percentiles",
            arrow::batch(&r.percentiles, Percentile::COLUMNS)?,
        ),
        (
            "congestion",
            arrow::batch(&r.congestion, Congestion::COLUMNS)?,
        ),
    ];
    let frame =
        |i: usize| -> PyResult<Py<PyAny>> { Ok(arrow::to_pandas(py, &batches[i].1)?.unbind()) };
    Ok(StudyResults {
        corridor_months: frame(0)?,
        balance_months: frame(1)?,
        percentiles: frame(2)?,
        congestion: frame(3)?,
        dc_seconds: r.dc_seconds,
        batches,
    })
}

type Report<'a> = &'a (dyn Fn(HourlyProgress) + Sync);
type Until<'a> = &'a (dyn Fn() -> bool + Sync);

/// Runs `job` on another thread with the GIL released (on a pool of
/// `threads` threads if given, else on rayon's global pool), polling for
/// Ctrl-C and delivering progress: `progress` is `None`, a truthy value
/// (print each scenario-year to stderr) or a callable called from this
/// thread as `progress(scenario, year, done, total)` with what the job
/// queued. An exception from either stops the job between scenario-years.
pub(crate) fn detached<T: Send>(
    py: Python<'_>,
    progress: Option<Bound<'_, PyAny>>,
    threads: Option<usize>,
    job: impl FnOnce(Report<'_>, Until<'_>) -> Res<T> + Send,
) -> PyResult<T> {
    let pool = match threads {
        Some(0) => {
            return Err(PyValueError::new_err(
                "threads must be at least 1 (or None: every core)",
            ));
        }
        Some(n) => Some(
            rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .map_err(|e| PyRuntimeError::new_err(format!("cannot start {n} threads: {e}")))?,
        ),
        None => None,
    };
    // `True`: print; a callable: called from this thread with what the
    // workers queued (they cannot take the GIL themselves).
    let (print, callback) = match &progress {
        None => (false, None),
        Some(p) if p.is_callable() => (false, Some(p.clone())),
        Some(p) => (p.is_truthy()?, None),
    };
    let queued: Mutex<Vec<HourlyProgress>> = Mutex::new(Vec::new());
    let queue = callback.is_some();
    let report = |p: HourlyProgress| {
        if print {
            eprintln!("{} {}: {}/{} years", p.scenario, p.year, p.done, p.total);
        }
        if queue && let Ok(mut q) = queued.lock() {
            q.push(p);
        }
    };
    let deliver = || -> PyResult<()> {
        let Some(cb) = &callback else { return Ok(()) };
        let events = std::mem::take(&mut *queued.lock().unwrap_or_else(|e| e.into_inner()));
        for p in events {
            cb.call1((p.scenario, p.year, p.done, p.total))?;
        }
        Ok(())
    };
    let stop = AtomicBool::new(false);
    let until = || stop.load(Ordering::Relaxed);
    std::thread::scope(|scope| {
        let worker = scope.spawn(|| match &pool {
            Some(pool) => pool.install(|| job(&report, &until)),
            None => job(&report, &until),
        });
        while !worker.is_finished() {
            py.detach(|| std::thread::sleep(Duration::from_millis(50)));
            if let Err(e) = py.check_signals().and_then(|_| deliver()) {
                stop.store(true, Ordering::Relaxed);
                py.detach(|| {
                    let _ = worker.join();
                });
                return Err(e);
            }
        }
        deliver()?;
        match worker.join() {
            Ok(r) => r.map_err(py_err),
            Err(_) => Err(PyRuntimeError::new_err("the study's thread panicked")),
        }
    })
}
