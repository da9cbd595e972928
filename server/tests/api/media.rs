//! Image uploads over real HTTP on both engines: stored in every width, served with a long cache,
//! used with a `srcset` on the public page; wrong types, huge files and strangers refused.

use std::io::Cursor;

use crate::helpers::{spawn_app, Engine, DEMO_EDITOR, DEMO_PASSWORD};
use reqwest::{multipart, StatusCode};

fn png(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    });
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(image)
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

fn form(bytes: Vec<u8>, name: &str) -> multipart::Form {
    multipart::Form::new().part(
        "bestand",
        multipart::Part::bytes(bytes).file_name(name.to_string()),
    )
}

async fn an_uploaded_photo_is_served_in_three_widths_and_used_with_srcset(engine: Engine) {
    let app = spawn_app(engine).await;
    let editor = app.signed_in(DEMO_EDITOR, DEMO_PASSWORD).await;
    let response = editor
        .post(app.url("/redactie/media"))
        .header("accept", "application/json")
        .multipart(form(png(2000, 1000), "foto.png"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let body: serde_json::Value = response.json().await.unwrap();
    let src = body["src"].as_str().unwrap().to_string();
    for width in app::media::WIDTHS {
        let url = src.replace("-1600.jpg", &format!("-{width}.jpg"));
        let file = app.get(&url).await;
        assert_eq!(file.status(), StatusCode::OK, "{url}");
        assert_eq!(file.headers()["content-type"], "image/jpeg");
        assert!(file.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("immutable"));
        let bytes = file.bytes().await.unwrap();
        let decoded = image::load_from_memory(&bytes).unwrap();
        assert_eq!(decoded.width(), width);
    }

    let response = editor
        .post(app.url("/redactie/artikelen/nieuw"))
        .form(&[
            ("titel", "Foto van de nieuwe brug"),
            ("rubriek", "nieuws"),
            ("intro", "De brug in het avondlicht."),
            ("tekst", "Tekst."),
            ("beeld_src", src.as_str()),
            ("beeld_alt", "De nieuwe brug bij zonsondergang"),
            ("actie", "publiceren"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let html = app
        .get("/nieuws/foto-van-de-nieuwe-brug")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("srcset=\"/uploads/"),
        "srcset on the public page"
    );
    assert!(html.contains("480w") && html.contains("1600w"));
}

async fn uploads_of_the_wrong_kind_or_size_or_by_strangers_are_refused(engine: Engine) {
    let app = spawn_app(engine).await;
    let editor = app.signed_in(DEMO_EDITOR, DEMO_PASSWORD).await;
    let post = |client: &reqwest::Client, form: multipart::Form| {
        client
            .post(app.url("/redactie/media"))
            .header("accept", "application/json")
            .multipart(form)
            .send()
    };
    // An SVG with a script, named .png: the bytes decide.
    let r = post(
        &editor,
        form(b"<svg onload=alert(1)></svg>".to_vec(), "echt.png"),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let body: serde_json::Value = r.json().await.unwrap();
    assert!(body["fout"]
        .as_str()
        .unwrap()
        .contains("Alleen JPEG-, PNG- en WebP"));

    let mut huge = png(16, 16);
    huge.resize(app::media::MAX_UPLOAD_BYTES + 1024, 0);
    let r = post(&editor, form(huge, "groot.png")).await.unwrap();
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let body: serde_json::Value = r.json().await.unwrap();
    assert!(body["fout"].as_str().unwrap().contains("groter dan 10 MB"));

    let r = post(&editor, multipart::Form::new()).await.unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);

    let r = post(&app.browser(), form(png(10, 10), "x.png"))
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);

    // Without JavaScript the answer is a Dutch page.
    let r = editor
        .post(app.url("/redactie/media"))
        .multipart(form(png(10, 10), "klein.png"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    assert!(r.text().await.unwrap().contains("Afbeelding geüpload"));
}

on_both_engines!(
    an_uploaded_photo_is_served_in_three_widths_and_used_with_srcset,
    uploads_of_the_wrong_kind_or_size_or_by_strangers_are_refused,
);
