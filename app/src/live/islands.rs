//! The ticker and the breaking-news banner as islands: server-rendered with the latest items
//! (so a page without JavaScript shows them), then kept current by one event stream per page.

use leptos::prelude::*;

use super::{
    Banner, BannerEvent, BannerStrip, TickerEntry, TickerEvent, BREAKING, TICKER, TICKER_SHOWN,
};

fn apply_ticker(items: &mut Vec<TickerEntry>, event: TickerEvent) -> Option<i64> {
    match event {
        TickerEvent::Upsert { item } => {
            let id = item.id;
            match items.iter_mut().find(|i| i.id == id) {
                Some(existing) => {
                    *existing = item;
                    None
                }
                None => {
                    // A new post is the newest one.
                    items.insert(0, item);
                    items.truncate(TICKER_SHOWN);
                    Some(id)
                }
            }
        }
        TickerEvent::Remove { id } => {
            items.retain(|i| i.id != id);
            None
        }
        TickerEvent::Snapshot { items: fresh } => {
            *items = fresh;
            None
        }
    }
}

// Lazy, so its code stays out of the main bundle until it fits the reader budget.
#[island(lazy)]
pub fn Ticker(items: Vec<TickerEntry>, since: i64) -> impl IntoView {
    let (items, set_items) = signal(items);
    // Items that arrived while the page was open slide in (unless motion is reduced).
    let (arrived, set_arrived) = signal(Vec::<i64>::new());
    let (live, set_live) = signal(false);
    Effect::new(move |_| {
        set_live.set(true);
        client::subscribe(TICKER, since, move |data| {
            let Some(event) = client::ticker_event(&data) else {
                return;
            };
            let mut added = None;
            set_items.update(|items| added = apply_ticker(items, event));
            if let Some(id) = added {
                set_arrived.update(|a| a.push(id));
            }
        });
        client::every(30, move || {
            let now = client::now();
            set_items.update(|items| items.retain(|i| i.expires_at.is_none_or(|t| t > now)));
        });
    });
    view! {
        <section class="ticker" aria-labelledby="ticker-titel">
            <h2 id="ticker-titel" class="block-title">"Kort nieuws"</h2>
            <ol class="ticker-list" aria-live="polite" aria-relevant="additions">
                <For each=move || items.get() key=|item| (item.id, item.html.clone()) let:item>
                    <li class="ticker-item"
                        class:is-new=move || arrived.with(|a| a.contains(&item.id))
                        inner_html=item.html.clone()></li>
                </For>
            </ol>
            <p class="ticker-empty" hidden=move || !items.with(|i| i.is_empty())>"Nog geen korte berichten."</p>
            <p class="ticker-reload" hidden=move || live.get()>
                <a href="">"Vernieuwen"</a>
            </p>
        </section>
    }
}

#[island(lazy)]
pub fn BreakingBanner(current: Option<Banner>, since: i64) -> impl IntoView {
    let (banner, set_banner) = signal(current);
    Effect::new(move |_| {
        client::subscribe(BREAKING, since, move |data| {
            match client::banner_event(&data) {
                Some(BannerEvent::Start { banner }) => set_banner.set(Some(banner)),
                Some(BannerEvent::End { id }) => set_banner.update(|b| {
                    if b.as_ref().is_some_and(|b| b.id == id) {
                        *b = None;
                    }
                }),
                Some(BannerEvent::Snapshot { banner }) => set_banner.set(banner),
                None => {}
            }
        });
        client::every(10, move || {
            let now = client::now();
            if banner
                .get_untracked()
                .is_some_and(|b| b.ends_at.is_some_and(|t| t <= now))
            {
                set_banner.set(None);
            }
        });
    });
    view! {
        <div class="breaking-slot" aria-live="polite">
            {move || banner.get().map(|banner| view! { <BannerStrip banner/> })}
        </div>
    }
}

/// One event stream per page, shared by its islands: each island says which topic it wants
/// and the stream opens once they all have (on the next tick). If the browser cannot hold a
/// stream, the islands get snapshots from `/live.json` instead, as often as the server says.
mod client {
    use std::{cell::RefCell, rc::Rc};

    use leptos::{
        prelude::*,
        wasm_bindgen::{closure::Closure, JsCast, JsValue},
        web_sys::{EventSource, MessageEvent},
    };

    use crate::live::{Banner, BannerEvent, TickerEntry, TickerEvent, BREAKING, TICKER};

    /// Handlers get the event's parsed JSON. Parsed by the browser and read field by field:
    /// serde's code for these types would cost a reader's phone more than this does.
    type Handler = Rc<dyn Fn(JsValue)>;

    fn get(value: &JsValue, key: &str) -> JsValue {
        js_sys::Reflect::get(value, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
    }

    fn int(value: &JsValue, key: &str) -> Option<i64> {
        get(value, key).as_f64().map(|f| f as i64)
    }

    fn entry(value: &JsValue) -> Option<TickerEntry> {
        Some(TickerEntry {
            id: int(value, "id")?,
            html: get(value, "html").as_string()?,
            expires_at: int(value, "expires_at"),
        })
    }

    fn banner(value: &JsValue) -> Option<Banner> {
        Some(Banner {
            id: int(value, "id")?,
            text: get(value, "text").as_string()?,
            link: get(value, "link").as_string(),
            ends_at: int(value, "ends_at"),
        })
    }

    pub fn ticker_event(data: &JsValue) -> Option<TickerEvent> {
        match get(data, "op").as_string()?.as_str() {
            "upsert" => Some(TickerEvent::Upsert {
                item: entry(&get(data, "item"))?,
            }),
            "remove" => Some(TickerEvent::Remove {
                id: int(data, "id")?,
            }),
            "snapshot" => Some(TickerEvent::Snapshot {
                items: js_sys::Array::from(&get(data, "items"))
                    .iter()
                    .filter_map(|v| entry(&v))
                    .collect(),
            }),
            _ => None,
        }
    }

    pub fn banner_event(data: &JsValue) -> Option<BannerEvent> {
        match get(data, "op").as_string()?.as_str() {
            "start" => Some(BannerEvent::Start {
                banner: banner(&get(data, "banner"))?,
            }),
            "end" => Some(BannerEvent::End {
                id: int(data, "id")?,
            }),
            "snapshot" => Some(BannerEvent::Snapshot {
                banner: banner(&get(data, "banner")),
            }),
            _ => None,
        }
    }

    #[derive(Default)]
    struct Live {
        handlers: Vec<(&'static str, Handler)>,
        /// The oldest event id any island was rendered with.
        since: Option<i64>,
        /// The newest event id received.
        last: Option<i64>,
        pending: bool,
        source: Option<(EventSource, Vec<&'static str>)>,
        polling: bool,
    }

    thread_local! {
        static LIVE: RefCell<Live> = RefCell::default();
    }

    pub fn now() -> i64 {
        (js_sys::Date::now() / 1000.0) as i64
    }

    pub fn every(seconds: u64, f: impl Fn() + 'static) {
        let _ = set_interval_with_handle(f, std::time::Duration::from_secs(seconds));
    }

    /// Islands hydrate one after another: each subscription (re)opens the stream on the next
    /// tick, with every topic asked for so far, resuming after the last event received.
    pub fn subscribe(topic: &'static str, since: i64, handler: impl Fn(JsValue) + 'static) {
        let schedule = LIVE.with_borrow_mut(|live| {
            live.handlers.push((topic, Rc::new(handler)));
            live.since = Some(live.since.map_or(since, |s| s.min(since)));
            !std::mem::replace(&mut live.pending, true)
        });
        if schedule {
            leptos::task::spawn_local(async { connect() });
        }
    }

    fn topics() -> Vec<&'static str> {
        LIVE.with_borrow(|live| {
            let mut topics: Vec<_> = live.handlers.iter().map(|(t, _)| *t).collect();
            topics.sort_unstable();
            topics.dedup();
            topics
        })
    }

    fn dispatch(topic: &str, data: &JsValue) {
        let handlers: Vec<Handler> = LIVE.with_borrow(|live| {
            live.handlers
                .iter()
                .filter(|(t, _)| *t == topic)
                .map(|(_, h)| h.clone())
                .collect()
        });
        for handler in handlers {
            handler(data.clone());
        }
    }

    fn connect() {
        let topics = topics();
        let (since, polling) = LIVE.with_borrow_mut(|live| {
            live.pending = false;
            if let Some((old, old_topics)) = live.source.take() {
                if old_topics == topics {
                    live.source = Some((old, old_topics));
                    return (None, false);
                }
                old.close();
            }
            (Some(live.last.or(live.since).unwrap_or(0)), live.polling)
        });
        let Some(since) = since else { return };
        if polling {
            return;
        }
        let url = format!("/live?onderwerpen={}&sinds={since}", topics.join(","));
        let Ok(source) = EventSource::new(&url) else {
            poll(topics);
            return;
        };
        for topic in topics.iter().copied() {
            let on_event = Closure::<dyn Fn(MessageEvent)>::new(move |ev: MessageEvent| {
                if let Ok(id) = ev.last_event_id().parse::<i64>() {
                    LIVE.with_borrow_mut(|live| live.last = Some(id));
                }
                if let Some(data) = ev.data().as_string() {
                    if let Ok(parsed) = js_sys::JSON::parse(&data) {
                        dispatch(topic, &parsed);
                    }
                }
            });
            let _ = source
                .add_event_listener_with_callback(topic, on_event.into_js_value().unchecked_ref());
        }
        // The browser reconnects by itself (sending Last-Event-ID); only a refused stream closes.
        let on_error = {
            let source = source.clone();
            let topics = topics.clone();
            Closure::<dyn Fn()>::new(move || {
                if source.ready_state() == EventSource::CLOSED {
                    poll(topics.clone());
                }
            })
        };
        source.set_onerror(Some(on_error.into_js_value().unchecked_ref()));
        LIVE.with_borrow_mut(|live| live.source = Some((source, topics)));
    }

    fn poll(topics: Vec<&'static str>) {
        if LIVE.with_borrow_mut(|live| std::mem::replace(&mut live.polling, true)) {
            return;
        }
        leptos::task::spawn_local(async move {
            let url = format!("/live.json?onderwerpen={}", topics.join(","));
            loop {
                let wait = match fetch_snapshot(&url).await {
                    Some(snapshot) => {
                        let as_event = |key: &str| {
                            let event = js_sys::Object::new();
                            let _ = js_sys::Reflect::set(&event, &"op".into(), &"snapshot".into());
                            let _ = js_sys::Reflect::set(&event, &key.into(), &get(&snapshot, key));
                            JsValue::from(event)
                        };
                        // The snapshot names the ticker `ticker` and the banner `breaking`.
                        let ticker = as_event("ticker");
                        let _ = js_sys::Reflect::set(
                            &ticker,
                            &"items".into(),
                            &get(&snapshot, "ticker"),
                        );
                        let breaking = as_event("breaking");
                        let _ = js_sys::Reflect::set(
                            &breaking,
                            &"banner".into(),
                            &get(&snapshot, "breaking"),
                        );
                        dispatch(TICKER, &ticker);
                        dispatch(BREAKING, &breaking);
                        int(&snapshot, "poll_seconds").unwrap_or(15).max(5) as u32
                    }
                    None => 30,
                };
                sleep(wait).await;
            }
        });
    }

    async fn fetch_snapshot(url: &str) -> Option<JsValue> {
        use wasm_bindgen_futures::JsFuture;
        let response = JsFuture::from(window().fetch_with_str(url)).await.ok()?;
        let response: leptos::web_sys::Response = response.dyn_into().ok()?;
        if !response.ok() {
            return None;
        }
        JsFuture::from(response.json().ok()?).await.ok()
    }

    async fn sleep(seconds: u32) {
        let (tx, rx) = futures::channel::oneshot::channel::<()>();
        set_timeout(
            move || {
                let _ = tx.send(());
            },
            std::time::Duration::from_secs(seconds.into()),
        );
        let _ = rx.await;
    }
}
