//! The server's integration tests, in one binary (each test binary links the whole server):
//! every test starts the real server on a fresh database, on SQLite and on PostgreSQL.

#[macro_use]
mod helpers;

mod audit;
mod backup;
mod calamity;
mod client_keys;
mod comments;
mod editing;
mod errors;
mod event_log;
mod feeds;
mod hardening;
mod headers;
mod hostile_text;
mod limits;
mod live;
mod liveblog;
mod media;
mod metrics;
mod newsroom;
mod on_air;
mod page_cache;
mod pages;
mod schema;
mod search;
mod seo;
mod sessions;
mod site_pages;
mod storage;
mod tips;
