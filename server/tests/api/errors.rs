//! A failing query is logged with what it was for and the database's own reason, so an
//! operator can tell a missing table from a locked file; the reader sees neither.

use std::sync::{Arc, Mutex};

use crate::helpers::*;
use reqwest::StatusCode;

/// Log output kept in memory, for reading back.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

async fn a_failing_query_is_logged_with_its_purpose_and_cause(engine: Engine) {
    let logs = Captured::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    // The test's runtime has one thread: the server's tasks log through this subscriber too.
    let _guard = tracing::subscriber::set_default(subscriber);
    let app = spawn_app(engine).await;
    sqlx::query("ALTER TABLE ticker_items RENAME TO ticker_items_weg")
        .execute(app.db.pool())
        .await
        .unwrap();
    let r = app.get("/live.json?onderwerpen=ticker").await;
    assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body = r.text().await.unwrap();
    assert!(
        !body.contains("ticker_items"),
        "no internals for readers: {body}"
    );
    let logs = logs.text();
    let line = logs
        .lines()
        .find(|l| l.contains("ERROR"))
        .unwrap_or_else(|| panic!("an error was logged: {logs}"));
    assert!(line.contains("while reading the ticker"), "{line}");
    let cause = match engine {
        Engine::Sqlite => "no such table: ticker_items",
        Engine::Postgres => r#"relation "ticker_items" does not exist"#,
    };
    assert!(line.contains(cause), "{line}");
}

on_both_engines!(a_failing_query_is_logged_with_its_purpose_and_cause);
