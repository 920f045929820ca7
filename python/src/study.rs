//! `Scenario` and `Study` from Python: the hourly export study, its tables
//! as DataFrames with the CSV files' columns.

use super::*;
use landlinked::hourly::{BalanceMonth, Congestion, CorridorMonth, Percentile};
use pyo3::exceptions::PyRuntimeError;
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

pub(crate) enum GridArg {
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
}

#[pymethods]
impl Study {
    /// Prepares a study (reads the grid file now, so a missing file or an
    /// unknown name fails here or at ``run``). ``exporter`` is the country
    /// whose exports are studied; ``None``, the grid's (its file's
    /// ``[grid] exporter``).
    ///
    /// Example:
    ///     >>> landlinked.Study("grids/central_asia/central_asia.toml", [landlinked.Scenario("s", "2022")], years=2, seed=7)
    ///     Study(1 scenarios, years=2, seed=7, exporter=None)
    #[new]
    #[pyo3(signature = (grid, scenarios, years=30, seed=2022, exporter=None))]
    fn new(
        py: Python<'_>,
        grid: &Bound<'_, PyAny>,
        scenarios: Vec<Bound<'_, PyAny>>,
        years: usize,
        seed: u64,
        exporter: Option<String>,
    ) -> PyResult<Study> {
        let grid = if let Ok(g) = grid.extract::<PyRef<'_, RegionalGrid>>() {
            GridArg::Built(g.inner.clone())
        } else {
            let path: PathBuf = grid.extract()?;
            GridArg::File(py.detach(|| gridio::read_document(&path)).map_err(py_err)?)
        };
        let scenarios = scenarios.iter().map(scenario).collect::<PyResult<_>>()?;
        let settings = HourlySettings {
            exporter,
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
        let study = HourlyStudy {
            settings: self.settings.clone(),
        };
        // `True`: print; a callable: called from this thread with what the
        // workers queued (they cannot take the GIL themselves).
        let (print, callback) = match &progress {
            None => (false, None),
            Some(p) if p.is_callable() => (false, Some(p.clone())),
            Some(p) => (p.is_truthy()?, None),
        };
        let queued: Mutex<Vec<landlinked::hourly::HourlyProgress>> = Mutex::new(Vec::new());
        let queue = callback.is_some();
        let report = |p: landlinked::hourly::HourlyProgress| {
            if print {
                eprintln!("{} {}: {}/{} years", p.scenario, p.year, p.done, p.total);
            }
            if queue && let Ok(mut q) = queued.lock() {
                q.push(p);
            }
        };
        let deliver = |py: Python<'_>| -> PyResult<()> {
            let Some(cb) = &callback else { return Ok(()) };
            let events = std::mem::take(&mut *queued.lock().unwrap_or_else(|e| e.into_inner()));
            for p in events {
                cb.call1((p.scenario, p.year, p.done, p.total))?;
            }
            let _ = py;
            Ok(())
        };
        let stop = AtomicBool::new(false);
        let until = || stop.load(Ordering::Relaxed);
        let r = std::thread::scope(|scope| {
            let worker = scope.spawn(|| match &self.grid {
                GridArg::File(doc) => study.run_until(doc, &self.scenarios, report, until),
                GridArg::Built(g) => study.run_until(g, &self.scenarios, report, until),
            });
            while !worker.is_finished() {
                py.detach(|| std::thread::sleep(Duration::from_millis(50)));
                if let Err(e) = py.check_signals().and_then(|_| deliver(py)) {
                    stop.store(true, Ordering::Relaxed);
                    py.detach(|| {
                        let _ = worker.join();
                    });
                    return Err(e);
                }
            }
            deliver(py)?;
            match worker.join() {
                Ok(r) => r.map_err(py_err),
                Err(_) => Err(PyRuntimeError::new_err("the study's thread panicked")),
            }
        })?;
        Ok(StudyResults {
            corridor_months: records(py, &r.corridors, CorridorMonth::COLUMNS)?.unbind(),
            balance_months: records(py, &r.balance, BalanceMonth::COLUMNS)?.unbind(),
            percentiles: records(py, &r.percentiles, Percentile::COLUMNS)?.unbind(),
            congestion: records(py, &r.congestion, Congestion::COLUMNS)?.unbind(),
            dc_seconds: r.dc_seconds,
        })
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
