//! What the Central Asia model reaches against the published figures of
//! 2021-2023 (fact sheet 3.4), in the `2022` stage's named normal year of
//! the hourly study. The full table, model against figure with sources, is
//! `grids/central_asia/CALIBRATION.md` (`cargo run --release --example
//! calibration`). Where a figure is not reached, the test pins what is, and
//! says the published figure.

use landlinked::calendar::Month;
use landlinked::hourly::{HourlyResults, HourlySettings, HourlyStudy};
use landlinked::io::grid;
use landlinked::seasonal::{Hydrology, Scenario};

/// The model years 2021-2023, as the calibration report runs them.
#[path = "../examples/calibration/years.rs"]
mod years;

const FILE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/grids/central_asia/central_asia.toml"
);

fn run() -> HourlyResults {
    let study = HourlyStudy {
        settings: HourlySettings {
            years: 0,
            ..Default::default()
        },
    };
    study
        .run(
            FILE,
            &[Scenario::new("2022", "2022", Hydrology::Normal)],
            |_| {},
        )
        .unwrap()
}

/// Exports to `importer` over `months`, GWh, and their mean MW.
fn exports(r: &HourlyResults, importer: &str, months: &[Month]) -> (f64, f64) {
    let gwh: f64 = r
        .corridor_months("2022", "normal")
        .filter(|c| c.importer == importer && months.contains(&c.month))
        .map(|c| c.export_gwh)
        .sum();
    let hours: f64 = months.iter().map(|m| m.hours()).sum();
    (gwh, gwh * 1000.0 / hours)
}

#[test]
fn the_2022_normal_year_exports_as_far_as_the_model_reaches() {
    use Month::*;
    let r = run();
    // Afghanistan, summer (May-September): 375-395 MW published (P79);
    // TUTAP's 300 MW (P114) and the GBAO crossing's 10 MW cap the model.
    // Before the radial fix, N-1 loop flows through Uzbekistan held it at
    // 250 MW.
    let (_, af_summer) = exports(&r, "AF", &[May, Jun, Jul, Aug, Sep]);
    assert!(
        af_summer > 300.0 && af_summer <= 310.0 + 1e-6,
        "{af_summer}"
    );
    // Afghanistan, winter: 30-40 MW published (P79, P27): TUTAP's firm
    // winter supply (35 MW October-April) is delivered even in deficit
    // months, at the cost of Tajik load (more unserved energy).
    let (_, af_winter) = exports(&r, "AF", &[Dec, Jan, Feb]);
    assert!((20.0..=60.0).contains(&af_winter), "{af_winter}");
    // Uzbekistan: summer 250-270 MW (P79) reached; nothing outside
    // May-August (P28). May is the tight month (Nurek fills while the
    // irrigation canals below it take their water): its rule-curve fill
    // for May decides how much of the 270 MW appetite is met.
    let (_, uz_summer) = exports(&r, "UZ", &[May, Jun, Jul, Aug]);
    assert!((250.0..=270.0).contains(&uz_summer), "{uz_summer}");
    let (uz_rest, _) = exports(&r, "UZ", &[Jan, Feb, Mar, Apr, Sep, Oct, Nov, Dec]);
    assert_eq!(uz_rest, 0.0);
    // By country, annual: Afghanistan 1,275 GWh in 2021 (P61) and about
    // 1,600 in 2023 (P29): the model's 1,330 GWh is within 20 % of 2021
    // only. Uzbekistan 1,147 GWh in 2021 (P61) and 907.5 in 2023 (P29): the
    // model's 762 GWh is within 20 % of 2023 only.
    let (af, _) = exports(&r, "AF", &Month::ALL);
    let (uz, _) = exports(&r, "UZ", &Month::ALL);
    assert!((af / 1275.0 - 1.0).abs() <= 0.2, "{af}");
    assert!((uz / 907.5 - 1.0).abs() <= 0.2, "{uz}");
    // Kazakhstan: 144.6 GWh in 2023 (P29), wheeled through Uzbekistan; the
    // corridor's season cap is that figure, its months (May-September)
    // and 40 MW appetite are estimates.
    let (kz, _) = exports(&r, "KZ", &Month::ALL);
    assert!((kz / 144.6 - 1.0).abs() <= 0.2, "{kz}");
    let (kz_winter, _) = exports(&r, "KZ", &[Jan, Feb, Mar, Apr, Oct, Nov, Dec]);
    assert_eq!(kz_winter, 0.0);
    // All exports: about 2,580 GWh in 2022 (D, P29); the model reaches
    // about 2,200 (-15 %) with the firm winter supply to Afghanistan and
    // the Kazakh corridor, the gap left in the report's notes.
    let all = r.annual_exports_gwh("2022", "normal");
    assert!((2100.0..2300.0).contains(&all), "{all}");
    assert!((all - af - uz - kz).abs() < 1e-6, "{all} = AF + UZ + KZ");
}

/// CASA-1000 in the `casa` stage: Tajikistan supplies 70 % and Kyrgyzstan
/// 30 % of the energy (P131, P132); the Kyrgyz part enters at Toktogul and
/// crosses Datka-Sughd, and the exporter's tables count the Tajik part.
#[test]
fn casa_1000_energy_is_split_70_30_between_tajikistan_and_kyrgyzstan() {
    let study = HourlyStudy {
        settings: HourlySettings {
            years: 0,
            hourly: Some(("casa".into(), "normal".into())),
            ..Default::default()
        },
    };
    let r = study
        .run(
            FILE,
            &[Scenario::new("casa", "casa", Hydrology::Normal)],
            |_| {},
        )
        .unwrap();
    let (tj, kg): (f64, f64) = r
        .corridor_months("casa", "normal")
        .filter(|c| c.corridor == "CASA-1000")
        .fold((0.0, 0.0), |(a, b), c| {
            (a + c.export_gwh, b + c.partner_gwh)
        });
    assert!(tj > 1000.0, "{tj}");
    let share = tj / (tj + kg);
    assert!((share - 0.70).abs() <= 0.05, "Tajik share {share}");
    // No other corridor has a partner.
    assert!(
        r.corridor_months("casa", "normal")
            .filter(|c| c.corridor != "CASA-1000")
            .all(|c| c.partner_gwh == 0.0)
    );
    // The exporter's balance counts its own part: exports equal the sum of
    // the corridors' export_gwh, and every hour's border flow is its net
    // export (the Kyrgyz power comes in over Datka-Sughd and leaves on the
    // HVDC link).
    let exports: f64 = r
        .corridor_months("casa", "normal")
        .map(|c| c.export_gwh)
        .sum();
    assert!((r.annual_exports_gwh("casa", "normal") - exports).abs() < 1e-6);
    assert_eq!(r.hours.len(), 8760);
    for h in r.hours.iter().filter(|h| h.exports_mw > 1.0) {
        assert!(
            (h.border_flow_mw - (h.exports_mw - h.imports_mw)).abs() < 1e-6,
            "hour {}: border {} vs exports {}",
            h.hour,
            h.border_flow_mw,
            h.exports_mw
        );
    }
}

/// Each simulated plant's energy in the `2022` stage's normal year
/// (`simulate_hydro(1.0)`: the water available, before the hourly study
/// backs hydro down; the calibration report's plant rows) against the
/// design figures of fact sheet 1.1. Nurek 11,200 GWh (P2), Sangtuda-1
/// 2,700 (P13, P16) and Sangtuda-2 about 1,000 (P18) are reached within
/// 15 %. Baipaza's 3,500 (P15) and Golovnaya's 900 (P20) are not, and the
/// test pins what the model reaches, with the reason:
/// * Baipaza 3,500 GWh would need eta x head = 64 m on the whole Vakhsh
///   (20.1 km3), a head above its 70 m dam (P15), while Sangtuda-1, 28 km
///   downstream on the same water behind a 75 m dam, makes 2,700 GWh: the
///   published figure is not consistent with the others. The model's
///   2,434 GWh is the river less the Yovon irrigation tunnel (about
///   0.56 km3, E) at 52 m (E: 50-55 m) and eta 0.88, all turbined.
/// * Golovnaya 900 GWh: its canals take about 3.3 km3 a year off before
///   the turbines (E: 235,900 ha at Tajikistan's mean 14,100 m3/ha) and its
///   efficiency is at most 83 % before the rehabilitation (S, ADB), which
///   leaves 1,135 GWh, within 15 % of the 1,130 GWh the ADB expects after
///   the rehabilitation but about a quarter above the 900 design figure
///   and half above the 743 GWh of 2012 (ADB; ageing units out of
///   service, not modelled). Before the diversion it was 1,433 GWh.
#[test]
fn plant_energies_of_the_normal_year_against_the_design_figures() {
    let g = grid::read_stage(FILE, "2022", &[]).unwrap();
    let hydro = g.simulate_hydro(1.0).unwrap();
    let gwh = |plant: &str| hydro.annual_energy_mwh(plant) / 1000.0;
    for (plant, design) in [
        ("Nurek", 11_200.0),
        ("Sangtuda-1", 2_700.0),
        ("Sangtuda-2", 1_000.0),
    ] {
        let e = gwh(plant);
        assert!(
            (e / design - 1.0).abs() <= 0.15,
            "{plant}: {e:.0} GWh against {design} GWh designed"
        );
    }
    // Baipaza: -30 % against 3,500 GWh; the water and head allow no more,
    // and it stays below Sangtuda-1 (same water less the tunnel's, lower
    // head).
    let baipaza = gwh("Baipaza");
    assert!(
        (2_300.0..=2_600.0).contains(&baipaza),
        "Baipaza {baipaza:.0}"
    );
    assert!(baipaza < gwh("Sangtuda-1"));
    // Golovnaya: +26 % against 900 GWh, within 15 % of the ADB's 1,130.
    let golovnaya = gwh("Golovnaya");
    assert!(
        (golovnaya / 1_130.0 - 1.0).abs() <= 0.15,
        "Golovnaya {golovnaya:.0}"
    );
    assert!(
        (1_000.0..=1_200.0).contains(&golovnaya),
        "Golovnaya {golovnaya:.0}"
    );
    // The diversions leave the river: about 3.9 km3 in a normal year.
    let diverted: f64 = hydro.rows.iter().map(|r| r.diversion_hm3).sum();
    assert!((3_800.0..=4_000.0).contains(&diverted), "{diverted} hm3");
}

/// Exports by country of the model years 2021 and 2023 (the 2022 network,
/// each year's demand and Uzbek contract: `examples/calibration/years.rs`)
/// against that year's published figures (fact sheet 3.4: P61 for 2021,
/// P29 for 2023): within ±20 %, Afghanistan above Uzbekistan in both, and
/// Uzbekistan buys only in May-August.
#[test]
fn the_2021_and_2023_exports_by_country_are_within_20_percent() {
    let settings = HourlySettings {
        years: 0,
        ..Default::default()
    };
    let file = std::path::Path::new(FILE);
    // Every model year says where its figures come from.
    assert!(years::YEARS.iter().all(|y| y.source.contains('P')));
    let r = years::run_years(file, &settings, &[]).unwrap();
    let by = |year: &str, importer: &str, months: &[Month]| -> f64 {
        r.corridor_months(year, "normal")
            .filter(|c| c.importer == importer && months.contains(&c.month))
            .map(|c| c.export_gwh)
            .sum()
    };
    let published = [
        ("2021", "AF", 1_275.0),
        ("2021", "UZ", 1_147.0),
        ("2023", "AF", 1_600.0),
        ("2023", "UZ", 907.5),
        ("2023", "KZ", 144.6),
    ];
    for (year, importer, gwh) in published {
        let model = by(year, importer, &Month::ALL);
        assert!(
            (model / gwh - 1.0).abs() <= 0.2,
            "{year} {importer}: model {model:.0} GWh against {gwh}"
        );
    }
    for year in ["2021", "2023"] {
        assert!(by(year, "AF", &Month::ALL) > by(year, "UZ", &Month::ALL));
        use Month::*;
        assert_eq!(
            by(year, "UZ", &[Jan, Feb, Mar, Apr, Sep, Oct, Nov, Dec]),
            0.0
        );
    }
    // The years differ in their demand: 2021's load is the derived
    // 18,000 GWh (P61), 2023's 3 % above 2022's 18,800 (E).
    let load = |year: &str| -> f64 {
        r.balance
            .iter()
            .filter(|b| b.scenario == year)
            .map(|b| b.load_gwh)
            .sum()
    };
    assert!((load("2021") - 18_000.0).abs() < 1.0, "{}", load("2021"));
    assert!((load("2023") / load("2022") - 1.03).abs() < 1e-9);
}
