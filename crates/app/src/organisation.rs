//! The organisation's texts: its name, who answers first, how soon, every way to reach us, and
//! the lists a customer picks from. The configuration file gives the defaults; once an
//! administrator saves them, the saved version holds, on every node.
//!
//! Every node keeps the current settings in memory ([`App::settings`], cheap enough for every
//! page) and reads them again from the store when they are older than [`SETTINGS_TTL`]
//! ([`App::refresh_settings_if_stale`], which the web layer calls before each request). A save
//! takes effect on the node that made it at once, and on the others within the TTL.

use crate::staff_admin::require_admin;
use crate::{App, AppError, ContactPoints, Settings};
use redress_domain::{EmailAddress, Invalid, Staff, Text};
use redress_store::{SavedOrganisation, StoreError};
use serde::Deserialize;
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::Instant;

/// How long a node serves its copy of the settings before reading them again.
pub const SETTINGS_TTL: std::time::Duration = std::time::Duration::from_secs(2);
/// The most days a customer may be told to wait for a first answer.
pub const MAX_FIRST_RESPONSE_DAYS: u32 = 90;
/// The most entries in each list (opening hours, products, locations).
pub const MAX_LIST_ENTRIES: usize = 100;
/// The longest postal address, in characters.
const MAX_ADDRESS_CHARS: usize = 500;

/// The settings this node serves, and when they were last read from the store.
pub(crate) struct SettingsCache {
    /// From configuration: what holds until an administrator saves.
    defaults: Settings,
    current: RwLock<Arc<Settings>>,
    checked: Mutex<Option<Instant>>,
    /// One refresh at a time.
    refreshing: tokio::sync::Mutex<()>,
}

impl SettingsCache {
    pub(crate) fn new(defaults: Settings) -> Self {
        SettingsCache {
            current: RwLock::new(Arc::new(defaults.clone())),
            defaults,
            checked: Mutex::new(None),
            refreshing: tokio::sync::Mutex::new(()),
        }
    }

    fn current(&self) -> Arc<Settings> {
        self.current
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Serves `fresh` from now on, unless a later version is served already (a slow refresh
    /// must not undo a save).
    fn serve(&self, fresh: Arc<Settings>) -> Arc<Settings> {
        let mut current = self.current.write().unwrap_or_else(PoisonError::into_inner);
        if fresh.version >= current.version {
            *current = fresh;
        }
        self.checked_now();
        current.clone()
    }

    /// Records that the store was just asked, whatever it answered: the next read is a TTL
    /// away, so a store that does not answer is not asked on every request.
    fn checked_now(&self) {
        *self.checked.lock().unwrap_or_else(PoisonError::into_inner) = Some(Instant::now());
    }

    /// `None`: never read from the store; else whether the copy is older than the TTL.
    fn stale(&self) -> Option<bool> {
        self.checked
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .map(|at| at.elapsed() >= SETTINGS_TTL)
    }

    /// The defaults with the saved texts over them.
    fn merged(&self, saved: Option<SavedOrganisation>) -> Settings {
        let mut settings = self.defaults.clone();
        if let Some(s) = saved {
            settings.organisation = s.name;
            settings.care_team = s.care_team;
            settings.first_response_days = s.first_response_days;
            settings.contact = ContactPoints {
                email: s.email,
                phone: s.phone,
                opening_hours: s.opening_hours,
                postal_address: s.postal_address,
            };
            settings.products = s.products;
            settings.locations = s.locations;
            settings.version = s.version;
        }
        settings
    }
}

/// The organisation's texts as an administrator sends them. Every field is replaced: one left
/// out is cleared (or, if required, refused).
#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OrganisationDraft {
    /// The organisation's name, as customers know it. Required.
    pub name: Option<String>,
    /// Who answers new cases until a person owns them, e.g. "the Riverside guest team".
    /// Absent: the pages say "the customer care team" in the reader's language.
    pub care_team: Option<String>,
    /// Within how many days every customer hears from a person (1 to 90). Required.
    pub first_response_days: Option<u32>,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// When the phone is answered, one line each.
    #[serde(default)]
    pub opening_hours: Vec<String>,
    /// Lines separated by line breaks.
    pub postal_address: Option<String>,
    /// What a case can be about, offered as a list on the form (free text when empty).
    #[serde(default)]
    pub products: Vec<String>,
    /// Where it can have happened, offered as a list (free text when empty).
    #[serde(default)]
    pub locations: Vec<String>,
    /// The `version` these changes were made on. When given and another save came in between,
    /// the save is refused (409) and nothing changes.
    pub version: Option<u32>,
}

/// A list's entries: blank ones dropped, each trimmed, none twice, each short.
fn list(errors: &mut Invalid, field: &str, entries: &[String]) -> Vec<String> {
    let mut kept: Vec<String> = Vec::new();
    for entry in entries {
        let entry = entry.trim();
        if entry.is_empty() || kept.iter().any(|k| k.eq_ignore_ascii_case(entry)) {
            continue;
        }
        if let Some(t) = Text::optional(errors, field, Some(entry), Text::SHORT) {
            kept.push(t.as_str().to_owned());
        }
    }
    if kept.len() > MAX_LIST_ENTRIES {
        errors.add(
            field,
            format!("must have at most {MAX_LIST_ENTRIES} entries"),
        );
    }
    kept
}

impl OrganisationDraft {
    /// The texts to save, or every field at fault.
    fn parse(&self) -> Result<Organisation, Invalid> {
        let mut errors = Invalid::default();
        let name = match &self.name {
            Some(n) => Text::check(&mut errors, "name", n.trim(), Text::SHORT),
            None => {
                errors.add("name", "is required");
                None
            }
        };
        let care_team = Text::optional(
            &mut errors,
            "care_team",
            self.care_team.as_deref().map(str::trim),
            Text::SHORT,
        );
        let days = match self.first_response_days {
            Some(d) if (1..=MAX_FIRST_RESPONSE_DAYS).contains(&d) => Some(d),
            Some(_) => {
                errors.add(
                    "first_response_days",
                    format!("must be a number of days from 1 to {MAX_FIRST_RESPONSE_DAYS}"),
                );
                None
            }
            None => {
                errors.add("first_response_days", "is required");
                None
            }
        };
        let email = match self.email.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(e) => EmailAddress::parse(e)
                .map_err(|m| errors.add("email", m))
                .ok()
                .map(|e| e.as_str().to_owned()),
        };
        let phone = Text::optional(
            &mut errors,
            "phone",
            self.phone.as_deref().map(str::trim),
            Text::SHORT,
        );
        if let Some(p) = &phone
            && !p.as_str().chars().any(|c| c.is_ascii_digit())
        {
            errors.add("phone", "must be a phone number, with its digits");
        }
        let postal_address = Text::optional(
            &mut errors,
            "postal_address",
            self.postal_address.as_deref(),
            MAX_ADDRESS_CHARS,
        );
        let opening_hours = list(&mut errors, "opening_hours", &self.opening_hours);
        let products = list(&mut errors, "products", &self.products);
        let locations = list(&mut errors, "locations", &self.locations);
        match (name, days) {
            (Some(name), Some(days)) if errors.is_empty() => Ok(Organisation {
                name: name.as_str().to_owned(),
                care_team: care_team.map(|t| t.as_str().to_owned()),
                first_response_days: days,
                email,
                phone: phone.map(|t| t.as_str().to_owned()),
                opening_hours,
                postal_address: postal_address.map(|t| t.as_str().trim_end().to_owned()),
                products,
                locations,
            }),
            _ => Err(errors),
        }
    }
}

/// Checked texts, ready to save.
struct Organisation {
    name: String,
    care_team: Option<String>,
    first_response_days: u32,
    email: Option<String>,
    phone: Option<String>,
    opening_hours: Vec<String>,
    postal_address: Option<String>,
    products: Vec<String>,
    locations: Vec<String>,
}

impl App {
    /// The settings this node serves now (see the module's notes on freshness).
    pub fn settings(&self) -> Arc<Settings> {
        self.settings.current()
    }

    /// Reads the settings (and the mail templates: see `wording`) from the store now, and
    /// serves them from now on.
    pub async fn load_settings(&self) -> Result<Arc<Settings>, AppError> {
        self.load_wording().await?;
        let saved = self.store.organisation().await?;
        let fresh = Arc::new(self.settings.merged(saved));
        Ok(self.settings.serve(fresh))
    }

    /// Reads the settings again if this node's copy is older than `SETTINGS_TTL`. Only one
    /// caller reads; the others go on with the copy they have (the first ever read is waited
    /// for). A failed read is logged and the copy kept until the next try, a TTL later.
    pub async fn refresh_settings_if_stale(&self) {
        let _turn = match self.settings.stale() {
            Some(false) => return,
            Some(true) => match self.settings.refreshing.try_lock() {
                Ok(turn) => turn,
                Err(_) => return,
            },
            None => self.settings.refreshing.lock().await,
        };
        if self.settings.stale() == Some(false) {
            return;
        }
        if let Err(e) = self.load_settings().await {
            self.settings.checked_now();
            tracing::warn!(error = %e, "the organisation's settings could not be read again");
        }
    }

    /// The organisation's texts as they stand (read from the store now), for an administrator
    /// about to change them.
    pub async fn organisation(&self, by: &Staff) -> Result<Arc<Settings>, AppError> {
        require_admin(by)?;
        self.load_settings().await
    }

    /// Checks the organisation's texts without saving them: `Invalid` naming each field at
    /// fault (for a form that has problems of its own to show beside them).
    pub fn check_organisation(
        &self,
        by: &Staff,
        draft: &OrganisationDraft,
    ) -> Result<(), AppError> {
        require_admin(by)?;
        draft.parse()?;
        Ok(())
    }

    /// Saves the organisation's texts: every node serves them from now on (this one at once).
    /// `Invalid` naming each field at fault; `Conflict` if `draft.version` is given and someone
    /// saved since.
    pub async fn save_organisation(
        &self,
        by: &Staff,
        draft: &OrganisationDraft,
    ) -> Result<Arc<Settings>, AppError> {
        require_admin(by)?;
        let o = draft.parse()?;
        let stored = self.store.organisation().await?.map_or(0, |s| s.version);
        if draft.version.is_some_and(|v| v != stored) {
            return Err(changed_meanwhile());
        }
        let saved = SavedOrganisation {
            name: o.name,
            care_team: o.care_team,
            first_response_days: o.first_response_days,
            email: o.email,
            phone: o.phone,
            opening_hours: o.opening_hours,
            postal_address: o.postal_address,
            products: o.products,
            locations: o.locations,
            version: stored + 1,
            updated_at: self.now(),
            updated_by: Some(by.id),
        };
        match self.store.save_organisation(&saved).await {
            Ok(()) => {}
            Err(StoreError::Conflict { what }) if what == "version" => {
                return Err(changed_meanwhile());
            }
            Err(e) => return Err(e.into()),
        }
        tracing::info!(staff = %by.id, version = saved.version, "organisation's texts saved");
        Ok(self
            .settings
            .serve(Arc::new(self.settings.merged(Some(saved)))))
    }
}

fn changed_meanwhile() -> AppError {
    AppError::Conflict(
        "someone saved the organisation's texts meanwhile; reload them and try again".to_owned(),
    )
}
