//! Saving the broadcaster's own pages (editors). A refused save renders the editor again with
//! what was typed and why, in Dutch; nothing typed is lost.

use app::{
    accounts::CurrentUser,
    newsroom::SitePageSubmission,
    paths,
    site_pages::{
        store::{self, SaveError},
        PageDraft,
    },
    state::AppState,
};
use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::Response,
    routing::post,
    Form, Router,
};
use serde::Deserialize;

use super::{
    error::internal,
    newsroom::{render_with, see_other},
    roles::Editor,
};

#[derive(Debug, Deserialize)]
pub struct PageForm {
    #[serde(default)]
    titel: String,
    #[serde(default)]
    adres: String,
    #[serde(default)]
    tekst: String,
    #[serde(default)]
    voettekst: Option<String>,
    #[serde(default)]
    volgorde: String,
    #[serde(default)]
    versie: String,
}

impl PageForm {
    fn submission(&self, error: &str) -> SitePageSubmission {
        SitePageSubmission {
            title: self.titel.clone(),
            slug: self.adres.clone(),
            body: self.tekst.clone(),
            in_footer: self.voettekst.is_some(),
            position: self.volgorde.clone(),
            version: self.versie.trim().parse().unwrap_or_default(),
            error: error.into(),
        }
    }
}

async fn save_new(
    State(state): State<AppState>,
    Editor(user): Editor,
    Form(form): Form<PageForm>,
) -> Response {
    save(&state, user, None, form, paths::NEW_SITE_PAGE.into()).await
}

async fn save_existing(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Editor(user): Editor,
    Form(form): Form<PageForm>,
) -> Response {
    save(
        &state,
        user,
        Some(id),
        form,
        paths::SITE_PAGE_EDIT.to(&[&id]),
    )
    .await
}

async fn save(
    state: &AppState,
    user: CurrentUser,
    id: Option<i64>,
    form: PageForm,
    editor: String,
) -> Response {
    let refuse = |message: &str, status| {
        let submission = form.submission(message);
        let editor = editor.clone();
        let user = user.clone();
        async move { render_with(state, editor, user, submission, status).await }
    };
    let draft = match PageDraft::parse(
        &form.titel,
        &form.adres,
        &form.tekst,
        form.voettekst.is_some(),
        &form.volgorde,
    ) {
        Ok(draft) => draft,
        Err(message) => return refuse(message, StatusCode::UNPROCESSABLE_ENTITY).await,
    };
    let base = form.versie.trim().parse().unwrap_or(-1);
    match store::save(&state.db, Some(&user), id, base, &draft, app::db::now()).await {
        Ok(saved) => {
            tracing::info!(page = saved, user = user.id, "site page saved");
            let code = if id.is_some() {
                "opgeslagen"
            } else {
                "aangemaakt"
            };
            see_other(&format!(
                "{}?gelukt={code}",
                paths::SITE_PAGE_EDIT.to(&[&saved])
            ))
        }
        Err(SaveError::SlugTaken) => {
            refuse(
                "Er is al een pagina met dit adres. Kies een ander adres.",
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(SaveError::Conflict) => {
            // The form now names the newest version: saving again is a choice made knowingly.
            let current = match store::for_editing(&state.db, id.unwrap_or_default(), None).await {
                Ok(page) => page.map(|p| p.version).unwrap_or_default(),
                Err(err) => return internal(err),
            };
            let mut submission = form.submission(
                "Iemand anders heeft deze pagina intussen opgeslagen. Jouw tekst staat hieronder. \
                 Bekijk de nieuwe versie eerst (in een nieuw tabblad); nog een keer Opslaan zet \
                 jouw tekst eroverheen.",
            );
            submission.version = current;
            render_with(state, editor, user, submission, StatusCode::CONFLICT).await
        }
        Err(SaveError::NotFound) => {
            refuse("Deze pagina bestaat niet meer.", StatusCode::NOT_FOUND).await
        }
        Err(SaveError::Store(err)) => internal(err),
    }
}

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route(paths::NEW_SITE_PAGE, post(save_new))
        .route(paths::SITE_PAGE_EDIT.template(), post(save_existing))
}
