//! Validation as the reader types on the tip and correction pages, with the rules the server
//! enforces (`rules`). No props and no views: it attaches to the server-rendered form. A field's
//! message shows once the reader has left it (or tried to send); a photo over 10 MB is refused
//! before it is sent; on a refused send, focus moves to the first problem.

use leptos::prelude::*;

// Lazy: its code loads on the tip and correction pages only, not with every article.
#[island(lazy)]
pub fn TipFormHelper() -> impl IntoView {
    Effect::new(|_| helper::attach());
}

mod helper {
    use leptos::{
        prelude::*,
        wasm_bindgen::{closure::Closure, JsCast},
        web_sys::{Element, Event, HtmlElement, HtmlInputElement, HtmlTextAreaElement},
    };

    use crate::tips::rules::{correction_problems, tip_problems, Field, PHOTO_MAX_BYTES};

    const FIELDS: [Field; 5] = [
        Field::Name,
        Field::Email,
        Field::Phone,
        Field::Message,
        Field::Photo,
    ];

    fn control(form: &Element, field: Field) -> Option<Element> {
        form.query_selector(&format!("[name=\"{}\"]", field.key()))
            .ok()
            .flatten()
    }

    fn value(form: &Element, field: Field) -> String {
        match control(form, field) {
            Some(c) => {
                if let Some(input) = c.dyn_ref::<HtmlInputElement>() {
                    input.value()
                } else if let Some(area) = c.dyn_ref::<HtmlTextAreaElement>() {
                    area.value()
                } else {
                    String::new()
                }
            }
            None => String::new(),
        }
    }

    /// Every problem of the form as it is now.
    fn problems(form: &Element) -> Vec<(Field, String)> {
        let v = |f| value(form, f);
        let mut problems = if form.class_list().contains("tip-form") {
            tip_problems(
                &v(Field::Name),
                &v(Field::Email),
                &v(Field::Phone),
                &v(Field::Message),
            )
        } else {
            correction_problems(&v(Field::Name), &v(Field::Email), &v(Field::Message))
        };
        let photo = control(form, Field::Photo)
            .and_then(|c| c.dyn_into::<HtmlInputElement>().ok())
            .and_then(|input| input.files())
            .and_then(|files| files.get(0));
        if photo.is_some_and(|file| file.size() > PHOTO_MAX_BYTES as f64) {
            problems.push((
                Field::Photo,
                "Deze foto is te groot: hoogstens 10 MB. Kies een kleinere foto of verstuur je tip \
                 zonder."
                    .into(),
            ));
        }
        problems
    }

    /// Shows (or clears) the message of `field`; `show` is false while the reader has not yet
    /// left the field, so only fixes show then.
    fn show(form: &Element, field: Field, problems: &[(Field, String)], show: bool) {
        let Some(control) = control(form, field) else {
            return;
        };
        let problem = problems.iter().find(|(f, _)| *f == field).map(|(_, m)| m);
        if problem.is_some() && !show {
            return;
        }
        if let Some(id) = control.get_attribute("id") {
            if let Ok(Some(message)) = form.query_selector(&format!("#{id}-fout")) {
                message.set_text_content(problem.map(String::as_str));
            }
        }
        let _ = match problem {
            Some(_) => control.set_attribute("aria-invalid", "true"),
            None => control.remove_attribute("aria-invalid"),
        };
    }

    fn listen(target: &Element, event: &str, f: impl Fn(Event) + 'static) {
        let closure = Closure::<dyn Fn(Event)>::new(f);
        let _ =
            target.add_event_listener_with_callback(event, closure.into_js_value().unchecked_ref());
    }

    pub fn attach() {
        let Ok(Some(form)) = document().query_selector("form.tip-form, form.correction-form")
        else {
            return;
        };
        let _ = form.set_attribute("data-ready", "1");
        // From here the messages are ours, in Dutch and beside each field, not the browser's.
        let _ = form.set_attribute("novalidate", "");
        for field in FIELDS {
            let Some(c) = control(&form, field) else {
                continue;
            };
            for event in ["input", "change"] {
                let f = form.clone();
                listen(&c, event, move |_| {
                    let touched =
                        control(&f, field).is_some_and(|c| c.has_attribute("data-touched"));
                    // One way to reach the sender: typing a phone number fixes the e-mail field.
                    let problems = problems(&f);
                    show(&f, field, &problems, touched || field == Field::Photo);
                    if matches!(field, Field::Email | Field::Phone) {
                        show(&f, Field::Email, &problems, false);
                    }
                });
            }
            let f = form.clone();
            listen(&c, "focusout", move |_| {
                if let Some(c) = control(&f, field) {
                    let _ = c.set_attribute("data-touched", "1");
                }
                show(&f, field, &problems(&f), true);
            });
        }
        let f = form.clone();
        listen(&form, "submit", move |event| {
            let problems = problems(&f);
            for field in FIELDS {
                if let Some(c) = control(&f, field) {
                    let _ = c.set_attribute("data-touched", "1");
                }
                show(&f, field, &problems, true);
            }
            if let Some((first, _)) = FIELDS
                .iter()
                .find_map(|field| problems.iter().find(|(f, _)| f == field))
            {
                event.prevent_default();
                if let Some(bad) = control(&f, *first) {
                    if let Some(bad) = bad.dyn_ref::<HtmlElement>() {
                        let _ = bad.focus();
                    }
                }
            }
        });
    }
}
