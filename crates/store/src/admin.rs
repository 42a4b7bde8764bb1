//! What administering the organisation needs stored: changes to staff members (role, team,
//! authority, whether active), fresh API tokens, the list of teams, the root causes, the
//! organisation's texts as an administrator last saved them, and the words of the mail to
//! customers as an administrator reworded them. The rules (who may do this, what
//! a valid value is) are the app's; the store keeps the values and makes the racy parts atomic.

use crate::StoreError;
use async_trait::async_trait;
use redress_domain::{RootCause, RootCauseCode, Staff, StaffId, Text, TokenDigest};
use time::OffsetDateTime;

/// A team that staff and cases belong to. Staff and cases name their team by `name`, which
/// never changes once the team exists.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Team {
    pub name: Text,
    pub description: Option<Text>,
    /// An inactive team is no longer offered for staff; whoever is in it stays.
    pub active: bool,
    pub created_at: OffsetDateTime,
}

/// The organisation's texts as an administrator saved them: what customers read about who we
/// are and how to reach us. Until the first save, the configuration file's values hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SavedOrganisation {
    pub name: String,
    pub care_team: Option<String>,
    pub first_response_days: u32,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// One line each, e.g. "Monday to Friday, 8:00 to 18:00".
    pub opening_hours: Vec<String>,
    pub postal_address: Option<String>,
    pub products: Vec<String>,
    pub locations: Vec<String>,
    /// 1 for the first save, one more for each later one.
    pub version: u32,
    pub updated_at: OffsetDateTime,
    /// Who saved it (`None` once that staff member no longer exists).
    pub updated_by: Option<StaffId>,
}

/// The words of one mail to customers (one catalogue message, in one language) as an
/// administrator saved them, in force over the shipped wording until reset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SavedMailTemplate {
    /// The language's tag, e.g. "en".
    pub language: String,
    /// The catalogue message, e.g. "mail-acknowledgement".
    pub message: String,
    /// The Fluent text of the message's value (checked by the app before it is saved).
    pub text: String,
    pub updated_at: OffsetDateTime,
    /// Who saved it (`None` once that staff member no longer exists).
    pub updated_by: Option<StaffId>,
}

#[async_trait]
pub trait AdminStore: Send + Sync {
    /// Replaces the staff member's role, team, authority limit and whether they are active
    /// (their name, email and creation time stay as stored). Deactivating also ends every
    /// session of theirs, deletes their API tokens and their password links, in the same
    /// transaction. `Conflict` ("last admin") if afterwards no active administrator would be
    /// left, checked atomically with every other such change: then nothing is written.
    /// `NotFound` if there is no such staff member.
    async fn update_staff(&self, staff: &Staff) -> Result<(), StoreError>;

    /// Deletes every API token of the staff member and stores `token` as their only one.
    /// `NotFound` if there is no such staff member.
    async fn replace_api_token(
        &self,
        staff: StaffId,
        token: &TokenDigest,
        at: OffsetDateTime,
    ) -> Result<(), StoreError>;

    /// Every team, active or not, by name.
    async fn teams(&self) -> Result<Vec<Team>, StoreError>;

    /// `Conflict` ("team") if a team has this name already.
    async fn add_team(&self, team: &Team) -> Result<(), StoreError>;

    /// Marks the team active or not. `NotFound` if there is no team with this name.
    async fn set_team_active(&self, name: &str, active: bool) -> Result<(), StoreError>;

    /// Adds a root cause after the others. `Conflict` ("code") if its code is taken.
    async fn add_root_cause(&self, cause: &RootCause) -> Result<(), StoreError>;

    /// Replaces the label and whether it is active of the root cause with `cause.code`, keeping
    /// its place in the list. `NotFound` if there is no such root cause.
    async fn update_root_cause(&self, cause: &RootCause) -> Result<(), StoreError>;

    /// The one root cause with this code, if any.
    async fn root_cause(&self, code: &RootCauseCode) -> Result<Option<RootCause>, StoreError>;

    /// The organisation's texts as last saved, if ever.
    async fn organisation(&self) -> Result<Option<SavedOrganisation>, StoreError>;

    /// Saves the organisation's texts, if `saved.version` is one more than the stored version
    /// (1 when nothing is stored yet). `Conflict` ("version") otherwise, and nothing is written:
    /// someone saved in between.
    async fn save_organisation(&self, saved: &SavedOrganisation) -> Result<(), StoreError>;

    /// Every saved mail template, by language then message.
    async fn mail_templates(&self) -> Result<Vec<SavedMailTemplate>, StoreError>;

    /// Saves the template, replacing any saved text of the same language and message.
    async fn save_mail_template(&self, template: &SavedMailTemplate) -> Result<(), StoreError>;

    /// Deletes the saved text of this language and message, so the shipped wording holds
    /// again; whether there was one.
    async fn reset_mail_template(&self, language: &str, message: &str) -> Result<bool, StoreError>;
}
