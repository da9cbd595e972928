//! `zender backup FILE` and `zender restore FILE`: the database and the files of the data
//! directory in one gzipped tar archive.
//!
//! SQLite is copied with `VACUUM INTO`, a read transaction: writers carry on while it runs and
//! the copy is the database as it was when it began. PostgreSQL is dumped with `pg_dump`
//! (custom format), checked first to be at least as new as the server. The database is copied
//! before the files, and files are written before the rows that name them, so every upload the
//! copied rows refer to is in the archive.

use std::{
    fs::File,
    io::{BufReader, BufWriter, Write},
    path::{Path, PathBuf},
    process::Command,
    str::FromStr,
};

use anyhow::{bail, ensure, Context};
use flate2::{read::GzDecoder, write::GzEncoder, Compression};
use serde::{Deserialize, Serialize};
use sqlx::{
    sqlite::{SqliteConnectOptions, SqliteConnection},
    Connection, PgConnection,
};

/// The archive's description of itself, its first entry.
const MANIFEST: &str = "zender-backup.json";
const SQLITE_FILE: &str = "zender.db";
const PG_DUMP_FILE: &str = "zender.pgdump";
/// What of the data directory goes into the archive besides the database.
const DATA_ENTRIES: [&str; 3] = ["media", "private", "calamiteit.html"];
const FORMAT: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
struct Manifest {
    format: u32,
    zender_version: String,
    created_at: String,
    engine: String,
    database: String,
}

/// What a backup wrote, for the operator.
#[derive(Debug)]
pub struct BackupSummary {
    pub bytes: u64,
    pub files: usize,
}

enum Database {
    Sqlite(PathBuf),
    Postgres(String),
}

impl Database {
    fn from_url(url: &str) -> anyhow::Result<Self> {
        if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url).context("reading the SQLite URL")?;
            Ok(Database::Sqlite(options.get_filename().to_path_buf()))
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Ok(Database::Postgres(url.to_string()))
        } else {
            bail!("unsupported database URL {}", app::db::redact(url))
        }
    }
}

/// Writes the archive to `out`: complete or not at all (it is written beside and renamed).
pub async fn backup(
    database_url: &str,
    data_dir: &Path,
    out: &Path,
) -> anyhow::Result<BackupSummary> {
    let database = Database::from_url(database_url)?;
    let staging = staging_dir(out)?;
    let (engine, db_file) = match &database {
        Database::Sqlite(path) => {
            ensure!(path.exists(), "no SQLite database at {}", path.display());
            let copy = staging.path().join(SQLITE_FILE);
            vacuum_into(path, &copy).await?;
            ("sqlite", copy)
        }
        Database::Postgres(url) => {
            let copy = staging.path().join(PG_DUMP_FILE);
            pg_dump(url, &copy).await?;
            ("postgres", copy)
        }
    };
    let manifest = Manifest {
        format: FORMAT,
        zender_version: env!("CARGO_PKG_VERSION").to_string(),
        created_at: chrono::Utc::now().to_rfc3339(),
        engine: engine.to_string(),
        database: db_file.file_name().unwrap().to_string_lossy().into_owned(),
    };
    let data_dir = data_dir.to_path_buf();
    let out = out.to_path_buf();
    tokio::task::spawn_blocking(move || write_archive(&manifest, &db_file, &data_dir, &out))
        .await
        .context("the archive writer stopped")?
}

/// A scratch directory on the same file system as `beside`, so a rename finishes the job.
fn staging_dir(beside: &Path) -> anyhow::Result<tempfile::TempDir> {
    let parent = match beside.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).with_context(|| format!("creating {}", parent.display()))?;
    tempfile::Builder::new()
        .prefix(".zender-backup-")
        .tempdir_in(&parent)
        .with_context(|| format!("a scratch directory in {}", parent.display()))
}

async fn vacuum_into(db: &Path, copy: &Path) -> anyhow::Result<()> {
    let options = SqliteConnectOptions::new()
        .filename(db)
        .read_only(true)
        // A writer holds the lock for milliseconds; wait it out rather than fail.
        .busy_timeout(std::time::Duration::from_secs(30));
    let mut conn = SqliteConnection::connect_with(&options)
        .await
        .with_context(|| format!("opening {}", db.display()))?;
    sqlx::query("VACUUM INTO ?")
        .bind(copy.to_string_lossy().into_owned())
        .execute(&mut conn)
        .await
        .context("copying the database (VACUUM INTO)")?;
    conn.close().await.ok();
    Ok(())
}

/// A PostgreSQL URL split into what `pg_dump`/`pg_restore` take on the command line and the
/// password, which goes in the environment rather than where `ps` shows it.
fn pg_target(url: &str) -> anyhow::Result<(String, Option<String>)> {
    let mut parsed = url::Url::parse(url).context("reading the PostgreSQL URL")?;
    let mut password = parsed.password().map(|p| {
        percent_encoding::percent_decode_str(p)
            .decode_utf8_lossy()
            .into_owned()
    });
    parsed.set_password(None).ok();
    // `?password=` works too; it goes to the environment with the other.
    let pairs: Vec<(String, String)> = parsed.query_pairs().into_owned().collect();
    if let Some((_, p)) = pairs.iter().find(|(k, _)| k == "password") {
        password = Some(p.clone());
        let rest: Vec<_> = pairs.iter().filter(|(k, _)| k != "password").collect();
        if rest.is_empty() {
            parsed.set_query(None);
        } else {
            parsed.query_pairs_mut().clear().extend_pairs(rest);
        }
    }
    Ok((parsed.to_string(), password))
}

/// The major version of a PostgreSQL tool (`pg_dump (PostgreSQL) 15.18 …` → 15).
fn tool_major(tool: &str) -> anyhow::Result<u32> {
    let output = Command::new(tool)
        .arg("--version")
        .output()
        .with_context(|| {
            format!("{tool} not found: install the PostgreSQL client (Debian: postgresql-client)")
        })?;
    ensure!(output.status.success(), "{tool} --version failed");
    let text = String::from_utf8_lossy(&output.stdout);
    text.split_whitespace()
        .find_map(|word| word.split('.').next()?.parse().ok())
        .with_context(|| format!("no version in {tool}'s answer {text:?}"))
}

async fn server_major(url: &str) -> anyhow::Result<u32> {
    let mut conn = PgConnection::connect(url)
        .await
        .with_context(|| format!("connecting to {}", app::db::redact(url)))?;
    let (num,): (String,) = sqlx::query_as("SELECT current_setting('server_version_num')")
        .fetch_one(&mut conn)
        .await?;
    conn.close().await.ok();
    Ok(num.parse::<u32>().context("server_version_num")? / 10_000)
}

async fn pg_dump(url: &str, out: &Path) -> anyhow::Result<()> {
    let tool = tool_major("pg_dump")?;
    let server = server_major(url).await?;
    ensure!(
        tool >= server,
        "pg_dump {tool} cannot dump a PostgreSQL {server} server: install postgresql-client-{server}"
    );
    let (target, password) = pg_target(url)?;
    let mut command = tokio::process::Command::new("pg_dump");
    command
        .args(["--format=custom", "--no-owner", "--no-privileges", "--file"])
        .arg(out)
        .arg("--dbname")
        .arg(&target);
    if let Some(password) = password {
        command.env("PGPASSWORD", password);
    }
    let output = command.output().await.context("running pg_dump")?;
    ensure!(
        output.status.success(),
        "pg_dump failed: {}",
        String::from_utf8_lossy(&output.stderr).trim()
    );
    Ok(())
}

fn write_archive(
    manifest: &Manifest,
    db_file: &Path,
    data_dir: &Path,
    out: &Path,
) -> anyhow::Result<BackupSummary> {
    let partial = out.with_extension("partial");
    let written = write_partial(manifest, db_file, data_dir, &partial);
    match written {
        Ok((bytes, files)) => {
            std::fs::rename(&partial, out)
                .with_context(|| format!("renaming to {}", out.display()))?;
            Ok(BackupSummary { bytes, files })
        }
        Err(err) => {
            std::fs::remove_file(&partial).ok();
            Err(err)
        }
    }
}

/// The archive, written to `partial`: readable by its owner only (it holds password hashes,
/// readers' addresses and tip photos).
fn write_partial(
    manifest: &Manifest,
    db_file: &Path,
    data_dir: &Path,
    partial: &Path,
) -> anyhow::Result<(u64, usize)> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options
        .open(partial)
        .with_context(|| format!("creating {}", partial.display()))?;
    let mut tar = tar::Builder::new(GzEncoder::new(BufWriter::new(file), Compression::default()));
    let json = serde_json::to_vec_pretty(manifest)?;
    let mut header = tar::Header::new_gnu();
    header.set_size(json.len() as u64);
    header.set_mode(0o644);
    header.set_mtime(chrono::Utc::now().timestamp().max(0) as u64);
    header.set_cksum();
    tar.append_data(&mut header, MANIFEST, json.as_slice())?;
    tar.append_path_with_name(db_file, &manifest.database)
        .context("adding the database copy")?;
    let mut files = 1;
    for entry in DATA_ENTRIES {
        let path = data_dir.join(entry);
        if path.is_dir() {
            files += count_files(&path);
            tar.append_dir_all(entry, &path)
                .with_context(|| format!("adding {}", path.display()))?;
        } else if path.is_file() {
            files += 1;
            tar.append_path_with_name(&path, entry)
                .with_context(|| format!("adding {}", path.display()))?;
        }
    }
    let mut writer = tar.into_inner()?.finish()?;
    writer.flush()?;
    let file = writer.into_inner().map_err(|e| e.into_error())?;
    file.sync_all()?;
    Ok((file.metadata()?.len(), files))
}

fn count_files(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| {
            let path = entry.path();
            if path.is_dir() {
                count_files(&path)
            } else {
                1
            }
        })
        .sum()
}

/// Where a restore put things, for the operator.
#[derive(Debug)]
pub struct RestoreSummary {
    pub engine: String,
    pub created_at: String,
    /// The data directory as it was, when `--force` moved it aside.
    pub moved_aside: Option<PathBuf>,
}

/// Restores `archive` into `data_dir` and the database at `database_url`. A non-empty data
/// directory (or an existing SQLite file) is refused unless `force`, and then moved aside, never
/// deleted. A PostgreSQL database must be empty: `pg_restore` into a fresh one.
pub async fn restore(
    archive: &Path,
    database_url: &str,
    data_dir: &Path,
    force: bool,
) -> anyhow::Result<RestoreSummary> {
    let database = Database::from_url(database_url)?;
    let occupied =
        is_non_empty(data_dir) || matches!(&database, Database::Sqlite(path) if path.exists());
    ensure!(
        !occupied || force,
        "{} is not empty: restore into a fresh directory, or add --force to move what is there \
         aside (nothing is deleted)",
        data_dir.display()
    );
    if let Database::Postgres(url) = &database {
        ensure_empty_postgres(url).await?;
    }
    let staging = staging_dir(data_dir)?;
    let unpack_into = staging.path().join("data");
    let from = archive.to_path_buf();
    let into = unpack_into.clone();
    let manifest = tokio::task::spawn_blocking(move || unpack(&from, &into))
        .await
        .context("the archive reader stopped")??;
    let db_copy = unpack_into.join(&manifest.database);
    match (&database, manifest.engine.as_str()) {
        (Database::Sqlite(_), "sqlite") => check_sqlite(&db_copy).await?,
        (Database::Postgres(url), "postgres") => pg_restore(url, &db_copy).await?,
        (_, engine) => bail!(
            "this archive holds a {engine} database; set ZENDER_DATABASE_URL to a {engine} database to restore it"
        ),
    }
    let moved_aside = if occupied {
        Some(move_aside(data_dir, &database)?)
    } else {
        None
    };
    if let Database::Sqlite(target) = &database {
        // The database goes where the URL says, which is usually inside the data directory:
        // its directory is made after the data directory is in place.
        let parked = staging.path().join(SQLITE_FILE);
        std::fs::rename(&db_copy, &parked)?;
        place_data_dir(&unpack_into, data_dir)?;
        if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::rename(&parked, target)
            .with_context(|| format!("moving the database to {}", target.display()))?;
    } else {
        std::fs::remove_file(&db_copy)?;
        place_data_dir(&unpack_into, data_dir)?;
    }
    Ok(RestoreSummary {
        engine: manifest.engine,
        created_at: manifest.created_at,
        moved_aside,
    })
}

fn is_non_empty(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .map(|mut entries| entries.next().is_some())
        .unwrap_or(false)
}

fn unpack(archive: &Path, into: &Path) -> anyhow::Result<Manifest> {
    let file = File::open(archive).with_context(|| format!("opening {}", archive.display()))?;
    let mut tar = tar::Archive::new(GzDecoder::new(BufReader::new(file)));
    std::fs::create_dir_all(into)?;
    let mut manifest = None;
    for entry in tar.entries().context("not a Zender backup (gzipped tar)")? {
        let mut entry = entry.context("reading the archive")?;
        let name = entry.path()?.to_string_lossy().into_owned();
        if name == MANIFEST {
            manifest = Some(
                serde_json::from_reader::<_, Manifest>(&mut entry)
                    .context("reading the archive's manifest")?,
            );
        } else {
            // Only what a backup writes: the database file and regular files and directories
            // under the data directory's own entries; no links (a link could point anywhere
            // the uploads are served from). `unpack_in` also refuses paths that leave `into`.
            let kind = entry.header().entry_type();
            let top = name.split('/').next().unwrap_or_default();
            ensure!(
                (kind.is_file() || kind.is_dir())
                    && (name == SQLITE_FILE || name == PG_DUMP_FILE || DATA_ENTRIES.contains(&top)),
                "not a Zender backup: the archive holds {name}, which a backup never writes"
            );
            ensure!(
                entry.unpack_in(into)?,
                "the archive names a path outside the data directory: {name}"
            );
        }
    }
    let manifest = manifest.context("not a Zender backup: no zender-backup.json in it")?;
    let expected = match manifest.engine.as_str() {
        "sqlite" => SQLITE_FILE,
        "postgres" => PG_DUMP_FILE,
        other => bail!("the archive names an unknown database engine: {other}"),
    };
    ensure!(
        manifest.database == expected,
        "not a Zender backup: its database is named {}",
        manifest.database
    );
    ensure!(
        manifest.format == FORMAT,
        "backup format {} is not known to this Zender (it reads format {FORMAT})",
        manifest.format
    );
    ensure!(
        into.join(&manifest.database).is_file(),
        "the archive has no database ({})",
        manifest.database
    );
    Ok(manifest)
}

async fn check_sqlite(db: &Path) -> anyhow::Result<()> {
    let options = SqliteConnectOptions::new().filename(db).read_only(true);
    let mut conn = SqliteConnection::connect_with(&options).await?;
    let (answer,): (String,) = sqlx::query_as("PRAGMA integrity_check")
        .fetch_one(&mut conn)
        .await
        .context("checking the database in the archive")?;
    conn.close().await.ok();
    ensure!(
        answer == "ok",
        "the database in the archive is damaged: {answer}"
    );
    Ok(())
}

async fn ensure_empty_postgres(url: &str) -> anyhow::Result<()> {
    let mut conn = PgConnection::connect(url)
        .await
        .with_context(|| format!("connecting to {}", app::db::redact(url)))?;
    let (tables,): (i64,) = sqlx::query_as(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'",
    )
    .fetch_one(&mut conn)
    .await?;
    conn.close().await.ok();
    ensure!(
        tables == 0,
        "the database {} already has tables: restore into a new, empty database (createdb)",
        app::db::redact(url)
    );
    Ok(())
}

async fn pg_restore(url: &str, dump: &Path) -> anyhow::Result<()> {
    let (target, password) = pg_target(url)?;
    let mut command = tokio::process::Command::new("pg_restore");
    command
        .args([
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
        ])
        .arg("--dbname")
        .arg(&target)
        .arg(dump);
    if let Some(password) = password {
        command.env("PGPASSWORD", password);
    }
    let output = command
        .output()
        .await
        .context("running pg_restore (install postgresql-client)")?;
    ensure!(
        output.status.success(),
        "pg_restore failed: {}",
        String::from_utf8_lossy(&output.stderr).trim()
    );
    Ok(())
}

/// Moves the current data directory (and a SQLite file outside it) to `<dir>.before-restore-<time>`.
fn move_aside(data_dir: &Path, database: &Database) -> anyhow::Result<PathBuf> {
    let stamp = chrono::Utc::now().format("%Y%m%d-%H%M%S");
    let name = data_dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "data".into());
    // From the directory's own name, so `data/` (a trailing slash) is moved beside itself.
    let mut aside = data_dir.with_file_name(format!("{name}.before-restore-{stamp}"));
    if data_dir.exists() {
        std::fs::rename(data_dir, &aside)
            .with_context(|| format!("moving {} aside", data_dir.display()))?;
    } else {
        std::fs::create_dir_all(&aside)?;
    }
    if let Database::Sqlite(db) = database {
        // Still there: the database lives outside the data directory.
        for suffix in ["", "-wal", "-shm"] {
            let file = PathBuf::from(format!("{}{suffix}", db.display()));
            if file.exists() {
                let name = file.file_name().unwrap();
                std::fs::rename(&file, aside.join(name))
                    .with_context(|| format!("moving {} aside", file.display()))?;
            }
        }
    }
    aside = aside.canonicalize().unwrap_or(aside);
    Ok(aside)
}

fn place_data_dir(unpacked: &Path, data_dir: &Path) -> anyhow::Result<()> {
    if data_dir.exists() {
        // Empty (checked above): take its place.
        std::fs::remove_dir(data_dir)
            .with_context(|| format!("replacing {}", data_dir.display()))?;
    } else if let Some(parent) = data_dir.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::rename(unpacked, data_dir)
        .with_context(|| format!("moving the restored files to {}", data_dir.display()))
}
