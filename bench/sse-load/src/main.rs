//! Load benchmark for `GET /live?onderwerpen=ticker`, the server-sent-events stream.
//!
//! Opens many readers (raw HTTP/1.1 over tokio TCP, bound round-robin to several loopback source
//! addresses so one address's ephemeral ports are no limit), logs in as an editor, publishes
//! ticker posts `bench-<seq>-<unix micros at send>` and measures, per reader, the time from
//! sending a post to seeing it in a `data:` line. Ends with one `RESULT sse:` line.
//!
//! Per reader: one small read buffer and a few bytes of parser state (chunked decoding and the
//! search for the post text run byte by byte, without line buffers). Exits non-zero only when it
//! could not log in or hold a single stream, not when a target is missed.
//!
//! Run by `bench/sse.sh`; see `sse-load --help`.

use std::{
    collections::BTreeMap,
    io,
    net::{Ipv4Addr, SocketAddr},
    sync::{
        atomic::{AtomicU64, AtomicUsize, Ordering::Relaxed},
        Arc, Mutex,
    },
    time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

use anyhow::{anyhow, bail, Context, Result};
use clap::Parser;
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpSocket, TcpStream},
    time::{sleep, sleep_until, timeout},
};

const TARGET_READERS: usize = 20_000;
const TARGET_P99_MS: f64 = 1000.0;
/// Read buffer per reader: response headers must fit; the body streams through it.
const READER_BUF: usize = 2048;

#[derive(Parser, Debug)]
#[command(
    about = "Holds many /live SSE streams, publishes ticker posts, measures delivery latency"
)]
struct Args {
    /// Server address (IPv4).
    #[arg(long, default_value = "127.0.0.1:3000")]
    addr: SocketAddr,
    /// Streams to open.
    #[arg(long, default_value_t = 20_000)]
    readers: usize,
    /// Loopback source addresses 127.0.0.1 ..= 127.0.0.K, used round-robin.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u8).range(1..=250))]
    sources: u8,
    /// Ticker posts to publish.
    #[arg(long, default_value_t = 20)]
    posts: u32,
    /// Time between posts.
    #[arg(long, default_value_t = 1000)]
    interval_ms: u64,
    /// Editor login.
    #[arg(long, default_value = "redactie@lindewijk.example")]
    email: String,
    #[arg(long)]
    password: String,
    /// Server process, for its memory (VmRSS from /proc/<pid>/status) and open files.
    #[arg(long)]
    server_pid: Option<u32>,
    /// Streams opened per second.
    #[arg(long, default_value_t = 2000)]
    connect_rate: u32,
    /// How long one stream may take from connecting to its response headers.
    #[arg(long, default_value_t = 30)]
    header_timeout_secs: u64,
    /// Wait after the last post before counting.
    #[arg(long, default_value_t = 5)]
    settle_secs: u64,
    /// At the end, send the server SIGTERM with every stream still open and time its exit.
    #[arg(long)]
    sigterm: bool,
}

fn unix_micros() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_micros() as u64)
}

// ---------------------------------------------------------------------------------------------
// Shared counters

#[derive(Default)]
struct Stats {
    /// Reader tasks started.
    started: AtomicUsize,
    /// TCP connections established.
    connected: AtomicUsize,
    /// Streams whose response headers arrived with 200.
    ok: AtomicUsize,
    /// Streams with 200 and still open.
    open: AtomicUsize,
    /// Most streams open at once.
    peak_open: AtomicUsize,
    /// Readers that never got a 200.
    failed: AtomicUsize,
    /// Streams that had a 200 and ended later.
    dropped: AtomicUsize,
    /// Distinct (reader, post) pairs received.
    deliveries: AtomicU64,
    /// Why readers failed or ended, with counts.
    reasons: Mutex<BTreeMap<String, usize>>,
    /// Publish-to-receipt times in microseconds.
    latencies: Mutex<Vec<u32>>,
}

impl Stats {
    fn reason(&self, why: String) {
        *self.reasons.lock().unwrap().entry(why).or_default() += 1;
    }

    fn settled(&self) -> usize {
        self.ok.load(Relaxed) + self.failed.load(Relaxed)
    }
}

// ---------------------------------------------------------------------------------------------
// Chunked transfer decoding, one byte state at a time

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Chunked {
    /// Reading the hex size; `bool`: past the digits (extension or CR).
    Size(usize, bool),
    Data(usize),
    /// After a chunk's data: skipping its CRLF.
    DataEnd,
    /// After the last chunk; `bool`: at the start of a trailer line.
    Trailer(bool),
    Done,
}

impl Chunked {
    fn new() -> Self {
        Chunked::Size(0, false)
    }

    /// Decodes `data`, passing the chunk contents to `out`.
    fn feed(&mut self, mut data: &[u8], out: &mut impl FnMut(&[u8])) -> Result<()> {
        while !data.is_empty() {
            match *self {
                Chunked::Size(n, past) => {
                    let b = data[0];
                    data = &data[1..];
                    *self = match b {
                        b'\n' if n == 0 => Chunked::Trailer(true),
                        b'\n' => Chunked::Data(n),
                        _ if past => Chunked::Size(n, true),
                        b'0'..=b'9' | b'a'..=b'f' | b'A'..=b'F' => {
                            let digit = (b as char).to_digit(16).unwrap() as usize;
                            let n = n
                                .checked_mul(16)
                                .and_then(|n| n.checked_add(digit))
                                .ok_or_else(|| anyhow!("chunk size overflow"))?;
                            Chunked::Size(n, false)
                        }
                        b'\r' | b';' | b' ' | b'\t' => Chunked::Size(n, true),
                        _ => bail!("bad chunk size byte {b:#04x}"),
                    };
                }
                Chunked::Data(n) => {
                    let take = n.min(data.len());
                    out(&data[..take]);
                    data = &data[take..];
                    *self = if take == n {
                        Chunked::DataEnd
                    } else {
                        Chunked::Data(n - take)
                    };
                }
                Chunked::DataEnd => {
                    let b = data[0];
                    data = &data[1..];
                    match b {
                        b'\r' => {}
                        b'\n' => *self = Chunked::Size(0, false),
                        _ => bail!("missing CRLF after chunk"),
                    }
                }
                Chunked::Trailer(line_start) => {
                    let b = data[0];
                    data = &data[1..];
                    *self = match b {
                        b'\n' if line_start => Chunked::Done,
                        b'\n' => Chunked::Trailer(true),
                        b'\r' => Chunked::Trailer(line_start),
                        _ => Chunked::Trailer(false),
                    };
                }
                Chunked::Done => return Ok(()),
            }
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// Finds `bench-<seq>-<micros>` in SSE `data:` lines, byte by byte

const DATA: &[u8] = b"data:";
const MARK: &[u8] = b"bench-";

#[derive(Clone, Copy, Debug)]
enum Line {
    /// At this many bytes of `data:` into the line.
    Start(usize),
    Data,
    Other,
}

#[derive(Clone, Copy, Debug)]
enum Mark {
    /// This many bytes of `bench-` matched.
    Prefix(usize),
    /// Sequence digits; `bool`: at least one.
    Seq(u64, bool),
    /// Sequence, then timestamp digits; `bool`: at least one.
    Time(u64, u64, bool),
}

struct Scanner {
    line: Line,
    mark: Mark,
}

impl Scanner {
    fn new() -> Self {
        Scanner {
            line: Line::Start(0),
            mark: Mark::Prefix(0),
        }
    }

    fn restart(b: u8) -> Mark {
        Mark::Prefix(usize::from(b == MARK[0]))
    }

    /// Calls `hit(seq, micros)` for every complete `bench-<seq>-<micros>` in a data line.
    fn feed(&mut self, data: &[u8], hit: &mut impl FnMut(u64, u64)) {
        for &b in data {
            if b == b'\n' || b == b'\r' {
                if let (Line::Data, Mark::Time(seq, t, true)) = (self.line, self.mark) {
                    hit(seq, t);
                }
                self.line = Line::Start(0);
                self.mark = Mark::Prefix(0);
                continue;
            }
            match self.line {
                Line::Start(i) => {
                    self.line = if b != DATA[i] {
                        Line::Other
                    } else if i + 1 == DATA.len() {
                        Line::Data
                    } else {
                        Line::Start(i + 1)
                    };
                    continue;
                }
                Line::Other => continue,
                Line::Data => {}
            }
            self.mark = match self.mark {
                Mark::Prefix(i) if b == MARK[i] => {
                    if i + 1 == MARK.len() {
                        Mark::Seq(0, false)
                    } else {
                        Mark::Prefix(i + 1)
                    }
                }
                Mark::Prefix(_) => Self::restart(b),
                Mark::Seq(n, _) if b.is_ascii_digit() => {
                    match n
                        .checked_mul(10)
                        .and_then(|n| n.checked_add(u64::from(b - b'0')))
                    {
                        Some(n) => Mark::Seq(n, true),
                        None => Mark::Prefix(0),
                    }
                }
                Mark::Seq(n, true) if b == b'-' => Mark::Time(n, 0, false),
                Mark::Seq(..) => Self::restart(b),
                Mark::Time(seq, t, _) if b.is_ascii_digit() => {
                    match t
                        .checked_mul(10)
                        .and_then(|t| t.checked_add(u64::from(b - b'0')))
                    {
                        Some(t) => Mark::Time(seq, t, true),
                        None => Mark::Prefix(0),
                    }
                }
                Mark::Time(seq, t, digits) => {
                    if digits {
                        hit(seq, t);
                    }
                    Self::restart(b)
                }
            };
        }
    }
}

// ---------------------------------------------------------------------------------------------
// HTTP/1.1 by hand

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

struct Head {
    status: u16,
    headers: Vec<(String, String)>,
}

impl Head {
    fn parse(raw: &[u8]) -> Result<Head> {
        let text = std::str::from_utf8(raw).context("response headers are not UTF-8")?;
        let mut lines = text.split("\r\n");
        let status_line = lines.next().unwrap_or_default();
        let status = status_line
            .strip_prefix("HTTP/1.")
            .and_then(|rest| rest.get(2..5))
            .and_then(|code| code.parse().ok())
            .ok_or_else(|| anyhow!("bad status line {status_line:?}"))?;
        let headers = lines
            .filter_map(|line| line.split_once(':'))
            .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_string()))
            .collect();
        Ok(Head { status, headers })
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn chunked(&self) -> bool {
        self.get("transfer-encoding")
            .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"))
    }
}

struct Response {
    head: Head,
    body: Vec<u8>,
}

/// Reads one response (headers, then the body by Content-Length, chunks or to EOF).
async fn read_response(stream: &mut TcpStream) -> Result<Response> {
    let mut raw = Vec::with_capacity(4096);
    let mut buf = [0u8; 4096];
    let head_end = loop {
        let n = stream.read(&mut buf).await?;
        if n == 0 {
            bail!("connection closed before the response headers");
        }
        raw.extend_from_slice(&buf[..n]);
        if let Some(p) = find(&raw, b"\r\n\r\n") {
            break p + 4;
        }
        if raw.len() > 64 * 1024 {
            bail!("response headers too large");
        }
    };
    let head = Head::parse(&raw[..head_end - 4])?;
    let rest = raw.split_off(head_end);
    let mut body = Vec::new();
    if head.chunked() {
        let mut chunks = Chunked::new();
        chunks.feed(&rest, &mut |d| body.extend_from_slice(d))?;
        while chunks != Chunked::Done {
            let n = stream.read(&mut buf).await?;
            if n == 0 {
                bail!("connection closed inside a chunked body");
            }
            chunks.feed(&buf[..n], &mut |d| body.extend_from_slice(d))?;
        }
    } else if let Some(len) = head.get("content-length") {
        let len: usize = len.parse().context("bad Content-Length")?;
        body = rest;
        while body.len() < len {
            let n = stream.read(&mut buf).await?;
            if n == 0 {
                bail!("connection closed inside the body");
            }
            body.extend_from_slice(&buf[..n]);
        }
        body.truncate(len);
    } else {
        body = rest;
        stream.read_to_end(&mut body).await?;
    }
    Ok(Response { head, body })
}

fn form_encode(pairs: &[(&str, &str)]) -> String {
    let mut out = String::new();
    for (i, (name, value)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        for (j, part) in [name, value].into_iter().enumerate() {
            if j == 1 {
                out.push('=');
            }
            for b in part.bytes() {
                match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' => {
                        out.push(b as char)
                    }
                    b' ' => out.push('+'),
                    _ => out.push_str(&format!("%{b:02X}")),
                }
            }
        }
    }
    out
}

fn post_request(
    addr: SocketAddr,
    path: &str,
    cookie: Option<&str>,
    body: &str,
    close: bool,
) -> String {
    let mut req = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://{addr}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
        body.len()
    );
    if let Some(cookie) = cookie {
        req.push_str(&format!("Cookie: {cookie}\r\n"));
    }
    req.push_str(if close {
        "Connection: close\r\n"
    } else {
        "Connection: keep-alive\r\n"
    });
    req.push_str("\r\n");
    req.push_str(body);
    req
}

fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(200)]);
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Logs in; returns the `Cookie` header value for later requests.
async fn login(addr: SocketAddr, email: &str, password: &str) -> Result<String> {
    let mut stream = TcpStream::connect(addr)
        .await
        .with_context(|| format!("connecting to {addr}"))?;
    let body = form_encode(&[("email", email), ("wachtwoord", password)]);
    stream
        .write_all(post_request(addr, "/redactie/inloggen", None, &body, true).as_bytes())
        .await?;
    let response = read_response(&mut stream).await?;
    let location = response.head.get("location").unwrap_or("");
    if response.head.status != 303 || location != "/redactie" {
        bail!(
            "login refused: HTTP {} (Location {location:?}): {}",
            response.head.status,
            snippet(&response.body)
        );
    }
    let cookies: Vec<&str> = response
        .head
        .headers
        .iter()
        .filter(|(name, _)| name == "set-cookie")
        .filter_map(|(_, value)| value.split(';').next())
        .map(str::trim)
        .filter(|c| c.contains('='))
        .collect();
    if cookies.is_empty() {
        bail!("login answered 303 without a session cookie");
    }
    Ok(cookies.join("; "))
}

/// The editor's connection for posts: kept alive, so publishing needs no new server socket while
/// the server holds all the streams it can; reconnects once if the server closed it.
struct Publisher {
    addr: SocketAddr,
    cookie: String,
    stream: Option<TcpStream>,
}

impl Publisher {
    async fn connect(&mut self) -> Result<()> {
        let mut stream = TcpStream::connect(self.addr).await?;
        stream.set_nodelay(true)?;
        // Prove keep-alive works before the streams take the server's sockets.
        let req = format!("GET /readyz HTTP/1.1\r\nHost: {}\r\n\r\n", self.addr);
        stream.write_all(req.as_bytes()).await?;
        let response = read_response(&mut stream).await?;
        if response.head.status != 200 {
            bail!("/readyz answered HTTP {}", response.head.status);
        }
        self.stream = Some(stream);
        Ok(())
    }

    async fn try_post(&mut self, text: &str) -> Result<Response> {
        if self.stream.is_none() {
            self.connect().await?;
        }
        let stream = self.stream.as_mut().unwrap();
        let body = form_encode(&[("bericht", text), ("link", ""), ("verloopt", "")]);
        let req = post_request(
            self.addr,
            "/redactie/live/ticker",
            Some(&self.cookie),
            &body,
            false,
        );
        let result = async {
            stream.write_all(req.as_bytes()).await?;
            read_response(stream).await
        }
        .await;
        match &result {
            Ok(r)
                if r.head
                    .get("connection")
                    .is_some_and(|c| c.eq_ignore_ascii_case("close")) =>
            {
                self.stream = None
            }
            Ok(_) => {}
            Err(_) => self.stream = None,
        }
        result
    }

    /// Posts `bench-<seq>-<micros now>`; returns the send time and the response.
    async fn post(&mut self, seq: u32) -> Result<(u64, Response)> {
        let sent = unix_micros();
        match self.try_post(&format!("bench-{seq}-{sent}")).await {
            Ok(response) => Ok((sent, response)),
            Err(first) => {
                eprintln!("post {seq}: {first:#}; retrying on a new connection");
                let sent = unix_micros();
                let response = self.try_post(&format!("bench-{seq}-{sent}")).await?;
                Ok((sent, response))
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Readers

fn describe(err: &io::Error) -> String {
    match err.raw_os_error() {
        Some(_) => err.to_string(),
        None => format!("{:?}: {err}", err.kind()),
    }
}

/// Connects, sends the request and reads the headers. Returns the stream, the buffer and the
/// range of body bytes already in it.
async fn open_stream(
    addr: SocketAddr,
    source: Ipv4Addr,
    stats: &Stats,
) -> Result<(TcpStream, Box<[u8]>, usize, usize, bool), String> {
    let socket = TcpSocket::new_v4().map_err(|e| format!("socket: {}", describe(&e)))?;
    socket
        .bind(SocketAddr::new(source.into(), 0))
        .map_err(|e| format!("bind {source}: {}", describe(&e)))?;
    let mut stream = socket
        .connect(addr)
        .await
        .map_err(|e| format!("connect: {}", describe(&e)))?;
    stats.connected.fetch_add(1, Relaxed);
    let _ = stream.set_nodelay(true);
    let req = format!(
        "GET /live?onderwerpen=ticker HTTP/1.1\r\nHost: {addr}\r\n\
         Accept: text/event-stream\r\nCache-Control: no-cache\r\n\r\n"
    );
    stream
        .write_all(req.as_bytes())
        .await
        .map_err(|e| format!("write: {}", describe(&e)))?;
    let mut buf = vec![0u8; READER_BUF].into_boxed_slice();
    let mut filled = 0;
    let head_end = loop {
        let n = stream
            .read(&mut buf[filled..])
            .await
            .map_err(|e| format!("read headers: {}", describe(&e)))?;
        if n == 0 {
            return Err("closed before the response headers".into());
        }
        filled += n;
        if let Some(p) = find(&buf[..filled], b"\r\n\r\n") {
            break p + 4;
        }
        if filled == buf.len() {
            return Err("response headers too large".into());
        }
    };
    let head = Head::parse(&buf[..head_end - 4]).map_err(|e| e.to_string())?;
    if head.status != 200 {
        return Err(format!("HTTP {}", head.status));
    }
    let chunked = head.chunked();
    Ok((stream, buf, head_end, filled, chunked))
}

async fn reader(
    index: usize,
    addr: SocketAddr,
    sources: u8,
    posts: u32,
    header_timeout: Duration,
    stats: Arc<Stats>,
) {
    stats.started.fetch_add(1, Relaxed);
    let source = Ipv4Addr::new(127, 0, 0, 1 + (index % usize::from(sources)) as u8);
    let opened = timeout(header_timeout, open_stream(addr, source, &stats)).await;
    let (mut stream, mut buf, start, filled, chunked) = match opened {
        Ok(Ok(opened)) => opened,
        Ok(Err(why)) => {
            stats.failed.fetch_add(1, Relaxed);
            stats.reason(why);
            return;
        }
        Err(_) => {
            stats.failed.fetch_add(1, Relaxed);
            stats.reason("no response headers in time".into());
            return;
        }
    };
    stats.ok.fetch_add(1, Relaxed);
    let open = stats.open.fetch_add(1, Relaxed) + 1;
    stats.peak_open.fetch_max(open, Relaxed);

    // Posts seen by this reader, one bit each.
    let mut seen = vec![0u64; (posts as usize).div_ceil(64)];
    let mut chunks = chunked.then(Chunked::new);
    let mut scanner = Scanner::new();
    let mut now = unix_micros();
    let mut process = |data: &[u8], now: u64| -> Result<bool> {
        let mut hit = |seq: u64, sent: u64| {
            if seq == 0 || seq > u64::from(posts) {
                return;
            }
            let bit = (seq - 1) as usize;
            let word = &mut seen[bit / 64];
            if *word & (1 << (bit % 64)) != 0 {
                return;
            }
            *word |= 1 << (bit % 64);
            let micros = now.saturating_sub(sent).min(u64::from(u32::MAX)) as u32;
            stats.latencies.lock().unwrap().push(micros);
            stats.deliveries.fetch_add(1, Relaxed);
        };
        match &mut chunks {
            Some(chunks) => {
                chunks.feed(data, &mut |d| scanner.feed(d, &mut hit))?;
                Ok(*chunks == Chunked::Done)
            }
            None => {
                scanner.feed(data, &mut hit);
                Ok(false)
            }
        }
    };
    let mut result = process(&buf[start..filled], now);
    let end = loop {
        match result {
            Ok(true) => break "stream ended".to_string(),
            Err(e) => break format!("bad stream: {e}"),
            Ok(false) => {}
        }
        match stream.read(&mut buf).await {
            Ok(0) => break "closed by the server".to_string(),
            Ok(n) => {
                now = unix_micros();
                result = process(&buf[..n], now);
            }
            Err(e) => break format!("read: {}", describe(&e)),
        }
    };
    stats.open.fetch_sub(1, Relaxed);
    stats.dropped.fetch_add(1, Relaxed);
    stats.reason(format!("after 200: {end}"));
}

// ---------------------------------------------------------------------------------------------
// Server process figures

/// A `kB` field of /proc/<pid>/status, in KiB.
fn proc_status_kib(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status_field(&status, field)
}

fn status_field(status: &str, field: &str) -> Option<u64> {
    status
        .lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// /proc/<pid>/status, opened once: while the readers use up this process's open files, a
/// fresh open would fail.
struct StatusFile(Mutex<std::fs::File>);

impl StatusFile {
    fn open(pid: u32) -> Option<StatusFile> {
        let file = std::fs::File::open(format!("/proc/{pid}/status")).ok()?;
        Some(StatusFile(Mutex::new(file)))
    }

    fn kib(&self, field: &str) -> Option<u64> {
        use std::io::{Read, Seek};
        let mut file = self.0.lock().unwrap();
        file.rewind().ok()?;
        let mut status = String::new();
        file.read_to_string(&mut status).ok()?;
        status_field(&status, field)
    }
}

fn open_files(pid: u32) -> Option<usize> {
    Some(std::fs::read_dir(format!("/proc/{pid}/fd")).ok()?.count())
}

/// The soft limit on open files of a process, from /proc/<pid>/limits.
fn max_open_files(pid: &str) -> Option<u64> {
    let limits = std::fs::read_to_string(format!("/proc/{pid}/limits")).ok()?;
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    line.split_whitespace().nth(3)?.parse().ok()
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

fn percentile(sorted: &[u32], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    f64::from(sorted[rank - 1]) / 1000.0
}

// ---------------------------------------------------------------------------------------------

#[tokio::main]
async fn main() {
    let args = Args::parse();
    match run(args).await {
        Ok(code) => std::process::exit(code),
        Err(err) => {
            eprintln!("sse-load: {err:#}");
            println!("RESULT sse: FAILED ({err:#})");
            std::process::exit(1);
        }
    }
}

async fn run(args: Args) -> Result<i32> {
    if !args.addr.is_ipv4() {
        bail!("--addr must be an IPv4 address");
    }
    if let Some(limit) = max_open_files("self") {
        if (limit as usize) < args.readers + 32 {
            eprintln!(
                "warning: this process may open {limit} files, fewer than {} readers need",
                args.readers
            );
        }
    }
    if let Some(pid) = args.server_pid {
        if let Some(limit) = max_open_files(&pid.to_string()) {
            if (limit as usize) < args.readers + 64 {
                eprintln!(
                    "warning: the server may open {limit} files, fewer than {} readers need",
                    args.readers
                );
            }
        }
        eprintln!(
            "server pid {pid}: RSS {:.1} MiB, {} open files before the readers",
            mib(proc_status_kib(pid, "VmRSS").unwrap_or(0)),
            open_files(pid).map_or("?".into(), |n| n.to_string())
        );
    }

    // Log in and open the publisher's connection first: once the server holds all the streams
    // it can, a new connection may not be accepted at all.
    let cookie = login(args.addr, &args.email, &args.password)
        .await
        .context("logging in")?;
    let mut publisher = Publisher {
        addr: args.addr,
        cookie,
        stream: None,
    };
    publisher
        .connect()
        .await
        .context("opening the publisher's connection")?;
    eprintln!("logged in as {}", args.email);

    let stats = Arc::new(Stats::default());
    let begin = Instant::now();

    // Server memory, sampled throughout.
    let peak_rss = Arc::new(AtomicU64::new(0));
    let status = args.server_pid.and_then(StatusFile::open).map(Arc::new);
    if let Some(status) = status.clone() {
        let peak_rss = peak_rss.clone();
        tokio::spawn(async move {
            loop {
                if let Some(rss) = status.kib("VmRSS") {
                    peak_rss.fetch_max(rss, Relaxed);
                }
                sleep(Duration::from_millis(250)).await;
            }
        });
    }
    {
        let stats = stats.clone();
        let status = status.clone();
        let n = args.readers;
        tokio::spawn(async move {
            loop {
                sleep(Duration::from_secs(2)).await;
                let rss = status
                    .as_ref()
                    .and_then(|s| s.kib("VmRSS"))
                    .map_or(String::new(), |k| format!(", server RSS {:.0} MiB", mib(k)));
                eprintln!(
                    "[{:5.1}s] started {}/{n}, connected {}, 200 {}, open {}, failed {}, dropped {}, deliveries {}{rss}",
                    begin.elapsed().as_secs_f64(),
                    stats.started.load(Relaxed),
                    stats.connected.load(Relaxed),
                    stats.ok.load(Relaxed),
                    stats.open.load(Relaxed),
                    stats.failed.load(Relaxed),
                    stats.dropped.load(Relaxed),
                    stats.deliveries.load(Relaxed),
                );
            }
        });
    }

    // Open the readers at the connect rate.
    let header_timeout = Duration::from_secs(args.header_timeout_secs);
    let rate = f64::from(args.connect_rate.max(1));
    let mut spawned = 0;
    let mut tick = tokio::time::interval(Duration::from_millis(5));
    while spawned < args.readers {
        tick.tick().await;
        let due = ((begin.elapsed().as_secs_f64() * rate) as usize + 1).min(args.readers);
        while spawned < due {
            tokio::spawn(reader(
                spawned,
                args.addr,
                args.sources,
                args.posts,
                header_timeout,
                stats.clone(),
            ));
            spawned += 1;
        }
    }
    let spawn_secs = begin.elapsed().as_secs_f64();
    // Until every reader has its answer (or its header timeout ran out).
    while stats.settled() < args.readers {
        sleep(Duration::from_millis(100)).await;
    }
    let held_before = stats.open.load(Relaxed);
    eprintln!(
        "holding {held_before}/{} streams ({:.1} s to start them, {:.1} s until all answered)",
        args.readers,
        spawn_secs,
        begin.elapsed().as_secs_f64()
    );
    if stats.ok.load(Relaxed) == 0 {
        print_reasons(&stats);
        println!("RESULT sse: FAILED (no stream got a 200; see the reasons above)");
        return Ok(1);
    }

    // Publish.
    let mut expected = 0u64;
    let mut post_failures = 0u32;
    let mut rtts = Vec::new();
    let first = tokio::time::Instant::now() + Duration::from_millis(500);
    for seq in 1..=args.posts {
        sleep_until(first + Duration::from_millis(args.interval_ms) * (seq - 1)).await;
        let open = stats.open.load(Relaxed) as u64;
        match publisher.post(seq).await {
            Ok((sent, response)) if response.head.status == 303 => {
                expected += open;
                rtts.push(unix_micros().saturating_sub(sent) as u32);
            }
            Ok((_, response)) => {
                post_failures += 1;
                eprintln!(
                    "post {seq}: HTTP {}: {}",
                    response.head.status,
                    snippet(&response.body)
                );
            }
            Err(err) => {
                post_failures += 1;
                eprintln!("post {seq}: {err:#}");
            }
        }
    }
    sleep(Duration::from_secs(args.settle_secs)).await;

    // Count.
    let held = stats.open.load(Relaxed);
    let deliveries = stats.deliveries.load(Relaxed);
    let mut latencies = std::mem::take(&mut *stats.latencies.lock().unwrap());
    latencies.sort_unstable();
    let (p50, p99, max) = (
        percentile(&latencies, 0.50),
        percentile(&latencies, 0.99),
        latencies
            .last()
            .map_or(f64::NAN, |&m| f64::from(m) / 1000.0),
    );
    rtts.sort_unstable();
    let server_rss = match (args.server_pid, &status) {
        (Some(pid), Some(status)) => {
            let now = status.kib("VmRSS").unwrap_or(0);
            let peak = peak_rss.load(Relaxed).max(now);
            eprintln!(
                "server: RSS now {:.1} MiB, sampled peak {:.1} MiB, VmHWM {:.1} MiB, {} open files",
                mib(now),
                mib(peak),
                mib(status.kib("VmHWM").unwrap_or(0)),
                open_files(pid).map_or("?".into(), |n| n.to_string())
            );
            format!("server RSS {:.0} MiB (peak {:.0} MiB)", mib(now), mib(peak))
        }
        _ => "server RSS n/a".into(),
    };
    let client_rss = proc_status_kib(std::process::id(), "VmRSS").unwrap_or(0);
    eprintln!(
        "client RSS {:.1} MiB; post round trips p50 {:.1} ms, max {:.1} ms; {post_failures} posts failed",
        mib(client_rss),
        percentile(&rtts, 0.5),
        rtts.last().map_or(f64::NAN, |&m| f64::from(m) / 1000.0),
    );
    print_reasons(&stats);

    let pct = if expected == 0 {
        0.0
    } else {
        100.0 * deliveries as f64 / expected as f64
    };
    let met = held >= TARGET_READERS && p99 <= TARGET_P99_MS && deliveries >= expected;
    println!(
        "RESULT sse: {held}/{} readers held (peak {}), deliveries {deliveries}/{expected} ({pct:.2}%), \
         latency p50 {p50:.1} ms, p99 {p99:.1} ms, max {max:.1} ms, {server_rss}, \
         {}/{} posts ok (target {TARGET_READERS} readers, p99 <= {TARGET_P99_MS:.0} ms: {})",
        args.readers,
        stats.peak_open.load(Relaxed),
        args.posts - post_failures,
        args.posts,
        if met { "met" } else { "MISSED" },
    );
    if let (true, Some(pid)) = (args.sigterm, args.server_pid) {
        shutdown(pid, &stats).await;
    }
    Ok(0)
}

/// Sends SIGTERM and reports how long the server takes to exit (its process turns zombie or
/// disappears) and to end every stream. Target: within 10 s.
async fn shutdown(pid: u32, stats: &Stats) {
    let open = stats.open.load(Relaxed);
    let start = Instant::now();
    let sent = std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status();
    if !sent.is_ok_and(|s| s.success()) {
        println!("RESULT shutdown: could not signal the server");
        return;
    }
    let (mut exited, mut ended) = (None, None);
    while start.elapsed() < Duration::from_secs(30) && (exited.is_none() || ended.is_none()) {
        if exited.is_none() && !process_alive(pid) {
            exited = Some(start.elapsed());
        }
        if ended.is_none() && stats.open.load(Relaxed) == 0 {
            ended = Some(start.elapsed());
        }
        sleep(Duration::from_millis(10)).await;
    }
    let ms =
        |d: Option<Duration>| d.map_or("over 30000 ms".into(), |d| format!("{} ms", d.as_millis()));
    println!(
        "RESULT shutdown: with {open} streams open, the server exited {} after SIGTERM and every \
         stream had ended after {} (target: exit within 10 s)",
        ms(exited),
        ms(ended)
    );
}

/// Running, not a zombie (the script, not this client, reaps the server).
fn process_alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|stat| {
            let state = stat.rsplit_once(") ")?.1.chars().next()?;
            Some(state != 'Z' && state != 'X')
        })
        .unwrap_or(false)
}

fn print_reasons(stats: &Stats) {
    let reasons = stats.reasons.lock().unwrap();
    for (why, count) in reasons.iter() {
        eprintln!("  {count:6} x {why}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan_chunked(raw: &[u8], split: usize) -> (Vec<(u64, u64)>, Chunked) {
        let mut hits = Vec::new();
        let mut chunks = Chunked::new();
        let mut scanner = Scanner::new();
        for part in [&raw[..split], &raw[split..]] {
            chunks
                .feed(part, &mut |d| {
                    scanner.feed(d, &mut |s, t| hits.push((s, t)))
                })
                .unwrap();
        }
        (hits, chunks)
    }

    #[test]
    fn finds_posts_in_data_lines_across_any_split() {
        let event = b"id: 17\nevent: ticker\ndata: {\"html\":\"<span>bench-3-1700000000123456</span>\"}\n\n";
        let skip = b": bench-9-1 heartbeat\n\n";
        let mut raw = Vec::new();
        for body in [&skip[..], &event[..]] {
            raw.extend_from_slice(format!("{:x}\r\n", body.len()).as_bytes());
            raw.extend_from_slice(body);
            raw.extend_from_slice(b"\r\n");
        }
        raw.extend_from_slice(b"0\r\n\r\n");
        for split in 0..=raw.len() {
            let (hits, state) = scan_chunked(&raw, split);
            assert_eq!(hits, vec![(3, 1_700_000_000_123_456)], "split at {split}");
            assert_eq!(state, Chunked::Done);
        }
    }

    #[test]
    fn ignores_partial_marks() {
        let mut hits = Vec::new();
        Scanner::new().feed(
            b"data: bbench-x bench-1- bench-2-5 bench--3 bench-4-77\n",
            &mut |s, t| hits.push((s, t)),
        );
        assert_eq!(hits, vec![(2, 5), (4, 77)]);
    }

    #[test]
    fn encodes_forms() {
        assert_eq!(
            form_encode(&[("email", "a@b.example"), ("x", "p w&=")]),
            "email=a%40b.example&x=p+w%26%3D"
        );
    }
}
