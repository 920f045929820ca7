//! A [`Frame`] as a Parquet file and back, through the `parquet` crate's
//! Arrow writer and reader: one column per field (`Utf8`, `Int64`,
//! `Float64`, not nullable), Snappy compression, the Arrow schema stored in
//! the file (so pyarrow and polars give back the same types).

use std::path::Path;
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int64Type};
use arrow_array::{Array, ArrayRef, Float64Array, Int64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::ArrowWriter;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;

use super::{Column, Frame, Kind, Values, read_error, write_error};
use crate::error::Result;

fn data_type(kind: Kind) -> DataType {
    match kind {
        Kind::Utf8 => DataType::Utf8,
        Kind::Int64 => DataType::Int64,
        Kind::Float64 => DataType::Float64,
    }
}

fn arrow_schema(schema: &[Column]) -> Schema {
    Schema::new(
        schema
            .iter()
            .map(|c| Field::new(c.name, data_type(c.kind), false))
            .collect::<Vec<_>>(),
    )
}

/// Writes `frame` to `tmp` (`path` names it in errors).
pub(super) fn write(frame: &Frame, tmp: &Path, path: &Path) -> Result<()> {
    let schema = Arc::new(arrow_schema(&frame.schema));
    let columns: Vec<ArrayRef> = frame
        .columns
        .iter()
        .map(|c| -> ArrayRef {
            match c {
                Values::Utf8(v) => Arc::new(StringArray::from_iter_values(v)),
                Values::Int64(v) => Arc::new(Int64Array::from(v.clone())),
                Values::Float64(v) => Arc::new(Float64Array::from(v.clone())),
            }
        })
        .collect();
    let batch = RecordBatch::try_new(schema.clone(), columns).map_err(|e| write_error(path, e))?;
    let props = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .build();
    let file = std::fs::File::create(tmp).map_err(|e| write_error(path, e))?;
    let mut writer =
        ArrowWriter::try_new(file, schema, Some(props)).map_err(|e| write_error(path, e))?;
    writer.write(&batch).map_err(|e| write_error(path, e))?;
    let file = writer.into_inner().map_err(|e| write_error(path, e))?;
    file.sync_all().map_err(|e| write_error(path, e))
}

/// Reads a Parquet file whose columns are `schema`.
pub(super) fn read(path: &Path, schema: &[Column]) -> Result<Frame> {
    let file = std::fs::File::open(path).map_err(|e| read_error(path, e))?;
    let builder = ParquetRecordBatchReaderBuilder::try_new(file)
        .map_err(|e| read_error(path, format!("not a whole Parquet file: {e}")))?;
    let found = builder.schema().clone();
    let want = arrow_schema(schema);
    let same = found.fields().len() == want.fields().len()
        && found
            .fields()
            .iter()
            .zip(want.fields())
            .all(|(f, w)| f.name() == w.name() && f.data_type() == w.data_type());
    if !same {
        let show = |s: &Schema| {
            s.fields()
                .iter()
                .map(|f| format!("{}: {}", f.name(), f.data_type()))
                .collect::<Vec<_>>()
                .join(", ")
        };
        return Err(read_error(
            path,
            format!("columns ({}), expected ({})", show(&found), show(&want)),
        ));
    }
    let reader = builder
        .build()
        .map_err(|e| read_error(path, format!("not a whole Parquet file: {e}")))?;
    let mut frame = Frame::new(schema);
    for batch in reader {
        let batch =
            batch.map_err(|e| read_error(path, format!("not a whole Parquet file: {e}")))?;
        for ((c, values), array) in schema.iter().zip(&mut frame.columns).zip(batch.columns()) {
            if array.null_count() > 0 {
                return Err(read_error(
                    path,
                    format!("column `{}` has {} nulls", c.name, array.null_count()),
                ));
            }
            let wrong = || read_error(path, format!("column `{}` is not {:?}", c.name, c.kind));
            match values {
                Values::Utf8(v) => v.extend(
                    array
                        .as_string_opt::<i32>()
                        .ok_or_else(wrong)?
                        .iter()
                        .map(|s| s.unwrap_or_default().to_string()),
                ),
                Values::Int64(v) => v.extend_from_slice(
                    array
                        .as_primitive_opt::<Int64Type>()
                        .ok_or_else(wrong)?
                        .values(),
                ),
                Values::Float64(v) => v.extend_from_slice(
                    array
                        .as_primitive_opt::<Float64Type>()
                        .ok_or_else(wrong)?
                        .values(),
                ),
            }
        }
        frame.rows += batch.num_rows();
    }
    Ok(frame)
}
