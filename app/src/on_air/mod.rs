//! On air: the broadcaster's stations, programmes and schedule. The model is station →
//! programme → broadcast (a slot in the schedule). Readers get the programme guide at `/gids`
//! (today, tomorrow, the week; the current broadcast marked; also as iCalendar at `/gids.ics`)
//! and a page per programme at `/programma/<slug>`. Times are Europe/Amsterdam.

#[cfg(feature = "ssr")]
pub mod icecast;
#[cfg(feature = "ssr")]
pub mod schedule;
#[cfg(feature = "ssr")]
pub mod store;

use leptos::{
    either::{Either, EitherOf3},
    prelude::*,
};
use leptos_meta::{Link, Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

use crate::{
    dates,
    pages::{absolute, JsonLd, NotFound, ServerError},
    paths,
    site::SiteInfo,
};

#[cfg(feature = "ssr")]
const DOING: &str = "loading the programme guide";

/// Radio or television.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StationKind {
    Radio,
    Tv,
}

impl StationKind {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "radio" => Some(StationKind::Radio),
            "tv" => Some(StationKind::Tv),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            StationKind::Radio => "radio",
            StationKind::Tv => "tv",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Station {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub kind: StationKind,
    pub stream_url: String,
}

/// One broadcast in the guide.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuideEntry {
    pub programme_slug: String,
    pub programme_title: String,
    pub summary: String,
    pub starts_at: i64,
    pub ends_at: i64,
    /// On air at the moment the guide was made.
    pub current: bool,
    /// A one-off in place of what the week says.
    pub one_off: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuideStation {
    pub station: Station,
    pub entries: Vec<GuideEntry>,
    /// What the station's playout reports as playing now.
    pub now_playing: Option<String>,
}

/// Which part of the guide: `?dag=vandaag|morgen|week`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum GuideDay {
    #[default]
    Today,
    Tomorrow,
    Week,
}

impl GuideDay {
    pub fn parse(text: &str) -> Self {
        match text {
            "morgen" => GuideDay::Tomorrow,
            "week" => GuideDay::Week,
            _ => GuideDay::Today,
        }
    }

    pub fn param(self) -> &'static str {
        match self {
            GuideDay::Today => "vandaag",
            GuideDay::Tomorrow => "morgen",
            GuideDay::Week => "week",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            GuideDay::Today => "Vandaag",
            GuideDay::Tomorrow => "Morgen",
            GuideDay::Week => "Deze week",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Guide {
    pub day: GuideDay,
    pub from: i64,
    pub to: i64,
    pub stations: Vec<GuideStation>,
}

/// A presenter, with the author page the name links to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Presenter {
    pub name: String,
    pub slug: String,
}

/// When a programme is on each week, e.g. "maandag 07:00–10:00".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeeklyTime {
    pub weekday: u32,
    pub start_minute: u32,
    pub length_minutes: u32,
}

impl WeeklyTime {
    pub fn text(&self) -> String {
        const DAYS: [&str; 7] = [
            "maandag",
            "dinsdag",
            "woensdag",
            "donderdag",
            "vrijdag",
            "zaterdag",
            "zondag",
        ];
        let end = (self.start_minute + self.length_minutes) % 1440;
        format!(
            "{} {:02}:{:02}–{:02}:{:02}",
            DAYS[(self.weekday.clamp(1, 7) - 1) as usize],
            self.start_minute / 60,
            self.start_minute % 60,
            end / 60,
            end % 60
        )
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgrammePage {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub description_html: String,
    pub station: Station,
    pub presenters: Vec<Presenter>,
    pub weekly: Vec<WeeklyTime>,
    /// The next broadcasts (and the current one), soonest first.
    pub upcoming: Vec<GuideEntry>,
}

/// "07:00", "7:00" or "7.00" as minutes after midnight.
pub fn parse_clock(text: &str) -> Option<u32> {
    let (h, m) = text.trim().split_once([':', '.'])?;
    let (h, m) = (h.trim().parse::<u32>().ok()?, m.trim().parse::<u32>().ok()?);
    (h < 24 && m < 60 && text.trim().len() <= 5).then_some(h * 60 + m)
}

/// A start and end time as start minute and length; an end at or before the start is the next
/// day (23:00–02:00).
pub fn parse_span(start: &str, end: &str) -> Result<(u32, u32), &'static str> {
    let start = parse_clock(start).ok_or("Vul de begintijd in als uu:mm, bijvoorbeeld 07:00.")?;
    let end = parse_clock(end).ok_or("Vul de eindtijd in als uu:mm, bijvoorbeeld 09:00.")?;
    if start == end {
        return Err("Begin en einde zijn gelijk.");
    }
    let length = if end > start {
        end - start
    } else {
        1440 - start + end
    };
    Ok((start, length))
}

/// The newsroom's schedule desk: what there is, and what is on air now.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleDesk {
    pub stations: Vec<Station>,
    pub programmes: Vec<ProgrammeOption>,
    pub slots: Vec<SlotListing>,
    pub one_offs: Vec<OneOffListing>,
    /// Per station, the broadcast on air now.
    pub on_air: Vec<(String, GuideEntry)>,
    /// Author pages a programme can name as presenters: slug and name.
    pub authors: Vec<(String, String)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgrammeOption {
    pub id: i64,
    pub station_id: i64,
    pub slug: String,
    pub title: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotListing {
    pub id: i64,
    pub station_id: i64,
    pub programme_title: String,
    pub time: WeeklyTime,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OneOffListing {
    pub id: i64,
    pub station_id: i64,
    pub programme_title: String,
    pub starts_at: i64,
    pub ends_at: i64,
}

#[server]
pub async fn load_guide(day: GuideDay) -> Result<Guide, ServerFnError> {
    let state = expect_context::<crate::state::AppState>();
    store::guide(&state.db, day, crate::db::now())
        .await
        .map_err(crate::internal(DOING))
}

#[server]
pub async fn load_programme(slug: String) -> Result<Option<ProgrammePage>, ServerFnError> {
    let state = expect_context::<crate::state::AppState>();
    store::programme(&state.db, &slug, crate::db::now())
        .await
        .map_err(crate::internal(DOING))
}

/// `/gids`.
#[component]
pub fn GuidePage() -> impl IntoView {
    let day = GuideDay::parse(
        &use_query_map()
            .get_untracked()
            .get("dag")
            .unwrap_or_default(),
    );
    let data = Resource::new_blocking(move || day, load_guide);
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(guide) => Either::Left(view! { <GuideView guide/> }),
                    Err(_) => Either::Right(view! { <ServerError/> }),
                }
            })}
        </Suspense>
    }
}

fn time_range(entry: &GuideEntry) -> String {
    format!(
        "{}–{}",
        dates::clock(entry.starts_at),
        dates::clock(entry.ends_at)
    )
}

#[component]
fn GuideView(guide: Guide) -> impl IntoView {
    let site = expect_context::<SiteInfo>();
    let path = match guide.day {
        GuideDay::Today => paths::GUIDE.to_string(),
        day => format!("{}?dag={}", paths::GUIDE, day.param()),
    };
    let json_ld = crate::pages::on_air_guide(&site, &guide);
    let tabs = [GuideDay::Today, GuideDay::Tomorrow, GuideDay::Week]
        .into_iter()
        .map(|day| {
            let current = (day == guide.day).then_some("page");
            view! {
                <li><a href=format!("{}?dag={}", paths::GUIDE, day.param()) aria-current=current>{day.label()}</a></li>
            }
        })
        .collect_view();
    let week = guide.day == GuideDay::Week;
    view! {
        <Title text=format!("Programmagids – {}", site.name)/>
        <Meta name="description" content=format!("Wat er op radio en tv van {} is, vandaag, morgen en deze week.", site.name)/>
        <Link rel="canonical" href=absolute(&site, &path)/>
        <JsonLd blocks=json_ld/>
        <h1 class="page-title">"Programmagids"</h1>
        <nav class="guide-days" aria-label="Dag in de gids"><ul>{tabs}</ul></nav>
        <p class="guide-ics"><a href=paths::GUIDE_ICS>"Gids in je agenda (iCalendar)"</a></p>
        {guide.stations.into_iter().map(|gs| {
            let playing = gs.now_playing.clone();
            let heading = format!("gids-{}", gs.station.slug);
            let labelled_by = heading.clone();
            let empty = gs.entries.is_empty();
            let mut last_day = String::new();
            view! {
                <section class="guide-station" aria-labelledby=labelled_by>
                    <h2 id=heading>{gs.station.name.clone()}</h2>
                    {empty.then(|| view! { <p class="empty">"Geen uitzendingen in deze periode."</p> })}
                    <ol class="guide-list">
                        {gs.entries.into_iter().map(|entry| {
                            let day = dates::date(entry.starts_at);
                            let day_heading = (week && day != last_day).then(|| {
                                last_day = day.clone();
                                view! { <li class="guide-day-heading" aria-hidden="true">{dates::weekday_date(entry.starts_at)}</li> }
                            });
                            let range = time_range(&entry);
                            view! {
                                {day_heading}
                                <li class="guide-entry" class:guide-now=entry.current
                                    aria-current=entry.current.then_some("time")>
                                    <time datetime=dates::iso(entry.starts_at)>{range}</time>
                                    {week.then(|| view! { <span class="visually-hidden">{format!(" ({})", dates::date(entry.starts_at))}</span> })}
                                    " "
                                    <a href=paths::PROGRAMME.to(&[&entry.programme_slug])>{entry.programme_title.clone()}</a>
                                    {entry.current.then(|| view! { " " <strong class="guide-now-label">"Nu"</strong> })}
                                    {entry.one_off.then(|| view! { " " <span class="guide-special">"Extra uitzending"</span> })}
                                    <p class="guide-summary">{entry.summary.clone()}</p>
                                    {entry.current.then(|| playing.clone()).flatten().map(|title| view! {
                                        <p class="guide-playing">{format!("Nu speelt: {title}")}</p>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                </section>
            }
        }).collect_view()}
    }
}

/// `/programma/<slug>`.
#[component]
pub fn ProgrammeRoute() -> impl IntoView {
    let slug = use_params_map()
        .get_untracked()
        .get("slug")
        .unwrap_or_default();
    let data = Resource::new_blocking(move || slug.clone(), load_programme);
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(Some(programme)) => EitherOf3::A(view! { <ProgrammeView programme/> }),
                    Ok(None) => EitherOf3::B(view! { <NotFound/> }),
                    Err(_) => EitherOf3::C(view! { <ServerError/> }),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ProgrammeView(programme: ProgrammePage) -> impl IntoView {
    let site = expect_context::<SiteInfo>();
    let path = paths::PROGRAMME.to(&[&programme.slug]);
    let json_ld = crate::pages::on_air_programme(&site, &programme);
    let presenters = (!programme.presenters.is_empty()).then(|| {
        let list = programme
            .presenters
            .iter()
            .map(|p| {
                view! { <li><a href=format!("/auteur/{}", p.slug)>{p.name.clone()}</a></li> }
            })
            .collect_view();
        view! {
            <h2>"Presentatie"</h2>
            <ul class="programme-presenters">{list}</ul>
        }
    });
    view! {
        <Title text=format!("{} – {}", programme.title, site.name)/>
        <Meta name="description" content=programme.summary.clone()/>
        <Link rel="canonical" href=absolute(&site, &path)/>
        <JsonLd blocks=json_ld/>
        <article class="programme">
            <p class="programme-station">{programme.station.name.clone()}</p>
            <h1 class="page-title">{programme.title.clone()}</h1>
            <p class="lead">{programme.summary.clone()}</p>
            <div class="article-body" inner_html=programme.description_html.clone()></div>
            {presenters}
            <h2>"Wanneer"</h2>
            <ul class="programme-times">
                {programme.weekly.iter().map(|w| view! { <li>{w.text()}</li> }).collect_view()}
            </ul>
            <h2>"Volgende uitzendingen"</h2>
            {programme.upcoming.is_empty().then(|| view! { <p class="empty">"Er staat geen uitzending gepland."</p> })}
            <ol class="guide-list">
                {programme.upcoming.into_iter().map(|entry| {
                    let when = format!("{} {}", dates::weekday_date(entry.starts_at), time_range(&entry));
                    view! {
                        <li class="guide-entry" class:guide-now=entry.current aria-current=entry.current.then_some("time")>
                            <time datetime=dates::iso(entry.starts_at)>{when}</time>
                            {entry.current.then(|| view! { " " <strong class="guide-now-label">"Nu"</strong> })}
                        </li>
                    }
                }).collect_view()}
            </ol>
            <p><a href=paths::GUIDE>"Naar de programmagids"</a></p>
        </article>
    }
}
