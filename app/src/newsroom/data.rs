//! Server functions behind the dashboard pages. Each checks the caller's role first.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::articles::draft::{EditorArticle, NewsroomFilter, NewsroomRow};

#[cfg(feature = "ssr")]
use crate::accounts::{auth::authorize, Role};

#[cfg(feature = "ssr")]
const DOING: &str = "loading newsroom data";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overview {
    pub awaiting_review: Vec<NewsroomRow>,
    pub scheduled: Vec<NewsroomRow>,
    pub recently_published: Vec<NewsroomRow>,
    /// Comments waiting for a moderator (for editors; `None` for contributors).
    pub pending_comments: Option<i64>,
    /// Open tips and corrections in the inbox; for editors.
    pub open_inbox: Option<i64>,
    /// Running live blogs: article id and title.
    pub live_blogs: Vec<(i64, String)>,
    /// The newest lines of the audit log; for editors.
    pub recent_activity: Option<Vec<crate::audit::AuditEntry>>,
    /// Per station, what is on air now.
    pub on_air: Vec<(String, crate::on_air::GuideEntry)>,
}

#[server]
pub async fn newsroom_overview() -> Result<Overview, ServerFnError> {
    let user = authorize(Role::Contributor)?;
    let state = expect_context::<crate::state::AppState>();
    let all = |status: &str| NewsroomFilter {
        status: status.into(),
        ..Default::default()
    };
    let drafts = crate::articles::editing::list(&state.db, &all("draft"), &user)
        .await
        .map_err(crate::internal(DOING))?;
    let scheduled = crate::articles::editing::list(&state.db, &all("scheduled"), &user)
        .await
        .map_err(crate::internal(DOING))?;
    let mut published = crate::articles::editing::list(&state.db, &all("published"), &user)
        .await
        .map_err(crate::internal(DOING))?;
    published.sort_by_key(|row| std::cmp::Reverse(row.published_at));
    published.truncate(10);
    let now = crate::db::now();
    let live_blogs = crate::live::blog::store::listings(&state.db, now)
        .await
        .map_err(crate::internal(DOING))?
        .into_iter()
        .filter(|b| b.status == Some(crate::live::blog::BlogStatus::Live))
        .map(|b| (b.article_id, b.title))
        .collect();
    Ok(Overview {
        awaiting_review: drafts.into_iter().filter(|r| r.review_requested).collect(),
        scheduled,
        recently_published: published,
        pending_comments: match user.may(Role::Editor) {
            true => Some(
                crate::comments::store::pending_count(&state.db)
                    .await
                    .map_err(crate::internal(DOING))?,
            ),
            false => None,
        },
        open_inbox: match user.may(Role::Editor) {
            true => Some(
                crate::tips::store::open_count(&state.db)
                    .await
                    .map_err(crate::internal(DOING))?,
            ),
            false => None,
        },
        live_blogs,
        recent_activity: match user.may(Role::Editor) {
            true => Some(
                crate::audit::recent(&state.db, &Default::default(), RECENT_ACTIVITY)
                    .await
                    .map_err(crate::internal(DOING))?,
            ),
            false => None,
        },
        on_air: crate::on_air::store::on_air_now(&state.db, now)
            .await
            .map_err(crate::internal(DOING))?,
    })
}

/// Lines of the audit log the overview shows.
#[cfg(feature = "ssr")]
const RECENT_ACTIVITY: i64 = 12;

/// The audit log, filtered; admins only.
#[server]
pub async fn newsroom_audit(filter: crate::audit::AuditFilter) -> Result<AuditLog, ServerFnError> {
    authorize(Role::Admin)?;
    let state = expect_context::<crate::state::AppState>();
    let load = async {
        Ok::<_, crate::db::StoreError>(AuditLog {
            entries: crate::audit::recent(&state.db, &filter, crate::audit::PAGE).await?,
            people: crate::audit::people(&state.db).await?,
        })
    };
    load.await.map_err(crate::internal(DOING))
}

/// A page of the audit log, and who can be filtered on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditLog {
    pub entries: Vec<crate::audit::AuditEntry>,
    pub people: Vec<String>,
}

#[server]
pub async fn newsroom_articles(filter: NewsroomFilter) -> Result<Vec<NewsroomRow>, ServerFnError> {
    let user = authorize(Role::Contributor)?;
    let state = expect_context::<crate::state::AppState>();
    crate::articles::editing::list(&state.db, &filter, &user)
        .await
        .map_err(crate::internal(DOING))
}

#[server]
pub async fn newsroom_article(id: i64) -> Result<Option<EditorArticle>, ServerFnError> {
    let user = authorize(Role::Contributor)?;
    let state = expect_context::<crate::state::AppState>();
    crate::articles::editing::load(&state.db, id, &user)
        .await
        .map_err(crate::internal(DOING))
}

/// The caller's own sessions, and which of them is the one asking.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnSessions {
    pub sessions: Vec<crate::accounts::SessionListing>,
    pub current: Option<String>,
}

#[server]
pub async fn my_sessions() -> Result<OwnSessions, ServerFnError> {
    use crate::accounts::{auth, store};
    let user = authorize(Role::Contributor)?;
    let state = expect_context::<crate::state::AppState>();
    let secure = auth::cookies_secure(&state.site.base_url);
    let current = use_context::<http::request::Parts>()
        .and_then(|parts| auth::session_token(&parts.headers, secure))
        .map(|token| store::session_handle(&token));
    let sessions = store::sessions_of(&state.db, user.id, crate::db::now())
        .await
        .map_err(crate::internal(DOING))?;
    Ok(OwnSessions { sessions, current })
}

#[server]
pub async fn newsroom_users() -> Result<Vec<crate::accounts::UserListing>, ServerFnError> {
    authorize(Role::Admin)?;
    let state = expect_context::<crate::state::AppState>();
    crate::accounts::store::list_users(&state.db)
        .await
        .map_err(crate::internal(DOING))
}
