//! Python inputs to the crate's types (zones, float arrays in place,
//! period matrices, branch positions) and the rows of limit tables.

use super::*;

/// A transfer zone from Python: a bus number, a list of bus numbers
/// (equal shares) or a dict ``{bus: weight}``.
pub(crate) fn zone(obj: &Bound<'_, PyAny>) -> PyResult<Zone> {
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
pub(crate) fn float_array<'py, D: numpy::ndarray::Dimension>(
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

/// A `(periods, buses)` float64 array for a grid of `n` buses (see
/// `float_array`); `shape` describes what is accepted in the errors.
pub(crate) fn periods_input<'py>(
    obj: &Bound<'py, PyAny>,
    n: usize,
    what: &str,
    shape: &str,
) -> PyResult<numpy::PyReadonlyArray2<'py, f64>> {
    let array = float_array::<numpy::Ix2>(obj, what, shape)?;
    let s = array.shape();
    if s[1] != n {
        return Err(PyValueError::new_err(format!(
            "{what} has shape ({}, {}): expected (periods, {n}), one column per bus",
            s[0], s[1]
        )));
    }
    Ok(array)
}

/// Branch positions from Python (0-based), checked against the count.
pub(crate) fn positions(
    list: Option<Vec<i64>>,
    m: usize,
    what: &str,
) -> PyResult<Option<Vec<usize>>> {
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

pub(crate) fn limit_rows(
    net: &RsNetwork,
    case: &str,
    limits: &[TransferLimit],
    rows: &mut LimitRows,
) {
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
pub(crate) struct LimitRows {
    pub(crate) case: Vec<String>,
    pub(crate) transfer_mw: Vec<f64>,
    pub(crate) branch: Vec<usize>,
    pub(crate) f_bus: Vec<u64>,
    pub(crate) t_bus: Vec<u64>,
    pub(crate) outage: Vec<Option<i64>>,
    pub(crate) flow_mw: Vec<f64>,
    pub(crate) factor: Vec<f64>,
    pub(crate) rate_mva: Vec<f64>,
}
