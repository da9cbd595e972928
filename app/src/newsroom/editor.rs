use crate::paths;
use leptos::{either::EitherOf3, prelude::*};
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

use super::{newsroom_article, query, signed_in, NewsroomShell};
use crate::{
    accounts::Role,
    articles::{
        draft::{ArticleForm, Autosave, Conflict, DiffRun, EditorArticle, FieldError},
        ArticleStatus,
    },
    dates,
    markup::textarea_html,
    site::SiteInfo,
};

/// A submission the server refused (or a revision to restore): the editor shows these values and
/// messages instead of the stored article, so nothing the editor typed is lost.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditorSubmission {
    pub form: ArticleForm,
    pub errors: Vec<FieldError>,
    pub notice: Option<String>,
    /// What the check before publishing found (the editor may publish anyway).
    pub checks: Vec<FieldError>,
    /// Someone saved a newer version: both, side by side.
    pub conflict: Option<Conflict>,
}

/// `/redactie/artikelen/nieuw` and `/redactie/artikelen/:id`.
#[component]
pub fn EditorPage() -> impl IntoView {
    // `/redactie/artikelen/nieuw` has no id parameter.
    let id = use_params_map()
        .get_untracked()
        .get("id")
        .filter(|id| !id.is_empty())
        .unwrap_or_else(|| "nieuw".into());
    let title = if id == "nieuw" {
        "Nieuw artikel"
    } else {
        "Artikel bewerken"
    };
    view! {
        <NewsroomShell min=Role::Contributor title=title>
            <Editor id=id.clone()/>
        </NewsroomShell>
    }
}

#[component]
fn Editor(id: String) -> impl IntoView {
    let submission = use_context::<EditorSubmission>();
    let numeric_id = id.parse::<i64>().ok();
    let article = Resource::new_blocking(
        move || numeric_id,
        |id| async move {
            match id {
                Some(id) => newsroom_article(id).await,
                None => Ok(None),
            }
        },
    );
    let is_new = id == "nieuw";
    let new_autosave = Resource::new_blocking(
        move || is_new,
        |is_new| async move {
            if is_new {
                super::writing::new_article_autosave().await.ok().flatten()
            } else {
                None
            }
        },
    );
    view! {
        <Suspense>
            {move || {
                let submission = submission.clone();
                Suspend::new(async move {
                    match (is_new, article.await) {
                        (true, _) => {
                            let autosave = new_autosave.await;
                            EitherOf3::A(view! {
                                <EditorForm id=None article=None autosave submission/>
                            })
                        }
                        (false, Ok(Some(found))) => EitherOf3::A(view! {
                            <EditorForm id=Some(found.id) autosave=found.autosave.clone()
                                article=Some(found) submission/>
                        }),
                        (false, Ok(None)) => EitherOf3::B(view! { <crate::pages::NotFound/> }),
                        (false, Err(_)) => EitherOf3::C(view! { <crate::pages::ServerError/> }),
                    }
                })
            }}
        </Suspense>
    }
}

/// A new key for this page's autosaves (see `articles::editing::save`).
fn draft_key() -> String {
    #[cfg(feature = "ssr")]
    {
        format!("{:016x}", rand::random::<u64>())
    }
    #[cfg(not(feature = "ssr"))]
    {
        String::new()
    }
}

fn saved_notice(code: &str) -> Option<&'static str> {
    Some(match code {
        "opslaan" => "Opgeslagen.",
        "ter-beoordeling" => "Opgeslagen en ter beoordeling aangeboden.",
        "publiceren" => "Gepubliceerd: het artikel staat op de site.",
        "inplannen" => "Ingepland: het artikel verschijnt op het gekozen moment.",
        "depubliceren" => "Gedepubliceerd: het artikel staat niet meer op de site.",
        "reacties-dicht" => "Reageren is gesloten voor dit artikel.",
        "reacties-open" => "Lezers kunnen weer reageren op dit artikel.",
        "concept-weg" => "De automatisch opgeslagen tekst is weggegooid; de opgeslagen versie staat in de editor.",
        _ => return None,
    })
}

#[component]
fn EditorForm(
    id: Option<i64>,
    article: Option<EditorArticle>,
    autosave: Option<Autosave>,
    submission: Option<EditorSubmission>,
) -> impl IntoView {
    let site = expect_context::<SiteInfo>();
    let user = signed_in();
    let me = user.as_ref().map_or(0, |u| u.id);
    let is_editor = user.as_ref().is_some_and(|u| u.may(Role::Editor));
    // What the form shows: text the server refused, else the editor's own autosave (newer
    // than any version they saved), else the stored article.
    let unsaved = submission.is_some();
    let mut autosaved_at = None;
    let (form, errors, notice, checks, conflict) = match (submission, autosave) {
        (Some(s), _) => (s.form, s.errors, s.notice, s.checks, s.conflict),
        (None, Some(saved)) => {
            autosaved_at = Some(saved.saved_at);
            (saved.form, Vec::new(), None, Vec::new(), None)
        }
        (None, None) => (
            article.as_ref().map(|a| a.form.clone()).unwrap_or_default(),
            Vec::new(),
            saved_notice(&query("gelukt")).map(str::to_string),
            Vec::new(),
            None,
        ),
    };
    let stored_at = autosaved_at
        .or(article.as_ref().map(|a| a.updated_at))
        .unwrap_or(0);
    let present = article
        .as_ref()
        .map(|a| a.present.clone())
        .unwrap_or_default();
    #[cfg(feature = "ssr")]
    let since = expect_context::<crate::state::AppState>().live.last_id();
    #[cfg(not(feature = "ssr"))]
    let since = 0;
    let key = id.map_or_else(|| "nieuw".to_string(), |id| id.to_string());
    let status = article.as_ref().map_or(ArticleStatus::Draft, |a| a.status);
    let public_url =
        (status != ArticleStatus::Draft).then(|| format!("/{}/{}", form.rubriek, form.slug));
    let error_for = {
        let errors = errors.clone();
        move |field: &str| {
            errors
                .iter()
                .find(|e| e.field == field)
                .map(|e| e.message.clone())
        }
    };
    let action = match id {
        Some(id) => paths::ARTICLE.to(&[&id]),
        None => paths::NEW_ARTICLE.into(),
    };
    let field = {
        let error_for = error_for.clone();
        move |name: &'static str, label: &'static str, value: String, hint: &'static str| {
            let error = error_for(name);
            let described = error.as_ref().map(|_| format!("fout-{name}"));
            view! {
                <div class="field">
                    <label for=name>{label}</label>
                    {(!hint.is_empty()).then(|| view! { <p class="hint">{hint}</p> })}
                    <input id=name name=name value=value aria-invalid=error.is_some().then_some("true")
                        aria-describedby=described/>
                    {error.map(|e| view! { <p class="field-error" id=format!("fout-{name}")>{e}</p> })}
                </div>
            }
        }
    };
    let title_error = error_for("titel");
    let section_error = error_for("rubriek");
    let schedule_error = error_for("inplannen_op");
    let revisions = article
        .as_ref()
        .map(|a| a.revisions.clone())
        .unwrap_or_default();
    let review = article.as_ref().is_some_and(|a| a.review_requested);
    let comments_closed = article.as_ref().is_some_and(|a| a.comments_closed);
    let discard = paths::ARTICLE_AUTOSAVE_DISCARD.to(&[&key]);
    let discard_autosave = discard.clone();
    let pending_action = form.actie.clone();
    view! {
        {id.map(|article| view! {
            <p class="presence" aria-live="polite" data-artikel=article data-since=since
                hidden=present.is_empty()>
                <span class="presence-dot" aria-hidden="true"></span>
                <span class="presence-text">{super::presence_text(&present)}</span>
            </p>
        })}
        {notice.map(|n| view! { <p class="notice" role="status">{n}</p> })}
        {autosaved_at.map(|at| view! {
            <div class="notice autosaved" role="status">
                <p>"Je automatisch opgeslagen tekst van "
                    <time datetime=dates::iso(at)>{dates::long_datetime(at)}</time>
                    " staat in de editor. Hij is nog geen versie: kies Opslaan om hem te bewaren."</p>
                <form method="post" action=discard_autosave.clone() class="inline">
                    <button type="submit">"Weggooien en de opgeslagen versie openen"</button>
                </form>
            </div>
        })}
        {conflict.map(|c| view! { <ConflictView conflict=c discard=discard.clone()/> })}
        {(!checks.is_empty()).then(|| view! {
            <PublishCheck checks=checks.clone() action=pending_action.clone()/>
        })}
        {(!errors.is_empty()).then(|| view! {
            <div class="form-error" role="alert" id="editor-fouten">
                <p>"Het artikel is nog niet opgeslagen. Verbeter het volgende:"</p>
                <ul>{errors.iter().map(|e| view! { <li><a href=format!("#{}", e.field)>{e.message.clone()}</a></li> }).collect_view()}</ul>
            </div>
        })}
        <p class="editor-status">
            "Status: " <strong>{status.label()}</strong>
            {review.then_some(" · ter beoordeling aangeboden")}
            {public_url.map(|url| view! { " · " <a href=url>"Bekijk op de site"</a> })}
        </p>
        <form method="post" action=action class="editor" id="editor-form"
            data-artikel=id.unwrap_or(0) data-gebruiker=me data-opgeslagen=stored_at
            data-geweigerd=if unsaved { "1" } else { "0" }>
            <input type="hidden" name="versie" value=form.versie.clone()/>
            <input type="hidden" name="concept" value=draft_key()/>
            <div class="field">
                <label for="titel">"Kop *"</label>
                <input id="titel" name="titel" value=form.titel.clone() required
                    aria-invalid=title_error.is_some().then_some("true")
                    aria-describedby=title_error.as_ref().map(|_| "fout-titel")/>
                {title_error.map(|e| view! { <p class="field-error" id="fout-titel">{e}</p> })}
            </div>
            {field("slug", "Slug (adres)", form.slug.clone(), "Leeg laten om hem uit de kop te maken.")}
            <div class="field">
                <label for="rubriek">"Rubriek *"</label>
                <select id="rubriek" name="rubriek" aria-invalid=section_error.is_some().then_some("true")>
                    <option value="">"Kies een rubriek"</option>
                    {site.sections.iter().map(|s| view! {
                        <option value=s.slug.clone() selected=(s.slug == form.rubriek).then_some("selected")>{s.name.clone()}</option>
                    }).collect_view()}
                </select>
                {section_error.map(|e| view! { <p class="field-error" id="fout-rubriek">{e}</p> })}
            </div>
            <div class="field">
                <label for="intro">"Intro"</label>
                <textarea id="intro" name="intro" rows="3" inner_html=textarea_html(&form.intro)></textarea>
            </div>
            <super::BodyEditor body=form.tekst.clone()/>
            {field("onderwerpen", "Onderwerpen", form.onderwerpen.clone(), "Gescheiden door komma's.")}
            {field("plaats", "Plaats in de dateline", form.plaats.clone(), "")}
            <fieldset>
                <legend>"Beeld"</legend>
                {field("beeld_src", "Adres van de afbeelding", form.beeld_src.clone(), "Bijvoorbeeld /media/demo/brug.svg")}
                {field("beeld_alt", "Alt-tekst (nodig bij een afbeelding)", form.beeld_alt.clone(), "Wat staat erop, voor wie het niet kan zien?")}
                {field("beeld_bijschrift", "Bijschrift", form.beeld_bijschrift.clone(), "")}
                {field("beeld_credit", "Maker", form.beeld_credit.clone(), "")}
            </fieldset>
            <div class="editor-actions">
                <button type="submit" name="actie" value="opslaan">"Opslaan"</button>
                {(!is_editor).then(|| view! {
                    <button type="submit" name="actie" value="ter-beoordeling">"Ter beoordeling aanbieden"</button>
                })}
                {is_editor.then(|| view! {
                    <button type="submit" name="actie" value="publiceren" class="button-primary">"Publiceren"</button>
                    <span class="schedule">
                        <label for="inplannen_op">"Publiceren op (Nederlandse tijd)"</label>
                        <input id="inplannen_op" name="inplannen_op" type="datetime-local"
                            value=form.inplannen_op.clone()
                            aria-invalid=schedule_error.is_some().then_some("true")/>
                        <button type="submit" name="actie" value="inplannen">"Inplannen"</button>
                        {schedule_error.map(|e| view! { <p class="field-error" id="fout-inplannen_op">{e}</p> })}
                    </span>
                })}
                {(is_editor && status != ArticleStatus::Draft).then(|| view! {
                    <button type="submit" name="actie" value="depubliceren">"Depubliceren"</button>
                })}
            </div>
        </form>
        <section class="upload">
            <h2>"Afbeelding uploaden"</h2>
            <super::ImageUpload/>
        </section>
        {id.map(|id| view! {
            <section class="comments-switch">
                <h2>"Reacties"</h2>
                <form method="post" action=paths::ARTICLE_COMMENTS.to(&[&id])>
                    <input type="hidden" name="gesloten" value=if comments_closed { "0" } else { "1" }/>
                    <p>{if comments_closed { "Reageren is gesloten." } else { "Lezers kunnen reageren." }}</p>
                    <button type="submit">{if comments_closed { "Reacties openen" } else { "Reacties sluiten" }}</button>
                </form>
            </section>
        })}
        {id.map(|id| view! {
            <section class="revisions">
                <h2>"Versies"</h2>
                {if revisions.is_empty() { Some(view! { <p class="empty">"Nog geen versies."</p> }) } else { None }}
                <ol>
                    {revisions.into_iter().map(|r| view! {
                        <li>
                            <time datetime=dates::iso(r.created_at)>{dates::long_datetime(r.created_at)}</time>
                            " · " {r.editor} " · " <em>{r.title}</em> " "
                            <form method="post" action=paths::ARTICLE_REVISION.to(&[&id, &r.id]) class="inline">
                                <button type="submit">"Terugzetten in de editor"</button>
                            </form>
                        </li>
                    }).collect_view()}
                </ol>
            </section>
        })}
    }
}

/// Someone saved a newer version while this editor was writing: what happened, the choices,
/// and both versions with the differences marked.
#[component]
fn ConflictView(conflict: Conflict, discard: String) -> impl IntoView {
    let runs = |runs: Vec<DiffRun>, mine: bool| {
        runs.into_iter()
            .map(|run| match (run.changed, mine) {
                (false, _) => view! { <span>{run.text}</span> }.into_any(),
                (true, true) => view! { <ins>{run.text}</ins> }.into_any(),
                (true, false) => view! { <del>{run.text}</del> }.into_any(),
            })
            .collect_view()
    };
    let name = conflict.saved_by.clone();
    view! {
        <section class="conflict" role="alert" aria-labelledby="conflict-kop" id="conflict">
            <h2 id="conflict-kop">"Iemand anders heeft dit artikel intussen opgeslagen"</h2>
            <p>
                {conflict.saved_by.clone()} " sloeg op "
                <time datetime=dates::iso(conflict.saved_at)>{dates::long_datetime(conflict.saved_at)}</time>
                " een nieuwere versie op dan die waarmee jij begon. Jouw tekst is niet opgeslagen, maar "
                "ook niet verloren: hij staat hieronder in de editor."
            </p>
            <ul class="conflict-choices">
                <li><strong>"Houd jouw versie: "</strong>"kies Opslaan (of Publiceren). Die vervangt de versie van "
                    {name.clone()} "."</li>
                <li><strong>"Voeg samen: "</strong>"neem uit de versie van " {name.clone()}
                    " over wat je wilt houden, en sla dan op."</li>
                <li>
                    <form method="post" action=discard class="inline">
                        <button type="submit">"Neem de versie van " {name} " over"</button>
                    </form>
                    " (jouw wijzigingen vervallen)."
                </li>
            </ul>
            {conflict.fields.into_iter().map(|field| view! {
                <div class="compare">
                    <h3>{field.label}</h3>
                    <div class="compare-sides">
                        <div class="compare-side theirs">
                            <h4>"Opgeslagen versie"</h4>
                            <div class="diff">{runs(field.theirs, false)}</div>
                        </div>
                        <div class="compare-side mine">
                            <h4>"Jouw versie"</h4>
                            <div class="diff">{runs(field.mine, true)}</div>
                        </div>
                    </div>
                </div>
            }).collect_view()}
        </section>
    }
}

/// The check before publishing: each finding with why it matters and a link to its field, and
/// a button to publish anyway (it submits the form below as it stands).
#[component]
fn PublishCheck(checks: Vec<FieldError>, action: String) -> impl IntoView {
    let scheduling = action.ends_with("inplannen");
    let (value, label) = if scheduling {
        ("toch-inplannen", "Toch inplannen")
    } else {
        ("toch-publiceren", "Toch publiceren")
    };
    view! {
        <section class="publish-check" role="alert" aria-labelledby="controle-kop" id="controle">
            <h2 id="controle-kop">"Controle voor publicatie"</h2>
            <p>"Het artikel is nog niet gepubliceerd. Kijk nog even naar:"</p>
            <ul>
                {checks.into_iter().map(|c| view! {
                    <li><a href=format!("#{}", c.field)>{c.message}</a></li>
                }).collect_view()}
            </ul>
            <p>"Pas het hieronder aan en publiceer opnieuw, of publiceer het zoals het is."</p>
            <button type="submit" form="editor-form" name="actie" value=value class="button-primary">{label}</button>
        </section>
    }
}
