//! The schedule's rules, as plain functions of the rows (server only).
//!
//! A weekly slot is a local wall-clock time: "Nachtwacht, every night 23:00–02:00" starts at
//! 23:00 in Lindewijk summer and winter alike, so the night the clocks go back it lasts an hour
//! longer. A one-off broadcast is an exact moment and takes precedence over the weekly
//! occurrences it overlaps; a cancellation takes out one occurrence.

use chrono::{Datelike, Duration, LocalResult, NaiveDate, TimeZone};
use chrono_tz::Europe::Amsterdam;

/// Minutes in a week.
const WEEK: i64 = 7 * 1440;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WeeklySlot {
    pub id: i64,
    pub station_id: i64,
    pub programme_id: i64,
    /// 1 (Monday) to 7 (Sunday).
    pub weekday: u32,
    /// Local minutes after midnight.
    pub start_minute: u32,
    pub length_minutes: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OneOff {
    pub id: i64,
    pub station_id: i64,
    pub programme_id: i64,
    pub starts_at: i64,
    pub ends_at: i64,
}

/// One broadcast that goes out: a weekly slot's occurrence or a one-off.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Occurrence {
    pub station_id: i64,
    pub programme_id: i64,
    pub starts_at: i64,
    pub ends_at: i64,
    pub one_off: bool,
}

/// The moment of the local wall-clock time `minute` minutes after the start of `date` (past
/// 1440 it runs into the next days). A time the spring change skips is the end of the skipped
/// hour (02:30 is 03:00 summer time), so slots that meet still meet; a time the autumn change
/// repeats is the first.
pub fn local_moment(date: NaiveDate, minute: u32) -> i64 {
    let date = date + Duration::days(i64::from(minute / 1440));
    let minute = minute % 1440;
    let naive = date
        .and_hms_opt(minute / 60, minute % 60, 0)
        .expect("minutes within a day");
    match Amsterdam.from_local_datetime(&naive) {
        LocalResult::Single(t) => t.timestamp(),
        LocalResult::Ambiguous(first, _) => first.timestamp(),
        LocalResult::None => (1..=180)
            .map(|m| naive + Duration::minutes(m))
            .find_map(|t| Amsterdam.from_local_datetime(&t).earliest())
            .map(|t| t.timestamp())
            .expect("a skipped time is followed by one that exists"),
    }
}

/// The local date of a moment.
pub fn local_date(ts: i64) -> NaiveDate {
    Amsterdam
        .timestamp_opt(ts, 0)
        .single()
        .map(|t| t.date_naive())
        .unwrap_or_default()
}

/// Whether two weekly slots of one station would be on air at once in some week (a slot late
/// on Sunday runs into Monday).
pub fn weekly_overlap(a: &WeeklySlot, b: &WeeklySlot) -> bool {
    let span = |s: &WeeklySlot| {
        let start = i64::from(s.weekday - 1) * 1440 + i64::from(s.start_minute);
        (start, start + i64::from(s.length_minutes))
    };
    let (a0, a1) = span(a);
    let (b0, b1) = span(b);
    [-WEEK, 0, WEEK]
        .into_iter()
        .any(|shift| a0 < b1 + shift && b0 + shift < a1)
}

/// What goes out between `from` and `to` (Unix seconds), on every station, sorted by station
/// and start: the weekly occurrences not cancelled (`cancelled(slot, local date)`) and not
/// overlapped by a one-off of their station, and the one-offs.
pub fn occurrences(
    slots: &[WeeklySlot],
    one_offs: &[OneOff],
    cancelled: impl Fn(i64, NaiveDate) -> bool,
    from: i64,
    to: i64,
) -> Vec<Occurrence> {
    let mut out = Vec::new();
    // A slot that started the day before may still be on.
    let mut date = local_date(from) - Duration::days(1);
    let last = local_date(to);
    while date <= last {
        let weekday = date.weekday().number_from_monday();
        for slot in slots.iter().filter(|s| s.weekday == weekday) {
            let starts_at = local_moment(date, slot.start_minute);
            let ends_at = local_moment(date, slot.start_minute + slot.length_minutes);
            // A slot wholly inside the skipped spring hour does not go out that night.
            if ends_at <= starts_at
                || ends_at <= from
                || starts_at >= to
                || cancelled(slot.id, date)
            {
                continue;
            }
            let replaced = one_offs.iter().any(|o| {
                o.station_id == slot.station_id && o.starts_at < ends_at && starts_at < o.ends_at
            });
            if !replaced {
                out.push(Occurrence {
                    station_id: slot.station_id,
                    programme_id: slot.programme_id,
                    starts_at,
                    ends_at,
                    one_off: false,
                });
            }
        }
        date += Duration::days(1);
    }
    out.extend(
        one_offs
            .iter()
            .filter(|o| o.ends_at > from && o.starts_at < to)
            .map(|o| Occurrence {
                station_id: o.station_id,
                programme_id: o.programme_id,
                starts_at: o.starts_at,
                ends_at: o.ends_at,
                one_off: true,
            }),
    );
    out.sort_by_key(|o| (o.station_id, o.starts_at));
    out
}

/// The first start or end after `now` among `occurrences`: when what is on air next changes.
pub fn next_boundary(occurrences: &[Occurrence], now: i64) -> Option<i64> {
    occurrences
        .iter()
        .flat_map(|o| [o.starts_at, o.ends_at])
        .filter(|&t| t > now)
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slot(id: i64, weekday: u32, start: &str, length_minutes: u32) -> WeeklySlot {
        let (h, m) = start.split_once(':').unwrap();
        WeeklySlot {
            id,
            station_id: 1,
            programme_id: id,
            weekday,
            start_minute: h.parse::<u32>().unwrap() * 60 + m.parse::<u32>().unwrap(),
            length_minutes,
        }
    }

    fn at(local: &str) -> i64 {
        let naive = chrono::NaiveDateTime::parse_from_str(local, "%Y-%m-%d %H:%M").unwrap();
        Amsterdam
            .from_local_datetime(&naive)
            .earliest()
            .unwrap()
            .timestamp()
    }

    fn utc(s: &str) -> i64 {
        chrono::DateTime::parse_from_rfc3339(s).unwrap().timestamp()
    }

    #[test]
    fn slots_that_share_minutes_of_the_week_overlap_sunday_night_into_monday_too() {
        let morning = slot(1, 1, "07:00", 180);
        assert!(weekly_overlap(&morning, &slot(2, 1, "09:30", 60)));
        assert!(
            !weekly_overlap(&morning, &slot(3, 1, "10:00", 60)),
            "end meets start"
        );
        assert!(
            !weekly_overlap(&morning, &slot(4, 2, "07:00", 180)),
            "another day"
        );
        let sunday_night = slot(5, 7, "23:00", 180);
        assert!(weekly_overlap(&sunday_night, &slot(6, 1, "01:00", 60)));
        assert!(weekly_overlap(&slot(6, 1, "01:00", 60), &sunday_night));
        assert!(!weekly_overlap(&sunday_night, &slot(7, 1, "02:00", 60)));
    }

    #[test]
    fn a_slot_across_midnight_belongs_to_its_evening_and_runs_into_the_morning() {
        // Tuesday 9 June 2026, summer time: 23:00–02:00 local is 21:00–00:00 UTC.
        let night = slot(1, 2, "23:00", 180);
        let found = occurrences(
            &[night],
            &[],
            |_, _| false,
            at("2026-06-10 00:30"),
            at("2026-06-10 01:00"),
        );
        assert_eq!(found.len(), 1, "still on after midnight");
        assert_eq!(found[0].starts_at, utc("2026-06-09T21:00:00Z"));
        assert_eq!(found[0].ends_at, utc("2026-06-10T00:00:00Z"));
    }

    #[test]
    fn across_the_dst_changes_a_slot_keeps_its_wall_clock_times() {
        // Sunday 25 October 2026 the clocks go back at 03:00 summer time: 01:00–04:00 local
        // is 23:00 UTC (summer) to 03:00 UTC (winter), four hours on air.
        let night = slot(1, 7, "01:00", 180);
        let autumn = occurrences(
            &[night],
            &[],
            |_, _| false,
            utc("2026-10-24T12:00:00Z"),
            utc("2026-10-25T12:00:00Z"),
        );
        assert_eq!(autumn.len(), 1);
        assert_eq!(autumn[0].starts_at, utc("2026-10-24T23:00:00Z"));
        assert_eq!(autumn[0].ends_at, utc("2026-10-25T03:00:00Z"));
        // Sunday 29 March 2026 they go forward at 02:00: 01:00–04:00 local is 00:00–02:00 UTC.
        let spring = occurrences(
            &[night],
            &[],
            |_, _| false,
            utc("2026-03-28T12:00:00Z"),
            utc("2026-03-29T12:00:00Z"),
        );
        assert_eq!(spring[0].starts_at, utc("2026-03-29T00:00:00Z"));
        assert_eq!(spring[0].ends_at, utc("2026-03-29T02:00:00Z"));
        // A slot starting in the skipped hour starts when the clock jumps to 03:00, and the
        // slot after it still follows it without overlap.
        let skipped = slot(2, 7, "02:30", 60);
        let after = slot(3, 7, "03:30", 60);
        let found = occurrences(
            &[skipped, after],
            &[],
            |_, _| false,
            utc("2026-03-28T12:00:00Z"),
            utc("2026-03-29T12:00:00Z"),
        );
        assert_eq!(found[0].starts_at, utc("2026-03-29T01:00:00Z"));
        assert_eq!(found[0].ends_at, found[1].starts_at);
        assert!(found[0].ends_at <= found[1].starts_at);
        // Wholly inside the skipped hour: not on air that night.
        let gone = slot(4, 7, "02:10", 30);
        assert!(occurrences(
            &[gone],
            &[],
            |_, _| false,
            utc("2026-03-28T12:00:00Z"),
            utc("2026-03-29T12:00:00Z")
        )
        .is_empty());
        // A week later the same slot is at 01:00 summer time again.
        let later = occurrences(
            &[night],
            &[],
            |_, _| false,
            utc("2026-04-04T12:00:00Z"),
            utc("2026-04-05T12:00:00Z"),
        );
        assert_eq!(later[0].starts_at, utc("2026-04-04T23:00:00Z"));
    }

    #[test]
    fn a_one_off_replaces_the_weekly_occurrence_it_overlaps_and_a_cancellation_takes_one_out() {
        let news = slot(1, 1, "12:00", 60);
        let monday = chrono::NaiveDate::from_ymd_opt(2026, 6, 8).unwrap();
        let special = OneOff {
            id: 9,
            station_id: 1,
            programme_id: 42,
            starts_at: at("2026-06-08 11:30"),
            ends_at: at("2026-06-08 12:30"),
        };
        let day = (at("2026-06-08 00:00"), at("2026-06-09 00:00"));
        let found = occurrences(&[news], &[special], |_, _| false, day.0, day.1);
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].programme_id, found[0].one_off), (42, true));
        let next_week = occurrences(
            &[news],
            &[special],
            |_, _| false,
            at("2026-06-15 00:00"),
            at("2026-06-16 00:00"),
        );
        assert_eq!(next_week[0].programme_id, 1, "only that once");
        let cancelled = occurrences(
            &[news],
            &[],
            |slot, date| slot == 1 && date == monday,
            day.0,
            day.1,
        );
        assert!(cancelled.is_empty());
        assert_eq!(
            next_boundary(&next_week, at("2026-06-15 08:00")),
            Some(at("2026-06-15 12:00"))
        );
        assert_eq!(
            next_boundary(&next_week, at("2026-06-15 12:10")),
            Some(at("2026-06-15 13:00"))
        );
    }
}
