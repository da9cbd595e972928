//! The newsroom dashboard at `/redactie`: one shell (navigation, role gate, no caching) that the
//! article screens here and the live and moderation screens of later issues plug into.

mod articles;
mod audit;
mod blog;
mod calamity;
mod data;
mod editor;
mod inbox;
mod live;
mod login;
mod moderation;
mod overview;
mod password;
mod preview;
mod programming;
mod site_pages;
mod upload;
mod users;
mod writing;

pub use articles::ArticlesPage;
pub use audit::AuditLogPage;
pub use blog::{BlogConsolePage, BlogSubmission};
pub use calamity::{CalamityPage, CalamitySubmission};
pub use data::*;
pub use editor::{EditorPage, EditorSubmission};
pub use inbox::InboxPage;
pub use live::{LivePage, LiveSubmission};
pub use login::LoginPage;
pub use moderation::ModerationPage;
pub use overview::OverviewPage;
pub use password::PasswordPage;
pub use preview::{BodyEditor, BodyWithPreview, PreviewArticle};
pub use programming::{ProgrammingPage, ProgrammingSubmission};
pub use site_pages::{SitePageEditorPage, SitePageSubmission, SitePagesPage};
pub use upload::ImageUpload;
pub use users::UsersPage;
pub use writing::{
    presence_text, AutosaveArticle, EditingHere, NewArticleAutosave, HEARTBEAT_SECONDS,
};

use crate::paths;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_location, use_query_map};

use crate::accounts::{CurrentUser, Role};

/// The signed-in user of this request (server only; pages never run in the browser).
pub fn signed_in() -> Option<CurrentUser> {
    #[cfg(feature = "ssr")]
    {
        crate::accounts::auth::current_user()
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}

/// A query parameter of the current request, empty when absent.
pub fn query(name: &str) -> String {
    use_query_map()
        .get_untracked()
        .get(name)
        .unwrap_or_default()
}

#[cfg(feature = "ssr")]
pub(crate) fn no_store() {
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.insert_header(
            http::header::CACHE_CONTROL,
            http::HeaderValue::from_static("no-store"),
        );
    }
}

/// Sends the browser elsewhere with 303, whatever it accepts (pages, not server functions).
#[cfg(feature = "ssr")]
pub(crate) fn redirect_page(path: &str) {
    if let (Some(response), Ok(location)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(path),
    ) {
        response.set_status(http::StatusCode::SEE_OTHER);
        response.insert_header(http::header::LOCATION, location);
    }
}

/// Wraps every dashboard page: sends signed-out visitors to the login page, refuses a role that
/// is too low with 403, and renders the dashboard navigation.
#[component]
pub fn NewsroomShell(min: Role, title: &'static str, children: ChildrenFn) -> impl IntoView {
    #[cfg(feature = "ssr")]
    no_store();
    let path = use_location().pathname.get_untracked();
    let Some(user) = signed_in() else {
        #[cfg(feature = "ssr")]
        redirect_page(&format!("{}?volgende={path}", paths::LOGIN));
        return view! { <p>"Je wordt doorgestuurd naar de inlogpagina…"</p> }.into_any();
    };
    if !user.may(min) {
        #[cfg(feature = "ssr")]
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(http::StatusCode::FORBIDDEN);
        }
        return view! {
            <Title text="Geen toegang"/>
            <section class="message-page">
                <h1>"Geen toegang"</h1>
                <p>"Je rol (" {user.role.label()} ") geeft geen toegang tot deze pagina."</p>
                <p><a href=paths::NEWSROOM>"Naar het overzicht"</a></p>
            </section>
        }
        .into_any();
    }
    let on_moderation = path == paths::MODERATION;
    let link = move |href: &'static str, label: &'static str| {
        let current = (path == href).then_some("page");
        view! { <li><a href=href aria-current=current>{label}</a></li> }
    };
    view! {
        <Title text=format!("{title} – Redactie")/>
        <Meta name="robots" content="noindex, nofollow"/>
        <div class="newsroom">
            <nav class="newsroom-nav" aria-label="Redactie">
                <ul>
                    {link(paths::NEWSROOM, "Overzicht")}
                    {link(paths::ARTICLES, "Artikelen")}
                    {link(paths::NEW_ARTICLE, "Nieuw artikel")}
                    {user.may(Role::Editor).then(|| link(paths::LIVE_DESK, "Live"))}
                    {user.may(Role::Editor).then(|| link(paths::CALAMITY_DESK, "Calamiteit"))}
                    {user.may(Role::Editor).then(|| view! { <ModerationLink current=on_moderation/> })}
                    {user.may(Role::Editor).then(|| link(paths::INBOX, "Inbox"))}
                    {user.may(Role::Editor).then(|| link(paths::PROGRAMMING, "Programmering"))}
                    {user.may(Role::Editor).then(|| link(paths::SITE_PAGES, "Pagina's"))}
                    {link(paths::PASSWORD, "Wachtwoord")}
                    {user.may(Role::Admin).then(|| link(paths::USERS, "Gebruikers"))}
                    {user.may(Role::Admin).then(|| link(paths::AUDIT, "Logboek"))}
                </ul>
                <form method="post" action=paths::LOGOUT class="logout">
                    <span class="whoami">{user.display_name.clone()} " · " {user.role.label()}</span>
                    <button type="submit">"Uitloggen"</button>
                </form>
            </nav>
            <div class="newsroom-main">
                <h1 class="page-title">{title}</h1>
                {children()}
            </div>
        </div>
    }
    .into_any()
}

/// "Reacties" with the number waiting, kept current by the live stream.
#[component]
fn ModerationLink(current: bool) -> impl IntoView {
    let badge = Resource::new_blocking(|| (), |_| crate::comments::pending_badge());
    view! {
        <li>
            <a href=paths::MODERATION aria-current=current.then_some("page")>
                "Reacties"
                <Suspense>
                    {move || Suspend::new(async move {
                        let badge = badge.await.unwrap_or_default();
                        view! {
                            " " <span class="nav-badge" data-live="moderation" data-since=badge.since
                                aria-label="wachtend">
                                {crate::comments::badge_text(badge.pending)}
                            </span>
                        }
                    })}
                </Suspense>
            </a>
        </li>
    }
}
