//! The hourly study's result tables: labelled rows, one per key, units in
//! the field names, ready for CSV through serde.
//!
//! ```
//! use landlinked::hourly::Percentile;
//! let p = Percentile::of("s".into(), "Jul", "exports_gwh".into(), &[1.0, 2.0, 3.0]);
//! assert_eq!((p.p10, p.p50, p.p90), (1.2, 2.0, 2.8));
//! ```

use serde::{Deserialize, Serialize};

use crate::calendar::Month;
use crate::report::table::{Column, Row, Scale};

/// One scenario, year, month and exporter corridor.
///
/// ```
/// # use landlinked::{calendar::Month, hourly::CorridorMonth};
/// let c = CorridorMonth { scenario: "s".into(), year: "1".into(), month: Month::Jul,
///     corridor: "TUTAP".into(), importer: "AF".into(), capacity_mw: 300.0, export_gwh: 0.0,
///     partner_gwh: 0.0, peak_mw: 0.0, revenue_musd: 0.0, hours_exporting: 0, hours_at_capacity: 0,
///     hours_at_network_limit: 0, hours_at_appetite: 0, hours_no_surplus: 744 };
/// assert_eq!(c.hours_no_surplus, 744);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CorridorMonth {
    /// Scenario name.
    pub scenario: String,
    /// Simulated year (`1`..`Y`) or the named year (`normal`, `dry`, `wet`).
    pub year: String,
    /// Month.
    pub month: Month,
    /// Corridor name.
    pub corridor: String,
    /// Importing country.
    pub importer: String,
    /// Corridor capacity (contract, and in-service links), MW.
    pub capacity_mw: f64,
    /// Energy the exporter exported over the corridor, GWh (its own part
    /// where a partner supplies a share).
    pub export_gwh: f64,
    /// Energy a partner supplied over the corridor (Kyrgyzstan's share of
    /// CASA-1000), GWh; the corridor carried `export_gwh + partner_gwh`.
    pub partner_gwh: f64,
    /// Highest hourly flow over the corridor (both suppliers), MW.
    pub peak_mw: f64,
    /// The exporter's energy × the corridor's net price (less transit
    /// fees), million US$.
    pub revenue_musd: f64,
    /// Hours with an export.
    pub hours_exporting: u32,
    /// Hours in which the corridor's capacity limits the export.
    pub hours_at_capacity: u32,
    /// Hours in which the network (base case or N-1) limits the export.
    pub hours_at_network_limit: u32,
    /// Hours in which the importer's appetite or season cap limits it.
    pub hours_at_appetite: u32,
    /// Hours open for export without surplus left for this corridor.
    pub hours_no_surplus: u32,
}

/// The exporter's balance in one scenario, year and month.
///
/// `hydro_gwh + other_gwh + imports_gwh + unserved_gwh = load_gwh +
/// exports_gwh + spill_gwh − turbine_spill`, where the spill also holds the
/// surplus that no corridor took.
///
/// ```
/// # use landlinked::{calendar::Month, hourly::BalanceMonth};
/// let b = BalanceMonth { scenario: "s".into(), year: "1".into(), month: Month::Jan,
///     load_gwh: 2000.0, hydro_gwh: 1500.0, other_gwh: 250.0, imports_gwh: 0.0,
///     exports_gwh: 0.0, spill_gwh: 0.0, unserved_gwh: 250.0, reserve_mw_min: 200.0,
///     storage_end_hm3: 8000.0 };
/// assert_eq!(b.hydro_gwh + b.other_gwh + b.imports_gwh + b.unserved_gwh, b.load_gwh);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BalanceMonth {
    /// Scenario name.
    pub scenario: String,
    /// Simulated year or named year.
    pub year: String,
    /// Month.
    pub month: Month,
    /// Exporter's load (grown), GWh.
    pub load_gwh: f64,
    /// Hydro energy generated (after backing down what no corridor took), GWh.
    pub hydro_gwh: f64,
    /// Thermal and small hydro energy, GWh.
    pub other_gwh: f64,
    /// Energy imported in deficit hours, GWh.
    pub imports_gwh: f64,
    /// Energy exported, GWh.
    pub exports_gwh: f64,
    /// Water's energy not generated: surplus no corridor took, and water
    /// beyond the turbines' capacity, GWh.
    pub spill_gwh: f64,
    /// Load not served (rationing), GWh.
    pub unserved_gwh: f64,
    /// Smallest operating reserve held on the hydro plants' headroom, MW.
    pub reserve_mw_min: f64,
    /// Storage of the exporter's reservoirs at the month's end, hm³.
    pub storage_end_hm3: f64,
}

/// P10, P50 and P90 of a quantity over the simulated years.
///
/// ```
/// # use landlinked::hourly::Percentile;
/// let p = Percentile::of("s".into(), "year", "unserved_gwh".into(), &[5.0]);
/// assert_eq!(p.p90, 5.0);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Percentile {
    /// Scenario name.
    pub scenario: String,
    /// Month (`Jan`..`Dec`) or `year`.
    pub month: String,
    /// What: `export_gwh:CORRIDOR`, `revenue_musd:CORRIDOR`, `surplus_gwh`,
    /// `exports_gwh`, `spill_gwh`, `imports_gwh`, `unserved_gwh`.
    pub quantity: String,
    /// 10th percentile.
    pub p10: f64,
    /// Median.
    pub p50: f64,
    /// 90th percentile.
    pub p90: f64,
}

impl Percentile {
    /// Percentiles of `values` (linear between order statistics).
    ///
    /// ```
    /// # use landlinked::hourly::Percentile;
    /// let p = Percentile::of("s".into(), "Jan", "q".into(), &[3.0, 1.0, 2.0, 4.0, 5.0]);
    /// assert_eq!(p.p50, 3.0);
    /// ```
    pub fn of(scenario: String, month: &str, quantity: String, values: &[f64]) -> Percentile {
        let mut v = values.to_vec();
        v.sort_by(f64::total_cmp);
        let q = |p: f64| -> f64 {
            if v.is_empty() {
                return 0.0;
            }
            let x = p * (v.len() - 1) as f64;
            let (i, frac) = (x.floor() as usize, x - x.floor());
            let next = v[(i + 1).min(v.len() - 1)];
            v[i] + frac * (next - v[i])
        };
        Percentile {
            scenario,
            month: month.to_string(),
            quantity,
            p10: q(0.1),
            p50: q(0.5),
            p90: q(0.9),
        }
    }
}

/// Loading of one branch over a scenario's hours (all its years).
///
/// ```
/// # use landlinked::hourly::Congestion;
/// let c = Congestion { scenario: "s".into(), branch: "A–B".into(), from_bus: "A".into(),
///     to_bus: "B".into(), rating_mw: 100.0, max_loading_pct: 85.0, hours_over_80pct: 10,
///     hours_over_100pct: 0, hours_binding: 3, most_frequent_outage: "C–D".into() };
/// assert!(c.hours_over_100pct <= c.hours_over_80pct);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Congestion {
    /// Scenario name.
    pub scenario: String,
    /// `FROM–TO` by bus names.
    pub branch: String,
    /// From bus name.
    pub from_bus: String,
    /// To bus name.
    pub to_bus: String,
    /// Rating (`rate_a`), MW.
    pub rating_mw: f64,
    /// Highest loading in the DC flows of every hour, % of the rating.
    pub max_loading_pct: f64,
    /// Hours above 80 % of the rating.
    pub hours_over_80pct: u32,
    /// Hours above 100 % of the rating.
    pub hours_over_100pct: u32,
    /// Hours in which the branch limits an export (base case or N-1).
    pub hours_binding: u32,
    /// The outage under which it binds most often (`base case` or
    /// `FROM–TO`; empty when it never binds).
    pub most_frequent_outage: String,
}

/// One hour of one scenario and year (kept when asked for).
///
/// ```
/// # use landlinked::{calendar::Month, hourly::HourRow};
/// let h = HourRow { scenario: "s".into(), year: "1".into(), hour: 0, month: Month::Jan,
///     load_mw: 2000.0, hydro_mw: 1700.0, other_mw: 300.0, imports_mw: 0.0, exports_mw: 0.0,
///     spill_mw: 0.0, unserved_mw: 0.0, reserve_mw: 400.0, border_flow_mw: 0.0,
///     binding: String::new() };
/// assert_eq!(h.load_mw, h.hydro_mw + h.other_mw);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HourRow {
    /// Scenario name.
    pub scenario: String,
    /// Simulated year or named year.
    pub year: String,
    /// Hour of the year, 0..8760.
    pub hour: usize,
    /// Month.
    pub month: Month,
    /// Exporter's load, MW.
    pub load_mw: f64,
    /// Hydro output after trade, MW.
    pub hydro_mw: f64,
    /// Other plants' output, MW.
    pub other_mw: f64,
    /// Imports, MW.
    pub imports_mw: f64,
    /// Exports, MW.
    pub exports_mw: f64,
    /// Water's energy not generated, MW.
    pub spill_mw: f64,
    /// Load not served, MW.
    pub unserved_mw: f64,
    /// Reserve held on the hydro headroom, MW.
    pub reserve_mw: f64,
    /// Net flow out of the exporter in the hour's DC power flow, MW.
    pub border_flow_mw: f64,
    /// The branches that limit an export in this hour, `FROM–TO`, with the
    /// outage under which they do (`; `-separated; empty when none).
    pub binding: String,
}

impl CorridorMonth {
    /// The table's columns, in order (the CSV header).
    ///
    /// ```
    /// assert_eq!(landlinked::hourly::CorridorMonth::COLUMNS[0], "scenario");
    /// ```
    pub const COLUMNS: &'static [&'static str] = &[
        "scenario",
        "year",
        "month",
        "corridor",
        "importer",
        "capacity_mw",
        "export_gwh",
        "partner_gwh",
        "peak_mw",
        "revenue_musd",
        "hours_exporting",
        "hours_at_capacity",
        "hours_at_network_limit",
        "hours_at_appetite",
        "hours_no_surplus",
    ];
}

impl BalanceMonth {
    /// The table's columns, in order (the CSV header).
    ///
    /// ```
    /// assert_eq!(landlinked::hourly::BalanceMonth::COLUMNS[0], "scenario");
    /// ```
    pub const COLUMNS: &'static [&'static str] = &[
        "scenario",
        "year",
        "month",
        "load_gwh",
        "hydro_gwh",
        "other_gwh",
        "imports_gwh",
        "exports_gwh",
        "spill_gwh",
        "unserved_gwh",
        "reserve_mw_min",
        "storage_end_hm3",
    ];
}

impl Percentile {
    /// The table's columns, in order (the CSV header).
    ///
    /// ```
    /// assert_eq!(landlinked::hourly::Percentile::COLUMNS[0], "scenario");
    /// ```
    pub const COLUMNS: &'static [&'static str] =
        &["scenario", "month", "quantity", "p10", "p50", "p90"];
}

impl Congestion {
    /// The table's columns, in order (the CSV header).
    ///
    /// ```
    /// assert_eq!(landlinked::hourly::Congestion::COLUMNS[0], "scenario");
    /// ```
    pub const COLUMNS: &'static [&'static str] = &[
        "scenario",
        "branch",
        "from_bus",
        "to_bus",
        "rating_mw",
        "max_loading_pct",
        "hours_over_80pct",
        "hours_over_100pct",
        "hours_binding",
        "most_frequent_outage",
    ];
}

impl HourRow {
    /// The table's columns, in order (the CSV header).
    ///
    /// ```
    /// assert_eq!(landlinked::hourly::HourRow::COLUMNS[2], "hour");
    /// ```
    pub const COLUMNS: &'static [&'static str] = &[
        "scenario",
        "year",
        "hour",
        "month",
        "load_mw",
        "hydro_mw",
        "other_mw",
        "imports_mw",
        "exports_mw",
        "spill_mw",
        "unserved_mw",
        "reserve_mw",
        "border_flow_mw",
        "binding",
    ];
}

/// Typed columns of the tables: names as [`CorridorMonth::COLUMNS`] and
/// the others, text as `Utf8`, hours as `Int64`, values as `Float64`.
impl Row for CorridorMonth {
    const SCHEMA: &'static [Column] = &[
        Column::utf8("scenario"),
        Column::utf8("year"),
        Column::utf8("month"),
        Column::utf8("corridor"),
        Column::utf8("importer"),
        Column::float64("capacity_mw"),
        Column::float64("export_gwh"),
        Column::float64("partner_gwh"),
        Column::float64("peak_mw"),
        Column::float64("revenue_musd"),
        Column::int64("hours_exporting"),
        Column::int64("hours_at_capacity"),
        Column::int64("hours_at_network_limit"),
        Column::int64("hours_at_appetite"),
        Column::int64("hours_no_surplus"),
    ];
    const SCALE: Scale = Scale::PerYear;
}

impl Row for BalanceMonth {
    const SCHEMA: &'static [Column] = &[
        Column::utf8("scenario"),
        Column::utf8("year"),
        Column::utf8("month"),
        Column::float64("load_gwh"),
        Column::float64("hydro_gwh"),
        Column::float64("other_gwh"),
        Column::float64("imports_gwh"),
        Column::float64("exports_gwh"),
        Column::float64("spill_gwh"),
        Column::float64("unserved_gwh"),
        Column::float64("reserve_mw_min"),
        Column::float64("storage_end_hm3"),
    ];
    const SCALE: Scale = Scale::PerYear;
}

impl Row for Percentile {
    const SCHEMA: &'static [Column] = &[
        Column::utf8("scenario"),
        Column::utf8("month"),
        Column::utf8("quantity"),
        Column::float64("p10"),
        Column::float64("p50"),
        Column::float64("p90"),
    ];
    const SCALE: Scale = Scale::PerScenario;
}

impl Row for Congestion {
    const SCHEMA: &'static [Column] = &[
        Column::utf8("scenario"),
        Column::utf8("branch"),
        Column::utf8("from_bus"),
        Column::utf8("to_bus"),
        Column::float64("rating_mw"),
        Column::float64("max_loading_pct"),
        Column::int64("hours_over_80pct"),
        Column::int64("hours_over_100pct"),
        Column::int64("hours_binding"),
        Column::utf8("most_frequent_outage"),
    ];
    const SCALE: Scale = Scale::PerScenario;
}

impl Row for HourRow {
    const SCHEMA: &'static [Column] = &[
        Column::utf8("scenario"),
        Column::utf8("year"),
        Column::int64("hour"),
        Column::utf8("month"),
        Column::float64("load_mw"),
        Column::float64("hydro_mw"),
        Column::float64("other_mw"),
        Column::float64("imports_mw"),
        Column::float64("exports_mw"),
        Column::float64("spill_mw"),
        Column::float64("unserved_mw"),
        Column::float64("reserve_mw"),
        Column::float64("border_flow_mw"),
        Column::utf8("binding"),
    ];
    const SCALE: Scale = Scale::PerHour;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The column lists are the serde headers of the row types.
    #[test]
    fn columns_are_the_csv_headers() {
        fn header<T: Serialize>(row: &T) -> Vec<String> {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.serialize(row).unwrap();
            let text = String::from_utf8(w.into_inner().unwrap()).unwrap();
            text.lines()
                .next()
                .unwrap()
                .split(',')
                .map(str::to_string)
                .collect()
        }
        let c = CorridorMonth {
            scenario: "s".into(),
            year: "1".into(),
            month: Month::Jan,
            corridor: "c".into(),
            importer: "i".into(),
            capacity_mw: 0.0,
            export_gwh: 0.0,
            partner_gwh: 0.0,
            peak_mw: 0.0,
            revenue_musd: 0.0,
            hours_exporting: 0,
            hours_at_capacity: 0,
            hours_at_network_limit: 0,
            hours_at_appetite: 0,
            hours_no_surplus: 0,
        };
        assert_eq!(header(&c), CorridorMonth::COLUMNS);
        let b = BalanceMonth {
            scenario: "s".into(),
            year: "1".into(),
            month: Month::Jan,
            load_gwh: 0.0,
            hydro_gwh: 0.0,
            other_gwh: 0.0,
            imports_gwh: 0.0,
            exports_gwh: 0.0,
            spill_gwh: 0.0,
            unserved_gwh: 0.0,
            reserve_mw_min: 0.0,
            storage_end_hm3: 0.0,
        };
        assert_eq!(header(&b), BalanceMonth::COLUMNS);
        let p = Percentile::of("s".into(), "Jan", "q".into(), &[1.0]);
        assert_eq!(header(&p), Percentile::COLUMNS);
        let g = Congestion {
            scenario: "s".into(),
            branch: "a".into(),
            from_bus: "a".into(),
            to_bus: "b".into(),
            rating_mw: 1.0,
            max_loading_pct: 0.0,
            hours_over_80pct: 0,
            hours_over_100pct: 0,
            hours_binding: 0,
            most_frequent_outage: String::new(),
        };
        assert_eq!(header(&g), Congestion::COLUMNS);
        let h = HourRow {
            scenario: "s".into(),
            year: "1".into(),
            hour: 0,
            month: Month::Jan,
            load_mw: 0.0,
            hydro_mw: 0.0,
            other_mw: 0.0,
            imports_mw: 0.0,
            exports_mw: 0.0,
            spill_mw: 0.0,
            unserved_mw: 0.0,
            reserve_mw: 0.0,
            border_flow_mw: 0.0,
            binding: String::new(),
        };
        assert_eq!(header(&h), HourRow::COLUMNS);
        // The typed columns are the same names, and every row fits them.
        fn typed<T: Row>(row: &T, columns: &[&str]) {
            let names: Vec<&str> = T::SCHEMA.iter().map(|c| c.name).collect();
            assert_eq!(names, columns);
            let f = crate::report::table::Frame::from_rows(std::slice::from_ref(row)).unwrap();
            assert_eq!(f.len(), 1);
        }
        typed(&c, CorridorMonth::COLUMNS);
        typed(&b, BalanceMonth::COLUMNS);
        typed(&p, Percentile::COLUMNS);
        typed(&g, Congestion::COLUMNS);
        typed(&h, HourRow::COLUMNS);
    }
}
