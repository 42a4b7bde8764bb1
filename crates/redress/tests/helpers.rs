//! Starting a server for a test and talking to it.

use redress::config::{Database, FileConfig, Overrides, ServeConfig};
use redress::startup::{Application, open_store};
use redress_store::Store;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use std::sync::Arc;
use tempfile::TempDir;
use tokio::sync::oneshot;

/// A running server with its own fresh database.
pub struct TestApp {
    pub base: String,
    pub client: Client,
    pub store: Arc<dyn Store>,
    pub database: Database,
    app: redress_app::App,
    _dir: Option<TempDir>,
    _stop: oneshot::Sender<()>,
}

/// A fresh PostgreSQL database URL, or None when PostgreSQL tests are not configured.
pub async fn fresh_postgres_url() -> Option<String> {
    let Ok(admin) = std::env::var("REDRESS_TEST_DATABASE_URL") else {
        if std::env::var_os("REDRESS_REQUIRE_POSTGRES").is_some() {
            panic!("REDRESS_REQUIRE_POSTGRES is set but REDRESS_TEST_DATABASE_URL is not");
        }
        eprintln!("skipped on PostgreSQL: set REDRESS_TEST_DATABASE_URL to run it");
        return None;
    };
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(&admin)
        .await
        .expect("connect to REDRESS_TEST_DATABASE_URL");
    let name = format!("redress_it_{}", uuid::Uuid::new_v4().simple());
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut conn)
        .await
        .expect("create a test database");
    let (base, _) = admin
        .rsplit_once('/')
        .expect("a database URL ends with /dbname");
    Some(format!("{base}/{name}"))
}

impl TestApp {
    pub async fn sqlite() -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let database = Database::Sqlite(dir.path().join("redress.db"));
        Self::start(database, Some(dir)).await
    }

    pub async fn postgres() -> Option<TestApp> {
        let url = fresh_postgres_url().await?;
        Some(Self::start(Database::Postgres(url), None).await)
    }

    pub async fn start(database: Database, dir: Option<TempDir>) -> TestApp {
        let store = open_store(&database, 8).await.expect("open store");
        Self::on_store(database, store, dir).await
    }

    /// A server on SQLite configured by `toml` (the configuration file's text).
    pub async fn sqlite_with(toml: &str) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let database = Database::Sqlite(dir.path().join("redress.db"));
        let store = open_store(&database, 8).await.expect("open store");
        let file = FileConfig::from_toml(toml).expect("a valid configuration");
        Self::on_store_with(database, store, Some(dir), file).await
    }

    /// The application behind the server, for what has no HTTP interface yet.
    pub fn app(&self) -> &redress_app::App {
        &self.app
    }

    /// The site's root address, e.g. http://127.0.0.1:PORT (the pages live here).
    pub fn site(&self) -> String {
        self.base.trim_end_matches("/api/v1").to_owned()
    }

    /// Another server on the same database, as a second node would be.
    pub async fn second_node(&self) -> TestApp {
        let store = match &self.database {
            Database::Postgres(_) => open_store(&self.database, 8).await.expect("open store"),
            // SQLite is one machine's database: a second node there shares the process's store.
            Database::Sqlite(_) => self.store.clone(),
        };
        Self::on_store(self.database.clone(), store, None).await
    }

    async fn on_store(database: Database, store: Arc<dyn Store>, dir: Option<TempDir>) -> TestApp {
        Self::on_store_with(database, store, dir, FileConfig::default()).await
    }

    async fn on_store_with(
        database: Database,
        store: Arc<dyn Store>,
        dir: Option<TempDir>,
        file: FileConfig,
    ) -> TestApp {
        let config = ServeConfig::resolve(
            Overrides {
                bind: Some("127.0.0.1:0".into()),
                ..Overrides::default()
            },
            file,
        )
        .expect("config");
        let application = Application::with_store(&config, store.clone())
            .await
            .expect("build");
        let addr = application.local_addr().expect("addr");
        let app = application.app().clone();
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(application.run_until(async {
            let _ = stopped.await;
        }));
        TestApp {
            base: format!("http://{addr}/api/v1"),
            client: Client::new(),
            store,
            database,
            app,
            _dir: dir,
            _stop: stop,
        }
    }

    /// Adds a staff member; returns their id and API token.
    pub async fn staff(&self, name: &str, role: &str, limit: Option<&str>) -> (String, String) {
        let email = format!("{}@staff.example", name.to_lowercase().replace(' ', "."));
        let (staff, token) = self
            .app
            .add_staff(name, &email, role, Some("Care"), limit.map(|l| (l, "EUR")))
            .await
            .expect("add staff");
        (staff.id.to_string(), token.reveal().to_owned())
    }

    pub async fn request(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> (StatusCode, Value) {
        let mut req = self.client.request(method, format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(b);
        }
        let res = req.send().await.expect("request");
        let status = res.status();
        let text = res.text().await.expect("body");
        let value = serde_json::from_str(&text).unwrap_or(Value::String(text));
        (status, value)
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> (StatusCode, Value) {
        self.request(reqwest::Method::GET, path, token, None).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> (StatusCode, Value) {
        self.request(reqwest::Method::POST, path, token, Some(&body))
            .await
    }

    /// Files a complaint through the public API and returns the 201 body.
    pub async fn complain(&self, body: Value) -> Value {
        let (status, res) = self.post("/cases", None, body).await;
        assert_eq!(status, StatusCode::CREATED, "{res}");
        res
    }

    /// A minimal valid complaint from `email`.
    pub async fn complain_as(&self, email: &str, words: &str) -> Value {
        self.complain(json!({ "what_happened": words, "email": email }))
            .await
    }

    /// The staff id of a case filed through the public API, found by its reference.
    pub async fn case_id(&self, submission: &Value, token: &str) -> String {
        let reference = submission["reference"].as_str().expect("reference");
        let (status, case) = self
            .get(&format!("/cases/by-reference/{reference}"), Some(token))
            .await;
        assert_eq!(status, StatusCode::OK, "{case}");
        case["id"].as_str().expect("id").to_owned()
    }

    pub async fn count_cases(&self, token: &str) -> usize {
        let (status, list) = self.get("/cases?limit=200", Some(token)).await;
        assert_eq!(status, StatusCode::OK, "{list}");
        list["cases"].as_array().expect("cases").len()
    }
}

/// The `type`s of a timeline, in order.
pub fn event_types(timeline: &Value) -> Vec<String> {
    timeline
        .as_array()
        .expect("timeline")
        .iter()
        .map(|e| e["type"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// The fields named by a 422 body.
pub fn fields(error: &Value) -> Vec<String> {
    error["error"]["fields"]
        .as_array()
        .map(|f| {
            f.iter()
                .map(|e| e["field"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

pub fn today_plus(days: i64) -> String {
    (time::OffsetDateTime::now_utc().date() + time::Duration::days(days)).to_string()
}
