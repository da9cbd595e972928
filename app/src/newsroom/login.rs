use crate::paths;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use super::{query, signed_in};

/// `/redactie/inloggen`: a plain form that posts to the server, with or without JavaScript.
#[component]
pub fn LoginPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    super::no_store();
    if signed_in().is_some() {
        #[cfg(feature = "ssr")]
        super::redirect_page(paths::NEWSROOM);
    }
    let error = match query("fout").as_str() {
        "onjuist" => Some(
            "Dit e-mailadres en wachtwoord horen niet bij elkaar. Controleer ze en probeer het opnieuw."
                .to_string(),
        ),
        "geblokkeerd" => Some(format!(
            "Te veel mislukte pogingen. Probeer het over {} minuten opnieuw.",
            query("minuten").parse::<u32>().unwrap_or(1)
        )),
        _ => None,
    };
    let logged_out = query("uitgelogd") == "1";
    view! {
        <Title text="Inloggen – Redactie"/>
        <Meta name="robots" content="noindex, nofollow"/>
        <section class="login">
            <h1 class="page-title">"Inloggen voor de redactie"</h1>
            {logged_out.then(|| view! { <p class="notice" role="status">"Je bent uitgelogd."</p> })}
            {error.map(|e| view! { <p class="form-error" role="alert" id="login-fout">{e}</p> })}
            <form method="post" action=paths::LOGIN class="stack">
                <input type="hidden" name="volgende" value=query("volgende")/>
                <label for="email">"E-mailadres"</label>
                <input id="email" name="email" type="email" autocomplete="username" required
                    value=query("email")/>
                <label for="wachtwoord">"Wachtwoord"</label>
                <input id="wachtwoord" name="wachtwoord" type="password"
                    autocomplete="current-password" required/>
                <button type="submit" class="button-primary">"Inloggen"</button>
            </form>
        </section>
    }
}
