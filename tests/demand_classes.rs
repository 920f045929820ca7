//! Demand over the hourly year: weekly patterns, load classes, the growth
//! override, and profiles in grid files. (Energy conservation, shapes and
//! bus shares are in tests/demand.rs.)

use landlinked::calendar::Month;
use landlinked::demand::{Demand, DemandError, HourlyShape, Load};

use landlinked::calendar::{self, DayType, Weekday};
use landlinked::demand::{LoadClass, WeeklyPattern};

mod common;
use common::demand::{one_bus, rel_close, shaped_load};

use landlinked::io::grid;

/// Every month of `hourly` (8,760 MW values) holds the energy that
/// `monthly_energy_gwh` gives load `i`, to 1e-9 relative.
fn assert_months_kept(d: &Demand, i: usize, year: u32, hourly: &[f64]) {
    assert_eq!(hourly.len(), 8760);
    let energies = d.monthly_energy_gwh(year);
    for month in Month::ALL {
        let first = month.first_hour();
        let gwh: f64 = hourly[first..first + month.hours() as usize]
            .iter()
            .sum::<f64>()
            / 1000.0;
        let want = energies[12 * i + month.index()].energy_gwh;
        assert!(
            (gwh - want).abs() <= 1e-9 * want.abs().max(1e-12),
            "load {i}, {month}: {gwh} GWh from the hours, {want} GWh expected"
        );
    }
}

/// A load with every weekly feature on: a 12 × 24 weekday shape, its own weekend
/// shape, a weekend factor and a Friday-only weekend.
fn weekly_load() -> Load {
    let rows = (0..12)
        .map(|m| {
            (0..24)
                .map(|h| 1.0 + 0.1 * m as f64 + 0.03 * h as f64)
                .collect()
        })
        .collect();
    let mut l = Load::flat("Weekly", 5000.0, one_bus(4))
        .with_class(LoadClass::Residential)
        .with_hourly(HourlyShape::Monthly { factors: rows });
    l.weekly = WeeklyPattern {
        weekend_factor: 0.7,
        weekend_hourly: Some(HourlyShape::Daily {
            factors: (0..24).map(|h| if h < 12 { 2.0 } else { 1.0 }).collect(),
        }),
        weekend_days: vec![Weekday::Fri],
    };
    l
}

#[test]
fn monthly_energy_is_kept_for_every_class_and_weekly_pattern() -> Result<(), DemandError> {
    let mut loads: Vec<Load> = LoadClass::ALL
        .iter()
        .map(|&c| {
            Load::flat(c.name(), 1234.5, one_bus(1))
                .with_class(c)
                .with_growth_pct(2.5)
        })
        .collect();
    loads.push(weekly_load());
    loads.push(shaped_load());
    for first in Weekday::ALL {
        let d = Demand::new(loads.clone())?.with_first_weekday(first);
        for year in [0, 7] {
            for (i, load) in loads.iter().enumerate() {
                let hourly = d.hourly_mw(i, year);
                assert_months_kept(&d, i, year, &hourly);
                assert!(hourly.iter().all(|v| v.is_finite() && *v >= 0.0));
                // The single-hour query agrees with the fast path.
                for hour in [0, 31, 744 + 100, 4000, 8759] {
                    let one = d.load_mw(&load.name, hour, year)?;
                    assert!(rel_close(one, hourly[hour], 1e-12), "{first} {i} {hour}");
                }
            }
        }
    }
    Ok(())
}

#[test]
fn weekend_hours_differ_from_weekdays_as_set() -> Result<(), DemandError> {
    let l =
        Load::flat("A", 8760.0, one_bus(1)).with_weekly(WeeklyPattern::with_weekend_factor(0.8));
    let d = Demand::new(vec![l])?;
    assert_eq!(d.first_weekday(), calendar::FIRST_WEEKDAY);
    let mw = d.hourly_mw(0, 0);
    // Flat day: every weekend hour is 0.8 × every weekday hour of the same month.
    for month in Month::ALL {
        let first = month.first_hour();
        let (mut weekday, mut weekend) = (None, None);
        let hours = first..first + month.hours() as usize;
        for (hour, &value) in hours.clone().zip(&mw[hours]) {
            let slot = match calendar::day_type(hour, Weekday::Sat) {
                DayType::Weekday => &mut weekday,
                DayType::Weekend => &mut weekend,
            };
            let v = *slot.get_or_insert(value);
            assert!(rel_close(value, v, 1e-12));
        }
        let (wd, we) = (weekday.unwrap(), weekend.unwrap());
        assert!(rel_close(we, 0.8 * wd, 1e-12), "{month}");
    }
    // 1 January 2022 is a Saturday: hour 0 is at the weekend level.
    assert!(mw[0] < mw[2 * 24]);

    // A Friday weekend with its own shape: the second day (Sunday) is a weekday,
    // the seventh (Friday) follows the weekend shape at 0.7 × the weekday level.
    let d = Demand::new(vec![weekly_load()])?;
    let mw = d.hourly_mw(0, 0);
    let friday = &mw[6 * 24..7 * 24];
    let sunday = &mw[24..48];
    assert!(rel_close(friday[0], 2.0 * friday[23], 1e-12));
    assert!(sunday[23] > sunday[0]);
    let mean = |s: &[f64]| s.iter().sum::<f64>() / 24.0;
    let weekday_mean = mean(sunday);
    assert!(rel_close(mean(friday), 0.7 * weekday_mean, 1e-12));
    Ok(())
}

#[test]
fn class_defaults_have_their_shapes() -> Result<(), DemandError> {
    let loads: Vec<Load> = LoadClass::ALL
        .iter()
        .map(|&c| Load::flat(c.name(), 1000.0, one_bus(1)).with_class(c))
        .collect();
    let d = Demand::new(loads)?;
    let (home, industry, pumps) = (d.hourly_mw(0, 0), d.hourly_mw(1, 0), d.hourly_mw(2, 0));
    // Irrigation: nothing from November to February, most in July.
    for month in [Month::Jan, Month::Feb, Month::Nov, Month::Dec] {
        let first = month.first_hour();
        assert!(
            pumps[first..first + month.hours() as usize]
                .iter()
                .all(|&v| v == 0.0)
        );
    }
    let july = pumps[Month::Jul.first_hour()];
    assert!(july > 0.0 && pumps.iter().all(|&v| v <= july * (1.0 + 1e-12)));
    // Industrial: flat all year.
    assert!(industry.iter().all(|&v| rel_close(v, 1000.0 / 8.76, 1e-12)));
    // Residential: evening above night, January above June, Sunday above Monday.
    assert!(home[19] > 1.5 * home[3]);
    assert!(home[Month::Jan.first_hour() + 12] > home[Month::Jun.first_hour() + 12]);
    assert!(rel_close(home[24 + 10], 1.05 * home[48 + 10], 1e-12));
    Ok(())
}

#[test]
fn scenario_growth_replaces_each_loads_own() -> Result<(), DemandError> {
    let loads = vec![
        Load::flat("A", 100.0, one_bus(1)).with_growth_pct(2.0),
        Load::flat("B", 200.0, one_bus(2)).with_growth_pct(-1.0),
    ];
    let own = Demand::new(loads.clone())?;
    assert_eq!(own.clone().with_growth(None)?, own);
    let grown = own.clone().with_growth(Some(5.0))?;
    assert!(rel_close(
        grown.annual_energy_gwh(3),
        300.0 * 1.05f64.powi(3),
        1e-12
    ));
    assert!(rel_close(
        grown.hourly_mw(1, 3).iter().sum::<f64>(),
        200_000.0 * 1.05f64.powi(3),
        1e-9
    ));
    assert!(rel_close(
        grown.annual_energy_gwh(0),
        own.annual_energy_gwh(0),
        1e-15
    ));
    assert!(rel_close(own.annual_energy_gwh(1), 102.0 + 198.0, 1e-12));
    for bad in [-100.0, -250.0, f64::NAN, f64::INFINITY] {
        assert!(matches!(
            own.clone().with_growth(Some(bad)),
            Err(DemandError::GrowthOutOfRange { .. })
        ));
    }
    assert!(own.clone().with_growth(Some(-99.0)).is_ok());
    Ok(())
}

#[test]
fn bad_weekly_patterns_are_named() {
    let mut l = Load::flat("W", 1.0, one_bus(1));
    l.weekly.weekend_factor = f64::NAN;
    assert!(matches!(
        l.validate(),
        Err(DemandError::NotFinite {
            field: "weekly.weekend_factor",
            ..
        })
    ));
    l.weekly.weekend_factor = -0.5;
    assert!(matches!(
        l.validate(),
        Err(DemandError::Negative {
            field: "weekly.weekend_factor",
            ..
        })
    ));
    l.weekly.weekend_factor = 1.0;
    l.weekly.weekend_days = Weekday::ALL.to_vec();
    assert!(matches!(
        l.validate(),
        Err(DemandError::OutOfRange {
            field: "weekly.weekend_days",
            ..
        })
    ));
    l.weekly.weekend_days = vec![Weekday::Sun];
    l.weekly.weekend_hourly = Some(HourlyShape::Daily {
        factors: vec![0.0; 24],
    });
    assert_eq!(
        l.validate(),
        Err(DemandError::ZeroProfile {
            load: "W".into(),
            field: "weekly.weekend_hourly.factors"
        })
    );
}

#[test]
fn central_asia_gives_8760_finite_hours_per_load() -> Result<(), landlinked::Error> {
    let g = grid::read("grids/central_asia/central_asia.toml")?;
    let d = g.demand();
    assert!(!d.loads().is_empty());
    for year in [0, 8] {
        for (i, l) in d.loads().iter().enumerate() {
            let mw = d.hourly_mw(i, year);
            assert_eq!(mw.len(), 8760, "{}", l.name);
            assert!(mw.iter().all(|v| v.is_finite() && *v >= 0.0), "{}", l.name);
            assert_months_kept(d, i, year, &mw);
        }
        let total = d.hourly_total_mw(year);
        let buses = d.bus_hourly_mw(year);
        for hour in [0, 1000, 5000, 8759] {
            let by_bus: f64 = buses.iter().map(|b| b.load_mw[hour]).sum();
            assert!(rel_close(by_bus, total[hour], 1e-12));
        }
    }
    Ok(())
}

/// A one-bus grid with `loads` (TOML `[[load]]` records) after it.
fn one_bus_grid(loads: &str) -> String {
    format!(
        "[grid]\nname = \"hourly\"\nbase_mva = 100.0\n\n[[bus]]\nid = 1\nname = \"A\"\n\
         country = \"TJ\"\nzone = \"Z\"\nkv = 220.0\nslack = true\n\n{loads}"
    )
}

fn build_err(loads: &str) -> String {
    match grid::parse_str(&one_bus_grid(loads), "hourly.toml").and_then(|d| d.build(None, &[])) {
        Ok(_) => panic!("accepted: {loads}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn bad_profiles_in_a_grid_file_name_the_load_and_field() {
    let load = |extra: &str| {
        format!(
            "[[load]]\nname = \"Homes\"\nannual_gwh = 100.0\nclass = \"residential\"\n\
             buses = [{{ bus = \"A\", share = 1.0 }}]\n{extra}\n"
        )
    };
    let ones = |n: usize| vec!["1.0"; n].join(", ");
    let cases = [
        (format!("daily_profile = [{}]", ones(23)), "daily_profile"),
        (
            format!("daily_profile = [{}, -1.0]", ones(23)),
            "daily_profile",
        ),
        (
            format!("daily_profile = [{}, nan]", ones(23)),
            "daily_profile",
        ),
        (
            format!("daily_profile = [{}]", vec!["0.0"; 24].join(", ")),
            "daily_profile",
        ),
        (
            format!(
                "daily_profile = [{}]",
                vec![format!("[{}]", ones(24)); 11].join(", ")
            ),
            "daily_profile",
        ),
        (
            format!(
                "daily_profile = [{}, [{}]]",
                vec![format!("[{}]", ones(24)); 11].join(", "),
                ones(25)
            ),
            "daily_profile` row `Dec",
        ),
        (
            format!("weekend_profile = [{}]", ones(2)),
            "weekend_profile",
        ),
        ("weekend_factor = -0.1".to_string(), "weekend_factor"),
        (
            "weekend_days = [\"Mon\", \"Tue\", \"Wed\", \"Thu\", \"Fri\", \"Sat\", \"Sun\"]"
                .to_string(),
            "weekend_days",
        ),
        // Serde names the value and the load, not the key.
        (
            "class = \"commercial\"".to_string(),
            "unknown variant `commercial`",
        ),
    ];
    for (extra, field) in cases {
        // `class` given twice would be a TOML error of its own: replace it.
        let text = if extra.starts_with("class") {
            load("").replace("class = \"residential\"", &extra)
        } else {
            load(&extra)
        };
        let err = build_err(&text);
        assert!(err.contains(field), "{extra}: {err}");
        assert!(err.contains("Homes"), "{extra}: {err}");
    }
}

#[test]
fn grids_with_classes_and_profiles_round_trip() -> Result<(), Box<dyn std::error::Error>> {
    let day: Vec<String> = (0..24).map(|h| format!("{}.5", h % 5)).collect();
    let day = day.join(", ");
    let by_month = vec![format!("[{day}]"); 12].join(", ");
    let loads = format!(
        r#"
[[load]]
name = "Homes"
annual_gwh = 900.0
class = "residential"
buses = [{{ bus = "A", share = 1.0 }}]
profile_source = "E: class defaults"

[[load]]
name = "Smelter"
annual_gwh = 2555.0
class = "industrial"
weekend_factor = 1.0
buses = [{{ bus = 1, share = 1.0 }}]

[[load]]
name = "Pumps"
annual_gwh = 300.0
growth_pct_per_year = 1.5
class = "irrigation"
daily_profile = [{day}]
weekend_factor = 0.9
buses = [{{ bus = "A", share = 1.0 }}]

[[load]]
name = "Town"
annual_gwh = 120.0
monthly_power_factors = [1.2, 1.1, 1.0, 1.0, 0.9, 0.9, 0.9, 0.9, 1.0, 1.0, 1.1, 1.2]
daily_profile = [{by_month}]
weekend_profile = [{day}]
weekend_factor = 1.1
weekend_days = ["Fri"]
buses = [{{ bus = "A", share = 1.0 }}]
"#
    );
    let g = grid::parse_str(&one_bus_grid(&loads), "hourly.toml")?.build(None, &[])?;
    let d = g.demand();
    assert_eq!(d.loads()[0].class, Some(LoadClass::Residential));
    assert_eq!(d.loads()[0].hourly, LoadClass::Residential.hourly());
    assert_eq!(d.loads()[2].monthly, LoadClass::Irrigation.monthly());
    assert!(matches!(d.loads()[2].hourly, HourlyShape::Daily { .. }));
    assert!(matches!(d.loads()[3].hourly, HourlyShape::Monthly { .. }));
    assert_eq!(d.loads()[3].weekly.weekend_days, [Weekday::Fri]);
    for i in 0..4 {
        assert_months_kept(d, i, 2, &d.hourly_mw(i, 2));
    }

    let text = grid::to_toml_string(&g)?;
    assert!(text.contains("class = \"irrigation\""), "{text}");
    let back = grid::parse_str(&text, "written.toml")?.build(None, &[])?;
    assert_eq!(back, g);
    let path = std::env::temp_dir().join(format!("landlinked-hourly-{}.toml", std::process::id()));
    grid::write(&g, &path)?;
    let read = grid::read(&path);
    std::fs::remove_file(&path)?;
    assert_eq!(read?, g);
    Ok(())
}
