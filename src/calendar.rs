//! The model year: twelve months of a 365-day (8,760-hour) year, shared by
//! the hydro, demand, regional and study layers. Leap days are ignored.
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
