//! Problems with a posted form, in the customer's language: one line at the top saying how many
//! things to check, and each message beside the field it is about.

use redress_catalogue::Messages;

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

/// The text between the first pair of curly quotes: the file name in an attachment problem.
pub(crate) fn quoted_name(message: &str) -> Option<&str> {
    let start = message.find('\u{201c}')? + '\u{201c}'.len_utf8();
    let len = message[start..].find('\u{201d}')?;
    Some(&message[start..start + len])
}

/// A size for people: "10 MB", "500 KB".
pub(crate) fn human_size(bytes: usize) -> String {
    const MIB: usize = 1024 * 1024;
    if bytes >= MIB {
        format!("{} MB", bytes / MIB)
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}
