use crate::paths;
use leptos::{either::Either, prelude::*};

use super::{newsroom_users, query, NewsroomShell};
use crate::accounts::{Role, MIN_PASSWORD_CHARS};

/// `/redactie/gebruikers` (admin): create users, change roles, reset passwords, disable.
#[component]
pub fn UsersPage() -> impl IntoView {
    view! {
        <NewsroomShell min=Role::Admin title="Gebruikers">
            <Users/>
        </NewsroomShell>
    }
}

fn message(code: &str) -> Option<(&'static str, &'static str)> {
    Some(match code {
        "aangemaakt" => ("notice", "De gebruiker is aangemaakt."),
        "opgeslagen" => ("notice", "Opgeslagen."),
        "email" => ("form-error", "Dit lijkt geen geldig e-mailadres."),
        "bestaat" => ("form-error", "Er is al een gebruiker met dit e-mailadres."),
        "naam" => ("form-error", "Vul een naam in."),
        "wachtwoord" => ("form-error", "Een wachtwoord heeft minstens 12 tekens."),
        "zelf" => (
            "form-error",
            "Je kunt je eigen rol of account hier niet wijzigen.",
        ),
        _ => return None,
    })
}

#[component]
fn Users() -> impl IntoView {
    let users = Resource::new_blocking(|| (), |_| newsroom_users());
    let role_options = move |current: Role| {
        Role::ALL
            .into_iter()
            .map(|role| view! {
                <option value=role.as_str() selected=(role == current).then_some("selected")>{role.label()}</option>
            })
            .collect_view()
    };
    view! {
        {message(&query("melding")).map(|(class, text)| view! { <p class=class role="status">{text}</p> })}
        <h2>"Nieuwe gebruiker"</h2>
        <form method="post" action=paths::USERS class="stack narrow">
            <label for="nieuw-email">"E-mailadres"</label>
            <input id="nieuw-email" name="email" type="email" required/>
            <label for="nieuw-naam">"Naam (staat boven artikelen)"</label>
            <input id="nieuw-naam" name="naam" required/>
            <label for="nieuw-rol">"Rol"</label>
            <select id="nieuw-rol" name="rol">{role_options(Role::Contributor)}</select>
            <label for="nieuw-wachtwoord">"Wachtwoord (minstens " {MIN_PASSWORD_CHARS} " tekens)"</label>
            <input id="nieuw-wachtwoord" name="wachtwoord" type="password" autocomplete="new-password" required/>
            <button type="submit" class="button-primary">"Gebruiker aanmaken"</button>
        </form>
        <h2>"Alle gebruikers"</h2>
        <Suspense>
            {move || Suspend::new(async move {
                match users.await {
                    Ok(list) => Either::Left(view! {
                        <table class="newsroom-table">
                            <thead><tr><th>"Naam"</th><th>"E-mail"</th><th>"Rol"</th><th>"Account"</th><th>"Nieuw wachtwoord"</th></tr></thead>
                            <tbody>
                                {list.into_iter().map(|entry| {
                                    let action = paths::USER.to(&[&entry.user.id]);
                                    view! {
                                        <tr>
                                            <td>{entry.user.display_name.clone()}</td>
                                            <td>{entry.user.email.clone()}</td>
                                            <td>
                                                <form method="post" action=action.clone() class="inline">
                                                    <input type="hidden" name="actie" value="rol"/>
                                                    <select name="rol" aria-label="Rol">{role_options(entry.user.role)}</select>
                                                    <button type="submit">"Opslaan"</button>
                                                </form>
                                            </td>
                                            <td>
                                                <form method="post" action=action.clone() class="inline">
                                                    <input type="hidden" name="actie"
                                                        value=if entry.disabled { "inschakelen" } else { "uitschakelen" }/>
                                                    {if entry.disabled { "Uitgeschakeld " } else { "Actief " }}
                                                    <button type="submit">{if entry.disabled { "Inschakelen" } else { "Uitschakelen" }}</button>
                                                </form>
                                            </td>
                                            <td>
                                                <form method="post" action=action class="inline">
                                                    <input type="hidden" name="actie" value="wachtwoord"/>
                                                    <input type="password" name="wachtwoord" autocomplete="new-password"
                                                        aria-label="Nieuw wachtwoord"/>
                                                    <button type="submit">"Instellen"</button>
                                                </form>
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    }),
                    Err(_) => Either::Right(view! { <p class="form-error">"De gebruikers konden niet worden geladen."</p> }),
                }
            })}
        </Suspense>
    }
}
