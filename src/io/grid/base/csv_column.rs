//! An hourly series from a CSV column: a header row, then 8,760 rows (hour
//! 0 = 1 January 00:00–01:00), each value finite and ≥ 0. Errors name the
//! file, the line and the column.

use std::path::Path;

use crate::calendar::HOURS_PER_YEAR;
use crate::error::{Error, Result};

/// The 8,760 values of column `column` of the CSV file at `path`.
pub(super) fn read(path: &Path, column: &str) -> Result<Vec<f64>> {
    let shown = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .trim(csv::Trim::All)
        .from_reader(bytes.as_slice());
    let bad = |line: usize, message: String| Error::At {
        file: shown.clone(),
        line,
        source: Box::new(Error::Invalid { message }),
    };
    let headers = reader
        .headers()
        .map_err(|e| bad(1, format!("no header row: {e}")))?
        .clone();
    let k = headers
        .iter()
        .position(|h| h == column)
        .ok_or_else(|| Error::NotFound {
            kind: format!("column of {shown}"),
            name: column.to_string(),
            known: headers.iter().map(str::to_string).collect(),
        })?;
    let mut out = Vec::with_capacity(HOURS_PER_YEAR);
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = record.map_err(|e| bad(line, e.to_string()))?;
        let text = record.get(k).ok_or_else(|| {
            bad(
                line,
                format!(
                    "the row has no column `{column}` (it has {} values)",
                    record.len()
                ),
            )
        })?;
        let v: f64 = text.parse().map_err(|_| Error::At {
            file: shown.clone(),
            line,
            source: Box::new(Error::BadNumber {
                token: text.to_string(),
            }),
        })?;
        if !(v.is_finite() && v >= 0.0) {
            return Err(bad(
                line,
                format!("column `{column}` = {text}: a load factor must be finite and ≥ 0"),
            ));
        }
        out.push(v);
    }
    if out.len() != HOURS_PER_YEAR {
        return Err(Error::DimensionMismatch {
            what: format!("{shown}: column `{column}` (rows after the header, one per hour)"),
            found: out.len(),
            expected: HOURS_PER_YEAR,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(name: &str, text: &str) -> std::path::PathBuf {
        let path = std::env::temp_dir().join(format!("landlinked-csv-{name}.csv"));
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn reads_a_column_and_names_bad_values_by_line() {
        let mut text = String::from("hour,north,south\n");
        for h in 0..HOURS_PER_YEAR {
            text.push_str(&format!("{h},{},{}\n", 1.0 + (h % 24) as f64, 2.0));
        }
        let path = write("good", &text);
        let v = read(&path, "north").unwrap();
        assert_eq!(
            (v.len(), v[0], v[23], v[24]),
            (HOURS_PER_YEAR, 1.0, 24.0, 1.0)
        );
        let err = read(&path, "east").unwrap_err().to_string();
        assert!(
            err.contains("unknown column of") && err.contains("`east`"),
            "{err}"
        );
        let path = write("bad", &text.replacen("5,6,2", "5,x,2", 1));
        let err = read(&path, "north").unwrap_err().to_string();
        assert!(err.contains(":7: `x` is not a number"), "{err}");
        let short: String = text.lines().take(100).map(|l| format!("{l}\n")).collect();
        let err = read(&write("short", &short), "north")
            .unwrap_err()
            .to_string();
        assert!(err.contains("has length 99, expected 8760"), "{err}");
    }
}
