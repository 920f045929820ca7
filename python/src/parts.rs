//! A study in parts: `Study.run_years` runs some years of one scenario and
//! returns a picklable `StudyPart`; `Study.merge` merges parts into the
//! `StudyResults` of `Study.run` (the crate's `HourlyStudy::run_years` and
//! `HourlyStudy::merge`). Studies, parts and regional grids pickle (as
//! CBOR: every number exactly), so that Dask can send them to workers.

use super::*;
use landlinked::hourly::YearsPart;
use pyo3::types::{PyBytes, PyType};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// Some consecutive years of one scenario of a ``Study``, run by
/// ``Study.run_years`` (anywhere: it pickles) and merged by
/// ``Study.merge``. Year 0 is the scenario's named year, 1 to
/// ``total_years - 1`` its stochastic years.
///
/// Example:
///     >>> import pickle
///     >>> study = landlinked.Study("grids/central_asia/central_asia.toml",
///     ...                          [landlinked.Scenario("s", "2022")], years=1)
///     >>> part = pickle.loads(pickle.dumps(study.run_years("s", 0, 2)))
///     >>> (part.scenario, part.first, part.end, part.total_years)
///     ('s', 0, 2, 2)
#[pyclass(frozen, module = "landlinked")]
pub(crate) struct StudyPart {
    pub(crate) inner: YearsPart,
}

#[pymethods]
impl StudyPart {
    /// The scenario's name.
    ///
    /// Example:
    ///     >>> study = landlinked.Study("grids/central_asia/central_asia.toml",
    ///     ...                          [landlinked.Scenario("s", "2022")], years=0)
    ///     >>> study.run_years("s", 0, 1).scenario
    ///     's'
    #[getter]
    fn scenario(&self) -> &str {
        self.inner.scenario()
    }

    /// The first year held (0: the named year).
    ///
    /// Example:
    ///     >>> study = landlinked.Study("grids/central_asia/central_asia.toml",
    ///     ...                          [landlinked.Scenario("s", "2022")], years=2)
    ///     >>> study.run_years("s", 2, 3).first
    ///     2
    #[getter]
    fn first(&self) -> usize {
        self.inner.years().start
    }

    /// The year after the last one held.
    ///
    /// Example:
    ///     >>> study = landlinked.Study("grids/central_asia/central_asia.toml",
    ///     ...                          [landlinked.Scenario("s", "2022")], years=2)
    ///     >>> study.run_years("s", 2, 3).end
    ///     3
    #[getter]
    fn end(&self) -> usize {
        self.inner.years().end
    }

    /// The scenario's years in all (the study's ``years`` plus its named
    /// year).
    ///
    /// Example:
    ///     >>> study = landlinked.Study("grids/central_asia/central_asia.toml",
    ///     ...                          [landlinked.Scenario("s", "2022")], years=2)
    ///     >>> study.run_years("s", 0, 1).total_years
    ///     3
    #[getter]
    fn total_years(&self) -> usize {
        self.inner.total_years()
    }

    /// Seconds in the DC core for this part (its own factorisation and
    /// sensitivities, then its years).
    ///
    /// Example:
    ///     >>> study = landlinked.Study("grids/central_asia/central_asia.toml",
    ///     ...                          [landlinked.Scenario("s", "2022")], years=0)
    ///     >>> study.run_years("s", 0, 1).dc_seconds > 0
    ///     True
    #[getter]
    fn dc_seconds(&self) -> f64 {
        self.inner.dc_seconds()
    }

    /// Pickling: the part's outputs as CBOR bytes (numbers exact).
    ///
    /// Example:
    ///     >>> import pickle
    ///     >>> study = landlinked.Study("grids/central_asia/central_asia.toml",
    ///     ...                          [landlinked.Scenario("s", "2022")], years=0)
    ///     >>> pickle.loads(pickle.dumps(study.run_years("s", 0, 1)))
    ///     StudyPart("s", years 0..1 of 0..1)
    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, PyAny>, (Bound<'py, PyBytes>,))> {
        let bytes = PyBytes::new(slf.py(), &encode(&slf.get().inner)?);
        Ok((slf.get_type().getattr("_from_state")?, (bytes,)))
    }

    /// Rebuilds a pickled part (``__reduce__``'s state).
    #[classmethod]
    fn _from_state(_cls: &Bound<'_, PyType>, state: &[u8]) -> PyResult<StudyPart> {
        Ok(StudyPart {
            inner: decode(state, "StudyPart")?,
        })
    }

    fn __repr__(&self) -> String {
        let y = self.inner.years();
        format!(
            "StudyPart({:?}, years {}..{} of 0..{})",
            self.inner.scenario(),
            y.start,
            y.end,
            self.inner.total_years()
        )
    }
}

/// `Study.run_years`: one scenario's years, GIL released.
pub(crate) fn run_years(
    study: &Study,
    py: Python<'_>,
    scenario: &str,
    years: std::ops::Range<usize>,
    threads: Option<usize>,
    progress: Option<Bound<'_, PyAny>>,
) -> PyResult<StudyPart> {
    let Some(s) = study.scenarios.iter().find(|s| s.name == scenario) else {
        let known: Vec<&str> = study.scenarios.iter().map(|s| s.name.as_str()).collect();
        return Err(PyValueError::new_err(format!(
            "unknown scenario `{scenario}` (known: {})",
            known.join(", ")
        )));
    };
    let hourly = study.hourly();
    let inner = detached(py, progress, threads, |report, until| match &study.grid {
        GridArg::File { doc, .. } => hourly.run_years(doc, s, years, report, until),
        GridArg::Built(g) => hourly.run_years(g, s, years, report, until),
    })?;
    Ok(StudyPart { inner })
}

/// `Study.merge`: the parts into the study's tables.
pub(crate) fn merge(
    study: &Study,
    py: Python<'_>,
    parts: Vec<PyRef<'_, StudyPart>>,
) -> PyResult<StudyResults> {
    let parts: Vec<YearsPart> = parts.iter().map(|p| p.inner.clone()).collect();
    let hourly = study.hourly();
    let r = py
        .detach(|| match &study.grid {
            GridArg::File { doc, .. } => hourly.merge(doc, &study.scenarios, parts),
            GridArg::Built(g) => hourly.merge(g, &study.scenarios, parts),
        })
        .map_err(py_err)?;
    results(py, r)
}

/// What a pickled `Study` holds.
#[derive(Serialize, Deserialize)]
struct StudyState {
    grid: GridState,
    scenarios: Vec<RsScenario>,
    exporter: Option<String>,
    years: usize,
    seed: u64,
}

/// A grid file's text and name, or a built grid as grid file text.
#[derive(Serialize, Deserialize)]
enum GridState {
    File { file: String, text: String },
    Built { toml: String },
}

/// A `Study` as bytes (`Study.__reduce__`).
pub(crate) fn study_state(study: &Study) -> PyResult<Vec<u8>> {
    let s = &study.settings;
    let settings = HourlySettings {
        exporter: s.exporter.clone(),
        years: s.years,
        seed: s.seed,
        ..Default::default()
    };
    if settings != *s {
        return Err(Error::new_err(
            "this study's settings go beyond exporter, years and seed: it cannot be pickled",
        ));
    }
    let grid = match &study.grid {
        GridArg::File { doc, text } => GridState::File {
            file: doc.file.clone(),
            text: text.clone(),
        },
        GridArg::Built(g) => GridState::Built {
            toml: gridio::to_toml_string(g).map_err(py_err)?,
        },
    };
    encode(&StudyState {
        grid,
        scenarios: study.scenarios.clone(),
        exporter: settings.exporter,
        years: settings.years,
        seed: settings.seed,
    })
}

/// A `Study` from `study_state`'s bytes.
pub(crate) fn study_from_state(state: &[u8]) -> PyResult<Study> {
    let st: StudyState = decode(state, "Study")?;
    let grid = match st.grid {
        GridState::File { file, text } => GridArg::File {
            doc: gridio::parse_str(&text, &file).map_err(py_err)?,
            text,
        },
        GridState::Built { toml } => GridArg::Built(grid_from_toml(&toml).map_err(py_err)?),
    };
    Ok(Study {
        grid,
        scenarios: st.scenarios,
        settings: HourlySettings {
            exporter: st.exporter,
            years: st.years,
            seed: st.seed,
            ..Default::default()
        },
    })
}

/// A built grid back from `gridio::to_toml_string`'s text: its own stage
/// and options are the text's default stage (an equal grid: the crate
/// tests it).
pub(crate) fn grid_from_toml(text: &str) -> Res<RsGrid> {
    let doc = gridio::parse_str(text, "pickled grid")?;
    let stage = doc.data.grid.default_stage.clone();
    doc.build(stage.as_deref(), &[])
}

pub(crate) fn encode<T: Serialize>(value: &T) -> PyResult<Vec<u8>> {
    let mut out = Vec::new();
    ciborium::into_writer(value, &mut out).map_err(|e| Error::new_err(e.to_string()))?;
    Ok(out)
}

pub(crate) fn decode<T: DeserializeOwned>(bytes: &[u8], what: &str) -> PyResult<T> {
    ciborium::from_reader(bytes).map_err(|e| {
        PyValueError::new_err(format!(
            "not a pickled {what} of this version of landlinked: {e}"
        ))
    })
}
