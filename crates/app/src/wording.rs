//! The words Redress mails to customers and where their links point: the message catalogue
//! (with the operator's rewording, and over it the mail templates administrators saved) and the
//! site's public address. The web layer shows pages from the same catalogue, so a customer reads
//! the same words on their page and in their mail.
//!
//! Every node serves the saved templates from memory and reads them again with the
//! organisation's settings (`App::load_settings`, at most [`crate::SETTINGS_TTL`] apart), so a
//! save on one node reaches the mail every node writes within seconds (on the saving node, at
//! once).

use crate::{App, AppError};
use redress_catalogue::{Catalogue, Messages};
use redress_domain::TrackingToken;
use std::sync::{Arc, PoisonError, RwLock};

/// A saved text: language tag, message id, text.
pub(crate) type SavedText = (String, String, String);

/// What mail to customers is worded from.
pub(crate) struct Wording {
    /// Shipped, with the operator's rewording: what saved templates are laid over, and what a
    /// reset brings back.
    pub(crate) base: Arc<Catalogue>,
    /// What mail is worded from now: `base` with the saved texts over it.
    served: RwLock<Served>,
    /// One read-and-serve at a time, so a slow read never undoes a later save.
    loading: tokio::sync::Mutex<()>,
    /// e.g. "https://care.example.com", without a trailing slash.
    pub(crate) public_url: String,
}

struct Served {
    catalogue: Arc<Catalogue>,
    /// The saved texts `catalogue` has over `base`, by language then message.
    texts: Vec<SavedText>,
}

impl Wording {
    fn new(base: Arc<Catalogue>, public_url: String) -> Wording {
        Wording {
            served: RwLock::new(Served {
                catalogue: Arc::clone(&base),
                texts: Vec::new(),
            }),
            base,
            loading: tokio::sync::Mutex::new(()),
            public_url,
        }
    }

    /// The shipped catalogue and a link base for a server on this machine (tests, tools).
    pub(crate) fn builtin() -> Wording {
        // The shipped catalogue is compiled in and checked by its own tests.
        #[allow(clippy::expect_used)]
        let base = Arc::new(Catalogue::builtin().expect("the shipped catalogue is valid"));
        Wording::new(base, "http://localhost:8080".to_owned())
    }

    pub(crate) fn current(&self) -> Arc<Catalogue> {
        let served = self.served.read().unwrap_or_else(PoisonError::into_inner);
        Arc::clone(&served.catalogue)
    }
}

impl App {
    /// The same application wording its mail from `catalogue` (with the saved templates laid
    /// over it once read), with links to `public_url` (e.g. "https://care.example.com").
    pub fn with_wording(mut self, catalogue: Arc<Catalogue>, public_url: &str) -> Self {
        let public_url = public_url.trim_end_matches('/').to_owned();
        self.wording = Arc::new(Wording::new(catalogue, public_url));
        self
    }

    /// The words for a customer who speaks `language` (a case's recorded language), else English.
    pub fn customer_words(&self, language: Option<&str>) -> Messages {
        self.wording.current().messages_for(language)
    }

    /// Reads the saved mail templates and serves the catalogue with them from now on (built
    /// again only when they changed).
    pub(crate) async fn load_wording(&self) -> Result<(), AppError> {
        let _turn = self.wording.loading.lock().await;
        let mut texts: Vec<SavedText> = self
            .store
            .mail_templates()
            .await?
            .into_iter()
            .map(|t| (t.language, t.message, t.text))
            .collect();
        texts.sort();
        let unchanged = {
            let served = self
                .wording
                .served
                .read()
                .unwrap_or_else(PoisonError::into_inner);
            served.texts == texts
        };
        if unchanged {
            return Ok(());
        }
        let laid: Vec<(&str, &str, &str)> = texts
            .iter()
            .map(|(l, m, t)| (l.as_str(), m.as_str(), t.as_str()))
            .collect();
        let catalogue = match self.wording.base.with_texts(&laid) {
            Ok(c) => Arc::new(c),
            Err(e) => {
                // The base was built from these very sources, so this is not expected; the
                // mail keeps the wording it has.
                tracing::error!(error = %e, "the saved mail templates could not be laid over the catalogue");
                return Ok(());
            }
        };
        *self
            .wording
            .served
            .write()
            .unwrap_or_else(PoisonError::into_inner) = Served { catalogue, texts };
        tracing::debug!("mail templates served afresh");
        Ok(())
    }

    /// The customer's private link for `token`.
    pub(crate) fn tracking_link(&self, token: &TrackingToken) -> String {
        format!("{}/track/{}", self.wording.public_url, token.reveal())
    }
}
