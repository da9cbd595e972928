//! Results as the reader types. No props and no views: the form and the results are
//! server-rendered (and work without JavaScript); this fetches the results part for what is
//! typed, half a second after typing pauses, and keeps the address bar in step so the results can
//! be shared or reloaded.

use leptos::prelude::*;

// Lazy: its code loads on the search page only.
#[island(lazy)]
pub fn SearchAsYouType() -> impl IntoView {
    Effect::new(|_| client::attach());
}

mod client {
    use std::{cell::Cell, rc::Rc};

    use leptos::{
        prelude::*,
        wasm_bindgen::{closure::Closure, JsCast},
        web_sys::{Event, HtmlInputElement, XmlHttpRequest},
    };

    use super::super::{RESULTS_PATH, SEARCH_PATH};

    /// Typing pauses this long before a search.
    const DEBOUNCE_MS: i32 = 300;

    pub fn attach() {
        let Some(input) = document()
            .get_element_by_id("zoekterm")
            .and_then(|e| e.dyn_into::<HtmlInputElement>().ok())
        else {
            return;
        };
        // Tells tests (and styles) that results now follow the typing.
        if let Some(form) = document().get_element_by_id("zoekformulier") {
            let _ = form.set_attribute("data-ready", "1");
        }
        let timer = Rc::new(Cell::new(0));
        // Only the newest request may fill the results: answers can overtake each other.
        let latest = Rc::new(Cell::new(0u32));
        let last_query = Rc::new(std::cell::RefCell::new(input.value().trim().to_string()));
        let field = input.clone();
        let on_input = Closure::<dyn FnMut(Event)>::new(move |_: Event| {
            let window = window();
            window.clear_timeout_with_handle(timer.get());
            let field = field.clone();
            let latest = latest.clone();
            let last_query = last_query.clone();
            let run = Closure::once_into_js(move || {
                let query = field.value().trim().to_string();
                if *last_query.borrow() == query {
                    return;
                }
                *last_query.borrow_mut() = query.clone();
                let seq = latest.get() + 1;
                latest.set(seq);
                fetch(query, seq, latest);
            });
            if let Ok(handle) = window.set_timeout_with_callback_and_timeout_and_arguments_0(
                run.unchecked_ref(),
                DEBOUNCE_MS,
            ) {
                timer.set(handle);
            }
        });
        let _ = input.add_event_listener_with_callback("input", on_input.as_ref().unchecked_ref());
        on_input.forget();
    }

    fn fetch(query: String, seq: u32, latest: Rc<Cell<u32>>) {
        let Ok(xhr) = XmlHttpRequest::new() else {
            return;
        };
        let encoded = String::from(js_sys::encode_uri_component(&query));
        if xhr
            .open("GET", &format!("{RESULTS_PATH}?q={encoded}"))
            .is_err()
        {
            return;
        }
        let request = xhr.clone();
        let on_load = Closure::once_into_js(move || {
            if latest.get() != seq || request.status().unwrap_or(0) != 200 {
                return;
            }
            let Ok(Some(html)) = request.response_text() else {
                return;
            };
            let document = document();
            if let Some(results) = document.get_element_by_id("zoekresultaten") {
                results.set_inner_html(&html);
                let status = results
                    .query_selector("[data-count]")
                    .ok()
                    .flatten()
                    .and_then(|e| e.get_attribute("data-count"))
                    .unwrap_or_default();
                if let Some(live) = document.get_element_by_id("zoekstatus") {
                    live.set_text_content(Some(&status));
                }
            }
            let url = if query.is_empty() {
                SEARCH_PATH.to_string()
            } else {
                format!("{SEARCH_PATH}?q={encoded}")
            };
            if let Ok(history) = window().history() {
                let _ = history.replace_state_with_url(
                    &leptos::wasm_bindgen::JsValue::NULL,
                    "",
                    Some(&url),
                );
            }
        });
        xhr.set_onload(Some(on_load.unchecked_ref()));
        let _ = xhr.send();
    }
}
