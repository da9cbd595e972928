//! Readers' tips (`POST /tip`, multipart with an optional photo) and corrections
//! (`POST /correctie/{article}`), and the inbox's own requests: marking a message handled and
//! showing its photo (editors only).
//!
//! Like comments: a refused form comes back with each problem beside its field and the text
//! kept; the honeypot, the signed render time, the per-client limit and the bans apply.

use super::error::AppError;
use super::roles::Editor;
use app::{
    comments::settings::TokenProblem,
    paths,
    state::AppState,
    tips::{
        correction_path,
        rules::{self, Field, PHOTO_MAX_BYTES},
        store::{self, NewMessage, Refusal},
        InboxKind, TipSubmission, TIP_PATH,
    },
};
use axum::{
    extract::{rejection::FormRejection, Multipart, Path, State},
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    Extension, Form,
};
use serde::Deserialize;

use super::client::Client;
use super::{
    error::internal,
    newsroom::{render_page, see_other},
};

/// What is read of a tip. A photo over 10 MB is drained (not kept) up to this, so a reader who
/// picked a big one (the article's tip box checks nothing in the browser) gets the form back
/// with the text kept rather than a cut connection.
pub const TIP_BODY_LIMIT: usize = 40 * 1024 * 1024;
/// Largest correction form.
pub const CORRECTION_BODY_LIMIT: usize = 64 * 1024;
const TIPS_DIR: &str = "tips";

#[derive(Debug, Default)]
struct TipFields {
    naam: String,
    email: String,
    telefoon: String,
    bericht: String,
    website: String,
    geladen: String,
    artikel: Option<i64>,
    photo: Option<Vec<u8>>,
    photo_problem: Option<String>,
    /// The photo's place among those being received and stored (see [`PhotoSlots`]).
    photo_slot: Option<tokio::sync::OwnedSemaphorePermit>,
    /// No place was free: the photo was drained, the reader is asked to try again.
    photo_busy: bool,
    /// Fields sent longer than any valid value: kept only up to their cap.
    cut: Vec<Field>,
}

/// Reader photos being received, waiting for their decode or decoded at once: each holds up to
/// 10 MB while it waits. Beyond this a tip's photo is refused (503), its text kept.
#[derive(Clone)]
pub struct PhotoSlots(std::sync::Arc<tokio::sync::Semaphore>);

impl Default for PhotoSlots {
    fn default() -> Self {
        PhotoSlots(std::sync::Arc::new(tokio::sync::Semaphore::new(4)))
    }
}
/// Parts a tip form has (seven fields and a photo); more is not our form.
const PARTS_MAX: usize = 16;
/// What is kept of a text field: a valid message is at most 5,000 characters of up to four
/// bytes; every other field is far shorter. Beyond it the rest is read and dropped.
const MESSAGE_CAP: usize = rules::MESSAGE_MAX * 4;
const FIELD_CAP: usize = 1024;

/// Reads a text field, keeping at most `cap` bytes (cut at a character's edge); `true` when
/// something was dropped. `Err` for text that is not UTF-8 or a broken body.
async fn capped_text(
    mut field: axum::extract::multipart::Field<'_>,
    cap: usize,
) -> Result<(String, bool), ()> {
    let mut bytes = Vec::new();
    let mut cut = false;
    while let Some(chunk) = field.chunk().await.map_err(|_| ())? {
        let room = cap.saturating_sub(bytes.len());
        if chunk.len() > room {
            cut = true;
        }
        bytes.extend_from_slice(&chunk[..chunk.len().min(room)]);
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok((text, cut)),
        // Cut inside a character: keep what comes before it.
        Err(err) if cut && err.utf8_error().error_len().is_none() => {
            let valid = err.utf8_error().valid_up_to();
            let mut bytes = err.into_bytes();
            bytes.truncate(valid);
            Ok((String::from_utf8(bytes).map_err(|_| ())?, cut))
        }
        Err(_) => Err(()),
    }
}

/// Reads the form. A photo over the limit is a problem of that field, not of the request, so
/// the text typed is kept. `Err` when the body is not a multipart form at all.
async fn read_tip(mut multipart: Multipart, slots: &PhotoSlots) -> Result<TipFields, ()> {
    let mut fields = TipFields::default();
    for _ in 0..PARTS_MAX {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(err) if err.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                fields.photo_problem = Some(too_big());
                break;
            }
            Err(_) => return Err(()),
        };
        let name = field.name().unwrap_or_default().to_string();
        if name == "foto" {
            if fields.photo_slot.is_none() {
                match slots.0.clone().try_acquire_owned() {
                    Ok(slot) => fields.photo_slot = Some(slot),
                    Err(_) => {
                        fields.photo_busy = true;
                        // Read to its end, so the text after it still arrives.
                        let mut field = field;
                        while let Ok(Some(_)) = field.chunk().await {}
                        continue;
                    }
                }
            }
            // Read in chunks: a photo over the limit is drained, not kept, so memory stays
            // bounded by the limit whatever is sent.
            let mut field = field;
            let mut bytes: Vec<u8> = Vec::new();
            let mut over = false;
            loop {
                match field.chunk().await {
                    Ok(Some(chunk)) if !over && bytes.len() + chunk.len() <= PHOTO_MAX_BYTES => {
                        bytes.extend_from_slice(&chunk)
                    }
                    Ok(Some(_)) => {
                        over = true;
                        bytes = Vec::new();
                    }
                    Ok(None) => break,
                    Err(err) if err.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                        over = true;
                        break;
                    }
                    Err(_) => return Err(()),
                }
            }
            if over {
                fields.photo_problem = Some(too_big());
            } else if !bytes.is_empty() {
                fields.photo = Some(bytes);
            }
            continue;
        }
        let cap = if name == "bericht" {
            MESSAGE_CAP
        } else {
            FIELD_CAP
        };
        let Ok((value, cut)) = capped_text(field, cap).await else {
            return Err(());
        };
        if cut {
            let which = match name.as_str() {
                "naam" => Some(Field::Name),
                "email" => Some(Field::Email),
                "telefoon" => Some(Field::Phone),
                "bericht" => Some(Field::Message),
                _ => None,
            };
            fields.cut.extend(which);
        }
        match name.as_str() {
            "naam" => fields.naam = value,
            "email" => fields.email = value,
            "telefoon" => fields.telefoon = value,
            "bericht" => fields.bericht = value,
            "website" => fields.website = value,
            "geladen" => fields.geladen = value,
            "artikel" => fields.artikel = value.trim().parse().ok().filter(|id| *id > 0),
            _ => {}
        }
    }
    Ok(fields)
}

fn busy_text() -> String {
    "Er komen nu veel foto's tegelijk binnen. Verstuur je tip zonder foto, of kies de foto over \
     een paar minuten opnieuw; je tekst staat er nog."
        .into()
}

/// A field sent far longer than it may be; what is shown again is cut to its cap.
fn cut_text(field: Field) -> String {
    match field {
        Field::Message => format!(
            "Je bericht is te lang: hoogstens {} tekens. We hebben het ingekort.",
            rules::MESSAGE_MAX
        ),
        _ => "Dit veld is veel te lang.".into(),
    }
}

fn too_big() -> String {
    "Deze foto is te groot: hoogstens 10 MB. Kies een kleinere foto of verstuur je tip zonder."
        .into()
}

fn refusal_text(refusal: Refusal) -> (StatusCode, &'static str) {
    match refusal {
        Refusal::RateLimited => (
            StatusCode::TOO_MANY_REQUESTS,
            "Je hebt net al een paar berichten gestuurd. Wacht een paar minuten en verstuur dit \
             dan opnieuw; je tekst staat er nog.",
        ),
        Refusal::Duplicate => (
            StatusCode::CONFLICT,
            "Dit bericht hebben we al van je ontvangen.",
        ),
        // Neutral on purpose: a blocked sender learns nothing from it.
        Refusal::Banned => (
            StatusCode::FORBIDDEN,
            "Je bericht kan niet worden verstuurd.",
        ),
    }
}

fn token_text(problem: TokenProblem) -> (StatusCode, &'static str) {
    match problem {
        TokenProblem::TooFast => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "Dat ging snel! Kijk je bericht nog even na en verstuur het opnieuw.",
        ),
        TokenProblem::Invalid | TokenProblem::Expired => (
            StatusCode::BAD_REQUEST,
            "Deze pagina stond lang open of het formulier was niet compleet. Je tekst staat er \
             nog: verstuur het opnieuw.",
        ),
    }
}

pub async fn submit_tip(
    State(state): State<AppState>,
    Extension(client): Extension<Client>,
    Extension(slots): Extension<PhotoSlots>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let now = app::db::now();
    let parsed = match multipart {
        Ok(multipart) => read_tip(multipart, &slots).await,
        Err(_) => Err(()),
    };
    let (form, malformed) = match parsed {
        Ok(form) => (form, false),
        Err(()) => (TipFields::default(), true),
    };
    let mut problems = rules::tip_problems(&form.naam, &form.email, &form.telefoon, &form.bericht);
    for &field in &form.cut {
        if !problems.iter().any(|(f, _)| *f == field) {
            problems.push((field, cut_text(field)));
        }
    }
    if let Some(problem) = &form.photo_problem {
        problems.push((Field::Photo, problem.clone()));
    }
    if form.photo_busy {
        problems.push((Field::Photo, busy_text()));
    }
    let refuse = |problems: Vec<(Field, String)>, notice: Option<&str>, status| {
        let submission = TipSubmission {
            name: form.naam.clone(),
            email: form.email.clone(),
            phone: form.telefoon.clone(),
            message: form.bericht.clone(),
            photo_dropped: form.photo.is_some(),
            problems,
            notice: notice.map(str::to_string),
            article: form.artikel,
            token: form
                .artikel
                .map(|article| state.comments.token(article, now)),
        };
        render_page(&state, TIP_PATH.to_string(), None, submission, status)
    };
    if malformed {
        return refuse(problems, None, StatusCode::BAD_REQUEST).await;
    }
    if !form.website.trim().is_empty() {
        tracing::info!("tip honeypot filled; dropped");
        return see_other(&format!("{TIP_PATH}?verstuurd=1"));
    }
    let only_the_photo = problems.len() == 1;
    if !problems.is_empty() {
        let status = if only_the_photo && form.photo_busy {
            StatusCode::SERVICE_UNAVAILABLE
        } else if only_the_photo && form.photo_problem.is_some() {
            StatusCode::PAYLOAD_TOO_LARGE
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        return refuse(problems, None, status).await;
    }
    if let Err(problem) = state
        .comments
        .check_token(&form.geladen, form.artikel.unwrap_or(0), now)
    {
        let (status, text) = token_text(problem);
        return refuse(Vec::new(), Some(text), status).await;
    }
    let message = form.bericht.replace("\r\n", "\n");
    let new = NewMessage {
        kind: InboxKind::Tip,
        article_id: form.artikel,
        name: &form.naam,
        email: &form.email,
        phone: &form.telefoon,
        message: message.trim(),
        photo: None,
        client: match state.clients.hash(&state.db, &client.key(), now).await {
            Ok(hash) => hash,
            Err(err) => return internal(err),
        },
    };
    // Refused senders cost no image work.
    match store::precheck(&state.db, &state.comments, &new, now).await {
        Ok(None) => {}
        Ok(Some(refusal)) => {
            let (status, text) = refusal_text(refusal);
            return refuse(Vec::new(), Some(text), status).await;
        }
        Err(err) => return internal(err),
    }
    // Storing the photo and the message runs to its end even when the reader goes away
    // meanwhile: no photo without its message, no message without its photo.
    let task = {
        let state = state.clone();
        let photo = form.photo.clone();
        let new = OwnedMessage::from(&new);
        let slot = form.photo_slot;
        tokio::spawn(async move {
            let stored = store_tip(&state, photo, new, now).await;
            drop(slot);
            stored
        })
    };
    match task.await {
        Ok(Ok(Ok(_))) => {
            metrics::counter!(super::telemetry::TIPS).increment(1);
            see_other(&format!("{TIP_PATH}?verstuurd=1"))
        }
        Ok(Ok(Err(Stored::Refused(refusal)))) => {
            tracing::info!(?refusal, "tip refused");
            let (status, text) = refusal_text(refusal);
            refuse(Vec::new(), Some(text), status).await
        }
        Ok(Ok(Err(Stored::BadPhoto(problem)))) => {
            let problems = vec![(Field::Photo, problem)];
            refuse(problems, None, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Ok(Err(err)) => internal(err),
        Err(err) => internal(err),
    }
}

/// A [`NewMessage`] that can move into a task.
struct OwnedMessage {
    article_id: Option<i64>,
    name: String,
    email: String,
    phone: String,
    message: String,
    client: app::clients::ClientHash,
}

impl From<&NewMessage<'_>> for OwnedMessage {
    fn from(new: &NewMessage<'_>) -> Self {
        OwnedMessage {
            article_id: new.article_id,
            name: new.name.to_string(),
            email: new.email.to_string(),
            phone: new.phone.to_string(),
            message: new.message.to_string(),
            client: new.client.clone(),
        }
    }
}

enum Stored {
    Refused(Refusal),
    BadPhoto(String),
}

/// Stores the photo (if any) and the tip; a refused tip keeps no photo.
async fn store_tip(
    state: &AppState,
    photo: Option<Vec<u8>>,
    new: OwnedMessage,
    now: i64,
) -> Result<Result<i64, Stored>, anyhow::Error> {
    let dir = state.private_dir.join(TIPS_DIR);
    let photo = match photo {
        None => None,
        Some(bytes) => {
            let _turn = crate::media::DECODE_TURN.acquire().await?;
            let dir = dir.clone();
            match tokio::task::spawn_blocking(move || crate::media::store_private(&bytes, &dir))
                .await?
            {
                Ok(name) => Some(name),
                Err(crate::media::MediaError::Io(err)) => return Err(err.into()),
                Err(err) => return Ok(Err(Stored::BadPhoto(err.to_string()))),
            }
        }
    };
    let message = NewMessage {
        kind: InboxKind::Tip,
        article_id: new.article_id,
        name: &new.name,
        email: &new.email,
        phone: &new.phone,
        message: &new.message,
        photo: photo.clone(),
        client: new.client.clone(),
    };
    let outcome = store::submit(&state.db, &state.comments, &message, now).await;
    if !matches!(outcome, Ok(Ok(_))) {
        if let Some(name) = &photo {
            let _ = std::fs::remove_file(dir.join(name));
        }
    }
    Ok(outcome?.map_err(Stored::Refused))
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct CorrectionForm {
    #[serde(default)]
    naam: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    bericht: String,
    #[serde(default)]
    website: String,
    #[serde(default)]
    geladen: String,
}

pub async fn submit_correction(
    State(state): State<AppState>,
    Extension(client): Extension<Client>,
    Path(article): Path<i64>,
    form: Result<Form<CorrectionForm>, FormRejection>,
) -> Response {
    let now = app::db::now();
    match app::articles::store::visible_path(&state.db, article, now).await {
        Ok(Some(_)) => {}
        Ok(None) => return AppError::NotFound("Dit artikel bestaat niet.").into_response(),
        Err(err) => return internal(err),
    }
    let path = correction_path(article);
    let (form, malformed) = match form {
        Ok(Form(form)) => (form, false),
        Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return (
                StatusCode::PAYLOAD_TOO_LARGE,
                "Je bericht is te groot om te versturen: hoogstens 5000 tekens.",
            )
                .into_response()
        }
        Err(_) => (CorrectionForm::default(), true),
    };
    let problems = rules::correction_problems(&form.naam, &form.email, &form.bericht);
    let refuse = |problems: Vec<(Field, String)>, notice: Option<&str>, status| {
        let submission = TipSubmission {
            name: form.naam.clone(),
            email: form.email.clone(),
            message: form.bericht.clone(),
            problems,
            notice: notice.map(str::to_string),
            ..Default::default()
        };
        render_page(&state, path.clone(), None, submission, status)
    };
    if malformed {
        return refuse(problems, None, StatusCode::BAD_REQUEST).await;
    }
    if !form.website.trim().is_empty() {
        tracing::info!(article, "correction honeypot filled; dropped");
        return see_other(&format!("{path}?verstuurd=1"));
    }
    if !problems.is_empty() {
        return refuse(problems, None, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    if let Err(problem) = state.comments.check_token(&form.geladen, article, now) {
        let (status, text) = token_text(problem);
        return refuse(Vec::new(), Some(text), status).await;
    }
    let message = form.bericht.replace("\r\n", "\n");
    let new = NewMessage {
        kind: InboxKind::Correction,
        article_id: Some(article),
        name: &form.naam,
        email: &form.email,
        phone: "",
        message: message.trim(),
        photo: None,
        client: match state.clients.hash(&state.db, &client.key(), now).await {
            Ok(hash) => hash,
            Err(err) => return internal(err),
        },
    };
    match store::submit(&state.db, &state.comments, &new, now).await {
        Ok(Ok(_)) => see_other(&format!("{path}?verstuurd=1")),
        Ok(Err(refusal)) => {
            let (status, text) = refusal_text(refusal);
            refuse(Vec::new(), Some(text), status).await
        }
        Err(err) => internal(err),
    }
}

#[derive(Deserialize)]
pub struct HandledForm {
    #[serde(default)]
    actie: String,
}

/// `POST /redactie/inbox/{id}`: `actie=afgehandeld` or `heropenen`.
pub async fn set_handled(
    State(state): State<AppState>,
    Editor(user): Editor,
    Path(id): Path<i64>,
    Form(form): Form<HandledForm>,
) -> Result<Response, Response> {
    let (handled, code) = match form.actie.as_str() {
        "afgehandeld" => (true, "afgehandeld"),
        "heropenen" => (false, "heropend"),
        _ => return Ok((StatusCode::BAD_REQUEST, "Onbekende actie.").into_response()),
    };
    match store::set_handled(&state.db, id, handled, user.id, app::db::now()).await {
        Ok(true) => Ok(see_other(&format!("{}?gelukt={code}", paths::INBOX))),
        Ok(false) => Ok(AppError::NotFound("Dit bericht bestaat niet.").into_response()),
        Err(err) => Ok(internal(err)),
    }
}

/// `GET /redactie/inbox/{id}/foto`: the photo with a tip, for editors; never cached.
pub async fn photo(
    State(state): State<AppState>,
    _: Editor,
    Path(id): Path<i64>,
) -> Result<Response, Response> {
    let name = match store::photo(&state.db, id).await {
        Ok(Some(name)) if crate::media::is_private_name(&name) => name,
        Ok(_) => return Ok(AppError::NotFound("Geen foto.").into_response()),
        Err(err) => return Ok(internal(err)),
    };
    match tokio::fs::read(state.private_dir.join(TIPS_DIR).join(name)).await {
        Ok(bytes) => Ok((
            [
                (header::CONTENT_TYPE, HeaderValue::from_static("image/jpeg")),
                (
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("private, no-store"),
                ),
            ],
            bytes,
        )
            .into_response()),
        Err(err) => Ok(internal(err)),
    }
}

/// Readers' tips and corrections, and the newsroom's inbox.
pub(super) fn routes() -> axum::Router<AppState> {
    use axum::{
        extract::DefaultBodyLimit,
        routing::{get, post},
    };
    axum::Router::new()
        .route(
            TIP_PATH,
            post(submit_tip).layer(
                tower::ServiceBuilder::new()
                    .layer(DefaultBodyLimit::max(TIP_BODY_LIMIT))
                    .layer(Extension(PhotoSlots::default())),
            ),
        )
        .route(
            paths::CORRECTION.template(),
            post(submit_correction).layer(DefaultBodyLimit::max(CORRECTION_BODY_LIMIT)),
        )
        .route(paths::INBOX_ITEM.template(), post(set_handled))
        .route(paths::INBOX_PHOTO.template(), get(photo))
}
