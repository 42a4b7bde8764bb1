//! `redress-bench`: the load benchmark. It starts the real `redress serve` process (SQLite by
//! default, PostgreSQL with `--database-url`), then
//! 1. intake: many concurrent clients file complaints over HTTP for a bounded time; every
//!    counted complaint was answered 201, i.e. durably committed. Prints complaints/s and
//!    p50/p99/max latency;
//! 2. listing: fills the database to `--cases` (default 100,000) and times staff list requests
//!    (newest first, filtered, searched, paged). Prints p50/p99 per query.
//!
//! With `--queues`, no server: it fills a store directly with `--cases` cases worked on as a
//! desk would, and times each of the staff desk's queues (see `queues`).
//!
//! Complaint texts are real consumer narratives from the CFPB sample when it is found.

mod corpus;
mod queues;
mod stats;

use anyhow::{Context, bail};
use clap::Parser;
use serde_json::{Value, json};
use stats::Latencies;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

#[derive(Parser, Debug)]
#[command(about = "Load benchmark for Redress")]
struct Args {
    /// The redress binary (default: next to this one).
    #[arg(long)]
    redress: Option<PathBuf>,
    /// PostgreSQL URL; without it the benchmark uses a fresh SQLite database in a temp dir.
    #[arg(long, env = "REDRESS_BENCH_DATABASE_URL")]
    database_url: Option<String>,
    /// Concurrent clients for the intake phase.
    #[arg(long, default_value_t = 64)]
    clients: usize,
    /// Seconds of intake load.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Cases stored before timing the list requests (0 skips the listing phase).
    #[arg(long, default_value_t = 100_000)]
    cases: u64,
    /// List requests per query kind.
    #[arg(long, default_value_t = 500)]
    list_requests: usize,
    /// CSV of real complaints (the CFPB sample) for the complaint texts, or `short` for short
    /// form-style complaints.
    #[arg(long, default_value = "../shared/data/cfpb/complaints.csv")]
    corpus: PathBuf,
    /// Time the staff desk's queues on a store filled directly (no server, no intake phase).
    #[arg(long)]
    queues: bool,
}

struct Server {
    child: Child,
    base: String,
    _dir: Option<tempfile::TempDir>,
    /// The server's configuration file, removed with the server.
    _config: tempfile::NamedTempFile,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn redress_command(args: &Args, data_dir: Option<&std::path::Path>) -> anyhow::Result<Command> {
    let bin = match &args.redress {
        Some(p) => p.clone(),
        None => std::env::current_exe()?
            .parent()
            .context("no directory for the benchmark binary")?
            .join("redress"),
    };
    let mut cmd = Command::new(bin);
    cmd.env("RUST_LOG", "warn");
    match (&args.database_url, data_dir) {
        (Some(url), _) => {
            cmd.env("REDRESS_DATABASE_URL", url);
        }
        (None, Some(dir)) => {
            cmd.env_remove("REDRESS_DATABASE_URL")
                .env("REDRESS_DATA_DIR", dir);
        }
        (None, None) => bail!("no database"),
    }
    Ok(cmd)
}

fn start(args: &Args) -> anyhow::Result<(Server, String)> {
    let dir = match args.database_url {
        Some(_) => None,
        None => Some(tempfile::tempdir()?),
    };
    let data_dir = dir.as_ref().map(|d| d.path().to_path_buf());
    let out = redress_command(args, data_dir.as_deref())?
        .args(["user", "add", "--name", "Bench Agent", "--role", "agent"])
        .args([
            "--email",
            &format!("bench-{}@example.com", std::process::id()),
        ])
        .output()
        .context("run redress user add")?;
    if !out.status.success() {
        bail!(
            "redress user add failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let token = String::from_utf8_lossy(&out.stdout)
        .lines()
        .last()
        .unwrap_or_default()
        .trim()
        .to_owned();
    // The benchmark files thousands of cases a second from one address: lift the public API's
    // per-address limit, which is there against floods from the open internet.
    let config = tempfile::Builder::new()
        .prefix("redress-bench-")
        .suffix(".toml")
        .tempfile()?;
    std::fs::write(config.path(), "[web]\napi_posts_per_minute = 4000000000\n")?;
    let mut child = redress_command(args, data_dir.as_deref())?
        .env("REDRESS_CONFIG", config.path())
        .args(["serve", "--bind", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .spawn()
        .context("start redress serve")?;
    let mut line = String::new();
    BufReader::new(child.stdout.take().context("stdout")?).read_line(&mut line)?;
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .with_context(|| format!("no address in {line:?}"))?
        .to_owned();
    Ok((
        Server {
            child,
            base: format!("http://{addr}/api/v1"),
            _dir: dir,
            _config: config,
        },
        token,
    ))
}

/// Files complaints from `clients` tasks until `deadline` or until `limit` are filed.
async fn intake(
    base: &str,
    clients: usize,
    deadline: Instant,
    limit: u64,
    texts: Arc<Vec<String>>,
) -> anyhow::Result<(u64, Latencies, Duration)> {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(clients)
        .build()?;
    let filed = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..clients {
        let (client, url, texts, filed) = (
            client.clone(),
            format!("{base}/cases"),
            texts.clone(),
            filed.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let mut lat = Latencies::default();
            let mut i = c;
            while Instant::now() < deadline && filed.load(Ordering::Relaxed) < limit {
                let n = filed.fetch_add(1, Ordering::Relaxed);
                if n >= limit {
                    break;
                }
                let text = &texts[i % texts.len()];
                i += clients;
                let body = json!({
                    "what_happened": text,
                    // Every tenth customer comes back: recognition is part of the work.
                    "email": format!("customer{}@example.com", if n % 10 == 9 { n / 2 } else { n }),
                    "what_would_make_it_right": "Fix it and tell me when it is done.",
                    "kind": if n % 11 == 0 { "inquiry" } else { "complaint" },
                });
                let t = Instant::now();
                let res = client.post(&url).json(&body).send().await?;
                let status = res.status();
                let _ = res.bytes().await?;
                if status != 201 {
                    bail!("intake answered {status}");
                }
                lat.record(t.elapsed());
            }
            Ok::<_, anyhow::Error>(lat)
        }));
    }
    let mut all = Latencies::default();
    for t in tasks {
        all.merge(t.await??);
    }
    Ok((all.len() as u64, all, started.elapsed()))
}

async fn listing(base: &str, token: &str, requests: usize) -> anyhow::Result<()> {
    let client = reqwest::Client::new();
    // A cursor deep in the list, for the "page 200" query.
    let mut after = String::new();
    for _ in 0..200 {
        let page: Value = client
            .get(format!("{base}/cases?limit=50&after={after}"))
            .bearer_auth(token)
            .send()
            .await?
            .json()
            .await?;
        match page["next"].as_str() {
            Some(n) => after = n.to_owned(),
            None => break,
        }
    }
    let queries = [
        ("newest 50", "/cases?limit=50".to_owned()),
        ("status=new", "/cases?limit=50&status=new".to_owned()),
        ("kind=inquiry", "/cases?limit=50&kind=inquiry".to_owned()),
        ("unassigned", "/cases?limit=50&owner=none".to_owned()),
        (
            "search 'credit report'",
            "/cases?limit=50&q=credit%20report".to_owned(),
        ),
        (
            "page 200 (cursor)",
            format!("/cases?limit=50&after={after}"),
        ),
    ];
    let mut overall = Latencies::default();
    println!("\nlisting ({requests} requests per query, page of 50):");
    for (name, path) in queries {
        let mut lat = Latencies::default();
        for _ in 0..requests {
            let t = Instant::now();
            let res = client
                .get(format!("{base}{path}"))
                .bearer_auth(token)
                .send()
                .await?;
            let status = res.status();
            let _ = res.bytes().await?;
            if status != 200 {
                bail!("{name} answered {status}");
            }
            lat.record(t.elapsed());
        }
        println!("  {name:<24} {}", lat.summary());
        overall.merge(lat);
    }
    println!("  {:<24} {}", "all list requests", overall.summary());
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    if args.queues {
        return queues::run(&args).await;
    }
    let texts = Arc::new(corpus::load(&args.corpus));
    let (server, token) = start(&args)?;
    let backend = if args.database_url.is_some() {
        "postgres"
    } else {
        "sqlite"
    };
    let mean_chars = texts.iter().map(|t| t.chars().count()).sum::<usize>() / texts.len().max(1);
    println!(
        "redress-bench: backend {backend}, {} clients, {} s of intake, {} complaint texts (mean {mean_chars} characters)",
        args.clients,
        args.seconds,
        texts.len()
    );

    let deadline = Instant::now() + Duration::from_secs(args.seconds);
    let (filed, lat, took) = intake(
        &server.base,
        args.clients,
        deadline,
        u64::MAX,
        texts.clone(),
    )
    .await?;
    println!("\nintake (durable: each counted complaint was answered 201 after its commit):");
    println!(
        "  {filed} complaints in {:.1} s = {:.0} complaints/s",
        took.as_secs_f64(),
        filed as f64 / took.as_secs_f64()
    );
    println!("  latency {}", lat.summary());

    if args.cases > 0 {
        if filed < args.cases {
            let fill_deadline = Instant::now() + Duration::from_secs(3600);
            let (more, _, t) = intake(
                &server.base,
                args.clients,
                fill_deadline,
                args.cases - filed,
                texts,
            )
            .await?;
            println!(
                "\nfilled to {} cases ({more} more in {:.1} s)",
                filed + more,
                t.as_secs_f64()
            );
        }
        listing(&server.base, &token, args.list_requests).await?;
    }
    drop(server);
    Ok(())
}
