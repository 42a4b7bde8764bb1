//! The first answer to a customer, in their language: it restates what they told us, names who
//! will answer and by when. The Received page and the API's answer to a new case say the same
//! thing, from the same messages.

use crate::{CustomerCaseView, Settings};
use redress_catalogue::Messages;
use redress_domain::{Case, CaseKind};

/// How much of the customer's words the written acknowledgement restates (mailed, and in the
/// API's answer; the private link shows them whole): enough to show they were heard, too little
/// to make our mail a carrier for someone else's text sent to an address they typed in.
const MAILED_WORDS: usize = 500;

/// The parts of an acknowledgement, each a finished sentence or label.
pub struct Acknowledgement {
    pub title: String,
    /// "You told us", "You asked us", "You wrote".
    pub words_label: String,
    pub needed_by: Option<String>,
    /// Who answers, and by when.
    pub who: String,
}

/// "the customer care team" → "The customer care team", for the start of a sentence.
pub fn sentence_start(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Who answers until a person owns the case. Left unconfigured, it is said in the reader's own
/// language.
pub fn care_team(settings: &Settings, t: &Messages) -> String {
    settings
        .care_team
        .clone()
        .unwrap_or_else(|| t.get("default-care-team"))
}

/// Who looks after a case, as the customer's view names it, in the reader's language.
pub fn looked_after_by(view: &CustomerCaseView, t: &Messages) -> String {
    view.looked_after_by
        .clone()
        .unwrap_or_else(|| t.get("default-care-team"))
}

impl Acknowledgement {
    pub fn new(t: &Messages, case: &Case, settings: &Settings) -> Self {
        let (title, words_label) = match case.kind {
            CaseKind::Complaint => ("received-title-complaint", "received-what-you-said"),
            CaseKind::Inquiry => ("received-title-inquiry", "received-what-you-asked"),
            CaseKind::Compliment => ("received-title-compliment", "received-what-you-wrote"),
            CaseKind::Suggestion => ("received-title-suggestion", "received-what-you-wrote"),
        };
        let team = sentence_start(&care_team(settings, t));
        let who = match (&case.owner, case.respond_by) {
            (Some(owner), Some(date)) => t.format(
                "received-who-person",
                &[
                    ("who", owner.name.clone().into()),
                    ("date", t.date(date).into()),
                ],
            ),
            (None, Some(date)) => t.format(
                "received-who-team",
                &[("team", team.into()), ("date", t.date(date).into())],
            ),
            (Some(owner), None) => t.format(
                "received-who-no-date",
                &[("team", owner.name.clone().into())],
            ),
            (None, None) => t.format("received-who-no-date", &[("team", team.into())]),
        };
        Acknowledgement {
            title: t.get(title),
            words_label: t.get(words_label),
            needed_by: case
                .needed_by
                .map(|d| t.format("received-needed-by", &[("date", t.date(d).into())])),
            who,
        }
    }

    /// The whole acknowledgement as plain text, one sentence a line.
    pub fn plain_text(&self, t: &Messages, case: &Case) -> String {
        let quoted = |text: &str| t.format("quoted", &[("text", text.into())]);
        let mut lines = vec![
            format!("{}.", self.title),
            format!("{}: {}.", t.get("received-reference"), case.reference),
            format!(
                "{}: {}",
                self.words_label,
                quoted(&case.words.excerpt(MAILED_WORDS))
            ),
        ];
        if let Some(desired) = &case.desired_outcome {
            lines.push(format!(
                "{}: {}",
                t.get("received-make-it-right"),
                quoted(&desired.excerpt(MAILED_WORDS))
            ));
        }
        lines.extend(self.needed_by.clone());
        lines.push(self.who.clone());
        if case.kind == CaseKind::Compliment {
            lines.push(t.get("received-compliment-next"));
        }
        lines.join("\n")
    }
}
