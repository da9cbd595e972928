//! Configuration: flags, each with an environment variable fallback, then defaults.

use std::{net::SocketAddr, path::PathBuf};

use clap::{builder::BoolishValueParser, Parser, Subcommand, ValueEnum};

use app::site::{default_sections, Section, SiteInfo};

#[derive(Clone, Debug, Parser)]
#[command(
    name = "zender",
    version,
    about = "Zender: de nieuwssite en het redactiesysteem van een lokale omroep.",
    long_about = "Zender serves the public news site of a local broadcaster.\n\n\
                  Without ZENDER_DATABASE_URL it keeps everything in one SQLite file under the \
                  data directory, created and migrated at start; with ZENDER_DEMO=1 it loads fictional \
                  demo content into an empty database."
)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "ZENDER_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: SocketAddr,

    /// Directory for the SQLite database and uploaded media.
    #[arg(long, env = "ZENDER_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,

    /// sqlite://… or postgres://… (default: sqlite://<data dir>/zender.db).
    #[arg(long, env = "ZENDER_DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,

    /// Load the fictional demo content (and demo editor accounts) into an empty database. Off by
    /// default: a production install must not start with known accounts.
    #[arg(long, env = "ZENDER_DEMO", default_value = "false", value_parser = BoolishValueParser::new())]
    pub demo: bool,

    /// Where the built site (pkg/, CSS, public assets) lives.
    #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site")]
    pub site_root: PathBuf,

    /// Public base URL, for canonical links (default: http://<addr>).
    #[arg(long, env = "ZENDER_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// The broadcaster's name.
    #[arg(long, env = "ZENDER_SITE_NAME", default_value = "Omroep Lindewijk")]
    pub site_name: String,

    /// The line under the name.
    #[arg(
        long,
        env = "ZENDER_SITE_TAGLINE",
        default_value = "Nieuws, Cultuur, Educatie, Informatie, Entertainment"
    )]
    pub site_tagline: String,

    /// Sections as slug:Name pairs, comma separated (default: the five of a local broadcaster).
    #[arg(long, env = "ZENDER_SECTIONS", value_parser = parse_sections)]
    pub sections: Option<Sections>,

    /// Log format.
    #[arg(long, env = "ZENDER_LOG_FORMAT", value_enum, default_value = "text")]
    pub log_format: LogFormat,

    /// Password for the demo accounts (default: a random one, printed once at start).
    #[arg(long, env = "ZENDER_DEMO_PASSWORD", hide_env_values = true)]
    pub demo_password: Option<String>,

    /// Comments wait for a moderator before they appear (pre-moderation; the default).
    #[arg(long, env = "ZENDER_COMMENTS_PREMODERATION", default_value = "true", value_parser = BoolishValueParser::new())]
    pub comments_premoderation: bool,

    /// A comment form sent back sooner than this many seconds after the page was shown is refused.
    #[arg(long, env = "ZENDER_COMMENTS_MIN_SECONDS", default_value_t = 3)]
    pub comments_min_seconds: i64,

    /// Comments one client (by hashed IP address) may post per ten minutes.
    #[arg(long, env = "ZENDER_COMMENTS_PER_CLIENT", default_value_t = 5)]
    pub comments_per_client: i64,

    /// Comments one e-mail address may post per ten minutes.
    #[arg(long, env = "ZENDER_COMMENTS_PER_EMAIL", default_value_t = 5)]
    pub comments_per_email: i64,

    /// Comma-separated words that send a comment to the moderation queue.
    #[arg(long, env = "ZENDER_COMMENTS_BANNED_WORDS", default_value = "")]
    pub comments_banned_words: String,

    /// Comments close this many days after publication (0: never).
    #[arg(long, env = "ZENDER_COMMENTS_CLOSE_AFTER_DAYS", default_value_t = 30)]
    pub comments_close_after_days: i64,

    /// Proxies whose X-Forwarded-For / Forwarded headers name the client (CIDR list, e.g.
    /// `127.0.0.1,10.0.0.0/8`). Without it those headers are ignored.
    #[arg(long, env = "ZENDER_TRUSTED_PROXIES", default_value = "", value_parser = crate::http::client::TrustedProxies::parse)]
    pub trusted_proxies: crate::http::client::TrustedProxies,

    /// Memory for rendered public pages (MB; 0: render every request).
    #[arg(long, env = "ZENDER_PAGE_CACHE_MB", default_value_t = 64)]
    pub page_cache_mb: u64,

    /// The site is served over https only: browsers are told to come back over https
    /// (Strict-Transport-Security, two years).
    #[arg(long, env = "ZENDER_HSTS", default_value = "false", value_parser = BoolishValueParser::new())]
    pub hsts: bool,

    /// Live streams open at once, in all; beyond it pages poll `/live.json` instead.
    #[arg(long, env = "ZENDER_STREAMS_MAX", default_value_t = 4_000)]
    pub streams_max: usize,

    /// Live streams open at once from one client address (IPv6: one /64). Readers behind one
    /// carrier or school address share it; beyond it their pages poll instead.
    #[arg(long, env = "ZENDER_STREAMS_PER_CLIENT", default_value_t = 32)]
    pub streams_per_client: usize,

    /// Seconds a request may take until its answer starts (uploads: ten times as long);
    /// beyond it the client gets 408.
    #[arg(long, env = "ZENDER_REQUEST_TIMEOUT_SECONDS", default_value_t = 30)]
    pub request_timeout_seconds: u64,

    /// Seconds between asking each station's Icecast what it plays (0: never).
    #[arg(long, env = "ZENDER_NOW_PLAYING_SECONDS", default_value_t = 15)]
    pub now_playing_seconds: u64,

    /// Serve `/metrics` (Prometheus) on this address of its own, e.g. 127.0.0.1:9100; keep it
    /// off the public internet.
    #[arg(long, env = "ZENDER_METRICS_ADDR")]
    pub metrics_addr: Option<SocketAddr>,

    /// Serve `/metrics` on the site's own address, to requests with
    /// `Authorization: Bearer <token>` only.
    #[arg(long, env = "ZENDER_METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<String>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Clone, Debug, Subcommand)]
pub enum Command {
    /// Serve the site (the default).
    Serve,
    /// Manage newsroom accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Write the database and the data directory's files (media, tip photos, the emergency
    /// page) to one archive, while the site runs.
    Backup {
        /// The archive to write (a gzipped tar), e.g. zender-2026-12-08.tar.gz.
        file: PathBuf,
    },
    /// Put an archive made by `zender backup` back, into the data directory and database named
    /// by the configuration. Stop the site first.
    Restore {
        file: PathBuf,
        /// Restore over a data directory that is not empty: what is there is moved aside to
        /// `<data dir>.before-restore-<time>`, not deleted.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Clone, Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account. The password is read from standard input (one line).
    Add {
        #[arg(long)]
        email: String,
        /// The name shown above articles.
        #[arg(long)]
        name: String,
        #[arg(long, value_parser = ["contributor", "editor", "admin"], default_value = "editor")]
        role: String,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Clone, Debug)]
pub struct Sections(pub Vec<Section>);

fn parse_sections(raw: &str) -> Result<Sections, String> {
    let sections = raw
        .split(',')
        .map(|pair| {
            let (slug, name) = pair
                .split_once(':')
                .ok_or_else(|| format!("expected slug:Name, got {pair:?}"))?;
            let slug = app::slug::Slug::parse(slug.trim()).map_err(|e| format!("{slug:?}: {e}"))?;
            Ok(Section {
                slug: slug.to_string(),
                name: name.trim().to_string(),
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    if sections.is_empty() {
        return Err("at least one section is needed".into());
    }
    Ok(Sections(sections))
}

impl Config {
    pub fn database_url(&self) -> String {
        self.database_url
            .clone()
            .unwrap_or_else(|| format!("sqlite://{}", self.data_dir.join("zender.db").display()))
    }

    /// The comment policy (the salt comes from the database).
    pub fn comments(&self, salt: String) -> app::comments::settings::CommentSettings {
        app::comments::settings::CommentSettings {
            premoderation: self.comments_premoderation,
            min_seconds: self.comments_min_seconds.max(0),
            per_client: self.comments_per_client.max(0),
            per_email: self.comments_per_email.max(0),
            banned_words: app::comments::settings::parse_words(&self.comments_banned_words),
            close_after_days: self.comments_close_after_days.max(0),
            salt,
        }
    }

    pub fn site(&self) -> SiteInfo {
        let base_url = self
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.addr));
        SiteInfo {
            name: self.site_name.clone(),
            tagline: self.site_tagline.clone(),
            base_url: base_url.trim_end_matches('/').to_string(),
            sections: self
                .sections
                .clone()
                .map(|s| s.0)
                .unwrap_or_else(default_sections),
        }
    }

    /// Defaults for tests and tools: everything from the built-in defaults, nothing from the
    /// environment.
    pub fn defaults() -> Self {
        Config::parse_from(["zender"])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_parse_from_slug_name_pairs() {
        let Sections(sections) = parse_sections("nieuws:Nieuws, sport:Sport").unwrap();
        assert_eq!(sections.len(), 2);
        assert_eq!(sections[1].slug, "sport");
        assert_eq!(sections[1].name, "Sport");
    }

    #[test]
    fn the_binary_loads_no_demo_content_unless_asked() {
        let config = Config::try_parse_from(["zender"]).unwrap();
        assert!(!config.demo || std::env::var("ZENDER_DEMO").is_ok());
        assert!(Config::try_parse_from(["zender", "--demo"]).unwrap().demo);
    }

    #[test]
    fn sections_with_unsafe_slugs_are_refused() {
        assert!(parse_sections("Nieuws Lokaal:Nieuws").is_err());
        assert!(parse_sections("nieuws").is_err());
    }
}
