//! The model year: twelve months of a 365-day (8,760-hour) year, shared by
//! the hydro, demand, regional and study layers. Leap days are ignored. Days of
//! the week ([`Weekday`], [`day_type`]) count from a given first weekday, by
//! default [`FIRST_WEEKDAY`] (Saturday, as 1 January 2022).
//!
//! ```
//! use landlinked::calendar::{Month, HOURS_PER_YEAR};
//! let hours: f64 = Month::ALL.iter().map(|m| m.hours()).sum();
//! assert_eq!(hours as usize, HOURS_PER_YEAR);
//! ```

use serde::{Deserialize, Serialize};

/// Hours in each month of a 365-day year, January first. They sum to 8,760.
///
/// ```
/// use landlinked::calendar::MONTH_HOURS;
/// assert_eq!(MONTH_HOURS.iter().sum::<f64>(), 8760.0);
/// assert_eq!(MONTH_HOURS[1], 672.0); // February: 28 days
/// ```
pub const MONTH_HOURS: [f64; 12] = [
    744.0, 672.0, 744.0, 720.0, 744.0, 720.0, 744.0, 744.0, 720.0, 744.0, 720.0, 744.0,
];

/// Hours in the modelled year (365 days).
///
/// ```
/// assert_eq!(landlinked::calendar::HOURS_PER_YEAR, 8760);
/// ```
pub const HOURS_PER_YEAR: usize = 8760;

/// A calendar month; serialised as its three-letter English name (`"Jan"`, `"Feb"`, ...).
///
/// ```
/// use landlinked::calendar::Month;
/// assert_eq!(Month::Feb.index(), 1);
/// assert_eq!(Month::Feb.hours(), 672.0);
/// assert_eq!(Month::from_hour_of_year(744), Some(Month::Feb));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Month {
    /// January (31 days).
    Jan,
    /// February (28 days).
    Feb,
    /// March (31 days).
    Mar,
    /// April (30 days).
    Apr,
    /// May (31 days).
    May,
    /// June (30 days).
    Jun,
    /// July (31 days).
    Jul,
    /// August (31 days).
    Aug,
    /// September (30 days).
    Sep,
    /// October (31 days).
    Oct,
    /// November (30 days).
    Nov,
    /// December (31 days).
    Dec,
}

impl Month {
    /// The twelve months in calendar order.
    ///
    /// ```
    /// use landlinked::calendar::Month;
    /// assert_eq!(Month::ALL.len(), 12);
    /// assert_eq!(Month::ALL[11], Month::Dec);
    /// ```
    pub const ALL: [Month; 12] = [
        Month::Jan,
        Month::Feb,
        Month::Mar,
        Month::Apr,
        Month::May,
        Month::Jun,
        Month::Jul,
        Month::Aug,
        Month::Sep,
        Month::Oct,
        Month::Nov,
        Month::Dec,
    ];

    /// Zero-based position in the year (January is 0).
    ///
    /// ```
    /// assert_eq!(landlinked::calendar::Month::Dec.index(), 11);
    /// ```
    pub fn index(self) -> usize {
        self as usize
    }

    /// Duration of the month in hours (365-day year).
    ///
    /// ```
    /// assert_eq!(landlinked::calendar::Month::Apr.hours(), 720.0);
    /// ```
    pub fn hours(self) -> f64 {
        MONTH_HOURS[self.index()]
    }

    /// The month containing hour `hour` of the year (0-based, 0..8760); `None` past the end.
    ///
    /// ```
    /// use landlinked::calendar::Month;
    /// assert_eq!(Month::from_hour_of_year(0), Some(Month::Jan));
    /// assert_eq!(Month::from_hour_of_year(8759), Some(Month::Dec));
    /// assert_eq!(Month::from_hour_of_year(8760), None);
    /// ```
    pub fn from_hour_of_year(hour: usize) -> Option<Month> {
        let mut start = 0usize;
        for month in Month::ALL {
            // Month lengths are whole hours, so the cast is exact.
            let end = start + month.hours() as usize;
            if hour < end {
                return Some(month);
            }
            start = end;
        }
        None
    }

    /// First hour of the month within the year (0-based).
    ///
    /// ```
    /// use landlinked::calendar::Month;
    /// assert_eq!(Month::Jan.first_hour(), 0);
    /// assert_eq!(Month::Mar.first_hour(), 744 + 672);
    /// ```
    pub fn first_hour(self) -> usize {
        MONTH_HOURS[..self.index()]
            .iter()
            .map(|&h| h as usize)
            .sum()
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}

/// A day of the week; serialised as its three-letter English name (`"Mon"`, ...).
///
/// ```
/// use landlinked::calendar::Weekday;
/// assert_eq!(Weekday::Sat.index(), 5);
/// assert_eq!(Weekday::Sat.plus_days(2), Weekday::Mon);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Weekday {
    /// Monday.
    Mon,
    /// Tuesday.
    Tue,
    /// Wednesday.
    Wed,
    /// Thursday.
    Thu,
    /// Friday.
    Fri,
    /// Saturday.
    Sat,
    /// Sunday.
    Sun,
}

impl Weekday {
    /// The seven days, Monday first.
    ///
    /// ```
    /// use landlinked::calendar::Weekday;
    /// assert_eq!(Weekday::ALL[6], Weekday::Sun);
    /// ```
    pub const ALL: [Weekday; 7] = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ];

    /// Zero-based position in the week (Monday is 0).
    ///
    /// ```
    /// assert_eq!(landlinked::calendar::Weekday::Sun.index(), 6);
    /// ```
    pub fn index(self) -> usize {
        self as usize
    }

    /// The day `days` days later.
    ///
    /// ```
    /// use landlinked::calendar::Weekday;
    /// assert_eq!(Weekday::Sun.plus_days(1), Weekday::Mon);
    /// assert_eq!(Weekday::Wed.plus_days(14), Weekday::Wed);
    /// ```
    pub fn plus_days(self, days: usize) -> Weekday {
        Weekday::ALL[(self.index() + days % 7) % 7]
    }
}

impl std::fmt::Display for Weekday {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}

/// The weekday of 1 January of the model year, unless a caller gives another:
/// Saturday, as 1 January 2022, the calibration year of the bundled Central Asia
/// grid. The model year repeats unchanged for every year offset (its calendar does
/// not shift from one year to the next).
///
/// ```
/// use landlinked::calendar::{FIRST_WEEKDAY, Weekday};
/// assert_eq!(FIRST_WEEKDAY, Weekday::Sat);
/// ```
pub const FIRST_WEEKDAY: Weekday = Weekday::Sat;

/// The days counted as weekend unless a load says otherwise: Saturday and Sunday
/// (the rest days in Tajikistan, Uzbekistan and Kyrgyzstan).
///
/// ```
/// use landlinked::calendar::{DEFAULT_WEEKEND, Weekday};
/// assert_eq!(DEFAULT_WEEKEND, [Weekday::Sat, Weekday::Sun]);
/// ```
pub const DEFAULT_WEEKEND: [Weekday; 2] = [Weekday::Sat, Weekday::Sun];

/// Working day or rest day.
///
/// ```
/// use landlinked::calendar::{day_type, DayType, Weekday};
/// assert_eq!(day_type(0, Weekday::Sat), DayType::Weekend);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DayType {
    /// A working day.
    Weekday,
    /// A rest day.
    Weekend,
}

/// The day of the year (0-based) holding hour `hour` (0-based).
///
/// ```
/// assert_eq!(landlinked::calendar::day_of_year(47), 1);
/// ```
pub fn day_of_year(hour: usize) -> usize {
    hour / 24
}

/// The weekday of hour `hour` of a model year whose 1 January is `first_weekday`.
///
/// ```
/// use landlinked::calendar::{weekday, Weekday};
/// assert_eq!(weekday(0, Weekday::Sat), Weekday::Sat);
/// assert_eq!(weekday(2 * 24, Weekday::Sat), Weekday::Mon);
/// assert_eq!(weekday(8759, Weekday::Sat), Weekday::Sat); // 365 days = 52 weeks + 1
/// ```
pub fn weekday(hour: usize, first_weekday: Weekday) -> Weekday {
    first_weekday.plus_days(day_of_year(hour))
}

/// Weekday or weekend for hour `hour`, with Saturday and Sunday as weekend
/// ([`DEFAULT_WEEKEND`]); see [`day_type_with`] for another weekend.
///
/// ```
/// use landlinked::calendar::{day_type, DayType, Weekday};
/// assert_eq!(day_type(24, Weekday::Sat), DayType::Weekend); // Sunday 2 January
/// assert_eq!(day_type(48, Weekday::Sat), DayType::Weekday); // Monday 3 January
/// ```
pub fn day_type(hour: usize, first_weekday: Weekday) -> DayType {
    day_type_with(hour, first_weekday, &DEFAULT_WEEKEND)
}

/// Weekday or weekend for hour `hour`, with the days `weekend` as weekend.
///
/// ```
/// use landlinked::calendar::{day_type_with, DayType, Weekday};
/// let friday = [Weekday::Fri];
/// assert_eq!(day_type_with(6 * 24, Weekday::Sat, &friday), DayType::Weekend);
/// assert_eq!(day_type_with(0, Weekday::Sat, &friday), DayType::Weekday);
/// ```
pub fn day_type_with(hour: usize, first_weekday: Weekday, weekend: &[Weekday]) -> DayType {
    if weekend.contains(&weekday(hour, first_weekday)) {
        DayType::Weekend
    } else {
        DayType::Weekday
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_hour_falls_in_the_month_that_starts_before_it() {
        for month in Month::ALL {
            let first = month.first_hour();
            let last = first + month.hours() as usize - 1;
            assert_eq!(Month::from_hour_of_year(first), Some(month));
            assert_eq!(Month::from_hour_of_year(last), Some(month));
        }
        assert_eq!(Month::Dec.first_hour() + 744, HOURS_PER_YEAR);
        assert_eq!(Month::from_hour_of_year(HOURS_PER_YEAR), None);
    }

    #[test]
    fn months_serialise_by_name() {
        assert_eq!(serde_json::to_string(&Month::Sep).unwrap(), "\"Sep\"");
        assert_eq!(
            serde_json::from_str::<Month>("\"Nov\"").unwrap(),
            Month::Nov
        );
    }
}
