//! `/redactie/programmering` (editors): what is on air now, each station's week, one-off
//! broadcasts and cancellations, new programmes; new stations for admins. A refused form comes
//! back with what was typed and why, in Dutch.

use leptos::prelude::*;

use super::{query, signed_in, NewsroomShell};
use crate::{
    accounts::Role,
    dates,
    on_air::{ScheduleDesk, Station},
    paths,
};

#[cfg(feature = "ssr")]
use crate::accounts::{auth::authorize, Role as ServerRole};

/// A refused form: which one, its fields as sent, and why.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProgrammingSubmission {
    pub form: String,
    pub fields: Vec<(String, String)>,
    pub error: String,
}

impl ProgrammingSubmission {
    fn value(&self, form: &str, name: &str) -> String {
        if self.form != form {
            return String::new();
        }
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    fn error_of(&self, form: &str) -> Option<String> {
        (self.form == form && !self.error.is_empty()).then(|| self.error.clone())
    }
}

#[server]
pub async fn newsroom_schedule() -> Result<ScheduleDesk, ServerFnError> {
    authorize(ServerRole::Editor)?;
    let state = expect_context::<crate::state::AppState>();
    crate::on_air::store::desk(&state.db, crate::db::now())
        .await
        .map_err(crate::internal("loading the schedule desk"))
}

fn notice(code: &str) -> Option<&'static str> {
    Some(match code {
        "tijdslot" => "Het tijdslot staat in het weekschema.",
        "eenmalig" => "De eenmalige uitzending staat in de gids.",
        "vervalt" => "Die uitzending vervalt.",
        "verwijderd" => "Verwijderd uit het schema.",
        "programma" => "Het programma is aangemaakt.",
        "zender" => "De zender is aangemaakt.",
        _ => return None,
    })
}

#[component]
pub fn ProgrammingPage() -> impl IntoView {
    view! {
        <NewsroomShell min=Role::Editor title="Programmering">
            <Desk/>
        </NewsroomShell>
    }
}

fn station_options(stations: &[Station], chosen: &str) -> impl IntoView {
    stations
        .iter()
        .map(|s| {
            let selected = s.id.to_string() == chosen;
            view! { <option value=s.id selected=selected>{s.name.clone()}</option> }
        })
        .collect_view()
}

#[component]
fn Desk() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| newsroom_schedule());
    let sent = use_context::<ProgrammingSubmission>().unwrap_or_default();
    let admin = signed_in().is_some_and(|u| u.may(Role::Admin));
    let done = notice(&query("gelukt"));
    view! {
        {done.map(|text| view! { <p class="form-notice" role="status">{text}</p> })}
        <Suspense>
            {move || {
                let sent = sent.clone();
                Suspend::new(async move {
                    let Ok(desk) = data.await else {
                        return view! { <p class="form-error">"De programmering kon niet worden geladen."</p> }.into_any();
                    };
                    let programme_options = |chosen: &str| desk.programmes.iter().map(|p| {
                        let station = desk.stations.iter().find(|s| s.id == p.station_id).map(|s| s.name.clone()).unwrap_or_default();
                        let selected = p.id.to_string() == chosen;
                        view! { <option value=p.id selected=selected>{format!("{} ({station})", p.title)}</option> }
                    }).collect_view();
                    let error = |form: &str| sent.error_of(form).map(|text| view! { <p class="form-error" role="alert">{text}</p> });
                    let v = |form: &str, name: &str| sent.value(form, name);
                    view! {
                        <section>
                            <h2>"Nu op de zender"</h2>
                            <ul class="live-items">
                                {desk.on_air.is_empty().then(|| view! { <li>"Niets in het schema op dit moment."</li> })}
                                {desk.on_air.iter().map(|(station, entry)| view! {
                                    <li>
                                        <strong>{station.clone()}</strong> ": "
                                        <a href=paths::PROGRAMME.to(&[&entry.programme_slug])>{entry.programme_title.clone()}</a>
                                        {format!(" ({}–{})", dates::clock(entry.starts_at), dates::clock(entry.ends_at))}
                                    </li>
                                }).collect_view()}
                            </ul>
                        </section>
                        {desk.stations.iter().map(|station| {
                            let slots: Vec<_> = desk.slots.iter().filter(|s| s.station_id == station.id).cloned().collect();
                            let one_offs: Vec<_> = desk.one_offs.iter().filter(|o| o.station_id == station.id).cloned().collect();
                            view! {
                                <section>
                                    <h2>{format!("Weekschema {}", station.name)}</h2>
                                    <table class="newsroom-table">
                                        <thead><tr><th>"Wanneer"</th><th>"Programma"</th><th>"Nummer"</th><th><span class="visually-hidden">"Actie"</span></th></tr></thead>
                                        <tbody>
                                            {slots.into_iter().map(|slot| view! {
                                                <tr>
                                                    <td>{slot.time.text()}</td>
                                                    <td>{slot.programme_title.clone()}</td>
                                                    <td>{slot.id}</td>
                                                    <td>
                                                        <form method="post" action=paths::PROGRAMMING_SLOT_REMOVE.to(&[&slot.id]) class="inline">
                                                            <button type="submit" aria-label=format!("Tijdslot {} {} verwijderen", slot.programme_title, slot.time.text())>"Verwijderen"</button>
                                                        </form>
                                                    </td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                    {(!one_offs.is_empty()).then(|| view! {
                                        <h3>"Eenmalige uitzendingen"</h3>
                                        <ul>
                                            {one_offs.into_iter().map(|o| view! {
                                                <li>
                                                    {format!("{} {}–{}: {} ", dates::weekday_date(o.starts_at), dates::clock(o.starts_at), dates::clock(o.ends_at), o.programme_title)}
                                                    <form method="post" action=paths::PROGRAMMING_ONE_OFF_REMOVE.to(&[&o.id]) class="inline">
                                                        <button type="submit">"Verwijderen"</button>
                                                    </form>
                                                </li>
                                            }).collect_view()}
                                        </ul>
                                    })}
                                </section>
                            }
                        }).collect_view()}

                        <section>
                            <h2 id="tijdslot">"Tijdslot toevoegen"</h2>
                            {error("tijdslot")}
                            <form method="post" action=paths::PROGRAMMING_SLOTS class="stack narrow">
                                <label for="slot-programma">"Programma"</label>
                                <select id="slot-programma" name="programma">{programme_options(&v("tijdslot", "programma"))}</select>
                                <fieldset>
                                    <legend>"Dagen"</legend>
                                    {["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"].into_iter().enumerate().map(|(i, day)| {
                                        let name = format!("dag{}", i + 1);
                                        let checked = !v("tijdslot", &name).is_empty();
                                        view! { <label class="checkbox"><input type="checkbox" name=name value="1" checked=checked/>" " {day}</label> }
                                    }).collect_view()}
                                </fieldset>
                                <label for="slot-begin">"Begin (uu:mm)"</label>
                                <input id="slot-begin" name="begin" inputmode="numeric" placeholder="07:00" value=v("tijdslot", "begin")/>
                                <label for="slot-einde">"Einde (uu:mm; vóór het begin is de volgende dag)"</label>
                                <input id="slot-einde" name="einde" inputmode="numeric" placeholder="09:00" value=v("tijdslot", "einde")/>
                                <button type="submit" class="button-primary">"Toevoegen"</button>
                            </form>
                        </section>

                        <section>
                            <h2 id="eenmalig">"Eenmalige uitzending"</h2>
                            <p>"Gaat voor op wat het weekschema op dat moment zegt."</p>
                            {error("eenmalig")}
                            <form method="post" action=paths::PROGRAMMING_ONE_OFFS class="stack narrow">
                                <label for="eenmalig-programma">"Programma"</label>
                                <select id="eenmalig-programma" name="programma">{programme_options(&v("eenmalig", "programma"))}</select>
                                <label for="eenmalig-datum">"Datum"</label>
                                <input id="eenmalig-datum" name="datum" type="date" value=v("eenmalig", "datum")/>
                                <label for="eenmalig-begin">"Begin (uu:mm)"</label>
                                <input id="eenmalig-begin" name="begin" inputmode="numeric" value=v("eenmalig", "begin")/>
                                <label for="eenmalig-einde">"Einde (uu:mm)"</label>
                                <input id="eenmalig-einde" name="einde" inputmode="numeric" value=v("eenmalig", "einde")/>
                                <button type="submit" class="button-primary">"Inplannen"</button>
                            </form>
                        </section>

                        <section>
                            <h2 id="vervalt">"Uitzending laten vervallen"</h2>
                            {error("vervalt")}
                            <form method="post" action=paths::PROGRAMMING_CANCEL class="stack narrow">
                                <label for="vervalt-slot">"Tijdslot"</label>
                                <select id="vervalt-slot" name="tijdslot">
                                    {desk.slots.iter().map(|slot| {
                                        let station = desk.stations.iter().find(|s| s.id == slot.station_id).map(|s| s.name.clone()).unwrap_or_default();
                                        let selected = slot.id.to_string() == v("vervalt", "tijdslot");
                                        view! { <option value=slot.id selected=selected>{format!("{} – {} ({station})", slot.time.text(), slot.programme_title)}</option> }
                                    }).collect_view()}
                                </select>
                                <label for="vervalt-datum">"Datum"</label>
                                <input id="vervalt-datum" name="datum" type="date" value=v("vervalt", "datum")/>
                                <button type="submit">"Laten vervallen"</button>
                            </form>
                        </section>

                        <section>
                            <h2 id="programma">"Nieuw programma"</h2>
                            {error("programma")}
                            <form method="post" action=paths::PROGRAMMING_PROGRAMMES class="stack narrow">
                                <label for="programma-titel">"Titel"</label>
                                <input id="programma-titel" name="titel" value=v("programma", "titel")/>
                                <label for="programma-adres">"Adres (/programma/…)"</label>
                                <input id="programma-adres" name="adres" value=v("programma", "adres")/>
                                <label for="programma-zender">"Zender"</label>
                                <select id="programma-zender" name="zender">{station_options(&desk.stations, &v("programma", "zender"))}</select>
                                <label for="programma-samenvatting">"Samenvatting (één zin)"</label>
                                <input id="programma-samenvatting" name="samenvatting" value=v("programma", "samenvatting")/>
                                <label for="programma-beschrijving">"Beschrijving (Markdown)"</label>
                                <textarea id="programma-beschrijving" name="beschrijving" rows="6"
                                    inner_html=crate::markup::textarea_html(&v("programma", "beschrijving"))></textarea>
                                <fieldset>
                                    <legend>"Presentatie"</legend>
                                    {desk.authors.iter().map(|(slug, name)| {
                                        let field = format!("presentator-{slug}");
                                        let checked = !v("programma", &field).is_empty();
                                        view! { <label class="checkbox"><input type="checkbox" name=field value="1" checked=checked/>" " {name.clone()}</label> }
                                    }).collect_view()}
                                </fieldset>
                                <button type="submit" class="button-primary">"Programma aanmaken"</button>
                            </form>
                        </section>

                        {admin.then(|| view! {
                            <section>
                                <h2 id="zender">"Nieuwe zender"</h2>
                                {error("zender")}
                                <form method="post" action=paths::PROGRAMMING_STATIONS class="stack narrow">
                                    <label for="zender-naam">"Naam"</label>
                                    <input id="zender-naam" name="naam" value=v("zender", "naam")/>
                                    <label for="zender-adres">"Kort adres (kleine letters en streepjes)"</label>
                                    <input id="zender-adres" name="adres" value=v("zender", "adres")/>
                                    <label for="zender-soort">"Soort"</label>
                                    <select id="zender-soort" name="soort">
                                        <option value="radio">"Radio"</option>
                                        <option value="tv" selected=v("zender", "soort") == "tv">"Tv"</option>
                                    </select>
                                    <label for="zender-stream">"Stream (https://… of http://…)"</label>
                                    <input id="zender-stream" name="stream" type="url" value=v("zender", "stream")/>
                                    <label for="zender-status">"Icecast status-json.xsl (optioneel)"</label>
                                    <input id="zender-status" name="status" type="url" value=v("zender", "status")/>
                                    <button type="submit">"Zender aanmaken"</button>
                                </form>
                            </section>
                        })}
                    }.into_any()
                })
            }}
        </Suspense>
    }
}
