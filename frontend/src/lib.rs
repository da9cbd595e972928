//! The browser entry: hydrates the islands on a server-rendered page, nothing else.

// Linking `app` is what brings the islands into this bundle.
#[allow(unused_imports)]
use app::*;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
