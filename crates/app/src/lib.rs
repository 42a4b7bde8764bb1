//! Redress use cases: every channel (the JSON API, the pages, email) comes through here. This is
//! where permissions are enforced and where a case is loaded, changed by the domain's rules and
//! stored back. It knows nothing of HTTP or SQL.

pub mod acknowledgement;
mod admin_lists;
#[cfg(test)]
mod admin_tests;
mod case_locks;
mod customer_mail;
mod customer_side;
mod drafts;
mod error;
mod intake;
pub mod mail_desk;
mod mail_in;
#[cfg(test)]
mod mail_in_tests;
mod mail_out;
mod mail_templates;
mod organisation;
mod password_links;
mod passwords;
mod permissions;
mod sender_limits;
mod sign_in;
#[cfg(test)]
mod sign_in_tests;
mod site_key;
mod staff_admin;
mod staff_side;
mod wording;

pub use admin_lists::{RootCauseChangeDraft, RootCauseDraft, TeamDraft, code_from_label};
pub use customer_side::{CustomerCaseView, CustomerEvent, CustomerSideActor};
pub use drafts::*;
pub use error::AppError;
pub use intake::{Submitted, Upload};
pub use mail_in::{MESSAGE_ID_DOMAIN, STUCK_AFTER};
pub use mail_templates::{MAIL_TEMPLATES, MailTemplate, MailTemplateText};
pub use organisation::{
    MAX_FIRST_RESPONSE_DAYS, MAX_LIST_ENTRIES, OrganisationDraft, SETTINGS_TTL,
};
pub use password_links::{PASSWORD_LINK_LIFETIME, PasswordLink};
pub use passwords::check_password;
pub use redress_domain::{SessionToken, SetupToken};
pub use sign_in::{
    FIRST_LOCK, FREE_FAILURES, MAX_LOCK, MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS,
    SESSION_IDLE_TIMEOUT, SESSION_LIFETIME, SESSION_TOUCH_EVERY, SETUP_LINK_LIFETIME, SignedIn,
    lock_for,
};
pub use site_key::SiteKey;
pub use staff_admin::{StaffChangeDraft, StaffDraft};
pub use staff_side::CaseDetail;

use redress_store::Store;
use std::sync::Arc;
use time::OffsetDateTime;

/// How the organisation presents itself to customers: from configuration, with the texts an
/// administrator saved over it (see `organisation`).
#[derive(Clone, Debug)]
pub struct Settings {
    /// The organisation's name, as customers know it.
    pub organisation: String,
    /// Who answers new cases until a person owns them, e.g. "the Riverside guest team".
    /// `None`: the channel words the catalogue's default team in the reader's language.
    pub care_team: Option<String>,
    /// How many days a customer waits at most for a first personal answer.
    pub first_response_days: u32,
    /// Every way to reach us besides the form, shown on the public pages.
    pub contact: ContactPoints,
    /// What a case can be about; empty means the customer writes it in their own words.
    pub products: Vec<String>,
    /// Where it can have happened (branches, sites); empty means free text.
    pub locations: Vec<String>,
    /// Largest file a customer may attach.
    pub max_attachment_bytes: usize,
    /// How many files one submission may carry.
    pub max_attachments: usize,
    /// 0 while the configuration's texts hold; then the number of the administrator's save.
    pub version: u32,
}

/// The channels a customer can use, as configured.
#[derive(Clone, Debug, Default)]
pub struct ContactPoints {
    pub email: Option<String>,
    pub phone: Option<String>,
    /// Lines such as "Monday to Friday, 8:00 to 18:00".
    pub opening_hours: Vec<String>,
    pub postal_address: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            organisation: "Customer care".to_owned(),
            care_team: None,
            first_response_days: 2,
            contact: ContactPoints::default(),
            products: Vec::new(),
            locations: Vec::new(),
            max_attachment_bytes: 10 * 1024 * 1024,
            max_attachments: 5,
            version: 0,
        }
    }
}

/// The application: the store and the settings, shared by every request.
#[derive(Clone)]
pub struct App {
    store: Arc<dyn Store>,
    settings: Arc<organisation::SettingsCache>,
    case_locks: Arc<case_locks::CaseLocks>,
    /// Loaded from the store on first use (`App::site_key`).
    site_key: Arc<tokio::sync::OnceCell<SiteKey>>,
    /// Turns for sign-in attempts on one account (see `sign_in`).
    sign_in_turns: Arc<case_locks::CaseLocks>,
    /// What time it is, for signing in and sessions (tests move it on).
    clock: Clock,
    /// What mail to customers is worded from, and where its links point.
    wording: Arc<wording::Wording>,
    /// How much mail each sender may send in (see `sender_limits`).
    sender_limits: Arc<sender_limits::SenderLimits>,
    /// How many acknowledgements each address is mailed (see `sender_limits`).
    acknowledgement_limits: Arc<sender_limits::SenderLimits>,
}

/// A source of the current time.
pub type Clock = Arc<dyn Fn() -> OffsetDateTime + Send + Sync>;

impl App {
    pub fn new(store: Arc<dyn Store>, settings: Settings) -> Self {
        App {
            store,
            settings: Arc::new(organisation::SettingsCache::new(settings)),
            case_locks: Arc::new(case_locks::CaseLocks::default()),
            site_key: Arc::new(tokio::sync::OnceCell::new()),
            sign_in_turns: Arc::new(case_locks::CaseLocks::default()),
            clock: Arc::new(OffsetDateTime::now_utc),
            wording: Arc::new(wording::Wording::builtin()),
            sender_limits: Arc::default(),
            acknowledgement_limits: Arc::new(sender_limits::SenderLimits::new(
                sender_limits::ACKNOWLEDGEMENTS_AT_ONCE,
                sender_limits::ACKNOWLEDGEMENTS_PER_HOUR,
            )),
        }
    }

    /// The same application reading the time from `clock` for signing in, sessions and setup
    /// links (for tests of expiry and lock-out).
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// The clock's time, at the precision every backend keeps.
    pub(crate) fn now(&self) -> OffsetDateTime {
        to_microseconds((self.clock)())
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
    to_microseconds(OffsetDateTime::now_utc())
}

fn to_microseconds(t: OffsetDateTime) -> OffsetDateTime {
    t.replace_nanosecond(t.nanosecond() / 1_000 * 1_000)
        .unwrap_or(t)
}
