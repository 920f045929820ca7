//! The Central Asia grid (`grids/central_asia/central_asia.toml`): it loads,
//! validates, solves with the DC power flow, and matches the anchors of the
//! fact sheet (`../shared/facts/central-asia-grid.md`): 2022 generation
//! 21.4 TWh (P60), domestic supply about 18.8 TWh (D, section 3.1), the
//! Vakhsh's 20 km³/yr (P53), Nurek's 4.2 km³ seasonal shift (P36), a winter
//! deficit and a summer surplus (P27, P29, P31).

use landlinked::dc::DcPowerFlow;

use landlinked::calendar::Month;
use landlinked::hydro::HydroResults;
use landlinked::io::grid;
use landlinked::region::{MonthBalance, RegionalGrid};

const FILE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/grids/central_asia/central_asia.toml"
);
const VAKHSH: [&str; 6] = [
    "Rogun",
    "Nurek",
    "Baipaza",
    "Sangtuda-1",
    "Sangtuda-2",
    "Golovnaya",
];

fn load() -> RegionalGrid {
    grid::read(FILE).unwrap()
}

fn normal_year(g: &RegionalGrid) -> (HydroResults, Vec<MonthBalance>) {
    let hydro = g.simulate_hydro(1.0).unwrap();
    let balance = g.monthly_balance("TJ", &hydro);
    (hydro, balance)
}

#[test]
fn loads_and_validates_with_46_buses_and_three_islands() {
    let g = load();
    assert_eq!(g.stage(), Some("2022"));
    // The fact sheet's 46 buses and the Kazakh delivery equivalent.
    assert_eq!(g.network().buses.len(), 47);
    assert!(g.bus_id("KZ_SHYMKENT_500").is_some());
    g.network().validate().unwrap();
    let names: Vec<&str> = g
        .cascade()
        .plants()
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(names[..6], VAKHSH, "Vakhsh cascade in upstream order");
    let sol = DcPowerFlow::new(g.network()).unwrap().solve().unwrap();
    // CAPS (TJ, UZ, TM, north AF), Pakistan, and KG, whose only modelled tie
    // is the CASA-1000 AC line (KG–UZ and KG–TJ 220 kV ties were not found).
    assert_eq!(sol.islands, 3);
    let casa = grid::read_stage(FILE, "casa", &[]).unwrap();
    assert_eq!(
        DcPowerFlow::new(casa.network())
            .unwrap()
            .solve()
            .unwrap()
            .islands,
        2
    );
    let pg: f64 = sol.pg_mw.iter().sum();
    assert!((pg - g.network().total_load_mw()).abs() < 1e-6);
    assert!(sol.pf_mw.iter().all(|f| f.is_finite()));
}

#[test]
fn every_figure_has_a_source() {
    let doc = grid::read_document(FILE).unwrap();
    let d = &doc.data;
    let sources = d
        .lines
        .iter()
        .map(|x| (format!("line {}-{}", x.from, x.to), &x.source))
        .chain(
            d.transformers
                .iter()
                .map(|x| (format!("trafo {}", x.from), &x.source)),
        )
        .chain(d.links.iter().map(|x| (x.name.clone(), &x.source)))
        .chain(d.inflows.iter().map(|x| (x.name.clone(), &x.source)))
        .chain(d.plants.iter().map(|x| (x.name.clone(), &x.source)))
        .chain(d.loads.iter().map(|x| (x.name.clone(), &x.source)))
        .chain(d.corridors.iter().map(|x| (x.name.clone(), &x.source)))
        .chain(d.buses.iter().map(|x| (x.name.clone(), &x.source)));
    let reservoirs = d
        .plants
        .iter()
        .filter_map(|p| p.reservoir.as_ref().map(|r| (p.name.clone(), &r.source)));
    for (element, source) in sources.chain(reservoirs) {
        let s = source.as_deref().unwrap_or("");
        let tagged = s.contains('P') && s.chars().any(|c| c.is_ascii_digit());
        let estimate = s.contains("E") || s.contains("D");
        assert!(
            tagged || estimate,
            "{element} has no source tag or estimate mark: `{s}`"
        );
    }
}

#[test]
fn annual_generation_and_consumption_within_ten_percent_of_2022() {
    let g = load();
    let (_, bal) = normal_year(&g);
    let generated: f64 = bal.iter().map(|b| b.dispatched_gwh).sum();
    let load: f64 = bal.iter().map(|b| b.load_gwh).sum();
    let exports: f64 = bal.iter().map(|b| b.exports_gwh).sum();
    println!("generation {generated:.0} GWh, load {load:.0} GWh, exports {exports:.0} GWh");
    // 21.4 TWh generated in 2022 (S, P60)
    assert!(
        (generated / 21_400.0 - 1.0).abs() < 0.10,
        "generation {generated} GWh"
    );
    // about 18.8 TWh domestic supply including losses (D: 21.4 − 2.6 exported)
    assert!((load / 18_800.0 - 1.0).abs() < 0.10, "load {load} GWh");
    // about 2.58 TWh exported in 2022 (D, P29): same order
    assert!(
        exports > 1_300.0 && exports < 3_900.0,
        "exports {exports} GWh"
    );
}

#[test]
fn winter_deficit_and_summer_surplus_in_the_right_months() {
    let g = load();
    let (_, bal) = normal_year(&g);
    for b in &bal {
        println!(
            "{:?}: generation {:.0}, load {:.0}, surplus {:.0} GWh",
            b.month, b.generation_gwh, b.load_gwh, b.surplus_gwh
        );
    }
    for m in [Month::Nov, Month::Dec, Month::Jan, Month::Feb, Month::Mar] {
        assert!(
            bal[m.index()].surplus_gwh < 0.0,
            "deficit expected in {m:?}"
        );
    }
    for m in [Month::May, Month::Jun, Month::Jul, Month::Aug, Month::Sep] {
        assert!(
            bal[m.index()].surplus_gwh > 0.0,
            "surplus expected in {m:?}"
        );
    }
    // The deficit peaks in mid-winter, the surplus in July–August.
    let worst = bal
        .iter()
        .min_by(|a, b| a.surplus_gwh.total_cmp(&b.surplus_gwh))
        .unwrap();
    let best = bal
        .iter()
        .max_by(|a, b| a.surplus_gwh.total_cmp(&b.surplus_gwh))
        .unwrap();
    assert!(matches!(worst.month, Month::Dec | Month::Jan | Month::Feb));
    assert!(matches!(best.month, Month::Jul | Month::Aug));
}

#[test]
fn vakhsh_water_balance_is_about_20_km3_and_conserved() {
    let g = load();
    let (hydro, _) = normal_year(&g);
    let lateral: f64 = g
        .inflows()
        .iter()
        .filter(|q| VAKHSH.contains(&q.plant.as_str()))
        .flat_map(|q| q.inflow_m3s.iter().zip(Month::ALL))
        .map(|(q, m)| q * m.hours() * 0.0036)
        .sum();
    // 20.0 km³/yr (S, P53); the profile gives 20.1 (D)
    assert!(
        (lateral / 20_000.0 - 1.0).abs() < 0.05,
        "Vakhsh inflow {lateral} hm³"
    );
    let out: f64 = hydro
        .plant_rows("Golovnaya")
        .map(|r| r.release_hm3 + r.spill_hm3)
        .sum();
    // Irrigation canals taking off at the dams (Baipaza's Yovon tunnel,
    // Golovnaya's canals) leave the river: about 3.9 km³ in a normal year
    // (E, 276,000 ha at 14,100 m³/ha).
    let diverted: f64 = VAKHSH
        .iter()
        .flat_map(|p| hydro.plant_rows(p))
        .map(|r| r.diversion_hm3)
        .sum();
    assert!(
        (3_500.0..4_300.0).contains(&diverted),
        "diverted {diverted} hm³"
    );
    let d_storage: f64 = VAKHSH
        .iter()
        .map(|p| {
            let rows: Vec<_> = hydro.plant_rows(p).collect();
            rows[11].storage_end_hm3 - rows[0].storage_start_hm3
        })
        .sum();
    assert!(
        (lateral - out - diverted - d_storage).abs() < 1e-6 * lateral,
        "water is conserved"
    );
}

#[test]
fn nurek_shifts_about_4_2_km3_from_summer_to_winter() {
    let g = load();
    let (hydro, _) = normal_year(&g);
    let s: Vec<f64> = hydro
        .plant_rows("Nurek")
        .map(|r| r.storage_end_hm3)
        .collect();
    let max = s.iter().cloned().fold(f64::MIN, f64::max);
    let min = s.iter().cloned().fold(f64::MAX, f64::min);
    println!("Nurek storage {min:.0}–{max:.0} hm³");
    // about 4.2 km³ (S, P36)
    assert!(
        ((max - min) / 4_200.0 - 1.0).abs() < 0.10,
        "drawdown {} hm³",
        max - min
    );
    // fills May–September, draws down October–April
    let argmax = s.iter().position(|v| *v == max).unwrap();
    let argmin = s.iter().position(|v| *v == min).unwrap();
    assert!((Month::Aug.index()..=Month::Sep.index()).contains(&argmax));
    assert!((Month::Mar.index()..=Month::Apr.index()).contains(&argmin));
    // winter release about 500–600 m³/s (S, P63), within a wide margin
    let jan = hydro.row("Nurek", Month::Jan).unwrap();
    assert!(jan.release_m3s > 350.0 && jan.release_m3s < 700.0);
}

#[test]
fn monthly_snapshots_solve_and_export_to_afghanistan_in_summer() {
    let g = load();
    let (hydro, _) = normal_year(&g);
    let tutap = g
        .corridors()
        .iter()
        .find(|c| c.name == "TUTAP TJ-AF")
        .unwrap();
    for m in [Month::Jan, Month::Jul] {
        let net = g.snapshot(m, &hydro).unwrap();
        let sol = DcPowerFlow::new(&net).unwrap().solve().unwrap();
        let flow = tutap.flow_mw(&sol.pf_mw, &[]).unwrap();
        println!("{m:?}: TUTAP {flow:.0} MW");
        assert!(flow.is_finite());
        if m == Month::Jul {
            assert!(flow > 0.0, "July export to Afghanistan");
        }
    }
}

#[test]
fn casa_stage_carries_1000_mw_to_pakistan_over_the_hvdc_link() {
    let g = grid::read_stage(FILE, "casa", &[]).unwrap();
    let (hydro, _) = normal_year(&g);
    let net = g.snapshot(Month::Jul, &hydro).unwrap();
    assert!(
        net.branches.len() > load().network().branches.len(),
        "Datka–Sughd is in"
    );
    let pf = DcPowerFlow::new(&net).unwrap();
    let casa = g.link_position("CASA-1000 Sangtuda-Nowshera").unwrap();
    let mut setpoints = vec![0.0; net.hvdc_links.len()];
    setpoints[casa] = 1000.0;
    let mut p = pf.model().bus_injections_mw().to_vec();
    landlinked::dc::add_link_injections(&net, &setpoints, &mut p).unwrap();
    let st = pf.solve_injections(&p).unwrap();
    let corridor = g
        .corridors()
        .iter()
        .find(|c| c.name == "CASA-1000")
        .unwrap();
    assert_eq!(corridor.flow_mw(&st.pf_mw, &setpoints).unwrap(), 1000.0);
    // Pakistan's reference takes 960 MW less (4 % losses).
    let pk = g.bus_id("PK_NOWSHERA_500").unwrap();
    let pk_pos = net.bus_index().unwrap().position(pk).unwrap();
    let k = pf
        .reference_buses()
        .iter()
        .position(|&r| r == pk_pos)
        .unwrap();
    assert!((st.slack_mw[k] + 960.0).abs() < 1e-9);
    setpoints[casa] = 1400.0;
    assert!(landlinked::dc::add_link_injections(&net, &setpoints, &mut p).is_err());
}

#[test]
fn stages_switch_rogun_nurek_and_the_kabul_converter() {
    let full = grid::read_stage(FILE, "full_build", &["kabul_converter"]).unwrap();
    let mw = |g: &RegionalGrid, n: &str| g.cascade().plant(n).unwrap().installed_mw;
    assert_eq!(mw(&full, "Rogun"), 3600.0);
    assert_eq!(mw(&full, "Nurek"), 3420.0);
    assert_eq!(full.network().hvdc_links.len(), 2);
    assert!(full.corridors().iter().any(|c| c.name == "CASA-1000 Kabul"));
    let now = load();
    assert_eq!(mw(&now, "Rogun"), 200.0);
    assert_eq!(mw(&now, "Nurek"), 2310.0);
    assert!(now.network().hvdc_links.is_empty());
    // Rogun full raises the Vakhsh's energy; the water is the same.
    let e = |g: &RegionalGrid| g.simulate_hydro(1.0).unwrap().total_energy_mwh();
    assert!(e(&full) > e(&now) + 5.0e6);
}

/// Once Rogun regulates (option `rogun_full`), Nurek holds a constant level
/// and Rogun moves the 4.2 km³ that Nurek moves today, with a swing of
/// about 30 m (fact sheet 2.3, P135, P36): the same water is used twice
/// and the downstream pattern is unchanged, so the full build's winter
/// surplus is small, not the 1,700 MW of double regulation.
#[test]
fn in_the_rogun_era_nurek_holds_its_level_and_rogun_regulates() {
    let full = grid::read_stage(FILE, "full_build", &[]).unwrap();
    let hydro = full.simulate_hydro(1.0).unwrap();
    let storage = |plant: &str| -> Vec<f64> {
        hydro
            .rows
            .iter()
            .filter(|r| r.plant == plant)
            .map(|r| r.storage_end_hm3)
            .collect()
    };
    let nurek = storage("Nurek");
    assert_eq!(nurek.len(), 12);
    assert!(
        nurek.iter().all(|&s| (s - 10_500.0).abs() < 1e-6),
        "{nurek:?}"
    );
    let rogun = storage("Rogun");
    let swing = rogun.iter().fold(f64::MIN, |a, &b| a.max(b))
        - rogun.iter().fold(f64::MAX, |a, &b| a.min(b));
    assert!(
        (3_800.0..=4_600.0).contains(&swing),
        "Rogun moves {swing} hm³"
    );
    let heads: Vec<f64> = hydro
        .rows
        .iter()
        .filter(|r| r.plant == "Rogun")
        .map(|r| r.head_m)
        .collect();
    let head_swing = heads.iter().fold(f64::MIN, |a, &b| a.max(b))
        - heads.iter().fold(f64::MAX, |a, &b| a.min(b));
    assert!(
        (25.0..=35.0).contains(&head_swing),
        "Rogun's head swings {head_swing} m"
    );
    // Winter: a surplus, but small (January was +1,710 MW with both
    // reservoirs regulating).
    let jan = full
        .monthly_balance("TJ", &hydro)
        .into_iter()
        .find(|b| b.month == Month::Jan)
        .unwrap();
    let surplus_mw = jan.surplus_gwh * 1000.0 / Month::Jan.hours();
    assert!(
        (0.0..800.0).contains(&surplus_mw),
        "January surplus {surplus_mw} MW"
    );
    // Today (no rogun_full) Nurek still regulates.
    let now = load().simulate_hydro(1.0).unwrap();
    let nurek_now: Vec<f64> = now
        .rows
        .iter()
        .filter(|r| r.plant == "Nurek")
        .map(|r| r.storage_end_hm3)
        .collect();
    let swing_now = nurek_now.iter().fold(f64::MIN, |a, &b| a.max(b))
        - nurek_now.iter().fold(f64::MAX, |a, &b| a.min(b));
    assert!(swing_now > 3_500.0, "{swing_now}");
}
