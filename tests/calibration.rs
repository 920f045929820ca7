//! What the Central Asia model reaches against the published figures of
//! 2021-2023 (fact sheet 3.4), in the `2022` stage's named normal year of
//! the hourly study. The full table, model against figure with sources, is
//! `grids/central_asia/CALIBRATION.md` (`cargo run --release --example
//! calibration`). Where a figure is not reached, the test pins what is, and
//! says the published figure.

use landlinked::calendar::Month;
use landlinked::hourly::{HourlyResults, HourlySettings, HourlyStudy};
use landlinked::seasonal::{Hydrology, Scenario};

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
    // May-August (P28).
    let (_, uz_summer) = exports(&r, "UZ", &[May, Jun, Jul, Aug]);
    assert!((250.0..=270.0).contains(&uz_summer), "{uz_summer}");
    let (uz_rest, _) = exports(&r, "UZ", &[Jan, Feb, Mar, Apr, Sep, Oct, Nov, Dec]);
    assert_eq!(uz_rest, 0.0);
    // By country, annual: Afghanistan 1,275 GWh in 2021 (P61) and about
    // 1,600 in 2023 (P29): the model's 1,204 GWh is within 20 % of 2021
    // only. Uzbekistan 1,147 GWh in 2021 (P61) and 907.5 in 2023 (P29): the
    // model's 749 GWh is within 20 % of 2023 only.
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
