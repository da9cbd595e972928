//! The moderation queue's posts (editor or higher; deleting by e-mail address: admin), and
//! closing or opening an article's comments.

use super::roles::{Admin, Editor};
use app::{
    audit,
    comments::{
        rules::{CommentBody, Email},
        store::{self, BanKind, Verdict},
    },
    paths,
    state::AppState,
};
use axum::{
    extract::{Path, State},
    response::Response,
    Form,
};
use serde::Deserialize;

use super::{error::internal, newsroom::see_other};

fn back(code: &str, n: usize) -> Response {
    see_other(&format!("{}?gelukt={code}&n={n}", paths::MODERATION))
}

fn verdict(word: &str) -> Option<(Verdict, &'static str)> {
    match word {
        "goedkeuren" => Some((Verdict::Approve, "goedgekeurd")),
        "afwijzen" => Some((Verdict::Reject, "afgewezen")),
        "spam" => Some((Verdict::Spam, "spam")),
        _ => None,
    }
}

/// One form for the whole queue: `een=<actie>:<id>` acts on one comment, otherwise `actie`
/// applies to every ticked `id`.
pub async fn act(
    State(state): State<AppState>,
    Editor(user): Editor,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, Response> {
    let now = app::db::now();
    let field = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    if let Some((action, id)) = field("een").and_then(|v| v.split_once(':')) {
        let Ok(id) = id.parse::<i64>() else {
            return Ok(back("niets", 0));
        };
        let ban = match action {
            "blokkeer-email" => Some(BanKind::Email),
            "blokkeer-ip" => Some(BanKind::Client),
            _ => None,
        };
        if let Some(kind) = ban {
            store::ban_author(&state.db, id, kind, user.id, now)
                .await
                .map_err(internal)?;
            tracing::info!(comment = id, ?kind, user = user.id, "comment author banned");
            // Which sender is not written down: the log keeps no reader's address.
            let detail = match kind {
                BanKind::Email => "op e-mailadres, bij reactie",
                BanKind::Client => "op adres, bij reactie",
            };
            audit::note(
                &state.db,
                &user,
                audit::action::SENDER_BLOCKED,
                &format!("reactie:{id}"),
                detail,
                now,
            )
            .await
            .map_err(internal)?;
            return Ok(back("geblokkeerd", 1));
        }
        let Some((verdict, code)) = verdict(action) else {
            return Ok(back("niets", 0));
        };
        let n = store::moderate(&state.db, &[id], verdict, user.id, now)
            .await
            .map_err(internal)?;
        return Ok(back(code, n));
    }
    let ids: Vec<i64> = fields
        .iter()
        .filter(|(k, _)| k == "id")
        .filter_map(|(_, v)| v.parse().ok())
        .collect();
    let Some((verdict, code)) = field("actie").and_then(verdict) else {
        return Ok(back("niets", 0));
    };
    if ids.is_empty() {
        return Ok(back("niets", 0));
    }
    let n = store::moderate(&state.db, &ids, verdict, user.id, now)
        .await
        .map_err(internal)?;
    Ok(back(code, n))
}

#[derive(Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    bericht: String,
}

pub async fn answer(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Editor(user): Editor,
    Form(form): Form<AnswerForm>,
) -> Result<Response, Response> {
    let Ok(body) = CommentBody::parse(&form.bericht) else {
        return Ok(back("leeg", 0));
    };
    let name = format!("{} ({})", user.display_name, state.site.name);
    let email = user.email.clone();
    store::reply_as_newsroom(&state.db, id, &name, &email, &body, app::db::now())
        .await
        .map_err(internal)?;
    Ok(back("beantwoord", 1))
}

#[derive(Deserialize)]
pub struct EmailForm {
    #[serde(default)]
    email: String,
}

pub async fn delete_by_email(
    State(state): State<AppState>,
    Admin(user): Admin,
    Form(form): Form<EmailForm>,
) -> Result<Response, Response> {
    let Ok(email) = Email::parse(&form.email) else {
        return Ok(back("email", 0));
    };
    let now = app::db::now();
    let n = store::delete_by_email(&state.db, &email, now)
        .await
        .map_err(internal)?;
    if n > 0 {
        audit::note(
            &state.db,
            &user,
            audit::action::COMMENTS_DELETED,
            "reacties",
            &format!("{n} van één e-mailadres"),
            now,
        )
        .await
        .map_err(internal)?;
    }
    tracing::info!(
        deleted = n,
        user = user.id,
        "comments deleted by e-mail address"
    );
    Ok(back("verwijderd", n as usize))
}

#[derive(Deserialize)]
pub struct WordsForm {
    #[serde(default)]
    woorden: String,
}

pub async fn save_banned_words(
    State(state): State<AppState>,
    Admin(user): Admin,
    Form(form): Form<WordsForm>,
) -> Result<Response, Response> {
    let words = app::comments::settings::parse_words(&form.woorden);
    app::comments::settings::save_banned_words(&state.db, &words)
        .await
        .map_err(internal)?;
    tracing::info!(words = words.len(), user = user.id, "banned words saved");
    Ok(back("woorden", words.len()))
}

#[derive(Deserialize)]
pub struct ClosedForm {
    #[serde(default)]
    gesloten: String,
}

/// Closes (`gesloten=1`) or opens an article's comments.
pub async fn set_closed(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    _: Editor,
    Form(form): Form<ClosedForm>,
) -> Result<Response, Response> {
    let closed = form.gesloten == "1";
    store::set_closed(&state.db, id, closed)
        .await
        .map_err(internal)?;
    let code = if closed {
        "reacties-dicht"
    } else {
        "reacties-open"
    };
    Ok(see_other(&format!(
        "{}?gelukt={code}",
        paths::ARTICLE.to(&[&id])
    )))
}

/// Moderating comments, answering them, banned words, deleting by address, closing comments.
pub(super) fn routes() -> axum::Router<AppState> {
    use axum::routing::post;
    axum::Router::new()
        .route(paths::MODERATION, post(act))
        .route(paths::COMMENT_ANSWER.template(), post(answer))
        .route(paths::BANNED_WORDS, post(save_banned_words))
        .route(paths::DELETE_BY_EMAIL, post(delete_by_email))
        .route(paths::ARTICLE_COMMENTS.template(), post(set_closed))
}
