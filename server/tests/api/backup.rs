//! `zender backup` and `zender restore` as an operator runs them: the real binary, against a
//! site that is taking comments at the time.

use std::{
    path::Path,
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc, Mutex,
    },
    time::{Duration, Instant},
};

use crate::helpers::*;
use reqwest::StatusCode;

const WRITERS: usize = 20;

/// Runs the `zender` binary with this data directory and database.
async fn zender(
    data_dir: &Path,
    database_url: Option<&str>,
    args: &[&str],
) -> std::process::Output {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_zender"));
    command
        .env_remove("ZENDER_DATABASE_URL")
        .env_remove("ZENDER_DATA_DIR")
        .arg("--data-dir")
        .arg(data_dir);
    if let Some(url) = database_url {
        command.arg("--database-url").arg(url);
    }
    command.args(args).output().await.expect("run zender")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A published article with open comments, its path, and a form token for it.
async fn comment_target(app: &TestApp) -> (i64, String, String) {
    let (id, path): (i64, String) = {
        let row: (i64, String, String) = sqlx::query_as(
            "SELECT a.id, s.slug, a.slug FROM articles a JOIN sections s ON s.id = a.section_id \
             WHERE a.status = 'published' AND a.live_state IS NULL \
             ORDER BY a.published_at DESC, a.id DESC LIMIT 1",
        )
        .fetch_one(app.db.pool())
        .await
        .unwrap();
        (row.0, format!("/{}/{}", row.1, row.2))
    };
    let html = app.get(&path).await.text().await.unwrap();
    let at = html
        .find("name=\"geladen\" value=\"")
        .expect("a comment form")
        + 22;
    let token = html[at..].split('"').next().unwrap().to_string();
    (id, path, token)
}

async fn bodies(database_url: &str) -> std::collections::HashSet<String> {
    let db = app::db::Db::connect(database_url)
        .await
        .expect("open the restored database");
    let rows: Vec<(String,)> = sqlx::query_as("SELECT body FROM comments")
        .fetch_all(db.pool())
        .await
        .unwrap();
    db.close().await;
    rows.into_iter().map(|(b,)| b).collect()
}

async fn a_backup_taken_while_twenty_writers_post_holds_every_comment_acknowledged_before_it(
    engine: Engine,
) {
    let app = spawn_app_with(engine, |c| {
        c.comments_per_client = 1_000_000;
        c.comments_per_email = 1_000_000;
    })
    .await;
    // Files of the data directory go into the archive too.
    let upload = app.data_dir.join("media/uploads/2026/brug-960.jpg");
    let tip_photo = app.data_dir.join("private/tips/tip-1.jpg");
    for (path, bytes) in [
        (&upload, b"jpeg van de brug".as_slice()),
        (&tip_photo, b"tipfoto"),
    ] {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    let (article, _, token) = comment_target(&app).await;

    let stop = Arc::new(AtomicBool::new(false));
    let acknowledged = Arc::new(Mutex::new(Vec::<(String, Instant)>::new()));
    let writers: Vec<_> = (0..WRITERS)
        .map(|w| {
            let (client, url) = (app.browser(), app.url(&format!("/reageren/{article}")));
            let (stop, acknowledged, token) = (stop.clone(), acknowledged.clone(), token.clone());
            tokio::spawn(async move {
                let mut n = 0;
                while !stop.load(Ordering::Relaxed) {
                    n += 1;
                    let body = format!("Reactie {n} van schrijver {w} over de brug.");
                    let email = format!("schrijver{w}@voorbeeld.nl");
                    let r = client
                        .post(&url)
                        .form(&[
                            ("naam", "Schrijver"),
                            ("email", email.as_str()),
                            ("bericht", body.as_str()),
                            ("geladen", token.as_str()),
                            ("website", ""),
                        ])
                        .send()
                        .await
                        .expect("post a comment");
                    let location = r
                        .headers()
                        .get("location")
                        .map(|l| l.to_str().unwrap().to_string());
                    assert_eq!(r.status(), StatusCode::SEE_OTHER, "comment {body} refused");
                    assert!(
                        location
                            .as_deref()
                            .is_some_and(|l| l.contains("reactie=") && !l.contains("fout")),
                        "comment {body} not taken: {location:?}"
                    );
                    acknowledged.lock().unwrap().push((body, Instant::now()));
                }
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(500)).await;

    let scratch = tempfile::tempdir().unwrap();
    let archive = scratch.path().join("zender-backup.tar.gz");
    let started = Instant::now();
    let out = zender(
        &app.data_dir,
        Some(app.database_url()),
        &["backup", archive.to_str().unwrap()],
    )
    .await;
    assert!(out.status.success(), "backup failed: {}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("Back-up geschreven"),
        "{}",
        text(&out.stdout)
    );
    // The writers go on a little after the backup, as a live site would.
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop.store(true, Ordering::Relaxed);
    for writer in writers {
        writer.await.expect("writer");
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    let before: Vec<&String> = acknowledged
        .iter()
        .filter(|(_, at)| *at < started)
        .map(|(b, _)| b)
        .collect();
    assert!(
        before.len() >= WRITERS,
        "only {} comments before the backup",
        before.len()
    );
    assert!(
        acknowledged.iter().any(|(_, at)| *at > started),
        "writers were still posting while and after the backup ran"
    );

    // Restored into a fresh directory (and, on PostgreSQL, a fresh database).
    let restored = scratch.path().join("hersteld");
    let fresh_pg = match engine {
        Engine::Postgres => Some(fresh_database(Engine::Postgres).await),
        Engine::Sqlite => None,
    };
    let restored_url = match &fresh_pg {
        Some(db) => db.url.clone(),
        None => format!("sqlite://{}", restored.join("zender.db").display()),
    };
    let out = zender(
        &restored,
        fresh_pg.as_ref().map(|db| db.url.as_str()),
        &["restore", archive.to_str().unwrap()],
    )
    .await;
    assert!(
        out.status.success(),
        "restore failed: {}",
        text(&out.stderr)
    );
    assert!(
        text(&out.stdout).contains("teruggezet"),
        "{}",
        text(&out.stdout)
    );
    let kept = bodies(&restored_url).await;
    let missing: Vec<_> = before.iter().filter(|b| !kept.contains(**b)).collect();
    assert!(
        missing.is_empty(),
        "acknowledged before the backup, yet missing: {missing:?}"
    );
    assert_eq!(
        std::fs::read(restored.join("media/uploads/2026/brug-960.jpg")).unwrap(),
        b"jpeg van de brug"
    );
    assert_eq!(
        std::fs::read(restored.join("private/tips/tip-1.jpg")).unwrap(),
        b"tipfoto"
    );

    // Restoring over it again is refused without --force, and nothing there changes.
    let out = zender(
        &restored,
        fresh_pg.as_ref().map(|db| db.url.as_str()),
        &["restore", archive.to_str().unwrap()],
    )
    .await;
    assert!(
        !out.status.success(),
        "a non-empty data directory must be refused"
    );
    assert!(
        text(&out.stderr).contains("--force"),
        "says how: {}",
        text(&out.stderr)
    );
    assert!(restored.join("media/uploads/2026/brug-960.jpg").is_file());

    // With --force what was there is moved aside, not deleted.
    let another_pg = match engine {
        Engine::Postgres => Some(fresh_database(Engine::Postgres).await),
        Engine::Sqlite => None,
    };
    std::fs::write(restored.join("media/eigen-bestand.txt"), "van de beheerder").unwrap();
    let out = zender(
        &restored,
        another_pg.as_ref().map(|db| db.url.as_str()),
        &["restore", "--force", archive.to_str().unwrap()],
    )
    .await;
    assert!(
        out.status.success(),
        "forced restore failed: {}",
        text(&out.stderr)
    );
    let aside = std::fs::read_dir(scratch.path())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.to_string_lossy().contains("hersteld.before-restore-"))
        .expect("the earlier data directory, moved aside");
    assert_eq!(
        std::fs::read_to_string(aside.join("media/eigen-bestand.txt")).unwrap(),
        "van de beheerder"
    );
    assert!(!restored.join("media/eigen-bestand.txt").exists());
    assert!(restored.join("private/tips/tip-1.jpg").is_file());
}

async fn a_file_that_is_not_a_backup_is_refused_and_nothing_is_written(engine: Engine) {
    let scratch = tempfile::tempdir().unwrap();
    let bogus = scratch.path().join("vakantiefoto.tar.gz");
    std::fs::write(&bogus, b"dit is geen back-up").unwrap();
    let fresh_pg = match engine {
        Engine::Postgres => Some(fresh_database(Engine::Postgres).await),
        Engine::Sqlite => None,
    };
    let target = scratch.path().join("data");
    let out = zender(
        &target,
        fresh_pg.as_ref().map(|db| db.url.as_str()),
        &["restore", bogus.to_str().unwrap()],
    )
    .await;
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("archive"),
        "{}",
        text(&out.stderr)
    );
    assert!(!target.exists(), "no half-restored data directory is left");
    let leftovers: Vec<_> = std::fs::read_dir(scratch.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .filter(|n| n != "vakantiefoto.tar.gz")
        .collect();
    assert!(
        leftovers.is_empty(),
        "scratch files left behind: {leftovers:?}"
    );
}

/// An archive someone made to look like a backup: a link where uploads are served, or a
/// database named outside the data directory, is refused before anything is written.
async fn a_crafted_archive_with_links_or_foreign_paths_is_refused(engine: Engine) {
    let scratch = tempfile::tempdir().unwrap();
    let build = |name: &str, manifest_db: &str, link: bool| {
        let path = scratch.path().join(name);
        let file = std::fs::File::create(&path).unwrap();
        let mut tar = tar::Builder::new(flate2::write::GzEncoder::new(
            file,
            flate2::Compression::default(),
        ));
        let engine_name = match engine {
            Engine::Sqlite => "sqlite",
            Engine::Postgres => "postgres",
        };
        let manifest = format!(
            r#"{{"format":1,"zender_version":"x","created_at":"nu","engine":"{engine_name}","database":"{manifest_db}"}}"#
        );
        let mut header = tar::Header::new_gnu();
        header.set_size(manifest.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        tar.append_data(&mut header, "zender-backup.json", manifest.as_bytes())
            .unwrap();
        if link {
            let mut header = tar::Header::new_gnu();
            header.set_entry_type(tar::EntryType::Symlink);
            header.set_size(0);
            header.set_mode(0o777);
            tar.append_link(&mut header, "media/uploads/wachtwoorden.jpg", "/etc/passwd")
                .unwrap();
        }
        tar.into_inner().unwrap().finish().unwrap();
        path
    };
    let fresh_pg = match engine {
        Engine::Postgres => Some(fresh_database(Engine::Postgres).await),
        Engine::Sqlite => None,
    };
    let db_name = match engine {
        Engine::Sqlite => "zender.db",
        Engine::Postgres => "zender.pgdump",
    };
    for (archive, expected) in [
        (
            build("link.tar.gz", db_name, true),
            "which a backup never writes",
        ),
        (
            build("elders.tar.gz", "../../elders.db", false),
            "its database is named",
        ),
    ] {
        let target = scratch.path().join("data");
        let out = zender(
            &target,
            fresh_pg.as_ref().map(|db| db.url.as_str()),
            &["restore", archive.to_str().unwrap()],
        )
        .await;
        assert!(!out.status.success());
        assert!(
            text(&out.stderr).contains(expected),
            "{}",
            text(&out.stderr)
        );
        assert!(!target.exists(), "nothing restored");
    }
}

/// The archive holds password hashes and readers' photos: for its owner's eyes only.
async fn a_backup_is_readable_by_its_owner_only(engine: Engine) {
    use std::os::unix::fs::PermissionsExt;
    let app = spawn_app(engine).await;
    let scratch = tempfile::tempdir().unwrap();
    let archive = scratch.path().join("b.tar.gz");
    let out = zender(
        &app.data_dir,
        Some(app.database_url()),
        &["backup", archive.to_str().unwrap()],
    )
    .await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let mode = std::fs::metadata(&archive).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
}

on_both_engines!(
    a_backup_taken_while_twenty_writers_post_holds_every_comment_acknowledged_before_it,
    a_file_that_is_not_a_backup_is_refused_and_nothing_is_written,
    a_crafted_archive_with_links_or_foreign_paths_is_refused,
    a_backup_is_readable_by_its_owner_only,
);
