//! The tip line, corrections and the newsroom inbox over real HTTP on both engines.

use std::io::Cursor;

use crate::helpers::*;
use reqwest::{multipart, StatusCode};

fn png(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_pixel(width, height, image::Rgb([30, 120, 200]));
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(image)
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

/// The id of the article a page is (from its correction link).
fn article_id(html: &str) -> i64 {
    html.split(r#"href="/correctie/"#)
        .nth(1)
        .expect("a correction link")
        .split('"')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

/// Over the 10 MB a photo may be, within what the server reads of a request.
const PHOTO_OVER_LIMIT: usize = 10 * 1024 * 1024 + 300 * 1024;

const TIP: &str = "Bij de Molenbrug staat sinds vanochtend een grote kraan op het water.";

/// Petra's valid tip, for adding a photo to.
fn petras_tip(token: &str) -> multipart::Form {
    tip_form(
        token,
        &[
            ("naam", "Petra"),
            ("email", "petra@voorbeeld.nl"),
            ("bericht", TIP),
        ],
    )
}

fn tip_form(token: &str, fields: &[(&'static str, &str)]) -> multipart::Form {
    let mut form = multipart::Form::new().text("geladen", token.to_string());
    for (name, value) in fields {
        form = form.text(*name, value.to_string());
    }
    form
}

async fn spawn(engine: Engine, dir: &tempfile::TempDir) -> TestApp {
    let data = dir.path().to_path_buf();
    spawn_app_with(engine, move |config| config.data_dir = data).await
}

async fn send_tip(app: &TestApp, form: multipart::Form) -> reqwest::Response {
    app.browser()
        .post(app.url("/tip"))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

async fn every_article_offers_the_tip_box_and_a_correction_link(engine: Engine) {
    let dir = tempfile::tempdir().unwrap();
    let app = spawn(engine, &dir).await;
    let page = app
        .get("/educatie/taalcafe-in-ganzenvoort-helpt-nieuwkomers-met-oefenen-in-het-nederlands")
        .await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("Heb jij een tip?"));
    assert!(html.contains("Foutje gezien?"));
    assert!(
        html.contains(r#"<details class="tip-box">"#),
        "opens without JavaScript"
    );
    let id = article_id(&html);
    let correction = app.get(&format!("/correctie/{id}")).await;
    assert_eq!(correction.status(), StatusCode::OK);
    let html = correction.text().await.unwrap();
    assert!(
        html.contains("‘Taalcafé in Ganzenvoort"),
        "names the article"
    );
    assert!(html.contains("Wat klopt er niet?"));
    assert!(
        html.contains(r#"<span aria-hidden="true" class="required">*</span>"#),
        "the asterisk is not read out"
    );
    assert_eq!(
        app.get("/correctie/999999").await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/correctie/abc").await.status(),
        StatusCode::NOT_FOUND
    );
    let tip = app.get("/tip").await.text().await.unwrap();
    assert!(tip.contains("Tip de redactie") && tip.contains("* = verplicht veld"));
    assert!(tip.contains(r#"enctype="multipart/form-data""#));
}

async fn a_tip_with_a_photo_reaches_the_inbox_and_can_be_handled(engine: Engine) {
    let dir = tempfile::tempdir().unwrap();
    let app = spawn(engine, &dir).await;
    let token = form_token(&app.get("/tip").await.text().await.unwrap());
    let form = tip_form(
        &token,
        &[
            ("naam", "Petra de Vries"),
            ("telefoon", "06 12345678"),
            ("bericht", TIP),
        ],
    )
    .part(
        "foto",
        multipart::Part::bytes(png(3000, 2000)).file_name("kraan.png"),
    );
    let r = send_tip(&app, form).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/tip?verstuurd=1");
    let thanks = app.get("/tip?verstuurd=1").await.text().await.unwrap();
    assert!(thanks.contains("Bedankt voor je tip!"));

    let editor = app.signed_in(DEMO_EDITOR, DEMO_PASSWORD).await;
    let overview = app.page(&editor, "/redactie").await;
    assert!(overview.contains("1 tip of correctie in de inbox."));
    let inbox = app.page(&editor, "/redactie/inbox").await;
    assert!(inbox.contains("1 open."), "{inbox}");
    assert!(inbox.contains(TIP) && inbox.contains("Petra de Vries"));
    assert!(inbox.contains(r#"href="tel:0612345678""#));
    let id: i64 = inbox
        .split(r#"action="/redactie/inbox/"#)
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let photo = editor
        .get(app.url(&format!("/redactie/inbox/{id}/foto")))
        .send()
        .await
        .unwrap();
    assert_eq!(photo.status(), StatusCode::OK);
    assert_eq!(photo.headers()["content-type"], "image/jpeg");
    let bytes = photo.bytes().await.unwrap();
    let (w, h) = image::load_from_memory(&bytes)
        .map(|i| (i.width(), i.height()))
        .unwrap();
    assert_eq!((w, h), (2400, 1600), "scaled down, re-encoded");
    // The photo is for the newsroom only.
    let anonymous = app.get(&format!("/redactie/inbox/{id}/foto")).await;
    assert_ne!(anonymous.status(), StatusCode::OK);
    let contributor = app.signed_in(DEMO_CONTRIBUTOR, DEMO_PASSWORD).await;
    let r = contributor
        .get(app.url(&format!("/redactie/inbox/{id}/foto")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = contributor
        .get(app.url("/redactie/inbox"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = contributor
        .post(app.url(&format!("/redactie/inbox/{id}")))
        .form(&[("actie", "afgehandeld")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    let r = editor
        .post(app.url(&format!("/redactie/inbox/{id}")))
        .form(&[("actie", "afgehandeld")])
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.headers()["location"],
        "/redactie/inbox?gelukt=afgehandeld"
    );
    let open = app.page(&editor, "/redactie/inbox").await;
    assert!(open.contains("0 open.") && !open.contains(TIP));
    let handled = app.page(&editor, "/redactie/inbox?toon=afgehandeld").await;
    assert!(handled.contains(TIP) && handled.contains("door Demo Redacteur"));
}

async fn a_refused_tip_says_why_and_keeps_the_text(engine: Engine) {
    let dir = tempfile::tempdir().unwrap();
    let app = spawn(engine, &dir).await;
    let token = form_token(&app.get("/tip").await.text().await.unwrap());
    // No way to reach the sender.
    let r = send_tip(
        &app,
        tip_form(&token, &[("naam", "Petra"), ("bericht", TIP)]),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("Vul een e-mailadres of een telefoonnummer in"));
    assert!(html.contains(TIP), "the text is kept");
    assert!(html.contains("aria-invalid=\"true\""));
    // Not a phone number, and a file that is no photo.
    let form = tip_form(
        &token,
        &[("naam", "Petra"), ("telefoon", "bel me"), ("bericht", TIP)],
    )
    .part(
        "foto",
        multipart::Part::bytes(b"<svg onload=alert(1)>".to_vec()).file_name("x.png"),
    );
    let html = send_tip(&app, form).await.text().await.unwrap();
    assert!(html.contains("Dit lijkt geen telefoonnummer"));
    let form = petras_tip(&token).part(
        "foto",
        multipart::Part::bytes(b"<svg onload=alert(1)>".to_vec()).file_name("x.png"),
    );
    let r = send_tip(&app, form).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("Alleen JPEG-, PNG- en WebP-afbeeldingen"),
        "checked by its bytes"
    );
    assert!(html.contains(TIP));
    // Over 10 MB.
    let form = petras_tip(&token).part(
        "foto",
        multipart::Part::bytes(vec![0u8; PHOTO_OVER_LIMIT]).file_name("groot.jpg"),
    );
    let r = send_tip(&app, form).await;
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let html = r.text().await.unwrap();
    assert!(html.contains("Deze foto is te groot"));
    assert!(html.contains(TIP), "the text is kept");
    // Nothing was stored.
    let editor = app.signed_in(DEMO_EDITOR, DEMO_PASSWORD).await;
    assert!(app
        .page(&editor, "/redactie/inbox")
        .await
        .contains("0 open."));
    let photos = std::fs::read_dir(dir.path().join("private/tips"))
        .map(|d| d.count())
        .unwrap_or(0);
    assert_eq!(photos, 0, "no photo kept of a refused tip");
}

async fn the_spam_defence_of_comments_guards_tips(engine: Engine) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_path_buf();
    let app = spawn_app_with(engine, move |config| {
        config.data_dir = data;
        config.comments_per_client = 2;
    })
    .await;
    let token = form_token(&app.get("/tip").await.text().await.unwrap());
    let fields = |message: &'static str| {
        vec![
            ("naam", "Petra"),
            ("email", "petra@voorbeeld.nl"),
            ("bericht", message),
        ]
    };
    // Software fills in the hidden field: thanked, nothing kept.
    let mut honeypot = fields(TIP);
    honeypot.push(("website", "http://spam.example"));
    let r = send_tip(&app, tip_form(&token, &honeypot)).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = send_tip(&app, tip_form("123.forged", &fields(TIP))).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(r.text().await.unwrap().contains(TIP), "text kept");
    let r = send_tip(&app, tip_form(&token, &fields(TIP))).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = send_tip(&app, tip_form(&token, &fields(TIP))).await;
    assert_eq!(r.status(), StatusCode::CONFLICT, "the same tip twice");
    let r = send_tip(
        &app,
        tip_form(&token, &fields("Een tweede, andere tip over de kraan.")),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = send_tip(
        &app,
        tip_form(&token, &fields("En nog een derde tip, te veel.")),
    )
    .await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(r.text().await.unwrap().contains("Wacht een paar minuten"));
    let editor = app.signed_in(DEMO_EDITOR, DEMO_PASSWORD).await;
    assert!(app
        .page(&editor, "/redactie/inbox")
        .await
        .contains("2 open."));
}

async fn a_tip_sent_too_fast_is_refused(engine: Engine) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_path_buf();
    let app = spawn_app_with(engine, move |config| {
        config.data_dir = data;
        config.comments_min_seconds = 30;
    })
    .await;
    let token = form_token(&app.get("/tip").await.text().await.unwrap());
    let form = tip_form(
        &token,
        &[
            ("naam", "Petra"),
            ("email", "petra@voorbeeld.nl"),
            ("bericht", TIP),
        ],
    );
    let r = send_tip(&app, form).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("Dat ging snel!"));
}

async fn a_correction_is_tied_to_its_article(engine: Engine) {
    let dir = tempfile::tempdir().unwrap();
    let app = spawn(engine, &dir).await;
    let article =
        "/educatie/taalcafe-in-ganzenvoort-helpt-nieuwkomers-met-oefenen-in-het-nederlands";
    let id = article_id(&app.get(article).await.text().await.unwrap());
    let path = format!("/correctie/{id}");
    let token = form_token(&app.get(&path).await.text().await.unwrap());
    let client = app.browser();
    let r = client
        .post(app.url(&path))
        .form(&[
            ("geladen", token.as_str()),
            ("bericht", ""),
            ("naam", "Jan"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("Vertel ons wat er niet klopt."));
    assert!(html.contains(r#"value="Jan""#), "the name is kept");
    // A token for another article does not do.
    let other = self::form_token(&app.get("/tip").await.text().await.unwrap());
    let note = "Het taalcafé is op dinsdag, niet op maandag.";
    let r = client
        .post(app.url(&path))
        .form(&[("geladen", other.as_str()), ("bericht", note)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let r = client
        .post(app.url(&path))
        .form(&[("geladen", token.as_str()), ("bericht", note)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], format!("{path}?verstuurd=1"));
    let editor = app.signed_in(DEMO_EDITOR, DEMO_PASSWORD).await;
    let inbox = app.page(&editor, "/redactie/inbox").await;
    assert!(inbox.contains("Correctie") && inbox.contains(note));
    assert!(
        inbox.contains(&format!(r#"href="{article}""#)),
        "see the article"
    );
    assert!(inbox.contains("Anoniem"));
    let r = client
        .post(app.url("/correctie/999999"))
        .form(&[("geladen", token.as_str()), ("bericht", note)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

async fn markup_in_a_tip_stays_text_in_the_inbox(engine: Engine) {
    let dir = tempfile::tempdir().unwrap();
    let app = spawn(engine, &dir).await;
    let token = form_token(&app.get("/tip").await.text().await.unwrap());
    let evil = "<img src=x onerror=alert(1)> kijk hier naar";
    let r = send_tip(
        &app,
        tip_form(
            &token,
            &[
                ("naam", "Petra <b>"),
                ("email", "petra@voorbeeld.nl"),
                ("bericht", evil),
            ],
        ),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let editor = app.signed_in(DEMO_EDITOR, DEMO_PASSWORD).await;
    let inbox = app.page(&editor, "/redactie/inbox").await;
    assert!(!inbox.contains("<img src=x"));
    assert!(inbox.contains("&lt;img src=x onerror=alert(1)&gt;"));
}

async fn a_refused_tip_from_an_article_stays_about_it_and_asks_for_the_photo_again(engine: Engine) {
    let dir = tempfile::tempdir().unwrap();
    let app = spawn(engine, &dir).await;
    let page = app
        .get("/educatie/taalcafe-in-ganzenvoort-helpt-nieuwkomers-met-oefenen-in-het-nederlands")
        .await
        .text()
        .await
        .unwrap();
    let id = article_id(&page);
    let token = form_token(&page);
    let article = id.to_string();
    // No way to reach the sender; a good photo along.
    let form = tip_form(
        &token,
        &[("naam", "Petra"), ("bericht", TIP), ("artikel", &article)],
    )
    .part(
        "foto",
        multipart::Part::bytes(png(40, 30)).file_name("a.png"),
    );
    let r = send_tip(&app, form).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("Je foto is niet meegestuurd: kies hem opnieuw."));
    assert!(
        html.contains(&format!(r#"name="artikel" value="{id}""#)),
        "still about the article"
    );
    // Sent again from there, it is tied to the article in the inbox.
    let again = self::form_token(&html);
    let form = tip_form(
        &again,
        &[
            ("naam", "Petra"),
            ("email", "petra@voorbeeld.nl"),
            ("bericht", TIP),
            ("artikel", &article),
        ],
    );
    assert_eq!(send_tip(&app, form).await.status(), StatusCode::SEE_OTHER);
    let editor = app.signed_in(DEMO_EDITOR, DEMO_PASSWORD).await;
    let inbox = app.page(&editor, "/redactie/inbox").await;
    assert!(
        inbox.contains("over <a href=\"/educatie/taalcafe-in-ganzenvoort"),
        "{inbox}"
    );
    assert!(inbox.contains(&format!(r#"href="/redactie/artikelen/{id}""#)));
    // A photo far over the limit is drained, not a cut connection: the text comes back.
    let form = tip_form(
        &again,
        &[
            ("naam", "Petra"),
            ("email", "petra@voorbeeld.nl"),
            ("bericht", "Nog een tip, met een enorme foto."),
        ],
    )
    .part(
        "foto",
        multipart::Part::bytes(vec![7u8; 25 * 1024 * 1024]).file_name("enorm.jpg"),
    );
    let r = send_tip(&app, form).await;
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("Nog een tip, met een enorme foto."));
}

async fn a_tip_far_too_long_is_cut_to_its_cap_not_sent_back_whole(engine: Engine) {
    let dir = tempfile::tempdir().unwrap();
    let app = spawn(engine, &dir).await;
    let form_page = app.get("/tip").await.text().await.unwrap();
    let start = "Dit is het begin van een veel te lange tip.";
    let long = format!("{start} {}", "bla ".repeat(500_000));
    let name = "N".repeat(200_000);
    let form = tip_form(
        &form_token(&form_page),
        &[
            ("naam", name.as_str()),
            ("email", "lang@voorbeeld.nl"),
            ("bericht", long.as_str()),
        ],
    );
    let r = send_tip(&app, form).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    // What comes back is bounded by the caps (20 KB message, 1 KB a field), not the 2 MB sent.
    assert!(page.len() < 120_000, "{} bytes sent back", page.len());
    assert!(page.contains(start), "the start of the text is kept");
    assert!(page.contains("te lang"), "the reader is told why");
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM inbox_messages")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(stored, 0);
}

/// Opens a tip upload whose photo never finishes arriving: it holds a photo place.
async fn stalled_photo_upload(app: &TestApp) -> tokio::net::TcpStream {
    use tokio::io::AsyncWriteExt;
    let host = app.base.trim_start_matches("http://").to_string();
    let mut stream = tokio::net::TcpStream::connect(&host).await.unwrap();
    let boundary = "zendergrens";
    let head = format!(
        "POST /tip HTTP/1.1\r\nHost: {host}\r\nOrigin: {origin}\r\n\
         Content-Type: multipart/form-data; boundary={boundary}\r\n\
         Content-Length: 5000000\r\n\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"foto\"; filename=\"a.jpg\"\r\n\
         Content-Type: image/jpeg\r\n\r\n\u{ff}\u{d8}",
        origin = app.base,
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream
}

async fn photos_waiting_are_bounded_and_the_reader_keeps_the_text(engine: Engine) {
    let dir = tempfile::tempdir().unwrap();
    let app = spawn(engine, &dir).await;
    let mut stalled = Vec::new();
    for _ in 0..4 {
        stalled.push(stalled_photo_upload(&app).await);
    }
    let with_photo = |token: String| {
        petras_tip(&token).part(
            "foto",
            multipart::Part::bytes(png(40, 30)).file_name("kraan.png"),
        )
    };
    // The four stalled uploads hold every place once the server has read their heads.
    let mut refused = None;
    for _ in 0..50 {
        let form_page = app.get("/tip").await.text().await.unwrap();
        let r = send_tip(&app, with_photo(form_token(&form_page))).await;
        if r.status() == StatusCode::SERVICE_UNAVAILABLE {
            refused = Some(r.text().await.unwrap());
            break;
        }
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let refused = refused.expect("a photo beyond the places is refused");
    assert!(refused.contains("veel foto"), "{refused}");
    assert!(refused.contains(TIP), "the text is kept");
    // When they go, places are free again.
    drop(stalled);
    let mut accepted = false;
    for _ in 0..50 {
        let form_page = app.get("/tip").await.text().await.unwrap();
        if send_tip(&app, with_photo(form_token(&form_page)))
            .await
            .status()
            == StatusCode::SEE_OTHER
        {
            accepted = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(accepted, "a photo is taken once places are free");
}

on_both_engines!(
    a_tip_far_too_long_is_cut_to_its_cap_not_sent_back_whole,
    photos_waiting_are_bounded_and_the_reader_keeps_the_text,
    a_refused_tip_from_an_article_stays_about_it_and_asks_for_the_photo_again,
    every_article_offers_the_tip_box_and_a_correction_link,
    a_tip_with_a_photo_reaches_the_inbox_and_can_be_handled,
    a_refused_tip_says_why_and_keeps_the_text,
    the_spam_defence_of_comments_guards_tips,
    a_tip_sent_too_fast_is_refused,
    a_correction_is_tied_to_its_article,
    markup_in_a_tip_stays_text_in_the_inbox,
);
