//! Python bindings of `landlinked`: the module `landlinked._landlinked`,
//! re-exported by the pure-Python package `landlinked`.
//!
//! Arrays cross into Python without a copy where the crate already owns
//! them (the solver's results become NumPy arrays over the same buffer),
//! and tables are pandas DataFrames. Every solve and study runs with the
//! GIL released.

mod arrow;
mod convert;
mod dcpf;
mod network;
mod parts;
mod reduce;
mod region;
mod results;
mod study;

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
pub(crate) fn py_err(e: landlinked::Error) -> PyErr {
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

pub(crate) fn pandas(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    py.import("pandas")?.getattr("DataFrame")
}

/// A DataFrame from named columns (NumPy arrays or lists), in order.
pub(crate) fn frame<'py>(
    py: Python<'py>,
    cols: Vec<(&str, Bound<'py, PyAny>)>,
) -> PyResult<Bound<'py, PyAny>> {
    let d = PyDict::new(py);
    for (k, v) in cols {
        d.set_item(k, v)?;
    }
    pandas(py)?.call1((d,))
}

pub(crate) fn arr1<'py, T: numpy::Element>(py: Python<'py>, v: Vec<T>) -> Bound<'py, PyAny> {
    PyArray1::from_vec(py, v).into_any()
}

pub(crate) fn list<'py, T: IntoPyObject<'py>>(
    py: Python<'py>,
    v: Vec<T>,
) -> PyResult<Bound<'py, PyAny>> {
    Ok(pyo3::types::PyList::new(py, v)?.into_any())
}

/// An elements × periods column-major matrix handed to NumPy as a
/// C-contiguous periods × elements array over the same buffer (no copy);
/// returns the array and its buffer's address.
pub(crate) fn periods_array(py: Python<'_>, m: DMatrix<f64>) -> (Py<PyAny>, usize) {
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
pub(crate) fn fortran_array(py: Python<'_>, rows: usize, cols: usize, v: Vec<f64>) -> Py<PyAny> {
    let a = Array2::from_shape_vec((rows, cols).f(), v).expect("shape matches the buffer");
    PyArray2::from_owned_array(py, a).into_any().unbind()
}

use convert::*;
use dcpf::*;
use network::*;
use parts::StudyPart;
use reduce::ProfileInjections;
use region::*;
use results::*;
use study::*;

/// The compiled core of the ``landlinked`` package (import ``landlinked``).
#[pymodule]
fn _landlinked(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("Error", m.py().get_type::<Error>())?;
    m.add_class::<Network>()?;
    m.add_class::<DcPowerFlow>()?;
    m.add_class::<DcSolution>()?;
    m.add_class::<DcState>()?;
    m.add_class::<DcSeries>()?;
    m.add_class::<ProfileInjections>()?;
    m.add_class::<RegionalGrid>()?;
    m.add_class::<Scenario>()?;
    m.add_class::<Study>()?;
    m.add_class::<StudyResults>()?;
    m.add_class::<StudyPart>()?;
    m.add_function(wrap_pyfunction!(read_matpower, m)?)?;
    m.add_function(wrap_pyfunction!(write_matpower, m)?)?;
    Ok(())
}
