//! `/redactie/calamiteit`: switch calamity mode on (checked, then confirmed twice), change it,
//! post the authorities' official messages and correct them, switch it off; with the log of who
//! did what. Plain forms: they work without JavaScript.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::{query, NewsroomShell};
use crate::{
    accounts::Role,
    audit::AuditEntry,
    calamity::{Authority, BlogLink, Calamity, OfficialMessage, CONFIRM_WORD, MESSAGE_MAX},
    dates,
    markup::textarea_html,
    paths,
};

/// A refused (or to be confirmed) calamity form, shown again with what was typed.
#[derive(Clone, Debug, Default)]
pub struct CalamitySubmission {
    /// Which form: "aanzetten", "bevestigen", "wijzigen", "uitzetten", "bericht", "correctie".
    pub form: String,
    pub title: String,
    pub areas: String,
    pub blog: String,
    pub stream: String,
    pub light: bool,
    pub authority: String,
    pub source: String,
    pub body: String,
    pub issued: String,
    pub reason: String,
    /// The message a correction is for.
    pub message: Option<i64>,
    pub error: String,
}

/// What the desk shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalamityDesk {
    pub current: Option<Calamity>,
    pub messages: Vec<OfficialMessage>,
    pub log: Vec<AuditEntry>,
    pub blogs: Vec<BlogLink>,
    pub archive: Vec<Calamity>,
}

#[server]
pub async fn newsroom_calamity() -> Result<CalamityDesk, ServerFnError> {
    use crate::calamity::store;
    crate::accounts::auth::authorize(Role::Editor)?;
    let state = expect_context::<crate::state::AppState>();
    let now = crate::db::now();
    let load = async {
        let current = store::active(&state.db, now).await?;
        let (messages, log) = match &current {
            Some(c) => (
                store::messages(&state.db, c.id).await?,
                crate::audit::entries(&state.db, &store::subject(c.id)).await?,
            ),
            None => Default::default(),
        };
        Ok::<_, crate::db::StoreError>(CalamityDesk {
            current,
            messages,
            log,
            blogs: store::blog_choices(&state.db, now).await?,
            archive: store::archive(&state.db, now).await?,
        })
    };
    load.await
        .map_err(crate::internal("loading the calamity desk"))
}

fn notice(code: &str) -> Option<&'static str> {
    match code {
        "aan" => Some("Calamiteitmodus staat aan: elke pagina toont nu de calamiteitenstrook."),
        "gewijzigd" => Some("Opgeslagen: de strook en de noodpagina tonen de nieuwe gegevens."),
        "uit" => Some("Calamiteitmodus staat uit. Alles staat in het archief."),
        "bericht" => Some("Het officiële bericht staat op de site."),
        "correctie" => Some("De correctie staat op de site, met de eerdere tekst erbij."),
        _ => None,
    }
}

#[component]
pub fn CalamityPage() -> impl IntoView {
    view! {
        <NewsroomShell min=Role::Editor title="Calamiteit">
            <DeskView/>
        </NewsroomShell>
    }
}

#[component]
fn DeskView() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| newsroom_calamity());
    let submission = use_context::<CalamitySubmission>().unwrap_or_default();
    let done = notice(&query("gelukt"));
    view! {
        {done.map(|text| view! { <p class="form-notice" role="status">{text}</p> })}
        <Suspense>
            {move || {
                let submission = submission.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(desk) => view! { <Desk desk submission/> }.into_any(),
                        Err(_) => view! { <p class="form-error">"Dit scherm kon niet worden geladen."</p> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// The error of `form`, if the submission is that form's.
fn error_of(submission: &CalamitySubmission, form: &str) -> Option<String> {
    (submission.form == form && !submission.error.is_empty()).then(|| submission.error.clone())
}

#[component]
fn Desk(desk: CalamityDesk, submission: CalamitySubmission) -> impl IntoView {
    let CalamityDesk {
        current,
        messages,
        log,
        blogs,
        archive,
    } = desk;
    let on = current.is_some();
    view! {
        {match current {
            None if submission.form == "bevestigen" => view! { <Confirm submission=submission.clone() blogs=blogs.clone()/> }.into_any(),
            None => view! { <SwitchOn submission=submission.clone() blogs=blogs.clone()/> }.into_any(),
            Some(calamity) => view! {
                <Running calamity messages log blogs=blogs.clone() submission=submission.clone()/>
            }.into_any(),
        }}
        {(!on).then(|| view! { <Archive archive/> })}
    }
}

/// The fields every calamity form has; `values` are what was typed (or what is set).
#[component]
fn SettingsFields(
    title: String,
    areas: String,
    blog: String,
    stream: String,
    light: bool,
    blogs: Vec<BlogLink>,
    error: Option<String>,
) -> impl IntoView {
    view! {
        {error.map(|e| view! { <p class="form-error" role="alert" id="fout-calamiteit">{e}</p> })}
        <div class="field">
            <label for="calamiteit-titel">"Titel *"</label>
            <input id="calamiteit-titel" name="titel" required maxlength="120" value=title
                placeholder="Grote brand bij bedrijventerrein De Vaart"/>
        </div>
        <div class="field">
            <label for="calamiteit-gebieden">"Getroffen gemeenten of gebieden *"</label>
            <input id="calamiteit-gebieden" name="gebieden" required maxlength="300" value=areas
                placeholder="Lindewijk, Oosterbroek"/>
        </div>
        <div class="field">
            <label for="calamiteit-liveblog">"Liveblog"</label>
            <select id="calamiteit-liveblog" name="liveblog">
                <option value="">"Geen liveblog"</option>
                {blogs.into_iter().map(|b| {
                    let value = b.article_id.to_string();
                    let selected = value == blog;
                    view! { <option value=value selected=selected>{b.title}</option> }
                }).collect_view()}
            </select>
        </div>
        <div class="field">
            <label for="calamiteit-stream">"Livestream (link)"</label>
            <input id="calamiteit-stream" name="stream" value=stream placeholder="https://…"/>
        </div>
        <div class="field">
            <input type="checkbox" id="calamiteit-licht" name="licht" value="1" checked=light/>
            " " <label for="calamiteit-licht">"Pagina’s licht houden: geen reacties en geen gerelateerde artikelen"</label>
        </div>
    }
}

#[component]
fn SwitchOn(submission: CalamitySubmission, blogs: Vec<BlogLink>) -> impl IntoView {
    let typed = submission.form == "aanzetten";
    let error = error_of(&submission, "aanzetten");
    view! {
        <p class="calamity-state">"Calamiteitmodus staat " <strong>"uit"</strong> "."</p>
        <section class="live-console" aria-labelledby="calamiteit-aanzetten">
            <h2 id="calamiteit-aanzetten">"Calamiteitmodus aanzetten"</h2>
            <p>"De hele site wordt de noodpagina van de gemeente: elke pagina krijgt de calamiteitenstrook, de voorpagina toont eerst de officiële berichten."</p>
            <form method="post" action=paths::CALAMITY_DESK class="stack">
                <SettingsFields title=submission.title.clone() areas=submission.areas.clone()
                    blog=submission.blog.clone() stream=submission.stream.clone()
                    light={!typed || submission.light} blogs error/>
                <button type="submit" class="button-primary">"Controleren"</button>
            </form>
        </section>
    }
}

/// The settings shown back, with the two confirmations.
#[component]
fn Confirm(submission: CalamitySubmission, blogs: Vec<BlogLink>) -> impl IntoView {
    let blog_title = blogs
        .iter()
        .find(|b| b.article_id.to_string() == submission.blog)
        .map(|b| b.title.clone());
    let error = error_of(&submission, "bevestigen");
    view! {
        <section class="live-console calamity-confirm" aria-labelledby="calamiteit-bevestigen">
            <h2 id="calamiteit-bevestigen">"Klopt dit? Bevestig twee keer"</h2>
            {error.map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
            <dl>
                <dt>"Titel"</dt><dd>{submission.title.clone()}</dd>
                <dt>"Gebieden"</dt><dd>{submission.areas.clone()}</dd>
                <dt>"Liveblog"</dt><dd>{blog_title.unwrap_or_else(|| "Geen".into())}</dd>
                <dt>"Livestream"</dt><dd>{if submission.stream.is_empty() { "Geen".to_string() } else { submission.stream.clone() }}</dd>
                <dt>"Reacties en gerelateerd"</dt><dd>{if submission.light { "uit" } else { "aan" }}</dd>
            </dl>
            <form method="post" action=paths::CALAMITY_ON class="stack">
                <input type="hidden" name="titel" value=submission.title.clone()/>
                <input type="hidden" name="gebieden" value=submission.areas.clone()/>
                <input type="hidden" name="liveblog" value=submission.blog.clone()/>
                <input type="hidden" name="stream" value=submission.stream.clone()/>
                {submission.light.then(|| view! { <input type="hidden" name="licht" value="1"/> })}
                <div class="field">
                    <input type="checkbox" id="calamiteit-bevestigd" name="bevestigd" value="1" required/>
                    " " <label for="calamiteit-bevestigd">"Ik weet dat de hele site nu de calamiteitenpagina wordt (1/2)"</label>
                </div>
                <div class="field">
                    <label for="calamiteit-woord">{format!("Typ {CONFIRM_WORD} om te bevestigen (2/2)")}</label>
                    <input id="calamiteit-woord" name="woord" required autocomplete="off"/>
                </div>
                <button type="submit" class="button-danger">"Calamiteitmodus aanzetten"</button>
            </form>
            <p><a href=paths::CALAMITY_DESK>"Annuleren"</a></p>
        </section>
    }
}

#[component]
fn Running(
    calamity: Calamity,
    messages: Vec<OfficialMessage>,
    log: Vec<AuditEntry>,
    blogs: Vec<BlogLink>,
    submission: CalamitySubmission,
) -> impl IntoView {
    let id = calamity.id;
    let editing = submission.form == "wijzigen";
    let (title, areas, blog, stream, light) = if editing {
        (
            submission.title.clone(),
            submission.areas.clone(),
            submission.blog.clone(),
            submission.stream.clone(),
            submission.light,
        )
    } else {
        (
            calamity.title.clone(),
            calamity.areas.clone(),
            calamity
                .blog
                .as_ref()
                .map(|b| b.article_id.to_string())
                .unwrap_or_default(),
            calamity.stream_url.clone().unwrap_or_default(),
            calamity.light_pages,
        )
    };
    let message_error = error_of(&submission, "bericht");
    let typed_message = submission.form == "bericht";
    let off_error = error_of(&submission, "uitzetten");
    // Switching on again while on (two editors at once): say so above everything.
    let on_error = error_of(&submission, "aanzetten");
    view! {
        {on_error.map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
        <p class="calamity-state">
            "Calamiteitmodus staat " <strong>"aan"</strong> " sinds "
            {dates::long_datetime(calamity.started_at)} " (" {calamity.started_by.clone()} "): "
            <a href=paths::CALAMITY>{calamity.title.clone()}</a>
        </p>
        <section class="live-console" aria-labelledby="officieel-plaatsen">
            <h2 id="officieel-plaatsen">"Officieel bericht plaatsen"</h2>
            <p>"Alleen berichten van de overheid: ze staan apart van het nieuws en worden nooit stil aangepast."</p>
            <form method="post" action=paths::OFFICIAL_MESSAGES class="stack">
                <input type="hidden" name="calamiteit" value=id/>
                {message_error.map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
                <div class="field">
                    <label for="officieel-overheid">"Van *"</label>
                    <select id="officieel-overheid" name="overheid" required>
                        {Authority::ALL.into_iter().map(|a| view! {
                            <option value=a.as_str() selected={typed_message && submission.authority == a.as_str()}>{a.label()}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="officieel-bron">"Bron *"</label>
                    <input id="officieel-bron" name="bron" required maxlength="120"
                        value=typed_message.then(|| submission.source.clone())
                        placeholder="Veiligheidsregio Lindewijk-Oost"/>
                </div>
                <div class="field">
                    <label for="officieel-tijd">"Tijd van het bericht (uu:mm, leeg is nu)"</label>
                    <input id="officieel-tijd" name="tijd" inputmode="numeric" maxlength="5"
                        value=typed_message.then(|| submission.issued.clone()) placeholder="14:05"/>
                </div>
                <div class="field">
                    <label for="officieel-tekst">{format!("Tekst * (hoogstens {MESSAGE_MAX} tekens)")}</label>
                    <textarea id="officieel-tekst" name="tekst" rows="4" required maxlength=MESSAGE_MAX.to_string()
                        inner_html=textarea_html(if typed_message { &submission.body } else { "" })></textarea>
                </div>
                <button type="submit" class="button-primary">"Bericht plaatsen"</button>
            </form>
        </section>
        <section aria-labelledby="officieel-geplaatst">
            <h2 id="officieel-geplaatst">"Geplaatste berichten"</h2>
            {messages.is_empty().then(|| view! { <p class="empty">"Nog geen officiële berichten."</p> })}
            <ol class="live-items">
                {messages.into_iter().map(|message| {
                    let correcting = submission.form == "correctie" && submission.message == Some(message.id);
                    view! { <MessageAdmin message submission=correcting.then(|| submission.clone())/> }
                }).collect_view()}
            </ol>
        </section>
        <section class="live-console" aria-labelledby="calamiteit-wijzigen">
            <h2 id="calamiteit-wijzigen">"Gegevens wijzigen"</h2>
            <form method="post" action=paths::CALAMITY_EDIT class="stack">
                <input type="hidden" name="calamiteit" value=id/>
                <SettingsFields title areas blog stream light blogs error=error_of(&submission, "wijzigen")/>
                <button type="submit">"Opslaan"</button>
            </form>
        </section>
        <section class="live-console" aria-labelledby="calamiteit-uitzetten">
            <h2 id="calamiteit-uitzetten">"Calamiteitmodus uitzetten"</h2>
            <p>"De site wordt weer gewoon; de calamiteit en al haar berichten blijven als archiefpagina staan."</p>
            <form method="post" action=paths::CALAMITY_OFF class="stack">
                <input type="hidden" name="calamiteit" value=id/>
                {off_error.map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
                <div class="field">
                    <input type="checkbox" id="calamiteit-voorbij" name="bevestigd" value="1" required/>
                    " " <label for="calamiteit-voorbij">"De calamiteit is voorbij"</label>
                </div>
                <button type="submit" class="button-danger">"Calamiteitmodus uitzetten"</button>
            </form>
        </section>
        <section aria-labelledby="calamiteit-logboek">
            <h2 id="calamiteit-logboek">"Logboek"</h2>
            <super::audit::AuditList entries=log/>
        </section>
    }
}

/// A posted message with its correction form.
#[component]
fn MessageAdmin(message: OfficialMessage, submission: Option<CalamitySubmission>) -> impl IntoView {
    let id = message.id;
    let (body, reason, error) = match &submission {
        Some(s) => (
            s.body.clone(),
            s.reason.clone(),
            Some(s.error.clone()).filter(|e| !e.is_empty()),
        ),
        None => (message.body.clone(), String::new(), None),
    };
    let open = submission.is_some();
    view! {
        <li>
            <p>
                <strong>{message.label()}</strong> " · "
                <time datetime=dates::iso(message.issued_at)>{dates::clock(message.issued_at)}</time>
                {message.is_correction().then(|| format!(" · gecorrigeerd om {}", dates::clock(message.posted_at)))}
            </p>
            <p>{message.body.clone()}</p>
            <details open=open>
                <summary>"Corrigeren"</summary>
                <form method="post" action=paths::OFFICIAL_CORRECTION.to(&[&id]) class="stack">
                    {error.map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
                    <label for=format!("correctie-{id}")>"Gecorrigeerde tekst *"</label>
                    <textarea id=format!("correctie-{id}") name="tekst" rows="4" required
                        maxlength=MESSAGE_MAX.to_string() inner_html=textarea_html(&body)></textarea>
                    <label for=format!("reden-{id}")>"Reden van de correctie *"</label>
                    <input id=format!("reden-{id}") name="reden" required maxlength="300" value=reason/>
                    <button type="submit">"Correctie plaatsen"</button>
                </form>
            </details>
        </li>
    }
}

#[component]
fn Archive(archive: Vec<Calamity>) -> impl IntoView {
    view! {
        <section aria-labelledby="calamiteit-archief">
            <h2 id="calamiteit-archief">"Eerdere calamiteiten"</h2>
            {archive.is_empty().then(|| view! { <p class="empty">"Nog geen."</p> })}
            <ul class="live-items">
                {archive.into_iter().map(|c| view! {
                    <li><a href=c.archive_path()>{c.title.clone()}</a> " · " {dates::date(c.started_at)}</li>
                }).collect_view()}
            </ul>
        </section>
    }
}
