//! The editor's live preview: the whole article as readers will see it, rendered by the server
//! with the public page's own `ArticleContent` component, so the browser downloads no page code.

use leptos::prelude::*;

use crate::markup::textarea_html;

/// Renders the editor form (URL-encoded, as the browser would post it) to the HTML of the public
/// article, without saving anything.
#[server]
pub async fn preview_article(form: String) -> Result<String, ServerFnError> {
    let user = crate::accounts::auth::authorize(crate::accounts::Role::Contributor)?;
    let state = expect_context::<crate::state::AppState>();
    if form.len() > crate::articles::draft::BODY_MAX * 4 {
        return Err(ServerFnError::new(
            "De tekst is te lang voor een voorbeeld.",
        ));
    }
    let form: crate::articles::draft::ArticleForm = serde_urlencoded::from_str(&form)
        .map_err(|_| ServerFnError::new("Dit formulier kan ik niet lezen."))?;
    let article = ssr::preview(&form, &state.site.sections, &user, crate::db::now());
    Ok(Owner::new().with(|| view! { <crate::pages::ArticleContent article/> }.to_html()))
}

#[cfg(feature = "ssr")]
mod ssr {
    use crate::{
        accounts::CurrentUser,
        articles::{
            draft::{non_empty as optional, parse_local_datetime, ArticleForm},
            markdown, Article, ArticleCard, Byline, HeroImage, Tag,
        },
        site::Section,
        slug::slugify,
    };

    /// The article as it would look if published now (or at its planned time). Unfinished
    /// fields show as placeholders rather than errors: the preview is for looking, saving checks.
    pub fn preview(
        form: &ArticleForm,
        sections: &[Section],
        user: &CurrentUser,
        now: i64,
    ) -> Article {
        let section = sections
            .iter()
            .find(|s| s.slug == form.rubriek)
            .cloned()
            .unwrap_or_else(|| Section {
                slug: "rubriek".into(),
                name: "Rubriek".into(),
            });
        let title = optional(&form.titel).unwrap_or_else(|| "(nog zonder kop)".into());
        let published_at = parse_local_datetime(&form.inplannen_op).unwrap_or(now);
        let hero = optional(&form.beeld_src).map(|src| HeroImage {
            src,
            alt: form.beeld_alt.trim().to_string(),
            caption: optional(&form.beeld_bijschrift),
            credit: optional(&form.beeld_credit),
        });
        Article {
            card: ArticleCard {
                slug: slugify(&title).map(|s| s.to_string()).unwrap_or_default(),
                section,
                title,
                lead: form.intro.trim().to_string(),
                hero,
                place: form.plaats.trim().to_string(),
                published_at,
                live: false,
            },
            body_html: markdown::render(&form.tekst),
            updated_at: published_at,
            authors: vec![Byline {
                slug: user.author_slug.clone().unwrap_or_default(),
                name: user.display_name.clone(),
            }],
            tags: form
                .tag_names()
                .into_iter()
                .map(|name| Tag {
                    slug: slugify(&name).map(|s| s.to_string()).unwrap_or_default(),
                    name,
                })
                .collect(),
        }
    }
}

/// The body textarea (a plain form field, so saving works without JavaScript) and, once hydrated,
/// a preview of the whole article that follows any change to the form half a second after typing
/// stops.
// Lazy: its code loads only on dashboard pages, not on a reader's phone.
#[island(lazy)]
pub fn BodyWithPreview(body: String) -> impl IntoView {
    let (html, set_html) = signal(String::new());
    let (ready, set_ready) = signal(false);
    let root = NodeRef::<leptos::html::Div>::new();
    let render = Action::new(move |form: &String| {
        let form = form.clone();
        async move {
            if let Ok(rendered) = preview_article(form).await {
                set_html.set(rendered);
            }
        }
    });
    let pending = StoredValue::new(None::<leptos::leptos_dom::helpers::TimeoutHandle>);
    let schedule = move || {
        if let Some(handle) = pending.get_value() {
            handle.clear();
        }
        let handle = set_timeout_with_handle(
            move || {
                if let Some(form) = client::form_of(root) {
                    render.dispatch(form);
                }
            },
            std::time::Duration::from_millis(500),
        )
        .ok();
        pending.set_value(handle);
    };
    Effect::new(move |_| {
        set_ready.set(true);
        if let Some(form) = client::form_of(root) {
            render.dispatch(form);
        }
    });
    // Every field of the editor counts, not only the body: typing and choosing both bubble up.
    let on_change = move |ev: leptos::ev::Event| {
        if client::in_editor(&ev) {
            schedule();
        }
    };
    let input = window_event_listener(leptos::ev::input, on_change);
    let change = window_event_listener(leptos::ev::change, on_change);
    on_cleanup(move || {
        input.remove();
        change.remove();
    });
    view! {
        <div class="body-with-preview" node_ref=root>
            <div class="field">
                <label for="tekst">"Tekst (Markdown: ## tussenkop, > citaat, - opsomming)"</label>
                <textarea id="tekst" name="tekst" rows="18" inner_html=textarea_html(&body)></textarea>
            </div>
            <section class="preview" hidden=move || !ready.get() aria-label="Voorbeeld">
                <h2 class="preview-title">"Voorbeeld"</h2>
                <div class="preview-frame" inner_html=move || html.get()></div>
            </section>
        </div>
    }
}

mod client {
    use leptos::{
        prelude::*,
        wasm_bindgen::JsCast,
        web_sys::{Element, FormData, HtmlFormElement, UrlSearchParams},
    };

    /// The editor form around `root`, URL-encoded as the browser would post it.
    pub fn form_of(root: NodeRef<leptos::html::Div>) -> Option<String> {
        let element: Element = root.get_untracked()?.into();
        let form: HtmlFormElement = element.closest("form").ok()??.dyn_into().ok()?;
        let data = FormData::new_with_form(&form).ok()?;
        let params = UrlSearchParams::new_with_str_sequence_sequence(&data).ok()?;
        Some(params.to_string().into())
    }

    pub fn in_editor(ev: &leptos::ev::Event) -> bool {
        ev.target()
            .and_then(|t| t.dyn_into::<Element>().ok())
            .and_then(|el| el.closest("form.editor").ok().flatten())
            .is_some()
    }
}
