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

/// The body field and everything around it that the island brings to life, with all their
/// words: rendered here, on the server. A lazy island's code loads apart, but the texts it
/// holds would stay in the bundle every reader's phone downloads.
#[component]
pub fn BodyEditor(body: String) -> impl IntoView {
    let tool = |markup: Markup| {
        view! {
            <button type="button" title=markup.hint() aria-keyshortcuts=markup.keys()
                data-opmaak=(markup as u8).to_string() data-voorbeeld=markup.placeholder()>
                {markup.label()}
            </button>
        }
    };
    let safe = "je tekst staat veilig in deze browser";
    let messages = [
        (
            "offline",
            format!("Niet opgeslagen: geen verbinding — {safe}."),
        ),
        (
            "uitgelogd",
            format!(
                "Niet opgeslagen: je bent niet meer ingelogd (log in een ander tabblad opnieuw \
                 in) — {safe}."
            ),
        ),
        ("geweigerd", format!("Niet opgeslagen: {{reden}} — {safe}.")),
        (
            "aanbod",
            "Er is een niet-opgeslagen versie van {tijd} in deze browser: terugzetten?".into(),
        ),
        ("telling", "{woorden} · {minuten} min lezen · {kop}".into()),
        ("woord", "1 woord".into()),
        ("woorden", "{n} woorden".into()),
        ("geen-kop", "nog geen kop".into()),
        (
            "kop-te-lang",
            "kop {n} tekens: te lang, zoekmachines en sociale media kappen hem af".into(),
        ),
        (
            "kop-lang",
            format!("kop {{n}} tekens: zoekresultaten tonen er ongeveer {SEARCH_TITLE}"),
        ),
        ("kop-past", "kop {n} tekens: past in zoekresultaten".into()),
        ("verlaten", "Je tekst is nog niet opgeslagen.".into()),
    ];
    view! {
        <BodyWithPreview>
            <div class="restore-offer" role="alert" hidden>
                <p class="restore-text"></p>
                <button type="button" class="button-primary" data-actie="terugzetten">"Terugzetten"</button>
                " "
                <button type="button" data-actie="weggooien">"Weggooien"</button>
            </div>
            <div class="writing">
                <div class="field">
                    <label for="tekst">"Tekst (Markdown: ## tussenkop, > citaat, - opsomming)"</label>
                    <div class="toolbar" role="toolbar" aria-label="Opmaak" aria-controls="tekst" hidden>
                        {Markup::ALL.map(tool)}
                    </div>
                    <textarea id="tekst" name="tekst" rows="18" inner_html=textarea_html(&body)></textarea>
                    <p class="writing-stats" hidden></p>
                    <p class="autosave-status" role="status" hidden></p>
                </div>
            </div>
            <section class="preview" hidden aria-label="Voorbeeld">
                <h2 class="preview-title">"Voorbeeld"</h2>
                <div class="preview-frame"></div>
            </section>
            <div class="editor-messages" hidden>
                {messages.map(|(key, text)| view! { <span data-bericht=key>{text}</span> })}
            </div>
        </BodyWithPreview>
    }
}

/// Headlines longer than this are cut off in search results.
const SEARCH_TITLE: usize = 60;

/// What a toolbar button or shortcut does to the text. Its number is the button's
/// `data-opmaak`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Markup {
    Heading,
    Quote,
    Bold,
    Link,
    List,
    Image,
}

impl Markup {
    pub const ALL: [Markup; 6] = [
        Markup::Heading,
        Markup::Quote,
        Markup::Bold,
        Markup::Link,
        Markup::List,
        Markup::Image,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Markup::Heading => "Tussenkop",
            Markup::Quote => "Citaat",
            Markup::Bold => "Vet",
            Markup::Link => "Link",
            Markup::List => "Opsomming",
            Markup::Image => "Afbeelding",
        }
    }

    pub fn keys(self) -> &'static str {
        match self {
            Markup::Heading => "Control+Alt+2",
            Markup::Quote => "Control+Alt+Q",
            Markup::Bold => "Control+B",
            Markup::Link => "Control+K",
            Markup::List => "Control+Alt+L",
            Markup::Image => "Control+Alt+I",
        }
    }

    pub fn hint(self) -> String {
        format!(
            "{} ({})",
            self.label(),
            self.keys().replace("Control", "Ctrl")
        )
    }

    /// What is inserted, selected, when nothing is selected.
    pub fn placeholder(self) -> &'static str {
        match self {
            Markup::Bold => "vette tekst",
            Markup::Link => "linktekst",
            Markup::Image => "Beschrijf de afbeelding",
            Markup::Heading | Markup::Quote | Markup::List => "",
        }
    }
}

/// Brings [`BodyEditor`]'s server-rendered parts to life (it holds no words of its own): a
/// preview of the whole article beside the text (below it on phones) that follows any change
/// half a second after typing stops; the Markdown toolbar with shortcuts; word count, reading
/// time and headline length; autosave a few seconds after typing pauses, kept in the browser
/// when the server cannot be reached, and a question before leaving unsaved text.
///
/// What it needs of the page it reads from the form's `data-` attributes (see
/// `client::EditorPage`), not from props: island props are decoded by the code every reader's
/// phone downloads.
// Lazy: its code loads only on dashboard pages, not on a reader's phone.
#[island(lazy)]
pub fn BodyWithPreview(children: Children) -> impl IntoView {
    let root = NodeRef::<leptos::html::Div>::new();
    let page = StoredValue::new(client::EditorPage::default());
    // The form as the server last stored it; what differs from it is not safe yet.
    let stored = StoredValue::new(String::new());
    // The copy this browser kept, while it is offered back.
    let offered = StoredValue::new(None::<String>);
    let render = Action::new(move |form: &String| {
        let form = form.clone();
        async move {
            if let Ok(rendered) = preview_article(form).await {
                if let Some(frame) = client::part(root, ".preview-frame") {
                    frame.set_inner_html(&rendered);
                }
            }
        }
    });
    let autosave = Action::new(move |form: &String| {
        let form = form.clone();
        let client::EditorPage { article, key, .. } = page.get_value();
        async move {
            let said = match super::writing::autosave_article(article, form.clone()).await {
                Ok(saved) => {
                    stored.set_value(form);
                    client::forget_locally(&key);
                    saved
                }
                Err(err) => {
                    client::keep_locally(&key, &form);
                    client::failed(root, &err)
                }
            };
            client::say(root, ".autosave-status", &said);
        }
    });
    type Timer = StoredValue<Option<leptos::leptos_dom::helpers::TimeoutHandle>>;
    // Runs `action` on the form `millis` after the last change.
    let after_pause = move |timer: Timer, millis: u64, action: Action<String, ()>| {
        if let Some(handle) = timer.get_value() {
            handle.clear();
        }
        let handle = set_timeout_with_handle(
            move || {
                if let Some(form) = client::form_of(root) {
                    action.dispatch(form);
                }
            },
            std::time::Duration::from_millis(millis),
        )
        .ok();
        timer.set_value(handle);
    };
    let preview_timer: Timer = StoredValue::new(None);
    let save_timer: Timer = StoredValue::new(None);
    let changed = move || {
        client::count(root);
        after_pause(preview_timer, 500, render);
        after_pause(save_timer, client::AUTOSAVE_AFTER_MS, autosave);
    };
    Effect::new(move |_| {
        for part in [".toolbar", ".writing-stats", ".preview"] {
            client::show(root, part, true);
        }
        client::count(root);
        let Some(form) = client::form_of(root) else {
            return;
        };
        let found = client::EditorPage::of(root);
        let (unsaved, stored_at, mount_key) = (found.unsaved, found.stored_at, found.key.clone());
        page.set_value(found);
        render.dispatch(form.clone());
        if unsaved || client::typed_before_ready(root) {
            // Refused text, or text typed before this code arrived, is only in this page:
            // keep it at once.
            autosave.dispatch(form);
        } else {
            stored.set_value(form.clone());
            match client::local_copy(&mount_key) {
                Some((copy, at)) if copy != form && at > stored_at * 1000.0 => {
                    offered.set_value(Some(copy));
                    let offer =
                        client::message(root, "aanbod").replace("{tijd}", &client::clock(at));
                    client::say(root, ".restore-text", &offer);
                    client::show(root, ".restore-offer", true);
                }
                Some(_) => client::forget_locally(&mount_key),
                None => {}
            }
        }
        let leaving = client::message(root, "verlaten");
        client::guard_leaving(root, leaving, move || {
            client::form_of(root).is_some_and(|now| now != stored.get_value())
        });
        client::follow_scrolling();
        super::writing::keep_presence_current();
    });
    // Every field of the editor counts, not only the body: typing and choosing both bubble up.
    let on_change = move |ev: leptos::ev::Event| {
        if client::in_editor(&ev) {
            changed();
        }
    };
    let input = window_event_listener(leptos::ev::input, on_change);
    let change = window_event_listener(leptos::ev::change, on_change);
    let keys = window_event_listener(leptos::ev::keydown, move |ev: leptos::ev::KeyboardEvent| {
        if let Some(markup) = client::shortcut(&ev) {
            ev.prevent_default();
            client::apply(root, markup);
        }
    });
    on_cleanup(move || {
        input.remove();
        change.remove();
        keys.remove();
    });
    // The buttons are the server's; one listener here serves them all.
    let on_click = move |ev: leptos::ev::MouseEvent| {
        if let Some(markup) = client::tool_clicked(&ev) {
            client::apply(root, markup);
            return;
        }
        let Some(restore) = client::offer_answer(&ev) else {
            return;
        };
        client::show(root, ".restore-offer", false);
        client::forget_locally(&page.get_value().key);
        if let (true, Some(copy)) = (restore, offered.get_value()) {
            client::fill(root, &copy);
            changed();
        }
        offered.set_value(None);
    };
    view! {
        <div class="body-with-preview" node_ref=root on:click=on_click>{children()}</div>
    }
}

mod client {
    use super::Markup;
    use leptos::{
        prelude::*,
        server_fn::error::ServerFnError,
        wasm_bindgen::{closure::Closure, JsCast, JsValue},
        web_sys::{
            Element, FormData, HtmlElement, HtmlFormElement, HtmlTextAreaElement, UrlSearchParams,
        },
    };

    /// How long after typing stops the text is saved.
    pub const AUTOSAVE_AFTER_MS: u64 = 2_000;
    /// Words a reader reads in a minute, for the reading time.
    const WORDS_PER_MINUTE: usize = 200;
    /// The editor form around `root`, URL-encoded as the browser would post it.
    pub fn form_of(root: NodeRef<leptos::html::Div>) -> Option<String> {
        let element: Element = root.get_untracked()?.into();
        let form = editor_form(&element)?;
        let data = FormData::new_with_form(&form).ok()?;
        let params = UrlSearchParams::new_with_str_sequence_sequence(&data).ok()?;
        Some(params.to_string().into())
    }

    fn editor_form(inside: &Element) -> Option<HtmlFormElement> {
        inside.closest("form").ok()??.dyn_into().ok()
    }

    /// Whether a field of the form already differs from what the page was sent with (typed
    /// while this code was still loading).
    pub fn typed_before_ready(root: NodeRef<leptos::html::Div>) -> bool {
        let Some(form) = root.get_untracked().and_then(|el| editor_form(&el.into())) else {
            return false;
        };
        let Ok(fields) = form.query_selector_all("input, textarea") else {
            return false;
        };
        (0..fields.length())
            .filter_map(|i| fields.get(i))
            .any(|field| {
                let field = JsValue::from(field);
                // Inputs and textareas know their first value.
                text_of(&field, "value") != text_of(&field, "defaultValue")
            })
    }

    // Browser properties are read and set through the one `Reflect` import: each typed
    // getter or setter of `web_sys` would add its own function to the JavaScript and the
    // WASM that every reader downloads (a lazy island's code loads apart, its imports do not).

    fn prop(of: &JsValue, name: &str) -> JsValue {
        js_sys::Reflect::get(of, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
    }

    fn text_of(of: &JsValue, name: &str) -> String {
        prop(of, name).as_string().unwrap_or_default()
    }

    fn number(of: &JsValue, name: &str) -> f64 {
        prop(of, name).as_f64().unwrap_or(0.0)
    }

    fn flag(of: &JsValue, name: &str) -> bool {
        prop(of, name).as_bool().unwrap_or(false)
    }

    fn set_prop(of: &JsValue, name: &str, value: &JsValue) {
        let _ = js_sys::Reflect::set(of, &JsValue::from_str(name), value);
    }

    pub fn in_editor(ev: &leptos::ev::Event) -> bool {
        ev.target()
            .and_then(|t| t.dyn_into::<Element>().ok())
            .and_then(|el| el.closest("form.editor").ok().flatten())
            .is_some()
    }

    /// Why an autosave did not reach the server, as the status line says it.
    pub fn failed(root: NodeRef<leptos::html::Div>, err: &ServerFnError) -> String {
        match err {
            ServerFnError::ServerError(reason) if reason == "Log eerst in." => {
                message(root, "uitgelogd")
            }
            ServerFnError::ServerError(reason) => {
                message(root, "geweigerd").replace("{reden}", reason)
            }
            _ => message(root, "offline"),
        }
    }

    /// One of the texts the server put in the page for this island (`data-bericht`).
    pub fn message(root: NodeRef<leptos::html::Div>, key: &str) -> String {
        part(root, &format!("[data-bericht={key}]"))
            .map(|el| text_of(&el, "textContent"))
            .unwrap_or_default()
    }

    /// The element `selector` finds inside the island.
    pub fn part(root: NodeRef<leptos::html::Div>, selector: &str) -> Option<Element> {
        let root: Element = root.get_untracked()?.into();
        root.query_selector(selector).ok()?
    }

    pub fn show(root: NodeRef<leptos::html::Div>, selector: &str, shown: bool) {
        if let Some(el) = part(root, selector) {
            let _ = if shown {
                el.remove_attribute("hidden")
            } else {
                el.set_attribute("hidden", "")
            };
        }
    }

    /// Puts `text` in the element `selector` finds, shown only when there is text.
    pub fn say(root: NodeRef<leptos::html::Div>, selector: &str, text: &str) {
        if let Some(el) = part(root, selector) {
            el.set_text_content(Some(text));
        }
        show(root, selector, !text.is_empty());
    }

    fn clicked(ev: &leptos::ev::MouseEvent, selector: &str) -> Option<Element> {
        ev.target()?
            .dyn_into::<Element>()
            .ok()?
            .closest(selector)
            .ok()?
    }

    /// The toolbar button a click was on, as its markup.
    pub fn tool_clicked(ev: &leptos::ev::MouseEvent) -> Option<Markup> {
        let code = clicked(ev, "[data-opmaak]")?.get_attribute("data-opmaak")?;
        Markup::ALL.get(code.parse::<usize>().ok()?).copied()
    }

    /// Whether a click answered the offer of this browser's copy: restore it (`true`) or
    /// throw it away.
    pub fn offer_answer(ev: &leptos::ev::MouseEvent) -> Option<bool> {
        let answer = clicked(ev, "[data-actie]")?.get_attribute("data-actie")?;
        Some(answer == "terugzetten")
    }

    /// What the editor form says about itself: `data-artikel` (0 for a new article),
    /// `data-gebruiker`, `data-opgeslagen` (when the text shown was stored on the server, Unix
    /// seconds) and `data-geweigerd` (the text shown was refused: nothing of it is stored).
    #[derive(Clone, Debug, Default)]
    pub struct EditorPage {
        pub article: i64,
        /// Where this browser keeps its copy (per user and article).
        pub key: String,
        pub stored_at: f64,
        pub unsaved: bool,
    }

    impl EditorPage {
        pub fn of(root: NodeRef<leptos::html::Div>) -> Self {
            let Some(form) = root.get_untracked().and_then(|el| editor_form(&el.into())) else {
                return Self::default();
            };
            let data = |name: &str| form.get_attribute(name).unwrap_or_default();
            let article = data("data-artikel").parse().unwrap_or(0);
            EditorPage {
                article,
                key: format!("zender-concept:{}:{article}", data("data-gebruiker")),
                // As an integer: parsing a float would bring its tables into every reader's
                // bundle (a lazy island's code loads apart, its data does not).
                stored_at: data("data-opgeslagen").parse::<i64>().unwrap_or(0) as f64,
                unsaved: data("data-geweigerd") == "1",
            }
        }
    }

    fn storage() -> Option<leptos::web_sys::Storage> {
        window().local_storage().ok().flatten()
    }

    /// The copy kept in this browser, and when (milliseconds). Kept as `<when>\n<form>`: the
    /// form is URL-encoded, so it holds no line break of its own.
    pub fn local_copy(key: &str) -> Option<(String, f64)> {
        let raw = storage()?.get_item(key).ok()??;
        let (at, form) = raw.split_once('\n')?;
        Some((form.to_string(), at.parse::<i64>().ok()? as f64))
    }

    pub fn keep_locally(key: &str, form: &str) {
        if let Some(storage) = storage() {
            let at = js_sys::Date::now() as i64;
            let _ = storage.set_item(key, &format!("{at}\n{form}"));
        }
    }

    pub fn forget_locally(key: &str) {
        if let Some(storage) = storage() {
            let _ = storage.remove_item(key);
        }
    }

    /// Puts every field of a URL-encoded form back into the editor.
    pub fn fill(root: NodeRef<leptos::html::Div>, form: &str) {
        let Some(element) = root.get_untracked().map(Element::from) else {
            return;
        };
        let (Some(target), Ok(params)) =
            (editor_form(&element), UrlSearchParams::new_with_str(form))
        else {
            return;
        };
        let Ok(fields) = target.query_selector_all("[name]") else {
            return;
        };
        for field in (0..fields.length()).filter_map(|i| fields.get(i)) {
            let field = JsValue::from(field);
            if let Some(value) = params.get(&text_of(&field, "name")) {
                set_prop(&field, "value", &JsValue::from_str(&value));
            }
        }
    }

    /// `14:05`, in the browser's time.
    pub fn clock(millis: f64) -> String {
        let date = js_sys::Date::new(&JsValue::from_f64(millis));
        format!("{:02}:{:02}", date.get_hours(), date.get_minutes())
    }

    /// Asks before leaving while `unsaved` says there is text the server does not have. A
    /// submit of the form itself is no leaving.
    pub fn guard_leaving(
        root: NodeRef<leptos::html::Div>,
        question: String,
        unsaved: impl Fn() -> bool + 'static,
    ) {
        let submitting = std::rc::Rc::new(std::cell::Cell::new(false));
        if let Some(form) = root.get_untracked().and_then(|el| editor_form(&el.into())) {
            let flag = submitting.clone();
            let on_submit = Closure::<dyn Fn()>::new(move || flag.set(true));
            let _ = form.add_event_listener_with_callback(
                "submit",
                on_submit.into_js_value().unchecked_ref(),
            );
        }
        let on_leave = Closure::<dyn Fn(leptos::web_sys::BeforeUnloadEvent)>::new(
            move |ev: leptos::web_sys::BeforeUnloadEvent| {
                if !submitting.get() && unsaved() {
                    ev.prevent_default();
                    set_prop(&ev, "returnValue", &JsValue::from_str(&question));
                }
            },
        );
        let _ = window().add_event_listener_with_callback(
            "beforeunload",
            on_leave.into_js_value().unchecked_ref(),
        );
    }

    /// Beside the text (wide screens), the preview scrolls in step with it.
    pub fn follow_scrolling() {
        let (Some(text), Some(frame)) = (textarea(), element(".preview-frame")) else {
            return;
        };
        let (source, frame) = (JsValue::from(text.clone()), JsValue::from(frame));
        let on_scroll = Closure::<dyn Fn()>::new(move || {
            let range = |of: &JsValue| number(of, "scrollHeight") - number(of, "clientHeight");
            let (text_range, frame_range) = (range(&source), range(&frame));
            if text_range > 0.0 && frame_range > 0.0 {
                let share = number(&source, "scrollTop") / text_range;
                let top = JsValue::from_f64((share * frame_range).round());
                set_prop(&frame, "scrollTop", &top);
            }
        });
        let _ = text
            .add_event_listener_with_callback("scroll", on_scroll.into_js_value().unchecked_ref());
    }

    fn element(selector: &str) -> Option<HtmlElement> {
        document().query_selector(selector).ok()??.dyn_into().ok()
    }

    fn textarea() -> Option<HtmlTextAreaElement> {
        document().get_element_by_id("tekst")?.dyn_into().ok()
    }

    fn value_of(id: &str) -> String {
        document()
            .get_element_by_id(id)
            .and_then(|el| js_sys::Reflect::get(&el, &"value".into()).ok())
            .and_then(|v| v.as_string())
            .unwrap_or_default()
    }

    /// Whether `c` makes a run of text a word: a letter or digit, with accented and other
    /// non-ASCII letters counted by not being the punctuation Dutch text uses. (Not
    /// `char::is_alphanumeric`: its Unicode tables would sit in every reader's bundle.)
    fn is_wordlike(c: char) -> bool {
        c.is_ascii_alphanumeric()
            || (!c.is_ascii()
                && !matches!(
                    c,
                    '—' | '–' | '…' | '‘' | '’' | '“' | '”' | '„' | '«' | '»' | '·' | '•'
                ))
    }

    /// Puts the count of words, the reading time and the headline's length in the stats line.
    pub fn count(root: NodeRef<leptos::html::Div>) {
        let words = value_of("tekst")
            .split_whitespace()
            .filter(|w| w.chars().any(is_wordlike))
            .count();
        let title = value_of("titel").trim().chars().count();
        let with_n = |key: &str, n: usize| message(root, key).replace("{n}", &n.to_string());
        let headline = match title {
            0 => message(root, "geen-kop"),
            n if n > crate::articles::draft::HEADLINE_MAX => with_n("kop-te-lang", n),
            n if n > super::SEARCH_TITLE => with_n("kop-lang", n),
            n => with_n("kop-past", n),
        };
        let words_said = match words {
            1 => message(root, "woord"),
            n => with_n("woorden", n),
        };
        let minutes = words.div_ceil(WORDS_PER_MINUTE).max(1);
        let line = message(root, "telling")
            .replace("{woorden}", &words_said)
            .replace("{minuten}", &minutes.to_string())
            .replace("{kop}", &headline);
        if let Some(stats) = part(root, ".writing-stats") {
            stats.set_text_content(Some(&line));
        }
    }

    /// The toolbar action a key press in the body asks for.
    pub fn shortcut(ev: &leptos::ev::KeyboardEvent) -> Option<Markup> {
        let in_body = ev
            .target()
            .and_then(|t| t.dyn_into::<Element>().ok())
            .is_some_and(|el| text_of(&el, "id") == "tekst");
        let ev: &JsValue = ev.as_ref();
        if !in_body || !(flag(ev, "ctrlKey") || flag(ev, "metaKey")) {
            return None;
        }
        // ASCII only: full Unicode case mapping would bring its 11 KB table into every reader's
        // bundle (a lazy island's code loads apart, its data does not).
        let key = text_of(ev, "key").to_ascii_lowercase();
        match (
            flag(ev, "altKey"),
            key.as_str(),
            text_of(ev, "code").as_str(),
        ) {
            (false, "b", _) => Some(Markup::Bold),
            (false, "k", _) => Some(Markup::Link),
            (true, _, "Digit2") => Some(Markup::Heading),
            (true, _, "KeyQ") => Some(Markup::Quote),
            (true, _, "KeyL") => Some(Markup::List),
            (true, _, "KeyI") => Some(Markup::Image),
            _ => None,
        }
    }

    /// Applies `markup` to the selection in the body, as typing would (so undo works and the
    /// preview and autosave follow).
    pub fn apply(root: NodeRef<leptos::html::Div>, markup: Markup) {
        let Some(text) = textarea() else {
            return;
        };
        // What to insert when nothing is selected is the button's (the server's words).
        let placeholder = part(root, &format!("[data-opmaak=\"{}\"]", markup as u8))
            .and_then(|button| button.get_attribute("data-voorbeeld"))
            .unwrap_or_default();
        let value = text.value();
        let units: Vec<u16> = value.encode_utf16().collect();
        let start = number(&text, "selectionStart") as usize;
        let end = number(&text, "selectionEnd") as usize;
        let (start, end) = (start.min(units.len()), end.min(units.len()));
        let selected = String::from_utf16_lossy(&units[start..end]);
        let line_start = units[..start]
            .iter()
            .rposition(|&u| u == u16::from(b'\n'))
            .map_or(0, |i| i + 1);
        let (from, replacement, select) = match markup {
            Markup::Bold => wrap(start, &selected, "**", "**", &placeholder),
            Markup::Link => {
                let label = if selected.is_empty() {
                    &placeholder
                } else {
                    &selected
                };
                let inserted = format!("[{label}](https://)");
                let url_at = start + label.encode_utf16().count() + 3;
                (start, inserted, Some((url_at, url_at + 8)))
            }
            Markup::Image => {
                let src = match value_of("beeld_src").trim() {
                    "" => "/media/…".to_string(),
                    src => src.to_string(),
                };
                let alt = if selected.is_empty() {
                    &placeholder
                } else {
                    &selected
                };
                let inserted = format!("![{alt}]({src})");
                let alt_at = start + 2;
                (
                    start,
                    inserted,
                    Some((alt_at, alt_at + alt.encode_utf16().count())),
                )
            }
            Markup::Heading | Markup::Quote | Markup::List => {
                let prefix = match markup {
                    Markup::Heading => "## ",
                    Markup::Quote => "> ",
                    _ => "- ",
                };
                let lines = String::from_utf16_lossy(&units[line_start..end]);
                let prefixed: Vec<String> = lines
                    .split('\n')
                    .map(|line| format!("{prefix}{}", line.trim_start_matches(prefix)))
                    .collect();
                (line_start, prefixed.join("\n"), None)
            }
        };
        let _ = text.focus();
        text.set_selection_range(from as u32, end as u32).ok();
        let typed = document()
            .dyn_into::<leptos::web_sys::HtmlDocument>()
            .ok()
            .and_then(|doc| {
                doc.exec_command_with_show_ui_and_value("insertText", false, &replacement)
                    .ok()
            })
            .unwrap_or(false);
        if !typed {
            // Without execCommand: set the text and say it changed, as typing would.
            let mut after: Vec<u16> = units[..from].to_vec();
            after.extend(replacement.encode_utf16());
            after.extend_from_slice(&units[end..]);
            set_prop(
                &text,
                "value",
                &JsValue::from_str(&String::from_utf16_lossy(&after)),
            );
            if let Ok(event) = leptos::web_sys::Event::new_with_event_init_dict("input", &{
                let init = leptos::web_sys::EventInit::new();
                init.set_bubbles(true);
                init
            }) {
                let _ = text.dispatch_event(&event);
            }
        }
        let (a, b) = select.unwrap_or_else(|| {
            let at = (from + replacement.encode_utf16().count()) as u32;
            (at as usize, at as usize)
        });
        text.set_selection_range(a as u32, b as u32).ok();
    }

    /// `before` + selection (or `placeholder`, selected) + `after`.
    fn wrap(
        start: usize,
        selected: &str,
        before: &str,
        after: &str,
        placeholder: &str,
    ) -> (usize, String, Option<(usize, usize)>) {
        let inner = if selected.is_empty() {
            placeholder
        } else {
            selected
        };
        let inner_at = start + before.encode_utf16().count();
        (
            start,
            format!("{before}{inner}{after}"),
            Some((inner_at, inner_at + inner.encode_utf16().count())),
        )
    }
}
