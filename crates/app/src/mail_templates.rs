//! The mail templates: the catalogue messages every mail to customers is worded from, which an
//! administrator rewords in the product, per language. A saved text is checked first (Fluent's
//! notation, only the variables Redress gives that mail), replaces the shipped (or operator's)
//! wording on every node within seconds, and a reset brings that wording back.

use crate::staff_admin::require_admin;
use crate::{App, AppError};
use redress_catalogue::{Messages, TemplateProblem};
use redress_domain::{Invalid, Staff, StaffId};
use redress_store::SavedMailTemplate;
use time::OffsetDateTime;

/// The messages administrators may reword, in the order a case's mail comes: the whole mails
/// first, then the parts every mail shares.
pub const MAIL_TEMPLATES: &[&str] = &[
    "mail-acknowledgement",
    "mail-reply-footer",
    "mail-resolution-proposed",
    "mail-follow-up",
    "mail-subject",
    "mail-greeting-name",
    "mail-greeting",
    "mail-signature-person",
    "mail-signature-team",
];

/// One mail template, in every language.
#[derive(Clone, Debug)]
pub struct MailTemplate {
    /// The catalogue message, e.g. "mail-acknowledgement".
    pub message: &'static str,
    /// The variables its text may use, e.g. `["greeting", "link"]`.
    pub variables: Vec<String>,
    pub texts: Vec<MailTemplateText>,
}

/// A mail template in one language.
#[derive(Clone, Debug)]
pub struct MailTemplateText {
    /// e.g. "en".
    pub language: String,
    /// The language's name in its own words, e.g. "Español".
    pub language_name: String,
    /// The text mail is worded from now.
    pub text: String,
    /// When and by whom it was saved; `None` while the shipped text holds.
    pub saved: Option<(OffsetDateTime, Option<StaffId>)>,
    /// The text worded with sample values (a sample customer, case and link).
    pub preview: String,
}

/// The sample values a preview is worded with, in the template's language.
fn samples(t: &Messages, organisation: &str, link: &str) -> Vec<(&'static str, String)> {
    let name = t.get("admin-mail-sample-name");
    let who = t.get("admin-mail-sample-who");
    vec![
        (
            "greeting",
            t.format("mail-greeting-name", &[("name", name.clone().into())]),
        ),
        (
            "signature",
            t.format(
                "mail-signature-person",
                &[
                    ("who", who.clone().into()),
                    ("organisation", organisation.to_owned().into()),
                ],
            ),
        ),
        (
            "acknowledgement",
            t.get("admin-mail-sample-acknowledgement"),
        ),
        ("proposal", t.get("admin-mail-sample-proposal")),
        ("link", link.to_owned()),
        ("reference", "K7M3-9QXA-2BTR".to_owned()),
        ("organisation", organisation.to_owned()),
        ("who", who),
        ("name", name),
    ]
}

impl App {
    /// The language tag and message if they name a mail template, else `NotFound`.
    fn template_named<'a>(
        &self,
        language: &'a str,
        message: &str,
    ) -> Result<(&'a str, &'static str), AppError> {
        let message = MAIL_TEMPLATES
            .iter()
            .find(|m| **m == message)
            .ok_or(AppError::NotFound("mail template"))?;
        if self.wording.base.find(language).is_none()
            || self.wording.base.message_text(language, message).is_none()
        {
            return Err(AppError::NotFound("mail template"));
        }
        Ok((language, message))
    }

    /// Every mail template in every language as it stands (read from the store now), for an
    /// administrator about to reword one.
    pub async fn mail_templates(&self, by: &Staff) -> Result<Vec<MailTemplate>, AppError> {
        require_admin(by)?;
        let saved = self.store.mail_templates().await?;
        self.load_wording().await?;
        let current = self.wording.current();
        let organisation = self.settings().organisation.clone();
        let link = format!("{}/track/…", self.wording.public_url);
        let languages = self.wording.base.languages();
        Ok(MAIL_TEMPLATES
            .iter()
            .map(|message| MailTemplate {
                message,
                variables: self.wording.base.template_variables("en", message),
                texts: languages
                    .iter()
                    .map(|(locale, tag, name)| {
                        let saved = saved
                            .iter()
                            .find(|s| s.language == *tag && s.message == *message);
                        let t = current.messages(*locale);
                        let values = samples(&t, &organisation, &link);
                        let args: Vec<_> = values
                            .iter()
                            .map(|(n, v)| (*n, v.as_str().into()))
                            .collect();
                        MailTemplateText {
                            language: tag.clone(),
                            language_name: name.clone(),
                            text: current.message_text(tag, message).unwrap_or_default(),
                            saved: saved.map(|s| (s.updated_at, s.updated_by)),
                            preview: t.format(message, &args),
                        }
                    })
                    .collect(),
            })
            .collect())
    }

    /// What is wrong with `text` for the template `message` in `language`, if anything.
    pub fn mail_template_problem(
        &self,
        language: &str,
        message: &str,
        text: &str,
    ) -> Option<TemplateProblem> {
        self.wording
            .base
            .check_template(language, message, text)
            .err()
    }

    /// Saves the text of the template `message` in `language`: every node's mail uses it from
    /// now on (this node's at once). A text the same as the shipped one resets the template.
    /// `Invalid` ("text") when the text cannot stand for the message; `NotFound` when no such
    /// template or language exists.
    pub async fn save_mail_template(
        &self,
        by: &Staff,
        language: &str,
        message: &str,
        text: &str,
    ) -> Result<(), AppError> {
        require_admin(by)?;
        let (language, message) = self.template_named(language, message)?;
        if let Some(problem) = self.mail_template_problem(language, message, text) {
            return Err(Invalid::field("text", problem.to_string()).into());
        }
        let text = tidy(text);
        if self.wording.base.message_text(language, message).as_deref() == Some(text.as_str()) {
            self.reset_mail_template(by, language, message).await?;
            return Ok(());
        }
        let saved = SavedMailTemplate {
            language: language.to_owned(),
            message: message.to_owned(),
            text,
            updated_at: self.now(),
            updated_by: Some(by.id),
        };
        self.store.save_mail_template(&saved).await?;
        tracing::info!(staff = %by.id, language, message, "mail template saved");
        self.load_wording().await
    }

    /// Brings back the shipped (or operator's) text of the template `message` in `language`;
    /// whether a saved text was removed. `NotFound` when no such template or language exists.
    pub async fn reset_mail_template(
        &self,
        by: &Staff,
        language: &str,
        message: &str,
    ) -> Result<bool, AppError> {
        require_admin(by)?;
        let (language, message) = self.template_named(language, message)?;
        let removed = self.store.reset_mail_template(language, message).await?;
        if removed {
            tracing::info!(staff = %by.id, language, message, "mail template reset");
        }
        self.load_wording().await?;
        Ok(removed)
    }
}

/// The text as kept: line endings made `\n`, no trailing spaces, no blank lines around it.
fn tidy(text: &str) -> String {
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    lines.join("\n").trim_matches('\n').to_owned()
}
