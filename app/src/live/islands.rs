//! Keeps a page's live parts current: one island, no props, no views. It finds the parts the
//! server rendered (`data-live="<topic>"`, resuming after `data-since`), opens one event stream
//! for all their topics and puts the HTML each event carries in place. Kept this small on
//! purpose: it is on every reader page, so every phone downloads it.

use leptos::prelude::*;

#[island]
pub fn LiveUpdates() -> impl IntoView {
    // Effects run only in the browser, after hydration.
    Effect::new(|_| client::start());
}

mod client {
    use std::cell::RefCell;

    use leptos::{
        prelude::*,
        wasm_bindgen::{closure::Closure, JsCast, JsValue},
        web_sys::{Element, EventSource, MessageEvent},
    };

    thread_local! {
        static POLLING: RefCell<bool> = const { RefCell::new(false) };
    }

    fn get(value: &JsValue, key: &str) -> JsValue {
        js_sys::Reflect::get(value, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
    }

    fn all(root: &Element, selector: &str) -> Vec<Element> {
        let Ok(list) = root.query_selector_all(selector) else {
            return Vec::new();
        };
        (0..list.length())
            .filter_map(|i| list.item(i)?.dyn_into::<Element>().ok())
            .collect()
    }

    fn body() -> Option<Element> {
        document().body().map(Element::from)
    }

    fn parts() -> Vec<Element> {
        body().map_or_else(Vec::new, |b| all(&b, "[data-live]"))
    }

    pub fn start() {
        let found = parts();
        let mut topics: Vec<String> = found
            .iter()
            .filter_map(|p| p.get_attribute("data-live"))
            .collect();
        topics.sort_unstable();
        topics.dedup();
        if topics.is_empty() {
            return;
        }
        let since = found
            .iter()
            .filter_map(|p| p.get_attribute("data-since")?.parse::<i64>().ok())
            .min()
            .unwrap_or(0);
        let topics = topics.join(",");
        open(&topics, since);
        if let Some(body) = body() {
            for reload in all(&body, "[data-live-reload]") {
                let _ = reload.set_attribute("hidden", "");
            }
        }
        // Expired ticker items and banners leave on time.
        let _ = set_interval_with_handle(
            || {
                let now = js_sys::Date::now() / 1000.0;
                for part in parts() {
                    for item in all(&part, "[data-expires]") {
                        let ends = item.get_attribute("data-expires");
                        if ends
                            .and_then(|t| t.parse::<f64>().ok())
                            .is_some_and(|t| t <= now)
                        {
                            item.remove();
                        }
                    }
                }
            },
            std::time::Duration::from_secs(20),
        );
        let on_click =
            Closure::<dyn Fn(leptos::web_sys::Event)>::new(|ev: leptos::web_sys::Event| {
                let target = ev.target().and_then(|t| t.dyn_into::<Element>().ok());
                if let Some(part) = target
                    .filter(|t| t.has_attribute("data-more"))
                    .and_then(|t| t.closest("[data-live]").ok().flatten())
                {
                    show_held(&part);
                }
            });
        let _ = document()
            .add_event_listener_with_callback("click", on_click.into_js_value().unchecked_ref());
    }

    fn open(topics: &str, since: i64) {
        let url = format!("/live?onderwerpen={topics}&sinds={since}");
        let Ok(source) = EventSource::new(&url) else {
            poll(topics.to_string());
            return;
        };
        for topic in topics.split(',') {
            let name = topic.to_string();
            let on_event = Closure::<dyn Fn(MessageEvent)>::new(move |ev: MessageEvent| {
                let parsed = ev
                    .data()
                    .as_string()
                    .and_then(|d| js_sys::JSON::parse(&d).ok());
                if let Some(data) = parsed {
                    if get(&data, "op").as_string().as_deref() == Some("reload") {
                        reload(name.clone(), ev.last_event_id());
                    } else {
                        apply(&name, &data);
                    }
                }
            });
            let _ = source
                .add_event_listener_with_callback(topic, on_event.into_js_value().unchecked_ref());
        }
        // The browser reconnects by itself, sending Last-Event-ID; only a refused stream closes.
        let topics = topics.to_string();
        let watched = source.clone();
        let on_error = Closure::<dyn Fn()>::new(move || {
            if watched.ready_state() == EventSource::CLOSED {
                poll(topics.clone());
            }
        });
        source.set_onerror(Some(on_error.into_js_value().unchecked_ref()));
    }

    /// Applies one event to every part of its topic.
    fn apply(topic: &str, data: &JsValue) {
        let op = get(data, "op").as_string().unwrap_or_default();
        let id = get(data, "id").as_f64().map(|f| f as i64);
        let html = get(data, "html").as_string().unwrap_or_default();
        for part in parts() {
            if part.get_attribute("data-live").as_deref() != Some(topic) {
                continue;
            }
            let existing = id.and_then(|id| {
                part.query_selector(&format!("[data-id=\"{id}\"]"))
                    .ok()
                    .flatten()
            });
            match (op.as_str(), existing) {
                ("set", _) => part.set_inner_html(&html),
                ("remove", Some(item)) => {
                    let held = item.has_attribute("hidden");
                    item.remove();
                    if held {
                        count_held(&part);
                    }
                }
                ("upsert", Some(item)) => {
                    let held = item.has_attribute("hidden");
                    item.set_outer_html(&html);
                    if held {
                        if let Some(id) = id {
                            hold(&part, &format!("[data-id=\"{id}\"]"));
                        }
                    }
                }
                ("upsert", None) => match get(data, "into").as_string() {
                    Some(into) => append(&part, &into, &html),
                    None => insert(&part, &html),
                },
                _ => {}
            }
        }
    }

    /// A new item goes on top. In a blog the reader has scrolled into, it waits behind a
    /// "N nieuwe updates" button instead of moving the page.
    fn insert(part: &Element, html: &str) {
        let list = part
            .query_selector("[data-items]")
            .ok()
            .flatten()
            .unwrap_or_else(|| part.clone());
        let scrolled_past = list.get_bounding_client_rect().top() < 0.0;
        let _ = list.insert_adjacent_html("afterbegin", html);
        let Some(item) = list.first_element_child() else {
            return;
        };
        let _ = item.class_list().add_1("is-new");
        for empty in all(part, "[data-empty]") {
            empty.remove();
        }
        if let Some(empty) = part
            .parent_element()
            .and_then(|p| p.query_selector("[data-empty]").ok().flatten())
        {
            empty.remove();
        }
        if part.has_attribute("data-hold") && scrolled_past {
            let _ = item.set_attribute("hidden", "");
            let _ = item.class_list().add_1("is-held");
            count_held(part);
        }
        if let Some(max) = part
            .get_attribute("data-max")
            .and_then(|m| m.parse::<u32>().ok())
        {
            while list.child_element_count() > max {
                match list.last_element_child() {
                    Some(last) => last.remove(),
                    None => break,
                }
            }
        }
    }

    /// A comment goes at the end of its list (the thread, or its parent's replies); the
    /// part's count (`data-count`, the whole thread's) goes up by one. A reply to a comment on
    /// another page is not shown here.
    fn append(part: &Element, into: &str, html: &str) {
        let Some(list) = document().get_element_by_id(into) else {
            return;
        };
        let _ = list.insert_adjacent_html("beforeend", html);
        if let Some(item) = list.last_element_child() {
            let _ = item.class_list().add_1("is-new");
        }
        for empty in all(part, "[data-empty]") {
            empty.remove();
        }
        for counter in all(part, "[data-count]") {
            let count = counter
                .get_attribute("data-count")
                .and_then(|n| n.parse::<usize>().ok())
                .unwrap_or(0)
                + 1;
            let _ = counter.set_attribute("data-count", &count.to_string());
            counter.set_text_content(Some(&format!("({})", crate::comments::count_text(count))));
        }
    }

    fn hold(part: &Element, selector: &str) {
        if let Ok(Some(item)) = part.query_selector(selector) {
            let _ = item.set_attribute("hidden", "");
            let _ = item.class_list().add_1("is-held");
        }
    }

    fn count_held(part: &Element) {
        let n = all(part, ".is-held").len();
        if let Ok(Some(button)) = part.query_selector("[data-more]") {
            if n == 0 {
                let _ = button.set_attribute("hidden", "");
                return;
            }
            button.set_text_content(Some(&if n == 1 {
                "1 nieuwe update".to_string()
            } else {
                format!("{n} nieuwe updates")
            }));
            let _ = button.remove_attribute("hidden");
        }
    }

    fn show_held(part: &Element) {
        for item in all(part, ".is-held") {
            let _ = item.remove_attribute("hidden");
            let _ = item.class_list().remove_1("is-held");
        }
        if let Ok(Some(button)) = part.query_selector("[data-more]") {
            let _ = button.set_attribute("hidden", "");
        }
        part.scroll_into_view();
    }

    /// The page is further behind than the server's log reaches: fetch the part whole, as of
    /// the event the stream goes on from (`vers`: never a cached older copy).
    fn reload(topic: String, at: String) {
        leptos::task::spawn_local(async move {
            let url = format!("/live.json?onderwerpen={topic}&vers={at}");
            if let Some(snapshot) = fetch_json(&url).await {
                set_parts(&topic, &snapshot);
            }
        });
    }

    /// Puts each part's HTML from a `/live.json` answer in place.
    fn set_parts(topics: &str, snapshot: &JsValue) {
        let parts = get(snapshot, "parts");
        for topic in topics.split(',') {
            let html = get(&parts, topic);
            if html.is_string() {
                let event = js_sys::Object::new();
                let _ = js_sys::Reflect::set(&event, &"op".into(), &"set".into());
                let _ = js_sys::Reflect::set(&event, &"html".into(), &html);
                apply(topic, &event);
            }
        }
    }

    /// No stream: ask `/live.json` for each part's HTML, as often as the server says.
    fn poll(topics: String) {
        if POLLING.with_borrow_mut(|p| std::mem::replace(p, true)) {
            return;
        }
        leptos::task::spawn_local(async move {
            let url = format!("/live.json?onderwerpen={topics}");
            loop {
                let wait = match fetch_json(&url).await {
                    Some(snapshot) => {
                        set_parts(&topics, &snapshot);
                        get(&snapshot, "poll_seconds")
                            .as_f64()
                            .unwrap_or(15.0)
                            .max(5.0)
                    }
                    None => 30.0,
                };
                sleep(wait as u64).await;
            }
        });
    }

    async fn fetch_json(url: &str) -> Option<JsValue> {
        use wasm_bindgen_futures::JsFuture;
        let response = JsFuture::from(window().fetch_with_str(url)).await.ok()?;
        let response: leptos::web_sys::Response = response.dyn_into().ok()?;
        if !response.ok() {
            return None;
        }
        JsFuture::from(response.json().ok()?).await.ok()
    }

    async fn sleep(seconds: u64) {
        let (tx, rx) = futures::channel::oneshot::channel::<()>();
        set_timeout(
            move || {
                let _ = tx.send(());
            },
            std::time::Duration::from_secs(seconds),
        );
        let _ = rx.await;
    }
}
