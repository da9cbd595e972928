//! The comments under an article and the form "Reageren op dit bericht". The form is a plain
//! HTML form: without JavaScript it posts, and a refused comment comes back with the messages
//! beside the fields and the text kept. `CommentFormHelper` adds validation as you type.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::{
    rules::{Field, BODY_MAX, EMAIL_MAX, NAME_MAX},
    ArticleComments, CommentFormHelper, CommentsPart,
};
use crate::{live::Topic, markup::textarea_html};

/// A refused comment, shown again: what was typed, each field's problem, and a message for the
/// whole form (rate limit, closed, too fast).
#[derive(Clone, Debug, Default)]
pub struct CommentSubmission {
    pub name: String,
    pub email: String,
    pub body: String,
    pub parent: Option<i64>,
    pub problems: Vec<(Field, String)>,
    pub message: Option<String>,
}

impl CommentSubmission {
    fn problem(&self, field: Field) -> Option<String> {
        self.problems
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.clone())
    }
}

fn posted_notice(code: &str) -> Option<&'static str> {
    match code {
        "zichtbaar" => Some("Bedankt! Je reactie staat nu onder het artikel."),
        "wacht" => Some(
            "Bedankt! Je reactie wacht op goedkeuring door de redactie en verschijnt daarna onder \
             het artikel.",
        ),
        _ => None,
    }
}

#[component]
fn FieldInput(
    field: Field,
    label: &'static str,
    value: String,
    problem: Option<String>,
    #[prop(optional)] hint: Option<&'static str>,
    max: usize,
    /// Refused on the server: focus lands here when the page comes back.
    #[prop(optional)]
    focus: bool,
    /// The form's own message, when there is one, also describes this field.
    #[prop(optional)]
    form_message: bool,
) -> impl IntoView {
    let key = field.key();
    let id = format!("reactie-{key}");
    let error_id = format!("fout-{key}");
    let hint_id = hint.map(|_| format!("uitleg-{key}"));
    let mut described = match &hint_id {
        Some(hint) => format!("{error_id} {hint}"),
        None => error_id.clone(),
    };
    if form_message {
        described.push_str(" fout-formulier");
    }
    let invalid = problem.is_some().then_some("true");
    let input = match field {
        Field::Body => view! {
            <textarea id=id.clone() name=key rows="6" required aria-required="true" autofocus=focus
                maxlength=(max * 2).to_string() aria-invalid=invalid aria-describedby=described
                data-field=key inner_html=textarea_html(&value)></textarea>
        }
        .into_any(),
        _ => view! {
            <input id=id.clone() name=key required aria-required="true" autofocus=focus
                type=if field == Field::Email { "email" } else { "text" }
                autocomplete=if field == Field::Email { "email" } else { "name" }
                maxlength=(max * 2).to_string() value=value aria-invalid=invalid
                aria-describedby=described data-field=key/>
        }
        .into_any(),
    };
    view! {
        <div class="field">
            <label for=id>{label} " " <span class="required" aria-hidden="true">"*"</span></label>
            {input}
            {hint.map(|hint| view! { <p class="field-hint" id=hint_id.clone()>{hint}</p> })}
            <p class="field-error" id=error_id aria-live="polite">{problem}</p>
        </div>
    }
}

/// Comments and the form, under an article.
#[component]
pub fn CommentsSection(comments: ArticleComments) -> impl IntoView {
    let query = use_query_map().get_untracked();
    let submission = use_context::<CommentSubmission>().unwrap_or_default();
    let replying_to = submission
        .parent
        .or_else(|| query.get("antwoord").and_then(|id| id.parse().ok()))
        .and_then(|id: i64| comments.thread.comments.iter().find(|c| c.id == id))
        .map(|c| (c.id, c.author_name.clone()));
    let notice = posted_notice(&query.get("reactie").unwrap_or_default());
    let article = comments.article_id;
    // Only the newest page follows the live stream; earlier pages are the thread's archive.
    let latest = comments.thread.is_latest();
    let part = latest.then(|| Topic::Comments(article).to_string());
    let since = latest.then_some(comments.since);
    let body_len = submission.body.chars().count();
    // After a refusal without JavaScript, focus goes to the first problem (or, for a message
    // about the whole form, to the text, right below it).
    let first_problem = Field::ALL
        .into_iter()
        .find(|f| submission.problem(*f).is_some())
        .or(submission.message.as_ref().map(|_| Field::Body));
    let has_message = submission.message.is_some();
    view! {
        <section class="comments-section" id="reacties" aria-labelledby="reacties-titel">
            <div data-live=part data-since=since>
                <CommentsPart thread=comments.thread/>
            </div>
            {if comments.open {
                view! {
                    <form class="comment-form" id="reageren" method="post" action=crate::paths::COMMENT.to(&[&article])
                        novalidate=true>
                        <h2 class="block-title">"Reageren op dit bericht"</h2>
                        {notice.map(|text| view! { <p class="form-notice" role="status">{text}</p> })}
                        {submission.message.clone().map(|text| view! {
                            <p class="form-error" role="alert" id="fout-formulier">{text}</p>
                        })}
                        <p class="reply-to" id="reageert-op" hidden=replying_to.is_none()>
                            <span>{replying_to.as_ref().map(|(_, name)| format!("Je reageert op {name}."))}</span>
                            " "
                            <a href="#reageren" data-reply-cancel="1">"Niet meer reageren op deze reactie"</a>
                        </p>
                        <input type="hidden" name="antwoord"
                            value=replying_to.as_ref().map(|(id, _)| id.to_string()).unwrap_or_default()/>
                        <input type="hidden" name="geladen" value=comments.token.clone()/>
                        <p class="legend">"* = verplicht veld"</p>
                        <FieldInput field=Field::Name label="Naam" value=submission.name.clone()
                            problem=submission.problem(Field::Name) max=NAME_MAX
                            focus=first_problem == Some(Field::Name)/>
                        <FieldInput field=Field::Email label="E-mailadres" value=submission.email.clone()
                            problem=submission.problem(Field::Email) max=EMAIL_MAX
                            focus=first_problem == Some(Field::Email)
                            hint="We tonen je e-mailadres nooit op de site."/>
                        <FieldInput field=Field::Body label="Reactie" value=submission.body.clone()
                            problem=submission.problem(Field::Body) max=BODY_MAX
                            focus=first_problem == Some(Field::Body) form_message=has_message/>
                        <p class="char-count" id="teller-bericht" aria-live="off">
                            {format!("{body_len} van {BODY_MAX} tekens")}
                        </p>
                        // A field people never see; software that fills in everything does.
                        <div class="trap" aria-hidden="true">
                            <label for="reactie-website">"Laat dit veld leeg"</label>
                            <input id="reactie-website" name="website" tabindex="-1" autocomplete="off"/>
                        </div>
                        <button type="submit" class="button-primary">"Plaats reactie"</button>
                        <CommentFormHelper/>
                    </form>
                }.into_any()
            } else {
                view! {
                    <div class="comments-closed" id="reageren">
                        <p>"Reageren is gesloten voor dit artikel."</p>
                        {(!submission.body.trim().is_empty()).then(|| view! {
                            <p>"Je tekst is niet geplaatst; hier is hij, zodat je hem kunt bewaren:"</p>
                            <blockquote class="kept-text">{submission.body.clone()}</blockquote>
                        })}
                    </div>
                }.into_any()
            }}
        </section>
    }
}
