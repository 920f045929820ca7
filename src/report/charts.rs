//! SVG charts of a seasonal study (plotters, SVG backend; text is written
//! as SVG `<text>`, so no font files are needed).
//!
//! * [`surplus_chart`]: the exporter's monthly surplus (positive) or
//!   deficit (negative), mean MW, one line per scenario, with its exports.
//! * [`exports_chart`]: one panel per scenario, exports per corridor by
//!   month as stacked bars (mean MW), the surplus as a line above them.
//!
//! ```
//! use landlinked::report::charts;
//! use landlinked::seasonal::{Hydrology, Scenario, SeasonalStudy};
//! let r = SeasonalStudy::run("grids/central_asia/central_asia.toml",
//!     &[Scenario::new("2022 normal", "2022", Hydrology::Normal)])?;
//! let path = std::env::temp_dir().join("landlinked-surplus-doc.svg");
//! charts::surplus_chart(&r, &path)?;
//! assert!(std::fs::read_to_string(&path).unwrap().contains("<svg"));
//! # Ok::<(), landlinked::Error>(())
//! ```

use std::path::Path;

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use crate::calendar::Month;
use crate::error::{Error, Result};
use crate::seasonal::StudyResults;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Line colours for scenarios and fill colours for corridors.
pub(super) const PALETTE: [RGBColor; 8] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
];

/// Monthly surplus (solid) and exports (dashed) per scenario, mean MW, as
/// an SVG of 900 × 500 px.
///
/// ```
/// # use landlinked::seasonal::StudyResults;
/// let empty = StudyResults { scenarios: vec![], months: vec![], corridors: vec![] };
/// let path = std::env::temp_dir().join("landlinked-surplus-empty.svg");
/// landlinked::report::charts::surplus_chart(&empty, &path)?;
/// # Ok::<(), landlinked::Error>(())
/// ```
pub fn surplus_chart(results: &StudyResults, path: &Path) -> Result<()> {
    let root = SVGBackend::new(path, (900, 500)).into_drawing_area();
    draw_surplus(results, &root).map_err(|e| chart_error(path, e))?;
    root.present().map_err(|e| chart_error(path, e))
}

/// Stacked exports per corridor by month, one panel per scenario (two
/// columns), the surplus as a black line; an SVG 1000 px wide.
///
/// ```
/// # use landlinked::seasonal::StudyResults;
/// let empty = StudyResults { scenarios: vec![], months: vec![], corridors: vec![] };
/// let path = std::env::temp_dir().join("landlinked-exports-empty.svg");
/// landlinked::report::charts::exports_chart(&empty, &path)?;
/// # Ok::<(), landlinked::Error>(())
/// ```
pub fn exports_chart(results: &StudyResults, path: &Path) -> Result<()> {
    let n = results.scenarios.len().max(1);
    let rows = n.div_ceil(2);
    let size = (1000, 330 * rows as u32);
    let root = SVGBackend::new(path, size).into_drawing_area();
    draw_exports(results, &root, rows).map_err(|e| chart_error(path, e))?;
    root.present().map_err(|e| chart_error(path, e))
}

pub(super) type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;
pub(super) type DrawResult = std::result::Result<(), Box<dyn std::error::Error + 'static>>;

fn draw_surplus(results: &StudyResults, root: &Area) -> DrawResult {
    root.fill(&WHITE)?;
    let values = results
        .months
        .iter()
        .flat_map(|m| [m.surplus_mw, m.exports_mw]);
    let (lo, hi) = padded_range(values);
    let mut chart = ChartBuilder::on(root)
        .caption(
            "Tajikistan: monthly surplus (solid) and exports (dashed), mean MW",
            ("sans-serif", 20),
        )
        .margin(12)
        .x_label_area_size(30)
        .y_label_area_size(60)
        .build_cartesian_2d(-0.5f64..11.5f64, lo..hi)?;
    mesh(&mut chart, "MW")?;
    chart.draw_series(LineSeries::new([(-0.5, 0.0), (11.5, 0.0)], BLACK))?;
    for (i, s) in results.scenarios.iter().enumerate() {
        let colour = PALETTE[i % PALETTE.len()];
        let rows = || results.months.iter().filter(|m| m.scenario == s.name);
        let surplus: Vec<(f64, f64)> = rows()
            .map(|m| (m.month.index() as f64, m.surplus_mw))
            .collect();
        chart
            .draw_series(LineSeries::new(surplus, colour.stroke_width(2)))?
            .label(s.name.as_str())
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], colour.stroke_width(2)));
        let exports: Vec<(f64, f64)> = rows()
            .map(|m| (m.month.index() as f64, m.exports_mw))
            .collect();
        chart.draw_series(DashedLineSeries::new(exports, 6, 4, colour.stroke_width(1)))?;
    }
    legend(&mut chart)
}

fn draw_exports(results: &StudyResults, root: &Area, rows: usize) -> DrawResult {
    root.fill(&WHITE)?;
    let panels = root.split_evenly((rows, 2));
    let mut corridors: Vec<(usize, String)> = Vec::new();
    for c in &results.corridors {
        if !corridors.iter().any(|(_, n)| *n == c.corridor) {
            corridors.push((c.merit, c.corridor.clone()));
        }
    }
    corridors.sort();
    let hi = padded_range(results.months.iter().map(|m| m.surplus_mw.max(0.0))).1;
    for (s, panel) in results.scenarios.iter().zip(&panels) {
        let mut chart = ChartBuilder::on(panel)
            .caption(
                format!("{}: exports by corridor, MW", s.name),
                ("sans-serif", 16),
            )
            .margin(8)
            .x_label_area_size(24)
            .y_label_area_size(50)
            .build_cartesian_2d(-0.5f64..11.5f64, 0.0..hi)?;
        mesh(&mut chart, "MW")?;
        let mut base = [0.0f64; 12];
        for (k, (_, name)) in corridors.iter().enumerate() {
            let colour = PALETTE[k % PALETTE.len()];
            let rows = results
                .corridors
                .iter()
                .filter(|c| c.scenario == s.name && c.corridor == *name && c.export_mw > 0.0);
            let bars: Vec<Rectangle<(f64, f64)>> = rows
                .map(|c| {
                    let (x, y0) = (c.month.index() as f64, base[c.month.index()]);
                    base[c.month.index()] += c.export_mw;
                    Rectangle::new(
                        [(x - 0.35, y0), (x + 0.35, y0 + c.export_mw)],
                        colour.filled(),
                    )
                })
                .collect();
            chart
                .draw_series(bars)?
                .label(name.as_str())
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 12, y + 5)], colour.filled())
                });
        }
        let surplus = results.months.iter().filter(|m| m.scenario == s.name);
        let line: Vec<(f64, f64)> = surplus
            .map(|m| (m.month.index() as f64, m.surplus_mw.max(0.0)))
            .collect();
        chart
            .draw_series(LineSeries::new(line, BLACK.stroke_width(2)))?
            .label("surplus")
            .legend(|(x, y)| PathElement::new([(x, y), (x + 20, y)], BLACK.stroke_width(2)));
        legend(&mut chart)?;
    }
    Ok(())
}

pub(super) type Chart<'a, 'b> =
    ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

pub(super) fn mesh(chart: &mut Chart, y_desc: &str) -> DrawResult {
    chart
        .configure_mesh()
        .x_labels(12)
        .x_label_formatter(&|x| month_label(*x))
        .y_label_formatter(&|y| format!("{y:.0}"))
        .y_desc(y_desc)
        .light_line_style(WHITE)
        .draw()?;
    Ok(())
}

pub(super) fn legend<'b: 'a, 'a>(chart: &mut Chart<'a, 'b>) -> DrawResult {
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .label_font(("sans-serif", 12))
        .draw()?;
    Ok(())
}

/// `"Jan"` … `"Dec"` at whole months, nothing between.
fn month_label(x: f64) -> String {
    let i = x.round();
    if (x - i).abs() > 1e-6 || !(0.0..12.0).contains(&i) {
        return String::new();
    }
    Month::ALL
        .get(i as usize)
        .map(|m| MONTHS[m.index()].to_string())
        .unwrap_or_default()
}

/// A range covering the values and 0 with 10 % room (a unit range if empty).
pub(super) fn padded_range(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = values
        .filter(|v| v.is_finite())
        .fold((0.0f64, 0.0f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let pad = 0.1 * (hi - lo).max(1.0);
    (if lo < 0.0 { lo - pad } else { 0.0 }, hi + pad)
}

pub(super) fn chart_error(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::Write {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}
