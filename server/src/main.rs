use std::process::ExitCode;

use clap::Parser;
use server::{config::LogFormat, Config};
use tracing_subscriber::{fmt, EnvFilter};

// Page rendering allocates many small strings; mimalloc serves them faster than glibc malloc.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let config = Config::parse();
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    match config.log_format {
        LogFormat::Text => fmt().with_env_filter(filter).init(),
        LogFormat::Json => fmt().json().with_env_filter(filter).init(),
    }
    match server::run(config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!(error = format!("{err:#}"), "zender could not run");
            eprintln!("zender: {err:#}");
            ExitCode::FAILURE
        }
    }
}
