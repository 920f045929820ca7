//! The hourly study on the bundled Central Asia grid: energy balanced in
//! every hour, the border flow of the DC power flow equal to the net
//! exports in every hour, the reserve held whenever the exporter exports,
//! water conserved, every export within capacity, appetite and season;
//! results independent of the thread count and fixed by the seed; and a
//! normal year's totals equal to the monthly study's where no hourly
//! constraint binds.

mod common;

use std::sync::OnceLock;

use landlinked::calendar::Month;
use landlinked::hourly::{HourlyResults, HourlySettings, HourlyStudy};
use landlinked::io::grid;
use landlinked::region::{PlantType, Trade};
use landlinked::seasonal::{Hydrology, Scenario, SeasonalStudy};

const FILE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/grids/central_asia/central_asia.toml"
);

fn settings(years: usize, hourly: Option<(&str, &str)>) -> HourlySettings {
    HourlySettings {
        years,
        hourly: hourly.map(|(s, y)| (s.to_string(), y.to_string())),
        ..HourlySettings::default()
    }
}

/// `casa normal` with three stochastic years and its named year's hours.
fn casa() -> &'static HourlyResults {
    static R: OnceLock<HourlyResults> = OnceLock::new();
    R.get_or_init(|| {
        let study = HourlyStudy {
            settings: settings(3, Some(("casa", "normal"))),
        };
        let s = [Scenario::new("casa", "casa", Hydrology::Normal)];
        study.run(FILE, &s, |_| {}).unwrap()
    })
}

#[test]
fn every_hour_balances_and_its_border_flow_is_the_net_export() {
    let r = casa();
    assert_eq!(r.hours.len(), 8760);
    let mut exported_hours = 0;
    for h in &r.hours {
        common::hourly::assert_hour_balances(h);
        assert!(h.unserved_mw >= 0.0 && h.spill_mw >= -1e-9);
        if h.exports_mw > 1e-6 {
            exported_hours += 1;
        }
    }
    assert!(exported_hours > 2000, "{exported_hours}");
    // Hours whose exports a branch limits name it, and no more hours than
    // the corridors counted at their network limit.
    let named = r.hours.iter().filter(|h| !h.binding.is_empty()).count() as u32;
    let limited: u32 = r
        .corridors
        .iter()
        .filter(|c| c.year == "normal")
        .map(|c| c.hours_at_network_limit)
        .sum();
    assert!(named > 0 && named <= limited, "{named} vs {limited}");
    assert!(r.hours.iter().any(|h| h.binding.contains("(N-1 of ")));
}

#[test]
fn the_reserve_is_held_in_every_exporting_hour() {
    let g = grid::read_stage(FILE, "casa", &[]).unwrap();
    // Default reserve: the largest unit of the exporter's hydro plants.
    let largest = g
        .plants()
        .iter()
        .filter(|p| p.country == "TJ" && p.kind == PlantType::Hydro)
        .map(|p| p.installed_mw / f64::from(g.cascade().plant(&p.name).unwrap().units.max(1)))
        .fold(0.0, f64::max);
    assert!(largest > 100.0);
    for h in casa().hours.iter().filter(|h| h.exports_mw > 1e-6) {
        assert!(
            h.reserve_mw >= largest - 1e-6,
            "hour {}: {}",
            h.hour,
            h.reserve_mw
        );
    }
}

#[test]
fn exports_respect_capacity_appetite_season_and_ratings() {
    let r = casa();
    let g = grid::read_stage(FILE, "casa", &[]).unwrap();
    for c in &r.corridors {
        let corridor = g.corridor(&c.corridor).unwrap();
        assert!(c.peak_mw <= c.capacity_mw + 1e-6, "{c:?}");
        assert!(
            c.peak_mw <= corridor.trade.appetite_in(c.month) + 1e-6,
            "{c:?}"
        );
        if !corridor.exports_in(c.month) {
            assert_eq!(c.export_gwh, 0.0, "{c:?}");
        }
        let hours = c.month.hours() as u32;
        let counted = c.hours_at_capacity + c.hours_at_network_limit + c.hours_at_appetite;
        assert!(counted + c.hours_no_surplus <= hours, "{c:?}");
    }
    // Uzbekistan's season cap holds in every year.
    for year in ["normal", "1", "2", "3"] {
        let uz: f64 = r
            .corridors
            .iter()
            .filter(|c| c.year == year && c.corridor == "TJ-UZ")
            .map(|c| c.export_gwh)
            .sum();
        assert!(uz <= 1500.0 + 1e-6, "{year}: {uz}");
    }
    // CASA-1000 exports in summer at the Pakistani price less transit.
    let casa_jul = r
        .corridors
        .iter()
        .find(|c| c.year == "normal" && c.corridor == "CASA-1000" && c.month == Month::Jul)
        .unwrap();
    assert!(casa_jul.export_gwh > 0.0);
    assert!((casa_jul.revenue_musd - casa_jul.export_gwh * 1000.0 * 81.0 / 1e6).abs() < 1e-6);
    // The study refuses to return flows that trade pushed past a rating;
    // here every branch's loading is reported.
    assert!(r.congestion.iter().all(|c| c.max_loading_pct.is_finite()));
}

#[test]
fn hydro_energy_and_spill_add_up_to_the_months_water() {
    let r = casa();
    let g = grid::read_stage(FILE, "casa", &[]).unwrap();
    let hydro = g.simulate_hydro(1.0).unwrap();
    let ours: Vec<&str> = g
        .plants()
        .iter()
        .filter(|p| p.country == "TJ" && p.kind == PlantType::Hydro)
        .map(|p| p.name.as_str())
        .collect();
    for b in r.balance.iter().filter(|b| b.year == "normal") {
        let water_gwh: f64 = hydro
            .rows
            .iter()
            .filter(|row| row.month == b.month && ours.contains(&row.plant.as_str()))
            .map(|row| row.energy_mwh / 1000.0)
            .sum();
        let used = b.hydro_gwh + b.spill_gwh;
        assert!(
            (used - water_gwh).abs() < 1e-6 * water_gwh,
            "{:?}: {used} vs {water_gwh}",
            b.month
        );
    }
}

#[test]
fn results_do_not_depend_on_threads_and_follow_the_seed() {
    let s = [
        Scenario::new("a", "2022", Hydrology::Normal),
        Scenario::new("b", "2022", Hydrology::Dry),
    ];
    let run = |threads: usize, seed: u64| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let study = HourlyStudy {
            settings: HourlySettings {
                seed,
                ..settings(2, None)
            },
        };
        pool.install(|| study.run(FILE, &s, |_| {}).unwrap())
    };
    // Every table, not the timing.
    let tables = |r: &HourlyResults| {
        (
            r.corridors.clone(),
            r.balance.clone(),
            r.percentiles.clone(),
            r.congestion.clone(),
            r.duration_curves.clone(),
        )
    };
    let one = run(1, 7);
    assert!(tables(&one) == tables(&run(2, 7)), "1 and 2 threads differ");
    let other = run(2, 8);
    assert!(
        one.balance != other.balance,
        "seeds 7 and 8 give the same years"
    );
    // The named year does not depend on the seed.
    let named = |r: &HourlyResults| r.annual_exports_gwh("a", "normal");
    assert_eq!(named(&one), named(&other));
}

#[test]
fn a_normal_year_exports_what_the_monthly_study_does_where_no_hour_binds() {
    // The triangle grid with a corridor larger than any surplus, lines
    // rated far above it, no reserve and no N-1: in a surplus month every
    // hour's surplus is exported, as the monthly study exports the month's.
    let mut g = common::triangle::grid();
    g.set_corridor_capacity("TJ-AF", 1.0e5).unwrap();
    g.set_corridor_trade(
        "TJ-AF",
        Trade {
            price_usd_per_mwh: Some(40.0),
            ..Trade::default()
        },
    )
    .unwrap();
    for (a, b) in [("TJ_A", "TJ_B"), ("TJ_B", "AF_C"), ("TJ_A", "AF_C")] {
        g.set_branch_rating(a, b, 1.0e5).unwrap();
    }
    let s = [Scenario::new("open", "", Hydrology::Normal)];
    let monthly = SeasonalStudy::run(&g, &s).unwrap();
    let hourly = HourlyStudy {
        settings: HourlySettings {
            reserve_mw: Some(0.0),
            ..settings(0, None)
        },
    }
    .run(&g, &s, |_| {})
    .unwrap();
    let mut compared = 0;
    for m in monthly
        .months
        .iter()
        .filter(|m| m.surplus_gwh > 0.0 && m.exports_gwh > 0.0)
    {
        let h = hourly.balance.iter().find(|b| b.month == m.month).unwrap();
        assert!(
            (h.exports_gwh - m.exports_gwh).abs() < 1e-6 * m.exports_gwh,
            "{:?}: hourly {} vs monthly {}",
            m.month,
            h.exports_gwh,
            m.exports_gwh
        );
        compared += 1;
    }
    assert!(compared >= 4, "{compared} months compared");
}

#[test]
fn a_deficit_hour_imports_up_to_the_import_capacity_then_rations() {
    let mut g = common::triangle::grid();
    let winter = vec![Month::Jan, Month::Feb, Month::Dec];
    let imports = Trade {
        price_usd_per_mwh: Some(40.0),
        import_capacity_mw: 50.0,
        import_months: winter.clone(),
        import_price_usd_per_mwh: Some(60.0),
        ..Trade::default()
    };
    g.set_corridor_trade("TJ-AF", imports).unwrap();
    // More load than the water gives in winter.
    g.set_load_energy("TJ load", 9000.0).unwrap();
    let s = [Scenario::new("short", "", Hydrology::Dry)];
    let study = HourlyStudy {
        settings: settings(0, Some(("short", "dry"))),
    };
    let r = study.run(&g, &s, |_| {}).unwrap();
    let mut rationed = 0;
    for h in &r.hours {
        assert!(h.imports_mw <= 50.0 + 1e-9);
        if !winter.contains(&h.month) {
            assert_eq!(h.imports_mw, 0.0, "hour {}", h.hour);
        }
        if h.unserved_mw > 0.0 {
            rationed += 1;
            // Rationing only once the imports are exhausted.
            if winter.contains(&h.month) {
                assert!((h.imports_mw - 50.0).abs() < 1e-9, "hour {}", h.hour);
            }
        }
        assert!((h.border_flow_mw - (h.exports_mw - h.imports_mw)).abs() < 1e-6);
    }
    assert!(rationed > 0);
    let jan = r.balance.iter().find(|b| b.month == Month::Jan).unwrap();
    assert!(
        (jan.imports_gwh - 50.0 * 744.0 / 1000.0).abs() < 1e-6,
        "{}",
        jan.imports_gwh
    );
    assert!(jan.unserved_gwh > 0.0);
}

#[test]
fn bad_trade_figures_in_a_grid_file_name_the_corridor_and_field() {
    let text = std::fs::read_to_string(FILE).unwrap();
    let bad = text.replacen("price_usd_per_mwh = 20.0", "price_usd_per_mwh = -20.0", 1);
    let err = grid::parse_str(&bad, "bad.toml")
        .unwrap()
        .build(Some("2022"), &[])
        .unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("corridor `TJ-UZ`") && msg.contains("price_usd_per_mwh"),
        "{msg}"
    );
    let short = text.replacen(
        "appetite_mw = [0.0, 0.0, 0.0, 0.0, 270.0",
        "appetite_mw = [0.0, 0.0, 0.0, 270.0",
        1,
    );
    let err = grid::parse_str(&short, "bad.toml")
        .unwrap()
        .build(Some("2022"), &[])
        .unwrap_err();
    assert!(err.to_string().contains("appetite_mw"), "{err}");
    // A firm export above the importer's appetite is refused.
    let greedy = text.replacen("firm_mw = [35.0,", "firm_mw = [45.0,", 1);
    let err = grid::parse_str(&greedy, "bad.toml")
        .unwrap()
        .build(Some("2022"), &[])
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("TUTAP TJ-AF") && err.contains("firm_mw") && err.contains("appetite"),
        "{err}"
    );
    // Imports over an HVDC corridor are not modelled: refused, not ignored.
    let mut g = grid::read_stage(FILE, "casa", &[]).unwrap();
    let trade = Trade {
        import_capacity_mw: 100.0,
        import_months: vec![Month::Jan],
        ..g.corridor("CASA-1000").unwrap().trade.clone()
    };
    g.set_corridor_trade("CASA-1000", trade).unwrap();
    let s = [Scenario::new("x", "casa", Hydrology::Normal)];
    let err = HourlyStudy {
        settings: settings(0, None),
    }
    .run(&g, &s, |_| {})
    .unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("CASA-1000") && msg.contains("import_capacity_mw"),
        "{msg}"
    );
}

#[test]
fn demand_grows_to_the_target_year_at_the_scenario_rate() {
    let g = common::triangle::grid();
    let base = [Scenario::new("base", "", Hydrology::Normal)];
    let grown = [Scenario::new("2030", "", Hydrology::Normal).with_growth_to(3.0, 8)];
    let study = HourlyStudy {
        settings: settings(0, None),
    };
    let load = |s: &[Scenario]| -> f64 {
        let r = study.run(&g, s, |_| {}).unwrap();
        r.balance.iter().map(|b| b.load_gwh).sum()
    };
    let (b, y) = (load(&base), load(&grown));
    assert!((b - 4000.0).abs() < 1e-6, "{b}");
    assert!((y / b - 1.03f64.powi(8)).abs() < 1e-9, "{}", y / b);
    let bad = [Scenario::new("x", "", Hydrology::Normal).with_growth_to(-120.0, 2)];
    let err = study.run(&g, &bad, |_| {}).unwrap_err().to_string();
    assert!(err.contains("-120"), "{err}");
}

#[test]
fn a_corridor_cut_off_by_an_outage_carries_nothing_and_says_so() {
    // North Afghanistan is radial from Tajikistan: with TUTAP out, its far
    // end is another island, so the corridor can carry nothing at all.
    let s = [Scenario::new("no TUTAP", "2022", Hydrology::Normal)
        .with_outage("TJ_SANGTUDA_220", "AF_SHERKHAN_220")];
    let r = HourlyStudy {
        settings: settings(0, None),
    }
    .run(FILE, &s, |_| {})
    .unwrap();
    let tutap: Vec<_> = r
        .corridors
        .iter()
        .filter(|c| c.corridor == "TUTAP TJ-AF")
        .collect();
    assert!(tutap.iter().all(|c| c.export_gwh == 0.0));
    assert!(tutap.iter().map(|c| c.hours_at_network_limit).sum::<u32>() > 0);
    // The other corridors still export.
    assert!(r.annual_exports_gwh("no TUTAP", "normal") > 0.0);
}

/// `2022 dry` with twelve stochastic years: strictly on the rule curves,
/// some years ration the exporter's own load in the filling season while
/// its reservoirs fill; hedged (the default), the filling waits: no load
/// goes unserved from May to September, the month that was short releases
/// more water (more hydro energy, less storage at its end), and a year in
/// which the strict run was never short in those months, starting from the
/// same storage, is the same year.
#[test]
fn the_reservoirs_fill_less_rather_than_ration_the_exporters_own_load() {
    let run = |hedge_months: Vec<Month>| {
        let study = HourlyStudy {
            settings: HourlySettings {
                years: 12,
                hedge_months,
                ..HourlySettings::default()
            },
        };
        let s = [Scenario::new("dry", "2022", Hydrology::Dry)];
        study.run(FILE, &s, |_| {}).unwrap()
    };
    let default_months = HourlySettings::default().hedge_months;
    assert_eq!(
        default_months,
        [Month::May, Month::Jun, Month::Jul, Month::Aug, Month::Sep]
    );
    let strict = run(Vec::new());
    let hedged = run(default_months.clone());
    assert_eq!(strict.balance.len(), hedged.balance.len());
    let season = |m: Month| default_months.contains(&m);
    let (mut short_years, mut same_years) = (0, 0);
    let mut previous_end: Option<(f64, f64)> = None;
    for (s_year, h_year) in strict.balance.chunks(12).zip(hedged.balance.chunks(12)) {
        let label = &s_year[0].year;
        assert_eq!(label, &h_year[0].year);
        let short_gwh: f64 = s_year
            .iter()
            .filter(|b| season(b.month))
            .map(|b| b.unserved_gwh)
            .sum();
        let same_start = previous_end.is_none_or(|(a, b)| a == b);
        previous_end = Some((s_year[11].storage_end_hm3, h_year[11].storage_end_hm3));
        for h in h_year.iter().filter(|b| season(b.month)) {
            assert!(
                h.unserved_gwh < 0.01,
                "year {label}, {:?}: {} GWh unserved while a reservoir could fill less",
                h.month,
                h.unserved_gwh
            );
        }
        if short_gwh < 1e-9 {
            if same_start {
                assert_eq!(s_year, h_year, "year {label}: nothing to hedge");
                same_years += 1;
            }
            continue;
        }
        short_years += 1;
        let first = s_year
            .iter()
            .position(|b| season(b.month) && b.unserved_gwh > 0.0)
            .unwrap();
        let (s, h) = (&s_year[first], &h_year[first]);
        assert!(
            h.hydro_gwh > s.hydro_gwh && h.storage_end_hm3 < s.storage_end_hm3,
            "year {label}, {:?}: hydro {} -> {} GWh, storage {} -> {} hm3",
            s.month,
            s.hydro_gwh,
            h.hydro_gwh,
            s.storage_end_hm3,
            h.storage_end_hm3
        );
    }
    assert!(
        short_years > 0,
        "no dry year short in summer: nothing tested"
    );
    assert!(same_years > 0, "no year left alone: nothing tested");
}
