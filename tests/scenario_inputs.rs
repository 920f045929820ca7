//! What a scenario or a sweep is made of, checked end to end: TALCO, the
//! aluminium smelter at Regar, as a flat industrial load of 300, 500 or
//! 700 MW (fact sheet 3.2, a scenario parameter and a sweep axis); a
//! corridor's partner (Kyrgyzstan on CASA-1000) and its checks; a sweep's
//! hash, which covers its grid.

use landlinked::calendar::Month;
use landlinked::hourly::{HourlySettings, HourlyStudy};
use landlinked::seasonal::{Hydrology, Scenario};
use landlinked::sweep::Sweep;

const FILE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/grids/central_asia/central_asia.toml"
);

#[test]
fn a_larger_smelter_draws_its_energy_every_hour_and_leaves_less_to_export() {
    let scenarios: Vec<Scenario> = [300.0, 500.0, 700.0]
        .iter()
        .map(|&mw| {
            Scenario::new(&format!("TALCO {mw}"), "2022", Hydrology::Normal)
                .with_load_mw("TALCO", mw)
        })
        .collect();
    let study = HourlyStudy {
        settings: HourlySettings {
            years: 0,
            ..Default::default()
        },
    };
    let r = study.run(FILE, &scenarios, |_| {}).unwrap();
    let load = |name: &str| -> f64 {
        Month::ALL
            .iter()
            .map(|&m| r.balance_month(name, "normal", m).unwrap().load_gwh)
            .sum()
    };
    let exports: Vec<f64> = scenarios
        .iter()
        .map(|s| r.annual_exports_gwh(&s.name, "normal"))
        .collect();
    // 200 MW more, flat, is 1,752 GWh more load in a 365-day year.
    for (a, b) in [("TALCO 300", "TALCO 500"), ("TALCO 500", "TALCO 700")] {
        let added = load(b) - load(a);
        assert!((added - 1752.0).abs() < 1e-6, "{a} -> {b}: {added}");
    }
    // The surplus shrinks, so exports fall (or stay at zero), never rise.
    assert!(
        exports[0] > exports[1] && exports[1] >= exports[2],
        "{exports:?}"
    );
}

#[test]
fn a_sweep_crosses_the_smelter_levels_with_the_other_axes() {
    let text = r#"
[sweep]
name = "talco"
grid = "grids/central_asia/central_asia.toml"
years = 0
seed = 1
[axes]
stages = ["2022"]
hydrology = ["dry", "wet"]
load_mw = { TALCO = [300.0, 700.0] }
"#;
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let sweep = Sweep::parse_str(text, "talco.toml", dir).unwrap();
    let names: Vec<&str> = sweep.cases().iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "2022 dry TALCO 300 MW",
            "2022 dry TALCO 700 MW",
            "2022 wet TALCO 300 MW",
            "2022 wet TALCO 700 MW"
        ]
    );
    assert_eq!(
        sweep.cases()[1].loads_mw,
        vec![("TALCO".to_string(), 700.0)]
    );
    // A negative level, or an empty list, is refused with the axis named.
    for bad in ["TALCO = [-5.0]", "TALCO = []"] {
        let t = text.replace("TALCO = [300.0, 700.0]", bad);
        let err = Sweep::parse_str(&t, "talco.toml", dir)
            .unwrap_err()
            .to_string();
        assert!(err.contains("load_mw"), "{err}");
    }
}

#[test]
fn an_unknown_load_or_an_impossible_level_names_the_scenario() {
    let s = Scenario::new("typo", "2022", Hydrology::Normal).with_load_mw("TALKO", 500.0);
    let err = s.grid(FILE).unwrap_err().to_string();
    assert!(
        err.contains("scenario `typo`: loads") && err.contains("TALKO"),
        "{err}"
    );
    let s = Scenario::new("nan", "2022", Hydrology::Normal).with_load_mw("TALCO", f64::NAN);
    let err = s.grid(FILE).unwrap_err().to_string();
    assert!(
        err.contains("scenario `nan`: loads") && err.contains("mean_mw"),
        "{err}"
    );
}

/// A corridor's partner must deliver from its own country, with a share
/// strictly between 0 and 1 (the CASA-1000 Kyrgyz share in the bundled grid).
#[test]
fn a_partner_in_the_wrong_country_or_with_a_whole_share_is_refused() {
    let text = std::fs::read_to_string(FILE).unwrap();
    let kg = r#"bus = "KG_TOKTOGUL_500", share = 0.3"#;
    assert!(text.contains(kg));
    let build = |t: &str| {
        landlinked::io::grid::parse_str(t, "ca.toml")
            .and_then(|d| d.build(Some("casa"), &[]))
            .map(|_| ())
            .unwrap_err()
            .to_string()
    };
    let err = build(&text.replace(kg, r#"bus = "TJ_SUGHD_500", share = 0.3"#));
    assert!(
        err.contains("CASA-1000") && err.contains("partner.bus"),
        "{err}"
    );
    let err = build(&text.replace(kg, r#"bus = "KG_TOKTOGUL_500", share = 1.0"#));
    assert!(
        err.contains("partner `KG`") && err.contains("share"),
        "{err}"
    );
}

/// A sweep's hash covers its grid: parts run on an edited grid file do not
/// pass for parts of the same sweep.
#[test]
fn a_sweeps_hash_changes_with_its_grid_and_not_with_layout() {
    let dir = std::env::temp_dir().join(format!("landlinked-hash-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let grid = std::fs::read_to_string(FILE).unwrap();
    let sweep = "[sweep]\nname = \"h\"\ngrid = \"g.toml\"\nyears = 0\nseed = 1\n[axes]\nstages = [\"2022\"]\n";
    let hash = |grid_text: &str, sweep_text: &str| {
        std::fs::write(dir.join("g.toml"), grid_text).unwrap();
        Sweep::parse_str(sweep_text, "s.toml", &dir)
            .unwrap()
            .hash()
            .to_string()
    };
    let base = hash(&grid, sweep);
    // A comment in either file changes nothing.
    assert_eq!(
        hash(&format!("# note\n{grid}"), &format!("# note\n{sweep}")),
        base
    );
    // A figure of the grid changes the hash.
    let edited = grid.replacen("capacity_mw = 60.0", "capacity_mw = 61.0", 1);
    assert_ne!(edited, grid);
    assert_ne!(hash(&edited, sweep), base);
}
