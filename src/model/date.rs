//! ISO `YYYY-MM-DD` calendar dates, checked against the real calendar.
//!
//! Twenty lines of civil-date arithmetic save a date-time crate: all we need
//! is parsing, comparing, and "how many days ago".

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// Parses `YYYY-MM-DD`; `Err` says in words what is wrong.
    pub fn parse(s: &str) -> Result<Date, String> {
        let b = s.as_bytes();
        let shape_ok = b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        if !shape_ok {
            return Err(format!("`{s}` is not a date in the form YYYY-MM-DD"));
        }
        let year: i32 = s[0..4].parse().map_err(|_| format!("bad year in `{s}`"))?;
        let month: u8 = s[5..7].parse().map_err(|_| format!("bad month in `{s}`"))?;
        let day: u8 = s[8..10].parse().map_err(|_| format!("bad day in `{s}`"))?;
        if !(1..=12).contains(&month) {
            return Err(format!(
                "`{s}` has no month {month}: months run from 01 to 12"
            ));
        }
        let last = days_in_month(year, month);
        if day == 0 || day > last {
            return Err(format!(
                "`{s}` does not exist: {} {year} has {last} days",
                MONTHS[month as usize - 1]
            ));
        }
        Ok(Date { year, month, day })
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days_since_epoch(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01.
    pub fn from_days_since_epoch(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// Today in UTC, from the system clock. `CXBOOK_TODAY=YYYY-MM-DD`
    /// overrides it, so that tests and reproducible builds are stable.
    pub fn today() -> Date {
        if let Some(d) = std::env::var("CXBOOK_TODAY")
            .ok()
            .and_then(|s| Date::parse(&s).ok())
        {
            return d;
        }
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Date::from_days_since_epoch((secs / 86_400) as i64)
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Date::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_real_dates_and_refuses_impossible_ones() {
        assert_eq!(Date::parse("2026-05-04").unwrap().to_string(), "2026-05-04");
        assert!(Date::parse("2024-02-29").is_ok());
        let e = Date::parse("2026-02-30").unwrap_err();
        assert!(e.contains("February 2026 has 28 days"), "{e}");
        assert!(Date::parse("2026-13-01").is_err());
        assert!(Date::parse("2026-1-01").is_err());
        assert!(Date::parse("26-01-01").is_err());
    }

    #[test]
    fn epoch_round_trip() {
        for d in [-1000, 0, 1, 59, 60, 20_000, 20_515] {
            assert_eq!(Date::from_days_since_epoch(d).days_since_epoch(), d);
        }
        assert_eq!(Date::parse("1970-01-02").unwrap().days_since_epoch(), 1);
    }
}
