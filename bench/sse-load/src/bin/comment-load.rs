//! Comment write load (used by bench/comments.sh): WRITERS concurrent readers post comments
//! through the real form for SECONDS, each fetching the article page first for its form token.
//! Every comment that got a success answer (303) is written to `--accepted`, one marker per
//! line, so the script can check after a `kill -9` that each one is in the database.

use std::{
    io::Write,
    net::SocketAddr,
    sync::{
        atomic::{AtomicU64, Ordering::Relaxed},
        Arc, Mutex,
    },
    time::{Duration, Instant},
};

use anyhow::{bail, Context, Result};
use clap::Parser;
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

#[derive(Parser)]
struct Args {
    #[arg(long)]
    addr: SocketAddr,
    #[arg(long, default_value_t = 50)]
    writers: usize,
    #[arg(long, default_value_t = 60)]
    seconds: u64,
    /// Article pages to comment on (paths), comma-separated.
    #[arg(long)]
    articles: String,
    /// Where to write the markers of accepted comments.
    #[arg(long)]
    accepted: std::path::PathBuf,
}

#[derive(Default)]
struct Stats {
    ok: AtomicU64,
    refused: AtomicU64,
    server_errors: AtomicU64,
    failed: AtomicU64,
}

/// One request on its own connection; returns the status and the body.
async fn request(addr: SocketAddr, head: &str, body: &str) -> Result<(u16, String)> {
    let mut stream = TcpStream::connect(addr).await?;
    let request = format!(
        "{head}\r\nHost: {addr}\r\nOrigin: http://{addr}\r\nConnection: close\r\n\
         Content-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await?;
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .context("no status line")?;
    Ok((status, text))
}

fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            b' ' => "+".into(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn writer(
    n: usize,
    args: Arc<Args>,
    articles: Arc<Vec<(i64, String)>>,
    stats: Arc<Stats>,
    accepted: Arc<Mutex<std::fs::File>>,
    until: Instant,
) {
    let mut seq = 0u64;
    while Instant::now() < until {
        seq += 1;
        let (id, path) = &articles[(n + seq as usize) % articles.len()];
        let page = request(args.addr, &format!("GET {path} HTTP/1.1"), "").await;
        let token = match page {
            Ok((200, html)) => html
                .split("name=\"geladen\" value=\"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .map(str::to_string),
            Ok((status, _)) if status >= 500 => {
                stats.server_errors.fetch_add(1, Relaxed);
                None
            }
            _ => None,
        };
        let Some(token) = token else {
            stats.failed.fetch_add(1, Relaxed);
            // The server is gone (killed on purpose at the end): do not spin.
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        };
        let marker = format!("lastmeting-{n}-{seq}");
        let form = format!(
            "naam=Schrijver+{n}&email=schrijver{n}%40voorbeeld.nl&bericht={}&geladen={}&website=",
            encode(&format!("Reactie {marker} over dit artikel.")),
            encode(&token)
        );
        let post = format!(
            "POST /reageren/{id} HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded"
        );
        match request(args.addr, &post, &form).await {
            Ok((303, _)) => {
                stats.ok.fetch_add(1, Relaxed);
                let mut file = accepted.lock().unwrap();
                let _ = writeln!(file, "{marker}");
            }
            Ok((status, _)) if status >= 500 => {
                stats.server_errors.fetch_add(1, Relaxed);
            }
            Ok(_) => {
                stats.refused.fetch_add(1, Relaxed);
            }
            Err(_) => {
                stats.failed.fetch_add(1, Relaxed);
            }
        }
    }
}

#[tokio::main]
async fn main() -> Result<()> {
    let args = Arc::new(Args::parse());
    // Article ids come from their form's action.
    let mut articles = Vec::new();
    for path in args.articles.split(',').filter(|p| !p.is_empty()) {
        let (status, html) = request(args.addr, &format!("GET {path} HTTP/1.1"), "").await?;
        let id = html
            .split("action=\"/reageren/")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .and_then(|id| id.parse::<i64>().ok());
        match (status, id) {
            (200, Some(id)) => articles.push((id, path.to_string())),
            _ => eprintln!("skipping {path}: no open comment form"),
        }
    }
    if articles.is_empty() {
        bail!("no article with an open comment form");
    }
    let accepted = Arc::new(Mutex::new(std::fs::File::create(&args.accepted)?));
    let stats = Arc::new(Stats::default());
    let until = Instant::now() + Duration::from_secs(args.seconds);
    let articles = Arc::new(articles);
    let tasks: Vec<_> = (0..args.writers)
        .map(|n| {
            tokio::spawn(writer(
                n,
                args.clone(),
                articles.clone(),
                stats.clone(),
                accepted.clone(),
                until,
            ))
        })
        .collect();
    for task in tasks {
        task.await?;
    }
    accepted.lock().unwrap().sync_all()?;
    let ok = stats.ok.load(Relaxed);
    println!(
        "RESULT comments: {} writers for {} s: {ok} accepted ({:.1}/s), {} refused, {} server errors (5xx), {} requests without an answer (after the kill)",
        args.writers,
        args.seconds,
        ok as f64 / args.seconds as f64,
        stats.refused.load(Relaxed),
        stats.server_errors.load(Relaxed),
        stats.failed.load(Relaxed),
    );
    Ok(())
}
