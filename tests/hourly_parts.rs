//! The hourly study in parts (`HourlyStudy::run_years`, `merge`): the
//! parts of any chunking, merged, equal the one run field for field
//! (`dc_seconds` aside), hourly rows kept in a middle year included; and a
//! merge refuses parts that miss a year, hold one twice or come from
//! another study, naming the scenario and years.

// A chunking is a list of year ranges, some of one range.
#![allow(clippy::single_range_in_vec_init)]

use std::ops::Range;

use landlinked::hourly::{HourlyResults, HourlySettings, HourlyStudy, YearsPart};
use landlinked::seasonal::{Hydrology, Scenario};

const FILE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/grids/central_asia/central_asia.toml"
);

fn study(years: usize, seed: u64) -> HourlyStudy {
    HourlyStudy {
        settings: HourlySettings {
            years,
            seed,
            // keep the hours of a year that a middle part runs
            hourly: Some(("casa +3y".into(), "2".into())),
            ..HourlySettings::default()
        },
    }
}

fn scenarios() -> Vec<Scenario> {
    vec![
        Scenario::new("2022 dry", "2022", Hydrology::Dry),
        Scenario::new("casa +3y", "casa", Hydrology::Normal).with_growth_years(3),
    ]
}

fn parts(study: &HourlyStudy, s: &Scenario, chunks: &[Range<usize>]) -> Vec<YearsPart> {
    chunks
        .iter()
        .map(|r| {
            study
                .run_years(FILE, s, r.clone(), |_| {}, || false)
                .unwrap()
        })
        .collect()
}

fn without_time(mut r: HourlyResults) -> HourlyResults {
    r.dc_seconds = 0.0;
    r
}

#[test]
fn parts_of_any_chunking_merge_into_the_one_run() {
    let study = study(3, 11);
    let s = scenarios();
    let one = study.run(FILE, &s, |_| {}).unwrap();
    assert_eq!(one.balance.len(), 2 * 4 * 12);
    assert_eq!(one.hours.len(), 8760, "the kept year's hours");
    assert!(one.congestion.iter().any(|c| c.hours_binding > 0));
    assert!(!one.duration_curves.is_empty());
    // Year by year, given out of order; and uneven chunks.
    let mut by_year = parts(&study, &s[0], &[3..4, 0..1, 2..3, 1..2]);
    by_year.extend(parts(&study, &s[1], &[1..2, 0..1, 3..4, 2..3]));
    let mut uneven = parts(&study, &s[0], &[0..3, 3..4]);
    uneven.extend(parts(&study, &s[1], &[0..1, 1..4]));
    for (what, p) in [("year by year", by_year), ("uneven", uneven)] {
        let seconds: f64 = p.iter().map(YearsPart::dc_seconds).sum();
        let merged = study.merge(FILE, &s, p).unwrap();
        // the parts' seconds, summed in another order
        assert!(
            (merged.dc_seconds - seconds).abs() <= 1e-12 * seconds,
            "{what}: {} s, the parts {seconds} s",
            merged.dc_seconds
        );
        assert!(
            without_time(merged) == without_time(one.clone()),
            "{what}: the merged parts differ from the one run"
        );
    }
}

#[test]
fn a_merge_names_a_missing_year_a_year_twice_and_a_part_of_another_study() {
    let study = study(2, 11);
    let s = &scenarios()[..1];
    let err = |p: Vec<YearsPart>, st: &HourlyStudy| st.merge(FILE, s, p).unwrap_err().to_string();
    assert_eq!(
        err(parts(&study, &s[0], &[0..1, 2..3]), &study),
        "scenario `2022 dry`: no part holds years 1..2 (of 0..3)"
    );
    assert_eq!(
        err(parts(&study, &s[0], &[0..2, 1..3]), &study),
        "scenario `2022 dry`: years 1..2 are in two parts"
    );
    // The same years with another seed: the fingerprint differs.
    let other = self::study(2, 12);
    let msg = err(parts(&other, &s[0], &[0..3]), &study);
    assert!(
        msg.starts_with("scenario `2022 dry`: the part of years 0..3 was run with other settings"),
        "{msg}"
    );
    // Another scenario's part.
    let stranger = Scenario::new("wet", "2022", Hydrology::Wet);
    let msg = err(parts(&study, &stranger, &[0..3]), &study);
    assert_eq!(msg, "unknown scenario of a part `wet` (known: 2022 dry)");
    // A range outside the scenario's years.
    let e = study.run_years(FILE, &s[0], 1..1, |_| {}, || false);
    assert_eq!(
        e.unwrap_err().to_string(),
        "scenario `2022 dry`: `first` = 1 is invalid: below `end` (1): a part holds at least one year"
    );
}
