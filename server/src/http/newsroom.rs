//! The newsroom's form posts: log in and out, change password, save articles, manage users.
//!
//! Plain HTML forms (they work without JavaScript) answered with Post/Redirect/Get. When a
//! submission is refused, the editor page is rendered again with the submitted text and the
//! messages, so nothing typed is lost. Every handler checks the role itself.

use super::error::AppError;
use super::roles::{Admin, Contributor};
use super::{client::Client, error::internal};
use app::{
    accounts::{
        auth::{self, LoginError},
        check_new_password, password, store as accounts, CurrentUser, Email, PasswordError, Role,
    },
    articles::{
        checks, conflict,
        draft::{ArticleForm, Conflict, EditAction, FieldError},
        editing::{self, SaveError},
    },
    audit::{self, action},
    db::StoreError,
    newsroom::EditorSubmission,
    paths, shell,
    state::AppState,
};
use axum::{
    body::Body,
    extract::{Path, Request, State},
    http::{header, HeaderMap, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
    Extension, Form,
};
use leptos::prelude::provide_context;
use serde::Deserialize;

/// Resolves the session cookie into a [`CurrentUser`] request extension, for newsroom pages,
/// server functions and the handlers below. Public pages skip the lookup.
pub async fn resolve_session(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    // Public pages skip the lookup; the live stream needs it only for the newsroom's topic.
    let newsroom_topic = path.starts_with(paths::LIVE)
        && request
            .uri()
            .query()
            .is_some_and(|q| q.contains("moderation") || q.contains("editing"));
    if paths::in_newsroom(path) || path.starts_with("/api/") || newsroom_topic {
        if let Some(token) = auth::session_token(request.headers(), secure(&state)) {
            match accounts::session_user(&state.db, &token, app::db::now()).await {
                Ok(Some(user)) => {
                    request.extensions_mut().insert(user);
                }
                Ok(None) => {}
                Err(err) => tracing::error!(error = %err, "session lookup failed"),
            }
        }
    }
    next.run(request).await
}

/// Session cookies are `Secure` (and `__Host-`), except over plain http on this machine.
pub(super) fn secure(state: &AppState) -> bool {
    auth::cookies_secure(&state.site.base_url)
}

/// `303 See Other` to `location`. An address no header can carry (a control character that
/// slipped through) is a bad request, never a panic.
pub(super) fn see_other(location: &str) -> Response {
    match http::HeaderValue::try_from(location) {
        Ok(location) => (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response(),
        Err(_) => {
            tracing::warn!(
                ?location,
                "refused a redirect to an address a header cannot carry"
            );
            (
                StatusCode::BAD_REQUEST,
                "Dit adres kan niet worden geopend.",
            )
                .into_response()
        }
    }
}

/// Only the newsroom's own pages: a login form must not redirect elsewhere. Anything else
/// (another host, a control character a browser would strip, a backslash) goes to `/redactie`.
fn local_path(next: &str) -> &str {
    if paths::in_newsroom(next) && app::markup::is_site_path(next) {
        next
    } else {
        paths::NEWSROOM
    }
}

#[derive(Deserialize)]
pub struct LoginForm {
    email: String,
    wachtwoord: String,
    #[serde(default)]
    volgende: String,
}

pub async fn login(
    State(state): State<AppState>,
    Extension(client): Extension<Client>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    let now = app::db::now();
    // As a keyed hash: the throttle table never holds an address.
    let client = match state.clients.hash(&state.db, &client.key(), now).await {
        Ok(hash) => hash.current,
        Err(err) => return internal(err),
    };
    let device = app::accounts::describe_device(
        headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default(),
    );
    let email_param = form.email.trim().to_string();
    let retry = |code: &str, extra: String| {
        let mut url = url_with(paths::LOGIN, &[("fout", code), ("email", &email_param)]);
        url.push_str(&extra);
        see_other(&url)
    };
    match auth::login(
        &state.db,
        &form.email,
        form.wachtwoord,
        &client,
        &device,
        now,
    )
    .await
    {
        Ok((user, token)) => {
            tracing::info!(user = user.id, "logged in");
            let mut response = see_other(local_path(&form.volgende));
            if let Ok(cookie) = auth::session_cookie(&token, secure(&state)).parse() {
                response.headers_mut().insert(header::SET_COOKIE, cookie);
            }
            response
        }
        Err(LoginError::Invalid) => retry("onjuist", String::new()),
        Err(LoginError::Throttled { until }) => {
            let minutes = ((until - now) + 59) / 60;
            retry("geblokkeerd", format!("&minuten={}", minutes.max(1)))
        }
        Err(LoginError::Busy(_)) => (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::RETRY_AFTER, "5")],
            "Er wordt nu heel vaak tegelijk ingelogd. Probeer het over een paar seconden opnieuw.",
        )
            .into_response(),
        Err(LoginError::Store(err)) => internal(err),
    }
}

fn url_with(path: &str, params: &[(&str, &str)]) -> String {
    let query: Vec<String> = params
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect();
    if query.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", query.join("&"))
    }
}

/// Percent-encodes a query value.
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(token) = auth::session_token(&headers, secure(&state)) {
        if let Err(err) = accounts::delete_session(&state.db, &token).await {
            return internal(err);
        }
    }
    let mut response = see_other(&format!("{}?uitgelogd=1", paths::LOGIN));
    if let Ok(cookie) = auth::clear_session_cookie(secure(&state)).parse() {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    response
}

#[derive(Deserialize)]
pub struct PasswordForm {
    huidig: String,
    nieuw: String,
    herhaal: String,
}

pub async fn change_password(
    State(state): State<AppState>,
    Contributor(user): Contributor,
    headers: HeaderMap,
    Form(form): Form<PasswordForm>,
) -> Response {
    let back = |code: &str| see_other(&format!("{}?fout={code}", paths::PASSWORD));
    let stored = match accounts::password_hash(&state.db, user.id).await {
        Ok(Some(hash)) => hash,
        Ok(None) => return back("huidig"),
        Err(err) => return internal(err),
    };
    if !password::verify(form.huidig, stored).await {
        return back("huidig");
    }
    match check_new_password(&form.nieuw) {
        Err(PasswordError::TooShort) => return back("kort"),
        Err(PasswordError::TooLong) => return back("lang"),
        Ok(()) => {}
    }
    if form.nieuw != form.herhaal {
        return back("verschil");
    }
    let hash = password::hash(form.nieuw).await;
    let keep = auth::session_token(&headers, secure(&state));
    match accounts::set_password(&state.db, user.id, &hash, keep.as_deref()).await {
        Ok(()) => see_other(&format!("{}?gewijzigd=1", paths::PASSWORD)),
        Err(err) => internal(err),
    }
}

/// `POST /redactie/sessies/{handle}/beeindigen`: ends one of the caller's own sessions.
pub async fn end_session(
    State(state): State<AppState>,
    Contributor(user): Contributor,
    Path(handle): Path<String>,
) -> Response {
    match accounts::end_session(&state.db, user.id, &handle).await {
        Ok(true) => see_other(&format!("{}?sessies=beeindigd#sessies", paths::PASSWORD)),
        Ok(false) => see_other(&format!("{}?sessies=onbekend#sessies", paths::PASSWORD)),
        Err(err) => internal(err),
    }
}

/// `POST /redactie/sessies/andere/beeindigen`: ends all the caller's sessions but this one.
pub async fn end_other_sessions(
    State(state): State<AppState>,
    Contributor(user): Contributor,
    headers: HeaderMap,
) -> Response {
    let Some(token) = auth::session_token(&headers, secure(&state)) else {
        return see_other(paths::LOGIN);
    };
    match accounts::end_other_sessions(&state.db, user.id, &token).await {
        Ok(ended) => {
            tracing::info!(user = user.id, ended, "ended other sessions");
            see_other(&format!("{}?sessies=andere#sessies", paths::PASSWORD))
        }
        Err(err) => internal(err),
    }
}

/// Renders the newsroom page at `path` with `submission` (what was typed, and why it was
/// refused) in the context, answering `status`.
pub(super) async fn render_with<S: Clone + Send + Sync + 'static>(
    state: &AppState,
    path: String,
    user: CurrentUser,
    submission: S,
    status: StatusCode,
) -> Response {
    render_page(state, path, Some(user), submission, status).await
}

/// Renders the page at `path` again with `submission` in its context (what was typed and why
/// it was refused), answering with `status`.
pub(super) async fn render_page<S: Clone + Send + Sync + 'static>(
    state: &AppState,
    path: String,
    user: Option<CurrentUser>,
    submission: S,
    status: StatusCode,
) -> Response {
    let site = state.site.clone();
    let app_state = state.clone();
    let options = state.leptos_options.clone();
    let handler = leptos_axum::render_app_async_with_context(
        move || {
            provide_context(site.clone());
            provide_context(app_state.clone());
            provide_context(submission.clone());
        },
        move || shell(options.clone()),
    );
    let mut request = Request::builder()
        .uri(path)
        .body(Body::empty())
        .expect("a valid request");
    if let Some(user) = user {
        request.extensions_mut().insert(user);
    }
    let mut response = handler(request).await.into_response();
    *response.status_mut() = status;
    response
}

pub async fn save_new_article(
    state: State<AppState>,
    Contributor(user): Contributor,
    form: Form<ArticleForm>,
) -> Response {
    save_article(state, None, user, form).await
}

pub async fn save_existing_article(
    state: State<AppState>,
    Path(id): Path<i64>,
    Contributor(user): Contributor,
    form: Form<ArticleForm>,
) -> Response {
    save_article(state, Some(id), user, form).await
}

async fn save_article(
    State(state): State<AppState>,
    id: Option<i64>,
    user: CurrentUser,
    Form(form): Form<ArticleForm>,
) -> Response {
    let path = match id {
        Some(id) => paths::ARTICLE.to(&[&id]),
        None => paths::NEW_ARTICLE.into(),
    };
    let now = app::db::now();
    let refuse = |errors: Vec<FieldError>, status| {
        let submission = EditorSubmission {
            form: form.clone(),
            errors,
            ..Default::default()
        };
        render_with(&state, path.clone(), user.clone(), submission, status)
    };
    let draft = match form.validate(&state.site.sections, now) {
        Ok(draft) => draft,
        Err(errors) => return refuse(errors, StatusCode::UNPROCESSABLE_ENTITY).await,
    };
    // Only for those who may publish: anyone else is refused by the save below.
    let publishing = matches!(draft.action, EditAction::Publish | EditAction::Schedule(_))
        && user.may(Role::Editor);
    if publishing && !form.skips_checks() {
        let findings =
            match checks::before_publishing(&state.db, &draft, &state.site.sections, now).await {
                Ok(findings) => findings,
                Err(err) => return internal(err),
            };
        if !findings.is_empty() {
            // Nothing saved yet: the page asks, with the text as typed and "publish anyway".
            let submission = EditorSubmission {
                form: form.clone(),
                checks: findings,
                ..Default::default()
            };
            return render_with(
                &state,
                path.clone(),
                user.clone(),
                submission,
                StatusCode::OK,
            )
            .await;
        }
    }
    let field = |field: &str, message: &str| {
        vec![FieldError {
            field: field.into(),
            message: message.into(),
        }]
    };
    match editing::save(&state.db, id, &draft, &user, now).await {
        Ok(saved) => {
            tracing::info!(article = saved, user = user.id, action = %form.actie, "article saved");
            see_other(&format!(
                "{}?gelukt={}",
                paths::ARTICLE.to(&[&saved]),
                encode(form.action_code())
            ))
        }
        Err(SaveError::Forbidden(message)) => {
            refuse(field("actie", message), StatusCode::FORBIDDEN).await
        }
        Err(SaveError::NotFound) => AppError::NotFound("Dit artikel bestaat niet.").into_response(),
        Err(SaveError::Conflict { base }) => {
            let Some(id) = id else {
                return internal("a new article cannot conflict");
            };
            tracing::info!(
                article = id,
                user = user.id,
                ?base,
                "refused a save over a newer version"
            );
            conflict_page(&state, id, user, form).await
        }
        Err(SaveError::Store(StoreError::SlugTaken(_))) => {
            refuse(
                field("slug", "Deze slug is al in gebruik. Kies een andere."),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(SaveError::Store(err)) => internal(err),
    }
}

/// `409`: the editor page with `mine` still in the form (now based on the newest version, so
/// saving it keeps mine) and both versions side by side.
async fn conflict_page(
    state: &AppState,
    id: i64,
    user: CurrentUser,
    mine: ArticleForm,
) -> Response {
    let current = match editing::load(&state.db, id, &user).await {
        Ok(Some(current)) => current,
        Ok(None) => return AppError::NotFound("Dit artikel bestaat niet.").into_response(),
        Err(err) => return internal(err),
    };
    // Who saved the newer version: the newest revision, which the load already read.
    let (saved_by, saved_at) = current.revisions.first().map_or_else(
        || ("onbekend".to_string(), current.updated_at),
        |newest| (newest.editor.clone(), newest.created_at),
    );
    let fields = conflict::compare(&current.form, &mine);
    let submission = EditorSubmission {
        form: ArticleForm {
            versie: current.form.versie.clone(),
            actie: String::new(),
            ..mine
        },
        conflict: Some(Conflict {
            saved_by,
            saved_at,
            fields,
        }),
        ..Default::default()
    };
    render_with(
        state,
        paths::ARTICLE.to(&[&id]),
        user,
        submission,
        StatusCode::CONFLICT,
    )
    .await
}

/// `POST /redactie/artikelen/{id}/concept/weggooien` (and `nieuw`): throws away the caller's
/// background copy, so the editor opens the stored version again.
pub async fn discard_autosave(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Contributor(user): Contributor,
) -> Response {
    let article = match id.as_str() {
        "nieuw" => 0,
        other => match other.parse::<i64>() {
            Ok(id) if id > 0 => id,
            _ => return AppError::NotFound("Dit artikel bestaat niet.").into_response(),
        },
    };
    match editing::discard_autosave(&state.db, user.id, article).await {
        Ok(()) => see_other(&format!("{}?gelukt=concept-weg", paths::ARTICLE.to(&[&id]))),
        Err(err) => internal(err),
    }
}

/// Puts a revision's text into the editor; it is saved only when the editor saves.
pub async fn restore_revision(
    State(state): State<AppState>,
    Path((id, revision)): Path<(i64, i64)>,
    Contributor(user): Contributor,
) -> Response {
    let (current, text) = match (
        editing::load(&state.db, id, &user).await,
        editing::revision(&state.db, id, revision).await,
    ) {
        (Ok(Some(current)), Ok(Some(text))) => (current, text),
        (Ok(_), Ok(_)) => return AppError::NotFound("Deze versie bestaat niet.").into_response(),
        (Err(err), _) | (_, Err(err)) => return internal(err),
    };
    let (title, lead, body) = text;
    let submission = EditorSubmission {
        form: ArticleForm {
            titel: title,
            intro: lead,
            tekst: body,
            ..current.form
        },
        notice: Some(
            "Een eerdere versie staat in de editor. Sla op om hem terug te zetten.".into(),
        ),
        ..Default::default()
    };
    render_with(
        &state,
        paths::ARTICLE.to(&[&id]),
        user,
        submission,
        StatusCode::OK,
    )
    .await
}

#[derive(Deserialize)]
pub struct NewUserForm {
    email: String,
    naam: String,
    rol: String,
    wachtwoord: String,
}

pub async fn create_user(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Form(form): Form<NewUserForm>,
) -> Response {
    let back = |code: &str| see_other(&format!("{}?melding={code}", paths::USERS));
    let Ok(email) = Email::parse(&form.email) else {
        return back("email");
    };
    let name = form.naam.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return back("naam");
    }
    if check_new_password(&form.wachtwoord).is_err() {
        return back("wachtwoord");
    }
    let role = Role::parse(&form.rol).unwrap_or(Role::Contributor);
    let new = accounts::NewUser {
        email,
        display_name: name.to_string(),
        role,
        password_hash: password::hash(form.wachtwoord).await,
    };
    let now = app::db::now();
    match accounts::create_user(&state.db, &new, now).await {
        Ok(id) => {
            let detail = format!("{} ({})", new.display_name, role.label());
            let subject = format!("gebruiker:{id}");
            match audit::note(
                &state.db,
                &admin,
                action::USER_CREATED,
                &subject,
                &detail,
                now,
            )
            .await
            {
                Ok(()) => back("aangemaakt"),
                Err(err) => internal(err),
            }
        }
        Err(StoreError::EmailTaken(_)) => back("bestaat"),
        Err(err) => internal(err),
    }
}

#[derive(Deserialize)]
pub struct UserUpdateForm {
    actie: String,
    #[serde(default)]
    rol: String,
    #[serde(default)]
    wachtwoord: String,
}

pub async fn update_user(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Admin(admin): Admin,
    Form(form): Form<UserUpdateForm>,
) -> Response {
    let back = |code: &str| see_other(&format!("{}?melding={code}", paths::USERS));
    // An admin demoting or disabling themselves could leave the site without an admin.
    if admin.id == id && form.actie != "wachtwoord" {
        return back("zelf");
    }
    let (result, done, detail) = match form.actie.as_str() {
        "rol" => match Role::parse(&form.rol) {
            Some(role) => (
                accounts::set_role(&state.db, id, role).await,
                action::ROLE_CHANGED,
                role.label(),
            ),
            None => return back("opgeslagen"),
        },
        "uitschakelen" => (
            accounts::set_disabled(&state.db, id, true).await,
            action::USER_DISABLED,
            "",
        ),
        "inschakelen" => (
            accounts::set_disabled(&state.db, id, false).await,
            action::USER_ENABLED,
            "",
        ),
        "wachtwoord" => {
            if check_new_password(&form.wachtwoord).is_err() {
                return back("wachtwoord");
            }
            let hash = password::hash(form.wachtwoord).await;
            (
                accounts::set_password(&state.db, id, &hash, None).await,
                action::PASSWORD_RESET,
                "",
            )
        }
        _ => return (StatusCode::BAD_REQUEST, "Onbekende actie.").into_response(),
    };
    let noted = async {
        result?;
        let subject = format!("gebruiker:{id}");
        audit::note(&state.db, &admin, done, &subject, detail, app::db::now()).await
    };
    match noted.await {
        Ok(()) => back("opgeslagen"),
        Err(err) => internal(err),
    }
}

/// Signing in and out, sessions, passwords, users, and saving articles.
pub(super) fn routes() -> axum::Router<AppState> {
    use axum::routing::post;
    axum::Router::new()
        .route(paths::LOGIN, post(login))
        .route(paths::LOGOUT, post(logout))
        .route(paths::PASSWORD, post(change_password))
        // The literal route wins over the one with a handle.
        .route(paths::OTHER_SESSIONS_END, post(end_other_sessions))
        .route(paths::SESSION_END.template(), post(end_session))
        .route(paths::NEW_ARTICLE, post(save_new_article))
        .route(paths::ARTICLE.template(), post(save_existing_article))
        .route(paths::ARTICLE_REVISION.template(), post(restore_revision))
        .route(
            paths::ARTICLE_AUTOSAVE_DISCARD.template(),
            post(discard_autosave),
        )
        .route(paths::USERS, post(create_user))
        .route(paths::USER.template(), post(update_user))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn login_redirects_stay_on_this_site() {
        assert_eq!(local_path("/redactie/artikelen"), "/redactie/artikelen");
        assert_eq!(local_path("https://kwaad.example/"), "/redactie");
        assert_eq!(local_path("//kwaad.example"), "/redactie");
        assert_eq!(local_path("/\\kwaad.example"), "/redactie");
        assert_eq!(local_path("/redactie?x=1"), "/redactie?x=1");
        for bad in [
            "/nieuws/brug",
            "/redactiex",
            "/\t/kwaad.example",
            "/redactie/\n",
            "/redactie/\r",
            "/redactie/\0",
            "/redactie/ a",
        ] {
            assert_eq!(local_path(bad), "/redactie", "{bad:?}");
        }
    }

    #[test]
    fn a_redirect_a_header_cannot_carry_is_refused_not_a_panic() {
        assert_eq!(see_other("/a\nb").status(), StatusCode::BAD_REQUEST);
        assert_eq!(see_other("/redactie").status(), StatusCode::SEE_OTHER);
    }

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(
            url_with("/x", &[("email", "a+b@c.nl"), ("leeg", "")]),
            "/x?email=a%2Bb%40c.nl"
        );
    }
}
