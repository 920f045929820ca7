//! Bad grid files give errors that name the file, the element and the field.

use landlinked::io::grid;

/// A small valid grid: two TJ buses, a UZ bus, a reservoir plant above a
/// run-of-river plant, a thermal plant, an HVDC link and two corridors.
const GOOD: &str = r#"
[grid]
name = "small"
base_mva = 100.0

[[option]]
name = "casa"

[[stage]]
name = "with_casa"
options = ["casa"]

[[bus]]
id = 1
name = "A"
country = "TJ"
zone = "Z"
kv = 500.0
slack = true

[[bus]]
id = 2
name = "B"
country = "TJ"
zone = "Z"
kv = 500.0

[[bus]]
id = 3
name = "C"
country = "UZ"
zone = "U"
kv = 500.0

[[line]]
from = "A"
to = "B"
length_km = 100.0
x_ohm_per_km = 0.3
rating_mw = 1000.0

[[line]]
from = "B"
to = "C"
x_pu = 0.01
circuits = 2
rating_mw = 500.0

[[link]]
name = "DC"
from = "A"
to = "C"
capacity_forward_mw = 300.0
losses_pct = 4.0
when = "casa"

[[inflow]]
name = "river"
inflow_m3s = [100.0, 100.0, 100.0, 100.0, 300.0, 400.0, 400.0, 300.0, 200.0, 100.0, 100.0, 100.0]

[[plant]]
name = "Upper"
type = "hydro"
bus = "A"
installed_mw = 200.0
efficiency = 0.9
inflow = "river"
downstream = "Lower"
[plant.reservoir]
useful_hm3 = 1000.0
dead_hm3 = 500.0
initial_hm3 = 1000.0
head_m = 100.0

[[plant]]
name = "Lower"
type = "hydro"
bus = "B"
installed_mw = 50.0
efficiency = 0.9
head_m = 20.0

[[plant]]
name = "CHP"
type = "thermal"
bus = "B"
installed_mw = 100.0
capacity_factor = [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]

[[plant]]
name = "UZ"
type = "equivalent"
bus = "C"
installed_mw = 1000.0

[[load]]
name = "TJ"
annual_gwh = 876.0
buses = [{ bus = "B", share = 1.0 }]

[[corridor]]
name = "TJ-UZ"
exporter = "TJ"
importer = "UZ"
capacity_mw = 500.0
export_months = ["May", "Jun"]
branches = [["B", "C"]]

[[corridor]]
name = "DC export"
exporter = "TJ"
importer = "UZ"
capacity_mw = 300.0
links = ["DC"]
when = "casa"
"#;

fn build(text: &str) -> Result<landlinked::region::RegionalGrid, landlinked::Error> {
    grid::parse_str(text, "bad.toml")?.build(Some("with_casa"), &[])
}

/// The message of building `GOOD` with `from` replaced by `to`.
fn error_with(from: &str, to: &str) -> String {
    assert!(GOOD.contains(from), "test edit `{from}` does not apply");
    let text = GOOD.replacen(from, to, 1);
    build(&text).unwrap_err().to_string()
}

fn assert_names(msg: &str, parts: &[&str]) {
    assert!(msg.starts_with("bad.toml"), "no file name in: {msg}");
    for p in parts {
        assert!(msg.contains(p), "`{p}` missing in: {msg}");
    }
}

#[test]
fn the_good_file_builds() {
    let g = build(GOOD).unwrap();
    assert_eq!(g.network().buses.len(), 3);
    assert_eq!(g.network().branches.len(), 2);
    // 2 circuits: x halves, rating doubles
    assert_eq!(g.network().branches[1].x_pu, 0.005);
    assert_eq!(g.network().branches[1].rate_a_mva, 1000.0);
    assert_eq!(g.network().hvdc_links.len(), 1);
    assert_eq!(g.corridors().len(), 2);
    assert_eq!(g.cascade().plants().len(), 2);
    // Without the stage, the link and its corridor are absent.
    let none = grid::parse_str(GOOD, "bad.toml")
        .unwrap()
        .build(None, &[])
        .unwrap();
    assert!(none.network().hvdc_links.is_empty());
    assert_eq!(none.corridors().len(), 1);
}

#[test]
fn unknown_bus_names_the_line_and_field() {
    let msg = error_with("from = \"A\"\nto = \"B\"", "from = \"A\"\nto = \"Nowhere\"");
    assert_eq!(
        msg,
        "bad.toml: line A–Nowhere: `to` refers to unknown bus `Nowhere`"
    );
    let msg = error_with(
        "bus = \"B\"\ninstalled_mw = 50.0",
        "bus = 9\ninstalled_mw = 50.0",
    );
    assert_names(&msg, &["plant `Lower`", "`bus`", "unknown bus `9`"]);
}

#[test]
fn negative_capacity_is_a_unit_mistake() {
    let msg = error_with("installed_mw = 100.0", "installed_mw = -100.0");
    assert_names(&msg, &["plant `CHP`", "`installed_mw` = -100"]);
    let msg = error_with("rating_mw = 500.0", "rating_mw = -500.0");
    assert_names(&msg, &["line B–C", "`rating_mw` = -500"]);
    let msg = error_with(
        "capacity_forward_mw = 300.0",
        "capacity_forward_mw = -300.0",
    );
    assert_names(&msg, &["link `DC`", "`capacity_forward_mw`"]);
}

#[test]
fn storage_above_capacity_names_the_reservoir_field() {
    let msg = error_with("initial_hm3 = 1000.0", "initial_hm3 = 1600.0");
    assert_names(
        &msg,
        &["plant `Upper`", "`reservoir.initial_hm3` = 1600", "1500"],
    );
    let msg = error_with("dead_hm3 = 500.0", "dead_hm3 = 500.0\ntotal_hm3 = 1200.0");
    assert_names(
        &msg,
        &["plant `Upper`", "reservoir.useful_hm3", "total_hm3"],
    );
}

#[test]
fn missing_field_gives_line_column_and_element() {
    let msg = error_with("installed_mw = 50.0\n", "");
    assert_names(
        &msg,
        &[
            "line ",
            "[[plant]] 2 (`Lower`)",
            "missing field `installed_mw`",
        ],
    );
    let line: usize = msg["bad.toml: line ".len()..]
        .split(',')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let plant_line = GOOD
        .lines()
        .position(|l| l.contains("name = \"Lower\""))
        .unwrap()
        + 1;
    assert!(
        (plant_line - 1..=plant_line + 6).contains(&line),
        "line {line} for {msg}"
    );
}

#[test]
fn missing_hydro_field_names_it() {
    let msg = error_with("efficiency = 0.9\nhead_m = 20.0", "head_m = 20.0");
    assert_names(&msg, &["efficiency", "plant `Lower`"]);
}

#[test]
fn unknown_corridor_elements_are_named() {
    let msg = error_with("branches = [[\"B\", \"C\"]]", "branches = [[\"A\", \"C\"]]");
    assert_eq!(
        msg,
        "bad.toml: corridor `TJ-UZ`: `branches` refers to unknown branch `A–C`"
    );
    let msg = error_with("links = [\"DC\"]", "links = [\"CASA\"]");
    assert_names(
        &msg,
        &["corridor `DC export`", "`links`", "unknown link `CASA`"],
    );
    let msg = error_with("branches = [[\"B\", \"C\"]]", "branches = [[\"B\", \"X\"]]");
    assert_names(&msg, &["corridor `TJ-UZ`", "unknown bus `X`"]);
}

#[test]
fn unknown_plant_inflow_option_and_stage_are_named() {
    let msg = error_with("downstream = \"Lower\"", "downstream = \"Lowerr\"");
    assert_names(
        &msg,
        &[
            "plant `Upper`",
            "`downstream`",
            "unknown hydro plant `Lowerr`",
        ],
    );
    let msg = error_with("inflow = \"river\"", "inflow = \"creek\"");
    assert_names(&msg, &["plant `Upper`", "`inflow`", "`creek`"]);
    let msg = error_with(
        "when = \"casa\"\n\n[[inflow]]",
        "when = \"kasa\"\n\n[[inflow]]",
    );
    assert_names(&msg, &["link `DC`", "`when`", "unknown option `kasa`"]);
    let err = grid::parse_str(GOOD, "bad.toml")
        .unwrap()
        .build(Some("2040"), &[]);
    assert_names(&err.unwrap_err().to_string(), &["`stage`", "`2040`"]);
}

#[test]
fn misspelt_key_and_bad_syntax_are_located() {
    let msg = error_with("installed_mw = 100.0", "instaled_mw = 100.0");
    assert_names(&msg, &["[[plant]] 3 (`CHP`)", "instaled_mw"]);
    let msg = error_with("kv = 500.0\nslack", "kv = \"500\"\nslack");
    assert_names(&msg, &["line ", "[[bus]] 1 (`A`)"]);
    let msg = error_with("[[line]]", "[[line]");
    assert_names(&msg, &["line ", "column "]);
}

#[test]
fn bad_monthly_series_and_shares() {
    let msg = error_with("100.0, 100.0, 100.0]", "100.0, 100.0]");
    assert_names(&msg, &["inflow `river`", "inflow_m3s", "length 11", "12"]);
    let msg = error_with("share = 1.0", "share = 0.5");
    assert_names(&msg, &["TJ", "shares"]);
}

#[test]
fn a_bad_diversion_names_the_plant_and_the_field() {
    let twelve = "[10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0]";
    let good = GOOD.replacen(
        "head_m = 20.0",
        &format!("head_m = 20.0\ndiversion_m3s = {twelve}"),
        1,
    );
    let g = build(&good).unwrap();
    let lower = g.cascade().plant("Lower").unwrap();
    assert_eq!(lower.diversion_m3s(landlinked::calendar::Month::Jul), 10.0);
    let msg = error_with(
        "head_m = 20.0",
        "head_m = 20.0\ndiversion_m3s = [10.0, -10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0]",
    );
    assert_names(&msg, &["plant `Lower`", "diversion_m3s", "-10"]);
    let msg = error_with(
        "head_m = 20.0",
        "head_m = 20.0\ndiversion_m3s = [10.0, 10.0]",
    );
    assert_names(&msg, &["plant `Lower`", "diversion_m3s", "12"]);
}

#[test]
fn link_setpoint_above_capacity_is_an_error() {
    let g = build(GOOD).unwrap();
    let mut p = vec![0.0; 3];
    landlinked::dc::add_link_injections(g.network(), &[300.0], &mut p).unwrap();
    assert!((p[2] - 288.0).abs() < 1e-12 && p[0] == -300.0);
    let err = landlinked::dc::add_link_injections(g.network(), &[301.0], &mut p).unwrap_err();
    assert_eq!(
        err.to_string(),
        "link `DC`: set-point 301 MW exceeds its forward capacity of 300 MW"
    );
}

#[test]
fn missing_file_is_named() {
    let err = grid::read("does/not/exist.toml").unwrap_err();
    assert!(err.to_string().contains("does/not/exist.toml"));
}

#[test]
fn a_constant_level_needs_a_known_option() {
    let msg = error_with(
        "dead_hm3 = 500.0",
        "dead_hm3 = 500.0\nconstant_level_when = \"rogun_ful\"",
    );
    assert_names(
        &msg,
        &[
            "plant `Upper`",
            "reservoir.constant_level_when",
            "rogun_ful",
        ],
    );
}
