//! MATPOWER case format version 2: reader and writer.
//!
//! Reads `mpc.baseMVA`, `mpc.bus`, `mpc.gen` and `mpc.branch` from a case
//! file (`function mpc = caseX` followed by assignments) and skips every
//! other field (`gencost`, `bus_name`, `dcline`, …) without choking on it,
//! listing the tables it skipped in [`Network::skipped_tables`] (so that a
//! caller can say that `mpc.dcline`'s HVDC lines are not modelled, as
//! MATPOWER's `rundcpf` leaves them out unless `toggle_dcline` is on).
//! Handles `%` comments, `...` line continuations, rows ended by `;` or a
//! newline, commas or tabs between values, scientific notation, `Inf`/`NaN`
//! tokens (rejected later where a value is used), and non-sequential bus
//! numbers. Every error names the file and line.
//!
//! ```
//! use landlinked::io::matpower;
//! let text = "function mpc = tiny
//! mpc.version = '2';
//! mpc.baseMVA = 100;
//! mpc.bus = [
//!   1 3 0  0 0 0 1 1 0 230 1 1.1 0.9;
//!   2 1 50 0 0 0 1 1 0 230 1 1.1 0.9;
//! ];
//! mpc.gen = [ 1 0 0 100 -100 1 100 1 200 0 ];
//! mpc.branch = [ 1 2 0.01 0.1 0 0 0 0 0 0 1 -360 360 ];
//! ";
//! let net = matpower::parse_str(text, "tiny.m").unwrap();
//! assert_eq!(net.buses.len(), 2);
//! assert_eq!(net.name, "tiny");
//! assert_eq!(net.branches[0].x_pu, 0.1);
//! ```

use std::path::Path;

use crate::error::{Error, Result};

mod write;
use crate::network::{Branch, Bus, BusType, Generator, Network, SkippedTable};
pub use write::{to_string, write};

/// Columns required in `mpc.bus` (BUS_I … VMIN).
pub const BUS_COLUMNS: usize = 13;
/// Columns required in `mpc.gen` (GEN_BUS … PMIN).
pub const GEN_COLUMNS: usize = 10;
/// Columns required in `mpc.branch` (F_BUS … BR_STATUS).
pub const BRANCH_COLUMNS: usize = 11;

/// Reads a MATPOWER case file.
///
/// ```no_run
/// let net = landlinked::io::matpower::read("grids/case5_tap_shift.m").unwrap();
/// println!("{} buses", net.buses.len());
/// ```
pub fn read(path: impl AsRef<Path>) -> Result<Network> {
    let path = path.as_ref();
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    // The validating conversion is several times faster than the lossy
    // one on valid text (it checks whole words at a time); only a file
    // that is not UTF-8 pays for the replacement characters.
    let text = match std::str::from_utf8(&bytes) {
        Ok(t) => std::borrow::Cow::Borrowed(t),
        Err(_) => String::from_utf8_lossy(&bytes),
    };
    parse_str(&text, &path.display().to_string())
}

/// Parses case text; `file` names it in error messages.
///
/// ```
/// let err = landlinked::io::matpower::parse_str("mpc.bus = [1 3", "bad.m").unwrap_err();
/// assert!(err.to_string().starts_with("bad.m:1:"));
/// ```
pub fn parse_str(text: &str, file: &str) -> Result<Network> {
    let raw = RawCase::parse(text).map_err(|(line, e)| e.at(file, line))?;
    raw.into_network(file)
}

/// A numeric table as read: values row-major, with the line of each row.
#[derive(Debug, Default)]
struct Table {
    values: Vec<f64>,
    ncols: usize,
    lines: Vec<usize>,
}

impl Table {
    fn row(&self, i: usize) -> &[f64] {
        &self.values[i * self.ncols..(i + 1) * self.ncols]
    }
    fn nrows(&self) -> usize {
        self.lines.len()
    }
}

#[derive(Debug, Default)]
struct RawCase {
    name: String,
    base_mva: Option<(f64, usize)>,
    bus: Option<Table>,
    generator: Option<Table>,
    branch: Option<Table>,
    skipped: Vec<SkippedTable>,
}

type Located<T> = std::result::Result<T, (usize, Error)>;

/// Byte cursor over the case text with a 1-based line counter.
struct Cursor<'a> {
    s: &'a [u8],
    i: usize,
    line: usize,
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }
    fn peek_at(&self, k: usize) -> Option<u8> {
        self.s.get(self.i + k).copied()
    }
    fn bump(&mut self) {
        if self.s[self.i] == b'\n' {
            self.line += 1;
        }
        self.i += 1;
    }
    /// Skips to the end of the line, leaving the cursor on the `\n`.
    fn skip_to_eol(&mut self) {
        match memchr_newline(&self.s[self.i..]) {
            Some(k) => self.i += k,
            None => self.i = self.s.len(),
        }
    }
    fn skip_blanks(&mut self) {
        while let Some(c) = self.peek() {
            if c == b' ' || c == b'\t' || c == b'\r' {
                self.i += 1;
            } else {
                break;
            }
        }
    }
    fn word(&mut self) -> &'a str {
        let start = self.i;
        while let Some(c) = self.peek() {
            if c.is_ascii_alphanumeric() || c == b'_' {
                self.i += 1;
            } else {
                break;
            }
        }
        std::str::from_utf8(&self.s[start..self.i]).unwrap_or("")
    }
}

fn memchr_newline(s: &[u8]) -> Option<usize> {
    s.iter().position(|&c| c == b'\n')
}

fn truncate(token: &[u8]) -> String {
    let t = String::from_utf8_lossy(&token[..token.len().min(40)]).into_owned();
    if token.len() > 40 { t + "…" } else { t }
}

impl RawCase {
    /// Walks statements: `function … = name`, `X.field = value;`, anything
    /// else is skipped to the end of its line (or its bracket block).
    fn parse(text: &str) -> Located<RawCase> {
        let mut case = RawCase::default();
        let mut c = Cursor {
            s: text.as_bytes(),
            i: 0,
            line: 1,
        };
        while c.i < c.s.len() {
            c.skip_blanks();
            let Some(ch) = c.peek() else { break };
            match ch {
                b'\n' | b';' | b',' => c.bump(),
                b'%' | b'#' => c.skip_to_eol(),
                b'[' | b'{' => {
                    let line = c.line;
                    skip_block(&mut c, "expression").map_err(|e| (line, e))?;
                }
                _ if ch.is_ascii_alphabetic() => case.statement(&mut c)?,
                _ => c.skip_to_eol(),
            }
        }
        Ok(case)
    }

    fn statement(&mut self, c: &mut Cursor) -> Located<()> {
        let first = c.word();
        if first == "function" {
            return self.function_header(c);
        }
        if c.peek() != Some(b'.') {
            c.skip_to_eol();
            return Ok(());
        }
        c.i += 1;
        let field = c.word().to_string();
        c.skip_blanks();
        if c.peek() != Some(b'=') || c.peek_at(1) == Some(b'=') {
            c.skip_to_eol();
            return Ok(());
        }
        c.i += 1;
        c.skip_blanks();
        let line = c.line;
        match (field.as_str(), c.peek()) {
            ("bus" | "gen" | "branch", Some(b'[')) => {
                c.i += 1;
                let table = read_table(c, &field)?;
                match field.as_str() {
                    "bus" => self.bus = Some(table),
                    "gen" => self.generator = Some(table),
                    _ => self.branch = Some(table),
                }
            }
            ("baseMVA", _) => {
                let v = read_scalar(c).map_err(|e| (line, e))?;
                self.base_mva = Some((v, line));
            }
            (_, Some(b'[' | b'{')) => {
                let start = c.i;
                skip_block(c, &field).map_err(|e| (line, e))?;
                // Values: a digit outside the block's comments.
                let has_values = c.s[start..c.i].split(|&b| b == b'\n').any(|l| {
                    let code = l.split(|&b| b == b'%' || b == b'#').next().unwrap_or(l);
                    code.iter().any(u8::is_ascii_digit)
                });
                self.skipped.push(SkippedTable {
                    field,
                    line,
                    has_values,
                });
            }
            _ => c.skip_to_eol(),
        }
        Ok(())
    }

    fn function_header(&mut self, c: &mut Cursor) -> Located<()> {
        let start = c.i;
        c.skip_to_eol();
        let header = String::from_utf8_lossy(&c.s[start..c.i]);
        let after_eq = header.split('=').nth(1).unwrap_or(&header);
        self.name = after_eq
            .trim()
            .split(|ch: char| !(ch.is_alphanumeric() || ch == '_'))
            .next()
            .unwrap_or("")
            .to_string();
        Ok(())
    }

    fn into_network(self, file: &str) -> Result<Network> {
        let (base_mva, base_line) = self.base_mva.ok_or_else(|| {
            Error::MissingField {
                field: "baseMVA".into(),
            }
            .in_file(file)
        })?;
        let need = |t: Option<Table>, field: &str| {
            t.ok_or_else(|| {
                Error::MissingField {
                    field: field.to_string(),
                }
                .in_file(file)
            })
        };
        let bus = need(self.bus, "bus")?;
        let generator = need(self.generator, "gen")?;
        let branch = need(self.branch, "branch")?;
        let mut net = Network::new(&self.name, base_mva);
        net.skipped_tables = self.skipped;
        net.buses = convert_rows(&bus, "bus", BUS_COLUMNS, file, bus_from_row)?;
        net.generators = convert_rows(&generator, "gen", GEN_COLUMNS, file, gen_from_row)?;
        net.branches = convert_rows(&branch, "branch", BRANCH_COLUMNS, file, branch_from_row)?;
        net.validate_located().map_err(|((table, row), e)| {
            let line = match table {
                "bus" => bus.lines.get(row),
                "gen" => generator.lines.get(row),
                "branch" => branch.lines.get(row),
                _ => Some(&base_line),
            };
            e.at(file, line.copied().unwrap_or(base_line))
        })?;
        Ok(net)
    }
}

fn convert_rows<T>(
    table: &Table,
    name: &str,
    min_cols: usize,
    file: &str,
    make: fn(&[f64], usize) -> Result<T>,
) -> Result<Vec<T>> {
    if table.nrows() > 0 && table.ncols < min_cols {
        return Err(Error::TooFewColumns {
            table: name.to_string(),
            found: table.ncols,
            expected: min_cols,
        }
        .at(file, table.lines[0]));
    }
    (0..table.nrows())
        .map(|i| make(table.row(i), i).map_err(|e| e.at(file, table.lines[i])))
        .collect()
}

fn bus_number(v: f64, element: &dyn Fn() -> String, field: &str) -> Result<u64> {
    if v.is_finite() && v >= 1.0 && v.fract() == 0.0 && v < 9.0e15 {
        Ok(v as u64)
    } else {
        Err(Error::InvalidValue {
            element: element(),
            field: field.to_string(),
            value: v,
            expected: "a positive integer bus number".into(),
        })
    }
}

fn area_number(v: f64, element: &dyn Fn() -> String, field: &str) -> Result<u32> {
    if v.is_finite() && v >= 0.0 && v.fract() == 0.0 && v <= u32::MAX as f64 {
        Ok(v as u32)
    } else {
        Err(Error::InvalidValue {
            element: element(),
            field: field.to_string(),
            value: v,
            expected: "a non-negative integer".into(),
        })
    }
}

fn status(v: f64, element: &dyn Fn() -> String) -> Result<bool> {
    if v.is_nan() {
        return Err(Error::NonFinite {
            element: element(),
            field: "status".into(),
            value: v,
        });
    }
    Ok(v > 0.0)
}

fn bus_from_row(r: &[f64], i: usize) -> Result<Bus> {
    // Element names are built only when an error needs one.
    let id = bus_number(r[0], &|| format!("bus row {}", i + 1), "bus_i")?;
    let el = || format!("bus {id}");
    let kind = BusType::from_code(r[1]).ok_or_else(|| Error::InvalidValue {
        element: el(),
        field: "type".into(),
        value: r[1],
        expected: "1 (PQ), 2 (PV), 3 (REF) or 4 (isolated)".into(),
    })?;
    Ok(Bus {
        id,
        kind,
        pd_mw: r[2],
        qd_mvar: r[3],
        gs_mw: r[4],
        bs_mvar: r[5],
        area: area_number(r[6], &el, "area")?,
        vm_pu: r[7],
        va_deg: r[8],
        base_kv: r[9],
        zone: area_number(r[10], &el, "zone")?,
    })
}

fn gen_from_row(r: &[f64], i: usize) -> Result<Generator> {
    let el = || format!("generator {}", i + 1);
    Ok(Generator {
        bus: bus_number(r[0], &el, "bus")?,
        pg_mw: r[1],
        qg_mvar: r[2],
        pmax_mw: r[8],
        pmin_mw: r[9],
        in_service: status(r[7], &el)?,
    })
}

fn branch_from_row(r: &[f64], i: usize) -> Result<Branch> {
    let el = || format!("branch {}", i + 1);
    Ok(Branch {
        from: bus_number(r[0], &el, "fbus")?,
        to: bus_number(r[1], &el, "tbus")?,
        r_pu: r[2],
        x_pu: r[3],
        b_pu: r[4],
        rate_a_mva: r[5],
        rate_b_mva: r[6],
        rate_c_mva: r[7],
        tap: r[8],
        shift_deg: r[9],
        in_service: status(r[10], &el)?,
    })
}

/// Reads a scalar value up to `;` or the end of the line.
fn read_scalar(c: &mut Cursor) -> Result<f64> {
    let start = c.i;
    while let Some(ch) = c.peek() {
        if ch == b';' || ch == b'\n' || ch == b'%' || ch == b',' {
            break;
        }
        c.i += 1;
    }
    let token = trim_ascii(&c.s[start..c.i]);
    parse_number(token)
}

fn trim_ascii(mut s: &[u8]) -> &[u8] {
    while let [first, rest @ ..] = s {
        if first.is_ascii_whitespace() {
            s = rest;
        } else {
            break;
        }
    }
    while let [rest @ .., last] = s {
        if last.is_ascii_whitespace() {
            s = rest;
        } else {
            break;
        }
    }
    s
}

fn parse_number(token: &[u8]) -> Result<f64> {
    if let Some(v) = plain_decimal(token) {
        return Ok(v);
    }
    let bad = || Error::BadNumber {
        token: truncate(token),
    };
    let s = std::str::from_utf8(token).map_err(|_| bad())?;
    match s {
        "Inf" | "inf" | "+Inf" => return Ok(f64::INFINITY),
        "-Inf" | "-inf" => return Ok(f64::NEG_INFINITY),
        "NaN" | "nan" => return Ok(f64::NAN),
        _ => {}
    }
    // Rust also accepts "infinity" and "nan" spelt otherwise: MATLAB
    // does not, so only digits, signs, '.', and exponents get through.
    if s.is_empty()
        || !s
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.' | b'e' | b'E'))
    {
        return Err(bad());
    }
    s.parse::<f64>().map_err(|_| bad())
}

/// The fast path for most of a case's numbers: `[±]digits[.digits]` with
/// at most 15 digits in all. The digits form an integer `m < 10^15`, exact
/// in an f64, and `10^k` (k ≤ 15) is exact too, so `m / 10^k` is the
/// correctly rounded value, the same bits as `str::parse` (Clinger's fast
/// path); anything else (exponents, longer mantissas) returns None and
/// goes the general way. Reading `case_ACTIVSg10k.m` (2.9 MB) took
/// 21–29 ms before this path (about 120 MB/s; `perf`: a third of it in
/// UTF-8 checks and `f64::from_str`).
fn plain_decimal(token: &[u8]) -> Option<f64> {
    const POW10: [f64; 16] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    ];
    let (neg, body) = match token {
        [b'-', rest @ ..] => (true, rest),
        [b'+', rest @ ..] => (false, rest),
        _ => (false, token),
    };
    let (mut m, mut digits, mut frac, mut dot) = (0u64, 0usize, 0usize, false);
    for &b in body {
        match b {
            b'0'..=b'9' => {
                if digits == 15 {
                    return None;
                }
                m = m * 10 + u64::from(b - b'0');
                digits += 1;
                frac += usize::from(dot);
            }
            b'.' if !dot => dot = true,
            _ => return None,
        }
    }
    if digits == 0 {
        return None;
    }
    let v = m as f64 / POW10[frac];
    Some(if neg { -v } else { v })
}

/// Bytes that end a token in a table: one lookup per byte instead of nine
/// comparisons.
const ENDS_TOKEN: [bool; 256] = {
    let mut t = [false; 256];
    let ends = *b" \t\r\n,;]%#";
    let mut i = 0;
    while i < ends.len() {
        t[ends[i] as usize] = true;
        i += 1;
    }
    t
};

/// Reads a `[ … ]` numeric table after its `[`, to the matching `]`.
/// Errors carry the line of the row or token at fault.
fn read_table(c: &mut Cursor, field: &str) -> Located<Table> {
    let mut t = Table::default();
    let start_line = c.line;
    let mut row_len = 0usize;
    let mut row_line = c.line;
    loop {
        let Some(ch) = c.peek() else {
            let e = Error::Unterminated {
                field: field.to_string(),
                close: ']',
            };
            return Err((start_line, e));
        };
        match ch {
            b' ' | b'\t' | b'\r' | b',' => c.i += 1,
            b'\n' | b';' => {
                close_row(&mut t, &mut row_len, row_line, field)?;
                c.bump();
            }
            b'%' | b'#' => c.skip_to_eol(),
            b']' => {
                close_row(&mut t, &mut row_len, row_line, field)?;
                c.i += 1;
                return Ok(t);
            }
            _ => {
                let start = c.i;
                let len = c.s[start..]
                    .iter()
                    .position(|&b| ENDS_TOKEN[b as usize])
                    .unwrap_or(c.s.len() - start);
                c.i += len;
                let token = &c.s[start..c.i];
                if token.starts_with(b"...") {
                    // Line continuation: the newline does not end the row.
                    c.skip_to_eol();
                    if c.peek() == Some(b'\n') {
                        c.bump();
                    }
                    continue;
                }
                if row_len == 0 {
                    row_line = c.line;
                }
                if token.contains(&b'[') || token.contains(&b'{') {
                    let e = Error::Syntax {
                        field: field.to_string(),
                        token: truncate(token),
                    };
                    return Err((c.line, e));
                }
                t.values.push(parse_number(token).map_err(|e| (c.line, e))?);
                row_len += 1;
            }
        }
    }
}

/// Closes the current row (if it has values), checking its length.
fn close_row(t: &mut Table, row_len: &mut usize, line: usize, field: &str) -> Located<()> {
    if *row_len == 0 {
        return Ok(());
    }
    if t.lines.is_empty() {
        t.ncols = *row_len;
    } else if *row_len != t.ncols {
        let e = Error::RaggedRow {
            table: field.to_string(),
            found: *row_len,
            expected: t.ncols,
        };
        return Err((line, e));
    }
    t.lines.push(line);
    *row_len = 0;
    Ok(())
}

/// Skips a `[ … ]` or `{ … }` block (nested, with strings and comments),
/// starting on its opening bracket.
fn skip_block(c: &mut Cursor, field: &str) -> Result<()> {
    let mut stack: Vec<u8> = Vec::new();
    loop {
        let Some(ch) = c.peek() else {
            let close = match stack.last() {
                Some(b'{') => '}',
                _ => ']',
            };
            return Err(Error::Unterminated {
                field: field.to_string(),
                close,
            });
        };
        match ch {
            b'[' | b'{' => {
                stack.push(ch);
                c.i += 1;
            }
            b']' | b'}' => {
                c.i += 1;
                stack.pop();
                if stack.is_empty() {
                    return Ok(());
                }
            }
            b'%' | b'#' => c.skip_to_eol(),
            b'\'' | b'"' => skip_string(c, ch),
            _ => c.bump(),
        }
    }
}

/// Skips a quoted string (doubled quotes escape), stopping at a newline.
fn skip_string(c: &mut Cursor, quote: u8) {
    c.i += 1;
    while let Some(ch) = c.peek() {
        if ch == b'\n' {
            return;
        }
        c.i += 1;
        if ch == quote {
            if c.peek() == Some(quote) {
                c.i += 1;
            } else {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::plain_decimal;

    /// The fast path gives `str::parse`'s bits, or declines.
    #[test]
    fn plain_decimals_match_the_standard_parser() {
        let mut tokens: Vec<String> = [
            "0",
            "-0",
            "+7",
            "1.",
            ".5",
            "-.5",
            "230",
            "0.00281",
            "-360",
            "1.05",
            "123456789012345",
            "1234567890123456",
            "0.1",
            "0.3",
            "99999.99999",
            "1e5",
            "1.5E-3",
            "",
            "-",
            ".",
            "1..2",
            "1-2",
            "0.000000000000001",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        // Pseudo-random decimals of every length and point position.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..20_000 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let digits = (x >> 60) as usize + 1; // 1..=16
            let mut t: String = (0..digits)
                .map(|i| char::from(b'0' + ((x >> (i * 3)) % 10) as u8))
                .collect();
            let point = (x >> 40) as usize % (digits + 1);
            t.insert(point, '.');
            if x & 1 == 1 {
                t.insert(0, '-');
            }
            tokens.push(t);
        }
        let mut fast = 0;
        for t in &tokens {
            if let Some(v) = plain_decimal(t.as_bytes()) {
                let want: f64 = t.parse().unwrap();
                assert_eq!(v.to_bits(), want.to_bits(), "{t}");
                fast += 1;
            }
        }
        assert!(fast > 15_000, "the fast path took only {fast} tokens");
        for declined in [
            "1e5",
            "1.5E-3",
            "",
            "-",
            ".",
            "1..2",
            "1-2",
            "1234567890123456",
        ] {
            assert!(plain_decimal(declined.as_bytes()).is_none(), "{declined}");
        }
    }
}
