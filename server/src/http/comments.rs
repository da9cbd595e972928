//! `POST /reageren/{article}`: a reader's comment, from the plain form under every article.
//!
//! The answer is always a page a person can act on: a redirect back to the article saying
//! whether the comment is visible or waits for moderation, or the article again with each
//! problem beside its field and everything the reader typed kept.

use super::error::AppError;
use app::{
    comments::{
        rules::{self, AuthorName, CommentBody, Email, Field},
        settings::TokenProblem,
        store::{self, NewComment, Outcome, Refusal},
        CommentSubmission,
    },
    state::AppState,
};
use axum::{
    extract::{rejection::FormRejection, Path, RawQuery, State},
    http::StatusCode,
    response::{IntoResponse, Response},
    Extension, Form,
};
use serde::Deserialize;

use super::client::Client;
use super::{
    error::internal,
    newsroom::{render_page, see_other},
};

/// Largest form accepted: a 2,000-character comment in any script, URL-encoded, fits easily.
pub const BODY_LIMIT: usize = 64 * 1024;

#[derive(Clone, Debug, Default, Deserialize)]
pub struct CommentForm {
    #[serde(default)]
    naam: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    bericht: String,
    /// The comment replied to, if any.
    #[serde(default)]
    antwoord: String,
    /// The honeypot: people never see it, so never fill it in.
    #[serde(default)]
    website: String,
    /// The signed time the form was rendered.
    #[serde(default)]
    geladen: String,
}

impl CommentForm {
    fn parent(&self) -> Option<i64> {
        self.antwoord.trim().parse().ok().filter(|id| *id > 0)
    }
}

fn message(refusal: Refusal) -> (StatusCode, &'static str) {
    match refusal {
        Refusal::Closed => (
            StatusCode::FORBIDDEN,
            "Reageren is gesloten voor dit artikel.",
        ),
        Refusal::NoParent => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "De reactie waarop je wilde reageren, staat niet (meer) op de site. Je tekst staat \
             er nog: verstuur hem als gewone reactie.",
        ),
        Refusal::Duplicate => (StatusCode::CONFLICT, "Deze reactie heb je al geplaatst."),
        Refusal::RateLimited => (
            StatusCode::TOO_MANY_REQUESTS,
            "Je hebt net al een paar keer gereageerd. Wacht een paar minuten en verstuur je \
             reactie dan opnieuw; je tekst staat er nog.",
        ),
        // Neutral on purpose: a banned sender learns nothing from it.
        Refusal::Banned => (
            StatusCode::FORBIDDEN,
            "Je reactie kan niet worden geplaatst.",
        ),
    }
}

/// A link on a refused form's page (its address is this one) leads back to the article.
pub async fn back_to_article(
    State(state): State<AppState>,
    Path(article): Path<i64>,
    RawQuery(query): RawQuery,
) -> Response {
    match app::articles::store::visible_path(&state.db, article, app::db::now()).await {
        Ok(Some((_, path))) => {
            let query = query.map(|q| format!("?{q}")).unwrap_or_default();
            see_other(&format!("{path}{query}#reageren"))
        }
        Ok(None) => AppError::NotFound("Dit artikel bestaat niet.").into_response(),
        Err(err) => internal(err),
    }
}

pub async fn submit(
    State(state): State<AppState>,
    Extension(client): Extension<Client>,
    Path(article): Path<i64>,
    form: Result<Form<CommentForm>, FormRejection>,
) -> Response {
    let now = app::db::now();
    let path = match app::articles::store::visible_path(&state.db, article, now).await {
        Ok(Some((_, path))) => path,
        Ok(None) => return AppError::NotFound("Dit artikel bestaat niet.").into_response(),
        Err(err) => return internal(err),
    };
    let (form, malformed) = match form {
        Ok(Form(form)) => (form, false),
        Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return (
                StatusCode::PAYLOAD_TOO_LARGE,
                "Je reactie is te groot om te versturen: een reactie is hoogstens 2000 tekens.",
            )
                .into_response()
        }
        Err(rejection) => {
            tracing::info!(%rejection, "malformed comment form");
            (CommentForm::default(), true)
        }
    };
    let refuse = |problems: Vec<(Field, String)>, message: Option<&str>, status| {
        let submission = CommentSubmission {
            name: form.naam.clone(),
            email: form.email.clone(),
            body: form.bericht.clone(),
            parent: form.parent(),
            problems,
            message: message.map(str::to_string),
        };
        render_page(&state, path.clone(), None, submission, status)
    };
    let problems = rules::problems(&form.naam, &form.email, &form.bericht);
    if malformed {
        return refuse(problems, None, StatusCode::BAD_REQUEST).await;
    }
    if !form.website.trim().is_empty() {
        // Software filled in the hidden field: answer as if queued, keep nothing.
        tracing::info!(article, "comment honeypot filled; dropped");
        return see_other(&format!("{path}?reactie=wacht#reageren"));
    }
    if !problems.is_empty() {
        return refuse(problems, None, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    match state.comments.check_token(&form.geladen, article, now) {
        Ok(()) => {}
        Err(TokenProblem::TooFast) => {
            let text = "Dat ging snel! Kijk je reactie nog even na en verstuur hem opnieuw.";
            return refuse(Vec::new(), Some(text), StatusCode::UNPROCESSABLE_ENTITY).await;
        }
        Err(TokenProblem::Invalid | TokenProblem::Expired) => {
            let text = "Deze pagina stond lang open of het formulier was niet compleet. Je tekst \
                        staat er nog: verstuur hem opnieuw.";
            return refuse(Vec::new(), Some(text), StatusCode::BAD_REQUEST).await;
        }
    }
    // The rules passed above; parsing again cannot fail.
    let (Ok(name), Ok(email), Ok(body)) = (
        AuthorName::parse(&form.naam),
        Email::parse(&form.email),
        CommentBody::parse(&form.bericht),
    ) else {
        return refuse(problems, None, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let new = NewComment {
        article_id: article,
        parent_id: form.parent(),
        name: &name,
        email: &email,
        body: &body,
        client: match state.clients.hash(&state.db, &client.key(), now).await {
            Ok(hash) => hash,
            Err(err) => return internal(err),
        },
    };
    match store::submit(&state.db, &state.comments, &new, now).await {
        // A visible comment is shown where it stands (a reply to an older comment is on an
        // earlier page of the thread).
        Ok(Ok(Outcome::Published(id))) => {
            metrics::counter!(super::telemetry::COMMENTS, "outcome" => "published").increment(1);
            see_other(&format!("{path}?reactie=zichtbaar&bij={id}#reactie-{id}"))
        }
        Ok(Ok(Outcome::Queued(_))) => {
            metrics::counter!(super::telemetry::COMMENTS, "outcome" => "queued").increment(1);
            see_other(&format!("{path}?reactie=wacht#reageren"))
        }
        Ok(Err(refusal)) => {
            metrics::counter!(super::telemetry::COMMENTS, "outcome" => "refused").increment(1);
            tracing::info!(article, ?refusal, "comment refused");
            let (status, text) = message(refusal);
            refuse(Vec::new(), Some(text), status).await
        }
        Err(err) => internal(err),
    }
}

/// Readers' comments: the form posts here; a GET (a reload after a refusal) goes back to the
/// article.
pub(super) fn routes() -> axum::Router<AppState> {
    axum::Router::new().route(
        app::paths::COMMENT.template(),
        axum::routing::get(back_to_article)
            .post(submit)
            .layer(axum::extract::DefaultBodyLimit::max(BODY_LIMIT)),
    )
}
