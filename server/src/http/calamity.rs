//! Calamity mode over HTTP.
//!
//! Readers: `/calamiteit` (the kept emergency page, never waiting for the database), `/` from
//! that same copy while the database cannot be reached, the archive of calamities that are over,
//! and the official messages as RSS (`/calamiteit/rss.xml`) and as CAP 1.2
//! (`/calamiteit/cap.xml`, the Common Alerting Protocol).
//!
//! The newsroom (editor role): switching the mode on (checked, then confirmed twice: a box
//! ticked and a word typed), changing and switching it off, posting official messages and
//! correcting them. Refused forms come back with what was typed and why, in Dutch.

use std::time::Duration;

use app::{
    accounts::CurrentUser,
    calamity::{
        self, emergency,
        store::{self, Correctable, MessageText, WriteError},
        CalamityError, CalamitySettings, Correction, MessagePost, CONFIRM_WORD,
    },
    newsroom::CalamitySubmission,
    paths,
    security::Framing,
    state::AppState,
};
use axum::{
    body::Body,
    extract::{Path, Request, State},
    http::{header, HeaderMap, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
    Form,
};
use quick_xml::{
    events::{BytesDecl, BytesText, Event},
    Writer,
};
use serde::Deserialize;

use super::{
    cache::{coding, Coding},
    error::{internal, AppError},
    feeds::absolute,
    headers::SecurityHeaders,
    newsroom::{render_with, see_other},
    roles::Editor,
};
use crate::calamity::{EmergencyPage, Variant};

/// How long the CAP output keeps saying an ended calamity was cancelled (seconds).
const CANCEL_SHOWN: i64 = 24 * 3600;

/// How long `/` may take to render before readers get the emergency copy instead: a database
/// that hangs (a locked file) must not hold the town's front page.
const FRONT_PAGE_PATIENCE: Duration = Duration::from_secs(5);

/// The kept page and the headers every response gets.
#[derive(Clone)]
pub struct Emergency {
    pub page: EmergencyPage,
    pub security: SecurityHeaders,
}

/// Answers `/calamiteit` from the kept copy, and `/` from it when the database cannot be
/// reached (or the page cannot be rendered): never a 500 for the front page.
pub async fn emergency_first(
    State(Emergency { page, security }): State<Emergency>,
    request: Request,
    next: Next,
) -> Response {
    let method = request.method();
    if !(method == Method::GET || method == Method::HEAD) {
        return next.run(request).await;
    }
    let path = request.uri().path();
    let reachable = || page.state().live.database_reachable(app::db::now());
    if path == paths::CALAMITY {
        let head = method == Method::HEAD;
        let asked = Asked::of(request.headers());
        return kept(&page, &security, &asked, !reachable(), head);
    }
    if path != "/" {
        return next.run(request).await;
    }
    let head = method == Method::HEAD;
    let asked = Asked::of(request.headers());
    if !reachable() {
        return kept(&page, &security, &asked, true, head);
    }
    match tokio::time::timeout(FRONT_PAGE_PATIENCE, next.run(request)).await {
        Ok(response) if !response.status().is_server_error() => response,
        Ok(response) => {
            tracing::warn!(status = %response.status(), "the front page failed; serving the emergency copy");
            kept(&page, &security, &asked, true, head)
        }
        Err(_) => {
            tracing::warn!("the front page took too long; serving the emergency copy");
            kept(&page, &security, &asked, true, head)
        }
    }
}

/// What a request asks of the kept page: its coding, and whether it has a copy already.
struct Asked {
    coding: Coding,
    if_none_match: Option<HeaderValue>,
}

impl Asked {
    fn of(headers: &HeaderMap) -> Self {
        Asked {
            coding: coding(headers),
            if_none_match: headers.get(header::IF_NONE_MATCH).cloned(),
        }
    }
}

/// The kept page, in the coding the request prefers; `outage` adds the note that it may be
/// behind. Validated by its hash (a 304 costs nothing).
fn kept(
    page: &EmergencyPage,
    security: &SecurityHeaders,
    asked: &Asked,
    outage: bool,
    head: bool,
) -> Response {
    let copy = page.current();
    let variant: &Variant = if outage { &copy.outage } else { &copy.normal };
    if asked
        .if_none_match
        .as_ref()
        .is_some_and(|tags| tags.as_bytes() == variant.etag.as_bytes())
    {
        let mut response = StatusCode::NOT_MODIFIED.into_response();
        response
            .headers_mut()
            .insert(header::ETAG, variant.etag.clone());
        security.apply(
            Framing::SameSite,
            StatusCode::NOT_MODIFIED,
            response.headers_mut(),
        );
        return response;
    }
    let (body, encoding) = match asked.coding {
        Coding::Brotli => (&variant.brotli, Some("br")),
        Coding::Gzip => (&variant.gzip, Some("gzip")),
        Coding::Identity => (&variant.identity, None),
    };
    let mut response = Response::new(if head {
        Body::empty()
    } else {
        Body::from(body.clone())
    });
    let out = response.headers_mut();
    out.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    out.insert(header::CONTENT_LENGTH, HeaderValue::from(body.len()));
    if let Some(encoding) = encoding {
        out.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
    }
    out.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    out.insert(header::ETAG, variant.etag.clone());
    // Shared caches keep it but ask every time: a new message must reach readers at once.
    out.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, no-cache, stale-if-error=86400"),
    );
    out.insert(header::CONTENT_SECURITY_POLICY, page.policy().clone());
    security.apply(Framing::SameSite, StatusCode::OK, out);
    response
        .extensions_mut()
        .insert(super::telemetry::Route::fixed(paths::CALAMITY));
    response
}

/// A text-only page of the calamity archive.
fn text_page(html: String) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            ),
            (
                header::CONTENT_SECURITY_POLICY,
                emergency::content_security_policy(),
            ),
        ],
        html,
    )
        .into_response()
}

pub async fn archive_index(State(state): State<AppState>) -> Result<Response, AppError> {
    let calamities = store::archive(&state.db, app::db::now()).await?;
    Ok(text_page(emergency::archive_index(
        &state.site,
        &calamities,
    )))
}

pub async fn archive_item(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let Some(calamity) = store::get(&state.db, id, app::db::now()).await? else {
        return Err(AppError::NotFound(
            "Deze calamiteit staat niet in het archief.",
        ));
    };
    if calamity.is_on() {
        // Not over yet: its page is the emergency page.
        return Ok(see_other(paths::CALAMITY));
    }
    let messages = store::messages(&state.db, id).await?;
    Ok(text_page(emergency::archive_page(
        &state.site,
        &calamity,
        &messages,
    )))
}

/// The calamity the machine-readable forms describe: the one that is on, or the one that ended
/// last.
async fn latest(state: &AppState, now: i64) -> Result<Option<calamity::Calamity>, AppError> {
    if let Some(on) = store::active(&state.db, now).await? {
        return Ok(Some(on));
    }
    Ok(store::archive(&state.db, now).await?.into_iter().next())
}

type XmlWriter = Writer<Vec<u8>>;

fn text(writer: &mut XmlWriter, name: &str, content: &str) -> std::io::Result<()> {
    writer
        .create_element(name)
        .write_text_content(BytesText::new(content))?;
    Ok(())
}

fn xml_response(content_type: &'static str, writer: XmlWriter) -> Response {
    (
        [(header::CONTENT_TYPE, HeaderValue::from_static(content_type))],
        String::from_utf8(writer.into_inner()).expect("XML written from strings"),
    )
        .into_response()
}

fn new_writer() -> XmlWriter {
    let mut writer = Writer::new(Vec::new());
    writer
        .write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
        .expect("writing XML to memory");
    writer
}

/// The first words of a message, for a title.
fn headline(body: &str) -> String {
    const MAX: usize = 100;
    if body.chars().count() <= MAX {
        return body.to_string();
    }
    let cut: String = body.chars().take(MAX - 1).collect();
    let cut = cut.rfind(' ').map_or(cut.as_str(), |space| &cut[..space]);
    format!("{cut}…")
}

/// `/calamiteit/rss.xml`: every text of the official messages, the newest first; a correction
/// is an item of its own that says what it corrects.
pub async fn rss(State(state): State<AppState>) -> Result<Response, AppError> {
    let now = app::db::now();
    let calamity = latest(&state, now).await?;
    let texts = match &calamity {
        Some(c) => store::texts(&state.db, c.id).await?,
        None => Vec::new(),
    };
    let page = absolute(&state, paths::CALAMITY);
    let mut writer = new_writer();
    writer
        .create_element("rss")
        .with_attributes([
            ("version", "2.0"),
            ("xmlns:atom", "http://www.w3.org/2005/Atom"),
        ])
        .write_inner_content(|w| {
            w.create_element("channel").write_inner_content(|w| {
                text(
                    w,
                    "title",
                    &format!("Officiële berichten – {}", state.site.name),
                )?;
                text(w, "link", &page)?;
                text(
                    w,
                    "description",
                    &match &calamity {
                        Some(c) => format!("Berichten van de overheid over: {}", c.title),
                        None => "Berichten van de overheid bij een calamiteit.".to_string(),
                    },
                )?;
                text(w, "language", "nl")?;
                w.create_element("atom:link")
                    .with_attributes([
                        ("href", absolute(&state, paths::CALAMITY_RSS).as_str()),
                        ("rel", "self"),
                        ("type", "application/rss+xml"),
                    ])
                    .write_empty()?;
                for message in texts.iter().rev() {
                    rss_item(w, &page, message)?;
                }
                Ok(())
            })?;
            Ok(())
        })
        .expect("writing XML to memory");
    Ok(xml_response("application/rss+xml; charset=utf-8", writer))
}

fn rss_item(w: &mut XmlWriter, page: &str, message: &MessageText) -> std::io::Result<()> {
    w.create_element("item").write_inner_content(|w| {
        let title = match message.corrects {
            Some(_) => format!(
                "Correctie – {}: {}",
                message.source,
                headline(&message.body)
            ),
            None => format!("{}: {}", message.source, headline(&message.body)),
        };
        text(w, "title", &title)?;
        text(w, "link", page)?;
        let mut description = format!(
            "Officiële informatie van {}. {}",
            message.source, message.body
        );
        if let Some(reason) = &message.reason {
            description.push_str(&format!(" (Correctie: {reason})"));
        }
        text(w, "description", &description)?;
        text(w, "category", message.authority.label())?;
        text(
            w,
            "author",
            &format!("noreply@invalid ({})", message.source),
        )?;
        w.create_element("guid")
            .with_attribute(("isPermaLink", "false"))
            .write_text_content(BytesText::new(&format!("{page}#bericht-{}", message.id)))?;
        text(w, "pubDate", &rfc2822(message.posted_at))?;
        Ok(())
    })?;
    Ok(())
}

fn rfc2822(ts: i64) -> String {
    chrono::DateTime::from_timestamp(ts, 0)
        .unwrap_or_default()
        .to_rfc2822()
}

/// A CAP time: the local offset, no fraction of a second.
fn cap_time(ts: i64) -> String {
    use chrono::TimeZone;
    chrono_tz::Europe::Amsterdam
        .timestamp_opt(ts, 0)
        .single()
        .unwrap_or_else(|| chrono_tz::Europe::Amsterdam.timestamp_opt(0, 0).unwrap())
        .format("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

/// The sender of our alerts: the site's host (CAP allows no spaces, commas or `<&`).
fn cap_sender(state: &AppState) -> String {
    let base = &state.site.base_url;
    base.split_once("://")
        .map_or(base.as_str(), |(_, rest)| rest)
        .trim_end_matches('/')
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, ',' | '<' | '&'))
        .collect()
}

/// `/calamiteit/cap.xml`: the calamity as a CAP 1.2 alert. Its identifier counts the texts
/// published so far, so every new message or correction is a new alert (`Update`) that names
/// the one before it; switching the mode off is a `Cancel` (for a day, then no alert). Each current message is one `info`
/// block, its source the sender's name.
pub async fn cap(State(state): State<AppState>) -> Result<Response, AppError> {
    let now = app::db::now();
    // An ended calamity's `Cancel` stands for a day; after that there is no alert at all.
    let Some(calamity) = latest(&state, now)
        .await?
        .filter(|c| c.ended_at.is_none_or(|ended| now - ended < CANCEL_SHOWN))
    else {
        return Err(AppError::NotFound("Er is geen calamiteit."));
    };
    let texts = store::texts(&state.db, calamity.id).await?;
    let messages = store::messages(&state.db, calamity.id).await?;
    let sender = cap_sender(&state);
    let count = texts.len();
    let identifier = |n: usize| format!("{sender}.calamiteit.{}.{n}", calamity.id);
    let sent_of = |n: usize| match n {
        0 => calamity.started_at,
        n => texts[n - 1].posted_at,
    };
    let (msg_type, version, sent) = match calamity.ended_at {
        Some(ended) => ("Cancel", count + 1, ended),
        None if count == 0 => ("Alert", 0, calamity.started_at),
        None => ("Update", count, sent_of(count)),
    };
    let references = (version > 0).then(|| {
        let previous = version - 1;
        format!(
            "{sender},{},{}",
            identifier(previous),
            cap_time(sent_of(previous.min(count)))
        )
    });
    let web = absolute(&state, paths::CALAMITY);
    let mut writer = new_writer();
    writer
        .create_element("alert")
        .with_attribute(("xmlns", "urn:oasis:names:tc:emergency:cap:1.2"))
        .write_inner_content(|w| {
            text(w, "identifier", &identifier(version))?;
            text(w, "sender", &sender)?;
            text(w, "sent", &cap_time(sent))?;
            text(w, "status", "Actual")?;
            text(w, "msgType", msg_type)?;
            text(w, "source", &state.site.name)?;
            text(w, "scope", "Public")?;
            if let Some(references) = &references {
                text(w, "references", references)?;
            }
            if calamity.is_on() {
                for message in &messages {
                    w.create_element("info").write_inner_content(|w| {
                        text(w, "language", "nl-NL")?;
                        text(w, "category", "Safety")?;
                        text(w, "event", &calamity.title)?;
                        text(w, "urgency", "Immediate")?;
                        text(w, "severity", "Unknown")?;
                        text(w, "certainty", "Observed")?;
                        text(w, "effective", &cap_time(message.issued_at))?;
                        text(w, "senderName", &message.source)?;
                        text(w, "headline", &headline(&message.body))?;
                        let mut description = message.body.clone();
                        if let Some(reason) = &message.reason {
                            description.push_str(&format!("\n\nGecorrigeerd: {reason}"));
                        }
                        text(w, "description", &description)?;
                        text(w, "web", &web)?;
                        w.create_element("area")
                            .write_inner_content(|w| text(w, "areaDesc", &calamity.areas))?;
                        Ok(())
                    })?;
                }
            }
            Ok(())
        })
        .expect("writing XML to memory");
    Ok(xml_response("application/cap+xml; charset=utf-8", writer))
}

// The newsroom's forms.

#[derive(Deserialize, Default)]
pub struct SettingsForm {
    #[serde(default)]
    titel: String,
    #[serde(default)]
    gebieden: String,
    #[serde(default)]
    liveblog: String,
    #[serde(default)]
    stream: String,
    /// The checkbox: present when ticked.
    #[serde(default)]
    licht: Option<String>,
    #[serde(default)]
    bevestigd: Option<String>,
    #[serde(default)]
    woord: String,
    /// The calamity changed or switched off.
    #[serde(default)]
    calamiteit: Option<i64>,
}

impl SettingsForm {
    fn settings(&self) -> Result<CalamitySettings, CalamityError> {
        CalamitySettings::new(
            &self.titel,
            &self.gebieden,
            &self.liveblog,
            &self.stream,
            self.licht.is_some(),
        )
    }

    fn submission(&self, form: &str, error: Option<CalamityError>) -> CalamitySubmission {
        CalamitySubmission {
            form: form.into(),
            title: self.titel.clone(),
            areas: self.gebieden.clone(),
            blog: self.liveblog.clone(),
            stream: self.stream.clone(),
            light: self.licht.is_some(),
            error: error.map(|e| e.to_string()).unwrap_or_default(),
            ..Default::default()
        }
    }
}

/// The desk again with `submission`, answering `status`.
async fn desk(
    state: &AppState,
    user: CurrentUser,
    submission: CalamitySubmission,
    status: StatusCode,
) -> Response {
    render_with(state, paths::CALAMITY_DESK.into(), user, submission, status).await
}

fn done(code: &str) -> Response {
    see_other(&format!("{}?gelukt={code}", paths::CALAMITY_DESK))
}

/// Whether a refusal is the editor's to mend (422, 409) or a failure (500).
async fn refused(
    state: &AppState,
    user: CurrentUser,
    err: WriteError,
    submission: impl FnOnce(CalamityError) -> CalamitySubmission,
) -> Response {
    match err {
        WriteError::Refused(error) => {
            let status = match error {
                CalamityError::AlreadyOn | CalamityError::NotOn => StatusCode::CONFLICT,
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            };
            desk(state, user, submission(error), status).await
        }
        WriteError::Store(err) => internal(err),
    }
}

/// Step one of switching on: the settings checked, then shown back for confirmation.
pub async fn check(
    State(state): State<AppState>,
    Editor(user): Editor,
    Form(form): Form<SettingsForm>,
) -> Response {
    match form.settings() {
        Ok(_) => {
            desk(
                &state,
                user,
                form.submission("bevestigen", None),
                StatusCode::OK,
            )
            .await
        }
        Err(error) => {
            desk(
                &state,
                user,
                form.submission("aanzetten", Some(error)),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

/// Step two: confirmed twice (the box and the word), the mode goes on.
pub async fn switch_on(
    State(state): State<AppState>,
    Editor(user): Editor,
    Form(form): Form<SettingsForm>,
) -> Response {
    let settings = match form.settings() {
        Ok(settings) => settings,
        Err(error) => {
            let submission = form.submission("aanzetten", Some(error));
            return desk(&state, user, submission, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    if form.bevestigd.is_none() || !form.woord.trim().eq_ignore_ascii_case(CONFIRM_WORD) {
        let submission = form.submission("bevestigen", Some(CalamityError::NotConfirmed));
        return desk(&state, user, submission, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    match store::switch_on(&state.db, &settings, &user, app::db::now()).await {
        Ok(id) => {
            tracing::warn!(calamity = id, user = user.id, "calamity mode switched on");
            done("aan")
        }
        Err(err) => refused(&state, user, err, |e| form.submission("aanzetten", Some(e))).await,
    }
}

pub async fn edit(
    State(state): State<AppState>,
    Editor(user): Editor,
    Form(form): Form<SettingsForm>,
) -> Response {
    let settings = match form.settings() {
        Ok(settings) => settings,
        Err(error) => {
            let submission = form.submission("wijzigen", Some(error));
            return desk(&state, user, submission, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    let Some(id) = form.calamiteit else {
        return AppError::NotFound("Geen calamiteit gekozen.").into_response();
    };
    match store::update(&state.db, id, &settings, &user, app::db::now()).await {
        Ok(()) => done("gewijzigd"),
        Err(err) => refused(&state, user, err, |e| form.submission("wijzigen", Some(e))).await,
    }
}

pub async fn switch_off(
    State(state): State<AppState>,
    Editor(user): Editor,
    Form(form): Form<SettingsForm>,
) -> Response {
    let Some(id) = form.calamiteit else {
        return AppError::NotFound("Geen calamiteit gekozen.").into_response();
    };
    if form.bevestigd.is_none() {
        let submission = CalamitySubmission {
            form: "uitzetten".into(),
            error: "Vink aan dat de calamiteit voorbij is.".into(),
            ..Default::default()
        };
        return desk(&state, user, submission, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    match store::switch_off(&state.db, id, &user, app::db::now()).await {
        Ok(()) => {
            tracing::warn!(calamity = id, user = user.id, "calamity mode switched off");
            done("uit")
        }
        Err(err) => {
            refused(&state, user, err, |e| CalamitySubmission {
                form: "uitzetten".into(),
                error: e.to_string(),
                ..Default::default()
            })
            .await
        }
    }
}

#[derive(Deserialize)]
pub struct MessageForm {
    calamiteit: i64,
    #[serde(default)]
    overheid: String,
    #[serde(default)]
    bron: String,
    #[serde(default)]
    tekst: String,
    #[serde(default)]
    tijd: String,
}

pub async fn post_message(
    State(state): State<AppState>,
    Editor(user): Editor,
    Form(form): Form<MessageForm>,
) -> Response {
    let now = app::db::now();
    let submission = |error: CalamityError| CalamitySubmission {
        form: "bericht".into(),
        authority: form.overheid.clone(),
        source: form.bron.clone(),
        body: form.tekst.clone(),
        issued: form.tijd.clone(),
        error: error.to_string(),
        ..Default::default()
    };
    let post = match MessagePost::new(&form.overheid, &form.bron, &form.tekst, &form.tijd, now) {
        Ok(post) => post,
        Err(error) => {
            return desk(
                &state,
                user,
                submission(error),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    };
    match store::post_message(&state.db, form.calamiteit, &post, &user, now).await {
        Ok(id) => {
            tracing::info!(message = id, user = user.id, "official message posted");
            done("bericht")
        }
        Err(err) => refused(&state, user, err, submission).await,
    }
}

#[derive(Deserialize)]
pub struct CorrectionForm {
    #[serde(default)]
    tekst: String,
    #[serde(default)]
    reden: String,
}

pub async fn correct(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Editor(user): Editor,
    Form(form): Form<CorrectionForm>,
) -> Response {
    let submission = |error: String| CalamitySubmission {
        form: "correctie".into(),
        message: Some(id),
        body: form.tekst.clone(),
        reason: form.reden.clone(),
        error,
        ..Default::default()
    };
    let current = match store::correctable(&state.db, id).await {
        Ok(Correctable::Yes { body, .. }) => body,
        Ok(Correctable::Superseded) => {
            let error = "Dit bericht is intussen al gecorrigeerd; corrigeer de nieuwste versie.";
            return desk(&state, user, submission(error.into()), StatusCode::CONFLICT).await;
        }
        Ok(Correctable::Over) => {
            let error = "De calamiteit is voorbij; haar berichten staan in het archief.";
            return desk(&state, user, submission(error.into()), StatusCode::CONFLICT).await;
        }
        Ok(Correctable::NotFound) => {
            return AppError::NotFound("Dit bericht bestaat niet.").into_response()
        }
        Err(err) => return internal(err),
    };
    let correction = match Correction::new(&form.tekst, &form.reden, &current) {
        Ok(correction) => correction,
        Err(error) => {
            return desk(
                &state,
                user,
                submission(error.to_string()),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    };
    match store::correct(&state.db, id, &correction, &user, app::db::now()).await {
        Ok(Some(new)) => {
            tracing::info!(
                message = id,
                correction = new,
                user = user.id,
                "official message corrected"
            );
            done("correctie")
        }
        Ok(None) => {
            let error = "Dit bericht is intussen al gecorrigeerd; corrigeer de nieuwste versie.";
            desk(&state, user, submission(error.into()), StatusCode::CONFLICT).await
        }
        Err(err) => refused(&state, user, err, |e| submission(e.to_string())).await,
    }
}

pub(super) fn routes() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route(paths::CALAMITY_ARCHIVE, get(archive_index))
        .route(paths::CALAMITY_ARCHIVE_ITEM.template(), get(archive_item))
        .route(paths::CALAMITY_RSS, get(rss))
        .route(paths::CALAMITY_CAP, get(cap))
        .route(paths::CALAMITY_DESK, post(check))
        .route(paths::CALAMITY_ON, post(switch_on))
        .route(paths::CALAMITY_EDIT, post(edit))
        .route(paths::CALAMITY_OFF, post(switch_off))
        .route(paths::OFFICIAL_MESSAGES, post(post_message))
        .route(paths::OFFICIAL_CORRECTION.template(), post(correct))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cap_times_carry_the_local_offset_and_no_fraction() {
        // 2024-11-13 13:05 UTC is 14:05 in Amsterdam.
        assert_eq!(cap_time(1_731_503_100), "2024-11-13T14:05:00+01:00");
    }

    #[test]
    fn a_long_message_is_cut_at_a_word_for_its_headline() {
        let long = "woord ".repeat(40);
        let cut = headline(long.trim());
        assert!(
            cut.chars().count() <= 100 && cut.ends_with("woord…"),
            "{cut}"
        );
        assert_eq!(headline("Kort."), "Kort.");
    }
}
