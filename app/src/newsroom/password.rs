use crate::paths;
use leptos::either::Either;
use leptos::prelude::*;

use super::{data::my_sessions, query, NewsroomShell};
use crate::accounts::{Role, MIN_PASSWORD_CHARS};

/// `/redactie/wachtwoord`: change your own password, see where you are signed in and end the
/// sessions you do not recognise.
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
            <form method="post" action=paths::PASSWORD class="stack narrow">
                <label for="huidig">"Huidig wachtwoord"</label>
                <input id="huidig" name="huidig" type="password" autocomplete="current-password" required/>
                <label for="nieuw">"Nieuw wachtwoord (minstens " {MIN_PASSWORD_CHARS} " tekens)"</label>
                <input id="nieuw" name="nieuw" type="password" autocomplete="new-password" required
                    minlength=MIN_PASSWORD_CHARS.to_string()/>
                <label for="herhaal">"Nieuw wachtwoord nog een keer"</label>
                <input id="herhaal" name="herhaal" type="password" autocomplete="new-password" required/>
                <button type="submit" class="button-primary">"Wachtwoord wijzigen"</button>
            </form>
            <Sessions/>
        </NewsroomShell>
    }
}

#[component]
fn Sessions() -> impl IntoView {
    let mine = Resource::new_blocking(|| (), |_| my_sessions());
    let notice = match query("sessies").as_str() {
        "beeindigd" => Some("De sessie is beëindigd."),
        "andere" => Some("Je andere sessies zijn beëindigd."),
        "onbekend" => Some("Die sessie bestaat niet meer."),
        _ => None,
    };
    view! {
        <h2 id="sessies">"Waar je bent ingelogd"</h2>
        <p class="hint">"Een sessie eindigt na 30 dagen, of na 12 uur zonder gebruik."</p>
        {notice.map(|text| view! { <p class="notice" role="status">{text}</p> })}
        <Suspense>
            {move || Suspend::new(async move {
                match mine.await {
                    Ok(mine) => {
                        let others = mine.sessions.len() > 1;
                        Either::Left(view! {
                            <table class="newsroom-table sessions">
                                <thead><tr><th>"Apparaat"</th><th>"Ingelogd"</th><th>"Laatst gebruikt"</th><th><span class="visually-hidden">"Actie"</span></th></tr></thead>
                                <tbody>
                                    {mine.sessions.into_iter().map(|session| {
                                        let this_one = mine.current.as_deref() == Some(session.handle.as_str());
                                        let action = paths::SESSION_END.to(&[&session.handle]);
                                        view! {
                                            <tr>
                                                <td>{session.device.clone()}{this_one.then(|| view! { <strong>" (dit apparaat)"</strong> })}</td>
                                                <td>{crate::dates::long_datetime(session.created_at)}</td>
                                                <td>{crate::dates::long_datetime(session.last_seen_at)}</td>
                                                <td>
                                                    {(!this_one).then(|| view! {
                                                        <form method="post" action=action class="inline">
                                                            <button type="submit">"Beëindigen"</button>
                                                        </form>
                                                    })}
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                            {others.then(|| view! {
                                <form method="post" action=paths::OTHER_SESSIONS_END>
                                    <button type="submit">"Alle andere sessies beëindigen"</button>
                                </form>
                            })}
                        })
                    }
                    Err(_) => Either::Right(view! {
                        <p class="form-error" role="alert">"Je sessies konden niet worden geladen."</p>
                    }),
                }
            })}
        </Suspense>
    }
}
