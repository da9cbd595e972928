use leptos::{either::EitherOf3, prelude::*};
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

use super::{newsroom_article, query, signed_in, NewsroomShell};
use crate::{
    accounts::Role,
    articles::{
        draft::{ArticleForm, EditorArticle, FieldError},
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
    view! {
        <Suspense>
            {move || {
                let submission = submission.clone();
                Suspend::new(async move {
                    match (is_new, article.await) {
                        (true, _) => EitherOf3::A(view! {
                            <EditorForm id=None article=None submission/>
                        }),
                        (false, Ok(Some(found))) => EitherOf3::A(view! {
                            <EditorForm id=Some(found.id) article=Some(found) submission/>
                        }),
                        (false, Ok(None)) => EitherOf3::B(view! { <crate::pages::NotFound/> }),
                        (false, Err(_)) => EitherOf3::C(view! { <crate::pages::ServerError/> }),
                    }
                })
            }}
        </Suspense>
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
        _ => return None,
    })
}

#[component]
fn EditorForm(
    id: Option<i64>,
    article: Option<EditorArticle>,
    submission: Option<EditorSubmission>,
) -> impl IntoView {
    let site = expect_context::<SiteInfo>();
    let user = signed_in();
    let is_editor = user.as_ref().is_some_and(|u| u.may(Role::Editor));
    let (form, errors, notice) = match submission {
        Some(s) => (s.form, s.errors, s.notice),
        None => (
            article.as_ref().map(|a| a.form.clone()).unwrap_or_default(),
            Vec::new(),
            saved_notice(&query("gelukt")).map(str::to_string),
        ),
    };
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
        Some(id) => format!("/redactie/artikelen/{id}"),
        None => "/redactie/artikelen/nieuw".into(),
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
    view! {
        {notice.map(|n| view! { <p class="notice" role="status">{n}</p> })}
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
        <form method="post" action=action class="editor">
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
            <super::BodyWithPreview body=form.tekst.clone()/>
            {field("onderwerpen", "Onderwerpen", form.onderwerpen.clone(), "Gescheiden door komma's.")}
            {field("plaats", "Plaats in de dateline", form.plaats.clone(), "")}
            <fieldset>
                <legend>"Beeld"</legend>
                {field("beeld_src", "Adres van de afbeelding", form.beeld_src.clone(), "Bijvoorbeeld /media/demo/brug.svg")}
                {field("beeld_alt", "Alt-tekst (verplicht bij een afbeelding)", form.beeld_alt.clone(), "Wat staat erop, voor wie het niet kan zien?")}
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
                <form method="post" action=format!("/redactie/artikelen/{id}/reacties")>
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
                            <form method="post" action=format!("/redactie/artikelen/{id}/versies/{}", r.id) class="inline">
                                <button type="submit">"Terugzetten in de editor"</button>
                            </form>
                        </li>
                    }).collect_view()}
                </ol>
            </section>
        })}
    }
}
