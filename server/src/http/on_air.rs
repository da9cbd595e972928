//! `/gids.ics`: the coming week's broadcasts as iCalendar, for a calendar app to subscribe to;
//! and the schedule desk's forms (editors; new stations for admins). A refused form renders the
//! desk again with what was typed and why.

use app::{
    accounts::CurrentUser,
    newsroom::ProgrammingSubmission,
    on_air::{
        parse_span,
        schedule::{local_moment, WeeklySlot},
        store::{self, ScheduleError},
        StationKind,
    },
    paths,
    slug::Slug,
    state::AppState,
};
use axum::{
    extract::{Path, State},
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
    Form, Router,
};
use chrono::NaiveDate;
use icalendar::{Calendar, Component, Event, EventLike};

use super::{
    error::internal,
    feeds::absolute,
    newsroom::{render_with, see_other},
    roles::{Admin, Editor},
};

/// A form's fields as sent, repeated names and all.
type Fields = Vec<(String, String)>;

fn field<'a>(fields: &'a Fields, name: &str) -> &'a str {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.trim())
        .unwrap_or("")
}

fn done(code: &str) -> Response {
    see_other(&format!("{}?gelukt={code}", paths::PROGRAMMING))
}

/// The desk again with `form`'s fields and `error`.
async fn refuse(
    state: &AppState,
    user: CurrentUser,
    form: &str,
    fields: Fields,
    error: String,
    status: StatusCode,
) -> Response {
    let submission = ProgrammingSubmission {
        form: form.into(),
        fields,
        error,
    };
    render_with(state, paths::PROGRAMMING.into(), user, submission, status).await
}

async fn schedule_refusal(
    state: &AppState,
    user: CurrentUser,
    form: &str,
    fields: Fields,
    err: ScheduleError,
) -> Response {
    match err {
        ScheduleError::Store(err) => internal(err),
        ScheduleError::Overlap(_) => {
            refuse(
                state,
                user,
                form,
                fields,
                err.to_string(),
                StatusCode::CONFLICT,
            )
            .await
        }
        other => {
            refuse(
                state,
                user,
                form,
                fields,
                other.to_string(),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

/// The station of a programme, read from the form's programme id.
async fn programme_station(state: &AppState, fields: &Fields) -> Option<(i64, i64)> {
    let id: i64 = field(fields, "programma").parse().ok()?;
    sqlx::query_scalar("SELECT station_id FROM programmes WHERE id = $1")
        .bind(id)
        .fetch_optional(state.db.pool())
        .await
        .ok()
        .flatten()
        .map(|station: i64| (station, id))
}

async fn add_slots(
    State(state): State<AppState>,
    Editor(user): Editor,
    Form(fields): Form<Fields>,
) -> Response {
    let form = "tijdslot";
    let Some((station_id, programme_id)) = programme_station(&state, &fields).await else {
        return refuse(
            &state,
            user,
            form,
            fields,
            "Kies een programma.".into(),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let (start_minute, length_minutes) =
        match parse_span(field(&fields, "begin"), field(&fields, "einde")) {
            Ok(span) => span,
            Err(e) => {
                return refuse(
                    &state,
                    user,
                    form,
                    fields,
                    e.into(),
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .await
            }
        };
    let slots: Vec<WeeklySlot> = (1..=7)
        .filter(|day| !field(&fields, &format!("dag{day}")).is_empty())
        .map(|weekday| WeeklySlot {
            id: 0,
            station_id,
            programme_id,
            weekday,
            start_minute,
            length_minutes,
        })
        .collect();
    if slots.is_empty() {
        return refuse(
            &state,
            user,
            form,
            fields,
            "Kies minstens één dag.".into(),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    match store::add_weekly_slots(&state.db, &slots, app::db::now()).await {
        Ok(_) => done("tijdslot"),
        Err(err) => schedule_refusal(&state, user, form, fields, err).await,
    }
}

/// A date from a form: `yyyy-mm-dd`, within this century and the next.
fn date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .filter(|d| (2000..=2199).contains(&chrono::Datelike::year(d)))
}

async fn add_one_off(
    State(state): State<AppState>,
    Editor(user): Editor,
    Form(fields): Form<Fields>,
) -> Response {
    let form = "eenmalig";
    let Some((station_id, programme_id)) = programme_station(&state, &fields).await else {
        return refuse(
            &state,
            user,
            form,
            fields,
            "Kies een programma.".into(),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let Some(day) = date(field(&fields, "datum")) else {
        return refuse(
            &state,
            user,
            form,
            fields,
            "Kies een datum.".into(),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let (start, length) = match parse_span(field(&fields, "begin"), field(&fields, "einde")) {
        Ok(span) => span,
        Err(e) => {
            return refuse(
                &state,
                user,
                form,
                fields,
                e.into(),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    };
    let (starts_at, ends_at) = (local_moment(day, start), local_moment(day, start + length));
    match store::add_one_off(
        &state.db,
        station_id,
        programme_id,
        starts_at,
        ends_at,
        app::db::now(),
    )
    .await
    {
        Ok(_) => done("eenmalig"),
        Err(err) => schedule_refusal(&state, user, form, fields, err).await,
    }
}

async fn cancel(
    State(state): State<AppState>,
    Editor(user): Editor,
    Form(fields): Form<Fields>,
) -> Response {
    let form = "vervalt";
    let (Ok(slot), Some(day)) = (
        field(&fields, "tijdslot").parse::<i64>(),
        date(field(&fields, "datum")),
    ) else {
        return refuse(
            &state,
            user,
            form,
            fields,
            "Kies een tijdslot en een datum.".into(),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    match store::cancel(&state.db, slot, day, app::db::now()).await {
        Ok(()) => done("vervalt"),
        Err(err) => schedule_refusal(&state, user, form, fields, err).await,
    }
}

async fn remove_slot(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Editor(_): Editor,
) -> Response {
    match store::remove_slot(&state.db, id, app::db::now()).await {
        Ok(_) => done("verwijderd"),
        Err(err) => internal(err),
    }
}

async fn remove_one_off(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Editor(_): Editor,
) -> Response {
    match store::remove_one_off(&state.db, id, app::db::now()).await {
        Ok(_) => done("verwijderd"),
        Err(err) => internal(err),
    }
}

async fn add_programme(
    State(state): State<AppState>,
    Editor(user): Editor,
    Form(fields): Form<Fields>,
) -> Response {
    let form = "programma";
    let title = field(&fields, "titel");
    let problem = if title.is_empty() || title.chars().count() > 120 {
        Some("Geef het programma een titel (hoogstens 120 tekens).")
    } else if Slug::parse(field(&fields, "adres")).is_err() {
        Some("Het adres mag alleen kleine letters, cijfers en streepjes bevatten, zoals ochtendshow.")
    } else if field(&fields, "samenvatting").is_empty() {
        Some("Schrijf een samenvatting van één zin.")
    } else {
        None
    };
    let station_id: Option<i64> = field(&fields, "zender").parse().ok();
    let station_known = match station_id {
        Some(id) => store::stations(&state.db)
            .await
            .map(|all| all.iter().any(|s| s.id == id)),
        None => Ok(false),
    };
    let problem = match (problem, station_known) {
        (Some(p), _) => Some(p),
        (None, Ok(false)) => Some("Kies een zender."),
        (None, Err(err)) => return internal(err),
        (None, Ok(true)) => None,
    };
    if let Some(problem) = problem {
        return refuse(
            &state,
            user,
            form,
            fields,
            problem.into(),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let presenters: Vec<&str> = fields
        .iter()
        .filter_map(|(k, _)| k.strip_prefix("presentator-"))
        .collect();
    let new = store::NewProgramme {
        slug: field(&fields, "adres"),
        station_id: station_id.unwrap_or_default(),
        title,
        summary: field(&fields, "samenvatting"),
        description_md: field(&fields, "beschrijving"),
        presenters: &presenters,
    };
    let taken: Result<Option<i64>, _> =
        sqlx::query_scalar("SELECT id FROM programmes WHERE slug = $1")
            .bind(new.slug)
            .fetch_optional(state.db.pool())
            .await;
    match taken {
        Ok(Some(_)) => {
            let error = "Er is al een programma met dit adres.".to_string();
            return refuse(&state, user, form, fields, error, StatusCode::CONFLICT).await;
        }
        Err(err) => return internal(err),
        Ok(None) => {}
    }
    match store::add_programme(&state.db, &new, app::db::now()).await {
        Ok(_) => done("programma"),
        Err(err) => internal(err),
    }
}

async fn add_station(
    State(state): State<AppState>,
    Admin(user): Admin,
    Form(fields): Form<Fields>,
) -> Response {
    let form = "zender";
    let stream = field(&fields, "stream");
    let status = field(&fields, "status");
    let is_web = |u: &str| url_ok(u);
    let problem = if field(&fields, "naam").is_empty() {
        Some("Geef de zender een naam.")
    } else if Slug::parse(field(&fields, "adres")).is_err() {
        Some("Het korte adres mag alleen kleine letters, cijfers en streepjes bevatten.")
    } else if StationKind::parse(field(&fields, "soort")).is_none() {
        Some("Kies radio of tv.")
    } else if !is_web(stream) {
        Some("Vul het adres van de stream in, beginnend met https:// of http://.")
    } else if !status.is_empty() && !is_web(status) {
        Some("Het statusadres begint met https:// of http://.")
    } else {
        None
    };
    if let Some(problem) = problem {
        return refuse(
            &state,
            user,
            form,
            fields,
            problem.into(),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let stations = match store::stations(&state.db).await {
        Ok(stations) => stations,
        Err(err) => return internal(err),
    };
    if stations.iter().any(|s| s.slug == field(&fields, "adres")) {
        let error = "Er is al een zender met dit adres.".to_string();
        return refuse(&state, user, form, fields, error, StatusCode::CONFLICT).await;
    }
    let position = stations.len() as i64;
    let new = store::NewStation {
        slug: field(&fields, "adres"),
        name: field(&fields, "naam"),
        kind: StationKind::parse(field(&fields, "soort")).unwrap_or(StationKind::Radio),
        stream_url: stream,
        status_url: (!status.is_empty()).then_some(status),
        position,
    };
    match store::add_station(&state.db, &new).await {
        Ok(_) => done("zender"),
        Err(err) => internal(err),
    }
}

/// An absolute http(s) address with a host.
fn url_ok(text: &str) -> bool {
    url::Url::parse(text)
        .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
}

/// How far ahead the calendar reaches.
const DAYS: i64 = 7;

async fn guide_ics(State(state): State<AppState>) -> Response {
    let now = app::db::now();
    let (stations, programmes, broadcasts) = match futures::try_join!(
        store::stations(&state.db),
        store::programme_titles(&state.db),
        store::broadcasts(&state.db, now, now + DAYS * 86_400),
    ) {
        Ok(all) => all,
        Err(err) => return internal(err),
    };
    let host = state
        .site
        .base_url
        .split("://")
        .nth(1)
        .unwrap_or("zender")
        .trim_end_matches('/')
        .to_string();
    let mut calendar = Calendar::new()
        .name(&format!("Programmagids {}", state.site.name))
        .description(&format!("Radio en tv van {}", state.site.name))
        .timezone("Europe/Amsterdam")
        .done();
    for b in &broadcasts {
        let (Some(station), Some((slug, title))) = (
            stations.iter().find(|s| s.id == b.station_id),
            programmes.get(&b.programme_id),
        ) else {
            continue;
        };
        let (Some(starts), Some(ends)) = (
            chrono::DateTime::from_timestamp(b.starts_at, 0),
            chrono::DateTime::from_timestamp(b.ends_at, 0),
        ) else {
            continue;
        };
        calendar.push(
            Event::new()
                .uid(&format!("{}-{}-{}@{host}", station.slug, slug, b.starts_at))
                .summary(&format!("{title} ({})", station.name))
                .location(&station.name)
                .url(&absolute(&state, &paths::PROGRAMME.to(&[slug])))
                .starts(starts)
                .ends(ends)
                .done(),
        );
    }
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/calendar; charset=utf-8"),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_static("inline; filename=\"gids.ics\""),
            ),
        ],
        calendar.to_string(),
    )
        .into_response()
}

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route(paths::GUIDE_ICS, get(guide_ics))
        .route(paths::PROGRAMMING_SLOTS, post(add_slots))
        .route(paths::PROGRAMMING_SLOT_REMOVE.template(), post(remove_slot))
        .route(paths::PROGRAMMING_ONE_OFFS, post(add_one_off))
        .route(
            paths::PROGRAMMING_ONE_OFF_REMOVE.template(),
            post(remove_one_off),
        )
        .route(paths::PROGRAMMING_CANCEL, post(cancel))
        .route(paths::PROGRAMMING_PROGRAMMES, post(add_programme))
        .route(paths::PROGRAMMING_STATIONS, post(add_station))
}
