//! Times as readers see them: Europe/Amsterdam, Dutch day and month names.
//!
//! Storage keeps Unix seconds; everything shown goes through here so that a dateline reads the
//! same on every page ("ALMERE • wo 13 november 2024, 14:05").

use chrono::{DateTime, Datelike, TimeZone, Timelike};
use chrono_tz::{Europe::Amsterdam, Tz};

const WEEKDAYS: [&str; 7] = ["ma", "di", "wo", "do", "vr", "za", "zo"];
const MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];

fn local(ts: i64) -> DateTime<Tz> {
    Amsterdam
        .timestamp_opt(ts, 0)
        .single()
        .unwrap_or_else(|| Amsterdam.timestamp_opt(0, 0).unwrap())
}

/// "wo 13 november 2024, 14:05"
pub fn long_datetime(ts: i64) -> String {
    let t = local(ts);
    format!(
        "{} {} {} {}, {:02}:{:02}",
        WEEKDAYS[t.weekday().num_days_from_monday() as usize],
        t.day(),
        MONTHS[t.month0() as usize],
        t.year(),
        t.hour(),
        t.minute()
    )
}

/// "maandag 8 juni"
pub fn weekday_date(ts: i64) -> String {
    const DAYS: [&str; 7] = [
        "maandag",
        "dinsdag",
        "woensdag",
        "donderdag",
        "vrijdag",
        "zaterdag",
        "zondag",
    ];
    let t = local(ts);
    format!(
        "{} {} {}",
        DAYS[t.weekday().num_days_from_monday() as usize],
        t.day(),
        MONTHS[t.month0() as usize]
    )
}

/// "13 november 2024"
pub fn date(ts: i64) -> String {
    let t = local(ts);
    format!("{} {} {}", t.day(), MONTHS[t.month0() as usize], t.year())
}

/// "14:05"
pub fn clock(ts: i64) -> String {
    let t = local(ts);
    format!("{:02}:{:02}", t.hour(), t.minute())
}

/// For lists: the time for something from today, the short date for anything older.
pub fn list_time(ts: i64, now: i64) -> String {
    let (t, today) = (local(ts), local(now));
    if t.date_naive() == today.date_naive() {
        clock(ts)
    } else {
        format!("{} {}", t.day(), &MONTHS[t.month0() as usize][..3])
    }
}

/// The moment `clock` (`uu:mm`) on the Amsterdam date of `now`; `None` for no such time (a
/// malformed one, or the hour skipped when summer time begins).
pub fn today_at(clock: &str, now: i64) -> Option<i64> {
    let (hour, minute) = clock.split_once(':')?;
    let two_digits =
        |s: &str| (s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit())).then_some(());
    two_digits(hour)?;
    two_digits(minute)?;
    let time = chrono::NaiveTime::from_hms_opt(hour.parse().ok()?, minute.parse().ok()?, 0)?;
    let day = local(now).date_naive();
    Amsterdam
        .from_local_datetime(&day.and_time(time))
        .earliest()
        .map(|t| t.timestamp())
}

/// ISO 8601 with the Amsterdam offset, for `<time datetime>` and structured data.
pub fn iso(ts: i64) -> String {
    local(ts).to_rfc3339()
}

/// The place in a dateline, in capitals as newsrooms write it.
pub fn dateline_place(place: &str) -> String {
    place.trim().to_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    // 2024-11-13 13:05 UTC is 14:05 in Amsterdam (CET, winter time).
    const WINTER: i64 = 1_731_503_100;
    // 2024-07-01 12:00 UTC is 14:00 in Amsterdam (CEST, summer time).
    const SUMMER: i64 = 1_719_835_200;

    #[test]
    fn long_datetime_is_dutch_and_in_amsterdam_time() {
        assert_eq!(long_datetime(WINTER), "wo 13 november 2024, 14:05");
        assert_eq!(long_datetime(SUMMER), "ma 1 juli 2024, 14:00");
    }

    #[test]
    fn list_time_is_the_clock_today_and_the_date_before() {
        assert_eq!(list_time(WINTER, WINTER + 3600), "14:05");
        assert_eq!(list_time(WINTER, WINTER + 86_400), "13 nov");
    }

    #[test]
    fn iso_carries_the_local_offset() {
        assert_eq!(iso(WINTER), "2024-11-13T14:05:00+01:00");
        assert_eq!(iso(SUMMER), "2024-07-01T14:00:00+02:00");
    }

    #[test]
    fn a_clock_time_today_is_read_in_amsterdam_time() {
        assert_eq!(today_at("14:05", WINTER + 3600), Some(WINTER));
        assert_eq!(today_at("14:00", SUMMER), Some(SUMMER));
        for bad in ["14.05", "4:05", "24:00", "14:60", "", "ab:cd"] {
            assert_eq!(today_at(bad, WINTER), None, "{bad}");
        }
    }

    #[test]
    fn dateline_place_is_upper_case_with_diacritics_kept() {
        assert_eq!(dateline_place(" Ĳsselstein "), "ĲSSELSTEIN");
        assert_eq!(dateline_place("almere"), "ALMERE");
    }
}
