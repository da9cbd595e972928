//! The editor's body field with a live preview, rendered by the server with the same Markdown
//! rules and styles as the public article page: the one island of the dashboard.

use leptos::prelude::*;

/// Renders a draft body to the sanitised HTML the public page would show.
#[server]
pub async fn preview_body(markdown: String) -> Result<String, ServerFnError> {
    crate::accounts::auth::authorize(crate::accounts::Role::Contributor)?;
    if markdown.len() > crate::articles::draft::BODY_MAX {
        return Err(ServerFnError::new(
            "De tekst is te lang voor een voorbeeld.",
        ));
    }
    Ok(crate::articles::markdown::render(&markdown))
}

/// The body textarea (still a plain form field, so saving works without JavaScript) and, once
/// hydrated, a preview that follows the text half a second after typing stops.
#[island]
pub fn BodyWithPreview(body: String) -> impl IntoView {
    let (text, set_text) = signal(body);
    let (html, set_html) = signal(String::new());
    let (ready, set_ready) = signal(false);
    let render = Action::new(move |markdown: &String| {
        let markdown = markdown.clone();
        async move {
            if let Ok(rendered) = preview_body(markdown).await {
                set_html.set(rendered);
            }
        }
    });
    let pending = StoredValue::new(None::<leptos::leptos_dom::helpers::TimeoutHandle>);
    Effect::new(move |_| {
        set_ready.set(true);
        render.dispatch(text.get_untracked());
    });
    let on_input = move |ev: leptos::ev::Event| {
        set_text.set(event_target_value(&ev));
        if let Some(handle) = pending.get_value() {
            handle.clear();
        }
        let handle = set_timeout_with_handle(
            move || {
                render.dispatch(text.get_untracked());
            },
            std::time::Duration::from_millis(500),
        )
        .ok();
        pending.set_value(handle);
    };
    view! {
        <div class="body-with-preview">
            <div class="field">
                <label for="tekst">"Tekst (Markdown: ## tussenkop, > citaat, - opsomming)"</label>
                <textarea id="tekst" name="tekst" rows="18" on:input=on_input>{text.get_untracked()}</textarea>
            </div>
            <section class="preview" hidden=move || !ready.get() aria-label="Voorbeeld">
                <h2 class="preview-title">"Voorbeeld"</h2>
                <div class="article-body" inner_html=move || html.get()></div>
            </section>
        </div>
    }
}
