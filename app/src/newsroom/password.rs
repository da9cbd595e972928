use leptos::prelude::*;

use super::{query, NewsroomShell};
use crate::accounts::{Role, MIN_PASSWORD_CHARS};

/// `/redactie/wachtwoord`: change your own password.
#[component]
pub fn PasswordPage() -> impl IntoView {
    let error = match query("fout").as_str() {
        "huidig" => Some("Je huidige wachtwoord klopt niet.".to_string()),
        "kort" => Some(format!(
            "Een wachtwoord heeft minstens {MIN_PASSWORD_CHARS} tekens."
        )),
        "lang" => Some("Dit wachtwoord is te lang.".to_string()),
        "verschil" => Some("De twee nieuwe wachtwoorden zijn niet gelijk.".to_string()),
        _ => None,
    };
    let changed = query("gewijzigd") == "1";
    view! {
        <NewsroomShell min=Role::Contributor title="Wachtwoord wijzigen">
            {changed.then(|| view! { <p class="notice" role="status">"Je wachtwoord is gewijzigd. Je andere sessies zijn beëindigd."</p> })}
            {error.clone().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
            <form method="post" action="/redactie/wachtwoord" class="stack narrow">
                <label for="huidig">"Huidig wachtwoord"</label>
                <input id="huidig" name="huidig" type="password" autocomplete="current-password" required/>
                <label for="nieuw">"Nieuw wachtwoord (minstens " {MIN_PASSWORD_CHARS} " tekens)"</label>
                <input id="nieuw" name="nieuw" type="password" autocomplete="new-password" required
                    minlength=MIN_PASSWORD_CHARS.to_string()/>
                <label for="herhaal">"Nieuw wachtwoord nog een keer"</label>
                <input id="herhaal" name="herhaal" type="password" autocomplete="new-password" required/>
                <button type="submit" class="button-primary">"Wachtwoord wijzigen"</button>
            </form>
        </NewsroomShell>
    }
}
