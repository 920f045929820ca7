//! Bad input to the hydro model: every wrong figure, series, head curve,
//! cascade link, rule curve and policy is an error naming the plant and
//! the field, never a panic. (The water balance and energy tests are in
//! tests/hydro.rs.)

use landlinked::calendar::Month;
use landlinked::hydro::{
    Cascade, Conversion, HeadModel, HeadPoint, HydroError, HydroPlant, LateralInflow, PeriodState,
    ReleasePolicy, RuleCurve,
};

mod common;
use common::hydro::{fixed_100m, two_plant};

#[test]
fn negative_capacity_names_plant_and_field() {
    let plants = vec![HydroPlant::run_of_river("Golovnaya", 30, -240.0, 0.9, 31.0)];
    assert_eq!(
        Cascade::new(plants).unwrap_err(),
        HydroError::Negative {
            plant: "Golovnaya".into(),
            field: "installed_mw",
            value: -240.0
        }
    );
}

#[test]
fn initial_storage_above_capacity_is_rejected() {
    let err = Cascade::new(two_plant(200.0, 1200.0, fixed_100m())).unwrap_err();
    assert_eq!(
        err,
        HydroError::InitialStorageAboveCapacity {
            plant: "Upper".into(),
            initial_hm3: 1200.0,
            capacity_hm3: 1100.0
        }
    );
    let err = Cascade::new(two_plant(200.0, 50.0, fixed_100m())).unwrap_err();
    assert!(
        matches!(err, HydroError::InitialStorageBelowDead { ref plant, .. } if plant == "Upper")
    );
}

#[test]
fn inflow_series_must_have_twelve_finite_values() -> Result<(), HydroError> {
    let cascade = Cascade::new(two_plant(200.0, 600.0, fixed_100m()))?;
    let err = cascade
        .simulate(
            &[LateralInflow::new("Lower", vec![1.0; 11])],
            &RuleCurve::new(),
        )
        .unwrap_err();
    assert_eq!(
        err,
        HydroError::WrongLength {
            plant: "Lower".into(),
            field: "inflow_m3s",
            expected: 12,
            found: 11
        }
    );
    let mut q = vec![1.0; 12];
    q[3] = f64::NAN;
    let err = cascade
        .simulate(&[LateralInflow::new("Upper", q)], &RuleCurve::new())
        .unwrap_err();
    assert!(
        matches!(err, HydroError::NotFinite { ref plant, field: "inflow_m3s", .. } if plant == "Upper")
    );
    let err = cascade
        .simulate(
            &[LateralInflow::new("Upper", vec![-1.0; 12])],
            &RuleCurve::new(),
        )
        .unwrap_err();
    assert!(matches!(
        err,
        HydroError::Negative {
            field: "inflow_m3s",
            ..
        }
    ));
    let err = cascade
        .simulate(
            &[LateralInflow::new("Rogun", vec![1.0; 12])],
            &RuleCurve::new(),
        )
        .unwrap_err();
    assert!(matches!(err, HydroError::UnknownPlant { ref unknown, .. } if unknown == "Rogun"));
    let twice = [
        LateralInflow::new("Upper", vec![1.0; 12]),
        LateralInflow::new("Upper", vec![1.0; 12]),
    ];
    assert!(matches!(
        cascade.simulate(&twice, &RuleCurve::new()).unwrap_err(),
        HydroError::Duplicate {
            field: "inflows",
            ..
        }
    ));
    Ok(())
}

#[test]
fn nan_and_out_of_range_plant_figures_are_rejected() {
    let p = HydroPlant::run_of_river("A", 1, 10.0, f64::NAN, 10.0);
    assert!(matches!(
        p.validate(),
        Err(HydroError::NotFinite {
            field: "conversion.efficiency",
            ..
        })
    ));
    let p = HydroPlant::run_of_river("A", 1, 10.0, 90.0, 10.0); // a percentage, not a fraction
    assert!(matches!(
        p.validate(),
        Err(HydroError::OutOfRange {
            field: "conversion.efficiency",
            ..
        })
    ));
    let p = HydroPlant::run_of_river("A", 1, 10.0, 0.9, 0.0);
    assert!(matches!(
        p.validate(),
        Err(HydroError::OutOfRange {
            field: "kind.head_m",
            ..
        })
    ));
    let p = HydroPlant::run_of_river("A", 1, 10.0, 0.9, 10.0)
        .with_conversion(Conversion::Coefficient { mwh_per_hm3: -2.0 });
    assert!(matches!(
        p.validate(),
        Err(HydroError::Negative {
            field: "conversion.mwh_per_hm3",
            ..
        })
    ));
    let p = HydroPlant::run_of_river("A", 1, 10.0, 0.9, 10.0).with_min_release_m3s(f64::INFINITY);
    assert!(matches!(
        p.validate(),
        Err(HydroError::NotFinite {
            field: "min_release_m3s",
            ..
        })
    ));
    let mut plants = two_plant(200.0, 600.0, fixed_100m());
    if let landlinked::hydro::PlantKind::Reservoir(r) = &mut plants[0].kind {
        r.useful_hm3 = -1000.0;
    }
    assert!(matches!(
        Cascade::new(plants).unwrap_err(),
        HydroError::Negative {
            field: "reservoir.useful_hm3",
            ..
        }
    ));
}

#[test]
fn head_curve_must_span_the_reservoir_and_increase() {
    let short = HeadModel::Curve {
        points: vec![
            HeadPoint {
                storage_hm3: 100.0,
                head_m: 50.0,
            },
            HeadPoint {
                storage_hm3: 900.0,
                head_m: 150.0,
            },
        ],
    };
    let err = Cascade::new(two_plant(200.0, 600.0, short)).unwrap_err();
    assert!(matches!(err, HydroError::InvalidHeadCurve { ref plant, .. } if plant == "Upper"));
    let falling = HeadModel::Curve {
        points: vec![
            HeadPoint {
                storage_hm3: 0.0,
                head_m: 150.0,
            },
            HeadPoint {
                storage_hm3: 2000.0,
                head_m: 50.0,
            },
        ],
    };
    assert!(matches!(
        Cascade::new(two_plant(200.0, 600.0, falling)).unwrap_err(),
        HydroError::InvalidHeadCurve { .. }
    ));
}

#[test]
fn cascade_links_are_checked() {
    let err = Cascade::new(vec![
        HydroPlant::run_of_river("Rogun", 1, 10.0, 0.9, 10.0).with_downstream("Nurak"),
        HydroPlant::run_of_river("Nurek", 2, 10.0, 0.9, 10.0),
    ])
    .unwrap_err();
    assert_eq!(
        err,
        HydroError::UnknownPlant {
            plant: "Rogun".into(),
            field: "downstream",
            unknown: "Nurak".into()
        }
    );
    let err = Cascade::new(vec![
        HydroPlant::run_of_river("X", 9, 10.0, 0.9, 10.0),
        HydroPlant::run_of_river("A", 1, 10.0, 0.9, 10.0).with_downstream("B"),
        HydroPlant::run_of_river("B", 2, 10.0, 0.9, 10.0).with_downstream("C"),
        HydroPlant::run_of_river("C", 3, 10.0, 0.9, 10.0).with_downstream("A"),
    ])
    .unwrap_err();
    assert_eq!(
        err,
        HydroError::Cycle {
            plants: vec!["A".into(), "B".into(), "C".into()]
        }
    );
    let err = Cascade::new(vec![
        HydroPlant::run_of_river("A", 1, 10.0, 0.9, 10.0).with_downstream("A"),
    ])
    .unwrap_err();
    assert_eq!(
        err,
        HydroError::Cycle {
            plants: vec!["A".into()]
        }
    );
    let err = Cascade::new(vec![
        HydroPlant::run_of_river("A", 1, 10.0, 0.9, 10.0),
        HydroPlant::run_of_river("A", 2, 10.0, 0.9, 10.0),
    ])
    .unwrap_err();
    assert!(matches!(
        err,
        HydroError::Duplicate {
            field: "plants",
            ..
        }
    ));
}

#[test]
fn rule_curves_are_checked_against_the_cascade() -> Result<(), HydroError> {
    let cascade = Cascade::new(two_plant(200.0, 600.0, fixed_100m()))?;
    let q = [LateralInflow::new("Upper", vec![100.0; 12])];
    let err = cascade
        .simulate(&q, &RuleCurve::new().with_fraction("Nurek", vec![0.5; 12]))
        .unwrap_err();
    assert!(matches!(
        err,
        HydroError::UnknownPlant {
            field: "rule_curve.plant",
            ..
        }
    ));
    let err = cascade
        .simulate(&q, &RuleCurve::new().with_fraction("Upper", vec![0.5; 13]))
        .unwrap_err();
    assert!(matches!(
        err,
        HydroError::WrongLength {
            field: "rule_curve.end_of_month",
            found: 13,
            ..
        }
    ));
    let err = cascade
        .simulate(&q, &RuleCurve::new().with_fraction("Upper", vec![50.0; 12]))
        .unwrap_err();
    assert!(matches!(
        err,
        HydroError::OutOfRange {
            field: "rule_curve.end_of_month",
            ..
        }
    ));
    let err = cascade
        .simulate(
            &q,
            &RuleCurve::new().with_storage_hm3("Upper", vec![5000.0; 12]),
        )
        .unwrap_err();
    assert!(matches!(
        err,
        HydroError::OutOfRange {
            field: "rule_curve.end_of_month_hm3",
            ..
        }
    ));
    Ok(())
}

/// A policy that returns NaN.
struct Broken;

impl ReleasePolicy for Broken {
    fn release_m3s(&self, _plant: &HydroPlant, _state: &PeriodState) -> f64 {
        f64::NAN
    }
}

#[test]
fn a_broken_policy_is_an_error_not_a_panic() -> Result<(), HydroError> {
    let cascade = Cascade::new(two_plant(200.0, 600.0, fixed_100m()))?;
    let err = cascade.simulate(&[], &Broken).unwrap_err();
    assert!(
        matches!(err, HydroError::PolicyNotFinite { ref plant, month: Month::Jan, .. } if plant == "Upper")
    );
    Ok(())
}
