//! Image upload in the editor. Without JavaScript the form posts to `/redactie/media` in a new tab
//! (the article being written stays as it is); with it, the file goes up in the background with a
//! progress bar and its address lands in the article's image field.

use crate::paths;
use leptos::prelude::*;

/// What the reader of the upload box is told.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum UploadState {
    Idle,
    /// Fraction sent, when the browser knows the total.
    Sending(Option<f64>),
    Done(String),
    Failed(String),
}

// Lazy: its code loads only on dashboard pages, not on a reader's phone.
#[island(lazy)]
pub fn ImageUpload() -> impl IntoView {
    let (state, set_state) = signal(UploadState::Idle);
    let input = NodeRef::<leptos::html::Input>::new();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if matches!(state.get_untracked(), UploadState::Sending(_)) {
            return;
        }
        client::upload(input, set_state);
    };
    let percent = move || match state.get() {
        UploadState::Sending(Some(f)) => Some((f * 100.0).round().to_string()),
        UploadState::Done(_) => Some("100".to_string()),
        _ => None,
    };
    let message = move || match state.get() {
        UploadState::Idle => String::new(),
        UploadState::Sending(_) => "Bezig met uploaden…".into(),
        UploadState::Done(src) => format!(
            "Geüpload. Het adres {src} staat nu bij ‘Adres van de afbeelding’; vul de alt-tekst in."
        ),
        UploadState::Failed(message) => message,
    };
    view! {
        <form method="post" action=paths::MEDIA enctype="multipart/form-data" target="_blank"
            class="stack narrow" on:submit=on_submit>
            <label for="bestand">"JPEG, PNG of WebP, hoogstens 10 MB"</label>
            <input id="bestand" name="bestand" type="file" accept="image/jpeg,image/png,image/webp"
                required node_ref=input/>
            <button type="submit">"Uploaden"</button>
            <progress max="100" value=percent hidden=move || state.get() == UploadState::Idle
                aria-label="Voortgang van het uploaden"></progress>
            <p aria-live="polite" class=move || match state.get() {
                UploadState::Failed(_) => "field-error",
                _ => "upload-status",
            }>{message}</p>
        </form>
    }
}

mod client {
    use leptos::{
        prelude::*,
        wasm_bindgen::{closure::Closure, JsCast, JsValue},
        web_sys::{self, FormData, HtmlInputElement, ProgressEvent, XmlHttpRequest},
    };

    use super::UploadState;
    use crate::media::{too_large_message, MAX_UPLOAD_BYTES};

    const NO_CONNECTION: &str =
        "Uploaden mislukt: geen verbinding met de server. Probeer het opnieuw.";

    pub fn upload(input: NodeRef<leptos::html::Input>, set_state: WriteSignal<UploadState>) {
        let Some(file) = input
            .get_untracked()
            .and_then(|i| i.files())
            .and_then(|files| files.get(0))
        else {
            set_state.set(UploadState::Failed(
                "Kies eerst een afbeelding om te uploaden.".into(),
            ));
            return;
        };
        // No point sending 50 MB over a phone connection to be told it is too big.
        if file.size() > MAX_UPLOAD_BYTES as f64 {
            set_state.set(UploadState::Failed(too_large_message()));
            return;
        }
        if send(&file, set_state).is_err() {
            set_state.set(UploadState::Failed(NO_CONNECTION.into()));
        }
    }

    fn send(file: &web_sys::File, set_state: WriteSignal<UploadState>) -> Result<(), JsValue> {
        let data = FormData::new()?;
        data.append_with_blob_and_filename("bestand", file, &file.name())?;
        let xhr = XmlHttpRequest::new()?;
        xhr.open_with_async("POST", crate::paths::MEDIA, true)?;
        xhr.set_request_header("Accept", "application/json")?;
        let progress = Closure::<dyn FnMut(ProgressEvent)>::new(move |ev: ProgressEvent| {
            let fraction = ev
                .length_computable()
                .then(|| ev.loaded() / ev.total().max(1.0));
            set_state.set(UploadState::Sending(fraction));
        });
        xhr.upload()?
            .set_onprogress(Some(progress.into_js_value().unchecked_ref()));
        let done = {
            let xhr = xhr.clone();
            Closure::<dyn FnMut()>::new(move || set_state.set(outcome(&xhr)))
        };
        xhr.set_onload(Some(done.into_js_value().unchecked_ref()));
        let failed = Closure::<dyn FnMut()>::new(move || {
            set_state.set(UploadState::Failed(NO_CONNECTION.into()))
        });
        xhr.set_onerror(Some(failed.into_js_value().unchecked_ref()));
        set_state.set(UploadState::Sending(Some(0.0)));
        xhr.send_with_opt_form_data(Some(&data))
    }

    /// Reads `{"src": …}` or `{"fout": …}`; on success fills in the article's image field.
    fn outcome(xhr: &XmlHttpRequest) -> UploadState {
        let body = xhr
            .response_text()
            .ok()
            .flatten()
            .and_then(|text| js_sys::JSON::parse(&text).ok());
        let field = |name: &str| {
            body.as_ref()
                .and_then(|b| js_sys::Reflect::get(b, &JsValue::from_str(name)).ok())
                .and_then(|v| v.as_string())
        };
        if let Some(src) = field("src") {
            fill_image_field(&src);
            return UploadState::Done(src);
        }
        UploadState::Failed(field("fout").unwrap_or_else(|| {
            format!(
                "Uploaden mislukt (status {}). Probeer het opnieuw.",
                xhr.status().unwrap_or(0)
            )
        }))
    }

    fn fill_image_field(src: &str) {
        let Some(field) = document()
            .get_element_by_id("beeld_src")
            .and_then(|el| el.dyn_into::<HtmlInputElement>().ok())
        else {
            return;
        };
        field.set_value(src);
        // Tell the preview, which listens for edits, that the field changed.
        let init = web_sys::EventInit::new();
        init.set_bubbles(true);
        if let Ok(event) = web_sys::Event::new_with_event_init_dict("input", &init) {
            let _ = field.dispatch_event(&event);
        }
    }
}
