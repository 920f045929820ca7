//! Turns a TOML error into [`Error::Toml`] with its line, column and the
//! `[[table]]` element around it.
//!
//! ```
//! use landlinked::{Error, io::grid};
//! let text = "[grid]\nname = \"x\"\nbase_mva = 100.0\n[[bus]]\nid = 1\nname = \"A\"\nkv = \"high\"\n";
//! let err = grid::parse_str(text, "g.toml").unwrap_err();
//! let Error::Toml { line, element, .. } = err.root() else { panic!("{err}") };
//! assert_eq!(*line, 7); // `kv = "high"`, inside the first [[bus]]
//! assert!(element.starts_with("[[bus]] 1"), "{element}");
//! ```

use crate::error::Error;

/// Line, column and element of a `toml` error.
pub(crate) fn toml_error(text: &str, e: &toml::de::Error) -> Error {
    let message = e.message().trim_end().to_string();
    let Some(span) = e.span() else {
        return Error::Toml {
            line: 0,
            column: 0,
            element: String::new(),
            message,
        };
    };
    let offset = floor_char_boundary(text, span.start.min(text.len()));
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = text[line_start..offset].chars().count() + 1;
    Error::Toml {
        line,
        column,
        element: element_at(text, line),
        message,
    }
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// `"[[plant]] 3 (`Nurek`): "` for an error on 1-based `line`, or `""` outside
/// any array of tables. A `[plant.reservoir]` sub-table belongs to the last
/// `[[plant]]`.
fn element_at(text: &str, line: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let upto = line.min(lines.len());
    // The last array-of-tables header at or before the error line.
    let mut current: Option<(String, usize)> = None;
    let mut counts: Vec<(String, usize)> = Vec::new();
    for (i, l) in lines[..upto].iter().enumerate() {
        if let Some(table) = array_header(l) {
            match counts.iter_mut().find(|(t, _)| *t == table) {
                Some((_, n)) => *n += 1,
                None => counts.push((table.clone(), 1)),
            }
            current = Some((table, i));
        } else if let Some(table) = plain_header(l) {
            let parent = table.split('.').next().unwrap_or("");
            if current.as_ref().is_none_or(|(t, _)| t != parent) {
                current = None;
            }
        }
    }
    let Some((table, start)) = current else {
        return String::new();
    };
    let index = counts
        .iter()
        .find(|(t, _)| *t == table)
        .map_or(0, |(_, n)| *n);
    match name_in(&lines[start + 1..]) {
        Some(name) => format!("[[{table}]] {index} (`{name}`): "),
        None => format!("[[{table}]] {index}: "),
    }
}

/// `Some("plant")` for a `[[plant]]` line.
fn array_header(line: &str) -> Option<String> {
    let t = line.trim();
    let inner = t.strip_prefix("[[")?.split("]]").next()?;
    Some(inner.trim().to_string())
}

/// `Some("plant.reservoir")` for a `[plant.reservoir]` line.
fn plain_header(line: &str) -> Option<String> {
    let t = line.trim();
    if t.starts_with("[[") {
        return None;
    }
    let inner = t.strip_prefix('[')?.split(']').next()?;
    Some(inner.trim().to_string())
}

/// The `name = "…"` value of a table whose body starts at `body`.
fn name_in(body: &[&str]) -> Option<String> {
    for l in body {
        let t = l.trim();
        if t.starts_with('[') {
            return None;
        }
        let Some(rest) = t.strip_prefix("name") else {
            continue;
        };
        let Some(value) = rest.trim_start().strip_prefix('=') else {
            continue;
        };
        let v = value.trim();
        let v = v.strip_prefix('"')?;
        return v.split('"').next().map(str::to_string);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn element_of_a_subtable_is_its_parent() {
        let text =
            "[grid]\n[[plant]]\nname = \"A\"\n[[plant]]\nname = \"B\"\n[plant.reservoir]\nx = 1\n";
        assert_eq!(element_at(text, 7), "[[plant]] 2 (`B`): ");
        assert_eq!(element_at(text, 1), "");
    }
}
