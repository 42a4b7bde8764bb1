//! Problems with a posted form, in the customer's language: one line at the top saying how many
//! things to check, and each message beside the field it is about.

use super::complain::Typed;
use redress_catalogue::Messages;
use redress_domain::Invalid;

/// One field's problem.
pub(crate) struct FieldProblem {
    pub field: String,
    pub message: String,
}

/// Everything wrong with one posted form.
#[derive(Default)]
pub(crate) struct Problems {
    /// About the whole form (it expired, it came too fast), shown at the top.
    pub banner: Option<String>,
    /// "Please check 2 things below", when fields are at fault.
    pub summary: Option<String>,
    fields: Vec<FieldProblem>,
}

impl Problems {
    pub fn banner(message: String) -> Self {
        Problems {
            banner: Some(message),
            ..Problems::default()
        }
    }

    pub fn add(&mut self, field: &str, message: String) {
        // One message per field is enough to act on.
        if self.get(field).is_none() {
            self.fields.push(FieldProblem {
                field: field.to_owned(),
                message,
            });
        }
    }

    /// The problem beside `field`, if any (templates call this).
    pub fn get(&self, field: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|p| p.field == field)
            .map(|p| p.message.as_str())
    }

    pub fn has(&self, field: &str) -> bool {
        self.get(field).is_some()
    }

    pub fn fields(&self) -> &[FieldProblem] {
        &self.fields
    }

    pub fn is_empty(&self) -> bool {
        self.banner.is_none() && self.fields.is_empty()
    }

    /// Adds the summary line once every field problem is in.
    pub fn summarise(mut self, t: &Messages) -> Self {
        if !self.fields.is_empty() {
            let count = i64::try_from(self.fields.len()).unwrap_or(i64::MAX);
            self.summary = Some(t.format("form-has-problems", &[("count", count.into())]));
        }
        self
    }
}

/// A size for people: "10 MB", "1.5 MB", "512 KB" (the domain's own wording of sizes).
pub(crate) fn human_size(bytes: usize) -> String {
    redress_domain::size_in_words(u64::try_from(bytes).unwrap_or(u64::MAX))
}

/// The intake's field errors in the customer's language. The domain names the field; what to
/// say follows from the field and what was typed.
pub(crate) fn intake_problems(t: &Messages, invalid: &Invalid, typed: &Typed) -> Problems {
    let mut problems = Problems::default();
    for error in &invalid.errors {
        let field = error.field.as_str();
        let message = match field {
            "what_happened" if typed.what_happened.trim().is_empty() => {
                t.get("problem-what-happened-missing")
            }
            "what_happened" => t.get("problem-what-happened-long"),
            "email" if typed.email.trim().is_empty() && typed.phone.trim().is_empty() => {
                t.get("problem-contact-missing")
            }
            "email" => t.get("problem-email"),
            "phone" => t.get("problem-phone"),
            "needed_by"
                if time::Date::parse(
                    typed.needed_by.trim(),
                    time::macros::format_description!("[year]-[month]-[day]"),
                )
                .is_ok() =>
            {
                t.get("problem-needed-by-past")
            }
            "needed_by" => t.get("problem-needed-by"),
            "what_would_make_it_right" | "name" | "product" | "location" => {
                t.get("problem-too-long")
            }
            "attachments" => t.get("problem-general"),
            "form" => t.get("problem-form-expired"),
            "kind" | "preferred_channel" => t.get("problem-choose"),
            _ => t.get("problem-general"),
        };
        // A problem with the nonce is the form's, not a field's.
        if field == "form" {
            problems.banner = Some(message);
        } else {
            problems.add(field, message);
        }
    }
    problems
}
