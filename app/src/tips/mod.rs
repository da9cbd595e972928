//! Readers' tips and corrections, and the newsroom's inbox for them.
//!
//! "Tip de redactie" (`/tip`, and a compact box under every article) takes a name, an e-mail
//! address or phone number, a message and optionally a photo; "Foutje gezien?"
//! (`/correctie/<article>`) a short note tied to an article. Both are plain forms that work
//! without JavaScript, checked by the shared `rules` and the comment spam defence, and land in
//! `/redactie/inbox`.

mod island;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod store;

pub use island::TipFormHelper;

use leptos::{either::Either, prelude::*};
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

use self::rules::{Field, MESSAGE_MAX, PHONE_MAX};
use crate::{
    comments::rules::{EMAIL_MAX, NAME_MAX},
    markup::textarea_html,
    pages::{NotFound, ServerError},
    site::SiteInfo,
};

pub const TIP_PATH: &str = "/tip";

pub fn correction_path(article: i64) -> String {
    crate::paths::CORRECTION.to(&[&article])
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum InboxKind {
    Tip,
    Correction,
}

impl InboxKind {
    pub fn as_str(self) -> &'static str {
        match self {
            InboxKind::Tip => "tip",
            InboxKind::Correction => "correction",
        }
    }

    pub fn parse(s: &str) -> Self {
        if s == "correction" {
            InboxKind::Correction
        } else {
            InboxKind::Tip
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            InboxKind::Tip => "Tip",
            InboxKind::Correction => "Correctie",
        }
    }
}

/// A message in the inbox, with what an editor needs to act on it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxItem {
    pub id: i64,
    pub kind: InboxKind,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub message: String,
    pub photo: bool,
    pub created_at: i64,
    pub handled_at: Option<i64>,
    pub handled_by: Option<String>,
    /// Title and address of the article it is about.
    pub article: Option<(String, String)>,
    pub article_id: Option<i64>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxScreen {
    pub items: Vec<InboxItem>,
    pub open: i64,
}

/// A refused tip or correction, shown again with its problems and everything typed kept.
#[derive(Clone, Debug, Default)]
pub struct TipSubmission {
    pub name: String,
    pub email: String,
    pub phone: String,
    pub message: String,
    pub problems: Vec<(Field, String)>,
    pub notice: Option<String>,
    /// A photo came with the refused tip; browsers cannot keep a chosen file, so say so.
    pub photo_dropped: bool,
    /// The article whose tip box it came from, and a form token signed for it.
    pub article: Option<i64>,
    pub token: Option<String>,
}

impl TipSubmission {
    fn problem(&self, field: Field) -> Option<String> {
        self.problems
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.clone())
    }
}

/// What the tip and correction pages need from the server: a signed render time for the spam
/// check and, for a correction, the article.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormData {
    pub token: String,
    pub article: Option<(String, String)>,
}

#[cfg(feature = "ssr")]
const DOING: &str = "loading the inbox";

/// The token for a form about `article` (0: none) and, for a correction, the article; `None` for
/// an article readers cannot see.
#[server]
pub async fn load_form(article: i64) -> Result<Option<FormData>, ServerFnError> {
    let state = expect_context::<crate::state::AppState>();
    let now = crate::db::now();
    let found = if article == 0 {
        None
    } else {
        match crate::articles::store::visible_path(&state.db, article, now)
            .await
            .map_err(crate::internal(DOING))?
        {
            Some(found) => Some(found),
            None => return Ok(None),
        }
    };
    Ok(Some(FormData {
        token: state.comments.token(article, now),
        article: found,
    }))
}

/// The inbox: open or handled messages; editors only.
#[server]
pub async fn inbox(handled: bool) -> Result<InboxScreen, ServerFnError> {
    crate::accounts::auth::authorize(crate::accounts::Role::Editor)?;
    let state = expect_context::<crate::state::AppState>();
    Ok(InboxScreen {
        items: store::list(&state.db, handled, 200)
            .await
            .map_err(crate::internal(DOING))?,
        open: store::open_count(&state.db)
            .await
            .map_err(crate::internal(DOING))?,
    })
}

#[component]
fn TipField(
    field: Field,
    /// Distinguishes the ids of two forms on one page.
    prefix: &'static str,
    label: &'static str,
    value: String,
    problem: Option<String>,
    #[prop(optional)] required: bool,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] kind: &'static str,
    /// The browser's autofill hint (`name`, `email`, `tel`).
    #[prop(optional)]
    autocomplete: Option<&'static str>,
    max: usize,
    #[prop(optional)] focus: bool,
) -> impl IntoView {
    let id = format!("{prefix}-{}", field.key());
    let error_id = format!("{id}-fout");
    let hint_id = format!("{id}-uitleg");
    // The message element is always there (empty when fine) so `TipFormHelper` can fill it.
    let described = match hint {
        Some(_) => format!("{hint_id} {error_id}"),
        None => error_id.clone(),
    };
    let invalid = problem.as_ref().map(|_| "true");
    let has_error = problem.is_some();
    let control = if field == Field::Message {
        Either::Left(view! {
            <textarea id=id.clone() name=field.key() rows="6" maxlength=max required=required
                aria-invalid=invalid aria-describedby=described autofocus=focus
                inner_html=textarea_html(&value)></textarea>
        })
    } else {
        let kind = if kind.is_empty() { "text" } else { kind };
        Either::Right(view! {
            <input id=id.clone() name=field.key() type=kind value=value maxlength=max
                autocomplete=autocomplete required=required aria-invalid=invalid
                aria-describedby=described autofocus=focus/>
        })
    };
    view! {
        <div class="field" class:has-error=has_error>
            <label for=id>{label}{required.then(|| view! { " " <span class="required" aria-hidden="true">"*"</span> })}</label>
            {hint.map(|hint| view! { <p class="field-hint" id=hint_id>{hint}</p> })}
            {control}
            <p class="field-error" id=error_id aria-live="polite">{problem}</p>
        </div>
    }
}

/// The tip form: on `/tip`, and compact under every article (then `article` says which).
#[component]
pub fn TipForm(token: String, #[prop(optional)] article: Option<i64>) -> impl IntoView {
    let sent = use_context::<TipSubmission>().unwrap_or_default();
    let prefix = if article.is_some() { "tipbox" } else { "tip" };
    // A refused tip from an article's box comes back on /tip, still about that article.
    let (token, article) = match (&sent.token, sent.article) {
        (Some(signed), Some(_)) if article.is_none() => (signed.clone(), sent.article),
        _ => (token, article),
    };
    let first = sent.problems.first().map(|(f, _)| *f);
    let p = |f: Field| sent.problem(f);
    let photo_problem = p(Field::Photo).or_else(|| {
        sent.photo_dropped
            .then(|| "Je foto is niet meegestuurd: kies hem opnieuw.".to_string())
    });
    view! {
        <form class="tip-form stack" method="post" action=TIP_PATH enctype="multipart/form-data"
            aria-label="Tip de redactie">
            {sent.notice.clone().map(|n| view! { <p class="form-error" role="alert">{n}</p> })}
            <p class="required-legend">"* = verplicht veld"</p>
            <TipField field=Field::Name prefix label="Naam" value=sent.name.clone() autocomplete="name"
                problem=p(Field::Name) required=true max=NAME_MAX focus=first == Some(Field::Name)/>
            <fieldset class="contact">
                <legend>"Hoe bereiken we je? Vul er minstens één in *"</legend>
                <TipField field=Field::Email prefix label="E-mailadres" kind="email" autocomplete="email"
                    value=sent.email.clone() problem=p(Field::Email) max=EMAIL_MAX
                    focus=first == Some(Field::Email)/>
                <TipField field=Field::Phone prefix label="Telefoonnummer" kind="tel" autocomplete="tel"
                    value=sent.phone.clone() problem=p(Field::Phone) max=PHONE_MAX
                    focus=first == Some(Field::Phone)/>
            </fieldset>
            <TipField field=Field::Message prefix label="Je tip" value=sent.message.clone()
                problem=p(Field::Message) required=true max=MESSAGE_MAX
                hint="Wat is er gebeurd, waar en wanneer?" focus=first == Some(Field::Message)/>
            <div class="field" class:has-error=photo_problem.is_some()>
                <label for=format!("{prefix}-foto")>"Foto (mag, hoeft niet)"</label>
                <p class="field-hint" id=format!("{prefix}-foto-uitleg")>
                    "JPEG, PNG of WebP, hoogstens 10 MB. We publiceren niets zonder te overleggen."
                </p>
                <input id=format!("{prefix}-foto") name="foto" type="file"
                    accept="image/jpeg,image/png,image/webp"
                    aria-invalid=photo_problem.as_ref().map(|_| "true")
                    aria-describedby=format!("{prefix}-foto-uitleg {prefix}-foto-fout")/>
                <p class="field-error" id=format!("{prefix}-foto-fout") aria-live="polite">
                    {photo_problem.clone()}
                </p>
            </div>
            // People never see this field, so they never fill it in.
            <div class="trap" aria-hidden="true">
                <label for=format!("{prefix}-website")>"Website"</label>
                <input id=format!("{prefix}-website") name="website" type="text" tabindex="-1"
                    autocomplete="off"/>
            </div>
            <input type="hidden" name="geladen" value=token/>
            {article.map(|id| view! { <input type="hidden" name="artikel" value=id/> })}
            <button type="submit">"Tip versturen"</button>
        </form>
    }
}

/// Under every article: "Foutje gezien?" and the tip box, which opens without JavaScript.
#[component]
pub fn ReaderServices(article: i64, token: String) -> impl IntoView {
    view! {
        <aside class="reader-services" aria-label="Reageren op de inhoud">
            <p class="correction-link">
                <a href=correction_path(article)>"Foutje gezien? Laat het ons weten"</a>
            </p>
            <details class="tip-box">
                <summary>"Heb jij een tip?"</summary>
                <p>"Weet je iets wat wij moeten weten? De redactie leest elke tip."</p>
                <TipForm token article=article/>
            </details>
        </aside>
    }
}

/// `/tip`: "Tip de redactie".
#[component]
pub fn TipPage() -> impl IntoView {
    let site = expect_context::<SiteInfo>();
    let sent = use_query_map().get_untracked().get("verstuurd").is_some();
    let data = Resource::new_blocking(|| (), |_| load_form(0));
    view! {
        <Title text=format!("Tip de redactie – {}", site.name)/>
        <Meta name="description" content="Stuur de redactie een tip, met een foto als je die hebt."/>
        <section class="tip-page narrow">
            <h1 class="page-title">"Tip de redactie"</h1>
            {sent.then(|| view! {
                <p class="form-notice" role="status">
                    "Bedankt voor je tip! De redactie leest hem zo snel mogelijk en neemt contact \
                     met je op als we meer willen weten."
                </p>
            })}
            <p>
                "Zie je iets gebeuren in de buurt, of weet je iets wat anderen moeten weten? \
                 Vertel het ons. Je gegevens gebruiken we alleen om contact met je op te nemen."
            </p>
            <Suspense>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(Some(form)) => Either::Left(view! { <TipForm token=form.token/> <TipFormHelper/> }),
                        _ => Either::Right(view! { <ServerError/> }),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// `/correctie/<article>`: "Foutje gezien?" for one article.
#[component]
pub fn CorrectionPage() -> impl IntoView {
    let site = expect_context::<SiteInfo>();
    let article = use_params_map()
        .get_untracked()
        .get("article")
        .and_then(|id| id.parse::<i64>().ok())
        .filter(|id| *id > 0);
    let sent = use_query_map().get_untracked().get("verstuurd").is_some();
    let data = Resource::new_blocking(
        move || article,
        |article| async move {
            match article {
                Some(id) => load_form(id).await.map(|form| form.map(|form| (id, form))),
                None => Ok(None),
            }
        },
    );
    view! {
        <Title text=format!("Foutje gezien? – {}", site.name)/>
        <Meta name="robots" content="noindex"/>
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(Some((id, form))) => {
                        let (title, url) = form.article.clone().unwrap_or_default();
                        view! {
                            <section class="correction-page narrow">
                                <h1 class="page-title">"Foutje gezien?"</h1>
                                <p>"In het artikel " <a href=url.clone()>{format!("‘{title}’")}</a></p>
                                {if sent {
                                    Either::Left(view! {
                                        <p class="form-notice" role="status">
                                            "Bedankt! De redactie kijkt ernaar en past het artikel aan als er iets niet klopt."
                                        </p>
                                        <p><a href=url>"Terug naar het artikel"</a></p>
                                    })
                                } else {
                                    Either::Right(view! { <CorrectionForm article=id token=form.token/> <TipFormHelper/> })
                                }}
                            </section>
                        }
                        .into_any()
                    }
                    Ok(None) => view! { <NotFound/> }.into_any(),
                    Err(_) => view! { <ServerError/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CorrectionForm(article: i64, token: String) -> impl IntoView {
    let sent = use_context::<TipSubmission>().unwrap_or_default();
    let first = sent.problems.first().map(|(f, _)| *f);
    let p = |f: Field| sent.problem(f);
    let prefix = "correctie";
    view! {
        <form class="correction-form stack" method="post" action=correction_path(article)>
            {sent.notice.clone().map(|n| view! { <p class="form-error" role="alert">{n}</p> })}
            <p class="required-legend">"* = verplicht veld"</p>
            <TipField field=Field::Message prefix label="Wat klopt er niet?" value=sent.message.clone()
                problem=p(Field::Message) required=true max=MESSAGE_MAX
                hint="Noem wat er staat en wat het moet zijn; een bron helpt."
                focus=first == Some(Field::Message)/>
            <TipField field=Field::Name prefix label="Naam" value=sent.name.clone() autocomplete="name"
                problem=p(Field::Name) max=NAME_MAX focus=first == Some(Field::Name)/>
            <TipField field=Field::Email prefix label="E-mailadres, als je antwoord wilt" kind="email"
                autocomplete="email" value=sent.email.clone() problem=p(Field::Email) max=EMAIL_MAX
                focus=first == Some(Field::Email)/>
            <div class="trap" aria-hidden="true">
                <label for="correctie-website">"Website"</label>
                <input id="correctie-website" name="website" type="text" tabindex="-1" autocomplete="off"/>
            </div>
            <input type="hidden" name="geladen" value=token/>
            <button type="submit">"Versturen"</button>
        </form>
    }
}
