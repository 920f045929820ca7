//! Loads shared by the demand tests.

use landlinked::calendar::Month;
use landlinked::demand::{BusShare, HourlyShape, Load, MonthlyProfile};

pub fn rel_close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * b.abs().max(1e-300)
}

pub fn one_bus(bus: u64) -> Vec<BusShare> {
    vec![BusShare { bus, share: 1.0 }]
}

/// A load with every feature on: monthly energy shares, a seasonal daily shape,
/// growth, three buses.
pub fn shaped_load() -> Load {
    let winter: Vec<f64> = (0..24)
        .map(|h| if (17..22).contains(&h) { 1.6 } else { 0.9 })
        .collect();
    let summer: Vec<f64> = (0..24)
        .map(|h| if (12..17).contains(&h) { 1.3 } else { 1.0 })
        .collect();
    Load::flat(
        "Tajikistan",
        14_500.0,
        vec![
            BusShare {
                bus: 10,
                share: 0.15,
            },
            BusShare {
                bus: 20,
                share: 0.22,
            },
            BusShare {
                bus: 30,
                share: 0.63,
            },
        ],
    )
    .with_growth_pct(3.0)
    .with_monthly(MonthlyProfile::EnergyShares {
        shares: vec![
            11.0, 10.0, 9.0, 7.0, 6.0, 6.0, 6.5, 6.5, 6.0, 8.0, 10.0, 11.0,
        ],
    })
    .with_hourly(HourlyShape::Seasonal {
        winter,
        summer,
        winter_months: vec![
            Month::Jan,
            Month::Feb,
            Month::Mar,
            Month::Oct,
            Month::Nov,
            Month::Dec,
        ],
    })
}
