//! On air: the schedule's rules against the database, the guide with the current broadcast
//! marked (and kept fresh by the page cache), programme pages, and the guide as iCalendar.

use app::on_air::{schedule::WeeklySlot, store};
use chrono::TimeZone;
use chrono_tz::Europe::Amsterdam;
use reqwest::StatusCode;

use crate::helpers::*;

async fn ids(app: &TestApp, programme: &str) -> (i64, i64) {
    sqlx::query_as("SELECT station_id, id FROM programmes WHERE slug = $1")
        .bind(programme)
        .fetch_one(app.db.pool())
        .await
        .unwrap()
}

fn local(text: &str) -> i64 {
    let naive = chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap();
    Amsterdam
        .from_local_datetime(&naive)
        .earliest()
        .unwrap()
        .timestamp()
}

fn utc(text: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(text)
        .unwrap()
        .timestamp()
}

async fn slugs_between(app: &TestApp, from: i64, to: i64) -> Vec<(String, i64, i64, bool)> {
    let titles = store::programme_titles(&app.db).await.unwrap();
    store::broadcasts(&app.db, from, to)
        .await
        .unwrap()
        .into_iter()
        .map(|o| {
            (
                titles[&o.programme_id].0.clone(),
                o.starts_at,
                o.ends_at,
                o.one_off,
            )
        })
        .collect()
}

async fn overlapping_slots_are_refused_and_say_with_what(engine: Engine) {
    let app = spawn_app(engine).await;
    let (radio, vandaag) = ids(&app, "lindewijk-vandaag").await;
    let at = |weekday, start_minute, length_minutes| WeeklySlot {
        id: 0,
        station_id: radio,
        programme_id: vandaag,
        weekday,
        start_minute,
        length_minutes,
    };
    let err = store::add_weekly_slot(&app.db, &at(1, 9 * 60, 60), db_now())
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "Dit overlapt met Goedemorgen Lindewijk (maandag 07:00–10:00) op dezelfde zender."
    );
    // Sunday night's Nachtwacht runs into Monday.
    let err = store::add_weekly_slot(&app.db, &at(1, 60, 30), db_now())
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("Nachtwacht (zondag 23:00–02:00)"),
        "{err}"
    );
    // Another station's evening is free; so is a free hour here.
    store::add_weekly_slot(&app.db, &at(3, 20 * 60, 60), db_now())
        .await
        .unwrap();
    let (tv, journaal) = ids(&app, "tv-lindewijk-journaal").await;
    let err = store::add_one_off(&app.db, tv, journaal, 100, 100, db_now())
        .await
        .unwrap_err();
    assert_eq!(err.to_string(), "Het einde moet na het begin liggen.");
    let err = store::add_one_off(&app.db, tv, vandaag, 100, 200, db_now())
        .await
        .unwrap_err();
    assert_eq!(err.to_string(), "Die zender of dat programma bestaat niet.");
}

async fn a_one_off_takes_the_place_of_the_week_and_a_cancellation_takes_one_out(engine: Engine) {
    let app = spawn_app(engine).await;
    let (radio, uit) = ids(&app, "uit-in-lindewijk").await;
    // Monday 14 June 2027: Lindewijk Vandaag at noon, as every weekday.
    let (from, to) = (local("2027-06-14 11:00"), local("2027-06-14 14:00"));
    let before = slugs_between(&app, from, to).await;
    assert_eq!(
        before,
        vec![(
            "lindewijk-vandaag".into(),
            local("2027-06-14 12:00"),
            local("2027-06-14 13:00"),
            false
        )]
    );
    store::add_one_off(
        &app.db,
        radio,
        uit,
        local("2027-06-14 11:30"),
        local("2027-06-14 12:30"),
        db_now(),
    )
    .await
    .unwrap();
    let after = slugs_between(&app, from, to).await;
    assert_eq!(
        after,
        vec![(
            "uit-in-lindewijk".into(),
            local("2027-06-14 11:30"),
            local("2027-06-14 12:30"),
            true
        )]
    );
    // The week after is as the week says.
    let next = slugs_between(&app, local("2027-06-21 11:00"), local("2027-06-21 14:00")).await;
    assert_eq!(next[0].0, "lindewijk-vandaag");
    let slot: i64 = sqlx::query_scalar(
        "SELECT s.id FROM weekly_slots s JOIN programmes p ON p.id = s.programme_id \
         WHERE p.slug = 'lindewijk-vandaag' AND s.weekday = 1",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    store::cancel(&app.db, slot, "2027-06-21".parse().unwrap(), db_now())
        .await
        .unwrap();
    assert!(
        slugs_between(&app, local("2027-06-21 11:00"), local("2027-06-21 14:00"))
            .await
            .is_empty()
    );
}

async fn slots_across_midnight_and_the_dst_change_keep_their_local_times(engine: Engine) {
    let app = spawn_app(engine).await;
    // Saturday 24 October 2026, the night the clocks go back: Nachtwacht 23:00–02:00 local
    // is 21:00 UTC (summer time) until 02:00 summer time, the first of the two.
    let night = slugs_between(
        &app,
        utc("2026-10-24T20:00:00Z"),
        utc("2026-10-25T06:00:00Z"),
    )
    .await;
    let nachtwacht: Vec<_> = night.iter().filter(|b| b.0 == "nachtwacht").collect();
    assert_eq!(nachtwacht.len(), 1, "{night:?}");
    assert_eq!(nachtwacht[0].1, utc("2026-10-24T21:00:00Z"));
    assert_eq!(nachtwacht[0].2, utc("2026-10-25T00:00:00Z"));
    // Sunday night it is winter time: 23:00 local is 22:00 UTC.
    let sunday = slugs_between(
        &app,
        utc("2026-10-25T21:00:00Z"),
        utc("2026-10-26T06:00:00Z"),
    )
    .await;
    let b = sunday.iter().find(|b| b.0 == "nachtwacht").unwrap();
    assert_eq!(
        (b.1, b.2),
        (utc("2026-10-25T22:00:00Z"), utc("2026-10-26T01:00:00Z"))
    );
    assert_eq!(app::dates::clock(b.1), "23:00");
    // Monday after midnight, the broadcast that began on Sunday is what is on.
    let early = slugs_between(
        &app,
        utc("2026-10-26T00:30:00Z"),
        utc("2026-10-26T00:31:00Z"),
    )
    .await;
    assert_eq!(early.len(), 1);
    assert_eq!(early[0].0, "nachtwacht");
}

async fn the_guide_marks_what_is_on_now_and_changes_when_the_schedule_does(engine: Engine) {
    let app = spawn_app(engine).await;
    let now = db_now();
    let (radio, uit) = ids(&app, "uit-in-lindewijk").await;
    let guide = app.get("/gids").await;
    assert_eq!(guide.status(), StatusCode::OK);
    let html = guide.text().await.unwrap();
    assert!(html.contains("<h2 id=\"gids-radio-lindewijk\">Radio Lindewijk</h2>"));
    assert!(html.contains("<h2 id=\"gids-tv-lindewijk\">TV Lindewijk</h2>"));
    assert!(html.contains("RadioBroadcastService") && html.contains("BroadcastEvent"));
    // An extra broadcast from ten minutes ago to an hour from now: the page kept before shows
    // it at the next request, marked as on air now.
    store::add_one_off(&app.db, radio, uit, now - 600, now + 3600, now)
        .await
        .unwrap();
    let page = app.get("/gids").await.text().await.unwrap();
    let radio_at = page.find("id=\"gids-radio-lindewijk\"").unwrap();
    let tv_at = page.find("id=\"gids-tv-lindewijk\"").unwrap();
    let html = &page[radio_at..tv_at];
    let current = html
        .find("aria-current=\"time\"")
        .expect("a broadcast marked as on air now");
    let item = &html[current..current + 600];
    assert!(
        item.contains("Uit in Lindewijk") && item.contains("Nu"),
        "{item}"
    );
    assert!(item.contains("Extra uitzending"));
    assert_eq!(
        html.matches("aria-current=\"time\"").count(),
        1,
        "one at a time on radio"
    );
    // The pages' version moves on when that broadcast ends.
    let next = app::freshness::next_change(&app.db, now, None)
        .await
        .unwrap();
    assert!(next.is_some_and(|t| t <= now + 3600), "{next:?}");

    let week = app.get("/gids?dag=week").await.text().await.unwrap();
    assert!(
        week.matches(">Nachtwacht</a>").count() >= 7,
        "every night of the week"
    );
    let tomorrow = app.get("/gids?dag=morgen").await.text().await.unwrap();
    assert!(tomorrow.contains("aria-current=\"page\">Morgen</a>"));
    assert!(
        !tomorrow.contains("aria-current=\"time\""),
        "nothing is on tomorrow yet"
    );
}

async fn a_programme_page_names_presenters_times_and_next_broadcasts(engine: Engine) {
    let app = spawn_app(engine).await;
    let r = app.get("/programma/goedemorgen-lindewijk").await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(html.contains("<h1 class=\"page-title\">Goedemorgen Lindewijk</h1>"));
    assert!(html.contains("href=\"/auteur/joost-brinkhorst\">Joost Brinkhorst</a>"));
    for day in ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag"] {
        assert!(
            html.contains(&format!("<li>{day} 07:00–10:00</li>")),
            "{day}"
        );
    }
    assert!(html.contains("RadioSeries") && html.contains("\"startDate\""));
    assert!(
        html.contains("href=\"/tip\""),
        "the description's Markdown rendered"
    );
    let tv = app
        .get("/programma/tv-lindewijk-journaal")
        .await
        .text()
        .await
        .unwrap();
    assert!(tv.contains("TVSeries"));
    assert_eq!(
        app.get("/programma/bestaat-niet").await.status(),
        StatusCode::NOT_FOUND
    );
}

async fn the_guide_as_icalendar_parses_with_a_week_of_broadcasts(engine: Engine) {
    let app = spawn_app(engine).await;
    let r = app.get("/gids.ics").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "text/calendar; charset=utf-8");
    let text = r.text().await.unwrap();
    let calendar: icalendar::Calendar = text.parse().expect("a calendar apps can read");
    let events: Vec<&icalendar::Event> = calendar
        .components
        .iter()
        .filter_map(|c| c.as_event())
        .collect();
    let now = db_now();
    let expected = store::broadcasts(&app.db, now, now + 7 * 86_400)
        .await
        .unwrap();
    assert!(
        expected.len() >= 33,
        "a week of broadcasts: {}",
        expected.len()
    );
    // A broadcast may start or end between the request and this count.
    assert!(
        events.len().abs_diff(expected.len()) <= 1,
        "{} events",
        events.len()
    );
    use icalendar::Component;
    let journaal = events
        .iter()
        .find(|e| e.get_summary() == Some("TV Lindewijk Journaal (TV Lindewijk)"))
        .expect("the evening news");
    assert!(journaal.get_start().is_some() && journaal.get_end().is_some());
    assert!(journaal
        .get_url()
        .is_some_and(|u| u.ends_with("/programma/tv-lindewijk-journaal")));
    let uids: std::collections::HashSet<_> = events.iter().filter_map(|e| e.get_uid()).collect();
    assert_eq!(uids.len(), events.len(), "every event its own UID");
}

async fn editors_plan_the_week_in_the_newsroom_and_refusals_keep_what_was_typed(engine: Engine) {
    let app = spawn_app(engine).await;
    let editor = app.signed_in(DEMO_EDITOR, DEMO_PASSWORD).await;
    let desk = app.page(&editor, "/redactie/programmering").await;
    assert!(
        desk.contains("Weekschema Radio Lindewijk") && desk.contains("Weekschema TV Lindewijk")
    );
    assert!(!desk.contains("Nieuwe zender"), "stations are for admins");
    let (radio, uit) = ids(&app, "uit-in-lindewijk").await;
    let (_, vandaag) = ids(&app, "lindewijk-vandaag").await;
    let slots = |app: &TestApp| {
        let pool = app.db.pool().clone();
        async move {
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM weekly_slots")
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    let before = slots(&app).await;
    let uit_id = uit.to_string();
    let r = app
        .post_form(
            &editor,
            "/redactie/programmering/tijdsloten",
            &[
                ("programma", uit_id.as_str()),
                ("dag3", "1"),
                ("dag4", "1"),
                ("begin", "20:00"),
                ("einde", "21:00"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(slots(&app).await, before + 2, "wednesday and thursday");

    let vandaag_id = vandaag.to_string();
    let r = app
        .post_form(
            &editor,
            "/redactie/programmering/tijdsloten",
            &[
                ("programma", vandaag_id.as_str()),
                ("dag1", "1"),
                ("dag7", "1"),
                ("begin", "09:00"),
                ("einde", "09:30"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let html = r.text().await.unwrap();
    assert!(html.contains(
        "Dit overlapt met Goedemorgen Lindewijk (maandag 07:00–10:00) op dezelfde zender."
    ));
    assert!(
        html.contains("value=\"09:00\"") && html.contains("value=\"09:30\""),
        "typed times kept"
    );
    assert_eq!(
        slots(&app).await,
        before + 2,
        "all or none: not even Sunday's"
    );

    let r = app
        .post_form(
            &editor,
            "/redactie/programmering/tijdsloten",
            &[
                ("programma", vandaag_id.as_str()),
                ("dag2", "1"),
                ("begin", "25:00"),
                ("einde", "26:00"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("Vul de begintijd in als uu:mm"));

    let r = app
        .post_form(
            &editor,
            "/redactie/programmering/eenmalig",
            &[
                ("programma", uit_id.as_str()),
                ("datum", "2027-06-14"),
                ("begin", "11:30"),
                ("einde", "12:30"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let day = slugs_between(&app, local("2027-06-14 11:00"), local("2027-06-14 14:00")).await;
    assert_eq!(day[0].0, "uit-in-lindewijk");

    let slot: i64 = sqlx::query_scalar(
        "SELECT id FROM weekly_slots WHERE programme_id = $1 AND weekday = 3 AND start_minute = 1200",
    )
    .bind(uit)
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    let slot_id = slot.to_string();
    // Not the day it starts: refused, not silently ignored.
    let r = app
        .post_form(
            &editor,
            "/redactie/programmering/vervalt",
            &[("tijdslot", slot_id.as_str()), ("datum", "2027-06-17")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("Op die datum begint dit tijdslot niet"));
    let r = app
        .post_form(
            &editor,
            "/redactie/programmering/eenmalig",
            &[
                ("programma", uit_id.as_str()),
                ("datum", "+262142-12-31"),
                ("begin", "23:00"),
                ("einde", "01:00"),
            ],
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "a date out of range"
    );
    assert!(r.text().await.unwrap().contains("Kies een datum."));
    let r = app
        .post_form(
            &editor,
            "/redactie/programmering/vervalt",
            &[("tijdslot", slot_id.as_str()), ("datum", "2027-06-16")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(
        slugs_between(&app, local("2027-06-16 19:30"), local("2027-06-16 21:30"))
            .await
            .is_empty()
    );
    let r = app
        .post_form(
            &editor,
            &format!("/redactie/programmering/tijdsloten/{slot}/verwijderen"),
            &[("x", "")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(slots(&app).await, before + 1);

    let radio_id = radio.to_string();
    let r = app
        .post_form(
            &editor,
            "/redactie/programmering/programmas",
            &[
                ("titel", "Wijkwerk"),
                ("adres", "wijkwerk"),
                ("zender", radio_id.as_str()),
                ("samenvatting", "Buurtinitiatieven uit de dorpen."),
                ("beschrijving", "Elke week **een andere wijk**."),
                ("presentator-ravi-doelman", "1"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = app.get("/programma/wijkwerk").await.text().await.unwrap();
    assert!(page.contains("<strong>een andere wijk</strong>") && page.contains("Ravi Doelman"));
    let r = app
        .post_form(
            &editor,
            "/redactie/programmering/programmas",
            &[
                ("titel", "Dubbel"),
                ("adres", "wijkwerk"),
                ("zender", radio_id.as_str()),
                ("samenvatting", "Nog een."),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);

    // Stations are the admins'; contributors plan nothing.
    let station = [
        ("naam", "Radio Meerveld"),
        ("adres", "radio-meerveld"),
        ("soort", "radio"),
        ("stream", "https://stream.example/meerveld.mp3"),
        ("status", ""),
    ];
    let r = app
        .post_form(&editor, "/redactie/programmering/zenders", &station)
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let admin = signed_in_admin(&app).await;
    let r = app
        .post_form(&admin, "/redactie/programmering/zenders", &station)
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = app
        .post_form(&admin, "/redactie/programmering/zenders", &station)
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let contributor = app.signed_in(DEMO_CONTRIBUTOR, DEMO_PASSWORD).await;
    let r = app
        .post_form(
            &contributor,
            "/redactie/programmering/tijdsloten",
            &[
                ("programma", uit_id.as_str()),
                ("dag5", "1"),
                ("begin", "20:00"),
                ("einde", "21:00"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = contributor
        .get(app.url("/redactie/programmering"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    // The overview says what is on air now.
    let now = db_now();
    store::add_one_off(&app.db, radio, uit, now - 60, now + 600, now)
        .await
        .unwrap();
    let overview = app.page(&editor, "/redactie").await;
    assert!(overview.contains("Nu op Radio Lindewijk"), "{overview}");
}

/// A status document as Icecast 2.4.4 writes it for two mounts.
fn icecast_status(title: &str) -> String {
    format!(
        r#"{{"icestats":{{"admin":"icemaster@localhost","host":"localhost","server_id":"Icecast 2.4.4","source":[{{"listenurl":"http://localhost:8000/tv/lindewijk.ogg","server_name":"TV Lindewijk","title":"Journaal"}},{{"audio_info":"channels=2;samplerate=44100;bitrate=128","listeners":2,"listenurl":"http://localhost:8000/lindewijk.mp3","server_name":"Radio Lindewijk","server_type":"audio/mpeg","title":"{title}","dummy":null}}]}}}}"#
    )
}

async fn now_playing_is_read_from_the_stations_icecast_status(engine: Engine) {
    let app = spawn_app(engine).await;
    let document = std::sync::Arc::new(std::sync::Mutex::new(icecast_status(
        "De Lindewijkers - Zomer aan de Vaart",
    )));
    let served = document.clone();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let status_url = format!("http://{}/status-json.xsl", listener.local_addr().unwrap());
    let icecast = axum::Router::new().route(
        "/status-json.xsl",
        axum::routing::get(move || {
            let body = served.lock().unwrap().clone();
            async move { ([("content-type", "application/json")], body) }
        }),
    );
    let server = tokio::spawn(async move { axum::serve(listener, icecast).await });
    let (radio, uit) = ids(&app, "uit-in-lindewijk").await;
    sqlx::query("UPDATE stations SET status_url = $1 WHERE id = $2")
        .bind(&status_url)
        .bind(radio)
        .execute(app.db.pool())
        .await
        .unwrap();
    let now = db_now();
    store::add_one_off(&app.db, radio, uit, now - 60, now + 3600, now)
        .await
        .unwrap();
    let before = app.get("/gids").await.text().await.unwrap();
    assert!(!before.contains("Nu speelt"));

    server::on_air::poll_once(&app.state).await;
    let guide = app.get("/gids").await.text().await.unwrap();
    assert!(
        guide.contains("Nu speelt: De Lindewijkers - Zomer aan de Vaart"),
        "the kept guide is a new version"
    );
    *document.lock().unwrap() = icecast_status("Fanfare Meerveld - Mars van de Vaart");
    server::on_air::poll_once(&app.state).await;
    let guide = app.get("/gids").await.text().await.unwrap();
    assert!(guide.contains("Nu speelt: Fanfare Meerveld - Mars van de Vaart"));
    assert!(!guide.contains("Zomer aan de Vaart"));
    // Icecast gone: the last title stays, nothing fails.
    server.abort();
    let _ = server.await;
    server::on_air::poll_once(&app.state).await;
    let kept: String = sqlx::query_scalar("SELECT title FROM now_playing WHERE station_id = $1")
        .bind(radio)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(kept, "Fanfare Meerveld - Mars van de Vaart");
}

fn db_now() -> i64 {
    app::db::now()
}

on_both_engines!(
    overlapping_slots_are_refused_and_say_with_what,
    a_one_off_takes_the_place_of_the_week_and_a_cancellation_takes_one_out,
    slots_across_midnight_and_the_dst_change_keep_their_local_times,
    the_guide_marks_what_is_on_now_and_changes_when_the_schedule_does,
    a_programme_page_names_presenters_times_and_next_broadcasts,
    the_guide_as_icalendar_parses_with_a_week_of_broadcasts,
    editors_plan_the_week_in_the_newsroom_and_refusals_keep_what_was_typed,
    now_playing_is_read_from_the_stations_icecast_status,
);
