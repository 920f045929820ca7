//! Studies on any MATPOWER grid: a grid file with `[base]` builds the
//! case's own network (its DC power flow equal to the case's), corridors
//! are the sums of their tie branches, the hourly study runs on it within
//! corridor capacities and over the grid's contingency list, and bad
//! overlays are refused naming the file and the element. The bundled
//! `grids/three_areas` case needs nothing else; the ACTIVSg10k overlay
//! needs `LANDLINKED_CASES` (and `LANDLINKED_REFERENCE` for MATPOWER's
//! own flows) and skips with a note without them.

mod common;

use std::path::{Path, PathBuf};

use landlinked::dc::DcPowerFlow;
use landlinked::hourly::{HourlySettings, HourlyStudy, contingency_list};
use landlinked::io::{grid, matpower};
use landlinked::network::Network;
use landlinked::region::{PlantType, RegionalGrid};
use landlinked::seasonal::{Hydrology, Scenario};
use landlinked::sensitivity::{PreparedTransfer, TransferSettings, Zone, transfer_capability};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn overlay() -> PathBuf {
    Path::new(ROOT).join("grids/three_areas/three_areas.toml")
}

fn case_path() -> PathBuf {
    Path::new(ROOT).join("grids/three_areas/three_areas.m")
}

fn case() -> Network {
    matpower::read(case_path()).unwrap()
}

/// The position of the `circuit`-th branch (from 1) written `from to` in
/// the case file, found by reading the case, not the grid.
fn position(net: &Network, from: u64, to: u64, circuit: usize) -> usize {
    (0..net.branches.len())
        .filter(|&k| (net.branches[k].from, net.branches[k].to) == (from, to))
        .nth(circuit - 1)
        .unwrap_or_else(|| panic!("no branch {from} {to} circuit {circuit}"))
}

/// A fresh folder for this test process.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("landlinked-{}-{name}", std::process::id()));
    std::fs::remove_dir_all(&dir).ok();
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn assert_close(a: &[f64], b: &[f64], what: &str) {
    assert_eq!(a.len(), b.len(), "{what}");
    for (k, (x, y)) in a.iter().zip(b).enumerate() {
        assert!(
            (x - y).abs() <= 1e-9 * (1.0 + y.abs()),
            "{what} {k}: {x} vs {y}"
        );
    }
}

#[test]
fn the_bundled_overlay_builds_the_cases_network() {
    let g = grid::read(overlay()).unwrap();
    let c = case();
    let net = g.network();
    assert_eq!((net.buses.len(), net.branches.len()), (21, 36));
    assert_eq!(net.buses.len(), c.buses.len());
    // The case's branches as they are, in its order (the stage `today`
    // adds none).
    for (a, b) in net.branches.iter().zip(&c.branches) {
        assert_eq!(
            (
                a.from,
                a.to,
                a.x_pu,
                a.tap,
                a.shift_deg,
                a.rate_a_mva,
                a.in_service
            ),
            (
                b.from,
                b.to,
                b.x_pu,
                b.tap,
                b.shift_deg,
                b.rate_a_mva,
                b.in_service
            )
        );
    }
    // Shunts and the reference angle survive; loads sum to the case's.
    assert_eq!(net.buses[5].gs_mw, 2.0);
    assert!((net.total_load_mw() - c.total_load_mw()).abs() < 1e-9);
    // Seven in-service generators (the eighth is out of service), then
    // the two hydro plants of the file.
    let balancing = g.plants().iter().filter(|p| p.kind == PlantType::Balancing);
    assert_eq!(balancing.count(), 7);
    assert_eq!(g.plants().len(), 9);
    assert_eq!(g.plant("gen 3").unwrap().dispatch_mw, 300.0);
    // Areas as countries and zones.
    let of = |id: u64| g.buses().iter().find(|b| b.id == id).unwrap();
    assert_eq!(
        (of(103).country.as_str(), of(103).zone.as_str()),
        ("HY", "Highlands")
    );
    assert_eq!(of(304).country, "ES");
    assert_eq!(g.exporter(), Some("HY"));
    // Its DC power flow is the case's: the hydro plants produce nothing in
    // the base network, the zones' loads sit at the case's Pd.
    let ours = DcPowerFlow::new(net).unwrap().solve().unwrap();
    let theirs = DcPowerFlow::new(&c).unwrap().solve().unwrap();
    assert_close(&ours.pf_mw, &theirs.pf_mw, "flow");
    assert_close(&ours.va_deg, &theirs.va_deg, "angle");
    // The stage with the new tie adds one branch after the case's.
    let tie = grid::read_stage(overlay(), "east_tie", &[]).unwrap();
    assert_eq!(tie.network().branches.len(), 37);
    assert_eq!(tie.branch_label(36), "104–302");
}

#[test]
fn an_overlay_that_changes_nothing_gives_the_cases_rundcpf() {
    let text = format!(
        "[grid]\nname = \"bare\"\nbase_mva = 100.0\n[base]\nmatpower = \"{}\"\n",
        case_path().display()
    );
    let g = grid::parse_str(&text, "bare.toml")
        .unwrap()
        .build(None, &[])
        .unwrap();
    // Unnamed areas are zones and countries of their own.
    assert_eq!(g.countries(), ["area 1", "area 2", "area 3"]);
    assert_eq!(g.loads().len(), 3);
    let ours = DcPowerFlow::new(g.network()).unwrap().solve().unwrap();
    let theirs = DcPowerFlow::new(&case()).unwrap().solve().unwrap();
    assert_close(&ours.pf_mw, &theirs.pf_mw, "flow");
    assert_close(&ours.va_deg, &theirs.va_deg, "angle");
    assert_close(&ours.pg_mw[..7], &theirs.pg_mw[..7], "generation");
}

#[test]
fn corridor_flows_are_the_sum_of_their_tie_branch_flows() {
    let g = grid::read(overlay()).unwrap();
    let c = case();
    let f = DcPowerFlow::new(g.network())
        .unwrap()
        .solve()
        .unwrap()
        .pf_mw;
    // HY-LO: both circuits 104-202, the phase shifter 105-205, 101-208.
    let hy_lo = f[position(&c, 104, 202, 1)]
        + f[position(&c, 104, 202, 2)]
        + f[position(&c, 105, 205, 1)]
        + f[position(&c, 101, 208, 1)];
    // HY-ES: 106-303 is written 303 106 in the case, so its export-side
    // flow is minus the branch's.
    let hy_es = -f[position(&c, 303, 106, 1)] + f[position(&c, 107, 306, 1)];
    let flow = |name: &str| g.corridor(name).unwrap().flow_mw(&f, &[]).unwrap();
    assert!(
        (flow("HY-LO") - hy_lo).abs() < 1e-9,
        "{} vs {hy_lo}",
        flow("HY-LO")
    );
    assert!(
        (flow("HY-ES") - hy_es).abs() < 1e-9,
        "{} vs {hy_es}",
        flow("HY-ES")
    );
    assert!(hy_lo.abs() > 1.0 && hy_es.abs() > 1.0);
    // A circuit number picks one of the parallel branches.
    let text = std::fs::read_to_string(overlay())
        .unwrap()
        .replace("[[104, 202], [105, 205], [101, 208]]", "[[104, 202, 2]]");
    let one = grid::parse_str(&text, &overlay().display().to_string())
        .unwrap()
        .build(Some("today"), &[])
        .unwrap();
    let branches = &one.corridor("HY-LO").unwrap().branches;
    assert_eq!(branches.len(), 1);
    assert_eq!(branches[0].branch, position(&c, 104, 202, 2));
}

/// The bundled overlay's study in its named year, with the hours.
fn study() -> (RegionalGrid, landlinked::hourly::HourlyResults) {
    let settings = HourlySettings {
        years: 0,
        hourly: Some(("today".into(), "normal".into())),
        ..Default::default()
    };
    let s = [Scenario::new("today", "today", Hydrology::Normal)];
    let r = HourlyStudy { settings }
        .run(overlay().as_path(), &s, |_| {})
        .unwrap();
    (grid::read(overlay()).unwrap(), r)
}

#[test]
fn the_study_runs_within_capacities_and_balances_every_hour() {
    let (g, r) = study();
    assert_eq!(r.hours.len(), 8760);
    for h in &r.hours {
        common::hourly::assert_hour_balances(h);
    }
    for c in &r.corridors {
        let corridor = g.corridor(&c.corridor).unwrap();
        assert!(c.peak_mw <= c.capacity_mw + 1e-6, "{c:?}");
        assert!(
            c.peak_mw <= corridor.trade.appetite_in(c.month) + 1e-6,
            "{c:?}"
        );
    }
    let exports: f64 = r.balance.iter().map(|b| b.exports_gwh).sum();
    assert!(exports > 1000.0, "{exports}");
    // The highlands' load includes the 2 MW shunt at bus 106.
    let load: f64 = r.balance.iter().map(|b| b.load_gwh).sum();
    assert!((load - 152.0 * 8.76).abs() < 1e-6, "{load}");
}

#[test]
fn n_minus_1_limits_come_from_the_contingency_list() {
    let (g, r) = study();
    let list = contingency_list(&g, "HY").unwrap();
    let c = case();
    // The listed outages first (104-202 circuit 2, 103-104), then six
    // screened ones, none twice and none that islands.
    assert_eq!(list.len(), 8);
    assert_eq!(
        &list[..2],
        &[position(&c, 104, 202, 2), position(&c, 103, 104, 1)]
    );
    let labels: Vec<String> = list.iter().map(|&k| g.branch_label(k)).collect();
    // Every outage the study reports as binding is on the list.
    let mut n1 = 0;
    for row in &r.congestion {
        let o = &row.most_frequent_outage;
        if !o.is_empty() && o != "base case" {
            assert!(labels.contains(o), "{o} not in {labels:?}");
            n1 += row.hours_binding;
        }
    }
    for h in r.hours.iter().filter(|h| h.binding.contains("(N-1 of ")) {
        assert!(
            labels
                .iter()
                .any(|l| h.binding.contains(&format!("N-1 of {l})"))),
            "{}",
            h.binding
        );
    }
    assert!(n1 > 0, "no N-1 limit bound");
    // With every branch as an outage, the study finds limits under
    // outages the list leaves out.
    let mut all = g.clone();
    all.set_contingencies(None).unwrap();
    let settings = HourlySettings {
        years: 0,
        ..Default::default()
    };
    let s = [Scenario::new("all", "today", Hydrology::Normal)];
    let every = HourlyStudy { settings }.run(&all, &s, |_| {}).unwrap();
    let outside = every.congestion.iter().any(|row| {
        let o = &row.most_frequent_outage;
        !o.is_empty() && o != "base case" && !labels.contains(o)
    });
    assert!(outside, "the list made no difference");
}

#[test]
fn a_listed_outage_limits_as_the_network_without_that_branch_does() {
    // The prepared N-1 over a list, against the base case of each
    // post-outage network solved again from scratch.
    let g = grid::read(overlay()).unwrap();
    let net = g.network();
    let pf = DcPowerFlow::new(net).unwrap();
    let base = pf.solve().unwrap().pf_mw;
    let list = contingency_list(&g, "HY").unwrap();
    let (source, sink) = (Zone::bus(103), Zone::equal(&[202, 205, 208]).unwrap());
    let settings = TransferSettings::default();
    let prep = PreparedTransfer::with_outages(net, &pf, settings, &list).unwrap();
    let fast = prep.tightest(&base, &prep.transfer_column(&source, &sink).unwrap());
    let base_only = TransferSettings {
        n_minus_1: false,
        ..settings
    };
    let mut slowest = transfer_capability(net, &pf, &base, &source, &sink, base_only)
        .unwrap()
        .binding()
        .map_or(f64::INFINITY, |b| b.transfer_mw);
    for &k in &list {
        let mut cut = net.clone();
        cut.branches[k].in_service = false;
        let cpf = DcPowerFlow::new(&cut).unwrap();
        let flows = cpf.solve().unwrap().pf_mw;
        let tc = transfer_capability(&cut, &cpf, &flows, &source, &sink, base_only).unwrap();
        if let Some(b) = tc.binding() {
            slowest = slowest.min(b.transfer_mw);
        }
    }
    let fast = fast.map_or(f64::INFINITY, |b| b.transfer_mw);
    assert!(fast.is_finite() && fast > 0.0, "{fast}");
    assert!(
        (fast - slowest).abs() < 1e-6 * (1.0 + slowest),
        "{fast} vs {slowest}"
    );
}

#[test]
fn a_zone_takes_its_hours_from_a_csv_column() {
    let dir = temp_dir("overlay-csv");
    let mut csv = String::from("hour,east\n");
    for h in 0..8760 {
        csv.push_str(&format!(
            "{h},{}\n",
            1.0 + (h % 24) as f64 / 10.0 + (h / 730) as f64
        ));
    }
    std::fs::write(dir.join("east.csv"), &csv).unwrap();
    let text = format!(
        "[grid]\nname = \"csv\"\nbase_mva = 100.0\n[base]\nmatpower = \"{}\"\n\
         [[zone]]\nname = \"East\"\ncountry = \"ES\"\nareas = [3]\n\
         profile_csv = {{ file = \"east.csv\", column = \"east\" }}\n",
        case_path().display()
    );
    let file = dir.join("csv.toml");
    std::fs::write(&file, text).unwrap();
    let g = grid::read(&file).unwrap();
    let l = g.loads().iter().position(|l| l.name == "East").unwrap();
    let mw = g.demand().hourly_mw(l, 0);
    // The series' shape at the case's energy: 235 MW on average.
    let mean = mw.iter().sum::<f64>() / 8760.0;
    assert!((mean - 235.0).abs() < 1e-9, "{mean}");
    let series: Vec<f64> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap().parse().unwrap())
        .collect();
    let k = mw[0] / series[0];
    for h in [1, 23, 24, 4000, 8759] {
        assert!((mw[h] - k * series[h]).abs() < 1e-9 * mw[h], "hour {h}");
    }
}

/// The error of building the bundled overlay with `from` replaced by `to`
/// (written next to the case, so its relative path still holds).
fn broken(name: &str, from: &str, to: &str) -> String {
    let text = std::fs::read_to_string(overlay()).unwrap();
    assert!(text.contains(from), "{from}");
    let dir = temp_dir(&format!("overlay-bad-{name}"));
    std::fs::copy(case_path(), dir.join("three_areas.m")).unwrap();
    let file = dir.join(format!("{name}.toml"));
    std::fs::write(&file, text.replacen(from, to, 1)).unwrap();
    let err = grid::read(&file).unwrap_err().to_string();
    assert!(err.starts_with(&file.display().to_string()), "{err}");
    err
}

#[test]
fn a_case_with_hvdc_lines_is_refused_not_cut_short() {
    let dir = temp_dir("overlay-dcline");
    let case = std::fs::read_to_string(case_path()).unwrap();
    let line = case.lines().count() + 1;
    let dcline = "mpc.dcline = [\n 101 201 1 10 10 0 0 1 1 0 100 -10 10 -10 10 0 0;\n];\n";
    std::fs::write(dir.join("three_areas.m"), format!("{case}{dcline}")).unwrap();
    let file = dir.join("with_dcline.toml");
    std::fs::copy(overlay(), &file).unwrap();
    let err = grid::read(&file).unwrap_err().to_string();
    assert!(
        err.contains(&format!("line {line}: mpc.dcline holds HVDC lines"))
            && err.contains("[[link]]"),
        "{err}"
    );
    // An empty table is fine.
    std::fs::write(
        dir.join("three_areas.m"),
        format!("{case}mpc.dcline = [];\n"),
    )
    .unwrap();
    assert!(grid::read(&file).is_ok());
}

#[test]
fn bad_overlays_name_the_file_and_the_element() {
    let e = broken("area", "areas = [3]", "areas = [31]");
    assert!(
        e.contains("zone `East`: `areas` refers to unknown area `31`"),
        "{e}"
    );
    let e = broken("branch", "[101, 208]", "[101, 207]");
    assert!(
        e.contains("corridor `HY-LO`: `branches` refers to unknown branch `101–207`"),
        "{e}"
    );
    let e = broken("circuit", "[101, 208]", "[104, 202, 3]");
    assert!(
        e.contains("corridor `HY-LO`") && e.contains("circuit from 1 to 2"),
        "{e}"
    );
    let e = broken("capacity", "capacity_mw = 250.0", "capacity_mw = -250.0");
    assert!(
        e.contains("corridor `HY-LO`: `capacity_mw` = -250 is invalid"),
        "{e}"
    );
    let e = broken(
        "case",
        "matpower = \"three_areas.m\"",
        "matpower = \"no_such_case.m\"",
    );
    assert!(
        e.contains("`matpower` = `no_such_case.m` names no file"),
        "{e}"
    );
    let e = broken("plant", "bus = 103", "bus = 999");
    assert!(
        e.contains("plant `Upper Falls`: `bus` refers to unknown bus `999`"),
        "{e}"
    );
    let e = broken("outage", "[103, 104]]", "[103, 105, 1], [103, 201]]");
    assert!(
        e.contains("contingencies: `branches` refers to unknown branch `103–201`"),
        "{e}"
    );
    let e = broken("zone bus", "areas = [3]", "buses = [301, 999]");
    assert!(
        e.contains("zone `East`: `buses` refers to unknown bus `999`"),
        "{e}"
    );
    let e = broken("zone twice", "areas = [3]", "areas = [2]");
    assert!(
        e.contains("zone `East`: `areas` lists area 2, which zone `Lowlands` has already"),
        "{e}"
    );
    let e = broken("zone both", "areas = [3]", "areas = [3]\nbuses = [301]");
    assert!(e.contains("zone `East`: give either `areas`"), "{e}");
    let e = broken("base", "base_mva = 100.0", "base_mva = 10.0");
    assert!(
        e.contains("grid: `base_mva` = 10 is invalid: the case's baseMVA, 100"),
        "{e}"
    );
    let e = broken(
        "csv",
        "class = \"industrial\"",
        "profile_csv = { file = \"none.csv\", column = \"x\" }",
    );
    assert!(e.contains("none.csv"), "{e}");
    let e = broken(
        "buses",
        "[base]",
        "[[bus]]\nid = 1\nname = \"X\"\ncountry = \"HY\"\nzone = \"Z\"\nkv = 220.0\n\n[base]",
    );
    assert!(
        e.contains("bus `X`: a grid on a MATPOWER case (`[base]`) takes its buses from the case"),
        "{e}"
    );
    // Without [base], zones are refused too.
    let text = "[grid]\nname = \"x\"\nbase_mva = 100.0\n[[zone]]\nname = \"Z\"\ncountry = \"A\"\nareas = [1]\n";
    let e = grid::parse_str(text, "zones.toml")
        .unwrap()
        .build(None, &[])
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with("zones.toml: zone `Z`: [[zone]] records belong to a grid on a MATPOWER case"),
        "{e}"
    );
    // A grid on a case is not written back as a grid file.
    let g = grid::read(overlay()).unwrap();
    let e = grid::to_toml_string(&g).unwrap_err().to_string();
    assert!(
        e.contains("built on the MATPOWER case") && e.contains("three_areas.m"),
        "{e}"
    );
}

#[test]
fn the_activsg10k_overlay_builds_the_case_and_matches_matpower() {
    let Some(cases) = common::env_dir("LANDLINKED_CASES") else {
        return;
    };
    let file = Path::new(ROOT).join("grids/overlays/activsg10k.toml");
    let g = grid::read(&file).unwrap();
    assert!(
        g.base_case()
            .unwrap()
            .starts_with(&cases.display().to_string())
    );
    let net = g.network();
    assert_eq!((net.buses.len(), net.branches.len()), (10_000, 12_706));
    assert_eq!(g.countries().len(), 16);
    assert_eq!(g.exporter(), Some("A1"));
    // The three corridors hold every in-service tie of area 1.
    let ties = |c: &str| g.corridor(c).unwrap().branches.len();
    assert_eq!(
        (ties("A1-A2"), ties("A1-A14"), ties("A1-A15")),
        (104, 19, 1)
    );
    let c = g.contingencies().unwrap();
    assert_eq!(
        (c.branches.len(), c.screen, c.min_factor),
        (0, 200, Some(0.03))
    );
    // 200 screened outages, none twice; the prepared N-1 takes them (it
    // refuses an outage that islands).
    let list = contingency_list(&g, "A1").unwrap();
    assert_eq!(list.len(), 200);
    let mut sorted = list.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted.len(), 200);
    let pf = DcPowerFlow::new(net).unwrap();
    let prep = PreparedTransfer::with_outages(net, &pf, TransferSettings::default(), &list);
    assert_eq!(prep.unwrap().outages(), list.as_slice());
    // With loads at their annual mean and the case's dispatch, the DC
    // power flow is MATPOWER's rundcpf of the case.
    let Some(reference) = common::env_dir("LANDLINKED_REFERENCE") else {
        return;
    };
    let flows = DcPowerFlow::new(net).unwrap().solve().unwrap().pf_mw;
    let path = reference.join("case_ACTIVSg10k/branch.csv");
    let expected = common::csv_column(&path, "pf_mw");
    let (diff, k) = common::max_abs_diff(&flows, &expected);
    assert!(diff < 1e-6, "branch {k}: {} vs {}", flows[k], expected[k]);
}
