//! The crate's result rows as Arrow record batches: one column per CSV
//! column, typed from the values (Int64 for whole numbers, Float64 for
//! the others, Utf8 for text, Boolean), nulls where a value is missing or
//! not a number. pandas DataFrames are made from these batches, and
//! `StudyResults.to_arrow` hands them to pyarrow, polars or DuckDB through
//! the Arrow PyCapsule interface, without a copy.

use std::sync::Arc;

use arrow_array::{
    ArrayRef, BooleanArray, Float64Array, Int64Array, RecordBatch, RecordBatchOptions, StringArray,
};
use arrow_schema::{DataType, Field, Schema};
use serde_json::Value;

use super::*;

/// A record batch of `rows` with `columns` in this order (also when there
/// are no rows: then every column is Float64 and empty).
pub(crate) fn batch<T: Serialize>(rows: &[T], columns: &[&str]) -> PyResult<RecordBatch> {
    let values: Vec<serde_json::Map<String, Value>> = rows
        .iter()
        .map(|r| match serde_json::to_value(r) {
            Ok(Value::Object(m)) => Ok(m),
            Ok(other) => Err(Error::new_err(format!(
                "a result row is not a record: {other}"
            ))),
            Err(e) => Err(Error::new_err(e.to_string())),
        })
        .collect::<PyResult<_>>()?;
    let mut fields = Vec::with_capacity(columns.len());
    let mut arrays: Vec<ArrayRef> = Vec::with_capacity(columns.len());
    for &c in columns {
        let col: Vec<Option<&Value>> = values
            .iter()
            .map(|m| m.get(c).filter(|v| !v.is_null()))
            .collect();
        // A column of nulls only (or of no rows) is Float64.
        let any = col.iter().any(Option::is_some);
        let all = |f: fn(&Value) -> bool| any && col.iter().flatten().all(|v| f(v));
        let (kind, array): (DataType, ArrayRef) = if all(Value::is_string) {
            let a: StringArray = col.iter().map(|v| v.and_then(Value::as_str)).collect();
            (DataType::Utf8, Arc::new(a))
        } else if all(Value::is_boolean) {
            let a: BooleanArray = col.iter().map(|v| v.and_then(Value::as_bool)).collect();
            (DataType::Boolean, Arc::new(a))
        } else if all(Value::is_i64) {
            let a: Int64Array = col.iter().map(|v| v.and_then(Value::as_i64)).collect();
            (DataType::Int64, Arc::new(a))
        } else if col.iter().flatten().all(|v| v.is_number()) {
            let a: Float64Array = col.iter().map(|v| v.and_then(Value::as_f64)).collect();
            (DataType::Float64, Arc::new(a))
        } else {
            return Err(Error::new_err(format!(
                "column `{c}` mixes text and numbers; cannot type it"
            )));
        };
        fields.push(Field::new(c, kind, true));
        arrays.push(array);
    }
    let options = RecordBatchOptions::new().with_row_count(Some(rows.len()));
    RecordBatch::try_new_with_options(Arc::new(Schema::new(fields)), arrays, &options)
        .map_err(|e| Error::new_err(e.to_string()))
}

/// A pandas DataFrame of a record batch (through pyarrow, which pandas
/// needs for Arrow input).
pub(crate) fn to_pandas<'py>(py: Python<'py>, b: &RecordBatch) -> PyResult<Bound<'py, PyAny>> {
    let rb = pyo3_arrow::PyRecordBatch::new(b.clone()).into_pyarrow(py)?;
    rb.call_method0("to_pandas")
}
