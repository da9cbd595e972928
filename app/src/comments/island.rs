//! Validation as the reader types, with the rules the server enforces (`rules`). No props and
//! no views: the form is server-rendered (and works without JavaScript); this only attaches to
//! it. A field's message shows once the reader has left the field (or tried to send), never
//! while the page loads; on a refused send, focus moves to the first problem.

use leptos::prelude::*;

#[island]
pub fn CommentFormHelper() -> impl IntoView {
    Effect::new(|_| helper::attach());
}

mod helper {
    use leptos::{
        prelude::*,
        wasm_bindgen::{closure::Closure, JsCast},
        web_sys::{Element, Event, HtmlElement, HtmlInputElement, HtmlTextAreaElement},
    };

    use crate::comments::rules::{Field, BODY_MAX};

    fn form() -> Option<Element> {
        document()
            .query_selector("form.comment-form")
            .ok()
            .flatten()
    }

    fn control(form: &Element, field: Field) -> Option<Element> {
        form.query_selector(&format!("[data-field=\"{}\"]", field.key()))
            .ok()
            .flatten()
    }

    fn value(control: &Element) -> String {
        if let Some(input) = control.dyn_ref::<HtmlInputElement>() {
            input.value()
        } else if let Some(area) = control.dyn_ref::<HtmlTextAreaElement>() {
            area.value()
        } else {
            String::new()
        }
    }

    /// Shows or clears the field's message; `true` when the field is fine.
    fn check(form: &Element, field: Field, show: bool) -> bool {
        let Some(control) = control(form, field) else {
            return true;
        };
        let text = value(&control);
        if field == Field::Body {
            if let Ok(Some(counter)) = form.query_selector("#teller-bericht") {
                let n = text.trim().chars().count();
                counter.set_text_content(Some(&format!("{n} van {BODY_MAX} tekens")));
                let _ = counter
                    .class_list()
                    .toggle_with_force("is-over", n > BODY_MAX);
            }
        }
        let problem = field.check(&text).err();
        if show || problem.is_none() {
            if let Ok(Some(message)) = form.query_selector(&format!("#fout-{}", field.key())) {
                message.set_text_content(problem.as_deref().filter(|_| show));
            }
            let _ = match (&problem, show) {
                (Some(_), true) => control.set_attribute("aria-invalid", "true"),
                _ => control.remove_attribute("aria-invalid"),
            };
        }
        problem.is_none()
    }

    fn listen(target: &Element, event: &str, f: impl Fn(Event) + 'static) {
        let closure = Closure::<dyn Fn(Event)>::new(f);
        let _ =
            target.add_event_listener_with_callback(event, closure.into_js_value().unchecked_ref());
    }

    pub fn attach() {
        let Some(form) = form() else { return };
        // Tells tests (and styles) the form checks as you type now.
        let _ = form.set_attribute("data-ready", "1");
        for field in Field::ALL {
            let Some(control) = control(&form, field) else {
                continue;
            };
            let f = form.clone();
            listen(&control, "input", move |_| {
                let touched = control_touched(&f, field);
                check(&f, field, touched);
            });
            // Left the field once: from then on its message follows every keystroke.
            let f = form.clone();
            listen(&control, "focusout", move |_| {
                if let Some(c) = self::control(&f, field) {
                    let _ = c.set_attribute("data-touched", "1");
                }
                check(&f, field, true);
            });
        }
        let f = form.clone();
        listen(&form, "submit", move |event| {
            let mut first_bad = None;
            for field in Field::ALL {
                if let Some(c) = control(&f, field) {
                    let _ = c.set_attribute("data-touched", "1");
                }
                if !check(&f, field, true) && first_bad.is_none() {
                    first_bad = control(&f, field);
                }
            }
            if let Some(bad) = first_bad {
                event.prevent_default();
                if let Some(bad) = bad.dyn_ref::<HtmlElement>() {
                    let _ = bad.focus();
                }
            }
        });
        // "Reageer" under a comment: reply here without a reload.
        let f = form.clone();
        listen(
            &document().document_element().expect("a document"),
            "click",
            move |event| {
                let Some(target) = event.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
                    return;
                };
                if let Ok(Some(link)) = target.closest("[data-reply]") {
                    event.prevent_default();
                    let id = link.get_attribute("data-reply").unwrap_or_default();
                    let name = link.get_attribute("data-reply-name").unwrap_or_default();
                    reply_to(&f, &id, Some(&name));
                } else if target
                    .closest("[data-reply-cancel]")
                    .ok()
                    .flatten()
                    .is_some()
                {
                    event.prevent_default();
                    reply_to(&f, "", None);
                }
            },
        );
    }

    fn control_touched(form: &Element, field: Field) -> bool {
        control(form, field).is_some_and(|c| c.has_attribute("data-touched"))
    }

    fn reply_to(form: &Element, id: &str, name: Option<&str>) {
        if let Ok(Some(input)) = form.query_selector("input[name=antwoord]") {
            if let Some(input) = input.dyn_ref::<HtmlInputElement>() {
                input.set_value(id);
            }
        }
        if let Ok(Some(line)) = form.query_selector("#reageert-op") {
            if let Ok(Some(text)) = line.query_selector("span") {
                text.set_text_content(name.map(|n| format!("Je reageert op {n}.")).as_deref());
            }
            let _ = match name {
                Some(_) => line.remove_attribute("hidden"),
                None => line.set_attribute("hidden", ""),
            };
        }
        form.scroll_into_view();
        let first = control(form, Field::Name)
            .filter(|c| !value(c).is_empty())
            .and_then(|_| control(form, Field::Body))
            .or_else(|| control(form, Field::Name));
        if let Some(first) = first.as_ref().and_then(|c| c.dyn_ref::<HtmlElement>()) {
            let _ = first.focus();
        }
    }
}
