//! Building and running the application: open the store chosen by the configuration, bind the
//! listener (port 0 picks a free port, for tests) and serve until asked to stop, finishing the
//! requests in flight.

use crate::config::{Database, ServeConfig};
use anyhow::Context;
use redress_app::App;
use redress_store::Store;
use redress_store_postgres::PgStore;
use redress_store_sqlite::SqliteStore;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;

/// Opens (and creates or migrates) the configured database.
pub async fn open_store(
    database: &Database,
    max_connections: u32,
) -> anyhow::Result<Arc<dyn Store>> {
    Ok(match database {
        Database::Sqlite(path) => Arc::new(
            SqliteStore::open(path)
                .await
                .with_context(|| format!("cannot open the database {}", database.describe()))?,
        ),
        Database::Postgres(url) => Arc::new(
            PgStore::connect(url, max_connections)
                .await
                .with_context(|| format!("cannot open the database {}", database.describe()))?,
        ),
    })
}

/// A bound, ready-to-run server.
pub struct Application {
    listener: TcpListener,
    app: App,
    web: redress_web::WebConfig,
    mail: crate::config::MailSettings,
    /// The built-in SMTP listener, when configured.
    smtp: Option<redress_mail::SmtpListener>,
}

impl Application {
    pub async fn build(config: &ServeConfig) -> anyhow::Result<Application> {
        let store = open_store(&config.database, config.database_max_connections).await?;
        Self::with_store(config, store).await
    }

    /// Builds on an already opened store (tests share one between servers, like nodes do).
    pub async fn with_store(
        config: &ServeConfig,
        store: Arc<dyn Store>,
    ) -> anyhow::Result<Application> {
        let listener = TcpListener::bind(config.bind)
            .await
            .with_context(|| format!("cannot listen on {}", config.bind))?;
        let web = config.web.build()?;
        // Mail to customers speaks as the pages do, and links to where customers reach us.
        let bound = listener.local_addr()?;
        let public_url = web
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{bound}"));
        let app = App::new(store, config.settings.clone())
            .with_wording(web.catalogue.clone(), &public_url);
        // The texts an administrator saved, if any, from the first request on.
        app.load_settings()
            .await
            .context("cannot read the organisation's settings")?;
        if config.web.public_url.is_none() && !config.bind.ip().is_loopback() {
            // Links shown to customers then follow the Host header, always as http://, and
            // cookies are not marked Secure.
            tracing::warn!(
                "web.public_url is not set: set it to the address customers use (https://…)"
            );
        }
        let smtp = match &config.mail.listener {
            None => None,
            Some(listener) => {
                let smtp =
                    redress_mail::SmtpListener::bind(listener.bind, listener.settings.clone())
                        .await
                        .with_context(|| {
                            format!("mail.listen: cannot listen on {}", listener.bind)
                        })?;
                tracing::info!(
                    addr = %smtp.local_addr()?,
                    accept_for = ?listener.settings.accept_for,
                    "listening for mail over SMTP"
                );
                Some(smtp)
            }
        };
        Ok(Application {
            listener,
            app,
            web,
            mail: config.mail.clone(),
            smtp,
        })
    }

    /// Where the built-in SMTP listener listens, when configured.
    pub fn smtp_addr(&self) -> Option<SocketAddr> {
        self.smtp.as_ref().and_then(|smtp| smtp.local_addr().ok())
    }

    pub fn local_addr(&self) -> anyhow::Result<SocketAddr> {
        Ok(self.listener.local_addr()?)
    }

    pub fn app(&self) -> &App {
        &self.app
    }

    /// Serves until `shutdown` completes, then finishes the requests in flight.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        // Mailboxes are read, and mail is listened for, beside the requests; both stop with the
        // server. The poller also runs for the listener alone, to handle mail kept before a stop.
        let mail_on =
            !self.mail.mailboxes.is_empty() || self.mail.relay.is_some() || self.smtp.is_some();
        let poller = mail_on
            .then(|| tokio::spawn(crate::mail_poller::run(self.app.clone(), self.mail.clone())));
        let smtp = self
            .smtp
            .map(|smtp| tokio::spawn(crate::mail_poller::listen(self.app.clone(), smtp)));
        let router = redress_web::router(self.app, self.web);
        // The client's address feeds the per-address limits on forms.
        let served = axum::serve(
            self.listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await
        .context("the server failed");
        for task in [poller, smtp].into_iter().flatten() {
            task.abort();
        }
        served
    }
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
