//! Demand: energy conservation, profiles and shapes against hand-computed numbers, and
//! validation of bus shares and series.

use landlinked::calendar::Month;
use landlinked::demand::{BusShare, Demand, DemandError, HourlyShape, Load, MonthlyProfile};

mod common;
use common::demand::{one_bus, rel_close, shaped_load};
#[test]
fn hourly_loads_sum_to_the_annual_energy() -> Result<(), DemandError> {
    let demand = Demand::new(vec![shaped_load()])?;
    for year in [0u32, 5] {
        // 14,500 GWh · 1.03^y, in MWh.
        let annual_mwh = 14_500.0 * 1.03f64.powi(year as i32) * 1000.0;
        let mut total_mwh = 0.0;
        let mut bus30_mwh = 0.0;
        for hour in 0..8760 {
            for b in demand.bus_loads_mw(hour, year)? {
                total_mwh += b.load_mw; // one hour: MW = MWh
                if b.bus == 30 {
                    bus30_mwh += b.load_mw;
                }
            }
        }
        assert!(
            rel_close(total_mwh, annual_mwh, 1e-9),
            "{total_mwh} vs {annual_mwh}"
        );
        assert!(rel_close(bus30_mwh, 0.63 * annual_mwh, 1e-9));
        let hourly: f64 = demand.hourly_total_mw(year).iter().sum();
        assert!(rel_close(hourly, annual_mwh, 1e-9));
        let monthly_gwh: f64 = demand
            .monthly_energy_gwh(year)
            .iter()
            .map(|m| m.energy_gwh)
            .sum();
        assert!(rel_close(monthly_gwh * 1000.0, annual_mwh, 1e-12));
        assert!(rel_close(
            demand.annual_energy_gwh(year) * 1000.0,
            annual_mwh,
            1e-12
        ));
    }
    Ok(())
}

#[test]
fn each_month_gets_its_share_hour_by_hour() -> Result<(), DemandError> {
    let demand = Demand::new(vec![shaped_load()])?;
    let monthly = demand.monthly_energy_gwh(0);
    // Shares sum to 97; January holds 11/97 of 14,500 GWh = 1644.329... GWh.
    assert_eq!(monthly[0].month, Month::Jan);
    assert!(rel_close(
        monthly[0].energy_gwh,
        14_500.0 * 11.0 / 97.0,
        1e-12
    ));
    let hourly = demand.hourly_total_mw(0);
    for m in &monthly {
        let first = m.month.first_hour();
        let sum: f64 = hourly[first..first + m.month.hours() as usize].iter().sum();
        assert!(rel_close(sum, m.energy_gwh * 1000.0, 1e-12), "{}", m.month);
    }
    Ok(())
}

#[test]
fn daily_shape_by_hand() -> Result<(), DemandError> {
    // 8,760 GWh flat over months = 1,000 MW mean. Night hours 0–11 at factor 0.5, day
    // hours 12–23 at 1.5: the mean is 1, so 500 MW at night and 1,500 MW by day.
    let factors: Vec<f64> = (0..24).map(|h| if h < 12 { 0.5 } else { 1.5 }).collect();
    let load = Load::flat("A", 8760.0, one_bus(1)).with_hourly(HourlyShape::Daily { factors });
    let demand = Demand::new(vec![load])?;
    assert!(rel_close(demand.load_mw("A", 0, 0)?, 500.0, 1e-12));
    assert!(rel_close(demand.load_mw("A", 12, 0)?, 1500.0, 1e-12));
    // 1 March 13:00 is hour (31 + 28) · 24 + 13 = 1429.
    assert!(rel_close(demand.load_mw("A", 1429, 0)?, 1500.0, 1e-12));
    assert!(rel_close(demand.load_mw("A", 8759, 0)?, 1500.0, 1e-12));
    // The shape is relative: doubling every factor changes nothing.
    let doubled: Vec<f64> = (0..24).map(|h| if h < 12 { 1.0 } else { 3.0 }).collect();
    let d2 = Demand::new(vec![
        Load::flat("A", 8760.0, one_bus(1)).with_hourly(HourlyShape::Daily { factors: doubled }),
    ])?;
    assert!(rel_close(d2.load_mw("A", 0, 0)?, 500.0, 1e-12));
    Ok(())
}

#[test]
fn energy_shares_and_power_factors_by_hand() -> Result<(), DemandError> {
    // Energy shares: January 2, the rest 1 (sum 13). January gets 8760 · 2/13 GWh
    // = 1347.692... GWh over 744 h = 1,811.414... MW (8,760,000 · 2 / 13 / 744).
    let mut shares = vec![1.0; 12];
    shares[0] = 2.0;
    let d = Demand::new(vec![Load::flat("A", 8760.0, one_bus(1)).with_monthly(
        MonthlyProfile::EnergyShares {
            shares: shares.clone(),
        },
    )])?;
    assert!(rel_close(
        d.load_mw("A", 0, 0)?,
        8_760_000.0 * 2.0 / 13.0 / 744.0,
        1e-12
    ));
    // Power factors: January 2, the rest 1. Weights factor · hours: 1488 + 8016 = 9504.
    // January MW = 8,760,000 · 1488/9504 / 744 = 1,843.434... MW; other months
    // 8,760,000 / 9504 = 921.717... MW: exactly half.
    let d = Demand::new(vec![
        Load::flat("A", 8760.0, one_bus(1))
            .with_monthly(MonthlyProfile::PowerFactors { factors: shares }),
    ])?;
    let jan = d.load_mw("A", 0, 0)?;
    let feb = d.load_mw("A", 800, 0)?;
    assert!(rel_close(jan, 8_760_000.0 * 2.0 / 9504.0, 1e-12));
    assert!(rel_close(feb, 8_760_000.0 / 9504.0, 1e-12));
    // Flat profile: 1000 MW all year; February holds 672 GWh.
    let d = Demand::new(vec![Load::flat("A", 8760.0, one_bus(1))])?;
    assert!(rel_close(
        d.monthly_energy_gwh(0)[1].energy_gwh,
        672.0,
        1e-12
    ));
    Ok(())
}

#[test]
fn growth_compounds_per_year() -> Result<(), DemandError> {
    // 1000 GWh at 5 %/yr: year 2 = 1000 · 1.05² = 1102.5 GWh; flat → 1102.5e3 / 8760 MW.
    let d = Demand::new(vec![
        Load::flat("A", 1000.0, one_bus(1)).with_growth_pct(5.0),
    ])?;
    assert!(rel_close(d.annual_energy_gwh(2), 1102.5, 1e-12));
    assert!(rel_close(
        d.load_mw("A", 4000, 2)?,
        1_102_500.0 / 8760.0,
        1e-12
    ));
    // Negative growth is allowed above −100 %/yr.
    let d = Demand::new(vec![
        Load::flat("A", 1000.0, one_bus(1)).with_growth_pct(-10.0),
    ])?;
    assert!(rel_close(d.annual_energy_gwh(1), 900.0, 1e-12));
    Ok(())
}

#[test]
fn loads_sharing_a_bus_add_up_in_bus_order() -> Result<(), DemandError> {
    // National load 8760 GWh (1000 MW) split 0.7 at bus 5 and 0.3 at bus 2; TALCO
    // 2628 GWh flat (300 MW) at bus 5: bus 2 = 300 MW, bus 5 = 700 + 300 = 1000 MW.
    let d = Demand::new(vec![
        Load::flat(
            "National",
            8760.0,
            vec![
                BusShare { bus: 5, share: 0.7 },
                BusShare { bus: 2, share: 0.3 },
            ],
        ),
        Load::flat("TALCO", 2628.0, one_bus(5)),
    ])?;
    let b = d.bus_loads_mw(3000, 0)?;
    assert_eq!(b.len(), 2);
    assert_eq!((b[0].bus, b[1].bus), (2, 5));
    assert!(rel_close(b[0].load_mw, 300.0, 1e-12));
    assert!(rel_close(b[1].load_mw, 1000.0, 1e-12));
    Ok(())
}

#[test]
fn shares_must_sum_to_one() {
    let err = Demand::new(vec![Load::flat(
        "Sughd",
        3000.0,
        vec![
            BusShare { bus: 1, share: 0.5 },
            BusShare { bus: 2, share: 0.4 },
        ],
    )])
    .unwrap_err();
    match err {
        DemandError::SharesDoNotSumToOne { load, sum } => {
            assert_eq!(load, "Sughd");
            assert!(rel_close(sum, 0.9, 1e-12));
        }
        other => panic!("unexpected error {other:?}"),
    }
    // 0.1 + 0.2 + 0.7 is 1 up to rounding: accepted.
    let ok = Load::flat(
        "A",
        1.0,
        vec![
            BusShare { bus: 1, share: 0.1 },
            BusShare { bus: 2, share: 0.2 },
            BusShare { bus: 3, share: 0.7 },
        ],
    );
    assert_eq!(ok.validate(), Ok(()));
    let neg = Load::flat(
        "A",
        1.0,
        vec![
            BusShare { bus: 1, share: 1.5 },
            BusShare {
                bus: 2,
                share: -0.5,
            },
        ],
    );
    assert!(matches!(
        neg.validate(),
        Err(DemandError::Negative {
            field: "buses.share",
            ..
        })
    ));
    let dup = Load::flat(
        "A",
        1.0,
        vec![
            BusShare { bus: 1, share: 0.5 },
            BusShare { bus: 1, share: 0.5 },
        ],
    );
    assert_eq!(
        dup.validate(),
        Err(DemandError::DuplicateBus {
            load: "A".into(),
            bus: 1
        })
    );
    let none = Load::flat("A", 1.0, vec![]);
    assert_eq!(
        none.validate(),
        Err(DemandError::NoBuses { load: "A".into() })
    );
}

#[test]
fn bad_series_and_numbers_are_named() {
    let l = Load::flat("A", 1.0, one_bus(1)).with_monthly(MonthlyProfile::EnergyShares {
        shares: vec![1.0; 11],
    });
    assert_eq!(
        l.validate(),
        Err(DemandError::WrongLength {
            load: "A".into(),
            field: "monthly.shares",
            expected: 12,
            found: 11
        })
    );
    let l = Load::flat("A", 1.0, one_bus(1)).with_hourly(HourlyShape::Daily {
        factors: vec![1.0; 23],
    });
    assert!(matches!(
        l.validate(),
        Err(DemandError::WrongLength {
            field: "hourly.factors",
            found: 23,
            ..
        })
    ));
    let l = Load::flat("A", 1.0, one_bus(1)).with_hourly(HourlyShape::Monthly {
        factors: vec![vec![1.0; 24]; 11],
    });
    assert!(matches!(
        l.validate(),
        Err(DemandError::WrongLength {
            field: "hourly.factors",
            found: 11,
            ..
        })
    ));
    let l = Load::flat("A", f64::NAN, one_bus(1));
    assert!(matches!(
        l.validate(),
        Err(DemandError::NotFinite {
            field: "annual_energy_gwh",
            ..
        })
    ));
    let l = Load::flat("A", -5.0, one_bus(1));
    assert!(matches!(
        l.validate(),
        Err(DemandError::Negative {
            field: "annual_energy_gwh",
            ..
        })
    ));
    let l = Load::flat("A", 1.0, one_bus(1)).with_growth_pct(-100.0);
    assert!(matches!(
        l.validate(),
        Err(DemandError::OutOfRange {
            field: "growth_pct_per_year",
            ..
        })
    ));
    let l = Load::flat("A", 1.0, one_bus(1)).with_monthly(MonthlyProfile::PowerFactors {
        factors: vec![0.0; 12],
    });
    assert_eq!(
        l.validate(),
        Err(DemandError::ZeroProfile {
            load: "A".into(),
            field: "monthly"
        })
    );
    let l = Load::flat("A", 1.0, one_bus(1)).with_hourly(HourlyShape::Seasonal {
        winter: vec![1.0; 24],
        summer: vec![f64::INFINITY; 24],
        winter_months: vec![],
    });
    assert!(matches!(
        l.validate(),
        Err(DemandError::NotFinite {
            field: "hourly.summer",
            ..
        })
    ));
}

#[test]
fn queries_outside_the_year_or_the_loads_are_errors() -> Result<(), DemandError> {
    let d = Demand::new(vec![Load::flat("A", 1.0, one_bus(1))])?;
    assert_eq!(
        d.bus_loads_mw(8760, 0),
        Err(DemandError::HourOutOfRange { hour: 8760 })
    );
    assert_eq!(
        d.load_mw("B", 0, 0),
        Err(DemandError::UnknownLoad { load: "B".into() })
    );
    let a = Load::flat("A", 1.0, one_bus(1));
    assert_eq!(
        Demand::new(vec![a.clone(), a]),
        Err(DemandError::DuplicateLoad { load: "A".into() })
    );
    Ok(())
}

#[test]
fn loads_deserialise_from_toml() -> Result<(), Box<dyn std::error::Error>> {
    let text = r#"
        name = "TALCO"
        annual_energy_gwh = 2628.0
        buses = [{ bus = 7, share = 1.0 }]
        [monthly]
        type = "power_factors"
        factors = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]
    "#;
    let load: Load = toml::from_str(text)?;
    let d = Demand::new(vec![load])?;
    // 2628 GWh flat = 300 MW.
    assert!(rel_close(d.load_mw("TALCO", 100, 0)?, 300.0, 1e-12));
    assert_eq!(d.loads()[0].hourly, HourlyShape::Flat);
    Ok(())
}
