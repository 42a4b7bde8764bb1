//! Redress use cases: every channel (the JSON API, the pages, email) comes through here. This is
//! where permissions are enforced and where a case is loaded, changed by the domain's rules and
//! stored back. It knows nothing of HTTP or SQL.

mod case_locks;
mod customer_side;
mod drafts;
mod error;
mod staff_admin;
mod staff_side;

pub use customer_side::{CustomerCaseView, Submitted};
pub use drafts::*;
pub use error::AppError;
pub use staff_side::CaseDetail;

use redress_store::Store;
use std::sync::Arc;
use time::OffsetDateTime;

/// How the organisation presents itself to customers; from configuration.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Who answers new cases until a person owns them, e.g. "the customer care team".
    pub care_team: String,
    /// How many days a customer waits at most for a first personal answer.
    pub first_response_days: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            care_team: "the customer care team".to_owned(),
            first_response_days: 2,
        }
    }
}

/// The application: the store and the settings, shared by every request.
#[derive(Clone)]
pub struct App {
    store: Arc<dyn Store>,
    settings: Arc<Settings>,
    case_locks: Arc<case_locks::CaseLocks>,
}

impl App {
    pub fn new(store: Arc<dyn Store>, settings: Settings) -> Self {
        App {
            store,
            settings: Arc::new(settings),
            case_locks: Arc::new(case_locks::CaseLocks::default()),
        }
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// Whether storage answers, for readiness checks.
    pub async fn ready(&self) -> Result<(), AppError> {
        Ok(self.store.ping().await?)
    }
}

/// The current time, at the precision every backend keeps (microseconds), so what is returned
/// to a caller equals what a later read returns.
pub(crate) fn now() -> OffsetDateTime {
    let now = OffsetDateTime::now_utc();
    now.replace_nanosecond(now.nanosecond() / 1_000 * 1_000)
        .unwrap_or(now)
}
