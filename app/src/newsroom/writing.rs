//! What keeps a reporter's words safe while they write: autosave to the server (and to the
//! browser when the server cannot be reached), and who else has the article open. The islands
//! here are lazy: their code loads on the newsroom's editor only.

use leptos::prelude::*;

use crate::articles::draft::Autosave;

/// How often an open editor says it is still there (the server counts it gone after 50 s).
pub const HEARTBEAT_SECONDS: u64 = 20;

/// Most bytes of form an autosave takes (the body's limit, with room for the other fields).
#[cfg(feature = "ssr")]
const AUTOSAVE_MAX: usize = crate::articles::draft::BODY_MAX * 4;

/// Keeps the editor form (URL-encoded, as the browser would post it) as the caller's
/// background copy of `article` (0: a new article). Returns the status line that says when
/// ("Opgeslagen om 14:05", Dutch time). It does not save a version, publish or stamp
/// "Bijgewerkt". Text, not a number: the island then needs no number decoding, whose tables
/// would sit in every reader's bundle.
#[server(endpoint = "concept")]
pub async fn autosave_article(article: i64, form: String) -> Result<String, ServerFnError> {
    use crate::accounts::{auth::authorize, Role};
    let user = authorize(Role::Contributor)?;
    let state = expect_context::<crate::state::AppState>();
    if form.len() > AUTOSAVE_MAX {
        return Err(ServerFnError::new("De tekst is te lang om op te slaan."));
    }
    let form: crate::articles::draft::ArticleForm = serde_urlencoded::from_str(&form)
        .map_err(|_| ServerFnError::new("Dit formulier kan ik niet lezen."))?;
    let editing = crate::articles::editing::may_edit(&state.db, article, &user);
    if article != 0
        && !editing
            .await
            .map_err(crate::internal("checking an autosave"))?
    {
        return Err(ServerFnError::new("Dit artikel bestaat niet."));
    }
    let now = crate::db::now();
    crate::articles::editing::autosave(&state.db, &user, article, &form, now)
        .await
        .map_err(crate::internal("autosaving"))?;
    Ok(format!("Opgeslagen om {}", crate::dates::clock(now)))
}

/// The caller's background copy of a new article, if one is waiting.
#[server]
pub async fn new_article_autosave() -> Result<Option<Autosave>, ServerFnError> {
    use crate::accounts::{auth::authorize, Role};
    let user = authorize(Role::Contributor)?;
    let state = expect_context::<crate::state::AppState>();
    crate::articles::editing::autosave_of(&state.db, user.id, 0)
        .await
        .map_err(crate::internal("reading an autosave"))
}

/// Says the caller has `article` open in the editor (`here`), or has left it; returns the line
/// that says who else has it open (empty: nobody). Also the address a closing page's beacon
/// posts to.
#[server(endpoint = "aanwezig")]
pub async fn editing_here(article: i64, here: bool) -> Result<String, ServerFnError> {
    use crate::accounts::{auth::authorize, Role};
    let user = authorize(Role::Contributor)?;
    let state = expect_context::<crate::state::AppState>();
    let allowed = crate::articles::editing::may_edit(&state.db, article, &user)
        .await
        .map_err(crate::internal("checking who may edit"))?;
    if !allowed {
        return Err(ServerFnError::new("Dit artikel bestaat niet."));
    }
    let others =
        crate::articles::presence::update(&state.db, article, user.id, here, crate::db::now())
            .await
            .map_err(crate::internal("noting presence"))?;
    Ok(presence_text(&others))
}

/// Keeps the server-rendered presence line (`.presence`, with `data-artikel` and
/// `data-since`) current: a heartbeat now and every 20 s, a refresh whenever the live stream
/// says the set of people changed, and a goodbye when the page closes. Run by the editor's
/// island (one island for the whole editor, so the code readers download stays as it was).
pub fn keep_presence_current() {
    let Some(line) = document().query_selector(".presence").ok().flatten() else {
        return;
    };
    let data = |name: &str| line.get_attribute(name).and_then(|v| v.parse::<i64>().ok());
    let (Some(article), since) = (data("data-artikel"), data("data-since").unwrap_or(0)) else {
        return;
    };
    let refresh = Action::new(move |article: &i64| {
        let article = *article;
        let line = line.clone();
        async move {
            if let Ok(said) = editing_here(article, true).await {
                client::show(&line, &said);
            }
        }
    });
    refresh.dispatch(article);
    client::follow(article, since, move || {
        refresh.dispatch(article);
    });
}

/// The line that says who else has the article open; empty when nobody does.
pub fn presence_text(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [name] => format!("{name} heeft dit artikel nu ook open."),
        [rest @ .., last] => format!(
            "{} en {last} hebben dit artikel nu ook open.",
            rest.join(", ")
        ),
    }
}

mod client {
    use leptos::{
        prelude::*,
        wasm_bindgen::{closure::Closure, JsCast},
        web_sys::EventSource,
    };

    use super::HEARTBEAT_SECONDS;

    /// Puts the server's line in the presence line, hiding it when nobody else is there.
    pub fn show(line: &leptos::web_sys::Element, said: &str) {
        if let Ok(Some(text)) = line.query_selector(".presence-text") {
            text.set_text_content(Some(said));
        }
        if said.is_empty() {
            let _ = line.set_attribute("hidden", "");
        } else {
            let _ = line.remove_attribute("hidden");
        }
    }

    /// Heartbeats while the page is open, a refresh whenever the set of people changes, and a
    /// goodbye when the page goes away.
    pub fn follow(article: i64, since: i64, refresh: impl Fn() + Clone + 'static) {
        let beat = refresh.clone();
        let _ = set_interval_with_handle(beat, std::time::Duration::from_secs(HEARTBEAT_SECONDS));
        let topic = format!("editing:{article}");
        if let Ok(source) = EventSource::new(&format!("/live?onderwerpen={topic}&sinds={since}")) {
            let on_event = Closure::<dyn Fn()>::new(refresh);
            let _ = source
                .add_event_listener_with_callback(&topic, on_event.into_js_value().unchecked_ref());
        }
        let goodbye = Closure::<dyn Fn()>::new(move || {
            let body = format!("article={article}&here=false");
            if let Ok(params) = leptos::web_sys::UrlSearchParams::new_with_str(&body) {
                let _ = window()
                    .navigator()
                    .send_beacon_with_opt_url_search_params("/api/aanwezig", Some(&params));
            }
        });
        let _ = window()
            .add_event_listener_with_callback("pagehide", goodbye.into_js_value().unchecked_ref());
    }
}

#[cfg(test)]
mod tests {
    use super::presence_text;

    #[test]
    fn names_are_joined_as_dutch_lists() {
        let line = |n: &[&str]| {
            let names: Vec<String> = n.iter().map(|s| s.to_string()).collect();
            presence_text(&names)
        };
        assert_eq!(line(&[]), "");
        assert_eq!(line(&["Jan"]), "Jan heeft dit artikel nu ook open.");
        assert_eq!(
            line(&["Jan", "Petra"]),
            "Jan en Petra hebben dit artikel nu ook open."
        );
        assert_eq!(
            line(&["An", "Jan", "Petra"]),
            "An, Jan en Petra hebben dit artikel nu ook open."
        );
    }
}
