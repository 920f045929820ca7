//! Stochastic water years and their chaining: the generator is fixed by
//! its seed, has the normal year as its long-run mean, the spread and the
//! year-to-year memory it is given, and never a negative inflow; chained
//! years conserve water, and a run of dry years drains a reservoir.

use landlinked::hydro::{InflowEnsemble, InflowSpread, LateralInflow};
use landlinked::io::grid;

const FILE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/grids/central_asia/central_asia.toml"
);

fn annual(year: &[LateralInflow], normal: &[LateralInflow]) -> f64 {
    let total = |qs: &[LateralInflow]| -> f64 { qs.iter().flat_map(|q| &q.inflow_m3s).sum() };
    total(year) / total(normal)
}

#[test]
fn the_generator_has_the_mean_spread_and_memory_it_is_given() {
    let g = grid::read(FILE).unwrap();
    let normal = g.inflows().to_vec();
    let spread = InflowSpread::default();
    let e = InflowEnsemble::new(normal.clone(), g.inflow_rivers(), spread).unwrap();
    let years = e.years(2022, 2000);
    assert_eq!(years, e.years(2022, 2000));
    assert_ne!(years[..5], e.years(2023, 5)[..]);
    assert!(
        years
            .iter()
            .flatten()
            .flat_map(|q| &q.inflow_m3s)
            .all(|q| q.is_finite() && *q > 0.0)
    );
    // The Vakhsh alone (one river, one factor per year).
    let vakhsh: Vec<usize> = (0..normal.len())
        .filter(|&i| g.inflow_rivers()[i] == g.inflow_rivers()[0])
        .collect();
    let pick = |qs: &[LateralInflow]| -> Vec<LateralInflow> {
        vakhsh.iter().map(|&i| qs[i].clone()).collect()
    };
    let a: Vec<f64> = years
        .iter()
        .map(|y| annual(&pick(y), &pick(&normal)))
        .collect();
    let n = a.len() as f64;
    let mean = a.iter().sum::<f64>() / n;
    let sd = (a.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    let rho = a
        .windows(2)
        .map(|w| (w[0] - mean) * (w[1] - mean))
        .sum::<f64>()
        / a.iter().map(|x| (x - mean).powi(2)).sum::<f64>();
    println!(
        "annual mean {mean:.4}, cv {:.4}, lag-1 rho {rho:.3}",
        sd / mean
    );
    assert!((mean - 1.0).abs() < 0.01, "{mean}");
    // The annual volume's spread: the year's factor and twelve months' noise.
    assert!(
        (sd / mean - spread.annual_cv).abs() < 0.2 * spread.annual_cv,
        "{}",
        sd / mean
    );
    assert!((rho - spread.year_to_year_rho).abs() < 0.1, "{rho}");
    // Inflows of one river share their factors.
    let y = &years[0];
    let (i, j) = (vakhsh[0], vakhsh[1]);
    let ratio = |k: usize, m: usize| y[k].inflow_m3s[m] / normal[k].inflow_m3s[m];
    assert!((ratio(i, 6) - ratio(j, 6)).abs() < 1e-12);
}

#[test]
fn bad_spreads_are_refused_naming_the_field() {
    for (field, spread) in [
        (
            "annual_cv",
            InflowSpread {
                annual_cv: f64::NAN,
                ..InflowSpread::default()
            },
        ),
        (
            "month_cv",
            InflowSpread {
                month_cv: -0.1,
                ..InflowSpread::default()
            },
        ),
        (
            "year_to_year_rho",
            InflowSpread {
                year_to_year_rho: 1.0,
                ..InflowSpread::default()
            },
        ),
        (
            "month_to_month_rho",
            InflowSpread {
                month_to_month_rho: -1.5,
                ..InflowSpread::default()
            },
        ),
    ] {
        let err = InflowEnsemble::new(vec![], vec![], spread)
            .unwrap_err()
            .to_string();
        assert!(err.contains(field), "{err}");
    }
}

#[test]
fn chained_years_conserve_water_and_dry_years_drain_the_reservoirs() {
    let g = grid::read(FILE).unwrap();
    let cascade = g.cascade();
    let run = |factor: f64| {
        let mut storage: Option<Vec<(String, f64)>> = None;
        let mut years = Vec::new();
        for _ in 0..5 {
            let q: Vec<LateralInflow> = g.inflows().iter().map(|q| q.scaled(factor)).collect();
            let out = match &storage {
                Some(s) => cascade.simulate_from(&q, g.rule_curve(), s).unwrap(),
                None => cascade.simulate(&q, g.rule_curve()).unwrap(),
            };
            storage = Some(out.end_storage_hm3());
            years.push(out);
        }
        years
    };
    let normal = run(1.0);
    for plant in cascade.plants() {
        let rows: Vec<_> = normal
            .iter()
            .flat_map(|y| y.rows.iter().filter(|r| r.plant == plant.name))
            .collect();
        let inflow: f64 = rows.iter().map(|r| r.inflow_hm3).sum();
        let out: f64 = rows.iter().map(|r| r.release_hm3 + r.spill_hm3).sum();
        let change = rows.last().unwrap().storage_end_hm3 - rows[0].storage_start_hm3;
        assert!(
            (inflow - out - change).abs() <= 1e-6 * inflow.max(1.0),
            "{}",
            plant.name
        );
        // Each year starts where the last ended.
        for w in rows.windows(2) {
            assert_eq!(w[0].storage_end_hm3, w[1].storage_start_hm3);
        }
    }
    // Reservoirs follow their rule curves while the water lasts; five
    // years at 15 % of the normal inflow (less than a year of storage) cannot
    // refill them.
    let dry = run(0.15);
    let lowest = |years: &[landlinked::hydro::HydroResults]| -> f64 {
        let mut storage = [0.0f64; 60];
        for (y, out) in years.iter().enumerate() {
            for r in &out.rows {
                storage[y * 12 + r.month.index()] += r.storage_end_hm3;
            }
        }
        storage.iter().copied().fold(f64::INFINITY, f64::min)
    };
    let (d, n) = (lowest(&dry), lowest(&normal));
    assert!(
        d < n - 100.0,
        "lowest storage {d} hm³ dry vs {n} hm³ normal"
    );
    // And a dry run keeps draining: its last year ends lower than its first.
    let end = |out: &landlinked::hydro::HydroResults| -> f64 {
        out.end_storage_hm3().iter().map(|(_, v)| v).sum()
    };
    assert!(
        end(&dry[4]) <= end(&dry[0]),
        "{} vs {}",
        end(&dry[4]),
        end(&dry[0])
    );
    // A storage outside the reservoir is refused.
    let q = g.inflows().to_vec();
    let err = cascade
        .simulate_from(&q, g.rule_curve(), &[("Nurek".into(), 1e9)])
        .unwrap_err();
    assert!(err.to_string().contains("Nurek"), "{err}");
}
