use super::*;
use crate::calendar::Month;
use crate::hourly::{Congestion, HourRow};

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("landlinked-table-{}-{name}", std::process::id()));
    std::fs::remove_dir_all(&dir).ok();
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Hours with awkward values: quotes and commas in text, an empty string,
/// negative zero, tiny and huge floats, large hour numbers.
fn hours() -> Vec<HourRow> {
    (0..300)
        .map(|h| HourRow {
            scenario: if h < 150 { "casa dry" } else { "2022, \"wet\"" }.into(),
            year: if h % 2 == 0 { "normal" } else { "17" }.into(),
            hour: h * 29,
            month: Month::from_hour_of_year(h * 29).unwrap(),
            load_mw: 2000.0 + h as f64 / 3.0,
            hydro_mw: 1e-300 * h as f64,
            other_mw: -0.0,
            imports_mw: 1.0 / 7.0,
            exports_mw: 6.02e23,
            spill_mw: h as f64 * 0.1,
            unserved_mw: 0.0,
            reserve_mw: 400.5,
            border_flow_mw: -(h as f64),
            binding: if h % 3 == 0 {
                String::new()
            } else {
                format!("TJ–UZ 500 ({h}); base case")
            },
        })
        .collect()
}

#[test]
fn csv_round_trip_is_the_serde_csv_byte_for_byte() {
    let dir = temp("csv");
    let rows = hours();
    let path = write(&dir, "hourly", &rows, Format::Csv).unwrap();
    // The same bytes as csv's own serialisation of the rows.
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in &rows {
        w.serialize(r).unwrap();
    }
    let serde = w.into_inner().unwrap();
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes == serde);
    // Read back, equal to the rows; written again, the same bytes.
    let back = Frame::read(&path, HourRow::SCHEMA).unwrap();
    assert_eq!(back, Frame::from_rows(&rows).unwrap());
    let again = dir.join("again.csv");
    back.write(&again, FileFormat::Csv).unwrap();
    assert!(std::fs::read(&again).unwrap() == bytes);
}

#[cfg(feature = "parquet")]
#[test]
fn parquet_round_trip_with_the_parquet_readers() {
    use arrow_array::cast::AsArray;
    use arrow_array::types::{Float64Type, Int64Type};
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    use parquet::file::reader::{FileReader, SerializedFileReader};

    let dir = temp("parquet");
    let rows = hours();
    let path = write(&dir, "hourly", &rows, Format::Auto).unwrap();
    assert!(path.ends_with("hourly.parquet"));

    // The Arrow reader: the columns, their types and every value.
    let file = std::fs::File::open(&path).unwrap();
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).unwrap();
    let names: Vec<&str> = builder
        .schema()
        .fields()
        .iter()
        .map(|f| f.name().as_str())
        .collect();
    assert_eq!(names, HourRow::COLUMNS);
    let types: Vec<String> = builder
        .schema()
        .fields()
        .iter()
        .map(|f| f.data_type().to_string())
        .collect();
    assert_eq!(types[..5], ["Utf8", "Utf8", "Int64", "Utf8", "Float64"]);
    let batches: Vec<_> = builder.build().unwrap().map(Result::unwrap).collect();
    let n: usize = batches.iter().map(|b| b.num_rows()).sum();
    assert_eq!(n, rows.len());
    let mut i = 0;
    for b in &batches {
        let scenario = b.column(0).as_string::<i32>();
        let year = b.column(1).as_string::<i32>();
        let hour = b.column(2).as_primitive::<Int64Type>();
        let month = b.column(3).as_string::<i32>();
        let f = |c: usize| b.column(c).as_primitive::<Float64Type>();
        let binding = b.column(13).as_string::<i32>();
        for k in 0..b.num_rows() {
            let r = &rows[i];
            assert_eq!(scenario.value(k), r.scenario);
            assert_eq!(year.value(k), r.year);
            assert_eq!(hour.value(k), r.hour as i64);
            assert_eq!(month.value(k), format!("{:?}", r.month));
            let values = [
                r.load_mw,
                r.hydro_mw,
                r.other_mw,
                r.imports_mw,
                r.exports_mw,
                r.spill_mw,
                r.unserved_mw,
                r.reserve_mw,
                r.border_flow_mw,
            ];
            for (c, v) in values.iter().enumerate() {
                // Bit for bit (negative zero stays negative).
                assert_eq!(f(c + 4).value(k).to_bits(), v.to_bits(), "row {i} col {c}");
            }
            assert_eq!(binding.value(k), r.binding);
            i += 1;
        }
    }

    // The file's own metadata: Snappy, no nulls allowed, the row count.
    let reader = SerializedFileReader::new(std::fs::File::open(&path).unwrap()).unwrap();
    let meta = reader.metadata();
    assert_eq!(meta.file_metadata().num_rows(), rows.len() as i64);
    for c in meta.row_group(0).columns() {
        assert_eq!(c.compression(), parquet::basic::Compression::SNAPPY);
    }

    // Through Frame: equal to the rows, and written again the same bytes.
    let back = Frame::read(&path, HourRow::SCHEMA).unwrap();
    assert_eq!(back, Frame::from_rows(&rows).unwrap());
    let again = dir.join("again.parquet");
    back.write(&again, FileFormat::Parquet).unwrap();
    assert!(std::fs::read(&again).unwrap() == std::fs::read(&path).unwrap());
}

#[cfg(feature = "parquet")]
#[test]
fn an_empty_parquet_table_keeps_its_columns() {
    let dir = temp("empty");
    let path = write::<Congestion>(&dir, "congestion", &[], Format::Parquet).unwrap();
    let back = Frame::read(&path, Congestion::SCHEMA).unwrap();
    assert!(back.is_empty());
    assert_eq!(back.schema(), Congestion::SCHEMA);
}

#[cfg(feature = "parquet")]
#[test]
fn truncated_or_foreign_parquet_is_refused_naming_the_file() {
    let dir = temp("bad");
    let path = write(&dir, "hourly", &hours(), Format::Parquet).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    let cut = dir.join("cut.parquet");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let err = Frame::read(&cut, HourRow::SCHEMA).unwrap_err().to_string();
    assert!(
        err.contains("cut.parquet") && err.contains("not a whole Parquet file"),
        "{err}"
    );
    // Other columns than asked for.
    let err = Frame::read(&path, Congestion::SCHEMA)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("expected (scenario: Utf8, branch: Utf8"),
        "{err}"
    );
}

#[test]
fn csv_with_other_columns_or_bad_numbers_is_refused() {
    let dir = temp("badcsv");
    let path = dir.join("c.csv");
    std::fs::write(&path, "scenario,month\ns,Jan\n").unwrap();
    let err = Frame::read(&path, Congestion::SCHEMA)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("columns `scenario,month`, expected `scenario,branch,"),
        "{err}"
    );
    let header = Congestion::COLUMNS.join(",");
    std::fs::write(&path, format!("{header}\ns,a,a,b,1.5,x,0,0,0,\n")).unwrap();
    let err = Frame::read(&path, Congestion::SCHEMA)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("row 1, column `max_loading_pct`: `x` is not a number"),
        "{err}"
    );
    let err = Frame::read(&dir.join("c.txt"), Congestion::SCHEMA).unwrap_err();
    assert!(err.to_string().contains("not a .csv or .parquet file"));
}

#[test]
fn a_row_that_does_not_fit_leaves_the_frame_as_it_was() {
    #[derive(Serialize)]
    struct Wrong {
        scenario: String,
        branch: f64,
    }
    let mut f = Frame::new(Congestion::SCHEMA);
    let err = f
        .push(&Wrong {
            scenario: "s".into(),
            branch: 1.0,
        })
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("column `branch` is Utf8, the field is a float"),
        "{err}"
    );
    assert!(f.is_empty());
    assert_eq!(f.column("scenario"), Some(&Values::Utf8(vec![])));
}

#[test]
fn auto_chooses_by_the_kind_of_table_and_replaces_the_other_format() {
    let parquet = cfg!(feature = "parquet");
    let expect = if parquet {
        FileFormat::Parquet
    } else {
        FileFormat::Csv
    };
    assert_eq!(Format::Auto.choose(Scale::PerHour).unwrap(), expect);
    assert_eq!(Format::Auto.choose(Scale::PerYear).unwrap(), expect);
    assert_eq!(
        Format::Auto.choose(Scale::PerScenario).unwrap(),
        FileFormat::Csv
    );
    assert_eq!(Format::Parquet.choose(Scale::PerScenario).is_ok(), parquet);
    if parquet {
        let dir = temp("replace");
        write(&dir, "hourly", &hours(), Format::Csv).unwrap();
        assert!(dir.join("hourly.csv").exists());
        write(&dir, "hourly", &hours(), Format::Auto).unwrap();
        assert!(dir.join("hourly.parquet").exists());
        assert!(!dir.join("hourly.csv").exists());
        let names: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["hourly.parquet"], "no temporary file is left");
    }
}
