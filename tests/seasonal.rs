//! The seasonal export study on the bundled Central Asia grid: energy is
//! conserved, exports respect every limit, hydrology orders the surplus,
//! and the DC check of the dispatched state agrees with the dispatch.
//!
//! AC corridors: a dispatched export is an injection change (exporter's
//! generators up, far-end border buses down), and the network decides how
//! it splits over the corridors (an export to Afghanistan partly loops
//! through Uzbekistan). So for AC corridors the tests check the DC flows
//! against limits (no branch beyond its rating) and the exporter's net
//! border flow against the total dispatched; only the HVDC corridor
//! (CASA-1000) must carry exactly its dispatched export.

use std::sync::OnceLock;

use landlinked::calendar::Month;
use landlinked::seasonal::{Hydrology, Limit, Scenario, SeasonalStudy, StudyResults};

const FILE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/grids/central_asia/central_asia.toml"
);
const SUMMER: [Month; 3] = [Month::Jun, Month::Jul, Month::Aug];

/// `2022 normal` and `casa normal`, run once for the whole file.
fn study() -> &'static StudyResults {
    static R: OnceLock<StudyResults> = OnceLock::new();
    R.get_or_init(|| {
        let s = [
            Scenario::new("2022 normal", "2022", Hydrology::Normal),
            Scenario::new("casa normal", "casa", Hydrology::Normal),
        ];
        SeasonalStudy::run(FILE, &s).unwrap()
    })
}

#[test]
fn energy_is_conserved_and_every_export_within_its_limits() {
    let r = study();
    assert_eq!(r.months.len(), 24);
    for m in &r.months {
        let rows: Vec<_> = r.corridors_in(&m.scenario, m.month).collect();
        assert!(!rows.is_empty());
        let sum: f64 = rows.iter().map(|c| c.export_mw).sum();
        assert!((sum - m.exports_mw).abs() < 1e-9);
        // surplus = exports + unused; no export without a surplus
        assert!((m.surplus_gwh.max(0.0) - m.exports_gwh - m.unused_gwh).abs() < 1e-6);
        assert!(m.exports_mw <= m.surplus_mw.max(0.0) + 1e-6);
        assert!((m.surplus_mw * m.hours / 1000.0 - m.surplus_gwh).abs() < 1e-9);
        for c in &rows {
            assert!(c.export_mw >= 0.0);
            assert!(c.export_mw <= c.capacity_mw + 1e-9, "{c:?}");
            if let Some(t) = c.transfer_limit_mw {
                assert!(c.export_mw <= t + 1e-9, "{c:?}");
            }
            assert!((c.export_gwh - c.export_mw * m.hours / 1000.0).abs() < 1e-9);
            let corridor_open = !matches!(c.limit, Limit::Season);
            if !corridor_open {
                assert_eq!(c.export_mw, 0.0, "{c:?}");
            }
        }
    }
    // Uzbekistan imports May–August only; CASA-1000 May–September.
    for c in r.corridors.iter().filter(|c| c.corridor == "TJ-UZ") {
        let open = [Month::May, Month::Jun, Month::Jul, Month::Aug].contains(&c.month);
        assert_eq!(matches!(c.limit, Limit::Season), !open, "{c:?}");
    }
}

#[test]
fn summer_surplus_and_winter_deficit() {
    let r = study();
    for month in SUMMER {
        let m = r.month("2022 normal", month).unwrap();
        assert!(m.surplus_mw > 1000.0, "{m:?}");
        assert!(m.exports_mw > 0.0);
    }
    for month in [Month::Dec, Month::Jan, Month::Feb] {
        let m = r.month("2022 normal", month).unwrap();
        assert!(m.surplus_mw < -300.0, "{m:?}");
        assert!(m.deficit_gwh > 0.0 && m.exports_mw == 0.0);
        assert!(
            r.corridors_in("2022 normal", month)
                .all(|c| c.limit != Limit::CorridorCapacity)
        );
    }
    // 2022 exports were 2.58 TWh (fact sheet, section 3.4); the study with
    // the 2022 stage's corridors gives the same order.
    let twh = r.annual_exports_gwh("2022 normal") / 1000.0;
    assert!((2.0..3.1).contains(&twh), "{twh} TWh");
    // CASA-1000 adds exports: its 1,000 MW binds in July.
    assert!(r.annual_exports_gwh("casa normal") > r.annual_exports_gwh("2022 normal") + 1000.0);
    let casa = r
        .corridors_in("casa normal", Month::Jul)
        .find(|c| c.corridor == "CASA-1000");
    let casa = casa.unwrap();
    assert!((casa.export_mw - 1000.0).abs() < 1e-6);
    assert_eq!(casa.limit, Limit::CorridorCapacity);
}

#[test]
fn dc_check_agrees_with_the_dispatch() {
    let r = study();
    for m in &r.months {
        // Net flow out of Tajikistan over every border branch and link =
        // dispatched exports − imported deficit (mean MW).
        let deficit_mw = m.deficit_gwh * 1000.0 / m.hours;
        assert!(
            (m.border_flow_mw - (m.exports_mw - deficit_mw)).abs() < 1e-6,
            "{m:?}"
        );
        // Exports were dispatched within the transfer capability, so no
        // branch is beyond its rating because of them. Since the data fix
        // Lolazor-Khatlon is at its thermal rating (300 MW, fact sheet 5),
        // and the domestic load alone takes it past that from October to
        // March: Kulob's load on one 220 kV circuit, a gap of the inferred
        // topology that the calibration report keeps. It is the only one.
        assert!(m.overloaded_branches <= 1, "{m:?}");
        if m.overloaded_branches == 1 {
            assert_eq!(m.most_loaded_branch, "TJ_LOLAZOR_500–TJ_KHATLON_220");
        }
    }
    for c in r.corridors.iter().filter(|c| c.corridor == "CASA-1000") {
        assert!((c.dc_flow_mw - c.export_mw).abs() < 1e-6, "{c:?}");
    }
    // AC corridors: the flows follow the network, but the exports to
    // Afghanistan, Uzbekistan and Kazakhstan go out over the AC corridors
    // together. Kazakhstan's is wheeled through Uzbekistan: it leaves over
    // the TJ-UZ ties (counted there) and crosses the UZ-KZ tie after.
    let jul = r.month("2022 normal", Month::Jul).unwrap();
    let ac: f64 = r
        .corridors_in("2022 normal", Month::Jul)
        .filter(|c| c.corridor != "TJ-KZ via UZ")
        .map(|c| c.dc_flow_mw)
        .sum();
    assert!(
        (ac - jul.exports_mw).abs() < 1e-6,
        "{ac} vs {}",
        jul.exports_mw
    );
}

#[test]
fn dry_years_have_less_surplus_than_normal_and_wet_more() {
    let s = [
        Scenario::new("dry", "2022", Hydrology::Dry),
        Scenario::new("wet", "2022", Hydrology::Wet),
    ];
    let r = SeasonalStudy::run(FILE, &s).unwrap();
    let normal = study();
    let summer = |r: &StudyResults, name: &str| -> f64 {
        SUMMER
            .iter()
            .map(|&m| r.month(name, m).unwrap().surplus_gwh)
            .sum()
    };
    let (dry, mid, wet) = (
        summer(&r, "dry"),
        summer(normal, "2022 normal"),
        summer(&r, "wet"),
    );
    assert!(dry < mid && mid < wet, "{dry} {mid} {wet}");
    let year = |r: &StudyResults, name: &str| -> f64 {
        r.months
            .iter()
            .filter(|m| m.scenario == name)
            .map(|m| m.surplus_gwh)
            .sum()
    };
    let (dry, mid, wet) = (
        year(&r, "dry"),
        year(normal, "2022 normal"),
        year(&r, "wet"),
    );
    assert!(dry < mid && mid < wet, "{dry} {mid} {wet}");
    assert!(r.annual_exports_gwh("dry") <= normal.annual_exports_gwh("2022 normal"));
}

#[test]
fn unknown_stage_option_or_outage_is_a_clear_error() {
    let err = SeasonalStudy::run(FILE, &[Scenario::new("x", "2040", Hydrology::Normal)])
        .unwrap_err()
        .to_string();
    assert!(err.contains("central_asia.toml"), "{err}");
    assert!(err.contains("unknown stage `2040`"), "{err}");
    let s = Scenario::new("x", "2022", Hydrology::Normal).with_option("hyperloop");
    let err = SeasonalStudy::run(FILE, &[s]).unwrap_err().to_string();
    assert!(err.contains("hyperloop"), "{err}");
    let s = Scenario::new("x", "2022", Hydrology::Normal).with_outage("TJ_NUREK_500", "Nowhere");
    let err = SeasonalStudy::run(FILE, &[s]).unwrap_err().to_string();
    assert!(
        err.starts_with("scenario `x`: outages: unknown bus `Nowhere` (known: TJ_ROGUN_500, "),
        "{err}"
    );
    assert!(err.ends_with(", … and 35 more)"), "{err}");
}

#[test]
fn an_outage_takes_its_corridor_out_of_the_dc_flows() {
    // With north Afghanistan's sections closed into one loop (option
    // `af_sync`; by default the TJ-fed section is radial, and without TUTAP
    // it is an island of its own that no AC corridor reaches).
    let s = Scenario::new("no TUTAP", "2022", Hydrology::Normal)
        .with_option("af_sync")
        .with_outage("TJ_SANGTUDA_220", "AF_SHERKHAN_220");
    let r = SeasonalStudy::run(FILE, &[s]).unwrap();
    let normal = study();
    for c in r.corridors.iter().filter(|c| c.corridor == "TUTAP TJ-AF") {
        assert_eq!(c.dc_flow_mw, 0.0, "{c:?}");
    }
    // Exports to Afghanistan now loop through Uzbekistan, within ratings
    // (but for Lolazor-Khatlon, overloaded by the domestic load: see
    // `dc_check_agrees_with_the_dispatch`).
    assert!(r.months.iter().all(|m| m.overloaded_branches == 0
        || (m.overloaded_branches == 1
            && m.most_loaded_branch == "TJ_LOLAZOR_500–TJ_KHATLON_220")));
    // Not fewer exports, though: with the line out, the path to Afghanistan
    // is radial and its outages split the island, which N-1 screening
    // skips (`TransferCapability::islanding`), so only the base case limits.
    let tutap = |r: &StudyResults, name: &str| -> f64 {
        let rows = r.corridors.iter().filter(|c| c.scenario == name);
        rows.filter(|c| c.corridor == "TUTAP TJ-AF")
            .map(|c| c.export_gwh)
            .sum()
    };
    assert!(tutap(&r, "no TUTAP") > 0.0);
    assert!(tutap(normal, "2022 normal") > 0.0);
}
