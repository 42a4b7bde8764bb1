//! The words Redress mails to customers and where their links point: the message catalogue
//! (with the operator's rewording) and the site's public address. The web layer shows pages
//! from the same catalogue, so a customer reads the same words on their page and in their mail.

use crate::App;
use redress_catalogue::{Catalogue, Messages};
use redress_domain::TrackingToken;
use std::sync::Arc;

/// What mail to customers is worded from.
pub(crate) struct Wording {
    pub(crate) catalogue: Arc<Catalogue>,
    /// e.g. "https://care.example.com", without a trailing slash.
    pub(crate) public_url: String,
}

impl Wording {
    /// The shipped catalogue and a link base for a server on this machine (tests, tools).
    pub(crate) fn builtin() -> Wording {
        Wording {
            // The shipped catalogue is compiled in and checked by its own tests.
            #[allow(clippy::expect_used)]
            catalogue: Arc::new(Catalogue::builtin().expect("the shipped catalogue is valid")),
            public_url: "http://localhost:8080".to_owned(),
        }
    }
}

impl App {
    /// The same application wording its mail from `catalogue`, with links to `public_url`
    /// (e.g. "https://care.example.com").
    pub fn with_wording(mut self, catalogue: Arc<Catalogue>, public_url: &str) -> Self {
        self.wording = Arc::new(Wording {
            catalogue,
            public_url: public_url.trim_end_matches('/').to_owned(),
        });
        self
    }

    /// The words for a customer who speaks `language` (a case's recorded language), else English.
    pub fn customer_words(&self, language: Option<&str>) -> Messages {
        self.wording.catalogue.messages_for(language)
    }

    /// The customer's private link for `token`.
    pub(crate) fn tracking_link(&self, token: &TrackingToken) -> String {
        format!("{}/track/{}", self.wording.public_url, token.reveal())
    }
}
