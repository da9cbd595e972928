//! Demo content: a fictional broadcaster ("Omroep Lindewijk") loaded into an empty database, so a
//! new install shows a living site. Everything in it is invented.
//!
//! Publication times are relative to the moment of loading, so the demo always looks current.

use app::{
    articles::{
        store::{self, NewArticle, NewAuthor},
        ArticleStatus, HeroImage,
    },
    db::{Db, StoreError},
    slug::Slug,
};
use chrono::{Days, TimeZone};
use chrono_tz::Europe::Amsterdam;
use serde::Deserialize;

const CONTENT: &str = include_str!("../demo/content.json");
/// Where the demo illustrations are served from (shipped in `public/media/demo`).
const IMAGE_DIR: &str = "/media/demo";

#[derive(Deserialize)]
struct Content {
    authors: Vec<DemoAuthor>,
    articles: Vec<DemoArticle>,
}

#[derive(Deserialize)]
struct DemoAuthor {
    slug: String,
    name: String,
    bio: String,
}

#[derive(Deserialize)]
struct DemoArticle {
    slug: String,
    section: String,
    title: String,
    lead: String,
    body: String,
    place: String,
    authors: Vec<String>,
    tags: Vec<String>,
    image: String,
    image_alt: String,
    image_caption: String,
    image_credit: String,
    days_ago: u64,
    hour: u32,
    minute: u32,
    updated_minutes_after: Option<i64>,
}

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("the demo content file is not valid: {0}")]
    Invalid(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The local time `days_ago` days before `now` at `hour:minute`, never later than `now`.
fn publication_time(now: i64, days_ago: u64, hour: u32, minute: u32) -> i64 {
    let latest = now - 5 * 60;
    let today = Amsterdam
        .timestamp_opt(now, 0)
        .single()
        .map(|t| t.date_naive());
    today
        .and_then(|d| d.checked_sub_days(Days::new(days_ago)))
        .and_then(|d| d.and_hms_opt(hour, minute, 0))
        .and_then(|t| Amsterdam.from_local_datetime(&t).earliest())
        .map_or(latest, |t| t.timestamp().min(latest))
}

pub async fn load(db: &Db, now: i64) -> Result<(), DemoError> {
    let content: Content =
        serde_json::from_str(CONTENT).map_err(|e| DemoError::Invalid(e.to_string()))?;
    for author in &content.authors {
        let slug = Slug::parse(&author.slug)
            .map_err(|e| DemoError::Invalid(format!("author {}: {e}", author.slug)))?;
        store::insert_author(
            db,
            &NewAuthor {
                slug,
                name: author.name.clone(),
                bio: author.bio.clone(),
            },
        )
        .await?;
    }
    for article in content.articles {
        let slug = Slug::parse(&article.slug)
            .map_err(|e| DemoError::Invalid(format!("article {}: {e}", article.slug)))?;
        let published_at = publication_time(now, article.days_ago, article.hour, article.minute);
        let updated_at = article
            .updated_minutes_after
            .map_or(published_at, |minutes| {
                (published_at + minutes * 60).min(now)
            });
        let new = NewArticle {
            slug,
            section: article.section,
            title: article.title,
            lead: article.lead,
            body_md: article.body,
            hero: Some(HeroImage {
                src: format!("{IMAGE_DIR}/{}.svg", article.image),
                alt: article.image_alt,
                caption: Some(article.image_caption),
                credit: Some(article.image_credit),
            }),
            place: article.place,
            status: ArticleStatus::Published,
            published_at: Some(published_at),
            created_at: published_at,
            updated_at,
            authors: article.authors,
            tags: article.tags,
        };
        store::insert(db, &new).await?;
    }
    Ok(())
}

/// The demo newsroom: an editor and a contributor, both fictional, sharing one password that is
/// printed once (or taken from `ZENDER_DEMO_PASSWORD`, for tests).
pub async fn create_accounts(db: &Db, password: Option<String>) -> Result<(), DemoError> {
    use app::accounts::{password as hashing, store as accounts, Email, Role};
    let password = password.unwrap_or_else(random_password);
    let hash = hashing::hash(password.clone()).await;
    for (email, name, role) in [
        ("redactie@lindewijk.example", "Demo Redacteur", Role::Editor),
        (
            "medewerker@lindewijk.example",
            "Demo Medewerker",
            Role::Contributor,
        ),
    ] {
        let user = accounts::NewUser {
            email: Email::parse(email).map_err(|e| DemoError::Invalid(e.to_string()))?,
            display_name: name.into(),
            role,
            password_hash: hash.clone(),
        };
        accounts::create_user(db, &user, app::db::now()).await?;
    }
    println!(
        "Demo-accounts (eenmalig getoond): redactie@lindewijk.example (redacteur) en \
         medewerker@lindewijk.example (medewerker), wachtwoord: {password}"
    );
    Ok(())
}

fn random_password() -> String {
    use rand::{distributions::Alphanumeric, Rng};
    rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(16)
        .map(char::from)
        .collect()
}

/// A few short newsroom posts for the ticker (fictional, like everything in the demo).
const TICKER: [(&str, Option<&str>, i64); 5] = [
    (
        "Gladheid verwacht: de strooiwagens van Lindewijk rijden vanavond vanaf 21.00 uur uit.",
        None,
        25,
    ),
    (
        "De Veerweg is weer open na het onderhoud aan de brug.",
        Some("/nieuws"),
        70,
    ),
    (
        "Uitslag zaterdag: VV Lindewijk wint met 3-1 van SC Meerveld.",
        None,
        160,
    ),
    (
        "Het gemeentehuis is maandag tot 12.00 uur gesloten door een storing in de verwarming.",
        None,
        240,
    ),
    (
        "Kaartverkoop voor het winterconcert in De Schakel is begonnen.",
        Some("/cultuur"),
        380,
    ),
];

pub async fn post_ticker(db: &Db, now: i64) -> Result<(), DemoError> {
    use app::live::{store, TickerPost};
    // Oldest first, so ids follow time as they do for real posts.
    for (body, link, minutes_ago) in TICKER.into_iter().rev() {
        let post = TickerPost::new(body, link.unwrap_or(""))
            .map_err(|e| DemoError::Invalid(e.to_string()))?;
        store::post_ticker(db, &post, None, None, now - minutes_ago * 60).await?;
    }
    Ok(())
}

/// The demo's running live blog: the storm of today, with a few updates and one pinned.
const BLOG_ARTICLE: &str = "storm-velt-tientallen-bomen-in-meerveld-en-hooghuizen-geen-gewonden";

/// (text, key event, pinned, minutes ago)
const BLOG: [(&str, bool, bool, i64); 5] = [
    (
        "Heeft u schade aan uw huis door de storm? Meld het bij uw verzekeraar en maak foto's. \
         Een omgewaaide boom op gemeentegrond meldt u bij de meldingenlijn van de gemeente.",
        false,
        true,
        30,
    ),
    (
        "Goed nieuws: de Dorpsstraat in Hooghuizen is weer open. Er liggen nog takken langs de \
         kant, dus rij voorzichtig.",
        true,
        false,
        90,
    ),
    (
        "De buurtbus rijdt vandaag niet door Meerveld. Reizigers kunnen instappen bij de halte \
         **Molenweg**.",
        false,
        false,
        140,
    ),
    (
        "De Dorpsstraat in Hooghuizen is tussen de kerk en de rotonde afgesloten: een boom ligt \
         over de weg. De gemeente verwacht hem rond het middaguur weg te hebben.",
        false,
        false,
        200,
    ),
    (
        "De brandweer is sinds vannacht twee uur ruim veertig keer uitgerukt voor omgewaaide \
         bomen en losse dakdelen in Meerveld en Hooghuizen. Er zijn geen gewonden.",
        true,
        false,
        250,
    ),
];

/// A demo article's id and publication time.
async fn demo_article(db: &Db, slug: &str) -> Result<(i64, i64), DemoError> {
    let found: Option<(i64, i64)> =
        sqlx::query_as("SELECT id, published_at FROM articles WHERE slug = $1")
            .bind(slug)
            .fetch_optional(db.pool())
            .await
            .map_err(StoreError::from)?;
    found.ok_or_else(|| DemoError::Invalid(format!("no article {slug}")))
}

pub async fn start_blog(db: &Db, now: i64) -> Result<(), DemoError> {
    use app::live::blog::{store, BlogStatus, UpdateText};
    let (id, published_at) = demo_article(db, BLOG_ARTICLE).await?;
    store::transition(db, id, None, BlogStatus::Live, now).await?;
    let mut pinned = None;
    // Oldest first, as they were posted.
    for (n, (text, key, pin, minutes_ago)) in BLOG.into_iter().rev().enumerate() {
        let text = UpdateText::new(text).map_err(|e| DemoError::Invalid(e.to_string()))?;
        // After publication, however early in the day the demo starts.
        let at = (now - minutes_ago * 60).max(published_at + 60 * (n as i64 + 1));
        let post = store::add_post(db, id, None, &text, key, at)
            .await?
            .ok_or_else(|| DemoError::Invalid("the demo blog is not running".into()))?;
        if pin {
            pinned = Some(post);
        }
    }
    store::pin(db, id, pinned, now).await?;
    Ok(())
}

/// Demo comments: a short discussion under the council article, one answered by the newsroom,
/// and one waiting in the moderation queue.
const COMMENTS_ARTICLE: &str =
    "gemeenteraad-lindewijk-neemt-begroting-aan-na-lang-debat-over-ozb-verhoging";

/// (name, e-mail, text, minutes ago, approved)
const COMMENTS: [(&str, &str, &str, i64, bool); 4] = [
    (
        "Marieke Hoogland",
        "marieke@voorbeeld.nl",
        "Vier procent is beter dan de 6,5 procent die het college eerst wilde. Maar voor veel \
         gezinnen blijft het een flinke stap.",
        150,
        true,
    ),
    (
        "Henk Sloot",
        "henk@voorbeeld.nl",
        "Weet iemand wanneer de nieuwe aanslag in de bus valt?\nIk lees er niets over.",
        120,
        true,
    ),
    (
        "Fatima el Amrani",
        "fatima@voorbeeld.nl",
        "Goed verslag van een lange avond. Jammer dat er zo weinig publiek op de tribune zat.",
        60,
        true,
    ),
    (
        "Ruud Bakker",
        "ruud@voorbeeld.nl",
        "Ik was er zelf bij; het werd echt half twee voordat de hamer viel.",
        20,
        false,
    ),
];

pub async fn post_comments(db: &Db, now: i64) -> Result<(), DemoError> {
    use app::comments::{
        rules::{AuthorName, CommentBody, Email},
        settings::CommentSettings,
        store::{self, NewComment},
    };
    let (id, published_at) = demo_article(db, COMMENTS_ARTICLE).await?;
    let invalid = |e: String| DemoError::Invalid(e);
    let mut question = None;
    for (n, (name, email, text, minutes_ago, approved)) in COMMENTS.into_iter().enumerate() {
        let settings = CommentSettings {
            premoderation: !approved,
            ..CommentSettings::default()
        };
        let (name, email, body) = (
            AuthorName::parse(name).map_err(invalid)?,
            Email::parse(email).map_err(invalid)?,
            CommentBody::parse(text).map_err(invalid)?,
        );
        let new = NewComment {
            article_id: id,
            parent_id: None,
            name: &name,
            email: &email,
            body: &body,
            client: app::clients::ClientHash {
                current: format!("demo-{n}"),
                previous: format!("demo-{n}"),
            },
        };
        // After publication, however early in the day the demo starts.
        let at = (now - minutes_ago * 60).max(published_at + 60 * (n as i64 + 1));
        let outcome = store::submit(db, &settings, &new, at)
            .await?
            .map_err(|refusal| DemoError::Invalid(format!("demo comment refused: {refusal:?}")))?;
        if n == 1 {
            question = match outcome {
                store::Outcome::Published(id) => Some(id),
                store::Outcome::Queued(_) => None,
            };
        }
    }
    if let Some(question) = question {
        let answer = CommentBody::parse(
            "Goede vraag! De gemeente verstuurt de aanslagen eind februari. We houden je op de \
             hoogte.",
        )
        .map_err(invalid)?;
        let name = "Redactie Omroep Lindewijk";
        store::reply_as_newsroom(
            db,
            question,
            name,
            "redactie@lindewijk.example",
            &answer,
            now - 90 * 60,
        )
        .await?;
    }
    Ok(())
}

/// A storm of a few weeks ago, long over: the calamity archive's example, with official
/// messages from three authorities and one correction. Entirely invented.
const PAST_CALAMITY: (&str, &str) = (
    "Zware storm trekt over Lindewijk",
    "Lindewijk, Oosterbroek, Meerveld",
);

/// (authority, source, text, minutes after the start, corrected text and why)
type DemoMessage = (
    &'static str,
    &'static str,
    &'static str,
    i64,
    Option<(&'static str, &'static str)>,
);

const PAST_MESSAGES: [DemoMessage; 3] = [
    (
        "veiligheidsregio",
        "Veiligheidsregio Lindewijk-Oost",
        "Zeer zware windstoten tot in de avond. Blijf zoveel mogelijk binnen en zet losse spullen in de tuin en op het balkon vast.",
        10,
        None,
    ),
    (
        "gemeente",
        "Gemeente Lindewijk",
        "De Parkweg en de Molenstraat zijn afgesloten door omgevallen bomen. Rijd niet om over het fietspad langs de Vaart.",
        75,
        Some((
            "De Parkweg is weer open. De Molenstraat blijft afgesloten tot morgenochtend; rijd niet om over het fietspad langs de Vaart.",
            "De brandweer heeft de Parkweg vrijgemaakt.",
        )),
    ),
    (
        "politie",
        "Politie Lindewijk",
        "Bel 112 alleen bij direct gevaar. Schade aan bomen en daken meldt u bij de gemeente.",
        140,
        None,
    ),
];

pub async fn past_calamity(db: &Db, now: i64) -> Result<(), DemoError> {
    let started = publication_time(now, 23, 15, 40);
    let ended = started + 9 * 3600;
    let by = "Redactie (demo)";
    let mut tx = db.write().await.map_err(StoreError::from)?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO calamities (title, areas, light_pages, started_at, started_by, updated_at, \
         ended_at, ended_by) VALUES ($1, $2, 1, $3, $4, $5, $5, $4) RETURNING id",
    )
    .bind(PAST_CALAMITY.0)
    .bind(PAST_CALAMITY.1)
    .bind(started)
    .bind(by)
    .bind(ended)
    .fetch_one(&mut *tx)
    .await
    .map_err(StoreError::from)?;
    for (authority, source, text, minutes, correction) in PAST_MESSAGES {
        let at = started + minutes * 60;
        let message: i64 = sqlx::query_scalar(
            "INSERT INTO official_messages (calamity_id, authority, source, body, issued_at, \
             posted_at, posted_by) VALUES ($1, $2, $3, $4, $5, $5, $6) RETURNING id",
        )
        .bind(id)
        .bind(authority)
        .bind(source)
        .bind(text)
        .bind(at)
        .bind(by)
        .fetch_one(&mut *tx)
        .await
        .map_err(StoreError::from)?;
        if let Some((corrected, reason)) = correction {
            sqlx::query(
                "INSERT INTO official_messages (calamity_id, authority, source, body, \
                 issued_at, posted_at, posted_by, corrects_id, reason) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(id)
            .bind(authority)
            .bind(source)
            .bind(corrected)
            .bind(at)
            .bind(at + 95 * 60)
            .bind(by)
            .bind(message)
            .bind(reason)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::from)?;
        }
    }
    tx.commit().await.map_err(StoreError::from)?;
    Ok(())
}

/// Radio Lindewijk and TV Lindewijk: slug, name, kind, stream (an Icecast mount on the
/// machine itself; the player says so when nothing is there).
const STATIONS: [(&str, &str, &str, &str); 2] = [
    (
        "radio-lindewijk",
        "Radio Lindewijk",
        "radio",
        "http://127.0.0.1:8000/lindewijk.mp3",
    ),
    (
        "tv-lindewijk",
        "TV Lindewijk",
        "tv",
        "http://127.0.0.1:8000/tv/lindewijk.m3u8",
    ),
];

struct DemoProgramme {
    slug: &'static str,
    station: usize,
    title: &'static str,
    summary: &'static str,
    description: &'static str,
    presenters: &'static [&'static str],
    /// Weekdays (1 = Monday), start "HH:MM", minutes.
    slots: &'static [(&'static [u32], &'static str, u32)],
}

const WEEKDAYS: &[u32] = &[1, 2, 3, 4, 5];
const EVERY_DAY: &[u32] = &[1, 2, 3, 4, 5, 6, 7];

const PROGRAMMES: [DemoProgramme; 6] = [
    DemoProgramme {
        slug: "goedemorgen-lindewijk",
        station: 0,
        title: "Goedemorgen Lindewijk",
        summary: "Wakker worden met het nieuws, het weer en het verkeer uit de gemeente.",
        description: "Elke doordeweekse ochtend het eerste nieuws uit Lindewijk, Meerveld en \
Hooghuizen, om het halfuur het weer en de files op de N-wegen rond het dorp, en een gast die \
vertelt wat er vandaag speelt.\n\nTips voor de uitzending? Stuur ze via de [tiplijn](/tip).",
        presenters: &["joost-brinkhorst"],
        slots: &[(WEEKDAYS, "07:00", 180)],
    },
    DemoProgramme {
        slug: "lindewijk-vandaag",
        station: 0,
        title: "Lindewijk Vandaag",
        summary: "Het middagmagazine: politiek, wonen en wat de gemeente besluit.",
        description: "Een uur verdieping bij het nieuws van de dag. Op woensdag na elke \
raadsvergadering de besluiten in gewone taal.",
        presenters: &["anouk-verhaar"],
        slots: &[(WEEKDAYS, "12:00", 60)],
    },
    DemoProgramme {
        slug: "uit-in-lindewijk",
        station: 0,
        title: "Uit in Lindewijk",
        summary: "Toneel, muziek, tentoonstellingen: wat er te doen is in de gemeente.",
        description: "Fenna Lamberts praat met makers en bezoekers en zet de agenda van het \
weekend op een rij.",
        presenters: &["fenna-lamberts"],
        slots: &[(&[6], "10:00", 120), (&[7], "14:00", 120)],
    },
    DemoProgramme {
        slug: "de-zaterdagploeg",
        station: 0,
        title: "De Zaterdagploeg",
        summary: "Live langs de velden: voetbal, korfbal en hockey uit de dorpen.",
        description: "Verslaggevers langs de lijn bij VV Lindewijk, SC Meerveld en de \
hockeyclub van Hooghuizen, met uitslagen zodra het fluitsignaal klinkt.",
        presenters: &["joost-brinkhorst", "ravi-doelman"],
        slots: &[(&[6], "13:00", 240)],
    },
    DemoProgramme {
        slug: "nachtwacht",
        station: 0,
        title: "Nachtwacht",
        summary: "Muziek door de nacht, met het nieuws op het hele uur.",
        description: "Zonder presentatie: rustige muziek tot de ochtend. Bij een calamiteit \
onderbreken we Nachtwacht met berichten van de veiligheidsregio.",
        presenters: &[],
        slots: &[(EVERY_DAY, "23:00", 180)],
    },
    DemoProgramme {
        slug: "tv-lindewijk-journaal",
        station: 1,
        title: "TV Lindewijk Journaal",
        summary:
            "Het nieuws uit de gemeente in beeld, elke avond om zes uur en herhaald om tien uur.",
        description: "Een halfuur nieuws, sport en cultuur in beeld, met de reportages van de \
dag.",
        presenters: &["mieke-oudeland", "anouk-verhaar"],
        slots: &[(EVERY_DAY, "18:00", 30), (EVERY_DAY, "22:00", 30)],
    },
];

/// The two stations, six programmes and their week.
pub async fn on_air(db: &Db, now: i64) -> Result<(), DemoError> {
    use app::on_air::{schedule::WeeklySlot, store, StationKind};
    let mut stations = Vec::new();
    for (position, (slug, name, kind, stream)) in STATIONS.into_iter().enumerate() {
        let kind = StationKind::parse(kind).ok_or_else(|| DemoError::Invalid(kind.into()))?;
        let id = store::add_station(
            db,
            &store::NewStation {
                slug,
                name,
                kind,
                stream_url: stream,
                status_url: None,
                position: position as i64,
            },
        )
        .await?;
        stations.push(id);
    }
    for p in &PROGRAMMES {
        let station_id = stations[p.station];
        let id = store::add_programme(
            db,
            &store::NewProgramme {
                slug: p.slug,
                station_id,
                title: p.title,
                summary: p.summary,
                description_md: p.description,
                presenters: p.presenters,
            },
            now,
        )
        .await?;
        for (days, start, length) in p.slots {
            let (h, m) = start
                .split_once(':')
                .and_then(|(h, m)| Some((h.parse::<u32>().ok()?, m.parse::<u32>().ok()?)))
                .ok_or_else(|| DemoError::Invalid(format!("time {start}")))?;
            for &weekday in *days {
                let slot = WeeklySlot {
                    id: 0,
                    station_id,
                    programme_id: id,
                    weekday,
                    start_minute: h * 60 + m,
                    length_minutes: *length,
                };
                store::add_weekly_slot(db, &slot, now)
                    .await
                    .map_err(|e| match e {
                        store::ScheduleError::Store(err) => DemoError::Store(err),
                        other => DemoError::Invalid(format!("{}: {other}", p.slug)),
                    })?;
            }
        }
    }
    Ok(())
}

/// The broadcaster's own pages, in footer order: slug, title, Markdown.
const SITE_PAGES: [(&str, &str, &str); 5] = [
    (
        "over-ons",
        "Over ons",
        include_str!("../demo/pages/over-ons.md"),
    ),
    (
        "contact",
        "Contact",
        include_str!("../demo/pages/contact.md"),
    ),
    (
        "colofon",
        "Colofon",
        include_str!("../demo/pages/colofon.md"),
    ),
    (
        "privacyverklaring",
        "Privacyverklaring",
        include_str!("../demo/pages/privacyverklaring.md"),
    ),
    (
        "toegankelijkheid",
        "Toegankelijkheidsverklaring",
        include_str!("../demo/pages/toegankelijkheid.md"),
    ),
];

/// Over ons, Contact, Colofon, the privacy statement and the accessibility statement, linked
/// from the footer.
pub async fn site_pages(db: &Db, now: i64) -> Result<(), DemoError> {
    for (position, (slug, title, body)) in SITE_PAGES.into_iter().enumerate() {
        let draft = app::site_pages::PageDraft::parse(
            title,
            slug,
            body,
            true,
            &(position * 10).to_string(),
        )
        .map_err(|e| DemoError::Invalid(format!("page {slug}: {e}")))?;
        app::site_pages::store::save(db, None, None, 0, &draft, now)
            .await
            .map_err(|e| match e {
                app::site_pages::store::SaveError::Store(err) => DemoError::Store(err),
                other => DemoError::Invalid(format!("page {slug}: {other}")),
            })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    // Wednesday 2024-11-13 13:05 UTC = 14:05 Amsterdam.
    const NOW: i64 = 1_731_503_100;

    #[test]
    fn publication_time_is_local_time_days_before() {
        // Two days before, 09:30 Amsterdam = 08:30 UTC on 2024-11-11.
        assert_eq!(publication_time(NOW, 2, 9, 30), 1_731_313_800);
    }

    #[test]
    fn publication_time_later_today_is_moved_into_the_past() {
        assert_eq!(publication_time(NOW, 0, 22, 0), NOW - 300);
    }
}
