//! Stations, programmes and the schedule in the database (server only). The rows are few (a
//! week of slots per station), so the guide reads them whole and works out the broadcasts with
//! [`schedule`](super::schedule). Every write makes the public pages a new version.

use std::collections::{HashMap, HashSet};

use chrono::{Duration, NaiveDate};

use super::{
    schedule::{self, Occurrence, OneOff, WeeklySlot},
    Guide, GuideDay, GuideEntry, GuideStation, Presenter, ProgrammePage, Station, StationKind,
    WeeklyTime,
};
use crate::{
    articles::markdown,
    db::{Db, Purpose, StoreError},
};

/// Why a schedule change was refused, in words for the editor.
#[derive(Debug, thiserror::Error)]
pub enum ScheduleError {
    #[error("Dit overlapt met {0} op dezelfde zender.")]
    Overlap(String),
    #[error("Het einde moet na het begin liggen.")]
    EndsBeforeStart,
    #[error("Die zender of dat programma bestaat niet.")]
    Unknown,
    #[error("Op die datum begint dit tijdslot niet: kies de dag waarop de uitzending begint.")]
    WrongDay,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for ScheduleError {
    fn from(err: sqlx::Error) -> Self {
        ScheduleError::Store(err.into())
    }
}

#[derive(sqlx::FromRow)]
struct StationRow {
    id: i64,
    slug: String,
    name: String,
    kind: String,
    stream_url: String,
}

impl From<StationRow> for Station {
    fn from(row: StationRow) -> Self {
        Station {
            id: row.id,
            slug: row.slug,
            name: row.name,
            kind: StationKind::parse(&row.kind).unwrap_or(StationKind::Radio),
            stream_url: row.stream_url,
        }
    }
}

pub async fn stations(db: &Db) -> Result<Vec<Station>, StoreError> {
    let rows: Vec<StationRow> = sqlx::query_as(
        "SELECT id, slug, name, kind, stream_url FROM stations ORDER BY position, name",
    )
    .fetch_all(db.pool())
    .await
    .purpose("reading the stations")?;
    Ok(rows.into_iter().map(Station::from).collect())
}

#[derive(sqlx::FromRow)]
struct SlotRow {
    id: i64,
    station_id: i64,
    programme_id: i64,
    weekday: i64,
    start_minute: i64,
    length_minutes: i64,
}

impl From<SlotRow> for WeeklySlot {
    fn from(r: SlotRow) -> Self {
        WeeklySlot {
            id: r.id,
            station_id: r.station_id,
            programme_id: r.programme_id,
            weekday: r.weekday.clamp(1, 7) as u32,
            start_minute: r.start_minute.clamp(0, 1439) as u32,
            length_minutes: r.length_minutes.clamp(1, 1440) as u32,
        }
    }
}

async fn weekly_slots(db: &Db) -> Result<Vec<WeeklySlot>, StoreError> {
    let rows: Vec<SlotRow> = sqlx::query_as(
        "SELECT id, station_id, programme_id, weekday, start_minute, length_minutes \
         FROM weekly_slots",
    )
    .fetch_all(db.pool())
    .await
    .purpose("reading the weekly schedule")?;
    Ok(rows.into_iter().map(WeeklySlot::from).collect())
}

/// The broadcasts between `from` and `to`, on every station.
pub async fn broadcasts(db: &Db, from: i64, to: i64) -> Result<Vec<Occurrence>, StoreError> {
    let slots = weekly_slots(db).await?;
    let one_offs: Vec<(i64, i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT id, station_id, programme_id, starts_at, ends_at FROM one_off_broadcasts \
         WHERE ends_at > $1 AND starts_at < $2",
    )
    // One-offs just outside the range still take out weekly occurrences that reach into it.
    .bind(from - 2 * 86_400)
    .bind(to + 2 * 86_400)
    .fetch_all(db.pool())
    .await
    .purpose("reading the one-off broadcasts")?;
    let one_offs: Vec<OneOff> = one_offs
        .into_iter()
        .map(
            |(id, station_id, programme_id, starts_at, ends_at)| OneOff {
                id,
                station_id,
                programme_id,
                starts_at,
                ends_at,
            },
        )
        .collect();
    let cancelled: Vec<(i64, String)> =
        sqlx::query_as("SELECT slot_id, on_date FROM slot_cancellations WHERE on_date >= $1")
            .bind((schedule::local_date(from) - Duration::days(1)).to_string())
            .fetch_all(db.pool())
            .await
            .purpose("reading the cancelled broadcasts")?;
    let cancelled: HashSet<(i64, NaiveDate)> = cancelled
        .into_iter()
        .filter_map(|(slot, date)| Some((slot, date.parse().ok()?)))
        .collect();
    Ok(schedule::occurrences(
        &slots,
        &one_offs,
        |slot, date| cancelled.contains(&(slot, date)),
        from,
        to,
    ))
}

/// When what is on air next changes (a broadcast starts or ends), within the coming week.
pub async fn next_boundary(db: &Db, now: i64) -> Result<Option<i64>, StoreError> {
    let upcoming = broadcasts(db, now, now + 8 * 86_400).await?;
    Ok(schedule::next_boundary(&upcoming, now))
}

#[derive(sqlx::FromRow)]
struct ProgrammeRow {
    id: i64,
    slug: String,
    station_id: i64,
    title: String,
    summary: String,
    description_html: String,
}

async fn programmes(db: &Db) -> Result<HashMap<i64, ProgrammeRow>, StoreError> {
    let rows: Vec<ProgrammeRow> = sqlx::query_as(
        "SELECT id, slug, station_id, title, summary, description_html FROM programmes",
    )
    .fetch_all(db.pool())
    .await
    .purpose("reading the programmes")?;
    Ok(rows.into_iter().map(|p| (p.id, p)).collect())
}

/// Every programme's slug and title by id (for the calendar).
pub async fn programme_titles(db: &Db) -> Result<HashMap<i64, (String, String)>, StoreError> {
    Ok(programmes(db)
        .await?
        .into_values()
        .map(|p| (p.id, (p.slug, p.title)))
        .collect())
}

fn entry(o: &Occurrence, p: &ProgrammeRow, now: i64) -> GuideEntry {
    GuideEntry {
        programme_slug: p.slug.clone(),
        programme_title: p.title.clone(),
        summary: p.summary.clone(),
        starts_at: o.starts_at,
        ends_at: o.ends_at,
        current: o.starts_at <= now && now < o.ends_at,
        one_off: o.one_off,
    }
}

/// The local day `days` after today's, from midnight to midnight.
fn local_day(now: i64, days: i64) -> (i64, i64) {
    let date = schedule::local_date(now) + Duration::days(days);
    (
        schedule::local_moment(date, 0),
        schedule::local_moment(date + Duration::days(1), 0),
    )
}

/// What each station's playout reports as playing now, by station id.
pub async fn now_playing(db: &Db) -> Result<HashMap<i64, String>, StoreError> {
    let rows: Vec<(i64, String)> = sqlx::query_as("SELECT station_id, title FROM now_playing")
        .fetch_all(db.pool())
        .await
        .purpose("reading what is playing now")?;
    Ok(rows.into_iter().collect())
}

/// Stations whose playout can be asked what is playing: id, stream and status address.
pub async fn status_urls(db: &Db) -> Result<Vec<(i64, String, String)>, StoreError> {
    sqlx::query_as(
        "SELECT id, stream_url, status_url FROM stations \
         WHERE status_url IS NOT NULL AND status_url <> ''",
    )
    .fetch_all(db.pool())
    .await
    .purpose("reading the stations' status addresses")
}

/// Keeps what `station` plays now (`None`: nothing known); a change is a new version of the
/// pages. Returns whether it changed.
pub async fn set_now_playing(
    db: &Db,
    station: i64,
    title: Option<&str>,
    now: i64,
) -> Result<bool, StoreError> {
    let current: Option<String> =
        sqlx::query_scalar("SELECT title FROM now_playing WHERE station_id = $1")
            .bind(station)
            .fetch_optional(db.pool())
            .await
            .purpose("reading what is playing now")?;
    if current.as_deref() == title {
        return Ok(false);
    }
    let mut tx = crate::live::events::begin(db).await?;
    match title {
        Some(title) => sqlx::query(
            "INSERT INTO now_playing (station_id, title, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (station_id) DO UPDATE SET title = excluded.title, \
             updated_at = excluded.updated_at",
        )
        .bind(station)
        .bind(title)
        .bind(now),
        None => sqlx::query("DELETE FROM now_playing WHERE station_id = $1").bind(station),
    }
    .execute(&mut *tx)
    .await
    .purpose("keeping what is playing now")?;
    crate::live::events::site_changed(&mut tx, now).await?;
    tx.commit().await.purpose("keeping what is playing now")?;
    Ok(true)
}

pub async fn guide(db: &Db, day: GuideDay, now: i64) -> Result<Guide, StoreError> {
    let (from, to) = match day {
        GuideDay::Today => local_day(now, 0),
        GuideDay::Tomorrow => local_day(now, 1),
        GuideDay::Week => (local_day(now, 0).0, local_day(now, 6).1),
    };
    let stations = stations(db).await?;
    let programmes = programmes(db).await?;
    let all = broadcasts(db, from, to).await?;
    let mut playing = now_playing(db).await?;
    let stations = stations
        .into_iter()
        .map(|station| GuideStation {
            entries: all
                .iter()
                .filter(|o| o.station_id == station.id)
                .filter_map(|o| Some(entry(o, programmes.get(&o.programme_id)?, now)))
                .collect(),
            now_playing: playing.remove(&station.id),
            station,
        })
        .collect();
    Ok(Guide {
        day,
        from,
        to,
        stations,
    })
}

/// How many coming broadcasts a programme page lists.
const UPCOMING: usize = 6;

pub async fn programme(db: &Db, slug: &str, now: i64) -> Result<Option<ProgrammePage>, StoreError> {
    let programmes = programmes(db).await?;
    let Some(p) = programmes.values().find(|p| p.slug == slug) else {
        return Ok(None);
    };
    let Some(station) = stations(db)
        .await?
        .into_iter()
        .find(|s| s.id == p.station_id)
    else {
        return Ok(None);
    };
    let presenters: Vec<Presenter> = sqlx::query_as(
        "SELECT au.name, au.slug FROM programme_presenters pp \
         JOIN authors au ON au.id = pp.author_id WHERE pp.programme_id = $1 \
         ORDER BY pp.position, au.name",
    )
    .bind(p.id)
    .fetch_all(db.pool())
    .await
    .purpose("reading a programme's presenters")?;
    let mut weekly: Vec<WeeklyTime> = weekly_slots(db)
        .await?
        .into_iter()
        .filter(|s| s.programme_id == p.id)
        .map(|s| WeeklyTime {
            weekday: s.weekday,
            start_minute: s.start_minute,
            length_minutes: s.length_minutes,
        })
        .collect();
    weekly.sort_by_key(|w| (w.weekday, w.start_minute));
    let upcoming = broadcasts(db, now, now + 15 * 86_400)
        .await?
        .iter()
        .filter(|o| o.programme_id == p.id)
        .take(UPCOMING)
        .map(|o| entry(o, p, now))
        .collect();
    Ok(Some(ProgrammePage {
        slug: p.slug.clone(),
        title: p.title.clone(),
        summary: p.summary.clone(),
        description_html: p.description_html.clone(),
        station,
        presenters,
        weekly,
        upcoming,
    }))
}

/// A station, as an admin adds it.
pub struct NewStation<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub kind: StationKind,
    pub stream_url: &'a str,
    pub status_url: Option<&'a str>,
    pub position: i64,
}

pub async fn add_station(db: &Db, station: &NewStation<'_>) -> Result<i64, StoreError> {
    let mut tx = crate::live::events::begin(db).await?;
    let id = sqlx::query_scalar(
        "INSERT INTO stations (slug, name, kind, stream_url, status_url, position) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(station.slug)
    .bind(station.name)
    .bind(station.kind.as_str())
    .bind(station.stream_url)
    .bind(station.status_url)
    .bind(station.position)
    .fetch_one(&mut *tx)
    .await
    .purpose("adding a station")?;
    // The guide lists every station: a new version of the pages.
    crate::live::events::site_changed(&mut tx, crate::db::now()).await?;
    tx.commit().await.purpose("adding a station")?;
    Ok(id)
}

/// A programme, its description in Markdown (sanitised like articles).
pub struct NewProgramme<'a> {
    pub slug: &'a str,
    pub station_id: i64,
    pub title: &'a str,
    pub summary: &'a str,
    pub description_md: &'a str,
    /// Author slugs, in order.
    pub presenters: &'a [&'a str],
}

pub async fn add_programme(
    db: &Db,
    programme: &NewProgramme<'_>,
    now: i64,
) -> Result<i64, StoreError> {
    let mut tx = crate::live::events::begin(db).await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO programmes (slug, station_id, title, summary, description_md, description_html, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(programme.slug)
    .bind(programme.station_id)
    .bind(programme.title)
    .bind(programme.summary)
    .bind(programme.description_md)
    .bind(markdown::render(programme.description_md))
    .bind(now)
    .fetch_one(&mut *tx)
    .await
    .purpose("adding a programme")?;
    for (position, slug) in programme.presenters.iter().enumerate() {
        sqlx::query(
            "INSERT INTO programme_presenters (programme_id, author_id, position) \
             SELECT $1, id, $2 FROM authors WHERE slug = $3",
        )
        .bind(id)
        .bind(position as i64)
        .bind(*slug)
        .execute(&mut *tx)
        .await
        .purpose("naming a programme's presenters")?;
    }
    crate::live::events::site_changed(&mut tx, now).await?;
    tx.commit().await.purpose("adding a programme")?;
    Ok(id)
}

/// Adds a weekly slot; refused when it would share minutes with another slot of its station.
pub async fn add_weekly_slot(db: &Db, slot: &WeeklySlot, now: i64) -> Result<i64, ScheduleError> {
    Ok(add_weekly_slots(db, std::slice::from_ref(slot), now).await?[0])
}

/// Adds weekly slots (one programme on several days), all or none: refused when one would
/// share minutes with another slot of its station, or with one of the others.
pub async fn add_weekly_slots(
    db: &Db,
    slots: &[WeeklySlot],
    now: i64,
) -> Result<Vec<i64>, ScheduleError> {
    let mut tx = crate::live::events::begin(db).await?;
    let mut ids = Vec::with_capacity(slots.len());
    for (i, slot) in slots.iter().enumerate() {
        let programme: Option<String> =
            sqlx::query_scalar("SELECT title FROM programmes WHERE id = $1 AND station_id = $2")
                .bind(slot.programme_id)
                .bind(slot.station_id)
                .fetch_optional(&mut *tx)
                .await?;
        let Some(programme) = programme else {
            return Err(ScheduleError::Unknown);
        };
        if let Some(other) = slots[..i]
            .iter()
            .find(|o| schedule::weekly_overlap(slot, o))
        {
            let when = WeeklyTime {
                weekday: other.weekday,
                start_minute: other.start_minute,
                length_minutes: other.length_minutes,
            };
            return Err(ScheduleError::Overlap(format!(
                "{programme} ({})",
                when.text()
            )));
        }
        type Row = (i64, i64, i64, i64, i64, i64, String);
        let others: Vec<Row> = sqlx::query_as(
            "SELECT s.id, s.station_id, s.programme_id, s.weekday, s.start_minute, \
             s.length_minutes, p.title FROM weekly_slots s \
             JOIN programmes p ON p.id = s.programme_id WHERE s.station_id = $1",
        )
        .bind(slot.station_id)
        .fetch_all(&mut *tx)
        .await?;
        let clash = others.into_iter().find_map(
            |(id, station_id, programme_id, weekday, start_minute, length_minutes, title)| {
                let other = WeeklySlot::from(SlotRow {
                    id,
                    station_id,
                    programme_id,
                    weekday,
                    start_minute,
                    length_minutes,
                });
                schedule::weekly_overlap(slot, &other).then_some((other, title))
            },
        );
        if let Some((other, title)) = clash {
            let when = WeeklyTime {
                weekday: other.weekday,
                start_minute: other.start_minute,
                length_minutes: other.length_minutes,
            };
            return Err(ScheduleError::Overlap(format!("{title} ({})", when.text())));
        }
        let id = sqlx::query_scalar(
            "INSERT INTO weekly_slots (station_id, programme_id, weekday, start_minute, length_minutes) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(slot.station_id)
        .bind(slot.programme_id)
        .bind(i64::from(slot.weekday))
        .bind(i64::from(slot.start_minute))
        .bind(i64::from(slot.length_minutes))
        .fetch_one(&mut *tx)
        .await?;
        ids.push(id);
    }
    crate::live::events::site_changed(&mut tx, now).await?;
    tx.commit().await?;
    Ok(ids)
}

/// Removes a weekly slot (and its cancellations); false when there was none.
pub async fn remove_slot(db: &Db, id: i64, now: i64) -> Result<bool, StoreError> {
    remove(db, "DELETE FROM weekly_slots WHERE id = $1", id, now).await
}

/// Removes a one-off broadcast; false when there was none.
pub async fn remove_one_off(db: &Db, id: i64, now: i64) -> Result<bool, StoreError> {
    remove(db, "DELETE FROM one_off_broadcasts WHERE id = $1", id, now).await
}

async fn remove(db: &Db, statement: &'static str, id: i64, now: i64) -> Result<bool, StoreError> {
    let mut tx = crate::live::events::begin(db).await?;
    let done = sqlx::query(statement)
        .bind(id)
        .execute(&mut *tx)
        .await
        .purpose("changing the schedule")?;
    if done.rows_affected() > 0 {
        crate::live::events::site_changed(&mut tx, now).await?;
    }
    tx.commit().await.purpose("changing the schedule")?;
    Ok(done.rows_affected() > 0)
}

/// Everything the schedule desk shows.
pub async fn desk(db: &Db, now: i64) -> Result<super::ScheduleDesk, StoreError> {
    let stations = stations(db).await?;
    let programmes = programmes(db).await?;
    let mut options: Vec<super::ProgrammeOption> = programmes
        .values()
        .map(|p| super::ProgrammeOption {
            id: p.id,
            station_id: p.station_id,
            slug: p.slug.clone(),
            title: p.title.clone(),
        })
        .collect();
    options.sort_by(|a, b| a.title.cmp(&b.title));
    let mut slots: Vec<super::SlotListing> = weekly_slots(db)
        .await?
        .into_iter()
        .filter_map(|s| {
            Some(super::SlotListing {
                id: s.id,
                station_id: s.station_id,
                programme_title: programmes.get(&s.programme_id)?.title.clone(),
                time: WeeklyTime {
                    weekday: s.weekday,
                    start_minute: s.start_minute,
                    length_minutes: s.length_minutes,
                },
            })
        })
        .collect();
    slots.sort_by_key(|s| (s.station_id, s.time.weekday, s.time.start_minute));
    let one_offs: Vec<(i64, i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT id, station_id, programme_id, starts_at, ends_at FROM one_off_broadcasts \
         WHERE ends_at > $1 ORDER BY starts_at",
    )
    .bind(now)
    .fetch_all(db.pool())
    .await
    .purpose("reading the coming one-off broadcasts")?;
    let one_offs = one_offs
        .into_iter()
        .filter_map(|(id, station_id, programme_id, starts_at, ends_at)| {
            Some(super::OneOffListing {
                id,
                station_id,
                programme_title: programmes.get(&programme_id)?.title.clone(),
                starts_at,
                ends_at,
            })
        })
        .collect();
    let on_air = on_air_now(db, now).await?;
    let authors: Vec<(String, String)> =
        sqlx::query_as("SELECT slug, name FROM authors ORDER BY name")
            .fetch_all(db.pool())
            .await
            .purpose("listing the authors")?;
    Ok(super::ScheduleDesk {
        stations,
        programmes: options,
        slots,
        one_offs,
        on_air,
        authors,
    })
}

/// Per station (by name), what is on air at `now`.
pub async fn on_air_now(db: &Db, now: i64) -> Result<Vec<(String, GuideEntry)>, StoreError> {
    let stations = stations(db).await?;
    let programmes = programmes(db).await?;
    Ok(broadcasts(db, now, now + 1)
        .await?
        .iter()
        .filter_map(|o| {
            let station = stations.iter().find(|s| s.id == o.station_id)?;
            Some((
                station.name.clone(),
                entry(o, programmes.get(&o.programme_id)?, now),
            ))
        })
        .collect())
}

/// Adds a one-off broadcast, in place of what the week says; refused when it overlaps another
/// one-off of its station.
pub async fn add_one_off(
    db: &Db,
    station_id: i64,
    programme_id: i64,
    starts_at: i64,
    ends_at: i64,
    now: i64,
) -> Result<i64, ScheduleError> {
    if ends_at <= starts_at {
        return Err(ScheduleError::EndsBeforeStart);
    }
    let mut tx = crate::live::events::begin(db).await?;
    let clash: Option<(String, i64)> = sqlx::query_as(
        "SELECT p.title, o.starts_at FROM one_off_broadcasts o \
         JOIN programmes p ON p.id = o.programme_id \
         WHERE o.station_id = $1 AND o.starts_at < $3 AND $2 < o.ends_at",
    )
    .bind(station_id)
    .bind(starts_at)
    .bind(ends_at)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some((title, at)) = clash {
        return Err(ScheduleError::Overlap(format!(
            "{title} ({})",
            crate::dates::long_datetime(at)
        )));
    }
    let id = sqlx::query_scalar(
        "INSERT INTO one_off_broadcasts (station_id, programme_id, starts_at, ends_at) \
         SELECT $1, id, $3, $4 FROM programmes WHERE id = $2 AND station_id = $1 RETURNING id",
    )
    .bind(station_id)
    .bind(programme_id)
    .bind(starts_at)
    .bind(ends_at)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(ScheduleError::Unknown)?;
    crate::live::events::site_changed(&mut tx, now).await?;
    tx.commit().await?;
    Ok(id)
}

/// Takes the occurrence of `slot` on the local `date` (the day it starts) out of the schedule.
pub async fn cancel(db: &Db, slot: i64, date: NaiveDate, now: i64) -> Result<(), ScheduleError> {
    let mut tx = crate::live::events::begin(db).await?;
    let weekday: Option<i64> = sqlx::query_scalar("SELECT weekday FROM weekly_slots WHERE id = $1")
        .bind(slot)
        .fetch_optional(&mut *tx)
        .await?;
    let weekday = weekday.ok_or(ScheduleError::Unknown)?;
    if i64::from(chrono::Datelike::weekday(&date).number_from_monday()) != weekday {
        return Err(ScheduleError::WrongDay);
    }
    let done = sqlx::query(
        "INSERT INTO slot_cancellations (slot_id, on_date) SELECT id, $2 FROM weekly_slots \
         WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM slot_cancellations WHERE slot_id = $1 AND on_date = $2)",
    )
    .bind(slot)
    .bind(date.to_string())
    .execute(&mut *tx)
    .await?;
    let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM weekly_slots WHERE id = $1")
        .bind(slot)
        .fetch_optional(&mut *tx)
        .await?;
    if exists.is_none() {
        return Err(ScheduleError::Unknown);
    }
    if done.rows_affected() > 0 {
        crate::live::events::site_changed(&mut tx, now).await?;
    }
    tx.commit().await?;
    Ok(())
}
